package greyrelay.relay.greylist;

import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.greylist.TripletKey;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SpfFact;
import greyrelay.relay.policy.Transaction;
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

/** End of DATA: the null sender's greylisting. */
class NullSenderGreylistCheckTest {
    @TempDir
    static Path dir;

    static Database db;
    GreylistFixture f;
    NullSenderGreylistCheck check;

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
        check = f.dataCheck();
    }

    @Test
    void defers_a_bounce_to_an_unknown_triplet_at_the_end_of_data() {
        Requests.Session s = new Requests.Session("192.0.2.10");

        Verdict v = check.evaluate(s.data(s.mail(""), JOHN));

        assertThat(v).isInstanceOf(Verdict.Defer.class);
        assertThat(((Verdict.Defer) v).reply()).isEqualTo(Replies.greylisted(300));
        assertThat(f.flushed().find(new TripletKey("192.0.2.0/24", "<>", JOHN))).isPresent();
    }

    @Test
    void the_retry_after_the_delay_passes_with_a_header() {
        Requests.Session s = new Requests.Session("192.0.2.10");
        check.evaluate(s.data(s.mail(""), JOHN, MARY));
        f.clock.advance(Duration.ofMinutes(7));
        Transaction retry = s.mail("");

        assertThat(check.evaluate(s.data(retry, JOHN, MARY))).isEqualTo(Verdict.CONTINUE);

        assertThat(retry.headers().get("X-Greylist")).startsWith("delayed 420 seconds by greyrelay-test (mx.example.com); ");
        assertThat(retry.notes(MARY)).containsExactly("greylist: passed after 420 s");
    }

    @Test
    void an_spf_pass_of_the_helo_name_keys_the_bounce_by_that_domain() {
        Requests.Session s = new Requests.Session("192.0.2.10");
        Transaction tx = s.mail("");
        tx.facts().spf(new SpfFact("pass", "client.example.org", "spf pass for client.example.org"));

        check.evaluate(s.data(tx, JOHN));

        assertThat(f.flushed().find(new TripletKey("spf:client.example.org", "<>", JOHN))).isPresent();
        assertThat(f.flushed().find(new TripletKey("192.0.2.0/24", "<>", JOHN))).isEmpty();
    }

    @Test
    void one_deferred_recipient_defers_the_message_with_the_longest_wait() {
        Requests.Session s = new Requests.Session("192.0.2.10");
        check.evaluate(s.data(s.mail(""), JOHN));
        f.clock.advance(Duration.ofMinutes(7));

        Verdict v = check.evaluate(s.data(s.mail(""), JOHN, MARY));

        assertThat(((Verdict.Defer) v).reply()).isEqualTo(Replies.greylisted(300));
        assertThat(f.flushed().find(new TripletKey("192.0.2.0/24", "<>", JOHN)).orElseThrow().passed()).isTrue();
    }

    @Test
    void recipients_exempt_from_greylisting_are_skipped() {
        Requests.Session s = new Requests.Session("192.0.2.10");
        s.notes.exempt(Exemption.GREYLISTING);

        assertThat(check.evaluate(s.data(s.mail(""), JOHN))).isEqualTo(Verdict.CONTINUE);
        assertThat(f.flushed().countTriplets()).isZero();
    }

    @Test
    void mail_with_a_sender_is_left_to_rcpt() {
        Requests.Session s = new Requests.Session("192.0.2.10");

        assertThat(check.evaluate(s.data(s.mail(JANE), JOHN))).isEqualTo(Verdict.CONTINUE);
        assertThat(f.flushed().countTriplets()).isZero();
    }

    @Test
    void null_sender_passes_never_count_towards_auto_whitelisting() {
        for (int i = 0; i < 6; i++) {
            Requests.Session s = new Requests.Session("192.0.2.10");
            String rcpt = "user" + i + "@example.com";
            check.evaluate(s.data(s.mail(""), rcpt));
            f.clock.advance(Duration.ofMinutes(6));
            assertThat(check.evaluate(s.data(s.mail(""), rcpt))).isEqualTo(Verdict.CONTINUE);
        }

        assertThat(f.flushed().client("192.0.2.0/24")).isEmpty();
        assertThat(f.rcptCheck().evaluate(new Requests.Session("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
    }
}
