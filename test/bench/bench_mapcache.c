/*
 * bench_mapcache.c - map-cache benchmark (a program, not a test: it asserts nothing timed).
 *
 * Builds three tables from a deterministic PRNG and measures, for each, the median over
 * several runs of: lookups per second (uniformly random addresses, addresses inside stored
 * prefixes, and the latter followed by a read of the entry's first locator, as a forwarding
 * path does), bytes per prefix as counted by an injected allocator (the whole cache: LPM,
 * entries, heap, interned locator sets), build rate, and the latency of one put / del
 * against the full table.
 *
 *   bgp4    1M IPv4 prefixes, BGP-like length mix (62% /24), clustered and nested
 *   half32  500k of those plus 500k /32 host EIDs
 *   v6      100k IPv6 prefixes, /29../64 mix (43% /48) inside the RIR blocks
 * Each table's prefixes point at LOCSETS distinct locator sets (1..4 RLOCs each).
 *
 * Lookups are timed one at a time and through lisp_mapcache_lookup_batch (64 per call).
 *
 *   bench_mapcache [--quick] [--runs N] [--k BITS] [--only bgp4|half32|v6] [--out FILE]
 *     --quick  CI-sized tables (1/10) and fewer lookups
 *     --runs   repetitions of each lookup measurement (median; builds: min(runs, 3))
 *     --k      fix the LPM root directory bits (default: adaptive) to compare variants
 *     --only   one table
 *     --out    also append the result tables to FILE as markdown
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lisp_counting_alloc.h"
#include "lisp_mapcache.h"

#define LOCSETS 10000
#define MAX_RUNS 15

/* ---- deterministic PRNG (xorshift64*) ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint32_t rnd_below(uint32_t n)
{
    return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* ---- table generation ---- */

typedef struct pfx {
    uint8_t addr[16];
    uint8_t len;
    uint16_t set;
} pfx;

typedef struct table {
    const char *name;
    uint16_t afi;
    size_t n;
    pfx *p;
} table;

static int weighted(const uint16_t (*w)[2], size_t nw)
{
    uint32_t total = 0, r;
    size_t i;
    for (i = 0; i < nw; i++)
        total += w[i][1];
    r = rnd_below(total);
    for (i = 0; i < nw; i++) {
        if (r < w[i][1])
            return w[i][0];
        r -= w[i][1];
    }
    return w[nw - 1][0];
}

/* IPv4 prefix lengths per 10000, after the 2024 DFZ (RIPE RIS / bgp.potaroo.net). */
static const uint16_t v4_lengths[][2] = {
    {8, 1},     {9, 1},    {10, 2},    {11, 5},   {12, 15},  {13, 30},  {14, 55},
    {15, 95},   {16, 140}, {17, 85},   {18, 150}, {19, 260}, {20, 400}, {21, 470},
    {22, 1150}, {23, 950}, {24, 6150}, {25, 10},  {26, 8},   {27, 6},   {28, 5},
    {29, 4},    {30, 4},   {31, 1},    {32, 3},
};

/* IPv6 prefix lengths per 1000. */
static const uint16_t v6_lengths[][2] = {
    {28, 5},  {29, 40}, {30, 5},   {31, 5},  {32, 150}, {33, 10}, {34, 10}, {35, 10}, {36, 40},
    {37, 5},  {38, 10}, {39, 5},   {40, 70}, {41, 5},   {42, 15}, {43, 5},  {44, 75}, {45, 10},
    {46, 25}, {47, 20}, {48, 430}, {52, 5},  {56, 25},  {60, 5},  {64, 15},
};

/* RIR blocks holding the IPv6 table: top 16 bits and how many bits are fixed, weight. */
static const struct {
    uint16_t top;
    uint8_t fixed;
    uint8_t weight;
} v6_blocks[] = {{0x2001, 16, 10}, {0x2400, 12, 25}, {0x2600, 12, 25},
                 {0x2800, 12, 10}, {0x2a00, 12, 28}, {0x2c00, 12, 2}};

