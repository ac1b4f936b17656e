/* Plain words, JSON and iCalendar for the coach's data (plan_report.h). */
#include "report/plan_report.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define SAFETY_LINE                                                                                \
    "Safety: walk backward only where it is flat, clear and quiet, ideally with someone "          \
    "watching; on a treadmill clip on the safety key and hold the rails. Stop if you feel pain, "  \
    "dizziness or unsteadiness. backstep does not give medical advice."

void bstep__day_text(int32_t day, char *buf, size_t cap)
{
    int y, m, d;
    bstep_day_to_civil(day, &y, &m, &d);
    snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

int bstep__day_parse(const char *t, int32_t *day)
{
    int y, m, d, i, yy, mm, dd;
    if (t == NULL || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
        return -1;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
            return -1;
    y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    m = (t[5] - '0') * 10 + (t[6] - '0');
    d = (t[8] - '0') * 10 + (t[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *day = bstep_day_from_civil(y, m, d);
    bstep_day_to_civil(*day, &yy, &mm, &dd); /* 2026-02-30 does not come back */
    return yy == y && mm == m && dd == d ? 0 : -1;
}

static const char *level_title(int level)
{
    const bstep_level *l = bstep_level_get(level);
    return l != NULL ? l->title : "?";
}

void bstep__decision_summary(const bstep_coach_decision *d, char *buf, size_t cap)
{
    size_t n;
    if (d->level_to != d->level_from)
        n = (size_t)snprintf(buf, cap, "level %d -> %d: %s", d->level_from, d->level_to,
                             bstep_coach_reason_text(d->reason));
    else
        n = (size_t)snprintf(buf, cap, "level %d, %s: %s", d->level_to,
                             bstep_coach_action_name(d->action),
                             bstep_coach_reason_text(d->reason));
    if (n < cap && d->gates_evaluated && d->reason == BSTEP_COACH_REASON_GATES_NOT_MET) {
        int i, first = 1;
        for (i = 0; i < BSTEP_GATE_COUNT && n < cap; i++) {
            const bstep_gate_status st = d->gates[i].status;
            if (st != BSTEP_GATE_FAIL && st != BSTEP_GATE_UNKNOWN)
                continue;
            n += (size_t)snprintf(buf + n, cap - n, "%s%s %s", first ? " (" : ", ",
                                  bstep_gate_name((bstep_gate_id)i),
                                  st == BSTEP_GATE_FAIL ? "not met" : "unknown");
            first = 0;
        }
        if (!first && n < cap)
            snprintf(buf + n, cap - n, ")");
    }
}

/* One gate in words: the measured value against its threshold. */
static void gate_words(const bstep_gate_result *g, char *buf, size_t cap)
{
    const double v = g->value, t = g->threshold;
    if (g->status == BSTEP_GATE_NOT_APPLICABLE) {
        snprintf(buf, cap, "not a gate at this level");
        return;
    }
    switch (g->id) {
    case BSTEP_GATE_SESSIONS:
        snprintf(buf, cap, "%.0f of %.0f sessions at this level", v, t);
        break;
    case BSTEP_GATE_DOSE:
        if (isfinite(v))
            snprintf(buf, cap, "shortest %.1f min backward in the last %d, needs %.1f", v / 60.0,
                     g->sessions, t / 60.0);
        else
            snprintf(buf, cap, "backward time not known");
        break;
    case BSTEP_GATE_NO_STUMBLES:
        if (g->status == BSTEP_GATE_UNKNOWN)
            snprintf(buf, cap,
                     "not detected by this sensor and not answered: say it in the check-in "
                     "(--stumbled no|yes)");
        else if (v > 0.0)
            snprintf(buf, cap, "%.0f stumble or fall in the last %d sessions", v, g->sessions);
        else
            snprintf(buf, cap, "none in the last %d sessions", g->sessions);
        break;
    case BSTEP_GATE_TOE_FIRST:
        if (g->status == BSTEP_GATE_NOT_MEASURED)
            snprintf(buf, cap, "not measured (a shoe sensor measures it)");
        else
            snprintf(buf, cap, "lowest %.0f %% toes first, needs %.0f %%", 100.0 * v, 100.0 * t);
        break;
    case BSTEP_GATE_RHYTHM:
        if (isfinite(v))
            snprintf(buf, cap, "highest %.1f %%, at most %.0f %%%s", v, t,
                     g->status == BSTEP_GATE_UNKNOWN ? " (and a session with too few strides)"
                                                     : "");
        else
            snprintf(buf, cap, "too few backward strides to measure");
        break;
    case BSTEP_GATE_POSTURE:
        if (g->status == BSTEP_GATE_NOT_MEASURED)
            snprintf(buf, cap, "not measured (a sensor at the lower back measures it)");
        else
            snprintf(buf, cap, "most %.0f deg forward lean, at most %.0f", v, t);
        break;
    case BSTEP_GATE_PAIN:
        if (g->status == BSTEP_GATE_NOT_MEASURED)
            snprintf(buf, cap, "no pain check-in yet");
        else if (isfinite(t))
            snprintf(buf, cap, "highest %.0f/10; holds from %.0f, pauses from 7", v, t);
        else
            snprintf(buf, cap, "highest %.0f/10; pauses from 7", v);
        break;
    case BSTEP_GATE_SPEED:
        if (isfinite(v))
            snprintf(buf, cap, "slowest %.2f m/s backward, needs %.2f", v, t);
        else
            snprintf(buf, cap, "backward speed not measured");
        break;
    case BSTEP_GATE_LEVEL_CAP:
        snprintf(buf, cap, "level %.0f of %.0f", v, t);
        break;
    default:
        buf[0] = '\0';
    }
}

static const char *status_word(bstep_gate_status s)
{
    switch (s) {
    case BSTEP_GATE_PASS:
        return "pass";
    case BSTEP_GATE_FAIL:
        return "NOT MET";
    case BSTEP_GATE_UNKNOWN:
        return "unknown";
    case BSTEP_GATE_NOT_MEASURED:
        return "-";
    default:
        return "";
    }
}

void bstep__decision_text(FILE *f, const bstep_coach_decision *d, const char *ind)
{
    int i;
    if (d->level_to > d->level_from)
        fprintf(f, "%sMove up: level %d -> %d (%s).\n", ind, d->level_from, d->level_to,
                level_title(d->level_to));
    else if (d->level_to < d->level_from)
        fprintf(f, "%sMove back: level %d -> %d (%s).\n", ind, d->level_from, d->level_to,
                level_title(d->level_to));
    else
        fprintf(f, "%sStay at level %d (%s).\n", ind, d->level_to, level_title(d->level_to));
    fprintf(f, "%sWhy: %s.\n", ind, bstep_coach_reason_text(d->reason));
    if (d->also != BSTEP_COACH_REASON_COUNT && d->also != d->reason)
        fprintf(f, "%sAlso: %s.\n", ind, bstep_coach_reason_text(d->also));
    if (d->paused)
        fprintf(f,
                "%sThe plan is paused: no sessions until `backstep plan adjust --cleared` "
                "records that a health professional has cleared you.\n",
                ind);
    if (!d->gates_evaluated)
        return;
    fprintf(f, "%sGates (the last sessions at this level):\n", ind);
    for (i = 0; i < BSTEP_GATE_COUNT; i++) {
        char w[200];
        if (d->gates[i].status == BSTEP_GATE_NOT_APPLICABLE)
            continue;
        gate_words(&d->gates[i], w, sizeof(w));
        fprintf(f, "%s  %-12s %-8s %s\n", ind, bstep_gate_name((bstep_gate_id)i),
                status_word(d->gates[i].status), w);
    }
}

static void num(bstep__jsonw *w, const char *key, double v, int decimals)
{
    bstep__jsonw_key(w, key);
    bstep__jsonw_number(w, v, decimals);
}

void bstep__decision_json(bstep__jsonw *w, const bstep_coach_decision *d)
{
    int i;
    char sum[256];
    bstep__jsonw_object_begin(w);
    bstep__jsonw_key(w, "action");
    bstep__jsonw_string(w, bstep_coach_action_name(d->action));
    bstep__jsonw_key(w, "reason");
    bstep__jsonw_string(w, bstep_coach_reason_name(d->reason));
    bstep__jsonw_key(w, "reason_text");
    bstep__jsonw_string(w, bstep_coach_reason_text(d->reason));
    bstep__jsonw_key(w, "also");
    if (d->also != BSTEP_COACH_REASON_COUNT)
        bstep__jsonw_string(w, bstep_coach_reason_name(d->also));
    else
        bstep__jsonw_null(w);
    bstep__jsonw_key(w, "level_from");
    bstep__jsonw_int(w, d->level_from);
    bstep__jsonw_key(w, "level_to");
    bstep__jsonw_int(w, d->level_to);
    bstep__jsonw_key(w, "paused");
    bstep__jsonw_bool(w, d->paused);
    bstep__decision_summary(d, sum, sizeof(sum));
    bstep__jsonw_key(w, "summary");
    bstep__jsonw_string(w, sum);
    bstep__jsonw_key(w, "gates");
    if (!d->gates_evaluated) {
        bstep__jsonw_null(w);
    } else {
        bstep__jsonw_array_begin(w);
        for (i = 0; i < BSTEP_GATE_COUNT; i++) {
            const bstep_gate_result *g = &d->gates[i];
            char words[200];
            if (g->status == BSTEP_GATE_NOT_APPLICABLE)
                continue;
            gate_words(g, words, sizeof(words));
            bstep__jsonw_object_begin(w);
            bstep__jsonw_key(w, "gate");
            bstep__jsonw_string(w, bstep_gate_name(g->id));
            bstep__jsonw_key(w, "status");
            bstep__jsonw_string(w, bstep_gate_status_name(g->status));
            num(w, "value", g->value, 3);
            num(w, "threshold", g->threshold, 3);
            bstep__jsonw_key(w, "sessions");
            bstep__jsonw_int(w, g->sessions);
            bstep__jsonw_key(w, "text");
            bstep__jsonw_string(w, words);
            bstep__jsonw_key(w, "rule");
            bstep__jsonw_string(w, bstep_gate_text(g->id));
            bstep__jsonw_object_end(w);
        }
        bstep__jsonw_array_end(w);
    }
    bstep__jsonw_object_end(w);
}

void bstep__screening_text(FILE *f, const bstep_screening_result *r, const char *ind)
{
    size_t i;
    if (r->n_reasons == 0) {
        fprintf(f, "%sNo answer changes the plan.\n", ind);
        return;
    }
    for (i = 0; i < r->n_reasons; i++)
        fprintf(f, "%s- %s\n", ind, bstep_screen_reason_text(r->reasons[i]));
    if (r->flags & BSTEP_SCREEN_CONSULT_FIRST)
        fprintf(f,
                "%sThe plan starts paused: talk to a health professional first, then record it "
                "with `backstep plan adjust --cleared`.\n",
                ind);
    if (r->flags & BSTEP_SCREEN_SUPPORTED_ONLY)
        fprintf(f,
                "%sSupported walking only: the plan stays on the treadmill with rails (top "
                "level %d).\n",
                ind, r->level_max);
}

void bstep__screening_json(bstep__jsonw *w, const bstep_screening_result *r)
{
    size_t i;
    bstep__jsonw_object_begin(w);
    bstep__jsonw_key(w, "consult_first");
    bstep__jsonw_bool(w, (r->flags & BSTEP_SCREEN_CONSULT_FIRST) != 0);
    bstep__jsonw_key(w, "supported_only");
    bstep__jsonw_bool(w, (r->flags & BSTEP_SCREEN_SUPPORTED_ONLY) != 0);
    bstep__jsonw_key(w, "supervised");
    bstep__jsonw_bool(w, (r->flags & BSTEP_SCREEN_SUPERVISED) != 0);
    bstep__jsonw_key(w, "incomplete");
    bstep__jsonw_bool(w, (r->flags & BSTEP_SCREEN_INCOMPLETE) != 0);
    bstep__jsonw_key(w, "level_max");
    bstep__jsonw_int(w, r->level_max);
    bstep__jsonw_key(w, "reasons");
    bstep__jsonw_array_begin(w);
    for (i = 0; i < r->n_reasons; i++) {
        bstep__jsonw_object_begin(w);
        bstep__jsonw_key(w, "id");
        bstep__jsonw_string(w, bstep_screen_reason_name(r->reasons[i]));
        bstep__jsonw_key(w, "text");
        bstep__jsonw_string(w, bstep_screen_reason_text(r->reasons[i]));
        bstep__jsonw_object_end(w);
    }
    bstep__jsonw_array_end(w);
    bstep__jsonw_object_end(w);
}

static const char *rails_text(int rails)
{
    return rails == 2   ? "hold the rails with both hands"
           : rails == 1 ? "keep your hands on or near the rails"
                        : "no rails";
}

void bstep__today_text(FILE *f, const bstep_coach_today *t, bstep_plan_id plan, const char *ind)
{
    const bstep_level *l = bstep_level_get(t->level);
    const bstep_plan *p = bstep_plan_get(plan);
    if (t->paused) {
        fprintf(f, "%sNo session: the plan is paused (see `backstep plan show`).\n", ind);
        return;
    }
    if (t->finished)
        fprintf(f, "%sThe %d-week programme is over; you can go on at the same dose.\n", ind,
                p ? p->weeks : 0);
    if (!t->session_day) {
        fprintf(f, "%sRest day (%d of %d sessions done this plan week).\n", ind,
                t->sessions_this_week, t->sessions_week_target);
        return;
    }
    fprintf(f, "%s%s: level %d, %s.\n", ind,
            t->catch_up ? "Catch-up session today" : "Session today", t->level, l ? l->title : "?");
    fprintf(f, "%s  %d minutes of backward walking after a few minutes of easy forward walking.\n",
            ind, t->minutes);
    if (t->jogging)
        fprintf(f, "%s  Intervals: %d s forward jogging, %d s backward jogging, repeated.\n", ind,
                t->interval_forward_s, t->interval_backward_s);
    fprintf(f, "%s  Speed %.1f-%.1f m/s (%.1f-%.1f km/h)", ind, t->speed_min_mps, t->speed_max_mps,
            3.6 * t->speed_min_mps, 3.6 * t->speed_max_mps);
    if (t->grade_max_pct > 0.0)
        fprintf(f, ", incline %.0f-%.0f %%", t->grade_min_pct, t->grade_max_pct);
    fprintf(f, "; %s", l && l->treadmill ? rails_text(t->rails) : "on flat, quiet ground");
    fprintf(f, "%s.\n",
            t->supervised ? "; with your therapist or someone trained with you"
            : t->spotter  ? "; with someone watching"
                          : "");
    if (l != NULL)
        fprintf(f, "%s  %s\n", ind, l->how);
    fprintf(f, "%s  This week: %d of %d sessions done.\n", ind, t->sessions_this_week,
            t->sessions_week_target);
}

void bstep__today_json(bstep__jsonw *w, const bstep_coach_today *t)
{
    const bstep_level *l = bstep_level_get(t->level);
    bstep__jsonw_object_begin(w);
    bstep__jsonw_key(w, "session_day");
    bstep__jsonw_bool(w, t->session_day);
    bstep__jsonw_key(w, "catch_up");
    bstep__jsonw_bool(w, t->catch_up);
    bstep__jsonw_key(w, "paused");
    bstep__jsonw_bool(w, t->paused);
    bstep__jsonw_key(w, "finished");
    bstep__jsonw_bool(w, t->finished);
    bstep__jsonw_key(w, "level");
    bstep__jsonw_int(w, t->level);
    bstep__jsonw_key(w, "level_name");
    bstep__jsonw_string(w, l ? l->name : "");
    bstep__jsonw_key(w, "minutes");
    bstep__jsonw_int(w, t->minutes);
    num(w, "speed_min_mps", t->speed_min_mps, 2);
    num(w, "speed_max_mps", t->speed_max_mps, 2);
    num(w, "grade_min_pct", t->grade_min_pct, 1);
    num(w, "grade_max_pct", t->grade_max_pct, 1);
    bstep__jsonw_key(w, "rails");
    bstep__jsonw_int(w, t->rails);
    bstep__jsonw_key(w, "spotter");
    bstep__jsonw_bool(w, t->spotter);
    bstep__jsonw_key(w, "supervised");
    bstep__jsonw_bool(w, t->supervised);
    bstep__jsonw_key(w, "jogging");
    bstep__jsonw_bool(w, t->jogging);
    bstep__jsonw_key(w, "interval_forward_s");
    bstep__jsonw_int(w, t->interval_forward_s);
    bstep__jsonw_key(w, "interval_backward_s");
    bstep__jsonw_int(w, t->interval_backward_s);
    bstep__jsonw_key(w, "sessions_this_week");
    bstep__jsonw_int(w, t->sessions_this_week);
    bstep__jsonw_key(w, "sessions_week_target");
    bstep__jsonw_int(w, t->sessions_week_target);
    bstep__jsonw_object_end(w);
}

/* ---- iCalendar (RFC 5545) ----------------------------------------------------------------- */

/* A content line, folded at 75 octets (section 3.1: continuation lines begin with one space),
 * never inside a UTF-8 sequence, ending in CRLF. */
static void ics_line(FILE *f, const char *s)
{
    size_t n = strlen(s), pos = 0, room = 75;
    while (n - pos > room) {
        size_t cut = pos + room;
        while (cut > pos + 1 && ((unsigned char)s[cut] & 0xC0u) == 0x80u)
            cut--; /* do not split a multi-octet character */
        fwrite(s + pos, 1, cut - pos, f);
        fputs("\r\n ", f);
        pos = cut;
        room = 74; /* the leading space counts */
    }
    fwrite(s + pos, 1, n - pos, f);
    fputs("\r\n", f);
}

/* "NAME:" + TEXT value escaped (section 3.3.11: backslash, semicolon, comma, newline). */
static void ics_text(FILE *f, const char *name, const char *text)
{
    char buf[4096];
    size_t n = (size_t)snprintf(buf, sizeof(buf), "%s:", name);
    for (; *text && n + 3 < sizeof(buf); text++) {
        if (*text == '\\' || *text == ';' || *text == ',') {
            buf[n++] = '\\';
            buf[n++] = *text;
        } else if (*text == '\n') {
            buf[n++] = '\\';
            buf[n++] = 'n';
        } else if ((unsigned char)*text >= 0x20u) {
            buf[n++] = *text;
        }
    }
    buf[n] = '\0';
    ics_line(f, buf);
}

size_t bstep__ics_write(FILE *f, const bstep__ics_options *o)
{
    const bstep_plan *p = bstep_plan_get(o->plan);
    const bstep_coach_today *t = o->today;
    const bstep_level *l = bstep_level_get(t->level);
    char line[512], stamp[32], desc[2048];
    time_t secs = (time_t)(o->stamp_us / 1000000);
    struct tm tm;
    int32_t day;
    size_t n = 0;
    if (gmtime_r(&secs, &tm) == NULL || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
        snprintf(stamp, sizeof(stamp), "19700101T000000Z");
    ics_line(f, "BEGIN:VCALENDAR");
    ics_line(f, "VERSION:2.0");
    ics_line(f, "PRODID:-//backstep//backstep retro-walking coach//EN");
    ics_line(f, "CALSCALE:GREGORIAN");
    ics_line(f, "METHOD:PUBLISH");
    ics_text(f, "X-WR-CALNAME", p ? p->title : "backstep plan");
    snprintf(desc, sizeof(desc),
             "%s.\nLevel %d: %s. %s\nThe level can change after each session: backstep moves you "
             "up only when your measured sessions pass every gate, and back after a stumble or a "
             "fall (backstep plan today says what to do on the day).\nPlan: %s. Source: %s\n%s",
             p ? p->dose : "", t->level, l ? l->title : "", l ? l->how : "", p ? p->title : "",
             p ? p->source : "", SAFETY_LINE);
    for (day = o->from_day; day <= o->to_day; day++) {
        int y, m, d;
        if (!bstep_plan_is_session_day(o->plan, o->start_day, day))
            continue;
        bstep_day_to_civil(day, &y, &m, &d);
        ics_line(f, "BEGIN:VEVENT");
        snprintf(line, sizeof(line), "UID:backstep-plan-%lld-%04d%02d%02d@backstep",
                 (long long)o->plan_id, y, m, d);
        ics_line(f, line);
        snprintf(line, sizeof(line), "DTSTAMP:%s", stamp);
        ics_line(f, line);
        /* a floating local time: the walker's own clock wherever they are (section 3.3.5) */
        snprintf(line, sizeof(line), "DTSTART:%04d%02d%02dT%02d%02d00", y, m, d,
                 o->minute_of_day / 60, o->minute_of_day % 60);
        ics_line(f, line);
        snprintf(line, sizeof(line), "DURATION:PT%dM", t->minutes + 5); /* + warm-up */
        ics_line(f, line);
        snprintf(line, sizeof(line), "Retro walking: %d min backward (%s)", t->minutes,
                 l ? l->title : "");
        ics_text(f, "SUMMARY", line);
        ics_text(f, "DESCRIPTION", desc);
        ics_line(f, "CATEGORIES:HEALTH,EXERCISE");
        ics_line(f, "TRANSP:OPAQUE");
        ics_line(f, "END:VEVENT");
        n++;
    }
    ics_line(f, "END:VCALENDAR");
    return n;
}
