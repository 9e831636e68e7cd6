package greyrelay.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Our Received: field. */
class ReceivedHeaderTest {
    static final ZonedDateTime AT = ZonedDateTime.of(2026, 11, 27, 10, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void the_field_names_the_client_us_the_id_and_the_recipient() {
        assertThat(ReceivedHeader.build("mail.example.org", "192.0.2.10", "relay.example.com", "ESMTP", "0MWYT8HS0SHYS33",
                "john@example.com", AT)).isEqualTo("Received: from mail.example.org ([192.0.2.10])\r\n\tby relay.example.com (greyrelay)"
                + " with ESMTP id 0MWYT8HS0SHYS33\r\n\tfor <john@example.com>; Fri, 27 Nov 2026 10:00:00 +0000");
    }
}
