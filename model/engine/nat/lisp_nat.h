/*
 * lisp_nat.h - a NAT44 as a sans-I/O engine: every behaviour of RFC 4787 (UDP), RFC 5382
 * (TCP) and RFC 5508 (ICMP), configurable one by one or by a named preset.
 *
 *   lisp_nat_config cfg;
 *   lisp_nat_config_default(&cfg);            // or lisp_nat_preset(&cfg, "symmetric")
 *   cfg.n_public = 1; memcpy(cfg.public_addrs[0], pub, 4);
 *   lisp_nat *n = lisp_nat_new(&cfg, &host, now);   // host: env only (alloc, random, trace)
 *   switch (lisp_nat_outbound(n, now, ip, len)) { ... }   // a packet from the inside
 *   switch (lisp_nat_inbound(n, now, ip, len)) { ... }    // a packet from the outside
 *   lisp_nat_next_expiry(n) -> one timer -> lisp_nat_handle_expiry(n, now)
 *
 * A host (the ns-3 NAT router, the native NAT daemon) hands the engine every IPv4 packet
 * that crosses the NAT, inside -> outside or outside -> inside, as a writable buffer that
 * starts at the IPv4 header. The engine rewrites it in place (addresses, ports or ICMP
 * identifier, IPv4 and L4 checksums by incremental update, RFC 1624; for ICMP errors the
 * embedded header as well) and returns what the host does with it (lisp_nat_verdict). The
 * host decides nothing about translation: it forwards, sends back, delivers locally or
 * drops as the verdict says.
 *
 * Generic interface (lisp_engine.h): lisp_nat_engine(n), role "nat" (config
 * lisp_nat_config): ports 0, no EID side; timers, stats and free go through it. Packets go
 * through lisp_nat_outbound/lisp_nat_inbound, not through the engine's input.
 *
 * Trace events (lisp_trace.h, payload u.nat = {proto, internal, external, remote}):
 * NAT_MAPPING_CREATED, NAT_MAPPING_REFRESHED (only emitted when a trace callback is set;
 * count 1 outbound, 2 inbound), NAT_MAPPING_EXPIRED, and DROP with reason NAT_FILTERED
 * (count: the lisp_nat_behaviour of the filter that refused it), NAT_TABLE_FULL,
 * NAT_PORTS_EXHAUSTED, NAT_NO_MAPPING, NAT_HAIRPIN_OFF or MALFORMED (err). In mapping
 * events u.nat.remote is the remote the mapping depends on (afi 0 under endpoint-
 * independent mapping) and peer the remote end of the packet; in drops u.nat.remote and
 * peer are the packet's remote end.
 *
 * Filtering: a mapping accepts inbound packets from anyone (endpoint-independent), from
 * an address its internal endpoint has sent to through it (address-dependent), or from
 * an address and port it has sent to (address-and-port-dependent). The first remote is
 * kept in the mapping; further ones in a permission table bounded by max_mappings
 * (permissions_full counts what did not fit). Each mapping has its own external
 * address and port (no port overloading). TCP: one tracker per mapping (RFC 5382 section
 * 5): an outbound SYN opens it (transitory timeout), traffic both ways makes it
 * established, FIN both ways or an RST makes it transitory again.
 */
#ifndef LISP_NAT_H
#define LISP_NAT_H

#include "lisp_engine.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LISP_NAT_MAX_PUBLIC 16 /* public addresses of one NAT */

/* Mapping (RFC 4787 section 4.1) and filtering (section 5) behaviour. */
typedef enum lisp_nat_behaviour {
    LISP_NAT_ENDPOINT_INDEPENDENT = 0,
    LISP_NAT_ADDRESS_DEPENDENT = 1,
    LISP_NAT_ADDRESS_PORT_DEPENDENT = 2,
} lisp_nat_behaviour;

