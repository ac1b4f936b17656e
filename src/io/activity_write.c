/*
 * Activity writers: open/records/lap/close shared by the formats, the running statistics that
 * fill lap and session totals the caller leaves NAN, and the CSV and JSON exports. FIT is in
 * fit_write.c, TCX in tcx_write.c.
 *
 * Totals from records: elapsed time = last - first record time of the stretch; distance = last -
 * first cumulative distance; mean heart rate, speed and cadence are the plain means of the records
 * that have them (records of a watch or treadmill come at a steady rate, so this is the time
 * mean); energy = last - first cumulative energy when the records carry it.
 *
 * CSV: one line per record, header
 *   time (s),time_utc,heart_rate (bpm),cadence (steps/min),speed (m/s),distance (m),incline (%),
 *   altitude (m),latitude (deg),longitude (deg),energy (kcal)
 * with time as Unix seconds (3 decimals) and an empty field for an unknown value.
 * JSON: schema backstep.activity/1 (docs/formats.md): {"schema", "records": [...], "laps": [...],
 * "info": {...}}; unknown values are null.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/jsonw.h"
#include "io/activity_internal.h"

void bstep__act_stats_reset(bstep__act_stats *s)
{
    memset(s, 0, sizeof *s);
    s->first_dist = s->last_dist = s->hr_max = s->speed_max = (double)NAN;
    s->first_kcal = s->last_kcal = (double)NAN;
}

void bstep__act_stats_add(bstep__act_stats *s, const bstep_activity_record *rec)
{
    if (s->n == 0)
        s->first_t = rec->t_us;
    s->last_t = rec->t_us;
    s->n++;
    if (isfinite(rec->distance_m)) {
        if (!isfinite(s->first_dist))
            s->first_dist = rec->distance_m;
        s->last_dist = rec->distance_m;
    }
    if (isfinite(rec->energy_kcal)) {
        if (!isfinite(s->first_kcal))
            s->first_kcal = rec->energy_kcal;
        s->last_kcal = rec->energy_kcal;
    }
    if (isfinite(rec->heart_rate_bpm)) {
        s->hr_sum += rec->heart_rate_bpm;
        s->hr_n++;
        if (!(s->hr_max >= rec->heart_rate_bpm))
            s->hr_max = rec->heart_rate_bpm;
    }
    if (isfinite(rec->speed_mps)) {
        s->speed_sum += rec->speed_mps;
        s->speed_n++;
        if (!(s->speed_max >= rec->speed_mps))
            s->speed_max = rec->speed_mps;
    }
    if (isfinite(rec->cadence_spm)) {
        s->cad_sum += rec->cadence_spm;
        s->cad_n++;
    }
}

void bstep__act_stats_fill_lap(const bstep__act_stats *s, bstep_activity_lap *lap)
{
    if (s->n == 0)
        return;
    if (lap->start_us == 0)
        lap->start_us = s->first_t;
    if (!isfinite(lap->elapsed_s))
        lap->elapsed_s = (double)(s->last_t - lap->start_us) * 1e-6;
    if (!isfinite(lap->timer_s))
        lap->timer_s = lap->elapsed_s;
    if (!isfinite(lap->distance_m) && isfinite(s->first_dist))
        lap->distance_m = s->last_dist - s->first_dist;
    if (!isfinite(lap->energy_kcal) && isfinite(s->first_kcal))
        lap->energy_kcal = s->last_kcal - s->first_kcal;
    if (!isfinite(lap->avg_speed_mps) && s->speed_n > 0)
        lap->avg_speed_mps = s->speed_sum / (double)s->speed_n;
    if (!isfinite(lap->max_speed_mps))
        lap->max_speed_mps = s->speed_max;
    if (!isfinite(lap->avg_heart_rate_bpm) && s->hr_n > 0)
        lap->avg_heart_rate_bpm = s->hr_sum / (double)s->hr_n;
    if (!isfinite(lap->max_heart_rate_bpm))
        lap->max_heart_rate_bpm = s->hr_max;
    if (!isfinite(lap->avg_cadence_spm) && s->cad_n > 0)
        lap->avg_cadence_spm = s->cad_sum / (double)s->cad_n;
}

/* ---------------------------------------------------------------------------------------- */
/* CSV and JSON */

