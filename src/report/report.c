/* Being written (issue 2). */
typedef int bstep__placeholder_report;
