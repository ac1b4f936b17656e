/*
 * Rendering of the coach's data (include/backstep/coach.h): a decision with its gates in plain
 * words, today's session, the screening outcome, as text and JSON, and the plan's sessions as an
 * iCalendar file (RFC 5545). The decisions themselves are computed in the core; this is words.
 */
#ifndef BSTEP_REPORT_PLAN_REPORT_H
#define BSTEP_REPORT_PLAN_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backstep/coach.h"
#include "internal/jsonw.h"

/** "YYYY-MM-DD" of a day number (buf >= 11 bytes). */
void bstep__day_text(int32_t day, char *buf, size_t cap);
/** Parse "YYYY-MM-DD" (a real calendar date). @return 0, or -1. */
int bstep__day_parse(const char *text, int32_t *day);

/** One line for the plan history (<= cap bytes, cap >= 64): "level 1 -> 2: every gate passed". */
void bstep__decision_summary(const bstep_coach_decision *d, char *buf, size_t cap);
/** The decision and, when evaluated, every gate with its status, value and threshold. */
void bstep__decision_text(FILE *f, const bstep_coach_decision *d, const char *indent);
void bstep__decision_json(bstep__jsonw *w, const bstep_coach_decision *d);

/** The screening outcome: what it changes and why. */
void bstep__screening_text(FILE *f, const bstep_screening_result *r, const char *indent);
void bstep__screening_json(bstep__jsonw *w, const bstep_screening_result *r);

/** Today's session in plain words (plan and level as context). */
void bstep__today_text(FILE *f, const bstep_coach_today *t, bstep_plan_id plan, const char *indent);
void bstep__today_json(bstep__jsonw *w, const bstep_coach_today *t);

/** What to write into a calendar. */
typedef struct {
    int64_t plan_id; /**< part of every UID, so re-importing updates rather than doubles */
    bstep_plan_id plan;
    int32_t start_day;              /**< the plan's first day (the week pattern starts there) */
    int32_t from_day;               /**< first day to write */
    int32_t to_day;                 /**< last day to write (inclusive) */
    int minute_of_day;              /**< local start time of each session, 0..1439 */
    int64_t stamp_us;               /**< DTSTAMP (UTC), microseconds since 1970 */
    const bstep_coach_today *today; /**< the prescription (level, minutes, support) */
} bstep__ics_options;

/**
 * Write a VCALENDAR with one VEVENT per planned session day in [from_day, to_day]: floating local
 * start time, DURATION of the session, SUMMARY and DESCRIPTION (escaped per RFC 5545 section
 * 3.3.11), CRLF line ends, lines folded at 75 octets (section 3.1). @return events written.
 */
size_t bstep__ics_write(FILE *f, const bstep__ics_options *o);

#endif
