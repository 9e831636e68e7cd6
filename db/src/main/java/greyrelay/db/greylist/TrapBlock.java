package greyrelay.db.greylist;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * A client network blocked because it sent to a spamtrap: until {@code expiresAt} everything it sends is deferred.
 * The last hit's details say why ({@code clientIp}, {@code sender}, {@code trap}, {@code reason}); they come from a
 * stranger's envelope, so they are cut to their column length rather than failing the insert.
 *
 * @param hits trap hits since the block started; a hit while blocked extends the block
 */
public record TrapBlock(String network, Instant blockedAt, Instant expiresAt, int hits, String clientIp, String sender,
        String trap, String reason) {
    static final int MAX_IP = 64;
    static final int MAX_REASON = 1000;

    public TrapBlock {
        network = TripletKey.require("network", network, ClientNetworkEntry.MAX_NETWORK);
        blockedAt = Columns.micros(Objects.requireNonNull(blockedAt, "blockedAt"));
        expiresAt = Columns.micros(Objects.requireNonNull(expiresAt, "expiresAt"));
        if (hits < 1) throw new IllegalArgumentException("hits must be at least 1: " + hits);
        clientIp = Columns.clean(Objects.requireNonNull(clientIp, "clientIp"), MAX_IP);
        sender = Columns.clean(sender, TripletKey.MAX_ADDRESS);
        trap = Columns.clean(Objects.requireNonNull(trap, "trap"), TripletKey.MAX_ADDRESS);
        reason = Columns.clean(Objects.requireNonNull(reason, "reason"), MAX_REASON);
    }
}
