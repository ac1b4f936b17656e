/*
 * Live ingest and the live event streams. Each phone stream (user, deviceId, sessionId) has one
 * entry with its bstep__live state, guarded by the entry's mutex; the list of entries is guarded
 * by the server mutex (always taken before an entry's, never while holding one).
 *
 * Ingest: authenticate, parse, put in order (bstep__live_push), store every sample kept in the
 * same request before answering 200, so an acknowledged message is on disk. A stream that sends
 * nothing for live_timeout_s, an explicit POST /api/live/ID/end, a new sessionId from the same
 * device, or the server's shutdown ends the session: the buffered samples are analysed, the
 * analyzer is finished, and the summary with its bouts, steps and events is stored.
 *
 * Server-sent events (text/event-stream, WHATWG HTML section 9.2): every line of the session's
 * event log with its index as the event id, so a reconnecting EventSource resumes with
 * Last-Event-ID; a comment line every 15 s keeps idle connections open.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "backstep/coach.h"
#include "backstep/status.h"
#include "server/server_internal.h"
#include "store/coach_store.h"
#include "store/session_save.h"

#define STATUS_EVERY_MS 500
#define KEEPALIVE_MS    15000
#define FORGET_ENDED_MS (10 * 60 * 1000)
#define STORE_RETRIES   3

/* ---- entries -------------------------------------------------------------------------------- */

static void entry_free(bstep__live_entry *e)
{
    bstep__live_close(e->live);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cv);
    free(e);
}

bstep__live_entry *bstep__live_find(bstep_server *s, const char *lid)
{
    bstep__live_entry *e;
    pthread_mutex_lock(&s->mu);
    for (e = s->lives; e != NULL; e = e->next)
        if (strcmp(e->lid, lid) == 0) {
            e->refs++;
            break;
        }
    pthread_mutex_unlock(&s->mu);
    return e;
}

void bstep__live_unref(bstep_server *s, bstep__live_entry *e)
{
    pthread_mutex_lock(&s->mu);
    e->refs--;
    pthread_mutex_unlock(&s->mu);
}

static int store_retry_busy(int rc)
{
    if (rc == BSTEP_EBUSY) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        return 1;
    }
    return 0;
}

/* End one session: analyse the rest, store it through the one conversion of every session
 * (src/store/session_save.h: the same record as `backstep analyze`, and the walker's plan decided
 * again with it, so a session recorded live counts for the plan like a file). Takes e->mu. */
