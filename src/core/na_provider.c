/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>
#include <apr_uri.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_kv.h"
#include "na_mail.h"
#include "na_provider.h"

#define NA_PROVIDER_MAX_ID 64
#define NA_PROVIDER_DEFAULT_TIMEOUT 10
#define NA_EMAIL_DEFAULT_MAX_AGE 86400

/* A built-in id: what next-auth v4's provider of that name configures. */
typedef struct na_preset_t {
    const char *id;
    int kind;
    const char *name;
    const char *issuer;
    const char *authorization;
    const char *token;
    const char *userinfo;
    const char *scope;
    unsigned checks;
    const char *style_bg;
    const char *style_text;
    const char *logo;
} na_preset_t;

static const na_preset_t na_presets[] = {
    {"github", NA_PROVIDER_OAUTH, "GitHub", NULL, "https://github.com/login/oauth/authorize",
     "https://github.com/login/oauth/access_token", "https://api.github.com/user",
     "read:user user:email", NA_CHECK_STATE, "#24292f", "#fff", "github.svg"},
    {"google", NA_PROVIDER_OIDC, "Google", "https://accounts.google.com", NULL, NULL, NULL,
     "openid email profile", NA_CHECK_PKCE | NA_CHECK_STATE, "#fff", "#000", "google.svg"},
    {"gitlab", NA_PROVIDER_OAUTH, "GitLab", NULL, "https://gitlab.com/oauth/authorize",
     "https://gitlab.com/oauth/token", "https://gitlab.com/api/v4/user", "read_user",
     NA_CHECK_STATE, "#FC6D26", "#fff", "gitlab.svg"},
    {"discord", NA_PROVIDER_OAUTH, "Discord", NULL, "https://discord.com/api/oauth2/authorize",
     "https://discord.com/api/oauth2/token", "https://discord.com/api/users/@me", "identify email",
     NA_CHECK_STATE, "#5865F2", "#fff", "discord.svg"},
    {"keycloak", NA_PROVIDER_OIDC, "Keycloak", NULL, NULL, NULL, NULL, "openid email profile",
     NA_CHECK_PKCE | NA_CHECK_STATE, "#fff", "#000", "keycloak.svg"},
    {"auth0", NA_PROVIDER_OIDC, "Auth0", NULL, NULL, NULL, NULL, "openid email profile",
     NA_CHECK_PKCE | NA_CHECK_STATE, "#EB5424", "#fff", "auth0.svg"},
    {"okta", NA_PROVIDER_OIDC, "Okta", NULL, NULL, NULL, NULL, "openid email profile",
     NA_CHECK_PKCE | NA_CHECK_STATE, "#000", "#fff", "okta.svg"},
    {"azure-ad", NA_PROVIDER_OIDC, "Azure Active Directory",
     "https://login.microsoftonline.com/common/v2.0", NULL, NULL, NULL, "openid profile email",
     NA_CHECK_PKCE | NA_CHECK_STATE, "#0072c6", "#fff", "azure.svg"},
    {"email", NA_PROVIDER_EMAIL, "Email", NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"credentials", NA_PROVIDER_CREDENTIALS, "Credentials", NULL, NULL, NULL, NULL, NULL, 0, NULL,
     NULL, NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL},
};

static const char *const na_provider_types[] = {"oauth", "oidc", "email", "credentials", NULL};
static const char *const na_provider_check_names[] = {"state", "pkce", "nonce", NULL};
static const char *const na_provider_onoff[] = {"off", "on", NULL};
/* In the order of NA_SMTP_TLS_TRY, _ON, _OFF (na_mail.h). */
static const char *const na_provider_starttls[] = {"try", "on", "off", NULL};

#define NA_P(field) offsetof(na_provider_t, field)
#define NA_OA NA_PROVIDER_ANY_OAUTH

