package greyrelay.db;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.testing.TestDatabases;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dataDir 0700 and the H2 files 0600 whatever the umask. A JVM cannot change its own umask, so each test first shows
 * what the umask of this run gives a plain file or directory, and the private ones must be exactly 0600/0700 anyway.
 * With the usual 022 (0644/0755) or a permissive 000 (0666/0777) the plain modes differ from the private ones.
 */
class PrivateFilesTest {
    @TempDir
    Path tmp;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void directories_and_files_are_private_at_creation() throws IOException {
        Path plainDir = Files.createDirectory(tmp.resolve("plain"));
        Path plainFile = Files.createFile(tmp.resolve("plain.txt"));

        Path dir = PrivateFiles.directory(tmp.resolve("data/spool/queue"));
        Path created = PrivateFiles.createFile(dir.resolve("control.token"));
        try (FileChannel ch = PrivateFiles.open(dir.resolve("m.msg"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        }

        // meaningful only where the umask lets more through (022, 002, 000): which is every usual one
        org.junit.jupiter.api.Assumptions.assumeFalse(mode(plainDir).equals("rwx------") || mode(plainFile).equals("rw-------"));
        for (Path d : List.of(tmp.resolve("data"), tmp.resolve("data/spool"), dir)) assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
        assertThat(mode(created)).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("m.msg"))).isEqualTo("rw-------");
    }

    @Test
    void the_h2_data_dir_and_database_files_are_private() throws IOException {
        Path dataDir = tmp.resolve("data");
        try (Database db = TestDatabases.h2(dataDir)) {
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            List<Path> files;
            try (Stream<Path> s = Files.list(dataDir)) {
                files = s.filter(p -> p.getFileName().toString().startsWith("greyrelay.")).toList();
            }
            assertThat(files).isNotEmpty();
            for (Path f : files) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
        }
    }
}
