package greyrelay.relay.postfixpolicy;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.SmtpConfig;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.MessageFacts;
import greyrelay.relay.policy.Origin;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Recipient;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.smtp.AuthenticationResults;
import greyrelay.relay.text.SafeText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One policy connection's state and its answers. Postfix sends the requests of one SMTP session after another on a
 * connection, and the requests of one message carry the same {@code instance}: they share one {@link Transaction}
 * (so the recipients accepted at RCPT are the message's at END-OF-MESSAGE, and a message is counted once), one set of
 * session notes (whitelist exemptions, DNS list answers) and the connect and MAIL verdicts, asked once. A new
 * {@code instance} starts a new message; only the current one is kept, so memory stays bounded per connection.
 *
 * <ul>
 *   <li>{@code protocol_state=RCPT}: the connect checks and the MAIL checks (once per message), then the RCPT checks
 *       for this recipient;</li>
 *   <li>{@code END-OF-MESSAGE}: the end-of-data checks with the message's recipients (the null sender's greylisting);</li>
 *   <li>any other state: {@code DUNNO}, nothing is checked there.</li>
 * </ul>
 * Confined to the connection's thread.
 */
final class PolicyConversation {
    private static final Logger log = LoggerFactory.getLogger(PolicyConversation.class);
    private static final int MAX_INSTANCE = 64;
    private static final String X_GREYLIST = "X-Greylist";
    private static final String AUTHENTICATION_RESULTS = "Authentication-Results";

    /** A request we cannot turn into facts: answered with {@code policy.onError}, the connection stays. */
    static final class Undecidable extends Exception {
        Undecidable(String why) {
            super(why);
        }
    }

    private final Pipeline pipeline;
    private final Actions actions;
    private final Clock clock;
    private final Supplier<String> ids;
    private final String authservId;
    private Message current;

    /** @param authservId our host name ({@code smtp.hostname}), the authserv-id of {@code Authentication-Results} */
    PolicyConversation(Pipeline pipeline, Actions actions, Clock clock, Supplier<String> ids, String authservId) {
        this.authservId = authservId;
        this.pipeline = pipeline;
        this.actions = actions;
        this.clock = clock;
        this.ids = ids;
    }

    /** The state of one message (one {@code instance}). */
    private static final class Message {
        final String instance;
        final SessionFacts facts;
        final SessionNotes notes = new SessionNotes();
        final Transaction tx;
        final Set<String> prepended = new HashSet<>();
        Verdict early; // the connect or MAIL refusal, answered to every recipient of the message

        Message(String instance, SessionFacts facts, Transaction tx) {
            this.instance = instance;
            this.facts = facts;
            this.tx = tx;
        }
    }

    /** The action for one request (without {@code action=}). */
    String answer(Map<String, String> a) throws Undecidable {
        if (!"smtpd_access_policy".equals(a.get("request"))) {
            throw new Undecidable("request=" + SafeText.printable(String.valueOf(a.get("request"))) + " is not smtpd_access_policy");
        }
        String state = a.getOrDefault("protocol_state", "").toUpperCase(Locale.ROOT);
        return switch (state) {
            case "RCPT" -> rcpt(a);
            case "END-OF-MESSAGE" -> endOfMessage(a);
            default -> Actions.DUNNO;
        };
    }

    private String rcpt(Map<String, String> a) throws Undecidable {
        Message m = message(a);
        if (m.early != null) return actions.refuse(m.early);
        String text = a.getOrDefault("recipient", "");
        Mailbox mailbox = Mailbox.parse(text).orElse(null);
        EnumSet<Exemption> exemptions = EnumSet.noneOf(Exemption.class);
        exemptions.addAll(m.notes.exemptions());
        Verdict v = pipeline.rcpt(new PolicyRequest.Rcpt(m.facts, m.notes, m.tx, text, mailbox, exemptions));
        if (!passes(v)) return actions.refuse(v);
        if (mailbox == null) return Actions.DUNNO; // Postfix's to judge; we have no triplet for it
        m.tx.addRecipient(new Recipient(mailbox, exemptions));
        pipeline.recorder().passed(m.facts, m.tx, mailbox.address());
        return actions.pass(nextHeader(m));
    }

