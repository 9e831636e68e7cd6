package greyrelay.relay.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size as operators write it: {@code 25MB}, {@code 512KB}, {@code 1GB}, {@code 1000} (bytes). Units are powers of 1024. */
public record DataSize(long bytes) {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    public DataSize {
        if (bytes < 0) throw new IllegalArgumentException("negative size");
    }

    public static DataSize ofMegabytes(long mb) {
        return new DataSize(mb * 1024 * 1024);
    }

    public static DataSize parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a size: \"" + text + "\"");
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: \"" + text + "\"");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        if (n > Long.MAX_VALUE / factor) throw new IllegalArgumentException("size too large: \"" + text + "\"");
        return new DataSize(n * factor);
    }

    @Override
    public String toString() {
        long[] f = {1024L * 1024 * 1024, 1024L * 1024, 1024L};
        String[] u = {"GB", "MB", "KB"};
        for (int i = 0; i < f.length; i++) {
            if (bytes != 0 && bytes % f[i] == 0) return (bytes / f[i]) + u[i];
        }
        return Long.toString(bytes);
    }
}
