package greyrelay.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files only the relay's own user may read: {@code dataDir} 0700; spool files, the H2 database files and the control
 * token 0600, whatever the umask. Modes are given at creation (a umask can only take bits away from them) and set
 * again explicitly where a file is made by someone else (H2). In the db module because all three modules write such
 * files and this is the one they share. On a file system without POSIX modes (Windows) nothing is changed.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /**
     * Creates the directory (and missing parents) as 0700 when it does not exist; an existing one is left as the
     * operator made it.
     */
    public static Path directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return dir;
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) directory(parent);
        try {
            if (POSIX) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                Files.setPosixFilePermissions(dir, DIRECTORY);
            } else {
                Files.createDirectory(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
        return dir;
    }

    /** A new empty file, 0600; fails when it exists. */
    public static Path createFile(Path file) throws IOException {
        return POSIX ? Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE)) : Files.createFile(file);
    }

    /** Opens (and, with CREATE or CREATE_NEW, creates as 0600) a file for writing. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        return FileChannel.open(file, Set.of(options), attrs);
    }

    /** Sets 0600 on every regular file in {@code dir} whose name starts with {@code prefix} (files someone else made). */
    public static void restrict(Path dir, String prefix) throws IOException {
        if (!POSIX) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p)).toList()) {
                Files.setPosixFilePermissions(f, FILE);
            }
        }
    }
}
