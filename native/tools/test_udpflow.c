/*
 * test_udpflow.c - lisp-test-udpflow, the traffic generator and counter of the data-plane
 * benchmark (test/bench/bench_native_dataplane.py): one UDP flow at the highest rate the
 * sender's socket takes, counted at the receiver. Python cannot send or count fast enough
 * for a forwarding benchmark (udp_flow.py of the harness is for counted, paced flows);
 * this tool moves 64 datagrams per system call both ways (sendmmsg, recvmmsg).
 *
 *   lisp-test-udpflow sink --bind ADDR --port P [--max-time S] [--idle S]
 *       Prints "ready" once bound, then counts datagrams until none came for --idle
 *       seconds (default 1) after the first, or --max-time (default 60) passed. Prints one
 *       JSON line: {"received": N, "bytes": B, "seconds": T, "pps": R}, T being the time
 *       from the first datagram to the last, R = (N - 1) / T.
 *   lisp-test-udpflow send --dst ADDR --port P --size B --seconds S [--rate R]
 *                          [--dst-count N]
 *       Sends datagrams of B bytes of UDP payload to ADDR:P for S seconds, as fast as the
 *       socket takes them or R per second (paced in bursts of at most 64), each starting
 *       with its sequence number (32 bits, big-endian). With --dst-count, datagram i goes
 *       to the (i mod N)-th address from ADDR on (ADDR + 0 .. ADDR + N - 1): one packet
 *       for each of N destinations per round, which fills an ITR's map-cache.
 *       Prints one JSON line: {"sent": N, "seconds": T, "pps": R}.
 *
 * IPv4 only. Exit 0, or 2 for a usage error, 1 when a socket cannot be opened.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_PAYLOAD 65507

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: lisp-test-udpflow sink --bind ADDR --port P [--max-time S] "
                    "[--idle S]\n       lisp-test-udpflow send --dst ADDR --port P --size B "
                    "--seconds S [--rate R] [--dst-count N]\n");
    return 2;
}

typedef struct opts {
    const char *addr;
    long port, size, dst_count; /* dst_count 1: one destination, a connected socket */
    double seconds, max_time, idle, rate; /* rate 0: as fast as possible */
} opts;

static int parse(int argc, char **argv, opts *o)
{
    int i;
    o->addr = NULL;
    o->port = -1;
    o->size = 64;
    o->dst_count = 1;
    o->seconds = 5;
    o->max_time = 60;
    o->idle = 1;
    o->rate = 0;
    for (i = 2; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        char *end;
        if (!strcmp(k, "--bind") || !strcmp(k, "--dst")) {
            o->addr = v;
            continue;
        }
        if (!strcmp(k, "--port") || !strcmp(k, "--size") || !strcmp(k, "--dst-count")) {
            long n = strtol(v, &end, 10);
            if (*end || n < 1)
                return -1;
            *(!strcmp(k, "--port") ? &o->port : !strcmp(k, "--size") ? &o->size : &o->dst_count) =
                n;
            continue;
        }
        double x = strtod(v, &end);
        if (*end || x <= 0)
            return -1;
        if (!strcmp(k, "--seconds"))
            o->seconds = x;
        else if (!strcmp(k, "--max-time"))
            o->max_time = x;
        else if (!strcmp(k, "--idle"))
            o->idle = x;
        else if (!strcmp(k, "--rate"))
            o->rate = x;
        else
            return -1;
    }
    if (i != argc || !o->addr || o->port < 1 || o->port > 65535 || o->size < 4 ||
        o->size > MAX_PAYLOAD)
        return -1;
    return 0;
}

/* A UDP socket bound to (sink) or connected to (sender of one destination) o's address;
 * *sin is that address. */
