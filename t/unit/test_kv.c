/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "na_kv.h"
#include "suites.h"

/* ---- na_kv_tokenize ------------------------------------------------------------------ */

typedef struct na_test_tokens_t {
    const char *line;
    int n;
    const char *words[4];
} na_test_tokens_t;

static const na_test_tokens_t na_test_token_cases[] = {
    {"credentials name=\"Staff login\" authn=file",
     3,
     {"credentials", "name=Staff login", "authn=file"}},
    {"\"a b\" c", 2, {"a b", "c"}},
    {"  \t one   two\t", 2, {"one", "two"}},
    {"name=\"say \\\"hi\\\"\"", 1, {"name=say \"hi\""}},
    {"path=\"C:\\\\dir\"", 1, {"path=C:\\dir"}},
    {"name=\"a\\nb\"", 1, {"name=a\\nb"}}, /* only \" and \\ are escapes */
    {"a\"b c\"d e", 2, {"ab cd", "e"}},
    {"name=\"\"", 1, {"name="}},
    {"\"\"", 1, {""}},
    {"x=\"1\"\"2\"", 1, {"x=12"}},
    {"", 0, {NULL}},
    {"   \t ", 0, {NULL}},
};

START_TEST(test_kv_tokenize_cases)
{
    const na_test_tokens_t *tc = &na_test_token_cases[_i];
    apr_array_header_t *words = NULL;
    int i;

    ck_assert_ptr_null(na_kv_tokenize(na_test_pool, tc->line, &words));
    ck_assert_ptr_nonnull(words);
    ck_assert_msg(words->nelts == tc->n, "'%s': %d words, want %d", tc->line, words->nelts, tc->n);
    for (i = 0; i < tc->n; i++) {
        ck_assert_str_eq(APR_ARRAY_IDX(words, i, const char *), tc->words[i]);
    }
}
END_TEST

static const char *const na_test_unbalanced[] = {
    "name=\"Staff login", "\"", "a \"b", "name=\"ends with escaped quote\\\"", "x=\"1\"\"2",
};

START_TEST(test_kv_tokenize_unbalanced)
{
    apr_array_header_t *words = NULL;
    const char *msg = na_kv_tokenize(na_test_pool, na_test_unbalanced[_i], &words);

    ck_assert_ptr_nonnull(msg);
    ck_assert_str_eq(msg, "unbalanced quote");
    ck_assert_ptr_null(words);
}
END_TEST

/* ---- na_kv_parse over a table with one key of every type ----------------------------- */

typedef struct na_test_target_t {
    const char *str;
    const char *secret;
    const char *url;
    const char *path;
    const char *color;
    const char *image;
    apr_int64_t uint;
    int choice;
    unsigned list;
    apr_array_header_t *names;
    const char *host;
    const char *keep;
    const char *only_a;
} na_test_target_t;

static const char *const na_test_choices[] = {"red", "green", "blue", NULL};

#define NA_T(field) offsetof(na_test_target_t, field)

static const na_kv_spec_t na_test_spec[] = {
    {"str", NA_KV_STRING, NULL, 0, NA_T(str)},
    {"secret", NA_KV_SECRET, NULL, 0, NA_T(secret)},
    {"url", NA_KV_URL, NULL, 0, NA_T(url)},
    {"path", NA_KV_PATH, NULL, 0, NA_T(path)},
    {"color", NA_KV_COLOR, NULL, 0, NA_T(color)},
    {"image", NA_KV_IMAGE, NULL, 0, NA_T(image)},
    {"uint", NA_KV_UINT, NULL, 0, NA_T(uint)},
    {"choice", NA_KV_ENUM, na_test_choices, 0, NA_T(choice)},
    {"list", NA_KV_LIST, na_test_choices, 0, NA_T(list)},
    {"names", NA_KV_NAMES, NULL, 0, NA_T(names)},
    {"host", NA_KV_HOST, NULL, 0, NA_T(host)},
    {"keep", NA_KV_STRING, NULL, 0, NA_T(keep)},
    {"onlyA", NA_KV_STRING, NULL, 1, NA_T(only_a)},
    {NULL, 0, NULL, 0, 0},
};

/* Kind 2 ("b"), so onlyA does not apply. */
static const na_kv_call_t na_test_call = {"TestDirective", "subj", na_test_spec, 2, "b", NULL};

static const char *na_test_parse(const char *line, na_test_target_t *target, apr_uint64_t *seen)
{
    apr_array_header_t *words = NULL;

    ck_assert_ptr_null(na_kv_tokenize(na_test_pool, line, &words));
    return na_kv_parse(na_test_pool, &na_test_call, words->nelts, (const char *const *)words->elts,
                       target, seen);
}

