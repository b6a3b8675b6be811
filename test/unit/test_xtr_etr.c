#include "lisp_xtr_harness.h"
int main(void) { return 0; }
