/* backstep analyze: analyse recordings and print the session report (text or JSON). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backstep/io.h"
#include "backstep/status.h"
#include "cli.h"
#include "report/report.h"

static void help(void)
{
    printf(
        "Usage: backstep analyze FILE... [OPTIONS]\n\n"
        "Analyse motion-sensor recordings: walking bouts, steps (initial and final contacts),\n"
        "cadence, stride-time variability and left/right step-time symmetry, plus a data-quality\n"
        "report. FILE may be '-' for standard input (canonical CSV or Xsens text).\n\n"
        "Options:\n"
        "  --placement P      foot-left | foot-right | foot | lower-back | pocket | auto\n"
        "                     (default auto: foot or lower back, guessed from the first 60 s)\n"
        "  --input-format F   auto | csv | sensorlogger | phyphox | xsens   (default auto:\n"
        "                     detected from the content)\n"
        "  --format F         text | json (default text). JSON follows schema\n"
        "                     backstep.analysis/1 (docs/json-schema.md); several files give an "
        "array\n"
        "  --toe-axis A       foot mounting: where the toes point in the sensor frame,\n"
        "                     +x|-x|+y|-y|+z|-z|auto (default auto)\n"
        "  --front-axis A     trunk/pocket mounting: where the chest points (default auto)\n"
        "  --mass-kg KG       body mass for the energy estimate, 20..300 (default: 70 kg is\n"
        "                     assumed and the report says so)\n"
        "  --no-store         do not store the session (storage is not in this version yet, so\n"
        "                     nothing is stored either way)\n"
        "  --db URL           session database (not available in this version)\n"
        "  --progress         show progress on standard error (default: when it is a terminal)\n"
        "  --help             this text\n\n"
        "Exit status: 0 all files analysed, 2 usage error, 3 a file could not be read.\n");
}

int bstep_cmd_analyze(int argc, char **argv)
{
    const char *cmd = "analyze";
    bstep__analysis_options opt;
    bstep__opts o;
    const char *files[1024];
    size_t nfiles = 0, i, failed = 0, printed = 0;
    int json = 0, progress = isatty(2);

    memset(&opt, 0, sizeof(opt));
    opt.placement = BSTEP_PLACEMENT_AUTO;
    opt.mass_kg = (double)NAN;
    opt.format = BSTEP_FORMAT_AUTO;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL) {
            if (nfiles == sizeof(files) / sizeof(files[0]))
                return bstep__usage_error(cmd, "too many files (at most 1024 per call)");
            files[nfiles++] = o.arg;
            continue;
        }
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        } else if (strcmp(o.name, "no-store") == 0) {
            continue;
        } else if (strcmp(o.name, "progress") == 0) {
            progress = 1;
            continue;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "placement") == 0) {
            if (bstep_placement_parse(v, &opt.placement) != BSTEP_OK)
                return bstep__usage_error(cmd, "--placement: unknown placement '%s'", v);
        } else if (strcmp(o.name, "input-format") == 0) {
            if (bstep_format_parse(v, &opt.format) != BSTEP_OK)
                return bstep__usage_error(cmd, "--input-format: unknown format '%s'", v);
        } else if (strcmp(o.name, "format") == 0) {
            if (strcmp(v, "json") == 0)
                json = 1;
            else if (strcmp(v, "text") == 0)
                json = 0;
            else
                return bstep__usage_error(cmd, "--format: expected text or json, not '%s'", v);
        } else if (strcmp(o.name, "mass-kg") == 0) {
            if (bstep__parse_double(cmd, o.name, v, 20.0, 300.0, &opt.mass_kg) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "toe-axis") == 0) {
            if (bstep_axis_parse(v, &opt.toe_axis) != BSTEP_OK)
                return bstep__usage_error(cmd, "--toe-axis: expected +x|-x|+y|-y|+z|-z|auto");
        } else if (strcmp(o.name, "front-axis") == 0) {
            if (bstep_axis_parse(v, &opt.front_axis) != BSTEP_OK)
                return bstep__usage_error(cmd, "--front-axis: expected +x|-x|+y|-y|+z|-z|auto");
        } else if (strcmp(o.name, "db") == 0) {
            fprintf(stderr, "backstep analyze: --db: session storage is not available in this "
                            "version; run without --db\n");
            return BSTEP_EXIT_USAGE;
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (nfiles == 0)
        return bstep__usage_error(cmd, "no recording given");
    opt.progress = progress;
    if (json && nfiles > 1)
        printf("[\n");
    for (i = 0; i < nfiles; i++) {
        bstep__analysis a;
        char err[1024] = "";
        int rc = bstep__analyze_file(files[i], &opt, &a, err, sizeof(err));
        if (rc != BSTEP_OK) {
            fprintf(stderr, "backstep analyze: %s\n", err[0] ? err : bstep_strerror(rc));
            failed++;
        } else if (json) {
            if (printed++ > 0)
                printf(",\n");
            bstep__report_json(stdout, &a);
        } else {
            if (printed++ > 0)
                printf("\n");
            bstep__report_text(stdout, &a);
        }
        bstep__analysis_free(&a);
    }
    if (json && nfiles > 1)
        printf("]\n");
    fflush(stdout);
    return failed ? BSTEP_EXIT_INPUT : BSTEP_EXIT_OK;
}
