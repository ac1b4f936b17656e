/*
 * TCX v2 reader (Garmin TrainingCenterDatabase v2; reference/formats.md section 5), streaming
 * with expat: the parser is fed 16 KiB at a time and suspended after each Trackpoint, so memory
 * stays fixed whatever the file length. Element names are matched by local name (any namespace
 * prefix: "ns3:TPX", "tpx:TPX" and an unprefixed TPX all work).
 *
 * Read: Activity@Sport (Running, Biking, Other), Activity/Id (start), Activity/Notes (the
 * direction of backstep's own exports: "backward walking"), Lap@StartTime and the Lap totals
 * (TotalTimeSeconds, DistanceMeters, MaximumSpeed, Calories, Average/MaximumHeartRateBpm/Value,
 * Extensions/LX/AvgSpeed, AvgRunCadence), and per Trackpoint: Time, Position/Latitude- and
 * LongitudeDegrees, AltitudeMeters, DistanceMeters, HeartRateBpm/Value, Cadence, and
 * Extensions/TPX/Speed and RunCadence. RunCadence (and Trackpoint Cadence outside Biking) is
 * strides per minute: steps/min = 2 x value. Everything else (Creator, Author, Courses, Workouts,
 * SensorState, Watts) is ignored.
 *
 * Safety: a DOCTYPE or any entity declaration is rejected (TCX has neither), so no external DTD
 * is ever loaded and no entity can expand; nesting deeper than 64 elements is an error.
 * Errors name the line: "walk.tcx:12: field 'HeartRateBpm/Value': not a number: 'x'".
 */
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/numparse.h"
#include "io/activity_internal.h"

#define CHUNK     16384
#define MAX_DEPTH 64
#define NAME_MAX_ 48
#define TEXT_MAX  512

typedef struct {
    bstep_activity_reader *r;
    XML_Parser p;
    bstep__source src;
    char name[512];
    char buf[CHUNK];
    int src_eof, suspended, done;
    int rc; /* our own error (message set), 0 if none */
    int depth;
    char stack[MAX_DEPTH][NAME_MAX_];
    char text[TEXT_MAX + 1];
    size_t text_len;
    int text_over;
    int seen_root, biking;
    /* current trackpoint / lap */
    int in_tp, have_rec, tp_time;
    double run_cadence, tp_cadence;
    bstep_activity_record rec;
    int in_lap;
    bstep_activity_lap lap;
    double lap_run_cadence;
} tcx_state;

static unsigned long long line_of(const tcx_state *st)
{
    return (unsigned long long)XML_GetCurrentLineNumber(st->p);
}

static void stop(tcx_state *st, int rc)
{
    if (st->rc == 0)
        st->rc = rc;
    XML_StopParser(st->p, XML_FALSE);
}

static const char *local_name(const char *n)
{
    const char *bar = strrchr(n, '|');
    const char *colon;
    n = bar ? bar + 1 : n;
    colon = strrchr(n, ':');
    return colon ? colon + 1 : n;
}

static const char *parent(const tcx_state *st, int up)
{
    int i = st->depth - 1 - up;
    return i >= 0 ? st->stack[i] : "";
}

