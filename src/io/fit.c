/*
 * Garmin FIT activity reader, written from the FIT protocol description (FIT SDK "Flexible and
 * Interoperable Data Transfer Protocol", rev. 2.x; field numbers of the FIT profile 21.x as
 * summarised in reference/formats.md section 4).
 *
 * File = [header][records][CRC-16 LE]; files may be chained (another header follows the CRC).
 * Header: size (12 or 14 or more: honoured), protocol version (major <= 2), profile version,
 * data size (uint32 LE), ".FIT", and with 14+ bytes a CRC of bytes 0..11 (0 = not computed).
 * The running CRC covers everything from the header to the last data byte and must equal the
 * stored file CRC. Records: a normal header byte (bit 7 = 0; bit 6 definition; bit 5 developer
 * data present in a definition; bits 0-3 local type 0-15) or a compressed-timestamp header
 * (bit 7 = 1; bits 5-6 local type 0-3; bits 0-4 a 5-bit time offset: t = last + ((offset - last)
 * & 0x1F)). A definition gives the architecture (0 little-, 1 big-endian), the global message
 * number and N x {field number, size, base type}, then with the developer flag M x {number, size,
 * developer data index}. Data messages carry the fields in definition order with the sizes of
 * the definition; developer fields are skipped (counted), unknown fields and messages too.
 *
 * Messages read: file_id (0: manufacturer, product), sport (12: sport, sub_sport, name), session
 * (18), lap (19), record (20). Values are raw / scale - offset; a field holding its base type's
 * invalid value is unknown (NAN, counted in invalid_values). Cadence of walking and running is
 * per foot (strides/min): steps/min = 2 x (cadence + fractional_cadence / 128). enhanced_speed and
 * enhanced_altitude win over speed and altitude. A heart rate of 0 is "no reading" (NAN).
 *
 * Bad input stops the reader with the byte offset and the field: a header that is not FIT, a bad
 * header or file CRC, truncation (the data ends before the header's data size, or the CRC is
 * missing), a data message of a local type never defined, an unknown base type, a field size of
 * 0 or not a multiple of its base type's size, a known field with a base type that cannot hold
 * it (a string heart rate), a compressed timestamp before any timestamp, a record without a time,
 * a device-relative time (< 0x10000000), and values outside what a person walking or running can
 * produce (heart rate > 250 bpm, speed > 50 m/s, |grade| > 100 %, |latitude| > 90 deg, altitude
 * outside -500 .. 12000 m).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/activity_internal.h"

#define BUF_BYTES (192u * 1024u) /* > largest message: 1 + 255 x 255 + 255 x 255 bytes */
#define MAX_LOCAL 16

static const uint16_t crc_table[16] = {0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00,
                                       0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401,
                                       0x5000, 0x9C01, 0x8801, 0x4400};

uint16_t bstep_fit_crc16(uint16_t crc, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < len; i++) {
        uint16_t t = crc_table[crc & 0xF];
        crc = (uint16_t)((crc >> 4) & 0x0FFF);
        crc = (uint16_t)(crc ^ t ^ crc_table[p[i] & 0xF]);
        t = crc_table[crc & 0xF];
        crc = (uint16_t)((crc >> 4) & 0x0FFF);
        crc = (uint16_t)(crc ^ t ^ crc_table[(p[i] >> 4) & 0xF]);
    }
    return crc;
}

/* Base types by number (base type byte & 0x1F). */
enum { K_UNSIGNED, K_SIGNED, K_FLOAT, K_STRING, K_BYTES };
typedef struct {
    const char *name;
    uint8_t size;
    uint8_t kind;
    uint8_t zero_invalid; /* the "z" types: 0 is invalid */
} base_type;

static const base_type base_types[17] = {
    {"enum", 1, K_UNSIGNED, 0},    {"sint8", 1, K_SIGNED, 0},    {"uint8", 1, K_UNSIGNED, 0},
    {"sint16", 2, K_SIGNED, 0},    {"uint16", 2, K_UNSIGNED, 0}, {"sint32", 4, K_SIGNED, 0},
    {"uint32", 4, K_UNSIGNED, 0},  {"string", 1, K_STRING, 0},   {"float32", 4, K_FLOAT, 0},
    {"float64", 8, K_FLOAT, 0},    {"uint8z", 1, K_UNSIGNED, 1}, {"uint16z", 2, K_UNSIGNED, 1},
    {"uint32z", 4, K_UNSIGNED, 1}, {"byte", 1, K_BYTES, 0},      {"sint64", 8, K_SIGNED, 0},
    {"uint64", 8, K_UNSIGNED, 0},  {"uint64z", 8, K_UNSIGNED, 1}};

