/*
 * The coach: plans as data with their sources, levels, the safety screening, every progression
 * gate (pass, fail, unknown), moving back after a stumble or a fall, pain rules, adjustments,
 * today's session, the week pattern and the date helpers.
 */
#include "backstep/coach.h"
#include "backstep/status.h"
#include "harness.h"

#define START 20094 /* 2025-01-06, a Monday */

static bstep_screening all_no(void)
{
    bstep_screening s;
    bstep_screening_init(&s);
    s.fell_past_year = s.unsteady = s.worried_falling = 0;
    s.heart_condition = s.chest_pain = s.dizziness = 0;
    s.told_supervised = s.recent_surgery = s.neuro_condition = 0;
    s.pain_0_10 = 2;
    s.age_y = 40;
    return s;
}

/* A session that passes every gate of every plan: 25 backward minutes, 95 % toes first, CV 2.5 %,
 * upright, no stumbles (measured), pain as at the start, brisk. */
static bstep_coach_session good(int32_t day)
{
    bstep_coach_session s;
    bstep_coach_session_init(&s, day);
    s.backward_time_s = 25.0 * 60.0;
    s.walking_time_s = 26.0 * 60.0;
    s.toe_first_ratio = 0.95;
    s.toe_first_strikes = 300;
    s.rhythm_cv_pct = 2.5;
    s.rhythm_strides = 300;
    s.trunk_lean_deg = 6.0;
    s.speed_backward_mps = 1.1;
    s.stumbles = 0;
    s.falls = 0;
    s.pain_0_10 = 2;
    s.wellbeing_0_10 = 8;
    return s;
}

static void start(bstep_coach *c, bstep_plan_id plan)
{
    bstep_screening s = all_no();
    bstep_coach_decision d;
    BSTEP_ASSERT_OK(bstep_coach_init(c, plan, &s, START, NULL, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_RESUME);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_STARTED);
    BSTEP_ASSERT_EQ(d.level_to, 1);
}

/* Three good sessions at level 1: hold, hold (too few sessions), then advance. */
static void pass_level(bstep_coach *c, int32_t *day, int sessions)
{
    bstep_coach_decision d;
    int i;
    for (i = 0; i < sessions; i++) {
        bstep_coach_session s = good(*day);
        BSTEP_ASSERT_OK(bstep_coach_add_session(c, &s, &d));
        *day += 2;
    }
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_ADVANCE);
}

BSTEP_TEST(plans_cite_sources_and_doses)
{
    int i;
    const bstep_plan *p;
    for (i = 0; i < BSTEP_PLAN_COUNT; i++) {
        bstep_plan_id id;
        p = bstep_plan_get((bstep_plan_id)i);
        BSTEP_ASSERT(p != NULL);
        BSTEP_ASSERT(strlen(p->source) > 40);
        BSTEP_ASSERT(strlen(p->dose) > 10);
        BSTEP_ASSERT(p->level_max >= 3 && p->level_max <= BSTEP_LEVEL_COUNT);
        BSTEP_ASSERT_OK(bstep_plan_parse(p->name, &id));
        BSTEP_ASSERT_EQ(id, i);
    }
    p = bstep_plan_get(BSTEP_PLAN_GENERAL);
    BSTEP_ASSERT(p->sessions_per_week_min == 3 && p->sessions_per_week_max == 4);
    BSTEP_ASSERT(p->minutes_min == 10 && p->minutes_max == 15 && p->weeks == 0);
    p = bstep_plan_get(BSTEP_PLAN_KNEE_OA);
    BSTEP_ASSERT(p->sessions_per_week_min == 3 && p->weeks == 6 && p->minutes_min == 10);
    BSTEP_ASSERT(strstr(p->source, "Alghadir") != NULL);
    p = bstep_plan_get(BSTEP_PLAN_STROKE);
    BSTEP_ASSERT(p->minutes_min == 30 && p->sessions_per_week_min == 3 && p->weeks == 4);
    BSTEP_ASSERT(p->supervised && p->level_max == 3);
    BSTEP_ASSERT(strstr(p->source, "Chang") != NULL);
    p = bstep_plan_get(BSTEP_PLAN_HAMSTRING_LBP);
    BSTEP_ASSERT(p->minutes_min == 10 && p->minutes_max == 15 && p->weeks == 4);
    BSTEP_ASSERT(p->sessions_per_week_max == 7);
    BSTEP_ASSERT(strstr(p->source, "Whitley") != NULL);
    p = bstep_plan_get(BSTEP_PLAN_BACKWARD_RUNNING);
    BSTEP_ASSERT(p->level_max == 5);
    BSTEP_ASSERT(bstep_plan_get(BSTEP_PLAN_COUNT) == NULL);
    {
        bstep_plan_id id = BSTEP_PLAN_STROKE;
        BSTEP_ASSERT_EQ(bstep_plan_parse("yoga", &id), BSTEP_EINVAL);
        BSTEP_ASSERT_EQ(id, BSTEP_PLAN_STROKE);
    }
}

