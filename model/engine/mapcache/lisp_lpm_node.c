/*
 * lisp_lpm_node.c - building and editing the nodes of the LPM tree (layout:
 * lisp_lpm_internal.h).
 *
 * Ranges come from a sweep: members sorted by (address, length) are a pre-order walk of
 * their prefix tree, so one pass with a stack of the prefixes still open yields the ranges
 * in address order; an address belongs to the innermost open prefix, or to the node's
 * inherited default when none is open.
 */
#include "lisp_lpm_layout_internal.h"

typedef struct lpm_rng {
    lisp_lpm_key start; /* full address */
    uint32_t val;
} lpm_rng;

typedef struct sweep {
    lpm_rng *out;
    uint32_t cap, n;  /* n > cap: overflow (counting continues) */
    lisp_lpm_key pos; /* first address not yet in a range */
    bool done;        /* pos went past the node's last address */
    unsigned sp;
    struct {
        lisp_lpm_key last;
        uint32_t val;
    } st[LPM_MAX_DEPTH];
} sweep;

static void sweep_init(sweep *s, lpm_rng *out, uint32_t cap, lisp_lpm_key base, unsigned depth,
                       uint32_t dflt)
{
    s->out = out;
    s->cap = cap;
    s->n = 0;
    s->pos = base;
    s->done = false;
    s->st[0].last = lpm_key_or(base, lpm_key_hostmask(depth));
    s->st[0].val = dflt;
    s->sp = 1;
}

/* Addresses pos..last have value val. */
static void sweep_fill(sweep *s, lisp_lpm_key last, uint32_t val)
{
    if (s->done || lpm_key_cmp(s->pos, last) > 0)
        return;
    if (s->n == 0 || s->n > s->cap || s->out[s->n - 1].val != val) {
        if (s->n < s->cap) {
            s->out[s->n].start = s->pos;
            s->out[s->n].val = val;
        }
        s->n++;
    }
    if (lpm_key_is_ones(last))
        s->done = true;
    else
        s->pos = lpm_key_inc(last);
}

static void sweep_push(sweep *s, const lpm_pfx *p)
{
    while (lpm_key_cmp(s->st[s->sp - 1].last, p->addr) < 0) {
        s->sp--;
        sweep_fill(s, s->st[s->sp].last, s->st[s->sp].val);
    }
    if (lpm_key_cmp(s->pos, p->addr) < 0)
        sweep_fill(s, lpm_key_dec(p->addr), s->st[s->sp - 1].val);
    s->st[s->sp].last = lpm_key_or(p->addr, lpm_key_hostmask(p->len));
    s->st[s->sp].val = p->val;
    s->sp++;
}

static void sweep_finish(sweep *s)
{
    while (s->sp) {
        s->sp--;
        sweep_fill(s, s->st[s->sp].last, s->st[s->sp].val);
    }
}

/* ---- keys ---- */

/* Key i of an array of kw-byte keys, widened to a left-aligned 128-bit local address. */
static lisp_lpm_key key_at(const uint8_t *keys, unsigned kw, uint32_t i)
{
    switch (kw) {
    case 2:
        return lpm_key((uint64_t)((const uint16_t *)(const void *)keys)[i] << 48, 0);
    case 4:
        return lpm_key((uint64_t)((const uint32_t *)(const void *)keys)[i] << 32, 0);
    case 8:
        return lpm_key(((const uint64_t *)(const void *)keys)[i], 0);
    default: {
        const lpm_k128 *k = (const lpm_k128 *)(const void *)keys + i;
        return lpm_key(k->hi, k->lo);
    }
    }
}

/* Store the top kw bytes of a left-aligned local address as key i. */
static void key_put(uint8_t *keys, unsigned kw, uint32_t i, lisp_lpm_key local)
{
    switch (kw) {
    case 2:
        ((uint16_t *)(void *)keys)[i] = (uint16_t)(local.hi >> 48);
        break;
    case 4:
        ((uint32_t *)(void *)keys)[i] = (uint32_t)(local.hi >> 32);
        break;
    case 8:
        ((uint64_t *)(void *)keys)[i] = local.hi;
        break;
    default: {
        lpm_k128 *k = (lpm_k128 *)(void *)keys + i;
        k->hi = local.hi;
        k->lo = local.lo;
        break;
    }
    }
}

/* Index line entry 0: the number of data lines. */
static void put_count(uint8_t *line, unsigned kw, unsigned m)
{
    key_put(line, kw, 0, kw == 16 ? lpm_key(0, m) : lpm_key((uint64_t)m << (64 - 8 * kw), 0));
}

