package greyrelay.relay.smtpclient;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The reply to EHLO and the service extensions it announced.
 *
 * @param reply      the whole reply; when it is not 2xx the caller may fall back to HELO
 * @param extensions extension keyword (upper case) to its parameters (as sent, "" when none); empty when the
 *                   reply was not 2xx
 */
public record EhloReply(ServerReply reply, Map<String, String> extensions) {

    /** RFC 5321 ehlo-keyword; lines that are not one (e.g. old "AUTH=LOGIN") are ignored. */
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final Pattern SIZE = Pattern.compile("\\d{1,18}");

    public EhloReply {
        Objects.requireNonNull(reply, "reply");
        extensions = Map.copyOf(extensions);
    }

    /** Parses the extension lines (every line after the first) of a positive reply. */
    static EhloReply parse(ServerReply reply) {
        Map<String, String> extensions = new LinkedHashMap<>();
        if (reply.isPositive()) {
            for (String line : reply.lines().subList(1, reply.lines().size())) {
                String trimmed = line.strip();
                int space = trimmed.indexOf(' ');
                String keyword = space < 0 ? trimmed : trimmed.substring(0, space);
                if (KEYWORD.matcher(keyword).matches()) {
                    String params = space < 0 ? "" : trimmed.substring(space + 1).strip();
                    extensions.putIfAbsent(keyword.toUpperCase(Locale.ROOT), params);
                }
            }
        }
        return new EhloReply(reply, extensions);
    }

    public boolean isPositive() {
        return reply.isPositive();
    }

    /** Whether the peer announced this extension (case-insensitive), e.g. {@code supports("STARTTLS")}. */
    public boolean supports(String keyword) {
        return extensions.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** The parameters announced with an extension ("" when it has none). */
    public Optional<String> parameters(String keyword) {
        return Optional.ofNullable(extensions.get(keyword.toUpperCase(Locale.ROOT)));
    }

    /** The fixed message size limit from SIZE (RFC 1870); empty when absent, 0 (no limit) or not a number. */
    public OptionalLong maxMessageSize() {
        String size = extensions.get("SIZE");
        if (size == null || !SIZE.matcher(size).matches()) {
            return OptionalLong.empty();
        }
        long limit = Long.parseLong(size);
        return limit == 0 ? OptionalLong.empty() : OptionalLong.of(limit);
    }
}
