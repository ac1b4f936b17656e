/*
 * Internal interface between the two halves of the trunk engine: trunk.c (orientation, the
 * 100 Hz grid, steps, per-step gait measures, bouts) and trunk_safety.c (posture, look-back,
 * stumble, fall). bstep__ layer: no API promise.
 */
#ifndef BSTEP_CORE_TRUNK_INTERNAL_H
#define BSTEP_CORE_TRUNK_INTERNAL_H

#include "analyzer_internal.h"

#define BSTEP__TRUNK_DT_S (1.0f / (float)BSTEP__TRUNK_RATE_HZ)
#define BSTEP__RAD2DEG    57.29577951308232f
#define BSTEP__DEG2RAD    0.017453292519943295f

/* One 100 Hz grid record (bin means of the raw samples): the layout of rec[] below. */
enum {
    BSTEP__REC_V = 0,     /* vertical acceleration, gravity removed, m/s^2 */
    BSTEP__REC_HS = 1,    /* horizontal acceleration in the sensor frame, 3 values, m/s^2 */
    BSTEP__REC_UP = 4,    /* up direction in the sensor frame (mean of unit vectors), 3 values */
    BSTEP__REC_W = 7,     /* angular rate, sensor frame, 3 values, deg/s (0 without gyro) */
    BSTEP__REC_AMAX = 10, /* largest |a| in the bin, m/s^2 */
    BSTEP__REC_AMIN = 11, /* smallest |a| in the bin, m/s^2 */
    BSTEP__REC_N = 12
};

/* Everything the safety half sees of one grid point. */
typedef struct {
    double t_s;       /* time of the grid point, s */
    const float *rec; /* BSTEP__REC_N values */
    float up[3];      /* unit up, sensor frame */
    float a[3];       /* specific force, sensor frame, m/s^2 */
    int has_gyro;
    bstep_time_us now_us;
} bstep__trunk_point;

/* Vector helpers. */
static inline float bstep__dot3(const float a[3], const float b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static inline void bstep__cross3(const float a[3], const float b[3], float o[3])
{
    o[0] = a[1] * b[2] - a[2] * b[1];
    o[1] = a[2] * b[0] - a[0] * b[2];
    o[2] = a[0] * b[1] - a[1] * b[0];
}

/* Normalise in place; returns the former length (0 leaves v unchanged). */
float bstep__norm3(float v[3]);

/* Sagittal (forward +) and frontal (right +) lean of the unit up vector u relative to the
 * upright reference ref, with the front axis front (all in the sensor frame), in degrees. */
void bstep__trunk_lean(const float u[3], const float ref[3], const float front[3], float *sag_deg,
                       float *side_deg);

/* trunk_safety.c */
void bstep__trunk_safety_reset(bstep_analyzer *a);
/* Every grid point (after the step detector). */
void bstep__trunk_safety_point(bstep_analyzer *a, const bstep__trunk_point *p);
/* At each confirmed contact: stumble logic. st_s = step time (NAN if the first of a run),
 * prev_st_s = the one before, jerk = jerk peak of the step(s) just closed. */
void bstep__trunk_safety_contact(bstep_analyzer *a, double tc_s, float st_s, float prev_st_s,
                                 float jerk, bstep_time_us now_us);
/* A walking stretch ended (the driver's bout end). */
void bstep__trunk_safety_bout_end(bstep_analyzer *a, bstep_time_us now_us);
/* One step's posture (lower back), for the POSTURE stretch. */
void bstep__trunk_posture_step(bstep_analyzer *a, double tc_s, float sag_deg, float side_deg,
                               bstep_time_us now_us);

#endif
