/*
 * The streaming gait analyzer: one object per sensor, owned by the caller, fixed memory, no
 * allocation. Feed samples one at a time or in blocks (the block call is a loop over the single
 * call, so both give identical events); events come out with a short, bounded delay because some
 * decisions need a little look-ahead. Batch analysis is this same loop over a whole file.
 *
 * Units: time in microseconds; every event carries the time of what it describes (t_us), not the
 * time it was emitted (emitted_t_us, the latency is their difference).
 */
#ifndef BACKSTEP_ANALYZER_H
#define BACKSTEP_ANALYZER_H

#include "backstep/ahrs.h"
#include "backstep/export.h"
#include "backstep/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of event. Append only. */
typedef enum {
    BSTEP_EVENT_NONE = 0,
    /** A walking bout begins (t_us = its first contact). */
    BSTEP_EVENT_BOUT_START,
    /** A walking bout ends (t_us = its last contact). Trunk/pocket: direction = the bout's
     * walking direction (FORWARD or BACKWARD, UNKNOWN while the front axis is not known),
     * confidence = how clearly its strides agree (0..1), step_regularity / stride_regularity =
     * the bout's autocorrelation regularity (Moe-Nilssen & Helbostad 2004), value = the bout's
     * cadence, steps/min. */
    BSTEP_EVENT_BOUT_END,
    /** A foot touches the ground (one step). Trunk/pocket: foot = L/R where the sway allows
     * (lower back/waist; UNKNOWN for a pocket), direction and confidence of this step,
     * step_length_m and stride_length_m (the step / stride that ends here), stride_time_s,
     * value = step time (time since the previous contact, s), trunk_lean_deg / side_lean_deg =
     * mean posture over the step (lower back/waist only). */
    BSTEP_EVENT_INITIAL_CONTACT,
    /** A foot leaves the ground (foot sensors). */
    BSTEP_EVENT_FINAL_CONTACT,
    /** The data stream has a gap; value = gap length, s. */
    BSTEP_EVENT_GAP,
    /** A stumble (trunk/pocket): the step-to-step rhythm breaks by more than 35 % of the step
     * time together with a vertical jerk spike, and walking goes on (recovery). t_us = the
     * disturbed contact, value = jerk ratio to the bout's typical step, confidence 0..1.
     * Emitted at the recovery step (about one step after t_us). */
    BSTEP_EVENT_STUMBLE,
    /** A fall (trunk/pocket): an impact (or a free-fall dip) during a fast change of trunk
     * orientation, then lying still. t_us = the impact, direction = way the body fell
     * (FORWARD onto the front, BACKWARD onto the back, SIDEWAYS_*; UNKNOWN without a front
     * axis), value = peak |acceleration| at the impact in g, trunk_lean_deg / side_lean_deg =
     * the lying posture, confidence 0..1. Emitted once the stillness is confirmed (about 2-3 s
     * after the impact). */
    BSTEP_EVENT_FALL,
    /** A trunk twist that returns (looking over the shoulder; needs a gyroscope): the trunk's
     * heading leaves the walking heading by more than look_back_deg and comes back within
     * look_back_max_s. t_us = the largest excursion, value = that excursion, deg (left +),
     * confidence 0..1. Emitted when the heading has come back. */
    BSTEP_EVENT_LOOK_BACK,
    /** Trunk posture over the last stretch of walking (lower back/waist): trunk_lean_deg
     * (sagittal, forward +) and side_lean_deg (frontal, right +) relative to the calibrated
     * upright stance, means over the stretch; value = stretch length, s. t_us = end of the
     * stretch. One per posture_interval_s of walking and one at each bout end. */
    BSTEP_EVENT_POSTURE
} bstep_event_type;

/** One event. Fields that do not apply or are unknown are NAN / *_UNKNOWN.
 * Foot sensor, INITIAL_CONTACT: the stride that ends at this contact (swing before it): strike and
 * strike_angle_deg at this contact, stride_length_m, stride_forward_m / stride_left_m (the stride
 * vector in the frame of the foot at the start of the stride), speed_mps, clearance_m, turn_deg,
 * direction. FINAL_CONTACT: strike_angle_deg = foot pitch at the final contact (toes up +) and
 * strike = the part of the foot that leaves the ground last (TOE: toes down, forward push-off;
 * HEEL: toes up, the backward-walking heel-off; FLAT). */
