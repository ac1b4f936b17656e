/* One conversion of an analysis into a stored session, its check-in and the plan (session_save.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "store/session_save.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/status.h"
#include "internal/sha256.h"
#include "store/coach_store.h"
#include "store/store_analysis.h"

/* The plan of one walker is decided by one thread at a time (session_save.h): 64 stripes keep
 * the table small while different walkers (the server's users) rarely wait for each other. */
#define PLAN_LOCKS 64
static pthread_mutex_t plan_locks[PLAN_LOCKS] = {
#define L4                                                                                         \
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,               \
        PTHREAD_MUTEX_INITIALIZER
#define L16 L4, L4, L4, L4
    L16, L16, L16, L16
#undef L16
#undef L4
};

static pthread_mutex_t *plan_lock_of(int64_t user_id)
{
    return &plan_locks[(uint64_t)user_id % PLAN_LOCKS];
}

void bstep__session_in_init(bstep__session_in *in, int64_t user_id)
{
    memset(in, 0, sizeof(*in));
    in->user_id = user_id;
    in->start_us = INT64_MIN;
    in->start_source = BSTEP_START_GIVEN;
    in->pain_0_10 = in->wellbeing_0_10 = -1;
    in->stumbled = BSTEP_STORE_STUMBLED_UNKNOWN;
    in->decide_plan = 1;
}

int bstep__plan_update(bstep_store *st, int64_t user_id, int64_t session_id,
                       bstep_coach_decision *d, int *decided, char *err, size_t err_len)
{
    pthread_mutex_t *mu = plan_lock_of(user_id);
    bstep__plan_state ps;
    int rc;
    if (decided != NULL)
        *decided = 0;
    pthread_mutex_lock(mu);
    /* one transaction under the user's plan lock: other processes deciding at the same moment
     * wait, and then decide with this decision and its session stored */
    rc = bstep__plan_decide(st, user_id, INT32_MAX / 2, &ps, err, err_len);
    if (rc == BSTEP_OK) {
        const bstep__plan_step *step;
        step = session_id > 0 ? bstep__plan_step_of(&ps, session_id) : NULL;
        if (step != NULL && d != NULL && decided != NULL) {
            *d = step->d;
            *decided = 1;
        }
        bstep__plan_state_free(&ps);
    }
    pthread_mutex_unlock(mu);
    return rc;
}

/* The identity of a file's session: user, checksum, absolute path. */
static int identity(const bstep__session_in *in, bstep_store_session *s, char *err, size_t err_len)
{
    char *abs;
    int rc;
    s->user_id = in->user_id;
    if (in->sha256_hex != NULL && in->sha256_hex[0] != '\0')
        snprintf(s->sha256_hex, sizeof(s->sha256_hex), "%s", in->sha256_hex);
    else if ((rc = bstep__sha256_path(in->path, s->sha256_hex, err, err_len)) != BSTEP_OK)
        return rc;
    if (in->source_path != NULL) {
        if ((size_t)snprintf(s->source_path, sizeof(s->source_path), "%s", in->source_path) >=
            sizeof(s->source_path)) {
            snprintf(err, err_len, "%s: source name too long to store", in->path);
            return BSTEP_ERANGE;
        }
        return BSTEP_OK;
    }
    abs = realpath(in->path, NULL);
    if ((size_t)snprintf(s->source_path, sizeof(s->source_path), "%s", abs ? abs : in->path) >=
        sizeof(s->source_path)) {
        free(abs);
        snprintf(err, err_len, "%s: path too long to store", in->path);
        return BSTEP_ERANGE;
    }
    free(abs);
    return BSTEP_OK;
}

/* Steps 2 and 3 of session_save.h for a stored (or recognised) session. */
static void after_store(bstep_store *st, const bstep__session_in *in, bstep__session_out *out,
                        char *err, size_t err_len)
{
    out->plan_status = BSTEP_ENOTFOUND;
    /* told again with a recording stored before: it is that session's check-in */
    if (in->pain_0_10 >= 0 || in->wellbeing_0_10 >= 0 ||
        in->stumbled != BSTEP_STORE_STUMBLED_UNKNOWN) {
        bstep_store_checkin c;
        memset(&c, 0, sizeof(c));
        c.user_id = in->user_id;
        c.session_id = out->s.id;
        c.pain_0_10 = in->pain_0_10;
        c.wellbeing_0_10 = in->wellbeing_0_10;
        c.stumbled = in->stumbled;
        if (bstep_store_checkin_add(st, &c) != BSTEP_OK) {
            out->checkin_failed = 1;
            snprintf(err, err_len, "check-in not stored: %s", bstep_store_errmsg(st));
        }
    }
    if (in->decide_plan)
        out->plan_status =
            bstep__plan_update(st, in->user_id, out->s.id, &out->decision, &out->plan_decided,
                               out->plan_err, sizeof(out->plan_err));
}

static void out_init(bstep__session_out *out)
{
    memset(out, 0, sizeof(*out));
    out->plan_status = BSTEP_ENOTFOUND;
}

