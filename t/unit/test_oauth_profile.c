/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_oauth.h"
#include "suites.h"

/* Map a JSON text with one of next-auth's profile() functions. */
static na_status_t na_test_map(int profile, const char *json, na_oauth_user_t *u)
{
    json_t *raw = json_loads(json, 0, NULL);
    na_status_t rv;

    ck_assert_msg(raw != NULL, "bad test JSON: %s", json);
    rv = na_oauth_profile_map(na_test_pool, profile, raw, u, NULL);
    json_decref(raw);
    return rv;
}

static void na_test_str_eq(const char *got, const char *want)
{
    if (want == NULL) {
        ck_assert_ptr_null(got);
    }
    else {
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, want);
    }
}

static void na_test_user_eq(const na_oauth_user_t *u, const char *id, const char *name,
                            const char *email, const char *image)
{
    na_test_str_eq(u->id, id);
    na_test_str_eq(u->name, name);
    na_test_str_eq(u->email, email);
    na_test_str_eq(u->image, image);
}

/* ---- presets --------------------------------------------------------------------------- */

START_TEST(test_profile_oidc)
{
    na_oauth_user_t u;

    ck_assert_int_eq(
        na_test_map(NA_OAUTH_PROFILE_OIDC,
                    "{\"sub\":\"248289761001\",\"name\":\"Jane Doe\",\"email\":"
                    "\"Jane.Doe@Example.COM\",\"email_verified\":true,\"picture\":"
                    "\"https://lh3.googleusercontent.com/a/x.jpg\",\"id\":\"not-this\"}",
                    &u),
        NA_OK);
    na_test_user_eq(&u, "248289761001", "Jane Doe", "jane.doe@example.com",
                    "https://lh3.googleusercontent.com/a/x.jpg");
    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_OIDC, "{\"sub\":\"x\"}", &u), NA_OK);
    na_test_user_eq(&u, "x", NULL, NULL, NULL);
}
END_TEST

/* GitHub's /user: a numeric id, name null for many accounts, email null when private. */
START_TEST(test_profile_github)
{
    na_oauth_user_t u;

    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_GITHUB,
                                 "{\"login\":\"octocat\",\"id\":583231,\"node_id\":\"MDQ6\","
                                 "\"avatar_url\":\"https://avatars.githubusercontent.com/u/"
                                 "583231?v=4\",\"name\":null,\"email\":null}",
                                 &u),
                     NA_OK);
    na_test_user_eq(&u, "583231", "octocat", NULL,
                    "https://avatars.githubusercontent.com/u/583231?v=4");
    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_GITHUB,
                                 "{\"login\":\"octocat\",\"id\":\"9007199254740993\","
                                 "\"name\":\"The Octocat\",\"email\":\"Octocat@GitHub.com\"}",
                                 &u),
                     NA_OK);
    na_test_user_eq(&u, "9007199254740993", "The Octocat", "octocat@github.com", NULL);
    /* a name of the wrong type falls back to the login */
    ck_assert_int_eq(
        na_test_map(NA_OAUTH_PROFILE_GITHUB, "{\"login\":\"octocat\",\"id\":1,\"name\":5}", &u),
        NA_OK);
    na_test_str_eq(u.name, "octocat");
}
END_TEST

START_TEST(test_profile_gitlab)
{
    na_oauth_user_t u;

    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_GITLAB,
                                 "{\"id\":1,\"username\":\"john_smith\",\"name\":\"John Smith\","
                                 "\"email\":\"john@example.com\",\"avatar_url\":\"http://"
                                 "localhost:3000/uploads/user/avatar/1/index.jpg\"}",
                                 &u),
                     NA_OK);
    na_test_user_eq(&u, "1", "John Smith", "john@example.com",
                    "http://localhost:3000/uploads/user/avatar/1/index.jpg");
    ck_assert_int_eq(
        na_test_map(NA_OAUTH_PROFILE_GITLAB, "{\"id\":2,\"username\":\"jd\",\"name\":null}", &u),
        NA_OK);
    na_test_user_eq(&u, "2", "jd", NULL, NULL);
}
END_TEST

