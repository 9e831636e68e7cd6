package greyrelay.relay.queue;

import greyrelay.relay.config.ConfigException;
import greyrelay.relay.config.DownstreamConfig;
import greyrelay.relay.config.HostPort;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.smtpclient.ClientTls;
import greyrelay.relay.smtpclient.EhloReply;
import greyrelay.relay.smtpclient.ServerReply;
import greyrelay.relay.smtpclient.SmtpClient;
import greyrelay.relay.smtpclient.SmtpClientException;
import greyrelay.relay.smtpclient.Transcript;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands queued mail to the downstream MTA: one SMTP conversation per route (recipients whose domain
 * {@code downstream.routes} sends elsewhere are delivered there separately), STARTTLS when offered, each recipient's
 * result kept apart. A conversation is kept open for {@code downstream.connectionCacheTime} after a transaction and
 * reused (after an RSET) by the next delivery to the same route, as Postfix's connection cache does. STARTTLS follows
 * {@code downstream.tls} (Postfix's {@code smtp_tls_security_level}): {@code may} and {@code encrypt} do not check the
 * certificate, {@code verify} checks its chain ({@code downstream.tlsCaFile} or the JDK's trust store) and its name
 * ({@code downstream.tlsName}); a level that requires TLS keeps the mail queued rather than send it in plain text.
 */
public final class DownstreamDelivery {
    private static final Logger log = LoggerFactory.getLogger(DownstreamDelivery.class);

    /** Where one group of recipients goes. */
    public record Route(String host, int port) {
        @Override
        public String toString() {
            return new HostPort(host, port).toString();
        }
    }

    private final DownstreamConfig config;
    private final String heloName;
    private final Spool spool;
    private final ClientLimits limits;
    private final SSLSocketFactory tlsFactory;
    private final long cacheTimeNanos;
    private final java.util.concurrent.ConcurrentHashMap<Route, java.util.concurrent.ConcurrentLinkedDeque<Conversation>> parked =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final int MAX_TRANSACTIONS_PER_CONNECTION = 100;
    private static final int MAX_PARKED_PER_ROUTE = 32;

    public DownstreamDelivery(DownstreamConfig config, String heloName, Spool spool) {
        this.config = config;
        this.heloName = heloName;
        this.spool = spool;
        this.limits = ClientLimits.defaults().withConnectTimeout(config.connectTimeout()).withReplyTimeout(config.replyTimeout());
        this.tlsFactory = tlsFactory(config);
        this.cacheTimeNanos = config.connectionCacheTime().toNanos();
    }

    public Route routeFor(String recipient) {
        String domain = recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        for (var e : config.routes().entrySet()) {
            String key = e.getKey();
            boolean match = key.startsWith(".") ? domain.endsWith(key) : domain.equals(key);
            if (match) {
                HostPort hp = HostPort.parse("downstream.routes", e.getValue(), 25);
                return new Route(hp.host(), hp.port());
            }
        }
        return new Route(config.host(), config.port());
    }

    /** Delivers the pending recipients of {@code env}; returns a result for each of them, by address. */
    public Map<String, DeliveryResult> deliver(Envelope env) {
        Map<Route, List<String>> groups = new LinkedHashMap<>();
        for (RecipientState r : env.pending()) groups.computeIfAbsent(routeFor(r.address()), k -> new ArrayList<>()).add(r.address());
        Map<String, DeliveryResult> out = new LinkedHashMap<>();
        for (var g : groups.entrySet()) out.putAll(deliver(env, g.getKey(), g.getValue()));
        return out;
    }

    /** An open, greeted (and maybe encrypted) conversation with a downstream host, between transactions. */
    private record Conversation(SmtpClient client, boolean esmtp, EhloReply ehlo, long idleSinceNanos, int transactions) {}

    /** Opening a conversation either works or gives the result for every recipient. */
    private sealed interface Opening {
        record Open(Conversation conversation) implements Opening {}

        record Failed(DeliveryResult result) implements Opening {}
    }

    private Map<String, DeliveryResult> deliver(Envelope env, Route route, List<String> recipients) {
        Map<String, DeliveryResult> results = new LinkedHashMap<>();
        Conversation conv = reuse(route);
        if (conv == null) {
            switch (open(route)) {
                case Opening.Failed f -> {
                    return all(recipients, f.result());
                }
                case Opening.Open o -> conv = o.conversation();
            }
        }
        SmtpClient c = conv.client();
        try {
            String mail = "MAIL FROM:" + env.sender().bracketed()
                    + (conv.esmtp() && conv.ehlo().supports("SIZE") ? " SIZE=" + env.arrival().size() : "");
            ServerReply m = c.command(mail);
            if (!m.isPositive()) {
                c.quit();
                DeliveryResult r = m.isPermanent() ? new DeliveryResult.Bounced(m.toString())
                        : new DeliveryResult.Deferred("MAIL FROM refused: " + m);
                return all(recipients, r);
            }
            List<String> accepted = new ArrayList<>();
            for (String rcpt : recipients) {
                ServerReply r = c.command("RCPT TO:<" + rcpt + ">");
                if (r.isPositive()) {
                    accepted.add(rcpt);
                } else if (r.isPermanent()) {
                    results.put(rcpt, new DeliveryResult.Bounced(r.toString()));
                } else {
                    results.put(rcpt, new DeliveryResult.Deferred("RCPT refused: " + r));
                }
            }
            if (accepted.isEmpty()) {
                c.command("RSET");
                park(route, conv);
                return results;
            }
            ServerReply end;
            try (InputStream msg = messageWithTrace(env)) {
                end = c.data(msg);
            }
            DeliveryResult r = end.isPositive() ? new DeliveryResult.Delivered(end.toString())
                    : end.isPermanent() ? new DeliveryResult.Bounced(end.toString())
                    : new DeliveryResult.Deferred("DATA refused: " + end);
            for (String rcpt : accepted) results.put(rcpt, r);
            park(route, conv);
            return results;
        } catch (SmtpClientException e) {
            log.info("{}: delivery to {} failed: {}", env.id(), route, e.getMessage());
            for (String rcpt : recipients) results.putIfAbsent(rcpt, new DeliveryResult.Deferred(e.getMessage()));
            return results;
        } catch (IOException e) {
            c.close();
            for (String rcpt : recipients) results.putIfAbsent(rcpt, new DeliveryResult.Deferred("local error: " + e.getMessage()));
            return results;
        }
    }

    /** The last attempt to open a conversation downstream: when, whether it worked, and the error when it did not. */
    public record Contact(java.time.Instant at, boolean reached, String error) {}

    private final java.util.concurrent.atomic.AtomicReference<Contact> lastReached = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicReference<Contact> lastFailed = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile java.time.Clock contactClock = java.time.Clock.systemUTC();

    /** The clock that stamps {@link #lastReached()} and {@link #lastFailed()} (the relay's). */
    public void contactClock(java.time.Clock clock) {
        this.contactClock = clock;
    }

    /** The last time a downstream host greeted us (for readiness); empty before the first delivery. */
    public java.util.Optional<Contact> lastReached() {
        return java.util.Optional.ofNullable(lastReached.get());
    }

    /** The last failure to open a conversation downstream; empty when none happened. */
    public java.util.Optional<Contact> lastFailed() {
        return java.util.Optional.ofNullable(lastFailed.get());
    }

    private Opening open(Route route) {
        Opening o = connect(route);
        switch (o) {
            case Opening.Open x -> lastReached.set(new Contact(contactClock.instant(), true, null));
            case Opening.Failed f -> lastFailed.set(new Contact(contactClock.instant(), false,
                    f.result() instanceof DeliveryResult.Deferred d ? d.reason() : f.result().toString()));
        }
        return o;
    }

    private Opening connect(Route route) {
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(route.host()), route.port());
        } catch (UnknownHostException e) {
            return new Opening.Failed(new DeliveryResult.Deferred("cannot resolve downstream host " + route.host()));
        }
        SmtpClient c = null;
        try {
            c = SmtpClient.connect(address, limits, Transcript.none());
            ServerReply greeting = c.greeting();
            if (!greeting.isPositive()) {
                c.quit();
                return new Opening.Failed(new DeliveryResult.Deferred("downstream " + route + " greeted with " + greeting));
            }
            EhloReply ehlo = c.ehlo(heloName);
            boolean esmtp = ehlo.isPositive();
            if (!esmtp) {
                ServerReply helo = c.helo(heloName);
                if (!helo.isPositive()) {
                    c.quit();
                    return new Opening.Failed(new DeliveryResult.Deferred("downstream " + route + " refused HELO: " + helo));
                }
            }
            if (config.tls().tries()) {
                if (esmtp && ehlo.supports("STARTTLS")) {
                    boolean verify = config.tls() == DownstreamConfig.TlsPolicy.VERIFY;
                    ServerReply st = c.startTls(tlsFactory, config.tlsNameFor(route.host()), verify);
                    if (c.isTls()) {
                        ehlo = c.ehlo(heloName);
                    } else if (config.tls().required()) {
                        c.quit();
                        return new Opening.Failed(new DeliveryResult.Deferred("downstream " + route + " refused STARTTLS: " + st));
                    }
                } else if (config.tls().required()) {
                    c.quit();
                    return new Opening.Failed(new DeliveryResult.Deferred("downstream " + route + " does not offer STARTTLS (downstream.tls: "
                            + config.tls().name().toLowerCase(Locale.ROOT) + ")"));
                }
            }
            return new Opening.Open(new Conversation(c, esmtp, ehlo, System.nanoTime(), 0));
        } catch (SmtpClientException e) {
            if (c != null) c.close();
            return new Opening.Failed(new DeliveryResult.Deferred(e.getMessage()));
        }
    }

    /**
     * A conversation parked by an earlier delivery to this route, still fresh, that answers RSET (Postfix's connection
     * cache: saves the connect, greeting, EHLO and TLS handshake per message). Null when there is none.
     */
    private Conversation reuse(Route route) {
        var queue = parked.get(route);
        if (queue == null) return null;
        Conversation conv;
        while ((conv = queue.pollFirst()) != null) {
            if (System.nanoTime() - conv.idleSinceNanos() > cacheTimeNanos) {
                conv.client().quit();
                continue;
            }
            try {
                if (conv.client().command("RSET").isPositive()) return conv;
                conv.client().quit();
            } catch (SmtpClientException e) {
                // the downstream closed it in the meantime: open a new one
            }
        }
        return null;
    }

    private void park(Route route, Conversation conv) {
        int transactions = conv.transactions() + 1;
        if (cacheTimeNanos == 0 || transactions >= MAX_TRANSACTIONS_PER_CONNECTION || closed) {
            conv.client().quit();
            return;
        }
        var queue = parked.computeIfAbsent(route, k -> new java.util.concurrent.ConcurrentLinkedDeque<>());
        if (queue.size() >= MAX_PARKED_PER_ROUTE) {
            conv.client().quit();
            return;
        }
        queue.addFirst(new Conversation(conv.client(), conv.esmtp(), conv.ehlo(), System.nanoTime(), transactions));
    }

    /** Says QUIT to parked conversations idle for longer than {@code downstream.connectionCacheTime}. */
    public void closeIdle() {
        long now = System.nanoTime();
        for (var queue : parked.values()) {
            for (Conversation conv : queue) {
                if (now - conv.idleSinceNanos() > cacheTimeNanos && queue.remove(conv)) conv.client().quit();
            }
        }
    }

    /** Says QUIT to every parked conversation; later deliveries close theirs at once. */
    public void close() {
        closed = true;
        for (var queue : parked.values()) {
            Conversation conv;
            while ((conv = queue.pollFirst()) != null) conv.client().quit();
        }
    }

    /** Our trace headers on top, then the message exactly as it was received. */
    InputStream messageWithTrace(Envelope env) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String h : env.arrival().traceHeaders()) sb.append(h).append("\r\n");
        InputStream head = new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8));
        return new SequenceInputStream(head, spool.openMessage(env.id()));
    }

    private static Map<String, DeliveryResult> all(List<String> recipients, DeliveryResult r) {
        Map<String, DeliveryResult> m = new LinkedHashMap<>();
        for (String rcpt : recipients) m.put(rcpt, r);
        return m;
    }

    /** {@code verify}: the configured authorities or the JDK's; the other levels do not check certificates. */
    private static SSLSocketFactory tlsFactory(DownstreamConfig config) {
        if (config.tls() != DownstreamConfig.TlsPolicy.VERIFY) return ClientTls.unverified();
        try {
            return ClientTls.verified(config.tlsCaFile().isEmpty() ? Optional.empty() : Optional.of(Path.of(config.tlsCaFile())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("downstream.tlsCaFile: " + e.getMessage());
        }
    }
}
