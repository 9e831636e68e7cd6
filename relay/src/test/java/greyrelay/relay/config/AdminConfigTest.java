package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminConfigTest {
    @Test
    void defaults_bind_to_loopback_keep_metrics_behind_the_login_and_speak_plain_http() {
        AdminConfig a = RelayConfig.defaults().admin();

        assertThat(a.bind()).isEqualTo("127.0.0.1");
        assertThat(a.metricsOpen()).isFalse();
        assertThat(a.tls().enabled()).isFalse();
        assertThat(a.sessionTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(a.loginMaxFailures()).isEqualTo(5);
        assertThat(a.loginWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(a.loginMaxFailuresPerAccount()).isEqualTo(20);
        assertThat(a.trustedProxies()).isEmpty();
    }

    @Test
    void reads_trusted_proxies_as_networks_and_refuses_anything_else() {
        RelayConfig c = ConfigLoader.fromYaml("""
                admin:
                  trustedProxies: [10.0.0.7, "2001:DB8::/64"]
                  loginMaxFailuresPerAccount: 50
                """, Map.of());

        assertThat(c.admin().trustedProxies()).containsExactly("10.0.0.7/32", "2001:db8::/64");
        assertThat(c.admin().loginMaxFailuresPerAccount()).isEqualTo(50);
        assertThatThrownBy(() -> ConfigLoader.fromYaml("admin: { trustedProxies: [proxy.example.com] }", Map.of()))
                .hasMessageContaining("admin.trustedProxies");
    }

    @Test
    void reads_the_new_keys_from_yaml_and_the_environment() {
        RelayConfig c = ConfigLoader.fromYaml("""
                admin:
                  metricsOpen: true
                  sessionTimeout: 30m
                  loginMaxFailures: 3
                  tls: { certificate: /etc/ssl/admin.pem, key: /etc/ssl/admin.key }
                """, Map.of("GREYRELAY_ADMIN_LOGIN_WINDOW", "1h"));

        assertThat(c.admin().metricsOpen()).isTrue();
        assertThat(c.admin().sessionTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.admin().loginMaxFailures()).isEqualTo(3);
        assertThat(c.admin().loginWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(c.admin().tls().enabled()).isTrue();
    }

    @Test
    void refuses_half_a_tls_setting_and_odd_limits() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("admin: { tls: { certificate: /x.pem } }", Map.of()))
                .hasMessageContaining("admin.tls: expected both certificate and key");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("admin: { loginMaxFailures: 0 }", Map.of())).hasMessageContaining("admin.loginMaxFailures");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("admin: { sessionTimeout: 2d }", Map.of())).hasMessageContaining("admin.sessionTimeout");
    }

    @Test
    void masks_the_first_password_in_dumps() {
        RelayConfig c = ConfigLoader.fromYaml("admin: { password: \"a long secret password\" }", Map.of());

        assertThat(ConfigDump.effectiveYaml(c)).doesNotContain("a long secret password");
        assertThat(ConfigDump.masked(c).path("admin").path("password").asText()).isEqualTo(ConfigDump.MASK);
    }
}
