/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "suites.h"

/* Runs every unit suite. `build/unit/run-tests` prints Check's normal summary;
 * `build/unit/run-tests --tap` prints TAP instead. Check's own variables still apply:
 * CK_FORK=no (valgrind), CK_RUN_SUITE=url, CK_RUN_CASE=..., CK_VERBOSITY=verbose. */

apr_pool_t *na_test_pool;

static void na_test_pool_setup(void)
{
    ck_assert_int_eq(apr_pool_create(&na_test_pool, NULL), APR_SUCCESS);
}

static void na_test_pool_teardown(void)
{
    apr_pool_destroy(na_test_pool);
    na_test_pool = NULL;
}

TCase *na_test_tcase(const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, na_test_pool_setup, na_test_pool_teardown);
    return tc;
}

void na_test_assert_directive_message(const char *msg, const char *directive, const char *names)
{
    regex_t re;
    char *pattern;
    int rc;

    ck_assert_msg(msg != NULL, "%s: expected a rejection, got none", directive);
    pattern = apr_psprintf(na_test_pool, "^%s([ :][^\r\n]*)?[:;] accepted( [a-z]+)?: [^\r\n]+$",
                           directive);
    ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    rc = regexec(&re, msg, 0, NULL, 0);
    regfree(&re);
    ck_assert_msg(rc == 0, "message shape: want \"%s ...: ...; accepted: ...\", got \"%s\"",
                  directive, msg);
    if (names) {
        ck_assert_msg(strstr(msg, names) != NULL, "message \"%s\" does not name \"%s\"", msg,
                      names);
    }
}

const char *na_test_temp_file(const char *content, apr_size_t len)
{
    apr_file_t *f = NULL;
    const char *dir = NULL;
    char *path;

    ck_assert_int_eq(apr_temp_dir_get(&dir, na_test_pool), APR_SUCCESS);
    path = apr_pstrcat(na_test_pool, dir, "/na-unit-XXXXXX", NULL);
    /* flags 0: create, read, write, exclusive, and delete on close */
    ck_assert_int_eq(apr_file_mktemp(&f, path, 0, na_test_pool), APR_SUCCESS);
    ck_assert_int_eq(apr_file_write_full(f, content, len, NULL), APR_SUCCESS);
    ck_assert_int_eq(apr_file_flush(f), APR_SUCCESS);
    return path;
}

static SRunner *na_test_runner(void)
{
    SRunner *sr = srunner_create(suite_kv());

    srunner_add_suite(sr, suite_config());
    srunner_add_suite(sr, suite_config_tokens());
    srunner_add_suite(sr, suite_config_session());
    srunner_add_suite(sr, suite_provider());
    srunner_add_suite(sr, suite_secret());
    srunner_add_suite(sr, suite_crypto());
    srunner_add_suite(sr, suite_csrf());
    srunner_add_suite(sr, suite_cookie());
    srunner_add_suite(sr, suite_url());
    srunner_add_suite(sr, suite_form());
    srunner_add_suite(sr, suite_route());
    srunner_add_suite(sr, suite_err());
    srunner_add_suite(sr, suite_b64());
    srunner_add_suite(sr, suite_jwe());
    srunner_add_suite(sr, suite_chunk());
    srunner_add_suite(sr, suite_session());
    srunner_add_suite(sr, suite_session_memo());
    srunner_add_suite(sr, suite_session_stamp());
    srunner_add_suite(sr, suite_cache());
    srunner_add_suite(sr, suite_json_compact());
    srunner_add_suite(sr, suite_http());
    srunner_add_suite(sr, suite_jws());
    srunner_add_suite(sr, suite_idtoken());
    srunner_add_suite(sr, suite_oauth());
    srunner_add_suite(sr, suite_oauth_token());
    srunner_add_suite(sr, suite_oauth_profile());
    srunner_add_suite(sr, suite_email());
    srunner_add_suite(sr, suite_mail());
    srunner_add_suite(sr, suite_page_email());
    srunner_add_suite(sr, suite_limit());
    srunner_add_suite(sr, suite_i18n());
    srunner_add_suite(sr, suite_json());
    srunner_add_suite(sr, suite_metrics());
    srunner_add_suite(sr, suite_store());
    srunner_add_suite(sr, suite_signin());
    srunner_add_suite(sr, suite_event());
    srunner_add_suite(sr, suite_tokens());
    srunner_add_suite(sr, suite_claim());
    srunner_add_suite(sr, suite_revoke());
    srunner_add_suite(sr, suite_logout());
    return sr;
}

const char *na_test_read_vector(const char *relpath)
{
    const char *dir = getenv("NA_TEST_VECTORS") ? getenv("NA_TEST_VECTORS") : "t/unit/vectors";
    const char *path = apr_pstrcat(na_test_pool, dir, "/", relpath, NULL);
    char *buf = apr_palloc(na_test_pool, 1 << 20);
    FILE *f = fopen(path, "r");
    size_t n;

    ck_assert_msg(f != NULL, "cannot open %s (run from the repository root)", path);
    n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    SRunner *sr;
    int tap = argc > 1 && strcmp(argv[1], "--tap") == 0;
    int failed;

    if (argc > 1 && !tap) {
        fprintf(stderr, "usage: %s [--tap]\n", argv[0]);
        return 2;
    }
    /* Once per process: in fork mode every test's child inherits it. */
    if (apr_initialize() != APR_SUCCESS) {
        fprintf(stderr, "apr_initialize failed\n");
        return 1;
    }
    sr = na_test_runner();
    if (tap) {
        srunner_set_tap(sr, "-");
    }
    srunner_run_all(sr, tap ? CK_SILENT : CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
