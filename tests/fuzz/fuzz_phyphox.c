/* libFuzzer target: the phyphox reader from memory, single CSV or (input starting "PK") zip. */
#include "fuzz_common.h"

static int open_phyphox(bstep_reader **r, const uint8_t *data, size_t size, void *ctx)
{
    (void)ctx;
    return bstep__reader_open_mem(r, data, size, BSTEP_FORMAT_PHYPHOX, "fuzz", NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check(open_phyphox, data, size, NULL);
    return 0;
}
