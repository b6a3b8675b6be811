/*
 * bench_nat.c - NAT engine throughput and memory (a program, not a test: it asserts
 * nothing timed).
 *
 * Builds a NAT (endpoint-independent mapping, address-and-port-dependent filtering, port
 * preserving, arbitrary pooling over 16 public addresses) holding FLOWS active UDP
 * mappings (1M; --quick 100k) from 65,536 internal hosts, then measures on one core:
 *   - mappings created per second while building the table;
 *   - bytes per mapping, as the injected counting allocator sees the whole engine;
 *   - outbound and inbound translations per second (parse, lookup, filter, refresh,
 *     rewrite with incremental checksums) over packets of uniformly random flows among
 *     all of them (cache-hostile), and over a hot set of 4,096 flows (cache-resident),
 *     one call per packet and through lisp_nat_*_batch, 64 packets per call.
 * Time advances 100 ns per packet, so every packet refreshes its mapping. Each figure
 * is the median of RUNS runs; packets are restored from a pristine copy between chunks,
 * outside the timed part.
 *
 *   bench_nat [--quick] [--out FILE]
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp.h"
#include "lisp_bench_util.h"
#include "lisp_counting_alloc.h"

#define RUNS 5
#define PKT 32 /* IPv4 20 + UDP 8 + 4 bytes of payload */
#define CHUNK 65536
#define HOT 4096
#define BATCH 64

static uint64_t g_rng = BENCH_RNG_SEED;

static uint64_t xorshift(void *u)
{
    (void)u;
    return bench_xorshift(&g_rng);
}

/* CPU time of this thread: the machine is shared, and a figure per core should not count
 * the time other processes had the core (their cache pollution still counts). */
static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

