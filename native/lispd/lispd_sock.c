/* lispd_sock.c - UDP and raw sockets of lispd (lispd_sock.h). */
#define _GNU_SOURCE /* recvmmsg, in6_pktinfo */
#include "lispd_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lisp_addr.h"
#include "lispd_log.h"

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL 36 /* linux/in6.h; implied by IPPROTO_RAW since Linux 4.5 anyway */
#endif

#define CMSG_BUF 256

struct lispd_rx {
    struct mmsghdr msgs[LISPD_RX_BATCH];
    struct iovec iov[LISPD_RX_BATCH];
    struct sockaddr_storage names[LISPD_RX_BATCH];
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_BUF];
    } cmsg[LISPD_RX_BATCH];
    uint8_t data[LISPD_RX_BATCH][LISPD_RX_BUF];
};

/* One datagram ready for sendmsg/sendmmsg: the descriptor, and m pointing at the
 * slot's address, headers and ancillary data (payload in iov[1]). */
typedef struct tx_slot {
    struct msghdr m;
    struct iovec iov[2];
    struct sockaddr_storage to;
    uint8_t udp_header[8];
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_BUF];
    } control;
} tx_slot;

struct lispd_tx {
    size_t n;
    int fd[LISPD_TX_BATCH];
    struct mmsghdr msgs[LISPD_TX_BATCH];
    tx_slot slot[LISPD_TX_BATCH];
    uint8_t data[LISPD_TX_BATCH][LISPD_TX_SLOT];
};

void lispd_socks_init(lispd_socks *s)
{
    memset(s, 0, sizeof *s);
    s->raw4 = s->raw6 = s->native4 = s->native6 = -1;
}

static int set_int(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof value);
}

/* A UDP socket on port for family, with the receive metadata options. -1: errno. */
static int open_udp(int family, uint16_t port)
{
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_storage ss;
    socklen_t sl;

    if (fd < 0)
        return -1;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        sl = sizeof *sin;
        if (set_int(fd, IPPROTO_IP, IP_PKTINFO, 1) || set_int(fd, IPPROTO_IP, IP_RECVTTL, 1) ||
            set_int(fd, IPPROTO_IP, IP_RECVTOS, 1))
            goto fail;
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        sl = sizeof *sin6;
        if (set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) ||
            set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) ||
            set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) ||
            set_int(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, 1))
            goto fail;
    }
    /* Room for the bursts that come while the loop is busy elsewhere (root may exceed
     * net.core.rmem_max; otherwise the kernel caps the size silently). */
    if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, LISPD_RCVBUF) != 0)
        set_int(fd, SOL_SOCKET, SO_RCVBUF, LISPD_RCVBUF);
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0)
        goto fail;
    return fd;
fail : {
    const int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}
}

/* A raw UDP socket for sending only: its receive side drops everything. */
static int open_raw_udp(int family)
{
    static struct sock_filter drop_all[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
    struct sock_fprog prog = {1, drop_all};
    int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);

    if (fd < 0)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0 ||
        (family == AF_INET6 && set_int(fd, IPPROTO_IPV6, IPV6_CHECKSUM, 6) != 0)) {
        close(fd);
        return -1;
    }
    return fd;
}

static int open_native(int family)
{
    int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW);
    if (fd < 0)
        return -1;
    if (family == AF_INET)
        set_int(fd, IPPROTO_IP, IP_HDRINCL, 1);
    else
        set_int(fd, IPPROTO_IPV6, IPV6_HDRINCL, 1);
    return fd;
}

