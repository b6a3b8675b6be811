/*
 * lisp_counting_alloc.h - a lisp_allocator that counts what an engine holds, and fails on
 * request. The map-cache tests check exact byte accounting and every allocation-failure
 * path with it; bench_mapcache reports bytes and blocks per prefix with it.
 */
#ifndef LISP_COUNTING_ALLOC_H
#define LISP_COUNTING_ALLOC_H

#include "lisp_types.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct lisp_counting_alloc {
    size_t bytes;  /* requested and not yet freed */
    size_t peak;   /* the most bytes held at once */
    size_t blocks; /* blocks held */
    long calls;    /* malloc and realloc calls so far */
    long fail_at;  /* fail the call with this number (1-based); 0: never */
    bool fail_all;
} lisp_counting_alloc;

/* Zero the counters and return an allocator that counts into c. */
lisp_allocator lisp_counting_alloc_init(lisp_counting_alloc *c);

#endif /* LISP_COUNTING_ALLOC_H */