static void csv_num(FILE *f, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, ",%.*f", decimals, v);
    else
        fputc(',', f);
}

static void csv_begin(bstep_activity_writer *w)
{
    fprintf(w->f, "time (s),time_utc,heart_rate (bpm),cadence (steps/min),speed (m/s),"
                  "distance (m),incline (%%),altitude (m),latitude (deg),longitude (deg),"
                  "energy (kcal)\n");
}

static void csv_record(bstep_activity_writer *w, const bstep_activity_record *r)
{
    char iso[40];
    bstep_time_us s = r->t_us / 1000000, ms = (r->t_us % 1000000) / 1000;
    bstep__iso8601_format(r->t_us, iso, sizeof iso);
    if (r->t_us < 0) {
        s = -((-r->t_us) / 1000000);
        ms = ((-r->t_us) % 1000000) / 1000;
        fprintf(w->f, "-%lld.%03lld,%s", (long long)-s, (long long)ms, iso);
    } else {
        fprintf(w->f, "%lld.%03lld,%s", (long long)s, (long long)ms, iso);
    }
    csv_num(w->f, r->heart_rate_bpm, 0);
    csv_num(w->f, r->cadence_spm, 3);
    csv_num(w->f, r->speed_mps, 3);
    csv_num(w->f, r->distance_m, 2);
    csv_num(w->f, r->incline_pct, 2);
    csv_num(w->f, r->altitude_m, 1);
    csv_num(w->f, r->latitude_deg, 7);
    csv_num(w->f, r->longitude_deg, 7);
    csv_num(w->f, r->energy_kcal, 0);
    fputc('\n', w->f);
}

static void jnum(bstep__jsonw *j, const char *key, double v, int decimals)
{
    bstep__jsonw_key(j, key);
    bstep__jsonw_number(j, v, decimals);
}

static void jtime(bstep__jsonw *j, const char *key, bstep_time_us t)
{
    char iso[40];
    bstep__jsonw_key(j, key);
    if (t == 0) {
        bstep__jsonw_null(j);
        return;
    }
    bstep__iso8601_format(t, iso, sizeof iso);
    bstep__jsonw_string(j, iso);
}

static void json_record(bstep_activity_writer *w, const bstep_activity_record *r)
{
    bstep__jsonw *j = w->json;
    bstep__jsonw_object_begin(j);
    bstep__jsonw_key(j, "t_us");
    bstep__jsonw_int(j, r->t_us);
    jnum(j, "heart_rate_bpm", r->heart_rate_bpm, 0);
    jnum(j, "cadence_spm", r->cadence_spm, 3);
    jnum(j, "speed_mps", r->speed_mps, 3);
    jnum(j, "distance_m", r->distance_m, 2);
    jnum(j, "incline_pct", r->incline_pct, 2);
    jnum(j, "altitude_m", r->altitude_m, 1);
    jnum(j, "latitude_deg", r->latitude_deg, 7);
    jnum(j, "longitude_deg", r->longitude_deg, 7);
    jnum(j, "energy_kcal", r->energy_kcal, 0);
    bstep__jsonw_object_end(j);
}

static void json_sport(bstep__jsonw *j, const char *key, int v)
{
    bstep__jsonw_key(j, key);
    if (v == BSTEP_SPORT_UNKNOWN)
        bstep__jsonw_null(j);
    else
        bstep__jsonw_int(j, v);
}

static void json_lap(bstep__jsonw *j, const bstep_activity_lap *l)
{
    bstep__jsonw_object_begin(j);
    jtime(j, "start_utc", l->start_us);
    jnum(j, "elapsed_s", l->elapsed_s, 3);
    jnum(j, "timer_s", l->timer_s, 3);
    jnum(j, "distance_m", l->distance_m, 2);
    jnum(j, "energy_kcal", l->energy_kcal, 0);
    jnum(j, "avg_speed_mps", l->avg_speed_mps, 3);
    jnum(j, "max_speed_mps", l->max_speed_mps, 3);
    jnum(j, "avg_heart_rate_bpm", l->avg_heart_rate_bpm, 0);
    jnum(j, "max_heart_rate_bpm", l->max_heart_rate_bpm, 0);
    jnum(j, "avg_cadence_spm", l->avg_cadence_spm, 1);
    json_sport(j, "sport", l->sport);
    json_sport(j, "sub_sport", l->sub_sport);
    bstep__jsonw_object_end(j);
}

