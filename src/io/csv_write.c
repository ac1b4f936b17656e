/*
 * Recording writers: the canonical CSV (DESIGN.md section 6) and the dispatch to the Xsens and
 * Sensor Logger writers (xsens_write.c, sensorlogger_write.c). CSV: header
 * "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),gyr_x (deg/s),gyr_y (deg/s),gyr_z (deg/s)",
 * time with 6 decimals (microseconds, exact), values with a fixed number of decimals, no exponent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/writers.h"

/* xsens_write.c */
int bstep__xsens_write_header(FILE *f, double rate_hz);
int bstep__xsens_write_row(FILE *f, long long counter, const bstep_imu_sample *s, int decimals);
/* sensorlogger_write.c */
int bstep__sl_open(const char *dir, FILE *files[2], char *err, size_t err_len);
int bstep__sl_write_row(FILE *files[2], long long epoch_ns, const bstep_imu_sample *s,
                        int decimals);
int bstep__sl_write_metadata(const char *dir, double rate_hz, long long epoch_ns);

struct bstep_rec_writer {
    bstep_rec_writer_options opt;
    FILE *f[2];
    int to_stdout;
    int failed;
    char dir[4096];
};

int bstep_rec_writer_open(bstep_rec_writer **out, const char *path,
                          const bstep_rec_writer_options *opt, char *err, size_t err_len)
{
    bstep_rec_writer *w;
    char dummy[8];
    if (err == NULL) {
        err = dummy;
        err_len = sizeof(dummy);
    }
    if (out == NULL || path == NULL || opt == NULL || opt->decimals < 1 || opt->decimals > 9 ||
        !(opt->sample_rate_hz > 0.0) ||
        (opt->format != BSTEP_FORMAT_CSV && opt->format != BSTEP_FORMAT_XSENS &&
         opt->format != BSTEP_FORMAT_SENSORLOGGER)) {
        snprintf(err, err_len, "invalid writer options");
        return BSTEP_EINVAL;
    }
    *out = NULL;
    w = calloc(1, sizeof(*w));
    if (w == NULL)
        return BSTEP_ENOMEM;
    w->opt = *opt;
    if (opt->format == BSTEP_FORMAT_SENSORLOGGER) {
        if (strcmp(path, "-") == 0 || strlen(path) >= sizeof(w->dir)) {
            snprintf(err, err_len, "Sensor Logger output needs a folder name");
            free(w);
            return BSTEP_EINVAL;
        }
        memcpy(w->dir, path, strlen(path) + 1);
        if (bstep__sl_open(path, w->f, err, err_len) != 0) {
            free(w);
            return BSTEP_EIO;
        }
    } else {
        if (strcmp(path, "-") == 0) {
            w->f[0] = stdout;
            w->to_stdout = 1;
        } else if ((w->f[0] = fopen(path, "w")) == NULL) {
            snprintf(err, err_len, "%s: cannot create: %s", path, strerror(errno));
            free(w);
            return BSTEP_EIO;
        }
        if (opt->format == BSTEP_FORMAT_CSV)
            fputs("time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),gyr_x (deg/s),gyr_y (deg/s),"
                  "gyr_z (deg/s)\n",
                  w->f[0]);
        else
            bstep__xsens_write_header(w->f[0], opt->sample_rate_hz);
    }
    *out = w;
    return BSTEP_OK;
}

int bstep_rec_writer_write(bstep_rec_writer *w, const bstep_imu_sample *s, size_t n)
{
    size_t i;
    const int d = w->opt.decimals;
    for (i = 0; i < n; i++) {
        const bstep_imu_sample *x = &s[i];
        int rc = 0;
        switch (w->opt.format) {
        case BSTEP_FORMAT_CSV: {
            /* t_us >= 0 in simulated data; print seconds exactly from integer microseconds */
            const long long t = (long long)x->t_us;
            rc = fprintf(w->f[0], "%s%lld.%06lld,%.*f,%.*f,%.*f,%.*f,%.*f,%.*f\n", t < 0 ? "-" : "",
                         (t < 0 ? -t : t) / 1000000LL, (t < 0 ? -t : t) % 1000000LL, d,
                         (double)x->accel_mps2[0], d, (double)x->accel_mps2[1], d,
                         (double)x->accel_mps2[2], d, (double)x->gyro_dps[0], d,
                         (double)x->gyro_dps[1], d, (double)x->gyro_dps[2]) < 0
                     ? -1
                     : 0;
            break;
        }
        case BSTEP_FORMAT_XSENS: {
            const double period_us = 1e6 / w->opt.sample_rate_hz;
            const long long counter = (long long)((double)x->t_us / period_us + 0.5);
            rc = bstep__xsens_write_row(w->f[0], counter, x, d);
            break;
        }
        default:
            rc = bstep__sl_write_row(w->f, w->opt.epoch_ns, x, d);
            break;
        }
        if (rc != 0) {
            w->failed = 1;
            return BSTEP_EIO;
        }
    }
    return BSTEP_OK;
}

int bstep_rec_writer_close(bstep_rec_writer *w)
{
    int rc = BSTEP_OK, i;
    if (w == NULL)
        return BSTEP_OK;
    for (i = 0; i < 2; i++) {
        if (w->f[i] == NULL)
            continue;
        if (ferror(w->f[i]))
            rc = BSTEP_EIO;
        if (w->to_stdout) {
            if (fflush(w->f[i]) != 0)
                rc = BSTEP_EIO;
        } else if (fclose(w->f[i]) != 0)
            rc = BSTEP_EIO;
    }
    if (w->opt.format == BSTEP_FORMAT_SENSORLOGGER &&
        bstep__sl_write_metadata(w->dir, w->opt.sample_rate_hz, w->opt.epoch_ns) != 0)
        rc = BSTEP_EIO;
    if (w->failed)
        rc = BSTEP_EIO;
    free(w);
    return rc;
}
