package greyrelay.relay.dnsbl;

import greyrelay.relay.config.DnsblConfig.Action;
import greyrelay.relay.config.DnsblConfig.DnsList;
import greyrelay.relay.policy.SessionNotes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of every configured list for one client, in configuration order. Kept in the session notes, so each
 * list is asked at most once per connection (at connect when a {@code reject} list exists, else at the first RCPT).
 */
public record DnsListResults(Map<DnsList, ListAnswer> answers) {
    /** Where the session keeps them. */
    public static final SessionNotes.Key<DnsListResults> KEY = new SessionNotes.Key<>("dns-lists");

    public DnsListResults {
        answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    /** The first list with this action that lists the client. */
    public Optional<DnsList> firstHit(Action action) {
        for (var e : answers.entrySet()) {
            if (e.getKey().action() == action && e.getValue() instanceof ListAnswer.Listed) return Optional.of(e.getKey());
        }
        return Optional.empty();
    }

    public ListAnswer answer(DnsList list) {
        return answers.get(list);
    }
}
