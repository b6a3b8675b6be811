/*
 * lispd_loop.h - tags of the epoll set (lispd_loop.c): the kind in the upper 32 bits,
 * an index (the UDP socket's) in the lower.
 */
#ifndef LISPD_LOOP_H
#define LISPD_LOOP_H

#include <stdint.h>

#include "lispd.h"

#define LISPD_EV_SIGNAL (1ull << 32)
#define LISPD_EV_TIMER (2ull << 32)
#define LISPD_EV_UDP (3ull << 32) /* | index into socks.udp */
#define LISPD_EV_TUN (4ull << 32)
#define LISPD_EV_NETLINK (5ull << 32)
#define LISPD_EV_CONTROL (6ull << 32)
#define LISPD_EV_NFQ (7ull << 32) /* | LISPD_NFQ_OUTBOUND or LISPD_NFQ_INBOUND */

/* Block the signals, create the epoll set, the signalfd and the timerfd. 0 or -1. */
int lispd_loop_init(lispd *d);
/* After daemon(3): the signals' descriptor again, for the child. 0 or -1. */
int lispd_loop_after_fork(lispd *d);
void lispd_loop_fini(lispd *d);

#endif /* LISPD_LOOP_H */
