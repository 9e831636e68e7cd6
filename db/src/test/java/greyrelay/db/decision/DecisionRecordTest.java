package greyrelay.db.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionRecordTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static DecisionRecord withHelo(String helo) {
        return new DecisionRecord(null, T0, "mx1", "s", "s.1", "RCPT", "helo", Outcome.REJECTED, false, 504, null,
                null, "192.0.2.1", helo, null, null, null);
    }

    @Test
    void cuts_over_long_text_to_the_column_length() {
        assertThat(withHelo("h".repeat(300)).helo()).isEqualTo("h".repeat(255));
        assertThat(withHelo("h".repeat(255)).helo()).isEqualTo("h".repeat(255));
    }

    @Test
    void never_cuts_inside_a_surrogate_pair() {
        String helo = "h".repeat(254) + "\uD83D\uDCE7" + "tail";

        assertThat(withHelo(helo).helo()).isEqualTo("h".repeat(254));
    }

    @Test
    void replaces_nul_characters() {
        assertThat(withHelo("a\0b").helo()).isEqualTo("a\uFFFDb");
    }

    @Test
    void keeps_decision_time_to_the_microsecond() {
        DecisionRecord record = new DecisionRecord(null, T0.plusNanos(1_234_567), "mx1", null, null, "RCPT",
                "greylist", Outcome.DEFERRED, false, 451, null, null, null, null, null, null, null);

        assertThat(record.decidedAt()).isEqualTo(T0.plusNanos(1_234_000));
    }

    @Test
    void requires_time_phase_check_and_outcome() {
        assertThatThrownBy(() -> new DecisionRecord(null, T0, null, null, null, "RCPT", "greylist", null, false,
                null, null, null, null, null, null, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new DecisionRecord(null, null, null, null, null, "RCPT", "greylist",
                Outcome.ACCEPTED, false, null, null, null, null, null, null, null, null))
                .isInstanceOf(NullPointerException.class);
    }
}
