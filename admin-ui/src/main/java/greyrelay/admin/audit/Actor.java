package greyrelay.admin.audit;

/**
 * Who made a change and from where, for the audit log.
 *
 * @param name     a username, {@code token:<name>}, {@code control-token} or {@code cli:<os user>}
 * @param clientIp the browser's or script's address; null from the command line
 */
public record Actor(String name, String clientIp) {
    /** The person at this machine's command line. */
    public static Actor cli() {
        return new Actor("cli:" + System.getProperty("user.name", "unknown"), null);
    }

    /** The panel itself (first start). */
    public static Actor system() {
        return new Actor("system", null);
    }
}
