package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.DomainTrait;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.ScriptedMx.Action;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SenderVerificationCheckTest {

    static final String JANE = "jane@example.org";

    @TempDir
    Path dir;

    VerifyRig rig;

    VerifyRig rig(String yaml) {
        rig = new VerifyRig(dir, yaml);
        return rig;
    }

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    static Reply reply(Verdict v) {
        return switch (v) {
            case Verdict.Defer d -> d.reply();
            case Verdict.Reject r -> r.reply();
            default -> throw new AssertionError("expected a reply, got " + v);
        };
    }

    @Test
    void a_deliverable_sender_passes_and_the_next_request_is_answered_from_the_cache() throws Exception {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);

        assertThat(mx.connections()).isEqualTo(1);
        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RCPT TO:<jane@example.org>", "RSET", "QUIT");
        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.VALID));
        rig.awaitIdle();
        List<ProbeRecord> history = rig.probes(ProbeQuery.newest(10).withAddressContains(JANE));
        assertThat(history).extracting(ProbeRecord::cacheHit, ProbeRecord::outcome, ProbeRecord::origin)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, "DELIVERABLE", "CACHE"),
                        org.assertj.core.groups.Tuple.tuple(false, "DELIVERABLE", "INLINE"));
        ProbeRecord probe = history.get(1);
        assertThat(probe.mxHost()).isEqualTo("mx.example.org");
        assertThat(probe.mxIp()).isEqualTo("192.0.2.1");
        assertThat(probe.replyCode()).isEqualTo(250);
        assertThat(probe.transcript()).contains("C: MAIL FROM:<>", "C: RSET", "C: QUIT");
        assertThat(rig.counter("greyrelay.verify.probes", "outcome", "deliverable")).isEqualTo(1);
        assertThat(rig.counter("greyrelay.verify.cache.hits", "kind", "sender", "status", "valid")).isEqualTo(1);
    }

    @Test
    void a_rejected_mailbox_is_451_first_and_550_only_after_a_fresh_probe_at_least_confirm_after_later() throws Exception {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1").rejectRecipient(JANE);

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverableTemporarily(JANE));

        rig.clock.advance(Duration.ofMinutes(30));
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverableTemporarily(JANE));
        assertThat(mx.connections()).as("answered from the cache within confirmAfter").isEqualTo(1);

        rig.clock.advance(Duration.ofMinutes(31));
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverable(JANE));
        assertThat(mx.connections()).as("a fresh probe confirmed it").isEqualTo(2);
        assertThat(mx.saw("DATA")).isFalse();

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverable(JANE));
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void a_mailbox_that_comes_back_clears_the_rejection() {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        mx.on("RCPT", l -> true, Action.reply("550 5.1.1 no such user"), 1);

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverableTemporarily(JANE));
        rig.clock.advance(Duration.ofHours(1));

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> {
            assertThat(e.status()).isEqualTo(CacheStatus.VALID);
            assertThat(e.firstRejectedAt()).isNull();
        });
    }

    @Test
    void confirm_immediately_rejects_at_once_and_confirm_never_stays_temporary() throws Exception {
        rig("verification: {confirm: immediately}");
        rig.mx("example.org", "192.0.2.1").rejectRecipient(JANE);
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverable(JANE));
        rig.close();

        rig = new VerifyRig(dir.resolve("never"), "verification: {confirm: never}");
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1").rejectRecipient(JANE);
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverableTemporarily(JANE));
        rig.clock.advance(Duration.ofHours(4));
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderUndeliverableTemporarily(JANE));
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void a_4xx_from_the_senders_mx_is_unknown_answered_451_4_4_3_and_the_domain_greylists_probes() {
        rig(null);
        rig.mx("example.org", "192.0.2.1").on("RCPT", "451 4.7.1 Greylisted, come back later");

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));

        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.TEMPFAIL));
        assertThat(rig.profile("example.org")).hasValueSatisfying(p ->
                assertThat(p.traits()).containsKey(DomainTrait.GREYLISTS_PROBES));
    }

    @Test
    void a_temporary_failure_is_cached_briefly_then_the_retry_probes_again() {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        mx.on("RCPT", l -> true, Action.reply("451 4.7.1 Greylisted"), 1);

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));
        assertThat(mx.connections()).isEqualTo(1);

        rig.clock.advance(Duration.ofMinutes(5)); // a client's greylisting retry
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(rig.profile("example.org").orElseThrow().traits()).doesNotContainKey(DomainTrait.GREYLISTS_PROBES);
    }

    @Test
    void an_unreachable_mx_and_a_dns_failure_are_451_4_4_3() {
        rig(null);
        rig.dns.mx("example.org", 10, "mx.example.org").a("mx.example.org", "192.0.2.99"); // nothing listens there
        rig.dns.servfail("example.net").timeout("silent.example");

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));
        assertThat(reply(rig.check("bob@example.net"))).isEqualTo(Replies.senderVerificationTempFail("bob@example.net"));
        assertThat(reply(rig.check("bob@silent.example"))).isEqualTo(Replies.senderVerificationTempFail("bob@silent.example"));
        assertThat(rig.profile("example.org").orElseThrow().traits()).containsKey(DomainTrait.UNREACHABLE);
    }

    @Test
    void a_null_mx_is_550_5_7_27_and_a_domain_that_does_not_exist_is_450_4_1_8() {
        rig(null);
        rig.dns.nullMx("example.net").nxdomain("gone.example");

        assertThat(reply(rig.check("bob@example.net"))).isEqualTo(Replies.senderNullMx("bob@example.net"));
        assertThat(reply(rig.check("bob@gone.example"))).isEqualTo(Replies.senderDomainNotFound("bob@gone.example"));
    }

    @Test
    void refused_as_null_sender_and_postmaster_the_sender_is_accepted_unverified_and_recorded_or_deferred_if_configured()
            throws Exception {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1").on("MAIL", "550 5.7.1 no");

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RSET",
                "MAIL FROM:<postmaster@mx.example.com>", "RSET", "QUIT");
        assertThat(rig.probes(ProbeQuery.newest(5).withOutcome("UNVERIFIABLE"))).hasSize(1);
        assertThat(rig.profile("example.org").orElseThrow().traits()).containsKey(DomainTrait.REFUSES_NULL_SENDER);
        rig.close();

        rig = new VerifyRig(dir.resolve("defer"), "verification: {unverifiable: defer}");
        rig.mx("example.org", "192.0.2.1").on("MAIL", "550 5.7.1 no");
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));
    }

    @Test
    void a_domain_known_to_refuse_the_null_sender_is_asked_as_postmaster_next_time() {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1")
                .on("MAIL", l -> l.equals("MAIL FROM:<>"), Action.reply("550 5.7.1 no bounces here"), Integer.MAX_VALUE);

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(rig.check("bob@example.org")).isEqualTo(Verdict.CONTINUE);

        assertThat(mx.commands(1)).containsExactly("EHLO mx.example.com", "MAIL FROM:<postmaster@mx.example.com>",
                "RCPT TO:<bob@example.org>", "RSET", "QUIT");
    }

    @Test
    void a_probe_still_running_after_max_wait_answers_451_4_4_3_and_its_result_is_cached_for_the_retry() throws Exception {
        rig("""
                verification:
                  maxWait: 200ms
                  timeouts: {inlineConnect: 1s, inlineReply: 3s, backgroundConnect: 1s, backgroundReply: 3s}
                """);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1")
                .on("RCPT", new Action.Drip("250 2.1.5 Ok\r\n", Duration.ofMillis(60)));

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));
        rig.awaitIdle();

        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.VALID));
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void an_inline_probe_that_runs_out_of_its_short_deadlines_is_rerun_in_the_background_with_full_ones() throws Exception {
        rig("""
                verification:
                  maxWait: 3s
                  timeouts: {inlineConnect: 500ms, inlineReply: 300ms, backgroundConnect: 1s, backgroundReply: 3s}
                """);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1")
                .on("RCPT", new Action.Drip("250 2.1.5 Ok\r\n", Duration.ofMillis(60)));

        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));
        rig.awaitIdle();

        assertThat(mx.connections()).isEqualTo(2);
        assertThat(rig.probes(ProbeQuery.newest(10).withCacheHit(false))).extracting(ProbeRecord::origin, ProbeRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("RETRY", "DELIVERABLE"),
                        org.assertj.core.groups.Tuple.tuple("INLINE", "TEMPFAIL"));
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void prefetch_caches_the_verdict_so_the_retry_is_answered_from_the_cache_without_a_second_connection() throws Exception {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1").rejectRecipient(JANE);
        SessionNotes firstConnection = rig.connection();

        rig.senderCheck().prefetch(rig.rcpt(JANE, firstConnection));
        rig.awaitIdle();
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(rig.probes(ProbeQuery.newest(5))).extracting(ProbeRecord::origin).containsExactly("PREFETCH");

        rig.clock.advance(Duration.ofMinutes(6)); // the client retries after the greylisting delay
        Verdict retry = rig.senderCheck().evaluate(rig.rcpt(JANE, rig.connection()));

        assertThat(reply(retry)).isEqualTo(Replies.senderUndeliverableTemporarily(JANE));
        assertThat(mx.connections()).isEqualTo(1);
        rig.awaitIdle();
        assertThat(rig.probes(ProbeQuery.newest(5).withCacheHit(true))).hasSize(1);
    }

    @Test
    void a_forged_sender_flood_of_prefetches_stops_at_the_domains_budget() throws Exception {
        rig("""
                verification:
                  budget: {perDomainConcurrency: 1, perDomainQueue: 3, burstLocalParts: 20, burstWindow: 10m, burstFreeze: 1h}
                  timeouts: {backgroundReply: 5s}
                """);
        ScriptedMx tarpit = rig.mx("example.org", "192.0.2.1").tarpit();
        ScriptedMx other = rig.mx("example.net", "192.0.2.2");

        for (int i = 0; i < 100; i++) rig.senderCheck().prefetch(rig.rcpt("forged" + i + "@example.org"));
        rig.senderCheck().prefetch(rig.rcpt("jane@example.net"));

        rig.await(() -> rig.cached("jane@example.net").isPresent() && rig.verification.queue(10).busiest().stream()
                .anyMatch(d -> d.domain().equals("example.org") && d.frozenUntil() != null));
        assertThat(rig.verification.queue(10).busiest()).filteredOn(d -> d.domain().equals("example.org"))
                .singleElement().satisfies(d -> {
                    assertThat(d.running()).isEqualTo(1);
                    assertThat(d.waiting()).isLessThanOrEqualTo(3);
                    assertThat(d.frozenUntil()).isNotNull();
                });
        assertThat(tarpit.maxOpenConnections()).isEqualTo(1);
        assertThat(rig.cached("jane@example.net")).isPresent().hasValueSatisfying(
                e -> assertThat(e.status()).isEqualTo(CacheStatus.VALID));
        assertThat(other.connections()).isEqualTo(1);
        tarpit.close();
    }

    @Test
    void prefetch_never_blocks_on_a_slow_mx() {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1").tarpit();

        rig.senderCheck().prefetch(rig.rcpt(JANE));

        assertThat(rig.verifier().inProgress()).as("prefetch returned while its probe still runs").isPositive();
        mx.close();
    }

    @Test
    void concurrent_requests_for_one_address_share_one_probe() throws Exception {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1")
                .on("RCPT", new Action.Drip("250 2.1.5 Ok\r\n", Duration.ofMillis(30)));
        List<Callable<Verdict>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) calls.add(() -> rig.senderCheck().evaluate(rig.rcpt(JANE)));

        List<Verdict> verdicts = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Verdict> f : pool.invokeAll(calls)) verdicts.add(f.get());
        }

        assertThat(verdicts).containsOnly(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void the_null_sender_and_exempt_transactions_are_never_probed() {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");

        assertThat(rig.check("")).isEqualTo(Verdict.CONTINUE);
        rig.senderCheck().prefetch(rig.rcpt(""));
        assertThat(rig.senderCheck().evaluate(rig.rcpt(JANE, Exemption.SENDER_VERIFICATION))).isEqualTo(Verdict.CONTINUE);
        rig.senderCheck().prefetch(rig.rcpt(JANE, Exemption.SENDER_VERIFICATION));

        assertThat(mx.connections()).isZero();
        assertThat(rig.dns.queries()).isEmpty();
    }

    @Test
    void one_connection_starts_at_most_its_share_of_probes() {
        rig("verification: {vouch: [], budget: {perConnection: 2}}"); // the client's network learns from its own verified senders
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        SessionNotes conn = rig.connection();

        assertThat(rig.senderCheck().evaluate(rig.rcpt("a@example.org", conn))).isEqualTo(Verdict.CONTINUE);
        assertThat(rig.senderCheck().evaluate(rig.rcpt("b@example.org", conn))).isEqualTo(Verdict.CONTINUE);
        assertThat(reply(rig.senderCheck().evaluate(rig.rcpt("c@example.org", conn))))
                .isEqualTo(Replies.probeBudgetExhausted("example.org"));
        assertThat(rig.senderCheck().evaluate(rig.rcpt("a@example.org", conn))).as("cache hits cost nothing")
                .isEqualTo(Verdict.CONTINUE);
        assertThat(rig.senderCheck().evaluate(rig.rcpt("c@example.org", rig.connection()))).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(3);
        assertThat(rig.counter("greyrelay.verify.budget.refusals", "scope", "connection")).isEqualTo(1);
    }

    @Test
    void a_domain_over_its_rate_gets_451_4_4_5_at_once_and_other_domains_are_unaffected() {
        rig("verification: {vouch: [], budget: {perDomainRate: 2, perDomainRatePeriod: 1m}}");
        rig.mx("example.org", "192.0.2.1");
        rig.mx("example.net", "192.0.2.2");

        assertThat(rig.check("a@example.org")).isEqualTo(Verdict.CONTINUE);
        assertThat(rig.check("b@example.org")).isEqualTo(Verdict.CONTINUE);
        assertThat(reply(rig.check("c@example.org"))).isEqualTo(Replies.probeBudgetExhausted("example.org"));
        assertThat(rig.check("x@example.net")).isEqualTo(Verdict.CONTINUE);

        rig.clock.advance(Duration.ofSeconds(30)); // the bucket refills on the injected clock
        assertThat(rig.check("c@example.org")).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void a_burst_of_new_local_parts_freezes_probes_to_the_domain_and_answers_come_from_cache_and_profile() {
        rig("verification: {vouch: [], budget: {burstLocalParts: 5, burstWindow: 10m, burstFreeze: 1h}}");
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        rig.mx("example.net", "192.0.2.2");
        assertThat(rig.check("known@example.org")).isEqualTo(Verdict.CONTINUE);
        for (int i = 1; i <= 3; i++) assertThat(rig.check("forged" + i + "@example.org")).isEqualTo(Verdict.CONTINUE);

        assertThat(reply(rig.check("forged4@example.org"))).isEqualTo(Replies.probeBudgetExhausted("example.org"));
        assertThat(reply(rig.check("forged5@example.org"))).isEqualTo(Replies.probeBudgetExhausted("example.org"));
        assertThat(mx.connections()).isEqualTo(4);
        assertThat(rig.check("known@example.org")).as("from the cache").isEqualTo(Verdict.CONTINUE);
        assertThat(rig.check("someone@example.net")).as("other domains probe on").isEqualTo(Verdict.CONTINUE);

        rig.clock.advance(Duration.ofMinutes(61));
        assertThat(rig.check("forged5@example.org")).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(5);
    }

    @Test
    void during_a_freeze_a_domain_known_to_be_unreachable_gets_451_4_4_3_from_its_profile() {
        rig("verification: {budget: {burstLocalParts: 2, burstWindow: 10m, burstFreeze: 1h}}");
        rig.dns.mx("example.org", 10, "mx.example.org").a("mx.example.org", "192.0.2.99");

        assertThat(reply(rig.check("a@example.org"))).isEqualTo(Replies.senderVerificationTempFail("a@example.org"));
        assertThat(reply(rig.check("b@example.org"))).isEqualTo(Replies.senderVerificationTempFail("b@example.org"));
        assertThat(rig.verification.queue(5).busiest()).extracting(ProbeScheduler.DomainState::domain).contains("example.org");
    }

    @Test
    void a_good_result_is_never_overwritten_by_a_temporary_failure_of_its_refresh() throws Exception {
        rig(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        mx.close(); // the sender's MX goes down

        rig.clock.advance(Duration.ofDays(8)); // past positiveRefresh (7d), before positiveTtl (31d)
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        rig.awaitIdle();

        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> {
            assertThat(e.status()).isEqualTo(CacheStatus.VALID);
            assertThat(e.refreshAt()).isEqualTo(rig.clock.instant().plus(Duration.ofMinutes(3)));
        });
        assertThat(rig.probes(ProbeQuery.newest(10).withCacheHit(false))).extracting(ProbeRecord::origin, ProbeRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("REFRESH", "TEMPFAIL"),
                        org.assertj.core.groups.Tuple.tuple("INLINE", "DELIVERABLE"));
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> statuses() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.Deliverable("probe", false), null),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.Unverifiable("refuses <>", false), null),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.Undeliverable(false, "550", false),
                        Replies.senderUndeliverableTemporarily(JANE)),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.Undeliverable(true, "550", true),
                        Replies.senderUndeliverable(JANE)),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.Unprobeable("quoted specials"),
                        Replies.senderVerificationTempFail(JANE)),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.TempFail("MX down", false),
                        Replies.senderVerificationTempFail(JANE)),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.Pending("still running"),
                        Replies.senderVerificationTempFail(JANE)),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.BudgetExhausted("example.org", "rate"),
                        Replies.probeBudgetExhausted("example.org")),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.NoSuchDomain("NXDOMAIN"),
                        Replies.senderDomainNotFound(JANE)),
                org.junit.jupiter.params.provider.Arguments.of(new SenderStatus.NullMx(), Replies.senderNullMx(JANE)));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.MethodSource("statuses")
    void every_outcome_has_its_contract_reply(SenderStatus status, Reply expected) {
        Verdict v = SenderVerificationCheck.verdict(status, JANE, greyrelay.relay.config.VerificationConfig.Unverifiable.ACCEPT,
                greyrelay.relay.config.VerificationConfig.Unverifiable.DEFER);
        if (expected == null) {
            assertThat(v).isEqualTo(Verdict.CONTINUE);
        } else {
            assertThat(reply(v)).isEqualTo(expected);
            assertThat(v instanceof Verdict.Reject).isEqualTo(expected.isPermanent());
        }
    }

    @Test
    void maintenance_trims_the_history_and_drops_expired_verdicts() throws Exception {
        rig(null);
        rig.mx("example.org", "192.0.2.1").on("RCPT", "451 4.7.1 later");
        assertThat(reply(rig.check(JANE))).isEqualTo(Replies.senderVerificationTempFail(JANE));
        rig.awaitIdle();
        assertThat(rig.cached(JANE)).isPresent();

        rig.clock.advance(Duration.ofDays(31));
        rig.verification.maintain();

        assertThat(rig.cached(JANE)).isEmpty();
        assertThat(rig.probes(ProbeQuery.newest(10))).isEmpty();
        assertThat(rig.profile("example.org")).isEmpty();
    }

    @Test
    void two_sender_domains_on_one_mx_host_share_its_budget() throws Exception {
        rig("verification: {maxWait: 300ms, budget: {perHostConcurrency: 1}, timeouts: {inlineReply: 5s}}");
        ScriptedMx shared = rig.mx("example.org", "mx.shared.example", 10, "192.0.2.1").tarpit();
        rig.dns.mx("example.net", 10, "mx.shared.example");

        assertThat(reply(rig.check("a@example.org"))).isEqualTo(Replies.senderVerificationTempFail("a@example.org"));
        assertThat(reply(rig.check("b@example.net"))).isEqualTo(Replies.probeBudgetExhausted("example.net"));
        assertThat(shared.maxOpenConnections()).isEqualTo(1);
        assertThat(rig.counter("greyrelay.verify.budget.refusals", "scope", "mx-host")).isEqualTo(1);
        shared.close();
    }
}
