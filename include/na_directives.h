/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_DIRECTIVES_H
#define NA_DIRECTIVES_H

/* Directive names, spelled once: the command table (mod_nextauth_cmds.c), the parsers'
 * messages, the glue's log lines and the tests all use these, and t/check-drift.sh checks
 * each against the README's directive table and conf/nextauth.conf.reference (as
 * mod_auth_openidc's src/cfg/directives.h). */
#define NA_DIR_URL "NextAuthURL"
#define NA_DIR_BASE_PATH "NextAuthBasePath"
#define NA_DIR_SECRET "NextAuthSecret"
#define NA_DIR_PROVIDER "NextAuthProvider"
#define NA_DIR_PAGES "NextAuthPages"
#define NA_DIR_THEME "NextAuthTheme"
#define NA_DIR_SESSION "NextAuthSession"
#define NA_DIR_DATABASE "NextAuthDatabase"
#define NA_DIR_SIGNIN_ALLOW "NextAuthSignInAllow"
#define NA_DIR_REDIRECT_ALLOW "NextAuthRedirectAllow"
#define NA_DIR_COOKIE "NextAuthCookie"
#define NA_DIR_UNAUTHENTICATED "NextAuthUnauthenticated"
#define NA_DIR_STRIP_COOKIES "NextAuthStripCookies"
#define NA_DIR_IDENTITY_HEADERS "NextAuthIdentityHeaders"
#define NA_DIR_RATE_LIMIT "NextAuthRateLimit"
#define NA_DIR_RATE_LIMIT_CACHE "NextAuthRateLimitCache"
#define NA_DIR_EVENT_LOG "NextAuthEventLog"
#define NA_DIR_METRICS "NextAuthMetrics"
#define NA_DIR_TOKEN_CACHE "NextAuthTokenCache"
#define NA_DIR_REFRESH "NextAuthRefresh"
#define NA_DIR_PASS_TOKENS "NextAuthPassTokens"
#define NA_DIR_PASS_CLAIMS "NextAuthPassClaims"
#define NA_DIR_REVOCATION "NextAuthRevocation"
#define NA_DIR_BEARER "NextAuthBearer"

#endif
