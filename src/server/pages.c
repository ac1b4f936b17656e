/*
 * Server-rendered pages: sign-in, sessions list, one session, progress, plan and check-in, the live
 * list and the live page. HTML comes from the templates of web/ (embedded at build time) with
 * {{key}} (HTML-escaped) and {{{key}}} (markup built here) placeholders; every value that came
 * from a user or a device is escaped. Charts are inline SVG; the live page is the only one with
 * JavaScript (web/live.js). Pages authenticate with the HttpOnly SameSite=Strict cookie set at
 * sign-in; without it they redirect to /login.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "backstep/assess.h"
#include "backstep/coach.h"
#include "backstep/status.h"
#include "backstep/version.h"
#include "report/svg.h"
#include "server/pages.h"
#include "server/server_internal.h"
#include "store/store_analysis.h"

typedef struct {
    const char *key;
    const char *value;
} kv;

/* Render template name with the given values into out. Unknown keys render empty. */
static void render(bstep__buf *out, const char *name, const kv *vals, size_t n)
{
    const bstep__web_file *f = bstep__web_find(name);
    const char *p, *end;
    if (f == NULL) {
        bstep__buf_puts(out, "template missing");
        return;
    }
    p = (const char *)f->data;
    end = p + f->len;
    while (p < end) {
        const char *open = strstr(p, "{{");
        int raw;
        const char *kstart, *kend;
        size_t i, klen;
        if (open == NULL || open >= end) {
            bstep__buf_add(out, p, (size_t)(end - p));
            break;
        }
        bstep__buf_add(out, p, (size_t)(open - p));
        raw = open[2] == '{';
        kstart = open + (raw ? 3 : 2);
        kend = strstr(kstart, raw ? "}}}" : "}}");
        if (kend == NULL) {
            bstep__buf_add(out, open, (size_t)(end - open));
            break;
        }
        klen = (size_t)(kend - kstart);
        for (i = 0; i < n; i++)
            if (strlen(vals[i].key) == klen && memcmp(vals[i].key, kstart, klen) == 0) {
                if (raw)
                    bstep__buf_puts(out, vals[i].value ? vals[i].value : "");
                else
                    bstep__buf_html(out, vals[i].value ? vals[i].value : "");
            }
        p = kend + (raw ? 3 : 2);
    }
}

static void page(bstep__req *r, const char *title, const char *nav, bstep__buf *content,
                 const char *scripts)
{
    bstep__buf who;
    const char *body;
    bstep__buf_init(&who);
    if (r->authed) {
        bstep__buf_html(&who, r->user.name);
        if (r->user.role != BSTEP_ROLE_WALKER) {
            bstep__buf_puts(&who, " <span class=\"pill\">");
            bstep__buf_html(&who, bstep_role_name(r->user.role));
            bstep__buf_puts(&who, "</span>");
        }
        bstep__buf_puts(&who, " <form method=\"post\" action=\"/logout\"><button class=\"linkbtn\" "
                              "type=\"submit\">Sign out</button></form>");
    }
    body = content->p != NULL ? content->p : "";
    {
        const kv vals[] = {
            {"title", title},
            {"nav_sessions", strcmp(nav, "sessions") == 0 ? "on" : ""},
            {"nav_progress", strcmp(nav, "progress") == 0 ? "on" : ""},
            {"nav_plan", strcmp(nav, "plan") == 0 ? "on" : ""},
            {"nav_live", strcmp(nav, "live") == 0 ? "on" : ""},
            {"who", who.p != NULL ? who.p : ""},
            {"content", body},
            {"version", BSTEP_VERSION_STRING},
            {"scripts", scripts != NULL ? scripts : ""},
        };
        bstep__buf_free(&r->out);
        render(&r->out, "layout.html", vals, sizeof(vals) / sizeof(vals[0]));
    }
    bstep__buf_free(&who);
    r->ctype = "text/html; charset=utf-8";
    if (r->status == 0)
        r->status = 200;
}

static void error_page(bstep__req *r, unsigned status, const char *msg)
{
    bstep__buf c;
    bstep__buf_init(&c);
    bstep__buf_puts(&c, "<section class=\"card narrow\"><h1>");
    bstep__buf_printf(&c, "%u", status);
    bstep__buf_puts(&c, "</h1><p>");
    bstep__buf_html(&c, msg);
    bstep__buf_puts(&c, "</p><p><a href=\"/sessions\">Back to the sessions</a></p></section>");
    r->status = status;
    page(r, "Error", "", &c, NULL);
    bstep__buf_free(&c);
}

static void redirect(bstep__req *r, const char *to)
{
    r->status = 303;
    snprintf(r->location, sizeof(r->location), "%s", to);
    r->ctype = "text/plain; charset=utf-8";
    bstep__buf_puts(&r->out, "see other\n");
}

/* ---- formatting ----------------------------------------------------------------------------- */

static void fmt_when(char *buf, size_t cap, int64_t t_us)
{
    time_t t = (time_t)(t_us / 1000000);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(buf, cap, "%a %d %b %Y, %H:%M", &tm) == 0)
        snprintf(buf, cap, "?");
}

static void fmt_dur(char *buf, size_t cap, double s)
{
    if (!isfinite(s) || s < 0)
        snprintf(buf, cap, "–");
    else if (s < 60)
        snprintf(buf, cap, "%.0f s", s);
    else if (s < 3600)
        snprintf(buf, cap, "%d min %02d s", (int)(s / 60), (int)fmod(s, 60));
    else
        snprintf(buf, cap, "%d h %02d min", (int)(s / 3600), (int)fmod(s / 60, 60));
}

static void fmt_num(char *buf, size_t cap, double v, int decimals, const char *unit)
{
    if (!isfinite(v))
        snprintf(buf, cap, "–");
    else
        snprintf(buf, cap, "%.*f%s%s", decimals, v, unit[0] ? " " : "", unit);
}

static void fmt_pct(char *buf, size_t cap, double ratio)
{
    if (!isfinite(ratio))
        snprintf(buf, cap, "–");
    else
        snprintf(buf, cap, "%.0f %%", ratio * 100.0);
}

static void tile(bstep__buf *b, const char *label, const char *value, const char *unit)
{
    bstep__buf_puts(b, "<div class=\"tile\"><span class=\"label\">");
    bstep__buf_html(b, label);
    bstep__buf_puts(b, "</span><span class=\"value\">");
    bstep__buf_html(b, value);
    bstep__buf_puts(b, "</span>");
    if (unit != NULL && unit[0]) {
        bstep__buf_puts(b, "<span class=\"unit\">");
        bstep__buf_html(b, unit);
        bstep__buf_puts(b, "</span>");
    }
    bstep__buf_puts(b, "</div>");
}

static double backward_share(const bstep_store_session *s)
{
    if (s->steps <= 0 || s->steps_backward < 0)
        return (double)NAN;
    return (double)s->steps_backward / (double)s->steps;
}

