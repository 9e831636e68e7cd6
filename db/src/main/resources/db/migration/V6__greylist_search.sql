-- The admin panel searches the greylist by sender and by recipient (exact, as stored): an index for each, so a
-- search reads the matching rows only, whatever the table size. The id after the searched column lets the newest
-- matches come straight from the index (ORDER BY id DESC LIMIT n), without sorting all of a busy sender's rows.
-- Searches by client network use the unique key (client_key first); the newest rows overall, the primary key.
-- Cost: two more index entries per new triplet on the SMTP path (first sight only; later writes do not change
-- these columns). Portable SQL: runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15.
CREATE INDEX greylist_triplet_sender_idx ON greylist_triplet (sender, id);
CREATE INDEX greylist_triplet_recipient_idx ON greylist_triplet (recipient, id);