static void set_bits_random(uint8_t *addr, unsigned from, unsigned to)
{
    unsigned b;
    for (b = from; b < to; b++) {
        if (rnd() & 1)
            addr[b / 8] |= (uint8_t)(0x80u >> (b % 8));
        else
            addr[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
    }
}

static void clear_from(uint8_t *addr, unsigned from, unsigned bytes)
{
    unsigned b;
    for (b = from; b < 8 * bytes; b++)
        addr[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
}

/* A fresh (non-nested) prefix of length len. */
static void fresh_v4(pfx *p, unsigned len)
{
    uint8_t first;
    memset(p, 0, sizeof *p);
    do
        first = (uint8_t)(1 + rnd_below(223));
    while (first == 10 || first == 127);
    p->addr[0] = first;
    set_bits_random(p->addr, 8, len > 8 ? len : 8);
    clear_from(p->addr, len, 4);
    p->len = (uint8_t)len;
}

static void fresh_v6(pfx *p, unsigned len)
{
    uint32_t r = rnd_below(100), i = 0;
    memset(p, 0, sizeof *p);
    while (r >= v6_blocks[i].weight) {
        r -= v6_blocks[i].weight;
        i++;
    }
    p->addr[0] = (uint8_t)(v6_blocks[i].top >> 8);
    p->addr[1] = (uint8_t)v6_blocks[i].top;
    set_bits_random(p->addr, v6_blocks[i].fixed, len);
    clear_from(p->addr, len, 16);
    p->len = (uint8_t)len;
}

static int pfx_cmp(const void *a, const void *b)
{
    const pfx *x = a, *y = b;
    int c = memcmp(x->addr, y->addr, 16);
    return c ? c : (int)x->len - (int)y->len;
}

static void shuffle(pfx *p, size_t n)
{
    size_t i;
    for (i = n; i > 1; i--) {
        size_t j = rnd_below((uint32_t)i);
        pfx t = p[i - 1];
        p[i - 1] = p[j];
        p[j] = t;
    }
}

/* n distinct prefixes; `nested` percent are more-specifics of an earlier one. */
static pfx *gen(size_t n, uint16_t afi, unsigned nested)
{
    size_t want = n + n / 8, got = 0, i, u;
    pfx *p = calloc(want, sizeof *p);
    unsigned bytes = afi == LISP_AFI_IPV4 ? 4 : 16;

    while (got < want) {
        unsigned len = afi == LISP_AFI_IPV4 ? (unsigned)weighted(v4_lengths, 25)
                                            : (unsigned)weighted(v6_lengths, 25);
        pfx *q = &p[got];
        if (got && rnd_below(100) < nested) {
            const pfx *parent = &p[rnd_below((uint32_t)got)];
            if (parent->len < len) {
                *q = *parent;
                set_bits_random(q->addr, parent->len, len);
                clear_from(q->addr, len, bytes);
                q->len = (uint8_t)len;
                got++;
                continue;
            }
        }
        if (afi == LISP_AFI_IPV4)
            fresh_v4(q, len);
        else
            fresh_v6(q, len);
        got++;
    }
    qsort(p, want, sizeof *p, pfx_cmp);
    for (i = 1, u = 1; i < want; i++)
        if (pfx_cmp(&p[i], &p[u - 1]) != 0)
            p[u++] = p[i];
    shuffle(p, u);
    if (u < n) {
        fprintf(stderr, "generator made only %zu distinct prefixes\n", u);
        exit(1);
    }
    for (i = 0; i < n; i++)
        p[i].set = (uint16_t)rnd_below(LOCSETS);
    return p;
}

static table make_bgp4(size_t n)
{
    table t = {"bgp4", LISP_AFI_IPV4, n, gen(n, LISP_AFI_IPV4, 40)};
    return t;
}

/* Half the table from bgp4, half /32 host EIDs: inside a stored prefix or anywhere. */
static table make_half32(size_t n)
{
    table t = {"half32", LISP_AFI_IPV4, n, NULL};
    size_t half = n / 2, want = n - half + n / 16, i, u;
    pfx *host = calloc(want, sizeof *host);

    t.p = gen(half, LISP_AFI_IPV4, 40);
    t.p = realloc(t.p, n * sizeof *t.p);
    for (i = 0; i < want; i++) {
        if (rnd() & 1) {
            const pfx *in = &t.p[rnd_below((uint32_t)half)];
            host[i] = *in;
            set_bits_random(host[i].addr, in->len, 32);
        } else {
            fresh_v4(&host[i], 32);
        }
        host[i].len = 32;
    }
    qsort(host, want, sizeof *host, pfx_cmp);
    for (i = 1, u = 1; i < want; i++)
        if (pfx_cmp(&host[i], &host[u - 1]) != 0)
            host[u++] = host[i];
    shuffle(host, u);
    for (i = 0; i < n - half; i++) {
        t.p[half + i] = host[i];
        t.p[half + i].set = (uint16_t)rnd_below(LOCSETS);
    }
    free(host);
    shuffle(t.p, n); /* a /32 may duplicate a stored /32: put replaces, the count shows it */
    return t;
}

static table make_v6(size_t n)
{
    table t = {"v6", LISP_AFI_IPV6, n, gen(n, LISP_AFI_IPV6, 35)};
    return t;
}

/* LOCSETS sets of 1..4 locators (40% one, 40% two, 10% three, 10% four; 20% IPv6). */
typedef struct locsets {
    lisp_mapcache_loc *locs;
    uint8_t count[LOCSETS];
    uint32_t first[LOCSETS];
    size_t total;
} locsets;

static void make_locsets(locsets *ls)
{
    unsigned i, j, r;
    ls->locs = calloc(LOCSETS * 4, sizeof *ls->locs);
    ls->total = 0;
    for (i = 0; i < LOCSETS; i++) {
        r = rnd_below(10);
        ls->count[i] = (uint8_t)(r < 4 ? 1 : r < 8 ? 2 : r < 9 ? 3 : 4);
        ls->first[i] = (uint32_t)ls->total;
        for (j = 0; j < ls->count[i]; j++) {
            lisp_mapcache_loc *l = &ls->locs[ls->total++];
            if (rnd_below(5) == 0) {
                l->afi = LISP_AFI_IPV6;
                l->addr[0] = 0x20;
                l->addr[1] = 0x01;
                set_bits_random(l->addr, 16, 128);
            } else {
                l->afi = LISP_AFI_IPV4;
                set_bits_random(l->addr, 0, 32);
            }
            l->priority = (uint8_t)(j < 2 ? 1 : 2);
            l->weight = (uint8_t)(100 / ls->count[i]);
            l->mpriority = 255;
            l->flags = LISP_LOC_F_R;
        }
    }
}

/* ---- measurement ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, dcmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static lisp_eid eid_of(const table *t, const pfx *p)
{
    lisp_eid e;
    memset(&e, 0, sizeof e);
    e.afi = t->afi;
    e.mask_len = p->len;
    memcpy(e.addr, p->addr, 16);
    return e;
}

static lisp_mapcache_mapping mapping_of(const locsets *ls, const pfx *p, size_t i)
{
    lisp_mapcache_mapping m;
    memset(&m, 0, sizeof m);
    m.action = LISP_ACT_NATIVELY_FORWARD;
    m.loc_count = ls->count[p->set];
    m.locators = &ls->locs[ls->first[p->set]];
    m.user = i;
    return m;
}

/* Expiry: TTLs of 1..24 h, inserted over the last 24 h. */
static lisp_time_t expires_of(size_t i)
{
    return (lisp_time_t)(3600 + (i * 2654435761u) % (23 * 3600)) * LISP_NS_PER_SEC;
}

typedef struct result {
    const char *name;
    size_t prefixes;
    unsigned k;
    size_t distinct_sets;
    double bytes_per_prefix, blocks_per_1k;
    double bpp_entries, bpp_lpm, bpp_heap, bpp_locsets, ranges_per_prefix, lines_mb;
    size_t dirs;
    double build_s, inserts_per_s;
    double lookup_random, lookup_table, lookup_touch; /* Mlookups/s */
    double batch_random, batch_table, batch_touch;
    double put_p50, put_p99, del_p50, del_p99; /* ns */
    double short_put_us;                       /* put+del of a /8 or /16 */
} result;

static lisp_mapcache *build(const table *t, const locsets *ls, lisp_counting_alloc *cnt,
                            unsigned k, double *secs)
{
    lisp_allocator a = lisp_counting_alloc_init(cnt);
    lisp_mapcache_config cfg;
    lisp_mapcache *mc;
    double t0;
    size_t i;

    memset(&cfg, 0, sizeof cfg);
    cfg.alloc = &a;
    cfg.lpm_direct_bits = (uint8_t)k;
    mc = lisp_mapcache_new(&cfg);
    t0 = now_s();
    for (i = 0; i < t->n; i++) {
        lisp_eid e = eid_of(t, &t->p[i]);
        lisp_mapcache_mapping m = mapping_of(ls, &t->p[i], i);
        if (lisp_mapcache_put(mc, &e, &m, expires_of(i)) != LISP_OK) {
            fprintf(stderr, "put failed\n");
            exit(1);
        }
    }
    *secs = now_s() - t0;
    return mc;
}

static int count_k(void *user, const lisp_mapcache_entry *e)
{
    (void)e;
    (*(size_t *)user)++;
    return 0;
}

/* Distinct locator-set pointers actually in use. */
static size_t distinct_sets(const lisp_mapcache *mc, const table *t)
{
    const void **seen = calloc(1u << 16, sizeof *seen);
    size_t n = 0, i;
    for (i = 0; i < t->n; i++) {
        lisp_eid e = eid_of(t, &t->p[i]);
        const lisp_mapcache_entry *en = lisp_mapcache_get(mc, &e);
        uint32_t h;
        if (!en || !en->locators)
            continue;
        h = (uint32_t)(((uintptr_t)en->locators >> 3) * 2654435761u) >> 16;
        while (seen[h] && seen[h] != en->locators)
            h = (h + 1) & 0xFFFF;
        if (!seen[h]) {
            seen[h] = en->locators;
            n++;
        }
    }
    free(seen);
    return n;
}

/* Lookup addresses: random (IPv4: any; IPv6: inside 2000::/3) or inside a stored prefix. */
static uint8_t *make_addrs(const table *t, size_t n, int in_table)
{
    unsigned bytes = t->afi == LISP_AFI_IPV4 ? 4 : 16;
    uint8_t *a = malloc(n * bytes);
    size_t i;
    for (i = 0; i < n; i++) {
        uint8_t *x = a + i * bytes;
        uint8_t full[16];
        if (in_table) {
            const pfx *p = &t->p[rnd_below((uint32_t)t->n)];
            memcpy(full, p->addr, 16);
            set_bits_random(full, p->len, 8 * bytes);
        } else {
            set_bits_random(full, 0, 8 * bytes);
            if (bytes == 16)
                full[0] = (uint8_t)(0x20 | (full[0] & 0x1F));
        }
        memcpy(x, full, bytes);
    }
    return a;
}

static volatile uint64_t sink;

/* Millions of lookups per second through the batch interface, 64 addresses per call;
 * touch also reads each entry's first locator. */
static double run_batch(const lisp_mapcache *mc, const table *t, const uint8_t *addrs, size_t n,
                        int touch)
{
    unsigned bytes = t->afi == LISP_AFI_IPV4 ? 4 : 16;
    const uint8_t *ptr[64];
    const lisp_mapcache_entry *out[64];
    uint64_t acc = 0;
    double t0 = now_s(), dt;
    size_t i, j;

    for (i = 0; i + 64 <= n; i += 64) {
        for (j = 0; j < 64; j++)
            ptr[j] = addrs + (i + j) * bytes;
        lisp_mapcache_lookup_batch(mc, 0, t->afi, 64, ptr, out);
        if (touch) {
            for (j = 0; j < 64; j++)
                if (out[j] && out[j]->loc_count)
                    acc += out[j]->locators[0].weight;
        } else {
            for (j = 0; j < 64; j++)
                acc += (uintptr_t)out[j];
        }
    }
    dt = now_s() - t0;
    sink += acc;
    return (double)(n - n % 64) / dt / 1e6;
}

/* Millions of lookups per second over addrs; touch also reads the first locator. */
static double run_lookups(const lisp_mapcache *mc, const table *t, const uint8_t *addrs, size_t n,
                          int touch)
{
    unsigned bytes = t->afi == LISP_AFI_IPV4 ? 4 : 16;
    uint64_t acc = 0;
    double t0 = now_s(), dt;
    size_t i;

    if (touch) {
        for (i = 0; i < n; i++) {
            const lisp_mapcache_entry *e = lisp_mapcache_lookup(mc, 0, t->afi, addrs + i * bytes);
            if (e && e->loc_count)
                acc += e->locators[0].weight;
        }
    } else {
        for (i = 0; i < n; i++)
            acc += (uintptr_t)lisp_mapcache_lookup(mc, 0, t->afi, addrs + i * bytes);
    }
    dt = now_s() - t0;
    sink += acc;
    return (double)n / dt / 1e6;
}

/* Latency of single puts of new prefixes and their deletion, against the full table. */
static void update_latency(lisp_mapcache *mc, const table *t, const locsets *ls, size_t reps,
                           result *r)
{
    double *put = malloc(reps * sizeof *put), *del = malloc(reps * sizeof *del);
    size_t i, done = 0;

    for (i = 0; done < reps; i++) {
        pfx p;
        lisp_eid e;
        lisp_mapcache_mapping m;
        uint64_t t0, t1, t2;
        if (t->afi == LISP_AFI_IPV4)
            fresh_v4(&p, (unsigned)weighted(v4_lengths, 25));
        else
            fresh_v6(&p, (unsigned)weighted(v6_lengths, 25));
        p.set = (uint16_t)rnd_below(LOCSETS);
        e = eid_of(t, &p);
        if (p.len <= 16 || lisp_mapcache_get(mc, &e))
            continue; /* short prefixes are measured separately */
        m = mapping_of(ls, &p, i);
        t0 = now_ns();
        lisp_mapcache_put(mc, &e, &m, expires_of(i));
        t1 = now_ns();
        lisp_mapcache_del(mc, &e);
        t2 = now_ns();
        put[done] = (double)(t1 - t0);
        del[done] = (double)(t2 - t1);
        done++;
    }
    r->put_p50 = median(put, (int)reps);
    r->put_p99 = put[reps * 99 / 100];
    r->del_p50 = median(del, (int)reps);
    r->del_p99 = del[reps * 99 / 100];
    free(put);
    free(del);
}

/* A short prefix relabels every chunk it covers: put+del of a new /8 (IPv4) or /16 (IPv6). */
static double short_update_us(lisp_mapcache *mc, const table *t, const locsets *ls)
{
    double v[9];
    int i, done = 0;
    while (done < 9) {
        pfx p;
        lisp_eid e;
        lisp_mapcache_mapping m;
        double t0;
        if (t->afi == LISP_AFI_IPV4)
            fresh_v4(&p, 8);
        else
            fresh_v6(&p, 16);
        e = eid_of(t, &p);
        if (lisp_mapcache_get(mc, &e))
            continue;
        p.set = 0;
        m = mapping_of(ls, &p, 0);
        t0 = now_s();
        for (i = 0; i < 10; i++) {
            lisp_mapcache_put(mc, &e, &m, LISP_TIME_NEVER);
            lisp_mapcache_del(mc, &e);
        }
        v[done++] = (now_s() - t0) / 10 * 1e6;
    }
    return median(v, 9);
}

static result bench_table(const table *t, const locsets *ls, unsigned k, int runs, size_t n_lookups)
{
    result r;
    double build_s[MAX_RUNS], lr[MAX_RUNS], lt[MAX_RUNS], lx[MAX_RUNS], br[MAX_RUNS], bt[MAX_RUNS];
    double bx[MAX_RUNS];
    lisp_counting_alloc cnt = {0};
    lisp_mapcache *mc = NULL;
    uint8_t *rand_addrs, *table_addrs;
    int i, build_runs = runs < 3 ? runs : 3;
    size_t n_k = 0;

    memset(&r, 0, sizeof r);
    r.name = t->name;
    for (i = 0; i < build_runs; i++) {
        if (mc)
            lisp_mapcache_free(mc);
        mc = build(t, ls, &cnt, k, &build_s[i]);
    }
    r.build_s = median(build_s, build_runs);
    r.prefixes = lisp_mapcache_count(mc);
    r.inserts_per_s = (double)t->n / r.build_s;
    r.bytes_per_prefix = (double)cnt.bytes / (double)r.prefixes;
    r.blocks_per_1k = (double)cnt.blocks * 1000.0 / (double)r.prefixes;
    if (cnt.bytes != lisp_mapcache_memory_bytes(mc))
        fprintf(stderr, "warning: memory_bytes %zu != counted %zu\n",
                lisp_mapcache_memory_bytes(mc), cnt.bytes);
    lisp_mapcache_foreach(mc, count_k, &n_k);
    if (n_k != r.prefixes)
        fprintf(stderr, "warning: foreach saw %zu of %zu\n", n_k, r.prefixes);
    r.distinct_sets = distinct_sets(mc, t);
    {
        lisp_mapcache_stats st;
        double n = (double)r.prefixes;
        lisp_mapcache_get_stats(mc, &st);
        r.k = st.lpm_direct_bits_max;
        r.bpp_entries = (double)st.bytes_entries / n;
        r.bpp_lpm = (double)st.bytes_lpm / n;
        r.bpp_heap = (double)st.bytes_heap / n;
        r.bpp_locsets = (double)st.bytes_locsets / n;
        r.ranges_per_prefix = (double)st.lpm_ranges / n;
        r.lines_mb = (double)st.lpm_lines * 64 / 1e6;
        r.dirs = st.lpm_dir_nodes;
        if (st.locator_sets != r.distinct_sets)
            fprintf(stderr, "warning: %zu sets stored, %zu in use\n", st.locator_sets,
                    r.distinct_sets);
    }

    rand_addrs = make_addrs(t, n_lookups, 0);
    table_addrs = make_addrs(t, n_lookups, 1);
    for (i = 0; i < runs; i++) {
        lr[i] = run_lookups(mc, t, rand_addrs, n_lookups, 0);
        lt[i] = run_lookups(mc, t, table_addrs, n_lookups, 0);
        lx[i] = run_lookups(mc, t, table_addrs, n_lookups, 1);
        br[i] = run_batch(mc, t, rand_addrs, n_lookups, 0);
        bt[i] = run_batch(mc, t, table_addrs, n_lookups, 0);
        bx[i] = run_batch(mc, t, table_addrs, n_lookups, 1);
    }
    r.batch_touch = median(bx, runs);
    r.batch_random = median(br, runs);
    r.batch_table = median(bt, runs);
    r.lookup_random = median(lr, runs);
    r.lookup_table = median(lt, runs);
    r.lookup_touch = median(lx, runs);
    free(rand_addrs);
    free(table_addrs);

    update_latency(mc, t, ls, 20000, &r);
    r.short_put_us = short_update_us(mc, t, ls);
    lisp_mapcache_free(mc);
    if (cnt.bytes != 0)
        fprintf(stderr, "warning: %zu bytes left after free\n", cnt.bytes);
    return r;
}

/* Footprint of an empty and a ten-entry cache. */
static void small_caches(const locsets *ls, size_t *empty, size_t *ten)
{
    lisp_counting_alloc cnt;
    lisp_allocator a = lisp_counting_alloc_init(&cnt);
    lisp_mapcache_config cfg;
    lisp_mapcache *mc;
    int i;

    memset(&cfg, 0, sizeof cfg);
    cfg.alloc = &a;
    mc = lisp_mapcache_new(&cfg);
    *empty = cnt.bytes;
    for (i = 0; i < 10; i++) {
        lisp_eid e;
        lisp_mapcache_mapping m;
        pfx p;
        fresh_v4(&p, 24);
        p.set = (uint16_t)i;
        e = eid_of(&(table){"", LISP_AFI_IPV4, 0, NULL}, &p);
        m = mapping_of(ls, &p, (size_t)i);
        lisp_mapcache_put(mc, &e, &m, LISP_TIME_NEVER);
    }
    *ten = cnt.bytes;
    lisp_mapcache_free(mc);
}

/* Bytes per prefix by part. */
static void print_breakdown(FILE *f, const result *r, int nr, int md)
{
    int i;
    if (md)
        fprintf(f, "\n| table | entries+heap pos | LPM | expiry heap | locator sets | other | "
                   "LPM ranges/prefix | LPM range lines MB | LPM dirs |\n"
                   "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    else
        fprintf(f, "bytes/prefix by part:  %-7s %8s %6s %6s %8s %6s %14s %9s %7s\n", "table",
                "entries", "LPM", "heap", "locsets", "other", "ranges/prefix", "lines MB", "dirs");
    for (i = 0; i < nr; i++) {
        double other = r[i].bytes_per_prefix - r[i].bpp_entries - r[i].bpp_lpm - r[i].bpp_heap -
                       r[i].bpp_locsets;
        if (md)
            fprintf(f, "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %zu |\n", r[i].name,
                    r[i].bpp_entries, r[i].bpp_lpm, r[i].bpp_heap, r[i].bpp_locsets, other,
                    r[i].ranges_per_prefix, r[i].lines_mb, r[i].dirs);
        else
            fprintf(f,
                    "                       %-7s %8.1f %6.1f %6.1f %8.1f %6.2f %14.2f %9.1f %7zu\n",
                    r[i].name, r[i].bpp_entries, r[i].bpp_lpm, r[i].bpp_heap, r[i].bpp_locsets,
                    other, r[i].ranges_per_prefix, r[i].lines_mb, r[i].dirs);
    }
}

static void print_table(FILE *f, const result *r, int nr, int md)
{
    const char *sep = md ? " | " : "  ";
    int i;
    if (md)
        fprintf(f, "| table | prefixes | K | loc sets | B/prefix | allocs/1k | build s | inserts/s "
                   "| Mlookups/s random | batch random | Mlookups/s in-table | batch in-table "
                   "| Mlookups/s +locator | batch +locator | put p50/p99 ns | del p50/p99 ns "
                   "| short put+del us |\n"
                   "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
                   "|---:|\n");
    else
        fprintf(f, "%-7s %9s %3s %6s %8s %9s %7s %9s %9s %9s %9s %9s %9s %9s %13s %13s %8s\n",
                "table", "prefixes", "K", "sets", "B/prefix", "allocs/1k", "build_s", "inserts/s",
                "Ml/s rnd", "batch rnd", "Ml/s tbl", "batch tbl", "Ml/s +loc", "batch+loc",
                "put p50/p99", "del p50/p99", "short_us");
    for (i = 0; i < nr; i++) {
        char put[32], del[32];
        snprintf(put, sizeof put, "%.0f/%.0f", r[i].put_p50, r[i].put_p99);
        snprintf(del, sizeof del, "%.0f/%.0f", r[i].del_p50, r[i].del_p99);
        if (md)
            fprintf(f,
                    "| %s | %zu | %u | %zu | %.1f | %.1f | %.2f | %.0f | %.1f | %.1f | %.1f | "
                    "%.1f | %.1f | %.1f | %s | %s | %.0f |\n",
                    r[i].name, r[i].prefixes, r[i].k, r[i].distinct_sets, r[i].bytes_per_prefix,
                    r[i].blocks_per_1k, r[i].build_s, r[i].inserts_per_s, r[i].lookup_random,
                    r[i].batch_random, r[i].lookup_table, r[i].batch_table, r[i].lookup_touch,
                    r[i].batch_touch, put, del, r[i].short_put_us);
        else
            fprintf(f,
                    "%-7s%s%9zu%s%3u%s%6zu%s%8.1f%s%9.1f%s%7.2f%s%9.0f%s%9.1f%s%9.1f%s%9.1f%s"
                    "%9.1f%s%9.1f%s%9.1f%s%13s%s%13s%s%8.0f\n",
                    r[i].name, sep, r[i].prefixes, sep, r[i].k, sep, r[i].distinct_sets, sep,
                    r[i].bytes_per_prefix, sep, r[i].blocks_per_1k, sep, r[i].build_s, sep,
                    r[i].inserts_per_s, sep, r[i].lookup_random, sep, r[i].batch_random, sep,
                    r[i].lookup_table, sep, r[i].batch_table, sep, r[i].lookup_touch, sep,
                    r[i].batch_touch, sep, put, sep, del, sep, r[i].short_put_us);
    }
}

int main(int argc, char **argv)
{
    int quick = 0, runs = 5, i;
    unsigned k = 0;
    const char *out = NULL, *only = NULL;
    size_t scale, n_lookups, empty, ten;
    locsets ls;
    result r[3];
    int nr = 0;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--k") && i + 1 < argc)
            k = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else {
            fprintf(stderr,
                    "usage: %s [--quick] [--runs N] [--k BITS] [--only bgp4|half32|v6] "
                    "[--out FILE]\n",
                    argv[0]);
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS || k > 24) {
        fprintf(stderr, "--runs 1..%d, --k 0..24\n", MAX_RUNS);
        return 2;
    }
    scale = quick ? 10 : 1;
    n_lookups = quick ? 1000000 : 10000000;

    make_locsets(&ls);
    small_caches(&ls, &empty, &ten);
    if (!only || !strcmp(only, "bgp4")) {
        table t = make_bgp4(1000000 / scale);
        r[nr++] = bench_table(&t, &ls, k, runs, n_lookups);
        free(t.p);
    }
    if (!only || !strcmp(only, "half32")) {
        table t = make_half32(1000000 / scale);
        r[nr++] = bench_table(&t, &ls, k, runs, n_lookups);
        free(t.p);
    }
    if (!only || !strcmp(only, "v6")) {
        table t = make_v6(100000 / scale);
        r[nr++] = bench_table(&t, &ls, k, runs, n_lookups / 2);
        free(t.p);
    }

    printf("map-cache benchmark: median of %d runs (builds: %d), %s, K %s\n", runs,
           runs < 3 ? runs : 3, quick ? "quick" : "full", k ? "fixed" : "adaptive");
    print_table(stdout, r, nr, 0);
    print_breakdown(stdout, r, nr, 0);
    printf("empty cache %zu B, 10 entries %zu B\n", empty, ten);
    if (out) {
        FILE *f = fopen(out, "a"); /* benchmarks share one report: append */
        if (!f) {
            perror(out);
            return 1;
        }
        fprintf(f,
                "## bench_mapcache\n\n"
                "Median of %d runs (%s, K %s). Bytes are what the cache requested from its "
                "allocator; allocs/1k is blocks per 1000 prefixes (allocator overhead is "
                "about 16 B per block with glibc).\n\n",
                runs, quick ? "quick" : "full", k ? "fixed" : "adaptive");
        print_table(f, r, nr, 1);
        print_breakdown(f, r, nr, 1);
        fprintf(f, "\nEmpty cache: %zu B. Ten /24 entries: %zu B.\n\n", empty, ten);
        fclose(f);
    }
    free(ls.locs);
    return 0;
}