BSTEP_TEST(levels_progress_from_supported_treadmill_to_jogging)
{
    const bstep_level *l1 = bstep_level_get(1), *l4 = bstep_level_get(4), *l5;
    int i;
    BSTEP_ASSERT(l1 != NULL && l1->treadmill && l1->rails == 2 && l1->speed_max_mps <= 0.6);
    BSTEP_ASSERT(bstep_level_get(3)->grade_max_pct > 0.0);
    BSTEP_ASSERT(!l4->treadmill && l4->spotter && l4->rails == 0);
    l5 = bstep_level_get(5);
    BSTEP_ASSERT(l5->jogging);
    for (i = 1; i < BSTEP_LEVEL_COUNT; i++)
        BSTEP_ASSERT(bstep_level_get(i + 1)->speed_max_mps >= bstep_level_get(i)->speed_max_mps);
    BSTEP_ASSERT(bstep_level_get(0) == NULL && bstep_level_get(6) == NULL);
}

/* The yes/no questions by their command-line and API names: every one reaches its own field. */
BSTEP_TEST(screening_questions_by_name)
{
    static const char *const names[9] = {"fell",
                                         "unsteady",
                                         "worried",
                                         "heart",
                                         "chest-pain",
                                         "dizziness",
                                         "told-supervised",
                                         "surgery",
                                         "balance-condition"};
    bstep_screening q;
    int i, *f;
    bstep_screening_init(&q);
    for (i = 0; i < 9; i++) {
        f = bstep_screening_question(&q, names[i]);
        BSTEP_ASSERT(f != NULL);
        *f = i % 2;
    }
    BSTEP_ASSERT_EQ(q.fell_past_year, 0);
    BSTEP_ASSERT_EQ(q.unsteady, 1);
    BSTEP_ASSERT_EQ(q.worried_falling, 0);
    BSTEP_ASSERT_EQ(q.heart_condition, 1);
    BSTEP_ASSERT_EQ(q.chest_pain, 0);
    BSTEP_ASSERT_EQ(q.dizziness, 1);
    BSTEP_ASSERT_EQ(q.told_supervised, 0);
    BSTEP_ASSERT_EQ(q.recent_surgery, 1);
    BSTEP_ASSERT_EQ(q.neuro_condition, 0);
    BSTEP_ASSERT_EQ(q.pain_0_10, -1);
    BSTEP_ASSERT(bstep_screening_question(&q, "pain") == NULL);
    BSTEP_ASSERT(bstep_screening_question(&q, "age") == NULL);
    BSTEP_ASSERT(bstep_screening_question(&q, "Fell") == NULL);
    BSTEP_ASSERT(bstep_screening_question(NULL, "fell") == NULL);
    BSTEP_ASSERT(bstep_screening_question(&q, NULL) == NULL);
}

BSTEP_TEST(screening_changes_the_plan)
{
    bstep_screening s = all_no();
    bstep_screening_result r;
    BSTEP_ASSERT_OK(bstep_screening_evaluate(&s, BSTEP_PLAN_GENERAL, &r));
    BSTEP_ASSERT_EQ(r.flags, 0);
    BSTEP_ASSERT_EQ(r.level_max, 4);
    BSTEP_ASSERT_EQ(r.n_reasons, 0);
    /* A fall in the past year: supported walking only, with someone there. */
    s.fell_past_year = 1;
    BSTEP_ASSERT_OK(bstep_screening_evaluate(&s, BSTEP_PLAN_BACKWARD_RUNNING, &r));
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_SUPPORTED_ONLY);
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_SUPERVISED);
    BSTEP_ASSERT(!(r.flags & BSTEP_SCREEN_CONSULT_FIRST));
    BSTEP_ASSERT_EQ(r.level_max, 3);
    BSTEP_ASSERT_EQ(r.reasons[0], BSTEP_SCREEN_REASON_FELL);
    /* Heart condition: consult first. */
    s = all_no();
    s.heart_condition = 1;
    BSTEP_ASSERT_OK(bstep_screening_evaluate(&s, BSTEP_PLAN_GENERAL, &r));
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_CONSULT_FIRST);
    /* Severe pain now. */
    s = all_no();
    s.pain_0_10 = 8;
    BSTEP_ASSERT_OK(bstep_screening_evaluate(&s, BSTEP_PLAN_KNEE_OA, &r));
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_PAIN_HIGH);
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_CONSULT_FIRST);
    /* Unanswered counts as yes. */
    bstep_screening_init(&s);
    BSTEP_ASSERT_OK(bstep_screening_evaluate(&s, BSTEP_PLAN_GENERAL, &r));
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_INCOMPLETE);
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_CONSULT_FIRST);
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_SUPPORTED_ONLY);
    /* The stroke plan is supervised whatever the answers. */
    s = all_no();
    BSTEP_ASSERT_OK(bstep_screening_evaluate(&s, BSTEP_PLAN_STROKE, &r));
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_SUPERVISED);
    BSTEP_ASSERT_EQ(r.level_max, 3);
    /* 65 and over: someone watching. */
    s.age_y = 70;
    BSTEP_ASSERT_OK(bstep_screening_evaluate(&s, BSTEP_PLAN_GENERAL, &r));
    BSTEP_ASSERT(r.flags & BSTEP_SCREEN_SUPERVISED);
    BSTEP_ASSERT_EQ(r.level_max, 4);
    /* Bad answers. */
    s.unsteady = 2;
    BSTEP_ASSERT_EQ(bstep_screening_evaluate(&s, BSTEP_PLAN_GENERAL, &r), BSTEP_EINVAL);
    s = all_no();
    s.pain_0_10 = 11;
    BSTEP_ASSERT_EQ(bstep_screening_evaluate(&s, BSTEP_PLAN_GENERAL, &r), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_screening_evaluate(NULL, BSTEP_PLAN_GENERAL, &r), BSTEP_EINVAL);
    {
        int i;
        for (i = 0; i < BSTEP_SCREEN_REASON_COUNT; i++)
            BSTEP_ASSERT(strlen(bstep_screen_reason_text((bstep_screen_reason)i)) > 10);
    }
}

