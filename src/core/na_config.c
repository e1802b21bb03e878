/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_event.h"
#include "na_kv.h"
#include "na_secret.h"

#define NA_MAX_PROVIDERS 32

static const char *const na_scheme_names[] = {"auto", "light", "dark", NULL};
static const char *const na_strategy_names[] = {"jwt", "database", NULL};
static const char *const na_secure_names[] = {"auto", "on", "off", NULL};
static const char *const na_unauth_names[] = {"redirect", "401", "pass", NULL};
/* In NA_EXPOSE_* bit order. */
static const char *const na_expose_names[] = {"accessToken", "error", NULL};

static const na_kv_spec_t na_pages_keys[] = {
    {"signIn", NA_KV_PATH, NULL, 0, offsetof(na_pages_t, signin)},
    {"signOut", NA_KV_PATH, NULL, 0, offsetof(na_pages_t, signout)},
    {"error", NA_KV_PATH, NULL, 0, offsetof(na_pages_t, error)},
    {"verifyRequest", NA_KV_PATH, NULL, 0, offsetof(na_pages_t, verify_request)},
    {"newUser", NA_KV_PATH, NULL, 0, offsetof(na_pages_t, new_user)},
    {NULL, 0, NULL, 0, 0},
};

static const na_kv_spec_t na_theme_keys[] = {
    {"colorScheme", NA_KV_ENUM, na_scheme_names, 0, offsetof(na_theme_t, color_scheme)},
    {"brandColor", NA_KV_COLOR, NULL, 0, offsetof(na_theme_t, brand_color)},
    {"logo", NA_KV_IMAGE, NULL, 0, offsetof(na_theme_t, logo)},
    {"buttonText", NA_KV_COLOR, NULL, 0, offsetof(na_theme_t, button_text)},
    {NULL, 0, NULL, 0, 0},
};

static const na_kv_spec_t na_session_keys[] = {
    {"strategy", NA_KV_ENUM, na_strategy_names, 0, offsetof(na_session_conf_t, strategy)},
    {"maxAge", NA_KV_UINT, NULL, 0, offsetof(na_session_conf_t, max_age)},
    {"updateAge", NA_KV_UINT, NULL, 0, offsetof(na_session_conf_t, update_age)},
    {"idle", NA_KV_UINT, NULL, 0, offsetof(na_session_conf_t, idle)},
    {"absolute", NA_KV_UINT, NULL, 0, offsetof(na_session_conf_t, absolute)},
    {"expose", NA_KV_LIST, na_expose_names, 0, offsetof(na_session_conf_t, expose)},
    {NULL, 0, NULL, 0, 0},
};

static const na_kv_spec_t na_cookie_keys[] = {
    {"secure", NA_KV_ENUM, na_secure_names, 0, offsetof(na_cookie_conf_t, secure)},
    {"domain", NA_KV_HOST, NULL, 0, offsetof(na_cookie_conf_t, domain)},
    {"prefix", NA_KV_NAMES, NULL, 0, offsetof(na_cookie_conf_t, prefix)},
    {"shared", NA_KV_ENUM, na_secure_names, 0, offsetof(na_cookie_conf_t, shared)},
    {NULL, 0, NULL, 0, 0},
};

na_server_conf_t *na_config_server_create(apr_pool_t *p)
{
    na_server_conf_t *c = apr_pcalloc(p, sizeof(*c));
    int i;

    c->theme.color_scheme = NA_UNSET;
    c->session.strategy = NA_UNSET;
    c->session.max_age = NA_UNSET;
    c->session.update_age = NA_UNSET;
    c->session.idle = NA_UNSET;
    c->session.absolute = NA_UNSET;
    c->session.expose = NA_UNSET;
    c->database = NA_UNSET;
    c->cookie.secure = NA_UNSET;
    c->cookie.shared = NA_UNSET;
    c->event_mask = NA_UNSET;
    c->refresh_before = NA_UNSET;
    c->revocation = NA_UNSET;
    c->revocation_fail_open = NA_UNSET;
    for (i = 0; i < NA_LIMIT_KINDS; i++) {
        c->rate_limit[i].count = NA_UNSET;
        c->rate_limit[i].seconds = NA_UNSET;
    }
    return c;
}

