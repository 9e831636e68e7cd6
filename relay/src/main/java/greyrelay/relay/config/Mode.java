package greyrelay.relay.config;

/** How a check acts: {@code enforce} answers the client; {@code observe} records what it would have answered and lets the mail go on. */
public enum Mode {
    ENFORCE, OBSERVE
}
