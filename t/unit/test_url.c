/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <string.h>

#include <apr_lib.h>

#include "na_url.h"
#include "suites.h"

#define NA_TEST_SITE "http://127.0.0.1:8080"
#define NA_TEST_PAYLOADS "t/data/open-redirect-payloads.txt"

/* ---- NextAuthURL and allowed origins ------------------------------------------------- */

typedef struct na_test_site_t {
    const char *url;
    const char *origin; /* NULL: rejected */
    const char *path;
    int https;
} na_test_site_t;

static const na_test_site_t na_test_sites[] = {
    {"http://127.0.0.1:8080", "http://127.0.0.1:8080", "", 0},
    {"https://example.com", "https://example.com", "", 1},
    {"HTTPS://WWW.Example.COM:443/", "https://www.example.com", "", 1},
    {"http://example.com:80/app//", "http://example.com", "/app", 0},
    {"https://example.com:80", "https://example.com:80", "", 1},
    {"http://example.com:443", "http://example.com:443", "", 0},
    {"https://example.com/app/api/auth", "https://example.com", "/app/api/auth", 1},
    {"http://[::1]:3000/", "http://[::1]:3000", "", 0},
    {"http://localhost:65535", "http://localhost:65535", "", 0},
    {"example.com", NULL, NULL, 0},
    {"//example.com", NULL, NULL, 0},
    {"ftp://example.com", NULL, NULL, 0},
    {"https://user@example.com", NULL, NULL, 0},
    {"https://user:pw@example.com", NULL, NULL, 0},
    {"https://example.com?x=1", NULL, NULL, 0},
    {"https://example.com/#frag", NULL, NULL, 0},
    {"https://example.com//evil", NULL, NULL, 0},
    {"https://example.com/a\\b", NULL, NULL, 0},
    {"https://", NULL, NULL, 0},
    {"https:///path", NULL, NULL, 0},
    {"https:example.com", NULL, NULL, 0},
    {"http://example.com:0", NULL, NULL, 0},
    {"http://example.com:", NULL, NULL, 0},
    {"http://example.com:8o", NULL, NULL, 0},
    {"http://example.com:-80", NULL, NULL, 0},
    {"http://example.com:65536", NULL, NULL, 0},
    {"http://example.com:73616", NULL, NULL, 0},
    {"http://ex ample.com", NULL, NULL, 0},
    {"http://exa_mple.com", NULL, NULL, 0},
    {"http://example.com\t", NULL, NULL, 0},
    {"javascript:alert(1)", NULL, NULL, 0},
    {"", NULL, NULL, 0},
};

START_TEST(test_url_parse_site)
{
    const na_test_site_t *tc = &na_test_sites[_i];
    na_site_t site;
    const char *msg;

    memset(&site, 0, sizeof(site));
    msg = na_url_parse_site(na_test_pool, tc->url, &site);
    if (tc->origin == NULL) {
        ck_assert_msg(msg != NULL, "'%s' was accepted as %s", tc->url, site.origin);
        ck_assert_ptr_nonnull(strstr(msg, "accepted: "));
        ck_assert_ptr_null(site.origin);
        return;
    }
    ck_assert_msg(msg == NULL, "'%s': %s", tc->url, msg);
    ck_assert_str_eq(site.origin, tc->origin);
    ck_assert_str_eq(site.path, tc->path);
    ck_assert_int_eq(site.https, tc->https);
}
END_TEST

typedef struct na_test_origin_t {
    const char *value;
    const char *scheme; /* NULL: rejected */
    const char *host;
    int port;
    int wildcard;
} na_test_origin_t;

static const na_test_origin_t na_test_origins[] = {
    {"https://app.example.com", "https", "app.example.com", 443, 0},
    {"HTTPS://App.Example.COM/", "https", "app.example.com", 443, 0},
    {"http://127.0.0.1:3000", "http", "127.0.0.1", 3000, 0},
    {"https://*.example.com", "https", "example.com", 443, 1},
    {"https://*.Example.com:8443", "https", "example.com", 8443, 1},
    {"http://*.a.example.com", "http", "a.example.com", 80, 1},
    {"https://*.com", NULL, NULL, 0, 0},
    {"https://*.", NULL, NULL, 0, 0},
    {"https://*", NULL, NULL, 0, 0},
    {"https://*example.com", NULL, NULL, 0, 0},
    {"https://a.*.example.com", NULL, NULL, 0, 0},
    {"https://*.*.example.com", NULL, NULL, 0, 0},
    {"*.example.com", NULL, NULL, 0, 0},
    {"https://app.example.com/path", NULL, NULL, 0, 0},
    {"https://app.example.com?x", NULL, NULL, 0, 0},
    {"https://user@app.example.com", NULL, NULL, 0, 0},
    {"https://*.example.com@evil.com", NULL, NULL, 0, 0},
    {"ftp://app.example.com", NULL, NULL, 0, 0},
    {"app.example.com", NULL, NULL, 0, 0},
    {"", NULL, NULL, 0, 0},
};

