/*
 * lispd_tun.h - the EID side of lispd: a TUN device (no packet information header), the
 * kernel's routes for remote EID space point into it (lispd_netlink.h adds them). What
 * the site sends there is read here and handed to the engine; what the engine
 * decapsulates for the site is written back into it.
 */
#ifndef LISPD_TUN_H
#define LISPD_TUN_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#define LISPD_TUN_BUF 65536
/* Packets read per wake-up: the device is read until empty, but a site that sends
 * faster than lispd encapsulates must not starve signals, timers and the sockets. */
#define LISPD_TUN_MAX_READS 1024

typedef struct lispd_tun {
    int fd; /* -1 when closed */
    char name[IF_NAMESIZE];
    unsigned ifindex;
    uint8_t *buf; /* one packet, allocated when the device opens */
} lispd_tun;

/* Create (or attach to) the TUN device name, non-blocking. Its MTU and state are set
 * through netlink (lispd_nl_link_setup). 0, or -1 with the reason in err. */
int lispd_tun_open(lispd_tun *t, const char *name, char *err, size_t errlen);
/* Close the device; a device lispd created disappears with its routes. */
void lispd_tun_close(lispd_tun *t);

typedef void lispd_packet_cb(void *user, const uint8_t *packet, size_t len);
/* The device is readable: read packets until it would block (at most
 * LISPD_TUN_MAX_READS). */
void lispd_tun_ready(lispd_tun *t, lispd_packet_cb *cb, void *user);
/* Write one IP packet into the site. 0, or -1 (errno) when the kernel refused it. */
int lispd_tun_write(lispd_tun *t, const uint8_t *packet, size_t len);

#endif /* LISPD_TUN_H */
