package greyrelay.relay.whitelist;

import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistFile;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.config.ConfigException;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whitelists feature, wired from {@code greylist.*}: the database entries, the files of
 * {@code greylist.whitelistFiles} and (with {@code greylist.defaultWhitelist}) the bundled default list, its two
 * checks and its refresh schedule. Whitelists work even with greylisting disabled, since they also exempt
 * clients from SPF, DNSBL, HELO checks and rate limits.
 */
public final class Whitelisting {
    /** The bundled list of large senders that retry from many addresses, in the clients file format. */
    static final String DEFAULT_LIST = "default-clients.txt";

    private final Whitelists whitelists;
    private final ForwardConfirmed names;
    private final GreylistConfig config;

    private Whitelisting(GreylistConfig config, Whitelists whitelists, ForwardConfirmed names) {
        this.config = config;
        this.whitelists = whitelists;
        this.names = names;
    }

    /**
     * Reads the configured files and the default list, and loads the database entries once.
     *
     * @throws ConfigException when a configured file is missing or has a bad line
     */
    public static Whitelisting create(GreylistConfig config, WhitelistStore store, Dns dns, Instant now, MeterRegistry metrics) {
        Whitelists w = new Whitelists(store::all, fixedEntries(config, now), metrics);
        w.refresh();
        return new Whitelisting(config, w, new ForwardConfirmed(dns));
    }

    /**
     * Reads the files again (a reload). A missing file or a bad line refuses the whole change, and the entries in force
     * stay as they were.
     *
     * @throws ConfigException naming the file and the problem
     */
    public void reloadFiles(GreylistConfig next, Instant now) {
        whitelists.replaceFixed(fixedEntries(next, now));
    }

    private static List<WhitelistEntry> fixedEntries(GreylistConfig config, Instant now) {
        List<WhitelistEntry> fixed = new ArrayList<>();
        for (String spec : config.whitelistFiles()) fixed.addAll(readConfigured(spec, now));
        if (config.defaultWhitelist()) fixed.addAll(defaultList(now));
        return fixed;
    }

    /** {@code clients:PATH}, {@code recipients:PATH}, {@code senders:PATH}, or a path whose name says which. */
    static List<WhitelistEntry> readConfigured(String spec, Instant now) {
        WhitelistFile.Type type = null;
        String p = spec.strip();
        int colon = p.indexOf(':');
        if (colon > 0) {
            String prefix = p.substring(0, colon).toUpperCase(Locale.ROOT);
            for (WhitelistFile.Type t : WhitelistFile.Type.values()) {
                if (t.name().equals(prefix)) {
                    type = t;
                    p = p.substring(colon + 1);
                }
            }
        }
        Path file = Path.of(p);
        if (type == null) type = WhitelistFile.Type.guess(file);
        WhitelistFile.Parsed parsed;
        try {
            parsed = WhitelistFile.read(file, type, "file:" + file, now);
        } catch (IOException e) {
            throw new ConfigException("greylist.whitelistFiles: cannot read " + file + " (" + e + ")");
        }
        if (!parsed.ok()) throw new ConfigException("greylist.whitelistFiles: " + file + ": " + parsed.summary());
        return parsed.entries();
    }

    static List<WhitelistEntry> defaultList(Instant now) {
        try (InputStream in = Whitelisting.class.getResourceAsStream(DEFAULT_LIST)) {
            if (in == null) throw new IllegalStateException("default whitelist " + DEFAULT_LIST + " missing from the build");
            WhitelistFile.Parsed parsed = WhitelistFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_LIST,
                    WhitelistFile.Type.CLIENTS, "default", now);
            if (!parsed.ok()) throw new IllegalStateException("default whitelist: " + parsed.summary());
            return parsed.entries();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code client-whitelist} (connect): marks the session's exemptions, which the later connect checks honour. */
    public Check<PolicyRequest.Connect> clientWhitelistCheck() {
        return new ClientWhitelistCheck(whitelists, names);
    }

    /** {@code whitelist} (RCPT): adds the exemptions the sender and recipient whitelists grant. */
    public Check<PolicyRequest.Rcpt> whitelistCheck() {
        return new WhitelistCheck(whitelists);
    }

    /** What whitelists a client or an envelope, and which part of it: the admin panel's "is this client whitelisted?". */
    public record Found(String part, Whitelist.Match match) {}

    /**
     * Every part that an entry whitelists, with the entry that wins for it, checked as the connect and RCPT checks do:
     * the client's address, its forward-confirmed host name (the one given, or looked up when some entry needs one),
     * the sender and the recipient (each only when it parses as an address).
     */
    public List<Found> explain(java.net.InetAddress client, String hostName, String sender, String recipient) {
        Whitelist w = whitelists.current();
        List<Found> found = new ArrayList<>();
        w.clientAddress(client).ifPresent(m -> found.add(new Found("client address", m)));
        java.util.Optional<String> name = hostName != null && !hostName.isBlank() ? java.util.Optional.of(hostName.strip())
                : w.hasHostRules() ? names.name(client) : java.util.Optional.empty();
        name.flatMap(w::clientHost).ifPresent(m -> found.add(new Found("client host name", m)));
        if (sender != null) {
            greyrelay.relay.address.Mailbox.parse(sender).flatMap(w::sender).ifPresent(m -> found.add(new Found("sender", m)));
        }
        if (recipient != null) {
            greyrelay.relay.address.Mailbox.parse(recipient).flatMap(w::recipient).ifPresent(m -> found.add(new Found("recipient", m)));
        }
        return List.copyOf(found);
    }

    /** The live whitelists: {@code invalidate()} after an in-process edit. */
    public Whitelists whitelists() {
        return whitelists;
    }

    /** Reloads the database entries every {@code greylist.whitelistRefresh}. */
    public void schedule(ScheduledExecutorService scheduler) {
        long every = config.whitelistRefresh().toMillis();
        scheduler.scheduleWithFixedDelay(whitelists::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    }
}
