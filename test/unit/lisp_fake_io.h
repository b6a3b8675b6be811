/*
 * lisp_fake_io.h - a recording fake of the host contract (lisp_host.h) for engine unit tests
 * (nghttp2 style): it counts every call and keeps copies of what the engine sent,
 * delivered, forwarded and traced, so tests can assert on exact outputs.
 */
#ifndef LISP_FAKE_IO_H
#define LISP_FAKE_IO_H

#include "lisp_host.h"

#define FAKE_MAX_PACKETS 256
#define FAKE_MAX_TRACES 1024
#define FAKE_PACKET_MAX 2048

typedef struct fake_packet {
    lisp_endpoint src;
    lisp_endpoint dst;
    uint8_t ttl, tos; /* sent datagrams: as the engine asked */
    size_t len;
    uint8_t data[FAKE_PACKET_MAX];
} fake_packet;

typedef struct fake_io {
    lisp_host host; /* hand &fake.host to the engine */
    size_t n_sent, n_delivered, n_native, n_traces;
    fake_packet sent[FAKE_MAX_PACKETS];
    fake_packet delivered[FAKE_MAX_PACKETS];
    fake_packet native[FAKE_MAX_PACKETS];
    lisp_trace traces[FAKE_MAX_TRACES];
    uint64_t random_state; /* deterministic: the same seed, the same nonces */
    bool native_fails;     /* forward_native reports "no route" */
    int send_result;       /* what send returns (LISP_OK, or an error to simulate) */
} fake_io;

/* Reset everything and wire the callbacks; seed drives the random callback. */
void fake_io_init(fake_io *f, uint64_t seed);

/* Forget recorded outputs (keeps the random state). */
void fake_io_clear(fake_io *f);

/* How many traces of a kind (and, for drops, of a reason; reason 0 = any) were seen. */
size_t fake_io_count_traces(const fake_io *f, int kind, int reason);

/* The i-th recorded trace of a kind, or NULL. */
const lisp_trace *fake_io_find_trace(const fake_io *f, int kind, size_t i);

#endif /* LISP_FAKE_IO_H */
