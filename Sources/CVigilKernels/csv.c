// Splitting one CSV line into fields, sixteen bytes at a time: each field's end is found with
// SSE2 compares and a movemask (the first ',', '"', CR or LF), not byte by byte. The rules are
// those of CSVReader's in-place path, which this replaces: plain fields, and quoted fields with
// no doubled quote and no line break inside.
#include "CVigilKernels.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The offset of the first byte at or after `i` (before `count`) equal to one of a, b, c or d;
/// `count` when none is.
static inline size_t find_any(const uint8_t *data, size_t i, size_t count, uint8_t a, uint8_t b, uint8_t c,
                              uint8_t d) {
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    while (i + 16 <= count) {
        __m128i v = _mm_loadu_si128((const __m128i *)(data + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask) return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < count) {
        uint8_t x = data[i];
        if (x == a || x == b || x == c || x == d) return i;
        i++;
    }
    return count;
}

long vigil_csv_split_line(const uint8_t *data, size_t start, size_t count, long *begins, long *ends, size_t capacity,
                          size_t max_field_bytes, size_t *line_end) {
    size_t i = start;
    size_t fields = 0;
    for (;;) {
        size_t begin = i, stop;
        if (i < count && data[i] == '"') {
            // A simply quoted field: up to the next quote, with no line break before it.
            begin = i + 1;
            stop = find_any(data, begin, count, '"', '\n', '\r', '"');
            if (stop >= count || data[stop] != '"') return -1;
            i = stop + 1;
        } else {
            i = find_any(data, i, count, ',', '\n', '\r', '"');
            stop = i;
        }
        if (i >= count || stop - begin > max_field_bytes) return -1;
        if (fields == capacity) return -2;
        begins[fields] = (long)(begin - start);
        ends[fields] = (long)(stop - start);
        fields++;
        uint8_t x = data[i];
        if (x == ',') {
            i++;
            continue;
        }
        if (x == '\n' || x == '\r') {
            *line_end = i;
            return (long)fields;
        }
        // A quote inside a field, or text after a closing quote.
        return -1;
    }
}
