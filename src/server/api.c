/*
 * The REST API (JSON), docs/api.md: the requester, sessions (list, one, its steps, upload of a
 * recording for analysis, delete), progress totals, plans and check-ins. Bodies are parsed with
 * cJSON after the size limit of the HTTP layer; every field is checked for type and range and a
 * rejection names it. Access: a walker sees their own data; a clinician the walkers of their
 * clinic (bstep_store_user_can_view); an admin everyone. Writes are the walker's own.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "backstep/assess.h"
#include "backstep/coach.h"
#include "backstep/status.h"
#include "report/activity_report.h"
#include "server/pages.h"
#include "server/server_internal.h"
#include "store/coach_store.h"
#include "store/session_save.h"
#include "store/store_analysis.h"
#include "store/store_internal.h"

static void add_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_count(cJSON *o, const char *k, int64_t v)
{
    if (v >= 0)
        cJSON_AddNumberToObject(o, k, (double)v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *session_json(const bstep_store_session *s)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddNumberToObject(o, "id", (double)s->id);
    cJSON_AddNumberToObject(o, "user_id", (double)s->user_id);
    cJSON_AddStringToObject(o, "state", s->state == BSTEP_SESSION_LIVE ? "live" : "done");
    cJSON_AddStringToObject(o, "source", s->source_path);
    cJSON_AddStringToObject(o, "placement", bstep_placement_name(s->placement));
    cJSON_AddNumberToObject(o, "start_us", (double)s->start_us);
    add_num(o, "duration_s", s->duration_s);
    add_num(o, "sample_rate_hz", s->sample_rate_hz);
    add_count(o, "samples", s->samples);
    add_count(o, "steps", s->steps);
    add_count(o, "steps_forward", s->steps_forward);
    add_count(o, "steps_backward", s->steps_backward);
    add_count(o, "steps_sideways", s->steps_sideways);
    add_count(o, "bouts", s->bouts);
    add_num(o, "walking_time_s", s->walking_time_s);
    add_num(o, "backward_time_s", s->backward_time_s);
    add_num(o, "cadence_spm", s->cadence_spm);
    add_num(o, "distance_m", s->distance_m);
    add_num(o, "distance_backward_m", s->distance_backward_m);
    add_num(o, "speed_mps", s->speed_mps);
    add_num(o, "energy_kcal", s->energy_kcal);
    add_num(o, "toe_first_ratio", s->toe_first_ratio);
    add_num(o, "stride_time_cv_pct", s->stride_time_cv_pct);
    add_num(o, "step_time_asymmetry_pct", s->step_time_asymmetry_pct);
    add_num(o, "trunk_lean_deg", s->trunk_lean_deg);
    add_count(o, "look_backs", s->look_backs);
    add_count(o, "stumbles", s->stumbles);
    add_count(o, "falls", s->falls);
    cJSON_AddStringToObject(o, "note", s->note);
    return o;
}

static void reply(bstep__req *r, unsigned status, cJSON *o)
{
    bstep__req_json(r, status, o != NULL ? cJSON_PrintUnformatted(o) : NULL);
    cJSON_Delete(o);
}

static int parse_id(const char *s, size_t n, int64_t *id)
{
    char tmp[24];
    char *end;
    long long v;
    if (n == 0 || n >= sizeof(tmp) || s[0] < '1' || s[0] > '9')
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    v = strtoll(tmp, &end, 10);
    if (*end != '\0' || errno != 0)
        return -1;
    *id = v;
    return 0;
}

static void db_error(bstep__req *r)
{
    bstep__req_error(r, 500, "store: %s", bstep_store_errmsg(bstep__req_store(r)));
}

/* ?user=NAME (a walker the requester may see) or the requester. 0 and an error when refused. */
static int64_t subject_id(bstep__req *r)
{
    const char *u = bstep__req_arg(r, "user");
    bstep_store_user su;
    if (u == NULL || u[0] == '\0')
        return r->user.id;
    if (bstep_store_user_find(bstep__req_store(r), u, &su) != BSTEP_OK ||
        !bstep__req_can_view(r, su.id)) {
        bstep__req_error(r, 404, "user: no such walker, or not one you may see");
        return 0;
    }
    return su.id;
}

static cJSON *parse_body(bstep__req *r)
{
    cJSON *j;
    if (r->body == NULL || r->body_len == 0) {
        bstep__req_error(r, 400, "a JSON object body is required");
        return NULL;
    }
    j = cJSON_ParseWithLength(r->body, r->body_len);
    if (j == NULL || !cJSON_IsObject(j)) {
        const char *e = cJSON_GetErrorPtr();
        cJSON_Delete(j);
        bstep__req_error(r, 400, "malformed JSON near byte %zu",
                         e != NULL && e >= r->body && e <= r->body + r->body_len
                             ? (size_t)(e - r->body)
                             : (size_t)0);
        return NULL;
    }
    return j;
}

/* ---- me, users ------------------------------------------------------------------------------ */