START_TEST(test_url_parse_origin)
{
    const na_test_origin_t *tc = &na_test_origins[_i];
    na_origin_t o;
    const char *msg;

    memset(&o, 0, sizeof(o));
    msg = na_url_parse_origin(na_test_pool, tc->value, &o);
    if (tc->scheme == NULL) {
        ck_assert_msg(msg != NULL, "'%s' was accepted", tc->value);
        ck_assert_ptr_nonnull(strstr(msg, "accepted: "));
        return;
    }
    ck_assert_msg(msg == NULL, "'%s': %s", tc->value, msg);
    ck_assert_str_eq(o.scheme, tc->scheme);
    ck_assert_str_eq(o.host, tc->host);
    ck_assert_int_eq(o.port, tc->port);
    ck_assert_int_eq(o.wildcard, tc->wildcard);
}
END_TEST

/* ---- the redirect callback ----------------------------------------------------------- */

static apr_array_header_t *na_test_allow(const char *first, const char *second)
{
    apr_array_header_t *a = apr_array_make(na_test_pool, 2, sizeof(na_origin_t *));
    const char *values[2] = {first, second};
    int i;

    for (i = 0; i < 2 && values[i]; i++) {
        na_origin_t *o = apr_pcalloc(na_test_pool, sizeof(*o));
        ck_assert_ptr_null(na_url_parse_origin(na_test_pool, values[i], o));
        APR_ARRAY_PUSH(a, na_origin_t *) = o;
    }
    return a;
}

typedef struct na_test_callback_t {
    const char *value;
    const char *want; /* NULL: not followed */
} na_test_callback_t;

