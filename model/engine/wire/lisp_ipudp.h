/*
 * lisp_ipudp.h - IPv4/IPv6 + UDP framing with checksums: the inner header of an
 * ECM, and the outer header wherever an engine or tool must build whole datagrams
 * (pcap writers, NAT rewriting, PITR/PETR).
 */
#ifndef LISP_IPUDP_H
#define LISP_IPUDP_H

#include "lisp_addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An IP/UDP header pair. */
typedef struct lisp_ipudp {
    uint16_t afi; /* LISP_AFI_IPV4 or LISP_AFI_IPV6 */
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t sport;
    uint16_t dport;
    uint8_t ttl; /* hop limit */
    uint8_t tos; /* traffic class */
} lisp_ipudp;

/*
 * IP/UDP framing (IPv4 with header checksum, IPv6; UDP checksum always computed).
 * lisp_ipudp_header_len gives 28 or 48. lisp_ipudp_encode writes the headers in
 * front of payload_len bytes that the caller has already placed at
 * buf + lisp_ipudp_header_len(afi), so no copy is needed.
 */
size_t lisp_ipudp_header_len(uint16_t afi);
int lisp_ipudp_encode(const lisp_ipudp *h, uint8_t *buf, size_t cap, size_t payload_len,
                      size_t *out_len);
/* Decode and verify (IP version, lengths, protocol, checksums; a zero UDP checksum
 * over IPv4 means "none"). *payload borrows from buf. */
int lisp_ipudp_decode(lisp_ipudp *h, const uint8_t *buf, size_t len, const uint8_t **payload,
                      size_t *payload_len);

/* Decoding options (lisp_ipudp_decode_opts, lisp_msg_decode_opts). */
#define LISP_DECODE_LAX_INNER_IP_CHECKSUM 0x1u /* accept a wrong IPv4 header checksum */

/* lisp_ipudp_decode with options. With LISP_DECODE_LAX_INNER_IP_CHECKSUM an IPv4 header
 * checksum that does not verify (LISPmob lig leaves it zero) is accepted and reported in
 * *ip_checksum_bad (may be NULL); every other check, the UDP checksum over the addresses
 * included, stays. Without options it is lisp_ipudp_decode. */
int lisp_ipudp_decode_opts(lisp_ipudp *h, const uint8_t *buf, size_t len, unsigned opts,
                           bool *ip_checksum_bad, const uint8_t **payload, size_t *payload_len);

/* What an xTR needs to know of an EID-side IP packet: addresses and, for unfragmented
 * TCP/UDP/SCTP, the ports (0 otherwise), for map-cache lookups and flow hashing. */
typedef struct lisp_ip_flow {
    uint16_t afi; /* LISP_AFI_IPV4 or LISP_AFI_IPV6 */
    uint8_t proto; /* IPv4 protocol / IPv6 next header */
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t sport;
    uint16_t dport;
} lisp_ip_flow;

/* Read the IP header of pkt[0..len). LISP_ERR_TRUNCATED / BAD_LENGTH / BAD_VALUE when it
 * is not a whole IPv4 or IPv6 packet. No checksum is verified: the packet is only routed. */
int lisp_ip_flow_parse(lisp_ip_flow *f, const uint8_t *pkt, size_t len);

/* A 32-bit hash of the flow's 5-tuple, the same for every packet of the flow. */
uint32_t lisp_ip_flow_hash(const lisp_ip_flow *f);

#ifdef __cplusplus
}
#endif

#endif /* LISP_IPUDP_H */
