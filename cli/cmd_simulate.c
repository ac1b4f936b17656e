/*
 * backstep simulate: writes a synthetic recording (canonical CSV, Xsens text or a Sensor Logger
 * folder) and its truth JSON, from a scenario file or from command-line options; or, with
 * --scenario-set DIR, a folder of varied scenarios for `backstep validate`. The model lives in the
 * library (include/backstep/sim.h); this file only parses options and writes files.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backstep/sim.h"
#include "backstep/writers.h"
#include "cli.h"
#include "cmd_simulate.h"

#define CMD "simulate"

static void usage(FILE *f)
{
    fprintf(
        f,
        "Usage: backstep simulate [OPTIONS]\n"
        "       backstep simulate --scenario-set DIR [--seed N]\n\n"
        "Writes a physically grounded synthetic IMU recording and its exact truth.\n\n"
        "Scenario (one of):\n"
        "  --scenario FILE        scenario file, one segment per line (docs/simulation.md)\n"
        "  --scenario-text TEXT   the same inline; ';' separates lines\n"
        "  otherwise: stand 3 s, walk --duration S in --direction at --speed, stand 3 s\n"
        "  --direction D          forward|backward|sideways-left|sideways-right (backward)\n"
        "  --strike S             toe|heel|flat (default: toe backward, heel forward)\n"
        "  --strike-angle-deg A   sole angle at contact, + toes up\n"
        "  --speed MPS            walking speed (0.7)\n"
        "  --cadence SPM          steps per minute (default derived from speed)\n"
        "  --duration S           walking time (30)\n"
        "Walker and sensor:\n"
        "  --placement P          foot-left|foot-right|lower-back|pocket (foot-right)\n"
        "  --site S               foot|heel|shank|thigh|lower-back|chest|hand (overrides)\n"
        "  --side left|right      side of foot/heel/shank/thigh/hand sensors\n"
        "  --height-m M --mass-kg KG --leg-length-m M   walker (1.75, 75, 0.53 x height)\n"
        "  --toe-axis A           sensor axis pointing to the toes / the front (+x)\n"
        "  --front-axis A         same as --toe-axis (trunk, pocket)\n"
        "  --up-axis A            sensor axis pointing up (+z)\n"
        "  --mounting-deg RX,RY,RZ extra rotation about the sensor axes, degrees\n"
        "  --noise SPEC           none|imu|phone|cheap, or key=value,... with keys acc (m/s^2),\n"
        "                         gyro (deg/s), acc-bias, gyro-bias, acc-drift, gyro-drift,\n"
        "                         scale (%%), acc-range (m/s^2), gyro-range (deg/s), jitter (%%),\n"
        "                         loss (%%), burst (samples), acc-res, gyro-res\n"
        "Output:\n"
        "  --rate HZ              sample rate (100)\n"
        "  --seed N               random seed (1); same seed, same bytes\n"
        "  --out FILE             recording ('-' = standard output, the default)\n"
        "  --truth FILE           truth JSON (default: NAME.truth.json next to --out)\n"
        "  --format F             csv|xsens|sensorlogger (sensorlogger: --out is a folder)\n"
        "  --decimals N           decimals of the values (5)\n"
        "  --scenario-set DIR     write a folder of varied scenarios with truth files\n");
}

typedef struct {
    bstep_sim_settings cfg;
    bstep_sim_scenario sc;
    char scenario_text[8192];
    const char *placement_name;
    bstep_format format;
    int decimals;
    char mounting_desc[96];
    char toe_axis[4];
} sim_job;

/* ---- noise presets ----------------------------------------------------------------------- */

