package greyrelay.relay.verify;

/**
 * What sender verification says about one sender, as the check needs it. {@code cached}: answered from the verdict
 * cache (or the domain profile) rather than by a probe that just finished.
 */
public sealed interface SenderStatus {

    /** Why, in one line (for the decision log and the administrator). */
    String why();

    /** Bounces to the sender would be accepted. */
    record Deliverable(String why, boolean cached) implements SenderStatus {}

    /** The sender's MX refused the mailbox. {@code confirmed}: a 5xx may be answered (see CachePolicy). */
    record Undeliverable(boolean confirmed, String why, boolean cached) implements SenderStatus {}

    /** Cannot be verified (the MX refuses the null sender and postmaster@, or the address cannot go on the wire). */
    record Unverifiable(String why, boolean cached) implements SenderStatus {}

    /**
     * The sender cannot go on the wire as written (quoted specials, 8-bit): never probed; answered per
     * {@code verification.unprobeable}.
     */
    record Unprobeable(String why) implements SenderStatus {}

    /** The probe could not finish (DNS, MX down or busy, 4xx to our probe, timeout). */
    record TempFail(String why, boolean cached) implements SenderStatus {}

    /** Still running after the client's wait; it finishes in the background and is cached for the retry. */
    record Pending(String why) implements SenderStatus {}

    /** The probe budget (domain, global, MX host, this connection, burst freeze) left no room. */
    record BudgetExhausted(String domain, String why) implements SenderStatus {}

    /** The sender domain does not exist or has neither MX nor address. */
    record NoSuchDomain(String why) implements SenderStatus {}

    /** The sender domain publishes a null MX. */
    record NullMx() implements SenderStatus {
        @Override
        public String why() {
            return "the domain publishes a null MX";
        }
    }
}
