/*
 * lispd_netlink.h - lispd's rtnetlink side (libmnl): the routes of remote EID space into
 * the TUN device, the TUN's link settings, and the local RLOCs of rloc-interface
 * sections, followed as the kernel changes them.
 *
 * Locators: lispd watches interfaces by name. Their usable addresses (IPv6 link-local,
 * tentative and DAD-failed ones excepted) are RLOCs, announced with the section's
 * priority and weight; an interface is up when it is IFF_UP and IFF_RUNNING (carrier).
 * Any link or address notification (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
 * RTNLGRP_IPV6_IFADDR) makes lispd take a fresh snapshot by dump and compare it with
 * the last one; the differences become locator events:
 *   an address gone and another of the same family on the same interface come  CHANGED
 *   (a renumbering, as DHCP or a handover does it, in whichever order the kernel told)
 *   an address gone  REMOVED;  an address new  ADDED (then DOWN when its link is down)
 *   the link's state changed  UP / DOWN for every RLOC of the interface
 * Comparing snapshots instead of replaying messages also recovers from a lost
 * notification (ENOBUFS) without special cases.
 */
#ifndef LISPD_NETLINK_H
#define LISPD_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lisp_mapcache.h"
#include "lispd_config.h"

/* One RLOC found on a watched interface. */
typedef struct lispd_nl_addr {
    lisp_endpoint addr; /* port 0 */
    uint32_t ifindex;
    uint8_t priority;
    uint8_t weight;
} lispd_nl_addr;

/* A watched interface and its state in the last snapshot. */
typedef struct lispd_nl_if {
    lispd_rloc_conf conf; /* name, priority, weight */
    uint32_t ifindex;     /* 0: the interface does not exist */
    bool up;
} lispd_nl_if;

typedef struct lispd_nl_snapshot {
    size_t n_ifs;
    lispd_nl_if ifs[LISP_XTR_MAX_RLOCS];
    size_t n_addrs;
    lispd_nl_addr addrs[LISP_XTR_MAX_RLOCS];
    size_t ignored; /* addresses beyond LISP_XTR_MAX_RLOCS */
} lispd_nl_snapshot;

typedef struct lispd_nl {
    struct mnl_socket *req; /* requests and dumps */
    struct mnl_socket *ev;  /* link and address notifications */
    uint32_t seq;
    uint8_t *buf; /* one receive buffer (MNL_SOCKET_BUFFER_SIZE) */
    lispd_nl_snapshot now;
} lispd_nl;

typedef void lispd_locator_cb(void *user, const lisp_locator_event *ev);

/* 0, or -1 with the reason in err. */
int lispd_nl_open(lispd_nl *nl, char *err, size_t errlen);
void lispd_nl_close(lispd_nl *nl);
/* The notification socket, for epoll. */
int lispd_nl_event_fd(const lispd_nl *nl);

/* Watch the interfaces ifs (rloc-interface sections) from now on, take a snapshot, and,
 * when cb is not NULL, report how it differs from the previous one (a reload). 0 or -1. */
int lispd_nl_watch(lispd_nl *nl, const lispd_rloc_conf *ifs, size_t n, lispd_locator_cb *cb,
                   void *user);
/* Notifications are waiting: read them all, take a snapshot, report the differences. */
void lispd_nl_ready(lispd_nl *nl, lispd_locator_cb *cb, void *user);

/* Add (add = true) or delete the route of prefix through interface ifindex (main
 * table, protocol "static", link scope). 0, or -1 with the reason in err; adding a route
 * that exists is an error (lispd then does not own it and will not delete it). */
int lispd_nl_route(lispd_nl *nl, bool add, const lisp_eid *prefix, uint32_t ifindex, char *err,
                   size_t errlen);
/* Prepare the TUN device: no IPv6 address generation (no router solicitations into the
 * overlay), the MTU, and up. 0, or -1 with the reason in err. */
int lispd_nl_link_setup(lispd_nl *nl, uint32_t ifindex, unsigned mtu, char *err, size_t errlen);

#endif /* LISPD_NETLINK_H */
