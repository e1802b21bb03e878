/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_cookie.h"
#include "suites.h"

/* ---- names --------------------------------------------------------------------------- */

START_TEST(test_cookie_names_insecure)
{
    na_cookie_names_t n;

    na_cookie_names(na_test_pool, "next-auth", 0, &n);
    ck_assert_str_eq(n.session, "next-auth.session-token");
    ck_assert_str_eq(n.callback_url, "next-auth.callback-url");
    ck_assert_str_eq(n.csrf, "next-auth.csrf-token");
    ck_assert_str_eq(n.pkce, "next-auth.pkce.code_verifier");
    ck_assert_str_eq(n.state, "next-auth.state");
    ck_assert_str_eq(n.nonce, "next-auth.nonce");
}
END_TEST

/* SPEC.md 5: __Secure- everywhere, except the host-only CSRF cookie, which gets __Host-. */
START_TEST(test_cookie_names_secure)
{
    na_cookie_names_t n;

    na_cookie_names(na_test_pool, "next-auth", 1, &n);
    ck_assert_str_eq(n.session, "__Secure-next-auth.session-token");
    ck_assert_str_eq(n.callback_url, "__Secure-next-auth.callback-url");
    ck_assert_str_eq(n.csrf, "__Host-next-auth.csrf-token");
    ck_assert_str_eq(n.pkce, "__Secure-next-auth.pkce.code_verifier");
    ck_assert_str_eq(n.state, "__Secure-next-auth.state");
    ck_assert_str_eq(n.nonce, "__Secure-next-auth.nonce");

    na_cookie_names(na_test_pool, "myapp", 1, &n);
    ck_assert_str_eq(n.session, "__Secure-myapp.session-token");
    ck_assert_str_eq(n.csrf, "__Host-myapp.csrf-token");
}
END_TEST

/* ---- reading the Cookie header ------------------------------------------------------- */

typedef struct na_test_get_t {
    const char *header;
    const char *want; /* NULL: not found */
} na_test_get_t;

#define NA_TEST_CSRF "next-auth.csrf-token"

static const na_test_get_t na_test_gets[] = {
    {NA_TEST_CSRF "=abc", "abc"},
    {"a=1; " NA_TEST_CSRF "=tok%7Chash; b=2", "tok|hash"},
    {NA_TEST_CSRF "=tok%7chash", "tok|hash"},
    {NA_TEST_CSRF "=%E2%9C%93", "\xe2\x9c\x93"},
    {NA_TEST_CSRF "=a+b", "a+b"}, /* '+' is not a space in cookies */
    {NA_TEST_CSRF "=\"quoted value\"", "quoted value"},
    {NA_TEST_CSRF "=\"tok%7Chash\"", "tok|hash"},
    {NA_TEST_CSRF "=\"", "\""},
    {NA_TEST_CSRF "=", ""},
    {"  a=1 ;\t" NA_TEST_CSRF "=v  \t", "v"},
    {NA_TEST_CSRF "= \tv", "v"}, /* blanks go at both ends of a value */
    {NA_TEST_CSRF "= \"q\" ", "q"},
    {";;" NA_TEST_CSRF "=v;;", "v"},
    {NA_TEST_CSRF "=first; " NA_TEST_CSRF "=second", "first"},
    /* similar names are other cookies */
    {"x" NA_TEST_CSRF "=evil", NULL},
    {"x" NA_TEST_CSRF "=evil; " NA_TEST_CSRF "=good", "good"},
    {"__Host-" NA_TEST_CSRF "=evil", NULL},
    {NA_TEST_CSRF ".0=chunk", NULL},
    {NA_TEST_CSRF "X=1", NULL},
    {"next-auth.csrf=1", NULL},
    {NA_TEST_CSRF, NULL},
    {NA_TEST_CSRF " =v", NULL},
    {"Next-Auth.Csrf-Token=v", NULL}, /* names are case-sensitive */
    {"other=" NA_TEST_CSRF "=evil", NULL},
    {"other=\"; " NA_TEST_CSRF "=x\"", "x\""},
    /* malformed encodings mean "no cookie" */
    {NA_TEST_CSRF "=%", NULL},
    {NA_TEST_CSRF "=%zz", NULL},
    {NA_TEST_CSRF "=abc%4", NULL},
    {NA_TEST_CSRF "=a%00b", NULL},
    {"", NULL},
};

