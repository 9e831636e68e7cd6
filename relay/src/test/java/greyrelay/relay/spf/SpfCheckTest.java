package greyrelay.relay.spf;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.SpfConfig;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.policy.AuthResult;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.SpfFact;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The check around the evaluator: once per transaction, exemptions, the outcome for later checks, headers, actions. */
class SpfCheckTest {
    private static final String HOST = "mx.example.com";

    private FakeDnsServer dns;
    private SimpleMeterRegistry metrics;
    private SessionNotes notes;
    private SessionFacts session;
    private final TestClock clock = new TestClock();

    @BeforeEach
    void start() {
        dns = FakeDnsServer.start();
        metrics = new SimpleMeterRegistry();
        notes = new SessionNotes();
        session = new SessionFacts("S1", IpNetwork.literal("192.0.2.10"), 40000, Optional.of("client.example.org"),
                false, TestClock.START);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private SpfCheck check(String yaml) {
        SpfConfig config = ConfigLoader.fromYaml(yaml, Map.of()).spf();
        var resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(200), 1);
        return SpfCheck.create(config, resolver, clock, HOST, metrics);
    }

    private static Transaction tx(String id, String sender) {
        return new Transaction(id, sender.isEmpty() ? Sender.NULL : Sender.parse(sender).orElseThrow(), OptionalLong.empty());
    }

    private PolicyRequest.Rcpt rcpt(Transaction tx, String recipient, Exemption... exemptions) {
        EnumSet<Exemption> e = EnumSet.noneOf(Exemption.class);
        e.addAll(List.of(exemptions));
        return new PolicyRequest.Rcpt(session, notes, tx, recipient, Mailbox.parse(recipient).orElseThrow(), e);
    }

