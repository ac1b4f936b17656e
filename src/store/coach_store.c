/* The coach over the store: replay and sync (coach_store.h). */
#include "store/coach_store.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backstep/status.h"
#include "report/plan_report.h"
#include "store/store_internal.h"

int32_t bstep__local_day(int64_t t_us)
{
    time_t t = (time_t)(t_us >= 0 ? t_us / 1000000 : (t_us - 999999) / 1000000);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL)
        return 0;
    return bstep_day_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int32_t bstep__today(void)
{
    return bstep__local_day(bstep__store_now_us());
}

int64_t bstep__day_noon_us(int32_t day)
{
    struct tm tm;
    int y, m, d;
    bstep_day_to_civil(day, &y, &m, &d);
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000000;
}

/* ---- screening answers ---------------------------------------------------------------------- */

static const char *const yes_no_keys[9] = {"fell",       "unsteady",  "worried",         "heart",
                                           "chest_pain", "dizziness", "told_supervised", "surgery",
                                           "neuro"};

static int *yes_no_field(bstep_screening *s, int i)
{
    int *f[9];
    f[0] = &s->fell_past_year;
    f[1] = &s->unsteady;
    f[2] = &s->worried_falling;
    f[3] = &s->heart_condition;
    f[4] = &s->chest_pain;
    f[5] = &s->dizziness;
    f[6] = &s->told_supervised;
    f[7] = &s->recent_surgery;
    f[8] = &s->neuro_condition;
    return f[i];
}

size_t bstep__screening_to_answers(const bstep_screening *s, bstep_store_answer *out, size_t cap)
{
    bstep_screening c = *s;
    size_t n = 0;
    int i;
    for (i = 0; i < 9 && n < cap; i++, n++) {
        const int v = *yes_no_field(&c, i);
        snprintf(out[n].question, sizeof(out[n].question), "%s", yes_no_keys[i]);
        snprintf(out[n].answer, sizeof(out[n].answer), "%s",
                 v == 1   ? "yes"
                 : v == 0 ? "no"
                          : "unanswered");
    }
    if (n < cap) {
        snprintf(out[n].question, sizeof(out[n].question), "pain");
        if (s->pain_0_10 >= 0)
            snprintf(out[n].answer, sizeof(out[n].answer), "%d", s->pain_0_10);
        else
            snprintf(out[n].answer, sizeof(out[n].answer), "unanswered");
        n++;
    }
    if (n < cap) {
        snprintf(out[n].question, sizeof(out[n].question), "age");
        if (s->age_y >= 0)
            snprintf(out[n].answer, sizeof(out[n].answer), "%d", s->age_y);
        else
            snprintf(out[n].answer, sizeof(out[n].answer), "unanswered");
        n++;
    }
    return n;
}

