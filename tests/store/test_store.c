/*
 * The store's test suite, run unchanged against SQLite and PostgreSQL (BSTEP_TEST_BACKEND): every
 * table's functions, exact round trips, deduplication by checksum, filters, rollback of failed
 * transactions, and text that looks like SQL stored as text.
 */
#include <math.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"
#include "store_util.h"

#define OPEN(st, url)                                                                              \
    char url[512];                                                                                 \
    bstep_store *st;                                                                               \
    t_check_backend();                                                                             \
    st = t_open_fresh(url, sizeof(url));                                                           \
    BSTEP_ASSERT(st != NULL)

static int64_t make_user(bstep_store *st, const char *name)
{
    bstep_store_user u;
    bstep_store_user_init(&u);
    snprintf(u.name, sizeof(u.name), "%s", name);
    if (bstep_store_user_create(st, &u) != BSTEP_OK)
        return 0;
    return u.id;
}

/* A session with every field set to a distinct value. */
static void fill_session(bstep_store_session *s, int64_t user, int k)
{
    memset(s, 0, sizeof(*s));
    s->user_id = user;
    snprintf(s->source_path, sizeof(s->source_path), "/data/walk-%d.csv", k);
    snprintf(s->sha256_hex, sizeof(s->sha256_hex), "%064x",
             k); /* 64 hex digits: zeros then k in hex */
    s->format = BSTEP_FORMAT_CSV;
    s->placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    s->toe_axis = BSTEP_AXIS_NEG_Y;
    s->front_axis = BSTEP_AXIS_AUTO;
    s->start_us = 1767261600000000LL + (int64_t)k * 86400000000LL; /* 2026-01-01 10:00 UTC */
    s->start_source = BSTEP_START_GIVEN;
    s->duration_s = 600.125 + k;
    s->sample_rate_hz = 102.4;
    s->samples = 61453;
    s->gaps = 2;
    s->treadmill_speed_mps = (double)NAN;
    s->treadmill_incline_pct = (double)NAN;
    s->steps = 800 + k;
    s->steps_forward = 20;
    s->steps_backward = 770 + k;
    s->steps_sideways = 10;
    s->bouts = 3;
    s->walking_time_s = 512.5;
    s->backward_time_s = 480.25;
    s->cadence_spm = 93.7;
    s->distance_m = 402.123456789;
    s->distance_backward_m = 380.5;
    s->distance_forward_m = 21.625;
    s->heel_first_ratio = 0.0625 * k;
    s->speed_mps = 0.6 + 0.01 * k;
    s->energy_kcal = 41.2;
    s->energy_low_kcal = 35.0;
    s->energy_high_kcal = 48.9;
    s->energy_met_mean = 3.9;
    s->energy_mass_kg = 70.0;
    s->energy_mass_assumed = 1;
    s->toe_first_ratio = 0.8125;
    s->stride_time_cv_pct = 3.25;
    s->step_time_asymmetry_pct = (double)NAN;
    s->trunk_lean_deg = (double)NAN;
    s->side_lean_deg = -1.75;
    s->step_regularity = 0.875;
    s->stride_regularity = (double)NAN;
    s->look_backs = -1;
    s->stumbles = 1;
    s->falls = 0;
    s->hr_mean_bpm = (double)NAN;
    snprintf(s->note, sizeof(s->note), "session %d", k);
    s->time_backward_s = 470.5 + k;
    s->speed_backward_mps = 0.5625;
    s->backward_stride_time_cv_pct = 2.75;
    s->backward_stride_length_cv_pct = (double)NAN;
    s->backward_strides = 380 + k;
    s->backward_strikes = -1;
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void assert_same_session(const bstep_store_session *a, const bstep_store_session *b)
{
    BSTEP_ASSERT_EQ(a->id, b->id);
    BSTEP_ASSERT_EQ(a->user_id, b->user_id);
    BSTEP_ASSERT(strcmp(a->source_path, b->source_path) == 0);
    BSTEP_ASSERT(strcmp(a->sha256_hex, b->sha256_hex) == 0);
    BSTEP_ASSERT_EQ(a->format, b->format);
    BSTEP_ASSERT_EQ(a->placement, b->placement);
    BSTEP_ASSERT_EQ(a->toe_axis, b->toe_axis);
    BSTEP_ASSERT_EQ(a->front_axis, b->front_axis);
    BSTEP_ASSERT_EQ(a->start_us, b->start_us);
    BSTEP_ASSERT_EQ(a->start_source, b->start_source);
    BSTEP_ASSERT(same_double(a->duration_s, b->duration_s));
    BSTEP_ASSERT(same_double(a->sample_rate_hz, b->sample_rate_hz));
    BSTEP_ASSERT_EQ(a->samples, b->samples);
    BSTEP_ASSERT_EQ(a->gaps, b->gaps);
    BSTEP_ASSERT(same_double(a->treadmill_speed_mps, b->treadmill_speed_mps));
    BSTEP_ASSERT(same_double(a->treadmill_incline_pct, b->treadmill_incline_pct));
    BSTEP_ASSERT_EQ(a->steps, b->steps);
    BSTEP_ASSERT_EQ(a->steps_forward, b->steps_forward);
    BSTEP_ASSERT_EQ(a->steps_backward, b->steps_backward);
    BSTEP_ASSERT_EQ(a->steps_sideways, b->steps_sideways);
    BSTEP_ASSERT_EQ(a->bouts, b->bouts);
    BSTEP_ASSERT(same_double(a->walking_time_s, b->walking_time_s));
    BSTEP_ASSERT(same_double(a->backward_time_s, b->backward_time_s));
    BSTEP_ASSERT(same_double(a->cadence_spm, b->cadence_spm));
    BSTEP_ASSERT(same_double(a->distance_m, b->distance_m));
    BSTEP_ASSERT(same_double(a->distance_backward_m, b->distance_backward_m));
    BSTEP_ASSERT(same_double(a->distance_forward_m, b->distance_forward_m));
    BSTEP_ASSERT(same_double(a->heel_first_ratio, b->heel_first_ratio));
    BSTEP_ASSERT(same_double(a->speed_mps, b->speed_mps));
    BSTEP_ASSERT(same_double(a->energy_kcal, b->energy_kcal));
    BSTEP_ASSERT(same_double(a->energy_low_kcal, b->energy_low_kcal));
    BSTEP_ASSERT(same_double(a->energy_high_kcal, b->energy_high_kcal));
    BSTEP_ASSERT(same_double(a->energy_met_mean, b->energy_met_mean));
    BSTEP_ASSERT(same_double(a->energy_mass_kg, b->energy_mass_kg));
    BSTEP_ASSERT_EQ(a->energy_mass_assumed, b->energy_mass_assumed);
    BSTEP_ASSERT(same_double(a->toe_first_ratio, b->toe_first_ratio));
    BSTEP_ASSERT(same_double(a->stride_time_cv_pct, b->stride_time_cv_pct));
    BSTEP_ASSERT(same_double(a->step_time_asymmetry_pct, b->step_time_asymmetry_pct));
    BSTEP_ASSERT(same_double(a->trunk_lean_deg, b->trunk_lean_deg));
    BSTEP_ASSERT(same_double(a->side_lean_deg, b->side_lean_deg));
    BSTEP_ASSERT(same_double(a->step_regularity, b->step_regularity));
    BSTEP_ASSERT(same_double(a->stride_regularity, b->stride_regularity));
    BSTEP_ASSERT(same_double(a->time_backward_s, b->time_backward_s));
    BSTEP_ASSERT(same_double(a->speed_backward_mps, b->speed_backward_mps));
    BSTEP_ASSERT(same_double(a->backward_stride_time_cv_pct, b->backward_stride_time_cv_pct));
    BSTEP_ASSERT(same_double(a->backward_stride_length_cv_pct, b->backward_stride_length_cv_pct));
    BSTEP_ASSERT_EQ(a->backward_strides, b->backward_strides);
    BSTEP_ASSERT_EQ(a->backward_strikes, b->backward_strikes);
    BSTEP_ASSERT_EQ(a->look_backs, b->look_backs);
    BSTEP_ASSERT_EQ(a->stumbles, b->stumbles);
    BSTEP_ASSERT_EQ(a->falls, b->falls);
    BSTEP_ASSERT(same_double(a->hr_mean_bpm, b->hr_mean_bpm));
    BSTEP_ASSERT(strcmp(a->note, b->note) == 0);
    BSTEP_ASSERT_EQ(a->created_us, b->created_us);
}

static int64_t count_of(const char *url, const char *sql)
{
    char out[64], err[512];
    if (bstep__store_query_raw(url, sql, out, sizeof(out), err, sizeof(err)) != 0) {
        fprintf(stderr, "%s: %s\n", sql, err);
        return -99;
    }
    return strtoll(out, NULL, 10);
}

/* ---- opening ------------------------------------------------------------------------------- */

BSTEP_TEST(open_migrates_to_current_version)
{
    int v = 0;
    bstep_store *again = NULL;
    char err[512];
    OPEN(st, url);
    BSTEP_ASSERT_OK(bstep_store_schema_version(st, &v));
    BSTEP_ASSERT_EQ(v, BSTEP_STORE_SCHEMA_VERSION);
    BSTEP_ASSERT_OK(bstep_store_check(st));
    BSTEP_ASSERT_EQ(bstep_store_backend_of(st),
                    t_is_pg() ? BSTEP_STORE_POSTGRESQL : BSTEP_STORE_SQLITE);
    bstep_store_close(st);
    /* Reopening applies nothing twice. */
    BSTEP_ASSERT_OK(bstep_store_open(&again, url, err, sizeof(err)));
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM schema_version"),
                    BSTEP_STORE_SCHEMA_VERSION);
    bstep_store_close(again);
    bstep_store_close(NULL);
}