/* Capture a chart written by src/report/svg.c (to a FILE) into the page. */
static void svg_bar_into(bstep__buf *out, const bstep__svg_chart *c, const char *const *labels,
                         size_t n, const bstep__svg_series *s, size_t ns)
{
    char *p = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&p, &len);
    if (f == NULL) {
        out->oom = 1;
        return;
    }
    bstep__svg_bar_chart(f, c, labels, n, s, ns);
    fclose(f);
    bstep__buf_add(out, p, len);
    free(p);
}

static void svg_line_into(bstep__buf *out, const bstep__svg_chart *c, const bstep__svg_series *s,
                          size_t ns)
{
    char *p = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&p, &len);
    if (f == NULL) {
        out->oom = 1;
        return;
    }
    bstep__svg_line_chart(f, c, s, ns);
    fclose(f);
    bstep__buf_add(out, p, len);
    free(p);
}

/* ---- sign-in -------------------------------------------------------------------------------- */

static void login_page(bstep__req *r, const char *message)
{
    bstep__buf c, m;
    bstep__buf_init(&c);
    bstep__buf_init(&m);
    if (message != NULL) {
        bstep__buf_puts(&m, "<p class=\"msg err\">");
        bstep__buf_html(&m, message);
        bstep__buf_puts(&m, "</p>");
    }
    {
        const kv vals[] = {{"message", m.p != NULL ? m.p : ""}};
        render(&c, "login.html", vals, 1);
    }
    page(r, "Sign in", "", &c, NULL);
    bstep__buf_free(&c);
    bstep__buf_free(&m);
}

static void login_post(bstep__req *r)
{
    char tok[256];
    if (r->body == NULL ||
        bstep__form_value(r->body, r->body_len, "token", tok, sizeof(tok)) != 0 ||
        strncmp(tok, "bst_", 4) != 0 ||
        strspn(tok + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
                        "mnopqrstuvwxyz0123456789-_") != strlen(tok + 4)) {
        r->status = 401;
        login_page(r, "That is not a backstep access token.");
        return;
    }
    {
        /* check it as a bearer token would be */
        unsigned char hash[BSTEP__TOKEN_HASH_BYTES];
        bstep_store_token t;
        bstep__token_hash(tok, hash);
        if (bstep_store_token_lookup(bstep__req_store(r), hash, sizeof(hash), &t) != BSTEP_OK) {
            r->status = 401;
            login_page(r, "Unknown or revoked token.");
            return;
        }
    }
    snprintf(r->set_cookie, sizeof(r->set_cookie),
             "bstep_token=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000", tok);
    redirect(r, "/sessions");
}

/* ---- sessions ------------------------------------------------------------------------------- */

/* Whose data: ?user=NAME when the viewer may see it, else the viewer. 0 and a 403/404 page when
 * not allowed. For a clinician or an admin without ?user, *all = 1 (their clinic / everyone). */
static int64_t subject(bstep__req *r, int *all, char *name, size_t cap)
{
    const char *u = bstep__req_arg(r, "user");
    bstep_store_user su;
    *all = 0;
    if (u == NULL || u[0] == '\0') {
        snprintf(name, cap, "%s", r->user.name);
        if (r->user.role != BSTEP_ROLE_WALKER)
            *all = 1;
        return r->user.id;
    }
    if (bstep_store_user_find(bstep__req_store(r), u, &su) != BSTEP_OK ||
        !bstep__req_can_view(r, su.id)) {
        error_page(r, 404, "No such walker, or not one of yours.");
        return 0;
    }
    snprintf(name, cap, "%s", su.name);
    return su.id;
}

static void session_row(bstep__req *r, bstep__buf *c, const bstep_store_session *s, int show_user)
{
    char when[64], dur[32], steps[32], back[32], toe[32], cad[32], dist[32];
    fmt_when(when, sizeof(when), s->start_us);
    fmt_dur(dur, sizeof(dur), s->duration_s);
    snprintf(steps, sizeof(steps), "%lld", (long long)s->steps);
    fmt_pct(back, sizeof(back), backward_share(s));
    fmt_pct(toe, sizeof(toe), s->toe_first_ratio);
    fmt_num(cad, sizeof(cad), s->cadence_spm, 0, "steps/min");
    fmt_num(dist, sizeof(dist), s->distance_m, 0, "m");
    bstep__buf_printf(c, "<li><a class=\"row\" href=\"/sessions/%lld\">", (long long)s->id);
    bstep__buf_puts(c, "<span class=\"when\">");
    bstep__buf_html(c, when);
    bstep__buf_puts(c, "</span><span class=\"big\">");
    bstep__buf_html(c, steps);
    bstep__buf_puts(c, " steps</span><span class=\"facts\">");
    if (show_user) {
        bstep_store_user u;
        if (bstep_store_user_get(bstep__req_store(r), s->user_id, &u) == BSTEP_OK) {
            bstep__buf_puts(c, "<span>");
            bstep__buf_html(c, u.name);
            bstep__buf_puts(c, "</span>");
        }
    }
    bstep__buf_puts(c, "<span>");
    bstep__buf_html(c, dur);
    bstep__buf_puts(c, "</span><span>backward ");
    bstep__buf_html(c, back);
    bstep__buf_puts(c, "</span><span>toes first ");
    bstep__buf_html(c, toe);
    bstep__buf_puts(c, "</span><span>");
    bstep__buf_html(c, cad);
    bstep__buf_puts(c, "</span><span>");
    bstep__buf_html(c, dist);
    bstep__buf_puts(c, "</span>");
    if (s->state == BSTEP_SESSION_LIVE)
        bstep__buf_puts(c, "<span class=\"pill on\">live</span>");
    bstep__buf_puts(c, "</span></a></li>");
}

static void sessions_page(bstep__req *r)
{
    bstep_store_filter f;
    bstep_store_session *list = NULL;
    size_t n = 0, i;
    int all;
    char name[BSTEP_STORE_NAME_MAX];
    int64_t uid = subject(r, &all, name, sizeof(name));
    bstep__buf c;
    if (uid == 0)
        return;
    bstep_store_filter_init(&f);
    f.newest_first = 1;
    f.limit = 200;
    f.include_live = 1;
    if (all) {
        f.user_id = 0;
        f.clinic_id = r->user.role == BSTEP_ROLE_ADMIN ? 0 : r->user.clinic_id;
        if (r->user.role == BSTEP_ROLE_CLINICIAN && r->user.clinic_id == 0)
            f.user_id = r->user.id;
    } else {
        f.user_id = uid;
    }
    if (bstep_store_session_list(bstep__req_store(r), &f, &list, &n) != BSTEP_OK) {
        error_page(r, 500, bstep_store_errmsg(bstep__req_store(r)));
        return;
    }
    bstep__buf_init(&c);
    bstep__buf_puts(&c, "<h1>Sessions");
    if (!all && uid != r->user.id) {
        bstep__buf_puts(&c, " of ");
        bstep__buf_html(&c, name);
    } else if (all) {
        bstep__buf_puts(&c, r->user.role == BSTEP_ROLE_ADMIN ? " of everyone" : " of your walkers");
    }
    bstep__buf_puts(&c, "</h1>");
    if (n == 0)
        bstep__buf_puts(&c, "<p class=\"card empty\">No sessions yet. Analyse a recording with "
                            "<code>backstep analyze</code>, upload one to "
                            "<code>POST /api/sessions</code>, or stream from the Sensor Logger app "
                            "to <code>/api/ingest</code>.</p>");
    bstep__buf_puts(&c, "<ul class=\"list\" id=\"sessions\">");
    for (i = 0; i < n; i++)
        if (all ? bstep__req_can_view(r, list[i].user_id) : 1)
            session_row(r, &c, &list[i], all);
    bstep__buf_puts(&c, "</ul>");
    bstep_store_free(list);
    page(r, "Sessions", "sessions", &c, NULL);
    bstep__buf_free(&c);
}

