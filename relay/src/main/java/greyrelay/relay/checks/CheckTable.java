package greyrelay.relay.checks;

import static greyrelay.relay.config.Mode.ENFORCE;

import greyrelay.relay.access.ConnectionLimitCheck;
import greyrelay.relay.access.DeclaredSizeCheck;
import greyrelay.relay.access.HeaderSizeCheck;
import greyrelay.relay.access.MailLoopCheck;
import greyrelay.relay.access.MessageSizeCheck;
import greyrelay.relay.access.RelayDomainCheck;
import greyrelay.relay.access.RelayDomains;
import greyrelay.relay.access.RoleRecipientCheck;
import greyrelay.relay.access.SenderSyntaxCheck;
import greyrelay.relay.config.DnsblConfig;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.config.HygieneConfig;
import greyrelay.relay.config.Mode;
import greyrelay.relay.config.RateLimitsConfig;
import greyrelay.relay.config.RecipientVerificationConfig;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.config.SpfConfig;
import greyrelay.relay.config.VerificationConfig;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dnsbl.DnsListCheck;
import greyrelay.relay.dnsbl.DnsListLookup;
import greyrelay.relay.dnsbl.DnsblRejectCheck;
import greyrelay.relay.greylist.Greylisting;
import greyrelay.relay.hygiene.HeloCheck;
import greyrelay.relay.hygiene.HeloPolicy;
import greyrelay.relay.hygiene.LocalAddresses;
import greyrelay.relay.hygiene.PregreetCheck;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.DecisionRecorder;
import greyrelay.relay.policy.OpenConnections;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.PolicyRequest.Connect;
import greyrelay.relay.policy.PolicyRequest.Data;
import greyrelay.relay.policy.PolicyRequest.Mail;
import greyrelay.relay.policy.PolicyRequest.Rcpt;
import greyrelay.relay.ratelimit.RateLimits;
import greyrelay.relay.spf.SpfCheck;
import greyrelay.relay.verify.Verification;
import greyrelay.relay.whitelist.Whitelisting;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of each phase, in the order they run: the one place that order is written down (docs/checks.md explains
 * each check). Read it top to bottom like Postfix's {@code smtpd_recipient_restrictions} or Haraka's
 * {@code config/plugins}: each row names a check, says when it is in the pipeline and in which mode it answers, and
 * how it is built. A row that is off is not in the pipeline at all, so {@link Pipeline#describe()} (the startup log,
 * the settings page, {@code /api/settings}) shows what really runs.
 *
 * <p>The first verdict that is not "continue" answers; a check in observe mode records its would-be answer and the
 * request goes on. Whitelists run before the checks whose exemptions they grant.
 *
 * <p>Knows no listener: a request that arrives over another protocol goes through the same table, and a dry run can
 * build it too. The feature objects (greylisting, whitelists, verification, rate limits) are built by the caller,
 * which also runs their schedules and hands them to the admin panel.
 */
public final class CheckTable {
    private static final Logger log = LoggerFactory.getLogger(CheckTable.class);
    private static final boolean ALWAYS = true;

    /** The features that own checks and state beyond them (schedules, caches, the admin panel's edits). */
    public record Features(Whitelisting whitelisting, Greylisting greylisting, Verification verification,
            RateLimits rateLimits) {
        /**
         * The same features on the same state, read only, for a dry run: each answers from its store without writing
         * to it (whitelists only ever read), and counts into {@code metrics}. With {@code probe}, verification probes
         * what its cache does not know.
         */
        Features dryRun(boolean probe, MeterRegistry metrics) {
            return new Features(whitelisting, greylisting.dryRun(metrics), verification.dryRun(probe, metrics),
                    rateLimits.dryRun(metrics));
        }
    }

    /** One row: the check's name, whether it runs, the mode it answers in, and how it is built. */
    private record Row<R extends PolicyRequest>(String name, boolean enabled, Mode mode, Supplier<? extends Check<R>> check) {}

    private static <R extends PolicyRequest> Row<R> row(String name, boolean enabled, Mode mode,
            Supplier<? extends Check<R>> check) {
        return new Row<>(name, enabled, mode, check);
    }

    private final Features features;
    private final RelayConfig config;
    private final Clock clock;
    private final Dns dns;
    private final MeterRegistry metrics;
    private final OpenConnections connections;
    private final RelayDomains domains;
    private final Whitelisting whitelisting;
    private final Greylisting greylisting;
    private final Verification verification;
    private final RateLimits rateLimits;
    private final DnsListLookup dnsLists;
    private final String hostname;

