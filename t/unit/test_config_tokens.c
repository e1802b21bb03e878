/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_config.h"
#include "na_directives.h"
#include "suites.h"

/* NextAuthTokenCache, NextAuthRefresh, NextAuthPassTokens and the refresh window a
 * provider ends up with (src/core/na_config_tokens.c). */

typedef struct na_test_refresh_t {
    const char *value;
    apr_int64_t want; /* NA_UNSET: refused */
} na_test_refresh_t;

static const na_test_refresh_t na_test_refreshes[] = {
    {"before=60", 60},       {"before=0", 0},         {"before=86400", 86400},
    {"off", NA_REFRESH_OFF}, {"OFF", NA_REFRESH_OFF}, {"before=86401", NA_UNSET},
    {"before=", NA_UNSET},   {"before=-1", NA_UNSET}, {"before=1m", NA_UNSET},
    {"60", NA_UNSET},        {"before 60", NA_UNSET}, {"before=0000060", NA_UNSET},
    {"", NA_UNSET},          {"on", NA_UNSET},
};

START_TEST(test_refresh_values)
{
    const na_test_refresh_t *tc = &na_test_refreshes[_i];
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const char *msg = na_config_set_refresh(na_test_pool, c, tc->value);

    if (tc->want == NA_UNSET) {
        ck_assert_msg(msg != NULL, "'%s' accepted", tc->value);
        ck_assert_ptr_nonnull(strstr(msg, NA_DIR_REFRESH " '"));
        ck_assert_ptr_nonnull(strstr(msg, "accepted: before=SECONDS"));
        ck_assert_int_eq(c->refresh_before, NA_UNSET);
    }
    else {
        ck_assert_msg(msg == NULL, "'%s' refused: %s", tc->value, msg);
        ck_assert_int_eq(c->refresh_before, tc->want);
    }
}
END_TEST

/* The provider's key wins; then the directive; then the default. */
START_TEST(test_refresh_effective)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    na_provider_t prov;

    memset(&prov, 0, sizeof(prov));
    prov.refresh_before = NA_UNSET;
    ck_assert_int_eq(na_config_refresh_before(c, &prov), NA_DEFAULT_REFRESH_BEFORE);
    ck_assert_int_eq(na_config_refresh_before(c, NULL), NA_DEFAULT_REFRESH_BEFORE);
    ck_assert_ptr_null(na_config_set_refresh(na_test_pool, c, "before=300"));
    ck_assert_int_eq(na_config_refresh_before(c, &prov), 300);
    prov.refresh_before = 20;
    ck_assert_int_eq(na_config_refresh_before(c, &prov), 20);
    ck_assert_ptr_null(na_config_set_refresh(na_test_pool, c, "off"));
    ck_assert_int_eq(na_config_refresh_before(c, &prov), 20);
    prov.refresh_before = NA_UNSET;
    ck_assert_int_eq(na_config_refresh_before(c, &prov), NA_REFRESH_OFF);
}
END_TEST

/* A virtual host's NextAuthRefresh replaces the main server's; no line inherits it. */
START_TEST(test_refresh_merge)
{
    na_server_conf_t *base = na_config_server_create(na_test_pool);
    na_server_conf_t *add = na_config_server_create(na_test_pool);

    ck_assert_ptr_null(na_config_set_refresh(na_test_pool, base, "before=120"));
    ck_assert_ptr_null(na_config_set_token_cache(na_test_pool, base, "redis:127.0.0.1:6379"));
    ck_assert_int_eq(na_config_server_merge(na_test_pool, base, add)->refresh_before, 120);
    ck_assert_str_eq(na_config_server_merge(na_test_pool, base, add)->token_cache,
                     "redis:127.0.0.1:6379");
    ck_assert_ptr_null(na_config_set_refresh(na_test_pool, add, "off"));
    ck_assert_int_eq(na_config_server_merge(na_test_pool, base, add)->refresh_before,
                     NA_REFRESH_OFF);
}
END_TEST

