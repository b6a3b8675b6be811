/* lisp_fake_io.c - the recording fake of the host contract (see lisp_fake_io.h). */
#include "lisp_fake_io.h"

#include <stdlib.h>
#include <string.h>

/* Overflowing the fake's fixed storage is a test bug, not an engine bug: stop loudly. */
static fake_packet *next_slot(fake_packet *arr, size_t *n)
{
    if (*n >= FAKE_MAX_PACKETS)
        abort();
    return &arr[(*n)++];
}

static void record(fake_packet *p, const lisp_endpoint *src, const lisp_endpoint *dst,
                   const uint8_t *data, size_t len)
{
    if (len > FAKE_PACKET_MAX)
        abort();
    memset(p, 0, sizeof *p);
    if (src)
        p->src = *src;
    if (dst)
        p->dst = *dst;
    p->len = len;
    memcpy(p->data, data, len);
}

static int fake_send(void *u, const lisp_dgram *d, const uint8_t *payload, size_t len)
{
    fake_io *f = u;
    fake_packet *p;

    if (f->send_result < 0)
        return f->send_result;
    p = next_slot(f->sent, &f->n_sent);
    record(p, &d->src, &d->dst, payload, len);
    p->ttl = d->ttl;
    p->tos = d->tos;
    return LISP_OK;
}

static int fake_deliver(void *u, const lisp_packet_info *info, const uint8_t *pkt, size_t len)
{
    fake_io *f = u;
    (void)info;
    record(next_slot(f->delivered, &f->n_delivered), NULL, NULL, pkt, len);
    return LISP_OK;
}

static int fake_native(void *u, const uint8_t *pkt, size_t len)
{
    fake_io *f = u;
    if (f->native_fails)
        return LISP_ERR_INVALID_ARG;
    record(next_slot(f->native, &f->n_native), NULL, NULL, pkt, len);
    return LISP_OK;
}

/* xorshift64*: deterministic and good enough for nonces in tests. */
static uint64_t fake_random(void *u)
{
    fake_io *f = u;
    uint64_t x = f->random_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    f->random_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static void fake_trace(void *u, const lisp_trace *ev)
{
    fake_io *f = u;
    if (f->n_traces >= FAKE_MAX_TRACES)
        abort();
    f->traces[f->n_traces++] = *ev;
}

void fake_io_init(fake_io *f, uint64_t seed)
{
    memset(f, 0, sizeof *f);
    f->random_state = seed ? seed : 1;
    f->host.env.user_data = f;
    f->host.env.random = fake_random;
    f->host.env.trace = fake_trace;
    f->host.out.send = fake_send;
    f->host.out.deliver = fake_deliver;
    f->host.out.forward_native = fake_native;
}

void fake_io_clear(fake_io *f)
{
    f->n_sent = f->n_delivered = f->n_native = f->n_traces = 0;
}

size_t fake_io_count_traces(const fake_io *f, int kind, int reason)
{
    size_t i, n = 0;
    for (i = 0; i < f->n_traces; i++)
        if (f->traces[i].kind == kind && (reason == 0 || f->traces[i].reason == reason))
            n++;
    return n;
}

const lisp_trace *fake_io_find_trace(const fake_io *f, int kind, size_t i)
{
    size_t k;
    for (k = 0; k < f->n_traces; k++)
        if (f->traces[k].kind == kind && i-- == 0)
            return &f->traces[k];
    return NULL;
}
