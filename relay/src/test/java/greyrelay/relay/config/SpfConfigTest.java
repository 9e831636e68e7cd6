package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpfConfigTest {
    @Test
    void defaults_reject_fail_defer_temperror_and_let_the_rest_continue() {
        SpfConfig spf = ConfigLoader.fromYaml("", Map.of()).spf();

        assertThat(spf.enabled()).isTrue();
        assertThat(spf.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(spf.failAction()).isEqualTo(SpfConfig.Action.REJECT);
        assertThat(spf.temperrorAction()).isEqualTo(SpfConfig.Action.DEFER);
        assertThat(spf.softfailAction()).isEqualTo(SpfConfig.Action.CONTINUE);
        assertThat(spf.neutralAction()).isEqualTo(SpfConfig.Action.CONTINUE);
        assertThat(spf.noneAction()).isEqualTo(SpfConfig.Action.CONTINUE);
        assertThat(spf.permerrorAction()).isEqualTo(SpfConfig.Action.CONTINUE);
        assertThat(spf.deadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(spf.voidLookupLimit()).isEqualTo(2);
    }

    @Test
    void reads_the_yaml_and_the_environment() {
        SpfConfig spf = ConfigLoader.fromYaml("""
                spf:
                  mode: observe
                  softfailAction: defer
                  deadline: 30s
                """, Map.of("GREYRELAY_SPF_FAIL_ACTION", "continue", "GREYRELAY_SPF_VOID_LOOKUP_LIMIT", "3")).spf();

        assertThat(spf.mode()).isEqualTo(Mode.OBSERVE);
        assertThat(spf.softfailAction()).isEqualTo(SpfConfig.Action.DEFER);
        assertThat(spf.failAction()).isEqualTo(SpfConfig.Action.CONTINUE);
        assertThat(spf.deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spf.voidLookupLimit()).isEqualTo(3);
    }

    @Test
    void refuses_to_reject_on_a_temporary_error() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("spf:\n  temperrorAction: reject\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("spf.temperrorAction: expected defer or continue, got \"reject\"");
    }

    @Test
    void refuses_an_unknown_action_and_an_out_of_range_deadline() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("spf:\n  failAction: bounce\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("spf.failAction: expected one of reject, defer, continue");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("spf:\n  deadline: 10m\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("spf.deadline: expected a duration from");
    }
}
