/*
 * lisp_mapcache_query.c - read-only map-cache queries: longest-prefix lookup (the
 * per-packet path), exact get, ordered iteration, negative prefixes and sizes.
 */
#include <string.h>

#include "lisp_mapcache_internal.h"

static uint32_t load_be32(const uint8_t *a)
{
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* The entry in slot, or NULL for MC_NONE. No branch: a run of lookups misses and hits in
 * no predictable order, and a mispredicted branch would discard the lookups after it. A
 * table exists only once an entry went in, and slab pages live until the cache is freed,
 * so slot 0's page is there for the arithmetic on a miss. */
static const lisp_mapcache_entry *entry_or_null(const lisp_mapcache *mc, uint32_t slot)
{
    uint32_t hit = slot != MC_NONE;
    const lisp_mapcache_entry *e = lisp_mapcache_slot(&mc->slab, slot & (0u - hit));
    return (const lisp_mapcache_entry *)((uintptr_t)e & ((uintptr_t)0 - hit));
}

const lisp_mapcache_entry *lisp_mapcache_lookup(const lisp_mapcache *mc, uint32_t iid, uint16_t afi,
                                                const uint8_t *addr)
{
    const lisp_lpm *t;
    uint32_t slot;

    if (!mc || !addr)
        return NULL;
    t = lisp_mapcache_lpm_of(mc, iid, afi); /* tables exist only for IPv4 and IPv6 */
    if (!t)
        return NULL;
    if (afi == LISP_AFI_IPV4)
        slot = lisp_lpm_lookup32(t, load_be32(addr));
    else
        slot = lisp_lpm_lookup(t, lisp_lpm_key_from_bytes(addr, 16));
    return entry_or_null(mc, slot);
}

#define BATCH 64 /* answers converted per step (a stack array) */

void lisp_mapcache_lookup_batch(const lisp_mapcache *mc, uint32_t iid, uint16_t afi, size_t n,
                                const uint8_t *const *addrs, const lisp_mapcache_entry **out)
{
    const lisp_lpm *t = mc && addrs ? lisp_mapcache_lpm_of(mc, iid, afi) : NULL;
    uint32_t slot[BATCH];
    size_t i, j;

    if (!out)
        return;
    if (!t) {
        for (i = 0; i < n; i++)
            out[i] = NULL;
        return;
    }
    for (i = 0; i < n; i += BATCH) {
        size_t m = n - i < BATCH ? n - i : BATCH;
        if (afi == LISP_AFI_IPV4)
            lisp_lpm_lookup32_batch(t, addrs + i, m, slot);
        else
            lisp_lpm_lookup_batch(t, addrs + i, m, slot);
        for (j = 0; j < m; j++)
            out[i + j] = entry_or_null(mc, slot[j]);
    }
}

const lisp_mapcache_entry *lisp_mapcache_get(const lisp_mapcache *mc, const lisp_eid *prefix)
{
    lisp_lpm_key key;
    const lisp_lpm *t;
    uint32_t slot;

    if (!mc || !prefix || lisp_mapcache_prefix_key(prefix, &key) < 0)
        return NULL;
    t = lisp_mapcache_lpm_of(mc, prefix->iid, prefix->afi);
    slot = t ? lisp_lpm_get(t, key, prefix->mask_len) : MC_NONE;
    return slot == MC_NONE ? NULL : lisp_mapcache_slot(&mc->slab, slot);
}

typedef struct visit_ctx {
    const lisp_mapcache *mc;
    lisp_mapcache_visit *cb;
    void *user;
} visit_ctx;

static int visit_slot(void *user, lisp_lpm_key addr, unsigned len, uint32_t slot)
{
    const visit_ctx *v = user;
    (void)addr;
    (void)len;
    return v->cb(v->user, lisp_mapcache_slot(&v->mc->slab, slot));
}

int lisp_mapcache_foreach(const lisp_mapcache *mc, lisp_mapcache_visit *cb, void *user)
{
    visit_ctx v = {mc, cb, user};
    uint32_t i;
    int rc;

    if (!mc || !cb)
        return 0;
    for (i = 0; i < mc->n_tables; i++) {
        rc = lisp_lpm_foreach(mc->tables[i].lpm, visit_slot, &v);
        if (rc)
            return rc;
    }
    return 0;
}

size_t lisp_mapcache_count(const lisp_mapcache *mc)
{
    return mc ? mc->count : 0;
}

size_t lisp_mapcache_memory_bytes(const lisp_mapcache *mc)
{
    return mc ? mc->mem.bytes : 0;
}

int lisp_mapcache_negative_prefix(const lisp_mapcache *mc, uint32_t iid, uint16_t afi,
                                  const uint8_t *addr, lisp_eid *out)
{
    unsigned nbytes = lisp_mapcache_afi_bytes(afi), len = 0;
    const lisp_lpm *t;

    if (!mc || !addr || !out || !nbytes)
        return LISP_ERR_INVALID_ARG;
    t = lisp_mapcache_lpm_of(mc, iid, afi);
    if (t) {
        uint32_t slot = lisp_lpm_gap(t, lisp_lpm_key_from_bytes(addr, nbytes), &len);
        if (slot != MC_NONE) {
            *out = lisp_mapcache_slot(&mc->slab, slot)->prefix;
            return LISP_MAPCACHE_COVERED;
        }
    }
    memset(out, 0, sizeof *out);
    out->iid = iid;
    out->afi = afi;
    out->mask_len = (uint8_t)len;
    memcpy(out->addr, addr, nbytes);
    lisp_mapcache_clear_host_bits(out->addr, nbytes, len);
    return LISP_OK;
}