typedef struct {
    uint8_t num, size, base;
} field_def;

typedef struct {
    int defined;
    int big_endian;
    uint16_t global;
    uint8_t nfields, ndev;
    uint32_t data_bytes; /* fields + developer fields */
    uint32_t dev_bytes;
    field_def f[255];
} msg_def;

typedef struct {
    bstep__source src;
    char name[512];
    unsigned char *buf;
    size_t start, end;
    int src_eof;
    uint64_t offset; /* absolute offset of buf[start] */
    int in_file;
    int files;
    uint64_t file_start, data_end;
    uint16_t crc;
    msg_def def[MAX_LOCAL];
    int have_ts;
    uint32_t last_ts;
    int have_lap_sport;
} fit_state;

static void fit_close(void *impl)
{
    fit_state *st = impl;
    if (st == NULL)
        return;
    if (st->src.close)
        st->src.close(st->src.ctx);
    free(st->buf);
    free(st);
}

/* Make n bytes available at buf[start]: 0 ok, 1 the input ends first, -1 read error. */
static int need(fit_state *st, size_t n)
{
    while (st->end - st->start < n) {
        long got;
        if (st->src_eof)
            return 1;
        if (st->start > 0) {
            memmove(st->buf, st->buf + st->start, st->end - st->start);
            st->end -= st->start;
            st->start = 0;
        }
        got = st->src.read(st->src.ctx, (char *)st->buf + st->end, BUF_BYTES - st->end);
        if (got < 0)
            return -1;
        if (got == 0)
            st->src_eof = 1;
        st->end += (size_t)got;
    }
    return 0;
}

static void consume(fit_state *st, size_t n)
{
    st->crc = bstep_fit_crc16(st->crc, st->buf + st->start, n);
    st->start += n;
    st->offset += n;
}

/* n bytes of the data section at *p (consumed, in the CRC). */
static int take(bstep_activity_reader *r, fit_state *st, size_t n, const unsigned char **p,
                const char *what)
{
    int rc;
    if (st->offset + n > st->data_end)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: byte %llu: %s of %zu bytes runs past the end of the data "
                                    "(byte %llu, from the header's data size)",
                                    st->name, (unsigned long long)st->offset, what, n,
                                    (unsigned long long)st->data_end);
    rc = need(st, n);
    if (rc < 0)
        return bstep__activity_fail(r, BSTEP_EIO, "%s: byte %llu: read error", st->name,
                                    (unsigned long long)st->offset);
    if (rc > 0)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: truncated: the file ends at byte %llu inside a %s; the "
                                    "header says the data ends at byte %llu",
                                    st->name,
                                    (unsigned long long)(st->offset + st->end - st->start), what,
                                    (unsigned long long)st->data_end);
    *p = st->buf + st->start;
    consume(st, n);
    return BSTEP_OK;
}

static uint64_t get_uint(const unsigned char *p, size_t n, int big_endian)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < n; i++)
        v |= (uint64_t)p[big_endian ? n - 1 - i : i] << (8 * i);
    return v;
}

static const char *msg_name(uint16_t global)
{
    switch (global) {
    case 0:
        return "file_id";
    case 12:
        return "sport";
    case 18:
        return "session";
    case 19:
        return "lap";
    case 20:
        return "record";
    default:
        return "message";
    }
}

/* ---------------------------------------------------------------------------------------- */
/* header */

