package greyrelay.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Queue ids: sortable by arrival, distinct within one millisecond, safe as file names. */
class QueueIdTest {
    @Test
    void ids_of_one_millisecond_differ_and_sort_after_those_of_the_one_before() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        QueueId before = QueueId.next(t.minusMillis(1));
        Set<String> seen = new HashSet<>();
        Set<Character> randomDigits = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            QueueId id = QueueId.next(t);
            assertThat(id.value()).matches("[0-9A-Z]{15}");
            assertThat(id).isGreaterThan(before);
            seen.add(id.value());
            for (char c : id.value().substring(9).toCharArray()) randomDigits.add(c);
        }
        assertThat(seen).as("no collision among 20,000 ids of one millisecond").hasSize(20_000);
        assertThat(randomDigits).as("every digit turns up in the random part").hasSize(36);
    }
}
