/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_SIGNIN_H
#define NA_SIGNIN_H

#include "na_common.h"
#include "na_store.h"

/* next-auth's callbackHandler with an adapter (SPEC 7 "Verification" and SPEC 9 "Account
 * linking"): which user a sign-in that a provider accepted belongs to, found, linked or
 * created in the store. */

/** What a resolve tells its owner's log (the glue gives each a numbered line). */
typedef enum {
    NA_SIGNIN_NOTE_LINKED = 0, /**< an account was linked to an existing user (info) */
    NA_SIGNIN_NOTE_NO_ACCOUNT, /**< an OAuth sign-in came without an account (error) */
    NA_SIGNIN_NOTE_NO_EMAIL,   /**< an e-mail sign-in came without an address (error) */
    NA_SIGNIN_NOTE__COUNT
} na_signin_note_e;

/** A note: `text` is the whole log message, from the store's pool. */
typedef void na_signin_note_fn(void *baton, na_signin_note_e what, const char *text);

/** One sign-in a provider accepted. */
typedef struct na_signin_t {
    na_store_t *store;
    const char *provider; /**< the provider id */
    int email_provider;   /**< a magic link: the address is proven */
    /** allowDangerousEmailAccountLinking: an account whose e-mail matches an existing user
     *  is linked to that user instead of refused. */
    int allow_email_linking;
    na_store_user_t profile; /**< name, email and image from the provider (id unused) */
    /** The account to find or link (provider, providerAccountId, tokens); may be NULL
     *  for an e-mail provider, whose account is the address. */
    const na_store_account_t *account;
    /** The user of the incoming session when it is a database user, or NULL. */
    const na_store_user_t *current;
    /** The token of the incoming database session, or NULL (a JWT, or none). */
    const char *current_db_token;
    apr_int64_t now;         /**< epoch seconds: emailVerified of a proven address */
    na_signin_note_fn *note; /**< may be NULL */
    void *baton;             /**< passed to note */
} na_signin_t;

/** Whom the sign-in belongs to. */
typedef struct na_signin_result_t {
    const na_store_user_t *user;
    int is_new; /**< the user was created (or linked by e-mail) now: NextAuthPages newUser */
    int keep;   /**< keep the incoming session: the sign-in linked to its user */
    /** next-auth's events: this resolve created the user (createUser) or linked the
     *  provider's account to a user (linkAccount; an e-mail account never counts). */
    int created_user;
    int linked_account;
} na_signin_result_t;

/**
 * Resolve `in` against the store, row by row of next-auth's table:
 * - e-mail: the user with the address (emailVerified set to now) or a new one (is_new),
 *   the e-mail account linked once; an incoming database session of another user is
 *   deleted;
 * - OAuth, account linked: to the signed-in user (keep), to another one while signed in
 *   (OAuthAccountNotLinked), or nobody signed in (that user);
 * - OAuth, account new, signed in: linked to the current user (keep);
 * - OAuth, account new, e-mail of an existing user: OAuthAccountNotLinked, or with
 *   allow_email_linking linked to that user (is_new, as next-auth reports);
 * - OAuth, account new, nobody: a new user (is_new) and the account linked.
 * A first sign-in of the same account running elsewhere at the same moment ends as that
 * one's user (a short wait lets its link appear); a half-made user of ours is removed.
 * NA_OK fills *out (the user from the store's pool, or in->current). Otherwise *out is
 * unspecified and *err has the NextAuth code: NA_EDENIED with OAuthAccountNotLinked (the
 * account or its e-mail belongs to another user); NA_EINTERNAL with Callback (no account
 * or no address: a provider mapping bug, noted); or the store's failure (na_store.h,
 * noted by the store) with Configuration when a table is missing, else Callback,
 * EmailCreateAccount or OAuthCreateAccount as next-auth names the step that failed.
 */
na_status_t na_signin_resolve(const na_signin_t *in, na_signin_result_t *out, na_err_t *err);

#endif