/* next-auth 4.24.15's Discord profile(): name = username, avatar from the CDN (gif when
 * animated), or the default avatar discriminator % 5. */
START_TEST(test_profile_discord)
{
    na_oauth_user_t u;

    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_DISCORD,
                                 "{\"id\":\"80351110224678912\",\"username\":\"Nelly\","
                                 "\"global_name\":\"Nelly G\",\"discriminator\":\"1337\","
                                 "\"avatar\":\"8342729096ea3675442027381ff50dfe\","
                                 "\"email\":\"nelly@discord.com\"}",
                                 &u),
                     NA_OK);
    na_test_user_eq(&u, "80351110224678912", "Nelly", "nelly@discord.com",
                    "https://cdn.discordapp.com/avatars/80351110224678912/"
                    "8342729096ea3675442027381ff50dfe.png");
    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_DISCORD,
                                 "{\"id\":\"1\",\"username\":\"n\",\"avatar\":\"a_1f\"}", &u),
                     NA_OK);
    na_test_str_eq(u.image, "https://cdn.discordapp.com/avatars/1/a_1f.gif");
    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_DISCORD,
                                 "{\"id\":\"1\",\"avatar\":null,\"discriminator\":\"1337\"}", &u),
                     NA_OK);
    na_test_str_eq(u.image, "https://cdn.discordapp.com/embed/avatars/2.png");
    ck_assert_int_eq(
        na_test_map(NA_OAUTH_PROFILE_DISCORD, "{\"id\":\"1\",\"discriminator\":\"0\"}", &u), NA_OK);
    na_test_str_eq(u.image, "https://cdn.discordapp.com/embed/avatars/0.png");
}
END_TEST

/* Values that would make a CDN path go elsewhere give no image. */
START_TEST(test_profile_discord_hostile)
{
    static const char *const docs[] = {
        "{\"id\":\"1\",\"avatar\":\"../../../evil\"}",
        "{\"id\":\"1\",\"avatar\":\"abc?x=1\"}",
        "{\"id\":\"1\",\"avatar\":5}",
        "{\"id\":\"1/../2\",\"avatar\":\"abc\"}",
        "{\"id\":\"1\",\"avatar\":null,\"discriminator\":\"x\"}",
        "{\"id\":\"1\",\"avatar\":null}",
    };
    na_oauth_user_t u;
    int i;

    for (i = 0; i < NA_TEST_COUNT(docs); i++) {
        ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_DISCORD, docs[i], &u), NA_OK);
        ck_assert_msg(u.image == NULL, "%s gave %s", docs[i], u.image);
    }
}
END_TEST

START_TEST(test_profile_for)
{
    na_provider_t prov;

    memset(&prov, 0, sizeof(prov));
    prov.kind = NA_PROVIDER_OAUTH;
    prov.id = "github";
    ck_assert_int_eq(na_oauth_profile_for(&prov), NA_OAUTH_PROFILE_GITHUB);
    prov.id = "gitlab";
    ck_assert_int_eq(na_oauth_profile_for(&prov), NA_OAUTH_PROFILE_GITLAB);
    prov.id = "discord";
    ck_assert_int_eq(na_oauth_profile_for(&prov), NA_OAUTH_PROFILE_DISCORD);
    prov.id = "custom";
    ck_assert_int_eq(na_oauth_profile_for(&prov), NA_OAUTH_PROFILE_OIDC);
    prov.id = "github";
    prov.kind = NA_PROVIDER_OIDC;
    ck_assert_int_eq(na_oauth_profile_for(&prov), NA_OAUTH_PROFILE_OIDC);
}
END_TEST

/* ---- the id ---------------------------------------------------------------------------- */

