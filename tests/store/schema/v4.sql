-- backstep store schema version 4, frozen as released: never edit this file.
-- tests/store/test_store_migrate.c builds a database from it (both backends; {ID} and {BLOB} are
-- replaced as in src/store/db.h) and checks that the store migrates it to the current version.
CREATE TABLE schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL);
CREATE TABLE clinics (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  created_us BIGINT NOT NULL);
CREATE TABLE users (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  mass_kg DOUBLE PRECISION CHECK (mass_kg IS NULL OR mass_kg BETWEEN 20 AND 300),
  height_m DOUBLE PRECISION CHECK (height_m IS NULL OR height_m BETWEEN 0.5 AND 2.5),
  age_y DOUBLE PRECISION CHECK (age_y IS NULL OR age_y BETWEEN 1 AND 120),
  sex TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('unknown', 'female', 'male')),
  role TEXT NOT NULL DEFAULT 'walker' CHECK (role IN ('walker', 'clinician', 'admin')),
  clinic_id BIGINT REFERENCES clinics (id),
  created_us BIGINT NOT NULL);
CREATE TABLE tokens (
  id {ID},
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hash {BLOB} NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_us BIGINT NOT NULL,
  revoked_us BIGINT);
CREATE INDEX tokens_user ON tokens (user_id);
CREATE TABLE devices (
  id {ID},
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  model TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  UNIQUE (user_id, name));
CREATE TABLE mountings (
  id {ID},
  device_id BIGINT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  placement TEXT NOT NULL,
  toe_axis TEXT NOT NULL,
  front_axis TEXT NOT NULL,
  since_us BIGINT NOT NULL);
CREATE INDEX mountings_device ON mountings (device_id, since_us);
CREATE TABLE sessions (
  id {ID},
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id BIGINT REFERENCES devices (id) ON DELETE SET NULL,
  state TEXT NOT NULL CHECK (state IN ('done', 'live')),
  source_path TEXT NOT NULL,
  sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
  format TEXT NOT NULL,
  placement TEXT NOT NULL,
  toe_axis TEXT NOT NULL,
  front_axis TEXT NOT NULL,
  start_us BIGINT NOT NULL,
  start_source TEXT NOT NULL,
  duration_s DOUBLE PRECISION,
  sample_rate_hz DOUBLE PRECISION,
  samples BIGINT,
  gaps BIGINT,
  treadmill_speed_mps DOUBLE PRECISION,
  treadmill_incline_pct DOUBLE PRECISION,
  steps BIGINT,
  steps_forward BIGINT,
  steps_backward BIGINT,
  steps_sideways BIGINT,
  bouts BIGINT,
  walking_time_s DOUBLE PRECISION,
  backward_time_s DOUBLE PRECISION,
  cadence_spm DOUBLE PRECISION,
  distance_m DOUBLE PRECISION,
  distance_backward_m DOUBLE PRECISION,
  speed_mps DOUBLE PRECISION,
  energy_kcal DOUBLE PRECISION,
  energy_low_kcal DOUBLE PRECISION,
  energy_high_kcal DOUBLE PRECISION,
  energy_met_mean DOUBLE PRECISION,
  energy_mass_kg DOUBLE PRECISION,
  energy_mass_assumed BIGINT NOT NULL DEFAULT 0,
  toe_first_ratio DOUBLE PRECISION,
  stride_time_cv_pct DOUBLE PRECISION,
  step_time_asymmetry_pct DOUBLE PRECISION,
  trunk_lean_deg DOUBLE PRECISION,
  look_backs BIGINT,
  stumbles BIGINT,
  falls BIGINT,
  hr_mean_bpm DOUBLE PRECISION,
  note TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  UNIQUE (user_id, sha256));
CREATE INDEX sessions_user_start ON sessions (user_id, start_us);
CREATE INDEX sessions_start ON sessions (start_us);
CREATE TABLE bouts (
  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  idx BIGINT NOT NULL,
  start_s DOUBLE PRECISION NOT NULL,
  end_s DOUBLE PRECISION,
  activity TEXT NOT NULL,
  steps BIGINT NOT NULL,
  distance_m DOUBLE PRECISION,
  PRIMARY KEY (session_id, idx));
CREATE TABLE steps (
  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  idx BIGINT NOT NULL,
  ic_s DOUBLE PRECISION NOT NULL,
  fc_s DOUBLE PRECISION,
  foot TEXT,
  direction TEXT,
  strike TEXT,
  strike_angle_deg DOUBLE PRECISION,
  stride_length_m DOUBLE PRECISION,
  stride_time_s DOUBLE PRECISION,
  PRIMARY KEY (session_id, idx));
