package greyrelay.db.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecisionQueryTest {

    @Test
    void treats_blank_filters_as_absent() {
        DecisionQuery query = DecisionQuery.newest(10).withSenderContains("  ").withRecipientContains("")
                .withClientIp(" 192.0.2.1 ");

        assertThat(query.senderContains()).isNull();
        assertThat(query.recipientContains()).isNull();
        assertThat(query.clientIp()).isEqualTo("192.0.2.1");
    }

    @Test
    void refuses_pages_out_of_range() {
        assertThatThrownBy(() -> DecisionQuery.newest(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DecisionQuery.newest(DecisionQuery.MAX_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DecisionQuery.newest(10).page(10, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