static int read_header(bstep_activity_reader *r, fit_state *st)
{
    unsigned hsize, proto;
    const unsigned char *h;
    uint32_t data_size;
    int rc = need(st, 1);
    if (rc < 0)
        return bstep__activity_fail(r, BSTEP_EIO, "%s: read error", st->name);
    if (rc > 0) {
        if (st->files > 0)
            return 0;
        return bstep__activity_fail(r, BSTEP_EFORMAT, "%s: empty file", st->name);
    }
    st->file_start = st->offset;
    st->crc = 0;
    hsize = st->buf[st->start];
    if (hsize < 12)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: byte %llu: header size %u (a FIT header has 12 or 14 "
                                    "bytes)",
                                    st->name, (unsigned long long)st->offset, hsize);
    rc = need(st, hsize);
    if (rc < 0)
        return bstep__activity_fail(r, BSTEP_EIO, "%s: read error", st->name);
    if (rc > 0)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: truncated: the file ends inside the %u-byte FIT header",
                                    st->name, hsize);
    h = st->buf + st->start;
    if (memcmp(h + 8, ".FIT", 4) != 0)
        return bstep__activity_fail(
            r, BSTEP_EFORMAT, "%s: byte %llu: no '.FIT' signature at bytes 8-11 of the header",
            st->name, (unsigned long long)(st->offset + 8));
    proto = h[1] >> 4;
    if (proto > 2)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: byte %llu: field 'protocol_version': FIT protocol %u.%u "
                                    "is not supported (1.x and 2.x are)",
                                    st->name, (unsigned long long)(st->offset + 1), proto,
                                    h[1] & 0xFu);
    data_size = (uint32_t)get_uint(h + 4, 4, 0);
    if (hsize >= 14) {
        uint16_t stored = (uint16_t)get_uint(h + 12, 2, 0);
        uint16_t calc = bstep_fit_crc16(0, h, 12);
        if (stored != 0 && stored != calc)
            return bstep__activity_fail(r, BSTEP_EFORMAT,
                                        "%s: byte %llu: field 'header_crc': bad header CRC: stored "
                                        "0x%04X, computed 0x%04X",
                                        st->name, (unsigned long long)(st->offset + 12), stored,
                                        calc);
    }
    consume(st, hsize);
    st->data_end = st->offset + data_size;
    st->in_file = 1;
    memset(st->def, 0, sizeof st->def);
    st->have_ts = 0;
    return 1;
}

static int read_file_crc(bstep_activity_reader *r, fit_state *st)
{
    uint16_t calc = st->crc, stored;
    int rc = need(st, 2);
    if (rc < 0)
        return bstep__activity_fail(r, BSTEP_EIO, "%s: read error", st->name);
    if (rc > 0)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: truncated: the file ends at byte %llu, before its 2-byte "
                                    "file CRC",
                                    st->name,
                                    (unsigned long long)(st->offset + st->end - st->start));
    stored = (uint16_t)get_uint(st->buf + st->start, 2, 0);
    if (stored != calc)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: byte %llu: field 'file_crc': bad file CRC: stored 0x%04X, "
                                    "computed 0x%04X over bytes %llu-%llu",
                                    st->name, (unsigned long long)st->offset, stored, calc,
                                    (unsigned long long)st->file_start,
                                    (unsigned long long)(st->offset - 1));
    consume(st, 2);
    st->in_file = 0;
    st->files++;
    return BSTEP_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* definitions */

static int read_definition(bstep_activity_reader *r, fit_state *st, unsigned local, int dev,
                           uint64_t at)
{
    const unsigned char *p;
    msg_def *d = &st->def[local];
    unsigned i;
    int rc;
    uint32_t total = 0;
    if ((rc = take(r, st, 5, &p, "definition message")) != BSTEP_OK)
        return rc;
    if (p[1] > 1)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: byte %llu: definition of local type %u: architecture %u "
                                    "(expected 0 little-endian or 1 big-endian)",
                                    st->name, (unsigned long long)(at + 2), local, p[1]);
    d->defined = 0;
    d->big_endian = p[1] == 1;
    d->global = (uint16_t)get_uint(p + 2, 2, d->big_endian);
    d->nfields = p[4];
    if (d->nfields > 0) {
        if ((rc = take(r, st, 3u * d->nfields, &p, "field definition list")) != BSTEP_OK)
            return rc;
        for (i = 0; i < d->nfields; i++) {
            field_def *f = &d->f[i];
            unsigned bt;
            f->num = p[3 * i];
            f->size = p[3 * i + 1];
            f->base = p[3 * i + 2];
            bt = f->base & 0x1Fu;
            if (bt >= 17 || (f->base & 0x60u) != 0)
                return bstep__activity_fail(r, BSTEP_EFORMAT,
                                            "%s: byte %llu: %s (%u) field %u: unknown base type "
                                            "0x%02X",
                                            st->name, (unsigned long long)(at + 6 + 3 * i + 2),
                                            msg_name(d->global), d->global, f->num, f->base);
            if (f->size == 0)
                return bstep__activity_fail(r, BSTEP_EFORMAT,
                                            "%s: byte %llu: %s (%u) field %u: size 0", st->name,
                                            (unsigned long long)(at + 6 + 3 * i + 1),
                                            msg_name(d->global), d->global, f->num);
            total += f->size;
        }
    }
    d->ndev = 0;
    d->dev_bytes = 0;
    if (dev) {
        uint64_t dat = st->offset;
        if ((rc = take(r, st, 1, &p, "developer field count")) != BSTEP_OK)
            return rc;
        d->ndev = p[0];
        if (d->ndev > 0) {
            if ((rc = take(r, st, 3u * d->ndev, &p, "developer field list")) != BSTEP_OK)
                return rc;
            for (i = 0; i < d->ndev; i++) {
                if (p[3 * i + 1] == 0)
                    return bstep__activity_fail(r, BSTEP_EFORMAT,
                                                "%s: byte %llu: %s (%u) developer field %u: size 0",
                                                st->name, (unsigned long long)(dat + 1 + 3 * i + 1),
                                                msg_name(d->global), d->global, p[3 * i]);
                d->dev_bytes += p[3 * i + 1];
            }
        }
    }
    d->data_bytes = total + d->dev_bytes;
    d->defined = 1;
    return BSTEP_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* field values */

