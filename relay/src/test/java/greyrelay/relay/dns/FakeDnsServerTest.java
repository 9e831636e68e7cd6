package greyrelay.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.FakeDnsServer.Query;
import greyrelay.relay.testing.FakeDnsServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The fake's own contract, so other packages' tests can lean on it. */
class FakeDnsServerTest {

    private FakeDnsServer dns;
    private DnsJavaResolver resolver;

    @BeforeEach
    void start() {
        dns = FakeDnsServer.start();
        resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 1);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void answers_over_tcp_on_the_same_port_as_udp() throws Exception {
        dns.a("host.example.com", "192.0.2.1");
        SimpleResolver tcp = new SimpleResolver(dns.address());
        tcp.setTCP(true);
        tcp.setTimeout(Duration.ofSeconds(2));

        Message reply = tcp.send(Message.newQuery(
                Record.newRecord(Name.fromString("host.example.com."), Type.A, DClass.IN)));

        assertThat(dns.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
        assertThat(dns.queries()).containsExactly(new Query("host.example.com", "A", Transport.TCP));
    }

    @Test
    void answers_nxdomain_to_unknown_names_and_records_them_as_unexpected() {
        assertThat(resolver.a("unknown.example.com")).isEqualTo(new DnsAnswer.NxDomain<>());

        assertThat(dns.unexpectedQueries()).containsExactly(new Query("unknown.example.com", "A", Transport.UDP));
        assertThatThrownBy(dns::assertNoUnexpectedQueries)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("unknown.example.com");
    }

    @Test
    void answers_refused_to_unknown_names_in_strict_mode() {
        dns.strict().a("known.example.com", "192.0.2.1");

        assertThat(resolver.a("unknown.example.com"))
                .isInstanceOfSatisfying(DnsAnswer.TempFail.class, f -> assertThat(f.why()).startsWith("REFUSED"));
        assertThat(resolver.a("known.example.com")).isInstanceOf(DnsAnswer.Found.class);
        assertThat(dns.unexpectedQueries()).extracting(Query::name).containsExactly("unknown.example.com");
    }

    @Test
    void lets_the_last_call_about_a_name_win_so_data_can_change_between_queries() {
        dns.servfail("example.com");
        assertThat(resolver.a("example.com")).isInstanceOf(DnsAnswer.TempFail.class);

        dns.a("example.com", "192.0.2.1");
        assertThat(resolver.a("example.com")).isInstanceOf(DnsAnswer.Found.class);

        dns.nxdomain("example.com");
        assertThat(resolver.a("example.com")).isEqualTo(new DnsAnswer.NxDomain<>());

        dns.remove("example.com");
        assertThat(resolver.a("example.com")).isEqualTo(new DnsAnswer.NxDomain<>());
        assertThat(dns.unexpectedQueries()).hasSize(1);
    }

    @Test
    void counts_queries_by_name_and_type_ignoring_case_and_trailing_dot() {
        dns.a("host.example.com", "192.0.2.1");

        resolver.a("host.example.com");
        resolver.a("HOST.example.com.");
        resolver.mx("host.example.com");

        assertThat(dns.queryCount("Host.Example.Com.", "a")).isEqualTo(2);
        assertThat(dns.queryCount("host.example.com", "MX")).isEqualTo(1);
        assertThat(dns.queryCount("host.example.com", "TXT")).isZero();
    }

    @Test
    void reset_clears_data_and_logs_and_is_safe_to_repeat() {
        dns.ttl(Duration.ofSeconds(5)).a("host.example.com", "192.0.2.1").timeout("slow.example.com");
        resolver.a("host.example.com");
        resolver.a("unknown.example.com");

        dns.reset();
        dns.reset();

        assertThat(dns.queries()).isEmpty();
        assertThat(dns.unexpectedQueries()).isEmpty();
        assertThat(resolver.a("host.example.com")).isEqualTo(new DnsAnswer.NxDomain<>());
        dns.a("host.example.com", "192.0.2.1");
        assertThat(resolver.a("host.example.com")).isInstanceOfSatisfying(DnsAnswer.Found.class,
                f -> assertThat(f.ttl()).isEqualTo(Duration.ofMinutes(5))); // the TTL is back to its default
    }

    @Test
    void can_time_out_only_the_types_a_name_does_not_have() {
        dns.txt("partial.example.com", "v=spf1 -all").timeoutOtherTypes("partial.example.com");
        DnsJavaResolver impatient = new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(200), 1);

        assertThat(impatient.txt("partial.example.com")).isInstanceOf(DnsAnswer.Found.class);
        assertThat(impatient.a("partial.example.com"))
                .isInstanceOfSatisfying(DnsAnswer.TempFail.class, f -> assertThat(f.why()).startsWith("timeout"));
        assertThat(dns.unexpectedQueries()).isEmpty();
    }

    @Test
    void serves_ptr_records_at_a_reverse_name_and_the_obsolete_spf_type() throws Exception {
        dns.ptrAt("4.3.2.1.in-addr.arpa", "Mail.Example.com.").spfType("example.com", "v=spf1 -all");

        assertThat(resolver.ptr(java.net.InetAddress.getByAddress(new byte[] {1, 2, 3, 4})))
                .isEqualTo(new DnsAnswer.Found<>(List.of("mail.example.com"), Duration.ofMinutes(5)));
        assertThat(resolver.txt("example.com")).isEqualTo(new DnsAnswer.NoData<>());
        SimpleResolver raw = new SimpleResolver(dns.address());
        raw.setTimeout(Duration.ofSeconds(2));
        Message reply = raw.send(Message.newQuery(Record.newRecord(Name.fromString("example.com."), Type.SPF, DClass.IN)));
        assertThat(reply.getSection(Section.ANSWER)).singleElement().satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SPF));
    }
}
