/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_strings.h>
#include <jansson.h>

#include "na_cache.h"
#include "na_session_memo.h"

/* Sharing a parsed payload between threads needs jansson's atomic reference counts;
 * without them a hit hands out the payload text only, and a refresh parses it again. */
#ifdef JANSSON_THREAD_SAFE_REFCOUNT
#define NA_MEMO_SHARE_JSON 1
#else
#define NA_MEMO_SHARE_JSON 0
#endif

/* What a memo entry holds; its key is the key set's identity followed by the token. */
typedef struct na_memo_value_t {
    na_session_claims_t claims;
    int key_index;
} na_memo_value_t;

struct na_session_memo_t {
    na_cache_t *cache;
};

na_session_memo_t *na_session_memo_create(apr_pool_t *p, int slots)
{
    na_session_memo_t *m = apr_pcalloc(p, sizeof(*m));

    m->cache = na_cache_create(p, slots);
    return m->cache ? m : NULL;
}

static apr_status_t na_memo_release_json(void *obj)
{
    json_decref(obj);
    return APR_SUCCESS;
}

/* Strings copied into p; the parsed payload, when shared, gains a reference that p's
 * cleanup (a reader's pool, or the entry's when another value takes it) gives back. */
static void *na_memo_copy(apr_pool_t *p, const void *value)
{
    const na_memo_value_t *in = value;
    na_memo_value_t *out = apr_pmemdup(p, in, sizeof(*in));
    const na_session_claims_t *c = &in->claims;

    out->claims.name = c->name ? apr_pstrdup(p, c->name) : NULL;
    out->claims.email = c->email ? apr_pstrdup(p, c->email) : NULL;
    out->claims.picture = c->picture ? apr_pstrdup(p, c->picture) : NULL;
    out->claims.sub = c->sub ? apr_pstrdup(p, c->sub) : NULL;
    out->claims.provider = c->provider ? apr_pstrdup(p, c->provider) : NULL;
    out->claims.id_token = c->id_token ? apr_pstrdup(p, c->id_token) : NULL;
    out->claims.jti = c->jti ? apr_pstrdup(p, c->jti) : NULL;
    out->claims.sid = c->sid ? apr_pstrdup(p, c->sid) : NULL;
    out->claims.payload = c->payload ? apr_pstrdup(p, c->payload) : NULL;
    out->claims.payload_obj = NULL;
    if (NA_MEMO_SHARE_JSON && c->payload_obj) {
        out->claims.payload_obj = json_incref(c->payload_obj);
        apr_pool_cleanup_register(p, out->claims.payload_obj, na_memo_release_json,
                                  apr_pool_cleanup_null);
    }
    return out;
}

/* The cache key in buf: the key set's address, then the token (another vhost never
 * hits). 0 when the token is too long to remember. */
#define NA_MEMO_KEY_MAX (sizeof(void *) + NA_SESSION_MEMO_MAX_TOKEN)

static apr_size_t na_memo_key(char buf[NA_MEMO_KEY_MAX], const void *keys, const char *token)
{
    apr_size_t len = strlen(token);

    if (len > NA_SESSION_MEMO_MAX_TOKEN) {
        return 0;
    }
    memcpy(buf, &keys, sizeof(keys));
    memcpy(buf + sizeof(keys), token, len);
    return sizeof(keys) + len;
}

int na_session_memo_get(na_session_memo_t *m, apr_pool_t *p, const void *keys, const char *token,
                        apr_int64_t now, na_session_claims_t *claims, int *key_index)
{
    char key[NA_MEMO_KEY_MAX];
    apr_size_t klen = m ? na_memo_key(key, keys, token) : 0;
    void *got;

    /* Entries expire at exp; a token is still good while exp > now - tolerance, as in
     * na_session_decode. */
    if (klen == 0
        || !na_cache_get(m->cache, p, key, klen, now - NA_SESSION_CLOCK_TOLERANCE, na_memo_copy,
                         &got)) {
        return 0;
    }
    *claims = ((na_memo_value_t *)got)->claims;
    if (key_index) {
        *key_index = ((na_memo_value_t *)got)->key_index;
    }
    return 1;
}

void na_session_memo_put(na_session_memo_t *m, const void *keys, const char *token,
                         const na_session_claims_t *claims, int key_index)
{
    const na_memo_value_t value = {*claims, key_index};
    char key[NA_MEMO_KEY_MAX];
    apr_size_t klen = m ? na_memo_key(key, keys, token) : 0;

    if (klen > 0) {
        na_cache_put(m->cache, key, klen, 0, claims->exp, na_memo_copy, &value);
    }
}