BSTEP_TEST(open_refuses_newer_schema)
{
    char err[512];
    bstep_store *again = NULL;
    OPEN(st, url);
    bstep_store_close(st);
    BSTEP_ASSERT_OK(bstep__store_exec_raw(
        url, "INSERT INTO schema_version (version, name, applied_us) VALUES (999, 'future', 0)",
        err, sizeof(err)));
    BSTEP_ASSERT_EQ(bstep_store_open(&again, url, err, sizeof(err)), BSTEP_EDB);
    BSTEP_ASSERT(again == NULL);
    BSTEP_ASSERT_STR_CONTAINS(err, "newer backstep");
}

BSTEP_TEST(open_refuses_foreign_database)
{
    char url[512], err[512];
    bstep_store *st = NULL;
    t_check_backend();
    BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
    BSTEP_ASSERT_OK(bstep__store_exec_raw(url, "CREATE TABLE users (x TEXT)", err, sizeof(err)));
    BSTEP_ASSERT_EQ(bstep_store_open(&st, url, err, sizeof(err)), BSTEP_EDB);
    BSTEP_ASSERT_STR_CONTAINS(err, "not a backstep database");
}

BSTEP_TEST(open_bad_locations)
{
    char err[512], path[1024];
    bstep_store *st = NULL;
    FILE *f;
    if (t_is_pg()) {
        /* No server on this socket folder. */
        BSTEP_ASSERT_EQ(
            bstep_store_open(&st, "postgresql:///x?host=/nonexistent-dir", err, sizeof(err)),
            BSTEP_EIO);
        BSTEP_ASSERT_STR_CONTAINS(err, "cannot connect");
        BSTEP_ASSERT_EQ(bstep_store_open(&st, "postgresql://u:secret@/x?host=/nonexistent-dir", err,
                                         sizeof(err)),
                        BSTEP_EIO);
        BSTEP_ASSERT(strstr(err, "secret") == NULL); /* the password is never shown */
        return;
    }
    snprintf(path, sizeof(path), "%s/garbage.db", t_tmp());
    f = fopen(path, "wb");
    BSTEP_ASSERT(f != NULL);
    fputs("this is not an SQLite database, just some text that is long enough to look like a "
          "header page of a file.............................................................",
          f);
    fclose(f);
    BSTEP_ASSERT_EQ(bstep_store_open(&st, path, err, sizeof(err)), BSTEP_EDB);
    BSTEP_ASSERT_STR_CONTAINS(err, "not a database");
    BSTEP_ASSERT_EQ(bstep_store_open(&st, "/nonexistent-dir/sub/x.db", err, sizeof(err)),
                    BSTEP_EIO);
    BSTEP_ASSERT_STR_CONTAINS(err, "/nonexistent-dir/sub/x.db");
    BSTEP_ASSERT_EQ(bstep_store_open(&st, "sqlite:", err, sizeof(err)), BSTEP_EINVAL);
}

BSTEP_TEST(default_location_follows_xdg)
{
    char dir[512], path[1024], want[1200], err[512];
    bstep_store *st = NULL;
    struct stat sb;
    char *old_db;
    if (t_is_pg())
        return; /* the default is always an SQLite file */
    old_db = getenv("BACKSTEP_DB") ? strdup(getenv("BACKSTEP_DB")) : NULL;
    snprintf(dir, sizeof(dir), "%s/xdg_%ld", t_tmp(), (long)getpid());
    snprintf(want, sizeof(want), "%s/backstep/backstep.db", dir);
    remove(want);
    unsetenv("BACKSTEP_DB");
    setenv("XDG_DATA_HOME", dir, 1);
    BSTEP_ASSERT_OK(bstep_store_default_path(path, sizeof(path)));
    BSTEP_ASSERT(strcmp(path, want) == 0);
    BSTEP_ASSERT_OK(bstep_store_open(&st, NULL, err, sizeof(err)));
    BSTEP_ASSERT(strcmp(bstep_store_location(st), want) == 0);
    bstep_store_close(st);
    BSTEP_ASSERT_EQ(stat(want, &sb), 0);
    snprintf(path, sizeof(path), "%s/backstep", dir);
    BSTEP_ASSERT_EQ(stat(path, &sb), 0);
    BSTEP_ASSERT_EQ(sb.st_mode & 0777, 0700);
    /* A relative XDG_DATA_HOME is ignored (XDG Base Directory Specification): HOME is used. */
    setenv("XDG_DATA_HOME", "relative/dir", 1);
    setenv("HOME", dir, 1);
    BSTEP_ASSERT_OK(bstep_store_default_path(path, sizeof(path)));
    snprintf(want, sizeof(want), "%s/.local/share/backstep/backstep.db", dir);
    BSTEP_ASSERT(strcmp(path, want) == 0);
    /* BACKSTEP_DB wins over both. */
    snprintf(path, sizeof(path), "%s/explicit.db", dir);
    setenv("BACKSTEP_DB", path, 1);
    BSTEP_ASSERT_OK(bstep_store_open(&st, NULL, err, sizeof(err)));
    BSTEP_ASSERT(strcmp(bstep_store_location(st), path) == 0);
    bstep_store_close(st);
    if (old_db) {
        setenv("BACKSTEP_DB", old_db, 1);
        free(old_db);
    } else {
        unsetenv("BACKSTEP_DB");
    }
}

/* ---- users, clinics, tokens ---------------------------------------------------------------- */

