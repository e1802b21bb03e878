/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_CONFIG_H
#define NA_CONFIG_H

#include "na_common.h"
#include "na_limit.h"
#include "na_provider.h"
#include "na_url.h"

/* The directive names (NA_DIR_*) are in na_directives.h. */

#define NA_DEFAULT_BASE_PATH "/api/auth"
#define NA_DEFAULT_MAX_AGE 2592000
#define NA_DEFAULT_UPDATE_AGE 86400
#define NA_DEFAULT_COOKIE_PREFIX "next-auth"

enum { NA_SCHEME_AUTO = 0, NA_SCHEME_LIGHT, NA_SCHEME_DARK };
enum { NA_STRATEGY_JWT = 0, NA_STRATEGY_DATABASE };
enum { NA_SECURE_AUTO = 0, NA_SECURE_ON, NA_SECURE_OFF };
/* NextAuthCookie shared=: on = next-auth's session key, off = bound to the site, auto =
 * bound only when another virtual host of a different site has one of the same secrets. */
enum { NA_SHARED_AUTO = 0, NA_SHARED_ON, NA_SHARED_OFF };
enum { NA_UNAUTH_REDIRECT = 0, NA_UNAUTH_401, NA_UNAUTH_PASS };
enum { NA_CHECK_INDEX_STATE = 0, NA_CHECK_INDEX_PKCE, NA_CHECK_INDEX_NONCE };
enum { NA_PASS_NONE = 0, NA_PASS_ACCESS, NA_PASS_ID };
enum { NA_PASS_AS_BEARER = 0, NA_PASS_AS_HEADER };
/** NextAuthRefresh off: access tokens are never refreshed. */
#define NA_REFRESH_OFF (-2)
/** NextAuthRefresh's default window: refresh a minute before the access token expires. */
#define NA_DEFAULT_REFRESH_BEFORE 60

typedef struct na_pages_t {
    const char *signin;
    const char *signout;
    const char *error;
    const char *verify_request;
    const char *new_user;
} na_pages_t;

typedef struct na_theme_t {
    int color_scheme; /**< NA_SCHEME_*, or NA_UNSET */
    const char *brand_color;
    const char *logo;
    const char *button_text;
} na_theme_t;

/** NextAuthSession expose= bits: what GET session adds to next-auth's shape. */
#define NA_EXPOSE_ACCESS_TOKEN 1u
#define NA_EXPOSE_ERROR 2u
/** The shortest idle= and absolute= accepted, in seconds. */
#define NA_SESSION_MIN_TIMEOUT 60
/** The longest absolute= accepted: ten years, as for every other number of seconds. */
#define NA_SESSION_MAX_TIMEOUT 315360000

typedef struct na_session_conf_t {
    int strategy;        /**< NA_STRATEGY_*, or NA_UNSET */
    int expose;          /**< expose=: NA_EXPOSE_* bits, or NA_UNSET (na_kv writes the bits
                              as unsigned, which may alias an int) */
    apr_int64_t max_age; /**< seconds, or NA_UNSET */
    apr_int64_t update_age;
    apr_int64_t idle;     /**< idle=: seconds since the token's iat, or NA_UNSET (none) */
    apr_int64_t absolute; /**< absolute=: seconds since sign-in, or NA_UNSET (none) */
} na_session_conf_t;

typedef struct na_cookie_conf_t {
    int secure; /**< NA_SECURE_*, or NA_UNSET */
    const char *domain;
    const char *prefix;
    int shared; /**< NA_SHARED_* (session keys across sites), or NA_UNSET */
} na_cookie_conf_t;

