package greyrelay.admin.web;

import gg.jte.Content;
import gg.jte.TemplateOutput;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A point in time as every template shows it ({@link Html#time}): {@code <time datetime="2026-03-01T10:00:05Z">2026-03-01
 * 10:00:05</time>}, UTC. For a user who chose local time, {@code static/app.js} rewrites the text of every such element in
 * the browser's zone (the UTC text stays in {@code title}); nothing else needs to know. As a string (log lines,
 * messages, CSV) it is the plain UTC text, "–" for none.
 */
public record Timestamp(Instant at) implements Content {
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    public void writeTo(TemplateOutput out) {
        if (at == null) {
            out.writeContent("–");
            return;
        }
        // an Instant's ISO form and the formatted text hold only digits, '-', ':', '.', 'T', 'Z' and spaces: nothing to escape
        out.writeContent("<time datetime=\"" + at + "\">" + TEXT.format(at) + "</time>");
    }

    @Override
    public String toString() {
        return at == null ? "–" : TEXT.format(at);
    }
}
