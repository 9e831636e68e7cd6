package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SenderDomainCheckTest {

    @TempDir
    Path dir;

    VerifyRig rig;
    SenderDomainCheck check;

    @BeforeEach
    void start() {
        rig = new VerifyRig(dir, null);
        check = new SenderDomainCheck(new MxSelection(new DnsJavaResolver(List.of(rig.dns.address()), Duration.ofMillis(300), 1),
                new Random(1), () -> false, VerifyRig.DEFAULT_REFUSED));
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    Verdict check(String sender, Exemption... exemptions) {
        return check.evaluate(rig.rcpt(sender, exemptions));
    }

    @Test
    void a_domain_that_does_not_exist_is_450_4_1_8() {
        rig.dns.nxdomain("gone.example");

        assertThat(check("jane@gone.example")).isEqualTo(new Verdict.Defer(Replies.senderDomainNotFound("jane@gone.example"),
                "gone.example has neither MX nor address"));
    }

    @Test
    void a_domain_with_neither_mx_nor_address_is_450_4_1_8() {
        rig.dns.txt("example.org", "v=spf1 -all");

        assertThat(check("jane@example.org")).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reply()).isEqualTo(Replies.senderDomainNotFound("jane@example.org")));
    }

    @Test
    void a_null_mx_is_550_5_7_27() {
        rig.dns.nullMx("example.org");

        assertThat(check("jane@example.org")).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply()).isEqualTo(Replies.senderNullMx("jane@example.org")));
    }

    @Test
    void mx_or_implicit_mx_passes() {
        rig.dns.mx("example.org", 10, "mx.example.org").a("example.net", "192.0.2.3");

        assertThat(check("jane@example.org")).isEqualTo(Verdict.CONTINUE);
        assertThat(check("bob@example.net")).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void temporary_dns_failures_pass_here_for_sender_verification_to_answer() {
        rig.dns.servfail("broken.example").timeout("silent.example");

        assertThat(check("jane@broken.example")).isEqualTo(Verdict.CONTINUE);
        assertThat(check("jane@silent.example")).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void the_null_sender_and_exempt_transactions_are_not_checked() {
        rig.dns.nxdomain("gone.example");

        assertThat(check("")).isEqualTo(Verdict.CONTINUE);
        assertThat(check("jane@gone.example", Exemption.SENDER_VERIFICATION)).isEqualTo(Verdict.CONTINUE);
        assertThat(rig.dns.queries()).isEmpty();
    }
}
