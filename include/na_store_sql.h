/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_STORE_SQL_H
#define NA_STORE_SQL_H
/* The statements of na_store.c, in both dialects, in a header of their own so that
 * t/db/sqlcheck.c runs exactly these through apr_dbd on SQLite and PostgreSQL.
 * Parameters are apr_dbd's %s, always bound as strings. */

enum {
    NA_SQL_USER_BY_EMAIL = 0,
    NA_SQL_USER_BY_ID,
    NA_SQL_USER_BY_ACCOUNT,
    NA_SQL_USER_CREATE,
    NA_SQL_USER_VERIFIED,
    NA_SQL_USER_DELETE,
    NA_SQL_ACCOUNT_LINK,
    NA_SQL_TOKEN_CREATE,
    NA_SQL_TOKEN_USE,
    NA_SQL_SESSION_CREATE,
    NA_SQL_SESSION_GET,
    NA_SQL_SESSION_UPDATE,
    NA_SQL_SESSION_DELETE,
    NA_SQL_SESSIONS_DELETE_USER,
    NA_SQL__COUNT
};

typedef struct na_store_sql_t {
    const char *label;
    const char *sqlite; /**< sqlite3 dialect */
    const char *pgsql;  /**< pgsql, and any other driver (ANSI with RETURNING) */
} na_store_sql_t;

#define NA_USER_COLS_SQLITE "u.id, u.name, u.email, u.image, u.\"emailVerified\""
#define NA_USER_COLS_PG                                                                            \
    "CAST(u.id AS TEXT), u.name, u.email, u.image, "                                               \
    "CAST(EXTRACT(EPOCH FROM u.\"emailVerified\") AS BIGINT)"
/* PostgreSQL infers the type of an untyped parameter; the casts pin them. */
#define NA_PG_TIME(p) "to_timestamp(CAST(" p " AS BIGINT))"

static const na_store_sql_t na_store_sql[NA_SQL__COUNT] = {
    {"nextauth_user_by_email", "SELECT " NA_USER_COLS_SQLITE " FROM users u WHERE u.email = %s",
     "SELECT " NA_USER_COLS_PG " FROM users u WHERE u.email = %s"},
    {"nextauth_user_by_id", "SELECT " NA_USER_COLS_SQLITE " FROM users u WHERE u.id = %s",
     "SELECT " NA_USER_COLS_PG " FROM users u WHERE CAST(u.id AS TEXT) = %s"},
    {"nextauth_user_by_account",
     "SELECT " NA_USER_COLS_SQLITE " FROM users u JOIN accounts a ON a.\"userId\" = u.id "
     "WHERE a.provider = %s AND a.\"providerAccountId\" = %s",
     "SELECT " NA_USER_COLS_PG " FROM users u JOIN accounts a ON a.\"userId\" = u.id "
     "WHERE a.provider = %s AND a.\"providerAccountId\" = %s"},
    {"nextauth_user_create",
     "INSERT INTO users (name, email, image, \"emailVerified\") VALUES (%s, %s, %s, %s) "
     "RETURNING id",
     "INSERT INTO users (name, email, image, \"emailVerified\") VALUES (%s, %s, %s, " NA_PG_TIME(
         "%s") ") RETURNING CAST(id AS TEXT)"},
    {"nextauth_user_verified", "UPDATE users SET \"emailVerified\" = %s WHERE id = %s",
     "UPDATE users SET \"emailVerified\" = " NA_PG_TIME("%s") " WHERE CAST(id AS TEXT) = %s"},
    /* Only a user without accounts: never one another host finished meanwhile. */
    {"nextauth_user_delete",
     "DELETE FROM users WHERE id = %s AND NOT EXISTS "
     "(SELECT 1 FROM accounts a WHERE a.\"userId\" = users.id)",
     "DELETE FROM users WHERE CAST(id AS TEXT) = %s AND NOT EXISTS "
     "(SELECT 1 FROM accounts a WHERE a.\"userId\" = users.id)"},
    {"nextauth_account_link",
     "INSERT INTO accounts (\"userId\", type, provider, \"providerAccountId\", access_token, "
     "refresh_token, id_token, token_type, scope, session_state, expires_at) "
     "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
     "INSERT INTO accounts (\"userId\", type, provider, \"providerAccountId\", access_token, "
     "refresh_token, id_token, token_type, scope, session_state, expires_at) "
     "VALUES (CAST(%s AS INTEGER), %s, %s, %s, %s, %s, %s, %s, %s, %s, CAST(%s AS BIGINT))"},
    {"nextauth_token_create",
     "INSERT INTO verification_token (identifier, token, expires) VALUES (%s, %s, %s)",
     "INSERT INTO verification_token (identifier, token, expires) VALUES (%s, %s, " NA_PG_TIME(
         "%s") ")"},
    {"nextauth_token_use",
     "DELETE FROM verification_token WHERE identifier = %s AND token = %s RETURNING expires",
     "DELETE FROM verification_token WHERE identifier = %s AND token = %s "
     "RETURNING CAST(EXTRACT(EPOCH FROM expires) AS BIGINT)"},
    {"nextauth_session_create",
     "INSERT INTO sessions (\"userId\", \"sessionToken\", expires) VALUES (%s, %s, %s)",
     "INSERT INTO sessions (\"userId\", \"sessionToken\", expires) VALUES (CAST(%s AS INTEGER), "
     "%s, " NA_PG_TIME("%s") ")"},
    {"nextauth_session_get",
     "SELECT " NA_USER_COLS_SQLITE ", s.expires FROM sessions s JOIN users u "
     "ON u.id = s.\"userId\" WHERE s.\"sessionToken\" = %s",
     "SELECT " NA_USER_COLS_PG ", CAST(EXTRACT(EPOCH FROM s.expires) AS BIGINT) FROM sessions s "
     "JOIN users u ON u.id = s.\"userId\" WHERE s.\"sessionToken\" = %s"},
    {"nextauth_session_update", "UPDATE sessions SET expires = %s WHERE \"sessionToken\" = %s",
     "UPDATE sessions SET expires = " NA_PG_TIME("%s") " WHERE \"sessionToken\" = %s"},
    {"nextauth_session_delete", "DELETE FROM sessions WHERE \"sessionToken\" = %s",
     "DELETE FROM sessions WHERE \"sessionToken\" = %s"},
    {"nextauth_sessions_delete_user", "DELETE FROM sessions WHERE CAST(\"userId\" AS TEXT) = %s",
     "DELETE FROM sessions WHERE CAST(\"userId\" AS TEXT) = %s"},
};

#endif
