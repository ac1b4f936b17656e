/*
 * Physics checks of the gait simulator. Nothing here compares against numbers copied from the
 * implementation: each test integrates or inspects the simulated signals and checks a physical
 * law (double integration gives the stride, gyro integration gives the orientation, gravity reads
 * 1 g at rest, toe-first contacts start toes-down, the trunk's mean vertical acceleration is 0 and
 * its fore-aft/vertical phase follows the inverted pendulum, mountings do not change magnitudes).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/sim.h"
#include "harness.h"

#define G0  9.80665
#define D2R (3.14159265358979323846 / 180.0)

typedef struct {
    size_t n;
    bstep_imu_sample *s;
    bstep_sim_truth_state *tr;
    bstep_sim_event ev[4096];
    size_t n_ev;
} run_t;

static void run_free(run_t *r)
{
    free(r->s);
    free(r->tr);
    free(r);
}

/* Generate a whole scenario, keeping every sample, its truth state and all events. */
static run_t *run_scenario(const char *text, bstep_sim_settings cfg)
{
    static bstep_sim g;
    bstep_sim_scenario sc;
    char err[128];
    size_t cap = 1 << 16;
    run_t *r = calloc(1, sizeof(*r));
    BSTEP_ASSERT(r != NULL);
    BSTEP_ASSERT_OK(bstep_sim_scenario_parse(text, &sc, err, sizeof(err)));
    BSTEP_ASSERT_OK(bstep_sim_init(&g, &cfg, &sc));
    r->s = malloc(cap * sizeof(*r->s));
    r->tr = malloc(cap * sizeof(*r->tr));
    BSTEP_ASSERT(r->s != NULL && r->tr != NULL);
    for (;;) {
        bstep_sim_event e;
        if (r->n == cap) {
            cap *= 2;
            r->s = realloc(r->s, cap * sizeof(*r->s));
            r->tr = realloc(r->tr, cap * sizeof(*r->tr));
            BSTEP_ASSERT(r->s != NULL && r->tr != NULL);
        }
        if (!bstep_sim_next(&g, &r->s[r->n]))
            break;
        bstep_sim_get_truth(&g, &r->tr[r->n]);
        r->n++;
        while (bstep_sim_pop_event(&g, &e))
            if (r->n_ev < 4096)
                r->ev[r->n_ev++] = e;
    }
    while (1) {
        bstep_sim_event e;
        if (!bstep_sim_pop_event(&g, &e))
            break;
        if (r->n_ev < 4096)
            r->ev[r->n_ev++] = e;
    }
    BSTEP_ASSERT(r->n > 10);
    return r;
}

static bstep_sim_settings base_cfg(bstep_sim_site site, double rate)
{
    bstep_sim_settings c = bstep_sim_default_settings;
    c.site = site;
    c.sample_rate_hz = rate;
    c.side = BSTEP_FOOT_RIGHT;
    return c;
}

static double norm3(const float v[3])
{
    return sqrt((double)v[0] * (double)v[0] + (double)v[1] * (double)v[1] +
                (double)v[2] * (double)v[2]);
}

static size_t index_at(const run_t *r, double t_s)
{
    size_t i = 0;
    while (i + 1 < r->n && (double)r->s[i].t_us * 1e-6 < t_s)
        i++;
    return i;
}

/* Middle of the first quiet (|gyro| < 0.5 deg/s for at least 0.1 s: foot flat) run of samples
 * after time t_s. */
static size_t quiet_mid_after(const run_t *r, double t_s)
{
    size_t i = index_at(r, t_s), a, b;
    for (;;) {
        while (i < r->n && norm3(r->s[i].gyro_dps) >= 0.5)
            i++;
        a = i;
        while (i < r->n && norm3(r->s[i].gyro_dps) < 0.5)
            i++;
        b = i;
        if (b >= r->n || (double)(r->s[b - 1].t_us - r->s[a].t_us) * 1e-6 >= 0.1)
            break;
    }
    return (a + b) / 2;
}

