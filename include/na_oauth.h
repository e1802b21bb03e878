/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_OAUTH_H
#define NA_OAUTH_H

#include <jansson.h>

#include "na_common.h"
#include "na_http.h"
#include "na_jwe.h"
#include "na_provider.h"

/*
 * OAuth 2 / OpenID Connect, the parts that need no httpd: the state/PKCE/nonce checks
 * and their cookies, the authorization URL, the token, userinfo and discovery requests
 * and answers, and the mapping of a profile to a user (SPEC §5, §6.1, §9).
 * Errors: functions of the sign-in step set err->code NA_OAUTH_ERR_SIGNIN, those of the
 * callback step NA_OAUTH_ERR_CALLBACK; discovery leaves it NULL (both steps use it).
 * err->detail is for the log and never holds a token, a code, a secret or a cookie.
 */

#define NA_OAUTH_ERR_SIGNIN "OAuthSignin"
#define NA_OAUTH_ERR_CALLBACK "OAuthCallback"
/** The refresh grant's failures: next-auth's documented session error for a failed
 *  refresh (the same text as NA_TOKENS_REFRESH_ERROR). */
#define NA_OAUTH_ERR_REFRESH "RefreshAccessTokenError"

/** state, nonce and PKCE verifier: 32 random bytes, base64url (openid-client's random). */
#define NA_OAUTH_RANDOM_BYTES 32
#define NA_OAUTH_RANDOM_LEN 43
/** Lifetime of a check cookie (next-auth's STATE/PKCE/NONCE_MAX_AGE), and the clock skew
 * allowed when reading one (next-auth's jwt decode). */
#define NA_OAUTH_CHECK_MAX_AGE 900
#define NA_OAUTH_CHECK_TOLERANCE 15

#define NA_OAUTH_WELL_KNOWN "/.well-known/openid-configuration"
#define NA_OAUTH_GITHUB_EMAILS_URL "https://api.github.com/user/emails"

/* Caps on the user fields taken from a profile (bytes). */
#define NA_OAUTH_MAX_ID 255
#define NA_OAUTH_MAX_NAME 256
#define NA_OAUTH_MAX_EMAIL 320
#define NA_OAUTH_MAX_IMAGE 2048

/* ---- checks ---------------------------------------------------------------------------- */

/** The values of one sign-in's checks; NULL for a check that is off. */
typedef struct na_oauth_checks_t {
    const char *state;
    const char *code_verifier;
    const char *nonce;
} na_oauth_checks_t;

/** NA_OAUTH_RANDOM_BYTES random bytes as base64url in *out (from p). NA_EINTERNAL when the
 * RNG fails. */
na_status_t na_oauth_random(apr_pool_t *p, const char **out);

/** The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)), from p. NULL only
 * if hashing fails. */
const char *na_oauth_pkce_challenge(apr_pool_t *p, const char *verifier);

/** Fresh values for the checks in `which` (NA_CHECK_* bits), the others NULL.
 * NA_EINTERNAL when the RNG fails. */
na_status_t na_oauth_checks_new(apr_pool_t *p, unsigned which, na_oauth_checks_t *out);

/* ---- authorization request ------------------------------------------------------------- */

typedef struct na_oauth_authorize_t {
    const na_provider_t *provider;   /**< client_id, scope, kind */
    const char *endpoint;            /**< configured or discovered; may carry a query */
    const char *redirect_uri;        /**< <site>/callback/<id> */
    const na_oauth_checks_t *checks; /**< may be NULL: no checks */
    const apr_table_t *extra;        /**< the sign-in request's query, or NULL */
} na_oauth_authorize_t;

/**
 * The URL to send the browser to: the endpoint without its fragment, its own query kept
 * (in order), then client_id, scope (the provider's; "openid" for an OIDC provider without
 * one; none otherwise), response_type=code, redirect_uri, the extra parameters, state,
 * code_challenge with code_challenge_method=S256, and nonce, each set once (a name already
 * present is replaced where it stands, as openid-client's searchParams.set does). Extra
 * parameters can never set client_id, redirect_uri, response_type, state, code_challenge,
 * code_challenge_method or nonce. Names and values are encoded as URLSearchParams does,
 * with spaces as %20. *url is from p.
 * NA_EINPUT (code OAuthSignin) when the endpoint is not an absolute http(s) URL or has a
 * malformed query, or client_id or redirect_uri is missing.
 */