static void end_entry(bstep_server *s, bstep__live_entry *e, bstep_store *st)
{
    bstep__session_in in;
    bstep__session_out out;
    const bstep__analysis *a;
    char buf[512], err[600];
    int rc = BSTEP_OK, tries;
    const int64_t wall_ms = bstep__now_wall_us() / 1000;
    (void)s;
    pthread_mutex_lock(&e->mu);
    if (e->ended) {
        pthread_mutex_unlock(&e->mu);
        return;
    }
    if (bstep__live_finish(e->live, wall_ms) != 0)
        rc = BSTEP_ENOMEM;
    a = bstep__live_analysis(e->live);
    if (rc == BSTEP_OK && e->store_id != 0) {
        bstep__session_in_init(&in, e->user_id);
        in.live_id = e->store_id;
        in.toe_axis = e->opt.toe_axis;
        in.front_axis = e->opt.front_axis;
        if (bstep__live_error(e->live)[0])
            in.note = bstep__live_error(e->live);
        for (tries = 0; tries < STORE_RETRIES; tries++) {
            rc = bstep__session_save(st, a, &in, &out, err, sizeof(err));
            if (!store_retry_busy(rc))
                break;
        }
    }
    bstep__live_status(e->live, wall_ms, "ended");
    snprintf(buf, sizeof(buf),
             "{\"type\":\"end\",\"session\":%lld,\"stored\":%s,\"error\":\"%s\","
             "\"emitted_wall_ms\":%lld}",
             (long long)e->store_id, rc == BSTEP_OK && e->store_id != 0 ? "true" : "false",
             rc == BSTEP_OK ? "" : bstep_strerror(rc), (long long)wall_ms);
    bstep__live_add_event(e->live, "end", buf);
    e->ended = 1;
    e->ended_mono_ms = bstep__now_mono_ms();
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

/* End every entry matching pred (entries are ended outside the list lock). */
static void end_where(bstep_server *s, int (*pred)(const bstep__live_entry *, const void *),
                      const void *arg)
{
    for (;;) {
        bstep__live_entry *e, *pick = NULL;
        bstep_store *st;
        pthread_mutex_lock(&s->mu);
        for (e = s->lives; e != NULL; e = e->next)
            if (!e->ended && pred(e, arg)) {
                pick = e;
                pick->refs++;
                break;
            }
        pthread_mutex_unlock(&s->mu);
        if (pick == NULL)
            return;
        st = bstep__pool_get(&s->pool);
        end_entry(s, pick, st);
        bstep__pool_put(&s->pool, st);
        bstep__live_unref(s, pick);
    }
}

static int pred_all(const bstep__live_entry *e, const void *arg)
{
    (void)e;
    (void)arg;
    return 1;
}

static int pred_silent(const bstep__live_entry *e, const void *arg)
{
    const int64_t *limit_ms = arg;
    return bstep__now_mono_ms() - e->last_msg_mono_ms > *limit_ms;
}

typedef struct {
    int64_t user_id;
    const char *device, *session;
} other_match;

static int pred_other_session(const bstep__live_entry *e, const void *arg)
{
    const other_match *m = arg;
    return e->user_id == m->user_id && strcmp(e->device_id, m->device) == 0 &&
           strcmp(e->session_id, m->session) != 0;
}

void bstep__live_end_all(bstep_server *s)
{
    end_where(s, pred_all, NULL);
}

void bstep__live_sweep(bstep_server *s)
{
    int64_t limit = (int64_t)s->opt.live_timeout_s * 1000;
    bstep__live_entry **pp;
    end_where(s, pred_silent, &limit);
    pthread_mutex_lock(&s->mu);
    for (pp = &s->lives; *pp != NULL;) {
        bstep__live_entry *e = *pp;
        if (e->ended && e->refs == 0 && bstep__now_mono_ms() - e->ended_mono_ms > FORGET_ENDED_MS) {
            *pp = e->next;
            entry_free(e);
        } else {
            pp = &e->next;
        }
    }
    pthread_mutex_unlock(&s->mu);
}

void bstep__live_free_all(bstep_server *s)
{
    while (s->lives != NULL) {
        bstep__live_entry *e = s->lives;
        s->lives = e->next;
        entry_free(e);
    }
}

/* ---- ingest --------------------------------------------------------------------------------- */

static int parse_options(bstep__req *r, bstep__live_options *o)
{
    const char *v;
    memset(o, 0, sizeof(*o));
    o->placement = BSTEP_PLACEMENT_POCKET;
    o->toe_axis = o->front_axis = BSTEP_AXIS_AUTO;
    o->accel_sign = 1.0;
    o->reorder_ns = (int64_t)r->srv->opt.reorder_ms * 1000000;
    o->mass_kg = isfinite(r->user.mass_kg) ? r->user.mass_kg : (double)NAN;
    o->speed_max_mps = (double)NAN;
    if ((v = bstep__req_arg(r, "speed-max")) != NULL) {
        char *end;
        errno = 0;
        o->speed_max_mps = strtod(v, &end);
        if (*end != '\0' || end == v || errno != 0 || !(o->speed_max_mps >= 0.05) ||
            o->speed_max_mps > 10.0) {
            bstep__req_error(r, 400,
                             "speed-max: the top speed for the slow-down cue, 0.05 to 10 m/s");
            return -1;
        }
    }
    if ((v = bstep__req_arg(r, "placement")) != NULL &&
        (bstep_placement_parse(v, &o->placement) != BSTEP_OK ||
         o->placement == BSTEP_PLACEMENT_AUTO)) {
        bstep__req_error(r, 400,
                         "placement: one of foot-left, foot-right, lower-back, pocket (auto cannot "
                         "be used live)");
        return -1;
    }
    if ((v = bstep__req_arg(r, "toe-axis")) != NULL &&
        bstep_axis_parse(v, &o->toe_axis) != BSTEP_OK) {
        bstep__req_error(r, 400, "toe-axis: one of +x -x +y -y +z -z auto");
        return -1;
    }
    if ((v = bstep__req_arg(r, "front-axis")) != NULL &&
        bstep_axis_parse(v, &o->front_axis) != BSTEP_OK) {
        bstep__req_error(r, 400, "front-axis: one of +x -x +y -y +z -z auto");
        return -1;
    }
    if ((v = bstep__req_arg(r, "platform")) != NULL) {
        if (strcmp(v, "ios") == 0)
            o->accel_sign = -1.0;
        else if (strcmp(v, "android") != 0 && strcmp(v, "standard") != 0) {
            bstep__req_error(r, 400, "platform: android, ios or standard");
            return -1;
        }
    }
    return 0;
}

static bstep__live_entry *entry_get(bstep__req *r, const bstep__ingest_msg *m,
                                    const bstep__live_options *o)
{
    bstep_server *s = r->srv;
    bstep__live_entry *e;
    char key[sizeof(e->key)];
    unsigned char rnd[16];
    snprintf(key, sizeof(key), "%lld|%s|%s", (long long)r->user.id, m->device_id, m->session_id);
    pthread_mutex_lock(&s->mu);
    for (e = s->lives; e != NULL; e = e->next)
        if (!e->ended && strcmp(e->key, key) == 0) {
            e->refs++;
            pthread_mutex_unlock(&s->mu);
            return e;
        }
    e = calloc(1, sizeof(*e));
    if (e == NULL || bstep__live_open(&e->live, o) != 0) {
        pthread_mutex_unlock(&s->mu);
        free(e);
        return NULL;
    }
    snprintf(e->key, sizeof(e->key), "%s", key);
    snprintf(e->session_id, sizeof(e->session_id), "%s", m->session_id);
    snprintf(e->device_id, sizeof(e->device_id), "%s", m->device_id);
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(e->lid, sizeof(e->lid), rnd, sizeof(rnd));
    e->user_id = r->user.id;
    e->opt = *o;
    e->started_wall_us = bstep__now_wall_us();
    e->last_msg_mono_ms = bstep__now_mono_ms();
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    e->refs = 1;
    e->next = s->lives;
    s->lives = e;
    pthread_mutex_unlock(&s->mu);
    return e;
}

static int begin_in_store(bstep__req *r, bstep__live_entry *e, const bstep__ingest_msg *m)
{
    bstep_store *st = bstep__req_store(r);
    bstep_store_session ss;
    bstep_store_device d;
    int rc, tries;
    memset(&d, 0, sizeof(d));
    d.user_id = e->user_id;
    snprintf(d.name, sizeof(d.name), "%s", e->device_id);
    snprintf(d.kind, sizeof(d.kind), "phone");
    memset(&ss, 0, sizeof(ss));
    for (tries = 0; tries < STORE_RETRIES; tries++) {
        rc = bstep_store_device_ensure(st, &d);
        if (!store_retry_busy(rc))
            break;
    }
    if (rc != BSTEP_OK)
        return rc;
    ss.user_id = e->user_id;
    ss.device_id = d.id;
    ss.state = BSTEP_SESSION_LIVE;
    ss.format = BSTEP_FORMAT_SENSORLOGGER;
    ss.placement = e->opt.placement;
    ss.toe_axis = e->opt.toe_axis;
    ss.front_axis = e->opt.front_axis;
    ss.start_us = m->n_samples > 0 ? m->samples[0].t_ns / 1000 : e->started_wall_us;
    ss.start_source = m->n_samples > 0 ? BSTEP_START_RECORDING : BSTEP_START_GIVEN;
    snprintf(ss.source_path, sizeof(ss.source_path), "live:%s/%s", e->device_id, e->session_id);
    for (tries = 0; tries < STORE_RETRIES; tries++) {
        rc = bstep_store_live_begin(st, &ss);
        if (!store_retry_busy(rc))
            break;
    }
    if (rc == BSTEP_OK)
        e->store_id = ss.id;
    if (rc == BSTEP_OK) {
        /* the walker's plan as `analyze` and an upload take it (bstep__plan_context: the plan
         * replayed from the store, not its stored level): the level's top speed for the "slow
         * down" cue unless the client gave speed-max, and today's planned minutes for the advice
         * to walk longer */
        double speed_mps, planned_s;
        if (bstep__plan_context(st, e->user_id, &speed_mps, &planned_s) == BSTEP_OK) {
            if (!isfinite(e->opt.speed_max_mps) && isfinite(speed_mps))
                e->opt.speed_max_mps = speed_mps;
            bstep__live_set_context(e->live, e->opt.speed_max_mps, planned_s);
        }
    }
    return rc;
}

static void to_rows(const bstep__ingest_sample *k, size_t n, bstep_imu_sample *rows)
{
    size_t i;
    int a;
    for (i = 0; i < n; i++) {
        const int64_t q = k[i].t_ns / 1000, rem = k[i].t_ns % 1000;
        memset(&rows[i], 0, sizeof(rows[i]));
        rows[i].t_us = rem >= 500 ? q + 1 : q;
        for (a = 0; a < 3; a++) {
            if (k[i].stream == BSTEP__STREAM_GYRO)
                rows[i].gyro_dps[a] = (float)(k[i].v[a] * (180.0 / 3.14159265358979323846));
            else
                rows[i].accel_mps2[a] = (float)k[i].v[a];
        }
        rows[i].flags = ((uint32_t)k[i].stream + 1u) << BSTEP__RAW_STREAM_SHIFT;
        if (k[i].stream == BSTEP__STREAM_GYRO)
            rows[i].flags |= BSTEP_SAMPLE_HAS_GYRO;
    }
}

void bstep__h_ingest(bstep__req *r)
{
    bstep__ingest_msg m;
    bstep__live_options o;
    bstep__live_entry *e;
    bstep__ingest_sample *keep = NULL;
    bstep_imu_sample *rows = NULL;
    size_t n_keep = 0;
    char err[300];
    int rc, dup, tries;
    int64_t wall_ms;
    bstep__live_counters c;
    cJSON *resp;
    if (parse_options(r, &o) != 0)
        return;
    rc = bstep__ingest_parse(r->body, r->body_len, &m, err, sizeof(err));
    if (rc != 0) {
        bstep__req_error(r, rc == -2 ? 500 : 400, "%s", err);
        return;
    }
    if (m.n_samples > 0 && ((keep = malloc(m.n_samples * sizeof(*keep))) == NULL ||
                            (rows = malloc(m.n_samples * sizeof(*rows))) == NULL)) {
        free(keep);
        bstep__ingest_free(&m);
        bstep__req_error(r, 500, "out of memory");
        return;
    }
    {
        other_match om = {r->user.id, m.device_id, m.session_id};
        end_where(r->srv, pred_other_session, &om);
    }
    e = entry_get(r, &m, &o);
    if (e == NULL) {
        free(keep);
        free(rows);
        bstep__ingest_free(&m);
        bstep__req_error(r, 500, "out of memory");
        return;
    }
    pthread_mutex_lock(&e->mu);
    if (e->ended) {
        pthread_mutex_unlock(&e->mu);
        bstep__live_unref(r->srv, e);
        free(keep);
        free(rows);
        bstep__ingest_free(&m);
        bstep__req_error(r, 409, "this live session has just ended; send again to start a new one");
        return;
    }
    e->last_msg_mono_ms = bstep__now_mono_ms();
    if (e->store_id == 0 && (rc = begin_in_store(r, e, &m)) != BSTEP_OK) {
        pthread_mutex_unlock(&e->mu);
        bstep__live_unref(r->srv, e);
        free(keep);
        free(rows);
        bstep__ingest_free(&m);
        bstep__req_error(r, rc == BSTEP_EBUSY ? 503 : 500, "store: %s",
                         bstep_store_errmsg(bstep__req_store(r)));
        return;
    }
    wall_ms = bstep__now_wall_us() / 1000;
    dup = bstep__live_push(e->live, &m, wall_ms, keep, &n_keep);
    rc = dup < 0 ? BSTEP_ENOMEM : BSTEP_OK;
    if (rc == BSTEP_OK && n_keep > 0) {
        to_rows(keep, n_keep, rows);
        for (tries = 0; tries < STORE_RETRIES; tries++) {
            rc = bstep_store_live_samples_add(bstep__req_store(r), e->store_id, e->next_seq, rows,
                                              n_keep);
            if (!store_retry_busy(rc))
                break;
        }
        if (rc == BSTEP_OK)
            e->next_seq += (int64_t)n_keep;
        else
            e->store_failures++;
    }
    if (wall_ms - e->last_status_ms >= STATUS_EVERY_MS) {
        e->last_status_ms = wall_ms;
        bstep__live_status(e->live, wall_ms, "live");
    }
    c = bstep__live_get_counters(e->live);
    pthread_cond_broadcast(&e->cv);
    resp = cJSON_CreateObject();
    if (resp != NULL) {
        cJSON_AddBoolToObject(resp, "ok", rc == BSTEP_OK);
        cJSON_AddStringToObject(resp, "live_id", e->lid);
        cJSON_AddNumberToObject(resp, "session", (double)e->store_id);
        cJSON_AddBoolToObject(resp, "duplicate_message", dup == 1);
        cJSON_AddNumberToObject(resp, "stored", rc == BSTEP_OK ? (double)n_keep : 0.0);
        cJSON_AddNumberToObject(resp, "skipped_entries", (double)m.skipped_entries);
        cJSON_AddNumberToObject(resp, "duplicate_samples", (double)c.duplicate_samples);
        cJSON_AddNumberToObject(resp, "late_samples", (double)c.late_samples);
        cJSON_AddNumberToObject(resp, "duplicate_messages", (double)c.duplicate_messages);
        cJSON_AddNumberToObject(resp, "unjoined_samples", (double)c.unjoined_samples);
    }
    pthread_mutex_unlock(&e->mu);
    bstep__live_unref(r->srv, e);
    free(keep);
    free(rows);
    bstep__ingest_free(&m);
    if (rc != BSTEP_OK) {
        cJSON_Delete(resp);
        bstep__req_error(r, rc == BSTEP_EBUSY ? 503 : 500, "samples not stored: %s",
                         rc == BSTEP_ENOMEM ? "out of memory"
                                            : bstep_store_errmsg(bstep__req_store(r)));
        return;
    }
    bstep__req_json(r, 200, resp != NULL ? cJSON_PrintUnformatted(resp) : NULL);
    cJSON_Delete(resp);
}

/* ---- JSON views ----------------------------------------------------------------------------- */

static cJSON *entry_json(bstep__live_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    bstep__live_counters c;
    const bstep__analysis *a;
    if (o == NULL)
        return NULL;
    pthread_mutex_lock(&e->mu);
    c = bstep__live_get_counters(e->live);
    a = bstep__live_analysis(e->live);
    cJSON_AddStringToObject(o, "id", e->lid);
    cJSON_AddStringToObject(o, "session_id", e->session_id);
    cJSON_AddStringToObject(o, "device_id", e->device_id);
    cJSON_AddNumberToObject(o, "user_id", (double)e->user_id);
    cJSON_AddNumberToObject(o, "session", (double)e->store_id);
    cJSON_AddStringToObject(o, "state", e->ended ? "ended" : "live");
    cJSON_AddStringToObject(o, "placement", bstep_placement_name(e->opt.placement));
    cJSON_AddNumberToObject(o, "started_us", (double)e->started_wall_us);
    cJSON_AddNumberToObject(o, "messages", (double)c.messages);
    cJSON_AddNumberToObject(o, "samples_received", (double)c.samples_received);
    cJSON_AddNumberToObject(o, "samples_stored", (double)e->next_seq);
    cJSON_AddNumberToObject(o, "analysed_samples", (double)c.analysed_samples);
    cJSON_AddNumberToObject(o, "duplicate_messages", (double)c.duplicate_messages);
    cJSON_AddNumberToObject(o, "duplicate_samples", (double)c.duplicate_samples);
    cJSON_AddNumberToObject(o, "late_samples", (double)c.late_samples);
    cJSON_AddNumberToObject(o, "unjoined_samples", (double)c.unjoined_samples);
    cJSON_AddNumberToObject(o, "skipped_entries", (double)c.skipped_entries);
    cJSON_AddNumberToObject(o, "store_failures", (double)e->store_failures);
    cJSON_AddNumberToObject(o, "steps", a != NULL ? (double)bstep__analysis_n_steps(a) : 0.0);
    cJSON_AddStringToObject(o, "error", bstep__live_error(e->live));
    pthread_mutex_unlock(&e->mu);
    return o;
}

void bstep__h_live_list(bstep__req *r)
{
    bstep_server *s = r->srv;
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "live");
    bstep__live_entry *e;
    bstep__live_entry *picked[256];
    int64_t uid[256];
    size_t n = 0, i;
    pthread_mutex_lock(&s->mu);
    for (e = s->lives; e != NULL && n < 256; e = e->next) {
        e->refs++;
        picked[n] = e;
        uid[n] = e->user_id;
        n++;
    }
    pthread_mutex_unlock(&s->mu);
    for (i = 0; i < n; i++) {
        if (arr != NULL && bstep__req_can_view(r, uid[i]))
            cJSON_AddItemToArray(arr, entry_json(picked[i]));
        bstep__live_unref(s, picked[i]);
    }
    bstep__req_json(r, 200, root != NULL ? cJSON_PrintUnformatted(root) : NULL);
    cJSON_Delete(root);
}

