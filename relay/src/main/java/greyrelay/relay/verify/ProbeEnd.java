package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import java.util.Optional;

/** How a request for a sender probe ended: the probe ran, or the request was answered without one. */
sealed interface ProbeEnd {

    /** The probe ran; {@code stored} is the entry merged into the cache for it, empty when nothing was stored. */
    record Probed(ProbeOutcome outcome, Optional<CacheEntry> stored) implements ProbeEnd {}

    /** No probe ran: refused by the budget, answered from the cache meanwhile, dropped at shutdown, or failed here. */
    record NotRun(SenderStatus status) implements ProbeEnd {}
}
