package greyrelay.relay.config;

import greyrelay.db.net.IpNetwork;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code verification.*}: sender callback verification (probes to the sender domain's MX), its cache, its budget and
 * its deadlines. Every key is documented in README.md's configuration reference.
 */
public record VerificationConfig(
        boolean enabled,
        Mode mode,
        int probePort,
        Duration maxWait,
        Duration confirmAfter,
        String mailFrom,
        Confirm confirm,
        boolean checkSenderDomain,
        Unverifiable unverifiable,
        Unverifiable unprobeable,
        List<String> refusedTargets,
        boolean randomAddressCheck,
        Ipv6 ipv6,
        int maxMxAttempts,
        Duration historyRetention,
        boolean logCacheHits,
        List<String> vouch,
        VouchWhen vouchWhen,
        Cache cache,
        Budget budget,
        Timeouts timeouts) {

    /** When a mailbox the sender's MX refused is answered {@code 550 5.1.7} rather than {@code 451 4.1.7}. */
    public enum Confirm {
        /** Only once a fresh probe at least {@code confirmAfter} after the first rejection still says no. */
        AFTER,
        /** At the first rejection. */
        IMMEDIATELY,
        /** Never: a rejected mailbox is always answered with a temporary failure. */
        NEVER
    }

    /**
     * What to answer when nothing can be verified: the MX refuses both the null sender and postmaster@
     * ({@code unverifiable}), or the sender cannot go on the wire as written ({@code unprobeable}).
     */
    public enum Unverifiable { ACCEPT, DEFER }

    /**
     * The default {@code refusedTargets}: loopback, unspecified, link-local, private, shared address space, unique-local
     * and site-local IPv6, multicast and reserved. This host's own addresses are added at run time.
     */
    public static final List<String> DEFAULT_REFUSED_TARGETS = List.of("127.0.0.0/8", "::1/128", "0.0.0.0/8", "::/128",
            "169.254.0.0/16", "fe80::/10", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7",
            "fec0::/10", "224.0.0.0/3", "ff00::/8");

    /** The reasons a sender may be vouched for without a probe ({@code verification.vouch}). */
    public static final List<String> VOUCH_REASONS = List.of("spf", "known-networks");

    /**
     * When vouching replaces the probe ({@code verification.vouchWhen}): only while the sender domain's probe budget is
     * used up or it is burst-frozen, or for every SPF-pass sender.
     */
    public enum VouchWhen { BUSY, ALWAYS }

    /** Whether IPv6 addresses of MX hosts are probed: {@code auto} when this host has a global IPv6 address. */
    public enum Ipv6 { AUTO, ON, OFF }

    private static final Pattern MAIL_FROM = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}");

    public VerificationConfig {
        Require.present("verification.mode", mode, "enforce or observe");
        Require.range("verification.probePort", probePort, 1, 65535);
        Require.duration("verification.maxWait", maxWait, Duration.ZERO, Duration.ofMinutes(5));
        Require.duration("verification.confirmAfter", confirmAfter, Duration.ZERO, Duration.ofDays(30));
        Require.present("verification.mailFrom", mailFrom, "\"\" for the null sender, or an address");
        mailFrom = mailFrom.trim();
        if (!mailFrom.isEmpty() && !MAIL_FROM.matcher(mailFrom).matches()) {
            throw ConfigException.invalid("verification.mailFrom", "\"\" (the null sender <>) or a plain address like verify@example.com",
                    mailFrom);
        }
        Require.present("verification.confirm", confirm, "after, immediately or never");
        Require.present("verification.unverifiable", unverifiable, "accept or defer");
        Require.present("verification.unprobeable", unprobeable, "accept or defer");
        refusedTargets = Require.list("verification.refusedTargets", refusedTargets).stream()
                .map(VerificationConfig::refusedTarget).toList();
        Require.present("verification.ipv6", ipv6, "auto, on or off");
        Require.range("verification.maxMxAttempts", maxMxAttempts, 1, 10);
        Require.duration("verification.historyRetention", historyRetention, Duration.ofHours(1), Duration.ofDays(3650));
        vouch = Require.list("verification.vouch", vouch).stream().map(VerificationConfig::vouchReason).distinct().toList();
        Require.present("verification.vouchWhen", vouchWhen, "busy or always");
        Require.present("verification.cache", cache, "a section");
        Require.present("verification.budget", budget, "a section");
        Require.present("verification.timeouts", timeouts, "a section");
        if (confirm == Confirm.AFTER && confirmAfter.compareTo(cache.negativeTtl()) >= 0) {
            throw ConfigException.invalid("verification.confirmAfter", "shorter than verification.cache.negativeTtl ("
                    + Durations.format(cache.negativeTtl()) + "), or a rejection is forgotten before it can be confirmed",
                    Durations.format(confirmAfter));
        }
    }

    static VerificationConfig defaults() {
        return new VerificationConfig(true, Mode.ENFORCE, 25, Duration.ofSeconds(5), Duration.ofHours(1), "", Confirm.AFTER,
                true, Unverifiable.ACCEPT, Unverifiable.DEFER, DEFAULT_REFUSED_TARGETS, false, Ipv6.AUTO, 3, Duration.ofDays(30), true,
                VOUCH_REASONS, VouchWhen.BUSY, Cache.defaults(),
                Budget.defaults(), Timeouts.defaults());
    }

    /** The networks of {@link #refusedTargets} (validated text, so parsing cannot fail here). */
    public List<IpNetwork> refusedTargetNetworks() {
        return refusedTargets.stream().map(IpNetwork::parse).toList();
    }

    /** {@code verification.vouch} has {@code spf}: an SPF pass for the sender's domain vouches for it. */
    public boolean vouchBySpf() {
        return vouch.contains("spf");
    }

    /** {@code verification.vouch} has {@code known-networks}: a network that delivered verified mail vouches. */
    public boolean vouchByKnownNetworks() {
        return vouch.contains("known-networks");
    }

    private static String vouchReason(String entry) {
        String e = entry == null ? "" : entry.trim().toLowerCase(java.util.Locale.ROOT);
        if (!VOUCH_REASONS.contains(e)) throw ConfigException.invalid("verification.vouch", "a list of spf, known-networks", entry);
        return e;
    }

    private static String refusedTarget(String entry) {
        try {
            return IpNetwork.parse(entry.trim()).cidr();
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("verification.refusedTargets", "networks such as 10.0.0.0/8 or fc00::/7", entry);
        }
    }

    /** {@code verification.cache.*}: how long verdicts are kept and when they are renewed. */
    public record Cache(
            Duration positiveTtl,
            Duration positiveRefresh,
            Duration negativeTtl,
            Duration negativeRefresh,
            Duration tempFailTtl,
            Duration unverifiableTtl,
            Duration profileTtl) {

        public Cache {
            Require.duration("verification.cache.positiveTtl", positiveTtl, Duration.ofMinutes(1), Duration.ofDays(365));
            Require.duration("verification.cache.positiveRefresh", positiveRefresh, Duration.ofMinutes(1), positiveTtl);
            Require.duration("verification.cache.negativeTtl", negativeTtl, Duration.ofMinutes(1), Duration.ofDays(90));
            Require.duration("verification.cache.negativeRefresh", negativeRefresh, Duration.ofMinutes(1), negativeTtl);
            Require.duration("verification.cache.tempFailTtl", tempFailTtl, Duration.ofSeconds(1), Duration.ofDays(1));
            Require.duration("verification.cache.unverifiableTtl", unverifiableTtl, Duration.ofMinutes(1), Duration.ofDays(90));
            Require.duration("verification.cache.profileTtl", profileTtl, Duration.ofMinutes(1), Duration.ofDays(365));
        }

        static Cache defaults() {
            return new Cache(Duration.ofDays(31), Duration.ofDays(7), Duration.ofDays(3), Duration.ofHours(3),
                    Duration.ofMinutes(3), Duration.ofDays(1), Duration.ofDays(7));
        }
    }

    /** {@code verification.budget.*}: how many probes may run and wait, globally, per sender domain, per MX host. */
    public record Budget(
            int maxConcurrent,
            int maxQueued,
            int perDomainConcurrency,
            int perDomainRate,
            Duration perDomainRatePeriod,
            int perDomainQueue,
            int perHostConcurrency,
            int perAddressConcurrency,
            int perHostRate,
            Duration perHostRatePeriod,
            int perConnection,
            int burstLocalParts,
            Duration burstWindow,
            Duration burstFreeze,
            int reservedInline) {

        public Budget {
            Require.range("verification.budget.maxConcurrent", maxConcurrent, 1, 10_000);
            Require.range("verification.budget.maxQueued", maxQueued, 0, 1_000_000);
            Require.range("verification.budget.perDomainConcurrency", perDomainConcurrency, 1, maxConcurrent);
            Require.range("verification.budget.perDomainRate", perDomainRate, 1, 1_000_000);
            Require.duration("verification.budget.perDomainRatePeriod", perDomainRatePeriod, Duration.ofSeconds(1), Duration.ofDays(1));
            Require.range("verification.budget.perDomainQueue", perDomainQueue, 0, 1_000_000);
            Require.range("verification.budget.perHostConcurrency", perHostConcurrency, 1, 10_000);
            Require.range("verification.budget.perAddressConcurrency", perAddressConcurrency, 1, 10_000);
            Require.range("verification.budget.perHostRate", perHostRate, 1, 1_000_000);
            Require.duration("verification.budget.perHostRatePeriod", perHostRatePeriod, Duration.ofSeconds(1), Duration.ofDays(1));
            Require.range("verification.budget.perConnection", perConnection, 1, 1000);
            Require.range("verification.budget.burstLocalParts", burstLocalParts, 2, 1_000_000);
            Require.duration("verification.budget.burstWindow", burstWindow, Duration.ofSeconds(1), Duration.ofDays(1));
            Require.duration("verification.budget.burstFreeze", burstFreeze, Duration.ZERO, Duration.ofDays(7));
            // at least one slot must stay for background probes, or prefetch and refresh never run
            Require.range("verification.budget.reservedInline", reservedInline, 0, maxConcurrent - 1);
        }

        static Budget defaults() {
            return new Budget(50, 10_000, 2, 20, Duration.ofMinutes(1), 50, 4, 2, 60, Duration.ofMinutes(1), 3, 50,
                    Duration.ofMinutes(10), Duration.ofHours(1), 10);
        }
    }

    /**
     * {@code verification.timeouts.*}: short deadlines while a client waits (inline), full RFC 5321 §4.5.3.2 ones in
     * the background (prefetch, refresh, and the re-run of an inline probe that ran out of time), as mailfromd splits
     * them. {@code probeTotal} bounds one background probe as a whole, all commands and MX hosts together (a slow-drip
     * MX would otherwise hold a slot for every reply's deadline in turn); an inline probe is bounded by
     * {@code verification.maxWait}.
     */
    public record Timeouts(Duration inlineConnect, Duration inlineReply, Duration backgroundConnect, Duration backgroundReply,
            Duration probeTotal) {
        public Timeouts {
            Require.duration("verification.timeouts.inlineConnect", inlineConnect, Duration.ofMillis(100), Duration.ofMinutes(5));
            Require.duration("verification.timeouts.inlineReply", inlineReply, Duration.ofMillis(100), Duration.ofMinutes(10));
            Require.duration("verification.timeouts.backgroundConnect", backgroundConnect, Duration.ofMillis(100), Duration.ofMinutes(10));
            Require.duration("verification.timeouts.backgroundReply", backgroundReply, Duration.ofMillis(100), Duration.ofMinutes(30));
            Require.duration("verification.timeouts.probeTotal", probeTotal, Duration.ofMillis(100), Duration.ofHours(2));
        }

        static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5),
                    Duration.ofMinutes(2));
        }
    }
}