/* ---- RANGE nodes ---- */

static uint8_t *range_hot(const lpm_range *r)
{
    return (uint8_t *)(uintptr_t)(r + 1);
}

static uint8_t *mkeys(const lpm_range *r)
{
    return range_hot(r) + r->mem_off;
}

static uint32_t *mvals(const lpm_range *r)
{
    return (uint32_t *)(void *)(mkeys(r) + (((size_t)r->kw * r->cap_m + 3) & ~(size_t)3));
}

static uint8_t *mlens(const lpm_range *r)
{
    return (uint8_t *)(mvals(r) + r->cap_m);
}

static size_t members_bytes(unsigned kw, uint32_t cap_m)
{
    return (((size_t)kw * cap_m + 3) & ~(size_t)3) + (size_t)cap_m * 5;
}

/* Width class for prefixes up to maxlen in a node at depth. */
static unsigned width_class(unsigned depth, unsigned maxlen)
{
    unsigned bits = maxlen - depth;
    return bits <= 16 ? 0 : bits <= 32 ? 1 : bits <= 64 ? 2 : 3;
}

static uint32_t capacity(unsigned c)
{
    return lpm_line_f(c) * lpm_index_f(c);
}

/* One data line from cnt (1..F) ranges; unused entries repeat the last range. */
static void write_line(uint8_t *line, unsigned c, unsigned depth, const lpm_rng *r, unsigned cnt)
{
    unsigned kw = lpm_kw_of_class(c), f = lpm_line_f(c), j;
    uint32_t *vals = (uint32_t *)(void *)(line + lpm_vals_at(c));

    memset(line, 0, LPM_LINE);
    for (j = 0; j < f; j++) {
        const lpm_rng *x = &r[j < cnt ? j : cnt - 1];
        key_put(line, kw, j, lpm_key_shl(x->start, depth));
        vals[j] = x->val;
    }
}

/* The root split entry can index up to this many data lines. */
#define RIDX_LINES 5

/* Lines a layout of nr ranges needs. */
static unsigned lines_for(unsigned c, uint32_t nr, const lpm_split *split)
{
    unsigned f = lpm_line_f(c), m = (nr + f - 1) / f;
    if (split && c == 0 && m <= RIDX_LINES)
        return m;
    return m == 1 ? 1 : 1 + m;
}

/* Lay nr ranges out as lines at hot; returns the lines used and in *layout the slot bits
 * saying how (0: one line, LPM_TREE_BIT or LPM_RIDX_BIT). */
static unsigned write_lines(uint8_t *hot, unsigned c, unsigned depth, const lpm_rng *r, uint32_t nr,
                            lpm_split *split, unsigned *layout)
{
    unsigned kw = lpm_kw_of_class(c), f = lpm_line_f(c), m = (nr + f - 1) / f, j;

    if (split && c == 0 && m <= RIDX_LINES) {
        *layout = LPM_RIDX_BIT;
        memset(split, 0, sizeof *split);
        for (j = 0; j < m; j++) {
            if (j)
                split->k[j - 1] = (uint16_t)(lpm_key_shl(r[j * f].start, depth).hi >> 48);
            write_line(hot + LPM_LINE * j, c, depth, r + j * f, nr - j * f < f ? nr - j * f : f);
        }
        return m;
    }
    if (split)
        memset(split, 0, sizeof *split);
    if (m == 1) {
        *layout = 0;
        write_line(hot, c, depth, r, nr);
        return 1;
    }
    *layout = LPM_TREE_BIT;
    memset(hot, 0, LPM_LINE);
    put_count(hot, kw, m);
    for (j = 1; j < lpm_index_f(c); j++)
        key_put(hot, kw, j, lpm_key_shl(r[(j < m ? j : m - 1) * f].start, depth));
    for (j = 0; j < m; j++)
        write_line(hot + LPM_LINE * (1 + j), c, depth, r + j * f, nr - j * f < f ? nr - j * f : f);
    return 1 + m;
}

static uint64_t range_slot(const lpm_range *r, unsigned c, unsigned layout)
{
    return (uint64_t)(uintptr_t)range_hot(r) | ((uint64_t)c << 2) | layout;
}

