package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory of recent verdict reads: this node's own writes and removals are seen at once; a row changed behind its
 * back (another node on the same database, here a second {@link VerificationCache} on the same H2 file) is seen once
 * {@link VerdictMemo#TTL} has passed on the injected clock; with a shared database (PostgreSQL) nothing is kept.
 */
class VerdictMemoTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    Database database;
    VerificationCache otherNode;
    VerdictMemo memo;

    @BeforeEach
    void open() {
        database = TestDatabases.h2(dir);
        otherNode = new VerificationCache(database);
        memo = new VerdictMemo(new VerificationCache(database), clock, true);
    }

    @AfterEach
    void close() {
        database.close();
    }

    static CacheEntry entry(String address, CacheStatus status, Instant at) {
        return new CacheEntry(CacheKind.SENDER, address, "example.org", status, status == CacheStatus.VALID ? 250 : 550,
                status == CacheStatus.VALID ? "ok" : "no such user", "mx.example.org", at, null, at.plusSeconds(3600),
                at.plusSeconds(86_400));
    }

    @Test
    void anotherNodesVerdictIsSeenWhenTheCopyHasAged() {
        otherNode.put(entry("jane@example.org", CacheStatus.VALID, clock.instant()));
        assertThat(memo.find(CacheKind.SENDER, "jane@example.org")).map(CacheEntry::status).contains(CacheStatus.VALID);

        otherNode.put(entry("jane@example.org", CacheStatus.INVALID, clock.instant()));
        // the copy read a moment ago still answers ...
        assertThat(memo.find(CacheKind.SENDER, "jane@example.org")).map(CacheEntry::status).contains(CacheStatus.VALID);
        // ... the database itself for the decisions before a probe
        assertThat(memo.stored(CacheKind.SENDER, "jane@example.org")).map(CacheEntry::status).contains(CacheStatus.INVALID);

        clock.advance(VerdictMemo.TTL.plus(Duration.ofMillis(1)));
        assertThat(memo.find(CacheKind.SENDER, "jane@example.org")).map(CacheEntry::status).contains(CacheStatus.INVALID);
    }

    @Test
    void thisNodesWritesAndRemovalsAreSeenAtOnce() {
        memo.put(entry("john@example.org", CacheStatus.VALID, clock.instant()));
        assertThat(memo.find(CacheKind.SENDER, "john@example.org")).map(CacheEntry::status).contains(CacheStatus.VALID);

        memo.put(entry("john@example.org", CacheStatus.INVALID, clock.instant()));
        assertThat(memo.find(CacheKind.SENDER, "john@example.org")).map(CacheEntry::status).contains(CacheStatus.INVALID);

        assertThat(memo.delete(CacheKind.SENDER, "john@example.org")).isTrue();
        assertThat(memo.find(CacheKind.SENDER, "john@example.org")).isEmpty();
    }

    @Test
    void aMissIsNotRemembered() {
        assertThat(memo.find(CacheKind.SENDER, "new@example.org")).isEmpty();
        otherNode.put(entry("new@example.org", CacheStatus.VALID, clock.instant()));
        assertThat(memo.find(CacheKind.SENDER, "new@example.org")).map(CacheEntry::status).contains(CacheStatus.VALID);
    }

    @Test
    void withASharedDatabaseEveryReadGoesToIt() {
        VerdictMemo shared = new VerdictMemo(new VerificationCache(database), clock, false);
        otherNode.put(entry("jane@example.org", CacheStatus.VALID, clock.instant()));
        assertThat(shared.find(CacheKind.SENDER, "jane@example.org")).map(CacheEntry::status).contains(CacheStatus.VALID);

        otherNode.put(entry("jane@example.org", CacheStatus.INVALID, clock.instant()));
        assertThat(shared.find(CacheKind.SENDER, "jane@example.org")).map(CacheEntry::status).contains(CacheStatus.INVALID);
    }

    @Test
    void kindsAreKeptApart() {
        otherNode.put(entry("jane@example.org", CacheStatus.VALID, clock.instant()));
        assertThat(memo.find(CacheKind.SENDER, "jane@example.org")).isPresent();
        assertThat(memo.find(CacheKind.RECIPIENT, "jane@example.org")).isEmpty();
    }
}
