/*
 * The progress report as one self-contained HTML page: inline CSS, inline SVG charts (svg.h), no
 * scripts and no external resources, so it opens from a file, prints, and can be mailed to a
 * therapist. Every chart has a title, axis titles with units and a tooltip per point.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/progress.h"
#include "report/svg.h"

static void esc(FILE *f, const char *s)
{
    bstep__svg_escape(f, s);
}

static void day_of(int64_t us, char out[11])
{
    time_t t = (time_t)(us >= 0 ? us / 1000000 : (us - 999999) / 1000000);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        snprintf(out, 11, "unknown");
}

static void cellf(FILE *f, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, "<td>%.*f</td>", decimals, v);
    else
        fputs("<td class=\"na\">&ndash;</td>", f);
}

/* A line chart of one per-session metric. */
static void session_chart(FILE *f, const bstep__progress_report *r, const char *id,
                          const char *title, const char *y_label, int which, double y_min,
                          double y_max)
{
    double *x = calloc(r->n_sessions + 1, sizeof(double));
    double *y = calloc(r->n_sessions + 1, sizeof(double));
    size_t i, have = 0;
    bstep__svg_chart c;
    bstep__svg_series s;
    if (x == NULL || y == NULL) {
        free(x);
        free(y);
        return;
    }
    for (i = 0; i < r->n_sessions; i++) {
        const bstep_store_session *q = &r->sessions[i];
        x[i] = (double)q->start_us * 1e-6;
        y[i] = which == 0   ? q->speed_mps
               : which == 1 ? q->cadence_spm
               : which == 2 ? 100.0 * q->toe_first_ratio
                            : q->stride_time_cv_pct;
        have += isfinite(y[i]) != 0;
    }
    bstep__svg_chart_init(&c);
    c.title = title;
    c.y_label = y_label;
    c.x_label = "session date";
    c.x_is_time = 1;
    c.y_min = y_min;
    c.y_max = y_max;
    c.width_px = 720;
    c.height_px = 260;
    s.name = title;
    s.color = NULL;
    s.x = x;
    s.y = y;
    s.n = r->n_sessions;
    fprintf(f, "<figure id=\"%s\">\n", id);
    bstep__svg_line_chart(f, &c, &s, 1);
    if (have == 0)
        fputs("<figcaption class=\"empty\">Not measured in these sessions yet.</figcaption>\n", f);
    else
        fprintf(f, "<figcaption>%zu session%s with a value.</figcaption>\n", have,
                have == 1 ? "" : "s");
    fputs("</figure>\n", f);
    free(x);
    free(y);
}

static void minutes_chart(FILE *f, const bstep__progress_report *r)
{
    const char **labels = calloc(r->n_rows + 1, sizeof(char *));
    double *back = calloc(r->n_rows + 1, sizeof(double));
    double *other = calloc(r->n_rows + 1, sizeof(double));
    bstep__svg_chart c;
    bstep__svg_series s[2];
    char title[64];
    size_t i;
    if (labels == NULL || back == NULL || other == NULL) {
        free((void *)labels);
        free(back);
        free(other);
        return;
    }
    for (i = 0; i < r->n_rows; i++) {
        labels[i] = r->rows[i].label;
        back[i] = r->rows[i].backward_s / 60.0;
        other[i] = (r->rows[i].walking_s - r->rows[i].backward_s) / 60.0;
        if (other[i] < 0.0)
            other[i] = 0.0;
    }
    snprintf(title, sizeof(title), "Walking minutes per %s", bstep__period_name(r->period));
    bstep__svg_chart_init(&c);
    c.title = title;
    c.y_label = "walking time (min)";
    c.x_label = bstep__period_name(r->period);
    c.width_px = 720;
    c.height_px = 280;
    s[0].name = "backward";
    s[0].color = "#0072B2";
    s[0].x = NULL;
    s[0].y = back;
    s[0].n = r->n_rows;
    s[1].name = "forward and other";
    s[1].color = "#E69F00";
    s[1].x = NULL;
    s[1].y = other;
    s[1].n = r->n_rows;
    fputs("<figure id=\"minutes\">\n", f);
    bstep__svg_bar_chart(f, &c, labels, r->n_rows, s, 2);
    fputs(
        "<figcaption>Backward minutes are the bouts walked (or run) mostly backward.</figcaption>\n"
        "</figure>\n",
        f);
    free((void *)labels);
    free(back);
    free(other);
}

