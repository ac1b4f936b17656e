/*
 * The coach (include/backstep/coach.h): plans and levels as data, the safety screening, the
 * progression gates and the decisions they lead to, today's session and the week pattern.
 * Every number here is documented with its reason and source in docs/coach.md.
 *
 * Sources of the doses (reference/energy.md section 7):
 *   Alghadir AH et al., BMC Musculoskelet Disord 2019;20:159 (knee OA: 10 min retro walking,
 *     3 d/week, 6 weeks, supervised, with usual physiotherapy);
 *   Chang KW et al., Int J Environ Res Public Health 2021;18:2376 (chronic stroke: 30 min
 *     backward treadmill walking after 30 min physiotherapy, 3x/week, 4 weeks);
 *   Whitley CR, Dufek JS, Int J Exerc Sci 2011;4(3):192 (hamstring flexibility: 10-15 min/day,
 *     4 d/week, 4 weeks); Dufek JS et al., JEPonline 2011;14(1):17 (low back pain, 3 weeks);
 *   Terblanche E et al., Int J Sports Med 2005;26:214; Ordway JD et al., J Strength Cond Res
 *     2016;30:763 (backward running programmes, 5-10 weeks).
 * Screening questions: CDC STEADI "Stay Independent" key questions (fallen in the past year,
 * unsteady, worried about falling); PAR-Q+ 2023 general health questions (Warburton et al.).
 * Pain thresholds: numeric rating scale 0-10; a change of 2 points is clinically important
 * (Farrar JT et al., Pain 2001;94:149); 7-10 is severe pain (Serlin RC et al., Pain
 * 1995;61:277).
 */
#include <math.h>
#include <string.h>

#include "backstep/coach.h"
#include "backstep/status.h"

#define DNAN ((double)NAN)

/* ---- plans ------------------------------------------------------------------------------ */

static const bstep_plan plans[BSTEP_PLAN_COUNT] = {
    {BSTEP_PLAN_GENERAL, "general", "General retro walking", 3, 4, 10, 15, 0, 4, 0,
     "3-4 sessions a week, 10-15 minutes of backward walking each",
     "backstep product brief (DESIGN.md section 2): common beginner guidance; the 10-15 minute "
     "sessions match the trained doses of Alghadir et al. 2019 (10 min) and Whitley & Dufek 2011 "
     "(10-15 min)",
     "Open-ended. Sessions start at 10 minutes and grow to 15 once settled at a level. Levels "
     "1-4; backward jogging is the backward-running plan."},
    {BSTEP_PLAN_KNEE_OA, "knee-oa", "Knee osteoarthritis: 6 weeks", 3, 3, 10, 10, 6, 4, 0,
     "10 minutes of retro walking, 3 days a week, for 6 weeks",
     "Alghadir AH, Anwer S, Sarkar B, Paul AK, Anwar D. Effect of 6-week retro or forward "
     "walking program on pain, functional disability, quadriceps muscle strength, and "
     "performance in individuals with knee osteoarthritis: a randomized controlled trial. BMC "
     "Musculoskelet Disord 2019;20:159 (ISRCTN12850845)",
     "In the study the walking was supervised and added to usual physiotherapy; backstep follows "
     "the walking dose only, does not replace care and promises none of the study's outcomes. "
     "Pain is tracked with the check-ins."},
    {BSTEP_PLAN_STROKE, "stroke", "Stroke rehabilitation: 4 weeks with a therapist", 3, 3, 30, 30,
     4, 3, 1, "30 minutes of backward treadmill walking, 3 times a week, for 4 weeks",
     "Chang KW, Lin CM, Yen CW, Yang CC, Tanaka T, Guo LY. The effect of walking backward on a "
     "treadmill on balance, speed of walking and cardiopulmonary fitness for patients with "
     "chronic stroke: a pilot study. Int J Environ Res Public Health 2021;18:2376 (NCT02619110)",
     "Every session with a therapist, on a treadmill (levels 1-3), after the usual therapy as in "
     "the study. backstep measures the walking for the therapist; the therapist decides."},
    {BSTEP_PLAN_HAMSTRING_LBP, "hamstring-lbp", "Hamstring flexibility and low back: 4 weeks", 4, 7,
     10, 15, 4, 4, 0,
     "10-15 minutes a day of backward walking, at least 4 days a week, for 4 weeks",
     "Whitley CR, Dufek JS. Effects of backward walking on hamstring flexibility and low back "
     "range of motion. Int J Exerc Sci 2011;4(3):192-198; Dufek JS, House AJ, Mangus BC, Melcher "
     "G, Mercer JA. Backward walking: a possible active exercise for low back pain reduction and "
     "enhanced function in athletes. JEPonline 2011;14(1):17-26",
     "The study trained 10-15 minutes a day on 4 days a week (self-selected speed); backstep "
     "plans 4 sessions a week and counts up to one a day. Pain is tracked with the check-ins."},
    {BSTEP_PLAN_BACKWARD_RUNNING, "backward-running",
     "Backward running: forward/backward intervals", 3, 4, 20, 30, 8, 5, 0,
     "3-4 sessions a week for 8 weeks; walking levels first, then forward/backward jogging "
     "intervals",
     "Terblanche E, Page C, Kroff J, Venter RE. The effect of backward locomotion training on "
     "the body composition and cardiorespiratory fitness of young women. Int J Sports Med "
     "2005;26:214-219; Ordway JD, Laubach LL, Vanderburgh PM, Jackson KJ. The effects of "
     "backwards running training on forward running economy in trained males. J Strength Cond "
     "Res 2016;30:763-767; interval structure (2 min work, 1 min easier) after the backward "
     "interval running study summarised in reference/energy.md section 7",
     "Jogging (level 5) comes only after the walking levels' gates, and alternates 2 minutes of "
     "forward jogging with 1 minute of backward jogging. Heart-rate zones of the interval study "
     "are not prescribed."},
};

const bstep_plan *bstep_plan_get(bstep_plan_id id)
{
    return (unsigned)id < BSTEP_PLAN_COUNT ? &plans[id] : NULL;
}

int bstep_plan_parse(const char *name, bstep_plan_id *out)
{
    int i;
    if (name == NULL || out == NULL)
        return BSTEP_EINVAL;
    for (i = 0; i < BSTEP_PLAN_COUNT; i++)
        if (strcmp(name, plans[i].name) == 0) {
            *out = (bstep_plan_id)i;
            return BSTEP_OK;
        }
    return BSTEP_EINVAL;
}

