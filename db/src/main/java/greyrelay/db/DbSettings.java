package greyrelay.db;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the database lives: the {@code database.*} keys plus {@code dataDir}.
 *
 * <p>An empty {@code url} means the embedded H2 file {@code <dataDir>/greyrelay}; a {@code jdbc:postgresql:} url
 * means a (possibly shared) PostgreSQL. Anything else is refused here, at configuration time, with a message that
 * names the key. {@code user} and {@code password} are used for PostgreSQL only: the embedded file is private to
 * this process and protected by the permissions of {@code dataDir}.
 *
 * @param url      {@code database.url}: empty, or a {@code jdbc:postgresql:} url
 * @param user     {@code database.user} (PostgreSQL only; empty: the url's {@code user} parameter or the
 *                 driver's default)
 * @param password {@code database.password} (PostgreSQL only)
 * @param dataDir  {@code dataDir}: the H2 file is created here (the directory too, if missing)
 * @param poolSize {@code database.poolSize}: the most connections held open at once
 */
public record DbSettings(String url, String user, String password, Path dataDir, int poolSize) {

    /** Enough for the SMTP workers, the scheduler and the admin panel on one node. */
    public static final int DEFAULT_POOL_SIZE = 10;

    static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    public DbSettings {
        url = url == null ? "" : url.strip();
        user = user == null ? "" : user.strip();
        password = password == null ? "" : password;
        Objects.requireNonNull(dataDir, "dataDir");
        if (!url.isEmpty() && !url.startsWith(POSTGRES_PREFIX)) {
            throw new DatabaseException("database.url must be empty (embedded H2 in dataDir) or start with "
                    + POSTGRES_PREFIX + ", got " + scheme(url));
        }
        if (poolSize < 1) {
            throw new DatabaseException("database.poolSize must be at least 1, got " + poolSize);
        }
    }

    /** The embedded H2 database in {@code dataDir}, with the default pool size. */
    public static DbSettings embedded(Path dataDir) {
        return new DbSettings("", "", "", dataDir, DEFAULT_POOL_SIZE);
    }

    /** Which database the url selects. */
    public Dialect dialect() {
        return url.isEmpty() ? Dialect.H2 : Dialect.POSTGRESQL;
    }

    /** Never prints the password, nor one the url carries ({@link #maskedUrl}). */
    @Override
    public String toString() {
        return "DbSettings[url=" + maskedUrl(url) + ", user=" + user + ", password=" + (password.isEmpty() ? "" : MASK)
                + ", dataDir=" + dataDir + ", poolSize=" + poolSize + "]";
    }

    /** What a masked secret looks like wherever settings are shown. */
    public static final String MASK = "********";

    private static final Pattern URL_USER_PASSWORD = Pattern.compile("(//[^/?#@:]*:)[^/?#@]*@");
    private static final Pattern URL_PASSWORD_PARAMETER = Pattern.compile("([?&;][A-Za-z]*password=)[^&;#]*", Pattern.CASE_INSENSITIVE);

    /**
     * A JDBC url with its secrets masked and the rest readable, for dumps, pages and logs:
     * {@code jdbc:postgresql://db:5432/mail?user=greyrelay&password=s3cret&ssl=true} shows as
     * {@code …&password=********&ssl=true}, and a {@code user:pass@} before the host as {@code user:********@}.
     * Every parameter whose name ends in {@code password} (pgjdbc's {@code password}, {@code sslpassword}) is masked.
     */
    public static String maskedUrl(String url) {
        if (url == null || url.isEmpty()) return url;
        String out = URL_USER_PASSWORD.matcher(url).replaceAll("$1" + MASK + "@");
        return URL_PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + MASK);
    }

    /** Shows only the scheme of a rejected url: the rest may hold a password. */
    private static String scheme(String url) {
        int end = url.indexOf(':', url.startsWith("jdbc:") ? 5 : 0);
        String shown = end < 0 ? url : url.substring(0, end + 1);
        return "\"" + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown) + "\"";
    }
}
