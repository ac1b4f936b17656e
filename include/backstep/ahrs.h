/*
 * Orientation (attitude) estimator: a complementary filter in the style of the revised Madgwick
 * algorithm (xioTechnologies/Fusion; Madgwick et al., IEEE ICORR 2011), 6-axis, no magnetometer.
 * Heading is therefore relative (drifts slowly); inclination is absolute.
 *
 * Frames: the quaternion rotates sensor-frame vectors into a world frame whose z axis points up.
 * Units: acceleration m/s^2 (specific force), angular rate deg/s, time microseconds.
 * Memory: sizeof(bstep_ahrs) bytes per instance, no allocation.
 */
#ifndef BACKSTEP_AHRS_H
#define BACKSTEP_AHRS_H

#include "backstep/export.h"
#include "backstep/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    float gain;                /**< accelerometer correction gain K, 1/s; >= 0; 0.5 */
    float startup_gain;        /**< gain at start, ramped down to `gain`; >= gain; 10 */
    float startup_s;           /**< duration of the ramp, s; >= 0; 3 */
    float accel_rejection_deg; /**< ignore the accelerometer when its error exceeds this, deg;
                                    0 disables rejection; 10 */
    float rejection_timeout_s; /**< re-trust the accelerometer after this long rejected, s; 5 */
    float max_dt_s;            /**< longer intervals are gaps: re-initialise from gravity, s; 0.5 */
} bstep_ahrs_settings;

BSTEP_API extern const bstep_ahrs_settings bstep_ahrs_default_settings;

/** Orientation filter state. All members are private. */
typedef struct {
    bstep_ahrs_settings cfg;
    float q[4]; /* w, x, y, z: sensor -> world */
    bstep_time_us last_t_us;
    float elapsed_s;
    float rejected_s;
    int initialised;
    int have_time;
    int accel_ignored;
    float err_sin, err_cos; /* last accelerometer error: |a_hat x v_hat| and a_hat . v_hat */
    float reject_cos;       /* cos(accel_rejection_deg) */
    float up[3];            /* world up in the sensor frame for the current q (cached) */
} bstep_ahrs;

/** Internal states (observability, Fusion style). */
typedef struct {
    float accel_error_deg; /**< angle between measured and estimated gravity, deg */
    int accel_ignored;     /**< 1 while the accelerometer is rejected */
    float gain;            /**< effective gain, 1/s */
} bstep_ahrs_states;

/**
 * @brief Initialise. @return BSTEP_OK or BSTEP_EINVAL for invalid settings (cfg NULL = defaults).
 */
BSTEP_API int bstep_ahrs_init(bstep_ahrs *a, const bstep_ahrs_settings *cfg);
/** @brief Forget the orientation; the next sample re-initialises it from gravity. */
BSTEP_API void bstep_ahrs_reset(bstep_ahrs *a);
/** @brief Feed one sample (gyro optional, see BSTEP_SAMPLE_HAS_GYRO). */
BSTEP_API void bstep_ahrs_update(bstep_ahrs *a, const bstep_imu_sample *s);
/** @brief Orientation quaternion (w, x, y, z), sensor to world. */
BSTEP_API void bstep_ahrs_get_quaternion(const bstep_ahrs *a, float q_out[4]);
/** @brief Unit vector pointing up (against gravity) in the sensor frame. */
BSTEP_API void bstep_ahrs_get_up_sensor(const bstep_ahrs *a, float up_out[3]);
/** @brief Rotate a sensor-frame vector into the world frame (z up). */
BSTEP_API void bstep_ahrs_rotate_to_world(const bstep_ahrs *a, const float v_sensor[3],
                                          float v_world_out[3]);
/** @brief Acceleration in the world frame with gravity removed, m/s^2. */
BSTEP_API void bstep_ahrs_get_linear_world(const bstep_ahrs *a, const float accel_mps2[3],
                                           float out_mps2[3]);
/** @brief Inclination: angle between the sensor's `axis` and world up, deg (0..180). */
BSTEP_API float bstep_ahrs_get_tilt_deg(const bstep_ahrs *a, const float axis_sensor[3]);
BSTEP_API bstep_ahrs_states bstep_ahrs_get_states(const bstep_ahrs *a);

#ifdef __cplusplus
}
#endif
#endif
