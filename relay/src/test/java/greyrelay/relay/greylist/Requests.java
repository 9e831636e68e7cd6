package greyrelay.relay.greylist;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.MessageFacts;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Recipient;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.testing.TestClock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/** Policy requests as the SMTP layer builds them, for check tests: one session per client, one transaction each. */
final class Requests {
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private Requests() {}

    /** One client connection. */
    static final class Session {
        final SessionFacts facts;
        final SessionNotes notes = new SessionNotes();
        private int transactions;

        Session(String ip) {
            facts = new SessionFacts("S" + SESSIONS.incrementAndGet(), IpNetwork.literal(ip), 40000,
                    Optional.of("client.example.org"), false, TestClock.START);
        }

        Transaction mail(String sender) {
            return new Transaction(facts.sessionId() + "." + (++transactions), Sender.parse(sender).orElseThrow(), OptionalLong.empty());
        }

        PolicyRequest.Rcpt rcpt(Transaction tx, String recipient, Exemption... exemptions) {
            EnumSet<Exemption> ex = EnumSet.noneOf(Exemption.class);
            ex.addAll(notes.exemptions());
            for (Exemption e : exemptions) ex.add(e);
            return new PolicyRequest.Rcpt(facts, notes, tx, recipient, Mailbox.parse(recipient).orElseThrow(), ex);
        }

        /** A whole RCPT: a new transaction from {@code sender} to {@code recipient}. */
        PolicyRequest.Rcpt rcpt(String sender, String recipient, Exemption... exemptions) {
            return rcpt(mail(sender), recipient, exemptions);
        }

        /** End of DATA of {@code tx}, its recipients accepted with the given exemptions. */
        PolicyRequest.Data data(Transaction tx, String... recipients) {
            for (String r : recipients) {
                EnumSet<Exemption> ex = EnumSet.noneOf(Exemption.class);
                ex.addAll(notes.exemptions());
                tx.addRecipient(new Recipient(Mailbox.parse(r).orElseThrow(), ex));
            }
            return new PolicyRequest.Data(facts, notes, tx, new MessageFacts(100, false, 0, false));
        }
    }
}