static cJSON *user_json(const bstep_store_user *u)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddNumberToObject(o, "id", (double)u->id);
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddStringToObject(o, "role", bstep_role_name(u->role));
    cJSON_AddNumberToObject(o, "clinic_id", (double)u->clinic_id);
    add_num(o, "mass_kg", u->mass_kg);
    return o;
}

static void h_users(bstep__req *r)
{
    bstep_store_user *list = NULL;
    size_t n = 0, i;
    cJSON *root, *arr;
    if (r->user.role == BSTEP_ROLE_WALKER) {
        root = cJSON_CreateObject();
        arr = cJSON_AddArrayToObject(root, "users");
        cJSON_AddItemToArray(arr, user_json(&r->user));
        reply(r, 200, root);
        return;
    }
    if (r->user.role == BSTEP_ROLE_CLINICIAN && r->user.clinic_id == 0) {
        bstep__req_error(r, 403, "this clinician belongs to no clinic");
        return;
    }
    if (bstep_store_user_list(bstep__req_store(r),
                              r->user.role == BSTEP_ROLE_ADMIN ? 0 : r->user.clinic_id, &list,
                              &n) != BSTEP_OK) {
        db_error(r);
        return;
    }
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "users");
    for (i = 0; i < n; i++)
        if (bstep__req_can_view(r, list[i].id))
            cJSON_AddItemToArray(arr, user_json(&list[i]));
    bstep_store_free(list);
    reply(r, 200, root);
}

/* ---- sessions ------------------------------------------------------------------------------- */

static int get_size_arg(bstep__req *r, const char *name, size_t max, size_t *out)
{
    const char *v = bstep__req_arg(r, name);
    char *end;
    unsigned long long x;
    if (v == NULL)
        return 0;
    errno = 0;
    x = strtoull(v, &end, 10);
    if (*end != '\0' || end == v || errno != 0 || x > max) {
        bstep__req_error(r, 400, "%s: a whole number from 0 to %zu", name, max);
        return -1;
    }
    *out = (size_t)x;
    return 0;
}

static int get_time_arg(bstep__req *r, const char *name, int64_t *out)
{
    const char *v = bstep__req_arg(r, name);
    char *end;
    long long x;
    if (v == NULL)
        return 0;
    errno = 0;
    x = strtoll(v, &end, 10);
    if (*end != '\0' || end == v || errno != 0) {
        bstep__req_error(r, 400, "%s: microseconds since 1970 (an integer)", name);
        return -1;
    }
    *out = x;
    return 0;
}

/* The list's short form of a session's assessment (assessment_json): each score's band, the ids
 * of the things to work on, in order, and the number of faults. */
static cJSON *assessment_summary_json(const bstep_assessment *as)
{
    cJSON *o = cJSON_CreateObject(), *bands, *work;
    size_t i;
    int k;
    if (o == NULL)
        return NULL;
    bands = cJSON_AddObjectToObject(o, "bands");
    for (k = 0; bands != NULL && k < BSTEP_SCORE_COUNT; k++) {
        const char *name = bstep_score_name(as->score[k].id);
        if (as->score[k].band == BSTEP_BAND_UNKNOWN)
            cJSON_AddNullToObject(bands, name);
        else
            cJSON_AddStringToObject(bands, name, bstep_band_name(as->score[k].band));
    }
    work = cJSON_AddArrayToObject(o, "work_on");
    for (i = 0; work != NULL && i < as->n_advice; i++)
        cJSON_AddItemToArray(work, cJSON_CreateString(bstep_advice_name(as->advice[i].id)));
    cJSON_AddNumberToObject(o, "faults", (double)as->n_faults);
    return o;
}

static void h_sessions_list(bstep__req *r)
{
    bstep_store_filter f;
    bstep_store_session *list = NULL;
    bstep__plan_state ps;
    size_t n = 0, i;
    cJSON *root, *arr;
    int have_plan;
    int64_t uid = subject_id(r);
    if (uid == 0)
        return;
    bstep_store_filter_init(&f);
    f.user_id = uid;
    f.newest_first = 1;
    f.limit = 100;
    f.include_live = 1;
    if (get_size_arg(r, "limit", 10000, &f.limit) != 0 ||
        get_size_arg(r, "offset", 100000000, &f.offset) != 0 ||
        get_time_arg(r, "from_us", &f.from_us) != 0 || get_time_arg(r, "to_us", &f.to_us) != 0)
        return;
    if (bstep_store_session_list(bstep__req_store(r), &f, &list, &n) != BSTEP_OK) {
        db_error(r);
        return;
    }
    /* one replay of the walker's plan for the whole page: each session's assessment is then
     * computed from its stored figures in it (no analysis, no replay per session) */
    have_plan = bstep__store_assess_replay(bstep__req_store(r), uid, &ps);
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "sessions");
    for (i = 0; i < n; i++) {
        cJSON *o = session_json(&list[i]);
        bstep_assessment as;
        if (bstep__store_session_assess_in(have_plan ? &ps : NULL, &list[i], &as) == BSTEP_OK)
            cJSON_AddItemToObject(o, "assessment_summary", assessment_summary_json(&as));
        else
            cJSON_AddNullToObject(o, "assessment_summary");
        cJSON_AddItemToArray(arr, o);
    }
    if (have_plan)
        bstep__plan_state_free(&ps);
    bstep_store_free(list);
    reply(r, 200, root);
}

