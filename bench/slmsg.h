/*
 * Sensor Logger push messages from a Sensor Logger export folder (TotalAcceleration.csv and
 * Gyroscope.csv, or Accelerometer.csv + Gravity.csv + Gyroscope.csv, as written by the app or by
 * `backstep simulate --format sensorlogger`), for the test client and the load test: the rows of
 * every stream merged in time order and cut into batches, as the app's HTTP push does.
 */
#ifndef BSTEP_BENCH_SLMSG_H
#define BSTEP_BENCH_SLMSG_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t t_ns;
    double v[3];
    const char *name; /* "totalacceleration", "gyroscope", ... */
} sl_row;

typedef struct {
    sl_row *rows;
    size_t n;
} sl_recording;

/** Read the streams of a Sensor Logger folder. @return 0, or -1 with a message on stderr. */
int sl_read_folder(const char *dir, sl_recording *out);
void sl_free(sl_recording *r);

/** Rows [a, b) whose time is in [t0, t0 + batch): b for the batch starting at row a. */
size_t sl_batch_end(const sl_recording *r, size_t a, int64_t batch_ns);

/**
 * The JSON push message of rows [a, b) with time shift shift_ns, into a malloc'd string.
 * @return the string (free it) or NULL.
 */
char *sl_message(const sl_recording *r, size_t a, size_t b, int64_t shift_ns, long long message_id,
                 const char *session_id, const char *device_id, size_t *len);

#endif
