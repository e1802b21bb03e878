/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_EVENT_H
#define NA_EVENT_H

#include <apr_time.h>

#include "na_common.h"

/* next-auth's `events` (signIn, signOut, createUser, linkAccount, session) as an audit
 * trail: which events NextAuthEventLog records, and the one JSON line each becomes. */

typedef enum {
    NA_EVENT_SIGNIN = 0,
    NA_EVENT_SIGNOUT,
    NA_EVENT_CREATE_USER,
    NA_EVENT_LINK_ACCOUNT,
    NA_EVENT_SESSION,
    NA_EVENT__COUNT
} na_event_e;

#define NA_EVENT_BIT(e) (1u << (e))
/** Without events=: all but `session`, which next-auth fires on every session read. */
#define NA_EVENT_DEFAULT_MASK                                                                      \
    (NA_EVENT_BIT(NA_EVENT_SIGNIN) | NA_EVENT_BIT(NA_EVENT_SIGNOUT)                                \
     | NA_EVENT_BIT(NA_EVENT_CREATE_USER) | NA_EVENT_BIT(NA_EVENT_LINK_ACCOUNT))

/** Longest value of one field in a line (bytes): longer ones are cut, so that a whole
 *  line stays under PIPE_BUF (4096) and one write() to a pipe is atomic. */
#define NA_EVENT_MAX_FIELD 512

/** One event. NULL strings are left out of the line; none of them is ever a secret. */
typedef struct na_event_t {
    na_event_e event;
    apr_time_t time;
    const char *provider;   /**< the provider id */
    const char *user_id;    /**< the session's sub: the user id */
    const char *email;      /**< may be NULL */
    int is_new_user;        /**< signIn only: next-auth's isNewUser */
    const char *ip;         /**< the client address (as mod_remoteip reports it) */
    const char *request_id; /**< httpd's log id (UNIQUE_ID with mod_unique_id) */
} na_event_t;

/** next-auth's name of `e` ("signIn", ...); NULL when out of range. */
const char *na_event_name(na_event_e e);

/**
 * Parse the comma-separated list of event names `list` (case as next-auth spells them)
 * into a bit mask. NULL on success, with *mask set; otherwise a message from p naming
 * `directive`, the value and the accepted names, and *mask unchanged.
 */
const char *na_event_parse_mask(apr_pool_t *p, const char *directive, const char *list,
                                unsigned *mask);

/**
 * The line of `ev`: one JSON object (time as RFC 3339 UTC with milliseconds, event,
 * provider, userId, email, isNewUser for signIn, ip, requestId), escaped by jansson so
 * no control character can end it early, then "\n". Bytes that are not UTF-8 become '?'
 * and each value is cut at NA_EVENT_MAX_FIELD. From p; *len (when given) is its length.
 * NULL only when jansson fails (out of memory).
 */
const char *na_event_line(apr_pool_t *p, const na_event_t *ev, apr_size_t *len);

#endif