BSTEP_TEST(consult_first_pauses_until_cleared)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_session s;
    bstep_screening q = all_no();
    q.chest_pain = 1;
    BSTEP_ASSERT_OK(bstep_coach_init(&c, BSTEP_PLAN_GENERAL, &q, START, NULL, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_PAUSE);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_CONSULT_FIRST);
    s = good(START);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_PAUSED);
    BSTEP_ASSERT_EQ(d.also, BSTEP_COACH_REASON_CONSULT_FIRST);
    BSTEP_ASSERT(d.paused);
    BSTEP_ASSERT_EQ(bstep_coach_adjust(&c, START + 1, BSTEP_ADJUST_RESUME, 0, &d), BSTEP_ERANGE);
    BSTEP_ASSERT_OK(bstep_coach_adjust(&c, START + 1, BSTEP_ADJUST_CLEARED, 0, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_RESUME);
    BSTEP_ASSERT(!d.paused);
    {
        bstep_coach_status st;
        bstep_coach_get_status(&c, &st);
        BSTEP_ASSERT_EQ(st.sessions_at_level, 0); /* the paused session did not count */
    }
}

BSTEP_TEST(gate_sessions_and_all_gates_pass)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_session s;
    int i;
    start(&c, BSTEP_PLAN_GENERAL);
    for (i = 0; i < 2; i++) {
        s = good(START + 2 * i);
        BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
        BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
        BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_GATES_NOT_MET);
        BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_SESSIONS].status, BSTEP_GATE_FAIL);
        BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_DOSE].status, BSTEP_GATE_PASS);
    }
    s = good(START + 4);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_ADVANCE);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_GATES_PASSED);
    BSTEP_ASSERT_EQ(d.level_from, 1);
    BSTEP_ASSERT_EQ(d.level_to, 2);
    for (i = 0; i < BSTEP_GATE_COUNT; i++)
        BSTEP_ASSERT(d.gates[i].status == BSTEP_GATE_PASS ||
                     d.gates[i].status == BSTEP_GATE_NOT_APPLICABLE ||
                     d.gates[i].status == BSTEP_GATE_NOT_MEASURED);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_PAIN].status, BSTEP_GATE_PASS);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_SPEED].status, BSTEP_GATE_NOT_APPLICABLE);
}

/* The third session differs from a good one by one field; the walker must hold at level 1 with
 * that gate named. */
static bstep_coach_decision third_session(bstep_coach_session s3)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_session s;
    start(&c, BSTEP_PLAN_GENERAL);
    s = good(START);
    bstep_coach_add_session(&c, &s, &d);
    s = good(START + 2);
    bstep_coach_add_session(&c, &s, &d);
    s3.day = START + 4;
    bstep_coach_add_session(&c, &s3, &d);
    return d;
}

