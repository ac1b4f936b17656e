/*
 * The store (store.h) over the database layer (db.h): opening and migrating, and every table's
 * functions. Each write is one transaction; on any error it is rolled back and nothing is kept.
 */
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/db.h"
#include "store/schema.h"
#include "store/store_internal.h"

struct bstep_store {
    bstep__db *db;
    char errmsg[1024];
};

#define DEFAULT_BUSY_MS 5000
#define BATCH_ROWS      64
/* PostgreSQL advisory lock key taken while migrating ("bstep" in ASCII). */
#define PG_MIGRATION_LOCK "SELECT pg_advisory_xact_lock(439788712048)"

/* ---- small helpers ------------------------------------------------------------------------- */

int64_t bstep__store_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + (int64_t)(ts.tv_nsec / 1000);
}

void bstep__store_local_date(int64_t t_us, char out[11])
{
    time_t t = (time_t)(t_us >= 0 ? t_us / 1000000 : (t_us - 999999) / 1000000);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        snprintf(out, 11, "0000-00-00");
}

int bstep__store_date_valid(const char *d)
{
    int i, y, m, day;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d == NULL || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    m = (d[5] - '0') * 10 + (d[6] - '0');
    day = (d[8] - '0') * 10 + (d[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
        return 0;
    if (m == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

/* Set the handle's message; returns status. */
static int say(bstep_store *st, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int say(bstep_store *st, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
    va_end(ap);
    return status;
}

/* Take the database layer's message. */
static int dbfail(bstep_store *st, int rc)
{
    snprintf(st->errmsg, sizeof(st->errmsg), "%s", st->db->errmsg);
    return rc;
}

static void ok(bstep_store *st)
{
    st->errmsg[0] = '\0';
}

/* s is NUL-terminated within cap bytes (never reads past cap). */
static int fits(const char *s, size_t cap)
{
    return s != NULL && memchr(s, '\0', cap) != NULL;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* A growable array for list results. */
typedef struct {
    void *p;
    size_t n, cap, elem;
} vec;

static void *vec_push(vec *v)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        void *q = realloc(v->p, nc * v->elem);
        if (q == NULL)
            return NULL;
        v->p = q;
        v->cap = nc;
    }
    memset((char *)v->p + v->n * v->elem, 0, v->elem);
    return (char *)v->p + v->n++ * v->elem;
}

static int prep(bstep_store *st, const char *sql, bstep__stmt **s)
{
    int rc = bstep__db_prepare(st->db, sql, s);
    return rc == BSTEP_OK ? rc : dbfail(st, rc);
}

/* Run a statement that returns no rows (or ignore them). */
static int run(bstep_store *st, bstep__stmt *s)
{
    int rc;
    while ((rc = bstep__stmt_step(s)) == 1) {
    }
    return rc == 0 ? BSTEP_OK : dbfail(st, rc);
}

static int begin(bstep_store *st)
{
    int rc = bstep__db_begin(st->db);
    return rc == BSTEP_OK ? rc : dbfail(st, rc);
}

static int commit(bstep_store *st)
{
    int rc = bstep__db_commit(st->db);
    if (rc != BSTEP_OK) {
        dbfail(st, rc);
        bstep__db_rollback(st->db);
    }
    return rc;
}

/* Roll back and pass rc on. */
static int abort_txn(bstep_store *st, int rc)
{
    bstep__db_rollback(st->db);
    return rc;
}

static const char *sex_text(bstep_sex s)
{
    return bstep_sex_name(s);
}

static bstep_sex sex_of(const char *t)
{
    bstep_sex s = BSTEP_SEX_UNKNOWN;
    if (bstep_sex_parse(t, &s) != BSTEP_OK)
        s = BSTEP_SEX_UNKNOWN;
    return s;
}

static const char *const role_names[] = {"walker", "clinician", "admin"};

const char *bstep_role_name(bstep_role r)
{
    return (r >= BSTEP_ROLE_WALKER && r <= BSTEP_ROLE_ADMIN) ? role_names[r] : "walker";
}

int bstep_role_parse(const char *text, bstep_role *out)
{
    int i;
    for (i = 0; i < 3; i++)
        if (text != NULL && strcmp(text, role_names[i]) == 0) {
            *out = (bstep_role)i;
            return BSTEP_OK;
        }
    return BSTEP_EINVAL;
}

static const char *const start_names[] = {"recording", "file-time", "given", "imported"};

static const char *start_text(bstep_start_source s)
{
    return (s >= BSTEP_START_RECORDING && s <= BSTEP_START_IMPORTED) ? start_names[s] : "recording";
}

static bstep_start_source start_of(const char *t)
{
    int i;
    for (i = 0; i < 4; i++)
        if (strcmp(t, start_names[i]) == 0)
            return (bstep_start_source)i;
    return BSTEP_START_RECORDING;
}

static bstep_foot foot_of(const char *t)
{
    if (strcmp(t, "left") == 0)
        return BSTEP_FOOT_LEFT;
    if (strcmp(t, "right") == 0)
        return BSTEP_FOOT_RIGHT;
    return BSTEP_FOOT_UNKNOWN;
}

static bstep_format format_of(const char *t)
{
    bstep_format f = BSTEP_FORMAT_AUTO;
    if (bstep_format_parse(t, &f) != BSTEP_OK)
        f = BSTEP_FORMAT_AUTO;
    return f;
}

static bstep_placement placement_of(const char *t)
{
    bstep_placement p = BSTEP_PLACEMENT_AUTO;
    if (bstep_placement_parse(t, &p) != BSTEP_OK)
        p = BSTEP_PLACEMENT_AUTO;
    return p;
}

static bstep_axis axis_of(const char *t)
{
    bstep_axis a = BSTEP_AXIS_AUTO;
    if (bstep_axis_parse(t, &a) != BSTEP_OK)
        a = BSTEP_AXIS_AUTO;
    return a;
}

static bstep_direction direction_of(const char *t)
{
    bstep_direction d = BSTEP_DIRECTION_UNKNOWN;
    if (bstep_direction_parse(t, &d) != BSTEP_OK)
        d = BSTEP_DIRECTION_UNKNOWN;
    return d;
}

static bstep_strike strike_of(const char *t)
{
    bstep_strike s = BSTEP_STRIKE_UNKNOWN;
    if (bstep_strike_parse(t, &s) != BSTEP_OK)
        s = BSTEP_STRIKE_UNKNOWN;
    return s;
}

/* Unknown enum values are stored as NULL. */
static void bind_enum(bstep__stmt *s, int i, int known, const char *name)
{
    if (known)
        bstep__bind_text(s, i, name);
    else
        bstep__bind_null(s, i);
}

/* ---- opening and migrations ---------------------------------------------------------------- */

static int mkdirs(const char *dir, char *err, size_t err_len)
{
    char p[BSTEP_STORE_PATH_MAX];
    size_t i, n = strlen(dir);
    if (n >= sizeof(p)) {
        snprintf(err, err_len, "%s: path too long", dir);
        return BSTEP_ERANGE;
    }
    memcpy(p, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                snprintf(err, err_len, "%s: cannot create the folder: %s", p, strerror(errno));
                return BSTEP_EIO;
            }
            p[i] = c;
        }
    }
    return BSTEP_OK;
}

int bstep_store_default_path(char *path, size_t cap)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    /* XDG Base Directory Specification: a relative XDG_DATA_HOME is invalid and ignored. */
    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(path, cap, "%s/backstep/backstep.db", xdg);
    else if (home != NULL && home[0] != '\0')
        n = snprintf(path, cap, "%s/.local/share/backstep/backstep.db", home);
    else
        return BSTEP_EINVAL;
    return (n < 0 || (size_t)n >= cap) ? BSTEP_ERANGE : BSTEP_OK;
}

static int count_rows(bstep_store *st, const char *sql, int64_t *n)
{
    bstep__stmt *s = NULL;
    int rc = prep(st, sql, &s);
    *n = 0;
    if (rc != BSTEP_OK)
        return rc;
    rc = bstep__stmt_step(s);
    if (rc == 1)
        *n = bstep__col_int(s, 0);
    bstep__stmt_finalize(s);
    return rc < 0 ? dbfail(st, rc) : BSTEP_OK;
}

static int migrate(bstep_store *st)
{
    const int pg = st->db->ops->backend == BSTEP_STORE_POSTGRESQL;
    size_t nm, i;
    const bstep__migration *m = bstep__migrations(&nm);
    int64_t have_version, have_sessions, current = 0;
    int rc = begin(st);
    if (rc != BSTEP_OK)
        return rc;
    if (pg && (rc = bstep__db_exec(st->db, PG_MIGRATION_LOCK)) != BSTEP_OK)
        return abort_txn(st, dbfail(st, rc));
    rc = count_rows(st,
                    pg ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                         "current_schema() AND table_name = 'schema_version'"
                       : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                         "'schema_version'",
                    &have_version);
    if (rc == BSTEP_OK && !have_version) {
        rc = count_rows(st,
                        pg ? "SELECT count(*) FROM information_schema.tables WHERE table_schema "
                             "= current_schema() AND table_name IN ('sessions', 'users')"
                           : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
                             "NOT LIKE 'sqlite_%'",
                        &have_sessions);
        if (rc == BSTEP_OK && have_sessions)
            rc = say(st, BSTEP_EDB,
                     "%s: not a backstep database (it has tables but no schema_version)",
                     st->db->location);
        if (rc == BSTEP_OK) {
            rc = bstep__db_exec(st->db, "CREATE TABLE schema_version (version BIGINT PRIMARY "
                                        "KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)");
            if (rc != BSTEP_OK)
                dbfail(st, rc);
        }
    }
    if (rc == BSTEP_OK && have_version)
        rc = count_rows(st, "SELECT coalesce(max(version), 0) FROM schema_version", &current);
    if (rc == BSTEP_OK && current > BSTEP_STORE_SCHEMA_VERSION)
        rc = say(st, BSTEP_EDB,
                 "%s: schema version %lld was made by a newer backstep (this one knows up to "
                 "%d); upgrade backstep",
                 st->db->location, (long long)current, BSTEP_STORE_SCHEMA_VERSION);
    for (i = 0; i < nm && rc == BSTEP_OK; i++) {
        bstep__stmt *s = NULL;
        const char *const *sql;
        if (m[i].version <= current)
            continue;
        for (sql = m[i].sql; *sql != NULL && rc == BSTEP_OK; sql++)
            rc = bstep__db_exec(st->db, *sql);
        if (rc != BSTEP_OK) {
            say(st, rc, "%s: migration to schema version %d failed: %s", st->db->location,
                m[i].version, st->db->errmsg);
            break;
        }
        rc =
            prep(st, "INSERT INTO schema_version (version, name, applied_us) VALUES (?, ?, ?)", &s);
        if (rc != BSTEP_OK)
            break;
        bstep__bind_int(s, 1, m[i].version);
        bstep__bind_text(s, 2, m[i].name);
        bstep__bind_int(s, 3, bstep__store_now_us());
        rc = run(st, s);
        bstep__stmt_finalize(s);
    }
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    return commit(st);
}

static int busy_ms_from_env(void)
{
    const char *e = getenv("BACKSTEP_DB_BUSY_MS");
    char *end = NULL;
    long v;
    if (e == NULL || e[0] == '\0')
        return DEFAULT_BUSY_MS;
    errno = 0;
    v = strtol(e, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > 600000)
        return DEFAULT_BUSY_MS;
    return (int)v;
}

int bstep_store_open(bstep_store **out, const char *url, char *err, size_t err_len)
{
    bstep_store *st;
    char path[BSTEP_STORE_PATH_MAX], dummy[1];
    int rc, is_default = 0;
    if (err == NULL || err_len == 0) {
        err = dummy;
        err_len = sizeof(dummy);
    }
    err[0] = '\0';
    if (out == NULL)
        return BSTEP_EINVAL;
    *out = NULL;
    if (url == NULL || url[0] == '\0')
        url = getenv("BACKSTEP_DB");
    if (url == NULL || url[0] == '\0') {
        rc = bstep_store_default_path(path, sizeof(path));
        if (rc != BSTEP_OK) {
            snprintf(err, err_len,
                     "no database location: set HOME, XDG_DATA_HOME or BACKSTEP_DB, or give --db");
            return rc;
        }
        url = path;
        is_default = 1;
    }
    st = calloc(1, sizeof(*st));
    if (st == NULL) {
        snprintf(err, err_len, "out of memory");
        return BSTEP_ENOMEM;
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        rc = bstep__db_open_pg(&st->db, url, err, err_len);
    } else {
        const char *p = url;
        if (strncmp(p, "sqlite://", 9) == 0)
            p += 9;
        else if (strncmp(p, "sqlite:", 7) == 0)
            p += 7;
        if (p[0] == '\0' || strlen(p) >= sizeof(path)) {
            free(st);
            snprintf(err, err_len,
                     "'%s': not a database URL (sqlite:PATH, a file path or "
                     "postgresql://...)",
                     url);
            return BSTEP_EINVAL;
        }
        if (p != path)
            snprintf(path, sizeof(path), "%s", p);
        if (is_default) {
            char *slash = strrchr(path, '/');
            *slash = '\0';
            rc = mkdirs(path, err, err_len);
            *slash = '/';
            if (rc != BSTEP_OK) {
                free(st);
                return rc;
            }
        }
        rc = bstep__db_open_sqlite(&st->db, path, busy_ms_from_env(), err, err_len);
    }
    if (rc != BSTEP_OK) {
        free(st);
        return rc;
    }
    rc = migrate(st);
    if (rc != BSTEP_OK) {
        snprintf(err, err_len, "%s", st->errmsg);
        bstep_store_close(st);
        return rc;
    }
    ok(st);
    *out = st;
    return BSTEP_OK;
}

void bstep_store_close(bstep_store *st)
{
    if (st == NULL)
        return;
    bstep__db_close(st->db);
    free(st);
}

const char *bstep_store_errmsg(const bstep_store *st)
{
    return st ? st->errmsg : "no store";
}

bstep_store_backend bstep_store_backend_of(const bstep_store *st)
{
    return st->db->ops->backend;
}

const char *bstep_store_location(const bstep_store *st)
{
    return st->db->location;
}

void bstep_store_free(void *list)
{
    free(list);
}

int bstep_store_schema_version(bstep_store *st, int *version)
{
    int64_t v = 0;
    int rc = count_rows(st, "SELECT coalesce(max(version), 0) FROM schema_version", &v);
    *version = (int)v;
    if (rc == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_check(bstep_store *st)
{
    int v = 0, rc;
    if (st->db->ops->backend == BSTEP_STORE_SQLITE) {
        bstep__stmt *s = NULL;
        char findings[512] = "";
        size_t used = 0;
        int bad = 0;
        rc = prep(st, "PRAGMA integrity_check", &s);
        if (rc != BSTEP_OK)
            return rc;
        while ((rc = bstep__stmt_step(s)) == 1) {
            const char *t = bstep__col_text(s, 0);
            if (strcmp(t, "ok") != 0) {
                bad = 1;
                if (used < sizeof(findings) - 1)
                    used += (size_t)snprintf(findings + used, sizeof(findings) - used, "%s; ", t);
            }
        }
        bstep__stmt_finalize(s);
        if (rc < 0)
            return dbfail(st, rc);
        if (bad)
            return say(st, BSTEP_EDB, "%s: integrity check failed: %s", st->db->location, findings);
        rc = prep(st, "PRAGMA foreign_key_check", &s);
        if (rc != BSTEP_OK)
            return rc;
        rc = bstep__stmt_step(s);
        if (rc == 1) {
            say(st, BSTEP_EDB, "%s: foreign key check failed in table %s", st->db->location,
                bstep__col_text(s, 0));
            bstep__stmt_finalize(s);
            return BSTEP_EDB;
        }
        bstep__stmt_finalize(s);
        if (rc < 0)
            return dbfail(st, rc);
    }
    rc = bstep_store_schema_version(st, &v);
    if (rc != BSTEP_OK)
        return rc;
    if (v != BSTEP_STORE_SCHEMA_VERSION)
        return say(st, BSTEP_EDB, "%s: schema version %d, expected %d", st->db->location, v,
                   BSTEP_STORE_SCHEMA_VERSION);
    ok(st);
    return BSTEP_OK;
}

/* ---- clinics and users --------------------------------------------------------------------- */

void bstep_store_user_init(bstep_store_user *u)
{
    memset(u, 0, sizeof(*u));
    u->mass_kg = u->height_m = u->age_y = (double)NAN;
    u->sex = BSTEP_SEX_UNKNOWN;
    u->role = BSTEP_ROLE_WALKER;
}

int bstep_store_clinic_create(bstep_store *st, const char *name, int64_t *clinic_id)
{
    bstep__stmt *s = NULL;
    int rc;
    if (!fits(name, BSTEP_STORE_NAME_MAX) || name[0] == '\0')
        return say(st, BSTEP_EINVAL, "clinic name must have 1 to %d bytes",
                   BSTEP_STORE_NAME_MAX - 1);
    if ((rc = prep(st, "INSERT INTO clinics (name, created_us) VALUES (?, ?) RETURNING id", &s)))
        return rc;
    bstep__bind_text(s, 1, name);
    bstep__bind_int(s, 2, bstep__store_now_us());
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        *clinic_id = bstep__col_int(s, 0);
        rc = BSTEP_OK;
        ok(st);
    } else if (st->db->last_error == BSTEP__DBERR_UNIQUE) {
        rc = say(st, BSTEP_EINVAL, "a clinic named '%s' exists", name);
    } else {
        rc = dbfail(st, rc < 0 ? rc : BSTEP_EDB);
    }
    bstep__stmt_finalize(s);
    return rc;
}

int bstep_store_clinic_find(bstep_store *st, const char *name, int64_t *clinic_id)
{
    bstep__stmt *s = NULL;
    int rc;
    if ((rc = prep(st, "SELECT id FROM clinics WHERE name = ?", &s)))
        return rc;
    bstep__bind_text(s, 1, name);
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        *clinic_id = bstep__col_int(s, 0);
        rc = BSTEP_OK;
        ok(st);
    } else if (rc == 0) {
        rc = say(st, BSTEP_ENOTFOUND, "no clinic named '%s'", name);
    } else {
        rc = dbfail(st, rc);
    }
    bstep__stmt_finalize(s);
    return rc;
}

#define USER_COLS "id, name, mass_kg, height_m, age_y, sex, role, clinic_id, created_us"

static void read_user(bstep__stmt *s, bstep_store_user *u)
{
    bstep_store_user_init(u);
    u->id = bstep__col_int(s, 0);
    copy_text(u->name, sizeof(u->name), bstep__col_text(s, 1));
    u->mass_kg = bstep__col_double(s, 2);
    u->height_m = bstep__col_double(s, 3);
    u->age_y = bstep__col_double(s, 4);
    u->sex = sex_of(bstep__col_text(s, 5));
    if (bstep_role_parse(bstep__col_text(s, 6), &u->role) != BSTEP_OK)
        u->role = BSTEP_ROLE_WALKER;
    u->clinic_id = bstep__col_int(s, 7);
    u->created_us = bstep__col_int(s, 8);
}

static int check_user(bstep_store *st, const bstep_store_user *u)
{
    if (!fits(u->name, BSTEP_STORE_NAME_MAX) || u->name[0] == '\0')
        return say(st, BSTEP_EINVAL, "user name must have 1 to %d bytes", BSTEP_STORE_NAME_MAX - 1);
    if (!isnan(u->mass_kg) && !(u->mass_kg >= 20.0 && u->mass_kg <= 300.0))
        return say(st, BSTEP_EINVAL, "body mass %g kg is outside 20..300 kg", u->mass_kg);
    if (!isnan(u->height_m) && !(u->height_m >= 0.5 && u->height_m <= 2.5))
        return say(st, BSTEP_EINVAL, "height %g m is outside 0.5..2.5 m", u->height_m);
    if (!isnan(u->age_y) && !(u->age_y >= 1.0 && u->age_y <= 120.0))
        return say(st, BSTEP_EINVAL, "age %g years is outside 1..120", u->age_y);
    if (u->role < BSTEP_ROLE_WALKER || u->role > BSTEP_ROLE_ADMIN)
        return say(st, BSTEP_EINVAL, "unknown role %d", (int)u->role);
    return BSTEP_OK;
}

static int user_write_result(bstep_store *st, int rc, const bstep_store_user *u)
{
    if (st->db->last_error == BSTEP__DBERR_UNIQUE)
        return say(st, BSTEP_EINVAL, "a user named '%s' exists", u->name);
    if (st->db->last_error == BSTEP__DBERR_FOREIGN)
        return say(st, BSTEP_ENOTFOUND, "no clinic with id %lld", (long long)u->clinic_id);
    return dbfail(st, rc < 0 ? rc : BSTEP_EDB);
}

int bstep_store_user_create(bstep_store *st, bstep_store_user *u)
{
    bstep__stmt *s = NULL;
    int rc = check_user(st, u);
    if (rc != BSTEP_OK)
        return rc;
    if ((rc = prep(st,
                   "INSERT INTO users (name, mass_kg, height_m, age_y, sex, role, clinic_id, "
                   "created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                   &s)))
        return rc;
    u->created_us = bstep__store_now_us();
    bstep__bind_text(s, 1, u->name);
    bstep__bind_double(s, 2, u->mass_kg);
    bstep__bind_double(s, 3, u->height_m);
    bstep__bind_double(s, 4, u->age_y);
    bstep__bind_text(s, 5, sex_text(u->sex));
    bstep__bind_text(s, 6, bstep_role_name(u->role));
    bstep__bind_id(s, 7, u->clinic_id);
    bstep__bind_int(s, 8, u->created_us);
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        u->id = bstep__col_int(s, 0);
        rc = BSTEP_OK;
        ok(st);
    } else {
        rc = user_write_result(st, rc, u);
    }
    bstep__stmt_finalize(s);
    return rc;
}

int bstep_store_user_update(bstep_store *st, const bstep_store_user *u)
{
    bstep__stmt *s = NULL;
    int64_t changed = 0;
    int rc = check_user(st, u);
    if (rc != BSTEP_OK)
        return rc;
    if ((rc = prep(st,
                   "UPDATE users SET name = ?, mass_kg = ?, height_m = ?, age_y = ?, sex = ?, "
                   "role = ?, clinic_id = ? WHERE id = ? RETURNING id",
                   &s)))
        return rc;
    bstep__bind_text(s, 1, u->name);
    bstep__bind_double(s, 2, u->mass_kg);
    bstep__bind_double(s, 3, u->height_m);
    bstep__bind_double(s, 4, u->age_y);
    bstep__bind_text(s, 5, sex_text(u->sex));
    bstep__bind_text(s, 6, bstep_role_name(u->role));
    bstep__bind_id(s, 7, u->clinic_id);
    bstep__bind_int(s, 8, u->id);
    while ((rc = bstep__stmt_step(s)) == 1)
        changed++;
    bstep__stmt_finalize(s);
    if (rc < 0)
        return user_write_result(st, rc, u);
    if (changed == 0)
        return say(st, BSTEP_ENOTFOUND, "no user with id %lld", (long long)u->id);
    ok(st);
    return BSTEP_OK;
}

static int user_query(bstep_store *st, const char *sql, int64_t id, const char *name,
                      bstep_store_user *out)
{
    bstep__stmt *s = NULL;
    int rc;
    if ((rc = prep(st, sql, &s)))
        return rc;
    if (name != NULL)
        bstep__bind_text(s, 1, name);
    else
        bstep__bind_int(s, 1, id);
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        read_user(s, out);
        rc = BSTEP_OK;
        ok(st);
    } else if (rc == 0) {
        rc = name ? say(st, BSTEP_ENOTFOUND, "no user named '%s'", name)
                  : say(st, BSTEP_ENOTFOUND, "no user with id %lld", (long long)id);
    } else {
        rc = dbfail(st, rc);
    }
    bstep__stmt_finalize(s);
    return rc;
}

int bstep_store_user_get(bstep_store *st, int64_t id, bstep_store_user *out)
{
    return user_query(st, "SELECT " USER_COLS " FROM users WHERE id = ?", id, NULL, out);
}

int bstep_store_user_find(bstep_store *st, const char *name, bstep_store_user *out)
{
    return user_query(st, "SELECT " USER_COLS " FROM users WHERE name = ?", 0, name ? name : "",
                      out);
}

int bstep_store_user_ensure(bstep_store *st, const char *name, bstep_store_user *out)
{
    int rc = bstep_store_user_find(st, name, out);
    if (rc != BSTEP_ENOTFOUND)
        return rc;
    bstep_store_user_init(out);
    if (!fits(name, BSTEP_STORE_NAME_MAX))
        return say(st, BSTEP_EINVAL, "user name must have 1 to %d bytes", BSTEP_STORE_NAME_MAX - 1);
    copy_text(out->name, sizeof(out->name), name);
    rc = bstep_store_user_create(st, out);
    /* Created by another process at the same moment: take that one. */
    if (rc == BSTEP_EINVAL && st->db->last_error == BSTEP__DBERR_UNIQUE)
        rc = bstep_store_user_find(st, name, out);
    return rc;
}

int bstep_store_user_list(bstep_store *st, int64_t clinic_id, bstep_store_user **out, size_t *n)
{
    bstep__stmt *s = NULL;
    vec v = {NULL, 0, 0, sizeof(bstep_store_user)};
    int rc;
    *out = NULL;
    *n = 0;
    if ((rc = prep(st,
                   "SELECT " USER_COLS " FROM users WHERE CAST(? AS BIGINT) = 0 OR clinic_id = ? "
                   "ORDER BY name",
                   &s)))
        return rc;
    bstep__bind_int(s, 1, clinic_id);
    bstep__bind_int(s, 2, clinic_id);
    while ((rc = bstep__stmt_step(s)) == 1) {
        bstep_store_user *u = vec_push(&v);
        if (u == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        read_user(s, u);
    }
    bstep__stmt_finalize(s);
    if (rc != 0) {
        free(v.p);
        return rc == BSTEP_ENOMEM ? say(st, rc, "out of memory") : dbfail(st, rc);
    }
    *out = v.p;
    *n = v.n;
    ok(st);
    return BSTEP_OK;
}

int bstep_store_user_can_view(bstep_store *st, int64_t viewer_id, int64_t subject_id, int *allowed)
{
    bstep_store_user v, s;
    int rc;
    *allowed = 0;
    if ((rc = bstep_store_user_get(st, viewer_id, &v)) != BSTEP_OK)
        return rc;
    if ((rc = bstep_store_user_get(st, subject_id, &s)) != BSTEP_OK)
        return rc;
    if (viewer_id == subject_id || v.role == BSTEP_ROLE_ADMIN)
        *allowed = 1;
    else if (v.role == BSTEP_ROLE_CLINICIAN && v.clinic_id != 0 && s.clinic_id == v.clinic_id &&
             s.role == BSTEP_ROLE_WALKER)
        *allowed = 1;
    ok(st);
    return BSTEP_OK;
}

/* ---- tokens -------------------------------------------------------------------------------- */

#define TOKEN_COLS "id, user_id, hash, label, created_us, revoked_us"

static void read_token(bstep__stmt *s, bstep_store_token *t)
{
    memset(t, 0, sizeof(*t));
    t->id = bstep__col_int(s, 0);
    t->user_id = bstep__col_int(s, 1);
    t->hash_len = bstep__col_blob(s, 2, t->hash, sizeof(t->hash));
    copy_text(t->label, sizeof(t->label), bstep__col_text(s, 3));
    t->created_us = bstep__col_int(s, 4);
    t->revoked_us = bstep__col_int(s, 5);
}

int bstep_store_token_add(bstep_store *st, int64_t user_id, const unsigned char *hash,
                          size_t hash_len, const char *label, int64_t *token_id)
{
    bstep__stmt *s = NULL;
    int rc;
    if (hash == NULL || hash_len < 16 || hash_len > BSTEP_STORE_TOKEN_HASH_MAX)
        return say(st, BSTEP_EINVAL, "token hash must have 16 to %d bytes",
                   BSTEP_STORE_TOKEN_HASH_MAX);
    if (label == NULL)
        label = "";
    if (!fits(label, BSTEP_STORE_NAME_MAX))
        return say(st, BSTEP_EINVAL, "token label longer than %d bytes", BSTEP_STORE_NAME_MAX - 1);
    if ((rc = prep(st,
                   "INSERT INTO tokens (user_id, hash, label, created_us) VALUES (?, ?, ?, ?) "
                   "RETURNING id",
                   &s)))
        return rc;
    bstep__bind_int(s, 1, user_id);
    bstep__bind_blob(s, 2, hash, hash_len);
    bstep__bind_text(s, 3, label);
    bstep__bind_int(s, 4, bstep__store_now_us());
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        if (token_id)
            *token_id = bstep__col_int(s, 0);
        rc = BSTEP_OK;
        ok(st);
    } else if (st->db->last_error == BSTEP__DBERR_UNIQUE) {
        rc = say(st, BSTEP_EINVAL, "this token hash is already stored");
    } else if (st->db->last_error == BSTEP__DBERR_FOREIGN) {
        rc = say(st, BSTEP_ENOTFOUND, "no user with id %lld", (long long)user_id);
    } else {
        rc = dbfail(st, rc < 0 ? rc : BSTEP_EDB);
    }
    bstep__stmt_finalize(s);
    return rc;
}

int bstep_store_token_lookup(bstep_store *st, const unsigned char *hash, size_t hash_len,
                             bstep_store_token *out)
{
    bstep__stmt *s = NULL;
    int rc;
    if (hash == NULL || hash_len == 0 || hash_len > BSTEP_STORE_TOKEN_HASH_MAX)
        return say(st, BSTEP_ENOTFOUND, "no such token");
    if ((rc = prep(st, "SELECT " TOKEN_COLS " FROM tokens WHERE hash = ? AND revoked_us IS NULL",
                   &s)))
        return rc;
    bstep__bind_blob(s, 1, hash, hash_len);
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        read_token(s, out);
        rc = BSTEP_OK;
        ok(st);
    } else if (rc == 0) {
        rc = say(st, BSTEP_ENOTFOUND, "no such token (unknown or revoked)");
    } else {
        rc = dbfail(st, rc);
    }
    bstep__stmt_finalize(s);
    return rc;
}

int bstep_store_token_revoke(bstep_store *st, int64_t token_id)
{
    bstep__stmt *s = NULL;
    int rc, n = 0;
    if ((rc = prep(st,
                   "UPDATE tokens SET revoked_us = ? WHERE id = ? AND revoked_us IS NULL "
                   "RETURNING id",
                   &s)))
        return rc;
    bstep__bind_int(s, 1, bstep__store_now_us());
    bstep__bind_int(s, 2, token_id);
    while ((rc = bstep__stmt_step(s)) == 1)
        n++;
    bstep__stmt_finalize(s);
    if (rc < 0)
        return dbfail(st, rc);
    if (n == 0)
        return say(st, BSTEP_ENOTFOUND, "no valid token with id %lld", (long long)token_id);
    ok(st);
    return BSTEP_OK;
}

int bstep_store_token_list(bstep_store *st, int64_t user_id, bstep_store_token **out, size_t *n)
{
    bstep__stmt *s = NULL;
    vec v = {NULL, 0, 0, sizeof(bstep_store_token)};
    int rc;
    *out = NULL;
    *n = 0;
    if ((rc = prep(st,
                   "SELECT " TOKEN_COLS " FROM tokens WHERE user_id = ? ORDER BY created_us "
                   "DESC, id DESC",
                   &s)))
        return rc;
    bstep__bind_int(s, 1, user_id);
    while ((rc = bstep__stmt_step(s)) == 1) {
        bstep_store_token *t = vec_push(&v);
        if (t == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        read_token(s, t);
    }
    bstep__stmt_finalize(s);
    if (rc != 0) {
        free(v.p);
        return rc == BSTEP_ENOMEM ? say(st, rc, "out of memory") : dbfail(st, rc);
    }
    *out = v.p;
    *n = v.n;
    ok(st);
    return BSTEP_OK;
}

/* ---- devices and mountings ----------------------------------------------------------------- */

static void read_device(bstep__stmt *s, bstep_store_device *d)
{
    memset(d, 0, sizeof(*d));
    d->id = bstep__col_int(s, 0);
    d->user_id = bstep__col_int(s, 1);
    copy_text(d->name, sizeof(d->name), bstep__col_text(s, 2));
    copy_text(d->kind, sizeof(d->kind), bstep__col_text(s, 3));
    copy_text(d->model, sizeof(d->model), bstep__col_text(s, 4));
    d->created_us = bstep__col_int(s, 5);
}

int bstep_store_device_ensure(bstep_store *st, bstep_store_device *d)
{
    bstep__stmt *s = NULL;
    int rc;
    if (!fits(d->name, sizeof(d->name)) || d->name[0] == '\0' || !fits(d->kind, sizeof(d->kind)) ||
        !fits(d->model, sizeof(d->model)))
        return say(st, BSTEP_EINVAL, "device name (1..127 bytes), kind and model must fit");
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    rc = prep(st,
              "INSERT INTO devices (user_id, name, kind, model, created_us) VALUES (?, ?, ?, ?, "
              "?) ON CONFLICT (user_id, name) DO NOTHING",
              &s);
    if (rc == BSTEP_OK) {
        bstep__bind_int(s, 1, d->user_id);
        bstep__bind_text(s, 2, d->name);
        bstep__bind_text(s, 3, d->kind);
        bstep__bind_text(s, 4, d->model);
        bstep__bind_int(s, 5, bstep__store_now_us());
        rc = run(st, s);
        if (rc != BSTEP_OK && st->db->last_error == BSTEP__DBERR_FOREIGN)
            rc = say(st, BSTEP_ENOTFOUND, "no user with id %lld", (long long)d->user_id);
        bstep__stmt_finalize(s);
    }
    if (rc == BSTEP_OK)
        rc = prep(st,
                  "SELECT id, user_id, name, kind, model, created_us FROM devices WHERE user_id "
                  "= ? AND name = ?",
                  &s);
    if (rc == BSTEP_OK) {
        bstep__bind_int(s, 1, d->user_id);
        bstep__bind_text(s, 2, d->name);
        rc = bstep__stmt_step(s);
        if (rc == 1) {
            read_device(s, d);
            rc = BSTEP_OK;
        } else {
            rc = rc < 0 ? dbfail(st, rc) : say(st, BSTEP_EDB, "device vanished");
        }
        bstep__stmt_finalize(s);
    }
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_device_list(bstep_store *st, int64_t user_id, bstep_store_device **out, size_t *n)
{
    bstep__stmt *s = NULL;
    vec v = {NULL, 0, 0, sizeof(bstep_store_device)};
    int rc;
    *out = NULL;
    *n = 0;
    if ((rc = prep(st,
                   "SELECT id, user_id, name, kind, model, created_us FROM devices WHERE user_id "
                   "= ? ORDER BY name",
                   &s)))
        return rc;
    bstep__bind_int(s, 1, user_id);
    while ((rc = bstep__stmt_step(s)) == 1) {
        bstep_store_device *d = vec_push(&v);
        if (d == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        read_device(s, d);
    }
    bstep__stmt_finalize(s);
    if (rc != 0) {
        free(v.p);
        return rc == BSTEP_ENOMEM ? say(st, rc, "out of memory") : dbfail(st, rc);
    }
    *out = v.p;
    *n = v.n;
    ok(st);
    return BSTEP_OK;
}

int bstep_store_mounting_add(bstep_store *st, bstep_store_mounting *m)
{
    bstep__stmt *s = NULL;
    int rc;
    if ((rc = prep(st,
                   "INSERT INTO mountings (device_id, placement, toe_axis, front_axis, since_us) "
                   "VALUES (?, ?, ?, ?, ?) RETURNING id",
                   &s)))
        return rc;
    bstep__bind_int(s, 1, m->device_id);
    bstep__bind_text(s, 2, bstep_placement_name(m->placement));
    bstep__bind_text(s, 3, bstep_axis_name(m->toe_axis));
    bstep__bind_text(s, 4, bstep_axis_name(m->front_axis));
    bstep__bind_int(s, 5, m->since_us);
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        m->id = bstep__col_int(s, 0);
        rc = BSTEP_OK;
        ok(st);
    } else if (st->db->last_error == BSTEP__DBERR_FOREIGN) {
        rc = say(st, BSTEP_ENOTFOUND, "no device with id %lld", (long long)m->device_id);
    } else {
        rc = dbfail(st, rc < 0 ? rc : BSTEP_EDB);
    }
    bstep__stmt_finalize(s);
    return rc;
}

int bstep_store_mounting_at(bstep_store *st, int64_t device_id, int64_t t_us,
                            bstep_store_mounting *out)
{
    bstep__stmt *s = NULL;
    int rc;
    if ((rc = prep(st,
                   "SELECT id, device_id, placement, toe_axis, front_axis, since_us FROM "
                   "mountings WHERE device_id = ? AND since_us <= ? ORDER BY since_us DESC, id "
                   "DESC LIMIT 1",
                   &s)))
        return rc;
    bstep__bind_int(s, 1, device_id);
    bstep__bind_int(s, 2, t_us);
    rc = bstep__stmt_step(s);
    if (rc == 1) {
        memset(out, 0, sizeof(*out));
        out->id = bstep__col_int(s, 0);
        out->device_id = bstep__col_int(s, 1);
        out->placement = placement_of(bstep__col_text(s, 2));
        out->toe_axis = axis_of(bstep__col_text(s, 3));
        out->front_axis = axis_of(bstep__col_text(s, 4));
        out->since_us = bstep__col_int(s, 5);
        rc = BSTEP_OK;
        ok(st);
    } else if (rc == 0) {
        rc = say(st, BSTEP_ENOTFOUND, "device %lld has no mounting at that time",
                 (long long)device_id);
    } else {
        rc = dbfail(st, rc);
    }
    bstep__stmt_finalize(s);
    return rc;
}

/* ---- sessions ------------------------------------------------------------------------------ */

/* The summary group (what bstep_store_session_update replaces), 50 columns. */
#define SESSION_SUMMARY_COLS                                                                       \
    "device_id, format, placement, toe_axis, front_axis, start_us, start_source, duration_s, "     \
    "sample_rate_hz, samples, gaps, treadmill_speed_mps, treadmill_incline_pct, steps, "           \
    "steps_forward, steps_backward, steps_sideways, bouts, walking_time_s, backward_time_s, "      \
    "cadence_spm, distance_m, distance_backward_m, speed_mps, energy_kcal, energy_low_kcal, "      \
    "energy_high_kcal, energy_met_mean, energy_mass_kg, energy_mass_assumed, toe_first_ratio, "    \
    "stride_time_cv_pct, step_time_asymmetry_pct, trunk_lean_deg, look_backs, stumbles, falls, "   \
    "hr_mean_bpm, note, distance_forward_m, heel_first_ratio, side_lean_deg, step_regularity, "    \
    "stride_regularity, time_backward_s, speed_backward_mps, backward_stride_time_cv_pct, "        \
    "backward_stride_length_cv_pct, backward_strides, backward_strikes"
#define SESSION_SUMMARY_SET                                                                        \
    "device_id = ?, format = ?, placement = ?, toe_axis = ?, front_axis = ?, start_us = ?, "       \
    "start_source = ?, duration_s = ?, sample_rate_hz = ?, samples = ?, gaps = ?, "                \
    "treadmill_speed_mps = ?, treadmill_incline_pct = ?, steps = ?, steps_forward = ?, "           \
    "steps_backward = ?, steps_sideways = ?, bouts = ?, walking_time_s = ?, backward_time_s = ?, " \
    "cadence_spm = ?, distance_m = ?, distance_backward_m = ?, speed_mps = ?, energy_kcal = ?, "   \
    "energy_low_kcal = ?, energy_high_kcal = ?, energy_met_mean = ?, energy_mass_kg = ?, "         \
    "energy_mass_assumed = ?, toe_first_ratio = ?, stride_time_cv_pct = ?, "                       \
    "step_time_asymmetry_pct = ?, trunk_lean_deg = ?, look_backs = ?, stumbles = ?, falls = ?, "   \
    "hr_mean_bpm = ?, note = ?, distance_forward_m = ?, heel_first_ratio = ?, side_lean_deg = ?, " \
    "step_regularity = ?, stride_regularity = ?, time_backward_s = ?, speed_backward_mps = ?, "    \
    "backward_stride_time_cv_pct = ?, backward_stride_length_cv_pct = ?, backward_strides = ?, "   \
    "backward_strikes = ?"
/* The identity group, then the summary group. */
#define SESSION_COLS "id, user_id, state, source_path, sha256, created_us, " SESSION_SUMMARY_COLS

static int bind_summary(bstep__stmt *q, int i, const bstep_store_session *s)
{
    bstep__bind_id(q, i++, s->device_id);
    bstep__bind_text(q, i++, bstep_format_name(s->format));
    bstep__bind_text(q, i++, bstep_placement_name(s->placement));
    bstep__bind_text(q, i++, bstep_axis_name(s->toe_axis));
    bstep__bind_text(q, i++, bstep_axis_name(s->front_axis));
    bstep__bind_int(q, i++, s->start_us);
    bstep__bind_text(q, i++, start_text(s->start_source));
    bstep__bind_double(q, i++, s->duration_s);
    bstep__bind_double(q, i++, s->sample_rate_hz);
    bstep__bind_count(q, i++, s->samples);
    bstep__bind_count(q, i++, s->gaps);
    bstep__bind_double(q, i++, s->treadmill_speed_mps);
    bstep__bind_double(q, i++, s->treadmill_incline_pct);
    bstep__bind_count(q, i++, s->steps);
    bstep__bind_count(q, i++, s->steps_forward);
    bstep__bind_count(q, i++, s->steps_backward);
    bstep__bind_count(q, i++, s->steps_sideways);
    bstep__bind_count(q, i++, s->bouts);
    bstep__bind_double(q, i++, s->walking_time_s);
    bstep__bind_double(q, i++, s->backward_time_s);
    bstep__bind_double(q, i++, s->cadence_spm);
    bstep__bind_double(q, i++, s->distance_m);
    bstep__bind_double(q, i++, s->distance_backward_m);
    bstep__bind_double(q, i++, s->speed_mps);
    bstep__bind_double(q, i++, s->energy_kcal);
    bstep__bind_double(q, i++, s->energy_low_kcal);
    bstep__bind_double(q, i++, s->energy_high_kcal);
    bstep__bind_double(q, i++, s->energy_met_mean);
    bstep__bind_double(q, i++, s->energy_mass_kg);
    bstep__bind_int(q, i++, s->energy_mass_assumed ? 1 : 0);
    bstep__bind_double(q, i++, s->toe_first_ratio);
    bstep__bind_double(q, i++, s->stride_time_cv_pct);
    bstep__bind_double(q, i++, s->step_time_asymmetry_pct);
    bstep__bind_double(q, i++, s->trunk_lean_deg);
    bstep__bind_count(q, i++, s->look_backs);
    bstep__bind_count(q, i++, s->stumbles);
    bstep__bind_count(q, i++, s->falls);
    bstep__bind_double(q, i++, s->hr_mean_bpm);
    bstep__bind_text(q, i++, s->note);
    bstep__bind_double(q, i++, s->distance_forward_m);
    bstep__bind_double(q, i++, s->heel_first_ratio);
    bstep__bind_double(q, i++, s->side_lean_deg);
    bstep__bind_double(q, i++, s->step_regularity);
    bstep__bind_double(q, i++, s->stride_regularity);
    bstep__bind_double(q, i++, s->time_backward_s);
    bstep__bind_double(q, i++, s->speed_backward_mps);
    bstep__bind_double(q, i++, s->backward_stride_time_cv_pct);
    bstep__bind_double(q, i++, s->backward_stride_length_cv_pct);
    bstep__bind_count(q, i++, s->backward_strides);
    bstep__bind_count(q, i++, s->backward_strikes);
    return i;
}

static void read_session(bstep__stmt *q, bstep_store_session *s)
{
    int c = 0;
    memset(s, 0, sizeof(*s));
    s->id = bstep__col_int(q, c++);
    s->user_id = bstep__col_int(q, c++);
    s->state =
        strcmp(bstep__col_text(q, c++), "live") == 0 ? BSTEP_SESSION_LIVE : BSTEP_SESSION_DONE;
    copy_text(s->source_path, sizeof(s->source_path), bstep__col_text(q, c++));
    copy_text(s->sha256_hex, sizeof(s->sha256_hex), bstep__col_text(q, c++));
    s->created_us = bstep__col_int(q, c++);
    s->device_id = bstep__col_int(q, c++);
    s->format = format_of(bstep__col_text(q, c++));
    s->placement = placement_of(bstep__col_text(q, c++));
    s->toe_axis = axis_of(bstep__col_text(q, c++));
    s->front_axis = axis_of(bstep__col_text(q, c++));
    s->start_us = bstep__col_int(q, c++);
    s->start_source = start_of(bstep__col_text(q, c++));
    s->duration_s = bstep__col_double(q, c++);
    s->sample_rate_hz = bstep__col_double(q, c++);
    s->samples = bstep__col_count(q, c++);
    s->gaps = bstep__col_count(q, c++);
    s->treadmill_speed_mps = bstep__col_double(q, c++);
    s->treadmill_incline_pct = bstep__col_double(q, c++);
    s->steps = bstep__col_count(q, c++);
    s->steps_forward = bstep__col_count(q, c++);
    s->steps_backward = bstep__col_count(q, c++);
    s->steps_sideways = bstep__col_count(q, c++);
    s->bouts = bstep__col_count(q, c++);
    s->walking_time_s = bstep__col_double(q, c++);
    s->backward_time_s = bstep__col_double(q, c++);
    s->cadence_spm = bstep__col_double(q, c++);
    s->distance_m = bstep__col_double(q, c++);
    s->distance_backward_m = bstep__col_double(q, c++);
    s->speed_mps = bstep__col_double(q, c++);
    s->energy_kcal = bstep__col_double(q, c++);
    s->energy_low_kcal = bstep__col_double(q, c++);
    s->energy_high_kcal = bstep__col_double(q, c++);
    s->energy_met_mean = bstep__col_double(q, c++);
    s->energy_mass_kg = bstep__col_double(q, c++);
    s->energy_mass_assumed = bstep__col_int(q, c++) != 0;
    s->toe_first_ratio = bstep__col_double(q, c++);
    s->stride_time_cv_pct = bstep__col_double(q, c++);
    s->step_time_asymmetry_pct = bstep__col_double(q, c++);
    s->trunk_lean_deg = bstep__col_double(q, c++);
    s->look_backs = bstep__col_count(q, c++);
    s->stumbles = bstep__col_count(q, c++);
    s->falls = bstep__col_count(q, c++);
    s->hr_mean_bpm = bstep__col_double(q, c++);
    copy_text(s->note, sizeof(s->note), bstep__col_text(q, c++));
    s->distance_forward_m = bstep__col_double(q, c++);
    s->heel_first_ratio = bstep__col_double(q, c++);
    s->side_lean_deg = bstep__col_double(q, c++);
    s->step_regularity = bstep__col_double(q, c++);
    s->stride_regularity = bstep__col_double(q, c++);
    s->time_backward_s = bstep__col_double(q, c++);
    s->speed_backward_mps = bstep__col_double(q, c++);
    s->backward_stride_time_cv_pct = bstep__col_double(q, c++);
    s->backward_stride_length_cv_pct = bstep__col_double(q, c++);
    s->backward_strides = bstep__col_count(q, c++);
    s->backward_strikes = bstep__col_count(q, c++);
}

static int check_session(bstep_store *st, const bstep_store_session *s, int live)
{
    size_t i;
    if (s->user_id <= 0)
        return say(st, BSTEP_EINVAL, "a session needs a user");
    if (!fits(s->source_path, sizeof(s->source_path)) || s->source_path[0] == '\0')
        return say(st, BSTEP_EINVAL, "a session needs its source path");
    if (!fits(s->note, sizeof(s->note)))
        return say(st, BSTEP_EINVAL, "session note too long");
    if (!live) {
        if (!fits(s->sha256_hex, sizeof(s->sha256_hex)))
            return say(st, BSTEP_EINVAL, "bad checksum");
        if (s->sha256_hex[0] != '\0') {
            if (strlen(s->sha256_hex) != 64)
                return say(st, BSTEP_EINVAL, "checksum must be 64 hex digits");
            for (i = 0; i < 64; i++) {
                const char c = s->sha256_hex[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                    return say(st, BSTEP_EINVAL, "checksum must be 64 lower-case hex digits");
            }
        }
    }
    return BSTEP_OK;
}

/* Batched multi-row insert: head + "(?,...)" x rows. The SQL text is made of constant fragments
 * only (the number of rows changes, never the data). */
typedef int (*bind_row_fn)(bstep__stmt *q, int first, const void *rows, size_t i, int64_t sid);

static int insert_rows(bstep_store *st, const char *head, const char *tail, int ncols, size_t n,
                       bind_row_fn bind, const void *rows, int64_t sid)
{
    char *sql;
    size_t done = 0, batch_done = 0;
    bstep__stmt *q = NULL;
    int rc = BSTEP_OK;
    const size_t one = 2 + (size_t)ncols * 2; /* "(?,?,?)," */
    if (n == 0)
        return BSTEP_OK;
    sql = malloc(strlen(head) + strlen(tail) + one * BATCH_ROWS + 8);
    if (sql == NULL)
        return say(st, BSTEP_ENOMEM, "out of memory");
    while (done < n && rc == BSTEP_OK) {
        size_t b = n - done < BATCH_ROWS ? n - done : BATCH_ROWS, r;
        int k, p = 1;
        if (q == NULL || b != batch_done) {
            char *o = sql;
            bstep__stmt_finalize(q);
            q = NULL;
            o += snprintf(o, strlen(head) + 1, "%s", head);
            for (r = 0; r < b; r++) {
                *o++ = r ? ',' : ' ';
                *o++ = '(';
                for (k = 0; k < ncols; k++) {
                    if (k)
                        *o++ = ',';
                    *o++ = '?';
                }
                *o++ = ')';
            }
            snprintf(o, strlen(tail) + 2, " %s", tail);
            if ((rc = prep(st, sql, &q)) != BSTEP_OK)
                break;
            batch_done = b;
        } else {
            bstep__stmt_reset(q);
        }
        for (r = 0; r < b && rc == BSTEP_OK; r++, p += ncols)
            if ((rc = bind(q, p, rows, done + r, sid)) != BSTEP_OK)
                rc = say(st, rc,
                         rc == BSTEP_EINVAL ? "row %zu: text not terminated"
                                            : "row %zu could not be read from the analysis "
                                              "(its temporary file failed)",
                         done + r);
        if (rc == BSTEP_OK)
            rc = run(st, q);
        done += b;
    }
    bstep__stmt_finalize(q);
    free(sql);
    return rc;
}

static int bind_bout(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const bstep_store_bout *b = (const bstep_store_bout *)rows + k;
    bstep__bind_int(q, i, sid);
    bstep__bind_int(q, i + 1, (int64_t)k);
    bstep__bind_double(q, i + 2, isfinite(b->start_s) ? b->start_s : 0.0);
    bstep__bind_double(q, i + 3, b->end_s);
    bstep__bind_text(q, i + 4, b->activity);
    bstep__bind_int(q, i + 5, b->steps < 0 ? 0 : b->steps);
    bstep__bind_double(q, i + 6, b->distance_m);
    bstep__bind_double(q, i + 7, b->cadence_spm);
    bstep__bind_double(q, i + 8, b->direction_confidence);
    bstep__bind_double(q, i + 9, b->step_regularity);
    bstep__bind_double(q, i + 10, b->stride_regularity);
    return BSTEP_OK;
}

static int bind_step(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const bstep_store_step *r = (const bstep_store_step *)rows + k;
    bstep__bind_int(q, i, sid);
    bstep__bind_int(q, i + 1, (int64_t)k);
    bstep__bind_double(q, i + 2, isfinite(r->ic_s) ? r->ic_s : 0.0);
    bstep__bind_double(q, i + 3, r->fc_s);
    bind_enum(q, i + 4, r->foot != BSTEP_FOOT_UNKNOWN, bstep_foot_name(r->foot));
    bind_enum(q, i + 5, r->direction != BSTEP_DIRECTION_UNKNOWN,
              bstep_direction_name(r->direction));
    bind_enum(q, i + 6, r->strike != BSTEP_STRIKE_UNKNOWN, bstep_strike_name(r->strike));
    bstep__bind_double(q, i + 7, r->strike_angle_deg);
    bstep__bind_double(q, i + 8, r->stride_length_m);
    bstep__bind_double(q, i + 9, r->stride_time_s);
    bstep__bind_double(q, i + 10, r->stride_forward_m);
    bstep__bind_double(q, i + 11, r->stride_left_m);
    bstep__bind_double(q, i + 12, r->speed_mps);
    bstep__bind_double(q, i + 13, r->clearance_m);
    bstep__bind_double(q, i + 14, r->turn_deg);
    bstep__bind_double(q, i + 15, r->fc_angle_deg);
    bind_enum(q, i + 16, r->fc_strike != BSTEP_STRIKE_UNKNOWN, bstep_strike_name(r->fc_strike));
    bstep__bind_double(q, i + 17, r->step_length_m);
    bstep__bind_double(q, i + 18, r->trunk_lean_deg);
    bstep__bind_double(q, i + 19, r->side_lean_deg);
    bstep__bind_double(q, i + 20, r->confidence);
    return BSTEP_OK;
}

/* Rows from the parts' providers (step_at, event_at) instead of arrays: rows is the parts. */
static int bind_step_at(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const bstep_store_session_parts *p = rows;
    bstep_store_step r;
    if (p->step_at(p->row_ctx, k, &r) != 0)
        return BSTEP_EIO;
    bind_step(q, i, &r, 0, sid);
    bstep__bind_int(q, i + 1, (int64_t)k); /* the row's own index, not 0 */
    return BSTEP_OK;
}

static int bind_event(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const bstep_store_event *e = (const bstep_store_event *)rows + k;
    bstep__bind_int(q, i, sid);
    bstep__bind_int(q, i + 1, (int64_t)k);
    bstep__bind_double(q, i + 2, isfinite(e->t_s) ? e->t_s : 0.0);
    bstep__bind_text(q, i + 3, e->type);
    bstep__bind_text(q, i + 4, e->message);
    bind_enum(q, i + 5, e->direction != BSTEP_DIRECTION_UNKNOWN,
              bstep_direction_name(e->direction));
    bstep__bind_double(q, i + 6, e->confidence);
    bstep__bind_double(q, i + 7, e->value);
    bstep__bind_double(q, i + 8, e->trunk_lean_deg);
    bstep__bind_double(q, i + 9, e->side_lean_deg);
    return BSTEP_OK;
}

static int bind_event_at(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const bstep_store_session_parts *p = rows;
    bstep_store_event e;
    if (p->event_at(p->row_ctx, k, &e) != 0)
        return BSTEP_EIO;
    if (!fits(e.type, sizeof(e.type)) || !fits(e.message, sizeof(e.message)))
        return BSTEP_EINVAL;
    bind_event(q, i, &e, 0, sid);
    bstep__bind_int(q, i + 1, (int64_t)k);
    return BSTEP_OK;
}

static int bind_cue(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const bstep_store_cue *e = (const bstep_store_cue *)rows + k;
    bstep__bind_int(q, i, sid);
    bstep__bind_int(q, i + 1, (int64_t)k);
    bstep__bind_double(q, i + 2, isfinite(e->t_s) ? e->t_s : 0.0);
    bstep__bind_text(q, i + 3, e->kind);
    bstep__bind_text(q, i + 4, e->message);
    return BSTEP_OK;
}

static int check_parts(bstep_store *st, const bstep_store_session_parts *p)
{
    size_t i;
    for (i = 0; i < p->n_bouts; i++)
        if (!fits(p->bouts[i].activity, sizeof(p->bouts[i].activity)))
            return say(st, BSTEP_EINVAL, "bout %zu: activity not terminated", i);
    for (i = 0; p->event_at == NULL && i < p->n_events; i++) /* providers: checked per row */
        if (!fits(p->events[i].type, sizeof(p->events[i].type)) ||
            !fits(p->events[i].message, sizeof(p->events[i].message)))
            return say(st, BSTEP_EINVAL, "event %zu: text not terminated", i);
    for (i = 0; i < p->n_cues; i++)
        if (!fits(p->cues[i].kind, sizeof(p->cues[i].kind)) ||
            !fits(p->cues[i].message, sizeof(p->cues[i].message)))
            return say(st, BSTEP_EINVAL, "cue %zu: text not terminated", i);
    if (p->n_series > 0 && (p->series == NULL || p->series_source == NULL ||
                            p->series_source[0] == '\0' || strlen(p->series_source) > 31))
        return say(st, BSTEP_EINVAL, "series source must have 1 to 31 bytes");
    return BSTEP_OK;
}

static void bind_point(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const bstep_store_series_point *p = (const bstep_store_series_point *)rows + k;
    (void)sid;
    bstep__bind_int(q, i + 2, p->t_us);
    bstep__bind_double(q, i + 3, p->hr_bpm);
    bstep__bind_double(q, i + 4, p->speed_mps);
    bstep__bind_double(q, i + 5, p->incline_pct);
    bstep__bind_double(q, i + 6, p->cadence_spm);
    bstep__bind_double(q, i + 7, p->distance_m);
}

/* The series rows need the source text too: bound through this context. */
typedef struct {
    const bstep_store_series_point *pts;
    const char *source;
    int64_t sid;
} series_ctx;

static int bind_series_row(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const series_ctx *c = rows;
    bstep__bind_int(q, i, c->sid);
    bstep__bind_text(q, i + 1, c->source);
    bind_point(q, i, c->pts, k, sid);
    return BSTEP_OK;
}

static int exec_id(bstep_store *st, const char *sql, int64_t id);

/* After a series of a session was written: its mean heart rate and, from a treadmill's series,
 * its treadmill speed and incline (every source of that kind). */
static int series_summary_update(bstep_store *st, int64_t session_id, const char *source)
{
    const int treadmill = strncmp(source, "ftms", 4) == 0 || strncmp(source, "treadmill", 9) == 0;
    int rc = exec_id(st,
                     "UPDATE sessions SET hr_mean_bpm = (SELECT avg(hr_bpm) FROM series WHERE "
                     "series.session_id = sessions.id) WHERE id = ?",
                     session_id);
    if (rc == BSTEP_OK && treadmill)
        rc = exec_id(st,
                     "UPDATE sessions SET treadmill_speed_mps = (SELECT avg(speed_mps) FROM "
                     "series WHERE series.session_id = sessions.id AND (source LIKE 'ftms%' OR "
                     "source LIKE 'treadmill%')), treadmill_incline_pct = (SELECT "
                     "avg(incline_pct) FROM series WHERE series.session_id = sessions.id AND "
                     "(source LIKE 'ftms%' OR source LIKE 'treadmill%')) WHERE id = ?",
                     session_id);
    return rc;
}

static int insert_parts(bstep_store *st, int64_t sid, const bstep_store_session_parts *p)
{
    int rc = BSTEP_OK;
    if (p == NULL)
        return BSTEP_OK;
    if (rc == BSTEP_OK)
        rc = insert_rows(st,
                         "INSERT INTO bouts (session_id, idx, start_s, end_s, activity, steps, "
                         "distance_m, cadence_spm, direction_confidence, step_regularity, "
                         "stride_regularity) VALUES",
                         "", 11, p->n_bouts, bind_bout, p->bouts, sid);
    if (rc == BSTEP_OK)
        rc = insert_rows(
            st,
            "INSERT INTO steps (session_id, idx, ic_s, fc_s, foot, direction, "
            "strike, strike_angle_deg, stride_length_m, stride_time_s, stride_forward_m, "
            "stride_left_m, speed_mps, clearance_m, turn_deg, fc_angle_deg, "
            "fc_strike, step_length_m, trunk_lean_deg, side_lean_deg, confidence) VALUES",
            "", 21, p->n_steps, p->step_at ? bind_step_at : bind_step,
            p->step_at ? (const void *)p : (const void *)p->steps, sid);
    if (rc == BSTEP_OK)
        rc = insert_rows(st,
                         "INSERT INTO events (session_id, idx, t_s, type, message, direction, "
                         "confidence, value, trunk_lean_deg, side_lean_deg) VALUES",
                         "", 10, p->n_events, p->event_at ? bind_event_at : bind_event,
                         p->event_at ? (const void *)p : (const void *)p->events, sid);
    if (rc == BSTEP_OK)
        rc = insert_rows(st, "INSERT INTO cues (session_id, idx, t_s, kind, message) VALUES", "", 5,
                         p->n_cues, bind_cue, p->cues, sid);
    if (rc == BSTEP_OK && p->n_series > 0) {
        series_ctx ctx;
        ctx.pts = p->series;
        ctx.source = p->series_source;
        ctx.sid = sid;
        rc = insert_rows(st,
                         "INSERT INTO series (session_id, source, t_us, hr_bpm, speed_mps, "
                         "incline_pct, cadence_spm, distance_m) VALUES",
                         "ON CONFLICT (session_id, source, t_us) DO NOTHING", 8, p->n_series,
                         bind_series_row, &ctx, sid);
        if (rc == BSTEP_OK)
            rc = series_summary_update(st, sid, p->series_source);
    }
    return rc;
}

static int session_id_by_sha(bstep_store *st, int64_t user_id, const char *sha, int64_t *id)
{
    bstep__stmt *q = NULL;
    int rc = prep(st, "SELECT id FROM sessions WHERE user_id = ? AND sha256 = ?", &q);
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, user_id);
    bstep__bind_text(q, 2, sha);
    rc = bstep__stmt_step(q);
    if (rc == 1) {
        *id = bstep__col_int(q, 0);
        rc = BSTEP_OK;
    } else {
        rc = rc == 0 ? say(st, BSTEP_ENOTFOUND, "no such session") : dbfail(st, rc);
    }
    bstep__stmt_finalize(q);
    return rc;
}

static int session_insert(bstep_store *st, bstep_store_session *s, const char *state,
                          const bstep_store_session_parts *parts, int *existed)
{
#define Q10 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    /* 5 identity columns + 50 summary columns = 55 parameters */
    static const char sql[] = "INSERT INTO sessions (user_id, state, source_path, sha256, "
                              "created_us, " SESSION_SUMMARY_COLS ") VALUES (" Q10 Q10 Q10 Q10 Q10
                              "?, ?, ?, ?, ?) ON CONFLICT "
                              "(user_id, sha256) DO NOTHING RETURNING id";
#undef Q10
    bstep__stmt *q = NULL;
    int rc, got = 0;
    if (existed)
        *existed = 0;
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    rc = prep(st, sql, &q);
    if (rc == BSTEP_OK) {
        s->created_us = bstep__store_now_us();
        bstep__bind_int(q, 1, s->user_id);
        bstep__bind_text(q, 2, state);
        bstep__bind_text(q, 3, s->source_path);
        bstep__bind_text(q, 4, s->sha256_hex[0] ? s->sha256_hex : NULL);
        bstep__bind_int(q, 5, s->created_us);
        bind_summary(q, 6, s);
        rc = bstep__stmt_step(q);
        if (rc == 1) {
            s->id = bstep__col_int(q, 0);
            got = 1;
            rc = BSTEP_OK;
        } else if (rc == 0) {
            rc = BSTEP_OK;
        } else if (st->db->last_error == BSTEP__DBERR_FOREIGN) {
            rc = say(st, BSTEP_ENOTFOUND, "no user with id %lld (or no such device)",
                     (long long)s->user_id);
        } else {
            rc = dbfail(st, rc);
        }
        bstep__stmt_finalize(q);
    }
    if (rc == BSTEP_OK && !got) {
        /* Already stored (by checksum): report the stored session. */
        rc = session_id_by_sha(st, s->user_id, s->sha256_hex, &s->id);
        if (rc == BSTEP_OK && existed)
            *existed = 1;
    } else if (rc == BSTEP_OK) {
        rc = insert_parts(st, s->id, parts);
    }
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_session_add(bstep_store *st, bstep_store_session *s,
                            const bstep_store_session_parts *parts, int *existed)
{
    int rc = check_session(st, s, 0);
    if (rc == BSTEP_OK && parts != NULL)
        rc = check_parts(st, parts);
    if (rc != BSTEP_OK)
        return rc;
    return session_insert(st, s, "done", parts, existed);
}

static int session_query1(bstep_store *st, const char *sql, int64_t a, const char *b,
                          bstep_store_session *out, const char *what)
{
    bstep__stmt *q = NULL;
    int rc = prep(st, sql, &q);
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, a);
    if (b != NULL)
        bstep__bind_text(q, 2, b);
    rc = bstep__stmt_step(q);
    if (rc == 1) {
        read_session(q, out);
        rc = BSTEP_OK;
        ok(st);
    } else {
        rc = rc == 0 ? say(st, BSTEP_ENOTFOUND, "%s", what) : dbfail(st, rc);
    }
    bstep__stmt_finalize(q);
    return rc;
}

int bstep_store_session_get(bstep_store *st, int64_t id, bstep_store_session *out)
{
    char what[64];
    snprintf(what, sizeof(what), "no session with id %lld", (long long)id);
    return session_query1(st, "SELECT " SESSION_COLS " FROM sessions WHERE id = ?", id, NULL, out,
                          what);
}

int bstep_store_session_find_sha256(bstep_store *st, int64_t user_id, const char *sha256_hex,
                                    bstep_store_session *out)
{
    return session_query1(
        st, "SELECT " SESSION_COLS " FROM sessions WHERE user_id = ? AND sha256 = ?", user_id,
        sha256_hex ? sha256_hex : "", out, "no session with this checksum");
}

static int session_update_in_txn(bstep_store *st, const bstep_store_session *s, const char *state)
{
    bstep__stmt *q = NULL;
    int rc, n = 0;
    rc = prep(
        st, "UPDATE sessions SET state = ?, " SESSION_SUMMARY_SET " WHERE id = ? RETURNING id", &q);
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_text(q, 1, state);
    bstep__bind_int(q, bind_summary(q, 2, s), s->id);
    while ((rc = bstep__stmt_step(q)) == 1)
        n++;
    bstep__stmt_finalize(q);
    if (rc < 0)
        return dbfail(st, rc);
    if (n == 0)
        return say(st, BSTEP_ENOTFOUND, "no session with id %lld", (long long)s->id);
    return BSTEP_OK;
}

int bstep_store_session_update(bstep_store *st, const bstep_store_session *s)
{
    bstep_store_session cur;
    int rc = bstep_store_session_get(st, s->id, &cur);
    if (rc != BSTEP_OK)
        return rc;
    if (!fits(s->note, sizeof(s->note)))
        return say(st, BSTEP_EINVAL, "session note too long");
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    rc = session_update_in_txn(st, s, cur.state == BSTEP_SESSION_LIVE ? "live" : "done");
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

static int exec_id(bstep_store *st, const char *sql, int64_t id)
{
    bstep__stmt *q = NULL;
    int rc = prep(st, sql, &q);
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, id);
    rc = run(st, q);
    bstep__stmt_finalize(q);
    return rc;
}

int bstep_store_session_delete(bstep_store *st, int64_t id)
{
    bstep_store_session cur;
    int rc = bstep_store_session_get(st, id, &cur);
    if (rc != BSTEP_OK)
        return rc;
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    rc = exec_id(st, "DELETE FROM sessions WHERE id = ?", id);
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

void bstep_store_filter_init(bstep_store_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->from_us = INT64_MIN;
    f->to_us = INT64_MAX;
    f->direction = BSTEP_DIRECTION_UNKNOWN;
}

static int read_sessions(bstep_store *st, bstep__stmt *q, bstep_store_session **out, size_t *n)
{
    vec v = {NULL, 0, 0, sizeof(bstep_store_session)};
    int rc;
    while ((rc = bstep__stmt_step(q)) == 1) {
        bstep_store_session *s = vec_push(&v);
        if (s == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        read_session(q, s);
    }
    if (rc != 0) {
        free(v.p);
        return rc == BSTEP_ENOMEM ? say(st, rc, "out of memory") : dbfail(st, rc);
    }
    *out = v.p;
    *n = v.n;
    return BSTEP_OK;
}

int bstep_store_session_list(bstep_store *st, const bstep_store_filter *f,
                             bstep_store_session **out, size_t *n)
{
#define LIST_WHERE                                                                                 \
    " FROM sessions WHERE (CAST(? AS BIGINT) = 0 OR user_id = ?) AND (CAST(? AS BIGINT) = 0 OR "   \
    "user_id IN (SELECT id FROM users WHERE clinic_id = ?)) AND start_us >= ? AND start_us < ? "   \
    "AND (CAST(? AS BIGINT) = 0 OR (CAST(? AS BIGINT) = 1 AND steps_forward > 0) OR (CAST(? AS "   \
    "BIGINT) = 2 AND steps_backward > 0) OR (CAST(? AS BIGINT) = 3 AND steps_sideways > 0)) AND "  \
    "(CAST(? AS BIGINT) = 1 OR state = 'done') "
    static const char asc[] =
        "SELECT " SESSION_COLS LIST_WHERE "ORDER BY start_us, id LIMIT ? OFFSET ?";
    static const char desc[] =
        "SELECT " SESSION_COLS LIST_WHERE "ORDER BY start_us DESC, id DESC LIMIT ? OFFSET ?";
#undef LIST_WHERE
    bstep__stmt *q = NULL;
    int dir = 0, rc;
    *out = NULL;
    *n = 0;
    switch (f->direction) {
    case BSTEP_DIRECTION_FORWARD:
        dir = 1;
        break;
    case BSTEP_DIRECTION_BACKWARD:
        dir = 2;
        break;
    case BSTEP_DIRECTION_SIDEWAYS_LEFT:
    case BSTEP_DIRECTION_SIDEWAYS_RIGHT:
        dir = 3;
        break;
    case BSTEP_DIRECTION_UNKNOWN:
        dir = 0;
        break;
    default:
        return say(st, BSTEP_EINVAL, "direction filter: forward, backward or sideways");
    }
    if ((rc = prep(st, f->newest_first ? desc : asc, &q)) != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, f->user_id);
    bstep__bind_int(q, 2, f->user_id);
    bstep__bind_int(q, 3, f->clinic_id);
    bstep__bind_int(q, 4, f->clinic_id);
    bstep__bind_int(q, 5, f->from_us);
    bstep__bind_int(q, 6, f->to_us);
    bstep__bind_int(q, 7, dir);
    bstep__bind_int(q, 8, dir);
    bstep__bind_int(q, 9, dir);
    bstep__bind_int(q, 10, dir);
    bstep__bind_int(q, 11, f->include_live ? 1 : 0);
    bstep__bind_int(q, 12,
                    f->limit == 0 || f->limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)f->limit);
    bstep__bind_int(q, 13, f->offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)f->offset);
    rc = read_sessions(st, q, out, n);
    bstep__stmt_finalize(q);
    if (rc == BSTEP_OK)
        ok(st);
    return rc;
}

/* Fill a list from a query bound with one id. */
typedef void (*read_row_fn)(bstep__stmt *q, void *row);

static int list_by_id(bstep_store *st, const char *sql, int64_t id, size_t elem, read_row_fn fn,
                      void **out, size_t *n)
{
    bstep__stmt *q = NULL;
    vec v = {NULL, 0, 0, elem};
    int rc = prep(st, sql, &q);
    *out = NULL;
    *n = 0;
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, id);
    while ((rc = bstep__stmt_step(q)) == 1) {
        void *row = vec_push(&v);
        if (row == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        fn(q, row);
    }
    bstep__stmt_finalize(q);
    if (rc != 0) {
        free(v.p);
        return rc == BSTEP_ENOMEM ? say(st, rc, "out of memory") : dbfail(st, rc);
    }
    *out = v.p;
    *n = v.n;
    return BSTEP_OK;
}

static void read_bout(bstep__stmt *q, void *row)
{
    bstep_store_bout *b = row;
    b->start_s = bstep__col_double(q, 0);
    b->end_s = bstep__col_double(q, 1);
    copy_text(b->activity, sizeof(b->activity), bstep__col_text(q, 2));
    b->steps = bstep__col_int(q, 3);
    b->distance_m = bstep__col_double(q, 4);
    b->cadence_spm = bstep__col_double(q, 5);
    b->direction_confidence = bstep__col_double(q, 6);
    b->step_regularity = bstep__col_double(q, 7);
    b->stride_regularity = bstep__col_double(q, 8);
}

static void read_step(bstep__stmt *q, void *row)
{
    bstep_store_step *r = row;
    r->ic_s = bstep__col_double(q, 0);
    r->fc_s = bstep__col_double(q, 1);
    r->foot = foot_of(bstep__col_text(q, 2));
    r->direction = direction_of(bstep__col_text(q, 3));
    r->strike = strike_of(bstep__col_text(q, 4));
    r->strike_angle_deg = bstep__col_double(q, 5);
    r->stride_length_m = bstep__col_double(q, 6);
    r->stride_time_s = bstep__col_double(q, 7);
    r->stride_forward_m = bstep__col_double(q, 8);
    r->stride_left_m = bstep__col_double(q, 9);
    r->speed_mps = bstep__col_double(q, 10);
    r->clearance_m = bstep__col_double(q, 11);
    r->turn_deg = bstep__col_double(q, 12);
    r->fc_angle_deg = bstep__col_double(q, 13);
    r->fc_strike = strike_of(bstep__col_text(q, 14));
    r->step_length_m = bstep__col_double(q, 15);
    r->trunk_lean_deg = bstep__col_double(q, 16);
    r->side_lean_deg = bstep__col_double(q, 17);
    r->confidence = bstep__col_double(q, 18);
}

static void read_event(bstep__stmt *q, void *row)
{
    bstep_store_event *e = row;
    e->t_s = bstep__col_double(q, 0);
    copy_text(e->type, sizeof(e->type), bstep__col_text(q, 1));
    copy_text(e->message, sizeof(e->message), bstep__col_text(q, 2));
    e->direction = direction_of(bstep__col_text(q, 3));
    e->confidence = bstep__col_double(q, 4);
    e->value = bstep__col_double(q, 5);
    e->trunk_lean_deg = bstep__col_double(q, 6);
    e->side_lean_deg = bstep__col_double(q, 7);
}

static void read_cue(bstep__stmt *q, void *row)
{
    bstep_store_cue *e = row;
    e->t_s = bstep__col_double(q, 0);
    copy_text(e->kind, sizeof(e->kind), bstep__col_text(q, 1));
    copy_text(e->message, sizeof(e->message), bstep__col_text(q, 2));
}

static void read_point(bstep__stmt *q, void *row)
{
    bstep_store_series_point *p = row;
    p->t_us = bstep__col_int(q, 0);
    p->hr_bpm = bstep__col_double(q, 1);
    p->speed_mps = bstep__col_double(q, 2);
    p->incline_pct = bstep__col_double(q, 3);
    p->cadence_spm = bstep__col_double(q, 4);
    p->distance_m = bstep__col_double(q, 5);
}

#define SERIES_SQL                                                                                 \
    "SELECT t_us, hr_bpm, speed_mps, incline_pct, cadence_spm, distance_m FROM series WHERE "      \
    "session_id = ? ORDER BY t_us, source"

int bstep_store_series_get(bstep_store *st, int64_t session_id, bstep_store_series_point **out,
                           size_t *n)
{
    int rc = list_by_id(st, SERIES_SQL, session_id, sizeof(**out), read_point, (void **)out, n);
    if (rc == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_series_get_treadmill(bstep_store *st, int64_t session_id,
                                     bstep_store_series_point **out, size_t *n)
{
    int rc = list_by_id(st,
                        "SELECT t_us, hr_bpm, speed_mps, incline_pct, cadence_spm, distance_m FROM "
                        "series WHERE session_id = ? AND source NOT IN ('fit', 'tcx') AND "
                        "(speed_mps IS NOT NULL OR incline_pct IS NOT NULL) ORDER BY t_us, source",
                        session_id, sizeof(**out), read_point, (void **)out, n);
    if (rc == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_session_load(bstep_store *st, int64_t id, bstep_store_session_full **out)
{
    bstep_store_session_full *f = calloc(1, sizeof(*f));
    int rc;
    *out = NULL;
    if (f == NULL)
        return say(st, BSTEP_ENOMEM, "out of memory");
    rc = bstep_store_session_get(st, id, &f->session);
    if (rc == BSTEP_OK)
        rc = list_by_id(st,
                        "SELECT start_s, end_s, activity, steps, distance_m, cadence_spm, "
                        "direction_confidence, step_regularity, stride_regularity FROM bouts "
                        "WHERE session_id = ? ORDER BY idx",
                        id, sizeof(*f->bouts), read_bout, (void **)&f->bouts, &f->n_bouts);
    if (rc == BSTEP_OK)
        rc = list_by_id(
            st,
            "SELECT ic_s, fc_s, foot, direction, strike, strike_angle_deg, "
            "stride_length_m, stride_time_s, stride_forward_m, stride_left_m, speed_mps, "
            "clearance_m, turn_deg, fc_angle_deg, fc_strike, step_length_m, trunk_lean_deg, "
            "side_lean_deg, confidence FROM steps WHERE session_id = ? ORDER BY idx",
            id, sizeof(*f->steps), read_step, (void **)&f->steps, &f->n_steps);
    if (rc == BSTEP_OK)
        rc = list_by_id(st,
                        "SELECT t_s, type, message, direction, confidence, value, trunk_lean_deg, "
                        "side_lean_deg FROM events WHERE session_id = ? ORDER BY idx",
                        id, sizeof(*f->events), read_event, (void **)&f->events, &f->n_events);
    if (rc == BSTEP_OK)
        rc = list_by_id(st, "SELECT t_s, kind, message FROM cues WHERE session_id = ? ORDER BY idx",
                        id, sizeof(*f->cues), read_cue, (void **)&f->cues, &f->n_cues);
    if (rc == BSTEP_OK)
        rc = list_by_id(st, SERIES_SQL, id, sizeof(*f->series), read_point, (void **)&f->series,
                        &f->n_series);
    if (rc != BSTEP_OK) {
        bstep_store_session_full_free(f);
        return rc;
    }
    *out = f;
    ok(st);
    return BSTEP_OK;
}

void bstep_store_session_full_free(bstep_store_session_full *f)
{
    if (f == NULL)
        return;
    free(f->bouts);
    free(f->steps);
    free(f->events);
    free(f->cues);
    free(f->series);
    free(f);
}

/* ---- external series ----------------------------------------------------------------------- */

int bstep_store_session_find_by_time(bstep_store *st, int64_t user_id, int64_t from_us,
                                     int64_t to_us, bstep_store_session *out)
{
    /* Sessions are at most a day long in practice; those starting up to 2 days before from_us
     * are considered, and the overlap is computed from each one's duration. */
    const int64_t lookback_us = 2LL * 86400 * 1000000;
    bstep__stmt *q = NULL;
    bstep_store_session *list = NULL;
    size_t n = 0, i, best = 0;
    double best_overlap = 0.0;
    int rc;
    if (to_us <= from_us)
        return say(st, BSTEP_EINVAL, "empty time range");
    rc = prep(st,
              "SELECT " SESSION_COLS " FROM sessions WHERE user_id = ? AND state = 'done' AND "
              "start_us < ? AND start_us >= ? ORDER BY start_us, id",
              &q);
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, user_id);
    bstep__bind_int(q, 2, to_us);
    bstep__bind_int(q, 3, from_us > INT64_MIN + lookback_us ? from_us - lookback_us : INT64_MIN);
    rc = read_sessions(st, q, &list, &n);
    bstep__stmt_finalize(q);
    if (rc != BSTEP_OK)
        return rc;
    for (i = 0; i < n; i++) {
        const double a = (double)list[i].start_us;
        const double dur = isfinite(list[i].duration_s) ? list[i].duration_s * 1e6 : 0.0;
        const double lo = a > (double)from_us ? a : (double)from_us;
        const double hi = a + dur < (double)to_us ? a + dur : (double)to_us;
        if (hi - lo > best_overlap) {
            best_overlap = hi - lo;
            best = i + 1;
        }
    }
    if (best == 0) {
        free(list);
        return say(st, BSTEP_ENOTFOUND, "no session of user %lld overlaps that time",
                   (long long)user_id);
    }
    *out = list[best - 1];
    free(list);
    ok(st);
    return BSTEP_OK;
}

int bstep_store_series_set(bstep_store *st, int64_t session_id, const char *source,
                           const bstep_store_series_point *pts, size_t n)
{
    bstep_store_session cur;
    bstep__stmt *q = NULL;
    series_ctx ctx;
    int rc;
    if (source == NULL || source[0] == '\0' || strlen(source) > 31)
        return say(st, BSTEP_EINVAL, "series source must have 1 to 31 bytes");
    if ((rc = bstep_store_session_get(st, session_id, &cur)) != BSTEP_OK)
        return rc;
    ctx.pts = pts;
    ctx.source = source;
    ctx.sid = session_id;
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    rc = prep(st, "DELETE FROM series WHERE session_id = ? AND source = ?", &q);
    if (rc == BSTEP_OK) {
        bstep__bind_int(q, 1, session_id);
        bstep__bind_text(q, 2, source);
        rc = run(st, q);
        bstep__stmt_finalize(q);
    }
    if (rc == BSTEP_OK)
        rc = insert_rows(st,
                         "INSERT INTO series (session_id, source, t_us, hr_bpm, speed_mps, "
                         "incline_pct, cadence_spm, distance_m) VALUES",
                         "ON CONFLICT (session_id, source, t_us) DO NOTHING", 8, n, bind_series_row,
                         &ctx, session_id);
    if (rc == BSTEP_OK)
        rc = series_summary_update(st, session_id, source);
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

/* ---- live sessions ------------------------------------------------------------------------- */

int bstep_store_live_begin(bstep_store *st, bstep_store_session *s)
{
    int rc = check_session(st, s, 1);
    if (rc != BSTEP_OK)
        return rc;
    s->sha256_hex[0] = '\0';
    s->state = BSTEP_SESSION_LIVE;
    return session_insert(st, s, "live", NULL, NULL);
}

typedef struct {
    const bstep_imu_sample *pts;
    int64_t seq0;
} live_ctx;

static int bind_sample(bstep__stmt *q, int i, const void *rows, size_t k, int64_t sid)
{
    const live_ctx *c = rows;
    const bstep_imu_sample *p = c->pts + k;
    bstep__bind_int(q, i, sid);
    bstep__bind_int(q, i + 1, c->seq0 + (int64_t)k);
    bstep__bind_int(q, i + 2, p->t_us);
    bstep__bind_double(q, i + 3, (double)p->accel_mps2[0]);
    bstep__bind_double(q, i + 4, (double)p->accel_mps2[1]);
    bstep__bind_double(q, i + 5, (double)p->accel_mps2[2]);
    bstep__bind_double(q, i + 6, (double)p->gyro_dps[0]);
    bstep__bind_double(q, i + 7, (double)p->gyro_dps[1]);
    bstep__bind_double(q, i + 8, (double)p->gyro_dps[2]);
    bstep__bind_int(q, i + 9, (int64_t)p->flags);
    return BSTEP_OK;
}

int bstep_store_live_samples_add(bstep_store *st, int64_t session_id, int64_t seq_first,
                                 const bstep_imu_sample *pts, size_t n)
{
    live_ctx ctx;
    size_t i;
    int rc;
    if (seq_first < 0)
        return say(st, BSTEP_EINVAL, "sample sequence numbers start at 0");
    for (i = 0; i < n; i++) {
        int k;
        for (k = 0; k < 3; k++)
            if (!isfinite(pts[i].accel_mps2[k]) || !isfinite(pts[i].gyro_dps[k]))
                return say(st, BSTEP_EINVAL, "sample %lld: not a finite number",
                           (long long)(seq_first + (int64_t)i));
    }
    ctx.pts = pts;
    ctx.seq0 = seq_first;
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    rc = insert_rows(st,
                     "INSERT INTO live_samples (session_id, seq, t_us, ax, ay, az, gx, gy, gz, "
                     "flags) VALUES",
                     "ON CONFLICT (session_id, seq) DO NOTHING", 10, n, bind_sample, &ctx,
                     session_id);
    if (rc != BSTEP_OK && st->db->last_error == BSTEP__DBERR_FOREIGN)
        rc = say(st, BSTEP_ENOTFOUND, "no session with id %lld", (long long)session_id);
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_live_samples_read(bstep_store *st, int64_t session_id, int64_t seq_from,
                                  bstep_imu_sample *buf, size_t cap, size_t *n, int64_t *next_seq)
{
    bstep__stmt *q = NULL;
    int rc;
    *n = 0;
    if (next_seq)
        *next_seq = seq_from;
    rc = prep(st,
              "SELECT seq, t_us, ax, ay, az, gx, gy, gz, flags FROM live_samples WHERE session_id "
              "= ? AND seq >= ? ORDER BY seq LIMIT ?",
              &q);
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, session_id);
    bstep__bind_int(q, 2, seq_from);
    bstep__bind_int(q, 3, (int64_t)cap);
    while ((rc = bstep__stmt_step(q)) == 1 && *n < cap) {
        bstep_imu_sample *p = &buf[(*n)++];
        int k;
        p->t_us = bstep__col_int(q, 1);
        for (k = 0; k < 3; k++) {
            p->accel_mps2[k] = (float)bstep__col_double(q, 2 + k);
            p->gyro_dps[k] = (float)bstep__col_double(q, 5 + k);
        }
        p->flags = (uint32_t)bstep__col_int(q, 8);
        if (next_seq)
            *next_seq = bstep__col_int(q, 0) + 1;
    }
    bstep__stmt_finalize(q);
    if (rc < 0)
        return dbfail(st, rc);
    ok(st);
    return BSTEP_OK;
}

int bstep_store_live_samples_count(bstep_store *st, int64_t session_id, int64_t *count)
{
    bstep__stmt *q = NULL;
    int rc = prep(st, "SELECT count(*) FROM live_samples WHERE session_id = ?", &q);
    *count = 0;
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, session_id);
    rc = bstep__stmt_step(q);
    if (rc == 1)
        *count = bstep__col_int(q, 0);
    bstep__stmt_finalize(q);
    if (rc < 0)
        return dbfail(st, rc);
    ok(st);
    return BSTEP_OK;
}

int bstep_store_live_finish(bstep_store *st, const bstep_store_session *s,
                            const bstep_store_session_parts *parts)
{
    static const char *const wipe[] = {
        "DELETE FROM bouts WHERE session_id = ?", "DELETE FROM steps WHERE session_id = ?",
        "DELETE FROM events WHERE session_id = ?", "DELETE FROM cues WHERE session_id = ?"};
    bstep_store_session cur;
    size_t i;
    int rc = bstep_store_session_get(st, s->id, &cur);
    if (rc != BSTEP_OK)
        return rc;
    if (parts != NULL && (rc = check_parts(st, parts)) != BSTEP_OK)
        return rc;
    if (!fits(s->note, sizeof(s->note)))
        return say(st, BSTEP_EINVAL, "session note too long");
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    for (i = 0; i < 4 && rc == BSTEP_OK; i++)
        rc = exec_id(st, wipe[i], s->id);
    if (rc == BSTEP_OK)
        rc = session_update_in_txn(st, s, "done");
    if (rc == BSTEP_OK)
        rc = insert_parts(st, s->id, parts);
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

/* ---- plans --------------------------------------------------------------------------------- */

#define PLAN_COLS                                                                                  \
    "id, user_id, kind, start_date, level, active, params_json, created_us, updated_us"

static void read_plan(bstep__stmt *q, void *row)
{
    bstep_store_plan *p = row;
    memset(p, 0, sizeof(*p));
    p->id = bstep__col_int(q, 0);
    p->user_id = bstep__col_int(q, 1);
    copy_text(p->kind, sizeof(p->kind), bstep__col_text(q, 2));
    copy_text(p->start_date, sizeof(p->start_date), bstep__col_text(q, 3));
    p->level = (int)bstep__col_int(q, 4);
    p->active = bstep__col_int(q, 5) != 0;
    copy_text(p->params_json, sizeof(p->params_json), bstep__col_text(q, 6));
    p->created_us = bstep__col_int(q, 7);
    p->updated_us = bstep__col_int(q, 8);
}

static void read_answer(bstep__stmt *q, void *row)
{
    bstep_store_answer *a = row;
    copy_text(a->question, sizeof(a->question), bstep__col_text(q, 0));
    copy_text(a->answer, sizeof(a->answer), bstep__col_text(q, 1));
}

int bstep_store_plan_save(bstep_store *st, bstep_store_plan *p, const bstep_store_answer *answers,
                          size_t n_answers)
{
    bstep__stmt *q = NULL;
    size_t i;
    int rc;
    if (p->user_id <= 0 || !fits(p->kind, sizeof(p->kind)) || p->kind[0] == '\0')
        return say(st, BSTEP_EINVAL, "a plan needs a user and a kind (1..31 bytes)");
    if (!bstep__store_date_valid(p->start_date))
        return say(st, BSTEP_EINVAL, "plan start date must be YYYY-MM-DD");
    if (p->level < 0)
        return say(st, BSTEP_EINVAL, "plan level must be >= 0");
    if (!fits(p->params_json, sizeof(p->params_json)))
        return say(st, BSTEP_EINVAL, "plan parameters too long");
    for (i = 0; i < n_answers; i++)
        if (!fits(answers[i].question, sizeof(answers[i].question)) ||
            answers[i].question[0] == '\0' || !fits(answers[i].answer, sizeof(answers[i].answer)))
            return say(st, BSTEP_EINVAL, "screening answer %zu: question or answer too long", i);
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    p->updated_us = bstep__store_now_us();
    if (p->id == 0) {
        p->created_us = p->updated_us;
        rc = prep(st,
                  "INSERT INTO plans (user_id, kind, start_date, level, active, params_json, "
                  "created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  &q);
        if (rc == BSTEP_OK) {
            bstep__bind_int(q, 1, p->user_id);
            bstep__bind_text(q, 2, p->kind);
            bstep__bind_text(q, 3, p->start_date);
            bstep__bind_int(q, 4, p->level);
            bstep__bind_int(q, 5, p->active ? 1 : 0);
            bstep__bind_text(q, 6, p->params_json);
            bstep__bind_int(q, 7, p->created_us);
            bstep__bind_int(q, 8, p->updated_us);
        }
    } else {
        rc = prep(st,
                  "UPDATE plans SET kind = ?, start_date = ?, level = ?, active = ?, params_json "
                  "= ?, updated_us = ? WHERE id = ? AND user_id = ? RETURNING id",
                  &q);
        if (rc == BSTEP_OK) {
            bstep__bind_text(q, 1, p->kind);
            bstep__bind_text(q, 2, p->start_date);
            bstep__bind_int(q, 3, p->level);
            bstep__bind_int(q, 4, p->active ? 1 : 0);
            bstep__bind_text(q, 5, p->params_json);
            bstep__bind_int(q, 6, p->updated_us);
            bstep__bind_int(q, 7, p->id);
            bstep__bind_int(q, 8, p->user_id);
        }
    }
    if (rc == BSTEP_OK) {
        rc = bstep__stmt_step(q);
        if (rc == 1) {
            p->id = bstep__col_int(q, 0);
            rc = BSTEP_OK;
        } else if (rc == 0) {
            rc = say(st, BSTEP_ENOTFOUND, "no plan %lld of user %lld", (long long)p->id,
                     (long long)p->user_id);
        } else if (st->db->last_error == BSTEP__DBERR_FOREIGN) {
            rc = say(st, BSTEP_ENOTFOUND, "no user with id %lld", (long long)p->user_id);
        } else {
            rc = dbfail(st, rc);
        }
        bstep__stmt_finalize(q);
    }
    if (rc == BSTEP_OK && p->active) {
        rc = prep(st, "UPDATE plans SET active = 0 WHERE user_id = ? AND id <> ?", &q);
        if (rc == BSTEP_OK) {
            bstep__bind_int(q, 1, p->user_id);
            bstep__bind_int(q, 2, p->id);
            rc = run(st, q);
            bstep__stmt_finalize(q);
        }
    }
    if (rc == BSTEP_OK)
        rc = exec_id(st, "DELETE FROM screening_answers WHERE plan_id = ?", p->id);
    for (i = 0; i < n_answers && rc == BSTEP_OK; i++) {
        rc = prep(st, "INSERT INTO screening_answers (plan_id, question, answer) VALUES (?, ?, ?)",
                  &q);
        if (rc != BSTEP_OK)
            break;
        bstep__bind_int(q, 1, p->id);
        bstep__bind_text(q, 2, answers[i].question);
        bstep__bind_text(q, 3, answers[i].answer);
        rc = run(st, q);
        if (rc != BSTEP_OK && st->db->last_error == BSTEP__DBERR_UNIQUE)
            rc = say(st, BSTEP_EINVAL, "screening question '%s' answered twice",
                     answers[i].question);
        bstep__stmt_finalize(q);
    }
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_plan_load(bstep_store *st, int64_t plan_id, bstep_store_plan *out,
                          bstep_store_answer **answers, size_t *n_answers)
{
    bstep_store_plan *list = NULL;
    size_t n = 0;
    int rc = list_by_id(st, "SELECT " PLAN_COLS " FROM plans WHERE id = ?", plan_id, sizeof(*list),
                        read_plan, (void **)&list, &n);
    if (answers)
        *answers = NULL;
    if (n_answers)
        *n_answers = 0;
    if (rc != BSTEP_OK)
        return rc;
    if (n == 0) {
        free(list);
        return say(st, BSTEP_ENOTFOUND, "no plan with id %lld", (long long)plan_id);
    }
    *out = list[0];
    free(list);
    if (answers != NULL && n_answers != NULL)
        rc = list_by_id(st,
                        "SELECT question, answer FROM screening_answers WHERE plan_id = ? ORDER "
                        "BY question",
                        plan_id, sizeof(**answers), read_answer, (void **)answers, n_answers);
    if (rc == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_plan_active(bstep_store *st, int64_t user_id, bstep_store_plan *out)
{
    bstep_store_plan *list = NULL;
    size_t n = 0;
    int rc = list_by_id(st,
                        "SELECT " PLAN_COLS " FROM plans WHERE user_id = ? AND active = 1 ORDER "
                        "BY id DESC",
                        user_id, sizeof(*list), read_plan, (void **)&list, &n);
    if (rc != BSTEP_OK)
        return rc;
    if (n == 0) {
        free(list);
        return say(st, BSTEP_ENOTFOUND, "user %lld has no active plan", (long long)user_id);
    }
    *out = list[0];
    free(list);
    ok(st);
    return BSTEP_OK;
}

int bstep_store_plan_list(bstep_store *st, int64_t user_id, bstep_store_plan **out, size_t *n)
{
    int rc = list_by_id(st,
                        "SELECT " PLAN_COLS " FROM plans WHERE user_id = ? ORDER BY created_us "
                        "DESC, id DESC",
                        user_id, sizeof(**out), read_plan, (void **)out, n);
    if (rc == BSTEP_OK)
        ok(st);
    return rc;
}

static void read_progress(bstep__stmt *q, void *row)
{
    bstep_store_plan_progress *e = row;
    e->id = bstep__col_int(q, 0);
    e->plan_id = bstep__col_int(q, 1);
    e->at_us = bstep__col_int(q, 2);
    e->session_id = bstep__col_int(q, 3);
    copy_text(e->kind, sizeof(e->kind), bstep__col_text(q, 4));
    e->level_from = (int)bstep__col_int(q, 5);
    e->level_to = (int)bstep__col_int(q, 6);
    copy_text(e->reason, sizeof(e->reason), bstep__col_text(q, 7));
}

int bstep_store_plan_progress_append(bstep_store *st, bstep_store_plan_progress *e)
{
    bstep__stmt *q = NULL;
    int rc;
    if (!fits(e->kind, sizeof(e->kind)) || e->kind[0] == '\0' ||
        !fits(e->reason, sizeof(e->reason)))
        return say(st, BSTEP_EINVAL, "progress kind (1..31 bytes) and reason (< 256) must fit");
    if (e->level_from < 0 || e->level_to < 0)
        return say(st, BSTEP_EINVAL, "levels must be >= 0");
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    if (e->session_id > 0) { /* a session's decision once per plan, whoever decides it */
        int64_t have = 0;
        if (st->db->ops->backend == BSTEP_STORE_POSTGRESQL) {
            rc = prep(st, "SELECT pg_advisory_xact_lock(1651733616, CAST(? AS INTEGER))", &q);
            if (rc == BSTEP_OK) {
                bstep__bind_int(q, 1, e->plan_id & 0x7fffffff);
                rc = run(st, q);
                bstep__stmt_finalize(q);
            }
        }
        if (rc == BSTEP_OK) {
            rc = prep(st, "SELECT id FROM plan_progress WHERE plan_id = ? AND session_id = ?", &q);
            if (rc == BSTEP_OK) {
                bstep__bind_int(q, 1, e->plan_id);
                bstep__bind_int(q, 2, e->session_id);
                rc = bstep__stmt_step(q);
                if (rc == 1)
                    have = bstep__col_int(q, 0);
                rc = rc < 0 ? dbfail(st, rc) : BSTEP_OK;
                bstep__stmt_finalize(q);
            }
        }
        if (rc == BSTEP_OK && have > 0) {
            e->id = have;
            if ((rc = commit(st)) == BSTEP_OK)
                ok(st);
            return rc;
        }
        if (rc != BSTEP_OK)
            return abort_txn(st, rc);
    }
    rc = prep(st,
              "INSERT INTO plan_progress (plan_id, at_us, session_id, kind, level_from, level_to, "
              "reason) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
              &q);
    if (rc == BSTEP_OK) {
        bstep__bind_int(q, 1, e->plan_id);
        bstep__bind_int(q, 2, e->at_us);
        bstep__bind_id(q, 3, e->session_id);
        bstep__bind_text(q, 4, e->kind);
        bstep__bind_int(q, 5, e->level_from);
        bstep__bind_int(q, 6, e->level_to);
        bstep__bind_text(q, 7, e->reason);
        rc = bstep__stmt_step(q);
        if (rc == 1) {
            e->id = bstep__col_int(q, 0);
            rc = BSTEP_OK;
        } else if (st->db->last_error == BSTEP__DBERR_FOREIGN) {
            rc = say(st, BSTEP_ENOTFOUND, "no plan %lld (or no session %lld)",
                     (long long)e->plan_id, (long long)e->session_id);
        } else {
            rc = dbfail(st, rc < 0 ? rc : BSTEP_EDB);
        }
        bstep__stmt_finalize(q);
    }
    if (rc == BSTEP_OK && e->level_to != e->level_from) {
        rc = prep(st, "UPDATE plans SET level = ?, updated_us = ? WHERE id = ?", &q);
        if (rc == BSTEP_OK) {
            bstep__bind_int(q, 1, e->level_to);
            bstep__bind_int(q, 2, bstep__store_now_us());
            bstep__bind_int(q, 3, e->plan_id);
            rc = run(st, q);
            bstep__stmt_finalize(q);
        }
    }
    if (rc != BSTEP_OK)
        return abort_txn(st, rc);
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

int bstep_store_plan_txn_begin(bstep_store *st, int64_t user_id)
{
    bstep__stmt *q = NULL;
    int rc;
    if (st->db->in_txn)
        return say(st, BSTEP_EINVAL, "a transaction is open already");
    if ((rc = begin(st)) != BSTEP_OK)
        return rc;
    if (st->db->ops->backend == BSTEP_STORE_POSTGRESQL) {
        /* the key space of the users' plan decisions (1651733617); plans use 1651733616 */
        rc = prep(st, "SELECT pg_advisory_xact_lock(1651733617, CAST(? AS INTEGER))", &q);
        if (rc == BSTEP_OK) {
            bstep__bind_int(q, 1, user_id & 0x7fffffff);
            rc = run(st, q);
            bstep__stmt_finalize(q);
        }
        if (rc != BSTEP_OK)
            return abort_txn(st, rc);
    }
    ok(st);
    return BSTEP_OK;
}

int bstep_store_txn_commit(bstep_store *st)
{
    int rc;
    if (!st->db->in_txn)
        return say(st, BSTEP_EINVAL, "no transaction is open");
    if ((rc = commit(st)) == BSTEP_OK)
        ok(st);
    return rc;
}

void bstep_store_txn_rollback(bstep_store *st)
{
    bstep__db_rollback(st->db);
}

int bstep_store_plan_progress_list(bstep_store *st, int64_t plan_id,
                                   bstep_store_plan_progress **out, size_t *n)
{
    int rc = list_by_id(st,
                        "SELECT id, plan_id, at_us, session_id, kind, level_from, level_to, "
                        "reason FROM plan_progress WHERE plan_id = ? ORDER BY at_us, id",
                        plan_id, sizeof(**out), read_progress, (void **)out, n);
    if (rc == BSTEP_OK)
        ok(st);
    return rc;
}

/* ---- check-ins ----------------------------------------------------------------------------- */

static void read_checkin(bstep__stmt *q, void *row)
{
    bstep_store_checkin *c = row;
    c->id = bstep__col_int(q, 0);
    c->user_id = bstep__col_int(q, 1);
    c->session_id = bstep__col_int(q, 2);
    copy_text(c->date, sizeof(c->date), bstep__col_text(q, 3));
    c->pain_0_10 = (int)bstep__col_count(q, 4);
    c->wellbeing_0_10 = (int)bstep__col_count(q, 5);
    copy_text(c->note, sizeof(c->note), bstep__col_text(q, 6));
    c->created_us = bstep__col_int(q, 7);
    c->stumbled = bstep__col_is_null(q, 8)    ? BSTEP_STORE_STUMBLED_UNKNOWN
                  : bstep__col_int(q, 8) != 0 ? BSTEP_STORE_STUMBLED_YES
                                              : BSTEP_STORE_STUMBLED_NO;
}

int bstep_store_checkin_add(bstep_store *st, bstep_store_checkin *c)
{
    bstep__stmt *q = NULL;
    int rc;
    if (c->user_id <= 0)
        return say(st, BSTEP_EINVAL, "a check-in needs a user");
    if (c->pain_0_10 < -1 || c->pain_0_10 > 10 || c->wellbeing_0_10 < -1 || c->wellbeing_0_10 > 10)
        return say(st, BSTEP_EINVAL, "pain and wellbeing are 0..10 (or unknown)");
    if (c->stumbled < BSTEP_STORE_STUMBLED_UNKNOWN || c->stumbled > BSTEP_STORE_STUMBLED_YES)
        return say(st, BSTEP_EINVAL, "stumbled is unknown, no or yes");
    if (c->pain_0_10 < 0 && c->wellbeing_0_10 < 0 && c->stumbled == BSTEP_STORE_STUMBLED_UNKNOWN)
        return say(st, BSTEP_EINVAL, "a check-in needs pain, wellbeing or the stumble answer");
    if (!fits(c->note, sizeof(c->note)) || !fits(c->date, sizeof(c->date)))
        return say(st, BSTEP_EINVAL, "check-in note too long");
    if (c->date[0] == '\0') {
        bstep_store_session s;
        if (c->session_id <= 0)
            return say(st, BSTEP_EINVAL, "a check-in needs a date or a session");
        if ((rc = bstep_store_session_get(st, c->session_id, &s)) != BSTEP_OK)
            return rc;
        if (s.user_id != c->user_id)
            return say(st, BSTEP_EINVAL, "session %lld is not user %lld's",
                       (long long)c->session_id, (long long)c->user_id);
        bstep__store_local_date(s.start_us, c->date);
    }
    if (!bstep__store_date_valid(c->date))
        return say(st, BSTEP_EINVAL, "check-in date '%s' is not a valid YYYY-MM-DD", c->date);
    rc = prep(st,
              "INSERT INTO checkins (user_id, session_id, date, pain, wellbeing, note, "
              "created_us, stumbled) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              &q);
    if (rc != BSTEP_OK)
        return rc;
    c->created_us = bstep__store_now_us();
    bstep__bind_int(q, 1, c->user_id);
    bstep__bind_id(q, 2, c->session_id);
    bstep__bind_text(q, 3, c->date);
    bstep__bind_count(q, 4, c->pain_0_10);
    bstep__bind_count(q, 5, c->wellbeing_0_10);
    bstep__bind_text(q, 6, c->note);
    bstep__bind_int(q, 7, c->created_us);
    if (c->stumbled == BSTEP_STORE_STUMBLED_UNKNOWN)
        bstep__bind_null(q, 8);
    else
        bstep__bind_int(q, 8, c->stumbled == BSTEP_STORE_STUMBLED_YES ? 1 : 0);
    rc = bstep__stmt_step(q);
    if (rc == 1) {
        c->id = bstep__col_int(q, 0);
        rc = BSTEP_OK;
        ok(st);
    } else if (st->db->last_error == BSTEP__DBERR_FOREIGN) {
        rc = say(st, BSTEP_ENOTFOUND, "no user %lld (or no session %lld)", (long long)c->user_id,
                 (long long)c->session_id);
    } else {
        rc = dbfail(st, rc < 0 ? rc : BSTEP_EDB);
    }
    bstep__stmt_finalize(q);
    return rc;
}

int bstep_store_checkin_list(bstep_store *st, int64_t user_id, const char *from_date,
                             const char *to_date, bstep_store_checkin **out, size_t *n)
{
    bstep__stmt *q = NULL;
    vec v = {NULL, 0, 0, sizeof(bstep_store_checkin)};
    int rc;
    *out = NULL;
    *n = 0;
    rc = prep(st,
              "SELECT id, user_id, session_id, date, pain, wellbeing, note, created_us, stumbled "
              "FROM "
              "checkins WHERE user_id = ? AND date >= ? AND date <= ? ORDER BY date, created_us, "
              "id",
              &q);
    if (rc != BSTEP_OK)
        return rc;
    bstep__bind_int(q, 1, user_id);
    bstep__bind_text(q, 2, from_date ? from_date : "0000-00-00");
    bstep__bind_text(q, 3, to_date ? to_date : "9999-99-99");
    while ((rc = bstep__stmt_step(q)) == 1) {
        bstep_store_checkin *c = vec_push(&v);
        if (c == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        read_checkin(q, c);
    }
    bstep__stmt_finalize(q);
    if (rc != 0) {
        free(v.p);
        return rc == BSTEP_ENOMEM ? say(st, rc, "out of memory") : dbfail(st, rc);
    }
    *out = v.p;
    *n = v.n;
    ok(st);
    return BSTEP_OK;
}
