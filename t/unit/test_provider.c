/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_kv.h"
#include "na_mail.h"
#include "na_provider.h"
#include "suites.h"

/* NextAuthProvider lines, tokenized as the glue does. Returns the parse or check message. */
static const char *na_test_provider(const char *line, na_provider_t **out)
{
    apr_array_header_t *words = NULL;
    na_provider_t *prov = NULL;
    const char *msg;

    ck_assert_ptr_null(na_kv_tokenize(na_test_pool, line, &words));
    msg = na_provider_parse(na_test_pool, words->nelts, (const char *const *)words->elts, &prov);
    if (msg == NULL) {
        ck_assert_ptr_nonnull(prov);
        msg = na_provider_check(na_test_pool, prov);
    }
    if (out) {
        *out = prov;
    }
    return msg;
}

static na_provider_t *na_test_provider_ok(const char *line)
{
    na_provider_t *prov = NULL;
    const char *msg = na_test_provider(line, &prov);

    ck_assert_msg(msg == NULL, "%s: %s", line, msg);
    return prov;
}

/* ---- presets ------------------------------------------------------------------------- */

typedef struct na_test_preset_t {
    const char *id;
    int kind;
    const char *name;
    int needs_issuer;
    unsigned checks;
} na_test_preset_t;

static const na_test_preset_t na_test_presets[] = {
    {"github", NA_PROVIDER_OAUTH, "GitHub", 0, NA_CHECK_STATE},
    {"google", NA_PROVIDER_OIDC, "Google", 0, NA_CHECK_PKCE | NA_CHECK_STATE},
    {"gitlab", NA_PROVIDER_OAUTH, "GitLab", 0, NA_CHECK_STATE},
    {"discord", NA_PROVIDER_OAUTH, "Discord", 0, NA_CHECK_STATE},
    {"keycloak", NA_PROVIDER_OIDC, "Keycloak", 1, NA_CHECK_PKCE | NA_CHECK_STATE},
    {"auth0", NA_PROVIDER_OIDC, "Auth0", 1, NA_CHECK_PKCE | NA_CHECK_STATE},
    {"okta", NA_PROVIDER_OIDC, "Okta", 1, NA_CHECK_PKCE | NA_CHECK_STATE},
    {"azure-ad", NA_PROVIDER_OIDC, "Azure Active Directory", 0, NA_CHECK_PKCE | NA_CHECK_STATE},
};

START_TEST(test_provider_presets)
{
    const na_test_preset_t *tc = &na_test_presets[_i];
    const char *line =
        apr_pstrcat(na_test_pool, tc->id, " clientId=cid clientSecret=csec",
                    tc->needs_issuer ? " issuer=https://idp.example.com/realm" : "", NULL);
    na_provider_t *prov = na_test_provider_ok(line);
    const char *msg;

    ck_assert_str_eq(prov->id, tc->id);
    ck_assert_int_eq(prov->kind, tc->kind);
    ck_assert_str_eq(prov->name, tc->name);
    ck_assert_str_eq(prov->client_id, "cid");
    ck_assert_str_eq(prov->client_secret, "csec");
    ck_assert_uint_eq(prov->checks, tc->checks);
    ck_assert_ptr_nonnull(prov->logo);
    ck_assert_ptr_nonnull(prov->style_bg);
    ck_assert_ptr_nonnull(prov->scope);
    ck_assert_str_eq(na_provider_wire_type(prov), "oauth");
    if (tc->kind == NA_PROVIDER_OAUTH) {
        ck_assert_ptr_nonnull(prov->authorization);
        ck_assert_ptr_nonnull(prov->token);
        ck_assert_ptr_nonnull(prov->userinfo);
    }
    if (tc->needs_issuer) {
        ck_assert_str_eq(prov->issuer, "https://idp.example.com/realm");
        msg = na_test_provider(
            apr_pstrcat(na_test_pool, tc->id, " clientId=cid clientSecret=csec", NULL), NULL);
        ck_assert_ptr_nonnull(msg);
        ck_assert_msg(strstr(msg, NA_DIR_PROVIDER) == msg && strstr(msg, tc->id)
                          && strstr(msg, "issuer="),
                      "%s", msg);
    }
    /* the preset's values are defaults: keys on the line win */
    prov = na_test_provider_ok(apr_pstrcat(na_test_pool, line,
                                           " name=\"Our SSO\" scope=openid "
                                           "checks=nonce",
                                           NULL));
    ck_assert_str_eq(prov->name, "Our SSO");
    ck_assert_str_eq(prov->scope, "openid");
    ck_assert_uint_eq(prov->checks, NA_CHECK_NONCE);
    ck_assert_ptr_nonnull(strstr(na_provider_preset_ids(na_test_pool), tc->id));
}
END_TEST

