package greyrelay.relay.spf;

import com.github.benmanes.caffeine.cache.Cache;
import greyrelay.relay.config.SpfConfig;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.memory.ClockedCache;
import greyrelay.relay.policy.AuthResult;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SpfFact;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.text.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code spf} check (RCPT): SPF for the transaction's MAIL FROM (the HELO identity for the null sender), evaluated
 * once per transaction, and answered per result as {@code spf.*Action} says. The first evaluation also puts
 * {@code Received-SPF:} and an {@code spf=} authentication result on the transaction, and sets the transaction's
 * {@link SpfFact} for later checks (and for this check's answers to further recipients). Recipients exempt from SPF
 * (whitelists) skip it.
 */
public final class SpfCheck implements Check<PolicyRequest.Rcpt> {
    private static final Logger log = LoggerFactory.getLogger(SpfCheck.class);

    /**
     * How long an evaluation is reused for the same client address, MAIL FROM and HELO: a busy sender's messages then
     * cost one check_host() every few seconds instead of one each (it was among the largest costs of a verified
     * message). The relay caches its DNS answers for at least 5 s anyway, so this adds at most 10 s to how long a
     * changed SPF record takes to count here; a temporary error is never reused.
     */
    static final Duration REUSE = Duration.ofSeconds(10);

    private record Inputs(InetAddress client, String mailFrom, String helo) {}

    private final SpfEvaluator evaluator;
    private final Cache<Inputs, SpfEvaluation> recent;
    private final SpfConfig config;
    private final String receiver;
    private final MeterRegistry metrics;

    /**
     * @param receiver our host name ({@code smtp.hostname}): Received-SPF's receiver and the {@code %{r}} macro
     */
    public SpfCheck(SpfEvaluator evaluator, SpfConfig config, String receiver, MeterRegistry metrics, Clock clock) {
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        Objects.requireNonNull(clock, "clock");
        this.recent = ClockedCache.builder(clock).maximumSize(10_000).expireAfterWrite(REUSE).build();
        this.config = Objects.requireNonNull(config, "config");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The check as the relay wires it: over the relay's DNS, with the configured deadline and void-lookup limit. */
    public static SpfCheck create(SpfConfig config, Dns dns, Clock clock, String hostname, MeterRegistry metrics) {
        SpfEvaluator.Settings settings = new SpfEvaluator.Settings(config.deadline(), config.voidLookupLimit(), hostname,
                SpfEvaluator.DEFAULT_EXPLANATION);
        return new SpfCheck(new SpfEvaluator(dns, clock, settings), config, hostname, metrics, clock);
    }

    @Override
    public String name() {
        return "spf";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.SPF)) return Verdict.CONTINUE;
        SpfFact fact = r.tx().facts().spf().orElseGet(() -> firstEvaluation(r));
        return verdict(fact, r.tx().sender().toString());
    }

    private SpfFact firstEvaluation(PolicyRequest.Rcpt r) {
        SessionFacts s = r.session();
        String mailFrom = r.tx().sender().toString();
        String helo = s.helo().orElse("");
        Inputs inputs = new Inputs(s.clientAddress(), mailFrom, helo);
        SpfEvaluation e = recent.getIfPresent(inputs);
        if (e == null) {
            e = evaluator.evaluate(s.clientAddress(), mailFrom, helo);
            if (e.result() != SpfResult.TEMPERROR) recent.put(inputs, e);
        }
        log.info("{}: spf {} identity={} domain={} client={} mechanism={}: {}", r.tx().id(), e.result().token(),
                e.identity().token(), SafeText.printable(e.domain()), s.clientLabel(), e.mechanism().orElse("-"), e.reason());
        metrics.counter("greyrelay.spf.results", "result", e.result().token()).increment();

        r.tx().addHeaderOnce("Received-SPF", ReceivedSpfHeader.value(e, s.clientAddress(), mailFrom, helo, receiver));
        // RFC 8601 §2.7.2: the identity checked, as smtp.mailfrom (the address) or smtp.helo
        AuthResult.Property property = e.identity() == SpfEvaluation.Identity.MAILFROM
                ? new AuthResult.Property("smtp.mailfrom", mailFrom)
                : new AuthResult.Property("smtp.helo", helo);
        r.tx().addAuthResult(AuthResult.of("spf", e.result().token(), property));

        SpfFact fact = new SpfFact(e.result().token(), e.domain(), why(e));
        r.tx().facts().spf(fact);
        return fact;
    }

    private Verdict verdict(SpfFact fact, String sender) {
        SpfResult result = SpfResult.fromToken(fact.result());
        SpfConfig.Action action = switch (result) {
            case PASS -> SpfConfig.Action.CONTINUE;
            case FAIL -> config.failAction();
            case SOFTFAIL -> config.softfailAction();
            case NEUTRAL -> config.neutralAction();
            case NONE -> config.noneAction();
            case PERMERROR -> config.permerrorAction();
            case TEMPERROR -> config.temperrorAction();
        };
        boolean error = result == SpfResult.PERMERROR || result == SpfResult.TEMPERROR;
        return switch (action) {
            case CONTINUE -> Verdict.CONTINUE;
            case REJECT -> new Verdict.Reject(error ? Replies.spfPermError(sender) : Replies.spfFail(sender), fact.why());
            case DEFER -> new Verdict.Defer(error ? Replies.spfTempError(sender) : Replies.spfFailDeferred(sender), fact.why());
        };
    }

    /** For the decision log: result, domain, reason and any explanation (remote text, already sanitised). */
    private static String why(SpfEvaluation e) {
        Optional<String> exp = e.explanation().map(x -> "; explanation: " + x);
        return "spf " + e.result().token() + " for " + e.domain() + ": " + e.reason() + exp.orElse("");
    }
}
