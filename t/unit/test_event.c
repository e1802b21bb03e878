/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <jansson.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_event.h"
#include "suites.h"

/* ---- the line ------------------------------------------------------------------------ */

/* 2026-12-07T23:45:28.123Z */
#define NA_TEST_EVENT_TIME (APR_INT64_C(1796687128) * APR_USEC_PER_SEC + 123456)

static json_t *na_test_event_parse(const char *line, apr_size_t len)
{
    json_error_t e;
    json_t *j;

    ck_assert_ptr_nonnull(line);
    ck_assert_uint_eq(strlen(line), len);
    ck_assert_uint_gt(len, 1);
    /* one line: the only newline is the last byte */
    ck_assert_ptr_eq(strchr(line, '\n'), line + len - 1);
    ck_assert_ptr_null(strchr(line, '\r'));
    j = json_loadb(line, len - 1, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON: %s (%s)", line, e.text);
    ck_assert(json_is_object(j));
    return j;
}

START_TEST(test_event_line_signin_fields)
{
    na_event_t ev = {
        NA_EVENT_SIGNIN, NA_TEST_EVENT_TIME, "github", "u-1", "a@example.com", 1, "192.0.2.7",
        "Zx1aBc"};
    apr_size_t len = 0;
    const char *line = na_event_line(na_test_pool, &ev, &len);
    json_t *j = na_test_event_parse(line, len);

    /* exactly these members, in this order */
    ck_assert_str_eq(line, "{\"time\":\"2026-12-07T23:45:28.123Z\",\"event\":\"signIn\","
                           "\"provider\":\"github\",\"userId\":\"u-1\",\"email\":"
                           "\"a@example.com\",\"isNewUser\":true,\"ip\":\"192.0.2.7\","
                           "\"requestId\":\"Zx1aBc\"}\n");
    ck_assert_uint_eq(json_object_size(j), 8);
    json_decref(j);
}
END_TEST

START_TEST(test_event_line_other_events)
{
    na_event_t ev = {NA_EVENT_SIGNOUT, 0, "credentials", "alice", NULL, 1, "::1", NULL};
    apr_size_t len = 0;
    const char *line = na_event_line(na_test_pool, &ev, &len);
    json_t *j = na_test_event_parse(line, len);

    /* isNewUser belongs to signIn only; NULL fields are left out */
    ck_assert_str_eq(line, "{\"time\":\"1970-01-01T00:00:00.000Z\",\"event\":\"signOut\","
                           "\"provider\":\"credentials\",\"userId\":\"alice\",\"ip\":\"::1\"}\n");
    json_decref(j);
    ev.event = NA_EVENT_SIGNIN;
    ev.is_new_user = 0;
    line = na_event_line(na_test_pool, &ev, &len);
    ck_assert_ptr_nonnull(strstr(line, "\"isNewUser\":false"));
    ev.event = NA_EVENT__COUNT;
    ck_assert_ptr_null(na_event_line(na_test_pool, &ev, NULL));
}
END_TEST

/* A user name is whatever a client typed: quotes, newlines, control and invalid bytes
 * must neither end the line nor break the JSON. */
START_TEST(test_event_line_escaping)
{
    na_event_t ev = {NA_EVENT_SIGNIN,
                     NA_TEST_EVENT_TIME,
                     "credentials",
                     "o\"brien\n{\"event\":\"forged\"}\r\x01\x1b[31m\\",
                     "x\xff\xc3(y@\xe2\x82",
                     0,
                     "10.0.0.1",
                     NULL};
    apr_size_t len = 0;
    const char *line = na_event_line(na_test_pool, &ev, &len);
    json_t *j = na_test_event_parse(line, len);

    ck_assert_str_eq(json_string_value(json_object_get(j, "userId")),
                     "o\"brien\n{\"event\":\"forged\"}\r\x01\x1b[31m\\");
    ck_assert_str_eq(json_string_value(json_object_get(j, "event")), "signIn");
    /* invalid UTF-8 becomes '?', valid characters stay */
    ck_assert_str_eq(json_string_value(json_object_get(j, "email")), "x?"
                                                                     "?(y@??");
    ck_assert_ptr_null(strchr(line, '\x1b'));
    json_decref(j);
    ev.email = "caf\xc3\xa9@example.com";
    line = na_event_line(na_test_pool, &ev, &len);
    ck_assert_ptr_nonnull(strstr(line, "caf\xc3\xa9@example.com"));
}
END_TEST

START_TEST(test_event_line_caps_fields)
{
    char big[4 * NA_EVENT_MAX_FIELD];
    na_event_t ev = {NA_EVENT_SIGNIN, 0, big, big, big, 0, big, big};
    apr_size_t len = 0, i;
    const char *line;
    json_t *j;

    /* a multi-byte character straddling the cap is dropped whole */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(big + NA_EVENT_MAX_FIELD - 1, "\xc3\xa9", 2);
    line = na_event_line(na_test_pool, &ev, &len);
    j = na_test_event_parse(line, len);
    ck_assert_uint_lt(len, 4096); /* PIPE_BUF: one atomic write() */
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(j, "userId"))),
                      NA_EVENT_MAX_FIELD - 1);
    for (i = 0; i < 2; i++) {
        const char *key = i ? "requestId" : "provider";
        ck_assert_uint_le(strlen(json_string_value(json_object_get(j, key))), NA_EVENT_MAX_FIELD);
    }
    json_decref(j);
}
END_TEST

