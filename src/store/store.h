/*
 * The session store: one interface, two backends (SQLite, the default, and PostgreSQL via libpq).
 * The only code that includes sqlite3.h or libpq-fe.h lives behind this header (src/store/).
 * Schema, URLs, migrations and reliability guarantees: docs/store.md.
 *
 * Conventions (c-style.md sections 2 and 6):
 * - An opaque handle: bstep_store_open() / bstep_store_close(); close(NULL) is a no-op. A handle is
 *   one database connection: use it from one thread at a time (open one handle per thread).
 * - Every function returns a bstep_status (0 = BSTEP_OK). On failure bstep_store_errmsg() has the
 *   message (owned by the handle, valid until the next call on it). BSTEP_EBUSY means another
 *   writer holds the database longer than the busy timeout: nothing was written, retry later.
 *   BSTEP_ENOTFOUND: no such row. BSTEP_EINVAL: an argument is out of its documented range.
 *   BSTEP_EDB: any other database error (the message has the backend's text).
 * - Every write function is one transaction: it is stored completely or not at all.
 * - Statements are parameterised; no SQL is ever built from user data.
 * - Times are int64 microseconds since 1970-01-01 00:00 UTC (`_us`); calendar dates are text
 *   "YYYY-MM-DD" (the walker's local date). Unknown numbers are NAN (stored as NULL);
 *   unknown counts are -1; unknown ids are 0.
 * - Functions returning lists allocate one array with malloc(); release it with bstep_store_free().
 *   Fixed-size text fields are always NUL-terminated; longer input is BSTEP_EINVAL, never cut.
 */
#ifndef BSTEP_STORE_H
#define BSTEP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/energy.h"
#include "backstep/io.h"
#include "backstep/status.h"
#include "backstep/types.h"

/** The schema version this build creates and understands (docs/store.md lists every version). */
#define BSTEP_STORE_SCHEMA_VERSION 4

typedef struct bstep_store bstep_store;

typedef enum { BSTEP_STORE_SQLITE = 1, BSTEP_STORE_POSTGRESQL = 2 } bstep_store_backend;

/* ---- opening ------------------------------------------------------------------------------- */

/**
 * @brief Open (and create or migrate) a store.
 * @param[out] out the handle; NULL on failure.
 * @param[in]  url NULL or "" for the default database; otherwise one of
 *   - "postgresql://..." or "postgres://..." (a libpq connection URI, e.g.
 *     "postgresql://user@localhost:5432/backstep" or "postgresql:///db?host=/run/pg"),
 *   - "sqlite://PATH" (so "sqlite:///abs/file.db") or "sqlite:PATH",
 *   - a plain file path (SQLite).
 *   The default is $BACKSTEP_DB when set (any of the forms above), else
 *   $XDG_DATA_HOME/backstep/backstep.db, else $HOME/.local/share/backstep/backstep.db; the
 *   folder is created (mode 0700) on first use.
 * @param[out] err message on failure (names the database and the reason); may be NULL.
 * @return BSTEP_OK; BSTEP_EIO (folder or file cannot be created, server unreachable); BSTEP_EDB
 *   (not a backstep database, or one made by a newer backstep: its schema version is higher than
 *   BSTEP_STORE_SCHEMA_VERSION); BSTEP_EBUSY; BSTEP_EINVAL (bad URL); BSTEP_ENOMEM.
 *   SQLite databases are opened in WAL mode with synchronous=FULL, foreign keys on and a busy
 *   timeout (5000 ms, or $BACKSTEP_DB_BUSY_MS).
 */
int bstep_store_open(bstep_store **out, const char *url, char *err, size_t err_len);
/** @brief Close; NULL is a no-op. */
void bstep_store_close(bstep_store *st);
/** @brief The last error message ("" after success). */
const char *bstep_store_errmsg(const bstep_store *st);
bstep_store_backend bstep_store_backend_of(const bstep_store *st);
/** @brief Where the store is: the SQLite file path, or the PostgreSQL URL without a password. */
const char *bstep_store_location(const bstep_store *st);
/** @brief The schema version of the open database (== BSTEP_STORE_SCHEMA_VERSION after open). */
int bstep_store_schema_version(bstep_store *st, int *version);
/**
 * @brief The default SQLite path (see bstep_store_open), without creating anything.
 * @return BSTEP_OK, BSTEP_EINVAL when neither XDG_DATA_HOME nor HOME is set, BSTEP_ERANGE when
 *   the path does not fit.
 */
