package greyrelay.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DSN a stranger's address receives returns at most the first 16 KiB of the original header section, cut after a
 * whole line, inside a complete multipart/report.
 */
class DsnTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Envelope ORIGINAL = new Envelope(new QueueId("0MWYT8HS0SHYS33"), Sender.parse("jane@example.org").orElseThrow(),
            List.of(RecipientState.pending("john@example.com")),
            new Envelope.Arrival(T0, new Envelope.Origin.Smtp("192.0.2.10", "mail.example.org", "S0001"), 120_000, List.of()),
            Envelope.Schedule.first(T0, Duration.ofDays(5)));
    static final List<RecipientState> FAILED = List.of(new RecipientState("john@example.com", RecipientState.Status.FAILED, 1,
            "550 5.1.1 no such user", T0.plusSeconds(3)));

    static String dsn(byte[] originalHeaders) {
        byte[] out = Dsn.build("mx.example.com", "0MWYT8HS0GBNGM2", Mailbox.parse("jane@example.org").orElseThrow(), ORIGINAL,
                FAILED, originalHeaders, T0.plusSeconds(4), ZoneOffset.UTC);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The text/rfc822-headers part: from after its blank line to the closing boundary. */
    static String headersPart(String dsn) {
        String start = "Content-Type: text/rfc822-headers\r\n\r\n";
        int from = dsn.indexOf(start) + start.length();
        int to = dsn.lastIndexOf("\r\n--0MWYT8HS0GBNGM2/mx.example.com--\r\n");
        assertThat(to).as("closing boundary").isGreaterThan(from);
        assertThat(dsn).endsWith("\r\n--0MWYT8HS0GBNGM2/mx.example.com--\r\n");
        return dsn.substring(from, to);
    }

    @Test
    void a_message_with_100_kb_of_headers_returns_only_the_first_16_kib_cut_after_a_whole_line() {
        StringBuilder h = new StringBuilder();
        for (int i = 0; h.length() < 100_000; i++) h.append("X-Filler-").append(i).append(": ").append("x".repeat(40)).append("\r\n");
        String part = headersPart(dsn(h.toString().getBytes(StandardCharsets.US_ASCII)));

        assertThat(part.length()).isLessThanOrEqualTo(16 * 1024).isGreaterThan(16 * 1024 - 60);
        assertThat(part).startsWith("X-Filler-0: ").endsWith("x\r\n");
        assertThat(h.toString()).startsWith(part);
        assertThat(part).doesNotContain("X-Filler-1000:");
    }

    @Test
    void headers_that_fit_are_returned_whole() {
        String h = "Received: from mail.example.org\r\nSubject: hello\r\n\r\n";
        assertThat(headersPart(dsn(h.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(h);
    }

    @Test
    void a_single_line_longer_than_the_budget_is_cut_at_it() {
        String h = "X-Long: " + "y".repeat(40_000) + "\r\n";
        assertThat(headersPart(dsn(h.getBytes(StandardCharsets.US_ASCII)))).hasSize(16 * 1024).startsWith("X-Long: yyy");
    }
}
