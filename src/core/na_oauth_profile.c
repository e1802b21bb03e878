/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>

#include "na_email.h"
#include "na_json.h"
#include "na_oauth.h"

/* How na_oauth_text treats what it finds. */
#define NA_TEXT_CUT 1       /* cut a long text on a character boundary instead of refusing */
#define NA_TEXT_CTL_SPACE 2 /* write control characters as spaces instead of refusing */
#define NA_TEXT_NO_SPACE 4  /* refuse spaces too (emails, URLs) */

#define NA_DISCORD_CDN "https://cdn.discordapp.com/"

/* Length of the UTF-8 sequence at s (with `avail` bytes left), 0 when invalid: overlong
 * forms, surrogates and code points past U+10FFFF are refused. */
static apr_size_t na_oauth_utf8_seq(const unsigned char *s, apr_size_t avail)
{
    unsigned cp;
    apr_size_t n, i;

    if (s[0] < 0x80) {
        return 1;
    }
    n = (s[0] >= 0xc2 && s[0] <= 0xdf)   ? 2
        : (s[0] >= 0xe0 && s[0] <= 0xef) ? 3
        : (s[0] >= 0xf0 && s[0] <= 0xf4) ? 4
                                         : 0;
    if (n == 0 || avail < n) {
        return 0;
    }
    cp = s[0] & (0x7f >> n);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
        || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return n;
}

/* A checked copy of len bytes of s, at most max bytes (see NA_TEXT_*); NULL when refused.
 * jansson already refuses bad UTF-8 when parsing; this also guards objects built
 * otherwise, and the identity headers and pages that show these strings. */
static const char *na_oauth_text(apr_pool_t *p, const char *s, apr_size_t len, apr_size_t max,
                                 int flags)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, n;
    char *out;

    if (s == NULL || (len > max && !(flags & NA_TEXT_CUT))) {
        return NULL;
    }
    out = apr_palloc(p, (len > max ? max : len) + 1);
    while (i < len) {
        if ((n = na_oauth_utf8_seq(u + i, len - i)) == 0) {
            return NULL;
        }
        if (i + n > max) {
            break;
        }
        if (n == 1
            && (u[i] < 0x20 || u[i] == 0x7f || (u[i] == ' ' && (flags & NA_TEXT_NO_SPACE)))) {
            if (!(flags & NA_TEXT_CTL_SPACE) || u[i] == ' ') {
                return NULL;
            }
            out[i] = ' ';
        }
        else {
            memcpy(out + i, s + i, n);
        }
        i += n;
    }
    out[i] = '\0';
    return out;
}

static const char *na_oauth_json_text(apr_pool_t *p, const json_t *v, apr_size_t max, int flags)
{
    if (!json_is_string(v)) {
        return NULL;
    }
    return na_oauth_text(p, json_string_value(v), json_string_length(v), max, flags);
}

/* next-auth's `profile.id.toString()`: a string as is, an integer in decimal. */
static const char *na_oauth_clean_id(apr_pool_t *p, const json_t *v, int string_only)
{
    const char *id;

    if (json_is_integer(v) && !string_only) {
        /* APR's formatter knows APR_INT64_T_FMT, not jansson's "lld". */
        return apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(v));
    }
    id = na_oauth_json_text(p, v, NA_OAUTH_MAX_ID, 0);
    return id && *id ? id : NULL;
}

/* A name for pages and headers: capped, never failing the sign-in. */
static const char *na_oauth_clean_name(apr_pool_t *p, const json_t *v)
{
    const char *name = na_oauth_json_text(p, v, NA_OAUTH_MAX_NAME, NA_TEXT_CUT | NA_TEXT_CTL_SPACE);

    return name && *name ? name : NULL;
}

/* next-auth lower-cases the email (String.toLowerCase). We fold it as the e-mail provider
 * does (NFKC, case fold, one '@'): an IdP's "Victim@Corp.com" or "ｖｉｃｔｉｍ@corp.com"
 * must name the same user a magic link to victim@corp.com names, and "a@corp.com@evil"
 * none, or Require nextauth-email and account linking could be fooled. */
