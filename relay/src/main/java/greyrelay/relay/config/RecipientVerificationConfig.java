package greyrelay.relay.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code recipientVerification.*}: whether our recipients exist, asked of the downstream MTA (cached) or looked up in
 * a static list, so the relay never accepts mail it would later have to bounce.
 */
public record RecipientVerificationConfig(
        boolean enabled,
        Mode mode,
        Source source,
        List<String> recipients,
        Duration positiveTtl,
        Duration negativeTtl,
        Duration tempFailTtl,
        Duration timeout,
        int maxConcurrent) {

    /** Where the answer comes from. */
    public enum Source {
        /** RCPT to the downstream ({@code downstream.host/port}, per {@code downstream.routes}). */
        DOWNSTREAM,
        /** The {@code recipients} list: {@code user@domain} entries, or {@code @domain} for a whole domain. */
        LIST
    }

    public RecipientVerificationConfig {
        Require.present("recipientVerification.mode", mode, "enforce or observe");
        Require.present("recipientVerification.source", source, "downstream or list");
        recipients = Require.list("recipientVerification.recipients", recipients).stream()
                .map(r -> r.trim().toLowerCase(Locale.ROOT)).toList();
        for (String r : recipients) {
            int at = r.lastIndexOf('@');
            if (at < 0 || at == r.length() - 1 || r.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw ConfigException.invalid("recipientVerification.recipients", "addresses like john@example.com or @example.com", r);
            }
        }
        Require.duration("recipientVerification.positiveTtl", positiveTtl, Duration.ZERO, Duration.ofDays(30));
        Require.duration("recipientVerification.negativeTtl", negativeTtl, Duration.ZERO, Duration.ofDays(30));
        Require.duration("recipientVerification.tempFailTtl", tempFailTtl, Duration.ZERO, Duration.ofDays(1));
        Require.duration("recipientVerification.timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(5));
        Require.range("recipientVerification.maxConcurrent", maxConcurrent, 1, 10_000);
    }

    static RecipientVerificationConfig defaults() {
        return new RecipientVerificationConfig(true, Mode.ENFORCE, Source.DOWNSTREAM, List.of(), Duration.ofHours(1),
                Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(10), 10);
    }
}