    /**
     * @param connections this node's open connections, as the listener counts them
     * @param domains     the domains we relay for ({@code smtp.relayDomains})
     */
    public CheckTable(RelayConfig config, Clock clock, Dns dns, MeterRegistry metrics, OpenConnections connections,
            RelayDomains domains, Features features) {
        this.config = config;
        this.clock = clock;
        this.dns = dns;
        this.metrics = metrics;
        this.connections = connections;
        this.domains = domains;
        this.features = features;
        this.whitelisting = features.whitelisting();
        this.greylisting = features.greylisting();
        this.verification = features.verification();
        this.rateLimits = features.rateLimits();
        this.dnsLists = new DnsListLookup(dns, config.dnsbl().timeout(), metrics);
        this.hostname = config.smtp().hostname();
    }

    /** Connect: before the banner; a refusal closes the connection. */
    private List<Row<Connect>> connect() {
        RateLimitsConfig rl = config.rateLimits();
        HygieneConfig hy = config.hygiene();
        DnsblConfig bl = config.dnsbl();
        return List.of(
                //  check                       runs when                     mode        built by
                row("connection-limit",         ALWAYS,                       ENFORCE,    this::connectionLimitCheck),
                row("client-whitelist",         ALWAYS,                       ENFORCE,    whitelisting::clientWhitelistCheck),
                row("network-connection-limit", rl.enabled(),                 rl.mode(),  this::networkConnectionLimitCheck),
                row("connection-rate",          rl.enabled(),                 rl.mode(),  this::connectionRateCheck),
                row("pregreet",                 pregreet(),                   hy.mode(),  this::pregreetCheck),
                row("dnsbl",                    anyRejectList(),              bl.mode(),  this::dnsblRejectCheck));
    }

    /** MAIL FROM. */
    private List<Row<Mail>> mail() {
        return List.of(
                //  check                       runs when                     mode        built by
                row("sender-syntax",            ALWAYS,                       ENFORCE,    SenderSyntaxCheck::new),
                row("declared-size",            ALWAYS,                       ENFORCE,    this::declaredSizeCheck));
    }

    /** RCPT TO, once per recipient. */
    private List<Row<Rcpt>> rcpt() {
        GreylistConfig gl = config.greylist();
        HygieneConfig hy = config.hygiene();
        DnsblConfig bl = config.dnsbl();
        RateLimitsConfig rl = config.rateLimits();
        RecipientVerificationConfig rv = config.recipientVerification();
        SpfConfig spf = config.spf();
        VerificationConfig v = config.verification();
        return List.of(
                //  check                       runs when                     mode        built by
                row("relay-domain",             ALWAYS,                       ENFORCE,    () -> new RelayDomainCheck(domains)),
                // before role-recipient, whose accept ends the phase: postmaster@ and abuse@ count and are limited too
                row("rate-limit",               rl.enabled(),                 rl.mode(),  rateLimits::rateLimitCheck),
                row("role-recipient",           ALWAYS,                       ENFORCE,    RoleRecipientCheck::new),
                row("spamtrap",                 spamtraps(),                  gl.mode(),  greylisting::spamtrapCheck),
                row("trapped-client",           gl.enabled(),                 gl.mode(),  greylisting::trappedClientCheck),
                row("whitelist",                ALWAYS,                       ENFORCE,    whitelisting::whitelistCheck),
                row("dns-lists",                dnsLists(),                   bl.mode(),  this::dnsListCheck),
                row("helo",                     heloChecks(),                 hy.mode(),  this::heloCheck),
                row("recipient-verification",   rv.enabled(),                 rv.mode(),  verification::recipientCheck),
                row("spf",                      spf.enabled(),                spf.mode(), this::spfCheck),
                row("sender-domain",            senderDomain(),               v.mode(),   verification::senderDomainCheck),
                row("greylist",                 gl.enabled(),                 gl.mode(),  greylisting::greylistCheck),
                row("sender-verification",      v.enabled(),                  v.mode(),   verification::senderCheck));
    }

    /** End of DATA: the whole message has been read into the spool's temporary file. */
    private List<Row<Data>> data() {
        GreylistConfig gl = config.greylist();
        return List.of(
                //  check                       runs when                     mode        built by
                row("header-size",              ALWAYS,                       ENFORCE,    HeaderSizeCheck::new),
                row("message-size",             ALWAYS,                       ENFORCE,    MessageSizeCheck::new),
                row("mail-loop",                ALWAYS,                       ENFORCE,    this::mailLoopCheck),
                row("null-sender-spamtrap",     spamtraps(),                  gl.mode(),  greylisting::nullSenderSpamtrapCheck),
                row("null-sender-greylist",     gl.enabled(),                 gl.mode(),  greylisting::nullSenderGreylistCheck));
    }

    // When a row runs, where that takes more than one setting.

    private boolean pregreet() {
        return !config.hygiene().greetingDelay().isZero();
    }

    private boolean anyRejectList() {
        return config.dnsbl().entries().stream().anyMatch(l -> l.action() == DnsblConfig.Action.REJECT);
    }

    private boolean spamtraps() {
        return config.greylist().enabled() && !config.greylist().spamtraps().isEmpty();
    }

    private boolean dnsLists() {
        return !config.dnsbl().entries().isEmpty();
    }

