package greyrelay.relay.smtpclient;

import greyrelay.relay.text.SafeText;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded record of one SMTP conversation: {@code C: } lines the client sent, {@code S: } lines the server
 * sent, and {@code -- } notes (connected, TLS established, error). Message bodies are recorded only by size.
 *
 * <p>Every line is made printable and cut to {@value #MAX_LINE_CHARS} characters; after
 * {@value #MAX_LINES} lines a single {@code -- truncated} marker is added and later lines are dropped, except
 * error notes (at most a few per conversation), which explain how it ended. So a hostile peer cannot make a
 * transcript big. Not thread-safe: it belongs to the thread that runs the conversation.
 */
public final class Transcript {

    static final int MAX_LINE_CHARS = 512;
    static final int MAX_LINES = 200;
    private static final int MAX_ERROR_LINES_AFTER_TRUNCATION = 5;
    private static final Transcript NONE = new Transcript(false);

    private final boolean recording;
    private final List<String> lines = new ArrayList<>();
    private boolean truncated;
    private int errorsAfterTruncation;

    private Transcript(boolean recording) {
        this.recording = recording;
    }

    /** A new, empty transcript that records. */
    public static Transcript recording() {
        return new Transcript(true);
    }

    /** A transcript that records nothing (for deliveries where nobody reads it). */
    public static Transcript none() {
        return NONE;
    }

    public boolean isRecording() {
        return recording;
    }

    /** Adds a {@code -- } note of the caller's own, e.g. which MX host was chosen. */
    public void note(String text) {
        add("-- " + text);
    }

    void client(String line) {
        add("C: " + line);
    }

    void server(String line) {
        add("S: " + line);
    }

    void error(String text) {
        if (!recording) {
            return;
        }
        String line = cut("-- error: " + text);
        if (!truncated) {
            add(line);
        } else if (errorsAfterTruncation < MAX_ERROR_LINES_AFTER_TRUNCATION) {
            errorsAfterTruncation++;
            lines.add(line);
        }
    }

    /** The lines so far (an unmodifiable snapshot). */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines joined with newlines. */
    public String asText() {
        return String.join("\n", lines);
    }

    @Override
    public String toString() {
        return asText();
    }

    private void add(String line) {
        if (!recording || truncated) {
            return;
        }
        if (lines.size() >= MAX_LINES) {
            truncated = true;
            lines.add("-- truncated");
            return;
        }
        lines.add(cut(line));
    }

    private static String cut(String line) {
        String safe = SafeText.printable(line);
        if (safe.length() <= MAX_LINE_CHARS) {
            return safe;
        }
        int end = MAX_LINE_CHARS - 3;
        if (Character.isHighSurrogate(safe.charAt(end - 1))) {
            end--;
        }
        return safe.substring(0, end) + "...";
    }
}
