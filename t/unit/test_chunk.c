/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_chunk.h"
#include "suites.h"

#define NA_TEST_BASE "next-auth.session-token"

static char *na_test_fill(apr_size_t n)
{
    char *s = apr_palloc(na_test_pool, n + 1);
    apr_size_t i;

    for (i = 0; i < n; i++) {
        s[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."[i % 65];
    }
    s[n] = '\0';
    return s;
}

/* A Cookie header carrying the chunks, in the given order of indexes. */
static const char *na_test_header(const apr_array_header_t *chunks, const int *order)
{
    const char *h = "";
    int i;

    for (i = 0; i < chunks->nelts; i++) {
        const na_chunk_t *c = &APR_ARRAY_IDX(chunks, order ? order[i] : i, na_chunk_t);
        h = apr_pstrcat(na_test_pool, h, i ? "; " : "", c->name, "=", c->value, NULL);
    }
    return h;
}

/* ---- split ---------------------------------------------------------------------------- */

typedef struct na_test_split_t {
    apr_size_t len;
    int n;
    apr_size_t last;
} na_test_split_t;

static const na_test_split_t na_test_splits[] = {
    {0, 1, 0},       {100, 1, 100},   {3933, 1, 3933}, {3934, 2, 1},
    {7866, 2, 3933}, {12288, 4, 489}, /* next-auth: .0 .1 .2 of 3933 and .3 of 489 (SPEC §5) */
};

START_TEST(test_chunk_split)
{
    const na_test_split_t *tc = &na_test_splits[_i];
    const char *value = na_test_fill(tc->len), *joined = "";
    apr_array_header_t *chunks = na_chunk_split(na_test_pool, NA_TEST_BASE, value);
    int i;

    ck_assert_int_eq(chunks->nelts, tc->n);
    for (i = 0; i < chunks->nelts; i++) {
        const na_chunk_t *c = &APR_ARRAY_IDX(chunks, i, na_chunk_t);
        if (tc->n == 1) {
            ck_assert_str_eq(c->name, NA_TEST_BASE);
        }
        else {
            ck_assert_str_eq(c->name, apr_psprintf(na_test_pool, NA_TEST_BASE ".%d", i));
        }
        ck_assert_uint_eq(strlen(c->value), i == tc->n - 1 ? tc->last : NA_CHUNK_SIZE);
        joined = apr_pstrcat(na_test_pool, joined, c->value, NULL);
    }
    ck_assert_str_eq(joined, value);
}
END_TEST

/* What is split and sent back in any order reads back whole. */
START_TEST(test_chunk_round_trip)
{
    static const int shuffled[] = {3, 0, 2, 1};
    const char *value = na_test_fill(12288), *got = NULL;
    apr_array_header_t *chunks = na_chunk_split(na_test_pool, NA_TEST_BASE, value), *present;

    ck_assert_int_eq(
        na_chunk_read(na_test_pool, na_test_header(chunks, shuffled), NA_TEST_BASE, &got, &present),
        NA_OK);
    ck_assert_str_eq(got, value);
    ck_assert_int_eq(present->nelts, 4);
    ck_assert_str_eq(APR_ARRAY_IDX(present, 0, const char *), NA_TEST_BASE ".3");
    chunks = na_chunk_split(na_test_pool, NA_TEST_BASE, "short");
    ck_assert_int_eq(
        na_chunk_read(na_test_pool, na_test_header(chunks, NULL), NA_TEST_BASE, &got, NULL), NA_OK);
    ck_assert_str_eq(got, "short");
}
END_TEST

/* ---- read ----------------------------------------------------------------------------- */

typedef struct na_test_read_t {
    const char *header;
    na_status_t want;
    const char *value;   /* NULL: none */
    const char *present; /* names, comma-separated */
} na_test_read_t;

#define B NA_TEST_BASE

static const na_test_read_t na_test_reads[] = {
    {NULL, NA_OK, NULL, ""},
    {"", NA_OK, NULL, ""},
    {"other=1; next-auth.csrf-token=x", NA_OK, NULL, ""},
    {B "=abc", NA_OK, "abc", B},
    {"a=1;  " B "=abc ; b=2", NA_OK, "abc", B},
    {B "=\"abc\"", NA_OK, "abc", B},
    {B "=a%2Eb%2e", NA_OK, "a.b.", B},
    {B "=", NA_OK, NULL, B},
    {B ".0=ab; " B ".1=cd; " B ".2=ef", NA_OK, "abcdef", B ".0," B ".1," B ".2"},
    {B ".2=ef; " B ".0=ab; " B ".1=cd", NA_OK, "abcdef", B ".2," B ".0," B ".1"},
    {B ".0=ab;" B ".1=cd", NA_OK, "abcd", B ".0," B ".1"},
    /* names that share the prefix but are not ours */
    {B "x=1; " B "-v2=2; " B ".a=3; " B ".=4; " B ".01=5; " B ".1a=6; x" B "=7; " B ".123456=8; " B
       ".0.1=9; " B "=abc",
     NA_OK, "abc", B},
    {"__Secure-" B "=abc", NA_OK, NULL, ""},
    /* a name sent twice with different values (cookie tossing): refused, one name */
    {B "=first; " B "=second", NA_EINPUT, NULL, B},
    {B ".0=ab; " B ".0=XX; " B ".1=cd", NA_EINPUT, NULL, B ".0," B ".1"},
    {B ".0=ab; " B ".1=cd; " B ".1=cX", NA_EINPUT, NULL, B ".0," B ".1"},
    /* identical duplicates: the same session whichever is read */
    {B "=same; " B "=same", NA_OK, "same", B},
    {B ".0=ab; " B ".1=cd; " B ".0=ab", NA_OK, "abcd", B ".0," B ".1"},
    /* refused, but every name reported so the response can clear it */
    {B "=abc; " B ".0=ab; " B ".1=cd", NA_EINPUT, NULL, B "," B ".0," B ".1"},
    {B ".0=ab; " B ".2=ef", NA_EINPUT, NULL, B ".0," B ".2"},
    {B ".1=cd", NA_EINPUT, NULL, B ".1"},
    {B ".0=a%ZZ", NA_EINPUT, NULL, B ".0"},
    {B "=a%", NA_EINPUT, NULL, B},
    {B "=a%00b", NA_EINPUT, NULL, B},
    {B ".0=ab; " B ".16=x", NA_ETOOBIG, NULL, B ".0," B ".16"},
    {B ".99999=x", NA_ETOOBIG, NULL, B ".99999"},
    /* the parsing rule of na_cookie.h: blanks around a value go, a blank before '='
     * makes another name (as na_cookie_get has always read it) */
    {B "=  abc \t", NA_OK, "abc", B},
    {B "= \"abc\" ", NA_OK, "abc", B},
    {B " =abc", NA_OK, NULL, ""},
    {B ".0 =ab; " B ".0=cd", NA_OK, "cd", B ".0"},
    {"x=\"; " B "=abc\"", NA_OK, "abc\"", B},
    {B, NA_OK, NULL, ""},
};

#undef B

START_TEST(test_chunk_read)
{
    const na_test_read_t *tc = &na_test_reads[_i];
    const char *value = "untouched", *names = "";
    apr_array_header_t *present = NULL;
    int i;

    ck_assert_msg(na_chunk_read(na_test_pool, tc->header, NA_TEST_BASE, &value, &present)
                      == tc->want,
                  "'%s': wrong status", tc->header);
    if (tc->value) {
        ck_assert_ptr_nonnull(value);
        ck_assert_str_eq(value, tc->value);
    }
    else {
        ck_assert_ptr_null(value);
    }
    ck_assert_ptr_nonnull(present);
    for (i = 0; i < present->nelts; i++) {
        names = apr_pstrcat(na_test_pool, names, i ? "," : "",
                            APR_ARRAY_IDX(present, i, const char *), NULL);
    }
    ck_assert_str_eq(names, tc->present);
}
END_TEST

/* 200 junk chunks (the next-auth flood in SPEC §16): too big to read, and only
 * NA_CHUNK_MAX_CLEAR names to clear. */
START_TEST(test_chunk_why)
{
    const char *value = "untouched", *why = "untouched";

    ck_assert_int_eq(na_chunk_read_why(na_test_pool, NA_TEST_BASE ".0=ab; " NA_TEST_BASE ".0=XY",
                                       NA_TEST_BASE, &value, NULL, &why),
                     NA_EINPUT);
    ck_assert_ptr_null(value);
    ck_assert_str_eq(why, "sent twice with different values");
    ck_assert_int_eq(na_chunk_read_why(na_test_pool, NA_TEST_BASE "=ab; " NA_TEST_BASE "=ab",
                                       NA_TEST_BASE, &value, NULL, &why),
                     NA_OK);
    ck_assert_str_eq(value, "ab");
    ck_assert_ptr_null(why);
}
END_TEST

START_TEST(test_chunk_flood)
{
    const char *h = "", *value = "x";
    apr_array_header_t *present;
    int i;

    for (i = 0; i < 200; i++) {
        h = apr_psprintf(na_test_pool, "%s%s" NA_TEST_BASE ".%d=junk", h, i ? "; " : "", i);
    }
    ck_assert_int_eq(na_chunk_read(na_test_pool, h, NA_TEST_BASE, &value, &present), NA_ETOOBIG);
    ck_assert_ptr_null(value);
    ck_assert_int_eq(present->nelts, NA_CHUNK_MAX_CLEAR);
    ck_assert_str_eq(APR_ARRAY_IDX(present, 31, const char *), NA_TEST_BASE ".31");
}
END_TEST

/* Exactly NA_CHUNK_MAX_READ chunks are read when small. */
START_TEST(test_chunk_caps)
{
    const char *h = "", *value = NULL;
    int i;

    for (i = 0; i < NA_CHUNK_MAX_READ; i++) {
        h = apr_psprintf(na_test_pool, "%s%s" NA_TEST_BASE ".%d=ab", h, i ? "; " : "", i);
    }
    ck_assert_int_eq(na_chunk_read(na_test_pool, h, NA_TEST_BASE, &value, NULL), NA_OK);
    ck_assert_uint_eq(strlen(value), 2 * NA_CHUNK_MAX_READ);
}
END_TEST

/* The Cookie header cap of na_cookie.h bounds the session: the largest one whose header
 * fits (five chunks) reads back whole; one byte more and the header is not read at all,
 * as if no session was sent (the glue used to apply this cap itself). */
START_TEST(test_chunk_header_cap)
{
    const char *value = na_test_fill(4 * NA_CHUNK_SIZE + 1), *got = "untouched", *h;
    apr_array_header_t *present = NULL;
    apr_size_t overhead, fits;

    /* names, '=' and "; " of a five-chunk header */
    h = na_test_header(na_chunk_split(na_test_pool, NA_TEST_BASE, value), NULL);
    overhead = strlen(h) - strlen(value);
    fits = NA_MAX_COOKIE_HEADER - overhead;
    ck_assert_uint_le(fits, NA_CHUNK_MAX_TOTAL);

    value = na_test_fill(fits);
    h = na_test_header(na_chunk_split(na_test_pool, NA_TEST_BASE, value), NULL);
    ck_assert_uint_eq(strlen(h), NA_MAX_COOKIE_HEADER);
    ck_assert_int_eq(na_chunk_read(na_test_pool, h, NA_TEST_BASE, &got, &present), NA_OK);
    ck_assert_str_eq(got, value);
    ck_assert_int_eq(present->nelts, 5);

    value = na_test_fill(fits + 1);
    h = na_test_header(na_chunk_split(na_test_pool, NA_TEST_BASE, value), NULL);
    ck_assert_uint_eq(strlen(h), NA_MAX_COOKIE_HEADER + 1);
    ck_assert_int_eq(na_chunk_read(na_test_pool, h, NA_TEST_BASE, &got, &present), NA_OK);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(present->nelts, 0);
}
END_TEST

/* ---- stale ---------------------------------------------------------------------------- */

START_TEST(test_chunk_stale)
{
    const char *h = NA_TEST_BASE ".0=a; " NA_TEST_BASE ".1=b; " NA_TEST_BASE ".2=c";
    apr_array_header_t *present, *stale, *written;
    const char *value;

    ck_assert_int_eq(na_chunk_read(na_test_pool, h, NA_TEST_BASE, &value, &present), NA_OK);
    /* chunked to single: every numbered chunk goes */
    written = na_chunk_split(na_test_pool, NA_TEST_BASE, "short");
    stale = na_chunk_stale(na_test_pool, present, written);
    ck_assert_int_eq(stale->nelts, 3);
    ck_assert_str_eq(APR_ARRAY_IDX(stale, 2, const char *), NA_TEST_BASE ".2");
    /* three chunks to two: only .2 goes */
    written = na_chunk_split(na_test_pool, NA_TEST_BASE, na_test_fill(NA_CHUNK_SIZE + 1));
    stale = na_chunk_stale(na_test_pool, present, written);
    ck_assert_int_eq(stale->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(stale, 0, const char *), NA_TEST_BASE ".2");
    /* sign-out: everything goes */
    ck_assert_int_eq(na_chunk_stale(na_test_pool, present, NULL)->nelts, 3);
}
END_TEST

Suite *suite_chunk(void)
{
    Suite *s = suite_create("chunk");
    TCase *tc = na_test_tcase("chunk");

    tcase_add_loop_test(tc, test_chunk_split, 0, NA_TEST_COUNT(na_test_splits));
    tcase_add_test(tc, test_chunk_round_trip);
    tcase_add_loop_test(tc, test_chunk_read, 0, NA_TEST_COUNT(na_test_reads));
    tcase_add_test(tc, test_chunk_why);
    tcase_add_test(tc, test_chunk_flood);
    tcase_add_test(tc, test_chunk_caps);
    tcase_add_test(tc, test_chunk_header_cap);
    tcase_add_test(tc, test_chunk_stale);
    suite_add_tcase(s, tc);
    return s;
}
