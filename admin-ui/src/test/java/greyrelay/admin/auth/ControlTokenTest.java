package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlTokenTest {
    @TempDir
    Path dataDir;

    @Test
    void writes_a_fresh_token_readable_by_the_owner_only() throws Exception {
        String first = ControlToken.create(dataDir);
        String second = ControlToken.create(dataDir);

        Path file = dataDir.resolve("control.token");
        assertThat(second).startsWith("grc_").isNotEqualTo(first);
        assertThat(Files.readString(file).strip()).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ControlToken.read(dataDir)).contains(second);
        assertThat(Files.list(dataDir)).extracting(p -> p.getFileName().toString()).containsExactly("control.token");
    }

    @Test
    void reads_nothing_when_no_relay_wrote_a_token() throws Exception {
        assertThat(ControlToken.read(dataDir)).isEmpty();
    }
}
