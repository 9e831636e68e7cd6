package greyrelay.relay.policy;

import greyrelay.relay.config.Mode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of a phase in order; the first verdict that is not Continue answers the client (Haraka's
 * hook chain, Postfix's restriction lists). A check in observe mode has its would-be answer recorded and the
 * mail goes on. A check that throws is answered {@code 451 4.3.0}: fail closed, in the open.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    /** A check and its mode. */
    public record Step<R extends PolicyRequest>(Check<R> check, Mode mode) {}

    /**
     * Told every verdict a check gave, in order, continue included. A live pipeline's trace is its {@link
     * DecisionRecorder} (which keeps the final ones); a dry run's collects them all and records nothing.
     */
    @FunctionalInterface
    public interface Trace {
        void step(PolicyRequest request, String check, Verdict verdict, boolean observe);
    }

    private final List<Step<PolicyRequest.Connect>> connect;
    private final List<Step<PolicyRequest.Mail>> mail;
    private final List<Step<PolicyRequest.Rcpt>> rcpt;
    private final List<Step<PolicyRequest.Data>> data;
    private final DecisionRecorder recorder;
    private final Trace trace;
    private final MeterRegistry metrics;
    /** {@code greyrelay.check.latency} by check name: looked up once, not built and registered per request. */
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public Pipeline(List<Step<PolicyRequest.Connect>> connect, List<Step<PolicyRequest.Mail>> mail,
            List<Step<PolicyRequest.Rcpt>> rcpt, List<Step<PolicyRequest.Data>> data, DecisionRecorder recorder,
            MeterRegistry metrics) {
        this(connect, mail, rcpt, data, recorder, recorder::decided, metrics);
    }

    private Pipeline(List<Step<PolicyRequest.Connect>> connect, List<Step<PolicyRequest.Mail>> mail,
            List<Step<PolicyRequest.Rcpt>> rcpt, List<Step<PolicyRequest.Data>> data, DecisionRecorder recorder, Trace trace,
            MeterRegistry metrics) {
        this.connect = List.copyOf(connect);
        this.mail = List.copyOf(mail);
        this.rcpt = List.copyOf(rcpt);
        this.data = List.copyOf(data);
        this.recorder = recorder;
        this.trace = trace;
        this.metrics = metrics;
    }

    /**
     * A pipeline that records nothing (no log line, no decision-log row, no decision metric): every verdict goes to
     * {@code trace} alone. For a dry run; it has no {@link #recorder()}.
     */
    public static Pipeline tracing(List<Step<PolicyRequest.Connect>> connect, List<Step<PolicyRequest.Mail>> mail,
            List<Step<PolicyRequest.Rcpt>> rcpt, List<Step<PolicyRequest.Data>> data, Trace trace, MeterRegistry metrics) {
        return new Pipeline(connect, mail, rcpt, data, null, trace, metrics);
    }

    public Verdict connect(PolicyRequest.Connect r) {
        return run(connect, r);
    }

    public Verdict mail(PolicyRequest.Mail r) {
        return run(mail, r);
    }

    public Verdict rcpt(PolicyRequest.Rcpt r) {
        return run(rcpt, r);
    }

    public Verdict data(PolicyRequest.Data r) {
        return run(data, r);
    }

    public DecisionRecorder recorder() {
        if (recorder == null) throw new IllegalStateException("a tracing pipeline records nothing");
        return recorder;
    }

    /** The configured order, one line per phase, for the startup log and the admin panel. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("connect: " + names(connect));
        out.add("mail: " + names(mail));
        out.add("rcpt: " + names(rcpt));
        out.add("data: " + names(data));
        return out;
    }

    private static String names(List<? extends Step<?>> steps) {
        if (steps.isEmpty()) return "-";
        List<String> n = new ArrayList<>();
        for (Step<?> s : steps) n.add(s.check().name() + (s.mode() == Mode.OBSERVE ? " (observe)" : ""));
        return String.join(" → ", n);
    }

    private <R extends PolicyRequest> Verdict run(List<Step<R>> steps, R request) {
        for (Step<R> step : steps) {
            Check<R> check = step.check();
            boolean observe = step.mode() == Mode.OBSERVE;
            Verdict v;
            long t0 = System.nanoTime();
            try {
                v = check.evaluate(request);
                if (v == null) throw new IllegalStateException("check returned null");
            } catch (Exception | LinkageError e) {
                log.error("{}: check {} failed at {}: {}", request.session().sessionId(), check.name(), request.phase().label(),
                        e.toString(), e);
                v = new Verdict.Defer(Replies.LOCAL_PROBLEM, check.name() + " failed: " + e.getClass().getSimpleName());
            } finally {
                latency.computeIfAbsent(check.name(), n -> Timer.builder("greyrelay.check.latency").tag("check", n).register(metrics))
                        .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            trace.step(request, check.name(), v, observe);
            switch (v) {
                case Verdict.Continue c -> { }
                case Verdict.Accept a -> { return a; }
                case Verdict.Defer d -> {
                    if (!observe) return d;
                }
                case Verdict.Reject r -> {
                    if (!observe) return r;
                }
                case Verdict.Disconnect d -> {
                    if (!observe) return d;
                }
            }
        }
        return Verdict.CONTINUE;
    }
}
