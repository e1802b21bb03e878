/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>

#include "na_email.h"
#include "na_url.h"
#include "suites.h"

/* ---- na_email_normalize: accepted ---------------------------------------------------- */

typedef struct na_test_email_t {
    const char *input;
    const char *want;
} na_test_email_t;

static const na_test_email_t na_test_good_emails[] = {
    /* SPEC 7, observed from next-auth 4.24.15 */
    {"  Foo.Bar@Example.COM ", "foo.bar@example.com"},
    {"alice@example.com", "alice@example.com"},
    {"a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"},
    {"x@y.z", "x@y.z"},
    /* NFKC folds full-width letters, in the local part and in the domain */
    {"\xef\xbd\x81\xef\xbd\x8c\xef\xbd\x89\xef\xbd\x83\xef\xbd\x85@example.com",
     "alice@example.com"},
    {"ALICE@\xef\xbc\xa5\xef\xbc\xb8\xef\xbc\xa1\xef\xbc\xad\xef\xbc\xb0\xef\xbc\xac\xef\xbc\xa5"
     ".com",
     "alice@example.com"},
    /* a small commercial at (U+FE6B) is an '@' once folded: one '@' in all */
    {"a\xef\xb9\xabx.com", "a@x.com"},
    /* UTF-8 local parts and IDN domains are addresses too (RFC 6531) */
    {"Jos\xc3\xa9@Example.com", "jos\xc3\xa9@example.com"},
    {"Jose\xcc\x81@example.com", "jos\xc3\xa9@example.com"}, /* NFKC composes e + U+0301 */
    {"\xc3\x84LICE@example.com", "\xc3\xa4lice@example.com"},
    {"\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a",
     "\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a"},
    {"\xec\xb2\xa0\xec\x88\x98@\xec\x98\x88\xec\x8b\x9c.\xed\x95\x9c\xea\xb5\xad",
     "\xec\xb2\xa0\xec\x88\x98@\xec\x98\x88\xec\x8b\x9c.\xed\x95\x9c\xea\xb5\xad"},
    /* JavaScript's trim: ideographic spaces, a no-break space, a trailing CRLF */
    {"\xe3\x80\x80"
     "alice@example.com\xe3\x80\x80",
     "alice@example.com"},
    {"\xc2\xa0"
     "alice@example.com\t",
     "alice@example.com"},
    {"alice@example.com\r\n", "alice@example.com"},
    {"a_b-c@my_host.example-1.com", "a_b-c@my_host.example-1.com"},
};

START_TEST(test_email_normalize_good)
{
    const na_test_email_t *tc = &na_test_good_emails[_i];
    const char *out = NULL;
    na_err_t err = {0};

    ck_assert_msg(na_email_normalize(na_test_pool, tc->input, &out, &err) == NA_OK,
                  "case %d refused: %s", _i, err.detail ? err.detail : "-");
    ck_assert_str_eq(out, tc->want);
}
END_TEST

/* ---- refused ------------------------------------------------------------------------- */

static const char *const na_test_bad_emails[] = {
    /* the issue's attacks */
    "a@x.com,victim@y.com",                    /* a list: a second recipient */
    "\"e@attacker.com\"@victim.com",           /* a quoted local part */
    "attacker@evil.com\xef\xbc\xa0victim.com", /* full-width at sign: two '@' once folded */
    "x@evil.com@victim.com", "a@x.com\r\nBcc: x@y.com",                 /* header injection */
    "a@x.com\nBcc: x@y.com", "a@x.com\rBcc: x@y.com", "<script>@x.com", /* HTML in the local part */
    "alice<b>@x.com", "a@x.com>", "x@y",                                /* no dot in the domain */
    "", "   ", "\t\r\n", "\xe3\x80\x80",
    /* invalid UTF-8 */
    "a\xff@x.com",
    "\xc0\xaf"
    "a@x.com",                /* overlong '/' */
    "\xed\xa0\x80@x.com",     /* a UTF-16 surrogate */
    "a@x.co\xe2\x82",         /* cut in the middle of a character */
    "\xf4\x90\x80\x80@x.com", /* above U+10FFFF */
    /* the rest of the shape */
    "@x.com", "a@", "a", "a@.com", "a@x..com", "a@x.com.", "a@x.c/m", "a@[127.0.0.1]",
    "a@x.com;b@y.com", "a b@x.com", /* inner white space */
    "a\xc2\xa0"
    "b@x.com", /* inner no-break space */
    "a\xe3\x80\x80"
    "b@x.com",         /* inner ideographic space */
    "a\x01@x.com",     /* C0 control */
    "a\x7f@x.com",     /* DEL */
    "a\xc2\x85@x.com", /* C1 control (NEL) */
    "a\xe2\x80\xae"
    "moc.x@x.com", /* right-to-left override */
    "a\xe2\x81\xa6"
    "b@x.com",                       /* left-to-right isolate */
    "alice@example.com\xe2\x80\x8b", /* a trailing zero-width space */
    "al\xc2\xad"
    "ice@example.com",               /* soft hyphen */
    "alice@exa\xe2\x81\xa0mple.com", /* word joiner */
    "a\xef\xbc\x82"
    "b@x.com", /* full-width '"' folds to '"' */
    "a\xef\xbc\x8c"
    "b@x.com", /* full-width ',' folds to ',' */
    "a\xef\xbc\x9c"
    "b@x.com", /* full-width '<' folds to '<' */
};

