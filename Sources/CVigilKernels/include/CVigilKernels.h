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
/// Splits the CSV line that starts at `data[start]` into fields, as CSVReader's in-place path
/// does: plain fields, or quoted ones with no doubled quote and no line break inside. Writes each
/// field's bounds (relative to `start`, a quoted field's without its quotes) into `begins` and
/// `ends`, sets `*line_end` to the offset of the line's CR or LF, and returns the number of
/// fields. Returns -1 when the line must be read byte by byte (a doubled or stray quote, a line
/// break inside quotes, no line end before `count`, a field over `max_field_bytes`) and -2 when
/// it has more than `capacity` fields.
long vigil_csv_split_line(const uint8_t *data, size_t start, size_t count, long *begins, long *ends,
                          size_t capacity, size_t max_field_bytes, size_t *line_end);
/// Asks the processor to start loading the cache line at `address` (a hint: no effect on results).
static inline void vigil_prefetch(const void *address) { __builtin_prefetch(address, 1, 3); }
#endif