static const na_test_callback_t na_test_callbacks[] = {
    /* relative: concatenated onto the origin, as next-auth does */
    {"/", NA_TEST_SITE "/"},
    {"/dashboard?tab=1#top", NA_TEST_SITE "/dashboard?tab=1#top"},
    /* a leading run of slashes (also %2F, %5C) collapsed to one (issue 12): a page or
     * backend resolving the path alone must not find "//evil.com" */
    {"//evil.com", NA_TEST_SITE "/evil.com"},
    {"///x", NA_TEST_SITE "/x"},
    {"//evil.example/x", NA_TEST_SITE "/evil.example/x"},
    {"/%2f%2fevil.com", NA_TEST_SITE "/evil.com"},
    {"/%2Fevil.com", NA_TEST_SITE "/evil.com"},
    {"/%5Cevil.com", NA_TEST_SITE "/evil.com"},
    {"/%5c%2F/evil.com?a=//b", NA_TEST_SITE "/evil.com?a=//b"},
    {"/%2F", NA_TEST_SITE "/"},
    {"/%252Fevil.com", NA_TEST_SITE "/%252Fevil.com"}, /* decodes once to /%2F, not // */
    {"/a//b", NA_TEST_SITE "/a//b"},                   /* only the leading run */
    {"/%2", NA_TEST_SITE "/%2"},
    {"/%0d%0aSet-Cookie:x=1", NA_TEST_SITE "/%0d%0aSet-Cookie:x=1"},
    /* same origin, spelled differently */
    {NA_TEST_SITE "/x", NA_TEST_SITE "/x"},
    {NA_TEST_SITE, NA_TEST_SITE}, /* handed back unchanged, as next-auth does */
    {NA_TEST_SITE "?a=b", NA_TEST_SITE "?a=b"},
    {"HTTP://127.0.0.1:8080/Up", NA_TEST_SITE "/Up"},
    {"http://127.0.0.1:8080//evil.com/", NA_TEST_SITE "/evil.com/"},
    {"http://127.0.0.1:8080//evil.example/x", NA_TEST_SITE "/evil.example/x"},
    {"http://127.0.0.1:8080///x?y=1", NA_TEST_SITE "/x?y=1"},
    {"http://127.0.0.1:8080/%2F%5cevil.com", NA_TEST_SITE "/evil.com"},
    /* a fragment, as on relative URLs (found by fuzz_callback: "/x#y" was accepted, and
     * the absolute URL it became was refused when read back from the cookie) */
    {NA_TEST_SITE "/dashboard?tab=1#top", NA_TEST_SITE "/dashboard?tab=1#top"},
    {NA_TEST_SITE "#top", NA_TEST_SITE "#top"},
    {NA_TEST_SITE "//t:a`b.#com//", NA_TEST_SITE "/t:a`b.#com//"},
    {NA_TEST_SITE "/#@evil.com", NA_TEST_SITE "/#@evil.com"},
    {"http://evil.com#@127.0.0.1:8080/", NULL},
    {"http://evil.com/#" NA_TEST_SITE, NULL},
    {"http://127.0.0.1:8080@evil.com#/", NULL},
    /* other origins */
    {"http://127.0.0.1/x", NULL},
    {"http://127.0.0.1:80/x", NULL},
    {"https://127.0.0.1:8080/x", NULL},
    {"http://127.0.0.1:8081/x", NULL},
    {"http://127.0.0.1:73616/x", NULL},
    {"http://localhost:8080/x", NULL},
    {"http://evil.com/", NULL},
    {"https://evil.com", NULL},
    /* schemes and spellings that are not http(s) URLs */
    {"javascript:alert(1)", NULL},
    {"JaVaScRiPt:alert(1)", NULL},
    {"javascript://127.0.0.1:8080/%0aalert(1)", NULL},
    {"data:text/html,<script>alert(1)</script>", NULL},
    {"http:evil.com", NULL},
    {"http:/evil.com", NULL},
    {"http:///evil.com", NULL},
    {"evil.com", NULL},
    {"?x=1", NULL},
    {"#x", NULL},
    /* CR, LF and other controls, anywhere */
    {"/\r\nSet-Cookie: x=1", NULL},
    {"/x\n", NULL},
    {"\r\n/x", NULL},
    {NA_TEST_SITE "/\rx", NULL},
    {"/a\tb", NULL},
    {"/a b", NULL},
    {"/\x7f", NULL},
    {"/\xc3\xa9", NULL},
    /* backslashes: browsers read /\ as // */
    {"/\\evil.com", NULL},
    {"\\\\evil.com", NULL},
    {"\\/evil.com", NULL},
    {"http:\\\\evil.com", NULL},
    {NA_TEST_SITE "\\@evil.com", NULL},
    /* userinfo */
    {"http://127.0.0.1:8080@evil.com/", NULL},
    {"http://evil.com@127.0.0.1:8080/", NULL},
    {"http://user:pw@127.0.0.1:8080/", NULL},
    {"", NULL},
};

START_TEST(test_url_check_callback)
{
    const na_test_callback_t *tc = &na_test_callbacks[_i];
    const char *got = na_url_check_callback(na_test_pool, NA_TEST_SITE, NULL, tc->value);

    ck_assert_msg(tc->want ? got && strcmp(got, tc->want) == 0 : got == NULL,
                  "callbackUrl '%s' -> '%s', want '%s'", tc->value, got ? got : "(null)",
                  tc->want ? tc->want : "(null)");
}
END_TEST

START_TEST(test_url_check_callback_limits)
{
    char *big = apr_palloc(na_test_pool, NA_MAX_PARAM + 2);

    ck_assert_ptr_null(na_url_check_callback(na_test_pool, NA_TEST_SITE, NULL, NULL));
    memset(big, 'a', NA_MAX_PARAM + 1);
    big[0] = '/';
    big[NA_MAX_PARAM] = '\0';
    ck_assert_ptr_nonnull(na_url_check_callback(na_test_pool, NA_TEST_SITE, NULL, big));
    big[NA_MAX_PARAM] = 'a';
    big[NA_MAX_PARAM + 1] = '\0';
    ck_assert_ptr_null(na_url_check_callback(na_test_pool, NA_TEST_SITE, NULL, big));
}
END_TEST

