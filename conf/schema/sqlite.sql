-- SPDX-License-Identifier: Apache-2.0
-- next-auth v4's SQL adapter schema (the official pg adapter's tables and camelCase,
-- quoted column names) for SQLite >= 3.35, used by mod_nextauth's NextAuthDatabase dbd
-- with DBDriver sqlite3. Apply it once (applying it again changes nothing):
--     sqlite3 /var/lib/nextauth/nextauth.db < conf/schema/sqlite.sql
-- The file and its directory must be writable by httpd's user (WAL needs the directory).
--
-- Times (users."emailVerified", sessions.expires, verification_token.expires) are
-- INTEGER Unix epoch seconds, UTC: they compare as numbers and read back in SQL with
--     SELECT datetime(expires, 'unixepoch') FROM sessions;
-- accounts.expires_at is epoch seconds too, as in next-auth.

-- Several httpd children write: readers do not block the writer.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            VARCHAR(255),
    email           VARCHAR(255),
    "emailVerified" INTEGER,
    image           TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email);

CREATE TABLE IF NOT EXISTS accounts (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId"            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type                VARCHAR(255) NOT NULL,
    provider            VARCHAR(255) NOT NULL,
    "providerAccountId" VARCHAR(255) NOT NULL,
    refresh_token       TEXT,
    access_token        TEXT,
    expires_at          BIGINT,
    id_token            TEXT,
    scope               TEXT,
    session_state       TEXT,
    token_type          TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS accounts_provider_account_key
    ON accounts (provider, "providerAccountId");
CREATE INDEX IF NOT EXISTS accounts_user_id ON accounts ("userId");

CREATE TABLE IF NOT EXISTS sessions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId"       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires        INTEGER NOT NULL,
    "sessionToken" VARCHAR(255) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS sessions_session_token_key ON sessions ("sessionToken");

CREATE TABLE IF NOT EXISTS verification_token (
    identifier TEXT NOT NULL,
    expires    INTEGER NOT NULL,
    token      TEXT NOT NULL,
    PRIMARY KEY (identifier, token)
);