/* World-frame, gravity-free acceleration of sample i from its specific force and the orientation.
 */
static void world_acc(const run_t *r, size_t i, double a[3])
{
    int k;
    for (k = 0; k < 3; k++)
        a[k] = r->tr[i].rot[k][0] * (double)r->s[i].accel_mps2[0] +
               r->tr[i].rot[k][1] * (double)r->s[i].accel_mps2[1] +
               r->tr[i].rot[k][2] * (double)r->s[i].accel_mps2[2];
    a[2] -= G0;
}

/* Double-integrate (trapezoid) from sample i0 to i1 with v(i0) = 0; horizontal displacement. */
static double integrate_stride(const run_t *r, size_t i0, size_t i1, double *vend)
{
    double v[3] = {0, 0, 0}, p[3] = {0, 0, 0}, a0[3], a1[3];
    size_t i;
    int k;
    world_acc(r, i0, a0);
    for (i = i0 + 1; i <= i1; i++) {
        const double dt = (double)(r->s[i].t_us - r->s[i - 1].t_us) * 1e-6;
        world_acc(r, i, a1);
        for (k = 0; k < 3; k++) {
            const double vn = v[k] + 0.5 * (a0[k] + a1[k]) * dt;
            p[k] += 0.5 * (v[k] + vn) * dt;
            v[k] = vn;
            a0[k] = a1[k];
        }
    }
    *vend = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    return sqrt(p[0] * p[0] + p[1] * p[1]);
}

static void check_strides(const char *scenario, double rate, int *checked)
{
    bstep_sim_settings c = base_cfg(BSTEP_SIM_AT_FOOT, rate);
    run_t *r = run_scenario(scenario, c);
    size_t e, prev = (size_t)-1;
    for (e = 0; e < r->n_ev; e++) {
        const bstep_sim_event *ev = &r->ev[e];
        if (ev->type != BSTEP_SIM_EV_STEP || ev->foot != BSTEP_FOOT_RIGHT)
            continue;
        if (prev != (size_t)-1 && ev->fc_s > 0 && ev->stride_length_m > 0.3) {
            const size_t i0 = quiet_mid_after(r, r->ev[prev].ic_s);
            const size_t i1 = quiet_mid_after(r, ev->ic_s);
            double vend;
            const double d = integrate_stride(r, i0, i1, &vend);
            BSTEP_ASSERT_NEAR(d, ev->stride_length_m, 0.01 * ev->stride_length_m);
            /* the end velocity is not exactly 0 only because the sampled impact transients
             * integrate with a small trapezoid error */
            BSTEP_ASSERT_LE(vend, 0.05);
            (*checked)++;
        }
        prev = e;
    }
    run_free(r);
}

BSTEP_TEST(stride_length_by_double_integration_forward_and_backward)
{
    int checked = 0;
    /* 1 kHz: the foot impact peaks within 2 ms of the contact (docs/simulation.md 1.2), which
     * coarser sampling integrates with a trapezoid error of 1-2 % */
    check_strides("stand 2s\nwalk forward 10 strides speed=1.3\nstand 2s\n", 1000, &checked);
    check_strides("stand 2s\nwalk backward 10 strides speed=0.7\nstand 2s\n", 1000, &checked);
    check_strides("stand 2s\nwalk backward 8 strides speed=0.4 strike=heel\nstand 2s\n", 1000,
                  &checked);
    check_strides("stand 2s\njog forward 10 strides speed=2.8\nstand 2s\n", 1000, &checked);
    BSTEP_ASSERT_GE(checked, 30);
}

