/*
 * Schema migrations, on both backends: a database made from the frozen SQL of every released
 * schema version (tests/store/schema/vN.sql) with data of that time (vN-data.sql) is opened by the
 * store, migrated to the current version, keeps its data, and ends with exactly the schema of a
 * database the store creates fresh. The frozen file of the current version must match what the
 * migrations create, so a released migration cannot be edited unnoticed.
 */
#include <math.h>

#include "harness.h"
#include "store_util.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *s;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = malloc((size_t)n + 1);
    if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s != NULL)
        s[n] = '\0';
    fclose(f);
    return s;
}

static char *schema_file(const char *name)
{
    char path[1024];
    const char *src = getenv("BSTEP_SOURCE_DIR");
    snprintf(path, sizeof(path), "%s/tests/store/schema/%s", src ? src : ".", name);
    return slurp(path);
}

/* Columns, types, nullability, defaults, keys, constraints and indexes, one line each. */
static int fingerprint(const char *url, char *out, size_t cap)
{
    static const char *const sqlite_q[] = {
        "SELECT m.name || '.' || p.name || ' ' || p.type || ' ' || p.\"notnull\" || ' ' || "
        "coalesce(p.dflt_value, '') || ' ' || p.pk FROM sqlite_master m JOIN "
        "pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.name",
        "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || coalesce(sql, '') FROM "
        "sqlite_master ORDER BY type, name",
        "SELECT m.name || ' fk ' || f.\"from\" || ' ' || f.\"table\" || ' ' || f.on_delete FROM "
        "sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY "
        "1",
        NULL};
    static const char *const pg_q[] = {
        "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' "
        "' || coalesce(column_default, '') || ' ' || is_identity FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, column_name",
        "SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) FROM "
        "pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid "
        "= c.relnamespace WHERE n.nspname = current_schema() ORDER BY 1",
        "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "ORDER BY 1",
        NULL};
    const char *const *q = t_is_pg() ? pg_q : sqlite_q;
    size_t used = 0;
    char err[512];
    for (; *q; q++) {
        if (bstep__store_query_raw(url, *q, out + used, cap - used, err, sizeof(err)) != 0) {
            fprintf(stderr, "fingerprint: %s\n", err);
            return -1;
        }
        used += strlen(out + used);
    }
    return 0;
}

static int latest_released(void)
{
    int v = 0;
    char name[32];
    for (;;) {
        char *s;
        snprintf(name, sizeof(name), "v%d.sql", v + 1);
        s = schema_file(name);
        if (s == NULL)
            return v;
        free(s);
        v++;
    }
}

/* Every schema version the code knows is frozen in tests/store/schema. */
BSTEP_TEST(every_version_is_frozen)
{
    BSTEP_ASSERT_EQ(latest_released(), BSTEP_STORE_SCHEMA_VERSION);
}

BSTEP_TEST(frozen_current_schema_matches_code)
{
    static char fresh[65536], frozen[65536];
    char url[512], url2[512], name[32], err[512];
    bstep_store *st;
    char *sql;
    t_check_backend();
    st = t_open_fresh(url, sizeof(url));
    BSTEP_ASSERT(st != NULL);
    bstep_store_close(st);
    BSTEP_ASSERT_EQ(fingerprint(url, fresh, sizeof(fresh)), 0);
    BSTEP_ASSERT_EQ(t_fresh_url(url2, sizeof(url2)), 0);
    snprintf(name, sizeof(name), "v%d.sql", BSTEP_STORE_SCHEMA_VERSION);
    sql = schema_file(name);
    BSTEP_ASSERT(sql != NULL);
    BSTEP_ASSERT_OK(bstep__store_exec_raw(url2, sql, err, sizeof(err)));
    free(sql);
    BSTEP_ASSERT_EQ(fingerprint(url2, frozen, sizeof(frozen)), 0);
    if (strcmp(fresh, frozen) != 0)
        fprintf(stderr, "fresh:\n%s\nfrozen:\n%s\n", fresh, frozen);
    BSTEP_ASSERT(strcmp(fresh, frozen) == 0);
}

