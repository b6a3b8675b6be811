/* lisp_nat_xlate.c - translating one packet (lisp_nat_outbound, lisp_nat_inbound): the
 * IPv4 parse, the in-place rewrites with incremental checksums (RFC 1624), mapping
 * lookup and creation, filtering, refresh, the TCP tracker, hairpinning and fragments. */
#include "lisp_nat_internal.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO 8
#define ICMP_TIMESTAMP 13
#define ICMP_TIMESTAMP_REPLY 14

enum {
    DIR_OUT = 1,
    DIR_IN = 2
};

/* ---- parse and rewrite ---- */

int nat_parse(nat_pkt *p, uint8_t *ip, size_t len)
{
    static const uint8_t l4_min[18] = {
        [NAT_PROTO_ICMP] = 8, [NAT_PROTO_TCP] = 20, [NAT_PROTO_UDP] = 8};
    size_t tot;
    uint16_t frag;

    memset(p, 0, sizeof *p);
    if (len < 1)
        return LISP_ERR_TRUNCATED;
    if (ip[0] >> 4 != 4)
        return 1;
    if (len < 20)
        return LISP_ERR_TRUNCATED;
    p->ihl = (size_t)(ip[0] & 0x0f) * 4;
    tot = nat_rd16(ip + 2);
    if (p->ihl < 20)
        return LISP_ERR_BAD_VALUE;
    if (tot < p->ihl)
        return LISP_ERR_BAD_LENGTH;
    if (tot > len)
        return LISP_ERR_TRUNCATED;
    p->proto = ip[9];
    if (p->proto != NAT_PROTO_UDP && p->proto != NAT_PROTO_TCP && p->proto != NAT_PROTO_ICMP)
        return 1;
    p->ip = ip;
    p->l4 = ip + p->ihl;
    p->l4len = tot - p->ihl;
    p->src = nat_rd32(ip + 12);
    p->dst = nat_rd32(ip + 16);
    frag = nat_rd16(ip + 6);
    p->later_frag = (frag & 0x1fff) != 0;
    p->fragment = p->later_frag || (frag & 0x2000);
    if (p->later_frag)
        return LISP_OK;
    if (p->l4len < l4_min[p->proto])
        return LISP_ERR_TRUNCATED;
    if (p->proto == NAT_PROTO_ICMP) {
        p->sport = p->dport = nat_rd16(p->l4 + 4); /* the identifier of a query */
    } else {
        p->sport = nat_rd16(p->l4);
        p->dport = nat_rd16(p->l4 + 2);
    }
    return LISP_OK;
}

/* Carry a change (delta) into the L4 checksum; pseudo: the change is in the pseudo-header
 * (addresses), which ICMP does not cover. A UDP checksum of 0 means "none" and stays. */
static void l4_csum(nat_pkt *p, uint32_t delta, bool pseudo)
{
    uint8_t *c;
    uint16_t v;

    if (p->later_frag)
        return;
    if (p->proto == NAT_PROTO_UDP) {
        c = p->l4 + 6;
        if (nat_rd16(c) == 0)
            return;
        v = nat_csum_adjusted(nat_rd16(c), delta);
        nat_wr16(c, v ? v : 0xffff);
        return;
    }
    if (p->proto == NAT_PROTO_ICMP && pseudo)
        return;
    c = p->l4 + (p->proto == NAT_PROTO_TCP ? 16 : 2);
    nat_wr16(c, nat_csum_adjusted(nat_rd16(c), delta));
}

static void set_addr(nat_pkt *p, size_t off, uint32_t old, uint32_t addr)
{
    uint32_t delta = nat_delta_addr(old, addr);
    nat_wr16(p->ip + 10, nat_csum_adjusted(nat_rd16(p->ip + 10), delta));
    l4_csum(p, delta, true);
    memcpy(p->ip + off, &addr, 4);
}

