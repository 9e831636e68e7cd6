package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.relay.testing.CapturedLog;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * PROXY protocol over real sockets. The load balancer is whoever the TCP connection comes from (loopback here): when
 * it is in {@code smtp.proxyProtocolTrusted} the header's client address is the client's for everything; when it is
 * not, the header is refused before the banner with {@code 421 4.7.0}, the connection is closed, and the log names the
 * real peer, never the address the header claims; no check runs and no decision is recorded for the claimed client.
 */
class ProxyProtocolIT {
    @TempDir
    Path dir;

    RelayHarness h;
    final CapturedLog captured = new CapturedLog();

    @BeforeEach
    void capture() {
        captured.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        captured.start();
        root().addAppender(captured);
    }

    @AfterEach
    void release() {
        root().detachAppender(captured);
        captured.stop();
        if (h != null) h.close();
    }

    static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** A PROXY header claiming {@link Examples#CLIENT_IP} as the client, in protocol version 1 or 2. */
    static byte[] header(String version) throws Exception {
        if (version.equals("v1")) {
            return ("PROXY TCP4 " + Examples.CLIENT_IP + " 127.0.0.1 40000 25\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.write(0x21); // version 2, command PROXY
        b.write(0x11); // TCP over IPv4
        b.write(new byte[] {0, 12}); // address block length
        b.write(InetAddress.getByName(Examples.CLIENT_IP).getAddress());
        b.write(InetAddress.getLoopbackAddress().getAddress());
        b.write(new byte[] {(byte) (40000 >> 8), (byte) (40000 & 0xff), 0, 25});
        return b.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v1", "v2"})
    void a_proxy_header_from_an_untrusted_peer_is_refused_with_421_and_the_connection_closed(String version) throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                  proxyProtocolTrusted: [198.51.100.0/24]
                greylist:
                  enabled: false
                """);
        try (SmtpConversation c = SmtpConversation.open(h.smtpPort())) {
            c.raw(header(version));
            c.expect("421 4.7.0 " + Examples.RELAY_HOSTNAME + " Error: PROXY header not accepted from [127.0.0.1]");
            assertThat(c.isClosedByServer()).isTrue();
        }
        List<String> lines = captured.messages();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("refused [127.0.0.1]:")
                .endsWith(": a PROXY " + version + " header from a peer outside smtp.proxyProtocolTrusted"));
        assertThat(lines).noneMatch(l -> l.contains(Examples.CLIENT_IP));
        h.relay.decisions().flush();
        assertThat(new DecisionLog(h.relay.database()).search(DecisionQuery.newest(10))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v1", "v2"})
    void a_proxy_header_from_a_trusted_peer_makes_its_client_the_client(String version) throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                greylist:
                  enabled: false
                """); // the harness trusts loopback
        try (SmtpConversation c = SmtpConversation.open(h.smtpPort())) {
            c.raw(header(version));
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("via the balancer " + version)).code()).isEqualTo(250);
            c.send("QUIT").expect(221);
        }
        List<DecisionRecord> rows = AbuseDecisions.awaitRow(h, r -> "queue".equals(r.checkName()));
        assertThat(rows).filteredOn(r -> "queue".equals(r.checkName())).singleElement()
                .satisfies(r -> assertThat(r.clientIp()).isEqualTo(Examples.CLIENT_IP));
        h.deliverDue();
        assertThat(h.downstream.received()).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("Received: from " + HELO + " ([" + Examples.CLIENT_IP + "])"));
    }
}
