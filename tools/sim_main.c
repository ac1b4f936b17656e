/* Stand-alone `backstep-simulate` (same as `backstep simulate`), built with the simulator tests so
 * the simulator can be used before/without the main command's dispatch. */
#include <locale.h>

#include "cmd_simulate.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C");
    return bstep_cmd_simulate(argc, argv);
}