static const char *dir_class(bstep_direction d)
{
    switch (d) {
    case BSTEP_DIRECTION_BACKWARD:
        return "backward";
    case BSTEP_DIRECTION_FORWARD:
        return "forward";
    case BSTEP_DIRECTION_SIDEWAYS_LEFT:
    case BSTEP_DIRECTION_SIDEWAYS_RIGHT:
        return "sideways";
    default:
        return "unknown";
    }
}

static const char *dir_colour(bstep_direction d)
{
    switch (d) {
    case BSTEP_DIRECTION_BACKWARD:
        return "#0b7a75";
    case BSTEP_DIRECTION_FORWARD:
        return "#d9822b";
    case BSTEP_DIRECTION_SIDEWAYS_LEFT:
    case BSTEP_DIRECTION_SIDEWAYS_RIGHT:
        return "#7b5cc4";
    default:
        return "#9aa4b2";
    }
}

/* Step-by-step timeline: one bar per step at its contact time, coloured by direction; toe-first
 * steps stand tall with a dot, heel-first ones are short, flat ones in between; bouts underneath,
 * events as red ticks. */
static void timeline_svg(bstep__buf *c, const bstep_store_session_full *f)
{
    const double W = 1000.0, H = 150.0, x0 = 40.0, x1 = 990.0, base = 110.0;
    double dur = f->session.duration_s;
    size_t i;
    double bar_w;
    if (!isfinite(dur) || dur <= 0.0)
        dur = f->n_steps > 0 ? f->steps[f->n_steps - 1].ic_s + 1.0 : 1.0;
    /* bars about half as wide as the mean spacing, 1.5 to 8 units */
    bar_w = f->n_steps > 0 ? 0.5 * (x1 - x0) / (double)f->n_steps : 8.0;
    bar_w = bar_w < 1.5 ? 1.5 : bar_w > 8.0 ? 8.0 : bar_w;
    bstep__buf_printf(c,
                      "<svg class=\"chart\" id=\"timeline\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                      "aria-label=\"step timeline: %zu steps\">",
                      W, H, f->n_steps);
    bstep__buf_printf(c,
                      "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#9aa4b2\"/>",
                      x0, base, x1, base);
    for (i = 0; i < f->n_bouts; i++) {
        const bstep_store_bout *b = &f->bouts[i];
        double a = x0 + (x1 - x0) * b->start_s / dur,
               e = x0 + (x1 - x0) * (isfinite(b->end_s) ? b->end_s : dur) / dur;
        bstep__buf_printf(c,
                          "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"6\" rx=\"3\" "
                          "fill=\"%s\" opacity=\"0.45\"><title>",
                          a, base + 8, e - a > 1 ? e - a : 1,
                          strstr(b->activity, "backward") ? "#0b7a75" : "#d9822b");
        bstep__buf_html(c, b->activity);
        bstep__buf_printf(c, " %.0f-%.0f s</title></rect>", b->start_s, b->end_s);
    }
    for (i = 0; i < f->n_steps; i++) {
        const bstep_store_step *s = &f->steps[i];
        const double x = x0 + (x1 - x0) * s->ic_s / dur;
        const double bw = bar_w;
        const double h = s->strike == BSTEP_STRIKE_TOE    ? 70.0
                         : s->strike == BSTEP_STRIKE_FLAT ? 55.0
                         : s->strike == BSTEP_STRIKE_HEEL ? 40.0
                                                          : 50.0;
        bstep__buf_printf(c,
                          "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
                          "rx=\"1\" fill=\"%s\"><title>%.1f s: %s, %s</title></rect>",
                          dir_class(s->direction), x - bw / 2, base - h, bw, h,
                          dir_colour(s->direction), s->ic_s, bstep_direction_name(s->direction),
                          bstep_strike_name(s->strike));
        if (s->strike == BSTEP_STRIKE_TOE)
            bstep__buf_printf(c, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#5f6b7d\"/>", x,
                              base - h - bw, bw / 2 > 1.5 ? bw / 2 : 1.5);
    }
    for (i = 0; i < f->n_events; i++) {
        const double x = x0 + (x1 - x0) * f->events[i].t_s / dur;
        bstep__buf_printf(c,
                          "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#b3261e\" "
                          "stroke-dasharray=\"3 3\"><title>",
                          x, x, base);
        bstep__buf_html(c, f->events[i].type);
        bstep__buf_puts(c, "</title></line>");
    }
    {
        int k;
        for (k = 0; k <= 4; k++) {
            const double t = dur * k / 4.0;
            char d[32];
            fmt_dur(d, sizeof(d), t);
            bstep__buf_printf(c, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"%s\">",
                              x0 + (x1 - x0) * k / 4.0, H - 8,
                              k == 0   ? "start"
                              : k == 4 ? "end"
                                       : "middle");
            bstep__buf_html(c, d);
            bstep__buf_puts(c, "</text>");
        }
    }
    bstep__buf_puts(c, "</svg>");
}

/* Stride length over the session, backward and forward strides as two lines (svg.c). */
static void stride_chart(bstep__buf *c, const bstep_store_session_full *f)
{
    double *x, *yb, *yf;
    size_t i, n = 0;
    bstep__svg_chart ch;
    bstep__svg_series s[2];
    for (i = 0; i < f->n_steps; i++)
        n += isfinite(f->steps[i].stride_length_m);
    if (n < 2)
        return;
    x = malloc(f->n_steps * sizeof(*x));
    yb = malloc(f->n_steps * sizeof(*yb));
    yf = malloc(f->n_steps * sizeof(*yf));
    if (x == NULL || yb == NULL || yf == NULL) {
        free(x);
        free(yb);
        free(yf);
        return;
    }
    for (i = 0; i < f->n_steps; i++) {
        const bstep_store_step *st = &f->steps[i];
        x[i] = st->ic_s;
        yb[i] = st->direction == BSTEP_DIRECTION_BACKWARD ? st->stride_length_m : (double)NAN;
        yf[i] = st->direction == BSTEP_DIRECTION_FORWARD ? st->stride_length_m : (double)NAN;
    }
    bstep__svg_chart_init(&ch);
    ch.x_label = "time (s)";
    ch.y_label = "stride length (m)";
    ch.y_decimals = 2;
    s[0].name = "backward";
    s[0].color = "#0b7a75";
    s[0].x = x;
    s[0].y = yb;
    s[0].n = f->n_steps;
    s[1].name = "forward";
    s[1].color = "#d9822b";
    s[1].x = x;
    s[1].y = yf;
    s[1].n = f->n_steps;
    bstep__buf_puts(c, "<section class=\"card\" id=\"strides\"><h2>Stride length</h2>");
    ch.css_class = "svgc only-wide";
    ch.width_px = 960;
    ch.height_px = 280;
    svg_line_into(c, &ch, s, 2);
    ch.css_class = "svgc only-narrow";
    ch.width_px = 360;
    ch.height_px = 240;
    svg_line_into(c, &ch, s, 2);
    bstep__buf_puts(c, "</section>");
    free(x);
    free(yb);
    free(yf);
}

