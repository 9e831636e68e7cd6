package greyrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad configuration stops startup with one line naming the key, exit status 2, no stack trace. */
class MainTest {
    @TempDir
    Path dir;

    private static MainRunner.Run run(Map<String, String> env, String... args) {
        return MainRunner.run(env, args);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key      | smtp:\\n  prot: 25                 | greyrelay: unknown key smtp.prot (known keys in smtp: enabled, bind, port,
            bad duration     | greylist:\\n  delay: soonish       | greyrelay: greylist.delay: expected a duration like 30s, 5m, 2d, got "soonish"
            bad port         | smtp:\\n  port: 99999              | greyrelay: smtp.port: expected a port number 0-65535 (0 = any free port), got 99999
            PROXY, no list   | smtp:\\n  proxyProtocol: true     | greyrelay: smtp.proxyProtocolTrusted: required when smtp.proxyProtocol is on
            top-level domain | smtp:\\n  relayDomains: [.com]    | greyrelay: smtp.relayDomains: expected domain names of two labels or more
            """)
    void a_bad_configuration_file_gives_one_line_and_exit_2(String name, String yaml, String expected) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml.replace("\\n", "\n"));
        MainRunner.Run r = run(Map.of(), "run", "--config", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(expected).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void a_missing_configuration_file_gives_one_line_and_exit_2() {
        MainRunner.Run r = run(Map.of(), "run", "--config", dir.resolve("missing.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("greyrelay: configuration file " + dir.resolve("missing.yaml") + ": not found");
    }

    @Test
    void a_bad_environment_variable_gives_one_line_and_exit_2() {
        MainRunner.Run r = run(Map.of("GREYRELAY_SMTP_PORT", "twenty-five"), "config");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("greyrelay: smtp.port: expected a whole number, got \"twenty-five\"");
    }

    @Test
    void config_prints_the_effective_configuration_masked_and_the_changes() {
        MainRunner.Run r = run(Map.of("GREYRELAY_ADMIN_PASSWORD", "s3cret", "GREYRELAY_SMTP_PORT", "2626"), "config");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("port: 2626").doesNotContain("s3cret").contains("#   smtp.port = 2626   (default: 2525)")
                .contains("#   admin.password = ********   (default: )");
    }

    @Test
    void an_unusable_database_is_one_line_and_exit_1() {
        MainRunner.Run r = run(Map.of("GREYRELAY_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/test", "GREYRELAY_DATA_DIR", dir.toString(),
                "GREYRELAY_SMTP_PORT", "0", "GREYRELAY_ADMIN_ENABLED", "false"), "run");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("greyrelay: cannot connect to PostgreSQL at 127.0.0.1:1: Connection refused");
    }
}
