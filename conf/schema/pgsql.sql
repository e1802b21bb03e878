-- SPDX-License-Identifier: Apache-2.0
-- next-auth v4's SQL adapter schema, as the official pg adapter (packages/adapter-pg/
-- schema.sql), plus the unique indexes mod_nextauth relies on, for PostgreSQL >= 12.
-- Used by NextAuthDatabase dbd with DBDriver pgsql; the same database serves several
-- hosts (one secret, sessions valid on all of them). Apply it once (again is harmless):
--     psql "dbname=nextauth" -f conf/schema/pgsql.sql
-- Times are TIMESTAMPTZ (a next-auth app using @auth/pg-adapter reads the same rows);
-- accounts.expires_at is epoch seconds, as in next-auth.

CREATE TABLE IF NOT EXISTS users (
    id              SERIAL PRIMARY KEY,
    name            VARCHAR(255),
    email           VARCHAR(255),
    "emailVerified" TIMESTAMPTZ,
    image           TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email);

CREATE TABLE IF NOT EXISTS accounts (
    id                  SERIAL PRIMARY KEY,
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
    id             SERIAL PRIMARY KEY,
    "userId"       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires        TIMESTAMPTZ NOT NULL,
    "sessionToken" VARCHAR(255) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS sessions_session_token_key ON sessions ("sessionToken");

CREATE TABLE IF NOT EXISTS verification_token (
    identifier TEXT NOT NULL,
    expires    TIMESTAMPTZ NOT NULL,
    token      TEXT NOT NULL,
    PRIMARY KEY (identifier, token)
);
