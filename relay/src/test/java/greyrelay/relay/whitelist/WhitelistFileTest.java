package greyrelay.relay.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** postgrey's whitelist_clients / whitelist_recipients format, and the bundled default list. */
class WhitelistFileTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    static List<String> kindsAndValues(WhitelistFile.Parsed p) {
        return p.entries().stream().map(e -> e.kind() + " " + e.value()).toList();
    }

    @Test
    void reads_a_postgrey_clients_file() {
        String text = """
                # postgrey whitelist for mail clients
                # comments and blank lines are ignored

                # a partner's outbound relays
                mail.example.org
                /^mx[0-9]+\\.example\\.net$/
                192.0.2.7
                198.51.100.      # postgrey's "class C"
                203.0.
                192.0.2.128/25
                2001:DB8::/32
                Relay.Example.COM.
                """;

        WhitelistFile.Parsed p = WhitelistFile.parse(text, "whitelist_clients", WhitelistFile.Type.CLIENTS, "import:whitelist_clients", NOW);

        assertThat(p.ok()).isTrue();
        assertThat(kindsAndValues(p)).containsExactly(
                "CLIENT_HOST mail.example.org",
                "CLIENT_HOST /^mx[0-9]+\\.example\\.net$/",
                "CLIENT_ADDRESS 192.0.2.7",
                "CLIENT_ADDRESS 198.51.100.0/24",
                "CLIENT_ADDRESS 203.0.0.0/16",
                "CLIENT_ADDRESS 192.0.2.128/25",
                "CLIENT_ADDRESS 2001:db8::/32",
                "CLIENT_HOST relay.example.com");
        assertThat(p.entries().get(0).note()).isEqualTo("a partner's outbound relays");
        assertThat(p.entries()).allMatch(e -> e.source().equals("import:whitelist_clients") && e.createdAt().equals(NOW));
    }

    @Test
    void reads_a_postgrey_recipients_file() {
        String text = """
                postmaster@
                abuse@
                john@example.com
                example.net
                /^noc-.*@example\\.com$/
                """;

        WhitelistFile.Parsed p = WhitelistFile.parse(text, "whitelist_recipients", WhitelistFile.Type.RECIPIENTS, "import:r", NOW);

        assertThat(kindsAndValues(p)).containsExactly("RECIPIENT postmaster@", "RECIPIENT abuse@", "RECIPIENT john@example.com",
                "RECIPIENT example.net", "RECIPIENT /^noc-.*@example\\.com$/");
    }

    @Test
    void reports_every_bad_line_with_its_number_and_keeps_nothing_usable() {
        String text = """
                mail.example.org
                192.0.2.300
                two words here
                /[unclosed/
                """;

        WhitelistFile.Parsed p = WhitelistFile.parse(text, "clients", WhitelistFile.Type.CLIENTS, "import:clients", NOW);

        assertThat(p.ok()).isFalse();
        assertThat(p.problems()).hasSize(3);
        assertThat(p.problems().get(0)).startsWith("clients:2: ");
        assertThat(p.problems().get(1)).startsWith("clients:3: one entry per line");
        assertThat(p.problems().get(2)).startsWith("clients:4: not a valid regular expression");
    }

    @Test
    void guesses_the_file_type_from_its_name() {
        assertThat(WhitelistFile.Type.guess(Path.of("/etc/postgrey/whitelist_recipients"))).isEqualTo(WhitelistFile.Type.RECIPIENTS);
        assertThat(WhitelistFile.Type.guess(Path.of("postgrey_whitelist_clients.local"))).isEqualTo(WhitelistFile.Type.CLIENTS);
        assertThat(WhitelistFile.Type.guess(Path.of("our-senders.txt"))).isEqualTo(WhitelistFile.Type.SENDERS);
    }

    @Test
    void the_default_list_parses_and_says_where_each_entry_comes_from() {
        List<WhitelistEntry> list = Whitelisting.defaultList(NOW);

        assertThat(list).hasSizeGreaterThan(20);
        assertThat(list).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo("default");
            assertThat(e.note()).as("source comment of %s", e.value()).isNotBlank();
            assertThat(e.kind()).isIn(WhitelistKind.CLIENT_ADDRESS, WhitelistKind.CLIENT_HOST);
        });
        assertThat(list).extracting(WhitelistEntry::value).contains("google.com", "outbound.protection.outlook.com", "40.107.0.0/16");
    }
}
