/*
 * lisp_lpm_layout_internal.h - the layout shared by the lisp_lpm*.c files (internal).
 *
 * A table is a tree of 64-bit slots. The root directory has 2^k slots, indexed by the top
 * k address bits. A slot is
 *   a leaf      bit 0 set: the value (or LISP_LPM_NONE) of every address of the slot;
 *   a range     a pointer to a RANGE node: the slot's address ranges, sorted, each with
 *               the value of its longest covering prefix;
 *   a directory a pointer to a DIR node: 2^stride slots over the next address bits.
 * Node pointers are 64-byte aligned, which leaves the low 6 bits for a tag saying how to
 * search the node, so a lookup never waits for a node header to decide what to do.
 *
 * Every node starts with a header (cold: updates only) just below its hot part, and holds
 * the authoritative copy of its prefixes: a RANGE node its members (the prefixes longer
 * than its depth), a DIR node its shorts (prefixes ending within its stride). `dflt` is the
 * value a node inherits for addresses none of its own prefixes cover.
 *
 * RANGE hot part: cache lines of ranges. A range key is the node-local address (the
 * address shifted left by the node's depth) truncated to kw bytes, kw in {2, 4, 8, 16}, the
 * fewest that hold the node's longest member. One line holds F keys and their F values;
 * unused entries repeat the last range, so "count the keys <= q" finds the range without
 * a data-dependent branch. More than F ranges: an index line first (entry 0 = number of
 * data lines m, entry j = first key of data line j), then m data lines. A node that would
 * need more than F * FI ranges is a DIR instead, which also bounds the cost of an update.
 * A RANGE node right below the root with 16-bit keys and at most 5 data lines keeps its 4
 * split keys in the root's split array instead of an index line (RIDX): the root is read
 * anyway, so such a lookup reads one line of the node instead of two. The split entry of
 * any other RANGE node in a root slot is zero, so that the IPv4 fast path finds its first
 * line (the index line) with the same arithmetic.
 *
 *   kw   F (keys+values per line)   FI (index entries)   capacity
 *    2   10                          32                   320
 *    4    8                          16                   128
 *    8    5                           8                    40
 *   16    3                           4                    12
 */
#ifndef LISP_LPM_INTERNAL_H
#define LISP_LPM_INTERNAL_H

#include <string.h>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define LPM_SSE2 1
#endif

#include "lisp_lpm_internal.h"

/* ---- slots ---- */

#define LPM_LINE 64
#define LPM_LEAF_BIT 1u
#define LPM_DIR_BIT 2u
#define LPM_TREE_BIT 16u /* RANGE: index line + data lines */
#define LPM_RIDX_BIT 32u /* RANGE below the root: data lines, split keys in the root */
#define LPM_TAG_MASK ((uint64_t)(LPM_LINE - 1))

#define LPM_LEAF(v) ((((uint64_t)(v)) << 1) | LPM_LEAF_BIT)
#define LPM_IS_LEAF(s) (((s)&LPM_LEAF_BIT) != 0)
#define LPM_LEAF_VAL(s) ((uint32_t)((s) >> 1))
#define LPM_IS_DIR(s) (((s) & (LPM_LEAF_BIT | LPM_DIR_BIT)) == LPM_DIR_BIT)
#define LPM_HOT(s) ((uint8_t *)(uintptr_t)((s) & ~LPM_TAG_MASK))
/* RANGE tag: key width class (0..3 for 2, 4, 8, 16 bytes) in bits 2-3, TREE in bit 4. */
#define LPM_KWC(s) ((unsigned)((s) >> 2) & 3u)
#define LPM_KWC_BITS (3u << 2)
/* DIR tag: stride - 1 in bits 2-5. */
#define LPM_STRIDE(s) ((unsigned)(((s) >> 2) & 15u) + 1u)
#define LPM_MAX_STRIDE 16

/* Nesting depth of a sweep: the node's default plus one prefix per length. */
#define LPM_MAX_DEPTH 130
/* The most ranges a RANGE node holds (kw 2), and the most members (bounds update cost). */
#define LPM_MAX_RANGES 320
#define LPM_MAX_MEMBERS 640

/* A prefix with its full address, as builds and the short lists keep them. */
typedef struct lpm_pfx {
    lisp_lpm_key addr;
    uint32_t val;
    uint8_t len;
} lpm_pfx;

typedef struct lpm_k128 {
    uint64_t hi, lo;
} lpm_k128; /* a 16-byte key as stored */