static int open_socket(const opts *o, int bind_it, struct sockaddr_in *out)
{
    struct sockaddr_in sin;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), big = 4 << 20;

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)o->port);
    if (fd < 0 || inet_pton(AF_INET, o->addr, &sin.sin_addr) != 1) {
        fprintf(stderr, "lisp-test-udpflow: bad address %s\n", o->addr);
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, bind_it ? SO_RCVBUF : SO_SNDBUF, &big, sizeof big);
    if (out)
        *out = sin;
    if (!bind_it && o->dst_count > 1)
        return fd; /* a destination per datagram (send_flow) */
    if ((bind_it ? bind(fd, (struct sockaddr *)&sin, sizeof sin)
                 : connect(fd, (struct sockaddr *)&sin, sizeof sin)) != 0) {
        fprintf(stderr, "lisp-test-udpflow: %s %s:%ld: %s\n", bind_it ? "bind" : "connect",
                o->addr, o->port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int sink(const opts *o)
{
    static uint8_t buf[BATCH][MAX_PAYLOAD + 1];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    unsigned long long received = 0, bytes = 0;
    double start, first = 0, last = 0;
    int fd = open_socket(o, 1, NULL), i;

    if (fd < 0)
        return 1;
    for (i = 0; i < BATCH; i++) {
        iov[i].iov_base = buf[i];
        iov[i].iov_len = sizeof buf[i];
    }
    printf("ready\n");
    fflush(stdout);
    start = now_s();
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        const double t = now_s();
        double wait = o->max_time - (t - start);
        int n;
        if (received && o->idle - (t - last) < wait)
            wait = o->idle - (t - last);
        if (wait <= 0)
            break;
        if (poll(&p, 1, (int)(wait * 1000) + 1) <= 0)
            continue;
        for (i = 0; i < BATCH; i++) {
            memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n <= 0)
            continue;
        last = now_s();
        if (!received)
            first = last;
        received += (unsigned)n;
        for (i = 0; i < n; i++)
            bytes += msgs[i].msg_len;
    }
    printf("{\"received\": %llu, \"bytes\": %llu, \"seconds\": %.6f, \"pps\": %.1f}\n", received,
           bytes, last - first, last > first ? (double)(received - 1) / (last - first) : 0.0);
    close(fd);
    return 0;
}

static int send_flow(const opts *o)
{
    static uint8_t buf[BATCH][MAX_PAYLOAD];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in to[BATCH], first;
    unsigned long long sent = 0;
    double start, t;
    int fd = open_socket(o, 0, &first), i;

    if (fd < 0)
        return 1;
    for (i = 0; i < BATCH; i++) {
        iov[i].iov_base = buf[i];
        iov[i].iov_len = (size_t)o->size;
        memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        if (o->dst_count > 1) {
            to[i] = first;
            msgs[i].msg_hdr.msg_name = &to[i];
            msgs[i].msg_hdr.msg_namelen = sizeof to[i];
        }
    }
    start = t = now_s();
    while (t - start < o->seconds) {
        unsigned burst = BATCH;
        int n;
        if (o->rate > 0) {
            /* pacing: what is due by now, at most one burst; sleep when nothing is */
            const double due = (t - start) * o->rate - (double)sent;
            if (due < 1) {
                const struct timespec nap = {0, (long)((1 - due) / o->rate * 1e9)};
                nanosleep(&nap, NULL);
                t = now_s();
                continue;
            }
            burst = due < BATCH ? (unsigned)due : BATCH;
        }
        for (i = 0; i < BATCH; i++) {
            const uint32_t seq = htonl((uint32_t)(sent + (unsigned)i));
            memcpy(buf[i], &seq, sizeof seq);
            if (o->dst_count > 1)
                to[i].sin_addr.s_addr =
                    htonl(ntohl(first.sin_addr.s_addr) +
                          (uint32_t)((sent + (unsigned)i) % (unsigned long long)o->dst_count));
        }
        n = sendmmsg(fd, msgs, burst, 0);
        if (n > 0)
            sent += (unsigned)n;
        else if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED && errno != EINTR) {
            fprintf(stderr, "lisp-test-udpflow: send: %s\n", strerror(errno));
            close(fd);
            return 1;
        }
        t = now_s();
    }
    printf("{\"sent\": %llu, \"seconds\": %.6f, \"pps\": %.1f}\n", sent, t - start,
           (double)sent / (t - start));
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    opts o;
    if (argc < 2 || parse(argc, argv, &o) != 0)
        return usage();
    if (!strcmp(argv[1], "sink"))
        return sink(&o);
    if (!strcmp(argv[1], "send"))
        return send_flow(&o);
    return usage();
}
