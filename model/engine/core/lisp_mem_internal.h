/*
 * lisp_mem_internal.h - an injected allocator with byte accounting (internal).
 *
 * Engines that own memory (the map-cache) take their allocator from the host, so that
 * ns-3 can account per node and tests can inject failures, and report what they hold.
 * Every allocation goes through these helpers with its size, so `bytes` is exact: the
 * sum of the sizes requested and not yet freed (allocator overhead is not included).
 */
#ifndef LISP_MEM_H
#define LISP_MEM_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_types.h"

typedef struct lisp_mem {
    void *(*malloc)(size_t size, void *user_data);
    void *(*realloc)(void *ptr, size_t size, void *user_data);
    void (*free)(void *ptr, void *user_data);
    void *user_data;
    size_t bytes; /* currently held */
} lisp_mem;

static inline void *lisp_mem_libc_malloc(size_t size, void *user_data)
{
    (void)user_data;
    return malloc(size);
}

static inline void *lisp_mem_libc_realloc(void *ptr, size_t size, void *user_data)
{
    (void)user_data;
    return realloc(ptr, size);
}

static inline void lisp_mem_libc_free(void *ptr, void *user_data)
{
    (void)user_data;
    free(ptr);
}

/* Use the host's allocator a; NULL (or one with a function missing) selects the C
 * library's. */
static inline void lisp_mem_init(lisp_mem *m, const lisp_allocator *a)
{
    if (a && a->malloc && a->realloc && a->free) {
        m->malloc = a->malloc;
        m->realloc = a->realloc;
        m->free = a->free;
        m->user_data = a->user_data;
    } else {
        m->malloc = lisp_mem_libc_malloc;
        m->realloc = lisp_mem_libc_realloc;
        m->free = lisp_mem_libc_free;
        m->user_data = NULL;
    }
    m->bytes = 0;
}

static inline void *lisp_mem_alloc(lisp_mem *m, size_t size)
{
    void *p = m->malloc(size ? size : 1, m->user_data);
    if (p)
        m->bytes += size;
    return p;
}

/* Like realloc: on failure returns NULL and leaves `ptr` (of old_size bytes) intact. */
static inline void *lisp_mem_realloc(lisp_mem *m, void *ptr, size_t old_size, size_t new_size)
{
    void *p = m->realloc(ptr, new_size ? new_size : 1, m->user_data);
    if (p)
        m->bytes = m->bytes - old_size + new_size;
    return p;
}

static inline void lisp_mem_free(lisp_mem *m, void *ptr, size_t size)
{
    if (!ptr)
        return;
    m->free(ptr, m->user_data);
    m->bytes -= size;
}

/* An engine object: a fresh lisp_mem on allocator a (*mem, which the caller keeps inside
 * the object so that freeing it accounts correctly) and a zeroed block of size bytes
 * from it. NULL on allocation failure. */
static inline void *lisp_mem_new_object(lisp_mem *mem, const lisp_allocator *a, size_t size)
{
    void *p;

    lisp_mem_init(mem, a);
    p = lisp_mem_alloc(mem, size);
    if (p)
        memset(p, 0, size);
    return p;
}

#endif /* LISP_MEM_H */
