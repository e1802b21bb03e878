/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_claim.h"
#include "suites.h"

/* Group claims as the three IdPs issue and oidc-provider is configured to mimic them. */
#define NA_TEST_KEYCLOAK                                                                           \
    "{\"sub\":\"f:1\",\"groups\":[\"/admins\",\"/staff\"],"                                        \
    "\"realm_access\":{\"roles\":[\"admin\",\"user\"]}}"
#define NA_TEST_OKTA "{\"sub\":\"00u1\",\"groups\":[\"admins\",\"Everyone\"]}"
#define NA_TEST_AZURE                                                                              \
    "{\"oid\":\"x\",\"groups\":[\"8f2c5a1e-7b3d-4c2a-9e61-0d5f3b7a2c14\"],\"roles\":[\"Admin\"]}"
#define NA_TEST_SCALARS                                                                            \
    "{\"email_verified\":true,\"disabled\":false,\"age\":42,\"ratio\":0.1,\"nothing\":null,"       \
    "\"empty\":\"\",\"none\":[],\"org\":{\"id\":\"o1\"},\"said\":\"true\","                        \
    "\"mixed\":[[\"admins\"],{\"x\":\"admins\"},null,\"ok\",7],\"odd\":\"a?c[d]\\\\e\","           \
    "\"cognito:groups\":[\"g1\"]}"

/* A rule from words as ap_getword_conf gives them; the test fails if it does not parse. */
static const na_claim_rule_t *na_test_rule(const char *name, const char *v1, const char *v2)
{
    const char *argv[3] = {name, v1, v2};
    const na_claim_rule_t *rule = NULL;
    const char *msg = na_claim_rule_parse(na_test_pool, v2 ? 3 : 2, argv, &rule);

    ck_assert_msg(msg == NULL, "%s", msg);
    ck_assert_ptr_nonnull(rule);
    return rule;
}

static int na_test_match(const char *claims, const char *name, const char *v1, const char *v2)
{
    na_claims_t *c = na_claims_parse(na_test_pool, claims);

    ck_assert_ptr_nonnull(c);
    return na_claim_rule_match(na_test_rule(name, v1, v2), c);
}

typedef struct na_test_match_t {
    const char *claims;
    const char *name;
    const char *v1;
    const char *v2;
    int want;
} na_test_match_t;