typedef struct {
    bstep_event_type type;
    bstep_time_us t_us;         /**< time of the event itself */
    bstep_time_us emitted_t_us; /**< time of the sample whose update emitted it */
    bstep_foot foot;
    bstep_direction direction;
    bstep_strike strike;
    float strike_angle_deg; /**< foot pitch at contact, toes up positive, deg */
    float stride_length_m;  /**< stride ending at this contact, m */
    float stride_time_s;    /**< time since the previous contact of the same foot, s */
    float clearance_m;      /**< foot: highest point of the swing above the stance, m */
    float turn_deg;         /**< foot: change of heading over the stride, deg (left +) */
    float trunk_lean_deg;   /**< trunk: sagittal lean from the calibrated upright, forward +, deg */
    float side_lean_deg;    /**< trunk: frontal lean from the calibrated upright, right +, deg */
    float confidence;       /**< detections (direction, stumble, fall, look-back): 0..1 */
    float value;            /**< event-specific (see bstep_event_type) */
    float stride_forward_m; /**< foot: stride vector along the toe axis (forward +), m */
    float stride_left_m;    /**< foot: stride vector across it (to the left +), m */
    float speed_mps;        /**< foot: stride length / stride time, m/s */
    float step_length_m;    /**< trunk: the step ending at this contact, m */
    float step_regularity;  /**< BOUT_END: first dominant autocorrelation peak (-1..1) */
    float stride_regularity; /**< BOUT_END: second dominant autocorrelation peak (-1..1) */
} bstep_event;

/** Capacity constants (fixed memory). */
#define BSTEP_ANALYZER_MAX_RATE_HZ 2000.0f
/** Foot look-back history: bins of at most 1/400 s (faster sensors are binned), 192 of them:
 * 0.48 s, enough for the contact search (0.25 s before the stance plus its 0.1 s window). */
#define BSTEP__FOOT_BIN_HZ 400
#define BSTEP__FOOT_RING   192
/** Pending events held inside the analyzer before they are handed out. */
#define BSTEP_ANALYZER_EVENT_QUEUE 32
/** Most events one update call can emit; size ev buffers at least this large. */
#define BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE BSTEP_ANALYZER_EVENT_QUEUE