BSTEP_TEST(gate_dose)
{
    bstep_coach_session s = good(0);
    bstep_coach_decision d;
    s.backward_time_s = 7.0 * 60.0; /* < 80 % of 10 min */
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_DOSE].status, BSTEP_GATE_FAIL);
    BSTEP_ASSERT_NEAR(d.gates[BSTEP_GATE_DOSE].value, 420.0, 1e-9);
    BSTEP_ASSERT_NEAR(d.gates[BSTEP_GATE_DOSE].threshold, 480.0, 1e-9);
    s.backward_time_s = 8.0 * 60.0; /* exactly 80 %: passes */
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_ADVANCE);
    s.backward_time_s = (double)NAN;
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_DOSE].status, BSTEP_GATE_UNKNOWN);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
}

BSTEP_TEST(gate_no_stumbles_unknown_without_sensor_or_checkin)
{
    bstep_coach_session s = good(0);
    bstep_coach_decision d;
    s.stumbles = -1; /* a sensor that does not detect stumbles ... */
    s.falls = -1;
    s.stumble_reported = -1; /* ... and no check-in answer */
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_NO_STUMBLES].status, BSTEP_GATE_UNKNOWN);
    s.stumble_reported = 0; /* "no stumble" in the check-in */
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_NO_STUMBLES].status, BSTEP_GATE_PASS);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_ADVANCE);
}

BSTEP_TEST(gate_toe_first)
{
    bstep_coach_session s = good(0);
    bstep_coach_decision d;
    s.toe_first_ratio = 0.7;
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_TOE_FIRST].status, BSTEP_GATE_FAIL);
    BSTEP_ASSERT_NEAR(d.gates[BSTEP_GATE_TOE_FIRST].value, 0.7, 1e-9);
    /* Too few strikes in that session: it is not counted, the other two pass. */
    s.toe_first_strikes = 5;
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_TOE_FIRST].status, BSTEP_GATE_PASS);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_TOE_FIRST].sessions, 2);
}

BSTEP_TEST(gate_toe_first_not_measured_does_not_block)
{
    bstep_coach c;
    bstep_coach_decision d;
    int i;
    start(&c, BSTEP_PLAN_GENERAL);
    for (i = 0; i < 3; i++) { /* a trunk sensor: no strike classes, posture measured */
        bstep_coach_session s = good(START + 2 * i);
        s.toe_first_ratio = (double)NAN;
        s.toe_first_strikes = 0;
        BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    }
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_TOE_FIRST].status, BSTEP_GATE_NOT_MEASURED);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_ADVANCE);
}

BSTEP_TEST(gate_rhythm)
{
    bstep_coach_session s = good(0);
    bstep_coach_decision d;
    s.rhythm_cv_pct = 6.0;
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_RHYTHM].status, BSTEP_GATE_FAIL);
    s.rhythm_cv_pct = 5.0;
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_ADVANCE);
    s.rhythm_strides = 4; /* too few strides: unknown, and rhythm is needed */
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_RHYTHM].status, BSTEP_GATE_UNKNOWN);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
}

BSTEP_TEST(gate_posture)
{
    bstep_coach_session s = good(0);
    bstep_coach_decision d;
    s.trunk_lean_deg = 25.0;
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_POSTURE].status, BSTEP_GATE_FAIL);
    BSTEP_ASSERT_NEAR(d.gates[BSTEP_GATE_POSTURE].value, 25.0, 1e-9);
}

BSTEP_TEST(gate_pain_rise_holds_and_high_pain_pauses)
{
    bstep_coach_session s = good(0);
    bstep_coach_decision d;
    s.pain_0_10 = 4; /* started at 2: +2 */
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_PAIN_UP);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_PAIN].status, BSTEP_GATE_FAIL);
    s.pain_0_10 = 3; /* +1: not a change that matters */
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_ADVANCE);
    s.pain_0_10 = 7;
    d = third_session(s);
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_PAUSE);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_PAIN_HIGH);
    BSTEP_ASSERT(d.paused);
}

BSTEP_TEST(checkin_pain_pauses_and_needs_clearance)
{
    bstep_coach c;
    bstep_coach_decision d;
    start(&c, BSTEP_PLAN_KNEE_OA);
    BSTEP_ASSERT_OK(bstep_coach_checkin(&c, START + 1, 8, 3, -1, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_PAUSE);
    BSTEP_ASSERT_EQ(bstep_coach_adjust(&c, START + 2, BSTEP_ADJUST_RESUME, 0, &d), BSTEP_ERANGE);
    BSTEP_ASSERT_OK(bstep_coach_adjust(&c, START + 2, BSTEP_ADJUST_CLEARED, 0, &d));
    BSTEP_ASSERT(!d.paused);
    BSTEP_ASSERT_EQ(bstep_coach_checkin(&c, START + 3, 11, 3, -1, &d), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_coach_checkin(&c, START, 1, 3, -1, &d), BSTEP_EINVAL); /* earlier day */
}

BSTEP_TEST(stumble_moves_back_one_level)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_session s;
    int32_t day = START;
    start(&c, BSTEP_PLAN_GENERAL);
    pass_level(&c, &day, 3); /* level 2 */
    pass_level(&c, &day, 3); /* level 3 */
    s = good(day);
    s.stumbles = 1;
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_BACK);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_STUMBLE);
    BSTEP_ASSERT_EQ(d.level_from, 3);
    BSTEP_ASSERT_EQ(d.level_to, 2);
    BSTEP_ASSERT(!d.paused);
    /* A stumble told in the check-in counts the same. */
    s = good(day + 2);
    s.stumbles = -1;
    s.stumble_reported = 1;
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_BACK);
    BSTEP_ASSERT_EQ(d.level_to, 1);
    /* At level 1 a stumble holds (there is no lower level) and restarts the count. */
    s = good(day + 4);
    s.stumbles = 2;
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_STUMBLE);
    {
        bstep_coach_status st;
        bstep_coach_get_status(&c, &st);
        BSTEP_ASSERT_EQ(st.sessions_at_level, 0);
        BSTEP_ASSERT_EQ(st.level, 1);
    }
}