static const na_test_match_t na_test_matches[] = {
    /* Keycloak: full group paths, realm roles nested */
    {NA_TEST_KEYCLOAK, "groups", "/admins", NULL, 1},
    {NA_TEST_KEYCLOAK, "groups", "admins", NULL, 0},
    {NA_TEST_KEYCLOAK, "groups", "/adm*", NULL, 1},
    {NA_TEST_KEYCLOAK, "groups", "*admins", NULL, 1},
    {NA_TEST_KEYCLOAK, "groups", "/x*", "/st*", 1},
    {NA_TEST_KEYCLOAK, "groups", "/admins/*", NULL, 0},
    {NA_TEST_KEYCLOAK, "groups", "/adm?ns", NULL, 0},
    {NA_TEST_KEYCLOAK, "groups", "/[a]dmins", NULL, 0},
    {NA_TEST_KEYCLOAK, "realm_access.roles", "admin", NULL, 1},
    {NA_TEST_KEYCLOAK, "realm_access.roles", "superuser", NULL, 0},
    {NA_TEST_KEYCLOAK, "realm_access", "admin", NULL, 0},
    {NA_TEST_KEYCLOAK, "realm_access", "*", NULL, 0},
    {NA_TEST_KEYCLOAK, "realm_access.roles.admin", "*", NULL, 0},
    {NA_TEST_KEYCLOAK, "groups.admins", "*", NULL, 0},
    {NA_TEST_KEYCLOAK, "resource_access.app.roles", "admin", NULL, 0},
    /* Okta: plain names, case matters */
    {NA_TEST_OKTA, "groups", "admins", NULL, 1},
    {NA_TEST_OKTA, "groups", "Admins", NULL, 0},
    {NA_TEST_OKTA, "groups", "everyone", NULL, 0},
    {NA_TEST_OKTA, "groups", "staff", "Everyone", 1},
    {NA_TEST_OKTA, "groups", "admin", NULL, 0},
    /* Azure: object ids and app roles */
    {NA_TEST_AZURE, "groups", "8f2c5a1e-7b3d-4c2a-9e61-0d5f3b7a2c14", NULL, 1},
    {NA_TEST_AZURE, "groups", "8f2c*", NULL, 1},
    {NA_TEST_AZURE, "groups", "8f2c5a1e", NULL, 0},
    {NA_TEST_AZURE, "roles", "Admin", NULL, 1},
    {NA_TEST_AZURE, "roles", "admin", NULL, 0},
    {NA_TEST_AZURE, "groups", "admins", NULL, 0},
    /* absent, null, object, empty array: never a match, not even for '*' */
    {NA_TEST_SCALARS, "missing", "*", NULL, 0},
    {NA_TEST_SCALARS, "nothing", "*", NULL, 0},
    {NA_TEST_SCALARS, "nothing", "null", NULL, 0},
    {NA_TEST_SCALARS, "org", "*", NULL, 0},
    {NA_TEST_SCALARS, "org.id", "o1", NULL, 1},
    {NA_TEST_SCALARS, "none", "*", NULL, 0},
    /* '*' alone: any value present, the empty string too */
    {NA_TEST_SCALARS, "empty", "*", NULL, 1},
    {NA_TEST_SCALARS, "empty", "", NULL, 1},
    {NA_TEST_SCALARS, "age", "*", NULL, 1},
    {NA_TEST_OKTA, "groups", "*", NULL, 1},
    /* numbers and booleans by their JSON text */
    {NA_TEST_SCALARS, "email_verified", "true", NULL, 1},
    {NA_TEST_SCALARS, "email_verified", "false", NULL, 0},
    {NA_TEST_SCALARS, "email_verified", "1", NULL, 0},
    {NA_TEST_SCALARS, "disabled", "false", NULL, 1},
    {NA_TEST_SCALARS, "said", "true", NULL, 1},
    {NA_TEST_SCALARS, "age", "42", NULL, 1},
    {NA_TEST_SCALARS, "age", "4*", NULL, 1},
    {NA_TEST_SCALARS, "age", "42.0", NULL, 0},
    {NA_TEST_SCALARS, "ratio", "0.1", NULL, 1},
    /* arrays: scalar elements only */
    {NA_TEST_SCALARS, "mixed", "admins", NULL, 0},
    {NA_TEST_SCALARS, "mixed", "ok", NULL, 1},
    {NA_TEST_SCALARS, "mixed", "7", NULL, 1},
    /* only '*' is special: '?', '[' and '\' are themselves */
    {NA_TEST_SCALARS, "odd", "a?c[d]\\e", NULL, 1},
    {NA_TEST_SCALARS, "odd", "abc[d]\\e", NULL, 0},
    {NA_TEST_SCALARS, "odd", "a?c*", NULL, 1},
    {NA_TEST_SCALARS, "odd", "a*c*e", NULL, 1},
    {NA_TEST_SCALARS, "odd", "*?*", NULL, 1},
    {NA_TEST_SCALARS, "odd", "a**", NULL, 1},
    {NA_TEST_SCALARS, "odd", "*d", NULL, 0},
    /* ':' in a name (Cognito, URN-style claims) */
    {NA_TEST_SCALARS, "cognito:groups", "g1", NULL, 1},
};

START_TEST(test_claim_match)
{
    const na_test_match_t *c = &na_test_matches[_i];

    ck_assert_msg(na_test_match(c->claims, c->name, c->v1, c->v2) == c->want,
                  "Require nextauth-claim %s %s %s: want %d", c->name, c->v1, c->v2 ? c->v2 : "",
                  c->want);
}
END_TEST

START_TEST(test_claim_glob_backtracking)
{
    char s[2001], pattern[] = "*a*a*a*a*a*a*a*a*b";

    memset(s, 'a', 2000);
    s[2000] = '\0';
    ck_assert_int_eq(
        na_test_match(apr_pstrcat(na_test_pool, "{\"g\":\"", s, "\"}", NULL), "g", pattern, NULL),
        0);
    s[1999] = 'b';
    ck_assert_int_eq(
        na_test_match(apr_pstrcat(na_test_pool, "{\"g\":\"", s, "\"}", NULL), "g", pattern, NULL),
        1);
}
END_TEST

