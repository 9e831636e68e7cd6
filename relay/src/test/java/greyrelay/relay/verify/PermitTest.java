package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The budget parts: a permit gives its share back once, however often and on however many paths it is closed. */
class PermitTest {

    @Test
    void a_permit_releases_on_its_first_close_only() {
        AtomicInteger released = new AtomicInteger();
        Permit p = Permit.of(released::incrementAndGet);

        p.close();
        p.close();
        try (p) {
            assertThat(released).hasValue(1);
        }

        assertThat(released).hasValue(1);
    }

    @Test
    void slots_cap_the_permits_held_and_a_slot_comes_back_once() throws Exception {
        Slots slots = new Slots(2);
        Permit a = slots.tryTake().orElseThrow();
        Permit b = slots.tryTake().orElseThrow();

        assertThat(slots.tryTake()).isEmpty();
        assertThat(slots.take(Duration.ofMillis(1))).as("a bounded wait that finds nothing free").isEmpty();
        assertThat(slots.hasRoom()).isFalse();
        a.close();
        a.close();
        assertThat(slots.inUse()).isEqualTo(1);
        Permit c = slots.tryTake().orElseThrow();
        assertThat(slots.tryTake()).as("a double close freed one slot, not two").isEmpty();
        c.close();
        b.close();
        assertThat(slots.inUse()).isZero();
    }

    @Test
    void an_unbounded_count_tells_the_work_in_progress() {
        Slots working = Slots.unbounded();
        Permit first = working.take();
        Permit second = working.take();

        assertThat(working.inUse()).isEqualTo(2);
        first.close();
        second.close();
        second.close();
        assertThat(working.inUse()).isZero();
    }

    @Test
    void a_quota_use_is_kept_when_spent_and_given_back_when_not() {
        Quota quota = new Quota(2);

        try (Quota.Claim claim = quota.claim().orElseThrow()) {
            claim.spend();
        }
        Quota.Claim unspent = quota.claim().orElseThrow();
        assertThat(quota.claim()).as("both uses held now").isEmpty();
        unspent.close();
        Optional<Quota.Claim> again = quota.claim();

        assertThat(again).as("the unspent claim came back").isPresent();
        again.get().spend();
        assertThat(quota.claim()).isEmpty();
        assertThat(quota.used()).isEqualTo(2);
    }

    @Test
    void a_free_claim_counts_against_nothing() {
        Quota quota = new Quota(1);
        try (Quota.Claim free = Quota.Claim.free()) {
            free.spend();
        }

        assertThat(quota.claim()).isPresent();
    }
}
