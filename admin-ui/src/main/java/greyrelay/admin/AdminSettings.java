package greyrelay.admin;

import java.time.Duration;
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
        initialPassword = initialPassword == null ? "" : initialPassword;
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) throw new IllegalArgumentException("sessionTimeout must be positive");
        if (loginMaxFailures < 1) throw new IllegalArgumentException("loginMaxFailures must be at least 1");
    }

    /** Plain HTTP, closed metrics, 1 h sessions, 5 failures per 15 min, a generated first password: for tests and tools. */
    public static AdminSettings defaults(String node) {
        return new AdminSettings(node, "dev", false, Duration.ofHours(1), 5, Duration.ofMinutes(15), "", Optional.empty(),
                Optional.empty());
    }

    public AdminSettings withInitialPassword(String password) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, loginMaxFailures, loginWindow, password, tls,
                controlToken);
    }

    public AdminSettings withMetricsOpen(boolean open) {
        return new AdminSettings(node, version, open, sessionTimeout, loginMaxFailures, loginWindow, initialPassword, tls,
                controlToken);
    }

    public AdminSettings withTls(SSLContext context) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, loginMaxFailures, loginWindow, initialPassword,
                Optional.of(context), controlToken);
    }

    public AdminSettings withControlToken(String token) {
        return new AdminSettings(node, version, metricsOpen, sessionTimeout, loginMaxFailures, loginWindow, initialPassword,
                tls, Optional.of(token));
    }

    /** Never prints the initial password or the control token. */
    @Override
    public String toString() {
        return "AdminSettings[node=" + node + ", metricsOpen=" + metricsOpen + ", sessionTimeout=" + sessionTimeout
                + ", loginMaxFailures=" + loginMaxFailures + ", loginWindow=" + loginWindow + ", tls=" + tls.isPresent() + "]";
    }
}