static void *na_merge_ptr(const void *add, const void *base)
{
    /* Merged configuration is read-only at run time; the cast only drops the const
     * that the merge callback's prototype puts on its inputs. */
    return (void *)(add ? add : base);
}

static apr_int64_t na_merge_int(apr_int64_t add, apr_int64_t base)
{
    return add != NA_UNSET ? add : base;
}

#define NA_MERGE_PTR(field) (c->field = na_merge_ptr(add->field, base->field))
#define NA_MERGE_INT(field) (c->field = na_merge_int(add->field, base->field))

/* Lists (secrets, providers, allow patterns) are replaced as a whole by a virtual host
 * that sets them; single values and the keys of key=value directives are merged one
 * by one, so a vhost can change one page and keep the others. */
na_server_conf_t *na_config_server_merge(apr_pool_t *p, const na_server_conf_t *base,
                                         const na_server_conf_t *add)
{
    na_server_conf_t *c = apr_pcalloc(p, sizeof(*c));
    int i;

    c->touched = add->touched || base->touched;
    NA_MERGE_PTR(site);
    NA_MERGE_PTR(base_path);
    NA_MERGE_PTR(secrets);
    NA_MERGE_PTR(providers);
    NA_MERGE_PTR(pages.signin);
    NA_MERGE_PTR(pages.signout);
    NA_MERGE_PTR(pages.error);
    NA_MERGE_PTR(pages.verify_request);
    NA_MERGE_PTR(pages.new_user);
    NA_MERGE_INT(theme.color_scheme);
    NA_MERGE_PTR(theme.brand_color);
    NA_MERGE_PTR(theme.logo);
    NA_MERGE_PTR(theme.button_text);
    NA_MERGE_INT(session.strategy);
    NA_MERGE_INT(session.max_age);
    NA_MERGE_INT(session.update_age);
    NA_MERGE_INT(session.idle);
    NA_MERGE_INT(session.absolute);
    NA_MERGE_INT(session.expose);
    NA_MERGE_INT(database);
    NA_MERGE_PTR(signin_allow);
    NA_MERGE_PTR(redirect_allow);
    NA_MERGE_INT(cookie.secure);
    NA_MERGE_PTR(cookie.domain);
    NA_MERGE_PTR(cookie.prefix);
    NA_MERGE_INT(cookie.shared);
    for (i = 0; i < NA_LIMIT_KINDS; i++) {
        NA_MERGE_INT(rate_limit[i].count);
        NA_MERGE_INT(rate_limit[i].seconds);
    }
    NA_MERGE_PTR(rate_limit_cache);
    NA_MERGE_PTR(event_log);
    NA_MERGE_INT(event_mask);
    NA_MERGE_PTR(token_cache);
    NA_MERGE_INT(refresh_before);
    NA_MERGE_INT(revocation);
    NA_MERGE_PTR(revocation_cache);
    NA_MERGE_INT(revocation_fail_open);
    return c;
}

na_dir_conf_t *na_config_dir_create(apr_pool_t *p)
{
    na_dir_conf_t *d = apr_pcalloc(p, sizeof(*d));

    d->unauthenticated = NA_UNSET;
    d->strip_cookies = NA_UNSET;
    d->identity_headers = NA_UNSET;
    d->metrics = NA_UNSET;
    d->pass_tokens = NA_UNSET;
    d->pass_tokens_as = NA_UNSET;
    d->bearer = NA_UNSET;
    return d;
}

na_dir_conf_t *na_config_dir_merge(apr_pool_t *p, const na_dir_conf_t *base,
                                   const na_dir_conf_t *add)
{
    na_dir_conf_t *c = apr_pcalloc(p, sizeof(*c));

    NA_MERGE_INT(unauthenticated);
    NA_MERGE_INT(strip_cookies);
    NA_MERGE_INT(identity_headers);
    NA_MERGE_INT(metrics);
    NA_MERGE_INT(pass_tokens);
    NA_MERGE_INT(pass_tokens_as);
    NA_MERGE_PTR(pass_claims);
    NA_MERGE_INT(bearer);
    NA_MERGE_PTR(bearer_issuer);
    NA_MERGE_PTR(bearer_audiences);
    return c;
}

