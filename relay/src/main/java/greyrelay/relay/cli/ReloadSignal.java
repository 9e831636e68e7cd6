package greyrelay.relay.cli;

import greyrelay.db.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP means "read the configuration again", as for Postfix and most daemons; {@code greyrelay reload} sends it to the
 * pid in {@code <dataDir>/greyrelay.pid}, which {@code run} writes at start (0600) and removes at a clean stop. The JVM's
 * default for SIGHUP is to exit, so the handler is installed before the relay starts taking mail. {@code sun.misc.Signal}
 * (module jdk.unsupported) is the JDK's only way to catch a signal; the handler hands the work to a thread of its own.
 */
final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);
    static final String PID_FILE = "greyrelay.pid";

    private ReloadSignal() {}

    static void install(Runnable reload) {
        Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().name("greyrelay-reload").start(() -> {
            log.info("reload: SIGHUP received, reading the configuration again");
            try {
                reload.run();
            } catch (RuntimeException e) {
                log.error("reload: refused, the configuration in force stays: {}", e.getMessage());
            }
        }));
    }

    static Path pidFile(Path dataDir) {
        return dataDir.resolve(PID_FILE);
    }

    static void writePid(Path dataDir) throws IOException {
        Path file = pidFile(dataDir);
        Files.deleteIfExists(file);
        PrivateFiles.createFile(file);
        Files.writeString(file, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    }

    static void removePid(Path dataDir) {
        try {
            Path file = pidFile(dataDir);
            if (readPid(dataDir).filter(p -> p == ProcessHandle.current().pid()).isPresent()) Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot remove the pid file: {}", e.toString());
        }
    }

    /** The pid in the file, when there is one. */
    static Optional<Long> readPid(Path dataDir) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile(dataDir)).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
