package greyrelay.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Our Received: field, and its date, which sessions of the same second share. */
class ReceivedHeaderTest {
    static final ZonedDateTime AT = ZonedDateTime.of(2026, 11, 27, 10, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void the_date_is_rfc_5322_and_never_another_seconds_or_zones() {
        assertThat(ReceivedHeader.date(AT)).isEqualTo("Fri, 27 Nov 2026 10:00:00 +0000");
        assertThat(ReceivedHeader.date(AT.plusNanos(999_000_000))).as("the same second").isEqualTo("Fri, 27 Nov 2026 10:00:00 +0000");
        assertThat(ReceivedHeader.date(AT.plusSeconds(1))).isEqualTo("Fri, 27 Nov 2026 10:00:01 +0000");
        assertThat(ReceivedHeader.date(AT.plusSeconds(1).withZoneSameInstant(ZoneId.of("Europe/Zurich"))))
                .as("the same instant in another zone").isEqualTo("Fri, 27 Nov 2026 11:00:01 +0100");
        assertThat(ReceivedHeader.date(AT)).isEqualTo("Fri, 27 Nov 2026 10:00:00 +0000");
    }

    @Test
    void the_field_names_the_client_us_the_id_and_the_recipient() {
        assertThat(ReceivedHeader.build("mail.example.org", "192.0.2.10", "relay.example.com", "ESMTP", "0MWYT8HS0SHYS33",
                "john@example.com", AT)).isEqualTo("Received: from mail.example.org ([192.0.2.10])\r\n\tby relay.example.com (greyrelay)"
                + " with ESMTP id 0MWYT8HS0SHYS33\r\n\tfor <john@example.com>; Fri, 27 Nov 2026 10:00:00 +0000");
    }
}
