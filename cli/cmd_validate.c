/*
 * backstep validate: run the same analysis as `analyze` on recordings that have a truth file
 * (NAME.truth.json, format in ../shared/data/README.md section 2) and score it.
 *
 * Scoring (DESIGN.md section 7):
 * - A detected initial contact matches a reference one when they are at most 100 ms apart,
 *   one-to-one: candidate pairs are taken in order of increasing time difference.
 * - Only the part of the recording the truth covers is scored: the truth's event_window_s when
 *   given, else the union of its segments widened by PAD_S = 0.5 s on each side (truth files list
 *   contacts inside their annotated segments only, e.g. mobgap lists them inside walking bouts),
 *   else the whole recording. Intervals in events_missing_in_s are left out. The margin is at
 *   least the match window (a reference contact on a segment boundary keeps its match) and one
 *   step at 120 steps/min (an extra detection at a bout's edge counts as a false positive, a
 *   step walked in unannotated time farther away is not scored); docs/validation.md measures
 *   the scores with 0.1-2 s.
 * - Step-count error: |detected - reference| / reference per file (reference = step_count when
 *   the truth gives only a count, over the whole recording; else the contacts in the scored part).
 * - Timing error: mean absolute difference of matched pairs.
 * - Per activity: the same counts restricted to each truth segment's time span.
 * Results are grouped per dataset folder and placement; thresholds apply to every group.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backstep/status.h"
#include "cli.h"
#include "io/truth.h"
#include "report/report.h"

#define MATCH_S        0.100
#define PAD_S          0.5
#define MAX_GROUPS     64
#define MAX_ACTIVITIES 24

typedef struct {
    char activity[32];
    uint64_t ref, det, tp, segs, swings_ref, swings_det;
    uint64_t n_dist;
    double sum_abs_dist_err, max_abs_dist_err; /* relative, per segment */
} activity_score;

typedef struct {
    char name[160];
    uint64_t files, failed, ref, det, tp;
    double sum_abs_dt;
    double sum_count_err; /* sum over files of relative count error */
    uint64_t n_count_err;
    double max_count_err;
    activity_score act[MAX_ACTIVITIES];
    int n_act;
    /* stride length against per-stride truth */
    uint64_t n_len, n_len_turn;
    double sum_abs_len, sum_len, sum_abs_len_turn;
    /* direction against segment labels */
    uint64_t bw_in, bw_in_backward, bw_out, bw_out_backward, dir_expect, dir_expect_ok;
    /* per-step truth (simulator) */
    uint64_t step_dir_n, step_dir_ok, step_strike_n, step_strike_ok;
    /* strike pattern of detected strides */
    uint64_t fw_n, fw_heel, bw_n, bw_toe;
    /* final contacts against the reference (foot sensors: each stride's fc_s) */
    uint64_t fc_ref, fc_det, fc_tp;
    double fc_sum_dt;
    /* backward distance per file */
    uint64_t n_bw_dist;
    double sum_bw_dist_err, max_bw_dist_err;
    /* the same plus what the strides of the turn segment just before the first backward
     * segment travelled backward along the heading at their end (the data's notes: the
     * backward part of the course starts during the turn) */
    uint64_t n_bwt_dist;
    double sum_bwt_dist_err, max_bwt_dist_err;
    /* the whole course per file: every stride inside a labelled segment (turns included)
     * against the sum of the segments' distances; free of the boundaries between segments */
    uint64_t n_course;
    double sum_course_err, max_course_err, sum_course_signed;
    /* per reference bout (mobgap): cadence, stride length, speed */
    uint64_t n_cad, n_cad_ref;
    double sum_cad_err, max_cad_err, sum_cad_abs, sum_cad_ref_err, max_cad_ref_err;
    uint64_t n_bsl, n_bspeed;
    double sum_bsl_abs, sum_bsl_rel, sum_bsl_bias, sum_bspeed_abs, sum_bspeed_rel;
    /* a second reference system (mobgap stereophotogrammetry) */
    char alt_system[32];
    uint64_t alt_ref, alt_det, alt_tp;
    double alt_sum_dt;
    /* the primary reference's own contacts against the second system, inside its bouts: how
     * far the two references agree, a ceiling for any detector scored against either */
    uint64_t xref_det, xref_tp;
    double xref_sum_dt;
    /* left/right against initial_contacts_side */
    uint64_t lr_n, lr_ok;
    /* falls (file labels) */
    uint64_t fall_files, fall_detected, fall_bw_files, fall_bw_detected, adl_files, adl_alarm;
    uint64_t fall_extra, n_impact;
    double sum_impact_err, adl_walk_s;
    uint64_t adl_walk_alarms, nearfall_files, nearfall_stumble;
    /* simulator events */
    uint64_t ev_ref[3], ev_hit[3], ev_false[3];
    double ev_walk_s;
} group_score;

