/*
 * Shared helpers of the backstep command: subcommand entry points and a small option parser
 * (long options "--name value" or "--name=value"; getopt_long is not part of C11).
 */
#ifndef BSTEP_CLI_H
#define BSTEP_CLI_H

#include <stddef.h>

/* Exit codes: 0 success, 1 the job ran but a check failed (validate thresholds), 2 usage error,
 * 3 input could not be read or analysed. */
#define BSTEP_EXIT_OK    0
#define BSTEP_EXIT_FAIL  1
#define BSTEP_EXIT_USAGE 2
#define BSTEP_EXIT_INPUT 3

int bstep_cmd_analyze(int argc, char **argv);
int bstep_cmd_validate(int argc, char **argv);
int bstep_cmd_plan(int argc, char **argv);
int bstep_cmd_export(int argc, char **argv);

/* Iterates over argv: options (with their values) and positional arguments. */
typedef struct {
    int argc;
    char **argv;
    int i;
    const char *name;    /* current option name without "--", or NULL for a positional */
    const char *value;   /* "=value" part if given inline */
    const char *arg;     /* positional argument */
    int only_positional; /* after "--" */
    char name_buf[64];
} bstep__opts;

void bstep__opts_init(bstep__opts *o, int argc, char **argv);
/** Next item; returns 0 at the end. */
int bstep__opts_next(bstep__opts *o);
/** The value of the current option (inline or the next argv), or NULL with an error printed. */
const char *bstep__opts_value(bstep__opts *o, const char *cmd);
/** Parse a finite number in [lo, hi]; prints an error naming the option and returns -1. */
int bstep__parse_double(const char *cmd, const char *opt, const char *text, double lo, double hi,
                        double *out);
/** --accel-range: "none" (the sensor does not clip: INFINITY) or a full scale of 2..400 g, given
 * in g and returned in m/s^2; prints an error and returns -1 otherwise. */
int bstep__parse_accel_range(const char *cmd, const char *text, double *out_mps2);
/** Print "backstep CMD: message" plus a hint to stderr; returns BSTEP_EXIT_USAGE. */
int bstep__usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