/* Place a header of hdr bytes below a 64-byte aligned hot part inside a new allocation. */
static uint8_t *alloc_node(lisp_mem *mem, size_t hdr, size_t hot_and_tail, uint32_t *raw_off,
                           uint32_t *bytes)
{
    size_t size = hdr + (LPM_LINE - 1) + hot_and_tail;
    uint8_t *raw = lisp_mem_alloc(mem, size), *hot;

    if (!raw)
        return NULL;
    hot = (uint8_t *)(((uintptr_t)raw + hdr + LPM_LINE - 1) & ~(uintptr_t)(LPM_LINE - 1));
    *raw_off = (uint32_t)(hot - raw);
    *bytes = (uint32_t)size;
    return hot;
}

/* A RANGE node for the prefixes, or 0 with *too_big when they need a DIR (or with
 * *too_big false when out of memory). */
static uint64_t build_range(lisp_mem *mem, unsigned depth, uint32_t dflt, const lpm_pfx *p,
                            uint32_t n, lpm_split *split, bool *too_big)
{
    lpm_rng rng[LPM_MAX_RANGES];
    unsigned maxlen = 0, c, kw, lines;
    uint32_t i, raw_off, bytes;
    lisp_lpm_key base = lpm_key_net(p[0].addr, depth);
    lpm_range *r, tmp;
    uint8_t *hot;
    sweep s;
    unsigned layout;

    *too_big = false;
    for (i = 0; i < n; i++)
        if (p[i].len > maxlen)
            maxlen = p[i].len;
    c = width_class(depth, maxlen);
    kw = lpm_kw_of_class(c);
    sweep_init(&s, rng, capacity(c), base, depth, dflt);
    for (i = 0; i < n && s.n <= s.cap; i++)
        sweep_push(&s, &p[i]);
    sweep_finish(&s);
    if (s.n > s.cap || n > LPM_MAX_MEMBERS) {
        *too_big = true;
        return 0;
    }
    lines = lines_for(c, s.n, split);
    hot = alloc_node(mem, sizeof(lpm_range), (size_t)lines * LPM_LINE + members_bytes(kw, n),
                     &raw_off, &bytes);
    if (!hot)
        return 0;
    r = (lpm_range *)(void *)(hot - sizeof *r);
    memset(&tmp, 0, sizeof tmp);
    tmp.raw_off = raw_off;
    tmp.bytes = bytes;
    tmp.dflt = dflt;
    tmp.nm = tmp.cap_m = n;
    tmp.nr = s.n;
    tmp.mem_off = lines * LPM_LINE;
    tmp.depth = (uint8_t)depth;
    tmp.kw = (uint8_t)kw;
    tmp.lines = (uint8_t)write_lines(hot, c, depth, rng, s.n, split, &layout);
    *r = tmp;
    for (i = 0; i < n; i++) {
        key_put(mkeys(r), kw, i, lpm_key_shl(p[i].addr, depth));
        mvals(r)[i] = p[i].val;
        mlens(r)[i] = p[i].len;
    }
    return range_slot(r, c, layout);
}

lpm_pfx lisp_lpm_member(const lpm_range *r, lisp_lpm_key base, uint32_t i)
{
    lpm_pfx p;
    p.addr = lpm_key_or(base, lpm_key_shr(key_at(mkeys(r), r->kw, i), r->depth));
    p.val = mvals(r)[i];
    p.len = mlens(r)[i];
    return p;
}

uint32_t lisp_lpm_member_find(const lpm_range *r, lisp_lpm_key base, lisp_lpm_key addr,
                              unsigned len, bool *found)
{
    lisp_lpm_key local = lpm_key_shl(addr, r->depth);
    const uint8_t *lens = mlens(r);
    uint32_t lo = 0, hi = r->nm;

    (void)base;
    /* Members are exact in kw bytes; comparing with the full local address orders a probe
     * that is longer than every member correctly, and it never matches. */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int cmp = lpm_key_cmp(key_at(mkeys(r), r->kw, mid), local);
        if (cmp < 0 || (cmp == 0 && lens[mid] < len))
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < r->nm && lens[lo] == len && lpm_key_cmp(key_at(mkeys(r), r->kw, lo), local) == 0;
    return lo;
}

