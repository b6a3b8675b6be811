/* lisp_ipudp.c - IPv4 (RFC 791) / IPv6 (RFC 8200) + UDP (RFC 768) framing with checksums. */
#include "lisp_ipudp.h"

#include <string.h>

#include "lisp_buf_internal.h"

#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define UDP_HDR_LEN 8
#define PROTO_UDP 17
#define IPV4_MF 0x2000u
#define IPV4_OFFSET_MASK 0x1FFFu

/* One's-complement sum of 16-bit big-endian words (RFC 1071), unfolded. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t acc)
{
    size_t i;
    for (i = 0; i + 1 < len; i += 2)
        acc += (uint32_t)((p[i] << 8) | p[i + 1]);
    if (len & 1)
        acc += (uint32_t)(p[len - 1] << 8);
    return acc;
}

static uint16_t fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xFFFF) + (acc >> 16);
    return (uint16_t)~acc;
}

/* UDP checksum over the pseudo-header and the UDP header+payload at udp[0..udp_len). */
static uint16_t udp_checksum(uint16_t afi, const uint8_t *src, const uint8_t *dst,
                             const uint8_t *udp, size_t udp_len)
{
    size_t alen = afi == LISP_AFI_IPV4 ? 4 : 16;
    uint32_t acc = 0;

    acc = sum16(src, alen, acc);
    acc = sum16(dst, alen, acc);
    acc += PROTO_UDP;
    acc += (uint32_t)(udp_len & 0xFFFF) + (uint32_t)(udp_len >> 16);
    acc = sum16(udp, udp_len, acc);
    return fold(acc);
}

size_t lisp_ipudp_header_len(uint16_t afi)
{
    if (afi == LISP_AFI_IPV4)
        return IPV4_HDR_LEN + UDP_HDR_LEN;
    if (afi == LISP_AFI_IPV6)
        return IPV6_HDR_LEN + UDP_HDR_LEN;
    return 0;
}

int lisp_ipudp_encode(const lisp_ipudp *h, uint8_t *buf, size_t cap, size_t payload_len,
                      size_t *out_len)
{
    size_t hdr_len = lisp_ipudp_header_len(h->afi);
    size_t ip_len = hdr_len - UDP_HDR_LEN;
    size_t udp_len = UDP_HDR_LEN + payload_len;
    uint8_t *udp;
    uint16_t ck;

    if (hdr_len == 0 || udp_len > 0xFFFF || (h->afi == LISP_AFI_IPV4 && ip_len + udp_len > 0xFFFF))
        return LISP_ERR_INVALID_ARG;
    if (cap < ip_len + udp_len)
        return LISP_ERR_NOBUF;
    udp = buf + ip_len; /* only now known to lie inside buf */
    if (h->afi == LISP_AFI_IPV4) {
        buf[0] = 0x45;
        buf[1] = h->tos;
        lisp_put_u16(buf + 2, (uint16_t)(ip_len + udp_len));
        lisp_put_u16(buf + 4, 0); /* identification: unfragmented datagrams need none */
        lisp_put_u16(buf + 6, 0);
        buf[8] = h->ttl;
        buf[9] = PROTO_UDP;
        lisp_put_u16(buf + 10, 0);
        memcpy(buf + 12, h->src, 4);
        memcpy(buf + 16, h->dst, 4);
        lisp_put_u16(buf + 10, fold(sum16(buf, IPV4_HDR_LEN, 0)));
    } else {
        buf[0] = (uint8_t)(0x60 | (h->tos >> 4));
        buf[1] = (uint8_t)(h->tos << 4);
        buf[2] = 0;
        buf[3] = 0;
        lisp_put_u16(buf + 4, (uint16_t)udp_len);
        buf[6] = PROTO_UDP;
        buf[7] = h->ttl;
        memcpy(buf + 8, h->src, 16);
        memcpy(buf + 24, h->dst, 16);
    }
    lisp_put_u16(udp, h->sport);
    lisp_put_u16(udp + 2, h->dport);
    lisp_put_u16(udp + 4, (uint16_t)udp_len);
    lisp_put_u16(udp + 6, 0);
    ck = udp_checksum(h->afi, h->src, h->dst, udp, udp_len);
    lisp_put_u16(udp + 6, ck ? ck : 0xFFFF); /* 0 means "no checksum" on the wire */
    *out_len = ip_len + udp_len;
    return LISP_OK;
}

