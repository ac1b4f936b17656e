/*
 * Bluetooth FTMS treadmill log reader: the Treadmill Data characteristic (0x2ACD) of the Fitness
 * Machine Service 1.0 and the Heart Rate Measurement characteristic (0x2A37) of the Heart Rate
 * Service (reference/formats.md section 6), from a text log of notifications.
 *
 * Log format (backstep's own; docs/formats.md "FTMS treadmill logs"): UTF-8 text, one
 * notification per line:
 *     # backstep ftms log 1
 *     1700000000.250 2acd 84 04 f4 01 10 27 00 2a 00 ff ff ff 3c 00
 *     1700000000.700 2a37 00 96
 * = Unix time in seconds (any number of decimals, converted exactly to microseconds), the
 * characteristic (16-bit UUID in hex, or the full 128-bit form 00002acd-0000-1000-8000-
 * 00805f9b34fb), and the value's bytes in hex (separated by spaces or colons, or run together).
 * Blank lines and lines starting with '#' are skipped; the first line "# backstep ftms log 1"
 * lets the format be detected. Other characteristics (0x2ACC feature, 0x2AD3 training status,
 * ...) are skipped and counted. Text, not binary: the raw bytes stay visible and replayable,
 * a phone or a Linux script (bluetoothctl, btmon, nRF Connect's log) can produce it with a
 * one-line conversion, and each notification carries its own receive time, which FTMS itself
 * does not send.
 *
 * Treadmill Data: uint16 flags, then the fields present in flag order: bit 0 "More Data"
 * (inverted: Instantaneous Speed uint16 0.01 km/h present when 0), 1 Average Speed uint16,
 * 2 Total Distance uint24 m, 3 Inclination sint16 0.1 % + Ramp Angle sint16 0.1 deg, 4 Positive
 * and Negative Elevation Gain uint16 0.1 m each, 5 Instantaneous Pace uint8, 6 Average Pace uint8,
 * 7 Total Energy uint16 kcal + Energy per Hour uint16 + Energy per Minute uint8 (0xFFFF / 0xFF =
 * not available), 8 Heart Rate uint8 bpm, 9 Metabolic Equivalent uint8 0.1, 10 Elapsed Time
 * uint16 s, 11 Remaining Time uint16 s, 12 Force on Belt sint16 N + Power Output sint16 W;
 * bits 13-15 reserved (bytes after the known fields, e.g. a vendor's step count, are ignored).
 * Read into records: instantaneous speed, total distance, inclination (0x7FFF = not available),
 * total energy, heart rate (0 = no reading). A notification with More Data = 1 is merged with the
 * next one of the same log when that follows within 1 s (a long data set split over two
 * notifications), and the merged record gets the later time.
 *
 * Heart Rate Measurement: uint8 flags (bit 0 value uint16, bit 3 Energy Expended uint16 present,
 * bit 4 RR intervals follow), the heart rate, [energy], [RR ...]: one record with only the heart
 * rate.
 *
 * Errors name line, column (1 time, 2 characteristic, 3 bytes) and field: a notification shorter
 * than its flags need, a speed over 50 m/s, an inclination beyond +-100 %, a heart rate over
 * 250 bpm, bad hex, a bad time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/numparse.h"
#include "io/activity_internal.h"

#define MAX_BYTES 512
#define MERGE_US  1000000LL

typedef struct {
    bstep__linereader lr;
    char name[512];
    unsigned long long line;
    int have_pending;
    bstep_activity_record pending;
    int have_out;
    bstep_activity_record out;
} ftms_state;

static void ftms_close(void *impl)
{
    ftms_state *st = impl;
    if (st == NULL)
        return;
    bstep__lr_free(&st->lr);
    free(st);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

typedef struct {
    bstep_activity_reader *r;
    ftms_state *st;
    const unsigned char *b;
    size_t n, pos;
    unsigned flags;
} cursor;

/* Take k bytes for a field; an error naming the field when the notification is too short. */
static int field(cursor *c, size_t k, const char *fname, const unsigned char **p)
{
    if (c->pos + k > c->n)
        return bstep__activity_fail(c->r, BSTEP_EFORMAT,
                                    "%s:%llu:3: field '%s': the notification has %zu bytes, its "
                                    "flags 0x%04X need at least %zu",
                                    c->st->name, c->st->line, fname, c->n, c->flags, c->pos + k);
    *p = c->b + c->pos;
    c->pos += k;
    return BSTEP_OK;
}

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] | ((unsigned)p[1] << 8);
}

