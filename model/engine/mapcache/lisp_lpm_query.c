/*
 * lisp_lpm_query.c - walks over the LPM tree: key conversion, in-order iteration, the
 * Map-Resolver's negative prefix, statistics.
 */
#include "lisp_lpm_layout_internal.h"

lisp_lpm_key lisp_lpm_key_from_bytes(const uint8_t *addr, unsigned nbytes)
{
    uint64_t w[2] = {0, 0};
    unsigned i;

    for (i = 0; i < nbytes && i < 16; i++)
        w[i / 8] |= (uint64_t)addr[i] << (56 - 8 * (i % 8));
    return lpm_key(w[0], w[1]);
}

void lisp_lpm_key_to_bytes(lisp_lpm_key k, uint8_t *addr, unsigned nbytes)
{
    unsigned i;

    for (i = 0; i < nbytes && i < 16; i++)
        addr[i] = (uint8_t)((i < 8 ? k.hi : k.lo) >> (56 - 8 * (i % 8)));
}

/* First address of slot c of a directory whose first address is base. */
static lisp_lpm_key slot_base(const lpm_dir *d, lisp_lpm_key base, uint32_t c)
{
    if (!d->stride)
        return base;
    return lpm_key_or(base, lpm_key_shr(lpm_key((uint64_t)c << (64 - d->stride), 0), d->depth));
}

static uint32_t short_slot(const lpm_dir *d, const lpm_pfx *p)
{
    return lpm_key_bits(p->addr, d->depth, d->stride);
}

/* ---- in-order iteration ---- */