static int ipv4_rd(lisp_ipudp *h, const uint8_t *buf, size_t len, size_t *ip_len,
                   size_t *total, unsigned opts, bool *checksum_bad)
{
    size_t ihl;
    uint16_t frag;

    if (len < IPV4_HDR_LEN)
        return LISP_ERR_TRUNCATED;
    ihl = (size_t)(buf[0] & 0x0F) * 4;
    if (ihl < IPV4_HDR_LEN)
        return LISP_ERR_BAD_LENGTH;
    if (len < ihl)
        return LISP_ERR_TRUNCATED;
    *total = lisp_get_u16(buf + 2);
    if (*total < ihl + UDP_HDR_LEN)
        return LISP_ERR_BAD_LENGTH;
    if (fold(sum16(buf, ihl, 0)) != 0) {
        if (!(opts & LISP_DECODE_LAX_INNER_IP_CHECKSUM))
            return LISP_ERR_CHECKSUM;
        *checksum_bad = true;
    }
    frag = lisp_get_u16(buf + 6);
    if ((frag & IPV4_MF) || (frag & IPV4_OFFSET_MASK) || buf[9] != PROTO_UDP)
        return LISP_ERR_BAD_VALUE;
    h->afi = LISP_AFI_IPV4;
    h->tos = buf[1];
    h->ttl = buf[8];
    memcpy(h->src, buf + 12, 4);
    memcpy(h->dst, buf + 16, 4);
    *ip_len = ihl;
    return LISP_OK;
}

static int ipv6_rd(lisp_ipudp *h, const uint8_t *buf, size_t len, size_t *ip_len,
                   size_t *total)
{
    if (len < IPV6_HDR_LEN)
        return LISP_ERR_TRUNCATED;
    if (buf[6] != PROTO_UDP) /* extension headers are not expected in control traffic */
        return LISP_ERR_BAD_VALUE;
    *total = IPV6_HDR_LEN + (size_t)lisp_get_u16(buf + 4);
    h->afi = LISP_AFI_IPV6;
    h->tos = (uint8_t)(((buf[0] & 0x0F) << 4) | (buf[1] >> 4));
    h->ttl = buf[7];
    memcpy(h->src, buf + 8, 16);
    memcpy(h->dst, buf + 24, 16);
    *ip_len = IPV6_HDR_LEN;
    return LISP_OK;
}

int lisp_ipudp_decode(lisp_ipudp *h, const uint8_t *buf, size_t len, const uint8_t **payload,
                      size_t *payload_len)
{
    return lisp_ipudp_decode_opts(h, buf, len, 0, NULL, payload, payload_len);
}

