/*
 * backstep import: bring a watch's or a treadmill's data (FIT, TCX, FTMS log) into the history.
 *
 * Matching. The file covers [first record, last record]. Every stored motion-sensor session of
 * the user that overlaps that span is a candidate (activity sessions, i.e. ones stored from a
 * FIT/TCX/FTMS file, are not: a watch file is merged into what the IMU recorded, not into
 * another watch file); the one with the longest overlap wins (ties: the earliest). Its series
 * from this source ("fit", "tcx" or "ftms") is replaced by the file's records, so importing the
 * same file again changes nothing, and the store updates the session's mean heart rate and
 * treadmill speed and incline. The session's energy is then computed again by analyze's own rule
 * (bstep__bouts_energy, src/report/analysis.c) on the stored bouts: per bout, in pieces of at
 * most 60 s, the treadmill's speed (a motion sensor on a treadmill measures the foot against the
 * belt, not the walking speed) and incline where the series has them (an imported FTMS log's, or
 * the belt readings the recording's CSV carried, stored with the session; for a session stored
 * before those were kept, their means), else a watch's speed (FIT, TCX) where it has one, else
 * the bout's measured speed, and the heart rate of the series.
 * With no overlapping session the file is stored as a session of its own.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity_cli.h"
#include "backstep/activity.h"
#include "backstep/status.h"
#include "cli.h"
#include "internal/sha256.h"
#include "report/report.h"
#include "store/session_save.h"
#include "store/store_analysis.h"
#include "store_cli.h"

static void help(void)
{
    printf("Usage: backstep import FILE... [OPTIONS]\n\n"
           "Import activity files from a watch or a treadmill: FIT activity files, TCX, and FTMS\n"
           "treadmill logs (docs/formats.md). Each file's heart rate, speed, incline, cadence and\n"
           "distance are merged by time into the stored motion-sensor session they overlap most\n"
           "(its heart rate, treadmill speed and incline, and its energy are updated); a file\n"
           "that overlaps no session is stored as a session of its own. Importing a file again\n"
           "replaces what it brought the first time.\n\n"
           "Options:\n"
           "  --input-format F   auto | fit | tcx | ftms (default auto: from the content)\n"
           "  --direction D      forward | backward: how a new session's walk was done (default:\n"
           "                     what the file notes, else unknown)\n"
           "  --new              store each file as a session of its own, never merge\n"
           "  --db URL           history database (as for analyze; default $BACKSTEP_DB, else\n"
           "                     ~/.local/share/backstep/backstep.db; docs/store.md)\n"
           "  --user NAME        whose sessions (default $BACKSTEP_USER, else the login name)\n"
           "  --help             this text\n\n"
           "Exit status: 0 every file imported, 2 usage error, 3 a file could not be read,\n"
           "4 database error.\n");
}

static int is_activity_format(bstep_format f)
{
    return bstep_format_is_activity(f);
}

/* The stored motion-sensor session overlapping [from, to) the most; 0 if none. */
static int find_match(bstep_store *st, int64_t user_id, int64_t from, int64_t to,
                      bstep_store_session *best, double *overlap_s)
{
    bstep_store_filter f;
    bstep_store_session *list = NULL;
    size_t n = 0, i;
    int rc, found = 0;
    bstep_store_filter_init(&f);
    f.user_id = user_id;
    f.from_us = from - 86400LL * 1000000LL; /* a session starting up to a day before */
    f.to_us = to + 1;
    rc = bstep_store_session_list(st, &f, &list, &n);
    if (rc != BSTEP_OK)
        return rc;
    *overlap_s = 0.0;
    for (i = 0; i < n; i++) {
        const bstep_store_session *s = &list[i];
        int64_t end = s->start_us + (int64_t)llround(s->duration_s * 1e6);
        int64_t lo = s->start_us > from ? s->start_us : from, hi = end < to ? end : to;
        double ov = (double)(hi - lo) * 1e-6;
        if (is_activity_format(s->format) || !isfinite(s->duration_s) || hi <= lo)
            continue;
        if (ov > *overlap_s) {
            *overlap_s = ov;
            *best = *s;
            found = 1;
        }
    }
    bstep_store_free(list);
    return found ? 1 : 0;
}

/* The session's energy again, with the merged series (see the file comment): the analysis's own
 * rule (bstep__bouts_energy) on the stored bouts, the series' treadmill speed and incline
 * readings (an imported treadmill log's, and those the recording carried, stored with it) and
 * heart rate. */