START_TEST(test_claims_parse)
{
    ck_assert_ptr_null(na_claims_parse(na_test_pool, NULL));
    ck_assert_ptr_null(na_claims_parse(na_test_pool, ""));
    ck_assert_ptr_null(na_claims_parse(na_test_pool, "[\"groups\"]"));
    ck_assert_ptr_null(na_claims_parse(na_test_pool, "{\"groups\":"));
    ck_assert_ptr_null(na_claims_parse(na_test_pool, "{\"a\":1,\"a\":2}"));
    ck_assert_ptr_nonnull(na_claims_parse(na_test_pool, "{}"));
    /* no claims (no record): nothing matches */
    ck_assert_int_eq(na_claim_rule_match(na_test_rule("groups", "*", NULL), NULL), 0);
    ck_assert_int_eq(na_claim_rule_match(NULL, na_claims_parse(na_test_pool, "{}")), 0);
}
END_TEST

/* ---- parsing the directives -------------------------------------------------------------- */

static const char *const na_test_bad_names[] = {
    "",    ".groups", "groups.", "realm_access..roles",       "gro ups", "groups$",
    "a/b", "ä",       "x\r\ny",  "https://example.com/roles",
};

START_TEST(test_claim_rule_parse_bad)
{
    const char *argv[2] = {na_test_bad_names[_i], "admins"};
    const na_claim_rule_t *rule = (const na_claim_rule_t *)1;
    const char *msg = na_claim_rule_parse(na_test_pool, 2, argv, &rule);

    na_test_assert_directive_message(msg, "Require nextauth-claim", NULL);
    ck_assert_ptr_null(rule);
    ck_assert_ptr_null(strchr(msg, '\n'));
}
END_TEST

START_TEST(test_claim_rule_parse)
{
    const char *argv[3] = {"groups", "admins", "staff"};
    const na_claim_rule_t *rule = NULL;
    char long_name[130];

    na_test_assert_directive_message(na_claim_rule_parse(na_test_pool, 0, argv, &rule),
                                     "Require nextauth-claim", NULL);
    na_test_assert_directive_message(na_claim_rule_parse(na_test_pool, 1, argv, &rule),
                                     "Require nextauth-claim", NULL);
    ck_assert_ptr_null(rule);
    memset(long_name, 'a', 129);
    long_name[129] = '\0';
    argv[0] = long_name;
    na_test_assert_directive_message(na_claim_rule_parse(na_test_pool, 3, argv, &rule),
                                     "Require nextauth-claim", long_name);
    long_name[128] = '\0';
    ck_assert_ptr_null(na_claim_rule_parse(na_test_pool, 3, argv, &rule));
    argv[0] = "urn:zitadel:iam:org:project:roles";
    ck_assert_ptr_null(na_claim_rule_parse(na_test_pool, 3, argv, &rule));
    ck_assert_ptr_nonnull(rule);
}
END_TEST

/* The rule keeps its own copies: the words a parser handed in may be scratch memory. */
START_TEST(test_claim_rule_copies)
{
    char name[] = "groups", value[] = "admins";
    const char *argv[2] = {name, value};
    const na_claim_rule_t *rule = NULL;

    ck_assert_ptr_null(na_claim_rule_parse(na_test_pool, 2, argv, &rule));
    memset(name, 'x', 6);
    memset(value, 'y', 6);
    ck_assert_int_eq(na_claim_rule_match(rule, na_claims_parse(na_test_pool, NA_TEST_OKTA)), 1);
}
END_TEST

static apr_array_header_t *na_test_list(int argc, const char *const *argv)
{
    apr_array_header_t *names = NULL;
    const char *msg = na_claim_list_parse(na_test_pool, argc, argv, &names);

    ck_assert_msg(msg == NULL, "%s", msg);
    ck_assert_ptr_nonnull(names);
    return names;
}

#define NA_TEST_NAME(a, i) APR_ARRAY_IDX((a), (i), const char *)