CREATE TABLE events (
  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  idx BIGINT NOT NULL,
  t_s DOUBLE PRECISION NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (session_id, idx));
CREATE TABLE cues (
  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  idx BIGINT NOT NULL,
  t_s DOUBLE PRECISION NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (session_id, idx));
CREATE TABLE series (
  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  t_us BIGINT NOT NULL,
  hr_bpm DOUBLE PRECISION,
  speed_mps DOUBLE PRECISION,
  incline_pct DOUBLE PRECISION,
  cadence_spm DOUBLE PRECISION,
  distance_m DOUBLE PRECISION,
  PRIMARY KEY (session_id, source, t_us));
CREATE TABLE live_samples (
  session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  t_us BIGINT NOT NULL,
  ax REAL NOT NULL, ay REAL NOT NULL, az REAL NOT NULL,
  gx REAL NOT NULL, gy REAL NOT NULL, gz REAL NOT NULL,
  flags BIGINT NOT NULL,
  PRIMARY KEY (session_id, seq));
CREATE TABLE plans (
  id {ID},
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  start_date TEXT NOT NULL,
  level BIGINT NOT NULL CHECK (level >= 0),
  active BIGINT NOT NULL,
  params_json TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL);
CREATE INDEX plans_user ON plans (user_id);
CREATE TABLE screening_answers (
  plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  PRIMARY KEY (plan_id, question));
CREATE TABLE plan_progress (
  id {ID},
  plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  at_us BIGINT NOT NULL,
  session_id BIGINT REFERENCES sessions (id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  level_from BIGINT NOT NULL,
  level_to BIGINT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX plan_progress_plan ON plan_progress (plan_id, at_us);
CREATE TABLE checkins (
  id {ID},
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id BIGINT REFERENCES sessions (id) ON DELETE SET NULL,
  date TEXT NOT NULL,
  pain BIGINT CHECK (pain IS NULL OR pain BETWEEN 0 AND 10),
  wellbeing BIGINT CHECK (wellbeing IS NULL OR wellbeing BETWEEN 0 AND 10),
  note TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL);
CREATE INDEX checkins_user_date ON checkins (user_id, date);
ALTER TABLE steps ADD COLUMN stride_forward_m DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN stride_left_m DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN speed_mps DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN clearance_m DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN turn_deg DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN fc_angle_deg DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN fc_strike TEXT;
ALTER TABLE sessions ADD COLUMN distance_forward_m DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN heel_first_ratio DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN step_length_m DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN trunk_lean_deg DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN side_lean_deg DOUBLE PRECISION;
ALTER TABLE steps ADD COLUMN confidence DOUBLE PRECISION;
ALTER TABLE bouts ADD COLUMN cadence_spm DOUBLE PRECISION;
ALTER TABLE bouts ADD COLUMN direction_confidence DOUBLE PRECISION;
ALTER TABLE bouts ADD COLUMN step_regularity DOUBLE PRECISION;
ALTER TABLE bouts ADD COLUMN stride_regularity DOUBLE PRECISION;
ALTER TABLE events ADD COLUMN direction TEXT;
ALTER TABLE events ADD COLUMN confidence DOUBLE PRECISION;
ALTER TABLE events ADD COLUMN value DOUBLE PRECISION;
ALTER TABLE events ADD COLUMN trunk_lean_deg DOUBLE PRECISION;
ALTER TABLE events ADD COLUMN side_lean_deg DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN side_lean_deg DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN step_regularity DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN stride_regularity DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN time_backward_s DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN speed_backward_mps DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN backward_stride_time_cv_pct DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN backward_stride_length_cv_pct DOUBLE PRECISION;
ALTER TABLE sessions ADD COLUMN backward_strides BIGINT;
ALTER TABLE sessions ADD COLUMN backward_strikes BIGINT;
ALTER TABLE checkins ADD COLUMN stumbled BIGINT CHECK (stumbled IS NULL OR stumbled IN (0, 1));
INSERT INTO schema_version (version, name, applied_us) VALUES (1, 'v1', 0);
INSERT INTO schema_version (version, name, applied_us) VALUES (2, 'v2', 0);
INSERT INTO schema_version (version, name, applied_us) VALUES (3, 'v3', 0);
INSERT INTO schema_version (version, name, applied_us) VALUES (4, 'v4', 0);