BSTEP_TEST(users_create_find_update)
{
    bstep_store_user u, g;
    bstep_store_user *list = NULL;
    size_t n = 0;
    int64_t clinic = 0;
    OPEN(st, url);
    BSTEP_ASSERT_OK(bstep_store_clinic_create(st, "Knee clinic", &clinic));
    BSTEP_ASSERT_EQ(bstep_store_clinic_create(st, "Knee clinic", &clinic), BSTEP_EINVAL);
    BSTEP_ASSERT_OK(bstep_store_clinic_find(st, "Knee clinic", &clinic));
    BSTEP_ASSERT_EQ(bstep_store_clinic_find(st, "none", &clinic), BSTEP_ENOTFOUND);

    bstep_store_user_init(&u);
    snprintf(u.name, sizeof(u.name), "ann");
    u.mass_kg = 64.5;
    u.height_m = 1.68;
    u.age_y = 61;
    u.sex = BSTEP_SEX_FEMALE;
    u.clinic_id = clinic;
    BSTEP_ASSERT_OK(bstep_store_user_create(st, &u));
    BSTEP_ASSERT(u.id > 0);
    BSTEP_ASSERT_OK(bstep_store_user_get(st, u.id, &g));
    BSTEP_ASSERT(strcmp(g.name, "ann") == 0);
    BSTEP_ASSERT_EQ(g.mass_kg * 10, 645);
    BSTEP_ASSERT_NEAR(g.height_m, 1.68, 0);
    BSTEP_ASSERT_EQ(g.age_y, 61);
    BSTEP_ASSERT_EQ(g.sex, BSTEP_SEX_FEMALE);
    BSTEP_ASSERT_EQ(g.role, BSTEP_ROLE_WALKER);
    BSTEP_ASSERT_EQ(g.clinic_id, clinic);
    BSTEP_ASSERT(g.created_us > 1700000000000000LL);
    /* duplicate name, bad ranges, unknown clinic */
    BSTEP_ASSERT_EQ(bstep_store_user_create(st, &u), BSTEP_EINVAL);
    BSTEP_ASSERT_STR_CONTAINS(bstep_store_errmsg(st), "exists");
    snprintf(u.name, sizeof(u.name), "bob");
    u.mass_kg = 10;
    BSTEP_ASSERT_EQ(bstep_store_user_create(st, &u), BSTEP_EINVAL);
    BSTEP_ASSERT_STR_CONTAINS(bstep_store_errmsg(st), "20..300");
    u.mass_kg = (double)NAN;
    u.clinic_id = 12345;
    BSTEP_ASSERT_EQ(bstep_store_user_create(st, &u), BSTEP_ENOTFOUND);
    u.clinic_id = 0;
    u.name[0] = '\0';
    BSTEP_ASSERT_EQ(bstep_store_user_create(st, &u), BSTEP_EINVAL);
    /* update */
    g.mass_kg = 66.0;
    g.role = BSTEP_ROLE_CLINICIAN;
    BSTEP_ASSERT_OK(bstep_store_user_update(st, &g));
    BSTEP_ASSERT_OK(bstep_store_user_find(st, "ann", &u));
    BSTEP_ASSERT_EQ(u.mass_kg, 66);
    BSTEP_ASSERT_EQ(u.role, BSTEP_ROLE_CLINICIAN);
    g.id = 999;
    BSTEP_ASSERT_EQ(bstep_store_user_update(st, &g), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_EQ(bstep_store_user_find(st, "nobody", &u), BSTEP_ENOTFOUND);
    /* ensure: creates once, then finds */
    BSTEP_ASSERT_OK(bstep_store_user_ensure(st, "carl", &u));
    BSTEP_ASSERT_OK(bstep_store_user_ensure(st, "carl", &g));
    BSTEP_ASSERT_EQ(u.id, g.id);
    BSTEP_ASSERT(isnan(g.mass_kg));
    BSTEP_ASSERT_OK(bstep_store_user_list(st, 0, &list, &n));
    BSTEP_ASSERT_EQ(n, 2);
    BSTEP_ASSERT(strcmp(list[0].name, "ann") == 0 && strcmp(list[1].name, "carl") == 0);
    bstep_store_free(list);
    BSTEP_ASSERT_OK(bstep_store_user_list(st, clinic, &list, &n));
    BSTEP_ASSERT_EQ(n, 1);
    bstep_store_free(list);
    bstep_store_close(st);
}

BSTEP_TEST(clinician_sees_own_patients_only)
{
    int64_t c1 = 0, c2 = 0;
    bstep_store_user doc, pat, other, admin, lone;
    int allowed = -1;
    OPEN(st, url);
    BSTEP_ASSERT_OK(bstep_store_clinic_create(st, "north", &c1));
    BSTEP_ASSERT_OK(bstep_store_clinic_create(st, "south", &c2));
    bstep_store_user_init(&doc);
    snprintf(doc.name, sizeof(doc.name), "dr-north");
    doc.role = BSTEP_ROLE_CLINICIAN;
    doc.clinic_id = c1;
    BSTEP_ASSERT_OK(bstep_store_user_create(st, &doc));
    bstep_store_user_init(&pat);
    snprintf(pat.name, sizeof(pat.name), "patient-north");
    pat.clinic_id = c1;
    BSTEP_ASSERT_OK(bstep_store_user_create(st, &pat));
    bstep_store_user_init(&other);
    snprintf(other.name, sizeof(other.name), "patient-south");
    other.clinic_id = c2;
    BSTEP_ASSERT_OK(bstep_store_user_create(st, &other));
    bstep_store_user_init(&admin);
    snprintf(admin.name, sizeof(admin.name), "root");
    admin.role = BSTEP_ROLE_ADMIN;
    BSTEP_ASSERT_OK(bstep_store_user_create(st, &admin));
    bstep_store_user_init(&lone);
    snprintf(lone.name, sizeof(lone.name), "lone");
    BSTEP_ASSERT_OK(bstep_store_user_create(st, &lone));

    BSTEP_ASSERT_OK(bstep_store_user_can_view(st, doc.id, pat.id, &allowed));
    BSTEP_ASSERT_EQ(allowed, 1);
    BSTEP_ASSERT_OK(bstep_store_user_can_view(st, doc.id, other.id, &allowed));
    BSTEP_ASSERT_EQ(allowed, 0);
    BSTEP_ASSERT_OK(bstep_store_user_can_view(st, doc.id, lone.id, &allowed));
    BSTEP_ASSERT_EQ(allowed, 0);
    BSTEP_ASSERT_OK(bstep_store_user_can_view(st, pat.id, doc.id, &allowed));
    BSTEP_ASSERT_EQ(allowed, 0);
    BSTEP_ASSERT_OK(bstep_store_user_can_view(st, pat.id, other.id, &allowed));
    BSTEP_ASSERT_EQ(allowed, 0);
    BSTEP_ASSERT_OK(bstep_store_user_can_view(st, pat.id, pat.id, &allowed));
    BSTEP_ASSERT_EQ(allowed, 1);
    BSTEP_ASSERT_OK(bstep_store_user_can_view(st, admin.id, other.id, &allowed));
    BSTEP_ASSERT_EQ(allowed, 1);
    BSTEP_ASSERT_EQ(bstep_store_user_can_view(st, 4242, pat.id, &allowed), BSTEP_ENOTFOUND);
    bstep_store_close(st);
}

BSTEP_TEST(tokens_hash_lookup_revoke)
{
    unsigned char h1[32], h2[32], bin[20];
    bstep_store_token t;
    bstep_store_token *list = NULL;
    size_t n = 0, i;
    int64_t id1 = 0, id2 = 0, user;
    OPEN(st, url);
    user = make_user(st, "tok");
    BSTEP_ASSERT(user > 0);
    memset(bin, 0xA5, sizeof(bin));
    for (i = 0; i < 32; i++) {
        h1[i] = (unsigned char)(i * 7 + 1);
        h2[i] = (unsigned char)(255 - i);
    }
    h1[5] = 0; /* bytes, not text: a NUL inside must survive */
    BSTEP_ASSERT_OK(bstep_store_token_add(st, user, h1, 32, "phone", &id1));
    BSTEP_ASSERT_OK(bstep_store_token_add(st, user, h2, 32, "laptop", &id2));
    BSTEP_ASSERT_EQ(bstep_store_token_add(st, user, h1, 32, "again", NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_store_token_add(st, user, h1, 8, "short", NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_store_token_add(st, 777, bin, sizeof(bin), "x", NULL), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_OK(bstep_store_token_lookup(st, h1, 32, &t));
    BSTEP_ASSERT_EQ(t.id, id1);
    BSTEP_ASSERT_EQ(t.user_id, user);
    BSTEP_ASSERT_EQ(t.hash_len, 32);
    BSTEP_ASSERT(memcmp(t.hash, h1, 32) == 0);
    BSTEP_ASSERT(strcmp(t.label, "phone") == 0);
    BSTEP_ASSERT_EQ(t.revoked_us, 0);
    h2[31] ^= 1;
    BSTEP_ASSERT_EQ(bstep_store_token_lookup(st, h2, 32, &t), BSTEP_ENOTFOUND);
    h2[31] ^= 1;
    BSTEP_ASSERT_OK(bstep_store_token_revoke(st, id2));
    BSTEP_ASSERT_EQ(bstep_store_token_revoke(st, id2), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_EQ(bstep_store_token_lookup(st, h2, 32, &t), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_OK(bstep_store_token_list(st, user, &list, &n));
    BSTEP_ASSERT_EQ(n, 2);
    for (i = 0; i < n; i++)
        if (list[i].id == id2)
            BSTEP_ASSERT(list[i].revoked_us > 0);
    bstep_store_free(list);
    bstep_store_close(st);
}

BSTEP_TEST(devices_and_mountings)
{
    bstep_store_device d, d2;
    bstep_store_device *list = NULL;
    bstep_store_mounting m, got;
    size_t n = 0;
    int64_t user;
    OPEN(st, url);
    user = make_user(st, "dev");
    memset(&d, 0, sizeof(d));
    d.user_id = user;
    snprintf(d.name, sizeof(d.name), "right shoe");
    snprintf(d.kind, sizeof(d.kind), "imu");
    snprintf(d.model, sizeof(d.model), "Xsens MTw");
    BSTEP_ASSERT_OK(bstep_store_device_ensure(st, &d));
    BSTEP_ASSERT(d.id > 0);
    d2 = d;
    d2.id = 0;
    BSTEP_ASSERT_OK(bstep_store_device_ensure(st, &d2));
    BSTEP_ASSERT_EQ(d2.id, d.id);
    BSTEP_ASSERT_OK(bstep_store_device_list(st, user, &list, &n));
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT(strcmp(list[0].model, "Xsens MTw") == 0);
    bstep_store_free(list);
    memset(&m, 0, sizeof(m));
    m.device_id = d.id;
    m.placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    m.toe_axis = BSTEP_AXIS_POS_X;
    m.since_us = 1000;
    BSTEP_ASSERT_OK(bstep_store_mounting_add(st, &m));
    m.toe_axis = BSTEP_AXIS_NEG_Y;
    m.since_us = 5000;
    BSTEP_ASSERT_OK(bstep_store_mounting_add(st, &m));
    BSTEP_ASSERT_OK(bstep_store_mounting_at(st, d.id, 4999, &got));
    BSTEP_ASSERT_EQ(got.toe_axis, BSTEP_AXIS_POS_X);
    BSTEP_ASSERT_OK(bstep_store_mounting_at(st, d.id, 5000, &got));
    BSTEP_ASSERT_EQ(got.toe_axis, BSTEP_AXIS_NEG_Y);
    BSTEP_ASSERT_EQ(got.placement, BSTEP_PLACEMENT_FOOT_RIGHT);
    BSTEP_ASSERT_EQ(bstep_store_mounting_at(st, d.id, 10, &got), BSTEP_ENOTFOUND);
    m.device_id = 999;
    BSTEP_ASSERT_EQ(bstep_store_mounting_add(st, &m), BSTEP_ENOTFOUND);
    bstep_store_close(st);
}

/* ---- sessions ------------------------------------------------------------------------------ */

#define N_STEPS 1000 /* crosses the 64-row insert batches */

static void make_parts(bstep_store_bout *b, bstep_store_step *s, bstep_store_event *e,
                       bstep_store_cue *c, bstep_store_session_parts *p)
{
    size_t i;
    memset(p, 0, sizeof(*p));
    for (i = 0; i < 3; i++) {
        b[i].start_s = 10.0 * (double)i + 0.5;
        b[i].end_s = 10.0 * (double)i + 8.25;
        snprintf(b[i].activity, sizeof(b[i].activity), "%s", i ? "walk-backward" : "walk");
        b[i].steps = 12 + (int64_t)i;
        b[i].distance_m = i == 2 ? (double)NAN : 5.5 * (double)i;
        b[i].cadence_spm = 90.5 + (double)i;
        b[i].direction_confidence = i == 1 ? (double)NAN : 0.95;
        b[i].step_regularity = 0.8;
        b[i].stride_regularity = 0.7 + 0.01 * (double)i;
    }
    for (i = 0; i < N_STEPS; i++) {
        s[i].ic_s = 0.55 * (double)i + 1e-3 / 3.0;
        s[i].fc_s = i % 7 ? s[i].ic_s + 0.6 : (double)NAN;
        s[i].foot = (bstep_foot)(i % 3);
        s[i].direction = (bstep_direction)(i % 6);
        s[i].strike = (bstep_strike)(i % 4);
        s[i].strike_angle_deg = -12.5 + 0.01 * (double)i;
        s[i].stride_length_m = i % 5 ? 0.8 + 1e-4 * (double)i : (double)NAN;
        s[i].stride_time_s = 1.1 + 1e-5 * (double)i;
        s[i].stride_forward_m = -0.7 - 1e-4 * (double)i;
        s[i].stride_left_m = i % 3 ? 0.01 : (double)NAN;
        s[i].speed_mps = 0.65;
        s[i].clearance_m = 0.031 + 1e-6 * (double)i;
        s[i].turn_deg = -3.5;
        s[i].fc_angle_deg = 40.0 + 0.1 * (double)(i % 9);
        s[i].fc_strike = (bstep_strike)((i + 1) % 4);
        s[i].step_length_m = i % 4 ? 0.45 + 1e-4 * (double)i : (double)NAN;
        s[i].trunk_lean_deg = 4.25;
        s[i].side_lean_deg = -0.5;
        s[i].confidence = 0.5 + 0.0004 * (double)i;
    }
    memset(e, 0, 2 * sizeof(*e));
    e[0].t_s = 3.25;
    e[0].confidence = e[0].value = e[0].trunk_lean_deg = e[0].side_lean_deg = (double)NAN;
    e[1].direction = BSTEP_DIRECTION_BACKWARD;
    e[1].confidence = 0.9;
    e[1].value = 2.5;
    e[1].trunk_lean_deg = 12.0;
    e[1].side_lean_deg = (double)NAN;
    snprintf(e[0].type, sizeof(e[0].type), "gap");
    snprintf(e[0].message, sizeof(e[0].message), "data gap of 0.50 s: it's \"quoted\"; -- ok");
    e[1].t_s = 9.5;
    snprintf(e[1].type, sizeof(e[1].type), "stumble");
    snprintf(e[1].message, sizeof(e[1].message), "stumble - stop and hold the rail");
    c[0].t_s = 4.0;
    snprintf(c[0].kind, sizeof(c[0].kind), "toes-first");
    snprintf(c[0].message, sizeof(c[0].message), "toes first");
    p->bouts = b;
    p->n_bouts = 3;
    p->steps = s;
    p->n_steps = N_STEPS;
    p->events = e;
    p->n_events = 2;
    p->cues = c;
    p->n_cues = 1;
}

BSTEP_TEST(session_round_trip_exact)
{
    static bstep_store_step steps[N_STEPS];
    bstep_store_bout bouts[3];
    bstep_store_event ev[2];
    bstep_store_cue cues[1];
    bstep_store_session_parts parts;
    bstep_store_session s, g;
    bstep_store_session_full *f = NULL;
    int existed = -1;
    size_t i;
    int64_t user;
    OPEN(st, url);
    user = make_user(st, "walker");
    fill_session(&s, user, 1);
    make_parts(bouts, steps, ev, cues, &parts);
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, &parts, &existed));
    BSTEP_ASSERT_EQ(existed, 0);
    BSTEP_ASSERT(s.id > 0);
    BSTEP_ASSERT_OK(bstep_store_session_get(st, s.id, &g));
    assert_same_session(&s, &g);
    BSTEP_ASSERT_EQ(g.state, BSTEP_SESSION_DONE);
    BSTEP_ASSERT_OK(bstep_store_session_load(st, s.id, &f));
    assert_same_session(&s, &f->session);
    BSTEP_ASSERT_EQ(f->n_bouts, 3);
    BSTEP_ASSERT_EQ(f->n_steps, N_STEPS);
    BSTEP_ASSERT_EQ(f->n_events, 2);
    BSTEP_ASSERT_EQ(f->n_cues, 1);
    BSTEP_ASSERT_EQ(f->n_series, 0);
    for (i = 0; i < 3; i++) {
        BSTEP_ASSERT(f->bouts[i].start_s == bouts[i].start_s);
        BSTEP_ASSERT(f->bouts[i].end_s == bouts[i].end_s);
        BSTEP_ASSERT(strcmp(f->bouts[i].activity, bouts[i].activity) == 0);
        BSTEP_ASSERT_EQ(f->bouts[i].steps, bouts[i].steps);
        BSTEP_ASSERT(same_double(f->bouts[i].distance_m, bouts[i].distance_m));
        BSTEP_ASSERT(f->bouts[i].cadence_spm == bouts[i].cadence_spm);
        BSTEP_ASSERT(same_double(f->bouts[i].direction_confidence, bouts[i].direction_confidence));
        BSTEP_ASSERT(f->bouts[i].stride_regularity == bouts[i].stride_regularity);
    }
    for (i = 0; i < N_STEPS; i++) {
        const bstep_store_step *a = &steps[i], *b = &f->steps[i];
        BSTEP_ASSERT(a->ic_s == b->ic_s);
        BSTEP_ASSERT(same_double(a->fc_s, b->fc_s));
        BSTEP_ASSERT_EQ(a->foot, b->foot);
        BSTEP_ASSERT_EQ(a->direction, b->direction);
        BSTEP_ASSERT_EQ(a->strike, b->strike);
        BSTEP_ASSERT(a->strike_angle_deg == b->strike_angle_deg);
        BSTEP_ASSERT(same_double(a->stride_length_m, b->stride_length_m));
        BSTEP_ASSERT(a->stride_time_s == b->stride_time_s);
        BSTEP_ASSERT(a->stride_forward_m == b->stride_forward_m);
        BSTEP_ASSERT(same_double(a->stride_left_m, b->stride_left_m));
        BSTEP_ASSERT(a->speed_mps == b->speed_mps);
        BSTEP_ASSERT(a->clearance_m == b->clearance_m);
        BSTEP_ASSERT(a->turn_deg == b->turn_deg);
        BSTEP_ASSERT(a->fc_angle_deg == b->fc_angle_deg);
        BSTEP_ASSERT_EQ(a->fc_strike, b->fc_strike);
        BSTEP_ASSERT(same_double(a->step_length_m, b->step_length_m));
        BSTEP_ASSERT(a->trunk_lean_deg == b->trunk_lean_deg);
        BSTEP_ASSERT(a->side_lean_deg == b->side_lean_deg);
        BSTEP_ASSERT(a->confidence == b->confidence);
    }
    BSTEP_ASSERT(strcmp(f->events[0].message, ev[0].message) == 0);
    BSTEP_ASSERT(strcmp(f->events[1].type, "stumble") == 0);
    BSTEP_ASSERT(f->events[1].t_s == 9.5);
    BSTEP_ASSERT_EQ(f->events[1].direction, BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT(f->events[1].value == 2.5 && f->events[1].confidence == 0.9);
    BSTEP_ASSERT(f->events[1].trunk_lean_deg == 12.0 && isnan(f->events[1].side_lean_deg));
    BSTEP_ASSERT_EQ(f->events[0].direction, BSTEP_DIRECTION_UNKNOWN);
    BSTEP_ASSERT(isnan(f->events[0].value));
    BSTEP_ASSERT(strcmp(f->cues[0].kind, "toes-first") == 0);
    bstep_store_session_full_free(f);
    bstep_store_session_full_free(NULL);
    BSTEP_ASSERT_EQ(bstep_store_session_get(st, 9999, &g), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_EQ(bstep_store_session_load(st, 9999, &f), BSTEP_ENOTFOUND);
    BSTEP_ASSERT(f == NULL);
    bstep_store_close(st);
}

BSTEP_TEST(same_checksum_is_recognised_not_duplicated)
{
    static bstep_store_step steps[N_STEPS];
    bstep_store_bout bouts[3];
    bstep_store_event ev[2];
    bstep_store_cue cues[1];
    bstep_store_session_parts parts;
    bstep_store_session s, again, found;
    int existed = -1;
    int64_t user, other;
    OPEN(st, url);
    user = make_user(st, "w1");
    other = make_user(st, "w2");
    make_parts(bouts, steps, ev, cues, &parts);
    fill_session(&s, user, 7);
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, &parts, &existed));
    BSTEP_ASSERT_EQ(existed, 0);
    fill_session(&again, user, 7);
    snprintf(again.source_path, sizeof(again.source_path), "/elsewhere/copy.csv");
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &again, &parts, &existed));
    BSTEP_ASSERT_EQ(existed, 1);
    BSTEP_ASSERT_EQ(again.id, s.id);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM sessions"), 1);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM steps"), N_STEPS);
    BSTEP_ASSERT_OK(bstep_store_session_find_sha256(st, user, s.sha256_hex, &found));
    BSTEP_ASSERT_EQ(found.id, s.id);
    BSTEP_ASSERT(strcmp(found.source_path, "/data/walk-7.csv") == 0);
    BSTEP_ASSERT_EQ(bstep_store_session_find_sha256(st, other, s.sha256_hex, &found),
                    BSTEP_ENOTFOUND);
    /* Another user's copy of the same file is that user's session. */
    fill_session(&again, other, 7);
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &again, NULL, &existed));
    BSTEP_ASSERT_EQ(existed, 0);
    BSTEP_ASSERT(again.id != s.id);
    /* Bad checksums are refused. */
    fill_session(&again, user, 8);
    snprintf(again.sha256_hex, sizeof(again.sha256_hex), "ABC");
    BSTEP_ASSERT_EQ(bstep_store_session_add(st, &again, NULL, NULL), BSTEP_EINVAL);
    bstep_store_close(st);
}