static int parse_noise(const char *spec, bstep_sim_noise *n)
{
    char buf[512], *p, *save;
    memset(n, 0, sizeof(*n));
    n->packet_loss_max_burst = 1;
    if (strcmp(spec, "none") == 0)
        return 0;
    if (strcmp(spec, "imu") == 0) { /* a good foot IMU (VN-200 / NilsPod class) */
        n->accel_noise_mps2 = 0.02;
        n->gyro_noise_dps = 0.1;
        n->accel_bias_mps2 = 0.05;
        n->gyro_bias_dps = 0.3;
        n->scale_error_pct = 0.3;
        n->accel_range_mps2 = 16 * 9.80665;
        n->gyro_range_dps = 2000;
        return 0;
    }
    if (strcmp(spec, "phone") == 0) {
        n->accel_noise_mps2 = 0.05;
        n->gyro_noise_dps = 0.3;
        n->accel_bias_mps2 = 0.15;
        n->gyro_bias_dps = 1.0;
        n->gyro_drift_dps_rs = 0.02;
        n->scale_error_pct = 1.0;
        n->accel_range_mps2 = 8 * 9.80665;
        n->gyro_range_dps = 2000;
        n->jitter_pct = 5;
        n->packet_loss_pct = 0.2;
        n->packet_loss_max_burst = 3;
        return 0;
    }
    if (strcmp(spec, "cheap") == 0) {
        n->accel_noise_mps2 = 0.12;
        n->gyro_noise_dps = 0.8;
        n->accel_bias_mps2 = 0.4;
        n->gyro_bias_dps = 3.0;
        n->accel_drift_mps2_rs = 0.005;
        n->gyro_drift_dps_rs = 0.05;
        n->scale_error_pct = 3.0;
        n->accel_range_mps2 = 4 * 9.80665;
        n->gyro_range_dps = 500;
        n->accel_resolution_mps2 = 0.0024;
        n->gyro_resolution_dps = 0.06;
        n->jitter_pct = 10;
        n->packet_loss_pct = 1.0;
        n->packet_loss_max_burst = 8;
        return 0;
    }
    if (strlen(spec) >= sizeof(buf))
        return -1;
    memcpy(buf, spec, strlen(spec) + 1);
    for (p = buf; p != NULL && *p; p = save) {
        char *eq, *end;
        double v;
        save = strchr(p, ',');
        if (save)
            *save++ = '\0';
        eq = strchr(p, '=');
        if (eq == NULL)
            return -1;
        *eq = '\0';
        errno = 0;
        v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end != '\0' || errno != 0 || !(v >= 0.0))
            return -1;
        if (strcmp(p, "acc") == 0)
            n->accel_noise_mps2 = v;
        else if (strcmp(p, "gyro") == 0)
            n->gyro_noise_dps = v;
        else if (strcmp(p, "acc-bias") == 0)
            n->accel_bias_mps2 = v;
        else if (strcmp(p, "gyro-bias") == 0)
            n->gyro_bias_dps = v;
        else if (strcmp(p, "acc-drift") == 0)
            n->accel_drift_mps2_rs = v;
        else if (strcmp(p, "gyro-drift") == 0)
            n->gyro_drift_dps_rs = v;
        else if (strcmp(p, "scale") == 0)
            n->scale_error_pct = v;
        else if (strcmp(p, "acc-range") == 0)
            n->accel_range_mps2 = v;
        else if (strcmp(p, "gyro-range") == 0)
            n->gyro_range_dps = v;
        else if (strcmp(p, "jitter") == 0)
            n->jitter_pct = v;
        else if (strcmp(p, "loss") == 0)
            n->packet_loss_pct = v;
        else if (strcmp(p, "burst") == 0 && v >= 1 && v <= 10000)
            n->packet_loss_max_burst = (int)v;
        else if (strcmp(p, "acc-res") == 0)
            n->accel_resolution_mps2 = v;
        else if (strcmp(p, "gyro-res") == 0)
            n->gyro_resolution_dps = v;
        else
            return -1;
    }
    return 0;
}