/* Split keys of a root slot's RANGE node with 16-bit keys and up to 5 data lines: key of
 * the first range of data lines 1..4, 0 when unused (no split is 0: line 0 starts there). */
typedef struct lpm_split {
    uint16_t k[4];
} lpm_split;

/* DIR node header (also the root, whose slots are allocated on their own). */
typedef struct lpm_dir {
    uint64_t *slots; /* 2^stride; the root's are 16 bytes: the slot, then its lpm_split */
    lpm_pfx *shorts; /* depth < len <= depth + stride, sorted by (addr, len) */
    uint32_t n_short, cap_short;
    uint32_t dflt;
    uint32_t count;   /* prefixes in this subtree, shorts included */
    uint32_t raw_off; /* inner DIR: hot - start of the allocation */
    uint32_t bytes;   /* inner DIR: allocation size */
    uint8_t depth;
    uint8_t stride;
    uint8_t wide; /* root: 1 (slots of two words) */
} lpm_dir;

/* Slot c of a directory, and the root's split entry beside it (NULL in inner DIRs). */
static inline uint64_t *lpm_slot(const lpm_dir *d, uint32_t c)
{
    return d->slots + ((size_t)c << d->wide);
}

static inline lpm_split *lpm_slot_split(const lpm_dir *d, uint32_t c)
{
    return d->wide ? (lpm_split *)(void *)(d->slots + ((size_t)c << 1) + 1) : NULL;
}

/* RANGE node header. Members follow the hot lines at hot + mem_off: keys (kw bytes each),
 * values (uint32), lengths (uint8), for cap_m members. */
typedef struct lpm_range {
    uint32_t raw_off;
    uint32_t bytes;
    uint32_t dflt;
    uint32_t nm, cap_m;
    uint32_t nr;
    uint32_t mem_off;
    uint8_t depth;
    uint8_t kw;
    uint8_t lines; /* hot lines in use, index line included */
    uint8_t pad_;
} lpm_range;

struct lisp_lpm {
    lisp_mem *mem;
    lpm_dir root;    /* depth 0, stride = k */
    uint8_t width;   /* 32 or 128 */
    uint8_t fixed_k; /* 0: k follows the table size */
};

static inline lpm_range *lpm_range_of(uint64_t s)
{
    return (lpm_range *)(void *)(LPM_HOT(s) - sizeof(lpm_range));
}

static inline lpm_dir *lpm_dir_of(uint64_t s)
{
    return (lpm_dir *)(void *)(LPM_HOT(s) - sizeof(lpm_dir));
}

