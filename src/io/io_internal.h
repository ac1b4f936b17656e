/*
 * Internal interface between reader.c (open, detection, quality accounting) and the format
 * readers (csv.c, xsens.c, sensorlogger.c, phyphox.c). No API promise.
 *
 * A format reader produces candidate samples one at a time through bstep__reader_ops.next; the
 * common code in reader.c drops non-finite rows and duplicate/backward timestamps, flags gaps and
 * clipping, and keeps the quality report. Format readers only set the fields they alone know
 * (nominal rate, gyro presence, gravity removed, counter-based missing samples, rows they drop
 * while joining streams) through bstep__reader_quality().
 */
#ifndef BSTEP_IO_INTERNAL_H
#define BSTEP_IO_INTERNAL_H

#include <stddef.h>

#include "backstep/io.h"
#include "internal/linereader.h"

typedef struct {
    /** Next candidate sample: 1 = one sample in *s, 0 = end of data, < 0 = status (message set
     *  with bstep__reader_fail). */
    int (*next)(bstep_reader *r, void *impl, bstep_imu_sample *s);
    void (*close)(void *impl);
} bstep__reader_ops;

/** Record an error message (printf-style) and return status. */
int bstep__reader_fail(bstep_reader *r, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** The quality report being accumulated (format readers set their own fields in it). */
bstep_quality *bstep__reader_quality(bstep_reader *r);

/** A heart-rate reading of the row at t_us (bstep_reader_heart_rate); keeps one per second.
 * @return BSTEP_OK or BSTEP_ENOMEM (message set). */
int bstep__reader_add_hr(bstep_reader *r, bstep_time_us t_us, float hr_bpm);
/** A treadmill reading of the row at t_us (bstep_reader_treadmill; NAN: not in this row); keeps
 * one point per second, the first reading of each field in it. @return BSTEP_OK or BSTEP_ENOMEM. */
int bstep__reader_add_treadmill(bstep_reader *r, bstep_time_us t_us, float speed_mps,
                                float incline_pct);

/** Install the format implementation (the reader then owns impl). */
void bstep__reader_set_impl(bstep_reader *r, const bstep__reader_ops *ops, void *impl);

/** Report a line-reader failure (too long / read error) for name at the line after lr's last. */
int bstep__reader_lr_fail(bstep_reader *r, const bstep__linereader *lr, const char *name, int lrc);

/** Report a number-parse failure of a field. */
int bstep__reader_field_fail(bstep_reader *r, const char *name, unsigned long long line, size_t col,
                             const char *field, const bstep__field *f, int num_rc);

/* A set of named files: a folder or a zip archive (Sensor Logger, phyphox). */
typedef struct bstep__container bstep__container;

/** Folder or zip path, for messages. */
const char *bstep__container_path(const bstep__container *c);
/** 1 if the container has an entry with this name (zip: also inside one sub-folder). */
int bstep__container_has(bstep__container *c, const char *entry);
/**
 * Open an entry as a byte source. display receives "container/entry" for messages.
 * @return BSTEP_OK, BSTEP_ENOTFOUND, BSTEP_EIO, BSTEP_ENOMEM.
 */
int bstep__container_open(bstep__container *c, const char *entry, bstep__source *src, char *display,
                          size_t display_len);

/* Format openers. Each takes ownership of lr/c-borrowed streams; on failure the message is set
 * with bstep__reader_fail and everything it took is released. */
int bstep__csv_open(bstep_reader *r, bstep__linereader *lr, const char *name);
int bstep__xsens_open(bstep_reader *r, bstep__linereader *lr, const char *name);
int bstep__phyphox_open_file(bstep_reader *r, bstep__linereader *lr, const char *name);
int bstep__phyphox_open_container(bstep_reader *r, bstep__container *c);
int bstep__sensorlogger_open_container(bstep_reader *r, bstep__container *c);
/** A single Sensor Logger CSV (its acceleration stream only); entry is its file name. */
int bstep__sensorlogger_open_file(bstep_reader *r, bstep__linereader *lr, const char *name,
                                  const char *entry);
/** Sensor Logger from two in-memory CSVs (fuzzing): TotalAcceleration.csv and Gyroscope.csv
 *  (gyr may be NULL). */
int bstep__sensorlogger_open_mem(bstep_reader *r, const void *acc, size_t acc_len, const void *gyr,
                                 size_t gyr_len);
/** A reader over bstep__sensorlogger_open_mem (fuzzing). */
int bstep__reader_open_sensorlogger_mem(bstep_reader **out, const void *acc, size_t acc_len,
                                        const void *gyr, size_t gyr_len, char *err, size_t err_len);

/**
 * @brief Open a recording held in memory (fuzzing, tests). The data must outlive the reader.
 * Zip data (Sensor Logger, phyphox) is opened with libzip from the buffer.
 * @param name used in messages.
 */
int bstep__reader_open_mem(bstep_reader **out, const void *data, size_t len, bstep_format format,
                           const char *name, char *err, size_t err_len);

/** Detect a text format from its first bytes; BSTEP_FORMAT_AUTO when nothing matches. */
bstep_format bstep__detect_text(const char *data, size_t len);

/* ---- shared by sensorlogger.c and phyphox.c: one x/y/z stream and linear interpolation ---- */

typedef struct {
    bstep__linereader lr;
    char name[512];
    char sep;
    int allow_comma;
    int time_exp10; /* unit of the time column: -9 ns (Sensor Logger), 0 s (phyphox) */
    size_t ncols;
    size_t nval;          /* values per row: 3 (x, y, z) or 6 (acc x, y, z, gyro x, y, z) */
    size_t col_t, col[6]; /* column of time and of each value */
    char colname[7][64];  /* names for messages: time, then the values */
    double scale[6];      /* value multiplier to library units */
    /* last row read */
    int64_t t_ns;
    double v[6];
    int have_prev;
    int64_t prev_t_ns;
    bstep__field f[65];
} bstep__xyz_stream;

/** Longest accepted row, fields. */
#define BSTEP__XYZ_MAX_COLS 64

/** Open a stream over src (taken) named name for messages. @return BSTEP_OK or BSTEP_ENOMEM. */
int bstep__xyz_init(bstep_reader *r, bstep__xyz_stream *s, bstep__source src, const char *name);
/** Read the first line and map the Sensor Logger columns "time", "x", "y", "z" (any order). */
int bstep__xyz_header_sl(bstep_reader *r, bstep__xyz_stream *s, double scale);
/** Next row with a strictly increasing time (duplicates/backward dropped and counted).
 *  @return 1, 0 end, < 0 status. */
int bstep__xyz_next(bstep_reader *r, bstep__xyz_stream *s);
void bstep__xyz_close(bstep__xyz_stream *s);

typedef struct {
    bstep__xyz_stream *s;
    int n; /* rows held: 0, 1 or 2 */
    int eof;
    int64_t t0, t1;
    double v0[3], v1[3];
} bstep__interp;

/** Nanoseconds to microseconds, rounded half away from zero (no overflow). */
int64_t bstep__ns_to_us(int64_t ns);

/** Longest bracket to interpolate across, ns. */
#define BSTEP__INTERP_MAX_NS 100000000LL

/** Value of the stream at t_ns by linear interpolation between the two rows around it.
 *  @return 1 (out set), 0 (no bracket within BSTEP__INTERP_MAX_NS), < 0 status. */
int bstep__interp_at(bstep_reader *r, bstep__interp *ip, int64_t t_ns, double out[3]);

#endif