/** Server (virtual host) configuration. NULL / NA_UNSET means "inherit". */
typedef struct na_server_conf_t {
    int touched;                   /**< any NextAuth directive was given here */
    na_site_t *site;               /**< NextAuthURL */
    const char *base_path;         /**< NextAuthBasePath */
    apr_array_header_t *secrets;   /**< const char *; the first encrypts */
    apr_array_header_t *providers; /**< na_provider_t *, in configuration order */
    na_pages_t pages;
    na_theme_t theme;
    na_session_conf_t session;
    int database;                       /**< 1 dbd, 0 off, or NA_UNSET */
    apr_array_header_t *signin_allow;   /**< lower-case e-mail patterns */
    apr_array_header_t *redirect_allow; /**< na_origin_t * */
    na_cookie_conf_t cookie;
    na_rate_t rate_limit[NA_LIMIT_KINDS]; /**< NextAuthRateLimit, by na_limit_kind_e */
    const char *rate_limit_cache;         /**< NextAuthRateLimitCache (main server only) */
    const char *event_log;                /**< NextAuthEventLog: a path, or "|command" */
    int event_mask;          /**< NA_EVENT_BIT()s it records, set with event_log, or NA_UNSET */
    const char *token_cache; /**< NextAuthTokenCache (main server only) */
    apr_int64_t
        refresh_before; /**< NextAuthRefresh before=: seconds, NA_REFRESH_OFF, or NA_UNSET */
    int revocation;     /**< NextAuthRevocation: 1 on, 0 off, or NA_UNSET (on) */
    const char *revocation_cache; /**< its cache= (main server only), or NULL (shmcb) */
    int revocation_fail_open;     /**< its failOpen=: 1/0, or NA_UNSET (0) */
    /* Derived once at post_config from `secrets`, never per request. */
    const struct na_jwe_key_t *session_keys; /**< one per secret, same order */
    int session_nkeys;
    /** Keys of the state, PKCE and nonce cookies ([secure][NA_CHECK_INDEX_*]), one per
     *  secret: next-auth salts each with its cookie name, which the secure prefix changes. */
    const struct na_jwe_key_t *check_keys[2][3];
    /** Keys of the token records (na_tokens_key), one per secret, same order. */
    const struct na_jwe_key_t *token_keys;
    /** The revocation list's scope of each session key (a hash of it), same order. */
    const char *const *revoke_scopes;
} na_server_conf_t;

/** Per-directory configuration. */
typedef struct na_dir_conf_t {
    int unauthenticated;             /**< NA_UNAUTH_*, or NA_UNSET */
    int strip_cookies;               /**< 1/0, or NA_UNSET */
    int identity_headers;            /**< 1/0, or NA_UNSET */
    int metrics;                     /**< NextAuthMetrics: 1/0, or NA_UNSET */
    int pass_tokens;                 /**< NextAuthPassTokens: NA_PASS_*, or NA_UNSET */
    int pass_tokens_as;              /**< NA_PASS_AS_*, set with pass_tokens */
    apr_array_header_t *pass_claims; /**< NextAuthPassClaims names (const char *), or NULL */
    int bearer; /**< NextAuthBearer: 1 on (session tokens), 0 off, or NA_UNSET (on) */
    const struct na_provider_t *bearer_issuer; /**< issuer= as a provider to fetch its
                                                    discovery and JWKS with, or NULL */
    apr_array_header_t *bearer_audiences;      /**< audience= (const char *), with issuer */
} na_dir_conf_t;

na_server_conf_t *na_config_server_create(apr_pool_t *p);
na_server_conf_t *na_config_server_merge(apr_pool_t *p, const na_server_conf_t *base,
                                         const na_server_conf_t *add);
na_dir_conf_t *na_config_dir_create(apr_pool_t *p);
na_dir_conf_t *na_config_dir_merge(apr_pool_t *p, const na_dir_conf_t *base,
                                   const na_dir_conf_t *add);

/* Directive parsers. Each validates before it assigns and returns NULL or one line
 * naming the directive, the value and what is accepted. Words are already tokenized. */
const char *na_config_set_url(apr_pool_t *p, na_server_conf_t *c, const char *value);
const char *na_config_set_base_path(apr_pool_t *p, na_server_conf_t *c, const char *value);
const char *na_config_add_secret(apr_pool_t *p, na_server_conf_t *c, const char *value);
const char *na_config_add_provider(apr_pool_t *p, na_server_conf_t *c, int argc,
                                   const char *const *argv);
const char *na_config_set_pages(apr_pool_t *p, na_server_conf_t *c, int argc,
                                const char *const *argv);
