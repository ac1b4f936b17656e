/*
 * The schema and its ordered migrations. Each migration takes a database from version N-1 to N
 * inside one transaction and is never changed once released: a new schema is a new migration.
 * The SQL of every released version is also kept, frozen, in tests/store/schema/vN.sql, so that
 * the migration from each one is tested (docs/store.md, "Migrations").
 *
 * Types: counts and times are BIGINT (64-bit on both backends), measures DOUBLE PRECISION, raw
 * samples REAL (single precision, like the samples themselves); enums are stored by their stable
 * names (bstep_direction_name() etc.) so that the database reads well in SQL.
 */
#include "store/schema.h"

#include <stddef.h>

static const char *const v1[] = {
    "CREATE TABLE clinics (\n"
    "  id {ID},\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  created_us BIGINT NOT NULL);\n",
    "CREATE TABLE users (\n"
    "  id {ID},\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  mass_kg DOUBLE PRECISION CHECK (mass_kg IS NULL OR mass_kg BETWEEN 20 AND 300),\n"
    "  height_m DOUBLE PRECISION CHECK (height_m IS NULL OR height_m BETWEEN 0.5 AND 2.5),\n"
    "  age_y DOUBLE PRECISION CHECK (age_y IS NULL OR age_y BETWEEN 1 AND 120),\n"
    "  sex TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('unknown', 'female', 'male')),\n"
    "  role TEXT NOT NULL DEFAULT 'walker' CHECK (role IN ('walker', 'clinician', 'admin')),\n"
    "  clinic_id BIGINT REFERENCES clinics (id),\n"
    "  created_us BIGINT NOT NULL);\n",
    "CREATE TABLE tokens (\n"
    "  id {ID},\n"
    "  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
    "  hash {BLOB} NOT NULL UNIQUE,\n"
    "  label TEXT NOT NULL,\n"
    "  created_us BIGINT NOT NULL,\n"
    "  revoked_us BIGINT);\n",
    "CREATE INDEX tokens_user ON tokens (user_id);\n",
    "CREATE TABLE devices (\n"
    "  id {ID},\n"
    "  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  model TEXT NOT NULL DEFAULT '',\n"
    "  created_us BIGINT NOT NULL,\n"
    "  UNIQUE (user_id, name));\n",
    "CREATE TABLE mountings (\n"
    "  id {ID},\n"
    "  device_id BIGINT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,\n"
    "  placement TEXT NOT NULL,\n"
    "  toe_axis TEXT NOT NULL,\n"
    "  front_axis TEXT NOT NULL,\n"
    "  since_us BIGINT NOT NULL);\n",
    "CREATE INDEX mountings_device ON mountings (device_id, since_us);\n",
    "CREATE TABLE sessions (\n"
    "  id {ID},\n"
    "  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
    "  device_id BIGINT REFERENCES devices (id) ON DELETE SET NULL,\n"
    "  state TEXT NOT NULL CHECK (state IN ('done', 'live')),\n"
    "  source_path TEXT NOT NULL,\n"
    "  sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),\n"
    "  format TEXT NOT NULL,\n"
    "  placement TEXT NOT NULL,\n"
    "  toe_axis TEXT NOT NULL,\n"
    "  front_axis TEXT NOT NULL,\n"
    "  start_us BIGINT NOT NULL,\n"
    "  start_source TEXT NOT NULL,\n"
    "  duration_s DOUBLE PRECISION,\n"
    "  sample_rate_hz DOUBLE PRECISION,\n"
    "  samples BIGINT,\n"
    "  gaps BIGINT,\n"
    "  treadmill_speed_mps DOUBLE PRECISION,\n"
    "  treadmill_incline_pct DOUBLE PRECISION,\n"
    "  steps BIGINT,\n"
    "  steps_forward BIGINT,\n"
    "  steps_backward BIGINT,\n"
    "  steps_sideways BIGINT,\n"
    "  bouts BIGINT,\n"
    "  walking_time_s DOUBLE PRECISION,\n"
    "  backward_time_s DOUBLE PRECISION,\n"
    "  cadence_spm DOUBLE PRECISION,\n"
    "  distance_m DOUBLE PRECISION,\n"
    "  distance_backward_m DOUBLE PRECISION,\n"
    "  speed_mps DOUBLE PRECISION,\n"
    "  energy_kcal DOUBLE PRECISION,\n"
    "  energy_low_kcal DOUBLE PRECISION,\n"
    "  energy_high_kcal DOUBLE PRECISION,\n"
    "  energy_met_mean DOUBLE PRECISION,\n"
    "  energy_mass_kg DOUBLE PRECISION,\n"
    "  energy_mass_assumed BIGINT NOT NULL DEFAULT 0,\n"
    "  toe_first_ratio DOUBLE PRECISION,\n"
    "  stride_time_cv_pct DOUBLE PRECISION,\n"
    "  step_time_asymmetry_pct DOUBLE PRECISION,\n"
    "  trunk_lean_deg DOUBLE PRECISION,\n"
    "  look_backs BIGINT,\n"
    "  stumbles BIGINT,\n"
    "  falls BIGINT,\n"
    "  hr_mean_bpm DOUBLE PRECISION,\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  created_us BIGINT NOT NULL,\n"
    "  UNIQUE (user_id, sha256));\n",
    "CREATE INDEX sessions_user_start ON sessions (user_id, start_us);\n",
    "CREATE INDEX sessions_start ON sessions (start_us);\n",
    "CREATE TABLE bouts (\n"
    "  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,\n"
    "  idx BIGINT NOT NULL,\n"
    "  start_s DOUBLE PRECISION NOT NULL,\n"
    "  end_s DOUBLE PRECISION,\n"
    "  activity TEXT NOT NULL,\n"
    "  steps BIGINT NOT NULL,\n"
    "  distance_m DOUBLE PRECISION,\n"
    "  PRIMARY KEY (session_id, idx));\n",
    "CREATE TABLE steps (\n"
    "  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,\n"
    "  idx BIGINT NOT NULL,\n"
    "  ic_s DOUBLE PRECISION NOT NULL,\n"
    "  fc_s DOUBLE PRECISION,\n"
    "  foot TEXT,\n"
    "  direction TEXT,\n"
    "  strike TEXT,\n"
    "  strike_angle_deg DOUBLE PRECISION,\n"
    "  stride_length_m DOUBLE PRECISION,\n"
    "  stride_time_s DOUBLE PRECISION,\n"
    "  PRIMARY KEY (session_id, idx));\n",
    "CREATE TABLE events (\n"
    "  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,\n"
    "  idx BIGINT NOT NULL,\n"
    "  t_s DOUBLE PRECISION NOT NULL,\n"
    "  type TEXT NOT NULL,\n"
    "  message TEXT NOT NULL,\n"
    "  PRIMARY KEY (session_id, idx));\n",
    "CREATE TABLE cues (\n"
    "  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,\n"
    "  idx BIGINT NOT NULL,\n"
    "  t_s DOUBLE PRECISION NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  message TEXT NOT NULL,\n"
    "  PRIMARY KEY (session_id, idx));\n",
    "CREATE TABLE series (\n"
    "  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,\n"
    "  source TEXT NOT NULL,\n"
    "  t_us BIGINT NOT NULL,\n"
    "  hr_bpm DOUBLE PRECISION,\n"
    "  speed_mps DOUBLE PRECISION,\n"
    "  incline_pct DOUBLE PRECISION,\n"
    "  cadence_spm DOUBLE PRECISION,\n"
    "  distance_m DOUBLE PRECISION,\n"
    "  PRIMARY KEY (session_id, source, t_us));\n",
    "CREATE TABLE live_samples (\n"
    "  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,\n"
    "  seq BIGINT NOT NULL,\n"
    "  t_us BIGINT NOT NULL,\n"
    "  ax REAL NOT NULL, ay REAL NOT NULL, az REAL NOT NULL,\n"
    "  gx REAL NOT NULL, gy REAL NOT NULL, gz REAL NOT NULL,\n"
    "  flags BIGINT NOT NULL,\n"
    "  PRIMARY KEY (session_id, seq));\n",
    "CREATE TABLE plans (\n"
    "  id {ID},\n"
    "  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
    "  kind TEXT NOT NULL,\n"
    "  start_date TEXT NOT NULL,\n"
    "  level BIGINT NOT NULL CHECK (level >= 0),\n"
    "  active BIGINT NOT NULL,\n"
    "  params_json TEXT NOT NULL DEFAULT '',\n"
    "  created_us BIGINT NOT NULL,\n"
    "  updated_us BIGINT NOT NULL);\n",
    "CREATE INDEX plans_user ON plans (user_id);\n",
    "CREATE TABLE screening_answers (\n"
    "  plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,\n"
    "  question TEXT NOT NULL,\n"
    "  answer TEXT NOT NULL,\n"
    "  PRIMARY KEY (plan_id, question));\n",
    "CREATE TABLE plan_progress (\n"
    "  id {ID},\n"
    "  plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,\n"
    "  at_us BIGINT NOT NULL,\n"
    "  session_id BIGINT REFERENCES sessions (id) ON DELETE SET NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  level_from BIGINT NOT NULL,\n"
    "  level_to BIGINT NOT NULL,\n"
    "  reason TEXT NOT NULL);\n",
    "CREATE INDEX plan_progress_plan ON plan_progress (plan_id, at_us);\n",
    "CREATE TABLE checkins (\n"
    "  id {ID},\n"
    "  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
    "  session_id BIGINT REFERENCES sessions (id) ON DELETE SET NULL,\n"
    "  date TEXT NOT NULL,\n"
    "  pain BIGINT CHECK (pain IS NULL OR pain BETWEEN 0 AND 10),\n"
    "  wellbeing BIGINT CHECK (wellbeing IS NULL OR wellbeing BETWEEN 0 AND 10),\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  created_us BIGINT NOT NULL);\n",
    "CREATE INDEX checkins_user_date ON checkins (user_id, date);\n",
    NULL};

