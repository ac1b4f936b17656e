/*
 * Activity files: what a watch or a treadmill records about a session (heart rate, cadence,
 * speed, distance, incline, position) rather than raw motion. Readers for Garmin FIT activity
 * files, TCX v2 and Bluetooth FTMS treadmill logs (docs/formats.md); writers for FIT, TCX, CSV
 * and JSON.
 *
 * Units are in every name: time in int64 microseconds of Unix time (UTC), heart_rate_bpm beats
 * per minute, cadence_spm steps per minute (both feet: a watch's "strides per minute" times 2),
 * speed_mps m/s, distance_m metres, incline_pct percent (rise/run x 100), altitude_m metres
 * above mean sea level, latitude_deg / longitude_deg WGS84 degrees, energy_kcal kcal.
 * A value the file does not give is NAN: readers never fill in, interpolate or invent values.
 *
 * Readers stream (fixed memory whatever the file length) and stop at the first problem with a
 * message naming the file, the byte offset (FIT) or line (TCX, FTMS) and the field, e.g.
 *   "run.fit: byte 1234: record (20) field 3 'heart_rate': base type string, expected a number".
 * Records already delivered are not withdrawn. The library never prints.
 */
#ifndef BACKSTEP_ACTIVITY_H
#define BACKSTEP_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/export.h"
#include "backstep/io.h"
#include "backstep/status.h"
#include "backstep/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One point in time of an activity. Unknown values are NAN. */
typedef struct {
    bstep_time_us t_us;    /**< Unix time, microseconds (FTMS: the log's timestamp) */
    double heart_rate_bpm; /**< 20 .. 250 */
    double cadence_spm;    /**< steps per minute, both feet, 0 .. 510 */
    double speed_mps;      /**< 0 .. 50 */
    double distance_m;     /**< cumulative from the start of the recording, >= 0 */
    double incline_pct;    /**< treadmill incline or FIT grade, -100 .. 100 */
    double altitude_m;     /**< -500 .. 12000 */
    double latitude_deg;   /**< -90 .. 90 */
    double longitude_deg;  /**< -180 .. 180 */
    double energy_kcal;    /**< cumulative energy the device reports (FTMS Total Energy) */
} bstep_activity_record;

/** Fill a record with NAN (t_us = 0). */
BSTEP_API void bstep_activity_record_clear(bstep_activity_record *rec);

/** Sports and sub-sports, numbered as in the FIT profile (the values FIT files carry). */
#define BSTEP_SPORT_GENERIC           0
#define BSTEP_SPORT_RUNNING           1
#define BSTEP_SPORT_CYCLING           2
#define BSTEP_SPORT_FITNESS_EQUIPMENT 4
#define BSTEP_SPORT_WALKING           11
#define BSTEP_SUB_SPORT_GENERIC       0
#define BSTEP_SUB_SPORT_TREADMILL     1
#define BSTEP_SUB_SPORT_INDOOR_WALK   27
/** Not known from the file. */
#define BSTEP_SPORT_UNKNOWN 255

/** A lap (FIT lap message, TCX Lap). Unknown values are NAN. */
typedef struct {
    bstep_time_us start_us;    /**< Unix time of the lap start */
    double elapsed_s;          /**< total elapsed time */
    double timer_s;            /**< timer time (pauses excluded) */
    double distance_m;         /**< lap distance */
    double energy_kcal;        /**< lap calories */
    double avg_speed_mps;      /**< mean speed */
    double max_speed_mps;      /**< highest speed */
    double avg_heart_rate_bpm; /**< mean heart rate */
    double max_heart_rate_bpm; /**< highest heart rate */
    double avg_cadence_spm;    /**< mean cadence, steps per minute */
    int sport;                 /**< BSTEP_SPORT_*, BSTEP_SPORT_UNKNOWN */
    int sub_sport;             /**< BSTEP_SUB_SPORT_*, BSTEP_SPORT_UNKNOWN */
} bstep_activity_lap;

/** Fill a lap with NAN / unknown. */
BSTEP_API void bstep_activity_lap_clear(bstep_activity_lap *lap);

/** Text limits of bstep_activity_info. */
#define BSTEP_ACTIVITY_TEXT_MAX 128

