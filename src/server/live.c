/*
 * Live session: reorder window, de-duplication, stream joining and the streaming analyzer (see
 * live.h for the rules). Memory: each stream keeps its pending samples plus the last second of
 * analysed ones (to recognise repeats and to interpolate across the analysed point), so a session
 * holds about (reorder window + 1 s) of samples whatever its length, besides its rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/cues.h"
#include "backstep/types.h"
#include "server/live.h"

#define START_SAMPLES  128
#define KEEP_BEHIND_NS 1000000000LL /* analysed samples kept for repeats and brackets */
#define BRACKET_MAX_NS 100000000LL  /* gyro/gravity interpolation span (as the file reader) */
#define JOIN_WAIT_NS   1000000000LL /* how long acceleration waits for its gyro beyond the window */
#define MID_WINDOW     8192         /* message ids remembered */
#define RAD_TO_DEG     (180.0 / 3.14159265358979323846)

typedef struct {
    int64_t t;
    double v[3];
} pt;

typedef struct {
    pt *v;
    size_t n, cap;
    size_t head; /* primary stream: first sample not yet analysed */
    int seen;
} sbuf;

struct bstep__live {
    bstep__live_options opt;
    bstep__live_counters c;
    sbuf s[BSTEP__STREAM_COUNT];
    int primary; /* -1 undecided */
    int64_t first_t, max_seen, frontier;
    int have_frontier;
    int64_t mid_max;
    int have_mid;
    uint64_t mid_bits[MID_WINDOW / 64];
    bstep_analyzer *an;
    int started, failed, finished;
    char err[200];
    bstep_imu_sample start[START_SAMPLES];
    size_t n_start;
    bstep_summary sum;
    int spc;
    bstep__analysis ana;
    int64_t wall_ms;
    bstep__live_event *ev;
    size_t n_ev, cap_ev;
};

static int is_foot(bstep_placement p)
{
    return p == BSTEP_PLACEMENT_FOOT || p == BSTEP_PLACEMENT_FOOT_LEFT ||
           p == BSTEP_PLACEMENT_FOOT_RIGHT;
}

int bstep__live_open(bstep__live **out, const bstep__live_options *opt)
{
    bstep__live *l;
    *out = NULL;
    if (opt == NULL || opt->placement == BSTEP_PLACEMENT_AUTO || opt->reorder_ns < 0)
        return -1;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        return -1;
    l->an = malloc(sizeof(*l->an));
    if (l->an == NULL) {
        free(l);
        return -1;
    }
    l->opt = *opt;
    if (l->opt.max_events == 0)
        l->opt.max_events = 200000;
    if (!(l->opt.accel_sign == 1.0 || l->opt.accel_sign == -1.0))
        l->opt.accel_sign = 1.0;
    l->primary = -1;
    l->spc = is_foot(opt->placement) ? 2 : 1;
    bstep_summary_init(&l->sum, l->spc);
    l->ana.placement = l->ana.placement_requested = opt->placement;
    l->ana.format = BSTEP_FORMAT_SENSORLOGGER;
    /* what a phone's push does not carry is unknown, as for a file without it (report.h) */
    l->ana.hr_mean_bpm = l->ana.hr_max_bpm = l->ana.energy_kcal_hr = (double)NAN;
    l->ana.treadmill_speed_mps = l->ana.treadmill_incline_pct = (double)NAN;
    l->ana.age_y = (double)NAN;
    /* the coach's cue engine, with the plan's speed limit when the client gave one */
    bstep__analysis_set_context(&l->ana, opt->speed_max_mps, (double)NAN);
    *out = l;
    return 0;
}

void bstep__live_close(bstep__live *l)
{
    size_t i;
    if (l == NULL)
        return;
    for (i = 0; i < BSTEP__STREAM_COUNT; i++)
        free(l->s[i].v);
    for (i = 0; i < l->n_ev; i++)
        free(l->ev[i].json);
    free(l->ev);
    free(l->an);
    bstep__analysis_free(&l->ana);
    free(l);
}

/* ---- event log ---------------------------------------------------------------------------- */

