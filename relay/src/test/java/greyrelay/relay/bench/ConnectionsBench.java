package greyrelay.relay.bench;

import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection benchmarks (not a test) against the relay as a separate process (the built jar), so its resident memory
 * is its own. Client connections come from many loopback addresses (127.x.y.z binds on Linux without setup), as an MX
 * sees many clients; rate limits are off (they would measure the limiter).
 *
 * <ul>
 *   <li>{@code short [sessions] [parallel] [listenBacklog]}: short sessions (connect, banner, EHLO, QUIT), {@code parallel}
 *       at a time: sessions/s and the p50/p99 of a whole session. {@code listenBacklog} 50 is the library's old default.
 *   <li>{@code idle [connections] [listenBacklog]}: opens that many SMTP connections one after another (each waits for its banner), then
 *       holds them idle: the time to open them, the relay's RSS (from /proc) before and with them, and the cost of one.
 * </ul>
 *
 * <p>Run: {@code relay/bench.sh connections short 20000 100}, {@code relay/bench.sh connections idle 10000} (raise
 * {@code ulimit -n} above the count first). {@code -Dbench.jvm="-Xmx256m ..."} gives the relay's JVM options (default:
 * the parallel collector only, as {@code greyrelay run} without {@code GREYRELAY_JAVA_OPTS}).
 */
