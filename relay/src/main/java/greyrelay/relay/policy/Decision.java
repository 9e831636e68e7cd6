package greyrelay.relay.policy;

import java.time.Instant;

/** One final (or, in observe mode, would-be) decision about one recipient: the unit of the decision log. */
public record Decision(
        Instant at,
        String sessionId,
        String transactionId,
        Phase phase,
        String check,
        Outcome outcome,
        boolean observe,
        Reply reply,
        String reason,
        String client,
        String helo,
        String sender,
        String recipient,
        String queueId,
        Origin origin) {

    public enum Outcome { ACCEPTED, DEFERRED, REJECTED, DISCONNECTED }
}