START_TEST(test_claim_list_parse)
{
    static const char *const one[] = {"name,groups,realm_access.roles"};
    static const char *const words[] = {"name", "groups,", "email", "name"};
    static const char *const quoted[] = {"name, groups  email", "\tname"};
    apr_array_header_t *names = na_test_list(1, one);

    ck_assert_int_eq(names->nelts, 3);
    ck_assert_str_eq(NA_TEST_NAME(names, 0), "name");
    ck_assert_str_eq(NA_TEST_NAME(names, 1), "groups");
    ck_assert_str_eq(NA_TEST_NAME(names, 2), "realm_access.roles");
    /* "groups," then "email": words are separators too, so no empty item between them */
    names = na_test_list(4, words);
    ck_assert_int_eq(names->nelts, 3);
    ck_assert_str_eq(NA_TEST_NAME(names, 2), "email");
    names = na_test_list(3, (const char *const[]){"name", "groups", "name"});
    ck_assert_int_eq(names->nelts, 2);
    names = na_test_list(2, quoted);
    ck_assert_int_eq(names->nelts, 3);
    ck_assert_str_eq(NA_TEST_NAME(names, 2), "email");
}
END_TEST

static const char *const na_test_bad_lists[] = {
    "",
    ",",
    "name,",
    ",name",
    "name,,groups",
    "name, ,groups",
    "cognito:groups",
    "a..b",
    "x-y!",
    "Groups,groups",
    "realm_access,realm-access",
    "a.b,a_b",
};

START_TEST(test_claim_list_parse_bad)
{
    const char *argv[1] = {na_test_bad_lists[_i]};
    apr_array_header_t *names = NULL;
    const char *msg = na_claim_list_parse(na_test_pool, 1, argv, &names);

    na_test_assert_directive_message(msg, "NextAuthPassClaims", NULL);
    ck_assert_ptr_null(names);
}
END_TEST

START_TEST(test_claim_list_parse_limits)
{
    const char *argv[65] = {NULL};
    apr_array_header_t *names = NULL;
    int i;

    na_test_assert_directive_message(na_claim_list_parse(na_test_pool, 0, argv, &names),
                                     "NextAuthPassClaims", NULL);
    for (i = 0; i < 65; i++) {
        argv[i] = apr_psprintf(na_test_pool, "c%d", i);
    }
    ck_assert_int_eq(na_test_list(64, argv)->nelts, 64);
    na_test_assert_directive_message(na_claim_list_parse(na_test_pool, 65, argv, &names),
                                     "NextAuthPassClaims", "c64");
}
END_TEST

/* ---- values and names passed on ---------------------------------------------------------- */

START_TEST(test_claim_value)
{
    na_claims_t *c = na_claims_parse(
        na_test_pool, "{\"name\":\"Ann\\r\\nX-Evil: 1\\u0000\",\"tab\":\"a\\tb\\u007fc\","
                      "\"groups\":[\"/admins\",\"/staff\"],\"mixed\":[\"a\",1,true,null,{\"x\":1},"
                      "[\"y\"],0.5,\"b\"],\"n\":42,\"t\":true,\"r\":1.5,\"nul\":null,"
                      "\"obj\":{\"k\":[\"v1\",\"v2\"]},\"none\":[],\"ko\":\"\\uae40\"}");

    /* \u0000 is refused by the parser: the whole document is */
    ck_assert_ptr_null(c);
    c = na_claims_parse(na_test_pool,
                        "{\"name\":\"Ann\\r\\nX-Evil: 1\",\"tab\":\"a\\tb\\u007fc\","
                        "\"groups\":[\"/admins\",\"/staff\"],\"mixed\":[\"a\",1,true,null,"
                        "{\"x\":1},[\"y\"],0.5,\"b\"],\"n\":42,\"t\":true,\"r\":1.5,\"nul\":null,"
                        "\"obj\":{\"k\":[\"v1\",\"v2\"]},\"none\":[],\"ko\":\"\\uae40\"}");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "name"), "Ann  X-Evil: 1");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "tab"), "a b c");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "groups"), "/admins,/staff");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "mixed"), "a,1,true,0.5,b");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "n"), "42");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "t"), "true");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "r"), "1.5");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "obj.k"), "v1,v2");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "none"), "");
    ck_assert_str_eq(na_claim_value(na_test_pool, c, "ko"), "\xea\xb9\x80");
    ck_assert_ptr_null(na_claim_value(na_test_pool, c, "nul"));
    ck_assert_ptr_null(na_claim_value(na_test_pool, c, "obj"));
    ck_assert_ptr_null(na_claim_value(na_test_pool, c, "missing"));
    ck_assert_ptr_null(na_claim_value(na_test_pool, c, "groups.x"));
    ck_assert_ptr_null(na_claim_value(na_test_pool, NULL, "name"));
}
END_TEST

