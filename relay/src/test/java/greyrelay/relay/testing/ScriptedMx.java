package greyrelay.relay.testing;

import greyrelay.relay.verify.ProbeRouting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A scripted MX for probe tests: a real SMTP server on 127.0.0.1, port 0, that answers each command by the first
 * matching rule (command, condition on the line, reply, how many times), or else like a well-behaved MTA (220, a
 * multi-line 250 to EHLO, 250 to MAIL/RCPT/RSET/NOOP, 221 to QUIT and close, 354 to DATA). It records every
 * connection's transcript ({@code C:}/{@code S:} lines), counts connections and the most open at once, so tests can
 * assert that RSET and QUIT were sent, that DATA never was, and that a tarpit never saw more connections than the cap.
 *
 * <pre>{@code
 * try (ScriptedMx mx = ScriptedMx.start().rejectRecipient("jane@example.org")) { ... mx.sessions() ... }
 * }</pre>
 *
 * Hostile behaviours: {@link #greeting(Action)} and {@link #on(String, Action)} take raw bytes, slow drips, silence
 * or a hang-up; {@link #tarpit()} accepts connections and says nothing until closed.
 */
public final class ScriptedMx implements AutoCloseable {

    /** What the server does in answer to a command (or instead of the greeting). */
    public sealed interface Action {
        /** One reply line (CRLF added), or several lines separated by "\n" sent as given with CRLF each. */
        record Reply(String text) implements Action {}

        /** Raw bytes, nothing added. */
        record Raw(String bytes) implements Action {}

        /** Raw text one byte at a time with a pause after each. */
        record Drip(String bytes, Duration perByte) implements Action {}

        /** Say nothing, read nothing, until the server is closed. */
        record Silence() implements Action {}

        /**
         * Say nothing, read and drop what the client sends until it hangs up: a tarpit whose {@link #openConnections()}
         * drops when the prober gives up (with {@link Silence} a connection counts as open until the server closes).
         */
        record Stall() implements Action {}

        /** Close the connection at once. */
        record HangUp() implements Action {}

        static Action reply(String text) {
            return new Reply(text);
        }
    }

    private record Rule(String verb, Predicate<String> when, Action action, AtomicInteger left) {}

    private static final int MAX_CLIENT_LINE = 4096;

    private final ServerSocket server;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private volatile Action greeting = new Action.Reply("220 mx.example.org ESMTP scripted");
    private final List<List<String>> sessions = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ScriptedMx(InetAddress bind, int port) throws IOException {
        server = new ServerSocket(port, 2000, bind);
        Thread.ofVirtual().name("scripted-mx-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** A well-behaved MX that accepts every recipient. */
    public static ScriptedMx start() {
        try {
            return new ScriptedMx(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /**
     * A well-behaved MX on a given address and port, for a relay in another process that cannot take a probe seam:
     * several servers on one port ({@code verification.probePort}) at different loopback addresses (127.0.0.2, …).
     */
    public static ScriptedMx start(InetAddress bind, int port) {
        try {
            return new ScriptedMx(bind, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + bind.getHostAddress() + ":" + port, e);
        }
    }

    // ---- script ------------------------------------------------------------------------------------------------

    public ScriptedMx greeting(String reply) {
        return greeting(new Action.Reply(reply));
    }

    public ScriptedMx greeting(Action action) {
        this.greeting = Objects.requireNonNull(action);
        return this;
    }

    /** Every {@code verb} command (MAIL, RCPT, EHLO, …) gets this reply. Later rules do not override earlier ones. */
    public ScriptedMx on(String verb, String reply) {
        return on(verb, line -> true, new Action.Reply(reply), Integer.MAX_VALUE);
    }

    public ScriptedMx on(String verb, Action action) {
        return on(verb, line -> true, action, Integer.MAX_VALUE);
    }

    /** {@code verb} commands whose whole line matches {@code when} get {@code action}, at most {@code times} times. */
    public ScriptedMx on(String verb, Predicate<String> when, Action action, int times) {
        rules.add(new Rule(verb.toUpperCase(Locale.ROOT), when, action, new AtomicInteger(times)));
        return this;
    }

    /** {@code RCPT TO:<address>} is refused with a 550. */
    public ScriptedMx rejectRecipient(String address) {
        return on("RCPT", line -> line.toLowerCase(Locale.ROOT).contains("<" + address.toLowerCase(Locale.ROOT) + ">"),
                new Action.Reply("550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"), Integer.MAX_VALUE);
    }

    /** Accepts connections and never says a word until closed. */
    public ScriptedMx tarpit() {
        return greeting(new Action.Silence());
    }

    // ---- observation -------------------------------------------------------------------------------------------

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), port());
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Connections open right now. */
    public int openConnections() {
        return open.get();
    }

    /** The most connections that were open at the same time. */
    public int maxOpenConnections() {
        return maxOpen.get();
    }

    /** Each connection's conversation, {@code C: …} (client) and {@code S: …} (server) lines, in order. */
    public List<List<String>> sessions() {
        return sessions.stream().map(List::copyOf).toList();
    }

    /** Just the client's lines of connection {@code i}, without the {@code C: } prefix. */
    public List<String> commands(int i) {
        return sessions.get(i).stream().filter(l -> l.startsWith("C: ")).map(l -> l.substring(3)).toList();
    }

    /** Every client line over all connections. */
    public List<String> allCommands() {
        List<String> out = new ArrayList<>();
        for (List<String> s : sessions) for (String l : s) if (l.startsWith("C: ")) out.add(l.substring(3));
        return out;
    }

    /** Whether any client ever sent a command with this verb (e.g. "DATA"). */
    public boolean saw(String verb) {
        String v = verb.toUpperCase(Locale.ROOT);
        return allCommands().stream().anyMatch(c -> c.toUpperCase(Locale.ROOT).equals(v) || c.toUpperCase(Locale.ROOT).startsWith(v + " ")
                || c.toUpperCase(Locale.ROOT).startsWith(v + ":"));
    }

    /** Routes every probe target to this server (the probe seam for tests with one MX). */
    public ProbeRouting routingAll() {
        InetSocketAddress me = address();
        return target -> me;
    }

    /**
     * Routes targets by their DNS address (e.g. "192.0.2.1") to scripted servers, looked up in {@code byAddress} at each
     * connection (so servers may be added later); any other address goes to a closed loopback port, so connecting fails
     * at once (connection refused).
     */
    public static ProbeRouting routing(Map<String, ScriptedMx> byAddress) {
        InetSocketAddress nowhere = closedPort();
        return target -> {
            ScriptedMx mx = byAddress.get(target.address().getHostAddress());
            return mx == null ? nowhere : mx.address();
        };
    }

    /** A loopback port nobody listens on (bound, then released). */
    public static InetSocketAddress closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException ignored) {
            // shutting down
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }

    // ---- server ------------------------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            int now = open.incrementAndGet();
            maxOpen.accumulateAndGet(now, Math::max);
            sockets.add(socket);
            List<String> transcript = new CopyOnWriteArrayList<>();
            sessions.add(transcript);
            Thread.ofVirtual().start(() -> serve(socket, transcript));
        }
    }

    private void serve(Socket socket, List<String> transcript) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            if (!perform(greeting, in, out, transcript)) return;
            while (true) {
                String line = readLine(in);
                if (line == null) return;
                transcript.add("C: " + line);
                String verb = verb(line);
                Action action = ruleFor(verb, line);
                if (action == null) action = defaultFor(verb);
                if (!perform(action, in, out, transcript)) return;
                if (verb.equals("QUIT") && action instanceof Action.Reply) return;
                if (verb.equals("DATA") && action instanceof Action.Reply r && r.text().startsWith("354")) {
                    if (!readData(in, transcript)) return;
                    if (!perform(new Action.Reply("250 2.0.0 Ok: queued"), in, out, transcript)) return;
                }
            }
        } catch (IOException e) {
            // client went away or we were closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    private Action ruleFor(String verb, String line) {
        for (Rule r : rules) {
            if (r.verb().equals(verb) && r.when().test(line) && r.left().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return r.action();
            }
        }
        return null;
    }

    private static Action defaultFor(String verb) {
        return switch (verb) {
            case "EHLO" -> new Action.Reply("250-mx.example.org\n250-PIPELINING\n250-SIZE 10240000\n250 8BITMIME");
            case "HELO" -> new Action.Reply("250 mx.example.org");
            case "MAIL" -> new Action.Reply("250 2.1.0 Ok");
            case "RCPT" -> new Action.Reply("250 2.1.5 Ok");
            case "RSET", "NOOP" -> new Action.Reply("250 2.0.0 Ok");
            case "QUIT" -> new Action.Reply("221 2.0.0 Bye");
            case "DATA" -> new Action.Reply("354 End data with <CR><LF>.<CR><LF>");
            default -> new Action.Reply("502 5.5.2 Error: command not recognized");
        };
    }

    /** Returns false when the connection is to end. */
    private boolean perform(Action action, InputStream in, OutputStream out, List<String> transcript) throws IOException, InterruptedException {
        switch (action) {
            case Action.Reply r -> {
                StringBuilder wire = new StringBuilder();
                for (String l : r.text().split("\n")) {
                    transcript.add("S: " + l);
                    wire.append(l).append("\r\n");
                }
                out.write(wire.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            }
            case Action.Raw r -> {
                transcript.add("S: <raw " + r.bytes().length() + " chars>");
                out.write(r.bytes().getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            }
            case Action.Drip d -> {
                transcript.add("S: <drip " + d.bytes().length() + " chars>");
                for (byte b : d.bytes().getBytes(StandardCharsets.UTF_8)) {
                    out.write(b);
                    out.flush();
                    if (closed.await(d.perByte().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return false;
                }
                return true;
            }
            case Action.Silence s -> {
                transcript.add("S: <silence>");
                closed.await();
                return false;
            }
            case Action.Stall st -> {
                transcript.add("S: <stall>");
                byte[] drop = new byte[512];
                while (in.read(drop) >= 0) {
                    // until the client hangs up
                }
                return false;
            }
            case Action.HangUp h -> {
                transcript.add("S: <hang up>");
                return false;
            }
        }
    }

    /** Whether the data ended with its "." line (not with the client hanging up: no message then). */
    private static boolean readData(InputStream in, List<String> transcript) throws IOException {
        int lines = 0;
        while (true) {
            String l = readLine(in);
            if (l == null) {
                transcript.add("C: <" + lines + " data lines, then the connection closed>");
                return false;
            }
            if (l.equals(".")) break;
            lines++;
        }
        transcript.add("C: <" + lines + " data lines>");
        transcript.add("C: .");
        return true;
    }

    private static String verb(String line) {
        String upper = line.toUpperCase(Locale.ROOT);
        int end = 0;
        while (end < upper.length() && Character.isLetter(upper.charAt(end))) end++;
        return upper.substring(0, end);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < MAX_CLIENT_LINE) {
            int b = in.read();
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') break;
            line.write(b);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
