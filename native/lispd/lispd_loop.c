/*
 * lispd_loop.c - the event loop (lispd.h): one epoll set with the signals (signalfd:
 * SIGINT/SIGTERM stop, SIGHUP reloads), the engine's one timer (a timerfd armed at the
 * engine's next expiry, an absolute CLOCK_MONOTONIC time, so it never fires early), the
 * UDP sockets, the TUN device, netlink notifications, the control socket and the NAT
 * role's two NFQUEUE queues.
 *
 * Every readable source is drained (recvmmsg batches, TUN reads until EAGAIN) before the
 * loop sends the data queued meanwhile (one sendmmsg per socket and 64 datagrams,
 * lispd_sock.h) and asks the engine for its next expiry again; the timer is re-armed only
 * when that changes, as the ns-3 host does.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "lisp_nat.h"
#include "lispd.h"
#include "lispd_addr.h"
#include "lispd_log.h"
#include "lispd_loop.h"

#define MAX_EVENTS 16

int lispd_loop_add(lispd *d, int fd, uint64_t tag)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev);
}

void lispd_loop_del(lispd *d, int fd)
{
    if (d->epfd >= 0 && fd >= 0)
        epoll_ctl(d->epfd, EPOLL_CTL_DEL, fd, NULL);
}

int lispd_loop_init(lispd *d)
{
    sigset_t set;

    d->armed = LISP_TIME_NEVER;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return -1;
    signal(SIGPIPE, SIG_IGN); /* a control client that hangs up is no reason to die */
    d->epfd = epoll_create1(EPOLL_CLOEXEC);
    d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    d->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (d->epfd < 0 || d->sigfd < 0 || d->timerfd < 0 ||
        lispd_loop_add(d, d->sigfd, LISPD_EV_SIGNAL) != 0 ||
        lispd_loop_add(d, d->timerfd, LISPD_EV_TIMER) != 0)
        return -1;
    return 0;
}

int lispd_loop_after_fork(lispd *d)
{
    sigset_t set;

    /* A signalfd wakes epoll through the wait queue of the process that registered it:
     * the daemonized child needs one of its own. */
    lispd_loop_del(d, d->sigfd);
    close(d->sigfd);
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (d->sigfd < 0 || lispd_loop_add(d, d->sigfd, LISPD_EV_SIGNAL) != 0)
        return -1;
    return 0;
}

void lispd_loop_fini(lispd *d)
{
    if (d->timerfd >= 0)
        close(d->timerfd);
    if (d->sigfd >= 0)
        close(d->sigfd);
    if (d->epfd >= 0)
        close(d->epfd);
    d->timerfd = d->sigfd = d->epfd = -1;
}

void lispd_rearm(lispd *d)
{
    const lisp_time_t next = d->engine ? lisp_engine_next_expiry(d->engine) : LISP_TIME_NEVER;
    struct itimerspec its;

    if (next == d->armed)
        return;
    memset(&its, 0, sizeof its);
    if (next != LISP_TIME_NEVER) {
        const lisp_time_t at = next ? next : 1; /* 0 would disarm the timer */
        its.it_value.tv_sec = (time_t)(at / LISP_NS_PER_SEC);
        its.it_value.tv_nsec = (long)(at % LISP_NS_PER_SEC);
    }
    if (timerfd_settime(d->timerfd, TFD_TIMER_ABSTIME, &its, NULL) != 0)
        lispd_error("cannot arm the engine timer: %s", strerror(errno));
    d->armed = next;
}

/* ---- engine calls: one at a time (lispd.h) ---- */

static bool enter(lispd *d)
{
    if (d->busy) {
        lispd_error("internal error: nested engine call refused");
        return false;
    }
    d->busy++;
    return true;
}

static void on_dgram(void *user, const lisp_dgram *dg, const uint8_t *payload, size_t len)
{
    lispd *d = user;
    int rc;
    if (!d->engine || !enter(d))
        return; /* no engine yet (waiting for an RLOC): dropped */
    rc = lisp_engine_input(d->engine, lispd_now(), dg, payload, len);
    d->busy--;
    /* bad packets are counted and traced by the engine; only say so when debugging */
    if (rc != LISP_OK && lispd_log_enabled(LISP_LOG_DEBUG)) {
        char from[64];
        lispd_debug("datagram from %s: %s", lisp_endpoint_to_str(&dg->src, from, sizeof from),
                    lisp_strerror(rc));
    }
}

static void on_eid_packet(void *user, const uint8_t *packet, size_t len)
{
    lispd *d = user;
    lisp_packet_info info;
    if (!d->engine || !enter(d))
        return;
    memset(&info, 0, sizeof info);
    info.ifindex = d->tun.ifindex;
    lisp_engine_eid_input(d->engine, lispd_now(), &info, packet, len);
    d->busy--;
}

