package greyrelay.db.verify;

/** What the last probe of an address found. */
public enum CacheStatus {
    /** The mailbox accepts mail (2xx to RCPT). */
    VALID,
    /** The mailbox was refused (5xx to RCPT). */
    INVALID,
    /** The probe could not finish (DNS, connection, 4xx, timeout): try again soon. */
    TEMPFAIL,
    /** The probe cannot tell, e.g. the MX refuses both the null sender and postmaster@. */
    UNVERIFIABLE;

    /** VALID, INVALID and UNVERIFIABLE are answers; TEMPFAIL is the absence of one. */
    public boolean isDefinite() {
        return this != TEMPFAIL;
    }
}