na_status_t na_oauth_authorize_url(apr_pool_t *p, const na_oauth_authorize_t *in, const char **url,
                                   na_err_t *err);

/* ---- check cookies (next-auth 4.24.15 format) ------------------------------------------- */

/**
 * What a state/PKCE/nonce cookie is sealed and read with. keys[i] is
 * na_jwe_derive_key(secret_i, <full cookie name>): key 0 (the current secret) seals, any
 * opens. provider is the id of the provider handling this sign-in or callback.
 */
typedef struct na_oauth_check_ctx_t {
    const na_jwe_key_t *keys;
    int nkeys;
    const char *provider;
    apr_int64_t now; /**< Unix seconds */
} na_oauth_check_ctx_t;

/**
 * The cookie value: a JWE (dir/A256GCM) of {"value","provider","iat","exp","jti"} with
 * exp = now + NA_OAUTH_CHECK_MAX_AGE and a fresh UUID v4 jti, as next-auth's signCookie
 * makes it. *token is from p. NA_EINPUT when value or provider is missing, empty or not
 * UTF-8; NA_EINTERNAL when the RNG or OpenSSL fails.
 */
na_status_t na_oauth_check_encode(apr_pool_t *p, const na_oauth_check_ctx_t *ctx, const char *value,
                                  const char **token);

/**
 * Open a check cookie and return its value in *value (from p). The payload must be a
 * JSON object with a non-empty string value, a string provider equal to ctx->provider,
 * an integer exp in (now - 15 s, now + 900 s + 15 s] and an iat (when present) no later
 * than now + 15 s. Returns
 *  - NA_EDENIED when the cookie was minted for another provider (GHSA-x445-f3h2-j279);
 *  - NA_EEXPIRED when exp is past;
 *  - NA_ETOOBIG for an oversize token;
 *  - NA_EINPUT for anything else: wrong key, tampered, no provider (cookies of next-auth
 *    before 4.24.15), bad members.
 * err (may be NULL) gets code OAuthCallback and a detail without the value.
 */
na_status_t na_oauth_check_decode(apr_pool_t *p, const na_oauth_check_ctx_t *ctx, const char *token,
                                  const char **value, na_err_t *err);

/* ---- token endpoint -------------------------------------------------------------------- */

/** Client authentication at the token endpoint; bits so discovery can list several. */
#define NA_OAUTH_AUTH_BASIC 1u /**< client_secret_basic, the default */
#define NA_OAUTH_AUTH_POST 2u  /**< client_secret_post */

typedef struct na_oauth_token_req_t {
    const na_provider_t *provider; /**< client_id, client_secret, timeout */
    const char *endpoint;          /**< configured or discovered token endpoint */
    unsigned auth_method;          /**< NA_OAUTH_AUTH_BASIC or NA_OAUTH_AUTH_POST */
    const char *code;              /**< from the callback */
    const char *redirect_uri;      /**< the same as in the authorization request */
    const char *code_verifier;     /**< from the PKCE cookie; NULL when PKCE is off */
} na_oauth_token_req_t;

/**
 * Describe the token request in *out (strings from p): POST of grant_type=
 * authorization_code, code, redirect_uri, code_verifier (when given), and client_id and
 * client_secret for client_secret_post, or basic credentials for client_secret_basic;
 * Accept: application/json (GitHub answers form-encoded without it); the total timeout
 * from provider->timeout when set. The caller may still adjust timeouts and the limit.
 * NA_EINPUT (code OAuthCallback) when code, redirect_uri, endpoint or client_id is missing.
 */
na_status_t na_oauth_token_request(apr_pool_t *p, const na_oauth_token_req_t *in,
                                   na_http_request_t *out, na_err_t *err);

/** A token endpoint's answer; NULL for an absent (or null) member. */
typedef struct na_oauth_tokens_t {
    const char *access_token;
    const char *token_type;
    const char *id_token;
    const char *refresh_token;
    const char *scope; /**< an array answer is joined with spaces */
    const char *session_state;
    apr_int64_t expires_in; /**< seconds, or -1 when absent */
} na_oauth_tokens_t;

