/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_CMDS_H
#define MOD_NEXTAUTH_CMDS_H

/* Glue: src/httpd/mod_nextauth_cmds.c. */

#include "mod_nextauth.h"

extern const command_rec nextauth_cmds[];

#endif
