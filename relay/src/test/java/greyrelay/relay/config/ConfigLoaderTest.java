package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static RelayConfig yaml(String yaml) {
        return ConfigLoader.fromYaml(yaml, Map.of());
    }

    private static String problem(String yaml) {
        try {
            yaml(yaml);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void starts_with_no_file_at_all_on_the_contract_defaults() {
        RelayConfig c = ConfigLoader.load(Optional.empty(), Map.of());
        assertThat(c.dataDir()).isEqualTo("./data");
        assertThat(c.smtp().bind()).isEqualTo("::");
        assertThat(c.smtp().port()).isEqualTo(2525);
        assertThat(c.smtp().relayDomains()).isEmpty();
        assertThat(c.smtp().maxMessageSize().bytes()).isEqualTo(25L * 1024 * 1024);
        assertThat(c.downstream().host()).isEqualTo("127.0.0.1");
        assertThat(c.downstream().port()).isEqualTo(25);
        assertThat(c.greylist().delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.greylist().retryWindow()).isEqualTo(Duration.ofDays(2));
        assertThat(c.greylist().maxAge()).isEqualTo(Duration.ofDays(35));
        assertThat(c.verification().probePort()).isEqualTo(25);
        assertThat(c.verification().maxWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.verification().confirmAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(c.dns().servers()).isEmpty();
        assertThat(c.database().url()).isEmpty();
        assertThat(c.admin().bind()).isEqualTo("127.0.0.1");
        assertThat(c.admin().port()).isEqualTo(8080);
    }

    @Test
    void the_file_overrides_defaults_and_the_environment_overrides_the_file() throws Exception {
        Path f = dir.resolve("greyrelay.yaml");
        Files.writeString(f, """
                smtp:
                  port: 2626
                  relayDomains: [example.com, .sub.example.com]
                greylist:
                  delay: 2m
                """);
        RelayConfig c = ConfigLoader.load(Optional.of(f), Map.of(
                "GREYRELAY_SMTP_PORT", "2727",
                "GREYRELAY_SMTP_RELAY_DOMAINS", "example.com, example.net",
                "GREYRELAY_GREYLIST_RETRY_WINDOW", "1d",
                "GREYRELAY_DOWNSTREAM_ROUTES", "example.net=10.0.0.2:2525,.sub.example.com=[2001:db8::1]:25",
                "GREYRELAY_DATA_DIR", "/var/lib/greyrelay",
                "PATH", "/usr/bin"));
        assertThat(c.smtp().port()).isEqualTo(2727);
        assertThat(c.smtp().relayDomains()).containsExactly("example.com", "example.net");
        assertThat(c.greylist().delay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.greylist().retryWindow()).isEqualTo(Duration.ofDays(1));
        assertThat(c.downstream().routes()).containsEntry("example.net", "10.0.0.2:2525").containsEntry(".sub.example.com", "[2001:db8::1]:25");
        assertThat(c.dataDir()).isEqualTo("/var/lib/greyrelay");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "smtp.port, GREYRELAY_SMTP_PORT",
            "smtp.relayDomains, GREYRELAY_SMTP_RELAY_DOMAINS",
            "smtp.maxConnectionsPerIp, GREYRELAY_SMTP_MAX_CONNECTIONS_PER_IP",
            "smtp.tls.certificate, GREYRELAY_SMTP_TLS_CERTIFICATE",
            "dataDir, GREYRELAY_DATA_DIR",
            "verification.confirmAfter, GREYRELAY_VERIFICATION_CONFIRM_AFTER"})
    void environment_names_follow_the_contract(String key, String env) {
        assertThat(ConfigSchema.envName(key)).isEqualTo(env);
    }

    @Test
    void every_key_has_a_distinct_environment_variable() {
        List<String> names = ConfigLoader.schema().keys().stream().map(ConfigSchema.Key::envName).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void an_unknown_key_is_named_with_the_known_ones() {
        assertThat(problem("smtp:\n  prot: 25\n")).isEqualTo(
                "unknown key smtp.prot (known keys in smtp: enabled, bind, port, hostname, relayDomains, maxMessageSize, maxRecipients, "
                        + "maxConnections, maxConnectionsPerIp, listenBacklog, commandTimeout, maxHops, proxyProtocol, proxyProtocolTrusted, shutdownGrace, tls)");
        assertThat(problem("smpt:\n  port: 25\n")).startsWith("unknown key smpt (known keys: dataDir, smtp, downstream");
    }

    @Test
    void vouching_defaults_to_spf_and_known_networks_while_busy_and_takes_only_those_names() {
        VerificationConfig v = yaml("").verification();
        assertThat(v.vouch()).containsExactly("spf", "known-networks");
        assertThat(v.vouchWhen()).isEqualTo(VerificationConfig.VouchWhen.BUSY);
        assertThat(v.vouchBySpf()).isTrue();
        assertThat(v.vouchByKnownNetworks()).isTrue();

        VerificationConfig off = yaml("verification: {vouch: [], vouchWhen: always}\n").verification();
        assertThat(off.vouchBySpf()).isFalse();
        assertThat(off.vouchByKnownNetworks()).isFalse();
        assertThat(off.vouchWhen()).isEqualTo(VerificationConfig.VouchWhen.ALWAYS);
        assertThat(yaml("verification: {vouch: [SPF]}\n").verification().vouch()).containsExactly("spf");

        assertThat(problem("verification: {vouch: [dkim]}\n")).contains("verification.vouch").contains("spf, known-networks");
        assertThat(problem("verification: {vouchWhen: sometimes}\n")).contains("verification.vouchWhen");
    }

    @Test
    void an_unknown_environment_variable_of_ours_is_refused() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("GREYRELAY_SMTP_PROT", "25")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown environment variable GREYRELAY_SMTP_PROT (no such configuration key)");
    }

    @Test
    void kubernetes_service_links_are_tolerated_but_a_misspelled_key_still_stops_startup() {
        RelayConfig c = ConfigLoader.load(Optional.empty(), Map.of(
                "GREYRELAY_PORT", "tcp://10.96.0.7:2525",
                "GREYRELAY_SERVICE_HOST", "10.96.0.7",
                "GREYRELAY_SERVICE_PORT", "2525",
                "GREYRELAY_SERVICE_PORT_SMTP", "2525",
                "GREYRELAY_PORT_2525_TCP", "tcp://10.96.0.7:2525",
                "GREYRELAY_PORT_2525_TCP_PROTO", "tcp",
                "GREYRELAY_PORT_2525_TCP_PORT", "2525",
                "GREYRELAY_PORT_2525_TCP_ADDR", "10.96.0.7",
                "GREYRELAY_SMTP_PORT", "2600"));
        assertThat(c.smtp().port()).isEqualTo(2600);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("GREYRELAY_SERVICE_HOST", "10.96.0.7", "GREYRELAY_SMTP_PORTS", "25")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown environment variable GREYRELAY_SMTP_PORTS (no such configuration key)");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("GREYRELAY_PORTS", "25")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void a_secret_can_come_from_a_file_named_by_the_variable_with_FILE() throws Exception {
        Path secret = dir.resolve("db-password");
        Files.writeString(secret, "s3cret with spaces\n");
        RelayConfig c = ConfigLoader.load(Optional.empty(), Map.of("GREYRELAY_DATABASE_PASSWORD_FILE", secret.toString()));
        assertThat(c.database().password()).isEqualTo("s3cret with spaces");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(
                "GREYRELAY_DATABASE_PASSWORD_FILE", secret.toString(), "GREYRELAY_DATABASE_PASSWORD", "x")))
                .hasMessage("both GREYRELAY_DATABASE_PASSWORD and GREYRELAY_DATABASE_PASSWORD_FILE are set: choose one");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("GREYRELAY_ADMIN_PASSWORD_FILE", dir.resolve("none").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("GREYRELAY_ADMIN_PASSWORD_FILE: cannot read the file " + dir.resolve("none"));
        // a key whose own name ends in _FILE is still that key
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("GREYRELAY_DOWNSTREAM_TLS_CA_FILE", "/etc/ssl/ca.pem"))
                .downstream().tlsCaFile()).isEqualTo("/etc/ssl/ca.pem");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            verification: {ipv6: on}     | ON
            verification: {ipv6: off}    | OFF
            verification: {ipv6: yes}    | ON
            verification: {ipv6: auto}   | AUTO
            verification: {ipv6: "on"}   | ON
            """)
    void on_and_off_read_as_yaml_1_1_booleans_still_mean_on_and_off(String yaml, String expected) {
        assertThat(ConfigLoader.fromYaml(yaml, Map.of()).verification().ipv6().name()).isEqualTo(expected);
    }

    @Test
    void reserved_variables_are_not_keys() {
        RelayConfig c = ConfigLoader.load(Optional.empty(), Map.of("GREYRELAY_CONFIG", "/etc/greyrelay.yaml", "GREYRELAY_JAVA_OPTS", "-Xmx1g"));
        assertThat(c.smtp().port()).isEqualTo(2525);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            smtp: {port: abc}                      | smtp.port: expected a whole number, got "abc"
            smtp: {port: 70000}                    | smtp.port: expected a port number 0-65535 (0 = any free port), got 70000
            greylist: {delay: 5 minutes}           | greylist.delay: expected a duration like 30s, 5m, 2d, got "5 minutes"
            greylist: {delay: 3d}                  | greylist.delay: expected a duration from 1s to 1d, got "3d"
            greylist: {mode: block}                | greylist.mode: expected one of enforce, observe, got "block"
            greylist: {enabled: maybe}             | greylist.enabled: expected true or false, got "maybe"
            smtp: {maxMessageSize: lots}           | smtp.maxMessageSize: expected a size like 25MB, got "lots"
            smtp: {relayDomains: [bad_domain!]}    | smtp.relayDomains: expected domain names such as example.com or .sub.example.com, got "bad_domain!"
            smtp: {relayDomains: example.com}      | smtp.relayDomains: expected a list of text, got "example.com"
            smtp: {bind: localhost}                | smtp.bind: expected an IP address such as :: or 0.0.0.0 or 192.0.2.1, got "localhost"
            database: {url: 'jdbc:mysql://x/y'}    | database.url: expected "" (embedded H2) or jdbc:postgresql://host:port/db, got "jdbc:mysql://x/y"
            queue: {retrySchedule: [1m, soon]}     | queue.retrySchedule: expected delays like 1m or 5m*3, got "soon"
            smtp: 25                               | smtp: expected a section of keys, got "25"
            """)
    void a_bad_value_is_named_with_what_was_expected(String yaml, String message) {
        assertThat(problem(yaml)).isEqualTo(message);
    }

    @Test
    void a_missing_file_and_broken_yaml_are_reported_in_one_line() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("nope.yaml")), Map.of()))
                .hasMessage("configuration file " + dir.resolve("nope.yaml") + ": not found");
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "smtp:\n  port: [1,\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(f), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("configuration file " + f + ": not valid YAML at line");
    }

    @Test
    void the_dump_masks_secrets_and_lists_what_differs_from_the_defaults() {
        RelayConfig c = yaml("""
                smtp: {port: 2626}
                database: {url: 'jdbc:postgresql://db:5432/greyrelay', password: hunter2}
                admin: {password: s3cret}
                """);
        String dump = ConfigDump.effectiveYaml(c);
        assertThat(dump).doesNotContain("hunter2").doesNotContain("s3cret").contains("password: '********'");
        assertThat(ConfigDump.nonDefaults(c)).containsExactly(
                "smtp.port = 2626   (default: 2525)",
                "database.url = jdbc:postgresql://db:5432/greyrelay   (default: )",
                "database.password = ********   (default: )",
                "admin.password = ********   (default: )");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"30s, PT30S", "5m, PT5M", "2d, PT48H", "1h30m, PT1H30M", "250ms, PT0.25S", "1w, PT168H", "0, PT0S"})
    void durations_read_as_operators_write_them(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
        assertThat(Durations.parse(Durations.format(Duration.parse(iso)))).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"25MB, 26214400", "512KB, 524288", "1GB, 1073741824", "1000, 1000", "2 mb, 2097152"})
    void sizes_read_as_operators_write_them(String text, long bytes) {
        assertThat(DataSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @Test
    void every_key_is_documented_in_the_readme_configuration_reference() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> keys = ConfigLoader.schema().keys().stream().filter(k -> k.kind() != ConfigSchema.Kind.SECTION)
                .map(ConfigSchema.Key::path).toList();
        assertThat(keys).hasSizeGreaterThan(100);
        assertThat(keys).allSatisfy(k -> assertThat(readme).as("README row for %s", k).contains("| `" + k + "` |"));
    }
}