/* The entry, if it exists and the requester may see it; answers 404 otherwise. */
static bstep__live_entry *visible_entry(bstep__req *r, const char *lid)
{
    bstep__live_entry *e = bstep__live_find(r->srv, lid);
    if (e != NULL && !bstep__req_can_view(r, e->user_id)) {
        bstep__live_unref(r->srv, e);
        e = NULL;
    }
    if (e == NULL)
        bstep__req_error(r, 404, "no such live session");
    return e;
}

void bstep__h_live_get(bstep__req *r, const char *lid)
{
    bstep__live_entry *e = visible_entry(r, lid);
    cJSON *o;
    if (e == NULL)
        return;
    o = entry_json(e);
    bstep__live_unref(r->srv, e);
    bstep__req_json(r, 200, o != NULL ? cJSON_PrintUnformatted(o) : NULL);
    cJSON_Delete(o);
}

void bstep__h_live_end(bstep__req *r, const char *lid)
{
    bstep__live_entry *e = visible_entry(r, lid);
    cJSON *o;
    if (e == NULL)
        return;
    if (e->user_id != r->user.id) {
        bstep__live_unref(r->srv, e);
        bstep__req_error(r, 403, "only the walker's own token can end a live session");
        return;
    }
    end_entry(r->srv, e, bstep__req_store(r));
    o = entry_json(e);
    bstep__live_unref(r->srv, e);
    bstep__req_json(r, 200, o != NULL ? cJSON_PrintUnformatted(o) : NULL);
    cJSON_Delete(o);
}