/* A stumble told in a check-in that names no session moves back too (safety first). */
BSTEP_TEST(checkin_stumble_without_session_moves_back)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_status st;
    bstep_coach_session s;
    int32_t day = START;
    start(&c, BSTEP_PLAN_GENERAL);
    pass_level(&c, &day, 3); /* level 2 */
    pass_level(&c, &day, 3); /* level 3 */
    s = good(day);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d)); /* one session counted at level 3 */
    bstep_coach_get_status(&c, &st);
    BSTEP_ASSERT_EQ(st.sessions_at_level, 1);
    /* "no" changes nothing */
    BSTEP_ASSERT_OK(bstep_coach_checkin(&c, day + 1, -1, -1, 0, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_CHECKIN);
    BSTEP_ASSERT_EQ(d.level_to, 3);
    /* "yes": back one level, the count at the level starts again */
    BSTEP_ASSERT_OK(bstep_coach_checkin(&c, day + 1, -1, -1, 1, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_BACK);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_STUMBLE);
    BSTEP_ASSERT_EQ(d.level_from, 3);
    BSTEP_ASSERT_EQ(d.level_to, 2);
    BSTEP_ASSERT(!d.paused);
    bstep_coach_get_status(&c, &st);
    BSTEP_ASSERT_EQ(st.level, 2);
    BSTEP_ASSERT_EQ(st.sessions_at_level, 0);
    /* with high pain as well: back and paused */
    BSTEP_ASSERT_OK(bstep_coach_checkin(&c, day + 2, 8, -1, 1, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_BACK);
    BSTEP_ASSERT_EQ(d.also, BSTEP_COACH_REASON_PAIN_HIGH);
    BSTEP_ASSERT_EQ(d.level_to, 1);
    BSTEP_ASSERT(d.paused);
    /* while paused a told stumble changes nothing (no sessions are done) */
    BSTEP_ASSERT_OK(bstep_coach_checkin(&c, day + 3, -1, -1, 1, &d));
    BSTEP_ASSERT_EQ(d.level_to, 1);
    BSTEP_ASSERT(d.paused);
    /* at level 1 (after clearance): stays and counts again */
    BSTEP_ASSERT_OK(bstep_coach_adjust(&c, day + 4, BSTEP_ADJUST_CLEARED, 0, &d));
    s = good(day + 4);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_OK(bstep_coach_checkin(&c, day + 5, -1, -1, 1, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_STUMBLE);
    bstep_coach_get_status(&c, &st);
    BSTEP_ASSERT_EQ(st.level, 1);
    BSTEP_ASSERT_EQ(st.sessions_at_level, 0);
    BSTEP_ASSERT_EQ(bstep_coach_checkin(&c, day + 6, -1, -1, 2, &d), BSTEP_EINVAL);
}

BSTEP_TEST(fall_goes_to_level_1_and_pauses)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_session s;
    int32_t day = START;
    start(&c, BSTEP_PLAN_GENERAL);
    pass_level(&c, &day, 3);
    pass_level(&c, &day, 3);
    s = good(day);
    s.falls = 1;
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_BACK);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_FALL);
    BSTEP_ASSERT_EQ(d.level_to, 1);
    BSTEP_ASSERT(d.paused);
    /* Good sessions while paused change nothing. */
    s = good(day + 2);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_PAUSED);
    BSTEP_ASSERT_EQ(d.also, BSTEP_COACH_REASON_FALL);
    BSTEP_ASSERT_EQ(bstep_coach_adjust(&c, day + 3, BSTEP_ADJUST_RESUME, 0, &d), BSTEP_ERANGE);
    BSTEP_ASSERT_OK(bstep_coach_adjust(&c, day + 3, BSTEP_ADJUST_CLEARED, 0, &d));
    BSTEP_ASSERT_EQ(d.level_to, 1);
    day += 4;
    pass_level(&c, &day, 3); /* builds up again from level 1 */
}

