package greyrelay.db.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

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
    void writes_each_kind_into_its_own_file_with_notes_as_comment_blocks() {
        List<WhitelistEntry> entries = List.of(
                WhitelistEntry.of(WhitelistKind.CLIENT_HOST, "mail.example.org", "partner relays", "admin", NOW),
                WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24", "partner relays", "admin", NOW),
                WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "2001:db8::/32", null, "admin", NOW),
                WhitelistEntry.of(WhitelistKind.RECIPIENT, "postmaster@", "role", "admin", NOW),
                WhitelistEntry.of(WhitelistKind.SENDER, "jane@example.org", null, "admin", NOW));

        WhitelistFile.Formatted clients = WhitelistFile.format(entries, WhitelistFile.Type.CLIENTS, List.of("exported by greyrelay"));

        assertThat(clients.entries()).isEqualTo(3);
        assertThat(clients.text()).isEqualTo("""
                # exported by greyrelay

                # partner relays
                mail.example.org
                192.0.2.0/24

                2001:db8::/32
                """);
        assertThat(WhitelistFile.format(entries, WhitelistFile.Type.RECIPIENTS, List.of()).text()).isEqualTo("# role\npostmaster@\n");
        assertThat(WhitelistFile.format(entries, WhitelistFile.Type.SENDERS, List.of()).text()).isEqualTo("jane@example.org\n");
    }

    @Test
    void an_export_reads_back_to_the_same_entries() {
        List<WhitelistEntry> entries = List.of(
                WhitelistEntry.of(WhitelistKind.CLIENT_HOST, "/^mx[0-9]+\\.example\\.net$/", "regex # with a hash", "admin", NOW),
                WhitelistEntry.of(WhitelistKind.CLIENT_HOST, "relay.example.com", null, "admin", NOW),
                WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "198.51.100.7", "two\nlines", "admin", NOW),
                WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "203.0.113.0/25", "two\nlines", "admin", NOW),
                WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "2001:db8:1::/48", "<script>alert(1)</script>", "admin", NOW));

        String text = WhitelistFile.format(entries, WhitelistFile.Type.CLIENTS, List.of("header")).text();
        WhitelistFile.Parsed back = WhitelistFile.parse(text, "whitelist_clients", WhitelistFile.Type.CLIENTS, "import:x", NOW);

        assertThat(back.ok()).isTrue();
        assertThat(back.entries()).extracting(e -> e.kind() + " " + e.value() + " " + e.note()).containsExactly(
                "CLIENT_HOST /^mx[0-9]+\\.example\\.net$/ regex # with a hash",
                "CLIENT_HOST relay.example.com null",
                "CLIENT_ADDRESS 198.51.100.7 two lines",
                "CLIENT_ADDRESS 203.0.113.0/25 two lines",
                "CLIENT_ADDRESS 2001:db8:1::/48 <script>alert(1)</script>");
    }

    @Test
    void leaves_out_values_the_format_cannot_carry() {
        List<WhitelistEntry> entries = List.of(
                WhitelistEntry.of(WhitelistKind.CLIENT_HOST, "10.example", null, "admin", NOW),
                WhitelistEntry.of(WhitelistKind.CLIENT_HOST, "123.456", null, "admin", NOW),
                WhitelistEntry.of(WhitelistKind.RECIPIENT, "#list@", null, "admin", NOW));

        assertThat(WhitelistFile.format(entries, WhitelistFile.Type.CLIENTS, List.of()).skipped()).containsExactly("123.456");
        assertThat(WhitelistFile.format(entries, WhitelistFile.Type.RECIPIENTS, List.of()).skipped()).containsExactly("#list@");
    }

    @Test
    void ignores_a_byte_order_mark_and_windows_line_ends() {
        WhitelistFile.Parsed p = WhitelistFile.parse("\uFEFF192.0.2.7\r\nmail.example.org\r\n", "c", WhitelistFile.Type.CLIENTS, "s", NOW);

        assertThat(kindsAndValues(p)).containsExactly("CLIENT_ADDRESS 192.0.2.7", "CLIENT_HOST mail.example.org");
    }

    @Test
    void names_the_file_of_each_kind() {
        assertThat(WhitelistFile.Type.of(WhitelistKind.CLIENT_HOST).fileName()).isEqualTo("whitelist_clients");
        assertThat(WhitelistFile.Type.of(WhitelistKind.RECIPIENT).fileName()).isEqualTo("whitelist_recipients");
        assertThat(WhitelistFile.Type.of(WhitelistKind.SENDER).fileName()).isEqualTo("whitelist_senders");
        assertThat(WhitelistFile.Type.guess("Whitelist_Recipients.txt")).isEqualTo(WhitelistFile.Type.RECIPIENTS);
    }
}