/** What the file says about the whole activity (FIT file_id/sport/session, TCX Activity). */
typedef struct {
    bstep_time_us start_us;    /**< session start (FIT session.start_time, TCX Id); 0 if none */
    int sport;                 /**< BSTEP_SPORT_* or BSTEP_SPORT_UNKNOWN */
    int sub_sport;             /**< BSTEP_SUB_SPORT_* or BSTEP_SPORT_UNKNOWN */
    double elapsed_s;          /**< session total elapsed time, NAN if not stated */
    double timer_s;            /**< session timer time, NAN if not stated */
    double distance_m;         /**< session distance, NAN if not stated */
    double energy_kcal;        /**< session calories, NAN if not stated */
    double avg_heart_rate_bpm; /**< NAN if not stated */
    double max_heart_rate_bpm; /**< NAN if not stated */
    double steps;              /**< steps counted by the device (FIT total_cycles x 2), NAN */
    unsigned manufacturer;     /**< FIT manufacturer id (255 = development), 0 if none */
    unsigned product;          /**< FIT product id, 0 if none */
    char name[BSTEP_ACTIVITY_TEXT_MAX];  /**< FIT sport.name, "" if none */
    char notes[BSTEP_ACTIVITY_TEXT_MAX]; /**< TCX Activity/Notes (cut), "" if none */
    bstep_direction direction; /**< walking direction the file notes (backstep's own exports) */
    int has_session;           /**< 1 when a FIT session message or a TCX Activity was seen */
    size_t laps; /**< laps in the file (only the first BSTEP_ACTIVITY_MAX_LAPS kept) */
} bstep_activity_info;

/** Fill info with NAN / unknown / empty. */
BSTEP_API void bstep_activity_info_clear(bstep_activity_info *info);

/** Laps a reader keeps (fixed memory); further laps are counted, not kept. */
#define BSTEP_ACTIVITY_MAX_LAPS 256

/** Data quality of an activity file, complete at end of data. */
typedef struct {
    uint64_t records;             /**< records delivered */
    bstep_time_us first_t_us;     /**< time of the first record */
    bstep_time_us last_t_us;      /**< time of the last record */
    double median_interval_s;     /**< median of the intervals between records (0 if < 2) */
    uint64_t gaps;                /**< intervals longer than 10 s between records */
    double longest_gap_s;         /**< longest such interval */
    uint64_t backward_timestamps; /**< records earlier than the previous one (dropped) */
    uint64_t invalid_values;      /**< fields holding the format's "invalid" marker (NAN) */
    uint64_t messages;            /**< FIT data messages / TCX trackpoints / FTMS lines read */
    uint64_t skipped_messages;    /**< messages of types not read (FIT), unknown lines (none) */
    uint64_t developer_fields;    /**< FIT developer fields skipped */
} bstep_activity_quality;

/** An open activity file. Opaque. */
typedef struct bstep_activity_reader bstep_activity_reader;

/**
 * @brief Open an activity file.
 * @param[out] out    the reader; NULL on failure.
 * @param[in]  path   file; "-" reads standard input.
 * @param[in]  format BSTEP_FORMAT_FIT, _TCX, _FTMS, or BSTEP_FORMAT_AUTO (from the content).
 * @param[out] err    message on failure (file, offset or line, field); may be NULL.
 * @return BSTEP_OK, BSTEP_EIO, BSTEP_EFORMAT (bad header / not such a file), BSTEP_EINVAL,
 *         BSTEP_ENOMEM.
 */
BSTEP_API int bstep_activity_open(bstep_activity_reader **out, const char *path,
                                  bstep_format format, char *err, size_t err_len);
/**
 * @brief Open an activity file held in memory (must outlive the reader). name is for messages.
 */
BSTEP_API int bstep_activity_open_mem(bstep_activity_reader **out, const void *data, size_t len,
                                      bstep_format format, const char *name, char *err,
                                      size_t err_len);
/**
 * @brief Read up to cap records in time order (non-decreasing t_us).
 * @param[out] n_out records written; 0 with BSTEP_OK means end of data (the FIT file CRC has
 *                   then been checked).
 * @return BSTEP_OK, BSTEP_EFORMAT or BSTEP_EIO (message in bstep_activity_errmsg()). After an
 *         error the reader delivers nothing more.
 */
BSTEP_API int bstep_activity_read(bstep_activity_reader *r, bstep_activity_record *buf, size_t cap,
                                  size_t *n_out);
