/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_URL_H
#define NA_URL_H

#include "na_common.h"

/** A parsed NextAuthURL: normalised origin and path. */
typedef struct na_site_t {
    const char *origin; /**< "https://example.com[:port]", lower case, default port dropped */
    const char *path;   /**< "" or "/app/api/auth" (no trailing slash) */
    int https;
} na_site_t;

/** One NextAuthRedirectAllow entry. */
typedef struct na_origin_t {
    const char *scheme; /**< "http" or "https" */
    const char *host;   /**< lower case; for a wildcard, the part after the star and dot */
    int port;           /**< explicit or default port */
    int wildcard;       /**< any subdomain of host, matched on a dot boundary */
} na_origin_t;

/** Parse an absolute http(s) URL without query, fragment or userinfo. NULL or a message. */
const char *na_url_parse_site(apr_pool_t *p, const char *s, na_site_t *out);

/** Parse "scheme://host[:port]", or "scheme://" + "*.host[:port]" for any subdomain.
 * NULL or a message. */
const char *na_url_parse_origin(apr_pool_t *p, const char *s, na_origin_t *out);

/**
 * The redirect callback. `value` is a callbackUrl, decoded once already. Returns the
 * absolute URL to redirect to, built from `origin` (or the matching allowed origin),
 * or NULL when value must not be followed (the caller falls back to the site).
 * `allow` is an array of na_origin_t * (may be NULL).
 */
const char *na_url_check_callback(apr_pool_t *p, const char *origin,
                                  const apr_array_header_t *allow, const char *value);

/** Percent-encode like JavaScript's encodeURIComponent. */
char *na_url_encode_component(apr_pool_t *p, const char *s);

/** Percent-encode like URLSearchParams' serialisation (application/x-www-form-urlencoded):
 * only ASCII letters, digits and "*-._" stay, a space becomes '+'. */
char *na_url_encode_form(apr_pool_t *p, const char *s);

/** url + '?' (or '&' when url already has a query) + key + '=' + value encoded as
 *  encodeURIComponent does. key is used as given (a fixed name). From p. */
char *na_url_append_query(apr_pool_t *p, const char *url, const char *key, const char *value);

/** Decode %XX and (when plus_is_space) '+'. NULL when the encoding is malformed. */
char *na_url_decode(apr_pool_t *p, const char *s, int plus_is_space);

/** The host[:port] part of an origin such as "https://example.com:8443". */
const char *na_url_origin_host(const char *origin);

/** 1 when host (a Host header's name, without the port; an IPv6 literal in brackets) is
 *  spelled as DNS, IPv4 or IPv6 spell names; 0 otherwise (empty, '_', stray brackets, ...). */
int na_url_host_ok(apr_pool_t *p, const char *host);

/** 1 when value, an Origin header, is the site's origin or one NextAuthRedirectAllow
 *  lists (allow may be NULL); 0 for any other origin, "null" and anything malformed. */
int na_url_origin_trusted(apr_pool_t *p, const char *origin, const apr_array_header_t *allow,
                          const char *value);

#endif