START_TEST(test_cookie_get)
{
    const na_test_get_t *tc = &na_test_gets[_i];
    const char *got = na_cookie_get(na_test_pool, tc->header, NA_TEST_CSRF);

    ck_assert_msg(tc->want ? got && strcmp(got, tc->want) == 0 : got == NULL,
                  "Cookie: %s -> '%s', want '%s'", tc->header, got ? got : "(null)",
                  tc->want ? tc->want : "(null)");
}
END_TEST

START_TEST(test_cookie_get_limits)
{
    apr_size_t fill = NA_MAX_COOKIE_HEADER - strlen("; " NA_TEST_CSRF "=v") - 2;
    char *pad = apr_palloc(na_test_pool, fill + 1);
    const char *header;

    ck_assert_ptr_null(na_cookie_get(na_test_pool, NULL, NA_TEST_CSRF));
    memset(pad, 'p', fill);
    pad[fill] = '\0';
    /* exactly at the cap: found */
    header = apr_pstrcat(na_test_pool, "a=", pad, "; " NA_TEST_CSRF "=v", NULL);
    ck_assert_uint_eq(strlen(header), NA_MAX_COOKIE_HEADER);
    ck_assert_pstr_eq(na_cookie_get(na_test_pool, header, NA_TEST_CSRF), "v");
    /* one byte over: the whole header is refused */
    header = apr_pstrcat(na_test_pool, "a=p", pad, "; " NA_TEST_CSRF "=v", NULL);
    ck_assert_uint_eq(strlen(header), NA_MAX_COOKIE_HEADER + 1);
    ck_assert_ptr_null(na_cookie_get(na_test_pool, header, NA_TEST_CSRF));
    header = apr_pstrcat(na_test_pool, NA_TEST_CSRF "=v; a=p", pad, NULL);
    ck_assert_ptr_null(na_cookie_get(na_test_pool, header, NA_TEST_CSRF));
}
END_TEST

/* ---- the scanner ----------------------------------------------------------------------- */

/* Every pair of a header as "name=value|name=value|" (raw values), for the table. */
static const char *na_test_pairs(const char *header)
{
    na_cookie_iter_t it;
    na_cookie_pair_t pair;
    const char *out = "";

    ck_assert_int_eq(na_cookie_iter_init(&it, header), NA_OK);
    while (na_cookie_iter_next(&it, &pair)) {
        out = apr_pstrcat(na_test_pool, out, apr_pstrmemdup(na_test_pool, pair.name, pair.name_len),
                          "=", apr_pstrmemdup(na_test_pool, pair.value, pair.value_len), "|", NULL);
    }
    /* at the end it stays at the end */
    ck_assert_int_eq(na_cookie_iter_next(&it, &pair), 0);
    return out;
}

typedef struct na_test_scan_t {
    const char *header;
    const char *pairs;
} na_test_scan_t;

static const na_test_scan_t na_test_scans[] = {
    {"", ""},
    {"a=1", "a=1|"},
    {"a=1; b=2", "a=1|b=2|"},
    {"a=1;b=2;", "a=1|b=2|"},
    {" \t;; a = 1 \t; ;b=\"x y\" ", "a =1|b=\"x y\"|"},
    /* truncated and shapeless pieces */
    {"a", ""},
    {"a=", "a=|"},
    {"a=1; b", "a=1|"},
    {"a=\"unterminated", "a=\"unterminated|"},
    {";", ""},
    {"=", "=|"},
    /* empty names are pairs; only a reader asking for "" would take them */
    {"=v; =w", "=v|=w|"},
    /* '=' inside a value, ';' inside quotes still separates */
    {"a=b=c", "a=b=c|"},
    {"a=\"x;y\"", "a=\"x|"},
    /* bytes are bytes: names are not folded, odd characters pass through */
    {"A=1; a=2", "A=1|a=2|"},
    {"\x01=\x7f; \xc3\xa9=\xff", "\x01=\x7f|\xc3\xa9=\xff|"},
};

