/*
 * Parser of the Sensor Logger HTTP push message (reference/formats.md section 1):
 *   {"messageId": N, "sessionId": "...", "deviceId": "...",
 *    "payload": [{"name": "accelerometer", "time": 1698501144401773000,
 *                 "values": {"x": .., "y": .., "z": ..}}, ...]}
 * Times are UTC epoch nanoseconds as JSON numbers above 2^53: they are taken from the digits of
 * the token text, never through a double (cJSON keeps only a double). Values stay in the app's
 * units (m/s^2, rad/s) and frame; the live session converts them.
 *
 * The parser is a pure function from bytes to a message (it allocates the sample array): no I/O,
 * limits on everything (body length is capped by the caller; entries, string lengths and nesting
 * are capped here), and every rejection names the JSON path of the offending field.
 */
#ifndef BSTEP_SERVER_INGEST_H
#define BSTEP_SERVER_INGEST_H

#include <stddef.h>
#include <stdint.h>

/** Sensor streams the server uses. Others (orientation, location, camera, ...) are skipped. */
typedef enum {
    BSTEP__STREAM_ACCEL = 0, /**< "accelerometer": user acceleration, gravity removed, m/s^2 */
    BSTEP__STREAM_TOTAL,     /**< "totalacceleration": with gravity (Android), m/s^2 */
    BSTEP__STREAM_GRAVITY,   /**< "gravity", m/s^2 */
    BSTEP__STREAM_GYRO,      /**< "gyroscope", rad/s */
    BSTEP__STREAM_COUNT
} bstep__stream;

/** Stable names of the streams ("accelerometer", ...), as in the push message. */
const char *bstep__stream_name(int stream);

/** Longest sessionId / deviceId accepted, bytes. */
#define BSTEP__INGEST_ID_MAX 127
/** Most payload entries in one message (a 1 s batch of 8 sensors at 500 Hz is 4000). */
#define BSTEP__INGEST_MAX_ENTRIES 65536
/** Deepest JSON nesting accepted (the schema needs 4). */
#define BSTEP__INGEST_MAX_DEPTH 8

typedef struct {
    int64_t t_ns;   /**< UTC epoch, nanoseconds */
    double v[3];    /**< x, y, z in the app's units (m/s^2 or rad/s), device frame */
    uint8_t stream; /**< bstep__stream */
} bstep__ingest_sample;

typedef struct {
    int64_t message_id; /**< -1 when the message has none */
    char session_id[BSTEP__INGEST_ID_MAX + 1];
    char device_id[BSTEP__INGEST_ID_MAX + 1];
    bstep__ingest_sample *samples; /**< allocated; free with bstep__ingest_free */
    size_t n_samples;
    size_t skipped_entries; /**< entries of other sensors (orientation, location, ...) */
} bstep__ingest_msg;

/**
 * Parse one push message of len bytes (need not be NUL-terminated).
 * @return 0, or -1 with err naming the byte offset or JSON path and what is wrong; out is then
 *         empty (nothing to free, but bstep__ingest_free is harmless). -2: out of memory.
 */
int bstep__ingest_parse(const char *body, size_t len, bstep__ingest_msg *out, char *err,
                        size_t err_len);
void bstep__ingest_free(bstep__ingest_msg *m);

/**
 * An identifier (sessionId, deviceId, label) is accepted when it has 1..max bytes of printable
 * ASCII other than quotes, backslash and angle brackets. @return 1 when valid.
 */
int bstep__ingest_id_valid(const char *s, size_t len, size_t max);

#endif