/** @brief Last error message ("" if none). */
BSTEP_API const char *bstep_activity_errmsg(const bstep_activity_reader *r);
/** @brief The detected (or forced) format. */
BSTEP_API bstep_format bstep_activity_format(const bstep_activity_reader *r);
/** @brief What the file says about the activity so far (complete at end of data: FIT session
 *  and lap messages usually come last). */
BSTEP_API void bstep_activity_get_info(const bstep_activity_reader *r, bstep_activity_info *info);
/** @brief Lap i (0 .. min(info.laps, BSTEP_ACTIVITY_MAX_LAPS) - 1). @return BSTEP_OK or
 *  BSTEP_ENOTFOUND. */
BSTEP_API int bstep_activity_get_lap(const bstep_activity_reader *r, size_t i,
                                     bstep_activity_lap *lap);
/** @brief Quality so far. */
BSTEP_API void bstep_activity_get_quality(const bstep_activity_reader *r,
                                          bstep_activity_quality *q);
/** @brief Close; NULL is a no-op. */
BSTEP_API void bstep_activity_close(bstep_activity_reader *r);

/** 1 when format is one of the activity formats (FIT, TCX, FTMS). */
BSTEP_API int bstep_format_is_activity(bstep_format format);

/* ---- writers ---------------------------------------------------------------------------- */

/** Export formats of bstep_activity_writer_open(). */
typedef enum {
    BSTEP_EXPORT_FIT = 0, /**< FIT activity file (file_id, sport, events, records, laps, session,
                               activity; header and file CRC) */
    BSTEP_EXPORT_TCX,     /**< TCX v2 (TrainingCenterDatabase) */
    BSTEP_EXPORT_CSV,     /**< one line per record, then nothing else (units in the header) */
    BSTEP_EXPORT_JSON     /**< schema backstep.activity/1: info, laps, records */
} bstep_export_format;

/** Stable names "fit", "tcx", "csv", "json". */
BSTEP_API const char *bstep_export_format_name(bstep_export_format f);
/** @return BSTEP_OK or BSTEP_EINVAL. */
BSTEP_API int bstep_export_format_parse(const char *text, bstep_export_format *out);

/** An open activity writer. Opaque. */
typedef struct bstep_activity_writer bstep_activity_writer;

/**
 * @brief Create an activity file. The info's start_us, sport, sub_sport, name, notes and
 * direction are written at the start (FIT file_id/sport, TCX Id); totals come at close.
 * @param[in] path file; "-" is standard output (not for FIT, which patches its header).
 * @return BSTEP_OK, BSTEP_EINVAL, BSTEP_EIO (message in err), BSTEP_ENOMEM.
 */
BSTEP_API int bstep_activity_writer_open(bstep_activity_writer **out, const char *path,
                                         bstep_export_format format,
                                         const bstep_activity_info *info, char *err,
                                         size_t err_len);
/** @brief Append records (non-decreasing t_us; values out of the documented ranges are
 *  BSTEP_ERANGE). @return BSTEP_OK, BSTEP_EINVAL, BSTEP_ERANGE, BSTEP_EIO. */
BSTEP_API int bstep_activity_writer_records(bstep_activity_writer *w,
                                            const bstep_activity_record *rec, size_t n);
/** @brief End a lap (laps are written in order; call once per lap after its records).
 *  @return BSTEP_OK, BSTEP_EINVAL, BSTEP_EIO. */
BSTEP_API int bstep_activity_writer_lap(bstep_activity_writer *w, const bstep_activity_lap *lap);
/**
 * @brief Write the session totals (info: elapsed, timer, distance, energy, heart rate, steps),
 * finish the file (FIT: session, activity, data size and CRC) and close it. With no lap written,
 * one lap covering the whole session is written. NULL w is a no-op.
 * @return BSTEP_OK, BSTEP_EIO (message in err).
 */
BSTEP_API int bstep_activity_writer_close(bstep_activity_writer *w,
                                          const bstep_activity_info *totals, char *err,
                                          size_t err_len);

/** @brief CRC-16 of the FIT protocol (= CRC-16/ARC) over len bytes, continuing from crc
 *  (start with 0). CRC("123456789") = 0xBB3D. */
BSTEP_API uint16_t bstep_fit_crc16(uint16_t crc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
