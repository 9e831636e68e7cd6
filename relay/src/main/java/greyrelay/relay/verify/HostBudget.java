package greyrelay.relay.verify;

import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-MX-host budget ({@code verification.budget.perHost*}): at most {@code concurrency} connections to one host at
 * once and {@code rate} per {@code period}, so many forged domains hosted at one MX cannot turn us into a flood
 * against it; and at most {@code perAddress} connections to one target address
 * ({@code verification.budget.perAddressConcurrency}), so many host names pointing at one victim address cannot add up
 * either. A refusal is counted ({@code greyrelay.verify.budget.refusals{scope=mx-host}} or {@code scope=address}).
 * Thread-safe.
 */
final class HostBudget implements HostGate {
    private final int concurrency;
    private final int perAddress;
    private final int rate;
    private final Duration period;
    private final ClockTimeMeter time;
    private final Counter refused;
    private final Counter refusedAddress;
    private final Map<String, Host> hosts = new HashMap<>();
    private final Map<InetAddress, Slots> addresses = new HashMap<>();

    HostBudget(int concurrency, int perAddress, int rate, Duration period, ClockTimeMeter time, MeterRegistry metrics) {
        this.concurrency = concurrency;
        this.perAddress = perAddress;
        this.rate = rate;
        this.period = period;
        this.time = time;
        this.refused = Counter.builder("greyrelay.verify.budget.refusals").tag("scope", "mx-host")
                .description("probes refused by the budget").register(metrics);
        this.refusedAddress = Counter.builder("greyrelay.verify.budget.refusals").tag("scope", "address")
                .description("probes refused by the budget").register(metrics);
    }

    @Override
    public synchronized Optional<Permit> tryEnter(ProbeTarget target) {
        Slots address = addresses.computeIfAbsent(target.address(), a -> new Slots(perAddress));
        Optional<Permit> onAddress = address.tryTake();
        if (onAddress.isEmpty()) {
            refusedAddress.increment();
            forgetIdle(target.address(), address);
            return Optional.empty();
        }
        Host host = hosts.computeIfAbsent(target.host().toLowerCase(Locale.ROOT), h -> new Host(new Slots(concurrency),
                time.bucket(rate, period)));
        Optional<Permit> slot = host.connections.tryTake();
        // a token only when a connection slot is free: a host at its concurrency cap does not use up its rate
        if (slot.isPresent() && host.bucket.tryConsume(1)) {
            Permit hostSlot = slot.get();
            Permit addressSlot = onAddress.get();
            return Optional.of(Permit.of(() -> {
                synchronized (this) {
                    hostSlot.close();
                    addressSlot.close();
                    forgetIdle(target.address(), address);
                }
            }));
        }
        slot.ifPresent(Permit::close);
        onAddress.get().close();
        forgetIdle(target.address(), address);
        refused.increment();
        return Optional.empty();
    }

    /** An address with no connection open costs no memory. Caller holds the lock. */
    private void forgetIdle(InetAddress a, Slots slots) {
        if (slots.inUse() == 0) addresses.remove(a, slots);
    }

    /** Hosts (and addresses with connections open) known now. */
    synchronized int size() {
        return hosts.size() + addresses.size();
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