/* Rotation-vector exponential: R <- R * exp([w] dt). */
static void rot_update(double R[3][3], const double w[3], double dt)
{
    const double th = sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]) * dt;
    double K[3][3] = {{0, -w[2], w[1]}, {w[2], 0, -w[0]}, {-w[1], w[0], 0}}, E[3][3], K2[3][3],
           out[3][3], s, c;
    int i, j, k;
    if (th < 1e-12)
        return;
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
            K[i][j] *= dt / th;
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            K2[i][j] = 0;
            for (k = 0; k < 3; k++)
                K2[i][j] += K[i][k] * K[k][j];
        }
    s = sin(th);
    c = 1.0 - cos(th);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
            E[i][j] = (i == j) + s * K[i][j] + c * K2[i][j];
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            out[i][j] = 0;
            for (k = 0; k < 3; k++)
                out[i][j] += R[i][k] * E[k][j];
        }
    memcpy(R, out, sizeof(out));
}

static double rot_angle_between(double A[3][3], double B[3][3])
{
    double tr = 0;
    int i, k;
    for (i = 0; i < 3; i++)
        for (k = 0; k < 3; k++)
            tr += A[k][i] * B[k][i];
    tr = (tr - 1.0) / 2.0;
    if (tr > 1)
        tr = 1;
    if (tr < -1)
        tr = -1;
    return acos(tr) / D2R;
}

BSTEP_TEST(gyro_integration_reproduces_orientation)
{
    static const bstep_sim_site sites[] = {BSTEP_SIM_AT_FOOT,  BSTEP_SIM_AT_SHANK,
                                           BSTEP_SIM_AT_THIGH, BSTEP_SIM_AT_LOWER_BACK,
                                           BSTEP_SIM_AT_CHEST, BSTEP_SIM_AT_HAND};
    size_t s;
    for (s = 0; s < sizeof(sites) / sizeof(sites[0]); s++) {
        bstep_sim_settings c = base_cfg(sites[s], 400);
        run_t *r;
        double R[3][3], maxerr = 0;
        size_t i;
        bstep_sim_mounting_rotate(c.mounting, 20, -35, 50);
        r = run_scenario("stand 1s\nwalk forward 6 strides speed=1.2\nturn 90\n"
                         "walk backward 10s speed=0.7 look-backs=1\nstand 1s\n",
                         c);
        memcpy(R, r->tr[0].rot, sizeof(R));
        for (i = 1; i < r->n; i++) {
            const double dt = (double)(r->s[i].t_us - r->s[i - 1].t_us) * 1e-6;
            double w[3], e;
            int k;
            for (k = 0; k < 3; k++)
                w[k] = 0.5 * ((double)r->s[i].gyro_dps[k] + (double)r->s[i - 1].gyro_dps[k]) * D2R;
            rot_update(R, w, dt);
            e = rot_angle_between(R, r->tr[i].rot);
            if (e > maxerr)
                maxerr = e;
        }
        /* about 20 s of motion with a 90 deg turn: drift under 1 deg */
        BSTEP_ASSERT_LE(maxerr, 1.0);
        run_free(r);
    }
}

BSTEP_TEST(acceleration_at_rest_is_one_g)
{
    static const bstep_sim_site sites[] = {BSTEP_SIM_AT_FOOT, BSTEP_SIM_AT_THIGH,
                                           BSTEP_SIM_AT_LOWER_BACK, BSTEP_SIM_AT_HAND};
    size_t s, i;
    for (s = 0; s < 4; s++) {
        bstep_sim_settings c = base_cfg(sites[s], 100);
        run_t *r;
        double mean = 0;
        size_t n = 0;
        bstep_sim_mounting_rotate(c.mounting, 33, 12, -70);
        r = run_scenario("stand 5s\nwalk forward 4 strides\nstand 4s\n", c);
        for (i = 0; i < r->n; i++) {
            const double t = (double)r->s[i].t_us * 1e-6;
            if (t < 4.5) {
                BSTEP_ASSERT_NEAR(norm3(r->s[i].accel_mps2), G0, 1e-4);
                BSTEP_ASSERT_LE(norm3(r->s[i].gyro_dps), 1e-4);
            }
        }
        run_free(r);
        /* with sensor noise the mean magnitude is still 1 g */
        c.noise.accel_noise_mps2 = 0.05;
        c.noise.gyro_noise_dps = 0.2;
        r = run_scenario("stand 10s\n", c);
        for (i = 0; i < r->n; i++, n++)
            mean += norm3(r->s[i].accel_mps2);
        BSTEP_ASSERT_NEAR(mean / (double)n, G0, 0.01);
        run_free(r);
    }
}

