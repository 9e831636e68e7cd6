package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import greyrelay.db.net.IpNetwork;
import greyrelay.relay.testing.CapturedLog;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * The hardened keys: PROXY protocol only with a list of trusted balancers, no top-level relay domain, the database url's
 * secret masked wherever the configuration is shown, and the STARTTLS levels towards the downstream with their old names.
 */
class HardeningConfigTest {
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
    void proxy_protocol_without_trusted_networks_is_a_configuration_error_naming_the_key() {
        assertThat(problem("smtp: {proxyProtocol: true}")).isEqualTo("smtp.proxyProtocolTrusted: required when smtp.proxyProtocol"
                + " is on: the networks of the load balancers that may send a PROXY header, such as [192.0.2.10/32]");
        assertThat(ConfigLoader.fromYaml("", Map.of("GREYRELAY_SMTP_PROXY_PROTOCOL", "true",
                "GREYRELAY_SMTP_PROXY_PROTOCOL_TRUSTED", "192.0.2.10, 2001:DB8::/64")).smtp().proxyProtocolTrustedNetworks())
                .containsExactly(IpNetwork.parse("192.0.2.10/32"), IpNetwork.parse("2001:db8::/64"));
    }

    @Test
    void trusted_networks_are_written_canonically_and_a_bad_one_is_named() {
        assertThat(yaml("smtp: {proxyProtocol: true, proxyProtocolTrusted: [192.0.2.7/24, '::1']}").smtp().proxyProtocolTrusted())
                .containsExactly("192.0.2.0/24", "::1/128");
        assertThat(problem("smtp: {proxyProtocolTrusted: [lb.example.com]}"))
                .isEqualTo("smtp.proxyProtocolTrusted: expected networks such as 192.0.2.10/32 or 2001:db8::/64, got \"lb.example.com\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            com         | smtp.relayDomains: expected domain names of two labels or more (not a top-level domain), got "com"
            .com        | smtp.relayDomains: expected domain names of two labels or more (not a top-level domain), got ".com"
            com.        | smtp.relayDomains: expected domain names of two labels or more (not a top-level domain), got "com."
            example..   | smtp.relayDomains: expected domain names such as example.com or .sub.example.com, got "example.."
            .           | smtp.relayDomains: expected domain names such as example.com or .sub.example.com, got "."
            """)
    void a_relay_domain_of_one_label_is_refused(String entry, String message) {
        assertThat(problem("smtp: {relayDomains: ['" + entry + "']}")).isEqualTo(message);
    }

    @Test
    void a_trailing_dot_is_dropped_from_relay_domains() {
        assertThat(yaml("smtp: {relayDomains: [Example.COM., .Sub.Example.org.]}").smtp().relayDomains())
                .containsExactly("example.com", ".sub.example.org");
    }

    static final String URL = "jdbc:postgresql://db.example.com:5432/greyrelay?user=relay&password=hunter2&sslmode=require";
    static final String MASKED_URL = "jdbc:postgresql://db.example.com:5432/greyrelay?user=relay&password=********&sslmode=require";

    @Test
    void the_database_url_is_masked_in_the_dumps_and_the_settings_tree_but_stays_readable() {
        RelayConfig c = yaml("database: {url: '" + URL + "'}");
        assertThat(ConfigDump.effectiveYaml(c)).doesNotContain("hunter2").contains(MASKED_URL);
        assertThat(ConfigDump.nonDefaults(c)).containsExactly("database.url = " + MASKED_URL + "   (default: )");
        assertThat(ConfigDump.masked(c).at("/database/url").asText()).isEqualTo(MASKED_URL); // the settings page's tree
        assertThat(c.database().url()).isEqualTo(URL); // the relay itself connects with the real one
    }

    @Test
    void a_refused_database_url_is_echoed_masked() {
        assertThat(problem("database: {url: 'jdbc:mysql://root:hunter2@db.example.com/mail'}")).doesNotContain("hunter2")
                .isEqualTo("database.url: expected \"\" (embedded H2) or jdbc:postgresql://host:port/db, got"
                        + " \"jdbc:mysql://root:********@db.example.com/mail\"");
    }

    @Test
    void no_config_record_prints_a_secret_in_to_string() {
        RelayConfig c = yaml("""
                database: {url: '%s', password: s3cret-db}
                admin: {password: s3cret-admin}
                """.formatted(URL));
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("s3cret-db").doesNotContain("s3cret-admin")
                .contains("url=" + MASKED_URL).contains("password=********");
        assertThat(c.database().toString()).isEqualTo("DatabaseConfig[url=" + MASKED_URL + ", user=, password=********, poolSize=10]");
        assertThat(yaml("").admin().toString()).contains("password=,"); // empty says "not set"
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"none, NONE", "may, MAY", "encrypt, ENCRYPT", "verify, VERIFY", "Verify, VERIFY"})
    void the_downstream_tls_levels_are_postfix_s(String text, DownstreamConfig.TlsPolicy level) {
        assertThat(yaml("downstream: {tls: " + text + "}").downstream().tls()).isEqualTo(level);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"opportunistic, MAY, may", "required, ENCRYPT, encrypt"})
    void the_old_downstream_tls_names_still_work_with_a_warning_naming_the_new_one(String old, DownstreamConfig.TlsPolicy level,
            String renamed) {
        CapturedLog captured = new CapturedLog();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger(DownstreamConfig.TlsPolicy.class);
        captured.setContext(context);
        captured.start();
        logger.addAppender(captured);
        try {
            assertThat(yaml("downstream: {tls: " + old + "}").downstream().tls()).isEqualTo(level);
            assertThat(ConfigLoader.fromYaml("", Map.of("GREYRELAY_DOWNSTREAM_TLS", old)).downstream().tls()).isEqualTo(level);
        } finally {
            logger.detachAppender(captured);
        }
        assertThat(captured.events()).extracting(ILoggingEvent::getFormattedMessage)
                .contains("downstream.tls: \"" + old + "\" is the old name of \"" + renamed + "\"; please write " + renamed);
        assertThat(ConfigDump.effectiveYaml(yaml("downstream: {tls: " + old + "}"))).contains("tls: " + renamed);
    }

    @Test
    void a_bad_tls_level_or_name_is_named() {
        assertThat(problem("downstream: {tls: strict}")).isEqualTo("downstream.tls: expected one of none, may, encrypt, verify, got \"strict\"");
        assertThat(problem("downstream: {tlsName: 'not a name'}"))
                .isEqualTo("downstream.tlsName: expected a host name such as mail.example.com, or \"\", got \"not a name\"");
    }

    @Test
    void the_name_checked_is_tls_name_for_the_downstream_host_and_the_route_host_for_a_route() {
        DownstreamConfig d = yaml("downstream: {host: 192.0.2.25, tls: verify, tlsName: Mail.Example.COM}").downstream();
        assertThat(d.tlsNameFor("192.0.2.25")).isEqualTo("mail.example.com");
        assertThat(d.tlsNameFor("branch.example.net")).isEqualTo("branch.example.net");
        assertThat(yaml("downstream: {host: mail.example.com}").downstream().tlsNameFor("mail.example.com")).isEqualTo("mail.example.com");
    }
}
