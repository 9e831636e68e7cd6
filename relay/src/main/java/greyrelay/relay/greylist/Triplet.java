package greyrelay.relay.greylist;

import greyrelay.db.greylist.TripletKey;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.net.NetworkPrefixes;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SpfFact;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A greylist triplet: (client, sender, recipient), each part normalised so that one real sender retrying from its
 * pool of servers keeps one triplet.
 *
 * <ul>
 *   <li>client: the client's network, IPv4 {@code /ipv4Prefix} (default /24) and IPv6 {@code /ipv6Prefix} (default
 *       /64), as canonical text ({@code 192.0.2.0/24}, {@code 2001:db8:1:2::/64}); or, when
 *       {@code greylist.spfDomainKey} is on and SPF passed for this transaction ({@link SpfFact#authorisedDomain()}),
 *       {@code spf:<domain>}: every server that domain's SPF record authorises is one client.</li>
 *   <li>sender: {@link SenderNormalisation} (case, BATV, SRS, extensions, per-message numbers); {@code <>} for the
 *       null sender.</li>
 *   <li>recipient: lower-cased only. Extensions are kept: {@code john+lists@} is its own recipient, so each new
 *       extension is greylisted once.</li>
 * </ul>
 * With {@code greylist.privacy} (postgrey's {@code --privacy}) the sender and the recipient are stored only as
 * {@code sha256:<hex>} of their normalised form: a retry still finds its triplet, but the table names no address.
 * The null sender stays {@code <>}.
 */
public record Triplet(String client, String sender, String recipient) {
    public static final String SPF_PREFIX = "spf:";

    public TripletKey key() {
        return new TripletKey(client, sender, recipient);
    }

    @Override
    public String toString() {
        return "(" + client + ", " + sender + ", " + recipient + ")";
    }

    public static String sender(Sender sender) {
        return switch (sender) {
            case Sender.Null n -> TripletKey.NULL_SENDER;
            case Sender.Address a -> SenderNormalisation.normalise(a.mailbox());
        };
    }

    public static String recipient(Mailbox recipient) {
        return recipient.address().toLowerCase(Locale.ROOT);
    }

    /**
     * How triplets are keyed, from {@code greylist.ipv4Prefix}, {@code greylist.ipv6Prefix} and
     * {@code greylist.spfDomainKey}.
     */
    public record Keying(NetworkPrefixes prefixes, boolean spfDomainKey, boolean privacy) {
        public Keying(int ipv4Prefix, int ipv6Prefix, boolean spfDomainKey) {
            this(ipv4Prefix, ipv6Prefix, spfDomainKey, false);
        }

        public Keying(int ipv4Prefix, int ipv6Prefix, boolean spfDomainKey, boolean privacy) {
            this(new NetworkPrefixes(ipv4Prefix, ipv6Prefix), spfDomainKey, privacy);
        }

        /** The client network an address belongs to: also the key of auto-whitelisting and spamtrap blocks. */
        public String network(InetAddress client) {
            return prefixes.networkOf(client).toString();
        }

        public Triplet of(InetAddress client, Optional<String> spfDomain, Sender sender, Mailbox recipient) {
            String c = spfDomainKey && spfDomain.isPresent() ? SPF_PREFIX + spfDomain.get() : network(client);
            String s = Triplet.sender(sender);
            String r = Triplet.recipient(recipient);
            if (privacy) {
                if (!TripletKey.NULL_SENDER.equals(s)) s = hashed(s);
                r = hashed(r);
            }
            return new Triplet(c, s, r);
        }

        /**
         * The keys a recorded decision's mail may have (the admin panel finds a decision's triplet with them): with
         * {@code spfDomainKey} the sender domain's {@code spf:} key first (the log does not say whether SPF passed),
         * then the network key. Empty when the client is not an IP literal or an address does not parse.
         */
        public List<TripletKey> candidates(String clientIp, String sender, String recipient) {
            InetAddress client;
            try {
                client = IpNetwork.literal(clientIp == null ? "" : clientIp);
            } catch (IllegalArgumentException e) {
                return List.of();
            }
            Optional<Sender> from = Sender.parse(sender == null ? "" : sender);
            Optional<Mailbox> to = recipient == null ? Optional.empty() : Mailbox.parse(recipient);
            if (from.isEmpty() || to.isEmpty()) return List.of();
            List<TripletKey> keys = new ArrayList<>();
            from.get().asMailbox().filter(m -> spfDomainKey).ifPresent(m -> keys.add(of(client, Optional.of(m.domain()), from.get(), to.get()).key()));
            keys.add(of(client, Optional.empty(), from.get(), to.get()).key());
            return List.copyOf(keys);
        }

        /** The triplet of one RCPT (the recipient must be a mailbox). */
        public Triplet of(PolicyRequest.Rcpt r) {
            return of(r.session().clientAddress(), r.tx().facts().spf().flatMap(SpfFact::authorisedDomain), r.tx().sender(),
                    r.recipient());
        }
    }

    /** {@code sha256:<64 hex digits>} of the text's UTF-8 bytes. */
    static String hashed(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
