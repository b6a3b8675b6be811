/* lisp_query_os.c - sockets, clock, randomness and pcap for lisp-query (lisp_query_os.h). */
#define _GNU_SOURCE
#include "lisp_query_os.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

lisp_time_t lq_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (lisp_time_t)ts.tv_sec * LISP_NS_PER_SEC + (lisp_time_t)ts.tv_nsec;
}

uint64_t lq_random64(void)
{
    uint64_t v;
    size_t got = 0;

    while (got < sizeof v) {
        ssize_t n = getrandom((uint8_t *)&v + got, sizeof v - got, 0);
        if (n < 0 && errno != EINTR) {
            perror("lisp-query: getrandom");
            exit(3);
        }
        if (n > 0)
            got += (size_t)n;
    }
    return v;
}

static socklen_t to_sockaddr(const lisp_endpoint *e, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (e->afi == LISP_AFI_IPV4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(e->port);
        memcpy(&sin->sin_addr, e->addr, 4);
        return sizeof *sin;
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(e->port);
    memcpy(&sin6->sin6_addr, e->addr, 16);
    return sizeof *sin6;
}

static void from_sockaddr(const struct sockaddr_storage *ss, lisp_endpoint *e)
{
    memset(e, 0, sizeof *e);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        e->afi = LISP_AFI_IPV4;
        e->port = ntohs(sin->sin_port);
        memcpy(e->addr, &sin->sin_addr, 4);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        e->afi = LISP_AFI_IPV6;
        e->port = ntohs(sin6->sin6_port);
        memcpy(e->addr, &sin6->sin6_addr, 16);
    }
}

int lq_resolve(const char *text, uint16_t port, lisp_endpoint *out)
{
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage ss;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(text, NULL, &hints, &res) != 0 || !res)
        return LISP_ERR_INVALID_ARG;
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    from_sockaddr(&ss, out);
    out->port = port;
    return out->afi == LISP_AFI_NONE ? LISP_ERR_INVALID_ARG : LISP_OK;
}

/* The source address the kernel routes towards server from: connect() a throw-away socket
 * (a connected socket cannot be dissolved without losing an ephemeral port). */
static int route_source(const lisp_endpoint *server, lisp_endpoint *out)
{
    struct sockaddr_storage ss;
    socklen_t sl = to_sockaddr(server, &ss);
    int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

    if (fd >= 0 && connect(fd, (struct sockaddr *)&ss, sl) == 0) {
        sl = sizeof ss;
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
            from_sockaddr(&ss, out);
            rc = 0;
        }
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

int lq_sock_open(lq_sock *s, const lisp_endpoint *server, const lisp_endpoint *source, int rcvbuf)
{
    lisp_endpoint local;

    if (source && source->afi != LISP_AFI_NONE) {
        local = *source;
    } else if (route_source(server, &local) < 0) {
        int err = errno;
        fprintf(stderr, "lisp-query: no route to the server: %s\n", strerror(err));
        return -err;
    }
    local.port = 0;
    return lq_sock_bind(s, &local, rcvbuf);
}

int lq_sock_bind(lq_sock *s, const lisp_endpoint *local, int rcvbuf)
{
    struct sockaddr_storage ss;
    socklen_t sl = to_sockaddr(local, &ss);
    int err;

    memset(s, 0, sizeof *s);
    s->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        goto fail;
    /* Best effort: a smaller buffer only loses datagrams in a flood, which are counted.
     * SO_RCVBUFFORCE (root) goes past net.core.rmem_max, SO_RCVBUF up to it. */
    if (rcvbuf > 0 && setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        (void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (bind(s->fd, (struct sockaddr *)&ss, sl) < 0)
        goto fail;
    sl = sizeof ss;
    if (getsockname(s->fd, (struct sockaddr *)&ss, &sl) < 0)
        goto fail;
    from_sockaddr(&ss, &s->local);
    return 0;
fail:
    err = errno;
    fprintf(stderr, "lisp-query: socket: %s\n", strerror(err));
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    return -err;
}

void lq_sock_close(lq_sock *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

int lq_sock_send(lq_sock *s, const lisp_endpoint *to, const uint8_t *buf, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sl = to_sockaddr(to, &ss);

    for (;;) {
        if (sendto(s->fd, buf, len, 0, (struct sockaddr *)&ss, sl) >= 0)
            return 0;
        if (errno != EINTR)
            return -errno;
    }
}

int lq_sock_recv(lq_sock *s, lisp_time_t deadline, lisp_endpoint *from, uint8_t *buf, size_t cap,
                 size_t *len)
{
    for (;;) {
        struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        lisp_time_t now = lq_now();
        int timeout_ms, rc;
        ssize_t n;

        if (deadline == LISP_TIME_NEVER)
            timeout_ms = -1;
        else if (deadline <= now)
            timeout_ms = 0;
        else /* round up, so that the wait never ends before the deadline */
            timeout_ms = (int)((deadline - now + LISP_NS_PER_MS - 1) / LISP_NS_PER_MS);
        rc = poll(&pfd, 1, timeout_ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return -errno;
        if (rc == 0) {
            if (lq_now() < deadline && deadline != LISP_TIME_NEVER)
                continue;
            return 0;
        }
        n = recvfrom(s->fd, buf, cap, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return -errno;
        from_sockaddr(&ss, from);
        *len = (size_t)n;
        return 1;
    }
}

struct lq_pcap {
    pcap_t *pcap;
    pcap_dumper_t *dump;
    uint8_t pkt[LISP_MSG_MAX + 48];
};

lq_pcap *lq_pcap_open(const char *path)
{
    lq_pcap *p = calloc(1, sizeof *p);

    if (!p) {
        fprintf(stderr, "lisp-query: out of memory\n");
        return NULL;
    }
    p->pcap = pcap_open_dead(DLT_RAW, 65535);
    if (!p->pcap || !(p->dump = pcap_dump_open(p->pcap, path))) {
        fprintf(stderr, "lisp-query: %s: %s\n", path,
                p->pcap ? pcap_geterr(p->pcap) : "pcap_open_dead failed");
        lq_pcap_close(p);
        return NULL;
    }
    return p;
}

void lq_pcap_write(lq_pcap *p, const lisp_endpoint *src, const lisp_endpoint *dst,
                   const uint8_t *payload, size_t len)
{
    lisp_ipudp h;
    struct pcap_pkthdr ph;
    size_t hl, total;

    if (!p || src->afi != dst->afi)
        return;
    memset(&h, 0, sizeof h);
    h.afi = src->afi;
    memcpy(h.src, src->addr, 16);
    memcpy(h.dst, dst->addr, 16);
    h.sport = src->port;
    h.dport = dst->port;
    h.ttl = 64;
    hl = lisp_ipudp_header_len(h.afi);
    if (len > sizeof p->pkt - hl)
        return;
    memcpy(p->pkt + hl, payload, len);
    if (lisp_ipudp_encode(&h, p->pkt, sizeof p->pkt, len, &total) != LISP_OK)
        return;
    memset(&ph, 0, sizeof ph);
    gettimeofday(&ph.ts, NULL);
    ph.caplen = ph.len = (bpf_u_int32)total;
    pcap_dump((u_char *)p->dump, &ph, p->pkt);
}

void lq_pcap_close(lq_pcap *p)
{
    if (!p)
        return;
    if (p->dump)
        pcap_dump_close(p->dump);
    if (p->pcap)
        pcap_close(p->pcap);
    free(p);
}