START_TEST(test_kv_parse_every_type)
{
    na_test_target_t t;
    apr_uint64_t seen = 0;

    memset(&t, 0, sizeof(t));
    setenv("NA_TEST_KV_SECRET", "from-env", 1);
    ck_assert_ptr_null(na_test_parse("str=\"Staff login\" secret=env:NA_TEST_KV_SECRET "
                                     "url=https://idp.example.com/auth path=/auth/signin "
                                     "color=#1a2B3c image=/logo.png uint=86400 choice=GREEN "
                                     "list=blue,red names=file,ldap_2 host=.example.com",
                                     &t, &seen));
    ck_assert_str_eq(t.str, "Staff login");
    ck_assert_str_eq(t.secret, "from-env");
    ck_assert_str_eq(t.url, "https://idp.example.com/auth");
    ck_assert_str_eq(t.path, "/auth/signin");
    ck_assert_str_eq(t.color, "#1a2B3c");
    ck_assert_str_eq(t.image, "/logo.png");
    ck_assert_int_eq(t.uint, 86400);
    ck_assert_int_eq(t.choice, 1);
    ck_assert_uint_eq(t.list, (1u << 2) | 1u);
    ck_assert_int_eq(t.names->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(t.names, 0, const char *), "file");
    ck_assert_str_eq(APR_ARRAY_IDX(t.names, 1, const char *), "ldap_2");
    ck_assert_str_eq(t.host, ".example.com");
    ck_assert_ptr_null(t.only_a);
    /* bit i is spec index i; keep (11) and onlyA (12) were not given */
    ck_assert_uint_eq(seen, 0x7ffu);
}
END_TEST

START_TEST(test_kv_parse_keys_case_insensitive_and_empty_line)
{
    na_test_target_t t;
    apr_uint64_t seen = 99;

    memset(&t, 0, sizeof(t));
    ck_assert_ptr_null(na_test_parse("STR=x Uint=5", &t, &seen));
    ck_assert_str_eq(t.str, "x");
    ck_assert_int_eq(t.uint, 5);
    ck_assert_uint_eq(seen, (1u << 0) | (1u << 6));
    ck_assert_ptr_null(na_test_parse("", &t, &seen));
    ck_assert_uint_eq(seen, 0);
}
END_TEST

/* Values a key accepts, at the edges of each type. */
static const char *const na_test_good_words[] = {
    "str=\"any text at all\"",
    "url=http://127.0.0.1:3000",
    "url=HTTPS://Example.com/a?b=c",
    "path=/",
    "path=/a/b.c",
    "color=#abc",
    "color=#abcd",
    "color=#aabbcc",
    "color=#AABBCCDD",
    "image=https://cdn.example.com/x.svg",
    "image=/x.svg",
    "uint=1",
    "uint=315360000",
    "uint=000000007",
    "choice=blue",
    "list=red",
    "list=red,green,blue",
    "names=a",
    "names=a,,b",
    "host=example.com",
    "host=a-b.example.com",
    "host=localhost",
};

START_TEST(test_kv_parse_good_values)
{
    na_test_target_t t;

    memset(&t, 0, sizeof(t));
    ck_assert_ptr_null(na_test_parse(na_test_good_words[_i], &t, NULL));
}
END_TEST

typedef struct na_test_bad_t {
    const char *line;
    const char *names; /* what the message must point at */
} na_test_bad_t;

static const na_test_bad_t na_test_bad_words[] = {
    /* shape of the word */
    {"str", "'str' is not key=value"},
    {"=x", "'=x' is not key=value"},
    {"nosuch=1", "unknown key 'nosuch'"},
    {"onlyA=1", "key 'onlyA' does not apply to b"},
    {"str=a str=b", "key 'str' is given twice"},
    {"str=a STR=b", "given twice"},
    /* empty values of every type */
    {"str=", "str='': an empty value"},
    {"url=", "url=''"},
    {"uint=", "uint=''"},
    {"names=", "names=''"},
    /* STRING */
    {"str=\"a\tb\"", "str='a\\x09b': contains control characters"},
    /* URL */
    {"url=ftp://example.com/", "url='ftp://example.com/'"},
    {"url=example.com", "url='example.com'"},
    {"url=https://", "url='https://'"},
    {"url=https://user:pw@example.com/", "url="},
    {"url=https://example.com/#frag", "url="},
    {"url=https:example.com", "url="},
    {"url=https:/example.com", "url="},
    {"url=javascript:alert(1)", "url="},
    {"url=\"https://exa mple.com\"", "url="},
    {"url=https://example.com\\@evil.com", "url="},
    /* PATH */
    {"path=auth/signin", "path='auth/signin'"},
    {"path=//evil.com", "path='//evil.com'"},
    {"path=/\\evil.com", "path="},
    {"path=\"/a b\"", "path="},
    {"path=/a#b", "path="},
    {"path=https://evil.com/", "path="},
    /* COLOR */
    {"color=red", "color='red'"},
    {"color=#ab", "color="},
    {"color=#abcde", "color="},
    {"color=#ggg", "color="},
    {"color=#", "color="},
    {"color=abc", "color="},
    /* IMAGE */
    {"image=javascript:alert(1)", "image="},
    {"image=//evil.com/x.png", "image="},
    {"image=data:image/png;base64,AAAA", "image="},
    /* UINT */
    {"uint=0", "uint='0': not a whole number of seconds"},
    {"uint=-1", "uint='-1'"},
    {"uint=+5", "uint='+5'"},
    {"uint=30d", "uint='30d'"},
    {"uint=1e5", "uint="},
    {"uint=315360001", "uint="},
    {"uint=1234567890", "uint="},
    {"uint=99999999999999999999", "uint="},
    {"uint=\" 5\"", "uint="},
    /* ENUM and LIST */
    {"choice=purple", "choice='purple': accepted: red, green, blue"},
    {"choice=red,green", "choice="},
    {"list=red,purple", "'purple' is not accepted; accepted: red, green, blue"},
    /* NAMES */
    {"names=a,b.c", "'b.c' is not a name"},
    {"names=,", "an empty list"},
    /* HOST */
    {"host=exa_mple.com", "host='exa_mple.com'"},
    {"host=..example.com", "host="},
    {"host=example..com", "host="},
    {"host=example.com.", "host="},
    {"host=.", "host="},
    {"host=a/b", "host="},
};

