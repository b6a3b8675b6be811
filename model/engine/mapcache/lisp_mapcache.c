/*
 * lisp_mapcache.c - map-cache lifecycle and updates: put, del, expiry, eviction.
 * Queries are in lisp_mapcache_query.c, the Map-Reply record helper in
 * lisp_mapcache_record.c.
 */
#include <string.h>

#include "lisp_mapcache_internal.h"

#define ACTION_MAX 7
#define MAP_VERSION_MAX 0x0FFF

lisp_mapcache *lisp_mapcache_new(const lisp_mapcache_config *cfg)
{
    lisp_mapcache_config def;
    lisp_mem mem;
    lisp_mapcache *mc;

    if (!cfg) {
        memset(&def, 0, sizeof def);
        cfg = &def;
    }
    if (cfg->lpm_direct_bits > LISP_LPM_MAX_DIRECT_BITS)
        return NULL;
    if (cfg->alloc && (!cfg->alloc->malloc || !cfg->alloc->realloc || !cfg->alloc->free))
        return NULL;
    mc = lisp_mem_new_object(&mem, cfg->alloc, sizeof *mc);
    if (!mc)
        return NULL;
    mc->mem = mem;
    mc->max_entries = cfg->max_entries;
    mc->on_evict = cfg->on_evict;
    mc->evict_user = cfg->evict_user;
    mc->direct_bits = cfg->lpm_direct_bits;
    mc->slab.free_head = MC_NONE;
    return mc;
}

void lisp_mapcache_free(lisp_mapcache *mc)
{
    lisp_mem mem;
    uint32_t i;

    if (!mc)
        return;
    for (i = 0; i < mc->n_tables; i++)
        lisp_lpm_free(mc->tables[i].lpm);
    lisp_mem_free(&mc->mem, mc->tables, (size_t)mc->cap_tables * sizeof *mc->tables);
    lisp_mapcache_slab_free(&mc->slab, &mc->mem);
    lisp_mapcache_heap_free(mc);
    lisp_mapcache_locset_free(&mc->locsets, &mc->mem);
    mem = mc->mem;
    lisp_mem_free(&mem, mc, sizeof *mc);
}

static bool host_bits_zero(const uint8_t *addr, unsigned nbytes, unsigned len)
{
    uint8_t copy[16];
    memcpy(copy, addr, nbytes);
    lisp_mapcache_clear_host_bits(copy, nbytes, len);
    return memcmp(copy, addr, nbytes) == 0;
}

int lisp_mapcache_prefix_key(const lisp_eid *p, lisp_lpm_key *key)
{
    unsigned nbytes = lisp_mapcache_afi_bytes(p->afi);

    if (!nbytes || p->mask_len > 8 * nbytes || !host_bits_zero(p->addr, nbytes, p->mask_len))
        return LISP_ERR_INVALID_ARG;
    *key = lisp_lpm_key_from_bytes(p->addr, nbytes);
    return LISP_OK;
}

/* ---- the (iid, afi) -> LPM directory ---- */

