/* backstep analyze: analyse recordings and print the session report (text or JSON). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "activity_cli.h"
#include "backstep/coach.h"
#include "backstep/io.h"
#include "backstep/status.h"
#include "cli.h"
#include "report/activity_report.h"
#include "report/plan_report.h"
#include "report/report.h"
#include "store/coach_store.h"
#include "store/session_save.h"
#include "store_cli.h"

static void help(void)
{
    printf(
        "Usage: backstep analyze FILE... [OPTIONS]\n\n"
        "Analyse motion-sensor recordings: walking bouts, steps (initial and final contacts),\n"
        "cadence, stride-time variability and left/right step-time symmetry, plus a data-quality\n"
        "report; the session's technique scores, the real-time cues a console would have given\n"
        "and the three things to work on next time (docs/coach.md). FILE may be '-' for\n"
        "standard input (canonical CSV or Xsens text).\n"
        "Activity files (FIT, TCX, FTMS treadmill logs) give a session from speed, distance,\n"
        "incline and heart rate; what only a motion sensor measures is null.\n\n"
        "Options:\n"
        "  --placement P      foot-left | foot-right | foot | lower-back | pocket | auto\n"
        "                     (default auto: foot or lower back, guessed from the first 60 s)\n"
        "  --input-format F   auto | csv | sensorlogger | phyphox | xsens | fit | tcx | ftms\n"
        "                     (default auto: detected from the content)\n"
        "  --format F         text | json (default text). JSON follows schema\n"
        "                     backstep.analysis/1 (docs/json-schema.md); several files give an "
        "array\n"
        "  --toe-axis A       foot mounting: where the toes point in the sensor frame,\n"
        "                     +x|-x|+y|-y|+z|-z|auto (default auto)\n"
        "  --front-axis A     trunk/pocket mounting: where the chest points (default auto:\n"
        "                     learned from the first bout of 8 steps, which must be forward)\n"
        "  --accel-range G    the foot sensor's accelerometer full scale in g, 2..400, or none\n"
        "                     (it does not clip); readings from 95 %% of it are clipped impacts\n"
        "                     whose lost braking the stride integration restores (default 16)\n"
        "  --height-m H       body height, 0.8..2.5 m: a lower-back sensor sits at 0.53 x H\n"
        "                     (the pendulum length of the step-length model; default 1.75 m)\n"
        "  --step-scale X     the walker's step-length calibration factor, 0.3..3 (default 1)\n"
        "  --walked-m D       the recording is a walk of known distance D m (e.g. 10 m or a\n"
        "                     treadmill's reading): report the --step-scale that makes the\n"
        "                     measured distance D\n"
        "  --mass-kg KG       body mass for the energy estimate, 20..300 (default: 70 kg is\n"
        "                     assumed and the report says so)\n"
        "  --level N          the plan level walked (1..5, docs/coach.md): its top speed\n"
        "                     drives the cue \"slow down\" and the advice to slow down\n"
        "  --speed-max MPS    top speed for \"slow down\" instead of the level's, 0.05..10\n"
        "  --planned-minutes M  planned backward minutes: a shorter session is advice\n"
        "                     (with an active plan, `backstep plan`, its level and minutes are\n"
        "                     used unless these are given; the plan then decides after each\n"
        "                     stored session and the report says why)\n"
        "  --pain N           check-in with the session: pain 0..10\n"
        "  --wellbeing N      check-in: wellbeing 0..10\n"
        "  --stumbled yes|no  check-in: did you stumble or lose your balance? (a lower-back\n"
        "                     or pocket sensor detects stumbles; a shoe sensor cannot, so\n"
        "                     after a shoe-sensor session the plan needs this answer)\n"
        "  --age Y            age in years, 5..110: with --sex, the energy from the heart rate\n"
        "                     (Keytel 2005) when the recording has one (activity files, or a\n"
        "                     CSV column 'hr (bpm)'); default: the walker's stored age\n"
        "  --sex F|M          sex, for the same estimate (default: stored)\n"
        "  --direction D      forward | backward: how an activity file's walk was done (energy;\n"
        "                     default: what the file notes, else unknown)\n");
    printf(
        "  --no-store         do not store the sessions in the history database\n"
        "  --db URL           history database: a file path, sqlite:PATH or postgresql://...\n"
        "                     (default $BACKSTEP_DB, else $XDG_DATA_HOME/backstep/backstep.db,\n"
        "                     else ~/.local/share/backstep/backstep.db; docs/store.md)\n"
        "  --user NAME        whose session it is (default $BACKSTEP_USER, else the login\n"
        "                     name); created on first use. Their stored body mass is used for\n"
        "                     the energy estimate when --mass-kg is not given\n"
        "  --start TIME       when the session started: YYYY-MM-DD[THH:MM[:SS]][Z] or @EPOCH_S\n"
        "                     (default: the recording's own clock when it is absolute, else the\n"
        "                     file's modification time minus the duration); applies to every FILE\n"
        "  --progress         show progress on standard error (default: when it is a terminal)\n"
        "  --help             this text\n\n"
        "Each session is stored in the history (backstep history, backstep report) unless\n"
        "--no-store is given; a file analysed again is recognised by its SHA-256 checksum and\n"
        "not stored twice. Standard input is never stored.\n\n"
        "Exit status: 0 all files analysed, 2 usage error, 3 a file could not be read,\n"
        "4 a session could not be stored (database error, or busy: retry).\n");
}

/* The active plan's level and minutes as the analysis context (cues, advice), unless given. */
static void plan_context(bstep_store *st, int64_t user_id, bstep__analysis_options *opt,
                         int speed_given, int minutes_given)
{
    double v, planned_s;
    if (bstep__plan_context(st, user_id, &v, &planned_s) != BSTEP_OK)
        return;
    if (!speed_given)
        opt->speed_max_mps = v;
    if (!minutes_given)
        opt->planned_backward_s = planned_s;
}

