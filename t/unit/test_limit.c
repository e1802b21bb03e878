/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stddef.h> /* memmem: _GNU_SOURCE comes from apr-1 pkg-config */
#include <string.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_kv.h"
#include "na_limit.h"
#include "suites.h"

/* ---- N/SECONDS ----------------------------------------------------------------------- */

typedef struct na_test_rate_t {
    const char *value;
    apr_int64_t count, seconds; /* count -1: rejected */
} na_test_rate_t;

static const na_test_rate_t na_test_rates[] = {
    {"5/3600", 5, 3600},
    {"1/1", 1, 1},
    {"1000000/604800", 1000000, 604800},
    {"off", 0, 0},
    {"OFF", 0, 0},
    {"0/60", -1, 0},
    {"5/0", -1, 0},
    {"1000001/60", -1, 0},
    {"5/604801", -1, 0},
    {"-5/60", -1, 0},
    {"5/-60", -1, 0},
    {"5", -1, 0},
    {"5/", -1, 0},
    {"/60", -1, 0},
    {"5/60/60", -1, 0},
    {"5 /60", -1, 0},
    {"+5/60", -1, 0},
    {"5/1h", -1, 0},
    {"0x10/60", -1, 0},
    {"99999999999999999999/60", -1, 0},
    {"", -1, 0},
    {"on", -1, 0},
};

START_TEST(test_limit_parse_rate)
{
    const na_test_rate_t *tc = &na_test_rates[_i];
    na_rate_t out = {123, 456};
    const char *msg = na_limit_parse_rate(na_test_pool, tc->value, &out);

    if (tc->count < 0) {
        ck_assert_msg(msg != NULL, "'%s' was accepted", tc->value);
        ck_assert_msg(strstr(msg, "accepted: N/SECONDS") != NULL, "%s", msg);
        ck_assert_int_eq(out.count, 123); /* untouched */
        ck_assert_int_eq(out.seconds, 456);
        return;
    }
    ck_assert_msg(msg == NULL, "'%s': %s", tc->value, msg);
    ck_assert_int_eq(out.count, tc->count);
    ck_assert_int_eq(out.seconds, tc->seconds);
}
END_TEST

/* ---- the directive ------------------------------------------------------------------- */

static const char *na_test_limit_line(na_rate_t *rates, const char *line)
{
    apr_array_header_t *words = NULL;

    ck_assert_ptr_null(na_kv_tokenize(na_test_pool, line, &words));
    return na_limit_parse_directive(na_test_pool, NA_DIR_RATE_LIMIT, rates, words->nelts,
                                    (const char *const *)words->elts);
}

