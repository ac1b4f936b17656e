/*
 * Scenario text parser and small helpers of the simulator (names, mounting matrices).
 *
 * A scenario is one segment per line; words are separated by blanks; '#' starts a comment:
 *   stand 10s
 *   walk forward 10 strides speed=1.3
 *   turn 180
 *   walk backward 75s speed=0.7 strike=toe angle=-12 heel-faults=3 stumbles=1 lean=5
 *   stumble            (adds one stumble to the previous walking segment)
 *   look-back          (adds one look-back to the previous walking segment)
 *   jog backward 20s speed=1.8 | run forward 30 steps speed=3.5 | fall backward 5s
 * Numbers are parsed here (digits, one '.', optional sign and exponent), independent of the
 * C library's locale, because the core does not use stdlib.
 */
#include <math.h>
#include <string.h>

#include "backstep/sim.h"
#include "sim_internal.h"

bstep_sim_segment bstep_sim_segment_default(bstep_sim_kind kind)
{
    bstep_sim_segment s;
    memset(&s, 0, sizeof(s));
    s.kind = kind;
    s.direction = kind == BSTEP_SIM_FALL ? BSTEP_DIRECTION_BACKWARD : BSTEP_DIRECTION_FORWARD;
    s.duration_s = kind == BSTEP_SIM_TURN ? 0.0 : 10.0;
    s.speed_mps = kind == BSTEP_SIM_JOG ? 2.5 : (kind == BSTEP_SIM_RUN ? 3.5 : 1.2);
    s.strike = BSTEP_STRIKE_UNKNOWN;
    s.turn_deg = 180.0;
    s.stride_cv_pct = -1.0;
    return s;
}

const char *bstep_sim_activity_name(const bstep_sim_segment *s)
{
    const int bw = s->direction == BSTEP_DIRECTION_BACKWARD;
    switch (s->kind) {
    case BSTEP_SIM_STAND:
        return "stand";
    case BSTEP_SIM_TURN:
        return "turn";
    case BSTEP_SIM_FALL:
        return "fall";
    case BSTEP_SIM_JOG:
        return bw ? "jog-backward" : "jog";
    case BSTEP_SIM_RUN:
        return bw ? "run-backward" : "run";
    case BSTEP_SIM_WALK:
        if (s->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT)
            return "side-left";
        if (s->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT)
            return "side-right";
        return bw ? "walk-backward" : "walk";
    }
    return "unknown";
}

static const char *const site_names[] = {"foot",       "heel",  "shank", "thigh",
                                         "lower-back", "chest", "hand"};

const char *bstep_sim_site_name(bstep_sim_site s)
{
    if ((int)s < 0 || (int)s > (int)BSTEP_SIM_AT_HAND)
        return "unknown";
    return site_names[s];
}

int bstep_sim_site_parse(const char *text, bstep_sim_site *out)
{
    int i;
    if (text == NULL || out == NULL)
        return BSTEP_EINVAL;
    for (i = 0; i <= (int)BSTEP_SIM_AT_HAND; i++)
        if (strcmp(text, site_names[i]) == 0) {
            *out = (bstep_sim_site)i;
            return BSTEP_OK;
        }
    if (strcmp(text, "pocket") == 0) {
        *out = BSTEP_SIM_AT_THIGH;
        return BSTEP_OK;
    }
    if (strcmp(text, "waist") == 0) {
        *out = BSTEP_SIM_AT_LOWER_BACK;
        return BSTEP_OK;
    }
    return BSTEP_EINVAL;
}

static int axis_vec(bstep_axis a, double v[3])
{
    v[0] = v[1] = v[2] = 0.0;
    switch (a) {
    case BSTEP_AXIS_POS_X:
        v[0] = 1;
        return 1;
    case BSTEP_AXIS_NEG_X:
        v[0] = -1;
        return 1;
    case BSTEP_AXIS_POS_Y:
        v[1] = 1;
        return 1;
    case BSTEP_AXIS_NEG_Y:
        v[1] = -1;
        return 1;
    case BSTEP_AXIS_POS_Z:
        v[2] = 1;
        return 1;
    case BSTEP_AXIS_NEG_Z:
        v[2] = -1;
        return 1;
    default:
        return 0;
    }
}

