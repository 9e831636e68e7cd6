package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.relay.cli.MainRunner;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state commands (whitelist, greylist, spamtrap, decisions, verify) against a running relay on H2, through its
 * control API (the H2 file is the relay's), and against the same data directory once the relay is stopped (the
 * command then serves the API itself on the database).
 */
class StateCliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final java.util.regex.Pattern LOG_LINE = java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    @TempDir
    Path dir;

    RelayHarness h;
    Path config;

    @BeforeEach
    void start() throws Exception {
        h = RelayHarness.start(dir, "spf: {enabled: false}\ngreylist: {spamtraps: [trap@example.com]}\n");
        config = dir.resolve("cli.yaml");
        // the CLI's own view of the configuration: only the data directory (the relay tells its address in control.url)
        Files.writeString(config, "dataDir: " + dir + "\n");
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private MainRunner.Run cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return MainRunner.run(Map.of(), all);
    }

    private static JsonNode json(MainRunner.Run r) {
        try {
            // the relay runs in this JVM: its log lines (on other threads) can land in the captured stdout
            return JSON.readTree(r.out().lines().filter(l -> !LOG_LINE.matcher(l).lookingAt()).collect(java.util.stream.Collectors.joining("\n")));
        } catch (Exception e) {
            throw new AssertionError("not JSON (exit " + r.exit() + "): " + r.out() + "\nstderr: " + r.err(), e);
        }
    }

    /** A RCPT, then the relay's written-behind greylist and decision rows landed, for the CLI to read. */
    private int rcpt(String to) throws Exception {
        int code;
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            code = c.send("RCPT TO:<" + to + ">").read().code();
        }
        h.relay.greylisting().flush();
        h.relay.decisions().flush();
        return code;
    }

    @Test
    void greylist_list_pass_delete_on_the_running_relay_then_on_the_stopped_one() throws Exception {
        assertThat(rcpt(JOHN)).isEqualTo(451);
        var list = cli("greylist", "list", "--sender", JANE, "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode triplets = json(list).path("triplets");
        assertThat(triplets).hasSize(1);
        assertThat(triplets.get(0).path("state").asText()).isEqualTo("greylisted");

        var pass = cli("greylist", "pass", "--recipient", JOHN);
        assertThat(pass.exit()).as(pass.err()).isZero();
        assertThat(pass.out()).contains("-- 1 triplet(s) passed");
        assertThat(rcpt(JOHN)).as("passed by the CLI: the retry is accepted").isEqualTo(250);

        var stats = cli("stats");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("Decisions").contains("greylist").contains("new triplets 1, passed 1 (100.0%)")
                .contains("127.0.0.0/24").contains("example.org").contains("queue now: 0 message(s)");
        assertThat(json(cli("stats", "--since", "1h", "--json")).path("greylist").path("passed").asLong()).isEqualTo(1);

        var decisions = cli("decisions", "--since", "1h", "--client", "127.0.0.1");
        assertThat(decisions.exit()).as(decisions.err()).isZero();
        assertThat(decisions.out()).contains("deferred").contains("greylist").contains("from=<" + JANE + ">");
        var decisionsJson = cli("decisions", "--json");
        assertThat(decisionsJson.out().lines().map(l -> l.contains("\"checkName\":\"greylist\"")).toList()).contains(true);

        h.close();
        h = null;
        assertThat(dir.resolve("control.url")).doesNotExist();
        var stopped = cli("greylist", "list", "--json");
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(json(stopped).path("triplets").get(0).path("state").asText()).isEqualTo("passed");
        long id = json(stopped).path("triplets").get(0).path("id").asLong();
        assertThat(cli("greylist", "delete", Long.toString(id)).exit()).isZero();
        assertThat(json(cli("greylist", "list", "--json")).path("triplets")).isEmpty();
        assertThat(cli("decisions", "--since", "60d").out()).contains("greylist"); // the relay ran on the test clock, behind the wall clock
        assertThat(cli("greylist", "pass").exit()).as("neither an id nor a search").isEqualTo(2);
        assertThat(cli("stats", "--since", "60d").out()).contains("Top deferred networks").contains("the relay is not running");
    }

    @Test
    void whitelist_add_list_export_delete_applies_at_once_on_the_running_relay() throws Exception {
        var add = cli("whitelist", "add", "sender", JANE, "--note", "partner");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(rcpt(JOHN)).as("whitelisted sender: no greylisting").isEqualTo(250);
        var list = cli("whitelist", "list");
        assertThat(list.out()).contains("SENDER\t" + JANE).contains("partner");
        long id = json(cli("whitelist", "list", "--json")).path("entries").get(0).path("id").asLong();
        assertThat(cli("whitelist", "export", "--type", "senders").out()).contains(JANE);
        assertThat(cli("whitelist", "add", "colour", "blue").exit()).isEqualTo(2);
        assertThat(cli("whitelist", "add", "client_address", "not-an-ip").exit()).isEqualTo(2);
        assertThat(cli("whitelist", "delete", Long.toString(id)).exit()).isZero();
        assertThat(cli("whitelist", "list", "--json").out()).doesNotContain(JANE);

        h.close();
        h = null;
        assertThat(cli("whitelist", "add", "client_address", "192.0.2.0/24").exit()).isZero();
        assertThat(cli("whitelist", "list").out()).contains("CLIENT_ADDRESS\t192.0.2.0/24");
        assertThat(cli("whitelist", "export").out()).contains("192.0.2.0/24");
    }

    @Test
    void spamtrap_list_and_unblock() throws Exception {
        assertThat(rcpt("trap@example.com")).isGreaterThanOrEqualTo(400);
        var list = cli("spamtrap", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("trap <trap@example.com>").contains("-- 1 blocked network(s)");
        String network = json(cli("spamtrap", "list", "--json")).path("blocks").get(0).path("network").asText();
        var unblock = cli("spamtrap", "unblock", network);
        assertThat(unblock.exit()).as(unblock.err()).isZero();
        assertThat(cli("spamtrap", "list").out()).contains("-- 0 blocked network(s)");
        assertThat(cli("spamtrap", "unblock", "not a network").exit()).isEqualTo(2);

        h.close();
        h = null;
        assertThat(cli("spamtrap", "list").out()).contains("-- 0 blocked network(s)");
    }

    @Test
    void verify_shows_cache_profile_and_probes_and_now_needs_the_relay() throws Exception {
        var v = cli("verify", JANE);
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out()).contains("sender <" + JANE + ">").contains("cache:   nothing cached").contains("probes:  none");
        assertThat(json(cli("verify", JANE, "--json")).path("address").asText()).isEqualTo(JANE);
        assertThat(cli("verify", "not-an-address").exit()).isEqualTo(2);

        h.close();
        h = null;
        assertThat(cli("verify", JANE).out()).contains("nothing cached");
        var now = cli("verify", JANE, "--now");
        assertThat(now.exit()).isEqualTo(1);
        assertThat(now.err()).contains("--now needs the running relay");
    }
}
