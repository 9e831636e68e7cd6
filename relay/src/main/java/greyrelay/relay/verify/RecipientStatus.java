package greyrelay.relay.verify;

/** Whether one of our recipients exists, as recipient verification found out. */
public sealed interface RecipientStatus {
    /** The downstream (or the list) accepts this recipient. */
    record Exists(String why) implements RecipientStatus {}

    /** The downstream refused it with a 5xx, or the list does not have it. */
    record Unknown(String why) implements RecipientStatus {}

    /** The downstream could not be asked (down, 4xx, timeout, busy). */
    record TempFail(String why) implements RecipientStatus {}
}
