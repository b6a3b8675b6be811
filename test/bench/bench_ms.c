/*
 * bench_ms.c - Map-Server throughput: authenticated Map-Registers per second (HMAC verify,
 * decode, registration refresh, and optionally the signed Map-Notify) and Map-Request
 * answers per second (ECM'd Map-Requests answered with proxy Map-Replies).
 *
 *   bench_ms [--quick] [--out FILE]
 *
 * A benchmark, not a test: it prints a table (and appends it to FILE as markdown) and
 * asserts nothing about speed. Each figure is the median of several runs.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp.h"
#include "lisp_bench_util.h"

#define SITES 1000
#define RUNS 5

typedef struct wire {
    uint8_t *data;
    size_t len;
} wire;

static uint64_t g_sent, g_rng = BENCH_RNG_SEED;

static int count_send(void *u, const lisp_dgram *d, const uint8_t *p, size_t len)
{
    (void)u, (void)d, (void)p, (void)len;
    g_sent++;
    return LISP_OK;
}

static uint64_t xorshift(void *u)
{
    (void)u;
    return bench_xorshift(&g_rng);
}

static lisp_eid site_prefix(unsigned i)
{
    lisp_eid p;
    memset(&p, 0, sizeof p);
    p.afi = LISP_AFI_IPV4;
    p.mask_len = 24;
    p.addr[0] = 10;
    p.addr[1] = (uint8_t)(i >> 8);
    p.addr[2] = (uint8_t)i;
    return p;
}

static void site_key(unsigned i, char out[32])
{
    snprintf(out, 32, "site-key-%u", i);
}

static lisp_ms *make_ms(uint16_t key_id, bool proxy, lisp_host *io)
{
    static lisp_ms_prefix_config prefixes[SITES];
    static lisp_ms_site_config sites[SITES];
    static char keys[SITES][32];
    lisp_ms_config cfg;
    unsigned i;

    for (i = 0; i < SITES; i++) {
        prefixes[i].prefix = site_prefix(i);
        site_key(i, keys[i]);
        memset(&sites[i], 0, sizeof sites[i]);
        sites[i].key_id = key_id;
        sites[i].key = (const uint8_t *)keys[i];
        sites[i].key_len = strlen(keys[i]);
        sites[i].prefixes = &prefixes[i];
        sites[i].n_prefixes = 1;
        sites[i].proxy_reply = proxy;
    }
    lisp_ms_config_default(&cfg);
    cfg.sites = sites;
    cfg.n_sites = SITES;
    memset(io, 0, sizeof *io);
    io->out.send = count_send;
    io->env.random = xorshift;
    return lisp_ms_new(&cfg, io, 0);
}

/* One signed Map-Register for site i: its /24 with two IPv4 locators. */
static wire make_register(unsigned i, uint16_t key_id, bool want_notify)
{
    lisp_msg m;
    lisp_locator locs[2];
    lisp_record rec;
    lisp_afi_addr a;
    char key[32];
    wire w;
    unsigned k;

    memset(&m, 0, sizeof m);
    memset(&rec, 0, sizeof rec);
    m.type = LISP_MAP_REGISTER;
    m.u.mreg.flags = want_notify ? LISP_MREG_F_M : 0;
    m.u.mreg.nonce = 0x1000 + i;
    m.u.mreg.key_id = key_id;
    m.u.mreg.auth_len = lisp_auth_default_len(key_id);
    m.u.mreg.record_count = 1;
    m.u.mreg.records = &rec;
    rec.ttl = 1440;
    rec.authoritative = true;
    rec.eid.mask_len = 24;
    a = lisp_afi_ipv4(0x0A000000u | (i << 8));
    rec.eid.addr = lisp_addr_plain(a);
    rec.loc_count = 2;
    rec.locators = locs;
    for (k = 0; k < 2; k++) {
        memset(&locs[k], 0, sizeof locs[k]);
        locs[k].priority = 1;
        locs[k].weight = 50;
        locs[k].flags = LISP_LOC_F_R;
        locs[k].addr = lisp_addr_plain(lisp_afi_ipv4(0xC6336400u + i * 2 + k));
    }
    w.data = malloc(512);
    if (!w.data || lisp_msg_encode(&m, w.data, 512, &w.len) < 0)
        abort();
    site_key(i, key);
    if (lisp_auth_sign(w.data, w.len, (const uint8_t *)key, strlen(key)) < 0)
        abort();
    return w;
}

/* An ECM'd Map-Request (as a Map-Resolver forwards it) for a host in site i. */
static wire make_request(unsigned i)
{
    lisp_msg m;
    size_t hdr = 4 + lisp_ipudp_header_len(LISP_AFI_IPV4), req_len;
    wire w;

    memset(&m, 0, sizeof m);
    m.type = LISP_MAP_REQUEST;
    m.u.mreq.nonce = 0x2000 + i;
    m.u.mreq.source_eid = lisp_addr_plain(lisp_afi_ipv4(0x0B000001u));
    m.u.mreq.itr_rloc_count = 1;
    m.u.mreq.itr_rlocs[0] = lisp_addr_plain(lisp_afi_ipv4(0xCB007101u));
    m.u.mreq.record_count = 1;
    m.u.mreq.records[0].mask_len = 32;
    m.u.mreq.records[0].addr = lisp_addr_plain(lisp_afi_ipv4(0x0A000007u | (i << 8)));
    w.data = malloc(512);
    if (!w.data || lisp_msg_encode(&m, w.data + hdr, 512 - hdr, &req_len) < 0)
        abort();
    memset(&m, 0, sizeof m);
    m.type = LISP_ECM;
    m.u.ecm.inner.afi = LISP_AFI_IPV4;
    memcpy(m.u.ecm.inner.src, (uint8_t[4]){203, 0, 113, 1}, 4);
    memcpy(m.u.ecm.inner.dst, w.data + hdr + 16, 4);
    m.u.ecm.inner.sport = LISP_CONTROL_PORT;
    m.u.ecm.inner.dport = LISP_CONTROL_PORT;
    m.u.ecm.inner.ttl = 64;
    m.u.ecm.payload = w.data + hdr;
    m.u.ecm.payload_len = req_len;
    if (lisp_msg_encode(&m, w.data, 512, &w.len) < 0)
        abort();
    return w;
}

