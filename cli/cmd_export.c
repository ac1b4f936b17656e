/*
 * backstep export: write stored sessions as activity files a watch platform accepts (FIT, TCX)
 * or as CSV / JSON, and convert activity files (--from, no store needed).
 *
 * A stored session as an activity: its records are the series attached to it (a watch's or a
 * treadmill's heart rate, speed, incline, cadence, distance, from analyze or import); a session
 * without a series gets two records per walking bout (its start and end, with the cumulative
 * distance and the bout's mean speed): only what was measured, nothing interpolated. Each bout
 * is a lap. The totals are the session's (duration, walking time as the timer time, distance,
 * energy from the energy model, mean heart rate, steps). The direction noted is "backward" when
 * at least half of the walking time was backward, "forward" when none was, else none (the TCX
 * notes then give the backward minutes).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity_cli.h"
#include "backstep/activity.h"
#include "backstep/status.h"
#include "cli.h"
#include "internal/jsonw.h"
#include "report/activity_report.h"
#include "store_cli.h"

static void help(void)
{
    printf(
        "Usage: backstep export [--format fit|tcx|csv|json] [--session ID] --out FILE\n"
        "       backstep export [--format fit|tcx|csv|json] --from FILE --out FILE\n\n"
        "Write stored sessions, or convert an activity file. FIT and TCX are what watch\n"
        "platforms import (one session per file: give --session ID, see backstep history;\n"
        "Garmin Connect, Strava, ...): walks are written as walking (FIT sport 11; indoor\n"
        "walking, sub-sport 27, on a treadmill; TCX Sport \"Other\"), and the walking\n"
        "direction is noted in the FIT sport name (\"Backward walking\") and the TCX notes\n"
        "(\"backstep: backward walking\"). CSV and JSON without --session list every stored\n"
        "session of the user, one line (object) each; with --session or --from they hold the\n"
        "session's records, laps and totals (JSON schema backstep.activity/1, docs/formats.md).\n"
        "A stored session's records are its watch/treadmill series, else the start and end of\n"
        "each walking bout.\n\n"
        "Options:\n"
        "  --session ID       the stored session to write\n"
        "  --db URL           history database (as for analyze; default $BACKSTEP_DB, ...)\n"
        "  --user NAME        whose sessions (default $BACKSTEP_USER, else the login name)\n"
        "  --from FILE        instead of the store: an activity file (FIT, TCX or FTMS log)\n"
        "  --input-format F   auto | fit | tcx | ftms for --from (default auto)\n"
        "  --direction D      forward | backward: the direction to note (default: what the\n"
        "                     session or file says)\n"
        "  --format F         fit | tcx | csv | json (default: from the --out extension)\n"
        "  --out FILE         the file to write ('-' = standard output, not for FIT)\n"
        "  --help             this text\n\n"
        "Exit status: 0 written, 2 usage error, 3 the input could not be read or the output\n"
        "not written, 4 database error (or no such session).\n");
}

/* The direction a stored session notes: most of the walking backward, none, or mixed. */
static bstep_direction session_direction(const bstep_store_session *s)
{
    if (!isfinite(s->backward_time_s) || !isfinite(s->walking_time_s) || s->walking_time_s <= 0.0)
        return BSTEP_DIRECTION_UNKNOWN;
    if (s->backward_time_s >= 0.5 * s->walking_time_s)
        return BSTEP_DIRECTION_BACKWARD;
    if (s->backward_time_s == 0.0)
        return BSTEP_DIRECTION_FORWARD;
    return BSTEP_DIRECTION_UNKNOWN;
}

