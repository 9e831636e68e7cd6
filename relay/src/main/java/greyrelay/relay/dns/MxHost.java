package greyrelay.relay.dns;

import java.util.Locale;
import java.util.Objects;

/**
 * One mail exchanger.
 *
 * @param preference 0..65535, lower is preferred
 * @param host       lower case, without the trailing dot; a name from DNS, so data, not trusted
 */
public record MxHost(int preference, String host) {
    public MxHost {
        if (preference < 0 || preference > 0xFFFF) {
            throw new IllegalArgumentException("MX preference out of range: " + preference);
        }
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("MX host must not be empty (a \".\" target is a null MX)");
        }
    }
}