static int walk_dir(const lpm_dir *d, lisp_lpm_key base, lisp_lpm_visit *cb, void *user)
{
    uint32_t j = 0, c, i;
    int rc;

    /* A short prefix starts at its slot's first address and is shorter than everything
     * below the slot, so it comes first in (address, length) order. */
    for (c = 0; c < (1u << d->stride); c++) {
        uint64_t s = *lpm_slot(d, c);
        lisp_lpm_key b = slot_base(d, base, c);
        for (; j < d->n_short && short_slot(d, &d->shorts[j]) == c; j++) {
            rc = cb(user, d->shorts[j].addr, d->shorts[j].len, d->shorts[j].val);
            if (rc)
                return rc;
        }
        if (LPM_IS_LEAF(s))
            continue;
        if (LPM_IS_DIR(s)) {
            rc = walk_dir(lpm_dir_of(s), b, cb, user);
            if (rc)
                return rc;
            continue;
        }
        for (i = 0; i < lpm_range_of(s)->nm; i++) {
            lpm_pfx p = lisp_lpm_member(lpm_range_of(s), b, i);
            rc = cb(user, p.addr, p.len, p.val);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int lisp_lpm_foreach(const lisp_lpm *t, lisp_lpm_visit *cb, void *user)
{
    return walk_dir(&t->root, lpm_key(0, 0), cb, user);
}

/* ---- predecessor and successor among prefix start addresses ---- */

/* Keep the larger (want_max) or smaller candidate in *best. */
static void pick(bool *have, lisp_lpm_key *best, lisp_lpm_key cand, bool want_max)
{
    int cmp = *have ? lpm_key_cmp(cand, *best) : 0;
    if (!*have || (want_max ? cmp > 0 : cmp < 0))
        *best = cand;
    *have = true;
}

/* Extreme start in a slot's subtree: the last (want_max) or first one. */
static bool slot_edge(uint64_t s, lisp_lpm_key base, bool want_max, lisp_lpm_key *out);

static bool dir_edge(const lpm_dir *d, lisp_lpm_key base, bool want_max, lisp_lpm_key *out)
{
    uint32_t n = 1u << d->stride, i;
    bool have = false;
    lisp_lpm_key x;

    for (i = 0; i < n; i++) {
        uint32_t c = want_max ? n - 1 - i : i;
        if (slot_edge(*lpm_slot(d, c), slot_base(d, base, c), want_max, &x)) {
            pick(&have, out, x, want_max);
            break;
        }
    }
    if (d->n_short)
        pick(&have, out, d->shorts[want_max ? d->n_short - 1 : 0].addr, want_max);
    return have;
}

static bool slot_edge(uint64_t s, lisp_lpm_key base, bool want_max, lisp_lpm_key *out)
{
    const lpm_range *r;

    if (LPM_IS_LEAF(s))
        return false;
    if (LPM_IS_DIR(s))
        return dir_edge(lpm_dir_of(s), base, want_max, out);
    r = lpm_range_of(s);
    *out = lisp_lpm_member(r, base, want_max ? r->nm - 1 : 0).addr;
    return true;
}

/* The largest start <= addr (below) or the smallest start > addr (!below) in a subtree. */
static bool slot_near(uint64_t s, lisp_lpm_key base, lisp_lpm_key addr, bool below,
                      lisp_lpm_key *out);

static bool dir_near(const lpm_dir *d, lisp_lpm_key base, lisp_lpm_key addr, bool below,
                     lisp_lpm_key *out)
{
    uint32_t n = 1u << d->stride, c = lpm_key_bits(addr, d->depth, d->stride), lo, hi;
    bool have = slot_near(*lpm_slot(d, c), slot_base(d, base, c), addr, below, out);
    lisp_lpm_key x;

    /* Slots beyond c on the searched side hold only farther candidates than slot c's. */
    while (!have && (below ? c-- > 0 : ++c < n))
        have = slot_edge(*lpm_slot(d, c), slot_base(d, base, c), below, out);
    /* Shorts: the first whose start is > addr, and the one before it. */
    for (lo = 0, hi = d->n_short; lo < hi;) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (lpm_key_cmp(d->shorts[mid].addr, addr) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (below ? lo > 0 : lo < d->n_short) {
        x = d->shorts[below ? lo - 1 : lo].addr;
        pick(&have, out, x, below);
    }
    return have;
}

static bool slot_near(uint64_t s, lisp_lpm_key base, lisp_lpm_key addr, bool below,
                      lisp_lpm_key *out)
{
    const lpm_range *r;
    uint32_t lo, hi;

    if (LPM_IS_LEAF(s))
        return false;
    if (LPM_IS_DIR(s))
        return dir_near(lpm_dir_of(s), base, addr, below, out);
    r = lpm_range_of(s);
    for (lo = 0, hi = r->nm; lo < hi;) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (lpm_key_cmp(lisp_lpm_member(r, base, mid).addr, addr) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (below ? lo == 0 : lo == r->nm)
        return false;
    *out = lisp_lpm_member(r, base, below ? lo - 1 : lo).addr;
    return true;
}

/*
 * A prefix containing an uncovered addr is valid iff it contains no stored prefix (none
 * can contain it). It contains prefix P iff it is no longer than the common prefix of addr
 * and P's start (which is shorter than P, since P does not cover addr). So the answer is
 * one bit longer than the longest common prefix of addr with any stored start, and among
 * sorted starts that maximum is at addr's predecessor or successor.
 */
uint32_t lisp_lpm_gap(const lisp_lpm *t, lisp_lpm_key addr, unsigned *len)
{
    uint32_t v = lisp_lpm_lookup(t, addr);
    unsigned best = 0, cpl;
    lisp_lpm_key x;

    if (v != LISP_LPM_NONE)
        return v;
    if (dir_near(&t->root, lpm_key(0, 0), addr, true, &x) && (cpl = lpm_key_cpl(addr, x)) >= best)
        best = cpl + 1;
    if (dir_near(&t->root, lpm_key(0, 0), addr, false, &x) && (cpl = lpm_key_cpl(addr, x)) >= best)
        best = cpl + 1;
    *len = best;
    return LISP_LPM_NONE;
}

void lisp_lpm_get_stats(const lisp_lpm *t, lisp_lpm_stats *out)
{
    uint64_t c;

    memset(out, 0, sizeof *out);
    out->bytes = sizeof *t + ((size_t)16 << t->root.stride) +
                 (size_t)t->root.cap_short * sizeof *t->root.shorts;
    for (c = 0; c < (1ull << t->root.stride); c++)
        lisp_lpm_slot_stats(*lpm_slot(&t->root, (uint32_t)c), out);
}