START_TEST(test_cookie_scan)
{
    const na_test_scan_t *tc = &na_test_scans[_i];
    const char *got = na_test_pairs(tc->header);

    ck_assert_msg(strcmp(got, tc->pairs) == 0, "Cookie: '%s' -> '%s', want '%s'", tc->header, got,
                  tc->pairs);
}
END_TEST

/* A header is a C string: nothing after a NUL is seen, by the scanner or a reader. */
START_TEST(test_cookie_scan_nul)
{
    static const char header[] = "a=1\0" NA_TEST_CSRF "=v";

    ck_assert_str_eq(na_test_pairs(header), "a=1|");
    ck_assert_ptr_null(na_cookie_get(na_test_pool, header, NA_TEST_CSRF));
    ck_assert_str_eq(na_test_pairs(NULL), "");
}
END_TEST

/* 16 KiB + 1 is refused whole, by the scanner (NA_ETOOBIG, no pair) and so by every
 * reader; the stripper has no cap and still hides the module's cookie. */
START_TEST(test_cookie_scan_over_cap)
{
    char *header = apr_palloc(na_test_pool, NA_MAX_COOKIE_HEADER + 2);
    const char *names[] = {NA_TEST_CSRF};
    na_cookie_iter_t it;
    na_cookie_pair_t pair;

    memset(header, 'p', NA_MAX_COOKIE_HEADER + 1);
    memcpy(header, NA_TEST_CSRF "=v; a=", strlen(NA_TEST_CSRF "=v; a="));
    header[NA_MAX_COOKIE_HEADER + 1] = '\0';
    ck_assert_int_eq(na_cookie_iter_init(&it, header), NA_ETOOBIG);
    ck_assert_int_eq(na_cookie_iter_next(&it, &pair), 0);
    ck_assert_ptr_null(na_cookie_get(na_test_pool, header, NA_TEST_CSRF));
    ck_assert_str_eq(na_cookie_strip(na_test_pool, header, names, 1),
                     header + strlen(NA_TEST_CSRF "=v; "));
    /* at the cap it is read */
    header[NA_MAX_COOKIE_HEADER] = '\0';
    ck_assert_int_eq(na_cookie_iter_init(&it, header), NA_OK);
    ck_assert_pstr_eq(na_cookie_get(na_test_pool, header, NA_TEST_CSRF), "v");
}
END_TEST

/* Thousands of pairs up to the cap: every one is seen, the last one is found. */
START_TEST(test_cookie_scan_many_pairs)
{
    apr_size_t cap = NA_MAX_COOKIE_HEADER, o = 0;
    char *header = apr_palloc(na_test_pool, cap + 1);
    na_cookie_iter_t it;
    na_cookie_pair_t pair;
    int n = 0, want = 0;

    while (o + strlen("x=1; ") + strlen(NA_TEST_CSRF "=last") <= cap) {
        memcpy(header + o, "x=1; ", 5);
        o += 5;
        want++;
    }
    memcpy(header + o, NA_TEST_CSRF "=last", strlen(NA_TEST_CSRF "=last") + 1);
    ck_assert_int_gt(want, 3000);
    ck_assert_int_eq(na_cookie_iter_init(&it, header), NA_OK);
    while (na_cookie_iter_next(&it, &pair)) {
        n++;
    }
    ck_assert_int_eq(n, want + 1);
    ck_assert_pstr_eq(na_cookie_get(na_test_pool, header, NA_TEST_CSRF), "last");
}
END_TEST

typedef struct na_test_value_t {
    const char *raw;
    const char *want; /* NULL: refused */
} na_test_value_t;

static const na_test_value_t na_test_values[] = {
    {"", ""},       {"\"\"", ""},     {"\"", "\""},   {"\"a", "\"a"},
    {"\"a\"", "a"}, {"\"%41\"", "A"}, {"a+b", "a+b"}, {"%", NULL},
    {"%4", NULL},   {"%zz", NULL},    {"%00", NULL},  {"%e2%9c%93", "\xe2\x9c\x93"},
};

START_TEST(test_cookie_value)
{
    const na_test_value_t *tc = &na_test_values[_i];
    na_cookie_pair_t pair = {"n", 1, tc->raw, strlen(tc->raw)};
    const char *got = na_cookie_value(na_test_pool, &pair);

    ck_assert_msg(tc->want ? got && strcmp(got, tc->want) == 0 : got == NULL,
                  "'%s' -> '%s', want '%s'", tc->raw, got ? got : "(null)",
                  tc->want ? tc->want : "(null)");
}
END_TEST

