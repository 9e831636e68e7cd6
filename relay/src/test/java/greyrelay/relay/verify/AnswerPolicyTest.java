package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainTrait;
import greyrelay.relay.config.VerificationConfig.Confirm;
import greyrelay.relay.smtpclient.ServerReply;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer of the pure answer policy: a cached verdict, a finished (or refused) probe, a profile during a burst
 * freeze, and recipients'. confirmAfter 1h, profileTtl 30d.
 */
class AnswerPolicyTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration PROFILE_TTL = Duration.ofDays(30);
    static final String DOMAIN = "example.org";
    static final CachePolicy CACHE = new CachePolicy(new CachePolicy.Lifetimes(Duration.ofDays(31), Duration.ofDays(7),
            Duration.ofDays(3), Duration.ofHours(3), Duration.ofMinutes(3), Duration.ofDays(1), Confirm.AFTER, Duration.ofHours(1)));
    static final AnswerPolicy POLICY = new AnswerPolicy(CACHE, PROFILE_TTL);

    static final ServerReply OK = ServerReply.of(250, "2.1.5 Ok");
    static final ServerReply NO = ServerReply.of(550, "5.1.1 no such user");
    static final ServerReply LATER = ServerReply.of(451, "4.7.1 later");

    static CacheEntry entry(CacheStatus status, ServerReply reply, Instant firstRejectedAt) {
        return new CacheEntry(CacheKind.SENDER, "jane@example.org", DOMAIN, status, reply == null ? null : reply.code(),
                reply == null ? "no MX host reachable" : reply.text(), "mx.example.org", T0, firstRejectedAt,
                T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(1)));
    }

    static final CacheEntry VALID = entry(CacheStatus.VALID, OK, null);
    static final CacheEntry FIRST_REJECTION = entry(CacheStatus.INVALID, NO, T0);
    static final CacheEntry CONFIRMED_REJECTION = entry(CacheStatus.INVALID, NO, T0.minus(Duration.ofHours(1)));
    static final CacheEntry TEMPFAIL = entry(CacheStatus.TEMPFAIL, null, null);
    static final CacheEntry UNVERIFIABLE = entry(CacheStatus.UNVERIFIABLE, ServerReply.of(550, "5.7.1 no bounces"), null);

    static final SenderStatus SOFT = new SenderStatus.Undeliverable(false, "cached, re-probe pending: 550 5.1.1 no such user", true);

    static ProbeEnd probed(ProbeResult r, CacheEntry stored) {
        return new ProbeEnd.Probed(new ProbeOutcome(r, null, "", Duration.ofMillis(5), Set.of(), Set.of()),
                Optional.ofNullable(stored));
    }

    static DomainProfile profile(DomainTrait trait, Instant observed) {
        return new DomainProfile(DOMAIN, Map.of(trait, observed), observed);
    }

    record Case(Function<AnswerPolicy, Object> ask, Object expected) {}

    static Arguments row(String name, Function<AnswerPolicy, Object> ask, Object expected) {
        return Arguments.of(Named.of(name, new Case(ask, expected)));
    }

    static Stream<Arguments> senders() {
        return Stream.of(
                row("cached: a good verdict is deliverable", p -> p.cached(VALID),
                        new SenderStatus.Deliverable("cached: 250 2.1.5 Ok", true)),
                row("cached: a first rejection is not confirmed", p -> p.cached(FIRST_REJECTION),
                        new SenderStatus.Undeliverable(false, "cached: 550 5.1.1 no such user", true)),
                row("cached: a rejection seen again confirmAfter later is confirmed", p -> p.cached(CONFIRMED_REJECTION),
                        new SenderStatus.Undeliverable(true, "cached: 550 5.1.1 no such user", true)),
                row("cached: a temporary failure without a reply says why", p -> p.cached(TEMPFAIL),
                        new SenderStatus.TempFail("cached: no MX host reachable", true)),
                row("cached: unverifiable", p -> p.cached(UNVERIFIABLE),
                        new SenderStatus.Unverifiable("cached: 550 5.7.1 no bounces", true)),
                row("a confirmed rejection being re-probed is answered softly", p -> p.reprobePending(CONFIRMED_REJECTION), SOFT),

                row("not run: the refusal is the answer",
                        p -> p.afterProbe(new ProbeEnd.NotRun(new SenderStatus.BudgetExhausted(DOMAIN, "rate")), Optional.empty(), DOMAIN),
                        new SenderStatus.BudgetExhausted(DOMAIN, "rate")),
                row("not run while a rejection is re-probed: the soft answer stands",
                        p -> p.afterProbe(new ProbeEnd.NotRun(new SenderStatus.BudgetExhausted(DOMAIN, "rate")), Optional.of(SOFT), DOMAIN),
                        SOFT),
                row("probed and stored good", p -> p.afterProbe(probed(new ProbeResult.Deliverable(OK), VALID), Optional.empty(), DOMAIN),
                        new SenderStatus.Deliverable("probe: 250 2.1.5 Ok", false)),
                row("probed and stored rejected, first time", p -> p.afterProbe(probed(new ProbeResult.Undeliverable(NO), FIRST_REJECTION),
                        Optional.empty(), DOMAIN), new SenderStatus.Undeliverable(false, "probe: 550 5.1.1 no such user", false)),
                row("probed and stored rejected again after confirmAfter", p -> p.afterProbe(probed(new ProbeResult.Undeliverable(NO),
                        CONFIRMED_REJECTION), Optional.of(SOFT), DOMAIN),
                        new SenderStatus.Undeliverable(true, "probe: 550 5.1.1 no such user", false)),
                row("a temporary failure that kept the older good verdict answers it, as cached",
                        p -> p.afterProbe(probed(new ProbeResult.TempFail("timeout", true), VALID), Optional.empty(), DOMAIN),
                        new SenderStatus.Deliverable("cached: 250 2.1.5 Ok", true)),
                row("a temporary failure that kept the older rejection under re-probe: the soft answer stands",
                        p -> p.afterProbe(probed(new ProbeResult.Unknown(LATER, "RCPT answered 451"), CONFIRMED_REJECTION),
                                Optional.of(SOFT), DOMAIN), SOFT),
                row("a temporary failure stored as such", p -> p.afterProbe(probed(new ProbeResult.TempFail("no MX host reachable", false),
                        TEMPFAIL), Optional.empty(), DOMAIN), new SenderStatus.TempFail("probe: no MX host reachable", false)),
                row("a 4xx not stored says the stage", p -> p.afterProbe(probed(new ProbeResult.Unknown(LATER, "RCPT answered 451"), null),
                        Optional.empty(), DOMAIN), new SenderStatus.TempFail("RCPT answered 451", false)),
                row("no such domain is never stored", p -> p.afterProbe(probed(new ProbeResult.NoSuchDomain("NXDOMAIN"), null),
                        Optional.empty(), DOMAIN), new SenderStatus.NoSuchDomain("NXDOMAIN")),
                row("a null MX", p -> p.afterProbe(probed(new ProbeResult.NullMx(), null), Optional.empty(), DOMAIN),
                        new SenderStatus.NullMx()),
                row("every MX host over its budget is the domain's budget", p -> p.afterProbe(probed(new ProbeResult.Throttled("hosts busy"),
                        null), Optional.empty(), DOMAIN), new SenderStatus.BudgetExhausted(DOMAIN, "hosts busy")),

                row("freeze: a recent null MX", p -> p.duringFreeze(profile(DomainTrait.NULL_MX, T0), "paused", T0),
                        new SenderStatus.NullMx()),
                row("freeze: a domain that accepts any address is deliverable",
                        p -> p.duringFreeze(profile(DomainTrait.ACCEPTS_ANY, T0), "paused", T0),
                        new SenderStatus.Deliverable("the domain accepts every address (profile); paused", true)),
                row("freeze: unreachable", p -> p.duringFreeze(profile(DomainTrait.UNREACHABLE, T0), "paused", T0),
                        new SenderStatus.TempFail("the domain's MX is unreachable (profile); paused", true)),
                row("freeze: greylists our probes", p -> p.duringFreeze(profile(DomainTrait.GREYLISTS_PROBES, T0), "paused", T0),
                        new SenderStatus.TempFail("the domain greylists our probes (profile); paused", true)),
                row("freeze: refusing the null sender says nothing about the address",
                        p -> p.duringFreeze(profile(DomainTrait.REFUSES_NULL_SENDER, T0), "paused", T0),
                        new SenderStatus.BudgetExhausted(DOMAIN, "paused")),
                row("freeze: a trait learned exactly profileTtl ago still counts",
                        p -> p.duringFreeze(profile(DomainTrait.UNREACHABLE, T0), "paused", T0.plus(PROFILE_TTL)),
                        new SenderStatus.TempFail("the domain's MX is unreachable (profile); paused", true)),
                row("freeze: a trait older than profileTtl no longer counts",
                        p -> p.duringFreeze(profile(DomainTrait.UNREACHABLE, T0), "paused", T0.plus(PROFILE_TTL).plusMillis(1)),
                        new SenderStatus.BudgetExhausted(DOMAIN, "paused")),
                row("freeze: an empty profile is the budget", p -> p.duringFreeze(DomainProfile.empty(DOMAIN, T0), "paused", T0),
                        new SenderStatus.BudgetExhausted(DOMAIN, "paused")),

                row("the client's wait is over", p -> AnswerPolicy.stillRunning(Duration.ofMillis(200)),
                        new SenderStatus.Pending("probe still running after 200 ms; it finishes in the background")),
                row("the connection's share is spent", p -> AnswerPolicy.connectionSpent(DOMAIN, 5),
                        new SenderStatus.BudgetExhausted(DOMAIN, "this connection has started 5 probes already")));
    }

    static Stream<Arguments> recipients() {
        return Stream.of(
                row("cached: known", p -> AnswerPolicy.recipientCached(VALID), new RecipientStatus.Exists("cached: 250 2.1.5 Ok")),
                row("cached: refused", p -> AnswerPolicy.recipientCached(FIRST_REJECTION),
                        new RecipientStatus.Unknown("cached: 550 5.1.1 no such user")),
                row("cached: temporary", p -> AnswerPolicy.recipientCached(entry(CacheStatus.TEMPFAIL, LATER, null)),
                        new RecipientStatus.TempFail("cached: 451 4.7.1 later")),
                row("cached: unverifiable is temporary", p -> AnswerPolicy.recipientCached(UNVERIFIABLE),
                        new RecipientStatus.TempFail("cached: 550 5.7.1 no bounces")),
                row("downstream 2xx", p -> AnswerPolicy.recipientProbed(new ProbeResult.Deliverable(OK)),
                        new RecipientStatus.Exists("downstream: 250 2.1.5 Ok")),
                row("downstream 5xx", p -> AnswerPolicy.recipientProbed(new ProbeResult.Undeliverable(NO)),
                        new RecipientStatus.Unknown("downstream: 550 5.1.1 no such user")),
                row("downstream 4xx", p -> AnswerPolicy.recipientProbed(new ProbeResult.Unknown(LATER, "RCPT answered 451")),
                        new RecipientStatus.TempFail("downstream: 451 4.7.1 later")),
                row("downstream down", p -> AnswerPolicy.recipientProbed(new ProbeResult.TempFail("connection refused", false)),
                        new RecipientStatus.TempFail("downstream: connection refused")),
                row("downstream refuses the null sender and postmaster",
                        p -> AnswerPolicy.recipientProbed(new ProbeResult.Unverifiable("refuses <>")),
                        new RecipientStatus.TempFail("downstream: refuses <>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("senders")
    void answers_a_sender(Case c) {
        assertThat(c.ask().apply(POLICY)).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipients")
    void answers_a_recipient(Case c) {
        assertThat(c.ask().apply(POLICY)).isEqualTo(c.expected());
    }
}
