/*
 * lisp_lpm.c - LPM table updates: insert, remove, exact get, and the root's adaptive size.
 * The node layout is in lisp_lpm_internal.h, node building in lisp_lpm_node.c, lookups in
 * lisp_lpm_lookup.c.
 */
#include "lisp_lpm_layout_internal.h"

/* Adaptive k: the largest step with at least two prefixes per root slot, so the root never
 * costs more than 4 bytes per prefix. Shrink only below a quarter of that (hysteresis). */
static const uint8_t k_steps[] = {0, 4, 8, 12, 16, 20};

static unsigned k_for_count(uint64_t n)
{
    unsigned i, k = 0;
    for (i = 0; i < sizeof k_steps; i++)
        if (n >= (2ull << k_steps[i]))
            k = k_steps[i];
    return k;
}

/* Root slots are two words: the slot and its lpm_split, read together by a lookup. */
static size_t root_bytes(unsigned stride)
{
    return (sizeof(uint64_t) + sizeof(lpm_split)) << stride;
}

static void free_root(lisp_mem *mem, lpm_dir *root)
{
    uint64_t c;
    for (c = 0; c < (1ull << root->stride); c++)
        lisp_lpm_free_slot(mem, *lpm_slot(root, c));
    lisp_mem_free(mem, root->slots, root_bytes(root->stride));
    lisp_mem_free(mem, root->shorts, (size_t)root->cap_short * sizeof *root->shorts);
}

/* An empty root of 2^k slots (shorts and count zero). */
static int new_root(lisp_mem *mem, lpm_dir *root, unsigned k)
{
    uint64_t c;

    memset(root, 0, sizeof *root);
    root->stride = (uint8_t)k;
    root->dflt = LISP_LPM_NONE;
    root->wide = 1;
    root->slots = lisp_mem_alloc(mem, root_bytes(k));
    if (!root->slots)
        return LISP_ERR_NOMEM;
    for (c = 0; c < (1ull << k); c++) {
        *lpm_slot(root, (uint32_t)c) = LPM_LEAF(LISP_LPM_NONE);
        memset(lpm_slot_split(root, (uint32_t)c), 0, sizeof(lpm_split));
    }
    return LISP_OK;
}

lisp_lpm *lisp_lpm_new(lisp_mem *mem, unsigned width, unsigned direct_bits)
{
    lisp_lpm *t;

    if ((width != 32 && width != 128) || direct_bits > LISP_LPM_MAX_DIRECT_BITS)
        return NULL;
    t = lisp_mem_alloc(mem, sizeof *t);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    t->mem = mem;
    t->width = (uint8_t)width;
    t->fixed_k = (uint8_t)direct_bits;
    if (new_root(mem, &t->root, direct_bits) < 0) {
        lisp_mem_free(mem, t, sizeof *t);
        return NULL;
    }
    return t;
}

void lisp_lpm_free(lisp_lpm *t)
{
    if (!t)
        return;
    free_root(t->mem, &t->root);
    lisp_mem_free(t->mem, t, sizeof *t);
}

uint32_t lisp_lpm_count(const lisp_lpm *t)
{
    return t->root.count;
}

unsigned lisp_lpm_direct_bits(const lisp_lpm *t)
{
    return t->root.stride;
}

/* ---- a directory's short prefixes ---- */

static uint32_t short_find(const lpm_dir *d, lisp_lpm_key addr, unsigned len, bool *found)
{
    uint32_t lo = 0, hi = d->n_short;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const lpm_pfx *s = &d->shorts[mid];
        int cmp = lpm_key_cmp(s->addr, addr);
        if (cmp < 0 || (cmp == 0 && s->len < len))
            lo = mid + 1;
        else
            hi = mid;
    }
    *found =
        lo < d->n_short && d->shorts[lo].len == len && lpm_key_cmp(d->shorts[lo].addr, addr) == 0;
    return lo;
}

/* What the span of (addr, len) inherits: the longest shorter short covering it, or the
 * directory's own default. */
static uint32_t short_parent(const lpm_dir *d, lisp_lpm_key addr, unsigned len)
{
    while (len > d->depth) {
        bool found;
        len--;
        uint32_t i = short_find(d, lpm_key_net(addr, len), len, &found);
        if (found)
            return d->shorts[i].val;
    }
    return d->dflt;
}

static void relabel_span(lpm_dir *d, lisp_lpm_key addr, unsigned len, uint32_t from, uint32_t to)
{
    uint32_t first = lpm_key_bits(addr, d->depth, d->stride);
    uint32_t n = 1u << (d->depth + d->stride - len), c;
    for (c = first; c < first + n; c++)
        lisp_lpm_relabel(lpm_slot(d, c), from, to);
}

