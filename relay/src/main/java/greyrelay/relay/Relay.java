package greyrelay.relay;

import greyrelay.admin.AdminSettings;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.app.AdminApp;
import greyrelay.admin.auth.ControlToken;
import greyrelay.admin.health.Health;
import greyrelay.db.Database;
import greyrelay.db.DbSettings;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.node.NodeHeartbeats;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.access.RelayDomains;
import greyrelay.relay.admin.AdminWiring;
import greyrelay.relay.admin.ControlUrl;
import greyrelay.relay.admin.MailQueueOperations;
import greyrelay.relay.admin.VerificationPanelOperations;
import greyrelay.relay.checks.CheckTable;
import greyrelay.relay.cluster.Heartbeat;
import greyrelay.relay.config.ConfigDump;
import greyrelay.relay.config.ConfigException;
import greyrelay.relay.config.HostPort;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.config.Reloadable;
import greyrelay.relay.config.StartupAdvice;
import greyrelay.relay.decisions.DecisionLogWriter;
import greyrelay.relay.dns.CachingDns;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.greylist.Greylisting;
import greyrelay.relay.logs.LogSetup;
import greyrelay.relay.metrics.ProcessMeters;
import greyrelay.relay.policy.DecisionRecorder;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.postfixpolicy.PolicyListener;
import greyrelay.relay.queue.DownstreamDelivery;
import greyrelay.relay.queue.MailQueue;
import greyrelay.relay.queue.RetrySchedule;
import greyrelay.relay.queue.Spool;
import greyrelay.relay.ratelimit.RateLimits;
import greyrelay.relay.smtp.AuthenticationResults;
import greyrelay.relay.smtp.ConnectionCounter;
import greyrelay.relay.smtp.SmtpListener;
import greyrelay.relay.smtp.SmtpMetrics;
import greyrelay.relay.smtp.SmtpServices;
import greyrelay.relay.smtp.SwappableSslContext;
import greyrelay.relay.smtp.TlsContexts;
import greyrelay.relay.verify.ProbeRouting;
import greyrelay.relay.verify.Verification;
import greyrelay.relay.whitelist.Whitelisting;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance, wired by hand (no container): config → database → checks → pipeline → SMTP listener, queue and
 * delivery, embedded admin. Tests build it with a fake clock, fake peers on loopback and port 0.
 */
