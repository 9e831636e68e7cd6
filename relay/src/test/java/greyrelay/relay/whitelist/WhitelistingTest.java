package greyrelay.relay.whitelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.ConfigException;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configured files (greylist.whitelistFiles) and the default list, loaded at start. */
class WhitelistingTest {
    @TempDir
    Path dir;

    static GreylistConfig config(String yaml) {
        return ConfigLoader.fromYaml(yaml, Map.of()).greylist();
    }

    @Test
    void loads_configured_files_and_the_default_list_at_start() throws IOException {
        Path clients = Files.writeString(dir.resolve("partners"), "192.0.2.0/24\n");
        Path rcpts = Files.writeString(dir.resolve("whitelist_recipients"), "postmaster@\n");
        GreylistConfig c = config("greylist: {whitelistFiles: [\"clients:" + clients + "\", \"" + rcpts + "\"]}");
        try (Database db = TestDatabases.h2(dir.resolve("db"))) {
            Whitelisting w = Whitelisting.create(c, new WhitelistStore(db), null, TestClock.START, new SimpleMeterRegistry());

            Whitelist current = w.whitelists().current();
            assertThat(current.clientAddress(IpNetwork.literal("192.0.2.9")).orElseThrow().source()).isEqualTo("file:" + clients);
            assertThat(current.recipient(Mailbox.parse("postmaster@example.com").orElseThrow())).isPresent();
            assertThat(current.clientHost("mail-yw1-f170.google.com").orElseThrow().source()).isEqualTo("default");
        }
    }

    @Test
    void the_default_list_can_be_switched_off() {
        try (Database db = TestDatabases.h2(dir.resolve("db"))) {
            Whitelisting w = Whitelisting.create(config("greylist: {defaultWhitelist: false}"), new WhitelistStore(db), null,
                    TestClock.START, new SimpleMeterRegistry());

            assertThat(w.whitelists().current().size()).isZero();
        }
    }

    @Test
    void a_missing_or_bad_file_stops_startup_naming_the_key() throws IOException {
        Path bad = Files.writeString(dir.resolve("clients"), "192.0.2.300\n");

        assertThatThrownBy(() -> Whitelisting.readConfigured(dir.resolve("nope").toString(), TestClock.START))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("greylist.whitelistFiles: cannot read ");
        assertThatThrownBy(() -> Whitelisting.readConfigured(bad.toString(), TestClock.START))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clients:1: ");
    }

    @Test
    void the_default_list_parses_and_says_where_each_entry_comes_from() {
        List<WhitelistEntry> list = Whitelisting.defaultList(TestClock.START);

        assertThat(list).hasSizeGreaterThan(20);
        assertThat(list).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo("default");
            assertThat(e.note()).as("source comment of %s", e.value()).isNotBlank();
            assertThat(e.kind()).isIn(WhitelistKind.CLIENT_ADDRESS, WhitelistKind.CLIENT_HOST);
        });
        assertThat(list).extracting(WhitelistEntry::value).contains("google.com", "outbound.protection.outlook.com", "40.107.0.0/16");
    }
}
