package greyrelay.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import greyrelay.relay.config.ConfigException;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.KeyDocs;
import greyrelay.relay.testing.RelayHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtp.listenBacklog}: a generous default, read from the configuration, documented, and given to the kernel's
 * listen() (what {@code ss} shows as the listening socket's Send-Q).
 */
class ListenBacklogTest {
    @TempDir
    Path dir;

    @Test
    void the_default_is_generous_and_the_key_is_read_checked_and_documented() throws Exception {
        assertThat(ConfigLoader.fromYaml("", Map.of()).smtp().listenBacklog()).isEqualTo(1024);
        assertThat(ConfigLoader.fromYaml("smtp: {listenBacklog: 4096}\n", Map.of()).smtp().listenBacklog()).isEqualTo(4096);
        assertThat(ConfigLoader.load(java.util.Optional.empty(), Map.of("GREYRELAY_SMTP_LISTEN_BACKLOG", "300")).smtp().listenBacklog())
                .isEqualTo(300);
        assertThatThrownBy(() -> ConfigLoader.fromYaml("smtp: {listenBacklog: 0}\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.listenBacklog");

        KeyDocs docs = KeyDocs.parse(Files.readString(Path.of("..", "README.md")));
        assertThat(docs.of("smtp.listenBacklog")).hasValueSatisfying(d -> {
            assertThat(d.defaultText()).isEqualTo("1024");
            assertThat(d.meaning()).contains("net.core.somaxconn");
        });
        assertThat(docs.of("downstream.maxConnections")).hasValueSatisfying(d -> assertThat(d.defaultText()).isEqualTo("10"));
    }

    @Test
    void the_listening_socket_has_the_configured_backlog() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")), "needs ss (iproute2)");
        try (RelayHarness h = RelayHarness.start(dir, "smtp: {listenBacklog: 77}\n")) {
            // for a listening TCP socket, ss shows the backlog in the Send-Q column
            Process ss = new ProcessBuilder(List.of("ss", "-ltnH", "sport = :" + h.smtpPort())).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes());
            assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out.strip().split("\\s+")).as(out).hasSizeGreaterThan(3).satisfies(cols -> {
                assertThat(cols[0]).isEqualTo("LISTEN");
                assertThat(cols[2]).isEqualTo("77");
            });
        }
    }
}
