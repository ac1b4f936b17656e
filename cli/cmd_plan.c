/*
 * backstep plan: start a plan (with the safety screening), show where the walker stands (level,
 * gates, adherence, history), today's session, adjustments by hand and the calendar (.ics).
 * Everything is replayed from the store through the coach (src/store/coach_store.h,
 * src/core/coach.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backstep/coach.h"
#include "backstep/status.h"
#include "cli.h"
#include "internal/jsonw.h"
#include "report/plan_report.h"
#include "store/coach_store.h"
#include "store/store_internal.h"
#include "store_cli.h"

static void help(void)
{
    printf(
        "Usage: backstep plan start [--plan NAME] [--start DATE] [SCREENING] [OPTIONS]\n"
        "       backstep plan show [--date DATE] [OPTIONS]\n"
        "       backstep plan today [--date DATE] [OPTIONS]\n"
        "       backstep plan adjust --cleared|--pause|--resume|--level N [--date DATE]\n"
        "       backstep plan calendar [--out FILE] [--from DATE] [--weeks N] [--time HH:MM]\n"
        "       backstep plan list\n\n"
        "A retro-walking plan that follows a published training dose, with levels from a slow\n"
        "treadmill walk holding the rails to backward jogging. After each analysed session the\n"
        "plan moves you up a level only when your measured sessions pass every gate (sessions\n"
        "at the level, planned minutes, no stumble or fall, toes-first landing, steady rhythm,\n"
        "posture, pain); a stumble moves you back a level, a fall back to level 1 with a pause.\n"
        "Nobody moves up by the calendar alone. Details and sources: docs/coach.md.\n\n"
        "Plans (--plan):\n"
        "  general           3-4 sessions a week, 10-15 min (default)\n"
        "  knee-oa           knee osteoarthritis: 10 min, 3 a week, 6 weeks (Alghadir 2019)\n"
        "  stroke            stroke rehabilitation: 30 min, 3 a week, 4 weeks, with a therapist\n"
        "                    (Chang 2021)\n"
        "  hamstring-lbp     hamstring flexibility / low back: 10-15 min a day, at least 4 days a\n"
        "                    week, 4 weeks (Whitley & Dufek 2011)\n"
        "  backward-running  walking levels, then forward/backward jogging intervals, 8 weeks\n\n"
        "Safety screening (plan start; on a terminal the questions not given are asked):\n"
        "  --fell yes|no              fallen in the past 12 months\n"
        "  --unsteady yes|no          unsteady when standing or walking\n"
        "  --worried yes|no           worried about falling\n"
        "  --heart yes|no             told of a heart condition or high blood pressure\n"
        "  --chest-pain yes|no        chest pain at rest, in daily life or when active\n"
        "  --dizziness yes|no         lose balance from dizziness / fainted in 12 months\n"
        "  --told-supervised yes|no   told to be active only with supervision or limits\n"
        "  --surgery yes|no           surgery or injury of a leg, hip or back in 6 months\n"
        "  --balance-condition yes|no stroke, Parkinson's, MS, neuropathy or similar\n"
        "  --pain N                   pain now, 0..10\n"
        "  --age Y                    age in years\n"
        "  --ask                      ask the questions not given even when not a terminal\n"
        "                             (answers read from standard input)\n"
        "  --no-ask                   never ask; unanswered questions count as \"yes\"\n"
        "Unanswered questions count as \"yes\" (the safe side): the plan then starts paused and\n"
        "supported. The screening is not a medical assessment, and the plan is\n"
        "not medical advice: it follows published training doses and promises no health\n"
        "outcome.\n\n"
        "Adjust (by hand, e.g. a therapist's decision):\n"
        "  --cleared          a health professional has cleared you: the plan goes on\n"
        "  --pause / --resume pause or resume (a pause after a fall or high pain needs --cleared)\n"
        "  --level N          set the level (above the screening's limit only after --cleared)\n"
        "  --note TEXT        why (kept in the plan history)\n\n"
        "Calendar: an iCalendar file (RFC 5545) with each planned session (default from today,\n"
        "to the programme's end or 4 weeks), --time HH:MM local start (default 18:00),\n"
        "--out FILE (default standard output).\n\n"
        "Common options:\n"
        "  --date DATE        the day to look at, YYYY-MM-DD (default today)\n"
        "  --format text|json output (show, today, start)\n"
        "  --user NAME        whose plan (default $BACKSTEP_USER, else the login name)\n"
        "  --db URL           history database (default: see backstep analyze --help)\n"
        "  --help             this text\n\n"
        "Check-ins with sessions: backstep analyze --pain N --wellbeing N --stumbled yes|no, or\n"
        "backstep checkin. A shoe sensor cannot detect stumbles (a lower-back or pocket sensor\n"
        "can): answer --stumbled after each shoe-sensor session, or the stumble gate stays\n"
        "unknown. A stumble told in a check-in moves the plan back a level.\n\n"
        "Exit status: 0 done, 1 not allowed now (e.g. --resume after a fall), 2 usage error,\n"
        "3 no plan, 4 database error.\n");
}

typedef struct {
    const char *opt;
    int *field;
    bstep_screen_reason reason;
} question;

static int yes_no(const char *cmd, const char *opt, const char *v, int *out)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "y") == 0) {
        *out = 1;
        return 0;
    }
    if (strcmp(v, "no") == 0 || strcmp(v, "n") == 0) {
        *out = 0;
        return 0;
    }
    bstep__usage_error(cmd, "--%s: expected yes or no, not '%s'", opt, v);
    return -1;
}

static int whole(const char *cmd, const char *opt, const char *v, int lo, int hi, int *out)
{
    double d;
    if (bstep__parse_double(cmd, opt, v, lo, hi, &d) != 0)
        return -1;
    if (d != floor(d)) {
        bstep__usage_error(cmd, "--%s: a whole number %d..%d, not '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = (int)d;
    return 0;
}

/* Read one answer line from standard input. @return 1 yes, 0 no, -1 unanswered / end. */
static int ask_yes_no(const char *q)
{
    char line[64];
    for (;;) {
        fprintf(stderr, "%s [yes/no] ", q);
        fflush(stderr);
        if (fgets(line, sizeof(line), stdin) == NULL)
            return -1;
        line[strcspn(line, "\r\n")] = '\0';
        if (strcmp(line, "yes") == 0 || strcmp(line, "y") == 0)
            return 1;
        if (strcmp(line, "no") == 0 || strcmp(line, "n") == 0)
            return 0;
        if (line[0] == '\0')
            return -1;
        fprintf(stderr, "  please answer yes or no (or press enter to skip)\n");
    }
}

