package greyrelay.relay.verify;

import greyrelay.admin.probes.Reverify;
import greyrelay.admin.probes.VerificationOperations;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.RelayConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The admin panel's hold on callback and recipient verification ({@link VerificationOperations}, declared by
 * admin-ui). Addresses the panel passes are operator input: anything that is not a plain {@code local@domain} is
 * refused, never probed. "Verify again" goes through the same verifiers, scheduler and budgets as mail does; a
 * refusal (budget, burst freeze, verification off) is said, not queued.
 */
final class VerificationPanelOperations implements VerificationOperations {
    private final RelayConfig config;
    private final SenderVerifier senders;
    private final RecipientVerifier recipients;
    private final VerificationCache cache;

    VerificationPanelOperations(RelayConfig config, SenderVerifier senders, RecipientVerifier recipients, VerificationCache cache) {
        this.config = config;
        this.senders = senders;
        this.recipients = recipients;
        this.cache = cache;
    }

    @Override
    public Reverify reverify(CacheKind kind, String address) {
        Optional<Mailbox> mailbox = Mailbox.parse(address);
        if (mailbox.isEmpty()) return new Reverify.Refused("not a plain local@domain address: it is never probed");
        Reprobe r = switch (kind) {
            case SENDER -> config.verification().enabled() ? senders.reprobe(mailbox.get())
                    : new Reprobe.Refused("sender verification is off (verification.enabled: false)");
            case RECIPIENT -> config.recipientVerification().enabled() ? recipients.reprobe(mailbox.get())
                    : new Reprobe.Refused("recipient verification is off (recipientVerification.enabled: false)");
        };
        return switch (r) {
            case Reprobe.Started s -> new Reverify.Started();
            case Reprobe.Joined j -> new Reverify.AlreadyRunning();
            case Reprobe.Refused f -> new Reverify.Refused(f.why());
        };
    }

    /** The shared cache row goes; a probe of the address still running stores its result when it ends. */
    @Override
    public boolean forget(CacheKind kind, String address) {
        return cache.delete(kind, address);
    }

    @Override
    public Duration profileTtl() {
        return config.verification().cache().profileTtl();
    }
}
