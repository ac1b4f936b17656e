/*
 * One live session: the samples of a phone streaming Sensor Logger push messages, put back in
 * order, joined into IMU samples and fed to a streaming analyzer as they arrive.
 *
 * Ordering. Messages can arrive out of order or twice (a retry). Each stream (acceleration,
 * gravity, gyroscope) keeps a short sorted buffer; a sample is analysed once the newest time seen
 * on any stream is reorder_ns past it (the reorder window), so a message delayed by less than the
 * window still lands in place. Dropped, and counted: a message whose messageId was already seen
 * (duplicate message), a sample whose stream already holds that exact time (duplicate sample), a
 * sample older than what was already analysed (late: kept for the raw store, not analysed), and an
 * acceleration sample without gyroscope (or gravity) samples within 0.1 s on both sides (unjoined,
 * the same rule as the Sensor Logger file reader, src/io/sensorlogger.c).
 *
 * Joining follows the file reader: totalacceleration when the phone sends it (Android), else
 * accelerometer + gravity (iOS: user acceleration plus gravity), gyroscope interpolated to the
 * acceleration times; iOS accelerations are negated (options.accel_sign = -1) to the library's
 * Android-style convention; rad/s become deg/s.
 *
 * Cues: the coach's real-time cue engine (include/backstep/cues.h) runs on the analyzer's
 * events inside bstep__analysis_add_event; every cue it gives becomes a "cue" line.
 *
 * The analyzer starts after the first 128 joined samples (the sampling rate is estimated from
 * them, as the batch driver does); events become rows of a bstep__analysis (the same structure
 * `backstep analyze` builds, so the stored session is the same) and JSON lines for the live page.
 * Not thread-safe: the server serialises calls per session.
 */
#ifndef BSTEP_SERVER_LIVE_H
#define BSTEP_SERVER_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/analyzer.h"
#include "backstep/summary.h"
#include "report/report.h"
#include "server/ingest.h"

typedef struct {
    bstep_placement placement; /**< not AUTO */
    bstep_axis toe_axis, front_axis;
    double accel_sign;    /**< +1 Android-style, -1 iOS (unstandardised) */
    int64_t reorder_ns;   /**< reorder window, ns (200 ms default) */
    double mass_kg;       /**< walker's mass for energy, NAN: assumed */
    double speed_max_mps; /**< the plan level's top speed for the "slow down" cue; NAN: none */
    size_t max_events;    /**< cap of the JSON event log (oldest kept; later ones counted) */
} bstep__live_options;

#define BSTEP__LIVE_DEFAULT_REORDER_NS 200000000LL

typedef struct {
    uint64_t messages;           /**< messages accepted */
    uint64_t duplicate_messages; /**< dropped: messageId seen before */
    uint64_t samples_received;   /**< samples of known streams in accepted messages */
    uint64_t duplicate_samples;  /**< dropped: same stream and time as a sample held */
    uint64_t late_samples;       /**< behind the analysed point: stored, not analysed */
    uint64_t unjoined_samples;   /**< acceleration without a gyro/gravity bracket */
    uint64_t analysed_samples;   /**< IMU samples fed to the analyzer */
    uint64_t skipped_entries;    /**< entries of other sensors */
    uint64_t events_dropped;     /**< live-page events beyond max_events */
} bstep__live_counters;

/** One line of the live page's event stream. */
typedef struct {
    char *json; /**< "{...}" without newline */
    const char *type;
} bstep__live_event;

typedef struct bstep__live bstep__live;

/** @return 0, or -1 (out of memory / bad options). */
int bstep__live_open(bstep__live **out, const bstep__live_options *opt);
void bstep__live_close(bstep__live *l);

/**
 * Take one parsed message. The samples worth storing (every sample received except exact
 * duplicates) are written to keep[] (capacity >= m->n_samples) and counted in *n_keep.
 * wall_ms: wall-clock time now, epoch milliseconds (put into emitted events for latency).
 * @return 0, 1 when the whole message was a duplicate (nothing kept), -1 out of memory.
 */
int bstep__live_push(bstep__live *l, const bstep__ingest_msg *m, int64_t wall_ms,
                     bstep__ingest_sample *keep, size_t *n_keep);
/** End of the stream: analyse what is buffered, close the analyzer, finish the summary. */
int bstep__live_finish(bstep__live *l, int64_t wall_ms);
/** The speed limit of the "slow down" cue from now on (a plan level's top speed), m/s. */
void bstep__live_set_speed_max(bstep__live *l, double speed_max_mps);
/** The plan's context from now on (bstep__plan_context): the "slow down" speed (ignored when not
 * 0.05..10 m/s) and the planned backward time for the assessment's "walk longer" (ignored when
 * not > 0), as `analyze` and an upload use them. */
void bstep__live_set_context(bstep__live *l, double speed_max_mps, double planned_backward_s);
/** Append a status line (counters, running technique) to the event log. */
int bstep__live_status(bstep__live *l, int64_t wall_ms, const char *state);
/** Append an arbitrary event line (type, JSON object text) to the event log. */
int bstep__live_add_event(bstep__live *l, const char *type, const char *json);

bstep__live_counters bstep__live_get_counters(const bstep__live *l);
/** The analysis so far (rows and, after finish, the summary). NULL before the analyzer starts. */
const bstep__analysis *bstep__live_analysis(const bstep__live *l);
/** Event log: number of lines and line i (0-based). */
size_t bstep__live_n_events(const bstep__live *l);
const bstep__live_event *bstep__live_event_at(const bstep__live *l, size_t i);
/** Error that stopped the analysis (rate out of range...), or "" . */
const char *bstep__live_error(const bstep__live *l);
/** Time of the newest sample seen, epoch ns (0 before any). */
int64_t bstep__live_last_t_ns(const bstep__live *l);
/** Time of the first sample seen, epoch ns (0 before any). */
int64_t bstep__live_first_t_ns(const bstep__live *l);

#endif