static int update_energy(bstep_store *st, int64_t id, const bstep_store_user *user)
{
    bstep_store_session_full *full = NULL;
    bstep_store_series_point *belt = NULL;
    size_t n_belt = 0;
    bstep__bout_row *bouts;
    bstep_treadmill_point *tm;
    bstep_hr_point *hr;
    bstep_energy_walker w;
    bstep_energy_session_result r;
    size_t i, n_tm = 0, n_hr = 0;
    int rc = bstep_store_session_load(st, id, &full);
    if (rc != BSTEP_OK)
        return rc;
    /* on a treadmill the belt's readings give the speed and incline, not a watch's estimate */
    if ((rc = bstep_store_series_get_treadmill(st, id, &belt, &n_belt)) != BSTEP_OK) {
        bstep_store_session_full_free(full);
        return rc;
    }
    bouts = calloc(full->n_bouts + 1, sizeof(*bouts));
    tm = calloc(full->n_series + full->n_bouts + 1, sizeof(*tm));
    hr = calloc(full->n_series + 1, sizeof(*hr));
    if (bouts == NULL || tm == NULL || hr == NULL) {
        free(bouts);
        free(tm);
        free(hr);
        bstep_store_free(belt);
        bstep_store_session_full_free(full);
        return BSTEP_ENOMEM;
    }
    for (i = 0; i < full->n_bouts; i++) {
        bouts[i].start_s = full->bouts[i].start_s;
        bouts[i].end_s = full->bouts[i].end_s;
        bouts[i].activity = full->bouts[i].activity;
        bouts[i].distance_m = full->bouts[i].distance_m;
    }
    {
        /* the belt's readings when the session has them, else every source's (a watch's) */
        const bstep_store_series_point *src = n_belt > 0 ? belt : full->series;
        const size_t n_src = n_belt > 0 ? n_belt : full->n_series;
        for (i = 0; i < n_src; i++) {
            const bstep_store_series_point *p = &src[i];
            const double v =
                p->speed_mps >= 0.0 && p->speed_mps <= 50.0 ? p->speed_mps : (double)NAN;
            if (isfinite(v) || isfinite(p->incline_pct)) {
                tm[n_tm].t_us = p->t_us;
                tm[n_tm].speed_mps = (float)v;
                tm[n_tm].incline_pct = (float)p->incline_pct;
                n_tm++;
            }
        }
    }
    for (i = 0; i < full->n_series; i++) {
        const bstep_store_series_point *p = &full->series[i];
        if (p->hr_bpm >= 30.0 && p->hr_bpm <= 230.0) {
            hr[n_hr].t_us = p->t_us;
            hr[n_hr].hr_bpm = (float)p->hr_bpm;
            n_hr++;
        }
    }
    /* a treadmill session stored before its belt readings were kept (only their means): the
     * means, the belt's measured speed and incline over the recording, for every bout (rather
     * than a watch's estimate) */
    if (n_belt == 0 && !bstep_format_is_activity(full->session.format) &&
        (isfinite(full->session.treadmill_speed_mps) ||
         isfinite(full->session.treadmill_incline_pct)))
        for (i = 0, n_tm = 0; i < full->n_bouts; i++) {
            tm[n_tm].t_us = full->session.start_us + (int64_t)llround(bouts[i].start_s * 1e6);
            tm[n_tm].speed_mps = (float)full->session.treadmill_speed_mps;
            tm[n_tm].incline_pct = (float)full->session.treadmill_incline_pct;
            n_tm++;
        }
    memset(&w, 0, sizeof(w));
    w.mass_kg = isfinite(full->session.energy_mass_kg) ? full->session.energy_mass_kg : 70.0;
    w.age_y = user->age_y >= 5.0 && user->age_y <= 110.0 ? user->age_y : (double)NAN;
    w.sex = user->sex;
    w.vo2max_ml_kg_min = (double)NAN;
    if (full->n_bouts > 0 &&
        bstep__bouts_energy(bouts, full->n_bouts, tm, n_tm, hr, n_hr, full->session.start_us, &w,
                            &r) == BSTEP_OK &&
        isfinite(r.energy_kcal)) {
        bstep_store_session s = full->session;
        s.energy_kcal = r.energy_kcal;
        s.energy_low_kcal = r.energy_low_kcal;
        s.energy_high_kcal = r.energy_high_kcal;
        s.energy_met_mean = r.met_mean;
        rc = bstep_store_session_update(st, &s);
    }
    free(bouts);
    free(tm);
    free(hr);
    bstep_store_free(belt);
    bstep_store_session_full_free(full);
    return rc;
}

