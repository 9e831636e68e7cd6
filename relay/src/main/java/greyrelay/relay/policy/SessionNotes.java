package greyrelay.relay.policy;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What checks learn about a connection and later checks read (exemptions from a DNSWL, rDNS, a trap hit).
 * Confined to the connection's thread, like Haraka's {@code connection.notes}; keys are typed.
 */
public final class SessionNotes {
    /** A typed key; compare by identity. */
    public static final class Key<T> {
        private final String name;

        public Key(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final EnumSet<Exemption> exemptions = EnumSet.noneOf(Exemption.class);
    private final Map<Key<?>, Object> values = new HashMap<>();

    public void exempt(Exemption e) {
        exemptions.add(e);
    }

    public Set<Exemption> exemptions() {
        return Set.copyOf(exemptions);
    }

    public <T> void put(Key<T> key, T value) {
        values.put(key, value);
    }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> get(Key<T> key) {
        return Optional.ofNullable((T) values.get(key));
    }
}
