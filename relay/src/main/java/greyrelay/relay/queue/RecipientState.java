package greyrelay.relay.queue;

import java.time.Instant;

/**
 * Delivery state of one recipient of a queued message. Only {@link Status#PENDING} recipients are tried again;
 * a partial 4xx/5xx from the downstream touches only the recipients it was about.
 */
public record RecipientState(String address, Status status, int attempts, String lastReply, Instant lastAttempt) {
    public enum Status { PENDING, DELIVERED, FAILED }

    public static RecipientState pending(String address) {
        return new RecipientState(address, Status.PENDING, 0, null, null);
    }

    public RecipientState attempted(Status newStatus, String reply, Instant at) {
        return new RecipientState(address, newStatus, attempts + 1, reply, at);
    }
}