START_TEST(test_token_cache_values)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    ck_assert_ptr_null(na_config_set_token_cache(na_test_pool, c, "shmcb"));
    ck_assert_str_eq(c->token_cache, "shmcb");
    ck_assert_ptr_null(na_config_set_token_cache(na_test_pool, c, "shmcb:/run/x(512000)"));
    ck_assert_ptr_nonnull(na_config_set_token_cache(na_test_pool, c, "red is:1"));
    ck_assert_ptr_nonnull(na_config_set_token_cache(na_test_pool, c, ":6379"));
    ck_assert_ptr_nonnull(na_config_set_token_cache(na_test_pool, c, "redis\n:1"));
    ck_assert_str_eq(c->token_cache, "shmcb:/run/x(512000)");
}
END_TEST

typedef struct na_test_pass_t {
    const char *what, *as;
    int kind, mode; /* kind -1: refused */
} na_test_pass_t;

static const na_test_pass_t na_test_passes[] = {
    {"access", NULL, NA_PASS_ACCESS, NA_PASS_AS_BEARER},
    {"ACCESS", "as=bearer", NA_PASS_ACCESS, NA_PASS_AS_BEARER},
    {"id", "as=header", NA_PASS_ID, NA_PASS_AS_HEADER},
    {"none", NULL, NA_PASS_NONE, NA_PASS_AS_BEARER},
    {"refresh", NULL, -1, 0},
    {"access", "as=cookie", -1, 0},
    {"access", "header", -1, 0},
    {"", NULL, -1, 0},
};

START_TEST(test_pass_tokens_values)
{
    const na_test_pass_t *tc = &na_test_passes[_i];
    na_dir_conf_t *d = na_config_dir_create(na_test_pool);
    const char *msg = na_config_set_pass_tokens(na_test_pool, d, tc->what, tc->as);

    if (tc->kind < 0) {
        ck_assert_msg(msg != NULL, "'%s %s' accepted", tc->what, tc->as ? tc->as : "");
        ck_assert_ptr_nonnull(strstr(msg, NA_DIR_PASS_TOKENS " '"));
        ck_assert_ptr_nonnull(strstr(msg, "accepted: "));
        ck_assert_int_eq(d->pass_tokens, NA_UNSET);
        return;
    }
    ck_assert_msg(msg == NULL, "refused: %s", msg);
    ck_assert_int_eq(d->pass_tokens, tc->kind);
    ck_assert_int_eq(d->pass_tokens_as, tc->mode);
}
END_TEST

/* A location inside a passing one passes too, unless it says none. */
START_TEST(test_pass_tokens_merge)
{
    na_dir_conf_t *outer = na_config_dir_create(na_test_pool);
    na_dir_conf_t *inner = na_config_dir_create(na_test_pool);

    ck_assert_ptr_null(na_config_set_pass_tokens(na_test_pool, outer, "access", "as=header"));
    ck_assert_int_eq(na_config_dir_merge(na_test_pool, outer, inner)->pass_tokens, NA_PASS_ACCESS);
    ck_assert_int_eq(na_config_dir_merge(na_test_pool, outer, inner)->pass_tokens_as,
                     NA_PASS_AS_HEADER);
    ck_assert_ptr_null(na_config_set_pass_tokens(na_test_pool, inner, "none", NULL));
    ck_assert_int_eq(na_config_dir_merge(na_test_pool, outer, inner)->pass_tokens, NA_PASS_NONE);
}
END_TEST

Suite *suite_config_tokens(void)
{
    Suite *s = suite_create("config_tokens");
    TCase *tc = na_test_tcase("config_tokens");

    tcase_add_loop_test(tc, test_refresh_values, 0,
                        (int)(sizeof(na_test_refreshes) / sizeof(na_test_refreshes[0])));
    tcase_add_test(tc, test_refresh_effective);
    tcase_add_test(tc, test_refresh_merge);
    tcase_add_test(tc, test_token_cache_values);
    tcase_add_loop_test(tc, test_pass_tokens_values, 0,
                        (int)(sizeof(na_test_passes) / sizeof(na_test_passes[0])));
    tcase_add_test(tc, test_pass_tokens_merge);
    suite_add_tcase(s, tc);
    return s;
}