    private boolean heloChecks() {
        HygieneConfig hy = config.hygiene();
        return hy.rejectInvalidHelo() || hy.rejectNonFqdnHelo() || hy.rejectOurHelo();
    }

    private boolean senderDomain() {
        return config.verification().enabled() && config.verification().checkSenderDomain();
    }

    // How a check is built, where that would not fit in its row.

    private ConnectionLimitCheck connectionLimitCheck() {
        return new ConnectionLimitCheck(connections, config.smtp().maxConnections(), config.smtp().maxConnectionsPerIp(), hostname);
    }

    private Check<Connect> networkConnectionLimitCheck() {
        return rateLimits.networkConnectionLimitCheck(connections, hostname);
    }

    private Check<Connect> connectionRateCheck() {
        return rateLimits.connectionRateCheck(hostname);
    }

    private PregreetCheck pregreetCheck() {
        return new PregreetCheck(config.hygiene().greetingDelay(), metrics);
    }

    private DnsblRejectCheck dnsblRejectCheck() {
        return new DnsblRejectCheck(dnsLists, config.dnsbl().entries());
    }

    private DeclaredSizeCheck declaredSizeCheck() {
        return new DeclaredSizeCheck(config.smtp().maxMessageSize().bytes());
    }

    private MailLoopCheck mailLoopCheck() {
        return new MailLoopCheck(config.smtp().maxHops());
    }

    private DnsListCheck dnsListCheck() {
        return new DnsListCheck(dnsLists, config.dnsbl().entries());
    }

    private HeloCheck heloCheck() {
        HygieneConfig hy = config.hygiene();
        return new HeloCheck(new HeloPolicy(hostname, LocalAddresses.ofThisHost(hy.ourAddresses())), hy);
    }

    private SpfCheck spfCheck() {
        return SpfCheck.create(config.spf(), dns, clock, hostname, metrics);
    }

    /**
     * The rows a Postfix policy request skips: Postfix is the MX then and does these itself (its own connection
     * limits and {@code anvil}, {@code reject_unauth_destination} and its recipient maps, the message size and hop
     * count), or they need our SMTP connection (the pre-greeting test) or the message (header size).
     */
    public static final java.util.Set<String> POSTFIX_DOES = java.util.Set.of("connection-limit", "network-connection-limit",
            "connection-rate", "pregreet", "relay-domain", "recipient-verification", "header-size", "message-size", "mail-loop");

    /**
     * This table for a dry run of {@code client}'s mail ({@link DryRun}): the same rows on read-only features, the
     * connection counts as if the client had connected, and a meter registry of its own that nobody scrapes.
     */
    CheckTable dryRun(java.net.InetAddress client, boolean probe) {
        MeterRegistry none = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        return new CheckTable(config, clock, dns, none, connections.withOneMore(client), domains, features.dryRun(probe, none));
    }

    /** Where a bare {@code RCPT TO:<postmaster>} goes, as the SMTP listener resolves it. */
    String postmasterDomain() {
        return domains.postmasterDomain(hostname);
    }

    /** The checks whose rows are on, in table order, telling {@code trace} every verdict and recording nothing. */
    Pipeline tracingPipeline(Pipeline.Trace trace) {
        return Pipeline.tracing(steps(connect(), false), steps(mail(), false), steps(rcpt(), false), steps(data(), false), trace, metrics);
    }

    /** Builds the checks whose rows are on, in table order. */
    public Pipeline pipeline(DecisionRecorder recorder) {
        RateLimitsConfig rl = config.rateLimits();
        DnsblConfig bl = config.dnsbl();
        log.info("rate limits: {}, buckets {}; DNS lists: {}", rl.enabled() ? "on" : "off", rateLimits.buckets(),
                bl.entries().isEmpty() ? "none" : bl.lists());
        return new Pipeline(steps(connect(), false), steps(mail(), false), steps(rcpt(), false), steps(data(), false), recorder, metrics);
    }

    /** The same table for requests over Postfix's policy protocol: every row but {@link #POSTFIX_DOES}. */
    public Pipeline policyPipeline(DecisionRecorder recorder) {
        return new Pipeline(steps(connect(), true), steps(mail(), true), steps(rcpt(), true), steps(data(), true), recorder, metrics);
    }

    private static <R extends PolicyRequest> List<Pipeline.Step<R>> steps(List<Row<R>> rows, boolean policy) {
        List<Pipeline.Step<R>> steps = new ArrayList<>();
        for (Row<R> row : rows) {
            if (!row.enabled()) continue;
            if (policy && POSTFIX_DOES.contains(row.name())) continue;
            Check<R> check = row.check().get();
            if (!check.name().equals(row.name())) {
                throw new IllegalStateException("check table row " + row.name() + " built the check " + check.name());
            }
            steps.add(new Pipeline.Step<>(check, row.mode()));
        }
        return steps;
    }
}
