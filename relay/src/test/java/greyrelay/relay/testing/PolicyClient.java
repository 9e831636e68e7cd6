package greyrelay.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Postfix policy client over a real socket, as Postfix's smtpd speaks it (SMTPD_POLICY_README): {@code name=value}
 * lines and an empty line; reads {@code action=...} and the empty line after it. Also sends raw bytes, for the
 * malformed forms.
 */
public final class PolicyClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private PolicyClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static PolicyClient open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new PolicyClient(s);
    }

    /** The attributes Postfix sends at RCPT for one recipient (Postfix 3.x's set, most of them). */
    public static Map<String, String> rcpt(String instance, String clientIp, String helo, String sender, String recipient) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("request", "smtpd_access_policy");
        a.put("protocol_state", "RCPT");
        a.put("protocol_name", "ESMTP");
        a.put("client_address", clientIp);
        a.put("client_name", "unknown");
        a.put("client_port", "40000");
        a.put("reverse_client_name", "unknown");
        a.put("server_address", "127.0.0.1");
        a.put("server_port", "25");
        a.put("helo_name", helo);
        a.put("sender", sender);
        a.put("recipient", recipient);
        a.put("recipient_count", "0");
        a.put("queue_id", "");
        a.put("instance", instance);
        a.put("size", "0");
        a.put("etrn_domain", "");
        a.put("stress", "");
        a.put("sasl_method", "");
        a.put("sasl_username", "");
        a.put("sasl_sender", "");
        a.put("ccert_subject", "");
        a.put("ccert_issuer", "");
        a.put("ccert_fingerprint", "");
        a.put("encryption_protocol", "");
        a.put("encryption_cipher", "");
        a.put("encryption_keysize", "0");
        a.put("policy_context", "");
        a.put("compatibility_level", "3.6");
        a.put("mail_version", "3.7.11");
        return a;
    }

    /** The END-OF-MESSAGE request of the same message. */
    public static Map<String, String> endOfMessage(String instance, String clientIp, String helo, String sender, int recipients) {
        Map<String, String> a = rcpt(instance, clientIp, helo, sender, "");
        a.put("protocol_state", "END-OF-MESSAGE");
        a.put("recipient_count", Integer.toString(recipients));
        a.put("size", "1234");
        a.put("queue_id", "4XyZ1234");
        return a;
    }

    /** Sends one request and returns the action (what follows {@code action=}). */
    public String ask(Map<String, String> attributes) throws IOException {
        StringBuilder b = new StringBuilder();
        attributes.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        b.append('\n');
        send(b.toString().getBytes(StandardCharsets.UTF_8));
        return readAction();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Stops sending (half close): the server sees the end of the stream. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads {@code action=...} and the empty line after it; null when the server closed first. */
    public String readAction() throws IOException {
        String line = readLine();
        if (line == null) return null;
        if (!line.startsWith("action=")) throw new IOException("not an action line: " + line);
        String empty = readLine();
        if (empty == null || !empty.isEmpty()) throw new IOException("no empty line after the action: " + empty);
        return line.substring("action=".length());
    }

    /** True when the server has closed its side (end of stream, or a reset). */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.write(c);
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
