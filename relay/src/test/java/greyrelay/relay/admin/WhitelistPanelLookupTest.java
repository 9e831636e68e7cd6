package greyrelay.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.whitelist.WhitelistLookup;
import greyrelay.admin.whitelist.WhitelistLookup.Match;
import greyrelay.admin.whitelist.WhitelistLookup.Question;
import greyrelay.db.Database;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.testing.TestClock;
import greyrelay.relay.whitelist.Whitelisting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whitelist page's questions answered by the relay's real whitelists: the default list, files and database. */
class WhitelistPanelLookupTest {
    @TempDir
    Path dir;

    @Test
    void lists_the_default_entries_and_names_the_entry_that_whitelists_each_part() {
        try (Database db = TestDatabases.h2(dir.resolve("db"))) {
            WhitelistStore store = new WhitelistStore(db);
            store.add(WhitelistEntry.of(WhitelistKind.SENDER, "example.org", "partner", "admin", TestClock.START));
            store.add(WhitelistEntry.of(WhitelistKind.RECIPIENT, "postmaster@", null, "admin", TestClock.START));
            Whitelisting w = Whitelisting.create(ConfigLoader.fromYaml("greylist: {}", Map.of()).greylist(), store, null, TestClock.START,
                    new SimpleMeterRegistry());
            WhitelistLookup lookup = new WhitelistPanelLookup(w);

            assertThat(lookup.fixed()).isNotEmpty().allSatisfy(e -> assertThat(e.source()).isEqualTo("default"));
            assertThat(lookup.fixed()).extracting(WhitelistEntry::value).contains("google.com", "40.107.0.0/16");

            // an address in the default list's Microsoft network, a Google host name, a sender in a whitelisted domain
            assertThat(lookup.check(new Question(IpNetwork.literal("40.107.22.1"), "mail-yw1-f170.google.com", "Jane@Mail.Example.org",
                    "postmaster@example.com")))
                    .extracting(Match::part, Match::kind, Match::value, Match::source)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("client address", WhitelistKind.CLIENT_ADDRESS, "40.107.0.0/16", "default"),
                            org.assertj.core.groups.Tuple.tuple("client host name", WhitelistKind.CLIENT_HOST, "google.com", "default"),
                            org.assertj.core.groups.Tuple.tuple("sender", WhitelistKind.SENDER, "example.org", "admin"),
                            org.assertj.core.groups.Tuple.tuple("recipient", WhitelistKind.RECIPIENT, "postmaster@", "admin"));
            assertThat(lookup.check(new Question(IpNetwork.literal("192.0.2.7"), "mail.example.net", "jane@example.net", "bob@example.com"))).isEmpty();
        }
    }
}
