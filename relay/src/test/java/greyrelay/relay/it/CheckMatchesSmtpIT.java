package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.VerificationCache;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.cli.MainRunner;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code greyrelay check} predicts the SMTP path: for each case of a table, the dry run (the CLI, through the running
 * relay's control API) answers exactly the reply (code, enhanced code, text) a real SMTP session then gets, and the dry
 * run changes nothing: the same row counts (triplets, client networks, trap blocks, decision log, verification cache,
 * probe history), no rate-limit bucket created or token taken, no decision counted.
 */
class CheckMatchesSmtpIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final java.util.regex.Pattern LOG_LINE = java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
    static final List<String> TABLES = List.of("greylist_triplet", "greylist_client", "greylist_trap_block", "decision_log",
            "verification_cache", "probe_log", "vouch_network", "vouch_tally");

    @TempDir
    Path dir;

    RelayHarness h;
    Path cliConfig;

    /** One row of the table: a client's mail, what to set up first, and the reply expected of both paths. */
    record Case(String name, String client, String sender, String recipient, Consumer<Case> setup, String expected) {}

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private void start(String yaml) throws Exception {
        h = RelayHarness.start(dir, yaml);
        cliConfig = dir.resolve("cli.yaml");
        Files.writeString(cliConfig, "dataDir: " + dir + "\n");
    }

    @Test
    void greylisting_rate_limits_spamtraps_spf_and_relay_domains() throws Exception {
        start("""
                smtp: {proxyProtocol: true}
                greylist: {defaultWhitelist: false, spamtraps: [trap@example.com]}
                rateLimits: {perIp: {messagesPerHour: 3}}
                """);
        h.dns.txt("spffail.example", "v=spf1 -all");
        String queued = "250 2.0.0 Ok: queued as *";
        List<Case> table = List.of(
                new Case("whitelisted client", "203.0.113.5", Examples.JANE, JOHN, c -> whitelistClient("203.0.113.0/24"), queued),
                new Case("fresh triplet", "192.0.2.10", Examples.JANE, JOHN, c -> { }, "451 4.7.1 Greylisted, please try again in 300 seconds"),
                new Case("known passed triplet", "198.51.100.20", Examples.JANE, JOHN, c -> {
                    assertThat(smtp(c).split(" ")[0]).isEqualTo("451");
                    h.clock.advance(Duration.ofMinutes(6));
                    assertThat(smtp(c)).startsWith("250 2.0.0");
                }, queued),
                new Case("rate-limited client", "192.0.2.130", "other@example.org", "mary@example.com", c -> {
                    for (int i = 0; i < 3; i++) assertThat(smtp(c)).startsWith("451 4.7.1 Greylisted");
                }, "451 4.7.1 Rate limit exceeded, try again later"),
                new Case("spamtrap recipient", "198.51.100.140", Examples.JANE, "trap@example.com", c -> { },
                        "451 4.7.1 Client host [198.51.100.140] temporarily blocked"),
                new Case("SPF fail", "192.0.2.150", "news@spffail.example", JOHN, c -> { },
                        "550 5.7.23 <news@spffail.example>: SPF validation failed"),
                new Case("unknown relay domain", "192.0.2.160", Examples.JANE, Examples.STRANGER, c -> { },
                        "554 5.7.1 <" + Examples.STRANGER + ">: Relay access denied"),
                new Case("role recipient", "192.0.2.170", Examples.JANE, "postmaster@example.com", c -> { }, queued),
                new Case("bare postmaster (RFC 5321 4.5.1)", "192.0.2.190", Examples.JANE, "postmaster", c -> { }, queued),
                new Case("null sender, fresh triplet: greylisted at the end of DATA", "192.0.2.180", "", JOHN, c -> { },
                        "451 4.7.1 Greylisted, please try again in 300 seconds"));
        run(table);

        // more dry runs than the client has tokens (3 an hour): none was taken, the session is greylisted, not limited
        Case many = new Case("many dry runs", "198.18.0.200", Examples.JANE, Examples.MARY, c -> { }, "451 4.7.1 Greylisted, please try again in 300 seconds");
        for (int i = 0; i < 4; i++) assertThat(check(many).path("checkName").asText()).isEqualTo("greylist");
        assertThat(smtp(many)).isEqualTo(many.expected());
    }

    @Test
    void sender_verification_answers_from_its_cache() throws Exception {
        start("""
                smtp: {proxyProtocol: true}
                greylist: {enabled: false}
                verification: {enabled: true, unverifiable: defer}
                spf: {mode: observe}
                """);
        for (String d : List.of("bad.example", "odd.example", "good.example", "spffail.example")) {
            h.dns.mx(d, 10, "mx." + d).a("mx." + d, "192.0.2.250");
        }
        h.dns.txt("spffail.example", "v=spf1 -all");
        Instant now = h.clock.instant();
        VerificationCache cache = new VerificationCache(h.relay.database());
        cache.put(entry("nobody@bad.example", CacheStatus.INVALID, 550, "5.1.1 no such user", now));
        cache.put(entry("jane@odd.example", CacheStatus.UNVERIFIABLE, 550, "5.7.1 we refuse the null sender", now));
        cache.put(entry("jane@good.example", CacheStatus.VALID, 250, "2.1.5 ok", now));
        cache.put(entry("news@spffail.example", CacheStatus.VALID, 250, "2.1.5 ok", now));
        List<Case> table = List.of(
                new Case("cached refusal, not yet confirmed", "192.0.2.10", "nobody@bad.example", JOHN, c -> { },
                        "451 4.1.7 <nobody@bad.example>: Sender address rejected: undeliverable address"),
                new Case("cached unverifiable, unverifiable: defer", "192.0.2.20", "jane@odd.example", JOHN, c -> { },
                        "451 4.4.3 <jane@odd.example>: Sender address verification failed temporarily, try again later"),
                new Case("cached deliverable", "192.0.2.30", "jane@good.example", JOHN, c -> { }, "250 2.0.0 Ok: queued as *"),
                new Case("SPF fail in observe mode: recorded, and the mail goes on", "192.0.2.40", "news@spffail.example", JOHN, c -> { },
                        "250 2.0.0 Ok: queued as *"));
        run(table);
        JsonNode spf = null;
        for (JsonNode step : check(table.getLast()).path("steps")) if (step.path("checkName").asText().equals("spf")) spf = step;
        assertThat(spf).as("the spf step").isNotNull();
        assertThat(spf.path("observe").asBoolean()).isTrue();
        assertThat(spf.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(spf.path("replyCode").asInt()).isEqualTo(550);
    }

    @Test
    void prints_each_check_and_the_reply_and_works_on_a_stopped_relay() throws Exception {
        String extra = "spf: {enabled: false}\ngreylist: {defaultWhitelist: false}\n";
        start(extra);
        // the CLI's configuration is the relay's: with no relay running, the command builds the check table from it
        Files.writeString(cliConfig, RelayHarness.baseYaml(dir, h.dns.address().getPort(), h.downstream.port()) + extra);
        String[] args = {"check", "--client", "192.0.2.10", "--helo", HELO, "--from", Examples.JANE, "--to", JOHN, "--config",
                cliConfig.toString()};
        MainRunner.Run r = MainRunner.run(Map.of(), args);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("dry run: client [192.0.2.10] helo=<" + HELO + "> from=<" + Examples.JANE + "> to=<" + JOHN + ">")
                .contains("the running relay").containsPattern("connect +connection-limit +passed")
                .containsPattern("rcpt +relay-domain +passed").containsPattern("rcpt +greylist +deferred +451 4.7.1 Greylisted")
                .contains("Outcome: deferred at RCPT, check greylist")
                .contains("Reply:   451 4.7.1 Greylisted, please try again in 300 seconds")
                .contains("Reason:  greylisted: new triplet (192.0.2.0/24, " + Examples.JANE + ", " + JOHN + ")");
        assertThat(MainRunner.run(Map.of(), "check", "--client", "not-an-ip", "--from", Examples.JANE, "--to", JOHN, "--config",
                cliConfig.toString()).exit()).as("a bad client address").isEqualTo(2);
        assertThat(MainRunner.run(Map.of(), "check", "--client", "192.0.2.10", "--from", Examples.JANE, "--config",
                cliConfig.toString()).exit()).as("no --to").isEqualTo(2);

        h.close();
        h = null;
        MainRunner.Run stopped = MainRunner.run(Map.of(), args);
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(stopped.out()).doesNotContain("the running relay")
                .contains("Reply:   451 4.7.1 Greylisted, please try again in 300 seconds");
        String[] probe = java.util.Arrays.copyOf(args, args.length + 1);
        probe[args.length] = "--probe";
        MainRunner.Run refused = MainRunner.run(Map.of(), probe);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("--probe needs the running relay");
    }

    private static CacheEntry entry(String address, CacheStatus status, int code, String text, Instant now) {
        return new CacheEntry(CacheKind.SENDER, address, address.substring(address.indexOf('@') + 1), status, code, text,
                "mx." + address.substring(address.indexOf('@') + 1), now, status == CacheStatus.INVALID ? now : null,
                now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    private void run(List<Case> table) throws Exception {
        for (Case c : table) {
            c.setup().accept(c);
            Map<String, Long> before = state();
            JsonNode first = check(c);
            JsonNode dry = check(c);
            assertThat(state()).as("%s: the dry run changed nothing", c.name()).isEqualTo(before);
            assertThat(dry).as(c.name()).isEqualTo(first);
            String predicted = dry.path("replyCode").asInt() + " " + dry.path("replyText").asText();
            String real = smtp(c);
            assertThat(mask(predicted)).as("%s: dry run %s", c.name(), dry).isEqualTo(mask(c.expected()));
            assertThat(mask(real)).as("%s: the SMTP session", c.name()).isEqualTo(mask(predicted));
            assertThat(dry.path("steps")).as(c.name()).isNotEmpty();
        }
    }

    /** A queue id differs between the dry run (none) and the session. */
    private static String mask(String reply) {
        return reply.replaceFirst("queued as .*", "queued as *");
    }

    private void whitelistClient(String network) {
        new WhitelistStore(h.relay.database()).add(WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, network, "test", "test",
                h.clock.instant()));
        h.relay.whitelisting().whitelists().invalidate();
    }

    /** Row counts, in-memory rate-limit buckets and counted decisions: what a dry run must leave alone. */
    private Map<String, Long> state() throws Exception {
        h.relay.decisions().flush();
        h.relay.verification().flushHistory(); // a real session's cache answers are recorded (verification.logCacheHits)
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = h.relay.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + t)) {
                    r.next();
                    out.put(t, r.getLong(1));
                }
            }
        }
        out.put("rate-limit buckets", (long) h.relay.metrics().get("greyrelay.ratelimit.buckets").gauge().value());
        out.put("decisions counted", (long) h.relay.metrics().find("greyrelay.decisions").counters().stream()
                .mapToDouble(Counter::count).sum());
        out.put("greylist outcomes counted", (long) h.relay.metrics().find("greyrelay.greylist.decisions").counters().stream()
                .mapToDouble(Counter::count).sum());
        return out;
    }

    private JsonNode check(Case c) {
        MainRunner.Run r = MainRunner.run(Map.of(), "check", "--client", c.client(), "--helo", HELO, "--from", c.sender(), "--to",
                c.recipient(), "--json", "--config", cliConfig.toString());
        assertThat(r.exit()).as("%s: %s", c.name(), r.err()).isZero();
        try {
            // the relay runs in this JVM: its log lines (on other threads) can land in the captured stdout
            return JSON.readTree(r.out().lines().filter(l -> !LOG_LINE.matcher(l).lookingAt()).collect(Collectors.joining("\n")));
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.out(), e);
        }
    }

    /** The real session: the first reply that is not a 2xx, or the end of DATA's. */
    private String smtp(Case c) {
        try (SmtpConversation s = SmtpConversation.openAs(c.client(), h.smtpPort())) {
            SmtpConversation.Reply banner = s.read();
            if (banner.code() != 220) return banner.last();
            s.ehlo(HELO);
            SmtpConversation.Reply r = s.send("MAIL FROM:<" + c.sender() + ">").read();
            if (r.code() != 250) return r.last();
            r = s.send("RCPT TO:<" + c.recipient() + ">").read();
            if (r.code() != 250) return r.last();
            return s.data(Examples.message("check")).last();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
