/*
 * test_mapcache.c - unit tests for the map-cache (lisp_mapcache*.c) and its LPM
 * (lisp_lpm*.c): longest-prefix match against a brute-force reference on random prefix
 * sets (single and batched lookups), updates, expiry, eviction, negative prefixes, memory
 * footprint, allocation failure, argument checks, the Map-Reply record helper, and the SSE2
 * line searches against their scalar forms. Timestamps are literals; the random
 * sets come from a fixed-seed xorshift, so every run is the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lisp_counting_alloc.h"
#include "lisp_lpm_layout_internal.h" /* the line searches, compared with their scalar forms */
#include "lisp_mapcache.h"

#define lt_assert_rc(expr, want)                                                                   \
    do {                                                                                           \
        int rc_ = (expr), want_ = (want);                                                          \
        if (rc_ != want_)                                                                          \
            fail_msg("%s = %d (%s), want %d (%s)", #expr, rc_, lisp_strerror(rc_), want_,          \
                     lisp_strerror(want_));                                                        \
    } while (0)

#define SEC LISP_NS_PER_SEC

/* ---- helpers ---- */

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned afi_bytes(uint16_t afi)
{
    return afi == LISP_AFI_IPV4 ? 4 : 16;
}

static lisp_eid v4(uint32_t iid, uint32_t a, uint8_t len)
{
    lisp_eid e;
    memset(&e, 0, sizeof e);
    e.iid = iid;
    e.afi = LISP_AFI_IPV4;
    e.mask_len = len;
    e.addr[0] = (uint8_t)(a >> 24);
    e.addr[1] = (uint8_t)(a >> 16);
    e.addr[2] = (uint8_t)(a >> 8);
    e.addr[3] = (uint8_t)a;
    return e;
}

/* IPv6 from its first 64 bits (the rest zero) */
static lisp_eid v6(uint32_t iid, uint64_t hi, uint8_t len)
{
    lisp_eid e;
    int i;
    memset(&e, 0, sizeof e);
    e.iid = iid;
    e.afi = LISP_AFI_IPV6;
    e.mask_len = len;
    for (i = 0; i < 8; i++)
        e.addr[i] = (uint8_t)(hi >> (56 - 8 * i));
    return e;
}

