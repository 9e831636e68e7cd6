package greyrelay.relay.config;

import java.time.Duration;

/**
 * {@code spf.*}: SPF (RFC 7208) for the MAIL FROM identity (the HELO identity for the null sender): the {@code spf} check.
 * One action per SPF result; {@code pass} always continues.
 */
public record SpfConfig(
        boolean enabled,
        Mode mode,
        Action failAction,
        Action softfailAction,
        Action neutralAction,
        Action noneAction,
        Action permerrorAction,
        Action temperrorAction,
        Duration deadline,
        int voidLookupLimit) {

    /** What a result does to the recipient: answer 5xx, answer 4xx, or let the next check decide (logged either way). */
    public enum Action {
        REJECT, DEFER, CONTINUE
    }

    public SpfConfig {
        Require.present("spf.mode", mode, "enforce or observe");
        Require.present("spf.failAction", failAction, "reject, defer or continue");
        Require.present("spf.softfailAction", softfailAction, "reject, defer or continue");
        Require.present("spf.neutralAction", neutralAction, "reject, defer or continue");
        Require.present("spf.noneAction", noneAction, "reject, defer or continue");
        Require.present("spf.permerrorAction", permerrorAction, "reject, defer or continue");
        Require.present("spf.temperrorAction", temperrorAction, "defer or continue");
        if (temperrorAction == Action.REJECT) {
            // a temporary DNS problem must never become a permanent refusal
            throw ConfigException.invalid("spf.temperrorAction", "defer or continue", "reject");
        }
        // RFC 7208 §4.6.4: the limit SHOULD allow at least 20 seconds; shorter is allowed for impatient sites and tests
        Require.duration("spf.deadline", deadline, Duration.ofSeconds(1), Duration.ofMinutes(2));
        // RFC 7208 §4.6.4: void lookups SHOULD be limited to two; a site may loosen it
        Require.range("spf.voidLookupLimit", voidLookupLimit, 1, 10);
    }

    static SpfConfig defaults() {
        return new SpfConfig(true, Mode.ENFORCE, Action.REJECT, Action.CONTINUE, Action.CONTINUE, Action.CONTINUE,
                Action.CONTINUE, Action.DEFER, Duration.ofSeconds(20), 2);
    }
}
