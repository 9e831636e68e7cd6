package greyrelay.admin;

import greyrelay.db.net.NetworkPrefixes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The relay's configured policy, as far as the panel shows it or needs it: the greylisting periods and keying (to pass
 * a triplet by hand for {@code maxAge}, to turn a client IP into its network), the spamtrap addresses, the whitelist
 * files, the rate-limit defaults that the overrides replace, and how long a learned domain trait counts. Read-only:
 * these come from the configuration file, which the panel never edits. Built by whoever embeds the panel
 * ({@code greyrelay.relay.admin.AdminWiring}, from the same configuration in embedded and standalone mode); admin-ui
 * never reads the relay's configuration itself (the settings page only shows the dump it is given).
 */
public record RelayPolicy(Greylist greylist, RateLimits rateLimits, Verification verification) {
    public RelayPolicy {
        Objects.requireNonNull(greylist, "greylist");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(verification, "verification");
    }

    /**
     * {@code greylist.*}.
     *
     * @param mode           {@code enforce} or {@code observe}
     * @param spamtraps      the trap addresses, normalised
     * @param whitelistFiles the configured whitelist files (read by the relay at start; not editable in the panel)
     */
    public record Greylist(boolean enabled, String mode, Duration delay, Duration retryWindow, Duration maxAge, int ipv4Prefix,
            int ipv6Prefix, int autoWhitelistAfter, List<String> spamtraps, Duration trapDuration, Duration whitelistRefresh,
            List<String> whitelistFiles, boolean defaultWhitelist) {
        public Greylist {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(retryWindow, "retryWindow");
            Objects.requireNonNull(maxAge, "maxAge");
            Objects.requireNonNull(trapDuration, "trapDuration");
            Objects.requireNonNull(whitelistRefresh, "whitelistRefresh");
            spamtraps = List.copyOf(spamtraps);
            whitelistFiles = List.copyOf(whitelistFiles);
        }

        /** How a client address is turned into its greylist network ({@code ipv4Prefix}, {@code ipv6Prefix}). */
        public NetworkPrefixes clientNetworks() {
            return new NetworkPrefixes(ipv4Prefix, ipv6Prefix);
        }
    }

    /** One scope's rates; 0 means no limit. */
    public record Rates(int connectionsPerMinute, int messagesPerHour, int recipientsPerHour) {}

    /**
     * {@code rateLimits.*}.
     *
     * @param shared true when the buckets are counted in PostgreSQL by all nodes together
     */
    public record RateLimits(boolean enabled, String mode, int ipv4Prefix, int ipv6Prefix, Rates perIp, Rates perNetwork,
            int maxConnectionsPerNetwork, int senderDomainMessagesPerHour, Duration overrideRefresh, boolean shared) {
        public RateLimits {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(perIp, "perIp");
            Objects.requireNonNull(perNetwork, "perNetwork");
            Objects.requireNonNull(overrideRefresh, "overrideRefresh");
        }
    }

    /**
     * {@code verification.*}.
     *
     * @param profileTtl {@code verification.cache.profileTtl}: how long a learned domain trait counts
     */
    public record Verification(Duration profileTtl) {
        public Verification {
            Objects.requireNonNull(profileTtl, "profileTtl");
        }
    }
}
