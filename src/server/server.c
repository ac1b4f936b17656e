/*
 * The HTTP layer of backstep serve on libmicrohttpd (thread per connection: a server-sent-events
 * stream may block in its content callback while it waits for live events).
 *
 * Every request is read into memory up to a limit chosen from its path (ingest messages, uploaded
 * recordings, other JSON bodies; options in server.h); a declared or actual body over the limit is
 * answered 413 and the rest of it discarded. Every response carries the security headers below.
 * Shutdown: stop accepting (MHD_quiesce_daemon), answer 503 to new requests on open connections,
 * end the event streams, wait for the requests in flight, end and store every live session, stop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "backstep/status.h"
#include "server/server_internal.h"

#define COOKIE_NAME "bstep_token"

void bstep__server_options_init(bstep__server_options *o)
{
    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1:8080";
    o->max_body_bytes = 64u * 1024u;
    o->max_ingest_bytes = 4u * 1024u * 1024u;
    o->max_upload_bytes = 64u * 1024u * 1024u;
    o->live_timeout_s = 30;
    o->reorder_ms = 200;
    o->max_connections = 512;
    o->store_handles = 4;
    o->shutdown_grace_s = 30;
}

int64_t bstep__now_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t bstep__now_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- store pool ----------------------------------------------------------------------------- */

bstep_store *bstep__pool_get(bstep__store_pool *p)
{
    unsigned i;
    bstep_store *st = NULL;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        for (i = 0; i < p->n; i++)
            if (!p->busy[i]) {
                p->busy[i] = 1;
                st = p->h[i];
                break;
            }
        if (st != NULL)
            break;
        pthread_cond_wait(&p->cv, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return st;
}

void bstep__pool_put(bstep__store_pool *p, bstep_store *st)
{
    unsigned i;
    if (st == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    for (i = 0; i < p->n; i++)
        if (p->h[i] == st)
            p->busy[i] = 0;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void pool_close(bstep__store_pool *p)
{
    unsigned i;
    for (i = 0; i < p->n; i++)
        bstep_store_close(p->h[i]);
    free(p->h);
    free(p->busy);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    memset(p, 0, sizeof(*p));
}

static int pool_open(bstep__store_pool *p, const char *url, unsigned n, char *err, size_t err_len)
{
    unsigned i;
    memset(p, 0, sizeof(*p));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->h = calloc(n, sizeof(*p->h));
    p->busy = calloc(n, sizeof(*p->busy));
    if (p->h == NULL || p->busy == NULL) {
        snprintf(err, err_len, "out of memory");
        return BSTEP_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        int rc = bstep_store_open(&p->h[i], url, err, err_len);
        if (rc != BSTEP_OK)
            return rc;
        p->n = i + 1;
    }
    return BSTEP_OK;
}

/* ---- request helpers ------------------------------------------------------------------------ */

bstep_store *bstep__req_store(bstep__req *r)
{
    if (r->st == NULL)
        r->st = bstep__pool_get(&r->srv->pool);
    return r->st;
}

const char *bstep__req_arg(bstep__req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void bstep__req_json(bstep__req *r, unsigned status, char *json_owned)
{
    r->status = status;
    r->ctype = "application/json";
    bstep__buf_free(&r->out);
    if (json_owned == NULL) {
        r->status = 500;
        bstep__buf_puts(&r->out, "{\"error\":\"out of memory\"}");
        return;
    }
    bstep__buf_puts(&r->out, json_owned);
    bstep__buf_puts(&r->out, "\n");
    free(json_owned);
}

void bstep__req_error(bstep__req *r, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    cJSON *o = cJSON_CreateObject();
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (o != NULL)
        cJSON_AddStringToObject(o, "error", msg);
    bstep__req_json(r, status, o != NULL ? cJSON_PrintUnformatted(o) : NULL);
    r->status = status;
    cJSON_Delete(o);
}

int bstep__req_can_view(bstep__req *r, int64_t subject_id)
{
    int allowed = 0;
    if (!r->authed)
        return 0;
    if (subject_id == r->user.id)
        return 1;
    if (bstep_store_user_can_view(bstep__req_store(r), r->user.id, subject_id, &allowed) !=
        BSTEP_OK)
        return 0;
    return allowed;
}

/* The token from a Cookie header value "a=b; bstep_token=T; c=d". */
static int cookie_token(const char *cookies, char *out, size_t cap)
{
    const char *p = cookies;
    const size_t nl = strlen(COOKIE_NAME);
    while (p != NULL && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, COOKIE_NAME, nl) == 0 && p[nl] == '=') {
            const char *v = p + nl + 1;
            size_t n = strcspn(v, ";");
            if (n == 0 || n >= cap)
                return 0;
            memcpy(out, v, n);
            out[n] = '\0';
            return 1;
        }
        p = strchr(p, ';');
    }
    return 0;
}

int bstep__req_auth(bstep__req *r, int allow_query_token, int allow_cookie)
{
    char tok[256];
    const char *h;
    unsigned char hash[BSTEP__TOKEN_HASH_BYTES];
    bstep_store_token t;
    bstep_store *st;
    int have = 0;
    if (r->authed)
        return 1;
    h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h != NULL && strncmp(h, "Bearer ", 7) == 0 && strlen(h + 7) < sizeof(tok)) {
        snprintf(tok, sizeof(tok), "%s", h + 7);
        have = 1;
    }
    if (!have && allow_query_token) {
        const char *q = bstep__req_arg(r, "token");
        if (q != NULL && strlen(q) < sizeof(tok)) {
            snprintf(tok, sizeof(tok), "%s", q);
            have = 1;
        }
    }
    if (!have && allow_cookie) {
        const char *c = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Cookie");
        if (c != NULL && cookie_token(c, tok, sizeof(tok))) {
            have = 1;
            r->via_cookie = 1;
        }
    }
    if (!have || strncmp(tok, "bst_", 4) != 0)
        return 0;
    bstep__token_hash(tok, hash);
    sodium_memzero(tok, sizeof(tok));
    st = bstep__req_store(r);
    if (bstep_store_token_lookup(st, hash, sizeof(hash), &t) != BSTEP_OK)
        return 0;
    /* The lookup matched on the hash; compare again in constant time. */
    if (t.hash_len != sizeof(hash) || sodium_memcmp(t.hash, hash, sizeof(hash)) != 0)
        return 0;
    if (bstep_store_user_get(st, t.user_id, &r->user) != BSTEP_OK)
        return 0;
    r->authed = 1;
    return 1;
}

/* ---- responses ------------------------------------------------------------------------------ */

static void security_headers(struct MHD_Response *resp, int cacheable)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                            "base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy",
                            "camera=(), microphone=(), geolocation=(), payment=()");
    MHD_add_response_header(resp, "Cache-Control", cacheable ? "public, max-age=3600" : "no-store");
}