static int short_insert(lisp_mem *mem, lpm_dir *d, lisp_lpm_key addr, unsigned len, uint32_t val)
{
    bool found;
    uint32_t i = short_find(d, addr, len, &found);

    if (d->n_short == d->cap_short) {
        uint32_t cap = d->cap_short ? d->cap_short * 2 : 2;
        lpm_pfx *s = lisp_mem_realloc(mem, d->shorts, (size_t)d->cap_short * sizeof *s,
                                      (size_t)cap * sizeof *s);
        if (!s)
            return LISP_ERR_NOMEM;
        d->shorts = s;
        d->cap_short = cap;
    }
    relabel_span(d, addr, len, short_parent(d, addr, len), val);
    memmove(&d->shorts[i + 1], &d->shorts[i], (size_t)(d->n_short - i) * sizeof *d->shorts);
    d->shorts[i].addr = addr;
    d->shorts[i].len = (uint8_t)len;
    d->shorts[i].val = val;
    d->n_short++;
    return LISP_OK;
}

static uint32_t short_remove(lisp_mem *mem, lpm_dir *d, lisp_lpm_key addr, unsigned len)
{
    bool found;
    uint32_t i = short_find(d, addr, len, &found), val;

    if (!found)
        return LISP_LPM_NONE;
    val = d->shorts[i].val;
    memmove(&d->shorts[i], &d->shorts[i + 1], (size_t)(d->n_short - i - 1) * sizeof *d->shorts);
    if (--d->n_short == 0) {
        lisp_mem_free(mem, d->shorts, (size_t)d->cap_short * sizeof *d->shorts);
        d->shorts = NULL;
        d->cap_short = 0;
    }
    relabel_span(d, addr, len, val, short_parent(d, addr, len));
    return val;
}

/* ---- changing k: rebuild everything ---- */

static int collect(void *user, lisp_lpm_key addr, unsigned len, uint32_t val)
{
    lpm_pfx **out = user;
    (*out)->addr = addr;
    (*out)->len = (uint8_t)len;
    (*out)->val = val;
    (*out)++;
    return 0;
}

/* Rebuild with a root of k bits. On LISP_ERR_NOMEM the table is unchanged. */
static int rebuild(lisp_lpm *t, unsigned k)
{
    size_t n = t->root.count;
    lpm_pfx *all = lisp_mem_alloc(t->mem, n * sizeof *all), *end = all;
    lpm_dir root;
    int rc = LISP_ERR_NOMEM;

    if (!all)
        return rc;
    lisp_lpm_foreach(t, collect, &end);
    if (new_root(t->mem, &root, k) == LISP_OK) {
        rc = lisp_lpm_fill_dir(t->mem, t->width, &root, all, (uint32_t)n);
        if (rc == LISP_OK) {
            free_root(t->mem, &t->root);
            t->root = root;
        } else {
            lisp_mem_free(t->mem, root.slots, root_bytes(k));
        }
    }
    lisp_mem_free(t->mem, all, n * sizeof *all);
    return rc;
}

/* Follow the table size when k is not fixed. Best effort: a failed rebuild keeps the old
 * k, which is still correct, only slower or larger. */
static void adapt_k(lisp_lpm *t, uint32_t n)
{
    unsigned want;
    if (t->fixed_k)
        return;
    want = k_for_count(n);
    if (want > t->root.stride || (t->root.stride && k_for_count((uint64_t)n * 4) < t->root.stride))
        (void)rebuild(t, want);
}

/* ---- public operations ---- */

static bool prefix_ok(const lisp_lpm *t, lisp_lpm_key addr, unsigned len)
{
    lisp_lpm_key host = lpm_key_hostmask(len);
    return len <= t->width && (addr.hi & host.hi) == 0 && (addr.lo & host.lo) == 0;
}

/* Insert below a RANGE node: rebuild it (or split it into a DIR) with one more member. */
static int range_insert(lisp_lpm *t, uint64_t *slot, lpm_split *split, const lpm_pfx *p)
{
    lpm_range *r = lpm_range_of(*slot);
    lisp_lpm_key base = lpm_key_net(p->addr, r->depth);
    uint32_t n = r->nm + 1, at, i;
    lpm_split new_split;
    lpm_pfx *all;
    uint64_t s;
    bool found;

    at = lisp_lpm_member_find(r, base, p->addr, p->len, &found);
    all = lisp_mem_alloc(t->mem, (size_t)n * sizeof *all);
    if (!all)
        return LISP_ERR_NOMEM;
    for (i = 0; i < n; i++)
        all[i] = i == at ? *p : lisp_lpm_member(r, base, i < at ? i : i - 1);
    /* Build into a scratch split entry: the old node stays searchable if this fails. */
    s = lisp_lpm_build(t->mem, t->width, r->depth, r->dflt, all, n, split ? &new_split : NULL);
    lisp_mem_free(t->mem, all, (size_t)n * sizeof *all);
    if (!s)
        return LISP_ERR_NOMEM;
    if (split)
        *split = new_split;
    lisp_lpm_free_slot(t->mem, *slot);
    *slot = s;
    return LISP_OK;
}

