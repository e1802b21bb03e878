/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_kv.h"
#include "suites.h"

/* ---- applying a directive line the way the glue does -------------------------------- */

typedef const char *(*na_test_single_fn)(apr_pool_t *, na_server_conf_t *, const char *);
typedef const char *(*na_test_words_fn)(apr_pool_t *, na_server_conf_t *, int, const char *const *);

typedef struct na_test_directive_t {
    const char *name;
    na_test_single_fn single;
    na_test_words_fn words;
} na_test_directive_t;

static const na_test_directive_t na_test_directives[] = {
    {NA_DIR_URL, na_config_set_url, NULL},
    {NA_DIR_BASE_PATH, na_config_set_base_path, NULL},
    {NA_DIR_SECRET, na_config_add_secret, NULL},
    {NA_DIR_PROVIDER, NULL, na_config_add_provider},
    {NA_DIR_PAGES, NULL, na_config_set_pages},
    {NA_DIR_THEME, NULL, na_config_set_theme},
    {NA_DIR_SESSION, NULL, na_config_set_session},
    {NA_DIR_DATABASE, na_config_set_database, NULL},
    {NA_DIR_SIGNIN_ALLOW, na_config_add_signin_allow, NULL},
    {NA_DIR_REDIRECT_ALLOW, na_config_add_redirect_allow, NULL},
    {NA_DIR_COOKIE, NULL, na_config_set_cookie},
};

/* Server directives: TAKE1 ones get the value as is; key=value ones get the raw line,
 * tokenized as mod_nextauth_cmds.c does. */
static const char *na_test_apply(na_server_conf_t *c, const char *directive, const char *line)
{
    apr_array_header_t *words = NULL;
    const char *msg;
    int i;

    for (i = 0; i < NA_TEST_COUNT(na_test_directives); i++) {
        const na_test_directive_t *d = &na_test_directives[i];
        if (strcmp(d->name, directive) != 0) {
            continue;
        }
        if (d->single) {
            return d->single(na_test_pool, c, line);
        }
        if ((msg = na_kv_tokenize(na_test_pool, line, &words)) != NULL) {
            return msg;
        }
        return d->words(na_test_pool, c, words->nelts, (const char *const *)words->elts);
    }
    ck_abort_msg("no such directive in the test table: %s", directive);
    return NULL;
}

static void na_test_ok(na_server_conf_t *c, const char *directive, const char *line)
{
    const char *msg = na_test_apply(c, directive, line);

    ck_assert_msg(msg == NULL, "%s %s: %s", directive, line, msg);
}

/* A server with every directive given once. */
static na_server_conf_t *na_test_full_conf(void)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    na_test_ok(c, NA_DIR_URL, "https://www.example.com");
    na_test_ok(c, NA_DIR_BASE_PATH, "/auth");
    na_test_ok(c, NA_DIR_SECRET, "first-secret");
    na_test_ok(c, NA_DIR_PROVIDER, "github clientId=abc clientSecret=def");
    na_test_ok(c, NA_DIR_PAGES, "signIn=/auth/signin error=/auth/error");
    na_test_ok(c, NA_DIR_THEME, "colorScheme=dark brandColor=#123456 logo=/l.svg buttonText=#fff");
    na_test_ok(c, NA_DIR_SESSION, "strategy=jwt maxAge=3600 updateAge=60");
    na_test_ok(c, NA_DIR_DATABASE, "dbd");
    na_test_ok(c, NA_DIR_SIGNIN_ALLOW, "*@example.com");
    na_test_ok(c, NA_DIR_REDIRECT_ALLOW, "https://*.example.com");
    na_test_ok(c, NA_DIR_COOKIE, "secure=on domain=example.com prefix=myapp");
    return c;
}

/* ---- good values --------------------------------------------------------------------- */

typedef struct na_test_line_t {
    const char *directive;
    const char *line;
    const char *names; /* for rejections: what the message must point at */
} na_test_line_t;

static const na_test_line_t na_test_good_lines[] = {
    {NA_DIR_URL, "http://127.0.0.1:8080", NULL},
    {NA_DIR_URL, "https://example.com/", NULL},
    {NA_DIR_URL, "https://example.com/app/api/auth", NULL},
    {NA_DIR_URL, "http://[::1]:3000", NULL},
    {NA_DIR_URL, "http://localhost:65535", NULL},
    {NA_DIR_BASE_PATH, "/api/auth", NULL},
    {NA_DIR_BASE_PATH, "/x/", NULL},
    {NA_DIR_SECRET, "s3cr3t with spaces", NULL},
    {NA_DIR_PROVIDER, "email server=smtp://127.0.0.1:2525 from=noreply@example.com", NULL},
    {NA_DIR_PROVIDER, "credentials name=\"Staff login\" authn=file", NULL},
    {NA_DIR_PAGES, "signIn=/a signOut=/b error=/c verifyRequest=/d newUser=/e", NULL},
    {NA_DIR_THEME, "colorScheme=auto", NULL},
    {NA_DIR_THEME, "colorScheme=LIGHT logo=https://cdn.example.com/l.png", NULL},
    {NA_DIR_SESSION, "strategy=database", NULL},
    {NA_DIR_SESSION, "maxAge=1 updateAge=315360000", NULL},
    {NA_DIR_DATABASE, "dbd", NULL},
    {NA_DIR_DATABASE, "Off", NULL},
    {NA_DIR_SIGNIN_ALLOW, "*", NULL},
    {NA_DIR_SIGNIN_ALLOW, "alice@example.org", NULL},
    {NA_DIR_SIGNIN_ALLOW, "*@*.example.com", NULL},
    {NA_DIR_REDIRECT_ALLOW, "https://app.example.com", NULL},
    {NA_DIR_REDIRECT_ALLOW, "http://127.0.0.1:3000/", NULL},
    {NA_DIR_REDIRECT_ALLOW, "https://*.example.com:8443", NULL},
    {NA_DIR_COOKIE, "secure=auto", NULL},
    {NA_DIR_COOKIE, "shared=off", NULL},
    {NA_DIR_COOKIE, "secure=off domain=.example.com", NULL},
    {NA_DIR_COOKIE, "prefix=my-app_2", NULL},
};

