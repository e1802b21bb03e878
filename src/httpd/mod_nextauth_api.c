/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>

#include <jansson.h>

#include "mod_nextauth.h"

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
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00006) "cannot build JSON reply");
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

/* GET session: "{}" for no session; real sessions arrive with the session cookie. */
int nextauth_route_session(nextauth_req_t *req)
{
    nextauth_reply_no_store(req->r);
    return nextauth_reply_json(req->r, HTTP_OK, "{}");
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
