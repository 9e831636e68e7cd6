package greyrelay.relay.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jane@example.org", "Jane.Doe+tag@Example.ORG", "\"john doe\"@example.org", "x@[192.0.2.1]",
            "josé@example.org", "a!b%c@example.org"})
    void valid_mailboxes_parse(String s) {
        assertThat(Mailbox.parse(s)).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "jane", "@example.org", "jane@", "jane@@example.org", "jane@exa mple.org", ".jane@example.org",
            "jane.@example.org", "ja..ne@example.org", "jane@example..org", "jane@-example.org", "jane@example.org.",
            "jane\r@example.org", "jane\n@example.org", "jane\u0000@example.org", "\"jane\"\"@example.org", "jane @example.org",
            "\"jane\u001b[31m\"@example.org", "\"jane\u009b31m\"@example.org", "jane\u0085@example.org", "jane\u202e@example.org",
            "\"jane\u200f\"@example.org", "x@[192.0.2.1\u009b]", "jane\u2028@example.org"})
    void invalid_mailboxes_do_not(String s) {
        assertThat(Mailbox.parse(s)).isEmpty();
    }

    @Test
    void joiners_that_some_scripts_need_are_kept() {
        assertThat(Mailbox.parse("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645@example.org")).isPresent();
    }

    @Test
    void length_limits_hold() {
        assertThat(Mailbox.parse("a".repeat(64) + "@example.org")).isPresent();
        assertThat(Mailbox.parse("a".repeat(65) + "@example.org")).isEmpty();
        assertThat(Mailbox.parse("a@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(58))).isPresent();
        assertThat(Mailbox.parse("a@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(62))).isEmpty();
    }

    @Test
    void the_domain_is_lower_case_and_the_local_part_keeps_its_case() {
        Mailbox m = Mailbox.parse("Jane@Example.ORG").orElseThrow();
        assertThat(m.address()).isEqualTo("Jane@example.org");
        assertThat(m.normalised()).isEqualTo("jane@example.org");
    }

    @Test
    void only_dot_atoms_are_plain() {
        assertThat(Mailbox.parse("jane@example.org").orElseThrow().isPlain()).isTrue();
        assertThat(Mailbox.parse("\"jane doe\"@example.org").orElseThrow().isPlain()).isFalse();
    }

    @Test
    void the_null_sender_is_a_type() {
        assertThat(Sender.parse("")).containsInstanceOf(Sender.Null.class);
        assertThat(Sender.parse("jane@example.org").orElseThrow().bracketed()).isEqualTo("<jane@example.org>");
        assertThat(Sender.NULL.bracketed()).isEqualTo("<>");
    }
}