/* Store the session (src/store/session_save.h: the one conversion analyze, batch and serve
 * share: the session, its check-in, the plan decided again) and say what happened in note. */
static void store_session(bstep_store *st, const bstep_store_user *user, const bstep__analysis *a,
                          const bstep__activity_analysis *aa, const bstep__session_in *in,
                          bstep__session_out *out, char *note, size_t cap, int *db_failed)
{
    char err[1100] = "", day[17];
    int rc = a != NULL ? bstep__session_save(st, a, in, out, err, sizeof(err))
                       : bstep__session_save_activity(st, aa, in, out, err, sizeof(err));
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep analyze: %s\n", err);
        ++*db_failed;
        return;
    }
    bstep__cli_local_time(out->s.start_us, day);
    if (out->existed)
        snprintf(note, cap,
                 "already stored as session %lld (%s, same SHA-256 %.12s...); not "
                 "stored again",
                 (long long)out->s.id, day, out->s.sha256_hex);
    else
        snprintf(note, cap, "stored as session %lld of %s (%s) in %s", (long long)out->s.id,
                 user->name, day, bstep_store_location(st));
    if (out->checkin_failed) {
        fprintf(stderr, "backstep analyze: %s\n", err);
        ++*db_failed;
    }
    if (out->plan_status != BSTEP_OK && out->plan_status != BSTEP_ENOTFOUND)
        fprintf(stderr, "backstep analyze: plan: %s\n", out->plan_err);
}

/* The plan's decision of the session, after its report. */
static void print_decision(const bstep__session_out *out, int json, const char *file)
{
    if (!out->plan_decided)
        return;
    if (json) {
        char sum[256];
        bstep__decision_summary(&out->decision, sum, sizeof(sum));
        fprintf(stderr, "backstep analyze: %s: plan: %s\n", file, sum);
    } else {
        printf("\n  Plan (backstep plan show has the details)\n");
        bstep__decision_text(stdout, &out->decision, "    ");
    }
}