START_TEST(test_limit_directive)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    static const struct {
        const char *line, *names;
    } bad[] = {
        {"credentialsUser=3/0", "credentialsUser='3/0'"},
        {"credentialsUsers=3/60", "unknown key 'credentialsUsers'"},
        /* the words are split by na_kv_match, with na_kv's messages */
        {"credentialsUser", "'credentialsUser' is not key=value; accepted keys: emailAddress, "
                            "emailIp, credentialsUser, credentialsIp"},
        {"=3/60", "'=3/60' is not key=value"},
        {"emailIp=1/60 EMAILIP=2/60", "'emailIp' is given twice"},
        {"emailIp=1/60=2", "emailIp='1/60=2': SECONDS"},
        {"emailIp=1/\x01", "emailIp='1/\\x01'"},
        /* every key is matched before any value is parsed */
        {"emailIp=bad nosuch=1", "unknown key 'nosuch'"},
        {"emailIp=1/60 emailIp=2/60", "'emailIp' is given twice"},
        {"emailAddress=five/3600", "emailAddress='five/3600'"},
        {"credentialsIp=", "credentialsIp=''"},
        {"emailIp=1/60 credentialsIp=x", "credentialsIp='x'"},
        {"", NULL},
    };
    int i, k;

    for (k = 0; k < NA_LIMIT_KINDS; k++) {
        ck_assert_int_eq(c->rate_limit[k].count, NA_UNSET);
    }
    /* defaults: 5 and 30 magic links, 100 and 300 failed sign-ins, an hour */
    ck_assert_int_eq(na_limit_effective(c->rate_limit, NA_LIMIT_EMAIL_ADDR).count, 5);
    ck_assert_int_eq(na_limit_effective(c->rate_limit, NA_LIMIT_EMAIL_IP).count, 30);
    ck_assert_int_eq(na_limit_effective(c->rate_limit, NA_LIMIT_CRED_USER).count, 100);
    ck_assert_int_eq(na_limit_effective(c->rate_limit, NA_LIMIT_CRED_IP).count, 300);
    ck_assert_int_eq(na_limit_effective(c->rate_limit, NA_LIMIT_CRED_IP).seconds, 3600);

    ck_assert_ptr_null(na_config_set_rate_limit(
        na_test_pool, c, 2, (const char *const[]){"credentialsUser=3/60", "CREDENTIALSIP=off"}));
    ck_assert_int_eq(c->rate_limit[NA_LIMIT_CRED_USER].count, 3);
    ck_assert_int_eq(c->rate_limit[NA_LIMIT_CRED_USER].seconds, 60);
    ck_assert_int_eq(na_limit_effective(c->rate_limit, NA_LIMIT_CRED_IP).count, 0);
    ck_assert_int_eq(c->rate_limit[NA_LIMIT_EMAIL_ADDR].count, NA_UNSET);
    ck_assert_str_eq(
        na_limit_rate_text(na_test_pool, na_limit_effective(c->rate_limit, NA_LIMIT_CRED_USER)),
        "3/60");
    ck_assert_str_eq(
        na_limit_rate_text(na_test_pool, na_limit_effective(c->rate_limit, NA_LIMIT_CRED_IP)),
        "off");
    /* a rate-limit line alone does not switch the module on in a server */
    ck_assert_int_eq(c->touched, 0);

    for (i = 0; i < NA_TEST_COUNT(bad); i++) {
        na_rate_t before[NA_LIMIT_KINDS];
        const char *msg;

        memcpy(before, c->rate_limit, sizeof(before));
        msg = na_test_limit_line(c->rate_limit, bad[i].line);
        na_test_assert_directive_message(msg, NA_DIR_RATE_LIMIT, bad[i].names);
        ck_assert_msg(memcmp(before, c->rate_limit, sizeof(before)) == 0,
                      "'%s' changed the configuration", bad[i].line);
    }
}
END_TEST

START_TEST(test_limit_merge)
{
    na_server_conf_t *base = na_config_server_create(na_test_pool);
    na_server_conf_t *add = na_config_server_create(na_test_pool);
    na_server_conf_t *m;

    ck_assert_ptr_null(na_test_limit_line(base->rate_limit, "credentialsUser=3/60 emailIp=off"));
    ck_assert_ptr_null(na_test_limit_line(add->rate_limit, "credentialsUser=7/120"));
    ck_assert_ptr_null(na_config_set_rate_limit_cache(na_test_pool, base, "redis:10.0.0.1:6379"));
    m = na_config_server_merge(na_test_pool, base, add);
    ck_assert_int_eq(m->rate_limit[NA_LIMIT_CRED_USER].count, 7);
    ck_assert_int_eq(m->rate_limit[NA_LIMIT_CRED_USER].seconds, 120);
    ck_assert_int_eq(na_limit_effective(m->rate_limit, NA_LIMIT_EMAIL_IP).count, 0);
    ck_assert_int_eq(na_limit_effective(m->rate_limit, NA_LIMIT_CRED_IP).count, 300);
    ck_assert_str_eq(m->rate_limit_cache, "redis:10.0.0.1:6379");
}
END_TEST

/* ---- NextAuthRateLimitCache ---------------------------------------------------------- */

START_TEST(test_limit_cache_spec)
{
    static const char *const bad[] = {"",
                                      ":6379",
                                      "re dis",
                                      "redis/x:1",
                                      "shm\x01",
                                      "a.b",
                                      "abcdefghijklmnopqrstuvwxyz0123456789"};
    const char *provider = NULL, *args = NULL;
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    int i;

    ck_assert_ptr_null(
        na_limit_parse_cache(na_test_pool, NA_DIR_RATE_LIMIT_CACHE, "shmcb", &provider, &args));
    ck_assert_str_eq(provider, "shmcb");
    ck_assert_ptr_null(args);
    ck_assert_ptr_null(na_limit_parse_cache(na_test_pool, NA_DIR_RATE_LIMIT_CACHE,
                                            "redis:127.0.0.1:6379,10.0.0.2", &provider, &args));
    ck_assert_str_eq(provider, "redis");
    ck_assert_str_eq(args, "127.0.0.1:6379,10.0.0.2");
    ck_assert_ptr_null(na_limit_parse_cache(na_test_pool, NA_DIR_RATE_LIMIT_CACHE,
                                            "shmcb:/run/na(512000)", &provider, &args));
    ck_assert_str_eq(args, "/run/na(512000)");
    for (i = 0; i < NA_TEST_COUNT(bad); i++) {
        const char *msg = na_config_set_rate_limit_cache(na_test_pool, c, bad[i]);
        na_test_assert_directive_message(msg, NA_DIR_RATE_LIMIT_CACHE, NULL);
        ck_assert_ptr_null(c->rate_limit_cache);
    }
}
END_TEST

