/*
 * The HTTP server end to end, in process, over loopback, on SQLite and on PostgreSQL (the store
 * tests' fixture): access control on every endpoint (no token, a wrong token, another walker's
 * token, a clinician of another clinic), size limits and malformed bodies (4xx, and the server
 * keeps serving), security headers, the REST API, live ingest with the event stream (steps arrive
 * while the phone is still streaming, within a second of the message that made them known),
 * every sample stored, and the graceful shutdown that stores an open live session.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../bench/httpc.h"
#include "../bench/slmsg.h"
#include "../store/store_util.h"
#include "backstep/sim.h"
#include "backstep/writers.h"
#include "harness.h"
#include "server/server.h"
#include "server/server_internal.h"

static char g_url[512];
static char g_base[64];
static bstep_server *g_srv;
static char tok_alice[128], tok_bob[128], tok_carol[128], tok_dave[128];
static int64_t id_alice;

static void make_token(bstep_store *st, const char *name, bstep_role role, int64_t clinic,
                       char *tok, int64_t *uid)
{
    bstep_store_user u;
    unsigned char h[BSTEP__TOKEN_HASH_BYTES];
    int64_t tid;
    bstep_store_user_init(&u);
    snprintf(u.name, sizeof(u.name), "%s", name);
    u.role = role;
    u.clinic_id = clinic;
    if (bstep_store_user_create(st, &u) != BSTEP_OK || bstep__token_new(tok, 128, h) != 0 ||
        bstep_store_token_add(st, u.id, h, sizeof(h), "test", &tid) != BSTEP_OK) {
        fprintf(stderr, "setup %s: %s\n", name, bstep_store_errmsg(st));
        exit(1);
    }
    if (uid != NULL)
        *uid = u.id;
}

static void start_server(size_t max_ingest)
{
    bstep__server_options o;
    char err[512];
    bstep__server_options_init(&o);
    o.listen = "127.0.0.1:0";
    o.db_url = g_url;
    o.max_ingest_bytes = max_ingest;
    o.live_timeout_s = 60;
    o.upload_dir = t_tmp();
    if (bstep__server_open(&g_srv, &o, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "server: %s\n", err);
        exit(1);
    }
    snprintf(g_base, sizeof(g_base), "http://127.0.0.1:%u", bstep__server_port(g_srv));
}

static void setup(void)
{
    bstep_store *st;
    int64_t clinic_a, clinic_b;
    t_check_backend();
    st = t_open_fresh(g_url, sizeof(g_url));
    if (st == NULL)
        exit(1);
    if (bstep_store_clinic_create(st, "clinic-a", &clinic_a) != BSTEP_OK ||
        bstep_store_clinic_create(st, "clinic-b", &clinic_b) != BSTEP_OK)
        exit(1);
    make_token(st, "alice", BSTEP_ROLE_WALKER, clinic_a, tok_alice, &id_alice);
    make_token(st, "bob", BSTEP_ROLE_WALKER, clinic_b, tok_bob, NULL);
    make_token(st, "carol", BSTEP_ROLE_CLINICIAN, clinic_a, tok_carol, NULL);
    make_token(st, "dave", BSTEP_ROLE_CLINICIAN, clinic_b, tok_dave, NULL);
    bstep_store_close(st);
    start_server(256 * 1024);
}

/* One request; returns the status, body in *body (may be NULL: freed). */
static int req(const char *method, const char *path, const char *token, int cookie,
               const char *body, size_t len, char **out_body, char *headers_out)
{
    httpc c;
    httpc_resp r;
    char h[512];
    (void)headers_out;
    if (body != NULL && len == 0)
        len = strlen(body);
    h[0] = '\0';
    if (token != NULL && !cookie)
        snprintf(h, sizeof(h), "Authorization: Bearer %s\r\n", token);
    else if (token != NULL)
        snprintf(h, sizeof(h), "Cookie: bstep_token=%s\r\n", token);
    if (httpc_init(&c, g_base) != 0 || httpc_request(&c, method, path, h, body, len, &r) != 0) {
        fprintf(stderr, "request %s %s failed\n", method, path);
        exit(1);
    }
    httpc_close(&c);
    if (out_body != NULL)
        *out_body = r.body;
    else
        free(r.body);
    return r.status;
}