static enum MHD_Result send_req(bstep__req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    if (r->special != NULL) {
        resp = r->special;
        r->special = NULL;
    } else {
        size_t len = 0;
        char *p = bstep__buf_take(&r->out, &len);
        if (p == NULL) {
            static const char oom[] = "{\"error\":\"out of memory\"}\n";
            resp = MHD_create_response_from_buffer(sizeof(oom) - 1, (void *)oom,
                                                   MHD_RESPMEM_PERSISTENT);
            r->status = 500;
            r->ctype = "application/json";
        } else {
            resp = MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE);
            if (resp == NULL)
                free(p);
        }
        if (resp == NULL)
            return MHD_NO;
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                r->ctype != NULL ? r->ctype : "text/plain; charset=utf-8");
    }
    security_headers(resp, r->cacheable);
    if (r->location[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
    if (r->set_cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
    if (r->status == 401 && strncmp(r->path, "/api/", 5) == 0)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"backstep\"");
    if (r->srv->stopping)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    ret = MHD_queue_response(r->conn, r->status ? r->status : 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- dispatch ------------------------------------------------------------------------------- */

static size_t limit_for(const bstep_server *s, const char *method, const char *path)
{
    if (strcmp(path, "/api/ingest") == 0)
        return s->opt.max_ingest_bytes;
    if (strcmp(method, "POST") == 0 && strcmp(path, "/api/sessions") == 0)
        return s->opt.max_upload_bytes;
    return s->opt.max_body_bytes;
}

/* The cross-site check for cookie-authenticated writes: an Origin header, when sent, must name
 * this host (SameSite=Strict already keeps the cookie off cross-site requests). */
int bstep__req_origin_ok(bstep__req *r)
{
    const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
    const char *p;
    if (origin == NULL)
        return 1;
    if (host == NULL)
        return 0;
    p = strstr(origin, "://");
    return p != NULL && strcmp(p + 3, host) == 0;
}

static void dispatch(bstep__req *r)
{
    const char *p = r->path;
    const int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    if (r->srv->stopping) {
        bstep__req_error(r, 503, "the server is shutting down");
        return;
    }
    if (r->too_big) {
        bstep__req_error(r, 413, "request body larger than %zu bytes", r->limit);
        return;
    }
    if (strcmp(p, "/healthz") == 0 && get) {
        r->ctype = "text/plain; charset=utf-8";
        bstep__buf_puts(&r->out, "ok\n");
        return;
    }
    if (strncmp(p, "/api/", 5) == 0) {
        const int write = !get;
        if (strcmp(p, "/api/ingest") == 0) {
            if (strcmp(r->method, "POST") != 0) {
                bstep__req_error(r, 405, "use POST");
                return;
            }
            if (!bstep__req_auth(r, 1, 0)) {
                bstep__req_error(r, 401, "a valid access token is required");
                return;
            }
            bstep__h_ingest(r);
            return;
        }
        if (!bstep__req_auth(r, 0, 1)) {
            bstep__req_error(r, 401, "a valid access token is required");
            return;
        }
        if (write && r->via_cookie && !bstep__req_origin_ok(r)) {
            bstep__req_error(r, 403, "cross-site request refused");
            return;
        }
        if (strncmp(p, "/api/live", 9) == 0 && (p[9] == '\0' || p[9] == '/')) {
            const char *rest = p + 9;
            char lid[64];
            size_t n;
            if (*rest == '\0' || strcmp(rest, "/") == 0) {
                if (!get) {
                    bstep__req_error(r, 405, "use GET");
                    return;
                }
                bstep__h_live_list(r);
                return;
            }
            rest++;
            n = strcspn(rest, "/");
            if (n == 0 || n >= sizeof(lid)) {
                bstep__req_error(r, 404, "no such live session");
                return;
            }
            memcpy(lid, rest, n);
            lid[n] = '\0';
            rest += n;
            if (*rest == '\0' && get)
                bstep__h_live_get(r, lid);
            else if (strcmp(rest, "/events") == 0 && get)
                bstep__h_live_events(r, lid);
            else if (strcmp(rest, "/end") == 0 && strcmp(r->method, "POST") == 0)
                bstep__h_live_end(r, lid);
            else
                bstep__req_error(r, 404, "no such endpoint");
            return;
        }
        bstep__h_api(r, p + 4);
        return;
    }
    if (strncmp(p, "/static/", 8) == 0 && get) {
        const bstep__web_file *f = bstep__web_find(p + 8);
        if (f == NULL || strstr(p + 8, ".html") != NULL) {
            r->status = 404;
            bstep__buf_puts(&r->out, "not found\n");
            return;
        }
        r->ctype = strstr(p, ".css")   ? "text/css; charset=utf-8"
                   : strstr(p, ".js")  ? "text/javascript; charset=utf-8"
                   : strstr(p, ".svg") ? "image/svg+xml"
                                       : "application/octet-stream";
        r->cacheable = 1;
        bstep__buf_add(&r->out, (const char *)f->data, f->len);
        return;
    }
    bstep__h_page(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    bstep_server *s = cls;
    bstep__req *r = *con_cls;
    (void)version;
    if (r == NULL) {
        const char *cl;
        size_t n = strcspn(url, "?");
        r = calloc(1, sizeof(*r));
        if (r == NULL)
            return MHD_NO;
        r->srv = s;
        r->conn = conn;
        r->method = method;
        if (n >= sizeof(r->path))
            n = sizeof(r->path) - 1;
        memcpy(r->path, url, n);
        r->path[n] = '\0';
        r->limit = limit_for(s, method, r->path);
        bstep__buf_init(&r->out);
        r->ctype = "application/json";
        pthread_mutex_lock(&s->mu);
        s->active_requests++;
        r->counted = 1;
        pthread_mutex_unlock(&s->mu);
        *con_cls = r;
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl != NULL) {
            char *end;
            unsigned long long v;
            errno = 0;
            v = strtoull(cl, &end, 10);
            if (errno != 0 || *end != '\0' || v > r->limit)
                r->too_big = 1;
        }
        if (r->too_big) {
            dispatch(r);
            return send_req(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->too_big)
            return MHD_YES;
        if (r->body_len + n > r->limit) {
            r->too_big = 1;
            free(r->body);
            r->body = NULL;
            r->body_len = r->body_cap = 0;
            return MHD_YES;
        }
        if (r->body_len + n + 1 > r->body_cap) {
            size_t ncap = r->body_cap ? r->body_cap : 4096;
            char *q;
            while (ncap < r->body_len + n + 1)
                ncap *= 2;
            if (ncap > r->limit + 1)
                ncap = r->limit + 1;
            q = realloc(r->body, ncap);
            if (q == NULL)
                return MHD_NO;
            r->body = q;
            r->body_cap = ncap;
        }
        memcpy(r->body + r->body_len, upload_data, n);
        r->body_len += n;
        r->body[r->body_len] = '\0';
        return MHD_YES;
    }
    dispatch(r);
    if (r->st != NULL) {
        bstep__pool_put(&s->pool, r->st);
        r->st = NULL;
    }
    return send_req(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    bstep_server *s = cls;
    bstep__req *r = *con_cls;
    (void)conn;
    (void)toe;
    if (r == NULL)
        return;
    if (r->st != NULL)
        bstep__pool_put(&s->pool, r->st);
    if (r->special != NULL)
        MHD_destroy_response(r->special);
    free(r->body);
    bstep__buf_free(&r->out);
    if (r->counted) {
        pthread_mutex_lock(&s->mu);
        s->active_requests--;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
    }
    free(r);
    *con_cls = NULL;
}

/* ---- life cycle ----------------------------------------------------------------------------- */

static int parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len, int *v6,
                        char *err, size_t err_len)
{
    char host[128], port[16];
    const char *colon;
    struct addrinfo hints, *res = NULL;
    int rc;
    size_t hn;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':')
            goto bad;
        hn = (size_t)(close - text - 1);
        if (hn >= sizeof(host))
            goto bad;
        memcpy(host, text + 1, hn);
        host[hn] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL)
            goto bad;
        hn = (size_t)(colon - text);
        if (hn == 0 || hn >= sizeof(host))
            goto bad;
        memcpy(host, text, hn);
        host[hn] = '\0';
    }
    if (strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof(port) ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1) || strtol(colon + 1, NULL, 10) > 65535)
        goto bad;
    snprintf(port, sizeof(port), "%s", colon + 1);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0 || res == NULL) {
        snprintf(err, err_len, "--listen %s: %s", text, gai_strerror(rc));
        return BSTEP_EINVAL;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = (socklen_t)res->ai_addrlen;
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return BSTEP_OK;
bad:
    snprintf(err, err_len, "--listen %s: expected HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)",
             text);
    return BSTEP_EINVAL;
}

