#include <stdio.h>
int main(void) { puts("backstep: being written"); return 0; }
