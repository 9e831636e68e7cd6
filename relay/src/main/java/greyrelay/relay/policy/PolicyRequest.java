package greyrelay.relay.policy;

import greyrelay.relay.address.Mailbox;
import java.util.EnumSet;

/** What a check is asked about, one record per phase. */
public sealed interface PolicyRequest {
    SessionFacts session();

    SessionNotes notes();

    Phase phase();

    /** A client connected; nothing has been said yet. */
    record Connect(SessionFacts session, SessionNotes notes) implements PolicyRequest {
        @Override
        public Phase phase() {
            return Phase.CONNECT;
        }
    }

    /**
     * MAIL FROM was given. {@code reversePath} is the path as sent (without brackets); {@code sender} is empty when it
     * is not valid syntax. {@code declaredSize} is the SIZE= parameter, if any.
     */
    record Mail(SessionFacts session, SessionNotes notes, String transactionId, String reversePath,
            java.util.Optional<greyrelay.relay.address.Sender> sender, java.util.OptionalLong declaredSize) implements PolicyRequest {
        @Override
        public Phase phase() {
            return Phase.MAIL;
        }
    }

    /**
     * RCPT TO for one recipient. {@code recipientText} is the path exactly as given; {@code recipient} is set when
     * it parsed as a plain mailbox. {@code exemptions} starts with the session's and collects what whitelists grant.
     */
    record Rcpt(SessionFacts session, SessionNotes notes, Transaction tx, String recipientText, Mailbox recipient,
            EnumSet<Exemption> exemptions) implements PolicyRequest {
        @Override
        public Phase phase() {
            return Phase.RCPT;
        }

        public boolean exempt(Exemption e) {
            return exemptions.contains(e);
        }
    }

    /** End of DATA: the whole message has been read (and drained) into the spool's temporary file. */
    record Data(SessionFacts session, SessionNotes notes, Transaction tx, MessageFacts message) implements PolicyRequest {
        @Override
        public Phase phase() {
            return Phase.DATA;
        }
    }
}
