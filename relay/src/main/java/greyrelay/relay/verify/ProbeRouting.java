package greyrelay.relay.verify;

import java.net.InetSocketAddress;

/**
 * Where to connect for a probe target. In production that is the target's address and {@code verification.probePort};
 * tests map documentation addresses from the fake DNS to scripted MX servers on loopback, each on its own port.
 */
@FunctionalInterface
public interface ProbeRouting {
    InetSocketAddress route(ProbeTarget target);

    /** The production routing: the address DNS gave, on {@code port}. */
    static ProbeRouting port(int port) {
        return target -> new InetSocketAddress(target.address(), port);
    }
}
