/* Minimal HTTP/1.1 client (see httpc.h). RFC 9112 message framing: Content-Length or chunked. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpc.h"

int httpc_init(httpc *c, const char *url)
{
    const char *p = url, *colon;
    char *end;
    long port;
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    if (strncmp(p, "http://", 7) != 0)
        return -1;
    p += 7;
    colon = strchr(p, ':');
    if (colon == NULL || (size_t)(colon - p) >= sizeof(c->host))
        return -1;
    memcpy(c->host, p, (size_t)(colon - p));
    c->host[colon - p] = '\0';
    port = strtol(colon + 1, &end, 10);
    if (port <= 0 || port > 65535 || (*end != '\0' && *end != '/'))
        return -1;
    c->port = (unsigned)port;
    return 0;
}

void httpc_close(httpc *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->rlen = c->roff = 0;
}

static int connect_fd(httpc *c)
{
    struct sockaddr_in a;
    int one = 1;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)c->port);
    if (inet_pton(AF_INET, strcmp(c->host, "localhost") == 0 ? "127.0.0.1" : c->host,
                  &a.sin_addr) != 1 ||
        connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        httpc_close(c);
        return -1;
    }
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    c->rlen = c->roff = 0;
    return 0;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Fill the read buffer; timeout_ms < 0: block. 1 data, 0 closed, -1 error, -2 timeout. */
static int fill(httpc *c, int timeout_ms)
{
    ssize_t k;
    if (c->roff > 0) {
        memmove(c->rbuf, c->rbuf + c->roff, c->rlen - c->roff);
        c->rlen -= c->roff;
        c->roff = 0;
    }
    if (c->rlen == sizeof(c->rbuf))
        return -1;
    if (timeout_ms >= 0) {
        struct pollfd pf = {c->fd, POLLIN, 0};
        int r = poll(&pf, 1, timeout_ms);
        if (r == 0)
            return -2;
        if (r < 0)
            return -1;
    }
    do {
        k = recv(c->fd, c->rbuf + c->rlen, sizeof(c->rbuf) - c->rlen, 0);
    } while (k < 0 && errno == EINTR);
    if (k < 0)
        return -1;
    if (k == 0)
        return 0;
    c->rlen += (size_t)k;
    return 1;
}

/* A line ending in CRLF (without it) into out. 1 ok, 0 closed, <0 error/timeout. */
static int read_line(httpc *c, char *out, size_t cap, int timeout_ms)
{
    for (;;) {
        char *nl = memchr(c->rbuf + c->roff, '\n', c->rlen - c->roff);
        if (nl != NULL) {
            size_t n = (size_t)(nl - (c->rbuf + c->roff));
            size_t m = n > 0 && c->rbuf[c->roff + n - 1] == '\r' ? n - 1 : n;
            if (m >= cap)
                return -1;
            memcpy(out, c->rbuf + c->roff, m);
            out[m] = '\0';
            c->roff += n + 1;
            return 1;
        }
        {
            int r = fill(c, timeout_ms);
            if (r <= 0)
                return r;
        }
    }
}

static int read_exact(httpc *c, char *out, size_t n)
{
    while (c->rlen - c->roff < n) {
        size_t have = c->rlen - c->roff;
        memcpy(out, c->rbuf + c->roff, have);
        out += have;
        n -= have;
        c->roff = c->rlen;
        if (fill(c, -1) <= 0)
            return -1;
    }
    memcpy(out, c->rbuf + c->roff, n);
    c->roff += n;
    return 0;
}

static int read_head(httpc *c, int *status, long long *clen, int *chunked, int *close_after,
                     char *head, size_t head_cap)
{
    char line[8192];
    size_t hn = 0;
    int r = read_line(c, line, sizeof(line), -1);
    if (r <= 0)
        return -1;
    if (strncmp(line, "HTTP/1.", 7) != 0 || strlen(line) < 12)
        return -1;
    *status = (int)strtol(line + 9, NULL, 10);
    *clen = -1;
    *chunked = 0;
    *close_after = 0;
    for (;;) {
        if (read_line(c, line, sizeof(line), -1) <= 0)
            return -1;
        if (line[0] == '\0')
            return 0;
        if (head != NULL) {
            int k = snprintf(head + hn, head_cap - hn, "%s\n", line);
            if (k > 0 && (size_t)k < head_cap - hn)
                hn += (size_t)k;
        }
        if (strncasecmp(line, "Content-Length:", 15) == 0)
            *clen = strtoll(line + 15, NULL, 10);
        else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 && strstr(line, "chunked"))
            *chunked = 1;
        else if (strncasecmp(line, "Connection:", 11) == 0 && strstr(line, "close"))
            *close_after = 1;
    }
}

static int send_request(httpc *c, const char *method, const char *path, const char *extra,
                        const char *body, size_t body_len)
{
    char head[4096];
    int n = snprintf(head, sizeof(head),
                     "%s %s HTTP/1.1\r\nHost: %s:%u\r\n%sContent-Length: %zu\r\n\r\n", method, path,
                     c->host, c->port, extra ? extra : "", body_len);
    if (n < 0 || (size_t)n >= sizeof(head))
        return -1;
    if (send_all(c->fd, head, (size_t)n) != 0)
        return -1;
    if (body_len > 0 && send_all(c->fd, body, body_len) != 0)
        return -1;
    return 0;
}

