/* lisp_nat_test_util.c - helpers of the NAT engine tests (lisp_nat_test_util.h). The
 * checksums here are computed from scratch over the whole packet, on purpose in a
 * different way from the engine's incremental updates. */
#include "lisp_nat_test_util.h"

#include <arpa/inet.h>
#include <string.h>

static uint64_t nt_random(void *u)
{
    nt_host *h = u;
    uint64_t x;

    if (h->next_script < h->n_script)
        return h->script[h->next_script++];
    x = h->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    h->rng = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static void nt_trace(void *u, const lisp_trace *ev)
{
    nt_host *h = u;
    if (h->n_traces < NT_MAX_TRACES)
        h->traces[h->n_traces++] = *ev;
}

void nt_host_init(nt_host *h)
{
    memset(h, 0, sizeof *h);
    h->rng = 0x9E3779B97F4A7C15ull;
    h->host.env.user_data = h;
    h->host.env.random = nt_random;
    h->host.env.trace = nt_trace;
}

lisp_nat *nt_new(nt_host *h, const lisp_nat_config *cfg)
{
    lisp_nat *n;
    nt_host_init(h);
    n = lisp_nat_new(cfg, &h->host, 0);
    assert_non_null(n);
    return n;
}

void nt_host_script(nt_host *h, const uint64_t *values, size_t n)
{
    assert_true(n <= sizeof h->script / sizeof h->script[0]);
    memcpy(h->script, values, n * sizeof *values);
    h->n_script = n;
    h->next_script = 0;
}

size_t nt_count(const nt_host *h, int kind, int reason)
{
    size_t i, c = 0;
    for (i = 0; i < h->n_traces; i++)
        if (h->traces[i].kind == kind && (reason == 0 || h->traces[i].reason == reason))
            c++;
    return c;
}

const lisp_trace *nt_last(const nt_host *h, int kind)
{
    size_t i;
    for (i = h->n_traces; i-- > 0;)
        if (h->traces[i].kind == kind)
            return &h->traces[i];
    return NULL;
}

void nt_add_public(lisp_nat_config *cfg, const char *ip)
{
    assert_true(cfg->n_public < LISP_NAT_MAX_PUBLIC);
    assert_int_equal(inet_pton(AF_INET, ip, cfg->public_addrs[cfg->n_public]), 1);
    cfg->n_public++;
}

lisp_nat_config nt_config(const char *preset)
{
    lisp_nat_config cfg;
    lisp_nat_config_default(&cfg);
    if (preset)
        lt_assert_ok(lisp_nat_preset(&cfg, preset));
    nt_add_public(&cfg, "203.0.113.1");
    return cfg;
}

uint64_t nt_random_for_port(uint16_t port, uint16_t lo, uint16_t hi)
{
    uint64_t range = (uint64_t)hi - lo + 1;
    uint64_t x = ((((uint64_t)(port - lo)) << 32) + range - 1) / range;
    return x << 32;
}

uint16_t nt_sum(uint32_t acc, const uint8_t *p, size_t len)
{
    size_t i;
    for (i = 0; i + 1 < len; i += 2)
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        acc += (uint32_t)p[len - 1] << 8;
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)acc;
}

