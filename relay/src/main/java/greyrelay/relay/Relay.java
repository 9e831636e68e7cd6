package greyrelay.relay;

import greyrelay.admin.AdminSettings;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.app.AdminApp;
import greyrelay.admin.auth.ControlToken;
import greyrelay.admin.health.Health;
import greyrelay.db.Database;
import greyrelay.db.DbSettings;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.access.RelayDomains;
import greyrelay.relay.admin.AdminWiring;
import greyrelay.relay.admin.ControlUrl;
import greyrelay.relay.admin.MailQueueOperations;
import greyrelay.relay.admin.VerificationPanelOperations;
import greyrelay.relay.checks.CheckTable;
import greyrelay.relay.config.ConfigDump;
import greyrelay.relay.config.HostPort;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.config.StartupAdvice;
import greyrelay.relay.decisions.DecisionLogWriter;
import greyrelay.relay.dns.CachingDns;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.greylist.Greylisting;
import greyrelay.relay.policy.DecisionRecorder;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.queue.DownstreamDelivery;
import greyrelay.relay.queue.MailQueue;
import greyrelay.relay.queue.RetrySchedule;
import greyrelay.relay.queue.Spool;
import greyrelay.relay.ratelimit.RateLimits;
import greyrelay.relay.smtp.AuthenticationResults;
import greyrelay.relay.smtp.ConnectionCounter;
import greyrelay.relay.smtp.SmtpListener;
import greyrelay.relay.smtp.SmtpServices;
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
    private final Spool spool;
    private final MailQueue queue;
    private final SmtpListener smtp;
    private final Javalin admin;
    private final DownstreamDelivery delivery;
    /** Stamped by the scheduler every few seconds: liveness sees a wedged scheduler as a stale stamp. */
    private volatile java.time.Instant lastTick;
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
        this.clock = clock;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        String hostname = config.smtp().hostname();

        this.decisions = new DecisionLogWriter(new DecisionLog(database), hostname, metrics);
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
        this.pipeline = new CheckTable(config, clock, dns, metrics, connections, domains,
                new CheckTable.Features(whitelisting, greylisting, verification, rateLimits)).pipeline(recorder);

        Path spoolDir = config.dataPath().resolve("spool");
        this.spool = new Spool(spoolDir, clock, config.queue().minFreeSpace().bytes());
        this.delivery = new DownstreamDelivery(config.downstream(), hostname, spool);
        delivery.contactClock(clock);
        this.queue = new MailQueue(spool, delivery, new RetrySchedule(config.queue().retrySchedule()), clock, hostname,
                config.queue().maxLifetime(), config.queue().workers(), metrics);

        Optional<SSLContext> tls = config.smtp().tls().enabled()
                ? Optional.of(TlsContexts.fromPem(Path.of(config.smtp().tls().certificate()), Path.of(config.smtp().tls().key()), "smtp.tls"))
                : Optional.empty();
        SmtpServices services = new SmtpServices(pipeline, spool, queue::accept, clock, hostname, maxSize,
                config.queue().maxLifetime(), AuthenticationResults.claimsAuthservId(hostname), domains.postmasterDomain(hostname));
        this.smtp = new SmtpListener(config.smtp(), services, connections, tls);
        this.lastTick = clock.instant();
        this.admin = adminApp(config, clock, database);
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
                .queue(new MailQueueOperations(queue)).configuration(withPipeline(ConfigDump.masked(config)))
                .relayPolicy(AdminWiring.policy(config)).changes(this::changed);
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
        }
    }

    private static List<InetSocketAddress> dnsServers(RelayConfig c) {
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
        smtp.start();
        if (config.admin().enabled()) {
            admin.start(config.admin().bind(), config.admin().port());
        } else {
            admin.start(ControlUrl.LOOPBACK, 0);
        }
        ControlUrl.write(config.dataPath(), ControlUrl.of(config.admin().enabled() ? config.admin().bind() : ControlUrl.LOOPBACK,
                admin.port(), config.admin().enabled() && config.admin().tls().enabled()));
        scheduler.scheduleWithFixedDelay(() -> lastTick = clock.instant(), 0, 10, TimeUnit.SECONDS);
        Duration retention = config.decisionLog().retention();
        scheduler.scheduleWithFixedDelay(() -> trimDecisions(retention), 1, 60, TimeUnit.MINUTES);
        rateLimits.schedule(scheduler);
        whitelisting.schedule(scheduler);
        greylisting.schedule(scheduler);
        scheduler.scheduleWithFixedDelay(verification::maintain, 5, 60, TimeUnit.MINUTES);
        for (String line : pipeline.describe()) log.info("pipeline {}", line);
        log.info("greyrelay {} ready: smtp port {}, admin {}, database {}, data {}", version(), smtp.port(),
                !config.admin().enabled() ? "off (control API on " + ControlUrl.LOOPBACK + ":" + admin.port() + ")"
                        : (config.admin().tls().enabled() ? "https://" : "http://") + config.admin().bind() + ":" + admin.port(), database, config.dataPath());
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
        return new Health(smtp.isListening(), db, queue.depth(), queue.oldestAge().map(Duration::toSeconds).orElse(0L));
    }

    /** Alive and not wedged: the scheduler ticked within the last minute. */
    public List<greyrelay.admin.health.Condition> live() {
        Duration since = Duration.between(lastTick, clock.instant());
        boolean ok = since.compareTo(Duration.ofMinutes(1)) < 0;
        return List.of(new greyrelay.admin.health.Condition("scheduler", ok, "last tick " + since.toSeconds() + " s ago"));
    }

    /** Ready to take mail: SMTP listening, database reachable, spool writable with queue.minFreeSpace free, downstream. */
    public List<greyrelay.admin.health.Condition> ready() {
        List<greyrelay.admin.health.Condition> out = new ArrayList<>();
        boolean listening = smtp.isListening();
        out.add(new greyrelay.admin.health.Condition("smtp", listening, listening ? "listening on port " + smtp.port() : "not listening"));
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

    public int smtpPort() {
        return smtp.port();
    }

    /** The panel's port, -1 when the panel is off (then see {@link #controlPort()}). */
    public int adminPort() {
        return config.admin().enabled() ? admin.port() : -1;
    }

    /** The port the CLI reaches this process on: the panel's, or the loopback control listener's. */
    public int controlPort() {
        return admin.port();
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

    /** Graceful: stop taking mail (421 to newcomers), let transactions finish within smtp.shutdownGrace, stop delivery. */
    @Override
    public void close() {
        log.info("greyrelay stopping");
        smtp.shutdown(config.smtp().shutdownGrace());
        admin.stop();
        ControlUrl.remove(config.dataPath());
        queue.close();
        stopScheduler();
        verification.close();
        decisions.close();
        if (ownsDatabase) database.close();
        log.info("greyrelay stopped");
    }

    /** A crash, for tests: the listener and workers stop at once, nothing is flushed or drained. */
    public void crash() {
        smtp.shutdown(Duration.ZERO);
        admin.stop();
        queue.close();
        stopScheduler();
        verification.close();
        if (ownsDatabase) database.close();
    }
}
