package greyrelay.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.FakeDnsServer.Query;
import greyrelay.relay.testing.FakeDnsServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Address;

class DnsJavaResolverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private FakeDnsServer dns;
    private DnsJavaResolver resolver;

    @BeforeEach
    void start() {
        dns = FakeDnsServer.start();
        resolver = new DnsJavaResolver(List.of(dns.address()), TIMEOUT, 1);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    // ---- MX ---------------------------------------------------------------------------------------------------

    @Test
    void returns_mx_hosts_sorted_by_preference_keeping_answer_order_for_equal_preferences() {
        dns.mx("example.com", 20, "mx-b.example.com")
                .mx("example.com", 10, "MX-C.Example.COM.")
                .mx("example.com", 20, "mx-a.example.com");

        MxAnswer answer = resolver.mx("example.com");

        assertThat(answer).isEqualTo(new MxAnswer.Found(List.of(
                new MxHost(10, "mx-c.example.com"),
                new MxHost(20, "mx-b.example.com"),
                new MxHost(20, "mx-a.example.com")), Duration.ofMinutes(5)));
        assertThat(dns.queries()).containsExactly(new Query("example.com", "MX", Transport.UDP));
        dns.assertNoUnexpectedQueries();
    }

    @Test
    void reports_null_mx() {
        dns.nullMx("nomail.example.com");

        assertThat(resolver.mx("nomail.example.com")).isEqualTo(new MxAnswer.NullMx());
    }

    @Test
    void skips_a_root_target_mixed_with_real_mx_hosts() {
        dns.nullMx("mixed.example.com").mx("mixed.example.com", 10, "mx.example.com");

        assertThat(resolver.mx("mixed.example.com"))
                .isEqualTo(new MxAnswer.Found(List.of(new MxHost(10, "mx.example.com")), Duration.ofMinutes(5)));
    }

    @Test
    void reports_nxdomain_for_mx_of_missing_domain() {
        dns.nxdomain("gone.example.com");

        assertThat(resolver.mx("gone.example.com")).isEqualTo(new MxAnswer.NxDomain());
        dns.assertNoUnexpectedQueries();
    }

    @Test
    void reports_nodata_when_domain_has_addresses_but_no_mx() {
        dns.a("host.example.com", "192.0.2.1");

        assertThat(resolver.mx("host.example.com")).isEqualTo(new MxAnswer.NoData());
    }

    @Test
    void classifies_servfail_as_temporary_failure() {
        dns.servfail("broken.example.com");

        assertThat(resolver.mx("broken.example.com"))
                .isInstanceOfSatisfying(MxAnswer.TempFail.class, f -> assertThat(f.why()).startsWith("SERVFAIL"));
        assertThat(resolver.a("broken.example.com"))
                .isInstanceOfSatisfying(DnsAnswer.TempFail.class, f -> assertThat(f.why()).startsWith("SERVFAIL"));
    }

    @Test
    void classifies_refused_as_temporary_failure() {
        dns.refused("closed.example.com");

        assertThat(resolver.txt("closed.example.com"))
                .isInstanceOfSatisfying(DnsAnswer.TempFail.class, f -> assertThat(f.why()).startsWith("REFUSED"));
    }

    @Test
    void classifies_silence_as_timeout_after_the_configured_timeout() {
        dns.timeout("slow.example.com");
        DnsJavaResolver quick = new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1);

        MxAnswer answer = quick.mx("slow.example.com");

        assertThat(answer).isInstanceOfSatisfying(MxAnswer.TempFail.class,
                f -> assertThat(f.why()).startsWith("timeout after 300 ms"));
        assertThat(dns.queryCount("slow.example.com", "MX")).isEqualTo(1);
    }

    @Test
    void retries_each_round_and_falls_back_to_the_next_server() {
        try (FakeDnsServer second = FakeDnsServer.start()) {
            dns.servfail("example.com");
            second.a("example.com", "192.0.2.7");
            DnsJavaResolver two = new DnsJavaResolver(List.of(dns.address(), second.address()), TIMEOUT, 2);

            assertThat(two.a("example.com")).isEqualTo(found(Duration.ofMinutes(5), ipv4("192.0.2.7")));
            assertThat(dns.queryCount("example.com", "A")).isEqualTo(1);
            assertThat(second.queryCount("example.com", "A")).isEqualTo(1);
        }
    }

    @Test
    void gives_the_last_failure_once_every_attempt_failed() {
        dns.servfail("example.com");
        DnsJavaResolver twice = new DnsJavaResolver(List.of(dns.address()), TIMEOUT, 2);

        assertThat(twice.a("example.com")).isInstanceOf(DnsAnswer.TempFail.class);
        assertThat(dns.queryCount("example.com", "A")).isEqualTo(2);
    }

    @Test
    void retries_over_tcp_when_the_udp_reply_is_truncated() {
        dns.txt("big.example.com", "v=spf1 -all").truncate("big.example.com");

        assertThat(resolver.txt("big.example.com")).isEqualTo(found(Duration.ofMinutes(5), "v=spf1 -all"));
        assertThat(dns.queries()).containsExactly(
                new Query("big.example.com", "TXT", Transport.UDP),
                new Query("big.example.com", "TXT", Transport.TCP));
    }

    @Test
    void fetches_an_answer_too_large_for_udp_over_tcp() {
        String[] many = new String[20];
        for (int i = 0; i < many.length; i++) {
            many[i] = "record-" + i + "-" + "x".repeat(200);
        }
        for (String s : many) {
            dns.txt("huge.example.com", s);
        }

        DnsAnswer<String> answer = resolver.txt("huge.example.com");

        assertThat(valuesOf(answer)).containsExactly(many);
        assertThat(dns.queryCount("huge.example.com", "TXT")).isEqualTo(2);
        assertThat(dns.queries()).extracting(Query::transport).containsExactly(Transport.UDP, Transport.TCP);
    }

    // ---- CNAME ------------------------------------------------------------------------------------------------

    @Test
    void follows_cname_chains_to_the_target_records() {
        dns.cname("www.example.com", "web.example.com")
                .cname("web.example.com", "host.example.net")
                .a("host.example.net", "192.0.2.10")
                .mx("alias.example.com", 5, "ignored.example.com");
        dns.remove("alias.example.com").cname("alias.example.com", "mail.example.net")
                .mx("mail.example.net", 5, "mx.example.net");

        assertThat(resolver.a("www.example.com")).isEqualTo(found(Duration.ofMinutes(5), ipv4("192.0.2.10")));
        assertThat(resolver.mx("alias.example.com"))
                .isEqualTo(new MxAnswer.Found(List.of(new MxHost(5, "mx.example.net")), Duration.ofMinutes(5)));
        assertThat(dns.queries()).hasSize(2);
    }

    @Test
    void reports_the_smallest_ttl_along_a_cname_chain() {
        dns.ttl(Duration.ofSeconds(30)).cname("www.example.com", "host.example.com")
                .ttl(Duration.ofHours(1)).a("host.example.com", "192.0.2.10");

        assertThat(resolver.a("www.example.com")).isEqualTo(found(Duration.ofSeconds(30), ipv4("192.0.2.10")));
    }

    @Test
    void reports_nxdomain_and_nodata_at_the_end_of_a_cname_chain() {
        dns.cname("dangling.example.com", "gone.example.com").nxdomain("gone.example.com")
                .cname("www.example.com", "host.example.com").a("host.example.com", "192.0.2.10");

        assertThat(resolver.a("dangling.example.com")).isEqualTo(new DnsAnswer.NxDomain<Inet4Address>());
        assertThat(resolver.txt("www.example.com")).isEqualTo(new DnsAnswer.NoData<String>());
    }

    @Test
    void reports_a_cname_loop_as_temporary_failure() {
        dns.cname("a.example.com", "b.example.com").cname("b.example.com", "a.example.com");

        assertThat(resolver.a("a.example.com")).isInstanceOfSatisfying(DnsAnswer.TempFail.class,
                f -> assertThat(f.why()).startsWith("malformed reply").contains("CNAME loop"));
    }

    // ---- A / AAAA ---------------------------------------------------------------------------------------------

    @Test
    void returns_all_ipv4_addresses_in_answer_order() {
        dns.a("host.example.com", "192.0.2.2").a("host.example.com", "192.0.2.1");

        assertThat(resolver.a("host.example.com"))
                .isEqualTo(found(Duration.ofMinutes(5), ipv4("192.0.2.2"), ipv4("192.0.2.1")));
    }

    @Test
    void returns_ipv6_addresses() {
        dns.aaaa("host.example.com", "2001:db8::1").aaaa("host.example.com", "::ffff:192.0.2.1");

        DnsAnswer<Inet6Address> answer = resolver.aaaa("host.example.com");

        // ::ffff:192.0.2.1 stays an Inet6Address with 16 bytes rather than turning into an Inet4Address
        assertThat(valuesOf(answer)).extracting(InetAddress::getAddress)
                .containsExactly(Address.toByteArray("2001:db8::1", Address.IPv6),
                        Address.toByteArray("::ffff:192.0.2.1", Address.IPv6));
        assertThat(resolver.a("host.example.com")).isEqualTo(new DnsAnswer.NoData<Inet4Address>());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"host.example.com", "host.example.com.", "HOST.Example.Com", "Host.EXAMPLE.com."})
    void accepts_names_with_or_without_trailing_dot_in_any_case(String name) {
        dns.a("host.example.com", "192.0.2.1");

        assertThat(resolver.a(name)).isEqualTo(found(Duration.ofMinutes(5), ipv4("192.0.2.1")));
        assertThat(dns.queries()).containsExactly(new Query("host.example.com", "A", Transport.UDP));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", ".", "..", "a..example.com", ".example.com", "example.com..", "bad name.example.com",
            "tab\texample.com", "caf\u00e9.example.com", "nul\u0000.example.com",
            "x123456789012345678901234567890123456789012345678901234567890123.example.com"})
    void answers_nxdomain_without_asking_for_invalid_names(String name) {
        assertThat(resolver.a(name)).isEqualTo(new DnsAnswer.NxDomain<Inet4Address>());
        assertThat(resolver.mx(name)).isEqualTo(new MxAnswer.NxDomain());
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void answers_nxdomain_without_asking_for_names_over_253_characters() {
        String label = "a".repeat(63);
        String longest = String.join(".", label, label, label, "a".repeat(61)); // 253 characters
        dns.a(longest, "192.0.2.1");

        assertThat(resolver.a(longest)).isInstanceOf(DnsAnswer.Found.class);
        assertThat(resolver.a(longest + ".")).isInstanceOf(DnsAnswer.Found.class);
        String tooLong = String.join(".", label, label, label, "a".repeat(62)); // 254 characters
        assertThat(resolver.a(tooLong)).isEqualTo(new DnsAnswer.NxDomain<Inet4Address>());
        assertThat(dns.queries()).hasSize(2);
    }

    // ---- TXT --------------------------------------------------------------------------------------------------

    @Test
    void joins_the_character_strings_of_each_txt_record_with_nothing_between() {
        dns.txt("example.com", "v=spf1 ip4:192.0.2.0/24", " -all")
                .txt("example.com", "google-site-verification=abc");

        assertThat(resolver.txt("example.com"))
                .isEqualTo(found(Duration.ofMinutes(5), "v=spf1 ip4:192.0.2.0/24 -all", "google-site-verification=abc"));
    }

    @Test
    void returns_a_txt_string_longer_than_255_bytes_whole() {
        String policy = "v=spf1 " + "ip4:192.0.2.1 ".repeat(60) + "-all";
        dns.txt("long.example.com", policy);

        assertThat(resolver.txt("long.example.com")).isEqualTo(found(Duration.ofMinutes(5), policy));
    }

    @Test
    void decodes_txt_bytes_as_utf8_or_latin1_without_escaping() {
        dns.txt("utf8.example.com", "caf\u00e9 \"quoted\" back\\slash")
                .txtBytes("latin1.example.com", new byte[] {'c', 'a', 'f', (byte) 0xE9})
                .txtBytes("split.example.com", new byte[] {'c', 'a', 'f', (byte) 0xC3}, new byte[] {(byte) 0xA9})
                .txtBytes("empty.example.com", new byte[0]);

        assertThat(resolver.txt("utf8.example.com"))
                .isEqualTo(found(Duration.ofMinutes(5), "caf\u00e9 \"quoted\" back\\slash"));
        assertThat(resolver.txt("latin1.example.com")).isEqualTo(found(Duration.ofMinutes(5), "caf\u00e9"));
        assertThat(resolver.txt("split.example.com")).isEqualTo(found(Duration.ofMinutes(5), "caf\u00e9"));
        assertThat(resolver.txt("empty.example.com")).isEqualTo(found(Duration.ofMinutes(5), ""));
    }

    // ---- PTR --------------------------------------------------------------------------------------------------

    @Test
    void returns_ptr_names_for_ipv4_and_ipv6_in_lower_case_without_trailing_dot() {
        dns.ptr("192.0.2.1", "Mail.Example.COM.").ptr("2001:db8::25", "mx6.example.com");

        assertThat(resolver.ptr(ipv4("192.0.2.1"))).isEqualTo(found(Duration.ofMinutes(5), "mail.example.com"));
        assertThat(resolver.ptr(ipv6("2001:db8::25"))).isEqualTo(found(Duration.ofMinutes(5), "mx6.example.com"));
        assertThat(dns.queries()).extracting(Query::name).containsExactly("1.2.0.192.in-addr.arpa",
                "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    }

    @Test
    void reports_nxdomain_for_an_address_without_ptr() {
        dns.nxdomain("9.2.0.192.in-addr.arpa");

        assertThat(resolver.ptr(ipv4("192.0.2.9"))).isEqualTo(new DnsAnswer.NxDomain<String>());
    }

    // ---- threads and configuration ----------------------------------------------------------------------------

    @Test
    void answers_many_virtual_threads_at_once() throws Exception {
        for (int i = 0; i < 50; i++) {
            dns.a("host" + i + ".example.com", "192.0.2." + i);
        }
        List<Callable<DnsAnswer<Inet4Address>>> lookups = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = "host" + i + ".example.com";
            lookups.add(() -> resolver.a(name));
        }

        List<DnsAnswer<Inet4Address>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<DnsAnswer<Inet4Address>> f : threads.invokeAll(lookups)) {
                answers.add(f.get());
            }
        }

        for (int i = 0; i < 50; i++) {
            assertThat(answers.get(i)).isEqualTo(found(Duration.ofMinutes(5), ipv4("192.0.2." + i)));
        }
        assertThat(dns.queries()).hasSize(50);
    }

    @Test
    void uses_the_system_resolver_configuration_when_no_servers_are_given() {
        // Surefire sets dns.server=127.0.0.1:9, so the "system" resolver here is a port where nobody answers.
        DnsJavaResolver system = new DnsJavaResolver(List.of(), Duration.ofMillis(300), 1);

        assertThat(system.servers()).isNotEmpty();
        assertThat(system.a("example.com")).isInstanceOf(DnsAnswer.TempFail.class);
    }

    @Test
    void rejects_nonsense_settings() {
        assertThatThrownBy(() -> new DnsJavaResolver(List.of(dns.address()), Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsJavaResolver(List.of(dns.address()), TIMEOUT, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static <T> DnsAnswer<T> found(Duration ttl, T value) {
        return new DnsAnswer.Found<>(List.of(value), ttl);
    }

    private static <T> DnsAnswer<T> found(Duration ttl, T first, T second) {
        return new DnsAnswer.Found<>(List.of(first, second), ttl);
    }

    /** The values of a Found answer; fails the test for any other answer. */
    private static <T> List<T> valuesOf(DnsAnswer<T> answer) {
        if (answer instanceof DnsAnswer.Found<T> found) {
            return found.values();
        }
        throw new AssertionError("expected Found, got " + answer);
    }

    private static Inet4Address ipv4(String literal) {
        try {
            return (Inet4Address) Address.getByAddress(literal, Address.IPv4);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress ipv6(String literal) {
        try {
            return InetAddress.getByAddress(Address.toByteArray(literal, Address.IPv6));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
