/*
 * backstep: the command-line tool. A client of the library only: each subcommand lives in its own
 * cmd_<name>.c. The library never prints; this program decides what the user sees.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "activity_cli.h"
#include "backstep/status.h"
#include "backstep/version.h"
#include "cli.h"
#include "cmd_energy.h"
#include "cmd_serve.h"
#include "cmd_simulate.h"
#include "store_cli.h"

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"analyze", bstep_cmd_analyze, "analyse recordings: steps, bouts, cadence, rhythm"},
    {"validate", bstep_cmd_validate, "score the analysis against truth files (*.truth.json)"},
    {"simulate", bstep_cmd_simulate, "write a synthetic recording with exact truth"},
    {"energy", bstep_cmd_energy, "energy cost (METs, VO2, kcal) of walking or running"},
    {"serve", bstep_cmd_serve, "dashboard, REST API and live ingest from a phone (HTTP)"},
    {"token", bstep_cmd_token, "create, list and revoke access tokens for serve"},
    {"history", bstep_cmd_history, "list the stored sessions (date, direction filters)"},
    {"import", bstep_cmd_import, "merge FIT, TCX and treadmill logs into the history by time"},
    {"export", bstep_cmd_export, "write sessions as FIT, TCX, CSV or JSON activity files"},
    {"report", bstep_cmd_report, "week/month/year totals and progress trends (text, JSON, HTML)"},
    {"plan", bstep_cmd_plan,
     "retro-walking plan: start (with safety questions), show, today, calendar"},
    {"checkin", bstep_cmd_checkin, "record pain and wellbeing (0-10), or list check-ins"},
    {"batch", bstep_cmd_batch, "analyse and store every recording under folders, on all cores"},
};

static void usage(FILE *f)
{
    size_t i;
    fprintf(f, "backstep %s: a backward-walking coach that knows which way you walk.\n\n",
            bstep_version_string());
    fprintf(f, "Usage: backstep COMMAND [OPTIONS] [ARGS]\n\nCommands:\n");
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nOptions:\n  --help     this text (each command has its own --help)\n"
               "  --version  library and header versions\n\n"
               "Example: backstep analyze examples/retro-session.csv\n");
}

int main(int argc, char **argv)
{
    size_t i;
    /* Numbers are read and written with '.' whatever the user's locale. */
    setlocale(LC_ALL, "C");
    if (argc < 2) {
        usage(stderr);
        return BSTEP_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return BSTEP_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("backstep %s (library %s, headers %s)\n", BSTEP_VERSION_STRING,
               bstep_version_string(), BSTEP_VERSION_STRING);
        return BSTEP_EXIT_OK;
    }
    /* A file-size limit (ulimit -f) makes a write fail with EFBIG, reported like a full disk,
     * instead of killing the process in the middle of its work (docs/bad-input.md). */
    signal(SIGXFSZ, SIG_IGN);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc - 1, argv + 1);
            /* A report that could not be written whole (a full disk behind a redirection) is
             * an error, never a silently shortened output. */
            errno = 0;
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "backstep %s: standard output: write error%s%s\n", argv[1],
                        errno ? ": " : "", errno ? strerror(errno) : "");
                if (rc == BSTEP_EXIT_OK)
                    rc = BSTEP_EXIT_INPUT;
            }
            return rc;
        }
    fprintf(stderr, "backstep: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return BSTEP_EXIT_USAGE;
}
