/* Analysis -> store rows through the store's conversion (see convert.h). */
#include <string.h>

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
    return 0;
}

void bstep__stored_analysis_free(bstep__stored_analysis *x)
{
    bstep__stored_parts_free(&x->sp);
    memset(x, 0, sizeof(*x));
}