static void clear_host(uint8_t *a, unsigned nbytes, unsigned len)
{
    unsigned b;
    for (b = len; b < 8 * nbytes; b++)
        a[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
}

/* Common prefix length of two addresses of nbytes. */
static unsigned cpl(const uint8_t *x, const uint8_t *y, unsigned nbytes)
{
    unsigned i, b;
    for (i = 0; i < nbytes && x[i] == y[i]; i++)
        ;
    if (i == nbytes)
        return 8 * nbytes;
    for (b = 0; !((x[i] ^ y[i]) & (0x80u >> b)); b++)
        ;
    return 8 * i + b;
}

static lisp_mapcache_mapping mapping(uint64_t user, const lisp_mapcache_loc *locs, uint16_t n)
{
    lisp_mapcache_mapping m;
    memset(&m, 0, sizeof m);
    m.action = n ? LISP_ACT_NO_ACTION : LISP_ACT_NATIVELY_FORWARD;
    m.map_version = (uint16_t)(user & 0xFFF);
    m.loc_count = n;
    m.locators = locs;
    m.user = user;
    return m;
}

static lisp_mapcache_loc rloc4(uint32_t a, uint8_t prio)
{
    lisp_mapcache_loc l;
    memset(&l, 0, sizeof l);
    l.afi = LISP_AFI_IPV4;
    l.addr[0] = (uint8_t)(a >> 24);
    l.addr[1] = (uint8_t)(a >> 16);
    l.addr[2] = (uint8_t)(a >> 8);
    l.addr[3] = (uint8_t)a;
    l.priority = prio;
    l.weight = 100;
    l.flags = LISP_LOC_F_R;
    return l;
}

static int put_never(lisp_mapcache *mc, lisp_eid e, uint64_t user)
{
    lisp_mapcache_mapping m = mapping(user, NULL, 0);
    return lisp_mapcache_put(mc, &e, &m, LISP_TIME_NEVER);
}

static lisp_mapcache *new_counted(lisp_counting_alloc *t, lisp_allocator *a,
                                  uint32_t max_entries)
{
    lisp_mapcache_config cfg;
    *a = lisp_counting_alloc_init(t);
    memset(&cfg, 0, sizeof cfg);
    cfg.alloc = a;
    cfg.max_entries = max_entries;
    return lisp_mapcache_new(&cfg);
}

/* ---- the brute-force reference ---- */

#define REF_MAX 6000

typedef struct ref_entry {
    lisp_eid p;
    uint64_t user;
    bool live;
} ref_entry;

typedef struct ref {
    ref_entry e[REF_MAX];
    size_t n;
} ref;

static ref_entry *ref_find(ref *r, const lisp_eid *p)
{
    size_t i;
    for (i = 0; i < r->n; i++)
        if (r->e[i].live && r->e[i].p.iid == p->iid && r->e[i].p.afi == p->afi &&
            r->e[i].p.mask_len == p->mask_len &&
            memcmp(r->e[i].p.addr, p->addr, afi_bytes(p->afi)) == 0)
            return &r->e[i];
    return NULL;
}

static size_t ref_count(const ref *r)
{
    size_t i, n = 0;
    for (i = 0; i < r->n; i++)
        n += r->e[i].live;
    return n;
}

static const ref_entry *ref_lpm(const ref *r, uint32_t iid, uint16_t afi, const uint8_t *a)
{
    const ref_entry *best = NULL;
    size_t i;
    for (i = 0; i < r->n; i++) {
        const ref_entry *x = &r->e[i];
        if (!x->live || x->p.iid != iid || x->p.afi != afi)
            continue;
        if (cpl(x->p.addr, a, afi_bytes(afi)) >= x->p.mask_len &&
            (!best || x->p.mask_len > best->p.mask_len))
            best = x;
    }
    return best;
}

/* Shortest prefix containing a that contains no stored prefix (a uncovered). */
static unsigned ref_gap(const ref *r, uint32_t iid, uint16_t afi, const uint8_t *a)
{
    unsigned len, bits = 8 * afi_bytes(afi);
    size_t i;
    for (len = 0; len <= bits; len++) {
        bool ok = true;
        for (i = 0; i < r->n && ok; i++) {
            const ref_entry *x = &r->e[i];
            if (x->live && x->p.iid == iid && x->p.afi == afi && x->p.mask_len >= len &&
                cpl(x->p.addr, a, afi_bytes(afi)) >= len)
                ok = false;
        }
        if (ok)
            return len;
    }
    fail_msg("no gap");
    return 0;
}

static const uint32_t iids[] = {0, 7, 0xFFFFFF};
static const uint32_t v4_clusters[] = {0x0A000000, 0x0A010000, 0xC0A80000, 0x64400000};
static const uint64_t v6_clusters[] = {0x20010DB800000000ull, 0x20010DB8AB000000ull,
                                       0x2A00000000000000ull};

/* A random prefix, often in a cluster so that prefixes nest and crowd one LPM slot. */
static lisp_eid random_prefix(uint16_t afi)
{
    static const uint8_t v4_lens[] = {0,  1,  7,  8,  12, 15, 16, 17, 20,
                                      23, 24, 24, 24, 25, 28, 31, 32, 32};
    static const uint8_t v6_lens[] = {0,  1,  16, 29, 32, 33, 40,  47,  48, 48,
                                      48, 56, 63, 64, 65, 96, 127, 128, 128};
    lisp_eid e;
    unsigned nbytes = afi_bytes(afi), i;
    uint32_t iid = iids[rnd() % 3];

    memset(&e, 0, sizeof e);
    e.iid = iid;
    e.afi = afi;
    for (i = 0; i < nbytes; i++)
        e.addr[i] = (uint8_t)rnd();
    if (afi == LISP_AFI_IPV4) {
        e.mask_len = v4_lens[rnd() % sizeof v4_lens];
        if (rnd() % 4) { /* inside a /12..16 cluster */
            uint32_t c = v4_clusters[rnd() % 4];
            unsigned keep = 12 + (unsigned)(rnd() % 5), b;
            for (b = 0; b < keep; b++) {
                uint8_t bit = (uint8_t)((c >> (31 - b)) & 1);
                e.addr[b / 8] =
                    (uint8_t)((e.addr[b / 8] & ~(0x80u >> (b % 8))) | (bit << (7 - b % 8)));
            }
        }
    } else {
        e.mask_len = v6_lens[rnd() % sizeof v6_lens];
        if (rnd() % 4) {
            uint64_t c = v6_clusters[rnd() % 3];
            unsigned keep = 24 + (unsigned)(rnd() % 17), b;
            for (b = 0; b < keep; b++) {
                uint8_t bit = (uint8_t)((c >> (63 - b)) & 1);
                e.addr[b / 8] =
                    (uint8_t)((e.addr[b / 8] & ~(0x80u >> (b % 8))) | (bit << (7 - b % 8)));
            }
        }
    }
    clear_host(e.addr, 16, e.mask_len);
    if (afi == LISP_AFI_IPV4)
        memset(e.addr + 4, 0, 12);
    return e;
}

/* An address to look up: inside a stored prefix, near one, or anywhere. */
static void random_addr(const ref *r, uint16_t afi, uint8_t *a)
{
    unsigned nbytes = afi_bytes(afi), i, b;
    for (i = 0; i < 16; i++)
        a[i] = (uint8_t)rnd();
    if (r->n && rnd() % 3) {
        const ref_entry *x = &r->e[rnd() % r->n];
        if (x->p.afi == afi) {
            unsigned keep = x->p.mask_len;
            if (rnd() % 2 && keep > 0)
                keep -= (unsigned)(rnd() % (keep < 8 ? keep : 8)); /* a near miss */
            for (b = 0; b < keep; b++) {
                uint8_t bit = (uint8_t)((x->p.addr[b / 8] >> (7 - b % 8)) & 1);
                a[b / 8] = (uint8_t)((a[b / 8] & ~(0x80u >> (b % 8))) | (bit << (7 - b % 8)));
            }
        }
    }
    if (nbytes == 4)
        memset(a + 4, 0, 12);
}

typedef struct walk {
    const lisp_mapcache_entry *prev;
    size_t n;
} walk;

static int cmp_entries(const lisp_mapcache_entry *x, const lisp_mapcache_entry *y)
{
    int c;
    if (x->prefix.iid != y->prefix.iid)
        return x->prefix.iid < y->prefix.iid ? -1 : 1;
    if (x->prefix.afi != y->prefix.afi)
        return x->prefix.afi < y->prefix.afi ? -1 : 1;
    c = memcmp(x->prefix.addr, y->prefix.addr, afi_bytes(x->prefix.afi));
    if (c)
        return c;
    return (int)x->prefix.mask_len - (int)y->prefix.mask_len;
}

static int walk_order(void *user, const lisp_mapcache_entry *e)
{
    walk *w = user;
    if (w->prev && cmp_entries(w->prev, e) >= 0)
        fail_msg("foreach out of order");
    w->prev = e;
    w->n++;
    return 0;
}

/* Batch lookups answer as single lookups do (which check_against_ref holds against the
 * reference), for every instance and family, in batches that are not whole chunks. */
#define N_BATCH 203

static void check_batch(const lisp_mapcache *mc, const ref *r)
{
    uint8_t addrs[N_BATCH][16];
    const uint8_t *ptr[N_BATCH];
    const lisp_mapcache_entry *out[N_BATCH];
    unsigned i, x, afi_i;

    for (x = 0; x < sizeof iids / sizeof iids[0]; x++) {
        for (afi_i = 0; afi_i < 2; afi_i++) {
            uint16_t afi = afi_i ? LISP_AFI_IPV6 : LISP_AFI_IPV4;
            for (i = 0; i < N_BATCH; i++) {
                random_addr(r, afi, addrs[i]);
                ptr[i] = addrs[i];
            }
            lisp_mapcache_lookup_batch(mc, iids[x], afi, N_BATCH, ptr, out);
            for (i = 0; i < N_BATCH; i++)
                assert_ptr_equal(out[i], lisp_mapcache_lookup(mc, iids[x], afi, addrs[i]));
        }
    }
}

/* Everything the cache answers agrees with the reference. */
static void check_against_ref(const lisp_mapcache *mc, const ref *r, int queries)
{
    walk w = {NULL, 0};
    size_t i;
    int q;

    assert_int_equal(lisp_mapcache_count(mc), ref_count(r));
    for (i = 0; i < r->n; i++) {
        const lisp_mapcache_entry *e = lisp_mapcache_get(mc, &r->e[i].p);
        if (!r->e[i].live)
            continue;
        assert_non_null(e);
        assert_int_equal(e->user, r->e[i].user);
        assert_int_equal(e->prefix.mask_len, r->e[i].p.mask_len);
        assert_memory_equal(e->prefix.addr, r->e[i].p.addr, 16);
    }
    assert_int_equal(lisp_mapcache_foreach(mc, walk_order, &w), 0);
    assert_int_equal(w.n, ref_count(r));

    for (q = 0; q < queries; q++) {
        uint16_t afi = q % 2 ? LISP_AFI_IPV6 : LISP_AFI_IPV4;
        uint32_t iid = iids[rnd() % 3];
        uint8_t a[16];
        const ref_entry *want;
        const lisp_mapcache_entry *got;
        lisp_eid neg;
        int rc;

        random_addr(r, afi, a);
        want = ref_lpm(r, iid, afi, a);
        got = lisp_mapcache_lookup(mc, iid, afi, a);
        if (!want) {
            if (got)
                fail_msg("lookup hit /%u, reference misses", got->prefix.mask_len);
        } else {
            if (!got)
                fail_msg("lookup misses, reference /%u", want->p.mask_len);
            assert_int_equal(got->user, want->user);
        }
        if (q % 8 == 0) {
            rc = lisp_mapcache_negative_prefix(mc, iid, afi, a, &neg);
            if (want) {
                assert_int_equal(rc, LISP_MAPCACHE_COVERED);
                assert_int_equal(neg.mask_len, want->p.mask_len);
            } else {
                uint8_t masked[16];
                assert_int_equal(rc, LISP_OK);
                assert_int_equal(neg.mask_len, ref_gap(r, iid, afi, a));
                memcpy(masked, a, 16);
                clear_host(masked, 16, neg.mask_len);
                assert_memory_equal(neg.addr, masked, afi_bytes(afi));
                assert_int_equal(neg.iid, iid);
            }
        }
    }
    check_batch(mc, r);
}

/* ---- tests ---- */

/* Random puts, replaces and deletes over IPv4 and IPv6 in three instance-IDs, checked
 * against brute force after each phase; clustered prefixes force split LPM slots. */
static void random_workload(uint8_t direct_bits, size_t target)
{
    lisp_mapcache_config cfg;
    lisp_mapcache *mc;
    ref *r = calloc(1, sizeof *r);
    int phase;
    size_t i;

    assert_non_null(r);
    memset(&cfg, 0, sizeof cfg);
    cfg.lpm_direct_bits = direct_bits;
    mc = lisp_mapcache_new(&cfg);
    assert_non_null(mc);
    for (phase = 0; phase < 4; phase++) {
        /* grow towards target, replacing now and then */
        while (ref_count(r) < target && r->n < REF_MAX) {
            lisp_eid p = random_prefix(rnd() % 3 ? LISP_AFI_IPV4 : LISP_AFI_IPV6);
            ref_entry *x = ref_find(r, &p);
            uint64_t user = rnd();
            lt_assert_rc(put_never(mc, p, user), LISP_OK);
            if (x) {
                x->user = user;
            } else {
                r->e[r->n].p = p;
                r->e[r->n].user = user;
                r->e[r->n].live = true;
                r->n++;
            }
        }
        check_against_ref(mc, r, 3000);
        /* delete about half, and some prefixes that are not there */
        for (i = 0; i < r->n; i++) {
            if (r->e[i].live && rnd() % 2) {
                assert_int_equal(lisp_mapcache_del(mc, &r->e[i].p), 1);
                r->e[i].live = false;
            }
        }
        for (i = 0; i < 200; i++) {
            lisp_eid p = random_prefix(LISP_AFI_IPV4);
            if (!ref_find(r, &p))
                assert_int_equal(lisp_mapcache_del(mc, &p), 0);
        }
        check_against_ref(mc, r, 3000);
    }
    /* empty it completely: every table and node must go */
    for (i = 0; i < r->n; i++)
        if (r->e[i].live)
            assert_int_equal(lisp_mapcache_del(mc, &r->e[i].p), 1);
    assert_int_equal(lisp_mapcache_count(mc), 0);
    lisp_mapcache_free(mc);
    free(r);
}

static void test_lpm_random_small(void **state)
{
    (void)state;
    random_workload(0, 300);
}

static void test_lpm_random_large(void **state)
{
    (void)state;
    random_workload(0, 4000); /* crosses the adaptive root sizes 0, 4 and 8 bits */
}

static void test_lpm_random_fixed_k(void **state)
{
    (void)state;
    random_workload(16, 1500);
    random_workload(4, 1500);
}

/* /0, /32, /128 and nesting, by hand. */
static void test_lpm_edges(void **state)
{
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    uint8_t a[16] = {0};
    const lisp_mapcache_entry *e;
    lisp_eid p;

    (void)state;
    assert_null(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a));
    lt_assert_rc(put_never(mc, v4(0, 0, 0), 1), LISP_OK);
    lt_assert_rc(put_never(mc, v4(0, 0x0A000000, 8), 2), LISP_OK);
    lt_assert_rc(put_never(mc, v4(0, 0x0A010203, 32), 3), LISP_OK);
    lt_assert_rc(put_never(mc, v6(0, 0, 0), 4), LISP_OK);
    p = v6(0, 0x20010DB800000000ull, 128);
    p.addr[15] = 1;
    lt_assert_rc(put_never(mc, p, 5), LISP_OK);

    a[0] = 10, a[1] = 1, a[2] = 2, a[3] = 3;
    assert_int_equal(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a)->user, 3);
    a[3] = 4;
    assert_int_equal(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a)->user, 2);
    a[0] = 11;
    assert_int_equal(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a)->user, 1);
    a[0] = 255, a[1] = 255, a[2] = 255, a[3] = 255;
    assert_int_equal(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a)->user, 1);
    assert_null(lisp_mapcache_lookup(mc, 1, LISP_AFI_IPV4, a)); /* another instance */

    e = lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV6, p.addr);
    assert_int_equal(e->user, 5);
    assert_int_equal(e->prefix.mask_len, 128);
    p.addr[15] = 2;
    assert_int_equal(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV6, p.addr)->user, 4);

    /* removing the /0 leaves the rest */
    assert_int_equal(lisp_mapcache_del(mc, &(lisp_eid){0, LISP_AFI_IPV4, 0, {0}}), 1);
    a[0] = 11;
    assert_null(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a));
    a[0] = 10;
    assert_int_equal(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a)->user, 2);
    lisp_mapcache_free(mc);
}

