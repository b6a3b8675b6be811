/*
 * lispd_sock.h - lispd's UDP sockets on the LISP ports (4341 data, 4342 control), for
 * IPv4 and IPv6, with the IP metadata the engines read and write (lisp_dgram): the local
 * address and interface a datagram arrived on (IP_PKTINFO / IPV6_RECVPKTINFO), its TTL /
 * hop limit and TOS / traffic class; and the source address, TTL and TOS the engine asks
 * for when sending (ancillary data per datagram, so one socket serves every source).
 *
 * Datagrams from a source port we do not listen on (an ITR's flow-hash data ports) leave
 * through a raw UDP socket per family: IPv4 with a zero UDP checksum (RFC 9300 section
 * 5.3 asks for that on encapsulated packets), IPv6 with the checksum the kernel computes
 * (IPV6_CHECKSUM). Those raw sockets would also receive a copy of every UDP datagram of
 * the host: a drop-all socket filter keeps their receive queues empty.
 *
 * Native forwarding (PETR) writes whole IP packets through IPPROTO_RAW sockets: the
 * kernel routes them as locally sent packets (no forwarding sysctl, no reverse-path
 * filter on an EID source; docs/native.md says why this and not the TUN).
 *
 * Receiving is batched (recvmmsg, LISPD_RX_BATCH datagrams per call) into buffers
 * allocated once when the sockets open: nothing is allocated per packet. Sending data is
 * batched too: a data datagram (any source port but 4342) is copied into a send queue of
 * LISPD_TX_BATCH slots, which goes out with one sendmmsg per socket when it is full and
 * once per turn of the event loop (lispd_socks_flush). The engine's buffers are only
 * valid during its call, hence the copy. A queued datagram the kernel refuses can no
 * longer be reported to the engine: lispd counts it (send_failed). Control messages
 * leave at once, so the engine counts their failures as before.
 */
#ifndef LISPD_SOCK_H
#define LISPD_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "lisp_engine.h"

#define LISPD_RX_BATCH 64
/* Batches per wake-up: under a flood the loop still gets to signals, timers and the other
 * sockets (epoll reports the socket again while it has data). */
#define LISPD_RX_MAX_BATCHES 16
#define LISPD_TX_BATCH 64
/* Bytes of one queued datagram: a LISP data packet of a 1500-byte inner packet, and
 * more; a longer one is sent at once. */
#define LISPD_TX_SLOT 2048
#define LISPD_RX_BUF 65536 /* a whole UDP datagram: nothing arrives truncated */
#define LISPD_MAX_UDP 4    /* 2 ports x 2 families */
#define LISPD_RCVBUF (4 << 20) /* bytes of receive buffer of each UDP socket */

typedef struct lispd_udp {
    int fd;
    int family; /* AF_INET or AF_INET6 */
    uint16_t port;
} lispd_udp;

typedef struct lispd_rx lispd_rx; /* the receive batch (lispd_sock.c) */
typedef struct lispd_tx lispd_tx; /* the send queue (lispd_sock.c) */
typedef void lispd_packet_out_cb(void *user, const uint8_t *packet, size_t len);

typedef struct lispd_socks {
    unsigned ports; /* LISP_ENGINE_PORT_* that are open */
    size_t n_udp;
    lispd_udp udp[LISPD_MAX_UDP];
    int raw4, raw6;       /* UDP from other source ports; -1 when not open */
    int native4, native6; /* IPPROTO_RAW for forward_native; -1 when not open */
    lispd_rx *rx;
    lispd_tx *tx;
    lispd_packet_out_cb *too_big; /* see lispd_socks_deliver4; NULL: counted as failed */
    void *too_big_user;
    uint64_t truncated;   /* datagrams longer than LISPD_RX_BUF (dropped) */
    uint64_t send_failed; /* queued datagrams the kernel refused */
} lispd_socks;

/* Mark every descriptor closed (before the first open). */
void lispd_socks_init(lispd_socks *s);
/* Open the engine's ports (LISP_ENGINE_PORT_*) for IPv4 and, where the host has it,
 * IPv6; with raw = true also the raw sockets for other source ports and native
 * forwarding. 0, or -1 with the reason in err ("UDP port 4342 (IPv4) is already in use
 * ..."); everything opened so far is closed again then. */
int lispd_socks_open(lispd_socks *s, unsigned ports, bool raw, char *err, size_t errlen);
/* Send what is queued, then close everything. */
void lispd_socks_close(lispd_socks *s);

/* Send one datagram as the engine asked (lisp_outputs.send): data queued, control at
 * once (above). LISP_OK or a LISP_ERR_*. */
int lispd_socks_send(lispd_socks *s, const lisp_dgram *d, const uint8_t *payload, size_t len);
/* Send the queue: one sendmmsg per run of datagrams for the same socket. */
void lispd_socks_flush(lispd_socks *s);
/* Queue a decapsulated IPv4 packet for the site through the IPPROTO_RAW socket, with
 * its TTL decremented as the TUN's forwarding would have (docs/native.md, "Data paths").
 * LISP_ERR_INVALID_ARG when that cannot be: not IPv4, TTL 1 or 0 (the TUN's forwarding
 * answers with ICMP time exceeded), no raw socket, longer than a slot; the caller then
 * writes it into the TUN. A packet the kernel finds too long for the link's MTU goes to
 * too_big at the flush. */
int lispd_socks_deliver4(lispd_socks *s, const uint8_t *packet, size_t len);
/* Send an IP packet (version from its first byte) without encapsulation. */
int lispd_socks_forward(lispd_socks *s, const uint8_t *packet, size_t len);

typedef void lispd_dgram_cb(void *user, const lisp_dgram *d, const uint8_t *payload, size_t len);
/* Socket udp[i] is readable: receive until it would block (or LISPD_RX_MAX_BATCHES
 * batches), one callback per datagram. */
void lispd_socks_ready(lispd_socks *s, size_t i, lispd_dgram_cb *cb, void *user);

#endif /* LISPD_SOCK_H */