static int ask_number(const char *q, int lo, int hi)
{
    char line[64], *end;
    long v;
    for (;;) {
        fprintf(stderr, "%s [%d-%d] ", q, lo, hi);
        fflush(stderr);
        if (fgets(line, sizeof(line), stdin) == NULL)
            return -1;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            return -1;
        errno = 0;
        v = strtol(line, &end, 10);
        if (end != line && *end == '\0' && errno == 0 && v >= lo && v <= hi)
            return (int)v;
        fprintf(stderr, "  please give a whole number from %d to %d (or press enter to skip)\n", lo,
                hi);
    }
}

static void print_plan_head(FILE *f, const bstep_plan *p)
{
    fprintf(f, "  Plan        %s\n", p->title);
    fprintf(f, "  Dose        %s%s\n", p->dose, p->weeks ? "" : " (open-ended)");
    fprintf(f, "  Source      %s\n", p->source);
    fprintf(f, "  Note        %s\n", p->notes);
}

static const char *safety_text(void)
{
    return "Safety: walk backward only where it is flat, clear and quiet, ideally with someone\n"
           "  watching; on a treadmill clip on the safety key and hold the rails. Stop if you "
           "feel\n"
           "  pain, dizziness or unsteadiness. The plan follows published training doses; it is\n"
           "  not medical advice and promises no health outcome.\n";
}

typedef struct {
    const char *cmd;
    const char *db_url, *user_arg, *date, *out, *from, *note, *plan_name, *time_text;
    int json, ask, weeks;
    int adjust_kind, adjust_level; /* -1: none */
    bstep_screening q;
} plan_opts;