START_TEST(test_provider_missing_client_keys)
{
    static const char *const lines[] = {
        "github clientId=a", "github clientSecret=b",         "github",
        "google clientId=a", "myoauth type=oauth clientId=a",
    };
    int i;

    for (i = 0; i < NA_TEST_COUNT(lines); i++) {
        const char *msg = na_test_provider(lines[i], NULL);

        ck_assert_msg(msg != NULL, "%s was accepted", lines[i]);
        ck_assert_msg(strncmp(msg, NA_DIR_PROVIDER " ", strlen(NA_DIR_PROVIDER) + 1) == 0
                          && strstr(msg, "clientSecret=") && strstr(msg, "clientId="),
                      "%s: %s", lines[i], msg);
    }
}
END_TEST

/* ---- custom ids and type= ------------------------------------------------------------ */

START_TEST(test_provider_custom_ids)
{
    na_provider_t *prov;
    const char *msg;

    msg = na_test_provider("corp clientId=a clientSecret=b", NULL);
    na_test_assert_directive_message(msg, NA_DIR_PROVIDER, "type= is needed");
    ck_assert_ptr_nonnull(strstr(msg, "corp"));

    prov = na_test_provider_ok("corp-sso type=OIDC clientId=a clientSecret=b "
                               "issuer=https://sso.example.com");
    ck_assert_int_eq(prov->kind, NA_PROVIDER_OIDC);
    ck_assert_str_eq(prov->name, "corp-sso");
    ck_assert_uint_eq(prov->checks, NA_CHECK_PKCE | NA_CHECK_STATE);
    ck_assert_ptr_null(prov->logo);

    /* An OIDC provider needs its issuer, endpoints or not: every ID token's iss is checked
     * against it (without one, the first sign-in crashed the child). */
    msg = na_test_provider("corp type=oidc clientId=a clientSecret=b "
                           "authorization=https://s.example.com/a token=https://s.example.com/t "
                           "jwks=https://s.example.com/k",
                           NULL);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_nonnull(strstr(msg, "needs issuer="));
    prov = na_test_provider_ok("corp type=oidc clientId=a clientSecret=b "
                               "issuer=https://s.example.com authorization=https://s.example.com/a "
                               "token=https://s.example.com/t jwks=https://s.example.com/k");
    ck_assert_int_eq(prov->trust_email, 0);
    prov = na_test_provider_ok("corp type=oidc clientId=a clientSecret=b "
                               "issuer=https://s.example.com trustEmail=on");
    ck_assert_int_eq(prov->trust_email, 1);

    msg = na_test_provider("corp type=oauth clientId=a clientSecret=b "
                           "authorization=https://s.example.com/a token=https://s.example.com/t",
                           NULL);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_nonnull(strstr(msg, "userinfo="));
    prov = na_test_provider_ok("corp_2 type=oauth clientId=a clientSecret=b "
                               "authorization=https://s.example.com/a "
                               "token=https://s.example.com/t userinfo=https://s.example.com/u "
                               "logout=on timeout=30");
    ck_assert_int_eq(prov->kind, NA_PROVIDER_OAUTH);
    ck_assert_uint_eq(prov->checks, NA_CHECK_STATE);
    ck_assert_int_eq(prov->logout, 1);
    ck_assert_int_eq(prov->timeout, 30);

    /* A built-in id with another type is a custom provider of that type. */
    prov = na_test_provider_ok("github type=oidc clientId=a clientSecret=b "
                               "issuer=https://ghe.example.com");
    ck_assert_int_eq(prov->kind, NA_PROVIDER_OIDC);
    ck_assert_str_eq(prov->name, "github");
    ck_assert_ptr_null(prov->authorization);
}
END_TEST

