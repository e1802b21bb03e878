/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>

#include <jansson.h>

#include "mod_nextauth_api.h"
#include "mod_nextauth_event.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_revoke.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_tokens.h"

/* Serialise and release a jansson value, copying the text into the request pool. */
static const char *nextauth_api_dump(request_rec *r, json_t *json)
{
    char *text = json_dumps(json, JSON_COMPACT);
    const char *out = text ? apr_pstrdup(r->pool, text) : NULL;

    free(text);
    json_decref(json);
    return out;
}

static int nextauth_api_send(request_rec *r, json_t *json)
{
    const char *body = json ? nextauth_api_dump(r, json) : NULL;

    if (body == NULL) {
        nextauth_fail_log(r, NA_LOGNO(00006), NA_EINTERNAL, NULL, "cannot build JSON reply");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return nextauth_reply_json(r, HTTP_OK, body);
}

static json_t *nextauth_api_provider(nextauth_req_t *req, const na_provider_t *prov)
{
    apr_pool_t *p = req->r->pool;

    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", prov->id, "name", prov->name, "type",
                     na_provider_wire_type(prov), "signinUrl",
                     apr_pstrcat(p, req->base_url, "/signin/", prov->id, NULL), "callbackUrl",
                     apr_pstrcat(p, req->base_url, "/callback/", prov->id, NULL));
}

/* GET providers: an object keyed by id, in configuration order (jansson keeps insertion
 * order). No cache headers, as in next-auth. */
int nextauth_route_providers(nextauth_req_t *req)
{
    json_t *all = json_object();
    int i;

    for (i = 0; all && req->conf->providers && i < req->conf->providers->nelts; i++) {
        const na_provider_t *prov = APR_ARRAY_IDX(req->conf->providers, i, const na_provider_t *);
        json_t *one = nextauth_api_provider(req, prov);
        if (one == NULL || json_object_set_new(all, prov->id, one) != 0) {
            json_decref(all);
            all = NULL;
        }
    }
    return nextauth_api_send(req->r, all);
}

/* GET csrf: the token of the cookie the handler checked or minted. */
int nextauth_route_csrf(nextauth_req_t *req)
{
    nextauth_reply_no_store(req->r);
    return nextauth_api_send(req->r, json_pack("{s:s}", "csrfToken", req->csrf_token));
}

static json_t *nextauth_api_str(const char *s)
{
    json_t *v = s ? json_string(s) : NULL;

    return v ? v : json_null();
}

/* next-auth's "expires": ISO 8601 in UTC with milliseconds. */
static const char *nextauth_api_iso8601(apr_pool_t *p, apr_int64_t when)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, apr_time_from_sec(when));
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* next-auth's shape: a user member the token lacks is left out, a null one is kept. */
static json_t *nextauth_api_session_json(request_rec *r, const na_session_claims_t *c,
                                         apr_int64_t expires)
{
    json_t *user = json_object();

    if (user == NULL
        || ((c->present & NA_CLAIM_NAME)
            && json_object_set_new(user, "name", nextauth_api_str(c->name)) != 0)
        || ((c->present & NA_CLAIM_EMAIL)
            && json_object_set_new(user, "email", nextauth_api_str(c->email)) != 0)
        || ((c->present & NA_CLAIM_PICTURE)
            && json_object_set_new(user, "image", nextauth_api_str(c->picture)) != 0)) {
        json_decref(user);
        return NULL;
    }
    return json_pack("{s:o, s:s}", "user", user, "expires", nextauth_api_iso8601(r->pool, expires));
}

/* NextAuthSession expose=: the keys next-auth's docs have a jwt/session callback add
 * (session.accessToken, session.error), after expires; none without the directive, so
 * the default answer stays next-auth's. */
static json_t *nextauth_api_session_expose(request_rec *r, const na_server_conf_t *conf,
                                           const na_session_claims_t *c, json_t *json)
{
    unsigned expose = na_config_expose(conf);
    const char *access_token = NULL, *error = NULL;

    if (json == NULL || expose == 0) {
        return json;
    }
    nextauth_tokens_exposed(r, c, &access_token, &error);
    if (((expose & NA_EXPOSE_ACCESS_TOKEN) && access_token
         && json_object_set_new(json, "accessToken", json_string(access_token)) != 0)
        || ((expose & NA_EXPOSE_ERROR) && error
            && json_object_set_new(json, "error", json_string(error)) != 0)) {
        json_decref(json);
        return NULL;
    }
    return json;
}

/* GET session (and the client's update POST): the session as next-auth shapes it, with
 * the cookie re-issued (rolling expiry; a token under an old secret moves to the
 * current one). "{}" without a valid session, whose stale chunks are cleared. */
int nextauth_route_session(nextauth_req_t *req)
{
    request_rec *r = req->r;
    const na_session_claims_t *found;
    na_session_claims_t claims;
    apr_int64_t expires = 0;
    int status;

    if (r->method_number == M_POST && !nextauth_req_csrf_ok(req)) {
        nextauth_fail_log(r, NA_LOGNO(00165), NA_EINPUT, NULL,
                          "CSRF check failed on the session update");
        return nextauth_reply_json(r, HTTP_BAD_REQUEST, "{}");
    }
    if (r->method_number != M_POST) {
        nextauth_reply_no_store(r);
    }
    found = nextauth_session_load(r, req->conf, &req->names, &status);
    if (found == NULL && nextauth_revoke_down(r)) {
        return nextauth_reply_json(r, HTTP_SERVICE_UNAVAILABLE, "{}");
    }
    if (found == NULL) {
        /* A database that failed says nothing about the cookie: it stays. */
        if (nextauth_session_sent(r) && status != NA_EPEER) {
            nextauth_session_clear(req);
        }
        return nextauth_reply_json(r, HTTP_OK, "{}");
    }
    nextauth_event_record(r, NA_EVENT_SESSION, NULL, found, 0);
    if (nextauth_session_db(r, NULL, NULL)) {
        if (nextauth_session_refresh_db(req, &expires) != APR_SUCCESS) {
            return nextauth_reply_json(r, HTTP_OK, "{}");
        }
        return nextauth_api_send(
            r, nextauth_api_session_expose(r, req->conf, found,
                                           nextauth_api_session_json(r, found, expires)));
    }
    claims = *found;
    if (nextauth_session_issue(req, &claims, &expires) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return nextauth_api_send(
        r, nextauth_api_session_expose(r, req->conf, found,
                                       nextauth_api_session_json(r, found, expires)));
}

/* POST _log: the client logger's beacon. Nothing of it is logged at a level a default
 * configuration shows, since it is client-supplied text. */
int nextauth_route_log(nextauth_req_t *req)
{
    const char *code = apr_table_get(req->form, "code");

    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, req->r, NA_LOGNO(00011) "client log: %s",
                  code ? ap_escape_logitem(req->r->pool, code) : "-");
    return nextauth_reply_text(req->r, HTTP_OK, "text/plain", "");
}
