/*
 * Bounded line reader (see linereader.h). The buffer starts at 16 KiB and doubles while a line
 * does not fit, up to max_line bytes of the current line plus one read chunk; when no newline is
 * found the unconsumed tail is moved to the front and more is read. "scanned" remembers how far the
 * current line was already searched, so a long line is scanned once (linear time), and the line cap
 * is checked before every read.
 */
#include "internal/linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    int fd;
    int own;
} fd_ctx;

static long fd_read(void *ctx, char *buf, size_t n)
{
    fd_ctx *c = ctx;
    for (;;) {
        ssize_t got = read(c->fd, buf, n);
        if (got >= 0)
            return (long)got;
        if (errno != EINTR)
            return -1;
    }
}

static void fd_close(void *ctx)
{
    fd_ctx *c = ctx;
    if (c->own)
        close(c->fd);
    free(c);
}

int bstep__source_fd(bstep__source *src, int fd, int own_fd)
{
    fd_ctx *c = malloc(sizeof *c);
    if (c == NULL)
        return -1;
    c->fd = fd;
    c->own = own_fd;
    src->read = fd_read;
    src->close = fd_close;
    src->ctx = c;
    return 0;
}

typedef struct {
    const char *data;
    size_t len, pos;
} mem_ctx;

static long mem_read(void *ctx, char *buf, size_t n)
{
    mem_ctx *c = ctx;
    size_t k = c->len - c->pos;
    if (k > n)
        k = n;
    if (k > 0)
        memcpy(buf, c->data + c->pos, k);
    c->pos += k;
    return (long)k;
}

static void mem_close(void *ctx)
{
    free(ctx);
}

int bstep__source_mem(bstep__source *src, const void *data, size_t len)
{
    mem_ctx *c = malloc(sizeof *c);
    if (c == NULL)
        return -1;
    c->data = data;
    c->len = len;
    c->pos = 0;
    src->read = mem_read;
    src->close = mem_close;
    src->ctx = c;
    return 0;
}

int bstep__lr_init(bstep__linereader *lr, bstep__source src, size_t max_line)
{
    memset(lr, 0, sizeof *lr);
    lr->src = src;
    lr->max_line = max_line;
    lr->limit = max_line + BSTEP__READ_CHUNK;
    lr->size = lr->limit < BSTEP__LR_INITIAL ? lr->limit : BSTEP__LR_INITIAL;
    lr->buf = malloc(lr->size + 1);
    lr->first = 1;
    if (lr->buf == NULL) {
        if (src.close)
            src.close(src.ctx);
        lr->src.close = NULL;
        return -1;
    }
    return 0;
}

void bstep__lr_free(bstep__linereader *lr)
{
    if (lr->src.close)
        lr->src.close(lr->src.ctx);
    lr->src.close = NULL;
    free(lr->buf);
    lr->buf = NULL;
}

/* Read more bytes after end, compacting first. @return bytes read, 0 at end, -1 on error. */
static long fill(bstep__linereader *lr)
{
    long got;
    if (lr->eof)
        return 0;
    if (lr->start > 0) {
        memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
        lr->end -= lr->start;
        lr->start = 0;
    }
    if (lr->end >= lr->size && lr->size < lr->limit) {
        /* a long line: grow, doubling, never beyond the line cap plus one chunk */
        size_t nsize = lr->size * 2 < lr->limit ? lr->size * 2 : lr->limit;
        char *nbuf = realloc(lr->buf, nsize + 1);
        if (nbuf == NULL)
            return -1;
        lr->buf = nbuf;
        lr->size = nsize;
    }
    if (lr->end >= lr->size)
        return 0;
    got = lr->src.read(lr->src.ctx, lr->buf + lr->end, lr->size - lr->end);
    if (got < 0)
        return -1;
    if (got == 0)
        lr->eof = 1;
    lr->end += (size_t)got;
    return got;
}

int bstep__lr_peek(bstep__linereader *lr, size_t want, const char **data, size_t *len)
{
    if (want > lr->size)
        want = lr->size;
    while (lr->end - lr->start < want && !lr->eof) {
        if (fill(lr) < 0)
            return BSTEP__LR_IO;
    }
    *data = lr->buf + lr->start;
    *len = lr->end - lr->start;
    return 0;
}

int bstep__lr_next(bstep__linereader *lr, char **line, size_t *len)
{
    for (;;) {
        char *from = lr->buf + lr->start + lr->scanned;
        size_t avail = lr->end - lr->start - lr->scanned;
        char *nl = avail ? memchr(from, '\n', avail) : NULL;
        size_t n;
        char *p;
        if (nl == NULL) {
            lr->scanned = lr->end - lr->start;
            if (lr->scanned > lr->max_line)
                return BSTEP__LR_TOO_LONG;
            if (!lr->eof) {
                if (fill(lr) < 0)
                    return BSTEP__LR_IO;
                continue;
            }
            if (lr->end == lr->start)
                return 0;
            /* last line without a newline */
            n = lr->end - lr->start;
            p = lr->buf + lr->start;
            lr->start = lr->end;
        } else {
            n = (size_t)(nl - (lr->buf + lr->start));
            if (n > lr->max_line)
                return BSTEP__LR_TOO_LONG;
            p = lr->buf + lr->start;
            lr->start += n + 1;
        }
        lr->scanned = 0;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        p[n] = '\0';
        if (lr->first) {
            lr->first = 0;
            if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
                (unsigned char)p[2] == 0xBF) {
                p += 3;
                n -= 3;
            }
        }
        lr->line_no++;
        *line = p;
        *len = n;
        return 1;
    }
}

static int is_blank(char c, char sep)
{
    return (c == ' ' && sep != ' ') || (c == '\t' && sep != '\t');
}

size_t bstep__split(char *line, size_t len, char sep, bstep__field *f, size_t max)
{
    size_t i = 0, n = 0;
    for (;;) {
        size_t s, e;
        while (i < len && is_blank(line[i], sep))
            i++;
        if (i < len && line[i] == '"') {
            /* quoted: copy down over doubled quotes */
            size_t w;
            i++;
            s = w = i;
            while (i < len) {
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        line[w++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                line[w++] = line[i++];
            }
            e = w;
            while (i < len && line[i] != sep)
                i++; /* anything between the closing quote and sep is ignored */
        } else {
            s = i;
            while (i < len && line[i] != sep)
                i++;
            e = i;
            while (e > s && is_blank(line[e - 1], sep))
                e--;
        }
        if (n >= max)
            return max + 1;
        f[n].p = line + s;
        f[n].len = e - s;
        n++;
        if (i >= len)
            return n;
        i++; /* skip sep */
    }
}

void bstep__field_quote(const char *p, size_t len, char *out, size_t out_len)
{
    size_t i, k = 0;
    if (out_len == 0)
        return;
    for (i = 0; i < len && k + 1 < out_len && i < 40; i++) {
        unsigned char c = (unsigned char)p[i];
        out[k++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    if (i < len && k + 4 < out_len) {
        out[k++] = '.';
        out[k++] = '.';
        out[k++] = '.';
    }
    out[k] = '\0';
}

int bstep__field_is(const bstep__field *f, const char *s)
{
    const size_t n = strlen(s);
    return f->len == n && memcmp(f->p, s, n) == 0;
}
