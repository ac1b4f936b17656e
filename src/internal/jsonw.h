/*
 * A small streaming JSON writer (internal, bstep__ layer). Handles commas, nesting, string
 * escaping (RFC 8259 section 7) and non-finite numbers, which JSON cannot represent: they are
 * written as null ("a value that cannot be known is null", DESIGN.md section 6).
 */
#ifndef BSTEP_INTERNAL_JSONW_H
#define BSTEP_INTERNAL_JSONW_H

#include <stdint.h>
#include <stdio.h>

#define BSTEP__JSONW_MAX_DEPTH 32

typedef struct {
    FILE *f;
    int depth;
    int pretty_depth;                  /* containers deeper than this are written on one line */
    int count[BSTEP__JSONW_MAX_DEPTH]; /* elements written at each level */
    int after_key;
} bstep__jsonw;

/** pretty_depth: levels laid out one element per line (0 = compact). */
void bstep__jsonw_init(bstep__jsonw *w, FILE *f, int pretty_depth);
void bstep__jsonw_object_begin(bstep__jsonw *w);
void bstep__jsonw_object_end(bstep__jsonw *w);
void bstep__jsonw_array_begin(bstep__jsonw *w);
void bstep__jsonw_array_end(bstep__jsonw *w);
void bstep__jsonw_key(bstep__jsonw *w, const char *key);
void bstep__jsonw_string(bstep__jsonw *w, const char *s);
/** A number with at most `decimals` digits after the point (trailing zeros kept); NaN/inf: null. */
void bstep__jsonw_number(bstep__jsonw *w, double v, int decimals);
void bstep__jsonw_int(bstep__jsonw *w, int64_t v);
void bstep__jsonw_bool(bstep__jsonw *w, int v);
void bstep__jsonw_null(bstep__jsonw *w);
/** Writes the escaped form of s (without quotes) to f. */
void bstep__json_escape(FILE *f, const char *s);

#endif