/* ---- running one job --------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int run_job(sim_job *job, const char *out_path, const char *truth_path)
{
    bstep_sim *g = malloc(sizeof(*g));
    bstep_rec_writer *w = NULL;
    bstep_rec_writer_options wo;
    bstep_imu_sample buf[512];
    bstep_sim_event *ev = NULL, e;
    size_t n_ev = 0, cap_ev = 0, n;
    char err[512];
    int rc;
    if (g == NULL) {
        fprintf(stderr, "backstep simulate: out of memory\n");
        return BSTEP_EXIT_INPUT;
    }
    rc = bstep_sim_init(g, &job->cfg, &job->sc);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep simulate: invalid settings or scenario (%s)\n",
                bstep_strerror(rc));
        free(g);
        return BSTEP_EXIT_USAGE;
    }
    memset(&wo, 0, sizeof(wo));
    wo.format = job->format;
    wo.decimals = job->decimals;
    wo.sample_rate_hz = job->cfg.sample_rate_hz;
    wo.epoch_ns = 1700000000000000000LL;
    rc = bstep_rec_writer_open(&w, out_path, &wo, err, sizeof(err));
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep simulate: %s\n", err);
        free(g);
        return BSTEP_EXIT_INPUT;
    }
    for (;;) {
        n = bstep_sim_next_block(g, buf, sizeof(buf) / sizeof(buf[0]));
        if (n > 0 && bstep_rec_writer_write(w, buf, n) != BSTEP_OK) {
            fprintf(stderr, "backstep simulate: %s: write error: %s\n", out_path, strerror(errno));
            rc = BSTEP_EIO;
        }
        while (bstep_sim_pop_event(g, &e)) {
            if (n_ev == cap_ev) {
                size_t nc = cap_ev ? 2 * cap_ev : 256;
                bstep_sim_event *x = realloc(ev, nc * sizeof(*ev));
                if (x == NULL) {
                    fprintf(stderr, "backstep simulate: out of memory\n");
                    rc = BSTEP_ENOMEM;
                    break;
                }
                ev = x;
                cap_ev = nc;
            }
            ev[n_ev++] = e;
        }
        if (n == 0 || rc != BSTEP_OK)
            break;
    }
    if (bstep_rec_writer_close(w) != BSTEP_OK && rc == BSTEP_OK) {
        fprintf(stderr, "backstep simulate: %s: write error: %s\n", out_path, strerror(errno));
        rc = BSTEP_EIO;
    }
    if (rc == BSTEP_OK && truth_path != NULL) {
        bstep_truth_info ti;
        memset(&ti, 0, sizeof(ti));
        ti.recording = strcmp(out_path, "-") == 0 ? "-" : base_name(out_path);
        ti.placement = job->placement_name;
        ti.sample_rate_hz = job->cfg.sample_rate_hz;
        ti.seed = (unsigned long long)job->cfg.seed;
        ti.height_m = job->cfg.height_m;
        ti.mass_kg = job->cfg.mass_kg;
        ti.scenario_text = job->scenario_text;
        ti.site = bstep_sim_site_name(job->cfg.site);
        ti.mounting = job->mounting_desc;
        ti.foot_only = job->cfg.site == BSTEP_SIM_AT_FOOT || job->cfg.site == BSTEP_SIM_AT_HEEL;
        ti.sensor_foot = job->cfg.side;
        {
            /* segment front (x) in sensor axes = first column of the mounting; nearest axis */
            int k, best = 0;
            static const char *const names[3][2] = {{"+x", "-x"}, {"+y", "-y"}, {"+z", "-z"}};
            for (k = 0; k < 3; k++) {
                ti.front_vector[k] = job->cfg.mounting[k][0];
                if (fabs(ti.front_vector[k]) > fabs(ti.front_vector[best]))
                    best = k;
            }
            ti.front_axis = names[best][ti.front_vector[best] < 0.0];
        }
        rc = bstep_truth_write(truth_path, &ti, ev, n_ev, err, sizeof(err));
        if (rc != BSTEP_OK)
            fprintf(stderr, "backstep simulate: %s\n", err);
    }
    free(ev);
    free(g);
    return rc == BSTEP_OK ? BSTEP_EXIT_OK : BSTEP_EXIT_INPUT;
}

