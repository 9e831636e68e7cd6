package greyrelay.relay.policy;

/** What a whitelist (or DNSWL) entry lets a client, sender or recipient skip. Whitelists never accept by themselves. */
public enum Exemption {
    GREYLISTING,
    SENDER_VERIFICATION,
    SPF,
    DNSBL,
    HELO_CHECKS,
    RATE_LIMITS
}