    /**
     * Postfix takes one PREPEND per answer: the message's trace headers not sent yet, one per passing recipient (a
     * message of one recipient gets only the first), each at most once per message: {@code X-Greylist} first, then
     * the checks' headers in order ({@code Received-SPF}), then {@code Authentication-Results} with the results the
     * checks collected (SPF, sender verification), as the SMTP listener writes it (our {@code smtp.hostname} as
     * authserv-id), unfolded to the one line an action is.
     */
    private Optional<String> nextHeader(Message m) {
        List<Map.Entry<String, String>> candidates = new ArrayList<>(m.tx.headersInOrder());
        candidates.sort(Comparator.comparing(h -> !h.getKey().equalsIgnoreCase(X_GREYLIST))); // stable: the rest keep their order
        AuthenticationResults.headerValue(authservId, m.tx.authResults())
                .ifPresent(v -> candidates.add(Map.entry(AUTHENTICATION_RESULTS, v.replace("\r\n\t", " "))));
        var pick = candidates.stream().filter(h -> !m.prepended.contains(h.getKey())).findFirst();
        pick.ifPresent(h -> m.prepended.add(h.getKey()));
        return pick.map(h -> h.getKey() + ": " + h.getValue());
    }

    private String endOfMessage(Map<String, String> a) throws Undecidable {
        Message m = message(a);
        if (m.early != null) return actions.refuse(m.early);
        if (m.tx.recipients().isEmpty()) {
            // only asked at end of data (or the RCPT requests went elsewhere): the recipient Postfix names, if one
            Mailbox.parse(a.getOrDefault("recipient", "")).ifPresent(r -> m.tx.addRecipient(new Recipient(r, m.notes.exemptions())));
        }
        long size = parseSize(a.get("size")).orElse(0L);
        Verdict v = pipeline.data(new PolicyRequest.Data(m.facts, m.notes, m.tx, new MessageFacts(size, false, 0, false)));
        return passes(v) ? Actions.DUNNO : actions.refuse(v); // Postfix cannot PREPEND at end of data
    }

    private static boolean passes(Verdict v) {
        return v instanceof Verdict.Continue || v instanceof Verdict.Accept;
    }

    /** The message this request belongs to: the current one when the instance matches, else a new one. */
    private Message message(Map<String, String> a) throws Undecidable {
        String instance = a.getOrDefault("instance", "");
        if (current != null && !instance.isEmpty() && current.instance.equals(instance)) return current;
        InetAddress client = clientAddress(a.get("client_address"));
        String sender = a.getOrDefault("sender", "");
        Optional<Sender> parsed = Sender.parse(sender);
        String sessionId = "P" + ids.get() + (instance.isEmpty() ? "" : "-" + SafeText.printable(cut(instance)));
        String helo = a.getOrDefault("helo_name", "");
        boolean tls = !a.getOrDefault("encryption_protocol", "").isEmpty();
        SessionFacts facts = new SessionFacts(sessionId, client, parsePort(a.get("client_port")),
                helo.isEmpty() ? Optional.empty() : Optional.of(helo), tls, clock.instant(), Origin.POLICY);
        Optional<Long> declared = parseSize(a.get("size"));
        OptionalLong size = declared.isPresent() && declared.get() > 0 ? OptionalLong.of(declared.get()) : OptionalLong.empty();
        String txId = sessionId + ".1";
        Message m = new Message(instance, facts, new Transaction(txId, parsed.orElse(Sender.NULL), size));
        current = m;
        Verdict v = pipeline.connect(new PolicyRequest.Connect(facts, m.notes));
        if (passes(v)) v = pipeline.mail(new PolicyRequest.Mail(facts, m.notes, txId, sender, parsed, size));
        if (passes(v) && parsed.isEmpty()) {
            // Postfix accepted a sender our syntax refuses (and no check said so): not ours to judge, nothing to key on
            log.info("{}: sender <{}> is not an address we can check: DUNNO", txId, SafeText.printable(sender));
            v = new Verdict.Accept("sender not checkable");
        }
        if (!passes(v) || parsed.isEmpty()) m.early = v; // answered to every recipient of the message
        return m;
    }

    private static String cut(String s) {
        return s.length() <= MAX_INSTANCE ? s : s.substring(0, MAX_INSTANCE);
    }

    /** An IP literal only: never a DNS lookup. */
    private static InetAddress clientAddress(String text) throws Undecidable {
        if (text == null || !SmtpConfig.isIpLiteral(text)) {
            throw new Undecidable("client_address " + SafeText.printable(String.valueOf(text)) + " is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new Undecidable("client_address " + SafeText.printable(text) + " is not an IP address");
        }
    }

    private static int parsePort(String text) {
        if (text == null || text.isEmpty() || text.length() > 5) return 0; // absent (older Postfix): no exception per request
        try {
            int p = Integer.parseInt(text);
            return p >= 0 && p <= 65535 ? p : 0;
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }

    private static Optional<Long> parseSize(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) return Optional.empty();
        try {
            long v = Long.parseLong(text);
            return v >= 0 ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
