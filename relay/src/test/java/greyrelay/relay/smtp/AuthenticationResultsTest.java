package greyrelay.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.AuthResult;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticationResultsTest {
    private final Predicate<String> forged = AuthenticationResults.claimsAuthservId("mx.example.com");

    @Test
    void renders_every_method_after_our_authserv_id_one_per_folded_line() {
        var spf = AuthResult.of("spf", "pass", new AuthResult.Property("smtp.mailfrom", "jane@example.org"));
        var verify = new AuthResult("x-callback", "fail", Optional.of("mailbox \"jane\" refused"),
                List.of(new AuthResult.Property("smtp.mailfrom", "odd local@example.org")));

        assertThat(AuthenticationResults.headerValue("mx.example.com", List.of(spf, verify))).contains(
                "mx.example.com;\r\n\tspf=pass smtp.mailfrom=jane@example.org;\r\n\tx-callback=fail"
                        + " reason=\"mailbox \\\"jane\\\" refused\" smtp.mailfrom=\"odd local@example.org\"");
    }

    @Test
    void renders_nothing_without_results() {
        assertThat(AuthenticationResults.headerValue("mx.example.com", List.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=evil@example.net",
            "authentication-results:mx.example.com;spf=pass",
            "Authentication-Results: MX.Example.COM; dkim=pass",
            "Authentication-Results: mx.example.com.; none",
            "Authentication-Results: mx.example.com 1; spf=pass",
            "Authentication-Results: \"mx.example.com\"; spf=pass",
            "Authentication-Results: (we checked (really)) mx.example.com; spf=pass",
            "Authentication-Results:\r\n\tmx.example.com;\r\n\tspf=pass"})
    void drops_a_field_that_claims_our_authserv_id(String field) {
        assertThat(forged).accepts(field);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Authentication-Results: mail.example.net; spf=pass smtp.mailfrom=jane@example.org",
            "Authentication-Results: mx.example.com.evil.example; spf=pass",
            "Authentication-Results: (mx.example.com) mail.example.net; spf=pass",
            "X-Authentication-Results: mx.example.com; spf=pass",
            "Received-SPF: pass (mx.example.com: ...)",
            "Subject: Authentication-Results: mx.example.com;",
            "Authentication-Results: ",
            "Authentication-Results: \"mx.example.com"})
    void keeps_every_other_field(String field) {
        assertThat(forged).rejects(field);
    }
}
