/* Growable text buffer (see buf.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/buf.h"

void bstep__buf_init(bstep__buf *b)
{
    memset(b, 0, sizeof(*b));
}

void bstep__buf_free(bstep__buf *b)
{
    free(b->p);
    bstep__buf_init(b);
}

static int reserve(bstep__buf *b, size_t extra)
{
    size_t need, ncap;
    char *q;
    if (b->oom)
        return -1;
    if (extra > BSTEP__BUF_MAX || b->n + extra + 1 > BSTEP__BUF_MAX) {
        b->oom = 1;
        return -1;
    }
    need = b->n + extra + 1;
    if (need <= b->cap)
        return 0;
    ncap = b->cap ? b->cap : 1024;
    while (ncap < need)
        ncap *= 2;
    q = realloc(b->p, ncap);
    if (q == NULL) {
        b->oom = 1;
        return -1;
    }
    b->p = q;
    b->cap = ncap;
    return 0;
}

void bstep__buf_add(bstep__buf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void bstep__buf_puts(bstep__buf *b, const char *s)
{
    bstep__buf_add(b, s, strlen(s));
}

void bstep__buf_printf(bstep__buf *b, const char *fmt, ...)
{
    va_list ap;
    int k;
    char small[512];
    va_start(ap, fmt);
    k = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)k < sizeof(small)) {
        bstep__buf_add(b, small, (size_t)k);
        return;
    }
    if (reserve(b, (size_t)k) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void bstep__buf_html(bstep__buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            break;
        }
        if (rep != NULL) {
            bstep__buf_add(b, run, (size_t)(s - run));
            bstep__buf_puts(b, rep);
            run = s + 1;
        }
    }
    bstep__buf_add(b, run, (size_t)(s - run));
}

char *bstep__buf_take(bstep__buf *b, size_t *len)
{
    char *p;
    if (b->oom) {
        bstep__buf_free(b);
        return NULL;
    }
    if (b->p == NULL && reserve(b, 0) != 0)
        return NULL;
    if (b->p != NULL && b->n == 0)
        b->p[0] = '\0';
    p = b->p;
    if (len != NULL)
        *len = b->n;
    bstep__buf_init(b);
    return p;
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

int bstep__form_value(const char *body, size_t len, const char *key, char *out, size_t cap)
{
    const size_t kl = strlen(key);
    size_t i = 0;
    if (body == NULL || cap == 0)
        return -1;
    while (i < len) {
        size_t j = i;
        while (j < len && body[j] != '&')
            j++;
        if (j - i > kl && memcmp(body + i, key, kl) == 0 && body[i + kl] == '=') {
            size_t k, o = 0;
            for (k = i + kl + 1; k < j; k++) {
                int c = (unsigned char)body[k];
                if (o + 1 >= cap)
                    return -1;
                if (c == '+') {
                    c = ' ';
                } else if (c == '%') {
                    int hi, lo;
                    if (k + 2 >= j)
                        return -1;
                    hi = hexval(body[k + 1]);
                    lo = hexval(body[k + 2]);
                    if (hi < 0 || lo < 0)
                        return -1;
                    c = hi * 16 + lo;
                    k += 2;
                }
                if (c == 0)
                    return -1;
                out[o++] = (char)c;
            }
            out[o] = '\0';
            return 0;
        }
        i = j + 1;
    }
    return -1;
}