static int set_mounting(sim_job *job, bstep_axis front, bstep_axis up, const double rot[3])
{
    if (bstep_sim_mounting_from_axes(front, up, job->cfg.mounting) != BSTEP_OK)
        return -1;
    bstep_sim_mounting_rotate(job->cfg.mounting, rot[0], rot[1], rot[2]);
    snprintf(job->mounting_desc, sizeof(job->mounting_desc),
             "front %s, up %s, then rotated %g,%g,%g deg about sensor x,y,z",
             bstep_axis_name(front), bstep_axis_name(up), rot[0], rot[1], rot[2]);
    snprintf(job->toe_axis, sizeof(job->toe_axis), "%s", bstep_axis_name(front));
    return 0;
}

static const char *placement_of(const bstep_sim_settings *c)
{
    switch (c->site) {
    case BSTEP_SIM_AT_FOOT:
    case BSTEP_SIM_AT_HEEL:
        return c->side == BSTEP_FOOT_LEFT ? "foot-left" : "foot-right";
    case BSTEP_SIM_AT_THIGH:
        return "pocket";
    case BSTEP_SIM_AT_LOWER_BACK:
        return "lower-back";
    case BSTEP_SIM_AT_CHEST:
        return "chest";
    case BSTEP_SIM_AT_HAND:
        return "hand";
    case BSTEP_SIM_AT_SHANK:
        return "shank";
    }
    return "unknown";
}

/* ---- scenario set ------------------------------------------------------------------------ */

typedef struct {
    const char *name;
    bstep_sim_site site;
    bstep_foot side;
    bstep_axis front, up;
    double rot[3];
    const char *noise;
    double rate_hz;
    const char *scenario;
} set_entry;

static const set_entry scenario_set[] = {
    {"s01_foot_fw_bw_toe",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "none",
     100,
     "stand 5s\nwalk forward 10 strides speed=1.2\nturn 180\n"
     "walk backward 40s speed=0.7 strike=toe\nstand 3s\n"},
    {"s02_foot_bw_slow_turned",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_LEFT,
     BSTEP_AXIS_NEG_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "imu",
     100,
     "stand 5s\nwalk forward 8 strides speed=1.0\nturn 180\n"
     "walk backward 40s speed=0.3\nstand 3s\n"},
    {"s03_foot_bw_heel_strike",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_Y,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "imu",
     100,
     "stand 4s\nwalk forward 8 strides speed=1.4\nturn -180\n"
     "walk backward 30s speed=0.9 strike=heel\nstand 3s\n"},
    {"s04_foot_fast_lossy",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "acc=0.03,gyro=0.2,loss=0.5,burst=4,jitter=3",
     100,
     "stand 4s\nwalk forward 20s speed=1.8\nturn 180\n"
     "walk backward 30s speed=1.2 heel-faults=3\nstand 3s\n"},
    {"s05_foot_flat_upside_down",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_LEFT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_NEG_Z,
     {0, 0, 0},
     "imu",
     100,
     "stand 4s\nwalk forward 8 strides speed=1.1\nturn 180\n"
     "walk backward 30s speed=0.5 strike=flat\nstand 3s\n"},
    {"s06_lowerback_fw_bw",
     BSTEP_SIM_AT_LOWER_BACK,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "imu",
     100,
     "stand 5s\nwalk forward 20s speed=1.3\nturn 180\nwalk backward 40s speed=0.8\nstand 3s\n"},
    {"s07_lowerback_phone_slow",
     BSTEP_SIM_AT_LOWER_BACK,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_NEG_Z,
     BSTEP_AXIS_POS_Y,
     {0, 0, 10},
     "phone",
     100,
     "stand 5s\nwalk forward 20s speed=1.0\nturn 180\n"
     "walk backward 40s speed=0.4 look-backs=2\nstand 3s\n"},
    {"s08_pocket_fw_bw",
     BSTEP_SIM_AT_THIGH,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_Z,
     BSTEP_AXIS_POS_Y,
     {0, 0, 0},
     "phone",
     100,
     "stand 5s\nwalk forward 20s speed=1.2\nturn 180\nwalk backward 40s speed=0.7\nstand 3s\n"},
    {"s09_foot_jog",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "imu",
     200,
     "stand 4s\nwalk forward 10 strides speed=1.3\njog forward 20s speed=2.6\n"
     "walk forward 6 strides speed=1.2\nturn 180\njog backward 15s speed=1.6\nstand 3s\n"},
    {"s10_foot_stumble_fall",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "imu",
     100,
     "stand 4s\nwalk forward 8 strides speed=1.2\nturn 180\n"
     "walk backward 30s speed=0.6 stumbles=2\nfall backward 5s\n"},
    {"s11_foot_sideways",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_LEFT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 0},
     "imu",
     100,
     "stand 4s\nwalk forward 8 strides speed=1.2\nwalk left 15s speed=0.5\nstand 2s\n"
     "walk right 15s speed=0.5\nstand 3s\n"},
    {"s12_foot_clipping_200hz",
     BSTEP_SIM_AT_FOOT,
     BSTEP_FOOT_RIGHT,
     BSTEP_AXIS_POS_X,
     BSTEP_AXIS_POS_Z,
     {0, 0, 20},
     "acc=0.02,gyro=0.1,acc-range=39.2,gyro-range=500",
     200,
     "stand 4s\nwalk forward 10 strides speed=1.5\nturn 180\n"
     "walk backward 25s speed=1.0\nstand 3s\n"},
};

