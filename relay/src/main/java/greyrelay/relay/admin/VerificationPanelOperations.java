package greyrelay.relay.admin;

import greyrelay.admin.probes.Freeze;
import greyrelay.admin.probes.Reverify;
import greyrelay.admin.probes.VerificationOperations;
import greyrelay.db.verify.CacheKind;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.verify.Reprobe;
import greyrelay.relay.verify.Verification;
import java.util.Optional;

/**
 * The admin panel's hold on callback and recipient verification ({@link VerificationOperations}, declared by
 * admin-ui). Addresses the panel passes are operator input: anything that is not a plain {@code local@domain} is
 * refused, never probed. "Verify again" goes through the same verifiers, scheduler and budgets as mail does; a
 * refusal (budget, burst freeze, verification off) is said, not queued.
 */
public final class VerificationPanelOperations implements VerificationOperations {
    private final Verification verification;

    public VerificationPanelOperations(Verification verification) {
        this.verification = verification;
    }

    @Override
    public Reverify reverify(CacheKind kind, String address) {
        Optional<Mailbox> mailbox = Mailbox.parse(address);
        if (mailbox.isEmpty()) return new Reverify.Refused("not a plain local@domain address: it is never probed");
        return switch (verification.reprobe(kind, mailbox.get())) {
            case Reprobe.Started s -> new Reverify.Started();
            case Reprobe.Joined j -> new Reverify.AlreadyRunning();
            case Reprobe.Refused f -> new Reverify.Refused(f.why());
        };
    }

    @Override
    public Optional<Freeze> freeze(String domain) {
        return verification.frozenUntil(domain).map(until -> new Freeze(until, verification.freezeReason()));
    }

    @Override
    public boolean forget(CacheKind kind, String address) {
        return verification.forget(kind, address);
    }
}