/* ---------------------------------------------------------------------------------------- */
/* dispatch */

static int wfail(bstep_activity_writer *w, int rc, const char *what)
{
    snprintf(w->err, sizeof w->err, "%s: %s: %s", w->path, what, strerror(errno));
    w->failed = rc;
    return rc;
}

int bstep_activity_writer_open(bstep_activity_writer **out, const char *path,
                               bstep_export_format format, const bstep_activity_info *info,
                               char *err, size_t err_len)
{
    bstep_activity_writer *w;
    int rc = BSTEP_OK;
    if (out == NULL)
        return BSTEP_EINVAL;
    *out = NULL;
    if (path == NULL || (int)format < 0 || format > BSTEP_EXPORT_JSON) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "invalid argument");
        return BSTEP_EINVAL;
    }
    if (format == BSTEP_EXPORT_FIT && strcmp(path, "-") == 0) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len,
                     "a FIT file cannot be written to standard output (its header is "
                     "completed at the end): give a file name");
        return BSTEP_EINVAL;
    }
    w = calloc(1, sizeof *w);
    if (w == NULL)
        return BSTEP_ENOMEM;
    w->format = format;
    snprintf(w->path, sizeof w->path, "%s", strcmp(path, "-") == 0 ? "<stdout>" : path);
    if (info != NULL)
        w->info = *info;
    else
        bstep_activity_info_clear(&w->info);
    bstep__act_stats_reset(&w->lap_stats);
    bstep__act_stats_reset(&w->ses_stats);
    if (strcmp(path, "-") == 0) {
        w->f = stdout;
        w->is_stdout = 1;
    } else {
        w->f = fopen(path, format == BSTEP_EXPORT_FIT ? "w+b" : "wb");
        if (w->f == NULL) {
            if (err != NULL && err_len > 0)
                snprintf(err, err_len, "%s: cannot create: %s", path, strerror(errno));
            free(w);
            return BSTEP_EIO;
        }
    }
    switch (format) {
    case BSTEP_EXPORT_FIT:
        rc = bstep__fit_writer_begin(w);
        break;
    case BSTEP_EXPORT_TCX:
        rc = bstep__tcx_writer_begin(w);
        break;
    case BSTEP_EXPORT_CSV:
        csv_begin(w);
        break;
    case BSTEP_EXPORT_JSON: {
        bstep__jsonw *j = malloc(sizeof *j);
        if (j == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        w->json = j;
        bstep__jsonw_init(j, w->f, 2);
        bstep__jsonw_object_begin(j);
        bstep__jsonw_key(j, "schema");
        bstep__jsonw_string(j, "backstep.activity/1");
        bstep__jsonw_key(j, "records");
        bstep__jsonw_array_begin(j);
        break;
    }
    }
    if (rc == BSTEP_OK && ferror(w->f))
        rc = wfail(w, BSTEP_EIO, "write error");
    if (rc != BSTEP_OK) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "%s", w->err[0] ? w->err : bstep_strerror(rc));
        if (!w->is_stdout)
            fclose(w->f);
        if (w->tcx_points)
            fclose(w->tcx_points);
        free(w->json);
        free(w);
        return rc;
    }
    *out = w;
    return BSTEP_OK;
}

static int in_range(double v, double lo, double hi)
{
    return !isfinite(v) ? isnan(v) : (v >= lo && v <= hi);
}

static int record_ok(const bstep_activity_record *r)
{
    return in_range(r->heart_rate_bpm, 0.0, 250.0) && in_range(r->cadence_spm, 0.0, 510.0) &&
           in_range(r->speed_mps, 0.0, 50.0) && in_range(r->distance_m, 0.0, 1e8) &&
           in_range(r->incline_pct, -100.0, 100.0) && in_range(r->altitude_m, -500.0, 12000.0) &&
           in_range(r->latitude_deg, -90.0, 90.0) && in_range(r->longitude_deg, -180.0, 180.0) &&
           in_range(r->energy_kcal, 0.0, 65534.0) && r->t_us > 0;
}