BSTEP_TEST(failed_session_add_stores_nothing)
{
    bstep_store_session s;
    bstep_store_bout bad[1];
    bstep_store_session_parts parts;
    int64_t user;
    OPEN(st, url);
    user = make_user(st, "w");
    fill_session(&s, user, 1);
    s.device_id = 4242; /* no such device */
    BSTEP_ASSERT_EQ(bstep_store_session_add(st, &s, NULL, NULL), BSTEP_ENOTFOUND);
    fill_session(&s, 999, 1);
    BSTEP_ASSERT_EQ(bstep_store_session_add(st, &s, NULL, NULL), BSTEP_ENOTFOUND);
    fill_session(&s, user, 2);
    memset(&parts, 0, sizeof(parts));
    memset(bad, 'x', sizeof(bad)); /* activity not terminated */
    parts.bouts = bad;
    parts.n_bouts = 1;
    BSTEP_ASSERT_EQ(bstep_store_session_add(st, &s, &parts, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM sessions"), 0);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM bouts"), 0);
    bstep_store_close(st);
}

/* An activity file's records go in with its session, in the same transaction: the session's
 * heart rate and treadmill figures follow them, and a failing part stores no series either. */
BSTEP_TEST(session_with_its_series_in_one_transaction)
{
    bstep_store_session s, g;
    bstep_store_series_point pts[10], *back = NULL;
    bstep_store_bout bad[1];
    bstep_store_session_parts parts;
    size_t n = 0, i;
    int64_t user;
    OPEN(st, url);
    user = make_user(st, "w");
    fill_session(&s, user, 0);
    for (i = 0; i < 10; i++) {
        pts[i].t_us = s.start_us + (int64_t)i * 1000000;
        pts[i].hr_bpm = 100.0 + (double)i;
        pts[i].speed_mps = 0.7;
        pts[i].incline_pct = 4.0;
        pts[i].cadence_spm = pts[i].distance_m = (double)NAN;
    }
    memset(&parts, 0, sizeof(parts));
    parts.series = pts;
    parts.n_series = 10;
    parts.series_source = "ftms";
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, &parts, NULL));
    BSTEP_ASSERT_OK(bstep_store_series_get(st, s.id, &back, &n));
    BSTEP_ASSERT_EQ(n, 10);
    bstep_store_free(back);
    BSTEP_ASSERT_OK(bstep_store_session_get(st, s.id, &g));
    BSTEP_ASSERT_NEAR(g.hr_mean_bpm, 104.5, 1e-9);
    BSTEP_ASSERT_NEAR(g.treadmill_speed_mps, 0.7, 1e-12);
    BSTEP_ASSERT_NEAR(g.treadmill_incline_pct, 4.0, 1e-12);
    fill_session(&s, user, 1);
    memset(bad, 'x', sizeof(bad)); /* activity not terminated */
    parts.bouts = bad;
    parts.n_bouts = 1;
    BSTEP_ASSERT_EQ(bstep_store_session_add(st, &s, &parts, NULL), BSTEP_EINVAL);
    parts.bouts = NULL;
    parts.n_bouts = 0;
    parts.series_source = "";
    BSTEP_ASSERT_EQ(bstep_store_session_add(st, &s, &parts, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM sessions"), 1);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM series"), 10);
    bstep_store_close(st);
}

