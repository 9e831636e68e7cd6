package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.ratelimit.RateLimitOverride;
import greyrelay.db.ratelimit.RateLimitOverrides;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rate limit over real SMTP, with client addresses presented by the PROXY protocol: it trips at exactly its
 * number, answers the contract reply, and recovers when the clock moves (never a sleep). Every other limit is off
 * in each test, so the one under test is the only one that can answer.
 */
class RateLimitIT {
    static final String HOST = "mx.example.com";
    static final String RATE_LIMITED = Replies.RATE_LIMITED.line();

    @TempDir
    Path dir;

    RelayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    /** {@code limits}: YAML lines inside {@code rateLimits:} (indented two spaces); everything else off. */
    RelayHarness start(String limits) throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                greylist:
                  enabled: false
                verification:
                  enabled: false
                rateLimits:
                  perIp: {connectionsPerMinute: %s, messagesPerHour: %s, recipientsPerHour: %s}
                  perNetwork: {connectionsPerMinute: %s, messagesPerHour: %s, recipientsPerHour: %s}
                  maxConnectionsPerNetwork: %s
                  senderDomainMessagesPerHour: %s
                """.formatted(value(limits, "ip.connections"), value(limits, "ip.messages"), value(limits, "ip.recipients"),
                value(limits, "net.connections"), value(limits, "net.messages"), value(limits, "net.recipients"),
                value(limits, "net.concurrent"), value(limits, "domain.messages")));
        return h;
    }

    /** Tiny "a=1 b=2" settings language, so each test states only its limit. */
    static String value(String settings, String name) {
        for (String part : settings.split(" ")) {
            if (part.startsWith(name + "=")) return part.substring(name.length() + 1);
        }
        return "0";
    }

    SmtpConversation connect(String ip) throws Exception {
        return SmtpConversation.openAs(ip, h.smtpPort());
    }

    SmtpConversation session(String ip) throws Exception {
        SmtpConversation c = connect(ip);
        c.expect(220);
        c.ehlo(HELO);
        return c;
    }

    /** MAIL FROM, one RCPT per recipient, RSET; returns the RCPT reply lines. */
    static List<String> transaction(SmtpConversation c, String sender, String... recipients) throws Exception {
        c.send("MAIL FROM:<" + sender + ">").expect(250);
        List<String> replies = new ArrayList<>();
        for (String r : recipients) replies.add(c.send("RCPT TO:<" + r + ">").read().last());
        c.send("RSET").expect(250);
        return replies;
    }

    String greeting(String ip) throws Exception {
        try (SmtpConversation c = connect(ip)) {
            return c.read().last();
        }
    }

    @Test
    void connections_per_minute_per_address_trip_at_exactly_the_limit_and_recover() throws Exception {
        start("ip.connections=3");
        for (int i = 0; i < 3; i++) assertThat(greeting("192.0.2.10")).startsWith("220 ");

        try (SmtpConversation c = connect("192.0.2.10")) {
            assertThat(c.read().last()).isEqualTo(Replies.tooManyConnections(HOST, InetAddress.getByName("192.0.2.10")).line())
                    .isEqualTo("421 4.7.0 mx.example.com Error: too many connections from [192.0.2.10]");
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(greeting("192.0.2.11")).as("another address has its own bucket").startsWith("220 ");

        h.clock.advance(Duration.ofSeconds(20)); // 3 a minute: one back every 20 s
        assertThat(greeting("192.0.2.10")).startsWith("220 ");
        assertThat(greeting("192.0.2.10")).startsWith("421 ");
    }

    @Test
    void connections_per_minute_per_network_count_every_address_of_the_24() throws Exception {
        start("net.connections=3");
        assertThat(greeting("192.0.2.10")).startsWith("220 ");
        assertThat(greeting("192.0.2.11")).startsWith("220 ");
        assertThat(greeting("192.0.2.12")).startsWith("220 ");

        assertThat(greeting("192.0.2.13")).isEqualTo("421 4.7.0 mx.example.com Error: too many connections from [192.0.2.13]");
        assertThat(greeting("198.51.100.20")).startsWith("220 ");

        h.clock.advance(Duration.ofSeconds(20));
        assertThat(greeting("192.0.2.14")).startsWith("220 ");
    }

    @Test
    void open_connections_per_network_are_capped_and_free_again_when_one_closes() throws Exception {
        start("net.concurrent=2");
        try (SmtpConversation a = session("2001:db8:1::10"); SmtpConversation b = session("2001:db8:1:0:ffff::1")) {
            assertThat(greeting("2001:db8:1::99")).isEqualTo("421 4.7.0 mx.example.com Error: too many connections from [IPv6:2001:db8:1:0:0:0:0:99]");
            assertThat(greeting("2001:db8:2::10")).as("another /64").startsWith("220 ");
            a.send("QUIT").expect(221);
            assertThat(a.isClosedByServer()).isTrue();
            // QUIT closes the socket before the session thread counts the connection out: wait for that thread
            // (bounded, real time only because another thread must finish; nothing here depends on durations)
            String again = greeting("2001:db8:1::99");
            for (int i = 0; i < 100 && !again.startsWith("220 "); i++) {
                Thread.sleep(20);
                again = greeting("2001:db8:1::99");
            }
            assertThat(again).startsWith("220 ");
        }
    }

    @Test
    void messages_per_hour_per_address_count_each_transaction_once_however_many_recipients() throws Exception {
        start("ip.messages=2");
        try (SmtpConversation c = session("192.0.2.10")) {
            assertThat(transaction(c, JANE, JOHN, MARY, "bob@example.com")).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));

            assertThat(transaction(c, JANE, JOHN, MARY)).containsExactly(RATE_LIMITED, RATE_LIMITED);

            h.clock.advance(Duration.ofMinutes(30)); // 2 an hour: one back every 30 min
            assertThat(transaction(c, JANE, JOHN, MARY)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, JANE, JOHN)).containsExactly(RATE_LIMITED);
        }
        try (SmtpConversation other = session("198.51.100.20")) {
            assertThat(transaction(other, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
        }
    }

    @Test
    void messages_per_hour_per_network_add_up_across_its_addresses() throws Exception {
        start("net.messages=2");
        try (SmtpConversation a = session("192.0.2.10"); SmtpConversation b = session("192.0.2.11")) {
            assertThat(transaction(a, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(b, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(b, JANE, JOHN)).containsExactly(RATE_LIMITED);
            assertThat(transaction(a, JANE, JOHN)).containsExactly(RATE_LIMITED);
            h.clock.advance(Duration.ofMinutes(30));
            assertThat(transaction(a, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
        }
    }

    @Test
    void recipients_per_hour_per_address_count_each_recipient_and_refused_ones_cost_nothing() throws Exception {
        start("ip.recipients=3");
        try (SmtpConversation c = session("192.0.2.10")) {
            assertThat(transaction(c, JANE, JOHN, MARY, "bob@example.com", "eve@example.com", "ann@example.com"))
                    .extracting(r -> r.substring(0, 3)).containsExactly("250", "250", "250", "451", "451");

            h.clock.advance(Duration.ofMinutes(20)); // 3 an hour: one back every 20 min
            assertThat(transaction(c, JANE, JOHN, MARY)).extracting(r -> r.substring(0, 3)).containsExactly("250", "451");
        }
    }

    @Test
    void role_recipients_count_and_are_limited_like_any_other() throws Exception {
        start("ip.recipients=3");
        try (SmtpConversation c = session("192.0.2.10")) {
            // postmaster@ and abuse@ are always accepted by the role-recipient check, yet each one takes a token
            assertThat(transaction(c, JANE, "postmaster@example.com", "abuse@example.com", JOHN))
                    .extracting(r -> r.substring(0, 3)).containsExactly("250", "250", "250");
            assertThat(transaction(c, JANE, "postmaster@example.com", "abuse@example.com", "postmaster"))
                    .containsExactly(RATE_LIMITED, RATE_LIMITED, RATE_LIMITED);

            h.clock.advance(Duration.ofMinutes(20)); // one token back: the postmaster is reachable again, later
            assertThat(transaction(c, JANE, "postmaster@example.com")).extracting(r -> r.substring(0, 3)).containsExactly("250");
        }
    }

    @Test
    void recipients_per_hour_per_network_add_up_across_its_addresses() throws Exception {
        start("net.recipients=3");
        try (SmtpConversation a = session("192.0.2.10"); SmtpConversation b = session("192.0.2.11")) {
            assertThat(transaction(a, JANE, JOHN, MARY)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(b, JANE, JOHN, MARY)).extracting(r -> r.substring(0, 3)).containsExactly("250", "451");
            assertThat(transaction(a, JANE, JOHN)).containsExactly(RATE_LIMITED);
            h.clock.advance(Duration.ofMinutes(20));
            assertThat(transaction(b, JANE, JOHN, MARY)).extracting(r -> r.substring(0, 3)).containsExactly("250", "451");
        }
    }

    @Test
    void messages_per_hour_per_sender_domain_count_across_clients() throws Exception {
        start("domain.messages=2");
        try (SmtpConversation a = session("192.0.2.10"); SmtpConversation b = session("198.51.100.20")) {
            assertThat(transaction(a, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(b, "joe@EXAMPLE.org", JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(a, "ann@example.org", JOHN)).containsExactly(RATE_LIMITED);
            assertThat(transaction(a, "someone@example.net", JOHN)).as("another domain").allMatch(r -> r.startsWith("250"));
            assertThat(transaction(b, "", JOHN)).as("the null sender has no domain to count").allMatch(r -> r.startsWith("250"));
            h.clock.advance(Duration.ofMinutes(30));
            assertThat(transaction(b, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
        }
    }

    @Test
    void a_refusal_is_in_the_decision_log_with_the_limit_that_tripped() throws Exception {
        start("ip.messages=1");
        try (SmtpConversation c = session("192.0.2.10")) {
            transaction(c, JANE, JOHN);
            assertThat(transaction(c, JANE, MARY)).containsExactly(RATE_LIMITED);
        }
        List<DecisionRecord> rows = AbuseDecisions.awaitRow(h, r -> r.checkName().equals("rate-limit"));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.checkName()).isEqualTo("rate-limit");
            assertThat(r.replyCode()).isEqualTo(451);
            assertThat(r.recipient()).isEqualTo(MARY);
            assertThat(r.reason()).isEqualTo("messages per hour from [192.0.2.10]: limit 1/1h, next in 3600s (defaults)");
        });
        assertThat(h.relay.metrics().scrape()).contains("greyrelay_ratelimit_exceeded_total{limit=\"ip-messages\"} 1.0");
    }

    @Test
    void a_database_override_is_honoured_without_a_restart_within_the_refresh_period() throws Exception {
        start("ip.messages=1");
        var store = new RateLimitOverrides(h.relay.database());
        try (SmtpConversation c = session("192.0.2.10")) {
            transaction(c, JANE, JOHN);
            assertThat(transaction(c, JANE, JOHN)).containsExactly(RATE_LIMITED);

            store.save(RateLimitOverride.client("192.0.2.0/24", null, 3, null, "partner", h.clock.instant()));
            assertThat(transaction(c, JANE, JOHN)).as("the loaded snapshot is not stale yet").containsExactly(RATE_LIMITED);

            h.clock.advance(Duration.ofSeconds(30)); // rateLimits.overrideRefresh
            assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, JANE, JOHN)).as("the override's 3 an hour").containsExactly(RATE_LIMITED);

            store.save(RateLimitOverride.client("192.0.2.10", null, 0, null, "no limit", h.clock.instant()));
            h.relay.rateLimitOverrides().invalidate(); // an edit in this process: no wait at all
            for (int i = 0; i < 5; i++) assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));

            store.delete(RateLimitOverride.Kind.CLIENT, "192.0.2.10");
            store.delete(RateLimitOverride.Kind.CLIENT, "192.0.2.0/24");
            h.relay.rateLimitOverrides().invalidate();
            assertThat(transaction(c, JANE, JOHN)).as("back to the default, whose bucket is still empty").containsExactly(RATE_LIMITED);
        }
    }

    @Test
    void a_sender_domain_override_raises_that_domain_only() throws Exception {
        start("domain.messages=1");
        new RateLimitOverrides(h.relay.database()).save(RateLimitOverride.senderDomain("example.org", 2, null, h.clock.instant()));
        h.relay.rateLimitOverrides().invalidate();
        try (SmtpConversation c = session("192.0.2.10")) {
            assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, JANE, JOHN)).containsExactly(RATE_LIMITED);
            assertThat(transaction(c, "someone@example.net", JOHN)).allMatch(r -> r.startsWith("250"));
            assertThat(transaction(c, "someone@example.net", JOHN)).containsExactly(RATE_LIMITED);
        }
    }

    @Test
    void observe_mode_records_the_refusal_and_lets_the_mail_through() throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                greylist:
                  enabled: false
                verification:
                  enabled: false
                rateLimits:
                  mode: observe
                  perIp: {connectionsPerMinute: 0, messagesPerHour: 1, recipientsPerHour: 0}
                  perNetwork: {connectionsPerMinute: 0, messagesPerHour: 0, recipientsPerHour: 0}
                """);
        try (SmtpConversation c = session("192.0.2.10")) {
            transaction(c, JANE, JOHN);
            assertThat(transaction(c, JANE, JOHN)).allMatch(r -> r.startsWith("250"));
        }
        assertThat(AbuseDecisions.awaitRow(h, r -> r.checkName().equals("rate-limit")))
                .singleElement().satisfies(r -> assertThat(r.observe()).isTrue());
    }
}