int bstep_sim_mounting_from_axes(bstep_axis front, bstep_axis up, double m[3][3])
{
    double f[3], u[3], l[3];
    int i;
    if (m == NULL || !axis_vec(front, f) || !axis_vec(up, u))
        return BSTEP_EINVAL;
    if (fabs(f[0] * u[0] + f[1] * u[1] + f[2] * u[2]) > 0.5)
        return BSTEP_EINVAL;
    /* f, u are sensor axes (in sensor coordinates) pointing to segment x and z. Segment y = z x x
     * in sensor coordinates: l = u x f. Rows of m = sensor axes in segment coordinates, i.e. the
     * columns of [f l u]. */
    l[0] = u[1] * f[2] - u[2] * f[1];
    l[1] = u[2] * f[0] - u[0] * f[2];
    l[2] = u[0] * f[1] - u[1] * f[0];
    for (i = 0; i < 3; i++) {
        m[i][0] = f[i];
        m[i][1] = l[i];
        m[i][2] = u[i];
    }
    return BSTEP_OK;
}

void bstep_sim_mounting_rotate(double m[3][3], double rx_deg, double ry_deg, double rz_deg)
{
    /* New sensor axes = old axes rotated by Rx Ry Rz (intrinsic): rows transform as
     * m' = E^T m, E = Rx(rx) Ry(ry) Rz(rz) expressed in the old sensor frame. */
    const double d = BSTEP__SIM_DEG;
    const double cx = cos(rx_deg * d), sx = sin(rx_deg * d), cy = cos(ry_deg * d),
                 sy = sin(ry_deg * d), cz = cos(rz_deg * d), sz = sin(rz_deg * d);
    double Rx[3][3] = {{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}};
    double Ry[3][3] = {{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}};
    double Rz[3][3] = {{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}};
    double A[3][3], E[3][3], out[3][3];
    int i, j, k;
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            A[i][j] = 0;
            for (k = 0; k < 3; k++)
                A[i][j] += Rx[i][k] * Ry[k][j];
        }
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            E[i][j] = 0;
            for (k = 0; k < 3; k++)
                E[i][j] += A[i][k] * Rz[k][j];
        }
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            out[i][j] = 0;
            for (k = 0; k < 3; k++)
                out[i][j] += E[k][i] * m[k][j];
        }
    memcpy(m, out, sizeof(out));
}

/* ---- parser ------------------------------------------------------------------------------ */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Parse a decimal number at s; returns characters consumed (0 if none). */
static size_t parse_num(const char *s, size_t n, double *out)
{
    size_t i = 0;
    double v = 0.0, scale = 1.0;
    int sign = 1, digits = 0, ex = 0, exsign = 1;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '-' ? -1 : 1;
        i++;
    }
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        v = v * 10.0 + (s[i] - '0');
        i++;
        digits++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            scale /= 10.0;
            v += (s[i] - '0') * scale;
            i++;
            digits++;
        }
    }
    if (digits == 0 || digits > 30)
        return 0;
    if (i + 1 < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        int exd = 0;
        if (s[j] == '+' || s[j] == '-') {
            exsign = s[j] == '-' ? -1 : 1;
            j++;
        }
        while (j < n && s[j] >= '0' && s[j] <= '9' && exd < 3) {
            ex = ex * 10 + (s[j] - '0');
            j++;
            exd++;
        }
        if (exd > 0) {
            i = j;
            while (ex-- > 0)
                v = exsign > 0 ? v * 10.0 : v / 10.0;
        }
    }
    *out = sign * v;
    return i;
}

static int word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

static void set_err(char *err, size_t err_len, int line, const char *msg, const char *w, size_t wn)
{
    size_t p = 0, i;
    char num[16];
    int k = 0, v = line;
    if (err == NULL || err_len == 0)
        return;
    /* "line N: msg 'word'" without stdio */
    do {
        num[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && k < 15);
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (p + 1 < err_len)                                                                       \
            err[p++] = (c);                                                                        \
    } while (0)
    for (i = 0; i < 5; i++)
        PUT("line "[i]);
    while (k > 0)
        PUT(num[--k]);
    PUT(':');
    PUT(' ');
    for (i = 0; msg[i]; i++)
        PUT(msg[i]);
    if (w != NULL && wn > 0) {
        PUT(' ');
        PUT('\'');
        for (i = 0; i < wn && i < 40; i++)
            PUT(w[i]);
        PUT('\'');
    }
#undef PUT
    err[p] = '\0';
}

