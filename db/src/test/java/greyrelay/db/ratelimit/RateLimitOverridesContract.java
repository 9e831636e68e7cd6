package greyrelay.db.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database;
import greyrelay.db.ratelimit.RateLimitOverride.Kind;
import greyrelay.db.testing.ClassDatabase;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link RateLimitOverrides} promises, run against H2 ({@link H2RateLimitOverridesTest}) and PostgreSQL
 * ({@link PostgresRateLimitOverridesTest}). Rows are cleared before each test.
 */
abstract class RateLimitOverridesContract {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ClassDatabase db;

    RateLimitOverrides store;

    RateLimitOverridesContract(ClassDatabase db) {
        this.db = db;
    }

    Database database() {
        return db.database();
    }

    @BeforeEach
    void empty() throws SQLException {
        db.deleteAllRows("rate_limit_override");
        store = new RateLimitOverrides(database());
    }

    @Test
    void saves_a_client_block_and_reads_every_field_back_with_an_id() {
        RateLimitOverride saved = store.save(RateLimitOverride.client("192.0.2.0/24", 120, 0, null, "partner relays",
                T0.plusNanos(123_456_789)));

        assertThat(saved.id()).isNotNull();
        assertThat(saved.kind()).isEqualTo(Kind.CLIENT);
        assertThat(saved.match()).isEqualTo("192.0.2.0/24");
        assertThat(saved.connectionsPerMinute()).isEqualTo(120);
        assertThat(saved.messagesPerHour()).as("0 = no limit, kept apart from null").isZero();
        assertThat(saved.recipientsPerHour()).as("null = the configured default").isNull();
        assertThat(saved.note()).isEqualTo("partner relays");
        assertThat(saved.updatedAt()).isEqualTo(T0.plusNanos(123_456_000));
        assertThat(store.list()).containsExactly(saved);
    }