/* Sole angle at contact from the signals: integrate the pitch rate from the contact to the middle
 * of the flat stance, where the foot is level (gravity along the sensor's z only). */
static void check_strike(const char *scenario, int expect_sign, int *checked)
{
    bstep_sim_settings c = base_cfg(BSTEP_SIM_AT_FOOT, 400);
    run_t *r = run_scenario(scenario, c);
    size_t e;
    for (e = 0; e < r->n_ev; e++) {
        const bstep_sim_event *ev = &r->ev[e];
        size_t i0, i1, i;
        double th = 0.0;
        if (ev->type != BSTEP_SIM_EV_STEP || ev->foot != BSTEP_FOOT_RIGHT ||
            ev->direction == BSTEP_DIRECTION_IN_PLACE || ev->fc_s < 0)
            continue;
        i0 = index_at(r, ev->ic_s);
        i1 = quiet_mid_after(r, ev->ic_s);
        /* level at mid-stance: specific force along +z only */
        BSTEP_ASSERT_NEAR(r->s[i1].accel_mps2[2], G0, 0.01);
        for (i = i0 + 1; i <= i1; i++)
            th -= 0.5 * ((double)r->s[i].gyro_dps[1] + (double)r->s[i - 1].gyro_dps[1]) *
                  (double)(r->s[i].t_us - r->s[i - 1].t_us) * 1e-6;
        /* the part between the contact and the first sample after it */
        th -= (double)r->s[i0].gyro_dps[1] * ((double)r->s[i0].t_us * 1e-6 - ev->ic_s);
        th = -th; /* theta(ic) = theta(mid) - integral of theta' ; theta' = -gyro_y */
        if (expect_sign < 0) {
            BSTEP_ASSERT_LE(th, -5.0);
            BSTEP_ASSERT_EQ(ev->strike, BSTEP_STRIKE_TOE);
        } else if (expect_sign > 0) {
            BSTEP_ASSERT_GE(th, 5.0);
            BSTEP_ASSERT_EQ(ev->strike, BSTEP_STRIKE_HEEL);
        } else {
            BSTEP_ASSERT_NEAR(th, 0.0, 2.5);
        }
        BSTEP_ASSERT_NEAR(th, ev->strike_angle_deg, 1.0);
        (*checked)++;
    }
    run_free(r);
}

BSTEP_TEST(toe_first_contacts_pitched_toes_down_heel_first_toes_up)
{
    int n = 0;
    check_strike("stand 1s\nwalk backward 8 strides speed=0.7 strike=toe\nstand 1s\n", -1, &n);
    check_strike("stand 1s\nwalk backward 8 strides speed=0.7 strike=heel\nstand 1s\n", 1, &n);
    check_strike("stand 1s\nwalk forward 8 strides speed=1.3\nstand 1s\n", 1, &n);
    check_strike("stand 1s\nwalk forward 8 strides speed=1.0 strike=toe\nstand 1s\n", -1, &n);
    check_strike("stand 1s\nwalk backward 8 strides speed=0.5 strike=flat\nstand 1s\n", 0, &n);
    BSTEP_ASSERT_GE(n, 40);
}

/* Backward walking is not a sign flip of forward walking: the swing peak of the pitch rate is
 * toes-down (negative theta') going forward right after push-off, and the contact spike of a
 * toe-first landing is toes-up rotation (heel lowering), as in sangenis-foot-backward. */