/* ---- levels ----------------------------------------------------------------------------- */

static const bstep_level levels[BSTEP_LEVEL_COUNT] = {
    {1, "treadmill-slow", "Treadmill, slow, holding the rails",
     "Face the back of the treadmill, clip the safety key to your clothes, hold the rails with "
     "both hands and start the belt at its slowest speed. Walk backward at 0.3-0.6 m/s "
     "(1.1-2.2 km/h), toes first, standing tall.",
     0.3, 0.6, 0.0, 0.0, 1, 2, 0, 0, 3, DNAN},
    {2, "treadmill-faster", "Treadmill, faster, hands near the rails",
     "As before, at 0.6-0.9 m/s (2.2-3.2 km/h), touching the rails lightly or keeping your hands "
     "close to them. Slow the belt down whenever a step feels rushed.",
     0.6, 0.9, 0.0, 0.0, 1, 1, 0, 0, 3, DNAN},
    {3, "treadmill-incline", "Treadmill, incline",
     "At 0.6-0.9 m/s with the treadmill inclined 2-10 %, starting at 2 % and adding 1-2 % per "
     "session while it feels controlled; hands near the rails.",
     0.6, 0.9, 2.0, 10.0, 1, 1, 0, 0, 3, DNAN},
    {4, "outdoors-spotter", "Outdoors on flat, quiet ground with a spotter",
     "In a large, flat, quiet place (an empty sports field, a running track), with a friend "
     "walking beside you who watches behind you. Glance over your shoulder; do not twist round.",
     0.6, 1.2, 0.0, 0.0, 0, 0, 1, 0, 6, 1.0},
    {5, "backward-jogging", "Backward jogging intervals",
     "On a running track or a treadmill you know well, with a spotter: alternate 2 minutes of "
     "easy forward jogging with 1 minute of backward jogging, short quick steps, toes first.",
     1.5, 2.3, 0.0, 0.0, 0, 0, 1, 1, 0, DNAN},
};

const bstep_level *bstep_level_get(int number)
{
    return number >= 1 && number <= BSTEP_LEVEL_COUNT ? &levels[number - 1] : NULL;
}

/* ---- screening -------------------------------------------------------------------------- */

int *bstep_screening_question(bstep_screening *s, const char *name)
{
    if (s == NULL || name == NULL)
        return NULL;
    if (strcmp(name, "fell") == 0)
        return &s->fell_past_year;
    if (strcmp(name, "unsteady") == 0)
        return &s->unsteady;
    if (strcmp(name, "worried") == 0)
        return &s->worried_falling;
    if (strcmp(name, "heart") == 0)
        return &s->heart_condition;
    if (strcmp(name, "chest-pain") == 0)
        return &s->chest_pain;
    if (strcmp(name, "dizziness") == 0)
        return &s->dizziness;
    if (strcmp(name, "told-supervised") == 0)
        return &s->told_supervised;
    if (strcmp(name, "surgery") == 0)
        return &s->recent_surgery;
    if (strcmp(name, "balance-condition") == 0)
        return &s->neuro_condition;
    return NULL;
}

void bstep_screening_init(bstep_screening *s)
{
    if (s == NULL)
        return;
    s->fell_past_year = s->unsteady = s->worried_falling = -1;
    s->heart_condition = s->chest_pain = s->dizziness = -1;
    s->told_supervised = s->recent_surgery = s->neuro_condition = -1;
    s->pain_0_10 = -1;
    s->age_y = -1;
}

static int answer_ok(int a)
{
    return a >= -1 && a <= 1;
}

static void add_reason(bstep_screening_result *r, bstep_screen_reason why)
{
    size_t i;
    for (i = 0; i < r->n_reasons; i++)
        if (r->reasons[i] == why)
            return;
    if (r->n_reasons < BSTEP_SCREEN_REASON_COUNT)
        r->reasons[r->n_reasons++] = why;
}

