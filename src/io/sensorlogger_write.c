/*
 * Sensor Logger folder writer (reference/formats.md section 1): TotalAcceleration.csv (m/s^2 with
 * gravity, Android sign convention) and Gyroscope.csv (rad/s), each with the header
 * "time,seconds_elapsed,z,y,x" (note the z, y, x order) and `time` in UTC epoch nanoseconds
 * written as an integer; metadata.csv names the platform (android), so readers apply no sign flip.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "backstep/types.h"

int bstep__sl_open(const char *dir, FILE *files[2], char *err, size_t err_len);
int bstep__sl_write_row(FILE *files[2], long long epoch_ns, const bstep_imu_sample *s,
                        int decimals);
int bstep__sl_write_metadata(const char *dir, double rate_hz, long long epoch_ns);

static int join(char *buf, size_t n, const char *dir, const char *name)
{
    const int k = snprintf(buf, n, "%s/%s", dir, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

int bstep__sl_open(const char *dir, FILE *files[2], char *err, size_t err_len)
{
    char path[4096];
    static const char *const names[2] = {"TotalAcceleration.csv", "Gyroscope.csv"};
    int i;
    files[0] = files[1] = NULL;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "%s: cannot create folder: %s", dir, strerror(errno));
        return -1;
    }
    for (i = 0; i < 2; i++) {
        if (join(path, sizeof(path), dir, names[i]) != 0 || (files[i] = fopen(path, "w")) == NULL) {
            snprintf(err, err_len, "%s/%s: cannot create: %s", dir, names[i], strerror(errno));
            if (files[0])
                fclose(files[0]);
            files[0] = NULL;
            return -1;
        }
        fputs("time,seconds_elapsed,z,y,x\n", files[i]);
    }
    return 0;
}

int bstep__sl_write_row(FILE *files[2], long long epoch_ns, const bstep_imu_sample *s, int decimals)
{
    const double r = 3.14159265358979323846 / 180.0;
    const long long t_ns = epoch_ns + (long long)s->t_us * 1000LL;
    const double el = (double)s->t_us / 1e6;
    if (fprintf(files[0], "%lld,%.6f,%.*f,%.*f,%.*f\n", t_ns, el, decimals,
                (double)s->accel_mps2[2], decimals, (double)s->accel_mps2[1], decimals,
                (double)s->accel_mps2[0]) < 0)
        return -1;
    if (fprintf(files[1], "%lld,%.6f,%.*f,%.*f,%.*f\n", t_ns, el, decimals + 1,
                (double)s->gyro_dps[2] * r, decimals + 1, (double)s->gyro_dps[1] * r, decimals + 1,
                (double)s->gyro_dps[0] * r) < 0)
        return -1;
    return 0;
}

int bstep__sl_write_metadata(const char *dir, double rate_hz, long long epoch_ns)
{
    char path[4096];
    FILE *f;
    int bad;
    if (join(path, sizeof(path), dir, "metadata.csv") != 0 || (f = fopen(path, "w")) == NULL)
        return -1;
    fprintf(f, "version,device name,recording epoch time,platform,appVersion,sampleRateMs,"
               "standardisation\n");
    fprintf(f, "3,backstep simulate,%lld,android,1.30,%.3f,false\n", epoch_ns / 1000000LL,
            1000.0 / rate_hz);
    bad = ferror(f);
    return (fclose(f) != 0 || bad) ? -1 : 0;
}