typedef struct {
    bstep_activity_reader *r;
    fit_state *st;
    const msg_def *d;
    const field_def *f;
    const unsigned char *p;
    uint64_t at; /* byte offset of the field */
} field_ctx;

static int field_fail(const field_ctx *c, const char *fname, const char *what)
{
    return bstep__activity_fail(c->r, BSTEP_EFORMAT, "%s: byte %llu: %s (%u) field %u '%s': %s",
                                c->st->name, (unsigned long long)c->at, msg_name(c->d->global),
                                c->d->global, c->f->num, fname, what);
}

/*
 * The first element of a numeric field as a double. @return 1 valid (*out set), 0 invalid marker
 * (NAN, counted), < 0 error (a base type that cannot hold a number, or a size that is not a
 * multiple of the base type's).
 */
static int numeric(const field_ctx *c, const char *fname, double *out)
{
    const base_type *bt = &base_types[c->f->base & 0x1F];
    uint64_t u, inv;
    if (bt->kind == K_STRING || bt->kind == K_BYTES)
        return bstep__activity_fail(c->r, BSTEP_EFORMAT,
                                    "%s: byte %llu: %s (%u) field %u '%s': base type %s, expected "
                                    "a number",
                                    c->st->name, (unsigned long long)c->at, msg_name(c->d->global),
                                    c->d->global, c->f->num, fname, bt->name);
    if (c->f->size % bt->size != 0) {
        return bstep__activity_fail(c->r, BSTEP_EFORMAT,
                                    "%s: byte %llu: %s (%u) field %u '%s': size %u is not a "
                                    "multiple of base type %s (%u bytes)",
                                    c->st->name, (unsigned long long)c->at, msg_name(c->d->global),
                                    c->d->global, c->f->num, fname, c->f->size, bt->name, bt->size);
    }
    u = get_uint(c->p, bt->size, c->d->big_endian);
    if (bt->kind == K_FLOAT) {
        double v;
        if ((bt->size == 4 && u == 0xFFFFFFFFu) || (bt->size == 8 && u == UINT64_MAX))
            goto invalid;
        if (bt->size == 4) {
            float fv;
            uint32_t u32 = (uint32_t)u;
            memcpy(&fv, &u32, 4);
            v = (double)fv;
        } else {
            memcpy(&v, &u, 8);
        }
        if (!isfinite(v))
            goto invalid;
        *out = v;
        return 1;
    }
    if (bt->zero_invalid) {
        if (u == 0)
            goto invalid;
        *out = (double)u;
        return 1;
    }
    if (bt->kind == K_SIGNED) {
        int64_t s;
        inv = (bt->size == 8) ? (uint64_t)INT64_MAX : ((uint64_t)1 << (8 * bt->size - 1)) - 1;
        if (u == inv)
            goto invalid;
        if (bt->size < 8 && (u >> (8 * bt->size - 1)) != 0)
            s = (int64_t)(u | ~(((uint64_t)1 << (8 * bt->size)) - 1));
        else
            s = (int64_t)u;
        *out = (double)s;
        return 1;
    }
    inv = bt->size == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * bt->size)) - 1;
    if (u == inv)
        goto invalid;
    *out = (double)u;
    return 1;
invalid:
    bstep__activity_quality(c->r)->invalid_values++;
    return 0;
}

/* A scaled value within [lo, hi] (error outside). @return 1 set, 0 invalid, < 0 error. */
static int scaled(const field_ctx *c, const char *fname, double scale, double offset, double lo,
                  double hi, const char *unit, double *out)
{
    double v;
    int rc = numeric(c, fname, &v);
    if (rc <= 0)
        return rc;
    v = v / scale - offset;
    if (v < lo || v > hi) {
        char what[160];
        snprintf(what, sizeof what, "value %g %s is out of range (%g .. %g %s)", v, unit, lo, hi,
                 unit);
        return field_fail(c, fname, what);
    }
    *out = v;
    return 1;
}

