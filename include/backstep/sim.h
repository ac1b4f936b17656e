/*
 * Gait simulator: physically grounded synthetic IMU recordings with exact truth (issue 3).
 *
 * A walker (height, mass, leg length) follows a scenario (standing, forward/backward/sideways
 * walking, jogging, running, turns, stumbles, falls, look-backs). The body is modelled as smooth
 * analytic trajectories (feet, pelvis, thigh, shank, chest, hand); the IMU signals are derived from
 * them by differentiation, so they are physically consistent: double-integrating the world-frame,
 * gravity-free acceleration reproduces the displacement and integrating the angular rate reproduces
 * the orientation. docs/simulation.md has the model, its equations and references.
 *
 * Units and frames: time in microseconds (t_us) or seconds (*_s), acceleration as specific force
 * in m/s^2 (a resting up-axis reads +9.80665), angular rate in deg/s. World frame: x, y horizontal,
 * z up; the walker starts at the origin facing +x. Body-segment frames: x to the front (toes for
 * the foot), y to the left, z up (along the segment for thigh and shank). The sensor frame is the
 * segment frame rotated by the mounting (sensor axes expressed in the segment frame).
 *
 * Core rules: no malloc, no I/O, no globals. Random numbers come from a seeded integer generator
 * (xoshiro256**), so the same seed gives the same samples on every machine up to the last bits of
 * libm's sin/cos/exp (the writers print a fixed number of decimals, which hides those).
 *
 * Bytes per instance: sizeof(bstep_sim), about 50 kB (the scenario and a queue of 256 truth events
 * are inside).
 */
#ifndef BACKSTEP_SIM_H
#define BACKSTEP_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/export.h"
#include "backstep/status.h"
#include "backstep/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Simulator version (written into truth files as "backstep simulate v<N>"). */
#define BSTEP_SIM_MODEL_VERSION 2
/** Maximum segments of a scenario. */
#define BSTEP_SIM_MAX_SEGMENTS 64

/** Kind of a scenario segment. */
typedef enum {
    BSTEP_SIM_STAND = 0, /**< standing still (quiet stance) */
    BSTEP_SIM_WALK,      /**< walking in `direction` */
    BSTEP_SIM_JOG,       /**< jogging (flight phase, stance < 40 % of the stride) */
    BSTEP_SIM_RUN,       /**< running */
    BSTEP_SIM_TURN,      /**< turning on the spot by turn_deg (positive = to the left) */
    BSTEP_SIM_FALL       /**< loss of balance, impact, lying still for duration_s */
} bstep_sim_kind;

/** One segment of a scenario. Zero / negative fields mean "derive a default". */
typedef struct {
    bstep_sim_kind kind;
    bstep_direction direction; /**< WALK/JOG/RUN: FORWARD, BACKWARD, SIDEWAYS_*; FALL: FORWARD or
                                    BACKWARD (direction of the fall) */
    double duration_s;         /**< STAND/FALL: duration; WALK..RUN: used when steps == 0 */
    int steps;                 /**< WALK..RUN: number of steps (both feet), 0 = use duration_s */
    double speed_mps;          /**< WALK..RUN: > 0 */
    double cadence_spm;        /**< 0 = derived from speed and direction */
    bstep_strike strike;       /**< UNKNOWN = default (FW walk heel, BW toe, sideways flat) */
    double strike_angle_deg;   /**< sole angle at IC, + toes up; NAN-free: 0 with strike FLAT;
                                    ignored (default used) when strike_angle_set is 0 */
    int strike_angle_set;      /**< 1 when strike_angle_deg was given */
    int heel_faults;           /**< toe-first walking: this many steps land heel-first (+10 deg) */
    int stumbles;              /**< stumbles spread evenly over the segment */
    int look_backs;            /**< trunk twists (look over the shoulder) spread over the segment */
    double turn_deg;           /**< TURN: angle, + = left (counter-clockwise seen from above) */
    double lean_deg;           /**< trunk pitch, + = bent forward */
    double stride_cv_pct;      /**< stride-time variability (SD/mean), %; < 0 = default 2 % */
    double asymmetry_pct;      /**< left step time longer than right by this %, may be < 0 */
} bstep_sim_segment;