typedef struct na_test_id_t {
    int profile;
    const char *json;
} na_test_id_t;

static const na_test_id_t na_test_bad_ids[] = {
    {NA_OAUTH_PROFILE_OIDC, "{\"name\":\"no sub\"}"},
    {NA_OAUTH_PROFILE_OIDC, "{\"sub\":42}"}, /* OIDC: sub is a string */
    {NA_OAUTH_PROFILE_OIDC, "{\"sub\":\"\"}"},
    {NA_OAUTH_PROFILE_OIDC, "{\"sub\":null}"},
    {NA_OAUTH_PROFILE_OIDC, "{\"sub\":\"a\\nb\"}"},
    {NA_OAUTH_PROFILE_OIDC, "{\"sub\":\"a\\u007fb\"}"},
    {NA_OAUTH_PROFILE_GITHUB, "{\"login\":\"x\"}"},
    {NA_OAUTH_PROFILE_GITHUB, "{\"id\":1.5}"},
    {NA_OAUTH_PROFILE_GITHUB, "{\"id\":true}"},
    {NA_OAUTH_PROFILE_GITHUB, "{\"id\":[1]}"},
    {NA_OAUTH_PROFILE_GITLAB, "{\"id\":{}}"},
    {NA_OAUTH_PROFILE_DISCORD, "{\"id\":\"\"}"},
    {NA_OAUTH_PROFILE_GITHUB, "{\"sub\":\"1\"}"},
};

START_TEST(test_profile_bad_id)
{
    json_t *raw = json_loads(na_test_bad_ids[_i].json, 0, NULL);
    na_oauth_user_t u;
    na_err_t err = {0};

    ck_assert_ptr_nonnull(raw);
    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, na_test_bad_ids[_i].profile, raw, &u, &err),
                     NA_EINPUT);
    json_decref(raw);
    ck_assert_str_eq(err.code, "OAuthCallback");
    ck_assert_ptr_null(u.id);
}
END_TEST

START_TEST(test_profile_id_length)
{
    char sub[NA_OAUTH_MAX_ID + 2];
    json_t *raw = json_object();
    na_oauth_user_t u;

    memset(sub, 'a', sizeof(sub) - 1);
    sub[NA_OAUTH_MAX_ID] = '\0';
    json_object_set_new(raw, "sub", json_string(sub));
    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, raw, &u, NULL),
                     NA_OK);
    ck_assert_uint_eq(strlen(u.id), NA_OAUTH_MAX_ID);
    sub[NA_OAUTH_MAX_ID] = 'a';
    sub[NA_OAUTH_MAX_ID + 1] = '\0';
    json_object_set_new(raw, "sub", json_string(sub));
    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, raw, &u, NULL),
                     NA_EINPUT);
    json_decref(raw);
}
END_TEST

START_TEST(test_profile_not_object)
{
    json_t *arr = json_array();
    na_oauth_user_t u;

    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, arr, &u, NULL),
                     NA_EINPUT);
    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, NULL, &u, NULL),
                     NA_EINPUT);
    json_decref(arr);
}
END_TEST

/* ---- hostile fields -------------------------------------------------------------------- */

/* All at once: the sign-in still works, with only what is safe to keep. */
START_TEST(test_profile_hostile_fields)
{
    na_oauth_user_t u;
    json_error_t jerr;

    ck_assert_int_eq(
        na_test_map(NA_OAUTH_PROFILE_GITHUB,
                    "{\"id\":7,\"name\":\"Evil\\r\\nX-Header: 1\",\"login\":\"x\","
                    "\"email\":\"a@b@c.example\",\"avatar_url\":\"javascript:alert(1)\"}",
                    &u),
        NA_OK);
    na_test_user_eq(&u, "7", "Evil  X-Header: 1", NULL, NULL);
    /* a NUL inside a string never reaches us: jansson refuses \u0000 by default */
    ck_assert_ptr_null(json_loads("{\"sub\":\"a\\u0000b\"}", 0, &jerr));
}
END_TEST

