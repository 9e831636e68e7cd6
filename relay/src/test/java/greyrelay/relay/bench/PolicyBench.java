package greyrelay.relay.bench;

import greyrelay.db.Database;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.TestClock;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Policy requests per second and latency (p50/p99) through greyrelay's Postfix policy server, and through postgrey when
 * it is installed ({@code /usr/sbin/postgrey}), with the same request mix: half a known triplet (passed before: the
 * answer is {@code DUNNO}), half a fresh one (greylisted: stored, {@code DEFER_IF_PERMIT}), over many concurrent
 * persistent connections as Postfix's smtpd processes hold them. Not a test: run it with
 * {@code relay/bench.sh policy [h2|postgres|echo|all] [connections] [seconds]} (README, "Performance").
 *
 * <p>greyrelay runs policy-only with the test harness's defaults (SPF, verification, DNS lists off; no whitelist file;
 * the decision log on), auto-whitelisting off on both sides so fresh triplets stay fresh. postgrey runs on a temporary
 * port with its own database directory ({@code --delay=1}, as its clock cannot be moved: the known triplets are
 * passed after a real two-second wait).
 *
 * <p>With PostgreSQL it runs twice: with the defaults (rate-limit buckets shared in the database) and with
 * {@code rateLimits.shared: false}. Each row also gives the CPU time per request of the server and this client
 * together (this JVM's, plus postgrey's process for postgrey), which a loaded machine distorts less than the rate.
 * A greyrelay run ends when its decision-log and greylist writers have written what the requests queued, so a writer
 * that fell behind is paid for in the time and CPU; rows its full queues dropped are counted in the last column.
 */
public final class PolicyBench {
    private PolicyBench() {}

    static final int KNOWN = 1000;
    static final String RCPT = "john@example.com";

    /** {@code cpuUs}: CPU time per request, of the server and this client together (µs; less sensitive to load). */
    /** {@code dropped}: greyrelay's decision-log and greylist rows dropped by full write queues during the run (-1: n/a). */
    record Result(String server, String db, int connections, long requests, double perSecond, double p50us, double p99us,
            double cpuUs, long dropped) {
        @Override
        public String toString() {
            return String.format("| %-10s | %-10s | %11d | %,9d | %,10.0f | %8.0f | %8.0f | %6.0f | %s |", server, db, connections, requests,
                    perSecond, p50us, p99us, cpuUs, dropped < 0 ? "-" : String.format("%,d", dropped));
        }
    }

