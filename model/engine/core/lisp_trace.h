/*
 * lisp_trace.h - the typed events every engine reports to its host (ns-3 trace sources,
 * daemon log lines, test recorders), and the reasons it drops packets.
 *
 * Both vocabularies are tables (X-macros): adding a trace kind or a drop reason is one row
 * here; the names, the ns-3 trace source names and their help texts come from the row.
 * Hosts iterate lisp_trace_kind_info() instead of knowing the kinds.
 */
#ifndef LISP_TRACE_H
#define LISP_TRACE_H

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

/* The engine that emitted an event, and the roles a host can run (lisp_engine.h). */
typedef enum lisp_role {
    LISP_ROLE_NONE = 0,
    LISP_ROLE_XTR = 1, /* xTR, PITR, PETR */
    LISP_ROLE_MS = 2,  /* Map-Server */
    LISP_ROLE_MR = 3,  /* Map-Resolver */
    LISP_ROLE_NAT = 4, /* NAT44 (lisp_nat.h) */
} lisp_role;

/* name: text for logs and tests; source: the ns-3 trace source; help: what it means and
 * which fields of lisp_trace it fills (eid, peer, nonce, count, a payload). */
#define LISP_TRACE_KINDS(X)                                                                       \
    X(MAPCACHE_INSERT, "map-cache-insert", "MapCacheInsert",                                      \
      "A Map-Reply record entered the map-cache (eid; count: locators, 0 for a negative entry).") \
    X(MAPCACHE_EXPIRE, "map-cache-expire", "MapCacheExpire",                                      \
      "A map-cache entry's TTL ran out (eid).")                                                   \
    X(MAP_REQUEST_SENT, "map-request-sent", "MapRequestSent",                                     \
      "A Map-Request left (eid; nonce; peer: Map-Resolver or ETR; count: attempt).")              \
    X(MAP_REQUEST_RECEIVED, "map-request-received", "MapRequestReceived",                         \
      "A Map-Request arrived (eid; nonce; peer: the ITR-RLOC to answer).")                        \
    X(MAP_REQUEST_FORWARDED, "map-request-forwarded", "MapRequestForwarded",                      \
      "A Map-Request went on to a Map-Server or an ETR (eid; nonce; peer).")                      \
    X(MAP_REPLY_SENT, "map-reply-sent", "MapReplySent",                                           \
      "A Map-Reply left (eid; nonce; peer; count: locators).")                                    \
    X(MAP_REPLY_RECEIVED, "map-reply-received", "MapReplyReceived",                               \
      "A Map-Reply answered one of our Map-Requests (eid; nonce; peer; count: locators).")        \
    X(MAP_REGISTER_SENT, "map-register-sent", "MapRegisterSent",                                  \
      "A Map-Register left (nonce; peer: Map-Server; count: records).")                           \
    X(MAP_REGISTER_ACCEPTED, "map-register-accepted", "MapRegisterAccepted",                      \
      "A Map-Server registered or refreshed an EID-prefix (eid; nonce; peer: the xTR).")          \
    X(MAP_NOTIFY_SENT, "map-notify-sent", "MapNotifySent",                                        \
      "A Map-Notify left (nonce; peer; count: records).")                                         \
    X(MAP_NOTIFY_RECEIVED, "map-notify-received", "MapNotifyReceived",                            \
      "A Map-Notify arrived and verified (nonce; peer: Map-Server; count: records).")             \
    X(MAP_NOTIFY_ACK_SENT, "map-notify-ack-sent", "MapNotifyAckSent",                             \
      "A Map-Notify-Ack left (nonce; peer: Map-Server).")                                         \
    X(MAP_NOTIFY_ACK_RECEIVED, "map-notify-ack-received", "MapNotifyAckReceived",                 \
      "A Map-Notify-Ack acknowledged a Map-Notify (nonce; peer: the xTR).")                       \
    X(REGISTRATION_EXPIRED, "registration-expired", "RegistrationExpired",                        \
      "A Map-Server's registration of an EID-prefix timed out (eid).")                            \
    X(ENCAP, "encap", "Encapsulated",                                                             \
      "An EID packet left encapsulated (eid: inner destination; peer: the RLOC; count: bytes).")  \
    X(DECAP, "decap", "Decapsulated",                                                             \
      "A LISP data packet was decapsulated (eid: inner destination; peer: outer source; "         \
      "count: inner bytes).")                                                                     \
    X(FORWARD_NATIVE, "forward-native", "ForwardedNatively",                                      \
      "An EID packet left without encapsulation (eid: destination; count: bytes).")               \
    X(STATE_CHANGE, "state-change", "StateChange",                                                \
      "A state machine changed state (payload u.state; eid or peer names its subject).")          \
    X(LOCATOR_CHANGE, "locator-change", "LocatorChange",                                          \
      "A local locator was added, removed, went up or down, or changed address (payload "         \
      "u.locator).")                                                                              \
    X(REMOTE_LOCATOR_STATUS, "remote-locator-status", "RemoteLocatorStatus",                      \
      "Locator-status-bits from a remote site changed which of its locators are up (eid: the "    \
      "map-cache entry; count: the new bits).")                                                   \
    X(NAT_MAPPING_CREATED, "nat-mapping-created", "NatMappingCreated",                            \
      "A NAT created a mapping (payload u.nat; peer: the remote end of the packet that did).")    \
    X(NAT_MAPPING_REFRESHED, "nat-mapping-refreshed", "NatMappingRefreshed",                      \
      "A packet refreshed a NAT mapping (payload u.nat; peer: the remote end; count: 1 "          \
      "outbound, 2 inbound). Emitted only when a trace callback is set.")                         \
    X(NAT_MAPPING_EXPIRED, "nat-mapping-expired", "NatMappingExpired",                            \
      "A NAT mapping timed out (payload u.nat).")                                                 \
    X(INTERNAL_ERROR, "internal-error", "InternalError",                                          \
      "The engine failed on its own side, not the packet's (err: LISP_ERR_*; eid/peer when "      \
      "known).")                                                                                  \
    X(DROP, "drop", "Drop",                                                                       \
      "A packet or message was dropped (reason; err for malformed input; eid/peer when known).")

