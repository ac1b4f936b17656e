/*
 * FIT activity writer (FIT protocol 2.0, profile 21.40 field numbers; reference/formats.md
 * section 4). Layout, as the FIT SDK's "minimal activity file" recommends:
 *   file_id (type 4 activity, manufacturer 255 development) -> sport (sport, sub_sport, name)
 *   -> event (timer start) -> record ... [lap after each lap's records] -> event (timer stop_all)
 *   -> session -> activity.
 * All messages are little-endian. Values are quantised to the profile's resolution (heart rate
 * 1 bpm, cadence 1/128 stride/min, speed 1 mm/s, distance 1 cm, grade 0.01 %, altitude 0.2 m,
 * position 1 semicircle, calories 1 kcal); unknown values get the base type's invalid value.
 * Cadence is written the FIT way for walking and running: strides (one foot) per minute =
 * steps/min / 2, split into cadence and fractional_cadence.
 *
 * The direction: FIT has no "backward" sport, so sport/sub_sport say walking (11) and, on a
 * treadmill, indoor walking (27); the sport message's name says "Backward walking" (or "Forward
 * walking"), which backstep's reader turns back into the direction. Garmin Connect and other
 * platforms show the activity as walking / indoor walking; whether they show the sport name is
 * up to them (docs/formats.md).
 *
 * The header's data size and CRC and the file CRC are written at the end: the file is re-read
 * once to compute the CRC (it is open "w+b").
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/activity_internal.h"

enum { L_FILE_ID, L_SPORT, L_EVENT, L_RECORD, L_LAP, L_SESSION, L_ACTIVITY };

typedef struct {
    uint8_t num, size, base;
} fdef;

static const fdef file_id_fields[] = {
    {0, 1, 0x00}, {1, 2, 0x84}, {2, 2, 0x84}, {3, 4, 0x8C}, {4, 4, 0x86}};
static const fdef sport_fields[] = {{0, 1, 0x00}, {1, 1, 0x00}, {3, 32, 0x07}};
static const fdef event_fields[] = {{253, 4, 0x86}, {0, 1, 0x00}, {1, 1, 0x00}, {4, 1, 0x02}};
static const fdef record_fields[] = {{253, 4, 0x86}, {0, 4, 0x85}, {1, 4, 0x85},  {2, 2, 0x84},
                                     {78, 4, 0x86},  {3, 1, 0x02}, {4, 1, 0x02},  {53, 1, 0x02},
                                     {5, 4, 0x86},   {6, 2, 0x84}, {73, 4, 0x86}, {9, 2, 0x83},
                                     {33, 2, 0x84}};
static const fdef lap_fields[] = {{254, 2, 0x84}, {253, 4, 0x86}, {2, 4, 0x86},  {0, 1, 0x00},
                                  {1, 1, 0x00},   {7, 4, 0x86},   {8, 4, 0x86},  {9, 4, 0x86},
                                  {11, 2, 0x84},  {13, 2, 0x84},  {14, 2, 0x84}, {110, 4, 0x86},
                                  {111, 4, 0x86}, {15, 1, 0x02},  {16, 1, 0x02}, {17, 1, 0x02},
                                  {80, 1, 0x02},  {24, 1, 0x00},  {25, 1, 0x00}, {39, 1, 0x00}};
static const fdef session_fields[] = {
    {254, 2, 0x84}, {253, 4, 0x86}, {0, 1, 0x00},   {1, 1, 0x00},   {2, 4, 0x86},  {5, 1, 0x00},
    {6, 1, 0x00},   {7, 4, 0x86},   {8, 4, 0x86},   {9, 4, 0x86},   {10, 4, 0x86}, {11, 2, 0x84},
    {14, 2, 0x84},  {15, 2, 0x84},  {124, 4, 0x86}, {125, 4, 0x86}, {16, 1, 0x02}, {17, 1, 0x02},
    {18, 1, 0x02},  {92, 1, 0x02},  {25, 2, 0x84},  {26, 2, 0x84},  {28, 1, 0x00}};
static const fdef activity_fields[] = {{253, 4, 0x86}, {0, 4, 0x86}, {1, 2, 0x84},
                                       {2, 1, 0x00},   {3, 1, 0x00}, {4, 1, 0x00}};

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static int wbytes(bstep_activity_writer *w, const void *p, size_t n)
{
    if (fwrite(p, 1, n, w->f) != n) {
        snprintf(w->err, sizeof w->err, "%s: write error: %s", w->path, strerror(errno));
        return BSTEP_EIO;
    }
    w->fit_data_bytes += (uint32_t)n;
    return BSTEP_OK;
}

static int definition(bstep_activity_writer *w, unsigned local, uint16_t global, const fdef *f,
                      size_t n)
{
    unsigned char b[6 + 3 * 32];
    size_t i, k = 0;
    b[k++] = (unsigned char)(0x40u | local);
    b[k++] = 0;
    b[k++] = 0; /* little-endian */
    b[k++] = (unsigned char)(global & 0xFF);
    b[k++] = (unsigned char)(global >> 8);
    b[k++] = (unsigned char)n;
    for (i = 0; i < n; i++) {
        b[k++] = f[i].num;
        b[k++] = f[i].size;
        b[k++] = f[i].base;
    }
    return wbytes(w, b, k);
}

