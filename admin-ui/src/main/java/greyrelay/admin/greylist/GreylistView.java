package greyrelay.admin.greylist;

import greyrelay.db.greylist.ClientNetworkEntry;
import greyrelay.db.greylist.StoredTriplet;
import greyrelay.db.greylist.TripletState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of the greylist API, and names for the pages. */
public final class GreylistView {
    private GreylistView() {}

    public static String param(TripletState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The decision-list search for a triplet's mail: its sender (unless the null sender) and recipient. The decision
     * log records the client's address, not the greylist's network, so the client is left to the reader.
     */
    public static String decisionsQuery(greyrelay.db.greylist.TripletKey key) {
        String recipient = "recipient=" + greyrelay.admin.web.Html.q(key.recipient());
        return key.nullSender() ? recipient : "sender=" + greyrelay.admin.web.Html.q(key.sender()) + "&" + recipient;
    }

    public static List<TripletState> states() {
        return List.of(TripletState.values());
    }

    /** A triplet in the API; client, sender and recipient came from strangers' envelopes. */
    public record Triplet(long id, String client, String sender, String recipient, String state, Instant firstSeen,
            Instant lastSeen, Instant passedAt, int attempts, Instant expiresAt) {
        static Triplet of(StoredTriplet t, Instant now) {
            var e = t.entry();
            return new Triplet(t.id(), e.key().client(), e.key().sender(), e.key().recipient(), param(t.state(now)), e.firstSeen(),
                    e.lastSeen(), e.passedAt(), e.attempts(), e.expiresAt());
        }
    }

    /** An auto-whitelisted client network in the API. */
    public record Network(String network, int passes, Instant firstSeen, Instant lastSeen, Instant expiresAt) {
        static Network of(ClientNetworkEntry c) {
            return new Network(c.network(), c.passes(), c.firstSeen(), c.lastSeen(), c.expiresAt());
        }
    }
}
