/*
 * A minimal blocking HTTP/1.1 client for the server's test client, load test and tests (loopback
 * only): keep-alive requests with Content-Length bodies, and a server-sent-events reader that
 * decodes chunked transfer encoding. Not a general client: no TLS, no redirects.
 */
#ifndef BSTEP_BENCH_HTTPC_H
#define BSTEP_BENCH_HTTPC_H

#include <stddef.h>

typedef struct {
    char host[64];
    unsigned port;
    int fd;
    char rbuf[65536];
    size_t rlen, roff;
    /* event streams: the body after the chunk framing */
    char dec[65536];
    size_t dlen;
    long long chunk_left;
    int stream_ended;
} httpc;

typedef struct {
    int status;
    char *body; /* NUL-terminated, malloc'd */
    size_t body_len;
    char head[4096]; /* the header lines, "Name: value\n" each (cut when longer) */
} httpc_resp;

/** Parse "http://HOST:PORT" into c (not connected yet). @return 0 or -1. */
int httpc_init(httpc *c, const char *url);
void httpc_close(httpc *c);
/**
 * One request on the keep-alive connection (reconnects when needed). extra_headers: "" or lines
 * each ending in "\r\n". @return 0 (resp filled; free resp->body) or -1 (connection failed).
 */
int httpc_request(httpc *c, const char *method, const char *path, const char *extra_headers,
                  const char *body, size_t body_len, httpc_resp *resp);

/** Server-sent events: open a GET stream. @return 0 or -1; status in *status. */
int httpc_sse_open(httpc *c, const char *path, const char *extra_headers, int *status);
/**
 * Next event (blocks; timeout_ms < 0 waits for ever). event and data are NUL-terminated into the
 * given buffers. @return 1 an event, 0 end of stream, -1 error, -2 timeout.
 */
int httpc_sse_next(httpc *c, char *event, size_t event_cap, char *data, size_t data_cap,
                   int timeout_ms);

#endif
