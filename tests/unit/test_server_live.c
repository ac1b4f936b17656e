/*
 * Live ingest without HTTP: the Sensor Logger push parser (exact nanosecond times, limits, errors
 * naming the field) and the live session (reorder window, duplicate messages and samples, joining,
 * and the analysis equal to the batch analyzer on the same simulated walk).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/analyzer.h"
#include "backstep/sim.h"
#include "harness.h"
#include "server/buf.h"
#include "server/ingest.h"
#include "server/live.h"

#define EPOCH_NS 1700000000000000000LL

BSTEP_TEST(parse_exact_times)
{
    const char *msg = "{\"messageId\": 7, \"sessionId\": \"s-1\", \"deviceId\": \"phone\","
                      " \"payload\": [{\"name\": \"accelerometer\", \"time\": 1698501144401773123,"
                      " \"values\": {\"x\": 0.12, \"y\": -0.04, \"z\": 9.81}},"
                      " {\"name\": \"orientation\", \"time\": 1698501144401773124, \"values\":"
                      " {\"qw\": 1, \"qx\": 0, \"qy\": 0, \"qz\": 0}},"
                      " {\"name\": \"gyroscope\", \"time\": \"1698501144411773999\", \"values\":"
                      " {\"z\": \"0.5\", \"y\": 1e-3, \"x\": -2}}]}";
    bstep__ingest_msg m;
    char err[256];
    BSTEP_ASSERT_EQ(bstep__ingest_parse(msg, strlen(msg), &m, err, sizeof(err)), 0);
    BSTEP_ASSERT_EQ(m.message_id, 7);
    BSTEP_ASSERT(strcmp(m.session_id, "s-1") == 0);
    BSTEP_ASSERT(strcmp(m.device_id, "phone") == 0);
    BSTEP_ASSERT_EQ(m.n_samples, 2);
    BSTEP_ASSERT_EQ(m.skipped_entries, 1);
    BSTEP_ASSERT_EQ(m.samples[0].t_ns, 1698501144401773123LL);
    BSTEP_ASSERT_EQ(m.samples[0].stream, BSTEP__STREAM_ACCEL);
    BSTEP_ASSERT_NEAR(m.samples[0].v[2], 9.81, 1e-12);
    BSTEP_ASSERT_EQ(m.samples[1].t_ns, 1698501144411773999LL);
    BSTEP_ASSERT_EQ(m.samples[1].stream, BSTEP__STREAM_GYRO);
    BSTEP_ASSERT_NEAR(m.samples[1].v[0], -2.0, 0.0);
    BSTEP_ASSERT_NEAR(m.samples[1].v[2], 0.5, 0.0);
    bstep__ingest_free(&m);
}

/* messageId and sessionId after the payload, numbers in other keys before "time" */
BSTEP_TEST(parse_member_order)
{
    const char *msg =
        "{\"payload\": [{\"values\": {\"x\": 1, \"y\": 2, \"z\": 3}, \"extra\": [4, 5],"
        " \"time\": 1700000000000000001, \"name\": \"totalacceleration\"}],"
        " \"sessionId\": \"a\", \"messageId\": 9007199254740993}";
    bstep__ingest_msg m;
    char err[256];
    BSTEP_ASSERT_EQ(bstep__ingest_parse(msg, strlen(msg), &m, err, sizeof(err)), 0);
    BSTEP_ASSERT_EQ(m.message_id, 9007199254740993LL); /* 2^53 + 1: not a double */
    BSTEP_ASSERT_EQ(m.samples[0].t_ns, 1700000000000000001LL);
    BSTEP_ASSERT(strcmp(m.device_id, "unknown") == 0);
    bstep__ingest_free(&m);
}

static void expect_error(const char *msg, const char *needle)
{
    bstep__ingest_msg m;
    char err[256];
    err[0] = '\0';
    if (bstep__ingest_parse(msg, strlen(msg), &m, err, sizeof(err)) != -1) {
        bstep__ingest_free(&m);
        BSTEP__FAIL("accepted: %s", msg);
    }
    BSTEP_ASSERT_STR_CONTAINS(err, needle);
    BSTEP_ASSERT(m.samples == NULL);
}

