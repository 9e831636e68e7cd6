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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands queued mail to the downstream MTA: one SMTP transaction per message and route (recipients whose domain
 * {@code downstream.routes} sends elsewhere are delivered there separately), STARTTLS when offered, each recipient's
 * result kept apart. Deliveries run in parallel (the queue's workers), with at most {@code downstream.maxConnections}
 * conversations open per route; a conversation is kept open for {@code downstream.connectionCacheTime} after a
 * transaction and reused (after an RSET) by the next delivery to the same route, as Postfix's connection cache does. STARTTLS follows
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
    private final int maxConnections;
    private final ConcurrentHashMap<Route, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final int MAX_TRANSACTIONS_PER_CONNECTION = 100;

    public DownstreamDelivery(DownstreamConfig config, String heloName, Spool spool) {
        this.config = config;
        this.heloName = heloName;
        this.spool = spool;
        this.limits = ClientLimits.defaults().withConnectTimeout(config.connectTimeout()).withReplyTimeout(config.replyTimeout());
        this.tlsFactory = tlsFactory(config);
        this.cacheTimeNanos = config.connectionCacheTime().toNanos();
        this.maxConnections = config.maxConnections();
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
    private record Conversation(SmtpClient client, boolean esmtp, EhloReply ehlo, long idleSinceNanos, int transactions) {
        /** RFC 2920: the commands of a transaction may go out together. */
        boolean pipelining() {
            return esmtp && ehlo.supports("PIPELINING");
        }
    }

    /** Opening a conversation either works or gives the result for every recipient. */
    private sealed interface Opening {
        record Open(Conversation conversation) implements Opening {}

        record Failed(DeliveryResult result) implements Opening {}
    }

    /**
     * One message's recipients for one route, in one transaction, on a conversation of that route's {@link Lane}. A
     * conversation that failed (dropped, timed out, {@code 421}) is closed, not given back: only this message's
     * recipients are affected, and each of them has a result; messages the same conversation carried before are done.
     */
    private Map<String, DeliveryResult> deliver(Envelope env, Route route, List<String> recipients) {
        Lane lane = lanes.computeIfAbsent(route, Lane::new);
        // a kept conversation the downstream has closed meanwhile fails at its RSET, before anything of this message was
        // said: the next one is taken (at most every kept one, then a new one, which has no RSET)
        for (int tries = 0; ; tries++) {
            Conversation conv;
            switch (lane.take()) {
                case Opening.Failed f -> {
                    return all(recipients, f.result());
                }
                case Opening.Open o -> conv = o.conversation();
            }
            switch (transaction(lane, conv, env, recipients, tries <= maxConnections)) {
                case Attempt.Done d -> {
                    return d.results();
                }
                case Attempt.Stale s -> log.debug("{}: kept conversation with {} closed meanwhile ({}); taking another", env.id(), route, s.why());
            }
        }
    }

    /** A transaction either gave a result for each recipient, or found its kept conversation dead before it began. */
    private sealed interface Attempt {
        record Done(Map<String, DeliveryResult> results) implements Attempt {}

        record Stale(String why) implements Attempt {}
    }

    /**
     * MAIL, RCPT… and DATA: in one write when the downstream offers PIPELINING (with the RSET of a kept conversation in
     * front), one by one otherwise (the RSET was then sent by {@link Lane#take}).
     */
    private Attempt transaction(Lane lane, Conversation conv, Envelope env, List<String> recipients, boolean mayRetry) {
        Map<String, DeliveryResult> results = new LinkedHashMap<>();
        SmtpClient c = conv.client();
        boolean pipelined = conv.pipelining();
        boolean rset = pipelined && conv.transactions() > 0;
        boolean reusable = false;
        boolean begun = !rset;
        try {
            List<String> lines = new ArrayList<>(recipients.size() + 3);
            if (rset) lines.add("RSET");
            lines.add("MAIL FROM:" + env.sender().bracketed()
                    + (conv.esmtp() && conv.ehlo().supports("SIZE") ? " SIZE=" + env.arrival().size() : ""));
            for (String rcpt : recipients) lines.add("RCPT TO:<" + rcpt + ">");
            lines.add("DATA");
            SmtpClient.Batch batch = c.batch(lines, pipelined);
            if (rset) {
                ServerReply r = batch.next();
                if (!r.isPositive() && mayRetry) return new Attempt.Stale("RSET answered " + r);
                begun = true;
            }
            ServerReply m = batch.next();
            if (!m.isPositive()) {
                DeliveryResult r = m.isPermanent() ? new DeliveryResult.Bounced(m.toString())
                        : new DeliveryResult.Deferred("MAIL FROM refused: " + m);
                reusable = m.code() != 421 && endUnused(c, batch);
                return new Attempt.Done(all(recipients, r));
            }
            List<String> accepted = new ArrayList<>();
            for (String rcpt : recipients) {
                ServerReply r = batch.next();
                if (r.isPositive()) {
                    accepted.add(rcpt);
                } else if (r.isPermanent()) {
                    results.put(rcpt, new DeliveryResult.Bounced(r.toString()));
                } else {
                    results.put(rcpt, new DeliveryResult.Deferred("RCPT refused: " + r));
                }
                if (r.code() == 421) {
                    // the downstream is closing the conversation: the recipients not refused yet wait for the next attempt
                    for (String other : recipients) results.putIfAbsent(other, new DeliveryResult.Deferred("downstream closing: " + r));
                    return new Attempt.Done(results);
                }
            }
            if (accepted.isEmpty()) {
                reusable = endUnused(c, batch); // the next message's RSET ends this transaction
                return new Attempt.Done(results);
            }
            ServerReply d = batch.next();
            ServerReply end;
            if (d.code() == 354) {
                try (InputStream msg = messageWithTrace(env)) {
                    end = c.message(msg);
                }
            } else {
                end = d;
            }
            DeliveryResult r = end.isPositive() ? new DeliveryResult.Delivered(end.toString())
                    : end.isPermanent() ? new DeliveryResult.Bounced(end.toString())
                    : new DeliveryResult.Deferred("DATA refused: " + end);
            for (String rcpt : accepted) results.put(rcpt, r);
            reusable = end.code() != 421;
            return new Attempt.Done(results);
        } catch (SmtpClientException e) {
            if (!begun && mayRetry) return new Attempt.Stale(e.getMessage());
            log.info("{}: delivery to {} failed: {}", env.id(), lane.route, e.getMessage());
            for (String rcpt : recipients) results.putIfAbsent(rcpt, new DeliveryResult.Deferred(e.getMessage()));
            return new Attempt.Done(results);
        } catch (IOException e) {
            for (String rcpt : recipients) results.putIfAbsent(rcpt, new DeliveryResult.Deferred("local error: " + e.getMessage()));
            return new Attempt.Done(results);
        } finally {
            if (reusable) lane.giveBack(conv);
            else lane.discard(conv);
        }
    }

    /**
     * A transaction that will carry no message: the replies still owed for pipelined commands are read, and a DATA the
     * downstream answered with 354 anyway is ended at once with an empty body (RFC 2920 §3.1). Whether the conversation
     * is in step and may carry the next message.
     */
    private static boolean endUnused(SmtpClient c, SmtpClient.Batch batch) throws SmtpClientException {
        Optional<ServerReply> last = batch.drain();
        if (last.isPresent() && last.get().code() == 354) return c.message(InputStream.nullInputStream()).code() != 421;
        return last.map(r -> r.code() != 421).orElse(true);
    }

    /** How many downstream conversations are carrying a transaction now, and the most at once since the start. */
    public record Concurrency(int delivering, int peak) {}

    private final java.util.concurrent.atomic.AtomicInteger delivering = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger peakDelivering = new java.util.concurrent.atomic.AtomicInteger();

    public Concurrency concurrency() {
        return new Concurrency(delivering.get(), peakDelivering.get());
    }

    /**
     * The conversations of one route: at most {@code downstream.maxConnections} open (delivering, idle or being opened).
     * A delivery takes the most recently used idle one (it answered RSET), or opens one while fewer than the maximum are
     * open, or waits for one to come back: so the messages of a busy route go one after another over the same few
     * conversations, RSET between them, as Postfix's connection cache does.
     */
    private final class Lane {
        private final Route route;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition returned = lock.newCondition();
        private final ArrayDeque<Conversation> idle = new ArrayDeque<>();
        private int open;

        Lane(Route route) {
            this.route = route;
        }

        Opening take() {
            while (true) {
                Conversation conv;
                lock.lock();
                try {
                    while (idle.isEmpty() && open >= maxConnections) returned.awaitUninterruptibly();
                    conv = idle.pollFirst();
                    if (conv == null) open++;
                } finally {
                    lock.unlock();
                }
                if (conv == null) {
                    Opening o = open(route);
                    if (o instanceof Opening.Open) started();
                    else closed();
                    return o;
                }
                if (usable(conv)) {
                    started();
                    return new Opening.Open(conv);
                }
                conv.client().quit(); // returns at once when the downstream has closed it
                closed();
            }
        }

        /**
         * Still fresh, and answers RSET (the downstream may have closed it in the meantime). With PIPELINING the RSET goes
         * out with the next transaction's commands instead, and a dead conversation shows there.
         */
        private boolean usable(Conversation conv) {
            if (System.nanoTime() - conv.idleSinceNanos() > cacheTimeNanos) return false;
            if (conv.pipelining()) return true;
            try {
                return conv.client().command("RSET").isPositive();
            } catch (SmtpClientException e) {
                return false;
            }
        }

        /** After a transaction that left the conversation in order: kept for the next message, or QUIT. */
        void giveBack(Conversation conv) {
            delivering.decrementAndGet();
            int transactions = conv.transactions() + 1;
            if (cacheTimeNanos == 0 || transactions >= MAX_TRANSACTIONS_PER_CONNECTION || closed) {
                conv.client().quit();
                closed();
                return;
            }
            lock.lock();
            try {
                idle.addFirst(new Conversation(conv.client(), conv.esmtp(), conv.ehlo(), System.nanoTime(), transactions));
                returned.signal();
            } finally {
                lock.unlock();
            }
        }

        /** After a failure: the conversation is of no further use. */
        void discard(Conversation conv) {
            delivering.decrementAndGet();
            conv.client().quit();
            closed();
        }

        private void started() {
            int now = delivering.incrementAndGet();
            peakDelivering.accumulateAndGet(now, Math::max);
        }

        private void closed() {
            lock.lock();
            try {
                open--;
                returned.signal();
            } finally {
                lock.unlock();
            }
        }

        /** QUIT to idle conversations unused for longer than the cache time, or to all of them. */
        void closeIdle(boolean all) {
            List<Conversation> stale = new ArrayList<>();
            long now = System.nanoTime();
            lock.lock();
            try {
                idle.removeIf(conv -> {
                    boolean old = all || now - conv.idleSinceNanos() > cacheTimeNanos;
                    if (old) stale.add(conv);
                    return old;
                });
            } finally {
                lock.unlock();
            }
            for (Conversation conv : stale) {
                conv.client().quit();
                closed();
            }
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

    /** Says QUIT to idle conversations unused for longer than {@code downstream.connectionCacheTime}. */
    public void closeIdle() {
        for (Lane lane : lanes.values()) lane.closeIdle(false);
    }

    /** Says QUIT to every idle conversation; later deliveries close theirs at once. */
    public void close() {
        closed = true;
        for (Lane lane : lanes.values()) lane.closeIdle(true);
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
