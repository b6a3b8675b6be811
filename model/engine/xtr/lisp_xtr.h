/*
 * lisp_xtr.h - the LISP tunnel router engine: ITR and ETR of a site (RFC 9300, RFC 9301),
 * and, by configuration, the proxy roles of RFC 6832 (PITR: encapsulates traffic from
 * non-LISP sources; PETR: decapsulates traffic for non-LISP destinations).
 *
 *   lisp_xtr_config cfg;
 *   lisp_xtr_config_default(&cfg);
 *   ... cfg.eids, cfg.rlocs, cfg.map_resolvers, cfg.map_servers ...
 *   lisp_xtr *x = lisp_xtr_new(&cfg, &host, now);   // lisp_host.h
 *   lisp_xtr_start(x, now);                         // first Map-Registers
 *   lisp_xtr_eid_packet(x, now, ip, len);           // from the site (or, PITR: the Internet)
 *   lisp_xtr_input(x, now, &dgram, p, n);           // from ports 4341 and 4342
 *   lisp_xtr_locator_event(x, now, &ev);            // a local RLOC changed
 *   lisp_xtr_next_expiry(x) -> re-arm the host timer -> lisp_xtr_handle_expiry(x, now)
 *
 * The engine is a composition of components (docs/design.md, "Engine components"):
 *   locator table  (model/engine/locators)  the RLOCs of cfg.rlocs with run-time state
 *                                           (up/down, interface), our locator-status-bits,
 *                                           the outer source of each packet
 *   ITR core       (model/engine/itr)       map-cache, resolution FSM (Map-Requests with
 *                                           back-off across resolvers), hold queue,
 *                                           encapsulation, PETR use, remote LSBs
 *   ETR core       (model/engine/etr)       decapsulation, Map-Reply / RLOC-probe answers
 *   registration   (model/engine/register)  one FSM per Map-Server: Map-Register retries
 *                                           until Map-Notify, refresh, Map-Notify-Ack
 * Their headers (*_internal.h) carry the protocol details; in short:
 *
 * ITR: a miss sends an ECM'd Map-Request (retried with exponential back-off, rotating
 * resolvers) and drops or holds the packet (miss_policy). Only the most specific record
 * of a Map-Reply that covers the requested EID is installed (others: drop reason
 * record-not-requested), its TTL capped at mapcache_max_ttl. Encapsulation copies the
 * inner TTL and TOS to the outer header, sends our locator-status-bits (a PITR sends none),
 * the instance-ID when not 0, from a usable local RLOC of the remote locator's family, from
 * port 4341 (fixed_data_port) or a flow hash port. A remote locator whose site's LSBs say
 * it is down is not used until they say it is up.
 * ETR: decapsulates (inner TTL = min(inner, outer)) and delivers packets for its
 * EID-prefixes (a PETR forwards the rest natively); answers Map-Requests for every record
 * it serves, except with the D bit.
 * Registration: Map-Registers every register_interval, retried with back-off while the
 * requested Map-Notify does not come (then "failed", counted in registrations_failed, and
 * tried again an interval later), at once after a locator event; an unsolicited
 * Map-Notify for our prefixes is answered with a Map-Notify-Ack.
 *
 * Addressing: an ECM'd Map-Request uses 4342 as inner UDP source port, so Map-Replies come
 * back to the control port; every control message is sent from 4342.
 *
 * Memory: the config is not kept (each component copies the little it needs; keys become
 * prepared HMAC contexts for their key-id only); message and packet buffers are the host's
 * workspace (lisp_host.h), borrowed per call; the hold queue and the resolution table are
 * allocated on the first miss; the map-cache allocates when a Map-Reply adds an entry. The
 * per-packet path allocates nothing. test_xtr_memory measures an idle xTR.
 */
#ifndef LISP_XTR_H
#define LISP_XTR_H

#include "lisp_engine.h"
#include "lisp_mapcache.h"
#include "lisp_xtr_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lisp_xtr_map_server {
    lisp_endpoint addr; /* port 0 means 4342 */
    uint16_t key_id;    /* LISP_KEY_ID_HMAC_SHA1_96 or LISP_KEY_ID_HMAC_SHA256_128 */
    uint16_t key_len;   /* 0..LISP_AUTH_KEY_MAX */
    uint8_t key[LISP_AUTH_KEY_MAX];
} lisp_xtr_map_server;