    /** CPU time of this JVM (client and, for greyrelay, server) plus that of another process (postgrey), in ns. */
    static long cpuNanos(Process other) {
        long own = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        if (other == null) return own;
        try {
            // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux)
            String stat = Files.readString(Path.of("/proc/" + other.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return own + (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return own;
        }
    }

    public static void main(String[] args) throws Exception {
        GreylistBench.quietLogs();
        String which = args.length > 0 ? args[0] : "all";
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.println("# " + Runtime.getRuntime().availableProcessors() + " cores, load average at start: "
                + GreylistBench.loadAverage() + "; mix: 50% known triplets, 50% fresh; " + seconds + " s per run");
        System.out.println("| server     | database   | connections |  requests | requests/s | p50 (µs) | p99 (µs) | CPU µs/request | rows dropped |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        if (which.equals("all") || which.equals("echo")) System.out.println(echo(connections, seconds));
        if (which.equals("echo")) return;
        for (String db : which.equals("all") ? List.of("h2", "postgres") : List.of(which)) {
            System.out.println(greyrelay(db, connections, seconds, ""));
            if (db.equals("postgres")) {
                // the default keeps rate-limit buckets in PostgreSQL (one short transaction per bucket and request);
                // this row shows what that costs
                System.out.println(greyrelay(db, connections, seconds, "rateLimits: {shared: false}\n"));
            }
        }
        if (Files.isExecutable(Path.of("/usr/sbin/postgrey"))) {
            System.out.println(postgrey(connections, seconds));
        } else {
            System.out.println("# postgrey is not installed (apt-get install postgrey): no comparison");
        }
        System.out.println("# load average at end: " + GreylistBench.loadAverage());
        for (Path d : GreylistBench.TEMP_DIRS) GreylistBench.deleteTree(d);
    }

    static Result greyrelay(String db, int connections, int seconds, String extraYaml) throws Exception {
        Path dir = Files.createTempDirectory("policy-bench");
        GreylistBench.TEMP_DIRS.add(dir);
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                Database database = GreylistBench.open(db);
                RelayHarness h = RelayHarness.start(dir, """
                        smtp:
                          enabled: false
                        admin:
                          enabled: false
                        policy:
                          enabled: true
                          port: 0
                          maxConnections: %d
                        spf:
                          enabled: false
                        greylist:
                          autoWhitelistAfter: 0
                          defaultWhitelist: false
                        """.formatted(connections + 16) + extraYaml, new TestClock(), dns, sink, database)) {
            int port = h.relay.policyPort();
            prime(port);
            h.clock.advance(Duration.ofSeconds(301));
            passKnown(port);
            // the run ends when the relay has written what the requests queued (decision log, greylist), so a writer
            // that fell behind is paid for inside the measured time and CPU; rows dropped by a full queue are counted
            Runnable settle = () -> {
                h.relay.decisions().flush();
                h.relay.greylisting().flush();
            };
            java.util.function.LongSupplier dropped = () -> (long) (h.relay.metrics().counter("greyrelay.decisions.dropped").count()
                    + h.relay.metrics().counter("greyrelay.greylist.writes.dropped").count());
            return run("greyrelay", extraYaml.isEmpty() ? db : db + " (rate limits per node)", port, connections, seconds, null,
                    settle, dropped);
        }
    }

    /**
     * The ceiling of this benchmark on this machine: a policy server in this JVM that reads each request and answers
     * {@code DUNNO} without deciding anything (virtual thread per connection, as greyrelay's listener). What it reaches
     * is what the client, loopback TCP and the JVM leave for any server on the same cores.
     */
    static Result echo(int connections, int seconds) throws Exception {
        try (var server = new java.net.ServerSocket(0, 1024, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> echoConnection(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Result r = run("echo", "(none)", server.getLocalPort(), connections, seconds, null, () -> { }, () -> -1);
            acceptor.interrupt();
            return r;
        }
    }

    private static void echoConnection(Socket s) {
        byte[] answer = "action=DUNNO\n\n".getBytes(StandardCharsets.US_ASCII);
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            int c;
            int previous = -1;
            while ((c = in.read()) >= 0) {
                if (c == '\n' && previous == '\n') {
                    out.write(answer);
                    out.flush();
                }
                previous = c;
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    static Result postgrey(int connections, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("postgrey-bench");
        GreylistBench.TEMP_DIRS.add(dir);
        new ProcessBuilder("chown", "postgrey:postgrey", dir.toString()).inheritIO().start().waitFor();
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("/usr/sbin/postgrey", "--inet=127.0.0.1:" + port, "--dbdir=" + dir, "--delay=1",
                "--auto-whitelist-clients=0", "--whitelist-clients=/dev/null", "--whitelist-recipients=/dev/null", "-q")
                .redirectErrorStream(true).redirectOutput(dir.resolve("postgrey.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        throw new IOException("postgrey did not start: " + Files.readString(dir.resolve("postgrey.log")));
                    }
                    Thread.sleep(100);
                }
            }
            prime(port);
            Thread.sleep(2100);
            passKnown(port);
            return run("postgrey", "BerkeleyDB", port, connections, seconds, p, () -> { }, () -> -1);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** Each known triplet is seen once (greylisted). */
    static void prime(int port) throws IOException {
        try (Conn c = new Conn(port)) {
            for (int i = 0; i < KNOWN; i++) c.ask(request(knownClient(i), "known" + i + "@example.org"));
        }
    }

    /** ... and retried after the delay (passed): from now on each is a known triplet. */
    static void passKnown(int port) throws IOException {
        try (Conn c = new Conn(port)) {
            for (int i = 0; i < KNOWN; i++) {
                String a = c.ask(request(knownClient(i), "known" + i + "@example.org"));
                if (a.startsWith("action=DEFER")) throw new IllegalStateException("a known triplet was not passed: " + a);
            }
        }
    }

    static String knownClient(int i) {
        return "10." + (i / 250) + "." + (i % 250) + ".1";
    }

    static byte[] request(String client, String sender) {
        return ("request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\nclient_address=" + client
                + "\nclient_name=unknown\nreverse_client_name=unknown\nhelo_name=mail.example.org\nsender=" + sender
                + "\nrecipient=" + RCPT + "\nrecipient_count=0\nqueue_id=\ninstance=" + Long.toHexString(System.nanoTime())
                + "\nsize=0\nencryption_protocol=\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    static Result run(String server, String db, int port, int connections, int seconds, Process other, Runnable settle,
            java.util.function.LongSupplier dropped) throws Exception {
        // warm-up: a second of the same mix
        measure(port, connections, 1, "w");
        settle.run();
        long dropped0 = dropped.getAsLong();
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos(other);
        long[][] got = measure(port, connections, seconds, "m");
        settle.run();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = cpuNanos(other) - cpu0;
        long total = Arrays.stream(got).mapToLong(a -> a.length).sum();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] a : got) for (long v : a) all[k++] = v;
        Arrays.sort(all);
        long lost = dropped.getAsLong();
        return new Result(server, db, connections, total, total / elapsed, all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3,
                cpu / 1e3 / total, lost < 0 ? -1 : lost - dropped0);
    }

    /** Every connection asks as fast as it is answered until the time is up; returns each request's latency (ns). */
    static long[][] measure(int port, int connections, int seconds, String tag) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[][] out = new long[connections][];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try (Conn c = new Conn(port)) {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        byte[] req = i % 2 == 0
                                ? request(knownClient((id * 7919 + i) % KNOWN), "known" + ((id * 7919 + i) % KNOWN) + "@example.org")
                                : request("172." + (16 + id % 16) + "." + (i / 250 % 250) + "." + (i % 250 + 1),
                                        "fresh-" + tag + letters(id) + "-" + letters(i) + "@example.net");
                        long s = System.nanoTime();
                        c.ask(req);
                        if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                        lat[n++] = System.nanoTime() - s;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                out[id] = Arrays.copyOf(lat, n);
            }));
        }
        for (Thread t : threads) t.join();
        return out;
    }

    /**
     * A number in letters ({@code 0} → {@code a}, {@code 27} → {@code bb}): sender normalisation (greyrelay's and
     * postgrey's) collapses digits, so a sender numbered in digits would be one triplet retried, not a fresh one.
     */
    static String letters(int n) {
        StringBuilder sb = new StringBuilder();
        do {
            sb.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return sb.reverse().toString();
    }

    /** One persistent policy connection. */
    static final class Conn implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;
        final OutputStream out;

        Conn(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** Sends one request, returns the action line. */
        String ask(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            StringBuilder line = new StringBuilder();
            String action = null;
            int c;
            while ((c = in.read()) >= 0) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                if (line.isEmpty()) return action;
                action = line.toString();
                line.setLength(0);
            }
            throw new IOException("the server closed the connection");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