int bstep_activity_writer_records(bstep_activity_writer *w, const bstep_activity_record *rec,
                                  size_t n)
{
    size_t i;
    int rc = BSTEP_OK;
    if (w == NULL || (rec == NULL && n > 0))
        return BSTEP_EINVAL;
    if (w->failed)
        return w->failed;
    for (i = 0; i < n; i++) {
        if (!record_ok(&rec[i]))
            return BSTEP_ERANGE;
        if (w->have_prev && rec[i].t_us < w->prev_t)
            return BSTEP_EINVAL;
        w->have_prev = 1;
        w->prev_t = rec[i].t_us;
    }
    switch (w->format) {
    case BSTEP_EXPORT_FIT:
        rc = bstep__fit_writer_records(w, rec, n);
        break;
    case BSTEP_EXPORT_TCX:
        rc = bstep__tcx_writer_records(w, rec, n);
        break;
    case BSTEP_EXPORT_CSV:
        for (i = 0; i < n; i++)
            csv_record(w, &rec[i]);
        break;
    case BSTEP_EXPORT_JSON:
        for (i = 0; i < n; i++)
            json_record(w, &rec[i]);
        break;
    }
    for (i = 0; i < n; i++) {
        bstep__act_stats_add(&w->lap_stats, &rec[i]);
        bstep__act_stats_add(&w->ses_stats, &rec[i]);
    }
    w->records += n;
    if (rc == BSTEP_OK && ferror(w->f))
        rc = wfail(w, BSTEP_EIO, "write error");
    return rc;
}

int bstep_activity_writer_lap(bstep_activity_writer *w, const bstep_activity_lap *lap)
{
    bstep_activity_lap l;
    int rc = BSTEP_OK;
    if (w == NULL)
        return BSTEP_EINVAL;
    if (w->failed)
        return w->failed;
    if (lap != NULL)
        l = *lap;
    else
        bstep_activity_lap_clear(&l);
    bstep__act_stats_fill_lap(&w->lap_stats, &l);
    if (l.sport == BSTEP_SPORT_UNKNOWN)
        l.sport = w->info.sport;
    if (l.sub_sport == BSTEP_SPORT_UNKNOWN)
        l.sub_sport = w->info.sub_sport;
    if (w->laps_written == 0)
        w->first_lap = l;
    switch (w->format) {
    case BSTEP_EXPORT_FIT:
        rc = bstep__fit_writer_lap(w, &l);
        break;
    case BSTEP_EXPORT_TCX:
        rc = bstep__tcx_writer_lap(w, &l);
        break;
    case BSTEP_EXPORT_CSV:
        break;
    case BSTEP_EXPORT_JSON: {
        /* laps are written after the records: keep them in the tcx_points spill file */
        if (w->tcx_points == NULL && (w->tcx_points = tmpfile()) == NULL)
            return wfail(w, BSTEP_EIO, "cannot create a temporary file");
        if (fwrite(&l, sizeof l, 1, w->tcx_points) != 1)
            return wfail(w, BSTEP_EIO, "write error (temporary file)");
        break;
    }
    }
    w->laps_written++;
    bstep__act_stats_reset(&w->lap_stats);
    return rc;
}

/* Session totals: the caller's, with NAN fields from all records. */
static void session_totals(const bstep_activity_writer *w, const bstep_activity_info *t,
                           bstep_activity_info *out)
{
    bstep_activity_lap l;
    *out = w->info;
    if (t != NULL) {
        out->elapsed_s = t->elapsed_s;
        out->timer_s = t->timer_s;
        out->distance_m = t->distance_m;
        out->energy_kcal = t->energy_kcal;
        out->avg_heart_rate_bpm = t->avg_heart_rate_bpm;
        out->max_heart_rate_bpm = t->max_heart_rate_bpm;
        out->steps = t->steps;
        if (t->start_us != 0)
            out->start_us = t->start_us;
    }
    bstep_activity_lap_clear(&l);
    l.start_us = out->start_us;
    l.elapsed_s = out->elapsed_s;
    l.timer_s = out->timer_s;
    l.distance_m = out->distance_m;
    l.energy_kcal = out->energy_kcal;
    l.avg_heart_rate_bpm = out->avg_heart_rate_bpm;
    l.max_heart_rate_bpm = out->max_heart_rate_bpm;
    bstep__act_stats_fill_lap(&w->ses_stats, &l);
    out->start_us = l.start_us;
    out->elapsed_s = l.elapsed_s;
    out->timer_s = l.timer_s;
    out->distance_m = l.distance_m;
    out->energy_kcal = l.energy_kcal;
    out->avg_heart_rate_bpm = l.avg_heart_rate_bpm;
    out->max_heart_rate_bpm = l.max_heart_rate_bpm;
    out->has_session = 1;
}

