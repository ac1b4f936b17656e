/*
 * Xsens MT text export writer (the format of ../shared/data/voisard-2023): line 1
 * "Acquisition frequency: <rate> Hz", line 2 the tab-separated header, then one sample per line:
 * PacketCounter written as a float ("12.0"), acceleration in m/s^2 with gravity, angular rate in
 * rad/s, magnetometer (not simulated) as 0. The packet counter is the sample's nominal index
 * round(t / period), so samples lost before writing appear as counter jumps, as in real exports.
 */
#include <math.h>
#include <stdio.h>

#include "backstep/types.h"

int bstep__xsens_write_header(FILE *f, double rate_hz);
int bstep__xsens_write_row(FILE *f, long long counter, const bstep_imu_sample *s, int decimals);

int bstep__xsens_write_header(FILE *f, double rate_hz)
{
    if (fprintf(f, "Acquisition frequency: %.0f Hz\n", rate_hz) < 0)
        return -1;
    if (fputs("PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\tMag_X\tMag_Y\tMag_Z\n", f) <
        0)
        return -1;
    return 0;
}

int bstep__xsens_write_row(FILE *f, long long counter, const bstep_imu_sample *s, int decimals)
{
    const double r = 3.14159265358979323846 / 180.0;
    const int d = decimals + 1; /* rad/s needs one more digit than deg/s for the same resolution */
    return fprintf(f, "%lld.0\t%.*f\t%.*f\t%.*f\t%.*f\t%.*f\t%.*f\t0.0\t0.0\t0.0\n", counter,
                   decimals, (double)s->accel_mps2[0], decimals, (double)s->accel_mps2[1], decimals,
                   (double)s->accel_mps2[2], d, (double)s->gyro_dps[0] * r, d,
                   (double)s->gyro_dps[1] * r, d, (double)s->gyro_dps[2] * r) < 0
               ? -1
               : 0;
}