START_TEST(test_config_good_lines)
{
    const na_test_line_t *tc = &na_test_good_lines[_i];
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    ck_assert_int_eq(c->touched, 0);
    na_test_ok(c, tc->directive, tc->line);
    ck_assert_int_eq(c->touched, 1);
}
END_TEST

/* ---- bad values: message shape, and nothing assigned --------------------------------- */

static const na_test_line_t na_test_bad_lines[] = {
    {NA_DIR_URL, "example.com", "'example.com'"},
    {NA_DIR_URL, "ftp://example.com", "'ftp://example.com'"},
    {NA_DIR_URL, "https://user:pw@example.com", NULL},
    {NA_DIR_URL, "https://example.com/?q=1", NULL},
    {NA_DIR_URL, "https://example.com/#top", NULL},
    {NA_DIR_URL, "https://", NULL},
    {NA_DIR_URL, "javascript:alert(1)", NULL},
    {NA_DIR_URL, "https://exa mple.com", NULL},
    {NA_DIR_URL, "https://example.com//evil", NULL},
    {NA_DIR_URL, "https://example.com/a b", NULL},
    {NA_DIR_URL, "http://example.com:0", NULL},
    {NA_DIR_URL, "http://example.com:", NULL},
    {NA_DIR_URL, "http://example.com:http", NULL},
    {NA_DIR_URL, "http://example.com:65536", "65536"},
    {NA_DIR_URL, "http://example.com:73616", "73616"},
    {NA_DIR_URL, "http://exa_mple.com", NULL},
    {NA_DIR_URL, "", NULL},
    {NA_DIR_BASE_PATH, "api/auth", "'api/auth'"},
    {NA_DIR_BASE_PATH, "/", NULL},
    {NA_DIR_BASE_PATH, "//evil", NULL},
    {NA_DIR_BASE_PATH, "/api?x=1", NULL},
    {NA_DIR_BASE_PATH, "/api%2fauth", NULL},
    {NA_DIR_BASE_PATH, "/api/../x", NULL},
    {NA_DIR_BASE_PATH, "/api/./x", NULL},
    {NA_DIR_BASE_PATH, "/a b", NULL},
    {NA_DIR_BASE_PATH, "/a#b", NULL},
    {NA_DIR_BASE_PATH, "/a\\b", NULL},
    {NA_DIR_BASE_PATH, "", NULL},
    {NA_DIR_SECRET, "", "the secret is empty"},
    {NA_DIR_SECRET, "file:", "file: needs a path"},
    {NA_DIR_SECRET, "file:/nonexistent/na-test.secret", "'/nonexistent/na-test.secret'"},
    {NA_DIR_SECRET, "env:NA_TEST_CONFIG_UNSET", "'NA_TEST_CONFIG_UNSET'"},
    {NA_DIR_SECRET, "env:", NULL},
    {NA_DIR_SECRET, "bad\x01secret", "control characters"},
    {NA_DIR_PROVIDER, "", NULL},
    {NA_DIR_PROVIDER, "GitHub clientId=a clientSecret=b", "'GitHub'"},
    {NA_DIR_PROVIDER, "github clientId=x clientSecret=y", "duplicate provider id"},
    {NA_DIR_PROVIDER, "github clientSecert=x", "unknown key 'clientSecert'"},
    {NA_DIR_PROVIDER, "myidp clientId=a clientSecret=b", "type= is needed"},
    {NA_DIR_PROVIDER, "name=\"Staff login", "unbalanced quote"},
    {NA_DIR_PAGES, "", NULL},
    {NA_DIR_PAGES, "signIn=auth/signin", "signIn='auth/signin'"},
    {NA_DIR_PAGES, "signIn=//evil.com", "signIn='//evil.com'"},
    {NA_DIR_PAGES, "error=https://evil.com/x", "error='https://evil.com/x'"},
    {NA_DIR_PAGES, "signOut=/a#b", "signOut='/a#b'"},
    {NA_DIR_PAGES, "signIn=/a bogus=/x", "unknown key 'bogus'"},
    {NA_DIR_PAGES, "signIn", "'signIn' is not key=value"},
    {NA_DIR_PAGES, "signIn=", "signIn=''"},
    {NA_DIR_PAGES, "signIn=/a signIn=/b", "'signIn' is given twice"},
    {NA_DIR_THEME, "colorScheme=blue", "colorScheme='blue'"},
    {NA_DIR_THEME, "brandColor=red", "brandColor='red'"},
    {NA_DIR_THEME, "buttonText=#12", "buttonText='#12'"},
    {NA_DIR_THEME, "logo=javascript:alert(1)", "logo='javascript:alert(1)'"},
    {NA_DIR_THEME, "logo=//evil.com/x.png", "logo="},
    {NA_DIR_THEME, "colour=#fff", "unknown key 'colour'"},
    {NA_DIR_SESSION, "maxAge=30d", "maxAge='30d'"},
    {NA_DIR_SESSION, "maxAge=0", "maxAge='0'"},
    {NA_DIR_SESSION, "updateAge=-1", "updateAge='-1'"},
    {NA_DIR_SESSION, "maxAge=315360001", "maxAge='315360001'"},
    {NA_DIR_SESSION, "strategy=cookie", "strategy='cookie'"},
    {NA_DIR_SESSION, "strategy=jwt maxAge=1 updateAge=x", "updateAge='x'"},
    {NA_DIR_DATABASE, "on", "'on'"},
    {NA_DIR_DATABASE, "sqlite3", "'sqlite3'"},
    {NA_DIR_DATABASE, "", NULL},
    {NA_DIR_SIGNIN_ALLOW, "example.com", "'example.com'"},
    {NA_DIR_SIGNIN_ALLOW, "@example.com", NULL},
    {NA_DIR_SIGNIN_ALLOW, "alice@", NULL},
    {NA_DIR_SIGNIN_ALLOW, "a@b@example.com", NULL},
    {NA_DIR_SIGNIN_ALLOW, "a b@example.com", NULL},
    {NA_DIR_SIGNIN_ALLOW, "<a@example.com>", NULL},
    {NA_DIR_SIGNIN_ALLOW, "a;b@example.com", NULL},
    {NA_DIR_SIGNIN_ALLOW, "", NULL},
    {NA_DIR_REDIRECT_ALLOW, "app.example.com", "'app.example.com'"},
    {NA_DIR_REDIRECT_ALLOW, "https://app.example.com/path", NULL},
    {NA_DIR_REDIRECT_ALLOW, "https://app.example.com?x=1", NULL},
    {NA_DIR_REDIRECT_ALLOW, "https://*.com", "a wildcard needs a domain with a dot"},
    {NA_DIR_REDIRECT_ALLOW, "https://*example.com", NULL},
    {NA_DIR_REDIRECT_ALLOW, "https://a.*.example.com", NULL},
    {NA_DIR_REDIRECT_ALLOW, "https://user@app.example.com", NULL},
    {NA_DIR_REDIRECT_ALLOW, "javascript:alert(1)", NULL},
    {NA_DIR_REDIRECT_ALLOW, "*.example.com", NULL},
    {NA_DIR_COOKIE, "secure=maybe", "secure='maybe'"},
    {NA_DIR_COOKIE, "shared=sometimes", "shared='sometimes'"},
    {NA_DIR_COOKIE, "domain=exa_mple.com", "domain='exa_mple.com'"},
    {NA_DIR_COOKIE, "domain=..example.com", "domain="},
    {NA_DIR_COOKIE, "domain=example..com", "domain="},
    {NA_DIR_COOKIE, "prefix=a,b", "prefix"},
    {NA_DIR_COOKIE, "prefix=my.app", "prefix="},
    {NA_DIR_COOKIE, "prefix=\"my app\"", "prefix="},
    {NA_DIR_COOKIE, "sameSite=strict", "unknown key 'sameSite'"},
    {NA_DIR_COOKIE, "secure=off prefix=a,b", "prefix"},
};