void nat_set_src(nat_pkt *p, uint32_t addr)
{
    set_addr(p, 12, p->src, addr);
    p->src = addr;
}

void nat_set_dst(nat_pkt *p, uint32_t addr)
{
    set_addr(p, 16, p->dst, addr);
    p->dst = addr;
}

static void set_port(nat_pkt *p, size_t off, uint16_t port)
{
    uint8_t *f = p->l4 + (p->proto == NAT_PROTO_ICMP ? 4 : off);
    l4_csum(p, nat_delta16(nat_rd16(f), port), false);
    nat_wr16(f, port);
}

void nat_set_sport(nat_pkt *p, uint16_t port)
{
    set_port(p, 0, port);
    p->sport = port;
    if (p->proto == NAT_PROTO_ICMP)
        p->dport = port;
}

void nat_set_dport(nat_pkt *p, uint16_t port)
{
    set_port(p, 2, port);
    p->dport = port;
    if (p->proto == NAT_PROTO_ICMP)
        p->sport = port;
}

/* ---- refresh, TCP tracker ---- */

static void refresh(lisp_nat *n, lisp_time_t now, nat_map *m, uint32_t raddr, uint16_t rport,
                    uint32_t dir)
{
    m->last = now;
    if (n->ctx.host.env.trace)
        nat_trace_map(n, now, LISP_TRACE_NAT_MAPPING_REFRESHED, m, raddr, rport, true, dir);
}

/* RFC 5382 section 5, per mapping: an outbound SYN opens (transitory); traffic both ways
 * since then makes it established; FIN both ways or an RST makes it transitory again. */
static void tcp_track(lisp_nat *n, const nat_pkt *p, uint32_t idx, bool out)
{
    nat_map *m = nat_map_at(n, idx);
    uint8_t flags = p->l4[13], t = m->tcp, klass;

    if (flags & TCP_RST) {
        t |= NAT_TCP_RST;
    } else if (out && (flags & TCP_SYN) && !(flags & TCP_ACK)) {
        t = NAT_TCP_SYN | NAT_TCP_OUT;
    } else {
        t |= out ? NAT_TCP_OUT : NAT_TCP_IN;
        if (flags & TCP_FIN)
            t |= out ? NAT_TCP_FIN_OUT : NAT_TCP_FIN_IN;
    }
    m->tcp = t;
    if ((t & NAT_TCP_RST) || ((t & NAT_TCP_FIN_OUT) && (t & NAT_TCP_FIN_IN)))
        klass = NAT_CLASS_TCP_TRANSITORY;
    else if ((t & NAT_TCP_OUT) && (t & NAT_TCP_IN))
        klass = NAT_CLASS_TCP_ESTABLISHED;
    else
        klass = NAT_CLASS_TCP_TRANSITORY;
    if (klass != m->klass) {
        m->klass = klass;
        nat_class_changed(n, m);
    }
}

/* ---- fragments ---- */

static uint32_t frag_slot(uint32_t src, uint32_t dst, uint8_t proto, uint16_t id, int dir)
{
    uint32_t h = (src ^ (dst * 0x9E3779B1u) ^ ((uint32_t)id << 16 | (uint32_t)proto << 8 | dir)) *
                 0x85EBCA6Bu;
    return h >> 24; /* NAT_FRAG_SLOTS = 256 */
}

/* The first fragment of a datagram (before its rewrite) went out or in as `to`: later
 * fragments of it get the same address. A full slot is overwritten (the older datagram's
 * later fragments are then dropped). */
static void frag_remember(lisp_nat *n, lisp_time_t now, const nat_pkt *p, uint32_t src,
                          uint32_t dst, int dir, uint32_t to)
{
    uint16_t id = nat_rd16(p->ip + 4);
    nat_frag *f;

    if (!n->frags) {
        n->frags = lisp_mem_alloc(&n->mem, NAT_FRAG_SLOTS * sizeof *n->frags);
        if (!n->frags) {
            lisp_ctx_internal_error(&n->ctx, now, LISP_ERR_NOMEM, NULL, NULL);
            return;
        }
        memset(n->frags, 0, NAT_FRAG_SLOTS * sizeof *n->frags);
    }
    f = &n->frags[frag_slot(src, dst, p->proto, id, dir)];
    f->src = src;
    f->dst = dst;
    f->to = to;
    f->id = id;
    f->proto = p->proto;
    f->dir = (uint8_t)dir;
    f->at = now;
}

