package greyrelay.relay.queue;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.relay.address.Sender;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.TestClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on a real file system: a commit appends message and envelope to a segment in one record, a new state
 * replaces the envelope whole, and recovery after a crash keeps exactly what was committed and not finished.
 */
class SpoolTest {
    static final String MESSAGE = Examples.message("spooled");

    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    Spool spool;

    @BeforeEach
    void open() throws Exception {
        spool = new Spool(dir, clock, 0);
    }

    @AfterEach
    void close() {
        spool.close();
    }

    Envelope envelope(QueueId id, RecipientState... recipients) {
        Instant now = clock.instant();
        return new Envelope(id, Sender.parse(JANE).orElseThrow(), List.of(recipients),
                new Envelope.Arrival(now, new Envelope.Origin.Smtp(CLIENT_IP, HELO, "S1"), MESSAGE.length(),
                        List.of("Received: from " + HELO + "\r\n\tby mx.example.com")),
                Envelope.Schedule.first(now, Duration.ofDays(5)));
    }

    /** Receives and commits one message to JOHN and MARY, as the SMTP layer does. */
    Envelope committed() throws Exception {
        try (Spool.Incoming in = spool.begin()) {
            in.out().write(MESSAGE.getBytes(StandardCharsets.US_ASCII));
            return in.commit(envelope(in.id(), RecipientState.pending(JOHN), RecipientState.pending(MARY)));
        }
    }

