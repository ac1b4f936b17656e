/* Shared helpers of the store commands (store_cli.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "store_cli.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal/sha256.h"
#include "store/store_analysis.h"
#include "store/store_internal.h"

int bstep__cli_store_open(const char *cmd, const char *url, bstep_store **st)
{
    char err[1024];
    int rc = bstep_store_open(st, url, err, sizeof(err));
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep %s: %s\n", cmd, err[0] ? err : bstep_strerror(rc));
        return rc;
    }
    return BSTEP_OK;
}

const char *bstep__cli_user_name(const char *name, char *buf, size_t cap)
{
    const char *env = getenv("BACKSTEP_USER");
    struct passwd *pw;
    if (name != NULL && name[0] != '\0')
        return name;
    if (env != NULL && env[0] != '\0')
        return env;
    pw = getpwuid(getuid());
    if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0') {
        snprintf(buf, cap, "%s", pw->pw_name);
        return buf;
    }
    env = getenv("USER");
    return env != NULL && env[0] != '\0' ? env : "me";
}

static int digits(const char *s, int n, int *out)
{
    int i, v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms", days_from_civil). */
static int64_t days_from_civil(int y, int m, int d)
{
    const int yy = m <= 2 ? y - 1 : y;
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

int bstep__cli_parse_time(const char *t, int64_t *t_us)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    size_t n = strlen(t);
    char date[11];
    struct tm tm;
    time_t tt;
    if (t[0] == '@') {
        char *end = NULL;
        double v = strtod(t + 1, &end);
        if (end == t + 1 || *end != '\0' || !(v > -1e11 && v < 1e11))
            return -1;
        *t_us = (int64_t)(v * 1e6);
        return 0;
    }
    if (n < 10)
        return -1;
    memcpy(date, t, 10);
    date[10] = '\0';
    if (!bstep__store_date_valid(date))
        return -1;
    digits(t, 4, &y);
    digits(t + 5, 2, &mo);
    digits(t + 8, 2, &d);
    t += 10;
    if (*t == 'T' || *t == ' ') {
        if (digits(t + 1, 2, &h) || t[3] != ':' || digits(t + 4, 2, &mi))
            return -1;
        t += 6;
        if (*t == ':') {
            if (digits(t + 1, 2, &s))
                return -1;
            t += 3;
        }
        if (h > 23 || mi > 59 || s > 60)
            return -1;
    }
    if (strcmp(t, "Z") == 0) {
        *t_us = ((days_from_civil(y, mo, d) * 24 + h) * 3600 + (int64_t)mi * 60 + s) * 1000000;
        return 0;
    }
    if (*t != '\0')
        return -1;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    tt = mktime(&tm);
    if (tt == (time_t)-1)
        return -1;
    *t_us = (int64_t)tt * 1000000;
    return 0;
}

void bstep__cli_local_time(int64_t t_us, char out[17])
{
    time_t t = (time_t)(t_us >= 0 ? t_us / 1000000 : (t_us - 999999) / 1000000);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(out, 17, "%Y-%m-%d %H:%M", &tm) != 16)
        snprintf(out, 17, "unknown time");
}

/* An end date without a time includes that whole day. */
int bstep__cli_parse_bound(const char *v, int is_end, int64_t *us)
{
    if (bstep__cli_parse_time(v, us) != 0)
        return -1;
    if (is_end && strlen(v) == 10) {
        int64_t next;
        char d[11];
        /* the next local midnight (days are not always 24 h long) */
        if (bstep__cli_parse_time(v, &next) != 0)
            return -1;
        next += 36LL * 3600 * 1000000; /* some time into the next day */
        bstep__store_local_date(next, d);
        if (bstep__cli_parse_time(d, us) != 0)
            return -1;
    } else if (is_end) {
        *us += 1; /* inclusive */
    }
    return 0;
}

int bstep__cli_find_user(bstep_store *st, const char *cmd, const char *name_arg,
                         bstep_store_user *user)
{
    char buf[128];
    const char *name = bstep__cli_user_name(name_arg, buf, sizeof(buf));
    int rc = bstep_store_user_find(st, name, user);
    if (rc == BSTEP_ENOTFOUND) {
        bstep_store_user_init(user);
        snprintf(user->name, sizeof(user->name), "%s", name);
        user->id = -1;
        return 1;
    }
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep %s: %s\n", cmd, bstep_store_errmsg(st));
        return -1;
    }
    return 0;
}