typedef struct {
    double r, d, dt;
    size_t ri, di;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return (x->dt > y->dt) - (x->dt < y->dt);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_scored(const bstep__truth *t, double x, double dur)
{
    size_t i;
    for (i = 0; i < t->n_missing; i++)
        if (x >= t->missing_s[i][0] && x <= t->missing_s[i][1])
            return 0;
    if (t->have_window)
        return x >= t->window_s[0] && x <= t->window_s[1];
    if (t->n_segments > 0) {
        for (i = 0; i < t->n_segments; i++)
            if (x >= t->segments[i].start_s - PAD_S && x <= t->segments[i].end_s + PAD_S)
                return 1;
        return 0;
    }
    return x >= 0.0 && x <= dur + 1.0;
}

static const char *placement_for_truth(const char *p, bstep_placement *out)
{
    if (bstep_placement_parse(p, out) == BSTEP_OK && *out != BSTEP_PLACEMENT_AUTO)
        return p;
    /* hand, bag, armband, neck: carried like a phone; the trunk/pocket engine applies. */
    *out = BSTEP_PLACEMENT_POCKET;
    return "pocket";
}

static activity_score *activity(group_score *g, const char *name)
{
    int i;
    for (i = 0; i < g->n_act; i++)
        if (strcmp(g->act[i].activity, name) == 0)
            return &g->act[i];
    if (g->n_act == MAX_ACTIVITIES)
        return NULL;
    memset(&g->act[g->n_act], 0, sizeof(g->act[0]));
    snprintf(g->act[g->n_act].activity, sizeof(g->act[0].activity), "%s", name);
    return &g->act[g->n_act++];
}

static group_score *group(group_score *gs, int *ng, const char *name)
{
    int i;
    for (i = 0; i < *ng; i++)
        if (strcmp(gs[i].name, name) == 0)
            return &gs[i];
    if (*ng == MAX_GROUPS)
        return NULL;
    memset(&gs[*ng], 0, sizeof(gs[0]));
    snprintf(gs[*ng].name, sizeof(gs[0].name), "%s", name);
    return &gs[(*ng)++];
}

/* Score one analysed file against its truth. */
static int score_file(group_score *g, const bstep__truth *t, const bstep__analysis *a, int verbose,
                      const char *label)
{
    double *det = malloc((bstep__analysis_n_steps(a) + 1) * sizeof(double));
    size_t *det_k = malloc((bstep__analysis_n_steps(a) + 1) * sizeof(size_t));
    size_t *ref_k = malloc((t->n_ic + 1) * sizeof(size_t));
    double *ref = malloc((t->n_ic + 1) * sizeof(double));
    unsigned char *ref_used, *det_used;
    pair *pairs = NULL;
    size_t nd = 0, nr = 0, np = 0, capp = 0, i, j, tp = 0;
    double sum_dt = 0.0;
    if (det == NULL || ref == NULL || det_k == NULL || ref_k == NULL) {
        free(det);
        free(ref);
        free(det_k);
        free(ref_k);
        return BSTEP_ENOMEM;
    }
    for (i = 0; i < bstep__analysis_n_steps(a); i++)
        if (in_scored(t, a->steps_flat[i].ic_s, a->duration_s)) {
            det_k[nd] = i;
            det[nd++] = a->steps_flat[i].ic_s;
        }
    for (i = 0; i < t->n_ic; i++)
        if (in_scored(t, t->ic_s[i], a->duration_s)) {
            ref_k[nr] = i;
            ref[nr++] = t->ic_s[i];
        }
    ref_used = calloc(nr + 1, 1);
    det_used = calloc(nd + 1, 1);
    /* Candidate pairs within the window (both lists are sorted: sliding start index). */
    for (i = 0, j = 0; i < nr && ref_used && det_used; i++) {
        size_t k;
        while (j < nd && det[j] < ref[i] - MATCH_S)
            j++;
        for (k = j; k < nd && det[k] <= ref[i] + MATCH_S; k++) {
            if (np == capp) {
                pair *q;
                capp = capp ? capp * 2 : 256;
                q = realloc(pairs, capp * sizeof(*pairs));
                if (q == NULL)
                    break;
                pairs = q;
            }
            pairs[np].r = ref[i];
            pairs[np].d = det[k];
            pairs[np].dt = fabs(det[k] - ref[i]);
            pairs[np].ri = i;
            pairs[np].di = k;
            np++;
        }
    }
    if (np > 0)
        qsort(pairs, np, sizeof(*pairs), cmp_pair);
    for (i = 0; i < np; i++) {
        if (ref_used[pairs[i].ri] || det_used[pairs[i].di])
            continue;
        ref_used[pairs[i].ri] = 1;
        det_used[pairs[i].di] = 1;
        tp++;
        sum_dt += pairs[i].dt;
        if (t->ic_side != NULL) { /* left/right of the matched contact */
            const char side = t->ic_side[ref_k[pairs[i].ri]];
            const bstep_foot f = a->steps_flat[det_k[pairs[i].di]].foot;
            if ((side == 'L' || side == 'R') && f != BSTEP_FOOT_UNKNOWN) {
                g->lr_n++;
                g->lr_ok += (side == 'L') == (f == BSTEP_FOOT_LEFT);
            }
        }
    }
    g->files++;
    g->ref += nr;
    g->det += nd;
    g->tp += tp;
    g->sum_abs_dt += sum_dt;
    {
        double cerr = ((double)NAN);
        if (t->step_count >= 0 && t->n_ic == 0 && t->step_count > 0)
            cerr = fabs((double)a->summary.steps - (double)t->step_count) / (double)t->step_count;
        else if (nr > 0)
            cerr = fabs((double)nd - (double)nr) / (double)nr;
        if (isfinite(cerr)) {
            g->sum_count_err += cerr;
            g->n_count_err++;
            if (cerr > g->max_count_err)
                g->max_count_err = cerr;
        }
        if (verbose)
            fprintf(stderr, "  %-40s ref %4zu det %4zu tp %4zu count err %5.1f %%%s\n", label, nr,
                    nd, tp, isfinite(cerr) ? 100.0 * cerr : 0.0,
                    t->step_count >= 0 && t->n_ic == 0 ? " (vs step_count)" : "");
    }
    /* Per activity. */
    for (i = 0; i < t->n_segments; i++) {
        const bstep__truth_segment *s = &t->segments[i];
        activity_score *as = activity(g, s->activity[0] ? s->activity : "unlabelled");
        size_t k;
        uint64_t sd = 0;
        if (as == NULL)
            continue;
        as->segs++;
        for (k = 0; k < nr; k++)
            if (ref[k] >= s->start_s && ref[k] < s->end_s) {
                as->ref++;
                if (ref_used[k])
                    as->tp++;
            }
        for (k = 0; k < nd; k++)
            if (det[k] >= s->start_s && det[k] < s->end_s)
                sd++;
        as->det += sd;
        if (s->left_foot_swings >= 0) {
            as->swings_ref += (uint64_t)s->left_foot_swings;
            as->swings_det += sd;
        }
    }
    free(pairs);
    free(ref_used);
    free(det_used);
    free(det);
    free(ref);
    free(det_k);
    free(ref_k);
    return BSTEP_OK;
}

/* One-to-one matching of two sorted lists within MATCH_S: true positives and their summed
 * absolute time difference (greedy on the closest pairs, as score_file). */
static uint64_t match_lists(const double *ref, size_t nr, const double *det, size_t nd,
                            double *sum_dt)
{
    unsigned char *ru = calloc(nr + 1, 1), *du = calloc(nd + 1, 1);
    pair *pairs = NULL;
    size_t np = 0, capp = 0, i, j, k;
    uint64_t tp = 0;
    *sum_dt = 0.0;
    for (i = 0, j = 0; i < nr && ru && du; i++) {
        while (j < nd && det[j] < ref[i] - MATCH_S)
            j++;
        for (k = j; k < nd && det[k] <= ref[i] + MATCH_S; k++) {
            if (np == capp) {
                pair *q;
                capp = capp ? capp * 2 : 256;
                q = realloc(pairs, capp * sizeof(*pairs));
                if (q == NULL)
                    break;
                pairs = q;
            }
            pairs[np].dt = fabs(det[k] - ref[i]);
            pairs[np].ri = i;
            pairs[np].di = k;
            np++;
        }
    }
    if (np > 0)
        qsort(pairs, np, sizeof(*pairs), cmp_pair);
    for (i = 0; i < np; i++) {
        if (ru[pairs[i].ri] || du[pairs[i].di])
            continue;
        ru[pairs[i].ri] = du[pairs[i].di] = 1;
        tp++;
        *sum_dt += pairs[i].dt;
    }
    free(pairs);
    free(ru);
    free(du);
    return tp;
}

static int cmp_double(const void *a, const void *b);

/* Final contacts: the reference's against the detected strides' (scored part only). */
static void score_final_contacts(group_score *g, const bstep__truth *t, const bstep__analysis *a)
{
    double *det = malloc((bstep__analysis_n_steps(a) + 1) * sizeof(double));
    double *ref = malloc((t->n_fc + 1) * sizeof(double));
    size_t nd = 0, nr = 0, i;
    if (det != NULL && ref != NULL && t->n_fc > 0) {
        for (i = 0; i < bstep__analysis_n_steps(a); i++)
            if (isfinite(a->steps_flat[i].fc_s) &&
                in_scored(t, a->steps_flat[i].fc_s, a->duration_s))
                det[nd++] = a->steps_flat[i].fc_s;
        for (i = 0; i < t->n_fc; i++)
            if (in_scored(t, t->fc_s[i], a->duration_s))
                ref[nr++] = t->fc_s[i];
        qsort(det, nd, sizeof(double), cmp_double);
        qsort(ref, nr, sizeof(double), cmp_double);
        g->fc_ref += nr;
        g->fc_det += nd;
        {
            double sdt = 0.0;
            g->fc_tp += match_lists(ref, nr, det, nd, &sdt);
            g->fc_sum_dt += sdt;
        }
    }
    free(det);
    free(ref);
}

static int in_bouts(const bstep__truth_bout *b, size_t n, double x)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (x >= b[i].start_s - PAD_S && x <= b[i].end_s + PAD_S)
            return 1;
    return 0;
}

/* Per reference bout: cadence of the detected contacts inside it (stride_cadence, the same rule
 * as the analyzer's per-bout cadence). Also the mean stride length (2 x the mean
 * detected step length) and speed (detected distance / the same time). Then the second
 * reference system's contacts. */
