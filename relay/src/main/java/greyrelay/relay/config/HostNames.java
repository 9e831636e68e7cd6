package greyrelay.relay.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host-name syntax (RFC 1123 labels) and this machine's name for the default {@code smtp.hostname}. */
public final class HostNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", Pattern.CASE_INSENSITIVE);

    private HostNames() {}

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) return false;
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) return false;
        for (String label : n.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    /** Reads the kernel's host name without a DNS lookup (a resolver may be slow or absent on an appliance). */
    static String localHostName() {
        for (String f : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String s = Files.readString(Path.of(f)).trim().toLowerCase(Locale.ROOT);
                if (isValid(s)) return s;
            } catch (IOException | RuntimeException ignored) {
                // try the next source
            }
        }
        try {
            String s = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            if (isValid(s)) return s;
        } catch (IOException ignored) {
            // fall through
        }
        return "localhost.localdomain";
    }
}
