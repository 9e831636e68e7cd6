package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.relay.config.DnsblConfig.Action;
import greyrelay.relay.config.DnsblConfig.CodeRange;
import greyrelay.relay.config.DnsblConfig.DnsList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rateLimits, hygiene and dnsbl sections: defaults, list entries, environment overrides, errors. */
class AbuseConfigTest {

    static String problem(String yaml) {
        try {
            ConfigLoader.fromYaml(yaml, Map.of());
            return "no problem";
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void defaults_suit_a_public_mx_with_dns_lists_and_the_pre_greeting_test_off() {
        RelayConfig c = RelayConfig.defaults();
        assertThat(c.rateLimits().enabled()).isTrue();
        assertThat(c.rateLimits().perIp()).isEqualTo(new RateLimitsConfig.Rates(60, 1000, 5000));
        assertThat(c.rateLimits().perNetwork()).isEqualTo(new RateLimitsConfig.Rates(300, 5000, 20000));
        assertThat(c.rateLimits().senderDomainMessagesPerHour()).isZero();
        assertThat(c.rateLimits().overrideRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.hygiene().greetingDelay()).isZero();
        assertThat(c.hygiene().rejectInvalidHelo() && c.hygiene().rejectNonFqdnHelo() && c.hygiene().rejectOurHelo()).isTrue();
        assertThat(c.dnsbl().lists()).isEmpty();
    }

    @Test
    void list_entries_parse_into_zone_action_and_codes() {
        RelayConfig c = ConfigLoader.fromYaml("""
                dnsbl:
                  lists:
                    - zen.example.net:reject
                    - "BL.Example.NET.:defer:127.0.0.2..127.0.0.11|127.0.0.20"
                    - list.dnswl.example:skip-greylisting
                """, Map.of());

        assertThat(c.dnsbl().entries()).containsExactly(
                new DnsList("zen.example.net", Action.REJECT, List.of()),
                new DnsList("bl.example.net", Action.DEFER, List.of(new CodeRange(0x7f000002L, 0x7f00000bL), new CodeRange(0x7f000014L, 0x7f000014L))),
                new DnsList("list.dnswl.example", Action.SKIP_GREYLISTING, List.of()));
    }

    @Test
    void environment_variables_set_lists_comma_separated_and_nested_rates() {
        RelayConfig c = ConfigLoader.load(Optional.empty(), Map.of(
                "GREYRELAY_DNSBL_LISTS", "zen.example.net:reject, list.dnswl.example:skip-greylisting",
                "GREYRELAY_RATE_LIMITS_PER_IP_MESSAGES_PER_HOUR", "50",
                "GREYRELAY_HYGIENE_GREETING_DELAY", "6s"));

        assertThat(c.dnsbl().entries()).extracting(DnsList::zone).containsExactly("zen.example.net", "list.dnswl.example");
        assertThat(c.rateLimits().perIp().messagesPerHour()).isEqualTo(50);
        assertThat(c.hygiene().greetingDelay()).isEqualTo(Duration.ofSeconds(6));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", textBlock = """
            dnsbl: {lists: [zen.example.net]}                            => dnsbl.lists: expected zone:action[:codes] such as zen.spamhaus.org:reject, bl.example.net:defer:127.0.0.2..127.0.0.11 or list.dnswl.org:skip-greylisting (actions: reject, defer, skip-greylisting), got "zen.example.net"
            dnsbl: {lists: ['zen.example.net:block']}                    => dnsbl.lists: expected zone:action[:codes] such as zen.spamhaus.org:reject, bl.example.net:defer:127.0.0.2..127.0.0.11 or list.dnswl.org:skip-greylisting (actions: reject, defer, skip-greylisting), got "zen.example.net:block"
            dnsbl: {lists: ['zen.example.net:reject:127.0.0.9..127.0.0.2']} => dnsbl.lists: expected answer codes such as 127.0.0.2 or 127.0.0.2..127.0.0.11, several joined with |, got "zen.example.net:reject:127.0.0.9..127.0.0.2"
            dnsbl: {lists: ['a.example:reject', 'A.example.:defer']}     => dnsbl.lists: expected each zone once, got "A.example.:defer"
            dnsbl: {timeout: 10ms}                                       => dnsbl.timeout: expected a duration from 100ms to 1m, got "10ms"
            rateLimits: {perIp: {messagesPerHour: -1}}                   => rateLimits.perIp.messagesPerHour: expected a number from 0 to 10000000, got -1
            rateLimits: {ipv4Prefix: 33}                                 => rateLimits.ipv4Prefix: expected a number from 8 to 32, got 33
            rateLimits: {mode: block}                                    => rateLimits.mode: expected one of enforce, observe, got "block"
            hygiene: {greetingDelay: 1m}                                 => hygiene.greetingDelay: expected a duration from 0s to 30s, got "1m"
            hygiene: {ourAddresses: [mx.example.com]}                    => hygiene.ourAddresses: expected IP addresses, got "mx.example.com"
            """)
    void a_bad_value_is_named_with_what_was_expected(String yaml, String message) {
        assertThat(problem(yaml)).isEqualTo(message);
    }

    @Test
    void the_effective_configuration_dump_shows_the_new_sections() {
        String dump = ConfigDump.effectiveYaml(RelayConfig.defaults());
        assertThat(dump).contains("rateLimits:", "hygiene:", "dnsbl:", "greetingDelay: 0s", "overrideRefresh: 30s");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("rateLimits: {perHost: 1}", Map.of()))
                .hasMessageStartingWith("unknown key rateLimits.perHost");
    }
}