static int write_text_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int bad;
    if (f == NULL)
        return -1;
    fputs(text, f);
    bad = ferror(f);
    return (fclose(f) != 0 || bad) ? -1 : 0;
}

static int run_set(const char *dir, const sim_job *base)
{
    size_t i;
    char out[4096], truth[4096], scen[4096];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "backstep simulate: %s: cannot create folder: %s\n", dir, strerror(errno));
        return BSTEP_EXIT_INPUT;
    }
    for (i = 0; i < sizeof(scenario_set) / sizeof(scenario_set[0]); i++) {
        const set_entry *s = &scenario_set[i];
        sim_job *job = malloc(sizeof(*job));
        char err[256];
        int rc;
        if (job == NULL)
            return BSTEP_EXIT_INPUT;
        *job = *base;
        job->cfg.site = s->site;
        job->cfg.side = s->side;
        job->cfg.sample_rate_hz = s->rate_hz;
        job->cfg.seed = base->cfg.seed + i;
        if (set_mounting(job, s->front, s->up, s->rot) != 0 ||
            parse_noise(s->noise, &job->cfg.noise) != 0 ||
            bstep_sim_scenario_parse(s->scenario, &job->sc, err, sizeof(err)) != BSTEP_OK) {
            fprintf(stderr, "backstep simulate: internal scenario %s is invalid\n", s->name);
            free(job);
            return BSTEP_EXIT_INPUT;
        }
        snprintf(job->scenario_text, sizeof(job->scenario_text), "%s", s->scenario);
        job->placement_name = placement_of(&job->cfg);
        job->format = BSTEP_FORMAT_CSV;
        if (snprintf(out, sizeof(out), "%s/%s.csv", dir, s->name) >= (int)sizeof(out) ||
            snprintf(truth, sizeof(truth), "%s/%s.truth.json", dir, s->name) >=
                (int)sizeof(truth) ||
            snprintf(scen, sizeof(scen), "%s/%s.scenario", dir, s->name) >= (int)sizeof(scen)) {
            free(job);
            return BSTEP_EXIT_USAGE;
        }
        if (write_text_file(scen, s->scenario) != 0) {
            fprintf(stderr, "backstep simulate: %s: cannot write\n", scen);
            free(job);
            return BSTEP_EXIT_INPUT;
        }
        rc = run_job(job, out, truth);
        free(job);
        if (rc != BSTEP_EXIT_OK)
            return rc;
        printf("%s\n", out);
    }
    return BSTEP_EXIT_OK;
}

