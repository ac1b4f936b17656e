/* Being written (issue 2). */
#include "backstep/analyzer.h"
