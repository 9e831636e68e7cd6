package greyrelay.relay.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.hygiene.HeloPolicy.Finding;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeloPolicyTest {
    static final HeloPolicy POLICY;

    static {
        try {
            POLICY = new HeloPolicy("mx.example.com", Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"),
                    InetAddress.getByName("203.0.113.25")));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            client.example.org      | 192.0.2.10  | FINE
            CLIENT.Example.ORG.     | 192.0.2.10  | FINE
            [192.0.2.10]            | 192.0.2.10  | FINE
            [IPv6:2001:db8::10]     | 2001:db8::10| FINE
            [198.51.100.99]         | 192.0.2.10  | FINE
            bad_name.example.org    | 192.0.2.10  | INVALID
            -dash.example.org       | 192.0.2.10  | INVALID
            192.0.2.10              | 192.0.2.10  | INVALID
            host.example.123        | 192.0.2.10  | INVALID
            [192.0.2.300]           | 192.0.2.10  | INVALID
            [2001:db8::1]           | 192.0.2.10  | INVALID
            [IPv6:example]          | 192.0.2.10  | INVALID
            []                      | 192.0.2.10  | INVALID
            localhost               | 192.0.2.10  | NOT_FQDN
            EXCH01                  | 192.0.2.10  | NOT_FQDN
            mx.example.com          | 192.0.2.10  | OURS
            MX.EXAMPLE.COM.         | 192.0.2.10  | OURS
            [127.0.0.1]             | 192.0.2.10  | OURS
            [IPv6:::1]              | 192.0.2.10  | OURS
            [203.0.113.25]          | 192.0.2.10  | OURS
            [127.0.0.1]             | 127.0.0.1   | FINE
            """)
    void classifies_helo_names(String helo, String client, Finding expected) throws Exception {
        assertThat(POLICY.classify(helo, InetAddress.getByName(client))).isEqualTo(expected);
    }

    @Test
    void an_address_literal_is_never_looked_up_in_dns() {
        assertThat(HeloPolicy.literal("localhost")).isNull();
        assertThat(HeloPolicy.literal("IPv6:localhost")).isNull();
    }
}