/* ---- hiding the module's cookies from a backend ---------------------------------------- */

typedef struct na_test_strip_t {
    const char *header;
    const char *want; /* NULL: nothing left */
} na_test_strip_t;

static const na_test_strip_t na_test_strips[] = {
    {"", NULL},
    {"app=1", "app=1"},
    {"next-auth.session-token=x", NULL},
    {"app=1; next-auth.session-token=x; other=2", "app=1; other=2"},
    /* chunks and per-flow check cookies are ours too */
    {"next-auth.session-token.0=a; next-auth.session-token.1=b; app=1", "app=1"},
    {"next-auth.state.0123abcd=s;app=1", "app=1"},
    {"next-auth.session-token.whatever", NULL},
    /* names that only share a prefix are not */
    {"next-auth.session-tokenX=1; xnext-auth.state=2", "next-auth.session-tokenX=1; "
                                                       "xnext-auth.state=2"},
    {"next-auth.session-token =x", "next-auth.session-token =x"},
    {"next-auth.session-token", "next-auth.session-token"},
    /* kept pieces byte for byte, blanks before ';' included; empty pieces go */
    {" a=1 ;;\t; b=\"q\" ; next-auth.csrf-token=t", "a=1 ; b=\"q\" "},
    {"flag; a=1", "flag; a=1"},
    {";;;", NULL},
};

START_TEST(test_cookie_strip)
{
    static const char *const names[] = {"next-auth.session-token", "next-auth.csrf-token",
                                        "next-auth.state"};
    const na_test_strip_t *tc = &na_test_strips[_i];
    const char *got = na_cookie_strip(na_test_pool, tc->header, names, 3);

    ck_assert_msg(tc->want ? got && strcmp(got, tc->want) == 0 : got == NULL,
                  "Cookie: '%s' -> '%s', want '%s'", tc->header, got ? got : "(null)",
                  tc->want ? tc->want : "(null)");
}
END_TEST

/* Joining with "; " where the header had bare ';' must not overrun the buffer. */
START_TEST(test_cookie_strip_dense)
{
    static const char *const names[] = {"z"};
    const char *got = na_cookie_strip(na_test_pool, "a;b;c;d;z=1;e", names, 1);

    ck_assert_pstr_eq(got, "a; b; c; d; e");
    ck_assert_ptr_null(na_cookie_strip(na_test_pool, NULL, names, 1));
}
END_TEST

/* ---- writing Set-Cookie -------------------------------------------------------------- */

START_TEST(test_cookie_serialize_csrf)
{
    na_cookie_attr_t attr = {NA_UNSET, 0, NULL, 0};

    ck_assert_str_eq(na_cookie_serialize(na_test_pool, "next-auth.csrf-token", "tok|hash", &attr),
                     "next-auth.csrf-token=tok%7Chash; Path=/; HttpOnly; SameSite=Lax");
    attr.secure = 1;
    ck_assert_str_eq(na_cookie_serialize(na_test_pool, "__Host-next-auth.csrf-token", "t|h", &attr),
                     "__Host-next-auth.csrf-token=t%7Ch; Path=/; HttpOnly; Secure; SameSite=Lax");
}
END_TEST

/* next-auth's order (the `cookie` package): Max-Age, Domain, Path, Expires, HttpOnly,
 * Secure, SameSite. */
START_TEST(test_cookie_serialize_every_attribute)
{
    na_cookie_attr_t attr = {900, 0, "example.com", 1};

    attr.expires = apr_time_from_sec(1700000000);
    ck_assert_str_eq(na_cookie_serialize(na_test_pool, "__Secure-next-auth.state", "v", &attr),
                     "__Secure-next-auth.state=v; Max-Age=900; Domain=example.com; Path=/; "
                     "Expires=Tue, 14 Nov 2023 22:13:20 GMT; HttpOnly; Secure; SameSite=Lax");
    attr.domain = NULL;
    attr.secure = 0;
    ck_assert_str_eq(na_cookie_serialize(na_test_pool, "next-auth.nonce", "v", &attr),
                     "next-auth.nonce=v; Max-Age=900; Path=/; "
                     "Expires=Tue, 14 Nov 2023 22:13:20 GMT; HttpOnly; SameSite=Lax");
    attr.max_age = NA_UNSET;
    ck_assert_str_eq(na_cookie_serialize(na_test_pool, "next-auth.session-token", "v", &attr),
                     "next-auth.session-token=v; Path=/; "
                     "Expires=Tue, 14 Nov 2023 22:13:20 GMT; HttpOnly; SameSite=Lax");
}
END_TEST

