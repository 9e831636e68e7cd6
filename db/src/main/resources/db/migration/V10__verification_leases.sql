-- Cluster-wide verification (several nodes on one PostgreSQL): leases and the burst freeze.
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and PostgreSQL 15. See db/README.md.
-- With H2 (one node) the relay keeps these in memory and the tables stay empty.

-- A lease: one holder (a node's run id) of one key until expires_at. Keys name what is held: one address's probe
-- ("probe:<address>"), or one slot of a shared concurrency cap ("domain:<domain>#<n>", "address:<ip>#<n>").
-- Taken by one conditional insert (free, expired, or already the taker's); a node that dies loses its leases at
-- their expiry, so nothing waits for a dead node for longer than one lease.
CREATE TABLE verification_lease (
    lease_key  VARCHAR(400)             NOT NULL PRIMARY KEY,
    holder     VARCHAR(100)             NOT NULL,
    taken_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- scheduled cleanup of expired leases
CREATE INDEX verification_lease_expires_at_idx ON verification_lease (expires_at);

-- The burst freeze of a sender domain, shared: a node that saw a forged-sender run pauses probes to the domain on
-- every node until frozen_until. A later freeze only ever moves the end later.
CREATE TABLE verification_freeze (
    domain       VARCHAR(255)             NOT NULL PRIMARY KEY,
    frozen_until TIMESTAMP WITH TIME ZONE NOT NULL,
    reason       VARCHAR(500)             NOT NULL
);

CREATE INDEX verification_freeze_frozen_until_idx ON verification_freeze (frozen_until);
