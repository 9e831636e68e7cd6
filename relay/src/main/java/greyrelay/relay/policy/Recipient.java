package greyrelay.relay.policy;

import greyrelay.relay.address.Mailbox;
import java.util.Set;

/** An accepted recipient with the exemptions it earned at RCPT (checks at end of DATA honour them). */
public record Recipient(Mailbox mailbox, Set<Exemption> exemptions) {
    public Recipient {
        exemptions = Set.copyOf(exemptions);
    }
}