const char *na_config_set_url(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    na_site_t *site = apr_pcalloc(p, sizeof(*site));
    const char *msg = na_url_parse_site(p, value, site);

    if (msg) {
        return apr_psprintf(p, NA_DIR_URL " '%s': %s", value, msg);
    }
    c->site = site;
    c->touched = 1;
    return NULL;
}

const char *na_config_set_base_path(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    char *path = apr_pstrdup(p, value);
    apr_size_t n = strlen(path);

    while (n > 1 && path[n - 1] == '/') {
        path[--n] = '\0';
    }
    if (!na_kv_is_local_path(path) || n < 2 || strpbrk(path, "?%") || strstr(path, "/.")) {
        return apr_psprintf(p,
                            NA_DIR_BASE_PATH
                            " '%s': accepted: a local path below the site "
                            "root without query, '%%' or dot segments, e.g. /api/auth",
                            value);
    }
    c->base_path = path;
    c->touched = 1;
    return NULL;
}

const char *na_config_add_secret(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    const char *secret = NULL;
    const char *msg = na_secret_resolve(p, value, &secret);

    if (msg) {
        return apr_pstrcat(
            p, NA_DIR_SECRET ": ", msg,
            strstr(msg, "; accepted: ") ? "" : "; accepted: a literal value, file:PATH or env:NAME",
            NULL);
    }
    if (c->secrets == NULL) {
        c->secrets = apr_array_make(p, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(c->secrets, const char *) = secret;
    c->touched = 1;
    return NULL;
}

const na_provider_t *na_config_provider(const na_server_conf_t *c, const char *id)
{
    int i;

    for (i = 0; c->providers && i < c->providers->nelts; i++) {
        const na_provider_t *prov = APR_ARRAY_IDX(c->providers, i, const na_provider_t *);
        if (strcmp(prov->id, id) == 0) {
            return prov;
        }
    }
    return NULL;
}

const char *na_config_add_provider(apr_pool_t *p, na_server_conf_t *c, int argc,
                                   const char *const *argv)
{
    na_provider_t *prov = NULL;
    const char *msg = na_provider_parse(p, argc, argv, &prov);

    if (msg) {
        return msg;
    }
    if ((msg = na_provider_check(p, prov)) != NULL) {
        return msg;
    }
    if (na_config_provider(c, prov->id)) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER
                            " %s: duplicate provider id; accepted: each id "
                            "once per server (use type= and another id for a second one)",
                            prov->id);
    }
    if (c->providers == NULL) {
        c->providers = apr_array_make(p, 4, sizeof(na_provider_t *));
    }
    if (c->providers->nelts >= NA_MAX_PROVIDERS) {
        return apr_psprintf(p,
                            NA_DIR_PROVIDER " %s: more than %d providers; accepted: at most "
                                            "%d per server",
                            prov->id, NA_MAX_PROVIDERS, NA_MAX_PROVIDERS);
    }
    APR_ARRAY_PUSH(c->providers, na_provider_t *) = prov;
    c->touched = 1;
    return NULL;
}

static const char *na_config_kv(apr_pool_t *p, const char *directive, const na_kv_spec_t *spec,
                                int argc, const char *const *argv, void *target)
{
    na_kv_call_t call = {directive, NULL, spec, 0, NULL, NULL};

    if (argc < 1) {
        return apr_psprintf(p, "%s needs key=value arguments; accepted keys: %s", directive,
                            na_kv_accepted(p, spec, 0));
    }
    return na_kv_parse(p, &call, argc, argv, target, NULL);
}

/* Only an accepted line marks the server as configured: a rejected one changes nothing. */
static const char *na_config_kv_touch(apr_pool_t *p, na_server_conf_t *c, const char *directive,
                                      const na_kv_spec_t *spec, int argc, const char *const *argv,
                                      void *target)
{
    const char *msg = na_config_kv(p, directive, spec, argc, argv, target);

    if (msg == NULL) {
        c->touched = 1;
    }
    return msg;
}

const char *na_config_set_pages(apr_pool_t *p, na_server_conf_t *c, int argc,
                                const char *const *argv)
{
    return na_config_kv_touch(p, c, NA_DIR_PAGES, na_pages_keys, argc, argv, &c->pages);
}

