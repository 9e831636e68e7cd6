package greyrelay.admin.whitelist;

import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** How whitelist entries are named and shown: kind labels for the pages, the JSON shape of an entry. */
public final class WhitelistView {
    private WhitelistView() {}

    /** The kind as the API and the forms write it: {@code client_address}, {@code client_host}, {@code sender}, {@code recipient}. */
    public static String param(WhitelistKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** The kind for people: "client address". */
    public static String label(WhitelistKind kind) {
        return switch (kind) {
            case CLIENT_ADDRESS -> "client address";
            case CLIENT_HOST -> "client host name";
            case SENDER -> "sender";
            case RECIPIENT -> "recipient";
        };
    }

    /** What a value of the kind looks like, for the add form. */
    public static String example(WhitelistKind kind) {
        return switch (kind) {
            case CLIENT_ADDRESS -> "192.0.2.7, 192.0.2.0/24, 2001:db8::/32";
            case CLIENT_HOST -> "mail.example.org (and its subdomains), /^mx[0-9]+\\.example\\.net$/ — forward-confirmed only";
            case SENDER -> "jane@example.org, example.org (and its subdomains)";
            case RECIPIENT -> "john@example.com (and john+ext@), postmaster@ (any domain), example.com, /regex/";
        };
    }

    public static List<WhitelistKind> kinds() {
        return List.of(WhitelistKind.values());
    }

    /** A check's answer in the API: which part matched, and the entry (from the database, a file or the default list). */
    public record MatchView(String part, String kind, String value, String source, String note) {
        static MatchView of(WhitelistLookup.Match m) {
            return new MatchView(m.part(), param(m.kind()), m.value(), m.source(), m.note());
        }
    }

    /** An entry in the API. Values and notes came from admins and import files: show them as text. */
    public record Entry(Long id, String kind, String value, String note, String source, Instant createdAt) {
        static Entry of(WhitelistEntry e) {
            return new Entry(e.id(), param(e.kind()), e.value(), e.note(), e.source(), e.createdAt());
        }
    }
}