static uint32_t table_pos(const lisp_mapcache *mc, uint64_t key)
{
    uint32_t lo = 0, hi = mc->n_tables;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (mc->tables[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int table_add(lisp_mapcache *mc, uint32_t iid, uint16_t afi, lisp_lpm **out)
{
    uint64_t key = lisp_mapcache_table_key(iid, afi);
    uint32_t at = table_pos(mc, key);
    lisp_lpm *t;

    if (mc->n_tables == mc->cap_tables) {
        uint32_t cap = mc->cap_tables ? mc->cap_tables * 2 : 2;
        lisp_mapcache_table *a = lisp_mem_realloc(
            &mc->mem, mc->tables, (size_t)mc->cap_tables * sizeof *a, (size_t)cap * sizeof *a);
        if (!a)
            return LISP_ERR_NOMEM;
        mc->tables = a;
        mc->cap_tables = cap;
    }
    t = lisp_lpm_new(&mc->mem, afi == LISP_AFI_IPV4 ? 32 : 128, mc->direct_bits);
    if (!t)
        return LISP_ERR_NOMEM;
    memmove(&mc->tables[at + 1], &mc->tables[at], (size_t)(mc->n_tables - at) * sizeof *mc->tables);
    mc->tables[at].key = key;
    mc->tables[at].lpm = t;
    mc->n_tables++;
    *out = t;
    return LISP_OK;
}

/* An empty table is dropped so that caches touching many instance-IDs stay small. */
static void table_drop_if_empty(lisp_mapcache *mc, uint32_t iid, uint16_t afi)
{
    uint64_t key = lisp_mapcache_table_key(iid, afi);
    uint32_t at = table_pos(mc, key);

    if (at == mc->n_tables || mc->tables[at].key != key || lisp_lpm_count(mc->tables[at].lpm))
        return;
    lisp_lpm_free(mc->tables[at].lpm);
    memmove(&mc->tables[at], &mc->tables[at + 1],
            (size_t)(mc->n_tables - at - 1) * sizeof *mc->tables);
    if (--mc->n_tables == 0) {
        lisp_mem_free(&mc->mem, mc->tables, (size_t)mc->cap_tables * sizeof *mc->tables);
        mc->tables = NULL;
        mc->cap_tables = 0;
    }
}

/* ---- updates ---- */

void lisp_mapcache_remove_slot(lisp_mapcache *mc, uint32_t slot)
{
    lisp_mapcache_entry *e = lisp_mapcache_slot(&mc->slab, slot);
    unsigned nbytes = lisp_mapcache_afi_bytes(e->prefix.afi);
    lisp_lpm *t = lisp_mapcache_lpm_of(mc, e->prefix.iid, e->prefix.afi);

    (void)lisp_lpm_remove(t, lisp_lpm_key_from_bytes(e->prefix.addr, nbytes), e->prefix.mask_len);
    table_drop_if_empty(mc, e->prefix.iid, e->prefix.afi);
    lisp_mapcache_heap_remove(mc, slot);
    lisp_mapcache_locset_put(&mc->locsets, &mc->mem, e->locators);
    lisp_mapcache_slab_release(&mc->slab, slot);
    mc->count--;
}

static void set_mapping(lisp_mapcache_entry *e, const lisp_mapcache_mapping *m,
                        const lisp_mapcache_loc *locs, lisp_time_t expires)
{
    e->map_version = m->map_version;
    e->action = m->action;
    e->loc_count = (uint8_t)m->loc_count;
    e->authoritative = m->authoritative;
    e->expires = expires;
    e->user = m->user;
    e->locators = locs;
}

int lisp_mapcache_put(lisp_mapcache *mc, const lisp_eid *prefix, const lisp_mapcache_mapping *m,
                      lisp_time_t expires)
{
    const lisp_mapcache_loc *locs;
    lisp_mapcache_entry *e;
    lisp_lpm_key key;
    lisp_lpm *t;
    uint32_t slot;
    int rc;

    if (!mc || !prefix || !m || m->action > ACTION_MAX || m->map_version > MAP_VERSION_MAX ||
        m->loc_count > LISP_MAPCACHE_MAX_LOCATORS || (m->loc_count && !m->locators))
        return LISP_ERR_INVALID_ARG;
    rc = lisp_mapcache_prefix_key(prefix, &key);
    if (rc < 0)
        return rc;
    rc = lisp_mapcache_locset_get(&mc->locsets, &mc->mem, m->locators, m->loc_count, &locs);
    if (rc < 0)
        return rc;

    t = lisp_mapcache_lpm_of(mc, prefix->iid, prefix->afi);
    slot = t ? lisp_lpm_get(t, key, prefix->mask_len) : MC_NONE;
    if (slot != MC_NONE) { /* replace in place: the LPM is untouched */
        e = lisp_mapcache_slot(&mc->slab, slot);
        lisp_mapcache_locset_put(&mc->locsets, &mc->mem, e->locators);
        set_mapping(e, m, locs, expires);
        lisp_mapcache_heap_update(mc, slot);
        return LISP_OK;
    }

    /* Everything that can fail comes before the first visible change. */
    if (!t && (rc = table_add(mc, prefix->iid, prefix->afi, &t)) < 0)
        goto fail;
    if ((rc = lisp_mapcache_slab_alloc(&mc->slab, &mc->mem, &slot)) < 0)
        goto fail;
    if ((rc = lisp_mapcache_heap_reserve(mc, mc->count + 1)) < 0 ||
        (rc = lisp_lpm_insert(t, key, prefix->mask_len, slot)) < 0) {
        lisp_mapcache_slab_release(&mc->slab, slot);
        goto fail;
    }
    e = lisp_mapcache_slot(&mc->slab, slot);
    memset(e, 0, sizeof *e);
    e->prefix.iid = prefix->iid;
    e->prefix.afi = prefix->afi;
    e->prefix.mask_len = prefix->mask_len;
    memcpy(e->prefix.addr, prefix->addr, lisp_mapcache_afi_bytes(prefix->afi));
    set_mapping(e, m, locs, expires);

    /* The new entry is not in the heap yet, so the victim is always an older one. */
    if (mc->max_entries && mc->count >= mc->max_entries) {
        uint32_t victim = lisp_mapcache_heap_top(mc);
        if (mc->on_evict)
            mc->on_evict(mc->evict_user, lisp_mapcache_slot(&mc->slab, victim));
        lisp_mapcache_remove_slot(mc, victim);
    }
    lisp_mapcache_heap_push(mc, slot);
    mc->count++;
    return LISP_OK;

fail:
    lisp_mapcache_locset_put(&mc->locsets, &mc->mem, locs);
    if (t)
        table_drop_if_empty(mc, prefix->iid, prefix->afi);
    return rc;
}

int lisp_mapcache_del(lisp_mapcache *mc, const lisp_eid *prefix)
{
    lisp_lpm_key key;
    lisp_lpm *t;
    uint32_t slot;

    if (!mc || !prefix || lisp_mapcache_prefix_key(prefix, &key) < 0)
        return LISP_ERR_INVALID_ARG;
    t = lisp_mapcache_lpm_of(mc, prefix->iid, prefix->afi);
    slot = t ? lisp_lpm_get(t, key, prefix->mask_len) : MC_NONE;
    if (slot == MC_NONE)
        return 0;
    lisp_mapcache_remove_slot(mc, slot);
    return 1;
}

lisp_time_t lisp_mapcache_next_expiry(const lisp_mapcache *mc)
{
    uint32_t top = mc ? lisp_mapcache_heap_top(mc) : MC_NONE;
    return top == MC_NONE ? LISP_TIME_NEVER : lisp_mapcache_slot(&mc->slab, top)->expires;
}

size_t lisp_mapcache_expire(lisp_mapcache *mc, lisp_time_t now, lisp_mapcache_entry_cb *cb,
                            void *user)
{
    size_t n = 0;

    while (mc) {
        uint32_t top = lisp_mapcache_heap_top(mc);
        const lisp_mapcache_entry *e;
        if (top == MC_NONE)
            break;
        e = lisp_mapcache_slot(&mc->slab, top);
        if (e->expires == LISP_TIME_NEVER || e->expires > now)
            break;
        if (cb)
            cb(user, e);
        lisp_mapcache_remove_slot(mc, top);
        n++;
    }
    return n;
}
