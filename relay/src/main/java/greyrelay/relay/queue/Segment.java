package greyrelay.relay.queue;

import greyrelay.db.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * One spool segment: {@code <seq>.seg}, committed messages appended one after another, and {@code <seq>.done}, the
 * ledger of its messages that have left the queue (one queue id and a newline each). Only the commit thread appends to
 * the head segment; the ledger is written by the spool's other commit thread. A record is
 *
 * <pre>
 *   magic "GRM1" (4) | id length (2) | id (ASCII) | envelope length (4) | message length (8) | envelope (JSON)
 *   | CRC-32C of all that (4) | message as received | CRC-32C of the message (4)
 * </pre>
 *
 * so a reader trusts a length only after its checksum, and a scan stops at the first record that is not whole: a
 * torn tail. The two checksums let the session compute the message's while it receives it.
 */
final class Segment {
    static final int MAGIC = 0x47524D31; // "GRM1"
    static final String SUFFIX = ".seg";
    static final String LEDGER_SUFFIX = ".done";
    private static final int FIXED_HEADER = 4 + 2 + 4 + 8;
    /** Sanity bound for an envelope read back from a segment (thousands of recipients fit easily). */
    private static final int MAX_ENVELOPE = 64 * 1024 * 1024;
    /**
     * The head segment is extended by this many bytes of zeros at a time, ahead of the records. An fdatasync of data
     * written over blocks that already exist needs no metadata (no file-system journal commit): on ext4 here it takes
     * about 0.5 ms instead of about 4 ms for an append that grows the file. The batch that extends pays once.
     */
    static final int PREALLOCATE = 1024 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    final long seq;
    final Path file;
    final Path ledger;
    private FileChannel channel;
    private FileChannel ledgerChannel;
    /** Ledger: where the next id goes, and the file's length (zeros past the end of the text). */
    private long ledgerEnd;
    private long ledgerAllocated;
    static final int LEDGER_PREALLOCATE = 64 * 1024;
    /** Head only: where the next record goes (the end of the last whole record). */
    private long size;
    /** Head only: the file's length; past {@link #size} it is zeros written ahead (see {@link #PREALLOCATE}). */
    private long allocated;
    private int live;
    private boolean sealed;
    private boolean dropped;

    private Segment(long seq, Path dir) {
        this.seq = seq;
        this.file = dir.resolve(name(seq) + SUFFIX);
        this.ledger = dir.resolve(name(seq) + LEDGER_SUFFIX);
    }

    static String name(long seq) {
        return String.format("%016x", seq);
    }