    List<String> files(String sub) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(sub))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    String message(QueueId id) throws IOException {
        try (InputStream in = spool.openMessage(id)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void spool_directories_are_0700_and_its_files_0600_whatever_the_umask() throws Exception {
        Envelope e = committed();

        spool.update(e.with(e.schedule().dueAt(clock.instant().plusSeconds(60))));
        try (Spool.Incoming big = spool.begin()) {
            big.out().write(new byte[Spool.SPILL_BYTES + 1]);
            assertThat(files("incoming")).containsExactly(big.id() + ".part");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve("incoming").resolve(big.id() + ".part")))).isEqualTo("rw-------");
        }

        for (String d : List.of("incoming", "queue", "segments")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(d))))
                    .as(d).isEqualTo("rwx------");
        }
        for (String d : List.of("queue", "segments")) {
            for (String f : files(d)) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(d).resolve(f))))
                        .as(f).isEqualTo("rw-------");
            }
        }
        assertThat(files("segments")).containsExactly("0000000000000000.done", "0000000000000000.seg");
        assertThat(files("queue")).containsExactly(e.id() + ".json");
    }

    @Test
    void a_message_is_held_by_its_session_and_appears_in_the_spool_only_when_committed() throws Exception {
        try (Spool.Incoming in = spool.begin()) {
            in.out().write(MESSAGE.getBytes(StandardCharsets.US_ASCII));
            in.out().flush();
            assertThat(files("incoming")).isEmpty();
            assertThat(files("segments")).isEmpty();
            assertThat(spool.holds(in.id())).isFalse();

            Envelope e = in.commit(envelope(in.id(), RecipientState.pending(JOHN)));

            assertThat(spool.holds(in.id())).isTrue();
            assertThat(files("segments")).containsExactly("0000000000000000.done", "0000000000000000.seg");
            assertThat(files("queue")).isEmpty();
            assertThat(spool.read(in.id())).contains(e);
            assertThat(message(in.id())).isEqualTo(MESSAGE);
        }
    }

    @Test
    void a_big_message_is_spilled_to_incoming_while_it_arrives_and_committed_whole() throws Exception {
        byte[] big = (Examples.message("big") + "x".repeat(70) + "\r\n").repeat(2000).getBytes(StandardCharsets.US_ASCII);
        try (Spool.Incoming in = spool.begin()) {
            for (int off = 0; off < big.length; off += 1000) in.out().write(big, off, Math.min(1000, big.length - off));
            assertThat(files("incoming")).containsExactly(in.id() + ".part");

            in.commit(envelope(in.id(), RecipientState.pending(JOHN)));

            assertThat(files("incoming")).isEmpty();
            try (InputStream m = spool.openMessage(in.id())) {
                assertThat(m.readAllBytes()).isEqualTo(big);
            }
            assertThat(new Spool(dir, clock, 0).recover()).extracting(Envelope::id).containsExactly(in.id());
        }
    }

    @Test
    void a_segment_record_holds_the_id_the_envelope_then_the_message() throws Exception {
        Envelope e = committed();

        String file = Files.readString(dir.resolve("segments/0000000000000000.seg"), StandardCharsets.ISO_8859_1);

        assertThat(file).startsWith("GRM1" + (char) 0 + (char) e.id().value().length() + e.id())
                .contains("{\"id\":\"" + e.id() + "\"").contains(MESSAGE);
        assertThat(file.indexOf(MESSAGE)).isGreaterThan(file.indexOf("{\"id\":"));
        assertThat(spool.readHeaderSection(e.id(), 64 * 1024)).asString(StandardCharsets.US_ASCII)
                .isEqualTo(MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void a_new_delivery_state_replaces_the_envelope_whole_and_leaves_the_message_alone() throws Exception {
        Envelope e = committed();
        Instant at = clock.instant().plusSeconds(3);
        Envelope later = e.with(List.of(new RecipientState(JOHN, RecipientState.Status.PENDING, 1, "451 busy", at),
                new RecipientState(MARY, RecipientState.Status.DELIVERED, 1, "250 ok", at)),
                new Envelope.Schedule(1, at.plusSeconds(60), e.schedule().deadline(), "451 busy"));

        spool.update(later);

        assertThat(spool.read(e.id())).contains(later);
        assertThat(files("queue")).containsExactly(e.id() + ".json");
        assertThat(message(e.id())).isEqualTo(MESSAGE);
    }

    @Test
    void an_aborted_message_leaves_nothing_and_abort_is_safe_twice() throws Exception {
        Spool.Incoming in = spool.begin();
        in.out().write("Subject: half".getBytes(StandardCharsets.US_ASCII));
        in.abort();
        in.close();
        Spool.Incoming spilled = spool.begin();
        spilled.out().write(new byte[Spool.SPILL_BYTES * 2]);
        spilled.abort();

        assertThat(files("incoming")).isEmpty();
        assertThat(files("queue")).isEmpty();
        assertThat(files("segments")).isEmpty();
    }

    @Test
    void a_commit_that_cannot_be_made_durable_fails_and_leaves_nothing_half_written() throws Exception {
        Path segments = dir.resolve("segments");
        Files.delete(segments);
        Files.writeString(segments, "not a directory");
        try (Spool.Incoming in = spool.begin()) {
            in.out().write(MESSAGE.getBytes(StandardCharsets.US_ASCII));

            assertThatThrownBy(() -> in.commit(envelope(in.id(), RecipientState.pending(JOHN))))
                    .isInstanceOf(SpoolException.class).hasMessageContaining("cannot commit " + in.id());
        }
        assertThat(files("incoming")).isEmpty();
    }

    @Test
    void an_envelope_for_another_message_is_refused() throws Exception {
        try (Spool.Incoming in = spool.begin()) {
            assertThatThrownBy(() -> in.commit(envelope(new QueueId("0ZZZZZZZZZZZZZZ"), RecipientState.pending(JOHN))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refuses_a_new_message_when_the_disk_is_nearly_full() throws Exception {
        Spool nearlyFull = new Spool(dir, clock, Long.MAX_VALUE);

        assertThatThrownBy(nearlyFull::begin).isInstanceOf(SpoolException.class)
                .hasMessageContaining("spool disk nearly full").hasMessageContaining("queue.minFreeSpace");
        assertThat(files("incoming")).isEmpty();
    }

    @Test
    void recovery_keeps_every_committed_unfinished_message_with_its_latest_state() throws Exception {
        Envelope waiting = committed();
        Envelope deferred = committed();
        Envelope deferredLater = deferred.with(List.of(new RecipientState(JOHN, RecipientState.Status.PENDING, 1, "451 busy",
                clock.instant()), new RecipientState(MARY, RecipientState.Status.DELIVERED, 1, "250 ok", clock.instant())),
                new Envelope.Schedule(1, clock.instant().plusSeconds(60), deferred.schedule().deadline(), "451 busy"));
        spool.update(deferredLater);

        List<Envelope> recovered = new Spool(dir, clock, 0).recover();

        assertThat(recovered).containsExactlyInAnyOrder(waiting, deferredLater);
    }

    @Test
    void recovery_after_a_crash_drops_what_was_never_committed_or_is_finished_and_keeps_what_it_cannot_read() throws Exception {
        Envelope kept = committed();
        Envelope finished = committed();
        spool.update(finished.with(List.of(new RecipientState(JOHN, RecipientState.Status.DELIVERED, 1, "250 ok", clock.instant()),
                new RecipientState(MARY, RecipientState.Status.FAILED, 1, "550 no", clock.instant())), finished.schedule()));
        // the crash: a message half received, a state half written, a state without its message, a torn queue file
        Files.writeString(dir.resolve("incoming/0ZZZZZZZZZZZZZ1.msg"), "Subject: half-written\r\n");
        Files.writeString(dir.resolve("queue/" + kept.id() + ".json.tmp"), "{\"id\":\"" + kept.id() + "\",\"sen");
        Files.writeString(dir.resolve("queue/0ZZZZZZZZZZZZZ2.json"), "{}");
        Path torn = dir.resolve("queue/0ZZZZZZZZZZZZZ3.msg");
        Files.writeString(torn, "Subject: torn\r\n\r\nno envelope, no footer");

        List<Envelope> recovered = new Spool(dir, clock, 0).recover();

        assertThat(recovered).containsExactly(kept);
        assertThat(files("incoming")).isEmpty();
        assertThat(files("queue")).containsExactly(torn.getFileName().toString());
        assertThat(torn).as("acknowledged mail is never deleted because it cannot be read").hasContent("Subject: torn\r\n\r\nno envelope, no footer");
    }

    @Test
    void delete_removes_the_message_and_its_state() throws Exception {
        Envelope e = committed();
        spool.update(e.with(e.schedule().dueAt(clock.instant().plusSeconds(60))));

        spool.delete(e.id());

        assertThat(files("queue")).isEmpty();
        assertThat(spool.read(e.id())).isEmpty();
        assertThat(spool.holds(e.id())).isFalse();
        assertThat(new Spool(dir, clock, 0).recover()).isEmpty();
    }

    @Test
    void a_state_file_found_at_recovery_is_removed_with_its_message() throws Exception {
        Envelope e = committed();
        spool.update(e.with(e.schedule().dueAt(clock.instant().plusSeconds(60))));
        spool.close();
        spool = new Spool(dir, clock, 0);
        assertThat(spool.recover()).hasSize(1);

        spool.delete(e.id());

        assertThat(files("queue")).as("the recovered spool knew the message had a state file").isEmpty();
        assertThat(new Spool(dir, clock, 0).recover()).isEmpty();
    }

    @Test
    void a_removal_not_awaited_is_durable_once_its_future_completes() throws Exception {
        Envelope plain = committed();
        Envelope withState = committed();
        spool.update(withState.with(withState.schedule().dueAt(clock.instant().plusSeconds(60))));

        var removals = List.of(spool.remove(plain.id()), spool.remove(withState.id()));
        removals.forEach(java.util.concurrent.CompletableFuture::join);

        assertThat(spool.holds(plain.id())).isFalse();
        assertThat(spool.holds(withState.id())).isFalse();
        assertThat(files("queue")).isEmpty();
        assertThat(new Spool(dir, clock, 0).recover()).as("the ledger was synced before the futures completed").isEmpty();
    }

    @Test
    void a_message_just_committed_is_delivered_from_memory_and_read_from_its_segment_once_it_has_a_state() throws Exception {
        Envelope e = committed();
        // overwrite the message in the segment: what openMessage returns now shows where it read from
        Path seg = dir.resolve("segments/0000000000000000.seg");
        String file = Files.readString(seg, StandardCharsets.ISO_8859_1);
        int at = file.indexOf(MESSAGE);
        try (var ch = java.nio.channels.FileChannel.open(seg, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("X".repeat(7).getBytes(StandardCharsets.US_ASCII)), at);
        }

        assertThat(spool.isHeld(e.id())).isTrue();
        try (InputStream in = spool.openMessage(e.id())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(MESSAGE);
        }

        spool.update(e.with(e.schedule().dueAt(clock.instant().plusSeconds(60))));

        assertThat(spool.isHeld(e.id())).as("a deferred message does not stay in memory").isFalse();
        try (InputStream in = spool.openMessage(e.id())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("XXXXXXX" + MESSAGE.substring(7));
        }
        spool.delete(e.id());
        assertThat(spool.isHeld(e.id())).isFalse();
    }

    @Test
    void a_removed_message_leaves_memory() throws Exception {
        Envelope e = committed();
        assertThat(spool.isHeld(e.id())).isTrue();

        spool.remove(e.id()).join();

        assertThat(spool.isHeld(e.id())).isFalse();
    }
}
