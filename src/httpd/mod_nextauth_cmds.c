/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>

#include "mod_nextauth_cmds.h"
#include "na_directives.h"
#include "na_kv.h"
#include "na_secret.h"

#define NEXTAUTH_CMD_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

/* Directive handlers: turn cmd_parms into calls of the httpd-free parsers. */

static na_server_conf_t *nextauth_cmd_server(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &nextauth_module);
}

/* The key of the word whose quote is never closed ("name" for name="Staff login), or
 * NULL; scanned the way na_kv_tokenize reads quotes. Only the key is ever echoed: the
 * value may be a clientSecret. */
static const char *nextauth_cmd_open_quote_key(apr_pool_t *p, const char *line)
{
    const char *s, *open, *eq, *word = line;

    for (s = line; *s; s++) {
        if (apr_isspace(*s)) {
            word = s + 1;
            continue;
        }
        if (*s != '"') {
            continue;
        }
        for (open = s++; *s && *s != '"'; s++) {
            if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) {
                s++;
            }
        }
        if (*s == '\0') {
            eq = memchr(word, '=', (apr_size_t)(open - word));
            if (eq == NULL || eq == word
                || strspn(word, NEXTAUTH_CMD_NAME_CHARS) != (apr_size_t)(eq - word)) {
                return NULL;
            }
            return apr_pstrmemdup(p, word, (apr_size_t)(eq - word));
        }
    }
    return NULL;
}

/* An unbalanced quote is reported like every other bad value: directive, provider id
 * when the line starts with one, the key whose value is not closed, what is accepted. */
static const char *nextauth_cmd_quote_error(cmd_parms *cmd, const char *line, const char *msg)
{
    const char *first, *key = nextauth_cmd_open_quote_key(cmd->temp_pool, line);
    apr_size_t n;

    while (apr_isspace(*line)) {
        line++;
    }
    n = strcspn(line, " \t");
    first = (n > 0 && n <= 64 && strspn(line, NEXTAUTH_CMD_NAME_CHARS) == n)
                ? apr_pstrmemdup(cmd->temp_pool, line, n)
                : NULL;
    return apr_psprintf(cmd->pool,
                        "%s%s%s%s%s: %s; accepted: a double-quoted value closed on "
                        "the same line, e.g. name=\"Staff login\"",
                        cmd->directive->directive, first ? " " : "", first ? first : "",
                        key ? " " : "", key ? apr_pstrcat(cmd->temp_pool, key, "=\"...", NULL) : "",
                        msg);
}

/* key=value directives take the raw line: httpd's own word splitter would cut
 * name="Staff login" in two, since the quote is not at the start of the word. */
static const char *nextauth_cmd_words(cmd_parms *cmd, const char *line, int *argc,
                                      const char *const **argv)
{
    apr_array_header_t *words = NULL;
    const char *msg = na_kv_tokenize(cmd->pool, line, &words);

    if (msg) {
        return nextauth_cmd_quote_error(cmd, line, msg);
    }
    *argc = words->nelts;
    *argv = (const char *const *)words->elts;
    return NULL;
}

static const char *nextauth_cmd_url(cmd_parms *cmd, void *dconf, const char *value)
{
    (void)dconf;
    return na_config_set_url(cmd->pool, nextauth_cmd_server(cmd), value);
}

static const char *nextauth_cmd_base_path(cmd_parms *cmd, void *dconf, const char *value)
{
    (void)dconf;
    return na_config_set_base_path(cmd->pool, nextauth_cmd_server(cmd), value);
}

/* A secret file every local user can read still starts the server (refusing it would
 * turn a chmod slip into an outage), but the error log says so, once per line. */
static void nextauth_cmd_warn_exposed(cmd_parms *cmd, const char *head, const char *text)
{
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, NA_LOGNO(00120) "%s %s (line %d of %s)",
                 head, text, cmd->directive->line_num, cmd->directive->filename);
}

static const char *nextauth_cmd_secret(cmd_parms *cmd, void *dconf, const char *value)
{
    const char *msg, *warning;

    (void)dconf;
    /* Relative secret files are found under ServerRoot, like every other httpd path. */
    if (strncmp(value, "file:", 5) == 0 && value[5] != '\0') {
        const char *path = ap_server_root_relative(cmd->temp_pool, value + 5);
        if (path == NULL) {
            return apr_psprintf(cmd->pool, NA_DIR_SECRET ": file '%s': not a valid path",
                                value + 5);
        }
        value = apr_pstrcat(cmd->temp_pool, "file:", path, NULL);
    }
    if ((msg = na_config_add_secret(cmd->pool, nextauth_cmd_server(cmd), value)) != NULL) {
        return msg;
    }
    if ((warning = na_secret_warning(cmd->temp_pool, value)) != NULL) {
        nextauth_cmd_warn_exposed(cmd, NA_DIR_SECRET ":", warning);
    }
    return NULL;
}

