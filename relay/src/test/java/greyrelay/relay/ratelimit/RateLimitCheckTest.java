package greyrelay.relay.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.OpenConnections;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Exemptions and the all-or-nothing takes of the rate-limit checks (the limits themselves: RateLimitIT). */
class RateLimitCheckTest {
    final TestClock clock = new TestClock();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final RateLimiter limiter = RateLimiter.local(clock, 1000);
    final RateLimitPolicy policy = new RateLimitPolicy(RateLimitPolicyTest.config());
    final Overrides overrides = new Overrides(List::of, clock, Duration.ofSeconds(30), metrics);

    static SessionFacts session(String ip) throws Exception {
        return new SessionFacts("s1", InetAddress.getByName(ip), 40000, Optional.of("client.example.org"), false, Instant.EPOCH);
    }

    static PolicyRequest.Rcpt rcpt(SessionNotes notes, Transaction tx, EnumSet<Exemption> exemptions) throws Exception {
        return new PolicyRequest.Rcpt(session("192.0.2.10"), notes, tx, "john@example.com", new Mailbox("john", "example.com"),
                exemptions);
    }

    static Transaction tx(String id) {
        return new Transaction(id, new Sender.Address(new Mailbox("jane", "example.org")), OptionalLong.empty());
    }

    @Test
    void a_recipient_exempt_from_rate_limits_takes_nothing_and_passes() throws Exception {
        var check = new RateLimitCheck(limiter, policy, overrides, metrics);
        SessionNotes notes = new SessionNotes();
        for (int i = 0; i < 1000; i++) {
            assertThat(check.evaluate(rcpt(notes, tx("s1." + i), EnumSet.of(Exemption.RATE_LIMITS)))).isEqualTo(Verdict.CONTINUE);
        }
        assertThat(limiter.size()).isZero();
        assertThat(check.evaluate(rcpt(notes, tx("s1.x"), EnumSet.noneOf(Exemption.class)))).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void a_session_exempt_at_connect_is_not_counted_by_the_connect_checks() throws Exception {
        var rate = new ConnectionRateCheck(limiter, policy, overrides, "mx.example.com", metrics);
        var counter = new OpenConnections() { // 50 open connections from the network, over its limit of 10
            @Override
            public int total() {
                return 50;
            }

            @Override
            public int of(InetAddress client) {
                return 50;
            }

            @Override
            public int inNetwork(InetAddress client, java.util.function.BiPredicate<InetAddress, InetAddress> sameNetwork) {
                return 50;
            }
        };
        var concurrency = new NetworkConnectionLimitCheck(counter, policy.network(), 10, "mx.example.com", metrics);
        SessionNotes exempt = new SessionNotes();
        exempt.exempt(Exemption.RATE_LIMITS);
        for (int i = 0; i < 50; i++) {
            assertThat(rate.evaluate(new PolicyRequest.Connect(session("192.0.2.10"), exempt))).isEqualTo(Verdict.CONTINUE);
        }
        assertThat(concurrency.evaluate(new PolicyRequest.Connect(session("192.0.2.10"), exempt))).isEqualTo(Verdict.CONTINUE);
        assertThat(concurrency.evaluate(new PolicyRequest.Connect(session("192.0.2.10"), new SessionNotes())))
                .isInstanceOf(Verdict.Disconnect.class);
        for (int i = 0; i < 10; i++) rate.evaluate(new PolicyRequest.Connect(session("192.0.2.10"), new SessionNotes()));
        assertThat(rate.evaluate(new PolicyRequest.Connect(session("192.0.2.10"), new SessionNotes())))
                .isInstanceOf(Verdict.Disconnect.class);
    }

    @Test
    void a_refusal_by_the_network_bucket_gives_the_address_bucket_its_token_back() throws Exception {
        // network: 50 connections a minute; address: 10. Fill the network from other addresses first.
        var rate = new ConnectionRateCheck(limiter, policy, overrides, "mx.example.com", metrics);
        for (int i = 0; i < 50; i++) rate.evaluate(new PolicyRequest.Connect(session("192.0.2." + (100 + i % 5)), new SessionNotes()));
        // the address bucket of .10 is full; each refusal by the network must not drain it
        for (int i = 0; i < 20; i++) {
            assertThat(rate.evaluate(new PolicyRequest.Connect(session("192.0.2.10"), new SessionNotes())))
                    .isInstanceOf(Verdict.Disconnect.class);
        }
        clock.advance(Duration.ofMinutes(1)); // the network refills: .10 still has all 10 of its own
        for (int i = 0; i < 10; i++) {
            assertThat(rate.evaluate(new PolicyRequest.Connect(session("192.0.2.10"), new SessionNotes()))).isEqualTo(Verdict.CONTINUE);
        }
    }
}
