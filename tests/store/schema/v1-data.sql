-- Data written by a version 1 backstep (columns of schema version 1 only). Loaded into databases
-- of every earlier version by tests/store/test_store_migrate.c, then read back after migration.
INSERT INTO clinics (name, created_us) VALUES ('old clinic', 1700000000000000);
INSERT INTO users (name, mass_kg, height_m, age_y, sex, role, clinic_id, created_us)
  VALUES ('old walker', 71.5, 1.74, 66, 'male', 'walker', 1, 1700000000000000);
INSERT INTO sessions (user_id, device_id, state, source_path, sha256, format, placement, toe_axis,
  front_axis, start_us, start_source, duration_s, sample_rate_hz, samples, gaps, steps,
  steps_forward, steps_backward, steps_sideways, bouts, walking_time_s, backward_time_s,
  cadence_spm, distance_m, distance_backward_m, speed_mps, energy_kcal, energy_mass_kg,
  energy_mass_assumed, toe_first_ratio, stride_time_cv_pct, note, created_us)
  VALUES (1, NULL, 'done', '/old/walk.csv',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'csv', 'foot-right',
  '+x', 'auto', 1704103200000000, 'file-time', 300.5, 100, 30050, 0, 412, 12, 400, 0, 2, 250.25,
  240.5, 98.5, 190.75, 185.25, 0.7625, 22.5, 71.5, 0, 0.875, 2.75, 'from version 1',
  1704103500000000);
INSERT INTO bouts (session_id, idx, start_s, end_s, activity, steps, distance_m)
  VALUES (1, 0, 3.5, 253.75, 'walk-backward', 412, 190.75);
INSERT INTO steps (session_id, idx, ic_s, fc_s, foot, direction, strike, strike_angle_deg,
  stride_length_m, stride_time_s) VALUES
  (1, 0, 3.5, 4.125, 'right', 'forward', 'heel', 12.5, 1.25, NULL),
  (1, 1, 4.625, 5.25, 'right', 'backward', 'toe', -8.25, 0.875, 1.125),
  (1, 2, 5.75, NULL, 'right', NULL, NULL, NULL, NULL, 1.125);
INSERT INTO events (session_id, idx, t_s, type, message)
  VALUES (1, 0, 100.5, 'gap', 'data gap of 0.50 s: bout ended, detection restarted');
INSERT INTO plans (user_id, kind, start_date, level, active, params_json, created_us, updated_us)
  VALUES (1, 'knee-oa', '2024-01-01', 2, 1, '{}', 1704103200000000, 1704103200000000);
INSERT INTO screening_answers (plan_id, question, answer) VALUES (1, 'falls_last_year', '0');
INSERT INTO plan_progress (plan_id, at_us, session_id, kind, level_from, level_to, reason)
  VALUES (1, 1704103500000000, 1, 'level-up', 1, 2, 'gate met');
INSERT INTO checkins (user_id, session_id, date, pain, wellbeing, note, created_us)
  VALUES (1, 1, '2024-01-01', 3, 7, 'old check-in', 1704103500000000);
INSERT INTO series (session_id, source, t_us, hr_bpm, speed_mps, incline_pct, cadence_spm,
  distance_m) VALUES (1, 'fit', 1704103200000000, 101, NULL, NULL, NULL, NULL);
INSERT INTO live_samples (session_id, seq, t_us, ax, ay, az, gx, gy, gz, flags)
  VALUES (1, 0, 1704103200000000, 0.5, -9.75, 0.25, 1.5, 2.5, -3.5, 3);
