/* lisp_nat_icmp.c - ICMP errors about translated flows (RFC 5508 section 4): the
 * embedded packet is the one that crossed the NAT, so its header is translated too, with
 * its IPv4 checksum, its L4 checksum and port (or ICMP identifier) and the outer ICMP
 * checksum that covers it, all by incremental update. */
#include "lisp_nat_internal.h"

#define ICMP_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAM_PROBLEM 12

bool nat_icmp_is_error(uint8_t type)
{
    return type == ICMP_UNREACH || type == ICMP_SOURCE_QUENCH || type == ICMP_TIME_EXCEEDED ||
           type == ICMP_PARAM_PROBLEM;
}

/* The packet quoted by an ICMP error. */
typedef struct nat_emb {
    uint8_t *ip, *l4;
    size_t l4len;
    uint8_t proto;
    uint32_t src, dst;
} nat_emb;

/* 0 when the error quotes an IPv4 header and 8 bytes of UDP, TCP or an ICMP query; 1 when
 * it quotes something we do not translate; a negative packet error when truncated. */
static int parse_emb(const nat_pkt *p, nat_emb *e)
{
    size_t len = p->l4len - 8, ihl;

    e->ip = p->l4 + 8;
    if (len < 20)
        return LISP_ERR_TRUNCATED;
    if (e->ip[0] >> 4 != 4)
        return LISP_ERR_BAD_VALUE;
    ihl = (size_t)(e->ip[0] & 0x0f) * 4;
    if (ihl < 20)
        return LISP_ERR_BAD_VALUE;
    if (len < ihl + 8)
        return LISP_ERR_TRUNCATED;
    e->proto = e->ip[9];
    e->l4 = e->ip + ihl;
    e->l4len = len - ihl;
    e->src = nat_rd32(e->ip + 12);
    e->dst = nat_rd32(e->ip + 16);
    if (e->proto != NAT_PROTO_UDP && e->proto != NAT_PROTO_TCP && e->proto != NAT_PROTO_ICMP)
        return 1;
    return LISP_OK;
}

/* Write v into the 16-bit word at w, adding its change to the outer ICMP checksum's. */
static void put16(uint8_t *w, uint16_t v, uint32_t *acc)
{
    *acc += nat_delta16(nat_rd16(w), v);
    nat_wr16(w, v);
}

/* Rewrite the quoted packet's address at offset off (12 source, 16 destination) and its
 * port at port_off of the L4 header (ICMP: the identifier), with both checksums. */
static uint32_t rewrite_emb(nat_emb *e, size_t off, uint32_t addr, size_t port_off, uint16_t port)
{
    uint32_t acc = 0, d_addr = nat_delta_addr(nat_rd32(e->ip + off), addr), d;
    size_t c_off;
    uint8_t *w;

    put16(e->ip + 10, nat_csum_adjusted(nat_rd16(e->ip + 10), d_addr), &acc);
    if (e->proto == NAT_PROTO_ICMP) {
        port_off = 4;
        c_off = 2;
        d = nat_delta16(nat_rd16(e->l4 + 4), port);
    } else {
        c_off = e->proto == NAT_PROTO_UDP ? 6 : 16;
        d = d_addr + nat_delta16(nat_rd16(e->l4 + port_off), port);
    }
    /* The quoted L4 checksum, when quoted (a TCP one lies past the first 8 bytes). */
    if (c_off + 2 <= e->l4len && !(e->proto == NAT_PROTO_UDP && nat_rd16(e->l4 + c_off) == 0)) {
        uint16_t v = nat_csum_adjusted(nat_rd16(e->l4 + c_off), d);
        put16(e->l4 + c_off, e->proto == NAT_PROTO_UDP && v == 0 ? 0xffff : v, &acc);
    }
    put16(e->l4 + port_off, port, &acc);
    w = e->ip + off;
    put16(w, nat_rd16((const uint8_t *)&addr), &acc);
    put16(w + 2, nat_rd16((const uint8_t *)&addr + 2), &acc);
    return acc;
}

static bool emb_query(const nat_emb *e, bool request)
{
    uint8_t t = e->l4[0];
    return request ? t == 8 || t == 13 : t == 0 || t == 14;
}