typedef struct na_test_field_t {
    const char *json; /* an OIDC profile with sub "1" */
    const char *name;
    const char *email;
    const char *image;
} na_test_field_t;

static const na_test_field_t na_test_fields[] = {
    {"{\"sub\":\"1\",\"name\":\"Evil\\r\\nX-Header: 1\"}", "Evil  X-Header: 1", NULL, NULL},
    {"{\"sub\":\"1\",\"name\":\"<script>alert(1)</script>\"}", "<script>alert(1)</script>", NULL,
     NULL}, /* escaping is the pages' job */
    {"{\"sub\":\"1\",\"name\":\"\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"name\":[\"x\"]}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"name\":\"Zoë 🚀\"}", "Zoë 🚀", NULL, NULL},
    {"{\"sub\":\"1\",\"email\":\"a@b@c.example\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"email\":\"a b@c.example\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"email\":\"a@c.example\\n\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"email\":\"@c.example\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"email\":\"a@\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"email\":5}", NULL, NULL, NULL},
    /* Folded as the e-mail provider folds (na_email_normalize): one user, whichever way in. */
    {"{\"sub\":\"1\",\"email\":\"ÄB@Ex.COM\"}", NULL, "äb@ex.com", NULL},
    {"{\"sub\":\"1\",\"email\":\"\uff21lice@Example.com\"}", NULL, "alice@example.com", NULL},
    {"{\"sub\":\"1\",\"email\":\"Victim@Corp.example@evil.example\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"email\":\"a@corp\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"picture\":\"javascript:alert(1)\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"picture\":\"data:image/png;base64,AAAA\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"picture\":\"https://x.example/a b.png\"}", NULL, NULL, NULL},
    {"{\"sub\":\"1\",\"picture\":\"https://x.example/\\\"><script>\"}", NULL, NULL,
     "https://x.example/\"><script>"},
    {"{\"sub\":\"1\",\"picture\":\"HTTPS://x.example/p.png\"}", NULL, NULL,
     "HTTPS://x.example/p.png"},
    {"{\"sub\":\"1\",\"picture\":{}}", NULL, NULL, NULL},
};

START_TEST(test_profile_fields)
{
    const na_test_field_t *c = &na_test_fields[_i];
    na_oauth_user_t u;

    ck_assert_int_eq(na_test_map(NA_OAUTH_PROFILE_OIDC, c->json, &u), NA_OK);
    na_test_user_eq(&u, "1", c->name, c->email, c->image);
}
END_TEST

/* Long values: a name is cut on a character boundary, an email or image dropped. */
START_TEST(test_profile_long_fields)
{
    json_t *raw = json_object();
    char *name = apr_palloc(na_test_pool, 3 * 1000 + 1), *long_url;
    na_oauth_user_t u;
    int i;

    for (i = 0; i < 1000; i++) {
        memcpy(name + 3 * i, "\xea\xb0\x80", 3); /* U+AC00 */
    }
    name[3000] = '\0';
    long_url = apr_pstrcat(na_test_pool, "https://x.example/", name, NULL);
    json_object_set_new(raw, "sub", json_string("1"));
    json_object_set_new(raw, "name", json_string(name));
    json_object_set_new(raw, "picture", json_string(long_url));
    json_object_set_new(raw, "email",
                        json_string(apr_pstrcat(na_test_pool, "a@",
                                                apr_pstrndup(na_test_pool, long_url, 400), NULL)));
    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, raw, &u, NULL),
                     NA_OK);
    ck_assert_uint_eq(strlen(u.name), 255); /* 85 whole characters of 3 bytes */
    ck_assert_int_eq(strncmp(u.name, name, 255), 0);
    ck_assert_ptr_null(u.image);
    ck_assert_ptr_null(u.email);
    json_decref(raw);
}
END_TEST