int bstep_store_default_path(char *path, size_t cap);
/** @brief Release a list returned by any function of this header. NULL is a no-op. */
void bstep_store_free(void *list);
/**
 * @brief Integrity check: SQLite `PRAGMA integrity_check` plus foreign-key check; PostgreSQL: the
 *   schema version and a row count per table. @return BSTEP_OK, or BSTEP_EDB with the findings.
 */
int bstep_store_check(bstep_store *st);

/* ---- users, clinics, access tokens --------------------------------------------------------- */

typedef enum { BSTEP_ROLE_WALKER = 0, BSTEP_ROLE_CLINICIAN = 1, BSTEP_ROLE_ADMIN = 2 } bstep_role;
/** "walker", "clinician", "admin"; parse returns BSTEP_EINVAL for other text. */
const char *bstep_role_name(bstep_role r);
int bstep_role_parse(const char *text, bstep_role *out);

#define BSTEP_STORE_NAME_MAX 128

typedef struct {
    int64_t id;                      /**< set by create */
    char name[BSTEP_STORE_NAME_MAX]; /**< unique login / display name, 1..127 bytes */
    double mass_kg;                  /**< body mass, 20..300, NAN unknown (energy model) */
    double height_m;                 /**< 0.5..2.5, NAN unknown */
    double age_y;                    /**< age in years, 1..120, NAN unknown */
    bstep_sex sex;
    bstep_role role;
    int64_t clinic_id; /**< 0: none. A clinician sees the walkers of their own clinic only */
    int64_t created_us;
} bstep_store_user;

/** Fill u with "unknown" values (NAN body data, walker, no clinic). */
void bstep_store_user_init(bstep_store_user *u);
/** @brief Create a clinic (unique name). @return BSTEP_EINVAL if the name exists or is empty. */
int bstep_store_clinic_create(bstep_store *st, const char *name, int64_t *clinic_id);
int bstep_store_clinic_find(bstep_store *st, const char *name, int64_t *clinic_id);
/** @brief Create a user; u->id is set. @return BSTEP_EINVAL if the name exists or a field is out
 *  of range, BSTEP_ENOTFOUND if clinic_id names no clinic. */
int bstep_store_user_create(bstep_store *st, bstep_store_user *u);
/** @brief Update name, body data, role and clinic of user u->id. */
int bstep_store_user_update(bstep_store *st, const bstep_store_user *u);
int bstep_store_user_get(bstep_store *st, int64_t id, bstep_store_user *out);
int bstep_store_user_find(bstep_store *st, const char *name, bstep_store_user *out);
/** @brief Find the user by name, creating a walker of that name when there is none. */
int bstep_store_user_ensure(bstep_store *st, const char *name, bstep_store_user *out);
/** @brief Users in name order; clinic_id 0: all users, else the members of that clinic. */
int bstep_store_user_list(bstep_store *st, int64_t clinic_id, bstep_store_user **out, size_t *n);
/**
 * @brief May viewer see subject's data? Yes for the subject themself and for admins; a clinician
 *   sees walkers with the same non-zero clinic_id; nobody else. @param[out] allowed 1 or 0.
 * @return BSTEP_ENOTFOUND when either user does not exist.
 */
int bstep_store_user_can_view(bstep_store *st, int64_t viewer_id, int64_t subject_id, int *allowed);

#define BSTEP_STORE_TOKEN_HASH_MAX 64

typedef struct {
    int64_t id;
    int64_t user_id;
    unsigned char hash[BSTEP_STORE_TOKEN_HASH_MAX]; /**< the token's hash, never the token */
    size_t hash_len;                                /**< 16..64 bytes */
    char label[BSTEP_STORE_NAME_MAX];               /**< e.g. "phone", "clinic laptop" */
    int64_t created_us;
    int64_t revoked_us; /**< 0: valid */
} bstep_store_token;

