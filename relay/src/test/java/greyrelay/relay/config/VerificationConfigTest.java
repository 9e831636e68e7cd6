package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerificationConfigTest {

    @Test
    void defaults_are_the_documented_ones() {
        RelayConfig c = ConfigLoader.fromYaml("", Map.of());
        VerificationConfig v = c.verification();

        assertThat(v.mailFrom()).isEmpty();
        assertThat(v.confirm()).isEqualTo(VerificationConfig.Confirm.AFTER);
        assertThat(v.cache().positiveTtl()).isEqualTo(Duration.ofDays(31));
        assertThat(v.cache().tempFailTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(v.budget().perDomainConcurrency()).isEqualTo(2);
        assertThat(v.randomAddressCheck()).isFalse();
        assertThat(c.recipientVerification().enabled()).isTrue();
        assertThat(c.recipientVerification().source()).isEqualTo(RecipientVerificationConfig.Source.DOWNSTREAM);
    }

    @Test
    void nested_keys_come_from_yaml_and_from_the_environment() {
        RelayConfig c = ConfigLoader.fromYaml("""
                verification:
                  confirm: never
                  budget: {perDomainRate: 5}
                recipientVerification:
                  source: list
                  recipients: [John@Example.com, "@sales.example.com"]
                """, Map.of("GREYRELAY_VERIFICATION_BUDGET_PER_DOMAIN_QUEUE", "7",
                "GREYRELAY_VERIFICATION_CACHE_POSITIVE_REFRESH", "1d"));

        assertThat(c.verification().confirm()).isEqualTo(VerificationConfig.Confirm.NEVER);
        assertThat(c.verification().budget().perDomainRate()).isEqualTo(5);
        assertThat(c.verification().budget().perDomainQueue()).isEqualTo(7);
        assertThat(c.verification().cache().positiveRefresh()).isEqualTo(Duration.ofDays(1));
        assertThat(c.recipientVerification().recipients()).containsExactly("john@example.com", "@sales.example.com");
    }

    @Test
    void impossible_values_name_their_key() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("verification: {mailFrom: \"a b@example.com\"}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verification.mailFrom");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("verification: {confirmAfter: 4d}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verification.confirmAfter")
                .hasMessageContaining("negativeTtl");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("verification: {cache: {positiveRefresh: 40d}}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verification.cache.positiveRefresh");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("verification: {budget: {perDomainConcurrency: 60}}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verification.budget.perDomainConcurrency");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("recipientVerification: {recipients: [nobody]}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("recipientVerification.recipients");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("verification: {ipv6: maybe}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verification.ipv6");
    }
}
