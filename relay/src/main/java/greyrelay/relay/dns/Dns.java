package greyrelay.relay.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * DNS lookups as greyrelay needs them. Implementations are thread-safe and never throw for DNS outcomes: every
 * outcome, failures included, is a value.
 *
 * <p>Names may be given with or without the trailing dot, in any case; they are absolute (no search list). A
 * name that is not a valid domain name (empty label, a label over 63 octets, over 253 characters, or characters
 * outside printable ASCII) is never sent and answers {@code NxDomain}: such a name cannot exist, and RFC 7208
 * treats it as no match. Names in answers are lower case, without the trailing dot.
 *
 * <p>CNAME chains in answers are followed; the answer holds the records of the chain's final name.
 */
public interface Dns {

    /** MX records of {@code domain}, sorted by preference. */
    MxAnswer mx(String domain);

    /** IPv4 addresses of {@code name}. */
    DnsAnswer<Inet4Address> a(String name);

    /** IPv6 addresses of {@code name}. */
    DnsAnswer<Inet6Address> aaaa(String name);

    /**
     * TXT records of {@code name}, one value per record, each record's character-strings joined with nothing
     * between (RFC 7208 §3.3). Bytes are decoded as UTF-8 when they are valid UTF-8, else as ISO-8859-1; never
     * escaped. The text is remote data: check it before use.
     */
    DnsAnswer<String> txt(String name);

    /** PTR names of {@code address} (in-addr.arpa / ip6.arpa); not forward-confirmed. */
    DnsAnswer<String> ptr(InetAddress address);
}
