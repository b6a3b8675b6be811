/*
 * lisp_counting_alloc.c - see lisp_counting_alloc.h. A 16-byte header in front of each
 * block remembers its size, so free and realloc can keep the byte count exact.
 */
#include "lisp_counting_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 16

static bool should_fail(lisp_counting_alloc *c)
{
    c->calls++;
    return c->fail_all || (c->fail_at && c->calls == c->fail_at);
}

static void *block_of(size_t *p, size_t size, lisp_counting_alloc *c)
{
    p[0] = size;
    if (c->bytes > c->peak)
        c->peak = c->bytes;
    return (uint8_t *)p + HEADER;
}

static void *count_malloc(size_t size, void *user)
{
    lisp_counting_alloc *c = user;
    size_t *p;
    if (should_fail(c))
        return NULL;
    p = malloc(size + HEADER);
    if (!p)
        return NULL;
    c->bytes += size;
    c->blocks++;
    return block_of(p, size, c);
}

static void count_free(void *ptr, void *user)
{
    lisp_counting_alloc *c = user;
    size_t *p;
    if (!ptr)
        return;
    p = (size_t *)(void *)((uint8_t *)ptr - HEADER);
    c->bytes -= p[0];
    c->blocks--;
    free(p);
}

static void *count_realloc(void *ptr, size_t size, void *user)
{
    lisp_counting_alloc *c = user;
    size_t *p, old;
    if (!ptr)
        return count_malloc(size, user);
    if (should_fail(c))
        return NULL;
    p = (size_t *)(void *)((uint8_t *)ptr - HEADER);
    old = p[0];
    p = realloc(p, size + HEADER);
    if (!p)
        return NULL;
    c->bytes = c->bytes - old + size;
    return block_of(p, size, c);
}

lisp_allocator lisp_counting_alloc_init(lisp_counting_alloc *c)
{
    lisp_allocator a;
    memset(c, 0, sizeof *c);
    a.malloc = count_malloc;
    a.realloc = count_realloc;
    a.free = count_free;
    a.user_data = c;
    return a;
}
