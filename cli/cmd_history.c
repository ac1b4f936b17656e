/* backstep history: the stored sessions, filtered by date and direction, as text or JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/types.h"
#include "cli.h"
#include "internal/jsonw.h"
#include "store/store_internal.h"
#include "store_cli.h"

static void help(void)
{
    printf("Usage: backstep history [OPTIONS]\n\n"
           "List the sessions stored by `backstep analyze` and `backstep batch`, oldest first.\n\n"
           "Options:\n"
           "  --from DATE        sessions starting on or after DATE (YYYY-MM-DD, local time, or\n"
           "                     YYYY-MM-DDTHH:MM[:SS][Z])\n"
           "  --to DATE          sessions starting on or before DATE (a date includes that day)\n"
           "  --direction D      forward | backward | sideways: only sessions with steps in that\n"
           "                     direction\n"
           "  --last N           only the N most recent of them\n"
           "  --user NAME        whose sessions (default $BACKSTEP_USER, else the login name)\n"
           "  --all-users        every user's sessions (a clinic's or an admin's view)\n"
           "  --format F         text | json (default text; JSON schema backstep.history/1,\n"
           "                     docs/json-schema.md)\n"
           "  --db URL           history database (default: see backstep analyze --help)\n"
           "  --help             this text\n\n"
           "Exit status: 0 listed (also when nothing matches), 2 usage error, 4 database error.\n");
}

static void num(bstep__jsonw *w, const char *key, double v, int decimals)
{
    bstep__jsonw_key(w, key);
    bstep__jsonw_number(w, v, decimals);
}

static void count(bstep__jsonw *w, const char *key, int64_t v)
{
    bstep__jsonw_key(w, key);
    if (v < 0)
        bstep__jsonw_null(w);
    else
        bstep__jsonw_int(w, v);
}

static const char *start_name(bstep_start_source s)
{
    switch (s) {
    case BSTEP_START_FILE_TIME:
        return "file-time";
    case BSTEP_START_GIVEN:
        return "given";
    case BSTEP_START_IMPORTED:
        return "imported";
    default:
        return "recording";
    }
}

static void json_session(bstep__jsonw *w, const bstep_store_session *s, const char *user)
{
    char t[17];
    bstep__jsonw_object_begin(w);
    bstep__jsonw_key(w, "id");
    bstep__jsonw_int(w, s->id);
    bstep__jsonw_key(w, "user");
    bstep__jsonw_string(w, user);
    bstep__jsonw_key(w, "start");
    bstep__cli_local_time(s->start_us, t);
    bstep__jsonw_string(w, t);
    bstep__jsonw_key(w, "start_us");
    bstep__jsonw_int(w, s->start_us);
    bstep__jsonw_key(w, "start_source");
    bstep__jsonw_string(w, start_name(s->start_source));
    bstep__jsonw_key(w, "source_path");
    bstep__jsonw_string(w, s->source_path);
    bstep__jsonw_key(w, "sha256");
    if (s->sha256_hex[0])
        bstep__jsonw_string(w, s->sha256_hex);
    else
        bstep__jsonw_null(w);
    bstep__jsonw_key(w, "format");
    bstep__jsonw_string(w, bstep_format_name(s->format));
    bstep__jsonw_key(w, "placement");
    bstep__jsonw_string(w, bstep_placement_name(s->placement));
    num(w, "duration_s", s->duration_s, 2);
    count(w, "steps", s->steps);
    count(w, "steps_forward", s->steps_forward);
    count(w, "steps_backward", s->steps_backward);
    count(w, "steps_sideways", s->steps_sideways);
    count(w, "bouts", s->bouts);
    num(w, "walking_time_s", s->walking_time_s, 2);
    num(w, "backward_time_s", s->backward_time_s, 2);
    num(w, "cadence_spm", s->cadence_spm, 1);
    num(w, "distance_m", s->distance_m, 2);
    num(w, "distance_backward_m", s->distance_backward_m, 2);
    num(w, "speed_mps", s->speed_mps, 3);
    num(w, "energy_kcal", s->energy_kcal, 1);
    num(w, "toe_first_ratio", s->toe_first_ratio, 3);
    num(w, "heel_first_ratio", s->heel_first_ratio, 3);
    num(w, "stride_time_cv_pct", s->stride_time_cv_pct, 2);
    num(w, "step_time_asymmetry_pct", s->step_time_asymmetry_pct, 2);
    num(w, "treadmill_speed_mps", s->treadmill_speed_mps, 3);
    num(w, "treadmill_incline_pct", s->treadmill_incline_pct, 1);
    num(w, "hr_mean_bpm", s->hr_mean_bpm, 1);
    count(w, "stumbles", s->stumbles);
    count(w, "falls", s->falls);
    bstep__jsonw_object_end(w);
}

static void cell(char *buf, size_t cap, double v, int decimals, double scale)
{
    if (isfinite(v))
        snprintf(buf, cap, "%.*f", decimals, v * scale);
    else
        snprintf(buf, cap, "-");
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void text_sessions(const bstep_store_session *list, size_t n, const char *who)
{
    size_t i;
    double walk_s = 0.0, back_s = 0.0, dist = 0.0;
    int64_t steps = 0;
    if (n == 0) {
        printf("No stored sessions%s%s match.\n", who ? " of " : "", who ? who : "");
        return;
    }
    printf("%5s  %-16s  %7s  %6s  %7s  %7s  %7s  %5s  %5s  %4s  %5s  %s\n", "id", "start",
           "walking", "steps", "back", "dist", "speed", "cad", "toe1st", "cv", "kcal", "source");
    printf("%5s  %-16s  %7s  %6s  %7s  %7s  %7s  %5s  %5s  %4s  %5s\n", "", "", "min", "", "min",
           "m", "m/s", "spm", "%", "%", "");
    for (i = 0; i < n; i++) {
        const bstep_store_session *s = &list[i];
        char t[17], w[32], st[32], b[32], d[32], v[32], c[32], tf[32], cv[32], e[32];
        bstep__cli_local_time(s->start_us, t);
        cell(w, sizeof(w), s->walking_time_s, 1, 1.0 / 60.0);
        if (s->steps >= 0)
            snprintf(st, sizeof(st), "%lld", (long long)s->steps);
        else
            snprintf(st, sizeof(st), "-");
        cell(b, sizeof(b), s->backward_time_s, 1, 1.0 / 60.0);
        cell(d, sizeof(d), s->distance_m, 0, 1.0);
        cell(v, sizeof(v), s->speed_mps, 2, 1.0);
        cell(c, sizeof(c), s->cadence_spm, 0, 1.0);
        cell(tf, sizeof(tf), s->toe_first_ratio, 0, 100.0);
        cell(cv, sizeof(cv), s->stride_time_cv_pct, 1, 1.0);
        cell(e, sizeof(e), s->energy_kcal, 0, 1.0);
        printf("%5lld  %-16s  %7s  %6s  %7s  %7s  %7s  %5s  %5s  %4s  %5s  %s%s\n",
               (long long)s->id, t, w, st, b, d, v, c, tf, cv, e, base_name(s->source_path),
               s->start_source == BSTEP_START_FILE_TIME ? " (start from file time)" : "");
        if (isfinite(s->walking_time_s))
            walk_s += s->walking_time_s;
        if (isfinite(s->backward_time_s))
            back_s += s->backward_time_s;
        if (isfinite(s->distance_m))
            dist += s->distance_m;
        if (s->steps > 0)
            steps += s->steps;
    }
    printf("\n%zu session%s: %.1f min walking, %.1f min backward, %lld steps, %.0f m\n", n,
           n == 1 ? "" : "s", walk_s / 60.0, back_s / 60.0, (long long)steps, dist);
}

int bstep_cmd_history(int argc, char **argv)
{
    const char *cmd = "history";
    bstep__opts o;
    bstep_store_filter f;
    bstep_store *st = NULL;
    bstep_store_session *list = NULL;
    bstep_store_user user;
    const char *db_url = NULL, *user_arg = NULL;
    size_t n = 0, last = 0, i, first;
    int json = 0, all = 0, rc;

    bstep_store_filter_init(&f);
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL)
            return bstep__usage_error(cmd, "unexpected argument '%s'", o.arg);
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        }
        if (strcmp(o.name, "all-users") == 0) {
            all = 1;
            continue;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "from") == 0) {
            if (bstep__cli_parse_bound(v, 0, &f.from_us) != 0)
                return bstep__usage_error(cmd, "--from: expected YYYY-MM-DD, not '%s'", v);
        } else if (strcmp(o.name, "to") == 0) {
            if (bstep__cli_parse_bound(v, 1, &f.to_us) != 0)
                return bstep__usage_error(cmd, "--to: expected YYYY-MM-DD, not '%s'", v);
        } else if (strcmp(o.name, "direction") == 0) {
            if (strcmp(v, "forward") == 0)
                f.direction = BSTEP_DIRECTION_FORWARD;
            else if (strcmp(v, "backward") == 0)
                f.direction = BSTEP_DIRECTION_BACKWARD;
            else if (strcmp(v, "sideways") == 0)
                f.direction = BSTEP_DIRECTION_SIDEWAYS_LEFT;
            else
                return bstep__usage_error(cmd, "--direction: forward, backward or sideways");
        } else if (strcmp(o.name, "last") == 0) {
            double d;
            if (bstep__parse_double(cmd, o.name, v, 1, 1e9, &d) != 0)
                return BSTEP_EXIT_USAGE;
            last = (size_t)d;
        } else if (strcmp(o.name, "format") == 0) {
            if (strcmp(v, "json") == 0)
                json = 1;
            else if (strcmp(v, "text") == 0)
                json = 0;
            else
                return bstep__usage_error(cmd, "--format: text or json, not '%s'", v);
        } else if (strcmp(o.name, "user") == 0) {
            user_arg = v;
        } else if (strcmp(o.name, "db") == 0) {
            db_url = v;
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (all && user_arg != NULL)
        return bstep__usage_error(cmd, "--user and --all-users exclude each other");
    if (f.to_us <= f.from_us)
        return bstep__usage_error(cmd, "--to is before --from");
    if (bstep__cli_store_open(cmd, db_url, &st) != BSTEP_OK)
        return BSTEP_EXIT_DB;
    memset(&user, 0, sizeof(user));
    if (!all) {
        if (bstep__cli_find_user(st, cmd, user_arg, &user) < 0) {
            bstep_store_close(st);
            return BSTEP_EXIT_DB;
        }
        f.user_id = user.id;
    }
    rc = f.user_id < 0 ? BSTEP_OK : bstep_store_session_list(st, &f, &list, &n);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep %s: %s\n", cmd, bstep_store_errmsg(st));
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    first = last > 0 && n > last ? n - last : 0;
    if (json) {
        bstep__jsonw w;
        bstep__jsonw_init(&w, stdout, 2);
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "schema");
        bstep__jsonw_string(&w, "backstep.history/1");
        bstep__jsonw_key(&w, "database");
        bstep__jsonw_string(&w, bstep_store_location(st));
        bstep__jsonw_key(&w, "user");
        if (all)
            bstep__jsonw_null(&w);
        else
            bstep__jsonw_string(&w, user.name);
        bstep__jsonw_key(&w, "sessions");
        bstep__jsonw_array_begin(&w);
        for (i = first; i < n; i++) {
            bstep_store_user u;
            const char *uname = user.name;
            if (all)
                uname = bstep_store_user_get(st, list[i].user_id, &u) == BSTEP_OK ? u.name : "";
            json_session(&w, &list[i], uname);
        }
        bstep__jsonw_array_end(&w);
        bstep__jsonw_object_end(&w);
        printf("\n");
    } else {
        text_sessions(list + first, n - first, all ? NULL : user.name);
    }
    bstep_store_free(list);
    bstep_store_close(st);
    return BSTEP_EXIT_OK;
}