/* A date_time: Unix microseconds. Device-relative times (< 0x10000000) are an error. */
static int date_time(const field_ctx *c, const char *fname, bstep_time_us *out, uint32_t *raw)
{
    double v;
    int rc = numeric(c, fname, &v);
    if (rc <= 0)
        return rc;
    if (v < 268435456.0 || v > 4294967295.0) {
        char what[160];
        snprintf(what, sizeof what, "time %.0f is device-relative (before 1998-07), not a date", v);
        return field_fail(c, fname, what);
    }
    if (raw != NULL)
        *raw = (uint32_t)v;
    *out = ((bstep_time_us)v + BSTEP__FIT_EPOCH_UNIX_S) * 1000000LL;
    return 1;
}

static int small_enum(const field_ctx *c, const char *fname, int *out)
{
    double v;
    int rc = numeric(c, fname, &v);
    if (rc <= 0)
        return rc;
    *out = v >= 0.0 && v < 255.0 ? (int)v : BSTEP_SPORT_UNKNOWN;
    return 1;
}

static void copy_string(const field_ctx *c, char *out, size_t cap)
{
    size_t n = 0, i;
    for (i = 0; i < c->f->size && c->p[i] != 0 && n + 1 < cap; i++)
        out[n++] = (c->p[i] >= 0x20 && c->p[i] != 0x7F) ? (char)c->p[i] : '?';
    out[n] = '\0';
}

/* ---------------------------------------------------------------------------------------- */
/* messages */

typedef struct {
    double speed, espeed, alt, ealt, cad, fcad, lat, lon, hr, dist, grade, cycles;
    double avg_cad, avg_fcad, max_speed, emax_speed, avg_speed, eavg_speed;
    double elapsed, timer, kcal, avg_hr, max_hr;
    bstep_time_us ts, start;
    int have_ts, have_start, sport, sub_sport;
    char name[BSTEP_ACTIVITY_TEXT_MAX];
    uint32_t raw_ts;
    double manufacturer, product;
} msg_values;

#define RET_IF_ERR(x)                                                                              \
    do {                                                                                           \
        int rc__ = (x);                                                                            \
        if (rc__ < 0)                                                                              \
            return rc__;                                                                           \
    } while (0)

