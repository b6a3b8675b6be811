/*
 * lisp_mapcache_internal.h - the parts of a map-cache and how they refer to each other
 * (internal).
 *
 *   tables   (iid, afi) -> lisp_lpm, sorted; each LPM maps a prefix to an entry slot
 *   slab     entries by slot number: stable slots, paged, free list
 *   heap     slot numbers ordered by (expires, slot): next expiry and eviction in O(1)
 *   locsets  interned locator sets, reference counted; entries point at their locators
 *
 * Slot numbers, not pointers, link the parts: the LPM stores 32-bit values, and page 0 of
 * the slab may move while a small cache grows.
 */
#ifndef LISP_MAPCACHE_INTERNAL_H
#define LISP_MAPCACHE_INTERNAL_H

#include "lisp_lpm_internal.h"
#include "lisp_mapcache.h"
#include "lisp_mem_internal.h"

#define MC_NONE UINT32_MAX

/* ---- slab (lisp_mapcache_slab.c) ---- */

#define MC_PAGE_BITS 12
#define MC_PAGE_SLOTS (1u << MC_PAGE_BITS)

/* A page holds `cap` entries followed by their `cap` heap positions. Page 0 starts small
 * and doubles up to MC_PAGE_SLOTS, so a cache of ten entries does not pay for 4096. */
typedef struct lisp_mapcache_slab {
    uint8_t **pages;
    uint32_t n_pages;
    uint32_t cap0;      /* slots of page 0 */
    uint32_t used;      /* slots handed out at least once */
    uint32_t free_head; /* free slots chained through entry.user; MC_NONE ends */
} lisp_mapcache_slab;

static inline uint32_t lisp_mapcache_slab_page_cap(const lisp_mapcache_slab *s, uint32_t page)
{
    return page ? MC_PAGE_SLOTS : s->cap0;
}

static inline lisp_mapcache_entry *lisp_mapcache_slot(const lisp_mapcache_slab *s, uint32_t i)
{
    return (lisp_mapcache_entry *)(void *)s->pages[i >> MC_PAGE_BITS] + (i & (MC_PAGE_SLOTS - 1));
}

static inline uint32_t *lisp_mapcache_slot_pos(const lisp_mapcache_slab *s, uint32_t i)
{
    uint32_t page = i >> MC_PAGE_BITS;
    uint8_t *p =
        s->pages[page] + (size_t)lisp_mapcache_slab_page_cap(s, page) * sizeof(lisp_mapcache_entry);
    return (uint32_t *)(void *)p + (i & (MC_PAGE_SLOTS - 1));
}

/* A free slot (LISP_ERR_NOMEM when a page cannot be added). Page 0 may move. */
int lisp_mapcache_slab_alloc(lisp_mapcache_slab *s, lisp_mem *mem, uint32_t *slot);
/* Return a slot to the free list. */
void lisp_mapcache_slab_release(lisp_mapcache_slab *s, uint32_t slot);
void lisp_mapcache_slab_free(lisp_mapcache_slab *s, lisp_mem *mem);

/* ---- locator sets (lisp_mapcache_locset.c) ---- */

typedef struct lisp_mapcache_locset lisp_mapcache_locset;

typedef struct lisp_mapcache_locsets {
    lisp_mapcache_locset **slots; /* open addressing, linear probing; NULL = empty */
    uint32_t cap;                 /* power of two, or 0 */
    uint32_t n;
} lisp_mapcache_locsets;

/* Validate n locators (afi IPv4/IPv6) and return the shared copy of their set, taking a
 * reference (*out is NULL for n == 0). LISP_ERR_INVALID_ARG or LISP_ERR_NOMEM. */
int lisp_mapcache_locset_get(lisp_mapcache_locsets *ls, lisp_mem *mem,
                             const lisp_mapcache_loc *locs, unsigned n,
                             const lisp_mapcache_loc **out);
