package greyrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.auth.AdminAccounts;
import greyrelay.admin.auth.ApiTokenService;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminUser;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.relay.Relay;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RelayConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code greyrelay admin-user …}, {@code admin-token …} and {@code admin} against an embedded H2 in a temp dir. */
class AdminCliTest {
    @TempDir
    Path dir;
    Path config;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut;
    PrintStream oldErr;
    InputStream oldIn;

    @BeforeEach
    void redirect() throws Exception {
        config = dir.resolve("greyrelay.yaml");
        Files.writeString(config, """
                dataDir: %s
                smtp:
                  hostname: mx.example.com
                admin:
                  port: 0
                  password: "first password here"
                """.formatted(dir.resolve("data")));
        oldOut = System.out;
        oldErr = System.err;
        oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }

    int run(String stdin, String... args) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        out.reset();
        err.reset();
        return Main.execute(args, Map.of());
    }

    Database open() {
        return Database.open(Relay.settings(ConfigLoader.load(Optional.of(config), Map.of())));
    }

    Optional<String> authenticate(String user, String password) {
        try (Database db = open()) {
            return AdminAccounts.open(db, Clock.systemUTC(), "test").authenticate(user, password);
        }
    }

    java.util.List<AuditEntry> audit() {
        try (Database db = open()) {
            return new AuditLog(db).search(AuditQuery.newest(10));
        }
    }

    java.util.List<AdminUser> users() {
        try (Database db = open()) {
            return new greyrelay.db.admin.AdminUsers(db).list();
        }
    }

    boolean tokenWorks(String secret) {
        try (Database db = open()) {
            return ApiTokenService.open(db, Clock.systemUTC(), "test").authenticate(secret).isPresent();
        }
    }

    @Test
    void adds_a_user_with_a_password_from_standard_input_who_can_then_log_in() {
        assertThat(run("jane's long password\n", "admin-user", "add", "Jane", "--config", config.toString(), "--password-stdin")).isZero();

        assertThat(out.toString()).contains("user jane added");
        assertThat(authenticate("jane", "jane's long password"))
                .contains("jane");
        assertThat(audit()).extracting(AuditEntry::action, AuditEntry::target)
                .contains(org.assertj.core.groups.Tuple.tuple("user.add", "jane"));
        assertThat(audit()).extracting(AuditEntry::actor)
                .anyMatch(a -> a.startsWith("cli:"));
    }

    @Test
    void changes_a_password_and_deletes_a_user_but_never_the_last() {
        run("jane's long password\n", "admin-user", "add", "jane", "--config", config.toString(), "--password-stdin");
        run("bob's long password\n", "admin-user", "add", "bob", "--config", config.toString(), "--password-stdin");

        assertThat(run("a brand new password\n", "admin-user", "passwd", "jane", "--config", config.toString(), "--password-stdin")).isZero();
        assertThat(authenticate("jane", "a brand new password"))
                .contains("jane");
        assertThat(run("", "admin-user", "delete", "jane", "--config", config.toString())).isZero();
        assertThat(run("", "admin-user", "delete", "jane", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such user: jane");
        assertThat(run("", "admin-user", "delete", "bob", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("the last user cannot be deleted");
        assertThat(users()).extracting(AdminUser::username).containsExactly("bob");
    }

    @Test
    void adds_a_viewer_with_role_and_changes_roles_but_keeps_the_last_admin() {
        assertThat(run("jane's long password\n", "admin-user", "add", "jane", "--config", config.toString(), "--password-stdin")).isZero();
        assertThat(out.toString()).contains("user jane added (admin)");
        assertThat(run("vera's long password\n", "admin-user", "add", "vera", "--role", "viewer", "--config", config.toString(),
                "--password-stdin")).isZero();
        assertThat(out.toString()).contains("user vera added (viewer)");
        assertThat(users()).extracting(AdminUser::username, AdminUser::role).containsExactly(
                org.assertj.core.groups.Tuple.tuple("jane", greyrelay.db.admin.AdminRole.ADMIN),
                org.assertj.core.groups.Tuple.tuple("vera", greyrelay.db.admin.AdminRole.VIEWER));
        assertThat(run("x's long password\n", "admin-user", "add", "x", "--role", "root", "--config", config.toString(),
                "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).contains("role: admin or viewer");

        assertThat(run("", "admin-user", "role", "jane", "viewer", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("the last admin cannot be made a viewer");
        assertThat(run("", "admin-user", "role", "vera", "admin", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("user vera is now admin");
        assertThat(run("", "admin-user", "role", "nobody", "admin", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such user: nobody");
        assertThat(audit()).extracting(AuditEntry::action, AuditEntry::target, AuditEntry::detail)
                .contains(org.assertj.core.groups.Tuple.tuple("user.role", "vera", "viewer → admin"));

        assertThat(run("", "admin-token", "create", "grafana", "--role", "viewer", "--config", config.toString())).isZero();
        assertThat(run("", "admin-token", "list", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("grafana\tviewer\tcli:");
    }

    @Test
    void refuses_a_short_password_and_a_missing_one_with_a_reason() {
        assertThat(run("short\n", "admin-user", "add", "bob", "--config", config.toString(), "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).contains("password: at least 10 characters");
        assertThat(run("", "admin-user", "add", "bob", "--config", config.toString(), "--password-stdin")).isEqualTo(2);
        assertThat(err.toString()).contains("no password on standard input");
    }

    @Test
    void lists_users() {
        run("jane's long password\n", "admin-user", "add", "jane", "--config", config.toString(), "--password-stdin");

        assertThat(run("", "admin-user", "list", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("user\trole\tcreated\tpassword changed\tlast login\njane\tadmin\t");

        assertThat(run("", "admin-user", "list", "--json", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("\"username\" : \"jane\"").doesNotContain("password\" :");
    }

    @Test
    void creates_a_token_printed_once_that_the_api_accepts_then_revokes_it() {
        assertThat(run("", "admin-token", "create", "backup", "--config", config.toString())).isZero();
        // in this JVM the log already writes to stdout; `greyrelay admin-token create` itself logs to stderr
        String secret = out.toString().lines().filter(l -> l.startsWith("grt_")).findFirst().orElseThrow();
        assertThat(secret).startsWith("grt_");
        assertThat(err.toString()).contains("shown only now");

        assertThat(tokenWorks(secret)).isTrue();
        assertThat(run("", "admin-token", "list", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("backup\tadmin\tcli:").doesNotContain(secret);
        assertThat(run("", "admin-token", "list", "--json", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("\"name\" : \"backup\"").doesNotContain(secret);
        assertThat(run("", "admin-token", "revoke", "backup", "--config", config.toString())).isZero();
        assertThat(tokenWorks(secret)).isFalse();
        assertThat(run("", "admin-token", "revoke", "backup", "--config", config.toString())).isEqualTo(1);
    }

    @Test
    void the_panel_alone_serves_shared_state_but_no_queue() throws Exception {
        RelayConfig c = ConfigLoader.load(Optional.of(config), Map.of());
        try (AdminCommand.Running running = AdminCommand.start(c, Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + running.app().port();
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"databaseReachable\":true").doesNotContain("smtpListening");
            assertThat(new greyrelay.db.admin.AdminUsers(running.database()).list()).extracting(AdminUser::username)
                    .containsExactly("admin");
            var created = ApiTokenService.open(running.database(), Clock.systemUTC(), "test")
                    .create("probe", new greyrelay.admin.audit.Actor("test", null));
            String token = ((ApiTokenService.Created.Done) created).secret();
            HttpResponse<String> queue = http.send(HttpRequest.newBuilder(URI.create(base + "/api/queue")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> decisions = http.send(HttpRequest.newBuilder(URI.create(base + "/api/decisions")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(queue.statusCode()).isEqualTo(404);
            assertThat(decisions.statusCode()).isEqualTo(200);
        }
    }
}
