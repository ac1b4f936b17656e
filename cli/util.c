/* Option parsing and error helpers of the backstep command (see cli.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/types.h"
#include "cli.h"
#include "report/report.h"

void bstep__opts_init(bstep__opts *o, int argc, char **argv)
{
    memset(o, 0, sizeof(*o));
    o->argc = argc;
    o->argv = argv;
    o->i = 1; /* argv[0] is the subcommand name */
}

int bstep__opts_next(bstep__opts *o)
{
    const char *a;
    o->name = NULL;
    o->value = NULL;
    o->arg = NULL;
    if (o->i >= o->argc)
        return 0;
    a = o->argv[o->i++];
    if (!o->only_positional && strcmp(a, "--") == 0) {
        o->only_positional = 1;
        return bstep__opts_next(o);
    }
    if (!o->only_positional && a[0] == '-' && a[1] == '-' && a[2] != '\0') {
        const char *eq = strchr(a + 2, '=');
        size_t n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
        if (n >= sizeof(o->name_buf))
            n = sizeof(o->name_buf) - 1;
        memcpy(o->name_buf, a + 2, n);
        o->name_buf[n] = '\0';
        o->name = o->name_buf;
        o->value = eq ? eq + 1 : NULL;
        return 1;
    }
    if (!o->only_positional && strcmp(a, "-h") == 0) {
        o->name = "help";
        return 1;
    }
    o->arg = a;
    return 1;
}

const char *bstep__opts_value(bstep__opts *o, const char *cmd)
{
    if (o->value != NULL)
        return o->value;
    if (o->i < o->argc)
        return o->argv[o->i++];
    bstep__usage_error(cmd, "option --%s needs a value", o->name);
    return NULL;
}

int bstep__parse_double(const char *cmd, const char *opt, const char *text, double lo, double hi,
                        double *out)
{
    char *end = NULL;
    double v;
    errno = 0;
    v = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !isfinite(v)) {
        bstep__usage_error(cmd, "--%s: '%s' is not a number", opt, text);
        return -1;
    }
    if (v < lo || v > hi) {
        bstep__usage_error(cmd, "--%s: %s is outside %g..%g", opt, text, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int bstep__parse_accel_range(const char *cmd, const char *text, double *out_mps2)
{
    char why[160];
    if (bstep__accel_range_parse(text, out_mps2, why, sizeof(why)) != BSTEP_OK) {
        bstep__usage_error(cmd, "--accel-range: %s", why);
        return -1;
    }
    return 0;
}

int bstep__usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "backstep %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'backstep %s --help'.\n", cmd);
    return BSTEP_EXIT_USAGE;
}
