package greyrelay.relay.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code policy.*}: the Postfix policy delegation listener ({@code check_policy_service}), off by default. See
 * README.md, "Postfix policy server".
 *
 * @param deferAction how a deferral is answered: {@code defer_if_permit} ({@code DEFER_IF_PERMIT <text>}, postgrey's
 *                    choice: a later reject in Postfix's restrictions still wins) or {@code reply} (the exact
 *                    {@code 4xx x.y.z text} of the reply contract)
 * @param onError     the action answered when we cannot decide (a check failed, the request was malformed):
 *                    {@code DEFER_IF_PERMIT <text>} (fail closed) or {@code DUNNO} (fail open)
 */
public record PolicyConfig(
        boolean enabled,
        String bind,
        int port,
        int maxConnections,
        Duration idleTimeout,
        DeferAction deferAction,
        String onError) {

    /** How a deferral is answered. */
    public enum DeferAction { DEFER_IF_PERMIT, REPLY }

    private static final Pattern ON_ERROR = Pattern.compile("DUNNO|DEFER_IF_PERMIT [\\x20-\\x7e]{1,200}");

    public PolicyConfig {
        Require.present("policy.bind", bind, "an IP address to listen on, such as 127.0.0.1");
        if (!SmtpConfig.isIpLiteral(bind)) throw ConfigException.invalid("policy.bind", "an IP address such as 127.0.0.1", bind);
        Require.port("policy.port", port);
        Require.range("policy.maxConnections", maxConnections, 1, 100_000);
        Require.duration("policy.idleTimeout", idleTimeout, Duration.ofSeconds(1), Duration.ofHours(24));
        Require.present("policy.deferAction", deferAction, "defer_if_permit or reply");
        Require.present("policy.onError", onError, "DEFER_IF_PERMIT <text> or DUNNO");
        if (!ON_ERROR.matcher(onError).matches()) {
            throw ConfigException.invalid("policy.onError", "DEFER_IF_PERMIT <text> (fail closed) or DUNNO (fail open)", onError);
        }
    }

    static PolicyConfig defaults() {
        return new PolicyConfig(false, "127.0.0.1", 10023, 200, Duration.ofMinutes(10), DeferAction.DEFER_IF_PERMIT,
                "DEFER_IF_PERMIT Service temporarily unavailable");
    }
}
