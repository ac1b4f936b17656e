/*
 * Truth-file reader (cJSON DOM: truth files are small). Unknown keys are ignored; known keys with
 * the wrong type are errors naming the key, so a damaged truth file cannot silently score as
 * "no steps expected". Files larger than 64 MiB are refused.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/status.h"
#include "io/truth.h"

#define TRUTH_MAX_BYTES (64L * 1024 * 1024)

static char *slurp(const char *path, long *len, char *err, size_t err_len, int *status)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL) {
        snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
        *status = BSTEP_EIO;
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        snprintf(err, err_len, "%s: cannot read", path);
        fclose(f);
        *status = BSTEP_EIO;
        return NULL;
    }
    if (n > TRUTH_MAX_BYTES) {
        snprintf(err, err_len, "%s: truth file larger than 64 MiB", path);
        fclose(f);
        *status = BSTEP_EFORMAT;
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL) {
        fclose(f);
        *status = BSTEP_ENOMEM;
        snprintf(err, err_len, "%s: out of memory", path);
        return NULL;
    }
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        snprintf(err, err_len, "%s: read error", path);
        free(buf);
        fclose(f);
        *status = BSTEP_EIO;
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    *len = n;
    return buf;
}

/* Array of numbers -> malloc'd doubles. Missing key: OK, zero elements. */
static int number_array(const cJSON *root, const char *key, double **out, size_t *n,
                        const char *path, char *err, size_t err_len)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key), *it;
    size_t i = 0;
    *out = NULL;
    *n = 0;
    if (arr == NULL || cJSON_IsNull(arr))
        return BSTEP_OK;
    if (!cJSON_IsArray(arr)) {
        snprintf(err, err_len, "%s: field '%s': expected an array of numbers", path, key);
        return BSTEP_EFORMAT;
    }
    *n = (size_t)cJSON_GetArraySize(arr);
    if (*n == 0)
        return BSTEP_OK;
    *out = malloc(*n * sizeof(double));
    if (*out == NULL)
        return BSTEP_ENOMEM;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble)) {
            snprintf(err, err_len, "%s: field '%s'[%zu]: not a number", path, key, i);
            return BSTEP_EFORMAT;
        }
        (*out)[i++] = it->valuedouble;
    }
    return BSTEP_OK;
}

static double opt_number(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static void opt_string(const cJSON *o, const char *key, char *dst, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v) && v->valuestring != NULL)
        snprintf(dst, cap, "%s", v->valuestring);
}

/* Array of bouts {start_s, end_s, cadence_spm, stride_length_m, speed_mps}; entries without
 * a valid interval are skipped. */
static int bout_array(const cJSON *arr, bstep__truth_bout **out, size_t *n)
{
    const cJSON *it;
    size_t i = 0;
    *out = NULL;
    *n = 0;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return BSTEP_OK;
    *out = calloc((size_t)cJSON_GetArraySize(arr), sizeof(**out));
    if (*out == NULL)
        return BSTEP_ENOMEM;
    cJSON_ArrayForEach(it, arr)
    {
        bstep__truth_bout *b = &(*out)[i];
        b->start_s = opt_number(it, "start_s", (double)NAN);
        b->end_s = opt_number(it, "end_s", (double)NAN);
        if (!(isfinite(b->start_s) && isfinite(b->end_s) && b->end_s >= b->start_s))
            continue;
        b->cadence_spm = opt_number(it, "cadence_spm", (double)NAN);
        b->stride_length_m = opt_number(it, "stride_length_m", (double)NAN);
        b->speed_mps = opt_number(it, "speed_mps", (double)NAN);
        i++;
    }
    *n = i;
    return BSTEP_OK;
}

