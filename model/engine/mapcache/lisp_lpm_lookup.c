/*
 * lisp_lpm_lookup.c - the per-packet path: longest-prefix match, read-only.
 *
 * A lookup reads the root slot (the root is small enough to stay in cache), then descends
 * through DIR slots if any, and searches one RANGE node: at most an index line and a data
 * line. What to do at each step is decided by the slot's tag, known before the node's
 * memory arrives, and the searches inside a line have no data-dependent branches; so
 * consecutive independent lookups overlap their cache misses.
 *
 * IPv4 has a fast path for the two root slots that make up nearly all of a large table,
 * RIDX (one data line) and leaf, which does not even branch on the tag: the lookup or the
 * batch pass that has just loaded a root slot would otherwise mispredict on every leaf
 * and throw away the work of the lookups after it.
 */
#include "lisp_lpm_layout_internal.h"

/* A hint to start loading a line we will read a little later; compilers without the
 * builtin just wait for the load. */
#if defined(__GNUC__) || defined(__clang__)
#define LPM_PREFETCH(p) __builtin_prefetch(p)
#else
#define LPM_PREFETCH(p) ((void)(p))
#endif

uint32_t lisp_lpm_lookup(const lisp_lpm *t, lisp_lpm_key addr)
{
    unsigned pos = t->root.stride;
    uint32_t c = lpm_key_bits(addr, 0, pos);
    uint64_t s = *lpm_slot(&t->root, c);

    if ((s & (LPM_LEAF_BIT | LPM_RIDX_BIT)) == LPM_RIDX_BIT) {
        uint16_t q = (uint16_t)(lpm_key_shl(addr, pos).hi >> 48);
        return lpm_line16(LPM_HOT(s) + LPM_LINE * lpm_ridx(lpm_slot_split(&t->root, c), q), q);
    }
    while (!LPM_IS_LEAF(s)) {
        if (LPM_IS_DIR(s)) {
            unsigned stride = LPM_STRIDE(s);
            s = ((const uint64_t *)(const void *)LPM_HOT(s))[lpm_key_bits(addr, pos, stride)];
            pos += stride;
            continue;
        }
        return lpm_range_find(s, lpm_key_shl(addr, pos));
    }
    return LPM_LEAF_VAL(s);
}

/* ---- IPv4 ---- */

/* What a leaf root slot searches instead of a data line: keys 0, so the search is valid
 * and its result is discarded. */
static const _Alignas(LPM_LINE) uint8_t zero_line[LPM_LINE];

static inline bool is_ridx(uint64_t s)
{
    return (s & (LPM_LEAF_BIT | LPM_RIDX_BIT)) == LPM_RIDX_BIT;
}

/* Neither RIDX nor leaf: DIR, or a RANGE node with an index line or wider keys. */
static inline bool is_deep(uint64_t s)
{
    return (s & (LPM_LEAF_BIT | LPM_RIDX_BIT)) == 0;
}

/* A RANGE node with 16-bit keys behind an index line: the batch reads it in two steps. */
static inline bool is_tree16(uint64_t s)
{
    return (s & (LPM_TAG_MASK & ~(uint64_t)LPM_RIDX_BIT)) == LPM_TREE_BIT;
}

/* A RANGE node with 16-bit keys. In a root slot it is RIDX or TREE16 (write_lines), and a
 * TREE16 node's split entry is zero, so its first line is LPM_HOT + LPM_LINE * lpm_ridx. */
static inline bool is_range16(uint64_t s)
{
    return (s & (LPM_LEAF_BIT | LPM_DIR_BIT | LPM_KWC_BITS)) == 0;
}

/* c ? a : b without a branch, for pointers that depend on a load still in flight. */
static inline const uint8_t *pick(bool c, const uint8_t *a, const uint8_t *b)
{
    uintptr_t m = (uintptr_t)0 - (uintptr_t)c;
    return (const uint8_t *)(((uintptr_t)a & m) | ((uintptr_t)b & ~m));
}