int lispd_socks_open(lispd_socks *s, unsigned ports, bool raw, char *err, size_t errlen)
{
    static const struct {
        unsigned flag;
        uint16_t port;
    } wanted[] = {{LISP_ENGINE_PORT_CONTROL, LISP_CONTROL_PORT},
                  {LISP_ENGINE_PORT_DATA, LISP_DATA_PORT}};
    static const int families[] = {AF_INET, AF_INET6};
    size_t i, f;

    lispd_socks_init(s);
    s->rx = calloc(1, sizeof *s->rx);
    s->tx = calloc(1, sizeof *s->tx);
    if (!s->rx || !s->tx) {
        lispd_socks_close(s);
        snprintf(err, errlen, "out of memory for the receive buffers");
        return -1;
    }
    for (i = 0; i < LISPD_RX_BATCH; i++) {
        s->rx->iov[i].iov_base = s->rx->data[i];
        s->rx->iov[i].iov_len = LISPD_RX_BUF;
    }
    for (i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        if (!(ports & wanted[i].flag))
            continue;
        for (f = 0; f < 2; f++) {
            const char *name = families[f] == AF_INET ? "IPv4" : "IPv6";
            int fd = open_udp(families[f], wanted[i].port);
            if (fd < 0 && families[f] == AF_INET6 && errno == EAFNOSUPPORT) {
                lispd_warn("no IPv6 on this host: UDP port %u for IPv4 only", wanted[i].port);
                continue;
            }
            if (fd < 0) {
                if (errno == EADDRINUSE)
                    snprintf(err, errlen,
                             "UDP port %u (%s) is already in use: is another lispd (or LISP "
                             "router) running on this host?",
                             wanted[i].port, name);
                else
                    snprintf(err, errlen, "cannot open UDP port %u (%s): %s", wanted[i].port, name,
                             strerror(errno));
                lispd_socks_close(s);
                return -1;
            }
            s->udp[s->n_udp].fd = fd;
            s->udp[s->n_udp].family = families[f];
            s->udp[s->n_udp].port = wanted[i].port;
            s->n_udp++;
        }
    }
    s->ports = ports;
    if (raw) {
        s->raw4 = open_raw_udp(AF_INET);
        s->raw6 = open_raw_udp(AF_INET6);
        s->native4 = open_native(AF_INET);
        s->native6 = open_native(AF_INET6);
        if (s->raw4 < 0 || s->native4 < 0)
            lispd_warn("no raw sockets (%s): data from ports other than %u and native "
                       "forwarding will fail",
                       strerror(errno), LISP_DATA_PORT);
    }
    return 0;
}

void lispd_socks_close(lispd_socks *s)
{
    size_t i;
    lispd_socks_flush(s);
    for (i = 0; i < s->n_udp; i++)
        close(s->udp[i].fd);
    if (s->raw4 >= 0)
        close(s->raw4);
    if (s->raw6 >= 0)
        close(s->raw6);
    if (s->native4 >= 0)
        close(s->native4);
    if (s->native6 >= 0)
        close(s->native6);
    free(s->rx);
    free(s->tx);
    lispd_socks_init(s);
}

/* ---- sending ---- */

static socklen_t sockaddr_of(const lisp_endpoint *e, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (e->afi == LISP_AFI_IPV4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        memcpy(&sin->sin_addr, e->addr, 4);
        return sizeof *sin;
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    memcpy(&sin6->sin6_addr, e->addr, 16);
    return sizeof *sin6;
}

static bool any_addr(const lisp_endpoint *e)
{
    static const uint8_t zero[16];
    return memcmp(e->addr, zero, e->afi == LISP_AFI_IPV4 ? 4 : 16) == 0;
}

/* Append one control message at the end of m's ancillary data (msg_controllen is what
 * is used so far; the buffer has CMSG_BUF bytes). */
static void add_cmsg(struct msghdr *m, int level, int type, const void *data, size_t len)
{
    struct cmsghdr *c = (struct cmsghdr *)((uint8_t *)m->msg_control + m->msg_controllen);
    c->cmsg_level = level;
    c->cmsg_type = type;
    c->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(c), data, len);
    m->msg_controllen += CMSG_SPACE(len);
}