/* What the check returns is stored in the callback-url cookie and checked again on the
 * next request: it must come back unchanged (fuzz_callback's property). */
START_TEST(test_url_check_callback_idempotent)
{
    const na_test_callback_t *tc = &na_test_callbacks[_i];
    const char *again;

    if (tc->want == NULL) {
        return;
    }
    again = na_url_check_callback(na_test_pool, NA_TEST_SITE, NULL, tc->want);
    ck_assert_msg(again && strcmp(again, tc->want) == 0, "'%s' checked again -> '%s'", tc->want,
                  again ? again : "(null)");
}
END_TEST

/* A site on https with the default port: case and explicit :443 do not matter. */
START_TEST(test_url_check_callback_https_site)
{
    const char *site = "https://example.com";

    ck_assert_pstr_eq(na_url_check_callback(na_test_pool, site, NULL, "HTTPS://EXAMPLE.com:443/a"),
                      "https://example.com/a");
    ck_assert_pstr_eq(na_url_check_callback(na_test_pool, site, NULL, "https://example.com"),
                      "https://example.com");
    ck_assert_ptr_null(na_url_check_callback(na_test_pool, site, NULL, "http://example.com/a"));
    ck_assert_ptr_null(
        na_url_check_callback(na_test_pool, site, NULL, "https://example.com:8443/a"));
    ck_assert_ptr_null(
        na_url_check_callback(na_test_pool, site, NULL, "https://example.com.evil.com/a"));
}
END_TEST

static const na_test_callback_t na_test_allowed[] = {
    {"https://app.example.com/x?y=1", "https://app.example.com/x?y=1"},
    {"HTTPS://APP.example.com:443", "https://app.example.com"},
    {"https://a.example.com/", "https://a.example.com/"},
    {"https://b.a.example.com/", "https://b.a.example.com/"},
    {"https://A.Example.COM/p", "https://a.example.com/p"},
    {"https://example.com/", NULL},
    {"https://evilexample.com/", NULL},
    {"https://a.evilexample.com/", NULL},
    {"https://a.example.com.evil.com/", NULL},
    {"https://example.com.evil/", NULL},
    {"http://a.example.com/", NULL},
    {"https://a.example.com:8443/", NULL},
    {"http://app.example.com/", NULL},
    {"https://app.example.com:444/", NULL},
    {"https://.example.com/", NULL},
    {"https://x@a.example.com/", NULL},
    {"/local", NA_TEST_SITE "/local"},
    {"https://a.example.com/p#f", "https://a.example.com/p#f"},
    {"https://evil.com#.example.com/", NULL},
    /* broken IPv6 brackets that apr_uri_parse reads as a host ending in .example.com
     * (fuzz/regressions/callback/bracket-host) */
    {"https://[[[....[.[....[[]sub.example.com", NULL},
    {"https://[x]a.example.com/", NULL},
    {"https://[::1]a.example.com/", NULL},
    {"https://a.example.com]/", NULL},
};

START_TEST(test_url_check_callback_allowed_origins)
{
    const na_test_callback_t *tc = &na_test_allowed[_i];
    apr_array_header_t *allow = na_test_allow("https://app.example.com", "https://*.example.com");
    const char *got = na_url_check_callback(na_test_pool, NA_TEST_SITE, allow, tc->value);

    ck_assert_msg(tc->want ? got && strcmp(got, tc->want) == 0 : got == NULL,
                  "callbackUrl '%s' -> '%s', want '%s'", tc->value, got ? got : "(null)",
                  tc->want ? tc->want : "(null)");
}
END_TEST

START_TEST(test_url_check_callback_exact_origin_only)
{
    apr_array_header_t *allow = na_test_allow("https://app.example.com", NULL);

    ck_assert_pstr_eq(
        na_url_check_callback(na_test_pool, NA_TEST_SITE, allow, "https://app.example.com/x"),
        "https://app.example.com/x");
    ck_assert_ptr_null(
        na_url_check_callback(na_test_pool, NA_TEST_SITE, allow, "https://b.app.example.com/x"));
    ck_assert_ptr_null(
        na_url_check_callback(na_test_pool, NA_TEST_SITE, allow, "https://b.example.com/x"));
    ck_assert_ptr_null(
        na_url_check_callback(na_test_pool, NA_TEST_SITE, allow, "https://example.com/x"));
}
END_TEST