static cJSON *steps_json(const bstep_store_session_full *f)
{
    cJSON *arr = cJSON_CreateArray();
    size_t i;
    for (i = 0; arr != NULL && i < f->n_steps; i++) {
        const bstep_store_step *s = &f->steps[i];
        cJSON *o = cJSON_CreateObject();
        add_num(o, "ic_s", s->ic_s);
        add_num(o, "fc_s", s->fc_s);
        cJSON_AddStringToObject(o, "foot", bstep_foot_name(s->foot));
        cJSON_AddStringToObject(o, "direction", bstep_direction_name(s->direction));
        cJSON_AddStringToObject(o, "strike", bstep_strike_name(s->strike));
        add_num(o, "strike_angle_deg", s->strike_angle_deg);
        add_num(o, "stride_length_m", s->stride_length_m);
        add_num(o, "stride_time_s", s->stride_time_s);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* The session's assessment as `analyze --format json` gives it (scores, the things to work on;
 * docs/json-schema.md), from the stored figures (bstep__store_session_assess). */
static cJSON *assessment_json(bstep__req *r, const bstep_store_session *s)
{
    bstep_assessment as;
    cJSON *o = cJSON_CreateObject(), *scores, *work;
    size_t i;
    int k;
    if (o == NULL || bstep__store_session_assess(bstep__req_store(r), s, &as) != BSTEP_OK)
        return o;
    scores = cJSON_AddObjectToObject(o, "scores");
    for (k = 0; scores != NULL && k < BSTEP_SCORE_COUNT; k++) {
        cJSON *sc = cJSON_AddObjectToObject(scores, bstep_score_name(as.score[k].id));
        add_num(sc, "value", as.score[k].value);
        cJSON_AddStringToObject(sc, "unit", bstep_score_unit(as.score[k].id));
        if (as.score[k].band == BSTEP_BAND_UNKNOWN)
            cJSON_AddNullToObject(sc, "band");
        else
            cJSON_AddStringToObject(sc, "band", bstep_band_name(as.score[k].band));
    }
    work = cJSON_AddArrayToObject(o, "work_on");
    for (i = 0; work != NULL && i < as.n_advice; i++) {
        const bstep_advice *ad = &as.advice[i];
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "id", bstep_advice_name(ad->id));
        cJSON_AddStringToObject(a, "severity", bstep_band_name(ad->band));
        cJSON_AddStringToObject(a, "text", bstep_advice_text(ad->id));
        cJSON_AddStringToObject(a, "reason", bstep_advice_reason(ad->id));
        add_num(a, "measured", ad->measured);
        add_num(a, "target", ad->target);
        cJSON_AddStringToObject(a, "unit", bstep_advice_unit(ad->id));
        cJSON_AddItemToArray(work, a);
    }
    cJSON_AddNumberToObject(o, "faults", (double)as.n_faults);
    return o;
}

static void h_session(bstep__req *r, int64_t id, const char *what)
{
    bstep_store_session_full *f = NULL;
    int rc = bstep_store_session_load(bstep__req_store(r), id, &f);
    cJSON *root;
    size_t i;
    if (rc == BSTEP_ENOTFOUND || (rc == BSTEP_OK && !bstep__req_can_view(r, f->session.user_id))) {
        bstep_store_session_full_free(f);
        bstep__req_error(r, 404, "no such session");
        return;
    }
    if (rc != BSTEP_OK) {
        db_error(r);
        return;
    }
    if (strcmp(r->method, "DELETE") == 0) {
        if (f->session.user_id != r->user.id) {
            bstep_store_session_full_free(f);
            bstep__req_error(r, 403, "only the walker's own token can delete a session");
            return;
        }
        bstep_store_session_full_free(f);
        if (bstep_store_session_delete(bstep__req_store(r), id) != BSTEP_OK) {
            db_error(r);
            return;
        }
        root = cJSON_CreateObject();
        cJSON_AddBoolToObject(root, "deleted", 1);
        reply(r, 200, root);
        return;
    }
    if (strcmp(what, "steps") == 0) {
        root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "session", (double)id);
        cJSON_AddItemToObject(root, "steps", steps_json(f));
    } else {
        cJSON *bouts = cJSON_CreateArray(), *events = cJSON_CreateArray(),
              *cues = cJSON_CreateArray();
        root = session_json(&f->session);
        {
            int64_t raw = 0;
            if (strncmp(f->session.source_path, "live:", 5) == 0 &&
                bstep_store_live_samples_count(bstep__req_store(r), id, &raw) == BSTEP_OK)
                cJSON_AddNumberToObject(root, "raw_samples", (double)raw);
        }
        for (i = 0; bouts != NULL && i < f->n_bouts; i++) {
            cJSON *o = cJSON_CreateObject();
            add_num(o, "start_s", f->bouts[i].start_s);
            add_num(o, "end_s", f->bouts[i].end_s);
            cJSON_AddStringToObject(o, "activity", f->bouts[i].activity);
            cJSON_AddNumberToObject(o, "steps", (double)f->bouts[i].steps);
            add_num(o, "distance_m", f->bouts[i].distance_m);
            cJSON_AddItemToArray(bouts, o);
        }
        for (i = 0; events != NULL && i < f->n_events; i++) {
            cJSON *o = cJSON_CreateObject();
            add_num(o, "t_s", f->events[i].t_s);
            cJSON_AddStringToObject(o, "type", f->events[i].type);
            cJSON_AddStringToObject(o, "message", f->events[i].message);
            cJSON_AddItemToArray(events, o);
        }
        for (i = 0; cues != NULL && i < f->n_cues; i++) {
            cJSON *o = cJSON_CreateObject();
            add_num(o, "t_s", f->cues[i].t_s);
            cJSON_AddStringToObject(o, "kind", f->cues[i].kind);
            cJSON_AddStringToObject(o, "message", f->cues[i].message);
            cJSON_AddItemToArray(cues, o);
        }
        cJSON_AddItemToObject(root, "bouts", bouts);
        cJSON_AddItemToObject(root, "events", events);
        cJSON_AddItemToObject(root, "cues", cues);
        cJSON_AddItemToObject(root, "steps", steps_json(f));
        cJSON_AddItemToObject(root, "assessment", assessment_json(r, &f->session));
    }
    bstep_store_session_full_free(f);
    reply(r, 200, root);
}