int lisp_lpm_insert(lisp_lpm *t, lisp_lpm_key addr, unsigned len, uint32_t val)
{
    lpm_dir *path[LPM_MAX_DEPTH];
    lpm_pfx p = {addr, val, (uint8_t)len};
    unsigned np = 0, i;
    lpm_dir *d;
    int rc;

    if (!prefix_ok(t, addr, len) || val == LISP_LPM_NONE)
        return LISP_ERR_INVALID_ARG;
    if (lisp_lpm_get(t, addr, len) != LISP_LPM_NONE)
        return LISP_ERR_INVALID_ARG;
    adapt_k(t, t->root.count + 1);
    for (d = &t->root;;) {
        uint32_t c;
        uint64_t *slot;
        lpm_split *split;
        path[np++] = d;
        if (len <= (unsigned)d->depth + d->stride) {
            rc = short_insert(t->mem, d, addr, len, val);
            break;
        }
        c = lpm_key_bits(addr, d->depth, d->stride);
        slot = lpm_slot(d, c);
        split = lpm_slot_split(d, c);
        if (LPM_IS_DIR(*slot)) {
            d = lpm_dir_of(*slot);
            continue;
        }
        if (LPM_IS_LEAF(*slot)) {
            uint64_t s = lisp_lpm_build(t->mem, t->width, d->depth + d->stride, LPM_LEAF_VAL(*slot),
                                        &p, 1, split);
            rc = s ? LISP_OK : LISP_ERR_NOMEM;
            if (s)
                *slot = s;
        } else {
            rc = range_insert(t, slot, split, &p);
        }
        break;
    }
    if (rc == LISP_OK)
        for (i = 0; i < np; i++)
            path[i]->count++;
    return rc;
}

uint32_t lisp_lpm_remove(lisp_lpm *t, lisp_lpm_key addr, unsigned len)
{
    lpm_dir *path[LPM_MAX_DEPTH];
    uint32_t val = LISP_LPM_NONE;
    unsigned np = 0, i;
    lpm_dir *d;

    if (!prefix_ok(t, addr, len))
        return LISP_LPM_NONE;
    for (d = &t->root;;) {
        uint32_t c;
        uint64_t *slot;
        path[np++] = d;
        if (len <= (unsigned)d->depth + d->stride) {
            val = short_remove(t->mem, d, addr, len);
            break;
        }
        c = lpm_key_bits(addr, d->depth, d->stride);
        slot = lpm_slot(d, c);
        if (LPM_IS_DIR(*slot)) {
            d = lpm_dir_of(*slot);
            continue;
        }
        if (!LPM_IS_LEAF(*slot)) {
            lpm_range *r = lpm_range_of(*slot);
            lisp_lpm_key base = lpm_key_net(addr, r->depth);
            bool found;
            uint32_t at = lisp_lpm_member_find(r, base, addr, len, &found);
            if (found) {
                val = lisp_lpm_member(r, base, at).val;
                lisp_lpm_member_drop(t->mem, slot, base, at, lpm_slot_split(d, c));
            }
        }
        break;
    }
    if (val == LISP_LPM_NONE)
        return val;
    for (i = 0; i < np; i++)
        path[i]->count--;
    /* An emptied directory becomes a leaf again (its slots all hold its default). */
    for (i = np - 1; i > 0 && path[i]->count == 0; i--) {
        lpm_dir *up = path[i - 1];
        uint64_t *slot = lpm_slot(up, lpm_key_bits(addr, up->depth, up->stride));
        uint32_t dflt = path[i]->dflt;
        lisp_lpm_free_slot(t->mem, *slot);
        *slot = LPM_LEAF(dflt);
    }
    adapt_k(t, t->root.count);
    return val;
}

uint32_t lisp_lpm_get(const lisp_lpm *t, lisp_lpm_key addr, unsigned len)
{
    const lpm_dir *d = &t->root;
    bool found;
    uint32_t i;

    if (!prefix_ok(t, addr, len))
        return LISP_LPM_NONE;
    for (;;) {
        uint64_t s;
        if (len <= (unsigned)d->depth + d->stride) {
            i = short_find(d, addr, len, &found);
            return found ? d->shorts[i].val : LISP_LPM_NONE;
        }
        s = *lpm_slot(d, lpm_key_bits(addr, d->depth, d->stride));
        if (LPM_IS_LEAF(s))
            return LISP_LPM_NONE;
        if (LPM_IS_DIR(s)) {
            d = lpm_dir_of(s);
            continue;
        }
        i = lisp_lpm_member_find(lpm_range_of(s), lpm_key_net(addr, lpm_range_of(s)->depth), addr,
                                 len, &found);
        return found
                   ? lisp_lpm_member(lpm_range_of(s), lpm_key_net(addr, lpm_range_of(s)->depth), i)
                         .val
                   : LISP_LPM_NONE;
    }
}
