/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_CLAIM_H
#define NA_CLAIM_H

#include "na_common.h"

/* Claims of a session (na_tokens_t.claims) for Require nextauth-claim and
 * NextAuthPassClaims. A claim name may be nested with '.' ("realm_access.roles"); an
 * array claim matches when any element does; a value pattern is exact, or a '*' glob. */

/** Parsed claims: a JSON object bound to the pool it was parsed in. */
typedef struct na_claims_t na_claims_t;

/** Parse a JSON object; NULL when text is NULL, not JSON or not an object. Released with p. */
na_claims_t *na_claims_parse(apr_pool_t *p, const char *text);

/** One Require nextauth-claim line, parsed at configuration time. */
typedef struct na_claim_rule_t na_claim_rule_t;

/** Parse "NAME VALUE [VALUE...]" (words as ap_getword_conf gives them, in argv). NULL and
 *  *out set, or a message naming what is accepted (a name of [A-Za-z0-9_:-] parts joined
 *  by '.', at least one value). From p. */
const char *na_claim_rule_parse(apr_pool_t *p, int argc, const char *const *argv,
                                const na_claim_rule_t **out);

/** 1 when the claim named by the rule (a string, number, boolean, or an array of those:
 *  any element) equals one of its values (strings exactly; '*' matches any run of
 *  characters). 0 when absent, null, an object, or nothing matches. */
int na_claim_rule_match(const na_claim_rule_t *rule, const na_claims_t *claims);

/** Parse NextAuthPassClaims' list "name,groups,realm_access.roles" (commas and/or several
 *  words): NULL and *names (const char *) set, or a message. A name is [A-Za-z0-9_-] parts
 *  joined by '.' (no ':', which would end a header name); an empty item, more than 64
 *  names, or two names that would pass as one header (differing only in case or in '.',
 *  '_', '-') are refused; a name given twice is kept once. */
const char *na_claim_list_parse(apr_pool_t *p, int argc, const char *const *argv,
                                apr_array_header_t **names);

/** The value to pass on for a claim: a string as is, numbers and booleans as JSON text,
 *  an array's scalar elements joined with ","; control characters (< 0x20, 0x7f) become
 *  spaces; at most 4096 bytes, cut before a character that would not fit whole. NULL when
 *  absent, null, or an object. From p. */
const char *na_claim_value(apr_pool_t *p, const na_claims_t *claims, const char *name);

/** "X-NextAuth-Claim-" + the name with '.' and '_' as '-', each part capitalised
 *  ("realm_access.roles" -> "X-NextAuth-Claim-Realm-Access-Roles"). From p. */
const char *na_claim_header_name(apr_pool_t *p, const char *name);

/** "NEXTAUTH_CLAIM_" + the name upper-cased with every non-alphanumeric as '_'. From p. */
const char *na_claim_env_name(apr_pool_t *p, const char *name);

#endif
