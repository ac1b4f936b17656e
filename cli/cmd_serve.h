/* `backstep serve` (the dashboard, REST API and live ingest) and `backstep token` (access). */
#ifndef BSTEP_CLI_CMD_SERVE_H
#define BSTEP_CLI_CMD_SERVE_H

/** Entry points; argv[0] is the command name. Return a BSTEP_EXIT_* code (cli.h). */
int bstep_cmd_serve(int argc, char **argv);
int bstep_cmd_token(int argc, char **argv);

#endif
