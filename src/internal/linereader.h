/*
 * Bounded, buffered line reader and field splitter for the text readers.
 *
 * One buffer, 16 KiB at first, grows (doubling) only while a line does not fit, and never beyond
 * BSTEP__LINE_MAX + BSTEP__READ_CHUNK bytes: a line longer than BSTEP__LINE_MAX is an error as soon
 * as that many bytes without a newline have been seen (the rest of the input is not read), so one
 * endless line cannot exhaust memory. Lines are returned in place, NUL-terminated, without "\n" or
 * "\r\n"; a UTF-8 byte order mark at the start of the first line is removed.
 */
#ifndef BSTEP_INTERNAL_LINEREADER_H
#define BSTEP_INTERNAL_LINEREADER_H

#include <stddef.h>
#include <stdint.h>

/** Longest accepted line, bytes (without the line end). */
#define BSTEP__LINE_MAX (64 * 1024)
/** First buffer size. */
#define BSTEP__LR_INITIAL (16 * 1024)
/** Bytes requested per read (at most). */
#define BSTEP__READ_CHUNK (64 * 1024)

/** A byte source: read() returns bytes read, 0 at the end, -1 on error. */
typedef struct {
    long (*read)(void *ctx, char *buf, size_t n);
    void (*close)(void *ctx); /**< may be NULL */
    void *ctx;
} bstep__source;

/** Result codes of bstep__lr_next besides 1 (a line) and 0 (end of input). */
enum { BSTEP__LR_TOO_LONG = -1, BSTEP__LR_IO = -2 };

typedef struct {
    bstep__source src;
    char *buf;
    size_t size;      /* usable bytes in buf (one more is allocated for a final NUL) */
    size_t limit;     /* largest size: max_line + BSTEP__READ_CHUNK */
    size_t max_line;  /* line cap */
    size_t start;     /* first unconsumed byte */
    size_t end;       /* end of the data read */
    size_t scanned;   /* bytes after start already known to hold no newline */
    uint64_t line_no; /* 1-based number of the line last returned */
    int eof;
    int first;
} bstep__linereader;

/** @brief Allocate the buffer; takes ownership of src. @return 0 or -1 (out of memory). */
int bstep__lr_init(bstep__linereader *lr, bstep__source src, size_t max_line);
/** @brief Free the buffer and close the source. Safe on a zeroed struct. */
void bstep__lr_free(bstep__linereader *lr);
/** @brief Next line (valid until the next call). @return 1 (line, len), 0 end of input,
 * BSTEP__LR_TOO_LONG, BSTEP__LR_IO. */
int bstep__lr_next(bstep__linereader *lr, char **line, size_t *len);
/**
 * @brief Look at the first bytes without consuming them (format detection).
 * Reads until at least want bytes are buffered or the input ends.
 * @return 0 and (data, len), or BSTEP__LR_IO.
 */
int bstep__lr_peek(bstep__linereader *lr, size_t want, const char **data, size_t *len);

/** @brief A source over a file descriptor (closed by the source when own_fd is set). */
int bstep__source_fd(bstep__source *src, int fd, int own_fd);
/** @brief A source over memory (not copied; must outlive the source). */
int bstep__source_mem(bstep__source *src, const void *data, size_t len);

/** One field of a split line: points into the line, not NUL-terminated. */
typedef struct {
    char *p;
    size_t len;
} bstep__field;

/**
 * @brief Split a line in place on sep. A field that starts with '"' runs to the closing quote
 * ("" inside is one quote; quotes are removed); spaces around a field are trimmed (unless sep is
 * a space). @return the number of fields, or max + 1 when there are more than max.
 */
size_t bstep__split(char *line, size_t len, char sep, bstep__field *f, size_t max);
/** 1 when the field's text is exactly the NUL-terminated string s. */
int bstep__field_is(const bstep__field *f, const char *s);

/** @brief Copy a field for an error message: at most 40 bytes, non-printables as '?'. */
void bstep__field_quote(const char *p, size_t len, char *out, size_t out_len);

#endif