static int is(const tcx_state *st, int up, const char *n)
{
    return strcmp(parent(st, up), n) == 0;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    tcx_state *st = ud;
    const char *ln = local_name(name);
    int i;
    if (st->rc)
        return;
    if (!st->seen_root) {
        st->seen_root = 1;
        if (strcmp(ln, "TrainingCenterDatabase") != 0) {
            bstep__activity_fail(st->r, BSTEP_EFORMAT,
                                 "%s:%llu: root element is '%.40s', not TrainingCenterDatabase",
                                 st->name, line_of(st), ln);
            stop(st, BSTEP_EFORMAT);
            return;
        }
    }
    if (st->depth >= MAX_DEPTH) {
        bstep__activity_fail(st->r, BSTEP_EFORMAT, "%s:%llu: elements nested deeper than %d",
                             st->name, line_of(st), MAX_DEPTH);
        stop(st, BSTEP_EFORMAT);
        return;
    }
    snprintf(st->stack[st->depth], NAME_MAX_, "%s", ln);
    st->depth++;
    st->text_len = 0;
    st->text_over = 0;
    if (strcmp(ln, "Activity") == 0) {
        bstep_activity_info *inf = bstep__activity_info(st->r);
        for (i = 0; atts[i] != NULL; i += 2) {
            if (strcmp(local_name(atts[i]), "Sport") == 0) {
                const char *v = atts[i + 1];
                inf->sport = strcmp(v, "Running") == 0  ? BSTEP_SPORT_RUNNING
                             : strcmp(v, "Biking") == 0 ? BSTEP_SPORT_CYCLING
                                                        : BSTEP_SPORT_GENERIC;
                st->biking = inf->sport == BSTEP_SPORT_CYCLING;
            }
        }
        inf->has_session = 1;
    } else if (strcmp(ln, "Lap") == 0 && is(st, 1, "Activity")) {
        bstep_activity_lap_clear(&st->lap);
        st->lap.sport = bstep__activity_info(st->r)->sport;
        st->lap_run_cadence = (double)NAN;
        st->in_lap = 1;
        for (i = 0; atts[i] != NULL; i += 2) {
            if (strcmp(local_name(atts[i]), "StartTime") == 0) {
                bstep_time_us t;
                if (bstep__iso8601_parse(atts[i + 1], strlen(atts[i + 1]), &t) != 0) {
                    char q[64];
                    bstep__field_quote(atts[i + 1], strlen(atts[i + 1]), q, sizeof q);
                    bstep__activity_fail(st->r, BSTEP_EFORMAT,
                                         "%s:%llu: field 'Lap@StartTime': not an ISO 8601 time: "
                                         "'%s'",
                                         st->name, line_of(st), q);
                    stop(st, BSTEP_EFORMAT);
                    return;
                }
                st->lap.start_us = t;
            }
        }
    } else if (strcmp(ln, "Trackpoint") == 0) {
        bstep_activity_record_clear(&st->rec);
        st->in_tp = 1;
        st->tp_time = 0;
        st->run_cadence = st->tp_cadence = (double)NAN;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    tcx_state *st = ud;
    size_t n = (size_t)len;
    if (st->rc || len <= 0)
        return;
    if (st->text_len + n > TEXT_MAX) {
        n = TEXT_MAX - st->text_len;
        st->text_over = 1;
    }
    memcpy(st->text + st->text_len, s, n);
    st->text_len += n;
    st->text[st->text_len] = '\0';
}

/* The current element's text as a number within [lo, hi]. @return 0 ok, -1 error (stopped). */
static int number(tcx_state *st, const char *field, double lo, double hi, double *out)
{
    const char *p = st->text;
    size_t len = st->text_len;
    double v;
    int rc;
    char q[64];
    while (len > 0 && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        p++;
        len--;
    }
    while (len > 0 &&
           (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--;
    bstep__field_quote(p, len, q, sizeof q);
    rc = st->text_over ? BSTEP__NUM_SYNTAX : bstep__num_double(p, len, 0, &v);
    if (rc == BSTEP__NUM_EMPTY) {
        bstep__activity_fail(st->r, BSTEP_EFORMAT, "%s:%llu: field '%s': empty", st->name,
                             line_of(st), field);
        stop(st, BSTEP_EFORMAT);
        return -1;
    }
    if (rc != BSTEP__NUM_OK || !isfinite(v)) {
        bstep__activity_fail(st->r, BSTEP_EFORMAT, "%s:%llu: field '%s': not a number: '%s'",
                             st->name, line_of(st), field, q);
        stop(st, BSTEP_EFORMAT);
        return -1;
    }
    if (v < lo || v > hi) {
        bstep__activity_fail(st->r, BSTEP_EFORMAT,
                             "%s:%llu: field '%s': value %s is out of range (%g .. %g)", st->name,
                             line_of(st), field, q, lo, hi);
        stop(st, BSTEP_EFORMAT);
        return -1;
    }
    *out = v;
    return 0;
}

static int time_value(tcx_state *st, const char *field, bstep_time_us *out)
{
    if (bstep__iso8601_parse(st->text, st->text_len, out) != 0) {
        char q[64];
        bstep__field_quote(st->text, st->text_len, q, sizeof q);
        bstep__activity_fail(st->r, BSTEP_EFORMAT,
                             "%s:%llu: field '%s': not an ISO 8601 time: '%s'", st->name,
                             line_of(st), field, q);
        stop(st, BSTEP_EFORMAT);
        return -1;
    }
    return 0;
}

static double add_nan(double a, double b)
{
    if (!isfinite(b))
        return a;
    return isfinite(a) ? a + b : b;
}

static void trackpoint_field(tcx_state *st, const char *ln)
{
    bstep_activity_record *r = &st->rec;
    if (strcmp(ln, "Time") == 0 && is(st, 1, "Trackpoint")) {
        if (time_value(st, "Trackpoint/Time", &r->t_us) == 0)
            st->tp_time = 1;
    } else if (strcmp(ln, "LatitudeDegrees") == 0 && is(st, 1, "Position")) {
        number(st, "Position/LatitudeDegrees", -90.0, 90.0, &r->latitude_deg);
    } else if (strcmp(ln, "LongitudeDegrees") == 0 && is(st, 1, "Position")) {
        number(st, "Position/LongitudeDegrees", -180.0, 180.0, &r->longitude_deg);
    } else if (strcmp(ln, "AltitudeMeters") == 0 && is(st, 1, "Trackpoint")) {
        number(st, "AltitudeMeters", -500.0, 12000.0, &r->altitude_m);
    } else if (strcmp(ln, "DistanceMeters") == 0 && is(st, 1, "Trackpoint")) {
        number(st, "DistanceMeters", 0.0, 1e8, &r->distance_m);
    } else if (strcmp(ln, "Value") == 0 && is(st, 1, "HeartRateBpm")) {
        if (number(st, "HeartRateBpm/Value", 0.0, 250.0, &r->heart_rate_bpm) == 0 &&
            r->heart_rate_bpm == 0.0)
            r->heart_rate_bpm = (double)NAN;
    } else if (strcmp(ln, "Cadence") == 0 && is(st, 1, "Trackpoint")) {
        number(st, "Cadence", 0.0, 255.0, &st->tp_cadence);
    } else if (strcmp(ln, "Speed") == 0 && is(st, 1, "TPX")) {
        number(st, "TPX/Speed", 0.0, 50.0, &r->speed_mps);
    } else if (strcmp(ln, "RunCadence") == 0 && is(st, 1, "TPX")) {
        number(st, "TPX/RunCadence", 0.0, 255.0, &st->run_cadence);
    }
}

static void lap_field(tcx_state *st, const char *ln)
{
    bstep_activity_lap *l = &st->lap;
    if (!is(st, 1, "Lap")) {
        if (strcmp(ln, "Value") == 0 && is(st, 1, "AverageHeartRateBpm") && is(st, 2, "Lap"))
            number(st, "AverageHeartRateBpm/Value", 0.0, 250.0, &l->avg_heart_rate_bpm);
        else if (strcmp(ln, "Value") == 0 && is(st, 1, "MaximumHeartRateBpm") && is(st, 2, "Lap"))
            number(st, "MaximumHeartRateBpm/Value", 0.0, 250.0, &l->max_heart_rate_bpm);
        else if (strcmp(ln, "AvgSpeed") == 0 && is(st, 1, "LX"))
            number(st, "LX/AvgSpeed", 0.0, 50.0, &l->avg_speed_mps);
        else if (strcmp(ln, "AvgRunCadence") == 0 && is(st, 1, "LX"))
            number(st, "LX/AvgRunCadence", 0.0, 255.0, &st->lap_run_cadence);
        return;
    }
    if (strcmp(ln, "TotalTimeSeconds") == 0) {
        if (number(st, "TotalTimeSeconds", 0.0, 1e7, &l->timer_s) == 0)
            l->elapsed_s = l->timer_s;
    } else if (strcmp(ln, "DistanceMeters") == 0) {
        number(st, "Lap/DistanceMeters", 0.0, 1e8, &l->distance_m);
    } else if (strcmp(ln, "MaximumSpeed") == 0) {
        number(st, "MaximumSpeed", 0.0, 100.0, &l->max_speed_mps);
    } else if (strcmp(ln, "Calories") == 0) {
        number(st, "Calories", 0.0, 65535.0, &l->energy_kcal);
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    tcx_state *st = ud;
    const char *ln = local_name(name);
    bstep_activity_info *inf;
    if (st->rc)
        return;
    inf = bstep__activity_info(st->r);
    if (st->in_tp) {
        trackpoint_field(st, ln);
    } else if (st->in_lap) {
        lap_field(st, ln);
    }
    if (st->rc)
        return;
    if (strcmp(ln, "Id") == 0 && is(st, 1, "Activity")) {
        if (time_value(st, "Activity/Id", &inf->start_us) != 0)
            return;
    } else if (strcmp(ln, "Notes") == 0 && is(st, 1, "Activity")) {
        size_t n = st->text_len < sizeof inf->notes - 1 ? st->text_len : sizeof inf->notes - 1;
        memcpy(inf->notes, st->text, n);
        inf->notes[n] = '\0';
        if (strstr(inf->notes, "backward walking") != NULL)
            inf->direction = BSTEP_DIRECTION_BACKWARD;
        else if (strstr(inf->notes, "forward walking") != NULL)
            inf->direction = BSTEP_DIRECTION_FORWARD;
    } else if (strcmp(ln, "Trackpoint") == 0 && st->in_tp) {
        double c = isfinite(st->run_cadence) ? st->run_cadence
                   : st->biking              ? (double)NAN
                                             : st->tp_cadence;
        st->in_tp = 0;
        if (!st->tp_time) {
            bstep__activity_fail(st->r, BSTEP_EFORMAT, "%s:%llu: Trackpoint without a Time",
                                 st->name, line_of(st));
            stop(st, BSTEP_EFORMAT);
            return;
        }
        st->rec.cadence_spm = isfinite(c) ? 2.0 * c : (double)NAN;
        bstep__activity_quality(st->r)->messages++;
        st->have_rec = 1;
        XML_StopParser(st->p, XML_TRUE);
    } else if (strcmp(ln, "Lap") == 0 && st->in_lap && is(st, 1, "Activity")) {
        st->in_lap = 0;
        if (isfinite(st->lap_run_cadence))
            st->lap.avg_cadence_spm = 2.0 * st->lap_run_cadence;
        bstep__activity_add_lap(st->r, &st->lap);
        inf->elapsed_s = add_nan(inf->elapsed_s, st->lap.elapsed_s);
        inf->timer_s = add_nan(inf->timer_s, st->lap.timer_s);
        inf->distance_m = add_nan(inf->distance_m, st->lap.distance_m);
        inf->energy_kcal = add_nan(inf->energy_kcal, st->lap.energy_kcal);
        if (isfinite(st->lap.max_heart_rate_bpm) &&
            !(inf->max_heart_rate_bpm >= st->lap.max_heart_rate_bpm))
            inf->max_heart_rate_bpm = st->lap.max_heart_rate_bpm;
    }
    st->depth--;
    st->text_len = 0;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    tcx_state *st = ud;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    bstep__activity_fail(st->r, BSTEP_EFORMAT,
                         "%s:%llu: a DOCTYPE is not allowed in a TCX file (no DTD is loaded)",
                         st->name, line_of(st));
    stop(st, BSTEP_EFORMAT);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    tcx_state *st = ud;
    (void)name;
    (void)is_param;
    (void)value;
    (void)value_len;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    bstep__activity_fail(st->r, BSTEP_EFORMAT,
                         "%s:%llu: an entity declaration is not allowed in a TCX file", st->name,
                         line_of(st));
    stop(st, BSTEP_EFORMAT);
}

static void tcx_close(void *impl)
{
    tcx_state *st = impl;
    if (st == NULL)
        return;
    if (st->p)
        XML_ParserFree(st->p);
    if (st->src.close)
        st->src.close(st->src.ctx);
    free(st);
}

static int parse_status(bstep_activity_reader *r, tcx_state *st, enum XML_Status s)
{
    if (s == XML_STATUS_SUSPENDED) {
        st->suspended = 1;
        return 0;
    }
    if (s == XML_STATUS_ERROR) {
        if (st->rc)
            return st->rc;
        return bstep__activity_fail(r, BSTEP_EFORMAT, "%s:%llu:%llu: XML error: %s", st->name,
                                    (unsigned long long)XML_GetCurrentLineNumber(st->p),
                                    (unsigned long long)XML_GetCurrentColumnNumber(st->p) + 1,
                                    XML_ErrorString(XML_GetErrorCode(st->p)));
    }
    return 0;
}

static int tcx_next(bstep_activity_reader *r, void *impl, bstep_activity_record *rec)
{
    tcx_state *st = impl;
    st->r = r;
    for (;;) {
        int rc;
        if (st->have_rec) {
            st->have_rec = 0;
            *rec = st->rec;
            return 1;
        }
        if (st->done)
            return 0;
        if (st->suspended) {
            st->suspended = 0;
            rc = parse_status(r, st, XML_ResumeParser(st->p));
        } else if (st->src_eof) {
            st->done = 1;
            if (!st->seen_root)
                return bstep__activity_fail(r, BSTEP_EFORMAT, "%s: no XML element in the file",
                                            st->name);
            continue;
        } else {
            long got = st->src.read(st->src.ctx, st->buf, sizeof st->buf);
            if (got < 0)
                return bstep__activity_fail(r, BSTEP_EIO, "%s: read error", st->name);
            if (got == 0)
                st->src_eof = 1;
            rc = parse_status(r, st, XML_Parse(st->p, st->buf, (int)got, got == 0));
        }
        if (rc < 0)
            return rc;
    }
}

static const bstep__activity_ops tcx_ops = {tcx_next, tcx_close};

int bstep__tcx_open(bstep_activity_reader *r, bstep__source src, const char *name)
{
    tcx_state *st = calloc(1, sizeof *st);
    if (st == NULL) {
        if (src.close)
            src.close(src.ctx);
        return bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    st->r = r;
    st->src = src;
    snprintf(st->name, sizeof st->name, "%s", name);
    st->p = XML_ParserCreateNS(NULL, '|');
    if (st->p == NULL) {
        tcx_close(st);
        return bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    XML_SetUserData(st->p, st);
    XML_SetElementHandler(st->p, on_start, on_end);
    XML_SetCharacterDataHandler(st->p, on_text);
    XML_SetStartDoctypeDeclHandler(st->p, on_doctype);
    XML_SetEntityDeclHandler(st->p, on_entity);
    XML_SetParamEntityParsing(st->p, XML_PARAM_ENTITY_PARSING_NEVER);
    bstep__activity_set_impl(r, &tcx_ops, st);
    return BSTEP_OK;
}
