package greyrelay.relay.queue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/** A spool message id, like Postfix's long queue ids: sortable by arrival, safe as a file name. */
public record QueueId(String value) implements Comparable<QueueId> {
    private static final Pattern FORM = Pattern.compile("[0-9A-Z]{8,24}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    public QueueId {
        if (value == null || !FORM.matcher(value).matches()) throw new IllegalArgumentException("not a queue id: " + value);
    }

    /** Parses operator input (CLI, admin panel), case-insensitively. */
    public static QueueId parse(String text) {
        return new QueueId(text.trim().toUpperCase(Locale.ROOT));
    }

    static QueueId next(Instant now) {
        StringBuilder sb = new StringBuilder(Long.toString(now.toEpochMilli(), 36).toUpperCase(Locale.ROOT));
        while (sb.length() < 9) sb.insert(0, '0');
        // one draw of 63 bits for the six random digits (36^6 is about 2^31: no visible bias); SecureRandom is dear per call
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        long r = java.nio.ByteBuffer.wrap(bytes).getLong() >>> 1;
        for (int i = 0; i < 6; i++) {
            sb.append(DIGITS[(int) (r % DIGITS.length)]);
            r /= DIGITS.length;
        }
        return new QueueId(sb.toString());
    }

    @Override
    public int compareTo(QueueId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
