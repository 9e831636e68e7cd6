package greyrelay.db.verify;

/** What probes can learn about a sender domain. */
public enum DomainTrait {
    /** No MX host of the domain could be connected to. */
    UNREACHABLE,
    /** The MX refuses {@code MAIL FROM:<>} (RFC 5321 §4.5.5 says it must not); we retry with postmaster@. */
    REFUSES_NULL_SENDER,
    /** The MX answers our probes with 4xx (it greylists us, or is busy): "unknown", never "invalid". */
    GREYLISTS_PROBES,
    /** The domain publishes a null MX (RFC 7505): it accepts no mail. */
    NULL_MX,
    /** The MX accepted a random local part (optional check): its "yes" proves nothing about one address. */
    ACCEPTS_ANY
}
