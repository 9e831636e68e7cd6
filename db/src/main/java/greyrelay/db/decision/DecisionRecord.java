package greyrelay.db.decision;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * One final policy decision, as one {@code decision_log} row.
 *
 * <p>Validated at the boundary: remote text (reply text, HELO, addresses) is data from strangers, so instead of
 * failing the insert it is cut to its column's length, never inside a surrogate pair, and NUL characters (which
 * PostgreSQL refuses in text) become U+FFFD. {@code decidedAt} is cut to microseconds, the precision both databases
 * store, so a record read back equals the one written. Escaping for display is the reader's job.
 *
 * @param id            database id; null before the record is stored
 * @param phase         the SMTP phase, e.g. {@code RCPT}
 * @param checkName     the check that decided, e.g. {@code greylist}
 * @param observe       the check ran in observe mode: this is what it would have answered
 * @param replyCode     the SMTP reply code sent (or that would have been sent); null when there was none
 * @param transactionId {@code <session>.<n>}; null for decisions before MAIL
 * @param origin        how the request arrived: {@code smtp} (our listener) or {@code policy} (Postfix's policy
 *                      delegation protocol)
 */
public record DecisionRecord(
        Long id,
        Instant decidedAt,
        String node,
        String sessionId,
        String transactionId,
        String phase,
        String checkName,
        Outcome outcome,
        boolean observe,
        Integer replyCode,
        String replyText,
        String reason,
        String clientIp,
        String helo,
        String sender,
        String recipient,
        String queueId,
        String origin) {

    public static final String SMTP = "smtp";
    public static final String POLICY = "policy";

    static final int MAX_ID_TEXT = 255;
    static final int MAX_REPLY_TEXT = 1000;
    static final int MAX_REASON = 1000;
    static final int MAX_CLIENT_IP = 64;
    static final int MAX_HELO = 255;
    static final int MAX_ADDRESS = 320;
    static final int MAX_QUEUE_ID = 64;

    public DecisionRecord {
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(checkName, "checkName");
        Objects.requireNonNull(outcome, "outcome");
        decidedAt = Columns.micros(decidedAt);
        // our own identifiers: unbounded columns, but a runaway value should not bloat every row
        node = Columns.clean(node, MAX_ID_TEXT);
        sessionId = Columns.clean(sessionId, MAX_ID_TEXT);
        transactionId = Columns.clean(transactionId, MAX_ID_TEXT);
        phase = Columns.clean(phase, MAX_ID_TEXT);
        checkName = Columns.clean(checkName, MAX_ID_TEXT);
        replyText = Columns.clean(replyText, MAX_REPLY_TEXT);
        reason = Columns.clean(reason, MAX_REASON);
        clientIp = Columns.clean(clientIp, MAX_CLIENT_IP);
        helo = Columns.clean(helo, MAX_HELO);
        sender = Columns.clean(sender, MAX_ADDRESS);
        recipient = Columns.clean(recipient, MAX_ADDRESS);
        queueId = Columns.clean(queueId, MAX_QUEUE_ID);
        if (origin == null) origin = SMTP;
        if (!origin.equals(SMTP) && !origin.equals(POLICY)) throw new IllegalArgumentException("origin: smtp or policy, not " + origin);
    }

    /** A decision made over SMTP. */
    public DecisionRecord(Long id, Instant decidedAt, String node, String sessionId, String transactionId, String phase,
            String checkName, Outcome outcome, boolean observe, Integer replyCode, String replyText, String reason,
            String clientIp, String helo, String sender, String recipient, String queueId) {
        this(id, decidedAt, node, sessionId, transactionId, phase, checkName, outcome, observe, replyCode, replyText, reason,
                clientIp, helo, sender, recipient, queueId, SMTP);
    }

    /** The same decision with the id the database gave it. */
    public DecisionRecord withId(long newId) {
        return new DecisionRecord(newId, decidedAt, node, sessionId, transactionId, phase, checkName, outcome,
                observe, replyCode, replyText, reason, clientIp, helo, sender, recipient, queueId, origin);
    }
}