static int open_user(const plan_opts *po, bstep_store **st, bstep_store_user *user, int create)
{
    char ubuf[128];
    int rc;
    if (bstep__cli_store_open(po->cmd, po->db_url, st) != BSTEP_OK)
        return BSTEP_EXIT_DB;
    if (create)
        rc = bstep_store_user_ensure(*st, bstep__cli_user_name(po->user_arg, ubuf, sizeof(ubuf)),
                                     user);
    else {
        rc = bstep__cli_find_user(*st, po->cmd, po->user_arg, user);
        if (rc == 1) {
            fprintf(stderr, "backstep plan: no plan for %s: start one with `backstep plan start`\n",
                    user->name);
            bstep_store_close(*st);
            return BSTEP_EXIT_INPUT;
        }
        rc = rc == 0 ? BSTEP_OK : BSTEP_EDB;
    }
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep plan: %s\n", bstep_store_errmsg(*st));
        bstep_store_close(*st);
        return BSTEP_EXIT_DB;
    }
    return BSTEP_EXIT_OK;
}

static int day_of_option(const char *cmd, const char *v, int32_t *day)
{
    if (v == NULL) {
        *day = bstep__today();
        return 0;
    }
    if (bstep__day_parse(v, day) != 0) {
        bstep__usage_error(cmd, "--date: expected YYYY-MM-DD, not '%s'", v);
        return -1;
    }
    return 0;
}

/* Replay; prints the error and returns an exit code, or -1 on success. */
static int replay(bstep_store *st, int64_t user_id, int32_t today, bstep__plan_state *ps)
{
    char err[512];
    int rc = bstep__plan_replay(st, user_id, today, ps, err, sizeof(err));
    if (rc == BSTEP_OK)
        return -1;
    fprintf(stderr, "backstep plan: %s\n", err);
    return rc == BSTEP_ENOTFOUND ? BSTEP_EXIT_INPUT : BSTEP_EXIT_DB;
}

/* Replay and sync as one decision (bstep__plan_decide: one transaction under the user's plan
 * lock); prints the error and returns an exit code, or -1 on success. */
static int decide(bstep_store *st, int64_t user_id, int32_t today, bstep__plan_state *ps)
{
    char err[512];
    int rc = bstep__plan_decide(st, user_id, today, ps, err, sizeof(err));
    if (rc == BSTEP_OK)
        return -1;
    fprintf(stderr, "backstep plan: %s\n", err);
    return rc == BSTEP_ENOTFOUND ? BSTEP_EXIT_INPUT : BSTEP_EXIT_DB;
}

/* Decide the plan with everything stored (the store is never synced with a replay cut at an
 * earlier day: `plan show --date` of a past day would store that day's level and status), then
 * the replay up to `day` for what is shown. Exit code, or -1 on success (*ps to free). */
static int decide_and_view(bstep_store *st, int64_t user_id, int32_t day, bstep__plan_state *ps)
{
    int rc = decide(st, user_id, INT32_MAX / 2, ps);
    if (rc >= 0)
        return rc;
    bstep__plan_state_free(ps);
    return replay(st, user_id, day, ps);
}

static void today_of(const bstep__plan_state *ps, bstep_coach_today *t)
{
    bstep_coach_get_today(&ps->coach, ps->today, ps->sessions_this_week, t);
}

/* ---- start ------------------------------------------------------------------------------ */