int bstep_screening_evaluate(const bstep_screening *s, bstep_plan_id plan,
                             bstep_screening_result *out)
{
    const bstep_plan *p = bstep_plan_get(plan);
    int unanswered = 0;
    if (s == NULL || out == NULL || p == NULL)
        return BSTEP_EINVAL;
    if (!answer_ok(s->fell_past_year) || !answer_ok(s->unsteady) ||
        !answer_ok(s->worried_falling) || !answer_ok(s->heart_condition) ||
        !answer_ok(s->chest_pain) || !answer_ok(s->dizziness) || !answer_ok(s->told_supervised) ||
        !answer_ok(s->recent_surgery) || !answer_ok(s->neuro_condition) || s->pain_0_10 < -1 ||
        s->pain_0_10 > 10 || s->age_y < -1 || s->age_y > 120)
        return BSTEP_EINVAL;
    memset(out, 0, sizeof(*out));
    out->level_max = p->level_max;
#define YES(a) ((a) != 0) /* -1 (not answered) counts as yes: the safe side */
    unanswered = (s->fell_past_year < 0) + (s->unsteady < 0) + (s->worried_falling < 0) +
                 (s->heart_condition < 0) + (s->chest_pain < 0) + (s->dizziness < 0) +
                 (s->told_supervised < 0) + (s->recent_surgery < 0) + (s->neuro_condition < 0);
    /* PAR-Q+ general questions and recent surgery: see a health professional first. */
    if (YES(s->heart_condition)) {
        out->flags |= BSTEP_SCREEN_CONSULT_FIRST;
        add_reason(out, BSTEP_SCREEN_REASON_HEART);
    }
    if (YES(s->chest_pain)) {
        out->flags |= BSTEP_SCREEN_CONSULT_FIRST;
        add_reason(out, BSTEP_SCREEN_REASON_CHEST_PAIN);
    }
    if (YES(s->dizziness)) {
        out->flags |= BSTEP_SCREEN_CONSULT_FIRST | BSTEP_SCREEN_SUPPORTED_ONLY;
        add_reason(out, BSTEP_SCREEN_REASON_DIZZINESS);
    }
    if (YES(s->recent_surgery)) {
        out->flags |= BSTEP_SCREEN_CONSULT_FIRST;
        add_reason(out, BSTEP_SCREEN_REASON_SURGERY);
    }
    if (s->pain_0_10 >= 7) {
        out->flags |= BSTEP_SCREEN_CONSULT_FIRST | BSTEP_SCREEN_PAIN_HIGH;
        add_reason(out, BSTEP_SCREEN_REASON_PAIN_HIGH);
    }
    /* STEADI key questions, balance conditions, a professional's limits: supported walking. */
    if (YES(s->fell_past_year)) {
        out->flags |= BSTEP_SCREEN_SUPPORTED_ONLY | BSTEP_SCREEN_SUPERVISED;
        add_reason(out, BSTEP_SCREEN_REASON_FELL);
    }
    if (YES(s->unsteady)) {
        out->flags |= BSTEP_SCREEN_SUPPORTED_ONLY | BSTEP_SCREEN_SUPERVISED;
        add_reason(out, BSTEP_SCREEN_REASON_UNSTEADY);
    }
    if (YES(s->worried_falling)) {
        out->flags |= BSTEP_SCREEN_SUPPORTED_ONLY;
        add_reason(out, BSTEP_SCREEN_REASON_WORRIED);
    }
    if (YES(s->neuro_condition)) {
        out->flags |= BSTEP_SCREEN_SUPPORTED_ONLY | BSTEP_SCREEN_SUPERVISED;
        add_reason(out, BSTEP_SCREEN_REASON_NEURO);
    }
    if (YES(s->told_supervised)) {
        out->flags |= BSTEP_SCREEN_SUPPORTED_ONLY | BSTEP_SCREEN_SUPERVISED;
        add_reason(out, BSTEP_SCREEN_REASON_TOLD_SUPERVISED);
    }
#undef YES
    if (s->age_y >= 65) {
        out->flags |= BSTEP_SCREEN_SUPERVISED;
        add_reason(out, BSTEP_SCREEN_REASON_AGE);
    }
    if (p->supervised) {
        out->flags |= BSTEP_SCREEN_SUPERVISED;
        add_reason(out, BSTEP_SCREEN_REASON_PLAN_SUPERVISED);
    }
    if (unanswered > 0) {
        out->flags |= BSTEP_SCREEN_INCOMPLETE;
        add_reason(out, BSTEP_SCREEN_REASON_UNANSWERED);
    }
    if ((out->flags & BSTEP_SCREEN_SUPPORTED_ONLY) && out->level_max > 3)
        out->level_max = 3;
    return BSTEP_OK;
}

typedef struct {
    const char *name, *question, *text;
} screen_info;

static const screen_info screen_table[BSTEP_SCREEN_REASON_COUNT] = {
    {"fell", "Have you fallen in the past 12 months?",
     "You have fallen in the past year: walk backward only on a treadmill holding the rails "
     "(levels 1-3), with someone with you, and consider talking to a health professional about "
     "falls (CDC STEADI)."},
    {"unsteady", "Do you feel unsteady when you are standing or walking?",
     "You feel unsteady: treadmill with rails only (levels 1-3), with someone with you (CDC "
     "STEADI)."},
    {"worried", "Do you worry about falling?",
     "You worry about falling: the plan stays on the treadmill with rails (levels 1-3) (CDC "
     "STEADI)."},
    {"heart", "Has a doctor ever said that you have a heart condition or high blood pressure?",
     "Talk to a health professional before you start (PAR-Q+); record it with 'backstep plan "
     "adjust --cleared'."},
    {"chest_pain",
     "Do you feel pain in your chest at rest, during daily activities or when you are active?",
     "Talk to a health professional before you start (PAR-Q+)."},
    {"dizziness",
     "Do you lose balance because of dizziness, or have you lost consciousness in the past 12 "
     "months?",
     "Talk to a health professional before you start (PAR-Q+); the plan stays on the treadmill "
     "with rails."},
    {"told_supervised",
     "Has a health professional told you to be active only under supervision or within limits?",
     "Follow that advice: someone with you every session, treadmill with rails only."},
    {"surgery",
     "Have you had surgery or an injury of a leg, a hip or your back in the past 6 months?",
     "Ask the professional who treated you before you start."},
    {"neuro",
     "Do you have a condition that affects your balance, such as a stroke, Parkinson's disease, "
     "multiple sclerosis or neuropathy?",
     "Walk with a therapist or someone trained with you, on a treadmill with rails (levels 1-3)."},
    {"pain_high", "How much pain do you have now, from 0 (none) to 10 (worst imaginable)?",
     "Pain of 7 or more out of 10 is severe: talk to a health professional before you start."},
    {"age", "How old are you?",
     "From 65 a fall-risk check is advised for everyone (CDC STEADI): have someone watch your "
     "sessions."},
    {"unanswered", "",
     "Some questions were not answered; they were counted as 'yes' to stay on the safe side."},
    {"plan_supervised", "",
     "This plan is followed with a therapist: every session with them, as in the study."},
};

const char *bstep_screen_reason_name(bstep_screen_reason r)
{
    return (unsigned)r < BSTEP_SCREEN_REASON_COUNT ? screen_table[r].name : "unknown";
}

const char *bstep_screen_reason_question(bstep_screen_reason r)
{
    return (unsigned)r < BSTEP_SCREEN_REASON_COUNT ? screen_table[r].question : "";
}

const char *bstep_screen_reason_text(bstep_screen_reason r)
{
    return (unsigned)r < BSTEP_SCREEN_REASON_COUNT ? screen_table[r].text : "";
}

/* ---- sessions --------------------------------------------------------------------------- */

void bstep_coach_session_init(bstep_coach_session *s, int32_t day)
{
    if (s == NULL)
        return;
    memset(s, 0, sizeof(*s));
    s->day = day;
    s->backward_time_s = s->walking_time_s = DNAN;
    s->toe_first_ratio = s->rhythm_cv_pct = s->trunk_lean_deg = s->speed_backward_mps = DNAN;
    s->stumbles = s->falls = -1;
    s->stumble_reported = -1;
    s->pain_0_10 = s->wellbeing_0_10 = -1;
}

static int count_int(uint64_t v)
{
    return v > 1000000u ? 1000000 : (int)v;
}

