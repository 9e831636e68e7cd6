package greyrelay.relay.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/checks.md says what each row of {@link CheckTable} does; this keeps the two in step. Every row of a phase, on or
 * off, must be a row of that phase's table on the page, in the same order. The rows are read from CheckTable's source
 * (its {@code row("name", …)} lines under each phase's method), not from a built pipeline, so a row that is off with
 * the test settings cannot slip past.
 */
class ChecksDocumentedTest {
    private static final Path TABLE = Path.of("src/main/java/greyrelay/relay/checks/CheckTable.java");
    private static final Path DOC = Path.of("..", "docs", "checks.md");

    /** A phase's method in CheckTable, e.g. {@code private List<Row<Rcpt>> rcpt()}. */
    private static final Pattern PHASE_METHOD = Pattern.compile("List<Row<(Connect|Mail|Rcpt|Data)>>\\s+\\w+\\(\\)\\s*\\{");
    private static final Pattern ROW = Pattern.compile("\\brow\\(\\s*\"([a-z0-9-]+)\"");
    private static final Pattern DOC_ROW = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Connect, ## Connect", "Mail, ## MAIL FROM", "Rcpt, ## RCPT TO", "Data, ## End of DATA"})
    void every_check_of_the_table_is_on_the_page_in_table_order(String phase, String heading) throws IOException {
        List<String> table = tableRows().get(phase);
        assertThat(table).as("rows of CheckTable's %s phase", phase).isNotEmpty();
        assertThat(documentedRows(heading))
                .as("the table under \"%s\" in docs/checks.md must list CheckTable's %s rows, in order; a new or moved "
                        + "check needs its row on that page", heading, phase)
                .containsExactlyElementsOf(table);
    }

    /** Row names per phase, in source order. */
    static Map<String, List<String>> tableRows() throws IOException {
        String source = Files.readString(TABLE);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Matcher m = PHASE_METHOD.matcher(source);
        while (m.find()) {
            int end = source.indexOf("\n    }", m.end()); // the method's closing brace, at class-member indentation
            Matcher r = ROW.matcher(source.substring(m.end(), end));
            List<String> names = new ArrayList<>();
            while (r.find()) names.add(r.group(1));
            rows.put(m.group(1), names);
        }
        assertThat(rows.keySet()).as("phase methods found in CheckTable").containsExactly("Connect", "Mail", "Rcpt", "Data");
        return rows;
    }

    /** The check names of the table rows between this heading and the next heading of the same level. */
    static List<String> documentedRows(String heading) throws IOException {
        String doc = Files.readString(DOC);
        int at = doc.indexOf("\n" + heading + "\n");
        assertThat(at).as("heading \"%s\" in docs/checks.md", heading).isNotNegative();
        int end = doc.indexOf("\n## ", at + heading.length() + 1);
        Matcher m = DOC_ROW.matcher(doc.substring(at, end < 0 ? doc.length() : end));
        List<String> names = new ArrayList<>();
        while (m.find()) names.add(m.group(1));
        return names;
    }
}