typedef struct na_test_snapshot_t {
    na_server_conf_t conf;
    int secrets, providers, signin_allow, redirect_allow;
} na_test_snapshot_t;

static void na_test_snap(const na_server_conf_t *c, na_test_snapshot_t *s)
{
    memcpy(&s->conf, c, sizeof(*c));
    s->secrets = c->secrets ? c->secrets->nelts : -1;
    s->providers = c->providers ? c->providers->nelts : -1;
    s->signin_allow = c->signin_allow ? c->signin_allow->nelts : -1;
    s->redirect_allow = c->redirect_allow ? c->redirect_allow->nelts : -1;
}

START_TEST(test_config_bad_lines)
{
    const na_test_line_t *tc = &na_test_bad_lines[_i];
    na_server_conf_t *c = na_test_full_conf();
    na_test_snapshot_t before, after;
    const char *msg;

    unsetenv("NA_TEST_CONFIG_UNSET");
    c->touched = 0; /* a rejected line must not mark the server as configured either */
    na_test_snap(c, &before);
    msg = na_test_apply(c, tc->directive, tc->line);
    if (msg && strcmp(tc->names ? tc->names : "", "unbalanced quote") == 0) {
        /* the tokenizer's own message; the glue prefixes the directive */
        ck_assert_str_eq(msg, "unbalanced quote");
    }
    else {
        na_test_assert_directive_message(msg, tc->directive, tc->names);
    }
    na_test_snap(c, &after);
    ck_assert_msg(memcmp(&before, &after, sizeof(before)) == 0,
                  "%s %s: the rejected line changed the configuration", tc->directive, tc->line);
}
END_TEST

/* ---- what good lines store ----------------------------------------------------------- */

