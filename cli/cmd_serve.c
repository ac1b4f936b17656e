/*
 * backstep serve: runs the HTTP server (src/server) until SIGTERM or SIGINT, then shuts down
 * gracefully: requests in flight finish, live sessions are analysed to their end and stored.
 * Signals are blocked in every thread and taken here with sigtimedwait, which also paces the
 * once-a-second housekeeping (live-stream timeouts).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backstep/status.h"
#include "cli.h"
#include "cmd_serve.h"
#include "server/server.h"

#define CMD "serve"

static void help(void)
{
    printf("Usage: backstep serve [--db URL] [--listen HOST:PORT] [OPTIONS]\n\n"
           "Serves the dashboard (sessions, progress, plan, live), the REST API (docs/api.md) and\n"
           "live ingest from the Sensor Logger app's HTTP push (POST /api/ingest). Every API call\n"
           "needs an access token made with `backstep token create --user NAME`.\n\n"
           "Options:\n"
           "  --db URL              store: SQLite file or postgresql://... (default: the\n"
           "                        user's SQLite database, or $BACKSTEP_DB)\n"
           "  --listen HOST:PORT    address to listen on (127.0.0.1:8080; loopback only unless\n"
           "                        you choose otherwise; port 0 picks a free port)\n"
           "  --live-timeout S      a live stream silent this long is ended and stored (30)\n"
           "  --reorder-ms MS       reorder window for live samples (200)\n"
           "  --max-ingest-kb KB    largest push message (4096)\n"
           "  --max-upload-mb MB    largest uploaded recording (64)\n"
           "  --max-body-kb KB      largest other request body (64)\n"
           "  --max-connections N   simultaneous connections (512)\n"
           "  --db-connections N    database connections in the pool (4)\n"
           "  --upload-dir DIR      where uploads are kept while analysed ($TMPDIR or /tmp)\n\n"
           "Prints \"listening on http://HOST:PORT\" once ready. SIGTERM or SIGINT stops it\n"
           "gracefully. Details: docs/server.md.\n");
}

static int parse_size(const char *opt, const char *v, double lo, double hi, double *out)
{
    return bstep__parse_double(CMD, opt, v, lo, hi, out);
}

int bstep_cmd_serve(int argc, char **argv)
{
    bstep__opts p;
    bstep__server_options o;
    bstep_server *s = NULL;
    char err[1024];
    sigset_t set;
    int rc;
    bstep__server_options_init(&o);
    bstep__opts_init(&p, argc, argv);
    while (bstep__opts_next(&p)) {
        const char *v;
        double d;
        if (p.arg != NULL)
            return bstep__usage_error(CMD, "unexpected argument '%s'", p.arg);
        if (strcmp(p.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        }
        v = bstep__opts_value(&p, CMD);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(p.name, "db") == 0)
            o.db_url = v;
        else if (strcmp(p.name, "listen") == 0)
            o.listen = v;
        else if (strcmp(p.name, "upload-dir") == 0)
            o.upload_dir = v;
        else if (strcmp(p.name, "live-timeout") == 0) {
            if (parse_size(p.name, v, 1, 86400, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o.live_timeout_s = (int)d;
        } else if (strcmp(p.name, "reorder-ms") == 0) {
            if (parse_size(p.name, v, 0, 5000, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o.reorder_ms = (int)d;
        } else if (strcmp(p.name, "max-ingest-kb") == 0) {
            if (parse_size(p.name, v, 1, 65536, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o.max_ingest_bytes = (size_t)d * 1024u;
        } else if (strcmp(p.name, "max-upload-mb") == 0) {
            if (parse_size(p.name, v, 1, 4096, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o.max_upload_bytes = (size_t)d * 1024u * 1024u;
        } else if (strcmp(p.name, "max-body-kb") == 0) {
            if (parse_size(p.name, v, 1, 16384, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o.max_body_bytes = (size_t)d * 1024u;
        } else if (strcmp(p.name, "max-connections") == 0) {
            if (parse_size(p.name, v, 4, 65536, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o.max_connections = (unsigned)d;
        } else if (strcmp(p.name, "db-connections") == 0) {
            if (parse_size(p.name, v, 1, 64, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o.store_handles = (unsigned)d;
        } else
            return bstep__usage_error(CMD, "unknown option --%s", p.name);
    }
    /* block the stop signals in every thread the server starts; this thread waits for them */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    rc = bstep__server_open(&s, &o, err, sizeof(err));
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep serve: %s\n", err);
        return BSTEP_EXIT_INPUT;
    }
    {
        const char *l = o.listen;
        const char *colon = strrchr(l, ':');
        printf("listening on http://%.*s:%u\n", (int)(colon - l), l, bstep__server_port(s));
        fflush(stdout);
    }
    sigdelset(&set, SIGPIPE);
    for (;;) {
        struct timespec one = {1, 0};
        int sig = sigtimedwait(&set, NULL, &one);
        if (sig == SIGTERM || sig == SIGINT) {
            fprintf(stderr, "backstep serve: %s: finishing requests and live sessions\n",
                    sig == SIGTERM ? "SIGTERM" : "SIGINT");
            break;
        }
        if (sig < 0 && errno != EAGAIN && errno != EINTR) {
            fprintf(stderr, "backstep serve: sigtimedwait: %s\n", strerror(errno));
            break;
        }
        bstep__server_tick(s);
    }
    bstep__server_shutdown(s);
    bstep__server_close(s);
    fprintf(stderr, "backstep serve: stopped\n");
    return BSTEP_EXIT_OK;
}