/* ---- every open-redirect payload ----------------------------------------------------- */

/* 1 when the authority of an absolute URL ends right at s: a path, query, fragment or
 * nothing follows, so nothing after it can be read as another host. */
static int na_test_authority_ends(const char *s)
{
    return *s == '\0' || *s == '/' || *s == '?' || *s == '#';
}

/* The property of t/data/README.md: not followed, or on the site's own origin (or, with
 * an allow list, on a host under whitelisteddomain.tld), never with a control character,
 * a blank or a backslash in it. */
static int na_test_stays(const char *got, int with_allow)
{
    static const char suffix[] = ".whitelisteddomain.tld";
    const char *host, *end;

    if (got == NULL) {
        return 1;
    }
    for (host = got; *host; host++) {
        if ((unsigned char)*host <= 0x20 || (unsigned char)*host >= 0x7f || *host == '\\') {
            return 0;
        }
    }
    if (strncmp(got, NA_TEST_SITE, strlen(NA_TEST_SITE)) == 0) {
        return na_test_authority_ends(got + strlen(NA_TEST_SITE));
    }
    if (!with_allow || strncmp(got, "https://", 8) != 0) {
        return 0;
    }
    host = got + 8;
    end = host + strcspn(host, "/?#");
    for (; host < end; host++) {
        if (!apr_islower(*host) && !apr_isdigit(*host) && *host != '.' && *host != '-') {
            return 0;
        }
    }
    return end - (got + 8) > (int)sizeof(suffix) - 1
           && strncmp(end - (sizeof(suffix) - 1), suffix, sizeof(suffix) - 1) == 0;
}

static void na_test_payloads(apr_array_header_t *allow)
{
    FILE *f = fopen(NA_TEST_PAYLOADS, "r");
    char line[8192];
    int n = 0, followed = 0;

    ck_assert_msg(f != NULL, "cannot open %s; run the tests from the repository root",
                  NA_TEST_PAYLOADS);
    while (fgets(line, sizeof(line), f)) {
        apr_size_t len = strlen(line);
        const char *variants[2], *got;
        int v;

        if (len > 0 && line[len - 1] == '\n') {
            line[--len] = '\0';
        }
        n++;
        /* as received, and after the one decoding the query string gets */
        variants[0] = line;
        variants[1] = na_url_decode(na_test_pool, line, 1);
        for (v = 0; v < 2; v++) {
            if (variants[v] == NULL) {
                continue;
            }
            got = na_url_check_callback(na_test_pool, NA_TEST_SITE, allow, variants[v]);
            followed += got != NULL;
            ck_assert_msg(na_test_stays(got, allow != NULL), "payload line %d%s '%s' -> '%s'", n,
                          v ? " (decoded)" : "", variants[v], got);
        }
    }
    fclose(f);
    /* the file is the one from t/data/README.md, and a fair share of it is harmless */
    ck_assert_int_ge(n, 800);
    ck_assert_int_gt(followed, 0);
}

START_TEST(test_url_open_redirect_payloads)
{
    na_test_payloads(NULL);
}
END_TEST

START_TEST(test_url_open_redirect_payloads_with_allow_list)
{
    na_test_payloads(
        na_test_allow("https://www.whitelisteddomain.tld", "https://*.whitelisteddomain.tld"));
}
END_TEST

/* ---- encoding ------------------------------------------------------------------------ */

