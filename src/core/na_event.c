/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "na_event.h"
#include "na_json.h"

static const char *const na_event_names[NA_EVENT__COUNT] = {
    [NA_EVENT_SIGNIN] = "signIn",          [NA_EVENT_SIGNOUT] = "signOut",
    [NA_EVENT_CREATE_USER] = "createUser", [NA_EVENT_LINK_ACCOUNT] = "linkAccount",
    [NA_EVENT_SESSION] = "session",
};

const char *na_event_name(na_event_e e)
{
    return (unsigned)e < NA_EVENT__COUNT ? na_event_names[e] : NULL;
}

static int na_event_lookup(const char *name, apr_size_t n)
{
    int i;

    for (i = 0; i < NA_EVENT__COUNT; i++) {
        if (strlen(na_event_names[i]) == n && strncmp(na_event_names[i], name, n) == 0) {
            return i;
        }
    }
    return -1;
}

const char *na_event_parse_mask(apr_pool_t *p, const char *directive, const char *list,
                                unsigned *mask)
{
    const char *s = list;
    unsigned bits = 0;

    for (;;) {
        apr_size_t n = strcspn(s, ",");
        int e = na_event_lookup(s, n);
        if (e < 0) {
            return apr_psprintf(p,
                                "%s events='%s': %s; accepted: a comma-separated list of "
                                "signIn, signOut, createUser, linkAccount, session",
                                directive, list,
                                n ? apr_psprintf(p, "unknown event '%.*s'", (int)n, s)
                                  : "empty event name");
        }
        bits |= NA_EVENT_BIT(e);
        if (s[n] == '\0') {
            break;
        }
        s += n + 1;
    }
    *mask = bits;
    return NULL;
}

/* Length of the well-formed UTF-8 sequence at s (at most `left` bytes), 0 when there is
 * none; jansson checks the finer rules (overlongs, surrogates) after us. */
static apr_size_t na_event_utf8_len(const unsigned char *s, apr_size_t left)
{
    apr_size_t n, i;

    if (*s < 0x80) {
        return 1;
    }
    n = (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > left) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* A JSON string of `v` cut at NA_EVENT_MAX_FIELD on a character boundary. Invalid bytes
 * become '?': a client-chosen user name must neither drop the event nor break JSON. */
static json_t *na_event_string(apr_pool_t *p, const char *v)
{
    apr_size_t len = strlen(v), in = 0, out = 0;
    char *buf = apr_palloc(p, (len < NA_EVENT_MAX_FIELD ? len : NA_EVENT_MAX_FIELD) + 1);
    json_t *j;

    while (in < len) {
        apr_size_t n = na_event_utf8_len((const unsigned char *)v + in, len - in);
        if (out + (n ? n : 1) > NA_EVENT_MAX_FIELD) {
            break;
        }
        if (n == 0) {
            buf[out++] = '?';
            in++;
            continue;
        }
        memcpy(buf + out, v + in, n);
        out += n;
        in += n;
    }
    if ((j = json_stringn(buf, out)) != NULL) {
        return j;
    }
    for (in = 0; in < out; in++) {
        buf[in] = (unsigned char)buf[in] < 0x80 ? buf[in] : '?';
    }
    return json_stringn(buf, out);
}

static int na_event_set_string(apr_pool_t *p, json_t *obj, const char *key, const char *v)
{
    return v == NULL || json_object_set_new(obj, key, na_event_string(p, v)) == 0;
}

static const char *na_event_time(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;

    if (apr_time_exp_gmt(&tm, t) != APR_SUCCESS) {
        memset(&tm, 0, sizeof(tm));
    }
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_usec / 1000);
}

const char *na_event_line(apr_pool_t *p, const na_event_t *ev, apr_size_t *len)
{
    json_t *obj = na_json_pool_own(p, json_object());
    const char *name = na_event_name(ev->event);
    char *text;
    int ok;

    if (obj == NULL || name == NULL) {
        return NULL;
    }
    ok = na_event_set_string(p, obj, "time", na_event_time(p, ev->time))
         && na_event_set_string(p, obj, "event", name)
         && na_event_set_string(p, obj, "provider", ev->provider)
         && na_event_set_string(p, obj, "userId", ev->user_id)
         && na_event_set_string(p, obj, "email", ev->email)
         && (ev->event != NA_EVENT_SIGNIN
             || json_object_set_new(obj, "isNewUser", json_boolean(ev->is_new_user)) == 0)
         && na_event_set_string(p, obj, "ip", ev->ip)
         && na_event_set_string(p, obj, "requestId", ev->request_id);
    /* \n, \r and every other control character come out escaped by jansson, so the
     * line ends only where we end it. */
    if (!ok || (text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
        return NULL;
    }
    name = apr_pstrcat(p, text, "\n", NULL);
    free(text);
    if (len) {
        *len = strlen(name);
    }
    return name;
}