/* Version 2: the foot engine's stride vector, speed, clearance, turn and final contact per step;
 * the session's forward distance and heel-first ratio. */
static const char *const v2[] = {
    "ALTER TABLE steps ADD COLUMN stride_forward_m DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN stride_left_m DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN speed_mps DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN clearance_m DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN turn_deg DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN fc_angle_deg DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN fc_strike TEXT",
    "ALTER TABLE sessions ADD COLUMN distance_forward_m DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN heel_first_ratio DOUBLE PRECISION",
    NULL};

/* Version 3: the trunk engine's per-step length, lean and direction confidence; bout cadence,
 * direction confidence and regularity; event direction, confidence, value and lean; the
 * session's sideways lean and regularity. */
static const char *const v3[] = {
    "ALTER TABLE steps ADD COLUMN step_length_m DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN trunk_lean_deg DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN side_lean_deg DOUBLE PRECISION",
    "ALTER TABLE steps ADD COLUMN confidence DOUBLE PRECISION",
    "ALTER TABLE bouts ADD COLUMN cadence_spm DOUBLE PRECISION",
    "ALTER TABLE bouts ADD COLUMN direction_confidence DOUBLE PRECISION",
    "ALTER TABLE bouts ADD COLUMN step_regularity DOUBLE PRECISION",
    "ALTER TABLE bouts ADD COLUMN stride_regularity DOUBLE PRECISION",
    "ALTER TABLE events ADD COLUMN direction TEXT",
    "ALTER TABLE events ADD COLUMN confidence DOUBLE PRECISION",
    "ALTER TABLE events ADD COLUMN value DOUBLE PRECISION",
    "ALTER TABLE events ADD COLUMN trunk_lean_deg DOUBLE PRECISION",
    "ALTER TABLE events ADD COLUMN side_lean_deg DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN side_lean_deg DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN step_regularity DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN stride_regularity DOUBLE PRECISION",
    NULL};