BSTEP_TEST(parse_errors)
{
    expect_error("", "empty body");
    expect_error("{\"sessionId\": \"a\", \"payload\": [", "malformed JSON");
    expect_error("[1, 2]", "must be a JSON object");
    expect_error("{\"sessionId\": \"a\", \"payload\": []} x", "text after");
    expect_error("{\"payload\": []}", "sessionId: missing");
    expect_error("{\"sessionId\": \"<script>\", \"payload\": []}", "sessionId");
    expect_error("{\"sessionId\": 5, \"payload\": []}", "sessionId: must be a string");
    expect_error("{\"sessionId\": \"a\"}", "payload: missing");
    expect_error("{\"sessionId\": \"a\", \"payload\": [{\"name\": \"gyroscope\", \"time\": 1.5e18,"
                 " \"values\": {\"x\": 0, \"y\": 0, \"z\": 0}}]}",
                 "payload[0].time");
    expect_error("{\"sessionId\": \"a\", \"payload\": [{\"name\": \"gyroscope\", \"time\":"
                 " 99999999999999999999, \"values\": {\"x\": 0, \"y\": 0, \"z\": 0}}]}",
                 "payload[0].time");
    expect_error("{\"sessionId\": \"a\", \"payload\": [{\"name\": \"gyroscope\", \"time\": 1,"
                 " \"values\": {\"x\": 0, \"y\": \"nan\", \"z\": 0}}]}",
                 "payload[0].values.y");
    expect_error("{\"sessionId\": \"a\", \"payload\": [{\"name\": \"gyroscope\", \"time\": 1}]}",
                 "payload[0].values");
    expect_error("{\"sessionId\": \"a\", \"payload\": [{\"time\": 1}]}", "payload[0].name");
    expect_error("{\"sessionId\": \"a\", \"payload\": [7]}", "payload[0]: must be an object");
    expect_error("{\"sessionId\": \"a\", \"messageId\": -3, \"payload\": []}", "messageId");
    expect_error("{\"sessionId\": \"a\", \"payload\": [], \"x\": [[[[[[[[[1]]]]]]]]]}", "nested");
}

/* ---- live ----------------------------------------------------------------------------------- */

typedef struct {
    bstep_imu_sample *s;
    size_t n;
} walk_data;

