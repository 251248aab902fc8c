#ifndef CVIGILKERNELS_H
#define CVIGILKERNELS_H
#include <stddef.h>
#include <stdint.h>
/// Whether this processor has the SHA extensions (x86-64 SHA-NI with SSE4.1) that
/// vigil_sha256_blocks uses.
int vigil_sha256_hardware(void);
/// Runs the SHA-256 compression over `blocks` 64-byte blocks of `data`, updating `state` (the
/// eight working words, FIPS 180-4 order). Only call when vigil_sha256_hardware() returned 1.
void vigil_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);
/// Asks the processor to start loading the cache line at `address` (a hint: no effect on results).
static inline void vigil_prefetch(const void *address) { __builtin_prefetch(address, 1, 3); }
#endif
