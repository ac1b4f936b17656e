/*
 * Gait simulator: body kinematics and IMU signal synthesis.
 *
 * The walker is a set of smooth analytic trajectories planned a few seconds ahead:
 *
 * - Feet. Each stance k of a foot has a ground pose (heel point, yaw) and four phases: contact
 *   (the sole angle theta goes from the strike angle theta_ic to 0 along a minimum-jerk ramp
 *   while the foot pivots about the toe when theta_ic < 0, about the heel otherwise), flat stance
 * (the foot does not move: zero velocity), release (theta goes 0 -> theta_off along a minimum-jerk
 * ramp, pivoting about the toe when theta_off < 0: forward push-off, heel rises first; about the
 * heel when theta_off > 0: backward walking, the toes lift and the heel leaves last) and swing
 * (quintic Hermite interpolation of heel position, sole angle and yaw between the exact position,
 * velocity and acceleration at final contact and at the next initial contact, plus a clearance bump
 *   64 u^3 (1 - u)^3). The whole foot trajectory is therefore C2. Backward walking is not a sign
 *   flip: it uses toe contact (theta_ic < 0), heel-down loading, heel-pivot release, a backward
 * swing, a shorter step at the same cadence and a longer stance (Winter, Pluck & Yang 1989; Laufer
 * 2005; reference/algorithms.md section 13).
 * - Pelvis (centre of mass). Knots at each initial contact (walking) or mid-stance (running) carry
 *   position, velocity and heading; between knots a quintic Hermite gives a C2 path. Walking knots
 *   carry a speed (1 + k) v (fastest at the lowest point) and a height -A (cos term, highest at mid
 *   stance): the inverted-pendulum exchange of kinetic and potential energy, which, walked
 * backward, is the time reversal of forward walking (algorithms.md section 7). Running knots sit at
 * mid stance with speed (1 - k) v and the lowest height (spring-mass). Lateral sway comes from knot
 *   velocities alternating toward the stance foot. Trunk pitch (lean), heading (turns) and a
 *   look-back twist (a 2.4 s yaw bump) ride on the same knots.
 * - Thigh and shank: two-link inverse kinematics between the hip (pelvis +- half the hip width) and
 *   the ankle (from the foot pose). Hand: arm swing opposite to the contralateral leg.
 * - Impacts: a damped oscillation (t/tau)^2 exp(-t/tau) sin(w t), C2 at contact, added to the
 *   sensor position after each initial contact (foot 30 Hz, trunk 15 Hz).
 *
 * IMU signals are derivatives of these trajectories: position and rotation matrix are evaluated at
 * t + j h (j = -2..2, h = 1 ms) and differentiated with 4th-order central differences (truncation
 * error O(h^4), round-off about 1e-7 m/s^2 for 100 m of travel). Specific force
 * f = R^T (a - g), g = (0, 0, -9.80665); angular rate = vee(R^T dR/dt). The sensor frame is the
 * segment frame seen through the mounting matrix. Sensor effects (scale, bias, drift, noise,
 * quantisation, clipping, jitter, packet loss) come last, each from its own random stream so that
 * enabling one does not change the others.
 */
#include <math.h>
#include <string.h>

#include "backstep/sim.h"
#include "sim_internal.h"

#define PI          BSTEP__SIM_PI
#define DEG         BSTEP__SIM_DEG
#define GRAV        BSTEP__SIM_G
#define LOOKAHEAD_S 4.0
#define FD_H_S      1e-3
#define NO_TIME     1e30
/* Half the width of the foot (edge to centre line), m, for a 1.75 m adult. */
#define FOOT_HALF_WIDTH_M 0.045
/* Trunk jolt of a stumble's tripping and recovery landings (see plan_step). */
#ifndef TRIP_JOLT
#define TRIP_JOLT     2.5
#define RECOVERY_JOLT 1.8
#endif

typedef struct bstep__sim_stance stance;
typedef struct bstep__sim_knot knot;

/* Stance direction codes stored in stance.direction: 0 = not a step (initial stance). */