/** Settings. Copy bstep_analyzer_default_settings and override. */
typedef struct {
    bstep_placement placement; /**< must not be AUTO here (the CLI resolves auto) */
    float sample_rate_hz;      /**< nominal rate, Hz, 5..2000 */
    bstep_axis toe_axis;       /**< foot mounting; AUTO = learn from the first forward bout */
    bstep_axis front_axis;     /**< trunk/pocket mounting; AUTO = learn */
    bstep_ahrs_settings ahrs;  /**< orientation filter (trunk and pocket) */
    /* Foot: stance (zero-velocity) detection with the gyro-norm detector (gaitmap
     * NormZuptDetector idea): the foot is still while |w| stays below a threshold. */
    float stance_gyro_dps;       /**< still when the mean gyro norm is below this, deg/s; 50 */
    float stance_swing_fraction; /**< ... or below this share of the swing's peak rate, 0..1;
                                      0.1 (scales stillness with walking speed) */
    float stance_gyro_max_dps;   /**< upper bound of the relative threshold, deg/s; 200 */
    float stance_window_s;       /**< window of that mean, s; 0.1 */
    float stance_accel_mps2;     /**< ... and the mean | |a| - g | below this, m/s^2; 1.5 */
    float stance_tilt_deg;       /**< ... and the foot back within this of the flat attitude of
                                      the stance before (or still for 0.25 s), deg; 13 (under
                                      the 14 deg heel-strike angle of slow walking: the hover
                                      before such a heel strike is not a stance) */
    float ic_search_before_s;    /**< IC searched from this long before stance start to the
                                      moment stance is confirmed, s; 0.25 */
    float ic_impact_fraction;    /**< the landing is the first jerk peak above this share of the
                                      largest jerk near the stance start, 0..1; 0.5 */
    float ic_onset_fraction;     /**< IC = onset of that impact: earliest jerk above this share of
                                      the largest, 0..1; 0.25 */
    float min_swing_s;           /**< a swing shorter than this is not a stride, s; 0.2 */
    float min_swing_gyro_dps;    /**< a swing must reach this angular rate, deg/s; 100 */
    float min_swing_accel_mps2;  /**< ... or an acceleration this far from 1 g, m/s^2; 5 (a foot
                                    moved 0.3 m in 0.4 s peaks near 11 m/s^2) */
    float direction_cos;         /**< forward when the stride vector is within acos(this) of the
                                      toe axis, backward within it of the heel; 0.5 (60 deg) */
    float in_place_m;            /**< shorter strides are stepping in place, m; 0.15 */
    float turn_stride_deg;       /**< a stride turning the foot by more than this is a turning
                                      stride (direction TURN), deg; 60 */
    float strike_flat_deg;       /**< |foot pitch at contact| up to this is a flat landing, deg;
                                      5 */
    int toe_calibration_strides; /**< --toe-axis auto: forward strides averaged; 6 */
    float toe_calibration_spread_deg; /**< ... whose directions agree within this, deg; 20 */
    float accel_range_mps2; /**< the accelerometer's full scale, m/s^2: a foot reading from 95 %
                                 of it is taken as clipped (the de-drift then treats the loss as
                                 a step at the impact, docs/algorithms.md 2.6); 0 = never clips;
                                 156.9 (16 g, the standard range of foot IMUs) */
    /* Trunk / pocket: steps from the vertical acceleration (resampled to 100 Hz). */
    float trunk_smooth_s;        /**< length of each of two cascaded moving averages used to
                                      find steps, s; 0.15 */
    float trunk_timing_smooth_s; /**< the same, for timing each contact, s; 0.05 */
    float trunk_detrend_s;       /**< trailing mean removed from the signal, s; 1.0 */
    float min_step_peak_mps2;    /**< a step's vertical acceleration must reach this, m/s^2; 0.4 */
    float min_step_interval_s;   /**< shortest step, s; 0.25 */
    /* Trunk / pocket: step length (inverted pendulum, Zijlstra & Hof 2003). */
    float sensor_height_m;       /**< lower back/waist sensor height above the ground = the
                                      pendulum length, m; 0.93 (0.53 x a 1.75 m body) */
    float step_length_factor;    /**< Zijlstra's correction A for forward walking; 1.185 */
    float backward_step_factor;  /**< extra factor for backward steps (longer double support:
                                      (2 - 2 x 0.65) / (2 - 2 x 0.69)); 1.13 */
    float step_length_scale;     /**< per-user calibration from a walk of known distance
                                      (`analyze --walked-m`); 1 */
    int front_calibration_steps; /**< --front-axis auto: steps of the first (forward) bout used
                                      to learn the front axis; 8 */
    /* Trunk / pocket: posture and safety. */
    float posture_interval_s; /**< a POSTURE event per this much walking, s; 10 */
    float look_back_deg;      /**< heading excursion that makes a look-back, deg; 20 */
    float look_back_max_s;    /**< ... if the heading returns within this, s; 3 */
    float stumble_rhythm;     /**< step-time change (fraction of the step) of a stumble; 0.35 */
    float stumble_jerk_ratio; /**< jerk peak / typical step jerk of a stumble; 3 */
    float fall_impact_g;      /**< impact of a fall, |a| in g; 1.8 */
    float fall_lying_deg;     /**< trunk at least this far from upright after a fall, deg; 60 */
    float fall_still_s;       /**< lying still this long after the impact, s; 2 */
    /* Bouts (both placements). */
    int min_bout_steps;     /**< steps needed to open a bout (a foot contact = 2 steps); 4 */
    float max_bout_pause_s; /**< a longer pause between contacts ends a bout, s; 3 */
    float max_gap_s;        /**< a longer hole in the data resets detection, s; 0.25 */
} bstep_analyzer_settings;