/**
 * @brief Store a token's hash (the caller hashes; e.g. libsodium crypto_generichash, 32 bytes).
 * @return BSTEP_EINVAL for a hash length outside 16..64 or a hash already stored,
 *   BSTEP_ENOTFOUND for an unknown user.
 */
int bstep_store_token_add(bstep_store *st, int64_t user_id, const unsigned char *hash,
                          size_t hash_len, const char *label, int64_t *token_id);
/** @brief The valid (not revoked) token with this hash. @return BSTEP_ENOTFOUND otherwise. */
int bstep_store_token_lookup(bstep_store *st, const unsigned char *hash, size_t hash_len,
                             bstep_store_token *out);
/** @brief Revoke (kept for the record). @return BSTEP_ENOTFOUND if no such valid token. */
int bstep_store_token_revoke(bstep_store *st, int64_t token_id);
/** @brief Every token of a user, revoked ones included, newest first. */
int bstep_store_token_list(bstep_store *st, int64_t user_id, bstep_store_token **out, size_t *n);

/* ---- devices and mountings ----------------------------------------------------------------- */

typedef struct {
    int64_t id;
    int64_t user_id;
    char name[BSTEP_STORE_NAME_MAX];  /**< unique per user, e.g. "left shoe IMU", "phone" */
    char kind[32];                    /**< "imu", "phone", "watch", "treadmill", ... */
    char model[BSTEP_STORE_NAME_MAX]; /**< free text, may be "" */
    int64_t created_us;
} bstep_store_device;

typedef struct {
    int64_t id;
    int64_t device_id;
    bstep_placement placement;
    bstep_axis toe_axis, front_axis; /**< AUTO: calibrated from the first bout */
    int64_t since_us;                /**< mounted from this time on */
} bstep_store_mounting;

/** @brief Find the user's device by name or create it; d->id is set. */
int bstep_store_device_ensure(bstep_store *st, bstep_store_device *d);
int bstep_store_device_list(bstep_store *st, int64_t user_id, bstep_store_device **out, size_t *n);
/** @brief Record how a device is worn from m->since_us on; m->id is set. */
int bstep_store_mounting_add(bstep_store *st, bstep_store_mounting *m);
/** @brief The mounting in force at time t_us (latest since_us <= t_us). */
int bstep_store_mounting_at(bstep_store *st, int64_t device_id, int64_t t_us,
                            bstep_store_mounting *out);

/* ---- sessions ------------------------------------------------------------------------------- */

#define BSTEP_STORE_PATH_MAX 1024

/** Where a session's start time came from. */
typedef enum {
    BSTEP_START_RECORDING = 0, /**< absolute timestamps in the recording */
    BSTEP_START_FILE_TIME = 1, /**< file modification time minus the duration (an estimate) */
    BSTEP_START_GIVEN = 2,     /**< given by the user (analyze --start) or a live client */
    BSTEP_START_IMPORTED = 3   /**< from an imported activity file (FIT/TCX/FTMS) */
} bstep_start_source;

typedef enum {
    BSTEP_SESSION_DONE = 0, /**< analysed, complete */
    BSTEP_SESSION_LIVE = 1  /**< live ingest in progress (samples arriving) */
} bstep_session_state;

/**
 * One session: the recording and the whole analysis summary (the JSON "summary" of
 * docs/json-schema.md plus energy). Counts unknown are -1, numbers unknown NAN.
 */