static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Cadence of the contacts x[0..n) (sorted) in [lo, hi], the analyzer's per-bout rule
 * (src/core/trunk.c stride_cadence): the mean of the strides' 120 / (x[i + 2] - x[i]), the
 * definition of the Mobilise-D reference, except strides shorter than half the median stride
 * (they hold an extra contact). */
static double stride_cadence_of(const double *x, size_t nx, double lo, double hi)
{
    double in[1024], sd[1024], srt[1024], med, sum = 0.0;
    size_t k, n = 0, ns = 0, m = 0;
    for (k = 0; k < nx && n < 1024; k++)
        if (x[k] >= lo && x[k] <= hi)
            in[n++] = x[k];
    for (k = 2; k < n; k++)
        sd[ns++] = in[k] - in[k - 2];
    if (ns < 1)
        return (double)NAN;
    memcpy(srt, sd, ns * sizeof(double));
    qsort(srt, ns, sizeof(double), cmp_double);
    med = srt[(ns - 1) / 2]; /* the lower median, as the analyzer's histogram */
    for (k = 0; k < ns; k++)
        if (sd[k] >= 0.5 * med && sd[k] > 0.0) {
            sum += 120.0 / sd[k];
            m++;
        }
    return m > 0 ? sum / (double)m : (double)NAN;
}

/* The same for the detected contacts of an analysis. */
static double stride_cadence(const bstep__analysis *a, double lo, double hi)
{
    double x[1024];
    size_t k, n = 0;
    for (k = 0; k < bstep__analysis_n_steps(a) && n < 1024; k++)
        if (a->steps_flat[k].ic_s >= lo && a->steps_flat[k].ic_s <= hi)
            x[n++] = a->steps_flat[k].ic_s;
    return stride_cadence_of(x, n, lo, hi);
}

static void score_bouts(group_score *g, const bstep__truth *t, const bstep__analysis *a)
{
    size_t i, k;
    for (i = 0; i < t->n_bouts; i++) {
        const bstep__truth_bout *b = &t->bouts[i];
        double first = (double)NAN, last = (double)NAN, len_sum = 0.0;
        size_t n = 0, n_len = 0;
        for (k = 0; k < bstep__analysis_n_steps(a); k++) {
            const double x = a->steps_flat[k].ic_s;
            if (x < b->start_s - 0.05 || x > b->end_s + 0.05)
                continue;
            if (n == 0)
                first = x;
            last = x;
            n++;
            if (isfinite(a->steps_flat[k].step_length_m) && n > 1) {
                len_sum += a->steps_flat[k].step_length_m;
                n_len++;
            }
        }
        if (isfinite(b->cadence_spm) && b->cadence_spm > 0.0 && n >= 3 && last > first) {
            const double cad = stride_cadence(a, b->start_s - 0.05, b->end_s + 0.05);
            const double rel = fabs(cad - b->cadence_spm) / b->cadence_spm;
            /* the reference's own contacts by the same rule: the part of the error that is not
             * the detection (the reference's strides are per foot, over its own stride list) */
            const double cref =
                stride_cadence_of(t->ic_s, t->n_ic, b->start_s - 0.05, b->end_s + 0.05);
            if (isfinite(cad)) {
                g->n_cad++;
                g->sum_cad_err += rel;
                g->sum_cad_abs += fabs(cad - b->cadence_spm);
                if (rel > g->max_cad_err)
                    g->max_cad_err = rel;
                if (isfinite(cref)) {
                    const double rr = fabs(cref - b->cadence_spm) / b->cadence_spm;
                    g->n_cad_ref++;
                    g->sum_cad_ref_err += rr;
                    if (rr > g->max_cad_ref_err)
                        g->max_cad_ref_err = rr;
                }
            }
        }
        if (n_len >= 2 && isfinite(b->stride_length_m) && b->stride_length_m > 0.0) {
            const double sl = 2.0 * len_sum / (double)n_len;
            g->n_bsl++;
            g->sum_bsl_abs += fabs(sl - b->stride_length_m);
            g->sum_bsl_bias += sl - b->stride_length_m;
            g->sum_bsl_rel += fabs(sl - b->stride_length_m) / b->stride_length_m;
        }
        if (n_len >= 2 && isfinite(b->speed_mps) && b->speed_mps > 0.0 && last > first) {
            const double v = len_sum / (last - first);
            g->n_bspeed++;
            g->sum_bspeed_abs += fabs(v - b->speed_mps);
            g->sum_bspeed_rel += fabs(v - b->speed_mps) / b->speed_mps;
        }
    }
    if (t->n_alt_ic > 0 && t->n_alt_bouts > 0) {
        double *ref = malloc((t->n_alt_ic + 1) * sizeof(double));
        double *det = malloc((bstep__analysis_n_steps(a) + t->n_ic + 1) * sizeof(double));
        size_t nr = 0, nd = 0;
        double sdt = 0.0;
        if (ref != NULL && det != NULL) {
            for (i = 0; i < t->n_alt_ic; i++)
                if (in_bouts(t->alt_bouts, t->n_alt_bouts, t->alt_ic_s[i]))
                    ref[nr++] = t->alt_ic_s[i];
            for (k = 0; k < bstep__analysis_n_steps(a); k++)
                if (in_bouts(t->alt_bouts, t->n_alt_bouts, a->steps_flat[k].ic_s))
                    det[nd++] = a->steps_flat[k].ic_s;
            g->alt_tp += match_lists(ref, nr, det, nd, &sdt);
            g->alt_ref += nr;
            g->alt_det += nd;
            g->alt_sum_dt += sdt;
            nd = 0;
            for (i = 0; i < t->n_ic; i++)
                if (in_bouts(t->alt_bouts, t->n_alt_bouts, t->ic_s[i]))
                    det[nd++] = t->ic_s[i];
            qsort(det, nd, sizeof(double), cmp_double);
            g->xref_tp += match_lists(ref, nr, det, nd, &sdt);
            g->xref_det += nd;
            g->xref_sum_dt += sdt;
            snprintf(g->alt_system, sizeof(g->alt_system), "%s",
                     t->alt_system[0] ? t->alt_system : "alt_reference");
        }
        free(ref);
        free(det);
    }
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t i, j, n = strlen(needle);
    for (i = 0; hay[i]; i++) {
        for (j = 0; j < n && hay[i + j] && (hay[i + j] | 0x20) == (needle[j] | 0x20); j++)
            ;
        if (j == n)
            return 1;
    }
    return 0;
}

/* Falls against file labels (sisfall, umafall): a fall file is detected when a fall event lies
 * within -2..+3 s of the impact (the whole recording when no impact time is given); every other
 * fall event is a false alarm. Near-fall files (activity mentions a stumble) count stumble
 * events. Walking / jogging ADL files give the false alarms per hour of walking. */
static void score_falls(group_score *g, const bstep__truth *t, const bstep__analysis *a)
{
    size_t i, n_fall = 0, n_stumble = 0, hit = 0;
    double best = (double)NAN;
    int walking_adl = 0;
    if (t->fall < 0)
        return;
    for (i = 0; i < t->n_segments; i++)
        if (strncmp(t->segments[i].activity, "walk", 4) == 0 ||
            strcmp(t->segments[i].activity, "jog") == 0)
            walking_adl = 1;
    for (i = 0; i < bstep__analysis_n_events(a); i++) {
        const bstep__event_row *e = &a->events_flat[i];
        if (strcmp(e->type, "stumble") == 0)
            n_stumble++;
        if (strcmp(e->type, "fall") != 0)
            continue;
        n_fall++;
        if (t->fall == 1 && (!isfinite(t->impact_s) ||
                             (e->t_s >= t->impact_s - 2.0 && e->t_s <= t->impact_s + 3.0))) {
            if (!hit && isfinite(t->impact_s))
                best = fabs(e->t_s - t->impact_s);
            hit = 1;
        }
    }
    if (t->fall == 1) {
        const int bw = contains_nocase(t->fall_activity, "backward");
        g->fall_files++;
        g->fall_detected += hit;
        g->fall_bw_files += bw;
        g->fall_bw_detected += bw && hit;
        g->fall_extra += n_fall - hit;
        if (isfinite(best)) {
            g->n_impact++;
            g->sum_impact_err += best;
        }
    } else {
        g->adl_files++;
        g->adl_alarm += n_fall > 0;
        if (walking_adl) {
            g->adl_walk_s += a->duration_s;
            g->adl_walk_alarms += n_fall;
        }
        if (contains_nocase(t->fall_activity, "stumble")) {
            g->nearfall_files++;
            g->nearfall_stumble += n_stumble > 0;
        }
    }
}

