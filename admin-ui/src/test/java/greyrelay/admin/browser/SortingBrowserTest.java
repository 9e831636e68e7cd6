package greyrelay.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TrapBlock;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.db.greylist.TripletKey;
import greyrelay.db.node.NodeHeartbeat;
import greyrelay.db.node.NodeHeartbeats;
import greyrelay.db.Jdbc;
import greyrelay.db.ratelimit.RateLimitOverride;
import greyrelay.db.ratelimit.RateLimitOverrides;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Server-side sorting on every list: each list gets {@value #ROWS} rows written in a scrambled order (more than one
 * page of 25), a click on a column header sorts them on the server, and the rows of the first and the next page
 * together come back in order; a second click reverses it. Then the same with the keyboard only: Tab to a header,
 * Enter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SortingBrowserTest {
    static final int ROWS = 30;

    @TempDir
    static Path dir;
    static AdminServer server;
    static HeadlessChrome browser;

    /** The i-th value in insertion order: 0, 7, 14, … (mod 30), so the table order is not the sorted order. */
    static int scrambled(int i) {
        return i * 7 % ROWS;
    }

    static List<String> values(IntFunction<String> value) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) out.add(value.apply(i));
        return out;
    }

    @BeforeAll
    static void start() throws SQLException {
        browser = HeadlessChrome.start(AdminBrowserTest.SCREENSHOTS);
        server = AdminServer.start(dir);
        Instant now = server.clock.instant();
        List<DecisionRecord> decisions = new ArrayList<>();
        var greylist = new GreylistStore(server.database);
        var whitelist = new WhitelistStore(server.database);
        var limits = new RateLimitOverrides(server.database);
        var traps = new TrapBlockStore(server.database);
        var audit = new AuditLog(server.database);
        var nodes = new NodeHeartbeats(server.database);
        var profiles = new DomainProfiles(server.database);
        Connection connection = server.database.dataSource().getConnection();
        PreparedStatement client = connection.prepareStatement(
                "INSERT INTO greylist_client (client_network, passes, first_seen, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)");
        for (int n = 0; n < ROWS; n++) {
            int i = scrambled(n);
            Instant at = now.minusSeconds(600 + n * 60L);
            decisions.add(new DecisionRecord(null, at, "mx1", "s" + n, "s" + n + ".1", "RCPT", "greylist", Outcome.DEFERRED, false, 451,
                    "4.7.1 Greylisted", "reason", "192.0.2.10", "client.example.org", "d%02d@sort.example".formatted(i), "bob@example.com",
                    null));
            greylist.insertIfAbsent(new GreylistEntry(new TripletKey("192.0.2.0/24", "jane@example.org", "r%02d@sort.example".formatted(i)),
                    at, at, null, 1, now.plusSeconds(86_400)));
            whitelist.add(WhitelistEntry.of(WhitelistKind.SENDER, "w%02d@sort.example".formatted(i), null, "admin", at));
            limits.save(RateLimitOverride.senderDomain("l%02d.sort.example".formatted(i), 100 + i, null, at));
            traps.block(new TrapBlock("198.18.%d.0/24".formatted(n), at, now.plus(Duration.ofHours(1 + n)), i + 1, "198.18.%d.1".formatted(n),
                    null, "trap@example.com", "sent to spamtrap"));
            audit.append(AuditEntry.of(at, "u%02d".formatted(i), "test.sort", "sortme", null, "192.0.2.1", "mx1"));
            nodes.beat(new NodeHeartbeat("n%02d.sort.example".formatted(n), "1.0", at, now, true, i, null));
            server.queue.add(FakeQueue.message("0SORT%02dQ".formatted(n), "q%02d@sort.example".formatted(i), "bob@example.com", at, null),
                    "Subject: sort\r\n");
            client.setString(1, "10.%d.0.0/24".formatted(n));
            client.setInt(2, 10 + i);
            client.setObject(3, Jdbc.utc(at));
            client.setObject(4, Jdbc.utc(at));
            client.setObject(5, Jdbc.utc(now.plusSeconds(86_400 + n)));
            client.executeUpdate();
            profiles.put(new DomainProfile("p%02d.sort.example".formatted(i), Map.of(), at));
        }
        client.close();
        connection.close();
        new DecisionLog(server.database).appendAll(decisions);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    String url(String path) {
        return server.base + path;
    }

    @Test
    @Order(1)
    void logs_in() {
        browser.open(url("/login"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(AdminServer.PASSWORD);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> !d.getCurrentUrl().contains("/login"));
    }

    /** The text of one column's cells, in row order, found by its header's {@code data-sort}. */
    @SuppressWarnings("unchecked")
    List<String> column(String column) {
        return (List<String>) browser.script("""
                const a = document.querySelector('thead a[data-sort="%s"]');
                const th = a.closest('th');
                const i = [...th.parentNode.children].indexOf(th);
                return [...a.closest('table').querySelectorAll('tbody tr')].map(r => r.children[i].textContent.trim());""".formatted(column));
    }

    /** Clicks the header, checks its aria-sort, reads this page and (when paged) the next one. */
    List<String> sortBy(String column, String direction, boolean paged) {
        browser.find("thead a[data-sort=\"" + column + "\"]").click();
        browser.waitFor(d -> d.getCurrentUrl().contains("sort=" + column + "&dir=" + direction.substring(0, direction.startsWith("asc") ? 3 : 4)));
        WebElement th = browser.find("thead th[aria-sort]");
        assertThat(th.getAttribute("aria-sort")).isEqualTo(direction);
        assertThat(th.findElement(org.openqa.selenium.By.cssSelector("a")).getAttribute("data-sort")).isEqualTo(column);
        List<String> rows = new ArrayList<>(column(column));
        if (paged) {
            assertThat(rows).hasSize(25);
            browser.find("a[rel=next]").click();
            browser.waitFor(d -> d.getCurrentUrl().contains("offset=25"));
            assertThat(browser.find("thead th[aria-sort]").getAttribute("aria-sort")).isEqualTo(direction);
            rows.addAll(column(column));
            browser.find("a[rel=prev]").click();
            browser.waitFor(d -> d.getCurrentUrl().contains("offset=0"));
        }
        return rows;
    }

    void sortsBothWays(String page, String column, List<String> values, Comparator<String> order, boolean paged) {
        browser.open(url(page));
        browser.waitFor(d -> browser.find("footer").isDisplayed());
        List<String> expected = values.stream().sorted(order).toList();
        assertThat(sortBy(column, "ascending", paged)).as(page + " by " + column + ", ascending").containsExactlyElementsOf(expected);
        assertThat(sortBy(column, "descending", paged)).as(page + " by " + column + ", descending")
                .containsExactlyElementsOf(expected.reversed());
        browser.screenshot("sorted" + page.replaceAll("[/?=&.]", "-"));
    }

    static final Comparator<String> TEXT = Comparator.naturalOrder();
    static final Comparator<String> NUMBER = Comparator.comparingInt(Integer::parseInt);

    @Test
    @Order(2)
    void decisions_sort_on_the_server_across_pages_and_keep_the_filter() {
        sortsBothWays("/decisions?sender=sort.example", "sender", values("d%02d@sort.example"::formatted), TEXT, true);
        assertThat(browser.driver.getCurrentUrl()).contains("sender=sort.example");
    }

    @Test
    @Order(3)
    void greylist_sorts_on_the_server() {
        sortsBothWays("/greylist", "recipient", values("r%02d@sort.example"::formatted), TEXT, true);
    }

    @Test
    @Order(4)
    void whitelists_sort_on_the_server() {
        sortsBothWays("/whitelists?q=sort.example", "value", values("w%02d@sort.example"::formatted), TEXT, true);
    }

    @Test
    @Order(5)
    void rate_limits_sort_on_the_server() {
        sortsBothWays("/ratelimits?q=sort.example", "match", values("l%02d.sort.example"::formatted), TEXT, true);
        sortsBothWays("/ratelimits?q=sort.example", "messages", values(i -> String.valueOf(100 + i)), NUMBER, true);
    }

    @Test
    @Order(6)
    void spamtraps_sort_on_the_server() {
        sortsBothWays("/spamtraps", "network", values("198.18.%d.0/24"::formatted), TEXT, true);
    }

    @Test
    @Order(7)
    void the_queue_sorts_on_the_server() {
        sortsBothWays("/queue?q=sort.example", "sender", values("q%02d@sort.example"::formatted), TEXT, true);
    }

    @Test
    @Order(8)
    void the_audit_log_sorts_on_the_server() {
        sortsBothWays("/audit?q=sortme", "who", values("u%02d"::formatted), TEXT, true);
    }

    @Test
    @Order(9)
    void the_cluster_sorts_on_the_server() {
        sortsBothWays("/cluster", "queue", values(String::valueOf), NUMBER, false);
    }

    @Test
    @Order(10)
    void auto_whitelisted_networks_sort_on_the_server() {
        sortsBothWays("/greylist/clients", "passes", values(i -> String.valueOf(10 + i)), NUMBER, true);
    }

    @Test
    @Order(11)
    void domain_profiles_sort_on_the_server_and_keep_the_search() {
        sortsBothWays("/verification/domains?q=sort.example", "domain", values("p%02d.sort.example"::formatted), TEXT, true);
        assertThat(browser.driver.getCurrentUrl()).contains("q=sort.example");
    }

    @Test
    @Order(12)
    void sorts_with_the_keyboard_only() {
        browser.open(url("/decisions?sender=sort.example"));
        browser.waitFor(d -> browser.find("footer").isDisplayed());
        List<String> before = column("sender");
        browser.find("input[name=recipient]").click(); // a start in the page; from here on only keys
        String focused = "";
        for (int i = 0; i < 80 && !focused.equals("sender"); i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            focused = String.valueOf(browser.script("return document.activeElement.getAttribute('data-sort') || ''"));
        }
        assertThat(focused).as("the Sender header is reached with Tab").isEqualTo("sender");
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.waitFor(d -> d.getCurrentUrl().contains("sort=sender&dir=asc"));
        List<String> after = column("sender");
        assertThat(after).isNotEqualTo(before).isSorted();
        assertThat(browser.find("thead th[aria-sort]").getText()).startsWith("Sender");
        browser.screenshot("sorted-by-keyboard");
    }
}
