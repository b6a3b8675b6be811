/*
 * lisp_mapcache_slab.c - entry storage by slot number.
 *
 * Slots never move once their page is full-sized, so slot numbers are stable handles for
 * the LPM and the heap, and turning a slot into an entry pointer is a shift, a load and an
 * add on the lookup path. Freed slots are reused before new ones; pages are kept until the
 * cache is freed (the high-water mark is bounded by max_entries).
 */
#include <string.h>

#include "lisp_mapcache_internal.h"

#define SLOT_BYTES (sizeof(lisp_mapcache_entry) + sizeof(uint32_t))

/* Double page 0 (entries, then positions), moving the positions behind the new entries. */
static int grow_page0(lisp_mapcache_slab *s, lisp_mem *mem)
{
    uint32_t cap = s->cap0 ? s->cap0 * 2 : 4;
    uint8_t *p;

    if (cap > MC_PAGE_SLOTS)
        cap = MC_PAGE_SLOTS;
    if (s->n_pages == 0) {
        uint8_t **pages = lisp_mem_alloc(mem, sizeof *pages);
        if (!pages)
            return LISP_ERR_NOMEM;
        s->pages = pages;
        s->pages[0] = NULL;
        s->n_pages = 1;
    }
    p = lisp_mem_realloc(mem, s->pages[0], (size_t)s->cap0 * SLOT_BYTES, (size_t)cap * SLOT_BYTES);
    if (!p)
        return LISP_ERR_NOMEM;
    memmove(p + (size_t)cap * sizeof(lisp_mapcache_entry),
            p + (size_t)s->cap0 * sizeof(lisp_mapcache_entry), (size_t)s->cap0 * sizeof(uint32_t));
    s->pages[0] = p;
    s->cap0 = cap;
    return LISP_OK;
}

static int add_page(lisp_mapcache_slab *s, lisp_mem *mem)
{
    uint8_t **pages;
    uint8_t *p = lisp_mem_alloc(mem, (size_t)MC_PAGE_SLOTS * SLOT_BYTES);

    if (!p)
        return LISP_ERR_NOMEM;
    pages = lisp_mem_realloc(mem, s->pages, (size_t)s->n_pages * sizeof *pages,
                             (size_t)(s->n_pages + 1) * sizeof *pages);
    if (!pages) {
        lisp_mem_free(mem, p, (size_t)MC_PAGE_SLOTS * SLOT_BYTES);
        return LISP_ERR_NOMEM;
    }
    pages[s->n_pages++] = p;
    s->pages = pages;
    return LISP_OK;
}

int lisp_mapcache_slab_alloc(lisp_mapcache_slab *s, lisp_mem *mem, uint32_t *slot)
{
    uint32_t i;

    if (s->free_head != MC_NONE) {
        i = s->free_head;
        s->free_head = (uint32_t)lisp_mapcache_slot(s, i)->user;
        *slot = i;
        return LISP_OK;
    }
    i = s->used;
    if (i == MC_NONE)
        return LISP_ERR_NOMEM; /* slot numbers exhausted */
    if (i < MC_PAGE_SLOTS) {
        if (i == s->cap0 && grow_page0(s, mem) < 0)
            return LISP_ERR_NOMEM;
    } else if ((i >> MC_PAGE_BITS) >= s->n_pages && add_page(s, mem) < 0) {
        return LISP_ERR_NOMEM;
    }
    s->used++;
    *slot = i;
    return LISP_OK;
}

void lisp_mapcache_slab_release(lisp_mapcache_slab *s, uint32_t slot)
{
    lisp_mapcache_entry *e = lisp_mapcache_slot(s, slot);

    memset(e, 0, sizeof *e);
    e->user = s->free_head;
    s->free_head = slot;
}

void lisp_mapcache_slab_free(lisp_mapcache_slab *s, lisp_mem *mem)
{
    uint32_t p;

    for (p = 0; p < s->n_pages; p++)
        lisp_mem_free(mem, s->pages[p], (size_t)lisp_mapcache_slab_page_cap(s, p) * SLOT_BYTES);
    lisp_mem_free(mem, s->pages, (size_t)s->n_pages * sizeof *s->pages);
    memset(s, 0, sizeof *s);
    s->free_head = MC_NONE;
}
