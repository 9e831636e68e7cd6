-- Every decision is one decision_log row (a Postfix policy request is one), so each index costs a B-tree insert per
-- request and its pages rewritten per batch. These two serve no query: the panel searches senders and recipients by
-- substring of LOWER(column) (LIKE '%x%'), which no B-tree index answers, and nothing else filters on them. Sorting
-- the list by sender or recipient now sorts the matching rows instead of walking an index (a top-N sort: bounded
-- memory); the time, client and default (newest first) orders keep their indexes.
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and PostgreSQL 15. See db/README.md.
DROP INDEX IF EXISTS decision_log_sender_idx;
DROP INDEX IF EXISTS decision_log_recipient_idx;