public final class ConnectionsBench {
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "short";
        if (System.getProperty("greyrelay.jar") == null && Files.isRegularFile(Path.of("relay/target/greyrelay.jar"))) {
            System.setProperty("greyrelay.jar", "relay/target/greyrelay.jar");
        }
        switch (mode) {
            case "short" -> shortSessions(arg(args, 1, 20_000), arg(args, 2, 100), arg(args, 3, 0));
            case "idle" -> idle(arg(args, 1, 10_000), arg(args, 2, 0));
            default -> throw new IllegalArgumentException("usage: connections short [sessions] [parallel] [listenBacklog] | idle [connections] [listenBacklog]");
        }
    }

    private static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    private static String yaml(Path dir, FakeDnsServer dns, String smtpExtra) {
        return """
                dataDir: %s
                smtp:
                  bind: 127.0.0.1
                  hostname: %s
                  relayDomains: [%s]
                  maxConnections: 30000
                  maxConnectionsPerIp: 30000
                  commandTimeout: 30m
                %s
                downstream:
                  host: 127.0.0.1
                  port: 9
                  tls: none
                dns:
                  servers: ["127.0.0.1:%d"]
                  timeout: 500ms
                  attempts: 1
                admin:
                  bind: 127.0.0.1
                rateLimits:
                  enabled: false
                """.formatted(dir, Examples.RELAY_HOSTNAME, Examples.OUR_DOMAIN, smtpExtra, dns.address().getPort());
    }

    /** {@code -Dbench.jvm}, with the parallel collector in front unless it names one, as {@code greyrelay run} does. */
    private static List<String> jvmArgs() {
        String opts = System.getProperty("bench.jvm", "").strip();
        List<String> args = new ArrayList<>(opts.isEmpty() ? List.of() : Arrays.asList(opts.split("\\s+")));
        if (args.stream().noneMatch(a -> a.startsWith("-XX:+Use") && a.endsWith("GC"))) args.addFirst("-XX:+UseParallelGC");
        return args;
    }

    /** The i-th client address: 127.{@code base}.0.1 and up, one /16 of distinct addresses. */
    private static InetAddress client(int base, int i) throws IOException {
        int n = 1 + i % 65_000;
        return InetAddress.getByAddress(new byte[] {127, (byte) base, (byte) (n >> 8), (byte) n});
    }

    private static void shortSessions(int sessions, int parallel, int backlog) throws Exception {
        Path dir = Files.createTempDirectory("greyrelay-bench-conn");
        String smtpExtra = backlog > 0 ? "  listenBacklog: " + backlog : "";
        try (FakeDnsServer dns = FakeDnsServer.start();
                RelayProcess relay = RelayProcess.start(dir, yaml(dir, dns, smtpExtra), Map.of(), jvmArgs())) {
            int port = relay.smtpPort();
            run(port, 11, Math.min(2_000, sessions), parallel, new ConcurrentLinkedQueue<>(), new AtomicInteger()); // warm-up: JIT, caches
            ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
            AtomicInteger slowConnects = new AtomicInteger();
            long t0 = System.nanoTime();
            int failed = run(port, 10, sessions, parallel, times, slowConnects);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Long> l = new ArrayList<>(times);
            Collections.sort(l);
            long overOneSecond = l.stream().filter(t -> t >= 1_000_000_000L).count();
            System.out.printf("short sessions (connect, banner, EHLO, QUIT) from %d client addresses, %d at a time, listenBacklog %s%n",
                    Math.min(sessions, 65_000), parallel, backlog > 0 ? backlog : "default");
            System.out.printf("sessions: %d in %.1f s = %.0f sessions/s (failed: %d)%n", l.size(), seconds, l.size() / seconds, failed);
            System.out.printf("session time: p50 %.1f ms  p99 %.1f ms  max %.1f ms; %d took 1 s or more, of which %d in connect()"
                    + " (a SYN dropped and sent again a second later)%n", pct(l, 50), pct(l, 99), l.get(l.size() - 1) / 1e6, overOneSecond,
                    slowConnects.get());
            System.out.printf("relay RSS afterwards: %d MiB%n", relay.residentBytes() >> 20);
        }
    }

    /** {@code sessions} short sessions from 127.{@code net}.x.y, {@code parallel} at a time; returns how many failed. */
    private static int run(int port, int net, int sessions, int parallel, ConcurrentLinkedQueue<Long> times, AtomicInteger slowConnects)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            for (int w = 0; w < parallel; w++) {
                pool.execute(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < sessions) {
                        long t = System.nanoTime();
                        try (Socket s = new Socket()) {
                            s.bind(new InetSocketAddress(client(net, i), 0));
                            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
                            if (System.nanoTime() - t >= 1_000_000_000L) slowConnects.incrementAndGet();
                            s.setSoTimeout(30_000);
                            InputStream in = new BufferedInputStream(s.getInputStream());
                            OutputStream out = s.getOutputStream();
                            expect(in, 220);
                            out.write(("EHLO " + Examples.HELO + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            expect(in, 250);
                            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                            expect(in, 221);
                            times.add(System.nanoTime() - t);
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
        }
        return failed.get();
    }

    private static void idle(int count, int backlog) throws Exception {
        Path dir = Files.createTempDirectory("greyrelay-bench-idle");
        List<Socket> held = new ArrayList<>(count);
        String smtpExtra = backlog > 0 ? "  listenBacklog: " + backlog : "";
        try (FakeDnsServer dns = FakeDnsServer.start();
                RelayProcess relay = RelayProcess.start(dir, yaml(dir, dns, smtpExtra), Map.of(), jvmArgs())) {
            int port = relay.smtpPort();
            run(port, 12, 2_000, 50, new ConcurrentLinkedQueue<>(), new AtomicInteger()); // warm-up, then let it settle
            Thread.sleep(5_000);
            long before = relay.residentBytes();
            int threadsBefore = relay.threads();
            long slow = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                Socket s = new Socket();
                s.bind(new InetSocketAddress(client(20, i), 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
                s.setSoTimeout(30_000);
                expect(new BufferedInputStream(s.getInputStream()), 220);
                held.add(s);
                if (System.nanoTime() - t >= 1_000_000_000L) slow++;
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(5_000);
            long with = relay.residentBytes();
            System.out.printf("idle SMTP connections: %d opened one after another (each waits for its banner) in %.1f s"
                    + " (%d took 1 s or more), listenBacklog %s%n", count, openSeconds, slow, backlog > 0 ? backlog : "default");
            System.out.printf("relay RSS: %d MiB before, %d MiB holding them: %.1f KiB per connection; threads %d -> %d%n",
                    before >> 20, with >> 20, (with - before) / 1024.0 / count, threadsBefore, relay.threads());
            System.out.printf("relay JVM options: %s%n", jvmArgs().isEmpty() ? "(none: the JVM's defaults)" : String.join(" ", jvmArgs()));
            jcmd(relay.pid(), "GC.run");
            Thread.sleep(2_000);
            System.out.printf("after a full GC in the relay (jcmd GC.run): RSS %d MiB, Java heap %s%n", relay.residentBytes() >> 20,
                    jcmd(relay.pid(), "GC.heap_info").lines().filter(l -> l.contains("used")).findFirst().orElse("?").strip());
            if (Boolean.getBoolean("bench.histogram")) {
                jcmd(relay.pid(), "GC.class_histogram").lines().limit(28).forEach(System.out::println);
            }
        } finally {
            for (Socket s : held) s.close();
        }
    }

    /** Runs a diagnostic command in the relay's JVM and returns its output. */
    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** Reads one reply (all its lines) and checks its code. */
    private static void expect(InputStream in, int code) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) throw new IOException("closed before a " + code + " reply");
                line.append((char) b);
            }
            if (line.length() < 4 || !line.substring(0, 3).equals(String.valueOf(code))) {
                throw new IOException("expected " + code + ", got " + line.toString().strip());
            }
            if (line.charAt(3) == ' ') return;
        }
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }
}
