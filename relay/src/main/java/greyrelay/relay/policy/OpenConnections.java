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

    /** These counts with one more connection from {@code client}: what the connect checks would see if it connected now. */
    default OpenConnections withOneMore(InetAddress client) {
        OpenConnections now = this;
        return new OpenConnections() {
            @Override
            public int total() {
                return now.total() + 1;
            }

            @Override
            public int of(InetAddress c) {
                return now.of(c) + (c.equals(client) ? 1 : 0);
            }

            @Override
            public int inNetwork(InetAddress c, BiPredicate<InetAddress, InetAddress> sameNetwork) {
                return now.inNetwork(c, sameNetwork) + (sameNetwork.test(c, client) ? 1 : 0);
            }
        };
    }
}