/** A scenario: segments in order. */
typedef struct {
    size_t n;
    bstep_sim_segment seg[BSTEP_SIM_MAX_SEGMENTS];
} bstep_sim_scenario;

/** Where the simulated sensor sits. */
typedef enum {
    BSTEP_SIM_AT_FOOT = 0,   /**< foot instep (shoe lace) */
    BSTEP_SIM_AT_HEEL,       /**< heel clip, back of the shoe */
    BSTEP_SIM_AT_SHANK,      /**< front of the shank */
    BSTEP_SIM_AT_THIGH,      /**< trouser pocket / front of the thigh */
    BSTEP_SIM_AT_LOWER_BACK, /**< L5 / waist belt at the back */
    BSTEP_SIM_AT_CHEST,      /**< sternum */
    BSTEP_SIM_AT_HAND        /**< held in a swinging hand */
} bstep_sim_site;

/** Sensor imperfections. All zero = an ideal sensor. */
typedef struct {
    double accel_noise_mps2;      /**< white noise SD per sample, >= 0 */
    double gyro_noise_dps;        /**< white noise SD per sample, >= 0 */
    double accel_bias_mps2;       /**< constant bias, each axis drawn uniformly in +-value */
    double gyro_bias_dps;         /**< constant bias, each axis drawn uniformly in +-value */
    double accel_drift_mps2_rs;   /**< bias random walk, m/s^2 per sqrt(s) */
    double gyro_drift_dps_rs;     /**< bias random walk, deg/s per sqrt(s) */
    double scale_error_pct;       /**< per-axis scale factor drawn uniformly in 1 +- value/100 */
    double accel_range_mps2;      /**< clipping limit, 0 = none (e.g. 156.9 for 16 g) */
    double gyro_range_dps;        /**< clipping limit, 0 = none (e.g. 2000) */
    double jitter_pct;            /**< SD of the sampling instant, % of the period, 0..30 */
    double packet_loss_pct;       /**< chance that a packet (burst) starts at a sample, 0..50 */
    int packet_loss_max_burst;    /**< longest burst of dropped samples, >= 1 */
    double accel_resolution_mps2; /**< quantisation step, 0 = none */
    double gyro_resolution_dps;   /**< quantisation step, 0 = none */
} bstep_sim_noise;

/** Generator settings. Copy bstep_sim_default_settings and override. */
typedef struct {
    double height_m;       /**< 1.0 .. 2.3 */
    double mass_kg;        /**< 20 .. 250 (kept for energy truth; does not change kinematics) */
    double leg_length_m;   /**< hip joint to floor, 0 = 0.53 x height; else 0.35 .. 0.65 x height */
    double sample_rate_hz; /**< 10 .. 4000 */
    bstep_sim_site site;
    bstep_foot side; /**< foot, heel, shank, thigh, hand: LEFT or RIGHT */
    /** Mounting: row i is the sensor's axis i expressed in the segment frame (orthonormal,
     *  right-handed). Identity = sensor aligned with the segment (x front/toes, y left, z up). */
    double mounting[3][3];
    bstep_sim_noise noise;
    uint64_t seed; /**< gait variability and sensor noise; same seed = same output */
    double t0_s;   /**< time of the first sample, >= 0 */
} bstep_sim_settings;

BSTEP_API extern const bstep_sim_settings bstep_sim_default_settings;

/** Truth event types. */
typedef enum {
    BSTEP_SIM_EV_STEP = 1,    /**< a complete step (emitted once its final contact is known) */
    BSTEP_SIM_EV_SEGMENT,     /**< a scenario segment ended */
    BSTEP_SIM_EV_STUMBLE,     /**< the trip of a stumble */
    BSTEP_SIM_EV_FALL_IMPACT, /**< body hits the ground */
    BSTEP_SIM_EV_LOOK_BACK,   /**< peak of a trunk twist */
    BSTEP_SIM_EV_DROPPED      /**< samples lost (packet loss): t_s first lost, count */
} bstep_sim_event_type;

