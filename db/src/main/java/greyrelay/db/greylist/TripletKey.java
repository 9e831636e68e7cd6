package greyrelay.db.greylist;

import java.util.Objects;

/**
 * The key of one greylist triplet, already normalised by the relay: the store compares these strings exactly.
 *
 * @param client    a client network such as {@code 192.0.2.0/24} or {@code 2001:db8:1:2::/64}, or an SPF-authorised
 *                  domain as {@code spf:example.org}
 * @param sender    the normalised sender address, or {@code <>} for the null sender
 * @param recipient the normalised recipient address
 */
public record TripletKey(String client, String sender, String recipient) {
    /** The sender part of the null sender's triplets. */
    public static final String NULL_SENDER = "<>";

    static final int MAX_CLIENT = 260;
    static final int MAX_ADDRESS = 320;

    public TripletKey {
        client = require("client", client, MAX_CLIENT);
        sender = require("sender", sender, MAX_ADDRESS);
        recipient = require("recipient", recipient, MAX_ADDRESS);
    }

    public boolean nullSender() {
        return NULL_SENDER.equals(sender);
    }

    static String require(String what, String value, int max) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(what + " must have 1 to " + max + " characters: " + value.length());
        }
        if (value.indexOf('\0') >= 0) throw new IllegalArgumentException(what + " contains NUL");
        return value;
    }

    @Override
    public String toString() {
        return "(" + client + ", " + sender + ", " + recipient + ")";
    }
}
