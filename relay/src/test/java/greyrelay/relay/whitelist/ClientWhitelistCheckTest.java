package greyrelay.relay.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.dns.CachingDns;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connect phase: client entries by address, and by host name only when reverse DNS is forward-confirmed. */
class ClientWhitelistCheckTest {
    @TempDir
    static Path dir;

    static Database db;
    FakeDnsServer dns;
    WhitelistStore store;
    Whitelists whitelists;
    ClientWhitelistCheck check;

    @BeforeAll
    static void open() {
        db = TestDatabases.h2(dir);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void setUp() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM whitelist_entry");
        }
        dns = FakeDnsServer.start();
        store = new WhitelistStore(db);
        whitelists = new Whitelists(store::all, List.of(), new SimpleMeterRegistry());
        var resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(500), 1);
        var cached = new CachingDns(resolver, new TestClock(), Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(1), 1000);
        check = new ClientWhitelistCheck(whitelists, new ForwardConfirmed(cached));
    }

    @AfterEach
    void tearDown() {
        dns.close();
    }

    void whitelist(WhitelistKind kind, String value) {
        store.add(WhitelistEntry.of(kind, value, null, "admin", Instant.EPOCH));
        whitelists.invalidate();
    }

    static PolicyRequest.Connect connect(String ip) {
        return new PolicyRequest.Connect(new SessionFacts("S1", IpNetwork.literal(ip), 40000, Optional.empty(), false, TestClock.START),
                new SessionNotes());
    }

    @Test
    void a_whitelisted_address_exempts_the_session_from_every_client_check() {
        whitelist(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24");
        PolicyRequest.Connect r = connect("192.0.2.10");

        assertThat(check.evaluate(r)).isEqualTo(Verdict.CONTINUE);

        assertThat(r.notes().exemptions()).containsExactlyInAnyOrder(Exemption.values());
        assertThat(r.notes().get(ClientWhitelistCheck.MATCH).orElseThrow().value()).isEqualTo("192.0.2.0/24");
        assertThat(dns.queries()).isEmpty(); // no host entries: no reverse lookup
    }

    @Test
    void a_whitelisted_ipv6_network() {
        whitelist(WhitelistKind.CLIENT_ADDRESS, "2001:db8:1::/48");
        PolicyRequest.Connect r = connect("2001:db8:1:2::25");

        check.evaluate(r);

        assertThat(r.notes().exemptions()).contains(Exemption.GREYLISTING);
    }

    @Test
    void a_host_name_counts_when_its_reverse_dns_is_forward_confirmed() {
        whitelist(WhitelistKind.CLIENT_HOST, "example.org");
        dns.ptr("192.0.2.10", "out1.mail.example.org").a("out1.mail.example.org", "192.0.2.10");
        PolicyRequest.Connect r = connect("192.0.2.10");

        check.evaluate(r);

        assertThat(r.notes().exemptions()).contains(Exemption.GREYLISTING, Exemption.DNSBL);
        assertThat(r.notes().get(ClientWhitelistCheck.MATCH).orElseThrow().toString()).isEqualTo("client host example.org (admin)");
    }

    @Test
    void a_ptr_that_does_not_forward_confirm_grants_nothing() {
        whitelist(WhitelistKind.CLIENT_HOST, "example.org");
        // the owner of 203.0.113.66 claims a name under example.org, whose A record points elsewhere
        dns.ptr("203.0.113.66", "mail.example.org").a("mail.example.org", "192.0.2.10");
        PolicyRequest.Connect r = connect("203.0.113.66");

        check.evaluate(r);

        assertThat(r.notes().exemptions()).isEmpty();
        assertThat(dns.queryCount("mail.example.org", "A")).isEqualTo(1);
    }

    @Test
    void an_ipv6_client_is_confirmed_by_aaaa() {
        whitelist(WhitelistKind.CLIENT_HOST, "/^mx[0-9]+\\.example\\.net$/");
        dns.ptr("2001:db8::25", "mx7.example.net").aaaa("mx7.example.net", "2001:db8::25");
        PolicyRequest.Connect r = connect("2001:db8::25");

        check.evaluate(r);

        assertThat(r.notes().exemptions()).contains(Exemption.GREYLISTING);
    }

    @Test
    void a_dns_failure_grants_nothing() {
        whitelist(WhitelistKind.CLIENT_HOST, "example.org");
        dns.servfail("10.2.0.192.in-addr.arpa");
        PolicyRequest.Connect r = connect("192.0.2.10");

        assertThat(check.evaluate(r)).isEqualTo(Verdict.CONTINUE);
        assertThat(r.notes().exemptions()).isEmpty();
    }

    @Test
    void a_client_without_any_entry_gets_nothing() {
        whitelist(WhitelistKind.CLIENT_ADDRESS, "198.51.100.0/24");
        PolicyRequest.Connect r = connect("192.0.2.10");

        check.evaluate(r);

        assertThat(r.notes().exemptions()).isEmpty();
    }
}