static void check_v1_data(bstep_store *st)
{
    bstep_store_user u;
    bstep_store_session_full *f = NULL;
    bstep_store_plan p;
    bstep_store_plan_progress *hist = NULL;
    bstep_store_checkin *c = NULL;
    bstep_store_answer *ans = NULL;
    size_t n = 0, na = 0;
    int64_t count = 0;
    BSTEP_ASSERT_OK(bstep_store_user_find(st, "old walker", &u));
    BSTEP_ASSERT_EQ(u.mass_kg * 10, 715);
    BSTEP_ASSERT_EQ(u.sex, BSTEP_SEX_MALE);
    BSTEP_ASSERT_OK(bstep_store_session_load(st, 1, &f));
    BSTEP_ASSERT(strcmp(f->session.source_path, "/old/walk.csv") == 0);
    BSTEP_ASSERT_EQ(f->session.start_us, 1704103200000000LL);
    BSTEP_ASSERT_EQ(f->session.start_source, BSTEP_START_FILE_TIME);
    BSTEP_ASSERT_EQ(f->session.steps_backward, 400);
    BSTEP_ASSERT(f->session.speed_mps == 0.7625);
    BSTEP_ASSERT(isnan(f->session.distance_forward_m)); /* added by version 2: unknown */
    BSTEP_ASSERT(isnan(f->session.heel_first_ratio));
    BSTEP_ASSERT_EQ(f->session.look_backs, -1);
    BSTEP_ASSERT_EQ(f->n_steps, 3);
    BSTEP_ASSERT_EQ(f->steps[1].direction, BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT_EQ(f->steps[1].strike, BSTEP_STRIKE_TOE);
    BSTEP_ASSERT(f->steps[1].strike_angle_deg == -8.25);
    BSTEP_ASSERT(isnan(f->steps[1].clearance_m));
    BSTEP_ASSERT(isnan(f->steps[1].step_length_m)); /* added by version 3 */
    BSTEP_ASSERT(isnan(f->session.side_lean_deg));
    BSTEP_ASSERT(isnan(f->session.backward_stride_time_cv_pct)); /* added by version 4 */
    BSTEP_ASSERT_EQ(f->session.backward_strides, -1);
    BSTEP_ASSERT(isnan(f->bouts[0].cadence_spm));
    BSTEP_ASSERT_EQ(f->events[0].direction, BSTEP_DIRECTION_UNKNOWN);
    BSTEP_ASSERT_EQ(f->steps[1].fc_strike, BSTEP_STRIKE_UNKNOWN);
    BSTEP_ASSERT(isnan(f->steps[2].fc_s));
    BSTEP_ASSERT_EQ(f->n_bouts, 1);
    BSTEP_ASSERT_EQ(f->n_events, 1);
    BSTEP_ASSERT_EQ(f->n_series, 1);
    BSTEP_ASSERT(f->series[0].hr_bpm == 101.0);
    bstep_store_session_full_free(f);
    BSTEP_ASSERT_OK(bstep_store_plan_active(st, u.id, &p));
    BSTEP_ASSERT_EQ(p.level, 2);
    BSTEP_ASSERT_OK(bstep_store_plan_load(st, p.id, &p, &ans, &na));
    BSTEP_ASSERT_EQ(na, 1);
    bstep_store_free(ans);
    BSTEP_ASSERT_OK(bstep_store_plan_progress_list(st, p.id, &hist, &n));
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT(strcmp(hist[0].reason, "gate met") == 0);
    bstep_store_free(hist);
    BSTEP_ASSERT_OK(bstep_store_checkin_list(st, u.id, NULL, NULL, &c, &n));
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT_EQ(c[0].pain_0_10, 3);
    BSTEP_ASSERT_EQ(c[0].stumbled, BSTEP_STORE_STUMBLED_UNKNOWN); /* added by version 4 */
    bstep_store_free(c);
    BSTEP_ASSERT_OK(bstep_store_live_samples_count(st, 1, &count));
    BSTEP_ASSERT_EQ(count, 1);
}

BSTEP_TEST(migrate_from_every_earlier_version)
{
    static char fresh[65536], migrated[65536];
    char url[512], err[1024], name[32];
    bstep_store *st;
    int v, got = 0;
    char *data = schema_file("v1-data.sql");
    t_check_backend();
    BSTEP_ASSERT(data != NULL);
    st = t_open_fresh(url, sizeof(url));
    BSTEP_ASSERT(st != NULL);
    bstep_store_close(st);
    BSTEP_ASSERT_EQ(fingerprint(url, fresh, sizeof(fresh)), 0);
    for (v = 1; v <= BSTEP_STORE_SCHEMA_VERSION; v++) {
        char *sql;
        snprintf(name, sizeof(name), "v%d.sql", v);
        sql = schema_file(name);
        BSTEP_ASSERT(sql != NULL);
        BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
        BSTEP_ASSERT_OK(bstep__store_exec_raw(url, sql, err, sizeof(err)));
        free(sql);
        BSTEP_ASSERT_OK(bstep__store_exec_raw(url, data, err, sizeof(err)));
        st = NULL;
        if (bstep_store_open(&st, url, err, sizeof(err)) != BSTEP_OK)
            fprintf(stderr, "version %d: %s\n", v, err);
        BSTEP_ASSERT(st != NULL);
        BSTEP_ASSERT_OK(bstep_store_schema_version(st, &got));
        BSTEP_ASSERT_EQ(got, BSTEP_STORE_SCHEMA_VERSION);
        BSTEP_ASSERT_OK(bstep_store_check(st));
        check_v1_data(st);
        bstep_store_close(st);
        BSTEP_ASSERT_EQ(fingerprint(url, migrated, sizeof(migrated)), 0);
        if (strcmp(fresh, migrated) != 0)
            fprintf(stderr, "from version %d:\nfresh:\n%s\nmigrated:\n%s\n", v, fresh, migrated);
        BSTEP_ASSERT(strcmp(fresh, migrated) == 0);
    }
    free(data);
}

/* A migration that fails half-way leaves the database at its old version, data intact. */
BSTEP_TEST(failed_migration_rolls_back)
{
    char url[512], err[1024];
    bstep_store *st = NULL;
    char *sql = schema_file("v1.sql");
    char out[64];
    t_check_backend();
    BSTEP_ASSERT(sql != NULL);
    BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
    BSTEP_ASSERT_OK(bstep__store_exec_raw(url, sql, err, sizeof(err)));
    free(sql);
    /* A column that version 2 is about to add already exists: its ALTER TABLE fails. */
    BSTEP_ASSERT_OK(bstep__store_exec_raw(
        url, "ALTER TABLE sessions ADD COLUMN heel_first_ratio DOUBLE PRECISION", err,
        sizeof(err)));
    BSTEP_ASSERT_EQ(bstep_store_open(&st, url, err, sizeof(err)), BSTEP_EDB);
    BSTEP_ASSERT_STR_CONTAINS(err, "migration to schema version 2 failed");
    BSTEP_ASSERT_OK(bstep__store_query_raw(url, "SELECT max(version) FROM schema_version", out,
                                           sizeof(out), err, sizeof(err)));
    BSTEP_ASSERT(strcmp(out, "1\n") == 0);
    /* the first statements of version 2 were undone too */
    BSTEP_ASSERT(bstep__store_query_raw(url, "SELECT stride_forward_m FROM steps", out, sizeof(out),
                                        err, sizeof(err)) != 0);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(every_version_is_frozen),
                BSTEP_TEST_ENTRY(frozen_current_schema_matches_code),
                BSTEP_TEST_ENTRY(migrate_from_every_earlier_version),
                BSTEP_TEST_ENTRY(failed_migration_rolls_back))
