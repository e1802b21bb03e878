/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_b64.h"
#include "suites.h"

/* RFC 4648 §10 vectors in the url alphabet, padding removed. */
typedef struct na_test_b64_t {
    const char *raw;
    apr_size_t len;
    const char *enc;
} na_test_b64_t;

static const na_test_b64_t na_test_b64_known[] = {
    {"", 0, ""},
    {"f", 1, "Zg"},
    {"fo", 2, "Zm8"},
    {"foo", 3, "Zm9v"},
    {"foob", 4, "Zm9vYg"},
    {"fooba", 5, "Zm9vYmE"},
    {"foobar", 6, "Zm9vYmFy"},
    {"\xfb\xff", 2, "-_8"}, /* "+/8=" in plain base64 */
    {"\xff\xff\xfe", 3, "___-"},
    {"\x00\x00", 2, "AAA"},
    {"{\"alg\":\"dir\",\"enc\":\"A256GCM\"}", 29, "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0"},
};

START_TEST(test_b64_encode_known)
{
    const na_test_b64_t *tc = &na_test_b64_known[_i];

    ck_assert_str_eq(na_b64_encode(na_test_pool, (const unsigned char *)tc->raw, tc->len), tc->enc);
    ck_assert_uint_eq(strlen(tc->enc), NA_B64_ENCODED_LEN(tc->len));
}
END_TEST

START_TEST(test_b64_decode_known)
{
    const na_test_b64_t *tc = &na_test_b64_known[_i];
    unsigned char *out = NULL;
    apr_size_t len = 99;

    ck_assert_int_eq(na_b64_decode(na_test_pool, tc->enc, strlen(tc->enc), &out, &len), NA_OK);
    ck_assert_uint_eq(len, tc->len);
    ck_assert_mem_eq(out, tc->raw, len);
    ck_assert_int_eq(out[len], '\0');
}
END_TEST

/* Every length and every byte value survives a round trip. */
START_TEST(test_b64_round_trip)
{
    unsigned char buf[300], *out;
    apr_size_t n, i, len;

    for (i = 0; i < sizeof(buf); i++) {
        buf[i] = (unsigned char)(i * 7 + 3);
    }
    for (n = 0; n <= sizeof(buf); n++) {
        const char *enc = na_b64_encode(na_test_pool, buf, n);
        ck_assert_int_eq(strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-_"),
                         strlen(enc));
        ck_assert_int_eq(na_b64_decode(na_test_pool, enc, strlen(enc), &out, &len), NA_OK);
        ck_assert_uint_eq(len, n);
        ck_assert_mem_eq(out, buf, n);
    }
}
END_TEST

static const char *const na_test_b64_bad[] = {
    "Zg==",                               /* padding */
    "Zg=",    "Zm9vYmFy=", "=",      "Z", /* length 1 mod 4 */
    "Zm9vY",  "Zm9v+w",                   /* plain base64 alphabet */
    "Zm9v/w", "Zm 9v",                    /* whitespace */
    "Zm9v\n", " Zm9v",     "Zh",          /* non-canonical: unused bits set ("Zg" is canonical) */
    "Zm9",                                /* non-canonical ("Zm8") */
    "AB",     "Zm9v*Y",    "Zm9v.Y", "\xc3\xa9Zm9", /* non-ASCII */
};

START_TEST(test_b64_decode_bad)
{
    const char *s = na_test_b64_bad[_i];
    unsigned char *out = (unsigned char *)"untouched";
    apr_size_t len = 42;

    ck_assert_msg(na_b64_decode(na_test_pool, s, strlen(s), &out, &len) == NA_EINPUT,
                  "accepted \"%s\"", s);
    ck_assert_uint_eq(len, 42);
    ck_assert_str_eq((const char *)out, "untouched");
}
END_TEST

/* The length is honoured: a NUL inside it is an invalid character, bytes after it are
 * not read, and a NULL string is refused. */
START_TEST(test_b64_decode_length)
{
    unsigned char *out;
    apr_size_t len;

    ck_assert_int_eq(na_b64_decode(na_test_pool, "Zm9v\0Zm9v", 9, &out, &len), NA_EINPUT);
    ck_assert_int_eq(na_b64_decode(na_test_pool, "Zm9v.Zm9v", 4, &out, &len), NA_OK);
    ck_assert_uint_eq(len, 3);
    ck_assert_int_eq(na_b64_decode(na_test_pool, "", 0, &out, &len), NA_OK);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(na_b64_decode(na_test_pool, NULL, 0, &out, &len), NA_EINPUT);
}
END_TEST

Suite *suite_b64(void)
{
    Suite *s = suite_create("b64");
    TCase *tc = na_test_tcase("b64");

    tcase_add_loop_test(tc, test_b64_encode_known, 0, NA_TEST_COUNT(na_test_b64_known));
    tcase_add_loop_test(tc, test_b64_decode_known, 0, NA_TEST_COUNT(na_test_b64_known));
    tcase_add_test(tc, test_b64_round_trip);
    tcase_add_loop_test(tc, test_b64_decode_bad, 0, NA_TEST_COUNT(na_test_b64_bad));
    tcase_add_test(tc, test_b64_decode_length);
    suite_add_tcase(s, tc);
    return s;
}
