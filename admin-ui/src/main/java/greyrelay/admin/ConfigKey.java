package greyrelay.admin;

import java.util.Objects;

/**
 * What the settings page says about one configuration key besides its value, from whoever embeds the panel (the relay,
 * from README's configuration reference, its defaults and its list of reloadable keys): admin-ui never reads those itself.
 *
 * @param key          the dotted key ({@code smtp.port}); a map key ({@code downstream.routes}) also covers its entries
 * @param defaultValue the default, as text ({@code ""} when the default is empty)
 * @param changed      the effective value differs from the default (as {@code greyrelay config} reports it)
 * @param reloadable   {@code greyrelay reload} (SIGHUP) applies it without a restart
 * @param meaning      the one-line description from README's reference ({@code ""} when the build had no README)
 */
public record ConfigKey(String key, String defaultValue, boolean changed, boolean reloadable, String meaning) {
    public ConfigKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(meaning, "meaning");
    }
}
