/* Streaming JSON writer; see jsonw.h. */
#include <inttypes.h>
#include <math.h>

#include "internal/jsonw.h"

void bstep__jsonw_init(bstep__jsonw *w, FILE *f, int pretty_depth)
{
    int i;
    w->f = f;
    w->depth = 0;
    w->pretty_depth = pretty_depth;
    w->after_key = 0;
    for (i = 0; i < BSTEP__JSONW_MAX_DEPTH; i++)
        w->count[i] = 0;
}

static void newline(bstep__jsonw *w, int depth)
{
    int i;
    fputc('\n', w->f);
    for (i = 0; i < depth; i++)
        fputs("  ", w->f);
}

/* Separator and layout before a value or a key at the current level. */
static void before_item(bstep__jsonw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->count[w->depth]++ > 0)
            fputc(',', w->f);
        if (w->depth <= w->pretty_depth)
            newline(w, w->depth);
        else if (w->count[w->depth] > 1)
            fputc(' ', w->f);
    }
}

static void open_container(bstep__jsonw *w, char c)
{
    before_item(w);
    fputc(c, w->f);
    if (w->depth + 1 < BSTEP__JSONW_MAX_DEPTH)
        w->depth++;
    w->count[w->depth] = 0;
}

static void close_container(bstep__jsonw *w, char c)
{
    const int had = w->count[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (had > 0 && w->depth + 1 <= w->pretty_depth)
        newline(w, w->depth);
    fputc(c, w->f);
    if (w->depth == 0)
        fputc('\n', w->f);
}

void bstep__jsonw_object_begin(bstep__jsonw *w)
{
    open_container(w, '{');
}
void bstep__jsonw_object_end(bstep__jsonw *w)
{
    close_container(w, '}');
}
void bstep__jsonw_array_begin(bstep__jsonw *w)
{
    open_container(w, '[');
}
void bstep__jsonw_array_end(bstep__jsonw *w)
{
    close_container(w, ']');
}

void bstep__json_escape(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", (unsigned)*p);
            else
                fputc(*p, f);
        }
    }
}

void bstep__jsonw_key(bstep__jsonw *w, const char *key)
{
    before_item(w);
    fputc('"', w->f);
    bstep__json_escape(w->f, key);
    fputs("\": ", w->f);
    w->after_key = 1;
}

void bstep__jsonw_string(bstep__jsonw *w, const char *s)
{
    before_item(w);
    if (s == NULL) {
        fputs("null", w->f);
        return;
    }
    fputc('"', w->f);
    bstep__json_escape(w->f, s);
    fputc('"', w->f);
}

void bstep__jsonw_number(bstep__jsonw *w, double v, int decimals)
{
    before_item(w);
    if (!isfinite(v)) {
        fputs("null", w->f);
        return;
    }
    if (v == 0.0)
        v = 0.0; /* no "-0" */
    fprintf(w->f, "%.*f", decimals, v);
}

void bstep__jsonw_int(bstep__jsonw *w, int64_t v)
{
    before_item(w);
    fprintf(w->f, "%" PRId64, v);
}

void bstep__jsonw_bool(bstep__jsonw *w, int v)
{
    before_item(w);
    fputs(v ? "true" : "false", w->f);
}

void bstep__jsonw_null(bstep__jsonw *w)
{
    before_item(w);
    fputs("null", w->f);
}
