package greyrelay.relay.config;

import greyrelay.db.DbSettings;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a config value that dumps ({@code greyrelay config}, the settings page) and the records' {@code toString} show
 * masked: the whole value, or only the credentials inside a url.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Secret {
    Part value() default Part.WHOLE;

    /** Which part of the value is secret. */
    enum Part {
        /** A password or token: nothing of it is shown. */
        WHOLE,
        /** A JDBC url: its {@code password=} parameters and {@code user:password@} are masked, the rest stays readable. */
        URL_CREDENTIALS;

        /** The value as it may be shown; an empty value stays empty (it says "not set"). */
        public String mask(String value) {
            if (value == null || value.isEmpty()) return value;
            return this == WHOLE ? DbSettings.MASK : DbSettings.maskedUrl(value);
        }
    }
}
