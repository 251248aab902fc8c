// Splitting one CSV line into fields: with AVX2, 32 bytes at a time, each block's commas found
// with one compare and read off as bits; otherwise (and for the rest of a line from a quote on),
// each field's end is found with SSE2 compares and a movemask (the first ',', '"', CR or LF). The rules are
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

/// The field-by-field split, from offset `i` with `fields` fields already written: every line
/// when the processor has no AVX2, and the rest of a line the AVX2 path hands over (at a quote,
/// or near the end of the chunk).
static long split_fields(const uint8_t *data, size_t start, size_t i, size_t fields, size_t count, long *begins,
                         long *ends, size_t capacity, size_t max_field_bytes, size_t *line_end) {
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

#if defined(__x86_64__)
#include <immintrin.h>

/// The plain fields of a line, 32 bytes at a time: one compare per delimiter per block gives a
/// mask of its commas and one of its quotes and line ends, and each comma before the first of
/// those ends a field (a bit scan, not a search per field). At a quote, or within 32 bytes of the
/// chunk's end, the rest of the line is split field by field.
__attribute__((target("avx2,bmi"))) static long split_avx2(const uint8_t *data, size_t start, size_t count, long *begins,
                                                           long *ends, size_t capacity, size_t max_field_bytes,
                                                           size_t *line_end) {
    const __m256i comma = _mm256_set1_epi8(','), lf = _mm256_set1_epi8('\n');
    const __m256i cr = _mm256_set1_epi8('\r'), quote = _mm256_set1_epi8('"');
    size_t fields = 0, field = start, base = start;
    while (base + 32 <= count) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(data + base));
        uint32_t commas = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, comma));
        uint32_t stops = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr)), _mm256_cmpeq_epi8(v, quote)));
        // The commas before the block's first stop (all of them when it has none).
        uint32_t before = stops ? (stops & (0u - stops)) - 1 : 0xFFFFFFFFu;
        uint32_t c = commas & before;
        while (c) {
            size_t p = base + (size_t)__builtin_ctz(c);
            if (p - field > max_field_bytes) return -1;
            if (fields == capacity) return -2;
            begins[fields] = (long)(field - start);
            ends[fields] = (long)(p - start);
            fields++;
            field = p + 1;
            c &= c - 1;
        }
        if (stops) {
            size_t p = base + (size_t)__builtin_ctz(stops);
            if (data[p] == '"') break;
            if (p - field > max_field_bytes) return -1;
            if (fields == capacity) return -2;
            begins[fields] = (long)(field - start);
            ends[fields] = (long)(p - start);
            *line_end = p;
            return (long)(fields + 1);
        }
        base += 32;
    }
    return split_fields(data, start, field, fields, count, begins, ends, capacity, max_field_bytes, line_end);
}

static int has_avx2(void) {
    static int known = -1;
    if (known < 0) known = __builtin_cpu_supports("avx2") ? 1 : 0;
    return known;
}
#endif

long vigil_csv_split_line(const uint8_t *data, size_t start, size_t count, long *begins, long *ends, size_t capacity,
                          size_t max_field_bytes, size_t *line_end) {
#if defined(__x86_64__)
    if (has_avx2()) return split_avx2(data, start, count, begins, ends, capacity, max_field_bytes, line_end);
#endif
    return split_fields(data, start, start, 0, count, begins, ends, capacity, max_field_bytes, line_end);
}
