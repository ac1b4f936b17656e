/*
 * SVG charts (svg.h). Axis ticks use "nice numbers" (P. Heckbert, "Nice numbers for graph
 * labels", Graphics Gems, 1990): steps of 1, 2 or 5 times a power of ten. Time axes step in whole
 * local days, weeks, months or years (calendar arithmetic through mktime, so daylight-saving
 * changes do not shift the ticks). Colours: the Okabe-Ito palette, distinguishable with the
 * common colour-vision deficiencies (Okabe & Ito, "Color Universal Design", 2008).
 */
#include "report/svg.h"

#include <math.h>
#include <string.h>
#include <time.h>

static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000"};
#define N_PALETTE (sizeof(palette) / sizeof(palette[0]))

#define MARGIN_L   64.0
#define MARGIN_R   16.0
#define MARGIN_T   44.0
#define MARGIN_B   52.0
#define MAX_XTICKS 64

void bstep__svg_chart_init(bstep__svg_chart *c)
{
    memset(c, 0, sizeof(*c));
    c->width_px = 640;
    c->height_px = 280;
    c->y_min = c->y_max = c->x_min = c->x_max = (double)NAN;
    c->y_decimals = -1;
}

void bstep__svg_escape(FILE *f, const char *s)
{
    for (; s != NULL && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

double bstep__svg_nice_step(double range, int target)
{
    double raw, mag, frac;
    if (!(range > 0.0) || !isfinite(range) || target < 1)
        return 1.0;
    raw = range / (double)target;
    mag = pow(10.0, floor(log10(raw)));
    frac = raw / mag;
    if (frac <= 1.0)
        return mag;
    if (frac <= 2.0)
        return 2.0 * mag;
    if (frac <= 5.0)
        return 5.0 * mag;
    return 10.0 * mag;
}

static int decimals_for(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10.0, d) - floor(step * pow(10.0, d) + 0.5)) > 1e-6)
        d++;
    return d;
}

typedef struct {
    double x0, x1, y0, y1;           /* data ranges */
    double left, top, width, height; /* plot area in px */
} frame;

static double px(const frame *fr, double x)
{
    return fr->left + (x - fr->x0) / (fr->x1 - fr->x0) * fr->width;
}

static double py(const frame *fr, double y)
{
    return fr->top + fr->height - (y - fr->y0) / (fr->y1 - fr->y0) * fr->height;
}

static const char *color_of(const bstep__svg_series *s, size_t i)
{
    return s->color ? s->color : palette[i % N_PALETTE];
}

static void header(FILE *f, const bstep__svg_chart *c)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\"",
            c->css_class ? c->css_class : "bstep-chart", c->width_px, c->height_px, c->width_px,
            c->height_px);
    if (c->title) {
        fputs(" aria-label=\"", f);
        bstep__svg_escape(f, c->title);
        fputs("\"", f);
    }
    fputs(">\n", f);
    if (c->title) {
        fputs("<title>", f);
        bstep__svg_escape(f, c->title);
        fputs("</title>\n", f);
        fputs("<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">", f);
        bstep__svg_escape(f, c->title);
        fputs("</text>\n", f);
    }
}

static void legend(FILE *f, const bstep__svg_chart *c, const bstep__svg_series *s, size_t ns)
{
    double x = (double)c->width_px - MARGIN_R;
    size_t i;
    if (ns < 2 && c->title != NULL)
        return; /* one series: the title says what it is */
    /* right-aligned entries, laid out from the right end */
    for (i = ns; i-- > 0;) {
        double w;
        if (s[i].name == NULL)
            continue;
        w = 7.0 * (double)strlen(s[i].name) + 22.0;
        x -= w;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"26\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                "<text x=\"%.1f\" y=\"35\" fill=\"#333\">",
                x, color_of(&s[i], i), x + 16.0);
        bstep__svg_escape(f, s[i].name);
        fputs("</text>\n", f);
    }
}