static int cmd_start(plan_opts *po)
{
    bstep_store *st = NULL;
    bstep_store_user user;
    bstep_store_plan p;
    bstep_store_answer ans[16];
    bstep_plan_id plan = BSTEP_PLAN_GENERAL;
    bstep_screening_result res;
    bstep__plan_state ps;
    bstep_coach_today t;
    int32_t start;
    int rc, i;
    const question qs[9] = {
        {"fell", &po->q.fell_past_year, BSTEP_SCREEN_REASON_FELL},
        {"unsteady", &po->q.unsteady, BSTEP_SCREEN_REASON_UNSTEADY},
        {"worried", &po->q.worried_falling, BSTEP_SCREEN_REASON_WORRIED},
        {"heart", &po->q.heart_condition, BSTEP_SCREEN_REASON_HEART},
        {"chest-pain", &po->q.chest_pain, BSTEP_SCREEN_REASON_CHEST_PAIN},
        {"dizziness", &po->q.dizziness, BSTEP_SCREEN_REASON_DIZZINESS},
        {"told-supervised", &po->q.told_supervised, BSTEP_SCREEN_REASON_TOLD_SUPERVISED},
        {"surgery", &po->q.recent_surgery, BSTEP_SCREEN_REASON_SURGERY},
        {"balance-condition", &po->q.neuro_condition, BSTEP_SCREEN_REASON_NEURO}};

    if (po->plan_name != NULL && bstep_plan_parse(po->plan_name, &plan) != BSTEP_OK)
        return bstep__usage_error(po->cmd,
                                  "--plan: unknown plan '%s' (general, knee-oa, stroke, "
                                  "hamstring-lbp, backward-running)",
                                  po->plan_name);
    if (po->date != NULL)
        return bstep__usage_error(po->cmd, "plan start takes --start DATE, not --date");
    if (day_of_option(po->cmd, po->from, &start) != 0)
        return BSTEP_EXIT_USAGE;
    if (po->ask == 1 || (po->ask == 0 && isatty(0))) {
        fprintf(stderr, "Safety questions before you start (press enter to skip one; a skipped "
                        "question counts as \"yes\"):\n");
        for (i = 0; i < 9; i++)
            if (*qs[i].field < 0)
                *qs[i].field = ask_yes_no(bstep_screen_reason_question(qs[i].reason));
        if (po->q.pain_0_10 < 0)
            po->q.pain_0_10 =
                ask_number(bstep_screen_reason_question(BSTEP_SCREEN_REASON_PAIN_HIGH), 0, 10);
        if (po->q.age_y < 0)
            po->q.age_y = ask_number("How old are you?", 1, 120);
    }
    if (bstep_screening_evaluate(&po->q, plan, &res) != BSTEP_OK)
        return bstep__usage_error(po->cmd, "screening answers out of range");
    if ((rc = open_user(po, &st, &user, 1)) != BSTEP_EXIT_OK)
        return rc;
    memset(&p, 0, sizeof(p));
    p.user_id = user.id;
    snprintf(p.kind, sizeof(p.kind), "%s", bstep_plan_get(plan)->name);
    bstep__day_text(start, p.start_date, sizeof(p.start_date));
    p.level = 1;
    p.active = 1;
    snprintf(p.params_json, sizeof(p.params_json), "{}");
    rc = bstep_store_plan_save(st, &p, ans, bstep__screening_to_answers(&po->q, ans, 16));
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep plan: %s\n", bstep_store_errmsg(st));
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    if ((rc = decide_and_view(st, user.id, start, &ps)) >= 0) {
        bstep_store_close(st);
        return rc;
    }
    today_of(&ps, &t);
    if (po->json) {
        bstep__jsonw w;
        bstep__jsonw_init(&w, stdout, 2);
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "schema");
        bstep__jsonw_string(&w, "backstep.plan/1");
        bstep__jsonw_key(&w, "plan_id");
        bstep__jsonw_int(&w, ps.plan.id);
        bstep__jsonw_key(&w, "plan");
        bstep__jsonw_string(&w, bstep_plan_get(plan)->name);
        bstep__jsonw_key(&w, "start_date");
        bstep__jsonw_string(&w, ps.plan.start_date);
        bstep__jsonw_key(&w, "source");
        bstep__jsonw_string(&w, bstep_plan_get(plan)->source);
        bstep__jsonw_key(&w, "screening");
        bstep__screening_json(&w, &res);
        bstep__jsonw_key(&w, "decision");
        bstep__decision_json(&w, &ps.first);
        bstep__jsonw_key(&w, "today");
        bstep__today_json(&w, &t);
        bstep__jsonw_object_end(&w);
        printf("\n");
    } else {
        printf("backstep plan started for %s on %s\n\n", user.name, ps.plan.start_date);
        print_plan_head(stdout, bstep_plan_get(plan));
        printf("\n  Screening\n");
        bstep__screening_text(stdout, &res, "    ");
        printf("\n  Start\n");
        bstep__decision_text(stdout, &ps.first, "    ");
        printf("\n  Today\n");
        bstep__today_text(stdout, &t, plan, "    ");
        printf("\n  %s", safety_text());
    }
    bstep__plan_state_free(&ps);
    bstep_store_close(st);
    return BSTEP_EXIT_OK;
}

/* ---- show, today, list ------------------------------------------------------------------ */

static void history_text(const bstep__plan_state *ps)
{
    size_t i;
    printf("\n  History\n");
    for (i = 0; i < ps->n_steps; i++) {
        const bstep__plan_step *s = &ps->steps[i];
        char day[16], sum[256];
        bstep__day_text(s->day, day, sizeof(day));
        bstep__decision_summary(&s->d, sum, sizeof(sum));
        if (s->session_id > 0)
            printf("    %s  session %-5lld %s\n", day, (long long)s->session_id, sum);
        else
            printf("    %s  %-13s %s\n", day, s->kind, sum);
    }
}