/* 4096 bytes at most, never half a UTF-8 character. */
START_TEST(test_claim_value_cap)
{
    char *s = apr_palloc(na_test_pool, 6001);
    const char *v, *json;
    na_claims_t *c;

    memset(s, 'a', 6000);
    s[6000] = '\0';
    c = na_claims_parse(na_test_pool, apr_pstrcat(na_test_pool, "{\"s\":\"", s, "\"}", NULL));
    ck_assert_uint_eq(strlen(na_claim_value(na_test_pool, c, "s")), 4096);
    /* 4095 ASCII bytes, then a 3-byte character that does not fit */
    s[4095] = '\0';
    json = apr_pstrcat(na_test_pool, "{\"s\":\"", s, "\\uae40\"}", NULL);
    v = na_claim_value(na_test_pool, na_claims_parse(na_test_pool, json), "s");
    ck_assert_uint_eq(strlen(v), 4095);
    /* an array of 1000-byte groups: cut within the fifth */
    s[1000] = '\0';
    json = apr_pstrcat(na_test_pool, "{\"g\":[\"", s, "\",\"", s, "\",\"", s, "\",\"", s, "\",\"",
                       s, "\"]}", NULL);
    v = na_claim_value(na_test_pool, na_claims_parse(na_test_pool, json), "g");
    ck_assert_uint_eq(strlen(v), 4096);
    ck_assert_int_eq(v[1000], ',');
}
END_TEST

START_TEST(test_claim_header_env_names)
{
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "realm_access.roles"),
                     "X-NextAuth-Claim-Realm-Access-Roles");
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "email_verified"),
                     "X-NextAuth-Claim-Email-Verified");
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "groups"), "X-NextAuth-Claim-Groups");
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "givenName"), "X-NextAuth-Claim-GivenName");
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "given-name"),
                     "X-NextAuth-Claim-Given-Name");
    /* a name no list accepts still makes a valid header name */
    ck_assert_str_eq(na_claim_header_name(na_test_pool, "cognito:groups x"),
                     "X-NextAuth-Claim-Cognito-Groups-X");
    ck_assert_str_eq(na_claim_env_name(na_test_pool, "realm_access.roles"),
                     "NEXTAUTH_CLAIM_REALM_ACCESS_ROLES");
    ck_assert_str_eq(na_claim_env_name(na_test_pool, "given-name"), "NEXTAUTH_CLAIM_GIVEN_NAME");
    ck_assert_str_eq(na_claim_env_name(na_test_pool, "groups2"), "NEXTAUTH_CLAIM_GROUPS2");
}
END_TEST

Suite *suite_claim(void)
{
    Suite *s = suite_create("claim");
    TCase *tc = na_test_tcase("rules");

    tcase_add_loop_test(tc, test_claim_match, 0, NA_TEST_COUNT(na_test_matches));
    tcase_add_test(tc, test_claim_glob_backtracking);
    tcase_add_test(tc, test_claims_parse);
    tcase_add_loop_test(tc, test_claim_rule_parse_bad, 0, NA_TEST_COUNT(na_test_bad_names));
    tcase_add_test(tc, test_claim_rule_parse);
    tcase_add_test(tc, test_claim_rule_copies);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("pass");
    tcase_add_test(tc, test_claim_list_parse);
    tcase_add_loop_test(tc, test_claim_list_parse_bad, 0, NA_TEST_COUNT(na_test_bad_lists));
    tcase_add_test(tc, test_claim_list_parse_limits);
    tcase_add_test(tc, test_claim_value);
    tcase_add_test(tc, test_claim_value_cap);
    tcase_add_test(tc, test_claim_header_env_names);
    suite_add_tcase(s, tc);
    return s;
}