/* External port of a new mapping (RFC 4787 section 4.2). */
typedef enum lisp_nat_port_policy {
    LISP_NAT_PORT_PRESERVE = 0,   /* the internal port when free in the range, else random */
    LISP_NAT_PORT_SEQUENTIAL = 1, /* the next free port after the last one given */
    LISP_NAT_PORT_RANDOM = 2,     /* a uniformly random free port (host's random) */
} lisp_nat_port_policy;

/* Which public address a new mapping gets (RFC 4787 section 4.1, REQ-2). */
typedef enum lisp_nat_pooling {
    LISP_NAT_POOL_PAIRED = 0,    /* one internal address always gets the same public one */
    LISP_NAT_POOL_ARBITRARY = 1, /* any public address with a free port */
} lisp_nat_pooling;

typedef struct lisp_nat_config {
    uint8_t mapping;     /* lisp_nat_behaviour; default endpoint-independent */
    uint8_t filtering;   /* lisp_nat_behaviour; default address-and-port-dependent */
    uint8_t port_policy; /* lisp_nat_port_policy; default preserve */
    uint8_t pooling;     /* lisp_nat_pooling; default paired */
    uint16_t port_min;   /* external port range (also ICMP identifiers); default 1024; 0 is
                          * taken as 1 */
    uint16_t port_max;   /* default 65535 */
    uint8_t n_public;    /* at least one */
    uint8_t public_addrs[LISP_NAT_MAX_PUBLIC][4]; /* IPv4, network byte order */
    /* Mapping lifetimes, refreshed by outbound packets (and inbound ones when
     * inbound_refresh). Defaults: RFC 4787 REQ-5 UDP 5 min; RFC 5382 REQ-5 TCP established
     * 2 h 4 min, transitory (SYN seen, FIN/RST seen) 4 min; RFC 5508 REQ-1 ICMP query 60 s.
     * Any value is taken: a shorter one is how a rebinding experiment is set up. */
    lisp_time_t udp_timeout;
    lisp_time_t tcp_established_timeout;
    lisp_time_t tcp_transitory_timeout;
    lisp_time_t icmp_timeout;
    bool inbound_refresh;  /* default false (RFC 4787 REQ-6 allows either) */
    bool hairpinning;      /* default true (RFC 4787 REQ-9, with the external source) */
    uint32_t max_mappings; /* table bound; default 65536; full: new flows refused, counted */
} lisp_nat_config;

/* What the host does with a packet after lisp_nat_outbound / lisp_nat_inbound. */
typedef enum lisp_nat_verdict {
    LISP_NAT_FORWARD = 0, /* rewritten: send it on in the direction it was going */
    LISP_NAT_HAIRPIN = 1, /* outbound to one of our public mappings, rewritten both ways:
                           * send it back to the inside */
    LISP_NAT_PASS = 2,    /* not translated and not refused (inbound with no mapping to an
                           * address that is not ours, or to ours for the router itself):
                           * handle it as the node would without a NAT */
    LISP_NAT_DROP = 3,    /* refused or undecodable: counted and traced; drop it */
} lisp_nat_verdict;

typedef struct lisp_nat_stats {
    uint64_t outbound; /* packets translated inside -> outside */
    uint64_t inbound;  /* packets translated outside -> inside */
    uint64_t hairpinned;
    uint64_t passed;   /* LISP_NAT_PASS verdicts */
    uint64_t mappings; /* now: active mappings */
    uint64_t mappings_created;
    uint64_t mappings_expired;
    uint64_t filtered;               /* inbound refused by the filtering behaviour */
    uint64_t table_full;             /* new flows refused because the table was full */
    uint64_t ports_exhausted;        /* new flows refused: no free port on any public address */
    uint64_t permissions_full;       /* remotes not remembered for filtering: the permission table
                                      * (as big as max_mappings) was full */
    uint64_t icmp_errors_translated; /* ICMP errors about a mapping, both directions */
    uint64_t fragments;       /* fragments translated, first and later (see lisp_nat_outbound) */
    lisp_common_stats common; /* drops by reason, internal errors */
} lisp_nat_stats;