/* A fragment other than the first: the address rewrite of its first fragment, or drop. */
static int frag_later(lisp_nat *n, lisp_time_t now, nat_pkt *p, int dir)
{
    uint16_t id = nat_rd16(p->ip + 4);
    const nat_frag *f = n->frags ? &n->frags[frag_slot(p->src, p->dst, p->proto, id, dir)] : NULL;

    if (!f || f->dir != dir || f->src != p->src || f->dst != p->dst || f->id != id ||
        f->proto != p->proto || now - f->at >= NAT_FRAG_LIFETIME || now < f->at)
        return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, 0, 0, 0, 0, 0, 0);
    if (dir == DIR_OUT) {
        nat_set_src(p, f->to);
        n->stats.outbound++;
    } else {
        nat_set_dst(p, f->to);
        n->stats.inbound++;
    }
    n->stats.fragments++;
    return LISP_NAT_FORWARD;
}

/* ---- outbound ---- */

static int pass(lisp_nat *n)
{
    n->stats.passed++;
    return LISP_NAT_PASS;
}

/* The mapping of an outbound packet to raddr:rport, found (and refreshed) or created, and
 * the remote remembered for filtering. -1 with *idx set, or a verdict (a drop). */
static int outbound_mapping(lisp_nat *n, lisp_time_t now, const nat_pkt *p, uint32_t raddr,
                            uint16_t rport, uint32_t *idx)
{
    int reason, err;
    uint32_t i = nat_check_live(n, now, nat_find_int(n, p->proto, p->src, p->sport, raddr, rport));

    if (i == NAT_NONE) {
        i = nat_create(n, now, p->proto, p->src, p->sport, raddr, rport, &reason, &err);
        if (i == NAT_NONE) {
            if (err) {
                lisp_ctx_internal_error(&n->ctx, now, err, NULL, NULL);
                return LISP_NAT_DROP;
            }
            if (reason == LISP_DROP_NAT_TABLE_FULL)
                n->stats.table_full++;
            else
                n->stats.ports_exhausted++;
            return nat_drop(n, now, reason, 0, p->proto, p->src, p->sport, raddr, rport, 0);
        }
        nat_trace_map(n, now, LISP_TRACE_NAT_MAPPING_CREATED, nat_map_at(n, i), raddr, rport, true,
                      0);
    } else {
        refresh(n, now, nat_map_at(n, i), raddr, rport, DIR_OUT);
    }
    if (p->proto == NAT_PROTO_TCP)
        tcp_track(n, p, i, true);
    if (nat_permit(n, i, raddr, rport) == LISP_ERR_NOMEM)
        lisp_ctx_internal_error(&n->ctx, now, LISP_ERR_NOMEM, NULL, NULL);
    *idx = i;
    return -1;
}

/* An outbound packet to one of our public addresses (RFC 4787 REQ-9): translated as it
 * leaves, then as it comes back in, so that the receiver sees the sender's external
 * address and port. */
