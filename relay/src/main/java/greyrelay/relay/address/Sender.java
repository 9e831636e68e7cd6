package greyrelay.relay.address;

import java.util.Optional;

/** The reverse path of MAIL FROM: the null sender {@code <>} (bounces) or a mailbox. No check ever compares with "". */
public sealed interface Sender {
    Null NULL = new Null();

    record Null() implements Sender {
        @Override
        public String toString() {
            return "";
        }
    }

    record Address(Mailbox mailbox) implements Sender {
        @Override
        public String toString() {
            return mailbox.address();
        }
    }

    /** The form used in logs and headers, e.g. {@code <jane@example.com>} or {@code <>}. */
    default String bracketed() {
        return "<" + this + ">";
    }

    default Optional<Mailbox> asMailbox() {
        return this instanceof Address a ? Optional.of(a.mailbox()) : Optional.empty();
    }

    /** MAIL FROM syntax: "" is the null sender; otherwise a valid mailbox, or empty (→ 501 5.1.7). */
    static Optional<Sender> parse(String reversePath) {
        if (reversePath == null) return Optional.empty();
        if (reversePath.isEmpty()) return Optional.of(NULL);
        return Mailbox.parse(reversePath).map(Address::new);
    }
}