const char *na_config_set_theme(apr_pool_t *p, na_server_conf_t *c, int argc,
                                const char *const *argv)
{
    return na_config_kv_touch(p, c, NA_DIR_THEME, na_theme_keys, argc, argv, &c->theme);
}

/* idle= and absolute= before na_kv: its seconds (1 to ten years) would name the wrong
 * range. Their bounds against maxAge and each other wait for na_config_check, as either
 * may come from another line or the main server. */
static const char *na_config_check_timeout_word(apr_pool_t *p, const char *word)
{
    const char *eq = strchr(word, '='), *v = eq ? eq + 1 : "";
    int idle = eq && (apr_size_t)(eq - word) == 4 && strncasecmp(word, "idle", 4) == 0;
    int absolute = eq && (apr_size_t)(eq - word) == 8 && strncasecmp(word, "absolute", 8) == 0;
    apr_size_t digits = strspn(v, "0123456789");

    if (!idle && !absolute) {
        return NULL;
    }
    if (*v && v[digits] == '\0' && digits <= 9 && apr_atoi64(v) >= NA_SESSION_MIN_TIMEOUT
        && apr_atoi64(v) <= NA_SESSION_MAX_TIMEOUT) {
        return NULL;
    }
    return apr_psprintf(
        p, NA_DIR_SESSION " %s='%s': accepted: %s", idle ? "idle" : "absolute", na_kv_echo(p, v),
        idle ? "60 seconds up to maxAge" : "60 to 315360000 seconds (ten years), not below idle");
}

const char *na_config_set_session(apr_pool_t *p, na_server_conf_t *c, int argc,
                                  const char *const *argv)
{
    const char *msg;
    int i;

    for (i = 0; i < argc; i++) {
        if ((msg = na_config_check_timeout_word(p, argv[i])) != NULL) {
            return msg;
        }
    }
    return na_config_kv_touch(p, c, NA_DIR_SESSION, na_session_keys, argc, argv, &c->session);
}

const char *na_config_set_cookie(apr_pool_t *p, na_server_conf_t *c, int argc,
                                 const char *const *argv)
{
    na_cookie_conf_t parsed = c->cookie;
    apr_array_header_t *prefix = NULL;
    const char *msg;

    /* prefix is one name; NA_KV_NAMES gives an array, so parse into a scratch copy. */
    parsed.prefix = NULL;
    if ((msg = na_config_kv(p, NA_DIR_COOKIE, na_cookie_keys, argc, argv, &parsed)) != NULL) {
        return msg;
    }
    prefix = (apr_array_header_t *)parsed.prefix;
    if (prefix && prefix->nelts != 1) {
        return apr_psprintf(p,
                            NA_DIR_COOKIE " prefix='%s': one name is needed; accepted: "
                                          "a name such as next-auth or myapp",
                            apr_array_pstrcat(p, prefix, ','));
    }
    parsed.prefix = prefix ? APR_ARRAY_IDX(prefix, 0, const char *) : c->cookie.prefix;
    c->cookie = parsed;
    c->touched = 1;
    return NULL;
}

const char *na_config_set_database(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    if (strcasecmp(value, "dbd") == 0) {
        c->database = 1;
    }
    else if (strcasecmp(value, "off") == 0) {
        c->database = 0;
    }
    else {
        return apr_psprintf(p, NA_DIR_DATABASE " '%s': accepted: dbd, off", value);
    }
    c->touched = 1;
    return NULL;
}

/* "*", "*@example.com", "alice@example.org", "*.example.com" after the '@' too. */
static int na_config_valid_email_pattern(const char *s)
{
    const char *at = strchr(s, '@');

    if (strcmp(s, "*") == 0) {
        return 1;
    }
    if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@')) {
        return 0;
    }
    for (; *s; s++) {
        if ((unsigned char)*s <= 0x20 || *s == 0x7f || strchr("\"',;<>\\()[]", *s)) {
            return 0;
        }
    }
    return 1;
}

