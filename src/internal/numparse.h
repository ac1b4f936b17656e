/*
 * Locale-independent number parsing for the readers (c-style.md section 13: strtod follows the
 * locale's decimal mark, so the readers never call it).
 *
 * Both parsers take a pointer and a length (the text need not be NUL-terminated), accept an
 * optional sign, digits with one decimal mark ('.' always; ',' only when allow_comma is set) and
 * an optional exponent (e/E, Java's "9.364549000E-3" included). Surrounding spaces are the
 * caller's business; any other trailing character is an error.
 */
#ifndef BSTEP_INTERNAL_NUMPARSE_H
#define BSTEP_INTERNAL_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

/** Result codes of the parsers (0 = success). */
enum {
    BSTEP__NUM_OK = 0,
    BSTEP__NUM_EMPTY = 1,  /**< no characters */
    BSTEP__NUM_SYNTAX = 2, /**< not a number */
    BSTEP__NUM_RANGE = 3   /**< does not fit the result type */
};

/**
 * @brief Parse a decimal number into a double.
 * "nan", "inf", "infinity" (any case, optional sign) are accepted and give a NaN or infinity so
 * that the caller can count non-finite values instead of rejecting the row.
 * The result is correctly rounded when the significand has at most 15 digits and the decimal
 * exponent is within +-22, and within one ulp otherwise.
 * @return BSTEP__NUM_OK, BSTEP__NUM_EMPTY or BSTEP__NUM_SYNTAX.
 */
int bstep__num_double(const char *s, size_t len, int allow_comma, double *out);

/**
 * @brief Parse a decimal number exactly into an integer count of 10^out_exp10 units.
 * The text is a value in units of 10^unit_exp10 (seconds: 0, milliseconds: -3, nanoseconds:
 * -9); the result is value * 10^(unit_exp10 - out_exp10), rounded half away from zero. No
 * floating point is involved, so "1607605064.733" s gives exactly 1607605064733000 us and a
 * 19-digit nanosecond epoch keeps every digit.
 * @return BSTEP__NUM_OK, BSTEP__NUM_EMPTY, BSTEP__NUM_SYNTAX (also for nan/inf) or
 *         BSTEP__NUM_RANGE (outside int64).
 */
int bstep__num_fixed(const char *s, size_t len, int allow_comma, int unit_exp10, int out_exp10,
                     int64_t *out);

/**
 * @brief Fast path for the plain decimals of recordings: "[-+]digits[.digits]" with at most 19
 * significant digits, ending at ',' or at end. Gives exactly what bstep__num_double /
 * bstep__num_fixed give for the same text.
 * @return the bytes used (the ',' is not included), or 0 when the text is not plain (exponent,
 *         spaces, quotes, nan/inf, more digits, a fixed-point result outside int64): parse it with
 *         the general function, which also gives the error.
 */
size_t bstep__num_double_plain(const char *s, const char *end, double *out);
size_t bstep__num_fixed_plain(const char *s, const char *end, int unit_exp10, int out_exp10,
                              int64_t *out);

#endif
