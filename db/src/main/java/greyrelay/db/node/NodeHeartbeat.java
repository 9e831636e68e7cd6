package greyrelay.db.node;

import greyrelay.db.Columns;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One relay node's last heartbeat, as one {@code node_heartbeat} row.
 *
 * @param name                 {@code node.name}, the row's key
 * @param version              the relay's version
 * @param startedAt            when the node started
 * @param lastSeen             when it last wrote this row
 * @param smtpListening        its SMTP listener accepted connections then
 * @param queueDepth           messages in its spool then
 * @param oldestMessageSeconds age of its oldest queued message then, null when the queue was empty
 */
public record NodeHeartbeat(
        String name,
        String version,
        Instant startedAt,
        Instant lastSeen,
        boolean smtpListening,
        int queueDepth,
        Long oldestMessageSeconds) {

    /** A node whose last heartbeat is this old is shown as down: it writes one every 15 s, so four were missed. */
    public static final Duration DOWN_AFTER = Duration.ofMinutes(1);

    static final int MAX_NAME = 255;
    static final int MAX_VERSION = 64;

    public NodeHeartbeat {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (name.isBlank()) throw new IllegalArgumentException("blank node name");
        if (queueDepth < 0) throw new IllegalArgumentException("negative queue depth " + queueDepth);
        name = Columns.clean(name, MAX_NAME);
        version = Columns.clean(version, MAX_VERSION);
        startedAt = Columns.micros(startedAt);
        lastSeen = Columns.micros(lastSeen);
    }

    /** Up or down at {@code now}: down when not seen for {@link #DOWN_AFTER} or longer. */
    public State state(Instant now) {
        return Duration.between(lastSeen, now).compareTo(DOWN_AFTER) >= 0 ? State.DOWN : State.UP;
    }

    /** What the Cluster page shows for a node. */
    public enum State { UP, DOWN }
}
