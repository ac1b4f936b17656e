/* `backstep energy`: what an activity costs (METs, VO2, kcal; docs/energy.md). */
#ifndef BSTEP_CLI_CMD_ENERGY_H
#define BSTEP_CLI_CMD_ENERGY_H

/** Entry point; argv[0] is "energy". Returns a BSTEP_EXIT_* code (cli.h). */
int bstep_cmd_energy(int argc, char **argv);

#endif