/* A stored session as records, laps and totals (see the file comment), then written. */
static int export_session(const bstep_store_session_full *f, bstep_export_format fmt,
                          bstep_direction dir, const char *out, char *err, size_t err_len)
{
    const bstep_store_session *s = &f->session;
    bstep_activity_record *rec;
    bstep_activity_lap *laps;
    bstep_activity_info info;
    size_t n = 0, i;
    double dist = 0.0;
    int rc;
    rec = calloc(f->n_series + 2 * f->n_bouts + 1, sizeof(*rec));
    laps = calloc(f->n_bouts + 1, sizeof(*laps));
    if (rec == NULL || laps == NULL) {
        free(rec);
        free(laps);
        snprintf(err, err_len, "out of memory");
        return BSTEP_ENOMEM;
    }
    for (i = 0; i < f->n_series; i++) {
        const bstep_store_series_point *p = &f->series[i];
        bstep_activity_record_clear(&rec[n]);
        rec[n].t_us = p->t_us;
        rec[n].heart_rate_bpm = p->hr_bpm;
        rec[n].speed_mps = p->speed_mps;
        rec[n].incline_pct = p->incline_pct;
        rec[n].cadence_spm = p->cadence_spm;
        rec[n].distance_m = p->distance_m;
        n++;
    }
    for (i = 0; i < f->n_bouts; i++) {
        const bstep_store_bout *b = &f->bouts[i];
        const double dur = b->end_s - b->start_s;
        bstep_activity_lap_clear(&laps[i]);
        laps[i].start_us = s->start_us + (int64_t)llround(b->start_s * 1e6);
        laps[i].elapsed_s = laps[i].timer_s = dur;
        laps[i].distance_m = b->distance_m;
        if (isfinite(b->distance_m) && dur > 0.0)
            laps[i].avg_speed_mps = b->distance_m / dur;
        if (f->n_series == 0 && dur > 0.0) {
            bstep_activity_record_clear(&rec[n]);
            rec[n].t_us = laps[i].start_us;
            rec[n].distance_m = isfinite(b->distance_m) ? dist : (double)NAN;
            rec[n].speed_mps = laps[i].avg_speed_mps;
            n++;
            if (isfinite(b->distance_m))
                dist += b->distance_m;
            rec[n] = rec[n - 1];
            rec[n].t_us = s->start_us + (int64_t)llround(b->end_s * 1e6);
            rec[n].distance_m = isfinite(b->distance_m) ? dist : (double)NAN;
            n++;
        }
    }
    bstep_activity_info_clear(&info);
    info.start_us = s->start_us;
    info.sport = BSTEP_SPORT_WALKING;
    info.sub_sport =
        isfinite(s->treadmill_speed_mps) ? BSTEP_SUB_SPORT_INDOOR_WALK : BSTEP_SUB_SPORT_GENERIC;
    info.direction = dir != BSTEP_DIRECTION_UNKNOWN ? dir : session_direction(s);
    if (info.direction == BSTEP_DIRECTION_UNKNOWN && isfinite(s->backward_time_s) &&
        isfinite(s->walking_time_s))
        snprintf(info.notes, sizeof(info.notes),
                 "backstep: mixed walking, %.1f of %.1f min backward (session %lld)",
                 s->backward_time_s / 60.0, s->walking_time_s / 60.0, (long long)s->id);
    info.elapsed_s = s->duration_s;
    info.timer_s = s->walking_time_s;
    info.distance_m = s->distance_m;
    info.energy_kcal = s->energy_kcal;
    info.avg_heart_rate_bpm = s->hr_mean_bpm;
    info.steps = s->steps >= 0 ? (double)s->steps : (double)NAN;
    rc = bstep__activity_export(out, fmt, &info, laps, f->n_bouts, rec, n, err, err_len);
    free(rec);
    free(laps);
    return rc;
}

static void csv_num(FILE *f, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, ",%.*f", decimals, v);
    else
        fputc(',', f);
}

static void csv_count(FILE *f, int64_t v)
{
    if (v >= 0)
        fprintf(f, ",%lld", (long long)v);
    else
        fputc(',', f);
}