/* jansson refuses bad UTF-8 when parsing; objects built otherwise are checked too. */
START_TEST(test_profile_bad_utf8)
{
    static const char *const bad[] = {"\xc0\xaf",         "\xe0\x80\xaf", "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80", "a\x80",        "\xe2\x82"};
    json_t *raw = json_object();
    na_oauth_user_t u;
    int i;

    json_object_set_new(raw, "sub", json_string("1"));
    for (i = 0; i < NA_TEST_COUNT(bad); i++) {
        json_object_set_new(raw, "name", json_stringn_nocheck(bad[i], strlen(bad[i])));
        ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, raw, &u, NULL),
                         NA_OK);
        ck_assert_msg(u.name == NULL, "case %d accepted", i);
    }
    json_object_set_new(raw, "sub", json_stringn_nocheck("\xc0\xaf", 2));
    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, raw, &u, NULL),
                     NA_EINPUT);
    json_object_set_new(raw, "sub", json_string("\xf0\x9f\x9a\x80"));
    ck_assert_int_eq(na_oauth_profile_map(na_test_pool, NA_OAUTH_PROFILE_OIDC, raw, &u, NULL),
                     NA_OK);
    json_decref(raw);
}
END_TEST

/* ---- userinfo answers ------------------------------------------------------------------ */

static na_http_response_t na_test_resp(int status, const char *type, const char *body)
{
    na_http_response_t resp = {status, body, strlen(body), type};

    return resp;
}

START_TEST(test_userinfo_parse)
{
    na_http_response_t resp =
        na_test_resp(200, "application/json", "{\"sub\":\"u1\",\"email\":\"U1@X.EXAMPLE\"}");
    na_oauth_user_t u;
    na_err_t err = {0};

    ck_assert_int_eq(na_oauth_userinfo_parse(na_test_pool, NA_OAUTH_PROFILE_OIDC, &resp, &u, &err),
                     NA_OK);
    na_test_user_eq(&u, "u1", NULL, "u1@x.example", NULL);
    resp = na_test_resp(401, "application/json", "{\"sub\":\"u1\"}");
    ck_assert_int_eq(na_oauth_userinfo_parse(na_test_pool, NA_OAUTH_PROFILE_OIDC, &resp, &u, &err),
                     NA_EPEER);
    ck_assert_str_eq(err.code, "OAuthCallback");
    ck_assert_ptr_nonnull(strstr(err.detail, "HTTP 401"));
    resp = na_test_resp(200, "text/html", "<html>sign in</html>");
    ck_assert_int_eq(na_oauth_userinfo_parse(na_test_pool, NA_OAUTH_PROFILE_OIDC, &resp, &u, &err),
                     NA_EPEER);
    resp = na_test_resp(200, "application/json", "[{\"sub\":\"u1\"}]");
    ck_assert_int_eq(na_oauth_userinfo_parse(na_test_pool, NA_OAUTH_PROFILE_OIDC, &resp, &u, &err),
                     NA_EPEER);
    resp = na_test_resp(200, "application/json", "{\"sub\":\"u1\"");
    ck_assert_int_eq(na_oauth_userinfo_parse(na_test_pool, NA_OAUTH_PROFILE_OIDC, &resp, &u, &err),
                     NA_EPEER);
    resp = na_test_resp(200, "application/json", "{\"login\":\"x\"}");
    ck_assert_int_eq(
        na_oauth_userinfo_parse(na_test_pool, NA_OAUTH_PROFILE_GITHUB, &resp, &u, &err), NA_EINPUT);
}
END_TEST

/* ---- GitHub /user/emails --------------------------------------------------------------- */

typedef struct na_test_emails_t {
    int status;
    const char *body;
    na_status_t rv;
    const char *email;
} na_test_emails_t;