/* Source address, TTL and TOS of d as ancillary data of m. */
static void add_send_cmsgs(struct msghdr *m, const lisp_dgram *d)
{
    const bool v4 = d->dst.afi == LISP_AFI_IPV4;
    const int ttl = d->ttl, tos = d->tos;

    m->msg_controllen = 0;
    if (d->src.afi == d->dst.afi && !any_addr(&d->src)) {
        if (v4) {
            struct in_pktinfo pi;
            memset(&pi, 0, sizeof pi);
            memcpy(&pi.ipi_spec_dst, d->src.addr, 4);
            add_cmsg(m, IPPROTO_IP, IP_PKTINFO, &pi, sizeof pi);
        } else {
            struct in6_pktinfo pi;
            memset(&pi, 0, sizeof pi);
            memcpy(&pi.ipi6_addr, d->src.addr, 16);
            add_cmsg(m, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof pi);
        }
    }
    if (ttl)
        add_cmsg(m, v4 ? IPPROTO_IP : IPPROTO_IPV6, v4 ? IP_TTL : IPV6_HOPLIMIT, &ttl, sizeof ttl);
    if (tos)
        add_cmsg(m, v4 ? IPPROTO_IP : IPPROTO_IPV6, v4 ? IP_TOS : IPV6_TCLASS, &tos, sizeof tos);
    if (m->msg_controllen == 0)
        m->msg_control = NULL;
}

static const lispd_udp *udp_for(const lispd_socks *s, int family, uint16_t port)
{
    size_t i;
    for (i = 0; i < s->n_udp; i++)
        if (s->udp[i].family == family && s->udp[i].port == port)
            return &s->udp[i];
    return NULL;
}

/* Fill t for d; payload goes in later (iov[1]). The descriptor, or -1 when there is no
 * socket for it. */
static int prepare(const lispd_socks *s, const lisp_dgram *d, size_t len, tx_slot *t)
{
    const bool v4 = d->dst.afi == LISP_AFI_IPV4;
    const lispd_udp *u;
    int fd;

    if (d->dst.afi != LISP_AFI_IPV4 && d->dst.afi != LISP_AFI_IPV6)
        return -1;
    memset(&t->m, 0, sizeof t->m);
    t->m.msg_control = t->control.buf;
    t->m.msg_name = &t->to;
    t->m.msg_iov = t->iov;
    t->m.msg_iovlen = 2;
    u = udp_for(s, v4 ? AF_INET : AF_INET6, d->src.port);
    if (u) {
        fd = u->fd;
        t->m.msg_namelen = sockaddr_of(&d->dst, d->dst.port, &t->to);
        t->iov[0].iov_base = t->udp_header;
        t->iov[0].iov_len = 0;
    } else {
        /* another source port: our own UDP header on a raw socket (see lispd_sock.h) */
        const size_t udp_len = len + sizeof t->udp_header;
        fd = v4 ? s->raw4 : s->raw6;
        if (fd < 0 || udp_len > 0xFFFF)
            return -1;
        t->udp_header[0] = (uint8_t)(d->src.port >> 8);
        t->udp_header[1] = (uint8_t)d->src.port;
        t->udp_header[2] = (uint8_t)(d->dst.port >> 8);
        t->udp_header[3] = (uint8_t)d->dst.port;
        t->udp_header[4] = (uint8_t)(udp_len >> 8);
        t->udp_header[5] = (uint8_t)udp_len;
        t->udp_header[6] = t->udp_header[7] = 0; /* IPv4: none; IPv6: the kernel's */
        t->m.msg_namelen = sockaddr_of(&d->dst, 0, &t->to);
        t->iov[0].iov_base = t->udp_header;
        t->iov[0].iov_len = sizeof t->udp_header;
    }
    add_send_cmsgs(&t->m, d);
    return fd;
}

static void log_send_failure(const struct msghdr *m, int err)
{
    if (lispd_log_enabled(LISP_LOG_DEBUG)) {
        char to_text[INET6_ADDRSTRLEN] = "?";
        const struct sockaddr_storage *to = m->msg_name;
        if (to->ss_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)to)->sin_addr, to_text,
                      sizeof to_text);
        else
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)to)->sin6_addr, to_text,
                      sizeof to_text);
        lispd_debug("send to %s failed: %s", to_text, strerror(err));
    }
}