BSTEP_TEST(text_that_looks_like_sql_is_stored_as_text)
{
    static const char evil[] = "Robert'); DROP TABLE sessions; -- \"x\" ? $1 %s";
    bstep_store_user u, g;
    bstep_store_session s, got;
    OPEN(st, url);
    bstep_store_user_init(&u);
    snprintf(u.name, sizeof(u.name), "%s", evil);
    BSTEP_ASSERT_OK(bstep_store_user_create(st, &u));
    BSTEP_ASSERT_OK(bstep_store_user_find(st, evil, &g));
    BSTEP_ASSERT_EQ(g.id, u.id);
    fill_session(&s, u.id, 3);
    snprintf(s.source_path, sizeof(s.source_path), "%s", evil);
    snprintf(s.note, sizeof(s.note), "%s", evil);
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, NULL, NULL));
    BSTEP_ASSERT_OK(bstep_store_session_get(st, s.id, &got));
    BSTEP_ASSERT(strcmp(got.source_path, evil) == 0);
    BSTEP_ASSERT(strcmp(got.note, evil) == 0);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM sessions"), 1);
    bstep_store_close(st);
}

BSTEP_TEST(session_list_filters)
{
    bstep_store_session s, *list = NULL;
    bstep_store_filter f;
    size_t n = 0;
    int k;
    int64_t a, b, clinic = 0;
    bstep_store_user ub;
    OPEN(st, url);
    BSTEP_ASSERT_OK(bstep_store_clinic_create(st, "c", &clinic));
    a = make_user(st, "a");
    b = make_user(st, "b");
    BSTEP_ASSERT_OK(bstep_store_user_get(st, b, &ub));
    ub.clinic_id = clinic;
    BSTEP_ASSERT_OK(bstep_store_user_update(st, &ub));
    for (k = 0; k < 10; k++) { /* user a: days 0..9; even days have no backward steps */
        fill_session(&s, a, k);
        if (k % 2 == 0) {
            s.steps_backward = 0;
            s.steps_forward = 500;
        }
        if (k == 3)
            s.steps_forward = s.steps_backward = s.steps_sideways = -1; /* direction unknown */
        BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, NULL, NULL));
    }
    fill_session(&s, b, 100);
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, NULL, NULL));

    bstep_store_filter_init(&f);
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 11);
    bstep_store_free(list);

    f.user_id = a;
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 10);
    BSTEP_ASSERT(list[0].start_us < list[9].start_us);
    bstep_store_free(list);

    f.newest_first = 1;
    f.limit = 3;
    f.offset = 1;
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 3);
    BSTEP_ASSERT(strcmp(list[0].note, "session 8") == 0);
    BSTEP_ASSERT(strcmp(list[2].note, "session 6") == 0);
    bstep_store_free(list);

    bstep_store_filter_init(&f);
    f.user_id = a;
    f.from_us = 1767261600000000LL + 2 * 86400000000LL;
    f.to_us = 1767261600000000LL + 5 * 86400000000LL; /* days 2, 3, 4 */
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 3);
    bstep_store_free(list);

    f.from_us = INT64_MIN;
    f.to_us = INT64_MAX;
    f.direction = BSTEP_DIRECTION_BACKWARD;
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 4); /* days 1, 5, 7, 9 (3 is unknown) */
    bstep_store_free(list);
    f.direction = BSTEP_DIRECTION_FORWARD;
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 9);
    bstep_store_free(list);
    f.direction = BSTEP_DIRECTION_IN_PLACE;
    BSTEP_ASSERT_EQ(bstep_store_session_list(st, &f, &list, &n), BSTEP_EINVAL);

    bstep_store_filter_init(&f);
    f.clinic_id = clinic;
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT_EQ(list[0].user_id, b);
    bstep_store_free(list);
    bstep_store_close(st);
}

