/*
 * libFuzzer target for the server's request-body handling: the Sensor Logger push parser and the
 * live session fed with what it accepts, and the form decoder of the sign-in and check-in forms.
 * The input is split at '\n\x1e' into several push messages sent to one live session in order, so
 * the reorder window, the duplicate checks and the analyzer see hostile sequences too.
 * Invariants: a rejected message leaves nothing allocated and names a field or byte; an accepted
 * one keeps at most its samples; the session ends cleanly; counters add up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/buf.h"
#include "server/ingest.h"
#include "server/live.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bstep__live *l;
    bstep__live_options o;
    const char *p = (const char *)data, *end = p + size;
    uint64_t kept_total = 0, accepted = 0;
    memset(&o, 0, sizeof(o));
    o.placement = size > 0 && (data[0] & 1) ? BSTEP_PLACEMENT_FOOT_RIGHT : BSTEP_PLACEMENT_POCKET;
    o.accel_sign = size > 0 && (data[0] & 2) ? -1.0 : 1.0;
    o.reorder_ns = BSTEP__LIVE_DEFAULT_REORDER_NS;
    o.max_events = 1000;
    {
        char out[64];
        (void)bstep__form_value(p, size, "token", out, sizeof(out));
        (void)bstep__form_value(p, size, "pain", out, 4);
    }
    if (bstep__live_open(&l, &o) != 0)
        return 0;
    while (p < end) {
        const char *q = p;
        bstep__ingest_msg m;
        char err[300];
        size_t len;
        while (q + 1 < end && !(q[0] == '\n' && q[1] == '\x1e'))
            q++;
        if (q + 1 >= end)
            q = end;
        len = (size_t)(q - p);
        if (bstep__ingest_parse(p, len, &m, err, sizeof(err)) == 0) {
            bstep__ingest_sample *keep = malloc((m.n_samples + 1) * sizeof(*keep));
            size_t nk = 0;
            if (keep == NULL)
                abort();
            accepted++;
            if (bstep__live_push(l, &m, 0, keep, &nk) < 0)
                abort();
            if (nk > m.n_samples)
                abort();
            kept_total += nk;
            free(keep);
            bstep__ingest_free(&m);
        } else {
            if (m.samples != NULL || err[0] == '\0')
                abort();
        }
        p = q < end ? q + 2 : end;
    }
    if (bstep__live_finish(l, 0) != 0)
        abort();
    {
        bstep__live_counters c = bstep__live_get_counters(l);
        if (c.messages + c.duplicate_messages != accepted)
            abort();
        if (kept_total + c.duplicate_samples > c.samples_received)
            abort();
        if (c.analysed_samples > c.samples_received)
            abort();
    }
    bstep__live_status(l, 0, "ended");
    bstep__live_close(l);
    return 0;
}
