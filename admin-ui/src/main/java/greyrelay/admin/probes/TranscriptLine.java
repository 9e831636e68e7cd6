package greyrelay.admin.probes;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a probe transcript as the probe page shows it: who said it ({@code client} for our {@code C: } lines,
 * {@code server} for the MX's {@code S: } lines, {@code note} for the relay's {@code -- } notes) and the text, made
 * {@link Visible}. The text came from a stranger's MX: the template prints it escaped, inside {@code <pre>}.
 */
public record TranscriptLine(String who, String text) {

    /** The stored transcript split into lines ({@code \n}; a stray {@code \r} is shown, not obeyed). */
    static List<TranscriptLine> of(String transcript) {
        if (transcript == null || transcript.isEmpty()) return List.of();
        List<TranscriptLine> out = new ArrayList<>();
        for (String raw : transcript.split("\n", -1)) {
            String who = raw.startsWith("C: ") ? "client" : raw.startsWith("S: ") ? "server" : raw.startsWith("-- ") ? "note" : "other";
            out.add(new TranscriptLine(who, Visible.line(raw)));
        }
        if (out.getLast().text().isEmpty()) out.removeLast();
        return out;
    }
}