int bstep__session_save(bstep_store *st, const bstep__analysis *a, const bstep__session_in *in,
                        bstep__session_out *out, char *err, size_t err_len)
{
    bstep_store_session *s = &out->s;
    bstep__stored_parts parts;
    bstep_store_series_point *series = NULL;
    size_t n_series = 0;
    const char *name = in->path != NULL ? in->path : "live session";
    int rc;
    out_init(out);
    memset(&parts, 0, sizeof(parts));
    if (a != NULL) {
        bstep__store_session_from_analysis(a, s);
        if ((rc = bstep__store_parts_from_analysis(a, &parts)) != BSTEP_OK) {
            snprintf(err, err_len, "%s: not stored: %s", name,
                     rc == BSTEP_ENOMEM ? "out of memory"
                                        : "the temporary file holding its steps failed");
            return rc;
        }
    } else {
        bstep__store_session_unknown(s);
        s->format = BSTEP_FORMAT_SENSORLOGGER;
    }
    s->toe_axis = in->toe_axis;
    s->front_axis = in->front_axis;
    s->device_id = in->device_id;
    if (in->note != NULL)
        snprintf(s->note, sizeof(s->note), "%s", in->note);
    if (in->live_id > 0) {
        /* the live row keeps who, where from and when; the analysis fills the rest */
        bstep_store_session cur;
        if ((rc = bstep_store_session_get(st, in->live_id, &cur)) == BSTEP_OK) {
            s->id = in->live_id;
            s->user_id = cur.user_id;
            s->device_id = cur.device_id;
            s->start_us = cur.start_us;
            s->start_source = cur.start_source;
            if (a == NULL)
                s->placement = cur.placement;
            snprintf(s->source_path, sizeof(s->source_path), "%s", cur.source_path);
            rc = bstep_store_live_finish(st, s, &parts.parts);
        }
        if (rc == BSTEP_OK)
            rc = bstep_store_session_get(st, in->live_id, s);
    } else {
        if (a == NULL || in->path == NULL) {
            bstep__stored_parts_free(&parts);
            snprintf(err, err_len, "a session from a file needs its analysis and path");
            return BSTEP_EINVAL;
        }
        if ((rc = identity(in, s, err, err_len)) != BSTEP_OK) {
            bstep__stored_parts_free(&parts);
            return rc;
        }
        if (in->start_us != INT64_MIN) {
            s->start_us = in->start_us;
            s->start_source = in->start_source;
        } else {
            s->start_us = bstep__store_start_of(a, in->path, INT64_MIN, &s->start_source);
        }
        /* the recording's belt and heart-rate readings go in with the session, in its
         * transaction: what its energy and heart rate were computed from, for import to compute
         * them again with what it merges in */
        if ((rc = bstep__store_series_of_analysis(a, s->start_us, &series, &n_series)) !=
            BSTEP_OK) {
            bstep__stored_parts_free(&parts);
            snprintf(err, err_len, "%s: not stored: out of memory", name);
            return rc;
        }
        if (n_series > 0) {
            parts.parts.series = series;
            parts.parts.n_series = n_series;
            parts.parts.series_source = bstep_format_name(a->format);
        }
        rc = bstep_store_session_add(st, s, &parts.parts, &out->existed);
        free(series);
        if (rc == BSTEP_OK && out->existed)
            rc = bstep_store_session_get(st, s->id, s); /* what was stored then */
    }
    bstep__stored_parts_free(&parts);
    if (rc != BSTEP_OK) {
        snprintf(err, err_len, "%s: not stored: %s", name, bstep_store_errmsg(st));
        return rc;
    }
    after_store(st, in, out, err, err_len);
    return BSTEP_OK;
}

int bstep__session_save_activity(bstep_store *st, const bstep__activity_analysis *a,
                                 const bstep__session_in *in, bstep__session_out *out, char *err,
                                 size_t err_len)
{
    bstep_store_session *s = &out->s;
    bstep_store_session_parts parts;
    bstep_store_bout *bouts;
    bstep_store_series_point *pts;
    int rc;
    out_init(out);
    if (in->live_id > 0 || in->path == NULL) {
        snprintf(err, err_len, "an activity session comes from a file");
        return BSTEP_EINVAL;
    }
    bstep__store_session_from_activity(a, s);
    if ((rc = identity(in, s, err, err_len)) != BSTEP_OK)
        return rc;
    s->start_us = in->start_us != INT64_MIN ? in->start_us
                  : a->n_rec                ? a->rec[0].t_us
                                            : a->info.start_us;
    s->start_source = in->start_us != INT64_MIN ? in->start_source : BSTEP_START_RECORDING;
    s->device_id = in->device_id;
    if (in->note != NULL)
        snprintf(s->note, sizeof(s->note), "%s", in->note);
    if ((bouts = bstep__store_bouts_of_activity(a)) == NULL) {
        snprintf(err, err_len, "%s: out of memory", in->path);
        return BSTEP_ENOMEM;
    }
    /* the records go in with the session, in its transaction: a batch killed at any moment never
     * leaves a session without its series (and resuming skips a stored file) */
    if ((pts = bstep__store_series_of_activity(a)) == NULL) {
        free(bouts);
        snprintf(err, err_len, "%s: out of memory", in->path);
        return BSTEP_ENOMEM;
    }
    memset(&parts, 0, sizeof(parts));
    parts.bouts = bouts;
    parts.n_bouts = a->n_bouts;
    parts.series = pts;
    parts.n_series = a->n_rec;
    parts.series_source = bstep_format_name(a->format);
    rc = bstep_store_session_add(st, s, &parts, &out->existed);
    free(bouts);
    free(pts);
    if (rc == BSTEP_OK)
        rc = bstep_store_session_get(st, s->id, s);
    if (rc != BSTEP_OK) {
        snprintf(err, err_len, "%s: not stored: %s", in->path, bstep_store_errmsg(st));
        return rc;
    }
    after_store(st, in, out, err, err_len);
    return BSTEP_OK;
}
