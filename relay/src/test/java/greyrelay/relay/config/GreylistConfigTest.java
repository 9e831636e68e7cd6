package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GreylistConfigTest {
    @Test
    void defaults_match_the_readme() {
        GreylistConfig g = RelayConfig.defaults().greylist();

        assertThat(g.ipv4Prefix()).isEqualTo(24);
        assertThat(g.ipv6Prefix()).isEqualTo(64);
        assertThat(g.autoWhitelistAfter()).isEqualTo(5);
        assertThat(g.spamtraps()).isEmpty();
        assertThat(g.trapDuration()).isEqualTo(Duration.ofHours(24));
        assertThat(g.whitelistRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(g.whitelistFiles()).isEmpty();
        assertThat(g.defaultWhitelist()).isTrue();
        assertThat(g.cleanupInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(g.spfDomainKey()).isTrue();
    }

    @Test
    void reads_the_new_keys_from_yaml_and_the_environment() {
        RelayConfig c = ConfigLoader.fromYaml("""
                greylist:
                  ipv4Prefix: 28
                  spamtraps: ["<Trap@Example.COM>", never@example.com]
                  trapDuration: 2d
                  whitelistFiles: [clients:/etc/greyrelay/clients]
                """, Map.of("GREYRELAY_GREYLIST_IPV6_PREFIX", "48", "GREYRELAY_GREYLIST_SPF_DOMAIN_KEY", "false"));

        assertThat(c.greylist().ipv4Prefix()).isEqualTo(28);
        assertThat(c.greylist().ipv6Prefix()).isEqualTo(48);
        assertThat(c.greylist().spamtraps()).isEqualTo(List.of("trap@example.com", "never@example.com"));
        assertThat(c.greylist().trapDuration()).isEqualTo(Duration.ofDays(2));
        assertThat(c.greylist().spfDomainKey()).isFalse();
    }

    @Test
    void refuses_bad_values_naming_the_key() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("greylist: {ipv4Prefix: 33}", Map.of()))
                .hasMessage("greylist.ipv4Prefix: expected a number from 8 to 32, got 33");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("greylist: {spamtraps: [not-an-address]}", Map.of()))
                .hasMessageStartingWith("greylist.spamtraps: expected a list of mailbox addresses");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("greylist: {delay: 0s}", Map.of()))
                .hasMessageStartingWith("greylist.delay: expected a duration from 1s to 1d");
    }
}
