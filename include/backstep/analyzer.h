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
    BSTEP_EVENT_BOUT_START,      /**< a walking bout begins (t_us = its first contact) */
    BSTEP_EVENT_BOUT_END,        /**< a walking bout ends (t_us = its last contact) */
    BSTEP_EVENT_INITIAL_CONTACT, /**< a foot touches the ground (one step) */
    BSTEP_EVENT_FINAL_CONTACT,   /**< a foot leaves the ground */
    BSTEP_EVENT_GAP,             /**< the data stream has a gap; value = gap length, s */
    BSTEP_EVENT_STUMBLE,   /**< a stumble: broken rhythm, a jerk spike and a recovery; confidence */
    BSTEP_EVENT_FALL,      /**< a fall: loss of balance, impact, lying still; direction = way the
                                body fell (backward falls matter most); confidence */
    BSTEP_EVENT_LOOK_BACK, /**< a trunk twist that returns (looking over the shoulder);
                                value = peak yaw excursion, deg (left +) */
    BSTEP_EVENT_POSTURE    /**< trunk posture over the last stretch of walking: trunk_lean_deg,
                                side_lean_deg (t_us = end of the stretch) */
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
    float confidence;       /**< detections (direction, stumble, fall): 0..1 */
    float value;            /**< event-specific (see bstep_event_type) */
    float stride_forward_m; /**< foot: stride vector along the toe axis (forward +), m */
    float stride_left_m;    /**< foot: stride vector across it (to the left +), m */
    float speed_mps;        /**< foot: stride length / stride time, m/s */
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
    float stance_accel_mps2;     /**< ... and the mean | |a| - g | below this, m/s^2; 3 */
    float stance_tilt_deg;       /**< ... and the foot back within this of the flat attitude of
                                      the stance before (or still for 0.25 s), deg; 15 */
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
    /* Trunk / pocket: steps from the vertical acceleration (resampled to 100 Hz). */
    float trunk_smooth_s;        /**< length of each of two cascaded moving averages used to
                                      find steps, s; 0.15 */
    float trunk_timing_smooth_s; /**< the same, for timing each contact, s; 0.05 */
    float trunk_detrend_s;       /**< trailing mean removed from the signal, s; 1.0 */
    float min_step_peak_mps2;    /**< a step's vertical acceleration must reach this, m/s^2; 0.4 */
    float min_step_interval_s;   /**< shortest step, s; 0.25 */
    /* Bouts (both placements). */
    int min_bout_steps;     /**< steps needed to open a bout (a foot contact = 2 steps); 4 */
    float max_bout_pause_s; /**< a longer pause between contacts ends a bout, s; 2.5 */
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
} bstep__mavg2;

/* One bin of the foot's look-back history (src/core/foot.c); internal. */
typedef struct {
    bstep_time_us t_us; /* first sample of the bin */
    float jerk;         /* largest |da/dt| in the bin, m/s^3 */
    float gyro_dps;     /* mean |w| */
    float accdev_mps2;  /* mean | |a| - g | */
    float admax_mps2;   /* largest | |a| - g | */
    float sag_dps;      /* mean w along the swing's first rotation axis (0 outside swings) */
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
    float last_gyro_dps;
    float still_thr_dps, still_thr_mps2;
    int in_stance;
    bstep_time_us still_start_us;
    bstep_time_us still_run_us; /* first bin of the current still run (not in stance), or 0 */
    /* swing */
    int have_swing;
    bstep_time_us swing_start_us;
    float swing_peak_dps, swing_peak_ad;
    float axis0[3];  /* first rotation axis of the swing (push-off / toe lift) */
    int lobe_on;     /* still in the first rotation lobe */
    float lobe_peak; /* its largest rate, deg/s */
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
    bstep_time_us int_start_us;
    bstep_time_us int_last_us;
    /* mounting */
    float toe_s[3]; /* toe axis, sensor frame (explicit or calibrated) */
    int toe_known;
    float calib_sum[3];
    int calib_n;
} bstep__foot_state;

/* Trunk / pocket engine state (src/core/trunk.c); internal. */
typedef struct {
    bstep_ahrs ahrs;
    /* 100 Hz grid */
    int64_t grid_k;
    int grid_have;
    float grid_sum;
    int grid_n;
    float grid_prev_value;
    int detrend_n;
    bstep__mavg2 smooth; /* step-finding chain */
    float det[BSTEP__TRUNK_MAX_DETREND];
    float det_sum;
    bstep__mavg2 timing; /* contact-timing chain */
    float t_prev;
    float tslope[BSTEP__TIMING_RING];
    int64_t tslope_k0; /* grid index of the newest entry */
    uint32_t tslope_count;
    uint32_t grid_count;
    float y_prev;
    float y_last;
    int64_t y_prev_k;
    int armed;
    int have_cand;
    float cand_peak;
    float slope_prev, best_slope, slope_before;
    int slope_after_pending;
    double best_slope_t_s;
    double last_step_t_s;
    double last_coarse_t_s;
    int have_step;
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
 * @brief Estimate the sampling rate from timestamps: 1 / median interval.
 * @param[in] t_us n timestamps, microseconds. Uses at most the first 256.
 * @return Hz, or 0 when fewer than two increasing timestamps are given.
 */
BSTEP_API float bstep_estimate_rate_hz(const bstep_time_us *t_us, size_t n);

#ifdef __cplusplus
}
#endif
#endif
