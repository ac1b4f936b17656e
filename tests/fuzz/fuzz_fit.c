/* libFuzzer target: the fit activity reader from memory (see fuzz_activity_common.h). */
#include "fuzz_activity_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_act_check(data, size, BSTEP_FORMAT_FIT);
    return 0;
}