void lisp_lpm_member_drop(lisp_mem *mem, uint64_t *slot, lisp_lpm_key base, uint32_t i,
                          lpm_split *split)
{
    lpm_range *r = lpm_range_of(*slot);
    uint32_t tail = r->nm - i - 1, j;
    unsigned c = lpm_class_of_kw(r->kw);
    lpm_rng rng[LPM_MAX_RANGES];
    sweep s;
    unsigned layout;

    memmove(mkeys(r) + (size_t)i * r->kw, mkeys(r) + (size_t)(i + 1) * r->kw, (size_t)tail * r->kw);
    memmove(mvals(r) + i, mvals(r) + i + 1, (size_t)tail * sizeof(uint32_t));
    memmove(mlens(r) + i, mlens(r) + i + 1, tail);
    if (--r->nm == 0) {
        *slot = LPM_LEAF(r->dflt);
        lisp_mem_free(mem, range_hot(r) - r->raw_off, r->bytes);
        return;
    }
    /* Fewer prefixes never need more ranges (their runs can only merge), so the new lines
     * fit where the old ones were, in front of the members. */
    sweep_init(&s, rng, LPM_MAX_RANGES, base, r->depth, r->dflt);
    for (j = 0; j < r->nm; j++) {
        lpm_pfx p = lisp_lpm_member(r, base, j);
        sweep_push(&s, &p);
    }
    sweep_finish(&s);
    r->nr = s.n;
    r->lines = (uint8_t)write_lines(range_hot(r), c, r->depth, rng, s.n, split, &layout);
    *slot = range_slot(r, c, layout);
}

/* ---- DIR nodes ---- */

/* About four members per child slot, so that most children fit in one line. */
static unsigned choose_stride(uint32_t n, unsigned depth, unsigned width)
{
    unsigned s = 2;
    while (s < 8 && (n >> (s + 2)) > 0)
        s++;
    return s < width - depth ? s : width - depth;
}

int lisp_lpm_fill_dir(lisp_mem *mem, unsigned width, lpm_dir *d, const lpm_pfx *p, uint32_t n)
{
    unsigned end = d->depth + d->stride, sp = 0;
    uint32_t i, j = 0, n_short = 0, slots = 1u << d->stride, c;
    uint32_t stack_last[LPM_MAX_DEPTH], stack_val[LPM_MAX_DEPTH];

    for (i = 0; i < n; i++)
        n_short += p[i].len <= end;
    d->shorts = NULL;
    d->n_short = d->cap_short = 0;
    if (n_short) {
        d->shorts = lisp_mem_alloc(mem, (size_t)n_short * sizeof *d->shorts);
        if (!d->shorts)
            return LISP_ERR_NOMEM;
        d->cap_short = n_short;
    }
    for (c = 0; c < slots; c++) {
        *lpm_slot(d, c) = LPM_LEAF(d->dflt);
        if (d->wide)
            memset(lpm_slot_split(d, c), 0, sizeof(lpm_split));
    }

    /* One pass in address order: a short prefix opens a span of slots (a stack of them
     * gives each slot its inherited value); longer ones gather into their slot. */
    for (i = 0, c = 0; c < slots && i < n; c++) {
        uint32_t first, dflt;
        while (sp && stack_last[sp - 1] < c)
            sp--;
        while (i < n && p[i].len <= end && lpm_key_bits(p[i].addr, d->depth, d->stride) == c) {
            d->shorts[j++] = p[i];
            stack_val[sp] = p[i].val;
            stack_last[sp] = c + (1u << (end - p[i].len)) - 1;
            sp++;
            i++;
        }
        dflt = sp ? stack_val[sp - 1] : d->dflt;
        first = i;
        while (i < n && lpm_key_bits(p[i].addr, d->depth, d->stride) == c)
            i++;
        if (i > first) {
            uint64_t s =
                lisp_lpm_build(mem, width, end, dflt, p + first, i - first, lpm_slot_split(d, c));
            if (!s)
                goto fail;
            *lpm_slot(d, c) = s;
        } else {
            *lpm_slot(d, c) = LPM_LEAF(dflt);
        }
    }
    /* Slots after the last prefix: the innermost short still open, or the default. */
    for (; c < slots; c++) {
        while (sp && stack_last[sp - 1] < c)
            sp--;
        *lpm_slot(d, c) = LPM_LEAF(sp ? stack_val[sp - 1] : d->dflt);
    }
    d->n_short = n_short;
    d->count = n;
    return LISP_OK;
fail:
    for (c = 0; c < slots; c++) {
        lisp_lpm_free_slot(mem, *lpm_slot(d, c));
        *lpm_slot(d, c) = LPM_LEAF(d->dflt);
    }
    lisp_mem_free(mem, d->shorts, (size_t)d->cap_short * sizeof *d->shorts);
    d->shorts = NULL;
    d->cap_short = 0;
    return LISP_ERR_NOMEM;
}

