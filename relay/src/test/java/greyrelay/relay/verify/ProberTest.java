package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.DomainTrait;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.ScriptedMx.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProberTest {

    static final String HELO = "mx.example.com";
    static final Mailbox JANE = new Mailbox("jane", "example.org");
    static final ClientLimits SHORT = new ClientLimits(Duration.ofMillis(500), Duration.ofMillis(700), Duration.ofMillis(700), 2048, 100);

    FakeDnsServer dns;
    final Map<String, ScriptedMx> mxByIp = new HashMap<>();
    final List<ScriptedMx> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        dns = FakeDnsServer.start();
    }

    @AfterEach
    void stop() {
        servers.forEach(ScriptedMx::close);
        dns.close();
    }

    ScriptedMx mx(String host, int preference, String ip) {
        ScriptedMx mx = ScriptedMx.start();
        servers.add(mx);
        dns.mx("example.org", preference, host).a(host, ip);
        mxByIp.put(ip, mx);
        return mx;
    }

    Prober prober(String mailFrom, int maxAttempts) {
        MxSelection selection = new MxSelection(new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1),
                new Random(1), () -> false, VerifyRig.DEFAULT_REFUSED);
        return new Prober(selection, ScriptedMx.routing(mxByIp), new Prober.Settings(HELO, mailFrom, maxAttempts), new Random(3));
    }

    Prober prober() {
        return prober("", 3);
    }

    static Prober.Plan plan() {
        return new Prober.Plan(SHORT, false, false, HostGate.open());
    }

    @Test
    void probes_with_ehlo_null_sender_rcpt_then_rset_and_quit_and_never_data() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Deliverable.class);
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RCPT TO:<jane@example.org>",
                "RSET", "QUIT");
        assertThat(mx.saw("DATA")).isFalse();
        assertThat(outcome.answeredBy()).map(ProbeTarget::toString).contains("mx1.example.org [192.0.2.1]");
        assertThat(outcome.transcript()).contains("C: RCPT TO:<jane@example.org>", "S: 250 2.1.5 Ok", "C: QUIT");
    }

    @Test
    void after_a_5xx_to_rcpt_still_says_rset_and_quit() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1").rejectRecipient("jane@example.org");

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOfSatisfying(ProbeResult.Undeliverable.class,
                u -> assertThat(u.reply().code()).isEqualTo(550));
        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RCPT TO:<jane@example.org>",
                "RSET", "QUIT");
        assertThat(mx.saw("DATA")).isFalse();
    }

    @Test
    void a_5xx_decides_and_no_other_mx_is_asked() {
        ScriptedMx first = mx("mx1.example.org", 10, "192.0.2.1").rejectRecipient("jane@example.org");
        ScriptedMx second = mx("mx2.example.org", 20, "192.0.2.2");

        assertThat(prober().probe(JANE, plan()).result()).isInstanceOf(ProbeResult.Undeliverable.class);
        assertThat(first.connections()).isEqualTo(1);
        assertThat(second.connections()).isZero();
    }

    @Test
    void tries_the_next_mx_in_preference_order_after_a_connection_failure() {
        dns.mx("example.org", 5, "down.example.org").a("down.example.org", "192.0.2.99"); // routed to a closed port
        ScriptedMx backup = mx("mx2.example.org", 20, "192.0.2.2");

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Deliverable.class);
        assertThat(outcome.answeredBy()).map(ProbeTarget::host).contains("mx2.example.org");
        assertThat(outcome.transcript()).containsSubsequence("MX down.example.org [192.0.2.99] preference 5",
                "CONNECT_FAILED", "MX mx2.example.org [192.0.2.2] preference 20");
        assertThat(backup.connections()).isEqualTo(1);
        assertThat(outcome.cleared()).contains(DomainTrait.UNREACHABLE);
    }

    @Test
    void tries_the_next_mx_after_a_4xx_and_a_4xx_everywhere_is_unknown_never_invalid() {
        ScriptedMx first = mx("mx1.example.org", 10, "192.0.2.1").on("RCPT", "451 4.7.1 Greylisted, try later");
        ScriptedMx second = mx("mx2.example.org", 20, "192.0.2.2").on("RCPT", "450 4.2.0 busy");

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOfSatisfying(ProbeResult.Unknown.class,
                u -> assertThat(u.reply().code()).isEqualTo(450));
        assertThat(outcome.observed()).contains(DomainTrait.GREYLISTS_PROBES);
        for (ScriptedMx mx : List.of(first, second)) {
            assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RCPT TO:<jane@example.org>",
                    "RSET", "QUIT");
        }
    }

    @Test
    void the_number_of_connections_per_probe_is_bounded() {
        for (int i = 1; i <= 5; i++) {
            mx("mx" + i + ".example.org", i, "192.0.2." + i).on("RCPT", "451 4.3.0 try later");
        }

        ProbeOutcome outcome = prober("", 3).probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Unknown.class);
        assertThat(servers.stream().mapToInt(ScriptedMx::connections).sum()).isEqualTo(3);
        assertThat(outcome.transcript()).contains("giving up after 3 connection(s)");
    }

    @Test
    void every_mx_unreachable_is_a_temporary_failure_and_marks_the_domain_unreachable() {
        dns.mx("example.org", 10, "mx1.example.org").a("mx1.example.org", "192.0.2.98")
                .mx("example.org", 20, "mx2.example.org").a("mx2.example.org", "192.0.2.99");

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOfSatisfying(ProbeResult.TempFail.class,
                t -> assertThat(t.why()).startsWith("no MX host reachable"));
        assertThat(outcome.observed()).containsExactly(DomainTrait.UNREACHABLE);
    }

    @Test
    void probes_the_implicit_mx_when_the_domain_has_no_mx() {
        ScriptedMx mx = ScriptedMx.start();
        servers.add(mx);
        dns.a("example.org", "192.0.2.7");
        mxByIp.put("192.0.2.7", mx);

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Deliverable.class);
        assertThat(outcome.transcript()).contains("MX example.org [192.0.2.7] (implicit MX)");
    }

    @Test
    void dns_outcomes_never_open_a_connection() {
        dns.nullMx("nullmx.example").nxdomain("gone.example").servfail("broken.example");
        Prober p = prober();

        ProbeOutcome nullMx = p.probe(new Mailbox("a", "nullmx.example"), plan());
        assertThat(nullMx.result()).isEqualTo(new ProbeResult.NullMx());
        assertThat(nullMx.observed()).containsExactly(DomainTrait.NULL_MX);
        assertThat(p.probe(new Mailbox("a", "gone.example"), plan()).result()).isInstanceOf(ProbeResult.NoSuchDomain.class);
        assertThat(p.probe(new Mailbox("a", "broken.example"), plan()).result()).isInstanceOf(ProbeResult.TempFail.class);
    }

    @Test
    void a_refused_null_sender_is_retried_once_as_postmaster_after_rset() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1")
                .on("MAIL", line -> line.equals("MAIL FROM:<>"), Action.reply("550 5.7.1 we do not accept <>"), Integer.MAX_VALUE);

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Deliverable.class);
        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RSET",
                "MAIL FROM:<postmaster@mx.example.com>", "RCPT TO:<jane@example.org>", "RSET", "QUIT");
        assertThat(outcome.observed()).contains(DomainTrait.REFUSES_NULL_SENDER);
    }

    @Test
    void refused_as_null_sender_and_as_postmaster_the_address_is_unverifiable() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1").on("MAIL", "553 5.7.1 no probes please");

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Unverifiable.class);
        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RSET",
                "MAIL FROM:<postmaster@mx.example.com>", "RSET", "QUIT");
        assertThat(mx.saw("RCPT")).isFalse();
    }

    @Test
    void a_domain_known_to_refuse_the_null_sender_is_asked_as_postmaster_at_once() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");

        prober().probe(JANE, new Prober.Plan(SHORT, true, false, HostGate.open()));

        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<postmaster@mx.example.com>",
                "RCPT TO:<jane@example.org>", "RSET", "QUIT");
    }

    @Test
    void the_probe_sender_is_configurable() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");

        prober("verify@example.com", 3).probe(JANE, plan());

        assertThat(mx.commands(0)).element(1).isEqualTo("MAIL FROM:<verify@example.com>");
    }

    @Test
    void falls_back_to_helo_when_ehlo_is_refused() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1").on("EHLO", "502 5.5.2 what?");

        assertThat(prober().probe(JANE, plan()).result()).isInstanceOf(ProbeResult.Deliverable.class);
        assertThat(mx.commands(0)).containsExactly("EHLO mx.example.com", "HELO mx.example.com", "MAIL FROM:<>",
                "RCPT TO:<jane@example.org>", "RSET", "QUIT");
    }

    static Stream<Arguments> hostileBehaviours() {
        String huge = "220 " + "x".repeat(100_000) + "\r\n";
        String manyLines = "220-hi\r\n".repeat(1_000) + "220 done\r\n";
        return Stream.of(
                Arguments.of("huge greeting line", new Action.Raw(huge), null),
                Arguments.of("greeting without CRLF", new Action.Raw("220 never ends"), null),
                Arguments.of("slow drip", new Action.Drip("220 slowly, very slowly\r\n", Duration.ofMillis(100)), null),
                Arguments.of("garbage instead of SMTP", new Action.Raw("HTTP/1.1 400 Bad Request\r\n\r\n"), null),
                Arguments.of("early close", new Action.HangUp(), null),
                Arguments.of("silence", new Action.Silence(), null),
                Arguments.of("too many reply lines", new Action.Raw(manyLines), null),
                Arguments.of("close after MAIL", null, "MAIL"),
                Arguments.of("silence after RCPT", null, "RCPT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBehaviours")
    void each_hostile_mx_behaviour_ends_as_a_temporary_failure(String name, Action greeting, String breakAt) {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");
        if (greeting != null) mx.greeting(greeting);
        if ("MAIL".equals(breakAt)) mx.on("MAIL", new Action.HangUp());
        if ("RCPT".equals(breakAt)) mx.on("RCPT", new Action.Silence());

        ProbeOutcome outcome = prober().probe(JANE, plan());

        assertThat(outcome.result()).as(name).isInstanceOf(ProbeResult.TempFail.class);
        assertThat(mx.saw("DATA")).isFalse();
        assertThat(mx.connections()).isEqualTo(1);
    }

    @ParameterizedTest(name = "local part {0}")
    @MethodSource("unsafeLocalParts")
    void addresses_with_control_characters_quotes_or_spaces_never_reach_the_mx(String local) {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");

        ProbeOutcome outcome = prober().probe(new Mailbox(local, "example.org"), plan());

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Unverifiable.class);
        assertThat(mx.connections()).isZero();
        assertThat(dns.queries()).isEmpty();
    }

    static Stream<String> unsafeLocalParts() {
        return Stream.of("jane\r\nRCPT TO:<victim@example.net>", "jane\nDATA", "ja\u0000ne", "\"jane doe\"", "jane doe",
                "\"jane\"", "jane>", "jäne");
    }

    @Test
    void the_optional_random_address_check_learns_that_a_domain_accepts_everything() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");

        ProbeOutcome outcome = prober().probe(JANE, new Prober.Plan(SHORT, false, true, HostGate.open()));

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Deliverable.class);
        assertThat(outcome.observed()).contains(DomainTrait.ACCEPTS_ANY);
        List<String> commands = mx.commands(0);
        assertThat(commands).hasSize(8);
        assertThat(commands.subList(0, 4)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RCPT TO:<jane@example.org>", "RSET");
        assertThat(commands.get(4)).isEqualTo("MAIL FROM:<>");
        assertThat(commands.get(5)).matches("RCPT TO:<gr-[0-9a-z]{16}@example\\.org>");
        assertThat(commands.subList(6, 8)).containsExactly("RSET", "QUIT");
    }

    @Test
    void the_random_address_check_is_off_unless_asked_for() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");

        prober().probe(JANE, plan());

        assertThat(mx.allCommands()).noneMatch(c -> c.startsWith("RCPT TO:<gr-"));
    }

    @Test
    void an_mx_host_whose_budget_is_used_up_is_skipped_and_nothing_else_left_is_throttled() {
        ScriptedMx mx = mx("mx1.example.org", 10, "192.0.2.1");
        HostGate closed = host -> Optional.empty();

        ProbeOutcome outcome = prober().probe(JANE, new Prober.Plan(SHORT, false, false, closed));

        assertThat(outcome.result()).isInstanceOf(ProbeResult.Throttled.class);
        assertThat(mx.connections()).isZero();
    }
}
