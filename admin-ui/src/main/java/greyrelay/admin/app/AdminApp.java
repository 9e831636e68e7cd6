package greyrelay.admin.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import greyrelay.admin.AdminFeature;
import greyrelay.admin.AdminSettings;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.ConfigKey;
import greyrelay.admin.RelayPolicy;
import greyrelay.admin.TripletKeys;
import greyrelay.admin.auditlog.AuditController;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.auth.AccessController;
import greyrelay.admin.auth.AccessGate;
import greyrelay.admin.auth.AdminAccounts;
import greyrelay.admin.auth.ApiTokenService;
import greyrelay.admin.auth.LoginController;
import greyrelay.admin.auth.LoginThrottle;
import greyrelay.admin.auth.PasswordController;
import greyrelay.admin.auth.PasswordHasher;
import greyrelay.admin.auth.PreferencesController;
import greyrelay.admin.auth.Sessions;
import greyrelay.admin.cluster.ClusterController;
import greyrelay.admin.dashboard.DashboardController;
import greyrelay.admin.decisions.DecisionsController;
import greyrelay.admin.greylist.GreylistController;
import greyrelay.admin.health.Health;
import greyrelay.admin.health.HealthController;
import greyrelay.admin.health.HealthSource;
import greyrelay.admin.probes.VerificationController;
import greyrelay.admin.probes.VerificationOperations;
import greyrelay.admin.queue.QueueController;
import greyrelay.admin.queue.QueueOperations;
import greyrelay.admin.ratelimit.RateLimitController;
import greyrelay.admin.settings.SettingsController;
import greyrelay.admin.spamtrap.SpamtrapController;
import greyrelay.admin.web.Assets;
import greyrelay.admin.web.ClientAddress;
import greyrelay.admin.web.Json;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.OpenApi;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Requests;
import greyrelay.admin.web.RoleGate;
import greyrelay.admin.web.SecurityHeaders;
import greyrelay.admin.web.Templates;
import greyrelay.admin.whitelist.WhitelistController;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminSessions;
import greyrelay.db.admin.AdminUsers;
import greyrelay.db.admin.LoginFailures;
import greyrelay.db.admin.ApiTokens;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.db.node.NodeHeartbeats;
import greyrelay.db.net.NetworkPrefixes;
import greyrelay.db.ratelimit.RateLimitOverrides;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.VouchStore;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.VerificationCache;
import greyrelay.db.whitelist.WhitelistStore;
import io.javalin.Javalin;
import io.javalin.config.JettyConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the admin web app, unstarted, so tests can start it on port 0 and the relay can embed it. Wired by hand:
 * stores from the database, the auth pieces, then one {@link AdminFeature} per controller, each given what it uses
 * through its constructor. Javalin 7: routes are declared inside the config lambda; handlers run on virtual threads.
 *
 * <pre>{@code
 * Javalin app = AdminApp.builder(settings, database).clock(clock).health(relay::health).metrics(registry::scrape)
 *         .queue(queueOperations).verification(verificationOperations).configuration(ConfigDump.masked(config), AdminWiring.configKeys(config))
 *         .relayPolicy(policy).changes(relay::changed).build();
 * app.start("127.0.0.1", 8080);
 * }</pre>
 */
public final class AdminApp {
    private static final Logger log = LoggerFactory.getLogger(AdminApp.class);

    private AdminApp() {}

    public static Builder builder(AdminSettings settings, Database database) {
        return new Builder(settings, database);
    }

    /** Collects what the embedding process provides; {@link #build()} wires it. */
    public static final class Builder {
        private final AdminSettings settings;
        private final Database database;
        private Clock clock = Clock.systemUTC();
        private HealthSource health;
        private Supplier<String> metrics = () -> "";
        private QueueOperations queue;
        private VerificationOperations verification;
        private greyrelay.admin.decisions.DryRuns dryRuns;
        private JsonNode configuration;
        private List<ConfigKey> configKeys = List.of();
        private RelayPolicy policy;
        private ChangeListener changes = ChangeListener.NONE;
        private TripletKeys tripletKeys;
        private greyrelay.admin.whitelist.WhitelistLookup whitelists;
        private boolean controlOnly;

        private Builder(AdminSettings settings, Database database) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.database = Objects.requireNonNull(database, "database");
            this.health = () -> new Health(null, database.ping(Duration.ofSeconds(2)), null, null);
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public Builder health(HealthSource h) {
            this.health = Objects.requireNonNull(h);
            return this;
        }

