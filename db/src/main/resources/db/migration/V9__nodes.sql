-- One heartbeat row per relay node: the admin panel's Cluster page and /api/cluster list them.
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and PostgreSQL 15. See db/README.md.
-- Each node writes only its own row (keyed by node.name), every ~15 s; a node whose last_seen is a minute old is
-- shown as down. Rows are never deleted by the relay: a node taken out of service stays listed as down until an
-- administrator removes it.
CREATE TABLE node_heartbeat (
    name              VARCHAR(255) NOT NULL PRIMARY KEY,
    version           VARCHAR(64)  NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen         TIMESTAMP WITH TIME ZONE NOT NULL,
    smtp_listening    BOOLEAN      NOT NULL,
    queue_depth       INTEGER      NOT NULL,
    oldest_message_s  BIGINT
);
