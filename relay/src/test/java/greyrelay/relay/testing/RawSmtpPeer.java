package greyrelay.relay.testing;

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
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scripted SMTP server that says exactly what it is told, byte for byte, so tests can play a well-behaved
 * MTA or a hostile one (too long lines, no CRLF, slow drip, garbage, early close, silence).
 *
 * <p>It listens on 127.0.0.1, port 0, and runs the same script for every connection on its own virtual
 * thread. It records every line the client sent ({@link #received()}), the DATA sections exactly as they came
 * over the wire ({@link #data()}), and what went against the script ({@link #problems()}). When the script
 * ends, the connection is closed.
 *
 * <pre>{@code
 * try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s.line("220 mx.example.test ESMTP").expect("EHLO").line("250 hi"))) {
 *     SmtpClient.connect(peer.address(), limits, transcript) ...
 * }
 * }</pre>
 */
public final class RawSmtpPeer implements AutoCloseable {

    private static final int MAX_CLIENT_LINE = 100_000;

    private final ServerSocket server;
    private final List<Step> steps;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> data = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    private RawSmtpPeer(List<Step> steps) throws IOException {
        this.steps = List.copyOf(steps);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.add(Thread.ofVirtual().name("raw-smtp-peer-accept").start(this::acceptLoop));
    }

    /** Starts a peer that plays {@code script} on every connection. */
    public static RawSmtpPeer start(Consumer<Script> script) {
        Script s = new Script();
        script.accept(s);
        try {
            return new RawSmtpPeer(s.steps);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /** 127.0.0.1 and the port, with no host name attached (as an address from DNS would be). */
    public InetSocketAddress address() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(server.getInetAddress().getAddress()), server.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every line clients sent that a step read, without CRLF, in order, over all connections. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Each DATA section as it came over the wire: still dot-stuffed, up to and including the final ".CRLF". */
    public List<String> data() {
        return List.copyOf(data);
    }

    /** Where a client did not follow the script (unexpected command, closed too early). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        closed.countDown();
        closeQuietly(server);
        sockets.forEach(RawSmtpPeer::closeQuietly);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                threads.add(Thread.ofVirtual().name("raw-smtp-peer-" + connections.get()).start(() -> play(socket)));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void play(Socket accepted) {
        Socket socket = accepted;
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (Step step : steps) {
                switch (step) {
                    case Step.Send send -> {
                        out.write(send.text().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    case Step.Expect expect -> {
                        byte[] raw = readRawLine(in);
                        if (raw == null) {
                            problems.add("client closed the connection while " + expect.prefix() + " was expected");
                            return;
                        }
                        String line = stripLineEnd(raw);
                        received.add(line);
                        if (!line.toUpperCase(Locale.ROOT).startsWith(expect.prefix().toUpperCase(Locale.ROOT))) {
                            problems.add("expected " + expect.prefix() + " but got " + line);
                            return;
                        }
                    }
                    case Step.ReadData ignored -> {
                        if (!readData(in)) {
                            problems.add("client closed the connection during DATA");
                            return;
                        }
                    }
                    case Step.Drip drip -> {
                        for (byte b : drip.text().getBytes(StandardCharsets.UTF_8)) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(drip.perByte());
                        }
                    }
                    case Step.Hold ignored -> closed.await();
                    case Step.HangUp ignored -> {
                        return;
                    }
                    case Step.StartTls startTls -> {
                        SSLSocket ssl = (SSLSocket) startTls.context().getSocketFactory()
                                .createSocket(socket, null, socket.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        sockets.add(ssl);
                        socket = ssl;
                        in = ssl.getInputStream();
                        out = ssl.getOutputStream();
                    }
                }
            }
        } catch (IOException e) {
            // the client went away or the peer was closed: the conversation is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    /** Reads DATA lines up to and including "." and records them as sent; false if the client left first. */
    private boolean readData(InputStream in) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        while (true) {
            byte[] raw = readRawLine(in);
            if (raw == null) {
                return false;
            }
            wire.write(raw);
            if (stripLineEnd(raw).equals(".")) {
                data.add(wire.toString(StandardCharsets.UTF_8));
                return true;
            }
        }
    }

    /** One line including its LF, read a byte at a time so nothing is consumed past it (before STARTTLS). */
    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < MAX_CLIENT_LINE) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    private static String stripLineEnd(byte[] raw) {
        String line = new String(raw, StandardCharsets.UTF_8);
        if (line.endsWith("\r\n")) {
            return line.substring(0, line.length() - 2);
        }
        return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // test double shutting down
        }
    }

    /** What the peer does, in order, on each connection. */
    public static final class Script {

        private final List<Step> steps = new ArrayList<>();

        private Script() {}

        /** Sends raw text (UTF-8), no CRLF added. */
        public Script send(String raw) {
            steps.add(new Step.Send(raw));
            return this;
        }

        /** Sends a line, adding CRLF. */
        public Script line(String line) {
            return send(line + "\r\n");
        }

        /** Reads one client line and records it; the client must have sent a line starting with {@code prefix}. */
        public Script expect(String commandPrefix) {
            steps.add(new Step.Expect(commandPrefix));
            return this;
        }

        /** Reads a DATA section up to the "." line and records it as it came over the wire. */
        public Script readData() {
            steps.add(new Step.ReadData());
            return this;
        }

        /** Sends raw text one byte at a time, waiting {@code perByte} after each. */
        public Script drip(String raw, Duration perByte) {
            steps.add(new Step.Drip(raw, perByte));
            return this;
        }

        /** Says nothing and reads nothing until the peer is closed. */
        public Script hold() {
            steps.add(new Step.Hold());
            return this;
        }

        /** Closes the connection now. */
        public Script hangUp() {
            steps.add(new Step.HangUp());
            return this;
        }

        /** Upgrades the connection to TLS as the server side (after the script sent its 220 to STARTTLS). */
        public Script startTls(SSLContext context) {
            steps.add(new Step.StartTls(Objects.requireNonNull(context)));
            return this;
        }
    }

    private sealed interface Step {
        record Send(String text) implements Step {}
        record Expect(String prefix) implements Step {}
        record ReadData() implements Step {}
        record Drip(String text, Duration perByte) implements Step {}
        record Hold() implements Step {}
        record HangUp() implements Step {}
        record StartTls(SSLContext context) implements Step {}
    }
}
