package greyrelay.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

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
}
