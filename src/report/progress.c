/*
 * Period totals and trends (progress.h). Periods follow the local calendar (TZ): ISO 8601 weeks
 * starting on Monday, calendar months and years; boundaries come from mktime so that weeks with a
 * daylight-saving change are still whole weeks. Trends are ordinary least-squares slopes with
 * their standard error (e.g. Montgomery & Runger, Applied Statistics and Probability for
 * Engineers, section 11-2); a trend is called only when the slope is more than two standard
 * errors from zero, so a few noisy sessions are not reported as progress.
 */
#include "report/progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal/jsonw.h"

#define WEEK_S 604800.0

static const char *const period_names[] = {"week", "month", "year"};

const char *bstep__period_name(bstep__period p)
{
    return (p >= BSTEP__PERIOD_WEEK && p <= BSTEP__PERIOD_YEAR) ? period_names[p] : "week";
}

int bstep__period_parse(const char *text, bstep__period *out)
{
    int i;
    for (i = 0; i < 3; i++)
        if (text != NULL && strcmp(text, period_names[i]) == 0) {
            *out = (bstep__period)i;
            return 0;
        }
    return -1;
}

int64_t bstep__date_us(const char *d)
{
    struct tm tm;
    time_t t;
    char *end = NULL;
    long y, m, day;
    if (d == NULL || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return INT64_MIN;
    y = strtol(d, &end, 10);
    if (end != d + 4)
        return INT64_MIN;
    m = strtol(d + 5, &end, 10);
    if (end != d + 7)
        return INT64_MIN;
    day = strtol(d + 8, &end, 10);
    if (end != d + 10 || m < 1 || m > 12 || day < 1 || day > 31)
        return INT64_MIN;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = (int)y - 1900;
    tm.tm_mon = (int)m - 1;
    tm.tm_mday = (int)day;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    return t == (time_t)-1 ? INT64_MIN : (int64_t)t * 1000000;
}

static time_t to_time(int64_t us)
{
    return (time_t)(us >= 0 ? us / 1000000 : (us - 999999) / 1000000);
}

/* The local start of the period containing t, and the tm of it (for stepping). */
static int period_start(int64_t t_us, bstep__period p, struct tm *tm)
{
    time_t t = to_time(t_us);
    if (localtime_r(&t, tm) == NULL)
        return -1;
    tm->tm_hour = tm->tm_min = tm->tm_sec = 0;
    tm->tm_isdst = -1;
    if (p == BSTEP__PERIOD_WEEK)
        tm->tm_mday -= (tm->tm_wday + 6) % 7; /* Monday */
    else if (p == BSTEP__PERIOD_MONTH)
        tm->tm_mday = 1;
    else {
        tm->tm_mday = 1;
        tm->tm_mon = 0;
    }
    return mktime(tm) == (time_t)-1 ? -1 : 0; /* normalises tm */
}

static void step_period(struct tm *tm, bstep__period p)
{
    if (p == BSTEP__PERIOD_WEEK)
        tm->tm_mday += 7;
    else if (p == BSTEP__PERIOD_MONTH)
        tm->tm_mon += 1;
    else
        tm->tm_year += 1;
    tm->tm_isdst = -1;
}

typedef struct {
    double sum;
    size_t n;
} mean_acc;

static void acc(mean_acc *m, double v)
{
    if (isfinite(v)) {
        m->sum += v;
        m->n++;
    }
}

static double mean_of(const mean_acc *m)
{
    return m->n ? m->sum / (double)m->n : (double)NAN;
}

int bstep__progress_periods(const bstep_store_session *s, size_t n, const bstep_store_checkin *c,
                            size_t nc, bstep__period p, int64_t from_us, int64_t to_us,
                            bstep__period_row **out, size_t *n_out)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    size_t i, cap = 0, k = 0;
    bstep__period_row *rows = NULL;
    struct tm tm;
    *out = NULL;
    *n_out = 0;
    for (i = 0; i < n; i++) {
        lo = s[i].start_us < lo ? s[i].start_us : lo;
        hi = s[i].start_us > hi ? s[i].start_us : hi;
    }
    for (i = 0; i < nc; i++) {
        const int64_t t = bstep__date_us(c[i].date);
        if (t == INT64_MIN)
            continue;
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
    }
    if (from_us != INT64_MIN)
        lo = from_us;
    if (to_us != INT64_MAX)
        hi = to_us - 1;
    if (lo > hi)
        return BSTEP_OK;
    if (period_start(lo, p, &tm) != 0)
        return BSTEP_EINVAL;
    for (;;) {
        struct tm a = tm, b = tm;
        time_t ta = mktime(&a), tb;
        bstep__period_row *r;
        mean_acc sp = {0, 0}, cad = {0, 0}, toe = {0, 0}, cv = {0, 0}, pain = {0, 0}, well = {0, 0};
        if (ta == (time_t)-1 || (int64_t)ta * 1000000 > hi)
            break;
        step_period(&b, p);
        tb = mktime(&b);
        if (tb == (time_t)-1)
            break;
        if (k == cap) {
            bstep__period_row *q;
            cap = cap ? cap * 2 : 16;
            q = realloc(rows, cap * sizeof(*rows));
            if (q == NULL) {
                free(rows);
                return BSTEP_ENOMEM;
            }
            rows = q;
        }
        r = &rows[k++];
        memset(r, 0, sizeof(*r));
        r->start_us = (int64_t)ta * 1000000;
        r->end_us = (int64_t)tb * 1000000;
        if (p == BSTEP__PERIOD_WEEK)
            strftime(r->label, sizeof(r->label), "%G-W%V", &a);
        else if (p == BSTEP__PERIOD_MONTH)
            strftime(r->label, sizeof(r->label), "%Y-%m", &a);
        else
            strftime(r->label, sizeof(r->label), "%Y", &a);
        for (i = 0; i < n; i++) {
            const bstep_store_session *x = &s[i];
            if (x->start_us < r->start_us || x->start_us >= r->end_us)
                continue;
            r->sessions++;
            if (x->steps > 0)
                r->steps += x->steps;
            if (x->steps_backward > 0)
                r->steps_backward += x->steps_backward;
            if (isfinite(x->walking_time_s))
                r->walking_s += x->walking_time_s;
            if (isfinite(x->backward_time_s))
                r->backward_s += x->backward_time_s;
            if (isfinite(x->distance_m))
                r->distance_m += x->distance_m;
            if (isfinite(x->distance_backward_m))
                r->distance_backward_m += x->distance_backward_m;
            if (isfinite(x->energy_kcal))
                r->energy_kcal += x->energy_kcal;
            acc(&sp, x->speed_mps);
            acc(&cad, x->cadence_spm);
            acc(&toe, x->toe_first_ratio);
            acc(&cv, x->stride_time_cv_pct);
        }
        for (i = 0; i < nc; i++) {
            const int64_t t = bstep__date_us(c[i].date);
            if (t < r->start_us || t >= r->end_us)
                continue;
            r->checkins++;
            if (c[i].pain_0_10 >= 0)
                acc(&pain, (double)c[i].pain_0_10);
            if (c[i].wellbeing_0_10 >= 0)
                acc(&well, (double)c[i].wellbeing_0_10);
        }
        r->speed_mps = mean_of(&sp);
        r->cadence_spm = mean_of(&cad);
        r->toe_first_ratio = mean_of(&toe);
        r->stride_time_cv_pct = mean_of(&cv);
        r->pain_0_10 = mean_of(&pain);
        r->wellbeing_0_10 = mean_of(&well);
        tm = b;
    }
    *out = rows;
    *n_out = k;
    return BSTEP_OK;
}

