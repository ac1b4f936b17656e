/*
 * Recording writers: the canonical CSV (DESIGN.md section 6), the Xsens MT text export and the
 * Sensor Logger folder export, plus the truth JSON writer (../shared/data/README.md section 2).
 * Used by `backstep simulate`; they take samples in library units (m/s^2, deg/s, microseconds)
 * and convert at the boundary. Numbers are written with a fixed number of decimals under the "C"
 * locale rules of snprintf (the CLI sets LC_ALL=C), so output is byte-identical across machines.
 */
#ifndef BACKSTEP_WRITERS_H
#define BACKSTEP_WRITERS_H

#include <stddef.h>
#include <stdio.h>

#include "backstep/export.h"
#include "backstep/io.h"
#include "backstep/sim.h"
#include "backstep/status.h"
#include "backstep/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open recording writer. Opaque. */
typedef struct bstep_rec_writer bstep_rec_writer;

/** Options of a recording writer. */
typedef struct {
    bstep_format format; /**< CSV, XSENS or SENSORLOGGER */
    int decimals;        /**< decimals of acc/gyro values, 1..9 (CSV default 5) */
    double
        sample_rate_hz; /**< nominal rate written by the Xsens header and Sensor Logger metadata */
    long long epoch_ns; /**< Sensor Logger: UTC epoch of t = 0, nanoseconds (e.g. 1.7e18) */
} bstep_rec_writer_options;

/**
 * @brief Open a writer.
 * @param[in] path file ("-" = standard output, CSV and Xsens only) or, for Sensor Logger, a folder
 *                 (created if missing) that receives TotalAcceleration.csv, Gyroscope.csv and
 *                 metadata.csv.
 * @return BSTEP_OK, BSTEP_EINVAL (bad options), BSTEP_EIO (cannot create; message in err),
 *         BSTEP_ENOMEM.
 */
BSTEP_API int bstep_rec_writer_open(bstep_rec_writer **out, const char *path,
                                    const bstep_rec_writer_options *opt, char *err, size_t err_len);
/** @brief Write samples in time order. Xsens packet counters follow t_us / period, so samples
 *  dropped before the writer show as counter jumps. @return BSTEP_OK or BSTEP_EIO. */
BSTEP_API int bstep_rec_writer_write(bstep_rec_writer *w, const bstep_imu_sample *s, size_t n);
/** @brief Flush and close; NULL is a no-op. @return BSTEP_OK or BSTEP_EIO (write error). */
BSTEP_API int bstep_rec_writer_close(bstep_rec_writer *w);

/** Everything a truth file holds besides the events. */
typedef struct {
    const char *recording; /**< file name of the recording (no directory) */
    const char *placement; /**< "foot-right", "lower-back", ... */
    double sample_rate_hz;
    unsigned long long seed;
    double height_m, mass_kg;
    const char *scenario_text; /**< written as "scenario" (may be NULL) */
    const char *site;          /**< simulator site name ("foot", "thigh", ...) */
    const char *mounting;      /**< mounting description (may be NULL) */
    int foot_only;             /**< 1: initial/final contacts of the sensor's foot only */
    bstep_foot sensor_foot;    /**< the foot carrying the sensor (foot_only) */
    size_t dropped_samples;    /**< packet loss, samples */
    const char *front_axis;    /**< signed sensor axis nearest the toes/front ("+x"), or NULL */
    double front_vector[3];    /**< exact toe/front direction in sensor axes */
} bstep_truth_info;

/**
 * @brief Write a truth JSON file from the simulator's events.
 * @param[in] ev events (any order; STEP, SEGMENT, STUMBLE, FALL_IMPACT, LOOK_BACK, DROPPED).
 * @return BSTEP_OK, BSTEP_EIO (message in err), BSTEP_ENOMEM.
 */
BSTEP_API int bstep_truth_write(const char *path, const bstep_truth_info *info,
                                const bstep_sim_event *ev, size_t n_ev, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