void bstep_coach_session_from_summary(bstep_coach_session *s, const bstep_summary_values *v)
{
    const int dir = (v->measured & BSTEP_MEASURE_DIRECTION) != 0;
    if (s == NULL || v == NULL)
        return;
    s->walking_time_s = v->walking_time_s;
    /* Without direction the walking time stands in (the walker was asked to walk backward). */
    s->backward_time_s = dir ? v->time_backward_s : v->walking_time_s;
    s->toe_first_ratio = v->toe_first_ratio;
    s->toe_first_strikes = count_int(v->backward_strikes_known);
    if (dir) {
        s->rhythm_cv_pct = v->backward_stride_time_cv_pct;
        s->rhythm_strides = count_int(v->backward_strides);
    } else {
        s->rhythm_cv_pct = v->stride_time_cv_pct;
        s->rhythm_strides = count_int(v->contacts);
    }
    s->trunk_lean_deg = (v->measured & BSTEP_MEASURE_POSTURE) ? v->trunk_lean_deg : DNAN;
    s->speed_backward_mps = v->speed_backward_mps;
    s->stumbles = (v->measured & BSTEP_MEASURE_STUMBLES) ? count_int(v->stumbles) : -1;
    s->falls = (v->measured & BSTEP_MEASURE_FALLS) ? count_int(v->falls) : -1;
}

static int session_valid(const bstep_coach_session *s)
{
    return (isnan(s->toe_first_ratio) ||
            (s->toe_first_ratio >= 0.0 && s->toe_first_ratio <= 1.0)) &&
           !(s->backward_time_s < 0.0) && !(s->walking_time_s < 0.0) && !(s->rhythm_cv_pct < 0.0) &&
           s->stumbles >= -1 && s->falls >= -1 && s->stumble_reported >= -1 &&
           s->stumble_reported <= 1 && s->pain_0_10 >= -1 && s->pain_0_10 <= 10 &&
           s->wellbeing_0_10 >= -1 && s->wellbeing_0_10 <= 10 && s->toe_first_strikes >= 0 &&
           s->rhythm_strides >= 0 && !isinf(s->trunk_lean_deg) && !isinf(s->speed_backward_mps);
}

/* ---- coach ------------------------------------------------------------------------------ */

const bstep_coach_settings bstep_coach_default_settings = {
    3,    /* window: a week at 3 sessions a week */
    0.8,  /* dose_fraction */
    0.8,  /* toe_first_min: the FAIR edge of the toe-first score */
    10,   /* toe_first_min_strikes */
    5.0,  /* rhythm_max_pct: the FAIR edge of the rhythm score */
    10,   /* rhythm_min_strides */
    20.0, /* lean_max_deg: the FAIR edge of the posture score */
    2,    /* pain_rise: Farrar et al. 2001 */
    7,    /* pain_pause: Serlin et al. 1995 */
};

static int settings_valid(const bstep_coach_settings *c)
{
    return c->window >= 1 && c->window <= BSTEP_COACH_WINDOW_MAX && c->dose_fraction > 0.0 &&
           c->dose_fraction <= 1.0 && c->toe_first_min >= 0.0 && c->toe_first_min <= 1.0 &&
           c->toe_first_min_strikes >= 1 && isfinite(c->rhythm_max_pct) &&
           c->rhythm_max_pct > 0.0 && c->rhythm_min_strides >= 3 && isfinite(c->lean_max_deg) &&
           c->lean_max_deg > 0.0 && c->pain_rise >= 1 && c->pain_rise <= 10 && c->pain_pause >= 1 &&
           c->pain_pause <= 10;
}

static void decision_init(const bstep_coach *c, bstep_coach_decision *d, bstep_coach_action a,
                          bstep_coach_reason r)
{
    int i;
    memset(d, 0, sizeof(*d));
    d->action = a;
    d->reason = r;
    d->also = BSTEP_COACH_REASON_COUNT;
    d->level_from = d->level_to = c->level;
    d->paused = c->paused;
    for (i = 0; i < BSTEP_GATE_COUNT; i++) {
        d->gates[i].id = (bstep_gate_id)i;
        d->gates[i].status = BSTEP_GATE_NOT_APPLICABLE;
        d->gates[i].value = d->gates[i].threshold = DNAN;
    }
}

int bstep_coach_init(bstep_coach *c, bstep_plan_id plan, const bstep_screening *screening,
                     int32_t start_day, const bstep_coach_settings *cfg,
                     bstep_coach_decision *first)
{
    bstep_screening none;
    const bstep_plan *p = bstep_plan_get(plan);
    if (c == NULL || p == NULL)
        return BSTEP_EINVAL;
    if (cfg == NULL)
        cfg = &bstep_coach_default_settings;
    if (!settings_valid(cfg))
        return BSTEP_EINVAL;
    if (screening == NULL) {
        bstep_screening_init(&none);
        screening = &none;
    }
    memset(c, 0, sizeof(*c));
    if (bstep_screening_evaluate(screening, plan, &c->screen) != BSTEP_OK)
        return BSTEP_EINVAL;
    c->cfg = *cfg;
    c->plan = plan;
    c->start_day = start_day;
    c->last_day = start_day;
    c->level = 1;
    c->level_max = c->screen.level_max;
    c->level_since_day = start_day;
    c->pain_start = screening->pain_0_10;
    c->pain_last = screening->pain_0_10;
    if (c->screen.flags & BSTEP_SCREEN_CONSULT_FIRST) {
        c->paused = 1;
        c->pause_reason = BSTEP_COACH_REASON_CONSULT_FIRST;
    }
    if (first != NULL)
        decision_init(c, first, c->paused ? BSTEP_COACH_PAUSE : BSTEP_COACH_RESUME,
                      c->paused ? BSTEP_COACH_REASON_CONSULT_FIRST : BSTEP_COACH_REASON_STARTED);
    return BSTEP_OK;
}

static void reset_level_window(bstep_coach *c, int32_t day)
{
    c->sessions_at_level = 0;
    c->recent_n = 0;
    c->level_since_day = day;
}

static void gate_set(bstep_gate_result *g, bstep_gate_status st, double v, double thr, int n)
{
    g->status = st;
    g->value = v;
    g->threshold = thr;
    g->sessions = n;
}