START_TEST(test_config_url_and_base_path)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    ck_assert_str_eq(na_config_base_path(c), NA_DEFAULT_BASE_PATH);
    na_test_ok(c, NA_DIR_URL, "HTTPS://WWW.Example.COM:443/app/api/auth/");
    ck_assert_str_eq(c->site->origin, "https://www.example.com");
    ck_assert_str_eq(c->site->path, "/app/api/auth");
    ck_assert_int_eq(c->site->https, 1);
    /* like NEXTAUTH_URL, a path in the URL is the base path */
    ck_assert_str_eq(na_config_base_path(c), "/app/api/auth");
    na_test_ok(c, NA_DIR_BASE_PATH, "/auth//");
    ck_assert_str_eq(c->base_path, "/auth");
    ck_assert_str_eq(na_config_base_path(c), "/auth");
    na_test_ok(c, NA_DIR_URL, "http://127.0.0.1:8080");
    ck_assert_str_eq(c->site->origin, "http://127.0.0.1:8080");
    ck_assert_str_eq(c->site->path, "");
    ck_assert_int_eq(c->site->https, 0);
}
END_TEST

START_TEST(test_config_secrets_keep_order)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    na_test_ok(c, NA_DIR_SECRET, "current");
    setenv("NA_TEST_CONFIG_SECRET", "from-env", 1);
    na_test_ok(c, NA_DIR_SECRET, "env:NA_TEST_CONFIG_SECRET");
    ck_assert_int_eq(c->secrets->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(c->secrets, 0, const char *), "current");
    ck_assert_str_eq(APR_ARRAY_IDX(c->secrets, 1, const char *), "from-env");
}
END_TEST

START_TEST(test_config_key_value_directives_store)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);

    na_test_ok(c, NA_DIR_PAGES, "signIn=/a signOut=/b error=/c verifyRequest=/d newUser=/e");
    ck_assert_str_eq(c->pages.signin, "/a");
    ck_assert_str_eq(c->pages.signout, "/b");
    ck_assert_str_eq(c->pages.error, "/c");
    ck_assert_str_eq(c->pages.verify_request, "/d");
    ck_assert_str_eq(c->pages.new_user, "/e");
    /* a second line changes only the keys it names */
    na_test_ok(c, NA_DIR_PAGES, "error=/z");
    ck_assert_str_eq(c->pages.signin, "/a");
    ck_assert_str_eq(c->pages.error, "/z");

    ck_assert_int_eq(na_config_color_scheme(c), NA_SCHEME_AUTO);
    na_test_ok(c, NA_DIR_THEME, "colorScheme=Dark brandColor=#abc logo=/l.png buttonText=#fff");
    ck_assert_int_eq(c->theme.color_scheme, NA_SCHEME_DARK);
    ck_assert_int_eq(na_config_color_scheme(c), NA_SCHEME_DARK);
    ck_assert_str_eq(c->theme.brand_color, "#abc");
    ck_assert_str_eq(c->theme.logo, "/l.png");
    ck_assert_str_eq(c->theme.button_text, "#fff");

    ck_assert_int_eq(na_config_max_age(c), NA_DEFAULT_MAX_AGE);
    ck_assert_int_eq(na_config_update_age(c), NA_DEFAULT_UPDATE_AGE);
    ck_assert_int_eq(na_config_strategy(c), NA_STRATEGY_JWT);
    na_test_ok(c, NA_DIR_SESSION, "strategy=database maxAge=3600");
    na_test_ok(c, NA_DIR_SESSION, "updateAge=60");
    ck_assert_int_eq(na_config_strategy(c), NA_STRATEGY_DATABASE);
    ck_assert_int_eq(na_config_max_age(c), 3600);
    ck_assert_int_eq(na_config_update_age(c), 60);
}
END_TEST

START_TEST(test_config_cookie_database_allow_lists)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const na_origin_t *o;

    ck_assert_str_eq(na_config_cookie_prefix(c), NA_DEFAULT_COOKIE_PREFIX);
    na_test_ok(c, NA_DIR_COOKIE, "secure=on domain=.example.com prefix=myapp");
    ck_assert_int_eq(c->cookie.secure, NA_SECURE_ON);
    ck_assert_str_eq(c->cookie.domain, ".example.com");
    ck_assert_str_eq(c->cookie.prefix, "myapp");
    ck_assert_str_eq(na_config_cookie_prefix(c), "myapp");
    na_test_ok(c, NA_DIR_COOKIE, "secure=off");
    ck_assert_int_eq(c->cookie.secure, NA_SECURE_OFF);
    ck_assert_str_eq(c->cookie.prefix, "myapp");
    ck_assert_str_eq(c->cookie.domain, ".example.com");

    ck_assert_int_eq(c->database, NA_UNSET);
    na_test_ok(c, NA_DIR_DATABASE, "DBD");
    ck_assert_int_eq(c->database, 1);
    na_test_ok(c, NA_DIR_DATABASE, "off");
    ck_assert_int_eq(c->database, 0);

    na_test_ok(c, NA_DIR_SIGNIN_ALLOW, "*@Example.COM");
    na_test_ok(c, NA_DIR_SIGNIN_ALLOW, "Alice@Example.org");
    ck_assert_int_eq(c->signin_allow->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(c->signin_allow, 0, const char *), "*@example.com");
    ck_assert_str_eq(APR_ARRAY_IDX(c->signin_allow, 1, const char *), "alice@example.org");

    na_test_ok(c, NA_DIR_REDIRECT_ALLOW, "HTTPS://*.Example.com");
    na_test_ok(c, NA_DIR_REDIRECT_ALLOW, "http://127.0.0.1:3000");
    o = APR_ARRAY_IDX(c->redirect_allow, 0, const na_origin_t *);
    ck_assert_str_eq(o->scheme, "https");
    ck_assert_str_eq(o->host, "example.com");
    ck_assert_int_eq(o->port, 443);
    ck_assert_int_eq(o->wildcard, 1);
    o = APR_ARRAY_IDX(c->redirect_allow, 1, const na_origin_t *);
    ck_assert_str_eq(o->host, "127.0.0.1");
    ck_assert_int_eq(o->port, 3000);
    ck_assert_int_eq(o->wildcard, 0);
}
END_TEST