/* Every stored session of the user: one CSV line or JSON object each. */
static int export_list(bstep_store *st, int64_t user_id, bstep_export_format fmt, const char *out,
                       char *err, size_t err_len)
{
    bstep_store_filter flt;
    bstep_store_session *list = NULL;
    size_t n = 0, i;
    FILE *f;
    int rc;
    bstep_store_filter_init(&flt);
    flt.user_id = user_id;
    if ((rc = bstep_store_session_list(st, &flt, &list, &n)) != BSTEP_OK) {
        snprintf(err, err_len, "%s", bstep_store_errmsg(st));
        return rc;
    }
    f = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
    if (f == NULL) {
        snprintf(err, err_len, "%s: cannot create", out);
        bstep_store_free(list);
        return BSTEP_EIO;
    }
    if (fmt == BSTEP_EXPORT_CSV) {
        fprintf(f, "session,start_unix_s,format,placement,duration (s),walking_time (s),"
                   "backward_time (s),steps,steps_backward,distance (m),distance_backward (m),"
                   "speed (m/s),cadence (steps/min),energy (kcal),heart_rate_mean (bpm),"
                   "treadmill_speed (m/s),treadmill_incline (%%),toe_first_ratio,"
                   "stride_time_cv (%%)\n");
        for (i = 0; i < n; i++) {
            const bstep_store_session *s = &list[i];
            fprintf(f, "%lld,%lld.%06lld,%s,%s", (long long)s->id,
                    (long long)(s->start_us / 1000000), (long long)(s->start_us % 1000000),
                    bstep_format_name(s->format), bstep_placement_name(s->placement));
            csv_num(f, s->duration_s, 3);
            csv_num(f, s->walking_time_s, 2);
            csv_num(f, s->backward_time_s, 2);
            csv_count(f, s->steps);
            csv_count(f, s->steps_backward);
            csv_num(f, s->distance_m, 2);
            csv_num(f, s->distance_backward_m, 2);
            csv_num(f, s->speed_mps, 3);
            csv_num(f, s->cadence_spm, 1);
            csv_num(f, s->energy_kcal, 1);
            csv_num(f, s->hr_mean_bpm, 1);
            csv_num(f, s->treadmill_speed_mps, 3);
            csv_num(f, s->treadmill_incline_pct, 2);
            csv_num(f, s->toe_first_ratio, 3);
            csv_num(f, s->stride_time_cv_pct, 2);
            fputc('\n', f);
        }
    } else {
        bstep__jsonw w;
        bstep__jsonw_init(&w, f, 2);
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "schema");
        bstep__jsonw_string(&w, "backstep.sessions/1");
        bstep__jsonw_key(&w, "sessions");
        bstep__jsonw_array_begin(&w);
        for (i = 0; i < n; i++) {
            const bstep_store_session *s = &list[i];
#define NUM(k, v, d)                                                                               \
    bstep__jsonw_key(&w, k);                                                                       \
    bstep__jsonw_number(&w, v, d)
#define CNT(k, v)                                                                                  \
    bstep__jsonw_key(&w, k);                                                                       \
    if ((v) >= 0)                                                                                  \
        bstep__jsonw_int(&w, v);                                                                   \
    else                                                                                           \
        bstep__jsonw_null(&w)
            bstep__jsonw_object_begin(&w);
            bstep__jsonw_key(&w, "session");
            bstep__jsonw_int(&w, s->id);
            bstep__jsonw_key(&w, "start_us");
            bstep__jsonw_int(&w, s->start_us);
            bstep__jsonw_key(&w, "format");
            bstep__jsonw_string(&w, bstep_format_name(s->format));
            bstep__jsonw_key(&w, "placement");
            bstep__jsonw_string(&w, bstep_placement_name(s->placement));
            bstep__jsonw_key(&w, "source_path");
            bstep__jsonw_string(&w, s->source_path);
            NUM("duration_s", s->duration_s, 3);
            NUM("walking_time_s", s->walking_time_s, 2);
            NUM("backward_time_s", s->backward_time_s, 2);
            CNT("steps", s->steps);
            CNT("steps_backward", s->steps_backward);
            NUM("distance_m", s->distance_m, 2);
            NUM("distance_backward_m", s->distance_backward_m, 2);
            NUM("speed_mps", s->speed_mps, 3);
            NUM("cadence_spm", s->cadence_spm, 1);
            NUM("energy_kcal", s->energy_kcal, 1);
            NUM("heart_rate_mean_bpm", s->hr_mean_bpm, 1);
            NUM("treadmill_speed_mps", s->treadmill_speed_mps, 3);
            NUM("treadmill_incline_pct", s->treadmill_incline_pct, 2);
            NUM("toe_first_ratio", s->toe_first_ratio, 3);
            NUM("stride_time_cv_pct", s->stride_time_cv_pct, 2);
#undef NUM
#undef CNT
            bstep__jsonw_object_end(&w);
        }
        bstep__jsonw_array_end(&w);
        bstep__jsonw_object_end(&w);
        fputc('\n', f);
    }
    rc = ferror(f) ? BSTEP_EIO : BSTEP_OK;
    if (f != stdout && fclose(f) != 0)
        rc = BSTEP_EIO;
    if (rc != BSTEP_OK)
        snprintf(err, err_len, "%s: write error", out);
    bstep_store_free(list);
    return rc;
}