static int hairpin(lisp_nat *n, lisp_time_t now, nat_pkt *p)
{
    uint32_t dst = p->dst, target, idx;
    uint16_t dport = p->dport;
    const nat_map *src_m, *dst_m;
    int v;

    if (p->proto == NAT_PROTO_ICMP || dport < n->port_lo || dport > n->port_hi)
        return pass(n); /* to the router itself */
    if (!n->cfg.hairpinning)
        return nat_drop(n, now, LISP_DROP_NAT_HAIRPIN_OFF, 0, p->proto, p->src, p->sport, dst,
                        dport, 0);
    if (p->fragment) /* one rewrite per fragment table entry: not hairpinned */
        return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, p->proto, p->src, p->sport, dst, dport,
                        0);
    target = nat_check_live(n, now, nat_find_ext(n, p->proto, dst, dport));
    if (target == NAT_NONE)
        return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, p->proto, p->src, p->sport, dst, dport,
                        0);
    v = outbound_mapping(n, now, p, dst, dport, &idx);
    if (v >= 0)
        return v;
    src_m = nat_map_at(n, idx);
    dst_m = nat_map_at(n, target);
    if (!nat_permitted(n, target, src_m->ext_addr, src_m->ext_port)) {
        n->stats.filtered++;
        return nat_drop(n, now, LISP_DROP_NAT_FILTERED, 0, p->proto, dst_m->int_addr,
                        dst_m->int_port, src_m->ext_addr, src_m->ext_port, n->cfg.filtering);
    }
    nat_set_src(p, src_m->ext_addr);
    nat_set_sport(p, src_m->ext_port);
    nat_set_dst(p, dst_m->int_addr);
    nat_set_dport(p, dst_m->int_port);
    if (n->cfg.inbound_refresh)
        refresh(n, now, nat_map_at(n, target), src_m->ext_addr, src_m->ext_port, DIR_IN);
    if (p->proto == NAT_PROTO_TCP)
        tcp_track(n, p, target, false);
    n->stats.hairpinned++;
    return LISP_NAT_HAIRPIN;
}

int lisp_nat_outbound(lisp_nat *n, lisp_time_t now, uint8_t *ip, size_t len)
{
    nat_pkt p;
    uint32_t idx, src;
    const nat_map *m;
    int rc = nat_parse(&p, ip, len), v;

    if (rc == 1)
        return pass(n);
    if (rc < 0)
        return nat_drop(n, now, LISP_DROP_MALFORMED, rc, 0, 0, 0, 0, 0, 0);
    if (p.later_frag)
        return frag_later(n, now, &p, DIR_OUT);
    if (p.proto == NAT_PROTO_ICMP) {
        if (nat_icmp_is_error(p.l4[0]))
            return nat_icmp_error_out(n, now, &p);
        if (p.l4[0] != ICMP_ECHO && p.l4[0] != ICMP_TIMESTAMP) /* replies, unknown types */
            return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, p.proto, p.src, p.sport, p.dst, 0,
                            0);
        p.dport = 0; /* an ICMP query's remote has no port */
    }
    if (nat_public_index(n, p.dst) >= 0)
        return hairpin(n, now, &p);
    v = outbound_mapping(n, now, &p, p.dst, p.dport, &idx);
    if (v >= 0)
        return v;
    m = nat_map_at(n, idx);
    src = p.src;
    nat_set_src(&p, m->ext_addr);
    nat_set_sport(&p, m->ext_port);
    if (p.fragment) {
        frag_remember(n, now, &p, src, p.dst, DIR_OUT, m->ext_addr);
        n->stats.fragments++;
    }
    n->stats.outbound++;
    return LISP_NAT_FORWARD;
}

/* ---- inbound ---- */