BSTEP_TEST(nobody_moves_up_by_the_calendar)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_status st;
    bstep_coach_today t;
    int i;
    start(&c, BSTEP_PLAN_GENERAL);
    /* Months pass with sessions that never pass the toe-first gate. */
    for (i = 0; i < 30; i++) {
        bstep_coach_session s = good(START + 7 * i);
        s.toe_first_ratio = 0.6;
        BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
        BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    }
    bstep_coach_get_status(&c, &st);
    BSTEP_ASSERT_EQ(st.level, 1);
    BSTEP_ASSERT_OK(bstep_coach_get_today(&c, START + 400, 0, &t));
    BSTEP_ASSERT_EQ(t.level, 1);
    BSTEP_ASSERT(t.speed_max_mps <= 0.6);
}

BSTEP_TEST(gate_level_cap_and_set_level)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_session s;
    bstep_screening q = all_no();
    int32_t day = START;
    q.worried_falling = 1; /* supported only: top level 3 */
    BSTEP_ASSERT_OK(bstep_coach_init(&c, BSTEP_PLAN_GENERAL, &q, START, NULL, &d));
    pass_level(&c, &day, 3);
    pass_level(&c, &day, 3);
    s = good(day);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    s = good(day + 2);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    s = good(day + 4);
    BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.reason, BSTEP_COACH_REASON_TOP_LEVEL);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_LEVEL_CAP].status, BSTEP_GATE_FAIL);
    BSTEP_ASSERT_EQ(d.level_to, 3);
    /* Outdoors only by a professional's decision. */
    BSTEP_ASSERT_EQ(bstep_coach_adjust(&c, day + 5, BSTEP_ADJUST_SET_LEVEL, 4, &d), BSTEP_ERANGE);
    BSTEP_ASSERT_OK(bstep_coach_adjust(&c, day + 5, BSTEP_ADJUST_CLEARED, 0, &d));
    BSTEP_ASSERT_OK(bstep_coach_adjust(&c, day + 5, BSTEP_ADJUST_SET_LEVEL, 4, &d));
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_SET);
    BSTEP_ASSERT_EQ(d.level_to, 4);
    BSTEP_ASSERT_EQ(bstep_coach_adjust(&c, day + 5, BSTEP_ADJUST_SET_LEVEL, 5, &d), BSTEP_EINVAL);
}

BSTEP_TEST(gate_speed_before_jogging)
{
    bstep_coach c;
    bstep_coach_decision d;
    int32_t day = START;
    int i;
    start(&c, BSTEP_PLAN_BACKWARD_RUNNING);
    pass_level(&c, &day, 3);
    pass_level(&c, &day, 3);
    pass_level(&c, &day, 3); /* level 4: outdoors, 6 sessions and 1.0 m/s before jogging */
    for (i = 0; i < 6; i++) {
        bstep_coach_session s = good(day);
        s.speed_backward_mps = 0.8;
        BSTEP_ASSERT_OK(bstep_coach_add_session(&c, &s, &d));
        day += 2;
    }
    BSTEP_ASSERT_EQ(d.action, BSTEP_COACH_HOLD);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_SPEED].status, BSTEP_GATE_FAIL);
    BSTEP_ASSERT_EQ(d.gates[BSTEP_GATE_SESSIONS].status, BSTEP_GATE_PASS);
    pass_level(&c, &day, 3); /* three brisk sessions (1.1 m/s) */
    {
        bstep_coach_status st;
        bstep_coach_today t;
        bstep_coach_get_status(&c, &st);
        BSTEP_ASSERT_EQ(st.level, 5);
        BSTEP_ASSERT_OK(bstep_coach_get_today(&c, START, 0, &t));
        BSTEP_ASSERT(t.jogging && t.interval_forward_s == 120 && t.interval_backward_s == 60);
    }
}

BSTEP_TEST(invalid_sessions_rejected)
{
    bstep_coach c;
    bstep_coach_decision d;
    bstep_coach_session s;
    start(&c, BSTEP_PLAN_GENERAL);
    s = good(START - 1); /* before the plan */
    BSTEP_ASSERT_EQ(bstep_coach_add_session(&c, &s, &d), BSTEP_EINVAL);
    s = good(START);
    s.toe_first_ratio = 1.5;
    BSTEP_ASSERT_EQ(bstep_coach_add_session(&c, &s, &d), BSTEP_EINVAL);
    s = good(START);
    s.pain_0_10 = 12;
    BSTEP_ASSERT_EQ(bstep_coach_add_session(&c, &s, &d), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_coach_add_session(NULL, &s, &d), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_coach_init(&c, BSTEP_PLAN_COUNT, NULL, START, NULL, &d), BSTEP_EINVAL);
    {
        bstep_coach_settings cfg = bstep_coach_default_settings;
        cfg.window = 0;
        BSTEP_ASSERT_EQ(bstep_coach_init(&c, BSTEP_PLAN_GENERAL, NULL, START, &cfg, &d),
                        BSTEP_EINVAL);
    }
}