typedef struct {
    int64_t id;
    int64_t user_id; /**< required */
    int64_t device_id;
    bstep_session_state state;
    char source_path[BSTEP_STORE_PATH_MAX]; /**< absolute path, or "live:..." / "import:..." */
    char sha256_hex[65]; /**< SHA-256 of the source (docs/store.md); "" for live sessions */
    bstep_format format;
    bstep_placement placement;
    bstep_axis toe_axis, front_axis;
    int64_t start_us; /**< session start, UTC */
    bstep_start_source start_source;
    double duration_s;
    double sample_rate_hz;
    int64_t samples, gaps;
    double treadmill_speed_mps, treadmill_incline_pct; /**< NAN: not on a treadmill / unknown */
    /* summary */
    int64_t steps, steps_forward, steps_backward, steps_sideways, bouts;
    double walking_time_s;
    double backward_time_s; /**< duration of the bouts whose activity is walk- or run-backward */
    double cadence_spm, distance_m, distance_backward_m, distance_forward_m, speed_mps;
    double energy_kcal, energy_low_kcal, energy_high_kcal, energy_met_mean, energy_mass_kg;
    int energy_mass_assumed; /**< 1: 70 kg assumed */
    double toe_first_ratio;  /**< 0..1 over backward steps with a known strike */
    double heel_first_ratio; /**< 0..1 over forward steps with a known strike */
    double stride_time_cv_pct, step_time_asymmetry_pct, trunk_lean_deg;
    double side_lean_deg;                      /**< trunk: mean sideways lean, deg */
    double step_regularity, stride_regularity; /**< trunk: autocorrelation 0..1 */
    int64_t look_backs, stumbles, falls;
    double hr_mean_bpm; /**< from an attached series, NAN if none */
    char note[256];     /**< free text, "" */
    int64_t created_us; /**< when it was stored */
    /* Version 4: the coach's figures of the core summary (docs/coach.md section 1). A cleared
     * struct (all zero) reads as "none": no strides, no strikes, so no rhythm and no toe-first. */
    double time_backward_s;    /**< contact intervals of backward contacts (the summary's), NAN */
    double speed_backward_mps; /**< length / time of the backward steps or strides, NAN */
    double backward_stride_time_cv_pct;   /**< rhythm (successive differences), NAN */
    double backward_stride_length_cv_pct; /**< evenness, NAN */
    int64_t backward_strides;             /**< strides behind rhythm and evenness, -1 unknown */
    int64_t backward_strikes; /**< backward contacts with a known strike (toe-first ratio), -1 */
} bstep_store_session;

typedef struct {
    double start_s, end_s; /**< seconds from the session start */
    char activity[32];     /**< "walk", "walk-backward", "run", "run-backward", "side-left", ... */
    int64_t steps;
    double distance_m;
    double cadence_spm, direction_confidence, step_regularity, stride_regularity; /**< NAN */
} bstep_store_bout;

/** The per-step record of analyze (docs/json-schema.md "steps"). */
typedef struct {
    double ic_s, fc_s; /**< initial / final contact, seconds from the session start; fc NAN */
    bstep_foot foot;
    bstep_direction direction;
    bstep_strike strike;
    double strike_angle_deg, stride_length_m, stride_time_s;
    double stride_forward_m, stride_left_m; /**< stride vector in the walker's frame */
    double speed_mps, clearance_m, turn_deg;
    double fc_angle_deg;    /**< foot pitch at the final contact */
    bstep_strike fc_strike; /**< part of the foot that leaves the ground last */
    double step_length_m, trunk_lean_deg, side_lean_deg; /**< trunk sensors */
    double confidence;                                   /**< of the direction, 0..1 */
} bstep_store_step;

typedef struct {
    double t_s;
    char type[32]; /**< "gap", "stumble", "fall", "look-back", ... */
    char message[160];
    bstep_direction direction;                               /**< UNKNOWN when not given */
    double confidence, value, trunk_lean_deg, side_lean_deg; /**< NAN when not given */
} bstep_store_event;

/** A coaching cue given during the session (coach engineer's cues). */
typedef struct {
    double t_s;
    char kind[32]; /**< bstep_cue_name(): "toes_first", "stand_tall", "even_strides", "slow_down",
                      "stumble", "fall" */
    char message[160];
} bstep_store_cue;

/** One second (or any rate) of an external series: watch heart rate, treadmill speed/incline. */
typedef struct {
    int64_t t_us;       /**< absolute time, UTC */
    double hr_bpm;      /**< NAN when absent in this point */
    double speed_mps;   /**< NAN when absent */
    double incline_pct; /**< NAN when absent */
    double cadence_spm; /**< NAN when absent */
    double distance_m;  /**< cumulative distance of the source, NAN when absent */
} bstep_store_series_point;

