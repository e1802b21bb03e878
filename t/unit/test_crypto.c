/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "na_crypto.h"
#include "suites.h"

static const char *na_test_sha256_hex(const char *a, const char *b)
{
    unsigned char digest[NA_SHA256_LEN];

    ck_assert_int_eq(na_crypto_sha256_2(a, strlen(a), b, strlen(b), digest), NA_OK);
    return na_crypto_hex(na_test_pool, digest, sizeof(digest));
}

/* FIPS 180-2 examples, and the split point not mattering. */
START_TEST(test_crypto_sha256)
{
    ck_assert_str_eq(na_test_sha256_hex("", ""),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ck_assert_str_eq(na_test_sha256_hex("abc", ""),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_str_eq(na_test_sha256_hex("", "abc"),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_str_eq(na_test_sha256_hex("a", "bc"),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_str_eq(
        na_test_sha256_hex("abcdbcdecdefdefgefghfghighijhijk", "ijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_crypto_hex)
{
    static const unsigned char bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};

    ck_assert_str_eq(na_crypto_hex(na_test_pool, bytes, sizeof(bytes)), "00017f80abff");
    ck_assert_str_eq(na_crypto_hex(na_test_pool, bytes, 1), "00");
    ck_assert_str_eq(na_crypto_hex(na_test_pool, bytes, 0), "");
}
END_TEST

START_TEST(test_crypto_ct_equal)
{
    ck_assert_int_eq(na_crypto_ct_equal("abc", 3, "abc", 3), 1);
    ck_assert_int_eq(na_crypto_ct_equal("abc", 3, "abd", 3), 0);
    ck_assert_int_eq(na_crypto_ct_equal("abc", 3, "Abc", 3), 0);
    ck_assert_int_eq(na_crypto_ct_equal("abc", 3, "abcd", 4), 0);
    ck_assert_int_eq(na_crypto_ct_equal("abcd", 4, "abc", 3), 0);
    ck_assert_int_eq(na_crypto_ct_equal("", 0, "", 0), 1);
    ck_assert_int_eq(na_crypto_ct_equal("a\0b", 3, "a\0c", 3), 0);
    ck_assert_int_eq(na_crypto_ct_equal("a\0b", 3, "a\0b", 3), 1);
}
END_TEST

typedef struct na_test_hkdf_t {
    const char *ikm;
    const char *salt;
    const char *info;
    apr_size_t len;
    const char *okm;
} na_test_hkdf_t;

#define NA_TEST_INFO "NextAuth.js Generated Encryption Key"

static const na_test_hkdf_t na_test_hkdf[] = {
    /* SPEC.md 6.1: next-auth v4's session key (empty salt) and the check-cookie keys */
    {"secret", "", NA_TEST_INFO, 32,
     "9ab5058ebf5be88f82f4aee99d22cf8be7a34a4af1836299d0668f4d83020f5a"},
    {"secret", "next-auth.state", NA_TEST_INFO " (next-auth.state)", 32,
     "c01f89640026c3c617ec6a68dc377509d2c405289c116743082c17c9874371a7"},
    {"secret", "next-auth.pkce.code_verifier", NA_TEST_INFO " (next-auth.pkce.code_verifier)", 32,
     "a0d18a95d87f3d3579beb7a6e07c4d9c80bcef6e5989397e73790dee648b234b"},
    {"secret", "next-auth.nonce", NA_TEST_INFO " (next-auth.nonce)", 32,
     "8baf701d7889cd03afe25c9eabf72b19db69aa896b5bd85bb5760cf350d268f4"},
    {"secret", "__Secure-next-auth.state", NA_TEST_INFO " (__Secure-next-auth.state)", 32,
     "6cbfda1e7b85bf47e179cf470207e45434a413b8deb8e6bf0e1e2d7bc506da4e"},
    /* RFC 5869 A.3: SHA-256 with zero-length salt and info */
    {"\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b", "",
     "", 42,
     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
};

START_TEST(test_crypto_hkdf_vectors)
{
    const na_test_hkdf_t *tc = &na_test_hkdf[_i];
    unsigned char out[64];

    memset(out, 0xee, sizeof(out));
    ck_assert_int_eq(na_crypto_hkdf_sha256(tc->ikm, tc->salt, tc->info, out, tc->len), NA_OK);
    ck_assert_str_eq(na_crypto_hex(na_test_pool, out, tc->len), tc->okm);
    ck_assert_uint_eq(out[tc->len], 0xee); /* nothing written past outlen */
}
END_TEST

/* The salt and the info both matter: v5's "salt = cookie name" for the session key would
 * give a different key, and so would a different secret. */
START_TEST(test_crypto_hkdf_inputs_matter)
{
    unsigned char a[32], b[32];

    ck_assert_int_eq(na_crypto_hkdf_sha256("secret", "", NA_TEST_INFO, a, 32), NA_OK);
    ck_assert_int_eq(
        na_crypto_hkdf_sha256("secret", "next-auth.session-token", NA_TEST_INFO, b, 32), NA_OK);
    ck_assert_int_ne(memcmp(a, b, 32), 0);
    ck_assert_int_eq(na_crypto_hkdf_sha256("Secret", "", NA_TEST_INFO, b, 32), NA_OK);
    ck_assert_int_ne(memcmp(a, b, 32), 0);
    ck_assert_int_eq(na_crypto_hkdf_sha256("secret", "", NA_TEST_INFO " ", b, 32), NA_OK);
    ck_assert_int_ne(memcmp(a, b, 32), 0);
}
END_TEST

START_TEST(test_crypto_random)
{
    char *a = NULL, *b = NULL;
    unsigned char buf[32];
    unsigned char zero[32];
    apr_size_t i;

    ck_assert_int_eq(na_crypto_random_hex(na_test_pool, 32, &a), NA_OK);
    ck_assert_int_eq(na_crypto_random_hex(na_test_pool, 32, &b), NA_OK);
    ck_assert_uint_eq(strlen(a), 64);
    ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 64);
    ck_assert_str_ne(a, b);
    ck_assert_int_eq(na_crypto_random_hex(na_test_pool, 64, &a), NA_OK);
    ck_assert_uint_eq(strlen(a), 128);
    b = NULL;
    ck_assert_int_eq(na_crypto_random_hex(na_test_pool, 65, &b), NA_EINTERNAL);
    ck_assert_ptr_null(b);

    memset(buf, 0, sizeof(buf));
    memset(zero, 0, sizeof(zero));
    ck_assert_int_eq(na_crypto_random(buf, sizeof(buf)), NA_OK);
    ck_assert_int_ne(memcmp(buf, zero, sizeof(buf)), 0);
    na_crypto_cleanse(buf, sizeof(buf));
    for (i = 0; i < sizeof(buf); i++) {
        ck_assert_uint_eq(buf[i], 0);
    }
}
END_TEST

static int na_test_cmp16(const void *a, const void *b)
{
    return memcmp(a, b, 16);
}

/* Small draws come from a per-thread batch: across many refills no 16 bytes repeat. */
START_TEST(test_crypto_random_batches_never_repeat)
{
    enum { N = 2000 }; /* 32 kB: some sixty batches, with draws straddling none */
    unsigned char(*draws)[16] = apr_palloc(na_test_pool, (apr_size_t)N * 16);
    unsigned char odd[7];
    int i;

    for (i = 0; i < N; i++) {
        ck_assert_int_eq(na_crypto_random(draws[i], 16), NA_OK);
        ck_assert_int_eq(na_crypto_random(odd, i % 7 + 1), NA_OK); /* uneven use */
    }
    qsort(draws, N, 16, na_test_cmp16);
    for (i = 1; i < N; i++) {
        ck_assert_int_ne(memcmp(draws[i - 1], draws[i], 16), 0);
    }
}
END_TEST

/* A forked child (an httpd child) must not hand out its parent's batch. */
START_TEST(test_crypto_random_fork_draws_afresh)
{
    unsigned char first[16], parent[16], child[16];
    int fds[2];
    pid_t pid;
    int status = 0;

    ck_assert_int_eq(na_crypto_random(first, sizeof(first)), NA_OK); /* a batch in hand */
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        ssize_t w = -1;

        if (na_crypto_random(child, sizeof(child)) == NA_OK) {
            w = write(fds[1], child, sizeof(child));
        }
        _exit(w == (ssize_t)sizeof(child) ? 0 : 1);
    }
    close(fds[1]);
    ck_assert_int_eq(read(fds[0], child, sizeof(child)), (ssize_t)sizeof(child));
    close(fds[0]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(status, 0);
    ck_assert_int_eq(na_crypto_random(parent, sizeof(parent)), NA_OK);
    ck_assert_int_ne(memcmp(parent, child, sizeof(child)), 0);
}
END_TEST

START_TEST(test_crypto_fingerprint)
{
    ck_assert_str_eq(na_crypto_fingerprint(na_test_pool, "abc"), "ba7816bf");
    ck_assert_str_eq(na_crypto_fingerprint(na_test_pool, ""), "e3b0c442");
}
END_TEST

Suite *suite_crypto(void)
{
    Suite *s = suite_create("crypto");
    TCase *tc = na_test_tcase("primitives");

    tcase_add_test(tc, test_crypto_sha256);
    tcase_add_test(tc, test_crypto_hex);
    tcase_add_test(tc, test_crypto_ct_equal);
    tcase_add_test(tc, test_crypto_random);
    tcase_add_test(tc, test_crypto_random_batches_never_repeat);
    tcase_add_test(tc, test_crypto_random_fork_draws_afresh);
    tcase_add_test(tc, test_crypto_fingerprint);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("hkdf");
    tcase_add_loop_test(tc, test_crypto_hkdf_vectors, 0, NA_TEST_COUNT(na_test_hkdf));
    tcase_add_test(tc, test_crypto_hkdf_inputs_matter);
    suite_add_tcase(s, tc);
    return s;
}