/* Network-order bytes to host order: an IPv4 address, half an IPv6 one. */
static inline uint32_t lpm_load_be32(const uint8_t *a)
{
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static inline uint64_t lpm_load_be64(const uint8_t *a)
{
    return (uint64_t)lpm_load_be32(a) << 32 | lpm_load_be32(a + 4);
}

/* ---- 128-bit key arithmetic ---- */

static inline lisp_lpm_key lpm_key(uint64_t hi, uint64_t lo)
{
    lisp_lpm_key k = {hi, lo};
    return k;
}

static inline int lpm_key_cmp(lisp_lpm_key a, lisp_lpm_key b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

static inline lisp_lpm_key lpm_key_shl(lisp_lpm_key a, unsigned n)
{
    if (n == 0)
        return a;
    if (n >= 128)
        return lpm_key(0, 0);
    if (n >= 64)
        return lpm_key(a.lo << (n - 64), 0);
    return lpm_key((a.hi << n) | (a.lo >> (64 - n)), a.lo << n);
}

static inline lisp_lpm_key lpm_key_shr(lisp_lpm_key a, unsigned n)
{
    if (n == 0)
        return a;
    if (n >= 128)
        return lpm_key(0, 0);
    if (n >= 64)
        return lpm_key(0, a.hi >> (n - 64));
    return lpm_key(a.hi >> n, (a.lo >> n) | (a.hi << (64 - n)));
}

/* The low 128-len bits set: the host part of a /len. */
static inline lisp_lpm_key lpm_key_hostmask(unsigned len)
{
    return lpm_key_shr(lpm_key(~0ull, ~0ull), len);
}

static inline lisp_lpm_key lpm_key_or(lisp_lpm_key a, lisp_lpm_key b)
{
    return lpm_key(a.hi | b.hi, a.lo | b.lo);
}

static inline lisp_lpm_key lpm_key_andnot(lisp_lpm_key a, lisp_lpm_key b)
{
    return lpm_key(a.hi & ~b.hi, a.lo & ~b.lo);
}

/* The first len bits of a. */
static inline lisp_lpm_key lpm_key_net(lisp_lpm_key a, unsigned len)
{
    return lpm_key_andnot(a, lpm_key_hostmask(len));
}

static inline bool lpm_key_is_ones(lisp_lpm_key a)
{
    return a.hi == ~0ull && a.lo == ~0ull;
}

static inline lisp_lpm_key lpm_key_inc(lisp_lpm_key a)
{
    a.lo++;
    if (a.lo == 0)
        a.hi++;
    return a;
}

static inline lisp_lpm_key lpm_key_dec(lisp_lpm_key a)
{
    if (a.lo == 0)
        a.hi--;
    a.lo--;
    return a;
}

/* Length of the common prefix of a and b, 0..128. */
static inline unsigned lpm_key_cpl(lisp_lpm_key a, lisp_lpm_key b)
{
    uint64_t x = a.hi ^ b.hi;
    if (x)
        return (unsigned)__builtin_clzll(x);
    x = a.lo ^ b.lo;
    return x ? 64 + (unsigned)__builtin_clzll(x) : 128;
}

/* Address bits [pos, pos + n) as an integer, n <= 32. */
static inline uint32_t lpm_key_bits(lisp_lpm_key a, unsigned pos, unsigned n)
{
    return n ? (uint32_t)(lpm_key_shl(a, pos).hi >> (64 - n)) : 0;
}

/* ---- range lines ---- */

static inline unsigned lpm_kw_of_class(unsigned c)
{
    return 2u << c;
}

static inline unsigned lpm_class_of_kw(unsigned kw)
{
    return kw == 2 ? 0 : kw == 4 ? 1 : kw == 8 ? 2 : 3;
}

/* Keys and values per data line (F), and index entries per index line (FI), by class. */
static inline unsigned lpm_line_f(unsigned c)
{
    return c == 0 ? 10 : c == 1 ? 8 : c == 2 ? 5 : 3;
}

static inline unsigned lpm_index_f(unsigned c)
{
    return 32u >> c;
}

/* Offset of the values in a data line: after F keys, 4-byte aligned. */
static inline unsigned lpm_vals_at(unsigned c)
{
    return (lpm_line_f(c) * lpm_kw_of_class(c) + 3u) & ~3u;
}

/*
 * Searches inside a line have no data-dependent branch: a branch on a key that is still
 * on its way from memory would be mispredicted half the time and discard the work of the
 * lookups after it. Data lines count the keys <= q (entries are sorted, entry 0 is <= q by
 * construction), index lines use a fixed-shape binary search (binary lifting) over their
 * 2^j - 1 split keys. Comparisons are added as integers so that compilers emit setcc/adc
 * rather than jumps.
 */
#define LPM_LE(k, j, q) ((unsigned)((k)[j] <= (q)))

/* kw 2: ten keys, the values at byte 20. */
static inline uint32_t lpm_line16_scalar(const uint8_t *line, uint16_t q)
{
    const uint16_t *k = (const uint16_t *)(const void *)line;
    unsigned c = LPM_LE(k, 1, q) + LPM_LE(k, 2, q) + LPM_LE(k, 3, q) + LPM_LE(k, 4, q) +
                 LPM_LE(k, 5, q) + LPM_LE(k, 6, q) + LPM_LE(k, 7, q) + LPM_LE(k, 8, q) +
                 LPM_LE(k, 9, q);
    return ((const uint32_t *)(const void *)(line + 20))[c];
}

#ifdef LPM_SSE2
/* The same with SSE2 (baseline x86-64), in about half the instructions: the keys <= q are
 * a prefix of the line (keys are sorted), so their count is the trailing ones of a mask.
 * k <= q exactly when the saturating difference k - q is 0. */
static inline uint32_t lpm_line16_sse2(const uint8_t *line, uint16_t q)
{
    __m128i qv = _mm_set1_epi16((short)q), zero = _mm_setzero_si128();
    __m128i k0_7 = _mm_load_si128((const __m128i *)(const void *)line);
    __m128i k8_9 = _mm_loadl_epi64((const __m128i *)(const void *)(line + 16)); /* + value 0 */
    __m128i le = _mm_packs_epi16(_mm_cmpeq_epi16(_mm_subs_epu16(k0_7, qv), zero),
                                 _mm_cmpeq_epi16(_mm_subs_epu16(k8_9, qv), zero));
    unsigned n = (unsigned)__builtin_ctz(~((unsigned)_mm_movemask_epi8(le) & 0x3FFu));
    return ((const uint32_t *)(const void *)(line + 16))[n]; /* value n - 1 */
}
#define lpm_line16 lpm_line16_sse2
#else
#define lpm_line16 lpm_line16_scalar
#endif

/* kw 4: eight keys, the values at byte 32. */
static inline uint32_t lpm_line32(const uint8_t *line, uint32_t q)
{
    const uint32_t *k = (const uint32_t *)(const void *)line;
    unsigned c = LPM_LE(k, 1, q) + LPM_LE(k, 2, q) + LPM_LE(k, 3, q) + LPM_LE(k, 4, q) +
                 LPM_LE(k, 5, q) + LPM_LE(k, 6, q) + LPM_LE(k, 7, q);
    return ((const uint32_t *)(const void *)(line + 32))[c];
}

/* kw 8: five keys, the values at byte 40. */
static inline uint32_t lpm_line64(const uint8_t *line, uint64_t q)
{
    const uint64_t *k = (const uint64_t *)(const void *)line;
    unsigned c = LPM_LE(k, 1, q) + LPM_LE(k, 2, q) + LPM_LE(k, 3, q) + LPM_LE(k, 4, q);
    return ((const uint32_t *)(const void *)(line + 40))[c];
}

/* Which data line of a root RANGE node holds q: the splits <= q, with 0 never counted. */
static inline unsigned lpm_ridx_scalar(const lpm_split *sp, uint16_t q)
{
    return ((unsigned)(uint16_t)(sp->k[0] - 1u) < q) + ((unsigned)(uint16_t)(sp->k[1] - 1u) < q) +
           ((unsigned)(uint16_t)(sp->k[2] - 1u) < q) + ((unsigned)(uint16_t)(sp->k[3] - 1u) < q);
}

#ifdef LPM_SSE2
/* The same with SSE2. A split k counts when k - 1 < q, i.e. when the saturating q - (k - 1)
 * is not 0; 0 wraps to 0xFFFF and never counts, nor do the four zero lanes above the
 * splits. The splits in use ascend and the unused ones are 0, so the counted ones are a
 * prefix and their number is the position of the first uncounted lane. */
static inline unsigned lpm_ridx_sse2(const lpm_split *sp, uint16_t q)
{
    __m128i k = _mm_loadl_epi64((const __m128i *)(const void *)sp);
    __m128i km1 = _mm_add_epi16(k, _mm_set1_epi16(-1));
    __m128i stop =
        _mm_cmpeq_epi16(_mm_subs_epu16(_mm_set1_epi16((short)q), km1), _mm_setzero_si128());
    return (unsigned)__builtin_ctz((unsigned)_mm_movemask_epi8(stop)) >> 1;
}
#define lpm_ridx lpm_ridx_sse2
#else
#define lpm_ridx lpm_ridx_scalar
#endif

/* Index lines: entry 0 holds the number m of data lines, then 2^j - 1 split keys (unused
 * ones repeat the last split); the result is clamped to line m - 1. */
static inline unsigned lpm_clamp(unsigned c, unsigned m)
{
    unsigned last = m - 1;
    return c < last ? c : last;
}

static inline unsigned lpm_index16(const uint8_t *line, uint16_t q)
{
    const uint16_t *k = (const uint16_t *)(const void *)line;
    unsigned c = LPM_LE(k, 16, q) << 4;
    c += LPM_LE(k, c + 8, q) << 3;
    c += LPM_LE(k, c + 4, q) << 2;
    c += LPM_LE(k, c + 2, q) << 1;
    c += LPM_LE(k, c + 1, q);
    return lpm_clamp(c, k[0]);
}

static inline unsigned lpm_index32(const uint8_t *line, uint32_t q)
{
    const uint32_t *k = (const uint32_t *)(const void *)line;
    unsigned c = LPM_LE(k, 8, q) << 3;
    c += LPM_LE(k, c + 4, q) << 2;
    c += LPM_LE(k, c + 2, q) << 1;
    c += LPM_LE(k, c + 1, q);
    return lpm_clamp(c, k[0]);
}

static inline unsigned lpm_index64(const uint8_t *line, uint64_t q)
{
    const uint64_t *k = (const uint64_t *)(const void *)line;
    unsigned c = LPM_LE(k, 4, q) << 2;
    c += LPM_LE(k, c + 2, q) << 1;
    c += LPM_LE(k, c + 1, q);
    return lpm_clamp(c, (unsigned)k[0]);
}

static inline unsigned lpm_le128(const lpm_k128 *k, lisp_lpm_key q)
{
    return k->hi < q.hi || (k->hi == q.hi && k->lo <= q.lo);
}

static inline uint32_t lpm_line128(const uint8_t *line, lisp_lpm_key q)
{
    const lpm_k128 *k = (const lpm_k128 *)(const void *)line;
    unsigned c = lpm_le128(&k[1], q) + lpm_le128(&k[2], q);
    return ((const uint32_t *)(const void *)(line + 48))[c];
}

static inline unsigned lpm_index128(const uint8_t *line, lisp_lpm_key q)
{
    const lpm_k128 *k = (const lpm_k128 *)(const void *)line;
    unsigned c = lpm_le128(&k[1], q) + lpm_le128(&k[2], q) + lpm_le128(&k[3], q);
    unsigned last = (unsigned)k[0].lo - 1;
    return c < last ? c : last;
}

/* The data line of RANGE node s (not RIDX) that holds the node-local address `local`
 * (left-aligned): behind the index line if the node has one. */
static inline const uint8_t *lpm_range_index(uint64_t s, lisp_lpm_key local)
{
    const uint8_t *hot = LPM_HOT(s);

    if (!(s & LPM_TREE_BIT))
        return hot;
    switch (LPM_KWC(s)) {
    case 0:
        return hot + LPM_LINE * (1 + lpm_index16(hot, (uint16_t)(local.hi >> 48)));
    case 1:
        return hot + LPM_LINE * (1 + lpm_index32(hot, (uint32_t)(local.hi >> 32)));
    case 2:
        return hot + LPM_LINE * (1 + lpm_index64(hot, local.hi));
    default:
        return hot + LPM_LINE * (1 + lpm_index128(hot, local));
    }
}

/* Search data line `line` of RANGE node s for `local`. */
static inline uint32_t lpm_range_line(uint64_t s, const uint8_t *line, lisp_lpm_key local)
{
    switch (LPM_KWC(s)) {
    case 0:
        return lpm_line16(line, (uint16_t)(local.hi >> 48));
    case 1:
        return lpm_line32(line, (uint32_t)(local.hi >> 32));
    case 2:
        return lpm_line64(line, local.hi);
    default:
        return lpm_line128(line, local);
    }
}

/* Search a RANGE node (slot s, not RIDX) for `local`. */
static inline uint32_t lpm_range_find(uint64_t s, lisp_lpm_key local)
{
    return lpm_range_line(s, lpm_range_index(s, local), local);
}

/* ---- lisp_lpm_node.c: building and editing nodes ---- */

/* Build the subtree for `n` sorted prefixes (all longer than depth) below a slot at
 * `depth` whose inherited value is dflt: a RANGE node when they fit, else a DIR. split is
 * the root's split entry for a root slot (the node may then keep its index there), else
 * NULL. Returns the slot, or 0 when out of memory (nothing is left allocated). */
uint64_t lisp_lpm_build(lisp_mem *mem, unsigned width, unsigned depth, uint32_t dflt,
                        const lpm_pfx *p, uint32_t n, lpm_split *split);

/* Fill the slots and shorts of a directory from `n` sorted prefixes longer than d->depth
 * (d->slots allocated, d->depth, stride, dflt set). LISP_ERR_NOMEM frees what it built. */
int lisp_lpm_fill_dir(lisp_mem *mem, unsigned width, lpm_dir *d, const lpm_pfx *p, uint32_t n);

/* Free a slot's subtree. */
void lisp_lpm_free_slot(lisp_mem *mem, uint64_t s);

/* Member i of a RANGE node, with its full address; base is the node's first address. */
lpm_pfx lisp_lpm_member(const lpm_range *r, lisp_lpm_key base, uint32_t i);
/* Lower bound of (addr, len) among the members; *found if it is there. */
uint32_t lisp_lpm_member_find(const lpm_range *r, lisp_lpm_key base, lisp_lpm_key addr,
                              unsigned len, bool *found);
/* Remove member i of the RANGE node in *slot in place (never allocates); split as for
 * lisp_lpm_build. The slot becomes a leaf when the node empties. */
void lisp_lpm_member_drop(lisp_mem *mem, uint64_t *slot, lisp_lpm_key base, uint32_t i,
                          lpm_split *split);

/* Replace the inherited value `from` by `to` throughout a slot's subtree. */
void lisp_lpm_relabel(uint64_t *slot, uint32_t from, uint32_t to);

/* Ranges and RANGE nodes below a slot, for statistics. */
void lisp_lpm_slot_stats(uint64_t s, lisp_lpm_stats *st);

#endif /* LISP_LPM_INTERNAL_H */