const char *na_config_add_signin_allow(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    char *pattern = apr_pstrdup(p, value), *s;

    if (!na_config_valid_email_pattern(value)) {
        return apr_psprintf(p,
                            NA_DIR_SIGNIN_ALLOW " '%s': accepted: e-mail patterns such as "
                                                "*@example.com, alice@example.org or *",
                            value);
    }
    for (s = pattern; *s; s++) {
        *s = (char)apr_tolower(*s);
    }
    if (c->signin_allow == NULL) {
        c->signin_allow = apr_array_make(p, 4, sizeof(const char *));
    }
    APR_ARRAY_PUSH(c->signin_allow, const char *) = pattern;
    c->touched = 1;
    return NULL;
}

const char *na_config_add_redirect_allow(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    na_origin_t *origin = apr_pcalloc(p, sizeof(*origin));
    const char *msg = na_url_parse_origin(p, value, origin);

    if (msg) {
        return apr_psprintf(p, NA_DIR_REDIRECT_ALLOW " '%s': %s", value, msg);
    }
    if (c->redirect_allow == NULL) {
        c->redirect_allow = apr_array_make(p, 4, sizeof(na_origin_t *));
    }
    APR_ARRAY_PUSH(c->redirect_allow, na_origin_t *) = origin;
    c->touched = 1;
    return NULL;
}

/* Rate limits are no sign-in configuration: they leave `touched` alone, so a global
 * NextAuthRateLimit does not switch the module on in every virtual host. */
const char *na_config_set_rate_limit(apr_pool_t *p, na_server_conf_t *c, int argc,
                                     const char *const *argv)
{
    return na_limit_parse_directive(p, NA_DIR_RATE_LIMIT, c->rate_limit, argc, argv);
}

const char *na_config_set_rate_limit_cache(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    const char *provider = NULL, *args = NULL;
    const char *msg = na_limit_parse_cache(p, NA_DIR_RATE_LIMIT_CACHE, value, &provider, &args);

    if (msg == NULL) {
        c->rate_limit_cache = apr_pstrdup(p, value);
    }
    return msg;
}

/* An audit log is no sign-in configuration either: `touched` stays as it is. */
const char *na_config_set_event_log(apr_pool_t *p, na_server_conf_t *c, const char *target,
                                    const char *option)
{
    unsigned mask = NA_EVENT_DEFAULT_MASK;
    const char *msg;

    if (*target == '\0' || (target[0] == '|' && target[1 + strspn(target + 1, "|$ \t")] == '\0')) {
        return apr_psprintf(p,
                            NA_DIR_EVENT_LOG " '%s': no file or command; accepted: a file "
                                             "(relative to ServerRoot) or \"|command\"",
                            target);
    }
    if (option && strncmp(option, "events=", 7) != 0) {
        return apr_psprintf(p,
                            NA_DIR_EVENT_LOG " '%s': unknown option; accepted: "
                                             "events=NAME,NAME,...",
                            option);
    }
    if (option && (msg = na_event_parse_mask(p, NA_DIR_EVENT_LOG, option + 7, &mask)) != NULL) {
        return msg;
    }
    c->event_log = apr_pstrdup(p, target);
    c->event_mask = (int)mask;
    return NULL;
}

const char *na_config_set_unauthenticated(apr_pool_t *p, na_dir_conf_t *d, const char *value)
{
    int i;

    for (i = 0; na_unauth_names[i]; i++) {
        if (strcasecmp(na_unauth_names[i], value) == 0) {
            d->unauthenticated = i;
            return NULL;
        }
    }
    return apr_psprintf(p, NA_DIR_UNAUTHENTICATED " '%s': accepted: redirect, 401, pass", value);
}

static int na_config_has_kind(const na_server_conf_t *c, int kind)
{
    int i;

    for (i = 0; c->providers && i < c->providers->nelts; i++) {
        if (APR_ARRAY_IDX(c->providers, i, const na_provider_t *)->kind & kind) {
            return 1;
        }
    }
    return 0;
}

/* idle is measured from the token's iat, which a renewal moves: past maxAge the token has
 * expired first. absolute below idle would end every session before it could idle. */
static const char *na_config_check_session_timeouts(apr_pool_t *p, const na_server_conf_t *c)
{
    apr_int64_t idle = na_config_idle(c), absolute = na_config_absolute(c);

    if (idle > na_config_max_age(c)) {
        return apr_psprintf(p,
                            NA_DIR_SESSION " idle=%" APR_INT64_T_FMT
                                           " is longer than maxAge=%" APR_INT64_T_FMT
                                           "; accepted: idle 60 up to maxAge",
                            idle, na_config_max_age(c));
    }
    if (absolute && absolute < idle) {
        return apr_psprintf(p,
                            NA_DIR_SESSION " absolute=%" APR_INT64_T_FMT
                                           " is shorter than idle=%" APR_INT64_T_FMT
                                           "; accepted: absolute from idle up to 315360000 "
                                           "(ten years)",
                            absolute, idle);
    }
    return NULL;
}