START_TEST(test_config_unauthenticated)
{
    static const char *const bad[] = {"403", "deny", "", "redirect401"};
    na_dir_conf_t *d = na_config_dir_create(na_test_pool);
    na_dir_conf_t before;
    int i;

    ck_assert_int_eq(d->unauthenticated, NA_UNSET);
    ck_assert_ptr_null(na_config_set_unauthenticated(na_test_pool, d, "401"));
    ck_assert_int_eq(d->unauthenticated, NA_UNAUTH_401);
    ck_assert_ptr_null(na_config_set_unauthenticated(na_test_pool, d, "PASS"));
    ck_assert_int_eq(d->unauthenticated, NA_UNAUTH_PASS);
    ck_assert_ptr_null(na_config_set_unauthenticated(na_test_pool, d, "redirect"));
    ck_assert_int_eq(d->unauthenticated, NA_UNAUTH_REDIRECT);
    for (i = 0; i < NA_TEST_COUNT(bad); i++) {
        const char *msg;

        memcpy(&before, d, sizeof(before));
        msg = na_config_set_unauthenticated(na_test_pool, d, bad[i]);
        na_test_assert_directive_message(msg, NA_DIR_UNAUTHENTICATED,
                                         apr_psprintf(na_test_pool, "'%s'", bad[i]));
        ck_assert_int_eq(memcmp(&before, d, sizeof(before)), 0);
    }
}
END_TEST

START_TEST(test_config_provider_lookup_and_limit)
{
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const char *msg = NULL;
    int i;

    ck_assert_ptr_null(na_config_provider(c, "github"));
    na_test_ok(c, NA_DIR_PROVIDER, "github clientId=a clientSecret=b");
    ck_assert_str_eq(na_config_provider(c, "github")->id, "github");
    ck_assert_ptr_null(na_config_provider(c, "gitlab"));
    ck_assert_ptr_null(na_config_provider(c, "GITHUB"));
    for (i = 1; i < 33 && msg == NULL; i++) {
        msg = na_test_apply(c, NA_DIR_PROVIDER,
                            apr_psprintf(na_test_pool, "p%d type=credentials", i));
    }
    ck_assert_int_eq(i, 33);
    na_test_assert_directive_message(msg, NA_DIR_PROVIDER, "32");
    ck_assert_int_eq(c->providers->nelts, 32);
}
END_TEST

/* ---- cross-directive checks ---------------------------------------------------------- */

typedef struct na_test_check_t {
    const char *lines[4];  /* "Directive args" */
    const char *directive; /* NULL: the check passes; else the message starts with it */
    const char *names;
} na_test_check_t;

static const na_test_check_t na_test_checks[] = {
    {{NULL}, NULL, NULL},
    {{NA_DIR_SECRET " s"}, NULL, NULL},
    {{NA_DIR_PROVIDER " github clientId=a clientSecret=b"}, NA_DIR_SECRET, "is required"},
    {{NA_DIR_PROVIDER " credentials"}, NA_DIR_SECRET, NA_DIR_PROVIDER},
    {{NA_DIR_PROVIDER " github clientId=a clientSecret=b", NA_DIR_SECRET " s"}, NULL, NULL},
    {{NA_DIR_PROVIDER " email", NA_DIR_SECRET " s"}, NA_DIR_PROVIDER, NA_DIR_DATABASE " dbd"},
    {{NA_DIR_PROVIDER " email", NA_DIR_SECRET " s", NA_DIR_DATABASE " off"},
     NA_DIR_PROVIDER,
     "email"},
    {{NA_DIR_PROVIDER " email", NA_DIR_SECRET " s", NA_DIR_DATABASE " dbd"},
     NA_DIR_PROVIDER,
     NA_DIR_URL},
    {{NA_DIR_PROVIDER " email", NA_DIR_SECRET " s", NA_DIR_DATABASE " dbd",
      NA_DIR_URL " https://www.example.com"},
     NULL,
     NULL},
    {{NA_DIR_SESSION " strategy=database"}, NA_DIR_SESSION, "strategy=database"},
    {{NA_DIR_SESSION " strategy=database", NA_DIR_DATABASE " dbd"}, NULL, NULL},
    {{NA_DIR_SESSION " strategy=database", NA_DIR_DATABASE " dbd", NA_DIR_SECRET " s",
      NA_DIR_PROVIDER " credentials"},
     NA_DIR_SESSION,
     "credentials"},
    {{NA_DIR_SESSION " strategy=database", NA_DIR_DATABASE " dbd", NA_DIR_SECRET " s",
      NA_DIR_PROVIDER " gitlab clientId=a clientSecret=b"},
     NULL,
     NULL},
    {{NA_DIR_SESSION " strategy=jwt", NA_DIR_SECRET " s", NA_DIR_PROVIDER " credentials"},
     NULL,
     NULL},
};

static void na_test_apply_line(na_server_conf_t *c, const char *line)
{
    const char *sp = strchr(line, ' ');

    ck_assert_ptr_nonnull(sp);
    na_test_ok(c, apr_pstrmemdup(na_test_pool, line, (apr_size_t)(sp - line)), sp + 1);
}