/**
 * Read a token endpoint's answer (strings from p). NA_EPEER (code OAuthCallback) when it
 * carries an `error` member (the log detail names that error code and the HTTP status),
 * when the status is not 2xx, when the body is not a JSON object (HTML, form-encoded,
 * truncated), when access_token is missing or not a string, or when token_type, id_token,
 * refresh_token, session_state (strings), scope (string or array of strings) or
 * expires_in (non-negative integer or digit string) has another type.
 */
na_status_t na_oauth_token_parse(apr_pool_t *p, const na_http_response_t *resp,
                                 na_oauth_tokens_t *out, na_err_t *err);

/**
 * The refresh_token grant (RFC 6749 section 6) in *out: POST of grant_type=refresh_token
 * and refresh_token, with the client authentication, Accept header and timeout of
 * na_oauth_token_request (in->code, redirect_uri and code_verifier are not used).
 * NA_EINPUT (code NA_OAUTH_ERR_REFRESH) when refresh_token, the endpoint or client_id is
 * missing.
 */
na_status_t na_oauth_refresh_request(apr_pool_t *p, const na_oauth_token_req_t *in,
                                     const char *refresh_token, na_http_request_t *out,
                                     na_err_t *err);

/**
 * A refresh answer, read as na_oauth_token_parse reads a code exchange's, except that an
 * `error` of invalid_grant (HTTP 400 or 401) is NA_EDENIED: the grant is gone and the
 * session must end. Every other failure (5xx, junk, no access_token) is NA_EPEER. err->code
 * is NA_OAUTH_ERR_REFRESH for both. The answer may omit refresh_token (no rotation: the
 * caller keeps the one it has) and id_token: those are then NULL in *out.
 */
na_status_t na_oauth_refresh_parse(apr_pool_t *p, const na_http_response_t *resp,
                                   na_oauth_tokens_t *out, na_err_t *err);

/** A GET of url with "Authorization: Bearer <access_token>" and the provider's timeout,
 * for userinfo and GitHub's emails API. */
void na_oauth_userinfo_request(const na_provider_t *prov, const char *url, const char *access_token,
                               na_http_request_t *out);

/* ---- OIDC discovery -------------------------------------------------------------------- */

typedef struct na_oauth_discovery_t {
    const char *issuer;
    const char *authorization_endpoint;
    const char *token_endpoint;
    const char *jwks_uri;
    const char *userinfo_endpoint;    /**< NULL when not advertised */
    const char *end_session_endpoint; /**< NULL when not advertised */
    unsigned auth_methods;            /**< NA_OAUTH_AUTH_* listed; BASIC when not advertised */
    int backchannel_logout;           /**< backchannel_logout_supported is true (1), else 0 */
} na_oauth_discovery_t;

/** Where an issuer's metadata lives: the issuer itself when its path already holds
 * "/.well-known/", else issuer + NA_OAUTH_WELL_KNOWN (one slash), as openid-client does. */
const char *na_oauth_discovery_url(apr_pool_t *p, const char *issuer);

/** A GET of na_oauth_discovery_url(prov->issuer) with the provider's timeout. */
void na_oauth_discovery_request(apr_pool_t *p, const na_provider_t *prov, na_http_request_t *out);

/**
 * Read an OpenID Provider Configuration (strings from p). NA_EPEER (NULL code) when the
 * status is not 200, the body is not a JSON object, its issuer is not exactly `issuer`
 * ("issuer mismatch"), authorization_endpoint, token_endpoint or jwks_uri is missing, or
 * any endpoint present is not an absolute http(s) URL, or is http while the issuer is
 * https, or token_endpoint_auth_methods_supported is not an array of strings.
 */
na_status_t na_oauth_discovery_parse(apr_pool_t *p, const char *issuer,
                                     const na_http_response_t *resp, na_oauth_discovery_t *out,
                                     na_err_t *err);

/** The method to use with a discovered provider: basic, unless the provider lists
 * client_secret_post but not client_secret_basic (openid-client's checkBasicSupport). */
unsigned na_oauth_discovery_auth_method(const na_oauth_discovery_t *d);

/* ---- profile -> user ------------------------------------------------------------------- */

