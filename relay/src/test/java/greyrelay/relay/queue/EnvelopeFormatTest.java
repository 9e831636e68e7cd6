package greyrelay.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Sender;
import greyrelay.relay.testing.TestClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool written before the envelope was grouped into records ({@code src/test/resources/spool-v1}, made by that
 * code: a message with a later delivery state, and one of our DSNs) is read, and written, byte for byte the same:
 * mail queued before an upgrade is delivered after it.
 */
class EnvelopeFormatTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant TRIED = T0.plusSeconds(3);
    static final QueueId MESSAGE_ID = new QueueId("0MWYT8HS0SHYS33");
    static final QueueId DSN_ID = new QueueId("0MWYT8HS0GBNGM2");
    static final List<String> TRACE = List.of("Received-SPF: pass (example.org: 192.0.2.10 is permitted)",
            "Received: from mail.example.org ([192.0.2.10])\r\n\tby relay.example.com with ESMTP id X; Fri, 27 Nov 2026 10:00:00 +0000");
    static final Envelope.Arrival ARRIVAL = new Envelope.Arrival(T0, new Envelope.Origin.Smtp("192.0.2.10", "mail.example.org", "S0001"),
            67, TRACE);

    /** The envelope the message was committed with. */
    static final Envelope AS_ACCEPTED = new Envelope(MESSAGE_ID, Sender.parse("jane@example.org").orElseThrow(),
            List.of(RecipientState.pending("john@example.com"), RecipientState.pending("mary@example.com"),
                    RecipientState.pending("bob@example.net")),
            ARRIVAL, Envelope.Schedule.first(T0, Duration.ofDays(5)));

    /** Its state after one attempt (the .json beside it). */
    static final Envelope AFTER_ONE_ATTEMPT = AS_ACCEPTED.with(List.of(
                    new RecipientState("john@example.com", RecipientState.Status.PENDING, 1, "RCPT refused: 451 4.2.1 mailbox busy", TRIED),
                    new RecipientState("mary@example.com", RecipientState.Status.DELIVERED, 1, "250 2.0.0 Ok: queued as 1234", TRIED),
                    new RecipientState("bob@example.net", RecipientState.Status.FAILED, 1, "550 5.1.1 no such user", TRIED)),
            new Envelope.Schedule(1, TRIED.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofDays(5)), "RCPT refused: 451 4.2.1 mailbox busy"));

    static final Envelope DSN = new Envelope(DSN_ID, Sender.NULL, List.of(RecipientState.pending("jane@example.org")),
            new Envelope.Arrival(T0, new Envelope.Origin.Notification(), 54, List.of()), Envelope.Schedule.first(T0, Duration.ofDays(5)));

    @TempDir
    Path dir;

    Spool spool;

    @BeforeEach
    void copyTheOldSpool() throws Exception {
        Path from = Path.of(getClass().getResource("/spool-v1/queue").toURI());
        Files.createDirectories(dir.resolve("queue"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(f, dir.resolve("queue").resolve(f.getFileName()));
            }
        }
        spool = new Spool(dir, new TestClock(), 0);
    }

    @Test
    void reads_an_old_spool_into_the_grouped_envelope() throws Exception {
        List<Envelope> recovered = spool.recover();

        assertThat(recovered).containsExactlyInAnyOrder(AFTER_ONE_ATTEMPT, DSN);
        assertThat(DSN.kind()).isEqualTo(Envelope.Kind.DSN);
        assertThat(AFTER_ONE_ATTEMPT.kind()).isEqualTo(Envelope.Kind.MESSAGE);
        try (InputStream in = spool.openMessage(MESSAGE_ID)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("Subject: spooled by round one\r\nFrom: <jane@example.org>\r\n\r\nHello.\r\n");
        }
    }

    @Test
    void reads_the_envelope_inside_an_old_queue_file() throws Exception {
        Files.delete(dir.resolve("queue/" + MESSAGE_ID + ".json"));

        assertThat(spool.read(MESSAGE_ID)).contains(AS_ACCEPTED);
    }

    @Test
    void writes_the_same_bytes_as_the_old_code() throws Exception {
        byte[] oldState = Files.readAllBytes(dir.resolve("queue/" + MESSAGE_ID + ".json"));
        String oldQueueFile = Files.readString(dir.resolve("queue/" + MESSAGE_ID + ".msg"), StandardCharsets.UTF_8);
        String oldDsnFile = Files.readString(dir.resolve("queue/" + DSN_ID + ".msg"), StandardCharsets.UTF_8);

        assertThat(new String(EnvelopeFormat.write(AFTER_ONE_ATTEMPT), StandardCharsets.UTF_8))
                .isEqualTo(new String(oldState, StandardCharsets.UTF_8));
        assertThat(oldQueueFile).contains("\r\n" + new String(EnvelopeFormat.write(AS_ACCEPTED), StandardCharsets.UTF_8) + "\n");
        assertThat(oldDsnFile).contains("\r\n" + new String(EnvelopeFormat.write(DSN), StandardCharsets.UTF_8) + "\n");
    }

    @Test
    void an_old_envelope_has_no_node_and_a_new_one_keeps_its_node() throws Exception {
        assertThat(spool.recover()).extracting(e -> e.arrival().node()).containsOnlyNulls();

        Envelope named = new Envelope(MESSAGE_ID, AS_ACCEPTED.sender(), AS_ACCEPTED.recipients(),
                new Envelope.Arrival(T0, ARRIVAL.origin(), 67, TRACE, "mx-a"), AS_ACCEPTED.schedule());
        byte[] written = EnvelopeFormat.write(named);

        assertThat(new String(written, StandardCharsets.UTF_8)).endsWith(",\"node\":\"mx-a\"}");
        assertThat(EnvelopeFormat.read(written)).isEqualTo(named);
    }

    @Test
    void ignores_fields_it_does_not_know() throws Exception {
        String newer = new String(EnvelopeFormat.write(DSN), StandardCharsets.UTF_8).replace("{\"id\"", "{\"priority\":3,\"id\"");

        assertThat(EnvelopeFormat.read(newer.getBytes(StandardCharsets.UTF_8))).isEqualTo(DSN);
    }
}