static int format_from_name(const char *path, bstep_export_format *f)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL)
        return -1;
    return bstep_export_format_parse(dot + 1, f) == BSTEP_OK ? 0 : -1;
}

int bstep_cmd_export(int argc, char **argv)
{
    const char *cmd = "export";
    const char *from = NULL, *out = NULL, *db_url = NULL, *user_arg = NULL;
    char user_buf[128];
    long long session_id = 0;
    int have_format = 0;
    bstep_export_format fmt = BSTEP_EXPORT_JSON;
    bstep__activity_options aopt;
    bstep__activity_analysis a;
    bstep__opts o;
    char err[1024] = "";
    int rc;

    memset(&aopt, 0, sizeof(aopt));
    aopt.mass_kg = (double)NAN;
    aopt.age_y = (double)NAN;
    aopt.sex = BSTEP_SEX_UNKNOWN;
    aopt.direction = BSTEP_DIRECTION_UNKNOWN;
    aopt.format = BSTEP_FORMAT_AUTO;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL)
            return bstep__usage_error(cmd, "unexpected argument '%s'", o.arg);
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "from") == 0) {
            from = v;
        } else if (strcmp(o.name, "session") == 0) {
            char *end = NULL;
            session_id = strtoll(v, &end, 10);
            if (end == v || *end != '\0' || session_id <= 0)
                return bstep__usage_error(cmd, "--session: expected a session number, not '%s'", v);
        } else if (strcmp(o.name, "db") == 0) {
            db_url = v;
        } else if (strcmp(o.name, "user") == 0) {
            user_arg = v;
        } else if (strcmp(o.name, "out") == 0) {
            out = v;
        } else if (strcmp(o.name, "format") == 0) {
            if (bstep_export_format_parse(v, &fmt) != BSTEP_OK)
                return bstep__usage_error(cmd, "--format: expected fit, tcx, csv or json, not '%s'",
                                          v);
            have_format = 1;
        } else if (strcmp(o.name, "input-format") == 0) {
            if (bstep_format_parse(v, &aopt.format) != BSTEP_OK ||
                (aopt.format != BSTEP_FORMAT_AUTO && !bstep_format_is_activity(aopt.format)))
                return bstep__usage_error(cmd, "--input-format: expected auto, fit, tcx or ftms");
        } else if (strcmp(o.name, "direction") == 0) {
            if (bstep_direction_parse(v, &aopt.direction) != BSTEP_OK ||
                (aopt.direction != BSTEP_DIRECTION_FORWARD &&
                 aopt.direction != BSTEP_DIRECTION_BACKWARD))
                return bstep__usage_error(cmd, "--direction: expected forward or backward");
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (out == NULL)
        return bstep__usage_error(cmd, "--out FILE is required");
    if (!have_format && format_from_name(out, &fmt) != 0)
        return bstep__usage_error(cmd,
                                  "give --format (the name '%s' does not say fit, tcx, csv "
                                  "or json)",
                                  out);
    if (fmt == BSTEP_EXPORT_FIT && strcmp(out, "-") == 0)
        return bstep__usage_error(cmd, "a FIT file cannot be written to standard output (its "
                                       "header is completed at the end): give a file name");
    if (from != NULL && session_id != 0)
        return bstep__usage_error(cmd, "give --from or --session, not both");
    if (from == NULL) {
        bstep_store *st = NULL;
        bstep_store_user user;
        if ((fmt == BSTEP_EXPORT_FIT || fmt == BSTEP_EXPORT_TCX) && session_id == 0)
            return bstep__usage_error(cmd,
                                      "a %s file holds one session: give --session ID "
                                      "(backstep history lists them)",
                                      bstep_export_format_name(fmt));
        if (bstep__cli_store_open(cmd, db_url, &st) != BSTEP_OK)
            return BSTEP_EXIT_DB;
        rc = bstep_store_user_find(st, bstep__cli_user_name(user_arg, user_buf, sizeof(user_buf)),
                                   &user); /* export only reads: no user is created */
        if (rc == BSTEP_ENOTFOUND)
            snprintf(err, sizeof(err), "no user '%s' in %s (nothing stored yet?)",
                     bstep__cli_user_name(user_arg, user_buf, sizeof(user_buf)),
                     bstep_store_location(st));
        if (rc == BSTEP_OK && session_id == 0) {
            rc = export_list(st, user.id, fmt, out, err, sizeof(err));
        } else if (rc == BSTEP_OK) {
            bstep_store_session_full *full = NULL;
            int allowed = 0;
            rc = bstep_store_session_load(st, (int64_t)session_id, &full);
            if (rc == BSTEP_OK)
                rc = bstep_store_user_can_view(st, user.id, full->session.user_id, &allowed);
            if (rc == BSTEP_OK && !allowed)
                rc = BSTEP_ENOTFOUND;
            if (rc == BSTEP_ENOTFOUND)
                snprintf(err, sizeof(err), "no session %lld of %s", session_id, user.name);
            else if (rc != BSTEP_OK)
                snprintf(err, sizeof(err), "%s", bstep_store_errmsg(st));
            else
                rc = export_session(full, fmt, aopt.direction, out, err, sizeof(err));
            bstep_store_session_full_free(full);
        } else if (rc != BSTEP_ENOTFOUND) {
            snprintf(err, sizeof(err), "%s", bstep_store_errmsg(st));
        }
        bstep_store_close(st);
        if (rc != BSTEP_OK) {
            fprintf(stderr, "backstep export: %s\n", err[0] ? err : bstep_strerror(rc));
            return rc == BSTEP_EIO || rc == BSTEP_ERANGE ? BSTEP_EXIT_INPUT : BSTEP_EXIT_DB;
        }
        if (strcmp(out, "-") != 0)
            fprintf(stderr, "backstep export: wrote %s (%s)\n", out, bstep_export_format_name(fmt));
        return BSTEP_EXIT_OK;
    }
    rc = bstep__analyze_activity(from, &aopt, &a, err, sizeof(err));
    if (rc == BSTEP_OK) {
        bstep_activity_info info = a.info;
        info.direction = a.direction;
        rc = bstep__activity_export(out, fmt, &info, a.laps, a.n_laps, a.rec, a.n_rec, err,
                                    sizeof(err));
    }
    bstep__activity_analysis_free(&a);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep export: %s\n", err[0] ? err : bstep_strerror(rc));
        return BSTEP_EXIT_INPUT;
    }
    if (strcmp(out, "-") != 0)
        fprintf(stderr, "backstep export: wrote %s (%s)\n", out, bstep_export_format_name(fmt));
    return BSTEP_EXIT_OK;
}
