package greyrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code greyrelay whitelist import FILE} against the H2 database a stopped relay would use. */
class WhitelistCommandTest {
    @TempDir
    Path dir;

    Path config;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void config() throws IOException {
        config = Files.writeString(dir.resolve("greyrelay.yaml"), "dataDir: " + dir.resolve("data") + "\n");
    }

    /** {@code greyrelay whitelist ARGS} in an empty environment, output captured. */
    int run(String... args) {
        CommandLine cl = Main.commandLine(Map.of());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(Stream.concat(Stream.of("whitelist"), Arrays.stream(args)).toArray(String[]::new));
    }

    java.util.List<WhitelistEntry> stored() {
        try (Database db = TestDatabases.h2(dir.resolve("data"))) {
            return new WhitelistStore(db).all();
        }
    }

    @Test
    void imports_a_postgrey_clients_file_into_the_database() throws IOException {
        Path file = Files.writeString(dir.resolve("whitelist_clients"), "# partner\nmail.example.org\n192.0.2.\n");

        int status = run("import", file.toString(), "--config", config.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("imported 2 clients entries from " + file + " (2 new)");
        assertThat(stored()).extracting(e -> e.kind() + " " + e.value() + " " + e.source() + " " + e.note())
                .containsExactly("CLIENT_HOST mail.example.org import:whitelist_clients partner",
                        "CLIENT_ADDRESS 192.0.2.0/24 import:whitelist_clients partner");
    }

    @Test
    void a_recipients_file_is_recognised_by_its_name_and_a_new_import_replaces_the_old_one() throws IOException {
        Path file = dir.resolve("whitelist_recipients");
        Files.writeString(file, "postmaster@\nold@example.com\n");
        assertThat(run("import", file.toString(), "--config", config.toString())).isZero();
        Files.writeString(file, "postmaster@\nnew@example.com\n");

        assertThat(run("import", file.toString(), "--config", config.toString())).isZero();

        assertThat(stored()).extracting(WhitelistEntry::value).containsExactlyInAnyOrder("postmaster@", "new@example.com");
    }

    @Test
    void keep_adds_to_an_earlier_import() throws IOException {
        Path file = dir.resolve("senders.txt");
        Files.writeString(file, "example.org\n");
        run("import", file.toString(), "--config", config.toString());
        Files.writeString(file, "example.net\n");

        assertThat(run("import", file.toString(), "--type", "senders", "--keep", "--config", config.toString())).isZero();

        assertThat(stored()).extracting(WhitelistEntry::value).containsExactlyInAnyOrder("example.org", "example.net");
    }

    @Test
    void a_file_with_a_bad_line_imports_nothing_and_exits_2() throws IOException {
        Path file = Files.writeString(dir.resolve("whitelist_clients"), "mail.example.org\n192.0.2.300\n");

        assertThat(run("import", file.toString(), "--config", config.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("whitelist_clients:2: ").contains("nothing imported (1 bad line(s))");
        assertThat(Files.exists(dir.resolve("data"))).isFalse(); // the database was never opened
    }

    @Test
    void a_missing_file_or_a_wrong_type_is_reported() {
        assertThat(run("import", dir.resolve("nope").toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read");
        assertThat(run("import", dir.resolve("nope").toString(), "--type", "hosts", "--config", config.toString())).isEqualTo(2);
    }

    @Test
    void lists_the_entries() throws IOException {
        Path file = Files.writeString(dir.resolve("whitelist_clients"), "mail.example.org\n");
        run("import", file.toString(), "--config", config.toString());

        assertThat(run("list", "--config", config.toString())).isZero();

        assertThat(out.toString()).contains("CLIENT_HOST\tmail.example.org\timport:whitelist_clients");
    }
}
