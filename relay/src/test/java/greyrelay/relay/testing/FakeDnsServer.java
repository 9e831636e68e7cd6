package greyrelay.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real DNS responder for tests: dnsjava messages over UDP and TCP on 127.0.0.1, both on the same port number,
 * answering like a recursive resolver from data the test registers. Give {@link #address()} to the resolver.
 *
 * <pre>{@code
 * try (var dns = FakeDnsServer.start()) {
 *     dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "192.0.2.1");
 *     ...
 *     assertThat(dns.queryCount("example.com", "MX")).isEqualTo(1);
 *     dns.assertNoUnexpectedQueries();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Names are case-insensitive, with or without the trailing dot.</li>
 *   <li>For each name, the last call wins between data and a failure mode: registering a record clears
 *       {@code nxdomain/servfail/refused/timeout} for that name, and a failure mode hides and drops its records.
 *       Data may change between queries; {@link #remove(String)} forgets one name.</li>
 *   <li>CNAMEs are chased through the registered data, as a recursive resolver would; the answer holds the chain
 *       and the target's records. A target with a failure mode answers with that rcode ({@code timeout} gives
 *       SERVFAIL, as a recursive server would); a target nobody registered gives NXDOMAIN.</li>
 *   <li>A name nobody registered answers NXDOMAIN (REFUSED in {@link #strict()} mode) and is recorded as
 *       unexpected; see {@link #assertNoUnexpectedQueries()}.</li>
 *   <li>{@link #timeoutOtherTypes} makes a name answer only the types it has and let every other query time
 *       out (the RFC 7208 test suite's {@code TIMEOUT} entries).</li>
 *   <li>UDP replies respect 512 bytes or the client's EDNS size, setting TC when they do not fit.</li>
 * </ul>
 *
 * <p>Type names in the query log are the usual mnemonics ({@code "MX"}, {@code "TXT"}), so tests outside the dns
 * package need not import dnsjava. Records are built with dnsjava constructors and {@code Address.getByAddress},
 * never {@code InetAddress.getByName}, so nothing here touches the system resolver.
 */
public final class FakeDnsServer implements AutoCloseable {

    public enum Transport { UDP, TCP }

    /** One query as received: the name lower case without trailing dot, the type mnemonic, the transport. */
    public record Query(String name, String type, Transport transport) {}

    private enum Failure { NXDOMAIN, SERVFAIL, REFUSED, TIMEOUT }

    private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    private static final int MAX_CNAME_HOPS = 16;
    private static final int BIND_TRIES = 20;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private final Map<Name, List<Record>> records = new HashMap<>();
    private final Map<Name, Failure> failures = new HashMap<>();
    private final Set<Name> truncated = new HashSet<>();
    private final Set<Name> otherTypesTimeOut = new HashSet<>();
    private final List<Query> queries = new ArrayList<>();
    private final List<Query> unexpected = new ArrayList<>();
    private long ttlSeconds = DEFAULT_TTL.toSeconds();
    private volatile boolean strict;
    private volatile boolean silent;

    private FakeDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofVirtual().name("fake-dns-udp-" + tcp.getLocalPort()).start(this::serveUdp);
        Thread.ofVirtual().name("fake-dns-tcp-" + tcp.getLocalPort()).start(this::acceptTcp);
    }

    /** Binds TCP on an ephemeral loopback port, then UDP on the same number, and starts serving. */
    public static FakeDnsServer start() {
        InetAddress loopback = literal("127.0.0.1", Address.IPv4);
        IOException last = null;
        for (int i = 0; i < BIND_TRIES; i++) {
            ServerSocket tcp = null;
            try {
                tcp = new ServerSocket(0, 50, loopback);
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()));
                return new FakeDnsServer(udp, tcp);
            } catch (BindException e) { // the UDP port of that number was taken; try another number
                last = e;
                closeQuietly(tcp);
            } catch (IOException e) {
                closeQuietly(tcp);
                throw new UncheckedIOException(e);
            }
        }
        throw new UncheckedIOException("no port free for both UDP and TCP", last);
    }

    /** Where to send queries: 127.0.0.1 and the shared UDP/TCP port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    // ---- registration ------------------------------------------------------------------------------------------

    /** TTL for records registered from now on (default 5 minutes). */
    public FakeDnsServer ttl(Duration ttl) {
        synchronized (lock) {
            ttlSeconds = ttl.toSeconds();
        }
        return this;
    }

    public FakeDnsServer mx(String domain, int preference, String host) {
        Name owner = name(domain);
        return add(new MXRecord(owner, DClass.IN, ttlSeconds(), preference, name(host)));
    }

    /** RFC 7505 null MX: one MX, preference 0, target ".". */
    public FakeDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, ttlSeconds(), 0, Name.root));
    }

    public FakeDnsServer a(String name, String ipv4) {
        return add(new ARecord(name(name), DClass.IN, ttlSeconds(), literal(ipv4, Address.IPv4)));
    }

    public FakeDnsServer aaaa(String name, String ipv6) {
        return add(new AAAARecord(name(name), DClass.IN, ttlSeconds(), literal(ipv6, Address.IPv6)));
    }

    /**
     * One TXT record whose character-strings are {@code strings} (UTF-8), each split into 255-byte pieces when
     * longer. Call it again for a second record at the same name.
     */
    public FakeDnsServer txt(String name, String... strings) {
        byte[][] raw = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            raw[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        }
        return txtBytes(name, raw);
    }

    /** One TXT record with raw bytes as its character-strings (for non-UTF-8 data); long ones are split. */
    public FakeDnsServer txtBytes(String name, byte[]... strings) {
        return add(Record.newRecord(name(name), Type.TXT, DClass.IN, ttlSeconds(), characterStrings(strings)));
    }

    /**
     * One record of the obsolete SPF type (99, RFC 4408), same data format as TXT. RFC 7208 §3.1 says not to use it;
     * tests serve it to show nobody asks for it.
     */
    public FakeDnsServer spfType(String name, String... strings) {
        byte[][] raw = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            raw[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        }
        return add(Record.newRecord(name(name), Type.SPF, DClass.IN, ttlSeconds(), characterStrings(raw)));
    }

    private static byte[] characterStrings(byte[]... strings) {
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        if (strings.length == 0) {
            rdata.write(0);
        }
        for (byte[] s : strings) {
            int at = 0;
            do {
                int n = Math.min(255, s.length - at);
                rdata.write(n);
                rdata.write(s, at, n);
                at += n;
            } while (at < s.length);
        }
        return rdata.toByteArray();
    }

    /** A PTR record for the address literal {@code ip} (IPv4 or IPv6). */
    public FakeDnsServer ptr(String ip, String name) {
        int family = ip.contains(":") ? Address.IPv6 : Address.IPv4;
        Name reverse = ReverseMap.fromAddress(literal(ip, family));
        return add(new PTRRecord(reverse, DClass.IN, ttlSeconds(), name(name)));
    }

    /** A PTR record at the reverse name {@code owner} as written (e.g. {@code 4.3.2.1.in-addr.arpa}). */
    public FakeDnsServer ptrAt(String owner, String target) {
        return add(new PTRRecord(name(owner), DClass.IN, ttlSeconds(), name(target)));
    }

    public FakeDnsServer cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, ttlSeconds(), name(target)));
    }

    public FakeDnsServer nxdomain(String name) {
        return fail(name, Failure.NXDOMAIN);
    }

    public FakeDnsServer servfail(String name) {
        return fail(name, Failure.SERVFAIL);
    }

    public FakeDnsServer refused(String name) {
        return fail(name, Failure.REFUSED);
    }

    /** Never answers queries for {@code name}, over UDP or TCP. */
    public FakeDnsServer timeout(String name) {
        return fail(name, Failure.TIMEOUT);
    }

    /**
     * Queries for {@code name} of a type it has no records of (and no CNAME) are never answered, as a broken server
     * that knows only some types; a name with no records at all then never answers. Registered records still answer.
     * Stays set until {@link #remove} or {@link #reset}.
     */
    public FakeDnsServer timeoutOtherTypes(String name) {
        synchronized (lock) {
            otherTypesTimeOut.add(name(name));
        }
        return this;
    }

    /** UDP replies for {@code name} carry no records and the TC flag, so the client retries over TCP. */
    public FakeDnsServer truncate(String name) {
        synchronized (lock) {
            truncated.add(name(name));
        }
        return this;
    }

    /** {@code true}: no query of any name is answered (the server is gone but its port is not closed); {@code false}: back. */
    public FakeDnsServer silent(boolean on) {
        silent = on;
        return this;
    }

    /** Unknown names get REFUSED instead of NXDOMAIN (they are still recorded as unexpected). */
    public FakeDnsServer strict() {
        strict = true;
        return this;
    }

    /** Forgets everything about {@code name}: records, failure mode, truncation. */
    public FakeDnsServer remove(String name) {
        Name owner = name(name);
        synchronized (lock) {
            records.remove(owner);
            failures.remove(owner);
            truncated.remove(owner);
            otherTypesTimeOut.remove(owner);
        }
        return this;
    }

    /** Clears all data, modes, the TTL and both query logs; keeps strict mode. Safe to call any number of times. */
    public void reset() {
        synchronized (lock) {
            records.clear();
            failures.clear();
            truncated.clear();
            otherTypesTimeOut.clear();
            queries.clear();
            unexpected.clear();
            ttlSeconds = DEFAULT_TTL.toSeconds();
        }
    }

    // ---- assertions ------------------------------------------------------------------------------------------

    /** Every query received so far, in order. */
    public List<Query> queries() {
        synchronized (lock) {
            return List.copyOf(queries);
        }
    }

    /** Queries for names nobody registered. */
    public List<Query> unexpectedQueries() {
        synchronized (lock) {
            return List.copyOf(unexpected);
        }
    }

    /** How many queries of {@code type} (mnemonic, any case) for {@code name} (any case, dot optional) came in. */
    public int queryCount(String name, String type) {
        String wanted = text(name(name));
        return (int) queries().stream()
                .filter(q -> q.name().equals(wanted) && q.type().equalsIgnoreCase(type))
                .count();
    }

    public void assertNoUnexpectedQueries() {
        List<Query> seen = unexpectedQueries();
        if (!seen.isEmpty()) {
            throw new AssertionError("FakeDnsServer got queries for names nobody registered: " + seen);
        }
    }

    @Override
    public void close() {
        closeQuietly(tcp);
        udp.close();
        for (Socket s : connections) {
            closeQuietly(s);
        }
    }

    // ---- serving -----------------------------------------------------------------------------------------------

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                byte[] in = Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getLength());
                Optional<byte[]> out = answer(in, Transport.UDP);
                if (out.isPresent()) {
                    udp.send(new DatagramPacket(out.get(), out.get().length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
                // a send to a client that went away; keep serving
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket socket = tcp.accept();
                connections.add(socket);
                Thread.ofVirtual().name("fake-dns-tcp-conn").start(() -> serveTcp(socket));
            } catch (IOException e) {
                if (tcp.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serveTcp(Socket socket) {
        try (socket;
             DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                Optional<byte[]> reply = answer(query, Transport.TCP);
                if (reply.isPresent()) {
                    out.writeShort(reply.get().length);
                    out.write(reply.get());
                    out.flush();
                }
            }
        } catch (EOFException | SocketException e) {
            // client closed the connection, or we are closing
        } catch (IOException e) {
            // broken connection: nothing to answer
        } finally {
            connections.remove(socket);
        }
    }

    /** The wire reply for one query, or empty when the query is garbage or the name is set to time out. */
    private Optional<byte[]> answer(byte[] wire, Transport transport) {
        if (silent) return Optional.empty();
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return Optional.empty();
        }
        Record question = query.getQuestion();
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        if (question == null) {
            reply.getHeader().setRcode(Rcode.FORMERR);
            return Optional.of(reply.toWire());
        }
        reply.addRecord(question, Section.QUESTION);
        Name qname = question.getName().canonicalize();
        int qtype = question.getType();
        Query logged = new Query(text(qname), Type.string(qtype), transport);

        synchronized (lock) {
            queries.add(logged);
            Failure failure = failures.get(qname);
            if (failure == Failure.TIMEOUT) {
                return Optional.empty();
            }
            if (failure == null && otherTypesTimeOut.contains(qname) && !hasType(qname, qtype)) {
                return Optional.empty();
            }
            if (failure != null) {
                reply.getHeader().setRcode(rcode(failure));
            } else if (!records.containsKey(qname)) {
                unexpected.add(logged);
                reply.getHeader().setRcode(strict ? Rcode.REFUSED : Rcode.NXDOMAIN);
            } else if (transport == Transport.UDP && truncated.contains(qname)) {
                reply.getHeader().setFlag(Flags.TC);
            } else {
                fillAnswer(reply, qname, qtype);
            }
        }

        OPTRecord opt = query.getOPT();
        int limit = 512;
        if (opt != null) {
            limit = Math.max(512, opt.getPayloadSize());
            reply.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        // toWire(limit) drops what does not fit and sets TC, as a server with a small buffer would.
        return Optional.of(transport == Transport.UDP ? reply.toWire(limit) : reply.toWire());
    }

    /** Chases CNAMEs through our data like a recursive resolver; sets the rcode for dangling or failing targets. */
    private void fillAnswer(Message reply, Name qname, int qtype) {
        Name current = qname;
        for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            Failure failure = failures.get(current);
            if (failure == Failure.TIMEOUT) {
                reply.getHeader().setRcode(Rcode.SERVFAIL); // a recursive server would give up on the target
                return;
            }
            if (failure != null) {
                reply.getHeader().setRcode(rcode(failure));
                return;
            }
            List<Record> here = records.get(current);
            if (here == null) {
                reply.getHeader().setRcode(Rcode.NXDOMAIN);
                return;
            }
            List<Record> matches = here.stream().filter(r -> r.getType() == qtype).toList();
            if (!matches.isEmpty()) {
                matches.forEach(r -> reply.addRecord(r, Section.ANSWER));
                return;
            }
            Optional<Record> alias = here.stream().filter(r -> r.getType() == Type.CNAME).findFirst();
            if (alias.isEmpty()) {
                return; // NODATA
            }
            reply.addRecord(alias.get(), Section.ANSWER);
            current = ((CNAMERecord) alias.get()).getTarget().canonicalize();
        }
    }

    /** True when {@code name} has records of {@code type}, or a CNAME (which answers every type). */
    private boolean hasType(Name name, int type) {
        List<Record> here = records.getOrDefault(name, List.of());
        return here.stream().anyMatch(r -> r.getType() == type || r.getType() == Type.CNAME);
    }

    private static int rcode(Failure failure) {
        return switch (failure) {
            case NXDOMAIN -> Rcode.NXDOMAIN;
            case SERVFAIL, TIMEOUT -> Rcode.SERVFAIL;
            case REFUSED -> Rcode.REFUSED;
        };
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private FakeDnsServer add(Record record) {
        synchronized (lock) {
            Name owner = record.getName().canonicalize();
            failures.remove(owner);
            records.computeIfAbsent(owner, n -> new ArrayList<>()).add(record);
        }
        return this;
    }

    private FakeDnsServer fail(String name, Failure failure) {
        Name owner = name(name);
        synchronized (lock) {
            records.remove(owner);
            failures.put(owner, failure);
        }
        return this;
    }

    private long ttlSeconds() {
        synchronized (lock) {
            return ttlSeconds;
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root).canonicalize();
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    private static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static InetAddress literal(String ip, int family) {
        try {
            return Address.getByAddress(ip, family);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing during teardown; nothing useful to do
        }
    }
}
