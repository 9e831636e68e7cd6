package greyrelay.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.ConfigKey;
import greyrelay.admin.RelayPolicy;
import greyrelay.relay.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the panel is told about the relay's configuration: typed, never a dump to parse. */
class AdminWiringTest {
    @Test
    void the_policy_carries_the_profile_lifetime_typed() {
        RelayPolicy policy = AdminWiring.policy(ConfigLoader.fromYaml("verification: {cache: {profileTtl: 3d}}", Map.of()));

        assertThat(policy.verification().profileTtl()).isEqualTo(Duration.ofDays(3));
        assertThat(AdminWiring.policy(ConfigLoader.fromYaml("", Map.of())).verification().profileTtl())
                .isEqualTo(ConfigLoader.fromYaml("", Map.of()).verification().cache().profileTtl());
    }

    @Test
    void the_panel_names_its_node_by_node_name_else_smtp_hostname() {
        assertThat(AdminWiring.settings(ConfigLoader.fromYaml("smtp: {hostname: mx.example.com}\nnode: {name: mx-a}", Map.of()), "dev")
                .node()).isEqualTo("mx-a");
        assertThat(AdminWiring.settings(ConfigLoader.fromYaml("smtp: {hostname: MX.example.com}", Map.of()), "dev").node())
                .isEqualTo("mx.example.com");
    }

    @Test
    void a_node_name_with_a_space_is_refused_at_startup() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.fromYaml("node: {name: \"mx a\"}", Map.of()))
                .hasMessageContaining("node.name");
    }

    @Test
    void the_settings_page_is_told_each_keys_default_change_reloadability_and_reference_text() {
        var keys = AdminWiring.configKeys(ConfigLoader.fromYaml("smtp: {port: 2626}\nlogging: {level: debug}", Map.of()));
        Map<String, ConfigKey> byKey = keys.stream().collect(java.util.stream.Collectors.toMap(ConfigKey::key, k -> k));

        assertThat(byKey.get("smtp.port")).satisfies(k -> {
            assertThat(k.changed()).isTrue();
            assertThat(k.defaultValue()).isEqualTo("2525");
            assertThat(k.reloadable()).isFalse();
            assertThat(k.meaning()).startsWith("SMTP port");
        });
        assertThat(byKey.get("logging.level")).satisfies(k -> {
            assertThat(k.changed()).isTrue();
            assertThat(k.reloadable()).isTrue();
            assertThat(k.meaning()).isNotEmpty().doesNotStartWith("(reloadable)");
        });
        assertThat(byKey.get("smtp.tls.certificate")).satisfies(k -> {
            assertThat(k.changed()).isFalse();
            assertThat(k.defaultValue()).isEmpty();
            assertThat(k.reloadable()).isTrue();
            assertThat(k.meaning()).startsWith("PEM certificate chain");
        });
        assertThat(keys).filteredOn(ConfigKey::changed).extracting(ConfigKey::key)
                .containsExactlyInAnyOrder("smtp.port", "logging.level");
        assertThat(keys).filteredOn(ConfigKey::reloadable).extracting(ConfigKey::key)
                .containsExactlyInAnyOrderElementsOf(greyrelay.relay.config.Reloadable.KEYS);
    }
}