/* Drop a reference taken by lisp_mapcache_locset_get (NULL is ignored). */
void lisp_mapcache_locset_put(lisp_mapcache_locsets *ls, lisp_mem *mem,
                              const lisp_mapcache_loc *locs);
void lisp_mapcache_locset_free(lisp_mapcache_locsets *ls, lisp_mem *mem);
/* Bytes held by the sets and their index; *locators receives the locators stored. */
size_t lisp_mapcache_locset_bytes(const lisp_mapcache_locsets *ls, size_t *locators);

/* ---- the cache ---- */

typedef struct lisp_mapcache_table {
    uint64_t key; /* iid << 16 | afi: the sort order */
    lisp_lpm *lpm;
} lisp_mapcache_table;

typedef struct lisp_mapcache_heap {
    uint32_t *a; /* slot numbers */
    uint32_t n, cap;
} lisp_mapcache_heap;

struct lisp_mapcache {
    lisp_mem mem;
    uint32_t max_entries;
    uint32_t count;
    lisp_mapcache_entry_cb *on_evict;
    void *evict_user;
    uint8_t direct_bits;
    lisp_mapcache_table *tables;
    uint32_t n_tables, cap_tables;
    lisp_mapcache_slab slab;
    lisp_mapcache_heap heap;
    lisp_mapcache_locsets locsets;
};

/* ---- expiry heap (lisp_mapcache_heap.c) ---- */

/* Room for n slots, so that a later push cannot fail. */
int lisp_mapcache_heap_reserve(lisp_mapcache *mc, uint32_t n);
void lisp_mapcache_heap_push(lisp_mapcache *mc, uint32_t slot);
void lisp_mapcache_heap_remove(lisp_mapcache *mc, uint32_t slot);
/* Restore the order after the slot's expires changed. */
void lisp_mapcache_heap_update(lisp_mapcache *mc, uint32_t slot);
void lisp_mapcache_heap_free(lisp_mapcache *mc);

static inline uint32_t lisp_mapcache_heap_top(const lisp_mapcache *mc)
{
    return mc->heap.n ? mc->heap.a[0] : MC_NONE;
}

/* Remove the entry in `slot` from every part (never fails). */
void lisp_mapcache_remove_slot(lisp_mapcache *mc, uint32_t slot);

/* Address bytes of an EID AFI (4 or 16), 0 for any other AFI. */
static inline unsigned lisp_mapcache_afi_bytes(uint16_t afi)
{
    return afi == LISP_AFI_IPV4 ? 4 : afi == LISP_AFI_IPV6 ? 16 : 0;
}

/* Zero the bits of addr[0..nbytes) beyond the first len. */
static inline void lisp_mapcache_clear_host_bits(uint8_t *addr, unsigned nbytes, unsigned len)
{
    unsigned i;
    for (i = 0; i < nbytes; i++) {
        if (len >= 8 * (i + 1))
            continue;
        addr[i] &= len > 8 * i ? (uint8_t)(0xFFu << (8 - (len - 8 * i))) : 0;
    }
}

/* Validate a prefix (AFI, mask_len, host bits zero) and give its LPM key. */
int lisp_mapcache_prefix_key(const lisp_eid *p, lisp_lpm_key *key);

static inline uint64_t lisp_mapcache_table_key(uint32_t iid, uint16_t afi)
{
    return ((uint64_t)iid << 16) | afi;
}

/* The LPM of (iid, afi), or NULL when nothing is stored there. */
static inline lisp_lpm *lisp_mapcache_lpm_of(const lisp_mapcache *mc, uint32_t iid, uint16_t afi)
{
    uint64_t key = lisp_mapcache_table_key(iid, afi);
    uint32_t lo = 0, hi = mc->n_tables;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (mc->tables[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < mc->n_tables && mc->tables[lo].key == key ? mc->tables[lo].lpm : NULL;
}

#endif /* LISP_MAPCACHE_INTERNAL_H */
