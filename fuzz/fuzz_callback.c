/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* callbackUrl validation: na_url_check_callback against several site origins and
 * NextAuthRedirectAllow lists. Property: what it returns stays on the site's origin or
 * an allowed one, and is one header-safe line. The same input is also read as a
 * NextAuthURL and an allow entry (na_url_parse_site / na_url_parse_origin). */
#include <string.h>

#include <apr_uri.h>

#include "na_fuzz.h"
#include "na_url.h"

static const char *const origins[] = {"https://app.example.com", "http://127.0.0.1:8080",
                                      "https://[::1]:8443", NULL};
static apr_array_header_t *allow;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const entries[] = {"https://*.example.org", "http://localhost:3000",
                                          "https://partner.example.net:8443", NULL};
    apr_pool_t *g;
    int i;

    (void)argc;
    (void)argv;
    g = na_fuzz_global_pool();
    allow = apr_array_make(g, 3, sizeof(na_origin_t *));
    for (i = 0; entries[i]; i++) {
        na_origin_t *o = apr_pcalloc(g, sizeof(*o));
        if (na_url_parse_origin(g, entries[i], o) != NULL) {
            abort();
        }
        APR_ARRAY_PUSH(allow, na_origin_t *) = o;
    }
    return 0;
}

/* 1 when url begins with prefix and the origin ends there. */
static int on_origin(const char *url, const char *prefix)
{
    apr_size_t n = strlen(prefix);

    return strncmp(url, prefix, n) == 0 && strchr("/?#", url[n]) != NULL;
}

/* 1 when url's host is one the allow list names, on a dot boundary for wildcards. */
static int allowed(apr_pool_t *p, const char *url)
{
    apr_uri_t uri;
    const char *host;
    int i;

    if (apr_uri_parse(p, url, &uri) != APR_SUCCESS || uri.hostname == NULL) {
        return 0;
    }
    host = uri.hostname;
    for (i = 0; i < allow->nelts; i++) {
        const na_origin_t *o = APR_ARRAY_IDX(allow, i, const na_origin_t *);
        apr_size_t hl = strlen(host), ol = strlen(o->host);
        if (o->wildcard ? (hl > ol + 1 && host[hl - ol - 1] == '.' &&
                           strcasecmp(host + hl - ol, o->host) == 0)
                        : strcasecmp(host, o->host) == 0) {
            return 1;
        }
    }
    return 0;
}

/* 1 when url's path begins with two slashes: "//", "/\\", or "/" then %2F or %5C (issue 12:
 * a page or backend resolving the path alone would find another host). */
static int double_slash(const char *url)
{
    const char *s = strstr(url, "://");

    if (s == NULL) {
        return 0;
    }
    s += 3;
    s += strcspn(s, "/?#");
    return s[0] == '/' && (s[1] == '/' || s[1] == '\\' || strncasecmp(s + 1, "%2f", 3) == 0 ||
                           strncasecmp(s + 1, "%5c", 3) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *value = na_fuzz_str(p, data, size);
    na_site_t site;
    na_origin_t origin;
    int i;

    for (i = 0; origins[i]; i++) {
        const char *url = na_url_check_callback(p, origins[i], i == 0 ? allow : NULL, value);
        const char *again;
        if (url == NULL) {
            continue;
        }
        NA_FUZZ_ASSERT(strpbrk(url, "\r\n\t \\") == NULL);
        NA_FUZZ_ASSERT(on_origin(url, origins[i]) || (i == 0 && allowed(p, url)));
        NA_FUZZ_ASSERT(!double_slash(url));
        /* what we redirect to must itself pass, unchanged */
        again = na_url_check_callback(p, origins[i], i == 0 ? allow : NULL, url);
        NA_FUZZ_ASSERT(again != NULL && strcmp(again, url) == 0);
    }
    if (na_url_parse_site(p, value, &site) == NULL) {
        NA_FUZZ_ASSERT(strncmp(site.origin, "http", 4) == 0 && strchr(site.origin, '@') == NULL);
    }
    if (na_url_parse_origin(p, value, &origin) == NULL) {
        NA_FUZZ_ASSERT(origin.port > 0 && origin.port < 65536);
    }
    na_fuzz_end(p);
    return 0;
}
