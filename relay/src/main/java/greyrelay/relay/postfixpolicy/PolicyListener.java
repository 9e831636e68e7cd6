package greyrelay.relay.postfixpolicy;

import greyrelay.relay.config.PolicyConfig;
import greyrelay.relay.policy.Pipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The policy listener: a plain socket server, one virtual thread per connection, connections kept open for many
 * requests as Postfix expects. At most {@code policy.maxConnections} at once (a connection beyond is closed at
 * once: Postfix retries, then applies its {@code default_action}); a connection silent for
 * {@code policy.idleTimeout} is closed. A malformed request is answered {@code policy.onError} and the connection closed;
 * a check that fails is answered {@code policy.onError} by the pipeline's rule and the connection stays.
 */
public final class PolicyListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PolicyListener.class);

    private static final int DRAIN_MILLIS = 1000;
    private static final long DRAIN_BYTES = 4L << 20;

    private final PolicyConfig config;
    private final Pipeline pipeline;
    private final Actions actions;
    private final Clock clock;
    private final String hostname;
    private final ServerSocket server;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final String prefix = Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase(Locale.ROOT);
    private final AtomicLong counter = new AtomicLong();
    private volatile boolean stopped;
    private Thread acceptor;

    /** @param hostname our host name ({@code smtp.hostname}): the authserv-id of a prepended Authentication-Results */
    public PolicyListener(PolicyConfig config, Pipeline pipeline, Clock clock, String hostname) throws IOException {
        this.config = config;
        this.hostname = hostname;
        this.pipeline = pipeline;
        this.actions = Actions.of(config);
        this.clock = clock;
        this.slots = new Semaphore(config.maxConnections());
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        // an IP literal, validated by PolicyConfig: no DNS lookup
        server.bind(new InetSocketAddress(InetAddress.getByName(config.bind()), config.port()), 512);
    }

    public PolicyListener start() {
        acceptor = Thread.ofPlatform().name("greyrelay-policy-accept").daemon().start(this::acceptLoop);
        log.info("Postfix policy service listening on {}:{}", config.bind(), port());
        return this;
    }

    /** The checks this listener asks, one line per phase (the startup log). */
    public java.util.List<String> describe() {
        return pipeline.describe();
    }

    public int port() {
        return server.getLocalPort();
    }

    public boolean isListening() {
        return !stopped && !server.isClosed();
    }

    public int openConnections() {
        return open.size();
    }

    private void acceptLoop() {
        while (!stopped) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!stopped) log.warn("policy accept failed: {}", e.toString());
                continue;
            }
            if (!slots.tryAcquire()) {
                log.warn("policy connection from {} refused: policy.maxConnections ({}) reached", s.getInetAddress().getHostAddress(),
                        config.maxConnections());
                closeQuietly(s);
                continue;
            }
            open.add(s);
            Thread.ofVirtual().name("policy").start(() -> {
                try {
                    serve(s);
                } finally {
                    open.remove(s);
                    closeQuietly(s);
                    slots.release();
                }
            });
        }
    }

    private void serve(Socket s) {
        String id = prefix + "-" + Long.toString(counter.incrementAndGet(), 36).toUpperCase(Locale.ROOT);
        AtomicLong messages = new AtomicLong();
        PolicyConversation conversation = new PolicyConversation(pipeline, actions, clock,
                () -> id + "." + Long.toString(messages.incrementAndGet(), 36).toUpperCase(Locale.ROOT), hostname);
        MDC.put("session", "P" + id);
        try {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
            s.setTcpNoDelay(true);
            RequestReader reader = new RequestReader(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (!stopped) {
                RequestReader.Read read = reader.next();
                switch (read) {
                    case RequestReader.Read.Closed c -> { return; }
                    case RequestReader.Read.Truncated t -> {
                        log.info("P{}: policy client closed the connection in the middle of a request", id);
                        return;
                    }
                    case RequestReader.Read.Malformed m -> {
                        refuse(s, out, id, m.why());
                        return;
                    }
                    case RequestReader.Read.Request r -> {
                        if (!"smtpd_access_policy".equals(r.attributes().get("request"))) {
                            refuse(s, out, id, "no request=smtpd_access_policy");
                            return;
                        }
                        reply(out, decide(id, conversation, r));
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            log.debug("P{}: policy connection idle for {}, closed", id, config.idleTimeout());
        } catch (IOException e) {
            log.debug("P{}: policy connection ended: {}", id, e.toString());
        } finally {
            MDC.remove("session");
        }
    }

    /**
     * A request we cannot read: answer {@code policy.onError}, then close. What the client still sends is read and
     * dropped for a moment first (bounded), so closing with unread data does not reset the connection before the
     * client has read the answer.
     */
    private void refuse(Socket s, OutputStream out, String id, String why) throws IOException {
        log.warn("P{}: malformed policy request from {}: {}; answered {} and closed", id, s.getInetAddress().getHostAddress(),
                why, config.onError());
        reply(out, config.onError());
        s.shutdownOutput();
        s.setSoTimeout(DRAIN_MILLIS);
        byte[] sink = new byte[8192];
        long left = DRAIN_BYTES;
        var in = s.getInputStream();
        try {
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) left -= n;
        } catch (SocketTimeoutException ignored) {
            // the client had nothing more to say
        }
    }

    private String decide(String id, PolicyConversation conversation, RequestReader.Read.Request r) {
        try {
            return conversation.answer(r.attributes());
        } catch (PolicyConversation.Undecidable e) {
            log.warn("P{}: policy request not decidable: {}; answered {}", id, e.getMessage(), config.onError());
            return config.onError();
        } catch (RuntimeException e) {
            log.error("P{}: policy request failed; answered {}", id, config.onError(), e);
            return config.onError();
        }
    }

    private static void reply(OutputStream out, String action) throws IOException {
        out.write(("action=" + action + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    /** Stops accepting and closes every connection; a request being decided gets no answer (Postfix retries). */
    @Override
    public void close() {
        stopped = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) closeQuietly(s);
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
