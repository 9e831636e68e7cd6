package greyrelay.relay.config;

import greyrelay.relay.address.Mailbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code greylist.*}: triplet greylisting, its auto-whitelist, spamtraps and the whitelists (which also grant
 * exemptions from other checks, so they work even with {@code enabled: false}). See README.md, "Greylisting".
 */
public record GreylistConfig(
        boolean enabled,
        Mode mode,
        Duration delay,
        Duration retryWindow,
        Duration maxAge,
        int ipv4Prefix,
        int ipv6Prefix,
        int autoWhitelistAfter,
        List<String> spamtraps,
        Duration trapDuration,
        Duration whitelistRefresh,
        List<String> whitelistFiles,
        boolean defaultWhitelist,
        Duration cleanupInterval,
        boolean spfDomainKey,
        boolean privacy,
        String text) {

    public GreylistConfig {
        Require.present("greylist.mode", mode, "enforce or observe");
        // a zero delay would answer "try again in 0 seconds": switch greylisting off (enabled/mode) instead
        Require.duration("greylist.delay", delay, Duration.ofSeconds(1), Duration.ofDays(1));
        Require.duration("greylist.retryWindow", retryWindow, Duration.ofMinutes(1), Duration.ofDays(30));
        Require.duration("greylist.maxAge", maxAge, Duration.ofHours(1), Duration.ofDays(3650));
        if (retryWindow.compareTo(delay) <= 0) {
            throw ConfigException.invalid("greylist.retryWindow", "longer than greylist.delay (" + Durations.format(delay) + ")",
                    Durations.format(retryWindow));
        }
        Require.range("greylist.ipv4Prefix", ipv4Prefix, 8, 32);
        Require.range("greylist.ipv6Prefix", ipv6Prefix, 16, 128);
        Require.range("greylist.autoWhitelistAfter", autoWhitelistAfter, 0, 1_000_000);
        List<String> traps = new ArrayList<>();
        for (String t : Require.list("greylist.spamtraps", spamtraps)) {
            String s = t.strip();
            if (s.startsWith("<") && s.endsWith(">")) s = s.substring(1, s.length() - 1);
            var box = Mailbox.parse(s);
            if (box.isEmpty()) throw ConfigException.invalid("greylist.spamtraps", "a list of mailbox addresses (local@domain)", t);
            traps.add(box.get().normalised());
        }
        spamtraps = List.copyOf(traps);
        Require.duration("greylist.trapDuration", trapDuration, Duration.ofMinutes(1), Duration.ofDays(365));
        Require.duration("greylist.whitelistRefresh", whitelistRefresh, Duration.ofSeconds(1), Duration.ofHours(24));
        whitelistFiles = Require.list("greylist.whitelistFiles", whitelistFiles);
        for (String f : whitelistFiles) {
            if (f.isBlank()) throw ConfigException.invalid("greylist.whitelistFiles", "a list of file paths", f);
        }
        Require.present("greylist.text", text, "the text of the greylisting reply");
        if (!text.matches("([\\x20-\\x24\\x26-\\x7e]|%[sr%])+") || text.length() > 200 || text.isBlank()) {
            throw ConfigException.invalid("greylist.text", "printable ASCII of at most 200 characters; %s seconds left, %r recipient domain, %% a percent sign", text);
        }
        Require.duration("greylist.cleanupInterval", cleanupInterval, Duration.ofSeconds(10), Duration.ofDays(1));
    }

    static GreylistConfig defaults() {
        return new GreylistConfig(true, Mode.ENFORCE, Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35),
                24, 64, 5, List.of(), Duration.ofHours(24), Duration.ofSeconds(30), List.of(), true, Duration.ofHours(1), true, false,
                "Greylisted, please try again in %s seconds");
    }
}