START_TEST(test_config_check)
{
    const na_test_check_t *tc = &na_test_checks[_i];
    na_server_conf_t *c = na_config_server_create(na_test_pool);
    const char *msg;
    int i;

    for (i = 0; i < 4 && tc->lines[i]; i++) {
        na_test_apply_line(c, tc->lines[i]);
    }
    msg = na_config_check(na_test_pool, c);
    if (tc->directive == NULL) {
        ck_assert_msg(msg == NULL, "case %d: unexpected: %s", _i, msg);
        return;
    }
    ck_assert_msg(msg != NULL, "case %d: the check passed", _i);
    ck_assert_msg(strncmp(msg, tc->directive, strlen(tc->directive)) == 0
                      && strstr(msg, "; accepted: ") && strstr(msg, tc->names),
                  "case %d: %s", _i, msg);
}
END_TEST

/* The check runs on the merged server: a secret from the main server covers a vhost's
 * providers, and a vhost's own secret covers its own. */
START_TEST(test_config_check_after_merge)
{
    na_server_conf_t *main_conf = na_config_server_create(na_test_pool);
    na_server_conf_t *vhost = na_config_server_create(na_test_pool);
    na_server_conf_t *empty = na_config_server_create(na_test_pool);

    na_test_ok(main_conf, NA_DIR_SECRET, "global");
    na_test_ok(vhost, NA_DIR_PROVIDER, "google clientId=a clientSecret=b");
    ck_assert_ptr_nonnull(na_config_check(na_test_pool, vhost));
    ck_assert_ptr_null(
        na_config_check(na_test_pool, na_config_server_merge(na_test_pool, main_conf, vhost)));
    ck_assert_ptr_nonnull(
        na_config_check(na_test_pool, na_config_server_merge(na_test_pool, empty, vhost)));
}
END_TEST

/* ---- merge: walk every field --------------------------------------------------------- */

typedef enum { NA_TEST_PTR, NA_TEST_INT, NA_TEST_I64, NA_TEST_FLAG } na_test_kind_e;

typedef struct na_test_field_t {
    const char *name;
    size_t offset;
    size_t size;
    na_test_kind_e kind;
    int derived; /* filled at post_config per server: merge must not carry it over */
} na_test_field_t;

#define NA_SF(field, kind, derived)                                                                \
    {                                                                                              \
#field, offsetof(na_server_conf_t, field), sizeof(((na_server_conf_t *)0)->field), kind,   \
            derived                                                                                \
    }
#define NA_DF(field, kind)                                                                         \
    {                                                                                              \
#field, offsetof(na_dir_conf_t, field), sizeof(((na_dir_conf_t *)0)->field), kind, 0       \
    }

/* Every field of na_server_conf_t, in declaration order. A new field must be added here;
 * test_config_merge_table_complete fails when one is missing. */
static const na_test_field_t na_test_server_fields[] = {
    NA_SF(touched, NA_TEST_FLAG, 0),
    NA_SF(site, NA_TEST_PTR, 0),
    NA_SF(base_path, NA_TEST_PTR, 0),
    NA_SF(secrets, NA_TEST_PTR, 0),
    NA_SF(providers, NA_TEST_PTR, 0),
    NA_SF(pages.signin, NA_TEST_PTR, 0),
    NA_SF(pages.signout, NA_TEST_PTR, 0),
    NA_SF(pages.error, NA_TEST_PTR, 0),
    NA_SF(pages.verify_request, NA_TEST_PTR, 0),
    NA_SF(pages.new_user, NA_TEST_PTR, 0),
    NA_SF(theme.color_scheme, NA_TEST_INT, 0),
    NA_SF(theme.brand_color, NA_TEST_PTR, 0),
    NA_SF(theme.logo, NA_TEST_PTR, 0),
    NA_SF(theme.button_text, NA_TEST_PTR, 0),
    NA_SF(session.strategy, NA_TEST_INT, 0),
    NA_SF(session.expose, NA_TEST_INT, 0),
    NA_SF(session.max_age, NA_TEST_I64, 0),
    NA_SF(session.update_age, NA_TEST_I64, 0),
    NA_SF(session.idle, NA_TEST_I64, 0),
    NA_SF(session.absolute, NA_TEST_I64, 0),
    NA_SF(database, NA_TEST_INT, 0),
    NA_SF(signin_allow, NA_TEST_PTR, 0),
    NA_SF(redirect_allow, NA_TEST_PTR, 0),
    NA_SF(cookie.secure, NA_TEST_INT, 0),
    NA_SF(cookie.domain, NA_TEST_PTR, 0),
    NA_SF(cookie.prefix, NA_TEST_PTR, 0),
    NA_SF(cookie.shared, NA_TEST_INT, 0),
    NA_SF(rate_limit[0].count, NA_TEST_I64, 0),
    NA_SF(rate_limit[0].seconds, NA_TEST_I64, 0),
    NA_SF(rate_limit[1].count, NA_TEST_I64, 0),
    NA_SF(rate_limit[1].seconds, NA_TEST_I64, 0),
    NA_SF(rate_limit[2].count, NA_TEST_I64, 0),
    NA_SF(rate_limit[2].seconds, NA_TEST_I64, 0),
    NA_SF(rate_limit[3].count, NA_TEST_I64, 0),
    NA_SF(rate_limit[3].seconds, NA_TEST_I64, 0),
    NA_SF(rate_limit[4].count, NA_TEST_I64, 0),
    NA_SF(rate_limit[4].seconds, NA_TEST_I64, 0),
    NA_SF(rate_limit_cache, NA_TEST_PTR, 0),
    NA_SF(event_log, NA_TEST_PTR, 0),
    NA_SF(event_mask, NA_TEST_INT, 0),
    NA_SF(token_cache, NA_TEST_PTR, 0),
    NA_SF(refresh_before, NA_TEST_I64, 0),
    NA_SF(revocation, NA_TEST_INT, 0),
    NA_SF(revocation_cache, NA_TEST_PTR, 0),
    NA_SF(revocation_fail_open, NA_TEST_INT, 0),
    /* post_config skips a server that already has keys, so inherited keys would be the
     * main server's even when the vhost has its own secrets */
    NA_SF(session_keys, NA_TEST_PTR, 1),
    NA_SF(session_nkeys, NA_TEST_INT, 1),
    NA_SF(check_keys[0][0], NA_TEST_PTR, 1),
    NA_SF(check_keys[0][1], NA_TEST_PTR, 1),
    NA_SF(check_keys[0][2], NA_TEST_PTR, 1),
    NA_SF(check_keys[1][0], NA_TEST_PTR, 1),
    NA_SF(check_keys[1][1], NA_TEST_PTR, 1),
    NA_SF(check_keys[1][2], NA_TEST_PTR, 1),
    NA_SF(token_keys, NA_TEST_PTR, 1),
    NA_SF(revoke_scopes, NA_TEST_PTR, 1),
};

