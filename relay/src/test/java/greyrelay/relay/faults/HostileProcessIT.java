package greyrelay.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7, hostile clients at volume: garbage sessions (random bytes, NUL, 8-bit, 100 KB lines, commands out of
 * order, unterminated DATA, PIPELINING abuse) interleaved with good mail. The relay stays up, its heap stays bounded,
 * and every good message is delivered.
 */
@Tag("faults")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostileProcessIT {
    /** Below the relay's -Xmx256m with room: a leak per garbage session would pass it or end in OutOfMemoryError. */
    static final long HEAP_BOUND = 230L * 1024 * 1024;
    static final int KINDS = 8;

    @TempDir
    Path dir;

    @Test
    void garbage_at_volume_leaves_the_relay_up_bounded_and_delivering() throws Exception {
        int sessions = FaultParams.count("hostile.sessions", 300);
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Ledger ledger = new Ledger("hostile");
        AtomicInteger done = new AtomicInteger();
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                RelayProcess relay = FaultRelay.start(dir, FaultRelay.baseYaml(dir, dns, sink).replace("commandTimeout: 30s", "commandTimeout: 5s")
                        // SPF off: DNS is scenario 5's; here a DNS answer late on a busy machine would defer good mail
                        + "spf:\n  enabled: false\n")) {
            SmtpLoad good = SmtpLoad.start(ledger, relay.smtpPort(), 4, "g");
            Thread[] workers = new Thread[16];
            for (int w = 0; w < workers.length; w++) {
                int first = w;
                workers[w] = Thread.ofPlatform().daemon().start(() -> {
                    Random random = new Random(seed + first);
                    for (int i = first; i < sessions; i += workers.length) {
                        garbage(relay.smtpPort(), i % KINDS, random);
                        done.incrementAndGet();
                    }
                });
            }
            double maxHeap = 0;
            for (Thread t : workers) {
                while (t.isAlive()) {
                    maxHeap = Math.max(maxHeap, heap(relay));
                    t.join(500);
                }
            }
            good.close();
            maxHeap = Math.max(maxHeap, heap(relay));
            ledger.awaitDelivered(sink, Duration.ofSeconds(30));
            String line = ledger.line(sink, "garbageSessions=" + done + " maxHeapMB=" + (long) (maxHeap / (1024 * 1024))
                    + " rssMB=" + relay.residentBytes() / (1024 * 1024) + " goodSlowestReplyMs=" + good.slowestReplyMs + " seed=" + seed);

            assertThat(relay.isAlive()).as("scenario hostile: the relay died\n" + line).isTrue();
            assertThat(maxHeap).as("scenario hostile: heap above %d MB\n%s", HEAP_BOUND >> 20, line).isLessThan(HEAP_BOUND);
            assertThat(relay.log()).as("scenario hostile: the relay ran out of memory\n" + line).noneMatch(l -> l.contains("OutOfMemoryError"));
            assertThat(ledger.counts(sink).acknowledged()).as("scenario hostile: good mail acknowledged\n" + line).isPositive();
            assertThat(ledger.lost(sink)).as(ledger.lostMessage(sink) + "\n" + line).isEmpty();
            assertThat(ledger.outcomes().values()).as("scenario hostile: good mail refused\n" + line)
                    .allMatch(r -> r.equals("250") || r.equals(Ledger.NONE));
        }
    }

    private static double heap(RelayProcess relay) {
        try {
            String page = relay.metrics();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$").matcher(page);
            double sum = 0;
            while (m.find()) sum += Double.parseDouble(m.group(1));
            return sum;
        } catch (Exception e) {
            return 0;
        }
    }

    /** One hostile session of the given kind; whatever the relay answers is read and dropped. */
    private static void garbage(int port, int kind, Random random) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] bytes;
            switch (kind) {
                case 0 -> { // random bytes
                    bytes = new byte[4096];
                    random.nextBytes(bytes);
                }
                case 1 -> { // NULs inside commands
                    bytes = "EHLO a\0b.example.org\r\nMAIL FROM:<\0@example.org>\r\n\0\0\0\r\n".getBytes(StandardCharsets.ISO_8859_1);
                }
                case 2 -> { // 8-bit
                    bytes = "EHLO h\u00e9l\u00e8ne.example.org\r\nMAIL FROM:<j\u00fcrgen@\u00e9xample.org>\r\nRCPT TO:<\u00ff\u00fe@example.com>\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                case 3 -> { // a 100 KB line
                    bytes = new byte[100 * 1024 + 2];
                    Arrays.fill(bytes, (byte) 'A');
                    bytes[bytes.length - 2] = '\r';
                    bytes[bytes.length - 1] = '\n';
                }
                case 4 -> // commands out of order
                    bytes = "DATA\r\nRCPT TO:<john@example.com>\r\nMAIL FROM:<a@example.org>\r\nDATA\r\nBDAT 10 LAST\r\nSTARTTLS\r\nAUTH PLAIN AAAA\r\n"
                            .getBytes(StandardCharsets.US_ASCII);
                case 5 -> // unterminated DATA
                    bytes = ("EHLO u.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<john@example.com>\r\nDATA\r\nSubject: never ends\r\n\r\n"
                            + "x".repeat(20000)).getBytes(StandardCharsets.US_ASCII);
                case 6 -> { // PIPELINING abuse: hundreds of commands without reading a reply
                    StringBuilder b = new StringBuilder("EHLO p.example.org\r\nMAIL FROM:<a@example.org>\r\n");
                    for (int i = 0; i < 500; i++) b.append("RCPT TO:<r").append(i).append("@example.com>\r\n");
                    b.append("NOOP\r\n".repeat(500));
                    bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
                }
                default -> { // a flood of empty and bare-LF lines
                    bytes = "\n\r\n\n\r\r\n".repeat(5000).getBytes(StandardCharsets.US_ASCII);
                }
            }
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                return; // cut by the relay: fine
            }
            // drain replies for a moment (until a quarter second passes without one), then leave without QUIT
            s.setSoTimeout(250);
            byte[] sink = new byte[8192];
            long end = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end && in.read(sink) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the relay cut us or timed out: fine for garbage
        }
    }
}
