/* backstep report: week, month and year totals and progress trends, as text, JSON or HTML. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report/progress.h"
#include "store/store_internal.h"
#include "store_cli.h"

static void help(void)
{
    printf("Usage: backstep report [OPTIONS]\n\n"
           "Progress over weeks from the stored sessions and check-ins: totals per week, month or\n"
           "year (sessions, walking and backward minutes, steps, distance, energy) and the trends\n"
           "of backward minutes per week, walking speed, cadence, toes-first landings, stride-\n"
           "time variability and pain. A trend is named (improving / worsening) only when its\n"
           "least-squares slope is more than two standard errors from zero.\n\n"
           "Options:\n"
           "  --period P         week | month | year (default week; weeks are ISO 8601 weeks,\n"
           "                     Monday to Sunday, in local time)\n"
           "  --from DATE        from this date on (YYYY-MM-DD, local time)\n"
           "  --to DATE          up to and including this date\n"
           "  --format F         text | json | html (default text). JSON: schema\n"
           "                     backstep.report/1; HTML: a self-contained page with SVG charts\n"
           "  --out FILE         write the report to FILE instead of standard output\n"
           "  --user NAME        whose progress (default $BACKSTEP_USER, else the login name)\n"
           "  --all-users        every user's sessions together\n"
           "  --db URL           history database (default: see backstep analyze --help)\n"
           "  --help             this text\n\n"
           "Exit status: 0 written, 2 usage error, 3 the output file cannot be written,\n"
           "4 database error.\n");
}

int bstep_cmd_report(int argc, char **argv)
{
    const char *cmd = "report";
    bstep__opts o;
    bstep_store_filter flt;
    bstep_store *st = NULL;
    bstep_store_session *sessions = NULL;
    bstep_store_checkin *checkins = NULL;
    bstep__period_row *rows = NULL;
    bstep__trend trends[BSTEP__N_TRENDS];
    bstep__progress_report r;
    bstep_store_user user;
    bstep__period period = BSTEP__PERIOD_WEEK;
    const char *db_url = NULL, *user_arg = NULL, *out_path = NULL;
    char from_date[11] = "", to_date[11] = "";
    size_t ns = 0, nc = 0, nr = 0;
    int format = 0, all = 0, rc, exit_code = BSTEP_EXIT_OK;
    FILE *out = stdout;

    bstep_store_filter_init(&flt);
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
        if (strcmp(o.name, "period") == 0) {
            if (bstep__period_parse(v, &period) != 0)
                return bstep__usage_error(cmd, "--period: week, month or year, not '%s'", v);
        } else if (strcmp(o.name, "from") == 0) {
            if (bstep__cli_parse_bound(v, 0, &flt.from_us) != 0)
                return bstep__usage_error(cmd, "--from: expected YYYY-MM-DD, not '%s'", v);
            bstep__store_local_date(flt.from_us, from_date);
        } else if (strcmp(o.name, "to") == 0) {
            if (bstep__cli_parse_bound(v, 1, &flt.to_us) != 0)
                return bstep__usage_error(cmd, "--to: expected YYYY-MM-DD, not '%s'", v);
            bstep__store_local_date(flt.to_us - 1, to_date);
        } else if (strcmp(o.name, "format") == 0) {
            if (strcmp(v, "text") == 0)
                format = 0;
            else if (strcmp(v, "json") == 0)
                format = 1;
            else if (strcmp(v, "html") == 0)
                format = 2;
            else
                return bstep__usage_error(cmd, "--format: text, json or html, not '%s'", v);
        } else if (strcmp(o.name, "out") == 0) {
            out_path = v;
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
    if (flt.to_us <= flt.from_us)
        return bstep__usage_error(cmd, "--to is before --from");
    if (bstep__cli_store_open(cmd, db_url, &st) != BSTEP_OK)
        return BSTEP_EXIT_DB;
    bstep_store_user_init(&user);
    if (!all && bstep__cli_find_user(st, cmd, user_arg, &user) < 0) {
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    flt.user_id = all ? 0 : user.id;
    rc = BSTEP_OK;
    if (flt.user_id >= 0)
        rc = bstep_store_session_list(st, &flt, &sessions, &ns);
    if (rc == BSTEP_OK && !all && user.id > 0)
        rc = bstep_store_checkin_list(st, user.id, from_date[0] ? from_date : NULL,
                                      to_date[0] ? to_date : NULL, &checkins, &nc);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep %s: %s\n", cmd, bstep_store_errmsg(st));
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    if (bstep__progress_periods(sessions, ns, checkins, nc, period, flt.from_us, flt.to_us, &rows,
                                &nr) != BSTEP_OK) {
        fprintf(stderr, "backstep %s: out of memory\n", cmd);
        exit_code = BSTEP_EXIT_INPUT;
        goto done;
    }
    bstep__progress_trends(sessions, ns, checkins, nc, trends);
    memset(&r, 0, sizeof(r));
    r.user = all ? NULL : user.name;
    r.database = bstep_store_location(st);
    r.period = period;
    r.from_us = flt.from_us;
    r.to_us = flt.to_us;
    r.rows = rows;
    r.n_rows = nr;
    r.trends = trends;
    r.sessions = sessions;
    r.n_sessions = ns;
    r.checkins = checkins;
    r.n_checkins = nc;
    if (out_path != NULL && (out = fopen(out_path, "w")) == NULL) {
        fprintf(stderr, "backstep report: %s: %s\n", out_path, strerror(errno));
        exit_code = BSTEP_EXIT_INPUT;
        goto done;
    }
    if (format == 0)
        bstep__progress_text(out, &r);
    else if (format == 1)
        bstep__progress_json(out, &r);
    else
        bstep__progress_html(out, &r);
    if (out != stdout) {
        const int bad = ferror(out); /* a write that failed before the last one */
        if (fclose(out) != 0 || bad) {
            fprintf(stderr, "backstep report: %s: write error: %s\n", out_path,
                    errno ? strerror(errno) : "the disk may be full");
            exit_code = BSTEP_EXIT_INPUT;
        } else if (format == 2) {
            fprintf(stderr, "backstep report: wrote %s\n", out_path);
        }
    } else {
        fflush(stdout);
    }
done:
    free(rows);
    bstep_store_free(sessions);
    bstep_store_free(checkins);
    bstep_store_close(st);
    return exit_code;
}