static const na_test_field_t na_test_dir_fields[] = {
    NA_DF(unauthenticated, NA_TEST_INT),  NA_DF(strip_cookies, NA_TEST_INT),
    NA_DF(identity_headers, NA_TEST_INT), NA_DF(metrics, NA_TEST_INT),
    NA_DF(pass_tokens, NA_TEST_INT),      NA_DF(pass_tokens_as, NA_TEST_INT),
    NA_DF(pass_claims, NA_TEST_PTR),      NA_DF(bearer, NA_TEST_INT),
    NA_DF(bearer_issuer, NA_TEST_PTR),    NA_DF(bearer_audiences, NA_TEST_PTR),
};

/* two markers (base, add) per field of the longer table */
static char na_test_markers[2 * NA_TEST_COUNT(na_test_server_fields)];

_Static_assert(NA_TEST_COUNT(na_test_server_fields) >= NA_TEST_COUNT(na_test_dir_fields),
               "the markers are sized from the server table");

/* A distinct "set" value per field i and side (0 = base, 1 = add); touched is a flag. */
static long long na_test_field_value(const na_test_field_t *f, int i, int side)
{
    switch (f->kind) {
    case NA_TEST_PTR:
        return (long long)(size_t)&na_test_markers[2 * i + side];
    case NA_TEST_I64:
        return 1000 + 2 * i + side;
    case NA_TEST_FLAG:
        return 1;
    default:
        return 2 * i + side;
    }
}

static void na_test_field_set(void *conf, const na_test_field_t *f, int i, int side)
{
    char *at = (char *)conf + f->offset;
    long long v = na_test_field_value(f, i, side);

    switch (f->kind) {
    case NA_TEST_PTR:
        *(void **)at = (void *)(size_t)v;
        break;
    case NA_TEST_I64:
        *(apr_int64_t *)at = v;
        break;
    default:
        *(int *)at = (int)v;
        break;
    }
}

static long long na_test_field_get(const void *conf, const na_test_field_t *f)
{
    const char *at = (const char *)conf + f->offset;

    switch (f->kind) {
    case NA_TEST_PTR:
        return (long long)(size_t) * (void *const *)at;
    case NA_TEST_I64:
        return *(const apr_int64_t *)at;
    default:
        return *(const int *)at;
    }
}

typedef void *(*na_test_create_fn)(apr_pool_t *);
typedef void *(*na_test_merge_fn)(apr_pool_t *, const void *, const void *);

static void *na_test_server_create(apr_pool_t *p)
{
    return na_config_server_create(p);
}

static void *na_test_server_merge(apr_pool_t *p, const void *base, const void *add)
{
    return na_config_server_merge(p, base, add);
}

static void *na_test_dir_create(apr_pool_t *p)
{
    return na_config_dir_create(p);
}

static void *na_test_dir_merge(apr_pool_t *p, const void *base, const void *add)
{
    return na_config_dir_merge(p, base, add);
}

/* What merging gives for field f: derived fields are always left for post_config. */
static long long na_test_field_merged(const na_test_field_t *f, long long want)
{
    return f->derived ? 0 : want;
}

/* For each field: inherited from base when add leaves it unset, add's when add sets it,
 * and unset when neither does. `touched` is the exception: it is "either side". */
