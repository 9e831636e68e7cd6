package greyrelay.relay.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.DnsblConfig.DnsList;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.testing.FakeDnsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Query names, the answer filter, and lookups against a real DNS responder: hit, miss, SERVFAIL, timeout, deadline. */
class DnsListLookupTest {
    final FakeDnsServer dns = FakeDnsServer.start();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        dns.close();
    }

    static List<DnsList> lists(String... entries) {
        StringBuilder yaml = new StringBuilder("dnsbl:\n  lists:\n");
        for (String e : entries) yaml.append("    - \"").append(e).append("\"\n");
        return ConfigLoader.fromYaml(yaml.toString(), Map.of()).dnsbl().entries();
    }

    static SessionFacts session(String ip) throws Exception {
        return new SessionFacts("s1", InetAddress.getByName(ip), 40000, Optional.empty(), false, Instant.EPOCH);
    }

    DnsListLookup lookup(Duration dnsTimeout, Duration deadline) {
        var resolver = new DnsJavaResolver(List.of(dns.address()), dnsTimeout, 1);
        return new DnsListLookup(resolver, deadline, metrics);
    }

    @Test
    void query_names_reverse_ipv4_octets_and_ipv6_nibbles() throws Exception {
        assertThat(DnsListLookup.queryName(InetAddress.getByName("192.0.2.99"), "bl.example.net"))
                .isEqualTo("99.2.0.192.bl.example.net");
        assertThat(DnsListLookup.queryName(InetAddress.getByName("2001:db8::567:89ab"), "bl.example.net"))
                .isEqualTo("b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example.net");
    }

    @ParameterizedTest(name = "{1} with codes [{0}]: {2}")
    @CsvSource(delimiter = ';', textBlock = """
            ;                              127.0.0.2;       true
            ;                              127.0.0.11;      true
            ;                              127.255.255.254; false
            ;                              127.255.255.252; false
            ;                              127.0.0.255;     false
            ;                              192.0.2.1;       false
            127.0.0.2..127.0.0.11;         127.0.0.11;      true
            127.0.0.2..127.0.0.11;         127.0.0.12;      false
            127.0.0.2|127.0.0.4;           127.0.0.4;       true
            127.0.0.2|127.0.0.4;           127.0.0.3;       false
            """)
    void counts_only_answers_that_pass_the_filter(String codes, String answer, boolean listed) throws Exception {
        DnsList list = lists("bl.example.net:reject" + (codes == null ? "" : ":" + codes)).get(0);
        assertThat(DnsListLookup.counts(list, (Inet4Address) InetAddress.getByName(answer))).isEqualTo(listed);
    }

    @Test
    void asks_every_list_and_reports_hit_miss_and_failures_as_values() throws Exception {
        dns.a("10.2.0.192.black.example.net", "127.0.0.2")
                .a("10.2.0.192.refusing.example.net", "127.255.255.254")
                .servfail("10.2.0.192.broken.example.net")
                .timeout("10.2.0.192.slow.example.net");
        // white.example.net: nobody registered the name, so NXDOMAIN
        var all = lists("black.example.net:reject", "white.example.net:skip-greylisting", "refusing.example.net:defer",
                "broken.example.net:defer", "slow.example.net:defer");

        DnsListResults r = lookup(Duration.ofSeconds(1), Duration.ofSeconds(5)).lookup(session("192.0.2.10"), all);

        assertThat(r.answers().values()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("Listed", "NotListed", "NotListed", "Failed", "Failed");
        assertThat(r.answer(all.get(0))).isEqualTo(new ListAnswer.Listed(List.of("127.0.0.2")));
        assertThat(((ListAnswer.Failed) r.answer(all.get(4))).why()).startsWith("timeout");
        assertThat(r.firstHit(all.get(0).action())).contains(all.get(0));
        assertThat(metrics.counter("greyrelay.dnsbl.lookups", "list", "slow.example.net", "result", "failed").count()).isEqualTo(1);
        assertThat(metrics.counter("greyrelay.dnsbl.lookups", "list", "black.example.net", "result", "listed").count()).isEqualTo(1);
    }

    @Test
    void lists_are_asked_in_parallel_and_the_deadline_bounds_the_wait() throws Exception {
        dns.timeout("10.2.0.192.slow1.example.net").timeout("10.2.0.192.slow2.example.net")
                .a("10.2.0.192.fast.example.net", "127.0.0.2");
        var all = lists("slow1.example.net:reject", "slow2.example.net:reject", "fast.example.net:reject");

        // each DNS query would wait 10 s; the deadline gives up after 1.5 s for both slow lists together
        long t0 = System.nanoTime();
        DnsListResults r = lookup(Duration.ofSeconds(10), Duration.ofMillis(1500)).lookup(session("192.0.2.10"), all);

        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms waited").isLessThan(8000);
        assertThat(r.answer(all.get(0))).isEqualTo(new ListAnswer.Failed("no answer within 1500ms"));
        assertThat(r.answer(all.get(1))).isEqualTo(new ListAnswer.Failed("no answer within 1500ms"));
        assertThat(r.answer(all.get(2))).isInstanceOf(ListAnswer.Listed.class);
        assertThat(dns.queryCount("10.2.0.192.slow2.example.net", "A")).as("the second slow list was asked too").isEqualTo(1);
    }
}
