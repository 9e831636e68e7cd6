package greyrelay.relay.bench;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.PostfixInstance;
import greyrelay.relay.testing.SmtpConversation;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Postfix reference for {@link ThroughputBench} (not a test): the same load (N parallel SMTP sessions from one
 * loopback client, 1 KiB messages, into the same kind of in-JVM sink) through a throwaway Debian Postfix
 * ({@link PostfixInstance}: its own configuration, queue and log in a temporary directory, with Postfix's default
 * fsync of every queue file before the {@code 250}). Prints accepted msgs/s, end-to-end msgs/s (messages the sink
 * received over the time until the last arrived) and p50/p99 of end-of-DATA → 250, as ThroughputBench does.
 *
 * <p>Run: {@code relay/bench.sh postfix [sessions] [messagesPerSession] [plain|full]}: {@code plain} is Postfix alone;
 * {@code full} adds postgrey ({@code /usr/sbin/postgrey}, on a free port with its own database directory, 1 s delay,
 * nothing whitelisted, auto-whitelisting off) at RCPT and {@code reject_unverified_sender} (the verify service probes the
 * sender's domain, routed by transport_maps to a second sink standing in as its MX), both in steady state: the triplet
 * already passed and the sender's verdict cached before the measured run. Needs root and {@code /usr/sbin/postfix}.
 * Postfix and postgrey are stopped at the end, on failure and on Ctrl-C too.
 */
public final class PostfixBench {
    static final Path POSTGREY = Path.of("/usr/sbin/postgrey");

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int perSession = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        boolean full = args.length > 2 && args[2].equals("full");
        if (!PostfixInstance.available()) {
            System.out.println("# Postfix cannot run here (needs /usr/sbin/postfix and root): apt-get install postfix");
            return;
        }
        boolean withPostgrey = full && Files.isExecutable(POSTGREY);
        if (full && !withPostgrey) System.out.println("# postgrey is not installed (apt-get install postgrey): full runs without it");
        String body = "From: " + Examples.JANE + "\r\nTo: " + Examples.JOHN + "\r\nSubject: bench\r\n\r\n"
                + ("x".repeat(70) + "\r\n").repeat(13);
        Path dir = Files.createTempDirectory("postfix-bench");
        Path greyDir = Files.createTempDirectory("postgrey-bench");
        Resources resources = new Resources();
        Thread hook = new Thread(resources::close);
        Runtime.getRuntime().addShutdownHook(hook);
        try (DownstreamSink sink = DownstreamSink.start(); DownstreamSink senderMx = DownstreamSink.start()) {
            String restrictions = "";
            if (full) {
                String policy = "";
                if (withPostgrey) {
                    resources.postgrey = resources.startPostgrey(greyDir);
                    policy = ", check_policy_service inet:127.0.0.1:" + resources.postgreyPort;
                }
                restrictions = "smtpd_recipient_restrictions = reject_unauth_destination, reject_unverified_sender" + policy + "\n";
            }
            resources.postfix = PostfixInstance.start(dir, new PostfixInstance.Settings("127.0.0.0/8", List.of(
                    new PostfixInstance.Transport(Examples.OUR_DOMAIN, sink.port()),
                    new PostfixInstance.Transport(Examples.SENDER_DOMAIN, senderMx.port())), restrictions));
            int port = resources.postfix.port();
            if (full) passOnce(port, resources.postfix);

            // warm-up: connection paths, Postfix's process pools and its connection cache to the sink
            ThroughputBench.run(port, Math.min(4, sessions), 50, body, new ConcurrentLinkedQueue<>());
            awaitDelivered(sink, Math.min(4, sessions) * 50L, resources.postfix);
            int before = sink.received().size();

            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            long t0 = System.nanoTime();
            ThroughputBench.run(port, sessions, perSession, body, latencies);
            long accepted = System.nanoTime();
            long total = (long) sessions * perSession;
            awaitDelivered(sink, before + total, resources.postfix);
            long delivered = System.nanoTime();

            List<Long> l = new ArrayList<>(latencies);
            Collections.sort(l);
            System.out.printf("postfix %s: sessions=%d messages=%d size=%dB (sender verification probes: %d)%n",
                    !full ? "plain (Postfix alone)" : withPostgrey ? "full (postgrey, reject_unverified_sender)"
                            : "full (reject_unverified_sender, no postgrey)", sessions, total, body.length(), senderMx.connections());
            System.out.printf("accepted: %.0f msgs/s   end to end (delivered by the sink): %.0f msgs/s%n",
                    total / ((accepted - t0) / 1e9), total / ((delivered - t0) / 1e9));
            System.out.printf("end of DATA -> 250: p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", ThroughputBench.pct(l, 50),
                    ThroughputBench.pct(l, 99), l.getLast() / 1e6);
        } finally {
            resources.close();
            Runtime.getRuntime().removeShutdownHook(hook);
            deleteQuietly(dir);
            deleteQuietly(greyDir);
        }
    }

    /** Postfix and postgrey, stopped once whichever of the end, a failure or Ctrl-C comes first. */
    static final class Resources {
        volatile PostfixInstance postfix;
        volatile Process postgrey;
        int postgreyPort;

        synchronized void close() {
            if (postfix != null) postfix.close();
            Process p = postgrey;
            postgrey = null;
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }

        Process startPostgrey(Path dbdir) throws Exception {
            PostfixInstance.run("chown", "postgrey:postgrey", dbdir.toString());
            postgreyPort = PostfixInstance.freePort();
            Process p = new ProcessBuilder(POSTGREY.toString(), "--inet=127.0.0.1:" + postgreyPort, "--dbdir=" + dbdir, "--delay=1",
                    "--auto-whitelist-clients=0", "--whitelist-clients=/dev/null", "--whitelist-recipients=/dev/null", "-q")
                    .redirectErrorStream(true).redirectOutput(dbdir.resolve("postgrey.log").toFile()).start();
            postgrey = p;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", postgreyPort)) {
                    return p;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        throw new IOException("postgrey did not start: " + Files.readString(dbdir.resolve("postgrey.log")));
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /**
     * Steady state: the first RCPT is deferred (the sender not yet verified, or the triplet greylisted); retried until
     * postgrey's 1 s delay has passed and the sender's verdict is cached, then RCPT gets 250.
     */
    private static void passOnce(int port, PostfixInstance postfix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int deferred = 0;
        while (true) {
            try (SmtpConversation c = SmtpConversation.open(port)) {
                c.expect(220);
                c.ehlo(Examples.HELO);
                c.send("MAIL FROM:<" + Examples.JANE + ">").expect(250);
                SmtpConversation.Reply r = c.send("RCPT TO:<" + Examples.JOHN + ">").read();
                c.send("QUIT").expect(221);
                if (r.code() == 250) break;
                if (r.code() / 100 != 4 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("RCPT: " + r + "\n" + postfix.maillog());
                }
                deferred++;
            }
            Thread.sleep(1100);
        }
        System.out.printf("# steady state reached after %d deferred RCPT attempt(s)%n", deferred);
    }

    private static void awaitDelivered(DownstreamSink sink, long n, PostfixInstance postfix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (sink.received().size() < n) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not delivered in time\n" + postfix.maillog());
            Thread.sleep(2);
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