typedef struct lisp_nat lisp_nat;

/* Defaults as documented on each field; no public address. */
void lisp_nat_config_default(lisp_nat_config *cfg);
/* Set the behaviours of a named preset, leaving addresses, ranges and timeouts alone:
 *   "full-cone"              EIM, endpoint-independent filtering
 *   "restricted-cone"        EIM, address-dependent filtering
 *   "port-restricted-cone"   EIM, address-and-port-dependent filtering
 *   "symmetric"              address-and-port-dependent mapping and filtering, random ports
 *   "linux-masquerade"       EIM, port preserved, address-and-port-dependent filtering
 *   "carrier-grade"          EIM, paired pooling, random ports, endpoint-independent
 *                            filtering (RFC 6888)
 * LISP_OK, or LISP_ERR_INVALID_ARG for an unknown name (cfg unchanged). */
int lisp_nat_preset(lisp_nat_config *cfg, const char *name);
/* The i-th preset name (0 ..), or NULL past the end. */
const char *lisp_nat_preset_at(size_t i);

/* NULL on a bad config (no public address or more than LISP_NAT_MAX_PUBLIC, port_min >
 * port_max, an unknown behaviour, max_mappings 0 or above 2^30, no random callback) or
 * allocation failure. Only host->env is used. Memory grows with the mappings (about 90
 * bytes each, docs/design.md), not with max_mappings. */
lisp_nat *lisp_nat_new(const lisp_nat_config *cfg, const lisp_host *host, lisp_time_t now);
void lisp_nat_free(lisp_nat *n);

/* An IPv4 packet (len bytes at ip, starting at the IPv4 header) from the inside. Rewritten
 * in place; returns a lisp_nat_verdict. Not IPv4, or not UDP/TCP/ICMP: PASS untouched.
 * Only the IPv4 total length is used (bytes after it are left alone); IHL is honoured
 * (options are kept). Checksums are updated, never verified: a wrong one stays wrong.
 * TTL is not touched (the host's forwarding decrements it).
 *
 * Outbound:
 *   UDP, TCP, ICMP echo/timestamp request: the mapping of (source, port or identifier
 *     [, destination as the mapping behaviour keys it]) is found and refreshed, or created;
 *     the source becomes its external address and port. FORWARD.
 *   to one of our public addresses: a port (or identifier) outside [port_min, port_max] or
 *     an ICMP query is for the router itself: PASS untouched. Otherwise hairpinning
 *     (REQ-9): the source becomes the sender's external endpoint, the destination the
 *     internal endpoint of the mapping it names (after that mapping's filtering) and the
 *     verdict is HAIRPIN; DROP NAT_HAIRPIN_OFF when hairpinning is off, NAT_NO_MAPPING when
 *     no mapping has that endpoint. Fragmented datagrams are not hairpinned (DROP).
 *   ICMP errors (destination unreachable, source quench, time exceeded, parameter
 *     problem) about a packet that came in translated: the quoted destination, its port or
 *     identifier, its checksums, the ICMP checksum and the outer source are translated.
 *   anything else ICMP (replies, unknown types, errors about no mapping): DROP
 *     NAT_NO_MAPPING (private addresses do not leak).
 *   new flow refused: DROP NAT_TABLE_FULL (max_mappings) or NAT_PORTS_EXHAUSTED.
 *   truncated or inconsistent IPv4/L4 headers: DROP MALFORMED.
 * Fragments: the first fragment (offset 0, MF set) carries the ports and is translated as
 * above; the engine then remembers (source, destination, protocol, IP ID) -> new address
 * in a 256-entry table for 30 s, and later fragments (offset > 0) with that key get the
 * same address rewrite (their IPv4 checksum only). A later fragment without an entry
 * (before its first fragment, or after the entry was overwritten or aged): DROP
 * NAT_NO_MAPPING. Fragments do not refresh mappings on their own. */
