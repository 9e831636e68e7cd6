package greyrelay.admin;

import greyrelay.db.greylist.TripletKey;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.net.NetworkPrefixes;
import java.util.List;
import java.util.Locale;

/**
 * The greylist keys the relay gives an envelope (client address, sender, recipient as the decision log recorded them),
 * so a decision's page can find its triplet. The relay passes its own ({@code AdminApp.builder(…).tripletKeys(…)}):
 * its network prefixes, sender normalisation (BATV, SRS, extensions), {@code greylist.privacy} hashing and, with
 * {@code greylist.spfDomainKey}, the sender domain's {@code spf:} key first. Several candidates because the decision
 * log does not record whether SPF passed; the first stored one is the triplet. Empty when no key can be made.
 */
@FunctionalInterface
public interface TripletKeys {
    List<TripletKey> candidates(String clientIp, String sender, String recipient);

    /**
     * A panel running alone (no relay code in its process): the network by the configured prefixes, both addresses
     * lower-cased, {@code <>} for the null sender. Right for plain addresses; a sender the relay normalised (BATV, SRS)
     * or hashed is not found, and the page then offers no pass.
     */
    static TripletKeys plain(NetworkPrefixes prefixes) {
        return (ip, sender, recipient) -> {
            if (ip == null || recipient == null || recipient.isBlank()) return List.of();
            try {
                String network = prefixes.networkOf(IpNetwork.literal(ip)).toString();
                String s = sender == null || sender.isEmpty() ? TripletKey.NULL_SENDER : sender.toLowerCase(Locale.ROOT);
                return List.of(new TripletKey(network, s, recipient.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return List.of();
            }
        };
    }
}
