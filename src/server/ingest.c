/*
 * Sensor Logger push message parser (see ingest.h). cJSON checks the syntax and builds the tree;
 * a second, tiny lexer walks the same bytes and records where every number token starts and ends.
 * Because cJSON keeps object members and array elements in document order, the k-th number node of
 * a pre-order walk of the tree is the k-th number token of the text, so a "time" node's exact
 * digits are found without trusting its double (which cannot hold 19 significant digits).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "server/ingest.h"

static const char *const stream_names[BSTEP__STREAM_COUNT] = {"accelerometer", "totalacceleration",
                                                              "gravity", "gyroscope"};

const char *bstep__stream_name(int stream)
{
    return stream >= 0 && stream < BSTEP__STREAM_COUNT ? stream_names[stream] : "unknown";
}

int bstep__ingest_id_valid(const char *s, size_t len, size_t max)
{
    size_t i;
    if (s == NULL || len == 0 || len > max)
        return 0;
    for (i = 0; i < len; i++) {
        const unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '\'' ||
            c == '&')
            return 0;
    }
    return 1;
}

/* ---- number tokens ---------------------------------------------------------------------- */

typedef struct {
    size_t off, len;
} span;

typedef struct {
    span *v;
    size_t n, cap;
} spans;

/* Record every number token outside strings. The text was accepted by cJSON, so every run of
 * number characters that starts outside a string is one number token. */
static int lex_numbers(const char *p, size_t len, spans *out)
{
    size_t i = 0;
    while (i < len) {
        const char c = p[i];
        if (c == '"') {
            i++;
            while (i < len && p[i] != '"') {
                if (p[i] == '\\')
                    i++;
                i++;
            }
            i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t s = i;
            while (i < len && (p[i] == '-' || p[i] == '+' || p[i] == '.' || p[i] == 'e' ||
                               p[i] == 'E' || (p[i] >= '0' && p[i] <= '9')))
                i++;
            if (out->n == out->cap) {
                size_t ncap = out->cap ? out->cap * 2 : 256;
                span *q = realloc(out->v, ncap * sizeof(*q));
                if (q == NULL)
                    return -1;
                out->v = q;
                out->cap = ncap;
            }
            out->v[out->n].off = s;
            out->v[out->n].len = i - s;
            out->n++;
        } else {
            i++;
        }
    }
    return 0;
}

static size_t count_numbers(const cJSON *j)
{
    size_t n = 0;
    const cJSON *c;
    if (cJSON_IsNumber(j))
        return 1;
    for (c = j->child; c != NULL; c = c->next)
        n += count_numbers(c);
    return n;
}

static int depth_ok(const cJSON *j, int depth)
{
    const cJSON *c;
    if (depth > BSTEP__INGEST_MAX_DEPTH)
        return 0;
    for (c = j->child; c != NULL; c = c->next)
        if (!depth_ok(c, depth + 1))
            return 0;
    return 1;
}

