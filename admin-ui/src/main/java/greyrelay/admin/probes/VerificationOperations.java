package greyrelay.admin.probes;

import greyrelay.db.verify.CacheKind;
import java.util.Optional;

/**
 * What the panel may ask of the relay's callback verification. admin-ui declares it; the relay implements it over its
 * sender and recipient verifiers and hands it to the panel it embeds
 * ({@code AdminApp.builder(…).verification(ops)}). A panel running alone
 * ({@code greyrelay admin}) has none: it can still forget a cached verdict (directly in the shared database) but not
 * start a probe, so it hides "verify again now".
 *
 * <p>Addresses are operator input: the implementation decides what may be probed (a plain ASCII {@code local@domain}
 * only) and refuses the rest. Every method returns quickly; a probe runs in the background. Thread-safe.
 */
public interface VerificationOperations {

    /**
     * Probes the address afresh in the background, even when its cached verdict is still fresh, within the relay's
     * budgets (a domain's budget or burst freeze can refuse it). The result is cached and recorded in the probe history
     * like any probe's, with origin {@code ADMIN}; the usual merge rules apply (a temporary failure never replaces a
     * good verdict).
     *
     * @param kind    SENDER (a callback to the sender domain's MX) or RECIPIENT (asked of our downstream)
     * @param address the address as the cache keys it (lower case)
     */
    Reverify reverify(CacheKind kind, String address);

    /** Deletes the cached verdict, so the next mail from (or to) this address is probed again. Whether there was one. */
    boolean forget(CacheKind kind, String address);

    /** The domain's burst freeze on this node, while it lasts; empty when probes to it are not paused. */
    default Optional<Freeze> freeze(String domain) {
        return Optional.empty();
    }
}