START_TEST(test_url_encode_component)
{
    ck_assert_str_eq(na_url_encode_component(na_test_pool, ""), "");
    ck_assert_str_eq(na_url_encode_component(na_test_pool, "AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
    ck_assert_str_eq(na_url_encode_component(na_test_pool, " |/?#&=+%"),
                     "%20%7C%2F%3F%23%26%3D%2B%25");
    ck_assert_str_eq(na_url_encode_component(na_test_pool, "\x01\x7f\xff\xc3\xa9"),
                     "%01%7F%FF%C3%A9");
    ck_assert_str_eq(na_url_encode_component(na_test_pool, "http://a/b?c=d"),
                     "http%3A%2F%2Fa%2Fb%3Fc%3Dd");
}
END_TEST

typedef struct na_test_decode_t {
    const char *in;
    int plus;
    const char *want; /* NULL: malformed */
} na_test_decode_t;

static const na_test_decode_t na_test_decodes[] = {
    {"", 0, ""},           {"plain", 0, "plain"}, {"a%20b", 0, "a b"}, {"a+b", 1, "a b"},
    {"a+b", 0, "a+b"},     {"%2B", 1, "+"},       {"%7c%7C", 0, "||"}, {"%C3%A9", 0, "\xc3\xa9"},
    {"%0D%0A", 0, "\r\n"}, {"%252F", 0, "%2F"}, /* once only */
    {"%00", 0, NULL},      {"a%00b", 1, NULL},    {"%", 0, NULL},      {"%4", 0, NULL},
    {"abc%", 0, NULL},     {"%zz", 0, NULL},      {"%4g", 0, NULL},    {"%g4", 0, NULL},
    {"%%41", 0, NULL},     {"% 41", 0, NULL},     {"%-1", 0, NULL},
};

START_TEST(test_url_decode)
{
    const na_test_decode_t *tc = &na_test_decodes[_i];
    const char *got = na_url_decode(na_test_pool, tc->in, tc->plus);

    ck_assert_msg(tc->want ? got && strcmp(got, tc->want) == 0 : got == NULL, "decode '%s' -> '%s'",
                  tc->in, got ? got : "(null)");
}
END_TEST

/* encodeURIComponent and decode are inverse over every non-NUL byte. */
START_TEST(test_url_encode_decode_round_trip)
{
    char all[256];
    int i;

    for (i = 1; i < 256; i++) {
        all[i - 1] = (char)i;
    }
    all[255] = '\0';
    ck_assert_str_eq(na_url_decode(na_test_pool, na_url_encode_component(na_test_pool, all), 0),
                     all);
    ck_assert_str_eq(na_url_decode(na_test_pool, na_url_encode_component(na_test_pool, all), 1),
                     all);
}
END_TEST

START_TEST(test_url_origin_host)
{
    ck_assert_str_eq(na_url_origin_host("https://example.com:8443"), "example.com:8443");
    ck_assert_str_eq(na_url_origin_host("http://127.0.0.1"), "127.0.0.1");
    ck_assert_str_eq(na_url_origin_host("example.com"), "example.com");
}
END_TEST

/* ---- Host header names (issue 11: a Host no host can have is the client's fault) ------ */

typedef struct na_test_host_t {
    const char *host;
    int ok;
} na_test_host_t;

static const na_test_host_t na_test_hosts[] = {
    {"example.com", 1},
    {"127.0.0.1", 1},
    {"xn--bcher-kva.example", 1},
    {"[::1]", 1},
    {"[2001:db8::1]", 1},
    {"LOCALHOST", 1},
    {"", 0},
    {"a_b", 0},
    {"[::1", 0},
    {"::1]", 0},
    {"[[::1]]", 0},
    {"[example.com]", 0},
    {"evil.example/x", 0},
    {"a b", 0},
    {"ex\\ample", 0},
    {"[]", 0},
    {"x@y", 0},
};

START_TEST(test_url_host_ok)
{
    const na_test_host_t *c = &na_test_hosts[_i];

    ck_assert_msg(na_url_host_ok(na_test_pool, c->host) == c->ok, "host '%s': want %d", c->host,
                  c->ok);
}
END_TEST

/* ---- Origin headers of state-changing POSTs (issue 11 item 10) ------------------------- */

typedef struct na_test_trust_t {
    const char *value;
    int trusted;
} na_test_trust_t;

static const na_test_trust_t na_test_trusts[] = {
    {NA_TEST_SITE, 1},
    {"http://127.0.0.1:8080/", 1},
    {"HTTP://127.0.0.1:8080", 1},
    {"https://app.example.com", 1}, /* allowed by the wildcard origin */
    {"https://partner.example.org:8443", 1},
    {"http://127.0.0.1:8081", 0}, /* same host, other port: another origin */
    {"https://127.0.0.1:8080", 0},
    {"http://evil.example", 0},
    {"https://example.com", 0}, /* the wildcard's parent is not matched */
    {"https://evilexample.com", 0},
    {"https://partner.example.org", 0},
    {"null", 0},
    {"", 0},
    {"http://127.0.0.1:8080/path", 0},
    {"http://127.0.0.1:8080?x", 0},
    {"http://127.0.0.1:8080 ", 0},
    {"http://user@127.0.0.1:8080", 0},
};

START_TEST(test_url_origin_trusted)
{
    const na_test_trust_t *c = &na_test_trusts[_i];
    apr_array_header_t *allow = apr_array_make(na_test_pool, 2, sizeof(na_origin_t *));
    const char *values[] = {"https://*.example.com", "https://partner.example.org:8443"};
    int i;

    for (i = 0; i < 2; i++) {
        na_origin_t *o = apr_pcalloc(na_test_pool, sizeof(*o));
        ck_assert_ptr_null(na_url_parse_origin(na_test_pool, values[i], o));
        APR_ARRAY_PUSH(allow, na_origin_t *) = o;
    }
    ck_assert_msg(na_url_origin_trusted(na_test_pool, NA_TEST_SITE, allow, c->value) == c->trusted,
                  "Origin '%s': want %d", c->value, c->trusted);
    /* Without the allow list only the site itself is trusted. */
    ck_assert_int_eq(na_url_origin_trusted(na_test_pool, NA_TEST_SITE, NULL, c->value),
                     c->trusted && strstr(c->value, "127.0.0.1:8080") != NULL);
}
END_TEST

static const struct {
    const char *url, *key, *value, *want;
} na_test_appends[] = {
    {"https://e.com/signin", "callbackUrl", "https://e.com/a?b=c&d",
     "https://e.com/signin?callbackUrl=https%3A%2F%2Fe.com%2Fa%3Fb%3Dc%26d"},
    {"/login?x=1", "error", "OAuthSignin", "/login?x=1&error=OAuthSignin"},
    {"/login?", "error", "a b", "/login?&error=a%20b"},
    /* A value can never open a header line or a new parameter of its own. */
    {"/p", "k", "v\r\nSet-Cookie: x=1", "/p?k=v%0D%0ASet-Cookie%3A%20x%3D1"},
    {"/p", "k", "", "/p?k="},
    {"https://idp/logout?client=1", "id_token_hint", "a.b.c",
     "https://idp/logout?client=1&id_token_hint=a.b.c"},
};

START_TEST(test_url_append_query)
{
    const char *got = na_url_append_query(na_test_pool, na_test_appends[_i].url,
                                          na_test_appends[_i].key, na_test_appends[_i].value);

    ck_assert_str_eq(got, na_test_appends[_i].want);
}
END_TEST

Suite *suite_url(void)
{
    Suite *s = suite_create("url");
    TCase *tc = na_test_tcase("parse");

    tcase_add_loop_test(tc, test_url_parse_site, 0, NA_TEST_COUNT(na_test_sites));
    tcase_add_loop_test(tc, test_url_parse_origin, 0, NA_TEST_COUNT(na_test_origins));
    tcase_add_test(tc, test_url_origin_host);
    tcase_add_loop_test(tc, test_url_host_ok, 0, NA_TEST_COUNT(na_test_hosts));
    tcase_add_loop_test(tc, test_url_origin_trusted, 0, NA_TEST_COUNT(na_test_trusts));
    suite_add_tcase(s, tc);

    tc = na_test_tcase("callback");
    tcase_add_loop_test(tc, test_url_check_callback, 0, NA_TEST_COUNT(na_test_callbacks));
    tcase_add_loop_test(tc, test_url_check_callback_idempotent, 0,
                        NA_TEST_COUNT(na_test_callbacks));
    tcase_add_test(tc, test_url_check_callback_limits);
    tcase_add_test(tc, test_url_check_callback_https_site);
    tcase_add_loop_test(tc, test_url_check_callback_allowed_origins, 0,
                        NA_TEST_COUNT(na_test_allowed));
    tcase_add_test(tc, test_url_check_callback_exact_origin_only);
    tcase_add_test(tc, test_url_open_redirect_payloads);
    tcase_add_test(tc, test_url_open_redirect_payloads_with_allow_list);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("encoding");
    tcase_add_test(tc, test_url_encode_component);
    tcase_add_loop_test(tc, test_url_decode, 0, NA_TEST_COUNT(na_test_decodes));
    tcase_add_test(tc, test_url_encode_decode_round_trip);
    tcase_add_loop_test(tc, test_url_append_query, 0, NA_TEST_COUNT(na_test_appends));
    suite_add_tcase(s, tc);
    return s;
}
