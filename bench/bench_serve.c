/*
 * Load test of live ingest (docs/server.md): N phones stream simulated backward walking at R Hz
 * for S seconds at once, in real time, as the Sensor Logger app's HTTP push does (one message per
 * batch period with totalacceleration and gyroscope entries), each followed by an event-stream
 * reader like the live page. At the end every session is ended and the samples stored for it are
 * counted in the database and compared with the samples sent.
 *
 * Reported: messages and samples sent and stored (lost = sent - stored, must be 0), HTTP errors,
 * ingest round trip p50/p99, and the live latency p50/p99/max of step events: from the moment the
 * server emitted the step (while handling the message that made it known) to its arrival at the
 * event-stream reader, and from the contact itself (in replayed real time) to its arrival, which
 * adds the batch period, the reorder window and the analyzer's look-ahead.
 *
 *   bench_serve --url http://127.0.0.1:PORT --tokens FILE --db URL [--phones 50] [--seconds 120]
 *               [--rate 100] [--batch-ms 200]
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backstep/sim.h"
#include "httpc.h"
#include "slmsg.h"
#include "store/store.h"

#define EPOCH_NS 1750000000000000000LL

typedef struct {
    int idx;
    char token[128];
    const char *url;
    double seconds, rate;
    long batch_ms;
    /* results */
    long long messages, samples, http_errors, conn_errors;
    double *rtt_ms;
    size_t n_rtt, cap_rtt;
    double *emit_ms, *contact_ms;
    size_t n_ev, cap_ev, n_c, cap_c;
    char lid[64];
    long long session;
    double start_wall_ms;
    int64_t t0_ns;
    volatile int sse_ready, stop_sse;
    pthread_t sse;
} phone;

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void push_val(double **v, size_t *n, size_t *cap, double x)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        *v = realloc(*v, *cap * sizeof(**v));
        if (*v == NULL)
            abort();
    }
    (*v)[(*n)++] = x;
}

