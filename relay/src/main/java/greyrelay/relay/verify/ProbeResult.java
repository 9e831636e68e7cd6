package greyrelay.relay.verify;

import greyrelay.relay.smtpclient.ServerReply;
import java.util.Objects;
import java.util.Optional;

/**
 * What one probe found. Callers {@code switch} over it; no case throws, none hides behind an exception.
 *
 * <p>Only {@link Undeliverable} ever says an address is bad, and only because the sender's own MX refused it with a
 * 5xx at RCPT. A 4xx from that MX ({@link Unknown}), any failure to finish ({@link TempFail}) and our own budget
 * ({@link Throttled}) say nothing about the address.
 */
public sealed interface ProbeResult {

    /** The name stored in the probe log and used as the metric tag. */
    String outcome();

    /** The server's reply that decided (2xx or 5xx at RCPT) or was the last word (a 4xx); empty when none did. */
    default Optional<ServerReply> serverReply() {
        return switch (this) {
            case Deliverable d -> Optional.of(d.reply());
            case Undeliverable u -> Optional.of(u.reply());
            case Unknown u -> Optional.of(u.reply());
            default -> Optional.empty();
        };
    }

    /** In one line for the cache and the history: the reply's text, or why no reply decided; empty for a null MX. */
    default Optional<String> detail() {
        return switch (this) {
            case Deliverable d -> Optional.of(d.reply().text());
            case Undeliverable u -> Optional.of(u.reply().text());
            case Unknown u -> Optional.of(u.reply().text());
            case Unverifiable u -> Optional.of(u.why());
            case NoSuchDomain n -> Optional.of(n.why());
            case TempFail t -> Optional.of(t.why());
            case Throttled t -> Optional.of(t.why());
            case NullMx n -> Optional.empty();
        };
    }

    /** 2xx to RCPT: bounces to this address would be accepted. */
    record Deliverable(ServerReply reply) implements ProbeResult {
        public Deliverable {
            Objects.requireNonNull(reply, "reply");
        }

        @Override
        public String outcome() {
            return "DELIVERABLE";
        }
    }

    /** 5xx to RCPT from the sender domain's MX. */
    record Undeliverable(ServerReply reply) implements ProbeResult {
        public Undeliverable {
            Objects.requireNonNull(reply, "reply");
        }

        @Override
        public String outcome() {
            return "UNDELIVERABLE";
        }
    }

    /** The MX answered our probe with 4xx (greylists probes, busy): unknown, never invalid; probe again later. */
    record Unknown(ServerReply reply, String why) implements ProbeResult {
        public Unknown {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String outcome() {
            return "UNKNOWN";
        }
    }

    /**
     * Nothing can be verified: the MX refuses both the null sender and postmaster@, or the address cannot go on the
     * wire (not a plain ASCII {@code local@domain}).
     */
    record Unverifiable(String why) implements ProbeResult {
        public Unverifiable {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String outcome() {
            return "UNVERIFIABLE";
        }
    }

    /** NXDOMAIN, or neither MX nor address: the domain cannot receive bounces. */
    record NoSuchDomain(String why) implements ProbeResult {
        @Override
        public String outcome() {
            return "NO_SUCH_DOMAIN";
        }
    }

    /** RFC 7505 null MX. */
    record NullMx() implements ProbeResult {
        @Override
        public String outcome() {
            return "NULL_MX";
        }
    }

    /**
     * The probe could not finish: DNS failure, no MX reachable, a timeout, a broken or hostile peer.
     *
     * @param timedOut a deadline ended it (an inline probe with short deadlines is then re-run in the background)
     */
    record TempFail(String why, boolean timedOut) implements ProbeResult {
        public TempFail {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String outcome() {
            return "TEMPFAIL";
        }
    }

    /** Our own per-MX-host budget left no host to ask. Not about the address; not cached. */
    record Throttled(String why) implements ProbeResult {
        @Override
        public String outcome() {
            return "THROTTLED";
        }
    }
}