static walk_data simulate_walk(double seconds)
{
    bstep_sim_settings cfg = bstep_sim_default_settings;
    bstep_sim_scenario sc;
    char err[256];
    static bstep_sim g;
    walk_data w;
    size_t cap = (size_t)(seconds * 100.0) + 2000;
    char text[128];
    snprintf(text, sizeof(text), "stand 2s\nwalk backward %.0fs speed=0.6\nstand 2s", seconds);
    if (bstep_sim_scenario_parse(text, &sc, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    cfg.sample_rate_hz = 100.0;
    cfg.site = BSTEP_SIM_AT_FOOT;
    cfg.side = BSTEP_FOOT_RIGHT;
    cfg.seed = 3;
    if (bstep_sim_init(&g, &cfg, &sc) != BSTEP_OK)
        abort();
    w.s = malloc(cap * sizeof(*w.s));
    w.n = bstep_sim_next_block(&g, w.s, cap);
    return w;
}

/* Message k holds samples [k*per, (k+1)*per) of both streams; Android style. */
static void make_msg(const walk_data *w, size_t k, size_t per, bstep__ingest_msg *m)
{
    size_t i, a = k * per, b = a + per < w->n ? a + per : w->n, j = 0;
    memset(m, 0, sizeof(*m));
    m->message_id = (int64_t)k;
    snprintf(m->session_id, sizeof(m->session_id), "sess");
    snprintf(m->device_id, sizeof(m->device_id), "dev");
    m->samples = malloc(2 * per * sizeof(*m->samples));
    for (i = a; i < b; i++) {
        int ax;
        bstep__ingest_sample *x = &m->samples[j++], *g = &m->samples[j++];
        x->t_ns = g->t_ns = EPOCH_NS + w->s[i].t_us * 1000;
        x->stream = BSTEP__STREAM_TOTAL;
        g->stream = BSTEP__STREAM_GYRO;
        for (ax = 0; ax < 3; ax++) {
            x->v[ax] = (double)w->s[i].accel_mps2[ax];
            g->v[ax] = (double)w->s[i].gyro_dps[ax] * 3.14159265358979323846 / 180.0;
        }
    }
    m->n_samples = j;
}

static size_t count_type(const bstep__live *l, const char *type)
{
    size_t i, n = 0;
    for (i = 0; i < bstep__live_n_events(l); i++)
        n += strcmp(bstep__live_event_at(l, i)->type, type) == 0;
    return n;
}

static bstep__live *run_live(const walk_data *w, const size_t *order, size_t n_msgs, size_t per,
                             int duplicate_every)
{
    bstep__live *l;
    bstep__live_options o;
    bstep__ingest_sample *keep = malloc(2 * per * sizeof(*keep));
    size_t i, nk;
    memset(&o, 0, sizeof(o));
    o.placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    o.toe_axis = BSTEP_AXIS_POS_X;
    o.front_axis = BSTEP_AXIS_AUTO;
    o.accel_sign = 1.0;
    o.reorder_ns = BSTEP__LIVE_DEFAULT_REORDER_NS;
    o.mass_kg = (double)NAN;
    if (bstep__live_open(&l, &o) != 0)
        abort();
    for (i = 0; i < n_msgs; i++) {
        bstep__ingest_msg m;
        make_msg(w, order[i], per, &m);
        if (bstep__live_push(l, &m, 0, keep, &nk) < 0)
            abort();
        if (duplicate_every > 0 && i % (size_t)duplicate_every == 0) {
            if (bstep__live_push(l, &m, 0, keep, &nk) != 1 || nk != 0)
                abort(); /* the same messageId again: dropped whole */
        }
        bstep__ingest_free(&m);
    }
    free(keep);
    bstep__live_finish(l, 0);
    return l;
}

BSTEP_TEST(live_matches_batch_and_survives_disorder)
{
    walk_data w = simulate_walk(30.0);
    const size_t per = 10; /* 100 ms batches */
    size_t n_msgs = (w.n + per - 1) / per, i, k;
    size_t *order = calloc(n_msgs + 1, sizeof(*order));
    bstep_analyzer *an = malloc(sizeof(*an));
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    bstep_event ev[BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE];
    size_t batch_steps = 0;
    bstep__live *a, *b;
    const bstep__analysis *aa, *ab;
    /* the batch analyzer on the same samples */
    cfg.placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    cfg.sample_rate_hz = 100.0f;
    cfg.toe_axis = BSTEP_AXIS_POS_X;
    BSTEP_ASSERT_OK(bstep_analyzer_init(an, &cfg));
    for (i = 0; i < w.n; i++) {
        size_t n = bstep_analyzer_update(an, &w.s[i], ev, BSTEP_ANALYZER_EVENT_QUEUE);
        for (k = 0; k < n; k++)
            batch_steps += ev[k].type == BSTEP_EVENT_INITIAL_CONTACT;
    }
    {
        size_t n = bstep_analyzer_finish(an, ev, BSTEP_ANALYZER_EVENT_QUEUE);
        for (k = 0; k < n; k++)
            batch_steps += ev[k].type == BSTEP_EVENT_INITIAL_CONTACT;
    }
    BSTEP_ASSERT_GE(batch_steps, 20);
    BSTEP_ASSERT(order != NULL);
    /* in order */
    for (i = 0; i < n_msgs; i++)
        order[i] = i;
    a = run_live(&w, order, n_msgs, per, 0);
    /* swapped neighbours (each message 100 ms late: inside the 200 ms window), repeats */
    for (i = 0; i + 1 < n_msgs; i += 2) {
        order[i] = i + 1;
        order[i + 1] = i;
    }
    b = run_live(&w, order, n_msgs, per, 5);
    aa = bstep__live_analysis(a);
    ab = bstep__live_analysis(b);
    BSTEP_ASSERT(aa != NULL && ab != NULL);
    BSTEP_ASSERT_EQ(bstep__analysis_n_steps(aa), batch_steps);
    BSTEP_ASSERT_EQ(bstep__analysis_n_steps(ab), bstep__analysis_n_steps(aa));
    for (i = 0; i < bstep__analysis_n_steps(aa); i++) {
        const bstep__step_row ra = *bstep__analysis_step(aa, i), rb = *bstep__analysis_step(ab, i);
        BSTEP_ASSERT_NEAR(rb.ic_s, ra.ic_s, 1e-9);
        BSTEP_ASSERT_EQ(rb.direction, ra.direction);
    }
    BSTEP_ASSERT_EQ(bstep__live_get_counters(a).analysed_samples, w.n);
    BSTEP_ASSERT_EQ(bstep__live_get_counters(b).analysed_samples, w.n);
    BSTEP_ASSERT_EQ(bstep__live_get_counters(b).duplicate_messages, (n_msgs + 4) / 5);
    BSTEP_ASSERT_EQ(bstep__live_get_counters(b).late_samples, 0);
    BSTEP_ASSERT_EQ(count_type(a, "step"), bstep__analysis_n_steps(aa));
    BSTEP_ASSERT_GE(aa->summary.steps_backward, aa->summary.steps / 2);
    bstep__live_close(a);
    bstep__live_close(b);
    free(order);
    free(an);
    free(w.s);
}

/* The same samples under a new messageId (a client that re-sends with new ids) are duplicates by
 * time; a message later than the window is stored but not analysed. */
BSTEP_TEST(live_duplicate_samples_and_late_messages)
{
    walk_data w = simulate_walk(10.0);
    const size_t per = 10;
    bstep__live *l;
    bstep__live_options o;
    bstep__ingest_sample keep[2 * 10];
    bstep__ingest_msg m;
    size_t i, nk, n_msgs = w.n / per;
    memset(&o, 0, sizeof(o));
    o.placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    o.accel_sign = 1.0;
    o.reorder_ns = BSTEP__LIVE_DEFAULT_REORDER_NS;
    BSTEP_ASSERT_EQ(bstep__live_open(&l, &o), 0);
    for (i = 0; i < n_msgs; i++) {
        if (i == 50)
            continue; /* message 50 arrives much later */
        make_msg(&w, i, per, &m);
        BSTEP_ASSERT_EQ(bstep__live_push(l, &m, 0, keep, &nk), 0);
        BSTEP_ASSERT_EQ(nk, 2 * per);
        if (i == 20) { /* re-sent with another id */
            m.message_id = 100000;
            BSTEP_ASSERT_EQ(bstep__live_push(l, &m, 0, keep, &nk), 0);
            BSTEP_ASSERT_EQ(nk, 0);
        }
        bstep__ingest_free(&m);
    }
    make_msg(&w, 50, per, &m);
    BSTEP_ASSERT_EQ(bstep__live_push(l, &m, 0, keep, &nk), 0);
    BSTEP_ASSERT_EQ(nk, 2 * per); /* kept for the store */
    bstep__ingest_free(&m);
    BSTEP_ASSERT_EQ(bstep__live_get_counters(l).duplicate_samples, 2 * per);
    BSTEP_ASSERT_EQ(bstep__live_get_counters(l).late_samples, 2 * per);
    /* the late acceleration samples were not analysed: the reorder window had passed */
    BSTEP_ASSERT_EQ(bstep__live_finish(l, 0), 0);
    BSTEP_ASSERT_EQ(bstep__live_get_counters(l).analysed_samples + per, n_msgs * per);
    bstep__live_close(l);
    free(w.s);
}

/* iOS style: user acceleration and gravity (both with the opposite sign), streams not aligned
 * (gravity 3 ms and the gyroscope 5 ms after the accelerometer): joined and sign-corrected, the
 * analysis finds the same steps as from Android-style total acceleration. */
BSTEP_TEST(live_ios_streams_joined)
{
    walk_data w = simulate_walk(20.0);
    const size_t per = 10;
    size_t i, k, nk, n_msgs = (w.n + per - 1) / per;
    size_t *order = calloc(n_msgs + 1, sizeof(*order));
    bstep__live *ref, *l;
    bstep__live_options o;
    bstep__ingest_sample *keep = malloc(3 * per * sizeof(*keep));
    BSTEP_ASSERT(order != NULL && keep != NULL);
    for (i = 0; i < n_msgs; i++)
        order[i] = i;
    ref = run_live(&w, order, n_msgs, per, 0);
    memset(&o, 0, sizeof(o));
    o.placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    o.toe_axis = BSTEP_AXIS_POS_X;
    o.accel_sign = -1.0;
    o.reorder_ns = BSTEP__LIVE_DEFAULT_REORDER_NS;
    o.mass_kg = (double)NAN;
    BSTEP_ASSERT_EQ(bstep__live_open(&l, &o), 0);
    for (k = 0; k < n_msgs; k++) {
        bstep__ingest_msg m;
        size_t a = k * per, b = a + per < w.n ? a + per : w.n, j = 0;
        memset(&m, 0, sizeof(m));
        m.message_id = (int64_t)k;
        m.samples = malloc(3 * per * sizeof(*m.samples));
        for (i = a; i < b; i++) {
            bstep__ingest_sample *u = &m.samples[j++], *g = &m.samples[j++], *r = &m.samples[j++];
            const int64_t t = EPOCH_NS + w.s[i].t_us * 1000;
            const double grav[3] = {0.0, 0.0, 9.80665};
            int ax;
            u->t_ns = t;
            g->t_ns = t + 3000000;
            r->t_ns = t + 5000000;
            u->stream = BSTEP__STREAM_ACCEL;
            g->stream = BSTEP__STREAM_GRAVITY;
            r->stream = BSTEP__STREAM_GYRO;
            for (ax = 0; ax < 3; ax++) {
                u->v[ax] = -((double)w.s[i].accel_mps2[ax] - grav[ax]);
                g->v[ax] = -grav[ax];
                /* the gyroscope 5 ms later: the next sample's rate (close enough for stepping) */
                r->v[ax] =
                    (double)w.s[i + 1 < w.n ? i + 1 : i].gyro_dps[ax] * 3.14159265358979 / 180.0;
            }
        }
        m.n_samples = j;
        BSTEP_ASSERT_EQ(bstep__live_push(l, &m, 0, keep, &nk), 0);
        BSTEP_ASSERT_EQ(nk, j);
        bstep__ingest_free(&m);
    }
    BSTEP_ASSERT_EQ(bstep__live_finish(l, 0), 0);
    BSTEP_ASSERT(bstep__live_analysis(l) != NULL);
    BSTEP_ASSERT(!bstep__live_analysis(l)->quality.gravity_removed);
    BSTEP_ASSERT_GE(bstep__analysis_n_steps(bstep__live_analysis(ref)), 10);
    BSTEP_ASSERT_LE(labs((long)bstep__analysis_n_steps(bstep__live_analysis(l)) -
                         (long)bstep__analysis_n_steps(bstep__live_analysis(ref))),
                    1);
    BSTEP_ASSERT_GE(bstep__live_analysis(l)->summary.steps_backward,
                    bstep__live_analysis(l)->summary.steps / 2);
    /* the first sample has no gyroscope before it: the only unjoined one */
    BSTEP_ASSERT_LE(bstep__live_get_counters(l).unjoined_samples, 1);
    bstep__live_close(l);
    bstep__live_close(ref);
    free(keep);
    free(order);
    free(w.s);
}

BSTEP_TEST(live_bad_options)
{
    bstep__live *l;
    bstep__live_options o;
    memset(&o, 0, sizeof(o));
    o.placement = BSTEP_PLACEMENT_AUTO;
    BSTEP_ASSERT_EQ(bstep__live_open(&l, &o), -1);
    BSTEP_ASSERT(l == NULL);
}

BSTEP_TEST(buf_escapes)
{
    bstep__buf b;
    char *p;
    bstep__buf_init(&b);
    bstep__buf_html(&b, "<a href=\"x\">'&'</a>");
    p = bstep__buf_take(&b, NULL);
    BSTEP_ASSERT(strcmp(p, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;") == 0);
    free(p);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(parse_exact_times), BSTEP_TEST_ENTRY(parse_member_order),
                BSTEP_TEST_ENTRY(parse_errors),
                BSTEP_TEST_ENTRY(live_matches_batch_and_survives_disorder),
                BSTEP_TEST_ENTRY(live_duplicate_samples_and_late_messages),
                BSTEP_TEST_ENTRY(live_ios_streams_joined), BSTEP_TEST_ENTRY(live_bad_options),
                BSTEP_TEST_ENTRY(buf_escapes))
