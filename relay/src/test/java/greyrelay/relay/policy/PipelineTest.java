package greyrelay.relay.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.Mode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private final List<Decision> decisions = new ArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<String> called = new ArrayList<>();

    private Check<PolicyRequest.Rcpt> check(String name, Verdict v) {
        return new Check<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Verdict evaluate(PolicyRequest.Rcpt r) {
                called.add(name);
                return v;
            }
        };
    }

    private static Pipeline.Step<PolicyRequest.Rcpt> enforce(Check<PolicyRequest.Rcpt> check) {
        return new Pipeline.Step<>(check, Mode.ENFORCE);
    }

    private Verdict run(List<Pipeline.Step<PolicyRequest.Rcpt>> steps) throws Exception {
        var recorder = new DecisionRecorder(Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC), metrics, decisions::add);
        var p = new Pipeline(List.of(), List.of(), steps, List.of(), recorder, metrics);
        var session = new SessionFacts("S1", InetAddress.getByName("192.0.2.10"), 4000, Optional.of("client.example.org"), false,
                Instant.EPOCH);
        var tx = new Transaction("S1.1", Sender.parse("jane@example.org").orElseThrow(), OptionalLong.empty());
        return p.rcpt(new PolicyRequest.Rcpt(session, new SessionNotes(), tx, "john@example.com",
                Mailbox.parse("john@example.com").orElseThrow(), EnumSet.noneOf(Exemption.class)));
    }

    private static final Reply R451 = new Reply(451, "4.7.1", "later");
    private static final Reply R550 = new Reply(550, "5.1.1", "no");

    @Test
    void the_first_verdict_that_is_not_continue_answers_and_is_recorded() throws Exception {
        Verdict v = run(List.of(enforce(check("a", Verdict.CONTINUE)),
                enforce(check("b", new Verdict.Defer(R451, "why"))),
                enforce(check("c", new Verdict.Reject(R550, "no")))));
        assertThat(v).isEqualTo(new Verdict.Defer(R451, "why"));
        assertThat(called).containsExactly("a", "b");
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.check()).isEqualTo("b");
            assertThat(d.outcome()).isEqualTo(Decision.Outcome.DEFERRED);
            assertThat(d.observe()).isFalse();
            assertThat(d.recipient()).isEqualTo("john@example.com");
            assertThat(d.sender()).isEqualTo("jane@example.org");
            assertThat(d.transactionId()).isEqualTo("S1.1");
        });
        assertThat(metrics.counter("greyrelay.decisions", "phase", "rcpt", "check", "b", "outcome", "deferred", "observe", "false", "origin", "smtp").count())
                .isEqualTo(1.0);
    }

    @Test
    void an_observe_mode_check_records_its_would_be_answer_and_the_mail_goes_on() throws Exception {
        Verdict v = run(List.of(new Pipeline.Step<>(check("grey", new Verdict.Defer(R451, "new triplet")), Mode.OBSERVE),
                enforce(check("after", Verdict.CONTINUE))));
        assertThat(v).isInstanceOf(Verdict.Continue.class);
        assertThat(called).containsExactly("grey", "after");
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.observe()).isTrue();
            assertThat(d.reply()).isEqualTo(R451);
        });
    }

    @Test
    void accept_stops_the_remaining_checks_of_the_phase() throws Exception {
        Verdict v = run(List.of(enforce(check("role", new Verdict.Accept("postmaster"))),
                enforce(check("later", new Verdict.Reject(R550, "x")))));
        assertThat(v).isInstanceOf(Verdict.Accept.class);
        assertThat(called).containsExactly("role");
        assertThat(decisions).isEmpty();
    }

    @Test
    void a_check_that_throws_fails_closed_with_451_4_3_0() throws Exception {
        Check<PolicyRequest.Rcpt> broken = new Check<>() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Verdict evaluate(PolicyRequest.Rcpt r) {
                throw new IllegalStateException("database down");
            }
        };
        Verdict v = run(List.of(enforce(broken), enforce(check("never", Verdict.CONTINUE))));
        assertThat(v).isInstanceOfSatisfying(Verdict.Defer.class, d -> assertThat(d.reply()).isEqualTo(Replies.LOCAL_PROBLEM));
        assertThat(called).isEmpty();
        assertThat(decisions).singleElement().satisfies(d -> assertThat(d.reason()).contains("IllegalStateException"));
    }

    @Test
    void replies_cannot_be_illegal() {
        assertThatThrownBy(() -> new Reply(199, "", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reply(451, "5.7.1", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict.Defer(R550, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict.Reject(R451, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Reply(550, "5.1.1", "<a\r\nb>").line()).isEqualTo("550 5.1.1 <a??b>");
    }
}