/* Version 4: the coach's figures of the core summary per session (backward time by contacts,
 * backward speed, rhythm and evenness with the strides and strikes behind them), and the check-in's
 * stumble answer (docs/coach.md). */
static const char *const v4[] = {
    "ALTER TABLE sessions ADD COLUMN time_backward_s DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN speed_backward_mps DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN backward_stride_time_cv_pct DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN backward_stride_length_cv_pct DOUBLE PRECISION",
    "ALTER TABLE sessions ADD COLUMN backward_strides BIGINT",
    "ALTER TABLE sessions ADD COLUMN backward_strikes BIGINT",
    "ALTER TABLE checkins ADD COLUMN stumbled BIGINT CHECK (stumbled IS NULL OR stumbled IN (0, "
    "1))",
    NULL};

static const bstep__migration migrations[] = {
    {1,
     "users, clinics, tokens, devices, sessions with bouts/steps/events/cues, series, live "
     "samples, plans, check-ins",
     v1},
    {2,
     "per-step stride vector, speed, clearance, turn, final contact; session forward distance "
     "and heel-first ratio",
     v2},
    {3,
     "per-step length, lean and confidence; bout cadence and regularity; event details; "
     "session sideways lean and regularity",
     v3},
    {4,
     "session backward time by contacts, backward speed, rhythm, evenness, strides and strikes; "
     "check-in stumble answer",
     v4},
};

const bstep__migration *bstep__migrations(size_t *n)
{
    *n = sizeof(migrations) / sizeof(migrations[0]);
    return migrations;
}
