/*
 * lisp_query_os.h - the operating-system side of lisp-query: one UDP socket, the monotonic
 * clock, the kernel's random numbers, and the optional pcap of what the tool sent and
 * received. No protocol here: the subcommands build and read LISP messages with the
 * project's wire codec and hand bytes to these functions.
 */
#ifndef LISP_QUERY_OS_H
#define LISP_QUERY_OS_H

#include "lisp.h"

/* A UDP socket bound to an ephemeral port. local is the address and port replies come back
 * to: the address the kernel routes towards the server from (or the -s source address). */
typedef struct lq_sock {
    int fd;
    lisp_endpoint local;
} lq_sock;

/* Nanoseconds on CLOCK_MONOTONIC (the RTT clock). */
lisp_time_t lq_now(void);

/* 64 random bits from getrandom(). */
uint64_t lq_random64(void);

/* An IPv4/IPv6 address from numeric text or a host name (getaddrinfo); port is set.
 * LISP_ERR_INVALID_ARG when it does not resolve. */
int lq_resolve(const char *text, uint16_t port, lisp_endpoint *out);

/* Open a socket of server's family bound to an ephemeral port of source, when its afi is
 * set, or of the address the kernel routes towards server from. The socket stays
 * unconnected, so that a reply from another address (an ETR answering a forwarded
 * request) is received too. rcvbuf > 0 asks for that receive buffer (floods). Returns 0
 * or -errno, with a message on stderr. */
int lq_sock_open(lq_sock *s, const lisp_endpoint *server, const lisp_endpoint *source, int rcvbuf);
/* A socket bound to local (port 0: an ephemeral port; s->local says which). 0 or -errno,
 * with a message on stderr. */
int lq_sock_bind(lq_sock *s, const lisp_endpoint *local, int rcvbuf);
void lq_sock_close(lq_sock *s);

/* Send one datagram. 0, or -errno. */
int lq_sock_send(lq_sock *s, const lisp_endpoint *to, const uint8_t *buf, size_t len);

/* Wait until a datagram arrives or the monotonic deadline passes (LISP_TIME_NEVER: forever;
 * 0: do not wait). 1 with *len bytes from *from, 0 on timeout, or -errno. */
int lq_sock_recv(lq_sock *s, lisp_time_t deadline, lisp_endpoint *from, uint8_t *buf, size_t cap,
                 size_t *len);

/* A pcap (link type raw IP) of the tool's datagrams with IP/UDP headers rebuilt from the
 * socket addresses, so that Wireshark dissects them as they were on the wire. */
typedef struct lq_pcap lq_pcap;
lq_pcap *lq_pcap_open(const char *path); /* NULL with a message on stderr */
void lq_pcap_write(lq_pcap *p, const lisp_endpoint *src, const lisp_endpoint *dst,
                   const uint8_t *payload, size_t len);
void lq_pcap_close(lq_pcap *p); /* NULL is ignored */

#endif /* LISP_QUERY_OS_H */
