package greyrelay.relay.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {

    private static final Duration S = Duration.ofSeconds(1);

    @Test
    void defaults_follow_rfc_5321_background_values() {
        assertThat(ClientLimits.defaults()).isEqualTo(new ClientLimits(
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10), 2048, 100));
    }

    @Test
    void refuses_timeouts_that_are_missing_zero_negative_or_absurd() {
        assertThatThrownBy(() -> new ClientLimits(null, S, S, 2048, 100)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ClientLimits(S, Duration.ZERO, S, 2048, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replyTimeout");
        assertThatThrownBy(() -> new ClientLimits(S, S, Duration.ofSeconds(-1), 2048, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataTimeout");
        assertThatThrownBy(() -> new ClientLimits(Duration.ofDays(365), S, S, 2048, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    }

    @Test
    void refuses_line_limits_below_what_rfc_5321_allows_a_server_and_absurd_ones() {
        assertThatThrownBy(() -> new ClientLimits(S, S, S, 509, 100)).hasMessageContaining("maxLineLength");
        assertThatThrownBy(() -> new ClientLimits(S, S, S, 1_000_000, 100)).hasMessageContaining("maxLineLength");
        assertThatThrownBy(() -> new ClientLimits(S, S, S, 2048, 0)).hasMessageContaining("maxReplyLines");
        assertThat(new ClientLimits(S, S, S, 510, 1).maxLineLength()).isEqualTo(510);
    }

    @Test
    void with_methods_change_only_their_timeout() {
        ClientLimits limits = ClientLimits.defaults().withReplyTimeout(S).withDataTimeout(S.multipliedBy(2))
                .withConnectTimeout(S.multipliedBy(3));

        assertThat(limits).isEqualTo(new ClientLimits(S.multipliedBy(3), S, S.multipliedBy(2), 2048, 100));
    }
}
