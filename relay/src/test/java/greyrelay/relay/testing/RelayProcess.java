package greyrelay.relay.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay as a separate JVM started from the built jar ({@code relay/target/greyrelay.jar}), for tests of what the
 * operating system does to a process: SIGKILL mid-write, restart on the same spool. Configuration text and
 * environment in; SMTP and admin ports out (chosen free here and passed as {@code GREYRELAY_SMTP_PORT} /
 * {@code GREYRELAY_ADMIN_PORT}, kept across restarts); the process's log lines (stdout and stderr) kept in memory
 * and in {@code <dir>/relay-N.log}. Not tied to any scenario: two-node tests start two of these.
 */
public final class RelayProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("greyrelay \\S+ ready: ");

    private final Path dir;
    private final Path configFile;
    private final Map<String, String> env;
    private final List<String> jvmArgs;
    private final int smtpPort;
    private final int adminPort;
    /** Not a CopyOnWriteArrayList: a chatty relay (garbage clients) logs enough lines to make copying per line stall it. */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private volatile Process process;
    private int starts;

    private RelayProcess(Path dir, String yaml, Map<String, String> env, List<String> jvmArgs) throws IOException {
        this.dir = dir;
        this.configFile = dir.resolve("greyrelay.yaml");
        Files.writeString(configFile, yaml);
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("GREYRELAY_SMTP_PORT", String.valueOf(freePort()));
        e.putIfAbsent("GREYRELAY_ADMIN_PORT", String.valueOf(freePort()));
        this.env = Map.copyOf(e);
        this.smtpPort = Integer.parseInt(this.env.get("GREYRELAY_SMTP_PORT"));
        this.adminPort = Integer.parseInt(this.env.get("GREYRELAY_ADMIN_PORT"));
        this.jvmArgs = List.copyOf(jvmArgs);
    }

    /**
     * Writes {@code yaml} to {@code <dir>/greyrelay.yaml}, starts {@code java -jar greyrelay.jar run --config} on it and
     * waits for the "ready" log line. {@code env} is added to the child's environment (GREYRELAY_* overrides).
     */
    public static RelayProcess start(Path dir, String yaml, Map<String, String> env, List<String> jvmArgs) throws IOException {
        RelayProcess p = new RelayProcess(dir, yaml, env, jvmArgs);
        p.launch();
        return p;
    }

    public static RelayProcess start(Path dir, String yaml) throws IOException {
        return start(dir, yaml, Map.of(), List.of("-Xmx256m"));
    }

    /** The jar under test: {@code -Dgreyrelay.jar=PATH}, else {@code target/greyrelay.jar} (failsafe runs in relay/). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("greyrelay.jar", "target/greyrelay.jar"));
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw package first");
        return jar;
    }

    private synchronized void launch() throws IOException {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running, pid " + process.pid());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        cmd.add("run");
        cmd.add("--config");
        cmd.add(configFile.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GREYRELAY_"));
        pb.environment().putAll(env);
        int n = ++starts;
        Path file = dir.resolve("relay-" + n + ".log");
        Process p = pb.start();
        process = p;
        int mark = log.size();
        Thread.ofPlatform().daemon().name("relay-log-" + p.pid()).start(() -> pump(p, file));
        try {
            awaitLog(mark, l -> READY.matcher(l).find(), Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private void pump(Process p, Path file) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer w = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = r.readLine()) != null) {
                log.add(line);
                w.write(line);
                w.write('\n');
                if (!r.ready()) w.flush(); // once per burst: the pump must keep up, or the relay blocks writing its log
            }
        } catch (IOException e) {
            // the process died: its output ends here
        }
    }

    /** Waits until a log line after index {@code from} matches; fails with the last lines on timeout or exit. */
    public String awaitLog(int from, Predicate<String> match, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (System.nanoTime() < end) {
            while (i < log.size()) {
                String l = log.get(i++);
                if (match.test(l)) return l;
            }
            Process p = process;
            if (p != null && !p.isAlive() && i >= log.size()) {
                sleep(200); // let the pump drain
                if (i >= log.size()) throw new IllegalStateException("relay exited (" + p.exitValue() + "); log tail:\n" + tail(30));
            }
            sleep(50);
        }
        throw new IllegalStateException("no matching log line within " + timeout + "; log tail:\n" + tail(30));
    }

    /** Every log line of every start so far. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public String tail(int lines) {
        List<String> l = log();
        return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL (no shutdown hook, no flush): waits until the process is gone. */
    public void kill() {
        Process p = process;
        p.destroyForcibly();
        waitFor(p);
    }

    /** SIGTERM: the relay's graceful shutdown; waits until the process is gone. */
    public void stop() {
        Process p = process;
        if (p == null) return;
        p.destroy();
        if (!waitFor(p)) {
            p.destroyForcibly();
            waitFor(p);
        }
    }

    /** Starts again on the same configuration, data directory and ports; waits for "ready". */
    public void restart() throws IOException {
        if (isAlive()) stop();
        launch();
    }

    /** Replaces the configuration file (takes effect at the next {@link #restart()}). */
    public void rewriteConfig(String yaml) throws IOException {
        Files.writeString(configFile, yaml);
    }

    /** {@code /metrics} from the admin port (needs {@code admin.metricsOpen: true}). */
    public String metrics() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException("/metrics answered " + r.statusCode());
            return r.body();
        }
    }

    /** The sum of the samples of one series in a Prometheus text page (labels ignored); NaN when absent. */
    public static double sample(String page, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(page);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        return found ? sum : Double.NaN;
    }

    /** Live threads of the process, from {@code /proc} (Linux), without asking the relay. */
    public int threads() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (l.startsWith("Threads:")) return Integer.parseInt(l.substring(8).strip());
        }
        throw new IOException("no Threads: line");
    }

    /** Resident memory of the process in bytes, from {@code /proc} (Linux). */
    public long residentBytes() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.substring(6).replace("kB", "").strip()) * 1024;
        }
        throw new IOException("no VmRSS: line");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean waitFor(Process p) {
        try {
            return p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) stop();
    }
}