/* Least squares of y on x (x in weeks). */
static void fit(const double *x, const double *y, size_t n, bstep__trend *t)
{
    double mx = 0, my = 0, sxx = 0, sxy = 0, sse = 0, b, a;
    size_t i, m = 0;
    t->n = 0;
    t->first = t->last = t->slope_per_week = t->slope_se = (double)NAN;
    t->verdict = 0;
    for (i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            if (m == 0)
                t->first = y[i];
            t->last = y[i];
            mx += x[i];
            my += y[i];
            m++;
        }
    t->n = m;
    if (m < 2)
        return;
    mx /= (double)m;
    my /= (double)m;
    for (i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
    if (!(sxx > 0.0))
        return;
    b = sxy / sxx;
    a = my - b * mx;
    for (i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            const double e = y[i] - (a + b * x[i]);
            sse += e * e;
        }
    t->slope_per_week = b;
    if (m >= 3) {
        t->slope_se = sqrt(sse / (double)(m - 2) / sxx);
        if (fabs(b) > 2.0 * t->slope_se && t->better != 0)
            t->verdict = (b > 0.0 ? 1 : -1) * t->better;
    }
}

void bstep__progress_trends(const bstep_store_session *s, size_t n, const bstep_store_checkin *c,
                            size_t nc, bstep__trend out[BSTEP__N_TRENDS])
{
    static const struct {
        const char *key, *name, *unit;
        int better;
    } def[BSTEP__N_TRENDS] = {
        {"backward_min_per_week", "backward walking per week", "min", 1},
        {"speed_mps", "walking speed", "m/s", 1},
        {"cadence_spm", "cadence", "steps/min", 0},
        {"toe_first_pct", "toes-first landings (backward)", "%", 1},
        {"stride_time_cv_pct", "stride-time variability", "%", -1},
        {"pain_0_10", "pain (self-reported)", "0-10", -1},
    };
    const size_t m = n > nc ? n : nc;
    double *x = calloc(m + 1, sizeof(double)), *y = calloc(m + 1, sizeof(double));
    bstep__period_row *weeks = NULL;
    size_t nw = 0, i, k;
    int64_t t0 = INT64_MAX;
    for (k = 0; k < BSTEP__N_TRENDS; k++) {
        memset(&out[k], 0, sizeof(out[k]));
        out[k].key = def[k].key;
        out[k].name = def[k].name;
        out[k].unit = def[k].unit;
        out[k].better = def[k].better;
        out[k].first = out[k].last = out[k].slope_per_week = out[k].slope_se = (double)NAN;
    }
    if (x == NULL || y == NULL) {
        free(x);
        free(y);
        return;
    }
    for (i = 0; i < n; i++)
        t0 = s[i].start_us < t0 ? s[i].start_us : t0;
    for (i = 0; i < nc; i++) {
        const int64_t t = bstep__date_us(c[i].date);
        if (t != INT64_MIN && t < t0)
            t0 = t;
    }
    /* per session metrics */
    for (k = BSTEP__TREND_SPEED; k <= BSTEP__TREND_STRIDE_CV; k++) {
        for (i = 0; i < n; i++) {
            x[i] = (double)(s[i].start_us - t0) * 1e-6 / WEEK_S;
            y[i] = k == BSTEP__TREND_SPEED       ? s[i].speed_mps
                   : k == BSTEP__TREND_CADENCE   ? s[i].cadence_spm
                   : k == BSTEP__TREND_TOE_FIRST ? 100.0 * s[i].toe_first_ratio
                                                 : s[i].stride_time_cv_pct;
        }
        fit(x, y, n, &out[k]);
    }
    /* pain from check-ins */
    for (i = 0; i < nc; i++) {
        const int64_t t = bstep__date_us(c[i].date);
        x[i] = t == INT64_MIN ? (double)NAN : (double)(t - t0) * 1e-6 / WEEK_S;
        y[i] = c[i].pain_0_10 >= 0 ? (double)c[i].pain_0_10 : (double)NAN;
    }
    fit(x, y, nc, &out[BSTEP__TREND_PAIN]);
    free(x);
    free(y);
    /* backward minutes per week: weekly totals, the empty weeks between sessions included */
    if (n > 0 &&
        bstep__progress_periods(s, n, NULL, 0, BSTEP__PERIOD_WEEK, INT64_MIN, INT64_MAX, &weeks,
                                &nw) == BSTEP_OK &&
        nw > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        /* the week still in progress is not a week's total yet: left out */
        if (nw > 1 && weeks[nw - 1].end_us > (int64_t)ts.tv_sec * 1000000)
            nw--;
        x = calloc(nw, sizeof(double));
        y = calloc(nw, sizeof(double));
        if (x != NULL && y != NULL) {
            for (i = 0; i < nw; i++) {
                x[i] = (double)i;
                y[i] = weeks[i].backward_s / 60.0;
            }
            fit(x, y, nw, &out[BSTEP__TREND_BACKWARD_MIN]);
        }
        free(x);
        free(y);
    }
    free(weeks);
}

/* ---- text and JSON ------------------------------------------------------------------------- */

static void local_day(int64_t us, char out[11])
{
    time_t t = to_time(us);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        snprintf(out, 11, "unknown");
}

static void fmt(char *buf, size_t cap, double v, int decimals)
{
    if (isfinite(v))
        snprintf(buf, cap, "%.*f", decimals, v);
    else
        snprintf(buf, cap, "-");
}

static const char *verdict_text(const bstep__trend *t)
{
    if (t->n < 3)
        return "too few data yet";
    if (t->verdict > 0)
        return "improving";
    if (t->verdict < 0)
        return "worsening";
    if (t->better == 0 && isfinite(t->slope_se) && fabs(t->slope_per_week) > 2.0 * t->slope_se)
        return t->slope_per_week > 0 ? "rising" : "falling";
    return "no clear change";
}

static int trend_decimals(int k)
{
    return k == BSTEP__TREND_SPEED ? 2 : 1;
}

void bstep__progress_text(FILE *f, const bstep__progress_report *r)
{
    size_t i, k;
    double walk = 0, back = 0, dist = 0, kcal = 0;
    int64_t steps = 0;
    fprintf(f, "backstep progress report: %s\n\n", r->user ? r->user : "all users");
    if (r->n_sessions == 0 && r->n_checkins == 0) {
        fprintf(f, "  No stored sessions or check-ins in this range. Sessions are stored by\n"
                   "  `backstep analyze` and `backstep batch`; check-ins by `backstep checkin`.\n");
        return;
    }
    fprintf(f, "  %-9s %8s %8s %8s %7s %7s %6s %6s %6s %5s %5s\n", bstep__period_name(r->period),
            "sessions", "walking", "backward", "steps", "dist", "speed", "cad", "toe1st", "cv",
            "pain");
    fprintf(f, "  %-9s %8s %8s %8s %7s %7s %6s %6s %6s %5s %5s\n", "", "", "min", "min", "", "m",
            "m/s", "spm", "%", "%", "0-10");
    for (i = 0; i < r->n_rows; i++) {
        const bstep__period_row *p = &r->rows[i];
        char sp[16], cad[16], toe[16], cv[16], pain[16];
        fmt(sp, sizeof(sp), p->speed_mps, 2);
        fmt(cad, sizeof(cad), p->cadence_spm, 0);
        fmt(toe, sizeof(toe), 100.0 * p->toe_first_ratio, 0);
        fmt(cv, sizeof(cv), p->stride_time_cv_pct, 1);
        fmt(pain, sizeof(pain), p->pain_0_10, 1);
        fprintf(f, "  %-9s %8zu %8.1f %8.1f %7lld %7.0f %6s %6s %6s %5s %5s\n", p->label,
                p->sessions, p->walking_s / 60.0, p->backward_s / 60.0, (long long)p->steps,
                p->distance_m, sp, cad, toe, cv, pain);
        walk += p->walking_s;
        back += p->backward_s;
        dist += p->distance_m;
        kcal += p->energy_kcal;
        steps += p->steps;
    }
    fprintf(f,
            "\n  Total       %zu sessions, %.1f min walking (%.1f min backward), %lld steps, "
            "%.0f m, %.0f kcal\n",
            r->n_sessions, walk / 60.0, back / 60.0, (long long)steps, dist, kcal);
    fprintf(f, "\n  Trends (least-squares slope per week; a change is named only when it is more "
               "than\n  two standard errors from zero)\n");
    for (k = 0; k < BSTEP__N_TRENDS; k++) {
        const bstep__trend *t = &r->trends[k];
        char a[16], b[16], sl[16];
        fmt(a, sizeof(a), t->first, trend_decimals((int)k));
        fmt(b, sizeof(b), t->last, trend_decimals((int)k));
        fmt(sl, sizeof(sl), t->slope_per_week, trend_decimals((int)k) + 1);
        fprintf(f, "  %-32s %7s -> %-7s %-9s %s%s per week, %zu points: %s\n", t->name, a, b,
                t->unit, isfinite(t->slope_per_week) && t->slope_per_week > 0 ? "+" : "", sl, t->n,
                verdict_text(t));
    }
}

static void jnum(bstep__jsonw *w, const char *key, double v, int decimals)
{
    bstep__jsonw_key(w, key);
    bstep__jsonw_number(w, v, decimals);
}

void bstep__progress_json(FILE *f, const bstep__progress_report *r)
{
    bstep__jsonw w;
    size_t i, k;
    char d[11];
    bstep__jsonw_init(&w, f, 2);
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "schema");
    bstep__jsonw_string(&w, "backstep.report/1");
    bstep__jsonw_key(&w, "user");
    if (r->user)
        bstep__jsonw_string(&w, r->user);
    else
        bstep__jsonw_null(&w);
    bstep__jsonw_key(&w, "database");
    bstep__jsonw_string(&w, r->database ? r->database : "");
    bstep__jsonw_key(&w, "period");
    bstep__jsonw_string(&w, bstep__period_name(r->period));
    bstep__jsonw_key(&w, "sessions");
    bstep__jsonw_int(&w, (int64_t)r->n_sessions);
    bstep__jsonw_key(&w, "checkins");
    bstep__jsonw_int(&w, (int64_t)r->n_checkins);
    bstep__jsonw_key(&w, "periods");
    bstep__jsonw_array_begin(&w);
    for (i = 0; i < r->n_rows; i++) {
        const bstep__period_row *p = &r->rows[i];
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "label");
        bstep__jsonw_string(&w, p->label);
        bstep__jsonw_key(&w, "start");
        local_day(p->start_us, d);
        bstep__jsonw_string(&w, d);
        bstep__jsonw_key(&w, "sessions");
        bstep__jsonw_int(&w, (int64_t)p->sessions);
        bstep__jsonw_key(&w, "steps");
        bstep__jsonw_int(&w, p->steps);
        bstep__jsonw_key(&w, "steps_backward");
        bstep__jsonw_int(&w, p->steps_backward);
        jnum(&w, "walking_min", p->walking_s / 60.0, 2);
        jnum(&w, "backward_min", p->backward_s / 60.0, 2);
        jnum(&w, "distance_m", p->distance_m, 1);
        jnum(&w, "distance_backward_m", p->distance_backward_m, 1);
        jnum(&w, "energy_kcal", p->energy_kcal, 1);
        jnum(&w, "speed_mps", p->speed_mps, 3);
        jnum(&w, "cadence_spm", p->cadence_spm, 1);
        jnum(&w, "toe_first_ratio", p->toe_first_ratio, 3);
        jnum(&w, "stride_time_cv_pct", p->stride_time_cv_pct, 2);
        bstep__jsonw_key(&w, "checkins");
        bstep__jsonw_int(&w, (int64_t)p->checkins);
        jnum(&w, "pain_0_10", p->pain_0_10, 2);
        jnum(&w, "wellbeing_0_10", p->wellbeing_0_10, 2);
        bstep__jsonw_object_end(&w);
    }
    bstep__jsonw_array_end(&w);
    bstep__jsonw_key(&w, "trends");
    bstep__jsonw_object_begin(&w);
    for (k = 0; k < BSTEP__N_TRENDS; k++) {
        const bstep__trend *t = &r->trends[k];
        bstep__jsonw_key(&w, t->key);
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "unit");
        bstep__jsonw_string(&w, t->unit);
        bstep__jsonw_key(&w, "points");
        bstep__jsonw_int(&w, (int64_t)t->n);
        jnum(&w, "first", t->first, 3);
        jnum(&w, "last", t->last, 3);
        jnum(&w, "slope_per_week", t->slope_per_week, 4);
        jnum(&w, "slope_se", t->slope_se, 4);
        bstep__jsonw_key(&w, "verdict");
        bstep__jsonw_string(&w, verdict_text(t));
        bstep__jsonw_object_end(&w);
    }
    bstep__jsonw_object_end(&w);
    bstep__jsonw_object_end(&w);
    fputc('\n', f);
}
