package greyrelay.relay.config;

/**
 * {@code node.*}: this node's identity among the nodes sharing one database.
 *
 * @param name written on decisions, probe history, queue entries, heartbeats and the audit log; "" = {@code smtp.hostname}
 *             (see {@link RelayConfig#nodeName()}). Printable ASCII without spaces, at most 255 characters, so it reads
 *             the same in logs, the panel and the database.
 */
public record NodeConfig(String name) {
    public NodeConfig {
        name = name == null ? "" : name.strip();
        if (name.length() > 255 || !name.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            throw ConfigException.invalid("node.name", "a name of up to 255 printable ASCII characters without spaces, such as mx1", name);
        }
    }

    static NodeConfig defaults() {
        return new NodeConfig("");
    }
}