static void y_axis(FILE *f, const bstep__svg_chart *c, const frame *fr, double step)
{
    const int dec = c->y_decimals >= 0 ? c->y_decimals : decimals_for(step);
    double v;
    int k;
    for (k = 0; k <= 1000; k++) {
        double y;
        v = fr->y0 + step * (double)k;
        if (v > fr->y1 + step * 1e-6)
            break;
        y = py(fr, v);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%.*f</text>\n",
                fr->left, y, fr->left + fr->width, y, fr->left - 6.0, y + 4.0, dec, v);
    }
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>\n",
            fr->left, fr->top, fr->left, fr->top + fr->height, fr->left, fr->top + fr->height,
            fr->left + fr->width, fr->top + fr->height);
    if (c->y_label) {
        const double cy = fr->top + fr->height / 2.0;
        fprintf(f,
                "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#222\" "
                "transform=\"rotate(-90 14 %.1f)\">",
                cy, cy);
        bstep__svg_escape(f, c->y_label);
        fputs("</text>\n", f);
    }
    if (c->x_label) {
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#222\">",
                fr->left + fr->width / 2.0, (double)c->height_px - 8.0);
        bstep__svg_escape(f, c->x_label);
        fputs("</text>\n", f);
    }
}

/* Y range from the data (or the chart's fixed bounds), widened to whole ticks. */
static double y_range(const bstep__svg_chart *c, const bstep__svg_series *s, size_t ns,
                      size_t n_limit, int include_zero, frame *fr)
{
    double lo = (double)INFINITY, hi = -(double)INFINITY, step;
    size_t i, k;
    for (i = 0; i < ns; i++)
        for (k = 0; k < s[i].n && k < n_limit; k++)
            if (isfinite(s[i].y[k])) {
                lo = s[i].y[k] < lo ? s[i].y[k] : lo;
                hi = s[i].y[k] > hi ? s[i].y[k] : hi;
            }
    if (isfinite(c->y_min))
        lo = c->y_min;
    if (isfinite(c->y_max))
        hi = c->y_max;
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    if (include_zero) {
        lo = lo > 0.0 ? 0.0 : lo;
        hi = hi < 0.0 ? 0.0 : hi;
    }
    if (hi - lo <= 0.0) {
        const double pad = fabs(hi) > 0.0 ? fabs(hi) * 0.1 : 1.0;
        lo -= pad;
        hi += pad;
        if (include_zero && lo < 0.0 && hi > 0.0 && c->y_min >= 0.0)
            lo = 0.0;
    }
    step = bstep__svg_nice_step(hi - lo, 5);
    fr->y0 = isfinite(c->y_min) ? c->y_min : floor(lo / step + 1e-9) * step;
    fr->y1 = isfinite(c->y_max) ? c->y_max : ceil(hi / step - 1e-9) * step;
    if (fr->y1 <= fr->y0)
        fr->y1 = fr->y0 + step;
    return step;
}

static void set_area(const bstep__svg_chart *c, frame *fr)
{
    fr->left = MARGIN_L;
    fr->top = MARGIN_T;
    fr->width = (double)c->width_px - MARGIN_L - MARGIN_R;
    fr->height = (double)c->height_px - MARGIN_T - MARGIN_B;
    if (fr->width < 10.0)
        fr->width = 10.0;
    if (fr->height < 10.0)
        fr->height = 10.0;
}

