/*
 * lisp_mr.h - the LISP Map-Resolver engine (RFC 9301 section 8.1, 8.3): receives
 * ECM-encapsulated Map-Requests from ITRs and forwards each to the Map-Server responsible for
 * the requested EID, or answers with a negative Map-Reply when no Map-Server is.
 *
 *   lisp_mr_config cfg;
 *   lisp_mr_config_default(&cfg);
 *   cfg.entries = table; cfg.n_entries = 2;     // EID-prefix -> Map-Server
 *   lisp_mr *mr = lisp_mr_new(&cfg, &host, now);          // lisp_host.h
 *   lisp_mr_handle_udp(mr, now, &src, &dst, payload, len);   // arrived on port 4342
 *   lisp_mr_free(mr);
 *
 * ECM Map-Request: every EID-record is looked up (longest match) in the table on its own.
 *   - covered: forwarded to that entry's Map-Server, port 4342 unless configured otherwise
 *     (LISP_TRACE_MAP_REQUEST_FORWARDED per record): the ECM unchanged (same bytes) when all
 *     the request's records go there, otherwise a new ECM with the same flags and inner
 *     IP/UDP header carrying only that Map-Server's records; one datagram per Map-Server;
 *   - not covered: a negative record, action natively-forward, TTL negative_ttl (whole
 *     minutes), A bit set, for the shortest prefix that covers the EID and no configured
 *     EID-prefix of the same instance-ID and AFI (10.1.0.0/16 and 10.2.0.0/16 configured:
 *     10.3.0.5 -> 10.3.0.0/16, 11.0.0.1 -> 11.0.0.0/8). Such records go out together in one
 *     Map-Reply, nonce echoed, from port 4342 to the first ITR-RLOC of the AFI of the ECM's
 *     inner source (else the first ITR-RLOC) at the ECM's inner UDP source port; with the D
 *     bit (no Map-Reply wanted) they are not sent (counted: requests_no_reply), while
 *     forwarded records still go to their Map-Servers, which honour the D bit themselves.
 * An ECM whose inner IPv4 header checksum is wrong or zero (LISPmob lig) is taken and
 * counted (ecm_bad_inner_checksum); its inner UDP checksum must verify.
 * A plain (not encapsulated) Map-Request, any other message, or an ECM not carrying a
 * Map-Request is counted and traced as LISP_DROP_UNEXPECTED_TYPE; undecodable input as
 * LISP_DROP_MALFORMED. The Map-Resolver keeps no state between datagrams: next_expiry is
 * always LISP_TIME_NEVER.
 *
 * Co-location. A Map-Server and a Map-Resolver usually run on one node and share UDP port
 * 4342. One host application runs both engines, each with its own lisp_io, and
 *   1. gives the Map-Resolver the Map-Server as cfg.local_ms: every EID-prefix configured in
 *      that Map-Server becomes a "local" table entry (an explicit entry for the same prefix
 *      takes precedence), and explicit entries may be marked local as well. An ECM
 *      Map-Request for a local entry is handed to lisp_ms_handle_udp(local_ms, ...) directly,
 *      with the original datagram, source and destination (or, when the request's records go
 *      to several places, an ECM of its local records only, copied into a buffer of the
 *      Map-Resolver's own since the Map-Server borrows the same workspace), instead of
 *      being sent to ourselves (traced as forwarded, peer = the address it arrived on, port
 *      4342); it comes after everything the Map-Resolver sends itself. The
 *      Map-Server must outlive the Map-Resolver; the host re-arms the Map-Server's timer
 *      after lisp_mr_handle_udp as after lisp_ms_handle_udp.
 *   2. demultiplexes the shared socket with lisp_mr_dispatch (or lisp_mr_handle_shared_udp,
 *      which does both steps): an ECM without the M (to-MS) bit goes to the Map-Resolver,
 *      everything else (Map-Register, a plain Map-Request, an ECM with the M bit set by a
 *      co-located resolver per RFC 9301 section 5.8, Map-Notify-Ack, Info-Request, and
 *      undecodable input, which the Map-Server counts) to the Map-Server.
 *
 * Memory: lisp_mr_new copies the configuration and allocates everything (with local_ms, one
 * LISP_MSG_MAX buffer for split requests); the per-packet path allocates nothing. No global
 * state.
 */
#ifndef LISP_MR_H
#define LISP_MR_H

#include "lisp_engine.h"
#include "lisp_mapcache.h"
#include "lisp_ms.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lisp_mr_entry {
    lisp_eid prefix;          /* canonical: host bits zero */
    lisp_endpoint map_server; /* port 0 means 4342; unused when local */
    bool local;               /* served by cfg.local_ms */
} lisp_mr_entry;