/* Feed every message `rounds` times; returns messages per second (median of RUNS). */
static double feed(lisp_ms *ms, const wire *msgs, unsigned n, unsigned rounds, uint64_t *sent)
{
    lisp_endpoint src, dst;
    double rates[RUNS];
    lisp_time_t t = LISP_NS_PER_SEC;
    unsigned run, r, i;

    memset(&src, 0, sizeof src);
    src.afi = LISP_AFI_IPV4;
    memcpy(src.addr, (uint8_t[4]){198, 51, 100, 1}, 4);
    src.port = LISP_CONTROL_PORT;
    dst = src;
    dst.addr[3] = 10;
    g_sent = 0;
    for (run = 0; run < RUNS; run++) {
        double start = bench_wall_seconds();
        for (r = 0; r < rounds; r++)
            for (i = 0; i < n; i++)
                if (lisp_ms_handle_udp(ms, t++, &src, &dst, msgs[i].data, msgs[i].len) < 0)
                    abort();
        rates[run] = (double)n * rounds / (bench_wall_seconds() - start);
    }
    *sent = g_sent;
    qsort(rates, RUNS, sizeof rates[0], bench_cmp_double);
    return rates[RUNS / 2];
}

int main(int argc, char **argv)
{
    static wire regs[SITES], reqs[SITES];
    const char *out_path = NULL;
    unsigned rounds = 20, i, k;
    FILE *out = NULL;
    lisp_host io;
    char lines[6][160];
    int n_lines = 0;

    for (i = 1; i < (unsigned)argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            rounds = 2;
        else if (!strcmp(argv[i], "--out") && i + 1 < (unsigned)argc)
            out_path = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--quick] [--out FILE]\n", argv[0]);
            return 2;
        }
    }

    for (k = 1; k <= 2; k++) {
        for (int notify = 0; notify <= 1; notify++) {
            lisp_ms *ms = make_ms((uint16_t)k, false, &io);
            uint64_t sent;
            double rate;
            if (!ms)
                abort();
            for (i = 0; i < SITES; i++)
                regs[i] = make_register(i, (uint16_t)k, notify);
            rate = feed(ms, regs, SITES, rounds, &sent);
            if (lisp_ms_get_stats(ms)->common.drops[LISP_DROP_AUTH_FAILED] != 0 ||
                (notify && sent == 0))
                abort(); /* every registration must have been accepted */
            snprintf(lines[n_lines++], sizeof lines[0], "| Map-Register, key-id %u (%s)%s | %.0f |",
                     k, k == 1 ? "HMAC-SHA-1" : "HMAC-SHA-256", notify ? " + Map-Notify" : "", rate);
            for (i = 0; i < SITES; i++)
                free(regs[i].data);
            lisp_ms_free(ms);
        }
    }
    {
        lisp_ms *ms = make_ms(1, true, &io);
        uint64_t sent;
        double rate;
        if (!ms)
            abort();
        for (i = 0; i < SITES; i++) {
            wire w = make_register(i, 1, false);
            lisp_endpoint src;
            memset(&src, 0, sizeof src);
            src.afi = LISP_AFI_IPV4;
            src.port = LISP_CONTROL_PORT;
            if (lisp_ms_handle_udp(ms, 1, &src, &src, w.data, w.len) < 0)
                abort();
            free(w.data);
            reqs[i] = make_request(i);
        }
        rate = feed(ms, reqs, SITES, rounds, &sent);
        if (sent != (uint64_t)SITES * rounds * RUNS)
            abort(); /* every request must have been answered */
        snprintf(lines[n_lines++], sizeof lines[0],
                 "| ECM Map-Request -> proxy Map-Reply | %.0f |", rate);
        for (i = 0; i < SITES; i++)
            free(reqs[i].data);
        lisp_ms_free(ms);
    }

    printf("Map-Server, %d sites, one core (median of %d runs of %u x %d messages)\n", SITES,
           RUNS, rounds, SITES);
    printf("| operation | messages/s |\n|---|---|\n");
    for (i = 0; i < (unsigned)n_lines; i++)
        printf("%s\n", lines[i]);
    if (out_path) {
        out = fopen(out_path, "a");
        if (!out) {
            perror(out_path);
            return 1;
        }
        fprintf(out, "\n### Map-Server (%d sites)\n\n| operation | messages/s |\n|---|---|\n",
                SITES);
        for (i = 0; i < (unsigned)n_lines; i++)
            fprintf(out, "%s\n", lines[i]);
        fclose(out);
    }
    return 0;
}
