package greyrelay.relay.queue;

/** What the downstream said about one recipient. */
public sealed interface DeliveryResult {
    /** Accepted (2xx after DATA). Never tried again. */
    record Delivered(String reply) implements DeliveryResult {}

    /** Temporary failure (4xx, or no connection): stays in the queue. */
    record Deferred(String reason) implements DeliveryResult {}

    /** Permanent failure (5xx): a DSN goes to the sender. */
    record Bounced(String reply) implements DeliveryResult {}
}