BSTEP_API extern const bstep_analyzer_settings bstep_analyzer_default_settings;

/** Internal states for debugging and plots (observability without printf). */
typedef struct {
    int in_stance;       /**< foot: currently in stance */
    int in_bout;         /**< a bout is open */
    float gyro_norm_dps; /**< foot: gyro norm of the last sample */
    float vertical_mps2; /**< trunk: filtered vertical acceleration of the last grid point */
    uint64_t samples;    /**< samples consumed */
    uint64_t gaps;       /**< gaps that reset detection */
} bstep_analyzer_states;

/* Internal sizes, fixed at compile time. */
#define BSTEP__TRUNK_RATE_HZ     100
#define BSTEP__TRUNK_MAX_SMOOTH  64  /* grid samples per moving average, max */
#define BSTEP__TRUNK_MAX_DETREND 512 /* grid samples in the detrending mean, max */
#define BSTEP__PENDING_MAX       16
#define BSTEP__TIMING_RING       128 /* light-chain slopes kept for timing, grid samples */

/* Two cascaded moving averages of n samples (a triangular window); internal to the analyzer. */
typedef struct {
    float b1[BSTEP__TRUNK_MAX_SMOOTH], b2[BSTEP__TRUNK_MAX_SMOOTH];
    float s1, s2;
    int n;
    int pos; /* next slot */
} bstep__mavg2;

/* One bin of the foot's look-back history (src/core/foot.c); internal. */
typedef struct {
    bstep_time_us t_us; /* first sample of the bin */
    float jerk;         /* largest |da/dt| in the bin, m/s^3 */
    float gyro_dps;     /* mean |w| */
    float accdev_mps2;  /* mean | |a| - g | */
    float admax_mps2;   /* largest | |a| - g | */
    float sag_dps;      /* mean w along the swing's first rotation axis (0 outside swings) */
    float roll_dps;     /* mean w about the toe axis (0 before the toe axis is known) */
    float up[3];        /* world up in the sensor frame (integrated orientation) */
} bstep__foot_bin;

/* Foot engine state (src/core/foot.c); internal. */
typedef struct {
    bstep__foot_bin ring[BSTEP__FOOT_RING];
    uint32_t head, count; /* next slot, filled bins */
    uint32_t bin_n;       /* samples per bin */
    /* bin being filled */
    uint32_t cur_n;
    bstep_time_us cur_t_us;
    float cur_j, cur_g, cur_ad, cur_admax, cur_w[3], cur_up[3];
    /* previous sample (jerk) */
    float prev_a[3];
    bstep_time_us prev_a_t_us;
    int have_prev_a;
    /* stance window: sums over the newest win_n bins */
    float win_g, win_ad;
    uint32_t win_n;
    float fwin_g, fwin_ad; /* the same over the newest 50 ms (fast confirmation) */
    uint32_t fwin_n;
    float last_gyro_dps;
    float still_thr_dps, still_thr_mps2;
    int in_stance;
    bstep_time_us still_start_us;
    bstep_time_us still_run_us;      /* first bin of the current still run (not in stance), or 0 */
    bstep_time_us still_run_from_us; /* the oldest bin of its still window */
    /* swing */
    int have_swing;
    bstep_time_us swing_start_us;
    float swing_peak_dps, swing_peak_ad, swing_peak_tilt_dps;
    float axis0[3];                  /* first rotation axis of the swing (push-off / toe lift) */
    int lobe_on;                     /* still in the first rotation lobe */
    float lobe_peak;                 /* its largest rate, deg/s */
    float lobe_prev_r, lobe_prev2_r; /* the two previous bins' rates along it */
    bstep_time_us lobe_prev_t_us;
    float lobe_prev_up[3];
    bstep_time_us fc_t_us;
    float fc_up[3];   /* up at the final contact */
    float flat_up[3]; /* up with the foot flat in the stance the swing started from */
    int rested;       /* that stance came to rest (quiet samples): walking, not running */
    bstep_time_us last_ic_us;
    int have_ic;
    /* zero-velocity-aided inertial navigation */
    float g_sum[3]; /* quiet stance samples of this stance */
    uint32_t g_n;
    float g_local;  /* |gravity| as this sensor reads it, m/s^2 */
    float q_lev[4]; /* orientation at the last zero-velocity update */
    int have_iq;
    float iq[4]; /* integrated orientation */
    float iv[3], ip[3];
    float prev_w[3], prev_aw[3]; /* previous rate (rad/s) and world acceleration */
    float max_z_m;
    bstep_time_us max_z_t_us;
    float clip_t_s, clip_n; /* clipped samples since the last update: sum of their times, count */
    float clip_dir[3];      /* sum of the world directions of their clipped axes */
    bstep_time_us int_start_us;
    bstep_time_us int_last_us;
    /* mounting */
    float toe_s[3]; /* toe axis, sensor frame (explicit or calibrated) */
    int toe_known;
    float calib_sum[3];
    int calib_n;
    /* which foot, from the data (placement "foot"): votes of the first forward strides */
    int side_n, side_left;
    bstep_foot side;
    /* a stride whose landing was soft, held until the foot comes to rest or its hover ends in a
     * landing impact (foot.c, hover_landing) */
    int hold_on, hold_broken;
    bstep_time_us hold_conf_us, hold_until_us;
    float hold_impact_jerk; /* a landing impact: at least this jerk, m/s^3 */
    float hold_toe[3];      /* toe axis of the strike angle (0 when none) */
    bstep_event hold_fc, hold_ic;
} bstep__foot_state;