static int parse(const cJSON *root, bstep__truth *t, const char *path, char *err, size_t err_len)
{
    const cJSON *seg, *it, *win, *side;
    int rc;
    if (!cJSON_IsObject(root)) {
        snprintf(err, err_len, "%s: not a JSON object", path);
        return BSTEP_EFORMAT;
    }
    opt_string(root, "recording", t->recording, sizeof(t->recording));
    if (t->recording[0] == '\0') {
        snprintf(err, err_len, "%s: field 'recording': missing", path);
        return BSTEP_EFORMAT;
    }
    opt_string(root, "placement", t->placement, sizeof(t->placement));
    t->sample_rate_hz = opt_number(root, "sample_rate_hz", 0.0);
    t->step_count = -1;
    it = cJSON_GetObjectItemCaseSensitive(root, "step_count");
    if (it != NULL) {
        if (!cJSON_IsNumber(it) || it->valuedouble < 0) {
            snprintf(err, err_len, "%s: field 'step_count': expected a count", path);
            return BSTEP_EFORMAT;
        }
        t->step_count = (long)it->valuedouble;
    }
    if ((rc = number_array(root, "initial_contacts_s", &t->ic_s, &t->n_ic, path, err, err_len)))
        return rc;
    if ((rc = number_array(root, "final_contacts_s", &t->fc_s, &t->n_fc, path, err, err_len)))
        return rc;
    side = cJSON_GetObjectItemCaseSensitive(root, "initial_contacts_side");
    if (cJSON_IsArray(side) && (size_t)cJSON_GetArraySize(side) == t->n_ic && t->n_ic > 0) {
        size_t i = 0;
        t->ic_side = malloc(t->n_ic);
        if (t->ic_side == NULL)
            return BSTEP_ENOMEM;
        cJSON_ArrayForEach(it, side)
        {
            t->ic_side[i++] = cJSON_IsString(it) && it->valuestring ? it->valuestring[0] : '?';
        }
    }
    seg = cJSON_GetObjectItemCaseSensitive(root, "segments");
    if (seg != NULL && !cJSON_IsArray(seg)) {
        snprintf(err, err_len, "%s: field 'segments': expected an array", path);
        return BSTEP_EFORMAT;
    }
    if (cJSON_IsArray(seg) && cJSON_GetArraySize(seg) > 0) {
        size_t i = 0;
        t->n_segments = (size_t)cJSON_GetArraySize(seg);
        t->segments = calloc(t->n_segments, sizeof(*t->segments));
        if (t->segments == NULL)
            return BSTEP_ENOMEM;
        cJSON_ArrayForEach(it, seg)
        {
            bstep__truth_segment *s = &t->segments[i];
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "start_s"),
                        *b = cJSON_GetObjectItemCaseSensitive(it, "end_s");
            if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b) || b->valuedouble < a->valuedouble) {
                snprintf(err, err_len, "%s: field 'segments'[%zu]: needs start_s <= end_s", path,
                         i);
                return BSTEP_EFORMAT;
            }
            s->start_s = a->valuedouble;
            s->end_s = b->valuedouble;
            opt_string(it, "activity", s->activity, sizeof(s->activity));
            s->distance_m = opt_number(it, "distance_m", ((double)NAN));
            s->left_foot_swings = (int)opt_number(it, "left_foot_swings", -1.0);
            i++;
        }
    }
    win = cJSON_GetObjectItemCaseSensitive(root, "event_window_s");
    if (cJSON_IsArray(win) && cJSON_GetArraySize(win) == 2) {
        const cJSON *a = cJSON_GetArrayItem(win, 0), *b = cJSON_GetArrayItem(win, 1);
        if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
            t->have_window = 1;
            t->window_s[0] = a->valuedouble;
            t->window_s[1] = b->valuedouble;
        }
    }
    win = cJSON_GetObjectItemCaseSensitive(root, "events_missing_in_s");
    if (cJSON_IsArray(win) && cJSON_GetArraySize(win) > 0) {
        size_t i = 0;
        t->missing_s = calloc((size_t)cJSON_GetArraySize(win), sizeof(*t->missing_s));
        if (t->missing_s == NULL)
            return BSTEP_ENOMEM;
        cJSON_ArrayForEach(it, win)
        {
            const cJSON *a = cJSON_GetArrayItem(it, 0), *b = cJSON_GetArrayItem(it, 1);
            if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
                t->missing_s[i][0] = a->valuedouble;
                t->missing_s[i][1] = b->valuedouble;
                i++;
            }
        }
        t->n_missing = i;
    }
    /* Per-stride truth: gaitmap "strides" or simulator "steps". */
    seg = cJSON_GetObjectItemCaseSensitive(root, "strides");
    if (!cJSON_IsArray(seg))
        seg = cJSON_GetObjectItemCaseSensitive(root, "steps");
    if (cJSON_IsArray(seg) && cJSON_GetArraySize(seg) > 0) {
        size_t n = (size_t)cJSON_GetArraySize(seg), i = 0;
        t->stride_ic_s = malloc(n * sizeof(double));
        t->stride_length_m = malloc(n * sizeof(double));
        t->stride_direction = calloc(n, sizeof(*t->stride_direction));
        t->stride_strike = calloc(n, sizeof(*t->stride_strike));
        t->stride_turning = calloc(n, 1);
        if (t->stride_ic_s == NULL || t->stride_length_m == NULL || t->stride_direction == NULL ||
            t->stride_strike == NULL || t->stride_turning == NULL)
            return BSTEP_ENOMEM;
        cJSON_ArrayForEach(it, seg)
        {
            const double ic = opt_number(it, "next_ic_s", opt_number(it, "ic_s", (double)NAN));
            const cJSON *turning = cJSON_GetObjectItemCaseSensitive(it, "turning");
            if (!isfinite(ic))
                continue;
            t->stride_ic_s[i] = ic;
            t->stride_length_m[i] =
                opt_number(it, "length_m", opt_number(it, "stride_length_m", (double)NAN));
            opt_string(it, "direction", t->stride_direction[i], sizeof(t->stride_direction[0]));
            opt_string(it, "strike", t->stride_strike[i], sizeof(t->stride_strike[0]));
            t->stride_turning[i] = (unsigned char)cJSON_IsTrue(turning);
            i++;
        }
        t->n_strides = i;
    }
    if ((rc = bout_array(cJSON_GetObjectItemCaseSensitive(root, "bouts"), &t->bouts, &t->n_bouts)))
        return rc;
    win = cJSON_GetObjectItemCaseSensitive(root, "alt_reference");
    if (cJSON_IsObject(win)) {
        opt_string(win, "system", t->alt_system, sizeof(t->alt_system));
        if ((rc = number_array(win, "initial_contacts_s", &t->alt_ic_s, &t->n_alt_ic, path, err,
                               err_len)))
            return rc;
        if ((rc = bout_array(cJSON_GetObjectItemCaseSensitive(win, "bouts"), &t->alt_bouts,
                             &t->n_alt_bouts)))
            return rc;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "fall");
    t->fall = cJSON_IsBool(it) ? cJSON_IsTrue(it) : -1;
    t->impact_s = opt_number(root, "impact_s", (double)NAN);
    opt_string(root, "sisfall_activity", t->fall_activity, sizeof(t->fall_activity));
    opt_string(root, "umafall_activity", t->fall_activity, sizeof(t->fall_activity));
    opt_string(root, "front_axis", t->front_axis, sizeof(t->front_axis));
    seg = cJSON_GetObjectItemCaseSensitive(root, "events");
    if (cJSON_IsArray(seg) && cJSON_GetArraySize(seg) > 0) {
        size_t i = 0;
        t->events = calloc((size_t)cJSON_GetArraySize(seg), sizeof(*t->events));
        if (t->events == NULL)
            return BSTEP_ENOMEM;
        cJSON_ArrayForEach(it, seg)
        {
            const double ts = opt_number(it, "t_s", (double)NAN);
            if (!isfinite(ts))
                continue;
            t->events[i].t_s = ts;
            opt_string(it, "type", t->events[i].type, sizeof(t->events[i].type));
            i++;
        }
        t->n_events = i;
    }
    return BSTEP_OK;
}