const bstep_sim_settings bstep_sim_default_settings = {
    1.75,              /* height_m */
    75.0,              /* mass_kg */
    0.0,               /* leg_length_m: 0.53 x height */
    100.0,             /* sample_rate_hz */
    BSTEP_SIM_AT_FOOT, /* site */
    BSTEP_FOOT_RIGHT,  /* side */
    {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
    {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1, 0.0, 0.0},
    1,   /* seed */
    0.0, /* t0_s */
};

/* ---- small maths ------------------------------------------------------------------------- */

/* Quintic Hermite on [0, 1] for an interval of T seconds: value at u from end values, rates and
 * accelerations. Basis: H0 = 1 - 10u^3 + 15u^4 - 6u^5, H1 = u - 6u^3 + 8u^4 - 3u^5,
 * H2 = (u^2 - 3u^3 + 3u^4 - u^5)/2, H3 = (u^3 - 2u^4 + u^5)/2, H4 = -4u^3 + 7u^4 - 3u^5,
 * H5 = 10u^3 - 15u^4 + 6u^5. */
static double herm5(double p0, double v0, double a0, double p1, double v1, double a1, double T,
                    double u)
{
    const double u2 = u * u, u3 = u2 * u, u4 = u3 * u, u5 = u4 * u;
    const double h0 = 1.0 - 10.0 * u3 + 15.0 * u4 - 6.0 * u5;
    const double h1 = u - 6.0 * u3 + 8.0 * u4 - 3.0 * u5;
    const double h2 = 0.5 * (u2 - 3.0 * u3 + 3.0 * u4 - u5);
    const double h3 = 0.5 * (u3 - 2.0 * u4 + u5);
    const double h4 = -4.0 * u3 + 7.0 * u4 - 3.0 * u5;
    const double h5 = 10.0 * u3 - 15.0 * u4 + 6.0 * u5;
    return h0 * p0 + h1 * v0 * T + h2 * a0 * T * T + h3 * a1 * T * T + h4 * v1 * T + h5 * p1;
}

/* Minimum-jerk ramp 0 -> 1. */
static double mj(double u)
{
    if (u <= 0.0)
        return 0.0;
    if (u >= 1.0)
        return 1.0;
    return u * u * u * (10.0 - 15.0 * u + 6.0 * u * u);
}

static double mj_d(double u)
{
    if (u <= 0.0 || u >= 1.0)
        return 0.0;
    return 30.0 * u * u * (1.0 - u) * (1.0 - u);
}

static double mj_dd(double u)
{
    if (u <= 0.0 || u >= 1.0)
        return 0.0;
    return 60.0 * u - 180.0 * u * u + 120.0 * u * u * u;
}

/* Bump 0 -> 1 -> 0 on [0, 1] with zero slope and curvature at both ends. */
static double bump(double u)
{
    if (u <= 0.0 || u >= 1.0)
        return 0.0;
    return 64.0 * u * u * u * (1.0 - u) * (1.0 - u) * (1.0 - u);
}

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* R = Rz(yaw) Ry(pitch) Rx(roll). */
static void rot_zyx(double yaw, double pitch, double roll, double R[3][3])
{
    const double cz = cos(yaw), sz = sin(yaw), cy = cos(pitch), sy = sin(pitch), cx = cos(roll),
                 sx = sin(roll);
    R[0][0] = cz * cy;
    R[0][1] = cz * sy * sx - sz * cx;
    R[0][2] = cz * sy * cx + sz * sx;
    R[1][0] = sz * cy;
    R[1][1] = sz * sy * sx + cz * cx;
    R[1][2] = sz * sy * cx - cz * sx;
    R[2][0] = -sy;
    R[2][1] = cy * sx;
    R[2][2] = cy * cx;
}

static void mat_vec(double R[3][3], const double v[3], double out[3])
{
    int i;
    for (i = 0; i < 3; i++)
        out[i] = R[i][0] * v[0] + R[i][1] * v[1] + R[i][2] * v[2];
}

static void mat_t_vec(double R[3][3], const double v[3], double out[3])
{
    int i;
    for (i = 0; i < 3; i++)
        out[i] = R[0][i] * v[0] + R[1][i] * v[1] + R[2][i] * v[2];
}

/* Damped impact oscillation, C2 at t = 0; peak |second derivative| about amp_mps2. The envelope
 * (t/tau)^2 e^(-t/tau) rises with tau = rise / f: the trunk (rise 0.35) sees a softened impact
 * whose acceleration peaks about 25 ms after the contact; at the foot and shank (rise 0.12) it
 * peaks within 2 ms and the second half-wave is 0.8 of the first, as in real foot data (gaitmap
 * 204.8 Hz: the largest deceleration in the first sample after the heel lands; sangenis 800 Hz
 * backward toe contacts: peak within 5 ms, rings out in about 30 ms). */
static double impact_shape(double t, double freq_hz, double amp_mps2, int sharp)
{
    const double w = 2.0 * PI * freq_hz, tau = (sharp ? 0.12 : 0.35) / freq_hz;
    /* peak |d2/dt2 (x^2 e^-x sin wt)| / w^2: 0.54 (x^2 e^-x peaks at 4 e^-2; the rise-0.35 value
     * kept as it was) and 1.256 for rise 0.12 (computed numerically) */
    const double k = sharp ? 1.256 : 0.54;
    double x;
    if (t <= 0.0 || t > 20.0 * tau || amp_mps2 == 0.0)
        return 0.0;
    x = t / tau;
    return -amp_mps2 / (k * w * w) * x * x * exp(-x) * sin(w * t);
}

/* ---- event queue ------------------------------------------------------------------------- */

static void push_event(bstep_sim *g, const bstep_sim_event *ev)
{
    if (g->ev_n == BSTEP_SIM_MAX_EVENTS) {
        g->ev_head = (g->ev_head + 1) % BSTEP_SIM_MAX_EVENTS;
        g->ev_n--;
        g->ev_lost++;
    }
    g->ev[(g->ev_head + g->ev_n) % BSTEP_SIM_MAX_EVENTS] = *ev;
    g->ev_n++;
}

int bstep_sim_pop_event(bstep_sim *g, bstep_sim_event *ev)
{
    if (g == NULL || ev == NULL || g->ev_n == 0)
        return 0;
    *ev = g->ev[g->ev_head];
    g->ev_head = (g->ev_head + 1) % BSTEP_SIM_MAX_EVENTS;
    g->ev_n--;
    return 1;
}

size_t bstep_sim_events_lost(const bstep_sim *g)
{
    return g ? g->ev_lost : 0;
}

/* ---- feet -------------------------------------------------------------------------------- */

/* Foot roll (rad, + = left edge up) and its derivatives at t inside stance s: side-steps land on
 * the leading edge and roll flat, and leave by rolling about the trailing edge (the leading edge
 * rises), with the same minimum-jerk phases as the sole angle. */
static void stance_roll(const stance *s, double t, double ro[3])
{
    double a, T, tau;
    ro[0] = ro[1] = ro[2] = 0.0;
    if (t < s->t_flat_s && s->ic_roll_deg != 0.0) {
        a = s->ic_roll_deg * DEG;
        T = s->t_flat_s - s->ic_s;
        tau = clampd((t - s->ic_s) / T, 0.0, 1.0);
        ro[0] = a * (1.0 - mj(tau));
        ro[1] = -a * mj_d(tau) / T;
        ro[2] = -a * mj_dd(tau) / (T * T);
    } else if (t >= s->t_rel_s && s->off_roll_deg != 0.0) {
        a = s->off_roll_deg * DEG;
        T = s->fc_s - s->t_rel_s;
        tau = clampd((t - s->t_rel_s) / T, 0.0, 1.0);
        /* the first half of a minimum-jerk ramp: the roll about the part still on the ground
         * speeds up until that part leaves (final contact at the peak rate, as real push-offs) */
        ro[0] = 2.0 * a * mj(0.5 * tau);
        ro[1] = a * mj_d(0.5 * tau) / T;
        ro[2] = 0.5 * a * mj_dd(0.5 * tau) / (T * T);
    }
}

/* Sole angle (rad) and its derivatives at t inside stance s (any t >= ic), plus the heel point
 * position, velocity and acceleration from the pivot constraint (and the roll about the foot's
 * edge: the edge on the ground does not move, so the centre line rises by w sin|roll| and moves
 * sideways by w (1 - cos roll), w = half the foot's width). */
static void stance_state(const bstep_sim *g, const stance *s, double t, double th[3], double h[3],
                         double hd[3], double hdd[3])
{
    const double L = g->foot_len_m, cy = cos(s->yaw_rad), sy = sin(s->yaw_rad);
    double pivot_toe = 0.0, tau, T;
    th[0] = th[1] = th[2] = 0.0;
    if (t < s->t_flat_s && s->ic_angle_deg != 0.0) {
        const double a = s->ic_angle_deg * DEG;
        T = s->t_flat_s - s->ic_s;
        tau = clampd((t - s->ic_s) / T, 0.0, 1.0);
        /* minimum-jerk roll to flat: zero rate and angular acceleration at both ends */
        th[0] = a * (1.0 - mj(tau));
        th[1] = -a * mj_d(tau) / T;
        th[2] = -a * mj_dd(tau) / (T * T);
        pivot_toe = a < 0.0;
    } else if (t >= s->t_rel_s && s->off_angle_deg != 0.0) {
        const double a = s->off_angle_deg * DEG;
        T = s->fc_s - s->t_rel_s;
        tau = clampd((t - s->t_rel_s) / T, 0.0, 1.0);
        /* the first half of a minimum-jerk ramp: the roll about the part still on the ground
         * speeds up until that part leaves (final contact at the peak rate, as real push-offs) */
        th[0] = 2.0 * a * mj(0.5 * tau);
        th[1] = a * mj_d(0.5 * tau) / T;
        th[2] = 0.5 * a * mj_dd(0.5 * tau) / (T * T);
        pivot_toe = a < 0.0;
    }
    if (pivot_toe) {
        const double c = cos(th[0]), sn = sin(th[0]);
        const double toe_x = s->heel_xy[0] + L * cy, toe_y = s->heel_xy[1] + L * sy;
        const double hor = -L * c, hor_d = L * sn * th[1],
                     hor_dd = L * (c * th[1] * th[1] + sn * th[2]);
        h[0] = toe_x + hor * cy;
        h[1] = toe_y + hor * sy;
        h[2] = -L * sn;
        hd[0] = hor_d * cy;
        hd[1] = hor_d * sy;
        hd[2] = -L * c * th[1];
        hdd[0] = hor_dd * cy;
        hdd[1] = hor_dd * sy;
        hdd[2] = L * sn * th[1] * th[1] - L * c * th[2];
    } else {
        h[0] = s->heel_xy[0];
        h[1] = s->heel_xy[1];
        h[2] = 0.0;
        hd[0] = hd[1] = hd[2] = 0.0;
        hdd[0] = hdd[1] = hdd[2] = 0.0;
    }
    if (s->ic_roll_deg != 0.0 || s->off_roll_deg != 0.0) {
        double ro[3];
        stance_roll(s, t, ro);
        if (ro[0] != 0.0) {
            /* pivot edge at lateral offset ey (foot frame): the edge that stays down */
            const double ey =
                (ro[0] > 0.0 ? -1.0 : 1.0) * FOOT_HALF_WIDTH_M * g->cfg.height_m / 1.75;
            const double c = cos(ro[0]), sn = sin(ro[0]);
            const double oy = ey * (1.0 - c), oy_d = ey * sn * ro[1],
                         oy_dd = ey * (c * ro[1] * ro[1] + sn * ro[2]);
            const double oz = -ey * sn, oz_d = -ey * c * ro[1],
                         oz_dd = -ey * (-sn * ro[1] * ro[1] + c * ro[2]);
            h[0] += -sy * oy;
            h[1] += cy * oy;
            h[2] += oz;
            hd[0] += -sy * oy_d;
            hd[1] += cy * oy_d;
            hd[2] += oz_d;
            hdd[0] += -sy * oy_dd;
            hdd[1] += cy * oy_dd;
            hdd[2] += oz_dd;
        }
    }
}

/* Index of the stance of foot f current at t (last with ic <= t). */
static size_t stance_at(const bstep_sim *g, int f, double t)
{
    size_t k = g->st_n[f];
    while (k > 1 && g->st[f][k - 1].ic_s > t)
        k--;
    return k - 1;
}

/* Knee flexion of leg f at t (rad) for the thigh: a smooth prescribed profile instead of the
 * inverse kinematics, whose knee angle changes abruptly near full extension (thigh rates of
 * ~550 deg/s in swing against 250-350 deg/s measured on real thighs). Two bumps 64u^3(1-u)^3
 * per stride (C2, zero outside): loading-response flexion over the first 30 % of the stride
 * after the contact (5 + 10 v deg, at most 20), and the swing flexion from 18 % of the stride
 * before the final contact to the next initial contact (peak about 70 % of the stride forward,
 * 40 + 15 v deg, at most 65); v = stride length / stride time. Normal knee curves peak at about
 * 15-20 deg in loading and 60-65 deg in swing (Perry & Burnfield, Gait Analysis, 2010); backward
 * walking keeps the swing flexion (Winter, Pluck & Yang 1989: knee angles similar, the sequence
 * reversed), modelled here with the same bumps on the backward stance times. */
static double knee_flexion(const bstep_sim *g, int f, double t)
{
    double k = 0.0;
    size_t i;
    for (i = 0; i < g->st_n[f]; i++) {
        const stance *s = &g->st[f][i];
        const stance *nx = i + 1 < g->st_n[f] ? &g->st[f][i + 1] : NULL;
        double stride, v;
        if (nx == NULL || s->fc_s >= NO_TIME)
            continue;
        stride = nx->ic_s - s->ic_s;
        if (!(stride > 0.05))
            continue;
        v = nx->stride_length_m / stride;
        k += clampd(5.0 + 10.0 * v, 5.0, 20.0) * DEG * bump((t - s->ic_s) / (0.3 * stride));
        {
            const double a = s->fc_s - 0.18 * stride, b = nx->ic_s;
            if (b > a)
                k += clampd(40.0 + 15.0 * v, 40.0, 65.0) * DEG * bump((t - a) / (b - a));
        }
    }
    return k;
}

/* Foot pose: heel point position, yaw (rad), sole angle (rad) at t; plus the impact offset. */
static void foot_pose(const bstep_sim *g, int f, double t, double heel[3], double *yaw,
                      double *theta, double *roll)
{
    const size_t k = stance_at(g, f, t);
    const stance *s = &g->st[f][k];
    double th[3], hd[3], hdd[3], ro[3];
    if (k + 1 >= g->st_n[f] || t < s->fc_s) {
        stance_state(g, s, t, th, heel, hd, hdd);
        stance_roll(s, t, ro);
        *yaw = s->yaw_rad;
        *theta = th[0];
        *roll = ro[0];
    } else {
        const stance *n = &g->st[f][k + 1];
        const double T = n->ic_s - s->fc_s, u = (t - s->fc_s) / T;
        double th1[3], h1[3], hd1[3], hdd1[3];
        int i;
        stance_state(g, s, s->fc_s, th, heel, hd, hdd);
        stance_state(g, n, n->ic_s, th1, h1, hd1, hdd1);
        for (i = 0; i < 3; i++)
            heel[i] = herm5(heel[i], hd[i], hdd[i], h1[i], hd1[i], hdd1[i], T, u);
        heel[2] += n->clearance_m * bump(u);
        if (n->trip_m != 0.0) {
            const double w = bump((u - 0.35) / 0.4) * n->trip_m;
            const double dx = n->heel_xy[0] - s->heel_xy[0], dy = n->heel_xy[1] - s->heel_xy[1];
            const double d = sqrt(dx * dx + dy * dy);
            if (d > 1e-6) {
                heel[0] -= w * dx / d;
                heel[1] -= w * dy / d;
            }
            heel[2] += 0.5 * w;
        }
        *theta = herm5(th[0], th[1], th[2], th1[0], th1[1], th1[2], T, u);
        *yaw = herm5(s->yaw_rad, 0, 0, n->yaw_rad, 0, 0, T, u);
        {
            double r0[3], r1[3];
            stance_roll(s, s->fc_s, r0);
            stance_roll(n, n->ic_s, r1);
            *roll = herm5(r0[0], r0[1], r0[2], r1[0], r1[1], r1[2], T, u);
        }
    }
}

/* Impact offset (world) of foot f at t: vertical and along the foot. */
static void foot_impact(const bstep_sim *g, int f, double t, double freq, double scale,
                        double off[3])
{
    const size_t k = stance_at(g, f, t);
    const stance *s = &g->st[f][k];
    const double z = impact_shape(t - s->ic_s, freq, s->impact_mps2 * scale, freq >= 30.0);
    off[0] = 0.35 * z * cos(s->yaw_rad);
    off[1] = 0.35 * z * sin(s->yaw_rad);
    off[2] = z;
}

/* ---- pelvis / trunk ---------------------------------------------------------------------- */

typedef struct {
    double p[3];
    double yaw, pitch, twist, osc_yaw, roll;
} trunk_pose;

/* Walking height profile within a step (phase 0 and 1 = initial contacts), scaled so that its
 * fundamental is -cos(2 pi (ph - PH_C)) (amplitude 1, lowest just after the contact). Its second
 * derivative is a periodic Gaussian pulse of width PH_SIG centred PH_C after each contact minus
 * its mean: the vertical acceleration stays low (about -0.5 of the pulse scale) through single
 * support and rises steeply at the contact to a peak during double support, the step-to-step
 * transition in which the heel-strike collision and the push-off redirect the centre-of-mass
 * velocity (Kuo, Donelan & Ruina 2005; Zijlstra & Hof 2003). Six harmonics of exp(-(2 pi n
 * sigma)^2 / 2). Mean acceleration over a step is exactly 0. */
#define PH_C   0.10
#define PH_SIG 0.12
static double collision_height(double ph)
{
    const double s2 = (2.0 * PI * PH_SIG) * (2.0 * PI * PH_SIG);
    double z = 0.0;
    int n;
    for (n = 1; n <= 6; n++)
        z -= exp(-0.5 * s2 * (double)(n * n - 1)) / (double)(n * n) *
             cos(2.0 * PI * (double)n * (ph - PH_C));
    return z;
}

static void pelvis_pose(const bstep_sim *g, double t, trunk_pose *tp)
{
    size_t k = g->kn_n - 1;
    int i;
    while (k > 0 && g->kn[k].t_s > t)
        k--;
    if (k + 1 >= g->kn_n || t < g->kn[0].t_s) {
        const knot *a = &g->kn[k];
        for (i = 0; i < 3; i++)
            tp->p[i] = a->xyz[i];
        tp->p[2] -= a->amp_m;
        tp->yaw = a->yaw_rad;
        tp->pitch = a->pitch_deg * DEG;
        tp->osc_yaw = a->osc_yaw_deg * DEG;
        tp->roll = 0.0;
    } else {
        const knot *a = &g->kn[k], *b = &g->kn[k + 1];
        const double T = b->t_s - a->t_s, u = (t - a->t_s) / T;
        const double amp = a->amp_m + (b->amp_m - a->amp_m) * mj(u);
        /* step phase: 0 at knot a, 1 at knot b, its rate continuous across knots (the mean of
         * the neighbouring intervals' rates), so that the height below stays C2 when the step
         * time changes from step to step */
        const double ra = k > 0 ? 2.0 / (T + a->t_s - g->kn[k - 1].t_s) : 1.0 / T;
        const double rb = k + 2 < g->kn_n ? 2.0 / (T + g->kn[k + 2].t_s - b->t_s) : 1.0 / T;
        const double ph = herm5(0.0, ra, 0.0, 1.0, rb, 0.0, T, u);
        const double wcol = (double)a->collision + (double)(b->collision - a->collision) * mj(u);
        for (i = 0; i < 3; i++)
            tp->p[i] = herm5(a->xyz[i], a->vel[i], 0, b->xyz[i], b->vel[i], 0, T, u);
        tp->p[2] -= amp * ((1.0 - wcol) * cos(2.0 * PI * ph) - wcol * collision_height(ph));
        tp->yaw = herm5(a->yaw_rad, a->yaw_rate, 0, b->yaw_rad, b->yaw_rate, 0, T, u);
        tp->pitch = herm5(a->pitch_deg, 0, 0, b->pitch_deg, 0, 0, T, u) * DEG;
        /* pelvic rotation (peaks at contact) and obliquity (peaks mid-step), alternating */
        tp->osc_yaw = herm5(a->osc_yaw_deg, 0, 0, b->osc_yaw_deg, 0, 0, T, u) * DEG;
        tp->roll = herm5(0, a->roll_rate_dps, 0, 0, b->roll_rate_dps, 0, T, u) * DEG;
        /* small pitch oscillation at step frequency, in phase with the height */
        tp->pitch += 0.6 * DEG * (amp / 0.02) * cos(2.0 * PI * ph);
    }
    tp->twist = 0.0;
    for (i = 0; i < 8; i++) {
        const double tc = g->lb_t[i];
        if (tc > -NO_TIME)
            tp->twist += g->lb_deg[i] * DEG * bump((t - tc) / 2.4 + 0.5);
    }
}

/* Trunk impact offset: sum over both feet's last contacts. */
static void trunk_impact(const bstep_sim *g, double t, double off[3])
{
    int f, i;
    off[0] = off[1] = off[2] = 0.0;
    for (f = 0; f < 2; f++) {
        double o[3];
        const size_t k = stance_at(g, f, t);
        foot_impact(g, f, t, 15.0, g->trunk_impact_scale * g->st[f][k].trunk_jolt, o);
        for (i = 0; i < 3; i++)
            off[i] += o[i];
    }
}

/* ---- segment poses ----------------------------------------------------------------------- */

/* Sensor-point position and segment rotation of the configured site at time t. */
static void site_pose(const bstep_sim *g, double t, double p[3], double R[3][3], double *sole)
{
    const bstep_sim_site site = g->cfg.site;
    const int f = g->cfg.side == BSTEP_FOOT_LEFT ? 0 : 1;
    const double H = g->cfg.height_m, scale = H / 1.75;
    double off[3], r[3], q[3];
    int i;
    *sole = 0.0;
    if (site == BSTEP_SIM_AT_FOOT || site == BSTEP_SIM_AT_HEEL) {
        double heel[3], yaw, th, roll;
        foot_pose(g, f, t, heel, &yaw, &th, &roll);
        rot_zyx(yaw, -th, roll, R);
        if (site == BSTEP_SIM_AT_FOOT) {
            r[0] = 0.5 * g->foot_len_m;
            r[1] = 0.0;
            r[2] = 0.065 * scale;
        } else {
            r[0] = -0.015 * scale;
            r[1] = 0.0;
            r[2] = 0.05 * scale;
        }
        mat_vec(R, r, q);
        foot_impact(g, f, t, 30.0, 1.0, off);
        for (i = 0; i < 3; i++)
            p[i] = heel[i] + q[i] + off[i];
        *sole = th / DEG;
        return;
    }
    {
        trunk_pose tp;
        double Rt[3][3];
        pelvis_pose(g, t, &tp);
        trunk_impact(g, t, off);
        if (site == BSTEP_SIM_AT_LOWER_BACK || site == BSTEP_SIM_AT_CHEST) {
            const int chest = site == BSTEP_SIM_AT_CHEST;
            /* a look-back twists the chest fully and the pelvis by half (a twist to look behind
             * turns the pelvis too; no IMU study gives the share) */
            rot_zyx(tp.yaw + tp.twist * (chest ? 1.0 : 0.5) + tp.osc_yaw * (chest ? -0.6 : 1.0),
                    tp.pitch, tp.roll * (chest ? 0.5 : 1.0), R);
            r[0] = chest ? 0.11 * scale : -0.11 * scale;
            r[1] = 0.0;
            r[2] = chest ? 0.21 * H : 0.04 * scale;
            mat_vec(R, r, q);
            for (i = 0; i < 3; i++)
                p[i] = tp.p[i] + q[i] + off[i] * (chest ? 0.7 : 1.0);
            return;
        }
        rot_zyx(tp.yaw, 0.0, 0.0, Rt);
        {
            /* legs: hip from the pelvis, ankle from the foot */
            const double side_sign = f == 0 ? 1.0 : -1.0;
            const double thigh = 0.462 * g->leg_m, shank = 0.462 * g->leg_m;
            double hip[3], ankle[3], heel[3], yaw, th, roll, Rf[3][3], d[3], D, Dc, x1, e, fwd[3],
                knee[3], dn[3], fd, zax[3], xax[3], yax[3], n;
            const double rh[3] = {0.0, side_sign * 0.09 * scale, 0.0};
            const double ra[3] = {0.25 * g->foot_len_m, 0.0, 0.076 * g->leg_m};
            int use_contra = site == BSTEP_SIM_AT_HAND;
            const int leg = use_contra ? 1 - f : f;
            const double leg_sign = leg == 0 ? 1.0 : -1.0;
            const double rh2[3] = {0.0, leg_sign * 0.09 * scale, 0.0};
            (void)rh;
            mat_vec(Rt, rh2, q);
            for (i = 0; i < 3; i++)
                hip[i] = tp.p[i] + q[i];
            foot_pose(g, leg, t, heel, &yaw, &th, &roll);
            rot_zyx(yaw, -th, roll, Rf);
            mat_vec(Rf, ra, q);
            for (i = 0; i < 3; i++) {
                ankle[i] = heel[i] + q[i];
                d[i] = ankle[i] - hip[i];
            }
            D = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            Dc = D;
            if (D > 0.95 * (thigh + shank)) {
                /* soft limit: the knee never locks straight (C-infinity, approaches S) */
                const double S = thigh + shank;
                Dc = S - 0.05 * S * exp(-(D - 0.95 * S) / (0.05 * S));
            }
            for (i = 0; i < 3; i++)
                dn[i] = d[i] / D;
            fwd[0] = cos(tp.yaw);
            fwd[1] = sin(tp.yaw);
            fwd[2] = 0.0;
            fd = fwd[0] * dn[0] + fwd[1] * dn[1];
            for (i = 0; i < 3; i++)
                fwd[i] -= fd * dn[i];
            n = sqrt(fwd[0] * fwd[0] + fwd[1] * fwd[1] + fwd[2] * fwd[2]);
            for (i = 0; i < 3; i++)
                fwd[i] /= n;
            x1 = (thigh * thigh - shank * shank + Dc * Dc) / (2.0 * Dc);
            e = sqrt(fmax(thigh * thigh - x1 * x1, 0.0));
            if (site == BSTEP_SIM_AT_THIGH) {
                /* thigh = the hip-ankle line turned forward by the knee flexion's share */
                const double kf = knee_flexion(g, leg, t);
                const double beta = atan2(shank * sin(kf), thigh + shank * cos(kf));
                x1 = thigh * cos(beta);
                e = thigh * sin(beta);
            }
            for (i = 0; i < 3; i++)
                knee[i] = hip[i] + x1 * dn[i] + e * fwd[i];
            if (site == BSTEP_SIM_AT_HAND) {
                /* arm swings with the contralateral leg: angle of the hip->ankle line */
                const double hor = (d[0] * cos(tp.yaw) + d[1] * sin(tp.yaw));
                const double alpha = 0.6 * atan2(hor, -d[2]);
                const double rs[3] = {0.0, side_sign * 0.19 * scale, 0.30 * H};
                double sh[3], Ra[3][3];
                const double rhand[3] = {0.04 * scale, 0.0, -0.34 * H};
                rot_zyx(tp.yaw + 0.25 * tp.twist, tp.pitch, 0.0, Ra);
                mat_vec(Ra, rs, q);
                for (i = 0; i < 3; i++)
                    sh[i] = tp.p[i] + q[i];
                rot_zyx(tp.yaw + 0.25 * tp.twist, -alpha + tp.pitch, 0.0, R);
                mat_vec(R, rhand, q);
                for (i = 0; i < 3; i++)
                    p[i] = sh[i] + q[i] + 0.5 * off[i];
                return;
            }
            /* segment frame: z up along the segment, x toward the front */
            for (i = 0; i < 3; i++)
                zax[i] = site == BSTEP_SIM_AT_THIGH ? (hip[i] - knee[i]) : (knee[i] - ankle[i]);
            n = sqrt(zax[0] * zax[0] + zax[1] * zax[1] + zax[2] * zax[2]);
            for (i = 0; i < 3; i++)
                zax[i] /= n;
            xax[0] = cos(tp.yaw);
            xax[1] = sin(tp.yaw);
            xax[2] = 0.0;
            fd = xax[0] * zax[0] + xax[1] * zax[1];
            for (i = 0; i < 3; i++)
                xax[i] -= fd * zax[i];
            n = sqrt(xax[0] * xax[0] + xax[1] * xax[1] + xax[2] * xax[2]);
            for (i = 0; i < 3; i++)
                xax[i] /= n;
            yax[0] = zax[1] * xax[2] - zax[2] * xax[1];
            yax[1] = zax[2] * xax[0] - zax[0] * xax[2];
            yax[2] = zax[0] * xax[1] - zax[1] * xax[0];
            for (i = 0; i < 3; i++) {
                R[i][0] = xax[i];
                R[i][1] = yax[i];
                R[i][2] = zax[i];
            }
            if (site == BSTEP_SIM_AT_THIGH) {
                r[0] = 0.075 * scale;
                r[1] = 0.0;
                r[2] = -0.35 * thigh;
                mat_vec(R, r, q);
                for (i = 0; i < 3; i++)
                    p[i] = hip[i] + q[i] + 0.8 * off[i];
            } else {
                r[0] = 0.05 * scale;
                r[1] = 0.0;
                r[2] = -0.4 * shank;
                mat_vec(R, r, q);
                foot_impact(g, leg, t, 30.0, 0.4, off);
                for (i = 0; i < 3; i++)
                    p[i] = knee[i] + q[i] + off[i];
            }
        }
    }
}

/* ---- planner ----------------------------------------------------------------------------- */

static knot *add_knot(bstep_sim *g, double t)
{
    knot *k;
    if (g->kn_n == BSTEP_SIM_MAX_KNOTS) {
        memmove(&g->kn[0], &g->kn[1], (BSTEP_SIM_MAX_KNOTS - 1) * sizeof(knot));
        g->kn_n--;
    }
    k = &g->kn[g->kn_n];
    if (g->kn_n > 0)
        *k = g->kn[g->kn_n - 1];
    else
        memset(k, 0, sizeof(*k));
    g->kn_n++;
    k->t_s = t;
    k->vel[0] = k->vel[1] = k->vel[2] = 0.0;
    k->yaw_rate = 0.0;
    k->osc_yaw_deg = 0.0;
    k->roll_rate_dps = 0.0;
    k->fall = 0;
    k->collision = 0;
    if (t > g->plan_t_s)
        g->plan_t_s = t;
    return k;
}

static stance *add_stance(bstep_sim *g, int f)
{
    stance *s;
    if (g->st_n[f] == BSTEP_SIM_MAX_STANCES) {
        memmove(&g->st[f][0], &g->st[f][1], (BSTEP_SIM_MAX_STANCES - 1) * sizeof(stance));
        g->st_n[f]--;
    }
    s = &g->st[f][g->st_n[f]];
    memset(s, 0, sizeof(*s));
    g->st_n[f]++;
    s->fc_s = NO_TIME;
    s->t_rel_s = NO_TIME;
    s->trunk_jolt = 1.0;
    return s;
}

static double hs_scale(const bstep_sim *g)
{
    return g->cfg.height_m / 1.75;
}

static int is_gait(bstep_sim_kind k)
{
    return k == BSTEP_SIM_WALK || k == BSTEP_SIM_JOG || k == BSTEP_SIM_RUN;
}

/* Per-segment gait parameters. */
static void segment_params(bstep_sim *g, const bstep_sim_segment *S)
{
    const double v = S->speed_mps, hs = g->cfg.height_m / 1.75;
    double cad = S->cadence_spm;
    const int bw = S->direction == BSTEP_DIRECTION_BACKWARD;
    const int side = S->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT ||
                     S->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT;
    if (S->kind == BSTEP_SIM_WALK) {
        if (cad <= 0.0) {
            /* walk ratio (step length / cadence), m per step/min: forward 0.0064, backward
             * 0.0045 (same cadence, shorter steps), scaled with height */
            const double wr = (side ? 0.0040 : (bw ? 0.0045 : 0.0064)) * hs;
            cad = clampd(sqrt(60.0 * v / wr), 40.0, 135.0);
        }
        g->stance_frac = side ? 0.66 : clampd((bw ? 0.69 : 0.65) - 0.04 * (v - 1.0), 0.56, 0.78);
    } else {
        if (cad <= 0.0)
            cad = S->kind == BSTEP_SIM_JOG ? 160.0 : 172.0;
        g->stance_frac = S->kind == BSTEP_SIM_JOG ? 0.38 : 0.32;
    }
    g->step_time_s = 60.0 / cad;
    g->step_length_m = v * g->step_time_s;
}

static double strike_angle(const bstep_sim *g, const bstep_sim_segment *S, int fault, uint64_t *rng,
                           int *strike_out)
{
    bstep_strike st = S->strike;
    double a;
    const int bw = S->direction == BSTEP_DIRECTION_BACKWARD;
    const int side = S->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT ||
                     S->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT;
    (void)g;
    if (st == BSTEP_STRIKE_UNKNOWN)
        st = side ? BSTEP_STRIKE_FLAT
                  : (bw ? BSTEP_STRIKE_TOE
                        : (S->kind == BSTEP_SIM_WALK ? BSTEP_STRIKE_HEEL : BSTEP_STRIKE_HEEL));
    if (S->strike_angle_set && !fault)
        a = S->strike_angle_deg;
    else if (fault)
        a = 10.0;
    else if (st == BSTEP_STRIKE_TOE)
        a = S->kind == BSTEP_SIM_WALK ? -20.0 : -12.0;
    else if (st == BSTEP_STRIKE_HEEL)
        a = S->kind == BSTEP_SIM_WALK ? 18.0 + 4.0 * (S->speed_mps - 1.2) : 12.0;
    else
        a = 0.0;
    if (fault)
        st = BSTEP_STRIKE_HEEL;
    if (a != 0.0)
        a += 1.5 * bstep__sim_rng_gauss(rng);
    /* keep the class: strike classes use a 5 deg dead band */
    if (st == BSTEP_STRIKE_TOE && a > -6.0)
        a = -6.0;
    if (st == BSTEP_STRIKE_HEEL && a < 6.0)
        a = 6.0;
    if (st == BSTEP_STRIKE_FLAT)
        a = clampd(a, -2.0, 2.0);
    *strike_out = (int)st;
    return a;
}

static void emit_segment(bstep_sim *g, double end_s)
{
    g->seg_t1[g->seg_i] = end_s;
    g->seg_dist[g->seg_i] = g->seg_distance_m;
}

/* Truth direction of a stride from its geometry (algorithms.md section 7, as the analysis defines
 * it): a heading change over 60 deg is a turning stride; otherwise the displacement of the middle
 * of the foot (where a shoe sensor sits; the heel point swings round in a pivot) against the foot's
 * mean heading over the stride: shorter than 0.15 m in place, within 60 deg of the toes forward, of
 * the heel backward, otherwise sideways. So a transition stride (forward walk to side-steps) or a
 * closing step is labelled by what the foot did, not by the segment. */
static bstep_direction stride_direction(double dx, double dy, double yaw0, double yaw1)
{
    double dyaw = yaw1 - yaw0, m, fw, left, len;
    while (dyaw > PI)
        dyaw -= 2.0 * PI;
    while (dyaw < -PI)
        dyaw += 2.0 * PI;
    len = sqrt(dx * dx + dy * dy);
    if (fabs(dyaw) > 60.0 * DEG)
        return BSTEP_DIRECTION_TURN;
    if (len < 0.15)
        return BSTEP_DIRECTION_IN_PLACE;
    m = yaw0 + 0.5 * dyaw;
    fw = dx * cos(m) + dy * sin(m);
    left = -dx * sin(m) + dy * cos(m);
    if (fw > 0.5 * len)
        return BSTEP_DIRECTION_FORWARD;
    if (fw < -0.5 * len)
        return BSTEP_DIRECTION_BACKWARD;
    return left > 0.0 ? BSTEP_DIRECTION_SIDEWAYS_LEFT : BSTEP_DIRECTION_SIDEWAYS_RIGHT;
}

/* Plan one walking/running step of foot f. */
static void plan_step(bstep_sim *g, const bstep_sim_segment *S, int closing, int stumble_phase,
                      int fault)
{
    const int f = g->next_foot;
    const int bw = S->direction == BSTEP_DIRECTION_BACKWARD;
    const int run = S->kind != BSTEP_SIM_WALK;
    double dir_angle = 0.0, T, L, cyaw, syaw, dx, dy, t_ic, T_stride, T_swing, T_load, T_rel;
    stance *prev, *s;
    knot *k;
    double prev_xy[2];
    int strike;
    const double cv = (S->stride_cv_pct < 0.0 ? 2.0 : S->stride_cv_pct) / 100.0;
    if (S->direction == BSTEP_DIRECTION_BACKWARD)
        dir_angle = PI;
    else if (S->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT)
        dir_angle = 0.5 * PI;
    else if (S->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT)
        dir_angle = -0.5 * PI;
    T = g->step_time_s * (1.0 + cv * bstep__sim_rng_gauss(g->rng_gait));
    T *= f == 0 ? 1.0 + S->asymmetry_pct / 200.0 : 1.0 - S->asymmetry_pct / 200.0;
    L = g->step_length_m * (1.0 + 0.02 * bstep__sim_rng_gauss(g->rng_gait));
    if (g->seg_steps_done == 0 && !g->prev_was_gait)
        L *= 0.6; /* first step from standing */
    if (stumble_phase == 1) {
        T *= 1.25;
        L *= 0.7;
    } else if (stumble_phase == 2) {
        T *= 0.75;
        L *= 0.8;
    }
    if (closing)
        L = 0.0;
    T = clampd(T, 0.2, 2.5);
    t_ic = g->last_ic_s + T;
    T_stride = 2.0 * g->step_time_s;
    T_swing = (1.0 - g->stance_frac) * T_stride;
    if (closing)
        T_swing = fmin(T_swing, 0.8 * T);
    prev = &g->st[f][g->st_n[f] - 1];
    prev_xy[0] = prev->heel_xy[0];
    prev_xy[1] = prev->heel_xy[1];
    /* release of the previous stance of this foot */
    prev->fc_s = t_ic - T_swing;
    if (prev->fc_s < prev->t_flat_s + 0.02)
        prev->fc_s = prev->t_flat_s + 0.02;
    T_rel = (bw ? 0.13 : (run ? 0.12 : 0.17)) * T_stride;
    if (!bw && !run && T_rel > 0.165)
        T_rel = 0.165; /* push-off lasts about as long at any walking speed */
    if (prev->fc_s - T_rel < prev->t_flat_s)
        T_rel = prev->fc_s - prev->t_flat_s;
    prev->t_rel_s = prev->fc_s - T_rel;
    if (S->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT ||
        S->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT || closing)
        prev->off_angle_deg = closing ? (bw ? 8.0 : -15.0) : 0.0;
    else if (bw)
        prev->off_angle_deg = run ? 30.0 : 24.0 + 6.0 * S->speed_mps;
    else
        prev->off_angle_deg = run ? -75.0 : -(45.0 + 10.0 * (S->speed_mps - 1.0));
    /* Side-steps roll the foot about its long axis (sangenis side-stepping: +-30..40 deg per
     * stride, 150-950 deg/s): it leaves by rolling about the trailing edge, the edge toward the
     * travel direction rising, and lands on that edge (docs/simulation.md 1.2). */
    if (!closing && (S->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT ||
                     S->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT))
        prev->off_roll_deg = S->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT ? 30.0 : -30.0;
    T_swing = t_ic - prev->fc_s;

    /* the path and the new foot placement */
    cyaw = cos(g->heading_rad + dir_angle);
    syaw = sin(g->heading_rad + dir_angle);
    g->path_xy[0] += L * cyaw;
    g->path_xy[1] += L * syaw;
    g->seg_distance_m += L;
    s = add_stance(g, f);
    s->ic_s = t_ic;
    s->yaw_rad = g->heading_rad;
    {
        const double ch = cos(g->heading_rad), sh = sin(g->heading_rad);
        const double lat = (f == 0 ? 0.5 : -0.5) * g->stance_width_m;
        s->heel_xy[0] = g->path_xy[0] - sh * lat - 0.5 * g->foot_len_m * ch;
        s->heel_xy[1] = g->path_xy[1] + ch * lat - 0.5 * g->foot_len_m * sh;
    }
    s->ic_angle_deg = strike_angle(g, S, fault, g->rng_gait, &strike);
    if (!closing && S->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT)
        s->ic_roll_deg = -6.0;
    else if (!closing && S->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT)
        s->ic_roll_deg = 6.0;
    else if (!closing && S->direction == BSTEP_DIRECTION_FORWARD && strike == BSTEP_STRIKE_HEEL)
        /* a heel-first forward landing is slightly supinated (lateral edge down) and everts to
         * flat through the loading response (Perry & Burnfield, Gait Analysis); left = +y */
        s->ic_roll_deg = f == 0 ? -4.0 : 4.0;
    s->strike = strike;
    T_load = (bw ? 0.06 : 0.08) * T_stride;
    if (run)
        T_load = 0.05 * T_stride;
    s->t_flat_s = t_ic + T_load;
    s->stumble = stumble_phase == 1;
    s->clearance_m = (run ? 0.10 : 0.045) * g->cfg.height_m / 1.75;
    if (closing)
        s->clearance_m *= 0.5;
    s->trip_m = stumble_phase == 1 ? 0.07 : 0.0;
    {
        /* impact size (peak, m/s^2) at the foot; the trunk sees trunk_impact_scale of it */
        double imp;
        if (strike == BSTEP_STRIKE_TOE)
            imp = 20.0 + 40.0 * S->speed_mps;
        else if (strike == BSTEP_STRIKE_HEEL)
            imp = 10.0 + 48.0 * S->speed_mps;
        else
            imp = 30.0 + 35.0 * S->speed_mps;
        if (stumble_phase == 1)
            imp *= 2.5;
        else if (stumble_phase == 2)
            imp *= 1.8;
        s->impact_mps2 = imp;
        /* A trip jolts the whole trunk (the hurried landing and recovery step brake the body):
         * real near falls at the waist (SisFall D18) give vertical-jerk peaks 3-11 x the
         * walking steps' (median ~5.5, measured by backstep's stumble detector); the foot
         * impact share alone gave ~2.2, so the trunk's share of these two landings is scaled
         * up (2.5 and 1.8, as the foot impacts: the simulated ratio is then ~5). */
        s->trunk_jolt = stumble_phase == 1 ? TRIP_JOLT : (stumble_phase == 2 ? RECOVERY_JOLT : 1.0);
    }
    dx = s->heel_xy[0] - prev_xy[0];
    dy = s->heel_xy[1] - prev_xy[1];
    s->stride_length_m = sqrt(dx * dx + dy * dy);
    s->direction =
        (int)stride_direction(dx + 0.5 * g->foot_len_m * (cos(s->yaw_rad) - cos(prev->yaw_rad)),
                              dy + 0.5 * g->foot_len_m * (sin(s->yaw_rad) - sin(prev->yaw_rad)),
                              prev->yaw_rad, s->yaw_rad);
    (void)T_swing;

    /* pelvis knot */
    {
        const double v_mean = L / T;
        const double kfl = run ? -0.08 : 0.12;
        double v_knot = (1.0 + kfl) * v_mean, amp;
        const double t_k = run ? t_ic + 0.5 * g->stance_frac * T_stride : t_ic;
        const double ch = cos(g->heading_rad), sh = sin(g->heading_rad);
        double lat_v;
        if (closing)
            v_knot = 0.3 * g->step_length_m / g->step_time_s;
        if (stumble_phase == 1)
            v_knot *= 0.4;
        k = add_knot(g, t_k);
        k->xyz[0] = g->path_xy[0] - (closing ? 0.1 * g->step_length_m : 0.5 * L) * cyaw;
        k->xyz[1] = g->path_xy[1] - (closing ? 0.1 * g->step_length_m : 0.5 * L) * syaw;
        if (run) {
            k->xyz[0] = g->path_xy[0];
            k->xyz[1] = g->path_xy[1];
        }
        k->xyz[2] = g->z0_m;
        k->vel[0] = v_knot * cyaw;
        k->vel[1] = v_knot * syaw;
        lat_v = (f == 0 ? 1.0 : -1.0) * 0.02 * hs_scale(g) / (0.3125 * T);
        k->vel[0] += -sh * lat_v;
        k->vel[1] += ch * lat_v;
        k->yaw_rad = g->heading_rad;
        /* pelvic rotation: the side of the leading foot forward at its contact */
        k->osc_yaw_deg = closing ? 0.0 : (f == 0 ? -1.0 : 1.0) * (run ? 6.0 : 4.0);
        k->roll_rate_dps = closing ? 0.0 : (f == 0 ? -1.0 : 1.0) * 3.0 / (0.3125 * T);
        if (run)
            amp = 0.035;
        else {
            const double l = g->leg_m, half = 0.5 * L;
            /* pendulum drop plus a floor: real trunks keep about 1 cm of vertical excursion
             * (>= 2 m/s^2 peak-to-peak acceleration) even at 0.4-0.6 m/s (mobgap, measured with
             * tools/trunk_profile.py) */
            amp = 0.005 * hs_scale(g) + 0.5 * 0.6 * (l - sqrt(fmax(l * l - half * half, 0.0)));
        }
        k->amp_m = closing ? 0.3 * amp : amp;
        k->collision = !run;
        k->pitch_deg = S->lean_deg + (stumble_phase == 1 ? 12.0 : 0.0);
    }
    g->last_ic_s = t_ic;
    g->next_foot = 1 - f;
}

/* Settle: a knot with zero velocity after a closing step. */
static void plan_settle(bstep_sim *g)
{
    knot *k = add_knot(g, g->last_ic_s + 0.6);
    k->xyz[0] = g->path_xy[0];
    k->xyz[1] = g->path_xy[1];
    k->xyz[2] = g->z0_m;
    k->amp_m = 0.0;
    g->last_ic_s = k->t_s;
}

static void plan_turn_step(bstep_sim *g, double dyaw, double T)
{
    const int f = g->next_foot;
    stance *prev = &g->st[f][g->st_n[f] - 1], *s;
    const double t_ic = g->last_ic_s + T;
    double prev_xy[2], dx, dy;
    knot *k;
    prev_xy[0] = prev->heel_xy[0];
    prev_xy[1] = prev->heel_xy[1];
    prev->fc_s = t_ic - 0.6 * T;
    if (prev->fc_s < prev->t_flat_s + 0.02)
        prev->fc_s = prev->t_flat_s + 0.02;
    prev->t_rel_s = fmax(prev->fc_s - 0.12, prev->t_flat_s);
    prev->off_angle_deg = -8.0;
    g->heading_rad += dyaw;
    s = add_stance(g, f);
    s->ic_s = t_ic;
    s->yaw_rad = g->heading_rad;
    {
        const double ch = cos(g->heading_rad), sh = sin(g->heading_rad);
        const double lat = (f == 0 ? 0.5 : -0.5) * g->stance_width_m;
        s->heel_xy[0] = g->path_xy[0] - sh * lat - 0.5 * g->foot_len_m * ch;
        s->heel_xy[1] = g->path_xy[1] + ch * lat - 0.5 * g->foot_len_m * sh;
    }
    s->ic_angle_deg = 0.0;
    s->strike = BSTEP_STRIKE_FLAT;
    s->t_flat_s = t_ic + 0.05;
    s->direction = (int)BSTEP_DIRECTION_IN_PLACE;
    s->clearance_m = 0.03;
    s->impact_mps2 = 12.0;
    dx = s->heel_xy[0] - prev_xy[0];
    dy = s->heel_xy[1] - prev_xy[1];
    s->stride_length_m = sqrt(dx * dx + dy * dy);
    s->direction =
        (int)stride_direction(dx + 0.5 * g->foot_len_m * (cos(s->yaw_rad) - cos(prev->yaw_rad)),
                              dy + 0.5 * g->foot_len_m * (sin(s->yaw_rad) - sin(prev->yaw_rad)),
                              prev->yaw_rad, s->yaw_rad);
    k = add_knot(g, t_ic);
    k->xyz[0] = g->path_xy[0];
    k->xyz[1] = g->path_xy[1];
    k->xyz[2] = g->z0_m;
    k->amp_m = 0.004;
    k->yaw_rad = g->heading_rad - 0.5 * dyaw;
    g->last_ic_s = t_ic;
    g->next_foot = 1 - f;
}

static void plan_fall(bstep_sim *g, const bstep_sim_segment *S)
{
    const double sign = S->direction == BSTEP_DIRECTION_FORWARD ? 1.0 : -1.0;
    const double t0 = g->plan_t_s;
    knot *k;
    double ch = cos(g->heading_rad), sh = sin(g->heading_rad);
    /* loss of balance: 0.25 s of drift, then 0.7 s of fall */
    k = add_knot(g, t0 + 0.25);
    k->pitch_deg = S->lean_deg + sign * 8.0;
    k->vel[0] = sign * 0.3 * ch;
    k->vel[1] = sign * 0.3 * sh;
    k = add_knot(g, t0 + 0.95);
    k->xyz[0] += sign * 0.45 * ch;
    k->xyz[1] += sign * 0.45 * sh;
    k->xyz[2] = 0.14 * g->cfg.height_m / 1.75;
    k->vel[0] = sign * 0.6 * ch;
    k->vel[1] = sign * 0.6 * sh;
    k->vel[2] = -2.6;
    k->pitch_deg = sign * 80.0;
    k->amp_m = 0.0;
    g->fall_impact_s = t0 + 0.95;
    /* impact: stop within 60 ms */
    k = add_knot(g, t0 + 1.01);
    k->xyz[0] += sign * 0.03 * ch;
    k->xyz[1] += sign * 0.03 * sh;
    k->xyz[2] -= 0.06;
    k->pitch_deg = sign * 88.0;
    k = add_knot(g, t0 + 1.01 + fmax(S->duration_s, 0.5));
    g->last_ic_s = k->t_s;
    /* the feet stay where they are */
}

/* Start the current segment: parameters, fault and stumble positions, look-back times. */
static void start_segment(bstep_sim *g)
{
    const bstep_sim_segment *S = &g->sc.seg[g->seg_i];
    g->seg_started = 1;
    g->seg_steps_done = 0;
    g->seg_distance_m = 0.0;
    g->seg_t0[g->seg_i] = g->plan_t_s;
    g->last_ic_s = g->plan_t_s;
    if (is_gait(S->kind)) {
        segment_params(g, S);
        g->seg_steps_total =
            S->steps > 0 ? S->steps : (int)floor(S->duration_s / g->step_time_s + 0.5);
        if (g->seg_steps_total < 2)
            g->seg_steps_total = 2;
    }
}

static void end_segment(bstep_sim *g)
{
    emit_segment(g, g->plan_t_s);
    g->prev_was_gait = is_gait(g->sc.seg[g->seg_i].kind);
    g->seg_i++;
    g->seg_started = 0;
}

/* Which step index of n gets the j-th of m spread events. */
static int spread_hit(int i, int n, int m, int margin)
{
    int j;
    if (m <= 0 || n - 2 * margin <= 0)
        return 0;
    for (j = 0; j < m; j++) {
        const int at = margin + (int)((j + 0.5) * (n - 2 * margin) / m);
        if (at == i)
            return 1;
    }
    return 0;
}

static void plan_one(bstep_sim *g)
{
    const bstep_sim_segment *S;
    if (g->seg_i >= g->sc.n) {
        g->plan_done = 1;
        g->end_s = g->plan_t_s;
        return;
    }
    S = &g->sc.seg[g->seg_i];
    if (!g->seg_started)
        start_segment(g);
    switch (S->kind) {
    case BSTEP_SIM_STAND: {
        knot *k = add_knot(g, g->plan_t_s + S->duration_s);
        k->amp_m = 0.0;
        k->pitch_deg = S->lean_deg;
        g->last_ic_s = k->t_s;
        end_segment(g);
        break;
    }
    case BSTEP_SIM_WALK:
    case BSTEP_SIM_JOG:
    case BSTEP_SIM_RUN: {
        const int i = g->seg_steps_done, n = g->seg_steps_total;
        if (i < n) {
            int phase = 0;
            if (spread_hit(i, n, S->stumbles, 2))
                phase = 1;
            else if (i > 0 && spread_hit(i - 1, n, S->stumbles, 2))
                phase = 2;
            plan_step(g, S, 0, phase, spread_hit(i, n, S->heel_faults, 1));
            if (spread_hit(i, n, S->look_backs, 1)) {
                /* a trunk twist centred on this contact, alternately to the left and right */
                const int slot = (int)(g->lb_next % 8);
                g->lb_t[slot] = g->last_ic_s;
                /* a look over the shoulder turns the shoulders about 60 deg (the head does the
                 * rest of the way behind) */
                g->lb_deg[slot] = (g->lb_next % 2 == 0 ? 1.0 : -1.0) * 60.0;
                g->lb_emitted[slot] = 0;
                g->lb_next++;
            }
            g->seg_steps_done++;
        } else {
            const int next_gait = g->seg_i + 1 < g->sc.n && is_gait(g->sc.seg[g->seg_i + 1].kind);
            if (!next_gait) {
                plan_step(g, S, 1, 0, 0);
                plan_settle(g);
            }
            end_segment(g);
        }
        break;
    }
    case BSTEP_SIM_TURN: {
        const int n =
            (int)ceil(fabs(S->turn_deg) / 45.0) < 2 ? 2 : (int)ceil(fabs(S->turn_deg) / 45.0);
        const double T = S->duration_s > 0.0 ? S->duration_s / n : 0.6;
        if (g->seg_steps_done < n) {
            plan_turn_step(g, S->turn_deg * DEG / n, T);
            g->seg_steps_done++;
        } else {
            knot *k = add_knot(g, g->last_ic_s + 0.4);
            k->yaw_rad = g->heading_rad;
            k->amp_m = 0.0;
            g->last_ic_s = k->t_s;
            end_segment(g);
        }
        break;
    }
    case BSTEP_SIM_FALL:
        plan_fall(g, S);
        end_segment(g);
        break;
    }
}

/* ---- init -------------------------------------------------------------------------------- */

static int finite_in(double x, double lo, double hi)
{
    return isfinite(x) && x >= lo && x <= hi;
}

static int check_segment(const bstep_sim_segment *s)
{
    switch (s->kind) {
    case BSTEP_SIM_STAND:
        return finite_in(s->duration_s, 0.01, 86400.0);
    case BSTEP_SIM_FALL:
        return finite_in(s->duration_s, 0.0, 86400.0) && (s->direction == BSTEP_DIRECTION_FORWARD ||
                                                          s->direction == BSTEP_DIRECTION_BACKWARD);
    case BSTEP_SIM_TURN:
        return finite_in(fabs(s->turn_deg), 1.0, 1080.0) && finite_in(s->duration_s, 0.0, 60.0);
    case BSTEP_SIM_WALK:
    case BSTEP_SIM_JOG:
    case BSTEP_SIM_RUN:
        if (!(s->direction == BSTEP_DIRECTION_FORWARD || s->direction == BSTEP_DIRECTION_BACKWARD ||
              s->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT ||
              s->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT))
            return 0;
        if (!finite_in(s->speed_mps, 0.05, 8.0) || !finite_in(s->cadence_spm, 0.0, 240.0))
            return 0;
        if (s->cadence_spm > 0.0 && s->cadence_spm < 30.0)
            return 0;
        if (s->steps < 0 || s->steps > 100000 ||
            (s->steps == 0 && !finite_in(s->duration_s, 0.5, 86400.0)))
            return 0;
        if (s->strike_angle_set && !finite_in(s->strike_angle_deg, -45.0, 45.0))
            return 0;
        if (s->heel_faults < 0 || s->stumbles < 0 || s->look_backs < 0)
            return 0;
        if (!finite_in(s->lean_deg, -30.0, 60.0) || !finite_in(s->stride_cv_pct, -1.0, 20.0) ||
            !finite_in(s->asymmetry_pct, -40.0, 40.0))
            return 0;
        return 1;
    }
    return 0;
}

static int check_noise(const bstep_sim_noise *n)
{
    return finite_in(n->accel_noise_mps2, 0, 50) && finite_in(n->gyro_noise_dps, 0, 500) &&
           finite_in(n->accel_bias_mps2, 0, 50) && finite_in(n->gyro_bias_dps, 0, 500) &&
           finite_in(n->accel_drift_mps2_rs, 0, 10) && finite_in(n->gyro_drift_dps_rs, 0, 100) &&
           finite_in(n->scale_error_pct, 0, 50) && finite_in(n->accel_range_mps2, 0, 10000) &&
           (n->accel_range_mps2 == 0 || n->accel_range_mps2 >= 9.0) &&
           finite_in(n->gyro_range_dps, 0, 100000) &&
           (n->gyro_range_dps == 0 || n->gyro_range_dps >= 10.0) &&
           finite_in(n->jitter_pct, 0, 30) && finite_in(n->packet_loss_pct, 0, 50) &&
           n->packet_loss_max_burst >= 1 && n->packet_loss_max_burst <= 10000 &&
           finite_in(n->accel_resolution_mps2, 0, 10) && finite_in(n->gyro_resolution_dps, 0, 100);
}

static int check_mounting(const double m[3][3])
{
    int i, j;
    double det;
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            const double d = m[i][0] * m[j][0] + m[i][1] * m[j][1] + m[i][2] * m[j][2];
            if (!isfinite(d) || fabs(d - (i == j ? 1.0 : 0.0)) > 1e-6)
                return 0;
        }
    det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
          m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
          m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    return det > 0.5;
}