/* Simulator truth events: a detection within 1.5 s (falls: -1..+3 s) of a truth event of the
 * same type is a hit; the other detections are false alarms, per hour of walking. */
static void score_sim_events(group_score *g, const bstep__truth *t, const bstep__analysis *a)
{
    static const char *const types[3] = {"stumble", "fall", "look-back"};
    size_t i, k;
    int ty;
    if (t->front_axis[0] == '\0' || strstr(t->placement, "foot") != NULL)
        return;
    for (i = 0; i < t->n_segments; i++)
        if (strncmp(t->segments[i].activity, "walk", 4) == 0)
            g->ev_walk_s += t->segments[i].end_s - t->segments[i].start_s;
    for (ty = 0; ty < 3; ty++) {
        unsigned char used[512];
        const size_t nd = bstep__analysis_n_events(a) < 512 ? bstep__analysis_n_events(a) : 512;
        memset(used, 0, sizeof(used));
        for (i = 0; i < t->n_events; i++) {
            if (strcmp(t->events[i].type, types[ty]) != 0)
                continue;
            g->ev_ref[ty]++;
            for (k = 0; k < nd; k++) {
                const double d = a->events_flat[k].t_s - t->events[i].t_s;
                if (used[k] || strcmp(a->events_flat[k].type, types[ty]) != 0)
                    continue;
                if (ty == 1 ? (d >= -1.0 && d <= 3.0) : fabs(d) <= 1.5) {
                    used[k] = 1;
                    g->ev_hit[ty]++;
                    break;
                }
            }
        }
        for (k = 0; k < nd; k++)
            if (!used[k] && strcmp(a->events_flat[k].type, types[ty]) == 0)
                g->ev_false[ty]++;
    }
}

/* The direction a truth activity implies, or UNKNOWN (turn, stand, fall, unlabelled). */
static bstep_direction expected_direction(const char *activity)
{
    if (strstr(activity, "backward") != NULL)
        return BSTEP_DIRECTION_BACKWARD;
    if (strcmp(activity, "side-left") == 0)
        return BSTEP_DIRECTION_SIDEWAYS_LEFT;
    if (strcmp(activity, "side-right") == 0)
        return BSTEP_DIRECTION_SIDEWAYS_RIGHT;
    if (strncmp(activity, "walk", 4) == 0 || strcmp(activity, "jog") == 0 ||
        strcmp(activity, "run") == 0 || strcmp(activity, "sprint") == 0)
        return BSTEP_DIRECTION_FORWARD;
    return BSTEP_DIRECTION_UNKNOWN;
}

/* Gait quantities beyond contacts: stride length, direction, strike, distance. */
static void score_gait(group_score *g, const bstep__truth *t, const bstep__analysis *a)
{
    const int trunk =
        a->placement == BSTEP_PLACEMENT_LOWER_BACK || a->placement == BSTEP_PLACEMENT_POCKET;
    size_t i, k;
    double bw_truth = 0.0, bw_det = 0.0, turn_before = 0.0, prev_dist = 0.0; /* prev: backward */
    double course_truth = 0.0, course_det = 0.0;
    int bw_segments = 0, prev_turn = 0, course_segments = 0, course_incomplete = 0;
    /* Stride length and per-step truth: the detected contact nearest (<= 100 ms) each truth one. */
    for (i = 0; i < t->n_strides; i++) {
        const bstep__step_row *best = NULL;
        double bd = MATCH_S;
        for (k = 0; k < bstep__analysis_n_steps(a); k++) {
            const double dt = fabs(a->steps_flat[k].ic_s - t->stride_ic_s[i]);
            if (dt <= bd) {
                bd = dt;
                best = &a->steps_flat[k];
            }
        }
        if (best == NULL)
            continue;
        if (isfinite(t->stride_length_m[i]) && isfinite(best->stride_length_m)) {
            const double e = best->stride_length_m - t->stride_length_m[i];
            if (t->stride_turning[i]) {
                g->n_len_turn++;
                g->sum_abs_len_turn += fabs(e);
            } else {
                g->n_len++;
                g->sum_abs_len += fabs(e);
                g->sum_len += e;
            }
        }
        if (t->stride_direction[i][0]) {
            bstep_direction d;
            g->step_dir_n++;
            if (bstep_direction_parse(t->stride_direction[i], &d) == BSTEP_OK &&
                d == best->direction)
                g->step_dir_ok++;
        }
        if (t->stride_strike[i][0]) {
            bstep_strike st;
            g->step_strike_n++;
            if (bstep_strike_parse(t->stride_strike[i], &st) == BSTEP_OK && st == best->strike)
                g->step_strike_ok++;
        }
    }
    /* Strike pattern of the detected strides. */
    for (k = 0; k < bstep__analysis_n_steps(a); k++) {
        const bstep__step_row *r = &a->steps_flat[k];
        if (r->direction == BSTEP_DIRECTION_FORWARD && r->strike != BSTEP_STRIKE_UNKNOWN) {
            g->fw_n++;
            g->fw_heel += r->strike == BSTEP_STRIKE_HEEL;
        } else if (r->direction == BSTEP_DIRECTION_BACKWARD && r->strike != BSTEP_STRIKE_UNKNOWN) {
            g->bw_n++;
            g->bw_toe += r->strike == BSTEP_STRIKE_TOE;
        }
    }
    /* Direction and distance against the labelled segments. */
    for (i = 0; i < t->n_segments; i++) {
        const bstep__truth_segment *sg = &t->segments[i];
        const bstep_direction want = expected_direction(sg->activity);
        const int is_bw = want == BSTEP_DIRECTION_BACKWARD;
        double dist = 0.0, bw_along_end = 0.0;
        int have_len = 0;
        for (k = 0; k < bstep__analysis_n_steps(a); k++) {
            const bstep__step_row *r = &a->steps_flat[k];
            if (r->ic_s < sg->start_s || r->ic_s >= sg->end_s)
                continue;
            if (r->direction != BSTEP_DIRECTION_UNKNOWN) {
                if (is_bw) {
                    g->bw_in++;
                    g->bw_in_backward += r->direction == BSTEP_DIRECTION_BACKWARD;
                } else {
                    g->bw_out++;
                    g->bw_out_backward += r->direction == BSTEP_DIRECTION_BACKWARD;
                }
                if (want != BSTEP_DIRECTION_UNKNOWN) {
                    g->dir_expect++;
                    g->dir_expect_ok += r->direction == want;
                }
            }
            {
                /* trunk contacts carry their step (every contact of either foot), foot contacts
                 * the stride of that foot */
                const double len = trunk ? r->step_length_m : r->stride_length_m;
                if (isfinite(len)) {
                    dist += len;
                    have_len = 1;
                }
                /* the part of the stride walked backward with respect to the heading the foot
                 * has at the stride's end (the stride vector is in the frame of the mean
                 * heading, half the turn before the end) */
                if (isfinite(r->stride_forward_m) && isfinite(r->stride_left_m) &&
                    isfinite(r->turn_deg)) {
                    const double h = r->turn_deg * (3.14159265358979323846 / 360.0);
                    const double along =
                        -(r->stride_forward_m * cos(h) + r->stride_left_m * sin(h));
                    if (along > 0.0)
                        bw_along_end += along;
                }
            }
        }
        if (have_len && isfinite(sg->distance_m) && sg->distance_m > 0.0) {
            activity_score *as = activity(g, sg->activity[0] ? sg->activity : "unlabelled");
            const double rel = fabs(dist - sg->distance_m) / sg->distance_m;
            if (as != NULL) {
                as->n_dist++;
                as->sum_abs_dist_err += rel;
                if (rel > as->max_abs_dist_err)
                    as->max_abs_dist_err = rel;
            }
        }
        if (is_bw && isfinite(sg->distance_m)) {
            if (bw_segments == 0 && prev_turn)
                turn_before = prev_dist;
            bw_truth += sg->distance_m;
            bw_det += dist;
            bw_segments++;
        }
        /* the course: segments with a distance and the turns between them; a walking segment
         * without one (a truncated recording) leaves the course unknown */
        if (isfinite(sg->distance_m) && sg->distance_m > 0.0) {
            course_det += dist;
            course_truth += sg->distance_m;
            course_segments++;
        } else if (strcmp(sg->activity, "turn") == 0) {
            course_det += dist;
        } else if (strcmp(sg->activity, "stand") != 0) {
            course_incomplete = 1;
        }
        prev_turn = strcmp(sg->activity, "turn") == 0;
        prev_dist = bw_along_end;
    }
    if (!course_incomplete && course_segments >= 2 && course_truth > 0.0) {
        const double rel = (course_det - course_truth) / course_truth;
        g->n_course++;
        g->sum_course_err += fabs(rel);
        g->sum_course_signed += rel;
        if (fabs(rel) > g->max_course_err)
            g->max_course_err = fabs(rel);
    }
    if (bw_segments > 0 && bw_truth > 0.0) {
        const double rel = fabs(bw_det + turn_before - bw_truth) / bw_truth;
        g->n_bwt_dist++;
        g->sum_bwt_dist_err += rel;
        if (rel > g->max_bwt_dist_err)
            g->max_bwt_dist_err = rel;
    }
    if (bw_segments > 0 && bw_truth > 0.0) {
        const double rel = fabs(bw_det - bw_truth) / bw_truth;
        g->n_bw_dist++;
        g->sum_bw_dist_err += rel;
        if (rel > g->max_bw_dist_err)
            g->max_bw_dist_err = rel;
    }
}