int bstep__server_open(bstep_server **out, const bstep__server_options *o, char *err,
                       size_t err_len)
{
    bstep_server *s;
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    int v6 = 0, rc;
    unsigned flags;
    const union MHD_DaemonInfo *info;
    *out = NULL;
    if (sodium_init() < 0) {
        snprintf(err, err_len, "libsodium could not be initialised");
        return BSTEP_EIO;
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL) {
        snprintf(err, err_len, "out of memory");
        return BSTEP_ENOMEM;
    }
    s->opt = *o;
    snprintf(s->listen_copy, sizeof(s->listen_copy), "%s",
             o->listen ? o->listen : "127.0.0.1:8080");
    s->opt.listen = s->listen_copy;
    if (o->db_url != NULL) {
        snprintf(s->db_copy, sizeof(s->db_copy), "%s", o->db_url);
        s->opt.db_url = s->db_copy;
    }
    if (o->upload_dir != NULL) {
        snprintf(s->upload_copy, sizeof(s->upload_copy), "%s", o->upload_dir);
        s->opt.upload_dir = s->upload_copy;
    }
    if (s->opt.store_handles == 0)
        s->opt.store_handles = 1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    rc = parse_listen(s->opt.listen, &ss, &sl, &v6, err, err_len);
    if (rc == BSTEP_OK)
        rc = pool_open(&s->pool, s->opt.db_url, s->opt.store_handles, err, err_len);
    if (rc != BSTEP_OK) {
        bstep__server_close(s);
        return rc;
    }
    flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
            (v6 ? MHD_USE_IPv6 : 0u);
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_CONNECTION_LIMIT, s->opt.max_connections,
                            MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                            (size_t)(64 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
                            MHD_OPTION_END);
    if (s->d == NULL) {
        snprintf(err, err_len, "cannot listen on %s (address in use or not available)",
                 s->opt.listen);
        bstep__server_close(s);
        return BSTEP_EIO;
    }
    info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info != NULL ? info->port : 0;
    *out = s;
    return BSTEP_OK;
}

