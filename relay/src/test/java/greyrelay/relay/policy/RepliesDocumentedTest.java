package greyrelay.relay.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/replies.md is the reply contract; {@link Replies} is its code. Every public member of {@code Replies} must have
 * a row on the page that names it ({@code `Replies.relayDenied`}) and shows its exact reply in a code span, its
 * arguments written as placeholders ({@code `554 5.7.1 <rcpt>: Relay access denied`}); and every {@code Replies.…} the
 * page names must exist. So a reworded reply, a new one or a removed one changes the page in the same commit.
 */
class RepliesDocumentedTest {
    private static final Path DOC = Path.of("..", "docs", "replies.md");
    /** What a placeholder may be: one word of the page without blanks or backticks ({@code <rcpt>}, {@code N}, {@code ip}). */
    private static final String PLACEHOLDER = "[^\\s`]+";
    private static final String CUT = "\u0000";

    @Test
    void every_reply_of_the_contract_is_on_the_page_with_its_exact_text() throws Exception {
        String doc = Files.readString(DOC);
        List<String> missing = new ArrayList<>();
        int members = 0;
        for (Field f : Replies.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Reply.class) continue;
            members++;
            check(doc, f.getName(), ((Reply) f.get(null)).line(), List.of(), missing);
        }
        for (Method m : Replies.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != Reply.class) continue;
            members++;
            List<String> markers = new ArrayList<>();
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) args[i] = argument(m.getParameterTypes()[i], i, markers, m);
            check(doc, m.getName(), ((Reply) m.invoke(null, args)).line(), markers, missing);
        }
        assertThat(members).as("members of Replies").isGreaterThan(25);
        assertThat(missing).as("replies missing from docs/replies.md (add a row: reply in backticks, `Replies.name`)").isEmpty();
    }

    @Test
    void every_reply_the_page_names_exists() throws Exception {
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("`Replies\\.(\\w+)`").matcher(Files.readString(DOC));
        while (m.find()) named.add(m.group(1));
        Set<String> members = new TreeSet<>();
        for (Field f : Replies.class.getFields()) members.add(f.getName());
        for (Method x : Replies.class.getMethods()) if (Modifier.isStatic(x.getModifiers())) members.add(x.getName());
        assertThat(named).as("`Replies.…` names in docs/replies.md").isNotEmpty();
        assertThat(members).as("members of Replies named in docs/replies.md").containsAll(named);
    }

    /** One line of the page (a table row) must name the member and show its reply, each argument as a placeholder. */
    private static void check(String doc, String name, String line, List<String> markers, List<String> missing) {
        String cut = line;
        for (String marker : markers) cut = cut.replace(marker, CUT);
        StringBuilder regex = new StringBuilder("`");
        String[] parts = cut.split(CUT, -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) regex.append(PLACEHOLDER);
            regex.append(Pattern.quote(parts[i]));
        }
        regex.append('`');
        Pattern reply = Pattern.compile(regex.toString());
        String named = "`Replies." + name + "`";
        boolean found = doc.lines().anyMatch(row -> row.contains(named) && reply.matcher(row).find());
        if (!found) missing.add(named + " with `" + line + "`");
    }

    /** An argument whose rendering in the reply can be found again, and replaced by the page's placeholder. */
    private static Object argument(Class<?> type, int i, List<String> markers, Method m) throws Exception {
        if (type == String.class) {
            String s = "ARG" + i + "MARK";
            markers.add(s);
            return s;
        }
        if (type == long.class) {
            markers.add("98765432" + i);
            return Long.parseLong("98765432" + i);
        }
        if (type == int.class) {
            markers.add("8765432" + i);
            return Integer.parseInt("8765432" + i);
        }
        if (type == InetAddress.class) {
            InetAddress a = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) (200 + i)}); // RFC 5737
            markers.add(a.getHostAddress());
            return a;
        }
        return fail("Replies.%s takes a %s: teach this test how to write one", m.getName(), type.getSimpleName());
    }
}