static int small_int(const char *t, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(t, &end, 10);
    if (end == t || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

void bstep__screening_from_answers(const bstep_store_answer *a, size_t n, bstep_screening *s)
{
    size_t k;
    int i;
    bstep_screening_init(s);
    for (k = 0; k < n; k++) {
        for (i = 0; i < 9; i++)
            if (strcmp(a[k].question, yes_no_keys[i]) == 0)
                *yes_no_field(s, i) = strcmp(a[k].answer, "yes") == 0  ? 1
                                      : strcmp(a[k].answer, "no") == 0 ? 0
                                                                       : -1;
        if (strcmp(a[k].question, "pain") == 0 && small_int(a[k].answer, 0, 10, &s->pain_0_10))
            s->pain_0_10 = -1;
        if (strcmp(a[k].question, "age") == 0 && small_int(a[k].answer, 0, 120, &s->age_y))
            s->age_y = -1;
    }
}

/* ---- replay -------------------------------------------------------------------------------- */

typedef enum { EV_SESSION = 0, EV_ADJUST = 1, EV_CHECKIN = 2 } ev_kind;

typedef struct {
    int64_t at_us;
    ev_kind kind;
    size_t index;
} replay_event;

static int cmp_event(const void *pa, const void *pb)
{
    const replay_event *a = pa, *b = pb;
    if (a->at_us != b->at_us)
        return a->at_us < b->at_us ? -1 : 1;
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* A stored session as the coach sees it: the same figures bstep_coach_session_from_summary takes
 * from the summary at analysis time (schema version 4 keeps them), plus its check-in. */
static void coach_session_of(const bstep_store_session *s, const bstep_store_checkin *ck,
                             bstep_coach_session *c)
{
    bstep_coach_session_init(c, bstep__local_day(s->start_us));
    c->walking_time_s = s->walking_time_s;
    c->backward_time_s = isfinite(s->time_backward_s)   ? s->time_backward_s
                         : isfinite(s->backward_time_s) ? s->backward_time_s
                                                        : s->walking_time_s;
    c->toe_first_ratio = s->toe_first_ratio;
    c->toe_first_strikes = s->backward_strikes > 0 ? (int)s->backward_strikes : 0;
    if (s->backward_strides > 0 && isfinite(s->backward_stride_time_cv_pct)) {
        c->rhythm_cv_pct = s->backward_stride_time_cv_pct;
        c->rhythm_strides = (int)s->backward_strides;
    } else if (s->steps_backward < 0 && isfinite(s->stride_time_cv_pct) && s->steps > 0) {
        c->rhythm_cv_pct = s->stride_time_cv_pct; /* direction not measured */
        c->rhythm_strides = (int)(s->steps / 2);
    }
    c->trunk_lean_deg = s->trunk_lean_deg;
    c->speed_backward_mps = s->speed_backward_mps;
    c->stumbles = s->stumbles >= 0 ? (int)s->stumbles : -1;
    c->falls = s->falls >= 0 ? (int)s->falls : -1;
    if (ck != NULL) {
        c->pain_0_10 = ck->pain_0_10;
        c->wellbeing_0_10 = ck->wellbeing_0_10;
        c->stumble_reported = ck->stumbled == BSTEP_STORE_STUMBLED_YES  ? 1
                              : ck->stumbled == BSTEP_STORE_STUMBLED_NO ? 0
                                                                        : -1;
    }
}

static int push_step(bstep__plan_state *ps, size_t *cap, int64_t session_id, int64_t at_us,
                     int32_t day, const char *kind, const bstep_coach_decision *d)
{
    bstep__plan_step *s;
    if (ps->n_steps == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        bstep__plan_step *p = realloc(ps->steps, nc * sizeof(*p));
        if (p == NULL)
            return BSTEP_ENOMEM;
        ps->steps = p;
        *cap = nc;
    }
    s = &ps->steps[ps->n_steps++];
    memset(s, 0, sizeof(*s));
    s->session_id = session_id;
    s->at_us = at_us;
    s->day = day;
    snprintf(s->kind, sizeof(s->kind), "%s", kind);
    s->d = *d;
    return BSTEP_OK;
}

static int is_adjustment(const char *kind)
{
    return strcmp(kind, "cleared") == 0 || strcmp(kind, "pause-by-hand") == 0 ||
           strcmp(kind, "resume-by-hand") == 0 || strcmp(kind, "set-level") == 0;
}

void bstep__plan_state_free(bstep__plan_state *ps)
{
    bstep_store_free(ps->answers);
    free(ps->steps);
    memset(ps, 0, sizeof(*ps));
}

int bstep__plan_replay(bstep_store *st, int64_t user_id, int32_t today, bstep__plan_state *ps,
                       char *err, size_t err_len)
{
    bstep_store_filter f;
    bstep_store_session *ses = NULL;
    bstep_store_checkin *ck = NULL;
    bstep_store_plan_progress *pp = NULL;
    replay_event *ev = NULL;
    size_t ns = 0, nc = 0, np = 0, ne = 0, i, steps_cap = 0;
    const bstep_store_checkin **linked = NULL;
    int rc;
    int32_t week0;

    memset(ps, 0, sizeof(*ps));
    ps->today = today;
    rc = bstep_store_plan_active(st, user_id, &ps->plan);
    if (rc == BSTEP_ENOTFOUND) {
        snprintf(err, err_len, "no plan yet: start one with `backstep plan start`");
        return rc;
    }
    if (rc == BSTEP_OK)
        rc = bstep_store_plan_load(st, ps->plan.id, &ps->plan, &ps->answers, &ps->n_answers);
    if (rc != BSTEP_OK) {
        snprintf(err, err_len, "%s", bstep_store_errmsg(st));
        return rc;
    }
    if (bstep_plan_parse(ps->plan.kind, &ps->plan_id) != BSTEP_OK ||
        bstep__day_parse(ps->plan.start_date, &ps->start_day) != 0) {
        snprintf(err, err_len,
                 "the active plan '%s' (started %s) is not one backstep's coach knows; start one "
                 "with `backstep plan start`",
                 ps->plan.kind, ps->plan.start_date);
        bstep__plan_state_free(ps);
        return BSTEP_ENOTFOUND;
    }
    ps->stored_level = ps->plan.level;
    bstep__screening_from_answers(ps->answers, ps->n_answers, &ps->screening);
    if (bstep_coach_init(&ps->coach, ps->plan_id, &ps->screening, ps->start_day, NULL,
                         &ps->first) != BSTEP_OK) {
        snprintf(err, err_len, "the plan's screening answers are not valid");
        bstep__plan_state_free(ps);
        return BSTEP_EINVAL;
    }
    bstep_store_filter_init(&f);
    f.user_id = user_id;
    f.from_us = bstep__day_noon_us(ps->start_day) - 12LL * 3600 * 1000000 - 3600LL * 1000000;
    if ((rc = bstep_store_session_list(st, &f, &ses, &ns)) != BSTEP_OK ||
        (rc = bstep_store_checkin_list(st, user_id, ps->plan.start_date, NULL, &ck, &nc)) !=
            BSTEP_OK ||
        (rc = bstep_store_plan_progress_list(st, ps->plan.id, &pp, &np)) != BSTEP_OK) {
        snprintf(err, err_len, "%s", bstep_store_errmsg(st));
        goto done;
    }
    ev = calloc(ns + nc + np + 1, sizeof(*ev));
    linked = calloc(ns + 1, sizeof(*linked));
    if (ev == NULL || linked == NULL) {
        rc = BSTEP_ENOMEM;
        snprintf(err, err_len, "out of memory");
        goto done;
    }
    for (i = 0; i < ns; i++)
        if (bstep__local_day(ses[i].start_us) >= ps->start_day) {
            ev[ne].at_us = ses[i].start_us;
            ev[ne].kind = EV_SESSION;
            ev[ne++].index = i;
        }
    for (i = 0; i < nc; i++) {
        int32_t d;
        if (ck[i].session_id > 0) { /* a session's check-in: the latest one counts */
            size_t k;
            for (k = 0; k < ns; k++)
                if (ses[k].id == ck[i].session_id)
                    linked[k] = &ck[i];
            continue;
        }
        if (bstep__day_parse(ck[i].date, &d) != 0 || d < ps->start_day)
            continue;
        ev[ne].at_us = bstep__day_noon_us(d) + (12LL * 3600 - 60) * 1000000; /* end of the day */
        ev[ne].kind = EV_CHECKIN;
        ev[ne++].index = i;
    }
    for (i = 0; i < np; i++)
        if (is_adjustment(pp[i].kind)) {
            ev[ne].at_us = pp[i].at_us;
            ev[ne].kind = EV_ADJUST;
            ev[ne++].index = i;
        }
    qsort(ev, ne, sizeof(*ev), cmp_event);
    if ((rc = push_step(ps, &steps_cap, 0, bstep__day_noon_us(ps->start_day), ps->start_day,
                        "start", &ps->first)) != BSTEP_OK)
        goto done;
    week0 = ps->start_day + 7 * ((today - ps->start_day) / 7);
    for (i = 0; i < ne; i++) {
        bstep_coach_decision d;
        int32_t day;
        int r;
        if (ev[i].kind == EV_SESSION) {
            bstep_coach_session cs;
            const bstep_store_session *s = &ses[ev[i].index];
            coach_session_of(s, linked[ev[i].index], &cs);
            day = cs.day;
            if (day > today)
                continue;
            if (day < ps->coach.last_day)
                cs.day = day = ps->coach.last_day; /* a session before an adjustment's day */
            if (bstep_coach_add_session(&ps->coach, &cs, &d) != BSTEP_OK)
                continue; /* values out of range: not a session the coach can use */
            ps->sessions_done++;
            if (day >= week0)
                ps->sessions_this_week++;
            rc = push_step(ps, &steps_cap, s->id, s->start_us, day, "session", &d);
        } else if (ev[i].kind == EV_CHECKIN) {
            const bstep_store_checkin *c = &ck[ev[i].index];
            bstep__day_parse(c->date, &day);
            if (day > today || day < ps->coach.last_day)
                continue;
            if (bstep_coach_checkin(&ps->coach, day, c->pain_0_10, c->wellbeing_0_10,
                                    c->stumbled == BSTEP_STORE_STUMBLED_YES  ? 1
                                    : c->stumbled == BSTEP_STORE_STUMBLED_NO ? 0
                                                                             : -1,
                                    &d) != BSTEP_OK)
                continue;
            rc = push_step(ps, &steps_cap, 0, ev[i].at_us, day, "checkin", &d);
        } else {
            const bstep_store_plan_progress *p = &pp[ev[i].index];
            const bstep_adjust_kind k = strcmp(p->kind, "cleared") == 0 ? BSTEP_ADJUST_CLEARED
                                        : strcmp(p->kind, "pause-by-hand") == 0 ? BSTEP_ADJUST_PAUSE
                                        : strcmp(p->kind, "resume-by-hand") == 0
                                            ? BSTEP_ADJUST_RESUME
                                            : BSTEP_ADJUST_SET_LEVEL;
            day = bstep__local_day(p->at_us);
            if (day > today)
                continue;
            if (day < ps->coach.last_day)
                day = ps->coach.last_day;
            r = bstep_coach_adjust(&ps->coach, day, k, p->level_to, &d);
            if (r != BSTEP_OK)
                continue; /* refused when it was made too (the command said so) */
            rc = push_step(ps, &steps_cap, 0, p->at_us, day, p->kind, &d);
        }
        if (rc != BSTEP_OK) {
            snprintf(err, err_len, "out of memory");
            goto done;
        }
    }
    rc = BSTEP_OK;
done:
    free(ev);
    free(linked);
    bstep_store_free(ses);
    bstep_store_free(ck);
    bstep_store_free(pp);
    if (rc != BSTEP_OK)
        bstep__plan_state_free(ps);
    return rc;
}

void (*bstep__plan_decide_pause)(int64_t user_id);

int bstep__plan_decide(bstep_store *st, int64_t user_id, int32_t today, bstep__plan_state *out,
                       char *err, size_t err_len)
{
    bstep_store_plan p;
    int rc = bstep_store_plan_active(st, user_id, &p);
    memset(out, 0, sizeof(*out));
    if (rc == BSTEP_ENOTFOUND) { /* no plan: no lock to wait for */
        snprintf(err, err_len, "no plan yet: start one with `backstep plan start`");
        return rc;
    }
    if (rc == BSTEP_OK)
        rc = bstep_store_plan_txn_begin(st, user_id);
    if (rc != BSTEP_OK) {
        snprintf(err, err_len, "%s", bstep_store_errmsg(st));
        return rc;
    }
    rc = bstep__plan_replay(st, user_id, today, out, err, err_len);
    if (rc != BSTEP_OK) {
        bstep_store_txn_rollback(st);
        memset(out, 0, sizeof(*out));
        return rc;
    }
    if (bstep__plan_decide_pause != NULL)
        bstep__plan_decide_pause(user_id);
    rc = bstep__plan_sync(st, out, err, err_len);
    if (rc == BSTEP_OK && (rc = bstep_store_txn_commit(st)) != BSTEP_OK)
        snprintf(err, err_len, "%s", bstep_store_errmsg(st));
    if (rc != BSTEP_OK) {
        bstep_store_txn_rollback(st);
        bstep__plan_state_free(out);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

int bstep__plan_context(bstep_store *st, int64_t user_id, double *speed_max_mps,
                        double *planned_backward_s)
{
    bstep__plan_state ps;
    bstep_coach_today t;
    char err[256];
    int rc = bstep__plan_replay(st, user_id, INT32_MAX / 2, &ps, err, sizeof(err));
    *speed_max_mps = *planned_backward_s = (double)NAN;
    if (rc != BSTEP_OK)
        return rc;
    bstep_coach_get_today(&ps.coach, bstep__today(), ps.sessions_this_week, &t);
    *speed_max_mps = t.speed_max_mps;
    *planned_backward_s = 60.0 * t.minutes;
    bstep__plan_state_free(&ps);
    return BSTEP_OK;
}

const bstep__plan_step *bstep__plan_step_of(const bstep__plan_state *ps, int64_t session_id)
{
    size_t i;
    for (i = ps->n_steps; i-- > 0;)
        if (ps->steps[i].session_id == session_id && session_id > 0)
            return &ps->steps[i];
    return NULL;
}

/* ---- sync ---------------------------------------------------------------------------------- */

static const char *progress_kind(const bstep_coach_decision *d)
{
    switch (d->action) {
    case BSTEP_COACH_ADVANCE:
        return "level-up";
    case BSTEP_COACH_BACK:
        return "level-down";
    case BSTEP_COACH_PAUSE:
        return "pause";
    case BSTEP_COACH_RESUME:
        return "resume";
    case BSTEP_COACH_SET:
        return "set";
    default:
        return "hold";
    }
}

void bstep__plan_params_json(const bstep__plan_state *ps, char *out, size_t cap)
{
    const bstep_plan *p = bstep_plan_get(ps->plan_id);
    bstep_coach_status stt;
    const bstep_level *l;
    cJSON *o = cJSON_CreateObject();
    char buf[512], *txt;
    int attempt;
    bstep_coach_get_status(&ps->coach, &stt);
    l = bstep_level_get(stt.level);
    if (o == NULL) {
        snprintf(out, cap, "{}");
        return;
    }
    for (attempt = 0; attempt < 2; attempt++) {
        cJSON_AddStringToObject(o, "plan", p->title);
        cJSON_AddStringToObject(o, "dose", p->dose);
        snprintf(buf, sizeof(buf), "%d of %d: %s", stt.level, stt.level_max, l ? l->title : "");
        cJSON_AddStringToObject(o, "level", buf);
        snprintf(buf, sizeof(buf), "%s",
                 stt.paused ? bstep_coach_reason_text(stt.pause_reason) : "active");
        cJSON_AddStringToObject(o, "status", stt.paused ? buf : "active");
        snprintf(buf, sizeof(buf), "%d sessions, %d at this level", stt.sessions_total,
                 stt.sessions_at_level);
        cJSON_AddStringToObject(o, "sessions", buf);
        cJSON_AddStringToObject(o, "with",
                                (stt.screen_flags & BSTEP_SCREEN_SUPERVISED) || p->supervised
                                    ? "someone with you every session"
                                    : "someone watching is advised");
        if (attempt == 0) {
            snprintf(buf, sizeof(buf), "%.400s", p->source);
            cJSON_AddStringToObject(o, "source", buf);
        }
        txt = cJSON_PrintUnformatted(o);
        if (txt != NULL && strlen(txt) < cap) {
            snprintf(out, cap, "%s", txt);
            free(txt);
            cJSON_Delete(o);
            return;
        }
        free(txt);
        cJSON_Delete(o);
        o = cJSON_CreateObject();
        if (o == NULL)
            break;
    }
    cJSON_Delete(o);
    snprintf(out, cap, "{}");
}

int bstep__plan_sync(bstep_store *st, bstep__plan_state *ps, char *err, size_t err_len)
{
    bstep_store_plan_progress *pp = NULL;
    size_t np = 0, i, k;
    int rc, stored_level, any_start = 0;
    bstep_coach_status stt;
    if ((rc = bstep_store_plan_progress_list(st, ps->plan.id, &pp, &np)) != BSTEP_OK) {
        snprintf(err, err_len, "%s", bstep_store_errmsg(st));
        return rc;
    }
    for (k = 0; k < np; k++)
        any_start |= strcmp(pp[k].kind, "start") == 0;
    stored_level = ps->plan.level;
    for (i = 0; i < ps->n_steps; i++) {
        const bstep__plan_step *s = &ps->steps[i];
        bstep_store_plan_progress e;
        int logged = 0;
        if (strcmp(s->kind, "start") == 0) {
            logged = any_start;
        } else if (s->session_id > 0) {
            for (k = 0; k < np && !logged; k++)
                logged = pp[k].session_id == s->session_id;
        } else {
            continue; /* check-ins and adjustments are in the store already */
        }
        if (logged)
            continue;
        memset(&e, 0, sizeof(e));
        e.plan_id = ps->plan.id;
        e.at_us = s->at_us;
        e.session_id = s->session_id;
        snprintf(e.kind, sizeof(e.kind), "%s",
                 strcmp(s->kind, "start") == 0 ? "start" : progress_kind(&s->d));
        e.level_from = stored_level;
        e.level_to = s->d.level_to;
        bstep__decision_summary(&s->d, e.reason, sizeof(e.reason));
        if ((rc = bstep_store_plan_progress_append(st, &e)) != BSTEP_OK) {
            snprintf(err, err_len, "%s", bstep_store_errmsg(st));
            bstep_store_free(pp);
            return rc;
        }
        stored_level = e.level_to;
    }
    bstep_store_free(pp);
    bstep_coach_get_status(&ps->coach, &stt);
    if (stored_level != stt.level) { /* an older decision changed (a check-in added later) */
        bstep_store_plan_progress e;
        memset(&e, 0, sizeof(e));
        e.plan_id = ps->plan.id;
        e.at_us = bstep__store_now_us();
        snprintf(e.kind, sizeof(e.kind), "%s",
                 stt.level > stored_level ? "level-up" : "level-down");
        e.level_from = stored_level;
        e.level_to = stt.level;
        snprintf(e.reason, sizeof(e.reason),
                 "recomputed from the sessions and check-ins now stored: level %d", stt.level);
        if ((rc = bstep_store_plan_progress_append(st, &e)) != BSTEP_OK) {
            snprintf(err, err_len, "%s", bstep_store_errmsg(st));
            return rc;
        }
    }
    bstep__plan_params_json(ps, ps->plan.params_json, sizeof(ps->plan.params_json));
    ps->plan.level = stt.level;
    rc = bstep_store_plan_save(st, &ps->plan, ps->answers, ps->n_answers);
    if (rc != BSTEP_OK)
        snprintf(err, err_len, "%s", bstep_store_errmsg(st));
    return rc;
}