/** The parts of a session stored with it (any count may be 0). */
typedef struct {
    const bstep_store_bout *bouts;
    size_t n_bouts;
    const bstep_store_step *steps;
    size_t n_steps;
    const bstep_store_event *events;
    size_t n_events;
    const bstep_store_cue *cues;
    size_t n_cues;
    /** Optional row providers for sessions too long to hold as arrays (a day-long recording):
     *  when set, steps / events are ignored and the rows k = 0 .. n-1 are asked for in order,
     *  while the session is being written; return 0, or non-zero when the row cannot be given
     *  (the session is then not stored: BSTEP_EIO). */
    int (*step_at)(void *row_ctx, size_t k, bstep_store_step *out);
    int (*event_at)(void *row_ctx, size_t k, bstep_store_event *out);
    void *row_ctx;
    /** An external series stored with the session in the same transaction (an activity file's
     * records); as bstep_store_series_set, which also updates the session's heart rate and, for
     * "ftms"/"treadmill" sources, its treadmill speed and incline. */
    const bstep_store_series_point *series;
    size_t n_series;
    const char *series_source; /**< 1..31 bytes when n_series > 0 */
} bstep_store_session_parts;

/**
 * @brief Store a session with its parts, in one transaction.
 * A session whose sha256_hex is already stored for the same user is not stored again: *existed is
 * set to 1 and *id to the stored session's id (also when two processes store it at once).
 * @param[in,out] s s->id and s->created_us are set.
 * @param[out] existed may be NULL.
 * @return BSTEP_OK (stored or recognised), BSTEP_EINVAL (no user, bad field), BSTEP_ENOTFOUND (no
 *   such user), BSTEP_EBUSY, BSTEP_EDB.
 */
int bstep_store_session_add(bstep_store *st, bstep_store_session *s,
                            const bstep_store_session_parts *parts, int *existed);
/** @brief The session (summary only) with this id. */
int bstep_store_session_get(bstep_store *st, int64_t id, bstep_store_session *out);
/** @brief The user's session with this checksum. @return BSTEP_ENOTFOUND if none. */
int bstep_store_session_find_sha256(bstep_store *st, int64_t user_id, const char *sha256_hex,
                                    bstep_store_session *out);
/** @brief Replace the summary fields (everything but id, user, source, checksum, created). */
int bstep_store_session_update(bstep_store *st, const bstep_store_session *s);
/** @brief Delete a session and everything attached to it. */
int bstep_store_session_delete(bstep_store *st, int64_t id);

/** Filter for bstep_store_session_list. Start with bstep_store_filter_init(). */
typedef struct {
    int64_t user_id;           /**< 0: every user (an admin's view) */
    int64_t clinic_id;         /**< 0: any; else only users of this clinic */
    int64_t from_us;           /**< start_us >= from_us (INT64_MIN: no bound) */
    int64_t to_us;             /**< start_us < to_us (INT64_MAX: no bound) */
    bstep_direction direction; /**< UNKNOWN: any; else sessions with steps in that direction
                                  (SIDEWAYS_LEFT or _RIGHT: any sideways steps) */
    int include_live;          /**< 0: only finished sessions */
    size_t limit;              /**< 0: no limit */
    size_t offset;
    int newest_first; /**< 0: oldest first (by start_us, then id) */
} bstep_store_filter;

void bstep_store_filter_init(bstep_store_filter *f);
/** @brief Sessions (summaries) matching f. */
int bstep_store_session_list(bstep_store *st, const bstep_store_filter *f,
                             bstep_store_session **out, size_t *n);

/** A session loaded fully (for reports, the server's session page and export). */
typedef struct {
    bstep_store_session session;
    bstep_store_bout *bouts;
    size_t n_bouts;
    bstep_store_step *steps;
    size_t n_steps;
    bstep_store_event *events;
    size_t n_events;
    bstep_store_cue *cues;
    size_t n_cues;
    bstep_store_series_point *series; /**< external series, time order */
    size_t n_series;
} bstep_store_session_full;

/** @brief Load a session with its bouts, steps (in ic order), events, cues and series. */
int bstep_store_session_load(bstep_store *st, int64_t id, bstep_store_session_full **out);
/** @brief Release a loaded session; NULL is a no-op. */
void bstep_store_session_full_free(bstep_store_session_full *f);

/* ---- external series (import: FIT, TCX, FTMS) ---------------------------------------------- */