/* An upload's reader error names the temporary path: name the upload instead. */
static void upload_error(bstep__req *r, int rc, const char *err, const char *path)
{
    const char *p = strstr(err, path);
    char msg[600];
    if (p != NULL)
        snprintf(msg, sizeof(msg), "upload%s", p + strlen(path));
    else
        snprintf(msg, sizeof(msg), "%s", err);
    bstep__req_error(r, rc == BSTEP_ENOMEM ? 500 : 422, "%s", msg);
}

/* The upload's checksum and source name ("upload:NAME"). */
static void upload_identity(bstep__req *r, char sha[65], char *source, size_t cap)
{
    unsigned char digest[32];
    const char *name = bstep__req_arg(r, "name");
    crypto_hash_sha256(digest, (const unsigned char *)r->body, r->body_len);
    sodium_bin2hex(sha, 65, digest, sizeof(digest));
    snprintf(source, cap, "upload:%s",
             name != NULL && bstep__ingest_id_valid(name, strlen(name), 200) ? name : "recording");
}

/* An uploaded activity file (FIT, TCX, FTMS log): the session analyze stores from its records
 * (src/store/session_save.h), the plan decided again with it. */
static void h_upload_activity(bstep__req *r, const char *path, const bstep__activity_options *o)
{
    bstep__activity_analysis aa;
    bstep__session_in in;
    bstep__session_out out;
    char sha[65], source[300], err[1400];
    cJSON *root;
    int rc = bstep__analyze_activity(path, o, &aa, err, sizeof(err));
    if (rc != BSTEP_OK) {
        bstep__activity_analysis_free(&aa);
        upload_error(r, rc, err, path);
        return;
    }
    upload_identity(r, sha, source, sizeof(source));
    bstep__session_in_init(&in, r->user.id);
    in.path = "upload";
    in.sha256_hex = sha;
    in.source_path = source;
    rc = bstep__session_save_activity(bstep__req_store(r), &aa, &in, &out, err, sizeof(err));
    bstep__activity_analysis_free(&aa);
    if (rc != BSTEP_OK) {
        db_error(r);
        return;
    }
    root = session_json(&out.s);
    cJSON_AddBoolToObject(root, "existed", out.existed);
    reply(r, out.existed ? 200 : 201, root);
}

/* POST /api/sessions: the body is a recording file (any format backstep reads; a Sensor Logger
 * export as its .zip; a watch's or treadmill's FIT, TCX or FTMS file). It is written to a private
 * temporary file, analysed as `backstep analyze` would, stored for the requester, and removed. */
