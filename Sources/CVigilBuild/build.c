#include "CVigilBuild.h"
#ifndef VIGIL_COMMIT
#define VIGIL_COMMIT "unknown"
#endif
const char *vigil_build_commit(void) { return VIGIL_COMMIT; }