static void json_end(bstep_activity_writer *w, const bstep_activity_info *t)
{
    bstep__jsonw *j = w->json;
    bstep__jsonw_array_end(j);
    bstep__jsonw_key(j, "laps");
    bstep__jsonw_array_begin(j);
    if (w->tcx_points != NULL) {
        bstep_activity_lap l;
        rewind(w->tcx_points);
        while (fread(&l, sizeof l, 1, w->tcx_points) == 1)
            json_lap(j, &l);
    }
    bstep__jsonw_array_end(j);
    bstep__jsonw_key(j, "info");
    bstep__jsonw_object_begin(j);
    jtime(j, "start_utc", t->start_us);
    json_sport(j, "sport", t->sport);
    json_sport(j, "sub_sport", t->sub_sport);
    bstep__jsonw_key(j, "direction");
    if (t->direction == BSTEP_DIRECTION_UNKNOWN)
        bstep__jsonw_null(j);
    else
        bstep__jsonw_string(j, bstep_direction_name(t->direction));
    jnum(j, "elapsed_s", t->elapsed_s, 3);
    jnum(j, "timer_s", t->timer_s, 3);
    jnum(j, "distance_m", t->distance_m, 2);
    jnum(j, "energy_kcal", t->energy_kcal, 0);
    jnum(j, "avg_heart_rate_bpm", t->avg_heart_rate_bpm, 0);
    jnum(j, "max_heart_rate_bpm", t->max_heart_rate_bpm, 0);
    jnum(j, "steps", t->steps, 0);
    bstep__jsonw_key(j, "name");
    bstep__jsonw_string(j, t->name);
    bstep__jsonw_key(j, "notes");
    bstep__jsonw_string(j, t->notes);
    bstep__jsonw_key(j, "records");
    bstep__jsonw_int(j, (int64_t)w->records);
    bstep__jsonw_object_end(j);
    bstep__jsonw_object_end(j);
    fputc('\n', w->f);
}

int bstep_activity_writer_close(bstep_activity_writer *w, const bstep_activity_info *totals,
                                char *err, size_t err_len)
{
    bstep_activity_info t;
    int rc;
    if (w == NULL)
        return BSTEP_OK;
    rc = w->failed;
    if (rc == BSTEP_OK && w->laps_written == 0 && w->ses_stats.n > 0 &&
        w->format != BSTEP_EXPORT_CSV)
        rc = bstep_activity_writer_lap(w, NULL);
    session_totals(w, totals, &t);
    if (rc == BSTEP_OK) {
        switch (w->format) {
        case BSTEP_EXPORT_FIT:
            rc = bstep__fit_writer_end(w, &t);
            break;
        case BSTEP_EXPORT_TCX:
            rc = bstep__tcx_writer_end(w, &t);
            break;
        case BSTEP_EXPORT_CSV:
            break;
        case BSTEP_EXPORT_JSON:
            json_end(w, &t);
            break;
        }
    }
    if (rc == BSTEP_OK && (fflush(w->f) != 0 || ferror(w->f)))
        rc = wfail(w, BSTEP_EIO, "write error");
    if (!w->is_stdout && fclose(w->f) != 0 && rc == BSTEP_OK)
        rc = wfail(w, BSTEP_EIO, "write error");
    if (w->tcx_points != NULL)
        fclose(w->tcx_points);
    if (err != NULL && err_len > 0)
        snprintf(err, err_len, "%s", rc == BSTEP_OK ? "" : w->err[0] ? w->err : bstep_strerror(rc));
    free(w->json);
    free(w);
    return rc;
}