int bstep__live_add_event(bstep__live *l, const char *type, const char *json)
{
    size_t n = strlen(json);
    char *copy;
    if (l->n_ev >= l->opt.max_events) {
        l->c.events_dropped++;
        return 0;
    }
    if (l->n_ev == l->cap_ev) {
        size_t ncap = l->cap_ev ? l->cap_ev * 2 : 256;
        bstep__live_event *q = realloc(l->ev, ncap * sizeof(*q));
        if (q == NULL)
            return -1;
        l->ev = q;
        l->cap_ev = ncap;
    }
    copy = malloc(n + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, json, n + 1);
    l->ev[l->n_ev].json = copy;
    l->ev[l->n_ev].type = type;
    l->n_ev++;
    return 0;
}

/* JSON number or null (JSON has no NaN). */
static void jnum(char *buf, size_t cap, double v, int decimals)
{
    if (isfinite(v))
        snprintf(buf, cap, "%.*f", decimals, v);
    else
        snprintf(buf, cap, "null");
}

static double rel_s(const bstep__live *l, bstep_time_us t)
{
    return (double)(t - l->ana.t0_us) * 1e-6;
}

static int emit_event_line(bstep__live *l, const bstep_event *e)
{
    char buf[640], a[32], b[32], c[32], d[32];
    double now_s = rel_s(l, e->emitted_t_us);
    switch (e->type) {
    case BSTEP_EVENT_INITIAL_CONTACT:
        jnum(a, sizeof(a), (double)e->strike_angle_deg, 1);
        jnum(b, sizeof(b), (double)e->stride_length_m, 3);
        jnum(c, sizeof(c), (double)e->stride_time_s, 3);
        jnum(d, sizeof(d), (double)e->clearance_m, 3);
        snprintf(buf, sizeof(buf),
                 "{\"type\":\"step\",\"n\":%zu,\"t_s\":%.3f,\"data_t_s\":%.3f,\"foot\":\"%s\","
                 "\"direction\":\"%s\",\"strike\":\"%s\",\"strike_angle_deg\":%s,"
                 "\"stride_length_m\":%s,\"stride_time_s\":%s,\"clearance_m\":%s,"
                 "\"t_ns\":%lld,\"emitted_wall_ms\":%lld}",
                 bstep__analysis_n_steps(&l->ana), rel_s(l, e->t_us), now_s,
                 bstep_foot_name(e->foot), bstep_direction_name(e->direction),
                 bstep_strike_name(e->strike), a, b, c, d, (long long)e->t_us * 1000LL,
                 (long long)l->wall_ms);
        return bstep__live_add_event(l, "step", buf);
    case BSTEP_EVENT_BOUT_START:
    case BSTEP_EVENT_BOUT_END:
        snprintf(buf, sizeof(buf),
                 "{\"type\":\"%s\",\"t_s\":%.3f,\"data_t_s\":%.3f,\"emitted_wall_ms\":%lld}",
                 e->type == BSTEP_EVENT_BOUT_START ? "bout_start" : "bout_end", rel_s(l, e->t_us),
                 now_s, (long long)l->wall_ms);
        return bstep__live_add_event(l, e->type == BSTEP_EVENT_BOUT_START ? "bout" : "bout", buf);
    case BSTEP_EVENT_GAP:
        snprintf(buf, sizeof(buf),
                 "{\"type\":\"gap\",\"t_s\":%.3f,\"gap_s\":%.2f,\"emitted_wall_ms\":%lld}",
                 rel_s(l, e->t_us), (double)e->value, (long long)l->wall_ms);
        return bstep__live_add_event(l, "gap", buf);
    case BSTEP_EVENT_STUMBLE:
    case BSTEP_EVENT_FALL:
    case BSTEP_EVENT_LOOK_BACK:
    case BSTEP_EVENT_POSTURE: {
        const char *kind = e->type == BSTEP_EVENT_STUMBLE     ? "stumble"
                           : e->type == BSTEP_EVENT_FALL      ? "fall"
                           : e->type == BSTEP_EVENT_LOOK_BACK ? "look-back"
                                                              : "posture";
        jnum(a, sizeof(a), (double)e->confidence, 2);
        jnum(b, sizeof(b), (double)e->trunk_lean_deg, 1);
        jnum(c, sizeof(c), (double)e->side_lean_deg, 1);
        snprintf(buf, sizeof(buf),
                 "{\"type\":\"event\",\"kind\":\"%s\",\"t_s\":%.3f,\"direction\":\"%s\","
                 "\"confidence\":%s,\"trunk_lean_deg\":%s,\"side_lean_deg\":%s,"
                 "\"emitted_wall_ms\":%lld}",
                 kind, rel_s(l, e->t_us), bstep_direction_name(e->direction), a, b, c,
                 (long long)l->wall_ms);
        return bstep__live_add_event(l, "event", buf);
    }
    default:
        return 0;
    }
}