/* A number, or "-" where it does not apply. */
static void fmt(char *buf, size_t cap, double v, int decimals)
{
    if (isfinite(v))
        snprintf(buf, cap, "%.*f", decimals, v);
    else
        snprintf(buf, cap, "-");
}

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : ((double)NAN);
}

static double f1(uint64_t tp, uint64_t ref, uint64_t det)
{
    return ref + det > 0 ? 2.0 * (double)tp / (double)(ref + det) : ((double)NAN);
}

static void help(void)
{
    printf(
        "Usage: backstep validate DIR... [OPTIONS]\n\n"
        "Score the analysis against reference recordings. Every NAME.truth.json under each DIR\n"
        "(format: ../shared/data/README.md section 2; `backstep simulate --truth` writes it)\n"
        "names its recording and placement; the recording is analysed exactly as `backstep\n"
        "analyze` does and its initial contacts are matched one-to-one with the reference ones\n"
        "within 100 ms. Only the part each truth covers is scored: its event_window_s, else\n"
        "its segments widened by 0.5 s on each side (a detection up to 0.5 s outside a\n"
        "segment is a match or a false positive; docs/validation.md says why), else the whole\n"
        "recording. Per dataset folder and placement it prints: files, reference contacts,\n"
        "detected contacts, precision, recall, F1, mean absolute timing error of matched "
        "contacts,\n"
        "mean and worst per-file step-count error, then the same per truth activity segment;\n"
        "where the truth allows: stride-length error, direction inside and outside backward\n"
        "segments, agreement with segment labels and per-step truth, strike pattern,\n"
        "distance per segment; backward distance per file (strides in backward segments, and\n"
        "with what the turn segment just before them walked backward along its end heading);\n"
        "the course distance per file (strides in segments with a distance and in the turns\n"
        "between them against the sum of the distances: free of segment boundaries);\n"
        "cadence, stride length and speed per reference bout (mobgap\n"
        "bouts: cadence of the detected contacts inside the bout, the mean of 120 / stride\n"
        "time without strides under half the median, and the same of the reference's own\n"
        "contacts); the contacts against a second reference system\n"
        "(alt_reference), and the two references against each other inside its bouts (how\n"
        "far the references agree); left/right of matched contacts; falls against file labels (a "
        "fall\n"
        "event within -2..+3 s of impact_s; any fall event elsewhere is a false alarm); the\n"
        "simulator's stumble, fall and look-back events (false alarms per hour of walking).\n\n"
        "Options:\n"
        "  --min-f1 X              fail (exit 1) if a group's F1 is below X (0..1)\n"
        "  --max-timing-ms X       fail if a group's timing error exceeds X ms\n"
        "  --max-count-error-pct X fail if a file's step-count error exceeds X %%\n"
        "  --max-stride-error-cm X fail if the stride-length error exceeds X cm\n"
        "  --min-backward-inside-pct X   fail if fewer than X %% of the strides inside\n"
        "                          backward segments are labelled backward\n"
        "  --max-backward-outside-pct X  fail if more than X %% of the strides elsewhere are\n"
        "                          labelled backward\n"
        "  --min-heel-first-pct X  fail if fewer than X %% of the forward strides land heel\n"
        "                          first\n"
        "  --max-backward-distance-error-pct X  fail if a file's backward distance (strides in\n"
        "                          backward segments) is off its truth by more than X %%\n"
        "  --max-cadence-error-pct X     fail if the mean cadence error per reference bout\n"
        "                          exceeds X %%\n"
        "  --min-fall-sensitivity-pct X  fail if fewer than X %% of the fall recordings have a\n"
        "                          fall event within -2..+3 s of the impact\n"
        "  --front-axis A          trunk/pocket mounting for every file: +x|-x|+y|-y|+z|-z|auto,\n"
        "                          or truth (the truth file's front_axis, simulated data);\n"
        "                          default auto (learned from the first bout)\n"
        "  --accel-range G         foot sensors' accelerometer full scale in g (2..400) or\n"
        "                          none, for every file, as for backstep analyze (default 16)\n"
        "  --only P                score only files whose placement starts with P\n"
        "                          (e.g. foot, lower-back)\n"
        "  --verbose               one line per file on standard error\n"
        "  --help                  this text\n\n"
        "Exit status: 0 all thresholds hold, 1 a threshold failed, 2 usage error,\n"
        "3 a truth file or recording could not be read (it is reported and the rest still run).\n");
}