public final class Relay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final RelayConfig config;
    /** The configuration in force: {@link #config} plus what reloads applied. */
    private volatile RelayConfig running;
    /** STARTTLS's context, renewed at each reload; null without smtp.tls. */
    private final SwappableSslContext smtpTls;
    private final Clock clock;
    private final Database database;
    private final boolean ownsDatabase;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DecisionLogWriter decisions;
    private final Dns dns;
    private final Whitelisting whitelisting;
    private final Greylisting greylisting;
    private final Verification verification;
    private final RateLimits rateLimits;
    private final Pipeline pipeline;
    /** {@code greyrelay check}: the same table, read only. */
    private final greyrelay.relay.checks.DryRun dryRun;
    private final Spool spool;
    private final MailQueue queue;
    private final SmtpListener smtp; // null with smtp.enabled: false (a policy-only node)
    private final PolicyListener policy; // null unless policy.enabled
    private final Javalin admin;
    private final DownstreamDelivery delivery;
    /** Stamped by the scheduler every few seconds: liveness sees a wedged scheduler as a stale stamp. */
    private volatile java.time.Instant lastTick;
    private final ProcessMeters processMeters;
    private final Heartbeat heartbeat;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "greyrelay-scheduler");
        t.setDaemon(true);
        return t;
    });

    /** Opens the database named by the configuration. */
    public static Relay create(RelayConfig config, Clock clock) throws Exception {
        Database db = Database.open(settings(config));
        try {
            return new Relay(config, clock, db, true, probeRouting(config));
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    /** With a database the caller owns (tests: TestDatabases). */
    public static Relay create(RelayConfig config, Clock clock, Database database) throws Exception {
        return new Relay(config, clock, database, false, probeRouting(config));
    }

    /** With a database the caller owns and probes routed by the test (scripted MX servers on loopback). */
    public static Relay create(RelayConfig config, Clock clock, Database database, ProbeRouting routing) throws Exception {
        return new Relay(config, clock, database, false, routing);
    }

    private static ProbeRouting probeRouting(RelayConfig config) {
        return ProbeRouting.port(config.verification().probePort());
    }

    public static DbSettings settings(RelayConfig c) {
        return new DbSettings(c.database().url(), c.database().user(), c.database().password(), c.dataPath(), c.database().poolSize());
    }

    private Relay(RelayConfig config, Clock clock, Database database, boolean ownsDatabase, ProbeRouting routing) throws Exception {
        this.config = config;
        this.running = config;
        this.clock = clock;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.processMeters = new ProcessMeters(metrics, database, version());
        String hostname = config.smtp().hostname();

        this.decisions = new DecisionLogWriter(new DecisionLog(database), config.nodeName(), metrics);
        this.dns = new CachingDns(new DnsJavaResolver(dnsServers(config), config.dns().timeout(), config.dns().attempts()), clock,
                Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(1), 100_000);
        this.verification = Verification.create(config, clock, dns, database, metrics, routing);

        ConnectionCounter connections = new ConnectionCounter();
        RelayDomains domains = new RelayDomains(config.smtp().relayDomains());
        long maxSize = config.smtp().maxMessageSize().bytes();
        DecisionRecorder recorder = new DecisionRecorder(clock, metrics, decisions);
        this.rateLimits = RateLimits.create(config.rateLimits(), database, clock, metrics);
        this.whitelisting = Whitelisting.create(config.greylist(), new WhitelistStore(database), dns, clock.instant(), metrics);
        this.greylisting = Greylisting.create(config.greylist(), database, clock, metrics, hostname, version(),
                verification::prefetch); // a first sight starts the sender's probe in the background
        CheckTable checks = new CheckTable(config, clock, dns, metrics, connections, domains,
                new CheckTable.Features(whitelisting, greylisting, verification, rateLimits));
        this.pipeline = checks.pipeline(recorder);
        this.dryRun = new greyrelay.relay.checks.DryRun(checks, clock);

        Path spoolDir = config.dataPath().resolve("spool");
        this.spool = new Spool(spoolDir, clock, config.queue().minFreeSpace().bytes());
        this.delivery = new DownstreamDelivery(config.downstream(), hostname, spool);
        delivery.contactClock(clock);
        this.queue = new MailQueue(spool, delivery, new RetrySchedule(config.queue().retrySchedule()), clock, hostname,
                config.nodeName(), config.queue().maxLifetime(), config.queue().workers(), metrics);

        this.smtpTls = config.smtp().tls().enabled()
                ? SwappableSslContext.of(TlsContexts.fromPem(Path.of(config.smtp().tls().certificate()), Path.of(config.smtp().tls().key()), "smtp.tls"))
                : null;
        Optional<SSLContext> tls = Optional.ofNullable(smtpTls);
        SmtpServices services = new SmtpServices(pipeline, spool, queue::accept, clock, hostname, maxSize,
                config.queue().maxLifetime(), AuthenticationResults.claimsAuthservId(hostname), domains.postmasterDomain(hostname),
                new SmtpMetrics(metrics), config.nodeName());
        this.smtp = config.smtp().enabled() ? new SmtpListener(config.smtp(), services, connections, tls) : null;
        this.policy = config.policy().enabled()
                ? new PolicyListener(config.policy(), checks.policyPipeline(recorder), clock, hostname)
                : null;
        this.lastTick = clock.instant();
        this.admin = adminApp(config, clock, database); // the panel, or with admin.enabled: false the control-only API
        this.heartbeat = new Heartbeat(new NodeHeartbeats(database), clock, config.nodeName(), version(),
                () -> new Heartbeat.Status(smtp != null && smtp.isListening(), queue.depth(), queue.oldestAge().orElse(null)));
    }

    /**
     * The embedded panel: shared state from the database, this node's queue, and a fresh local control token. With
     * {@code admin.enabled: false} the same app runs as the control listener: on loopback, a free port, the control
     * token only (no login), so the CLI and {@code greyrelay health} still reach this process. Either way its address
     * goes to {@code <dataDir>/control.url} at start.
     */
    private Javalin adminApp(RelayConfig config, Clock clock, Database database) throws java.io.IOException {
        AdminSettings settings = config.admin().enabled()
                ? AdminWiring.settings(config, version())
                : AdminWiring.controlSettings(config, version());
        settings = settings.withControlToken(ControlToken.create(config.dataPath()));
        AdminApp.Builder b = AdminApp.builder(settings, database).clock(clock).health(healthSource()).metrics(metrics::scrape)
                .verification(new VerificationPanelOperations(verification)) // with "verify again now"
                .dryRuns(new greyrelay.relay.admin.DryRunOperations(dryRun))
                .queue(new MailQueueOperations(queue)).configuration(withPipeline(ConfigDump.masked(config)), AdminWiring.configKeys(config))
                .relayPolicy(AdminWiring.policy(config)).changes(this::changed)
                .tripletKeys(greylisting.keying()::candidates) // a decision's page finds its triplet as the greylist keys it
                .whitelists(new greyrelay.relay.admin.WhitelistPanelLookup(whitelisting));
        return (config.admin().enabled() ? b : b.controlOnly()).build();
    }

    /** {@code /health}, {@code /health/live} and {@code /health/ready} of this node. */
    private greyrelay.admin.health.HealthSource healthSource() {
        return new greyrelay.admin.health.HealthSource() {
            @Override
            public Health check() {
                return health();
            }

            @Override
            public List<greyrelay.admin.health.Condition> live() {
                return Relay.this.live();
            }

            @Override
            public List<greyrelay.admin.health.Condition> ready() {
                return Relay.this.ready();
            }
        };
    }

    /** The settings page also shows the check order in force (like {@code haraka -o}): a "pipeline" section. */
    private com.fasterxml.jackson.databind.node.ObjectNode withPipeline(com.fasterxml.jackson.databind.node.ObjectNode tree) {
        var p = tree.putObject("pipeline");
        for (String line : pipeline.describe()) {
            int colon = line.indexOf(':');
            p.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return tree;
    }

    /**
     * The embedded panel changed shared state this node keeps in memory: reload it now, so the edit counts from the next
     * session (other nodes reload within their refresh interval). Triplets and trap blocks are read per decision.
     */
    void changed(ChangeListener.What what) {
        switch (what) {
            case WHITELISTS -> whitelisting.whitelists().invalidate();
            case RATE_LIMIT_OVERRIDES -> rateLimits.overrides().invalidate();
            case GREYLIST -> greylisting.forgetPassing();
        }
    }

    static List<InetSocketAddress> dnsServers(RelayConfig c) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : c.dns().servers()) {
            HostPort hp = HostPort.parse("dns.servers", s, 53);
            out.add(new InetSocketAddress(hp.host(), hp.port()));
        }
        return out;
    }

    /** Starts delivery, then the listener, then the panel. */
    public Relay start() throws Exception {
        queue.start(true);
        if (smtp != null) smtp.start();
        if (policy != null) policy.start();
        if (config.admin().enabled()) {
            admin.start(config.admin().bind(), config.admin().port());
        } else {
            admin.start(ControlUrl.LOOPBACK, 0);
        }
        ProcessMeters.bindJetty(metrics, admin.jettyServer().server());
        ControlUrl.write(config.dataPath(), ControlUrl.of(config.admin().enabled() ? config.admin().bind() : ControlUrl.LOOPBACK,
                admin.port(), config.admin().enabled() && config.admin().tls().enabled()));
        scheduler.scheduleWithFixedDelay(() -> lastTick = clock.instant(), 0, 10, TimeUnit.SECONDS);
        Duration retention = config.decisionLog().retention();
        scheduler.scheduleWithFixedDelay(() -> trimDecisions(retention), 1, 60, TimeUnit.MINUTES);
        rateLimits.schedule(scheduler);
        whitelisting.schedule(scheduler);
        greylisting.schedule(scheduler);
        scheduler.scheduleWithFixedDelay(verification::maintain, 5, 60, TimeUnit.MINUTES);
        heartbeat.schedule(scheduler);
        if (smtp != null) for (String line : pipeline.describe()) log.info("pipeline {}", line);
        if (policy != null) for (String line : policy.describe()) log.info("policy pipeline {}", line);
        log.info("greyrelay {} ready: node {}, smtp port {}, policy port {}, admin {}, database {}, data {}", version(),
                config.nodeName(), smtp == null ? "off" : smtp.port(), policy == null ? "off" : policy.port(),
                !config.admin().enabled() ? "off (control API on " + ControlUrl.LOOPBACK + ":" + admin.port() + ")"
                        : (config.admin().tls().enabled() ? "https://" : "http://") + config.admin().bind() + ":" + admin.port(),
                database, config.dataPath());
        for (String warning : StartupAdvice.warnings(config)) log.warn("{}", warning);
        for (String line : StartupAdvice.nextSteps(config)) log.info("{}", line);
        return this;
    }

    void trimDecisions(Duration retention) {
        try {
            var cutoff = clock.instant().minus(retention);
            var store = new DecisionLog(database);
            int total = 0;
            int n;
            do {
                n = store.deleteOlderThan(cutoff, 1000);
                total += n;
            } while (n == 1000);
            log.info("decision log cleanup: {} row(s) older than {} dropped", total, cutoff);
        } catch (RuntimeException e) {
            log.warn("decision log cleanup failed: {}", e.getMessage());
        }
    }

    public Health health() {
        boolean db = database.ping(Duration.ofSeconds(2));
        boolean listening = (smtp == null || smtp.isListening()) && (policy == null || policy.isListening());
        return new Health(listening, db, queue.depth(), queue.oldestAge().map(Duration::toSeconds).orElse(0L));
    }

    /** Alive and not wedged: the scheduler ticked within the last minute. */
    public List<greyrelay.admin.health.Condition> live() {
        Duration since = Duration.between(lastTick, clock.instant());
        boolean ok = since.compareTo(Duration.ofMinutes(1)) < 0;
        return List.of(new greyrelay.admin.health.Condition("scheduler", ok, "last tick " + since.toSeconds() + " s ago"));
    }

    /**
     * Ready to take mail: SMTP (and the policy server) listening, database reachable, spool writable with
     * queue.minFreeSpace free, downstream.
     */
    public List<greyrelay.admin.health.Condition> ready() {
        List<greyrelay.admin.health.Condition> out = new ArrayList<>();
        if (smtp != null) {
            boolean listening = smtp.isListening();
            out.add(new greyrelay.admin.health.Condition("smtp", listening, listening ? "listening on port " + smtp.port() : "not listening"));
        }
        if (policy != null) {
            boolean listening = policy.isListening();
            out.add(new greyrelay.admin.health.Condition("policy", listening, listening ? "listening on port " + policy.port() : "not listening"));
        }
        boolean db = database.ping(Duration.ofSeconds(2));
        out.add(new greyrelay.admin.health.Condition("database", db, db ? "reachable" : "unreachable: " + database));
        try {
            long free = spool.writableFreeBytes();
            boolean enough = free >= spool.minFreeBytes();
            out.add(new greyrelay.admin.health.Condition("spool", enough, free / (1024 * 1024) + " MB free, queue.minFreeSpace "
                    + spool.minFreeBytes() / (1024 * 1024) + " MB"));
        } catch (greyrelay.relay.queue.SpoolException e) {
            out.add(new greyrelay.admin.health.Condition("spool", false, e.getMessage()));
        }
        out.add(downstreamCondition());
        return out;
    }

    /** Failing only when the last attempt to reach downstream failed and none succeeded within the last 10 minutes. */
    private greyrelay.admin.health.Condition downstreamCondition() {
        var reached = delivery.lastReached();
        var failed = delivery.lastFailed();
        if (failed.isEmpty()) {
            return new greyrelay.admin.health.Condition("downstream", true,
                    reached.map(r -> "reached at " + r.at()).orElse("not contacted yet"));
        }
        var f = failed.get();
        boolean recentSuccess = reached.isPresent()
                && (reached.get().at().isAfter(f.at()) || reached.get().at().isAfter(clock.instant().minus(Duration.ofMinutes(10))));
        String detail = "last error at " + f.at() + ": " + f.error() + reached.map(r -> "; last reached at " + r.at()).orElse("");
        return new greyrelay.admin.health.Condition("downstream", recentSuccess, recentSuccess ? "reached at " + reached.get().at()
                + " (" + detail + ")" : detail);
    }

    public static String version() {
        String v = Relay.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** -1 with {@code smtp.enabled: false}. */
    public int smtpPort() {
        return smtp == null ? -1 : smtp.port();
    }

    /** The policy listener's port; -1 unless {@code policy.enabled}. */
    public int policyPort() {
        return policy == null ? -1 : policy.port();
    }

    /** The panel's port, -1 when the panel is off (then see {@link #controlPort()}). */
    public int adminPort() {
        return config.admin().enabled() ? admin.port() : -1;
    }

    /** The port the CLI reaches this process on: the panel's, or the loopback control listener's. */
    public int controlPort() {
        return admin.port();
    }

    /** This node's heartbeat; tests call {@code beat()} after moving the clock. */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    public MailQueue queue() {
        return queue;
    }

    public Spool spool() {
        return spool;
    }

    public Database database() {
        return database;
    }

    public Dns dns() {
        return dns;
    }

    public Whitelisting whitelisting() {
        return whitelisting;
    }

    public Greylisting greylisting() {
        return greylisting;
    }

    /** Callback and recipient verification; {@code verification().prefetch} is the greylisting hook. */
    public Verification verification() {
        return verification;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Rate-limit overrides in force; {@code invalidate()} after editing them in this process. */
    public greyrelay.relay.ratelimit.Overrides rateLimitOverrides() {
        return rateLimits.overrides();
    }

    public DecisionLogWriter decisions() {
        return decisions;
    }

    public RelayConfig config() {
        return config;
    }

    /** Lets a running cleanup finish: interrupting a thread in the middle of an H2 write can break the database file. */
    private void stopScheduler() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) log.warn("a scheduled job is still running at shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a reload did: keys applied, keys that need a restart to change, and what could not be applied (why). */
    public record ReloadReport(List<String> applied, List<String> needRestart, List<String> failed) {}

    /**
     * Applies a re-read configuration without dropping a connection ({@code greyrelay reload}, SIGHUP): the log level and
     * format, the STARTTLS certificate and the whitelist files, which are read again even when their paths did not change
     * (a certificate renewed in place). Every other changed key is named as needing a restart; a file that cannot be read
     * leaves what is in force as it was.
     */
    public synchronized ReloadReport reload(RelayConfig next) {
        List<String> changed = Reloadable.changed(running, next);
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Set<String> take = new java.util.HashSet<>();
        for (String key : changed) if (!Reloadable.KEYS.contains(key)) restart.add(key);
        if (changed.contains("logging.level") || changed.contains("logging.format")) {
            LogSetup.apply(next.logging());
            for (String k : List.of("logging.level", "logging.format")) if (changed.contains(k)) { applied.add(k); take.add(k); }
        }
        if (smtpTls != null && next.smtp().tls().enabled()) {
            try {
                smtpTls.swap(TlsContexts.fromPem(Path.of(next.smtp().tls().certificate()), Path.of(next.smtp().tls().key()), "smtp.tls"));
                applied.add("smtp.tls (certificate read again)");
                take.addAll(List.of("smtp.tls.certificate", "smtp.tls.key"));
            } catch (ConfigException e) {
                failed.add(e.getMessage());
            }
        } else if (changed.contains("smtp.tls.certificate") || changed.contains("smtp.tls.key")) {
            restart.add("smtp.tls (turning STARTTLS on or off)");
        }
        try {
            whitelisting.reloadFiles(next.greylist(), clock.instant());
            applied.add("greylist.whitelistFiles (files read again)");
            take.addAll(List.of("greylist.whitelistFiles", "greylist.defaultWhitelist"));
        } catch (ConfigException e) {
            failed.add(e.getMessage());
        }
        running = Reloadable.applied(running, next, take);
        ReloadReport report = new ReloadReport(List.copyOf(applied), List.copyOf(restart), List.copyOf(failed));
        log.info("reload: applied {}", report.applied());
        if (!report.needRestart().isEmpty()) log.warn("reload: changed but needs a restart to take effect: {}", report.needRestart());
        for (String f : report.failed()) log.error("reload: not applied, the previous setting stays: {}", f);
        return report;
    }

    /** The configuration in force (the one started with, plus what reloads applied). */
    public RelayConfig runningConfig() {
        return running;
    }

    /** Graceful: stop taking mail (421 to newcomers), let transactions finish within smtp.shutdownGrace, stop delivery. */
    @Override
    public void close() {
        log.info("greyrelay stopping");
        if (policy != null) policy.close();
        if (smtp != null) smtp.shutdown(config.smtp().shutdownGrace());
        admin.stop();
        ControlUrl.remove(config.dataPath());
        queue.close();
        spool.close();
        stopScheduler();
        verification.close();
        greylisting.close();
        decisions.close();
        processMeters.close();
        if (ownsDatabase) database.close();
        log.info("greyrelay stopped");
    }

    /** A crash, for tests: the listener and workers stop at once, nothing is flushed or drained. */
    public void crash() {
        if (policy != null) policy.close();
        if (smtp != null) smtp.shutdown(Duration.ZERO);
        admin.stop();
        queue.close();
        spool.close();
        stopScheduler();
        verification.close();
        processMeters.close();
        if (ownsDatabase) database.close();
    }
}
