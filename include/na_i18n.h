/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_I18N_H
#define NA_I18N_H

#include "na_common.h"

/** Every text the built-in pages and mails show, by id. */
typedef enum {
    NA_MSG_TITLE_SIGNIN = 0,
    NA_MSG_TITLE_SIGNOUT,
    NA_MSG_TITLE_VERIFY,
    NA_MSG_TITLE_ERROR,
    NA_MSG_SIGNIN_WITH, /**< "{name}" is replaced by the provider's name */
    NA_MSG_EMAIL_LABEL,
    NA_MSG_EMAIL_PLACEHOLDER,
    NA_MSG_USERNAME_LABEL,
    NA_MSG_PASSWORD_LABEL,
    NA_MSG_OR,
    NA_MSG_SIGNOUT_HEADING,
    NA_MSG_SIGNOUT_QUESTION,
    NA_MSG_SIGNOUT_BUTTON,
    NA_MSG_SIGNOUT_EVERYWHERE, /**< the second button: every session of the user ends */
    NA_MSG_VERIFY_HEADING,
    NA_MSG_VERIFY_TEXT,
    NA_MSG_SIGNIN_BUTTON,
    NA_MSG_ERROR_CONFIG_HEADING,
    NA_MSG_ERROR_CONFIG_TEXT,
    NA_MSG_ERROR_CONFIG_HINT,
    NA_MSG_ERROR_DENIED_HEADING,
    NA_MSG_ERROR_DENIED_TEXT,
    NA_MSG_ERROR_VERIFY_HEADING,
    NA_MSG_ERROR_VERIFY_TEXT,
    NA_MSG_ERROR_VERIFY_HINT,
    NA_MSG_ERROR_DEFAULT_HEADING,
    NA_MSG_ERROR_DEFAULT_TEXT,
    NA_MSG_SIGNIN_ERR_RETRY, /**< OAuthSignin, OAuthCallback, ...: try another account */
    NA_MSG_SIGNIN_ERR_NOT_LINKED,
    NA_MSG_SIGNIN_ERR_EMAIL,
    NA_MSG_SIGNIN_ERR_CREDENTIALS,
    NA_MSG_SIGNIN_ERR_SESSION_REQUIRED,
    NA_MSG_SIGNIN_ERR_DEFAULT,
    NA_MSG_MAIL_SIGNIN_TO,   /**< "{host}": the sign-in mail's subject and heading */
    NA_MSG_MAIL_IGNORE,      /**< the sign-in mail's footer */
    NA_MSG_CONFIRM_HEADING,  /**< the e-mail link's confirmation page */
    NA_MSG_CONFIRM_QUESTION, /**< "{email}" is replaced by the address, in bold */
    NA_MSG_TITLE_RATE_LIMITED,
    NA_MSG_RATE_LIMITED_HEADING,
    NA_MSG_RATE_LIMITED_TEXT,
    NA_MSG_RATE_LIMITED_WAIT_ONE, /**< wait about one minute */
    NA_MSG_RATE_LIMITED_WAIT,     /**< "{minutes}" is replaced by a number above one */
    NA_MSG__COUNT
} na_msg_e;

/** One language: its tag and a text for every message id. */
typedef struct na_catalog_t {
    const char *tag; /**< "en", "ko": the <html lang> value */
    const char *msg[NA_MSG__COUNT];
} na_catalog_t;

/** The catalogue for a primary language tag ("en", "ko"), or NULL. */
const na_catalog_t *na_i18n_find(const char *tag);

/** English, the fallback. */
const na_catalog_t *na_i18n_default(void);

/**
 * Pick a catalogue from an Accept-Language header (RFC 9110 with q-values): the
 * supported language with the highest weight, the earlier one on a tie; English when
 * none fits or the header is absent or malformed.
 */
const na_catalog_t *na_i18n_negotiate(apr_pool_t *p, const char *accept_language);

/** The message text, never NULL (English when a catalogue lacks it). */
const char *na_i18n_msg(const na_catalog_t *cat, na_msg_e id);

#endif