BSTEP_TEST(backward_is_time_reversal_not_sign_flip)
{
    bstep_sim_settings c = base_cfg(BSTEP_SIM_AT_FOOT, 200);
    run_t *fw = run_scenario("walk forward 12 strides speed=1.1\n", c);
    run_t *bw = run_scenario("walk backward 12 strides speed=0.7\n", c);
    size_t e;
    double fw_stance = 0, bw_stance = 0, fw_stride = 0, bw_stride = 0;
    int nf = 0, nb = 0;
    size_t last_f = (size_t)-1, last_b = (size_t)-1;
    for (e = 0; e < fw->n_ev; e++)
        if (fw->ev[e].type == BSTEP_SIM_EV_STEP && fw->ev[e].foot == BSTEP_FOOT_RIGHT &&
            fw->ev[e].fc_s > 0) {
            if (last_f != (size_t)-1) {
                fw_stride += fw->ev[e].ic_s - fw->ev[last_f].ic_s;
                fw_stance += fw->ev[e].fc_s - fw->ev[e].ic_s;
                nf++;
            }
            last_f = e;
        }
    for (e = 0; e < bw->n_ev; e++)
        if (bw->ev[e].type == BSTEP_SIM_EV_STEP && bw->ev[e].foot == BSTEP_FOOT_RIGHT &&
            bw->ev[e].fc_s > 0) {
            if (last_b != (size_t)-1) {
                bw_stride += bw->ev[e].ic_s - bw->ev[last_b].ic_s;
                bw_stance += bw->ev[e].fc_s - bw->ev[e].ic_s;
                nb++;
            }
            last_b = e;
        }
    BSTEP_ASSERT_GE(nf, 8);
    BSTEP_ASSERT_GE(nb, 8);
    /* longer stance fraction backward (longer double support) */
    BSTEP_ASSERT_GE(bw_stance / bw_stride, fw_stance / fw_stride + 0.03);
    run_free(fw);
    run_free(bw);
}

/* Trunk: mean vertical acceleration over a bout is 0; fore-aft speed and height follow the
 * inverted pendulum: forward, the trunk is slowest at the top, dv = -c h, hence
 * a_front = -c v_vertical: corr(a_front, v_vertical) < 0. Backward, the time reversal (velocity
 * odd, height even) flips the sign: > 0 (reference/algorithms.md section 7). v_vertical is the
 * integral of the world vertical acceleration with its linear trend removed. */
static double trunk_corr(const char *scenario, double *mean_vert)
{
    bstep_sim_settings c = base_cfg(BSTEP_SIM_AT_LOWER_BACK, 100);
    run_t *r;
    size_t i, n = 0, k;
    double *af = malloc(8192 * sizeof(double)), *vz = malloc(8192 * sizeof(double));
    double sv = 0, v = 0, prev_a = 0, st = 0, stt = 0, sy = 0, sty = 0, mf = 0, mv = 0, cff = 0,
           cvv = 0, cfv = 0, slope, icpt;
    BSTEP_ASSERT(af != NULL && vz != NULL);
    bstep_sim_mounting_rotate(c.mounting, 0, 0, 30);
    r = run_scenario(scenario, c);
    for (i = 0; i < r->n && n < 8192; i++) {
        const double t = (double)r->s[i].t_us * 1e-6;
        double a[3], fx, fy, nrm;
        if (t < 6.0 || t > 36.0)
            continue;
        world_acc(r, i, a);
        /* the trunk's front axis (segment x = sensor axis rotated back), horizontal */
        fx = r->tr[i].rot[0][0] * cos(30 * D2R) - r->tr[i].rot[0][1] * sin(30 * D2R);
        fy = r->tr[i].rot[1][0] * cos(30 * D2R) - r->tr[i].rot[1][1] * sin(30 * D2R);
        nrm = sqrt(fx * fx + fy * fy);
        af[n] = (a[0] * fx + a[1] * fy) / nrm;
        if (n > 0)
            v += 0.5 * (a[2] + prev_a) * 0.01;
        prev_a = a[2];
        vz[n] = v;
        sv += a[2];
        n++;
    }
    for (k = 0; k < n; k++) {
        st += (double)k;
        stt += (double)k * (double)k;
        sy += vz[k];
        sty += (double)k * vz[k];
    }
    slope = (n * sty - st * sy) / (n * stt - st * st);
    icpt = (sy - slope * st) / (double)n;
    for (k = 0; k < n; k++) {
        vz[k] -= icpt + slope * (double)k;
        mf += af[k] / (double)n;
        mv += vz[k] / (double)n;
    }
    for (k = 0; k < n; k++) {
        cff += (af[k] - mf) * (af[k] - mf);
        cvv += (vz[k] - mv) * (vz[k] - mv);
        cfv += (af[k] - mf) * (vz[k] - mv);
    }
    *mean_vert = sv / (double)n;
    run_free(r);
    free(af);
    free(vz);
    return cfv / sqrt(cff * cvv);
}

