package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.node.NodeHeartbeat;
import greyrelay.db.node.NodeHeartbeats;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.queue.Envelope;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node.name} end to end: one message through a whole relay named {@code mx-a} (its {@code smtp.hostname} is
 * another name) leaves the name on its decision rows, its sender's probe row, its queue entry (in memory and in the
 * spool file) and the node's heartbeat row.
 */
class NodeIdentityTest {
    static final String SENDER_DOMAIN = "s1.example.org";
    static final String MX_IP = "192.0.2.1";

    @TempDir
    Path dir;

    final Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
    RelayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
        mxByIp.values().forEach(ScriptedMx::close);
    }

    @Test
    void the_node_name_is_on_decisions_probes_queue_entries_and_the_heartbeat() throws Exception {
        mxByIp.put(MX_IP, ScriptedMx.start());
        h = RelayHarness.start(dir, """
                node:
                  name: mx-a
                greylist:
                  enabled: false
                verification:
                  enabled: true
                  mode: enforce
                  maxWait: 3s
                """, ScriptedMx.routing(mxByIp));
        h.dns.mx(SENDER_DOMAIN, 10, "mx." + SENDER_DOMAIN).a("mx." + SENDER_DOMAIN, MX_IP);
        h.downstream.replyToRecipient(JOHN, "451 4.2.1 mailbox busy"); // the message stays queued
        String jane = "jane@" + SENDER_DOMAIN;

        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("named")).code()).isEqualTo(250);
            c.send("QUIT").expect(221);
        }
        h.deliverDue();

        h.relay.decisions().flush();
        List<DecisionRecord> decisions = new DecisionLog(h.relay.database()).search(DecisionQuery.newest(100).withSenderContains(jane));
        assertThat(decisions).isNotEmpty().allSatisfy(d -> assertThat(d.node()).isEqualTo("mx-a"));

        ProbeLog probes = new ProbeLog(h.relay.database());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (probes.count(ProbeQuery.newest(1).withDomain(SENDER_DOMAIN)) == 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(probes.search(ProbeQuery.newest(10).withDomain(SENDER_DOMAIN))).isNotEmpty()
                .extracting(ProbeRecord::node).containsOnly("mx-a");

        assertThat(h.relay.queue().list()).singleElement().satisfies(e -> {
            assertThat(e.arrival().node()).isEqualTo("mx-a");
            String stored = Files.readString(dir.resolve("spool/queue/" + e.id().value() + ".json"), StandardCharsets.UTF_8);
            assertThat(stored).contains("\"node\":\"mx-a\"");
        });

        h.relay.heartbeat().beat();
        assertThat(new NodeHeartbeats(h.relay.database()).list()).singleElement().satisfies(b -> {
            assertThat(b.name()).isEqualTo("mx-a");
            assertThat(b.smtpListening()).isTrue();
            assertThat(b.queueDepth()).isEqualTo(1);
            assertThat(b.lastSeen()).isEqualTo(h.clock.instant());
            assertThat(b.state(h.clock.instant().plus(NodeHeartbeat.DOWN_AFTER))).isEqualTo(NodeHeartbeat.State.DOWN);
        });
    }

    @Test
    void without_node_name_the_node_is_named_by_smtp_hostname() throws Exception {
        h = RelayHarness.start(dir, "greylist:\n  enabled: false\n");

        assertThat(h.relay.config().nodeName()).isEqualTo(Examples.RELAY_HOSTNAME);
        h.relay.heartbeat().beat();
        assertThat(new NodeHeartbeats(h.relay.database()).list()).extracting(NodeHeartbeat::name).containsExactly(Examples.RELAY_HOSTNAME);
    }
}