/* The root entry of addr, and in *q the 16 address bits after the root's k bits, as RIDX
 * and TREE16 nodes key them (one shift: k <= 24). */
static inline const uint64_t *root_entry(const uint64_t *root, unsigned k, uint32_t addr,
                                         uint16_t *q)
{
    uint64_t x = (uint64_t)addr << k;
    *q = (uint16_t)(x >> 16);
    return root + ((size_t)(x >> 32) << 1);
}

/* The first line a lookup of q reads below root entry e: a RIDX node's data line for q,
 * a TREE16 node's index line, or zero_line for any other slot. */
static inline const uint8_t *first_line(const uint64_t *e, uint16_t q)
{
    const uint8_t *line =
        LPM_HOT(e[0]) + LPM_LINE * lpm_ridx((const lpm_split *)(const void *)(e + 1), q);
    return pick(is_range16(e[0]), line, zero_line);
}

/* The answer of a leaf or RIDX slot s whose line search gave v. */
static inline uint32_t leaf_or(uint64_t s, uint32_t v)
{
    return LPM_IS_LEAF(s) ? LPM_LEAF_VAL(s) : v;
}

/* From root slot s down, for the slots the fast path leaves. */
static uint32_t walk32(uint64_t s, unsigned pos, uint32_t addr)
{
    while (!LPM_IS_LEAF(s)) {
        const uint8_t *hot = LPM_HOT(s);
        uint32_t q = (uint32_t)((uint64_t)addr << pos); /* the node-local address */
        if (LPM_IS_DIR(s)) {
            unsigned stride = LPM_STRIDE(s);
            s = ((const uint64_t *)(const void *)hot)[q >> (32 - stride)];
            pos += stride;
            continue;
        }
        switch (s & (LPM_TAG_MASK & ~(uint64_t)(LPM_LEAF_BIT | LPM_DIR_BIT))) {
        case 0: /* 16-bit keys, one line */
            return lpm_line16(hot, (uint16_t)(q >> 16));
        case LPM_TREE_BIT:
            return lpm_line16(hot + LPM_LINE * (1 + lpm_index16(hot, (uint16_t)(q >> 16))),
                              (uint16_t)(q >> 16));
        case 4: /* 32-bit keys */
            return lpm_line32(hot, q);
        case 4 | LPM_TREE_BIT:
            return lpm_line32(hot + LPM_LINE * (1 + lpm_index32(hot, q)), q);
        default: /* wider keys are never needed for 32-bit addresses */
            return lpm_range_find(s, lpm_key((uint64_t)q << 32, 0));
        }
    }
    return LPM_LEAF_VAL(s);
}

uint32_t lisp_lpm_lookup32(const lisp_lpm *t, uint32_t addr)
{
    unsigned k = t->root.stride;
    uint16_t q;
    const uint64_t *e = root_entry(t->root.slots, k, addr, &q);
    uint64_t s = e[0];
    uint32_t v = lpm_line16(first_line(e, q), q);

    if (is_deep(s))
        return walk32(s, k, addr);
    return leaf_or(s, v);
}

/*
 * Batches. Lookups go in groups through the same steps, and each step of a lookup touches
 * only memory whose prefetch its previous step issued, while the other lookups of the
 * group take their steps; so the group's cache misses overlap instead of queueing behind
 * each other (a single lookup costs two to five dependent misses on a large table).
 *
 * The general walk: a group of up to LPM_GROUP lookups below their root slots. For
 * lookup j, s[j] is its slot, local[j] its address shifted left past the slot's depth, and
 * line[j] the slot's data line if already known (RIDX) or NULL; what s[j] or line[j]
 * points at is being prefetched. Each pass steps the lookups still under way, in place.
 */
#define LPM_GROUP 32