static int cmd_show(plan_opts *po, int today_only)
{
    bstep_store *st = NULL;
    bstep_store_user user;
    bstep__plan_state ps;
    bstep_coach_today t;
    bstep_coach_status stt;
    bstep_screening_result res;
    const bstep__plan_step *last = NULL;
    int32_t today;
    int rc, planned;
    size_t i;
    if (day_of_option(po->cmd, po->date, &today) != 0)
        return BSTEP_EXIT_USAGE;
    if ((rc = open_user(po, &st, &user, 0)) != BSTEP_EXIT_OK)
        return rc;
    if ((rc = decide_and_view(st, user.id, today, &ps)) >= 0) {
        bstep_store_close(st);
        return rc;
    }
    today_of(&ps, &t);
    bstep_coach_get_status(&ps.coach, &stt);
    bstep_screening_evaluate(&ps.screening, ps.plan_id, &res);
    for (i = ps.n_steps; i-- > 0 && last == NULL;)
        if (ps.steps[i].session_id > 0)
            last = &ps.steps[i];
    planned = bstep_plan_sessions_planned(ps.plan_id, ps.start_day, today);
    if (po->json) {
        bstep__jsonw w;
        char day[16];
        bstep__jsonw_init(&w, stdout, 2);
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "schema");
        bstep__jsonw_string(&w, "backstep.plan/1");
        bstep__jsonw_key(&w, "plan_id");
        bstep__jsonw_int(&w, ps.plan.id);
        bstep__jsonw_key(&w, "plan");
        bstep__jsonw_string(&w, bstep_plan_get(ps.plan_id)->name);
        bstep__jsonw_key(&w, "start_date");
        bstep__jsonw_string(&w, ps.plan.start_date);
        bstep__day_text(today, day, sizeof(day));
        bstep__jsonw_key(&w, "date");
        bstep__jsonw_string(&w, day);
        bstep__jsonw_key(&w, "level");
        bstep__jsonw_int(&w, stt.level);
        bstep__jsonw_key(&w, "level_name");
        bstep__jsonw_string(&w, bstep_level_get(stt.level)->name);
        bstep__jsonw_key(&w, "level_max");
        bstep__jsonw_int(&w, stt.level_max);
        bstep__jsonw_key(&w, "paused");
        bstep__jsonw_bool(&w, stt.paused);
        bstep__jsonw_key(&w, "sessions_at_level");
        bstep__jsonw_int(&w, stt.sessions_at_level);
        bstep__jsonw_key(&w, "adherence");
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "sessions_done");
        bstep__jsonw_int(&w, ps.sessions_done);
        bstep__jsonw_key(&w, "sessions_planned");
        bstep__jsonw_int(&w, planned);
        bstep__jsonw_key(&w, "sessions_this_week");
        bstep__jsonw_int(&w, ps.sessions_this_week);
        bstep__jsonw_object_end(&w);
        bstep__jsonw_key(&w, "screening");
        bstep__screening_json(&w, &res);
        bstep__jsonw_key(&w, "last_decision");
        if (last != NULL)
            bstep__decision_json(&w, &last->d);
        else
            bstep__jsonw_null(&w);
        bstep__jsonw_key(&w, "today");
        bstep__today_json(&w, &t);
        bstep__jsonw_key(&w, "history");
        bstep__jsonw_array_begin(&w);
        for (i = 0; i < ps.n_steps; i++) {
            bstep__jsonw_object_begin(&w);
            bstep__day_text(ps.steps[i].day, day, sizeof(day));
            bstep__jsonw_key(&w, "date");
            bstep__jsonw_string(&w, day);
            bstep__jsonw_key(&w, "kind");
            bstep__jsonw_string(&w, ps.steps[i].kind);
            bstep__jsonw_key(&w, "session_id");
            if (ps.steps[i].session_id > 0)
                bstep__jsonw_int(&w, ps.steps[i].session_id);
            else
                bstep__jsonw_null(&w);
            bstep__jsonw_key(&w, "decision");
            bstep__decision_json(&w, &ps.steps[i].d);
            bstep__jsonw_object_end(&w);
        }
        bstep__jsonw_array_end(&w);
        bstep__jsonw_object_end(&w);
        printf("\n");
    } else if (today_only) {
        printf("backstep plan: today for %s\n\n", user.name);
        bstep__today_text(stdout, &t, ps.plan_id, "  ");
        printf("\n  %s", safety_text());
    } else {
        const bstep_plan *p = bstep_plan_get(ps.plan_id);
        printf("backstep plan of %s, since %s\n\n", user.name, ps.plan.start_date);
        print_plan_head(stdout, p);
        printf("\n  Level       %d of %d: %s%s\n", stt.level, stt.level_max,
               bstep_level_get(stt.level)->title, stt.paused ? " (paused)" : "");
        printf("  Sessions    %d at this level, %d in all\n", stt.sessions_at_level,
               stt.sessions_total);
        printf("  Adherence   %d of %d planned sessions done so far (%s), %d this plan week\n",
               ps.sessions_done, planned,
               planned > 0 ? (ps.sessions_done >= planned ? "on track" : "behind") : "none due yet",
               ps.sessions_this_week);
        if (stt.end_day >= 0) {
            char end[16];
            bstep__day_text(stt.end_day, end, sizeof(end));
            printf("  Programme   ends %s\n", end);
        }
        printf("\n  Screening\n");
        bstep__screening_text(stdout, &res, "    ");
        printf("\n  Last decision\n");
        if (last != NULL)
            bstep__decision_text(stdout, &last->d, "    ");
        else
            bstep__decision_text(stdout, &ps.first, "    ");
        printf("\n  Today\n");
        bstep__today_text(stdout, &t, ps.plan_id, "    ");
        history_text(&ps);
        printf("\n  %s", safety_text());
    }
    bstep__plan_state_free(&ps);
    bstep_store_close(st);
    return BSTEP_EXIT_OK;
}

