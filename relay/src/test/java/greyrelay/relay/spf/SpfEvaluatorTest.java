package greyrelay.relay.spf;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dns.DnsAnswer;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.dns.MxAnswer;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.TestClock;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the RFC 7208 suite does not pin down: DNS failures never becoming fail, the deadline, identities, IPv4-mapped clients. */
class SpfEvaluatorTest {
    private static final String HELO = "client.example.org";

    private FakeDnsServer dns;
    private Dns resolver;
    private TestClock clock;

    @BeforeEach
    void start() {
        dns = FakeDnsServer.start();
        resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(200), 1);
        clock = new TestClock();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private SpfEvaluator evaluator(Dns over) {
        return new SpfEvaluator(over, clock, SpfEvaluator.Settings.defaults("mx.example.com"));
    }

    private static InetAddress ip(String literal) {
        return IpNetwork.literal(literal);
    }

    @Test
    void a_timeout_inside_exists_is_temperror_never_fail() {
        dns.txt("example.org", "v=spf1 exists:%{i}.slow.example.net -all").timeout("192.0.2.10.slow.example.net");

        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), "jane@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(e.reason()).contains("192.0.2.10.slow.example.net").contains("timeout");
        assertThat(e.explanation()).isEmpty();
    }

    @Test
    void a_servfail_on_the_record_itself_is_temperror() {
        dns.servfail("example.org");

        assertThat(evaluator(resolver).evaluate(ip("192.0.2.10"), "jane@example.org", HELO).result())
                .isEqualTo(SpfResult.TEMPERROR);
    }

    @Test
    void a_ptr_lookup_that_times_out_withholds_a_fail_that_would_follow_from_it() {
        // RFC 7208 §5.5 says a failed PTR lookup is "no match", after which -all would give fail
        dns.txt("example.org", "v=spf1 ptr -all").timeout("10.2.0.192.in-addr.arpa");

        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), "jane@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(e.reason()).startsWith("fail withheld").contains("PTR of 192.0.2.10");
    }

    @Test
    void a_ptr_name_whose_address_lookup_times_out_is_skipped_but_never_turns_into_fail() {
        dns.txt("example.org", "v=spf1 ptr -all")
                .ptr("192.0.2.10", "mail.example.org")
                .timeout("mail.example.org");

        assertThat(evaluator(resolver).evaluate(ip("192.0.2.10"), "jane@example.org", HELO).result())
                .isEqualTo(SpfResult.TEMPERROR);
    }

    @Test
    void a_skipped_dns_failure_does_not_change_a_pass() {
        dns.txt("example.org", "v=spf1 ptr ip4:192.0.2.0/24 -all").timeout("10.2.0.192.in-addr.arpa");

        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), "jane@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.PASS);
        assertThat(e.mechanism()).contains("ip4:192.0.2.0/24");
    }

    @Test
    void an_evaluation_past_its_deadline_is_temperror() {
        dns.txt("example.org", "v=spf1 a:a.example.org a:b.example.org a:c.example.org -all")
                .a("a.example.org", "198.51.100.1").a("b.example.org", "198.51.100.2").a("c.example.org", "198.51.100.3");
        // every query costs 8 seconds of the test clock: the third address lookup starts after 24 s > 20 s
        Dns slow = new ClockAdvancingDns(resolver, clock, Duration.ofSeconds(8));

        SpfEvaluation e = evaluator(slow).evaluate(ip("192.0.2.10"), "jane@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(e.reason()).isEqualTo("SPF evaluation exceeded 20000 ms");
        assertThat(dns.queryCount("c.example.org", "A")).isZero();
    }

    @Test
    void the_null_sender_is_checked_as_postmaster_at_the_helo_name() {
        dns.txt("client.example.org", "v=spf1 a -all").a("client.example.org", "192.0.2.10");

        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), "", "client.example.org");

        assertThat(e.result()).isEqualTo(SpfResult.PASS);
        assertThat(e.identity()).isEqualTo(SpfEvaluation.Identity.HELO);
        assertThat(e.sender()).isEqualTo("postmaster@client.example.org");
        assertThat(e.domain()).isEqualTo("client.example.org");
    }

    @Test
    void the_null_sender_without_a_helo_name_has_nothing_to_check() {
        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), "", "");

        assertThat(e.result()).isEqualTo(SpfResult.NONE);
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void the_checked_domain_is_lower_case_without_the_root_dot() {
        dns.txt("example.org", "v=spf1 ip4:192.0.2.10 -all");

        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), "Jane@Example.ORG.", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.PASS);
        assertThat(e.domain()).isEqualTo("example.org");
        assertThat(e.sender()).isEqualTo("Jane@Example.ORG.");
    }

    @Test
    void an_ipv4_mapped_ipv6_client_is_matched_as_ipv4() throws Exception {
        dns.txt("example.org", "v=spf1 ip6:::ffff:0:0/96 ip4:192.0.2.10 -all");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 10};
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(client).isInstanceOf(Inet6Address.class);

        SpfEvaluation e = evaluator(resolver).evaluate(client, "jane@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.PASS);
        assertThat(e.mechanism()).contains("ip4:192.0.2.10");
    }

    @Test
    void an_ipv6_client_is_looked_up_with_aaaa_and_matched_against_ip6_networks() {
        dns.txt("example.org", "v=spf1 a:mail.example.org/24//64 -all").aaaa("mail.example.org", "2001:db8::1");

        assertThat(evaluator(resolver).evaluate(ip("2001:db8::abcd"), "jane@example.org", HELO).result())
                .isEqualTo(SpfResult.PASS);
        assertThat(dns.queryCount("mail.example.org", "AAAA")).isEqualTo(1);
        assertThat(dns.queryCount("mail.example.org", "A")).isZero();
    }

    @Test
    void a_fail_carries_the_domains_explanation_with_macros_expanded() {
        dns.txt("example.org", "v=spf1 -all exp=why.example.org").txt("why.example.org", "%{c} may not send for %{o} (%{r})");

        SpfEvaluation e = evaluator(resolver).evaluate(ip("2001:db8::10"), "jane@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.FAIL);
        assertThat(e.explanation()).contains("2001:db8::10 may not send for example.org (mx.example.com)");
    }

    @Test
    void a_fail_without_exp_gets_the_default_explanation() {
        dns.txt("example.org", "v=spf1 -all");

        assertThat(evaluator(resolver).evaluate(ip("192.0.2.10"), "jane@example.org", HELO).explanation())
                .contains("example.org does not designate 192.0.2.10 as permitted sender");
    }

    @Test
    void remote_text_in_the_reason_is_made_printable() {
        dns.txt("example.org", "v=spf1 a:\u0007bell.example.org -all");

        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), "jane@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(e.reason()).contains("a:?bell.example.org").doesNotContain("\u0007");
    }

    @Test
    void a_name_made_by_macros_that_cannot_exist_is_not_asked_for_and_does_not_match() {
        dns.txt("example.org", "v=spf1 exists:%{l}.%{l}.%{l}.%{l}.example.org -all");
        String local = "x".repeat(64);

        SpfEvaluation e = evaluator(resolver).evaluate(ip("192.0.2.10"), local + "@example.org", HELO);

        assertThat(e.result()).isEqualTo(SpfResult.FAIL);
        assertThat(dns.queries()).extracting(FakeDnsServer.Query::name).containsExactly("example.org");
    }

    /** A {@link Dns} that lets {@code step} of test-clock time pass on every query, as a slow server would. */
    private record ClockAdvancingDns(Dns delegate, TestClock clock, Duration step) implements Dns {
        @Override
        public MxAnswer mx(String domain) {
            clock.advance(step);
            return delegate.mx(domain);
        }

        @Override
        public DnsAnswer<Inet4Address> a(String name) {
            clock.advance(step);
            return delegate.a(name);
        }

        @Override
        public DnsAnswer<Inet6Address> aaaa(String name) {
            clock.advance(step);
            return delegate.aaaa(name);
        }

        @Override
        public DnsAnswer<String> txt(String name) {
            clock.advance(step);
            return delegate.txt(name);
        }

        @Override
        public DnsAnswer<String> ptr(InetAddress address) {
            clock.advance(step);
            return delegate.ptr(address);
        }
    }
}