/* The key=value directives differ only in the parser they call; cmd->info names it. */
typedef const char *(*nextauth_kv_parser)(apr_pool_t *p, na_server_conf_t *c, int argc,
                                          const char *const *argv);

typedef struct nextauth_kv_cmd_t {
    nextauth_kv_parser parse;
} nextauth_kv_cmd_t;

static const nextauth_kv_cmd_t nextauth_cmd_provider = {na_config_add_provider};
static const nextauth_kv_cmd_t nextauth_cmd_pages = {na_config_set_pages};
static const nextauth_kv_cmd_t nextauth_cmd_theme = {na_config_set_theme};
static const nextauth_kv_cmd_t nextauth_cmd_session = {na_config_set_session};
static const nextauth_kv_cmd_t nextauth_cmd_cookie = {na_config_set_cookie};
static const nextauth_kv_cmd_t nextauth_cmd_rate_limit = {na_config_set_rate_limit};

/* The provider this line added is the last one; its clientSecret file may be exposed. */
static void nextauth_cmd_provider_warn(cmd_parms *cmd)
{
    const apr_array_header_t *list = nextauth_cmd_server(cmd)->providers;
    const na_provider_t *prov;

    if (list == NULL || list->nelts == 0) {
        return;
    }
    prov = APR_ARRAY_IDX(list, list->nelts - 1, const na_provider_t *);
    if (prov->secret_warning) {
        nextauth_cmd_warn_exposed(cmd,
                                  apr_pstrcat(cmd->temp_pool, NA_DIR_PROVIDER " ", prov->id, NULL),
                                  prov->secret_warning);
    }
}

static const char *nextauth_cmd_kv(cmd_parms *cmd, void *dconf, const char *line)
{
    const nextauth_kv_cmd_t *kv = cmd->info;
    int argc = 0;
    const char *const *argv = NULL;
    const char *msg = nextauth_cmd_words(cmd, line, &argc, &argv);

    (void)dconf;
    if (msg || (msg = kv->parse(cmd->pool, nextauth_cmd_server(cmd), argc, argv)) != NULL) {
        return msg;
    }
    if (kv == &nextauth_cmd_provider) {
        nextauth_cmd_provider_warn(cmd);
    }
    return NULL;
}

static const char *nextauth_cmd_database(cmd_parms *cmd, void *dconf, const char *value)
{
    (void)dconf;
    return na_config_set_database(cmd->pool, nextauth_cmd_server(cmd), value);
}

static const char *nextauth_cmd_signin_allow(cmd_parms *cmd, void *dconf, const char *value)
{
    (void)dconf;
    return na_config_add_signin_allow(cmd->pool, nextauth_cmd_server(cmd), value);
}

static const char *nextauth_cmd_redirect_allow(cmd_parms *cmd, void *dconf, const char *value)
{
    (void)dconf;
    return na_config_add_redirect_allow(cmd->pool, nextauth_cmd_server(cmd), value);
}

/* One cache per httpd (counters, token records): the main server's line counts. */
static const char *nextauth_cmd_main_only(cmd_parms *cmd, const char *directive, const char *value)
{
    if (!cmd->server->is_virtual) {
        return NULL;
    }
    return apr_psprintf(cmd->pool,
                        "%s '%s': not inside <VirtualHost>; accepted: once, in the main server "
                        "configuration",
                        directive, value);
}

static const char *nextauth_cmd_rate_limit_cache(cmd_parms *cmd, void *dconf, const char *value)
{
    const char *msg = nextauth_cmd_main_only(cmd, NA_DIR_RATE_LIMIT_CACHE, value);

    (void)dconf;
    return msg ? msg : na_config_set_rate_limit_cache(cmd->pool, nextauth_cmd_server(cmd), value);
}

static const char *nextauth_cmd_event_log(cmd_parms *cmd, void *dconf, const char *target,
                                          const char *option)
{
    (void)dconf;
    return na_config_set_event_log(cmd->pool, nextauth_cmd_server(cmd), target, option);
}

static const char *nextauth_cmd_unauthenticated(cmd_parms *cmd, void *dconf, const char *value)
{
    return na_config_set_unauthenticated(cmd->pool, dconf, value);
}

static const char *nextauth_cmd_strip_cookies(cmd_parms *cmd, void *dconf, int on)
{
    (void)cmd;
    ((na_dir_conf_t *)dconf)->strip_cookies = on ? 1 : 0;
    return NULL;
}

