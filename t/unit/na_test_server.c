/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strcasestr */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <apr_strings.h>

#include "na_test_server.h"
#include "suites.h"

/* Nothing in a test should take this long; a stuck client or server gives up then. */
#define NA_TEST_SERVER_WAIT_MS 5000

/* Wait until fd is readable or the test asked us to stop; 1 when readable. */
static int na_test_server_wait(na_test_server_t *srv, int fd)
{
    struct pollfd pfd[2] = {{fd, POLLIN, 0}, {srv->wake[0], POLLIN, 0}};
    int n;

    do {
        n = poll(pfd, 2, NA_TEST_SERVER_WAIT_MS);
    } while (n < 0 && errno == EINTR);
    return n > 0 && (pfd[1].revents & POLLIN) == 0 && (pfd[0].revents & (POLLIN | POLLHUP));
}

/* The Content-Length of the head so far, or 0. */
static apr_size_t na_test_server_content_length(const char *head)
{
    const char *h = strcasestr(head, "\r\nContent-Length:");

    return h ? (apr_size_t)strtoul(h + 17, NULL, 10) : 0;
}

static void na_test_server_read_request(na_test_server_t *srv, int fd)
{
    char *end = NULL;
    ssize_t n;

    while (srv->request_len < NA_TEST_SERVER_MAX_REQUEST && na_test_server_wait(srv, fd)) {
        n = recv(fd, srv->request + srv->request_len, NA_TEST_SERVER_MAX_REQUEST - srv->request_len,
                 0);
        if (n <= 0) {
            break;
        }
        srv->request_len += (apr_size_t)n;
        srv->request[srv->request_len] = '\0';
        end = end ? end : strstr(srv->request, "\r\n\r\n");
        if (end
            && srv->request_len >= (apr_size_t)(end + 4 - srv->request)
                                       + na_test_server_content_length(srv->request)) {
            break;
        }
    }
}

static void *na_test_server_main(void *arg)
{
    na_test_server_t *srv = arg;
    int fd;

    if (!na_test_server_wait(srv, srv->listen_fd)
        || (fd = accept(srv->listen_fd, NULL, NULL)) < 0) {
        return NULL;
    }
    if (srv->mode != NA_TEST_SERVER_BLURT) {
        na_test_server_read_request(srv, fd);
    }
    if (srv->mode == NA_TEST_SERVER_SILENT) {
        na_test_server_wait(srv, srv->wake[0]);
    }
    else if (srv->answer) {
        /* MSG_NOSIGNAL: a client that gave up early must not SIGPIPE the test. */
        (void)send(fd, srv->answer, srv->answer_len, MSG_NOSIGNAL);
    }
    close(fd);
    return NULL;
}

static int na_test_listen(int *port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(fd, 4), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static apr_status_t na_test_server_cleanup(void *data)
{
    na_test_server_stop(data);
    return APR_SUCCESS;
}

na_test_server_t *na_test_server_start(int mode, const char *answer, apr_size_t answer_len)
{
    na_test_server_t *srv = apr_pcalloc(na_test_pool, sizeof(*srv));

    srv->mode = mode;
    srv->answer = answer;
    srv->answer_len = answer_len;
    srv->listen_fd = na_test_listen(&srv->port);
    ck_assert_int_eq(pipe(srv->wake), 0);
    ck_assert_int_eq(pthread_create(&srv->thread, NULL, na_test_server_main, srv), 0);
    srv->running = 1;
    apr_pool_cleanup_register(na_test_pool, srv, na_test_server_cleanup, apr_pool_cleanup_null);
    return srv;
}

void na_test_server_stop(na_test_server_t *srv)
{
    if (!srv->running) {
        return;
    }
    srv->running = 0;
    if (write(srv->wake[1], "x", 1) != 1) {
        /* the thread still ends after NA_TEST_SERVER_WAIT_MS */
    }
    pthread_join(srv->thread, NULL);
    close(srv->listen_fd);
    close(srv->wake[0]);
    close(srv->wake[1]);
}

const char *na_test_server_url(const na_test_server_t *srv, const char *path)
{
    return apr_psprintf(na_test_pool, "http://127.0.0.1:%d%s", srv->port, path);
}

int na_test_closed_port(void)
{
    int port, fd = na_test_listen(&port);

    close(fd);
    return port;
}
