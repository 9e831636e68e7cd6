package greyrelay.relay.smtp;

import greyrelay.relay.config.SmtpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * The SMTP listener: SubEthaSMTP on virtual threads, with our connect gate, our EHLO/MAIL/DATA commands and the
 * transaction handler. The only class that builds the library's server.
 */
public final class SmtpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpListener.class);

    private final SMTPServer server;
    private final ConnectGate gate;
    private final Map<Session, Connection> connections = new ConcurrentHashMap<>();
    private final ConnectionCounter counter;
    private final CommandDeadline commandDeadline;
    private volatile boolean stopped;

    public SmtpListener(SmtpConfig config, SmtpServices services, ConnectionCounter counter, Optional<SSLContext> tls) {
        this.counter = counter;
        this.gate = new ConnectGate(connections, services, counter, !config.proxyProtocol());
        services.metrics().sessionsOpen(connections);
        InetAddress bind;
        try {
            bind = InetAddress.getByName(config.bind()); // an IP literal: validated by SmtpConfig, no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("smtp.bind: " + e.getMessage(), e);
        }
        SMTPServer.Builder b = SMTPServer.port(config.port())
                .bindAddress(bind)
                .hostName(config.hostname())
                .softwareName("greyrelay")
                .executorService(Executors.newVirtualThreadPerTaskExecutor())
                .sessionIdFactory(new SessionIds())
                .sessionHandler(gate)
                .messageHandlerFactory(ctx -> {
                    Connection c = connections.get((Session) ctx);
                    return new TransactionHandler(c, services);
                })
                .insertReceivedHeaders(false)
                // our ConnectionLimitCheck answers with the contract's 421 first; the library's own limit is a backstop
                .maxConnections(config.maxConnections() + 10)
                // the library's default of 50 drops connection attempts in a burst; the client's TCP retries after 1 s
                .backlog(config.listenBacklog())
                .connectionTimeout((int) config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecipients(config.maxRecipients())
                .maxMessageSize((int) Math.min(Integer.MAX_VALUE, config.maxMessageSize().bytes()));
        if (tls.isPresent()) b.enableTLS(true).startTlsSocketFactory(tls.get());
        if (config.proxyProtocol()) b.proxyHandler(new TrustedProxies(config.proxyProtocolTrustedNetworks(), config.hostname()));
        this.server = b.build();
        Commands.install(server, connections, config.maxMessageSize().bytes(), services.metrics());
        this.commandDeadline = new CommandDeadline(connections, config.commandTimeout());
    }

    public void start() {
        server.start();
        log.info("SMTP listening on {}", server.getDisplayableLocalSocketAddress());
    }

    public int port() {
        return server.getPortAllocated();
    }

    public boolean isListening() {
        return server.isRunning() && !stopped;
    }

    public int openConnections() {
        return counter.total();
    }

    /**
     * Graceful stop: refuse new connections with 421, give transactions in progress up to {@code grace} to finish,
     * then close everything. Nothing acknowledged is at risk: a message is committed before its 250.
     */
    public void shutdown(Duration grace) {
        if (stopped) return;
        gate.drain();
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && busy()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopped = true;
        commandDeadline.close();
        server.stop();
    }

    private boolean busy() {
        for (Session s : connections.keySet()) if (s.isMailTransactionInProgress()) return true;
        return false;
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
