package greyrelay.relay.greylist;

import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.greylist.TrapBlock;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spamtrap} and {@code trapped-client} (RCPT), and the null sender's trap at the end of DATA. */
class SpamtrapTest {
    static final String TRAP = "never-used@example.com";

    @TempDir
    static Path dir;

    static Database db;
    GreylistFixture f;
    SpamtrapCheck trap;
    TrappedClientCheck trapped;
    NullSenderSpamtrapCheck dataTrap;

    @BeforeAll
    static void open() {
        db = TestDatabases.h2(dir);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @AfterEach
    void land() {
        f.close();
    }

    @BeforeEach
    void fresh() throws SQLException {
        f = new GreylistFixture(db);
        Spamtraps traps = f.traps("Never-Used@Example.com");
        trap = new SpamtrapCheck(traps, f.greylister, f.clock);
        trapped = new TrappedClientCheck(traps, f.greylister, f.clock);
        dataTrap = new NullSenderSpamtrapCheck(traps, f.greylister, f.clock);
    }

    @Test
    void a_trap_hit_blocks_the_client_network_and_is_answered_as_blocked() {
        Verdict v = trap.evaluate(new Requests.Session("192.0.2.10").rcpt("spam@example.net", "NEVER-USED@example.com"));

        assertThat(((Verdict.Defer) v).reply().line()).isEqualTo("451 4.7.1 Client host [192.0.2.10] temporarily blocked");
        TrapBlock b = f.blocks.active("192.0.2.0/24", f.clock.instant()).orElseThrow();
        assertThat(b.trap()).isEqualTo(TRAP);
        assertThat(b.reason()).isEqualTo("sent to spamtrap <never-used@example.com> from [192.0.2.10] with sender <spam@example.net>");
        assertThat(b.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofHours(24)));
        assertThat(f.count("trapped")).isEqualTo(1);
    }

    @Test
    void a_blocked_network_gets_451_for_everything_until_the_block_expires() {
        trap.evaluate(new Requests.Session("192.0.2.10").rcpt("spam@example.net", TRAP));
        Requests.Session neighbour = new Requests.Session("192.0.2.99");

        assertThat(((Verdict.Defer) trapped.evaluate(neighbour.rcpt(JANE, JOHN))).reply())
                .isEqualTo(Replies.clientTrapped(neighbour.facts.clientAddress()));
        assertThat(trapped.evaluate(neighbour.rcpt("", JOHN))).isInstanceOf(Verdict.Defer.class);
        assertThat(trapped.evaluate(new Requests.Session("198.51.100.20").rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);

        f.clock.advance(Duration.ofHours(24));
        assertThat(trapped.evaluate(neighbour.rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void an_ordinary_recipient_is_no_trap() {
        assertThat(trap.evaluate(new Requests.Session("192.0.2.10").rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);
        assertThat(f.blocks.active("192.0.2.0/24", f.clock.instant())).isEmpty();
    }

    @Test
    void a_null_sender_probe_to_a_trap_does_not_block() {
        Requests.Session prober = new Requests.Session("192.0.2.10");

        assertThat(trap.evaluate(prober.rcpt("", TRAP))).isEqualTo(Verdict.CONTINUE);

        assertThat(f.blocks.active("192.0.2.0/24", f.clock.instant())).isEmpty();
        assertThat(trapped.evaluate(prober.rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void a_bounce_actually_sent_to_a_trap_blocks_at_the_end_of_data() {
        Requests.Session s = new Requests.Session("192.0.2.10");

        Verdict v = dataTrap.evaluate(s.data(s.mail(""), JOHN, TRAP));

        assertThat(((Verdict.Defer) v).reply().line()).isEqualTo("451 4.7.1 Client host [192.0.2.10] temporarily blocked");
        assertThat(f.blocks.active("192.0.2.0/24", f.clock.instant()).orElseThrow().sender()).isEmpty();
    }

    @Test
    void a_message_with_a_sender_is_not_the_data_trap_business() {
        Requests.Session s = new Requests.Session("192.0.2.10");

        assertThat(dataTrap.evaluate(s.data(s.mail(JANE), TRAP))).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void a_whitelisted_client_is_neither_blocked_nor_held_by_a_block() {
        Requests.Session whitelisted = new Requests.Session("192.0.2.10");
        whitelisted.notes.exempt(Exemption.GREYLISTING);

        assertThat(trap.evaluate(whitelisted.rcpt("spam@example.net", TRAP))).isEqualTo(Verdict.CONTINUE);
        assertThat(f.blocks.active("192.0.2.0/24", f.clock.instant())).isEmpty();

        trap.evaluate(new Requests.Session("192.0.2.20").rcpt("spam@example.net", TRAP));
        assertThat(trapped.evaluate(whitelisted.rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void a_second_hit_extends_the_block() {
        trap.evaluate(new Requests.Session("192.0.2.10").rcpt("spam@example.net", TRAP));
        f.clock.advance(Duration.ofHours(20));

        trap.evaluate(new Requests.Session("192.0.2.11").rcpt("spam2@example.net", TRAP));

        TrapBlock b = f.blocks.active("192.0.2.0/24", f.clock.instant()).orElseThrow();
        assertThat(b.hits()).isEqualTo(2);
        assertThat(b.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofHours(24)));
    }
}