/* ---- counter ids --------------------------------------------------------------------- */

START_TEST(test_limit_cache_id)
{
    unsigned char a[NA_LIMIT_ID_LEN], b[NA_LIMIT_ID_LEN];
    na_rate_t rate = {3, 60};
    apr_int64_t end = 0;
    char long_key[2000];

    ck_assert_int_eq(
        na_limit_cache_id(NA_LIMIT_CRED_USER, "Alice@Example.com", rate, 1200, a, &end), NA_OK);
    ck_assert_int_eq(end, 1260);
    ck_assert_int_eq(memcmp(a, "na2", 3), 0);
    /* hashed, never stored raw */
    ck_assert_ptr_null(memmem(a, sizeof(a), "alice", 5));
    ck_assert_ptr_null(memmem(a, sizeof(a), "Alice", 5));
    /* case-folded: one counter for Alice and alice */
    ck_assert_int_eq(
        na_limit_cache_id(NA_LIMIT_CRED_USER, "alice@example.com", rate, 1259, b, &end), NA_OK);
    ck_assert_int_eq(end, 1260);
    ck_assert_int_eq(memcmp(a, b, sizeof(a)), 0);
    /* the next window is another counter */
    ck_assert_int_eq(
        na_limit_cache_id(NA_LIMIT_CRED_USER, "alice@example.com", rate, 1260, b, &end), NA_OK);
    ck_assert_int_eq(end, 1320);
    ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
    /* so are another kind, another key and another window length */
    na_limit_cache_id(NA_LIMIT_EMAIL_ADDR, "alice@example.com", rate, 1200, b, NULL);
    ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
    na_limit_cache_id(NA_LIMIT_CRED_USER, "alice@example.org", rate, 1200, b, NULL);
    ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
    rate.seconds = 120;
    na_limit_cache_id(NA_LIMIT_CRED_USER, "alice@example.com", rate, 1200, b, &end);
    ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
    ck_assert_int_eq(end, 1320);
    /* keys beyond the folded part still differ */
    memset(long_key, 'x', sizeof(long_key) - 1);
    long_key[sizeof(long_key) - 1] = '\0';
    ck_assert_int_eq(na_limit_cache_id(NA_LIMIT_CRED_USER, long_key, rate, 0, a, NULL), NA_OK);
    long_key[1500] = 'y';
    ck_assert_int_eq(na_limit_cache_id(NA_LIMIT_CRED_USER, long_key, rate, 0, b, NULL), NA_OK);
    ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
}
END_TEST