/* The session's assessment, as analyze's report gives it (docs/coach.md section 2): the things
 * to work on next session, then each technique score with its band. */
static void assessment_card(bstep__req *r, bstep__buf *c, const bstep_store_session *s)
{
    bstep_assessment as;
    size_t i;
    int k;
    if (bstep__store_session_assess(bstep__req_store(r), s, &as) != BSTEP_OK)
        return;
    bstep__buf_puts(c, "<section class=\"card\" id=\"assessment\"><h2>Next session</h2>");
    if (as.n_advice == 0)
        bstep__buf_puts(c, "<p id=\"advice\">Nothing stood out: keep walking as you did.</p>");
    else {
        bstep__buf_puts(c, "<ol id=\"advice\">");
        for (i = 0; i < as.n_advice; i++) {
            const bstep_advice *ad = &as.advice[i];
            bstep__buf_printf(c, "<li class=\"%s\"><strong>", bstep_band_name(ad->band));
            bstep__buf_html(c, bstep_advice_text(ad->id));
            bstep__buf_puts(c, "</strong>");
            if (isfinite(ad->measured)) {
                char v[96];
                const char *unit = bstep_advice_unit(ad->id);
                snprintf(v, sizeof(v), " (%.3g %s", ad->measured, unit);
                bstep__buf_html(c, v);
                if (isfinite(ad->target)) {
                    snprintf(v, sizeof(v), "; target %.3g %s", ad->target, unit);
                    bstep__buf_html(c, v);
                }
                bstep__buf_puts(c, ")");
            }
            bstep__buf_puts(c, " <span class=\"muted\">");
            bstep__buf_html(c, bstep_advice_reason(ad->id));
            bstep__buf_puts(c, "</span></li>");
        }
        bstep__buf_puts(c, "</ol>");
    }
    bstep__buf_puts(c, "<dl class=\"kv\" id=\"scores\">");
    for (k = 0; k < BSTEP_SCORE_COUNT; k++) {
        const bstep_score *sc = &as.score[k];
        char v[96];
        if (sc->band == BSTEP_BAND_UNKNOWN)
            snprintf(v, sizeof(v), "not measured");
        else
            snprintf(v, sizeof(v), "%.3g %s: %s", sc->value, bstep_score_unit(sc->id),
                     bstep_band_name(sc->band));
        bstep__buf_puts(c, "<dt>");
        bstep__buf_html(c, bstep_score_name(sc->id));
        bstep__buf_puts(c, "</dt><dd>");
        bstep__buf_html(c, v);
        bstep__buf_puts(c, "</dd>");
    }
    bstep__buf_puts(c, "</dl></section>");
}

static void session_page(bstep__req *r, int64_t id)
{
    bstep_store_session_full *f = NULL;
    bstep__buf c;
    char when[64], v[64], title[96];
    const bstep_store_session *s;
    size_t i, n_toe = 0, n_heel = 0, n_flat = 0;
    int rc = bstep_store_session_load(bstep__req_store(r), id, &f);
    if (rc == BSTEP_ENOTFOUND || (rc == BSTEP_OK && !bstep__req_can_view(r, f->session.user_id))) {
        bstep_store_session_full_free(f);
        error_page(r, 404, "No such session.");
        return;
    }
    if (rc != BSTEP_OK) {
        error_page(r, 500, bstep_store_errmsg(bstep__req_store(r)));
        return;
    }
    s = &f->session;
    bstep__buf_init(&c);
    fmt_when(when, sizeof(when), s->start_us);
    bstep__buf_puts(&c, "<h1>");
    bstep__buf_html(&c, when);
    bstep__buf_puts(&c, "</h1><p class=\"muted\">");
    bstep__buf_html(&c, bstep_placement_name(s->placement));
    bstep__buf_puts(&c, " · ");
    bstep__buf_html(&c, s->source_path);
    if (s->state == BSTEP_SESSION_LIVE)
        bstep__buf_puts(&c, " · <span class=\"pill on\">live</span>");
    bstep__buf_puts(&c, "</p><div class=\"tiles\" id=\"summary\">");
    snprintf(v, sizeof(v), "%lld", (long long)s->steps);
    tile(&c, "Steps", v, "");
    fmt_pct(v, sizeof(v), backward_share(s));
    tile(&c, "Backward", v, "of steps");
    fmt_dur(v, sizeof(v), s->walking_time_s);
    tile(&c, "Walking", v, "");
    fmt_num(v, sizeof(v), s->distance_m, 0, "m");
    tile(&c, "Distance", v, "");
    fmt_num(v, sizeof(v), s->energy_kcal, 0, "kcal");
    tile(&c, "Energy", v, s->energy_mass_assumed ? "70 kg assumed" : "");
    fmt_num(v, sizeof(v), s->cadence_spm, 0, "");
    tile(&c, "Cadence", v, "steps/min");
    bstep__buf_puts(&c, "</div><div class=\"grid2\"><section class=\"card\" id=\"technique\">"
                        "<h2>Technique</h2><dl class=\"kv\">");
    for (i = 0; i < f->n_steps; i++) {
        n_toe += f->steps[i].strike == BSTEP_STRIKE_TOE;
        n_heel += f->steps[i].strike == BSTEP_STRIKE_HEEL;
        n_flat += f->steps[i].strike == BSTEP_STRIKE_FLAT;
    }
    fmt_pct(v, sizeof(v), s->toe_first_ratio);
    bstep__buf_puts(&c, "<dt>Toes first (backward steps)</dt><dd>");
    bstep__buf_html(&c, v);
    bstep__buf_printf(&c, "</dd><dt>Landings</dt><dd>%zu toe, %zu flat, %zu heel</dd>", n_toe,
                      n_flat, n_heel);
    fmt_num(v, sizeof(v), s->stride_time_cv_pct, 1, "%");
    bstep__buf_puts(&c, "<dt>Rhythm (stride time CV)</dt><dd>");
    bstep__buf_html(&c, v);
    fmt_num(v, sizeof(v), s->step_time_asymmetry_pct, 1, "%");
    bstep__buf_puts(&c, "</dd><dt>Left/right asymmetry</dt><dd>");
    bstep__buf_html(&c, v);
    fmt_num(v, sizeof(v), s->speed_mps, 2, "m/s");
    bstep__buf_puts(&c, "</dd><dt>Speed</dt><dd>");
    bstep__buf_html(&c, v);
    fmt_num(v, sizeof(v), s->trunk_lean_deg, 1, "deg");
    bstep__buf_puts(&c, "</dd><dt>Trunk lean</dt><dd>");
    bstep__buf_html(&c, v);
    bstep__buf_puts(&c, "</dd></dl></section><section class=\"card\"><h2>Bouts</h2>");
    if (f->n_bouts == 0)
        bstep__buf_puts(&c, "<p class=\"muted\">No walking bout found.</p>");
    else {
        bstep__buf_puts(&c, "<div class=\"scroll\"><table><tr><th>from</th><th>to</th>"
                            "<th>activity</th><th>steps</th><th>distance</th></tr>");
        for (i = 0; i < f->n_bouts; i++) {
            const bstep_store_bout *b = &f->bouts[i];
            fmt_num(v, sizeof(v), b->distance_m, 1, "m");
            bstep__buf_printf(&c, "<tr><td>%.0f s</td><td>%.0f s</td><td>", b->start_s, b->end_s);
            bstep__buf_html(&c, b->activity);
            bstep__buf_printf(&c, "</td><td>%lld</td><td>", (long long)b->steps);
            bstep__buf_html(&c, v);
            bstep__buf_puts(&c, "</td></tr>");
        }
        bstep__buf_puts(&c, "</table></div>");
    }
    bstep__buf_puts(&c, "</section></div>");
    assessment_card(r, &c, s);
    bstep__buf_puts(&c, "<section class=\"card\"><h2>Step by step</h2>");
    timeline_svg(&c, f);
    bstep__buf_puts(&c,
                    "<p class=\"legend\"><span><span class=\"sw backward\"></span>backward</span>"
                    "<span><span class=\"sw forward\"></span>forward</span><span><span "
                    "class=\"sw sideways\"></span>sideways</span><span><span class=\"sw "
                    "unknown\"></span>unknown</span><span>tall with a dot: toes first</span>"
                    "<span>short: heel first</span></p></section>");
    stride_chart(&c, f);
    bstep__buf_puts(&c, "<section class=\"card\" id=\"events\"><h2>Events</h2>");
    if (f->n_events == 0 && f->n_cues == 0)
        bstep__buf_puts(&c, "<p class=\"muted\">None: no gaps, stumbles or falls.</p>");
    else {
        bstep__buf_puts(&c, "<ul>");
        for (i = 0; i < f->n_events; i++) {
            bstep__buf_printf(&c, "<li>%.1f s · <strong>", f->events[i].t_s);
            bstep__buf_html(&c, f->events[i].type);
            bstep__buf_puts(&c, "</strong> ");
            bstep__buf_html(&c, f->events[i].message);
            bstep__buf_puts(&c, "</li>");
        }
        for (i = 0; i < f->n_cues; i++) {
            bstep__buf_printf(&c, "<li>%.1f s · cue <strong>", f->cues[i].t_s);
            bstep__buf_html(&c, f->cues[i].kind);
            bstep__buf_puts(&c, "</strong> ");
            bstep__buf_html(&c, f->cues[i].message);
            bstep__buf_puts(&c, "</li>");
        }
        bstep__buf_puts(&c, "</ul>");
    }
    bstep__buf_puts(&c, "</section>");
    snprintf(title, sizeof(title), "Session %lld", (long long)id);
    page(r, title, "sessions", &c, NULL);
    bstep__buf_free(&c);
    bstep_store_session_full_free(f);
}