static void na_test_walk(const na_test_field_t *fields, int n, na_test_create_fn create,
                         na_test_merge_fn merge)
{
    void *unset = create(na_test_pool), *base = create(na_test_pool), *merged;
    int i, j;

    for (i = 0; i < n; i++) {
        na_test_field_set(base, &fields[i], i, 0);
    }
    merged = merge(na_test_pool, base, unset);
    for (j = 0; j < n; j++) {
        ck_assert_msg(na_test_field_get(merged, &fields[j])
                          == na_test_field_merged(&fields[j], na_test_field_get(base, &fields[j])),
                      "%s is not inherited from the base server", fields[j].name);
    }
    merged = merge(na_test_pool, unset, unset);
    for (j = 0; j < n; j++) {
        ck_assert_msg(na_test_field_get(merged, &fields[j]) == na_test_field_get(unset, &fields[j]),
                      "%s is not left unset when neither side sets it", fields[j].name);
    }
    for (i = 0; i < n; i++) {
        void *add = create(na_test_pool);

        na_test_field_set(add, &fields[i], i, 1);
        merged = merge(na_test_pool, base, add);
        for (j = 0; j < n; j++) {
            long long want = j == i ? na_test_field_value(&fields[j], j, 1)
                                    : na_test_field_get(base, &fields[j]);

            want = na_test_field_merged(&fields[j], want);
            ck_assert_msg(na_test_field_get(merged, &fields[j]) == want,
                          "setting %s in the vhost: %s is %lld, want %lld", fields[i].name,
                          fields[j].name, na_test_field_get(merged, &fields[j]), want);
        }
        /* and with nothing in the base, the vhost's value stands alone */
        merged = merge(na_test_pool, unset, add);
        ck_assert_msg(na_test_field_get(merged, &fields[i])
                          == na_test_field_merged(&fields[i], na_test_field_get(add, &fields[i])),
                      "%s set only in the vhost is lost", fields[i].name);
    }
}

START_TEST(test_config_merge_server_fields)
{
    na_test_walk(na_test_server_fields, NA_TEST_COUNT(na_test_server_fields), na_test_server_create,
                 na_test_server_merge);
}
END_TEST

START_TEST(test_config_merge_dir_fields)
{
    na_test_walk(na_test_dir_fields, NA_TEST_COUNT(na_test_dir_fields), na_test_dir_create,
                 na_test_dir_merge);
}
END_TEST

/* The tables above must cover their structs: between two listed fields there may only be
 * alignment padding, so a new pointer or 64-bit field that nobody listed shows up here. */
static void na_test_table_complete(const na_test_field_t *fields, int n, size_t struct_size,
                                   const char *what)
{
    size_t end = 0;
    int i;

    for (i = 0; i < n; i++) {
        ck_assert_msg(fields[i].offset >= end, "%s: %s is out of order", what, fields[i].name);
        ck_assert_msg(fields[i].offset - end < fields[i].size, "%s: %zu unlisted bytes before %s",
                      what, fields[i].offset - end, fields[i].name);
        end = fields[i].offset + fields[i].size;
    }
    ck_assert_msg(struct_size - end < sizeof(void *), "%s: unlisted fields after %s", what,
                  fields[n - 1].name);
}

START_TEST(test_config_merge_table_complete)
{
    na_test_table_complete(na_test_server_fields, NA_TEST_COUNT(na_test_server_fields),
                           sizeof(na_server_conf_t), "na_server_conf_t");
    na_test_table_complete(na_test_dir_fields, NA_TEST_COUNT(na_test_dir_fields),
                           sizeof(na_dir_conf_t), "na_dir_conf_t");
}
END_TEST

/* What a vhost inherits through real directives: single keys of key=value directives,
 * lists as a whole. */
START_TEST(test_config_merge_real_directives)
{
    na_server_conf_t *base = na_test_full_conf();
    na_server_conf_t *add = na_config_server_create(na_test_pool);
    na_server_conf_t *m;

    na_test_ok(add, NA_DIR_PAGES, "error=/vhost/error");
    na_test_ok(add, NA_DIR_SECRET, "vhost-secret");
    na_test_ok(add, NA_DIR_SESSION, "maxAge=60");
    m = na_config_server_merge(na_test_pool, base, add);
    ck_assert_str_eq(m->pages.signin, "/auth/signin");
    ck_assert_str_eq(m->pages.error, "/vhost/error");
    ck_assert_int_eq(m->secrets->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(m->secrets, 0, const char *), "vhost-secret");
    ck_assert_int_eq(na_config_max_age(m), 60);
    ck_assert_int_eq(na_config_update_age(m), 60);
    ck_assert_str_eq(na_config_provider(m, "github")->client_id, "abc");
    ck_assert_str_eq(na_config_cookie_prefix(m), "myapp");
    ck_assert_int_eq(m->touched, 1);
    m = na_config_server_merge(na_test_pool, na_config_server_create(na_test_pool),
                               na_config_server_create(na_test_pool));
    ck_assert_int_eq(m->touched, 0);
    ck_assert_str_eq(na_config_base_path(m), NA_DEFAULT_BASE_PATH);
}
END_TEST

Suite *suite_config(void)
{
    Suite *s = suite_create("config");
    TCase *tc = na_test_tcase("directives");

    tcase_add_loop_test(tc, test_config_good_lines, 0, NA_TEST_COUNT(na_test_good_lines));
    tcase_add_loop_test(tc, test_config_bad_lines, 0, NA_TEST_COUNT(na_test_bad_lines));
    tcase_add_test(tc, test_config_url_and_base_path);
    tcase_add_test(tc, test_config_secrets_keep_order);
    tcase_add_test(tc, test_config_key_value_directives_store);
    tcase_add_test(tc, test_config_cookie_database_allow_lists);
    tcase_add_test(tc, test_config_unauthenticated);
    tcase_add_test(tc, test_config_provider_lookup_and_limit);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("check");
    tcase_add_loop_test(tc, test_config_check, 0, NA_TEST_COUNT(na_test_checks));
    tcase_add_test(tc, test_config_check_after_merge);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("merge");
    tcase_add_test(tc, test_config_merge_server_fields);
    tcase_add_test(tc, test_config_merge_dir_fields);
    tcase_add_test(tc, test_config_merge_table_complete);
    tcase_add_test(tc, test_config_merge_real_directives);
    suite_add_tcase(s, tc);
    return s;
}
