/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "na_i18n.h"

/* English: the fallback catalogue, so it must have every message. */
const na_catalog_t na_catalog_en = {
    "en",
    {
        [NA_MSG_TITLE_SIGNIN] = "Sign In",
        [NA_MSG_TITLE_SIGNOUT] = "Sign Out",
        [NA_MSG_TITLE_VERIFY] = "Verify Request",
        [NA_MSG_TITLE_ERROR] = "Error",
        [NA_MSG_SIGNIN_WITH] = "Sign in with {name}",
        [NA_MSG_EMAIL_LABEL] = "Email",
        [NA_MSG_EMAIL_PLACEHOLDER] = "email@example.com",
        [NA_MSG_USERNAME_LABEL] = "Username",
        [NA_MSG_PASSWORD_LABEL] = "Password",
        [NA_MSG_OR] = "or",
        [NA_MSG_SIGNOUT_HEADING] = "Sign out",
        [NA_MSG_SIGNOUT_QUESTION] = "Do you really want to sign out?",
        [NA_MSG_SIGNOUT_BUTTON] = "Sign out",
        [NA_MSG_SIGNOUT_EVERYWHERE] = "Sign out everywhere",
        [NA_MSG_VERIFY_HEADING] = "Check your email",
        [NA_MSG_VERIFY_TEXT] = "We have sent a sign-in link to your email address.",
        [NA_MSG_SIGNIN_BUTTON] = "Sign in",
        [NA_MSG_ERROR_CONFIG_HEADING] = "Server error",
        [NA_MSG_ERROR_CONFIG_TEXT] = "The server is not configured correctly.",
        [NA_MSG_ERROR_CONFIG_HINT] = "Its administrator will find details in the server log.",
        [NA_MSG_ERROR_DENIED_HEADING] = "Access denied",
        [NA_MSG_ERROR_DENIED_TEXT] = "This account is not allowed to sign in here.",
        [NA_MSG_ERROR_VERIFY_HEADING] = "Unable to sign in",
        [NA_MSG_ERROR_VERIFY_TEXT] = "This sign-in link is not valid any more.",
        [NA_MSG_ERROR_VERIFY_HINT] = "It may have been used already, or it has expired.",
        [NA_MSG_ERROR_DEFAULT_HEADING] = "Error",
        [NA_MSG_ERROR_DEFAULT_TEXT] = "Something went wrong. Go back to",
        [NA_MSG_SIGNIN_ERR_RETRY] = "Please try to sign in with a different account.",
        [NA_MSG_SIGNIN_ERR_NOT_LINKED] =
            "To prove it is you, sign in with the account you used the first time.",
        [NA_MSG_SIGNIN_ERR_EMAIL] = "We could not send the sign-in email.",
        [NA_MSG_SIGNIN_ERR_CREDENTIALS] =
            "Sign-in failed. Please check that the details you entered are correct.",
        [NA_MSG_SIGNIN_ERR_SESSION_REQUIRED] = "Please sign in to see this page.",
        [NA_MSG_SIGNIN_ERR_DEFAULT] = "Sign-in did not work.",
        [NA_MSG_MAIL_SIGNIN_TO] = "Sign in to {host}",
        [NA_MSG_MAIL_IGNORE] = "If you did not request this email you can safely ignore it.",
        [NA_MSG_CONFIRM_HEADING] = "Confirm sign-in",
        [NA_MSG_CONFIRM_QUESTION] = "Sign in as {email}?",
        [NA_MSG_TITLE_RATE_LIMITED] = "Too Many Requests",
        [NA_MSG_RATE_LIMITED_HEADING] = "Too many requests",
        [NA_MSG_RATE_LIMITED_TEXT] = "There have been too many sign-in attempts.",
        [NA_MSG_RATE_LIMITED_WAIT_ONE] = "Please wait about a minute before you try again.",
        [NA_MSG_RATE_LIMITED_WAIT] = "Please wait about {minutes} minutes before you try again.",
    }};
