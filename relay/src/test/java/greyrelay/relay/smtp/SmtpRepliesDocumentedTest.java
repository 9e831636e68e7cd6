package greyrelay.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SMTP layer writes some replies itself ({@code "503 5.5.1 Error: need MAIL command"} in {@link Commands}, the
 * shutdown {@code 421} in {@link ConnectGate}); docs/replies.md must show each of them word for word. The texts are
 * read from this package's sources: every string literal that starts like a reply (three digits, then a space or a
 * dash), and every {@code new Reply(code, "x.y.z", … "text")}.
 */
class SmtpRepliesDocumentedTest {
    private static final Path SOURCES = Path.of("src/main/java/greyrelay/relay/smtp");
    private static final Path DOC = Path.of("..", "docs", "replies.md");
    private static final Pattern REPLY_LITERAL = Pattern.compile("\"([2-5]\\d\\d[ -](?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NEW_REPLY = Pattern.compile("new Reply\\((\\d{3}), \"([\\d.]+)\", [^\"]*\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void every_reply_the_smtp_layer_writes_is_on_the_page() throws IOException {
        String doc = Files.readString(DOC);
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(f);
                Matcher m = REPLY_LITERAL.matcher(source);
                while (m.find()) texts.add(unescape(m.group(1)));
                Matcher r = NEW_REPLY.matcher(source);
                while (r.find()) {
                    texts.add(r.group(1) + " " + r.group(2) + " ");
                    texts.add(unescape(r.group(3)));
                }
            }
        }
        assertThat(texts).as("reply texts found in the smtp package").hasSizeGreaterThan(15)
                .contains("503 5.5.1 Error: need MAIL command", "421 4.3.2 ", " Service shutting down, try again later");
        assertThat(texts.stream().filter(t -> !doc.contains(t)).toList())
                .as("reply texts of the smtp package missing from docs/replies.md").isEmpty();
    }

    private static String unescape(String literal) {
        return literal.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
