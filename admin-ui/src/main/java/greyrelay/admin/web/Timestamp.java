package greyrelay.admin.web;

import gg.jte.Content;
import gg.jte.TemplateOutput;
import java.time.Instant;

/**
 * A point in time as every template shows it ({@link Html#time}): {@code <time datetime="2026-03-01T10:00:05Z">2026-03-01
 * 10:00:05</time>}, UTC. For a user who chose local time, {@code static/app.js} rewrites the text of every such element in
 * the browser's zone (the UTC text stays in {@code title}); nothing else needs to know. As a string (log lines,
 * messages, CSV) it is the plain UTC text, "–" for none.
 */
public record Timestamp(Instant at) implements Content {
    @Override
    public void writeTo(TemplateOutput out) {
        if (at == null) {
            out.writeContent("–");
            return;
        }
        // an Instant's ISO form and the formatted text hold only digits, '-', ':', '.', 'T', 'Z' and spaces: nothing to escape
        out.writeContent("<time datetime=\"" + at + "\">" + Html.utcText(at) + "</time>");
    }

    @Override
    public String toString() {
        return at == null ? "–" : Html.utcText(at);
    }
}
