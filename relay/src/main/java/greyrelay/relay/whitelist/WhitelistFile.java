package greyrelay.relay.whitelist;

import greyrelay.db.whitelist.IpNetwork;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
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
 */
public final class WhitelistFile {
    /** Which postgrey file a text is. */
    public enum Type {
        CLIENTS, RECIPIENTS, SENDERS;

        /** From a file name: names containing "recipient" or "sender" are those, anything else is clients. */
        public static Type guess(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.contains("recipient") ? RECIPIENTS : n.contains("sender") ? SENDERS : CLIENTS;
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

    private static final Pattern PARTIAL_IPV4 = Pattern.compile("([0-9]{1,3}\\.){1,3}");

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
        String[] lines = text.split("\\R", -1);
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
}
