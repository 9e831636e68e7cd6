-- Vouching (issue 18): while a sender domain's probes are paused or its budget is used up, a sender of it is accepted
-- without a probe when the client is one of the domain's published SPF hosts, or comes from a network that delivered
-- mail from verified senders of the domain before. Shared by every node, like the verdict cache.
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and PostgreSQL 15. See db/README.md.

-- The networks a sender domain's verified mail came from (greylist.ipv4Prefix/ipv6Prefix), kept for greylist.maxAge
-- since last seen.
CREATE TABLE vouch_network (
    domain     VARCHAR(255) NOT NULL,
    network    VARCHAR(64)  NOT NULL,
    first_seen TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    verified   BIGINT       NOT NULL,
    PRIMARY KEY (domain, network)
);

-- cleanup of networks not seen for greylist.maxAge
CREATE INDEX vouch_network_last_seen_idx ON vouch_network (last_seen);

-- How many senders of a domain were vouched for, by reason (spf, known-network): the admin panel's domain page.
CREATE TABLE vouch_tally (
    domain       VARCHAR(255) NOT NULL,
    reason       VARCHAR(32)  NOT NULL,
    vouched      BIGINT       NOT NULL,
    first_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (domain, reason)
);

CREATE INDEX vouch_tally_last_at_idx ON vouch_tally (last_at);