static void test_replace_and_shared_locators(void **state)
{
    lisp_mapcache_loc locs[2] = {rloc4(0xC0000201, 1), rloc4(0xC0000202, 2)};
    lisp_mapcache_loc other = rloc4(0xC0000203, 1);
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    lisp_mapcache_mapping m = mapping(1, locs, 2);
    lisp_eid p1 = v4(0, 0x0A010000, 16), p2 = v4(0, 0x0A020000, 16);
    const lisp_mapcache_entry *e1, *e2;
    lisp_mapcache_stats st;

    (void)state;
    lt_assert_rc(lisp_mapcache_put(mc, &p1, &m, 100 * SEC), LISP_OK);
    /* garbage in the unused bytes of an IPv4 locator does not make a new set */
    memset(locs[0].addr + 4, 0xAA, 12);
    m.user = 2;
    lt_assert_rc(lisp_mapcache_put(mc, &p2, &m, 200 * SEC), LISP_OK);
    e1 = lisp_mapcache_get(mc, &p1);
    e2 = lisp_mapcache_get(mc, &p2);
    assert_ptr_equal(e1->locators, e2->locators);
    assert_int_equal(e1->loc_count, 2);
    assert_int_equal(e1->locators[1].priority, 2);
    assert_int_equal(e1->locators[0].addr[4], 0);
    lisp_mapcache_get_stats(mc, &st);
    assert_int_equal(st.locator_sets, 1);
    assert_int_equal(st.locators, 2);

    /* replace p1: same entry, new mapping and expiry */
    m = mapping(3, &other, 1);
    m.action = LISP_ACT_DROP_POLICY_DENIED;
    m.authoritative = true;
    m.map_version = 0xABC;
    lt_assert_rc(lisp_mapcache_put(mc, &p1, &m, 300 * SEC), LISP_OK);
    e1 = lisp_mapcache_get(mc, &p1);
    assert_int_equal(lisp_mapcache_count(mc), 2);
    assert_int_equal(e1->user, 3);
    assert_int_equal(e1->action, LISP_ACT_DROP_POLICY_DENIED);
    assert_true(e1->authoritative);
    assert_int_equal(e1->map_version, 0xABC);
    assert_int_equal(e1->loc_count, 1);
    assert_int_equal(e1->locators[0].addr[3], 3);
    assert_int_equal(e1->expires, 300 * SEC);
    assert_int_equal(lisp_mapcache_next_expiry(mc), 200 * SEC);
    lisp_mapcache_get_stats(mc, &st);
    assert_int_equal(st.locator_sets, 2);

    /* negative entry: no locators */
    m = mapping(4, NULL, 0);
    lt_assert_rc(lisp_mapcache_put(mc, &p2, &m, 300 * SEC), LISP_OK);
    e2 = lisp_mapcache_get(mc, &p2);
    assert_null(e2->locators);
    assert_int_equal(e2->action, LISP_ACT_NATIVELY_FORWARD);
    lisp_mapcache_get_stats(mc, &st);
    assert_int_equal(st.locator_sets, 1);
    lisp_mapcache_free(mc);
}

