package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    static final PasswordHasher HASHER = new PasswordHasher();

    @Test
    void hashes_with_argon2id_at_the_owasp_minimum_and_a_random_salt() {
        String a = HASHER.hash("correct horse battery staple");
        String b = HASHER.hash("correct horse battery staple");

        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
    }

    @Test
    void checks_the_right_password_and_refuses_others() {
        String phc = HASHER.hash("Grüße aus Köln 🙂");

        assertThat(HASHER.matches("Grüße aus Köln 🙂", phc)).isTrue();
        assertThat(HASHER.matches("Grüße aus Köln", phc)).isFalse();
        assertThat(HASHER.matches("", phc)).isFalse();
    }

    @Test
    void refuses_anything_that_is_not_an_argon2_hash_without_throwing() {
        assertThat(HASHER.matches("x", "$2b$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(HASHER.matches("x", "$argon2id$garbage")).isFalse();
        assertThat(HASHER.matches("x", null)).isFalse();
        assertThat(HASHER.matchesNothing("x")).isFalse();
    }
}