static int decode_field(field_ctx *c, msg_values *m)
{
    const uint16_t g = c->d->global;
    const unsigned n = c->f->num;
    if (n == 253) {
        double v;
        int rc = numeric(c, "timestamp", &v);
        RET_IF_ERR(rc);
        if (rc == 1 && v >= 0.0 && v <= 4294967295.0) {
            m->raw_ts = (uint32_t)v;
            m->ts = ((bstep_time_us)v + BSTEP__FIT_EPOCH_UNIX_S) * 1000000LL;
            m->have_ts = 1;
        }
        return 0;
    }
    if (g == 0) {
        if (n == 1)
            RET_IF_ERR(numeric(c, "manufacturer", &m->manufacturer));
        else if (n == 2)
            RET_IF_ERR(numeric(c, "product", &m->product));
        return 0;
    }
    if (g == 12) {
        if (n == 0)
            RET_IF_ERR(small_enum(c, "sport", &m->sport));
        else if (n == 1)
            RET_IF_ERR(small_enum(c, "sub_sport", &m->sub_sport));
        else if (n == 3) {
            if ((c->f->base & 0x1F) != 7)
                return bstep__activity_fail(c->r, BSTEP_EFORMAT,
                                            "%s: byte %llu: sport (12) field 3 'name': base type "
                                            "%s, expected string",
                                            c->st->name, (unsigned long long)c->at,
                                            base_types[c->f->base & 0x1F].name);
            copy_string(c, m->name, sizeof m->name);
        }
        return 0;
    }
    if (g == 20) {
        switch (n) {
        case 0:
            return scaled(c, "position_lat", 2147483648.0 / 180.0, 0.0, -90.0, 90.0, "deg",
                          &m->lat) < 0
                       ? -1
                       : 0;
        case 1:
            return scaled(c, "position_long", 2147483648.0 / 180.0, 0.0, -180.0, 180.0, "deg",
                          &m->lon) < 0
                       ? -1
                       : 0;
        case 2:
            return scaled(c, "altitude", 5.0, 500.0, -500.0, 12000.0, "m", &m->alt) < 0 ? -1 : 0;
        case 3:
            return scaled(c, "heart_rate", 1.0, 0.0, 0.0, 250.0, "bpm", &m->hr) < 0 ? -1 : 0;
        case 4:
            return scaled(c, "cadence", 1.0, 0.0, 0.0, 255.0, "rpm", &m->cad) < 0 ? -1 : 0;
        case 5:
            return scaled(c, "distance", 100.0, 0.0, 0.0, 1e8, "m", &m->dist) < 0 ? -1 : 0;
        case 6:
            return scaled(c, "speed", 1000.0, 0.0, 0.0, 50.0, "m/s", &m->speed) < 0 ? -1 : 0;
        case 9:
            return scaled(c, "grade", 100.0, 0.0, -100.0, 100.0, "%", &m->grade) < 0 ? -1 : 0;
        case 33:
            return scaled(c, "calories", 1.0, 0.0, 0.0, 65534.0, "kcal", &m->kcal) < 0 ? -1 : 0;
        case 53:
            return scaled(c, "fractional_cadence", 128.0, 0.0, 0.0, 2.0, "rpm", &m->fcad) < 0 ? -1
                                                                                              : 0;
        case 73:
            return scaled(c, "enhanced_speed", 1000.0, 0.0, 0.0, 50.0, "m/s", &m->espeed) < 0 ? -1
                                                                                              : 0;
        case 78:
            return scaled(c, "enhanced_altitude", 5.0, 500.0, -500.0, 12000.0, "m", &m->ealt) < 0
                       ? -1
                       : 0;
        default:
            return 0;
        }
    }
    if (g == 18 || g == 19) {
        const int ses = g == 18;
        int rc = 0;
        if (n == 2) {
            rc = date_time(c, "start_time", &m->start, NULL);
            m->have_start = rc == 1;
        } else if (n == 7)
            rc = scaled(c, "total_elapsed_time", 1000.0, 0.0, 0.0, 1e7, "s", &m->elapsed);
        else if (n == 8)
            rc = scaled(c, "total_timer_time", 1000.0, 0.0, 0.0, 1e7, "s", &m->timer);
        else if (n == 9)
            rc = scaled(c, "total_distance", 100.0, 0.0, 0.0, 1e8, "m", &m->dist);
        else if (n == 10)
            rc = scaled(c, "total_cycles", 1.0, 0.0, 0.0, 1e9, "cycles", &m->cycles);
        else if (n == 11)
            rc = scaled(c, "total_calories", 1.0, 0.0, 0.0, 1e6, "kcal", &m->kcal);
        else if (n == (ses ? 14u : 13u))
            rc = scaled(c, "avg_speed", 1000.0, 0.0, 0.0, 50.0, "m/s", &m->avg_speed);
        else if (n == (ses ? 15u : 14u))
            rc = scaled(c, "max_speed", 1000.0, 0.0, 0.0, 65.535, "m/s", &m->max_speed);
        else if (n == (ses ? 16u : 15u))
            rc = scaled(c, "avg_heart_rate", 1.0, 0.0, 0.0, 250.0, "bpm", &m->avg_hr);
        else if (n == (ses ? 17u : 16u))
            rc = scaled(c, "max_heart_rate", 1.0, 0.0, 0.0, 250.0, "bpm", &m->max_hr);
        else if (n == (ses ? 18u : 17u))
            rc = scaled(c, "avg_cadence", 1.0, 0.0, 0.0, 255.0, "rpm", &m->avg_cad);
        else if (n == (ses ? 92u : 80u))
            rc = scaled(c, "avg_fractional_cadence", 128.0, 0.0, 0.0, 2.0, "rpm", &m->avg_fcad);
        else if (n == (ses ? 5u : 25u))
            rc = small_enum(c, "sport", &m->sport);
        else if (n == (ses ? 6u : 39u))
            rc = small_enum(c, "sub_sport", &m->sub_sport);
        else if (n == (ses ? 124u : 110u))
            rc = scaled(c, "enhanced_avg_speed", 1000.0, 0.0, 0.0, 50.0, "m/s", &m->eavg_speed);
        else if (n == (ses ? 125u : 111u))
            rc = scaled(c, "enhanced_max_speed", 1000.0, 0.0, 0.0, 100.0, "m/s", &m->emax_speed);
        return rc < 0 ? rc : 0;
    }
    return 0;
}

static double first(double a, double b)
{
    return isfinite(a) ? a : b;
}

static double cadence_spm(double cad, double fcad)
{
    if (!isfinite(cad))
        return (double)NAN;
    return 2.0 * (cad + (isfinite(fcad) ? fcad : 0.0));
}

