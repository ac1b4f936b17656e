/*
 * The analysis rows of a long session (src/report/analysis.c on the row spool of
 * src/internal/rowspool.c): 40 000 strides, more than the spool keeps in memory, go through the
 * analysis, the JSON report and the SQLite store, and come back complete and in order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "backstep/status.h"
#include "report/report.h"
#include "store/store.h"
#include "store/store_analysis.h"

#define N_STRIDES 40000u

static const char *tmpdir(void)
{
    const char *d = getenv("BSTEP_TEST_TMP");
    return d != NULL ? d : "/tmp";
}

/* A session: one bout of N_STRIDES backward strides, 1.1 s apart, a stumble after every 1000th. */
static void build(bstep__analysis *a)
{
    bstep_summary sum;
    bstep_event e;
    unsigned k;
    memset(a, 0, sizeof(*a));
    snprintf(a->path, sizeof(a->path), "long-session");
    a->placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    BSTEP_ASSERT_EQ(bstep_summary_init(&sum, 2), BSTEP_OK);
    memset(&e, 0, sizeof(e));
    e.type = BSTEP_EVENT_BOUT_START;
    e.t_us = 0;
    BSTEP_ASSERT_EQ(bstep__analysis_add_event(a, &sum, &e, 2), BSTEP_OK);
    for (k = 0; k < N_STRIDES; k++) {
        memset(&e, 0, sizeof(e));
        e.type = BSTEP_EVENT_INITIAL_CONTACT;
        e.t_us = 1000000 + (bstep_time_us)k * 1100000;
        e.foot = BSTEP_FOOT_RIGHT;
        e.direction = BSTEP_DIRECTION_BACKWARD;
        e.strike = BSTEP_STRIKE_TOE;
        e.strike_angle_deg = -10.0f;
        e.stride_length_m = 0.5f + 0.25f * (float)(k % 4); /* the row's own signature */
        e.stride_time_s = 1.1f;
        e.stride_forward_m = -e.stride_length_m;
        e.speed_mps = e.stride_length_m / 1.1f;
        e.clearance_m = e.turn_deg = e.trunk_lean_deg = e.side_lean_deg = e.step_length_m =
            (float)NAN;
        e.confidence = e.value = (float)NAN;
        BSTEP_ASSERT_EQ(bstep__analysis_add_event(a, &sum, &e, 2), BSTEP_OK);
        e.type = BSTEP_EVENT_FINAL_CONTACT;
        e.t_us += 700000;
        e.strike = BSTEP_STRIKE_HEEL;
        e.strike_angle_deg = 30.0f;
        BSTEP_ASSERT_EQ(bstep__analysis_add_event(a, &sum, &e, 2), BSTEP_OK);
        if (k % 1000 == 999) {
            memset(&e, 0, sizeof(e));
            e.type = BSTEP_EVENT_STUMBLE;
            e.t_us = 1000000 + (bstep_time_us)k * 1100000 + 800000;
            e.direction = BSTEP_DIRECTION_BACKWARD;
            e.value = 2.5f;
            e.confidence = 0.75f;
            e.trunk_lean_deg = e.side_lean_deg = (float)NAN;
            BSTEP_ASSERT_EQ(bstep__analysis_add_event(a, &sum, &e, 2), BSTEP_OK);
        }
    }
    memset(&e, 0, sizeof(e));
    e.type = BSTEP_EVENT_BOUT_END;
    e.t_us = 1000000 + (bstep_time_us)N_STRIDES * 1100000;
    e.value = 109.0f;
    BSTEP_ASSERT_EQ(bstep__analysis_add_event(a, &sum, &e, 2), BSTEP_OK);
    bstep_summary_get(&sum, &a->summary);
    a->duration_s = (double)e.t_us * 1e-6;
    bstep__analysis_energy(a, 70.0);
}

static int row_ok(const bstep__step_row *r, unsigned k)
{
    return fabs(r->ic_s - (1.0 + 1.1 * k)) < 1e-6 && fabs(r->fc_s - r->ic_s - 0.7) < 1e-6 &&
           fabs(r->stride_length_m - (0.5 + 0.25 * (k % 4))) < 1e-6 &&
           r->direction == BSTEP_DIRECTION_BACKWARD && r->fc_strike == BSTEP_STRIKE_HEEL;
}

BSTEP_TEST(rows_spill_and_come_back)
{
    bstep__analysis a;
    unsigned k;
    build(&a);
    BSTEP_ASSERT_EQ(bstep__analysis_rows_status(&a), BSTEP_OK);
    BSTEP_ASSERT_EQ(bstep__analysis_n_steps(&a), N_STRIDES);
    BSTEP_ASSERT_EQ(bstep__analysis_n_events(&a), N_STRIDES / 1000);
    BSTEP_ASSERT(a.step_rows.file != NULL); /* more than the cache: pages went to the file */
    for (k = 0; k < N_STRIDES; k++)
        BSTEP_ASSERT(row_ok(bstep__analysis_step(&a, k), k));
    for (k = N_STRIDES; k-- > 0;) /* backwards too */
        BSTEP_ASSERT(row_ok(bstep__analysis_step(&a, k), k));
    BSTEP_ASSERT_EQ(a.n_bouts, 1);
    BSTEP_ASSERT_EQ(a.bouts[0].steps, 2u * N_STRIDES);
    BSTEP_ASSERT(strcmp(a.bouts[0].activity, "walk-backward") == 0);
    BSTEP_ASSERT(fabs(a.bouts[0].distance_m - 0.875 * N_STRIDES) < 1e-3);
    BSTEP_ASSERT_EQ(bstep__analysis_flatten(&a), BSTEP_OK);
    for (k = 0; k < N_STRIDES; k++)
        BSTEP_ASSERT(row_ok(&a.steps_flat[k], k));
    bstep__analysis_free(&a);
}