typedef struct lisp_xtr_config {
    /* The site: its EID-prefixes (with their instance-ID) and its RLOCs (address, priority,
     * weight; port unused), in the order of the locator-status-bits, all up at start, on
     * the interfaces rloc_ifindex (0: unknown). A PITR or PETR has no EID-prefixes. */
    uint8_t n_eids;
    lisp_eid eids[LISP_XTR_MAX_EIDS];
    uint8_t n_rlocs;
    lisp_mapcache_loc rlocs[LISP_XTR_MAX_RLOCS];
    uint32_t rloc_ifindex[LISP_XTR_MAX_RLOCS];

    /* Mapping system. Ports 0 mean 4342 (and 4341 for PETRs). */
    uint8_t n_map_resolvers;
    lisp_endpoint map_resolvers[LISP_XTR_MAX_SERVERS];
    uint8_t n_map_servers;
    lisp_xtr_map_server map_servers[LISP_XTR_MAX_SERVERS];
    uint8_t n_petrs;
    lisp_endpoint petrs[LISP_XTR_MAX_SERVERS];

    /* Registration (ETR). */
    lisp_time_t register_interval;      /* default 60 s */
    lisp_time_t register_retry_timeout; /* without Map-Notify: first retry; default 1 s */
    uint8_t register_retries;           /* retries of a round before "failed"; default 3 */
    bool want_map_notify;               /* M bit; default true */
    bool proxy_reply;                   /* P bit: ask the Map-Server to answer for us */
    bool use_xtr_id;                    /* I bit with xtr_id and site_id */
    uint8_t xtr_id[16];                 /* lisp_xtr_id_parse */
    uint8_t site_id[8];                 /* lisp_xtr_site_id_parse */
    /* TTL of our records in Map-Replies and Map-Registers; the wire carries whole minutes,
     * rounded down (LISP_TIME_NEVER: 0xFFFFFFFF, never expires). Default 1 day. */
    lisp_time_t mapping_ttl;

    /* Resolution (ITR). */
    lisp_miss_policy miss_policy;  /* default LISP_MISS_DROP */
    uint16_t queue_packets;        /* hold-queue slots (all destinations); default 64 */
    uint16_t max_pending;          /* destinations being resolved at once; default 64 */
    lisp_time_t request_timeout;   /* first retry after this, then doubling; default 1 s */
    uint8_t request_retries;       /* retransmissions before giving up; default 3 */
    uint32_t mapcache_max_entries; /* default 100000; 0 = unbounded */
    /* Longest a Map-Reply's mapping stays (its TTL is capped, in whole minutes, rounded
     * down); at least one minute, LISP_TIME_NEVER: no cap. Default 1 day. */
    lisp_time_t mapcache_max_ttl;
    uint32_t iid;        /* instance-ID for packets from outside our EIDs */
    uint16_t max_packet; /* largest EID packet held, bytes; default 2048 */
    /* Send data from source port 4341 instead of a port derived from the flow hash
     * (middleboxes that pass only 4341; later also NAT keep-alives). Default false. */
    bool fixed_data_port;

    /* Proxy roles (RFC 6832). */
    bool pitr; /* Map-Requests carry the p bit and no source EID */
    bool petr; /* decapsulate packets for any destination and forward them natively */
} lisp_xtr_config;

typedef struct lisp_xtr lisp_xtr;

/* Defaults as documented on each field; everything else zero. */
void lisp_xtr_config_default(lisp_xtr_config *cfg);

/* An xTR-ID from exactly 32 hexadecimal digits (either case, nothing else), or a site-ID
 * from exactly 16. LISP_OK, or LISP_ERR_INVALID_ARG with out unchanged. */
int lisp_xtr_id_parse(const char *text, uint8_t out[16]);
int lisp_xtr_site_id_parse(const char *text, uint8_t out[8]);

/* NULL on a bad config (no send/random callback, a prefix that is not canonical, an
 * unsupported key-id, a key longer than LISP_AUTH_KEY_MAX, a duplicate RLOC) or allocation
 * failure. The config is not kept. */
lisp_xtr *lisp_xtr_new(const lisp_xtr_config *cfg, const lisp_host *host, lisp_time_t now);
void lisp_xtr_free(lisp_xtr *x);

/* Begin registering (the first Map-Registers go out now). An xTR without Map-Servers or
 * EID-prefixes never registers. */
void lisp_xtr_start(lisp_xtr *x, lisp_time_t now);

/* An IP packet from the EID side that the site routes through this ITR. Returns LISP_OK
 * when it was sent, queued or deliberately dropped (see the trace), or a LISP_ERR_* when
 * it is not an IP packet. */
int lisp_xtr_eid_packet(lisp_xtr *x, lisp_time_t now, const uint8_t *pkt, size_t len);

