/*
 * lispd_host.c - the host contract (lisp_host.h) as lispd fulfils it: datagrams through
 * lispd_sock, decapsulated packets into the site (IPv4 through a raw socket, else the
 * TUN), native forwarding through raw sockets, 64-bit random numbers from a pool
 * getrandom() fills, engine logs and traces into lispd's log.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "lispd.h"
#include "lispd_addr.h"
#include "lispd_log.h"

lisp_time_t lispd_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (lisp_time_t)ts.tv_sec * LISP_NS_PER_SEC + (lisp_time_t)ts.tv_nsec;
}

/* Fill buf from the kernel's CSPRNG. */
static void fill_random(void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        const ssize_t n = getrandom((uint8_t *)buf + got, len - got, 0);
        if (n < 0 && errno != EINTR)
            break; /* cannot happen once the pool is initialised (after early boot) */
        if (n > 0)
            got += (size_t)n;
    }
}

static uint64_t host_random(void *user)
{
    lispd *d = user;
    if (d->random_left == 0) {
        fill_random(d->random_pool, sizeof d->random_pool);
        d->random_left = LISPD_RANDOM_POOL;
    }
    return d->random_pool[--d->random_left];
}

/* --check-config: a few numbers, straight from the kernel. */
static uint64_t check_random(void *user)
{
    uint64_t v = 0;
    (void)user;
    fill_random(&v, sizeof v);
    return v;
}

static void host_log(void *user, int level, const char *message)
{
    (void)user;
    lispd_log(level, "%s", message);
}

/* Traces are for debugging: one line each, formatted only when debug is on. */
static void host_trace(void *user, const lisp_trace *ev)
{
    char eid[64], peer[64];
    (void)user;
    if (!lispd_log_enabled(LISP_LOG_DEBUG))
        return;
    lispd_debug("%s: %s %s peer %s%s%s", lisp_role_name(ev->role), lisp_trace_kind_name(ev->kind),
                lispd_eid_to_str(&ev->eid, eid, sizeof eid),
                lisp_endpoint_to_str(&ev->peer, peer, sizeof peer),
                ev->kind == LISP_TRACE_DROP ? " reason " : "",
                ev->kind == LISP_TRACE_DROP ? lisp_drop_reason_name(ev->reason) : "");
}

static int host_send(void *user, const lisp_dgram *dg, const uint8_t *payload, size_t len)
{
    lispd *d = user;
    return lispd_socks_send(&d->socks, dg, payload, len);
}

static int host_deliver(void *user, const lisp_packet_info *info, const uint8_t *packet, size_t len)
{
    lispd *d = user;
    (void)info;
    /* IPv4 through the raw socket's send queue (no system call per packet), the rest
     * and what that cannot take into the TUN (docs/native.md, "Data paths") */
    if (lispd_socks_deliver4(&d->socks, packet, len) == LISP_OK)
        return LISP_OK;
    if (d->tun.fd < 0 || lispd_tun_write(&d->tun, packet, len) != 0)
        return LISP_ERR_INVALID_ARG;
    return LISP_OK;
}

void lispd_host_deliver_tun(void *user, const uint8_t *packet, size_t len)
{
    lispd *d = user;
    if (d->tun.fd < 0 || lispd_tun_write(&d->tun, packet, len) != 0)
        lispd_debug("a packet too long for the site link was refused by %s too", d->tun.name);
}

/* The raw socket hands the packet to the kernel's routing as if lispd sent it. A
 * destination inside our EID routes would come straight back through the TUN: refuse
 * it (the engine counts a no-route drop) instead of looping. */
static int host_forward_native(void *user, const uint8_t *packet, size_t len)
{
    lispd *d = user;
    size_t i;

    if (len >= 20 && packet[0] >> 4 == 4) {
        for (i = 0; i < d->n_routes; i++)
            if (lispd_prefix_covers(&d->routes[i], LISP_AFI_IPV4, packet + 16))
                return LISP_ERR_INVALID_ARG;
    } else if (len >= 40 && packet[0] >> 4 == 6) {
        for (i = 0; i < d->n_routes; i++)
            if (lispd_prefix_covers(&d->routes[i], LISP_AFI_IPV6, packet + 24))
                return LISP_ERR_INVALID_ARG;
    }
    return lispd_socks_forward(&d->socks, packet, len);
}

lisp_host lispd_host_make(lispd *d)
{
    lisp_host h;
    memset(&h, 0, sizeof h);
    h.env.user_data = d;
    h.env.random = host_random;
    h.env.log = host_log;
    h.env.trace = host_trace;
    h.env.workspace = d->ws;
    h.out.send = host_send;
    h.out.deliver = host_deliver;
    h.out.forward_native = host_forward_native;
    return h;
}

static int check_send(void *user, const lisp_dgram *dg, const uint8_t *payload, size_t len)
{
    (void)user, (void)dg, (void)payload, (void)len;
    return LISP_ERR_INVALID_ARG;
}

static int check_deliver(void *user, const lisp_packet_info *info, const uint8_t *packet,
                         size_t len)
{
    (void)user, (void)info, (void)packet, (void)len;
    return LISP_ERR_INVALID_ARG;
}

lisp_host lispd_host_check(void)
{
    lisp_host h;
    memset(&h, 0, sizeof h);
    h.env.random = check_random;
    h.out.send = check_send;
    h.out.deliver = check_deliver;
    return h;
}
