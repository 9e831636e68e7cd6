package greyrelay.relay.spf;

import java.util.Locale;

/** The seven results of check_host() (RFC 7208 §2.6). */
public enum SpfResult {
    /** No SPF record, or the domain could not be checked (malformed, or no HELO for the null sender). */
    NONE,
    /** The domain states nothing about the client ({@code ?}, or no mechanism matched). */
    NEUTRAL,
    /** The client is authorised. */
    PASS,
    /** The client is not authorised. */
    FAIL,
    /** Probably not authorised ({@code ~}). */
    SOFTFAIL,
    /** A transient (DNS) error, or the evaluation ran out of time: try again later. */
    TEMPERROR,
    /** The record could not be interpreted (syntax, limits, missing include target). */
    PERMERROR;

    /** The result as headers write it: {@code pass}, {@code softfail}, ... */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The result a {@link #token()} names. */
    public static SpfResult fromToken(String token) {
        return valueOf(token.toUpperCase(Locale.ROOT));
    }
}