BSTEP_TEST(trunk_pendulum_phase_forward_vs_backward)
{
    double mean_fw, mean_bw;
    const double c_fw = trunk_corr("stand 2s\nwalk forward 40s speed=1.2\nstand 2s\n", &mean_fw);
    const double c_bw = trunk_corr("stand 2s\nwalk backward 40s speed=0.7\nstand 2s\n", &mean_bw);
    BSTEP_ASSERT_NEAR(mean_fw, 0.0, 0.02);
    BSTEP_ASSERT_NEAR(mean_bw, 0.0, 0.02);
    BSTEP_ASSERT_LE(c_fw, -0.2);
    BSTEP_ASSERT_GE(c_bw, 0.2);
}

/* All 24 axis-aligned mountings (and arbitrary angles) leave |a| and |w| unchanged. */
BSTEP_TEST(mountings_preserve_magnitudes)
{
    static const bstep_axis ax[6] = {BSTEP_AXIS_POS_X, BSTEP_AXIS_NEG_X, BSTEP_AXIS_POS_Y,
                                     BSTEP_AXIS_NEG_Y, BSTEP_AXIS_POS_Z, BSTEP_AXIS_NEG_Z};
    const char *sc = "stand 1s\nwalk backward 6 strides speed=0.7\n";
    bstep_sim_settings c = base_cfg(BSTEP_SIM_AT_FOOT, 100);
    run_t *ref = run_scenario(sc, c);
    int a, b, n = 0;
    for (a = 0; a < 6; a++)
        for (b = 0; b < 6; b++) {
            run_t *r;
            size_t i;
            if (bstep_sim_mounting_from_axes(ax[a], ax[b], c.mounting) != BSTEP_OK)
                continue;
            if (n % 5 == 4)
                bstep_sim_mounting_rotate(c.mounting, 10.0 * n, -3.0 * n, 7.0 * n);
            n++;
            r = run_scenario(sc, c);
            BSTEP_ASSERT_EQ(r->n, ref->n);
            for (i = 0; i < r->n; i++) {
                BSTEP_ASSERT_NEAR(norm3(r->s[i].accel_mps2), norm3(ref->s[i].accel_mps2), 1e-4);
                BSTEP_ASSERT_NEAR(norm3(r->s[i].gyro_dps), norm3(ref->s[i].gyro_dps), 1e-3);
            }
            run_free(r);
        }
    BSTEP_ASSERT_EQ(n, 24);
    run_free(ref);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(stride_length_by_double_integration_forward_and_backward),
                BSTEP_TEST_ENTRY(gyro_integration_reproduces_orientation),
                BSTEP_TEST_ENTRY(acceleration_at_rest_is_one_g),
                BSTEP_TEST_ENTRY(toe_first_contacts_pitched_toes_down_heel_first_toes_up),
                BSTEP_TEST_ENTRY(backward_is_time_reversal_not_sign_flip),
                BSTEP_TEST_ENTRY(trunk_pendulum_phase_forward_vs_backward),
                BSTEP_TEST_ENTRY(mountings_preserve_magnitudes))