static const char *na_oauth_clean_email(apr_pool_t *p, const json_t *v)
{
    const char *email = na_oauth_json_text(p, v, NA_OAUTH_MAX_EMAIL, NA_TEXT_NO_SPACE);
    const char *folded = NULL;

    if (email == NULL || na_email_normalize(p, email, &folded, NULL) != NA_OK
        || strlen(folded) > NA_OAUTH_MAX_EMAIL) {
        return NULL;
    }
    return folded;
}

/* An avatar the pages may put in <img src>: http(s) only, so no javascript: or data:. */
static const char *na_oauth_clean_image(apr_pool_t *p, const char *s)
{
    if (s == NULL || (strncasecmp(s, "https://", 8) != 0 && strncasecmp(s, "http://", 7) != 0)) {
        return NULL;
    }
    return na_oauth_text(p, s, strlen(s), NA_OAUTH_MAX_IMAGE, NA_TEXT_NO_SPACE);
}

/* `a ?? b` of next-auth's profile(): b when a is absent or null. We also take b when a
 * is of a wrong type or refused, since a name is never worth failing a sign-in. */
static const char *na_oauth_name_or(apr_pool_t *p, const json_t *raw, const char *a, const char *b)
{
    const char *name = na_oauth_clean_name(p, json_object_get(raw, a));

    return name ? name : na_oauth_clean_name(p, json_object_get(raw, b));
}

/* 1 when s is 1..max characters from `set`, which is what goes into a CDN path. */
static int na_oauth_token_chars(const char *s, const char *set, apr_size_t max)
{
    return s && *s && strlen(s) <= max && strspn(s, set) == strlen(s);
}

/* next-auth's Discord profile(): a custom avatar (animated ones, "a_...", as gif), or
 * the default avatar chosen by discriminator % 5. Values that would not make a clean
 * CDN path give no image. */
static const char *na_oauth_discord_image(apr_pool_t *p, const json_t *raw, const char *id)
{
    static const char digits[] = "0123456789";
    const json_t *avatar = json_object_get(raw, "avatar");
    const char *hash = json_string_value(avatar);
    const char *disc = json_string_value(json_object_get(raw, "discriminator"));

    if (avatar == NULL || json_is_null(avatar)) {
        if (!na_oauth_token_chars(disc, digits, 8)) {
            return NULL;
        }
        return apr_psprintf(p, NA_DISCORD_CDN "embed/avatars/%d.png", atoi(disc) % 5);
    }
    if (!na_oauth_token_chars(id, digits, 32)
        || !na_oauth_token_chars(hash,
                                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789_",
                                 64)) {
        return NULL;
    }
    return apr_psprintf(p, NA_DISCORD_CDN "avatars/%s/%s.%s", id, hash,
                        strncmp(hash, "a_", 2) == 0 ? "gif" : "png");
}

na_oauth_profile_e na_oauth_profile_for(const na_provider_t *prov)
{
    if (prov->kind != NA_PROVIDER_OAUTH) {
        return NA_OAUTH_PROFILE_OIDC;
    }
    if (strcmp(prov->id, "github") == 0) {
        return NA_OAUTH_PROFILE_GITHUB;
    }
    if (strcmp(prov->id, "gitlab") == 0) {
        return NA_OAUTH_PROFILE_GITLAB;
    }
    if (strcmp(prov->id, "discord") == 0) {
        return NA_OAUTH_PROFILE_DISCORD;
    }
    return NA_OAUTH_PROFILE_OIDC;
}

na_status_t na_oauth_profile_map(apr_pool_t *p, int profile, const json_t *raw,
                                 na_oauth_user_t *out, na_err_t *err)
{
    int oidc = profile == NA_OAUTH_PROFILE_OIDC;
    const char *id;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(raw)) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK, "profile is not an object");
    }
    id = na_oauth_clean_id(p, json_object_get(raw, oidc ? "sub" : "id"), oidc);
    if (id == NULL) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "profile %s is missing, empty, too long or not a plain %s",
                          oidc ? "sub" : "id", oidc ? "string" : "string or integer");
    }
    out->id = id;
    out->email = na_oauth_clean_email(p, json_object_get(raw, "email"));
    out->email_verified = na_oauth_claim_bool(raw, "email_verified");
    switch (profile) {
    case NA_OAUTH_PROFILE_GITHUB:
        out->name = na_oauth_name_or(p, raw, "name", "login");
        out->image = na_oauth_clean_image(p, json_string_value(json_object_get(raw, "avatar_url")));
        break;
    case NA_OAUTH_PROFILE_GITLAB:
        out->name = na_oauth_name_or(p, raw, "name", "username");
        out->image = na_oauth_clean_image(p, json_string_value(json_object_get(raw, "avatar_url")));
        break;
    case NA_OAUTH_PROFILE_DISCORD:
        out->name = na_oauth_clean_name(p, json_object_get(raw, "username"));
        out->image = na_oauth_discord_image(p, raw, id);
        break;
    default:
        out->name = na_oauth_clean_name(p, json_object_get(raw, "name"));
        out->image = na_oauth_clean_image(p, json_string_value(json_object_get(raw, "picture")));
    }
    return NA_OK;
}

