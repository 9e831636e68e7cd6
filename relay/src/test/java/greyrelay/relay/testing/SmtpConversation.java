package greyrelay.relay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client for conversation tests over a real socket: send lines, expect whole replies (SubEthaSMTP's test
 * {@code Client}, with multi-line replies and a recorded C:/S: transcript for golden files).
 */
public final class SmtpConversation implements AutoCloseable {
    /** One reply: its code and its lines as sent (each starting with the code). */
    public record Reply(int code, List<String> lines) {
        public String last() {
            return lines.get(lines.size() - 1);
        }

        /** The last line without the code and separator. */
        public String text() {
            return last().length() > 4 ? last().substring(4) : "";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<String> transcript = new ArrayList<>();

    private SmtpConversation(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static SmtpConversation open(int port) throws IOException {
        return open(InetAddress.getLoopbackAddress(), port, null);
    }

    /** Connects from a chosen local address (any 127.x.y.z works on Linux) to tell clients apart. */
    public static SmtpConversation open(InetAddress server, int port, InetAddress localAddress) throws IOException {
        Socket s = new Socket();
        if (localAddress != null) s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress(server, port), 5000);
        return new SmtpConversation(s);
    }

    /** Sends a PROXY protocol v1 header first, so the relay (with smtp.proxyProtocol) sees {@code clientIp}. */
    public static SmtpConversation openAs(String clientIp, int port) throws IOException {
        SmtpConversation c = open(port);
        String family = clientIp.contains(":") ? "TCP6" : "TCP4";
        String dst = clientIp.contains(":") ? "::1" : "127.0.0.1";
        c.raw(("PROXY " + family + " " + clientIp + " " + dst + " 40000 25\r\n").getBytes(StandardCharsets.US_ASCII));
        return c;
    }

    public SmtpConversation send(String line) throws IOException {
        transcript.add("C: " + line);
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    public SmtpConversation raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) throw new IOException("connection closed; got so far: " + lines);
            lines.add(line);
            transcript.add("S: " + line);
            if (line.length() < 4 || line.charAt(3) != '-') break;
        }
        return new Reply(Integer.parseInt(lines.get(0).substring(0, 3)), lines);
    }

    /** Reads a reply and asserts its code. */
    public Reply expect(int code) throws IOException {
        Reply r = read();
        assertThat(r.code()).as("reply %s", r.lines()).isEqualTo(code);
        return r;
    }

    /** Reads a reply and asserts its last line exactly. */
    public Reply expect(String line) throws IOException {
        Reply r = read();
        assertThat(r.last()).isEqualTo(line);
        return r;
    }

    /** EHLO and its reply. */
    public Reply ehlo(String name) throws IOException {
        return send("EHLO " + name).expect(250);
    }

    /** DATA, 354, the message with dot-stuffing and the end marker; returns the final reply. */
    public Reply data(String message) throws IOException {
        return data(message.getBytes(StandardCharsets.UTF_8));
    }

    public Reply data(byte[] message) throws IOException {
        send("DATA").expect(354);
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte x : message) {
            if (lineStart && x == '.') b.write('.');
            b.write(x);
            lineStart = x == '\n';
        }
        if (!lineStart) b.write(new byte[] {'\r', '\n'}, 0, 2);
        b.write(new byte[] {'.', '\r', '\n'}, 0, 3);
        out.write(b.toByteArray());
        out.flush();
        transcript.add("C: <message, " + message.length + " bytes>");
        return read();
    }

    /** True once the server has closed the connection (reads EOF within the timeout). */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