const char *na_config_check(apr_pool_t *p, const na_server_conf_t *c)
{
    int n = c->providers ? c->providers->nelts : 0;
    const char *msg;

    if (n > 0 && (c->secrets == NULL || c->secrets->nelts == 0)) {
        return NA_DIR_SECRET
            " is required once a " NA_DIR_PROVIDER " is configured; accepted: "
            "a literal value, file:PATH or env:NAME (e.g. 32 random bytes, base64)";
    }
    if (na_config_has_kind(c, NA_PROVIDER_EMAIL) && c->database != 1) {
        return NA_DIR_PROVIDER
            " email: needs " NA_DIR_DATABASE " dbd, where the magic-link "
            "tokens are kept; accepted: add NextAuthDatabase dbd with DBDriver and DBDParams";
    }
    /* The magic link is mailed to someone who cannot check where it points: its origin is
     * never left to a request (a Host header would choose it). */
    if (na_config_has_kind(c, NA_PROVIDER_EMAIL) && c->site == NULL) {
        return NA_DIR_PROVIDER " email: needs " NA_DIR_URL ", the origin every magic link "
                               "points to; accepted: e.g. NextAuthURL https://www.example.com";
    }
    if ((msg = na_config_check_session_timeouts(p, c)) != NULL) {
        return msg;
    }
    if (na_config_strategy(c) == NA_STRATEGY_DATABASE && c->database != 1) {
        return NA_DIR_SESSION " strategy=database: needs " NA_DIR_DATABASE " dbd; accepted: "
                              "strategy=jwt, or add NextAuthDatabase dbd";
    }
    if (na_config_strategy(c) == NA_STRATEGY_DATABASE && n > 0
        && !na_config_has_kind(c, NA_PROVIDER_ANY_OAUTH | NA_PROVIDER_EMAIL)) {
        return NA_DIR_SESSION
            " strategy=database: credentials sign-ins always use JWT "
            "sessions (as in next-auth); accepted: strategy=jwt with only credentials";
    }
    return NULL;
}

const char *na_config_base_path(const na_server_conf_t *c)
{
    if (c->base_path) {
        return c->base_path;
    }
    if (c->site && *c->site->path) {
        return c->site->path;
    }
    return NA_DEFAULT_BASE_PATH;
}

apr_int64_t na_config_max_age(const na_server_conf_t *c)
{
    return c->session.max_age != NA_UNSET ? c->session.max_age : NA_DEFAULT_MAX_AGE;
}

apr_int64_t na_config_update_age(const na_server_conf_t *c)
{
    return c->session.update_age != NA_UNSET ? c->session.update_age : NA_DEFAULT_UPDATE_AGE;
}

int na_config_strategy(const na_server_conf_t *c)
{
    return c->session.strategy != NA_UNSET ? c->session.strategy : NA_STRATEGY_JWT;
}

apr_int64_t na_config_idle(const na_server_conf_t *c)
{
    return c->session.idle != NA_UNSET ? c->session.idle : 0;
}

apr_int64_t na_config_absolute(const na_server_conf_t *c)
{
    return c->session.absolute != NA_UNSET ? c->session.absolute : 0;
}

unsigned na_config_expose(const na_server_conf_t *c)
{
    return c->session.expose != NA_UNSET ? (unsigned)c->session.expose : 0;
}

int na_config_color_scheme(const na_server_conf_t *c)
{
    return c->theme.color_scheme != NA_UNSET ? c->theme.color_scheme : NA_SCHEME_AUTO;
}

int na_config_metrics(const na_dir_conf_t *d)
{
    return d && d->metrics == 1;
}

const char *na_config_cookie_prefix(const na_server_conf_t *c)
{
    return c->cookie.prefix ? c->cookie.prefix : NA_DEFAULT_COOKIE_PREFIX;
}
