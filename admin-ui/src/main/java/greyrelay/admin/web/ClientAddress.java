package greyrelay.admin.web;

import greyrelay.db.net.IpNetwork;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address as the panel uses it (login throttling, audit log, sessions). The TCP peer, unless the peer is
 * one of {@code admin.trustedProxies}: then {@code X-Forwarded-For} is read from the right, each trusted hop is skipped,
 * and the first address that is not a trusted proxy is the client (what a trusted proxy appended is true; anything to
 * its left may be forged by the client). An unreadable entry ends the walk at the last trusted hop.
 */
public final class ClientAddress {
    private static final String ATTRIBUTE = "greyrelay.clientIp";
    private final List<IpNetwork> trusted;

    public ClientAddress(List<IpNetwork> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** A before-handler: works the address out once per request, for {@link #of(Context)}. */
    public void handle(Context ctx) {
        ctx.attribute(ATTRIBUTE, resolve(ctx.req().getRemoteAddr(), ctx.req().getHeaders("X-Forwarded-For") == null
                ? List.of() : java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For"))));
    }

    /** The client address worked out by {@link #handle}; the TCP peer when it has not run. */
    public static String of(Context ctx) {
        String ip = ctx.attribute(ATTRIBUTE);
        return ip == null ? ctx.ip() : ip;
    }

    /** @param forwardedFor every X-Forwarded-For header, in order */
    String resolve(String peer, List<String> forwardedFor) {
        String current = peer;
        if (trusted.isEmpty() || !isTrusted(current)) return current;
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String part : header.split(",")) hops.add(part.strip());
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress a = parse(hops.get(i));
            if (a == null) return current;
            current = IpNetwork.format(a);
            if (!isTrusted(current)) return current;
        }
        return current;
    }

    private boolean isTrusted(String ip) {
        InetAddress a = parse(ip);
        return a != null && trusted.stream().anyMatch(n -> n.contains(a));
    }

    private static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) return null;
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return IpNetwork.unmapIpv4(IpNetwork.literal(t));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