    /** The sequence number of a segment or ledger file name, or -1 when the name is not one. */
    static long seqOf(String fileName) {
        int dot = fileName.indexOf('.');
        if (dot != 16) return -1;
        String suffix = fileName.substring(dot);
        if (!suffix.equals(SUFFIX) && !suffix.equals(LEDGER_SUFFIX)) return -1;
        try {
            return Long.parseUnsignedLong(fileName.substring(0, dot), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A new, empty head segment and its ledger (both created here, 0600). The caller fsyncs the directory before any
     * record in it is reported durable.
     */
    static Segment create(Path dir, long seq) throws IOException {
        Segment s = new Segment(seq, dir);
        s.channel = PrivateFiles.open(s.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            PrivateFiles.open(s.ledger, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            s.channel.close();
            Files.deleteIfExists(s.file);
            throw e;
        }
        return s;
    }

    /** A segment of an earlier run, found at recovery: sealed, never appended to again. */
    static Segment existing(Path dir, long seq) {
        Segment s = new Segment(seq, dir);
        s.sealed = true;
        return s;
    }

    // --- writing (head, commit thread) ---

    /** Where a committed message lies in its segment. */
    record Location(Segment segment, long envelopeOffset, int envelopeLength, long messageOffset, long messageLength) {}

    /** A message to append: its bytes come from the session's buffer or its spill file. */
    interface Body {
        long length();

        int crc();

        /** Writes the message at {@code position} of {@code to}. */
        void writeTo(FileChannel to, long position) throws IOException;
    }

    long size() {
        return size;
    }

    /** Appends one record after the last; not durable until {@link #force()}. */
    Location append(QueueId id, byte[] envelope, Body body) throws IOException {
        byte[] idBytes = id.value().getBytes(StandardCharsets.US_ASCII);
        int headLength = FIXED_HEADER + idBytes.length + envelope.length + 4;
        ByteBuffer head = ByteBuffer.allocate(headLength);
        head.putInt(MAGIC).putShort((short) idBytes.length).put(idBytes).putInt(envelope.length).putLong(body.length()).put(envelope);
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, head.position());
        head.putInt((int) crc.getValue());
        head.flip();
        long start = size;
        reserve(start + headLength + body.length() + 4);
        long pos = start;
        while (head.hasRemaining()) pos += channel.write(head, pos);
        body.writeTo(channel, pos);
        pos += body.length();
        ByteBuffer tail = ByteBuffer.allocate(4).putInt(body.crc()).flip();
        while (tail.hasRemaining()) pos += channel.write(tail, pos);
        size = pos;
        long envelopeOffset = start + FIXED_HEADER + idBytes.length;
        return new Location(this, envelopeOffset, envelope.length, envelopeOffset + envelope.length + 4, body.length());
    }

    /** Makes the file at least {@code end} bytes long, in whole {@link #PREALLOCATE} steps of zeros. */
    private void reserve(long end) throws IOException {
        if (end <= allocated) return;
        long target = (end + PREALLOCATE - 1) / PREALLOCATE * PREALLOCATE;
        long pos = allocated;
        while (pos < target) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), target - pos));
            pos += channel.write(z, pos);
        }
        allocated = target;
    }

    /** fdatasync: the records written so far, and the size needed to read them back, are on stable storage. */
    void force() throws IOException {
        channel.force(false);
    }

    /** Undoes a batch that failed: everything after {@code end} goes, and the cut is made durable. */
    void truncate(long end) throws IOException {
        channel.truncate(end);
        size = end;
        allocated = end;
        channel.force(false);
    }

    // --- the ledger (the done thread) ---

    /**
     * Records that these messages left the queue, durably. The ledger is written ahead with zeros too (in
     * {@value #LEDGER_PREALLOCATE}-byte steps), for the same cheap fdatasync; its text ends at the first zero byte.
     */
    void markDone(Collection<QueueId> ids) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (ledgerChannel == null) {
            ledgerChannel = PrivateFiles.open(ledger, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            byte[] text = Files.readAllBytes(ledger);
            int textEnd = textLength(text);
            ledgerEnd = textEnd;
            ledgerAllocated = text.length;
            // a line cut short by a crash stays a line of its own
            if (textEnd > 0 && text[textEnd - 1] != '\n') sb.append('\n');
        }
        for (QueueId id : ids) sb.append(id.value()).append('\n');
        ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
        long end = ledgerEnd + bytes.remaining();
        if (end > ledgerAllocated) {
            long target = (end + LEDGER_PREALLOCATE - 1) / LEDGER_PREALLOCATE * LEDGER_PREALLOCATE;
            for (long pos = ledgerAllocated; pos < target; ) {
                ByteBuffer z = ZEROS.duplicate();
                z.limit((int) Math.min(z.capacity(), target - pos));
                pos += ledgerChannel.write(z, pos);
            }
            ledgerAllocated = target;
        }
        long pos = ledgerEnd;
        while (bytes.hasRemaining()) pos += ledgerChannel.write(bytes, pos);
        ledgerEnd = pos;
        ledgerChannel.force(false);
    }

    private static int textLength(byte[] ledgerBytes) {
        for (int i = 0; i < ledgerBytes.length; i++) if (ledgerBytes[i] == 0) return i;
        return ledgerBytes.length;
    }

    /** The ids in a ledger; a last line without its newline (a write cut short) does not count. */
    static Set<String> readLedger(Path ledger) throws IOException {
        Set<String> ids = new HashSet<>();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(ledger);
        } catch (NoSuchFileException e) {
            return ids;
        }
        int start = 0;
        int length = textLength(bytes);
        for (int i = 0; i < length; i++) {
            if (bytes[i] != '\n') continue;
            String line = new String(bytes, start, i - start, StandardCharsets.US_ASCII);
            try {
                ids.add(new QueueId(line).value());
            } catch (IllegalArgumentException e) {
                // garbage from a torn write: not a completed removal
            }
            start = i + 1;
        }
        return ids;
    }

    // --- live messages and dropping ---

    synchronized void addLive() {
        live++;
    }

    synchronized int live() {
        return live;
    }

    /** One of its messages left the queue; true when the segment is now sealed, empty and must be dropped (once). */
    synchronized boolean release() {
        live--;
        return droppable();
    }

    /** No more appends; true when nothing in it is live and it must be dropped (once). */
    synchronized boolean seal() {
        sealed = true;
        return droppable();
    }

    private boolean droppable() {
        if (!sealed || live > 0 || dropped) return false;
        dropped = true;
        return true;
    }

    synchronized void close() {
        for (FileChannel ch : new FileChannel[] {channel, ledgerChannel}) {
            if (ch == null) continue;
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a file we are done with
            }
        }
        channel = null;
        ledgerChannel = null;
    }

    // --- reading back ---

    /** What a scan found. */
    interface Visitor {
        /** A whole record. */
        void record(QueueId id, byte[] envelope, Location location) throws IOException;

        /**
         * A record whose framing and envelope are intact but whose message is not, followed by whole records: written
         * before them, so acknowledged before them — damaged since, not torn. Never dropped.
         */
        void damaged(QueueId id, Location location) throws IOException;
    }

    /**
     * Reads the records from the start and hands each whole one to {@code visitor}; answers where the whole records
     * end (the file's size when nothing is torn). A message body is checked against its CRC unless its id is in
     * {@code skipCheck} (already removed: only its length matters). Records at the end whose message does not match
     * its CRC are the torn tail too (a batch whose sync never completed: the envelope's pages reached the disk, the
     * message's not all).
     */
    long scan(Set<String> skipCheck, Visitor visitor) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            long pos = 0;
            long wholeEnd = 0;
            List<Location> suspects = new ArrayList<>(); // messages failing their CRC since the last whole record
            List<QueueId> suspectIds = new ArrayList<>();
            while (fileSize - pos >= FIXED_HEADER) {
                ByteBuffer first = read(ch, pos, 6);
                if (first.getInt() != MAGIC) break;
                int idLength = first.getShort();
                if (idLength < 8 || idLength > 24) break;
                int headLength = FIXED_HEADER + idLength;
                if (fileSize - pos < headLength) break;
                ByteBuffer head = read(ch, pos, headLength);
                head.position(6);
                byte[] idBytes = new byte[idLength];
                head.get(idBytes);
                int envelopeLength = head.getInt();
                long messageLength = head.getLong();
                if (envelopeLength < 0 || envelopeLength > MAX_ENVELOPE || messageLength < 0) break;
                long end = pos + headLength + envelopeLength + 4 + messageLength + 4;
                if (end > fileSize || end < pos) break;
                ByteBuffer envelopeAndCrc = read(ch, pos + headLength, envelopeLength + 4);
                CRC32C crc = new CRC32C();
                crc.update(head.array());
                crc.update(envelopeAndCrc.array(), 0, envelopeLength);
                if (envelopeAndCrc.getInt(envelopeLength) != (int) crc.getValue()) break;
                QueueId id;
                try {
                    id = new QueueId(new String(idBytes, StandardCharsets.US_ASCII));
                } catch (IllegalArgumentException e) {
                    break;
                }
                long messageOffset = pos + headLength + envelopeLength + 4;
                Location at = new Location(this, pos + headLength, envelopeLength, messageOffset, messageLength);
                if (!skipCheck.contains(id.value()) && !bodyIntact(ch, messageOffset, messageLength)) {
                    suspects.add(at);
                    suspectIds.add(id);
                } else {
                    for (int i = 0; i < suspects.size(); i++) visitor.damaged(suspectIds.get(i), suspects.get(i));
                    suspects.clear();
                    suspectIds.clear();
                    visitor.record(id, java.util.Arrays.copyOf(envelopeAndCrc.array(), envelopeLength), at);
                    wholeEnd = end;
                }
                pos = end;
            }
            return wholeEnd;
        }
    }

    /** Whether everything from {@code from} to the end of the file is zeros (space written ahead, never used). */
    boolean onlyZerosFrom(long from) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = from;
            while (true) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n < 0) return true;
                for (int i = 0; i < n; i++) if (buf.get(i) != 0) return false;
                pos += n;
            }
        }
    }

    private static boolean bodyIntact(FileChannel ch, long offset, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, 256 * 1024));
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) return false;
            crc.update(buf.array(), 0, n);
            pos += n;
        }
        return read(ch, end, 4).getInt() == (int) crc.getValue();
    }

    private static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) throw new IOException("segment ends inside a record it has room for");
        }
        return buf.flip();
    }

    /** The envelope stored with a message (the one it was accepted with). */
    static byte[] readEnvelope(Location at) throws IOException {
        try (FileChannel ch = FileChannel.open(at.segment().file, StandardOpenOption.READ)) {
            return read(ch, at.envelopeOffset(), at.envelopeLength()).array();
        }
    }

    @Override
    public String toString() {
        return name(seq) + SUFFIX;
    }
}
