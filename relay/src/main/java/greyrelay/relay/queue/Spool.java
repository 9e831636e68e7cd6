package greyrelay.relay.queue;

import greyrelay.db.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable spool: {@code <dataDir>/spool/incoming} while a message arrives, {@code <dataDir>/spool/queue} once
 * committed. A queue file {@code <id>.msg} holds the message as received, then the envelope it was accepted with
 * ({@link EnvelopeFormat}), then a fixed 18-byte footer giving the message length — so one fdatasync makes message
 * and envelope durable together. The file is fdatasynced in {@code incoming/}, renamed into {@code queue/}, and the
 * directory is fsynced (one fsync shared by all sessions committing at that moment): the rename is the commit point,
 * and only then may the client hear 250. Later delivery state is written to {@code <id>.json} beside it (write,
 * fdatasync, rename, directory fsync) and wins over the envelope in the file. Both writes take one path
 * ({@code publish}), the one place where durability is decided. A crash at any point leaves either a committed message
 * or an uncommitted leftover in {@code incoming/} that {@link #recover()} removes; it never leaves an acknowledged
 * message behind.
 */
public final class Spool {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    private final Path incoming;
    private final Path queue;
    private final Clock clock;
    private final long minFreeBytes;
    private final DirSync queueSync;

    public Spool(Path spoolDir, Clock clock, long minFreeBytes) throws SpoolException {
        this.incoming = spoolDir.resolve("incoming");
        this.queue = spoolDir.resolve("queue");
        this.clock = clock;
        this.minFreeBytes = minFreeBytes;
        this.queueSync = new DirSync(queue);
        try {
            // dataDir and the spool are private: 0700 directories, 0600 files (PrivateFiles)
            PrivateFiles.directory(incoming);
            PrivateFiles.directory(queue);
        } catch (IOException e) {
            throw new SpoolException("cannot create spool directories under " + spoolDir + ": " + e, e);
        }
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
            return Files.getFileStore(queue).getUsableSpace();
        } catch (IOException e) {
            throw new SpoolException("spool not writable: " + e, e);
        }
    }

    /** Bytes free for the spool on its file system (for {@code greyrelay_spool_free_bytes}); -1 when it cannot be read. */
    public long freeBytes() {
        try {
            return Files.getFileStore(queue).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Starts a new message. Refuses when the disk is nearly full, so the client hears 451 before sending the data. */
    public Incoming begin() throws SpoolException {
        try {
            long free = Files.getFileStore(queue).getUsableSpace();
            if (free < minFreeBytes) {
                throw new SpoolException("spool disk nearly full: " + free / (1024 * 1024) + " MB free, queue.minFreeSpace is "
                        + minFreeBytes / (1024 * 1024) + " MB");
            }
            for (int tries = 0; ; tries++) {
                QueueId id = QueueId.next(clock.instant());
                Path file = incoming.resolve(id + ".msg");
                try {
                    FileChannel ch = PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return new Incoming(id, file, ch);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (tries > 5) throw e;
                }
            }
        } catch (SpoolException e) {
            throw e;
        } catch (IOException e) {
            throw new SpoolException("cannot create a spool file: " + e, e);
        }
    }

    /** A message being received. Not thread-safe: one connection writes it. */
    public final class Incoming implements AutoCloseable {
        private final QueueId id;
        private final Path file;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean done;

        private Incoming(QueueId id, Path file, FileChannel channel) {
            this.id = id;
            this.file = file;
            this.channel = channel;
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        }

        public QueueId id() {
            return id;
        }

        public OutputStream out() {
            return out;
        }

        /** Makes the message durable with this envelope; after it returns the message may be acknowledged. */
        public Envelope commit(Envelope envelope) throws SpoolException {
            if (!envelope.id().equals(id)) throw new IllegalArgumentException("envelope is for " + envelope.id());
            try {
                out.flush();
                long messageLength = channel.size();
                out.write(EnvelopeFormat.write(envelope));
                out.write(footer(messageLength));
                out.flush();
                publish(channel, file, queue.resolve(id + ".msg"));
                done = true;
                return envelope;
            } catch (IOException | RuntimeException e) {
                abort();
                try {
                    Files.deleteIfExists(queue.resolve(id + ".msg"));
                } catch (IOException ignored) {
                    // the directory entry was not synced: the client never heard 250 for it
                }
                throw new SpoolException("cannot commit " + id + " to the spool: " + e, e);
            }
        }

        /** Forgets the message (rejected, client went away). Safe to call twice. */
        public void abort() {
            if (done) return;
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // deleting is what matters
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("{}: cannot remove aborted spool file {}: {}", id, file, e.toString());
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    /** Replaces a committed message's envelope atomically. */
    public void update(Envelope envelope) throws SpoolException {
        try {
            writeEnvelope(envelope);
        } catch (IOException e) {
            throw new SpoolException("cannot update " + envelope.id() + " in the spool: " + e, e);
        }
    }

    /** The message bytes as received (without the envelope that follows them in the queue file). */
    public InputStream openMessage(QueueId id) throws IOException {
        Path file = queue.resolve(id + ".msg");
        long length = messageLength(file);
        InputStream in = Files.newInputStream(file);
        return new java.io.FilterInputStream(in) {
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
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = new java.io.BufferedInputStream(openMessage(id))) {
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

    public Path messageFile(QueueId id) {
        return queue.resolve(id + ".msg");
    }

    /** The message's current envelope: the latest delivery state if one was written, else the one it was accepted with. */
    public Optional<Envelope> read(QueueId id) throws SpoolException {
        Path msg = queue.resolve(id + ".msg");
        if (!Files.exists(msg)) return Optional.empty();
        try {
            return Optional.of(envelopeOf(msg, queue.resolve(id + ".json")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SpoolException("cannot read the envelope of " + id + ": " + e, e);
        }
    }

    private static Envelope envelopeOf(Path msg, Path json) throws IOException {
        if (Files.exists(json)) return EnvelopeFormat.read(Files.readAllBytes(json));
        try (FileChannel ch = FileChannel.open(msg, StandardOpenOption.READ)) {
            long length = messageLength(ch);
            long end = ch.size() - FOOTER_LENGTH;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (end - length));
            while (buf.hasRemaining() && ch.read(buf, length + buf.position()) > 0) {
                // read the envelope between the message and the footer
            }
            return EnvelopeFormat.read(buf.array());
        }
    }

    /** {@code \n} + 16 hex digits of the message length + {@code \n}. */
    static final int FOOTER_LENGTH = 18;

    private static byte[] footer(long messageLength) {
        return String.format("\n%016x\n", messageLength).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static long messageLength(Path msg) throws IOException {
        try (FileChannel ch = FileChannel.open(msg, StandardOpenOption.READ)) {
            return messageLength(ch);
        }
    }

    private static long messageLength(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < FOOTER_LENGTH) throw new IOException("not a queue file (too short)");
        java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(FOOTER_LENGTH);
        while (f.hasRemaining() && ch.read(f, size - FOOTER_LENGTH + f.position()) > 0) {
            // read the footer
        }
        String text = new String(f.array(), java.nio.charset.StandardCharsets.US_ASCII);
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

    /** Removes a message: its state file, then the queue file (the commit), then syncs the directory. */
    public void delete(QueueId id) throws SpoolException {
        try {
            Files.deleteIfExists(queue.resolve(id + ".json"));
            Files.deleteIfExists(queue.resolve(id + ".msg"));
            queueSync.sync();
        } catch (IOException e) {
            throw new SpoolException("cannot remove " + id + " from the spool: " + e, e);
        }
    }

    /**
     * At start: drops what was never committed (incoming leftovers, temporary files, state files without their message)
     * and what is finished (no pending recipient), and returns the envelope of every other committed message. A queue
     * file whose envelope cannot be read is logged and left in place for a human: acknowledged mail is never deleted
     * because we cannot parse it.
     */
    public List<Envelope> recover() throws SpoolException {
        List<Envelope> out = new ArrayList<>();
        try {
            try (Stream<Path> s = Files.list(incoming)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                    log.info("spool recovery: removed uncommitted {}", p.getFileName());
                }
            }
            try (Stream<Path> s = Files.list(queue)) {
                for (Path p : s.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(p);
                    } else if (name.endsWith(".json")) {
                        String id = name.substring(0, name.length() - 5);
                        if (!Files.exists(queue.resolve(id + ".msg"))) {
                            log.warn("spool recovery: state file {} has no message file; removing it", id);
                            Files.deleteIfExists(p);
                        }
                    } else if (name.endsWith(".msg")) {
                        String id = name.substring(0, name.length() - 4);
                        try {
                            Envelope e = envelopeOf(p, queue.resolve(id + ".json"));
                            if (e.isFinished()) {
                                // every recipient was settled; only the removal was cut short
                                Files.deleteIfExists(queue.resolve(id + ".json"));
                                Files.deleteIfExists(p);
                                log.info("spool recovery: {} has no pending recipient; removed", id);
                            } else {
                                out.add(e);
                            }
                        } catch (IOException e) {
                            // keep the files for a human: never delete acknowledged mail because we cannot parse it
                            log.error("spool recovery: cannot read the envelope of {} ({}); left in place", id, e.toString());
                        }
                    }
                }
            }
            fsyncDir(incoming);
            fsyncDir(queue);
        } catch (IOException e) {
            throw new SpoolException("cannot recover the spool: " + e, e);
        }
        return out;
    }

    private void writeEnvelope(Envelope envelope) throws IOException {
        Path tmp = queue.resolve(envelope.id() + ".json.tmp");
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(EnvelopeFormat.write(envelope));
        try (FileChannel ch = PrivateFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) ch.write(bytes);
            publish(ch, tmp, queue.resolve(envelope.id() + ".json"));
        }
    }

    /**
     * The one way a file enters the queue directory: fdatasync it (its data and what is needed to read it back, the
     * size), close it, rename it to its final name (the commit point) and make that directory entry durable. New
     * messages and new delivery states both come through here; a caller may report success only after it returns.
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
}