static double add_nan(double a, double b)
{
    if (!isfinite(b))
        return a;
    return isfinite(a) ? a + b : b;
}

/* Read one data message; 1 with a record in *rec, 0 for other messages, < 0 error. */
static int data_message(bstep_activity_reader *r, fit_state *st, unsigned local, int compressed,
                        uint32_t cts, uint64_t at, bstep_activity_record *rec)
{
    msg_def *d = &st->def[local];
    const unsigned char *p;
    msg_values m;
    field_ctx c;
    unsigned i;
    int rc;
    size_t pos = 0;
    if (!d->defined)
        return bstep__activity_fail(r, BSTEP_EFORMAT,
                                    "%s: byte %llu: data message of local type %u before any "
                                    "definition of that type",
                                    st->name, (unsigned long long)at, local);
    if ((rc = take(r, st, d->data_bytes, &p, "data message")) != BSTEP_OK)
        return rc;
    bstep__activity_quality(r)->messages++;
    memset(&m, 0, sizeof m);
    m.speed = m.espeed = m.alt = m.ealt = m.cad = m.fcad = m.lat = m.lon = m.hr = m.dist =
        (double)NAN;
    m.grade = m.cycles = m.avg_cad = m.avg_fcad = m.max_speed = m.emax_speed = (double)NAN;
    m.avg_speed = m.eavg_speed = m.elapsed = m.timer = m.kcal = m.avg_hr = m.max_hr = (double)NAN;
    m.manufacturer = m.product = (double)NAN;
    m.sport = m.sub_sport = BSTEP_SPORT_UNKNOWN;
    c.r = r;
    c.st = st;
    c.d = d;
    for (i = 0; i < d->nfields; i++) {
        c.f = &d->f[i];
        c.p = p + pos;
        c.at = at + 1 + pos;
        if (decode_field(&c, &m) < 0)
            return BSTEP_EFORMAT;
        pos += d->f[i].size;
    }
    if (d->ndev > 0)
        bstep__activity_quality(r)->developer_fields += d->ndev;
    if (compressed) {
        if (!st->have_ts)
            return bstep__activity_fail(r, BSTEP_EFORMAT,
                                        "%s: byte %llu: compressed timestamp header before any "
                                        "message with a timestamp",
                                        st->name, (unsigned long long)at);
        st->last_ts += (uint32_t)((cts - st->last_ts) & 0x1Fu);
        m.raw_ts = st->last_ts;
        m.ts = ((bstep_time_us)m.raw_ts + BSTEP__FIT_EPOCH_UNIX_S) * 1000000LL;
        m.have_ts = 1;
    } else if (m.have_ts) {
        st->last_ts = m.raw_ts;
        st->have_ts = 1;
    }
    switch (d->global) {
    case 0: {
        bstep_activity_info *inf = bstep__activity_info(r);
        if (m.manufacturer >= 0.0 && m.manufacturer <= 65535.0)
            inf->manufacturer = (unsigned)m.manufacturer;
        if (m.product >= 0.0 && m.product <= 65535.0)
            inf->product = (unsigned)m.product;
        return 0;
    }
    case 12: {
        bstep_activity_info *inf = bstep__activity_info(r);
        if (m.name[0]) {
            snprintf(inf->name, sizeof inf->name, "%s", m.name);
            if (strstr(m.name, "ackward") != NULL)
                inf->direction = BSTEP_DIRECTION_BACKWARD;
            else if (strstr(m.name, "orward") != NULL)
                inf->direction = BSTEP_DIRECTION_FORWARD;
        }
        if (inf->sport == BSTEP_SPORT_UNKNOWN)
            inf->sport = m.sport;
        if (inf->sub_sport == BSTEP_SPORT_UNKNOWN)
            inf->sub_sport = m.sub_sport;
        return 0;
    }
    case 18: {
        bstep_activity_info *inf = bstep__activity_info(r);
        if (!inf->has_session) {
            inf->start_us = m.have_start ? m.start : 0;
            inf->sport = m.sport != BSTEP_SPORT_UNKNOWN ? m.sport : inf->sport;
            inf->sub_sport = m.sub_sport != BSTEP_SPORT_UNKNOWN ? m.sub_sport : inf->sub_sport;
            inf->avg_heart_rate_bpm = m.avg_hr;
            inf->max_heart_rate_bpm = m.max_hr;
        } else if (isfinite(m.max_hr) &&
                   !(isfinite(inf->max_heart_rate_bpm) && inf->max_heart_rate_bpm >= m.max_hr)) {
            inf->max_heart_rate_bpm = m.max_hr;
        }
        inf->elapsed_s = add_nan(inf->elapsed_s, m.elapsed);
        inf->timer_s = add_nan(inf->timer_s, m.timer);
        inf->distance_m = add_nan(inf->distance_m, m.dist);
        inf->energy_kcal = add_nan(inf->energy_kcal, m.kcal);
        inf->steps = add_nan(inf->steps, 2.0 * m.cycles);
        inf->has_session = 1;
        return 0;
    }
    case 19: {
        bstep_activity_lap lap;
        bstep_activity_lap_clear(&lap);
        lap.start_us = m.have_start ? m.start : 0;
        lap.elapsed_s = m.elapsed;
        lap.timer_s = m.timer;
        lap.distance_m = m.dist;
        lap.energy_kcal = m.kcal;
        lap.avg_speed_mps = first(m.eavg_speed, m.avg_speed);
        lap.max_speed_mps = first(m.emax_speed, m.max_speed);
        lap.avg_heart_rate_bpm = m.avg_hr;
        lap.max_heart_rate_bpm = m.max_hr;
        lap.avg_cadence_spm = cadence_spm(m.avg_cad, m.avg_fcad);
        lap.sport = m.sport;
        lap.sub_sport = m.sub_sport;
        bstep__activity_add_lap(r, &lap);
        return 0;
    }
    case 20:
        if (!m.have_ts)
            return bstep__activity_fail(r, BSTEP_EFORMAT,
                                        "%s: byte %llu: record (20) without a timestamp (field "
                                        "253) or a compressed timestamp header",
                                        st->name, (unsigned long long)at);
        if (m.raw_ts < 0x10000000u)
            return bstep__activity_fail(r, BSTEP_EFORMAT,
                                        "%s: byte %llu: record (20) field 253 'timestamp': time %u "
                                        "is device-relative (before 1998-07), not a date",
                                        st->name, (unsigned long long)at, (unsigned)m.raw_ts);
        rec->t_us = m.ts;
        rec->heart_rate_bpm = m.hr > 0.0 ? m.hr : (double)NAN;
        rec->cadence_spm = cadence_spm(m.cad, m.fcad);
        rec->speed_mps = first(m.espeed, m.speed);
        rec->distance_m = m.dist;
        rec->incline_pct = m.grade;
        rec->altitude_m = first(m.ealt, m.alt);
        rec->latitude_deg = m.lat;
        rec->longitude_deg = m.lon;
        rec->energy_kcal = m.kcal;
        return 1;
    default:
        bstep__activity_quality(r)->skipped_messages++;
        return 0;
    }
}