void lispd_socks_flush(lispd_socks *s)
{
    lispd_tx *tx = s->tx;
    size_t i = 0;

    if (!tx)
        return;
    while (i < tx->n) {
        /* one sendmmsg per run of datagrams for the same socket */
        size_t run = 1;
        int sent;
        while (i + run < tx->n && tx->fd[i + run] == tx->fd[i])
            run++;
        sent = sendmmsg(tx->fd[i], &tx->msgs[i], (unsigned)run, 0);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < (int)run) {
            /* the first one not sent failed (errno); skip it, send the rest */
            const size_t bad = i + (size_t)(sent > 0 ? sent : 0);
            const struct msghdr *m = &tx->msgs[bad].msg_hdr;
            if (tx->fd[bad] == s->native4 && errno == EMSGSIZE && s->too_big) {
                /* a delivery longer than the site link's MTU: through the TUN after
                 * all, where the kernel fragments it or answers with ICMP */
                uint8_t *packet = m->msg_iov[1].iov_base;
                packet[8]++; /* the TUN's forwarding hop takes the TTL again */
                s->too_big(s->too_big_user, packet, m->msg_iov[1].iov_len);
            } else {
                s->send_failed++;
                log_send_failure(m, errno);
            }
            i = bad + 1;
            continue;
        }
        i += run;
    }
    tx->n = 0;
}

int lispd_socks_send(lispd_socks *s, const lisp_dgram *d, const uint8_t *payload, size_t len)
{
    lispd_tx *tx = s->tx;
    tx_slot one;
    int fd;

    /* Data: queued (the payload copied), sent by the next flush. Control messages, and
     * data too long for a slot, leave at once, so that the engine hears of a failure. */
    if (tx && d->src.port != LISP_CONTROL_PORT && len <= LISPD_TX_SLOT) {
        tx_slot *t;
        if (tx->n == LISPD_TX_BATCH)
            lispd_socks_flush(s);
        t = &tx->slot[tx->n];
        fd = prepare(s, d, len, t);
        if (fd < 0)
            return LISP_ERR_INVALID_ARG;
        memcpy(tx->data[tx->n], payload, len);
        t->iov[1].iov_base = tx->data[tx->n];
        t->iov[1].iov_len = len;
        tx->msgs[tx->n].msg_hdr = t->m;
        tx->fd[tx->n] = fd;
        tx->n++;
        return LISP_OK;
    }
    fd = prepare(s, d, len, &one);
    if (fd < 0)
        return LISP_ERR_INVALID_ARG;
    one.iov[1].iov_base = (void *)payload;
    one.iov[1].iov_len = len;
    if (sendmsg(fd, &one.m, 0) < 0) {
        log_send_failure(&one.m, errno); /* the engine counts it */
        return LISP_ERR_INVALID_ARG;
    }
    return LISP_OK;
}

int lispd_socks_deliver4(lispd_socks *s, const uint8_t *packet, size_t len)
{
    lispd_tx *tx = s->tx;
    struct sockaddr_in *to;
    tx_slot *t;

    if (!tx || s->native4 < 0 || len < 20 || len > LISPD_TX_SLOT || packet[0] >> 4 != 4 ||
        packet[8] <= 1)
        return LISP_ERR_INVALID_ARG;
    if (tx->n == LISPD_TX_BATCH)
        lispd_socks_flush(s);
    t = &tx->slot[tx->n];
    memset(&t->m, 0, sizeof t->m);
    memset(&t->to, 0, sizeof t->to);
    to = (struct sockaddr_in *)&t->to;
    to->sin_family = AF_INET;
    memcpy(&to->sin_addr, packet + 16, 4);
    t->m.msg_name = to;
    t->m.msg_namelen = sizeof *to;
    t->m.msg_iov = t->iov;
    t->m.msg_iovlen = 2;
    t->iov[0].iov_base = t->udp_header;
    t->iov[0].iov_len = 0;
    memcpy(tx->data[tx->n], packet, len);
    /* The forwarding hop the TUN would have made: TTL - 1 (the kernel recomputes the
     * header checksum of every IP_HDRINCL packet). */
    tx->data[tx->n][8]--;
    t->iov[1].iov_base = tx->data[tx->n];
    t->iov[1].iov_len = len;
    tx->msgs[tx->n].msg_hdr = t->m;
    tx->fd[tx->n] = s->native4;
    tx->n++;
    return LISP_OK;
}