START_TEST(test_email_normalize_bad)
{
    const char *out = "unchanged";
    na_err_t err = {0};

    ck_assert_msg(na_email_normalize(na_test_pool, na_test_bad_emails[_i], &out, &err) == NA_EINPUT,
                  "bad case %d was not refused as NA_EINPUT", _i);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.code, "EmailSignin");
    ck_assert_ptr_nonnull(err.detail);
    ck_assert_ptr_null(strchr(err.detail, '\r'));
    ck_assert_ptr_null(strchr(err.detail, '\n'));
}
END_TEST

/* Nothing of the address is echoed into the log detail (it may carry CRLF or markup). */
START_TEST(test_email_detail_does_not_echo)
{
    const char *out = NULL;
    na_err_t err = {0};

    ck_assert_int_eq(na_email_normalize(na_test_pool, "secret-local@x.com@y.com", &out, &err),
                     NA_EINPUT);
    ck_assert_ptr_null(strstr(err.detail, "secret-local"));
}
END_TEST

START_TEST(test_email_normalize_null)
{
    const char *out = "unchanged";

    ck_assert_int_eq(na_email_normalize(na_test_pool, NULL, &out, NULL), NA_EINPUT);
    ck_assert_ptr_null(out);
}
END_TEST

static char *na_test_repeat(char c, apr_size_t n)
{
    char *s = apr_palloc(na_test_pool, n + 1);

    memset(s, c, n);
    s[n] = '\0';
    return s;
}

START_TEST(test_email_length_limits)
{
    const char *out = NULL;
    const char *domain = "@example.com"; /* 12 bytes */
    const char *at_limit = apr_pstrcat(na_test_pool, na_test_repeat('a', 242), domain, NULL);
    const char *over = apr_pstrcat(na_test_pool, na_test_repeat('a', 243), domain, NULL);
    const char *issue = apr_pstrcat(na_test_pool, na_test_repeat('a', 288), domain, NULL);
    const char *huge =
        apr_pstrcat(na_test_pool, na_test_repeat('a', NA_EMAIL_MAX_INPUT), domain, NULL);
    na_err_t err = {0};

    ck_assert_uint_eq(strlen(at_limit), NA_EMAIL_MAX_LEN);
    ck_assert_int_eq(na_email_normalize(na_test_pool, at_limit, &out, NULL), NA_OK);
    ck_assert_str_eq(out, at_limit);
    ck_assert_int_eq(na_email_normalize(na_test_pool, over, &out, NULL), NA_EINPUT);
    ck_assert_uint_eq(strlen(issue), 300);
    ck_assert_int_eq(na_email_normalize(na_test_pool, issue, &out, NULL), NA_EINPUT);
    ck_assert_int_eq(na_email_normalize(na_test_pool, huge, &out, &err), NA_ETOOBIG);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.code, "EmailSignin");
    /* NFKC may grow the input (U+3300 folds to four katakana, 3 bytes to 12): the cap
     * applies to the folded address */
    {
        apr_array_header_t *parts = apr_array_make(na_test_pool, 64, sizeof(const char *));
        int i;
        for (i = 0; i < 30; i++) {
            APR_ARRAY_PUSH(parts, const char *) = "\xe3\x8c\x80";
        }
        APR_ARRAY_PUSH(parts, const char *) = domain;
        ck_assert_int_eq(
            na_email_normalize(na_test_pool, apr_array_pstrcat(na_test_pool, parts, 0), &out, NULL),
            NA_EINPUT);
    }
}
END_TEST