        /** The Prometheus text for {@code /metrics}. */
        public Builder metrics(Supplier<String> m) {
            this.metrics = Objects.requireNonNull(m);
            return this;
        }

        /** This node's queue (embedded panel); without it there is no queue page. */
        public Builder queue(QueueOperations q) {
            this.queue = Objects.requireNonNull(q);
            return this;
        }

        /** This node's verifiers ("verify again now"); without them the verification pages work on the database alone. */
        public Builder verification(VerificationOperations v) {
            this.verification = Objects.requireNonNull(v);
            return this;
        }

        /** This relay's check table for dry runs ({@code POST /api/decisions/check}); without it the call answers 409. */
        public Builder dryRuns(greyrelay.admin.decisions.DryRuns d) {
            this.dryRuns = Objects.requireNonNull(d);
            return this;
        }

        /**
         * The effective configuration with secrets masked, shown on the settings page, and what the relay knows about
         * each key (default, changed or not, reloadable, description); {@code keys} may be empty (values only).
         */
        public Builder configuration(JsonNode masked, List<ConfigKey> keys) {
            this.configuration = Objects.requireNonNull(masked);
            this.configKeys = List.copyOf(keys);
            return this;
        }

        /** The relay's whitelists: the page lists the file and default entries and answers "is this client whitelisted?". */
        public Builder whitelists(greyrelay.admin.whitelist.WhitelistLookup w) {
            this.whitelists = Objects.requireNonNull(w);
            return this;
        }

        /** How the relay keys greylist triplets (a decision's page finds its triplet); without it, plain keys. */
        public Builder tripletKeys(TripletKeys k) {
            this.tripletKeys = Objects.requireNonNull(k);
            return this;
        }

        /** The relay's configured policy: rate-limit defaults, greylist periods and keying, spamtraps, profile lifetime. */
        public Builder relayPolicy(RelayPolicy p) {
            this.policy = Objects.requireNonNull(p);
            return this;
        }

        /** Told after every change to state the relay keeps in memory (whitelists, rate-limit overrides). */
        public Builder changes(ChangeListener c) {
            this.changes = Objects.requireNonNull(c);
            return this;
        }

        /**
         * The relay's control listener with the panel off ({@code admin.enabled: false}): the same JSON API for the
         * relay's CLI, reachable only with the control token; no login, no sessions, no API tokens; health stays open.
         */
        public Builder controlOnly() {
            if (settings.controlToken().isEmpty()) throw new IllegalStateException("a control-only listener needs the control token");
            this.controlOnly = true;
            return this;
        }

        public Javalin build() {
            return wire(this);
        }
    }