START_TEST(test_event_names)
{
    ck_assert_str_eq(na_event_name(NA_EVENT_SIGNIN), "signIn");
    ck_assert_str_eq(na_event_name(NA_EVENT_SIGNOUT), "signOut");
    ck_assert_str_eq(na_event_name(NA_EVENT_CREATE_USER), "createUser");
    ck_assert_str_eq(na_event_name(NA_EVENT_LINK_ACCOUNT), "linkAccount");
    ck_assert_str_eq(na_event_name(NA_EVENT_SESSION), "session");
    ck_assert_ptr_null(na_event_name(NA_EVENT__COUNT));
    ck_assert_ptr_null(na_event_name((na_event_e)-1));
}
END_TEST

/* ---- the directive ------------------------------------------------------------------- */

START_TEST(test_event_directive_good)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    ck_assert_int_eq(c->event_mask, NA_UNSET);
    ck_assert_ptr_null(na_config_set_event_log(na_test_pool, c, "logs/events.log", NULL));
    ck_assert_str_eq(c->event_log, "logs/events.log");
    ck_assert_int_eq(c->event_mask, NA_EVENT_DEFAULT_MASK);
    ck_assert_int_eq(c->event_mask & NA_EVENT_BIT(NA_EVENT_SESSION), 0);
    ck_assert_int_eq(c->touched, 0); /* an audit log alone does not turn sign-in on */
    ck_assert_ptr_null(
        na_config_set_event_log(na_test_pool, c, "|/usr/bin/logger -t na", "events=session"));
    ck_assert_str_eq(c->event_log, "|/usr/bin/logger -t na");
    ck_assert_int_eq(c->event_mask, NA_EVENT_BIT(NA_EVENT_SESSION));
    ck_assert_ptr_null(na_config_set_event_log(na_test_pool, c, "x",
                                               "events=signIn,signOut,createUser,linkAccount,"
                                               "session,signIn"));
    ck_assert_int_eq(c->event_mask, (1 << NA_EVENT__COUNT) - 1);
}
END_TEST

typedef struct na_test_bad_event_log_t {
    const char *target, *option, *names;
} na_test_bad_event_log_t;

static const na_test_bad_event_log_t na_test_bad_event_logs[] = {
    {"", NULL, "''"},
    {"|", NULL, "'|'"},
    {"||  ", NULL, "'||  '"},
    {"|$", NULL, "'|$'"},
    {"x", "event=signIn", "'event=signIn'"},
    {"x", "signIn", "'signIn'"},
    {"x", "events=", "empty event name"},
    {"x", "events=signin", "unknown event 'signin'"},
    {"x", "events=signIn,,signOut", "empty event name"},
    {"x", "events=signIn,", "empty event name"},
    {"x", "events=signIn,error", "unknown event 'error'"},
};

START_TEST(test_event_directive_bad)
{
    const na_test_bad_event_log_t *tc = &na_test_bad_event_logs[_i];
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const char *msg = na_config_set_event_log(na_test_pool, c, tc->target, tc->option);

    na_test_assert_directive_message(msg, NA_DIR_EVENT_LOG, tc->names);
    /* validated before assigned */
    ck_assert_ptr_null(c->event_log);
    ck_assert_int_eq(c->event_mask, NA_UNSET);
}
END_TEST

START_TEST(test_event_directive_merge)
{
    na_server_conf_t *base = na_config_server_create(na_test_pool);
    na_server_conf_t *add = na_config_server_create(na_test_pool);
    na_server_conf_t *m;

    na_config_set_event_log(na_test_pool, base, "main.log", "events=session");
    m = na_config_server_merge(na_test_pool, base, add);
    ck_assert_str_eq(m->event_log, "main.log");
    ck_assert_int_eq(m->event_mask, NA_EVENT_BIT(NA_EVENT_SESSION));
    /* the vhost's own line brings its own (default) list, not the main server's */
    na_config_set_event_log(na_test_pool, add, "vhost.log", NULL);
    m = na_config_server_merge(na_test_pool, base, add);
    ck_assert_str_eq(m->event_log, "vhost.log");
    ck_assert_int_eq(m->event_mask, NA_EVENT_DEFAULT_MASK);
}
END_TEST

Suite *suite_event(void)
{
    Suite *s = suite_create("event");
    TCase *tc = na_test_tcase("event");

    tcase_add_test(tc, test_event_line_signin_fields);
    tcase_add_test(tc, test_event_line_other_events);
    tcase_add_test(tc, test_event_line_escaping);
    tcase_add_test(tc, test_event_line_caps_fields);
    tcase_add_test(tc, test_event_names);
    tcase_add_test(tc, test_event_directive_good);
    tcase_add_loop_test(tc, test_event_directive_bad, 0, NA_TEST_COUNT(na_test_bad_event_logs));
    tcase_add_test(tc, test_event_directive_merge);
    suite_add_tcase(s, tc);
    return s;
}
