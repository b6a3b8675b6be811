/* lispd_tun.c - the TUN device (lispd_tun.h). */
#include "lispd_tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lispd_log.h"

int lispd_tun_open(lispd_tun *t, const char *name, char *err, size_t errlen)
{
    struct ifreq ifr;

    memset(t, 0, sizeof *t);
    t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (t->fd < 0) {
        snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(t->fd, TUNSETIFF, &ifr) != 0) {
        snprintf(err, errlen, "cannot create TUN device %s: %s%s", name, strerror(errno),
                 errno == EBUSY ? " (is another lispd using it?)" : "");
        close(t->fd);
        t->fd = -1;
        return -1;
    }
    snprintf(t->name, sizeof t->name, "%s", ifr.ifr_name);
    t->ifindex = if_nametoindex(t->name);
    t->buf = malloc(LISPD_TUN_BUF);
    if (!t->ifindex || !t->buf) {
        snprintf(err, errlen, "TUN device %s: %s", name,
                 t->buf ? "no interface index" : "out of memory");
        lispd_tun_close(t);
        return -1;
    }
    return 0;
}

void lispd_tun_close(lispd_tun *t)
{
    if (t->fd >= 0)
        close(t->fd);
    free(t->buf);
    memset(t, 0, sizeof *t);
    t->fd = -1;
}

void lispd_tun_ready(lispd_tun *t, lispd_packet_cb *cb, void *user)
{
    unsigned i;
    for (i = 0; i < LISPD_TUN_MAX_READS; i++) {
        const ssize_t n = read(t->fd, t->buf, LISPD_TUN_BUF);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                lispd_warn("read from %s: %s", t->name, strerror(errno));
            return;
        }
        if (n > 0)
            cb(user, t->buf, (size_t)n);
    }
}

int lispd_tun_write(lispd_tun *t, const uint8_t *packet, size_t len)
{
    const ssize_t n = write(t->fd, packet, len);
    return n == (ssize_t)len ? 0 : -1;
}