typedef struct lisp_mr_config {
    const lisp_mr_entry *entries; /* copied; each prefix once */
    size_t n_entries;
    lisp_time_t negative_ttl; /* record TTL of negative Map-Replies; default 15 minutes */
    lisp_ms *local_ms;        /* co-located Map-Server (see above), or NULL; not owned */
} lisp_mr_config;

typedef struct lisp_mr_stats {
    uint64_t received;     /* datagrams given to lisp_mr_handle_udp */
    uint64_t map_requests; /* decoded ECM Map-Requests */
    uint64_t forwarded;    /* sent to a remote Map-Server */
    uint64_t local;        /* handed to the co-located Map-Server */
    uint64_t negative_replies;   /* records answered negatively */
    uint64_t requests_no_reply;  /* D bit: negative answers not sent */
    uint64_t ecm_bad_inner_checksum; /* ECMs taken despite a wrong inner IPv4 checksum */
    lisp_common_stats common; /* drops by reason, send failures, internal errors */
} lisp_mr_stats;

typedef struct lisp_mr lisp_mr;

/* Defaults as documented on each field; everything else zero. */
void lisp_mr_config_default(lisp_mr_config *cfg);

/* NULL on a bad config (no send callback, a prefix not canonical or listed twice, a local
 * entry without local_ms, a remote Map-Server that is not IPv4/IPv6), logged through the
 * host's log, or on allocation failure. The config and the host are copied. */
lisp_mr *lisp_mr_new(const lisp_mr_config *cfg, const lisp_host *host, lisp_time_t now);
void lisp_mr_free(lisp_mr *mr);

/* The engine as the generic interface sees it (lisp_engine_free frees it). */
lisp_engine *lisp_mr_engine(lisp_mr *mr);
/* The roles "mr" (config lisp_mr_config) and "ms+mr" (config lisp_ms_mr_config: a
 * Map-Server and a co-located Map-Resolver on one port, as one engine). */
extern const lisp_role_desc lisp_mr_role;
extern const lisp_role_desc lisp_ms_mr_role;

typedef struct lisp_ms_mr_config {
    lisp_ms_config ms;
    lisp_mr_config mr; /* its local_ms is set to the bundle's Map-Server */
} lisp_ms_mr_config;

void lisp_ms_mr_config_default(lisp_ms_mr_config *cfg);
/* NULL on a bad config of either engine or allocation failure. */
lisp_engine *lisp_ms_mr_new(const lisp_ms_mr_config *cfg, const lisp_host *host, lisp_time_t now);
/* The bundle's engines (for their typed accessors); NULL when e is no ms+mr bundle. */
lisp_ms *lisp_ms_mr_ms(lisp_engine *e);
lisp_mr *lisp_ms_mr_mr(lisp_engine *e);

/* A UDP payload that arrived on port 4342. Returns LISP_OK when it was handled or dropped
 * deliberately (see stats and traces), or the LISP_ERR_* packet error when it did not
 * decode; for a local entry, what lisp_ms_handle_udp returned. */
int lisp_mr_handle_udp(lisp_mr *mr, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst, const uint8_t *payload, size_t len);

/* Always LISP_TIME_NEVER (the Map-Resolver is stateless); handle_expiry does nothing. */
lisp_time_t lisp_mr_next_expiry(const lisp_mr *mr);
void lisp_mr_handle_expiry(lisp_mr *mr, lisp_time_t now);

const lisp_mr_stats *lisp_mr_get_stats(const lisp_mr *mr);
/* The counters of s by name: writes up to cap, returns how many there are. */
size_t lisp_mr_stats_list(const lisp_mr_stats *s, lisp_stat *out, size_t cap);

/* Table entries, explicit ones first, then those imported from local_ms. */
size_t lisp_mr_entry_count(const lisp_mr *mr);
const lisp_mr_entry *lisp_mr_entry_at(const lisp_mr *mr, size_t i);

/* ---- one socket for a co-located Map-Server and Map-Resolver ---- */

typedef enum lisp_mr_target {
    LISP_MR_TO_MS = 1, /* give the datagram to lisp_ms_handle_udp */
    LISP_MR_TO_MR = 2, /* give it to lisp_mr_handle_udp */
} lisp_mr_target;

/* Which engine takes a datagram that arrived on the shared port 4342 (rule above). */
lisp_mr_target lisp_mr_dispatch(const uint8_t *payload, size_t len);

/* lisp_mr_dispatch, then the Map-Resolver or its cfg.local_ms (a Map-Resolver without
 * local_ms takes everything). Returns what that engine's handle_udp returned. */
int lisp_mr_handle_shared_udp(lisp_mr *mr, lisp_time_t now, const lisp_endpoint *src,
                              const lisp_endpoint *dst, const uint8_t *payload, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LISP_MR_H */
