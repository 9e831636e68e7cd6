-- Roles and the time display of the admin panel (issue 17). 'admin' may do everything; 'viewer' reads every page and
-- answer but changes nothing and sees no secret. Users and API tokens that exist already keep every right: 'admin'.
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and PostgreSQL 15. See db/README.md.

ALTER TABLE admin_user ADD COLUMN role VARCHAR(16) DEFAULT 'admin' NOT NULL;
ALTER TABLE admin_user ADD CONSTRAINT admin_user_role_check CHECK (role IN ('admin', 'viewer'));

-- TRUE: the panel shows this user's times in the browser's time zone instead of UTC (the default).
ALTER TABLE admin_user ADD COLUMN local_time BOOLEAN DEFAULT FALSE NOT NULL;

ALTER TABLE admin_api_token ADD COLUMN role VARCHAR(16) DEFAULT 'admin' NOT NULL;
ALTER TABLE admin_api_token ADD CONSTRAINT admin_api_token_role_check CHECK (role IN ('admin', 'viewer'));