typedef struct gone {
    uint64_t users[16];
    lisp_time_t expires[16];
    size_t n;
} gone;

static void record_gone(void *user, const lisp_mapcache_entry *e)
{
    gone *g = user;
    assert_true(g->n < 16);
    g->users[g->n] = e->user;
    g->expires[g->n] = e->expires;
    g->n++;
}

static void test_expiry_order(void **state)
{
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    lisp_mapcache_mapping m;
    gone g;
    lisp_eid p;

    (void)state;
    assert_int_equal(lisp_mapcache_next_expiry(mc), LISP_TIME_NEVER);
    memset(&g, 0, sizeof g);
    assert_int_equal(lisp_mapcache_expire(mc, 1000 * SEC, record_gone, &g), 0);

    m = mapping(1, NULL, 0);
    p = v4(0, 0x0A000000, 8);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 300 * SEC), LISP_OK);
    m.user = 2;
    p = v4(0, 0x0B000000, 8);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 100 * SEC), LISP_OK);
    m.user = 3;
    p = v4(5, 0x0A000000, 8);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 200 * SEC), LISP_OK);
    m.user = 4;
    p = v6(0, 0x2001000000000000ull, 16);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, LISP_TIME_NEVER), LISP_OK);
    m.user = 5;
    p = v4(0, 0x0C000000, 8);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 200 * SEC), LISP_OK);
    assert_int_equal(lisp_mapcache_next_expiry(mc), 100 * SEC);

    assert_int_equal(lisp_mapcache_expire(mc, 99 * SEC, record_gone, &g), 0);
    assert_int_equal(lisp_mapcache_expire(mc, 100 * SEC, record_gone, &g), 1);
    assert_int_equal(g.users[0], 2);
    assert_int_equal(lisp_mapcache_next_expiry(mc), 200 * SEC);
    /* equal expiry: both go, in a fixed order */
    assert_int_equal(lisp_mapcache_expire(mc, 250 * SEC, record_gone, &g), 2);
    assert_int_equal(g.expires[1], 200 * SEC);
    assert_int_equal(g.expires[2], 200 * SEC);
    assert_true((g.users[1] == 3 && g.users[2] == 5) || (g.users[1] == 5 && g.users[2] == 3));
    assert_int_equal(lisp_mapcache_next_expiry(mc), 300 * SEC);

    /* re-timing an entry by replacing it moves it in the order */
    m.user = 6;
    p = v4(0, 0x0A000000, 8);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 150 * SEC), LISP_OK);
    assert_int_equal(lisp_mapcache_next_expiry(mc), 150 * SEC);
    /* NEVER entries never expire, even at the end of time */
    assert_int_equal(lisp_mapcache_expire(mc, LISP_TIME_NEVER, NULL, NULL), 1);
    assert_int_equal(lisp_mapcache_count(mc), 1);
    assert_int_equal(lisp_mapcache_next_expiry(mc), LISP_TIME_NEVER);
    assert_null(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){10, 0, 0, 1}));
    lisp_mapcache_free(mc);
}