/* A cue of the coach's engine (src/core/cues.c, run by bstep__analysis_add_event). */
static int emit_cue_line(bstep__live *l, const bstep__cue_row *c)
{
    char buf[512], v[32];
    jnum(v, sizeof(v), c->value, 2);
    snprintf(buf, sizeof(buf),
             "{\"type\":\"cue\",\"kind\":\"%s\",\"message\":\"%s\",\"safety\":%s,\"t_s\":%.3f,"
             "\"cause_s\":%.3f,\"value\":%s,\"emitted_wall_ms\":%lld}",
             bstep_cue_name(c->type), bstep_cue_text(c->type),
             bstep_cue_is_safety(c->type) ? "true" : "false", c->t_s, c->cause_s, v,
             (long long)l->wall_ms);
    return bstep__live_add_event(l, "cue", buf);
}

static int take(bstep__live *l, const bstep_event *ev, size_t n)
{
    size_t k, c;
    for (k = 0; k < n; k++) {
        const size_t cues_before = l->ana.n_cues;
        if (bstep__analysis_add_event(&l->ana, &l->sum, &ev[k], l->spc) != 0)
            return -1;
        if (emit_event_line(l, &ev[k]) != 0)
            return -1;
        for (c = cues_before; c < l->ana.n_cues; c++)
            if (emit_cue_line(l, &l->ana.cues[c]) != 0)
                return -1;
    }
    return 0;
}

/* ---- analyzer ------------------------------------------------------------------------------ */

static int start_analyzer(bstep__live *l)
{
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    bstep_time_us t[START_SAMPLES];
    bstep_event ev[BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE];
    size_t i;
    float rate;
    for (i = 0; i < l->n_start; i++)
        t[i] = l->start[i].t_us;
    rate = bstep_estimate_rate_hz(t, l->n_start);
    if (!(rate >= 5.0f && rate <= BSTEP_ANALYZER_MAX_RATE_HZ)) {
        l->failed = 1;
        snprintf(l->err, sizeof(l->err),
                 "sample rate %.1f Hz cannot be analysed (needs 5 to %.0f Hz); samples are stored",
                 (double)rate, (double)BSTEP_ANALYZER_MAX_RATE_HZ);
        return 0;
    }
    cfg.placement = l->opt.placement;
    cfg.sample_rate_hz = rate;
    cfg.toe_axis = l->opt.toe_axis;
    cfg.front_axis = l->opt.front_axis;
    if (bstep_analyzer_init(l->an, &cfg) != 0) {
        l->failed = 1;
        snprintf(l->err, sizeof(l->err), "analyzer settings rejected (rate %.1f Hz)", (double)rate);
        return 0;
    }
    l->started = 1;
    /* what this sensor measures, as the file driver says it (src/report/analysis.c): a count of
     * 0 is then told from "not measured" the same way */
    bstep_summary_set_measured(&l->sum, bstep_analyzer_measures(l->an));
    l->ana.t0_us = l->start[0].t_us;
    l->ana.quality.nominal_rate_hz = 0.0;
    l->ana.quality.sample_rate_hz = (double)rate;
    l->ana.quality.first_t_us = l->start[0].t_us;
    for (i = 0; i < l->n_start; i++) {
        size_t n = bstep_analyzer_update(l->an, &l->start[i], ev, BSTEP_ANALYZER_EVENT_QUEUE);
        if (take(l, ev, n) != 0)
            return -1;
    }
    return 0;
}

static int feed(bstep__live *l, const bstep_imu_sample *s)
{
    bstep_event ev[BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE];
    size_t n;
    l->c.analysed_samples++;
    l->ana.quality.samples++;
    l->ana.quality.last_t_us = s->t_us;
    if (l->failed)
        return 0;
    if (!l->started) {
        l->start[l->n_start++] = *s;
        if (l->n_start == START_SAMPLES)
            return start_analyzer(l);
        return 0;
    }
    n = bstep_analyzer_update(l->an, s, ev, BSTEP_ANALYZER_EVENT_QUEUE);
    return take(l, ev, n);
}