/* ---- token, hash, link ------------------------------------------------------------------ */

START_TEST(test_email_token)
{
    const char *a = NULL, *b = NULL, *c;

    ck_assert_int_eq(na_email_token(na_test_pool, &a), NA_OK);
    ck_assert_int_eq(na_email_token(na_test_pool, &b), NA_OK);
    ck_assert_uint_eq(strlen(a), 64);
    for (c = a; *c; c++) {
        ck_assert_msg(apr_isdigit(*c) || (*c >= 'a' && *c <= 'f'), "not lower-case hex: %s", a);
    }
    ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_email_token_hash)
{
    /* SPEC 7: sha256("abc" + "secret") */
    ck_assert_str_eq(na_email_token_hash(na_test_pool, "abc", "secret"),
                     "a42178b773273f5c9f24387fbea546af537d08b8c06b23631e44878b9ce47f49");
    ck_assert_str_eq(na_email_token_hash(na_test_pool, "", ""),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* no separator, so only the concatenation counts */
    ck_assert_str_eq(na_email_token_hash(na_test_pool, "ab", "csecret"),
                     na_email_token_hash(na_test_pool, "abc", "secret"));
    ck_assert_str_ne(na_email_token_hash(na_test_pool, "abc", "secreT"),
                     na_email_token_hash(na_test_pool, "abc", "secret"));
}
END_TEST

START_TEST(test_email_magic_link_spec)
{
    const char *token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /* SPEC 7's observed example */
    ck_assert_str_eq(na_email_magic_link(na_test_pool, "http://localhost:3000/api/auth", "email",
                                         "http://localhost:3000/after", token,
                                         "foo.bar@example.com"),
                     "http://localhost:3000/api/auth/callback/email?callbackUrl=http%3A%2F%2F"
                     "localhost%3A3000%2Fafter&token=0123456789abcdef0123456789abcdef0123456789ab"
                     "cdef0123456789abcdef&email=foo.bar%40example.com");
}
END_TEST

START_TEST(test_email_magic_link_encoding)
{
    /* Expected values from node: new URLSearchParams({callbackUrl, token, email}) */
    ck_assert_str_eq(na_email_magic_link(na_test_pool, "https://example.com/api/auth", "magic",
                                         "http://localhost:3000/a b?x=1&y=!'()~*-._",
                                         "t+/=", "jos\xc3\xa9.\xed\x95\x9c@example.com"),
                     "https://example.com/api/auth/callback/magic?callbackUrl=http%3A%2F%2F"
                     "localhost%3A3000%2Fa+b%3Fx%3D1%26y%3D%21%27%28%29%7E*-._&token=t%2B%2F%3D"
                     "&email=jos%C3%A9.%ED%95%9C%40example.com");
    ck_assert_str_eq(na_url_encode_form(na_test_pool, ""), "");
    ck_assert_str_eq(na_url_encode_form(na_test_pool, "\r\n<>\"#"), "%0D%0A%3C%3E%22%23");
}
END_TEST

Suite *suite_email(void)
{
    Suite *s = suite_create("email");
    TCase *tc = na_test_tcase("normalize");

    tcase_add_loop_test(tc, test_email_normalize_good, 0, NA_TEST_COUNT(na_test_good_emails));
    tcase_add_loop_test(tc, test_email_normalize_bad, 0, NA_TEST_COUNT(na_test_bad_emails));
    tcase_add_test(tc, test_email_detail_does_not_echo);
    tcase_add_test(tc, test_email_normalize_null);
    tcase_add_test(tc, test_email_length_limits);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("token");
    tcase_add_test(tc, test_email_token);
    tcase_add_test(tc, test_email_token_hash);
    tcase_add_test(tc, test_email_magic_link_spec);
    tcase_add_test(tc, test_email_magic_link_encoding);
    suite_add_tcase(s, tc);
    return s;
}