/* ---- progress ------------------------------------------------------------------------------- */

typedef bstep__period period;

static void period_key(int64_t t_us, int weekly, char *key, size_t cap)
{
    time_t t = (time_t)(t_us / 1000000);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL) {
        snprintf(key, cap, "?");
        return;
    }
    if (strftime(key, cap, weekly ? "%G-W%V" : "%Y-%m", &tm) == 0)
        snprintf(key, cap, "?");
}

size_t bstep__progress(const bstep_store_session *list, size_t n, int weekly, bstep__period *p,
                       size_t cap)
{
    size_t np = 0, i;
    for (i = 0; i < n; i++) {
        char key[16];
        period *q;
        period_key(list[i].start_us, weekly, key, sizeof(key));
        if (np > 0 && strcmp(p[np - 1].key, key) == 0)
            q = &p[np - 1];
        else {
            if (np == cap)
                break;
            q = &p[np++];
            memset(q, 0, sizeof(*q));
            snprintf(q->key, sizeof(q->key), "%s", key);
        }
        q->sessions++;
        q->steps += list[i].steps > 0 ? list[i].steps : 0;
        q->steps_backward += list[i].steps_backward > 0 ? list[i].steps_backward : 0;
        if (isfinite(list[i].walking_time_s))
            q->walking_s += list[i].walking_time_s;
        if (isfinite(list[i].backward_time_s))
            q->backward_s += list[i].backward_time_s;
        if (isfinite(list[i].distance_m))
            q->distance_m += list[i].distance_m;
        if (isfinite(list[i].toe_first_ratio)) {
            q->toe_sum += list[i].toe_first_ratio;
            q->toe_n++;
        }
    }
    return np;
}

/* Walking and backward minutes per period over a continuous axis up to now, empty periods
 * included (a gap in training shows as a gap). The chart is the report's bar chart
 * (src/report/svg.c), drawn twice at its natural size: 26 weeks / 12 months for wide screens
 * and 10 weeks / 6 months for phones; the stylesheet shows one of the two. */
static void bars_one(bstep__buf *c, const period *p, size_t n, int weekly, int slots, int w_px,
                     int h_px, const char *cls)
{
    enum { MAXS = 26 };
    double mins[MAXS], back[MAXS];
    char keys[MAXS][16], labels_txt[MAXS][16];
    const char *labels[MAXS];
    int k, every = weekly ? (slots > 12 ? 4 : 3) : (slots > 6 ? 2 : 1);
    time_t now = time(NULL);
    bstep__svg_chart ch;
    bstep__svg_series ser[2];
    for (k = 0; k < slots; k++) {
        size_t i;
        const int ago = slots - 1 - k;
        labels_txt[k][0] = '\0';
        if (weekly) {
            period_key(((int64_t)now - (int64_t)ago * 7 * 86400) * 1000000, 1, keys[k],
                       sizeof(keys[k]));
            if (ago % every == 0)
                snprintf(labels_txt[k], sizeof(labels_txt[k]), "%.8s", keys[k] + 5);
        } else {
            struct tm tm;
            time_t t;
            if (localtime_r(&now, &tm) == NULL)
                return;
            tm.tm_mday = 1;
            tm.tm_hour = 12;
            tm.tm_mon -= ago;
            t = mktime(&tm);
            period_key((int64_t)t * 1000000, 0, keys[k], sizeof(keys[k]));
            if (ago % every == 0 && localtime_r(&t, &tm) != NULL &&
                strftime(labels_txt[k], sizeof(labels_txt[k]), "%b", &tm) == 0)
                labels_txt[k][0] = '\0';
        }
        labels[k] = labels_txt[k];
        mins[k] = back[k] = (double)NAN; /* no bar: a week without walking */
        for (i = 0; i < n; i++)
            if (strcmp(p[i].key, keys[k]) == 0) {
                mins[k] = p[i].walking_s > 0.0 ? p[i].walking_s / 60.0 : (double)NAN;
                back[k] = p[i].backward_s > 0.0 ? p[i].backward_s / 60.0 : (double)NAN;
            }
    }
    bstep__svg_chart_init(&ch);
    ch.css_class = cls;
    ch.width_px = w_px;
    ch.height_px = h_px;
    ch.y_label = "minutes";
    ch.y_min = 0.0;
    ser[0].name = "all walking";
    ser[0].color = "#d9822b";
    ser[0].x = NULL;
    ser[0].y = mins;
    ser[0].n = (size_t)slots;
    ser[1].name = "backward";
    ser[1].color = "#0b7a75";
    ser[1].x = NULL;
    ser[1].y = back;
    ser[1].n = (size_t)slots;
    svg_bar_into(c, &ch, labels, (size_t)slots, ser, 2);
}

