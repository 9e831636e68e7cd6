package greyrelay.admin.probes;

import greyrelay.db.Database;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.DomainTrait;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Example verification data on example.org / example.net / 192.0.2.0/24, written through the real stores: a normal
 * probe, a hostile MX's probe, a cache answer, a recipient probe, cached verdicts and domain profiles.
 */
final class ProbeFixtures {
    static final String HOSTILE_REPLY = "250 <script>window.pwned=1</script><img src=x onerror=alert(1)>";
    static final String JANE = "jane@example.org";
    static final String MALLORY = "mallory@hostile.example.net";
    static final String HOSTILE_TRANSCRIPT = String.join("\n",
            "-- mx.hostile.example.net [192.0.2.66]:25",
            "S: 220 <b>mx.hostile.example.net</b> ESMTP",
            "C: EHLO mx1.example.com",
            "S: " + HOSTILE_REPLY,
            "C: MAIL FROM:<>",
            "S: 250 2.1.0 ok",
            "C: RCPT TO:<" + MALLORY + ">",
            "S: " + HOSTILE_REPLY,
            "C: RSET",
            "S: 250 2.0.0 ok",
            "C: QUIT",
            "S: 221 bye \u202Eevil\u0007 </pre><script>window.pwned=2</script>");

    private ProbeFixtures() {}

    /** Empties the three tables and writes the examples; returns the probes newest first. */
    static List<ProbeRecord> seed(Database db, Instant now) {
        clear(db);
        List<ProbeRecord> rows = new ArrayList<>();
        rows.add(new ProbeRecord(null, now.minus(Duration.ofHours(3)), "mx1.example.com", "s1", CacheKind.SENDER, "PREFETCH", JANE,
                "example.org", "mx.example.org", "192.0.2.25", "DELIVERABLE", 250, "2.1.5 ok",
                "-- mx.example.org [192.0.2.25]:25\nS: 220 mx.example.org ESMTP\nC: EHLO mx1.example.com\nS: 250 mx.example.org\n"
                        + "C: MAIL FROM:<>\nS: 250 2.1.0 ok\nC: RCPT TO:<jane@example.org>\nS: 250 2.1.5 ok\nC: RSET\nS: 250 ok\nC: QUIT\nS: 221 bye",
                420, false));
        rows.add(new ProbeRecord(null, now.minus(Duration.ofHours(2)), "mx1.example.com", "s2", CacheKind.SENDER, "CACHE", JANE,
                "example.org", null, null, "DELIVERABLE", 250, "2.1.5 ok", null, 0, true));
        rows.add(new ProbeRecord(null, now.minus(Duration.ofHours(1)), "mx2.example.com", "s3", CacheKind.SENDER, "INLINE", MALLORY,
                "hostile.example.net", "mx.hostile.example.net", "192.0.2.66", "UNDELIVERABLE", 550,
                "5.1.1 <script>alert('reply')</script> no such user", HOSTILE_TRANSCRIPT, 2500, false));
        rows.add(new ProbeRecord(null, now.minus(Duration.ofMinutes(30)), "mx1.example.com", "s4", CacheKind.RECIPIENT, "INLINE",
                "bob@example.com", "example.com", "127.0.0.1", "127.0.0.1", "TEMPFAIL", null, "connection refused",
                "-- error: connection refused", 3, false));
        new ProbeLog(db).appendAll(rows);

        VerificationCache cache = new VerificationCache(db);
        cache.put(new CacheEntry(CacheKind.SENDER, JANE, "example.org", CacheStatus.VALID, 250, "2.1.5 ok", "mx.example.org",
                now.minus(Duration.ofHours(3)), null, now.plus(Duration.ofDays(7)), now.plus(Duration.ofDays(31))));
        cache.put(new CacheEntry(CacheKind.SENDER, MALLORY, "hostile.example.net", CacheStatus.INVALID, 550,
                "5.1.1 <script>alert('cache')</script>", "mx.hostile.example.net", now.minus(Duration.ofHours(1)),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(3)), now.plus(Duration.ofDays(3))));
        cache.put(new CacheEntry(CacheKind.SENDER, "old@example.org", "example.org", CacheStatus.VALID, 250, "ok", "mx.example.org",
                now.minus(Duration.ofDays(40)), null, now.minus(Duration.ofDays(33)), now.minus(Duration.ofDays(9))));

        DomainProfiles profiles = new DomainProfiles(db);
        profiles.put(new DomainProfile("hostile.example.net", Map.of(DomainTrait.REFUSES_NULL_SENDER, now.minus(Duration.ofDays(10)),
                DomainTrait.GREYLISTS_PROBES, now.minus(Duration.ofHours(1))), now.minus(Duration.ofHours(1))));
        profiles.put(new DomainProfile("example.org", Map.of(DomainTrait.ACCEPTS_ANY, now.minus(Duration.ofDays(2))),
                now.minus(Duration.ofDays(2))));
        return new ProbeLog(db).search(ProbeQuery.newest(100));
    }

    static ProbeRecord byAddress(List<ProbeRecord> rows, String address, boolean cacheHit) {
        return rows.stream().filter(r -> r.address().equals(address) && r.cacheHit() == cacheHit).findFirst().orElseThrow();
    }

    static void clear(Database db) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM probe_log");
            s.executeUpdate("DELETE FROM verification_cache");
            s.executeUpdate("DELETE FROM domain_profile");
            s.executeUpdate("DELETE FROM admin_audit WHERE action LIKE 'verification.%'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
