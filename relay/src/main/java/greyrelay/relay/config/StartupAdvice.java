package greyrelay.relay.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the startup log should tell an operator about a configuration that starts but will not do what they expect:
 * a relay that refuses every recipient, a host name remote servers will not like, a panel reachable in plain text.
 * Pure: the relay logs each line as a warning; a configuration that is all defaults also gets the keys to set next.
 */
public final class StartupAdvice {
    private StartupAdvice() {}

    /** Warnings for this configuration, each one sentence naming the key. */
    public static List<String> warnings(RelayConfig c) {
        List<String> out = new ArrayList<>();
        if (c.smtp().relayDomains().isEmpty()) {
            out.add("smtp.relayDomains is empty: every recipient will be refused with 554 5.7.1 (set the domains this MX receives mail for)");
        }
        if (!c.smtp().hostname().contains(".")) {
            out.add("smtp.hostname \"" + c.smtp().hostname() + "\" is not fully qualified: it is the banner, the Received: "
                    + "line and the probes' EHLO name, and remote servers check it (set the MX's public name)");
        }
        if (c.admin().enabled() && !isLoopback(c.admin().bind()) && !c.admin().tls().enabled()) {
            out.add("the admin panel listens on " + c.admin().bind() + " without TLS: passwords and sessions cross the "
                    + "network in plain text (set admin.tls.certificate and admin.tls.key, or admin.bind: 127.0.0.1)");
        }
        return out;
    }

    /** For a relay started with nothing configured: the three keys that make it an MX. */
    public static List<String> nextSteps(RelayConfig c) {
        if (!ConfigDump.nonDefaults(c).stream().allMatch(l -> l.startsWith("dataDir ") || l.startsWith("smtp.hostname "))) {
            return List.of();
        }
        return List.of(
                "running on the defaults; to make this an MX set, in a file given with --config or as GREYRELAY_* variables:",
                "  smtp.hostname: the MX's public name (GREYRELAY_SMTP_HOSTNAME)",
                "  smtp.relayDomains: the domains it receives mail for (GREYRELAY_SMTP_RELAY_DOMAINS)",
                "  downstream.host: the mail server that gets accepted mail (GREYRELAY_DOWNSTREAM_HOST)");
    }

    private static boolean isLoopback(String ip) {
        try {
            return InetAddress.getByName(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // admin.bind is validated as an IP literal; never a lookup
        }
    }
}
