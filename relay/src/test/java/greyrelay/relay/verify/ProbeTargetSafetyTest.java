package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.ScriptedMx;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay is no port scanner: a forged sender domain whose MX points into a refused network (verification.refusedTargets)
 * is never connected to. Every address DNS gives is routed to a listening scripted MX, so a connection attempt would be
 * seen; with {@code refusedTargets: []} the same probe goes through.
 */
class ProbeTargetSafetyTest {
    static final String JANE = "jane@forged.example";
    /** The shipped default, set again over the test rig's {@code refusedTargets: []}. */
    static final String DEFAULTS = "verification: {refusedTargets: ["
            + String.join(", ", greyrelay.relay.config.VerificationConfig.DEFAULT_REFUSED_TARGETS.stream().map(n -> "\"" + n + "\"").toList())
            + "]}";

    @TempDir
    Path dir;
    VerifyRig rig;

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("127.0.0.1"), Arguments.of("127.9.9.9"), Arguments.of("0.0.0.1"), Arguments.of("169.254.169.254"),
                Arguments.of("10.0.0.7"), Arguments.of("172.16.5.5"), Arguments.of("172.31.255.254"), Arguments.of("192.168.1.1"),
                Arguments.of("100.64.0.1"), Arguments.of("224.0.0.1"), Arguments.of("240.0.0.1"), Arguments.of("255.255.255.255"),
                Arguments.of("::1"), Arguments.of("::"), Arguments.of("fe80::1"), Arguments.of("fc00::1"), Arguments.of("fd12:3456::1"),
                Arguments.of("fec0::1"), Arguments.of("ff02::1"),
                // IPv6 forms that reach a refused IPv4 host
                Arguments.of("::ffff:127.0.0.1"), Arguments.of("::ffff:10.0.0.7"), Arguments.of("::192.168.1.1"),
                Arguments.of("64:ff9b::a00:7"), Arguments.of("64:ff9b::169.254.169.254"));
    }

    /** The key {@link ScriptedMx#routing} looks the target up by: the address as DNS answered it. */
    static String key(String literal) throws Exception {
        byte[] b = literal.contains(":") ? org.xbill.DNS.Address.toByteArray(literal, org.xbill.DNS.Address.IPv6)
                : InetAddress.getByName(literal).getAddress();
        return (b.length == 16 ? Inet6Address.getByAddress(null, b, null) : InetAddress.getByAddress(b)).getHostAddress();
    }

    ScriptedMx mxAt(String literal) throws Exception {
        ScriptedMx mx = ScriptedMx.start();
        rig.servers.add(mx);
        if (literal.contains(":")) {
            rig.dns.mx("forged.example", 10, "mx.forged.example").aaaa("mx.forged.example", literal);
        } else {
            rig.dns.mx("forged.example", 10, "mx.forged.example").a("mx.forged.example", literal);
        }
        rig.mxByIp.put(key(literal), mx);
        return mx;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void an_mx_in_a_refused_network_is_never_connected_to_and_the_sender_hears_451_4_4_3(String address) throws Exception {
        rig = new VerifyRig(dir, DEFAULTS, true);
        ScriptedMx mx = mxAt(address);

        Verdict v = rig.check(JANE);

        assertThat(v).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reply()).isEqualTo(Replies.senderVerificationTempFail(JANE)));
        rig.awaitIdle();
        assertThat(mx.connections()).as("no connection to " + address).isZero();
        List<ProbeRecord> history = rig.probes(ProbeQuery.newest(5).withAddressContains(JANE));
        assertThat(history).extracting(ProbeRecord::outcome).containsExactly("TEMPFAIL");
        assertThat(history.getFirst().replyText()).contains("refused target");
        assertThat(history.getFirst().transcript()).contains("refused target ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void with_no_refused_targets_the_same_probe_goes_through(String address) throws Exception {
        rig = new VerifyRig(dir, "verification: {refusedTargets: []}", true);
        ScriptedMx mx = mxAt(address);

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void a_refused_address_is_skipped_like_an_unreachable_one_and_the_next_mx_decides() throws Exception {
        rig = new VerifyRig(dir, DEFAULTS);
        ScriptedMx inside = ScriptedMx.start();
        rig.servers.add(inside);
        rig.dns.mx("forged.example", 10, "mx1.forged.example").a("mx1.forged.example", "192.168.0.25");
        rig.mxByIp.put("192.168.0.25", inside);
        ScriptedMx outside = rig.mx("forged.example", "mx2.forged.example", 20, "192.0.2.25");

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);

        assertThat(inside.connections()).isZero();
        assertThat(outside.connections()).isEqualTo(1);
        rig.awaitIdle();
        assertThat(rig.probes(ProbeQuery.newest(5).withAddressContains(JANE)).getFirst().transcript())
                .contains("refused target 192.168.0.25");
    }

    @Test
    void this_hosts_own_addresses_are_refused_unless_the_list_is_empty() throws Exception {
        InetAddress own = RefusedTargets.ownAddresses().getFirst();
        RefusedTargets refused = RefusedTargets.of(List.of(greyrelay.db.net.IpNetwork.parse("198.51.100.0/24")),
                RefusedTargets.ownAddresses());
        assertThat(refused.refusing(own)).isPresent();
        assertThat(refused.refusing(InetAddress.getByName("192.0.2.1"))).isEmpty();
        assertThat(RefusedTargets.of(List.of(), RefusedTargets.ownAddresses()).refusing(own)).isEmpty();
    }
}
