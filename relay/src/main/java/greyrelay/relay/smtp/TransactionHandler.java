package greyrelay.relay.smtp;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.MessageFacts;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Recipient;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.queue.Envelope;
import greyrelay.relay.queue.RecipientState;
import greyrelay.relay.queue.Spool;
import greyrelay.relay.queue.SpoolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One mail transaction (MAIL → RCPT… → DATA), created by the library at MAIL. It asks the pipeline at each step,
 * spools the message, and answers 250 only after the spool has committed it (fsync). Call order: {@link #mail},
 * {@link #recipient} (one per RCPT), {@link #beginData}, {@link #receive}, {@link #done}.
 */
final class TransactionHandler implements MessageHandler {
    private static final Logger log = LoggerFactory.getLogger(TransactionHandler.class);

    /** What to answer at the end of DATA, and whether to hang up after it. */
    record Outcome(Reply reply, boolean disconnect) {}

    private final Connection conn;
    private final SmtpServices services;
    private Transaction tx;
    private Spool.Incoming incoming;

    TransactionHandler(Connection conn, SmtpServices services) {
        this.conn = conn;
        this.services = services;
    }

    void mail(String path, OptionalLong declaredSize) throws RejectException {
        String txId = conn.nextTransactionId();
        MDC.put("tx", txId);
        Optional<Sender> sender = Sender.parse(path);
        SessionFacts facts = conn.facts();
        Verdict v = services.pipeline().mail(new PolicyRequest.Mail(facts, conn.notes, txId, path, sender, declaredSize));
        VerdictReplies.raise(v);
        if (sender.isEmpty()) throw VerdictReplies.reject(Replies.BAD_SENDER_SYNTAX); // no check refused it: still never accept
        tx = new Transaction(txId, sender.get(), declaredSize);
    }

    @Override
    public void from(String from) {
        throw new UnsupportedOperationException("MAIL is handled by Commands.Mail");
    }

    @Override
    public void recipient(String text) throws RejectException {
        Mailbox mailbox = resolve(text);
        EnumSet<greyrelay.relay.policy.Exemption> exemptions = EnumSet.noneOf(greyrelay.relay.policy.Exemption.class);
        exemptions.addAll(conn.notes.exemptions());
        Verdict v = services.pipeline().rcpt(new PolicyRequest.Rcpt(conn.facts(), conn.notes, tx, text, mailbox, exemptions));
        VerdictReplies.raise(v);
        if (mailbox == null) throw VerdictReplies.reject(Replies.relayDenied(text)); // fail closed
        tx.addRecipient(new Recipient(mailbox, exemptions));
    }

    /** The mailbox the path names ({@link Mailbox#forwardPath}), or null (then refused by the relay check). */
    private Mailbox resolve(String text) {
        return Mailbox.forwardPath(text, services.postmasterDomain()).orElse(null);
    }

    /** Before 354: make sure the spool can take the message. Returns a reply to refuse DATA with, or null. */
    Reply beginData() {
        try {
            incoming = services.spool().begin();
            return null;
        } catch (SpoolException e) {
            log.error("{}: cannot accept data: {}", tx.id(), e.getMessage());
            services.pipeline().recorder().decided(dataRequest(new MessageFacts(0, false, 0, false)), "spool",
                    new Verdict.Defer(Replies.LOCAL_PROBLEM, e.getMessage()), false);
            return Replies.LOCAL_PROBLEM;
        }
    }

    /** Reads the message into the spool, asks the DATA checks, commits. IOException = the client went away. */
    Outcome receive(InputStream data) throws IOException {
        GuardedOutput out = new GuardedOutput(incoming.out());
        MessageFacts facts;
        try {
            facts = new MessageReader(services.maxMessageSize(), services.dropHeaderField()).copy(data, out);
        } catch (IOException e) {
            incoming.abort();
            throw e;
        }
        long finalDot = System.nanoTime();
        if (out.failure != null) {
            incoming.abort();
            log.error("{}: spool write failed: {}", tx.id(), out.failure.toString());
            services.pipeline().recorder().decided(dataRequest(facts), "spool",
                    new Verdict.Defer(Replies.LOCAL_PROBLEM, "spool write failed: " + out.failure.getMessage()), false);
            return new Outcome(Replies.LOCAL_PROBLEM, false);
        }
        PolicyRequest.Data request = dataRequest(facts);
        Verdict v = services.pipeline().data(request);
        switch (v) {
            case Verdict.Defer d -> { incoming.abort(); return new Outcome(d.reply(), false); }
            case Verdict.Reject r -> { incoming.abort(); return new Outcome(r.reply(), false); }
            case Verdict.Disconnect d -> { incoming.abort(); return new Outcome(d.reply(), true); }
            case Verdict.Continue c -> { }
            case Verdict.Accept a -> { }
        }
        Instant now = services.clock().instant();
        String id = incoming.id().value();
        SessionFacts s = conn.facts();
        // Top to bottom: Authentication-Results, the checks' trace headers (Received-SPF, ...), our Received. RFC 7208
        // §9.1 puts Received-SPF above the receiver's Received; RFC 8601 makes Authentication-Results a trace field,
        // prepended the same way.
        List<String> trace = new ArrayList<>();
        AuthenticationResults.headerValue(services.hostname(), tx.authResults())
                .ifPresent(value -> trace.add("Authentication-Results: " + value));
        for (var h : tx.headersInOrder()) trace.add(h.getKey() + ": " + h.getValue());
        trace.add(ReceivedHeader.build(s.helo().orElse(null), s.clientAddress().getHostAddress(), services.hostname(),
                conn.protocol(), id, tx.recipients().size() == 1 ? tx.recipients().get(0).mailbox().address() : null,
                now.atZone(services.clock().getZone())));
        Envelope env = new Envelope(incoming.id(), tx.sender(),
                tx.recipients().stream().map(r -> RecipientState.pending(r.mailbox().address())).toList(),
                new Envelope.Arrival(now, new Envelope.Origin.Smtp(s.clientAddress().getHostAddress(), s.helo().orElse(null), s.sessionId()),
                        facts.size(), trace, services.node()),
                Envelope.Schedule.first(now, services.maxLifetime()));
        try {
            incoming.commit(env);
        } catch (SpoolException e) {
            log.error("{}: {}", tx.id(), e.getMessage());
            services.pipeline().recorder().decided(request, "spool", new Verdict.Defer(Replies.LOCAL_PROBLEM, e.getMessage()), false);
            return new Outcome(Replies.LOCAL_PROBLEM, false);
        }
        Reply ok = Replies.queued(id);
        services.metrics().endOfData(System.nanoTime() - finalDot);
        services.pipeline().recorder().accepted(s, tx, id, facts.size(), ok);
        services.queue().accept(env);
        return new Outcome(ok, false);
    }

    private PolicyRequest.Data dataRequest(MessageFacts facts) {
        return new PolicyRequest.Data(conn.facts(), conn.notes, tx, facts);
    }

    @Override
    public String data(InputStream data) {
        throw new UnsupportedOperationException("DATA is handled by Commands.Data");
    }

    @Override
    public void done() {
        if (incoming != null) incoming.abort(); // no-op once committed
        MDC.remove("tx");
    }

    /** Remembers the first spool write failure and swallows the rest, so the client's data is still drained. */
    private static final class GuardedOutput extends OutputStream {
        private final OutputStream out;
        IOException failure;

        GuardedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            if (failure != null) return;
            try {
                out.write(b);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure != null) return;
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
