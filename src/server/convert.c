/* Analysis -> store rows through the store's conversion (see convert.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/cues.h"

#include "backstep/status.h"
#include "server/convert.h"

int bstep__analysis_to_store(const bstep__analysis *a, bstep__stored_analysis *x)
{
    memset(x, 0, sizeof(*x));
    bstep__store_session_from_analysis(a, &x->s);
    if (bstep__store_parts_from_analysis(a, &x->sp) != BSTEP_OK) {
        bstep__stored_analysis_free(x);
        return -1;
    }
    x->parts = x->sp.parts;
    /* the cues given during the session (the coach's engine), unless the store's conversion
     * already carries them */
    if (x->parts.n_cues == 0 && a->n_cues > 0) {
        size_t i;
        x->cues = calloc(a->n_cues, sizeof(*x->cues));
        if (x->cues == NULL) {
            bstep__stored_analysis_free(x);
            return -1;
        }
        for (i = 0; i < a->n_cues; i++) {
            x->cues[i].t_s = a->cues[i].t_s;
            snprintf(x->cues[i].kind, sizeof(x->cues[i].kind), "%s",
                     bstep_cue_name(a->cues[i].type));
            snprintf(x->cues[i].message, sizeof(x->cues[i].message), "%s",
                     bstep_cue_text(a->cues[i].type));
        }
        x->parts.cues = x->cues;
        x->parts.n_cues = a->n_cues;
    }
    return 0;
}

void bstep__stored_analysis_free(bstep__stored_analysis *x)
{
    free(x->cues);
    bstep__stored_parts_free(&x->sp);
    memset(x, 0, sizeof(*x));
}
