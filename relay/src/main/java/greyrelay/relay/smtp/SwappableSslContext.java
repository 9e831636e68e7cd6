package greyrelay.relay.smtp;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The listener's STARTTLS context, whose certificate can be replaced while it runs (a renewed certificate at
 * {@code greyrelay reload}): each STARTTLS asks for the socket factory of the context in force at that moment, so a
 * session already encrypted keeps its keys and the next one gets the new certificate. The SMTP library takes an
 * {@link SSLContext}, hence a context that delegates.
 */
public final class SwappableSslContext extends SSLContext {
    private final Delegate spi;

    private SwappableSslContext(Delegate spi, SSLContext initial) {
        super(spi, initial.getProvider(), initial.getProtocol());
        this.spi = spi;
    }

    public static SwappableSslContext of(SSLContext initial) {
        return new SwappableSslContext(new Delegate(initial), initial);
    }

    /** Later STARTTLS handshakes use {@code next}. */
    public void swap(SSLContext next) {
        spi.current.set(next);
    }

    private static final class Delegate extends SSLContextSpi {
        final AtomicReference<SSLContext> current;

        Delegate(SSLContext initial) {
            this.current = new AtomicReference<>(initial);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return current.get().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return current.get().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return current.get().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return current.get().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return current.get().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return current.get().getClientSessionContext();
        }
    }
}
