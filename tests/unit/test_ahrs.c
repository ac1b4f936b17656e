/* Orientation filter: the oracles of algorithms.md section 1 plus split and gap behaviour. */
#include "backstep/ahrs.h"
#include "backstep/status.h"
#include "core/quat.h"
#include "harness.h"

#define G    9.80665f
#define PI_F 3.14159265f

static bstep_imu_sample sample(bstep_time_us t, float ax, float ay, float az, float gx, float gy,
                               float gz)
{
    bstep_imu_sample s;
    s.t_us = t;
    s.accel_mps2[0] = ax;
    s.accel_mps2[1] = ay;
    s.accel_mps2[2] = az;
    s.gyro_dps[0] = gx;
    s.gyro_dps[1] = gy;
    s.gyro_dps[2] = gz;
    s.flags = BSTEP_SAMPLE_HAS_GYRO;
    return s;
}

/* (a) static, a = (0, sin 30, cos 30) g -> inclination of z from up 30.0 +- 0.5 deg after 5 s. */
BSTEP_TEST(static_tilt_30_deg)
{
    bstep_ahrs a;
    const float z[3] = {0.0f, 0.0f, 1.0f};
    int i;
    BSTEP_ASSERT_OK(bstep_ahrs_init(&a, NULL));
    for (i = 0; i <= 500; i++) {
        bstep_imu_sample s =
            sample((bstep_time_us)i * 10000, 0.0f, G * 0.5f, G * 0.8660254f, 0.0f, 0.0f, 0.0f);
        bstep_ahrs_update(&a, &s);
    }
    BSTEP_ASSERT_NEAR(bstep_ahrs_get_tilt_deg(&a, z), 30.0, 0.5);
}

/* (b) level, w_z = 90 deg/s for 1.000 s -> yaw 90.0 +- 0.5 deg. */
BSTEP_TEST(yaw_90_deg)
{
    bstep_ahrs a;
    float q[4], yaw;
    int i;
    BSTEP_ASSERT_OK(bstep_ahrs_init(&a, NULL));
    for (i = 0; i <= 1000; i++) {
        bstep_imu_sample s =
            sample((bstep_time_us)i * 1000, 0.0f, 0.0f, G, 0.0f, 0.0f, i == 0 ? 0.0f : 90.0f);
        bstep_ahrs_update(&a, &s);
    }
    bstep_ahrs_get_quaternion(&a, q);
    yaw = atan2f(2.0f * (q[0] * q[3] + q[1] * q[2]), 1.0f - 2.0f * (q[2] * q[2] + q[3] * q[3])) *
          180.0f / PI_F;
    BSTEP_ASSERT_NEAR(yaw, 90.0, 0.5);
}

/* Gravity is removed: a resting sensor in any orientation has ~0 linear acceleration. */
BSTEP_TEST(linear_acceleration_at_rest_is_zero)
{
    bstep_ahrs a;
    float lin[3];
    const float acc[3] = {G * 0.6f, -G * 0.48f, G * 0.64f};
    int i;
    BSTEP_ASSERT_OK(bstep_ahrs_init(&a, NULL));
    for (i = 0; i < 300; i++) {
        bstep_imu_sample s = sample((bstep_time_us)i * 10000, acc[0], acc[1], acc[2], 0, 0, 0);
        bstep_ahrs_update(&a, &s);
    }
    bstep_ahrs_get_linear_world(&a, acc, lin);
    BSTEP_ASSERT_NEAR(lin[0], 0.0, 0.01);
    BSTEP_ASSERT_NEAR(lin[1], 0.0, 0.01);
    BSTEP_ASSERT_NEAR(lin[2], 0.0, 0.01);
}

/* Upside down at start: the initialisation handles the antiparallel case. */
BSTEP_TEST(upside_down_start)
{
    bstep_ahrs a;
    const float z[3] = {0.0f, 0.0f, 1.0f};
    bstep_imu_sample s = sample(0, 0.0f, 0.0f, -G, 0, 0, 0);
    BSTEP_ASSERT_OK(bstep_ahrs_init(&a, NULL));
    bstep_ahrs_update(&a, &s);
    BSTEP_ASSERT_NEAR(bstep_ahrs_get_tilt_deg(&a, z), 180.0, 0.01);
}

/* (c) the same samples give bit-identical states whether fed in one run or in two instances
 * interleaved (no hidden state outside the object). */
