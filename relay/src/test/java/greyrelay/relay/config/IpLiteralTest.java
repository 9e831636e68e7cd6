package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SmtpConfig#isIpLiteral} is written by hand for speed: it must answer as the regular expressions it replaced. */
class IpLiteralTest {

    /** The former definition. */
    static boolean byRegex(String s) {
        if (s.matches("(\\d{1,3})(\\.\\d{1,3}){3}")) {
            for (String p : s.split("\\.")) if (Integer.parseInt(p) > 255) return false;
            return true;
        }
        return s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }

    @Test
    void answers_the_usual_cases() {
        for (String yes : List.of("192.0.2.1", "0.0.0.0", "255.255.255.255", "010.1.1.1", "::", "2001:db8::25", "::ffff:192.0.2.1", "FE80::1")) {
            assertThat(SmtpConfig.isIpLiteral(yes)).as(yes).isTrue();
        }
        for (String no : List.of("", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1234.1.1.1", "example.com",
                "192.0.2.1 ", "1.2.3.4a", "g::1", "12", "٣.1.1.1")) {
            assertThat(SmtpConfig.isIpLiteral(no)).as(no).isFalse();
        }
    }

    @Test
    void answers_as_the_regular_expressions_on_random_strings() {
        Random random = new Random(13);
        String alphabet = "0123456789.:.abfAFgx 9925.";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(18);
            for (int k = 0; k < len; k++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String s = sb.toString();
            assertThat(SmtpConfig.isIpLiteral(s)).as("'%s'", s).isEqualTo(byRegex(s));
        }
    }
}