int bstep_cmd_validate(int argc, char **argv)
{
    const char *cmd = "validate";
    bstep__opts o;
    const char *dirs[256];
    size_t ndirs = 0, di;
    double min_f1 = -1.0, max_timing_ms = -1.0, max_count_pct = -1.0, max_stride_cm = -1.0,
           min_bw_in_pct = -1.0, max_bw_out_pct = -1.0, max_cad_pct = -1.0, min_fall_pct = -1.0,
           min_heel_pct = -1.0, max_bw_dist_pct = -1.0;
    const char *front = NULL;
    const char *only = NULL;
    double accel_range_mps2 = 0.0; /* 0: the analyzer's default (16 g) */
    int verbose = 0, ng = 0, gi, fail = 0, input_errors = 0, tty = isatty(2);
    group_score *groups = calloc(MAX_GROUPS, sizeof(group_score));

    if (groups == NULL)
        return BSTEP_EXIT_INPUT;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL) {
            if (ndirs == sizeof(dirs) / sizeof(dirs[0])) {
                free(groups);
                return bstep__usage_error(cmd, "too many folders");
            }
            dirs[ndirs++] = o.arg;
            continue;
        }
        if (strcmp(o.name, "help") == 0) {
            help();
            free(groups);
            return BSTEP_EXIT_OK;
        }
        if (strcmp(o.name, "verbose") == 0) {
            verbose = 1;
            continue;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL) {
            free(groups);
            return BSTEP_EXIT_USAGE;
        }
        if ((strcmp(o.name, "min-f1") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 1.0, &min_f1) != 0) ||
            (strcmp(o.name, "max-timing-ms") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 1e6, &max_timing_ms) != 0) ||
            (strcmp(o.name, "max-count-error-pct") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 1e6, &max_count_pct) != 0) ||
            (strcmp(o.name, "max-stride-error-cm") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 1e6, &max_stride_cm) != 0) ||
            (strcmp(o.name, "min-backward-inside-pct") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 100.0, &min_bw_in_pct) != 0) ||
            (strcmp(o.name, "max-backward-outside-pct") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 100.0, &max_bw_out_pct) != 0) ||
            (strcmp(o.name, "max-cadence-error-pct") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 1e6, &max_cad_pct) != 0) ||
            (strcmp(o.name, "min-fall-sensitivity-pct") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 100.0, &min_fall_pct) != 0) ||
            (strcmp(o.name, "min-heel-first-pct") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 100.0, &min_heel_pct) != 0) ||
            (strcmp(o.name, "max-backward-distance-error-pct") == 0 &&
             bstep__parse_double(cmd, o.name, v, 0.0, 1e6, &max_bw_dist_pct) != 0)) {
            free(groups);
            return BSTEP_EXIT_USAGE;
        }
        if (strcmp(o.name, "only") == 0)
            only = v;
        else if (strcmp(o.name, "accel-range") == 0) {
            if (bstep__parse_accel_range(cmd, v, &accel_range_mps2) != 0) {
                free(groups);
                return BSTEP_EXIT_USAGE;
            }
        } else if (strcmp(o.name, "front-axis") == 0) {
            bstep_axis ax;
            if (strcmp(v, "truth") != 0 && bstep_axis_parse(v, &ax) != BSTEP_OK) {
                free(groups);
                return bstep__usage_error(cmd,
                                          "--front-axis: expected +x|-x|+y|-y|+z|-z|auto|truth");
            }
            front = v;
        } else if (strcmp(o.name, "max-cadence-error-pct") != 0 &&
                   strcmp(o.name, "min-heel-first-pct") != 0 &&
                   strcmp(o.name, "max-backward-distance-error-pct") != 0 &&
                   strcmp(o.name, "min-fall-sensitivity-pct") != 0 &&
                   strcmp(o.name, "min-f1") != 0 && strcmp(o.name, "max-timing-ms") != 0 &&
                   strcmp(o.name, "max-count-error-pct") != 0 &&
                   strcmp(o.name, "max-stride-error-cm") != 0 &&
                   strcmp(o.name, "min-backward-inside-pct") != 0 &&
                   strcmp(o.name, "max-backward-outside-pct") != 0) {
            free(groups);
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (ndirs == 0) {
        free(groups);
        return bstep__usage_error(cmd, "no folder given");
    }

    for (di = 0; di < ndirs; di++) {
        DIR *d = opendir(dirs[di]);
        struct dirent *de;
        char **names = NULL;
        size_t nn = 0, cap = 0, k;
        const char *base = strrchr(dirs[di], '/');
        char dsname[128];
        if (d == NULL) {
            fprintf(stderr, "backstep validate: %s: cannot open folder\n", dirs[di]);
            input_errors++;
            continue;
        }
        /* Dataset name: the folder's last component (trailing slashes ignored). */
        snprintf(dsname, sizeof(dsname), "%s", dirs[di]);
        while (strlen(dsname) > 1 && dsname[strlen(dsname) - 1] == '/')
            dsname[strlen(dsname) - 1] = '\0';
        base = strrchr(dsname, '/');
        if (base != NULL)
            memmove(dsname, base + 1, strlen(base + 1) + 1);
        while ((de = readdir(d)) != NULL) {
            size_t len = strlen(de->d_name);
            if (len > 11 && strcmp(de->d_name + len - 11, ".truth.json") == 0) {
                if (nn == cap) {
                    char **q;
                    cap = cap ? cap * 2 : 64;
                    q = realloc(names, cap * sizeof(*names));
                    if (q == NULL)
                        break;
                    names = q;
                }
                names[nn] = malloc(len + 1);
                if (names[nn] == NULL)
                    break;
                memcpy(names[nn], de->d_name, len + 1);
                nn++;
            }
        }
        closedir(d);
        if (nn > 0)
            qsort(names, nn, sizeof(*names), cmp_str);
        if (nn == 0)
            fprintf(stderr, "backstep validate: %s: no *.truth.json files\n", dirs[di]);
        for (k = 0; k < nn; k++) {
            char tpath[2048], rpath[2048], err[1024], gname[160];
            bstep__truth t;
            bstep__analysis a;
            bstep__analysis_options opt;
            const char *pname;
            group_score *g;
            snprintf(tpath, sizeof(tpath), "%s/%s", dirs[di], names[k]);
            if (tty)
                fprintf(stderr, "\rvalidating %s (%zu/%zu)%20s", dsname, k + 1, nn, "");
            if (bstep__truth_load(tpath, &t, err, sizeof(err)) != BSTEP_OK) {
                fprintf(stderr, "%sbackstep validate: %s\n", tty ? "\n" : "", err);
                input_errors++;
                continue;
            }
            memset(&opt, 0, sizeof(opt));
            opt.mass_kg = (double)NAN;
            opt.accel_range_mps2 = accel_range_mps2;
            pname = placement_for_truth(t.placement, &opt.placement);
            if (front != NULL) {
                const char *ax = strcmp(front, "truth") == 0 ? t.front_axis : front;
                if (bstep_axis_parse(ax, &opt.front_axis) != BSTEP_OK)
                    opt.front_axis = BSTEP_AXIS_AUTO;
            }
            if (only != NULL && strncmp(pname, only, strlen(only)) != 0) {
                bstep__truth_free(&t);
                continue;
            }
            snprintf(gname, sizeof(gname), "%s %s", dsname, t.placement[0] ? t.placement : pname);
            g = group(groups, &ng, gname);
            snprintf(rpath, sizeof(rpath), "%s/%s", dirs[di], t.recording);
            if (bstep__analyze_file(rpath, &opt, &a, err, sizeof(err)) != BSTEP_OK ||
                bstep__analysis_flatten(&a) != BSTEP_OK) { /* scoring reads rows as arrays */
                if (bstep__analysis_rows_status(&a) == BSTEP_OK && a.steps_flat == NULL)
                    snprintf(err, sizeof(err), "out of memory for the rows of %.900s", rpath);
                fprintf(stderr, "%sbackstep validate: %s\n", tty ? "\n" : "", err);
                if (g != NULL)
                    g->failed++;
                input_errors++;
            } else if (g != NULL) {
                score_file(g, &t, &a, verbose, names[k]);
                if (strncmp(pname, "foot", 4) == 0)
                    score_final_contacts(g, &t, &a);
                score_gait(g, &t, &a);
                score_bouts(g, &t, &a);
                score_falls(g, &t, &a);
                score_sim_events(g, &t, &a);
            }
            bstep__analysis_free(&a);
            bstep__truth_free(&t);
        }
        if (tty)
            fprintf(stderr, "\r%70s\r", "");
        for (k = 0; k < nn; k++)
            free(names[k]);
        free(names);
    }

    printf("%-34s %5s %7s %7s %6s %6s %6s %9s %9s %9s\n", "dataset / placement", "files", "ref",
           "det", "prec", "recall", "F1", "MAE ms", "count %", "worst %");
    for (gi = 0; gi < ng; gi++) {
        const group_score *g = &groups[gi];
        const double prec = g->det ? (double)g->tp / (double)g->det : ((double)NAN);
        const double rec = g->ref ? (double)g->tp / (double)g->ref : ((double)NAN);
        const double F1 = g->ref ? f1(g->tp, g->ref, g->det) : (double)NAN;
        const double mae = g->tp ? 1000.0 * g->sum_abs_dt / (double)g->tp : ((double)NAN);
        const double cnt =
            g->n_count_err ? 100.0 * g->sum_count_err / (double)g->n_count_err : ((double)NAN);
        int a;
        {
            char cp[16], cr[16], cf[16], cm[16], cc[16], cw[16];
            fmt(cp, sizeof(cp), prec, 3);
            fmt(cr, sizeof(cr), rec, 3);
            fmt(cf, sizeof(cf), F1, 3);
            fmt(cm, sizeof(cm), mae, 1);
            fmt(cc, sizeof(cc), cnt, 2);
            fmt(cw, sizeof(cw), g->n_count_err ? 100.0 * g->max_count_err : (double)NAN, 2);
            printf("%-34s %5llu %7llu %7llu %6s %6s %6s %9s %9s %9s%s\n", g->name,
                   (unsigned long long)g->files, (unsigned long long)g->ref,
                   (unsigned long long)g->det, g->ref ? cp : "-", cr, cf, cm, cc, cw,
                   g->failed ? "  (some files failed)" : "");
        }
        for (a = 0; a < g->n_act; a++) {
            const activity_score *s = &g->act[a];
            if (s->n_dist > 0)
                printf("  %-32s distance error per segment: mean %.1f %%, worst %.1f %% (%llu "
                       "segments)\n",
                       s->activity, 100.0 * s->sum_abs_dist_err / (double)s->n_dist,
                       100.0 * s->max_abs_dist_err, (unsigned long long)s->n_dist);
            if (s->ref > 0)
                printf("  %-32s %5llu %7llu %7llu %6s %6.3f %6.3f\n", s->activity,
                       (unsigned long long)s->segs, (unsigned long long)s->ref,
                       (unsigned long long)s->det, "",
                       s->ref ? (double)s->tp / (double)s->ref : 0.0, f1(s->tp, s->ref, s->det));
            else if (s->swings_ref > 0)
                printf("  %-32s %5llu segments: %llu strides detected, %llu swings annotated\n",
                       s->activity, (unsigned long long)s->segs, (unsigned long long)s->swings_det,
                       (unsigned long long)s->swings_ref);
        }
        if (g->n_len > 0)
            printf("  stride length: %llu strides, MAE %.1f cm, bias %+.1f cm",
                   (unsigned long long)g->n_len, 100.0 * g->sum_abs_len / (double)g->n_len,
                   100.0 * g->sum_len / (double)g->n_len);
        if (g->n_len_turn > 0)
            printf("; turning strides: %llu, MAE %.1f cm", (unsigned long long)g->n_len_turn,
                   100.0 * g->sum_abs_len_turn / (double)g->n_len_turn);
        if (g->n_len > 0 || g->n_len_turn > 0)
            printf("\n");
        if (g->bw_in > 0)
            printf("  direction: inside backward segments %llu/%llu (%.1f %%) backward; elsewhere "
                   "%llu/%llu (%.1f %%) backward\n",
                   (unsigned long long)g->bw_in_backward, (unsigned long long)g->bw_in,
                   pct(g->bw_in_backward, g->bw_in), (unsigned long long)g->bw_out_backward,
                   (unsigned long long)g->bw_out, pct(g->bw_out_backward, g->bw_out));
        if (g->dir_expect > 0)
            printf("  direction agrees with the segment label for %llu/%llu strides (%.1f %%)\n",
                   (unsigned long long)g->dir_expect_ok, (unsigned long long)g->dir_expect,
                   pct(g->dir_expect_ok, g->dir_expect));
        if (g->step_dir_n > 0)
            printf("  direction per step (truth): %llu/%llu (%.1f %%)\n",
                   (unsigned long long)g->step_dir_ok, (unsigned long long)g->step_dir_n,
                   pct(g->step_dir_ok, g->step_dir_n));
        if (g->step_strike_n > 0)
            printf("  strike class per step (truth): %llu/%llu (%.1f %%)\n",
                   (unsigned long long)g->step_strike_ok, (unsigned long long)g->step_strike_n,
                   pct(g->step_strike_ok, g->step_strike_n));
        if (g->fc_ref > 0)
            printf("  final contacts: %llu reference, %llu detected, F1 %.3f, MAE %.1f ms\n",
                   (unsigned long long)g->fc_ref, (unsigned long long)g->fc_det,
                   f1(g->fc_tp, g->fc_ref, g->fc_det),
                   g->fc_tp ? 1000.0 * g->fc_sum_dt / (double)g->fc_tp : (double)NAN);
        if (g->fw_n > 0)
            printf("  strike: forward strides heel-first %llu/%llu (%.1f %%)\n",
                   (unsigned long long)g->fw_heel, (unsigned long long)g->fw_n,
                   pct(g->fw_heel, g->fw_n));
        if (g->bw_n > 0)
            printf("  strike: backward strides toe-first %llu/%llu (%.1f %%)\n",
                   (unsigned long long)g->bw_toe, (unsigned long long)g->bw_n,
                   pct(g->bw_toe, g->bw_n));
        if (g->n_bw_dist > 0)
            printf("  backward distance per file: mean error %.1f %%, worst %.1f %% (%llu files)\n",
                   100.0 * g->sum_bw_dist_err / (double)g->n_bw_dist, 100.0 * g->max_bw_dist_err,
                   (unsigned long long)g->n_bw_dist);
        if (g->n_bwt_dist > 0)
            printf("  backward distance with the turn before: mean error %.1f %%, worst %.1f %% "
                   "(%llu files)\n",
                   100.0 * g->sum_bwt_dist_err / (double)g->n_bwt_dist, 100.0 * g->max_bwt_dist_err,
                   (unsigned long long)g->n_bwt_dist);
        if (g->n_course > 0)
            printf("  course distance per file (all strides in the segments, turns included): "
                   "mean error %.1f %% (bias %+.1f %%), worst %.1f %% (%llu files)\n",
                   100.0 * g->sum_course_err / (double)g->n_course,
                   100.0 * g->sum_course_signed / (double)g->n_course, 100.0 * g->max_course_err,
                   (unsigned long long)g->n_course);
        if (g->n_cad > 0)
            printf("  cadence per reference bout: %llu bouts, mean error %.2f %% (%.2f steps/min), "
                   "worst %.2f %%\n",
                   (unsigned long long)g->n_cad, 100.0 * g->sum_cad_err / (double)g->n_cad,
                   g->sum_cad_abs / (double)g->n_cad, 100.0 * g->max_cad_err);
        if (g->n_cad_ref > 0)
            printf("  cadence of the reference's own contacts by the same rule: %llu bouts, mean "
                   "error %.2f %%, worst %.2f %%\n",
                   (unsigned long long)g->n_cad_ref,
                   100.0 * g->sum_cad_ref_err / (double)g->n_cad_ref, 100.0 * g->max_cad_ref_err);
        if (g->n_bsl > 0)
            printf("  stride length per reference bout: MAE %.1f cm (%.1f %%), bias %+.1f cm\n",
                   100.0 * g->sum_bsl_abs / (double)g->n_bsl,
                   100.0 * g->sum_bsl_rel / (double)g->n_bsl,
                   100.0 * g->sum_bsl_bias / (double)g->n_bsl);
        if (g->n_bspeed > 0)
            printf("  speed per reference bout: MAE %.3f m/s (%.1f %%)\n",
                   g->sum_bspeed_abs / (double)g->n_bspeed,
                   100.0 * g->sum_bspeed_rel / (double)g->n_bspeed);
        if (g->alt_ref > 0)
            printf("  vs %-29s %7llu %7llu %6.3f %6.3f %6.3f %9.1f\n", g->alt_system,
                   (unsigned long long)g->alt_ref, (unsigned long long)g->alt_det,
                   g->alt_det ? (double)g->alt_tp / (double)g->alt_det : 0.0,
                   (double)g->alt_tp / (double)g->alt_ref, f1(g->alt_tp, g->alt_ref, g->alt_det),
                   g->alt_tp ? 1000.0 * g->alt_sum_dt / (double)g->alt_tp : 0.0);
        if (g->alt_ref > 0)
            printf("  reference vs %-20s %7llu %7llu %6.3f %6.3f %6.3f %9.1f\n", g->alt_system,
                   (unsigned long long)g->alt_ref, (unsigned long long)g->xref_det,
                   g->xref_det ? (double)g->xref_tp / (double)g->xref_det : 0.0,
                   (double)g->xref_tp / (double)g->alt_ref, f1(g->xref_tp, g->alt_ref, g->xref_det),
                   g->xref_tp ? 1000.0 * g->xref_sum_dt / (double)g->xref_tp : 0.0);
        if (g->lr_n > 0)
            printf("  left/right of matched contacts: %llu/%llu (%.1f %%)\n",
                   (unsigned long long)g->lr_ok, (unsigned long long)g->lr_n,
                   pct(g->lr_ok, g->lr_n));
        if (g->fall_files > 0)
            printf("  falls: %llu/%llu detected (%.1f %%), backward %llu/%llu; impact time error "
                   "%.2f s; %llu extra fall events in fall files\n",
                   (unsigned long long)g->fall_detected, (unsigned long long)g->fall_files,
                   pct(g->fall_detected, g->fall_files), (unsigned long long)g->fall_bw_detected,
                   (unsigned long long)g->fall_bw_files,
                   g->n_impact ? g->sum_impact_err / (double)g->n_impact : (double)NAN,
                   (unsigned long long)g->fall_extra);
        if (g->adl_files > 0)
            printf("  no-fall recordings: %llu/%llu with a false fall alarm; walking/jogging "
                   "ones: %llu alarms in %.1f min%s",
                   (unsigned long long)g->adl_alarm, (unsigned long long)g->adl_files,
                   (unsigned long long)g->adl_walk_alarms, g->adl_walk_s / 60.0,
                   g->nearfall_files ? "" : "\n");
        if (g->nearfall_files > 0)
            printf("; near falls with a stumble event %llu/%llu\n",
                   (unsigned long long)g->nearfall_stumble, (unsigned long long)g->nearfall_files);
        {
            static const char *const names[3] = {"stumbles", "falls", "look-backs"};
            int ty;
            for (ty = 0; ty < 3; ty++)
                if (g->ev_ref[ty] > 0 || g->ev_false[ty] > 0)
                    printf("  %s: %llu/%llu detected, %llu false (%.2f per hour of walking)\n",
                           names[ty], (unsigned long long)g->ev_hit[ty],
                           (unsigned long long)g->ev_ref[ty], (unsigned long long)g->ev_false[ty],
                           g->ev_walk_s > 0.0 ? (double)g->ev_false[ty] * 3600.0 / g->ev_walk_s
                                              : 0.0);
        }
        if (g->n_cad > 0 && max_cad_pct >= 0.0 &&
            !(100.0 * g->sum_cad_err / (double)g->n_cad <= max_cad_pct)) {
            printf("FAIL %s: cadence error per bout %.2f %% > %.2f %%\n", g->name,
                   100.0 * g->sum_cad_err / (double)g->n_cad, max_cad_pct);
            fail = 1;
        }
        if (g->fall_files > 0 && min_fall_pct >= 0.0 &&
            !(pct(g->fall_detected, g->fall_files) >= min_fall_pct)) {
            printf("FAIL %s: fall sensitivity %.1f %% < %.1f %%\n", g->name,
                   pct(g->fall_detected, g->fall_files), min_fall_pct);
            fail = 1;
        }
        if (g->n_len > 0 && max_stride_cm >= 0.0 &&
            !(100.0 * g->sum_abs_len / (double)g->n_len <= max_stride_cm)) {
            printf("FAIL %s: stride length error %.1f cm > %.1f cm\n", g->name,
                   100.0 * g->sum_abs_len / (double)g->n_len, max_stride_cm);
            fail = 1;
        }
        if (g->bw_in > 0 && min_bw_in_pct >= 0.0 &&
            !(pct(g->bw_in_backward, g->bw_in) >= min_bw_in_pct)) {
            printf("FAIL %s: %.1f %% of strides in backward segments labelled backward < %.1f %%\n",
                   g->name, pct(g->bw_in_backward, g->bw_in), min_bw_in_pct);
            fail = 1;
        }
        if (g->bw_out > 0 && max_bw_out_pct >= 0.0 &&
            !(pct(g->bw_out_backward, g->bw_out) <= max_bw_out_pct)) {
            printf("FAIL %s: %.1f %% of strides outside backward segments labelled backward > %.1f "
                   "%%\n",
                   g->name, pct(g->bw_out_backward, g->bw_out), max_bw_out_pct);
            fail = 1;
        }
        if (g->fw_n > 0 && min_heel_pct >= 0.0 && !(pct(g->fw_heel, g->fw_n) >= min_heel_pct)) {
            printf("FAIL %s: %.1f %% of forward strides heel-first < %.1f %%\n", g->name,
                   pct(g->fw_heel, g->fw_n), min_heel_pct);
            fail = 1;
        }
        if (g->n_bw_dist > 0 && max_bw_dist_pct >= 0.0 &&
            !(100.0 * g->max_bw_dist_err <= max_bw_dist_pct)) {
            printf("FAIL %s: backward distance error %.1f %% (worst file) > %.1f %%\n", g->name,
                   100.0 * g->max_bw_dist_err, max_bw_dist_pct);
            fail = 1;
        }
        if (g->ref > 0 && min_f1 >= 0.0 && !(F1 >= min_f1)) {
            printf("FAIL %s: F1 %.3f < %.3f\n", g->name, F1, min_f1);
            fail = 1;
        }
        if (g->tp > 0 && max_timing_ms >= 0.0 && !(mae <= max_timing_ms)) {
            printf("FAIL %s: timing error %.1f ms > %.1f ms\n", g->name, mae, max_timing_ms);
            fail = 1;
        }
        if (g->n_count_err > 0 && max_count_pct >= 0.0 &&
            !(100.0 * g->max_count_err <= max_count_pct)) {
            printf("FAIL %s: step-count error %.2f %% > %.2f %%\n", g->name,
                   100.0 * g->max_count_err, max_count_pct);
            fail = 1;
        }
    }
    free(groups);
    if (fail)
        return BSTEP_EXIT_FAIL;
    return input_errors ? BSTEP_EXIT_INPUT : BSTEP_EXIT_OK;
}
