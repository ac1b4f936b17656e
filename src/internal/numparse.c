/*
 * Locale-independent decimal parsing (see numparse.h).
 *
 * Both parsers share one scanner that splits the text into a significand of at most 19 decimal
 * digits (held exactly in a uint64), a flag for nonzero digits dropped beyond those 19, and a
 * decimal exponent. The double parser scales the significand by an exact power of ten (10^0 ..
 * 10^22 are exact doubles), which rounds correctly for the short numbers found in recordings.
 * The fixed-point parser shifts the significand by integer multiplication or by division with
 * rounding, so timestamps never pass through a double.
 */
#include "internal/numparse.h"

#include <math.h>

#define MAX_DIGITS 19

typedef struct {
    int neg;
    uint64_t sig; /* first MAX_DIGITS significant digits */
    int sticky;   /* nonzero digits dropped after them */
    long exp10;   /* value = sig * 10^exp10 */
    int special;  /* 0, 1 = nan, 2 = inf */
} scanned;

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int word_eq(const char *s, size_t len, const char *w)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (w[i] == '\0' || lower((unsigned char)s[i]) != w[i])
            return 0;
    return w[len] == '\0';
}

static int scan(const char *s, size_t len, int allow_comma, scanned *o)
{
    size_t i = 0;
    int ndig = 0, any = 0, seen_mark = 0;
    long dropped_int = 0, frac_used = 0;

    o->neg = 0;
    o->sig = 0;
    o->sticky = 0;
    o->exp10 = 0;
    o->special = 0;
    if (len == 0)
        return BSTEP__NUM_EMPTY;
    if (s[0] == '+' || s[0] == '-') {
        o->neg = s[0] == '-';
        i = 1;
    }
    if (i < len && (lower((unsigned char)s[i]) == 'n' || lower((unsigned char)s[i]) == 'i')) {
        if (word_eq(s + i, len - i, "nan")) {
            o->special = 1;
            return BSTEP__NUM_OK;
        }
        if (word_eq(s + i, len - i, "inf") || word_eq(s + i, len - i, "infinity")) {
            o->special = 2;
            return BSTEP__NUM_OK;
        }
        return BSTEP__NUM_SYNTAX;
    }
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (ndig == 0 && c == '0') {
                if (seen_mark)
                    frac_used++; /* leading zeros after the mark shift the exponent */
                continue;
            }
            if (ndig < MAX_DIGITS) {
                o->sig = o->sig * 10u + (uint64_t)(c - '0');
                ndig++;
                if (seen_mark)
                    frac_used++;
            } else {
                if (c != '0')
                    o->sticky = 1;
                if (!seen_mark)
                    dropped_int++;
            }
        } else if ((c == '.' || (allow_comma && c == ',')) && !seen_mark) {
            seen_mark = 1;
        } else {
            break;
        }
    }
    if (!any)
        return BSTEP__NUM_SYNTAX;
    o->exp10 = dropped_int - frac_used;
    if (i < len) {
        long e = 0;
        int eneg = 0, edig = 0;
        if (s[i] != 'e' && s[i] != 'E')
            return BSTEP__NUM_SYNTAX;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        for (; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return BSTEP__NUM_SYNTAX;
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
            edig = 1;
        }
        if (!edig)
            return BSTEP__NUM_SYNTAX;
        o->exp10 += eneg ? -e : e;
    }
    return BSTEP__NUM_OK;
}

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The plain decimals that fill recordings, "[-+]digits[.digits]" with at most MAX_DIGITS
 * significant digits, ending at a ',' or at the end: one tight pass. Fills sc exactly as scan()
 * would for the same text and returns the bytes used, or 0 when the text is anything else
 * (exponent, spaces, quotes, nan, more digits): then the caller takes the general path. */