/* Python's json module writes NaN, Infinity and -Infinity, which JSON (RFC 8259) does not have;
 * truth files written that way are accepted with those values read as unknown (null). Strings are
 * left alone. Returns a new buffer (caller frees) or NULL when out of memory. */
static char *python_json_to_json(const char *in, long len, long *out_len)
{
    char *out = malloc((size_t)len * 2 + 1);
    long i = 0, o = 0;
    int in_str = 0;
    if (out == NULL)
        return NULL;
    while (i < len) {
        const char c = in[i];
        if (in_str) {
            out[o++] = c;
            if (c == '\\' && i + 1 < len)
                out[o++] = in[++i];
            else if (c == '"')
                in_str = 0;
            i++;
            continue;
        }
        if (c == '"') {
            in_str = 1;
        } else if (strncmp(in + i, "NaN", 3) == 0 && len - i >= 3) {
            memcpy(out + o, "null", 4);
            o += 4;
            i += 3;
            continue;
        } else if (len - i >= 9 && strncmp(in + i, "-Infinity", 9) == 0) {
            memcpy(out + o, "null", 4);
            o += 4;
            i += 9;
            continue;
        } else if (len - i >= 8 && strncmp(in + i, "Infinity", 8) == 0) {
            memcpy(out + o, "null", 4);
            o += 4;
            i += 8;
            continue;
        }
        out[o++] = c;
        i++;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

int bstep__truth_load(const char *path, bstep__truth *t, char *err, size_t err_len)
{
    long len = 0;
    int status = BSTEP_OK;
    char *text;
    cJSON *root;
    memset(t, 0, sizeof(*t));
    t->step_count = -1;
    text = slurp(path, &len, err, err_len, &status);
    if (text == NULL)
        return status;
    {
        char *clean = python_json_to_json(text, len, &len);
        free(text);
        if (clean == NULL) {
            snprintf(err, err_len, "%s: out of memory", path);
            return BSTEP_ENOMEM;
        }
        text = clean;
    }
    root = cJSON_ParseWithLength(text, (size_t)len);
    if (root == NULL) {
        const char *where = cJSON_GetErrorPtr();
        long off = where != NULL ? (long)(where - text) : -1;
        long line = 1, col = 1, i;
        for (i = 0; i < off && i < len; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        snprintf(err, err_len, "%s:%ld:%ld: invalid JSON", path, line, col);
        free(text);
        return BSTEP_EFORMAT;
    }
    status = parse(root, t, path, err, err_len);
    cJSON_Delete(root);
    free(text);
    if (status != BSTEP_OK) {
        if (status == BSTEP_ENOMEM)
            snprintf(err, err_len, "%s: out of memory", path);
        bstep__truth_free(t);
    }
    return status;
}

void bstep__truth_free(bstep__truth *t)
{
    free(t->ic_s);
    free(t->fc_s);
    free(t->ic_side);
    free(t->segments);
    free(t->missing_s);
    free(t->stride_ic_s);
    free(t->stride_length_m);
    free(t->stride_direction);
    free(t->stride_strike);
    free(t->stride_turning);
    free(t->bouts);
    free(t->alt_ic_s);
    free(t->alt_bouts);
    free(t->events);
    memset(t, 0, sizeof(*t));
    t->step_count = -1;
}
