package greyrelay.relay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.config.Durations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole SMTP conversation kept as a text file (Postfix's {@code smtpd_check.in}/{@code .ref} habit), replayed
 * against a real relay: client lines are sent, every server line must come back exactly. The format is described in
 * {@code src/test/resources/transcripts/README.md}; in short:
 *
 * <pre>
 * # a comment
 * &#64;config greylist.enabled: false     relay settings over the test defaults (before the first &#64;connect)
 * &#64;dns txt fail.example.org v=spf1 -all
 * &#64;mx verify.example.org             an MX for the domain, a scripted server that accepts everything
 * &#64;mx verify.example.org next RCPT: 450 4.2.1 Mailbox busy
 * &#64;clock +6m                         moves the relay's clock
 * &#64;connect                           a new connection
 * S: 220 mx.example.com ESMTP greyrelay
 * C: EHLO mail.sender.example           one line, one write
 * P: MAIL FROM:&lt;jane@example.org&gt;      consecutive P: lines go in one write (pipelining)
 * S: 250 2.0.0 Ok: queued as &lt;QUEUE_ID&gt;  the one placeholder
 * </pre>
 *
 * Each connection must end with the relay closing it (after QUIT's 221, say); whatever the relay says that the file
 * does not list fails the replay.
 */
public final class GoldenTranscript {
    /** The one fuzzy spot: queue ids differ on every run. */
    public static final String QUEUE_ID = "<QUEUE_ID>";

    private static final String QUEUE_ID_PATTERN = "[0-9A-Z]+";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CONFIG = Pattern.compile("@config ([A-Za-z0-9.]+): (.+)");
    private static final Pattern DNS_TXT = Pattern.compile("@dns txt (\\S+) (.+)");
    private static final Pattern MX = Pattern.compile("@mx (\\S+)");
    private static final Pattern MX_NEXT = Pattern.compile("@mx (\\S+) next ([A-Z]+): (.+)");
    private static final Pattern CLOCK = Pattern.compile("@clock \\+(\\S+)");

    /** One line of the file, with its number for messages. */
    sealed interface Step {
        int line();

        record Config(int line, String path, String value) implements Step {}

        record DnsTxt(int line, String name, String text) implements Step {}

        record Mx(int line, String domain) implements Step {}

        record MxNext(int line, String domain, String verb, String reply) implements Step {}

        record Clock(int line, Duration by) implements Step {}

        record Connect(int line) implements Step {}

        /** Client lines sent in one write: one C: line, or a run of P: lines. */
        record Send(int line, List<String> lines) implements Step {}

        record Expect(int line, String text) implements Step {}
    }

    private final String name;
    private final List<Step> steps;

    private GoldenTranscript(String name, List<Step> steps) {
        this.name = name;
        this.steps = List.copyOf(steps);
    }

    public static GoldenTranscript read(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses the text; an unknown directive or a malformed line is an error, never a comment. */
    public static GoldenTranscript parse(String name, String text) {
        List<Step> steps = new ArrayList<>();
        List<String> pipelined = new ArrayList<>();
        int pipelinedFrom = 0;
        boolean connected = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String l = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (l.startsWith("P:")) {
                if (!connected) throw bad(name, n, "no @connect before this line");
                if (pipelined.isEmpty()) pipelinedFrom = n;
                pipelined.add(clientLine(name, n, l));
                continue;
            }
            if (!pipelined.isEmpty()) {
                steps.add(new Step.Send(pipelinedFrom, pipelined));
                pipelined = new ArrayList<>();
            }
            if (l.isBlank() || l.startsWith("#")) continue;
            if (l.startsWith("C:")) {
                steps.add(new Step.Send(n, List.of(clientLine(name, n, l))));
            } else if (l.startsWith("S: ")) {
                steps.add(new Step.Expect(n, l.substring(3)));
            } else if (l.equals("@connect")) {
                connected = true;
                steps.add(new Step.Connect(n));
            } else if (l.startsWith("@")) {
                Step s = directive(name, n, l);
                if (s instanceof Step.Config && connected) throw bad(name, n, "@config must come before the first @connect");
                steps.add(s);
            } else {
                throw bad(name, n, "a line starts with C:, P:, S:, @ or #: " + l);
            }
            if ((l.startsWith("C:") || l.startsWith("S: ")) && !connected) throw bad(name, n, "no @connect before this line");
        }
        if (!pipelined.isEmpty()) steps.add(new Step.Send(pipelinedFrom, pipelined));
        return new GoldenTranscript(name, steps);
    }

    /** {@code C: text} or {@code C:} alone for an empty line (the blank line after a message's header). */
    private static String clientLine(String name, int n, String l) {
        if (l.length() == 2) return "";
        if (l.charAt(2) != ' ') throw bad(name, n, "a space after " + l.substring(0, 2));
        return l.substring(3);
    }

    private static Step directive(String name, int n, String l) {
        Matcher m;
        if ((m = CONFIG.matcher(l)).matches()) return new Step.Config(n, m.group(1), m.group(2));
        if ((m = DNS_TXT.matcher(l)).matches()) return new Step.DnsTxt(n, m.group(1), m.group(2));
        if ((m = MX_NEXT.matcher(l)).matches()) return new Step.MxNext(n, m.group(1), m.group(2), m.group(3));
        if ((m = MX.matcher(l)).matches()) return new Step.Mx(n, m.group(1));
        if ((m = CLOCK.matcher(l)).matches()) {
            try {
                return new Step.Clock(n, Durations.parse(m.group(1)));
            } catch (IllegalArgumentException e) {
                throw bad(name, n, e.getMessage());
            }
        }
        throw bad(name, n, "unknown directive: " + l);
    }

    private static IllegalArgumentException bad(String name, int n, String why) {
        return new IllegalArgumentException(name + ":" + n + ": " + why);
    }

    /** Whether a server line is what the transcript says; {@value #QUEUE_ID} stands for one queue id. */
    public static boolean matches(String expected, String actual) {
        if (!expected.contains(QUEUE_ID)) return expected.equals(actual);
        StringBuilder regex = new StringBuilder();
        String[] parts = expected.split(Pattern.quote(QUEUE_ID), -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) regex.append(QUEUE_ID_PATTERN);
            regex.append(Pattern.quote(parts[i]));
        }
        return actual.matches(regex.toString());
    }

    /**
     * The relay settings of {@code @config} lines, as YAML for {@link RelayHarness}. The admin panel is off unless a
     * transcript turns it on: nothing here talks to it, and its first start costs a password hash.
     */
    @SuppressWarnings("unchecked")
    String yaml() {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s instanceof Step.Config c) put(tree, c.path().split("\\."), 0, c.value());
        }
        if (tree.computeIfAbsent("admin", k -> new LinkedHashMap<String, Object>()) instanceof Map<?, ?> admin) {
            ((Map<String, Object>) admin).putIfAbsent("enabled", "false");
        }
        StringBuilder out = new StringBuilder();
        render(tree, 0, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private void put(Map<String, Object> tree, String[] path, int at, String value) {
        if (at == path.length - 1) {
            if (tree.put(path[at], value) != null) throw bad(name, 0, "@config " + String.join(".", path) + " given twice");
            return;
        }
        Object child = tree.computeIfAbsent(path[at], k -> new LinkedHashMap<String, Object>());
        if (!(child instanceof Map)) throw bad(name, 0, "@config " + String.join(".", path) + " under a value");
        put((Map<String, Object>) child, path, at + 1, value);
    }

    @SuppressWarnings("unchecked")
    private static void render(Map<String, Object> tree, int depth, StringBuilder out) {
        for (var e : tree.entrySet()) {
            out.append("  ".repeat(depth)).append(e.getKey()).append(':');
            if (e.getValue() instanceof Map<?, ?> m) {
                out.append('\n');
                render((Map<String, Object>) m, depth + 1, out);
            } else {
                out.append(' ').append(e.getValue()).append('\n');
            }
        }
    }

    /** Starts a relay in {@code dataDir} with this transcript's settings, plays every step, and stops everything. */
    public void replay(Path dataDir) throws Exception {
        Map<String, ScriptedMx> mxByAddress = new ConcurrentHashMap<>();
        Map<String, ScriptedMx> mxByDomain = new LinkedHashMap<>();
        RelayHarness h = null;
        Conversation open = null;
        try {
            h = RelayHarness.start(dataDir, yaml(), ScriptedMx.routing(mxByAddress));
            for (Step step : steps) {
                switch (step) {
                    case Step.Config c -> { } // applied at start
                    case Step.DnsTxt t -> h.dns.txt(t.name(), t.text());
                    case Step.Mx m -> {
                        if (mxByDomain.containsKey(m.domain())) throw bad(name, m.line(), "MX of " + m.domain() + " set up twice");
                        String address = "192.0.2." + (mxByDomain.size() + 1);
                        ScriptedMx mx = ScriptedMx.start();
                        mxByDomain.put(m.domain(), mx);
                        mxByAddress.put(address, mx);
                        h.dns.mx(m.domain(), 10, "mx." + m.domain()).a("mx." + m.domain(), address);
                    }
                    case Step.MxNext m -> {
                        ScriptedMx mx = mxByDomain.get(m.domain());
                        if (mx == null) throw bad(name, m.line(), "no @mx " + m.domain() + " above");
                        mx.on(m.verb().toUpperCase(Locale.ROOT), line -> true, new ScriptedMx.Action.Reply(m.reply()), 1);
                    }
                    case Step.Clock c -> h.clock.advance(c.by());
                    case Step.Connect c -> {
                        if (open != null) open.expectClosed(c.line());
                        open = new Conversation(h.smtpPort());
                    }
                    case Step.Send s -> open.send(s.lines());
                    case Step.Expect e -> open.expect(e.line(), e.text());
                }
            }
            if (open != null) open.expectClosed(0);
        } finally {
            if (open != null) open.socket.close();
            if (h != null) h.close();
            mxByDomain.values().forEach(ScriptedMx::close);
        }
    }

    /** One connection to the relay, with what was said so far for failure messages. */
    private final class Conversation {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final List<String> said = new ArrayList<>();

        Conversation(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(List<String> lines) throws IOException {
            StringBuilder wire = new StringBuilder();
            for (String l : lines) {
                wire.append(l).append("\r\n");
                said.add("C: " + l);
            }
            out.write(wire.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void expect(int line, String expected) throws IOException {
            String actual;
            try {
                actual = readLine();
            } catch (SocketTimeoutException e) {
                throw new AssertionError(where(line) + "waited " + READ_TIMEOUT.toSeconds() + " s for: S: " + expected + so());
            }
            if (actual == null) throw new AssertionError(where(line) + "the relay closed the connection; expected: S: " + expected + so());
            said.add("S: " + actual);
            if (!matches(expected, actual)) {
                assertThat(actual).as(where(line) + "server line" + so()).isEqualTo(expected);
            }
        }

        /** The relay must close the connection now, with nothing more to say. */
        void expectClosed(int line) throws IOException {
            try {
                String more = readLine();
                if (more != null) throw new AssertionError(where(line) + "the relay said more than the transcript lists: S: " + more + so());
            } catch (SocketTimeoutException e) {
                throw new AssertionError(where(line) + "the relay did not close the connection (end each one with QUIT)" + so());
            } finally {
                socket.close();
            }
        }

        private String where(int line) {
            return name + (line > 0 ? ":" + line : " (end)") + ": ";
        }

        private String so() {
            return "\nso far:\n  " + String.join("\n  ", said);
        }

        /** One server line without its CRLF; a line ending in a bare LF is a protocol error. Null at end of stream. */
        private String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                        throw new AssertionError(name + ": a server line ended without CR: " + b.toString(StandardCharsets.UTF_8));
                    }
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                b.write(c);
            }
            if (b.size() > 0) throw new AssertionError(name + ": the connection closed in the middle of a line: " + b);
            return null;
        }
    }
}