/* A UDP payload that arrived at local port d->dst.port (4341: data, 4342: control), with
 * its metadata (the outer TTL and TOS of data packets matter). */
int lisp_xtr_input(lisp_xtr *x, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                   size_t len);

/* A local locator event (lisp_locators_internal.h has the semantics of each kind): the
 * locator-status-bits and source choice follow at once, and, once started, every
 * Map-Server gets a new Map-Register now. LISP_ERR_INVALID_ARG when the event names no
 * locator of ours (nothing changes). */
int lisp_xtr_locator_event(lisp_xtr *x, lisp_time_t now, const lisp_locator_event *ev);

/* When lisp_xtr_handle_expiry must next run (LISP_TIME_NEVER: nothing scheduled). */
lisp_time_t lisp_xtr_next_expiry(const lisp_xtr *x);
void lisp_xtr_handle_expiry(lisp_xtr *x, lisp_time_t now);

const lisp_xtr_stats *lisp_xtr_get_stats(const lisp_xtr *x);
/* The counters of s by name: writes up to cap, returns how many there are. */
size_t lisp_xtr_stats_list(const lisp_xtr_stats *s, lisp_stat *out, size_t cap);

/* The engine as the generic interface sees it (lisp_engine_free frees it). */
lisp_engine *lisp_xtr_engine(lisp_xtr *x);
/* The xTR behind a generic engine; NULL when e is no xTR. */
lisp_xtr *lisp_xtr_from_engine(lisp_engine *e);
/* The role "xtr" (config lisp_xtr_config): xTR, PITR or PETR by configuration. */
extern const lisp_role_desc lisp_xtr_role;
const lisp_mapcache *lisp_xtr_mapcache(const lisp_xtr *x);

/* True once a Map-Notify from every Map-Server acknowledged our latest registration. */
bool lisp_xtr_registered(const lisp_xtr *x);
/* The registration state with Map-Server i ("idle", "registering", "registered",
 * "failed"), or NULL past the last one. */
const char *lisp_xtr_registration_state(const lisp_xtr *x, unsigned i);
/* The locator-status-bits the xTR now sends (bit i: RLOC i is up). */
uint32_t lisp_xtr_lsb(const lisp_xtr *x);

/* One local RLOC as the locator table now has it (operators' "show locators"). */
typedef struct lisp_xtr_locator {
    lisp_endpoint addr; /* port 0 */
    uint32_t ifindex;   /* host numbering; 0 unknown */
    uint8_t priority;
    uint8_t weight;
    bool up;
} lisp_xtr_locator;

/* Local RLOCs, in the order of the locator-status-bits (RLOC i is bit i). */
unsigned lisp_xtr_locator_count(const lisp_xtr *x);
/* RLOC i into out; false past the last one. */
bool lisp_xtr_locator_at(const lisp_xtr *x, unsigned i, lisp_xtr_locator *out);

/* The registration with one Map-Server (operators' "show registrations"). */
typedef struct lisp_xtr_registration {
    lisp_endpoint map_server; /* port set */
    uint16_t key_id;
    const char *state;       /* as lisp_xtr_registration_state; static */
    unsigned tries;          /* Map-Registers sent in the current round */
    lisp_time_t round_at;    /* when the current round began; LISP_TIME_NEVER: none yet */
    lisp_time_t notified_at; /* the Map-Notify that last acknowledged a round; NEVER: none */
    lisp_time_t next_at;     /* the next Map-Register (retry or refresh); NEVER: none */
} lisp_xtr_registration;

/* Map-Servers, in configuration order. */
unsigned lisp_xtr_map_server_count(const lisp_xtr *x);
/* The registration with Map-Server i into out; false past the last one. */
bool lisp_xtr_map_server_at(const lisp_xtr *x, unsigned i, lisp_xtr_registration *out);

/* Drop every map-cache entry (operators' "clear map-cache"): the next packet to each
 * destination misses and is resolved again. Resolutions in progress go on, and their
 * replies are installed. No traces (nothing expired); one log line. Returns the number of
 * entries dropped, or LISP_ERR_NOMEM with the map-cache unchanged. */
int lisp_xtr_clear_mapcache(lisp_xtr *x);
/* Bytes the engine holds through the host's allocator (the map-cache included; OpenSSL's
 * HMAC contexts are not: they come from OPENSSL_malloc). */
size_t lisp_xtr_memory_bytes(const lisp_xtr *x);

#ifdef __cplusplus
}
#endif

#endif /* LISP_XTR_H */
