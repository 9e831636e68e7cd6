package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import greyrelay.relay.queue.RecipientState;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RawSmtpPeer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery in parallel ({@code downstream.maxConnections}): several messages per downstream conversation with RSET
 * between them, at most that many conversations per route, and each recipient's state right when a conversation fails
 * in the middle of its run of messages. The downstream is a {@link ScriptedMx}; what it saw is read from its transcripts.
 */
class ParallelDeliveryIT {
    @TempDir
    Path dir;

    private static String yaml(ScriptedMx mx, String downstreamExtra) {
        return """
                downstream: {port: %d%s}
                greylist: {enabled: false}
                verification: {enabled: false}
                """.formatted(mx.port(), downstreamExtra);
    }

    private static void send(int port, List<String> to, String subject) throws Exception {
        try (SmtpConversation c = SmtpConversation.open(port)) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            for (String r : to) c.send("RCPT TO:<" + r + ">").expect(250);
            assertThat(c.data(Examples.message(subject)).code()).isEqualTo(250);
            c.send("QUIT").expect(221);
        }
    }

    /** Every recipient the downstream took a message for (250 to its RCPT, then 250 at the end of DATA), once per delivery. */
    private static List<String> deliveredTo(ScriptedMx mx) {
        List<String> out = new ArrayList<>();
        for (List<String> session : mx.sessions()) {
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < session.size(); i++) {
                String line = session.get(i);
                if (line.startsWith("C: MAIL")) accepted.clear();
                if (line.startsWith("C: RCPT TO:<") && i + 1 < session.size() && session.get(i + 1).startsWith("S: 250")) {
                    accepted.add(line.substring("C: RCPT TO:<".length(), line.length() - 1));
                }
                if (line.equals("C: .") && i + 1 < session.size() && session.get(i + 1).startsWith("S: 250")) out.addAll(accepted);
            }
        }
        return out;
    }

    private static Map<String, RecipientState.Status> states(RelayHarness h) {
        return h.relay.queue().list().stream().flatMap(e -> e.recipients().stream())
                .collect(Collectors.toMap(RecipientState::address, RecipientState::status));
    }

    private static void awaitAttempted(RelayHarness h) {
        await().atMost(Duration.ofSeconds(10)).until(() -> h.relay.queue().list().stream().allMatch(e -> e.schedule().attempts() > 0)
                && h.relay.queue().deliveryConcurrency().delivering() == 0);
    }

    @Test
    void a_conversation_failing_mid_batch_leaves_earlier_messages_done_and_retries_only_what_was_not_accepted() throws Exception {
        AtomicInteger mails = new AtomicInteger();
        try (ScriptedMx mx = ScriptedMx.start()) {
            // the 3rd message's MAIL: the connection drops; the 5th: 421, the server is closing
            mx.on("MAIL", line -> mails.incrementAndGet() == 3, new ScriptedMx.Action.HangUp(), 1);
            mx.on("MAIL", line -> mails.get() == 5, new ScriptedMx.Action.Reply("421 4.3.2 shutting down"), 1);
            // message 4: one recipient deferred, one accepted
            mx.on("RCPT", line -> line.contains("m4b@"), new ScriptedMx.Action.Reply("450 4.2.1 mailbox busy"), 1);
            try (RelayHarness h = RelayHarness.start(dir, yaml(mx, ""))) {
                send(h.smtpPort(), List.of("m1@example.com"), "one");
                awaitAttempted(h);
                send(h.smtpPort(), List.of("m2@example.com"), "two");
                awaitAttempted(h);
                send(h.smtpPort(), List.of("m3@example.com"), "three");
                awaitAttempted(h);
                send(h.smtpPort(), List.of("m4a@example.com", "m4b@example.com"), "four");
                awaitAttempted(h);
                send(h.smtpPort(), List.of("m5@example.com"), "five");
                awaitAttempted(h);
                send(h.smtpPort(), List.of("m6@example.com"), "six");
                awaitAttempted(h);

                // messages 1 and 2 went over one conversation, RSET between; it broke at message 3
                assertThat(verbs(mx.sessions().get(0))).containsExactly("MAIL", "RSET", "MAIL", "RSET", "MAIL");
                assertThat(deliveredTo(mx)).containsExactlyInAnyOrder("m1@example.com", "m2@example.com", "m4a@example.com", "m6@example.com");
                assertThat(states(h)).containsOnly(
                        Map.entry("m3@example.com", RecipientState.Status.PENDING),
                        Map.entry("m4a@example.com", RecipientState.Status.DELIVERED),
                        Map.entry("m4b@example.com", RecipientState.Status.PENDING),
                        Map.entry("m5@example.com", RecipientState.Status.PENDING));
                assertThat(h.relay.queue().list()).extracting(e -> e.schedule().lastError()).anySatisfy(e -> assertThat(e).contains("421"))
                        .anySatisfy(e -> assertThat(e).contains("450"));

                h.clock.advance(Duration.ofMinutes(1));
                h.deliverDue();
                assertThat(h.relay.queue().depth()).isZero();
                // each recipient exactly once: m4a is not sent again with m4b
                assertThat(deliveredTo(mx)).containsExactlyInAnyOrder("m1@example.com", "m2@example.com", "m4a@example.com", "m6@example.com",
                        "m3@example.com", "m4b@example.com", "m5@example.com");
            }
        }
    }

    /** MAIL and RSET, in the order the relay sent them on one conversation. */
    private static List<String> verbs(List<String> session) {
        return session.stream().filter(l -> l.startsWith("C: MAIL") || l.equals("C: RSET"))
                .map(l -> l.startsWith("C: MAIL") ? "MAIL" : "RSET").toList();
    }

    @Test
    void messages_share_at_most_max_connections_per_route_each_carrying_several_messages() throws Exception {
        try (ScriptedMx mx = ScriptedMx.start()) {
            // a slow MAIL reply (about 40 ms) keeps conversations busy, so deliveries overlap
            mx.on("MAIL", new ScriptedMx.Action.Drip("250 2.1.0 Ok\r\n", Duration.ofMillis(3)));
            try (RelayHarness h = RelayHarness.start(dir, yaml(mx, ", maxConnections: 3"));
                    ExecutorService clients = Executors.newFixedThreadPool(8)) {
                List<Future<?>> sent = new ArrayList<>();
                List<String> recipients = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    int client = c;
                    for (int m = 0; m < 3; m++) recipients.add("c" + client + "m" + m + "@example.com");
                    sent.add(clients.submit(() -> {
                        for (int m = 0; m < 3; m++) send(h.smtpPort(), List.of("c" + client + "m" + m + "@example.com"), "parallel");
                        return null;
                    }));
                }
                for (Future<?> f : sent) f.get();
                await().atMost(Duration.ofSeconds(20)).until(() -> h.relay.queue().depth() == 0);

                assertThat(deliveredTo(mx)).containsExactlyInAnyOrderElementsOf(recipients);
                assertThat(mx.maxOpenConnections()).isBetween(2, 3);
                assertThat(h.relay.queue().deliveryConcurrency().peak()).isBetween(2, 3);
                assertThat(mx.connections()).isLessThan(recipients.size());
                for (List<String> session : mx.sessions()) {
                    List<String> verbs = verbs(session);
                    for (int i = 1; i < verbs.size(); i++) {
                        if (verbs.get(i).equals("MAIL")) assertThat(verbs.get(i - 1)).as("RSET before each further MAIL").isEqualTo("RSET");
                    }
                }
                assertThat(mx.sessions()).anySatisfy(s -> assertThat(s).filteredOn(l -> l.startsWith("C: MAIL")).hasSizeGreaterThan(1));
            }
        }
    }

    @Test
    void one_message_for_several_recipients_of_one_route_is_one_transaction() throws Exception {
        try (ScriptedMx mx = ScriptedMx.start(); RelayHarness h = RelayHarness.start(dir, yaml(mx, ""))) {
            send(h.smtpPort(), List.of("a@example.com", "b@example.com", "c@example.com"), "three recipients");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.relay.queue().depth() == 0);
            assertThat(mx.allCommands()).filteredOn(l -> l.startsWith("MAIL")).hasSize(1);
            assertThat(mx.allCommands()).filteredOn(l -> l.equals(".")).hasSize(1);
            assertThat(deliveredTo(mx)).containsExactly("a@example.com", "b@example.com", "c@example.com");
        }
    }

    @Test
    void with_a_downstream_that_offers_pipelining_a_transaction_goes_out_before_any_reply() throws Exception {
        // the downstream answers nothing until it has read the whole group (RSET, MAIL, RCPT and DATA): a relay that waited
        // for each reply would wait out its 2 s reply timeout and defer
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 downstream.example.com ESMTP")
                .expect("EHLO ").line("250-downstream.example.com").line("250 PIPELINING")
                .expect("MAIL FROM:<" + JANE + ">").expect("RCPT TO:<m1@").expect("DATA")
                .line("250 2.1.0 Ok").line("250 2.1.5 Ok").line("354 go ahead").readData().line("250 2.0.0 Ok: one")
                .expect("RSET").expect("MAIL FROM:<" + JANE + ">").expect("RCPT TO:<m2@").expect("DATA")
                .line("250 2.0.0 Ok").line("250 2.1.0 Ok").line("250 2.1.5 Ok").line("354 go ahead").readData().line("250 2.0.0 Ok: two")
                .hold());
                RelayHarness h = RelayHarness.start(dir, """
                        downstream: {port: %d, replyTimeout: 2s}
                        greylist: {enabled: false}
                        verification: {enabled: false}
                        """.formatted(peer.port()))) {
            send(h.smtpPort(), List.of("m1@example.com"), "one");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.relay.queue().depth() == 0);
            send(h.smtpPort(), List.of("m2@example.com"), "two");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.relay.queue().depth() == 0);

            assertThat(peer.data()).hasSize(2);
            assertThat(peer.connections()).as("both messages over one kept conversation").isEqualTo(1);
            assertThat(peer.problems()).isEmpty();
        }
    }

    @ParameterizedTest(name = "pipelining offered: {0}")
    @ValueSource(booleans = {true, false})
    void a_kept_conversation_the_downstream_closed_meanwhile_costs_no_deferral(boolean pipelining) throws Exception {
        try (ScriptedMx mx = ScriptedMx.start()) {
            if (!pipelining) mx.on("EHLO", "250-mx.example.org\n250 8BITMIME");
            // the kept conversation dies at the RSET before the second message: it was closed while idle
            mx.on("RSET", line -> true, new ScriptedMx.Action.HangUp(), 1);
            try (RelayHarness h = RelayHarness.start(dir, yaml(mx, ""))) {
                send(h.smtpPort(), List.of("m1@example.com"), "one");
                await().atMost(Duration.ofSeconds(10)).until(() -> h.relay.queue().depth() == 0);
                send(h.smtpPort(), List.of("m2@example.com"), "two");
                await().atMost(Duration.ofSeconds(10)).until(() -> h.relay.queue().depth() == 0);

                assertThat(deliveredTo(mx)).containsExactly("m1@example.com", "m2@example.com");
                assertThat(mx.connections()).as("a new conversation for the second message, at its first attempt").isEqualTo(2);
                assertThat(mx.allCommands()).filteredOn(l -> l.startsWith("MAIL")).hasSize(2);
            }
        }
    }
}