static void checkin_chart(FILE *f, const bstep__progress_report *r)
{
    double *x = calloc(r->n_checkins + 1, sizeof(double));
    double *pain = calloc(r->n_checkins + 1, sizeof(double));
    double *well = calloc(r->n_checkins + 1, sizeof(double));
    bstep__svg_chart c;
    bstep__svg_series s[2];
    size_t i;
    if (x == NULL || pain == NULL || well == NULL) {
        free(x);
        free(pain);
        free(well);
        return;
    }
    for (i = 0; i < r->n_checkins; i++) {
        const int64_t t = bstep__date_us(r->checkins[i].date);
        x[i] = t == INT64_MIN ? (double)NAN : (double)t * 1e-6 + 43200.0; /* midday */
        pain[i] = r->checkins[i].pain_0_10 >= 0 ? (double)r->checkins[i].pain_0_10 : (double)NAN;
        well[i] = r->checkins[i].wellbeing_0_10 >= 0 ? (double)r->checkins[i].wellbeing_0_10
                                                     : (double)NAN;
    }
    bstep__svg_chart_init(&c);
    c.title = "Pain and wellbeing (check-ins)";
    c.y_label = "score (0-10)";
    c.x_label = "date";
    c.x_is_time = 1;
    c.y_min = 0.0;
    c.y_max = 10.0;
    c.y_decimals = 0;
    c.width_px = 720;
    c.height_px = 260;
    s[0].name = "pain";
    s[0].color = "#D55E00";
    s[0].x = x;
    s[0].y = pain;
    s[0].n = r->n_checkins;
    s[1].name = "wellbeing";
    s[1].color = "#009E73";
    s[1].x = x;
    s[1].y = well;
    s[1].n = r->n_checkins;
    fputs("<figure id=\"pain\">\n", f);
    bstep__svg_line_chart(f, &c, s, 2);
    if (r->n_checkins == 0)
        fputs("<figcaption class=\"empty\">No check-ins yet: <code>backstep checkin --pain N"
              "</code> records one.</figcaption>\n",
              f);
    else
        fprintf(f, "<figcaption>%zu check-in%s.</figcaption>\n", r->n_checkins,
                r->n_checkins == 1 ? "" : "s");
    fputs("</figure>\n", f);
    free(x);
    free(pain);
    free(well);
}

static const char *verdict_class(const bstep__trend *t)
{
    return t->verdict > 0 ? "up" : t->verdict < 0 ? "down" : "flat";
}

static const char *verdict_word(const bstep__trend *t)
{
    if (t->n < 3)
        return "too few data yet";
    return t->verdict > 0 ? "improving" : t->verdict < 0 ? "worsening" : "no clear change";
}

