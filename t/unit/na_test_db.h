/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_TEST_DB_H
#define NA_TEST_DB_H

#include <sqlite3.h>

#include "na_store.h"

/* SQLite through apr_dbd ("sqlite3" driver) with next-auth's schema from
 * conf/schema/sqlite.sql, and a store over it that counts its notes. The native handle
 * lets a test act as another request at an exact point of a store's work (trace). */

typedef struct na_test_db_t {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    sqlite3 *native;   /* the apr_dbd connection's own sqlite3 handle */
    na_store_t *store; /* notes counted below */
    int notes[NA_STORE_NOTE__COUNT];
    const char *last_note;
    /* Armed by na_test_db_meanwhile: when the store's connection starts a statement whose
     * text contains `needle` (after skipping `skip` of them), `sql` runs on `other` (a
     * second connection, as another request or host) before the statement goes on. */
    const char *needle;
    int skip;
    const char *sql;
    sqlite3 *other;
    const char *path; /* the file of a shared database, removed at the end */
    int fired;
    int other_rc;
} na_test_db_t;

/** Open path (":memory:" when NULL) with the schema applied unless `schema` is 0. */
na_test_db_t *na_test_db_open(const char *path, int schema);
/** Run sql (several statements allowed) on the store's connection; fails the test on error. */
void na_test_db_exec(na_test_db_t *db, const char *sql);
/** The integer the query's first column gives (e.g. SELECT COUNT(*) ...). */
long long na_test_db_int(na_test_db_t *db, const char *sql);
/** A file database with the schema applied, and a second connection to it (db->other). */
na_test_db_t *na_test_db_open_shared(void);
/** Arm the "meanwhile" action described at na_test_db_t. */
void na_test_db_meanwhile(na_test_db_t *db, const char *needle, int skip, const char *sql);

#endif
