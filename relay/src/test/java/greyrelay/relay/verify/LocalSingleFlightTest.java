package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One flight per key: the first caller leads, the others share its result, and no path leaves the key taken. */
class LocalSingleFlightTest {
    final LocalSingleFlight<String> flights = new LocalSingleFlight<>();

    @Test
    void the_first_caller_leads_and_later_ones_join_its_result() throws Exception {
        SingleFlight.Flight<String> first = flights.enter("jane@example.org");
        SingleFlight.Flight<String> second = flights.enter("jane@example.org");
        SingleFlight.Flight<String> other = flights.enter("bob@example.org");

        assertThat(first).isInstanceOf(SingleFlight.Flight.Lead.class);
        assertThat(second).isInstanceOf(SingleFlight.Flight.Joined.class);
        assertThat(other).isInstanceOf(SingleFlight.Flight.Lead.class);
        assertThat(flights.running("jane@example.org")).isPresent();

        ((SingleFlight.Flight.Lead<String>) first).finish("deliverable");

        assertThat(second.result().get(1, TimeUnit.SECONDS)).isEqualTo("deliverable");
        assertThat(flights.running("jane@example.org")).isEmpty();
        assertThat(flights.enter("jane@example.org")).as("a new flight after the last one landed")
                .isInstanceOf(SingleFlight.Flight.Lead.class);
    }

    @Test
    void a_lead_closed_without_a_result_frees_the_key_and_fails_its_joiners() {
        SingleFlight.Flight<String> lead = flights.enter("jane@example.org");
        SingleFlight.Flight<String> joined = flights.enter("jane@example.org");

        ((SingleFlight.Flight.Lead<String>) lead).close();

        assertThatThrownBy(() -> joined.result().get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("ended without a result");
        assertThat(flights.running("jane@example.org")).isEmpty();
    }

    @Test
    void closing_a_finished_lead_changes_nothing() throws Exception {
        var lead = (SingleFlight.Flight.Lead<String>) flights.enter("jane@example.org");
        try (lead) {
            lead.finish("deliverable");
        }
        var next = (SingleFlight.Flight.Lead<String>) flights.enter("jane@example.org");
        lead.close();

        assertThat(lead.result().get()).isEqualTo("deliverable");
        assertThat(flights.running("jane@example.org")).as("an old lead does not end the next flight").isPresent();
        next.close();
    }
}