/* A data message under construction. */
typedef struct {
    unsigned char b[256];
    size_t k;
} msg;

static void put(msg *m, uint64_t v, size_t size)
{
    size_t i;
    for (i = 0; i < size; i++)
        m->b[m->k++] = (unsigned char)(v >> (8 * i));
}

static uint64_t invalid_of(uint8_t base, size_t size)
{
    switch (base) {
    case 0x01:
        return 0x7F;
    case 0x83:
        return 0x7FFF;
    case 0x85:
        return 0x7FFFFFFF;
    case 0x0A:
    case 0x8B:
    case 0x8C:
        return 0;
    default:
        return size >= 8 ? UINT64_MAX : (((uint64_t)1 << (8 * size)) - 1);
    }
}

/* Value v (already in raw units) or the invalid value when NAN / outside the type. */
static void put_raw(msg *m, double v, uint8_t base, size_t size)
{
    uint64_t inv = invalid_of(base, size);
    double r;
    if (!isfinite(v)) {
        put(m, inv, size);
        return;
    }
    r = floor(v + 0.5);
    if (base == 0x83 || base == 0x85 || base == 0x01) {
        double hi = (double)inv - 1.0, lo = -hi;
        int64_t s;
        if (r > hi)
            r = hi;
        if (r < lo)
            r = lo;
        s = (int64_t)r;
        put(m, (uint64_t)s, size);
        return;
    }
    if (r < 0.0)
        r = 0.0;
    if (r >= (double)inv)
        r = (double)inv - 1.0;
    put(m, (uint64_t)r, size);
}

static double fit_time(bstep_time_us t_us)
{
    if (t_us <= 0)
        return (double)NAN;
    return floor((double)(t_us / 1000000) - (double)BSTEP__FIT_EPOCH_UNIX_S);
}

static void put_time(msg *m, bstep_time_us t_us)
{
    put_raw(m, fit_time(t_us), 0x86, 4);
}

static void put_cadence(msg *m, double spm)
{
    double strides = spm / 2.0, c, frac;
    if (!isfinite(spm)) {
        put(m, 0xFF, 1);
        put(m, 0xFF, 1);
        return;
    }
    c = floor(strides);
    frac = floor((strides - c) * 128.0 + 0.5);
    if (frac >= 128.0) {
        c += 1.0;
        frac = 0.0;
    }
    if (c > 254.0)
        c = 254.0, frac = 0.0;
    put(m, (uint64_t)c, 1);
    put(m, (uint64_t)frac, 1);
}

static int emit(bstep_activity_writer *w, unsigned local, const msg *m)
{
    unsigned char h = (unsigned char)local;
    int rc = wbytes(w, &h, 1);
    return rc != BSTEP_OK ? rc : wbytes(w, m->b, m->k);
}