static long long json_ll(const char *s, const char *key)
{
    char pat[64];
    const char *p;
    snprintf(pat, sizeof(pat), "\"%s\":", key);
    p = strstr(s, pat);
    return p != NULL ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

static void json_s(const char *s, const char *key, char *out, size_t cap)
{
    char pat[64];
    const char *p;
    size_t n;
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    out[0] = '\0';
    p = strstr(s, pat);
    if (p == NULL)
        return;
    p += strlen(pat);
    n = strcspn(p, "\"");
    if (n < cap) {
        memcpy(out, p, n);
        out[n] = '\0';
    }
}

static void *sse_main(void *arg)
{
    phone *ph = arg;
    httpc c;
    char path[128], h[256], ev[64], *data = malloc(65536);
    int status;
    snprintf(path, sizeof(path), "/api/live/%s/events", ph->lid);
    snprintf(h, sizeof(h), "Authorization: Bearer %s\r\n", ph->token);
    if (data == NULL || httpc_init(&c, ph->url) != 0 || httpc_sse_open(&c, path, h, &status) != 0 ||
        status != 200) {
        fprintf(stderr, "phone %d: event stream not opened\n", ph->idx);
        ph->sse_ready = -1;
        free(data);
        return NULL;
    }
    ph->sse_ready = 1;
    for (;;) {
        int rc = httpc_sse_next(&c, ev, sizeof(ev), data, 65536, 1000);
        double now = wall_ms();
        if (rc == -2) {
            if (ph->stop_sse)
                break;
            continue;
        }
        if (rc != 1)
            break;
        if (strcmp(ev, "step") == 0) {
            const double emitted = (double)json_ll(data, "emitted_wall_ms");
            const long long t_ns = json_ll(data, "t_ns");
            push_val(&ph->emit_ms, &ph->n_ev, &ph->cap_ev, now - emitted);
            push_val(&ph->contact_ms, &ph->n_c, &ph->cap_c,
                     now - (ph->start_wall_ms + (double)(t_ns - ph->t0_ns) * 1e-6));
        } else if (strcmp(ev, "end") == 0) {
            break;
        }
    }
    httpc_close(&c);
    free(data);
    return NULL;
}

static void *phone_main(void *arg)
{
    phone *ph = arg;
    bstep_sim_settings cfg = bstep_sim_default_settings;
    bstep_sim_scenario sc;
    bstep_sim *g = malloc(sizeof(*g));
    bstep_imu_sample *s;
    sl_recording rec;
    char text[128], err[256], headers[512], sid[32], dev[32];
    size_t n, cap, i, a, b;
    httpc c;
    long long id = 0;
    double t_start;
    const double rad = 3.14159265358979323846 / 180.0;
    snprintf(text, sizeof(text), "stand 2s\nwalk backward %.0fs speed=0.7\nstand 2s",
             ph->seconds - 4.0 > 1.0 ? ph->seconds - 4.0 : 1.0);
    cfg.sample_rate_hz = ph->rate;
    cfg.site = BSTEP_SIM_AT_FOOT;
    cfg.side = BSTEP_FOOT_RIGHT;
    cfg.seed = (uint64_t)ph->idx + 1;
    if (g == NULL || bstep_sim_scenario_parse(text, &sc, err, sizeof(err)) != BSTEP_OK ||
        bstep_sim_init(g, &cfg, &sc) != BSTEP_OK) {
        fprintf(stderr, "phone %d: simulator: %s\n", ph->idx, err);
        return NULL;
    }
    cap = (size_t)(ph->seconds * ph->rate) + 16;
    s = malloc(cap * sizeof(*s));
    n = bstep_sim_next_block(g, s, cap);
    free(g);
    rec.n = 0;
    rec.rows = malloc(2 * n * sizeof(*rec.rows));
    ph->t0_ns = EPOCH_NS + (int64_t)ph->idx * 1000;
    for (i = 0; i < n; i++) {
        sl_row *x = &rec.rows[rec.n++], *y = &rec.rows[rec.n++];
        int k;
        x->t_ns = y->t_ns = ph->t0_ns + s[i].t_us * 1000;
        x->name = "totalacceleration";
        y->name = "gyroscope";
        for (k = 0; k < 3; k++) {
            x->v[k] = (double)s[i].accel_mps2[k];
            y->v[k] = (double)s[i].gyro_dps[k] * rad;
        }
    }
    free(s);
    snprintf(sid, sizeof(sid), "load-%d", ph->idx);
    snprintf(dev, sizeof(dev), "phone-%d", ph->idx);
    snprintf(headers, sizeof(headers),
             "Authorization: Bearer %s\r\nContent-Type: application/json\r\n", ph->token);
    httpc_init(&c, ph->url);
    t_start = wall_ms();
    ph->start_wall_ms = t_start;
    for (a = 0; a < rec.n; a = b, id++) {
        size_t len;
        char *m;
        httpc_resp r;
        double due, t0;
        b = sl_batch_end(&rec, a, (int64_t)ph->batch_ms * 1000000);
        /* the message leaves when its last sample has happened (real time) */
        due = t_start + (double)(rec.rows[b - 1].t_ns - ph->t0_ns) * 1e-6 + (double)ph->batch_ms;
        for (;;) {
            double d = due - wall_ms();
            struct timespec ts;
            if (d <= 0)
                break;
            ts.tv_sec = (time_t)(d / 1000);
            ts.tv_nsec = (long)(fmod(d, 1000.0) * 1e6);
            nanosleep(&ts, NULL);
        }
        m = sl_message(&rec, a, b, 0, id, sid, dev, &len);
        t0 = wall_ms();
        if (httpc_request(&c, "POST", "/api/ingest?placement=foot-right&toe-axis=%2Bx", headers, m,
                          len, &r) != 0) {
            ph->conn_errors++;
            free(m);
            continue;
        }
        push_val(&ph->rtt_ms, &ph->n_rtt, &ph->cap_rtt, wall_ms() - t0);
        ph->messages++;
        if (r.status != 200) {
            ph->http_errors++;
            if (ph->http_errors < 3)
                fprintf(stderr, "phone %d: HTTP %d %s\n", ph->idx, r.status, r.body);
        } else {
            ph->samples += (long long)(b - a);
            if (ph->lid[0] == '\0') {
                json_s(r.body, "live_id", ph->lid, sizeof(ph->lid));
                ph->session = json_ll(r.body, "session");
                pthread_create(&ph->sse, NULL, sse_main, ph);
            }
        }
        free(r.body);
        free(m);
    }
    if (ph->lid[0]) {
        char ep[128];
        httpc_resp r;
        snprintf(ep, sizeof(ep), "/api/live/%s/end", ph->lid);
        if (httpc_request(&c, "POST", ep, headers, NULL, 0, &r) == 0) {
            if (r.status != 200)
                ph->http_errors++;
            free(r.body);
        }
        ph->stop_sse = 1;
        pthread_join(ph->sse, NULL);
    }
    httpc_close(&c);
    sl_free(&rec);
    return NULL;
}

static int cmp_d(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (n == 0)
        return (double)NAN;
    return v[(size_t)fmin((double)(n - 1), floor(p * (double)n))];
}

int main(int argc, char **argv)
{
    const char *url = NULL, *tokens = NULL, *db = NULL;
    int phones = 50, i;
    double seconds = 120, rate = 100;
    long batch_ms = 200;
    phone *ph;
    FILE *f;
    char line[256];
    double *all_rtt = NULL, *all_emit = NULL, *all_contact = NULL;
    size_t n_rtt = 0, c_rtt = 0, n_ev = 0, c_ev = 0, n_c = 0, c_c = 0;
    long long sent = 0, stored = 0, msgs = 0, http_err = 0, conn_err = 0;
    bstep_store *st;
    char err[512];
    double t0;
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--url") == 0)
            url = argv[i + 1];
        else if (strcmp(argv[i], "--tokens") == 0)
            tokens = argv[i + 1];
        else if (strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (strcmp(argv[i], "--phones") == 0)
            phones = (int)strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "--rate") == 0)
            rate = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "--batch-ms") == 0)
            batch_ms = strtol(argv[i + 1], NULL, 10);
    }
    if (url == NULL || tokens == NULL || db == NULL || phones < 1 || phones > 1000 || seconds < 5 ||
        seconds > 3600 || rate < 10 || rate > 1000 || batch_ms < 10) {
        fprintf(stderr, "usage: bench_serve --url http://HOST:PORT --tokens FILE --db URL "
                        "[--phones 50] [--seconds 120] [--rate 100] [--batch-ms 200]\n");
        return 2;
    }
    ph = calloc((size_t)phones, sizeof(*ph));
    f = fopen(tokens, "r");
    if (ph == NULL || f == NULL) {
        fprintf(stderr, "bench_serve: cannot read %s\n", tokens);
        return 2;
    }
    for (i = 0; i < phones; i++) {
        if (fgets(line, sizeof(line), f) == NULL) {
            fprintf(stderr, "bench_serve: %s has fewer than %d tokens\n", tokens, phones);
            return 2;
        }
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(ph[i].token, sizeof(ph[i].token), "%.120s", line);
        ph[i].idx = i;
        ph[i].url = url;
        ph[i].seconds = seconds;
        ph[i].rate = rate;
        ph[i].batch_ms = batch_ms;
    }
    fclose(f);
    t0 = wall_ms();
    {
        pthread_t *th = calloc((size_t)phones, sizeof(*th));
        for (i = 0; i < phones; i++)
            pthread_create(&th[i], NULL, phone_main, &ph[i]);
        for (i = 0; i < phones; i++)
            pthread_join(th[i], NULL);
        free(th);
    }
    if (bstep_store_open(&st, db, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "bench_serve: %s\n", err);
        return 3;
    }
    for (i = 0; i < phones; i++) {
        int64_t cnt = -1;
        size_t k;
        if (ph[i].session > 0)
            bstep_store_live_samples_count(st, ph[i].session, &cnt);
        sent += ph[i].samples;
        stored += cnt > 0 ? cnt : 0;
        msgs += ph[i].messages;
        http_err += ph[i].http_errors;
        conn_err += ph[i].conn_errors;
        for (k = 0; k < ph[i].n_rtt; k++)
            push_val(&all_rtt, &n_rtt, &c_rtt, ph[i].rtt_ms[k]);
        for (k = 0; k < ph[i].n_ev; k++) {
            push_val(&all_emit, &n_ev, &c_ev, ph[i].emit_ms[k]);
            push_val(&all_contact, &n_c, &c_c, ph[i].contact_ms[k]);
        }
        free(ph[i].rtt_ms);
        free(ph[i].emit_ms);
        free(ph[i].contact_ms);
    }
    bstep_store_close(st);
    qsort(all_rtt, n_rtt, sizeof(double), cmp_d);
    qsort(all_emit, n_ev, sizeof(double), cmp_d);
    qsort(all_contact, n_c, sizeof(double), cmp_d);
    printf("phones %d, %.0f s at %.0f Hz, %ld ms batches, wall %.1f s\n", phones, seconds, rate,
           batch_ms, (wall_ms() - t0) / 1000.0);
    printf("messages %lld, samples sent %lld, stored %lld, lost %lld, HTTP errors %lld, "
           "connection errors %lld\n",
           msgs, sent, stored, sent - stored, http_err, conn_err);
    printf("ingest round trip ms: p50 %.1f p99 %.1f max %.1f\n", pct(all_rtt, n_rtt, 0.5),
           pct(all_rtt, n_rtt, 0.99), n_rtt ? all_rtt[n_rtt - 1] : (double)NAN);
    printf("step events %zu; live latency (server emit -> event stream) ms: p50 %.1f p99 %.1f "
           "max %.1f\n",
           n_ev, pct(all_emit, n_ev, 0.5), pct(all_emit, n_ev, 0.99),
           n_ev ? all_emit[n_ev - 1] : (double)NAN);
    printf("contact -> event stream ms (batch + reorder window + look-ahead): p50 %.1f p99 %.1f "
           "max %.1f\n",
           pct(all_contact, n_c, 0.5), pct(all_contact, n_c, 0.99),
           n_c ? all_contact[n_c - 1] : (double)NAN);
    free(all_rtt);
    free(all_emit);
    free(all_contact);
    free(ph);
    return sent == stored && http_err == 0 && conn_err == 0 ? 0 : 1;
}