static void test_eviction(void **state)
{
    lisp_mapcache_config cfg;
    lisp_mapcache *mc;
    lisp_mapcache_mapping m;
    gone g;
    lisp_eid p;
    uint32_t i;

    (void)state;
    memset(&g, 0, sizeof g);
    memset(&cfg, 0, sizeof cfg);
    cfg.max_entries = 4;
    cfg.on_evict = record_gone;
    cfg.evict_user = &g;
    mc = lisp_mapcache_new(&cfg);
    for (i = 0; i < 4; i++) {
        static const lisp_time_t expiry[4] = {500 * SEC, 100 * SEC, 400 * SEC, 200 * SEC};
        m = mapping(i, NULL, 0);
        p = v4(0, 0x0A000000 | i << 16, 16);
        lt_assert_rc(lisp_mapcache_put(mc, &p, &m, expiry[i]), LISP_OK);
    }
    assert_int_equal(g.n, 0);
    /* replacing never evicts */
    m = mapping(10, NULL, 0);
    p = v4(0, 0x0A000000, 16);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 600 * SEC), LISP_OK);
    assert_int_equal(g.n, 0);
    /* a new prefix evicts the soonest-expiring entry (user 1, 100 s) */
    m = mapping(20, NULL, 0);
    p = v4(0, 0x0B000000, 8);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 50 * SEC), LISP_OK);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.users[0], 1);
    assert_int_equal(lisp_mapcache_count(mc), 4);
    assert_null(lisp_mapcache_get(mc, &(lisp_eid){0, LISP_AFI_IPV4, 16, {10, 1}}));
    /* the newcomer expires soonest now, so it is the next victim */
    m = mapping(21, NULL, 0);
    p = v6(0, 0x2001000000000000ull, 16);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 900 * SEC), LISP_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.users[1], 20);
    assert_int_equal(lisp_mapcache_count(mc), 4);
    assert_int_equal(lisp_mapcache_next_expiry(mc), 200 * SEC);
    lisp_mapcache_free(mc);
}

static void test_negative_prefix_examples(void **state)
{
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    lisp_eid out, p;
    uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    (void)state;
    /* nothing stored: the whole space */
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){1, 2, 3, 4}, &out),
        LISP_OK);
    assert_int_equal(out.mask_len, 0);
    assert_int_equal(out.addr[0], 0);

    lt_assert_rc(put_never(mc, v4(0, 0x0A010000, 16), 1), LISP_OK);
    lt_assert_rc(put_never(mc, v4(0, 0x0A020000, 16), 2), LISP_OK);
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){10, 3, 0, 5}, &out),
        LISP_OK);
    assert_int_equal(out.mask_len, 16);
    assert_memory_equal(out.addr, ((const uint8_t[]){10, 3, 0, 0}), 4);
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){11, 0, 0, 1}, &out),
        LISP_OK);
    assert_int_equal(out.mask_len, 8);
    assert_memory_equal(out.addr, ((const uint8_t[]){11, 0, 0, 0}), 4);
    assert_int_equal(out.afi, LISP_AFI_IPV4);
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){10, 0, 0, 1}, &out),
        LISP_OK);
    assert_int_equal(out.mask_len, 16); /* 10.0/15 would hold 10.1/16 */
    assert_memory_equal(out.addr, ((const uint8_t[]){10, 0, 0, 0}), 4);
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){200, 1, 1, 1}, &out),
        LISP_OK);
    assert_int_equal(out.mask_len, 1);
    assert_int_equal(out.addr[0], 128);
    /* covered: say so, with the covering prefix */
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){10, 2, 9, 9}, &out),
        LISP_MAPCACHE_COVERED);
    assert_int_equal(out.mask_len, 16);
    assert_memory_equal(out.addr, ((const uint8_t[]){10, 2, 0, 0}), 4);

    /* instance-IDs are separate spaces */
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 9, LISP_AFI_IPV4, (const uint8_t[]){10, 3, 0, 5}, &out),
        LISP_OK);
    assert_int_equal(out.mask_len, 0);
    assert_int_equal(out.iid, 9);
    lt_assert_rc(put_never(mc, v4(9, 0x0A030100, 24), 3), LISP_OK);
    lt_assert_rc(
        lisp_mapcache_negative_prefix(mc, 9, LISP_AFI_IPV4, (const uint8_t[]){10, 3, 0, 5}, &out),
        LISP_OK);
    assert_int_equal(out.mask_len, 24);
    assert_memory_equal(out.addr, ((const uint8_t[]){10, 3, 0, 0}), 4);

    /* IPv6: 2001:db8::/32 with 2001:db8:1::/48 stored; 2001:db8:2::1 -> 2001:db8:2::/47 */
    p = v6(0, 0x20010DB800010000ull, 48);
    lt_assert_rc(put_never(mc, p, 4), LISP_OK);
    lt_assert_rc(lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV6, a6, &out), LISP_OK);
    assert_int_equal(out.mask_len, 47);
    assert_memory_equal(
        out.addr, ((const uint8_t[]){0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
        16);
    /* and 3000::1 -> 2000::/3? no: 3000::/4 (2001:db8:1::/48 starts with 0010) */
    a6[0] = 0x30;
    lt_assert_rc(lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV6, a6, &out), LISP_OK);
    assert_int_equal(out.mask_len, 4);
    assert_int_equal(out.addr[0], 0x30);

    lt_assert_rc(lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_NAME, a6, &out),
                 LISP_ERR_INVALID_ARG);
    lisp_mapcache_free(mc);
}