int bstep_cmd_import(int argc, char **argv)
{
    const char *cmd = "import";
    const char *files[1024];
    size_t nfiles = 0, i, failed = 0;
    const char *db_url = NULL, *user_arg = NULL;
    char user_buf[128];
    int never_merge = 0, db_failed = 0, rc;
    bstep__activity_options aopt;
    bstep__opts o;
    bstep_store *st = NULL;
    bstep_store_user user;

    memset(&aopt, 0, sizeof(aopt));
    aopt.mass_kg = aopt.age_y = (double)NAN;
    aopt.sex = BSTEP_SEX_UNKNOWN;
    aopt.direction = BSTEP_DIRECTION_UNKNOWN;
    aopt.format = BSTEP_FORMAT_AUTO;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL) {
            if (nfiles == sizeof(files) / sizeof(files[0]))
                return bstep__usage_error(cmd, "too many files (at most 1024 per call)");
            files[nfiles++] = o.arg;
            continue;
        }
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        } else if (strcmp(o.name, "new") == 0) {
            never_merge = 1;
            continue;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "input-format") == 0) {
            if (bstep_format_parse(v, &aopt.format) != BSTEP_OK ||
                (aopt.format != BSTEP_FORMAT_AUTO && !bstep_format_is_activity(aopt.format)))
                return bstep__usage_error(cmd, "--input-format: expected auto, fit, tcx or ftms");
        } else if (strcmp(o.name, "direction") == 0) {
            if (bstep_direction_parse(v, &aopt.direction) != BSTEP_OK ||
                (aopt.direction != BSTEP_DIRECTION_FORWARD &&
                 aopt.direction != BSTEP_DIRECTION_BACKWARD))
                return bstep__usage_error(cmd, "--direction: expected forward or backward");
        } else if (strcmp(o.name, "db") == 0) {
            db_url = v;
        } else if (strcmp(o.name, "user") == 0) {
            if (v[0] == '\0' || strlen(v) >= BSTEP_STORE_NAME_MAX)
                return bstep__usage_error(cmd, "--user: 1 to %d characters",
                                          BSTEP_STORE_NAME_MAX - 1);
            user_arg = v;
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (nfiles == 0)
        return bstep__usage_error(cmd, "no file given");
    if (bstep__cli_store_open(cmd, db_url, &st) != BSTEP_OK)
        return BSTEP_EXIT_DB;
    rc = bstep_store_user_ensure(st, bstep__cli_user_name(user_arg, user_buf, sizeof(user_buf)),
                                 &user);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep import: %s\n", bstep_store_errmsg(st));
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    aopt.mass_kg = user.mass_kg;
    aopt.age_y = user.age_y;
    aopt.sex = user.sex;
    for (i = 0; i < nfiles; i++) {
        bstep__activity_analysis a;
        bstep_store_session s;
        char err[1400] = "", day[17];
        double overlap = 0.0;
        int match = 0, existed = 0;
        rc = bstep__analyze_activity(files[i], &aopt, &a, err, sizeof(err));
        memset(&s, 0, sizeof(s));
        if (rc != BSTEP_OK) {
            fprintf(stderr, "backstep import: %s\n", err[0] ? err : bstep_strerror(rc));
            failed++;
            bstep__activity_analysis_free(&a);
            continue;
        }
        if (!never_merge) {
            match =
                find_match(st, user.id, a.rec[0].t_us, a.rec[a.n_rec - 1].t_us + 1, &s, &overlap);
            if (match < 0) {
                fprintf(stderr, "backstep import: %s: %s\n", files[i], bstep_store_errmsg(st));
                db_failed++;
                bstep__activity_analysis_free(&a);
                continue;
            }
        }
        if (match == 1) {
            /* only the records inside the session's span are merged into it */
            bstep_store_series_point *pts = bstep__store_series_of_activity(&a);
            const int64_t end = s.start_us + (int64_t)llround(s.duration_s * 1e6);
            size_t k = 0, j;
            for (j = 0; pts != NULL && j < a.n_rec; j++)
                if (pts[j].t_us >= s.start_us && pts[j].t_us <= end)
                    pts[k++] = pts[j];
            rc = pts == NULL
                     ? BSTEP_ENOMEM
                     : bstep_store_series_set(st, s.id, bstep_format_name(a.format), pts, k);
            free(pts);
            if (rc == BSTEP_OK)
                rc = update_energy(st, s.id, &user);
            if (rc != BSTEP_OK) {
                fprintf(stderr, "backstep import: %s: not merged: %s\n", files[i],
                        bstep_store_errmsg(st));
                db_failed++;
            } else {
                bstep__cli_local_time(s.start_us, day);
                printf("%s: merged the records of %.0f s (%s) into session %lld (%s, %s)\n",
                       files[i], overlap, bstep_format_name(a.format), (long long)s.id, day,
                       bstep_format_name(s.format));
            }
        } else {
            /* a session of its own: the one conversion (session_save.h), the plan decided */
            bstep__session_in in;
            bstep__session_out out;
            bstep__session_in_init(&in, user.id);
            in.path = files[i];
            in.start_us = a.n_rec ? a.rec[0].t_us : a.info.start_us;
            in.start_source = BSTEP_START_IMPORTED;
            rc = bstep__session_save_activity(st, &a, &in, &out, err, sizeof(err));
            s = out.s;
            existed = out.existed;
            if (rc == BSTEP_OK && out.plan_status != BSTEP_OK && out.plan_status != BSTEP_ENOTFOUND)
                fprintf(stderr, "backstep import: plan: %s\n", out.plan_err);
            if (rc != BSTEP_OK) {
                fprintf(stderr, "backstep import: %s\n", err);
                db_failed++;
            } else {
                bstep__cli_local_time(s.start_us, day);
                printf("%s: %s session %lld (%s, %zu records)\n", files[i],
                       existed ? "already stored as" : "stored as new", (long long)s.id, day,
                       a.n_rec);
            }
        }
        bstep__activity_analysis_free(&a);
    }
    bstep_store_close(st);
    fflush(stdout);
    if (db_failed)
        return BSTEP_EXIT_DB;
    return failed ? BSTEP_EXIT_INPUT : BSTEP_EXIT_OK;
}