static const na_test_emails_t na_test_emails[] = {
    {200,
     "[{\"email\":\"octocat@github.com\",\"verified\":true,\"primary\":true,"
     "\"visibility\":\"public\"},{\"email\":\"o2@x.example\",\"verified\":true,\"primary\":false}]",
     NA_OK, "octocat@github.com"},
    /* the primary comes first whatever the order */
    {200,
     "[{\"email\":\"o2@x.example\",\"verified\":true,\"primary\":false},"
     "{\"email\":\"Octo@GitHub.com\",\"verified\":true,\"primary\":true}]",
     NA_OK, "octo@github.com"},
    /* an unverified primary is passed over for a verified address */
    {200,
     "[{\"email\":\"evil@x.example\",\"verified\":false,\"primary\":true},"
     "{\"email\":\"ok@x.example\",\"verified\":true,\"primary\":false}]",
     NA_OK, "ok@x.example"},
    {200, "[{\"email\":\"evil@x.example\",\"verified\":false,\"primary\":true}]", NA_OK, NULL},
    {200, "[]", NA_OK, NULL},
    {200, "[5,null,{\"email\":7,\"verified\":true,\"primary\":true},{\"verified\":true}]", NA_OK,
     NULL},
    {200, "[{\"email\":\"a@b@c\",\"verified\":true,\"primary\":true}]", NA_OK, NULL},
    {200, "[{\"email\":\"x@y.example\",\"verified\":\"true\",\"primary\":true}]", NA_OK, NULL},
    /* the API refused (no user:email scope): no email, as next-auth */
    {403, "{\"message\":\"Resource not accessible by integration\"}", NA_OK, NULL},
    {200, "{\"email\":\"x@y.example\"}", NA_EPEER, NULL},
    {200, "<html></html>", NA_EPEER, NULL},
    {200, "[{\"email\":\"x@y.example\"", NA_EPEER, NULL},
};

START_TEST(test_github_emails)
{
    const na_test_emails_t *c = &na_test_emails[_i];
    na_http_response_t resp = na_test_resp(c->status, "application/json", c->body);
    const char *email = "unset";

    ck_assert_int_eq(na_oauth_github_email(na_test_pool, &resp, &email, NULL), c->rv);
    na_test_str_eq(email, c->email);
}
END_TEST

/* ID-token claims go through the userinfo cleaning (issue 11): what the token says is the
 * IdP's word on who signed in, not on what is safe to show, match or link. */
typedef struct na_test_idclaims_t {
    const char *json;
    const char *email; /* after cleaning; NULL: dropped */
    const char *name;
    const char *image;
    int verified;        /* email_verified as read */
    const char *trusted; /* the email after na_oauth_user_drop_unverified(…, 0) */
} na_test_idclaims_t;

static const na_test_idclaims_t na_test_idclaims[] = {
    {"{\"sub\":\"u\",\"email\":\"Victim@Corp.COM\",\"email_verified\":true}", "victim@corp.com",
     NULL, NULL, 1, "victim@corp.com"},
    {"{\"sub\":\"u\",\"email\":\"victim@corp.com\",\"email_verified\":false}", "victim@corp.com",
     NULL, NULL, 0, NULL},
    {"{\"sub\":\"u\",\"email\":\"victim@corp.com\",\"email_verified\":\"false\"}",
     "victim@corp.com", NULL, NULL, 0, NULL},
    {"{\"sub\":\"u\",\"email\":\"victim@corp.com\"}", "victim@corp.com", NULL, NULL, -1,
     "victim@corp.com"},
    {"{\"sub\":\"u\",\"email\":\"victim@corp.com\",\"email_verified\":\"no\"}", "victim@corp.com",
     NULL, NULL, -1, "victim@corp.com"},
    {"{\"sub\":\"u\",\"email\":\"victim@corp.com@evil.example\",\"email_verified\":true}", NULL,
     NULL, NULL, 1, NULL},
    {"{\"sub\":\"u\",\"email\":\"\uff56ictim@corp.com\",\"email_verified\":true}",
     "victim@corp.com", NULL, NULL, 1, "victim@corp.com"},
    {"{\"sub\":\"u\",\"name\":\"Eve\\r\\nX-Evil: 1\",\"picture\":\"javascript:alert(1)\"}", NULL,
     "Eve  X-Evil: 1", NULL, -1, NULL},
    {"{\"sub\":\"u\",\"picture\":\"https://idp.example/a.png\"}", NULL, NULL,
     "https://idp.example/a.png", -1, NULL},
};

