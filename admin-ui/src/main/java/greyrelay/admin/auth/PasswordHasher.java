package greyrelay.admin.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.concurrent.Semaphore;

/**
 * Argon2id password hashes (password4j) as PHC strings: m=19 MiB, t=2, p=1, the OWASP minimum, about 30–70 ms on two
 * cores. Each hash or check allocates about 19 MiB, so at most {@link #CONCURRENT} run at once; the rest wait their
 * turn (on virtual threads waiting is cheap), which also caps what a flood of logins can cost.
 */
public final class PasswordHasher {
    static final int CONCURRENT = 2;
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    private final Semaphore permits = new Semaphore(CONCURRENT, true);
    /** Checked against when the user does not exist, so an unknown name costs as much time as a wrong password. */
    private volatile String decoy;

    public String hash(String password) {
        permits.acquireUninterruptibly();
        try {
            return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
        } finally {
            permits.release();
        }
    }

    /** Whether the password matches the stored PHC string; false (never an exception) for an unreadable string. */
    public boolean matches(String password, String phc) {
        permits.acquireUninterruptibly();
        try {
            if (phc == null || !phc.startsWith("$argon2")) return false;
            return Password.check(password, phc).with(Argon2Function.getInstanceFromHash(phc));
        } catch (RuntimeException e) {
            return false;
        } finally {
            permits.release();
        }
    }

    /** Spends the time of one check and answers false: for unknown users. */
    public boolean matchesNothing(String password) {
        String d = decoy;
        if (d == null) {
            // made on first use, not at start: every start would otherwise pay for one more hash
            d = hash("decoy password, never valid " + Sessions.randomToken());
            decoy = d;
        }
        matches(password, d);
        return false;
    }
}