static int fit_next(bstep_activity_reader *r, void *impl, bstep_activity_record *rec)
{
    fit_state *st = impl;
    for (;;) {
        const unsigned char *p;
        unsigned h;
        uint64_t at;
        int rc;
        if (!st->in_file) {
            rc = read_header(r, st);
            if (rc <= 0)
                return rc;
            continue;
        }
        if (st->offset == st->data_end) {
            if ((rc = read_file_crc(r, st)) != BSTEP_OK)
                return rc;
            continue;
        }
        at = st->offset;
        if ((rc = take(r, st, 1, &p, "record header")) != BSTEP_OK)
            return rc;
        h = p[0];
        if (h & 0x80u) {
            rc = data_message(r, st, (h >> 5) & 0x3u, 1, h & 0x1Fu, at, rec);
        } else if (h & 0x40u) {
            rc = read_definition(r, st, h & 0x0Fu, (h & 0x20u) != 0, at);
        } else {
            rc = data_message(r, st, h & 0x0Fu, 0, 0, at, rec);
        }
        if (rc != 0)
            return rc;
    }
}

static const bstep__activity_ops fit_ops = {fit_next, fit_close};

int bstep__fit_open(bstep_activity_reader *r, bstep__source src, const char *name)
{
    fit_state *st = calloc(1, sizeof *st);
    int rc;
    if (st == NULL || (st->buf = malloc(BUF_BYTES)) == NULL) {
        free(st);
        if (src.close)
            src.close(src.ctx);
        return bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    st->src = src;
    snprintf(st->name, sizeof st->name, "%s", name);
    rc = read_header(r, st);
    if (rc <= 0) {
        fit_close(st);
        return rc < 0 ? rc : bstep__activity_fail(r, BSTEP_EFORMAT, "%s: empty file", name);
    }
    bstep__activity_set_impl(r, &fit_ops, st);
    return BSTEP_OK;
}
