package greyrelay.relay.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code hygiene.*}: connection hygiene in the spirit of Postfix's postscreen and smtpd HELO restrictions.
 *
 * @param mode              {@code observe} records what would have been refused and lets it through
 * @param greetingDelay     0 = off; otherwise the pre-greeting test: send {@code 220-}, wait this long, and refuse a
 *                          client that talked before the final {@code 220 } ({@code 554 5.5.1})
 * @param rejectInvalidHelo HELO that is neither a host name nor an address literal: {@code 501 5.5.2}
 * @param rejectNonFqdnHelo HELO host name without a dot: {@code 504 5.5.2}
 * @param rejectOurHelo     HELO claiming our host name or one of our addresses: {@code 554 5.7.1}
 * @param ourAddresses      addresses that are ours besides those on this machine's interfaces (public addresses
 *                          behind NAT or a load balancer)
 */
public record HygieneConfig(
        Mode mode,
        Duration greetingDelay,
        boolean rejectInvalidHelo,
        boolean rejectNonFqdnHelo,
        boolean rejectOurHelo,
        List<String> ourAddresses) {

    public HygieneConfig {
        Require.present("hygiene.mode", mode, "enforce or observe");
        Require.duration("hygiene.greetingDelay", greetingDelay, Duration.ZERO, Duration.ofSeconds(30));
        ourAddresses = Require.list("hygiene.ourAddresses", ourAddresses).stream().map(String::trim).toList();
        for (String a : ourAddresses) {
            if (!SmtpConfig.isIpLiteral(a)) throw ConfigException.invalid("hygiene.ourAddresses", "IP addresses", a);
        }
    }

    static HygieneConfig defaults() {
        return new HygieneConfig(Mode.ENFORCE, Duration.ZERO, true, true, true, List.of());
    }
}
