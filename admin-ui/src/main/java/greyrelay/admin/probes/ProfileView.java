package greyrelay.admin.probes;

import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainTrait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A domain's learned profile as the panel and its API show it: every trait, observed or not, with when it was learned
 * and until when it counts.
 *
 * @param updatedAt when the profile last changed; a profile unchanged for {@code verification.cache.profileTtl} is
 *                  removed by the relay's cleanup
 */
public record ProfileView(String domain, Instant updatedAt, List<Trait> traits) {

    public ProfileView {
        traits = List.copyOf(traits);
    }

    /**
     * @param learnedAt when the trait was last observed; null when not observed (or cleared by a later probe)
     * @param expiresAt learnedAt + the profile lifetime; null when either is unknown
     * @param state     NOT_OBSERVED, IN_FORCE, EXPIRED, or OBSERVED when the lifetime is unknown (panel running alone
     *                  without {@code verification.cache.profileTtl} in its configuration)
     */
    public record Trait(DomainTrait trait, String label, String meaning, Instant learnedAt, Instant expiresAt, State state) {
        public String css() {
            return switch (state) {
                case IN_FORCE, OBSERVED -> trait == DomainTrait.NULL_MX ? "rejected" : "deferred";
                case EXPIRED, NOT_OBSERVED -> "";
            };
        }
    }

    public enum State { NOT_OBSERVED, IN_FORCE, EXPIRED, OBSERVED }

    static ProfileView of(DomainProfile p, Duration ttl, Instant now) {
        List<Trait> traits = new ArrayList<>();
        for (DomainTrait t : DomainTrait.values()) {
            Instant at = p.observed(t).orElse(null);
            Instant expires = at == null || ttl == null ? null : at.plus(ttl);
            State state = at == null ? State.NOT_OBSERVED : expires == null ? State.OBSERVED
                    : now.isBefore(expires) ? State.IN_FORCE : State.EXPIRED;
            traits.add(new Trait(t, label(t), meaning(t), at, expires, state));
        }
        return new ProfileView(p.domain(), p.updatedAt(), traits);
    }

    /** Whether any trait is observed (in force or not). */
    public boolean knowsAnything() {
        return traits.stream().anyMatch(t -> t.state() != State.NOT_OBSERVED);
    }

    public static String label(DomainTrait t) {
        return switch (t) {
            case UNREACHABLE -> "Unreachable";
            case REFUSES_NULL_SENDER -> "Refuses the null sender";
            case GREYLISTS_PROBES -> "Greylists our probes";
            case NULL_MX -> "Null MX";
            case ACCEPTS_ANY -> "Accepts every address";
        };
    }

    static String meaning(DomainTrait t) {
        return switch (t) {
            case UNREACHABLE -> "no MX host of the domain could be connected to; during a probe freeze mail gets 4xx";
            case REFUSES_NULL_SENDER -> "its MX refuses MAIL FROM:<>; probes go straight to MAIL FROM:<postmaster@…>";
            case GREYLISTS_PROBES -> "its MX answers our probes with 4xx; such answers are \"unknown\", never \"invalid\"";
            case NULL_MX -> "the domain publishes a null MX (RFC 7505): it accepts no mail";
            case ACCEPTS_ANY -> "its MX accepted a random local part: its \"yes\" proves nothing about one address";
        };
    }
}
