/*
 * backstep export: write sessions as activity files a watch platform accepts (FIT, TCX) or as
 * CSV / JSON. --from FILE converts an activity file (FIT, TCX, FTMS treadmill log) without the
 * store, e.g. a treadmill log to a FIT file for a watch platform.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backstep/activity.h"
#include "backstep/status.h"
#include "cli.h"
#include "report/activity_report.h"

static void help(void)
{
    printf("Usage: backstep export [--format fit|tcx|csv|json] --from FILE --out FILE\n\n"
           "Write a session as an activity file. FIT and TCX are what watch platforms import\n"
           "(Garmin Connect, Strava, ...): walks are written as walking (FIT sport 11; indoor\n"
           "walking, sub-sport 27, on a treadmill; TCX Sport \"Other\"), and the walking\n"
           "direction is noted in the FIT sport name (\"Backward walking\") and the TCX notes\n"
           "(\"backstep: backward walking\"). CSV has one line per record, JSON the records,\n"
           "laps and totals (schema backstep.activity/1, docs/formats.md).\n\n"
           "Options:\n"
           "  --from FILE        an activity file (FIT, TCX or FTMS treadmill log) to convert\n"
           "  --input-format F   auto | fit | tcx | ftms for --from (default auto)\n"
           "  --direction D      forward | backward: the direction to note (default: what the\n"
           "                     source notes, else none)\n"
           "  --format F         fit | tcx | csv | json (default: from the --out extension)\n"
           "  --out FILE         the file to write ('-' = standard output, not for FIT)\n"
           "  --help             this text\n\n"
           "Exit status: 0 written, 2 usage error, 3 the input could not be read or the output\n"
           "not written.\n");
}

static int format_from_name(const char *path, bstep_export_format *f)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL)
        return -1;
    return bstep_export_format_parse(dot + 1, f) == BSTEP_OK ? 0 : -1;
}

int bstep_cmd_export(int argc, char **argv)
{
    const char *cmd = "export";
    const char *from = NULL, *out = NULL;
    int have_format = 0;
    bstep_export_format fmt = BSTEP_EXPORT_JSON;
    bstep__activity_options aopt;
    bstep__activity_analysis a;
    bstep__opts o;
    char err[1024] = "";
    int rc;

    memset(&aopt, 0, sizeof(aopt));
    aopt.mass_kg = (double)NAN;
    aopt.age_y = (double)NAN;
    aopt.sex = BSTEP_SEX_UNKNOWN;
    aopt.direction = BSTEP_DIRECTION_UNKNOWN;
    aopt.format = BSTEP_FORMAT_AUTO;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL)
            return bstep__usage_error(cmd, "unexpected argument '%s'", o.arg);
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "from") == 0) {
            from = v;
        } else if (strcmp(o.name, "out") == 0) {
            out = v;
        } else if (strcmp(o.name, "format") == 0) {
            if (bstep_export_format_parse(v, &fmt) != BSTEP_OK)
                return bstep__usage_error(cmd, "--format: expected fit, tcx, csv or json, not '%s'",
                                          v);
            have_format = 1;
        } else if (strcmp(o.name, "input-format") == 0) {
            if (bstep_format_parse(v, &aopt.format) != BSTEP_OK ||
                (aopt.format != BSTEP_FORMAT_AUTO && !bstep_format_is_activity(aopt.format)))
                return bstep__usage_error(cmd, "--input-format: expected auto, fit, tcx or ftms");
        } else if (strcmp(o.name, "direction") == 0) {
            if (bstep_direction_parse(v, &aopt.direction) != BSTEP_OK ||
                (aopt.direction != BSTEP_DIRECTION_FORWARD &&
                 aopt.direction != BSTEP_DIRECTION_BACKWARD))
                return bstep__usage_error(cmd, "--direction: expected forward or backward");
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (out == NULL)
        return bstep__usage_error(cmd, "--out FILE is required");
    if (!have_format && format_from_name(out, &fmt) != 0)
        return bstep__usage_error(cmd,
                                  "give --format (the name '%s' does not say fit, tcx, csv "
                                  "or json)",
                                  out);
    if (fmt == BSTEP_EXPORT_FIT && strcmp(out, "-") == 0)
        return bstep__usage_error(cmd, "a FIT file cannot be written to standard output (its "
                                       "header is completed at the end): give a file name");
    if (from == NULL)
        return bstep__usage_error(cmd, "--from FILE is required");
    rc = bstep__analyze_activity(from, &aopt, &a, err, sizeof(err));
    if (rc == BSTEP_OK) {
        bstep_activity_info info = a.info;
        info.direction = a.direction;
        rc = bstep__activity_export(out, fmt, &info, a.laps, a.n_laps, a.rec, a.n_rec, err,
                                    sizeof(err));
    }
    bstep__activity_analysis_free(&a);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep export: %s\n", err[0] ? err : bstep_strerror(rc));
        return BSTEP_EXIT_INPUT;
    }
    if (strcmp(out, "-") != 0)
        fprintf(stderr, "backstep export: wrote %s (%s)\n", out, bstep_export_format_name(fmt));
    return BSTEP_EXIT_OK;
}
