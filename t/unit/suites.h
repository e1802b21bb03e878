/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_TEST_SUITES_H
#define NA_TEST_SUITES_H

#include <check.h>

#include <apr_pools.h>

/* One suite per src/core unit; main.c runs them all. */
Suite *suite_kv(void);
Suite *suite_config(void);
Suite *suite_config_tokens(void);
Suite *suite_config_session(void);
Suite *suite_provider(void);
Suite *suite_secret(void);
Suite *suite_crypto(void);
Suite *suite_csrf(void);
Suite *suite_cookie(void);
Suite *suite_url(void);
Suite *suite_form(void);
Suite *suite_route(void);
Suite *suite_err(void);
Suite *suite_b64(void);
Suite *suite_jwe(void);
Suite *suite_chunk(void);
Suite *suite_session(void);
Suite *suite_session_memo(void);
Suite *suite_session_stamp(void);
Suite *suite_cache(void);
Suite *suite_json_compact(void);
Suite *suite_http(void);
Suite *suite_jws(void);
Suite *suite_idtoken(void);
Suite *suite_oauth(void);
Suite *suite_oauth_token(void);
Suite *suite_oauth_profile(void);
Suite *suite_email(void);
Suite *suite_mail(void);
Suite *suite_page_email(void);
Suite *suite_limit(void);
Suite *suite_i18n(void);
Suite *suite_json(void);
Suite *suite_metrics(void);
Suite *suite_store(void);
Suite *suite_signin(void);
Suite *suite_event(void);
Suite *suite_tokens(void);
Suite *suite_claim(void);
Suite *suite_revoke(void);
Suite *suite_logout(void);

/**
 * The pool of the running test: created fresh before each test and destroyed after it
 * by the fixture that na_test_tcase() installs.
 */
extern apr_pool_t *na_test_pool;

/** A TCase with the per-test pool fixture already added. */
TCase *na_test_tcase(const char *name);

/**
 * Assert that msg is a directive message of the shape
 * "<Directive>[ ...]: ...; accepted[ word]: <list>" on one line and, when `names` is not
 * NULL, that it contains `names` (the bad value or key it must point at).
 */
void na_test_assert_directive_message(const char *msg, const char *directive, const char *names);

/**
 * A temporary file holding `len` bytes of content; returns its path. The file is removed
 * when the test's pool is destroyed.
 */
const char *na_test_temp_file(const char *content, apr_size_t len);

/* The text of t/unit/vectors/<relpath> (or $NA_TEST_VECTORS/<relpath>), from the test's
 * pool; fails the test when it cannot be read. */
const char *na_test_read_vector(const char *relpath);

/** Number of elements of a static table, as an int for tcase_add_loop_test. */
#define NA_TEST_COUNT(table) ((int)(sizeof(table) / sizeof((table)[0])))

#endif