/* Evaluate every gate on the last `window` sessions at the level. @return 1 if all let pass. */
static int evaluate_gates(const bstep_coach *c, bstep_coach_decision *d)
{
    const bstep_level *lv = bstep_level_get(c->level);
    const bstep_plan *p = bstep_plan_get(c->plan);
    const int k = c->recent_n < c->cfg.window ? c->recent_n : c->cfg.window;
    const bstep_coach_session *w = c->recent + (c->recent_n - k);
    double worst;
    int i, unknown, measured, all_ok = 1;

    d->gates_evaluated = 1;
    /* sessions */
    gate_set(&d->gates[BSTEP_GATE_SESSIONS],
             c->sessions_at_level >= lv->min_sessions ? BSTEP_GATE_PASS : BSTEP_GATE_FAIL,
             (double)c->sessions_at_level, (double)lv->min_sessions, c->sessions_at_level);
    /* dose */
    worst = DNAN;
    unknown = 0;
    for (i = 0; i < k; i++) {
        if (!isfinite(w[i].backward_time_s))
            unknown = 1;
        else if (!(w[i].backward_time_s >= worst))
            worst = w[i].backward_time_s;
    }
    {
        const double thr = c->cfg.dose_fraction * (double)p->minutes_min * 60.0;
        gate_set(&d->gates[BSTEP_GATE_DOSE],
                 unknown || k == 0 ? BSTEP_GATE_UNKNOWN
                 : worst >= thr    ? BSTEP_GATE_PASS
                                   : BSTEP_GATE_FAIL,
                 worst, thr, k);
    }
    /* no stumbles, no falls (measured by the sensor or answered in the check-in) */
    {
        int events = 0;
        unknown = k == 0;
        for (i = 0; i < k; i++) {
            const int seen = (w[i].stumbles > 0) + (w[i].falls > 0) + (w[i].stumble_reported == 1);
            events += seen;
            if (w[i].stumbles < 0 && w[i].stumble_reported < 0)
                unknown = 1;
        }
        gate_set(&d->gates[BSTEP_GATE_NO_STUMBLES],
                 events > 0 ? BSTEP_GATE_FAIL
                 : unknown  ? BSTEP_GATE_UNKNOWN
                            : BSTEP_GATE_PASS,
                 (double)events, 0.0, k);
    }
    /* toe-first: every session that measured it (enough strikes) */
    worst = DNAN;
    measured = 0;
    for (i = 0; i < k; i++)
        if (isfinite(w[i].toe_first_ratio) &&
            w[i].toe_first_strikes >= c->cfg.toe_first_min_strikes) {
            measured++;
            if (!(w[i].toe_first_ratio >= worst))
                worst = w[i].toe_first_ratio;
        }
    gate_set(&d->gates[BSTEP_GATE_TOE_FIRST],
             measured == 0                   ? BSTEP_GATE_NOT_MEASURED
             : worst >= c->cfg.toe_first_min ? BSTEP_GATE_PASS
                                             : BSTEP_GATE_FAIL,
             worst, c->cfg.toe_first_min, measured);
    /* rhythm: needed in every session (every sensor measures stride times) */
    worst = DNAN;
    unknown = k == 0;
    for (i = 0; i < k; i++) {
        if (!isfinite(w[i].rhythm_cv_pct) || w[i].rhythm_strides < c->cfg.rhythm_min_strides)
            unknown = 1;
        else if (!(w[i].rhythm_cv_pct <= worst))
            worst = w[i].rhythm_cv_pct;
    }
    gate_set(&d->gates[BSTEP_GATE_RHYTHM],
             isfinite(worst) && worst > c->cfg.rhythm_max_pct ? BSTEP_GATE_FAIL
             : unknown                                        ? BSTEP_GATE_UNKNOWN
                                                              : BSTEP_GATE_PASS,
             worst, c->cfg.rhythm_max_pct, k);
    /* posture: where measured */
    worst = DNAN;
    measured = 0;
    for (i = 0; i < k; i++)
        if (isfinite(w[i].trunk_lean_deg)) {
            measured++;
            if (!(w[i].trunk_lean_deg <= worst))
                worst = w[i].trunk_lean_deg;
        }
    gate_set(&d->gates[BSTEP_GATE_POSTURE],
             measured == 0                  ? BSTEP_GATE_NOT_MEASURED
             : worst <= c->cfg.lean_max_deg ? BSTEP_GATE_PASS
                                            : BSTEP_GATE_FAIL,
             worst, c->cfg.lean_max_deg, measured);
    /* pain: sessions' check-ins and the latest check-in */
    {
        int maxp = c->pain_last;
        const double thr = c->pain_start >= 0 ? (double)(c->pain_start + c->cfg.pain_rise) : DNAN;
        for (i = 0; i < k; i++)
            if (w[i].pain_0_10 > maxp)
                maxp = w[i].pain_0_10;
        gate_set(&d->gates[BSTEP_GATE_PAIN],
                 maxp < 0 ? BSTEP_GATE_NOT_MEASURED
                 : (maxp >= c->cfg.pain_pause || (isfinite(thr) && (double)maxp >= thr))
                     ? BSTEP_GATE_FAIL
                     : BSTEP_GATE_PASS,
                 maxp < 0 ? DNAN : (double)maxp, thr, k);
    }
    /* speed (moving up to jogging) */
    if (isfinite(lv->advance_speed_min_mps)) {
        worst = DNAN;
        unknown = k == 0;
        for (i = 0; i < k; i++) {
            if (!isfinite(w[i].speed_backward_mps))
                unknown = 1;
            else if (!(w[i].speed_backward_mps >= worst))
                worst = w[i].speed_backward_mps;
        }
        gate_set(&d->gates[BSTEP_GATE_SPEED],
                 unknown                              ? BSTEP_GATE_UNKNOWN
                 : worst >= lv->advance_speed_min_mps ? BSTEP_GATE_PASS
                                                      : BSTEP_GATE_FAIL,
                 worst, lv->advance_speed_min_mps, k);
    }
    gate_set(&d->gates[BSTEP_GATE_LEVEL_CAP],
             c->level < c->level_max ? BSTEP_GATE_PASS : BSTEP_GATE_FAIL, (double)c->level,
             (double)c->level_max, 0);
    for (i = 0; i < BSTEP_GATE_COUNT; i++) {
        const bstep_gate_status st = d->gates[i].status;
        if (st == BSTEP_GATE_FAIL || st == BSTEP_GATE_UNKNOWN)
            all_ok = 0;
    }
    return all_ok;
}

