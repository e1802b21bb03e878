/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <string.h>

#include "na_claim.h"
#include "suites.h"

/* Require nextauth-claim and NextAuthPassClaims over the claim shapes of real IdPs. */

static const char *const na_test_keycloak =
    "{\"sub\":\"u1\",\"email\":\"alice@example.com\",\"email_verified\":true,"
    "\"groups\":[\"/admins\",\"/staff\"],\"realm_access\":{\"roles\":[\"admin\",\"user\"]},"
    "\"resource_access\":{\"app\":{\"roles\":[\"editor\"]}},\"age\":42,\"score\":1.5,"
    "\"nothing\":null,\"empty\":[]}";
static const char *const na_test_okta = "{\"sub\":\"u2\",\"groups\":[\"admins\",\"Everyone\"]}";
static const char *const na_test_azure =
    "{\"oid\":\"x\",\"tid\":\"t\",\"groups\":[\"8f2c1f0e-3c1b-4c5a-9d2f-7b1e0a6c4d11\"],"
    "\"roles\":[\"Admin\"]}";

typedef struct na_test_rule_t {
    const char *const *claims;
    const char *words[4];
    int match;
} na_test_rule_t;

static const na_test_rule_t na_test_rules[] = {
    {&na_test_keycloak, {"groups", "/admins"}, 1},
    {&na_test_keycloak, {"groups", "admins"}, 0},
    {&na_test_keycloak, {"groups", "/adm*"}, 1},
    {&na_test_keycloak, {"groups", "*staff"}, 1},
    {&na_test_keycloak, {"groups", "*"}, 1},
    {&na_test_keycloak, {"groups", "/Admins"}, 0},
    {&na_test_keycloak, {"realm_access.roles", "admin"}, 1},
    {&na_test_keycloak, {"realm_access.roles", "superuser", "user"}, 1},
    {&na_test_keycloak, {"realm_access.roles", "superuser"}, 0},
    {&na_test_keycloak, {"resource_access.app.roles", "editor"}, 1},
    {&na_test_keycloak, {"realm_access", "*"}, 0}, /* an object matches nothing */
    {&na_test_keycloak, {"realm_access.missing", "*"}, 0},
    {&na_test_keycloak, {"groups.x", "*"}, 0}, /* no member of an array */
    {&na_test_keycloak, {"email_verified", "true"}, 1},
    {&na_test_keycloak, {"email_verified", "false"}, 0},
    {&na_test_keycloak, {"age", "42"}, 1},
    {&na_test_keycloak, {"age", "4*"}, 1},
    {&na_test_keycloak, {"score", "1.5"}, 1},
    {&na_test_keycloak, {"nothing", "*"}, 0},
    {&na_test_keycloak, {"empty", "*"}, 0},
    {&na_test_keycloak, {"email", "*@example.com"}, 1},
    {&na_test_keycloak, {"email", "*@example.org"}, 0},
    {&na_test_keycloak, {"absent", "*"}, 0},
    {&na_test_okta, {"groups", "admins"}, 1},
    {&na_test_okta, {"groups", "Everyone"}, 1},
    {&na_test_okta, {"groups", "admin"}, 0},
    {&na_test_azure, {"groups", "8f2c1f0e-3c1b-4c5a-9d2f-7b1e0a6c4d11"}, 1},
    {&na_test_azure, {"roles", "Admin"}, 1},
    {&na_test_azure, {"roles", "admin"}, 0},
};

static int na_test_argc(const char *const *words)
{
    int n = 0;

    while (n < 4 && words[n]) {
        n++;
    }
    return n;
}

START_TEST(test_claim_rules)
{
    const na_test_rule_t *tc = &na_test_rules[_i];
    const na_claim_rule_t *rule = NULL;
    na_claims_t *claims = na_claims_parse(na_test_pool, *tc->claims);

    ck_assert_ptr_nonnull(claims);
    ck_assert_ptr_null(
        na_claim_rule_parse(na_test_pool, na_test_argc(tc->words), tc->words, &rule));
    ck_assert_msg(na_claim_rule_match(rule, claims) == tc->match, "%s %s: expected %d",
                  tc->words[0], tc->words[1], tc->match);
}
END_TEST

/* No claims at all (a session without a record) match no rule. */
START_TEST(test_claim_no_claims)
{
    const char *words[] = {"groups", "*"};
    const na_claim_rule_t *rule = NULL;

    ck_assert_ptr_null(na_claim_rule_parse(na_test_pool, 2, words, &rule));
    ck_assert_int_eq(na_claim_rule_match(rule, NULL), 0);
    ck_assert_ptr_null(na_claims_parse(na_test_pool, NULL));
    ck_assert_ptr_null(na_claims_parse(na_test_pool, "[1,2]"));
    ck_assert_ptr_null(na_claims_parse(na_test_pool, "{\"a\":"));
    ck_assert_ptr_null(na_claims_parse(na_test_pool, "{\"a\":1,\"a\":2}"));
}
END_TEST

START_TEST(test_claim_rule_refused)
{
    const char *one[] = {"groups"};
    const char *bad_names[] = {"gro ups", ".groups", "groups.", "a..b",
                               "",        "a/b",     "a\nb",    "a.b.c.d.e.f.g.h.i"};
    const na_claim_rule_t *rule = NULL;
    const char *msg;
    size_t i;

    ck_assert_ptr_nonnull(strstr(na_claim_rule_parse(na_test_pool, 1, one, &rule), "accepted:"));
    ck_assert_ptr_nonnull(na_claim_rule_parse(na_test_pool, 0, one, &rule));
    for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        const char *words[] = {bad_names[i], "x"};
        msg = na_claim_rule_parse(na_test_pool, 2, words, &rule);
        ck_assert_msg(msg && strstr(msg, "accepted:"), "'%s' accepted", bad_names[i]);
    }
}
END_TEST