static void bars_svg(bstep__buf *c, const period *p, size_t n, int weekly, const char *id)
{
    bstep__buf_printf(c, "<div class=\"chartbox\" id=\"%s\">", id);
    bars_one(c, p, n, weekly, weekly ? 26 : 12, 960, 300, "svgc only-wide");
    bars_one(c, p, n, weekly, weekly ? 10 : 6, 360, 240, "svgc only-narrow");
    bstep__buf_puts(c, "</div>");
}

static void period_table(bstep__buf *c, const period *p, size_t n)
{
    size_t i;
    bstep__buf_puts(c, "<div class=\"scroll\"><table><tr><th>period</th><th>sessions</th>"
                       "<th>steps</th><th>backward</th><th>walking</th><th>distance</th>"
                       "<th>toes first</th></tr>");
    for (i = n; i-- > 0;) {
        char d[32], t[32];
        fmt_dur(d, sizeof(d), p[i].walking_s);
        fmt_pct(t, sizeof(t), p[i].toe_n ? p[i].toe_sum / p[i].toe_n : (double)NAN);
        bstep__buf_printf(c,
                          "<tr><td>%s</td><td>%d</td><td>%lld</td><td>%lld</td><td>%s</td>"
                          "<td>%.0f m</td><td>%s</td></tr>",
                          p[i].key, p[i].sessions, (long long)p[i].steps,
                          (long long)p[i].steps_backward, d, p[i].distance_m, t);
    }
    bstep__buf_puts(c, "</table></div>");
}

static void progress_page(bstep__req *r)
{
    bstep_store_filter f;
    bstep_store_session *list = NULL;
    size_t n = 0, nw, nm;
    int all;
    char name[BSTEP_STORE_NAME_MAX];
    int64_t uid = subject(r, &all, name, sizeof(name));
    period *weeks, *months;
    bstep__buf c;
    if (uid == 0)
        return;
    bstep_store_filter_init(&f);
    f.user_id = uid;
    if (bstep_store_session_list(bstep__req_store(r), &f, &list, &n) != BSTEP_OK) {
        error_page(r, 500, bstep_store_errmsg(bstep__req_store(r)));
        return;
    }
    weeks = calloc(n + 1, sizeof(*weeks));
    months = calloc(n + 1, sizeof(*months));
    if (weeks == NULL || months == NULL) {
        free(weeks);
        free(months);
        bstep_store_free(list);
        error_page(r, 500, "out of memory");
        return;
    }
    nw = bstep__progress(list, n, 1, weeks, n + 1);
    nm = bstep__progress(list, n, 0, months, n + 1);
    bstep__buf_init(&c);
    bstep__buf_puts(&c, "<h1>Progress");
    if (uid != r->user.id) {
        bstep__buf_puts(&c, " of ");
        bstep__buf_html(&c, name);
    }
    bstep__buf_puts(&c, "</h1>");
    if (n == 0)
        bstep__buf_puts(&c, "<p class=\"card empty\">No sessions yet.</p>");
    else {
        bstep__buf_puts(&c, "<section class=\"card\"><h2>Weeks</h2>");
        bars_svg(&c, weeks, nw, 1, "weeks");
        period_table(&c, weeks, nw);
        bstep__buf_puts(&c, "</section><section class=\"card\"><h2>Months</h2>");
        bars_svg(&c, months, nm, 0, "months");
        period_table(&c, months, nm);
        bstep__buf_puts(&c, "</section>");
    }
    free(weeks);
    free(months);
    bstep_store_free(list);
    page(r, "Progress", "progress", &c, NULL);
    bstep__buf_free(&c);
}

/* ---- plan and check-ins --------------------------------------------------------------------- */

static void today(char *buf, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(buf, cap, "%Y-%m-%d", &tm) == 0)
        snprintf(buf, cap, "1970-01-01");
}

/* The plan's parameters (a JSON object set by the coach) as a readable list. */
static void params_list(bstep__buf *c, const char *json)
{
    cJSON *j = cJSON_Parse(json), *v;
    if (j == NULL || !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return;
    }
    bstep__buf_puts(c, "<dl class=\"kv\" id=\"prescription\">");
    for (v = j->child; v != NULL; v = v->next) {
        char key[64], *txt;
        size_t i;
        snprintf(key, sizeof(key), "%s", v->string != NULL ? v->string : "");
        for (i = 0; key[i]; i++)
            if (key[i] == '_' || key[i] == '-')
                key[i] = ' ';
        bstep__buf_puts(c, "<dt>");
        bstep__buf_html(c, key);
        bstep__buf_puts(c, "</dt><dd>");
        if (cJSON_IsString(v))
            bstep__buf_html(c, v->valuestring);
        else if ((txt = cJSON_PrintUnformatted(v)) != NULL) {
            bstep__buf_html(c, txt);
            free(txt);
        }
        bstep__buf_puts(c, "</dd>");
    }
    bstep__buf_puts(c, "</dl>");
    cJSON_Delete(j);
}

/* Today's session from the coach's plan and level tables (include/backstep/coach.h): the dose
 * of the plan, whether today is one of its session days, and what the current level asks for. */