static void test_small_footprint(void **state)
{
    lisp_counting_alloc t;
    lisp_allocator a;
    lisp_mapcache *mc = new_counted(&t, &a, 0);
    lisp_mapcache_loc loc = rloc4(0xC0000201, 1);
    size_t empty;
    uint32_t i;

    (void)state;
    empty = t.bytes;
    assert_int_equal(lisp_mapcache_memory_bytes(mc), empty);
    assert_true(empty <= 256);
    for (i = 0; i < 10; i++) {
        lisp_mapcache_mapping m = mapping(i, &loc, 1);
        lisp_eid p = v4(0, 0x0A000000 | i << 8, 24);
        loc.addr[3] = (uint8_t)i; /* ten different locator sets */
        lt_assert_rc(lisp_mapcache_put(mc, &p, &m, LISP_TIME_NEVER), LISP_OK);
    }
    assert_int_equal(lisp_mapcache_memory_bytes(mc), t.bytes);
    assert_true(t.bytes <= 4096);
    /* a second instance-ID and IPv6 stay small too */
    lt_assert_rc(put_never(mc, v6(3, 0x20010DB800000000ull, 32), 1), LISP_OK);
    assert_true(t.bytes <= 6144);
    lisp_mapcache_free(mc);
    assert_int_equal(t.bytes, 0);
}

/* Fail each allocation of a workload in turn: the failing put reports NOMEM, the cache
 * keeps exactly its previous content and goes on working. */
static void test_allocation_failure(void **state)
{
    long fail_at;
    int failures = 0;

    (void)state;
    for (fail_at = 1; fail_at < 400; fail_at++) {
        lisp_counting_alloc t;
        lisp_allocator a;
        lisp_mapcache *mc = new_counted(&t, &a, 50);
        ref *r = calloc(1, sizeof *r);
        uint32_t i;

        assert_non_null(mc);
        assert_non_null(r);
        rng = 0x1234567ull; /* the same workload each time */
        t.fail_at = t.calls + fail_at;
        for (i = 0; i < 120; i++) {
            lisp_mapcache_loc loc = rloc4((uint32_t)(i % 7), 1);
            lisp_eid p = random_prefix(i % 3 ? LISP_AFI_IPV4 : LISP_AFI_IPV6);
            lisp_mapcache_mapping m = mapping(i, &loc, 1);
            ref_entry *x = ref_find(r, &p);
            int rc = lisp_mapcache_put(mc, &p, &m, (lisp_time_t)(1000 + i) * SEC);
            if (rc == LISP_ERR_NOMEM) {
                failures++;
                continue;
            }
            lt_assert_rc(rc, LISP_OK);
            if (x) {
                x->user = i;
            } else {
                r->e[r->n].p = p;
                r->e[r->n].user = i;
                r->e[r->n].live = true;
                r->n++;
            }
            /* evictions (max 50) remove the oldest: mirror them */
            while (ref_count(r) > lisp_mapcache_count(mc)) {
                size_t j, oldest = SIZE_MAX;
                for (j = 0; j < r->n; j++)
                    if (r->e[j].live && !lisp_mapcache_get(mc, &r->e[j].p))
                        oldest = j;
                assert_true(oldest != SIZE_MAX);
                r->e[oldest].live = false;
            }
        }
        check_against_ref(mc, r, 300);
        assert_int_equal(lisp_mapcache_memory_bytes(mc), t.bytes);
        /* an allocator that always fails: puts fail, lookups and deletes still work */
        t.fail_all = true;
        {
            lisp_eid p = v4(77, 0x01020300, 24);
            lt_assert_rc(put_never(mc, p, 1), LISP_ERR_NOMEM);
        }
        check_against_ref(mc, r, 100);
        for (i = 0; i < r->n; i++)
            if (r->e[i].live && i % 2) {
                assert_int_equal(lisp_mapcache_del(mc, &r->e[i].p), 1);
                r->e[i].live = false;
            }
        check_against_ref(mc, r, 100);
        lisp_mapcache_free(mc);
        assert_int_equal(t.bytes, 0);
        free(r);
    }
    assert_true(failures > 0);
    /* creation itself */
    {
        lisp_counting_alloc t;
        lisp_allocator a = lisp_counting_alloc_init(&t);
        lisp_mapcache_config cfg;
        t.fail_all = true;
        memset(&cfg, 0, sizeof cfg);
        cfg.alloc = &a;
        assert_null(lisp_mapcache_new(&cfg));
    }
}

static void test_invalid_arguments(void **state)
{
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    lisp_mapcache_loc loc = rloc4(0xC0000201, 1);
    lisp_mapcache_mapping m = mapping(1, &loc, 1);
    lisp_mapcache_config cfg;
    lisp_counting_alloc counter;
    lisp_allocator half = lisp_counting_alloc_init(&counter);
    lisp_eid p = v4(0, 0x0A000000, 8), bad;
    uint8_t a[16] = {10};

    (void)state;
    bad = p;
    bad.mask_len = 33;
    lt_assert_rc(lisp_mapcache_put(mc, &bad, &m, 0), LISP_ERR_INVALID_ARG);
    bad = v6(0, 0x2001000000000000ull, 16);
    bad.mask_len = 129;
    lt_assert_rc(lisp_mapcache_put(mc, &bad, &m, 0), LISP_ERR_INVALID_ARG);
    bad = p;
    bad.afi = LISP_AFI_NAME;
    lt_assert_rc(lisp_mapcache_put(mc, &bad, &m, 0), LISP_ERR_INVALID_ARG);
    bad = p;
    bad.addr[1] = 1; /* host bits */
    lt_assert_rc(lisp_mapcache_put(mc, &bad, &m, 0), LISP_ERR_INVALID_ARG);
    assert_null(lisp_mapcache_get(mc, &bad));
    lt_assert_rc(lisp_mapcache_del(mc, &bad), LISP_ERR_INVALID_ARG);
    m.action = 8;
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 0), LISP_ERR_INVALID_ARG);
    m = mapping(1, &loc, 1);
    m.map_version = 0x1000;
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 0), LISP_ERR_INVALID_ARG);
    m = mapping(1, &loc, 256);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 0), LISP_ERR_INVALID_ARG);
    m = mapping(1, NULL, 1);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 0), LISP_ERR_INVALID_ARG);
    loc.afi = LISP_AFI_NAME;
    m = mapping(1, &loc, 1);
    lt_assert_rc(lisp_mapcache_put(mc, &p, &m, 0), LISP_ERR_INVALID_ARG);
    lt_assert_rc(lisp_mapcache_put(mc, NULL, &m, 0), LISP_ERR_INVALID_ARG);
    lt_assert_rc(lisp_mapcache_put(mc, &p, NULL, 0), LISP_ERR_INVALID_ARG);
    lt_assert_rc(lisp_mapcache_put(NULL, &p, &m, 0), LISP_ERR_INVALID_ARG);
    assert_int_equal(lisp_mapcache_count(mc), 0);

    lt_assert_rc(put_never(mc, p, 1), LISP_OK);
    assert_null(lisp_mapcache_lookup(mc, 0, LISP_AFI_NAME, a));
    assert_null(lisp_mapcache_lookup(mc, 0, 0, a));
    assert_null(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, NULL));
    assert_null(lisp_mapcache_lookup(NULL, 0, LISP_AFI_IPV4, a));
    assert_non_null(lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, a));
    assert_null(lisp_mapcache_get(mc, NULL));
    assert_int_equal(lisp_mapcache_count(NULL), 0);
    assert_int_equal(lisp_mapcache_next_expiry(NULL), LISP_TIME_NEVER);
    assert_int_equal(lisp_mapcache_expire(NULL, 0, NULL, NULL), 0);
    lt_assert_rc(lisp_mapcache_negative_prefix(mc, 0, LISP_AFI_IPV4, NULL, &p),
                 LISP_ERR_INVALID_ARG);

    memset(&cfg, 0, sizeof cfg);
    half.realloc = NULL; /* an allocator without realloc is refused */
    cfg.alloc = &half;
    assert_null(lisp_mapcache_new(&cfg));
    cfg.alloc = NULL;
    cfg.lpm_direct_bits = 25;
    assert_null(lisp_mapcache_new(&cfg));
    lisp_mapcache_free(NULL);
    lisp_mapcache_free(mc);
}

