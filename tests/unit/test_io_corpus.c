#include "harness.h"
BSTEP_TEST(todo) {}
BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(todo))
