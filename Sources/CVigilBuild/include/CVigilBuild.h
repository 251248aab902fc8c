#ifndef CVIGILBUILD_H
#define CVIGILBUILD_H
/// The git commit the binaries were built from: `make` passes -Xcc -DVIGIL_COMMIT="…"; "unknown" otherwise.
const char *vigil_build_commit(void);
#endif