int httpc_request(httpc *c, const char *method, const char *path, const char *extra_headers,
                  const char *body, size_t body_len, httpc_resp *resp)
{
    int attempt, status, chunked, close_after;
    long long clen;
    memset(resp, 0, sizeof(*resp));
    for (attempt = 0; attempt < 2; attempt++) {
        if (c->fd < 0 && connect_fd(c) != 0)
            return -1;
        if (send_request(c, method, path, extra_headers, body, body_len) == 0 &&
            read_head(c, &status, &clen, &chunked, &close_after, resp->head, sizeof(resp->head)) ==
                0)
            break;
        httpc_close(c); /* a keep-alive connection the server closed: once more */
        if (attempt == 1)
            return -1;
    }
    resp->status = status;
    if (chunked) {
        size_t cap = 4096, n = 0;
        char line[64];
        resp->body = malloc(cap);
        for (;;) {
            long long sz;
            if (resp->body == NULL || read_line(c, line, sizeof(line), -1) <= 0)
                return -1;
            sz = strtoll(line, NULL, 16);
            if (sz == 0) {
                read_line(c, line, sizeof(line), -1);
                break;
            }
            while (n + (size_t)sz + 1 > cap)
                cap *= 2;
            resp->body = realloc(resp->body, cap);
            if (resp->body == NULL || read_exact(c, resp->body + n, (size_t)sz) != 0)
                return -1;
            n += (size_t)sz;
            read_line(c, line, sizeof(line), -1);
        }
        resp->body[n] = '\0';
        resp->body_len = n;
    } else {
        size_t n = clen > 0 ? (size_t)clen : 0;
        resp->body = malloc(n + 1);
        if (resp->body == NULL || (n > 0 && read_exact(c, resp->body, n) != 0))
            return -1;
        resp->body[n] = '\0';
        resp->body_len = n;
    }
    if (close_after)
        httpc_close(c);
    return 0;
}

/* ---- server-sent events: chunked body, parsed into events ------------------------------ */

int httpc_sse_open(httpc *c, const char *path, const char *extra_headers, int *status)
{
    long long clen;
    int chunked, close_after;
    if (c->fd >= 0)
        httpc_close(c);
    if (connect_fd(c) != 0)
        return -1;
    c->dlen = 0;
    c->chunk_left = 0;
    c->stream_ended = 0;
    if (send_request(c, "GET", path, extra_headers, NULL, 0) != 0 ||
        read_head(c, status, &clen, &chunked, &close_after, NULL, 0) != 0)
        return -1;
    return chunked ? 0 : -1;
}

/* Move decoded body bytes into c->dec. 1 progress, 0 end, <0 error/timeout. */
static int decode_more(httpc *c, int timeout_ms)
{
    char line[64];
    int r;
    if (c->stream_ended)
        return 0;
    if (c->chunk_left == 0) {
        do {
            r = read_line(c, line, sizeof(line), timeout_ms);
            if (r <= 0)
                return r;
        } while (line[0] == '\0'); /* the CRLF that closes the previous chunk */
        c->chunk_left = strtoll(line, NULL, 16);
        if (c->chunk_left <= 0) {
            c->stream_ended = 1;
            return 0;
        }
    }
    if (c->rlen - c->roff == 0) {
        r = fill(c, timeout_ms);
        if (r <= 0)
            return r;
    }
    {
        size_t n = c->rlen - c->roff;
        if ((long long)n > c->chunk_left)
            n = (size_t)c->chunk_left;
        if (n > sizeof(c->dec) - c->dlen)
            n = sizeof(c->dec) - c->dlen;
        if (n == 0)
            return -1;
        memcpy(c->dec + c->dlen, c->rbuf + c->roff, n);
        c->dlen += n;
        c->roff += n;
        c->chunk_left -= (long long)n;
    }
    return 1;
}

int httpc_sse_next(httpc *c, char *event, size_t event_cap, char *data, size_t data_cap,
                   int timeout_ms)
{
    event[0] = '\0';
    data[0] = '\0';
    for (;;) {
        char *nl = memchr(c->dec, '\n', c->dlen);
        if (nl == NULL) {
            int r = decode_more(c, timeout_ms);
            if (r <= 0)
                return r;
            continue;
        }
        *nl = '\0';
        if (c->dec[0] == '\0') {
            memmove(c->dec, nl + 1, c->dlen - (size_t)(nl + 1 - c->dec));
            c->dlen -= (size_t)(nl + 1 - c->dec);
            if (data[0] != '\0')
                return 1;
            continue;
        }
        if (strncmp(c->dec, "event: ", 7) == 0)
            snprintf(event, event_cap, "%s", c->dec + 7);
        else if (strncmp(c->dec, "data: ", 6) == 0)
            snprintf(data, data_cap, "%s", c->dec + 6);
        {
            size_t used = (size_t)(nl + 1 - c->dec);
            memmove(c->dec, nl + 1, c->dlen - used);
            c->dlen -= used;
        }
    }
}
