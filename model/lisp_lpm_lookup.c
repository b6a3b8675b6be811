/*
 * lisp_lpm_lookup.c - the per-packet path: longest-prefix match, read-only.
 *
 * A lookup reads the root slot (the root is small enough to stay in cache), then descends
 * through DIR slots if any, and searches one RANGE node: at most an index line and a data
 * line. What to do at each step is decided by the slot's tag, known before the node's
 * memory arrives, and the searches inside a line have no data-dependent branches; so
 * consecutive independent lookups overlap their cache misses.
 */
#include "lisp_lpm_internal.h"

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

uint32_t lisp_lpm_lookup32(const lisp_lpm *t, uint32_t addr)
{
    unsigned pos = t->root.stride;
    uint32_t c = (uint32_t)((uint64_t)addr >> (32 - pos));
    uint64_t s = *lpm_slot(&t->root, c);

    if ((s & (LPM_LEAF_BIT | LPM_RIDX_BIT)) == LPM_RIDX_BIT) {
        uint16_t q = (uint16_t)((uint32_t)((uint64_t)addr << pos) >> 16);
        return lpm_line16(LPM_HOT(s) + LPM_LINE * lpm_ridx(lpm_slot_split(&t->root, c), q), q);
    }
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

/* One 32-bit range search in a RANGE node whose data line is known. */
static uint32_t line32_of(uint64_t s, const uint8_t *line, uint32_t q)
{
    switch (LPM_KWC(s)) {
    case 0:
        return lpm_line16(line, (uint16_t)(q >> 16));
    case 1:
        return lpm_line32(line, q);
    default:
        return lpm_range_find(s, lpm_key((uint64_t)q << 32, 0));
    }
}

static const uint8_t *index32_of(uint64_t s, const uint8_t *hot, uint32_t q)
{
    switch (LPM_KWC(s)) {
    case 0:
        return hot + LPM_LINE * (1 + lpm_index16(hot, (uint16_t)(q >> 16)));
    case 1:
        return hot + LPM_LINE * (1 + lpm_index32(hot, q));
    default:
        return hot; /* searched whole by lpm_range_find */
    }
}

/*
 * Batches: each step of every lookup of a group touches only memory whose prefetch the
 * previous step issued, so a group's cache misses overlap instead of queueing behind each
 * other (a single lookup costs two dependent misses on a large table). The order of work
 * differs from lisp_lpm_lookup32, never the answer.
 */
#define LPM_GROUP 32

void lisp_lpm_lookup32_batch(const lisp_lpm *t, const uint32_t *addr, size_t n, uint32_t *out)
{
    size_t g0;

    for (g0 = 0; g0 < n; g0 += LPM_GROUP) {
        unsigned m = n - g0 < LPM_GROUP ? (unsigned)(n - g0) : LPM_GROUP, j, pending = 0;
        uint64_t s[LPM_GROUP];
        const uint8_t *line[LPM_GROUP]; /* the data line to search, once known */
        uint8_t pos[LPM_GROUP];

        for (j = 0; j < m; j++) {
            uint32_t c = (uint32_t)((uint64_t)addr[g0 + j] >> (32 - t->root.stride));
            s[j] = *lpm_slot(&t->root, c);
            pos[j] = t->root.stride;
            line[j] = NULL;
            if (LPM_IS_LEAF(s[j])) {
                out[g0 + j] = LPM_LEAF_VAL(s[j]);
                continue;
            }
            if (s[j] & LPM_RIDX_BIT) {
                uint16_t q = (uint16_t)((uint32_t)((uint64_t)addr[g0 + j] << pos[j]) >> 16);
                line[j] = LPM_HOT(s[j]) + LPM_LINE * lpm_ridx(lpm_slot_split(&t->root, c), q);
            }
            LPM_PREFETCH(line[j] ? line[j] : LPM_HOT(s[j]));
            pending++;
        }
        while (pending) {
            for (j = 0; j < m; j++) {
                const uint8_t *hot;
                uint32_t q;
                if (LPM_IS_LEAF(s[j]))
                    continue;
                hot = LPM_HOT(s[j]);
                q = (uint32_t)((uint64_t)addr[g0 + j] << pos[j]);
                if (LPM_IS_DIR(s[j])) {
                    unsigned stride = LPM_STRIDE(s[j]);
                    s[j] = ((const uint64_t *)(const void *)hot)[q >> (32 - stride)];
                    pos[j] = (uint8_t)(pos[j] + stride);
                    if (LPM_IS_LEAF(s[j])) {
                        out[g0 + j] = LPM_LEAF_VAL(s[j]);
                        pending--;
                    } else {
                        LPM_PREFETCH(LPM_HOT(s[j]));
                    }
                } else if ((s[j] & LPM_TREE_BIT) && !line[j] && LPM_KWC(s[j]) < 2) {
                    line[j] = index32_of(s[j], hot, q);
                    LPM_PREFETCH(line[j]);
                } else {
                    out[g0 + j] = line32_of(s[j], line[j] ? line[j] : hot, q);
                    s[j] = LPM_LEAF(0); /* done */
                    pending--;
                }
            }
        }
    }
}