BSTEP_TEST(week_pattern_today_and_adherence)
{
    bstep_coach c;
    bstep_coach_today t;
    int i, n = 0;
    /* 3 a week: the start day, +2, +4 of every week. */
    for (i = 0; i < 7; i++)
        n += bstep_plan_is_session_day(BSTEP_PLAN_KNEE_OA, START, START + i);
    BSTEP_ASSERT_EQ(n, 3);
    BSTEP_ASSERT(bstep_plan_is_session_day(BSTEP_PLAN_KNEE_OA, START, START));
    BSTEP_ASSERT(!bstep_plan_is_session_day(BSTEP_PLAN_KNEE_OA, START, START + 1));
    BSTEP_ASSERT(bstep_plan_is_session_day(BSTEP_PLAN_KNEE_OA, START, START + 2));
    /* 6 weeks: 18 sessions, none after the end. */
    BSTEP_ASSERT_EQ(bstep_plan_sessions_planned(BSTEP_PLAN_KNEE_OA, START, START + 41), 18);
    BSTEP_ASSERT_EQ(bstep_plan_sessions_planned(BSTEP_PLAN_KNEE_OA, START, START + 400), 18);
    BSTEP_ASSERT_EQ(bstep_plan_sessions_planned(BSTEP_PLAN_KNEE_OA, START, START + 4), 3);
    BSTEP_ASSERT_EQ(bstep_plan_sessions_planned(BSTEP_PLAN_KNEE_OA, START, START - 1), 0);
    BSTEP_ASSERT(!bstep_plan_is_session_day(BSTEP_PLAN_KNEE_OA, START, START + 42));
    /* Hamstring / low back: 4 a week. */
    for (i = 0, n = 0; i < 7; i++)
        n += bstep_plan_is_session_day(BSTEP_PLAN_HAMSTRING_LBP, START, START + i);
    BSTEP_ASSERT_EQ(n, 4);
    start(&c, BSTEP_PLAN_KNEE_OA);
    BSTEP_ASSERT_OK(bstep_coach_get_today(&c, START, 0, &t));
    BSTEP_ASSERT(t.session_day && !t.catch_up && t.minutes == 10 && t.level == 1);
    BSTEP_ASSERT(t.rails == 2 && t.speed_max_mps <= 0.6);
    BSTEP_ASSERT_OK(bstep_coach_get_today(&c, START + 1, 1, &t));
    BSTEP_ASSERT(!t.session_day); /* rest day */
    /* Day 5 of the week with one session done: two regular days were missed -> catch up. */
    BSTEP_ASSERT_OK(bstep_coach_get_today(&c, START + 5, 1, &t));
    BSTEP_ASSERT(t.session_day && t.catch_up);
    /* Three done this week: nothing more (3 a week, no more than 3). */
    BSTEP_ASSERT_OK(bstep_coach_get_today(&c, START + 4, 3, &t));
    BSTEP_ASSERT(!t.session_day);
    BSTEP_ASSERT_OK(bstep_coach_get_today(&c, START + 50, 0, &t));
    BSTEP_ASSERT(t.finished);
}

BSTEP_TEST(session_from_summary)
{
    bstep_summary_values v;
    bstep_coach_session s;
    memset(&v, 0, sizeof(v));
    v.measured = BSTEP_MEASURE_DIRECTION | BSTEP_MEASURE_STRIKE;
    v.walking_time_s = 700.0;
    v.time_backward_s = 600.0;
    v.toe_first_ratio = 0.9;
    v.backward_strikes_known = 200;
    v.backward_stride_time_cv_pct = 3.0;
    v.backward_strides = 190;
    v.stride_time_cv_pct = 9.0;
    v.contacts = 220;
    v.speed_backward_mps = 0.7;
    v.trunk_lean_deg = 30.0; /* not measured: ignored */
    bstep_coach_session_init(&s, START);
    bstep_coach_session_from_summary(&s, &v);
    BSTEP_ASSERT_NEAR(s.backward_time_s, 600.0, 0);
    BSTEP_ASSERT_NEAR(s.rhythm_cv_pct, 3.0, 0);
    BSTEP_ASSERT_EQ(s.rhythm_strides, 190);
    BSTEP_ASSERT(isnan(s.trunk_lean_deg));
    BSTEP_ASSERT_EQ(s.stumbles, -1);
    BSTEP_ASSERT_EQ(s.falls, -1);
    BSTEP_ASSERT_EQ(s.day, START);
    v.measured = BSTEP_MEASURE_STUMBLES | BSTEP_MEASURE_FALLS | BSTEP_MEASURE_POSTURE;
    v.stumbles = 0;
    bstep_coach_session_from_summary(&s, &v);
    BSTEP_ASSERT_NEAR(s.backward_time_s, 700.0, 0); /* no direction: the walking time */
    BSTEP_ASSERT_NEAR(s.rhythm_cv_pct, 9.0, 0);
    BSTEP_ASSERT_EQ(s.stumbles, 0);
    BSTEP_ASSERT_NEAR(s.trunk_lean_deg, 30.0, 0);
}