int lisp_nat_inbound(lisp_nat *n, lisp_time_t now, uint8_t *ip, size_t len)
{
    nat_pkt p;
    uint32_t idx, dst;
    uint16_t rport;
    const nat_map *m;
    int rc = nat_parse(&p, ip, len);

    if (rc == 1 || (p.ip && nat_public_index(n, p.dst) < 0))
        return pass(n); /* not for us (a bad L4 header too): routed as without a NAT */
    if (rc < 0)
        return nat_drop(n, now, LISP_DROP_MALFORMED, rc, 0, 0, 0, 0, 0, 0);
    if (p.later_frag)
        return frag_later(n, now, &p, DIR_IN);
    rport = p.sport;
    if (p.proto == NAT_PROTO_ICMP) {
        if (nat_icmp_is_error(p.l4[0]))
            return nat_icmp_error_in(n, now, &p);
        if (p.l4[0] != ICMP_ECHO_REPLY && p.l4[0] != ICMP_TIMESTAMP_REPLY)
            return pass(n); /* requests and the rest are for the router itself */
        rport = 0;
    }
    if (p.dport < n->port_lo || p.dport > n->port_hi)
        return pass(n); /* outside the mapping range: for the router itself */
    idx = nat_check_live(n, now, nat_find_ext(n, p.proto, p.dst, p.dport));
    if (idx == NAT_NONE)
        return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, p.proto, 0, 0, p.src, rport, 0);
    m = nat_map_at(n, idx);
    if (!nat_permitted(n, idx, p.src, rport)) {
        n->stats.filtered++;
        return nat_drop(n, now, LISP_DROP_NAT_FILTERED, 0, p.proto, m->int_addr, m->int_port, p.src,
                        rport, n->cfg.filtering);
    }
    if (n->cfg.inbound_refresh)
        refresh(n, now, nat_map_at(n, idx), p.src, rport, DIR_IN);
    if (p.proto == NAT_PROTO_TCP)
        tcp_track(n, &p, idx, false);
    dst = p.dst;
    nat_set_dst(&p, m->int_addr);
    nat_set_dport(&p, m->int_port);
    if (p.fragment) {
        frag_remember(n, now, &p, p.src, dst, DIR_IN, m->int_addr);
        n->stats.fragments++;
    }
    n->stats.inbound++;
    return LISP_NAT_FORWARD;
}

/* ---- batches ---- */

/* Packets at a time whose memory accesses overlap: enough to hide DRAM latency, few
 * enough that the prefetched lines are still in L1/L2 when used. */
#define BATCH_CHUNK 16

/* Translate the packets of a batch one by one, in order (so the verdicts are exactly those
 * of single calls), after two passes that only load memory: the hash slot of every
 * packet's key, then the mapping its slot points at. */
static void batch(lisp_nat *n, lisp_time_t now, bool outside, uint8_t *const *ip, const size_t *len,
                  size_t count, int *verdicts)
{
    uint32_t hash[BATCH_CHUNK];
    bool known[BATCH_CHUNK];
    size_t base, i, k;

    for (base = 0; base < count; base += k) {
        k = count - base < BATCH_CHUNK ? count - base : BATCH_CHUNK;
        for (i = 0; i < k; i++) {
            nat_pkt p;
            known[i] = nat_parse(&p, ip[base + i], len[base + i]) == LISP_OK && !p.later_frag;
            if (!known[i])
                continue;
            if (p.proto == NAT_PROTO_ICMP && !outside)
                p.dport = 0;
            hash[i] = outside ? nat_hash_key(n, true, p.proto, p.dst, p.dport, 0, 0)
                              : nat_hash_key(n, false, p.proto, p.src, p.sport, p.dst, p.dport);
            nat_prefetch_slot(n, outside, hash[i]);
        }
        for (i = 0; i < k; i++)
            if (known[i])
                nat_prefetch_map(n, outside, hash[i]);
        for (i = 0; i < k; i++)
            verdicts[base + i] = outside ? lisp_nat_inbound(n, now, ip[base + i], len[base + i])
                                         : lisp_nat_outbound(n, now, ip[base + i], len[base + i]);
    }
}

void lisp_nat_outbound_batch(lisp_nat *n, lisp_time_t now, uint8_t *const *ip, const size_t *len,
                             size_t count, int *verdicts)
{
    batch(n, now, false, ip, len, count, verdicts);
}

void lisp_nat_inbound_batch(lisp_nat *n, lisp_time_t now, uint8_t *const *ip, const size_t *len,
                            size_t count, int *verdicts)
{
    batch(n, now, true, ip, len, count, verdicts);
}
