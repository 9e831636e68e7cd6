package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.testing.FakeDnsServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MxSelectionTest {

    FakeDnsServer dns;
    AtomicBoolean ipv6 = new AtomicBoolean(false);
    MxSelection selection;

    @BeforeEach
    void start() {
        dns = FakeDnsServer.start();
        selection = new MxSelection(new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1), new Random(1),
                ipv6::get, VerifyRig.DEFAULT_REFUSED);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    static List<String> hosts(MxRoute route) {
        return ((MxRoute.Targets) route).targets().stream().map(t -> t.host() + " " + t.address().getHostAddress()).toList();
    }

    @Test
    void orders_mx_hosts_by_preference_with_every_address_of_each() {
        dns.mx("example.org", 20, "mx2.example.org").mx("example.org", 10, "mx1.example.org")
                .a("mx1.example.org", "192.0.2.1").a("mx1.example.org", "192.0.2.11").a("mx2.example.org", "192.0.2.2");

        MxRoute route = selection.select("example.org");

        assertThat(hosts(route)).containsExactly("mx1.example.org 192.0.2.1", "mx1.example.org 192.0.2.11",
                "mx2.example.org 192.0.2.2");
        assertThat(((MxRoute.Targets) route).implicit()).isFalse();
    }

    @Test
    void shuffles_hosts_of_equal_preference_with_the_injected_random() {
        dns.mx("example.org", 10, "a.example.org").mx("example.org", 10, "b.example.org").mx("example.org", 10, "c.example.org")
                .mx("example.org", 5, "first.example.org")
                .a("a.example.org", "192.0.2.1").a("b.example.org", "192.0.2.2").a("c.example.org", "192.0.2.3")
                .a("first.example.org", "192.0.2.9");
        Set<List<String>> orders = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            MxSelection s = new MxSelection(new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1),
                    new Random(seed), () -> false, VerifyRig.DEFAULT_REFUSED);
            List<String> order = hosts(s.select("example.org"));
            assertThat(order.get(0)).isEqualTo("first.example.org 192.0.2.9");
            orders.add(order);
        }
        assertThat(orders).hasSizeGreaterThan(1);
        MxSelection same1 = new MxSelection(new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1), new Random(7), () -> false, VerifyRig.DEFAULT_REFUSED);
        MxSelection same2 = new MxSelection(new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1), new Random(7), () -> false, VerifyRig.DEFAULT_REFUSED);
        assertThat(hosts(same1.select("example.org"))).isEqualTo(hosts(same2.select("example.org")));
    }

    @Test
    void uses_the_domains_own_address_when_it_has_no_mx() {
        dns.a("example.org", "192.0.2.5").txt("example.org", "v=spf1 -all");

        MxRoute route = selection.select("example.org");

        assertThat(hosts(route)).containsExactly("example.org 192.0.2.5");
        assertThat(((MxRoute.Targets) route).implicit()).isTrue();
        assertThat(selection.status("example.org")).isEqualTo(MxSelection.DomainStatus.RECEIVES_MAIL);
    }

    @Test
    void reports_null_mx() {
        dns.nullMx("example.org");

        assertThat(selection.select("example.org")).isEqualTo(new MxRoute.NullMx());
        assertThat(selection.status("example.org")).isEqualTo(MxSelection.DomainStatus.NULL_MX);
    }

    @Test
    void tells_nxdomain_from_servfail_from_timeout() {
        dns.nxdomain("gone.example").servfail("broken.example").timeout("silent.example");

        assertThat(selection.select("gone.example")).isInstanceOf(MxRoute.NoSuchDomain.class);
        assertThat(selection.status("gone.example")).isEqualTo(MxSelection.DomainStatus.NO_SUCH_DOMAIN);
        assertThat(selection.select("broken.example")).isInstanceOf(MxRoute.TempFail.class);
        assertThat(selection.status("broken.example")).isEqualTo(MxSelection.DomainStatus.TEMPFAIL);
        assertThat(selection.select("silent.example")).isInstanceOfSatisfying(MxRoute.TempFail.class,
                t -> assertThat(t.why()).contains("timeout"));
        assertThat(selection.status("silent.example")).isEqualTo(MxSelection.DomainStatus.TEMPFAIL);
    }

    @Test
    void a_domain_with_neither_mx_nor_address_does_not_exist_for_mail() {
        dns.txt("example.org", "just text");

        assertThat(selection.select("example.org")).isInstanceOf(MxRoute.NoSuchDomain.class);
        assertThat(selection.status("example.org")).isEqualTo(MxSelection.DomainStatus.NO_SUCH_DOMAIN);
    }

    @Test
    void ipv6_addresses_are_probed_only_when_this_host_has_ipv6() {
        dns.mx("example.org", 10, "mx1.example.org").aaaa("mx1.example.org", "2001:db8::25").a("mx1.example.org", "192.0.2.1");

        assertThat(hosts(selection.select("example.org"))).containsExactly("mx1.example.org 192.0.2.1");
        assertThat(((MxRoute.Targets) selection.select("example.org")).note()).contains("IPv6 address(es) skipped");

        ipv6.set(true);
        assertThat(hosts(selection.select("example.org"))).containsExactly("mx1.example.org 192.0.2.1",
                "mx1.example.org 2001:db8:0:0:0:0:0:25");
    }

    @Test
    void never_probes_loopback_or_link_local_addresses_a_forged_domain_points_at() throws Exception {
        dns.mx("example.org", 10, "mx1.example.org").a("mx1.example.org", "127.0.0.1").a("mx1.example.org", "169.254.1.1");

        MxRoute.Targets route = (MxRoute.Targets) selection.select("example.org");

        assertThat(route.targets()).isEmpty();
        assertThat(route.note()).contains("refused target 127.0.0.1 (in 127.0.0.0/8, verification.refusedTargets)",
                "refused target 169.254.1.1 (in 169.254.0.0/16, verification.refusedTargets)");
        assertThat(route.refused()).containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.1.1"));
    }

    @Test
    void temporary_failure_when_no_mx_host_address_can_be_looked_up() {
        dns.mx("example.org", 10, "mx1.example.org").servfail("mx1.example.org");

        assertThat(selection.select("example.org")).isInstanceOf(MxRoute.TempFail.class);
    }
}