static int gates_ok_except_cap(const bstep_coach_decision *d)
{
    int i;
    for (i = 0; i < BSTEP_GATE_COUNT; i++) {
        const bstep_gate_status st = d->gates[i].status;
        if (i != BSTEP_GATE_LEVEL_CAP && (st == BSTEP_GATE_FAIL || st == BSTEP_GATE_UNKNOWN))
            return 0;
    }
    return 1;
}

int bstep_coach_add_session(bstep_coach *c, const bstep_coach_session *s, bstep_coach_decision *out)
{
    bstep_coach_decision d;
    int fall, stumble, pain_high, pain_up;
    if (c == NULL || s == NULL || !session_valid(s) || s->day < c->last_day)
        return BSTEP_EINVAL;
    c->last_day = s->day;
    c->sessions_total++;
    if (s->pain_0_10 >= 0) {
        if (c->pain_start < 0)
            c->pain_start = s->pain_0_10;
        c->pain_last = s->pain_0_10;
    }
    fall = s->falls > 0;
    stumble = s->stumbles > 0 || s->stumble_reported == 1;
    pain_high = s->pain_0_10 >= c->cfg.pain_pause;
    pain_up =
        s->pain_0_10 >= 0 && c->pain_start >= 0 && s->pain_0_10 >= c->pain_start + c->cfg.pain_rise;

    decision_init(c, &d, BSTEP_COACH_HOLD, BSTEP_COACH_REASON_GATES_NOT_MET);
    if (c->paused && !fall) {
        d.reason = BSTEP_COACH_REASON_PAUSED;
        d.also = c->pause_reason;
    } else if (fall) {
        d.action = c->level > 1 ? BSTEP_COACH_BACK : BSTEP_COACH_PAUSE;
        d.reason = BSTEP_COACH_REASON_FALL;
        c->level = 1;
        c->paused = 1;
        c->pause_reason = BSTEP_COACH_REASON_FALL;
        reset_level_window(c, s->day);
    } else if (stumble) {
        d.action = c->level > 1 ? BSTEP_COACH_BACK : BSTEP_COACH_HOLD;
        d.reason = BSTEP_COACH_REASON_STUMBLE;
        if (c->level > 1)
            c->level--;
        reset_level_window(c, s->day);
        if (pain_high) {
            c->paused = 1;
            c->pause_reason = BSTEP_COACH_REASON_PAIN_HIGH;
            d.also = BSTEP_COACH_REASON_PAIN_HIGH;
        }
    } else if (pain_high) {
        d.action = BSTEP_COACH_PAUSE;
        d.reason = BSTEP_COACH_REASON_PAIN_HIGH;
        c->paused = 1;
        c->pause_reason = BSTEP_COACH_REASON_PAIN_HIGH;
    } else {
        /* the session counts at this level */
        if (c->recent_n == BSTEP_COACH_WINDOW_MAX) {
            memmove(c->recent, c->recent + 1, sizeof(c->recent[0]) * (BSTEP_COACH_WINDOW_MAX - 1));
            c->recent_n--;
        }
        c->recent[c->recent_n++] = *s;
        c->sessions_at_level++;
        if (evaluate_gates(c, &d)) {
            d.action = BSTEP_COACH_ADVANCE;
            d.reason = BSTEP_COACH_REASON_GATES_PASSED;
            c->level++;
            reset_level_window(c, s->day);
        } else if (pain_up) {
            d.reason = BSTEP_COACH_REASON_PAIN_UP;
        } else if (c->level >= c->level_max && gates_ok_except_cap(&d)) {
            d.reason = BSTEP_COACH_REASON_TOP_LEVEL;
        }
    }
    d.level_to = c->level;
    d.paused = c->paused;
    if (out != NULL)
        *out = d;
    return BSTEP_OK;
}

int bstep_coach_checkin(bstep_coach *c, int32_t day, int pain_0_10, int wellbeing_0_10,
                        int stumbled, bstep_coach_decision *out)
{
    bstep_coach_decision d;
    int pain_high = 0;
    if (c == NULL || day < c->last_day || pain_0_10 < -1 || pain_0_10 > 10 || wellbeing_0_10 < -1 ||
        wellbeing_0_10 > 10 || stumbled < -1 || stumbled > 1)
        return BSTEP_EINVAL;
    c->last_day = day;
    decision_init(c, &d, BSTEP_COACH_HOLD, BSTEP_COACH_REASON_CHECKIN);
    if (pain_0_10 >= 0) {
        if (c->pain_start < 0)
            c->pain_start = pain_0_10;
        c->pain_last = pain_0_10;
        pain_high = pain_0_10 >= c->cfg.pain_pause;
    }
    if (stumbled == 1 && !c->paused) {
        /* A stumble told without a session (safety first): the same as a session's stumble,
         * back one level and the count at the level starts again (at level 1: stay, count
         * again). While paused nothing changes: no sessions are done until the pause ends. */
        d.action = c->level > 1 ? BSTEP_COACH_BACK : BSTEP_COACH_HOLD;
        d.reason = BSTEP_COACH_REASON_STUMBLE;
        if (c->level > 1)
            c->level--;
        reset_level_window(c, day);
        if (pain_high) {
            c->paused = 1;
            c->pause_reason = BSTEP_COACH_REASON_PAIN_HIGH;
            d.also = BSTEP_COACH_REASON_PAIN_HIGH;
        }
    } else if (pain_high) {
        d.action = BSTEP_COACH_PAUSE;
        d.reason = BSTEP_COACH_REASON_PAIN_HIGH;
        if (!c->paused) {
            c->paused = 1;
            c->pause_reason = BSTEP_COACH_REASON_PAIN_HIGH;
        }
    } else if (pain_0_10 >= 0 && pain_0_10 >= c->pain_start + c->cfg.pain_rise) {
        d.reason = BSTEP_COACH_REASON_PAIN_UP;
    }
    d.level_to = c->level;
    d.paused = c->paused;
    if (out != NULL)
        *out = d;
    return BSTEP_OK;
}

static int needs_clearance(bstep_coach_reason r)
{
    return r == BSTEP_COACH_REASON_FALL || r == BSTEP_COACH_REASON_PAIN_HIGH ||
           r == BSTEP_COACH_REASON_CONSULT_FIRST;
}

