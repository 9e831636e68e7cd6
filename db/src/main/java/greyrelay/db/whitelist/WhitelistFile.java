package greyrelay.db.whitelist;

import greyrelay.db.net.IpNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whitelist files in postgrey's format ({@code whitelist_clients}, {@code whitelist_recipients}), read into
 * {@link WhitelistEntry}s. One entry per line; {@code #} starts a comment (at the start of a line, or after
 * whitespace); blank lines are ignored. Comment lines directly above an entry become its note, so a file can say
 * where each entry comes from; a blank line ends such a comment.
 *
 * <ul>
 *   <li>clients: {@code /regex/} (client host name, forward-confirmed), {@code 192.0.2.7}, {@code 192.0.2.}
 *       (postgrey's "class C": {@code 192.0.2.0/24}; also {@code 192.0.} and {@code 192.}), {@code 192.0.2.0/24},
 *       IPv6 addresses and networks, else a host name (that name and its subdomains, forward-confirmed).</li>
 *   <li>recipients: {@code /regex/}, {@code name@} (that local part in any domain), {@code name@domain},
 *       {@code domain} (and subdomains); an address also matches its {@code +extensions}, as in postgrey.</li>
 *   <li>senders (our addition, not postgrey's): {@code name@domain} or {@code domain} (and subdomains).</li>
 * </ul>
 * A file is used all or nothing: callers refuse a file whose {@link Parsed} lists any bad line.
 *
 * <p>{@link #format} writes entries back in the same format (an export that {@link #parse} reads to the same entries:
 * a note becomes a comment block above its entries, ended by a blank line). One implementation for the relay's
 * configured files and default list, {@code greyrelay whitelist import} and the admin panel's import and export.
 * Known limit, shared with postgrey: a client host name made only of digits and dots ({@code 1.2}) reads back as an
 * address, and a recipient local part starting with {@code #} reads as a comment; {@link #format} leaves such values
 * out and lists them in {@link Formatted#skipped()}.
 */
public final class WhitelistFile {
    /** Which postgrey file a text is. */
    public enum Type {
        CLIENTS, RECIPIENTS, SENDERS;

        /** From a file name: names containing "recipient" or "sender" are those, anything else is clients. */
        public static Type guess(Path file) {
            return guess(file.getFileName().toString());
        }

        /** From a file name without its directory (an upload's name). */
        public static Type guess(String fileName) {
            String n = fileName.toLowerCase(Locale.ROOT);
            return n.contains("recipient") ? RECIPIENTS : n.contains("sender") ? SENDERS : CLIENTS;
        }

        /** The file an entry of {@code kind} belongs in. */
        public static Type of(WhitelistKind kind) {
            return switch (kind) {
                case CLIENT_ADDRESS, CLIENT_HOST -> CLIENTS;
                case RECIPIENT -> RECIPIENTS;
                case SENDER -> SENDERS;
            };
        }

        /** postgrey's file name: {@code whitelist_clients}, {@code whitelist_recipients}; ours: {@code whitelist_senders}. */
        public String fileName() {
            return "whitelist_" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a file held: its entries, and its bad lines as {@code file:line: what is wrong} (none when it is good). */
    public record Parsed(List<WhitelistEntry> entries, List<String> problems) {
        public Parsed {
            entries = List.copyOf(entries);
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** The first few problems on one line, for a log or an exception message. */
        public String summary() {
            return problems.size() + " bad line(s): " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; …" : "");
        }
    }

    /** What {@link #format} wrote: the text, how many entries it holds, and the values it had to leave out. */
    public record Formatted(String text, int entries, List<String> skipped) {
        public Formatted {
            skipped = List.copyOf(skipped);
        }
    }

    private static final Pattern PARTIAL_IPV4 = Pattern.compile("([0-9]{1,3}\\.){1,3}");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\u0085\\u2028\\u2029]+");

    private WhitelistFile() {}

    public static Parsed read(Path file, Type type, String source, Instant now) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString(), type, source, now);
    }

    /**
     * @param name   for messages ({@code name:line: …})
     * @param source stored with each entry ({@code import:whitelist_clients}, {@code default}, …)
     */
    public static Parsed parse(String text, String name, Type type, String source, Instant now) {
        List<WhitelistEntry> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        // a byte-order mark (files saved by some Windows editors) is not part of the first entry
        String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                comment.clear();
                continue;
            }
            if (line.startsWith("#")) {
                comment.add(line.substring(1).strip());
                continue;
            }
            try {
                String value = value(line);
                String note = comment.isEmpty() ? null : String.join(" ", comment);
                out.add(WhitelistEntry.of(kind(type, value), convert(type, value), note, source, now));
            } catch (IllegalArgumentException e) {
                problems.add(name + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed(out, problems);
    }

    /** The entry on a line: a /regex/ up to its closing slash, else the first word; a trailing comment is allowed. */
    private static String value(String line) {
        String value;
        String rest;
        if (line.startsWith("/")) {
            int close = line.lastIndexOf('/');
            if (close == 0) throw new IllegalArgumentException("unterminated /regex/");
            value = line.substring(0, close + 1);
            rest = line.substring(close + 1).strip();
        } else {
            String[] parts = line.split("\\s+", 2);
            value = parts[0];
            rest = parts.length > 1 ? parts[1] : "";
        }
        if (!rest.isEmpty() && !rest.startsWith("#")) throw new IllegalArgumentException("one entry per line, got \"" + line + "\"");
        return value;
    }

    private static WhitelistKind kind(Type type, String value) {
        return switch (type) {
            case RECIPIENTS -> WhitelistKind.RECIPIENT;
            case SENDERS -> WhitelistKind.SENDER;
            case CLIENTS -> value.startsWith("/") ? WhitelistKind.CLIENT_HOST
                    : looksLikeAddress(value) ? WhitelistKind.CLIENT_ADDRESS : WhitelistKind.CLIENT_HOST;
        };
    }

    private static boolean looksLikeAddress(String v) {
        return v.indexOf(':') >= 0 || v.matches("[0-9./]+");
    }

    /** postgrey's partial IPv4 ({@code 192.0.2.}) becomes a network. */
    private static String convert(Type type, String value) {
        if (type == Type.CLIENTS && PARTIAL_IPV4.matcher(value).matches()) {
            String[] octets = value.split("\\.");
            StringBuilder net = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                if (i > 0) net.append('.');
                net.append(i < octets.length ? octets[i] : "0");
            }
            return IpNetwork.parse(net + "/" + (octets.length * 8)).toString();
        }
        return value;
    }

    /**
     * Writes the entries of {@code type}'s kinds (others are ignored) in the order given, as a file {@link #parse}
     * reads back to the same kinds, values and notes. Consecutive entries with the same note share one comment block;
     * each block is preceded by a blank line, so a note never spills onto the next entries.
     *
     * @param header comment lines at the top (who exported it, when); may be empty
     */
    public static Formatted format(List<WhitelistEntry> entries, Type type, List<String> header) {
        StringBuilder out = new StringBuilder();
        for (String h : header) out.append("# ").append(oneLine(h)).append('\n');
        if (!header.isEmpty()) out.append('\n'); // the header is no entry's note
        boolean first = true;
        String note = null;
        int written = 0;
        List<String> skipped = new ArrayList<>();
        for (WhitelistEntry e : entries) {
            if (Type.of(e.kind()) != type) continue;
            if (e.value().startsWith("#") || e.kind() == WhitelistKind.CLIENT_HOST && !e.isRegex() && looksLikeAddress(e.value())) {
                skipped.add(e.value());
                continue;
            }
            String n = e.note() == null ? null : oneLine(e.note());
            if (first || !java.util.Objects.equals(n, note)) {
                if (!first) out.append('\n');
                if (n != null) out.append("# ").append(n).append('\n');
                note = n;
                first = false;
            }
            out.append(e.value()).append('\n');
            written++;
        }
        return new Formatted(out.toString(), written, skipped);
    }

    /** A note or header on one comment line. */
    private static String oneLine(String text) {
        return LINE_BREAKS.matcher(text).replaceAll(" ").strip();
    }
}