static void h_upload(bstep__req *r)
{
    bstep__analysis_options opt;
    bstep__activity_options aopt;
    bstep__analysis a;
    bstep__session_in in;
    bstep__session_out out;
    char sha[65], source[300];
    char path[1200], err[512];
    const char *v, *dir = r->srv->opt.upload_dir;
    int fd, rc, existed = 0;
    cJSON *root;
    if (r->body == NULL || r->body_len == 0) {
        bstep__req_error(r, 400, "the body must be a recording file");
        return;
    }
    memset(&opt, 0, sizeof(opt));
    opt.placement = BSTEP_PLACEMENT_AUTO;
    opt.format = BSTEP_FORMAT_AUTO;
    opt.toe_axis = opt.front_axis = BSTEP_AXIS_AUTO;
    /* as analyze: the walker's stored body mass, age and sex (energy), and the plan's context
     * for the cues and advice (the level's top speed: "slow down"; today's planned minutes) */
    opt.mass_kg = r->user.mass_kg;
    opt.age_y = r->user.age_y >= 5.0 && r->user.age_y <= 110.0 ? r->user.age_y : (double)NAN;
    opt.sex = r->user.sex;
    opt.sensor_height_m = opt.step_scale = (double)NAN;
    bstep__plan_context(bstep__req_store(r), r->user.id, &opt.speed_max_mps,
                        &opt.planned_backward_s);
    if ((v = bstep__req_arg(r, "placement")) != NULL &&
        bstep_placement_parse(v, &opt.placement) != BSTEP_OK) {
        bstep__req_error(r, 400, "placement: auto, foot-left, foot-right, lower-back or pocket");
        return;
    }
    if ((v = bstep__req_arg(r, "toe-axis")) != NULL &&
        bstep_axis_parse(v, &opt.toe_axis) != BSTEP_OK) {
        bstep__req_error(r, 400, "toe-axis: one of +x -x +y -y +z -z auto");
        return;
    }
    if ((v = bstep__req_arg(r, "front-axis")) != NULL &&
        bstep_axis_parse(v, &opt.front_axis) != BSTEP_OK) {
        bstep__req_error(r, 400, "front-axis: one of +x -x +y -y +z -z auto");
        return;
    }
    if ((v = bstep__req_arg(r, "accel-range")) != NULL &&
        bstep__accel_range_parse(v, &opt.accel_range_mps2, err, sizeof(err)) != BSTEP_OK) {
        bstep__req_error(r, 400, "accel-range: %s (the accelerometer's full scale in g, or none)",
                         err);
        return;
    }
    /* an activity file as analyze reads one: the walker's mass, age and sex, and how the walk was
     * done (a watch or a treadmill cannot tell) */
    memset(&aopt, 0, sizeof(aopt));
    aopt.mass_kg = opt.mass_kg;
    aopt.age_y = opt.age_y;
    aopt.sex = opt.sex;
    aopt.format = BSTEP_FORMAT_AUTO;
    aopt.direction = BSTEP_DIRECTION_UNKNOWN;
    if ((v = bstep__req_arg(r, "direction")) != NULL &&
        (bstep_direction_parse(v, &aopt.direction) != BSTEP_OK ||
         (aopt.direction != BSTEP_DIRECTION_FORWARD &&
          aopt.direction != BSTEP_DIRECTION_BACKWARD))) {
        bstep__req_error(r, 400, "direction: forward or backward");
        return;
    }
    if (dir == NULL)
        dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    snprintf(path, sizeof(path), "%s/backstep-upload-XXXXXX", dir);
    fd = mkstemp(path);
    if (fd < 0) {
        bstep__req_error(r, 500, "cannot create a temporary file: %s", strerror(errno));
        return;
    }
    {
        size_t off = 0;
        while (off < r->body_len) {
            ssize_t k = write(fd, r->body + off, r->body_len - off);
            if (k <= 0) {
                close(fd);
                unlink(path);
                bstep__req_error(r, 500, "cannot write the temporary file");
                return;
            }
            off += (size_t)k;
        }
        close(fd);
    }
    if (bstep__is_activity_file(path, BSTEP_FORMAT_AUTO)) {
        h_upload_activity(r, path, &aopt);
        unlink(path);
        return;
    }
    rc = bstep__analyze_file(path, &opt, &a, err, sizeof(err));
    unlink(path);
    if (rc != BSTEP_OK) {
        bstep__analysis_free(&a);
        upload_error(r, rc, err, path);
        return;
    }
    upload_identity(r, sha, source, sizeof(source));
    /* the one conversion of every session (src/store/session_save.h): stored as analyze stores
     * a file, and the walker's plan decided again with it */
    bstep__session_in_init(&in, r->user.id);
    in.path = "upload";
    in.sha256_hex = sha;
    in.source_path = source;
    in.toe_axis = opt.toe_axis;
    in.front_axis = opt.front_axis;
    if (a.t0_us > 946684800LL * 1000000) { /* absolute time (after 2000): the recording's */
        in.start_us = a.t0_us;
        in.start_source = BSTEP_START_RECORDING;
    } else {
        in.start_us = bstep__now_wall_us() - (int64_t)(a.duration_s * 1e6);
        in.start_source = BSTEP_START_GIVEN;
    }
    rc = bstep__session_save(bstep__req_store(r), &a, &in, &out, err, sizeof(err));
    bstep__analysis_free(&a);
    if (rc != BSTEP_OK) {
        db_error(r);
        return;
    }
    existed = out.existed;
    root = session_json(&out.s);
    cJSON_AddBoolToObject(root, "existed", existed);
    reply(r, existed ? 200 : 201, root);
}

/* ---- progress ------------------------------------------------------------------------------- */

