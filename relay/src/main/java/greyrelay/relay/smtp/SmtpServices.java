package greyrelay.relay.smtp;

import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.queue.Envelope;
import greyrelay.relay.queue.Spool;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the SMTP layer needs from the rest of the relay.
 *
 * @param queue            told about every committed message, so delivery starts at once
 * @param dropHeaderField  given a whole incoming header field, true to remove it (forged trace headers)
 * @param postmasterDomain the domain a bare {@code <postmaster>} belongs to
 * @param metrics          sessions, TLS and end-of-DATA latency
 * @param node             {@code node.name}, written on every queued message
 */
public record SmtpServices(
        Pipeline pipeline,
        Spool spool,
        Consumer<Envelope> queue,
        Clock clock,
        String hostname,
        long maxMessageSize,
        Duration maxLifetime,
        Predicate<String> dropHeaderField,
        String postmasterDomain,
        SmtpMetrics metrics,
        String node) {}