BSTEP_TEST(two_instances_interleaved)
{
    bstep_ahrs a, b, c;
    float qa[4], qb[4], qc[4];
    int i;
    BSTEP_ASSERT_OK(bstep_ahrs_init(&a, NULL));
    BSTEP_ASSERT_OK(bstep_ahrs_init(&b, NULL));
    BSTEP_ASSERT_OK(bstep_ahrs_init(&c, NULL));
    for (i = 0; i < 2000; i++) {
        const float ph = (float)i * 0.01f;
        bstep_imu_sample s1 = sample((bstep_time_us)i * 5000, G * sinf(ph), 1.0f, G * cosf(ph),
                                     30.0f * cosf(ph), 5.0f, -10.0f);
        bstep_imu_sample s2 = sample((bstep_time_us)i * 5000, 0.5f, G, 0.2f, -3.0f, 40.0f, 2.0f);
        bstep_ahrs_update(&a, &s1);
        bstep_ahrs_update(&c, &s2);
        bstep_ahrs_update(&b, &s1);
    }
    bstep_ahrs_get_quaternion(&a, qa);
    bstep_ahrs_get_quaternion(&b, qb);
    bstep_ahrs_get_quaternion(&c, qc);
    BSTEP_ASSERT(memcmp(qa, qb, sizeof(qa)) == 0);
    BSTEP_ASSERT(memcmp(qa, qc, sizeof(qa)) != 0);
}

BSTEP_TEST(invalid_settings)
{
    bstep_ahrs a;
    bstep_ahrs_settings s = bstep_ahrs_default_settings;
    s.gain = -1.0f;
    BSTEP_ASSERT_EQ(bstep_ahrs_init(&a, &s), BSTEP_EINVAL);
    s = bstep_ahrs_default_settings;
    s.startup_gain = 0.1f; /* below gain */
    BSTEP_ASSERT_EQ(bstep_ahrs_init(&a, &s), BSTEP_EINVAL);
    s = bstep_ahrs_default_settings;
    s.max_dt_s = NAN;
    BSTEP_ASSERT_EQ(bstep_ahrs_init(&a, &s), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_ahrs_init(NULL, NULL), BSTEP_EINVAL);
}

/* A gap longer than max_dt_s re-initialises from gravity instead of integrating across it. */
BSTEP_TEST(gap_reinitialises)
{
    bstep_ahrs a;
    const float z[3] = {0.0f, 0.0f, 1.0f};
    bstep_imu_sample s = sample(0, 0.0f, 0.0f, G, 0, 0, 0);
    BSTEP_ASSERT_OK(bstep_ahrs_init(&a, NULL));
    bstep_ahrs_update(&a, &s);
    s = sample(10000000, G, 0.0f, 0.0f, 0, 0, 0); /* 10 s later, lying on its side */
    bstep_ahrs_update(&a, &s);
    BSTEP_ASSERT_NEAR(bstep_ahrs_get_tilt_deg(&a, z), 90.0, 0.01);
}

/* The written-out up direction (quat.h bstep__quat_up_in_sensor) is the general inverse
 * rotation of (0, 0, 1), bit for bit, for quaternions all over the sphere (no exact zeros). */
BSTEP_TEST(up_in_sensor_is_the_inverse_rotation)
{
    const float z[3] = {0.0f, 0.0f, 1.0f};
    int i, same = 0;
    for (i = 0; i < 1000; i++) {
        float q[4], r[3], u[3];
        q[0] = sinf(0.37f * (float)i + 0.1f);
        q[1] = cosf(0.73f * (float)i + 0.2f);
        q[2] = sinf(1.31f * (float)i + 0.3f);
        q[3] = cosf(2.17f * (float)i + 0.4f);
        bstep__quat_normalize(q);
        bstep__quat_rotate_inv(q, z, r);
        bstep__quat_up_in_sensor(q, u);
        same += r[0] == u[0] && r[1] == u[1] && r[2] == u[2];
    }
    BSTEP_ASSERT_EQ(same, 1000);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(static_tilt_30_deg), BSTEP_TEST_ENTRY(yaw_90_deg),
                BSTEP_TEST_ENTRY(linear_acceleration_at_rest_is_zero),
                BSTEP_TEST_ENTRY(upside_down_start), BSTEP_TEST_ENTRY(two_instances_interleaved),
                BSTEP_TEST_ENTRY(invalid_settings), BSTEP_TEST_ENTRY(gap_reinitialises),
                BSTEP_TEST_ENTRY(up_in_sensor_is_the_inverse_rotation))
