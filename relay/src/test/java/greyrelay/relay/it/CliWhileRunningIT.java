package greyrelay.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.relay.cli.MainRunner;
import greyrelay.relay.testing.RelayHarness;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admin-user}, {@code admin-token} and {@code whitelist} while a relay runs on the embedded H2: they go through
 * its admin API with the control token (the audit log shows the CLI's OS user and the loopback address), and, once the
 * relay is stopped, serve the same API themselves on the database although the token file is left.
 */
class CliWhileRunningIT {
    static final String OS_USER = "cli:" + System.getProperty("user.name", "unknown");

    @TempDir
    Path dir;

    RelayHarness h;
    Path config;

    @BeforeEach
    void start() throws Exception {
        h = RelayHarness.start(dir, "greylist: {enabled: false}\nadmin:\n  password: \"first password here\"\n");
        config = dir.resolve("cli.yaml");
        Files.writeString(config, "dataDir: " + dir + "\nadmin:\n  port: " + h.relay.adminPort() + "\n");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private MainRunner.Run cli(String stdin, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        InputStream oldIn = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return MainRunner.run(Map.of(), all);
        } finally {
            System.setIn(oldIn);
        }
    }

    private List<AuditEntry> audit(String action) {
        return new AuditLog(h.relay.database()).search(new AuditQuery(null, action, null, null, 10, 0));
    }

    @Test
    void users_and_tokens_are_managed_through_the_running_relay() {
        var add = cli("another password here\n", "admin-user", "add", "Ops", "--password-stdin");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("user ops added");
        assertThat(cli("", "admin-user", "list").out()).contains("admin\t").contains("ops\t");
        assertThat(cli("new password for ops\n", "admin-user", "passwd", "ops", "--password-stdin").out())
                .contains("password of ops changed");
        var weak = cli("short\n", "admin-user", "add", "weak", "--password-stdin");
        assertThat(weak.exit()).isEqualTo(1);
        assertThat(weak.err()).startsWith("greyrelay: password:");
        assertThat(cli("", "admin-user", "delete", "nobody").err()).contains("no such user: nobody");

        var token = cli("", "admin-token", "create", "backup-script");
        assertThat(token.exit()).as(token.err()).isZero();
        assertThat(token.out().strip().lines().reduce((a, b) -> b).orElseThrow()).as("the secret, last").startsWith("grt_");
        assertThat(cli("", "admin-token", "list").out()).contains("backup-script\tadmin\t" + OS_USER);
        assertThat(cli("", "admin-token", "revoke", "backup-script").out()).contains("token backup-script revoked");
        assertThat(cli("", "admin-user", "delete", "ops").out()).contains("user ops deleted");

        assertThat(audit("user.")).filteredOn(e -> e.target().equals("ops")).extracting(AuditEntry::action)
                .containsExactly("user.delete", "user.password", "user.add");
        assertThat(audit("user.")).filteredOn(e -> e.target().equals("ops")).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo(OS_USER);
            assertThat(e.clientIp()).as("a change through the API has the caller's address").isEqualTo("127.0.0.1");
        });
        assertThat(audit("token.")).extracting(AuditEntry::actor).containsOnly(OS_USER);
    }

    @Test
    void a_whitelist_import_goes_through_the_relay_as_the_cli_user_and_lists_back() throws Exception {
        Path file = dir.resolve("whitelist_clients");
        Files.writeString(file, "# partners\n192.0.2.0/24\nmail.example.net\n");

        var imported = cli("", "whitelist", "import", file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 2 clients entries").contains("through the running relay");
        assertThat(audit("whitelist.import")).singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo(OS_USER));

        var list = cli("", "whitelist", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).containsSubsequence("id\tkind\tvalue", "CLIENT_ADDRESS\t192.0.2.0/24\timport:whitelist_clients",
                "CLIENT_HOST\tmail.example.net");

        Files.writeString(file, "not/an/entry here\n");
        var bad = cli("", "whitelist", "import", file.toString());
        assertThat(bad.exit()).isEqualTo(2);
    }

    @Test
    void with_the_relay_stopped_the_commands_open_the_database_themselves() throws Exception {
        h.relay.close(); // leaves control.token behind, and nobody answers on the port any more
        assertThat(dir.resolve("control.token")).exists();

        var list = cli("", "admin-user", "list");

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("admin\t");
    }
}
