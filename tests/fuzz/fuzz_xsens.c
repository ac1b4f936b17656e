/* libFuzzer target: the xsens reader from memory (see fuzz_common.h for the invariants). */
#include "fuzz_common.h"

static int open_xsens(bstep_reader **r, const uint8_t *data, size_t size, void *ctx)
{
    (void)ctx;
    return bstep__reader_open_mem(r, data, size, BSTEP_FORMAT_XSENS, "fuzz", NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check(open_xsens, data, size, NULL);
    return 0;
}
