package greyrelay.relay.policy;

import java.net.InetAddress;
import java.util.function.BiPredicate;

/**
 * Open connections on this node, as the connection-limit checks read them; the listener that accepts the
 * connections keeps the count (the current connection is already included when the connect checks run).
 */
public interface OpenConnections {
    /** Open connections in total. */
    int total();

    /** Open connections from {@code client}. */
    int of(InetAddress client);

    /** Open connections from the clients that {@code sameNetwork} says share {@code client}'s network. */
    int inNetwork(InetAddress client, BiPredicate<InetAddress, InetAddress> sameNetwork);
}
