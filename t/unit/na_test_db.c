/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <apr_file_io.h>
#include <apr_strings.h>

#include "na_test_db.h"
#include "suites.h"

static void na_test_db_note(void *baton, na_store_note_e what, const char *text)
{
    na_test_db_t *db = baton;

    ck_assert_int_lt(what, NA_STORE_NOTE__COUNT);
    db->notes[what]++;
    db->last_note = text;
}

/* The database file and what WAL puts next to it. */
static void na_test_db_remove(const char *path)
{
    apr_pool_t *p = na_test_pool;

    apr_file_remove(path, p);
    apr_file_remove(apr_pstrcat(p, path, "-wal", NULL), p);
    apr_file_remove(apr_pstrcat(p, path, "-shm", NULL), p);
}

static apr_status_t na_test_db_close(void *data)
{
    na_test_db_t *db = data;

    if (db->other) {
        sqlite3_close(db->other);
    }
    apr_dbd_close(db->driver, db->handle);
    if (db->path) {
        na_test_db_remove(db->path);
    }
    return APR_SUCCESS;
}

static const char *na_test_db_schema(void)
{
    char *buf = apr_palloc(na_test_pool, 1 << 16);
    FILE *f = fopen("conf/schema/sqlite.sql", "r");
    size_t n;

    ck_assert_msg(f != NULL, "cannot open conf/schema/sqlite.sql (run from the repository root)");
    n = fread(buf, 1, (1 << 16) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

na_test_db_t *na_test_db_open(const char *path, int schema)
{
    na_test_db_t *db = apr_pcalloc(na_test_pool, sizeof(*db));
    const char *error = NULL;

    ck_assert_int_eq(apr_dbd_init(na_test_pool), APR_SUCCESS);
    ck_assert_int_eq(apr_dbd_get_driver(na_test_pool, "sqlite3", &db->driver), APR_SUCCESS);
    ck_assert_int_eq(
        apr_dbd_open_ex(db->driver, na_test_pool, path ? path : ":memory:", &db->handle, &error),
        APR_SUCCESS);
    apr_pool_cleanup_register(na_test_pool, db, na_test_db_close, apr_pool_cleanup_null);
    db->native = apr_dbd_native_handle(db->driver, db->handle);
    ck_assert_ptr_nonnull(db->native);
    if (schema) {
        na_test_db_exec(db, na_test_db_schema());
    }
    db->store = na_store_make(na_test_pool, db->driver, db->handle, na_test_pool, NULL);
    db->store->note = na_test_db_note;
    db->store->baton = db;
    return db;
}

void na_test_db_exec(na_test_db_t *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->native, sql, NULL, NULL, &msg);

    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
}

long long na_test_db_int(na_test_db_t *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    long long v;

    ck_assert_int_eq(sqlite3_prepare_v2(db->native, sql, -1, &stmt, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

na_test_db_t *na_test_db_open_shared(void)
{
    const char *dir = NULL, *path;
    na_test_db_t *db;

    ck_assert_int_eq(apr_temp_dir_get(&dir, na_test_pool), APR_SUCCESS);
    path = apr_psprintf(na_test_pool, "%s/na-unit-store-%ld.db", dir, (long)getpid());
    /* A test that failed in this process (or an earlier one with this pid) left it. */
    na_test_db_remove(path);
    db = na_test_db_open(path, 1);
    db->path = path;
    ck_assert_int_eq(sqlite3_open(path, &db->other), SQLITE_OK);
    sqlite3_busy_timeout(db->other, 2000);
    return db;
}

/* SQLITE_TRACE_STMT fires as a statement starts, before it takes any lock: what runs on
 * the other connection now is, for the statement, what another request did just before. */
static int na_test_db_trace(unsigned type, void *ctx, void *stmt, void *text)
{
    na_test_db_t *db = ctx;

    (void)stmt;
    if (type != SQLITE_TRACE_STMT || db->fired || db->needle == NULL
        || strstr((const char *)text, db->needle) == NULL) {
        return 0;
    }
    if (db->skip > 0) {
        db->skip--;
        return 0;
    }
    db->fired = 1;
    db->other_rc = sqlite3_exec(db->other, db->sql, NULL, NULL, NULL);
    return 0;
}

void na_test_db_meanwhile(na_test_db_t *db, const char *needle, int skip, const char *sql)
{
    ck_assert_ptr_nonnull(db->other);
    db->needle = needle;
    db->skip = skip;
    db->sql = sql;
    db->fired = 0;
    db->other_rc = -1;
    ck_assert_int_eq(sqlite3_trace_v2(db->native, SQLITE_TRACE_STMT, na_test_db_trace, db),
                     SQLITE_OK);
}