/* A UDP packet src:sport -> dst:dport with correct checksums. */
static void make_udp(uint8_t *p, const uint8_t *src, uint16_t sport, const uint8_t *dst,
                     uint16_t dport)
{
    uint32_t s = 0;
    int i;

    memset(p, 0, PKT);
    p[0] = 0x45;
    p[3] = PKT;
    p[8] = 64;
    p[9] = 17;
    memcpy(p + 12, src, 4);
    memcpy(p + 16, dst, 4);
    for (i = 0; i < 20; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    s = (uint16_t)~fold(s);
    p[10] = (uint8_t)(s >> 8);
    p[11] = (uint8_t)s;
    p[20] = (uint8_t)(sport >> 8);
    p[21] = (uint8_t)sport;
    p[22] = (uint8_t)(dport >> 8);
    p[23] = (uint8_t)dport;
    p[25] = PKT - 20;
    memcpy(p + 28, "nat!", 4);
    s = 17 + (PKT - 20);
    for (i = 12; i < 20; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    for (i = 20; i < PKT; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    s = (uint16_t)~fold(s);
    if (s == 0)
        s = 0xffff;
    p[26] = (uint8_t)(s >> 8);
    p[27] = (uint8_t)s;
}

/* Translations per second over n packets (taken from pristine, in chunks), median; one
 * call per packet, or lisp_nat_*_batch over BATCH packets at a time. */
static double run(lisp_nat *nat, bool outbound, bool batched, const uint8_t *pristine, size_t n,
                  lisp_time_t *now)
{
    static uint8_t work[CHUNK * PKT], *ptrs[CHUNK];
    static size_t lens[CHUNK];
    static int verdicts[CHUNK];
    double rates[RUNS];
    int r;

    for (r = 0; r < RUNS; r++) {
        double spent = 0;
        size_t done = 0, off;
        for (off = 0; off < n; off += CHUNK) {
            size_t k = n - off < CHUNK ? n - off : CHUNK, i;
            double t0;
            memcpy(work, pristine + off * PKT, k * PKT);
            for (i = 0; i < k; i++) {
                ptrs[i] = work + i * PKT;
                lens[i] = PKT;
                verdicts[i] = -1;
            }
            t0 = bench_cpu_seconds();
            if (batched) {
                for (i = 0; i < k; i += BATCH) {
                    size_t b = k - i < BATCH ? k - i : BATCH;
                    if (outbound)
                        lisp_nat_outbound_batch(nat, *now, ptrs + i, lens + i, b, verdicts + i);
                    else
                        lisp_nat_inbound_batch(nat, *now, ptrs + i, lens + i, b, verdicts + i);
                    *now += 100 * b;
                }
            } else {
                for (i = 0; i < k; i++) {
                    verdicts[i] = outbound ? lisp_nat_outbound(nat, *now, ptrs[i], PKT)
                                           : lisp_nat_inbound(nat, *now, ptrs[i], PKT);
                    *now += 100;
                }
            }
            spent += bench_cpu_seconds() - t0;
            for (i = 0; i < k; i++)
                if (verdicts[i] != LISP_NAT_FORWARD)
                    abort();
            done += k;
        }
        rates[r] = (double)done / spent;
    }
    qsort(rates, RUNS, sizeof rates[0], bench_cmp_double);
    return rates[RUNS / 2];
}

int main(int argc, char **argv)
{
    static const uint8_t remote[4] = {198, 51, 100, 1};
    const char *out_path = NULL;
    size_t flows = 1000000, i, n_lines = 0;
    uint8_t *out_pkts, *in_pkts, *perm_out, *perm_in, *hot_out, *hot_in;
    size_t *order;
    lisp_counting_alloc counter;
    lisp_allocator alloc = lisp_counting_alloc_init(&counter);
    lisp_nat_config cfg;
    lisp_host host;
    lisp_nat *nat;
    lisp_time_t now = LISP_NS_PER_SEC;
    char lines[12][160];
    double t0, build;
    FILE *out;

    for (i = 1; i < (size_t)argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            flows = 100000;
        else if (!strcmp(argv[i], "--out") && i + 1 < (size_t)argc)
            out_path = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--quick] [--out FILE]\n", argv[0]);
            return 2;
        }
    }

    lisp_nat_config_default(&cfg);
    lisp_nat_preset(&cfg, "linux-masquerade");
    cfg.pooling = LISP_NAT_POOL_ARBITRARY;
    for (i = 0; i < LISP_NAT_MAX_PUBLIC; i++) {
        uint8_t a[4] = {203, 0, 113, (uint8_t)(i + 1)};
        memcpy(cfg.public_addrs[i], a, 4);
    }
    cfg.n_public = LISP_NAT_MAX_PUBLIC;
    cfg.max_mappings = (uint32_t)flows;
    memset(&host, 0, sizeof host);
    host.env.random = xorshift;
    host.env.alloc = &alloc;
    nat = lisp_nat_new(&cfg, &host, now);
    out_pkts = malloc(flows * PKT);
    in_pkts = malloc(flows * PKT);
    perm_out = malloc(flows * PKT);
    perm_in = malloc(flows * PKT);
    hot_out = malloc(flows * PKT);
    hot_in = malloc(flows * PKT);
    order = malloc(flows * sizeof *order);
    if (!nat || !out_pkts || !in_pkts || !perm_out || !perm_in || !hot_out || !hot_in || !order)
        abort();

    /* Flow i: internal host 10.(i/16 >> 8).(i/16).1, port 20000 + i % 16 * 37. */
    for (i = 0; i < flows; i++) {
        uint32_t h = (uint32_t)(i / 16);
        uint8_t src[4] = {10, (uint8_t)(h >> 8), (uint8_t)h, 1};
        make_udp(out_pkts + i * PKT, src, (uint16_t)(20000 + i % 16 * 37), remote, 53);
    }
    t0 = bench_cpu_seconds();
    for (i = 0; i < flows; i++) {
        uint8_t p[PKT];
        memcpy(p, out_pkts + i * PKT, PKT);
        if (lisp_nat_outbound(nat, now, p, PKT) != LISP_NAT_FORWARD)
            abort();
        make_udp(in_pkts + i * PKT, remote, 53, p + 12, (uint16_t)(p[20] << 8 | p[21]));
    }
    build = (double)flows / (bench_cpu_seconds() - t0);
    if (lisp_nat_mapping_count(nat) != flows)
        abort();

    /* Random order over all flows, and a hot set repeated to the same length. */
    for (i = 0; i < flows; i++)
        order[i] = i;
    for (i = flows - 1; i > 0; i--) {
        size_t j = (size_t)(xorshift(NULL) % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (i = 0; i < flows; i++) {
        memcpy(perm_out + i * PKT, out_pkts + order[i] * PKT, PKT);
        memcpy(perm_in + i * PKT, in_pkts + order[i] * PKT, PKT);
        memcpy(hot_out + i * PKT, out_pkts + order[i % HOT] * PKT, PKT);
        memcpy(hot_in + i * PKT, in_pkts + order[i % HOT] * PKT, PKT);
    }

    snprintf(lines[n_lines++], sizeof lines[0], "| mappings created while building | %.0f /s |",
             build);
    snprintf(lines[n_lines++], sizeof lines[0], "| bytes per mapping (whole engine) | %.1f |",
             (double)counter.bytes / (double)flows);
    for (i = 0; i < 8; i++) {
        static const char *what[4] = {"outbound, random flows", "inbound, random flows",
                                      "outbound, 4,096 hot flows", "inbound, 4,096 hot flows"};
        bool out_dir = i % 2 == 0, batched = i >= 4, hot = i % 4 >= 2;
        const uint8_t *pkts = hot ? (out_dir ? hot_out : hot_in) : (out_dir ? perm_out : perm_in);
        snprintf(lines[n_lines++], sizeof lines[0], "| %s, %s | %.2f M/s |", what[i % 4],
                 batched ? "batches of 64" : "one call each",
                 run(nat, out_dir, batched, pkts, flows, &now) / 1e6);
    }
    if (lisp_nat_mapping_count(nat) != flows || lisp_nat_get_stats(nat)->mappings_expired != 0)
        abort(); /* every packet found its mapping */

    printf("NAT engine, %zu active UDP mappings, one core (median of %d runs)\n", flows, RUNS);
    printf("| measure | value |\n|---|---|\n");
    for (i = 0; i < n_lines; i++)
        printf("%s\n", lines[i]);
    if (out_path) {
        out = fopen(out_path, "a");
        if (!out)
            return 1;
        fprintf(out, "\nNAT engine, %zu active UDP mappings, one core (median of %d runs)\n\n",
                flows, RUNS);
        fprintf(out, "| measure | value |\n|---|---|\n");
        for (i = 0; i < n_lines; i++)
            fprintf(out, "%s\n", lines[i]);
        fclose(out);
    }
    lisp_nat_free(nat);
    if (counter.bytes != 0)
        abort();
    free(out_pkts);
    free(in_pkts);
    free(perm_out);
    free(perm_in);
    free(hot_out);
    free(hot_in);
    free(order);
    return 0;
}