BSTEP_TEST(session_update_and_delete_cascade)
{
    static bstep_store_step steps[N_STEPS];
    bstep_store_bout bouts[3];
    bstep_store_event ev[2];
    bstep_store_cue cues[1];
    bstep_store_session_parts parts;
    bstep_store_session s, g;
    bstep_store_checkin c;
    int64_t user;
    OPEN(st, url);
    user = make_user(st, "w");
    fill_session(&s, user, 1);
    make_parts(bouts, steps, ev, cues, &parts);
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, &parts, NULL));
    s.treadmill_speed_mps = 0.9;
    s.treadmill_incline_pct = 2.0;
    s.stumbles = 4;
    snprintf(s.note, sizeof(s.note), "edited");
    BSTEP_ASSERT_OK(bstep_store_session_update(st, &s));
    BSTEP_ASSERT_OK(bstep_store_session_get(st, s.id, &g));
    assert_same_session(&s, &g);
    memset(&c, 0, sizeof(c));
    c.user_id = user;
    c.session_id = s.id;
    c.pain_0_10 = 3;
    c.wellbeing_0_10 = -1;
    BSTEP_ASSERT_OK(bstep_store_checkin_add(st, &c));
    BSTEP_ASSERT_OK(bstep_store_session_delete(st, s.id));
    BSTEP_ASSERT_EQ(bstep_store_session_get(st, s.id, &g), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM steps"), 0);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM bouts"), 0);
    /* The check-in stays, unlinked. */
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM checkins WHERE session_id IS NULL"), 1);
    BSTEP_ASSERT_EQ(bstep_store_session_delete(st, s.id), BSTEP_ENOTFOUND);
    bstep_store_close(st);
}

/* ---- external series ----------------------------------------------------------------------- */

BSTEP_TEST(series_attach_by_time)
{
    bstep_store_session s, found, g;
    bstep_store_series_point pts[120], *back = NULL;
    size_t n = 0, i;
    int64_t user, t0, id1;
    OPEN(st, url);
    user = make_user(st, "w");
    fill_session(&s, user, 0); /* 10:00, 601 s */
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, NULL, NULL));
    id1 = s.id;
    t0 = s.start_us;
    fill_session(&s, user, 1); /* next day */
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, NULL, NULL));
    /* A watch activity from 09:58 to 10:05 overlaps the first session most. */
    BSTEP_ASSERT_OK(
        bstep_store_session_find_by_time(st, user, t0 - 120000000LL, t0 + 300000000LL, &found));
    BSTEP_ASSERT_EQ(found.id, id1);
    BSTEP_ASSERT_EQ(
        bstep_store_session_find_by_time(st, user, t0 - 7200000000LL, t0 - 3600000000LL, &found),
        BSTEP_ENOTFOUND);
    for (i = 0; i < 120; i++) {
        pts[i].t_us = t0 + (int64_t)i * 1000000;
        pts[i].hr_bpm = i % 10 == 9 ? (double)NAN : 100.0 + (double)(i % 3);
        pts[i].speed_mps = 0.8;
        pts[i].incline_pct = 1.5;
        pts[i].cadence_spm = (double)NAN;
        pts[i].distance_m = 0.8 * (double)i;
    }
    BSTEP_ASSERT_OK(bstep_store_series_set(st, id1, "fit", pts, 120));
    BSTEP_ASSERT_OK(bstep_store_session_get(st, id1, &g));
    BSTEP_ASSERT_NEAR(g.hr_mean_bpm, 101.0, 0.02);
    BSTEP_ASSERT(isnan(g.treadmill_speed_mps)); /* a watch is not a treadmill */
    /* Replacing: a second import from the same source replaces, it does not add. */
    BSTEP_ASSERT_OK(bstep_store_series_set(st, id1, "fit", pts, 60));
    BSTEP_ASSERT_OK(bstep_store_series_get(st, id1, &back, &n));
    BSTEP_ASSERT_EQ(n, 60);
    BSTEP_ASSERT_EQ(back[59].t_us, pts[59].t_us);
    BSTEP_ASSERT(isnan(back[9].hr_bpm));
    BSTEP_ASSERT(back[5].distance_m == pts[5].distance_m);
    BSTEP_ASSERT(isnan(back[5].cadence_spm));
    bstep_store_free(back);
    BSTEP_ASSERT_OK(bstep_store_series_set(st, id1, "ftms", pts, 10));
    BSTEP_ASSERT_OK(bstep_store_session_get(st, id1, &g));
    BSTEP_ASSERT_NEAR(g.treadmill_speed_mps, 0.8, 1e-12);
    BSTEP_ASSERT_NEAR(g.treadmill_incline_pct, 1.5, 1e-12);
    BSTEP_ASSERT_OK(bstep_store_series_get(st, id1, &back, &n));
    BSTEP_ASSERT_EQ(n, 70);
    for (i = 1; i < n; i++)
        BSTEP_ASSERT(back[i].t_us >= back[i - 1].t_us);
    bstep_store_free(back);
    BSTEP_ASSERT_EQ(bstep_store_series_set(st, 31337, "fit", pts, 1), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_EQ(bstep_store_series_set(st, id1, "", pts, 1), BSTEP_EINVAL);
    bstep_store_close(st);
}

/* ---- live sessions ------------------------------------------------------------------------- */