const char *na_config_set_theme(apr_pool_t *p, na_server_conf_t *c, int argc,
                                const char *const *argv);
const char *na_config_set_session(apr_pool_t *p, na_server_conf_t *c, int argc,
                                  const char *const *argv);
const char *na_config_set_database(apr_pool_t *p, na_server_conf_t *c, const char *value);
const char *na_config_add_signin_allow(apr_pool_t *p, na_server_conf_t *c, const char *value);
const char *na_config_add_redirect_allow(apr_pool_t *p, na_server_conf_t *c, const char *value);
const char *na_config_set_cookie(apr_pool_t *p, na_server_conf_t *c, int argc,
                                 const char *const *argv);
const char *na_config_set_rate_limit(apr_pool_t *p, na_server_conf_t *c, int argc,
                                     const char *const *argv);
const char *na_config_set_rate_limit_cache(apr_pool_t *p, na_server_conf_t *c, const char *value);
/** NextAuthEventLog TARGET [events=LIST]: TARGET a path or "|command" (not resolved
 *  here), option NULL or events=... (na_event_parse_mask). Sets event_log and event_mask
 *  together, so a virtual host's own line never keeps the main server's event list. */
const char *na_config_set_event_log(apr_pool_t *p, na_server_conf_t *c, const char *target,
                                    const char *option);
const char *na_config_set_unauthenticated(apr_pool_t *p, na_dir_conf_t *d, const char *value);
const char *na_config_set_token_cache(apr_pool_t *p, na_server_conf_t *c, const char *value);
/** NextAuthRefresh before=SECONDS (0..86400) | off. */
const char *na_config_set_refresh(apr_pool_t *p, na_server_conf_t *c, const char *value);
/** NextAuthPassTokens access|id|none [as=bearer|header]. */
const char *na_config_set_pass_tokens(apr_pool_t *p, na_dir_conf_t *d, const char *what,
                                      const char *as);
/** NextAuthPassClaims NAME[,NAME...] ... (na_claim_list_parse). */
const char *na_config_set_revocation(apr_pool_t *p, na_server_conf_t *c, int argc,
                                     const char *const *argv);
const char *na_config_set_bearer(apr_pool_t *p, na_dir_conf_t *d, int argc,
                                 const char *const *argv);
/** 1 when the revocation list is kept (the default), 0 under NextAuthRevocation off. */
int na_config_revocation(const na_server_conf_t *c);
const char *na_config_set_pass_claims(apr_pool_t *p, na_dir_conf_t *d, int argc,
                                      const char *const *argv);
/** The refresh window of prov on server c: its refreshBefore=, else NextAuthRefresh, else
 *  NA_DEFAULT_REFRESH_BEFORE; NA_REFRESH_OFF when refreshing is off. */
apr_int64_t na_config_refresh_before(const na_server_conf_t *c, const na_provider_t *prov);

/**
 * Checks across directives, run on the merged configuration of one server
 * (providers need a secret, an email provider needs a database). NULL or a message.
 */
const char *na_config_check(apr_pool_t *p, const na_server_conf_t *c);

/* Effective values with defaults applied. */
const char *na_config_base_path(const na_server_conf_t *c);
apr_int64_t na_config_max_age(const na_server_conf_t *c);
apr_int64_t na_config_update_age(const na_server_conf_t *c);
int na_config_strategy(const na_server_conf_t *c);
/** NextAuthSession idle= and absolute= in seconds, 0 when not set (no such limit). */
apr_int64_t na_config_idle(const na_server_conf_t *c);
apr_int64_t na_config_absolute(const na_server_conf_t *c);
/** NextAuthSession expose=: NA_EXPOSE_* bits, 0 when not set. */
unsigned na_config_expose(const na_server_conf_t *c);
int na_config_color_scheme(const na_server_conf_t *c);
/** NextAuthMetrics: 1 when this directory serves the counters (default off). */
int na_config_metrics(const na_dir_conf_t *d);
const char *na_config_cookie_prefix(const na_server_conf_t *c);
/** Find a provider by id; NULL when there is none. */
const na_provider_t *na_config_provider(const na_server_conf_t *c, const char *id);

#endif