/** One truth event. Fields not meaningful for the type are 0. */
typedef struct {
    bstep_sim_event_type type;
    double t_s; /**< event time (STEP: initial contact; SEGMENT: start) */
    /* STEP */
    double ic_s, fc_s; /**< initial and final contact of this foot */
    bstep_foot foot;
    bstep_direction direction;
    bstep_strike strike;
    double strike_angle_deg; /**< sole angle at IC, + toes up */
    double stride_length_m;  /**< horizontal heel displacement since this foot's last stance */
    double position_m[2];    /**< heel position (world x, y) during this stance */
    int stumble;             /**< 1 for the perturbed step of a stumble */
    /* SEGMENT */
    double end_s;
    bstep_sim_kind kind;
    double distance_m; /**< path length walked during the segment */
    size_t segment_index;
    /* DROPPED */
    uint32_t count;
} bstep_sim_event;

/** True state of the sensor at the last generated sample (for tests and tools). */
typedef struct {
    double t_s;
    double position_m[3];       /**< sensor position, world */
    double velocity_mps[3];     /**< sensor velocity, world */
    double accel_world_mps2[3]; /**< sensor acceleration (kinematic, no gravity), world */
    double rot[3][3];           /**< sensor-to-world rotation: world = rot * sensor */
    double accel_mps2[3];       /**< ideal specific force, sensor frame (before sensor effects) */
    double gyro_dps[3];         /**< ideal angular rate, sensor frame */
    double sole_angle_deg;      /**< foot pitch, + toes up (feet; 0 for other sites) */
} bstep_sim_truth_state;

#define BSTEP_SIM_MAX_STANCES 16
#define BSTEP_SIM_MAX_KNOTS   32
#define BSTEP_SIM_MAX_EVENTS  256

/** Generator. All members are private. */
typedef struct {
    bstep_sim_settings cfg;
    bstep_sim_scenario sc;
    uint64_t rng_gait[4], rng_sensor[4], rng_loss[4];
    double leg_m, foot_len_m, stance_width_m, period_s, z0_m, trunk_impact_scale;
    /* planner */
    size_t seg_i;
    int seg_started, seg_steps_done, seg_steps_total, plan_done, prev_was_gait;
    double seg_distance_m;
    double plan_t_s;  /* time of the last planned knot */
    double last_ic_s; /* time of the last planned contact (or knot) */
    double path_xy[2], heading_rad;
    int next_foot; /* 0 left, 1 right */
    double step_length_m, step_time_s, stance_frac;
    double seg_t0[BSTEP_SIM_MAX_SEGMENTS], seg_t1[BSTEP_SIM_MAX_SEGMENTS],
        seg_dist[BSTEP_SIM_MAX_SEGMENTS];
    unsigned char seg_emitted[BSTEP_SIM_MAX_SEGMENTS];
    double lb_t[8], lb_deg[8];
    int lb_emitted[8];
    unsigned lb_next;
    double fall_impact_s;
    struct bstep__sim_stance {
        double ic_s, fc_s, t_flat_s, t_rel_s;
        double heel_xy[2], yaw_rad;
        double ic_angle_deg, off_angle_deg;
        double ic_roll_deg, off_roll_deg; /* foot roll at contact / at release (side-steps) */
        double impact_mps2;
        double trunk_jolt; /* multiplier of the trunk's share of this impact (stumbles) */
        double clearance_m, trip_u, trip_m;
        double stride_length_m;
        int direction, strike, stumble, emitted_ic, emitted;
    } st[2][BSTEP_SIM_MAX_STANCES];
    size_t st_n[2];
    struct bstep__sim_knot {
        double t_s, xyz[3], vel[3], yaw_rad, yaw_rate, pitch_deg, amp_m, osc_yaw_deg, roll_rate_dps;
        int fall, collision; /* collision: walking contact knot (step-to-step transition shape) */
    } kn[BSTEP_SIM_MAX_KNOTS];
    size_t kn_n;
    /* running state */
    uint64_t sample_i;
    int finished, gap_pending;
    double end_s;
    double acc_bias[3], gyr_bias[3], acc_scale[3], gyr_scale[3];
    bstep_sim_truth_state truth;
    bstep_sim_event ev[BSTEP_SIM_MAX_EVENTS];
    size_t ev_head, ev_n, ev_lost;
    uint32_t drop_left;
} bstep_sim;

