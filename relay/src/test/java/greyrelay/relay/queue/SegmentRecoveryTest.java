package greyrelay.relay.queue;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Sender;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.TestClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilding the queue from segments after a crash: exactly the whole records not in a ledger come back; a torn tail
 * (a batch whose sync never completed), a half-written segment and a torn ledger line are ignored; a segment none of
 * whose messages is queued any more is deleted, during operation and at recovery.
 */
class SegmentRecoveryTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    final List<Spool> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Spool::close);
    }

    Spool open(long segmentBytes) throws Exception {
        Spool s = new Spool(dir, clock, 0, segmentBytes);
        opened.add(s);
        return s;
    }

    /** After a crash: a new spool on the same directory. */
    List<QueueId> recovered() throws Exception {
        return open(Spool.SEGMENT_BYTES).recover().stream().map(Envelope::id).toList();
    }

    static Envelope commit(Spool spool, String subject) throws Exception {
        try (Spool.Incoming in = spool.begin()) {
            String message = Examples.message(subject);
            in.out().write(message.getBytes(StandardCharsets.US_ASCII));
            Instant now = Instant.parse("2026-12-07T00:00:00Z");
            return in.commit(new Envelope(in.id(), Sender.parse(JANE).orElseThrow(), List.of(RecipientState.pending(JOHN)),
                    new Envelope.Arrival(now, new Envelope.Origin.Smtp(CLIENT_IP, HELO, "S1"), message.length(), List.of()),
                    Envelope.Schedule.first(now, Duration.ofDays(5))));
        }
    }

    List<String> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    Path segment(long seq) {
        return dir.resolve("segments/" + Segment.name(seq) + Segment.SUFFIX);
    }

    /** Where each whole record of segment 0 ends (the file runs on with zeros written ahead). */
    List<Long> recordEnds() throws IOException {
        List<Long> ends = new ArrayList<>();
        Segment.existing(dir.resolve("segments"), 0).scan(java.util.Set.of(), new Segment.Visitor() {
            @Override
            public void record(QueueId id, byte[] envelope, Segment.Location at) {
                ends.add(at.messageOffset() + at.messageLength() + 4);
            }

            @Override
            public void damaged(QueueId id, Segment.Location at) {
                throw new AssertionError("damaged " + id);
            }
        });
        return ends;
    }

    @Test
    void a_tail_cut_anywhere_inside_the_last_record_loses_only_that_record() throws Exception {
        Spool spool = open(Spool.SEGMENT_BYTES);
        Envelope a = commit(spool, "a");
        Envelope b = commit(spool, "b");
        commit(spool, "torn");
        spool.close();
        long wholeTwo = recordEnds().get(1);
        long wholeThree = recordEnds().get(2);
        byte[] all = Files.readAllBytes(segment(0));

        for (long cut = wholeTwo; cut < wholeThree; cut += 13) {
            Files.write(segment(0), java.util.Arrays.copyOf(all, (int) cut));
            assertThat(recovered()).as("cut at %d", cut).containsExactly(a.id(), b.id());
        }
    }

    @Test
    void a_tail_whose_message_pages_never_reached_the_disk_is_torn_even_with_its_envelope_whole() throws Exception {
        Spool spool = open(Spool.SEGMENT_BYTES);
        Envelope a = commit(spool, "a");
        Envelope torn = commit(spool, "torn");
        spool.close();
        long end = recordEnds().get(1);
        // the envelope made it, the message's last page did not (zeros, as after a crash with delayed allocation)
        try (RandomAccessFile f = new RandomAccessFile(segment(0).toFile(), "rw")) {
            f.seek(end - 20);
            f.write(new byte[16]);
        }
        // and the file system extended the file with zeros past the last write
        Files.write(segment(0), new byte[4096], StandardOpenOption.APPEND);

        assertThat(recovered()).containsExactly(a.id()).doesNotContain(torn.id());
    }

    @Test
    void a_damaged_message_followed_by_whole_records_was_acknowledged_and_is_kept_for_a_human() throws Exception {
        Spool spool = open(Spool.SEGMENT_BYTES);
        Envelope damaged = commit(spool, "damaged");
        Envelope b = commit(spool, "b");
        spool.close();
        long end = recordEnds().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment(0).toFile(), "rw")) {
            f.seek(end - 10);
            f.write('#');
        }

        assertThat(recovered()).containsExactly(b.id()).doesNotContain(damaged.id());
        Spool again = open(Spool.SEGMENT_BYTES);
        again.recover();
        again.delete(b.id());
        assertThat(Files.exists(segment(0))).as("the segment stays while it holds mail nobody could read").isTrue();
    }

    @Test
    void a_half_written_segment_and_a_ledger_without_its_segment_are_removed() throws Exception {
        Spool spool = open(Spool.SEGMENT_BYTES);
        Envelope a = commit(spool, "a");
        spool.close();
        // a crash right after the next segment was created, in the middle of its first record
        Files.write(segment(1), new byte[] {'G', 'R', 'M', '1', 0});
        Files.writeString(dir.resolve("segments/" + Segment.name(7) + Segment.LEDGER_SUFFIX), "0ZZZZZZZZZZZZZ1\n");

        assertThat(recovered()).containsExactly(a.id());
        assertThat(segmentFiles()).containsExactly("0000000000000000.done", "0000000000000000.seg");
    }

    @Test
    void a_message_in_the_ledger_is_gone_after_a_restart_and_a_torn_ledger_line_counts_for_nothing() throws Exception {
        Spool spool = open(Spool.SEGMENT_BYTES);
        Envelope delivered = commit(spool, "delivered");
        Envelope cutShort = commit(spool, "removal-cut-short");
        Envelope waiting = commit(spool, "waiting");
        spool.delete(delivered.id());
        spool.close();
        // the removal of the second was being written when the process died: no newline yet
        Path ledger = dir.resolve("segments/0000000000000000.done");
        byte[] text = Files.readAllBytes(ledger);
        int end = 0;
        while (end < text.length && text[end] != 0) end++;
        try (RandomAccessFile f = new RandomAccessFile(ledger.toFile(), "rw")) {
            f.seek(end);
            f.write(cutShort.id().value().substring(0, 10).getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(recovered()).containsExactly(cutShort.id(), waiting.id());
        // a removal after the restart is a line of its own, not glued to the torn one
        Spool restarted = open(Spool.SEGMENT_BYTES);
        restarted.recover();
        restarted.delete(cutShort.id());
        restarted.close();
        assertThat(recovered()).containsExactly(waiting.id());
    }

    @Test
    void a_sealed_segment_is_deleted_once_every_message_in_it_has_left_the_queue() throws Exception {
        Spool spool = open(1); // every batch starts a new segment
        Envelope a = commit(spool, "a");
        Envelope b = commit(spool, "b");
        Envelope c = commit(spool, "c");
        assertThat(segmentFiles()).containsExactly("0000000000000000.done", "0000000000000000.seg", "0000000000000001.done",
                "0000000000000001.seg", "0000000000000002.done", "0000000000000002.seg");

        spool.delete(b.id());
        assertThat(segmentFiles()).as("segment 1 held only b").containsExactly("0000000000000000.done", "0000000000000000.seg",
                "0000000000000002.done", "0000000000000002.seg");
        spool.delete(c.id());
        assertThat(segmentFiles()).as("the head segment stays while it is written to").contains("0000000000000002.seg");
        Envelope d = commit(spool, "d");
        assertThat(segmentFiles()).as("sealed and empty: dropped when the next one starts").containsExactly("0000000000000000.done",
                "0000000000000000.seg", "0000000000000003.done", "0000000000000003.seg");
        try (InputStream in = spool.openMessage(a.id())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(Examples.message("a"));
        }
        spool.close();

        assertThat(recovered()).containsExactly(a.id(), d.id());
    }

    @Test
    void at_recovery_a_segment_whose_messages_are_all_settled_is_dropped() throws Exception {
        Spool spool = open(Spool.SEGMENT_BYTES);
        Envelope delivered = commit(spool, "delivered");
        Envelope settled = commit(spool, "settled");
        spool.delete(delivered.id());
        // every recipient settled, the removal not done yet when the process died
        spool.update(settled.with(List.of(new RecipientState(JOHN, RecipientState.Status.DELIVERED, 1, "250 ok", clock.instant())),
                settled.schedule()));
        spool.close();

        assertThat(recovered()).isEmpty();
        assertThat(segmentFiles()).isEmpty();
        try (Stream<Path> s = Files.list(dir.resolve("queue"))) {
            assertThat(s).isEmpty();
        }
    }
}
