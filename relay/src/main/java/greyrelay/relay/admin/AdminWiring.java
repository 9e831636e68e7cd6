package greyrelay.relay.admin;

import greyrelay.admin.AdminSettings;
import greyrelay.admin.ConfigKey;
import greyrelay.admin.RelayPolicy;
import greyrelay.relay.config.AdminConfig;
import greyrelay.relay.config.ConfigDump;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.config.KeyDocs;
import greyrelay.relay.config.RateLimitsConfig;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.config.Reloadable;
import greyrelay.relay.smtp.TlsContexts;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the admin panel is told about the relay's configuration: its own settings ({@link AdminSettings}, from
 * {@code admin.*}) and the relay's policy ({@link RelayPolicy}). The same for the embedded panel ({@code Relay}) and
 * the panel alone ({@code greyrelay admin}), both built from the one configuration file.
 */
public final class AdminWiring {
    private AdminWiring() {}

    /** The panel's settings from {@code admin.*}; the embedded panel adds its control token. */
    public static AdminSettings settings(RelayConfig c, String version) {
        AdminConfig a = c.admin();
        AdminSettings s = new AdminSettings(c.nodeName(), version, a.metricsOpen(), a.sessionTimeout(), a.loginMaxFailures(),
                a.loginWindow(), a.loginMaxFailuresPerAccount(), a.trustedProxyNetworks(), a.password(), Optional.empty(),
                Optional.empty());
        return a.tls().enabled()
                ? s.withTls(TlsContexts.fromPem(Path.of(a.tls().certificate()), Path.of(a.tls().key()), "admin.tls"))
                : s;
    }

    /**
     * The control listener's settings when the panel is off: plain HTTP on loopback (the token authenticates), closed
     * metrics, and admin.* session values that the control listener never uses (it has no login).
     */
    public static AdminSettings controlSettings(RelayConfig c, String version) {
        AdminConfig a = c.admin();
        return new AdminSettings(c.nodeName(), version, false, a.sessionTimeout(), a.loginMaxFailures(), a.loginWindow(),
                a.loginMaxFailuresPerAccount(), java.util.List.of(), a.password(), Optional.empty(), Optional.empty());
    }

    /**
     * What the settings page shows besides each value: the default and whether it differs ({@code greyrelay config}),
     * the one-line meaning from README's reference ({@link KeyDocs}) and whether a reload applies it ({@link Reloadable}).
     */
    public static List<ConfigKey> configKeys(RelayConfig config) {
        KeyDocs docs = KeyDocs.bundled();
        return ConfigDump.keyStates(config).stream().map(k -> new ConfigKey(k.path(), k.defaultValue(), k.changed(),
                Reloadable.KEYS.contains(k.path()),
                // the badge says "reload"; the reference's own "(reloadable)" prefix would say it twice
                docs.of(k.path()).map(d -> d.meaning().replaceFirst("^\\(reloadable\\)\\s*", "")).orElse(""))).toList();
    }

    public static RelayPolicy policy(RelayConfig config) {
        GreylistConfig g = config.greylist();
        RateLimitsConfig r = config.rateLimits();
        return new RelayPolicy(
                new RelayPolicy.Greylist(g.enabled(), lower(g.mode()), g.delay(), g.retryWindow(), g.maxAge(), g.ipv4Prefix(),
                        g.ipv6Prefix(), g.autoWhitelistAfter(), g.spamtraps(), g.trapDuration(), g.whitelistRefresh(),
                        g.whitelistFiles(), g.defaultWhitelist()),
                new RelayPolicy.RateLimits(r.enabled(), lower(r.mode()), r.ipv4Prefix(), r.ipv6Prefix(), rates(r.perIp()),
                        rates(r.perNetwork()), r.maxConnectionsPerNetwork(), r.senderDomainMessagesPerHour(), r.overrideRefresh(),
                        r.shared() && config.database().url().startsWith("jdbc:postgresql:")),
                new RelayPolicy.Verification(config.verification().cache().profileTtl()));
    }

    private static RelayPolicy.Rates rates(RateLimitsConfig.Rates r) {
        return new RelayPolicy.Rates(r.connectionsPerMinute(), r.messagesPerHour(), r.recipientsPerHour());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
