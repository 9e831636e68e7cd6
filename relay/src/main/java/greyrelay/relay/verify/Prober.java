package greyrelay.relay.verify;

import greyrelay.db.verify.DomainTrait;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.Durations;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.smtpclient.EhloReply;
import greyrelay.relay.smtpclient.ServerReply;
import greyrelay.relay.smtpclient.SmtpClient;
import greyrelay.relay.smtpclient.SmtpClientException;
import greyrelay.relay.smtpclient.Transcript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The callback probe: asks the sender domain's MX whether an address accepts mail, politely.
 *
 * <p>Per MX address, in {@link MxSelection} order and at most {@code maxAttempts} connections: connect, greeting,
 * {@code EHLO <hostname>} (falling back to {@code HELO}), {@code MAIL FROM:<>} (or the configured sender),
 * {@code RCPT TO:<address>}, then {@code RSET} and {@code QUIT}. Never {@code DATA}, never a hang-up without
 * {@code QUIT} while the peer still talks, one address per transaction. If the MX refuses the null sender (5xx at
 * MAIL) the same connection retries once, after {@code RSET}, with {@code MAIL FROM:<postmaster@hostname>} (Exim's
 * {@code use_postmaster}); refused again, the address is {@link ProbeResult.Unverifiable}. The next MX is tried after
 * a connection failure, a 4xx, a timeout or a broken conversation; a 2xx or 5xx at RCPT decides.
 *
 * <p>Every reply is read by {@link SmtpClient}: bounded lines, a deadline per reply ({@link Plan#limits()}), so a
 * hostile MX (huge lines, no CRLF, slow drip, garbage, early close, silence) ends as a {@link ProbeResult.TempFail}.
 * Only a plain ASCII {@code local@domain} (see {@link Mailbox#isPlain()}) ever reaches the wire. Thread-safe: each
 * call runs its own conversations.
 */
public final class Prober {

    /**
     * @param heloName           our host name ({@code smtp.hostname}), said in EHLO/HELO and used for postmaster@
     * @param mailFrom           the reverse path of the probe: "" for the null sender (the default), or an address
     * @param maxAttempts        connections per probe at most ({@code verification.maxMxAttempts})
     */
    public record Settings(String heloName, String mailFrom, int maxAttempts) {
        public Settings {
            Objects.requireNonNull(heloName, "heloName");
            Objects.requireNonNull(mailFrom, "mailFrom");
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        }

        String postmaster() {
            return "postmaster@" + heloName;
        }
    }

    /**
     * How one probe runs.
     *
     * @param limits              deadlines and line bounds (short inline, RFC-long in the background)
     * @param startWithPostmaster the domain is known to refuse the null sender: ask as postmaster@ at once
     * @param randomCheck         after a 2xx, ask (in a new transaction) for a random local part, to learn whether the
     *                            domain accepts every address
     * @param gate                the per-MX-host and per-address budget
     * @param total               the whole probe's deadline, all commands and MX hosts together
     *                            ({@code verification.timeouts.probeTotal}); null for none beyond {@code limits}
     */
    public record Plan(ClientLimits limits, boolean startWithPostmaster, boolean randomCheck, HostGate gate, Duration total) {
        public Plan {
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(gate, "gate");
            if (total != null && !total.isPositive()) throw new IllegalArgumentException("total must be positive");
        }

        /** Without an overall deadline: each reply has its own ({@code limits}) only. */
        public Plan(ClientLimits limits, boolean startWithPostmaster, boolean randomCheck, HostGate gate) {
            this(limits, startWithPostmaster, randomCheck, gate, null);
        }
    }

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final MxSelection mx;
    private final ProbeRouting routing;
    private final Settings settings;
    private final Random random;

    public Prober(MxSelection mx, ProbeRouting routing, Settings settings, Random random) {
        this.mx = mx;
        this.routing = routing;
        this.settings = settings;
        this.random = random;
    }

    /** Whether this address may be put on the wire at all: a plain dot-atom local part and a host-name domain, ASCII. */
    public static boolean wireSafe(Mailbox address) {
        if (!address.isPlain()) return false;
        String text = address.address();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\') return false;
        }
        String domain = address.domain();
        if (domain.isEmpty() || domain.length() > 253 || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            return false;
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
        }
        return true;
    }

    /** Probes {@code address} at its domain's MX hosts. */
    public ProbeOutcome probe(Mailbox address, Plan plan) {
        long t0 = System.nanoTime();
        Transcript transcript = Transcript.recording();
        if (!wireSafe(address)) {
            transcript.note("not probed: the address is not a plain ASCII local@domain");
            return done(new ProbeResult.Unverifiable("address is not a plain local@domain"), null, transcript, t0,
                    Set.of(), Set.of());
        }
        MxRoute route = mx.select(address.domain());
        return switch (route) {
            case MxRoute.NullMx n -> {
                transcript.note(address.domain() + " publishes a null MX (RFC 7505)");
                yield done(new ProbeResult.NullMx(), null, transcript, t0, Set.of(DomainTrait.NULL_MX), Set.of());
            }
            case MxRoute.NoSuchDomain n -> {
                transcript.note(n.why());
                yield done(new ProbeResult.NoSuchDomain(n.why()), null, transcript, t0, Set.of(), Set.of(DomainTrait.NULL_MX));
            }
            case MxRoute.TempFail t -> {
                transcript.note(t.why());
                yield done(new ProbeResult.TempFail(t.why(), false), null, transcript, t0, Set.of(), Set.of());
            }
            case MxRoute.Targets targets -> probeTargets(address, plan, targets, transcript, t0);
        };
    }

    /**
     * Probes {@code address} at one given host, without DNS and without fallbacks: recipient verification asking our
     * own downstream MTA.
     */
    public ProbeOutcome probeAt(InetSocketAddress where, String host, Mailbox address, ClientLimits limits) {
        long t0 = System.nanoTime();
        Transcript transcript = Transcript.recording();
        if (!wireSafe(address)) {
            transcript.note("not probed: the address is not a plain ASCII local@domain");
            return done(new ProbeResult.Unverifiable("address is not a plain local@domain"), null, transcript, t0,
                    Set.of(), Set.of());
        }
        ProbeTarget target = new ProbeTarget(host, 0, where.getAddress());
        Learned learned = new Learned();
        Attempt a = converse(where, address, new Plan(limits, false, false, HostGate.open()), transcript, learned, NO_DEADLINE);
        ProbeResult result = switch (a) {
            case Attempt.Decided d -> d.result();
            case Attempt.Transient t -> new ProbeResult.Unknown(t.reply(), t.stage() + " answered " + t.reply());
            case Attempt.ConnectFailed c -> new ProbeResult.TempFail(c.why(), c.timedOut());
            case Attempt.Broken b -> new ProbeResult.TempFail(b.why(), b.timedOut());
        };
        return done(result, target, transcript, t0, Set.of(), Set.of());
    }

    private ProbeOutcome probeTargets(Mailbox address, Plan plan, MxRoute.Targets route, Transcript transcript, long t0) {
        Learned learned = new Learned();
        learned.cleared.add(DomainTrait.NULL_MX);
        if (!route.note().isEmpty()) transcript.note(route.note());
        if (route.targets().isEmpty()) {
            String why = !route.refused().isEmpty()
                    ? "every MX address of " + address.domain() + " is a refused target (verification.refusedTargets): "
                            + route.refused().stream().map(greyrelay.db.net.IpNetwork::format).collect(Collectors.joining(", "))
                    : "no MX host of " + address.domain() + " has an address we can probe";
            transcript.note(why);
            return done(new ProbeResult.TempFail(why, false), null, transcript, t0, learned.observed, learned.cleared);
        }
        int attempts = 0;
        int connectFailures = 0;
        int throttled = 0;
        boolean timedOut = false;
        String lastWhy = "";
        Attempt.Transient lastTransient = null;
        ProbeTarget lastTarget = null;
        long until = plan.total() == null ? NO_DEADLINE : t0 + plan.total().toNanos();
        String overdue = null;
        for (ProbeTarget target : route.targets()) {
            if (attempts >= settings.maxAttempts()) {
                transcript.note("giving up after " + attempts + " connection(s) (verification.maxMxAttempts)");
                break;
            }
            if (until != NO_DEADLINE && System.nanoTime() - until >= 0) {
                overdue = "the probe ran out of its overall deadline of " + Durations.format(plan.total())
                        + " (verification.timeouts.probeTotal)";
                transcript.note("giving up: " + overdue);
                break;
            }
            Optional<Permit> permit = plan.gate().tryEnter(target);
            if (permit.isEmpty()) {
                throttled++;
                transcript.note("skipping " + target + ": our budget for this MX host or address is used up");
                continue;
            }
            attempts++;
            lastTarget = target;
            transcript.note("MX " + target + (route.implicit() ? " (implicit MX)" : " preference " + target.preference()));
            Attempt a;
            Permit connection = permit.get();
            try (connection) {
                a = converse(routing.route(target), address, plan, transcript, learned, until);
            }
            switch (a) {
                case Attempt.Decided d -> {
                    learned.cleared.add(DomainTrait.UNREACHABLE);
                    return done(d.result(), target, transcript, t0, learned.observed, learned.cleared);
                }
                case Attempt.Transient t -> {
                    learned.cleared.add(DomainTrait.UNREACHABLE);
                    lastTransient = t;
                }
                case Attempt.ConnectFailed c -> {
                    connectFailures++;
                    timedOut |= c.timedOut();
                    lastWhy = c.why();
                }
                case Attempt.Broken b -> {
                    learned.cleared.add(DomainTrait.UNREACHABLE);
                    timedOut |= b.timedOut();
                    lastWhy = b.why();
                }
            }
        }
        if (lastTransient != null) {
            if (lastTransient.stage().equals("RCPT") || lastTransient.stage().equals("MAIL")) {
                learned.observed.add(DomainTrait.GREYLISTS_PROBES);
            }
            String why = lastTransient.stage() + " answered " + lastTransient.reply();
            return done(new ProbeResult.Unknown(lastTransient.reply(), why), lastTarget, transcript, t0, learned.observed,
                    learned.cleared);
        }
        if (overdue == null && timedOut && until != NO_DEADLINE && System.nanoTime() - until >= 0) {
            overdue = "the probe ran out of its overall deadline of " + Durations.format(plan.total())
                    + " (verification.timeouts.probeTotal)";
            transcript.note("giving up: " + overdue);
        }
        if (overdue != null) {
            return done(new ProbeResult.TempFail(overdue + (lastWhy.isEmpty() ? "" : "; last: " + lastWhy), true), lastTarget,
                    transcript, t0, learned.observed, learned.cleared);
        }
        if (attempts == 0) {
            return done(new ProbeResult.Throttled("budget for every MX host of " + address.domain() + " is used up"),
                    null, transcript, t0, learned.observed, learned.cleared);
        }
        if (connectFailures == attempts) {
            learned.observed.add(DomainTrait.UNREACHABLE);
            return done(new ProbeResult.TempFail("no MX host reachable: " + lastWhy, timedOut), lastTarget, transcript, t0,
                    learned.observed, learned.cleared);
        }
        return done(new ProbeResult.TempFail(lastWhy + (throttled > 0 ? " (" + throttled + " host(s) skipped by budget)" : ""),
                timedOut), lastTarget, transcript, t0, learned.observed, learned.cleared);
    }

    /** One conversation with one MX address. */
    private Attempt converse(InetSocketAddress where, Mailbox address, Plan plan, Transcript transcript, Learned learned,
            long until) {
        SmtpClient client;
        try {
            client = until == NO_DEADLINE ? SmtpClient.connect(where, plan.limits(), transcript)
                    : SmtpClient.connect(where, plan.limits(), transcript, until);
        } catch (SmtpClientException e) {
            boolean connectStage = e.kind() == SmtpClientException.Kind.CONNECT_FAILED
                    || e.kind() == SmtpClientException.Kind.CONNECT_TIMEOUT;
            return connectStage ? new Attempt.ConnectFailed(e.getMessage(), timedOut(e))
                    : new Attempt.Broken(e.getMessage(), timedOut(e));
        }
        try {
            ServerReply greeting = client.greeting();
            if (!greeting.isPositive()) {
                client.quit();
                return new Attempt.Transient(greeting, "greeting");
            }
            EhloReply ehlo = client.ehlo(settings.heloName());
            if (!ehlo.isPositive()) {
                ServerReply helo = client.helo(settings.heloName());
                if (!helo.isPositive()) {
                    client.quit();
                    return new Attempt.Transient(helo, "HELO");
                }
            }
            String from = plan.startWithPostmaster() ? settings.postmaster() : settings.mailFrom();
            ServerReply mail = client.command("MAIL FROM:<" + from + ">");
            if (mail.isPermanent() && !from.equals(settings.postmaster())) {
                if (from.isEmpty()) learned.observed.add(DomainTrait.REFUSES_NULL_SENDER);
                transcript.note("MAIL FROM:<" + from + "> refused; asking once more as " + settings.postmaster());
                client.command("RSET");
                from = settings.postmaster();
                mail = client.command("MAIL FROM:<" + from + ">");
            } else if (mail.isPositive() && from.isEmpty()) {
                learned.cleared.add(DomainTrait.REFUSES_NULL_SENDER);
            }
            if (!mail.isPositive()) {
                client.command("RSET");
                client.quit();
                if (mail.isPermanent()) {
                    return new Attempt.Decided(new ProbeResult.Unverifiable("the MX refuses the null sender and "
                            + settings.postmaster() + ": " + mail));
                }
                return mail.isTransient() ? new Attempt.Transient(mail, "MAIL")
                        : new Attempt.Broken("unexpected reply to MAIL: " + mail, false);
            }
            ServerReply rcpt = client.command("RCPT TO:<" + address.address() + ">");
            Attempt verdict;
            if (rcpt.isPositive()) {
                learned.cleared.add(DomainTrait.GREYLISTS_PROBES);
                verdict = new Attempt.Decided(new ProbeResult.Deliverable(rcpt));
            } else if (rcpt.isPermanent()) {
                learned.cleared.add(DomainTrait.GREYLISTS_PROBES);
                verdict = new Attempt.Decided(new ProbeResult.Undeliverable(rcpt));
            } else if (rcpt.isTransient()) {
                verdict = new Attempt.Transient(rcpt, "RCPT");
            } else {
                verdict = new Attempt.Broken("unexpected reply to RCPT: " + rcpt, false);
            }
            // the verdict stands whatever happens from here on: RSET and QUIT are manners, not evidence
            try {
                client.command("RSET");
                if (plan.randomCheck() && rcpt.isPositive()) {
                    randomCheck(client, from, address.domain(), learned);
                }
            } catch (SmtpClientException e) {
                return verdict;
            }
            client.quit();
            return verdict;
        } catch (SmtpClientException e) {
            return new Attempt.Broken(e.getMessage(), timedOut(e));
        }
    }

    /** A second transaction for a local part nobody has: if the MX says yes, its yes proves nothing. */
    private void randomCheck(SmtpClient client, String from, String domain, Learned learned) throws SmtpClientException {
        ServerReply mail = client.command("MAIL FROM:<" + from + ">");
        if (!mail.isPositive()) {
            client.command("RSET");
            return;
        }
        ServerReply rcpt = client.command("RCPT TO:<" + randomLocalPart() + "@" + domain + ">");
        if (rcpt.isPositive()) {
            learned.observed.add(DomainTrait.ACCEPTS_ANY);
        } else if (rcpt.isPermanent()) {
            learned.cleared.add(DomainTrait.ACCEPTS_ANY);
        }
        client.command("RSET");
    }

    private String randomLocalPart() {
        StringBuilder s = new StringBuilder("gr-");
        synchronized (random) {
            for (int i = 0; i < 16; i++) s.append(Character.forDigit(random.nextInt(36), 36));
        }
        return s.toString();
    }

    private static boolean timedOut(SmtpClientException e) {
        return switch (e.kind()) {
            case CONNECT_TIMEOUT, REPLY_TIMEOUT, SEND_TIMEOUT -> true;
            default -> false;
        };
    }

    private static ProbeOutcome done(ProbeResult result, ProbeTarget target, Transcript transcript, long t0,
            Set<DomainTrait> observed, Set<DomainTrait> cleared) {
        EnumSet<DomainTrait> clearedOnly = cleared.isEmpty() ? EnumSet.noneOf(DomainTrait.class) : EnumSet.copyOf(cleared);
        clearedOnly.removeAll(observed);
        return new ProbeOutcome(result, target, transcript.asText(), Duration.ofNanos(System.nanoTime() - t0), observed,
                clearedOnly);
    }

    /** What one conversation came to. */
    private sealed interface Attempt {
        /** 2xx or 5xx at RCPT, or unverifiable: no other MX is asked. */
        record Decided(ProbeResult result) implements Attempt {}

        /** A 4xx (or a refusing greeting): try the next MX, and remember it. */
        record Transient(ServerReply reply, String stage) implements Attempt {}

        /** Could not connect. */
        record ConnectFailed(String why, boolean timedOut) implements Attempt {}

        /** The conversation broke (timeout, hostile or broken peer). */
        record Broken(String why, boolean timedOut) implements Attempt {}
    }

    private static final class Learned {
        final EnumSet<DomainTrait> observed = EnumSet.noneOf(DomainTrait.class);
        final EnumSet<DomainTrait> cleared = EnumSet.noneOf(DomainTrait.class);
    }
}