static void h_progress(bstep__req *r)
{
    const char *period = bstep__req_arg(r, "period");
    int weekly = 1;
    bstep_store_filter f;
    bstep_store_session *list = NULL;
    bstep__period *p;
    size_t n = 0, np, i;
    cJSON *root, *arr;
    int64_t uid = subject_id(r);
    if (uid == 0)
        return;
    if (period != NULL && strcmp(period, "month") == 0)
        weekly = 0;
    else if (period != NULL && strcmp(period, "week") != 0) {
        bstep__req_error(r, 400, "period: week or month");
        return;
    }
    bstep_store_filter_init(&f);
    f.user_id = uid;
    if (bstep_store_session_list(bstep__req_store(r), &f, &list, &n) != BSTEP_OK) {
        db_error(r);
        return;
    }
    p = calloc(n + 1, sizeof(*p));
    if (p == NULL) {
        bstep_store_free(list);
        bstep__req_error(r, 500, "out of memory");
        return;
    }
    np = bstep__progress(list, n, weekly, p, n + 1);
    bstep_store_free(list);
    root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "period", weekly ? "week" : "month");
    arr = cJSON_AddArrayToObject(root, "periods");
    for (i = 0; i < np; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "period", p[i].key);
        cJSON_AddNumberToObject(o, "sessions", p[i].sessions);
        cJSON_AddNumberToObject(o, "steps", (double)p[i].steps);
        cJSON_AddNumberToObject(o, "steps_backward", (double)p[i].steps_backward);
        cJSON_AddNumberToObject(o, "walking_time_s", p[i].walking_s);
        cJSON_AddNumberToObject(o, "backward_time_s", p[i].backward_s);
        cJSON_AddNumberToObject(o, "distance_m", p[i].distance_m);
        add_num(o, "toe_first_ratio", p[i].toe_n ? p[i].toe_sum / p[i].toe_n : (double)NAN);
        cJSON_AddItemToArray(arr, o);
    }
    free(p);
    reply(r, 200, root);
}

/* ---- plans ---------------------------------------------------------------------------------- */

static cJSON *plan_json(const bstep_store_plan *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)p->id);
    cJSON_AddNumberToObject(o, "user_id", (double)p->user_id);
    cJSON_AddStringToObject(o, "kind", p->kind);
    cJSON_AddStringToObject(o, "start_date", p->start_date);
    cJSON_AddNumberToObject(o, "level", p->level);
    cJSON_AddBoolToObject(o, "active", p->active);
    if (p->params_json[0]) {
        cJSON *params = cJSON_Parse(p->params_json);
        if (params != NULL)
            cJSON_AddItemToObject(o, "params", params);
        else
            cJSON_AddStringToObject(o, "params", p->params_json);
    } else {
        cJSON_AddNullToObject(o, "params");
    }
    return o;
}

static int valid_date(const char *s)
{
    int i;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    /* a day of the calendar: 2026-02-30 is refused here (400), not by the store (500) */
    return bstep__store_date_valid(s);
}

/* The safety screening of `backstep plan start` from a JSON object (docs/coach.md section 3):
 * the CLI's option names, "yes"/"no" (or true/false), "pain" 0..10 and "age" 1..120. As on the
 * command line, a question not answered counts as "yes" (the safe side). 0, or -1 and msg. */
static int screening_of(const cJSON *o, bstep_screening *q, char *msg, size_t cap)
{
    const cJSON *it;
    bstep_screening_init(q);
    if (o == NULL)
        return 0;
    if (!cJSON_IsObject(o)) {
        snprintf(msg, cap, "an object of answers such as {\"fell\": \"no\", \"pain\": 2}");
        return -1;
    }
    cJSON_ArrayForEach(it, o)
    {
        const char *k = it->string != NULL ? it->string : "";
        int *field;
        if (strcmp(k, "pain") == 0 || strcmp(k, "age") == 0) {
            const int hi = k[0] == 'p' ? 10 : 120, lo = k[0] == 'p' ? 0 : 1;
            if (!cJSON_IsNumber(it) || it->valuedouble < lo || it->valuedouble > hi ||
                it->valuedouble != floor(it->valuedouble)) {
                snprintf(msg, cap, "%s: a whole number from %d to %d", k, lo, hi);
                return -1;
            }
            *(k[0] == 'p' ? &q->pain_0_10 : &q->age_y) = (int)it->valuedouble;
            continue;
        }
        if ((field = bstep_screening_question(q, k)) == NULL) {
            snprintf(msg, cap,
                     "unknown question \"%.40s\" (fell, unsteady, worried, heart, "
                     "chest-pain, dizziness, told-supervised, surgery, "
                     "balance-condition, pain, age)",
                     k);
            return -1;
        }
        if (cJSON_IsBool(it))
            *field = cJSON_IsTrue(it) ? 1 : 0;
        else if (cJSON_IsString(it) && strcmp(it->valuestring, "yes") == 0)
            *field = 1;
        else if (cJSON_IsString(it) && strcmp(it->valuestring, "no") == 0)
            *field = 0;
        else {
            snprintf(msg, cap, "%s: \"yes\" or \"no\"", k);
            return -1;
        }
    }
    return 0;
}

