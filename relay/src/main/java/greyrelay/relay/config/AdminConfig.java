package greyrelay.relay.config;

/** {@code admin.*}: the embedded web panel, {@code /health} and {@code /metrics}. */
public record AdminConfig(boolean enabled, String bind, int port, @Secret String password) {
    public AdminConfig {
        Require.present("admin.bind", bind, "an IP address, 127.0.0.1 by default");
        if (!SmtpConfig.isIpLiteral(bind)) throw ConfigException.invalid("admin.bind", "an IP address such as 127.0.0.1", bind);
        Require.port("admin.port", port);
        Require.present("admin.password", password, "a password or \"\"");
    }

    static AdminConfig defaults() {
        return new AdminConfig(true, "127.0.0.1", 8080, "");
    }
}
