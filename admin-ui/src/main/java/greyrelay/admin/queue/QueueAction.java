package greyrelay.admin.queue;

/** What a queue operation did. */
public sealed interface QueueAction {
    record Done(String id) implements QueueAction {}

    /** No such message (delivered meanwhile, or never queued). */
    record NotFound(String id) implements QueueAction {}

    /** The message is being delivered right now; try again in a moment. */
    record Busy(String id) implements QueueAction {}
}