START_TEST(test_cookie_serialize_delete)
{
    na_cookie_attr_t attr = {0, 0, NULL, 0};

    ck_assert_str_eq(na_cookie_serialize(na_test_pool, "next-auth.state", "", &attr),
                     "next-auth.state=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
}
END_TEST

typedef struct na_test_encode_t {
    const char *value;
    const char *want;
} na_test_encode_t;

/* What JavaScript's encodeURIComponent gives. */
static const na_test_encode_t na_test_encodes[] = {
    {"tok|hash", "tok%7Chash"},
    {"eyJhbGciOiJkaXIi.._x-Y.z", "eyJhbGciOiJkaXIi.._x-Y.z"},
    {"AZaz09-_.!~*'()", "AZaz09-_.!~*'()"},
    {"a b", "a%20b"},
    {";,=\"\\", "%3B%2C%3D%22%5C"},
    {"/?#&+:@$", "%2F%3F%23%26%2B%3A%40%24"},
    {"http://localhost:3000/x?y=1", "http%3A%2F%2Flocalhost%3A3000%2Fx%3Fy%3D1"},
    {"\r\n", "%0D%0A"},
    {"\xc3\xa9", "%C3%A9"},
    {"%", "%25"},
};

START_TEST(test_cookie_serialize_encodes_value)
{
    const na_test_encode_t *tc = &na_test_encodes[_i];
    na_cookie_attr_t attr = {NA_UNSET, 0, NULL, 0};
    const char *got = na_cookie_serialize(na_test_pool, "n", tc->value, &attr);
    const char *want = apr_pstrcat(na_test_pool, "n=", tc->want,
                                   "; Path=/; HttpOnly; "
                                   "SameSite=Lax",
                                   NULL);

    ck_assert_str_eq(got, want);
    /* and the reader gives the value back */
    ck_assert_pstr_eq(
        na_cookie_get(na_test_pool, apr_pstrcat(na_test_pool, "n=", tc->want, NULL), "n"),
        tc->value);
}
END_TEST

Suite *suite_cookie(void)
{
    Suite *s = suite_create("cookie");
    TCase *tc = na_test_tcase("names");

    tcase_add_test(tc, test_cookie_names_insecure);
    tcase_add_test(tc, test_cookie_names_secure);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("get");
    tcase_add_loop_test(tc, test_cookie_get, 0, NA_TEST_COUNT(na_test_gets));
    tcase_add_test(tc, test_cookie_get_limits);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("scan");
    tcase_add_loop_test(tc, test_cookie_scan, 0, NA_TEST_COUNT(na_test_scans));
    tcase_add_test(tc, test_cookie_scan_nul);
    tcase_add_test(tc, test_cookie_scan_over_cap);
    tcase_add_test(tc, test_cookie_scan_many_pairs);
    tcase_add_loop_test(tc, test_cookie_value, 0, NA_TEST_COUNT(na_test_values));
    suite_add_tcase(s, tc);

    tc = na_test_tcase("strip");
    tcase_add_loop_test(tc, test_cookie_strip, 0, NA_TEST_COUNT(na_test_strips));
    tcase_add_test(tc, test_cookie_strip_dense);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("serialize");
    tcase_add_test(tc, test_cookie_serialize_csrf);
    tcase_add_test(tc, test_cookie_serialize_every_attribute);
    tcase_add_test(tc, test_cookie_serialize_delete);
    tcase_add_loop_test(tc, test_cookie_serialize_encodes_value, 0, NA_TEST_COUNT(na_test_encodes));
    suite_add_tcase(s, tc);
    return s;
}