/* Trunk / pocket engine state (src/core/trunk.c, trunk_safety.c); internal. */
#define BSTEP__TRUNK_VRING 128 /* grid samples of horizontal velocity kept (1.28 s) */
#define BSTEP__TRUNK_LAGS  64  /* autocorrelation lags at 20 Hz: 0..3.15 s (a multiple of 8) */
#define BSTEP__TRUNK_UPS   32  /* up-vector history at 10 Hz: 3.2 s */
#define BSTEP__TRUNK_STEPS 6   /* recent steps kept for rhythm and jerk statistics */
#define BSTEP__TRUNK_HIST  226 /* stride-time histogram bins (0.5..2.75 s, 10 ms) */

/* Accumulators over one step window (between two step confirmations). */
typedef struct {
    float hmax, hmin; /* vertical excursion h (m) */
    float m[3];       /* sum of horizontal acceleration x vertical velocity, sensor frame */
    float up[3];      /* sum of the up direction, sensor frame */
    float f2, f3;     /* pocket: sums of the flexion rate^2, ^3 (front axis known) */
    float jerk_max;   /* largest vertical jerk, m/s^3 */
    float vmin;       /* lowest vertical acceleration, m/s^2 (a flight phase: running) */
    uint32_t n;
} bstep__trunk_win;