/** Which next-auth provider's profile() to apply. */
typedef enum {
    NA_OAUTH_PROFILE_OIDC = 0, /**< id=sub, name, email, image=picture */
    NA_OAUTH_PROFILE_GITHUB,   /**< id=String(id), name ?? login, email, image=avatar_url */
    NA_OAUTH_PROFILE_GITLAB,   /**< id=String(id), name ?? username, email, avatar_url */
    NA_OAUTH_PROFILE_DISCORD   /**< id, username, email, image from the CDN */
} na_oauth_profile_e;

/** The user a sign-in makes; NULL for an absent field. */
typedef struct na_oauth_user_t {
    const char *id; /**< always set on NA_OK */
    const char *name;
    const char *email;  /**< ASCII lower-cased */
    const char *image;  /**< an http(s) URL */
    int email_verified; /**< the profile's email_verified: 1, 0 (explicitly false), -1 unsaid */
} na_oauth_user_t;

/** A boolean claim: 1, 0, or -1 when absent or unreadable ("true"/"false" strings, which
 *  some IdPs send, are read too; anything else is unknown rather than false). */
int na_oauth_claim_bool(const json_t *claims, const char *name);

/**
 * Map an ID token's payload (verified and checked by na_idtoken_check) to a user exactly
 * as a userinfo answer is mapped (na_oauth_profile_map, OIDC): the same cleaning of sub,
 * name, email (na_email_normalize) and picture, so neither source can smuggle what the
 * other refuses. NA_EINPUT (code OAuthCallback) when the payload is no JSON object or has
 * no usable sub.
 */
na_status_t na_oauth_idtoken_user(apr_pool_t *p, const char *payload, apr_size_t len,
                                  na_oauth_user_t *out, na_err_t *err);

/**
 * Forget an e-mail the IdP says is not verified (email_verified explicitly false), unless
 * the provider is configured to trust it (trustEmail=on): such an address is not the
 * user's to claim, so it must name no session, no Require match and no account link.
 * Returns 1 when it dropped one.
 */
int na_oauth_user_drop_unverified(na_oauth_user_t *user, int trust_email);

/** The mapping for a provider: by preset id for OAuth 2 providers, OIDC otherwise. */
na_oauth_profile_e na_oauth_profile_for(const na_provider_t *prov);

/**
 * Apply mapping `profile` to a profile object (ID-token claims or userinfo JSON);
 * strings in *out are copies from p. The id is required: a string (OIDC: only a string)
 * or an integer, 1..NA_OAUTH_MAX_ID bytes of UTF-8 without control characters, else
 * NA_EINPUT (code OAuthCallback). Other fields that are absent, of the wrong type, not
 * UTF-8 or hostile are dropped (NULL) rather than failing the sign-in: a name is cut at
 * NA_OAUTH_MAX_NAME bytes on a character boundary with control characters as spaces; an
 * email is what na_email_normalize makes of it (NFKC, case-folded, exactly one '@', a
 * plausible domain; the e-mail provider's rule, so both name a user alike) and at most
 * NA_OAUTH_MAX_EMAIL bytes; an image must be an http(s) URL of at most NA_OAUTH_MAX_IMAGE
 * bytes. email_verified is read (na_oauth_claim_bool) but not applied: see
 * na_oauth_user_drop_unverified.
 */
na_status_t na_oauth_profile_map(apr_pool_t *p, int profile, const json_t *raw,
                                 na_oauth_user_t *out, na_err_t *err);

/**
 * Read a userinfo answer and map it: NA_EPEER (code OAuthCallback) when the status is not
 * 2xx or the body is not a JSON object, else as na_oauth_profile_map.
 */
na_status_t na_oauth_userinfo_parse(apr_pool_t *p, int profile, const na_http_response_t *resp,
                                    na_oauth_user_t *out, na_err_t *err);

/**
 * Pick the address from GitHub's /user/emails answer (used when /user has no public
 * email): the primary one if verified, else the first verified one; *email is NULL when
 * there is none or the API refused (non-2xx, as next-auth ignores that too). Cleaned as a
 * profile email. NA_EPEER (code OAuthCallback) when a 2xx body is not a JSON array.
 */
na_status_t na_oauth_github_email(apr_pool_t *p, const na_http_response_t *resp, const char **email,
                                  na_err_t *err);

#endif
