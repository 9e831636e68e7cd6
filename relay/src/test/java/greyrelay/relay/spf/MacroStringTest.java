package greyrelay.relay.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.net.IpNetwork;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The macro language of RFC 7208 §7, with the examples of §7.4, and the IP text forms the macros use. */
class MacroStringTest {
    /** §7.4: sender strong-bad@email.example.com, client 192.0.2.3 (or 2001:db8::cb01), checking email.example.com. */
    private static final Map<Character, String> IPV4 = Map.of(
            's', "strong-bad@email.example.com", 'l', "strong-bad", 'o', "email.example.com", 'd', "email.example.com",
            'i', CheckHost.macroForm(IpNetwork.literal("192.0.2.3")), 'v', "in-addr");
    private static final Map<Character, String> IPV6 = Map.of(
            'd', "email.example.com", 'v', "ip6",
            'i', CheckHost.macroForm(IpNetwork.literal("2001:db8::cb01")));

    private static String expand(String text, Map<Character, String> values) {
        return MacroString.parse(text, MacroString.Kind.DOMAIN).orElseThrow().expand(values::get);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "%{s}, strong-bad@email.example.com",
            "%{o}, email.example.com",
            "%{d}, email.example.com",
            "%{d4}, email.example.com",
            "%{d3}, email.example.com",
            "%{d2}, example.com",
            "%{d1}, com",
            "%{dr}, com.example.email",
            "%{d2r}, example.email",
            "%{l}, strong-bad",
            "%{l-}, strong.bad",
            "%{lr}, strong-bad",
            "%{lr-}, bad.strong",
            "%{l1r-}, strong",
            "%{ir}.%{v}._spf.%{d2}, 3.2.0.192.in-addr._spf.example.com",
            "%{lr-}.lp._spf.%{d2}, bad.strong.lp._spf.example.com",
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}, bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}, 3.2.0.192.in-addr.strong.lp._spf.example.com",
            "%{d2}.trusted-domains.example.net, example.com.trusted-domains.example.net"})
    void expands_the_examples_of_rfc7208_section_7_4(String macro, String expected) {
        assertThat(expand(macro, IPV4)).isEqualTo(expected);
    }

    @Test
    void expands_an_ipv6_client_as_reversed_nibbles() {
        assertThat(expand("%{ir}.%{v}._spf.%{d2}", IPV6))
                .isEqualTo("1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com");
    }

    @Test
    void upper_case_letters_url_escape_their_expansion_and_escapes_stand_for_themselves() {
        Map<Character, String> v = Map.of('l', "~jack&jill=up-a_b3.c");
        assertThat(expand("%{L}.x%%y%_z%-w.example.com", v)).isEqualTo("~jack%26jill%3Dup-a_b3.c.x%y z%20w.example.com");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%", "a%", "%x", "%{", "%{d", "%{q}", "%{d0}", "%{d2x}", "%{dr!}", "%{c}", "%{r}.example.com", "%{t}",
            "a b", "caf\u00e9", "tab\there"})
    void refuses_bad_syntax_in_a_domain_spec(String text) {
        assertThat(MacroString.parse(text, MacroString.Kind.DOMAIN)).isEmpty();
    }

    @Test
    void explanation_text_takes_spaces_and_the_c_r_t_letters() {
        var parsed = MacroString.parse("%{c} via %{r} at %{t}", MacroString.Kind.EXPLANATION);
        assertThat(parsed).isPresent();
        assertThat(parsed.get().expand(Map.of('c', "192.0.2.3", 'r', "mx.example.com", 't', "1700000000")::get))
                .isEqualTo("192.0.2.3 via mx.example.com at 1700000000");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "2001:db8::1, 2001:db8::1",
            "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "::, ::",
            "::1, ::1",
            "fe80::, fe80::",
            "CAFE:BABE::192.168.218.40, cafe:babe::c0a8:da28"})
    void writes_ipv6_the_rfc_5952_way(String literal, String readable) {
        assertThat(IpNetwork.format(IpNetwork.literal(literal))).isEqualTo(readable);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4:25", ":1::2:", "1:2:3:4:5:6:7:8:9", "1::2::3",
            "12345::", "g::1", "::1.2.3", ""})
    void refuses_what_is_not_an_ip_literal(String text) {
        assertThatThrownBy(() -> IpNetwork.literal(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
