package greyrelay.relay.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.relay.testing.SelfSignedTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust side of {@code downstream.tlsCaFile}: a usable PEM file of authorities, or a message saying what is wrong. */
class ClientTlsTest {
    @TempDir
    Path dir;

    @Test
    void a_pem_file_of_authorities_or_the_jdk_trust_store_makes_a_verifying_factory() {
        assertThat(ClientTls.verified(Optional.of(SelfSignedTls.caSigned("dns:downstream.example.com,ip:127.0.0.1").caCertificate())))
                .isNotNull();
        assertThat(ClientTls.verified(Optional.empty())).isNotNull();
    }

    @Test
    void a_missing_file_or_one_without_a_certificate_is_named() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> ClientTls.verified(Optional.of(missing))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read " + missing);
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> ClientTls.verified(Optional.of(empty))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no PEM certificate in " + empty);
    }
}