    @Test
    void evaluates_once_per_transaction_however_many_recipients() {
        dns.servfail("example.org");
        SpfCheck check = check("");
        Transaction tx = tx("S1.1", "jane@example.org");

        Verdict first = check.evaluate(rcpt(tx, "john@example.com"));
        Verdict second = check.evaluate(rcpt(tx, "mary@example.com"));

        assertThat(first).isEqualTo(second).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reply()).isEqualTo(Replies.spfTempError("jane@example.org")));
        assertThat(dns.queryCount("example.org", "TXT")).isEqualTo(1);
        assertThat(metrics.counter("greyrelay.spf.results", "result", "temperror").count()).isEqualTo(1.0);

        check.evaluate(rcpt(tx("S1.2", "jane@example.org"), "john@example.com"));
        assertThat(dns.queryCount("example.org", "TXT")).as("a new transaction asks again").isEqualTo(2);
    }

    @Test
    void reuses_an_evaluation_for_the_same_client_sender_and_helo_for_a_few_seconds() {
        dns.txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all");
        SpfCheck check = check("");

        check.evaluate(rcpt(tx("S1.1", "jane@example.org"), "john@example.com"));
        Transaction second = tx("S1.2", "jane@example.org");
        assertThat(check.evaluate(rcpt(second, "john@example.com"))).isEqualTo(Verdict.CONTINUE);
        assertThat(dns.queryCount("example.org", "TXT")).as("the second message reuses the first one's evaluation").isEqualTo(1);
        assertThat(second.facts().spf()).hasValueSatisfying(o -> assertThat(o.result()).isEqualTo("pass"));
        assertThat(second.headers()).as("and still gets its own Received-SPF").containsKey("Received-SPF");

        check.evaluate(rcpt(tx("S1.3", "john@example.org"), "john@example.com"));
        assertThat(dns.queryCount("example.org", "TXT")).as("another sender is evaluated").isEqualTo(2);

        clock.advance(SpfCheck.REUSE.plusMillis(1));
        check.evaluate(rcpt(tx("S1.4", "jane@example.org"), "john@example.com"));
        assertThat(dns.queryCount("example.org", "TXT")).as("after the reuse time, asked again").isEqualTo(3);
    }

    @Test
    void leaves_the_outcome_for_later_checks_as_a_fact_of_the_transaction() {
        dns.txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all");
        SpfCheck check = check("");
        Transaction tx = tx("S1.1", "jane@example.org");

        assertThat(check.evaluate(rcpt(tx, "john@example.com"))).isEqualTo(Verdict.CONTINUE);

        Optional<SpfFact> outcome = tx.facts().spf();
        assertThat(outcome).hasValueSatisfying(o -> {
            assertThat(SpfResult.fromToken(o.result())).isEqualTo(SpfResult.PASS);
            assertThat(o.authorisedDomain()).contains("example.org");
        });
        Transaction next = tx("S1.2", "jane@example.org");
        assertThat(next.facts().spf()).as("the next transaction of the session starts without it").isEmpty();
    }

    @Test
    void only_a_pass_names_an_authorised_domain() {
        dns.txt("example.org", "v=spf1 ~all");
        Transaction tx = tx("S1.1", "jane@example.org");
        check("").evaluate(rcpt(tx, "john@example.com"));

        SpfFact outcome = tx.facts().spf().orElseThrow();
        assertThat(SpfResult.fromToken(outcome.result())).isEqualTo(SpfResult.SOFTFAIL);
        assertThat(outcome.domain()).isEqualTo("example.org");
        assertThat(outcome.authorisedDomain()).isEmpty();
    }

    @Test
    void a_recipient_exempt_from_spf_skips_the_check_entirely() {
        dns.txt("example.org", "v=spf1 -all");
        Transaction tx = tx("S1.1", "jane@example.org");

        Verdict v = check("").evaluate(rcpt(tx, "john@example.com", Exemption.SPF));

        assertThat(v).isEqualTo(Verdict.CONTINUE);
        assertThat(dns.queries()).isEmpty();
        assertThat(tx.headers()).isEmpty();
        assertThat(tx.facts().spf()).isEmpty();
    }

    @Test
    void puts_received_spf_and_an_spf_authentication_result_on_the_transaction() {
        dns.txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all");
        Transaction tx = tx("S1.1", "jane@example.org");

        check("").evaluate(rcpt(tx, "john@example.com"));

        assertThat(tx.headers()).containsOnlyKeys("Received-SPF");
        assertThat(tx.headers().get("Received-SPF")).isEqualTo(
                "pass (mx.example.com: domain of jane@example.org designates 192.0.2.10 as permitted sender) receiver=mx.example.com;"
                        + " client-ip=192.0.2.10; envelope-from=\"jane@example.org\"; helo=client.example.org; identity=mailfrom;"
                        + " mechanism=\"ip4:192.0.2.0/24\";");
        assertThat(tx.authResults()).containsExactly(
                AuthResult.of("spf", "pass", new AuthResult.Property("smtp.mailfrom", "jane@example.org")));
    }

    @Test
    void for_the_null_sender_reports_the_helo_identity() {
        dns.txt("client.example.org", "v=spf1 -all");
        Transaction tx = tx("S1.1", "");

        Verdict v = check("").evaluate(rcpt(tx, "john@example.com"));

        assertThat(v).isInstanceOfSatisfying(Verdict.Reject.class, r -> assertThat(r.reply()).isEqualTo(Replies.spfFail("")));
        assertThat(tx.headers().get("Received-SPF")).startsWith(
                "fail (mx.example.com: domain of postmaster@client.example.org does not designate 192.0.2.10 as permitted sender)")
                .contains("envelope-from=\"\"; helo=client.example.org; identity=helo;");
        assertThat(tx.authResults()).containsExactly(
                AuthResult.of("spf", "fail", new AuthResult.Property("smtp.helo", "client.example.org")));
    }

    @Test
    void names_the_problem_of_an_error_in_received_spf() {
        dns.txt("example.org", "v=spf1 ip4:192.0.2.300 -all");
        Transaction tx = tx("S1.1", "jane@example.org");

        check("").evaluate(rcpt(tx, "john@example.com"));

        assertThat(tx.headers().get("Received-SPF")).startsWith("permerror (")
                .endsWith("identity=mailfrom; problem=\"SPF record of example.org: unknown or malformed mechanism ip4:192.0.2.300\";");
    }

    @Test
    void answers_each_result_as_its_action_says() {
        dns.txt("fail.example.org", "v=spf1 -all").txt("soft.example.org", "v=spf1 ~all").txt("neutral.example.org", "v=spf1 ?all")
                .txt("perm.example.org", "v=spf1 moo").servfail("temp.example.org");
        SpfCheck check = check("""
                spf:
                  failAction: defer
                  softfailAction: reject
                  neutralAction: defer
                  noneAction: reject
                  permerrorAction: reject
                  temperrorAction: continue
                """);
        int[] n = {0};
        java.util.function.Function<String, Verdict> run = sender -> check.evaluate(rcpt(tx("S1." + ++n[0], sender), "john@example.com"));

        assertThat(run.apply("a@fail.example.org")).isEqualTo(new Verdict.Defer(Replies.spfFailDeferred("a@fail.example.org"),
                "spf fail for fail.example.org: fail.example.org: matched -all; explanation: fail.example.org does not designate"
                        + " 192.0.2.10 as permitted sender"));
        assertThat(run.apply("a@soft.example.org")).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply()).isEqualTo(Replies.spfFail("a@soft.example.org")));
        assertThat(run.apply("a@neutral.example.org")).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reply()).isEqualTo(Replies.spfFailDeferred("a@neutral.example.org")));
        assertThat(run.apply("a@none.example.org")).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply()).isEqualTo(Replies.spfFail("a@none.example.org")));
        assertThat(run.apply("a@perm.example.org")).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply()).isEqualTo(Replies.spfPermError("a@perm.example.org")));
        assertThat(run.apply("a@temp.example.org")).isEqualTo(Verdict.CONTINUE);
    }
}
