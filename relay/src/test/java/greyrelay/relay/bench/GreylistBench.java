package greyrelay.relay.bench;

import greyrelay.db.Database;
import greyrelay.db.DbSettings;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TripletKey;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.greylist.GreylistCheck;
import greyrelay.relay.greylist.Greylisting;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Greylist decisions per second and decision latency (p50/p99) through the real RCPT check ({@link GreylistCheck},
 * as Relay wires it) with 10,000 and 1,000,000 stored triplets, on H2 and PostgreSQL. Not a test: run it with
 * {@code relay/bench.sh greylist [h2|postgres|all] [sizes] [decisions] [threads]} (README, "Performance").
 *
 * <p>Two workloads per database and size: {@code known} (a stored, passed triplet used again: one indexed read) and
 * {@code new} (a triplet never seen: a read of the triplet and of the client network, and an insert). Stored
 * triplets are spread over 65,536 client networks and 1,000 recipients. Each workload is warmed up with 5,000
 * decisions, then measured with one thread (latency without queueing) and with {@code threads} threads (rate).
 */
public final class GreylistBench {
    private GreylistBench() {}

    record Result(String db, long stored, String workload, int threads, long decisions, double perSecond, double p50us, double p99us) {
        @Override
        public String toString() {
            return String.format("| %-10s | %,9d | %-5s | %7d | %,11.0f | %8.0f | %8.0f |", db, stored, workload, threads, perSecond, p50us, p99us);
        }
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        String which = args.length > 0 ? args[0] : "all";
        int[] sizes = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {10_000, 1_000_000};
        int decisions = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        System.out.println("# " + Runtime.getRuntime().availableProcessors() + " cores, load average at start: " + loadAverage());
        System.out.println("| database   |   stored  | load  | threads | decisions/s | p50 (µs) | p99 (µs) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String db : which.equals("all") ? List.of("h2", "postgres") : List.of(which)) {
            for (int size : sizes) {
                try (Database database = open(db)) {
                    run(db, database, size, decisions, threads).forEach(System.out::println);
                }
            }
        }
        System.out.println("# load average at end: " + loadAverage());
        for (Path d : TEMP_DIRS) deleteTree(d);
    }

    /** H2 files of this run (up to a few hundred MB at 1M triplets), deleted at the end. */
    static final List<Path> TEMP_DIRS = new ArrayList<>();

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Other work on the machine skews the figures: print what it was (Linux). */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static Database open(String which) throws Exception {
        if (which.equals("h2")) {
            Path dir = Files.createTempDirectory("greylist-bench");
            TEMP_DIRS.add(dir);
            return Database.open(new DbSettings("", "", "", dir, 10));
        }
        TestDatabases.requirePostgres();
        // batched inserts rewritten into multi-row INSERTs: only the 1M-row fill needs it
        DbSettings s = new DbSettings(TestDatabases.POSTGRES_URL + "?reWriteBatchedInserts=true", TestDatabases.POSTGRES_USER, "",
                Path.of("target"), 10);
        return Database.openInSchema(s, "bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()),
                Database.SchemaLifetime.DROP_ON_CLOSE);
    }

    static List<Result> run(String name, Database db, int size, int decisions, int threads) throws Exception {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
        long t0 = System.nanoTime();
        fill(new GreylistStore(db), size, now);
        System.err.printf("%s: stored %,d triplets in %.1f s%n", name, size, (System.nanoTime() - t0) / 1e9);
        GreylistConfig config = ConfigLoader.fromYaml("greylist: {enabled: true}", Map.of()).greylist();
        Greylisting g = Greylisting.create(config, db, clock, new SimpleMeterRegistry(), "bench.example.com", "bench",
                GreylistCheck.FirstSight.NONE);
        @SuppressWarnings("unchecked")
        Check<PolicyRequest.Rcpt> check = g.greylistCheck();
        List<Result> out = new ArrayList<>();
        IntFunction<PolicyRequest.Rcpt> known = i -> request(ThreadLocalRandom.current().nextInt(size));
        AtomicInteger next = new AtomicInteger(size);
        IntFunction<PolicyRequest.Rcpt> fresh = i -> request(next.getAndIncrement());
        warmUp(check, known, WARMUP);
        warmUp(check, fresh, WARMUP);
        for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
            out.add(measure(name, size, "known", check, decisions, t, known));
            out.add(measure(name, size, "new", check, decisions, t, fresh));
        }
        return out;
    }

    /** Decisions run before measuring, so the JIT has compiled the path (and the database cached its pages). */
    static final int WARMUP = 5000;

    static void warmUp(Check<PolicyRequest.Rcpt> check, IntFunction<PolicyRequest.Rcpt> requests, int n) throws Exception {
        for (int i = 0; i < n; i++) check.evaluate(requests.apply(i));
    }

    static void fill(GreylistStore store, int size, Instant now) {
        int chunk = 50_000;
        for (int from = 0; from < size; from += chunk) {
            List<GreylistEntry> entries = new ArrayList<>(Math.min(chunk, size - from));
            for (int i = from; i < Math.min(size, from + chunk); i++) {
                entries.add(new GreylistEntry(key(i), now.minus(Duration.ofDays(1)), now, now.minus(Duration.ofHours(23)), 1,
                        now.plus(Duration.ofDays(35))));
            }
            store.insertAll(entries);
        }
    }

    static String clientIp(int i) {
        return "10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".5";
    }

    static TripletKey key(int i) {
        String ip = clientIp(i);
        return new TripletKey(ip.substring(0, ip.lastIndexOf('.')) + ".0/24", "s" + i + "@example.org", "user" + (i % 1000) + "@example.com");
    }

    static PolicyRequest.Rcpt request(int i) {
        SessionFacts s = new SessionFacts("B" + i, IpNetwork.literal(clientIp(i)), 40000, Optional.of("client.example.org"), false,
                Instant.EPOCH);
        Transaction tx = new Transaction("B" + i + ".1", Sender.parse("s" + i + "@example.org").orElseThrow(), OptionalLong.empty());
        String rcpt = "user" + (i % 1000) + "@example.com";
        return new PolicyRequest.Rcpt(s, new SessionNotes(), tx, rcpt, Mailbox.parse(rcpt).orElseThrow(), EnumSet.noneOf(Exemption.class));
    }

    static Result measure(String db, long stored, String workload, Check<PolicyRequest.Rcpt> check, int decisions, int threads,
            IntFunction<PolicyRequest.Rcpt> requests) throws Exception {
        long[] latencies = new long[decisions];
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < decisions) {
                        PolicyRequest.Rcpt r = requests.apply(i);
                        long a = System.nanoTime();
                        Verdict v = check.evaluate(r);
                        latencies[i] = System.nanoTime() - a;
                        if (v == null) throw new IllegalStateException("no verdict");
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }));
        }
        for (Thread w : workers) w.join();
        long elapsed = System.nanoTime() - start;
        if (failure[0] != null) throw new IllegalStateException("benchmark failed", failure[0]);
        Arrays.sort(latencies);
        return new Result(db, stored, workload, threads, decisions, decisions / (elapsed / 1e9),
                latencies[decisions / 2] / 1e3, latencies[(int) (decisions * 0.99)] / 1e3);
    }

    static void quietLogs() {
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
}