START_TEST(test_claim_values)
{
    na_claims_t *kc = na_claims_parse(na_test_pool, na_test_keycloak);
    na_claims_t *odd =
        na_claims_parse(na_test_pool, "{\"name\":\"Mallory\\r\\nX-Evil: "
                                      "1\",\"mixed\":[\"a\",1,true,null,{\"o\":1},\"b\\u0007\"]}");

    ck_assert_str_eq(na_claim_value(na_test_pool, kc, "groups"), "/admins,/staff");
    ck_assert_str_eq(na_claim_value(na_test_pool, kc, "realm_access.roles"), "admin,user");
    ck_assert_str_eq(na_claim_value(na_test_pool, kc, "email"), "alice@example.com");
    ck_assert_str_eq(na_claim_value(na_test_pool, kc, "email_verified"), "true");
    ck_assert_str_eq(na_claim_value(na_test_pool, kc, "age"), "42");
    ck_assert_str_eq(na_claim_value(na_test_pool, kc, "empty"), "");
    ck_assert_ptr_null(na_claim_value(na_test_pool, kc, "realm_access"));
    ck_assert_ptr_null(na_claim_value(na_test_pool, kc, "nothing"));
    ck_assert_ptr_null(na_claim_value(na_test_pool, kc, "absent"));
    ck_assert_ptr_null(na_claim_value(na_test_pool, NULL, "groups"));
    ck_assert_str_eq(na_claim_value(na_test_pool, odd, "name"), "Mallory  X-Evil: 1");
    ck_assert_str_eq(na_claim_value(na_test_pool, odd, "mixed"), "a,1,true,b ");
}
END_TEST

/* A claim far longer than any header should be is cut at 4096 bytes. */
START_TEST(test_claim_value_capped)
{
    char *json = apr_palloc(na_test_pool, 40000), *at = json;
    const char *v;
    int i;

    at += sprintf(at, "{\"big\":\"");
    for (i = 0; i < 10000; i++) {
        *at++ = 'x';
    }
    at += sprintf(at, "\",\"many\":[");
    for (i = 0; i < 1000; i++) {
        at += sprintf(at, "%s\"group-%04d\"", i ? "," : "", i);
    }
    sprintf(at, "]}");
    v = na_claim_value(na_test_pool, na_claims_parse(na_test_pool, json), "big");
    ck_assert_uint_eq(strlen(v), 4096);
    v = na_claim_value(na_test_pool, na_claims_parse(na_test_pool, json), "many");
    ck_assert_uint_le(strlen(v), 4096);
    ck_assert_ptr_nonnull(strstr(v, "group-0000,group-0001"));
}
END_TEST

START_TEST(test_claim_list)
{
    apr_array_header_t *names = NULL;
    const char *words[] = {"email,groups", "realm_access.roles", "email"};
    const char *empty[] = {"email,,groups"};
    const char *trailing[] = {"email,"};
    const char *bad[] = {"e mail"};

    ck_assert_ptr_null(na_claim_list_parse(na_test_pool, 3, words, &names));
    ck_assert_int_eq(names->nelts, 3); /* the second email dropped */
    ck_assert_str_eq(APR_ARRAY_IDX(names, 0, const char *), "email");
    ck_assert_str_eq(APR_ARRAY_IDX(names, 1, const char *), "groups");
    ck_assert_str_eq(APR_ARRAY_IDX(names, 2, const char *), "realm_access.roles");
    ck_assert_ptr_nonnull(na_claim_list_parse(na_test_pool, 1, empty, &names));
    ck_assert_ptr_nonnull(na_claim_list_parse(na_test_pool, 1, trailing, &names));
    ck_assert_ptr_nonnull(na_claim_list_parse(na_test_pool, 1, bad, &names));
    ck_assert_ptr_nonnull(na_claim_list_parse(na_test_pool, 0, bad, &names));
}
END_TEST

START_TEST(test_claim_names)
{
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "groups"), "X-NextAuth-Claim-Groups");
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "realm_access.roles"),
                     "X-NextAuth-Claim-Realm-Access-Roles");
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "EMAIL"), "X-NextAuth-Claim-Email");
    ck_assert_str_eq(na_claim_env_name(na_test_pool, "realm_access.roles"),
                     "NEXTAUTH_CLAIM_REALM_ACCESS_ROLES");
    ck_assert_str_eq(na_claim_env_name(na_test_pool, "x-ms:tid"), "NEXTAUTH_CLAIM_X_MS_TID");
}
END_TEST

Suite *suite_claim(void)
{
    Suite *s = suite_create("claim");
    TCase *tc = na_test_tcase("claim");

    tcase_add_loop_test(tc, test_claim_rules, 0,
                        (int)(sizeof(na_test_rules) / sizeof(na_test_rules[0])));
    tcase_add_test(tc, test_claim_no_claims);
    tcase_add_test(tc, test_claim_rule_refused);
    tcase_add_test(tc, test_claim_values);
    tcase_add_test(tc, test_claim_value_capped);
    tcase_add_test(tc, test_claim_list);
    tcase_add_test(tc, test_claim_names);
    suite_add_tcase(s, tc);
    return s;
}
