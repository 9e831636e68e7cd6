package greyrelay.relay.dnsbl;

import java.util.List;

/** What one DNS list said about one client address. */
public sealed interface ListAnswer {
    /** Listed: the answers that passed the entry's code filter, e.g. {@code 127.0.0.2}. */
    record Listed(List<String> codes) implements ListAnswer {
        public Listed {
            codes = List.copyOf(codes);
        }
    }

    /** Not listed: NXDOMAIN, no A record, or only answers outside the code filter. */
    record NotListed() implements ListAnswer {}

    /** No answer in time, or a DNS error: treated as not listed (a DNS problem never blocks mail), and logged. */
    record Failed(String why) implements ListAnswer {}
}
