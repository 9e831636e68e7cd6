package greyrelay.relay.policy;

/** The SMTP moments at which checks run. */
public enum Phase {
    CONNECT, MAIL, RCPT, DATA;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