#define LISP_TRACE_ENUM_ROW(id, name, source, help) LISP_TRACE_##id,
typedef enum lisp_trace_kind {
    LISP_TRACE_NONE_ = 0,
    LISP_TRACE_KINDS(LISP_TRACE_ENUM_ROW) LISP_TRACE_KIND_END
} lisp_trace_kind;
#undef LISP_TRACE_ENUM_ROW
#define LISP_TRACE_KIND_COUNT ((int)LISP_TRACE_KIND_END) /* kinds are 1 .. COUNT-1 */

/* name: text for logs, tests and the ns-3 "Drop" trace source's first argument. */
#define LISP_DROP_REASONS(X)                                                                      \
    X(NONE, "none")                                                                               \
    X(MALFORMED, "malformed")                   /* did not decode; err holds the LISP_ERR_* */    \
    X(MAP_CACHE_MISS, "map-cache-miss")         /* no mapping yet, miss policy "drop" */          \
    X(QUEUE_FULL, "queue-full")                 /* no mapping yet, hold queue full */             \
    X(RESOLUTION_FAILED, "resolution-failed")   /* Map-Requests went unanswered */                \
    X(NEGATIVE_MAPPING, "negative-mapping")     /* negative entry that drops, or no PETR */       \
    X(NO_LOCATOR, "no-locator")                 /* no usable remote or local locator */           \
    X(NOT_OUR_EID, "not-our-eid")               /* for an EID this ETR does not serve */          \
    X(AUTH_FAILED, "auth-failed")               /* HMAC did not verify, or key-id refused */      \
    X(UNKNOWN_SITE, "unknown-site")             /* Map-Register for EIDs of no site */            \
    X(PREFIX_NOT_ALLOWED, "prefix-not-allowed") /* a record outside the site's prefixes */        \
    X(UNSOLICITED, "unsolicited")               /* reply/notify with no matching nonce */         \
    X(UNEXPECTED_TYPE, "unexpected-type")       /* a message this role does not accept */         \
    X(NO_ROUTE, "no-route")                     /* the host could not forward natively */         \
    X(TOO_BIG, "too-big")                       /* does not fit a buffer or the encoding */       \
    X(RECORD_NOT_REQUESTED, "record-not-requested") /* Map-Reply record not covering the EID */   \
    X(REPLAYED, "replayed")                     /* a nonce already seen, or an older version */   \
    X(SEND_FAILED, "send-failed")               /* the host could not send the datagram */        \
    X(NAT_FILTERED, "nat-filtered")             /* NAT: inbound refused by the filter */          \
    X(NAT_TABLE_FULL, "nat-table-full")         /* NAT: new flow, max_mappings reached */         \
    X(NAT_NO_MAPPING, "nat-no-mapping")         /* NAT: nothing to translate it with */           \
    X(NAT_PORTS_EXHAUSTED, "nat-ports-exhausted") /* NAT: no free external port */                \
    X(NAT_HAIRPIN_OFF, "nat-hairpin-off")       /* NAT: to a public mapping, no hairpin */

