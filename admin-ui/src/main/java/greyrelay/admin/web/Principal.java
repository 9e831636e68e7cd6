package greyrelay.admin.web;

/**
 * Who is making a request: a logged-in user (browser session), a script with an API token, or the relay's own CLI
 * with the local control token. Every kind has the same rights; the kind only decides whether CSRF applies (sessions).
 */
public record Principal(String name, Kind kind) {
    public enum Kind { USER, API_TOKEN, CONTROL_TOKEN }

    public static Principal user(String name) {
        return new Principal(name, Kind.USER);
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
