package greyrelay.admin.auth;

import greyrelay.db.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The local control token: a fresh random token written at each start to {@code <dataDir>/control.token}, readable
 * by the relay's user only (0600), and accepted by the panel as an API token. It lets the relay's own CLI (queue
 * commands) call the running relay's JSON API without a password. Anyone who can read the data directory can
 * already read the mail in the spool, so the token gives nothing new to such a user.
 */
public final class ControlToken {
    public static final String FILE_NAME = "control.token";

    private ControlToken() {}

    /** Writes a new token (replacing any old one atomically) and returns it. */
    public static String create(Path dataDir) throws IOException {
        PrivateFiles.directory(dataDir);
        String token = "grc_" + Sessions.randomToken();
        Path target = dataDir.resolve(FILE_NAME);
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.createFile(tmp);
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return token;
    }

    /** The token of the running relay, for its CLI; empty when there is none. */
    public static Optional<String> read(Path dataDir) throws IOException {
        Path f = dataDir.resolve(FILE_NAME);
        if (!Files.exists(f)) return Optional.empty();
        String t = Files.readString(f, StandardCharsets.US_ASCII).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
