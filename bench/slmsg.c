/* Sensor Logger export -> push messages (see slmsg.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slmsg.h"

static int cmp_row(const void *a, const void *b)
{
    const sl_row *x = a, *y = b;
    if (x->t_ns != y->t_ns)
        return x->t_ns < y->t_ns ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Columns of the header line "time,seconds_elapsed,z,y,x" (any order). */
static int read_csv(const char *path, const char *name, sl_recording *r, size_t *cap)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int col_t = -1, col[3] = {-1, -1, -1}, ln = 1;
    if (f == NULL)
        return 1; /* absent stream */
    if (fgets(line, sizeof(line), f) == NULL) {
        fclose(f);
        fprintf(stderr, "%s: empty\n", path);
        return -1;
    }
    {
        char *p = line;
        int i = 0;
        while (*p) {
            size_t n = strcspn(p, ",\r\n");
            if (n == 4 && strncmp(p, "time", 4) == 0)
                col_t = i;
            else if (n == 1 && (*p == 'x' || *p == 'y' || *p == 'z'))
                col[*p - 'x'] = i;
            i++;
            p += n;
            if (*p != ',')
                break;
            p++;
        }
    }
    if (col_t < 0 || col[0] < 0 || col[1] < 0 || col[2] < 0) {
        fclose(f);
        fprintf(stderr, "%s:1: expected the header time,seconds_elapsed,z,y,x\n", path);
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        char *p = line, *end;
        int i = 0, got = 0;
        sl_row row;
        ln++;
        if (line[0] == '\n' || line[0] == '\r')
            continue;
        memset(&row, 0, sizeof(row));
        row.name = name;
        while (*p) {
            errno = 0;
            if (i == col_t) {
                row.t_ns = strtoll(p, &end, 10);
                got++;
            } else if (i == col[0] || i == col[1] || i == col[2]) {
                int k = i == col[0] ? 0 : i == col[1] ? 1 : 2;
                row.v[k] = strtod(p, &end);
                got++;
            } else {
                end = p + strcspn(p, ",\r\n");
            }
            if (errno != 0 || (end == p && i == col_t)) {
                fclose(f);
                fprintf(stderr, "%s:%d: bad number\n", path, ln);
                return -1;
            }
            p = end;
            i++;
            if (*p != ',')
                break;
            p++;
        }
        if (got != 4) {
            fclose(f);
            fprintf(stderr, "%s:%d: missing fields\n", path, ln);
            return -1;
        }
        if (r->n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 4096;
            sl_row *q = realloc(r->rows, ncap * sizeof(*q));
            if (q == NULL) {
                fclose(f);
                return -1;
            }
            r->rows = q;
            *cap = ncap;
        }
        r->rows[r->n++] = row;
    }
    fclose(f);
    return 0;
}

int sl_read_folder(const char *dir, sl_recording *r)
{
    static const char *const files[][2] = {{"TotalAcceleration.csv", "totalacceleration"},
                                           {"Accelerometer.csv", "accelerometer"},
                                           {"Gravity.csv", "gravity"},
                                           {"Gyroscope.csv", "gyroscope"}};
    size_t cap = 0, i;
    int found = 0;
    memset(r, 0, sizeof(*r));
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[4096];
        int rc;
        snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
        rc = read_csv(path, files[i][1], r, &cap);
        if (rc < 0) {
            sl_free(r);
            return -1;
        }
        found += rc == 0;
    }
    if (found == 0 || r->n == 0) {
        fprintf(stderr,
                "%s: no Sensor Logger streams (TotalAcceleration.csv, Gyroscope.csv, ...)\n", dir);
        sl_free(r);
        return -1;
    }
    qsort(r->rows, r->n, sizeof(*r->rows), cmp_row);
    return 0;
}

void sl_free(sl_recording *r)
{
    free(r->rows);
    r->rows = NULL;
    r->n = 0;
}

size_t sl_batch_end(const sl_recording *r, size_t a, int64_t batch_ns)
{
    size_t b = a;
    if (a >= r->n)
        return a;
    while (b < r->n && r->rows[b].t_ns - r->rows[a].t_ns < batch_ns)
        b++;
    return b;
}

char *sl_message(const sl_recording *r, size_t a, size_t b, int64_t shift_ns, long long message_id,
                 const char *session_id, const char *device_id, size_t *len)
{
    size_t cap = 256 + (b - a) * 128, n = 0, i;
    char *s = malloc(cap);
    int k;
    if (s == NULL)
        return NULL;
    k = snprintf(s, cap,
                 "{\"messageId\":%lld,\"sessionId\":\"%s\",\"deviceId\":\"%s\",\"payload\":[",
                 message_id, session_id, device_id);
    n = (size_t)k;
    for (i = a; i < b; i++) {
        const sl_row *x = &r->rows[i];
        k = snprintf(
            s + n, cap - n,
            "%s{\"name\":\"%s\",\"time\":%lld,\"values\":{\"x\":%.6g,\"y\":%.6g,\"z\":%.6g}}",
            i > a ? "," : "", x->name, (long long)(x->t_ns + shift_ns), x->v[0], x->v[1], x->v[2]);
        if (k < 0 || (size_t)k >= cap - n) {
            free(s);
            return NULL;
        }
        n += (size_t)k;
    }
    if (n + 3 > cap) {
        free(s);
        return NULL;
    }
    memcpy(s + n, "]}", 3);
    *len = n + 2;
    return s;
}
