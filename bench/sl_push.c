/*
 * sl_push: the test client of live ingest. Reads a Sensor Logger export folder (from the app, or
 * `backstep simulate --format sensorlogger`) and posts it to `backstep serve` as the app's HTTP
 * push does: one JSON message per batch period, in real time (or faster), optionally with
 * neighbouring messages swapped and some messages sent twice, to exercise the reorder window and
 * the duplicate checks. Prints one JSON line with what was sent and what the server said.
 *
 *   sl_push --url http://127.0.0.1:8080 --token T [--placement foot-right] [--toe-axis +x]
 *           [--batch-ms 200] [--speed 1] [--swap] [--repeat-every N] [--session ID]
 *           [--device ID] [--end] FOLDER
 *   sl_push --url URL --token T --get PATH        (prints the body of one GET, for tests)
 *
 * "acked" counts the samples of messages answered 200 (stored by the server); when the server
 * goes away mid-stream (a shutdown test) the client stops and still prints its summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "httpc.h"
#include "slmsg.h"

static void usage(void)
{
    fprintf(stderr, "usage: sl_push --url http://HOST:PORT --token T [--placement P] "
                    "[--toe-axis A] [--platform android|ios] [--batch-ms MS] [--speed X] [--swap] "
                    "[--repeat-every N] [--session ID] [--device ID] [--end] FOLDER\n");
    exit(2);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_until(double t)
{
    double d = t - now_s();
    if (d > 0) {
        struct timespec ts;
        ts.tv_sec = (time_t)d;
        ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
        nanosleep(&ts, NULL);
    }
}

/* The value of "key":"..." in a JSON text (our own server's answers). */
static void json_str(const char *json, const char *key, char *out, size_t cap)
{
    char pat[64];
    const char *p;
    size_t n;
    out[0] = '\0';
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    p = strstr(json, pat);
    if (p == NULL)
        return;
    p += strlen(pat);
    n = strcspn(p, "\"");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

int main(int argc, char **argv)
{
    const char *url = NULL, *token = NULL, *placement = "pocket", *toe = NULL, *platform = NULL,
               *session = "sl-push", *device = "test-phone", *folder = NULL, *get = NULL;
    long batch_ms = 200, repeat_every = 0;
    double speed = 1.0;
    int swap = 0, end = 0, i;
    sl_recording rec;
    httpc c;
    size_t *starts, n_msgs = 0, a, k, samples = 0, acked = 0;
    long long not_ok = 0, sent = 0;
    int lost_connection = 0;
    char path[512], headers[512], lid[64] = "", last[4096] = "";
    double t_start;
    for (i = 1; i < argc; i++) {
        const char *o = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (usage(), ""))
        if (strcmp(o, "--url") == 0)
            url = NEXT();
        else if (strcmp(o, "--token") == 0)
            token = NEXT();
        else if (strcmp(o, "--placement") == 0)
            placement = NEXT();
        else if (strcmp(o, "--toe-axis") == 0)
            toe = NEXT();
        else if (strcmp(o, "--platform") == 0)
            platform = NEXT();
        else if (strcmp(o, "--batch-ms") == 0)
            batch_ms = strtol(NEXT(), NULL, 10);
        else if (strcmp(o, "--speed") == 0)
            speed = strtod(NEXT(), NULL);
        else if (strcmp(o, "--repeat-every") == 0)
            repeat_every = strtol(NEXT(), NULL, 10);
        else if (strcmp(o, "--session") == 0)
            session = NEXT();
        else if (strcmp(o, "--device") == 0)
            device = NEXT();
        else if (strcmp(o, "--get") == 0)
            get = NEXT();
        else if (strcmp(o, "--swap") == 0)
            swap = 1;
        else if (strcmp(o, "--end") == 0)
            end = 1;
        else if (o[0] == '-')
            usage();
        else
            folder = o;
#undef NEXT
    }
    if (url == NULL || token == NULL || (folder == NULL && get == NULL) || batch_ms <= 0 ||
        speed < 0)
        usage();
    if (httpc_init(&c, url) != 0) {
        fprintf(stderr, "sl_push: bad --url %s\n", url);
        return 2;
    }
    if (get != NULL) {
        httpc_resp r;
        snprintf(headers, sizeof(headers), "Authorization: Bearer %s\r\n", token);
        if (httpc_request(&c, "GET", get, headers, NULL, 0, &r) != 0) {
            fprintf(stderr, "sl_push: connection to %s failed\n", url);
            return 4;
        }
        fputs(r.body, stdout);
        free(r.body);
        httpc_close(&c);
        return 0;
    }
    if (sl_read_folder(folder, &rec) != 0)
        return 3;
    starts = malloc((rec.n + 1) * sizeof(*starts));
    for (a = 0; a < rec.n; a = sl_batch_end(&rec, a, (int64_t)batch_ms * 1000000))
        starts[n_msgs++] = a;
    starts[n_msgs] = rec.n;
    snprintf(path, sizeof(path), "/api/ingest?placement=%s%s%s%s%s", placement,
             toe ? "&toe-axis=" : "", toe ? toe : "", platform ? "&platform=" : "",
             platform ? platform : "");
    for (k = 0; path[k]; k++)
        if (path[k] == '+')
            memmove(path + k + 3, path + k + 1, strlen(path + k + 1) + 1),
                memcpy(path + k, "%2B", 3);
    snprintf(headers, sizeof(headers),
             "Authorization: Bearer %s\r\nContent-Type: application/json\r\n", token);
    t_start = now_s();
    for (k = 0; k < n_msgs; k++) {
        /* with --swap, messages 2j and 2j+1 go out in the opposite order */
        size_t m = swap ? (k % 2 == 0 ? (k + 1 < n_msgs ? k + 1 : k) : k - 1) : k;
        size_t len, b = starts[m + 1];
        int reps = repeat_every > 0 && m % (size_t)repeat_every == 0 ? 2 : 1, rep;
        char *body = sl_message(&rec, starts[m], b, 0, (long long)m, session, device, &len);
        if (body == NULL) {
            fprintf(stderr, "sl_push: out of memory\n");
            return 3;
        }
        if (speed > 0) /* real time: a batch goes out when its last sample has happened */
            sleep_until(t_start + (double)(rec.rows[b - 1].t_ns - rec.rows[0].t_ns) * 1e-9 / speed +
                        (double)batch_ms * 1e-3 / speed);
        for (rep = 0; rep < reps; rep++) {
            httpc_resp r;
            if (httpc_request(&c, "POST", path, headers, body, len, &r) != 0) {
                fprintf(stderr, "sl_push: connection to %s failed\n", url);
                lost_connection = 1;
                break;
            }
            sent++;
            if (r.status != 200) {
                not_ok++;
                fprintf(stderr, "sl_push: message %zu: HTTP %d %s\n", m, r.status, r.body);
            } else {
                if (rep == 0)
                    acked += b - starts[m];
                if (lid[0] == '\0')
                    json_str(r.body, "live_id", lid, sizeof(lid));
            }
            snprintf(last, sizeof(last), "%s", r.body);
            free(r.body);
        }
        samples += b - starts[m];
        free(body);
        if (lost_connection)
            break;
    }
    if (end && lid[0] && !lost_connection) {
        httpc_resp r;
        char ep[128];
        snprintf(ep, sizeof(ep), "/api/live/%s/end", lid);
        if (httpc_request(&c, "POST", ep, headers, NULL, 0, &r) == 0) {
            if (r.status != 200)
                not_ok++;
            snprintf(last, sizeof(last), "%s", r.body);
            free(r.body);
        }
    }
    last[strcspn(last, "\n")] = '\0';
    printf("{\"messages\":%zu,\"posts\":%lld,\"samples\":%zu,\"acked\":%zu,\"not_ok\":%lld,"
           "\"lost_connection\":%s,\"live_id\":\"%s\",\"last\":%s}\n",
           n_msgs, sent, samples, acked, not_ok, lost_connection ? "true" : "false", lid,
           last[0] ? last : "null");
    httpc_close(&c);
    free(starts);
    sl_free(&rec);
    return not_ok || lost_connection ? 1 : 0;
}