typedef struct na_test_bad_provider_t {
    const char *line;
    const char *names;
} na_test_bad_provider_t;

static const na_test_bad_provider_t na_test_bad_providers[] = {
    {"GitHub clientId=a clientSecret=b", "'GitHub'"},
    {"git.hub type=oauth", "'git.hub'"},
    {"x1234567890123456789012345678901234567890123456789012345678901234 type=email", "x1234"},
    {"\"\" type=email", "''"},
    {"corp type=saml", "type='saml'"},
    {"github clientSecert=b", "unknown key 'clientSecert'"},
    {"github clientId=a clientSecret=b server=smtp://x", "key 'server' does not apply to oauth"},
    {"google authn=file", "key 'authn' does not apply to oidc"},
    {"email clientId=a", "key 'clientId' does not apply to email"},
    {"credentials from=a@example.com", "key 'from' does not apply to credentials"},
    {"credentials maxAge=60", "key 'maxAge' does not apply to credentials"},
    {"github clientId=a clientId=b clientSecret=c", "'clientId' is given twice"},
    {"corp type=oauth type=oidc", "'type' is given twice"},
    {"github issuer=http://", "issuer="},
    {"github authorization=javascript:alert(1)", "authorization="},
    {"github checks=state,csrf", "'csrf' is not accepted"},
    {"github logout=yes", "logout='yes'"},
    {"github timeout=0", "timeout='0'"},
    {"email maxAge=1d", "maxAge='1d'"},
    {"email confirm=maybe", "confirm='maybe'"},
    {"email starttls=yes", "starttls='yes'"},
    {"github starttls=on", "key 'starttls' does not apply to oauth"},
    {"email server=http://mail.example.com", "server"},
    {"email server=smtp:mail", "server"},
    {"email from=noreply", "from='noreply'"},
    {"email from=\"a@example.com,b@example.com\"", "from="},
    {"email from=\"Site <noreply@example.com\"", "from="},
    {"email from=\"a@b@example.com\"", "from="},
    {"email from=\"Site <no reply@example.com>\"", "from="},
    {"credentials authn=file,ld.ap", "'ld.ap' is not a name"},
    {"credentials authn=", "authn=''"},
    {"credentials name=\"x\ty\"", "name="},
    {"credentials usernameLabel=", "usernameLabel=''"},
    {"github clientId", "'clientId' is not key=value"},
};

START_TEST(test_provider_bad_lines)
{
    const na_test_bad_provider_t *tc = &na_test_bad_providers[_i];
    const char *msg = na_test_provider(tc->line, NULL);

    na_test_assert_directive_message(msg, NA_DIR_PROVIDER, tc->names);
}
END_TEST

START_TEST(test_provider_no_id)
{
    const char *msg = na_provider_parse(na_test_pool, 0, NULL, NULL);

    na_test_assert_directive_message(msg, NA_DIR_PROVIDER, "github");
}
END_TEST

/* ---- email and credentials ----------------------------------------------------------- */

