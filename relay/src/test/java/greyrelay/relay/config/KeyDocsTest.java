package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyDocsTest {
    static final String README = """
            ## Configuration reference

            | key | default | meaning |
            |---|---|---|
            | `downstream.tls` | `may` | `none`\\|`may`; see [Downstream TLS](#downstream-tls), **plainly** |
            | `smtp.hostname` | this machine's name | banner |

            ## Next
            | `not.a.key` | `x` | outside the reference |
            """;

    @Test
    void rows_of_the_reference_become_plain_text_with_escaped_pipes_and_links_resolved() {
        KeyDocs docs = KeyDocs.parse(README);
        assertThat(docs.of("downstream.tls")).hasValueSatisfying(d -> {
            assertThat(d.meaning()).isEqualTo("none|may; see Downstream TLS, plainly");
            assertThat(d.defaultText()).isEqualTo("may");
            assertThat(d.literalDefault()).isTrue();
        });
        assertThat(docs.of("smtp.hostname")).hasValueSatisfying(d -> assertThat(d.literalDefault()).isFalse());
        assertThat(docs.of("not.a.key")).isEmpty();
    }

    @Test
    void the_bundled_reference_documents_every_key_and_the_sample_loads_to_the_defaults() {
        KeyDocs docs = KeyDocs.bundled();
        for (ConfigSchema.Key k : ConfigLoader.schema().keys()) {
            if (k.kind() != ConfigSchema.Kind.SECTION) assertThat(docs.of(k.path())).as(k.path()).isPresent();
        }
        String sample = SampleConfig.yaml(docs);
        assertThat(ConfigDump.nonDefaults(ConfigLoader.fromYaml(sample, java.util.Map.of()))).isEmpty();
    }
}
