/*
 * Embedding example: the streaming core as a shoe sensor or treadmill console would use it.
 * One analyzer object owned by the caller (no allocation), samples fed one at a time as they
 * arrive, events handled as they come out. Here the samples come from the canonical CSV on
 * standard input (the reader is the only part that is not the core); on a device they would come
 * from the IMU driver.
 *
 *   cc $(pkg-config --cflags backstep) stream_steps.c $(pkg-config --static --libs backstep)
 *   ./a.out foot-right 100 < walk.csv
 */
#include <stdio.h>
#include <stdlib.h>

#include "backstep/backstep.h"

int main(int argc, char **argv)
{
    static bstep_analyzer an; /* about 40 KB of fixed state: static, not on a small stack */
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    bstep_event ev[BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE];
    bstep_reader *r = NULL;
    bstep_imu_sample s;
    char err[512];
    size_t n, i;
    int rc;

    if (argc != 3 || bstep_placement_parse(argv[1], &cfg.placement) != BSTEP_OK) {
        fprintf(stderr, "usage: stream_steps PLACEMENT RATE_HZ < recording.csv\n");
        return 2;
    }
    cfg.sample_rate_hz = strtof(argv[2], NULL);
    if (bstep_analyzer_init(&an, &cfg) != BSTEP_OK) {
        fprintf(stderr, "stream_steps: invalid settings\n");
        return 2;
    }
    if (bstep_reader_open(&r, "-", BSTEP_FORMAT_CSV, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "stream_steps: %s\n", err);
        return 3;
    }
    while ((rc = bstep_reader_read(r, &s, 1, &n)) == BSTEP_OK && n == 1) {
        n = bstep_analyzer_update(&an, &s, ev, BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE);
        for (i = 0; i < n; i++)
            if (ev[i].type == BSTEP_EVENT_INITIAL_CONTACT)
                printf("step at %.3f s: %s, %s strike\n", (double)ev[i].t_us * 1e-6,
                       bstep_direction_name(ev[i].direction), bstep_strike_name(ev[i].strike));
    }
    if (rc != BSTEP_OK)
        fprintf(stderr, "stream_steps: %s\n", bstep_reader_errmsg(r));
    bstep_reader_close(r);
    return rc == BSTEP_OK ? 0 : 3;
}