unsigned bstep__server_port(const bstep_server *s)
{
    return s->port;
}

void bstep__server_tick(bstep_server *s)
{
    if (!s->stopping)
        bstep__live_sweep(s);
}

void bstep__server_shutdown(bstep_server *s)
{
    struct timespec until;
    MHD_socket lsock;
    if (s == NULL || s->shut)
        return;
    s->shut = 1;
    if (s->d != NULL) {
        lsock = MHD_quiesce_daemon(s->d);
        if (lsock != MHD_INVALID_SOCKET)
            close(lsock);
    }
    s->stopping = 1;
    /* 1. the requests in flight (not the event streams) finish */
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += s->opt.shutdown_grace_s > 0 ? s->opt.shutdown_grace_s : 30;
    pthread_mutex_lock(&s->mu);
    while (s->active_requests - s->sse_streams > 0)
        if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&s->mu);
    /* 2. every live session is analysed to its end and stored */
    bstep__live_end_all(s);
    /* 3. the event streams send what is left (the "end" events) and close */
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&s->mu);
    while (s->active_requests > 0)
        if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&s->mu);
    if (s->d != NULL) {
        MHD_stop_daemon(s->d);
        s->d = NULL;
    }
}

void bstep__server_close(bstep_server *s)
{
    if (s == NULL)
        return;
    if (s->d != NULL)
        bstep__server_shutdown(s);
    bstep__live_free_all(s);
    pool_close(&s->pool);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
