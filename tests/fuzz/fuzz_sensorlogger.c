/*
 * libFuzzer target: the Sensor Logger reader. An input starting with "PK" is opened as a zip
 * export (container path: entry lookup, metadata.csv, gravity and gyro joins); otherwise it is
 * split at its first NUL byte into TotalAcceleration.csv and Gyroscope.csv (no NUL: no gyro),
 * which exercises the per-sensor CSV parsing and the streaming time join.
 */
#include "fuzz_common.h"

static int open_sl(bstep_reader **r, const uint8_t *data, size_t size, void *ctx)
{
    const uint8_t *nul;
    (void)ctx;
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return bstep__reader_open_mem(r, data, size, BSTEP_FORMAT_SENSORLOGGER, "fuzz.zip", NULL,
                                      0);
    nul = size > 0 ? memchr(data, 0, size) : NULL;
    if (nul == NULL)
        return bstep__reader_open_sensorlogger_mem(r, data, size, NULL, 0, NULL, 0);
    return bstep__reader_open_sensorlogger_mem(r, data, (size_t)(nul - data), nul + 1,
                                               size - (size_t)(nul - data) - 1, NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check(open_sl, data, size, NULL);
    return 0;
}
