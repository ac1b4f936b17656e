/*
 * Orientation filter: a complementary filter in the form of the revised Madgwick algorithm
 * (S. Madgwick, "AHRS algorithms and calibration solutions to facilitate new applications using
 * low-cost MEMS", PhD thesis, 2014; the open implementation xioTechnologies/Fusion FusionAhrs.c was
 * read for the structure, no code was copied).
 *
 * Each sample: the gyroscope integrates the quaternion (q' = q + 1/2 q (x) (0, w') dt), and the
 * accelerometer pulls the estimated "up" direction towards the measured specific force through a
 * feedback term e = a_hat x v_hat added to the angular rate with gain K (1/s). A gain of 0.5/s
 * gives a 2 s time constant: long compared with a step (0.5 s), so the trunk's own accelerations
 * average out, short enough to follow posture changes. At start the gain ramps down from 10/s over
 * 3 s so the estimate settles quickly; during that ramp the first orientation also comes directly
 * from the first accelerometer sample (aligned to gravity), so nothing needs to converge from zero.
 *
 * Accelerometer rejection: while the measured direction is more than 10 degrees from the estimate
 * (the foot in swing, an impact) the accelerometer is ignored; after 5 s of continuous rejection it
 * is trusted again (the estimate may be the one that is wrong). Without a gyroscope the filter
 * becomes a first-order low-pass of the accelerometer direction with the same time constant, and
 * rejection is off (there would be nothing else to follow).
 *
 * Timing: dt comes from each sample's own timestamp. A non-increasing timestamp is ignored; an
 * interval longer than max_dt_s (a gap) re-initialises the orientation from gravity, because
 * integrating across missing data is not possible.
 */
#include <math.h>
#include <string.h>

#include "backstep/ahrs.h"
#include "backstep/status.h"
#include "quat.h"

#define DEG2RAD 0.017453292519943295f
#define RAD2DEG 57.29577951308232f

const bstep_ahrs_settings bstep_ahrs_default_settings = {
    .gain = 0.5f,
    .startup_gain = 10.0f,
    .startup_s = 3.0f,
    .accel_rejection_deg = 10.0f,
    .rejection_timeout_s = 5.0f,
    .max_dt_s = 0.5f,
};

/* World "up" in the sensor frame: the third row of R(q). */
static void up_in_sensor(const float q[4], float v[3])
{
    bstep__quat_up_in_sensor(q, v);
}

static int finite3(const float v[3])
{
    return isfinite(v[0]) && isfinite(v[1]) && isfinite(v[2]);
}

static int settings_valid(const bstep_ahrs_settings *c)
{
    return isfinite(c->gain) && c->gain >= 0.0f && isfinite(c->startup_gain) &&
           c->startup_gain >= c->gain && isfinite(c->startup_s) && c->startup_s >= 0.0f &&
           isfinite(c->accel_rejection_deg) && c->accel_rejection_deg >= 0.0f &&
           c->accel_rejection_deg <= 180.0f && isfinite(c->rejection_timeout_s) &&
           c->rejection_timeout_s >= 0.0f && isfinite(c->max_dt_s) && c->max_dt_s > 0.0f;
}

int bstep_ahrs_init(bstep_ahrs *a, const bstep_ahrs_settings *cfg)
{
    if (a == NULL)
        return BSTEP_EINVAL;
    if (cfg == NULL)
        cfg = &bstep_ahrs_default_settings;
    if (!settings_valid(cfg))
        return BSTEP_EINVAL;
    memset(a, 0, sizeof(*a));
    a->cfg = *cfg;
    bstep_ahrs_reset(a);
    return BSTEP_OK;
}

void bstep_ahrs_reset(bstep_ahrs *a)
{
    bstep_ahrs_settings cfg = a->cfg;
    memset(a, 0, sizeof(*a));
    a->cfg = cfg;
    a->q[0] = 1.0f;
    a->reject_cos = cosf(cfg.accel_rejection_deg * DEG2RAD);
    a->err_cos = 1.0f;
    up_in_sensor(a->q, a->up);
}

/* The quaternion changed: refresh the cached up direction (used by the next update and by
 * bstep_ahrs_get_up_sensor, so it is computed once per sample). */
static void q_changed(bstep_ahrs *a)
{
    up_in_sensor(a->q, a->up);
}

