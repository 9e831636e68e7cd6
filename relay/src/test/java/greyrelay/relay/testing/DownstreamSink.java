package greyrelay.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The downstream MTA in tests (like Wiser): a real SMTP server on loopback that records what it accepts, can refuse
 * chosen recipients (4xx/5xx), refuse at end of data, and go down and come back up on the same port.
 */
public final class DownstreamSink implements AutoCloseable {
    /** One accepted transaction: envelope and the bytes exactly as received (after dot-unstuffing). */
    public record Received(String sender, List<String> recipients, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One transaction as the sink saw it in time: MAIL FROM at {@code startNanos}, the 250 at {@code acceptedNanos} ({@link System#nanoTime()}). */
    public record Timed(long startNanos, long acceptedNanos, Received received) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Timed> timed = new CopyOnWriteArrayList<>();
    private final Map<Object, Long> open = new ConcurrentHashMap<>();
    private volatile java.time.Duration delay = java.time.Duration.ZERO;
    private final Map<String, String> recipientReplies = new ConcurrentHashMap<>();
    private volatile String dataReply;
    private volatile int port;
    private SMTPServer server;
    private javax.net.ssl.SSLContext tls;
    private final List<Boolean> overTls = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    public static DownstreamSink start() {
        DownstreamSink s = new DownstreamSink();
        s.up();
        return s;
    }

    /** A sink that offers STARTTLS with a self-signed certificate. */
    public static DownstreamSink startWithTls() {
        return startWithTls(SelfSignedTls.serverContext());
    }

    /** A sink that offers STARTTLS with the certificate (and chain) of {@code server}. */
    public static DownstreamSink startWithTls(javax.net.ssl.SSLContext server) {
        DownstreamSink s = new DownstreamSink();
        s.tls = server;
        s.up();
        return s;
    }

    /** TCP connections accepted so far (to see whether the relay reuses its downstream connections). */
    public int connections() {
        return connections.get();
    }

    /** For each accepted transaction, whether it came over TLS. */
    public List<Boolean> overTls() {
        return List.copyOf(overTls);
    }

    /** RCPT for {@code address} gets this reply, e.g. "550 5.1.1 User unknown" or "451 4.3.0 try later"; null = accept. */
    public DownstreamSink replyToRecipient(String address, String reply) {
        if (reply == null) recipientReplies.remove(address.toLowerCase()); else recipientReplies.put(address.toLowerCase(), reply);
        return this;
    }

    /** The end of DATA gets this reply instead of 250; null = accept. */
    public DownstreamSink replyToData(String reply) {
        this.dataReply = reply;
        return this;
    }

    /** Each end of DATA waits this long before its reply (a slow downstream); ZERO = at once. */
    public DownstreamSink slow(java.time.Duration delay) {
        this.delay = delay;
        return this;
    }

    /** MAIL FROM start times ({@link System#nanoTime()}) of the transactions open right now. */
    public List<Long> openTransactions() {
        return List.copyOf(open.values());
    }

    /** Every accepted transaction with its times. */
    public List<Timed> timed() {
        return List.copyOf(timed);
    }

    public synchronized void up() {
        if (server != null) return;
        SMTPServer.Builder b = SMTPServer.port(port)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("downstream.example.com")
                .executorService(Executors.newVirtualThreadPerTaskExecutor())
                .insertReceivedHeaders(false)
                .sessionHandler(new org.subethamail.smtp.server.SessionHandler() {
                    @Override
                    public SessionAcceptance accept(org.subethamail.smtp.server.Session session) {
                        connections.incrementAndGet();
                        try {
                            session.getSocket().setTcpNoDelay(true); // replies to pipelined commands go out at once, as an MTA's do
                        } catch (IOException e) {
                            // the session ends at its first read
                        }
                        return SessionAcceptance.success();
                    }

                    @Override
                    public void onSessionEnd(org.subethamail.smtp.server.Session session) {}
                })
                .messageHandlerFactory(ctx -> new MessageHandler() {
                    private String from;
                    private final List<String> to = new ArrayList<>();

                    @Override
                    public void from(String f) {
                        from = f;
                        open.put(this, System.nanoTime());
                    }

                    @Override
                    public void recipient(String r) throws RejectException {
                        String reply = recipientReplies.get(r.toLowerCase());
                        if (reply != null) throw new RejectException(Integer.parseInt(reply.substring(0, 3)), reply.substring(4));
                        to.add(r);
                    }

                    @Override
                    public String data(InputStream data) throws IOException, RejectException {
                        byte[] bytes = data.readAllBytes();
                        if (!delay.isZero()) {
                            try {
                                Thread.sleep(delay);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        String reply = dataReply;
                        if (reply != null) throw new RejectException(Integer.parseInt(reply.substring(0, 3)), reply.substring(4));
                        Received r = new Received(from, List.copyOf(to), bytes);
                        received.add(r);
                        Long started = open.get(this);
                        timed.add(new Timed(started == null ? System.nanoTime() : started, System.nanoTime(), r));
                        overTls.add(((org.subethamail.smtp.server.Session) ctx).isTLSStarted());
                        return "2.0.0 Ok: stored";
                    }

                    @Override
                    public void done() {
                        open.remove(this);
                    }
                });
        if (tls != null) b.enableTLS(true).startTlsSocketFactory(tls);
        server = b.build();
        server.getCommandHandler().addCommand(new PipeliningEhlo());
        server.start();
        port = server.getPortAllocated();
    }

    /**
     * EHLO that announces PIPELINING, as the MTAs behind a relay do (Postfix, Exim, Exchange); the library's own leaves it
     * out although its reader takes pipelined commands. Clients that pipeline then do so here too.
     */
    private static final class PipeliningEhlo extends org.subethamail.smtp.internal.server.BaseCommand {
        PipeliningEhlo() {
            super("EHLO", "Introduce yourself.", "<hostname>");
        }

        @Override
        public void execute(String commandString, org.subethamail.smtp.server.Session sess) throws IOException {
            String[] args = getArgs(commandString);
            if (args.length != 2) {
                sess.sendResponse("501 Syntax: EHLO hostname");
                return;
            }
            sess.resetMailTransaction();
            sess.setHelo(args[1]);
            boolean startTls = sess.getServer().getEnableTLS() && !sess.isTLSStarted();
            sess.sendResponse("250-" + sess.getServer().getHostName() + "\r\n250-8BITMIME\r\n250-PIPELINING\r\n"
                    + (startTls ? "250-STARTTLS\r\n" : "") + "250 SMTPUTF8");
        }
    }

    /** Stops listening (connections are refused) until {@link #up()}; the port is kept. */
    public synchronized void down() {
        if (server == null) return;
        server.stop();
        server = null;
    }

    public int port() {
        return port;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> receivedFor(String recipient) {
        return received.stream().filter(r -> r.recipients().contains(recipient)).toList();
    }

    @Override
    public void close() {
        down();
    }
}