    @Test
    void saving_the_same_match_again_replaces_the_limits_and_keeps_the_id() {
        RateLimitOverride first = store.save(RateLimitOverride.senderDomain("Example.ORG.", 100, null, T0));
        RateLimitOverride second = store.save(RateLimitOverride.senderDomain("example.org", 500, "raised", T0.plusSeconds(60)));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.match()).isEqualTo("example.org");
        assertThat(second.messagesPerHour()).isEqualTo(500);
        assertThat(store.list()).containsExactly(second);
    }

    @Test
    void two_spellings_of_one_ipv6_block_are_one_row() {
        store.save(RateLimitOverride.client("2001:DB8:0:0::/48", null, 10, null, null, T0));
        store.save(RateLimitOverride.client("2001:db8::/48", null, 20, null, null, T0));

        assertThat(store.list()).singleElement().satisfies(o -> {
            assertThat(o.match()).isEqualTo("2001:db8::/48");
            assertThat(o.messagesPerHour()).isEqualTo(20);
        });
    }

    @Test
    void lists_client_blocks_before_sender_domains_each_in_order() {
        store.save(RateLimitOverride.senderDomain("example.org", 1, null, T0));
        store.save(RateLimitOverride.client("198.51.100.7", 1, null, null, null, T0));
        store.save(RateLimitOverride.client("192.0.2.0/24", 1, null, null, null, T0));
        store.save(RateLimitOverride.senderDomain(".example.net", 1, null, T0));

        assertThat(store.list()).extracting(RateLimitOverride::match)
                .containsExactly("192.0.2.0/24", "198.51.100.7/32", ".example.net", "example.org");
    }

    @Test
    void finds_by_kind_and_match_in_any_spelling() {
        store.save(RateLimitOverride.client("198.51.100.7", 5, null, null, null, T0));

        assertThat(store.find(Kind.CLIENT, "198.51.100.7/32")).get().extracting(RateLimitOverride::connectionsPerMinute).isEqualTo(5);
        assertThat(store.find(Kind.CLIENT, "198.51.100.8")).isEmpty();
        assertThat(store.find(Kind.SENDER_DOMAIN, "example.org")).isEmpty();
    }

    @Test
    void deletes_by_match_and_by_id() {
        RateLimitOverride a = store.save(RateLimitOverride.client("192.0.2.0/24", 1, null, null, null, T0));
        store.save(RateLimitOverride.senderDomain("example.org", 1, null, T0));

        assertThat(store.delete(Kind.SENDER_DOMAIN, "EXAMPLE.org")).isTrue();
        assertThat(store.delete(Kind.SENDER_DOMAIN, "example.org")).isFalse();
        assertThat(store.delete(a.id())).isTrue();
        assertThat(store.delete(a.id())).isFalse();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void a_row_edited_by_hand_past_validation_is_skipped_not_fatal() throws SQLException {
        store.save(RateLimitOverride.client("192.0.2.0/24", 1, null, null, null, T0));
        try (Connection connection = database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO rate_limit_override (kind, match_value, updated_at)"
                    + " VALUES ('client', 'not-an-address', CURRENT_TIMESTAMP)");
        }

        assertThat(store.list()).extracting(RateLimitOverride::match).containsExactly("192.0.2.0/24");
    }

    @Test
    void the_bucket_table_for_shared_limits_exists() throws SQLException {
        try (Connection connection = database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO rate_limit_bucket (id, state, expires_at) VALUES ('k', NULL, 1)");
            assertThat(statement.executeUpdate("DELETE FROM rate_limit_bucket WHERE expires_at < 2")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            192.0.2.7/24      | host bits set in "192.0.2.7/24"; did you mean 192.0.2.0/24?
            mail.example.org  | expected an IP address or CIDR block, got "mail.example.org"
            1234              | expected an IP address or CIDR block, got "1234"
            192.0.2.0/33      | expected a prefix length 0..32 after '/', got "192.0.2.0/33"
            ::ffff:192.0.2.1  | write an IPv4-mapped address as IPv4: "::ffff:192.0.2.1"
            """)
    void refuses_a_bad_client_block_with_a_reason(String block, String reason) {
        assertThatThrownBy(() -> RateLimitOverride.client(block, 1, null, null, null, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }

    @Test
    void refuses_bad_domains_and_limits() {
        assertThatThrownBy(() -> RateLimitOverride.senderDomain("exa mple.org", 1, null, T0))
                .hasMessage("expected a domain such as example.org or .example.org, got \"exa mple.org\"");
        assertThatThrownBy(() -> RateLimitOverride.senderDomain("org", 1, null, T0))
                .hasMessageStartingWith("expected a domain such as");
        assertThatThrownBy(() -> RateLimitOverride.client("192.0.2.1", -1, null, null, null, T0))
                .hasMessage("connectionsPerMinute must be empty (the default), 0 (no limit) or up to 10000000, got -1");
        assertThatThrownBy(() -> new RateLimitOverride(null, Kind.SENDER_DOMAIN, "example.org", 5, null, null, null, T0))
                .hasMessage("a sender-domain override limits messages per hour only");
    }

    @Test
    void finds_an_override_by_id() {
        RateLimitOverride saved = store.save(RateLimitOverride.client("198.51.100.0/24", 10, null, null, null, T0));

        assertThat(store.find(saved.id())).hasValue(saved);
        assertThat(store.find(saved.id() + 1000)).isEmpty();
    }

    @Test
    void a_block_contains_exactly_its_addresses() throws Exception {
        var v4 = RateLimitOverride.parseBlock("192.0.2.128/25");
        assertThat(v4.contains(InetAddress.getByName("192.0.2.200"))).isTrue();
        assertThat(v4.contains(InetAddress.getByName("192.0.2.127"))).isFalse();
        assertThat(v4.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
        var v6 = RateLimitOverride.parseBlock("2001:db8:0:1::/64");
        assertThat(v6.cidr()).isEqualTo("2001:db8:0:1::/64");
        assertThat(v6.contains(InetAddress.getByName("2001:db8:0:1:ffff::9"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("2001:db8:0:2::9"))).isFalse();
        assertThat(RateLimitOverride.parseBlock("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(RateLimitOverride.parseBlock("2001:0:0:1:0:0:0:1").cidr()).isEqualTo("2001:0:0:1::1/128");
    }
}