/* Every rejection names the directive, the subject and the problem, says what is
 * accepted, and leaves the target as it was, even when earlier words were valid. */
START_TEST(test_kv_parse_bad_values)
{
    const na_test_bad_t *tc = &na_test_bad_words[_i];
    na_test_target_t t, before;
    const char *line = apr_pstrcat(na_test_pool, "keep=valid ", tc->line, NULL);
    const char *msg;

    memset(&t, 0x5a, sizeof(t));
    t.keep = "orig";
    memcpy(&before, &t, sizeof(t));
    msg = na_test_parse(line, &t, NULL);
    na_test_assert_directive_message(msg, "TestDirective subj", tc->names);
    ck_assert_msg(memcmp(&t, &before, sizeof(t)) == 0, "'%s' changed the target", line);
}
END_TEST

/* A secret's value never appears in a message, whatever else is wrong on the line. */
START_TEST(test_kv_parse_secret_never_echoed)
{
    static const char *const lines[] = {
        "secret=LEAKME1\x01",     "secret=LEAKME1 secret=LEAKME2",     "secret=LEAKME1 nosuch=1",
        "secret=LEAKME1 onlyA=1", "secret=env:NA_TEST_KV_LEAK uint=0", "secret=",
    };
    na_test_target_t t;
    int i;

    setenv("NA_TEST_KV_LEAK", "LEAKME3", 1);
    for (i = 0; i < NA_TEST_COUNT(lines); i++) {
        const char *msg;

        memset(&t, 0, sizeof(t));
        msg = na_test_parse(lines[i], &t, NULL);
        ck_assert_ptr_nonnull(msg);
        ck_assert_msg(strstr(msg, "LEAKME") == NULL, "secret echoed: %s", msg);
    }
}
END_TEST

START_TEST(test_kv_accepted_by_kind)
{
    ck_assert_str_eq(na_kv_accepted(na_test_pool, na_test_spec, 0),
                     "str, secret, url, path, color, image, uint, choice, list, names, host, "
                     "keep, onlyA");
    ck_assert_str_eq(na_kv_accepted(na_test_pool, na_test_spec, 1),
                     "str, secret, url, path, color, image, uint, choice, list, names, host, "
                     "keep, onlyA");
    ck_assert_str_eq(na_kv_accepted(na_test_pool, na_test_spec, 2),
                     "str, secret, url, path, color, image, uint, choice, list, names, host, "
                     "keep");
    ck_assert_str_eq(na_kv_accepted(na_test_pool, na_test_spec + 12, 2), "");
}
END_TEST

START_TEST(test_kv_shared_checks)
{
    ck_assert_int_eq(na_kv_has_ctl("plain text"), 0);
    ck_assert_int_eq(na_kv_has_ctl("tab\there"), 1);
    ck_assert_int_eq(na_kv_has_ctl("del\x7f"), 1);
    ck_assert_int_eq(na_kv_has_ctl("utf-8 \xc3\xa9"), 0);
    ck_assert_int_eq(na_kv_is_local_path("/x"), 1);
    ck_assert_int_eq(na_kv_is_local_path("//x"), 0);
    ck_assert_int_eq(na_kv_is_local_path("/\\x"), 0);
    ck_assert_int_eq(na_kv_is_local_path("x"), 0);
    ck_assert_int_eq(na_kv_is_local_path(""), 0);
    ck_assert_int_eq(na_kv_is_color("#fff"), 1);
    ck_assert_int_eq(na_kv_is_color("fff"), 0);
    ck_assert_int_eq(na_kv_is_color(""), 0);
    ck_assert_int_eq(na_kv_is_http_url(na_test_pool, "https://a.example/x"), 1);
    ck_assert_int_eq(na_kv_is_http_url(na_test_pool, "https://a.example/x y"), 0);
    ck_assert_int_eq(na_kv_is_http_url(na_test_pool, "mailto:a@b.c"), 0);
    ck_assert_int_eq(na_kv_is_http_url(na_test_pool, ""), 0);
}
END_TEST

