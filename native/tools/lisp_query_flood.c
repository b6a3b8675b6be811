/*
 * lisp_query_flood.c - the bounded flood of `request --flood` and `register --flood`, for
 * benchmarks: N messages with distinct nonces (base, base+1, ...), paced by --rate or as
 * fast as the socket takes them, replies counted by nonce while sending and for --timeout
 * after the last message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_query.h"

typedef struct flood_count {
    uint64_t base, n, sent, received, auth_failures, send_retries;
    lisp_time_t last_reply;
    uint8_t *seen; /* one bit per message: answered */
} flood_count;

/* Receive until the deadline (0: only what is already there) or every message is answered;
 * without match, what arrives is only discarded. 0, or -errno. */
static int drain(lq_session *s, lq_match_fn *match, flood_count *c, lisp_time_t deadline)
{
    lisp_endpoint from;
    size_t len;
    int rc = 0;

    while (c->received < c->n && (rc = lq_session_recv(s, deadline, &from, &len)) == 1) {
        uint64_t nonce = 0, k;
        int m = match ? match(s, len, &nonce) : 0;
        k = nonce - c->base;
        if (m == 0 || k >= c->sent)
            continue;
        if (m < 0) {
            c->auth_failures++;
            continue;
        }
        if (c->seen[k / 8] & (1u << (k % 8)))
            continue; /* a duplicate */
        c->seen[k / 8] |= (uint8_t)(1u << (k % 8));
        c->received++;
        c->last_reply = lq_now();
    }
    return rc < 0 ? rc : 0;
}

static double per_sec(uint64_t n, lisp_time_t ns)
{
    return ns ? (double)n * (double)LISP_NS_PER_SEC / (double)ns : 0.0;
}

static void report(const lq_session *s, const char *what, const char *reply_what,
                   const flood_count *c, lisp_time_t start, lisp_time_t send_end, bool replies)
{
    lisp_time_t send_ns = send_end - start;
    lisp_time_t reply_ns = c->received ? c->last_reply - start : 0;

    if (s->o->json) {
        printf("{\"command\": \"flood\", \"message\": \"%s\", \"sent\": %llu, \"received\": %llu, "
               "\"auth_failures\": %llu, \"send_retries\": %llu, \"send_s\": %.6f, "
               "\"send_rate\": %.1f, \"elapsed_s\": %.6f, \"reply_rate\": %.1f}\n",
               what, (unsigned long long)c->sent, (unsigned long long)c->received,
               (unsigned long long)c->auth_failures, (unsigned long long)c->send_retries,
               (double)send_ns / 1e9, per_sec(c->sent, send_ns), (double)reply_ns / 1e9,
               per_sec(c->received, reply_ns));
        return;
    }
    printf("sent: %llu %s in %.3f s (%.0f/s)\n", (unsigned long long)c->sent, what,
           (double)send_ns / 1e9, per_sec(c->sent, send_ns));
    if (!replies)
        return;
    printf("received: %llu %s (%.1f%%)", (unsigned long long)c->received, reply_what,
           c->sent ? 100.0 * (double)c->received / (double)c->sent : 0.0);
    if (c->auth_failures)
        printf(", %llu failed verification", (unsigned long long)c->auth_failures);
    printf("\nelapsed: %.3f s to the last reply\nrate: %.0f %s/s\n", (double)reply_ns / 1e9,
           per_sec(c->received, reply_ns), reply_what);
    if (c->send_retries)
        printf("send retries (queue full): %llu\n", (unsigned long long)c->send_retries);
}

int lq_flood(lq_session *s, const char *what, const char *reply_what, lq_build_fn *build,
             lq_match_fn *match)
{
    const lq_opts *o = s->o;
    flood_count c;
    lisp_time_t start, interval, send_end;
    bool failed = false;
    int rc = 0;

    memset(&c, 0, sizeof c);
    c.n = o->flood;
    c.base = lq_random64();
    c.seen = calloc((size_t)(c.n + 7) / 8, 1);
    if (!c.seen) {
        fprintf(stderr, "lisp-query: out of memory\n");
        return LQ_EXIT_SYSTEM;
    }
    interval = o->rate > 0 ? (lisp_time_t)((double)LISP_NS_PER_SEC / o->rate) : 0;
    start = lq_now();
    while (c.sent < c.n && rc == 0) {
        lisp_time_t slot = start + c.sent * interval;
        size_t len;
        int err;

        if (interval && lq_now() < slot) { /* paced: take replies until the next slot */
            rc = drain(s, match, &c, slot);
            continue;
        }
        err = build(s, c.sent, c.base + c.sent, &len);
        if (err < 0) {
            fprintf(stderr, "lisp-query: cannot encode message %llu: %s\n",
                    (unsigned long long)c.sent, lisp_strerror(err));
            failed = true;
            break;
        }
        err = lq_session_send(s, len);
        if (err == -ENOBUFS || err == -EAGAIN) { /* the queue is full: let replies in, retry */
            c.send_retries++;
            rc = drain(s, match, &c, lq_now() + LISP_NS_PER_MS);
            continue;
        }
        if (err < 0) {
            fprintf(stderr, "lisp-query: send: %s\n", strerror(-err));
            failed = true;
            break;
        }
        c.sent++;
        rc = drain(s, match, &c, 0);
    }
    send_end = lq_now();
    if (match && rc == 0 && !failed)
        rc = drain(s, match, &c, send_end + o->timeout);
    report(s, what, reply_what, &c, start, send_end, match != NULL);
    free(c.seen);
    if (rc < 0)
        fprintf(stderr, "lisp-query: receive: %s\n", strerror(-rc));
    if (rc < 0 || failed)
        return LQ_EXIT_SYSTEM;
    return c.sent == c.n && (!match || c.received > 0) ? LQ_EXIT_OK : LQ_EXIT_NO_REPLY;
}

lisp_eid lq_eid_range_at(const lisp_eid *range, uint64_t i)
{
    lisp_eid e = *range;
    unsigned bits = lisp_afi_bits(range->afi), host = bits - range->mask_len, b;

    if (host < 64)
        i &= (1ull << host) - 1;         /* wrap around inside the range */
    for (b = 0; b < host && b < 64; b++) /* host bits from the least significant up */
        if (i & (1ull << b)) {
            unsigned pos = bits - 1 - b;
            e.addr[pos / 8] |= (uint8_t)(0x80u >> (pos % 8));
        }
    e.mask_len = (uint8_t)bits;
    return e;
}
