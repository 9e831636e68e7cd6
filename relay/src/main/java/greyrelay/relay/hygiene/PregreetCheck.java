package greyrelay.relay.hygiene;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.GreetingProbe;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Connect, after the connection rate limit: postscreen's pre-greeting test. The banner starts with {@code 220-}; a
 * client that sends anything before the final {@code 220 } line (within {@code hygiene.greetingDelay}) is not
 * waiting for its turn, as spam bots often do not, and gets {@code 554 5.5.1 Protocol error} and a closed
 * connection. Costs every other client the delay once per connection. Skipped for sessions exempt from
 * {@link Exemption#HELO_CHECKS} (connection hygiene), and when the SMTP layer offers no probe.
 */
public final class PregreetCheck implements Check<PolicyRequest.Connect> {
    private final Duration delay;
    private final MeterRegistry metrics;

    public PregreetCheck(Duration delay, MeterRegistry metrics) {
        this.delay = delay;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "pregreet";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Connect r) {
        if (delay.isZero() || r.notes().exemptions().contains(Exemption.HELO_CHECKS)) return Verdict.CONTINUE;
        var probe = r.notes().get(GreetingProbe.KEY);
        if (probe.isEmpty()) return Verdict.CONTINUE;
        GreetingProbe.Heard heard = probe.get().sendFirstLineAndListen(delay);
        String result = switch (heard) {
            case GreetingProbe.Heard.Nothing n -> "passed";
            case GreetingProbe.Heard.TalkedEarly t -> "talked-early";
            case GreetingProbe.Heard.HungUp h -> "hung-up";
        };
        metrics.counter("greyrelay.hygiene.pregreet", "result", result).increment();
        Verdict v = switch (heard) {
            case GreetingProbe.Heard.Nothing n -> Verdict.CONTINUE;
            case GreetingProbe.Heard.TalkedEarly t -> new Verdict.Disconnect(Replies.PROTOCOL_ERROR,
                    "talked before the greeting was complete (within " + delay.toMillis() + "ms)");
            case GreetingProbe.Heard.HungUp h -> new Verdict.Disconnect(Replies.PROTOCOL_ERROR,
                    "hung up before the greeting was complete");
        };
        return v;
    }
}