/* Exact int64 from an integer literal ("-"? digits). @return 0 or -1. */
static int parse_int64_text(const char *p, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;
    if (len > 0 && p[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == len || len - i > 19)
        return -1;
    for (; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10u + (uint64_t)(p[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* A number node or a numeric string as a double. */
static int get_double(const cJSON *j, double *out)
{
    if (cJSON_IsNumber(j)) {
        *out = j->valuedouble;
        return isfinite(*out) ? 0 : -1;
    }
    if (cJSON_IsString(j) && j->valuestring != NULL && j->valuestring[0] != '\0') {
        char *end;
        errno = 0;
        *out = strtod(j->valuestring, &end);
        return *end == '\0' && errno == 0 && isfinite(*out) ? 0 : -1;
    }
    return -1;
}

typedef struct {
    const char *body;
    const spans *sp;
    size_t k; /* number tokens before the node being looked at */
} walk;

/* An integer (message id, time): a number token's digits, or a string of digits. */
static int get_int64(walk *w, const cJSON *j, int64_t *out)
{
    if (cJSON_IsNumber(j)) {
        if (w->k >= w->sp->n)
            return -1;
        return parse_int64_text(w->body + w->sp->v[w->k].off, w->sp->v[w->k].len, out);
    }
    if (cJSON_IsString(j) && j->valuestring != NULL)
        return parse_int64_text(j->valuestring, strlen(j->valuestring), out);
    return -1;
}

static int stream_of(const char *name)
{
    int i;
    for (i = 0; i < BSTEP__STREAM_COUNT; i++)
        if (strcmp(name, stream_names[i]) == 0)
            return i;
    return -1;
}

static int copy_id(const cJSON *j, char *dst, const char *key, char *err, size_t err_len)
{
    size_t n;
    if (!cJSON_IsString(j) || j->valuestring == NULL) {
        snprintf(err, err_len, "%s: must be a string", key);
        return -1;
    }
    n = strlen(j->valuestring);
    if (!bstep__ingest_id_valid(j->valuestring, n, BSTEP__INGEST_ID_MAX)) {
        snprintf(err, err_len,
                 "%s: must be 1 to %d printable ASCII characters without quotes, '&', '\\' or "
                 "angle brackets",
                 key, BSTEP__INGEST_ID_MAX);
        return -1;
    }
    memcpy(dst, j->valuestring, n + 1);
    return 0;
}

static int parse_entry(walk *w, const cJSON *e, size_t idx, bstep__ingest_msg *m, char *err,
                       size_t err_len)
{
    const cJSON *c, *name = NULL, *time = NULL, *values = NULL;
    size_t k_time = 0;
    int stream;
    int64_t t;
    bstep__ingest_sample *s;
    static const char *const axes[3] = {"x", "y", "z"};
    int a;
    if (!cJSON_IsObject(e)) {
        snprintf(err, err_len, "payload[%zu]: must be an object", idx);
        return -1;
    }
    /* members in document order, counting number tokens to locate "time" */
    for (c = e->child; c != NULL; c = c->next) {
        if (c->string != NULL && strcmp(c->string, "name") == 0)
            name = c;
        else if (c->string != NULL && strcmp(c->string, "time") == 0) {
            time = c;
            k_time = w->k;
        } else if (c->string != NULL && strcmp(c->string, "values") == 0)
            values = c;
        w->k += count_numbers(c);
    }
    if (name == NULL || !cJSON_IsString(name) || name->valuestring == NULL) {
        snprintf(err, err_len, "payload[%zu].name: missing or not a string", idx);
        return -1;
    }
    stream = stream_of(name->valuestring);
    if (stream < 0) {
        m->skipped_entries++;
        return 0;
    }
    if (time == NULL) {
        snprintf(err, err_len, "payload[%zu].time: missing", idx);
        return -1;
    }
    {
        size_t save = w->k;
        w->k = k_time;
        if (get_int64(w, time, &t) != 0) {
            w->k = save;
            snprintf(err, err_len,
                     "payload[%zu].time: must be an integer number of nanoseconds since 1970", idx);
            return -1;
        }
        w->k = save;
    }
    if (t <= 0) {
        snprintf(err, err_len, "payload[%zu].time: must be positive (epoch nanoseconds)", idx);
        return -1;
    }
    if (values == NULL || !cJSON_IsObject(values)) {
        snprintf(err, err_len, "payload[%zu].values: missing or not an object", idx);
        return -1;
    }
    if (m->n_samples >= BSTEP__INGEST_MAX_ENTRIES) {
        snprintf(err, err_len, "payload: more than %d sensor samples in one message",
                 BSTEP__INGEST_MAX_ENTRIES);
        return -1;
    }
    s = &m->samples[m->n_samples];
    for (a = 0; a < 3; a++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(values, axes[a]);
        if (v == NULL || get_double(v, &s->v[a]) != 0 || fabs(s->v[a]) > 1e6) {
            snprintf(err, err_len, "payload[%zu].values.%s: missing, not a number or out of range",
                     idx, axes[a]);
            return -1;
        }
    }
    s->t_ns = t;
    s->stream = (uint8_t)stream;
    m->n_samples++;
    return 0;
}

void bstep__ingest_free(bstep__ingest_msg *m)
{
    if (m == NULL)
        return;
    free(m->samples);
    m->samples = NULL;
    m->n_samples = 0;
}

int bstep__ingest_parse(const char *body, size_t len, bstep__ingest_msg *m, char *err,
                        size_t err_len)
{
    cJSON *root = NULL;
    const cJSON *c, *payload = NULL;
    const char *end = NULL;
    spans sp = {NULL, 0, 0};
    walk w;
    size_t n_entries, i;
    int rc = -1;
    memset(m, 0, sizeof(*m));
    m->message_id = -1;
    if (body == NULL || len == 0) {
        snprintf(err, err_len, "empty body: expected a JSON object");
        return -1;
    }
    root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (root == NULL) {
        const char *e = cJSON_GetErrorPtr();
        size_t off = e != NULL && e >= body && e <= body + len ? (size_t)(e - body) : 0;
        snprintf(err, err_len, "byte %zu: malformed JSON", off);
        return -1;
    }
    while (end != NULL && end < body + len &&
           (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    if (end != body + len) {
        snprintf(err, err_len, "byte %zu: text after the JSON value",
                 end != NULL ? (size_t)(end - body) : len);
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(err, err_len, "the message must be a JSON object");
        goto out;
    }
    if (!depth_ok(root, 1)) {
        snprintf(err, err_len, "JSON nested deeper than %d levels", BSTEP__INGEST_MAX_DEPTH);
        goto out;
    }
    if (lex_numbers(body, len, &sp) != 0) {
        rc = -2;
        snprintf(err, err_len, "out of memory");
        goto out;
    }
    if (sp.n != count_numbers(root)) { /* cannot happen for text cJSON accepted; be safe */
        snprintf(err, err_len, "number tokens do not match the parsed document");
        goto out;
    }
    w.body = body;
    w.sp = &sp;
    w.k = 0;
    {
        size_t k_payload = 0;
        for (c = root->child; c != NULL; c = c->next) {
            const char *key = c->string != NULL ? c->string : "";
            if (strcmp(key, "messageId") == 0) {
                if (get_int64(&w, c, &m->message_id) != 0 || m->message_id < 0) {
                    snprintf(err, err_len, "messageId: must be a non-negative integer");
                    goto out;
                }
            } else if (strcmp(key, "sessionId") == 0) {
                if (copy_id(c, m->session_id, "sessionId", err, err_len) != 0)
                    goto out;
            } else if (strcmp(key, "deviceId") == 0) {
                if (copy_id(c, m->device_id, "deviceId", err, err_len) != 0)
                    goto out;
            } else if (strcmp(key, "payload") == 0 && payload == NULL) {
                payload = c;
                k_payload = w.k;
            }
            w.k += count_numbers(c);
        }
        w.k = k_payload;
    }
    if (m->session_id[0] == '\0') {
        snprintf(err, err_len, "sessionId: missing");
        goto out;
    }
    if (m->device_id[0] == '\0')
        snprintf(m->device_id, sizeof(m->device_id), "unknown");
    if (payload == NULL || !cJSON_IsArray(payload)) {
        snprintf(err, err_len, "payload: missing or not an array");
        goto out;
    }
    n_entries = (size_t)cJSON_GetArraySize(payload);
    if (n_entries > BSTEP__INGEST_MAX_ENTRIES) {
        snprintf(err, err_len, "payload: %zu entries, at most %d are accepted", n_entries,
                 BSTEP__INGEST_MAX_ENTRIES);
        goto out;
    }
    if (n_entries > 0) {
        m->samples = malloc(n_entries * sizeof(*m->samples));
        if (m->samples == NULL) {
            rc = -2;
            snprintf(err, err_len, "out of memory");
            goto out;
        }
    }
    for (c = payload->child, i = 0; c != NULL; c = c->next, i++)
        if (parse_entry(&w, c, i, m, err, err_len) != 0)
            goto out;
    rc = 0;
out:
    if (rc != 0)
        bstep__ingest_free(m);
    free(sp.v);
    cJSON_Delete(root);
    return rc;
}
