package greyrelay.relay.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Mailbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What one real sender's addresses collapse to (README "Greylisting" documents the same table). */
class SenderNormalisationTest {
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "plain address unchanged          | jane@example.org                                   | jane@example.org",
            "case folded, local part too      | Jane.Doe@Example.ORG                               | jane.doe@example.org",
            "plus extension dropped           | jane+newsletter@example.org                        | jane@example.org",
            "VERP with plus (Mailman)         | list-bounces+john=example.com@lists.example.org    | list-bounces@lists.example.org",
            "VERP with numbers (ezmlm)        | list-return-4711-john=example.com@lists.example.org | list-return-#-john=example.com@lists.example.org",
            "numbered bounce                  | bounce-1234567@example.org                         | bounce-#@example.org",
            "several numbers                  | bounce-2026-11-27-0042@example.org                 | bounce-#-#-#-#@example.org",
            "hex message id                   | b1e2c3d4a5f6@bounces.example.org                   | #@bounces.example.org",
            "UUID-style return path           | 0100018c2f3a4b5c-9f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-000000@example.org | #-#-#-#-#-#-#@example.org",
            "letters with digits stay         | jane2000@example.org                               | jane2000@example.org",
            "short hex-looking word stays     | cafe@example.org                                   | cafe@example.org",
            "SRS0 gives the original sender   | SRS0=HHH1=TT=example.org=jane@forwarder.example.net | jane@example.org",
            "SRS0 with + separator            | SRS0+abcd=XY=example.org=jane@forwarder.example.net | jane@example.org",
            "SRS1 gives the original sender   | SRS1=HHH2=fwd1.example.net==HHH1=TT=example.org=jane@fwd2.example.net | jane@example.org",
            "SRS0 of a numbered bounce        | SRS0=a1B2=X7=example.org=bounce-123@fwd.example.net | bounce-#@example.org",
            "BATV tag first                   | prvs=0123abcdef=jane@example.org                   | jane@example.org",
            "BATV tag last (older form)       | prvs=jane=0123abcdef@example.org                   | jane@example.org",
            "BATV msprvs1                     | msprvs1=18765abcxyz=bounces-42@example.org         | bounces-#@example.org",
            "BATV btv1                        | btv1==a1b2c3d4e5f==jane@example.org                | jane@example.org",
            "SRS0 around BATV                 | SRS0=HHH=TT=example.org=prvs=0123abcdef=jane@fwd.example.net | jane@example.org",
            "prvs without a valid tag stays   | prvs=jane=other@example.org                        | prvs=jane=other@example.org",
            "leading plus is not an extension | +jane@example.org                                  | +jane@example.org",
            "quoted local part only folded    | \"Jane 42\"@example.org                           | \"jane 42\"@example.org"})
    void collapses_per_message_parts(String name, String address, String expected) {
        Mailbox m = Mailbox.parse(address).orElseThrow(() -> new AssertionError("not a mailbox: " + address));

        assertThat(SenderNormalisation.normalise(m)).isEqualTo(expected);
    }
}
