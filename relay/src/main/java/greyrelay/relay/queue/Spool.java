package greyrelay.relay.queue;

import greyrelay.db.PrivateFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable spool, in {@code <dataDir>/spool}. A message is received into memory (into {@code incoming/<id>.part}
 * past {@value #SPILL_BYTES} bytes); its commit hands it to the commit thread, which appends it with its envelope to
 * the head segment in {@code segments/} ({@link Segment}) together with whatever other sessions committed meanwhile,
 * fdatasyncs the segment once for all of them (group commit, {@link GroupCommit}) and only then lets each of them
 * answer 250. Later delivery state is written to {@code queue/<id>.json} (write, fdatasync, rename, directory fsync)
 * and wins over the envelope in the segment. A message leaves the queue through its segment's ledger
 * ({@code <seq>.done}, group-committed by a second thread); a sealed segment whose messages have all left is
 * deleted. Queue files of a spool written before segments ({@code queue/<id>.msg}: message, envelope, length footer)
 * are still read, delivered and removed. {@link #recover()} rebuilds the queue exactly: a message is in it iff its
 * commit returned (its 250 could have been sent) and it has not left the queue; a torn tail of a segment is ignored.
 */
public final class Spool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    /** A message bigger than this is spilled to a file in {@code incoming/} while it arrives. */
    static final int SPILL_BYTES = 64 * 1024;
    /** The head segment is sealed and a new one started once it is this big. */
    static final long SEGMENT_BYTES = 16L * 1024 * 1024;
    private final long segmentBytes;

    private final Path incoming;
    private final Path queue;
    private final Path segments;
    private final Clock clock;
    private final long minFreeBytes;
    private final DirSync queueSync;
    private final DirSync segmentSync;
    /** Segments with a sequence number below this were written by an earlier run: {@link #recover()} reads them. */
    private final long firstSeqOfThisRun;
    private final Map<QueueId, Location> index = new ConcurrentHashMap<>();
    /**
     * Queued messages that have a state file ({@code queue/<id>.json}): written by {@link #update}, found by
     * {@link #recover()}. A removal deletes only these, rather than try (and fail, an exception) for every message.
     */
    private final Set<QueueId> withState = ConcurrentHashMap.newKeySet();
    /**
     * Messages just committed and not spilled, kept in memory for their first delivery attempt: the bytes the
     * session checksummed and the commit thread wrote and synced, so delivering them is delivering what is on disk,
     * without opening and reading the segment. A message leaves this when it leaves the queue or gets a new delivery
     * state (a deferred message waits minutes; it is read from its segment then). At most {@link #HELD_BYTES} in all.
     */
    private final Map<QueueId, byte[]> held = new ConcurrentHashMap<>();
    private final AtomicLong heldBytes = new AtomicLong();
    static final long HELD_BYTES = 16L * 1024 * 1024;
    /**
     * How long the removal thread gathers removals before it writes and syncs them: nobody waits for a removal (a
     * delivery worker goes on), so a few milliseconds buy bigger batches and fewer syncs; a crash in them delivers
     * those messages again (relay/README.md, "The spool").
     */
    static final Duration REMOVAL_LINGER = Duration.ofMillis(5);

    /** Where the queue lives; its usable space is read per message (a statvfs), the store itself only once. */
    private final FileStore store;
    private final GroupCommit<Append> appends;
    private final GroupCommit<Removal> removals;
    /** Written by the commit thread only (volatile for {@link #close()}). */
    private volatile Segment head;
    private long nextSeq;
    private volatile IntConsumer beforeSync = n -> { };

    /** Where a committed message lies: in a segment, or in a queue file of a spool written before segments. */
    private sealed interface Location {
        record InSegment(Segment.Location at) implements Location {}

        record InFile(Path file) implements Location {}
    }

    private record Append(QueueId id, byte[] envelope, Segment.Body body) {}

    /** {@code awaited}: someone waits for it ({@link #delete}), so the removal thread does not linger for company. */
    private record Removal(Location.InSegment at, QueueId id, boolean awaited) {
        Segment segment() {
            return at.at().segment();
        }
    }

    public Spool(Path spoolDir, Clock clock, long minFreeBytes) throws SpoolException {
        this(spoolDir, clock, minFreeBytes, SEGMENT_BYTES);
    }

    /** With another segment size (tests: a new segment for every batch). */
    Spool(Path spoolDir, Clock clock, long minFreeBytes, long segmentBytes) throws SpoolException {
        this.segmentBytes = segmentBytes;
        this.incoming = spoolDir.resolve("incoming");
        this.queue = spoolDir.resolve("queue");
        this.segments = spoolDir.resolve("segments");
        this.clock = clock;
        this.minFreeBytes = minFreeBytes;
        this.queueSync = new DirSync(queue);
        this.segmentSync = new DirSync(segments);
        try {
            // dataDir and the spool are private: 0700 directories, 0600 files (PrivateFiles)
            PrivateFiles.directory(incoming);
            PrivateFiles.directory(queue);
            PrivateFiles.directory(segments);
            long last = -1;
            try (Stream<Path> s = Files.list(segments)) {
                for (Path p : s.toList()) last = Math.max(last, Segment.seqOf(p.getFileName().toString()));
            }
            this.firstSeqOfThisRun = last + 1;
            this.nextSeq = firstSeqOfThisRun;
            this.store = Files.getFileStore(queue);
        } catch (IOException e) {
            throw new SpoolException("cannot create spool directories under " + spoolDir + ": " + e, e);
        }
        this.appends = new GroupCommit<>("spool-commit", this::writeAppends);
        this.removals = new GroupCommit<>("spool-removal", this::writeRemovals, REMOVAL_LINGER, r -> !r.awaited());
    }

    /** {@code queue.minFreeSpace} in bytes. */
    public long minFreeBytes() {
        return minFreeBytes;
    }

    /**
     * For readiness: proves a file can be created in the incoming directory, and answers the usable bytes where the
     * queue lives. Throws when the spool cannot be written.
     */
    public long writableFreeBytes() throws SpoolException {
        try {
            Path probe = Files.createTempFile(incoming, "ready-", ".tmp");
            Files.delete(probe);
            return store.getUsableSpace();
        } catch (IOException e) {
            throw new SpoolException("spool not writable: " + e, e);
        }
    }

    /** Bytes free for the spool on its file system (for {@code greyrelay_spool_free_bytes}); -1 when it cannot be read. */
    public long freeBytes() {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Starts a new message. Refuses when the disk is nearly full, so the client hears 451 before sending the data. */
    public Incoming begin() throws SpoolException {
        try {
            long free = store.getUsableSpace();
            if (free < minFreeBytes) {
                throw new SpoolException("spool disk nearly full: " + free / (1024 * 1024) + " MB free, queue.minFreeSpace is "
                        + minFreeBytes / (1024 * 1024) + " MB");
            }
            return new Incoming(QueueId.next(clock.instant()));
        } catch (SpoolException e) {
            throw e;
        } catch (IOException e) {
            throw new SpoolException("cannot create a spool file: " + e, e);
        }
    }

    /**
     * A message being received: in memory up to {@value #SPILL_BYTES} bytes, then in {@code incoming/<id>.part}. Not
     * thread-safe: one connection writes it.
     */
    public final class Incoming implements AutoCloseable, Segment.Body {
        private final QueueId id;
        private final CRC32C crc = new CRC32C();
        private byte[] buffer = new byte[4096];
        private int buffered;
        private long length;
        private Path spillFile;
        private FileChannel spill;
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (!done && buffered < buffer.length) {
                    crc.update(b);
                    length++;
                    buffer[buffered++] = (byte) b;
                    return;
                }
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Incoming.this.write(b, off, len);
            }
        };
        private boolean done;

        private Incoming(QueueId id) {
            this.id = id;
        }

        public QueueId id() {
            return id;
        }

        public OutputStream out() {
            return out;
        }

        private void write(byte[] b, int off, int len) throws IOException {
            if (done) throw new IOException(id + " is already committed or aborted");
            Objects.checkFromIndexSize(off, len, b.length);
            crc.update(b, off, len);
            length += len;
            if (spill == null && buffered + len > SPILL_BYTES) {
                spillFile = incoming.resolve(id + ".part");
                spill = PrivateFiles.open(spillFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
                buffer = Arrays.copyOf(buffer, SPILL_BYTES);
            }
            if (spill != null && buffered + len > buffer.length) {
                flushToSpill();
                if (len >= buffer.length) {
                    writeFully(spill, ByteBuffer.wrap(b, off, len));
                    return;
                }
            }
            if (buffered + len > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(SPILL_BYTES, Math.max(buffer.length * 2, buffered + len)));
            }
            System.arraycopy(b, off, buffer, buffered, len);
            buffered += len;
        }

        private void flushToSpill() throws IOException {
            writeFully(spill, ByteBuffer.wrap(buffer, 0, buffered));
            buffered = 0;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public int crc() {
            return (int) crc.getValue();
        }

        @Override
        public void writeTo(FileChannel to, long position) throws IOException {
            if (spill == null) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, buffered);
                while (b.hasRemaining()) position += to.write(b, position);
                return;
            }
            long from = 0;
            while (from < length) {
                long n = spill.transferTo(from, length - from, to.position(position + from));
                if (n <= 0) throw new IOException("spill file of " + id + " is shorter than the message");
                from += n;
            }
        }

        /**
         * Makes the message durable with this envelope; after it returns the message may be acknowledged. Waits for the
         * commit thread, which syncs this message at once when nothing else is being synced, else with everything that
         * arrived during the sync in flight.
         */
        public Envelope commit(Envelope envelope) throws SpoolException {
            if (!envelope.id().equals(id)) throw new IllegalArgumentException("envelope is for " + envelope.id());
            if (done) throw new IllegalStateException(id + " is already committed or aborted");
            try {
                if (spill != null) flushToSpill();
                byte[] env = EnvelopeFormat.write(envelope);
                awaitDurable(appends.submit(new Append(id, env, this)));
                done = true;
                if (spill == null) hold(id, buffered == buffer.length ? buffer : Arrays.copyOf(buffer, buffered));
                closeSpill();
                return envelope;
            } catch (IOException | RuntimeException e) {
                abort();
                throw new SpoolException("cannot commit " + id + " to the spool: " + e, e);
            }
        }

        /** Forgets the message (rejected, client went away). Safe to call twice. */
        public void abort() {
            if (done) return;
            done = true;
            buffer = null;
            closeSpill();
        }

        private void closeSpill() {
            buffer = null;
            if (spill == null) return;
            try {
                spill.close();
            } catch (IOException ignored) {
                // deleting is what matters
            }
            try {
                Files.deleteIfExists(spillFile);
            } catch (IOException e) {
                log.warn("{}: cannot remove spill file {}: {}", id, spillFile, e.toString());
            }
            spill = null;
        }

        @Override
        public void close() {
            abort();
        }
    }

    /** Keeps a committed message in memory for its delivery, if there is room (see {@link #held}). */
    private void hold(QueueId id, byte[] message) {
        if (heldBytes.addAndGet(message.length) > HELD_BYTES) {
            heldBytes.addAndGet(-message.length);
            return;
        }
        held.put(id, message);
    }

    private void unhold(QueueId id) {
        byte[] m = held.remove(id);
        if (m != null) heldBytes.addAndGet(-m.length);
    }

    /** For tests: whether the message would be delivered from memory. */
    boolean isHeld(QueueId id) {
        return held.containsKey(id);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** Waits for a group commit; its failure is the caller's (the client hears 451, never 250). */
    private static void awaitDurable(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            throw new IOException(cause);
        } catch (InterruptedException e) {
            // the batch is written or failed whatever we do; the answer must wait for it
            try {
                f.join();
            } catch (CompletionException ce) {
                throw new IOException(ce.getCause());
            } finally {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The commit thread's work: append the batch to the head segment (a new one when it is full or was never
     * started), fdatasync once, and only then index the messages. A batch that fails is cut off the segment again, so a
     * message whose client heard 451 never shows up after a restart.
     */
    private int writeAppends(List<Append> batch) throws IOException {
        int syncs = 0;
        if (head == null || head.size() >= segmentBytes) syncs += roll();
        long start = head.size();
        List<Segment.Location> at = new ArrayList<>(batch.size());
        try {
            for (Append a : batch) at.add(head.append(a.id(), a.envelope(), a.body()));
            beforeSync.accept(batch.size());
            head.force();
            syncs++;
        } catch (IOException | RuntimeException e) {
            try {
                head.truncate(start);
            } catch (IOException again) {
                // the records may survive a crash though their clients heard 451: never append after them, say so
                log.error("spool: cannot cut a failed batch off {} ({}); {} message(s) refused with 451 may reappear after a restart",
                        head, again.toString(), batch.size());
                Segment old = head;
                head = null;
                if (old.seal()) drop(old);
            }
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            head.addLive();
            index.put(batch.get(i).id(), new Location.InSegment(at.get(i)));
        }
        return syncs;
    }

    /** Seals the head segment and starts the next; the new files are made durable (directory fsync) before use. */
    private int roll() throws IOException {
        Segment next;
        while (true) {
            try {
                next = Segment.create(segments, nextSeq++);
                break;
            } catch (FileAlreadyExistsException e) {
                // another Spool on this directory (tests) took the number
            }
        }
        segmentSync.sync();
        Segment old = head;
        head = next;
        if (old != null && old.seal()) drop(old);
        return 1;
    }

    /**
     * The removal thread's work: one ledger append and fdatasync per segment in the batch; then, the removals being
     * durable, the state files go (not before: a state file records recipients already delivered) and the messages
     * leave the index, which drops a sealed segment once nothing in it is queued.
     */
    private int writeRemovals(List<Removal> batch) throws IOException {
        Map<Segment, List<Removal>> bySegment = new LinkedHashMap<>();
        for (Removal r : batch) bySegment.computeIfAbsent(r.segment(), s -> new ArrayList<>()).add(r);
        for (var e : bySegment.entrySet()) {
            e.getKey().markDone(e.getValue().stream().map(Removal::id).toList());
            for (Removal r : e.getValue()) {
                if (withState.remove(r.id())) Files.deleteIfExists(queue.resolve(r.id() + ".json"));
                if (index.remove(r.id(), r.at()) && r.segment().release()) drop(r.segment());
            }
        }
        return bySegment.size();
    }

    /** Deletes a segment none of whose messages is queued: the segment first, so its ledger outlives it. */
    private void drop(Segment s) {
        s.close();
        try {
            Files.deleteIfExists(s.file);
            segmentSync.sync();
            Files.deleteIfExists(s.ledger);
            log.info("spool: {} dropped, every message in it has left the queue", s);
        } catch (IOException e) {
            log.warn("spool: cannot drop {}: {}", s, e.toString());
        }
    }

    /** Replaces a committed message's envelope atomically. */
    public void update(Envelope envelope) throws SpoolException {
        unhold(envelope.id());
        try {
            writeEnvelope(envelope);
            withState.add(envelope.id());
        } catch (IOException e) {
            throw new SpoolException("cannot update " + envelope.id() + " in the spool: " + e, e);
        }
    }

    /** The message bytes as received. */
    public InputStream openMessage(QueueId id) throws IOException {
        byte[] inMemory = held.get(id);
        if (inMemory != null) return new ByteArrayInputStream(inMemory);
        long offset;
        long length;
        FileChannel ch;
        switch (locate(id)) {
            case null -> throw new NoSuchFileException(id + " is not in the spool");
            case Location.InSegment s -> {
                ch = FileChannel.open(s.at().segment().file, StandardOpenOption.READ);
                offset = s.at().messageOffset();
                length = s.at().messageLength();
            }
            case Location.InFile f -> {
                ch = FileChannel.open(f.file(), StandardOpenOption.READ);
                offset = 0;
                try {
                    length = messageLength(ch);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
            }
        }
        ch.position(offset);
        return new FilterInputStream(Channels.newInputStream(ch)) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) return -1;
                int b = super.read();
                if (b >= 0) left--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) return -1;
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) left -= n;
                return n;
            }
        };
    }

    /**
     * The message's header section as received, up to and including the empty line that ends it, at most
     * {@code maxBytes}: for DSNs and the admin panel.
     */
    public byte[] readHeaderSection(QueueId id, int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(openMessage(id))) {
            int prev3 = -1, prev2 = -1, prev1 = -1, b;
            while (out.size() < maxBytes && (b = in.read()) != -1) {
                out.write(b);
                if (prev3 == '\r' && prev2 == '\n' && prev1 == '\r' && b == '\n') break;
                prev3 = prev2;
                prev2 = prev1;
                prev1 = b;
            }
        }
        return out.toByteArray();
    }

    /** Whether the message is committed and has not left the queue. */
    public boolean holds(QueueId id) {
        return locate(id) != null;
    }

    /** Where the message is; a queue file of an older spool is found even before {@link #recover()} indexed it. */
    private Location locate(QueueId id) {
        Location at = index.get(id);
        if (at != null) return at;
        Path file = queue.resolve(id + ".msg");
        return Files.exists(file) ? new Location.InFile(file) : null;
    }

    /** The message's current envelope: the latest delivery state if one was written, else the one it was accepted with. */
    public Optional<Envelope> read(QueueId id) throws SpoolException {
        Location at = locate(id);
        if (at == null) return Optional.empty();
        try {
            return Optional.of(envelopeOf(at, queue.resolve(id + ".json")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SpoolException("cannot read the envelope of " + id + ": " + e, e);
        }
    }

    private static Envelope envelopeOf(Location at, Path json) throws IOException {
        if (Files.exists(json)) return EnvelopeFormat.read(Files.readAllBytes(json));
        return switch (at) {
            case Location.InSegment s -> EnvelopeFormat.read(Segment.readEnvelope(s.at()));
            case Location.InFile f -> envelopeOfFile(f.file());
        };
    }

    private static Envelope envelopeOfFile(Path msg) throws IOException {
        try (FileChannel ch = FileChannel.open(msg, StandardOpenOption.READ)) {
            long length = messageLength(ch);
            long end = ch.size() - FOOTER_LENGTH;
            ByteBuffer buf = ByteBuffer.allocate((int) (end - length));
            while (buf.hasRemaining() && ch.read(buf, length + buf.position()) > 0) {
                // read the envelope between the message and the footer
            }
            return EnvelopeFormat.read(buf.array());
        }
    }

    /** Queue files of a spool written before segments end with {@code \n} + 16 hex digits of the message length + {@code \n}. */
    static final int FOOTER_LENGTH = 18;

    private static long messageLength(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < FOOTER_LENGTH) throw new IOException("not a queue file (too short)");
        ByteBuffer f = ByteBuffer.allocate(FOOTER_LENGTH);
        while (f.hasRemaining() && ch.read(f, size - FOOTER_LENGTH + f.position()) > 0) {
            // read the footer
        }
        String text = new String(f.array(), StandardCharsets.US_ASCII);
        if (text.charAt(0) != '\n' || text.charAt(FOOTER_LENGTH - 1) != '\n') throw new IOException("not a queue file (no footer)");
        long length;
        try {
            length = Long.parseLong(text.substring(1, FOOTER_LENGTH - 1), 16);
        } catch (NumberFormatException e) {
            throw new IOException("not a queue file (bad footer)");
        }
        if (length < 0 || length > size - FOOTER_LENGTH) throw new IOException("not a queue file (bad length)");
        return length;
    }

    /** Removes a message; it has left the spool for good when this returns. See {@link #remove(QueueId)}. */
    public void delete(QueueId id) throws SpoolException {
        try {
            awaitDurable(remove(id, true));
        } catch (IOException e) {
            throw new SpoolException("cannot remove " + id + " from the spool: " + e, e);
        }
    }

    /**
     * Starts removing a message; the future completes once the removal is durable. In a segment: its id goes to the
     * segment's ledger (group-committed by the removal thread); once that is synced its state file goes, it leaves the
     * index and the segment is deleted once nothing in it is queued. The removal thread gathers such removals for
     * {@link #REMOVAL_LINGER} before it writes them. Until then the message is still in the spool, and
     * a crash brings it back (delivered again: a duplicate of the delivery whose removal was in flight). A queue file
     * of an older spool is removed before this returns: state file, then queue file, then a directory fsync.
     */
    public CompletableFuture<Void> remove(QueueId id) {
        return remove(id, false);
    }

    private CompletableFuture<Void> remove(QueueId id, boolean awaited) {
        unhold(id);
        try {
            Location at = locate(id);
            switch (at) {
                case null -> {
                    withState.remove(id);
                    Files.deleteIfExists(queue.resolve(id + ".json"));
                }
                case Location.InSegment s -> {
                    return removals.submit(new Removal(s, id, awaited));
                }
                case Location.InFile f -> {
                    withState.remove(id);
                    Files.deleteIfExists(queue.resolve(id + ".json"));
                    Files.deleteIfExists(f.file());
                    queueSync.sync();
                    index.remove(id);
                }
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * At start: drops what was never committed (incoming leftovers, temporary files, state files without their
     * message, the torn tail of a segment) and what is finished (no pending recipient), and returns the envelope of
     * every other committed message. A message whose envelope cannot be read is logged and left in place for a human:
     * acknowledged mail is never deleted because we cannot parse it.
     */
    public List<Envelope> recover() throws SpoolException {
        List<Envelope> out = new ArrayList<>();
        Set<String> unreadable = new HashSet<>();
        try {
            try (Stream<Path> s = Files.list(incoming)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                    log.info("spool recovery: removed uncommitted {}", p.getFileName());
                }
            }
            recoverSegments(out, unreadable);
            try (Stream<Path> s = Files.list(queue)) {
                for (Path p : s.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(p);
                    } else if (name.endsWith(".msg")) {
                        recoverFile(p, name.substring(0, name.length() - 4), out);
                    }
                }
            }
            try (Stream<Path> s = Files.list(queue)) {
                for (Path p : s.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (!name.endsWith(".json")) continue;
                    String id = name.substring(0, name.length() - 5);
                    if (unreadable.contains(id) || Files.exists(queue.resolve(id + ".msg"))) continue;
                    boolean queued;
                    try {
                        queued = index.containsKey(new QueueId(id));
                    } catch (IllegalArgumentException e) {
                        queued = false;
                    }
                    if (!queued) {
                        log.warn("spool recovery: state file {} has no message; removing it", id);
                        Files.deleteIfExists(p);
                    }
                }
            }
            fsyncDir(incoming);
            fsyncDir(queue);
            fsyncDir(segments);
        } catch (IOException e) {
            throw new SpoolException("cannot recover the spool: " + e, e);
        }
        return out;
    }

    /** Reads every segment of an earlier run: whole records not in its ledger are queued, the rest is dropped. */
    private void recoverSegments(List<Envelope> out, Set<String> unreadable) throws IOException {
        TreeSet<Long> seqs = new TreeSet<>();
        try (Stream<Path> s = Files.list(segments)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                long seq = Segment.seqOf(name);
                if (seq < 0) {
                    if (name.endsWith(".tmp")) Files.deleteIfExists(p);
                    continue;
                }
                if (seq >= firstSeqOfThisRun) continue;
                if (name.endsWith(Segment.SUFFIX)) {
                    seqs.add(seq);
                } else if (!Files.exists(segments.resolve(Segment.name(seq) + Segment.SUFFIX))) {
                    Files.deleteIfExists(p); // a ledger whose segment was dropped
                }
            }
        }
        for (long seq : seqs) {
            Segment seg = Segment.existing(segments, seq);
            Set<String> removed = Segment.readLedger(seg.ledger);
            List<QueueId> finished = new ArrayList<>();
            long end = seg.scan(removed, new Segment.Visitor() {
                @Override
                public void damaged(QueueId id, Segment.Location at) {
                    // acknowledged (whole records follow it) but unreadable: keep the segment for a human
                    log.error("spool recovery: the message of {} in {} at offset {} does not match its checksum; left in place",
                            id, seg, at.messageOffset());
                    unreadable.add(id.value());
                    seg.addLive();
                }

                @Override
                public void record(QueueId id, byte[] envelope, Segment.Location at) throws IOException {
                    recoverRecord(seg, removed, finished, id, envelope, at, out, unreadable);
                }
            });
            long size = Files.size(seg.file);
            if (end < size && !seg.onlyZerosFrom(end)) {
                log.warn("spool recovery: {}: {} byte(s) after offset {} are not a whole record (a commit cut short by the crash, never"
                        + " acknowledged); ignored", seg, size - end, end);
            }
            if (!finished.isEmpty()) {
                seg.markDone(finished);
                for (QueueId id : finished) {
                    Files.deleteIfExists(queue.resolve(id + ".json"));
                    log.info("spool recovery: {} has no pending recipient; removed", id);
                }
            }
            if (seg.live() == 0) {
                seg.close();
                Files.deleteIfExists(seg.file);
                fsyncDir(segments);
                Files.deleteIfExists(seg.ledger);
                log.info("spool recovery: {} holds no queued message; dropped", seg);
            } else {
                seg.close();
                if (!Files.exists(seg.ledger)) PrivateFiles.createFile(seg.ledger); // made durable with the directory below
                log.info("spool recovery: {}: {} message(s) queued", seg, seg.live());
            }
        }
    }

    private void recoverRecord(Segment seg, Set<String> removed, List<QueueId> finished, QueueId id, byte[] envelope,
            Segment.Location at, List<Envelope> out, Set<String> unreadable) throws IOException {
        if (removed.contains(id.value())) return;
        Path json = queue.resolve(id + ".json");
        boolean hasState = Files.exists(json);
        Envelope e;
        try {
            e = hasState ? EnvelopeFormat.read(Files.readAllBytes(json)) : EnvelopeFormat.read(envelope);
        } catch (IOException ex) {
            // keep the segment for a human: never delete acknowledged mail because we cannot parse it
            log.error("spool recovery: cannot read the envelope of {} in {} ({}); left in place", id, seg, ex.toString());
            unreadable.add(id.value());
            seg.addLive();
            return;
        }
        if (e.isFinished()) {
            finished.add(id); // every recipient was settled; only the removal was cut short
        } else {
            seg.addLive();
            index.put(id, new Location.InSegment(at));
            if (hasState) withState.add(id);
            out.add(e);
        }
    }

    private void recoverFile(Path p, String id, List<Envelope> out) throws IOException {
        try {
            Envelope e = envelopeOf(new Location.InFile(p), queue.resolve(id + ".json"));
            if (e.isFinished()) {
                // every recipient was settled; only the removal was cut short
                Files.deleteIfExists(queue.resolve(id + ".json"));
                Files.deleteIfExists(p);
                log.info("spool recovery: {} has no pending recipient; removed", id);
            } else {
                index.put(e.id(), new Location.InFile(p));
                out.add(e);
            }
        } catch (IOException e) {
            // keep the files for a human: never delete acknowledged mail because we cannot parse it
            log.error("spool recovery: cannot read the envelope of {} ({}); left in place", id, e.toString());
        }
    }

    private void writeEnvelope(Envelope envelope) throws IOException {
        Path tmp = queue.resolve(envelope.id() + ".json.tmp");
        ByteBuffer bytes = ByteBuffer.wrap(EnvelopeFormat.write(envelope));
        try (FileChannel ch = PrivateFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) ch.write(bytes);
            publish(ch, tmp, queue.resolve(envelope.id() + ".json"));
        }
    }

    /**
     * How a state file enters the queue directory: fdatasync it (its data and what is needed to read it back, the
     * size), close it, rename it to its final name (the commit point) and make that directory entry durable.
     */
    private void publish(FileChannel written, Path from, Path to) throws IOException {
        written.force(false);
        written.close();
        rename(from, to);
        queueSync.sync();
    }

    /** Atomic rename; the caller makes the directory entry durable (group commit). */
    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("spool directories must be on one file system (atomic rename): " + e.getMessage(), e);
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** What the spool's syncs did: the accept path (appends), removals, and directory fsyncs. */
    public record CommitStats(long accepted, long acceptSyncs, long[] acceptBatchSizes, long removed, long removalSyncs,
            long directorySyncs) {}

    public CommitStats commitStats() {
        GroupCommit.Stats a = appends.stats();
        GroupCommit.Stats r = removals.stats();
        return new CommitStats(a.jobs(), a.syncs(), a.batchSizes(), r.jobs(), r.syncs(), queueSync.syncs() + segmentSync.syncs());
    }

    /** For tests: how many commits wait for the commit thread (not counting the batch being synced). */
    int commitsWaiting() {
        return appends.waiting();
    }

    /** For tests: runs in the commit thread with the batch's size, after the batch is written and before its sync. */
    void beforeSync(IntConsumer hook) {
        this.beforeSync = hook;
    }

    /** Stops the commit threads; a commit still waiting fails (its client hears 451). */
    @Override
    public void close() {
        appends.close();
        removals.close();
        Segment h = head;
        if (h != null) h.close();
    }
}