int bstep_sim_init(bstep_sim *g, const bstep_sim_settings *cfg, const bstep_sim_scenario *sc)
{
    size_t i;
    stance *s;
    knot *k;
    int f, a;
    if (g == NULL || cfg == NULL || sc == NULL)
        return BSTEP_EINVAL;
    if (!finite_in(cfg->height_m, 1.0, 2.3) || !finite_in(cfg->mass_kg, 20.0, 250.0) ||
        !finite_in(cfg->sample_rate_hz, 10.0, 4000.0) || !finite_in(cfg->t0_s, 0.0, 1e9) ||
        !(cfg->leg_length_m == 0.0 ||
          finite_in(cfg->leg_length_m, 0.35 * cfg->height_m, 0.65 * cfg->height_m)))
        return BSTEP_EINVAL;
    if ((int)cfg->site < (int)BSTEP_SIM_AT_FOOT || (int)cfg->site > (int)BSTEP_SIM_AT_HAND)
        return BSTEP_EINVAL;
    if (cfg->side != BSTEP_FOOT_LEFT && cfg->side != BSTEP_FOOT_RIGHT)
        return BSTEP_EINVAL;
    if (!check_mounting(cfg->mounting) || !check_noise(&cfg->noise))
        return BSTEP_EINVAL;
    if (sc->n == 0 || sc->n > BSTEP_SIM_MAX_SEGMENTS)
        return BSTEP_EINVAL;
    for (i = 0; i < sc->n; i++)
        if (!check_segment(&sc->seg[i]))
            return BSTEP_EINVAL;
    memset(g, 0, sizeof(*g));
    g->cfg = *cfg;
    g->sc = *sc;
    bstep__sim_rng_seed(g->rng_gait, cfg->seed ^ 0x6761697400000000ull);
    bstep__sim_rng_seed(g->rng_sensor, cfg->seed ^ 0x73656e736f720000ull);
    bstep__sim_rng_seed(g->rng_loss, cfg->seed ^ 0x6c6f737300000000ull);
    g->leg_m = cfg->leg_length_m > 0.0 ? cfg->leg_length_m : 0.53 * cfg->height_m;
    g->foot_len_m = 0.152 * cfg->height_m * 0.85; /* heel to the ball/toe contact point */
    g->stance_width_m = 0.10 * cfg->height_m / 1.75 + 0.05;
    g->z0_m = 0.93 * g->leg_m;
    g->period_s = 1.0 / cfg->sample_rate_hz;
    g->trunk_impact_scale = 0.05; /* real lower-back spike ~2-3 m/s^2 above the transition pulse */
    g->fall_impact_s = -NO_TIME;
    for (a = 0; a < 8; a++)
        g->lb_t[a] = -NO_TIME;
    for (f = 0; f < 2; f++) {
        s = add_stance(g, f);
        s->ic_s = -NO_TIME;
        s->t_flat_s = -NO_TIME;
        s->heel_xy[0] = -0.5 * g->foot_len_m;
        s->heel_xy[1] = (f == 0 ? 0.5 : -0.5) * g->stance_width_m;
    }
    g->plan_t_s = cfg->t0_s;
    k = add_knot(g, cfg->t0_s);
    k->xyz[2] = g->z0_m;
    k->pitch_deg = sc->seg[0].lean_deg;
    g->next_foot = cfg->side == BSTEP_FOOT_LEFT ? 0 : 1;
    for (a = 0; a < 3; a++) {
        const bstep_sim_noise *n = &cfg->noise;
        g->acc_bias[a] = n->accel_bias_mps2 * (2.0 * bstep__sim_rng_unit(g->rng_sensor) - 1.0);
        g->gyr_bias[a] = n->gyro_bias_dps * (2.0 * bstep__sim_rng_unit(g->rng_sensor) - 1.0);
        g->acc_scale[a] =
            1.0 + n->scale_error_pct / 100.0 * (2.0 * bstep__sim_rng_unit(g->rng_sensor) - 1.0);
        g->gyr_scale[a] =
            1.0 + n->scale_error_pct / 100.0 * (2.0 * bstep__sim_rng_unit(g->rng_sensor) - 1.0);
    }
    for (i = 0; i < BSTEP_SIM_MAX_SEGMENTS; i++)
        g->seg_t1[i] = NO_TIME;
    return BSTEP_OK;
}