static const char *nextauth_cmd_identity_headers(cmd_parms *cmd, void *dconf, int on)
{
    (void)cmd;
    ((na_dir_conf_t *)dconf)->identity_headers = on ? 1 : 0;
    return NULL;
}

static const char *nextauth_cmd_metrics(cmd_parms *cmd, void *dconf, int on)
{
    (void)cmd;
    ((na_dir_conf_t *)dconf)->metrics = on ? 1 : 0;
    return NULL;
}

static const char *nextauth_cmd_token_cache(cmd_parms *cmd, void *dconf, const char *value)
{
    const char *msg = nextauth_cmd_main_only(cmd, NA_DIR_TOKEN_CACHE, value);

    (void)dconf;
    return msg ? msg : na_config_set_token_cache(cmd->pool, nextauth_cmd_server(cmd), value);
}

static const char *nextauth_cmd_refresh(cmd_parms *cmd, void *dconf, const char *value)
{
    (void)dconf;
    return na_config_set_refresh(cmd->pool, nextauth_cmd_server(cmd), value);
}

static const char *nextauth_cmd_pass_tokens(cmd_parms *cmd, void *dconf, const char *what,
                                            const char *as)
{
    return na_config_set_pass_tokens(cmd->pool, dconf, what, as);
}

static const char *nextauth_cmd_pass_claims(cmd_parms *cmd, void *dconf, const char *line)
{
    apr_array_header_t *words = NULL;
    const char *msg = na_kv_tokenize(cmd->temp_pool, line, &words);

    if (msg) {
        return apr_pstrcat(cmd->pool, NA_DIR_PASS_CLAIMS ": ", msg,
                           "; accepted: claim names separated by commas", NULL);
    }
    return na_config_set_pass_claims(cmd->pool, dconf, words->nelts,
                                     (const char *const *)words->elts);
}

static const char *nextauth_cmd_revocation(cmd_parms *cmd, void *dconf, const char *line)
{
    int argc = 0;
    const char *const *argv = NULL;
    const char *msg = nextauth_cmd_main_only(cmd, NA_DIR_REVOCATION, line);

    (void)dconf;
    if (msg || (msg = nextauth_cmd_words(cmd, line, &argc, &argv)) != NULL) {
        return msg;
    }
    return na_config_set_revocation(cmd->pool, nextauth_cmd_server(cmd), argc, argv);
}

static const char *nextauth_cmd_bearer(cmd_parms *cmd, void *dconf, const char *line)
{
    int argc = 0;
    const char *const *argv = NULL;
    const char *msg = nextauth_cmd_words(cmd, line, &argc, &argv);

    return msg ? msg : na_config_set_bearer(cmd->pool, dconf, argc, argv);
}

#define NA_DIR_SCOPE (OR_AUTHCFG | ACCESS_CONF | RSRC_CONF)

/* In DESIGN.md's order; the help text is the accepted syntax, which httpd prints on an
 * arity error. */
