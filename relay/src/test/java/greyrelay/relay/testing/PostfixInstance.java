package greyrelay.relay.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway instance of Debian's real Postfix in a directory of its own: its own main.cf and master.cf, queue and
 * data directories and log file, smtpd on a free loopback port, no chroot. It relays {@link Examples#OUR_DOMAIN} (and
 * whatever else {@code transports} names) to loopback ports, so a test points it at a {@link DownstreamSink}.
 * {@link #close()} stops it.
 *
 * <p>Needs {@code /usr/sbin/postfix} and root: Postfix starts as root and drops to the {@code postfix} user.
 */
public final class PostfixInstance implements AutoCloseable {
    public static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    /**
     * What differs between uses of the instance.
     *
     * @param mynetworks   Postfix's {@code mynetworks}
     * @param transports   {@code transport_maps} entries, domain to loopback port: the first is relayed (relay_domains)
     * @param restrictions extra main.cf lines (smtpd_*_restrictions and the like)
     */
    public record Settings(String mynetworks, List<Transport> transports, String restrictions) {}

    /** Mail for {@code domain} goes to {@code [127.0.0.1]:port} (delivery, and address verification probes). */
    public record Transport(String domain, int port) {}

    private final Path config;
    private final int port;
    private boolean running;

    private PostfixInstance(Path config, int port) {
        this.config = config;
        this.port = port;
    }

    /** Whether Postfix can run here: installed, and this JVM runs as root. */
    public static boolean available() {
        return Files.isExecutable(POSTFIX) && "root".equals(System.getProperty("user.name"));
    }

    /** Writes the configuration under {@code dir}/postfix, starts Postfix and waits for its smtpd to listen. */
    public static PostfixInstance start(Path dir, Settings settings) throws Exception {
        Path config = dir.resolve("postfix");
        Files.createDirectories(config.resolve("data"));
        Files.createDirectories(config.resolve("queue"));
        for (Path p : List.of(dir, config)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        run("chown", "postfix", config.resolve("data").toString());
        PostfixInstance postfix = new PostfixInstance(config, freePort());
        Files.writeString(config.resolve("main.cf"), mainCf(config, settings));
        Files.writeString(config.resolve("master.cf"), masterCf(postfix.port));
        run(POSTFIX.toString(), "-c", config.toString(), "check");
        run(POSTFIX.toString(), "-c", config.toString(), "start");
        postfix.running = true;
        try {
            postfix.waitForListener();
        } catch (Exception | AssertionError e) {
            postfix.close();
            throw e;
        }
        return postfix;
    }

    /** smtpd's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The instance's mail log, for assertion messages. */
    public String maillog() {
        try {
            Path log = config.resolve("maillog");
            return Files.exists(log) ? "postfix maillog:\n" + Files.readString(log) : "(no maillog)";
        } catch (IOException e) {
            return "(maillog unreadable: " + e + ")";
        }
    }

    /** Stops Postfix (idempotent); a failure to stop is printed, not thrown. */
    @Override
    public synchronized void close() {
        if (!running) return;
        running = false;
        try {
            run(POSTFIX.toString(), "-c", config.toString(), "stop");
        } catch (Exception | AssertionError e) {
            System.err.println("postfix stop: " + e.getMessage());
        }
    }

    static String mainCf(Path dir, Settings s) {
        StringBuilder transports = new StringBuilder();
        for (Transport t : s.transports()) transports.append(" ").append(t.domain()).append("=smtp:[127.0.0.1]:").append(t.port());
        return """
                compatibility_level = 3.6
                queue_directory = %1$s/queue
                data_directory = %1$s/data
                meta_directory = /etc/postfix
                shlib_directory = /usr/lib/postfix
                daemon_directory = /usr/lib/postfix/sbin
                command_directory = /usr/sbin
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                myhostname = postfix-under-test.example.net
                mydomain = example.net
                myorigin = $mydomain
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = %2$s
                relay_domains = %3$s
                transport_maps = inline:{%4$s }
                smtpd_tls_security_level = none
                smtp_tls_security_level = none
                alias_maps =
                alias_database =
                local_recipient_maps =
                smtputf8_enable = no
                biff = no
                """.formatted(dir, s.mynetworks(), s.transports().getFirst().domain(), transports) + s.restrictions();
    }

    static String masterCf(int smtpdPort) {
        return """
                127.0.0.1:%d inet n - n - - smtpd
                pickup    unix  n - n 60 1 pickup
                cleanup   unix  n - n - 0 cleanup
                qmgr      unix  n - n 300 1 qmgr
                rewrite   unix  - - n - - trivial-rewrite
                bounce    unix  - - n - 0 bounce
                defer     unix  - - n - 0 bounce
                trace     unix  - - n - 0 bounce
                verify    unix  - - n - 1 verify
                flush     unix  n - n 1000? 0 flush
                proxymap  unix  - - n - - proxymap
                smtp      unix  - - n - - smtp
                relay     unix  - - n - - smtp
                showq     unix  n - n - - showq
                error     unix  - - n - - error
                retry     unix  - - n - - error
                discard   unix  - - n - - discard
                anvil     unix  - - n - 1 anvil
                scache    unix  - - n - 1 scache
                postlog   unix-dgram n - n - 1 postlogd
                """.formatted(smtpdPort);
    }

    private void waitForListener() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("Postfix's smtpd did not listen on " + port + "\n" + maillog());
    }

    /** A port free at the moment of asking (for daemons that cannot bind port 0 and tell us). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs a command to completion (60 s at most); a non-zero exit fails with its output. */
    public static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": timed out\n" + out);
        }
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + ": exit " + p.exitValue() + "\n" + out);
    }
}