BSTEP_TEST(dates)
{
    int y, m, d;
    BSTEP_ASSERT_EQ(bstep_day_from_civil(1970, 1, 1), 0);
    BSTEP_ASSERT_EQ(bstep_day_from_civil(2000, 3, 1), 11017);
    BSTEP_ASSERT_EQ(bstep_day_from_civil(2024, 2, 29), 19782);
    BSTEP_ASSERT_EQ(bstep_day_from_civil(1969, 12, 31), -1);
    BSTEP_ASSERT_EQ(bstep_day_from_civil(1600, 1, 1), -135140);
    BSTEP_ASSERT_EQ(bstep_day_weekday(START), 0);
    BSTEP_ASSERT_EQ(bstep_day_weekday(0), 3);
    BSTEP_ASSERT_EQ(bstep_day_weekday(-135140), 5);
    {
        int32_t z;
        for (z = -150000; z < 150000; z += 13) {
            bstep_day_to_civil(z, &y, &m, &d);
            BSTEP_ASSERT_EQ(bstep_day_from_civil(y, m, d), z);
            BSTEP_ASSERT(m >= 1 && m <= 12 && d >= 1 && d <= 31);
        }
    }
}

BSTEP_TEST(names_are_complete)
{
    int i;
    for (i = 0; i < BSTEP_GATE_COUNT; i++) {
        BSTEP_ASSERT(strcmp(bstep_gate_name((bstep_gate_id)i), "unknown") != 0);
        BSTEP_ASSERT(strlen(bstep_gate_text((bstep_gate_id)i)) > 10);
        BSTEP_ASSERT(strlen(bstep_gate_reason((bstep_gate_id)i)) > 10);
    }
    for (i = 0; i < BSTEP_COACH_REASON_COUNT; i++)
        BSTEP_ASSERT(strlen(bstep_coach_reason_text((bstep_coach_reason)i)) > 5);
    BSTEP_ASSERT(strcmp(bstep_coach_action_name(BSTEP_COACH_ADVANCE), "advance") == 0);
}

BSTEP_TEST_LIST(
    BSTEP_TEST_ENTRY(plans_cite_sources_and_doses),
    BSTEP_TEST_ENTRY(levels_progress_from_supported_treadmill_to_jogging),
    BSTEP_TEST_ENTRY(screening_questions_by_name), BSTEP_TEST_ENTRY(screening_changes_the_plan),
    BSTEP_TEST_ENTRY(consult_first_pauses_until_cleared),
    BSTEP_TEST_ENTRY(gate_sessions_and_all_gates_pass), BSTEP_TEST_ENTRY(gate_dose),
    BSTEP_TEST_ENTRY(gate_no_stumbles_unknown_without_sensor_or_checkin),
    BSTEP_TEST_ENTRY(gate_toe_first), BSTEP_TEST_ENTRY(gate_toe_first_not_measured_does_not_block),
    BSTEP_TEST_ENTRY(gate_rhythm), BSTEP_TEST_ENTRY(gate_posture),
    BSTEP_TEST_ENTRY(gate_pain_rise_holds_and_high_pain_pauses),
    BSTEP_TEST_ENTRY(checkin_pain_pauses_and_needs_clearance),
    BSTEP_TEST_ENTRY(stumble_moves_back_one_level),
    BSTEP_TEST_ENTRY(checkin_stumble_without_session_moves_back),
    BSTEP_TEST_ENTRY(fall_goes_to_level_1_and_pauses),
    BSTEP_TEST_ENTRY(nobody_moves_up_by_the_calendar),
    BSTEP_TEST_ENTRY(gate_level_cap_and_set_level), BSTEP_TEST_ENTRY(gate_speed_before_jogging),
    BSTEP_TEST_ENTRY(invalid_sessions_rejected), BSTEP_TEST_ENTRY(week_pattern_today_and_adherence),
    BSTEP_TEST_ENTRY(session_from_summary), BSTEP_TEST_ENTRY(dates),
    BSTEP_TEST_ENTRY(names_are_complete))
