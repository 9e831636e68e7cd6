package greyrelay.relay.testing;

/** Example data with names, on RFC 2606 domains and RFC 5737 addresses only: never a real domain or host. */
public final class Examples {
    private Examples() {}

    /** The domain the relay under test accepts mail for. */
    public static final String OUR_DOMAIN = "example.com";
    public static final String JOHN = "john@example.com";
    public static final String MARY = "mary@example.com";

    /** A sender elsewhere. */
    public static final String SENDER_DOMAIN = "example.org";
    public static final String JANE = "jane@example.org";

    public static final String OTHER_DOMAIN = "example.net";
    public static final String STRANGER = "someone@example.net";

    public static final String HELO = "client.example.org";
    public static final String RELAY_HOSTNAME = "mx.example.com";

    /** Documentation addresses (RFC 5737 / RFC 3849). */
    public static final String CLIENT_IP = "192.0.2.10";
    public static final String CLIENT_IP_SAME_NET = "192.0.2.77";
    public static final String OTHER_CLIENT_IP = "198.51.100.20";
    public static final String CLIENT_IP6 = "2001:db8::10";

    /** A plain test message with CRLF line endings. */
    public static String message(String subject) {
        return "From: " + JANE + "\r\nTo: " + JOHN + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.hashCode()
                + "@example.org>\r\n\r\nHello John,\r\nthis is a test.\r\n";
    }
}