static int range_fail(cursor *c, const char *fname, double v, const char *unit, double lo,
                      double hi)
{
    return bstep__activity_fail(c->r, BSTEP_EFORMAT,
                                "%s:%llu:3: field '%s': value %g %s is out of range (%g .. %g %s)",
                                c->st->name, c->st->line, fname, v, unit, lo, hi, unit);
}

static void merge(bstep_activity_record *dst, const bstep_activity_record *src)
{
    dst->t_us = src->t_us;
    if (isfinite(src->speed_mps))
        dst->speed_mps = src->speed_mps;
    if (isfinite(src->distance_m))
        dst->distance_m = src->distance_m;
    if (isfinite(src->incline_pct))
        dst->incline_pct = src->incline_pct;
    if (isfinite(src->energy_kcal))
        dst->energy_kcal = src->energy_kcal;
    if (isfinite(src->heart_rate_bpm))
        dst->heart_rate_bpm = src->heart_rate_bpm;
}

static int treadmill_data(bstep_activity_reader *r, ftms_state *st, const unsigned char *b,
                          size_t n, bstep_activity_record *rec, int *more)
{
    cursor c;
    const unsigned char *p;
    int rc;
    c.r = r;
    c.st = st;
    c.b = b;
    c.n = n;
    c.pos = 0;
    c.flags = 0;
    if (n < 2)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s:%llu:3: field 'Flags': Treadmill Data needs at least 2 "
                                    "bytes, the notification has %zu",
                                    st->name, st->line, n);
    c.flags = u16(b);
    c.pos = 2;
    *more = (c.flags & 0x1u) != 0;
    if (!(c.flags & 0x1u)) {
        double v;
        if ((rc = field(&c, 2, "Instantaneous Speed", &p)) != BSTEP_OK)
            return rc;
        v = (double)u16(p) * 0.01 / 3.6;
        if (v > 50.0)
            return range_fail(&c, "Instantaneous Speed", v, "m/s", 0.0, 50.0);
        rec->speed_mps = v;
    }
    if (c.flags & 0x2u && (rc = field(&c, 2, "Average Speed", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x4u) {
        if ((rc = field(&c, 3, "Total Distance", &p)) != BSTEP_OK)
            return rc;
        rec->distance_m = (double)((unsigned long)p[0] | ((unsigned long)p[1] << 8) |
                                   ((unsigned long)p[2] << 16));
    }
    if (c.flags & 0x8u) {
        unsigned raw;
        if ((rc = field(&c, 2, "Inclination", &p)) != BSTEP_OK)
            return rc;
        raw = u16(p);
        if (raw != 0x7FFFu) {
            double v = (double)(raw >= 0x8000u ? (int)raw - 0x10000 : (int)raw) * 0.1;
            if (v < -100.0 || v > 100.0)
                return range_fail(&c, "Inclination", v, "%", -100.0, 100.0);
            rec->incline_pct = v;
        } else {
            bstep__activity_quality(r)->invalid_values++;
        }
        if ((rc = field(&c, 2, "Ramp Angle Setting", &p)) != BSTEP_OK)
            return rc;
    }
    if (c.flags & 0x10u && (rc = field(&c, 4, "Elevation Gain", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x20u && (rc = field(&c, 1, "Instantaneous Pace", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x40u && (rc = field(&c, 1, "Average Pace", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x80u) {
        if ((rc = field(&c, 5, "Expended Energy", &p)) != BSTEP_OK)
            return rc;
        if (u16(p) != 0xFFFFu)
            rec->energy_kcal = (double)u16(p);
        else
            bstep__activity_quality(r)->invalid_values++;
    }
    if (c.flags & 0x100u) {
        if ((rc = field(&c, 1, "Heart Rate", &p)) != BSTEP_OK)
            return rc;
        if (p[0] > 250)
            return range_fail(&c, "Heart Rate", p[0], "bpm", 0.0, 250.0);
        if (p[0] > 0)
            rec->heart_rate_bpm = p[0];
    }
    if (c.flags & 0x200u && (rc = field(&c, 1, "Metabolic Equivalent", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x400u && (rc = field(&c, 2, "Elapsed Time", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x800u && (rc = field(&c, 2, "Remaining Time", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x1000u && (rc = field(&c, 4, "Force on Belt and Power Output", &p)) != BSTEP_OK)
        return rc;
    return BSTEP_OK;
}

static int heart_rate(bstep_activity_reader *r, ftms_state *st, const unsigned char *b, size_t n,
                      bstep_activity_record *rec)
{
    cursor c;
    const unsigned char *p;
    unsigned hr;
    int rc;
    c.r = r;
    c.st = st;
    c.b = b;
    c.n = n;
    c.pos = 0;
    c.flags = n > 0 ? b[0] : 0;
    if ((rc = field(&c, 1, "Flags", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x1u) {
        if ((rc = field(&c, 2, "Heart Rate Measurement Value", &p)) != BSTEP_OK)
            return rc;
        hr = u16(p);
    } else {
        if ((rc = field(&c, 1, "Heart Rate Measurement Value", &p)) != BSTEP_OK)
            return rc;
        hr = p[0];
    }
    if (hr > 250)
        return range_fail(&c, "Heart Rate Measurement Value", hr, "bpm", 0.0, 250.0);
    if (c.flags & 0x8u && (rc = field(&c, 2, "Energy Expended", &p)) != BSTEP_OK)
        return rc;
    if (c.flags & 0x10u && ((n - c.pos) % 2) != 0)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s:%llu:3: field 'RR-Interval': %zu bytes left, RR intervals "
                                    "are 2 bytes each",
                                    st->name, st->line, n - c.pos);
    if (hr > 0)
        rec->heart_rate_bpm = hr;
    else
        bstep__activity_quality(r)->invalid_values++;
    return BSTEP_OK;
}

/* Parse the characteristic token: 16-bit hex or the Bluetooth base UUID form. */
static int uuid16(const char *p, size_t len, unsigned *out)
{
    size_t i;
    unsigned v = 0;
    if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        len -= 2;
    }
    if (len == 36) {
        static const char tail[] = "-0000-1000-8000-00805f9b34fb";
        size_t k;
        if (p[0] != '0' || p[1] != '0' || p[2] != '0' || p[3] != '0')
            return -1;
        for (k = 0; k < 28; k++) {
            char a = p[8 + k], b = tail[k];
            if (a >= 'A' && a <= 'F')
                a = (char)(a - 'A' + 'a');
            if (a != b)
                return -1;
        }
        p += 4;
        len = 4;
    }
    if (len != 4)
        return -1;
    for (i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return 0;
}

/* One log line into a record: 1 record, 0 nothing (comment, other characteristic, More Data
 * held), < 0 error. */
static int parse_line(bstep_activity_reader *r, ftms_state *st, char *line, size_t len,
                      bstep_activity_record *rec, int *more, int *is_td)
{
    size_t i = 0, t0, t1, c0, c1;
    unsigned uuid;
    unsigned char bytes[MAX_BYTES];
    size_t nb = 0;
    int64_t t;
    int nrc, rc;
    char q[64];
    while (i < len && is_space(line[i]))
        i++;
    if (i == len || line[i] == '#')
        return 0;
    t0 = i;
    while (i < len && !is_space(line[i]))
        i++;
    t1 = i;
    while (i < len && is_space(line[i]))
        i++;
    c0 = i;
    while (i < len && !is_space(line[i]))
        i++;
    c1 = i;
    nrc = bstep__num_fixed(line + t0, t1 - t0, 0, 0, -6, &t);
    if (nrc != BSTEP__NUM_OK || t <= 0) {
        bstep__field_quote(line + t0, t1 - t0, q, sizeof q);
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s:%llu:1: field 'time': not a Unix time in seconds: '%s'",
                                    st->name, st->line, q);
    }
    if (c1 == c0)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s:%llu: expected 'TIME CHARACTERISTIC HEX-BYTES'", st->name,
                                    st->line);
    if (uuid16(line + c0, c1 - c0, &uuid) != 0) {
        bstep__field_quote(line + c0, c1 - c0, q, sizeof q);
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s:%llu:2: field 'characteristic': not a Bluetooth UUID: '%s'",
                                    st->name, st->line, q);
    }
    bstep__activity_quality(r)->messages++;
    if (uuid != 0x2ACDu && uuid != 0x2A37u) {
        bstep__activity_quality(r)->skipped_messages++;
        return 0;
    }
    while (i < len) {
        int hi, lo;
        if (is_space(line[i]) || line[i] == ':') {
            i++;
            continue;
        }
        hi = hexval(line[i]);
        lo = i + 1 < len ? hexval(line[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
            size_t st0 = i, e = i;
            while (st0 > c1 && !is_space(line[st0 - 1]) && line[st0 - 1] != ':')
                st0--;
            while (e < len && !is_space(line[e]))
                e++;
            bstep__field_quote(line + st0, e - st0, q, sizeof q);
            return bstep__activity_fail(r, BSTEP_EFORMAT,
                                        "%s:%llu:3: field 'value': not hex bytes: '%s'", st->name,
                                        st->line, q);
        }
        if (nb == MAX_BYTES)
            return bstep__activity_fail(r, BSTEP_EFORMAT,
                                        "%s:%llu:3: field 'value': more than %d bytes (a "
                                        "notification has at most 512)",
                                        st->name, st->line, MAX_BYTES);
        bytes[nb++] = (unsigned char)(hi * 16 + lo);
        i += 2;
    }
    rec->t_us = t;
    *is_td = uuid == 0x2ACDu;
    if (*is_td)
        bstep__activity_info(r)->sub_sport = BSTEP_SUB_SPORT_TREADMILL;
    *more = 0;
    if (uuid == 0x2ACDu)
        rc = treadmill_data(r, st, bytes, nb, rec, more);
    else
        rc = heart_rate(r, st, bytes, nb, rec);
    return rc < 0 ? rc : 1;
}

static int ftms_next(bstep_activity_reader *r, void *impl, bstep_activity_record *rec)
{
    ftms_state *st = impl;
    for (;;) {
        char *line;
        size_t len;
        int rc, more = 0, is_td = 0;
        bstep_activity_record cur;
        if (st->have_out) {
            st->have_out = 0;
            *rec = st->out;
            return 1;
        }
        rc = bstep__lr_next(&st->lr, &line, &len);
        if (rc < 0) {
            if (rc == BSTEP__LR_TOO_LONG)
                return bstep__activity_fail(
                    r, BSTEP_EFORMAT, "%s:%llu: line too long (more than %zu bytes)", st->name,
                    (unsigned long long)st->lr.line_no + 1, st->lr.max_line);
            return bstep__activity_fail(r, BSTEP_EIO, "%s:%llu: read error", st->name,
                                        (unsigned long long)st->lr.line_no + 1);
        }
        if (rc == 0) {
            if (st->have_pending) {
                st->have_pending = 0;
                *rec = st->pending;
                return 1;
            }
            return 0;
        }
        st->line = (unsigned long long)st->lr.line_no;
        bstep_activity_record_clear(&cur);
        rc = parse_line(r, st, line, len, &cur, &more, &is_td);
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue;
        if (!is_td) {
            *rec = cur; /* heart rate: its own record */
            return 1;
        }
        if (st->have_pending && cur.t_us - st->pending.t_us > MERGE_US) {
            /* the held part has no continuation: deliver it alone */
            st->out = st->pending;
            st->have_pending = 0;
            st->have_out = 1;
        }
        if (st->have_pending) {
            merge(&st->pending, &cur);
            cur = st->pending;
            st->have_pending = 0;
        }
        if (more) {
            st->pending = cur;
            st->have_pending = 1;
            continue;
        }
        if (st->have_out) {
            /* deliver the old part first, this one next */
            *rec = st->out;
            st->out = cur;
            return 1;
        }
        *rec = cur;
        return 1;
    }
}

static const bstep__activity_ops ftms_ops = {ftms_next, ftms_close};

int bstep__ftms_open(bstep_activity_reader *r, bstep__source src, const char *name)
{
    ftms_state *st = calloc(1, sizeof *st);
    if (st == NULL) {
        if (src.close)
            src.close(src.ctx);
        return bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    snprintf(st->name, sizeof st->name, "%s", name);
    if (bstep__lr_init(&st->lr, src, 4096) != 0) {
        free(st);
        return bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    bstep__activity_set_impl(r, &ftms_ops, st);
    return BSTEP_OK;
}