/* ---- streams ------------------------------------------------------------------------------- */

static size_t lower_bound(const sbuf *b, int64_t t)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->v[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* 1 inserted, 0 duplicate, -1 out of memory. */
static int insert(sbuf *b, int64_t t, const double v[3], size_t *pos_out)
{
    size_t pos;
    if (b->n > 0 && b->v[b->n - 1].t < t) {
        pos = b->n; /* the usual case: in order */
    } else {
        pos = lower_bound(b, t);
        if (pos < b->n && b->v[pos].t == t)
            return 0;
    }
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 512;
        pt *q = realloc(b->v, ncap * sizeof(*q));
        if (q == NULL)
            return -1;
        b->v = q;
        b->cap = ncap;
    }
    if (pos < b->n)
        memmove(&b->v[pos + 1], &b->v[pos], (b->n - pos) * sizeof(*b->v));
    b->v[pos].t = t;
    memcpy(b->v[pos].v, v, sizeof(b->v[pos].v));
    b->n++;
    *pos_out = pos;
    return 1;
}

/* Forget samples more than KEEP_BEHIND_NS before the analysed point. */
static void prune(bstep__live *l)
{
    size_t i;
    if (!l->have_frontier)
        return;
    for (i = 0; i < BSTEP__STREAM_COUNT; i++) {
        sbuf *b = &l->s[i];
        size_t k = lower_bound(b, l->frontier - KEEP_BEHIND_NS);
        if ((int)i == l->primary && k > b->head)
            k = b->head;
        if (k < 1024 || k * 2 < b->n)
            continue;
        memmove(b->v, b->v + k, (b->n - k) * sizeof(*b->v));
        b->n -= k;
        if (b->head >= k)
            b->head -= k;
        else
            b->head = 0;
    }
}

enum { BR_OK, BR_NONE, BR_WAIT };

static int bracket(const sbuf *b, int64_t t, double out[3])
{
    size_t pos = lower_bound(b, t), k;
    double w;
    if (pos < b->n && b->v[pos].t == t) {
        memcpy(out, b->v[pos].v, 3 * sizeof(out[0]));
        return BR_OK;
    }
    if (pos == b->n)
        return BR_WAIT;
    if (pos == 0)
        return BR_NONE;
    if (b->v[pos].t - b->v[pos - 1].t > BRACKET_MAX_NS)
        return BR_NONE;
    w = (double)(t - b->v[pos - 1].t) / (double)(b->v[pos].t - b->v[pos - 1].t);
    for (k = 0; k < 3; k++)
        out[k] = b->v[pos - 1].v[k] + w * (b->v[pos].v[k] - b->v[pos - 1].v[k]);
    return BR_OK;
}

static int64_t ns_to_us(int64_t ns)
{
    int64_t q = ns / 1000, rem = ns % 1000;
    if (rem >= 500)
        q++;
    return q;
}

/* Analyse every primary sample that is past the reorder window (all of them when flushing). */
static int drain(bstep__live *l, int flush)
{
    sbuf *p;
    if (l->primary < 0) {
        if (!flush && l->max_seen - l->first_t < l->opt.reorder_ns)
            return 0;
        if (l->s[BSTEP__STREAM_TOTAL].seen)
            l->primary = BSTEP__STREAM_TOTAL;
        else if (l->s[BSTEP__STREAM_ACCEL].seen) {
            l->primary = BSTEP__STREAM_ACCEL;
            if (!l->s[BSTEP__STREAM_GRAVITY].seen)
                l->ana.quality.gravity_removed = 1;
        } else
            return 0;
        l->ana.quality.has_gyro = l->s[BSTEP__STREAM_GYRO].seen;
    }
    p = &l->s[l->primary];
    while (p->head < p->n) {
        const pt *a = &p->v[p->head];
        const int64_t t = a->t;
        double g[3] = {0.0, 0.0, 0.0}, grav[3] = {0.0, 0.0, 0.0};
        int rg = BR_OK, rv = BR_OK, k;
        bstep_imu_sample s;
        if (!flush && t > l->max_seen - l->opt.reorder_ns)
            break;
        if (l->s[BSTEP__STREAM_GYRO].seen)
            rg = bracket(&l->s[BSTEP__STREAM_GYRO], t, g);
        if (l->primary == BSTEP__STREAM_ACCEL && l->s[BSTEP__STREAM_GRAVITY].seen)
            rv = bracket(&l->s[BSTEP__STREAM_GRAVITY], t, grav);
        if ((rg == BR_WAIT || rv == BR_WAIT) && !flush &&
            l->max_seen - t < l->opt.reorder_ns + JOIN_WAIT_NS)
            break;
        p->head++;
        l->frontier = t;
        l->have_frontier = 1;
        if (rg != BR_OK || rv != BR_OK) {
            l->c.unjoined_samples++;
            l->ana.quality.dropped_rows++;
            continue;
        }
        s.t_us = ns_to_us(t);
        for (k = 0; k < 3; k++) {
            s.accel_mps2[k] = (float)(l->opt.accel_sign * (a->v[k] + grav[k]));
            s.gyro_dps[k] = (float)(g[k] * RAD_TO_DEG);
        }
        s.flags = l->s[BSTEP__STREAM_GYRO].seen ? BSTEP_SAMPLE_HAS_GYRO : 0u;
        if (feed(l, &s) != 0)
            return -1;
    }
    prune(l);
    return 0;
}

