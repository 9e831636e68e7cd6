package greyrelay.relay.smtp;

import greyrelay.relay.policy.GreetingProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.Session;

/**
 * {@link GreetingProbe} over the library's session: writes {@code 220-…}, then peeks at the session's buffered input
 * with a read timeout of {@code wait} (mark, read one byte, reset), so the byte stays for the command reader and an
 * early talker is seen at once rather than after a fixed sleep. The socket's own timeout is restored afterwards.
 */
final class BannerProbe implements GreetingProbe {
    private static final Logger log = LoggerFactory.getLogger(BannerProbe.class);

    private final Session session;
    private final String hostname;

    BannerProbe(Session session, String hostname) {
        this.session = session;
        this.hostname = hostname;
    }

    @Override
    public Heard sendFirstLineAndListen(Duration wait) {
        Socket socket = session.getSocket();
        InputStream in = session.getRawInput();
        try {
            session.sendResponse("220-" + hostname + " ESMTP greyrelay");
            int previous = socket.getSoTimeout();
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis())));
            try {
                in.mark(1);
                int b = in.read();
                if (b < 0) return new Heard.HungUp();
                in.reset();
                return new Heard.TalkedEarly();
            } catch (SocketTimeoutException e) {
                return new Heard.Nothing();
            } finally {
                socket.setSoTimeout(previous);
            }
        } catch (IOException e) {
            log.debug("pre-greeting: connection failed: {}", e.toString());
            return new Heard.HungUp();
        }
    }
}