START_TEST(test_limit_ip_key)
{
    ck_assert_str_eq(na_limit_ip_key(na_test_pool, "192.0.2.7"), "192.0.2.7");
    ck_assert_str_eq(na_limit_ip_key(na_test_pool, "2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
                     "2001:db8:1:2::/64");
    ck_assert_str_eq(na_limit_ip_key(na_test_pool, "2001:db8:1:2::1"),
                     na_limit_ip_key(na_test_pool, "2001:DB8:1:2:ffff::9"));
    ck_assert_str_ne(na_limit_ip_key(na_test_pool, "2001:db8:1:2::1"),
                     na_limit_ip_key(na_test_pool, "2001:db8:1:3::1"));
    ck_assert_str_eq(na_limit_ip_key(na_test_pool, "::ffff:192.0.2.7"), "192.0.2.7");
    ck_assert_str_eq(na_limit_ip_key(na_test_pool, "::1"), "::/64");
    ck_assert_str_eq(na_limit_ip_key(na_test_pool, "not:an:ip::x"), "not:an:ip::x");
    ck_assert_str_eq(na_limit_ip_key(na_test_pool, NULL), "");
}
END_TEST

START_TEST(test_limit_count_decode)
{
    ck_assert_int_eq(na_limit_count_decode((const unsigned char *)"17", 2), 17);
    ck_assert_int_eq(na_limit_count_decode((const unsigned char *)"0", 1), 0);
    ck_assert_int_eq(na_limit_count_decode((const unsigned char *)"17x", 3), -1);
    ck_assert_int_eq(na_limit_count_decode((const unsigned char *)"-1", 2), -1);
    ck_assert_int_eq(na_limit_count_decode((const unsigned char *)"", 0), -1);
    ck_assert_int_eq(na_limit_count_decode((const unsigned char *)"1234567890123", 13), -1);
    ck_assert_int_eq(na_limit_count_decode((const unsigned char *)"\x01\x02", 2), -1);
}
END_TEST

START_TEST(test_limit_timing)
{
    apr_uint32_t avg = 0;
    int i;

    /* before any failed check: the fallback; after: the average, capped */
    ck_assert_int_eq(na_limit_delay(0, 100000, 2000000), 100000);
    avg = na_limit_average(avg, 80000);
    ck_assert_int_eq(avg, 80000);
    avg = na_limit_average(avg, 160000);
    ck_assert_int_eq(avg, 90000);
    for (i = 0; i < 100; i++) {
        avg = na_limit_average(avg, 40000);
    }
    ck_assert_int_ge(avg, 40000);
    ck_assert_int_le(avg, 40010);
    ck_assert_int_eq(na_limit_delay(avg, 100000, 2000000), avg);
    ck_assert_int_eq(na_limit_average(avg, -5), avg);
    avg = na_limit_average(0, 999999999999LL); /* absurd samples are clamped */
    ck_assert_int_eq(avg, 60000000);
    ck_assert_int_eq(na_limit_delay(avg, 100000, 2000000), 2000000);
    ck_assert_int_eq(na_limit_average(0, 0), 1);
}
END_TEST

START_TEST(test_limit_names)
{
    ck_assert_str_eq(na_limit_key_name(NA_LIMIT_EMAIL_ADDR), "emailAddress");
    ck_assert_str_eq(na_limit_key_name(NA_LIMIT_EMAIL_IP), "emailIp");
    ck_assert_str_eq(na_limit_key_name(NA_LIMIT_CRED_USER), "credentialsUser");
    ck_assert_str_eq(na_limit_key_name(NA_LIMIT_CRED_IP), "credentialsIp");
    ck_assert_ptr_null(na_limit_key_name(NA_LIMIT_KINDS));
    ck_assert_ptr_null(na_limit_key_name(-1));
    ck_assert_int_eq(na_limit_effective(NULL, NA_LIMIT_KINDS).count, 0);
}
END_TEST

/* ---- username keys ------------------------------------------------------------------- */

typedef struct na_test_user_pair_t {
    const char *a, *b;
    int same; /* 1: one budget, as LDAP or a case-insensitive SQL collation sees it */
} na_test_user_pair_t;

static const na_test_user_pair_t na_test_user_pairs[] = {
    {"alice", "Alice", 1},
    {"alice", "ALICE", 1},
    {"alice", " alice ", 1},
    {"alice", "\talice\r\n", 1},
    {"alice",
     "\xe3\x80\x80"
     "alice"
     "\xc2\xa0",
     1}, /* ideographic space, no-break space */
    {"alice", "\xef\xbc\xa1\xef\xbc\xac\xef\xbc\xa9\xef\xbc\xa3\xef\xbc\xa5", 1}, /* ＡＬＩＣＥ */
    {"alice", "\xef\xbd\x81lice", 1},                                             /* fullwidth a */
    {"alic\xc3\xa9", "alice\xcc\x81", 1}, /* é precomposed, e + U+0301 */
    {"ALIC\xc3\x89", "alice\xcc\x81", 1}, /* É, e + U+0301 */
    {"stra\xc3\x9f"
     "e",
     "STRASSE", 1},                /* full folding: ß is ss */
    {"\xef\xac\x81le", "FILE", 1}, /* ligature ﬁ */
    {"Alice@Example.COM", "alice@example.com", 1},
    {"\xe2\x84\xaa"
     "elvin",
     "kelvin", 1},                                               /* KELVIN SIGN */
    {"\xce\xa3\xce\xb1\xcf\x82", "\xcf\x83\xce\xb1\xcf\x83", 1}, /* final sigma folds */
    /* different accounts stay apart */
    {"alice", "alicia", 0},
    {"alice", "alic\xc3\xa9", 0}, /* accents are kept */
    {"alice", "al ice", 0},       /* inner space is kept */
    {"alice", "alice2", 0},
    {"alice", "\xd0\xb0lice", 0}, /* Cyrillic а is another letter */
    {"alice", "", 0},
    {"alice@example.com", "alice@example.org", 0},
};

START_TEST(test_limit_user_key_pairs)
{
    const na_test_user_pair_t *t = &na_test_user_pairs[_i];
    const char *a = NULL, *b = NULL;

    ck_assert_int_eq(na_limit_user_key(na_test_pool, t->a, &a), NA_OK);
    ck_assert_int_eq(na_limit_user_key(na_test_pool, t->b, &b), NA_OK);
    if (t->same) {
        ck_assert_msg(strcmp(a, b) == 0, "'%s' and '%s' must share a key", t->a, t->b);
    }
    else {
        ck_assert_msg(strcmp(a, b) != 0, "'%s' and '%s' must not share a key", t->a, t->b);
    }
}
END_TEST

START_TEST(test_limit_user_key_edges)
{
    const char *key = "unset";
    char big[NA_LIMIT_MAX_USER + 2];

    ck_assert_int_eq(na_limit_user_key(na_test_pool, "  ALICE  ", &key), NA_OK);
    ck_assert_str_eq(key, "alice");
    ck_assert_int_eq(na_limit_user_key(na_test_pool, "", &key), NA_OK);
    ck_assert_str_eq(key, "");
    ck_assert_int_eq(na_limit_user_key(na_test_pool, " \t\xe3\x80\x80 ", &key), NA_OK);
    ck_assert_str_eq(key, "");
    /* not UTF-8: a lone continuation byte, an overlong '/', a surrogate, a cut sequence */
    ck_assert_int_eq(na_limit_user_key(na_test_pool, "al\x80ice", &key), NA_EINPUT);
    ck_assert_ptr_null(key);
    ck_assert_int_eq(na_limit_user_key(na_test_pool, "\xc0\xaf", &key), NA_EINPUT);
    ck_assert_int_eq(na_limit_user_key(na_test_pool, "\xed\xa0\x80", &key), NA_EINPUT);
    ck_assert_int_eq(na_limit_user_key(na_test_pool, "alic\xc3", &key), NA_EINPUT);
    ck_assert_int_eq(na_limit_user_key(na_test_pool, NULL, &key), NA_EINPUT);
    ck_assert_ptr_null(key);
    /* the longest accepted input, and one byte more */
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ck_assert_int_eq(na_limit_user_key(na_test_pool, big, &key), NA_EINPUT);
    big[NA_LIMIT_MAX_USER] = '\0';
    ck_assert_int_eq(na_limit_user_key(na_test_pool, big, &key), NA_OK);
    ck_assert_uint_eq(strlen(key), NA_LIMIT_MAX_USER);
    ck_assert_int_eq(key[0], 'a');
    /* a compatibility character that folds to a space and a mark is not trimmed away */
    ck_assert_int_eq(na_limit_user_key(na_test_pool, "alice\xc2\xa8", &key), NA_OK);
    ck_assert_str_eq(key, "alice \xcc\x88");
}
END_TEST

Suite *suite_limit(void)
{
    Suite *s = suite_create("limit");
    TCase *tc = na_test_tcase("limit");

    tcase_add_loop_test(tc, test_limit_parse_rate, 0, NA_TEST_COUNT(na_test_rates));
    tcase_add_test(tc, test_limit_directive);
    tcase_add_test(tc, test_limit_merge);
    tcase_add_test(tc, test_limit_cache_spec);
    tcase_add_test(tc, test_limit_cache_id);
    tcase_add_test(tc, test_limit_ip_key);
    tcase_add_test(tc, test_limit_count_decode);
    tcase_add_test(tc, test_limit_timing);
    tcase_add_test(tc, test_limit_names);
    tcase_add_loop_test(tc, test_limit_user_key_pairs, 0, NA_TEST_COUNT(na_test_user_pairs));
    tcase_add_test(tc, test_limit_user_key_edges);
    suite_add_tcase(s, tc);
    return s;
}