/* Message ids: a sliding window of MID_WINDOW ids below the highest seen. 1 = seen before. */
static int mid_seen(bstep__live *l, int64_t id)
{
    uint64_t bit;
    if (id < 0)
        return 0;
    if (!l->have_mid) {
        l->have_mid = 1;
        l->mid_max = id;
    } else if (id > l->mid_max) {
        int64_t j, stop = id - l->mid_max > MID_WINDOW ? l->mid_max + MID_WINDOW : id;
        for (j = l->mid_max + 1; j <= stop; j++)
            l->mid_bits[(uint64_t)j % MID_WINDOW / 64] &= ~(1ull << ((uint64_t)j % 64));
        l->mid_max = id;
    } else if (l->mid_max - id >= MID_WINDOW) {
        return 0; /* too old to tell: the sample times decide */
    }
    bit = 1ull << ((uint64_t)id % 64);
    if (l->mid_bits[(uint64_t)id % MID_WINDOW / 64] & bit)
        return 1;
    l->mid_bits[(uint64_t)id % MID_WINDOW / 64] |= bit;
    return 0;
}

int bstep__live_push(bstep__live *l, const bstep__ingest_msg *m, int64_t wall_ms,
                     bstep__ingest_sample *keep, size_t *n_keep)
{
    size_t i;
    *n_keep = 0;
    l->wall_ms = wall_ms;
    if (mid_seen(l, m->message_id)) {
        l->c.duplicate_messages++;
        return 1;
    }
    l->c.messages++;
    l->c.skipped_entries += m->skipped_entries;
    for (i = 0; i < m->n_samples; i++) {
        const bstep__ingest_sample *x = &m->samples[i];
        sbuf *b = &l->s[x->stream];
        size_t pos = 0;
        int rc;
        l->c.samples_received++;
        if (l->have_frontier && b->n > 0 && x->t_ns < b->v[0].t) {
            /* older than anything held: cannot be checked for a repeat; stored, not analysed */
            l->c.late_samples++;
            keep[(*n_keep)++] = *x;
            continue;
        }
        rc = insert(b, x->t_ns, x->v, &pos);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            l->c.duplicate_samples++;
            continue;
        }
        keep[(*n_keep)++] = *x;
        if (!b->seen) {
            b->seen = 1;
        }
        if (l->first_t == 0 || x->t_ns < l->first_t)
            l->first_t = x->t_ns;
        if (x->t_ns > l->max_seen)
            l->max_seen = x->t_ns;
        if (l->have_frontier && x->t_ns <= l->frontier) {
            l->c.late_samples++;
            if ((int)x->stream == l->primary && pos < b->head)
                b->head++; /* sits in the analysed part */
        }
    }
    if (l->finished)
        return 0;
    return drain(l, 0) == 0 ? 0 : -1;
}