void bstep__progress_html(FILE *f, const bstep__progress_report *r)
{
    size_t i, k;
    double walk = 0, back = 0, dist = 0, kcal = 0;
    int64_t steps = 0;
    char a[11] = "", b[11] = "";
    for (i = 0; i < r->n_rows; i++) {
        walk += r->rows[i].walking_s;
        back += r->rows[i].backward_s;
        dist += r->rows[i].distance_m;
        kcal += r->rows[i].energy_kcal;
        steps += r->rows[i].steps;
    }
    if (r->n_sessions > 0) {
        day_of(r->sessions[0].start_us, a);
        day_of(r->sessions[r->n_sessions - 1].start_us, b);
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
          "backstep progress: ",
          f);
    esc(f, r->user ? r->user : "all users");
    fputs("</title>\n<style>\n"
          "body{font-family:sans-serif;margin:24px auto;max-width:760px;color:#222;"
          "background:#fff;padding:0 12px}\n"
          "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n"
          ".meta{color:#555;margin:0 0 16px}\n"
          ".tiles{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}\n"
          ".tile{border:1px solid #ccd;border-radius:6px;padding:8px 12px;min-width:120px}\n"
          ".tile b{display:block;font-size:20px}\n"
          "figure{margin:16px 0;border:1px solid #e3e3ea;border-radius:6px;padding:8px}\n"
          "figcaption{color:#555;font-size:13px}.empty{color:#a33}\n"
          "svg{max-width:100%;height:auto;display:block}\n"
          "table{border-collapse:collapse;font-size:13px;width:100%}\n"
          "th,td{border-bottom:1px solid #e3e3ea;padding:4px 6px;text-align:right}\n"
          "th:first-child,td:first-child{text-align:left;white-space:nowrap}td.na{color:#999}\n"
          ".up{color:#087f23}.down{color:#b3261e}.flat{color:#555}\n"
          ".safety{margin-top:28px;color:#555;font-size:13px}\n"
          "</style>\n</head>\n<body>\n<h1>Progress of ",
          f);
    esc(f, r->user ? r->user : "all users");
    fputs("</h1>\n<p class=\"meta\">", f);
    if (r->n_sessions > 0)
        fprintf(f, "%zu session%s from %s to %s, %zu check-in%s", r->n_sessions,
                r->n_sessions == 1 ? "" : "s", a, b, r->n_checkins, r->n_checkins == 1 ? "" : "s");
    else
        fputs("No stored sessions in this range yet", f);
    fputs(". Made by backstep from ", f);
    esc(f, r->database ? r->database : "the history database");
    fputs(".</p>\n<div class=\"tiles\">\n", f);
    fprintf(f,
            "<div class=\"tile\">sessions<b>%zu</b></div>\n"
            "<div class=\"tile\">backward walking<b>%.0f min</b></div>\n"
            "<div class=\"tile\">all walking<b>%.0f min</b></div>\n"
            "<div class=\"tile\">steps<b>%lld</b></div>\n"
            "<div class=\"tile\">distance<b>%.2f km</b></div>\n"
            "<div class=\"tile\">energy<b>%.0f kcal</b></div>\n</div>\n",
            r->n_sessions, back / 60.0, walk / 60.0, (long long)steps, dist / 1000.0, kcal);

    fputs("<h2>Trends</h2>\n<table id=\"trends\">\n<tr><th>measure</th><th>first</th>"
          "<th>last</th><th>change per week</th><th>points</th><th>trend</th></tr>\n",
          f);
    for (k = 0; k < BSTEP__N_TRENDS; k++) {
        const bstep__trend *t = &r->trends[k];
        const int dec = k == BSTEP__TREND_SPEED ? 2 : 1;
        fputs("<tr><td>", f);
        esc(f, t->name);
        fputs(" (", f);
        esc(f, t->unit);
        fputs(")</td>", f);
        cellf(f, t->first, dec);
        cellf(f, t->last, dec);
        cellf(f, t->slope_per_week, dec + 1);
        fprintf(f, "<td>%zu</td><td class=\"%s\">%s</td></tr>\n", t->n, verdict_class(t),
                verdict_word(t));
    }
    fputs("</table>\n<p class=\"meta\">A trend is named only when the least-squares slope is more "
          "than two standard errors from zero.</p>\n<h2>Charts</h2>\n",
          f);
    minutes_chart(f, r);
    session_chart(f, r, "speed", "Walking speed", "speed (m/s)", 0, (double)NAN, (double)NAN);
    session_chart(f, r, "cadence", "Cadence", "cadence (steps/min)", 1, (double)NAN, (double)NAN);
    session_chart(f, r, "toe-first", "Toes-first landings when walking backward",
                  "toes first (% of backward strides)", 2, 0.0, 100.0);
    session_chart(f, r, "stride-cv", "Stride-time variability", "stride time CV (%)", 3, 0.0,
                  (double)NAN);
    checkin_chart(f, r);

    fprintf(f,
            "<h2>Per %s</h2>\n<table id=\"periods\">\n<tr><th>%s</th><th>sessions</th>"
            "<th>walking (min)</th><th>backward (min)</th><th>steps</th><th>distance (m)</th>"
            "<th>speed (m/s)</th><th>cadence (steps/min)</th><th>toes first (%%)</th>"
            "<th>stride CV (%%)</th><th>pain (0-10)</th></tr>\n",
            bstep__period_name(r->period), bstep__period_name(r->period));
    for (i = 0; i < r->n_rows; i++) {
        const bstep__period_row *p = &r->rows[i];
        fputs("<tr><td>", f);
        esc(f, p->label);
        fprintf(f, "</td><td>%zu</td><td>%.1f</td><td>%.1f</td><td>%lld</td><td>%.0f</td>",
                p->sessions, p->walking_s / 60.0, p->backward_s / 60.0, (long long)p->steps,
                p->distance_m);
        cellf(f, p->speed_mps, 2);
        cellf(f, p->cadence_spm, 0);
        cellf(f, 100.0 * p->toe_first_ratio, 0);
        cellf(f, p->stride_time_cv_pct, 1);
        cellf(f, p->pain_0_10, 1);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<p class=\"safety\">Walk backward only where it is flat, clear and quiet, "
          "ideally with someone watching; on a treadmill start slowly holding the rails. backstep "
          "measures your walking; it does not give medical advice.</p>\n</body>\n</html>\n",
          f);
}
