/*
 * lisp_io.h - what every LISP role engine (xTR, PxTR, Map-Server, Map-Resolver, RTR)
 * gets from and gives to its host: the callback table, addresses with ports, and the
 * typed trace events that ns-3 turns into trace sources and the daemons into log lines.
 *
 * Engines never open sockets, read clocks or draw random numbers themselves. Packets
 * and `now` come in through each engine's calls; everything an engine does goes out
 * through this table. Timers are not callbacks: after each call the host asks the
 * engine for its next expiry and re-arms one timer (docs/design.md).
 *
 * Callbacks run synchronously inside the engine call that triggered them and must not
 * call back into the same engine. Buffers passed to them are valid only for the call.
 */
#ifndef LISP_IO_H
#define LISP_IO_H

#include "lisp_mapcache.h"
#include "lisp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An IPv4/IPv6 address with a UDP port; afi LISP_AFI_NONE means "unspecified". */
typedef struct lisp_endpoint {
    uint16_t afi;     /* LISP_AFI_IPV4, LISP_AFI_IPV6 or LISP_AFI_NONE */
    uint16_t port;    /* host byte order */
    uint8_t addr[16]; /* network byte order; IPv4 in addr[0..3] */
} lisp_endpoint;

enum { LISP_LOG_DEBUG = 0, LISP_LOG_INFO = 1, LISP_LOG_WARN = 2, LISP_LOG_ERROR = 3 };

typedef enum lisp_trace_kind {
    LISP_TRACE_MAPCACHE_INSERT = 1, /* eid: the prefix; count: locators (0: negative) */
    LISP_TRACE_MAPCACHE_EXPIRE,     /* eid: the prefix that left the cache */
    LISP_TRACE_MAP_REQUEST_SENT,    /* eid; nonce; peer: Map-Resolver or ETR; count: attempt */
    LISP_TRACE_MAP_REQUEST_RECEIVED,/* eid; nonce; peer: the ITR-RLOC that will be answered */
    LISP_TRACE_MAP_REQUEST_FORWARDED, /* eid; nonce; peer: next Map-Server or ETR */
    LISP_TRACE_MAP_REPLY_SENT,      /* eid; nonce; peer; count: locators */
    LISP_TRACE_MAP_REPLY_RECEIVED,  /* eid; nonce; peer; count: locators */
    LISP_TRACE_MAP_REGISTER_SENT,   /* nonce; peer: Map-Server; count: records */
    LISP_TRACE_MAP_REGISTER_ACCEPTED, /* Map-Server: eid; nonce; peer: the xTR */
    LISP_TRACE_MAP_NOTIFY_SENT,     /* nonce; peer; count: records */
    LISP_TRACE_MAP_NOTIFY_RECEIVED, /* nonce; peer: Map-Server; count: records */
    LISP_TRACE_REGISTRATION_EXPIRED,/* Map-Server: eid no longer registered */
    LISP_TRACE_ENCAP,               /* eid: inner destination /32 or /128; peer: RLOC; count: bytes */
    LISP_TRACE_DECAP,               /* eid: inner destination; peer: outer source; count: bytes */
    LISP_TRACE_FORWARD_NATIVE,      /* eid: destination; count: bytes */
    LISP_TRACE_DROP,                /* reason; err for malformed input; eid/peer when known */
} lisp_trace_kind;

typedef enum lisp_drop_reason {
    LISP_DROP_NONE = 0,
    LISP_DROP_MALFORMED,         /* did not decode; err holds the LISP_ERR_* */
    LISP_DROP_MAP_CACHE_MISS,    /* no mapping yet and the miss policy is "drop" */
    LISP_DROP_QUEUE_FULL,        /* no mapping yet and the hold queue is full */
    LISP_DROP_RESOLUTION_FAILED, /* Map-Requests went unanswered: held packets dropped */
    LISP_DROP_NEGATIVE_MAPPING,  /* a negative entry whose action drops, or no PETR */
    LISP_DROP_NO_LOCATOR,        /* a positive entry with no usable locator */
    LISP_DROP_NOT_OUR_EID,       /* decapsulated packet for an EID this ETR does not serve */
    LISP_DROP_AUTH_FAILED,       /* HMAC did not verify, or key-id not accepted */
    LISP_DROP_UNKNOWN_SITE,      /* Map-Register for EIDs of no configured site */
    LISP_DROP_PREFIX_NOT_ALLOWED,/* a registered prefix outside the site's prefixes */
    LISP_DROP_UNSOLICITED,       /* reply or notify with no matching nonce */
    LISP_DROP_UNEXPECTED_TYPE,   /* a message this role does not accept */
    LISP_DROP_NO_ROUTE,          /* the host could not forward it natively */
    LISP_DROP_TOO_BIG,           /* would not fit the engine's packet buffer (keep last) */
} lisp_drop_reason;

typedef struct lisp_trace {
    uint8_t kind;   /* lisp_trace_kind */
    uint8_t reason; /* lisp_drop_reason, for LISP_TRACE_DROP */
    int16_t err;    /* LISP_ERR_* for LISP_DROP_MALFORMED, else 0 */
    lisp_time_t now;
    lisp_eid eid;       /* the EID or prefix concerned; afi 0 when none */
    lisp_endpoint peer; /* the other end; afi 0 when none */
    uint64_t nonce;
    uint32_t count; /* see the kind */
} lisp_trace;

/* Text for logs and tests: "map-request-sent", "queue-full". */
const char *lisp_trace_kind_name(int kind);
const char *lisp_drop_reason_name(int reason);

typedef struct lisp_io {
    void *user_data; /* passed to every callback */

    /* Send one UDP datagram. src->afi may be LISP_AFI_NONE (the host picks the address);
     * src->port is the source port. Required. */
    void (*send)(void *user_data, const lisp_endpoint *src, const lisp_endpoint *dst,
                 const uint8_t *payload, size_t len);

    /* Hand a decapsulated IP packet to the EID side (into the site). Required for roles
     * that decapsulate to a site. */
    void (*deliver)(void *user_data, const uint8_t *ip_packet, size_t len);

    /* Send an IP packet into the underlay without encapsulation (PETR, and the
     * natively-forward action). Returns LISP_OK, or a negative value when the host could
     * not (no route, or a route back into the overlay): the engine then counts a
     * LISP_DROP_NO_ROUTE. NULL: such packets are dropped. */
    int (*forward_native)(void *user_data, const uint8_t *ip_packet, size_t len);

    /* 64 uniformly random bits (nonces, jitter). Required. */
    uint64_t (*random)(void *user_data);

    /* Optional observers. */
    void (*trace)(void *user_data, const lisp_trace *ev);
    void (*log)(void *user_data, int level, const char *message);
} lisp_io;

/* Equality of address and port; the IPv4 form compares 4 bytes. */
bool lisp_endpoint_equal(const lisp_endpoint *x, const lisp_endpoint *y);

/* "192.0.2.1:4342", "[2001:db8::1]:4342". Always NUL-terminates. */
const char *lisp_endpoint_to_str(const lisp_endpoint *e, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* LISP_IO_H */
