package greyrelay.relay.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * {@code greyrelay demo}'s downstream: a tiny SMTP sink on loopback that writes every message it receives to
 * {@code <dataDir>/demo/inbox/} as an {@code .eml} file, so a first-time user can see delivered mail without an MTA.
 */
public final class DemoInbox implements AutoCloseable {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final SMTPServer server;
    private final Path dir;

    public DemoInbox(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        AtomicInteger n = new AtomicInteger();
        this.server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("demo-inbox.localhost")
                .softwareName("greyrelay demo inbox")
                .executorService(Executors.newVirtualThreadPerTaskExecutor())
                .insertReceivedHeaders(false)
                .messageHandlerFactory((MessageContext ctx) -> new MessageHandler() {
                    private String from = "";
                    private final StringBuilder to = new StringBuilder();

                    @Override
                    public void from(String f) {
                        from = f;
                    }

                    @Override
                    public void recipient(String r) {
                        to.append(to.isEmpty() ? "" : ", ").append(r);
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        String name = NAME.format(LocalDateTime.now()) + "-" + n.incrementAndGet() + ".eml";
                        Path tmp = dir.resolve(name + ".tmp");
                        try (var out = Files.newOutputStream(tmp)) {
                            out.write(("X-Demo-Envelope-From: <" + from + ">\r\nX-Demo-Envelope-To: " + to + "\r\n")
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            data.transferTo(out);
                        }
                        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                        return "2.0.0 Ok: saved as " + name;
                    }

                    @Override
                    public void done() {}
                })
                .build();
    }

    public DemoInbox start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getPortAllocated();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        server.stop();
    }
}
