package greyrelay.relay.cluster;

import greyrelay.db.node.NodeHeartbeat;
import greyrelay.db.node.NodeHeartbeats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's heartbeat: every {@link #INTERVAL} it replaces its {@code node_heartbeat} row (name, version, start
 * time, now, SMTP listening, queue depth, oldest message), so the panel of any node can list the fleet and show a node
 * that stopped writing as down ({@link NodeHeartbeat#DOWN_AFTER}).
 *
 * <p>A failed write is logged once per outage and retried at the next beat: the database being away must not stop
 * anything else the scheduler runs.
 */
public final class Heartbeat {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    /** Four beats fit in {@link NodeHeartbeat#DOWN_AFTER}: one lost write does not show a live node as down. */
    public static final Duration INTERVAL = Duration.ofSeconds(15);

    /** What a beat reports about this node, read at the moment of the beat. */
    public record Status(boolean smtpListening, int queueDepth, Duration oldestMessage) {}

    private final NodeHeartbeats store;
    private final Clock clock;
    private final String node;
    private final String version;
    private final Instant startedAt;
    private final Supplier<Status> status;
    private volatile boolean failing;

    public Heartbeat(NodeHeartbeats store, Clock clock, String node, String version, Supplier<Status> status) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.node = Objects.requireNonNull(node, "node");
        this.version = Objects.requireNonNull(version, "version");
        this.status = Objects.requireNonNull(status, "status");
        this.startedAt = clock.instant();
    }

    /** Beats now and then every {@link #INTERVAL} on the relay's scheduler. */
    public void schedule(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::beat, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes one heartbeat with the clock's time now; true when it was stored. */
    public boolean beat() {
        try {
            Status s = status.get();
            store.beat(new NodeHeartbeat(node, version, startedAt, clock.instant(), s.smtpListening(), s.queueDepth(),
                    s.oldestMessage() == null ? null : s.oldestMessage().toSeconds()));
            if (failing) log.info("node heartbeat of {} written again", node);
            failing = false;
            return true;
        } catch (RuntimeException e) { // a DatabaseException above all; nothing may kill the scheduled job
            if (!failing) log.warn("node heartbeat of {} not written (retried every {}s): {}", node, INTERVAL.toSeconds(), e.getMessage());
            failing = true;
            return false;
        }
    }
}