/* Local midnight at or after t (seconds), stepping `days` days or `months` months. */
static int time_ticks(double t0, double t1, double *ticks, char labels[][16], int max)
{
    static const struct {
        int days, months, label; /* label: 0 day and month, 1 month and year, 2 year */
    } steps[] = {{1, 0, 0}, {2, 0, 0},  {7, 0, 0},  {14, 0, 0}, {0, 1, 1},  {0, 3, 1},
                 {0, 6, 1}, {0, 12, 2}, {0, 24, 2}, {0, 60, 2}, {0, 120, 2}};
    const double span_days = (t1 - t0) / 86400.0;
    size_t si = 0;
    int n = 0;
    struct tm tm;
    time_t tt;
    while (si + 1 < sizeof(steps) / sizeof(steps[0])) {
        const double step_days =
            steps[si].days ? (double)steps[si].days : 30.44 * (double)steps[si].months;
        if (span_days / step_days <= 8.0)
            break;
        si++;
    }
    tt = (time_t)floor(t0);
    if (localtime_r(&tt, &tm) == NULL)
        return 0;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    if (steps[si].months) {
        tm.tm_mday = 1;
        if (steps[si].months >= 12)
            tm.tm_mon = 0;
    } else if (steps[si].days == 7 || steps[si].days == 14) {
        tm.tm_mday -= (tm.tm_wday + 6) % 7; /* back to Monday */
    }
    while (n < max) {
        struct tm cur = tm;
        time_t t = mktime(&cur);
        if (t == (time_t)-1)
            break;
        if ((double)t > t1)
            break;
        if ((double)t >= t0) {
            ticks[n] = (double)t;
            size_t len = steps[si].label == 0   ? strftime(labels[n], 16, "%d %b", &cur)
                         : steps[si].label == 1 ? strftime(labels[n], 16, "%b %Y", &cur)
                                                : strftime(labels[n], 16, "%Y", &cur);
            if (len == 0)
                labels[n][0] = '\0';
            n++;
        }
        if (steps[si].months)
            tm.tm_mon += steps[si].months;
        else
            tm.tm_mday += steps[si].days;
    }
    return n;
}

int bstep__svg_line_chart(FILE *f, const bstep__svg_chart *c, const bstep__svg_series *s, size_t ns)
{
    frame fr;
    double lo = (double)INFINITY, hi = -(double)INFINITY, step;
    size_t i, k;
    int dec;
    if (f == NULL || c == NULL || (ns > 0 && s == NULL))
        return -1;
    set_area(c, &fr);
    for (i = 0; i < ns; i++)
        for (k = 0; k < s[i].n; k++)
            if (isfinite(s[i].x[k]) && isfinite(s[i].y[k])) {
                lo = s[i].x[k] < lo ? s[i].x[k] : lo;
                hi = s[i].x[k] > hi ? s[i].x[k] : hi;
            }
    if (isfinite(c->x_min))
        lo = c->x_min;
    if (isfinite(c->x_max))
        hi = c->x_max;
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    if (hi - lo <= 0.0) {
        const double pad = c->x_is_time ? 86400.0 : 1.0;
        lo -= pad;
        hi += pad;
    }
    if (c->x_is_time) { /* a little room so the first and last markers are not on the axes */
        const double pad = (hi - lo) * 0.03;
        lo -= pad;
        hi += pad;
    }
    fr.x0 = lo;
    fr.x1 = hi;
    step = y_range(c, s, ns, (size_t)-1, 0, &fr);
    dec = c->y_decimals >= 0 ? c->y_decimals : decimals_for(step) + 1;

    header(f, c);
    y_axis(f, c, &fr, step);
    /* x ticks */
    if (c->x_is_time) {
        double ticks[MAX_XTICKS];
        char labels[MAX_XTICKS][16];
        int n = time_ticks(fr.x0, fr.x1, ticks, labels, MAX_XTICKS), t;
        for (t = 0; t < n; t++) {
            const double x = px(&fr, ticks[t]);
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444\">%s</text>\n",
                    x, fr.top + fr.height, x, fr.top + fr.height + 4.0, x,
                    fr.top + fr.height + 18.0, labels[t]);
        }
    } else {
        const double xs = bstep__svg_nice_step(fr.x1 - fr.x0, 6);
        double v = ceil(fr.x0 / xs - 1e-9) * xs;
        int guard = 0;
        for (; v <= fr.x1 + xs * 1e-6 && guard < 100; v += xs, guard++) {
            const double x = px(&fr, v);
            fprintf(
                f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444\">%.*f</text>\n",
                x, fr.top + fr.height, x, fr.top + fr.height + 4.0, x, fr.top + fr.height + 18.0,
                decimals_for(xs), v);
        }
    }
    /* series: one path per series, interrupted at missing values, and a marker per point */
    for (i = 0; i < ns; i++) {
        const char *col = color_of(&s[i], i);
        int pen = 0;
        fprintf(f, "<path class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"",
                col);
        for (k = 0; k < s[i].n; k++) {
            if (!isfinite(s[i].x[k]) || !isfinite(s[i].y[k])) {
                pen = 0;
                continue;
            }
            fprintf(f, "%s%.1f %.1f ", pen ? "L" : "M", px(&fr, s[i].x[k]), py(&fr, s[i].y[k]));
            pen = 1;
        }
        fputs("\"/>\n", f);
        for (k = 0; k < s[i].n; k++) {
            if (!isfinite(s[i].x[k]) || !isfinite(s[i].y[k]))
                continue;
            fprintf(f,
                    "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                    px(&fr, s[i].x[k]), py(&fr, s[i].y[k]), col);
            if (s[i].name) {
                bstep__svg_escape(f, s[i].name);
                fputs(": ", f);
            }
            if (c->x_is_time) {
                char d[32];
                time_t tt = (time_t)s[i].x[k];
                struct tm tm;
                if (localtime_r(&tt, &tm) != NULL &&
                    strftime(d, sizeof(d), "%Y-%m-%d %H:%M", &tm) > 0)
                    fprintf(f, "%s, ", d);
            }
            fprintf(f, "%.*f</title></circle>\n", dec, s[i].y[k]);
        }
    }
    legend(f, c, s, ns);
    fputs("</svg>\n", f);
    return 0;
}