static int event(bstep_activity_writer *w, bstep_time_us t, unsigned type)
{
    msg m = {{0}, 0};
    put_time(&m, t);
    put(&m, 0, 1);    /* event: timer */
    put(&m, type, 1); /* 0 start, 4 stop_all */
    put(&m, 0, 1);
    return emit(w, L_EVENT, &m);
}

int bstep__fit_writer_begin(bstep_activity_writer *w)
{
    unsigned char hdr[14] = {14, 0x20, 0x5C, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T', 0, 0};
    msg m = {{0}, 0};
    char name[32];
    const bstep_activity_info *in = &w->info;
    int rc;
    size_t i;
    /* profile 21.40 = 2140 = 0x085C */
    if (fwrite(hdr, 1, sizeof hdr, w->f) != sizeof hdr)
        return BSTEP_EIO;
    w->fit_data_bytes = 0;
    if ((rc = definition(w, L_FILE_ID, 0, file_id_fields, NF(file_id_fields))) != BSTEP_OK)
        return rc;
    put(&m, 4, 1);   /* type: activity */
    put(&m, 255, 2); /* manufacturer: development */
    put(&m, 1, 2);   /* product */
    put(&m, 1, 4);   /* serial number */
    put_time(&m, in->start_us);
    if ((rc = emit(w, L_FILE_ID, &m)) != BSTEP_OK)
        return rc;
    if ((rc = definition(w, L_SPORT, 12, sport_fields, NF(sport_fields))) != BSTEP_OK)
        return rc;
    m.k = 0;
    put(&m, in->sport == BSTEP_SPORT_UNKNOWN ? BSTEP_SPORT_WALKING : (unsigned)in->sport, 1);
    put(&m, in->sub_sport == BSTEP_SPORT_UNKNOWN ? 0u : (unsigned)in->sub_sport, 1);
    memset(name, 0, sizeof name);
    if (in->name[0]) {
        size_t k = strlen(in->name);
        memcpy(name, in->name, k < sizeof name - 1 ? k : sizeof name - 1);
    } else if (in->direction == BSTEP_DIRECTION_BACKWARD) {
        snprintf(name, sizeof name, "Backward walking");
    } else if (in->direction == BSTEP_DIRECTION_FORWARD) {
        snprintf(name, sizeof name, "Forward walking");
    } else {
        snprintf(name, sizeof name, "Walking");
    }
    for (i = 0; i < sizeof name; i++)
        m.b[m.k++] = (unsigned char)name[i];
    if ((rc = emit(w, L_SPORT, &m)) != BSTEP_OK)
        return rc;
    if ((rc = definition(w, L_EVENT, 21, event_fields, NF(event_fields))) != BSTEP_OK)
        return rc;
    if ((rc = definition(w, L_RECORD, 20, record_fields, NF(record_fields))) != BSTEP_OK)
        return rc;
    if ((rc = definition(w, L_LAP, 19, lap_fields, NF(lap_fields))) != BSTEP_OK)
        return rc;
    if (in->start_us > 0 && (rc = event(w, in->start_us, 0)) != BSTEP_OK)
        return rc;
    return BSTEP_OK;
}

int bstep__fit_writer_records(bstep_activity_writer *w, const bstep_activity_record *rec, size_t n)
{
    size_t i;
    int rc;
    for (i = 0; i < n; i++) {
        const bstep_activity_record *r = &rec[i];
        msg m = {{0}, 0};
        const double semi = 2147483648.0 / 180.0;
        if (w->records == 0 && i == 0 && w->info.start_us <= 0 &&
            (rc = event(w, r->t_us, 0)) != BSTEP_OK)
            return rc;
        put_time(&m, r->t_us);
        put_raw(&m, r->latitude_deg * semi, 0x85, 4);
        put_raw(&m, r->longitude_deg * semi, 0x85, 4);
        put_raw(&m, (r->altitude_m + 500.0) * 5.0, 0x84, 2);
        put_raw(&m, (r->altitude_m + 500.0) * 5.0, 0x86, 4);
        put_raw(&m, r->heart_rate_bpm, 0x02, 1);
        put_cadence(&m, r->cadence_spm);
        put_raw(&m, r->distance_m * 100.0, 0x86, 4);
        put_raw(&m, r->speed_mps * 1000.0, 0x84, 2);
        put_raw(&m, r->speed_mps * 1000.0, 0x86, 4);
        put_raw(&m, r->incline_pct * 100.0, 0x83, 2);
        put_raw(&m, r->energy_kcal, 0x84, 2);
        if ((rc = emit(w, L_RECORD, &m)) != BSTEP_OK)
            return rc;
    }
    return BSTEP_OK;
}

static bstep_time_us end_time(bstep_time_us start, double elapsed_s)
{
    if (start <= 0 || !isfinite(elapsed_s))
        return start;
    return start + (bstep_time_us)floor(elapsed_s * 1e6 + 0.5);
}

int bstep__fit_writer_lap(bstep_activity_writer *w, const bstep_activity_lap *l)
{
    msg m = {{0}, 0};
    double strides = l->avg_cadence_spm / 2.0;
    put(&m, w->laps_written, 2);
    put_time(&m, end_time(l->start_us, l->elapsed_s));
    put_time(&m, l->start_us);
    put(&m, 9, 1); /* event: lap */
    put(&m, 1, 1); /* event_type: stop */
    put_raw(&m, l->elapsed_s * 1000.0, 0x86, 4);
    put_raw(&m, l->timer_s * 1000.0, 0x86, 4);
    put_raw(&m, l->distance_m * 100.0, 0x86, 4);
    put_raw(&m, l->energy_kcal, 0x84, 2);
    put_raw(&m, l->avg_speed_mps * 1000.0, 0x84, 2);
    put_raw(&m, l->max_speed_mps * 1000.0, 0x84, 2);
    put_raw(&m, l->avg_speed_mps * 1000.0, 0x86, 4);
    put_raw(&m, l->max_speed_mps * 1000.0, 0x86, 4);
    put_raw(&m, l->avg_heart_rate_bpm, 0x02, 1);
    put_raw(&m, l->max_heart_rate_bpm, 0x02, 1);
    put_cadence(&m, isfinite(strides) ? l->avg_cadence_spm : (double)NAN);
    put(&m, 0, 1); /* lap_trigger: manual */
    put(&m, l->sport == BSTEP_SPORT_UNKNOWN ? 0xFFu : (unsigned)l->sport, 1);
    put(&m, l->sub_sport == BSTEP_SPORT_UNKNOWN ? 0xFFu : (unsigned)l->sub_sport, 1);
    return emit(w, L_LAP, &m);
}

/* Fill the header's data size and CRC, then append the CRC of the whole file. */
static int finish(bstep_activity_writer *w)
{
    unsigned char hdr[14], buf[8192];
    uint16_t crc = 0;
    size_t got;
    if (fflush(w->f) != 0 || fseek(w->f, 0, SEEK_SET) != 0 || fread(hdr, 1, 14, w->f) != 14)
        goto io;
    hdr[4] = (unsigned char)(w->fit_data_bytes & 0xFF);
    hdr[5] = (unsigned char)((w->fit_data_bytes >> 8) & 0xFF);
    hdr[6] = (unsigned char)((w->fit_data_bytes >> 16) & 0xFF);
    hdr[7] = (unsigned char)(w->fit_data_bytes >> 24);
    crc = bstep_fit_crc16(0, hdr, 12);
    hdr[12] = (unsigned char)(crc & 0xFF);
    hdr[13] = (unsigned char)(crc >> 8);
    if (fseek(w->f, 0, SEEK_SET) != 0 || fwrite(hdr, 1, 14, w->f) != 14 || fflush(w->f) != 0 ||
        fseek(w->f, 0, SEEK_SET) != 0)
        goto io;
    crc = 0;
    while ((got = fread(buf, 1, sizeof buf, w->f)) > 0)
        crc = bstep_fit_crc16(crc, buf, got);
    if (ferror(w->f) || fseek(w->f, 0, SEEK_END) != 0)
        goto io;
    buf[0] = (unsigned char)(crc & 0xFF);
    buf[1] = (unsigned char)(crc >> 8);
    if (fwrite(buf, 1, 2, w->f) != 2)
        goto io;
    return BSTEP_OK;
io:
    snprintf(w->err, sizeof w->err, "%s: write error: %s", w->path, strerror(errno));
    return BSTEP_EIO;
}

int bstep__fit_writer_end(bstep_activity_writer *w, const bstep_activity_info *t)
{
    msg m = {{0}, 0};
    int rc;
    bstep_time_us end = w->ses_stats.n > 0 ? w->ses_stats.last_t : t->start_us;
    bstep_time_us start = t->start_us > 0 ? t->start_us : w->ses_stats.first_t;
    double cad =
        w->ses_stats.cad_n > 0 ? w->ses_stats.cad_sum / (double)w->ses_stats.cad_n : (double)NAN;
    double avg_speed = w->ses_stats.speed_n > 0
                           ? w->ses_stats.speed_sum / (double)w->ses_stats.speed_n
                           : (double)NAN;
    if (isfinite(t->distance_m) && isfinite(t->timer_s) && t->timer_s > 0.0)
        avg_speed = t->distance_m / t->timer_s;
    if (end_time(start, t->elapsed_s) > end)
        end = end_time(start, t->elapsed_s);
    if (end > 0 && (rc = event(w, end, 4)) != BSTEP_OK)
        return rc;
    if ((rc = definition(w, L_SESSION, 18, session_fields, NF(session_fields))) != BSTEP_OK)
        return rc;
    put(&m, 0, 2);
    put_time(&m, end);
    put(&m, 8, 1); /* event: session */
    put(&m, 1, 1); /* stop */
    put_time(&m, start);
    put(&m, t->sport == BSTEP_SPORT_UNKNOWN ? (unsigned)BSTEP_SPORT_WALKING : (unsigned)t->sport,
        1);
    put(&m, t->sub_sport == BSTEP_SPORT_UNKNOWN ? 0u : (unsigned)t->sub_sport, 1);
    put_raw(&m, t->elapsed_s * 1000.0, 0x86, 4);
    put_raw(&m, t->timer_s * 1000.0, 0x86, 4);
    put_raw(&m, t->distance_m * 100.0, 0x86, 4);
    put_raw(&m, isfinite(t->steps) ? floor(t->steps / 2.0) : (double)NAN, 0x86, 4);
    put_raw(&m, t->energy_kcal, 0x84, 2);
    put_raw(&m, avg_speed * 1000.0, 0x84, 2);
    put_raw(&m, w->ses_stats.speed_max * 1000.0, 0x84, 2);
    put_raw(&m, avg_speed * 1000.0, 0x86, 4);
    put_raw(&m, w->ses_stats.speed_max * 1000.0, 0x86, 4);
    put_raw(&m, t->avg_heart_rate_bpm, 0x02, 1);
    put_raw(&m, t->max_heart_rate_bpm, 0x02, 1);
    put_cadence(&m, cad);
    put(&m, 0, 2);
    put(&m, w->laps_written, 2);
    put(&m, 0, 1); /* trigger: activity_end */
    if ((rc = emit(w, L_SESSION, &m)) != BSTEP_OK)
        return rc;
    if ((rc = definition(w, L_ACTIVITY, 34, activity_fields, NF(activity_fields))) != BSTEP_OK)
        return rc;
    m.k = 0;
    put_time(&m, end);
    put_raw(&m, t->timer_s * 1000.0, 0x86, 4);
    put(&m, 1, 2);  /* num_sessions */
    put(&m, 0, 1);  /* type: manual */
    put(&m, 26, 1); /* event: activity */
    put(&m, 1, 1);  /* stop */
    if ((rc = emit(w, L_ACTIVITY, &m)) != BSTEP_OK)
        return rc;
    return finish(w);
}
