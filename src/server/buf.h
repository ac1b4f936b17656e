/*
 * A growable text buffer for responses (internal). Every append is checked; the first failed
 * allocation sets oom and later appends do nothing, so callers check once at the end. A cap stops
 * runaway output (a response never grows past BSTEP__BUF_MAX).
 */
#ifndef BSTEP_SERVER_BUF_H
#define BSTEP_SERVER_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BSTEP__BUF_MAX (256u * 1024u * 1024u)

typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} bstep__buf;

void bstep__buf_init(bstep__buf *b);
void bstep__buf_free(bstep__buf *b);
void bstep__buf_add(bstep__buf *b, const char *s, size_t n);
void bstep__buf_puts(bstep__buf *b, const char *s);
#if defined(__GNUC__)
#define BSTEP__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BSTEP__PRINTF(f, a)
#endif
void bstep__buf_printf(bstep__buf *b, const char *fmt, ...) BSTEP__PRINTF(2, 3);
/** Append s with &, <, >, ", ' escaped for HTML text and attribute values. */
void bstep__buf_html(bstep__buf *b, const char *s);
/** Take the bytes (NUL-terminated); the buffer is empty afterwards. NULL after oom. */
char *bstep__buf_take(bstep__buf *b, size_t *len);
/**
 * The value of key in an application/x-www-form-urlencoded body of len bytes (WHATWG URL
 * section 5.1), '+' and %XX decoded, into out (cap bytes, NUL-terminated).
 * @return 0, or -1 when the key is absent, the value does not fit or has a bad escape.
 */
int bstep__form_value(const char *body, size_t len, const char *key, char *out, size_t cap);

#endif
