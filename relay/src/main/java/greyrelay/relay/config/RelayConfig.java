package greyrelay.relay.config;

import java.nio.file.Path;

/**
 * The whole configuration: one record per YAML section. Every key and default is written once, in the
 * section's {@code defaults()}; README.md's configuration reference documents them.
 */
public record RelayConfig(
        String dataDir,
        SmtpConfig smtp,
        DownstreamConfig downstream,
        QueueConfig queue,
        GreylistConfig greylist,
        VerificationConfig verification,
        RecipientVerificationConfig recipientVerification,
        SpfConfig spf,
        DnsConfig dns,
        DatabaseConfig database,
        AdminConfig admin,
        DecisionLogConfig decisionLog,
        RateLimitsConfig rateLimits,
        HygieneConfig hygiene,
        DnsblConfig dnsbl,
        LoggingConfig logging,
        NodeConfig node,
        PolicyConfig policy) {

    public RelayConfig {
        Require.present("dataDir", dataDir, "a directory path");
        if (dataDir.isBlank()) throw ConfigException.invalid("dataDir", "a directory path", dataDir);
        Require.present("smtp", smtp, "a section");
        Require.present("downstream", downstream, "a section");
        Require.present("queue", queue, "a section");
        Require.present("greylist", greylist, "a section");
        Require.present("verification", verification, "a section");
        Require.present("spf", spf, "a section");
        Require.present("dns", dns, "a section");
        Require.present("database", database, "a section");
        Require.present("admin", admin, "a section");
        Require.present("decisionLog", decisionLog, "a section");
        Require.present("rateLimits", rateLimits, "a section");
        Require.present("hygiene", hygiene, "a section");
        Require.present("dnsbl", dnsbl, "a section");
        Require.present("recipientVerification", recipientVerification, "a section");
        Require.present("logging", logging, "a section");
        Require.present("node", node, "a section");
        Require.present("policy", policy, "a section");
    }

    public static RelayConfig defaults() {
        return new RelayConfig("./data", SmtpConfig.defaults(), DownstreamConfig.defaults(), QueueConfig.defaults(),
                GreylistConfig.defaults(), VerificationConfig.defaults(), RecipientVerificationConfig.defaults(), SpfConfig.defaults(),
                DnsConfig.defaults(), DatabaseConfig.defaults(), AdminConfig.defaults(), DecisionLogConfig.defaults(),
                RateLimitsConfig.defaults(), HygieneConfig.defaults(), DnsblConfig.defaults(), LoggingConfig.defaults(),
                NodeConfig.defaults(), PolicyConfig.defaults());
    }

    /** This node's name: {@code node.name}, or {@code smtp.hostname} when that is empty. */
    public String nodeName() {
        return node.name().isEmpty() ? smtp.hostname() : node.name();
    }

    public Path dataPath() {
        return Path.of(dataDir).toAbsolutePath().normalize();
    }
}