/* ---- the key half alone (na_kv_match) ------------------------------------------------- */

#define NA_TEST_NSPEC (NA_TEST_COUNT(na_test_spec) - 1)

static const char *na_test_match(const char *line, const char **values)
{
    apr_array_header_t *words = NULL;

    ck_assert_ptr_null(na_kv_tokenize(na_test_pool, line, &words));
    return na_kv_match(na_test_pool, &na_test_call, words->nelts, (const char *const *)words->elts,
                       values);
}

/* Values land in their spec's slot unchecked (an empty one too); absent keys are NULL. */
START_TEST(test_kv_match_values)
{
    const char *values[NA_TEST_NSPEC];

    memset(values, 0xff, sizeof(values));
    ck_assert_ptr_null(na_test_match("UINT=not-a-number keep= str=\"a=b c\"", values));
    ck_assert_str_eq(values[6], "not-a-number");
    ck_assert_str_eq(values[11], "");
    ck_assert_str_eq(values[0], "a=b c");
    ck_assert_ptr_null(values[1]);
    ck_assert_ptr_null(values[12]);
    ck_assert_ptr_null(na_test_match("", values));
    ck_assert_ptr_null(values[0]);
}
END_TEST

/* The shape errors are na_kv_parse's, word for word, and leave values untouched. */
START_TEST(test_kv_match_refusals)
{
    static const char *const lines[] = {"str", "=x", "nosuch=1", "onlyA=1", "str=a STR=b"};
    const char *values[NA_TEST_NSPEC], *sentinel = "untouched";
    na_test_target_t t;
    int i, k;

    for (i = 0; i < NA_TEST_COUNT(lines); i++) {
        const char *msg;

        for (k = 0; k < NA_TEST_NSPEC; k++) {
            values[k] = sentinel;
        }
        msg = na_test_match(lines[i], values);
        na_test_assert_directive_message(msg, "TestDirective", NULL);
        memset(&t, 0, sizeof(t));
        ck_assert_str_eq(msg, na_test_parse(lines[i], &t, NULL));
        for (k = 0; k < NA_TEST_NSPEC; k++) {
            ck_assert_ptr_eq(values[k], sentinel);
        }
    }
}
END_TEST

START_TEST(test_kv_echo)
{
    char long_value[200];

    ck_assert_str_eq(na_kv_echo(na_test_pool, "plain"), "plain");
    ck_assert_str_eq(na_kv_echo(na_test_pool, "a\x01\nb\x7f"), "a\\x01\\x0ab\\x7f");
    memset(long_value, 'v', sizeof(long_value) - 1);
    long_value[sizeof(long_value) - 1] = '\0';
    ck_assert_uint_eq(strlen(na_kv_echo(na_test_pool, long_value)), 120 + 3);
}
END_TEST

Suite *suite_kv(void)
{
    Suite *s = suite_create("kv");
    TCase *tc = na_test_tcase("tokenize");

    tcase_add_loop_test(tc, test_kv_tokenize_cases, 0, NA_TEST_COUNT(na_test_token_cases));
    tcase_add_loop_test(tc, test_kv_tokenize_unbalanced, 0, NA_TEST_COUNT(na_test_unbalanced));
    suite_add_tcase(s, tc);

    tc = na_test_tcase("parse");
    tcase_add_test(tc, test_kv_parse_every_type);
    tcase_add_test(tc, test_kv_parse_keys_case_insensitive_and_empty_line);
    tcase_add_loop_test(tc, test_kv_parse_good_values, 0, NA_TEST_COUNT(na_test_good_words));
    tcase_add_loop_test(tc, test_kv_parse_bad_values, 0, NA_TEST_COUNT(na_test_bad_words));
    tcase_add_test(tc, test_kv_parse_secret_never_echoed);
    tcase_add_test(tc, test_kv_accepted_by_kind);
    tcase_add_test(tc, test_kv_shared_checks);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("match");
    tcase_add_test(tc, test_kv_match_values);
    tcase_add_test(tc, test_kv_match_refusals);
    tcase_add_test(tc, test_kv_echo);
    suite_add_tcase(s, tc);
    return s;
}
