package greyrelay.admin.web;

import greyrelay.db.admin.AdminRole;
import java.util.Objects;

/**
 * Who is making a request: a logged-in user (browser session), a script with an API token, or the relay's own CLI
 * with the local control token; and with which role. The kind decides whether CSRF applies (sessions); the role what
 * may be done ({@link RoleGate}). The control token is always {@link AdminRole#ADMIN}.
 */
public record Principal(String name, Kind kind, AdminRole role) {
    public enum Kind { USER, API_TOKEN, CONTROL_TOKEN }

    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(role, "role");
    }

    public static Principal user(String name, AdminRole role) {
        return new Principal(name, Kind.USER, role);
    }

    public boolean isAdmin() {
        return role == AdminRole.ADMIN;
    }

    /** How the audit log names this principal. */
    public String actor() {
        return switch (kind) {
            case USER -> name;
            case API_TOKEN -> "token:" + name;
            case CONTROL_TOKEN -> "control-token";
        };
    }
}