int bstep__svg_bar_chart(FILE *f, const bstep__svg_chart *c, const char *const *labels, size_t nc,
                         const bstep__svg_series *s, size_t ns)
{
    frame fr;
    double step, group_w, bar_w;
    size_t i, k, label_every;
    int dec;
    if (f == NULL || c == NULL || (nc > 0 && labels == NULL) || (ns > 0 && s == NULL))
        return -1;
    for (i = 0; i < ns; i++)
        if (s[i].n < nc)
            return -1;
    set_area(c, &fr);
    fr.x0 = 0.0;
    fr.x1 = nc > 0 ? (double)nc : 1.0;
    step = y_range(c, s, ns, nc, 1, &fr);
    dec = c->y_decimals >= 0 ? c->y_decimals : decimals_for(step) + 1;
    header(f, c);
    y_axis(f, c, &fr, step);
    group_w = fr.width / (nc > 0 ? (double)nc : 1.0);
    bar_w = group_w * 0.8 / (ns > 0 ? (double)ns : 1.0);
    label_every = nc > 12 ? (nc + 11) / 12 : 1;
    for (k = 0; k < nc; k++) {
        const double gx = fr.left + group_w * (double)k;
        if (k % label_every == 0) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444\">",
                    gx + group_w / 2.0, fr.top + fr.height + 18.0);
            bstep__svg_escape(f, labels[k]);
            fputs("</text>\n", f);
        }
        for (i = 0; i < ns; i++) {
            const double v = s[i].y[k];
            double y0, y1;
            if (!isfinite(v))
                continue;
            y0 = py(&fr, v > 0.0 ? v : 0.0);
            y1 = py(&fr, v > 0.0 ? 0.0 : v);
            fprintf(f,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    "fill=\"%s\"><title>",
                    gx + group_w * 0.1 + bar_w * (double)i, y0, bar_w, y1 - y0, color_of(&s[i], i));
            bstep__svg_escape(f, labels[k]);
            if (s[i].name) {
                fputs(", ", f);
                bstep__svg_escape(f, s[i].name);
            }
            fprintf(f, ": %.*f</title></rect>\n", dec, v);
        }
    }
    legend(f, c, s, ns);
    fputs("</svg>\n", f);
    return 0;
}