static void todays_session(bstep__buf *c, const bstep_store_plan *p, const char *today_date)
{
    bstep_plan_id pid;
    const bstep_plan *pl;
    const bstep_level *lv;
    int y, m, d, ty, tm_, td;
    char *end;
    if (bstep_plan_parse(p->kind, &pid) != BSTEP_OK || (pl = bstep_plan_get(pid)) == NULL) {
        bstep__buf_puts(c, "<p>");
        bstep__buf_html(c, p->kind);
        bstep__buf_printf(c, " plan, level %d, since ", p->level);
        bstep__buf_html(c, p->start_date);
        bstep__buf_puts(c, ".</p>");
        return;
    }
    lv = bstep_level_get(p->level >= 1 ? p->level : 1);
    bstep__buf_puts(c, "<p><strong>");
    bstep__buf_html(c, pl->title);
    bstep__buf_puts(c, "</strong>, since ");
    bstep__buf_html(c, p->start_date);
    bstep__buf_puts(c, ". ");
    bstep__buf_html(c, pl->dose);
    bstep__buf_puts(c, "</p>");
    y = (int)strtol(p->start_date, &end, 10);
    m = (int)strtol(p->start_date + 5, &end, 10);
    d = (int)strtol(p->start_date + 8, &end, 10);
    ty = (int)strtol(today_date, &end, 10);
    tm_ = (int)strtol(today_date + 5, &end, 10);
    td = (int)strtol(today_date + 8, &end, 10);
    if (bstep_plan_is_session_day(pid, bstep_day_from_civil(y, m, d),
                                  bstep_day_from_civil(ty, tm_, td)))
        bstep__buf_printf(c,
                          "<p class=\"big\"><strong>Today: %d to %d minutes of backward "
                          "walking</strong>",
                          pl->minutes_min, pl->minutes_max);
    else
        bstep__buf_puts(c, "<p class=\"big\"><strong>Today is a rest day</strong> in the plan's "
                           "week (a session is still fine if you feel well)");
    bstep__buf_puts(c, "</p>");
    if (lv != NULL) {
        bstep__buf_printf(c, "<dl class=\"kv\" id=\"level\"><dt>Level %d</dt><dd>", lv->number);
        bstep__buf_html(c, lv->title);
        bstep__buf_puts(c, "</dd><dt>How</dt><dd>");
        bstep__buf_html(c, lv->how);
        if (isfinite(lv->speed_max_mps))
            bstep__buf_printf(c, "</dd><dt>Speed</dt><dd>%.1f to %.1f m/s", lv->speed_min_mps,
                              lv->speed_max_mps);
        bstep__buf_puts(c, "</dd></dl>");
    }
    if (pl->source != NULL && pl->source[0]) {
        bstep__buf_puts(c, "<p class=\"muted\">Dose from: ");
        bstep__buf_html(c, pl->source);
        bstep__buf_puts(c, "</p>");
    }
}

static void plan_page(bstep__req *r)
{
    bstep_store_plan p;
    bstep__buf c;
    char date[16];
    int rc;
    int all;
    char name[BSTEP_STORE_NAME_MAX];
    int64_t uid = subject(r, &all, name, sizeof(name));
    bstep_store_checkin *ck = NULL;
    size_t nck = 0, i;
    bstep_store_filter f;
    bstep_store_session *todays = NULL;
    size_t nt = 0;
    if (uid == 0)
        return;
    today(date, sizeof(date));
    bstep__buf_init(&c);
    bstep__buf_puts(&c, "<h1>Plan");
    if (uid != r->user.id) {
        bstep__buf_puts(&c, " of ");
        bstep__buf_html(&c, name);
    }
    bstep__buf_puts(&c, "</h1><div class=\"grid2\">");
    rc = bstep_store_plan_active(bstep__req_store(r), uid, &p);
    bstep__buf_puts(&c, "<section class=\"card today\" id=\"today\"><h2>Today</h2>");
    bstep_store_filter_init(&f);
    f.user_id = uid;
    {
        time_t t = time(NULL);
        struct tm tm;
        if (localtime_r(&t, &tm) != NULL) {
            tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
            f.from_us = (int64_t)mktime(&tm) * 1000000;
            f.to_us = f.from_us + (int64_t)86400 * 1000000;
        }
    }
    if (bstep_store_session_list(bstep__req_store(r), &f, &todays, &nt) != BSTEP_OK)
        nt = 0;
    if (rc == BSTEP_OK) {
        todays_session(&c, &p, date);
        if (p.params_json[0])
            params_list(&c, p.params_json);
    } else {
        bstep__buf_puts(&c, "<p>No plan yet. Start one with <code>backstep plan</code> or "
                            "<code>POST /api/plans</code>. A general start: 3 to 4 sessions a "
                            "week of 10 to 15 minutes, slowly, holding the treadmill rails.</p>");
    }
    if (nt > 0) {
        double mins = 0.0;
        for (i = 0; i < nt; i++)
            mins += isfinite(todays[i].walking_time_s) ? todays[i].walking_time_s / 60.0 : 0.0;
        bstep__buf_printf(&c,
                          "<p><strong>Done today:</strong> %zu session%s, %.0f min walking.</p>",
                          nt, nt == 1 ? "" : "s", mins);
    } else {
        bstep__buf_puts(&c, "<p><strong>Not walked yet today.</strong></p>");
    }
    bstep_store_free(todays);
    bstep__buf_puts(&c, "</section>");
    if (rc == BSTEP_OK) {
        bstep_store_plan_progress *pp = NULL;
        size_t npp = 0;
        if (bstep_store_plan_progress_list(bstep__req_store(r), p.id, &pp, &npp) == BSTEP_OK &&
            npp > 0) {
            bstep__buf_puts(&c, "<section class=\"card\"><h2>Plan history</h2><ul>");
            for (i = npp; i-- > 0 && npp - i <= 20;) {
                char when[64];
                fmt_when(when, sizeof(when), pp[i].at_us);
                bstep__buf_puts(&c, "<li>");
                bstep__buf_html(&c, when);
                bstep__buf_puts(&c, " · ");
                bstep__buf_html(&c, pp[i].kind);
                bstep__buf_printf(&c, " (level %d to %d) ", pp[i].level_from, pp[i].level_to);
                bstep__buf_html(&c, pp[i].reason);
                bstep__buf_puts(&c, "</li>");
            }
            bstep__buf_puts(&c, "</ul></section>");
        }
        bstep_store_free(pp);
    }
    bstep__buf_puts(&c, "</div><section class=\"card\" id=\"checkin\"><h2>Check-in</h2>");
    if (uid == r->user.id) {
        bstep__buf_puts(&c,
                        "<form method=\"post\" action=\"/checkins\" class=\"stack\">"
                        "<label for=\"pain\">Pain today (0 none, 10 worst)</label>"
                        "<input id=\"pain\" name=\"pain\" type=\"number\" min=\"0\" max=\"10\" "
                        "required><label for=\"wellbeing\">Wellbeing (0 poor, 10 very good)"
                        "</label><input id=\"wellbeing\" name=\"wellbeing\" type=\"number\" "
                        "min=\"0\" max=\"10\"><label for=\"note\">Note</label><input id=\"note\""
                        " name=\"note\" maxlength=\"200\"><button type=\"submit\">Save check-in"
                        "</button></form>");
    }
    if (bstep_store_checkin_list(bstep__req_store(r), uid, NULL, NULL, &ck, &nck) == BSTEP_OK &&
        nck > 0) {
        bstep__buf_puts(&c, "<div class=\"scroll\"><table><tr><th>date</th><th>pain</th>"
                            "<th>wellbeing</th><th>note</th></tr>");
        for (i = nck; i-- > 0 && nck - i <= 30;) {
            bstep__buf_puts(&c, "<tr><td>");
            bstep__buf_html(&c, ck[i].date);
            if (ck[i].pain_0_10 >= 0)
                bstep__buf_printf(&c, "</td><td>%d", ck[i].pain_0_10);
            else
                bstep__buf_puts(&c, "</td><td>–");
            if (ck[i].wellbeing_0_10 >= 0)
                bstep__buf_printf(&c, "</td><td>%d</td><td>", ck[i].wellbeing_0_10);
            else
                bstep__buf_puts(&c, "</td><td>–</td><td>");
            bstep__buf_html(&c, ck[i].note);
            bstep__buf_puts(&c, "</td></tr>");
        }
        bstep__buf_puts(&c, "</table></div>");
    }
    bstep_store_free(ck);
    bstep__buf_puts(&c, "</section>");
    page(r, "Plan", "plan", &c, NULL);
    bstep__buf_free(&c);
}