int na_oauth_claim_bool(const json_t *claims, const char *name)
{
    const json_t *v = json_object_get(claims, name);
    const char *s = json_string_value(v);

    if (json_is_boolean(v)) {
        return json_is_true(v);
    }
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
        return s[0] == 't';
    }
    return -1;
}

na_status_t na_oauth_idtoken_user(apr_pool_t *p, const char *payload, apr_size_t len,
                                  na_oauth_user_t *out, na_err_t *err)
{
    json_t *claims = na_json_load(p, payload, len, NA_HTTP_MAX_RESP_LIMIT);

    memset(out, 0, sizeof(*out));
    if (claims == NULL) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "ID token payload is not a JSON object");
    }
    return na_oauth_profile_map(p, NA_OAUTH_PROFILE_OIDC, claims, out, err);
}

int na_oauth_user_drop_unverified(na_oauth_user_t *user, int trust_email)
{
    if (user->email == NULL || user->email_verified != 0 || trust_email) {
        return 0;
    }
    user->email = NULL;
    return 1;
}

na_status_t na_oauth_userinfo_parse(apr_pool_t *p, int profile, const na_http_response_t *resp,
                                    na_oauth_user_t *out, na_err_t *err)
{
    json_t *obj;

    memset(out, 0, sizeof(*out));
    if (resp->status < 200 || resp->status > 299) {
        return na_err_set(p, err, NA_EPEER, NA_OAUTH_ERR_CALLBACK, "userinfo answered HTTP %d",
                          resp->status);
    }
    if ((obj = na_json_load(p, resp->body, resp->len, NA_HTTP_MAX_RESP_LIMIT)) == NULL) {
        return na_err_set(p, err, NA_EPEER, NA_OAUTH_ERR_CALLBACK,
                          "userinfo answer is not a JSON object (Content-Type %s)",
                          na_http_log_safe(p, resp->content_type, 64));
    }
    return na_oauth_profile_map(p, profile, obj, out, err);
}

/* The email of a verified entry of GitHub's list, or NULL. */
static const char *na_oauth_github_pick(apr_pool_t *p, json_t *list, int want_primary)
{
    json_t *item;
    size_t i;

    json_array_foreach(list, i, item)
    {
        const char *email;
        if (!json_is_true(json_object_get(item, "verified"))
            || (want_primary && !json_is_true(json_object_get(item, "primary")))) {
            continue;
        }
        if ((email = na_oauth_clean_email(p, json_object_get(item, "email"))) != NULL) {
            return email;
        }
    }
    return NULL;
}

na_status_t na_oauth_github_email(apr_pool_t *p, const na_http_response_t *resp, const char **email,
                                  na_err_t *err)
{
    json_t *list;

    *email = NULL;
    /* next-auth keeps the profile without an email when the API refuses (`if (res.ok)`). */
    if (resp->status < 200 || resp->status > 299) {
        return NA_OK;
    }
    list = json_loadb(resp->body, resp->len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_array(list)) {
        json_decref(list);
        return na_err_set(p, err, NA_EPEER, NA_OAUTH_ERR_CALLBACK,
                          "GitHub emails answer is not a JSON array");
    }
    /* next-auth takes the primary entry, or else the first, verified or not; an
     * unverified address must not name a user, so only verified ones are taken here. */
    *email = na_oauth_github_pick(p, list, 1);
    if (*email == NULL) {
        *email = na_oauth_github_pick(p, list, 0);
    }
    json_decref(list);
    return NA_OK;
}
