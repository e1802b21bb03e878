/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_kv.h"
#include "suites.h"

/* NextAuthSession idle= absolute= expose= (issue 12): each value checked, the bounds
 * against maxAge and each other checked on the merged configuration. */

static const char *na_test_session_line(na_server_conf_t *c, const char *line)
{
    apr_array_header_t *words = NULL;

    ck_assert_ptr_null(na_kv_tokenize(na_test_pool, line, &words));
    return na_config_set_session(na_test_pool, c, words->nelts, (const char *const *)words->elts);
}

static void na_test_session_ok(na_server_conf_t *c, const char *line)
{
    const char *msg = na_test_session_line(c, line);

    ck_assert_msg(msg == NULL, "%s: %s", line, msg);
}

START_TEST(test_config_session_timeouts_store)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    ck_assert_int_eq(na_config_idle(c), 0);
    ck_assert_int_eq(na_config_absolute(c), 0);
    ck_assert_uint_eq(na_config_expose(c), 0);
    na_test_session_ok(c, "idle=600 absolute=86400");
    ck_assert_int_eq(na_config_idle(c), 600);
    ck_assert_int_eq(na_config_absolute(c), 86400);
    /* a later line keeps what it does not name */
    na_test_session_ok(c, "maxAge=3600 expose=accessToken");
    ck_assert_int_eq(na_config_idle(c), 600);
    ck_assert_int_eq(na_config_absolute(c), 86400);
    ck_assert_int_eq(na_config_max_age(c), 3600);
    ck_assert_uint_eq(na_config_expose(c), NA_EXPOSE_ACCESS_TOKEN);
    na_test_session_ok(c, "expose=error,accessToken");
    ck_assert_uint_eq(na_config_expose(c), NA_EXPOSE_ACCESS_TOKEN | NA_EXPOSE_ERROR);
    na_test_session_ok(c, "expose=error");
    ck_assert_uint_eq(na_config_expose(c), NA_EXPOSE_ERROR);
    na_test_session_ok(c, "idle=60 absolute=315360000");
    ck_assert_int_eq(na_config_idle(c), 60);
    ck_assert_int_eq(na_config_absolute(c), 315360000);
    ck_assert_ptr_null(na_config_check(na_test_pool, c));
}
END_TEST

typedef struct na_test_bad_session_t {
    const char *line;
    const char *names; /* the value the message must echo */
} na_test_bad_session_t;

static const na_test_bad_session_t na_test_bad_sessions[] = {
    {"idle=59", "idle='59': accepted: 60 seconds up to maxAge"},
    {"idle=0", "idle='0'"},
    {"idle=-5", "idle='-5'"},
    {"IDLE=ten", "idle='ten'"},
    {"idle=", "idle=''"},
    {"idle=0600000000", "idle='0600000000'"},
    {"idle=600 idle=700", "'idle' is given twice"},
    {"absolute=1", "absolute='1': accepted: 60 to 315360000 seconds (ten years), not below idle"},
    {"absolute=315360001", "absolute='315360001'"},
    {"absolute=1e9", "absolute='1e9'"},
    {"expose=", "expose"},
    {"expose=idToken", "'idToken' is not accepted; accepted: accessToken, error"},
    {"expose=accessToken,refreshToken", "refreshToken"},
    {"expose=,", "an empty list"},
    {"idle=600 expose=accessToken,nope", "nope"},
};

/* Refused with one line naming the directive, the value and what is accepted; nothing
 * of the line is kept. */
START_TEST(test_config_session_timeouts_refused)
{
    const na_test_bad_session_t *t = &na_test_bad_sessions[_i];
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const char *msg = na_test_session_line(c, t->line);

    ck_assert_msg(msg != NULL, "%s: accepted", t->line);
    ck_assert_msg(strncmp(msg, NA_DIR_SESSION, strlen(NA_DIR_SESSION)) == 0, "%s: %s", t->line,
                  msg);
    ck_assert_msg(strstr(msg, t->names) != NULL, "%s: %s", t->line, msg);
    ck_assert_msg(strstr(msg, "accepted: ") != NULL, "%s: %s", t->line, msg);
    ck_assert_int_eq(c->session.idle, NA_UNSET);
    ck_assert_int_eq(c->session.absolute, NA_UNSET);
    ck_assert_int_eq(c->session.expose, NA_UNSET);
    ck_assert_int_eq(c->touched, 0);
}
END_TEST

typedef struct na_test_session_check_t {
    const char *lines[2];
    const char *problem; /* NULL: passes; else in the message */
} na_test_session_check_t;

static const na_test_session_check_t na_test_session_checks[] = {
    {{"idle=2592000"}, NULL}, /* the default maxAge */
    {{"idle=2592001"}, "idle=2592001 is longer than maxAge=2592000"},
    {{"idle=3601", "maxAge=3600"}, "idle=3601 is longer than maxAge=3600"},
    {{"maxAge=3600", "idle=3600"}, NULL},
    {{"idle=600 absolute=599"}, "absolute=599 is shorter than idle=600"},
    {{"absolute=599", "idle=600"}, "absolute=599 is shorter than idle=600"},
    {{"idle=600 absolute=600"}, NULL},
    {{"absolute=60"}, NULL}, /* absolute alone may be shorter than maxAge */
};

START_TEST(test_config_session_timeouts_check)
{
    const na_test_session_check_t *t = &na_test_session_checks[_i];
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const char *msg;
    int i;

    for (i = 0; i < 2 && t->lines[i]; i++) {
        na_test_session_ok(c, t->lines[i]);
    }
    msg = na_config_check(na_test_pool, c);
    if (t->problem == NULL) {
        ck_assert_msg(msg == NULL, "%s: %s", t->lines[0], msg);
        return;
    }
    ck_assert_msg(msg && strstr(msg, t->problem) && strstr(msg, "accepted: "), "%s: %s",
                  t->lines[0], msg ? msg : "(passed)");
}
END_TEST

/* The main server's timeouts reach a vhost that sets none; a vhost's own win. */
START_TEST(test_config_session_timeouts_merge)
{
    na_server_conf_t *base = na_config_server_create(na_test_pool);
    na_server_conf_t *add = na_config_server_create(na_test_pool), *m;

    na_test_session_ok(base, "idle=600 absolute=7200 expose=error");
    m = na_config_server_merge(na_test_pool, base, add);
    ck_assert_int_eq(na_config_idle(m), 600);
    ck_assert_int_eq(na_config_absolute(m), 7200);
    ck_assert_uint_eq(na_config_expose(m), NA_EXPOSE_ERROR);
    na_test_session_ok(add, "idle=900 expose=accessToken");
    m = na_config_server_merge(na_test_pool, base, add);
    ck_assert_int_eq(na_config_idle(m), 900);
    ck_assert_int_eq(na_config_absolute(m), 7200);
    ck_assert_uint_eq(na_config_expose(m), NA_EXPOSE_ACCESS_TOKEN);
}
END_TEST

Suite *suite_config_session(void)
{
    Suite *s = suite_create("config_session");
    TCase *tc = na_test_tcase("core");

    tcase_add_test(tc, test_config_session_timeouts_store);
    tcase_add_loop_test(tc, test_config_session_timeouts_refused, 0,
                        NA_TEST_COUNT(na_test_bad_sessions));
    tcase_add_loop_test(tc, test_config_session_timeouts_check, 0,
                        NA_TEST_COUNT(na_test_session_checks));
    tcase_add_test(tc, test_config_session_timeouts_merge);
    suite_add_tcase(s, tc);
    return s;
}
