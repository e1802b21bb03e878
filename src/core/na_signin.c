/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

#include "na_signin.h"

/* Up to 4 looks 50 ms apart: a first sign-in elsewhere links within that, and an e-mail
 * really owned by another provider's user waits 150 ms longer for its error page. */
#define NA_SIGNIN_LINK_WAITS 4
#define NA_SIGNIN_LINK_PAUSE apr_time_from_msec(50)

static void na_signin_tell(const na_signin_t *in, na_signin_note_e what, const char *text)
{
    if (in->note) {
        in->note(in->baton, what, text);
    }
}

/* The store failed (and has told its note): the user sees `code`, or Configuration when a
 * table is missing. */
static na_status_t na_signin_store_failed(na_status_t st, const na_err_t *failure, const char *code,
                                          na_err_t *err)
{
    if (err) {
        err->code = failure->code ? failure->code : code;
        err->detail = failure->detail;
        err->os_status = failure->os_status;
    }
    return st;
}

static int na_signin_same_user(const na_store_user_t *a, const na_store_user_t *b)
{
    return a && b && strcmp(a->id, b->id) == 0;
}

/* The e-mail account of the address, linked once to the user it proved. */
static na_status_t na_signin_link_email(const na_signin_t *in, const char *email,
                                        const na_store_user_t *user, na_err_t *failure)
{
    na_store_user_t *found = NULL;
    na_store_account_t link;
    na_status_t st = na_store_user_by_account(in->store, in->provider, email, &found, failure);

    if (st != NA_OK || found != NULL) {
        return st;
    }
    memset(&link, 0, sizeof(link));
    if (in->account) {
        link = *in->account;
    }
    link.user_id = user->id;
    link.type = "email";
    link.provider = in->provider;
    link.provider_account_id = email;
    return na_store_account_link(in->store, &link, failure);
}

/* The user of a proven address: found (emailVerified moves to now) or created. */
static na_status_t na_signin_email_user(const na_signin_t *in, const char *email,
                                        na_signin_result_t *out, na_err_t *err)
{
    na_err_t failure = {NULL, NULL, 0};
    na_store_user_t *user = NULL, fresh;
    na_status_t st = na_store_user_by_email(in->store, email, &user, &failure);
    int n = 0;

    if (st != NA_OK) {
        return na_signin_store_failed(st, &failure, "Callback", err);
    }
    if (user) {
        st = na_store_user_verified(in->store, user->id, in->now, &n, &failure);
        if (st != NA_OK) {
            return na_signin_store_failed(st, &failure, "Callback", err);
        }
        if (n == 0) {
            return na_err_set(in->store->pool, err, NA_EPEER, "Callback",
                              "the user of %s was deleted meanwhile", email);
        }
        user->email_verified = in->now;
        out->user = user;
        return NA_OK;
    }
    memset(&fresh, 0, sizeof(fresh));
    fresh.email = email;
    fresh.email_verified = in->now;
    /* The link proved the address: a user made for it meanwhile is this one. */
    if ((st = na_store_user_create(in->store, &fresh, 1, &user, &failure)) != NA_OK) {
        return na_signin_store_failed(st, &failure, "EmailCreateAccount", err);
    }
    out->user = user;
    out->is_new = 1;
    out->created_user = 1;
    return NA_OK;
}

static na_status_t na_signin_resolve_email(const na_signin_t *in, na_signin_result_t *out,
                                           na_err_t *err)
{
    const char *email = in->profile.email ? in->profile.email
                        : in->account     ? in->account->provider_account_id
                                          : NULL;
    na_err_t failure = {NULL, NULL, 0};
    na_status_t st;

    if (email == NULL || *email == '\0') {
        const char *text = apr_psprintf(
            in->store->pool, "e-mail sign-in through %s without an address", in->provider);
        na_signin_tell(in, NA_SIGNIN_NOTE_NO_EMAIL, text);
        return na_err_set(in->store->pool, err, NA_EINTERNAL, "Callback", "%s", text);
    }
    if ((st = na_signin_email_user(in, email, out, err)) != NA_OK) {
        return st;
    }
    /* Signed in as someone else in a database session: that session ends. */
    if (in->current && in->current_db_token && !na_signin_same_user(in->current, out->user)) {
        na_store_session_delete(in->store, in->current_db_token, NULL, NULL);
    }
    if ((st = na_signin_link_email(in, email, out->user, &failure)) != NA_OK) {
        return na_signin_store_failed(st, &failure, "Callback", err);
    }
    return NA_OK;
}

/* The account's user, waiting a little for one to appear: the same person's first sign-in
 * in another tab or on another host makes the user first and links the account after, and
 * until then this one would see an e-mail taken by an unlinked user. NULL when still none. */
static na_store_user_t *na_signin_linked_soon(const na_signin_t *in)
{
    na_store_user_t *linked = NULL;
    int i;

    for (i = 0; i < NA_SIGNIN_LINK_WAITS; i++) {
        if (i > 0) {
            apr_sleep(NA_SIGNIN_LINK_PAUSE);
        }
        if (na_store_user_by_account(in->store, in->account->provider,
                                     in->account->provider_account_id, &linked, NULL)
                == NA_OK
            && linked) {
            return linked;
        }
    }
    return NULL;
}

/* Linking the account to the user just made failed. The same first sign-in finished
 * elsewhere meanwhile (a user without an e-mail has no unique index to meet on): the
 * account's user it is, and ours goes; else nothing half-made stays either. */