static void checkin_post(bstep__req *r)
{
    char pain[8], well[8], note[256];
    bstep_store_checkin ck;
    char *end;
    long v;
    memset(&ck, 0, sizeof(ck));
    ck.user_id = r->user.id;
    ck.pain_0_10 = ck.wellbeing_0_10 = -1;
    today(ck.date, sizeof(ck.date));
    if (r->body == NULL ||
        bstep__form_value(r->body, r->body_len, "pain", pain, sizeof(pain)) != 0) {
        error_page(r, 400, "pain: a number from 0 to 10 is required");
        return;
    }
    v = strtol(pain, &end, 10);
    if (*end != '\0' || end == pain || v < 0 || v > 10) {
        error_page(r, 400, "pain: a number from 0 to 10 is required");
        return;
    }
    ck.pain_0_10 = (int)v;
    if (bstep__form_value(r->body, r->body_len, "wellbeing", well, sizeof(well)) == 0 && well[0]) {
        v = strtol(well, &end, 10);
        if (*end != '\0' || v < 0 || v > 10) {
            error_page(r, 400, "wellbeing: a number from 0 to 10");
            return;
        }
        ck.wellbeing_0_10 = (int)v;
    }
    if (bstep__form_value(r->body, r->body_len, "note", note, sizeof(note)) == 0)
        snprintf(ck.note, sizeof(ck.note), "%s", note);
    if (bstep_store_checkin_add(bstep__req_store(r), &ck) != BSTEP_OK) {
        error_page(r, 500, bstep_store_errmsg(bstep__req_store(r)));
        return;
    }
    redirect(r, "/plan");
}

/* ---- live ----------------------------------------------------------------------------------- */

static void live_list_page(bstep__req *r)
{
    bstep_server *s = r->srv;
    bstep__live_entry *e, *picked[256];
    size_t n = 0, i, shown = 0;
    bstep__buf c;
    pthread_mutex_lock(&s->mu);
    for (e = s->lives; e != NULL && n < 256; e = e->next) {
        e->refs++;
        picked[n++] = e;
    }
    pthread_mutex_unlock(&s->mu);
    bstep__buf_init(&c);
    bstep__buf_puts(&c, "<h1>Live sessions</h1><ul class=\"list\" id=\"live-list\">");
    for (i = 0; i < n; i++) {
        e = picked[i];
        if (bstep__req_can_view(r, e->user_id)) {
            char when[64];
            fmt_when(when, sizeof(when), e->started_wall_us);
            bstep__buf_printf(&c, "<li><a class=\"row\" href=\"/live/%s\"><span class=\"when\">",
                              e->lid);
            bstep__buf_html(&c, e->device_id);
            bstep__buf_puts(&c, "</span><span class=\"pill");
            bstep__buf_puts(&c, e->ended ? " off\">ended" : " on\">live");
            bstep__buf_puts(&c, "</span><span class=\"facts\"><span>since ");
            bstep__buf_html(&c, when);
            bstep__buf_puts(&c, "</span><span>");
            bstep__buf_html(&c, bstep_placement_name(e->opt.placement));
            bstep__buf_puts(&c, "</span></span></a></li>");
            shown++;
        }
        bstep__live_unref(s, e);
    }
    bstep__buf_puts(&c, "</ul>");
    if (shown == 0)
        bstep__buf_puts(&c,
                        "<p class=\"card empty\">Nothing streaming. In the Sensor Logger app, turn "
                        "on HTTP Push to <code>http://THIS-HOST:PORT/api/ingest?placement=pocket"
                        "&amp;token=YOUR-TOKEN</code> (add <code>&amp;platform=ios</code> on an "
                        "iPhone) and start recording.</p>");
    page(r, "Live", "live", &c, NULL);
    bstep__buf_free(&c);
}

static void live_page(bstep__req *r, const char *lid)
{
    bstep__live_entry *e = bstep__live_find(r->srv, lid);
    bstep__buf c;
    if (e != NULL && !bstep__req_can_view(r, e->user_id)) {
        bstep__live_unref(r->srv, e);
        e = NULL;
    }
    if (e == NULL) {
        error_page(r, 404, "No such live session (it may have ended a while ago: see Sessions).");
        return;
    }
    bstep__buf_init(&c);
    {
        const kv vals[] = {{"lid", e->lid}, {"device", e->device_id}};
        render(&c, "live.html", vals, 2);
    }
    bstep__live_unref(r->srv, e);
    page(r, "Live", "live", &c, "<script src=\"/static/live.js\" defer></script>");
    bstep__buf_free(&c);
}

/* ---- dispatch ------------------------------------------------------------------------------- */

static int parse_id(const char *s, int64_t *id)
{
    char *end;
    long long v;
    if (*s < '1' || *s > '9' || strlen(s) > 18)
        return -1;
    v = strtoll(s, &end, 10);
    if (*end != '\0')
        return -1;
    *id = v;
    return 0;
}

void bstep__h_page(bstep__req *r)
{
    const char *p = r->path;
    const int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    const int post = strcmp(r->method, "POST") == 0;
    int64_t id;
    r->ctype = "text/html; charset=utf-8";
    if (strcmp(p, "/login") == 0) {
        if (get)
            login_page(r, NULL);
        else if (post)
            login_post(r);
        else
            error_page(r, 405, "Use GET or POST.");
        return;
    }
    if (strcmp(p, "/logout") == 0 && post) {
        snprintf(r->set_cookie, sizeof(r->set_cookie),
                 "bstep_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        redirect(r, "/login");
        return;
    }
    if (!bstep__req_auth(r, 0, 1)) {
        if (get)
            redirect(r, "/login");
        else
            error_page(r, 401, "Sign in first.");
        return;
    }
    if (post && strcmp(p, "/checkins") == 0) {
        if (!bstep__req_origin_ok(r))
            error_page(r, 403, "Cross-site request refused.");
        else
            checkin_post(r);
        return;
    }
    if (!get) {
        error_page(r, 405, "Use GET.");
        return;
    }
    if (strcmp(p, "/") == 0)
        redirect(r, "/sessions");
    else if (strcmp(p, "/sessions") == 0)
        sessions_page(r);
    else if (strncmp(p, "/sessions/", 10) == 0 && parse_id(p + 10, &id) == 0)
        session_page(r, id);
    else if (strcmp(p, "/progress") == 0)
        progress_page(r);
    else if (strcmp(p, "/plan") == 0)
        plan_page(r);
    else if (strcmp(p, "/live") == 0)
        live_list_page(r);
    else if (strncmp(p, "/live/", 6) == 0 && strlen(p + 6) < 64 && p[6] != '\0')
        live_page(r, p + 6);
    else
        error_page(r, 404, "No such page.");
}
