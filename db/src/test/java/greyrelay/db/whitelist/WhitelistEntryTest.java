package greyrelay.db.whitelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WhitelistEntryTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "CLIENT_ADDRESS | 192.0.2.7             | 192.0.2.7",
            "CLIENT_ADDRESS | 192.0.2.7/24          | 192.0.2.0/24",
            "CLIENT_ADDRESS | 192.0.2.0/32          | 192.0.2.0",
            "CLIENT_ADDRESS | 2001:DB8:0:0::1       | 2001:db8::1",
            "CLIENT_ADDRESS | 2001:db8:0:0:1::/64   | 2001:db8::/64",
            "CLIENT_ADDRESS | 2001:db8:0:1:0:0:0:0/64 | 2001:db8:0:1::/64",
            "CLIENT_ADDRESS | 0.0.0.0/0             | 0.0.0.0/0",
            "CLIENT_HOST    | Mail.Example.ORG.     | mail.example.org",
            "CLIENT_HOST    | .example.org          | example.org",
            "CLIENT_HOST    | /^mx[0-9]+\\.example\\.org$/ | /^mx[0-9]+\\.example\\.org$/",
            "SENDER         | Jane@Example.ORG      | jane@example.org",
            "SENDER         | @example.org          | example.org",
            "SENDER         | lists.example.org     | lists.example.org",
            "RECIPIENT      | John@Example.com      | john@example.com",
            "RECIPIENT      | Postmaster@           | postmaster@",
            "RECIPIENT      | example.com           | example.com",
            "RECIPIENT      | /^abuse@/             | /^abuse@/"})
    void normalises_values(WhitelistKind kind, String value, String expected) {
        assertThat(WhitelistEntry.normalise(kind, value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "CLIENT_ADDRESS | mail.example.org",
            "CLIENT_ADDRESS | 192.0.2.256",
            "CLIENT_ADDRESS | 192.0.2.1/33",
            "CLIENT_ADDRESS | 010.0.2.1",
            "CLIENT_ADDRESS | 2001:db8::1%eth0",
            "CLIENT_ADDRESS | 1",
            "CLIENT_HOST    | com",
            "CLIENT_HOST    | exa mple.org",
            "CLIENT_HOST    | /[unclosed/",
            "SENDER         | jane@",
            "SENDER         | /jane/",
            "SENDER         | jane@@example.org",
            "RECIPIENT      | jo hn@example.com",
            "RECIPIENT      | //"})
    void refuses_invalid_values(WhitelistKind kind, String value) {
        assertThatThrownBy(() -> WhitelistEntry.of(kind, value, null, "admin", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void refuses_a_blank_source_and_control_characters() {
        assertThatThrownBy(() -> WhitelistEntry.of(WhitelistKind.SENDER, "example.org", null, " ", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WhitelistEntry.of(WhitelistKind.SENDER, "exam\nple.org", null, "admin", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
