package greyrelay.admin.ratelimit;

import greyrelay.admin.RelayPolicy;
import greyrelay.admin.web.Html;
import greyrelay.db.ratelimit.RateLimitOverride;
import java.time.Instant;
import java.util.Locale;

/** How overrides are named and shown: kind labels, limit cells, the JSON shape of an override. */
public final class RateLimitView {
    private RateLimitView() {}

    /** The kind as the API and the forms write it: {@code client}, {@code sender_domain}. */
    public static String param(RateLimitOverride.Kind kind) {
        return kind.column();
    }

    public static String label(RateLimitOverride.Kind kind) {
        return switch (kind) {
            case CLIENT -> "client";
            case SENDER_DOMAIN -> "sender domain";
        };
    }

    /** A limit cell: "default" for none, "no limit" for 0, else the number. */
    public static String limit(Integer n) {
        return n == null ? "default" : n == 0 ? "no limit" : String.format(Locale.ROOT, "%,d", n);
    }

    /** A configured default: "no limit" for 0. */
    public static String configured(int n) {
        return n == 0 ? "no limit" : String.format(Locale.ROOT, "%,d", n);
    }

    /** An override in the API: {@code null} limits keep the configured default, 0 lifts the limit. */
    public record Override(long id, String kind, String match, Integer connectionsPerMinute, Integer messagesPerHour,
            Integer recipientsPerHour, String note, Instant updatedAt) {
        static Override of(RateLimitOverride o) {
            return new Override(o.id(), param(o.kind()), o.match(), o.connectionsPerMinute(), o.messagesPerHour(),
                    o.recipientsPerHour(), o.note(), o.updatedAt());
        }
    }

    /** The configured defaults in the API; {@code overrideRefresh} as text ({@code 30s}). */
    public record Defaults(boolean enabled, String mode, int ipv4Prefix, int ipv6Prefix, RelayPolicy.Rates perIp,
            RelayPolicy.Rates perNetwork, int maxConnectionsPerNetwork, int senderDomainMessagesPerHour, String overrideRefresh,
            boolean shared) {
        static Defaults of(RelayPolicy.RateLimits r) {
            return new Defaults(r.enabled(), r.mode(), r.ipv4Prefix(), r.ipv6Prefix(), r.perIp(), r.perNetwork(),
                    r.maxConnectionsPerNetwork(), r.senderDomainMessagesPerHour(), Html.duration(r.overrideRefresh()), r.shared());
        }
    }
}