/**
 * @brief The user's session that overlaps [from_us, to_us) the most (ties: the earliest).
 * @return BSTEP_ENOTFOUND when no session overlaps.
 */
int bstep_store_session_find_by_time(bstep_store *st, int64_t user_id, int64_t from_us,
                                     int64_t to_us, bstep_store_session *out);
/**
 * @brief Attach an external series to a session, replacing the series previously attached from
 *   the same source ("fit", "tcx", "ftms", ...). Also updates the session's hr_mean_bpm, and its
 *   treadmill_speed_mps / treadmill_incline_pct (means over the points that have them).
 */
int bstep_store_series_set(bstep_store *st, int64_t session_id, const char *source,
                           const bstep_store_series_point *pts, size_t n);
/** @brief The session's treadmill readings, in time order: its series from every source but a
 *   watch's (fit, tcx), i.e. an FTMS log's and the belt readings the recording itself carried
 *   (source csv), the points with a speed or an incline. */
int bstep_store_series_get_treadmill(bstep_store *st, int64_t session_id,
                                     bstep_store_series_point **out, size_t *n);
/** @brief The session's series, every source merged, in time order. */
int bstep_store_series_get(bstep_store *st, int64_t session_id, bstep_store_series_point **out,
                           size_t *n);

/* ---- live sessions (server live ingest) ----------------------------------------------------- */

/**
 * @brief Start a live session: a session row in state BSTEP_SESSION_LIVE. s->user_id, placement,
 *   start_us and source_path ("live:<client>") are used; the summary is unknown until finish.
 */
int bstep_store_live_begin(bstep_store *st, bstep_store_session *s);
/**
 * @brief Append raw samples received for a live session, in one transaction (batched multi-row
 *   inserts). seq_first is the sequence number of pts[0]; samples are numbered consecutively and a
 *   sequence number already stored is ignored (a client resending is harmless).
 */
int bstep_store_live_samples_add(bstep_store *st, int64_t session_id, int64_t seq_first,
                                 const bstep_imu_sample *pts, size_t n);
/**
 * @brief Read stored samples with seq >= seq_from in order, at most cap.
 * @param[out] n samples written; *next_seq the seq after the last one returned.
 */
int bstep_store_live_samples_read(bstep_store *st, int64_t session_id, int64_t seq_from,
                                  bstep_imu_sample *buf, size_t cap, size_t *n, int64_t *next_seq);
/** @brief Number of samples stored for the session. */
int bstep_store_live_samples_count(bstep_store *st, int64_t session_id, int64_t *count);
/**
 * @brief Finish a live session: store the summary in s (s->id names the session) and the parts,
 *   and set the state to DONE. The raw samples stay.
 */
int bstep_store_live_finish(bstep_store *st, const bstep_store_session *s,
                            const bstep_store_session_parts *parts);

/* ---- plans and plan progress (coach) -------------------------------------------------------- */

#define BSTEP_STORE_PLAN_KIND_MAX 32

typedef struct {
    char question[64];
    char answer[128];
} bstep_store_answer;

typedef struct {
    int64_t id;
    int64_t user_id;
    char kind[BSTEP_STORE_PLAN_KIND_MAX]; /**< plan kind named by the coach: "general", "knee-oa" */
    char start_date[11];                  /**< "YYYY-MM-DD" */
    int level;                            /**< current level, >= 0 */
    int active;                           /**< 1: the user's current plan */
    char params_json[1024];               /**< coach-defined parameters as JSON text, "" */
    int64_t created_us, updated_us;
} bstep_store_plan;

/** One entry of a plan's history: a level change with its reason, or another milestone. */
typedef struct {
    int64_t id;
    int64_t plan_id;
    int64_t at_us;
    int64_t session_id; /**< the session that triggered it, 0 none */
    char kind[32];      /**< "start", "level-up", "level-down", "hold", "pause", "resume", ... */
    int level_from, level_to;
    char reason[256];
} bstep_store_plan_progress;

/**
 * @brief Save a plan and its screening answers. p->id 0: create (and, if p->active, make it the
 *   user's only active plan); else update that plan and replace its answers.
 */