START_TEST(test_provider_email_and_credentials)
{
    na_provider_t *prov;

    prov = na_test_provider_ok("email");
    ck_assert_int_eq(prov->kind, NA_PROVIDER_EMAIL);
    ck_assert_str_eq(prov->name, "Email");
    ck_assert_int_eq(prov->confirm, 1);
    ck_assert_int_eq(prov->max_age, 86400);
    ck_assert_str_eq(na_provider_wire_type(prov), "email");
    prov = na_test_provider_ok("email server=smtps://user:pw@mail.example.com:465 "
                               "from=\"Site <noreply@example.com>\" maxAge=600 confirm=off");
    ck_assert_str_eq(prov->server, "smtps://user:pw@mail.example.com:465");
    ck_assert_str_eq(prov->from, "Site <noreply@example.com>");
    ck_assert_int_eq(prov->max_age, 600);
    ck_assert_int_eq(prov->confirm, 0);
    ck_assert_int_eq(prov->starttls, NA_SMTP_TLS_TRY); /* unless told */
    ck_assert_int_eq(na_test_provider_ok("email starttls=on")->starttls, NA_SMTP_TLS_ON);
    ck_assert_int_eq(na_test_provider_ok("email starttls=off")->starttls, NA_SMTP_TLS_OFF);
    ck_assert_int_eq(na_test_provider_ok("email starttls=try")->starttls, NA_SMTP_TLS_TRY);

    prov = na_test_provider_ok("credentials");
    ck_assert_int_eq(prov->kind, NA_PROVIDER_CREDENTIALS);
    ck_assert_str_eq(na_provider_wire_type(prov), "credentials");
    ck_assert_int_eq(prov->authn->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(prov->authn, 0, const char *), "file");
    prov = na_test_provider_ok("credentials name=\"Staff login\" authn=file,ldap "
                               "usernameLabel=\"E-mail\" passwordLabel=PIN");
    ck_assert_str_eq(prov->name, "Staff login");
    ck_assert_int_eq(prov->authn->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(prov->authn, 1, const char *), "ldap");
    ck_assert_str_eq(prov->username_label, "E-mail");
    ck_assert_str_eq(prov->password_label, "PIN");
    prov = na_test_provider_ok("staff type=credentials authn=dbm");
    ck_assert_str_eq(prov->name, "staff");
    prov = na_test_provider_ok("magic type=email server=smtp://127.0.0.1:2525");
    ck_assert_int_eq(prov->kind, NA_PROVIDER_EMAIL);
}
END_TEST

/* A SMTP URL may carry a password: it is never echoed. */
START_TEST(test_provider_smtp_password_not_echoed)
{
    const char *msg = na_test_provider("email server=smtpx://u:HUNTER2@mail.example.com", NULL);

    na_test_assert_directive_message(msg, NA_DIR_PROVIDER, "server");
    ck_assert_ptr_null(strstr(msg, "HUNTER2"));
}
END_TEST

/* ---- secrets: resolved from file: and env:, never in a message ------------------------ */

