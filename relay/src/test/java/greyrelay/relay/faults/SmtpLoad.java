package greyrelay.relay.faults;

import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.SmtpConversation;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator: {@code sessions} threads, each sending messages continuously (several per connection) until
 * stopped; every transaction's outcome goes to the ledger. Connection failures (the relay is down) are waited out.
 */
final class SmtpLoad implements AutoCloseable {
    private final Ledger ledger;
    private final int port;
    private final InetAddress local;
    private final List<Thread> threads = new ArrayList<>();
    /** Connections that got their banner. */
    final AtomicLong greeted = new AtomicLong();
    private volatile boolean running = true;
    /** The reverse path of each message, from its id (default: one fixed sender). */
    volatile java.util.function.Function<String, String> sender = id -> Examples.JANE;
    final AtomicLong connectFailures = new AtomicLong();
    /** Longest time one reply took, in ms (a hang shows here). */
    final AtomicLong slowestReplyMs = new AtomicLong();

    private SmtpLoad(Ledger ledger, int port, InetAddress local) {
        this.ledger = ledger;
        this.port = port;
        this.local = local;
    }

    static SmtpLoad start(Ledger ledger, int port, int sessions, String tag) {
        return start(ledger, port, sessions, tag, null);
    }

    static SmtpLoad start(Ledger ledger, int port, int sessions, String tag, InetAddress local) {
        return start(ledger, port, sessions, tag, local, id -> Examples.JANE);
    }

    static SmtpLoad start(Ledger ledger, int port, int sessions, String tag, InetAddress local,
            java.util.function.Function<String, String> sender) {
        SmtpLoad load = new SmtpLoad(ledger, port, local);
        load.sender = sender;
        for (int i = 0; i < sessions; i++) {
            String t = tag + i;
            load.threads.add(Thread.ofPlatform().daemon().name("load-" + t).start(() -> load.session(t)));
        }
        return load;
    }

    private void session(String tag) {
        while (running) {
            String current = null;
            try (SmtpConversation c = SmtpConversation.open(InetAddress.getLoopbackAddress(), port, local)) {
                if (timed(c).code() != 220) {
                    pause(200);
                    continue;
                }
                greeted.incrementAndGet();
                c.send("EHLO " + Examples.HELO);
                if (timed(c).code() != 250) continue;
                for (int n = 0; n < 5 && running; n++) {
                    current = ledger.newId(tag);
                    SmtpConversation.Reply r = send(c, current);
                    ledger.replied(current, label(r));
                    current = null;
                    if (r.code() != 250) {
                        pause(100);
                        break;
                    }
                }
                c.send("QUIT");
            } catch (IOException e) {
                if (current == null) connectFailures.incrementAndGet();
                pause(100);
            }
        }
    }

    /** One transaction; the reply that ended it. */
    private SmtpConversation.Reply send(SmtpConversation c, String id) throws IOException {
        ledger.sent(id);
        c.send("MAIL FROM:<" + sender.apply(id) + ">");
        SmtpConversation.Reply r = timed(c);
        if (r.code() != 250) return r;
        c.send("RCPT TO:<" + Examples.JOHN + ">");
        r = timed(c);
        if (r.code() != 250) {
            c.send("RSET");
            timed(c);
            return r;
        }
        c.send("DATA");
        r = timed(c);
        if (r.code() != 354) return r;
        c.raw(message(id));
        return timed(c);
    }

    /** "250", or "451 4.3.0": the code and the enhanced status code of a refusal. */
    static String label(SmtpConversation.Reply r) {
        if (r.code() == 250) return "250";
        String[] words = r.last().split(" ");
        return words.length > 1 && words[1].matches("\\d\\.\\d{1,3}\\.\\d{1,3}") ? r.code() + " " + words[1] : String.valueOf(r.code());
    }

    static byte[] message(String id) {
        return ("From: " + Examples.JANE + "\r\nTo: " + Examples.JOHN + "\r\nSubject: fault " + id + "\r\nMessage-ID: <" + id
                + "@example.org>\r\nX-Fault-Id: " + id + "\r\n\r\nfault suite message " + id + "\r\n.\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private SmtpConversation.Reply timed(SmtpConversation c) throws IOException {
        long t0 = System.nanoTime();
        try {
            return c.read();
        } finally {
            slowestReplyMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the transactions in progress, waiting for them. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join(30_000);
    }
}