int bstep_coach_adjust(bstep_coach *c, int32_t day, bstep_adjust_kind kind, int level,
                       bstep_coach_decision *out)
{
    bstep_coach_decision d;
    const bstep_plan *p;
    if (c == NULL || day < c->last_day)
        return BSTEP_EINVAL;
    p = bstep_plan_get(c->plan);
    decision_init(c, &d, BSTEP_COACH_HOLD, BSTEP_COACH_REASON_BY_HAND);
    switch (kind) {
    case BSTEP_ADJUST_CLEARED:
        c->cleared = 1;
        c->paused = 0;
        d.action = BSTEP_COACH_RESUME;
        d.reason = BSTEP_COACH_REASON_CLEARED;
        /* a pain pause is lifted with a new starting value: the next check-in */
        if (c->pause_reason == BSTEP_COACH_REASON_PAIN_HIGH) {
            c->pain_start = -1;
            c->pain_last = -1;
        }
        break;
    case BSTEP_ADJUST_PAUSE:
        if (!c->paused) {
            c->paused = 1;
            c->pause_reason = BSTEP_COACH_REASON_BY_HAND;
        }
        d.action = BSTEP_COACH_PAUSE;
        break;
    case BSTEP_ADJUST_RESUME:
        if (c->paused && needs_clearance(c->pause_reason))
            return BSTEP_ERANGE;
        c->paused = 0;
        d.action = BSTEP_COACH_RESUME;
        break;
    case BSTEP_ADJUST_SET_LEVEL:
        if (level < 1 || level > p->level_max)
            return BSTEP_EINVAL;
        if (level > c->screen.level_max && !c->cleared)
            return BSTEP_ERANGE;
        c->level = level;
        if (level > c->level_max)
            c->level_max = level;
        reset_level_window(c, day);
        d.action = BSTEP_COACH_SET;
        break;
    default:
        return BSTEP_EINVAL;
    }
    c->last_day = day;
    d.level_to = c->level;
    d.paused = c->paused;
    if (out != NULL)
        *out = d;
    return BSTEP_OK;
}

void bstep_coach_get_status(const bstep_coach *c, bstep_coach_status *o)
{
    const bstep_plan *p;
    if (c == NULL || o == NULL)
        return;
    p = bstep_plan_get(c->plan);
    memset(o, 0, sizeof(*o));
    o->plan = c->plan;
    o->level = c->level;
    o->level_max = c->level_max;
    o->paused = c->paused;
    o->pause_reason = c->pause_reason;
    o->sessions_total = c->sessions_total;
    o->sessions_at_level = c->sessions_at_level;
    o->start_day = c->start_day;
    o->end_day = p->weeks > 0 ? c->start_day + 7 * p->weeks - 1 : -1;
    o->level_since_day = c->level_since_day;
    o->screen_flags = c->screen.flags;
}

/* ---- week pattern, today -------------------------------------------------------------- */

/* Days of a plan week (0 = the start day's weekday) with a session, by sessions per week:
 * spread so that no two sessions fall on consecutive days where the count allows (a rest day
 * between sessions, as in the 3-a-week protocols). Bit i = day i. */
static unsigned week_pattern(int per_week)
{
    static const unsigned pattern[8] = {0x00u, 0x01u, 0x09u, 0x15u, 0x2Bu, 0x37u, 0x3Fu, 0x7Fu};
    if (per_week < 1)
        per_week = 1;
    if (per_week > 7)
        per_week = 7;
    return pattern[per_week];
}

int bstep_plan_is_session_day(bstep_plan_id plan, int32_t start_day, int32_t day)
{
    const bstep_plan *p = bstep_plan_get(plan);
    if (p == NULL || day < start_day)
        return 0;
    if (p->weeks > 0 && day > start_day + 7 * p->weeks - 1)
        return 0;
    return (week_pattern(p->sessions_per_week_min) >> ((day - start_day) % 7)) & 1u;
}

int bstep_plan_sessions_planned(bstep_plan_id plan, int32_t start_day, int32_t day)
{
    const bstep_plan *p = bstep_plan_get(plan);
    int32_t d, weeks;
    int n = 0;
    if (p == NULL || day < start_day)
        return 0;
    if (p->weeks > 0 && day > start_day + 7 * p->weeks - 1)
        day = start_day + 7 * p->weeks - 1;
    weeks = (day - start_day) / 7;
    {
        unsigned pat = week_pattern(p->sessions_per_week_min);
        int per = 0, i;
        for (i = 0; i < 7; i++)
            per += (pat >> i) & 1u;
        n = per * weeks;
    }
    for (d = start_day + 7 * weeks; d <= day; d++)
        n += bstep_plan_is_session_day(plan, start_day, d);
    return n;
}

int bstep_coach_get_today(const bstep_coach *c, int32_t today, int sessions_this_week,
                          bstep_coach_today *o)
{
    const bstep_plan *p;
    const bstep_level *lv;
    int regular, left_regular = 0, i, dow;
    if (c == NULL || o == NULL || sessions_this_week < 0)
        return BSTEP_EINVAL;
    p = bstep_plan_get(c->plan);
    lv = bstep_level_get(c->level);
    memset(o, 0, sizeof(*o));
    o->level = c->level;
    o->paused = c->paused;
    o->finished = p->weeks > 0 && today > c->start_day + 7 * p->weeks - 1;
    o->minutes = c->sessions_at_level == 0 ? p->minutes_min : p->minutes_max;
    o->speed_min_mps = lv->speed_min_mps;
    o->speed_max_mps = lv->speed_max_mps;
    o->grade_min_pct = lv->grade_min_pct;
    o->grade_max_pct = lv->grade_max_pct;
    o->rails = lv->rails;
    o->spotter = lv->spotter || (c->screen.flags & BSTEP_SCREEN_SUPERVISED) != 0;
    o->supervised = p->supervised || (c->screen.flags & BSTEP_SCREEN_SUPERVISED) != 0;
    o->jogging = lv->jogging;
    o->interval_forward_s = lv->jogging ? 120 : 0;
    o->interval_backward_s = lv->jogging ? 60 : 0;
    o->sessions_this_week = sessions_this_week;
    o->sessions_week_target = p->sessions_per_week_min;
    if (today < c->start_day || c->paused)
        return BSTEP_OK;
    dow = (today - c->start_day) % 7;
    {
        const unsigned pat = week_pattern(p->sessions_per_week_min);
        regular = (pat >> dow) & 1u;
        for (i = dow + 1; i < 7; i++)
            left_regular += (pat >> i) & 1u;
    }
    if (o->finished) {
        /* the programme is over: the walker may go on at the same dose */
        regular = (week_pattern(p->sessions_per_week_min) >> dow) & 1u;
    }
    if (sessions_this_week >= p->sessions_per_week_max)
        return BSTEP_OK; /* enough this week: rest */
    if (regular) {
        o->session_day = 1;
    } else if (!regular && sessions_this_week + left_regular < p->sessions_per_week_min) {
        o->session_day = 1;
        o->catch_up = 1;
    }
    return BSTEP_OK;
}