/* ---- events due ------------------------------------------------------------------------- */

static void emit_due(bstep_sim *g, double t, int final)
{
    int f;
    size_t i;
    bstep_sim_event ev;
    for (f = 0; f < 2; f++)
        for (i = 0; i < g->st_n[f]; i++) {
            stance *s = &g->st[f][i];
            if (s->emitted || s->direction == 0)
                continue;
            if (s->fc_s <= t || (final && s->ic_s <= t)) {
                memset(&ev, 0, sizeof(ev));
                ev.type = BSTEP_SIM_EV_STEP;
                ev.t_s = s->ic_s;
                ev.ic_s = s->ic_s;
                ev.fc_s = s->fc_s <= t ? s->fc_s : -1.0;
                ev.foot = f == 0 ? BSTEP_FOOT_LEFT : BSTEP_FOOT_RIGHT;
                ev.direction = (bstep_direction)s->direction;
                ev.strike = (bstep_strike)s->strike;
                ev.strike_angle_deg = s->ic_angle_deg;
                ev.stride_length_m = s->stride_length_m;
                ev.position_m[0] = s->heel_xy[0];
                ev.position_m[1] = s->heel_xy[1];
                ev.stumble = s->stumble;
                push_event(g, &ev);
                s->emitted = 1;
                if (s->stumble) {
                    const stance *p = i > 0 ? &g->st[f][i - 1] : NULL;
                    memset(&ev, 0, sizeof(ev));
                    ev.type = BSTEP_SIM_EV_STUMBLE;
                    ev.t_s = p ? p->fc_s + 0.55 * (s->ic_s - p->fc_s) : s->ic_s;
                    ev.foot = f == 0 ? BSTEP_FOOT_LEFT : BSTEP_FOOT_RIGHT;
                    push_event(g, &ev);
                }
            }
        }
    for (i = 0; i < 8; i++)
        if (g->lb_t[i] > -NO_TIME && !g->lb_emitted[i] && g->lb_t[i] <= t) {
            memset(&ev, 0, sizeof(ev));
            ev.type = BSTEP_SIM_EV_LOOK_BACK;
            ev.t_s = g->lb_t[i];
            push_event(g, &ev);
            g->lb_emitted[i] = 1;
        }
    if (g->fall_impact_s > -NO_TIME && g->fall_impact_s <= t) {
        memset(&ev, 0, sizeof(ev));
        ev.type = BSTEP_SIM_EV_FALL_IMPACT;
        ev.t_s = g->fall_impact_s;
        push_event(g, &ev);
        g->fall_impact_s = -NO_TIME;
    }
    for (i = 0; i < g->sc.n; i++)
        if (!g->seg_emitted[i] && (g->seg_t1[i] <= t || (final && g->seg_t1[i] < NO_TIME))) {
            memset(&ev, 0, sizeof(ev));
            ev.type = BSTEP_SIM_EV_SEGMENT;
            ev.t_s = g->seg_t0[i];
            ev.end_s = g->seg_t1[i];
            ev.kind = g->sc.seg[i].kind;
            ev.direction = g->sc.seg[i].direction;
            ev.distance_m = g->seg_dist[i];
            ev.segment_index = i;
            push_event(g, &ev);
            g->seg_emitted[i] = 1;
        }
}