void lispd_locator_event(void *user, const lisp_locator_event *ev)
{
    lispd *d = user;
    char addr[64], old[64];
    int rc;

    lispd_info("locator %s %s%s%s (interface %u)", lisp_locator_event_name(ev->kind),
               ev->addr.afi ? lispd_addr_to_str(&ev->addr, addr, sizeof addr) : "(all)",
               ev->kind == LISP_LOCATOR_CHANGED ? " was " : "",
               ev->kind == LISP_LOCATOR_CHANGED ? lispd_addr_to_str(&ev->old_addr, old, sizeof old)
                                                : "",
               (unsigned)ev->ifindex);
    if (!d->engine) {
        lispd_engine_pending(d);
        return;
    }
    if (!d->engine->ops->locator_event || !enter(d))
        return;
    rc = lisp_engine_locator_event(d->engine, lispd_now(), ev);
    d->busy--;
    if (rc != LISP_OK)
        lispd_warn("the engine did not take the locator event: %s", lisp_strerror(rc));
}

/* A batch of one NAT queue: the engine rewrites the packets in place and says what
 * becomes of each (lisp_nat_verdict); the queue only carries that out. HAIRPIN is an
 * accept as well: the packet was taken at prerouting on the inside interface, so the
 * kernel routes its new destination back to the inside (docs/design.md). */
static void on_nat_batch(void *user, int dir, uint8_t *const *packets, const size_t *lens, size_t n,
                         int *actions)
{
    lispd *d = user;
    lisp_nat *nat = lisp_nat_from_engine(d->engine);
    int verdicts[LISPD_NFQ_BATCH];
    size_t i;

    if (!nat || !enter(d)) {
        for (i = 0; i < n; i++)
            actions[i] = LISPD_NFQ_DROP;
        return;
    }
    if (dir == LISPD_NFQ_OUTBOUND)
        lisp_nat_outbound_batch(nat, lispd_now(), packets, lens, n, verdicts);
    else
        lisp_nat_inbound_batch(nat, lispd_now(), packets, lens, n, verdicts);
    d->busy--;
    for (i = 0; i < n; i++)
        switch (verdicts[i]) {
        case LISP_NAT_FORWARD:
        case LISP_NAT_HAIRPIN:
            actions[i] = LISPD_NFQ_ACCEPT_REWRITTEN;
            break;
        case LISP_NAT_PASS:
            actions[i] = LISPD_NFQ_ACCEPT;
            break;
        default:
            actions[i] = LISPD_NFQ_DROP;
            break;
        }
}

static void on_timer(lispd *d)
{
    uint64_t expirations;
    if (read(d->timerfd, &expirations, sizeof expirations) < 0 && errno == EAGAIN)
        return; /* re-armed since it fired */
    d->armed = LISP_TIME_NEVER;
    if (!d->engine || !enter(d))
        return;
    lisp_engine_handle_expiry(d->engine, lispd_now());
    d->busy--;
}

static void on_signal(lispd *d)
{
    struct signalfd_siginfo si;
    while (read(d->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
        switch (si.ssi_signo) {
        case SIGHUP:
            lispd_info("SIGHUP: reloading %s", d->cfg.path);
            lispd_reload(d);
            break;
        case SIGINT:
        case SIGTERM:
            lispd_info("%s: shutting down", si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
            d->stop = true;
            break;
        default:
            break;
        }
    }
}

static void dispatch(lispd *d, uint64_t tag)
{
    const uint32_t kind = (uint32_t)(tag >> 32), index = (uint32_t)tag;

    switch (kind) {
    case LISPD_EV_SIGNAL >> 32:
        on_signal(d);
        break;
    case LISPD_EV_TIMER >> 32:
        on_timer(d);
        break;
    case LISPD_EV_UDP >> 32:
        if (index < d->socks.n_udp)
            lispd_socks_ready(&d->socks, index, on_dgram, d);
        break;
    case LISPD_EV_TUN >> 32:
        if (d->tun.fd >= 0)
            lispd_tun_ready(&d->tun, on_eid_packet, d);
        break;
    case LISPD_EV_NETLINK >> 32:
        lispd_nl_ready(&d->nl, lispd_locator_event, d);
        break;
    case LISPD_EV_CONTROL >> 32:
        if (d->control)
            lispd_control_ready(d->control);
        break;
    case LISPD_EV_NFQ >> 32:
        if (index <= LISPD_NFQ_INBOUND)
            lispd_nfq_ready(&d->nfq, (int)index, on_nat_batch, d);
        break;
    default:
        break;
    }
}

int lispd_loop(lispd *d)
{
    struct epoll_event events[MAX_EVENTS];
    int n, i;

    lispd_rearm(d);
    while (!d->stop) {
        n = epoll_wait(d->epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            lispd_error("epoll_wait: %s", strerror(errno));
            return -1;
        }
        for (i = 0; i < n && !d->stop; i++)
            dispatch(d, events[i].data.u64);
        lispd_socks_flush(&d->socks); /* the data this turn produced */
        lispd_rearm(d);
    }
    return 0;
}