/* ---- options ----------------------------------------------------------------------------- */

static int read_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n;
    if (f == NULL)
        return -1;
    n = fread(buf, 1, cap - 1, f);
    if (!feof(f)) {
        fclose(f);
        return -2;
    }
    fclose(f);
    buf[n] = '\0';
    return 0;
}

int bstep_cmd_simulate(int argc, char **argv)
{
    bstep__opts o;
    sim_job *job = calloc(1, sizeof(*job));
    const char *out = "-", *truth = NULL, *scenario_file = NULL, *scenario_text = NULL,
               *set_dir = NULL, *v;
    bstep_direction dir = BSTEP_DIRECTION_BACKWARD;
    bstep_strike strike = BSTEP_STRIKE_UNKNOWN;
    bstep_axis front = BSTEP_AXIS_POS_X, up = BSTEP_AXIS_POS_Z;
    double speed = 0.7, duration = 30.0, cadence = 0.0, angle = 0.0, rot[3] = {0, 0, 0}, x;
    int angle_set = 0, rc = BSTEP_EXIT_USAGE, site_set = 0;
    char truth_buf[4096];
    if (job == NULL)
        return BSTEP_EXIT_INPUT;
    job->cfg = bstep_sim_default_settings;
    job->decimals = 5;
    job->format = BSTEP_FORMAT_CSV;
    job->cfg.noise.packet_loss_max_burst = 1;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *nm = o.name;
        if (nm == NULL) {
            bstep__usage_error(CMD, "unexpected argument '%s'", o.arg);
            goto done;
        }
        if (strcmp(nm, "help") == 0) {
            usage(stdout);
            rc = BSTEP_EXIT_OK;
            goto done;
        }
        if ((v = bstep__opts_value(&o, CMD)) == NULL)
            goto done;
        if (strcmp(nm, "placement") == 0) {
            bstep_placement p;
            if (bstep_placement_parse(v, &p) != BSTEP_OK || p == BSTEP_PLACEMENT_AUTO) {
                bstep__usage_error(CMD, "--placement: unknown placement '%s'", v);
                goto done;
            }
            if (!site_set) {
                job->cfg.site = p == BSTEP_PLACEMENT_LOWER_BACK ? BSTEP_SIM_AT_LOWER_BACK
                                : p == BSTEP_PLACEMENT_POCKET   ? BSTEP_SIM_AT_THIGH
                                                                : BSTEP_SIM_AT_FOOT;
            }
            if (p == BSTEP_PLACEMENT_FOOT_LEFT)
                job->cfg.side = BSTEP_FOOT_LEFT;
            else if (p == BSTEP_PLACEMENT_FOOT_RIGHT)
                job->cfg.side = BSTEP_FOOT_RIGHT;
        } else if (strcmp(nm, "site") == 0) {
            if (bstep_sim_site_parse(v, &job->cfg.site) != BSTEP_OK) {
                bstep__usage_error(CMD, "--site: unknown site '%s'", v);
                goto done;
            }
            site_set = 1;
        } else if (strcmp(nm, "side") == 0) {
            if (strcmp(v, "left") == 0)
                job->cfg.side = BSTEP_FOOT_LEFT;
            else if (strcmp(v, "right") == 0)
                job->cfg.side = BSTEP_FOOT_RIGHT;
            else {
                bstep__usage_error(CMD, "--side: left or right, not '%s'", v);
                goto done;
            }
        } else if (strcmp(nm, "direction") == 0) {
            if (bstep_direction_parse(v, &dir) != BSTEP_OK || dir == BSTEP_DIRECTION_UNKNOWN ||
                dir == BSTEP_DIRECTION_IN_PLACE) {
                bstep__usage_error(CMD, "--direction: unknown direction '%s'", v);
                goto done;
            }
        } else if (strcmp(nm, "strike") == 0) {
            if (bstep_strike_parse(v, &strike) != BSTEP_OK || strike == BSTEP_STRIKE_UNKNOWN) {
                bstep__usage_error(CMD, "--strike: toe, heel or flat, not '%s'", v);
                goto done;
            }
        } else if (strcmp(nm, "strike-angle-deg") == 0) {
            if (bstep__parse_double(CMD, nm, v, -45, 45, &angle) != 0)
                goto done;
            angle_set = 1;
        } else if (strcmp(nm, "speed") == 0) {
            if (bstep__parse_double(CMD, nm, v, 0.05, 8.0, &speed) != 0)
                goto done;
        } else if (strcmp(nm, "cadence") == 0) {
            if (bstep__parse_double(CMD, nm, v, 30, 240, &cadence) != 0)
                goto done;
        } else if (strcmp(nm, "duration") == 0) {
            if (bstep__parse_double(CMD, nm, v, 0.5, 86400, &duration) != 0)
                goto done;
        } else if (strcmp(nm, "rate") == 0) {
            if (bstep__parse_double(CMD, nm, v, 10, 4000, &job->cfg.sample_rate_hz) != 0)
                goto done;
        } else if (strcmp(nm, "seed") == 0) {
            if (bstep__parse_double(CMD, nm, v, 0, 9007199254740991.0, &x) != 0)
                goto done;
            job->cfg.seed = (uint64_t)x;
        } else if (strcmp(nm, "height-m") == 0) {
            if (bstep__parse_double(CMD, nm, v, 1.0, 2.3, &job->cfg.height_m) != 0)
                goto done;
        } else if (strcmp(nm, "mass-kg") == 0) {
            if (bstep__parse_double(CMD, nm, v, 20, 250, &job->cfg.mass_kg) != 0)
                goto done;
        } else if (strcmp(nm, "leg-length-m") == 0) {
            if (bstep__parse_double(CMD, nm, v, 0.35, 1.5, &job->cfg.leg_length_m) != 0)
                goto done;
        } else if (strcmp(nm, "toe-axis") == 0 || strcmp(nm, "front-axis") == 0 ||
                   strcmp(nm, "up-axis") == 0) {
            bstep_axis a;
            if (bstep_axis_parse(v, &a) != BSTEP_OK || a == BSTEP_AXIS_AUTO) {
                bstep__usage_error(CMD, "--%s: +x, -x, +y, -y, +z or -z, not '%s'", nm, v);
                goto done;
            }
            if (nm[0] == 'u')
                up = a;
            else
                front = a;
        } else if (strcmp(nm, "mounting-deg") == 0) {
            char *e1, *e2, *e3;
            rot[0] = strtod(v, &e1);
            rot[1] = *e1 == ',' ? strtod(e1 + 1, &e2) : 0.0;
            if (*e1 != ',' || *e2 != ',') {
                bstep__usage_error(CMD, "--mounting-deg: expected RX,RY,RZ");
                goto done;
            }
            rot[2] = strtod(e2 + 1, &e3);
            if (*e3 != '\0') {
                bstep__usage_error(CMD, "--mounting-deg: expected RX,RY,RZ");
                goto done;
            }
        } else if (strcmp(nm, "noise") == 0) {
            if (parse_noise(v, &job->cfg.noise) != 0) {
                bstep__usage_error(CMD, "--noise: bad specification '%s'", v);
                goto done;
            }
        } else if (strcmp(nm, "out") == 0) {
            out = v;
        } else if (strcmp(nm, "truth") == 0) {
            truth = v;
        } else if (strcmp(nm, "scenario") == 0) {
            scenario_file = v;
        } else if (strcmp(nm, "scenario-text") == 0) {
            scenario_text = v;
        } else if (strcmp(nm, "scenario-set") == 0) {
            set_dir = v;
        } else if (strcmp(nm, "format") == 0) {
            if (bstep_format_parse(v, &job->format) != BSTEP_OK ||
                (job->format != BSTEP_FORMAT_CSV && job->format != BSTEP_FORMAT_XSENS &&
                 job->format != BSTEP_FORMAT_SENSORLOGGER)) {
                bstep__usage_error(CMD, "--format: csv, xsens or sensorlogger, not '%s'", v);
                goto done;
            }
        } else if (strcmp(nm, "decimals") == 0) {
            if (bstep__parse_double(CMD, nm, v, 1, 9, &x) != 0)
                goto done;
            job->decimals = (int)x;
        } else {
            bstep__usage_error(CMD, "unknown option --%s", nm);
            goto done;
        }
    }
    if (set_mounting(job, front, up, rot) != 0) {
        bstep__usage_error(CMD, "--toe-axis and --up-axis must be perpendicular");
        goto done;
    }
    if (set_dir != NULL) {
        rc = run_set(set_dir, job);
        goto done;
    }
    if (scenario_file != NULL) {
        int r = read_file(scenario_file, job->scenario_text, sizeof(job->scenario_text));
        if (r != 0) {
            fprintf(stderr, "backstep simulate: %s: %s\n", scenario_file,
                    r == -1 ? strerror(errno) : "scenario file too large");
            rc = BSTEP_EXIT_INPUT;
            goto done;
        }
    } else if (scenario_text != NULL) {
        size_t i, n = strlen(scenario_text);
        if (n >= sizeof(job->scenario_text)) {
            bstep__usage_error(CMD, "--scenario-text too long");
            goto done;
        }
        for (i = 0; i <= n; i++)
            job->scenario_text[i] = scenario_text[i] == ';' ? '\n' : scenario_text[i];
    } else {
        char cad[48] = "", ang[48] = "";
        if (cadence > 0)
            snprintf(cad, sizeof(cad), " cadence=%g", cadence);
        if (angle_set)
            snprintf(ang, sizeof(ang), " angle=%g", angle);
        snprintf(job->scenario_text, sizeof(job->scenario_text),
                 "stand 3s\nwalk %s %gs speed=%g%s%s%s%s\nstand 3s\n", bstep_direction_name(dir),
                 duration, speed, strike != BSTEP_STRIKE_UNKNOWN ? " strike=" : "",
                 strike != BSTEP_STRIKE_UNKNOWN ? bstep_strike_name(strike) : "", cad, ang);
    }
    {
        char err[256];
        int r = bstep_sim_scenario_parse(job->scenario_text, &job->sc, err, sizeof(err));
        if (r != BSTEP_OK) {
            fprintf(stderr, "backstep simulate: %s: %s\n",
                    scenario_file ? scenario_file : "scenario", err);
            rc = BSTEP_EXIT_USAGE;
            goto done;
        }
    }
    job->placement_name = placement_of(&job->cfg);
    if (truth == NULL && strcmp(out, "-") != 0) {
        /* NAME.csv -> NAME.truth.json; a Sensor Logger folder NAME -> NAME.truth.json */
        size_t n = strlen(out);
        if (n > 4 && (strcmp(out + n - 4, ".csv") == 0 || strcmp(out + n - 4, ".txt") == 0))
            n -= 4;
        while (n > 1 && out[n - 1] == '/')
            n--;
        if (n + 12 >= sizeof(truth_buf)) {
            bstep__usage_error(CMD, "--out path too long");
            goto done;
        }
        memcpy(truth_buf, out, n);
        memcpy(truth_buf + n, ".truth.json", 12);
        truth = truth_buf;
    }
    if (job->format == BSTEP_FORMAT_SENSORLOGGER && strcmp(out, "-") == 0) {
        bstep__usage_error(CMD, "--format sensorlogger needs --out FOLDER");
        goto done;
    }
    rc = run_job(job, out, truth);
done:
    free(job);
    return rc;
}
