package greyrelay.relay.policy;

/** How a request reached the checks: our SMTP listener, or Postfix's policy delegation protocol. */
public enum Origin {
    SMTP, POLICY;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