static uint32_t pseudo(const uint8_t *ip, uint8_t proto, size_t l4len)
{
    return (uint32_t)nt_sum(0, ip + 12, 8) + proto + (uint32_t)l4len;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void nt_fix_ip_checksum(uint8_t *ip)
{
    size_t ihl = (size_t)(ip[0] & 15) * 4;
    put16(ip + 10, 0);
    put16(ip + 10, (uint16_t)~nt_sum(0, ip, ihl));
}

size_t nt_ipv4(uint8_t *buf, const char *src, const char *dst, uint8_t proto, const uint8_t *l4,
               size_t l4len, unsigned opt_words)
{
    size_t ihl = 20 + 4 * (size_t)opt_words, c;
    uint8_t *p = buf + ihl;

    assert_true(ihl + l4len <= NT_PKT_MAX);
    memset(buf, 0, ihl);
    buf[0] = (uint8_t)(0x40 | (ihl / 4));
    put16(buf + 2, (uint16_t)(ihl + l4len));
    put16(buf + 4, 0x1234);
    buf[8] = 64;
    buf[9] = proto;
    assert_int_equal(inet_pton(AF_INET, src, buf + 12), 1);
    assert_int_equal(inet_pton(AF_INET, dst, buf + 16), 1);
    memset(buf + 20, 1, ihl - 20); /* NOP options */
    memcpy(p, l4, l4len);
    if (proto == 17 || proto == 6) {
        c = proto == 17 ? 6 : 16;
        put16(p + c, 0);
        put16(p + c, (uint16_t)~nt_sum(pseudo(buf, proto, l4len), p, l4len));
        if (proto == 17 && p[c] == 0 && p[c + 1] == 0)
            put16(p + c, 0xffff);
    } else if (proto == 1) {
        put16(p + 2, 0);
        put16(p + 2, (uint16_t)~nt_sum(0, p, l4len));
    }
    nt_fix_ip_checksum(buf);
    return ihl + l4len;
}

size_t nt_udp(uint8_t *buf, const char *src, uint16_t sport, const char *dst, uint16_t dport,
              size_t payload)
{
    uint8_t l4[NT_PKT_MAX];
    size_t i;

    assert_true(8 + payload <= sizeof l4);
    put16(l4, sport);
    put16(l4 + 2, dport);
    put16(l4 + 4, (uint16_t)(8 + payload));
    put16(l4 + 6, 0);
    for (i = 0; i < payload; i++)
        l4[8 + i] = (uint8_t)(0xA5 ^ i);
    return nt_ipv4(buf, src, dst, 17, l4, 8 + payload, 0);
}

size_t nt_tcp(uint8_t *buf, const char *src, uint16_t sport, const char *dst, uint16_t dport,
              uint8_t flags)
{
    uint8_t l4[24];

    memset(l4, 0, sizeof l4);
    put16(l4, sport);
    put16(l4 + 2, dport);
    l4[4] = 0x11; /* sequence and acknowledgment numbers */
    l4[11] = 0x22;
    l4[12] = 5 << 4;
    l4[13] = flags;
    put16(l4 + 14, 65535);
    memcpy(l4 + 20, "data", 4);
    return nt_ipv4(buf, src, dst, 6, l4, sizeof l4, 0);
}

size_t nt_icmp_query(uint8_t *buf, const char *src, const char *dst, uint8_t type, uint16_t id)
{
    uint8_t l4[16];

    memset(l4, 0x5a, sizeof l4);
    l4[0] = type;
    l4[1] = 0;
    put16(l4 + 4, id);
    put16(l4 + 6, 7); /* sequence number */
    return nt_ipv4(buf, src, dst, 1, l4, sizeof l4, 0);
}

size_t nt_icmp_error(uint8_t *buf, const char *src, const char *dst, uint8_t type, uint8_t code,
                     const uint8_t *q, size_t quote_len)
{
    uint8_t l4[NT_PKT_MAX];

    assert_true(8 + quote_len <= sizeof l4);
    memset(l4, 0, 8);
    l4[0] = type;
    l4[1] = code;
    memcpy(l4 + 8, q, quote_len);
    return nt_ipv4(buf, src, dst, 1, l4, 8 + quote_len, 0);
}

/* The L4 checksum of a complete IPv4 packet: UDP (unless 0), TCP, or ICMP. */
static void assert_l4(const uint8_t *ip, size_t len, const char *what)
{
    size_t ihl = (size_t)(ip[0] & 15) * 4, l4len = len - ihl;
    const uint8_t *p = ip + ihl;
    uint16_t s;

    if (ip[9] == 17) {
        if (p[6] == 0 && p[7] == 0)
            return;
        s = nt_sum(pseudo(ip, 17, l4len), p, l4len);
    } else if (ip[9] == 6) {
        s = nt_sum(pseudo(ip, 6, l4len), p, l4len);
    } else {
        s = nt_sum(0, p, l4len);
    }
    if (s != 0xffff)
        fail_msg("%s: protocol %u checksum does not verify (sum %04x)", what, ip[9], s);
}

void nt_assert_checksums(const uint8_t *ip, size_t len)
{
    size_t ihl = (size_t)(ip[0] & 15) * 4;
    const uint8_t *q;
    size_t qlen, qtot;

    assert_true(len >= ihl && (size_t)(ip[2] << 8 | ip[3]) == len);
    if (nt_sum(0, ip, ihl) != 0xffff)
        fail_msg("IPv4 header checksum does not verify");
    assert_l4(ip, len, "packet");
    if (ip[9] != 1 || !(ip[ihl] == 3 || ip[ihl] == 4 || ip[ihl] == 11 || ip[ihl] == 12))
        return;
    q = ip + ihl + 8;
    qlen = len - ihl - 8;
    assert_true(qlen >= 20);
    if (nt_sum(0, q, (size_t)(q[0] & 15) * 4) != 0xffff)
        fail_msg("quoted IPv4 header checksum does not verify");
    qtot = (size_t)(q[2] << 8 | q[3]);
    if (qtot <= qlen)
        assert_l4(q, qtot, "quoted packet");
}

static void assert_endpoint(const uint8_t *ip, size_t off, const char *addr, uint16_t port,
                            uint16_t got_port)
{
    uint8_t want[4];
    char got[INET_ADDRSTRLEN];

    assert_int_equal(inet_pton(AF_INET, addr, want), 1);
    inet_ntop(AF_INET, ip + off, got, sizeof got);
    if (memcmp(want, ip + off, 4) != 0 || got_port != port)
        fail_msg("%s is %s:%u, want %s:%u", off == 12 ? "source" : "destination", got, got_port,
                 addr, port);
}

static uint16_t port_at(const uint8_t *ip, size_t off)
{
    const uint8_t *p = ip + (size_t)(ip[0] & 15) * 4;
    if (ip[9] == 1)
        off = 4;
    return (uint16_t)(p[off] << 8 | p[off + 1]);
}

uint16_t nt_sport(const uint8_t *ip)
{
    return port_at(ip, 0);
}

uint16_t nt_dport(const uint8_t *ip)
{
    return port_at(ip, 2);
}

void nt_assert_src(const uint8_t *ip, const char *addr, uint16_t port)
{
    assert_endpoint(ip, 12, addr, port, nt_sport(ip));
}

void nt_assert_dst(const uint8_t *ip, const char *addr, uint16_t port)
{
    assert_endpoint(ip, 16, addr, port, nt_dport(ip));
}

int nt_send(lisp_nat *n, lisp_time_t now, bool outbound, uint8_t *ip, size_t len)
{
    int v = outbound ? lisp_nat_outbound(n, now, ip, len) : lisp_nat_inbound(n, now, ip, len);
    if (v == LISP_NAT_FORWARD || v == LISP_NAT_HAIRPIN)
        nt_assert_checksums(ip, len);
    return v;
}

uint64_t nt_counter(lisp_nat *n, const char *name)
{
    lisp_stat stats[64];
    size_t k = lisp_engine_stats(lisp_nat_engine(n), stats, 64), i;

    assert_true(k <= 64);
    for (i = 0; i < k; i++)
        if (strcmp(stats[i].name, name) == 0) {
            assert_string_equal(stats[i].group, "nat");
            return stats[i].value;
        }
    fail_msg("no counter %s", name);
    return 0;
}
