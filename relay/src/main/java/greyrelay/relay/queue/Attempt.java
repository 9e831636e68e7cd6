package greyrelay.relay.queue;

import java.time.Instant;
import java.util.Map;

/** What happened to a queued message this round, as {@link QueuePolicy#decide} takes it. {@code at} is the clock after it. */
sealed interface Attempt {
    Instant at();

    /**
     * The downstream was asked. {@code results} has an answer for each recipient it was asked about, by address; a pending
     * recipient without one was not part of this attempt and stays as it is (so how recipients are grouped into
     * conversations is no concern of the policy).
     */
    record Tried(Map<String, DeliveryResult> results, Instant at) implements Attempt {
        public Tried {
            results = Map.copyOf(results);
        }
    }

    /** Not tried: the message's lifetime was over ({@link QueuePolicy#expired}). */
    record Expired(Instant at) implements Attempt {}

    /** An administrator gave up on the pending recipients; {@code reply} is what the DSN tells the sender. */
    record Returned(String reply, Instant at) implements Attempt {
        /** The reply for an administrator's reason: control characters become spaces, at most 200 characters of it. */
        static Returned byAdministrator(String reason, Instant at) {
            return new Returned("5.0.0 Returned to the sender by the mail administrator"
                    + (reason == null || reason.isBlank() ? "" : ": " + oneLine(reason.strip(), 200)), at);
        }

        private static String oneLine(String s, int max) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < s.length() && out.length() < max; i++) {
                char c = s.charAt(i);
                out.append(c < 0x20 || c == 0x7f ? ' ' : c);
            }
            return out.toString();
        }
    }
}
