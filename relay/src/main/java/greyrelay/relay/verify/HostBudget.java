package greyrelay.relay.verify;

import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-MX-host budget ({@code verification.budget.perHost*}): at most {@code concurrency} connections to one host at
 * once and {@code rate} per {@code period}, so many forged domains hosted at one MX cannot turn us into a flood
 * against it. A refusal is counted ({@code greyrelay.verify.budget.refusals{scope=mx-host}}). Thread-safe.
 */
final class HostBudget implements HostGate {
    private final int concurrency;
    private final int rate;
    private final Duration period;
    private final ClockTimeMeter time;
    private final Counter refused;
    private final Map<String, Host> hosts = new HashMap<>();

    HostBudget(int concurrency, int rate, Duration period, ClockTimeMeter time, MeterRegistry metrics) {
        this.concurrency = concurrency;
        this.rate = rate;
        this.period = period;
        this.time = time;
        this.refused = Counter.builder("greyrelay.verify.budget.refusals").tag("scope", "mx-host")
                .description("probes refused by the budget").register(metrics);
    }

    @Override
    public synchronized Optional<Permit> tryEnter(String mxHost) {
        Host host = hosts.computeIfAbsent(mxHost.toLowerCase(Locale.ROOT), h -> new Host(new Slots(concurrency),
                time.bucket(rate, period)));
        Optional<Permit> slot = host.connections.tryTake();
        // a token only when a connection slot is free: a host at its concurrency cap does not use up its rate
        if (slot.isPresent() && host.bucket.tryConsume(1)) return slot;
        slot.ifPresent(Permit::close);
        refused.increment();
        return Optional.empty();
    }

    /** Hosts known now. */
    synchronized int size() {
        return hosts.size();
    }

    /** Forgets hosts with no connection open whose bucket is full again; returns how many. */
    synchronized int sweep() {
        int dropped = 0;
        for (Iterator<Host> it = hosts.values().iterator(); it.hasNext(); ) {
            Host host = it.next();
            if (host.connections.inUse() == 0 && host.bucket.getAvailableTokens() >= rate) {
                it.remove();
                dropped++;
            }
        }
        return dropped;
    }

    private record Host(Slots connections, Bucket bucket) {}
}