BSTEP_TEST(live_samples_batched_and_finished)
{
    static bstep_imu_sample in[1000], out[1000];
    bstep_store_session s, g, *list = NULL;
    bstep_store_filter f;
    bstep_store_bout bouts[1];
    bstep_store_session_parts parts;
    size_t n = 0, i;
    int64_t user, count = 0, next = 0;
    OPEN(st, url);
    user = make_user(st, "live");
    memset(&s, 0, sizeof(s));
    s.user_id = user;
    snprintf(s.source_path, sizeof(s.source_path), "live:phone");
    s.placement = BSTEP_PLACEMENT_POCKET;
    s.start_us = 1767261600000000LL;
    s.start_source = BSTEP_START_GIVEN;
    s.duration_s = s.walking_time_s = (double)NAN;
    s.steps = s.steps_forward = s.steps_backward = s.steps_sideways = s.bouts = -1;
    BSTEP_ASSERT_OK(bstep_store_live_begin(st, &s));
    BSTEP_ASSERT(s.id > 0);
    for (i = 0; i < 1000; i++) {
        in[i].t_us = s.start_us + (int64_t)i * 10000;
        in[i].accel_mps2[0] = 0.1f * (float)i / 3.0f;
        in[i].accel_mps2[1] = -9.80665f;
        in[i].accel_mps2[2] = 1e-7f * (float)i;
        in[i].gyro_dps[0] = 123.456f;
        in[i].gyro_dps[1] = -0.0001f * (float)i;
        in[i].gyro_dps[2] = 3.4e38f;
        in[i].flags = (uint32_t)(i % 4);
    }
    BSTEP_ASSERT_OK(bstep_store_live_samples_add(st, s.id, 0, in, 600));
    /* the client resends 500..599 with the rest: nothing doubles */
    BSTEP_ASSERT_OK(bstep_store_live_samples_add(st, s.id, 500, in + 500, 500));
    BSTEP_ASSERT_OK(bstep_store_live_samples_count(st, s.id, &count));
    BSTEP_ASSERT_EQ(count, 1000);
    BSTEP_ASSERT_OK(bstep_store_live_samples_read(st, s.id, 0, out, 700, &n, &next));
    BSTEP_ASSERT_EQ(n, 700);
    BSTEP_ASSERT_EQ(next, 700);
    BSTEP_ASSERT_OK(bstep_store_live_samples_read(st, s.id, next, out + 700, 700, &n, &next));
    BSTEP_ASSERT_EQ(n, 300);
    BSTEP_ASSERT_EQ(next, 1000);
    for (i = 0; i < 1000; i++) {
        BSTEP_ASSERT_EQ(out[i].t_us, in[i].t_us);
        int k;
        for (k = 0; k < 3; k++) { /* exact, but -0.0 may come back as 0.0 (SQLite) */
            BSTEP_ASSERT(out[i].accel_mps2[k] == in[i].accel_mps2[k]);
            BSTEP_ASSERT(out[i].gyro_dps[k] == in[i].gyro_dps[k]);
        }
        BSTEP_ASSERT_EQ(out[i].flags, in[i].flags);
    }
    in[3].accel_mps2[1] = (float)NAN;
    BSTEP_ASSERT_EQ(bstep_store_live_samples_add(st, s.id, 2000, in, 5), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_store_live_samples_add(st, 5555, 0, in + 10, 5), BSTEP_ENOTFOUND);
    /* live sessions are not in the history until finished */
    bstep_store_filter_init(&f);
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 0);
    bstep_store_free(list);
    f.include_live = 1;
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT_EQ(list[0].state, BSTEP_SESSION_LIVE);
    bstep_store_free(list);
    /* finish with a summary */
    s.duration_s = 9.99;
    s.steps = 14;
    s.bouts = 1;
    memset(&parts, 0, sizeof(parts));
    memset(bouts, 0, sizeof(bouts));
    bouts[0].start_s = 1.0;
    bouts[0].end_s = 9.0;
    snprintf(bouts[0].activity, sizeof(bouts[0].activity), "walk-backward");
    bouts[0].steps = 14;
    parts.bouts = bouts;
    parts.n_bouts = 1;
    BSTEP_ASSERT_OK(bstep_store_live_finish(st, &s, &parts));
    BSTEP_ASSERT_OK(bstep_store_live_finish(st, &s, &parts)); /* twice: same result */
    BSTEP_ASSERT_OK(bstep_store_session_get(st, s.id, &g));
    BSTEP_ASSERT_EQ(g.state, BSTEP_SESSION_DONE);
    BSTEP_ASSERT_EQ(g.steps, 14);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM bouts"), 1);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM live_samples"), 1000);
    bstep_store_close(st);
}

/* ---- plans and check-ins ------------------------------------------------------------------- */

BSTEP_TEST(plans_answers_and_progress)
{
    bstep_store_plan p, q, got, *list = NULL;
    bstep_store_answer ans[3], *back = NULL, dup[2];
    bstep_store_plan_progress e, *hist = NULL;
    size_t n = 0;
    int64_t user;
    OPEN(st, url);
    user = make_user(st, "planner");
    memset(&p, 0, sizeof(p));
    p.user_id = user;
    snprintf(p.kind, sizeof(p.kind), "knee-oa");
    snprintf(p.start_date, sizeof(p.start_date), "2026-03-02");
    p.active = 1;
    snprintf(p.params_json, sizeof(p.params_json), "{\"sessions_per_week\":3}");
    memset(ans, 0, sizeof(ans));
    snprintf(ans[0].question, sizeof(ans[0].question), "falls_last_year");
    snprintf(ans[0].answer, sizeof(ans[0].answer), "0");
    snprintf(ans[1].question, sizeof(ans[1].question), "can_stand_unaided");
    snprintf(ans[1].answer, sizeof(ans[1].answer), "yes");
    snprintf(ans[2].question, sizeof(ans[2].question), "knee_pain");
    snprintf(ans[2].answer, sizeof(ans[2].answer), "4");
    BSTEP_ASSERT_OK(bstep_store_plan_save(st, &p, ans, 3));
    BSTEP_ASSERT(p.id > 0);
    BSTEP_ASSERT_OK(bstep_store_plan_load(st, p.id, &got, &back, &n));
    BSTEP_ASSERT_EQ(n, 3);
    BSTEP_ASSERT(strcmp(back[0].question, "can_stand_unaided") == 0); /* question order */
    BSTEP_ASSERT(strcmp(got.params_json, p.params_json) == 0);
    BSTEP_ASSERT(strcmp(got.start_date, "2026-03-02") == 0);
    BSTEP_ASSERT_EQ(got.active, 1);
    bstep_store_free(back);

    /* a second active plan deactivates the first */
    q = p;
    q.id = 0;
    snprintf(q.kind, sizeof(q.kind), "general");
    BSTEP_ASSERT_OK(bstep_store_plan_save(st, &q, NULL, 0));
    BSTEP_ASSERT_OK(bstep_store_plan_active(st, user, &got));
    BSTEP_ASSERT_EQ(got.id, q.id);
    BSTEP_ASSERT_OK(bstep_store_plan_load(st, p.id, &got, NULL, NULL));
    BSTEP_ASSERT_EQ(got.active, 0);
    BSTEP_ASSERT_OK(bstep_store_plan_list(st, user, &list, &n));
    BSTEP_ASSERT_EQ(n, 2);
    bstep_store_free(list);

    memset(&e, 0, sizeof(e));
    e.plan_id = q.id;
    e.at_us = 1000;
    snprintf(e.kind, sizeof(e.kind), "start");
    snprintf(e.reason, sizeof(e.reason), "screening passed");
    BSTEP_ASSERT_OK(bstep_store_plan_progress_append(st, &e));
    e.id = 0;
    e.at_us = 2000;
    snprintf(e.kind, sizeof(e.kind), "level-up");
    e.level_from = 0;
    e.level_to = 1;
    snprintf(e.reason, sizeof(e.reason), "3 sessions at 0.6 m/s with toe-first ratio >= 0.8");
    BSTEP_ASSERT_OK(bstep_store_plan_progress_append(st, &e));
    BSTEP_ASSERT_OK(bstep_store_plan_load(st, q.id, &got, NULL, NULL));
    BSTEP_ASSERT_EQ(got.level, 1);
    BSTEP_ASSERT_OK(bstep_store_plan_progress_list(st, q.id, &hist, &n));
    BSTEP_ASSERT_EQ(n, 2);
    BSTEP_ASSERT(strcmp(hist[1].kind, "level-up") == 0);
    BSTEP_ASSERT_EQ(hist[1].level_to, 1);
    BSTEP_ASSERT(strcmp(hist[1].reason, e.reason) == 0);
    bstep_store_free(hist);
    /* a session's decision is kept once per plan: a second append (another process deciding the
     * same session) returns the first entry */
    {
        bstep_store_session s;
        int64_t first;
        fill_session(&s, user, 0);
        BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, NULL, NULL));
        e.id = 0;
        e.session_id = s.id;
        e.level_from = e.level_to = 1;
        snprintf(e.kind, sizeof(e.kind), "hold");
        BSTEP_ASSERT_OK(bstep_store_plan_progress_append(st, &e));
        first = e.id;
        BSTEP_ASSERT(first > 0);
        e.id = 0;
        BSTEP_ASSERT_OK(bstep_store_plan_progress_append(st, &e));
        BSTEP_ASSERT_EQ(e.id, first);
        BSTEP_ASSERT_OK(bstep_store_plan_progress_list(st, q.id, &hist, &n));
        BSTEP_ASSERT_EQ(n, 3);
        bstep_store_free(hist);
        e.session_id = 0;
    }
    e.plan_id = 777;
    BSTEP_ASSERT_EQ(bstep_store_plan_progress_append(st, &e), BSTEP_ENOTFOUND);

    /* a failing save (the same question twice) leaves nothing behind */
    memset(dup, 0, sizeof(dup));
    snprintf(dup[0].question, sizeof(dup[0].question), "q");
    snprintf(dup[1].question, sizeof(dup[1].question), "q");
    q.id = 0;
    BSTEP_ASSERT_EQ(bstep_store_plan_save(st, &q, dup, 2), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM plans"), 2);
    BSTEP_ASSERT_OK(bstep_store_plan_active(st, user, &got)); /* still the earlier one */
    snprintf(q.start_date, sizeof(q.start_date), "2026-02-30");
    BSTEP_ASSERT_EQ(bstep_store_plan_save(st, &q, NULL, 0), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_store_plan_load(st, 5555, &got, NULL, NULL), BSTEP_ENOTFOUND);
    bstep_store_close(st);
}