static na_status_t na_signin_link_lost(const na_signin_t *in, na_status_t st,
                                       const na_err_t *failure, na_signin_result_t *out,
                                       na_err_t *err)
{
    na_store_user_t *linked = NULL;

    if (failure->os_status != NA_STORE_ESCHEMA
        && na_store_user_by_account(in->store, in->account->provider,
                                    in->account->provider_account_id, &linked, NULL)
               == NA_OK
        && linked) {
        if (!na_signin_same_user(linked, out->user)) {
            na_store_user_delete(in->store, out->user->id, NULL, NULL);
            out->user = linked;
        }
        return NA_OK;
    }
    na_store_user_delete(in->store, out->user->id, NULL, NULL);
    return na_signin_store_failed(st, failure, "Callback", err);
}

static na_status_t na_signin_not_linked(const na_signin_t *in, na_err_t *err)
{
    return na_err_set(in->store->pool, err, NA_EDENIED, "OAuthAccountNotLinked",
                      "the %s account is not linked to this user", in->account->provider);
}

/* Link the new account to a user that exists: the signed-in one, or (dangerous e-mail
 * linking) the one with the profile's e-mail. */
static na_status_t na_signin_link_to(const na_signin_t *in, const na_store_user_t *user,
                                     na_signin_result_t *out, na_err_t *err)
{
    na_err_t failure = {NULL, NULL, 0};
    na_store_account_t link = *in->account;
    na_status_t st;

    link.user_id = user->id;
    if ((st = na_store_account_link(in->store, &link, &failure)) != NA_OK) {
        return na_signin_store_failed(st, &failure, "Callback", err);
    }
    out->linked_account = 1;
    na_signin_tell(in, NA_SIGNIN_NOTE_LINKED,
                   apr_psprintf(in->store->pool, "linked a %s account to user %s",
                                in->account->provider, user->id));
    return NA_OK;
}

/* The account is new and its e-mail is an existing user's. */
static na_status_t na_signin_email_taken(const na_signin_t *in, const na_store_user_t *owner,
                                         na_signin_result_t *out, na_err_t *err)
{
    const na_store_user_t *linked;

    if (in->allow_email_linking) {
        /* next-auth reports isNewUser for this path too. */
        out->user = owner;
        out->is_new = 1;
        return na_signin_link_to(in, owner, out, err);
    }
    linked = na_signin_linked_soon(in);
    if (na_signin_same_user(linked, owner)) {
        out->user = linked;
        return NA_OK;
    }
    return na_signin_not_linked(in, err);
}

/* Nobody signed in and nobody has the account or its e-mail: a new user, then the link. */
static na_status_t na_signin_new_user(const na_signin_t *in, na_signin_result_t *out, na_err_t *err)
{
    na_err_t failure = {NULL, NULL, 0};
    na_store_account_t link = *in->account;
    na_store_user_t *user = NULL, fresh = in->profile;
    na_status_t st;

    fresh.id = NULL;
    fresh.email_verified = 0;
    if ((st = na_store_user_create(in->store, &fresh, 0, &user, &failure)) != NA_OK) {
        /* The e-mail became taken meanwhile: by this same first sign-in elsewhere (its
         * account shows up linked), or by someone else, whose user is not ours to take. */
        if (failure.os_status != NA_STORE_ESCHEMA && (out->user = na_signin_linked_soon(in))) {
            return NA_OK;
        }
        return na_signin_store_failed(
            st, &failure, st == NA_EDENIED ? "OAuthAccountNotLinked" : "OAuthCreateAccount", err);
    }
    out->user = user;
    link.user_id = user->id;
    if ((st = na_store_account_link(in->store, &link, &failure)) != NA_OK) {
        /* Whoever won the race created and linked; our half-made user is gone. */
        return na_signin_link_lost(in, st, &failure, out, err);
    }
    out->is_new = 1;
    out->created_user = 1;
    out->linked_account = 1;
    return NA_OK;
}

/* SPEC 9 "Account linking", the table, row by row. */
static na_status_t na_signin_resolve_oauth(const na_signin_t *in, na_signin_result_t *out,
                                           na_err_t *err)
{
    na_err_t failure = {NULL, NULL, 0};
    const na_store_account_t *a = in->account;
    na_store_user_t *linked = NULL, *owner = NULL;
    na_status_t st;

    st =
        na_store_user_by_account(in->store, a->provider, a->provider_account_id, &linked, &failure);
    if (st != NA_OK) {
        return na_signin_store_failed(st, &failure, "Callback", err);
    }
    if (linked) {
        if (in->current && !na_signin_same_user(in->current, linked)) {
            return na_signin_not_linked(in, err);
        }
        out->user = linked;
        out->keep = in->current != NULL;
        return NA_OK;
    }
    if (in->current) {
        out->user = in->current;
        out->keep = 1;
        return na_signin_link_to(in, in->current, out, err);
    }
    /* No e-mail (none sent, or not verified): nothing to look up or link by. */
    st = na_store_user_by_email(in->store, in->profile.email, &owner, &failure);
    if (st != NA_OK) {
        return na_signin_store_failed(st, &failure, "Callback", err);
    }
    return owner ? na_signin_email_taken(in, owner, out, err) : na_signin_new_user(in, out, err);
}

na_status_t na_signin_resolve(const na_signin_t *in, na_signin_result_t *out, na_err_t *err)
{
    memset(out, 0, sizeof(*out));
    if (in->email_provider) {
        return na_signin_resolve_email(in, out, err);
    }
    if (in->account == NULL || in->account->provider_account_id == NULL) {
        const char *text =
            apr_psprintf(in->store->pool, "sign-in through %s without an account", in->provider);
        na_signin_tell(in, NA_SIGNIN_NOTE_NO_ACCOUNT, text);
        return na_err_set(in->store->pool, err, NA_EINTERNAL, "Callback", "%s", text);
    }
    return na_signin_resolve_oauth(in, out, err);
}