static size_t scan_plain(const char *s, const char *end, scanned *o)
{
    const char *p = s;
    int ndig = 0, any = 0;
    long frac_used = 0;
    uint64_t sig = 0;
    o->neg = 0;
    o->sticky = 0;
    o->special = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        o->neg = *p == '-';
        p++;
    }
    while (p < end && *p == '0') { /* leading zeros */
        p++;
        any = 1;
    }
    while (p < end && (unsigned)(*p - '0') < 10u) {
        if (ndig == MAX_DIGITS)
            return 0;
        sig = sig * 10u + (uint64_t)(*p - '0');
        ndig++;
        p++;
        any = 1;
    }
    if (p < end && *p == '.') {
        p++;
        if (ndig == 0)
            while (p < end && *p == '0') {
                p++;
                frac_used++;
                any = 1;
            }
        while (p < end && (unsigned)(*p - '0') < 10u) {
            if (ndig == MAX_DIGITS)
                return 0;
            sig = sig * 10u + (uint64_t)(*p - '0');
            ndig++;
            frac_used++;
            p++;
            any = 1;
        }
    }
    if (!any || (p < end && *p != ','))
        return 0;
    o->sig = sig;
    o->exp10 = -frac_used;
    return (size_t)(p - s);
}

static void to_double(const scanned *sc, double *out)
{
    double v;
    long e;
    if (sc->special == 1) {
        *out = (double)NAN;
        return;
    }
    if (sc->special == 2) {
        *out = sc->neg ? -(double)INFINITY : (double)INFINITY;
        return;
    }
    v = (double)sc->sig;
    e = sc->exp10;
    if (sc->sig == 0) {
        v = 0.0;
    } else if (e >= 0) {
        while (e > 22 && v < 1e308) {
            v *= 1e22;
            e -= 22;
        }
        v = e > 22 ? (double)INFINITY : v * pow10_exact[e];
    } else {
        e = -e;
        while (e > 22 && v > 1e-300) {
            v /= 1e22;
            e -= 22;
        }
        v = e > 22 ? 0.0 : v / pow10_exact[e];
    }
    *out = sc->neg ? -v : v;
}

int bstep__num_double(const char *s, size_t len, int allow_comma, double *out)
{
    scanned sc;
    int rc = scan(s, len, allow_comma, &sc);
    if (rc != BSTEP__NUM_OK)
        return rc;
    to_double(&sc, out);
    return BSTEP__NUM_OK;
}

size_t bstep__num_double_plain(const char *s, const char *end, double *out)
{
    scanned sc;
    const size_t n = scan_plain(s, end, &sc);
    if (n > 0)
        to_double(&sc, out);
    return n;
}

static int to_fixed(const scanned *sc, int unit_exp10, int out_exp10, int64_t *out)
{
    long shift;
    uint64_t v;
    if (sc->special)
        return BSTEP__NUM_SYNTAX;
    v = sc->sig;
    shift = sc->exp10 + (long)unit_exp10 - (long)out_exp10;
    if (v != 0 && shift > 0) {
        for (; shift > 0; shift--) {
            if (v > UINT64_MAX / 10u)
                return BSTEP__NUM_RANGE;
            v *= 10u;
        }
    } else if (v != 0 && shift < 0) {
        uint64_t rem, div = 1;
        if (shift < -MAX_DIGITS) {
            v = 0; /* below half a unit */
        } else {
            for (; shift < 0; shift++)
                div *= 10u;
            rem = v % div;
            v /= div;
            if (rem >= div / 2u)
                v++; /* half away from zero (digits dropped beyond 19 cannot lower it) */
        }
    }
    if (v > (uint64_t)INT64_MAX)
        return BSTEP__NUM_RANGE;
    *out = sc->neg ? -(int64_t)v : (int64_t)v;
    return BSTEP__NUM_OK;
}

int bstep__num_fixed(const char *s, size_t len, int allow_comma, int unit_exp10, int out_exp10,
                     int64_t *out)
{
    scanned sc;
    int rc = scan(s, len, allow_comma, &sc);
    if (rc != BSTEP__NUM_OK)
        return rc;
    return to_fixed(&sc, unit_exp10, out_exp10, out);
}

size_t bstep__num_fixed_plain(const char *s, const char *end, int unit_exp10, int out_exp10,
                              int64_t *out)
{
    scanned sc;
    const size_t n = scan_plain(s, end, &sc);
    return n > 0 && to_fixed(&sc, unit_exp10, out_exp10, out) == BSTEP__NUM_OK ? n : 0;
}