int bstep__live_finish(bstep__live *l, int64_t wall_ms)
{
    bstep_event ev[BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE];
    size_t n;
    if (l->finished)
        return 0;
    l->wall_ms = wall_ms;
    if (drain(l, 1) != 0)
        return -1;
    if (!l->started && !l->failed && l->n_start >= 2)
        if (start_analyzer(l) != 0)
            return -1;
    if (!l->started && !l->failed) {
        l->failed = 1;
        snprintf(l->err, sizeof(l->err), "too few samples to analyse (%zu)", l->n_start);
    }
    l->finished = 1;
    if (l->started) {
        n = bstep_analyzer_finish(l->an, ev, BSTEP_ANALYZER_EVENT_QUEUE);
        if (take(l, ev, n) != 0)
            return -1;
        bstep_summary_get(&l->sum, &l->ana.summary);
        if (!l->ana.quality.has_gyro) /* trunk twists are seen by the gyroscope only */
            l->ana.summary.measured &= ~BSTEP_MEASURE_LOOK_BACKS;
        l->ana.duration_s = rel_s(l, l->ana.quality.last_t_us);
        bstep__analysis_energy(&l->ana, l->opt.mass_kg);
    }
    return 0;
}

int bstep__live_status(bstep__live *l, int64_t wall_ms, const char *state)
{
    char buf[1024], cad[32], toe[32], cv[32], dist[32];
    bstep_summary_values v;
    memset(&v, 0, sizeof(v));
    bstep_summary_get(&l->sum, &v);
    if (l->finished)
        v = l->ana.summary;
    jnum(cad, sizeof(cad), v.cadence_spm, 1);
    jnum(toe, sizeof(toe), v.toe_first_ratio, 3);
    jnum(cv, sizeof(cv), v.stride_time_cv_pct, 1);
    jnum(dist, sizeof(dist), v.distance_m, 1);
    snprintf(buf, sizeof(buf),
             "{\"type\":\"status\",\"state\":\"%s\",\"data_s\":%.1f,\"samples\":%llu,"
             "\"steps\":%llu,\"steps_forward\":%llu,\"steps_backward\":%llu,"
             "\"cadence_spm\":%s,\"toe_first_ratio\":%s,\"stride_time_cv_pct\":%s,"
             "\"distance_m\":%s,\"messages\":%llu,\"duplicate_messages\":%llu,"
             "\"duplicate_samples\":%llu,\"late_samples\":%llu,\"unjoined_samples\":%llu,"
             "\"error\":\"%s\",\"emitted_wall_ms\":%lld}",
             state, l->max_seen > l->first_t ? (double)(l->max_seen - l->first_t) * 1e-9 : 0.0,
             (unsigned long long)l->c.analysed_samples, (unsigned long long)v.steps,
             (unsigned long long)v.steps_forward, (unsigned long long)v.steps_backward, cad, toe,
             cv, dist, (unsigned long long)l->c.messages,
             (unsigned long long)l->c.duplicate_messages,
             (unsigned long long)l->c.duplicate_samples, (unsigned long long)l->c.late_samples,
             (unsigned long long)l->c.unjoined_samples, l->err, (long long)wall_ms);
    return bstep__live_add_event(l, "status", buf);
}

void bstep__live_set_speed_max(bstep__live *l, double speed_max_mps)
{
    if (!(speed_max_mps >= 0.05 && speed_max_mps <= 10.0))
        return;
    l->ana.context.speed_max_mps = speed_max_mps;
    bstep_cues_set_speed_max(&l->ana.cue_engine, (float)speed_max_mps);
}

void bstep__live_set_context(bstep__live *l, double speed_max_mps, double planned_backward_s)
{
    bstep__live_set_speed_max(l, speed_max_mps);
    if (planned_backward_s > 0.0)
        l->ana.context.planned_backward_s = planned_backward_s;
}

bstep__live_counters bstep__live_get_counters(const bstep__live *l)
{
    return l->c;
}

const bstep__analysis *bstep__live_analysis(const bstep__live *l)
{
    return l->started ? &l->ana : NULL;
}

size_t bstep__live_n_events(const bstep__live *l)
{
    return l->n_ev;
}

const bstep__live_event *bstep__live_event_at(const bstep__live *l, size_t i)
{
    return i < l->n_ev ? &l->ev[i] : NULL;
}

const char *bstep__live_error(const bstep__live *l)
{
    return l->err;
}

int64_t bstep__live_last_t_ns(const bstep__live *l)
{
    return l->max_seen;
}

int64_t bstep__live_first_t_ns(const bstep__live *l)
{
    return l->first_t;
}
