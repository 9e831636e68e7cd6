package greyrelay.relay;

import greyrelay.admin.RelayPolicy;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.config.RateLimitsConfig;
import greyrelay.relay.config.RelayConfig;
import java.util.Locale;

/**
 * What the admin panel is told about the relay's configuration ({@link RelayPolicy}): the same for the embedded panel
 * ({@link Relay}) and the panel alone ({@code greyrelay admin}), both built from the one configuration file. Kept apart
 * from {@link Relay} so its wiring stays short.
 */
public final class AdminWiring {
    private AdminWiring() {}

    public static RelayPolicy policy(RelayConfig config) {
        GreylistConfig g = config.greylist();
        RateLimitsConfig r = config.rateLimits();
        return new RelayPolicy(
                new RelayPolicy.Greylist(g.enabled(), lower(g.mode()), g.delay(), g.retryWindow(), g.maxAge(), g.ipv4Prefix(),
                        g.ipv6Prefix(), g.autoWhitelistAfter(), g.spamtraps(), g.trapDuration(), g.whitelistRefresh(),
                        g.whitelistFiles(), g.defaultWhitelist()),
                new RelayPolicy.RateLimits(r.enabled(), lower(r.mode()), r.ipv4Prefix(), r.ipv6Prefix(), rates(r.perIp()),
                        rates(r.perNetwork()), r.maxConnectionsPerNetwork(), r.senderDomainMessagesPerHour(), r.overrideRefresh(),
                        r.shared() && config.database().url().startsWith("jdbc:postgresql:")));
    }

    private static RelayPolicy.Rates rates(RateLimitsConfig.Rates r) {
        return new RelayPolicy.Rates(r.connectionsPerMinute(), r.messagesPerHour(), r.recipientsPerHour());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