const command_rec nextauth_cmds[] = {
    AP_INIT_TAKE1(NA_DIR_URL, nextauth_cmd_url, NULL, RSRC_CONF,
                  "URL: public base URL of the site, e.g. https://www.example.com"),
    AP_INIT_TAKE1(NA_DIR_BASE_PATH, nextauth_cmd_base_path, NULL, RSRC_CONF,
                  "PATH: where the auth routes live (default /api/auth)"),
    AP_INIT_TAKE1(NA_DIR_SECRET, nextauth_cmd_secret, NULL, RSRC_CONF,
                  "VALUE, file:PATH or env:NAME; repeat to rotate (the first encrypts)"),
    AP_INIT_RAW_ARGS(NA_DIR_PROVIDER, nextauth_cmd_kv, (void *)&nextauth_cmd_provider, RSRC_CONF,
                     "ID [key=value ...]: one sign-in provider"),
    AP_INIT_RAW_ARGS(NA_DIR_PAGES, nextauth_cmd_kv, (void *)&nextauth_cmd_pages, RSRC_CONF,
                     "signIn|signOut|error|verifyRequest|newUser=PATH ..."),
    AP_INIT_RAW_ARGS(NA_DIR_THEME, nextauth_cmd_kv, (void *)&nextauth_cmd_theme, RSRC_CONF,
                     "colorScheme=auto|light|dark brandColor=#hex logo=URL buttonText=#hex"),
    AP_INIT_RAW_ARGS(NA_DIR_SESSION, nextauth_cmd_kv, (void *)&nextauth_cmd_session, RSRC_CONF,
                     "strategy=jwt|database maxAge=SECONDS updateAge=SECONDS"),
    AP_INIT_TAKE1(NA_DIR_DATABASE, nextauth_cmd_database, NULL, RSRC_CONF,
                  "dbd|off: keep users, accounts and tokens through mod_dbd"),
    AP_INIT_ITERATE(NA_DIR_SIGNIN_ALLOW, nextauth_cmd_signin_allow, NULL, RSRC_CONF,
                    "PATTERN ...: e-mail patterns allowed to sign in, e.g. *@example.com"),
    AP_INIT_ITERATE(NA_DIR_REDIRECT_ALLOW, nextauth_cmd_redirect_allow, NULL, RSRC_CONF,
                    "ORIGIN ...: extra origins a callbackUrl may point to"),
    AP_INIT_RAW_ARGS(NA_DIR_COOKIE, nextauth_cmd_kv, (void *)&nextauth_cmd_cookie, RSRC_CONF,
                     "secure=auto|on|off domain=HOST prefix=NAME"),
    AP_INIT_RAW_ARGS(NA_DIR_RATE_LIMIT, nextauth_cmd_kv, (void *)&nextauth_cmd_rate_limit,
                     RSRC_CONF,
                     "emailAddress|emailIp|credentialsUser|credentialsIp|backchannelIp="
                     "N/SECONDS|off ..."),
    AP_INIT_TAKE1(NA_DIR_RATE_LIMIT_CACHE, nextauth_cmd_rate_limit_cache, NULL, RSRC_CONF,
                  "PROVIDER[:ARGS]: mod_socache provider of the rate-limit counters "
                  "(default shmcb; redis:HOST:PORT to share them between hosts)"),
    AP_INIT_TAKE12(NA_DIR_EVENT_LOG, nextauth_cmd_event_log, NULL, RSRC_CONF,
                   "FILE|\"|command\" [events=signIn,signOut,createUser,linkAccount,session]: "
                   "audit log of sign-in events, one JSON object per line"),
    AP_INIT_TAKE1(NA_DIR_UNAUTHENTICATED, nextauth_cmd_unauthenticated, NULL, NA_DIR_SCOPE,
                  "redirect|401|pass: what an unauthenticated request gets"),
    AP_INIT_FLAG(NA_DIR_STRIP_COOKIES, nextauth_cmd_strip_cookies, NULL, NA_DIR_SCOPE,
                 "On|Off: hide the module's cookies from the backend"),
    AP_INIT_FLAG(NA_DIR_IDENTITY_HEADERS, nextauth_cmd_identity_headers, NULL, NA_DIR_SCOPE,
                 "On|Off: pass X-NextAuth-* identity headers to the backend"),
    /* <Location> or <Directory> only: a scrape endpoint has no business in .htaccess. */
    AP_INIT_FLAG(NA_DIR_METRICS, nextauth_cmd_metrics, NULL, ACCESS_CONF,
                 "On|Off: answer GET here with the Prometheus metrics"),
    AP_INIT_TAKE1(NA_DIR_TOKEN_CACHE, nextauth_cmd_token_cache, NULL, RSRC_CONF,
                  "PROVIDER[:ARGS]: mod_socache provider of the IdP token records "
                  "(default shmcb; redis:HOST:PORT to share them between hosts)"),
    AP_INIT_TAKE1(NA_DIR_REFRESH, nextauth_cmd_refresh, NULL, RSRC_CONF,
                  "before=SECONDS|off: refresh access tokens this long before they expire"),
    AP_INIT_TAKE12(NA_DIR_PASS_TOKENS, nextauth_cmd_pass_tokens, NULL, NA_DIR_SCOPE,
                   "access|id|none [as=bearer|header]: pass the IdP's token to the backend"),
    AP_INIT_RAW_ARGS(NA_DIR_PASS_CLAIMS, nextauth_cmd_pass_claims, NULL, NA_DIR_SCOPE,
                     "NAME[,NAME...]: pass these claims as X-NextAuth-Claim-* and "
                     "NEXTAUTH_CLAIM_*"),
    AP_INIT_RAW_ARGS(NA_DIR_REVOCATION, nextauth_cmd_revocation, NULL, RSRC_CONF,
                     "[cache=PROVIDER[:ARGS]] [failOpen=on|off] | off: the revocation list of "
                     "signed-out sessions (default shmcb; redis:HOST:PORT for several hosts)"),
    AP_INIT_RAW_ARGS(NA_DIR_BEARER, nextauth_cmd_bearer, NULL, NA_DIR_SCOPE,
                     "on|off | issuer=URL audience=NAME[,NAME...]: Authorization: Bearer "
                     "session tokens, and JWT access tokens of that issuer"),
    {NULL},
};