/* local shifted left by a DIR stride (1..16 bits). */
static inline lisp_lpm_key shl_stride(lisp_lpm_key local, unsigned stride)
{
    return lpm_key(local.hi << stride | local.lo >> (64 - stride), local.lo << stride);
}

/* One step of a lookup; true when *out is its answer. */
static inline bool walk_step(uint64_t *s, lisp_lpm_key *local, const uint8_t **line, uint32_t *out)
{
    if (LPM_IS_LEAF(*s)) {
        *out = LPM_LEAF_VAL(*s);
        return true;
    }
    if (LPM_IS_DIR(*s)) {
        unsigned stride = LPM_STRIDE(*s);
        *s = ((const uint64_t *)(const void *)LPM_HOT(*s))[local->hi >> (64 - stride)];
        *local = shl_stride(*local, stride);
        if (!LPM_IS_LEAF(*s))
            LPM_PREFETCH(LPM_HOT(*s));
        return false;
    }
    if (!*line && (*s & LPM_TREE_BIT)) {
        *line = lpm_range_index(*s, *local);
        LPM_PREFETCH(*line);
        return false;
    }
    *out = lpm_range_line(*s, *line ? *line : LPM_HOT(*s), *local);
    return true;
}

static void walk_group(uint64_t *s, lisp_lpm_key *local, const uint8_t **line, unsigned m,
                       uint32_t *out)
{
    uint8_t todo[LPM_GROUP];
    unsigned i, n = m;

    for (i = 0; i < m; i++)
        todo[i] = (uint8_t)i;
    while (n) {
        unsigned left = 0;
        for (i = 0; i < n; i++) {
            unsigned j = todo[i];
            todo[left] = (uint8_t)j;
            left += !walk_step(&s[j], &local[j], &line[j], &out[j]);
        }
        n = left;
    }
}

/*
 * The fast path, in chunks of LPM_CHUNK lookups, in passes over the chunk: prefetch every
 * root entry; read them and prefetch the first line each needs (RIDX: its data line;
 * TREE16: its index line); for TREE16, search the index line and prefetch the data line;
 * search every data line. By the time a pass reaches lookup j, the memory it needs has had
 * a whole pass to arrive, so the misses of a chunk overlap. The passes branch only on the
 * loop counters: leaves search zero_line and keep their value, and the lists of TREE16
 * and other slots are appended to without branches.
 */
#define LPM_CHUNK 64

typedef struct lpm_chunk {
    const uint64_t *e[LPM_CHUNK]; /* root entries */
    const uint8_t *line[LPM_CHUNK];
    uint64_t s[LPM_CHUNK];
    uint16_t q[LPM_CHUNK];
    uint8_t deep[LPM_CHUNK]; /* lookups whose root slot is neither leaf nor RIDX */
    uint8_t walk[LPM_CHUNK]; /* those of them that are not TREE16 either */
    unsigned n_deep, n_walk;
} lpm_chunk;

static void chunk_roots(const lisp_lpm *t, const uint8_t *const *addr, unsigned m, lpm_chunk *c)
{
    const uint64_t *root = t->root.slots;
    unsigned k = t->root.stride, j;

    for (j = 0; j < m; j++) {
        c->e[j] = root_entry(root, k, lpm_load_be32(addr[j]), &c->q[j]);
        LPM_PREFETCH(c->e[j]);
    }
    c->n_deep = 0;
    for (j = 0; j < m; j++) {
        c->s[j] = c->e[j][0];
        c->line[j] = first_line(c->e[j], c->q[j]);
        LPM_PREFETCH(c->line[j]);
        c->deep[c->n_deep] = (uint8_t)j;
        c->n_deep += is_deep(c->s[j]);
    }
}