/* ---- names ------------------------------------------------------------------------------ */

typedef struct {
    const char *name, *text, *reason;
} gate_info;

static const gate_info gate_table[BSTEP_GATE_COUNT] = {
    {"sessions", "enough sessions at this level",
     "practice makes backward walking easier and safer (a learning effect: Terblanche 2005, "
     "Heath 2001); 3 sessions are a week at the 3-a-week dose of the studies, 6 outdoors before "
     "jogging"},
    {"dose", "the planned backward minutes walked in each of the last sessions (80 % or more)",
     "the dose of the plan's source study; a short session shows less of how the walker copes"},
    {"no_stumbles",
     "no stumble or fall in the last sessions (measured by the sensor or told in the check-in)",
     "falls are the main risk of backward walking; a step up is safe only after stumble-free "
     "sessions"},
    {"toe_first", "80 % or more of backward steps landed toes first in each of the last sessions",
     "toes before heel is the technique rule of backward walking; 80 % leaves room for the "
     "classifier's errors and occasional flat landings"},
    {"rhythm", "stride time varied by 5 % or less in each of the last sessions",
     "healthy forward walking varies 1-3 % (Hausdorff 2005); slow walking varies more "
     "(Beauchet 2009); above 5 % the gait is not yet steady"},
    {"posture", "mean forward trunk lean of 20 degrees or less in each of the last sessions",
     "standing tall is the posture rule; 20 degrees is the project's 'bent over' limit "
     "(algorithms.md section 10)"},
    {"pain",
     "pain in the check-ins not 2 or more points above the starting value, and below 7 of 10",
     "a 2-point change on the 0-10 scale is one people notice (Farrar 2001); 7-10 is severe "
     "pain (Serlin 1995)"},
    {"speed", "backward walking at 1.0 m/s or faster in each of the last sessions",
     "jogging backward starts near 1.6 m/s (Hreljac 2005); brisk, controlled walking comes "
     "first"},
    {"level_cap", "below the top level of the plan and of the screening",
     "the plan's study and the screening's answers set how far the plan goes"},
};

const char *bstep_gate_name(bstep_gate_id g)
{
    return (unsigned)g < BSTEP_GATE_COUNT ? gate_table[g].name : "unknown";
}

const char *bstep_gate_text(bstep_gate_id g)
{
    return (unsigned)g < BSTEP_GATE_COUNT ? gate_table[g].text : "";
}

const char *bstep_gate_reason(bstep_gate_id g)
{
    return (unsigned)g < BSTEP_GATE_COUNT ? gate_table[g].reason : "";
}

const char *bstep_gate_status_name(bstep_gate_status s)
{
    switch (s) {
    case BSTEP_GATE_PASS:
        return "pass";
    case BSTEP_GATE_FAIL:
        return "fail";
    case BSTEP_GATE_UNKNOWN:
        return "unknown";
    case BSTEP_GATE_NOT_MEASURED:
        return "not_measured";
    default:
        return "not_applicable";
    }
}

const char *bstep_coach_action_name(bstep_coach_action a)
{
    switch (a) {
    case BSTEP_COACH_HOLD:
        return "hold";
    case BSTEP_COACH_ADVANCE:
        return "advance";
    case BSTEP_COACH_BACK:
        return "back";
    case BSTEP_COACH_PAUSE:
        return "pause";
    case BSTEP_COACH_RESUME:
        return "resume";
    case BSTEP_COACH_SET:
        return "set";
    default:
        return "unknown";
    }
}

typedef struct {
    const char *name, *text;
} reason_info;

static const reason_info reason_table[BSTEP_COACH_REASON_COUNT] = {
    {"gates_passed", "every gate passed in the last sessions: move up one level"},
    {"gates_not_met", "not every gate has passed yet: stay at this level"},
    {"top_level", "this is the plan's top level: keep going at this level"},
    {"stumble", "a stumble: move back one level and build up again (safety before progress)"},
    {"fall", "a fall: back to level 1, and the plan pauses until you have talked to a health "
             "professional"},
    {"pain_high",
     "pain of 7 or more out of 10: the plan pauses; talk to a health professional before going "
     "on"},
    {"pain_up",
     "pain is 2 or more points above where you started: stay at this level, and talk to a "
     "health professional if it does not settle"},
    {"paused", "the plan is paused: this session was recorded but does not count toward moving "
               "up"},
    {"consult_first", "the screening asks you to talk to a health professional before starting"},
    {"cleared", "a health professional has cleared you: the plan goes on"},
    {"by_hand", "changed by hand"},
    {"checkin", "check-in recorded"},
    {"started", "the plan has started at level 1"},
};

const char *bstep_coach_reason_name(bstep_coach_reason r)
{
    return (unsigned)r < BSTEP_COACH_REASON_COUNT ? reason_table[r].name : "none";
}

const char *bstep_coach_reason_text(bstep_coach_reason r)
{
    return (unsigned)r < BSTEP_COACH_REASON_COUNT ? reason_table[r].text : "";
}

/* ---- dates (H. Hinnant, "chrono-compatible low-level date algorithms") -------------------- */

int32_t bstep_day_from_civil(int y, int m, int d)
{
    const int64_t yy = (int64_t)y - (m <= 2);
    const int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    const int64_t yoe = yy - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void bstep_day_to_civil(int32_t z32, int *y, int *m, int *d)
{
    const int64_t z = (int64_t)z32 + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    const int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    if (y != NULL)
        *y = (int)(yoe + era * 400 + (mm <= 2));
    if (m != NULL)
        *m = (int)mm;
    if (d != NULL)
        *d = (int)dd;
}

int bstep_day_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    const int64_t w = ((int64_t)day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}