static int cmd_list(plan_opts *po)
{
    bstep_store *st = NULL;
    bstep_store_user user;
    bstep_store_plan *l = NULL;
    size_t n = 0, i;
    int rc;
    if ((rc = open_user(po, &st, &user, 0)) != BSTEP_EXIT_OK)
        return rc;
    if (bstep_store_plan_list(st, user.id, &l, &n) != BSTEP_OK) {
        fprintf(stderr, "backstep plan: %s\n", bstep_store_errmsg(st));
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    if (n == 0)
        printf("No plans of %s.\n", user.name);
    for (i = 0; i < n; i++)
        printf("plan %lld  %-17s since %s  level %d%s\n", (long long)l[i].id, l[i].kind,
               l[i].start_date, l[i].level, l[i].active ? "  (active)" : "");
    bstep_store_free(l);
    bstep_store_close(st);
    return BSTEP_EXIT_OK;
}

/* ---- adjust ----------------------------------------------------------------------------- */

static int cmd_adjust(plan_opts *po)
{
    static const char *const kinds[4] = {"cleared", "pause-by-hand", "resume-by-hand", "set-level"};
    bstep_store *st = NULL;
    bstep_store_user user;
    bstep__plan_state ps;
    bstep_coach trial;
    bstep_coach_decision d;
    bstep_store_plan_progress e;
    int32_t day;
    int rc;
    if (po->adjust_kind < 0)
        return bstep__usage_error(po->cmd, "plan adjust needs --cleared, --pause, --resume or "
                                           "--level N");
    if (day_of_option(po->cmd, po->date, &day) != 0)
        return BSTEP_EXIT_USAGE;
    if ((rc = open_user(po, &st, &user, 0)) != BSTEP_EXIT_OK)
        return rc;
    if ((rc = replay(st, user.id, day, &ps)) >= 0) {
        bstep_store_close(st);
        return rc;
    }
    trial = ps.coach;
    rc = bstep_coach_adjust(&trial, day < trial.last_day ? trial.last_day : day,
                            (bstep_adjust_kind)po->adjust_kind, po->adjust_level, &d);
    if (rc != BSTEP_OK) {
        if (rc == BSTEP_ERANGE)
            fprintf(stderr, "backstep plan: not allowed now: %s\n",
                    po->adjust_kind == BSTEP_ADJUST_RESUME
                        ? "this pause needs a health professional's clearance (--cleared)"
                        : "above the screening's limit only after --cleared");
        else
            fprintf(stderr, "backstep plan: --level must be 1..%d for this plan\n",
                    bstep_plan_get(ps.plan_id)->level_max);
        bstep__plan_state_free(&ps);
        bstep_store_close(st);
        return rc == BSTEP_ERANGE ? BSTEP_EXIT_FAIL : BSTEP_EXIT_USAGE;
    }
    memset(&e, 0, sizeof(e));
    e.plan_id = ps.plan.id;
    e.at_us = po->date != NULL ? bstep__day_noon_us(day) : bstep__store_now_us();
    snprintf(e.kind, sizeof(e.kind), "%s", kinds[po->adjust_kind]);
    e.level_from = d.level_from;
    e.level_to = d.level_to;
    snprintf(e.reason, sizeof(e.reason), "%s%s%.200s", bstep_coach_reason_text(d.reason),
             po->note ? ": " : "", po->note ? po->note : "");
    rc = bstep_store_plan_progress_append(st, &e);
    bstep__plan_state_free(&ps);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep plan: %s\n", bstep_store_errmsg(st));
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    if ((rc = decide(st, user.id, INT32_MAX / 2, &ps)) >= 0) {
        bstep_store_close(st);
        return rc;
    }
    printf("backstep plan: %s; level %d%s\n", bstep_coach_reason_text(d.reason), d.level_to,
           d.paused ? " (paused)" : "");
    bstep__plan_state_free(&ps);
    bstep_store_close(st);
    return BSTEP_EXIT_OK;
}

/* ---- calendar --------------------------------------------------------------------------- */

static int cmd_calendar(plan_opts *po)
{
    bstep_store *st = NULL;
    bstep_store_user user;
    bstep__plan_state ps;
    bstep_coach_today t;
    bstep_coach_status stt;
    bstep__ics_options io;
    int32_t from;
    int rc, hh = 18, mm = 0;
    FILE *f = stdout;
    size_t n;
    if (day_of_option(po->cmd, po->from, &from) != 0)
        return BSTEP_EXIT_USAGE;
    if (po->time_text != NULL) {
        const char *t2 = po->time_text;
        if (strlen(t2) != 5 || t2[2] != ':' || t2[0] < '0' || t2[0] > '2' || t2[1] < '0' ||
            t2[1] > '9' || t2[3] < '0' || t2[3] > '5' || t2[4] < '0' || t2[4] > '9' ||
            (hh = (t2[0] - '0') * 10 + (t2[1] - '0')) > 23)
            return bstep__usage_error(po->cmd, "--time: expected HH:MM, not '%s'", t2);
        mm = (t2[3] - '0') * 10 + (t2[4] - '0');
    }
    if ((rc = open_user(po, &st, &user, 0)) != BSTEP_EXIT_OK)
        return rc;
    if ((rc = replay(st, user.id, from, &ps)) >= 0) {
        bstep_store_close(st);
        return rc;
    }
    bstep_coach_get_status(&ps.coach, &stt);
    today_of(&ps, &t);
    memset(&io, 0, sizeof(io));
    io.plan_id = ps.plan.id;
    io.plan = ps.plan_id;
    io.start_day = ps.start_day;
    io.from_day = from < ps.start_day ? ps.start_day : from;
    io.to_day = io.from_day + 7 * (po->weeks > 0 ? po->weeks : 4) - 1;
    if (stt.end_day >= 0 && (po->weeks <= 0 || io.to_day > stt.end_day))
        io.to_day = stt.end_day;
    io.minute_of_day = hh * 60 + mm;
    io.stamp_us = bstep__store_now_us();
    io.today = &t;
    if (po->out != NULL && strcmp(po->out, "-") != 0) {
        f = fopen(po->out, "wb");
        if (f == NULL) {
            fprintf(stderr, "backstep plan: %s: %s\n", po->out, strerror(errno));
            bstep__plan_state_free(&ps);
            bstep_store_close(st);
            return BSTEP_EXIT_INPUT;
        }
    }
    n = bstep__ics_write(f, &io);
    if (f != stdout) {
        if (fclose(f) != 0) {
            fprintf(stderr, "backstep plan: %s: %s\n", po->out, strerror(errno));
            bstep__plan_state_free(&ps);
            bstep_store_close(st);
            return BSTEP_EXIT_INPUT;
        }
        printf("backstep plan: %zu sessions written to %s\n", n, po->out);
    }
    bstep__plan_state_free(&ps);
    bstep_store_close(st);
    return BSTEP_EXIT_OK;
}

/* ---- options ---------------------------------------------------------------------------- */

int bstep_cmd_plan(int argc, char **argv)
{
    plan_opts po;
    bstep__opts o;
    const char *sub = NULL;
    memset(&po, 0, sizeof(po));
    po.cmd = "plan";
    po.adjust_kind = -1;
    po.adjust_level = 0;
    bstep_screening_init(&po.q);
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL) {
            if (sub != NULL)
                return bstep__usage_error(po.cmd, "unexpected argument '%s'", o.arg);
            sub = o.arg;
            continue;
        }
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        } else if (strcmp(o.name, "ask") == 0 || strcmp(o.name, "no-ask") == 0) {
            po.ask = o.name[0] == 'a' ? 1 : -1;
            continue;
        } else if (strcmp(o.name, "cleared") == 0 || strcmp(o.name, "pause") == 0 ||
                   strcmp(o.name, "resume") == 0) {
            if (po.adjust_kind >= 0)
                return bstep__usage_error(po.cmd, "one adjustment at a time");
            po.adjust_kind = o.name[0] == 'c'   ? BSTEP_ADJUST_CLEARED
                             : o.name[0] == 'p' ? BSTEP_ADJUST_PAUSE
                                                : BSTEP_ADJUST_RESUME;
            continue;
        }
        v = bstep__opts_value(&o, po.cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "plan") == 0) {
            po.plan_name = v;
        } else if (strcmp(o.name, "start") == 0 || strcmp(o.name, "from") == 0) {
            po.from = v;
        } else if (strcmp(o.name, "date") == 0) {
            po.date = v;
        } else if (strcmp(o.name, "format") == 0) {
            if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
                return bstep__usage_error(po.cmd, "--format: expected text or json, not '%s'", v);
            po.json = strcmp(v, "json") == 0;
        } else if (strcmp(o.name, "user") == 0) {
            po.user_arg = v;
        } else if (strcmp(o.name, "db") == 0) {
            po.db_url = v;
        } else if (strcmp(o.name, "out") == 0) {
            po.out = v;
        } else if (strcmp(o.name, "note") == 0) {
            po.note = v;
        } else if (strcmp(o.name, "time") == 0) {
            po.time_text = v;
        } else if (strcmp(o.name, "weeks") == 0) {
            if (whole(po.cmd, o.name, v, 1, 104, &po.weeks) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "level") == 0) {
            if (po.adjust_kind >= 0)
                return bstep__usage_error(po.cmd, "one adjustment at a time");
            if (whole(po.cmd, o.name, v, 1, BSTEP_LEVEL_COUNT, &po.adjust_level) != 0)
                return BSTEP_EXIT_USAGE;
            po.adjust_kind = BSTEP_ADJUST_SET_LEVEL;
        } else if (strcmp(o.name, "pain") == 0) {
            if (whole(po.cmd, o.name, v, 0, 10, &po.q.pain_0_10) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "age") == 0) {
            if (whole(po.cmd, o.name, v, 1, 120, &po.q.age_y) != 0)
                return BSTEP_EXIT_USAGE;
        } else {
            int *field = bstep_screening_question(&po.q, o.name);
            if (field == NULL)
                return bstep__usage_error(po.cmd, "unknown option --%s", o.name);
            if (yes_no(po.cmd, o.name, v, field) != 0)
                return BSTEP_EXIT_USAGE;
        }
    }
    if (sub == NULL)
        sub = "show";
    if (strcmp(sub, "start") == 0)
        return cmd_start(&po);
    if (po.from != NULL && strcmp(sub, "calendar") != 0)
        return bstep__usage_error(po.cmd, "--start/--from belong to plan start and plan calendar");
    if (strcmp(sub, "show") == 0)
        return cmd_show(&po, 0);
    if (strcmp(sub, "today") == 0)
        return cmd_show(&po, 1);
    if (strcmp(sub, "adjust") == 0)
        return cmd_adjust(&po);
    if (strcmp(sub, "calendar") == 0)
        return cmd_calendar(&po);
    if (strcmp(sub, "list") == 0)
        return cmd_list(&po);
    return bstep__usage_error(po.cmd,
                              "unknown subcommand '%s' (start, show, today, adjust, "
                              "calendar, list)",
                              sub);
}
