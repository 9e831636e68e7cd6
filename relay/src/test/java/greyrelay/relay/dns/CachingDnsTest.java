package greyrelay.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import greyrelay.relay.testing.FakeDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;

class CachingDnsTest {

    private static final Duration MIN_TTL = Duration.ofSeconds(10);
    private static final Duration MAX_TTL = Duration.ofHours(1);
    private static final Duration NEGATIVE_TTL = Duration.ofMinutes(1);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private FakeDnsServer dns;
    private CachingDns cache;

    @BeforeEach
    void start() {
        dns = FakeDnsServer.start();
        cache = cacheOf(100);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private CachingDns cacheOf(int maxEntries) {
        Dns resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 1);
        return new CachingDns(resolver, clock, MIN_TTL, MAX_TTL, NEGATIVE_TTL, maxEntries);
    }

    @Test
    void serves_a_found_answer_from_the_cache_within_its_ttl() {
        dns.ttl(Duration.ofSeconds(300)).mx("example.com", 10, "mx.example.com");

        MxAnswer first = cache.mx("example.com");
        clock.advance(Duration.ofSeconds(299));
        MxAnswer second = cache.mx("example.com");

        assertThat(first).isEqualTo(new MxAnswer.Found(List.of(new MxHost(10, "mx.example.com")),
                Duration.ofSeconds(300)));
        assertThat(second).isEqualTo(new MxAnswer.Found(List.of(new MxHost(10, "mx.example.com")),
                Duration.ofSeconds(1)));
        assertThat(dns.queryCount("example.com", "MX")).isEqualTo(1);
    }

    @Test
    void asks_again_once_the_clock_passes_the_ttl() {
        dns.ttl(Duration.ofSeconds(300)).a("host.example.com", "192.0.2.1");

        cache.a("host.example.com");
        clock.advance(Duration.ofSeconds(300));
        DnsAnswer<?> again = cache.a("host.example.com");

        assertThat(again).isEqualTo(new DnsAnswer.Found<>(List.of(ipv4("192.0.2.1")), Duration.ofSeconds(300)));
        assertThat(dns.queryCount("host.example.com", "A")).isEqualTo(2);
    }

    @Test
    void sees_changed_data_only_after_the_ttl() {
        dns.ttl(Duration.ofSeconds(60)).txt("example.com", "v=spf1 -all");

        cache.txt("example.com");
        dns.remove("example.com").txt("example.com", "v=spf1 +all");

        assertThat(valuesOf(cache.txt("example.com"))).containsExactly("v=spf1 -all");
        clock.advance(Duration.ofSeconds(61));
        assertThat(valuesOf(cache.txt("example.com"))).containsExactly("v=spf1 +all");
    }

    @Test
    void keeps_a_tiny_ttl_for_at_least_the_minimum() {
        dns.ttl(Duration.ZERO).a("host.example.com", "192.0.2.1");

        cache.a("host.example.com");
        clock.advance(MIN_TTL.minusSeconds(1));
        cache.a("host.example.com");
        clock.advance(Duration.ofSeconds(1));
        cache.a("host.example.com");

        assertThat(dns.queryCount("host.example.com", "A")).isEqualTo(2);
    }

    @Test
    void keeps_a_huge_ttl_for_at_most_the_maximum() {
        dns.ttl(Duration.ofDays(7)).a("host.example.com", "192.0.2.1");

        cache.a("host.example.com");
        clock.advance(MAX_TTL.minusSeconds(1));
        cache.a("host.example.com");
        clock.advance(Duration.ofSeconds(1));
        cache.a("host.example.com");

        assertThat(dns.queryCount("host.example.com", "A")).isEqualTo(2);
    }

    @Test
    void never_caches_a_temporary_failure() {
        dns.servfail("flaky.example.com");

        assertThat(cache.mx("flaky.example.com")).isInstanceOf(MxAnswer.TempFail.class);
        assertThat(cache.mx("flaky.example.com")).isInstanceOf(MxAnswer.TempFail.class);
        dns.mx("flaky.example.com", 10, "mx.example.com");
        assertThat(cache.mx("flaky.example.com")).isInstanceOf(MxAnswer.Found.class);

        assertThat(dns.queryCount("flaky.example.com", "MX")).isEqualTo(3);
    }