/* TREE16: search the index line, prefetch the data line. The others go to the walk. */
static void chunk_index(lpm_chunk *c)
{
    unsigned i;

    c->n_walk = 0;
    for (i = 0; i < c->n_deep; i++) {
        unsigned j = c->deep[i];
        if (is_tree16(c->s[j])) {
            c->line[j] += LPM_LINE * (1 + lpm_index16(c->line[j], c->q[j]));
            LPM_PREFETCH(c->line[j]);
        } else {
            c->walk[c->n_walk++] = (uint8_t)j;
        }
    }
}

static void chunk_search(const lpm_chunk *c, unsigned m, uint32_t *out)
{
    unsigned j;

    for (j = 0; j < m; j++)
        out[j] = leaf_or(c->s[j], lpm_line16(c->line[j], c->q[j]));
}

static void chunk_walk(const lisp_lpm *t, const uint8_t *const *addr, const lpm_chunk *c,
                       uint32_t *out)
{
    unsigned k = t->root.stride, i, g, m;
    lisp_lpm_key local[LPM_GROUP];
    const uint8_t *line[LPM_GROUP];
    uint64_t s[LPM_GROUP];
    uint32_t v[LPM_GROUP];

    for (g = 0; g < c->n_walk; g += m) {
        m = c->n_walk - g < LPM_GROUP ? c->n_walk - g : LPM_GROUP;
        for (i = 0; i < m; i++) {
            local[i] = lpm_key((uint64_t)lpm_load_be32(addr[c->walk[g + i]]) << (32 + k), 0);
            s[i] = c->s[c->walk[g + i]];
            line[i] = NULL;
            LPM_PREFETCH(LPM_HOT(s[i]));
        }
        walk_group(s, local, line, m, v);
        for (i = 0; i < m; i++)
            out[c->walk[g + i]] = v[i];
    }
}

void lisp_lpm_lookup32_batch(const lisp_lpm *t, const uint8_t *const *addr, size_t n, uint32_t *out)
{
    lpm_chunk c;
    size_t i;

    for (i = 0; i < n; i += LPM_CHUNK) {
        unsigned m = n - i < LPM_CHUNK ? (unsigned)(n - i) : LPM_CHUNK;
        chunk_roots(t, addr + i, m, &c);
        chunk_index(&c);
        chunk_search(&c, m, out + i);
        if (c.n_walk)
            chunk_walk(t, addr + i, &c, out + i);
    }
}

/* IPv6: the general walk, after a first pass that prefetches the root entries and a
 * second that reads them and prefetches the first node or line. */
void lisp_lpm_lookup_batch(const lisp_lpm *t, const uint8_t *const *addr, size_t n, uint32_t *out)
{
    unsigned k = t->root.stride, m, j;
    size_t g;

    for (g = 0; g < n; g += m) {
        lisp_lpm_key local[LPM_GROUP];
        const uint64_t *e[LPM_GROUP];
        const uint8_t *line[LPM_GROUP];
        uint64_t s[LPM_GROUP];

        m = n - g < LPM_GROUP ? (unsigned)(n - g) : LPM_GROUP;
        for (j = 0; j < m; j++) {
            lisp_lpm_key a = lpm_key(lpm_load_be64(addr[g + j]), lpm_load_be64(addr[g + j] + 8));
            e[j] = t->root.slots + ((size_t)lpm_key_bits(a, 0, k) << 1);
            local[j] = lpm_key_shl(a, k);
            LPM_PREFETCH(e[j]);
        }
        for (j = 0; j < m; j++) {
            uint16_t q = (uint16_t)(local[j].hi >> 48);
            s[j] = e[j][0];
            line[j] = NULL;
            if (is_ridx(s[j])) {
                line[j] = LPM_HOT(s[j]) +
                          LPM_LINE * lpm_ridx((const lpm_split *)(const void *)(e[j] + 1), q);
                LPM_PREFETCH(line[j]);
            } else if (!LPM_IS_LEAF(s[j])) {
                LPM_PREFETCH(LPM_HOT(s[j]));
            }
        }
        walk_group(s, local, line, m, out + g);
    }
}
