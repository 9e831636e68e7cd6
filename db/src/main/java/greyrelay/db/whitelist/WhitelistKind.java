package greyrelay.db.whitelist;

/** What a whitelist entry matches. The value syntax of each kind is described on {@link WhitelistEntry}. */
public enum WhitelistKind {
    /** The client's IP address or network (IPv4 or IPv6, CIDR). */
    CLIENT_ADDRESS,
    /** The client's host name, only when forward-confirmed: a domain (and its subdomains) or a /regex/. */
    CLIENT_HOST,
    /** The envelope sender: an address or a domain (and its subdomains). */
    SENDER,
    /** The envelope recipient: an address, a local part in any domain, a domain (and subdomains) or a /regex/. */
    RECIPIENT
}