static int parse_line(const char *s, size_t n, bstep_sim_scenario *sc, int line, char *err,
                      size_t err_len)
{
    const char *w[32];
    size_t wl[32], nw = 0, i = 0, k;
    bstep_sim_segment seg;
    double x;
    while (i < n && nw < 32) {
        while (i < n && is_blank(s[i]))
            i++;
        if (i >= n || s[i] == '#')
            break;
        w[nw] = s + i;
        while (i < n && !is_blank(s[i]) && s[i] != '#')
            i++;
        wl[nw] = (size_t)(s + i - w[nw]);
        nw++;
    }
    if (nw == 0)
        return BSTEP_OK;
    if (word_is(w[0], wl[0], "stumble") || word_is(w[0], wl[0], "look-back")) {
        size_t j = sc->n;
        while (j > 0 &&
               !(sc->seg[j - 1].kind == BSTEP_SIM_WALK || sc->seg[j - 1].kind == BSTEP_SIM_JOG ||
                 sc->seg[j - 1].kind == BSTEP_SIM_RUN))
            j--;
        if (j == 0) {
            set_err(err, err_len, line, "no walking segment before", w[0], wl[0]);
            return BSTEP_EINVAL;
        }
        if (w[0][0] == 's')
            sc->seg[j - 1].stumbles++;
        else
            sc->seg[j - 1].look_backs++;
        return BSTEP_OK;
    }
    if (word_is(w[0], wl[0], "stand"))
        seg = bstep_sim_segment_default(BSTEP_SIM_STAND);
    else if (word_is(w[0], wl[0], "walk"))
        seg = bstep_sim_segment_default(BSTEP_SIM_WALK);
    else if (word_is(w[0], wl[0], "jog"))
        seg = bstep_sim_segment_default(BSTEP_SIM_JOG);
    else if (word_is(w[0], wl[0], "run"))
        seg = bstep_sim_segment_default(BSTEP_SIM_RUN);
    else if (word_is(w[0], wl[0], "turn"))
        seg = bstep_sim_segment_default(BSTEP_SIM_TURN);
    else if (word_is(w[0], wl[0], "fall"))
        seg = bstep_sim_segment_default(BSTEP_SIM_FALL);
    else {
        set_err(err, err_len, line, "unknown segment", w[0], wl[0]);
        return BSTEP_EINVAL;
    }
    if (seg.kind == BSTEP_SIM_FALL)
        seg.duration_s = 5.0;
    for (k = 1; k < nw; k++) {
        const char *a = w[k];
        const size_t an = wl[k];
        const char *eq = memchr(a, '=', an);
        size_t used;
        if (word_is(a, an, "forward"))
            seg.direction = BSTEP_DIRECTION_FORWARD;
        else if (word_is(a, an, "backward"))
            seg.direction = BSTEP_DIRECTION_BACKWARD;
        else if (word_is(a, an, "left") || word_is(a, an, "sideways-left"))
            seg.direction = BSTEP_DIRECTION_SIDEWAYS_LEFT;
        else if (word_is(a, an, "right") || word_is(a, an, "sideways-right"))
            seg.direction = BSTEP_DIRECTION_SIDEWAYS_RIGHT;
        else if (word_is(a, an, "steps") || word_is(a, an, "step") || word_is(a, an, "strides") ||
                 word_is(a, an, "stride")) {
            set_err(err, err_len, line, "a count must come before", a, an);
            return BSTEP_EINVAL;
        } else if (eq == NULL && (used = parse_num(a, an, &x)) > 0) {
            const char *unit = a + used;
            const size_t un = an - used;
            if (seg.kind == BSTEP_SIM_TURN && un == 0 && k == 1) {
                seg.turn_deg = x;
            } else if (un == 1 && unit[0] == 's') {
                seg.duration_s = x;
                seg.steps = 0;
            } else if (un == 3 && memcmp(unit, "min", 3) == 0) {
                seg.duration_s = 60.0 * x;
                seg.steps = 0;
            } else if (un == 0 && k + 1 < nw &&
                       (word_is(w[k + 1], wl[k + 1], "steps") ||
                        word_is(w[k + 1], wl[k + 1], "step") ||
                        word_is(w[k + 1], wl[k + 1], "strides") ||
                        word_is(w[k + 1], wl[k + 1], "stride"))) {
                const int strides = w[k + 1][2] == 'r';
                if (x < 1.0 || x > 50000.0 || x != floor(x)) {
                    set_err(err, err_len, line, "bad step count", a, an);
                    return BSTEP_EINVAL;
                }
                seg.steps = (int)x * (strides ? 2 : 1);
                k++;
            } else {
                set_err(err, err_len, line, "number without a unit (s, min, steps, strides)", a,
                        an);
                return BSTEP_EINVAL;
            }
        } else if (eq != NULL) {
            const size_t kn = (size_t)(eq - a);
            const char *v = eq + 1;
            const size_t vn = an - kn - 1;
            if (word_is(a, kn, "strike")) {
                if (word_is(v, vn, "toe"))
                    seg.strike = BSTEP_STRIKE_TOE;
                else if (word_is(v, vn, "heel"))
                    seg.strike = BSTEP_STRIKE_HEEL;
                else if (word_is(v, vn, "flat"))
                    seg.strike = BSTEP_STRIKE_FLAT;
                else {
                    set_err(err, err_len, line, "strike must be toe, heel or flat", a, an);
                    return BSTEP_EINVAL;
                }
                continue;
            }
            used = parse_num(v, vn, &x);
            if (used == 0 || (used != vn && !(vn - used == 1 && v[used] == 's'))) {
                set_err(err, err_len, line, "bad number in", a, an);
                return BSTEP_EINVAL;
            }
            if (word_is(a, kn, "speed"))
                seg.speed_mps = x;
            else if (word_is(a, kn, "cadence"))
                seg.cadence_spm = x;
            else if (word_is(a, kn, "angle")) {
                seg.strike_angle_deg = x;
                seg.strike_angle_set = 1;
            } else if (word_is(a, kn, "heel-faults"))
                seg.heel_faults = (int)x;
            else if (word_is(a, kn, "stumbles"))
                seg.stumbles = (int)x;
            else if (word_is(a, kn, "look-backs"))
                seg.look_backs = (int)x;
            else if (word_is(a, kn, "lean"))
                seg.lean_deg = x;
            else if (word_is(a, kn, "cv"))
                seg.stride_cv_pct = x;
            else if (word_is(a, kn, "asymmetry"))
                seg.asymmetry_pct = x;
            else if (word_is(a, kn, "duration"))
                seg.duration_s = x;
            else if (word_is(a, kn, "angle-deg") || word_is(a, kn, "deg"))
                seg.turn_deg = x;
            else {
                set_err(err, err_len, line, "unknown option", a, an);
                return BSTEP_EINVAL;
            }
        } else {
            set_err(err, err_len, line, "unknown word", a, an);
            return BSTEP_EINVAL;
        }
    }
    if (seg.strike == BSTEP_STRIKE_FLAT && !seg.strike_angle_set) {
        seg.strike_angle_deg = 0.0;
        seg.strike_angle_set = 1;
    }
    if (sc->n >= BSTEP_SIM_MAX_SEGMENTS) {
        set_err(err, err_len, line, "too many segments", NULL, 0);
        return BSTEP_ERANGE;
    }
    sc->seg[sc->n++] = seg;
    return BSTEP_OK;
}

int bstep_sim_scenario_parse(const char *text, bstep_sim_scenario *sc, char *err, size_t err_len)
{
    const char *p = text;
    int line = 1, rc;
    if (err != NULL && err_len > 0)
        err[0] = '\0';
    if (text == NULL || sc == NULL)
        return BSTEP_EINVAL;
    sc->n = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        const size_t n = e ? (size_t)(e - p) : strlen(p);
        rc = parse_line(p, n, sc, line, err, err_len);
        if (rc != BSTEP_OK)
            return rc;
        if (!e)
            break;
        p = e + 1;
        line++;
    }
    if (sc->n == 0) {
        set_err(err, err_len, line, "empty scenario", NULL, 0);
        return BSTEP_EINVAL;
    }
    return BSTEP_OK;
}
