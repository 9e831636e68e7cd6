package greyrelay.admin.probes;

import java.util.Locale;

/**
 * The outcome names the relay writes to the probe history ({@code ProbeResult.outcome()}, and the cache's status names
 * for answers from the cache), with what each means and how the panel colours it. The search offers these; a row
 * with a name not listed here (a newer relay) is still shown, just without a colour.
 */
public enum OutcomeName {
    DELIVERABLE("accepted", "the MX accepted the address (2xx to RCPT)"),
    UNDELIVERABLE("rejected", "the MX refused the address (5xx to RCPT)"),
    UNKNOWN("deferred", "the MX answered 4xx (busy, or it greylists our probes): no verdict"),
    TEMPFAIL("deferred", "DNS, connection or timeout trouble: no verdict, probed again later"),
    THROTTLED("deferred", "not probed: the domain's probe budget was used up"),
    UNVERIFIABLE("observe", "cannot tell: the MX refuses both the null sender and postmaster@, or not a plain address"),
    NO_SUCH_DOMAIN("rejected", "the domain has no MX and no address"),
    NULL_MX("rejected", "the domain publishes a null MX (RFC 7505): it accepts no mail");

    private final String css;
    private final String meaning;

    OutcomeName(String css, String meaning) {
        this.css = css;
        this.meaning = meaning;
    }

    public String css() {
        return css;
    }

    public String meaning() {
        return meaning;
    }

    /** The badge class of a stored outcome name; "" for a name not known here. */
    public static String cssOf(String name) {
        OutcomeName o = lookup(name);
        return o == null ? "" : o.css;
    }

    /** What a stored outcome name means; "" for a name not known here. */
    public static String meaningOf(String name) {
        OutcomeName o = lookup(name);
        return o == null ? "" : o.meaning;
    }

    private static OutcomeName lookup(String name) {
        if (name == null) return null;
        for (OutcomeName o : values()) {
            if (o.name().equals(name.toUpperCase(Locale.ROOT))) return o;
        }
        return null;
    }
}