BSTEP_TEST(checkins_by_date_and_session)
{
    bstep_store_session s;
    bstep_store_checkin c, *list = NULL;
    size_t n = 0;
    int64_t user, other;
    OPEN(st, url);
    setenv("TZ", "UTC", 1);
    tzset();
    user = make_user(st, "c");
    other = make_user(st, "d");
    fill_session(&s, user, 4); /* 2026-01-05 10:00 UTC */
    BSTEP_ASSERT_OK(bstep_store_session_add(st, &s, NULL, NULL));
    memset(&c, 0, sizeof(c));
    c.user_id = user;
    c.session_id = s.id;
    c.pain_0_10 = 2;
    c.wellbeing_0_10 = 8;
    snprintf(c.note, sizeof(c.note), "knee ok");
    BSTEP_ASSERT_OK(bstep_store_checkin_add(st, &c));
    BSTEP_ASSERT(strcmp(c.date, "2026-01-05") == 0);
    memset(&c, 0, sizeof(c));
    c.user_id = user;
    snprintf(c.date, sizeof(c.date), "2026-01-07");
    c.pain_0_10 = 5;
    c.wellbeing_0_10 = -1;
    BSTEP_ASSERT_OK(bstep_store_checkin_add(st, &c));
    c.pain_0_10 = 11;
    BSTEP_ASSERT_EQ(bstep_store_checkin_add(st, &c), BSTEP_EINVAL);
    c.pain_0_10 = -1;
    BSTEP_ASSERT_EQ(bstep_store_checkin_add(st, &c), BSTEP_EINVAL);
    c.pain_0_10 = 1;
    snprintf(c.date, sizeof(c.date), "2026-13-01");
    BSTEP_ASSERT_EQ(bstep_store_checkin_add(st, &c), BSTEP_EINVAL);
    c.date[0] = '\0';
    c.user_id = other;
    c.session_id = s.id; /* not this user's session */
    BSTEP_ASSERT_EQ(bstep_store_checkin_add(st, &c), BSTEP_EINVAL);
    BSTEP_ASSERT_OK(bstep_store_checkin_list(st, user, NULL, NULL, &list, &n));
    BSTEP_ASSERT_EQ(n, 2);
    BSTEP_ASSERT_EQ(list[0].pain_0_10, 2);
    BSTEP_ASSERT_EQ(list[0].session_id, s.id);
    BSTEP_ASSERT(strcmp(list[0].note, "knee ok") == 0);
    BSTEP_ASSERT_EQ(list[1].wellbeing_0_10, -1);
    bstep_store_free(list);
    BSTEP_ASSERT_OK(bstep_store_checkin_list(st, user, "2026-01-06", "2026-01-31", &list, &n));
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT_EQ(list[0].pain_0_10, 5);
    BSTEP_ASSERT_EQ(list[0].stumbled, BSTEP_STORE_STUMBLED_UNKNOWN); /* cleared: not answered */
    bstep_store_free(list);
    bstep_store_close(st);
}

/* The stumble answer of a check-in (schema version 4): unknown, no and yes round-trip; an answer
 * alone is a check-in; out-of-range values are refused. */
BSTEP_TEST(checkin_stumble_answer)
{
    bstep_store_checkin c, *list = NULL;
    size_t n = 0;
    int64_t user;
    OPEN(st, url);
    user = make_user(st, "s");
    memset(&c, 0, sizeof(c));
    c.user_id = user;
    c.pain_0_10 = c.wellbeing_0_10 = -1;
    snprintf(c.date, sizeof(c.date), "2026-03-02");
    BSTEP_ASSERT_EQ(bstep_store_checkin_add(st, &c), BSTEP_EINVAL); /* nothing answered */
    c.stumbled = BSTEP_STORE_STUMBLED_YES;
    BSTEP_ASSERT_OK(bstep_store_checkin_add(st, &c));
    snprintf(c.date, sizeof(c.date), "2026-03-03");
    c.stumbled = BSTEP_STORE_STUMBLED_NO;
    c.pain_0_10 = 1;
    BSTEP_ASSERT_OK(bstep_store_checkin_add(st, &c));
    c.stumbled = 3;
    BSTEP_ASSERT_EQ(bstep_store_checkin_add(st, &c), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM checkins WHERE stumbled = 1"), 1);
    BSTEP_ASSERT_EQ(count_of(url, "SELECT count(*) FROM checkins WHERE stumbled = 0"), 1);
    BSTEP_ASSERT_OK(bstep_store_checkin_list(st, user, NULL, NULL, &list, &n));
    BSTEP_ASSERT_EQ(n, 2);
    BSTEP_ASSERT_EQ(list[0].stumbled, BSTEP_STORE_STUMBLED_YES);
    BSTEP_ASSERT_EQ(list[0].pain_0_10, -1);
    BSTEP_ASSERT_EQ(list[1].stumbled, BSTEP_STORE_STUMBLED_NO);
    bstep_store_free(list);
    bstep_store_close(st);
}

BSTEP_TEST_LIST(
    BSTEP_TEST_ENTRY(checkin_stumble_answer), BSTEP_TEST_ENTRY(open_migrates_to_current_version),
    BSTEP_TEST_ENTRY(open_refuses_newer_schema), BSTEP_TEST_ENTRY(open_refuses_foreign_database),
    BSTEP_TEST_ENTRY(open_bad_locations), BSTEP_TEST_ENTRY(default_location_follows_xdg),
    BSTEP_TEST_ENTRY(users_create_find_update), BSTEP_TEST_ENTRY(clinician_sees_own_patients_only),
    BSTEP_TEST_ENTRY(tokens_hash_lookup_revoke), BSTEP_TEST_ENTRY(devices_and_mountings),
    BSTEP_TEST_ENTRY(session_round_trip_exact),
    BSTEP_TEST_ENTRY(same_checksum_is_recognised_not_duplicated),
    BSTEP_TEST_ENTRY(failed_session_add_stores_nothing),
    BSTEP_TEST_ENTRY(session_with_its_series_in_one_transaction),
    BSTEP_TEST_ENTRY(text_that_looks_like_sql_is_stored_as_text),
    BSTEP_TEST_ENTRY(session_list_filters), BSTEP_TEST_ENTRY(session_update_and_delete_cascade),
    BSTEP_TEST_ENTRY(series_attach_by_time), BSTEP_TEST_ENTRY(live_samples_batched_and_finished),
    BSTEP_TEST_ENTRY(plans_answers_and_progress), BSTEP_TEST_ENTRY(checkins_by_date_and_session))
