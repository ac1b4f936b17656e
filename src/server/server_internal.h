/* Internal pieces of the server shared by its files (not an API). */
#ifndef BSTEP_SERVER_INTERNAL_H
#define BSTEP_SERVER_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "server/buf.h"
#include "server/live.h"
#include "server/server.h"
#include "store/store.h"

/* ---- store pool ----------------------------------------------------------------------------- */

typedef struct {
    bstep_store **h;
    int *busy;
    unsigned n;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} bstep__store_pool;

bstep_store *bstep__pool_get(bstep__store_pool *p);
void bstep__pool_put(bstep__store_pool *p, bstep_store *st);

/* ---- live sessions -------------------------------------------------------------------------- */

/* Samples go to the store as bstep_imu_sample rows, one per received sample: t_us (rounded from
 * ns), the three values in accel_mps2 (acceleration and gravity streams, the app's units and
 * sign) or gyro_dps (gyroscope, converted to deg/s), and the stream in flags bits 8..11
 * (stream + 1). docs/server.md documents this layout. */
#define BSTEP__RAW_STREAM_SHIFT 8u
#define BSTEP__RAW_STREAM_MASK  0xf00u

typedef struct bstep__live_entry {
    struct bstep__live_entry *next;
    char key[2 * BSTEP__INGEST_ID_MAX + 32]; /* user id, device, session */
    char lid[33];                            /* public id: 128 random bits, hex */
    char session_id[BSTEP__INGEST_ID_MAX + 1];
    char device_id[BSTEP__INGEST_ID_MAX + 1];
    int64_t user_id;
    int64_t store_id; /* session row; 0 until begun */
    int64_t next_seq;
    int64_t started_wall_us;
    int64_t last_msg_mono_ms;
    int64_t last_status_ms;
    int64_t ended_mono_ms;
    uint64_t store_failures;
    int ended;
    int refs;
    bstep__live *live;
    bstep__live_options opt;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} bstep__live_entry;

/* ---- the server ----------------------------------------------------------------------------- */

struct bstep_server {
    struct MHD_Daemon *d;
    bstep__server_options opt;
    char listen_copy[128];
    char db_copy[1024];
    char upload_copy[1024];
    unsigned port;
    bstep__store_pool pool;
    pthread_mutex_t mu; /* live list, counters */
    pthread_cond_t cv;  /* active_requests reached 0 */
    bstep__live_entry *lives;
    volatile int stopping;
    int shut;
    int active_requests;
    int sse_streams; /* event streams among active_requests */
};

/* One request being served. */
typedef struct {
    bstep_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    char path[512]; /* URL path, no query */
    char *body;
    size_t body_len, body_cap, limit;
    int too_big;
    int counted;
    /* authentication */
    int authed;
    int via_cookie;
    bstep_store_user user;
    bstep_store *st; /* from the pool, returned when the request ends */
    /* the response */
    unsigned status;
    bstep__buf out;
    const char *ctype;
    char location[512];
    char set_cookie[512];
    int cacheable;
    struct MHD_Response *special; /* a prepared response (SSE) */
} bstep__req;

int64_t bstep__now_wall_us(void);
int64_t bstep__now_mono_ms(void);

bstep_store *bstep__req_store(bstep__req *r);
/** Authenticate from "Authorization: Bearer T", the "token" query parameter (ingest only) or
 *  the session cookie (pages, EventSource). Sets r->user. @return 1 when authenticated. */
int bstep__req_auth(bstep__req *r, int allow_query_token, int allow_cookie);
const char *bstep__req_arg(bstep__req *r, const char *name);
/** JSON error body {"error": "..."} with status. */
void bstep__req_error(bstep__req *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void bstep__req_json(bstep__req *r, unsigned status, char *json_owned);
/** A cookie-authenticated write must not come from another site (Origin header). */
int bstep__req_origin_ok(bstep__req *r);
/** May the requester see user subject_id's data? */
int bstep__req_can_view(bstep__req *r, int64_t subject_id);

/* token hashing (auth.c) */
#define BSTEP__TOKEN_HASH_BYTES 32
/** A new token "bst_" + 43 base64url characters (256 random bits) and its hash. */
int bstep__token_new(char *token, size_t cap, unsigned char hash[BSTEP__TOKEN_HASH_BYTES]);
void bstep__token_hash(const char *token, unsigned char hash[BSTEP__TOKEN_HASH_BYTES]);

/* handlers */
void bstep__h_ingest(bstep__req *r);
void bstep__h_live_list(bstep__req *r);
void bstep__h_live_get(bstep__req *r, const char *lid);
void bstep__h_live_events(bstep__req *r, const char *lid);
void bstep__h_live_end(bstep__req *r, const char *lid);
void bstep__live_end_all(bstep_server *s);
void bstep__live_sweep(bstep_server *s);
void bstep__live_free_all(bstep_server *s);
/** Find a live entry by public id and take a reference (NULL if none). */
bstep__live_entry *bstep__live_find(bstep_server *s, const char *lid);
void bstep__live_unref(bstep_server *s, bstep__live_entry *e);

void bstep__h_api(bstep__req *r, const char *rest); /* /api/... except ingest and live */
void bstep__h_page(bstep__req *r);                  /* everything else */

/* embedded web files (generated at build time from web/) */
typedef struct {
    const char *name;
    const unsigned char *data;
    size_t len;
} bstep__web_file;
const bstep__web_file *bstep__web_find(const char *name);

#endif