/* ---- server-sent events --------------------------------------------------------------------- */

typedef struct {
    bstep_server *srv;
    bstep__live_entry *e;
    size_t next;
    char *stage;
    size_t stage_len, stage_off;
    int64_t last_write_ms;
} sse_reader;

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    sse_reader *x = cls;
    bstep__live_entry *e = x->e;
    (void)pos;
    if (x->stage == NULL) {
        pthread_mutex_lock(&e->mu);
        while (x->next >= bstep__live_n_events(e->live) && !e->ended) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 1;
            pthread_cond_timedwait(&e->cv, &e->mu, &until);
            if (bstep__now_mono_ms() - x->last_write_ms >= KEEPALIVE_MS)
                break; /* a comment line keeps the connection open */
        }
        if (x->next < bstep__live_n_events(e->live)) {
            const bstep__live_event *ev = bstep__live_event_at(e->live, x->next);
            bstep__buf b;
            bstep__buf_init(&b);
            bstep__buf_printf(&b, "id: %zu\nevent: %s\ndata: %s\n\n", x->next, ev->type, ev->json);
            x->next++;
            x->stage = bstep__buf_take(&b, &x->stage_len);
            x->stage_off = 0;
        } else if (e->ended) {
            pthread_mutex_unlock(&e->mu);
            return MHD_CONTENT_READER_END_OF_STREAM;
        } else {
            pthread_mutex_unlock(&e->mu);
            x->last_write_ms = bstep__now_mono_ms();
            if (max < 3)
                return MHD_CONTENT_READER_END_WITH_ERROR;
            memcpy(buf, ":\n\n", 3);
            return 3;
        }
        pthread_mutex_unlock(&e->mu);
        if (x->stage == NULL)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    {
        size_t n = x->stage_len - x->stage_off;
        if (n > max)
            n = max;
        memcpy(buf, x->stage + x->stage_off, n);
        x->stage_off += n;
        if (x->stage_off == x->stage_len) {
            free(x->stage);
            x->stage = NULL;
        }
        x->last_write_ms = bstep__now_mono_ms();
        return (ssize_t)n;
    }
}

