package greyrelay.relay.faults;

import greyrelay.relay.testing.DownstreamSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scenario sent and what came of it: per message id the reply that ended its transaction ("250", "451", ...,
 * or "none" when the connection broke before a reply), and what the downstream received. Ids are carried in an
 * {@code X-Fault-Id} header.
 */
final class Ledger {
    static final String NONE = "none";
    private static final Pattern ID = Pattern.compile("(?m)^X-Fault-Id: (\\S+)\r?$");

    final String scenario;
    private final Map<String, String> outcome = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();

    Ledger(String scenario) {
        this.scenario = scenario;
    }

    String newId(String tag) {
        return scenario + "-" + tag + "-" + seq.incrementAndGet();
    }

    void sent(String id) {
        outcome.put(id, NONE);
    }

    /** The reply's code and enhanced status code, e.g. "451 4.3.0" ("250" for success). */
    void replied(String id, String reply) {
        outcome.put(id, reply);
    }

    boolean acknowledged(String id) {
        return "250".equals(outcome.get(id));
    }

    Map<String, String> outcomes() {
        return Map.copyOf(outcome);
    }

    static String idOf(DownstreamSink.Received r) {
        Matcher m = ID.matcher(new String(r.data(), StandardCharsets.ISO_8859_1));
        return m.find() ? m.group(1) : null;
    }

    /** Copies the sink holds of each of our ids. */
    Map<String, Integer> deliveries(DownstreamSink sink) {
        Map<String, Integer> n = new TreeMap<>();
        for (DownstreamSink.Received r : sink.received()) {
            String id = idOf(r);
            if (id != null && outcome.containsKey(id)) n.merge(id, 1, Integer::sum);
        }
        return n;
    }

    List<String> lost(DownstreamSink sink) {
        Map<String, Integer> d = deliveries(sink);
        List<String> lost = new ArrayList<>();
        for (var e : new TreeMap<>(outcome).entrySet()) {
            if (e.getValue().equals("250") && !d.containsKey(e.getKey())) lost.add(e.getKey());
        }
        return lost;
    }

    /** Polls until every acknowledged message reached the sink, or {@code timeout}. */
    void awaitDelivered(DownstreamSink sink, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!lost(sink).isEmpty() && System.nanoTime() < end) Thread.sleep(200);
    }

    record Counts(int sent, int acknowledged, int delivered, int deliveredTwice, int lost, Map<String, Integer> replies) {}

    Counts counts(DownstreamSink sink) {
        Map<String, Integer> d = deliveries(sink);
        Map<String, Integer> replies = new TreeMap<>();
        int acked = 0;
        for (String v : outcome.values()) {
            replies.merge(v, 1, Integer::sum);
            if (v.equals("250")) acked++;
        }
        int twice = (int) d.values().stream().filter(c -> c > 1).count();
        return new Counts(outcome.size(), acked, d.size(), twice, lost(sink).size(), replies);
    }

    /** A second group's figures inside a scenario's one line: {@code {sent=…, acknowledged=…, …, replies={…}}}. */
    String brief(DownstreamSink sink) {
        Counts c = counts(sink);
        return "{sent=" + c.sent() + " acknowledged=" + c.acknowledged() + " delivered=" + c.delivered() + " lost=" + c.lost()
                + " replies=" + c.replies() + "}";
    }

    /** The one line a scenario prints, with any extra figures it measured. */
    String line(DownstreamSink sink, String extra) {
        Counts c = counts(sink);
        String s = "FAULTS " + scenario + ": sent=" + c.sent() + " acknowledged=" + c.acknowledged() + " delivered=" + c.delivered()
                + " deliveredTwice=" + c.deliveredTwice() + " lost=" + c.lost() + " replies=" + c.replies()
                + (extra == null || extra.isEmpty() ? "" : " " + extra);
        System.out.println(s);
        return s;
    }

    /** Ids that got {@code 250} and never reached the sink: the promise broken. */
    String lostMessage(DownstreamSink sink) {
        List<String> lost = lost(sink);
        return "scenario " + scenario + ": " + lost.size() + " acknowledged message(s) lost: "
                + lost.subList(0, Math.min(lost.size(), 50));
    }

    /** Ids whose transaction ended with a reply of class {@code digit} (e.g. '5'). */
    List<String> withReplyClass(char digit) {
        return new TreeMap<>(outcome).entrySet().stream().filter(e -> e.getValue().charAt(0) == digit).map(Map.Entry::getKey).toList();
    }
}
