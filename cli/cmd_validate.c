/* Being written (issue 2). */
typedef int bstep__placeholder_cmd_validate;
