-- How a decision arrived: 'smtp' (our SMTP listener) or 'policy' (Postfix's policy delegation protocol, where
-- Postfix is the MX and asks us per recipient). Every earlier row came through SMTP, hence the default.
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15.
ALTER TABLE decision_log ADD COLUMN origin VARCHAR(16) DEFAULT 'smtp' NOT NULL;
