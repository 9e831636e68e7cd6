package greyrelay.relay.queue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable spool: {@code <dataDir>/spool/incoming} while a message arrives, {@code <dataDir>/spool/queue} once
 * committed. A message is committed when its {@code <id>.json} envelope exists in {@code queue/}: the message file and
 * the envelope (under a temporary name) are fsynced, the message is renamed into {@code queue/}, then the envelope,
 * and the directory is fsynced (one fsync shared by all sessions committing at that moment) — only then may the client
 * hear 250. Every state change rewrites the envelope the same
 * way. A crash at any point leaves either a committed message or an uncommitted leftover that {@link #recover()}
 * removes; it never leaves an acknowledged message behind.
 */
public final class Spool {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    static final ObjectMapper JSON = mapper();

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
            Files.createDirectories(incoming);
            Files.createDirectories(queue);
        } catch (IOException e) {
            throw new SpoolException("cannot create spool directories under " + spoolDir + ": " + e, e);
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
                    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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
            if (!envelope.id().equals(id.value())) throw new IllegalArgumentException("envelope is for " + envelope.id());
            try {
                out.flush();
                channel.force(false); // fdatasync: the data and what is needed to read it back (size)
                channel.close();
                Path envelopeTmp = writeEnvelopeTmp(envelope);
                rename(file, queue.resolve(id + ".msg"));
                rename(envelopeTmp, queue.resolve(id + ".json")); // the commit point
                queueSync.sync();
                done = true;
                return envelope;
            } catch (IOException | RuntimeException e) {
                abort();
                try {
                    Files.deleteIfExists(queue.resolve(id + ".msg"));
                } catch (IOException ignored) {
                    // recover() removes it: it has no envelope, so it was never committed
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

    public InputStream openMessage(QueueId id) throws IOException {
        return Files.newInputStream(queue.resolve(id + ".msg"));
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

    public Optional<Envelope> read(QueueId id) throws SpoolException {
        Path json = queue.resolve(id + ".json");
        try {
            return Optional.of(JSON.readValue(json.toFile(), Envelope.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SpoolException("cannot read envelope " + json + ": " + e, e);
        }
    }

    /** Removes a message: the envelope first (uncommits), then the data. */
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
     * At start: drops what was never committed (incoming leftovers, message files without envelope, temporary
     * envelopes) and returns every committed envelope.
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
                    } else if (name.endsWith(".msg")) {
                        String id = name.substring(0, name.length() - 4);
                        if (!Files.exists(queue.resolve(id + ".json"))) {
                            Files.deleteIfExists(p);
                            log.info("spool recovery: removed uncommitted message {}", id);
                        }
                    } else if (name.endsWith(".json")) {
                        String id = name.substring(0, name.length() - 5);
                        if (!Files.exists(queue.resolve(id + ".msg"))) {
                            log.error("spool recovery: envelope {} has no message file; removing it", id);
                            Files.deleteIfExists(p);
                            continue;
                        }
                        try {
                            out.add(JSON.readValue(p.toFile(), Envelope.class));
                        } catch (IOException e) {
                            // keep the files for a human: never delete acknowledged mail because we cannot parse it
                            log.error("spool recovery: cannot read envelope {} ({}); left in place", p, e.toString());
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
        rename(writeEnvelopeTmp(envelope), queue.resolve(envelope.id() + ".json"));
        queueSync.sync();
    }

    /** The envelope, written and fsynced under a temporary name in the queue directory. */
    private Path writeEnvelopeTmp(Envelope envelope) throws IOException {
        Path tmp = queue.resolve(envelope.id() + ".json.tmp");
        byte[] bytes = JSON.writeValueAsBytes(envelope);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(false);
        }
        return tmp;
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

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("greyrelay-spool");
        m.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        m.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        // only the record components are the format; unknown fields are ignored so that a spool written by a newer
        // version is still delivered after a downgrade (never refuse acknowledged mail over a format detail)
        return JsonMapper.builder().addModule(m)
                .disable(com.fasterxml.jackson.databind.MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