/* ---- sample generation ------------------------------------------------------------------- */

static void compute_truth(bstep_sim *g, double t)
{
    double P[5][3], R[5][3][3], sole = 0.0, dummy, a[3], v[3], Rd[3][3], W[3][3], w[3], fs[3],
                                fsens[3], wsens[3];
    const double h = FD_H_S, c[5] = {1.0, -8.0, 0.0, 8.0, -1.0},
                 c2[5] = {-1.0, 16.0, -30.0, 16.0, -1.0};
    double(*M)[3] = g->cfg.mounting;
    int j, i, m, n;
    for (j = 0; j < 5; j++)
        site_pose(g, t + (j - 2) * h, P[j], R[j], j == 2 ? &sole : &dummy);
    for (i = 0; i < 3; i++) {
        v[i] = a[i] = 0.0;
        for (j = 0; j < 5; j++) {
            v[i] += c[j] * P[j][i];
            a[i] += c2[j] * P[j][i];
        }
        v[i] /= 12.0 * h;
        a[i] /= 12.0 * h * h;
    }
    for (m = 0; m < 3; m++)
        for (n = 0; n < 3; n++) {
            Rd[m][n] = 0.0;
            for (j = 0; j < 5; j++)
                Rd[m][n] += c[j] * R[j][m][n];
            Rd[m][n] /= 12.0 * h;
        }
    for (m = 0; m < 3; m++)
        for (n = 0; n < 3; n++)
            W[m][n] = R[2][0][m] * Rd[0][n] + R[2][1][m] * Rd[1][n] + R[2][2][m] * Rd[2][n];
    w[0] = 0.5 * (W[2][1] - W[1][2]);
    w[1] = 0.5 * (W[0][2] - W[2][0]);
    w[2] = 0.5 * (W[1][0] - W[0][1]);
    {
        const double ag[3] = {a[0], a[1], a[2] + GRAV};
        mat_t_vec(R[2], ag, fs);
    }
    mat_vec(M, fs, fsens);
    mat_vec(M, w, wsens);
    g->truth.t_s = t;
    for (i = 0; i < 3; i++) {
        g->truth.position_m[i] = P[2][i];
        g->truth.velocity_mps[i] = v[i];
        g->truth.accel_world_mps2[i] = a[i];
        g->truth.accel_mps2[i] = fsens[i];
        g->truth.gyro_dps[i] = wsens[i] / DEG;
    }
    /* sensor-to-world = R * M^T */
    for (m = 0; m < 3; m++)
        for (n = 0; n < 3; n++)
            g->truth.rot[m][n] = R[2][m][0] * M[n][0] + R[2][m][1] * M[n][1] + R[2][m][2] * M[n][2];
    g->truth.sole_angle_deg = sole;
}