static void sse_free(void *cls)
{
    sse_reader *x = cls;
    bstep_server *s = x->srv;
    free(x->stage);
    pthread_mutex_lock(&s->mu);
    x->e->refs--;
    s->sse_streams--;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    free(x);
}

void bstep__h_live_events(bstep__req *r, const char *lid)
{
    bstep__live_entry *e = visible_entry(r, lid);
    sse_reader *x;
    const char *last;
    struct MHD_Response *resp;
    if (e == NULL)
        return;
    x = calloc(1, sizeof(*x));
    if (x == NULL) {
        bstep__live_unref(r->srv, e);
        bstep__req_error(r, 500, "out of memory");
        return;
    }
    x->srv = r->srv;
    x->e = e;
    x->last_write_ms = bstep__now_mono_ms();
    last = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Last-Event-ID");
    if (last != NULL) {
        char *end;
        unsigned long long v;
        errno = 0;
        v = strtoull(last, &end, 10);
        if (errno == 0 && *end == '\0' && end != last)
            x->next = (size_t)v + 1;
    }
    resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, x, sse_free);
    if (resp == NULL) {
        bstep__live_unref(r->srv, e);
        free(x);
        bstep__req_error(r, 500, "out of memory");
        return;
    }
    pthread_mutex_lock(&r->srv->mu);
    r->srv->sse_streams++;
    pthread_mutex_unlock(&r->srv->mu);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    r->special = resp;
    r->status = 200;
}