/* The key table of NextAuthProvider; `type` is read before the table is applied. */
static const na_kv_spec_t na_provider_keys[] = {
    {"type", NA_KV_ENUM, na_provider_types, 0, NA_P(type_index)},
    {"name", NA_KV_STRING, NULL, 0, NA_P(name)},
    {"clientId", NA_KV_STRING, NULL, NA_OA, NA_P(client_id)},
    {"clientSecret", NA_KV_SECRET, NULL, NA_OA, NA_P(client_secret)},
    {"issuer", NA_KV_URL, NULL, NA_OA, NA_P(issuer)},
    {"authorization", NA_KV_URL, NULL, NA_OA, NA_P(authorization)},
    {"token", NA_KV_URL, NULL, NA_OA, NA_P(token)},
    {"userinfo", NA_KV_URL, NULL, NA_OA, NA_P(userinfo)},
    {"jwks", NA_KV_URL, NULL, NA_OA, NA_P(jwks)},
    {"scope", NA_KV_STRING, NULL, NA_OA, NA_P(scope)},
    {"checks", NA_KV_LIST, na_provider_check_names, NA_OA, NA_P(checks)},
    {"logout", NA_KV_ENUM, na_provider_onoff, NA_OA, NA_P(logout)},
    {"trustEmail", NA_KV_ENUM, na_provider_onoff, NA_OA, NA_P(trust_email)},
    {"timeout", NA_KV_UINT, NULL, NA_OA | NA_PROVIDER_EMAIL, NA_P(timeout)},
    {"refreshBefore", NA_KV_UINT, NULL, NA_OA, NA_P(refresh_before)},
    {"server", NA_KV_STRING, NULL, NA_PROVIDER_EMAIL, NA_P(server)},
    {"from", NA_KV_STRING, NULL, NA_PROVIDER_EMAIL, NA_P(from)},
    {"maxAge", NA_KV_UINT, NULL, NA_PROVIDER_EMAIL, NA_P(max_age)},
    {"confirm", NA_KV_ENUM, na_provider_onoff, NA_PROVIDER_EMAIL, NA_P(confirm)},
    {"starttls", NA_KV_ENUM, na_provider_starttls, NA_PROVIDER_EMAIL, NA_P(starttls)},
    {"authn", NA_KV_NAMES, NULL, NA_PROVIDER_CREDENTIALS, NA_P(authn)},
    {"usernameLabel", NA_KV_STRING, NULL, NA_PROVIDER_CREDENTIALS, NA_P(username_label)},
    {"passwordLabel", NA_KV_STRING, NULL, NA_PROVIDER_CREDENTIALS, NA_P(password_label)},
    {NULL, 0, NULL, 0, 0},
};

static const na_preset_t *na_provider_preset(const char *id)
{
    const na_preset_t *preset;

    for (preset = na_presets; preset->id; preset++) {
        if (strcmp(preset->id, id) == 0) {
            return preset;
        }
    }
    return NULL;
}

const char *na_provider_preset_ids(apr_pool_t *p)
{
    const na_preset_t *preset;
    const char *list = NULL;

    for (preset = na_presets; preset->id; preset++) {
        list = list ? apr_pstrcat(p, list, ", ", preset->id, NULL) : preset->id;
    }
    return list;
}

static int na_provider_valid_id(const char *id)
{
    const char *s;

    if (*id == '\0' || strlen(id) > NA_PROVIDER_MAX_ID) {
        return 0;
    }
    for (s = id; *s; s++) {
        if (!apr_islower(*s) && !apr_isdigit(*s) && *s != '-' && *s != '_') {
            return 0;
        }
    }
    return 1;
}

static void na_provider_apply_preset(na_provider_t *prov, const na_preset_t *preset)
{
    prov->kind = preset->kind;
    prov->name = preset->name;
    prov->issuer = preset->issuer;
    prov->authorization = preset->authorization;
    prov->token = preset->token;
    prov->userinfo = preset->userinfo;
    prov->scope = preset->scope;
    prov->checks = preset->checks;
    prov->style_bg = preset->style_bg;
    prov->style_text = preset->style_text;
    prov->logo = preset->logo;
}

/* The kind comes from type= when given, else from the preset. */
static const char *na_provider_kind(apr_pool_t *p, int argc, const char *const *argv,
                                    na_provider_t *prov, const na_preset_t *preset)
{
    int i, t;

    for (i = 1; i < argc; i++) {
        if (strncasecmp(argv[i], "type=", 5) != 0) {
            continue;
        }
        for (t = 0; na_provider_types[t] && strcasecmp(na_provider_types[t], argv[i] + 5); t++) {
        }
        if (na_provider_types[t] == NULL) {
            return apr_psprintf(p,
                                NA_DIR_PROVIDER " %s type='%s': unknown provider type; "
                                                "accepted: oauth, oidc, email, credentials",
                                prov->id, argv[i] + 5);
        }
        prov->kind = 1 << t;
        return NULL;
    }
    if (preset == NULL) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER
                            " %s: not a built-in provider id, so type= is "
                            "needed; built-in ids: %s; accepted types: oauth, oidc, email, "
                            "credentials",
                            prov->id, na_provider_preset_ids(p));
    }
    prov->kind = preset->kind;
    return NULL;
}

