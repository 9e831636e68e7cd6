package greyrelay.relay.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerReplyTest {

    @ParameterizedTest(name = "{0} is positive={1} intermediate={2} transient={3} permanent={4}")
    @CsvSource({
            "250, true, false, false, false",
            "354, false, true, false, false",
            "451, false, false, true, false",
            "550, false, false, false, true"})
    void classifies_replies_by_their_first_digit(int code, boolean positive, boolean intermediate,
                                                 boolean transientFailure, boolean permanent) {
        ServerReply reply = ServerReply.of(code, "text");

        assertThat(reply.isPositive()).isEqualTo(positive);
        assertThat(reply.isIntermediate()).isEqualTo(intermediate);
        assertThat(reply.isTransient()).isEqualTo(transientFailure);
        assertThat(reply.isPermanent()).isEqualTo(permanent);
    }

    @ParameterizedTest(name = "\"{1}\" after {0} has enhanced code \"{2}\"")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "550 | 5.1.1 <x@example.com>: Recipient address rejected | 5.1.1",
            "451 | 4.7.1 greylisted | 4.7.1",
            "250 | 2.0.0 | 2.0.0",
            "550 | 4.1.1 class disagrees with the code | none",
            "550 | 5.1.1x not a code | none",
            "250 | mx.example.com 2.0.0 later in the line | none",
            "550 | 5.1234.1 detail too long | none"})
    void reads_the_enhanced_code_only_when_it_agrees_with_the_reply_code(int code, String text, String enhanced) {
        assertThat(ServerReply.of(code, text).enhancedCode().orElse(null)).isEqualTo(enhanced);
    }

    @Test
    void joins_lines_with_spaces_for_text_and_prints_code_and_text() {
        ServerReply reply = new ServerReply(250, List.of("mx.example.com", "PIPELINING", "SIZE 1000"));

        assertThat(reply.text()).isEqualTo("mx.example.com PIPELINING SIZE 1000");
        assertThat(reply.firstLine()).isEqualTo("mx.example.com");
        assertThat(reply).hasToString("250 mx.example.com PIPELINING SIZE 1000");
    }

    @Test
    void replaces_control_and_format_characters_in_its_lines() {
        ServerReply reply = new ServerReply(550, List.of("no\r\nsuch\u0000user\u2028\u202e\u200b ünïcödé"));

        assertThat(reply.firstLine()).isEqualTo("no??such?user??? ünïcödé");
    }

    @Test
    void cannot_hold_an_impossible_code_or_no_lines() {
        assertThatThrownBy(() -> ServerReply.of(199, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerReply.of(600, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServerReply(250, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ehlo_extensions_ignore_lines_that_are_not_keywords_and_keep_the_first_of_duplicates() {
        EhloReply ehlo = EhloReply.parse(new ServerReply(250, List.of(
                "mx.example.com", "SIZE 0", "-BAD", "", "size 99", "X-EXPS GSSAPI NTLM", "<script>")));

        assertThat(ehlo.extensions()).containsOnlyKeys("SIZE", "X-EXPS");
        assertThat(ehlo.parameters("SIZE")).contains("0");
        assertThat(ehlo.maxMessageSize()).as("SIZE 0 means no fixed limit").isEmpty();
    }

    @Test
    void ehlo_size_that_is_not_a_number_gives_no_limit() {
        EhloReply ehlo = EhloReply.parse(new ServerReply(250, List.of("mx.example.com", "SIZE lots")));

        assertThat(ehlo.supports("SIZE")).isTrue();
        assertThat(ehlo.maxMessageSize()).isEmpty();
    }
}
