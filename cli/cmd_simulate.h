/* `backstep simulate`: synthetic recordings with exact truth (docs/simulation.md). */
#ifndef BSTEP_CLI_CMD_SIMULATE_H
#define BSTEP_CLI_CMD_SIMULATE_H

/** Entry point; argv[0] is "simulate". Returns a BSTEP_EXIT_* code (cli.h). */
int bstep_cmd_simulate(int argc, char **argv);

#endif
