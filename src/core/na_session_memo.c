/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_allocator.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <jansson.h>

#include "na_crypto.h"
#include "na_session_memo.h"

/* Sharing a parsed payload between threads needs jansson's atomic reference counts;
 * without them a hit hands out the payload text only, and a refresh parses it again. */
#ifdef JANSSON_THREAD_SAFE_REFCOUNT
#define NA_MEMO_SHARE_JSON 1
#else
#define NA_MEMO_SHARE_JSON 0
#endif

typedef struct na_memo_slot_t {
    apr_pool_t *pool; /* cleared when another token takes the slot */
    const void *keys;
    char *token;
    apr_size_t len;
    na_session_claims_t claims;
    int key_index;
} na_memo_slot_t;

struct na_session_memo_t {
    apr_pool_t *pool;
    apr_thread_mutex_t *lock;
    na_memo_slot_t *slots;
    int nslots;
};

na_session_memo_t *na_session_memo_create(apr_pool_t *p, int slots)
{
    na_session_memo_t *m = apr_pcalloc(p, sizeof(*m));
    apr_allocator_t *allocator;

    if (slots <= 0
        || apr_thread_mutex_create(&m->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS
        || apr_allocator_create(&allocator) != APR_SUCCESS) {
        return NULL;
    }
    /* Slot pools are made and cleared by request threads under m->lock alone, so they
     * draw on an allocator of their own: p's (httpd's pchild) takes no lock, and other
     * code allocating from it would race with them. */
    if (apr_pool_create_ex(&m->pool, p, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return NULL;
    }
    apr_allocator_owner_set(allocator, m->pool);
    m->nslots = slots;
    m->slots = apr_pcalloc(p, sizeof(*m->slots) * (apr_size_t)slots);
    return m;
}

/* FNV-1a over the token's tail: a JWE ends with its GCM tag, random for every token. */
static int na_memo_index(const na_session_memo_t *m, const char *token, apr_size_t len)
{
    const unsigned char *s = (const unsigned char *)token + (len > 24 ? len - 24 : 0);
    apr_uint32_t h = 2166136261u;

    for (; *s; s++) {
        h = (h ^ *s) * 16777619u;
    }
    return (int)(h % (apr_uint32_t)m->nslots);
}

static apr_status_t na_memo_release_json(void *obj)
{
    json_decref(obj);
    return APR_SUCCESS;
}

/* Strings copied into p; the parsed payload, when shared, gains a reference that p's
 * cleanup (or the slot's next occupant) gives back. */
static void na_memo_copy(apr_pool_t *p, const na_session_claims_t *in, na_session_claims_t *out)
{
    *out = *in;
    out->name = in->name ? apr_pstrdup(p, in->name) : NULL;
    out->email = in->email ? apr_pstrdup(p, in->email) : NULL;
    out->picture = in->picture ? apr_pstrdup(p, in->picture) : NULL;
    out->sub = in->sub ? apr_pstrdup(p, in->sub) : NULL;
    out->provider = in->provider ? apr_pstrdup(p, in->provider) : NULL;
    out->id_token = in->id_token ? apr_pstrdup(p, in->id_token) : NULL;
    out->jti = in->jti ? apr_pstrdup(p, in->jti) : NULL;
    out->payload = in->payload ? apr_pstrdup(p, in->payload) : NULL;
    out->payload_obj = NULL;
    if (NA_MEMO_SHARE_JSON && in->payload_obj) {
        out->payload_obj = json_incref(in->payload_obj);
        apr_pool_cleanup_register(p, out->payload_obj, na_memo_release_json,
                                  apr_pool_cleanup_null);
    }
}

int na_session_memo_get(na_session_memo_t *m, apr_pool_t *p, const void *keys, const char *token,
                        apr_int64_t now, na_session_claims_t *claims, int *key_index)
{
    apr_size_t len = strlen(token);
    na_memo_slot_t *slot;
    int hit;

    if (m == NULL || len > NA_SESSION_MEMO_MAX_TOKEN
        || apr_thread_mutex_lock(m->lock) != APR_SUCCESS) {
        return 0;
    }
    slot = &m->slots[na_memo_index(m, token, len)];
    hit = slot->token != NULL && slot->keys == keys
          && na_crypto_ct_equal(slot->token, slot->len, token, len)
          && slot->claims.exp > now - NA_SESSION_CLOCK_TOLERANCE;
    if (hit) {
        na_memo_copy(p, &slot->claims, claims);
        if (key_index) {
            *key_index = slot->key_index;
        }
    }
    apr_thread_mutex_unlock(m->lock);
    return hit;
}

void na_session_memo_put(na_session_memo_t *m, const void *keys, const char *token,
                         const na_session_claims_t *claims, int key_index)
{
    apr_size_t len = strlen(token);
    na_memo_slot_t *slot;

    if (m == NULL || len > NA_SESSION_MEMO_MAX_TOKEN
        || apr_thread_mutex_lock(m->lock) != APR_SUCCESS) {
        return;
    }
    slot = &m->slots[na_memo_index(m, token, len)];
    if (slot->pool == NULL && apr_pool_create(&slot->pool, m->pool) != APR_SUCCESS) {
        slot->pool = NULL;
    }
    if (slot->pool) {
        apr_pool_clear(slot->pool); /* drops the previous occupant's payload reference */
        slot->keys = keys;
        slot->token = apr_pstrmemdup(slot->pool, token, len);
        slot->len = len;
        slot->key_index = key_index;
        na_memo_copy(slot->pool, claims, &slot->claims);
    }
    apr_thread_mutex_unlock(m->lock);
}