void bstep_ahrs_update(bstep_ahrs *a, const bstep_imu_sample *s)
{
    const int has_gyro = (s->flags & BSTEP_SAMPLE_HAS_GYRO) != 0;
    float dt, gain, v[3], an[3], e[3], w[3], n, q0, q1, q2, q3;

    if (!finite3(s->accel_mps2) || (has_gyro && !finite3(s->gyro_dps)))
        return;
    if (!a->initialised) {
        bstep__quat_from_up(s->accel_mps2, a->q);
        q_changed(a);
        a->initialised = 1;
        a->have_time = 1;
        a->last_t_us = s->t_us;
        return;
    }
    if (s->t_us <= a->last_t_us)
        return;
    dt = (float)(s->t_us - a->last_t_us) * 1e-6f;
    a->last_t_us = s->t_us;
    if (dt > a->cfg.max_dt_s || (s->flags & BSTEP_SAMPLE_GAP_BEFORE)) {
        /* A gap: the orientation cannot be carried across it. */
        bstep_ahrs_reset(a);
        bstep__quat_from_up(s->accel_mps2, a->q);
        q_changed(a);
        a->initialised = 1;
        a->have_time = 1;
        a->last_t_us = s->t_us;
        return;
    }
    a->elapsed_s += dt;
    gain = a->cfg.gain;
    if (a->elapsed_s < a->cfg.startup_s && a->cfg.startup_s > 0.0f)
        gain = a->cfg.startup_gain -
               (a->cfg.startup_gain - a->cfg.gain) * (a->elapsed_s / a->cfg.startup_s);

    memcpy(v, a->up, sizeof(v));
    e[0] = e[1] = e[2] = 0.0f;
    n = sqrtf(s->accel_mps2[0] * s->accel_mps2[0] + s->accel_mps2[1] * s->accel_mps2[1] +
              s->accel_mps2[2] * s->accel_mps2[2]);
    a->accel_ignored = 0;
    if (n > 0.0f) {
        float dot, sin_err;
        an[0] = s->accel_mps2[0] / n;
        an[1] = s->accel_mps2[1] / n;
        an[2] = s->accel_mps2[2] / n;
        e[0] = an[1] * v[2] - an[2] * v[1];
        e[1] = an[2] * v[0] - an[0] * v[2];
        e[2] = an[0] * v[1] - an[1] * v[0];
        dot = an[0] * v[0] + an[1] * v[1] + an[2] * v[2];
        /* The error angle itself is only computed on request (bstep_ahrs_get_states): the
         * rejection test compares cosines, which needs no trigonometry per sample. */
        a->err_sin = sqrtf(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
        a->err_cos = dot;
        sin_err = a->err_sin;
        if (dot < 0.0f && sin_err > 0.0f) { /* error beyond 90 degrees: use the full-size axis */
            e[0] /= sin_err;
            e[1] /= sin_err;
            e[2] /= sin_err;
        }
        if (has_gyro && a->cfg.accel_rejection_deg > 0.0f && a->elapsed_s >= a->cfg.startup_s &&
            dot < a->reject_cos) {
            a->rejected_s += dt;
            if (a->rejected_s <= a->cfg.rejection_timeout_s) {
                a->accel_ignored = 1;
                e[0] = e[1] = e[2] = 0.0f;
            } else {
                a->rejected_s = 0.0f; /* timeout: trust the accelerometer again */
            }
        } else {
            a->rejected_s = 0.0f;
        }
    }

    w[0] = (has_gyro ? s->gyro_dps[0] * DEG2RAD : 0.0f) + gain * e[0];
    w[1] = (has_gyro ? s->gyro_dps[1] * DEG2RAD : 0.0f) + gain * e[1];
    w[2] = (has_gyro ? s->gyro_dps[2] * DEG2RAD : 0.0f) + gain * e[2];

    q0 = a->q[0];
    q1 = a->q[1];
    q2 = a->q[2];
    q3 = a->q[3];
    a->q[0] += 0.5f * dt * (-q1 * w[0] - q2 * w[1] - q3 * w[2]);
    a->q[1] += 0.5f * dt * (q0 * w[0] + q2 * w[2] - q3 * w[1]);
    a->q[2] += 0.5f * dt * (q0 * w[1] - q1 * w[2] + q3 * w[0]);
    a->q[3] += 0.5f * dt * (q0 * w[2] + q1 * w[1] - q2 * w[0]);
    bstep__quat_normalize(a->q);
    q_changed(a);
}

void bstep_ahrs_get_quaternion(const bstep_ahrs *a, float q_out[4])
{
    memcpy(q_out, a->q, sizeof(a->q));
}

void bstep_ahrs_get_up_sensor(const bstep_ahrs *a, float up_out[3])
{
    memcpy(up_out, a->up, sizeof(a->up));
}

void bstep_ahrs_rotate_to_world(const bstep_ahrs *a, const float v[3], float o[3])
{
    bstep__quat_rotate(a->q, v, o);
}

void bstep_ahrs_get_linear_world(const bstep_ahrs *a, const float accel_mps2[3], float out[3])
{
    bstep_ahrs_rotate_to_world(a, accel_mps2, out);
    out[2] -= BSTEP_STANDARD_GRAVITY_MPS2;
}

float bstep_ahrs_get_tilt_deg(const bstep_ahrs *a, const float axis[3])
{
    float v[3], n = sqrtf(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]), c;
    if (!(n > 0.0f))
        return 0.0f;
    up_in_sensor(a->q, v);
    c = (v[0] * axis[0] + v[1] * axis[1] + v[2] * axis[2]) / n;
    if (c > 1.0f)
        c = 1.0f;
    if (c < -1.0f)
        c = -1.0f;
    return acosf(c) * RAD2DEG;
}

bstep_ahrs_states bstep_ahrs_get_states(const bstep_ahrs *a)
{
    bstep_ahrs_states st;
    float gain = a->cfg.gain;
    if (a->elapsed_s < a->cfg.startup_s && a->cfg.startup_s > 0.0f)
        gain = a->cfg.startup_gain -
               (a->cfg.startup_gain - a->cfg.gain) * (a->elapsed_s / a->cfg.startup_s);
    st.accel_error_deg = atan2f(a->err_sin, a->err_cos) * RAD2DEG;
    st.accel_ignored = a->accel_ignored;
    st.gain = gain;
    return st;
}
