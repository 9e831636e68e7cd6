package greyrelay.relay.config;

/** {@code host:port}, {@code [v6]:port} or a bare host with a default port. */
public record HostPort(String host, int port) {
    public static HostPort parse(String key, String text, int defaultPort) {
        String s = text == null ? "" : text.trim();
        String host = s;
        int port = defaultPort;
        try {
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) throw new IllegalArgumentException();
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    if (s.charAt(close + 1) != ':') throw new IllegalArgumentException();
                    port = Integer.parseInt(s.substring(close + 2));
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            }
        } catch (RuntimeException e) {
            throw ConfigException.invalid(key, "host:port", text);
        }
        if (host.isEmpty() || port < 1 || port > 65535) throw ConfigException.invalid(key, "host:port", text);
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