static float sensor_value(double x, double range, double res, int *clipped)
{
    if (res > 0.0)
        x = floor(x / res + 0.5) * res;
    if (range > 0.0 && fabs(x) >= range) {
        x = x > 0.0 ? range : -range;
        *clipped = 1;
    }
    return (float)x;
}

int bstep_sim_next(bstep_sim *g, bstep_imu_sample *out)
{
    const bstep_sim_noise *nz;
    for (;;) {
        double t, jit = 0.0;
        int dropped = 0, i, clipped = 0;
        if (g == NULL || out == NULL || g->finished)
            return 0;
        nz = &g->cfg.noise;
        t = g->cfg.t0_s + (double)g->sample_i * g->period_s;
        if (nz->jitter_pct > 0.0) {
            jit = clampd(nz->jitter_pct / 100.0 * bstep__sim_rng_gauss(g->rng_loss), -0.45, 0.45);
            t += jit * g->period_s;
        }
        while (!g->plan_done && g->plan_t_s < t + LOOKAHEAD_S)
            plan_one(g);
        if (g->plan_done && g->sample_i > 0 && t > g->end_s) {
            g->finished = 1;
            emit_due(g, t, 1);
            return 0;
        }
        g->sample_i++;
        /* packet loss: bursts from their own random stream */
        if (g->drop_left > 0) {
            g->drop_left--;
            dropped = 1;
        } else if (nz->packet_loss_pct > 0.0 && g->sample_i > 1 &&
                   bstep__sim_rng_unit(g->rng_loss) < nz->packet_loss_pct / 100.0) {
            bstep_sim_event ev;
            const uint32_t burst = 1u + (uint32_t)(bstep__sim_rng_u64(g->rng_loss) %
                                                   (uint64_t)nz->packet_loss_max_burst);
            memset(&ev, 0, sizeof(ev));
            ev.type = BSTEP_SIM_EV_DROPPED;
            ev.t_s = t;
            ev.count = burst;
            push_event(g, &ev);
            g->drop_left = burst - 1;
            dropped = 1;
        }
        compute_truth(g, t);
        emit_due(g, t, 0);
        {
            const double dt = g->period_s;
            double acc[3], gyr[3];
            for (i = 0; i < 3; i++) {
                if (nz->accel_drift_mps2_rs > 0.0)
                    g->acc_bias[i] +=
                        nz->accel_drift_mps2_rs * sqrt(dt) * bstep__sim_rng_gauss(g->rng_sensor);
                if (nz->gyro_drift_dps_rs > 0.0)
                    g->gyr_bias[i] +=
                        nz->gyro_drift_dps_rs * sqrt(dt) * bstep__sim_rng_gauss(g->rng_sensor);
                acc[i] = g->truth.accel_mps2[i] * g->acc_scale[i] + g->acc_bias[i];
                gyr[i] = g->truth.gyro_dps[i] * g->gyr_scale[i] + g->gyr_bias[i];
                if (nz->accel_noise_mps2 > 0.0)
                    acc[i] += nz->accel_noise_mps2 * bstep__sim_rng_gauss(g->rng_sensor);
                if (nz->gyro_noise_dps > 0.0)
                    gyr[i] += nz->gyro_noise_dps * bstep__sim_rng_gauss(g->rng_sensor);
            }
            if (dropped) {
                g->gap_pending = 1;
                continue;
            }
            out->t_us = (bstep_time_us)floor(t * 1e6 + 0.5);
            for (i = 0; i < 3; i++) {
                out->accel_mps2[i] =
                    sensor_value(acc[i], nz->accel_range_mps2, nz->accel_resolution_mps2, &clipped);
                out->gyro_dps[i] =
                    sensor_value(gyr[i], nz->gyro_range_dps, nz->gyro_resolution_dps, &clipped);
            }
            out->flags = BSTEP_SAMPLE_HAS_GYRO;
            if (clipped)
                out->flags |= BSTEP_SAMPLE_CLIPPED;
            if (g->gap_pending)
                out->flags |= BSTEP_SAMPLE_GAP_BEFORE;
            g->gap_pending = 0;
            return 1;
        }
    }
}

size_t bstep_sim_next_block(bstep_sim *g, bstep_imu_sample *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap && bstep_sim_next(g, &buf[n]))
        n++;
    return n;
}

void bstep_sim_get_truth(const bstep_sim *g, bstep_sim_truth_state *st)
{
    if (g != NULL && st != NULL)
        *st = g->truth;
}
