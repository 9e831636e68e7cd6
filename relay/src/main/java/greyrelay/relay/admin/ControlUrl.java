package greyrelay.relay.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <dataDir>/control.url}: where the running relay's JSON API answers, written at each start next to
 * {@code control.token} and removed at a clean stop. The panel's address when {@code admin.enabled} (a wildcard bind is
 * reached on loopback), else the control listener's: {@code 127.0.0.1} on a free port, control token only.
 */
public final class ControlUrl {
    public static final String FILE_NAME = "control.url";
    public static final String LOOPBACK = "127.0.0.1";

    private ControlUrl() {}

    /** The URL for a listener on {@code bind}:{@code port}, as a client on this host reaches it. */
    public static String of(String bind, int port, boolean tls) {
        String host = bind.equals("0.0.0.0") || bind.isEmpty() ? LOOPBACK : bind.equals("::") ? "[::1]"
                : bind.contains(":") ? "[" + bind + "]" : bind;
        return (tls ? "https" : "http") + "://" + host + ":" + port;
    }

    public static void write(Path dataDir, String url) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, url + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dataDir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static Optional<String> read(Path dataDir) throws IOException {
        try {
            String s = Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** At a clean stop: the CLI then knows at once that no relay answers. */
    public static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE_NAME));
        } catch (IOException e) {
            // harmless: the CLI finds nobody listening there and opens the database itself
        }
    }
}
