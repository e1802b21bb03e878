/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_SECRET_H
#define NA_SECRET_H

#include <apr_file_info.h>

#include "na_common.h"

/** Longest secret file read; a secret is a line of text, not a document. */
#define NA_SECRET_MAX_FILE 4096

/**
 * Resolve a secret spelled literally, as file:PATH (first line, trailing CR/LF and
 * blanks removed) or as env:NAME, into *out (allocated from p). Returns NULL, or a
 * message that names the path or variable and the reason, never any secret content.
 * A file any user may write is refused (see na_secret_check_mode); a symbolic link is
 * judged by the file it points to, which is what is read.
 */
const char *na_secret_resolve(apr_pool_t *p, const char *spec, const char **out);

/** Bits of na_secret_check_mode's *risks. */
#define NA_SECRET_OTHER_READABLE 0x1 /**< mode & S_IROTH: every local user can read it */

/**
 * Judge the permission bits of a secret file (APR_FPROT_*, from APR_FINFO_PROT).
 * Returns NULL when the file may be used, or why it is refused: writable by "other"
 * (anyone on the host could plant a known secret and forge sessions after the next
 * restart). Group-writable files are accepted: their group is the administrator's
 * choice (root:www-data 0640 is the advice, and user-private-group systems create
 * 0664 files whose group is the owner alone), and refusing them would break working
 * set-ups without knowing who is in the group. *risks gets NA_SECRET_* bits for what
 * deserves a warning. The message is from p and names path; it ends "accepted: ...".
 */
const char *na_secret_check_mode(apr_pool_t *p, const char *path, apr_fileperms_t prot,
                                 unsigned *risks);

/**
 * For a spec "file:PATH" whose file every local user can read: the text of a warning
 * naming the path, its mode and the fix (chmod 600, or 640 with a group), from p.
 * NULL for other specs, for files only owner and group can read, and when the file
 * cannot be looked at (na_secret_resolve reports that).
 */
const char *na_secret_warning(apr_pool_t *p, const char *spec);

#endif