static void test_put_record(void **state)
{
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    lisp_locator locs[3];
    lisp_record rec;
    const lisp_mapcache_entry *e;
    lisp_eid eid;

    (void)state;
    memset(&rec, 0, sizeof rec);
    memset(locs, 0, sizeof locs);
    rec.ttl = 10; /* minutes */
    rec.action = LISP_ACT_SEND_MAP_REQUEST;
    rec.authoritative = true;
    rec.map_version = 7;
    rec.eid.mask_len = 16;
    rec.eid.addr = lisp_addr_iid(42, lisp_afi_ipv4(0x0A0100FF)); /* host bits set */
    locs[0].priority = 1;
    locs[0].weight = 60;
    locs[0].flags = LISP_LOC_F_R;
    locs[0].addr = lisp_addr_plain(lisp_afi_ipv4(0xC0000201));
    locs[1].priority = 2;
    locs[1].addr.lcaf = LISP_LCAF_AFI_LIST; /* (name, IPv6) as lispers.net sends */
    locs[1].addr.a = lisp_afi_name("rtr-1");
    locs[1].addr.n_more = 1;
    locs[1].addr.more[0] = lisp_afi_ipv6((const uint8_t[16]){0x20, 0x01, 0x0d, 0xb8, [15] = 9});
    rec.loc_count = 2;
    rec.locators = locs;
    lt_assert_rc(lisp_mapcache_put_record(mc, &rec, 5 * SEC, 99), LISP_OK);
    e = lisp_mapcache_lookup(mc, 42, LISP_AFI_IPV4, (const uint8_t[]){10, 1, 2, 3});
    assert_non_null(e);
    assert_int_equal(e->prefix.iid, 42);
    assert_int_equal(e->prefix.mask_len, 16);
    assert_memory_equal(e->prefix.addr, ((const uint8_t[]){10, 1, 0, 0}), 4);
    assert_int_equal(e->expires, 5 * SEC + 600 * SEC);
    assert_int_equal(e->action, LISP_ACT_SEND_MAP_REQUEST);
    assert_true(e->authoritative);
    assert_int_equal(e->map_version, 7);
    assert_int_equal(e->user, 99);
    assert_int_equal(e->loc_count, 2);
    assert_int_equal(e->locators[0].weight, 60);
    assert_int_equal(e->locators[0].port, 0);
    assert_int_equal(e->locators[1].afi, LISP_AFI_IPV6);
    assert_int_equal(e->locators[1].addr[15], 9);

    rec.ttl = 0xFFFFFFFF;
    lt_assert_rc(lisp_mapcache_put_record(mc, &rec, 5 * SEC, 99), LISP_OK);
    assert_int_equal(lisp_mapcache_next_expiry(mc), LISP_TIME_NEVER);
    rec.ttl = 0xFFFFFFFE; /* saturates instead of wrapping */
    lt_assert_rc(lisp_mapcache_put_record(mc, &rec, LISP_TIME_NEVER - 5, 99), LISP_OK);
    assert_int_equal(lisp_mapcache_next_expiry(mc), LISP_TIME_NEVER);

    locs[2].addr = lisp_addr_plain(lisp_afi_name("only-a-name"));
    rec.loc_count = 3;
    lt_assert_rc(lisp_mapcache_put_record(mc, &rec, 0, 0), LISP_ERR_BAD_AFI);
    rec.loc_count = 0;
    rec.eid.addr = lisp_addr_plain(lisp_afi_name("x"));
    lt_assert_rc(lisp_mapcache_put_record(mc, &rec, 0, 0), LISP_ERR_BAD_AFI);
    rec.eid.addr = lisp_addr_plain(lisp_afi_ipv4(0x0A000000));
    rec.eid.mask_len = 33;
    lt_assert_rc(lisp_mapcache_put_record(mc, &rec, 0, 0), LISP_ERR_BAD_VALUE);
    lt_assert_rc(lisp_mapcache_eid_from_prefix(&eid, &rec.eid), LISP_ERR_BAD_VALUE);
    rec.eid.mask_len = 8;
    lt_assert_rc(lisp_mapcache_eid_from_prefix(&eid, &rec.eid), LISP_OK);
    assert_int_equal(eid.iid, 0);
    assert_int_equal(eid.afi, LISP_AFI_IPV4);
    assert_int_equal(lisp_mapcache_count(mc), 1);
    lisp_mapcache_free(mc);
}

