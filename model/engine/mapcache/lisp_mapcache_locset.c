/*
 * lisp_mapcache_locset.c - interned locator sets.
 *
 * A million prefixes typically point at a few thousand distinct locator sets (sites
 * announce many prefixes behind the same RLOCs), so each distinct set is stored once with
 * a reference count and entries point at it. Sets are compared by content in order, after
 * clearing the unused bytes of IPv4 addresses.
 */
#include <stddef.h>
#include <string.h>

#include "lisp_mapcache_internal.h"

struct lisp_mapcache_locset {
    uint32_t refs;
    uint32_t hash;
    uint16_t n;
    lisp_mapcache_loc locs[];
};

static size_t set_bytes(unsigned n)
{
    return offsetof(lisp_mapcache_locset, locs) + (size_t)n * sizeof(lisp_mapcache_loc);
}

static lisp_mapcache_locset *set_of(const lisp_mapcache_loc *locs)
{
    return (lisp_mapcache_locset *)(void *)((uint8_t *)(uintptr_t)locs -
                                            offsetof(lisp_mapcache_locset, locs));
}

static lisp_mapcache_loc canonical(const lisp_mapcache_loc *in)
{
    lisp_mapcache_loc c = *in;
    if (c.afi == LISP_AFI_IPV4)
        memset(c.addr + 4, 0, sizeof c.addr - 4);
    return c;
}

/* FNV-1a over the canonical bytes (the struct has no padding), then a final mix so that
 * the low bits used for the table index depend on every byte. */
static uint32_t set_hash(const lisp_mapcache_loc *locs, unsigned n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    unsigned i, b;

    for (i = 0; i < n; i++) {
        lisp_mapcache_loc c = canonical(&locs[i]);
        const uint8_t *p = (const uint8_t *)&c;
        for (b = 0; b < sizeof c; b++)
            h = (h ^ p[b]) * 0x100000001b3ull;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return (uint32_t)h;
}

static bool set_equal(const lisp_mapcache_locset *s, const lisp_mapcache_loc *locs, unsigned n)
{
    unsigned i;

    if (s->n != n)
        return false;
    for (i = 0; i < n; i++) {
        lisp_mapcache_loc c = canonical(&locs[i]);
        if (memcmp(&s->locs[i], &c, sizeof c) != 0)
            return false;
    }
    return true;
}

static int resize(lisp_mapcache_locsets *ls, lisp_mem *mem, uint32_t cap)
{
    lisp_mapcache_locset **slots = lisp_mem_alloc(mem, (size_t)cap * sizeof *slots);
    uint32_t i;

    if (!slots)
        return LISP_ERR_NOMEM;
    memset(slots, 0, (size_t)cap * sizeof *slots);
    for (i = 0; i < ls->cap; i++) {
        lisp_mapcache_locset *s = ls->slots[i];
        uint32_t j;
        if (!s)
            continue;
        for (j = s->hash & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
            ;
        slots[j] = s;
    }
    lisp_mem_free(mem, ls->slots, (size_t)ls->cap * sizeof *ls->slots);
    ls->slots = slots;
    ls->cap = cap;
    return LISP_OK;
}

int lisp_mapcache_locset_get(lisp_mapcache_locsets *ls, lisp_mem *mem,
                             const lisp_mapcache_loc *locs, unsigned n,
                             const lisp_mapcache_loc **out)
{
    lisp_mapcache_locset *s;
    uint32_t h, j;
    unsigned i;

    *out = NULL;
    if (n == 0)
        return LISP_OK;
    if (!locs || n > LISP_MAPCACHE_MAX_LOCATORS)
        return LISP_ERR_INVALID_ARG;
    for (i = 0; i < n; i++)
        if (locs[i].afi != LISP_AFI_IPV4 && locs[i].afi != LISP_AFI_IPV6)
            return LISP_ERR_INVALID_ARG;

    h = set_hash(locs, n);
    for (j = ls->cap ? h & (ls->cap - 1) : 0; ls->cap && ls->slots[j];
         j = (j + 1) & (ls->cap - 1)) {
        s = ls->slots[j];
        if (s->hash == h && set_equal(s, locs, n)) {
            s->refs++;
            *out = s->locs;
            return LISP_OK;
        }
    }

    /* New set: keep the table at most half full. */
    if ((ls->n + 1) * 2 > ls->cap && resize(ls, mem, ls->cap ? ls->cap * 2 : 8) < 0)
        return LISP_ERR_NOMEM;
    s = lisp_mem_alloc(mem, set_bytes(n));
    if (!s)
        return LISP_ERR_NOMEM;
    s->refs = 1;
    s->hash = h;
    s->n = (uint16_t)n;
    for (i = 0; i < n; i++)
        s->locs[i] = canonical(&locs[i]);
    for (j = h & (ls->cap - 1); ls->slots[j]; j = (j + 1) & (ls->cap - 1))
        ;
    ls->slots[j] = s;
    ls->n++;
    *out = s->locs;
    return LISP_OK;
}

/* Linear-probing delete without tombstones: pull later members of the probe run back into
 * the hole when their home position allows it. */
static void unlink_slot(lisp_mapcache_locsets *ls, uint32_t hole)
{
    uint32_t mask = ls->cap - 1, j = hole;

    ls->slots[hole] = NULL;
    for (;;) {
        lisp_mapcache_locset *s;
        uint32_t home;
        j = (j + 1) & mask;
        s = ls->slots[j];
        if (!s)
            return;
        home = s->hash & mask;
        /* s may move to the hole unless its home lies cyclically in (hole, j]. */
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            ls->slots[hole] = s;
            ls->slots[j] = NULL;
            hole = j;
        }
    }
}

void lisp_mapcache_locset_put(lisp_mapcache_locsets *ls, lisp_mem *mem,
                              const lisp_mapcache_loc *locs)
{
    lisp_mapcache_locset *s;
    uint32_t j;

    if (!locs)
        return;
    s = set_of(locs);
    if (--s->refs)
        return;
    for (j = s->hash & (ls->cap - 1); ls->slots[j] != s; j = (j + 1) & (ls->cap - 1))
        ;
    unlink_slot(ls, j);
    ls->n--;
    lisp_mem_free(mem, s, set_bytes(s->n));
    if (ls->n == 0) {
        lisp_mem_free(mem, ls->slots, (size_t)ls->cap * sizeof *ls->slots);
        ls->slots = NULL;
        ls->cap = 0;
    } else if (ls->cap > 8 && ls->n * 8 < ls->cap) {
        (void)resize(ls, mem, ls->cap / 2); /* best effort */
    }
}

void lisp_mapcache_locset_free(lisp_mapcache_locsets *ls, lisp_mem *mem)
{
    uint32_t i;

    for (i = 0; i < ls->cap; i++)
        if (ls->slots[i])
            lisp_mem_free(mem, ls->slots[i], set_bytes(ls->slots[i]->n));
    lisp_mem_free(mem, ls->slots, (size_t)ls->cap * sizeof *ls->slots);
    ls->slots = NULL;
    ls->cap = ls->n = 0;
}

size_t lisp_mapcache_locset_bytes(const lisp_mapcache_locsets *ls, size_t *locators)
{
    size_t bytes = (size_t)ls->cap * sizeof *ls->slots;
    uint32_t i;

    *locators = 0;
    for (i = 0; i < ls->cap; i++)
        if (ls->slots[i]) {
            bytes += set_bytes(ls->slots[i]->n);
            *locators += ls->slots[i]->n;
        }
    return bytes;
}
