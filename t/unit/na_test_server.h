/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_TEST_SERVER_H
#define NA_TEST_SERVER_H

#include <pthread.h>

#include <apr_pools.h>

/* A one-connection HTTP server on 127.0.0.1 in a thread, for the libcurl tests: it
 * accepts one connection, records the request (head and Content-Length body), sends a
 * canned answer and closes. */

#define NA_TEST_SERVER_MAX_REQUEST 65536

typedef enum {
    NA_TEST_SERVER_ANSWER = 0, /* read the request, send the answer, close */
    NA_TEST_SERVER_SILENT,     /* read the request, then never answer until stopped */
    NA_TEST_SERVER_BLURT       /* send the answer at once, without reading (TLS tests) */
} na_test_server_mode_e;

typedef struct na_test_server_t {
    int mode;
    const char *answer;
    apr_size_t answer_len;
    int port;
    char request[NA_TEST_SERVER_MAX_REQUEST + 1]; /* what the client sent, NUL-terminated */
    apr_size_t request_len;
    /* private */
    int listen_fd;
    int wake[2];
    int running;
    pthread_t thread;
} na_test_server_t;

/**
 * Start a server from na_test_pool that sends `answer` (a whole raw HTTP response, or
 * NULL for none); it is stopped when the test's pool goes, or by na_test_server_stop.
 */
na_test_server_t *na_test_server_start(int mode, const char *answer, apr_size_t answer_len);

/** Stop and join the server thread; after this `request` is complete. Idempotent. */
void na_test_server_stop(na_test_server_t *srv);

/** "http://127.0.0.1:<port><path>" from na_test_pool. */
const char *na_test_server_url(const na_test_server_t *srv, const char *path);

/** A port on 127.0.0.1 that nobody listens on (bound, then closed again). */
int na_test_closed_port(void);

#endif