/* The JSON report lists every stride, in order. */
BSTEP_TEST(json_lists_every_row)
{
    bstep__analysis a;
    char path[1024], line[512];
    FILE *f;
    unsigned n_ic = 0, n_stumble = 0;
    double last = -1.0;
    int ordered = 1;
    build(&a);
    snprintf(path, sizeof(path), "%s/analysis-rows.json", tmpdir());
    f = fopen(path, "w");
    BSTEP_ASSERT(f != NULL);
    bstep__report_json(f, &a);
    BSTEP_ASSERT_EQ(fclose(f), 0);
    f = fopen(path, "r");
    BSTEP_ASSERT(f != NULL);
    while (fgets(line, sizeof(line), f) != NULL) {
        const char *p = strstr(line, "\"ic_s\":");
        if (p != NULL) {
            const double t = strtod(p + 7, NULL);
            ordered &= t > last;
            last = t;
            n_ic++;
        }
        /* event rows (cue rows have a "text", not a "message") */
        n_stumble += strstr(line, "\"type\": \"stumble\", \"message\"") != NULL;
    }
    fclose(f);
    remove(path);
    BSTEP_ASSERT_EQ(n_ic, N_STRIDES);
    BSTEP_ASSERT_EQ(n_stumble, N_STRIDES / 1000);
    BSTEP_ASSERT(ordered);
    bstep__analysis_free(&a);
}

/* Stored in SQLite row by row (the parts' providers), loaded back complete. */
BSTEP_TEST(stored_and_loaded)
{
    bstep__analysis a;
    bstep__stored_parts parts;
    bstep_store *st = NULL;
    bstep_store_user u;
    bstep_store_session s;
    bstep_store_session_full *full = NULL;
    char url[1100], err[256];
    int existed = 0;
    unsigned k;
    build(&a);
    snprintf(url, sizeof(url), "%s/analysis-rows.db", tmpdir());
    remove(url);
    BSTEP_ASSERT_EQ(bstep_store_open(&st, url, err, sizeof(err)), BSTEP_OK);
    BSTEP_ASSERT_EQ(bstep_store_user_ensure(st, "long", &u), BSTEP_OK);
    memset(&s, 0, sizeof(s));
    s.user_id = u.id;
    snprintf(s.sha256_hex, sizeof(s.sha256_hex), "%064d", 7);
    snprintf(s.source_path, sizeof(s.source_path), "long-session.csv");
    bstep__store_session_from_analysis(&a, &s);
    s.start_us = 1700000000000000LL;
    BSTEP_ASSERT_EQ(bstep__store_parts_from_analysis(&a, &parts), BSTEP_OK);
    BSTEP_ASSERT_EQ(bstep_store_session_add(st, &s, &parts.parts, &existed), BSTEP_OK);
    bstep__stored_parts_free(&parts);
    BSTEP_ASSERT_EQ(existed, 0);
    BSTEP_ASSERT_EQ(bstep_store_session_load(st, s.id, &full), BSTEP_OK);
    BSTEP_ASSERT_EQ(full->n_steps, N_STRIDES);
    for (k = 0; k < N_STRIDES; k++) {
        const bstep_store_step *r = &full->steps[k];
        BSTEP_ASSERT(fabs(r->ic_s - (1.0 + 1.1 * k)) < 1e-6);
        BSTEP_ASSERT(fabs(r->stride_length_m - (0.5 + 0.25 * (k % 4))) < 1e-6);
        BSTEP_ASSERT_EQ(r->direction, BSTEP_DIRECTION_BACKWARD);
    }
    BSTEP_ASSERT_EQ(full->n_events, N_STRIDES / 1000);
    BSTEP_ASSERT(strcmp(full->events[3].type, "stumble") == 0);
    /* the event's own figures are stored, not only its type and message */
    BSTEP_ASSERT(fabs(full->events[3].value - 2.5) < 1e-6);
    BSTEP_ASSERT(fabs(full->events[3].confidence - 0.75) < 1e-6);
    BSTEP_ASSERT_EQ(full->events[3].direction, BSTEP_DIRECTION_BACKWARD);
    bstep_store_session_full_free(full);
    bstep_store_close(st);
    remove(url);
    bstep__analysis_free(&a);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(rows_spill_and_come_back), BSTEP_TEST_ENTRY(json_lists_every_row),
                BSTEP_TEST_ENTRY(stored_and_loaded))
