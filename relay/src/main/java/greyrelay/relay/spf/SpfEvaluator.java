package greyrelay.relay.spf;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.dns.Dns;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 7208 check_host() on greyrelay's own {@link Dns}: TXT records only (the SPF type 99 is never asked for), every
 * mechanism and modifier, the macro language, and the processing limits of §4.6.4 (10 DNS-querying terms, 2 void
 * lookups by default, 10 MX and 10 PTR names per term, an overall deadline). Thread-safe and stateless between
 * calls: each {@link #evaluate} runs with its own counters.
 *
 * <p>Beyond the RFC, one safety rule: a {@code fail} is never derived from a DNS failure. Where the RFC says to skip
 * a name whose lookup failed ({@code ptr} validation, the {@code %{p}} macro), an evaluation that then ends in
 * {@code fail} reports {@code temperror} instead, so a slow DNS server can cost a retry but never a bounce.
 */
public final class SpfEvaluator {

    /**
     * @param deadline           overall time for one evaluation (§4.6.4 suggests at least 20 s); checked before every
     *                           DNS query, so the worst case adds one query's own timeout
     * @param voidLookupLimit    DNS-querying terms that may find nothing before the result is permerror (§4.6.4: 2)
     * @param receiver           our host name, the {@code %{r}} macro
     * @param defaultExplanation a macro-string for {@code fail} when the domain gives no usable {@code exp=}
     */
    public record Settings(Duration deadline, int voidLookupLimit, String receiver, String defaultExplanation) {
        public Settings {
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(receiver, "receiver");
            Objects.requireNonNull(defaultExplanation, "defaultExplanation");
            if (!deadline.isPositive()) throw new IllegalArgumentException("deadline must be positive: " + deadline);
            if (voidLookupLimit < 0) throw new IllegalArgumentException("voidLookupLimit must be >= 0: " + voidLookupLimit);
        }

        /** The RFC's numbers and a plain default explanation. */
        public static Settings defaults(String receiver) {
            return new Settings(Duration.ofSeconds(20), 2, receiver, DEFAULT_EXPLANATION);
        }
    }

    /** Used when the domain publishes no usable explanation; expanded like an {@code exp=} text. */
    public static final String DEFAULT_EXPLANATION = "%{o} does not designate %{c} as permitted sender";

    private final Dns dns;
    private final Clock clock;
    private final Settings settings;

    public SpfEvaluator(Dns dns, Clock clock, Settings settings) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * check_host() for one message (RFC 7208 §2.4, §4). With a MAIL FROM, that identity is checked; for the null
     * sender (empty {@code mailFrom}) the HELO identity, as {@code postmaster@<helo>}. A sender without a local
     * part gets {@code postmaster} (§4.3).
     *
     * @param client   the SMTP client's address (IPv4-mapped IPv6 is treated as IPv4)
     * @param mailFrom the reverse path without brackets, {@code ""} for the null sender
     * @param helo     the HELO/EHLO argument as given, {@code ""} when there was none
     */
    public SpfEvaluation evaluate(InetAddress client, String mailFrom, String helo) {
        Objects.requireNonNull(client, "client");
        String heloText = helo == null ? "" : helo;
        boolean nullSender = mailFrom == null || mailFrom.isEmpty();
        SpfEvaluation.Identity identity = nullSender ? SpfEvaluation.Identity.HELO : SpfEvaluation.Identity.MAILFROM;
        String sender = nullSender ? "postmaster@" + heloText : mailFrom;
        int at = sender.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : sender.substring(0, at);
        String domain = at < 0 ? sender : sender.substring(at + 1);
        sender = local + "@" + domain;
        String domainKey = DomainNames.withoutRootDot(domain).toLowerCase(Locale.ROOT);

        if (nullSender && heloText.isEmpty()) {
            return new SpfEvaluation(SpfResult.NONE, identity, sender, domainKey, Optional.empty(), Optional.empty(),
                    "null sender and no HELO name: nothing to check");
        }
        if (!DomainNames.isCheckable(domain)) {
            return new SpfEvaluation(SpfResult.NONE, identity, sender, domainKey, Optional.empty(), Optional.empty(),
                    "not a checkable domain name: " + domain);
        }
        CheckHost run = new CheckHost(dns, clock, settings, IpNetwork.unmapIpv4(client), sender, local, domain, heloText,
                clock.instant().plus(settings.deadline()));
        CheckHost.HostResult r = run.checkHost(domain);
        SpfResult result = r.result();
        String reason = r.reason();
        if (run.timedOut()) {
            result = SpfResult.TEMPERROR;
            reason = "SPF evaluation exceeded " + settings.deadline().toMillis() + " ms";
        } else if (result == SpfResult.FAIL && run.skippedDnsFailure().isPresent()) {
            result = SpfResult.TEMPERROR;
            reason = "fail withheld: a DNS lookup failed during evaluation (" + run.skippedDnsFailure().get() + ")";
        }
        Optional<String> explanation = result == SpfResult.FAIL ? Optional.of(run.explanation(r.explanation())) : Optional.empty();
        return new SpfEvaluation(result, identity, sender, domainKey, explanation,
                result == r.result() ? r.mechanism() : Optional.empty(), reason);
    }
}