/* Outer ICMP checksum after the quoted packet changed by acc. */
static void fix_outer(nat_pkt *p, uint32_t acc)
{
    nat_wr16(p->l4 + 2, nat_csum_adjusted(nat_rd16(p->l4 + 2), acc));
}

static int error_prologue(lisp_nat *n, lisp_time_t now, const nat_pkt *p, nat_emb *e)
{
    int rc;

    if (p->fragment)
        return nat_drop(n, now, LISP_DROP_MALFORMED, LISP_ERR_BAD_VALUE, 0, 0, 0, 0, 0, 0);
    rc = parse_emb(p, e);
    if (rc < 0)
        return nat_drop(n, now, LISP_DROP_MALFORMED, rc, 0, 0, 0, 0, 0, 0);
    return rc;
}

/* From the outside, about a packet that left translated: the quoted source is our
 * external endpoint. */
int nat_icmp_error_in(lisp_nat *n, lisp_time_t now, nat_pkt *p)
{
    nat_emb e;
    uint32_t idx;
    uint16_t eport, rport;
    const nat_map *m;
    int rc = error_prologue(n, now, p, &e);

    if (rc == LISP_NAT_DROP)
        return rc;
    if (rc == 1 || nat_public_index(n, e.src) < 0 ||
        (e.proto == NAT_PROTO_ICMP && !emb_query(&e, true))) {
        n->stats.passed++;
        return LISP_NAT_PASS; /* about the router's own traffic */
    }
    eport = nat_rd16(e.l4 + (e.proto == NAT_PROTO_ICMP ? 4 : 0));
    rport = e.proto == NAT_PROTO_ICMP ? 0 : nat_rd16(e.l4 + 2);
    if (eport < n->port_lo || eport > n->port_hi) {
        n->stats.passed++;
        return LISP_NAT_PASS;
    }
    idx = nat_check_live(n, now, nat_find_ext(n, e.proto, e.src, eport));
    if (idx == NAT_NONE)
        return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, e.proto, 0, 0, e.dst, rport, 0);
    m = nat_map_at(n, idx);
    if (!nat_permitted(n, idx, e.dst, rport)) {
        n->stats.filtered++;
        return nat_drop(n, now, LISP_DROP_NAT_FILTERED, 0, e.proto, m->int_addr, m->int_port, e.dst,
                        rport, n->cfg.filtering);
    }
    fix_outer(p, rewrite_emb(&e, 12, m->int_addr, 0, m->int_port));
    nat_set_dst(p, m->int_addr);
    n->stats.icmp_errors_translated++;
    n->stats.inbound++;
    return LISP_NAT_FORWARD;
}

/* From an inside host (or router), about a packet that came in translated: the quoted
 * destination is the internal endpoint of a mapping. */
int nat_icmp_error_out(lisp_nat *n, lisp_time_t now, nat_pkt *p)
{
    nat_emb e;
    uint32_t idx;
    uint16_t eport, rport;
    const nat_map *m;
    int rc = error_prologue(n, now, p, &e);

    if (rc == LISP_NAT_DROP)
        return rc;
    if (rc == 1 || (e.proto == NAT_PROTO_ICMP && !emb_query(&e, false)))
        return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, e.proto, 0, 0, 0, 0, 0);
    eport = nat_rd16(e.l4 + (e.proto == NAT_PROTO_ICMP ? 4 : 2));
    rport = e.proto == NAT_PROTO_ICMP ? 0 : nat_rd16(e.l4);
    idx = nat_check_live(n, now, nat_find_int(n, e.proto, e.dst, eport, e.src, rport));
    if (idx == NAT_NONE)
        return nat_drop(n, now, LISP_DROP_NAT_NO_MAPPING, 0, e.proto, e.dst, eport, e.src, rport,
                        0);
    m = nat_map_at(n, idx);
    fix_outer(p, rewrite_emb(&e, 16, m->ext_addr, 2, m->ext_port));
    nat_set_src(p, m->ext_addr);
    n->stats.icmp_errors_translated++;
    n->stats.outbound++;
    return LISP_NAT_FORWARD;
}
