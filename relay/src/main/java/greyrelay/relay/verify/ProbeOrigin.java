package greyrelay.relay.verify;

/** Why a probe ran; stored in the probe history ({@code origin}). */
enum ProbeOrigin {
    /** A client waits for it (up to {@code verification.maxWait}). */
    INLINE,
    /** Greylisting's first sight of a triplet started it, so the verdict is cached before the client retries. */
    PREFETCH,
    /** A good verdict past {@code positiveRefresh}, renewed in the background while it is still answered. */
    REFRESH,
    /** An inline probe ran out of its short deadlines; this one has the full background deadlines. */
    RETRY,
    /** An administrator's "verify again now". */
    ADMIN
}