static void test_lookup_batch(void **state)
{
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    uint8_t addrs[300][16];
    const uint8_t *ptr[300];
    const lisp_mapcache_entry *out[300];
    ref *r = calloc(1, sizeof *r);
    int i, afi_i;

    (void)state;
    assert_non_null(r);
    for (i = 0; i < 2000; i++) {
        lisp_eid p = random_prefix(i % 2 ? LISP_AFI_IPV6 : LISP_AFI_IPV4);
        p.iid = 0;
        if (!ref_find(r, &p)) {
            r->e[r->n].p = p;
            r->e[r->n].live = true;
            r->n++;
        }
        lt_assert_rc(put_never(mc, p, (uint64_t)i), LISP_OK);
    }
    for (afi_i = 0; afi_i < 2; afi_i++) {
        uint16_t afi = afi_i ? LISP_AFI_IPV6 : LISP_AFI_IPV4;
        for (i = 0; i < 300; i++) {
            random_addr(r, afi, addrs[i]);
            ptr[i] = addrs[i];
        }
        lisp_mapcache_lookup_batch(mc, 0, afi, 300, ptr, out);
        for (i = 0; i < 300; i++)
            assert_ptr_equal(out[i], lisp_mapcache_lookup(mc, 0, afi, addrs[i]));
        lisp_mapcache_lookup_batch(mc, 5, afi, 300, ptr, out); /* no such instance */
        for (i = 0; i < 300; i++)
            assert_null(out[i]);
    }
    free(r);
    lisp_mapcache_free(mc);
}

static int stop_at_third(void *user, const lisp_mapcache_entry *e)
{
    int *n = user;
    (void)e;
    return ++*n == 3 ? 42 : 0;
}

static void test_foreach(void **state)
{
    lisp_mapcache *mc = lisp_mapcache_new(NULL);
    walk w = {NULL, 0};
    int n = 0;

    (void)state;
    lt_assert_rc(put_never(mc, v4(1, 0x0A000000, 8), 1), LISP_OK);
    lt_assert_rc(put_never(mc, v4(0, 0x0A000000, 16), 2), LISP_OK);
    lt_assert_rc(put_never(mc, v4(0, 0x0A000000, 8), 3), LISP_OK);
    lt_assert_rc(put_never(mc, v6(0, 0x2001000000000000ull, 16), 4), LISP_OK);
    lt_assert_rc(put_never(mc, v4(0, 0, 0), 5), LISP_OK);
    assert_int_equal(lisp_mapcache_foreach(mc, walk_order, &w), 0);
    assert_int_equal(w.n, 5);
    assert_int_equal(lisp_mapcache_foreach(mc, stop_at_third, &n), 42);
    assert_int_equal(n, 3);
    lisp_mapcache_free(mc);
}

/* A table that grows past the adaptive root sizes and shrinks back keeps its memory
 * accounting exact and returns to a small footprint. */
static void test_grow_and_shrink(void **state)
{
    lisp_counting_alloc t;
    lisp_allocator a;
    lisp_mapcache *mc = new_counted(&t, &a, 0);
    lisp_mapcache_stats st;
    uint32_t i, n = 40000;

    (void)state;
    for (i = 0; i < n; i++)
        lt_assert_rc(put_never(mc, v4(0, 0x0A000000 + (i << 8), 24), i), LISP_OK);
    lisp_mapcache_get_stats(mc, &st);
    assert_int_equal(st.lpm_direct_bits_max, 12);
    assert_int_equal(st.bytes_total, t.bytes);
    assert_int_equal(lisp_mapcache_memory_bytes(mc), t.bytes);
    assert_int_equal(
        lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4, (const uint8_t[]){10, 1, 2, 3})->user, 0x102);
    for (i = 0; i < n - 5; i++)
        assert_int_equal(
            lisp_mapcache_del(
                mc, &(lisp_eid){0, LISP_AFI_IPV4, 24, {10, (uint8_t)(i >> 8), (uint8_t)i}}),
            1);
    lisp_mapcache_get_stats(mc, &st);
    assert_int_equal(st.entries, 5);
    assert_true(st.lpm_direct_bits_max <= 4);
    assert_int_equal(
        lisp_mapcache_lookup(mc, 0, LISP_AFI_IPV4,
                             (const uint8_t[]){10, (uint8_t)((n - 1) >> 8), (uint8_t)(n - 1), 9})
            ->user,
        n - 1);
    lisp_mapcache_free(mc);
    assert_int_equal(t.bytes, 0);
}

/* The SSE2 line searches answer as the portable ones do, on random sorted lines with
 * repeated keys (as unused entries repeat the last range) and on random split entries. */
static void test_line_search_simd(void **state)
{
    (void)state;
#ifdef LPM_SSE2
    _Alignas(LPM_LINE) uint8_t line[LPM_LINE];
    uint16_t *k = (uint16_t *)(void *)line;
    uint32_t *v = (uint32_t *)(void *)(line + 20);
    lpm_split sp;
    int round, j, q;

    for (round = 0; round < 2000; round++) {
        unsigned used = 1 + (unsigned)(rnd() % 5);
        k[0] = (uint16_t)(round % 3 ? rnd() % 512 : 0);
        for (j = 1; j < 10; j++)
            k[j] = (uint16_t)(k[j - 1] + (rnd() % 3 ? rnd() % 7000 : 0)); /* <= 63502 */
        for (j = 0; j < 10; j++)
            v[j] = (uint32_t)rnd();
        memset(&sp, 0, sizeof sp);
        for (j = 0; j + 1 < (int)used; j++)
            sp.k[j] = (uint16_t)((j ? sp.k[j - 1] : 0) + 1 + rnd() % 16000);
        for (q = 0; q < 40; q++) {
            uint16_t x = (uint16_t)(q < 10 ? k[q] : q < 14 ? sp.k[q - 10] : rnd());
            if (x >= k[0])
                assert_int_equal(lpm_line16_sse2(line, x), lpm_line16_scalar(line, x));
            assert_int_equal(lpm_ridx_sse2(&sp, x), lpm_ridx_scalar(&sp, x));
        }
    }
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_search_simd),
        cmocka_unit_test(test_lpm_edges),
        cmocka_unit_test(test_lpm_random_small),
        cmocka_unit_test(test_lpm_random_large),
        cmocka_unit_test(test_lpm_random_fixed_k),
        cmocka_unit_test(test_replace_and_shared_locators),
        cmocka_unit_test(test_expiry_order),
        cmocka_unit_test(test_eviction),
        cmocka_unit_test(test_negative_prefix_examples),
        cmocka_unit_test(test_small_footprint),
        cmocka_unit_test(test_allocation_failure),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_put_record),
        cmocka_unit_test(test_lookup_batch),
        cmocka_unit_test(test_foreach),
        cmocka_unit_test(test_grow_and_shrink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