const char *na_provider_parse(apr_pool_t *p, int argc, const char *const *argv, na_provider_t **out)
{
    na_provider_t *prov;
    const na_preset_t *preset;
    na_kv_call_t call = {NA_DIR_PROVIDER, NULL, na_provider_keys, 0, NULL, NULL};
    const char *msg;
    int kind;

    if (argc < 1) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER ": a provider id is needed; accepted: %s, or "
                                            "another id with type=",
                            na_provider_preset_ids(p));
    }
    prov = apr_pcalloc(p, sizeof(*prov));
    prov->id = argv[0];
    if (!na_provider_valid_id(prov->id)) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER " '%s': not a provider id; accepted: lower-case "
                                            "letters, digits, '-' and '_' (up to 64), e.g. %s",
                            prov->id, na_provider_preset_ids(p));
    }
    preset = na_provider_preset(prov->id);
    if ((msg = na_provider_kind(p, argc, argv, prov, preset)) != NULL) {
        return msg;
    }
    kind = prov->kind;
    if (preset && preset->kind == kind) {
        na_provider_apply_preset(prov, preset);
    }
    else {
        prov->name = prov->id;
        prov->checks =
            (kind == NA_PROVIDER_OIDC) ? (NA_CHECK_PKCE | NA_CHECK_STATE) : NA_CHECK_STATE;
        /* A user without an e-mail is of little use to NextAuthSignInAllow or Require. */
        prov->scope = (kind == NA_PROVIDER_OIDC) ? "openid email profile" : NULL;
    }
    prov->logout = 0;
    prov->trust_email = 0;
    prov->confirm = 1;
    prov->timeout = NA_PROVIDER_DEFAULT_TIMEOUT;
    prov->refresh_before = NA_UNSET;
    prov->max_age = NA_EMAIL_DEFAULT_MAX_AGE;
    call.subject = prov->id;
    call.warning = &prov->secret_warning;
    call.kind = (unsigned)kind;
    call.kind_name = na_provider_types[kind == 1 ? 0 : kind == 2 ? 1 : kind == 4 ? 2 : 3];
    if ((msg = na_kv_parse(p, &call, argc - 1, argv + 1, prov, NULL)) != NULL) {
        return msg;
    }
    if (kind == NA_PROVIDER_CREDENTIALS && prov->authn == NULL) {
        /* Apache's own default, as AuthBasicProvider and AuthFormProvider have it. */
        prov->authn = apr_array_make(p, 1, sizeof(const char *));
        APR_ARRAY_PUSH(prov->authn, const char *) = "file";
    }
    *out = prov;
    return NULL;
}

const char *na_provider_wire_type(const na_provider_t *prov)
{
    switch (prov->kind) {
    case NA_PROVIDER_EMAIL:
        return "email";
    case NA_PROVIDER_CREDENTIALS:
        return "credentials";
    default:
        return "oauth";
    }
}

static const char *na_provider_check_oauth(apr_pool_t *p, const na_provider_t *prov)
{
    if (prov->client_id == NULL || prov->client_secret == NULL) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER
                            " %s: clientId= and clientSecret= are required; "
                            "accepted: clientId=ID clientSecret=VALUE, file:PATH or env:NAME",
                            prov->id);
    }
    /* Every ID token's iss is checked against it: without one there is nothing to check. */
    if (prov->kind == NA_PROVIDER_OIDC && prov->issuer == NULL) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER
                            " %s: an OpenID provider needs issuer=, which "
                            "every ID token's iss must equal (authorization=, token=, jwks= "
                            "may override what its discovery says); accepted: "
                            "issuer=https://idp.example.com",
                            prov->id);
    }
    if (prov->kind == NA_PROVIDER_OAUTH
        && (prov->authorization == NULL || prov->token == NULL || prov->userinfo == NULL)) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER " %s: an OAuth 2 provider needs "
                                            "authorization=, token= and userinfo= URLs",
                            prov->id);
    }
    return NULL;
}

static const char *na_provider_check_email(apr_pool_t *p, const na_provider_t *prov)
{
    apr_uri_t uri;
    const char *from_name = NULL;

    if (prov->server
        && (apr_uri_parse(p, prov->server, &uri) != APR_SUCCESS || uri.scheme == NULL
            || uri.hostname == NULL
            || (strcasecmp(uri.scheme, "smtp") && strcasecmp(uri.scheme, "smtps")))) {
        /* The URL may carry a password, so it is not echoed. */
        return apr_psprintf(p,
                            NA_DIR_PROVIDER
                            " %s server: not an SMTP URL; accepted: "
                            "smtp://host[:port] or smtps://host[:port], optionally with "
                            "user:password@",
                            prov->id);
    }
    /* The same rules as at send time (na_mail.h), so apachectl -t catches a bad sender. */
    if (prov->from
        && (strchr(prov->from, '@') == NULL || strpbrk(prov->from, "\r\n,;")
            || na_mail_from_address(p, prov->from, &from_name) == NULL)) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER
                            " %s from='%s': not one e-mail address; "
                            "accepted: e.g. noreply@example.com or \"Site <noreply@example.com>\"",
                            prov->id, prov->from);
    }
    return NULL;
}

const char *na_provider_check(apr_pool_t *p, const na_provider_t *prov)
{
    switch (prov->kind) {
    case NA_PROVIDER_OAUTH:
    case NA_PROVIDER_OIDC:
        return na_provider_check_oauth(p, prov);
    case NA_PROVIDER_EMAIL:
        return na_provider_check_email(p, prov);
    default:
        return NULL;
    }
}