typedef struct {
    bstep_ahrs ahrs;
    /* 100 Hz grid: bin sums of the current bin */
    int64_t grid_k;
    int grid_have;
    int grid_n;
    float bin_v, bin_hs[3], bin_up[3], bin_w[3], bin_amax, bin_amin;
    float prev_rec[12]; /* last completed grid record (bridging short holes) */
    int have_prev_rec;
    /* step-finding and timing chains */
    int detrend_n;
    bstep__mavg2 smooth;
    float det[BSTEP__TRUNK_MAX_DETREND];
    float det_sum;
    int det_pos;
    bstep__mavg2 timing;
    float t_prev;
    float tslope[BSTEP__TIMING_RING];
    float tval[BSTEP__TIMING_RING];
    int64_t tslope_k0; /* grid index of the newest entry */
    uint32_t tslope_count;
    float ap_axis[3]; /* braking axis, sensor frame: the front axis, or -sum(a_h v_z) so far */
    int ap_have;
    uint32_t grid_count;
    float y_prev;
    float y_last;
    int armed;
    int have_cand;
    float cand_peak;
    float slope_prev, best_slope, slope_before;
    int slope_after_pending;
    double best_slope_t_s;
    float seg_base_mps2, stall_rise_mps2; /* a stalled rise: its start level, the largest */
    double stall_t_s;                     /* and its steepest slope's time */
    double last_step_t_s;
    double last_coarse_t_s;
    float last_rise_mps2; /* the last step's rise from its low to its peak (step chain) */
    int have_step;
    /* vertical velocity and height (high-passed integrals), horizontal velocity */
    float hp_c[3][5]; /* high-pass biquads (acc, velocity, height): b0 b1 b2 a1 a2 */
    float hp_z[3][2]; /* their states */
    float hp_fc;      /* cut-off of the velocity and height high-passes, Hz */
    float vint, hint; /* leaky integrals of the acceleration and the velocity */
    float vz, hz;     /* vertical velocity (m/s) and height (m), high-passed */
    float vh[3];      /* high-passed integral of the sensor-frame horizontal acceleration */
    float vring[BSTEP__TRUNK_VRING][3];
    float v_prev_grid; /* previous vertical acceleration (jerk) */
    /* per-step windows: the open one and the two last closed ones */
    bstep__trunk_win win, win1, win2;
    int nwin;          /* closed windows available (0..2) */
    float vh_at_ic[3]; /* horizontal velocity at the previous contact */
    int have_vh_ic;
    /* recent steps */
    float step_s[BSTEP__TRUNK_STEPS]; /* step times */
    float jerk_s[BSTEP__TRUNK_STEPS]; /* per-step jerk peaks */
    int nsteps_hist;
    float prev_step_len_m;
    float foot_evidence; /* > 0: the last contact was the left foot */
    int have_foot;
    /* mounting */
    float front_s[3]; /* front axis, sensor frame (unit) */
    int front_known;
    int front_calibrated; /* learned from a bout (auto) */
    int pocket;
    int saw_gyro; /* a gyroscope sample has been seen */
    /* the engine's bout (from the first step to the driver's bout end) */
    int eb_open;
    int eb_steps;
    float eb_m[3];    /* lower back: sum of per-step m (calibration) */
    float eb_unit[3]; /* sum of per-step unit horizontal m (spread) */
    int eb_unit_n;
    float eb_g1[3], eb_g2[6], eb_g3[10]; /* pocket: gyro moments (calibration) */
    uint32_t eb_gn;
    float eb_up[3]; /* sum of per-step mean up (walking posture) */
    float eb_score; /* sum of per-step direction scores (+ forward) */
    int eb_fw, eb_bw;
    double eb_step_sum;
    int eb_step_n;
    uint16_t eb_hist[BSTEP__TRUNK_HIST]; /* the bout's stride times, 10 ms bins from 0.5 s */
    double eb_cad_sum;                   /* sum of the strides' 120 / stride time, steps/min */
    uint32_t eb_cad_n;
    /* autocorrelation at 20 Hz (3-axis world linear acceleration) */
    float ac_bin[3];
    int ac_bin_n;
    float ac_ring[3][2 * BSTEP__TRUNK_LAGS]; /* per axis, each value twice: lags index linearly */
    float ac_part[BSTEP__TRUNK_LAGS];        /* float partial sums, folded into ac_sum each 1 s */
    int ac_part_n;
    uint32_t ac_count;
    double ac_sum[BSTEP__TRUNK_LAGS];
    double ac_commit[BSTEP__TRUNK_LAGS];
    uint32_t ac_commit_count;
    /* posture */
    float amag_ref; /* |a| low-passed over 1 s (stillness is relative: sensors' scale errors) */
    float up_ref[3];
    int have_up_ref;
    float still_up[3]; /* sum of up over the current still period */
    float still_s;     /* its length */
    float last_still_up[3];
    double last_still_end_s;
    int have_last_still;
    float pst_sag, pst_side; /* posture stretch sums */
    int pst_n;
    double pst_start_s, pst_last_s;
    /* look-back */
    float yaw_deg;
    float yaw_bias_dps; /* yaw-rate bias estimate */
    int yaw_hist_n;     /* grid points of heading history (up to 200) */
    float yaw_ref;
    int lb_active;
    double lb_start_s, lb_peak_s;
    float lb_peak;
    /* stumble */
    int st_pending;
    int st_cool;
    float reg_st[BSTEP__TRUNK_STEPS], reg_jk[BSTEP__TRUNK_STEPS]; /* regular steps */
    int reg_n;
    float st_prev_jerk;
    double st_t_s;
    float st_ratio, st_conf;
    /* fall */
    float up_hist[BSTEP__TRUNK_UPS][3];
    int up_hist_n;
    int up_sub;
    int fall_phase; /* 0 watching, 1 impact seen: waiting for stillness */
    double fall_t_s, fall_last_move_s;
    float fall_peak_g;
    float fall_pre_up[3];
    float fall_still_acc[3];
    uint32_t fall_still_n;
    int lying;
    float dir_recent[3]; /* last per-step direction scores */
    int dir_recent_n;
} bstep__trunk_state;

