package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.config.VerificationConfig.VouchWhen;
import greyrelay.relay.policy.SpfFact;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The vouching decision, row by row: settings × what verification said × SPF × the client's network. */
class VouchingTest {
    static final String Y = "y.example.org";
    static final Vouching BOTH = new Vouching(true, true, VouchWhen.BUSY);
    static final Vouching SPF_ONLY = new Vouching(true, false, VouchWhen.BUSY);
    static final Vouching NETWORKS_ONLY = new Vouching(false, true, VouchWhen.BUSY);
    static final Vouching OFF = new Vouching(false, false, VouchWhen.BUSY);
    static final Vouching ALWAYS = new Vouching(true, true, VouchWhen.ALWAYS);

    static final SenderStatus FROZEN = new SenderStatus.BudgetExhausted(Y, "probes to y.example.org are paused until …");
    static final SenderStatus RATE = new SenderStatus.BudgetExhausted(Y, "more than 20 probes to y.example.org per PT1M");
    static final SenderStatus TEMPFAIL = new SenderStatus.TempFail("the domain's MX is unreachable (profile)", true);
    static final SenderStatus GOOD = new SenderStatus.Deliverable("cached: 250 ok", true);
    static final SenderStatus BAD = new SenderStatus.Undeliverable(true, "probe: 550 no such user", false);

    static Optional<SpfFact> spf(String result, String domain) {
        return Optional.of(new SpfFact(result, domain, result + " for " + domain));
    }

    static final Optional<SpfFact> PASS = spf("pass", Y);
    static final Optional<SpfFact> PASS_OTHER = spf("pass", "other.example.org");
    static final Optional<SpfFact> SOFTFAIL = spf("softfail", Y);
    static final Optional<SpfFact> NONE = Optional.empty();

    record Case(Vouching vouching, SenderStatus status, Optional<SpfFact> spf, boolean knownNetwork, Vouching.Reason expected) {}

    static Arguments row(String name, Vouching v, SenderStatus status, Optional<SpfFact> spf, boolean known, Vouching.Reason expected) {
        return Arguments.of(Named.of(name, new Case(v, status, spf, known, expected)));
    }

    static Stream<Arguments> busy() {
        return Stream.of(
                row("frozen, SPF pass: vouched by SPF", BOTH, FROZEN, PASS, false, Vouching.Reason.SPF),
                row("rate used up, SPF pass: vouched by SPF", BOTH, RATE, PASS, false, Vouching.Reason.SPF),
                row("frozen, SPF pass and known network: SPF first", BOTH, FROZEN, PASS, true, Vouching.Reason.SPF),
                row("frozen, softfail, known network: vouched by network", BOTH, FROZEN, SOFTFAIL, true, Vouching.Reason.KNOWN_NETWORK),
                row("frozen, no SPF fact, known network", BOTH, FROZEN, NONE, true, Vouching.Reason.KNOWN_NETWORK),
                row("frozen, softfail, unknown network: 451 stands", BOTH, FROZEN, SOFTFAIL, false, null),
                row("frozen, pass for another domain (HELO): 451 stands", BOTH, FROZEN, PASS_OTHER, false, null),
                row("SPF only: a known network does not vouch", SPF_ONLY, FROZEN, SOFTFAIL, true, null),
                row("networks only: an SPF pass does not vouch", NETWORKS_ONLY, FROZEN, PASS, false, null),
                row("networks only: known network vouches", NETWORKS_ONLY, FROZEN, PASS, true, Vouching.Reason.KNOWN_NETWORK),
                row("vouch: [] vouches for nobody", OFF, FROZEN, PASS, true, null),
                row("not busy: a temporary failure is answered as it is", BOTH, TEMPFAIL, PASS, true, null),
                row("not busy: a refused mailbox is never vouched for", BOTH, BAD, PASS, true, null),
                row("not busy: a good verdict needs no vouching", BOTH, GOOD, PASS, true, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("busy")
    void when_busy(Case c) {
        Optional<Vouching.Vouched> v = c.vouching().whenBusy(c.status(), Y, c.spf(), () -> c.knownNetwork());
        assertThat(v.map(Vouching.Vouched::reason).orElse(null)).isEqualTo(c.expected());
        v.ifPresent(x -> assertThat(x.why()).startsWith(x.reason().phrase).contains(((SenderStatus.BudgetExhausted) c.status()).why()));
    }

    @Test
    void the_network_is_asked_only_when_spf_did_not_decide() {
        AtomicInteger asked = new AtomicInteger();
        BOTH.whenBusy(FROZEN, Y, PASS, () -> asked.incrementAndGet() > 0);
        BOTH.whenBusy(GOOD, Y, NONE, () -> asked.incrementAndGet() > 0);
        assertThat(asked).hasValue(0);
        BOTH.whenBusy(FROZEN, Y, SOFTFAIL, () -> asked.incrementAndGet() > 0);
        assertThat(asked).hasValue(1);
    }

    @Test
    void before_the_probe_only_always_and_an_spf_pass_for_the_senders_domain_vouch() {
        assertThat(ALWAYS.beforeProbe(Y, PASS)).map(Vouching.Vouched::reason).contains(Vouching.Reason.SPF);
        assertThat(ALWAYS.beforeProbe("Y.Example.ORG", PASS)).isPresent();
        assertThat(ALWAYS.beforeProbe(Y, SOFTFAIL)).isEmpty();
        assertThat(ALWAYS.beforeProbe(Y, PASS_OTHER)).isEmpty();
        assertThat(ALWAYS.beforeProbe(Y, NONE)).isEmpty();
        assertThat(BOTH.beforeProbe(Y, PASS)).as("busy: probe as usual").isEmpty();
        assertThat(new Vouching(false, true, VouchWhen.ALWAYS).beforeProbe(Y, PASS)).as("spf not in vouch").isEmpty();
    }

    @Test
    void only_a_good_verdict_teaches_a_network_and_only_with_known_networks_on() {
        assertThat(BOTH.teaches(GOOD)).isTrue();
        assertThat(BOTH.teaches(BAD)).isFalse();
        assertThat(BOTH.teaches(FROZEN)).isFalse();
        assertThat(SPF_ONLY.teaches(GOOD)).isFalse();
    }
}