START_TEST(test_provider_secrets_never_echoed)
{
    const char *file = na_test_temp_file("FILESECRET-7f3a\n", 16);
    const char *const lines[] = {
        "github clientId=a clientSecret=file:%s bogus=1",
        "github clientId=a clientSecret=file:%s scope=\"a\tb\"",
        "github clientId=a clientSecret=env:NA_TEST_PROV_SECRET bogus=1",
        "github clientId=a clientSecret=env:NA_TEST_PROV_SECRET clientSecret=file:%s",
        "github clientSecret=file:%s",
        "github clientSecret=env:NA_TEST_PROV_SECRET",
        "email clientSecret=env:NA_TEST_PROV_SECRET",
        "github clientId=a clientSecret=LITERALSECRET-7f3a server=x",
        "github clientId=a clientSecret=\"LITERALSECRET-7f3a\x01\"",
    };
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    na_provider_t *prov;
    int i;

    setenv("NA_TEST_PROV_SECRET", "ENVSECRET-7f3a", 1);
    for (i = 0; i < NA_TEST_COUNT(lines); i++) {
        const char *line = apr_psprintf(na_test_pool, lines[i], file, file);
        apr_array_header_t *words = NULL;
        const char *msg;

        ck_assert_ptr_null(na_kv_tokenize(na_test_pool, line, &words));
        msg =
            na_config_add_provider(na_test_pool, c, words->nelts, (const char *const *)words->elts);
        ck_assert_msg(msg != NULL, "%s was accepted", line);
        ck_assert_msg(strstr(msg, "SECRET-7f3a") == NULL, "secret in message: %s", msg);
    }
    prov = na_test_provider_ok(
        apr_psprintf(na_test_pool, "github clientId=a clientSecret=file:%s", file));
    ck_assert_str_eq(prov->client_secret, "FILESECRET-7f3a");
    prov = na_test_provider_ok("github clientId=a clientSecret=env:NA_TEST_PROV_SECRET");
    ck_assert_str_eq(prov->client_secret, "ENVSECRET-7f3a");

    /* An unreadable secret file is named, with what is accepted. */
    ck_assert_ptr_nonnull(strstr(na_test_provider("github clientId=a "
                                                  "clientSecret=file:/nonexistent/na-secret",
                                                  NULL),
                                 "'/nonexistent/na-secret'"));
    na_test_assert_directive_message(na_test_provider("github clientId=a "
                                                      "clientSecret=env:NA_TEST_PROV_UNSET",
                                                      NULL),
                                     NA_DIR_PROVIDER " github clientSecret", "NA_TEST_PROV_UNSET");
}
END_TEST

/* ---- through the server configuration ------------------------------------------------- */

START_TEST(test_provider_duplicate_id)
{
    static const char *const first[] = {"github", "clientId=a", "clientSecret=b"};
    static const char *const again[] = {"github", "clientId=c", "clientSecret=d"};
    static const char *const other[] = {"mygithub",
                                        "type=oauth",
                                        "clientId=c",
                                        "clientSecret=d",
                                        "authorization=https://g.example/a",
                                        "token=https://g.example/t",
                                        "userinfo=https://g.example/u"};
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const char *msg;

    ck_assert_ptr_null(na_config_add_provider(na_test_pool, c, 3, first));
    msg = na_config_add_provider(na_test_pool, c, 3, again);
    na_test_assert_directive_message(msg, NA_DIR_PROVIDER " github", "duplicate provider id");
    ck_assert_int_eq(c->providers->nelts, 1);
    ck_assert_str_eq(na_config_provider(c, "github")->client_id, "a");
    ck_assert_ptr_null(na_config_add_provider(na_test_pool, c, NA_TEST_COUNT(other), other));
    ck_assert_int_eq(c->providers->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(c->providers, 1, na_provider_t *)->id, "mygithub");
}
END_TEST

START_TEST(test_provider_preset_ids)
{
    const char *ids = na_provider_preset_ids(na_test_pool);

    ck_assert_str_eq(ids, "github, google, gitlab, discord, keycloak, auth0, okta, azure-ad, "
                          "email, credentials");
}
END_TEST

Suite *suite_provider(void)
{
    Suite *s = suite_create("provider");
    TCase *tc = na_test_tcase("presets");

    tcase_add_loop_test(tc, test_provider_presets, 0, NA_TEST_COUNT(na_test_presets));
    tcase_add_test(tc, test_provider_missing_client_keys);
    tcase_add_test(tc, test_provider_preset_ids);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("parse");
    tcase_add_test(tc, test_provider_custom_ids);
    tcase_add_loop_test(tc, test_provider_bad_lines, 0, NA_TEST_COUNT(na_test_bad_providers));
    tcase_add_test(tc, test_provider_no_id);
    tcase_add_test(tc, test_provider_email_and_credentials);
    tcase_add_test(tc, test_provider_smtp_password_not_echoed);
    tcase_add_test(tc, test_provider_secrets_never_echoed);
    tcase_add_test(tc, test_provider_duplicate_id);
    suite_add_tcase(s, tc);
    return s;
}
