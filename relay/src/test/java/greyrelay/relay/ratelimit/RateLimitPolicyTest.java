package greyrelay.relay.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.ratelimit.RateLimitOverride;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RateLimitsConfig;
import greyrelay.relay.ratelimit.RateLimiter.Limit;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which numbers apply: defaults, the most specific client override, sender-domain overrides; the refreshing snapshot. */
class RateLimitPolicyTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static RateLimitsConfig config() {
        return ConfigLoader.fromYaml("""
                rateLimits:
                  perIp: {connectionsPerMinute: 10, messagesPerHour: 100, recipientsPerHour: 500}
                  perNetwork: {connectionsPerMinute: 50, messagesPerHour: 400, recipientsPerHour: 2000}
                  senderDomainMessagesPerHour: 300
                """, Map.of()).rateLimits();
    }

    final RateLimitPolicy policy = new RateLimitPolicy(config());

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void without_overrides_the_configured_numbers_apply_with_network_keys_at_24_and_64() throws Exception {
        var l = policy.forClient(ip("192.0.2.77"), OverrideTable.EMPTY);

        assertThat(l.ipConnections().limit()).isEqualTo(Limit.perMinute(10));
        assertThat(l.networkConnections().limit()).isEqualTo(Limit.perMinute(50));
        assertThat(l.ipMessages().key()).isEqualTo("msg:ip:192.0.2.77");
        assertThat(l.networkMessages().key()).isEqualTo("msg:net:192.0.2.0/24");
        assertThat(l.networkRecipients().limit()).isEqualTo(Limit.perHour(2000));
        assertThat(l.source()).isEqualTo("defaults");
        assertThat(policy.forClient(ip("2001:db8:0:7:1::9"), OverrideTable.EMPTY).networkMessages().key())
                .isEqualTo("msg:net:2001:db8:0:7:0:0:0:0/64");
    }

    @Test
    void the_most_specific_client_override_wins_and_replaces_only_its_numbers() throws Exception {
        var table = new OverrideTable(List.of(
                RateLimitOverride.client("192.0.2.0/24", null, 1000, null, null, T),
                RateLimitOverride.client("192.0.2.7", 0, null, null, "monitoring", T)));

        var seven = policy.forClient(ip("192.0.2.7"), table);
        assertThat(seven.ipConnections().limit()).as("0 lifts the limit").isEqualTo(Limit.OFF);
        assertThat(seven.networkConnections().limit()).isEqualTo(Limit.OFF);
        assertThat(seven.ipMessages().limit()).as("null keeps the default").isEqualTo(Limit.perHour(100));
        assertThat(seven.source()).isEqualTo("override 192.0.2.7/32");

        var eight = policy.forClient(ip("192.0.2.8"), table);
        assertThat(eight.ipMessages().limit()).isEqualTo(Limit.perHour(1000));
        assertThat(eight.networkMessages().limit()).isEqualTo(Limit.perHour(1000));
        assertThat(eight.ipConnections().limit()).isEqualTo(Limit.perMinute(10));

        assertThat(policy.forClient(ip("198.51.100.1"), table).source()).isEqualTo("defaults");
    }

    @Test
    void a_sender_domain_override_matches_exactly_or_through_a_dotted_parent() {
        var table = new OverrideTable(List.of(
                RateLimitOverride.senderDomain("example.org", 5000, null, T),
                RateLimitOverride.senderDomain(".example.net", 0, null, T)));

        assertThat(policy.forSenderDomain("example.org", table).limit()).isEqualTo(Limit.perHour(5000));
        assertThat(policy.forSenderDomain("mail.example.org", table).limit()).as("no dot: exact only").isEqualTo(Limit.perHour(300));
        assertThat(policy.forSenderDomain("lists.example.net", table).limit()).isEqualTo(Limit.OFF);
        assertThat(policy.forSenderDomain("example.net", table).limit()).as(".example.net means subdomains").isEqualTo(Limit.perHour(300));
        assertThat(policy.forSenderDomain("example.com", table).key()).isEqualTo("msg:dom:example.com");
    }

    @Test
    void the_snapshot_reloads_after_the_refresh_period_or_an_invalidate_and_keeps_the_old_table_on_failure() {
        TestClock clock = new TestClock();
        List<RateLimitOverride> rows = new ArrayList<>();
        int[] loads = {0};
        boolean[] fail = {false};
        Overrides overrides = new Overrides(() -> {
            loads[0]++;
            if (fail[0]) throw new IllegalStateException("database down");
            return List.copyOf(rows);
        }, clock, Duration.ofSeconds(30), new SimpleMeterRegistry());
        assertThat(loads[0]).as("loaded at construction").isEqualTo(1);

        rows.add(RateLimitOverride.senderDomain("example.org", 1, null, T));
        clock.advance(Duration.ofSeconds(29));
        assertThat(overrides.current().size()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(overrides.current().size()).isEqualTo(1);

        rows.add(RateLimitOverride.senderDomain("example.net", 1, null, T));
        overrides.invalidate();
        assertThat(overrides.current().size()).isEqualTo(2);

        fail[0] = true;
        clock.advance(Duration.ofMinutes(1));
        assertThat(overrides.current().size()).as("old table kept").isEqualTo(2);
        int afterFailure = loads[0];
        assertThat(overrides.current().size()).isEqualTo(2);
        assertThat(loads[0]).as("retried only after another period").isEqualTo(afterFailure);
    }
}