    @Test
    void caches_nxdomain_and_nodata_briefly() {
        dns.nxdomain("gone.example.com").a("host.example.com", "192.0.2.1");

        assertThat(cache.a("gone.example.com")).isInstanceOf(DnsAnswer.NxDomain.class);
        assertThat(cache.mx("host.example.com")).isEqualTo(new MxAnswer.NoData());
        clock.advance(NEGATIVE_TTL.minusSeconds(1));
        assertThat(cache.a("gone.example.com")).isInstanceOf(DnsAnswer.NxDomain.class);
        assertThat(cache.mx("host.example.com")).isEqualTo(new MxAnswer.NoData());
        assertThat(dns.queryCount("gone.example.com", "A")).isEqualTo(1);
        assertThat(dns.queryCount("host.example.com", "MX")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        cache.a("gone.example.com");
        cache.mx("host.example.com");
        assertThat(dns.queryCount("gone.example.com", "A")).isEqualTo(2);
        assertThat(dns.queryCount("host.example.com", "MX")).isEqualTo(2);
    }

    @Test
    void caches_a_null_mx_like_a_negative_answer() {
        dns.nullMx("nomail.example.com");

        assertThat(cache.mx("nomail.example.com")).isEqualTo(new MxAnswer.NullMx());
        assertThat(cache.mx("nomail.example.com")).isEqualTo(new MxAnswer.NullMx());
        clock.advance(NEGATIVE_TTL);
        cache.mx("nomail.example.com");

        assertThat(dns.queryCount("nomail.example.com", "MX")).isEqualTo(2);
    }

    @Test
    void shares_one_entry_across_case_and_trailing_dot_but_not_across_types() {
        dns.a("host.example.com", "192.0.2.1").txt("host.example.com", "hello");

        cache.a("host.example.com");
        cache.a("HOST.Example.com.");
        cache.txt("host.example.com");

        assertThat(dns.queryCount("host.example.com", "A")).isEqualTo(1);
        assertThat(dns.queryCount("host.example.com", "TXT")).isEqualTo(1);
    }

    @Test
    void caches_ptr_answers_by_address() {
        dns.ptr("192.0.2.1", "mail.example.com");

        cache.ptr(ipv4("192.0.2.1"));
        DnsAnswer<String> again = cache.ptr(ipv4("192.0.2.1"));

        assertThat(valuesOf(again)).containsExactly("mail.example.com");
        assertThat(dns.queries()).hasSize(1);
    }

    @Test
    void drops_the_least_recently_used_answer_when_full() {
        CachingDns small = cacheOf(2);
        dns.a("one.example.com", "192.0.2.1").a("two.example.com", "192.0.2.2").a("three.example.com", "192.0.2.3");

        small.a("one.example.com");
        small.a("two.example.com");
        small.a("one.example.com");      // one is now more recent than two
        small.a("three.example.com");    // pushes out two
        small.a("one.example.com");
        small.a("two.example.com");

        assertThat(small.size()).isEqualTo(2);
        assertThat(dns.queryCount("one.example.com", "A")).isEqualTo(1);
        assertThat(dns.queryCount("two.example.com", "A")).isEqualTo(2);
    }

    @Test
    void rejects_inconsistent_bounds() {
        Dns resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofSeconds(1), 1);

        assertThatThrownBy(() -> new CachingDns(resolver, clock, MAX_TTL, MIN_TTL, NEGATIVE_TTL, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CachingDns(resolver, clock, MIN_TTL, MAX_TTL, NEGATIVE_TTL, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The values of a Found answer; fails the test for any other answer. */
    private static <T> List<T> valuesOf(DnsAnswer<T> answer) {
        if (answer instanceof DnsAnswer.Found<T> found) {
            return found.values();
        }
        throw new AssertionError("expected Found, got " + answer);
    }

    private static InetAddress ipv4(String literal) {
        try {
            return Address.getByAddress(literal, Address.IPv4);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }
}
