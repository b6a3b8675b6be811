/*
 * lisp_mapcache_heap.c - binary min-heap of slots by (expires, slot).
 *
 * The head is both the next expiry (O(1) lisp_mapcache_next_expiry) and the eviction
 * victim. Each entry's position lives beside it in the slab so that removing or re-timing
 * an arbitrary entry is O(log n). The slot number breaks ties, which keeps the order of
 * expiry and eviction deterministic.
 */
#include "lisp_mapcache_internal.h"

static bool before(const lisp_mapcache *mc, uint32_t a, uint32_t b)
{
    lisp_time_t ea = lisp_mapcache_slot(&mc->slab, a)->expires;
    lisp_time_t eb = lisp_mapcache_slot(&mc->slab, b)->expires;
    return ea < eb || (ea == eb && a < b);
}

static void place(lisp_mapcache *mc, uint32_t at, uint32_t slot)
{
    mc->heap.a[at] = slot;
    *lisp_mapcache_slot_pos(&mc->slab, slot) = at;
}

static void sift_up(lisp_mapcache *mc, uint32_t at)
{
    uint32_t slot = mc->heap.a[at];
    while (at > 0) {
        uint32_t parent = (at - 1) / 2;
        if (!before(mc, slot, mc->heap.a[parent]))
            break;
        place(mc, at, mc->heap.a[parent]);
        at = parent;
    }
    place(mc, at, slot);
}

static void sift_down(lisp_mapcache *mc, uint32_t at)
{
    uint32_t slot = mc->heap.a[at], n = mc->heap.n;
    for (;;) {
        uint32_t child = 2 * at + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(mc, mc->heap.a[child + 1], mc->heap.a[child]))
            child++;
        if (!before(mc, mc->heap.a[child], slot))
            break;
        place(mc, at, mc->heap.a[child]);
        at = child;
    }
    place(mc, at, slot);
}

int lisp_mapcache_heap_reserve(lisp_mapcache *mc, uint32_t n)
{
    uint32_t cap;
    uint32_t *a;

    if (n <= mc->heap.cap)
        return LISP_OK;
    cap = mc->heap.cap ? mc->heap.cap : 4;
    while (cap < n)
        cap = cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2;
    a = lisp_mem_realloc(&mc->mem, mc->heap.a, (size_t)mc->heap.cap * sizeof *a,
                         (size_t)cap * sizeof *a);
    if (!a)
        return LISP_ERR_NOMEM;
    mc->heap.a = a;
    mc->heap.cap = cap;
    return LISP_OK;
}

void lisp_mapcache_heap_push(lisp_mapcache *mc, uint32_t slot)
{
    mc->heap.a[mc->heap.n++] = slot;
    sift_up(mc, mc->heap.n - 1);
}

void lisp_mapcache_heap_update(lisp_mapcache *mc, uint32_t slot)
{
    uint32_t at = *lisp_mapcache_slot_pos(&mc->slab, slot);
    sift_up(mc, at);
    sift_down(mc, *lisp_mapcache_slot_pos(&mc->slab, slot));
}

void lisp_mapcache_heap_remove(lisp_mapcache *mc, uint32_t slot)
{
    uint32_t at = *lisp_mapcache_slot_pos(&mc->slab, slot);
    uint32_t last = mc->heap.a[--mc->heap.n];

    if (at < mc->heap.n) {
        place(mc, at, last);
        lisp_mapcache_heap_update(mc, last);
    }
    /* Give memory back when the cache shrank a lot (best effort: keeping it is fine). */
    if (mc->heap.cap > 16 && mc->heap.n < mc->heap.cap / 4) {
        uint32_t cap = mc->heap.cap / 2;
        uint32_t *a = lisp_mem_realloc(&mc->mem, mc->heap.a, (size_t)mc->heap.cap * sizeof *a,
                                       (size_t)cap * sizeof *a);
        if (a) {
            mc->heap.a = a;
            mc->heap.cap = cap;
        }
    }
}

void lisp_mapcache_heap_free(lisp_mapcache *mc)
{
    lisp_mem_free(&mc->mem, mc->heap.a, (size_t)mc->heap.cap * sizeof *mc->heap.a);
    mc->heap.a = NULL;
    mc->heap.n = mc->heap.cap = 0;
}