static void h_plans(bstep__req *r, const char *rest)
{
    cJSON *root, *arr;
    size_t i, n = 0;
    bstep_store_plan p, *list = NULL;
    int64_t uid;
    if (strcmp(r->method, "POST") == 0 && *rest == '\0') {
        cJSON *j = parse_body(r), *v;
        bstep_plan_id pid;
        bstep_screening q;
        bstep_screening_result res;
        bstep_store_answer ans[16];
        bstep__plan_state ps;
        char msg[160] = "", err[512];
        if (j == NULL)
            return;
        memset(&p, 0, sizeof(p));
        p.user_id = r->user.id;
        p.active = 1;
        v = cJSON_GetObjectItemCaseSensitive(j, "kind");
        /* a plan the coach knows (otherwise `backstep plan` and the plan page cannot follow it) */
        if (!cJSON_IsString(v) ||
            !bstep__ingest_id_valid(v->valuestring, strlen(v->valuestring),
                                    BSTEP_STORE_PLAN_KIND_MAX - 1) ||
            bstep_plan_parse(v->valuestring, &pid) != BSTEP_OK) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "kind: a plan kind such as \"general\" or \"knee-oa\"");
            return;
        }
        snprintf(p.kind, sizeof(p.kind), "%s", v->valuestring);
        v = cJSON_GetObjectItemCaseSensitive(j, "start_date");
        if (v != NULL && (!cJSON_IsString(v) || !valid_date(v->valuestring))) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "start_date: \"YYYY-MM-DD\"");
            return;
        }
        if (v != NULL)
            snprintf(p.start_date, sizeof(p.start_date), "%s", v->valuestring);
        else {
            time_t t = time(NULL);
            struct tm tm;
            if (localtime_r(&t, &tm) == NULL ||
                strftime(p.start_date, sizeof(p.start_date), "%Y-%m-%d", &tm) == 0)
                snprintf(p.start_date, sizeof(p.start_date), "1970-01-01");
        }
        /* as `backstep plan start`: a plan starts at level 1 and is decided by the coach (the
         * level, its parameters); only `backstep plan adjust` (a professional's clearance, then a
         * level) sets another (docs/coach.md sections 3 and 6) */
        v = cJSON_GetObjectItemCaseSensitive(j, "level");
        if (v != NULL && !(cJSON_IsNumber(v) && v->valuedouble == 1.0)) {
            cJSON_Delete(j);
            bstep__req_error(r, 400,
                             "level: a plan starts at level 1 (the coach moves it; a professional "
                             "sets another with `backstep plan adjust --level`)");
            return;
        }
        if (cJSON_GetObjectItemCaseSensitive(j, "params") != NULL) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "params: the coach sets them from the plan and the screening");
            return;
        }
        if (screening_of(cJSON_GetObjectItemCaseSensitive(j, "screening"), &q, msg, sizeof(msg)) !=
                0 ||
            bstep_screening_evaluate(&q, pid, &res) != BSTEP_OK) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "screening: %s", msg[0] ? msg : "answers out of range");
            return;
        }
        p.level = 1;
        snprintf(p.params_json, sizeof(p.params_json), "{}");
        cJSON_Delete(j);
        if (bstep_store_plan_save(bstep__req_store(r), &p, ans,
                                  bstep__screening_to_answers(&q, ans, 16)) != BSTEP_OK) {
            db_error(r);
            return;
        }
        /* decided at once, as `plan start`: the level, the status ("consult first" starts it
         * paused) and the parameters the plan page shows */
        if (bstep__plan_decide(bstep__req_store(r), r->user.id, INT32_MAX / 2, &ps, err,
                               sizeof(err)) != BSTEP_OK) {
            db_error(r);
            return;
        }
        p = ps.plan;
        bstep__plan_state_free(&ps);
        reply(r, 201, plan_json(&p));
        return;
    }
    if (strcmp(r->method, "GET") != 0) {
        bstep__req_error(r, 405, "use GET or POST");
        return;
    }
    uid = subject_id(r);
    if (uid == 0)
        return;
    if (strcmp(rest, "/active") == 0) {
        int rc = bstep_store_plan_active(bstep__req_store(r), uid, &p);
        if (rc == BSTEP_ENOTFOUND) {
            bstep__req_error(r, 404, "no active plan");
            return;
        }
        if (rc != BSTEP_OK) {
            db_error(r);
            return;
        }
        reply(r, 200, plan_json(&p));
        return;
    }
    if (*rest != '\0') {
        bstep__req_error(r, 404, "no such endpoint");
        return;
    }
    if (bstep_store_plan_list(bstep__req_store(r), uid, &list, &n) != BSTEP_OK) {
        db_error(r);
        return;
    }
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "plans");
    for (i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, plan_json(&list[i]));
    bstep_store_free(list);
    reply(r, 200, root);
}

/* ---- check-ins ------------------------------------------------------------------------------ */

static int score(cJSON *j, const char *key, int *out)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (v == NULL || cJSON_IsNull(v)) {
        *out = -1;
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 10 ||
        v->valuedouble != floor(v->valuedouble))
        return -1;
    *out = (int)v->valuedouble;
    return 0;
}