static void na_test_str_or_null(const char *got, const char *want, const char *what)
{
    if (want == NULL) {
        ck_assert_msg(got == NULL, "%s: got '%s', want none", what, got);
    }
    else {
        ck_assert_msg(got && strcmp(got, want) == 0, "%s: got '%s', want '%s'", what,
                      got ? got : "(none)", want);
    }
}

START_TEST(test_profile_idtoken_claims)
{
    const na_test_idclaims_t *c = &na_test_idclaims[_i];
    na_oauth_user_t u;

    ck_assert_int_eq(na_oauth_idtoken_user(na_test_pool, c->json, strlen(c->json), &u, NULL),
                     NA_OK);
    ck_assert_str_eq(u.id, "u");
    na_test_str_or_null(u.email, c->email, "email");
    na_test_str_or_null(u.name, c->name, "name");
    na_test_str_or_null(u.image, c->image, "picture");
    ck_assert_int_eq(u.email_verified, c->verified);
    /* trustEmail=on keeps whatever the cleaning kept. */
    ck_assert_int_eq(na_oauth_user_drop_unverified(&u, 1), 0);
    na_test_str_or_null(u.email, c->email, "trusted email");
    ck_assert_int_eq(na_oauth_user_drop_unverified(&u, 0), c->email && !c->trusted);
    na_test_str_or_null(u.email, c->trusted, "email after the email_verified rule");
}
END_TEST

START_TEST(test_profile_idtoken_bad)
{
    static const char *const bad[] = {
        "[1]",         "{\"sub\":\"a\\u0000b\"}", "{\"sub\":\"a\\nb\"}",
        "{\"sub\":7}", "{\"sub\":\"\"}",          "{\"sub\":\"a\",\"sub\":\"b\"}"};
    na_oauth_user_t u;
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(na_oauth_idtoken_user(na_test_pool, bad[i], strlen(bad[i]), &u, NULL)
                          == NA_EINPUT,
                      "%s", bad[i]);
    }
}
END_TEST

Suite *suite_oauth_profile(void)
{
    Suite *s = suite_create("oauth_profile");
    TCase *tc = na_test_tcase("presets");

    tcase_add_test(tc, test_profile_oidc);
    tcase_add_test(tc, test_profile_github);
    tcase_add_test(tc, test_profile_gitlab);
    tcase_add_test(tc, test_profile_discord);
    tcase_add_test(tc, test_profile_discord_hostile);
    tcase_add_test(tc, test_profile_for);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("values");
    tcase_add_loop_test(tc, test_profile_bad_id, 0, NA_TEST_COUNT(na_test_bad_ids));
    tcase_add_test(tc, test_profile_id_length);
    tcase_add_test(tc, test_profile_not_object);
    tcase_add_test(tc, test_profile_hostile_fields);
    tcase_add_loop_test(tc, test_profile_fields, 0, NA_TEST_COUNT(na_test_fields));
    tcase_add_test(tc, test_profile_long_fields);
    tcase_add_test(tc, test_profile_bad_utf8);
    tcase_add_loop_test(tc, test_profile_idtoken_claims, 0, NA_TEST_COUNT(na_test_idclaims));
    tcase_add_test(tc, test_profile_idtoken_bad);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("answers");
    tcase_add_test(tc, test_userinfo_parse);
    tcase_add_loop_test(tc, test_github_emails, 0, NA_TEST_COUNT(na_test_emails));
    suite_add_tcase(s, tc);
    return s;
}