int lisp_ipudp_decode_opts(lisp_ipudp *h, const uint8_t *buf, size_t len, unsigned opts,
                           bool *ip_checksum_bad, const uint8_t **payload, size_t *payload_len)
{
    size_t ip_len, total, udp_len;
    const uint8_t *udp;
    bool checksum_bad = false;
    uint16_t ck;

    memset(h, 0, sizeof *h);
    if (ip_checksum_bad)
        *ip_checksum_bad = false;
    if (len < 1)
        return LISP_ERR_TRUNCATED;
    switch (buf[0] >> 4) {
    case 4:
        LISP_TRY(ipv4_rd(h, buf, len, &ip_len, &total, opts, &checksum_bad));
        break;
    case 6:
        LISP_TRY(ipv6_rd(h, buf, len, &ip_len, &total));
        break;
    default:
        return LISP_ERR_BAD_VALUE;
    }
    if (len < total)
        return LISP_ERR_TRUNCATED;
    if (len > total)
        return LISP_ERR_BAD_LENGTH;
    if (total < ip_len + UDP_HDR_LEN)
        return LISP_ERR_BAD_LENGTH; /* IPv6 payload length below a UDP header */
    udp = buf + ip_len;
    udp_len = lisp_get_u16(udp + 4);
    if (udp_len != total - ip_len)
        return LISP_ERR_BAD_LENGTH;
    ck = lisp_get_u16(udp + 6);
    if (ck == 0 && h->afi == LISP_AFI_IPV6)
        return LISP_ERR_CHECKSUM; /* mandatory over IPv6 */
    if (ck != 0 && udp_checksum(h->afi, h->src, h->dst, udp, udp_len) != 0)
        return LISP_ERR_CHECKSUM;
    h->sport = lisp_get_u16(udp);
    h->dport = lisp_get_u16(udp + 2);
    if (ip_checksum_bad)
        *ip_checksum_bad = checksum_bad;
    *payload = udp + UDP_HDR_LEN;
    *payload_len = udp_len - UDP_HDR_LEN;
    return LISP_OK;
}

static bool has_ports(uint8_t proto)
{
    return proto == 6 || proto == PROTO_UDP || proto == 132; /* TCP, UDP, SCTP */
}

int lisp_ip_flow_parse(lisp_ip_flow *f, const uint8_t *pkt, size_t len)
{
    size_t hdr, total;
    bool first_fragment = true;

    memset(f, 0, sizeof *f);
    if (len < 1)
        return LISP_ERR_TRUNCATED;
    if (pkt[0] >> 4 == 4) {
        if (len < IPV4_HDR_LEN)
            return LISP_ERR_TRUNCATED;
        hdr = (size_t)(pkt[0] & 0x0F) * 4;
        total = lisp_get_u16(pkt + 2);
        if (hdr < IPV4_HDR_LEN || total < hdr)
            return LISP_ERR_BAD_LENGTH;
        if (total > len)
            return LISP_ERR_TRUNCATED;
        f->afi = LISP_AFI_IPV4;
        f->proto = pkt[9];
        memcpy(f->src, pkt + 12, 4);
        memcpy(f->dst, pkt + 16, 4);
        first_fragment = (lisp_get_u16(pkt + 6) & IPV4_OFFSET_MASK) == 0;
    } else if (pkt[0] >> 4 == 6) {
        if (len < IPV6_HDR_LEN)
            return LISP_ERR_TRUNCATED;
        hdr = IPV6_HDR_LEN;
        total = IPV6_HDR_LEN + (size_t)lisp_get_u16(pkt + 4);
        if (total > len)
            return LISP_ERR_TRUNCATED;
        f->afi = LISP_AFI_IPV6;
        f->proto = pkt[6]; /* ports only without extension headers */
        memcpy(f->src, pkt + 8, 16);
        memcpy(f->dst, pkt + 24, 16);
    } else {
        return LISP_ERR_BAD_VALUE;
    }
    if (first_fragment && has_ports(f->proto) && total >= hdr + 4) {
        f->sport = lisp_get_u16(pkt + hdr);
        f->dport = lisp_get_u16(pkt + hdr + 2);
    }
    return LISP_OK;
}

/* FNV-1a over the 5-tuple: cheap, deterministic, and spreads flows over locators. */
uint32_t lisp_ip_flow_hash(const lisp_ip_flow *f)
{
    size_t alen = f->afi == LISP_AFI_IPV4 ? 4 : 16, i;
    uint32_t h = 2166136261u;
    uint8_t tail[5] = {f->proto, (uint8_t)(f->sport >> 8), (uint8_t)f->sport,
                       (uint8_t)(f->dport >> 8), (uint8_t)f->dport};

    for (i = 0; i < alen; i++)
        h = (h ^ f->src[i]) * 16777619u;
    for (i = 0; i < alen; i++)
        h = (h ^ f->dst[i]) * 16777619u;
    for (i = 0; i < sizeof tail; i++)
        h = (h ^ tail[i]) * 16777619u;
    return h;
}
