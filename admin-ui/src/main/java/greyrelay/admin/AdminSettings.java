package greyrelay.admin;

import greyrelay.db.net.IpNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What the panel needs to know about its surroundings, built by whoever embeds it (the relay, from {@code admin.*}).
 * admin-ui never reads the relay's configuration itself.
 *
 * @param node             this node's name ({@code node.name}): shown in the header, written to the audit log
 * @param version          shown in the footer
 * @param metricsOpen      {@code admin.metricsOpen}: serve {@code /metrics} without login
 * @param sessionTimeout   {@code admin.sessionTimeout}: a session idle this long ends
 * @param loginMaxFailures {@code admin.loginMaxFailures}: failed logins per client IP within {@code loginWindow} before
 *                         further attempts are refused until the window has passed
 * @param loginWindow      {@code admin.loginWindow}
 * @param loginMaxFailuresPerAccount {@code admin.loginMaxFailuresPerAccount}: failed logins for one username (from any
 *                         address) within {@code loginWindow} before further attempts for it are refused
 * @param trustedProxies   {@code admin.trustedProxies}: peers whose {@code X-Forwarded-For} is believed
 * @param initialPassword  {@code admin.password}: the first user's password when the database has no user; "" makes
 *                         the panel generate one and print it once in the log
 * @param tls              the server context when {@code admin.tls.*} is set: the panel then speaks HTTPS only and
 *                         marks its cookies Secure
 * @param controlToken     the local control token ({@code <dataDir>/control.token}) accepted as an API token; empty
 *                         when the panel runs alone
 */
public record AdminSettings(
        String node,
        String version,
        boolean metricsOpen,
        Duration sessionTimeout,
        int loginMaxFailures,
        Duration loginWindow,
        int loginMaxFailuresPerAccount,
        List<IpNetwork> trustedProxies,
        String initialPassword,
        Optional<SSLContext> tls,
        Optional<String> controlToken) {

    public AdminSettings {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(loginWindow, "loginWindow");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(controlToken, "controlToken");
        trustedProxies = List.copyOf(trustedProxies);
        if (loginMaxFailuresPerAccount < 1) throw new IllegalArgumentException("loginMaxFailuresPerAccount must be at least 1");
        initialPassword = initialPassword == null ? "" : initialPassword;
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) throw new IllegalArgumentException("sessionTimeout must be positive");
        if (loginMaxFailures < 1) throw new IllegalArgumentException("loginMaxFailures must be at least 1");
    }

    /** Plain HTTP, closed metrics, 1 h sessions, 5 failures per address and 20 per account per 15 min, no trusted proxy, a generated first password: for tests and tools. */
    public static AdminSettings defaults(String node) {
        return new AdminSettings(node, "dev", false, Duration.ofHours(1), 5, Duration.ofMinutes(15), 20, List.of(), "", Optional.empty(),
                Optional.empty());
    }

    public AdminSettings withInitialPassword(String password) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, loginMaxFailures, loginWindow, loginMaxFailuresPerAccount, trustedProxies, password, tls,
                controlToken);
    }

    public AdminSettings withMetricsOpen(boolean open) {
        return new AdminSettings(node, version, open, sessionTimeout, loginMaxFailures, loginWindow, loginMaxFailuresPerAccount, trustedProxies, initialPassword, tls,
                controlToken);
    }

    public AdminSettings withTrustedProxies(List<IpNetwork> proxies) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, loginMaxFailures, loginWindow,
                loginMaxFailuresPerAccount, proxies, initialPassword, tls, controlToken);
    }

    public AdminSettings withLoginLimits(int perAddress, int perAccount, Duration window) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, perAddress, window, perAccount, trustedProxies,
                initialPassword, tls, controlToken);
    }

    public AdminSettings withTls(SSLContext context) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, loginMaxFailures, loginWindow, loginMaxFailuresPerAccount, trustedProxies, initialPassword,
                Optional.of(context), controlToken);
    }

    public AdminSettings withControlToken(String token) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, loginMaxFailures, loginWindow, loginMaxFailuresPerAccount, trustedProxies, initialPassword,
                tls, Optional.of(token));
    }

    /** Never prints the initial password or the control token. */
    @Override
    public String toString() {
        return "AdminSettings[node=" + node + ", metricsOpen=" + metricsOpen + ", sessionTimeout=" + sessionTimeout
                + ", loginMaxFailures=" + loginMaxFailures + ", loginWindow=" + loginWindow + ", loginMaxFailuresPerAccount=" + loginMaxFailuresPerAccount + ", trustedProxies="
                + trustedProxies + ", tls=" + tls.isPresent() + ", controlToken=" + (controlToken.isPresent() ? "********" : "none")
                + "]";
    }
}