/** Analyzer state. All members are private; sizeof() is the fixed memory per instance. One
 * instance runs one engine (the placement's), so the engine states share memory. */
typedef struct {
    bstep_analyzer_settings cfg;
    uint64_t samples;
    uint64_t gaps;
    bstep_time_us last_t_us;
    int have_last;
    int steps_per_contact;
    union {
        bstep__foot_state foot;   /* foot placements */
        bstep__trunk_state trunk; /* lower back, pocket */
    } eng;
    /* bouts */
    int bout_open;
    bstep_time_us bout_last_contact_us;
    bstep_time_us bout_first_us;
    int pending_n;
    int pending_contacts;
    bstep_event pending[BSTEP__PENDING_MAX];
    /* output queue */
    bstep_event queue[BSTEP_ANALYZER_EVENT_QUEUE];
    int queue_n;
} bstep_analyzer;

/** @brief Initialise. @return BSTEP_OK or BSTEP_EINVAL (settings out of range, NULL). */
BSTEP_API int bstep_analyzer_init(bstep_analyzer *a, const bstep_analyzer_settings *cfg);
/** @brief Return to the state just after init (same settings). */
BSTEP_API void bstep_analyzer_reset(bstep_analyzer *a);
/**
 * @brief Feed one sample.
 * @param[out] ev     events emitted by this sample, in time order.
 * @param[in]  ev_cap capacity of ev; at least BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE never loses
 *                    events (with less, surplus events stay queued for the next call).
 * @return the number of events written.
 */
BSTEP_API size_t bstep_analyzer_update(bstep_analyzer *a, const bstep_imu_sample *s,
                                       bstep_event *ev, size_t ev_cap);
/**
 * @brief Feed n samples: exactly a loop over bstep_analyzer_update().
 * @param[in] ev_cap must be >= BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE; events beyond ev_cap stay
 *            queued and come out on the next call.
 * @return the number of events written.
 */
BSTEP_API size_t bstep_analyzer_update_block(bstep_analyzer *a, const bstep_imu_sample *s, size_t n,
                                             bstep_event *ev, size_t ev_cap);
/** @brief End of data: emit what is still pending (open bout end). @return events written. */
BSTEP_API size_t bstep_analyzer_finish(bstep_analyzer *a, bstep_event *ev, size_t ev_cap);
BSTEP_API bstep_analyzer_states bstep_analyzer_get_states(const bstep_analyzer *a);
/**
 * @brief What this instance's engine measures: BSTEP_MEASURE_* bits of backstep/summary.h
 * (direction, strike, stride length, stumbles, falls, look-backs, posture). A report uses it to
 * tell "0 stumbles" from "stumbles not measured by this sensor". Look-backs need a gyroscope:
 * the bit is set once gyroscope samples have been seen, so ask again at the end of the data.
 */
BSTEP_API unsigned bstep_analyzer_measures(const bstep_analyzer *a);

/**
 * @brief Estimate the sampling rate from timestamps: 1 / median interval.
 * @param[in] t_us n timestamps, microseconds. Uses at most the first 256.
 * @return Hz, or 0 when fewer than two increasing timestamps are given.
 */
BSTEP_API float bstep_estimate_rate_hz(const bstep_time_us *t_us, size_t n);

#ifdef __cplusplus
}
#endif
#endif