/**
 * @brief Check settings and scenario and prepare the generator.
 * @return BSTEP_OK, or BSTEP_EINVAL for a NULL pointer, a field out of range, an empty scenario,
 *         or a segment that makes no sense (walking with speed <= 0, turn of 0 deg ...).
 */
BSTEP_API int bstep_sim_init(bstep_sim *g, const bstep_sim_settings *cfg,
                             const bstep_sim_scenario *sc);

/**
 * @brief Generate the next sample.
 * @param[out] out the sample (sensor frame; flags carry HAS_GYRO, GAP_BEFORE after packet loss,
 *                 CLIPPED).
 * @return 1 when a sample was written, 0 at the end of the scenario.
 * Truth events that happened up to this sample are queued; take them with bstep_sim_pop_event().
 */
BSTEP_API int bstep_sim_next(bstep_sim *g, bstep_imu_sample *out);

/**
 * @brief Generate up to cap samples (a loop over bstep_sim_next; identical output).
 * @return samples written; less than cap only at the end. Pop events at least every ~60 s of
 * data (the queue holds BSTEP_SIM_MAX_EVENTS; older events are dropped and counted).
 */
BSTEP_API size_t bstep_sim_next_block(bstep_sim *g, bstep_imu_sample *buf, size_t cap);

/** @brief Take the oldest queued truth event. @return 1 if one was written, 0 if none. */
BSTEP_API int bstep_sim_pop_event(bstep_sim *g, bstep_sim_event *ev);

/** @brief Events lost because the queue was full (0 when events are popped often enough). */
BSTEP_API size_t bstep_sim_events_lost(const bstep_sim *g);

/** @brief True state at the last sample (also for dropped ones: the state of the last
 *  generated instant). */
BSTEP_API void bstep_sim_get_truth(const bstep_sim *g, bstep_sim_truth_state *st);

/**
 * @brief Parse a scenario text (docs/simulation.md "Scenario files"). One segment per line:
 *   stand 10s | walk backward 60s speed=0.7 strike=toe angle=-12 heel-faults=2 stumbles=1 |
 *   walk forward 10 strides | jog forward 20s speed=2.5 | turn 180 | fall backward 5s
 * and modifiers "stumble" / "look-back" that add one to the previous walking segment.
 * '#' starts a comment. Numbers use '.' whatever the locale.
 * @param[out] err message "line N: ..." on failure (may be NULL).
 * @return BSTEP_OK, BSTEP_EINVAL (syntax/range) or BSTEP_ERANGE (too many segments).
 */
BSTEP_API int bstep_sim_scenario_parse(const char *text, bstep_sim_scenario *sc, char *err,
                                       size_t err_len);

/** @brief A segment with defaults for its kind (walk: forward 1.2 m/s, 10 s). */
BSTEP_API bstep_sim_segment bstep_sim_segment_default(bstep_sim_kind kind);

/** @brief Name of a segment's activity in truth files ("walk", "walk-backward", "stand", ...). */
BSTEP_API const char *bstep_sim_activity_name(const bstep_sim_segment *s);

/** @brief Stable site names: "foot", "heel", "shank", "thigh", "lower-back", "chest", "hand". */
BSTEP_API const char *bstep_sim_site_name(bstep_sim_site s);
BSTEP_API int bstep_sim_site_parse(const char *text, bstep_sim_site *out);

/**
 * @brief Mounting matrix from two sensor axes: which sensor axis points to the segment's front
 * (toes) and which points up. E.g. front=-x, up=+z: sensor turned 180 deg about vertical.
 * @return BSTEP_OK, or BSTEP_EINVAL when the axes are AUTO or not perpendicular.
 */
BSTEP_API int bstep_sim_mounting_from_axes(bstep_axis front, bstep_axis up, double m[3][3]);

/**
 * @brief Rotate a mounting by extra angles (deg) about the sensor's x, then y, then z axis
 *        (intrinsic), for arbitrary, not axis-aligned, mountings.
 */
BSTEP_API void bstep_sim_mounting_rotate(double m[3][3], double rx_deg, double ry_deg,
                                         double rz_deg);

#ifdef __cplusplus
}
#endif
#endif