static int64_t json_int(const char *body, const char *key)
{
    cJSON *j = cJSON_Parse(body), *v;
    int64_t x = -1;
    if (j != NULL && (v = cJSON_GetObjectItemCaseSensitive(j, key)) != NULL && cJSON_IsNumber(v))
        x = (int64_t)v->valuedouble;
    cJSON_Delete(j);
    return x;
}

/* ---- a recording ---------------------------------------------------------------------------- */

static void write_walk(const char *path, bstep_format fmt, double seconds)
{
    bstep_sim_settings cfg = bstep_sim_default_settings;
    bstep_sim_scenario sc;
    static bstep_sim g;
    bstep_rec_writer *w;
    bstep_rec_writer_options wo;
    bstep_imu_sample buf[256];
    char text[128], err[256];
    size_t n;
    snprintf(text, sizeof(text), "stand 2s\nwalk backward %.0fs speed=0.6\nstand 2s", seconds);
    if (bstep_sim_scenario_parse(text, &sc, err, sizeof(err)) != BSTEP_OK)
        exit(1);
    cfg.sample_rate_hz = 100.0;
    cfg.site = BSTEP_SIM_AT_FOOT;
    cfg.side = BSTEP_FOOT_RIGHT;
    cfg.seed = 11;
    memset(&wo, 0, sizeof(wo));
    wo.format = fmt;
    wo.decimals = 5;
    wo.sample_rate_hz = 100.0;
    wo.epoch_ns = 1700000000000000000LL;
    if (bstep_sim_init(&g, &cfg, &sc) != BSTEP_OK ||
        bstep_rec_writer_open(&w, path, &wo, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    while ((n = bstep_sim_next_block(&g, buf, 256)) > 0)
        bstep_rec_writer_write(w, buf, n);
    bstep_rec_writer_close(w);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(p);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static int64_t g_session; /* alice's uploaded session */
static char g_lid[64];    /* alice's live session */

BSTEP_TEST(upload_and_rest)
{
    char path[512], *body, *out;
    size_t len;
    int st;
    snprintf(path, sizeof(path), "%s/http_walk_%ld.csv", t_tmp(), (long)getpid());
    write_walk(path, BSTEP_FORMAT_CSV, 20.0);
    body = read_file(path, &len);
    BSTEP_ASSERT(body != NULL);
    st = req("POST", "/api/sessions?placement=foot-right&toe-axis=%2Bx&name=walk.csv", tok_alice, 0,
             body, len, &out, NULL);
    BSTEP_ASSERT_EQ(st, 201);
    g_session = json_int(out, "id");
    BSTEP_ASSERT_GE(g_session, 1);
    BSTEP_ASSERT_GE(json_int(out, "steps"), 20);
    free(out);
    /* the same file again is recognised */
    st = req("POST", "/api/sessions?placement=foot-right", tok_alice, 0, body, len, &out, NULL);
    BSTEP_ASSERT_EQ(st, 200);
    BSTEP_ASSERT_EQ(json_int(out, "id"), g_session);
    free(out);
    /* not a recording */
    st = req("POST", "/api/sessions", tok_alice, 0, "hello\n", 0, &out, NULL);
    BSTEP_ASSERT_EQ(st, 422);
    BSTEP_ASSERT_STR_CONTAINS(out, "upload");
    BSTEP_ASSERT(strstr(out, t_tmp()) == NULL); /* the temporary path is not shown */
    free(out);
    free(body);
    remove(path);
    {
        char p[64];
        snprintf(p, sizeof(p), "/api/sessions/%lld/steps", (long long)g_session);
        BSTEP_ASSERT_EQ(req("GET", p, tok_alice, 0, NULL, 0, &out, NULL), 200);
        BSTEP_ASSERT_STR_CONTAINS(out, "\"direction\":\"backward\"");
        free(out);
    }
    BSTEP_ASSERT_EQ(req("GET", "/api/sessions", tok_alice, 0, NULL, 0, &out, NULL), 200);
    BSTEP_ASSERT_STR_CONTAINS(out, "upload:walk.csv");
    free(out);
    BSTEP_ASSERT_EQ(req("POST", "/api/checkins", tok_alice, 0,
                        "{\"pain_0_10\": 3, \"note\": \"knee fine\"}", 0, &out, NULL),
                    201);
    free(out);
    BSTEP_ASSERT_EQ(
        req("POST", "/api/checkins", tok_alice, 0, "{\"pain_0_10\": 11}", 0, &out, NULL), 400);
    BSTEP_ASSERT_STR_CONTAINS(out, "pain_0_10");
    free(out);
    BSTEP_ASSERT_EQ(req("GET", "/api/checkins", tok_alice, 0, NULL, 0, &out, NULL), 200);
    BSTEP_ASSERT_STR_CONTAINS(out, "knee fine");
    free(out);
    BSTEP_ASSERT_EQ(req("POST", "/api/plans", tok_alice, 0,
                        "{\"kind\": \"knee-oa\", \"level\": 1, \"screening\": {\"fell\": \"no\"}}",
                        0, &out, NULL),
                    201);
    free(out);
    BSTEP_ASSERT_EQ(req("GET", "/api/plans/active", tok_alice, 0, NULL, 0, &out, NULL), 200);
    BSTEP_ASSERT_STR_CONTAINS(out, "knee-oa");
    free(out);
    BSTEP_ASSERT_EQ(req("GET", "/api/progress?period=month", tok_alice, 0, NULL, 0, &out, NULL),
                    200);
    BSTEP_ASSERT_STR_CONTAINS(out, "\"sessions\":1");
    free(out);
}

typedef struct {
    char lid[64];
    int steps_live; /* steps received before the end event */
    int ended;
    double max_lag_ms;
    int status;
} sse_result;

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void *sse_thread(void *arg)
{
    sse_result *r = arg;
    httpc c;
    char path[128], h[256], ev[64], data[4096];
    snprintf(path, sizeof(path), "/api/live/%s/events", r->lid);
    snprintf(h, sizeof(h), "Authorization: Bearer %s\r\n", tok_carol); /* alice's clinician */
    if (httpc_init(&c, g_base) != 0 || httpc_sse_open(&c, path, h, &r->status) != 0)
        return NULL;
    for (;;) {
        int rc = httpc_sse_next(&c, ev, sizeof(ev), data, sizeof(data), 20000);
        if (rc != 1)
            break;
        if (strcmp(ev, "step") == 0) {
            double emitted = (double)json_int(data, "emitted_wall_ms");
            double lag = wall_ms() - emitted;
            if (lag > r->max_lag_ms)
                r->max_lag_ms = lag;
            if (!r->ended)
                r->steps_live++;
        } else if (strcmp(ev, "end") == 0) {
            r->ended = 1;
            break;
        }
    }
    httpc_close(&c);
    return NULL;
}

/* Push the folder's messages (100 ms batches, about 8x real time) for session sid. */
static int push(const sl_recording *rec, const char *sid, const char *token, int64_t shift,
                char *lid, size_t *samples, sse_result *sse, pthread_t *th)
{
    httpc c;
    char h[256];
    size_t a, b;
    long long id = 0;
    int bad = 0;
    snprintf(h, sizeof(h), "Authorization: Bearer %s\r\n", token);
    httpc_init(&c, g_base);
    *samples = 0;
    for (a = 0; a < rec->n; a = b, id++) {
        size_t len;
        char *m;
        httpc_resp r;
        b = sl_batch_end(rec, a, 100000000);
        m = sl_message(rec, a, b, shift, id, sid, "phone-1", &len);
        if (httpc_request(&c, "POST", "/api/ingest?placement=foot-right&toe-axis=%2Bx", h, m, len,
                          &r) != 0)
            return -1;
        if (r.status != 200)
            bad++;
        if (lid[0] == '\0' && r.status == 200) {
            cJSON *j = cJSON_Parse(r.body);
            cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "live_id");
            if (cJSON_IsString(v))
                snprintf(lid, 64, "%s", v->valuestring);
            cJSON_Delete(j);
            if (sse != NULL) {
                snprintf(sse->lid, sizeof(sse->lid), "%s", lid);
                pthread_create(th, NULL, sse_thread, sse);
            }
        }
        free(r.body);
        free(m);
        *samples += b - a;
        {
            struct timespec ts = {0, 12 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    httpc_close(&c);
    return bad;
}

static int64_t stored_samples(int64_t session)
{
    bstep_store *st;
    char err[256];
    int64_t n = -1;
    if (bstep_store_open(&st, g_url, err, sizeof(err)) != BSTEP_OK)
        return -1;
    bstep_store_live_samples_count(st, session, &n);
    bstep_store_close(st);
    return n;
}

BSTEP_TEST(live_stream_with_events)
{
    char dir[512], *out, p[128];
    sl_recording rec;
    size_t samples;
    sse_result sse;
    pthread_t th;
    int64_t session;
    snprintf(dir, sizeof(dir), "%s/http_live_%ld", t_tmp(), (long)getpid());
    write_walk(dir, BSTEP_FORMAT_SENSORLOGGER, 25.0);
    BSTEP_ASSERT_EQ(sl_read_folder(dir, &rec), 0);
    memset(&sse, 0, sizeof(sse));
    g_lid[0] = '\0';
    BSTEP_ASSERT_EQ(push(&rec, "live-1", tok_alice, 0, g_lid, &samples, &sse, &th), 0);
    BSTEP_ASSERT(g_lid[0] != '\0');
    /* the walker's own token ends it; the session is stored */
    snprintf(p, sizeof(p), "/api/live/%s/end", g_lid);
    BSTEP_ASSERT_EQ(req("POST", p, tok_alice, 0, NULL, 0, &out, NULL), 200);
    session = json_int(out, "session");
    free(out);
    pthread_join(th, NULL);
    BSTEP_ASSERT_EQ(sse.status, 200);
    BSTEP_ASSERT(sse.ended);
    BSTEP_ASSERT_GE(sse.steps_live, 10); /* steps came while the phone was streaming */
    BSTEP_ASSERT_LE(sse.max_lag_ms, 1000.0);
    BSTEP_ASSERT_EQ(stored_samples(session), (int64_t)samples);
    snprintf(p, sizeof(p), "/api/sessions/%lld", (long long)session);
    BSTEP_ASSERT_EQ(req("GET", p, tok_alice, 0, NULL, 0, &out, NULL), 200);
    BSTEP_ASSERT_STR_CONTAINS(out, "\"state\":\"done\"");
    BSTEP_ASSERT_GE(json_int(out, "steps_backward"), 20);
    free(out);
    sl_free(&rec);
}

/* Every endpoint, every way of being refused. */
BSTEP_TEST(access_control)
{
    char sess[64], steps[64], live[96], events[112], end[104], page_s[64], page_l[96];
    struct {
        const char *method, *path, *body;
    } eps[] = {
        {"GET", "/api/me", NULL},
        {"GET", "/api/users", NULL},
        {"GET", "/api/sessions", NULL},
        {"POST", "/api/sessions", "time (s),acc_x (m/s^2)\n"},
        {"GET", sess, NULL},
        {"GET", steps, NULL},
        {"DELETE", sess, NULL},
        {"GET", "/api/progress", NULL},
        {"GET", "/api/plans", NULL},
        {"GET", "/api/plans/active", NULL},
        {"POST", "/api/plans", "{\"kind\":\"general\"}"},
        {"GET", "/api/checkins", NULL},
        {"POST", "/api/checkins", "{\"pain_0_10\":1}"},
        {"POST", "/api/ingest", "{\"sessionId\":\"x\",\"payload\":[]}"},
        {"GET", "/api/live", NULL},
        {"GET", live, NULL},
        {"GET", events, NULL},
        {"POST", end, NULL},
    };
    const char *pages[] = {"/sessions", page_s, "/progress", "/plan", "/live", page_l};
    size_t i;
    char *out;
    snprintf(sess, sizeof(sess), "/api/sessions/%lld", (long long)g_session);
    snprintf(steps, sizeof(steps), "/api/sessions/%lld/steps", (long long)g_session);
    snprintf(live, sizeof(live), "/api/live/%s", g_lid);
    snprintf(events, sizeof(events), "/api/live/%s/events", g_lid);
    snprintf(end, sizeof(end), "/api/live/%s/end", g_lid);
    snprintf(page_s, sizeof(page_s), "/sessions/%lld", (long long)g_session);
    snprintf(page_l, sizeof(page_l), "/live/%s", g_lid);
    for (i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
        size_t bl = eps[i].body ? strlen(eps[i].body) : 0;
        int st;
        st = req(eps[i].method, eps[i].path, NULL, 0, eps[i].body, bl, NULL, NULL);
        if (st != 401)
            BSTEP__FAIL("%s %s without a token: %d", eps[i].method, eps[i].path, st);
        st = req(eps[i].method, eps[i].path, "bst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0,
                 eps[i].body, bl, NULL, NULL);
        if (st != 401)
            BSTEP__FAIL("%s %s with a wrong token: %d", eps[i].method, eps[i].path, st);
        st = req(eps[i].method, eps[i].path, "not-a-token", 0, eps[i].body, bl, NULL, NULL);
        if (st != 401)
            BSTEP__FAIL("%s %s with garbage: %d", eps[i].method, eps[i].path, st);
    }
    /* another walker's token, and a clinician of another clinic: alice's things do not exist */
    {
        const char *others[] = {tok_bob, tok_dave};
        size_t k;
        for (k = 0; k < 2; k++) {
            const char *own[] = {sess, steps, live, events};
            size_t j;
            for (j = 0; j < 4; j++) {
                int st = req("GET", own[j], others[k], 0, NULL, 0, NULL, NULL);
                if (st != 404)
                    BSTEP__FAIL("GET %s with %s's token: %d", own[j], k ? "dave" : "bob", st);
            }
            BSTEP_ASSERT_EQ(req("DELETE", sess, others[k], 0, NULL, 0, NULL, NULL), 404);
            BSTEP_ASSERT_EQ(req("POST", end, others[k], 0, NULL, 0, NULL, NULL), 404);
            BSTEP_ASSERT_EQ(
                req("GET", "/api/sessions?user=alice", others[k], 0, NULL, 0, NULL, NULL), 404);
            BSTEP_ASSERT_EQ(
                req("GET", "/api/checkins?user=alice", others[k], 0, NULL, 0, NULL, NULL), 404);
            BSTEP_ASSERT_EQ(req("GET", page_s, others[k], 1, NULL, 0, NULL, NULL), 404);
            BSTEP_ASSERT_EQ(req("GET", page_l, others[k], 1, NULL, 0, NULL, NULL), 404);
            BSTEP_ASSERT_EQ(req("GET", "/api/live", others[k], 0, NULL, 0, &out, NULL), 200);
            BSTEP_ASSERT(strstr(out, g_lid) == NULL);
            free(out);
        }
    }
    /* the token as a query parameter: accepted by ingest only (the app's configurable URL) */
    {
        char p[256];
        const char *msg = "{\"messageId\":0,\"sessionId\":\"q\",\"deviceId\":\"d\",\"payload\":[]}";
        snprintf(p, sizeof(p), "/api/ingest?placement=pocket&token=%s", tok_alice);
        BSTEP_ASSERT_EQ(req("POST", p, NULL, 0, msg, 0, NULL, NULL), 200);
        snprintf(p, sizeof(p), "/api/sessions?token=%s", tok_alice);
        BSTEP_ASSERT_EQ(req("GET", p, NULL, 0, NULL, 0, NULL, NULL), 401);
    }
    /* alice's clinician sees her, but may not delete or end for her */
    BSTEP_ASSERT_EQ(req("GET", sess, tok_carol, 0, NULL, 0, NULL, NULL), 200);
    BSTEP_ASSERT_EQ(req("GET", "/api/sessions?user=alice", tok_carol, 0, NULL, 0, &out, NULL), 200);
    BSTEP_ASSERT_STR_CONTAINS(out, "upload:walk.csv");
    free(out);
    BSTEP_ASSERT_EQ(req("DELETE", sess, tok_carol, 0, NULL, 0, NULL, NULL), 403);
    BSTEP_ASSERT_EQ(req("GET", page_s, tok_carol, 1, NULL, 0, NULL, NULL), 200);
    /* pages without the cookie go to the sign-in page */
    for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        int st = req("GET", pages[i], NULL, 0, NULL, 0, NULL, NULL);
        if (st != 303)
            BSTEP__FAIL("GET %s without a cookie: %d", pages[i], st);
        st = req("GET", pages[i], "bst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1, NULL, 0,
                 NULL, NULL);
        if (st != 303)
            BSTEP__FAIL("GET %s with a wrong cookie: %d", pages[i], st);
        st = req("GET", pages[i], tok_alice, 1, NULL, 0, NULL, NULL);
        if (st != 200)
            BSTEP__FAIL("GET %s with alice's cookie: %d", pages[i], st);
    }
    BSTEP_ASSERT_EQ(req("POST", "/checkins", NULL, 0, "pain=2", 0, NULL, NULL), 401);
    BSTEP_ASSERT_EQ(req("POST", "/login", NULL, 0, "token=bst_nope", 0, NULL, NULL), 401);
    {
        char form[200];
        int n = snprintf(form, sizeof(form), "token=%s", tok_alice);
        BSTEP_ASSERT_EQ(req("POST", "/login", NULL, 0, form, (size_t)n, NULL, NULL), 303);
    }
}

/* Send raw bytes on a new connection; the status code of the answer, 0 when the server closed. */
static int raw_status(const char *data, size_t len)
{
    struct sockaddr_in a;
    char buf[64];
    ssize_t k;
    int fd = socket(AF_INET, SOCK_STREAM, 0), st = 0;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)bstep__server_port(g_srv));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
        return -1;
    if (send(fd, data, len, MSG_NOSIGNAL) < 0) {
        close(fd);
        return 0;
    }
    k = recv(fd, buf, sizeof(buf) - 1, 0);
    if (k > 12 && strncmp(buf, "HTTP/1.1 ", 9) == 0) {
        buf[k] = '\0';
        st = (int)strtol(buf + 9, NULL, 10);
    }
    close(fd);
    return st;
}

static void *big_alloc(size_t n, char fill)
{
    char *p = malloc(n);
    memset(p, fill, n);
    return p;
}

BSTEP_TEST(limits_and_bad_bodies)
{
    char *big = big_alloc(300 * 1024, 'x'), *out;
    const char *bad[] = {"{",
                         "[]",
                         "{\"sessionId\":\"a\",\"payload\":[{\"name\":\"gyroscope\"}]}",
                         "\x01\x02\x03",
                         "{\"sessionId\":\"a\",\"payload\":[]}}}}",
                         "{\"sessionId\":\"a\",\"payload\":{}}"};
    size_t i;
    int st;
    /* declared and actual sizes over the limits: ingest 256 KiB here, API bodies 64 KiB */
    st = req("POST", "/api/ingest", tok_alice, 0, big, 300 * 1024, &out, NULL);
    BSTEP_ASSERT_EQ(st, 413);
    free(out);
    st = req("POST", "/api/checkins", tok_alice, 0, big, 70 * 1024, NULL, NULL);
    BSTEP_ASSERT_EQ(st, 413);
    st = req("POST", "/api/plans", tok_alice, 0, big, 100, NULL, NULL);
    BSTEP_ASSERT_EQ(st, 400);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        st = req("POST", "/api/ingest", tok_alice, 0, bad[i], strlen(bad[i]), &out, NULL);
        if (st != 400)
            BSTEP__FAIL("ingest body %zu: %d %s", i, st, out);
        free(out);
        st = req("POST", "/api/checkins", tok_alice, 0, bad[i], strlen(bad[i]), NULL, NULL);
        if (st != 400)
            BSTEP__FAIL("checkin body %zu: %d", i, st);
    }
    BSTEP_ASSERT_EQ(req("GET", "/api/ingest", tok_alice, 0, NULL, 0, NULL, NULL), 405);
    BSTEP_ASSERT_EQ(req("GET", "/api/nothing", tok_alice, 0, NULL, 0, NULL, NULL), 404);
    BSTEP_ASSERT_EQ(req("GET", "/api/sessions/abc", tok_alice, 0, NULL, 0, NULL, NULL), 404);
    BSTEP_ASSERT_EQ(req("GET", "/api/sessions/99999999", tok_alice, 0, NULL, 0, NULL, NULL), 404);
    BSTEP_ASSERT_EQ(req("GET", "/api/sessions?limit=-1", tok_alice, 0, NULL, 0, NULL, NULL), 400);
    BSTEP_ASSERT_EQ(req("GET", "/static/../../etc/passwd", NULL, 0, NULL, 0, NULL, NULL), 404);
    /* malformed HTTP: headers too large, a body that lies about its size, broken chunks */
    {
        char *h = big_alloc(100050, 'a');
        memcpy(h, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ", 40);
        memcpy(h + 100046, "\r\n\r\n", 4);
        BSTEP_ASSERT_EQ(raw_status(h, 100050), 431);
        free(h);
    }
    {
        const char *lie =
            "POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n";
        const char *chunk =
            "POST /api/ingest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            "zz\r\n";
        BSTEP_ASSERT_EQ(raw_status(lie, strlen(lie)), 413);
        BSTEP_ASSERT_EQ(raw_status(chunk, strlen(chunk)), 400);
        BSTEP_ASSERT_LE(raw_status("GARBAGE\r\n\r\n", 11), 400);
    }
    /* still serving */
    BSTEP_ASSERT_EQ(req("GET", "/healthz", NULL, 0, NULL, 0, &out, NULL), 200);
    BSTEP_ASSERT_STR_CONTAINS(out, "ok");
    free(out);
    free(big);
}

static void assert_security_headers(const char *head)
{
    BSTEP_ASSERT_STR_CONTAINS(head, "Content-Security-Policy: default-src 'none'");
    BSTEP_ASSERT_STR_CONTAINS(head, "frame-ancestors 'none'");
    BSTEP_ASSERT_STR_CONTAINS(head, "X-Content-Type-Options: nosniff");
    BSTEP_ASSERT_STR_CONTAINS(head, "Referrer-Policy: no-referrer");
    BSTEP_ASSERT_STR_CONTAINS(head, "X-Frame-Options: DENY");
}

BSTEP_TEST(security_headers)
{
    httpc c;
    httpc_resp r;
    char h[256];
    snprintf(h, sizeof(h), "Cookie: bstep_token=%s\r\n", tok_alice);
    BSTEP_ASSERT_EQ(httpc_init(&c, g_base), 0);
    BSTEP_ASSERT_EQ(httpc_request(&c, "GET", "/sessions", h, NULL, 0, &r), 0);
    BSTEP_ASSERT_EQ(r.status, 200);
    BSTEP_ASSERT_STR_CONTAINS(r.body, "<!doctype html>");
    BSTEP_ASSERT_STR_CONTAINS(r.body, "backward 100 %");
    BSTEP_ASSERT_STR_CONTAINS(r.head, "Content-Type: text/html");
    BSTEP_ASSERT_STR_CONTAINS(r.head, "Cache-Control: no-store");
    assert_security_headers(r.head);
    free(r.body);
    BSTEP_ASSERT_EQ(httpc_request(&c, "GET", "/static/style.css", "", NULL, 0, &r), 0);
    BSTEP_ASSERT_EQ(r.status, 200);
    BSTEP_ASSERT_STR_CONTAINS(r.body, "--backward");
    assert_security_headers(r.head);
    free(r.body);
    BSTEP_ASSERT_EQ(httpc_request(&c, "GET", "/api/me", "", NULL, 0, &r), 0);
    BSTEP_ASSERT_EQ(r.status, 401);
    BSTEP_ASSERT_STR_CONTAINS(r.head, "WWW-Authenticate: Bearer");
    assert_security_headers(r.head);
    free(r.body);
    /* the sign-in cookie is HttpOnly and SameSite=Strict */
    {
        char form[200];
        int n = snprintf(form, sizeof(form), "token=%s", tok_alice);
        BSTEP_ASSERT_EQ(httpc_request(&c, "POST", "/login", "", form, (size_t)n, &r), 0);
        BSTEP_ASSERT_EQ(r.status, 303);
        BSTEP_ASSERT_STR_CONTAINS(r.head, "HttpOnly; SameSite=Strict");
        free(r.body);
    }
    /* a cross-site write with the cookie is refused */
    snprintf(h, sizeof(h), "Cookie: bstep_token=%s\r\nOrigin: http://evil.example\r\n", tok_alice);
    BSTEP_ASSERT_EQ(httpc_request(&c, "POST", "/api/checkins", h, "{\"pain_0_10\":1}",
                                  strlen("{\"pain_0_10\":1}"), &r),
                    0);
    BSTEP_ASSERT_EQ(r.status, 403);
    free(r.body);
    httpc_close(&c);
}

/* A phone still streaming when the server stops: the session is analysed and stored. */
BSTEP_TEST(graceful_shutdown_stores_live_session)
{
    char dir[512], lid[64] = "";
    sl_recording rec;
    size_t samples;
    bstep_store *st;
    bstep_store_filter f;
    bstep_store_session *list = NULL;
    size_t n = 0, i;
    char err[256];
    int found = 0;
    snprintf(dir, sizeof(dir), "%s/http_live_%ld", t_tmp(), (long)getpid());
    BSTEP_ASSERT_EQ(sl_read_folder(dir, &rec), 0);
    BSTEP_ASSERT_EQ(push(&rec, "live-2", tok_bob, 0, lid, &samples, NULL, NULL), 0);
    bstep__server_shutdown(g_srv);
    bstep__server_close(g_srv);
    g_srv = NULL;
    BSTEP_ASSERT_EQ(bstep_store_open(&st, g_url, err, sizeof(err)), BSTEP_OK);
    bstep_store_filter_init(&f);
    f.include_live = 1;
    BSTEP_ASSERT_EQ(bstep_store_session_list(st, &f, &list, &n), BSTEP_OK);
    for (i = 0; i < n; i++)
        if (strstr(list[i].source_path, "live-2") != NULL) {
            int64_t cnt = -1;
            found = 1;
            BSTEP_ASSERT_EQ(list[i].state, BSTEP_SESSION_DONE);
            BSTEP_ASSERT_GE(list[i].steps, 20);
            bstep_store_live_samples_count(st, list[i].id, &cnt);
            BSTEP_ASSERT_EQ(cnt, (int64_t)samples);
        }
    BSTEP_ASSERT(found);
    bstep_store_free(list);
    bstep_store_close(st);
    sl_free(&rec);
}

/* The tests build on each other (the upload, then the live session, then access to both). */
int main(int argc, char **argv)
{
    static const bstep_test_case tests[] = {
        BSTEP_TEST_ENTRY(upload_and_rest),
        BSTEP_TEST_ENTRY(live_stream_with_events),
        BSTEP_TEST_ENTRY(access_control),
        BSTEP_TEST_ENTRY(limits_and_bad_bodies),
        BSTEP_TEST_ENTRY(security_headers),
        BSTEP_TEST_ENTRY(graceful_shutdown_stores_live_session)};
    int rc;
    (void)argc;
    (void)argv;
    setup();
    rc = bstep__run_tests(tests, sizeof(tests) / sizeof(tests[0]), 1, argv);
    bstep__server_close(g_srv);
    return rc;
}