int bstep_store_plan_save(bstep_store *st, bstep_store_plan *p, const bstep_store_answer *answers,
                          size_t n_answers);
/** @brief Load a plan and its answers (*answers may be NULL if not wanted). */
int bstep_store_plan_load(bstep_store *st, int64_t plan_id, bstep_store_plan *out,
                          bstep_store_answer **answers, size_t *n_answers);
/** @brief The user's active plan. @return BSTEP_ENOTFOUND if none. */
int bstep_store_plan_active(bstep_store *st, int64_t user_id, bstep_store_plan *out);
/** @brief The user's plans, newest first. */
int bstep_store_plan_list(bstep_store *st, int64_t user_id, bstep_store_plan **out, size_t *n);
/** @brief Append a progress entry; when kind changes the level (level_to != level_from) the
 *   plan's level is set to level_to in the same transaction. e->id is set. A session's decision
 *   (session_id > 0) is kept once per plan: when the plan has an entry for that session already
 *   (another process decided it at the same moment), nothing is appended and e->id is that
 *   entry's (PostgreSQL: under a transaction-level advisory lock of the plan; SQLite: one writer
 *   at a time). */
int bstep_store_plan_progress_append(bstep_store *st, bstep_store_plan_progress *e);
/** @brief A plan's progress entries in time order. */
int bstep_store_plan_progress_list(bstep_store *st, int64_t plan_id,
                                   bstep_store_plan_progress **out, size_t *n);

/**
 * @brief Begin the transaction in which a user's plan is decided (src/store/coach_store.h
 *   bstep__plan_decide): every store call until bstep_store_txn_commit or _rollback is part of it
 *   (their own transactions join it), and no other connection decides the same user's plan in
 *   the meantime, so the level written is the one of what the decision read. SQLite: BEGIN
 *   IMMEDIATE (the database's write lock from the start: nobody else writes until the commit,
 *   and the reads see the last committed state). PostgreSQL: BEGIN and a transaction-level
 *   advisory lock of the user, waited for (READ COMMITTED: every read after it sees what the
 *   previous holder committed; sessions are stored meanwhile, and each is decided by its own
 *   writer after it, under the lock).
 * @return BSTEP_OK, BSTEP_EBUSY (SQLite: the write lock not obtained within the busy timeout),
 *   BSTEP_EDB; BSTEP_EINVAL when a transaction is open already.
 */
int bstep_store_plan_txn_begin(bstep_store *st, int64_t user_id);
/** @brief Commit the transaction begun by bstep_store_plan_txn_begin. */
int bstep_store_txn_commit(bstep_store *st);
/** @brief Roll it back (nothing of it is stored); a no-op without one. */
void bstep_store_txn_rollback(bstep_store *st);

/* ---- check-ins (self-reported pain and wellbeing) ------------------------------------------- */

typedef struct {
    int64_t id;
    int64_t user_id;
    int64_t session_id; /**< 0: not linked to a session */
    char date[11];      /**< "YYYY-MM-DD"; for a linked check-in, "" means the session's date */
    int pain_0_10;      /**< 0..10, -1 unknown */
    int wellbeing_0_10; /**< 0..10, -1 unknown */
    char note[256];
    int64_t created_us;
    /** Version 4: "did you stumble or lose your balance?" A cleared struct means not answered,
     * never "no". */
    int stumbled; /**< BSTEP_STORE_STUMBLED_UNKNOWN, _NO or _YES */
} bstep_store_checkin;

#define BSTEP_STORE_STUMBLED_UNKNOWN 0 /**< not answered (stored as NULL) */
#define BSTEP_STORE_STUMBLED_NO      1 /**< stored as 0 */
#define BSTEP_STORE_STUMBLED_YES     2 /**< stored as 1 */

/** @brief Add a check-in; c->id is set (and c->date when it was taken from the session). */
int bstep_store_checkin_add(bstep_store *st, bstep_store_checkin *c);
/** @brief The user's check-ins with from_date <= date <= to_date (NULL: no bound), date order. */
int bstep_store_checkin_list(bstep_store *st, int64_t user_id, const char *from_date,
                             const char *to_date, bstep_store_checkin **out, size_t *n);

#endif
