/* lispd_netlink.c - routes, TUN link settings and RLOC tracking via rtnetlink (lispd_netlink.h). */
#include "lispd_netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lisp_addr.h"
#include "lispd_log.h"

int lispd_nl_open(lispd_nl *nl, char *err, size_t errlen)
{
    memset(nl, 0, sizeof *nl);
    nl->buf = malloc(MNL_SOCKET_BUFFER_SIZE);
    nl->req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    nl->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (!nl->buf || !nl->req || !nl->ev || mnl_socket_bind(nl->req, 0, MNL_SOCKET_AUTOPID) < 0 ||
        mnl_socket_bind(nl->ev,
                        (1u << (RTNLGRP_LINK - 1)) | (1u << (RTNLGRP_IPV4_IFADDR - 1)) |
                            (1u << (RTNLGRP_IPV6_IFADDR - 1)),
                        MNL_SOCKET_AUTOPID) < 0) {
        snprintf(err, errlen, "cannot open rtnetlink: %s", strerror(errno));
        lispd_nl_close(nl);
        return -1;
    }
    nl->seq = (uint32_t)time(NULL);
    return 0;
}

void lispd_nl_close(lispd_nl *nl)
{
    if (nl->req)
        mnl_socket_close(nl->req);
    if (nl->ev)
        mnl_socket_close(nl->ev);
    free(nl->buf);
    memset(nl, 0, sizeof *nl);
}

int lispd_nl_event_fd(const lispd_nl *nl)
{
    return mnl_socket_get_fd(nl->ev);
}

/* ---- requests ---- */

/* Send the request in nl->buf and run cb over the answer until its end (the ACK or
 * NLMSG_DONE). 0, or -1 with errno set (the kernel's error for a refused request). */
static int transact(lispd_nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
    const uint32_t portid = mnl_socket_get_portid(nl->req);
    const uint32_t seq = req->nlmsg_seq;
    int rc;

    if (mnl_socket_sendto(nl->req, req, req->nlmsg_len) < 0)
        return -1;
    do {
        const ssize_t n = mnl_socket_recvfrom(nl->req, nl->buf, MNL_SOCKET_BUFFER_SIZE);
        if (n < 0)
            return -1;
        rc = mnl_cb_run(nl->buf, (size_t)n, seq, portid, cb, data);
    } while (rc > 0);
    return rc < 0 ? -1 : 0;
}

static struct nlmsghdr *new_request(lispd_nl *nl, uint16_t type, uint16_t flags)
{
    struct nlmsghdr *h = mnl_nlmsg_put_header(nl->buf);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | flags;
    h->nlmsg_seq = ++nl->seq;
    return h;
}

