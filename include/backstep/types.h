/*
 * Basic types shared by the whole library.
 *
 * Units: time in int64 microseconds (bstep_time_us), acceleration in m/s^2 as specific force
 * (an axis pointing up reads +9.80665 m/s^2 at rest), angular rate in degrees per second.
 * Frames: samples are in the sensor frame as recorded; the core estimates gravity itself.
 */
#ifndef BACKSTEP_TYPES_H
#define BACKSTEP_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Timestamp or duration in microseconds. Never 32-bit milliseconds. */
typedef int64_t bstep_time_us;

/** Standard gravity, m/s^2 (CGPM 1901). */
#define BSTEP_STANDARD_GRAVITY_MPS2 9.80665f

/* Flags of one sample (bstep_imu_sample.flags). */
/** gyro_dps holds a measurement; otherwise the recording is accelerometer-only. */
#define BSTEP_SAMPLE_HAS_GYRO 0x1u
/** The reader saw samples missing just before this one (packet loss, counter jump, time gap). */
#define BSTEP_SAMPLE_GAP_BEFORE 0x2u
/** At least one axis sits at the sensor's range limit (clipped). */
#define BSTEP_SAMPLE_CLIPPED 0x4u

/** One inertial sample in the sensor frame. */
typedef struct {
    bstep_time_us t_us;  /**< sample time, microseconds, strictly increasing within a stream */
    float accel_mps2[3]; /**< specific force (gravity included), m/s^2, sensor x, y, z */
    float gyro_dps[3];   /**< angular rate, deg/s, sensor x, y, z; 0 when no gyro */
    uint32_t flags;      /**< BSTEP_SAMPLE_* bits */
} bstep_imu_sample;

/** Where the sensor is worn. */
typedef enum {
    BSTEP_PLACEMENT_AUTO = 0,
    BSTEP_PLACEMENT_FOOT_LEFT,
    BSTEP_PLACEMENT_FOOT_RIGHT,
    BSTEP_PLACEMENT_LOWER_BACK,
    BSTEP_PLACEMENT_POCKET,
    BSTEP_PLACEMENT_FOOT /**< a foot, side unknown */
} bstep_placement;

/** A signed sensor axis, used for mounting (where the toes or the chest point). */
typedef enum {
    BSTEP_AXIS_AUTO = 0,
    BSTEP_AXIS_POS_X,
    BSTEP_AXIS_NEG_X,
    BSTEP_AXIS_POS_Y,
    BSTEP_AXIS_NEG_Y,
    BSTEP_AXIS_POS_Z,
    BSTEP_AXIS_NEG_Z
} bstep_axis;

/** Direction of a step or stride relative to the body. */
typedef enum {
    BSTEP_DIRECTION_UNKNOWN = 0,
    BSTEP_DIRECTION_FORWARD,
    BSTEP_DIRECTION_BACKWARD,
    BSTEP_DIRECTION_SIDEWAYS_LEFT,
    BSTEP_DIRECTION_SIDEWAYS_RIGHT,
    BSTEP_DIRECTION_IN_PLACE,
    BSTEP_DIRECTION_TURN /**< a turning stride: the foot's heading changed too much for one
                              direction to describe it */
} bstep_direction;

/** Which part of the foot touched the ground first. */
typedef enum {
    BSTEP_STRIKE_UNKNOWN = 0,
    BSTEP_STRIKE_TOE,
    BSTEP_STRIKE_FLAT,
    BSTEP_STRIKE_HEEL
} bstep_strike;

/** Which foot. */
typedef enum { BSTEP_FOOT_UNKNOWN = 0, BSTEP_FOOT_LEFT, BSTEP_FOOT_RIGHT } bstep_foot;

/** Stable lower-case names for the enums above ("foot-left", "+x", "backward", "toe", "left"). */
BSTEP_API const char *bstep_placement_name(bstep_placement p);
BSTEP_API const char *bstep_axis_name(bstep_axis a);
BSTEP_API const char *bstep_direction_name(bstep_direction d);
BSTEP_API const char *bstep_strike_name(bstep_strike s);
BSTEP_API const char *bstep_foot_name(bstep_foot f);
/**
 * @brief Parse a name produced by the functions above.
 * @return BSTEP_OK, or BSTEP_EINVAL when the text is not a known name (out is unchanged).
 */
BSTEP_API int bstep_placement_parse(const char *text, bstep_placement *out);
BSTEP_API int bstep_axis_parse(const char *text, bstep_axis *out);
BSTEP_API int bstep_direction_parse(const char *text, bstep_direction *out);
BSTEP_API int bstep_strike_parse(const char *text, bstep_strike *out);

#ifdef __cplusplus
}
#endif
#endif