static void h_checkins(bstep__req *r)
{
    if (strcmp(r->method, "POST") == 0) {
        cJSON *j = parse_body(r), *v, *o;
        bstep_store_checkin c;
        int rc;
        if (j == NULL)
            return;
        memset(&c, 0, sizeof(c));
        c.user_id = r->user.id;
        if (score(j, "pain_0_10", &c.pain_0_10) != 0 ||
            score(j, "wellbeing_0_10", &c.wellbeing_0_10) != 0) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "pain_0_10, wellbeing_0_10: whole numbers from 0 to 10");
            return;
        }
        if (c.pain_0_10 < 0 && c.wellbeing_0_10 < 0) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "pain_0_10 or wellbeing_0_10 is required");
            return;
        }
        v = cJSON_GetObjectItemCaseSensitive(j, "date");
        if (v != NULL && (!cJSON_IsString(v) || !valid_date(v->valuestring))) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "date: \"YYYY-MM-DD\"");
            return;
        }
        if (v != NULL)
            snprintf(c.date, sizeof(c.date), "%s", v->valuestring);
        v = cJSON_GetObjectItemCaseSensitive(j, "session");
        if (v != NULL) {
            bstep_store_session s;
            if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 9e15 ||
                bstep_store_session_get(bstep__req_store(r), (int64_t)v->valuedouble, &s) !=
                    BSTEP_OK ||
                s.user_id != r->user.id) {
                cJSON_Delete(j);
                bstep__req_error(r, 400, "session: the id of one of your sessions");
                return;
            }
            c.session_id = s.id;
        } else if (c.date[0] == '\0') {
            time_t t = time(NULL);
            struct tm tm;
            if (localtime_r(&t, &tm) == NULL ||
                strftime(c.date, sizeof(c.date), "%Y-%m-%d", &tm) == 0)
                snprintf(c.date, sizeof(c.date), "1970-01-01");
        }
        v = cJSON_GetObjectItemCaseSensitive(j, "note");
        if (v != NULL && (!cJSON_IsString(v) || strlen(v->valuestring) >= sizeof(c.note))) {
            cJSON_Delete(j);
            bstep__req_error(r, 400, "note: text of at most %zu bytes", sizeof(c.note) - 1);
            return;
        }
        if (v != NULL)
            snprintf(c.note, sizeof(c.note), "%s", v->valuestring);
        cJSON_Delete(j);
        rc = bstep_store_checkin_add(bstep__req_store(r), &c);
        if (rc != BSTEP_OK) {
            db_error(r);
            return;
        }
        o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)c.id);
        cJSON_AddStringToObject(o, "date", c.date);
        reply(r, 201, o);
        return;
    }
    if (strcmp(r->method, "GET") == 0) {
        bstep_store_checkin *list = NULL;
        size_t n = 0, i;
        cJSON *root, *arr;
        const char *from = bstep__req_arg(r, "from"), *to = bstep__req_arg(r, "to");
        int64_t uid = subject_id(r);
        if (uid == 0)
            return;
        if ((from != NULL && !valid_date(from)) || (to != NULL && !valid_date(to))) {
            bstep__req_error(r, 400, "from, to: \"YYYY-MM-DD\"");
            return;
        }
        if (bstep_store_checkin_list(bstep__req_store(r), uid, from, to, &list, &n) != BSTEP_OK) {
            db_error(r);
            return;
        }
        root = cJSON_CreateObject();
        arr = cJSON_AddArrayToObject(root, "checkins");
        for (i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "id", (double)list[i].id);
            cJSON_AddStringToObject(o, "date", list[i].date);
            add_count(o, "pain_0_10", list[i].pain_0_10);
            add_count(o, "wellbeing_0_10", list[i].wellbeing_0_10);
            if (list[i].session_id)
                cJSON_AddNumberToObject(o, "session", (double)list[i].session_id);
            cJSON_AddStringToObject(o, "note", list[i].note);
            cJSON_AddItemToArray(arr, o);
        }
        bstep_store_free(list);
        reply(r, 200, root);
        return;
    }
    bstep__req_error(r, 405, "use GET or POST");
}

/* ---- dispatch ------------------------------------------------------------------------------- */

void bstep__h_api(bstep__req *r, const char *rest)
{
    const int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    if (strcmp(rest, "/me") == 0 && get) {
        reply(r, 200, user_json(&r->user));
    } else if (strcmp(rest, "/users") == 0 && get) {
        h_users(r);
    } else if (strcmp(rest, "/sessions") == 0) {
        if (get)
            h_sessions_list(r);
        else if (strcmp(r->method, "POST") == 0)
            h_upload(r);
        else
            bstep__req_error(r, 405, "use GET or POST");
    } else if (strncmp(rest, "/sessions/", 10) == 0) {
        const char *p = rest + 10;
        size_t n = strcspn(p, "/");
        int64_t id;
        if (parse_id(p, n, &id) != 0) {
            bstep__req_error(r, 404, "no such session");
            return;
        }
        p += n;
        if (*p == '\0' && (get || strcmp(r->method, "DELETE") == 0))
            h_session(r, id, "");
        else if (strcmp(p, "/steps") == 0 && get)
            h_session(r, id, "steps");
        else
            bstep__req_error(r, 404, "no such endpoint");
    } else if (strcmp(rest, "/progress") == 0 && get) {
        h_progress(r);
    } else if (strncmp(rest, "/plans", 6) == 0 && (rest[6] == '\0' || rest[6] == '/')) {
        h_plans(r, rest + 6);
    } else if (strcmp(rest, "/checkins") == 0) {
        h_checkins(r);
    } else {
        bstep__req_error(r, 404, "no such endpoint");
    }
}
