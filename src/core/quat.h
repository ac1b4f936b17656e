/*
 * Quaternion helpers shared inside the core (bstep__ layer, no API promise). Convention:
 * q = (w, x, y, z) rotates sensor-frame vectors into the world frame (z up).
 */
#ifndef BSTEP_CORE_QUAT_H
#define BSTEP_CORE_QUAT_H

#include <math.h>

static inline void bstep__quat_normalize(float q[4])
{
    const float n = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    if (n > 0.0f) {
        q[0] /= n;
        q[1] /= n;
        q[2] /= n;
        q[3] /= n;
    } else {
        q[0] = 1.0f;
        q[1] = q[2] = q[3] = 0.0f;
    }
}

/* v_world = R(q) v_sensor */
static inline void bstep__quat_rotate(const float q[4], const float v[3], float o[3])
{
    const float w = q[0], x = q[1], y = q[2], z = q[3];
    o[0] = (1.0f - 2.0f * (y * y + z * z)) * v[0] + 2.0f * (x * y - w * z) * v[1] +
           2.0f * (x * z + w * y) * v[2];
    o[1] = 2.0f * (x * y + w * z) * v[0] + (1.0f - 2.0f * (x * x + z * z)) * v[1] +
           2.0f * (y * z - w * x) * v[2];
    o[2] = 2.0f * (x * z - w * y) * v[0] + 2.0f * (y * z + w * x) * v[1] +
           (1.0f - 2.0f * (x * x + y * y)) * v[2];
}

/* v_sensor = R(q)^T v_world */
static inline void bstep__quat_rotate_inv(const float q[4], const float v[3], float o[3])
{
    const float qc[4] = {q[0], -q[1], -q[2], -q[3]};
    bstep__quat_rotate(qc, v, o);
}

/* World up in the sensor frame, R(q)^T (0, 0, 1): the third row of R(q), written out (the
 * general rotation of (0, 0, 1) multiplies six terms by zero, which the compiler must keep
 * without -ffast-math: 50 instructions per sample). Equal to bstep__quat_rotate_inv of (0, 0, 1)
 * up to the sign of an exact zero. */
static inline void bstep__quat_up_in_sensor(const float q[4], float v[3])
{
    const float w = q[0], x = -q[1], y = -q[2], z = -q[3];
    v[0] = 2.0f * (x * z + w * y);
    v[1] = 2.0f * (y * z - w * x);
    v[2] = 1.0f - 2.0f * (x * x + y * y);
}

/* The shortest-arc rotation taking the measured up direction a (sensor frame, any length) onto
 * world z: q = normalize(1 + u.z, u x z). Yaw is zero by construction. */
static inline void bstep__quat_from_up(const float a[3], float q[4])
{
    const float n = sqrtf(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    float u[3];
    if (!(n > 0.0f)) {
        q[0] = 1.0f;
        q[1] = q[2] = q[3] = 0.0f;
        return;
    }
    u[0] = a[0] / n;
    u[1] = a[1] / n;
    u[2] = a[2] / n;
    if (u[2] < -0.999999f) {
        q[0] = 0.0f;
        q[1] = 1.0f;
        q[2] = q[3] = 0.0f;
        return;
    }
    q[0] = 1.0f + u[2];
    q[1] = u[1];
    q[2] = -u[0];
    q[3] = 0.0f;
    bstep__quat_normalize(q);
}

/* q <- q (x) exp(w dt / 2), w in rad/s (body-frame rate), exact for a constant rate. */
static inline void bstep__quat_integrate(float q[4], const float w_rads[3], float dt_s)
{
    const float wx = w_rads[0], wy = w_rads[1], wz = w_rads[2];
    const float n = sqrtf(wx * wx + wy * wy + wz * wz);
    const float half = 0.5f * n * dt_s;
    float c, s, d[4], r[4];
    if (n < 1e-9f)
        return;
    c = cosf(half);
    s = sinf(half) / n;
    d[0] = c;
    d[1] = wx * s;
    d[2] = wy * s;
    d[3] = wz * s;
    r[0] = q[0] * d[0] - q[1] * d[1] - q[2] * d[2] - q[3] * d[3];
    r[1] = q[0] * d[1] + q[1] * d[0] + q[2] * d[3] - q[3] * d[2];
    r[2] = q[0] * d[2] - q[1] * d[3] + q[2] * d[0] + q[3] * d[1];
    r[3] = q[0] * d[3] + q[1] * d[2] - q[2] * d[1] + q[3] * d[0];
    q[0] = r[0];
    q[1] = r[1];
    q[2] = r[2];
    q[3] = r[3];
    bstep__quat_normalize(q);
}

/* Yaw (heading about world z) of the rotated sensor axis v, radians. */
static inline float bstep__quat_heading(const float q[4], const float v[3])
{
    float o[3];
    bstep__quat_rotate(q, v, o);
    return atan2f(o[1], o[0]);
}

#endif