int lisp_nat_outbound(lisp_nat *n, lisp_time_t now, uint8_t *ip, size_t len);
/* An IPv4 packet from the outside. Rewritten in place; returns a lisp_nat_verdict:
 *   to an address that is not one of ours: PASS untouched (once its IPv4 header is good;
 *     the L4 header is not looked at).
 *   to a port (identifier) outside [port_min, port_max], ICMP other than echo/timestamp
 *     replies and errors, errors about a flow of the router itself: PASS (for the router).
 *   to the external endpoint of a mapping: filtered (DROP NAT_FILTERED, count: the
 *     filtering behaviour), else the destination becomes the internal endpoint; refreshes
 *     the mapping when inbound_refresh. FORWARD. No such mapping: DROP NAT_NO_MAPPING.
 *   ICMP errors quoting a packet that left translated (its source is our external
 *     endpoint): the quoted source, port or identifier and checksums, the ICMP checksum and
 *     the outer destination become internal. The quoted destination passes the mapping's
 *     filter. Errors do not refresh.
 *   fragments: as for lisp_nat_outbound. */
int lisp_nat_inbound(lisp_nat *n, lisp_time_t now, uint8_t *ip, size_t len);

/* count packets of one direction at once (a burst from a ring or recvmmsg): verdicts[i]
 * is what lisp_nat_outbound / lisp_nat_inbound would have returned for ip[i], len[i]
 * called one by one in order at now, and the packets are rewritten the same way; only
 * the memory accesses of their lookups overlap, which on a large table makes them
 * several times faster per packet. */
void lisp_nat_outbound_batch(lisp_nat *n, lisp_time_t now, uint8_t *const *ip, const size_t *len,
                             size_t count, int *verdicts);
void lisp_nat_inbound_batch(lisp_nat *n, lisp_time_t now, uint8_t *const *ip, const size_t *len,
                            size_t count, int *verdicts);

/* The earliest time a mapping may expire (LISP_TIME_NEVER: none). O(1). It is never later
 * than the first real expiry, and may be earlier when that mapping was refreshed since it
 * was filed: handle_expiry then files it again at its new deadline. A packet for a
 * mapping whose deadline has passed finds it expired even before handle_expiry runs. */
lisp_time_t lisp_nat_next_expiry(const lisp_nat *n);
void lisp_nat_handle_expiry(lisp_nat *n, lisp_time_t now);

const lisp_nat_stats *lisp_nat_get_stats(const lisp_nat *n);
/* The configuration the engine runs with (a copy taken by lisp_nat_new), for operators. */
const lisp_nat_config *lisp_nat_get_config(const lisp_nat *n);
size_t lisp_nat_stats_list(const lisp_nat_stats *s, lisp_stat *out, size_t cap);

/* One active mapping, as lisp_nat_mapping_at reports it (for operators and tests). */
typedef struct lisp_nat_mapping_info {
    uint8_t proto;          /* 17, 6 or 1 */
    lisp_endpoint internal; /* address and port (ICMP: identifier) inside */
    lisp_endpoint external; /* public address and port */
    lisp_endpoint remote;   /* the remote end the mapping depends on (afi 0 for EIM) */
    lisp_time_t expires;
} lisp_nat_mapping_info;

size_t lisp_nat_mapping_count(const lisp_nat *n);
/* The i-th active mapping in an unspecified but stable order while nothing changes. */
bool lisp_nat_mapping_at(const lisp_nat *n, size_t i, lisp_nat_mapping_info *out);

/* The engine as the generic interface sees it (lisp_engine_free frees it). */
lisp_engine *lisp_nat_engine(lisp_nat *n);
lisp_nat *lisp_nat_from_engine(lisp_engine *e);
extern const lisp_role_desc lisp_nat_role;

#ifdef __cplusplus
}
#endif

#endif /* LISP_NAT_H */
