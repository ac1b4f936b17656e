/*
 * backstep serve: the HTTP server (libmicrohttpd, one thread per connection) with the dashboard
 * pages, the REST API, Sensor Logger live ingest and server-sent events. docs/server.md describes
 * it and docs/api.md the endpoints. Internal API used by cli/cmd_serve.c and the tests.
 *
 * Life cycle: bstep__server_open() binds and starts serving; bstep__server_tick() runs the
 * housekeeping (live-session timeouts) and is called about once a second by the owner;
 * bstep__server_shutdown() stops taking new requests, lets the ones in flight finish, ends every
 * live session (analysed and stored), then stops; bstep__server_close() frees.
 */
#ifndef BSTEP_SERVER_SERVER_H
#define BSTEP_SERVER_SERVER_H

#include <stddef.h>
#include <stdint.h>

typedef struct bstep_server bstep_server;

typedef struct {
    const char *listen;       /**< "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080"; port 0 = any */
    const char *db_url;       /**< store URL (NULL: the default SQLite file) */
    size_t max_body_bytes;    /**< JSON bodies of the API, bytes (64 KiB) */
    size_t max_ingest_bytes;  /**< one push message, bytes (4 MiB) */
    size_t max_upload_bytes;  /**< an uploaded recording, bytes (64 MiB) */
    int live_timeout_s;       /**< a live stream silent this long is ended and stored (30) */
    int reorder_ms;           /**< reorder window of live samples, ms (200) */
    unsigned max_connections; /**< simultaneous connections (512) */
    unsigned store_handles;   /**< database connections in the pool (4) */
    int shutdown_grace_s;     /**< longest wait for requests in flight at shutdown (30) */
    const char *upload_dir;   /**< where uploads are written while analysed (NULL: TMPDIR) */
} bstep__server_options;

void bstep__server_options_init(bstep__server_options *o);

/** @return BSTEP_OK, or a status with err filled (bad listen address, port busy, store error). */
int bstep__server_open(bstep_server **out, const bstep__server_options *o, char *err,
                       size_t err_len);
/** The port actually bound (useful with port 0). */
unsigned bstep__server_port(const bstep_server *s);
/** Housekeeping: end live sessions silent for live_timeout_s. */
void bstep__server_tick(bstep_server *s);
/** Graceful stop (see above). Safe to call once; close() calls it when needed. */
void bstep__server_shutdown(bstep_server *s);
void bstep__server_close(bstep_server *s);

#endif
