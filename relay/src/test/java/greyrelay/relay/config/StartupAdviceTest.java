package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupAdviceTest {
    private static RelayConfig yaml(String yaml) {
        return ConfigLoader.fromYaml(yaml, Map.of());
    }

    @Test
    void a_configured_mx_gets_no_warnings_and_no_next_steps() {
        RelayConfig c = yaml("smtp: {hostname: mx.example.com, relayDomains: [example.com]}\ndownstream: {host: 192.0.2.25}\n");
        assertThat(StartupAdvice.warnings(c)).isEmpty();
        assertThat(StartupAdvice.nextSteps(c)).isEmpty();
    }

    @Test
    void empty_relay_domains_a_single_label_hostname_and_a_plain_text_panel_beyond_loopback_are_each_named() {
        RelayConfig c = yaml("smtp: {hostname: mailhost, relayDomains: []}\nadmin: {bind: 0.0.0.0}\n");
        assertThat(StartupAdvice.warnings(c)).satisfiesExactly(
                w -> assertThat(w).startsWith("smtp.relayDomains is empty: every recipient will be refused with 554 5.7.1"),
                w -> assertThat(w).startsWith("smtp.hostname \"mailhost\" is not fully qualified"),
                w -> assertThat(w).startsWith("the admin panel listens on 0.0.0.0 without TLS"));
        assertThat(StartupAdvice.warnings(yaml("smtp: {hostname: mx.example.com, relayDomains: [example.com]}\nadmin: {bind: \"::1\"}\n")))
                .isEmpty();
        assertThat(StartupAdvice.warnings(yaml("smtp: {hostname: mx.example.com, relayDomains: [example.com]}\nadmin: {enabled: false, bind: 0.0.0.0}\n")))
                .isEmpty();
    }

    @Test
    void the_defaults_alone_end_with_the_three_keys_to_set() {
        assertThat(StartupAdvice.nextSteps(yaml("dataDir: /tmp/x\n")))
                .anySatisfy(l -> assertThat(l).contains("smtp.hostname"))
                .anySatisfy(l -> assertThat(l).contains("smtp.relayDomains"))
                .anySatisfy(l -> assertThat(l).contains("downstream.host"));
    }
}
