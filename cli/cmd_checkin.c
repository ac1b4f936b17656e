/* backstep checkin: record how the walker feels (pain, wellbeing 0-10), or list the check-ins. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report/plan_report.h"
#include "store/coach_store.h"
#include "store/store_internal.h"
#include "store_cli.h"

static void help(void)
{
    printf("Usage: backstep checkin [--pain N] [--wellbeing N] [--stumbled yes|no] [OPTIONS]\n"
           "       backstep checkin --list [--from DATE] [--to DATE]\n\n"
           "Record a self-reported check-in: pain and wellbeing on a 0-10 scale (0 no pain / very\n"
           "poor, 10 worst pain / very good), for a date or a stored session. `backstep report`\n"
           "shows the pain trend. With an active plan (`backstep plan`) the plan is decided again\n"
           "with the answer and says what changed.\n\n"
           "Options:\n"
           "  --pain N           pain 0..10\n"
           "  --wellbeing N      wellbeing 0..10\n"
           "  --stumbled yes|no  did you stumble or lose your balance? A sensor at the lower\n"
           "                     back or in a pocket detects stumbles itself; a shoe sensor\n"
           "                     cannot, so after a shoe-sensor session the plan's stumble gate\n"
           "                     needs this answer. A \"yes\" moves the plan back a level, with\n"
           "                     or without --session (e.g. a walk without the sensor)\n"
           "  --session ID       the stored session it is about (backstep history shows ids);\n"
           "                     its date is used\n"
           "  --date DATE        the day it is about, YYYY-MM-DD (default today)\n"
           "  --note TEXT        a short note (up to 255 bytes)\n"
           "  --list             list the check-ins instead (with --from / --to)\n"
           "  --user NAME        whose check-in (default $BACKSTEP_USER, else the login name)\n"
           "  --db URL           history database (default: see backstep analyze --help)\n"
           "  --help             this text\n\n"
           "Exit status: 0 done, 2 usage error, 4 database error.\n");
}

static int score(const char *cmd, const char *name, const char *v, int *out)
{
    double d;
    if (bstep__parse_double(cmd, name, v, 0, 10, &d) != 0)
        return -1;
    if (d != (double)(int)d) {
        bstep__usage_error(cmd, "--%s: a whole number 0..10, not '%s'", name, v);
        return -1;
    }
    *out = (int)d;
    return 0;
}

int bstep_cmd_checkin(int argc, char **argv)
{
    const char *cmd = "checkin";
    bstep__opts o;
    bstep_store *st = NULL;
    bstep_store_user user;
    bstep_store_checkin c;
    const char *db_url = NULL, *user_arg = NULL, *from = NULL, *to = NULL;
    int list = 0, rc;
    char ubuf[128];

    memset(&c, 0, sizeof(c));
    c.pain_0_10 = c.wellbeing_0_10 = -1;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL)
            return bstep__usage_error(cmd, "unexpected argument '%s'", o.arg);
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        }
        if (strcmp(o.name, "list") == 0) {
            list = 1;
            continue;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "pain") == 0) {
            if (score(cmd, o.name, v, &c.pain_0_10) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "wellbeing") == 0) {
            if (score(cmd, o.name, v, &c.wellbeing_0_10) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "stumbled") == 0) {
            if (strcmp(v, "yes") == 0)
                c.stumbled = BSTEP_STORE_STUMBLED_YES;
            else if (strcmp(v, "no") == 0)
                c.stumbled = BSTEP_STORE_STUMBLED_NO;
            else
                return bstep__usage_error(cmd, "--stumbled: expected yes or no, not '%s'", v);
        } else if (strcmp(o.name, "session") == 0) {
            double d;
            if (bstep__parse_double(cmd, o.name, v, 1, 9e15, &d) != 0)
                return BSTEP_EXIT_USAGE;
            c.session_id = (int64_t)d;
        } else if (strcmp(o.name, "date") == 0) {
            if (!bstep__store_date_valid(v))
                return bstep__usage_error(cmd, "--date: expected YYYY-MM-DD, not '%s'", v);
            snprintf(c.date, sizeof(c.date), "%s", v);
        } else if (strcmp(o.name, "from") == 0 || strcmp(o.name, "to") == 0) {
            if (!bstep__store_date_valid(v))
                return bstep__usage_error(cmd, "--%s: expected YYYY-MM-DD, not '%s'", o.name, v);
            if (o.name[0] == 'f')
                from = v;
            else
                to = v;
        } else if (strcmp(o.name, "note") == 0) {
            if (strlen(v) >= sizeof(c.note))
                return bstep__usage_error(cmd, "--note: at most %zu bytes", sizeof(c.note) - 1);
            snprintf(c.note, sizeof(c.note), "%s", v);
        } else if (strcmp(o.name, "user") == 0) {
            user_arg = v;
        } else if (strcmp(o.name, "db") == 0) {
            db_url = v;
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (!list && c.pain_0_10 < 0 && c.wellbeing_0_10 < 0 &&
        c.stumbled == BSTEP_STORE_STUMBLED_UNKNOWN)
        return bstep__usage_error(cmd, "give --pain, --wellbeing and/or --stumbled (or --list)");
    if (c.session_id > 0 && c.date[0] != '\0')
        return bstep__usage_error(cmd, "--session and --date exclude each other");
    if (bstep__cli_store_open(cmd, db_url, &st) != BSTEP_OK)
        return BSTEP_EXIT_DB;
    if (list) {
        bstep_store_checkin *l = NULL;
        size_t n = 0, i;
        rc = bstep__cli_find_user(st, cmd, user_arg, &user);
        if (rc < 0) {
            bstep_store_close(st);
            return BSTEP_EXIT_DB;
        }
        if (rc == 0 && bstep_store_checkin_list(st, user.id, from, to, &l, &n) != BSTEP_OK) {
            fprintf(stderr, "backstep %s: %s\n", cmd, bstep_store_errmsg(st));
            bstep_store_close(st);
            return BSTEP_EXIT_DB;
        }
        if (n == 0)
            printf("No check-ins of %s.\n", user.name);
        for (i = 0; i < n; i++) {
            printf("%s  pain ", l[i].date);
            if (l[i].pain_0_10 >= 0)
                printf("%2d", l[i].pain_0_10);
            else
                printf(" -");
            printf("  wellbeing ");
            if (l[i].wellbeing_0_10 >= 0)
                printf("%2d", l[i].wellbeing_0_10);
            else
                printf(" -");
            if (l[i].stumbled != BSTEP_STORE_STUMBLED_UNKNOWN)
                printf("  stumbled %s", l[i].stumbled == BSTEP_STORE_STUMBLED_YES ? "yes" : "no ");
            if (l[i].session_id > 0)
                printf("  session %lld", (long long)l[i].session_id);
            printf("%s%s\n", l[i].note[0] ? "  " : "", l[i].note);
        }
        bstep_store_free(l);
        bstep_store_close(st);
        return BSTEP_EXIT_OK;
    }
    rc = bstep_store_user_ensure(st, bstep__cli_user_name(user_arg, ubuf, sizeof(ubuf)), &user);
    if (rc == BSTEP_OK) {
        c.user_id = user.id;
        if (c.session_id == 0 && c.date[0] == '\0')
            bstep__store_local_date(bstep__store_now_us(), c.date);
        rc = bstep_store_checkin_add(st, &c);
    }
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep %s: %s\n", cmd, bstep_store_errmsg(st));
        bstep_store_close(st);
        return rc == BSTEP_EINVAL || rc == BSTEP_ENOTFOUND ? BSTEP_EXIT_USAGE : BSTEP_EXIT_DB;
    }
    printf("check-in %lld stored for %s on %s\n", (long long)c.id, user.name, c.date);
    {
        /* the plan decides again with the answer (a stumble moves back, high pain pauses) */
        bstep__plan_state ps;
        char err[512];
        int prc = bstep__plan_decide(st, user.id, INT32_MAX / 2, &ps, err, sizeof(err));
        if (prc != BSTEP_OK && prc != BSTEP_ENOTFOUND)
            fprintf(stderr, "backstep %s: plan: %s\n", cmd, err);
        if (prc == BSTEP_OK) {
            bstep_coach_status stt;
            const int before = ps.stored_level;
            bstep_coach_get_status(&ps.coach, &stt);
            printf("plan: level %d%s%s\n", stt.level,
                   stt.level != before ? (stt.level > before ? " (moved up)" : " (moved back)")
                                       : "",
                   stt.paused ? ", paused (backstep plan show says why)" : "");
            bstep__plan_state_free(&ps);
        }
    }
    bstep_store_close(st);
    return BSTEP_EXIT_OK;
}