int bstep_cmd_analyze(int argc, char **argv)
{
    const char *cmd = "analyze";
    bstep__analysis_options opt;
    bstep__activity_options aopt;
    bstep__opts o;
    const char *files[1024];
    size_t nfiles = 0, i, failed = 0, printed = 0;
    int json = 0, progress = isatty(2), store = 1, mass_given = 0, db_failed = 0, speed_given = 0;
    int minutes_given = 0;
    int ck_pain = -1, ck_well = -1, ck_stumbled = BSTEP_STORE_STUMBLED_UNKNOWN;
    const char *db_url = NULL, *user_arg = NULL;
    char user_buf[128];
    int64_t start_us = INT64_MIN;
    double walked_m = (double)NAN;
    bstep_store *st = NULL;
    bstep_store_user user;
    bstep__session_in in;

    memset(&opt, 0, sizeof(opt));
    opt.placement = BSTEP_PLACEMENT_AUTO;
    opt.mass_kg = (double)NAN;
    opt.speed_max_mps = (double)NAN;
    opt.age_y = (double)NAN;
    opt.sex = BSTEP_SEX_UNKNOWN;
    opt.planned_backward_s = (double)NAN;
    opt.sensor_height_m = (double)NAN;
    opt.step_scale = (double)NAN;
    opt.format = BSTEP_FORMAT_AUTO;
    memset(&aopt, 0, sizeof(aopt));
    aopt.age_y = (double)NAN;
    aopt.sex = BSTEP_SEX_UNKNOWN;
    aopt.direction = BSTEP_DIRECTION_UNKNOWN;
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
        } else if (strcmp(o.name, "no-store") == 0) {
            store = 0;
            continue;
        } else if (strcmp(o.name, "progress") == 0) {
            progress = 1;
            continue;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "placement") == 0) {
            if (bstep_placement_parse(v, &opt.placement) != BSTEP_OK)
                return bstep__usage_error(cmd, "--placement: unknown placement '%s'", v);
        } else if (strcmp(o.name, "input-format") == 0) {
            if (bstep_format_parse(v, &opt.format) != BSTEP_OK)
                return bstep__usage_error(cmd, "--input-format: unknown format '%s'", v);
        } else if (strcmp(o.name, "format") == 0) {
            if (strcmp(v, "json") == 0)
                json = 1;
            else if (strcmp(v, "text") == 0)
                json = 0;
            else
                return bstep__usage_error(cmd, "--format: expected text or json, not '%s'", v);
        } else if (strcmp(o.name, "mass-kg") == 0) {
            if (bstep__parse_double(cmd, o.name, v, 20.0, 300.0, &opt.mass_kg) != 0)
                return BSTEP_EXIT_USAGE;
            mass_given = 1;
        } else if (strcmp(o.name, "age") == 0) {
            if (bstep__parse_double(cmd, o.name, v, 5.0, 110.0, &aopt.age_y) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "sex") == 0) {
            if (bstep_sex_parse(v, &aopt.sex) != BSTEP_OK)
                return bstep__usage_error(cmd, "--sex: expected F or M, not '%s'", v);
        } else if (strcmp(o.name, "direction") == 0) {
            if (bstep_direction_parse(v, &aopt.direction) != BSTEP_OK ||
                (aopt.direction != BSTEP_DIRECTION_FORWARD &&
                 aopt.direction != BSTEP_DIRECTION_BACKWARD))
                return bstep__usage_error(cmd, "--direction: expected forward or backward");
        } else if (strcmp(o.name, "level") == 0) {
            double lv;
            if (bstep__parse_double(cmd, o.name, v, 1.0, (double)BSTEP_LEVEL_COUNT, &lv) != 0)
                return BSTEP_EXIT_USAGE;
            if (lv != floor(lv))
                return bstep__usage_error(cmd, "--level: expected a whole number 1..%d",
                                          BSTEP_LEVEL_COUNT);
            if (!speed_given)
                opt.speed_max_mps = bstep_level_get((int)lv)->speed_max_mps;
        } else if (strcmp(o.name, "speed-max") == 0) {
            if (bstep__parse_double(cmd, o.name, v, 0.05, 10.0, &opt.speed_max_mps) != 0)
                return BSTEP_EXIT_USAGE;
            speed_given = 1;
        } else if (strcmp(o.name, "planned-minutes") == 0) {
            double m;
            if (bstep__parse_double(cmd, o.name, v, 0.5, 600.0, &m) != 0)
                return BSTEP_EXIT_USAGE;
            opt.planned_backward_s = 60.0 * m;
            minutes_given = 1;
        } else if (strcmp(o.name, "pain") == 0 || strcmp(o.name, "wellbeing") == 0) {
            double d;
            if (bstep__parse_double(cmd, o.name, v, 0.0, 10.0, &d) != 0)
                return BSTEP_EXIT_USAGE;
            if (d != floor(d))
                return bstep__usage_error(cmd, "--%s: a whole number 0..10, not '%s'", o.name, v);
            if (o.name[0] == 'p')
                ck_pain = (int)d;
            else
                ck_well = (int)d;
        } else if (strcmp(o.name, "stumbled") == 0) {
            if (strcmp(v, "yes") == 0)
                ck_stumbled = BSTEP_STORE_STUMBLED_YES;
            else if (strcmp(v, "no") == 0)
                ck_stumbled = BSTEP_STORE_STUMBLED_NO;
            else
                return bstep__usage_error(cmd, "--stumbled: expected yes or no, not '%s'", v);
        } else if (strcmp(o.name, "toe-axis") == 0) {
            if (bstep_axis_parse(v, &opt.toe_axis) != BSTEP_OK)
                return bstep__usage_error(cmd, "--toe-axis: expected +x|-x|+y|-y|+z|-z|auto");
        } else if (strcmp(o.name, "height-m") == 0) {
            double h;
            if (bstep__parse_double(cmd, o.name, v, 0.8, 2.5, &h) != 0)
                return BSTEP_EXIT_USAGE;
            opt.sensor_height_m = 0.53 * h;
        } else if (strcmp(o.name, "accel-range") == 0) {
            if (bstep__parse_accel_range(cmd, v, &opt.accel_range_mps2) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "step-scale") == 0) {
            if (bstep__parse_double(cmd, o.name, v, 0.3, 3.0, &opt.step_scale) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "walked-m") == 0) {
            if (bstep__parse_double(cmd, o.name, v, 1.0, 1e6, &walked_m) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "front-axis") == 0) {
            if (bstep_axis_parse(v, &opt.front_axis) != BSTEP_OK)
                return bstep__usage_error(cmd, "--front-axis: expected +x|-x|+y|-y|+z|-z|auto");
        } else if (strcmp(o.name, "db") == 0) {
            db_url = v;
        } else if (strcmp(o.name, "user") == 0) {
            if (v[0] == '\0' || strlen(v) >= BSTEP_STORE_NAME_MAX)
                return bstep__usage_error(cmd, "--user: 1 to %d characters",
                                          BSTEP_STORE_NAME_MAX - 1);
            user_arg = v;
        } else if (strcmp(o.name, "start") == 0) {
            if (bstep__cli_parse_time(v, &start_us) != 0)
                return bstep__usage_error(cmd,
                                          "--start: expected YYYY-MM-DD[THH:MM[:SS]][Z] or "
                                          "@EPOCH_SECONDS, not '%s'",
                                          v);
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (nfiles == 0)
        return bstep__usage_error(cmd, "no recording given");
    opt.progress = progress;
    if (store) {
        int rc;
        if (bstep__cli_store_open(cmd, db_url, &st) != BSTEP_OK)
            return BSTEP_EXIT_DB;
        rc = bstep_store_user_ensure(st, bstep__cli_user_name(user_arg, user_buf, sizeof(user_buf)),
                                     &user);
        if (rc != BSTEP_OK) {
            fprintf(stderr, "backstep analyze: %s\n", bstep_store_errmsg(st));
            bstep_store_close(st);
            return BSTEP_EXIT_DB;
        }
        if (!mass_given && isfinite(user.mass_kg))
            opt.mass_kg = user.mass_kg;
        plan_context(st, user.id, &opt, speed_given, minutes_given);
    } else if (ck_pain >= 0 || ck_well >= 0 || ck_stumbled != BSTEP_STORE_STUMBLED_UNKNOWN) {
        return bstep__usage_error(cmd, "--pain, --wellbeing and --stumbled are stored with the "
                                       "session: not with --no-store");
    }
    if (json && nfiles > 1)
        printf("[\n");
    aopt.mass_kg = opt.mass_kg;
    aopt.format = opt.format;
    if (st != NULL && !isfinite(aopt.age_y) && isfinite(user.age_y))
        aopt.age_y = user.age_y; /* the walker's stored age and sex, unless given */
    if (st != NULL && aopt.sex == BSTEP_SEX_UNKNOWN)
        aopt.sex = user.sex;
    opt.age_y = aopt.age_y;
    opt.sex = aopt.sex;
    /* how every session of this call is stored: the user's, with the check-in told, the plan
     * decided after each one */
    bstep__session_in_init(&in, st != NULL ? user.id : 0);
    in.start_us = start_us;
    in.pain_0_10 = ck_pain;
    in.wellbeing_0_10 = ck_well;
    in.stumbled = ck_stumbled;
    for (i = 0; i < nfiles; i++) {
        bstep__analysis a;
        char err[1024] = "";
        int rc;
        if (bstep__is_activity_file(files[i], opt.format)) {
            bstep__activity_analysis aa;
            rc = bstep__analyze_activity(files[i], &aopt, &aa, err, sizeof(err));
            if (rc != BSTEP_OK) {
                fprintf(stderr, "backstep analyze: %s\n", err[0] ? err : bstep_strerror(rc));
                failed++;
            } else {
                char note[1400] = "";
                bstep__session_out out;
                memset(&out, 0, sizeof(out));
                if (st != NULL && strcmp(files[i], "-") != 0) {
                    in.path = files[i];
                    store_session(st, &user, NULL, &aa, &in, &out, note, sizeof(note), &db_failed);
                }
                if (printed++ > 0)
                    printf(json ? ",\n" : "\n");
                if (json)
                    bstep__activity_report_json(stdout, &aa);
                else
                    bstep__activity_report_text(stdout, &aa);
                if (note[0] && json)
                    fprintf(stderr, "backstep analyze: %s: %s\n", files[i], note);
                else if (note[0])
                    printf("\n  History     %s\n", note);
                print_decision(&out, json, files[i]);
            }
            bstep__activity_analysis_free(&aa);
            continue;
        }
        rc = bstep__analyze_file(files[i], &opt, &a, err, sizeof(err));
        if (rc != BSTEP_OK) {
            fprintf(stderr, "backstep analyze: %s\n", err[0] ? err : bstep_strerror(rc));
            failed++;
        } else {
            char note[1400] = "";
            bstep__session_out out;
            memset(&out, 0, sizeof(out));
            if (st != NULL && strcmp(files[i], "-") == 0) {
                snprintf(note, sizeof(note),
                         "standard input is not stored (no file to recognise it by)");
            } else if (st != NULL) {
                in.path = files[i];
                in.toe_axis = opt.toe_axis;
                in.front_axis = opt.front_axis;
                store_session(st, &user, &a, NULL, &in, &out, note, sizeof(note), &db_failed);
            }
            if (json) {
                if (printed++ > 0)
                    printf(",\n");
                bstep__report_json(stdout, &a);
                if (note[0])
                    fprintf(stderr, "backstep analyze: %s: %s\n", files[i], note);
            } else {
                if (printed++ > 0)
                    printf("\n");
                bstep__report_text(stdout, &a);
                if (note[0])
                    printf("\n  History     %s\n", note);
            }
            print_decision(&out, json, files[i]);
            if (isfinite(walked_m)) {
                /* per-user calibration: the factor that makes the measured distance right */
                const double cur = isfinite(opt.step_scale) ? opt.step_scale : 1.0;
                FILE *cal = json ? stderr : stdout;
                if (isfinite(a.summary.distance_m) && a.summary.distance_m > 0.0)
                    fprintf(cal,
                            "%s  Calibration measured %.2f m for the %.2f m walked: use "
                            "--step-scale %.3f\n",
                            json ? "backstep analyze: " : "\n", a.summary.distance_m, walked_m,
                            cur * walked_m / a.summary.distance_m);
                else
                    fprintf(cal, "%s  Calibration no distance was measured (too few steps)\n",
                            json ? "backstep analyze: " : "\n");
            }
        }
        bstep__analysis_free(&a);
    }
    if (json && nfiles > 1)
        printf("]\n");
    fflush(stdout);
    bstep_store_close(st);
    if (failed)
        return BSTEP_EXIT_INPUT;
    return db_failed ? BSTEP_EXIT_DB : BSTEP_EXIT_OK;
}