int lispd_nl_route(lispd_nl *nl, bool add, const lisp_eid *prefix, uint32_t ifindex, char *err,
                   size_t errlen)
{
    struct nlmsghdr *h = new_request(nl, add ? RTM_NEWROUTE : RTM_DELROUTE,
                                     NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0));
    struct rtmsg *rt = mnl_nlmsg_put_extra_header(h, sizeof *rt);
    const bool v4 = prefix->afi == LISP_AFI_IPV4;

    rt->rtm_family = v4 ? AF_INET : AF_INET6;
    rt->rtm_dst_len = prefix->mask_len;
    rt->rtm_table = RT_TABLE_MAIN;
    rt->rtm_protocol = RTPROT_STATIC;
    rt->rtm_scope = RT_SCOPE_LINK;
    rt->rtm_type = RTN_UNICAST;
    mnl_attr_put(h, RTA_DST, v4 ? 4 : 16, prefix->addr);
    mnl_attr_put_u32(h, RTA_OIF, ifindex);
    if (transact(nl, h, NULL, NULL) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

int lispd_nl_link_setup(lispd_nl *nl, uint32_t ifindex, unsigned mtu, char *err, size_t errlen)
{
    struct nlmsghdr *h = new_request(nl, RTM_NEWLINK, NLM_F_ACK);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof *ifi);
    struct nlattr *spec, *inet6;

    /* IPv6 address generation off first: with it on, the device would get a link-local
     * address when it comes up and send router solicitations into the overlay. A host
     * without IPv6 refuses this; that is fine. */
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = (int)ifindex;
    spec = mnl_attr_nest_start(h, IFLA_AF_SPEC);
    inet6 = mnl_attr_nest_start(h, AF_INET6);
    mnl_attr_put_u8(h, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
    mnl_attr_nest_end(h, inet6);
    mnl_attr_nest_end(h, spec);
    if (transact(nl, h, NULL, NULL) != 0)
        lispd_debug("no IPv6 address generation setting on the TUN: %s", strerror(errno));

    h = new_request(nl, RTM_NEWLINK, NLM_F_ACK);
    ifi = mnl_nlmsg_put_extra_header(h, sizeof *ifi);
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = (int)ifindex;
    ifi->ifi_change = IFF_UP;
    ifi->ifi_flags = IFF_UP;
    mnl_attr_put_u32(h, IFLA_MTU, mtu);
    if (transact(nl, h, NULL, NULL) != 0) {
        snprintf(err, errlen, "cannot set MTU %u and bring the device up: %s", mtu,
                 strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- snapshots ---- */

static int link_cb(const struct nlmsghdr *h, void *data)
{
    lispd_nl_snapshot *s = data;
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
    struct nlattr *a;
    const char *name = NULL;
    size_t i;

    mnl_attr_for_each(a, h, sizeof *ifi)
    {
        if (mnl_attr_get_type(a) == IFLA_IFNAME && mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
            name = mnl_attr_get_str(a);
    }
    if (!name)
        return MNL_CB_OK;
    for (i = 0; i < s->n_ifs; i++) {
        if (strcmp(s->ifs[i].conf.ifname, name) == 0) {
            s->ifs[i].ifindex = (uint32_t)ifi->ifi_index;
            s->ifs[i].up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
        }
    }
    return MNL_CB_OK;
}

static const lispd_nl_if *watched(const lispd_nl_snapshot *s, uint32_t ifindex)
{
    size_t i;
    for (i = 0; i < s->n_ifs; i++)
        if (s->ifs[i].ifindex && s->ifs[i].ifindex == ifindex)
            return &s->ifs[i];
    return NULL;
}

static int addr_cb(const struct nlmsghdr *h, void *data)
{
    lispd_nl_snapshot *s = data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(h);
    const lispd_nl_if *w = watched(s, ifa->ifa_index);
    const void *local = NULL, *address = NULL;
    uint32_t flags = ifa->ifa_flags;
    struct nlattr *a;
    lispd_nl_addr *out;

    if (!w || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
        return MNL_CB_OK;
    mnl_attr_for_each(a, h, sizeof *ifa)
    {
        const uint16_t len = mnl_attr_get_payload_len(a);
        switch (mnl_attr_get_type(a)) {
        case IFA_LOCAL:
            if (len == (ifa->ifa_family == AF_INET ? 4 : 16))
                local = mnl_attr_get_payload(a);
            break;
        case IFA_ADDRESS:
            if (len == (ifa->ifa_family == AF_INET ? 4 : 16))
                address = mnl_attr_get_payload(a);
            break;
        case IFA_FLAGS:
            if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                flags = mnl_attr_get_u32(a);
            break;
        default:
            break;
        }
    }
    /* IFA_LOCAL is our address (IFA_ADDRESS is the peer's on point-to-point links) */
    if (local)
        address = local;
    if (!address || (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
        return MNL_CB_OK;
    if (ifa->ifa_family == AF_INET6) {
        const uint8_t *b = address;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
            return MNL_CB_OK; /* link-local: not a locator */
    }
    if (s->n_addrs >= LISP_XTR_MAX_RLOCS) {
        s->ignored++;
        return MNL_CB_OK;
    }
    out = &s->addrs[s->n_addrs++];
    memset(out, 0, sizeof *out);
    out->addr.afi = ifa->ifa_family == AF_INET ? LISP_AFI_IPV4 : LISP_AFI_IPV6;
    memcpy(out->addr.addr, address, ifa->ifa_family == AF_INET ? 4 : 16);
    out->ifindex = ifa->ifa_index;
    out->priority = w->conf.priority;
    out->weight = w->conf.weight;
    return MNL_CB_OK;
}

/* The watched interfaces' state and addresses now, by dump. */
static int snapshot(lispd_nl *nl, lispd_nl_snapshot *s)
{
    struct nlmsghdr *h;
    struct rtgenmsg *g;
    size_t i;

    for (i = 0; i < s->n_ifs; i++) {
        s->ifs[i].ifindex = 0;
        s->ifs[i].up = false;
    }
    s->n_addrs = 0;
    s->ignored = 0;
    if (s->n_ifs == 0)
        return 0;
    h = new_request(nl, RTM_GETLINK, NLM_F_DUMP);
    g = mnl_nlmsg_put_extra_header(h, sizeof *g);
    g->rtgen_family = AF_UNSPEC;
    if (transact(nl, h, link_cb, s) != 0)
        return -1;
    h = new_request(nl, RTM_GETADDR, NLM_F_DUMP);
    g = mnl_nlmsg_put_extra_header(h, sizeof *g);
    g->rtgen_family = AF_UNSPEC;
    if (transact(nl, h, addr_cb, s) != 0)
        return -1;
    if (s->ignored)
        lispd_warn("%zu addresses of the rloc-interfaces ignored: at most %d RLOCs", s->ignored,
                   LISP_XTR_MAX_RLOCS);
    return 0;
}

/* ---- differences as locator events ---- */

static int find_addr(const lispd_nl_snapshot *s, const lisp_endpoint *a)
{
    size_t i;
    for (i = 0; i < s->n_addrs; i++)
        if (lisp_endpoint_same_addr(&s->addrs[i].addr, a))
            return (int)i;
    return -1;
}

static bool if_up(const lispd_nl_snapshot *s, uint32_t ifindex)
{
    const lispd_nl_if *w = watched(s, ifindex);
    return w && w->up;
}

static void emit(lispd_locator_cb *cb, void *user, uint8_t kind, const lispd_nl_addr *a,
                 const lisp_endpoint *old)
{
    lisp_locator_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.ifindex = a->ifindex;
    ev.addr = a->addr;
    if (old)
        ev.old_addr = *old;
    ev.priority = a->priority;
    ev.weight = a->weight;
    cb(user, &ev);
}

static void report(const lispd_nl_snapshot *old, const lispd_nl_snapshot *now, lispd_locator_cb *cb,
                   void *user)
{
    bool paired[LISP_XTR_MAX_RLOCS] = {false}; /* new addresses reported as CHANGED */
    size_t i, j;

    for (i = 0; i < old->n_addrs; i++) {
        const lispd_nl_addr *gone = &old->addrs[i];
        if (find_addr(now, &gone->addr) >= 0)
            continue;
        for (j = 0; j < now->n_addrs; j++) {
            const lispd_nl_addr *a = &now->addrs[j];
            if (!paired[j] && a->ifindex == gone->ifindex && a->addr.afi == gone->addr.afi &&
                find_addr(old, &a->addr) < 0)
                break;
        }
        if (j < now->n_addrs) {
            paired[j] = true;
            emit(cb, user, LISP_LOCATOR_CHANGED, &now->addrs[j], &gone->addr);
        } else {
            emit(cb, user, LISP_LOCATOR_REMOVED, gone, NULL);
        }
    }
    for (j = 0; j < now->n_addrs; j++) {
        const lispd_nl_addr *a = &now->addrs[j];
        const int k = find_addr(old, &a->addr);
        const bool was_up = k >= 0 && if_up(old, old->addrs[k].ifindex);
        if (paired[j] || k < 0 || a->priority != old->addrs[k].priority ||
            a->weight != old->addrs[k].weight || a->ifindex != old->addrs[k].ifindex) {
            if (!paired[j])
                emit(cb, user, LISP_LOCATOR_ADDED, a, NULL); /* new, or new settings */
            if (!if_up(now, a->ifindex))
                emit(cb, user, LISP_LOCATOR_DOWN, a, NULL);
        } else if (was_up != if_up(now, a->ifindex)) {
            emit(cb, user, if_up(now, a->ifindex) ? LISP_LOCATOR_UP : LISP_LOCATOR_DOWN, a, NULL);
        }
    }
}

int lispd_nl_watch(lispd_nl *nl, const lispd_rloc_conf *ifs, size_t n, lispd_locator_cb *cb,
                   void *user)
{
    lispd_nl_snapshot old = nl->now;
    size_t i;

    nl->now.n_ifs = n < LISP_XTR_MAX_RLOCS ? n : LISP_XTR_MAX_RLOCS;
    for (i = 0; i < nl->now.n_ifs; i++)
        nl->now.ifs[i].conf = ifs[i];
    if (snapshot(nl, &nl->now) != 0) {
        lispd_error("cannot read the interfaces' addresses: %s", strerror(errno));
        return -1;
    }
    for (i = 0; i < nl->now.n_ifs; i++)
        if (!nl->now.ifs[i].ifindex)
            lispd_warn("rloc-interface %s does not exist (yet): its addresses will be used "
                       "when it appears",
                       nl->now.ifs[i].conf.ifname);
    if (cb)
        report(&old, &nl->now, cb, user);
    return 0;
}

void lispd_nl_ready(lispd_nl *nl, lispd_locator_cb *cb, void *user)
{
    lispd_nl_snapshot old = nl->now;
    bool any = false;

    for (;;) {
        const ssize_t n = mnl_socket_recvfrom(nl->ev, nl->buf, MNL_SOCKET_BUFFER_SIZE);
        if (n < 0) {
            if (errno == ENOBUFS) { /* notifications were lost: the snapshot catches up */
                any = true;
                continue;
            }
            break;
        }
        any = true;
    }
    if (!any || nl->now.n_ifs == 0)
        return;
    if (snapshot(nl, &nl->now) != 0) {
        lispd_error("cannot read the interfaces' addresses: %s", strerror(errno));
        nl->now = old;
        return;
    }
    report(&old, &nl->now, cb, user);
}
