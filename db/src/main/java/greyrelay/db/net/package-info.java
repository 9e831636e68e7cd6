/**
 * IP networks: {@link greyrelay.db.net.IpNetwork}, the one type for an IPv4 or IPv6 network (parse, contains,
 * canonical text, the /N of an address, and unwrapping IPv4 addresses carried inside IPv6 ones), and
 * {@link greyrelay.db.net.NetworkPrefixes}, the pair of prefix lengths that groups clients into networks.
 *
 * <p>It lives in the lowest module because stored values are its text (whitelist entries, greylist client networks,
 * spamtrap blocks, rate-limit override blocks); the relay and the admin panel use the same type. Pure: no I/O, and
 * never a DNS lookup (text is parsed by hand, not by {@code InetAddress.getByName}). Trusts nothing: every text is
 * validated, and what comes from strangers (SPF records, import files, forms) goes through the same parser.
 */
package greyrelay.db.net;