    private static Javalin wire(Builder b) {
        AdminSettings settings = b.settings;
        Clock clock = b.clock;
        Auditor auditor = new Auditor(new AuditLog(b.database), clock, settings.node());
        AdminAccounts accounts = new AdminAccounts(new AdminUsers(b.database), new PasswordHasher(), auditor, clock);
        if (!b.controlOnly) accounts.ensureFirstUser(settings.initialPassword()).ifPresent(pw -> log.warn(
                "admin panel: created the first user \"{}\" with the one-time password {} (shown only now; log in and change"
                        + " it at the first login, or set one: greyrelay admin-user passwd {})", AdminAccounts.FIRST_USER, pw,
                AdminAccounts.FIRST_USER));
        Sessions sessions = new Sessions(new AdminSessions(b.database), clock, settings.sessionTimeout(), settings.node());
        ApiTokenService tokens = new ApiTokenService(new ApiTokens(b.database), auditor, clock, settings.controlToken());
        LoginThrottle throttle = new LoginThrottle(new LoginFailures(b.database), clock, settings.loginMaxFailures(),
                settings.loginMaxFailuresPerAccount(), settings.loginWindow());
        ClientAddress clientAddress = new ClientAddress(settings.trustedProxies());
        boolean tls = settings.tls().isPresent();

        List<NavItem> nav = new ArrayList<>();
        Pages pages = new Pages(settings.node(), settings.version(), Assets.fromClasspath(), () -> nav, sessions::takeFlash);
        AccessGate gate = new AccessGate(sessions, tokens, accounts, pages, tls, settings.metricsOpen(), b.controlOnly);

        List<AdminFeature> features = new ArrayList<>();
        Optional<QueueOperations> queue = Optional.ofNullable(b.queue);
        BiConsumer<Context, String> flash = (ctx, message) -> Requests.sessionId(ctx).ifPresent(id -> sessions.flash(id, message));
        Optional<RelayPolicy> policy = Optional.ofNullable(b.policy);
        features.add(new HealthController(b.health, b.metrics, settings.version()));
        features.add(new LoginController(accounts, sessions, throttle, auditor, pages, gate, tls));
        features.add(new PasswordController(accounts, sessions, pages, gate));
        features.add(new PreferencesController(accounts, pages));
        features.add(new DashboardController(new DecisionLog(b.database), queue,
                policy.map(p -> p.greylist().clientNetworks()).orElse(NetworkPrefixes.DEFAULT), pages, clock));
        NetworkPrefixes prefixes = policy.map(p -> p.greylist().clientNetworks()).orElse(NetworkPrefixes.DEFAULT);
        features.add(new DecisionsController(new DecisionLog(b.database), prefixes, Optional.ofNullable(b.dryRuns), pages,
                new DecisionsController.Facts(new GreylistStore(b.database), new TrapBlockStore(b.database),
                        b.tripletKeys != null ? b.tripletKeys : TripletKeys.plain(prefixes), b.verification != null,
                        queue.isPresent(), clock)));
        features.add(new GreylistController(new GreylistStore(b.database), policy, b.changes, auditor, pages, clock, flash));
        features.add(new WhitelistController(new WhitelistStore(b.database), policy, Optional.ofNullable(b.whitelists), b.changes, auditor, pages, clock, flash));
        features.add(new RateLimitController(new RateLimitOverrides(b.database), policy, b.changes, auditor, pages, clock, flash));
        features.add(new SpamtrapController(new TrapBlockStore(b.database), policy, auditor, pages, clock, flash));
        queue.ifPresent(q -> features.add(new QueueController(q, auditor, pages, clock, flash)));
        features.add(new greyrelay.admin.stats.StatsController(new greyrelay.db.stats.StatsQueries(b.database), queue, pages, clock));
        features.add(new ClusterController(new NodeHeartbeats(b.database), auditor, pages, clock, flash));
        features.add(new AuditController(new AuditLog(b.database), pages));
        features.add(new AccessController(accounts, tokens, sessions, gate, pages));
        if (b.configuration != null) features.add(new SettingsController(b.configuration, b.configKeys, pages));
        features.add(new VerificationController(new ProbeLog(b.database), new VerificationCache(b.database),
                new DomainProfiles(b.database), new VouchStore(b.database), Optional.ofNullable(b.verification), policy, auditor, pages, clock));
        features.stream().flatMap(f -> f.nav().stream()).sorted(Comparator.comparingInt(NavItem::order)).forEach(nav::add);
        ObjectNode openApi = OpenApi.build(settings.version(), features.stream().flatMap(f -> f.openApi().stream()).toList());

        return Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.staticFiles.enableWebjars();
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/static";
                sf.location = Location.CLASSPATH;
            });
            // Jetty's per-connection header cache matches values case-insensitively: a second request on the same
            // connection with "Bearer grt_ab" could be handed the earlier "Bearer grt_AB". Tokens are case-sensitive.
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            Templates.install(cfg);
            Problems.install(cfg, pages);
            settings.tls().ifPresent(context1 -> httpsOnly(cfg.jetty, context1));

            cfg.routes.before(ctx -> SecurityHeaders.apply(ctx, tls));
            cfg.routes.before(clientAddress::handle);
            cfg.routes.before(gate::handle);
            // roles on every matched route, whichever feature registered it: a viewer reads, an admin acts
            cfg.routes.beforeMatched(new RoleGate(pages)::handle);
            cfg.routes.get("/api/openapi.json", ctx -> ctx.json(openApi));
            // "now": the relay's clock, so a client's "since 1h" means the relay's last hour
            cfg.routes.get("/api/me", ctx -> ctx.json(Map.of("name", Requests.caller(ctx).name(), "kind",
                    Requests.caller(ctx).kind().name().toLowerCase(java.util.Locale.ROOT), "role", Requests.caller(ctx).role().id(),
                    "localTime", Requests.localTime(ctx), "now", clock.instant().toString(), "version", settings.version())));
            for (AdminFeature f : features) f.routes(cfg.routes);
        });
    }

    /**
     * Replaces Javalin's plain connector by a TLS one on the same host and port ({@code start(host, port)} sets them
     * before connectors are made). No SNI host check: administrators often reach the panel by IP address.
     */
    private static void httpsOnly(JettyConfig jetty, SSLContext context) {
        jetty.addConnector((server, httpConfig) -> {
            httpConfig.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(context);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(httpConfig));
            connector.setHost(jetty.host);
            connector.setPort(jetty.port);
            return connector;
        });
    }
}
