package greyrelay.relay.verify;

import greyrelay.db.verify.Lease;
import greyrelay.db.verify.ProbeLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SingleFlight} across the nodes of a cluster: the flights of this process ({@link LocalSingleFlight}), and for
 * each lead a lease row {@code probe:<key>} ({@link ProbeLeases}) taken with one conditional insert. A node that finds
 * another node's live lease does not probe: its flight is a watch that polls the shared verdict cache every
 * {@code poll} and ends with the verdict the other node stored, or, when the lease is gone or expired without one (the
 * holder gave up, or died), with {@link Remote#gaveUp}. Joiners of this node join the watch as they would a probe, and
 * wait no longer than their own deadline; the watch itself ends at the lease's expiry at the latest, so nothing waits
 * for a dead node for ever. Thread-safe.
 *
 * @param <R> what a flight comes to
 */
final class LeasedSingleFlight<R> implements SingleFlight<R> {
    private static final Logger log = LoggerFactory.getLogger(LeasedSingleFlight.class);

    /** What the holder on another node left behind. */
    interface Remote<R> {
        /** The verdict stored for {@code key} since {@code since}, as this flight's result; empty while none is. */
        Optional<R> verdict(String key, Instant since);

        /** The result when the other node's lease ended without a verdict. */
        R gaveUp(String key);
    }

    private final LocalSingleFlight<R> local = new LocalSingleFlight<>();
    private final ProbeLeases leases;
    private final String holder;
    private final Clock clock;
    private final Duration ttl;
    private final Duration poll;
    private final Remote<R> remote;

    /**
     * @param holder this node's run (its leases' holder)
     * @param ttl    a lease's life from its taking or renewal: longer than one probe
     * @param poll   how often a watch reads the cache and the lease
     */
    LeasedSingleFlight(ProbeLeases leases, String holder, Clock clock, Duration ttl, Duration poll, Remote<R> remote) {
        this.leases = leases;
        this.holder = holder;
        this.clock = clock;
        this.ttl = ttl;
        this.poll = poll;
        this.remote = remote;
    }

    static String leaseKey(String key) {
        return "probe:" + key;
    }

    @Override
    public Flight<R> enter(String key) {
        Flight<R> flight = local.enter(key);
        if (!(flight instanceof Flight.Lead<R> lead)) return flight;
        Instant now = clock.instant();
        boolean mine;
        try {
            mine = leases.take(leaseKey(key), holder, now, now.plus(ttl));
        } catch (RuntimeException e) {
            // no database, no lease: probe here rather than wait for nobody (at worst two nodes probe this address)
            log.warn("verify: probe lease for <{}> not taken, probing without it: {}", key, e.getMessage());
            return new Held(key, lead, false);
        }
        if (mine) return new Held(key, lead, true);
        Thread.ofVirtual().name("verify-lease-watch").start(() -> watch(key, lead, now));
        return new Flight.Joined<>(lead.result());
    }

    @Override
    public Optional<Future<R>> running(String key) {
        return local.running(key);
    }

    /** Follows another node's probe of {@code key} until its verdict is stored or its lease is gone. */
    private void watch(String key, Flight.Lead<R> lead, Instant entered) {
        long giveUpAt = System.nanoTime() + ttl.toNanos(); // a clock that stands still (tests) still ends the watch
        try (lead) {
            Instant since = entered.minus(ttl);
            while (true) {
                Optional<Lease> lease = leases.find(leaseKey(key));
                if (lease.isPresent()) since = lease.get().takenAt();
                Optional<R> verdict = remote.verdict(key, since);
                if (verdict.isPresent()) {
                    lead.finish(verdict.get());
                    return;
                }
                if (lease.isEmpty() || !lease.get().isLive(clock.instant()) || lease.get().holder().equals(holder)
                        || System.nanoTime() - giveUpAt > 0) {
                    lead.finish(remote.gaveUp(key));
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(poll.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("verify: watch of the probe of <{}> on another node ended: {}", key, e.getMessage());
            lead.finish(remote.gaveUp(key));
        }
    }

    /** This node leads: the local lead plus the lease row, given back when the flight ends. */
    private final class Held implements Flight.Lead<R> {
        private final String key;
        private final Flight.Lead<R> lead;
        private final boolean leased;

        Held(String key, Flight.Lead<R> lead, boolean leased) {
            this.key = key;
            this.lead = lead;
            this.leased = leased;
        }

        @Override
        public Future<R> result() {
            return lead.result();
        }

        @Override
        public boolean renew() {
            if (!leased) return true;
            Instant now = clock.instant();
            try {
                return leases.take(leaseKey(key), holder, now, now.plus(ttl));
            } catch (RuntimeException e) {
                log.warn("verify: probe lease for <{}> not renewed, probing on: {}", key, e.getMessage());
                return true;
            }
        }

        @Override
        public void finish(R result) {
            giveBack(); // the verdict is stored by now: a watcher that sees the lease gone finds it
            lead.finish(result);
        }

        @Override
        public void close() {
            if (lead.result().isDone()) return;
            giveBack();
            lead.close();
        }

        private void giveBack() {
            if (!leased) return;
            try {
                leases.release(leaseKey(key), holder);
            } catch (RuntimeException e) {
                log.warn("verify: probe lease for <{}> not given back (free at its expiry): {}", key, e.getMessage());
            }
        }
    }
}
