package greyrelay.relay.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Facts are set once and read by name; the SPF fact names an authorised domain only for a pass. */
class TransactionFactsTest {
    @Test
    void a_fact_is_empty_until_set_and_cannot_be_set_twice() {
        TransactionFacts facts = new TransactionFacts();
        assertThat(facts.spf()).isEmpty();
        assertThat(facts.isRateLimitCounted()).isFalse();

        facts.spf(new SpfFact("pass", "example.org", "spf pass for example.org"));
        facts.rateLimitCounted();

        assertThat(facts.spf()).hasValueSatisfying(f -> assertThat(f.result()).isEqualTo("pass"));
        assertThat(facts.isRateLimitCounted()).isTrue();
        assertThatThrownBy(() -> facts.spf(new SpfFact("fail", "example.org", "spf fail")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(facts::rateLimitCounted).isInstanceOf(IllegalStateException.class);
        assertThat(facts.spf().orElseThrow().result()).as("the first value stays").isEqualTo("pass");
    }

    @Test
    void only_a_pass_authorises_its_domain_normalised() {
        assertThat(new SpfFact("PASS", " Example.ORG. ", "why").authorisedDomain()).contains("example.org");
        assertThat(new SpfFact("softfail", "example.org", "why").authorisedDomain()).isEmpty();
        assertThat(new SpfFact("none", "", "no HELO name").authorisedDomain()).isEmpty();
        assertThatThrownBy(() -> new SpfFact("pass", "", "why")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpfFact("pass", "exa mple.org", "why")).isInstanceOf(IllegalArgumentException.class);
    }
}
