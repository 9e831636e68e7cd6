package greyrelay.relay.verify;

import greyrelay.relay.config.VerificationConfig;
import greyrelay.relay.policy.SpfFact;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Vouching, pure: when a sender is accepted without a probe. A forged-sender flood freezes the forged domain's probes
 * (or uses up its budget); the forgeries come from hosts the domain never authorised, while its real mail comes from
 * hosts it publishes in SPF or from networks its verified mail came from before. So while the domain is busy
 * ({@link SenderStatus.BudgetExhausted}, which would be {@code 451 4.4.5}), a sender of it is vouched for when
 * <ul>
 *   <li>{@code spf} is on and SPF passed for the sender's domain in this transaction, or</li>
 *   <li>{@code known-networks} is on and the client's network delivered mail from verified senders of the domain
 *       within {@code greylist.maxAge} (asked only when SPF did not vouch: it costs a database read).</li>
 * </ul>
 * With {@code vouchWhen: always} an SPF pass vouches before any probe. Everything else is answered as verification
 * said. A cached verdict always comes first (the verifier answers from the cache before it asks the budget).
 * No I/O, no clock.
 */
final class Vouching {

    /** Why a sender was vouched for; {@code tag} names it in metrics and the tally, {@code phrase} in the decision log. */
    enum Reason {
        SPF("spf", "vouched by SPF"),
        KNOWN_NETWORK("known-network", "vouched by known network");

        final String tag;
        final String phrase;

        Reason(String tag, String phrase) {
            this.tag = tag;
            this.phrase = phrase;
        }
    }

    /** A sender accepted without a probe, and why in one line. */
    record Vouched(Reason reason, String why) {}

    private final boolean bySpf;
    private final boolean byKnownNetworks;
    private final VerificationConfig.VouchWhen when;

    Vouching(boolean bySpf, boolean byKnownNetworks, VerificationConfig.VouchWhen when) {
        this.bySpf = bySpf;
        this.byKnownNetworks = byKnownNetworks;
        this.when = Objects.requireNonNull(when, "when");
    }

    static Vouching from(VerificationConfig v) {
        return new Vouching(v.vouchBySpf(), v.vouchByKnownNetworks(), v.vouchWhen());
    }

    /** Whether successful verifications should teach the domain's sending networks. */
    boolean learnsNetworks() {
        return byKnownNetworks;
    }

    /** Before verification: with {@code vouchWhen: always}, an SPF pass for the sender's domain skips the probe. */
    Optional<Vouched> beforeProbe(String senderDomain, Optional<SpfFact> spf) {
        if (when != VerificationConfig.VouchWhen.ALWAYS || !bySpf || !spfPassFor(senderDomain, spf)) return Optional.empty();
        return Optional.of(new Vouched(Reason.SPF, Reason.SPF.phrase + " (vouchWhen: always): " + spf.orElseThrow().why()));
    }

    /**
     * After verification answered {@code status}: a budget refusal (burst freeze, domain rate or queue, ...) is vouched
     * for when SPF passed for the domain, or the client's network is known for it ({@code knownNetwork}, asked only
     * when it would decide).
     */
    Optional<Vouched> whenBusy(SenderStatus status, String senderDomain, Optional<SpfFact> spf, BooleanSupplier knownNetwork) {
        if (!(status instanceof SenderStatus.BudgetExhausted busy)) return Optional.empty();
        if (bySpf && spfPassFor(senderDomain, spf)) {
            return Optional.of(new Vouched(Reason.SPF, Reason.SPF.phrase + " instead of a probe (" + busy.why() + ")"));
        }
        if (byKnownNetworks && knownNetwork.getAsBoolean()) {
            return Optional.of(new Vouched(Reason.KNOWN_NETWORK, Reason.KNOWN_NETWORK.phrase
                    + ": it delivered mail from verified senders of " + senderDomain.toLowerCase(Locale.ROOT)
                    + " before, instead of a probe (" + busy.why() + ")"));
        }
        return Optional.empty();
    }

    /** Whether a finished verification proves a sender of the domain real, so its client's network can be learned. */
    boolean teaches(SenderStatus status) {
        return byKnownNetworks && status instanceof SenderStatus.Deliverable;
    }

    private static boolean spfPassFor(String senderDomain, Optional<SpfFact> spf) {
        String domain = senderDomain.toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) domain = domain.substring(0, domain.length() - 1);
        String d = domain;
        return spf.flatMap(SpfFact::authorisedDomain).filter(d::equals).isPresent();
    }
}