static uint64_t build_dir(lisp_mem *mem, unsigned width, unsigned depth, uint32_t dflt,
                          const lpm_pfx *p, uint32_t n)
{
    unsigned stride = choose_stride(n, depth, width);
    uint32_t raw_off, bytes;
    uint8_t *hot = alloc_node(mem, sizeof(lpm_dir), (size_t)8 << stride, &raw_off, &bytes);
    lpm_dir *d;

    if (!hot)
        return 0;
    d = (lpm_dir *)(void *)(hot - sizeof *d);
    memset(d, 0, sizeof *d);
    d->slots = (uint64_t *)(void *)hot;
    d->dflt = dflt;
    d->raw_off = raw_off;
    d->bytes = bytes;
    d->depth = (uint8_t)depth;
    d->stride = (uint8_t)stride;
    if (lisp_lpm_fill_dir(mem, width, d, p, n) < 0) {
        lisp_mem_free(mem, hot - raw_off, bytes);
        return 0;
    }
    return (uint64_t)(uintptr_t)hot | LPM_DIR_BIT | ((uint64_t)(stride - 1) << 2);
}

uint64_t lisp_lpm_build(lisp_mem *mem, unsigned width, unsigned depth, uint32_t dflt,
                        const lpm_pfx *p, uint32_t n, lpm_split *split)
{
    bool too_big;
    uint64_t s = build_range(mem, depth, dflt, p, n, split, &too_big);

    if (s || !too_big)
        return s;
    if (split)
        memset(split, 0, sizeof *split);
    return build_dir(mem, width, depth, dflt, p, n);
}

void lisp_lpm_free_slot(lisp_mem *mem, uint64_t s)
{
    if (LPM_IS_LEAF(s))
        return;
    if (LPM_IS_DIR(s)) {
        lpm_dir *d = lpm_dir_of(s);
        uint32_t c;
        for (c = 0; c < (1u << d->stride); c++)
            lisp_lpm_free_slot(mem, *lpm_slot(d, c));
        lisp_mem_free(mem, d->shorts, (size_t)d->cap_short * sizeof *d->shorts);
        lisp_mem_free(mem, LPM_HOT(s) - d->raw_off, d->bytes);
    } else {
        lpm_range *r = lpm_range_of(s);
        lisp_mem_free(mem, LPM_HOT(s) - r->raw_off, r->bytes);
    }
}

void lisp_lpm_relabel(uint64_t *slot, uint32_t from, uint32_t to)
{
    uint64_t s = *slot;

    if (LPM_IS_LEAF(s)) {
        if (LPM_LEAF_VAL(s) == from)
            *slot = LPM_LEAF(to);
    } else if (LPM_IS_DIR(s)) {
        /* `from` covers the whole node; if the node inherits something else, a longer
         * prefix shadows `from` everywhere below. */
        lpm_dir *d = lpm_dir_of(s);
        uint32_t c;
        if (d->dflt != from)
            return;
        d->dflt = to;
        for (c = 0; c < (1u << d->stride); c++)
            lisp_lpm_relabel(lpm_slot(d, c), from, to);
    } else {
        lpm_range *r = lpm_range_of(s);
        unsigned c = lpm_class_of_kw(r->kw), l, j;
        if (r->dflt != from)
            return;
        r->dflt = to;
        for (l = (s & LPM_TREE_BIT) ? 1 : 0; l < r->lines; l++) { /* data lines */
            uint32_t *vals = (uint32_t *)(void *)(range_hot(r) + LPM_LINE * l + lpm_vals_at(c));
            for (j = 0; j < lpm_line_f(c); j++)
                if (vals[j] == from)
                    vals[j] = to;
        }
    }
}

void lisp_lpm_slot_stats(uint64_t s, lisp_lpm_stats *st)
{
    if (LPM_IS_LEAF(s))
        return;
    if (LPM_IS_DIR(s)) {
        lpm_dir *d = lpm_dir_of(s);
        uint32_t c;
        st->dir_nodes++;
        st->bytes += d->bytes + (size_t)d->cap_short * sizeof *d->shorts;
        for (c = 0; c < (1u << d->stride); c++)
            lisp_lpm_slot_stats(*lpm_slot(d, c), st);
    } else {
        lpm_range *r = lpm_range_of(s);
        st->range_nodes++;
        st->ranges += r->nr;
        st->lines += r->lines;
        st->bytes += r->bytes;
    }
}
