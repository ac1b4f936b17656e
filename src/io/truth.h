/*
 * Reader of truth files (NAME.truth.json next to a recording; format in ../shared/data/README.md
 * section 2, also written by `backstep simulate`). Internal API used by `backstep validate`.
 */
#ifndef BSTEP_IO_TRUTH_H
#define BSTEP_IO_TRUTH_H

#include <stddef.h>

typedef struct {
    double start_s, end_s;
    char activity[32];
    double distance_m;    /* NAN when not given */
    int left_foot_swings; /* -1 when not given */
} bstep__truth_segment;

typedef struct {
    double start_s, end_s;
    double cadence_spm, stride_length_m, speed_mps; /* NAN when not given */
} bstep__truth_bout;

typedef struct {
    double t_s;
    char type[16]; /* stumble | fall | look-back */
} bstep__truth_event;

typedef struct {
    char recording[512]; /* the "recording" value, a file name next to the truth file */
    char placement[32];
    double sample_rate_hz;
    double *ic_s;
    size_t n_ic;
    double *fc_s;
    size_t n_fc;
    char *ic_side;   /* 'L', 'R' or '?' per initial contact; NULL when not given */
    long step_count; /* -1 when not given */
    bstep__truth_segment *segments;
    size_t n_segments;
    int have_window;
    double window_s[2];     /* event_window_s */
    double (*missing_s)[2]; /* events_missing_in_s */
    size_t n_missing;
    /* Per-stride truth: gaitmap "strides" (anchored at next_ic_s, the contact that ends the
     * stride) or the simulator's "steps" (anchored at ic_s). Unknown fields are NAN / "". */
    double *stride_ic_s;
    double *stride_length_m;
    char (*stride_direction)[16];
    char (*stride_strike)[8];
    unsigned char *stride_turning;
    size_t n_strides;
    /* Reference walking bouts (mobgap): cadence, mean stride length, speed; NAN when unknown. */
    bstep__truth_bout *bouts;
    size_t n_bouts;
    /* A second reference system (mobgap alt_reference: stereophotogrammetry). */
    char alt_system[32];
    double *alt_ic_s;
    size_t n_alt_ic;
    bstep__truth_bout *alt_bouts;
    size_t n_alt_bouts;
    /* Falls (sisfall, umafall): file label (-1 unknown, 0 no fall, 1 fall), impact time. */
    int fall;
    double impact_s;        /* NAN when not given */
    char fall_activity[96]; /* sisfall_activity / umafall_activity */
    /* Simulator truth events (stumble, fall, look-back). */
    bstep__truth_event *events;
    size_t n_events;
    char front_axis[8]; /* simulator: the sensor axis that points to the front ("" unknown) */
} bstep__truth;

/**
 * Load a truth file. On failure returns a negative bstep_status and writes a message naming the
 * file and the field into err.
 */
int bstep__truth_load(const char *path, bstep__truth *t, char *err, size_t err_len);
void bstep__truth_free(bstep__truth *t);

#endif
