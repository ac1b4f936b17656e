/*
 * Recording readers. Every reader streams (constant memory whatever the file length), converts to
 * the library's units (m/s^2, deg/s, microseconds) and reports data quality instead of repairing
 * anything silently. Formats are detected from the content, not the file name.
 *
 * Errors carry the file, the line, the column (1-based) and the field, e.g.
 *   "walk.csv:17:3: field 'acc_y (g)': not a number: '0.1x'".
 * The library never prints; callers show bstep_reader_errmsg().
 */
#ifndef BACKSTEP_IO_H
#define BACKSTEP_IO_H

#include <stdint.h>

#include "backstep/export.h"
#include "backstep/status.h"
#include "backstep/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Recording formats. */
typedef enum {
    BSTEP_FORMAT_AUTO = 0,
    BSTEP_FORMAT_CSV,          /**< canonical CSV, DESIGN.md section 6 */
    BSTEP_FORMAT_SENSORLOGGER, /**< Sensor Logger export: folder or .zip */
    BSTEP_FORMAT_PHYPHOX,      /**< phyphox CSV export (five dialects), file or .zip */
    BSTEP_FORMAT_XSENS,        /**< Xsens MT text export */
    BSTEP_FORMAT_FIT,
    BSTEP_FORMAT_TCX,
    BSTEP_FORMAT_FTMS
} bstep_format;

/** Stable names: "auto", "csv", "sensorlogger", "phyphox", "xsens", "fit", "tcx", "ftms". */
BSTEP_API const char *bstep_format_name(bstep_format f);
/** @return BSTEP_OK or BSTEP_EINVAL for an unknown name. */
BSTEP_API int bstep_format_parse(const char *text, bstep_format *out);

/**
 * Data-quality report of one recording. Complete once bstep_reader_read() has returned 0 samples
 * (end of data); before that it describes the samples delivered so far.
 */
typedef struct {
    uint64_t samples;              /**< samples delivered */
    double sample_rate_hz;         /**< median of the sampling intervals, Hz (0 if < 2 samples) */
    double nominal_rate_hz;        /**< rate stated by the file header, Hz (0 if none) */
    bstep_time_us first_t_us;      /**< time of the first sample as stored in the file */
    bstep_time_us last_t_us;       /**< time of the last sample */
    uint64_t gaps;                 /**< interval > 1.5 x median, or a counter jump */
    double longest_gap_s;          /**< longest such interval, seconds */
    uint64_t missing_samples;      /**< samples known to be missing (counter jumps) */
    uint64_t duplicate_timestamps; /**< rows with the previous row's time (dropped) */
    uint64_t backward_timestamps;  /**< rows earlier than the previous row (dropped) */
    uint64_t nonfinite_values;     /**< NaN or infinite values (row dropped) */
    uint64_t clipped_samples;      /**< samples with an axis at the sensor range limit */
    uint64_t dropped_rows;         /**< rows not delivered, all causes */
    int has_gyro;                  /**< 1 if the recording has angular rates */
    int gravity_removed;           /**< 1 if the source gave acceleration without gravity */
} bstep_quality;

/** An open recording. Opaque. */
typedef struct bstep_reader bstep_reader;

/**
 * @brief Open a recording.
 * @param[out] out     the reader; NULL on failure.
 * @param[in]  path    file or folder (Sensor Logger folder); "-" reads standard input (CSV and
 *                     Xsens only).
 * @param[in]  format  BSTEP_FORMAT_AUTO to detect from the content.
 * @param[out] err     message buffer for failures (file and reason); may be NULL.
 * @param[in]  err_len size of err in bytes.
 * @return BSTEP_OK, BSTEP_EIO (cannot open/read), BSTEP_EFORMAT (not a recording / bad header),
 *         BSTEP_EUNSUPPORTED (format known but not readable as samples), BSTEP_ENOMEM.
 */
BSTEP_API int bstep_reader_open(bstep_reader **out, const char *path, bstep_format format,
                                char *err, size_t err_len);

/**
 * @brief Read up to cap samples in time order.
 * @param[out] buf   samples; timestamps are in microseconds as stored in the file (not shifted).
 * @param[in]  cap   capacity of buf, >= 1.
 * @param[out] n_out samples written; 0 with BSTEP_OK means end of data.
 * @return BSTEP_OK, or BSTEP_EFORMAT / BSTEP_EIO with bstep_reader_errmsg() naming file, line,
 *         column and field. After an error the reader delivers nothing more.
 */
BSTEP_API int bstep_reader_read(bstep_reader *r, bstep_imu_sample *buf, size_t cap, size_t *n_out);

/** @brief Last error message ("" if none). Owned by the reader. */
BSTEP_API const char *bstep_reader_errmsg(const bstep_reader *r);
/** @brief The detected (or forced) format. */
BSTEP_API bstep_format bstep_reader_format(const bstep_reader *r);
/** @brief Copy the quality report so far (complete after end of data). */
BSTEP_API void bstep_reader_quality(const bstep_reader *r, bstep_quality *q);
/**
 * @brief How much of the input has been read, for a progress bar: a fraction 0..1 of the file's
 * bytes (read ahead of the samples delivered by at most one read buffer, 64 KiB), or -1 when the
 * size is not known (standard input, a pipe, a folder or a zip archive).
 */
BSTEP_API double bstep_reader_progress(const bstep_reader *r);
/** @brief Close; NULL is a no-op. */
BSTEP_API void bstep_reader_close(bstep_reader *r);

/** One heart-rate reading carried by a recording. */
typedef struct {
    bstep_time_us t_us; /**< time of the row, as stored in the file (not shifted) */
    float hr_bpm;       /**< beats per minute, 20..250 */
} bstep_hr_point;

/**
 * @brief The heart-rate readings read so far (canonical CSV column `hr (bpm)`), at most one per
 * second (the first reading of each second: watch and chest-strap heart rate is updated about once
 * a second). A row with an empty field, NaN or 0 (a sensor without contact) has no reading; a value
 * outside 20..250 bpm is an error naming the file, line and column.
 * @param[out] points the readings in time order; owned by the reader, valid until the next read
 *                    or close.
 * @return the number of readings (0 when the recording has none).
 */
BSTEP_API size_t bstep_reader_heart_rate(const bstep_reader *r, const bstep_hr_point **points);

/** One second of a treadmill's readings carried by a recording. */
typedef struct {
    bstep_time_us t_us; /**< time of the first row of that second, as stored in the file */
    float speed_mps;    /**< belt speed, 0..50 m/s; NAN when no row of the second had one */
    float incline_pct;  /**< incline (grade), -100..100 %; NAN when no row had one */
} bstep_treadmill_point;

/**
 * @brief The treadmill readings read so far (canonical CSV columns `speed (m/s)` or
 * `speed (km/h)`, and `incline (%)`), at most one point per second (the first reading of each
 * column within the second). An empty field or NaN is no reading; a speed outside 0..50 m/s or an
 * incline outside -100..100 % is an error naming the file, line and column.
 * @param[out] points the points in time order; owned by the reader, valid until the next read
 *                    or close.
 * @return the number of points (0 when the recording has no treadmill columns).
 */
BSTEP_API size_t bstep_reader_treadmill(const bstep_reader *r,
                                        const bstep_treadmill_point **points);

/**
 * @brief Detect a format from the first bytes of a file (and, for folders/zips, entry names).
 * @return BSTEP_OK and the format, BSTEP_EFORMAT if nothing matches, BSTEP_EIO.
 */
BSTEP_API int bstep_format_detect(const char *path, bstep_format *out, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