#define LISP_DROP_ENUM_ROW(id, name) LISP_DROP_##id,
typedef enum lisp_drop_reason {
    LISP_DROP_REASONS(LISP_DROP_ENUM_ROW) LISP_DROP_REASON_COUNT
} lisp_drop_reason;
#undef LISP_DROP_ENUM_ROW

/* What happened to a local locator (lisp_host.h, lisp_engine_locator_event). */
typedef enum lisp_locator_event_kind {
    LISP_LOCATOR_ADDED = 1,   /* a new local RLOC (address, interface, priority, weight) */
    LISP_LOCATOR_REMOVED = 2, /* the address is gone */
    LISP_LOCATOR_UP = 3,      /* its interface came up */
    LISP_LOCATOR_DOWN = 4,    /* its interface went down */
    LISP_LOCATOR_CHANGED = 5, /* renumbered: old_addr became addr (DHCP, handover) */
} lisp_locator_event_kind;

/* Payload of LISP_TRACE_STATE_CHANGE. Names are static strings. */
typedef struct lisp_trace_state {
    const char *machine; /* "registration", "resolution", "map-notify" */
    const char *from;
    const char *to;
    const char *event; /* what caused it: "notify-received", "timeout", ... */
} lisp_trace_state;

/* Payload of LISP_TRACE_LOCATOR_CHANGE. */
typedef struct lisp_trace_locator {
    uint8_t event;         /* lisp_locator_event_kind */
    uint32_t ifindex;      /* host numbering */
    lisp_endpoint addr;    /* the locator (port 0) */
    lisp_endpoint old_addr; /* LISP_LOCATOR_CHANGED: the previous address */
    uint32_t lsb;          /* the locator-status-bits the engine now sends */
} lisp_trace_locator;

/* Payload of a NAT mapping event (NAT engine). */
typedef struct lisp_trace_nat {
    uint8_t proto; /* IP protocol number */
    lisp_endpoint internal, external, remote;
} lisp_trace_nat;

typedef struct lisp_trace {
    uint8_t kind;   /* lisp_trace_kind */
    uint8_t reason; /* lisp_drop_reason, for LISP_TRACE_DROP */
    uint8_t role;   /* lisp_role of the engine that emitted it */
    int16_t err;    /* LISP_ERR_* for LISP_DROP_MALFORMED and internal errors, else 0 */
    lisp_time_t now;
    lisp_eid eid;       /* the EID or prefix concerned; afi 0 when none */
    lisp_endpoint peer; /* the other end; afi 0 when none */
    uint64_t nonce;
    uint32_t count; /* see the kind */
    union {
        lisp_trace_state state;
        lisp_trace_locator locator;
        lisp_trace_nat nat;
    } u;
} lisp_trace;

typedef struct lisp_trace_kind_desc {
    const char *name;   /* "map-request-sent" */
    const char *source; /* ns-3 trace source: "MapRequestSent" */
    const char *help;
} lisp_trace_kind_desc;

/* The row of a kind (1 .. LISP_TRACE_KIND_COUNT-1); NULL for anything else. */
const lisp_trace_kind_desc *lisp_trace_kind_info(int kind);

/* Text for logs and tests: "map-request-sent", "queue-full"; "unknown" otherwise. */
const char *lisp_trace_kind_name(int kind);
const char *lisp_drop_reason_name(int reason);
const char *lisp_role_name(int role);
const char *lisp_locator_event_name(int event);

/* Equality of address and port; the IPv4 form compares 4 bytes. */
bool lisp_endpoint_equal(const lisp_endpoint *x, const lisp_endpoint *y);
/* Equality of the addresses only (family and bytes), ports ignored. */
bool lisp_endpoint_same_addr(const lisp_endpoint *x, const lisp_endpoint *y);

/* "192.0.2.1:4342", "[2001:db8::1]:4342". Always NUL-terminates. */
const char *lisp_endpoint_to_str(const lisp_endpoint *e, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* LISP_TRACE_H */