int lispd_socks_forward(lispd_socks *s, const uint8_t *packet, size_t len)
{
    struct sockaddr_storage to;
    lisp_endpoint dst;
    int fd;

    memset(&dst, 0, sizeof dst);
    if (len >= 20 && packet[0] >> 4 == 4) {
        dst.afi = LISP_AFI_IPV4;
        memcpy(dst.addr, packet + 16, 4);
        fd = s->native4;
    } else if (len >= 40 && packet[0] >> 4 == 6) {
        dst.afi = LISP_AFI_IPV6;
        memcpy(dst.addr, packet + 24, 16);
        fd = s->native6;
    } else {
        return LISP_ERR_INVALID_ARG;
    }
    if (fd < 0)
        return LISP_ERR_INVALID_ARG;
    const socklen_t tolen = sockaddr_of(&dst, 0, &to);
    if (sendto(fd, packet, len, 0, (struct sockaddr *)&to, tolen) < 0) {
        lispd_debug("native forward failed: %s", strerror(errno));
        return LISP_ERR_INVALID_ARG;
    }
    return LISP_OK;
}

/* ---- receiving ---- */

/* The metadata of one received datagram. */
static void read_meta(const lispd_udp *u, struct msghdr *m, lisp_dgram *d)
{
    struct cmsghdr *c;

    memset(d, 0, sizeof *d);
    d->dst.port = u->port;
    if (u->family == AF_INET) {
        const struct sockaddr_in *sin = m->msg_name;
        d->src.afi = d->dst.afi = LISP_AFI_IPV4;
        d->src.port = ntohs(sin->sin_port);
        memcpy(d->src.addr, &sin->sin_addr, 4);
    } else {
        const struct sockaddr_in6 *sin6 = m->msg_name;
        d->src.afi = d->dst.afi = LISP_AFI_IPV6;
        d->src.port = ntohs(sin6->sin6_port);
        memcpy(d->src.addr, &sin6->sin6_addr, 16);
    }
    for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
        int v;
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            memcpy(d->dst.addr, &pi.ipi_addr, 4); /* the header's destination */
            d->ifindex = (uint32_t)pi.ipi_ifindex;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
            memcpy(&v, CMSG_DATA(c), sizeof v);
            d->ttl = (uint8_t)v;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
            d->tos = *(const uint8_t *)CMSG_DATA(c);
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            memcpy(d->dst.addr, &pi.ipi6_addr, 16);
            d->ifindex = pi.ipi6_ifindex;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            memcpy(&v, CMSG_DATA(c), sizeof v);
            d->ttl = (uint8_t)v;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
            memcpy(&v, CMSG_DATA(c), sizeof v);
            d->tos = (uint8_t)v;
        }
    }
}

void lispd_socks_ready(lispd_socks *s, size_t i, lispd_dgram_cb *cb, void *user)
{
    const lispd_udp *u = &s->udp[i];
    lispd_rx *rx = s->rx;
    unsigned batches = 0;
    int n, k;

    do {
        for (k = 0; k < LISPD_RX_BATCH; k++) {
            struct msghdr *m = &rx->msgs[k].msg_hdr;
            memset(m, 0, sizeof *m);
            m->msg_name = &rx->names[k];
            m->msg_namelen = sizeof rx->names[k];
            m->msg_iov = &rx->iov[k];
            m->msg_iovlen = 1;
            m->msg_control = rx->cmsg[k].buf;
            m->msg_controllen = sizeof rx->cmsg[k].buf;
        }
        n = recvmmsg(u->fd, rx->msgs, LISPD_RX_BATCH, MSG_DONTWAIT, NULL);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                lispd_warn("receive on UDP port %u: %s", u->port, strerror(errno));
            return;
        }
        for (k = 0; k < n; k++) {
            struct msghdr *m = &rx->msgs[k].msg_hdr;
            lisp_dgram d;
            if (m->msg_flags & MSG_TRUNC) {
                s->truncated++;
                continue;
            }
            read_meta(u, m, &d);
            cb(user, &d, rx->data[k], rx->msgs[k].msg_len);
        }
    } while (n == LISPD_RX_BATCH && ++batches < LISPD_RX_MAX_BATCHES);
}
