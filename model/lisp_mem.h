/*
 * lisp_mem.h - an injected allocator with byte accounting (internal).
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

/* Use the given functions; all three NULL selects the C library's allocator. */
static inline void lisp_mem_init(lisp_mem *m, void *(*alloc)(size_t, void *),
                                 void *(*re)(void *, size_t, void *), void (*fr)(void *, void *),
                                 void *user_data)
{
    if (!alloc || !re || !fr) {
        alloc = lisp_mem_libc_malloc;
        re = lisp_mem_libc_realloc;
        fr = lisp_mem_libc_free;
        user_data = NULL;
    }
    m->malloc = alloc;
    m->realloc = re;
    m->free = fr;
    m->user_data = user_data;
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

#endif /* LISP_MEM_H */
