/*
 * lisp_ms.h - the LISP Map-Server engine (RFC 9301 sections 5.6-5.8 and 8.2-8.4): accepts
 * authenticated Map-Registers from the ETRs of configured sites, keeps their registrations
 * alive for a registration TTL, and answers or forwards Map-Requests for them.
 *
 *   lisp_ms_config cfg;
 *   lisp_ms_config_default(&cfg);
 *   cfg.sites = sites; cfg.n_sites = 2;
 *   lisp_ms *ms = lisp_ms_new(&cfg, &host, now);          // lisp_host.h
 *   lisp_ms_handle_udp(ms, now, &src, &dst, payload, len);   // arrived on port 4342
 *   lisp_ms_next_expiry(ms) -> re-arm the host timer -> lisp_ms_handle_expiry(ms, now)
 *   lisp_ms_free(ms);
 *
 * Map-Register: the site is the one whose configured EID-prefix is the longest match of the
 * first record's EID. The message is verified with that site's key (lisp_auth_verify) before
 * anything else in it is used; its key-id must be the site's. Each record must then lie in
 * one of the site's prefixes: the prefix itself, or a more-specific one when that prefix
 * has accept_more_specifics; other records are refused one by one
 * (LISP_DROP_PREFIX_NOT_ALLOWED) and the rest accepted. A record whose EID or a locator is
 * not IPv4/IPv6 is refused as LISP_DROP_MALFORMED.
 *
 * Merging: a registration (one EID-prefix) is the union of the current contributions of the
 * xTRs that register it. An xTR is identified by its xTR-ID when the Map-Register has the I
 * bit, else by the source address of the Map-Register. A new Map-Register from the same xTR
 * replaces its contribution (locators, TTL, P bit) and restarts its registration TTL; when a
 * contribution expires, the locator set shrinks to the others' and the registration goes
 * away with the last one (LISP_TRACE_REGISTRATION_EXPIRED). The merged set lists the xTRs'
 * locators in the order the xTRs first registered, each address once (the first xTR's
 * priority/weight wins), at most LISP_MAX_LOCATORS (what a receiver's decoder accepts).
 * A registration expires exactly at the last Map-Register time + registration_ttl (still
 * registered one nanosecond before). At most LISP_MS_MAX_XTRS xTRs per prefix; a record
 * from one more is refused as LISP_DROP_TOO_BIG.
 *
 * Map-Notify (M bit): to the Map-Register's source address and port, from port 4342, with
 * the same nonce, the records that were accepted (as received; none accepted: no
 * Map-Notify), the I bit with xTR-ID and site-ID echoed, the site's key-id with the
 * interoperable auth length (lisp_auth_default_len) and signed with the site's key.
 *
 * Map-Request (in an ECM, normally from a Map-Resolver, or plain), for its first EID-record:
 *   - registered, and proxy (the site's proxy_reply, or the P bit of any current
 *     contribution): a Map-Reply from the Map-Server with the merged locator set, the
 *     registered prefix, TTL as registered (the smallest of the contributions), A bit clear
 *     (a proxy reply is not authoritative), locator L and P bits cleared;
 *   - registered, not proxy: the ECM is forwarded to the ETR locator with the best
 *     (numerically lowest) priority in the merged set, at port 4342, with the same inner
 *     datagram; only the outer ECM word changes: E (to-ETR, RFC 9301 5.8) set, M cleared.
 *     A plain Map-Request is wrapped into such an ECM whose inner IP/UDP header carries the
 *     requester's address and port (so the ETR answers it, not us);
 *   - inside a configured site prefix, not registered: a negative Map-Reply, action
 *     natively-forward, TTL unregistered_ttl, for the shortest prefix that covers the EID,
 *     lies inside the site prefix and covers no registered prefix;
 *   - outside every configured prefix: a negative Map-Reply, action natively-forward, TTL
 *     negative_ttl, for the shortest prefix that covers the EID and no configured prefix.
 *   Negative replies carry the A bit: the mapping system is authoritative about what is not
 *   registered. Replies echo the nonce and go to the first ITR-RLOC of the AFI of the ECM's
 *   inner source (plain: of the datagram's source), else the first ITR-RLOC, at the ECM's
 *   inner UDP source port (plain: the datagram's source port). An EID-record encoded with
 *   an Instance-ID LCAF is answered with one.
 *
 * Other messages (Map-Notify-Ack, Map-Reply, Info-Request for now, ECMs not carrying a
 * Map-Request) are counted and traced as LISP_DROP_UNEXPECTED_TYPE; undecodable input as
 * LISP_DROP_MALFORMED with its LISP_ERR_*. Every control message is sent from port 4342 and
 * from the address the triggering datagram arrived on (dst), when it has the AFI of the
 * destination; otherwise the source address is left to the host (afi LISP_AFI_NONE).
 *
 * Co-location with a Map-Resolver on one node and one socket: see lisp_mr.h.
 *
 * Generic interface (lisp_engine.h): lisp_ms_engine(ms), role "ms" (config lisp_ms_config).
 *
 * Memory: the decode/encode buffers are the host's workspace (lisp_host.h), borrowed per
 * call. lisp_ms_new copies the configuration and allocates
 * the prefix tables; afterwards the engine allocates only when a registration (a prefix, or
 * an xTR of a prefix) is added or its locator set changes, and frees on expiry. Registrations
 * are registration_ttl-bounded. lisp_ms_free returns everything. No global state.
 */
#ifndef LISP_MS_H
#define LISP_MS_H

#include "lisp_auth.h"
#include "lisp_engine.h"
#include "lisp_mapcache.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LISP_MS_KEY_MAX 255 /* bytes of a site key */
#define LISP_MS_MAX_XTRS 64 /* xTRs merged into one registration */

typedef struct lisp_ms_prefix_config {
    lisp_eid prefix;            /* canonical: host bits zero */
    bool accept_more_specifics; /* also accept registrations of prefixes inside it */
} lisp_ms_prefix_config;

typedef struct lisp_ms_site_config {
    const char *name;                      /* for logs; copied; NULL: "" */
    uint16_t key_id;                       /* LISP_KEY_ID_HMAC_SHA1_96 or _SHA256_128 */
    const uint8_t *key;                    /* copied */
    size_t key_len;                        /* 0..LISP_MS_KEY_MAX */
    const lisp_ms_prefix_config *prefixes; /* copied; at least one */
    size_t n_prefixes;
    bool proxy_reply; /* answer Map-Requests for this site even without the P bit */
} lisp_ms_site_config;

typedef struct lisp_ms_config {
    const lisp_ms_site_config *sites; /* copied; a prefix belongs to at most one site */
    size_t n_sites;
    lisp_time_t registration_ttl; /* default 3 minutes */
    /* Record TTLs of negative Map-Replies, sent in whole minutes (rounded down). */
    lisp_time_t unregistered_ttl; /* configured but unregistered EIDs; default 1 minute */
    lisp_time_t negative_ttl;     /* EIDs outside every configured prefix; default 15 min */
    /* Unsolicited Map-Notify (see "Map-Notify"): the first retransmission interval
     * (default 1 s; doubles after each one) and how many retransmissions follow the first
     * transmission before the Map-Server gives up (default 3: sent at t, t+1, t+3, t+7 s,
     * given up at t+15 s; 0: sent once). */
    lisp_time_t notify_timeout;
    unsigned notify_retries;
    /* Refuse Map-Registers with nonce 0 (no replay protection by nonce; see "Security").
     * Default false: stock lig and RFC 9301 xTRs without the M bit send nonce 0. */
    bool reject_zero_nonce;
} lisp_ms_config;

typedef struct lisp_ms_stats {
    uint64_t received;         /* datagrams given to lisp_ms_handle_udp */
    uint64_t map_registers;    /* authenticated Map-Registers */
    uint64_t records_accepted; /* EID-records registered or refreshed */
    uint64_t map_notifies_sent;
    uint64_t map_requests;                 /* decoded Map-Requests (plain or in an ECM) */
    uint64_t proxy_replies;                /* Map-Replies for registered EIDs */
    uint64_t forwarded;                    /* Map-Requests forwarded to an ETR */
    uint64_t unregistered_replies;         /* negative: configured but not registered */
    uint64_t negative_replies;             /* negative: outside every configured prefix */
    uint64_t registrations_expired;        /* prefixes no longer registered */
    uint64_t xtrs_expired;                 /* single xTR contributions that expired */
    uint64_t map_registers_zero_nonce;     /* authenticated Map-Registers with nonce 0 */
    uint64_t map_notifies_unsolicited;     /* Map-Notifies started by a locator-set change */
    uint64_t map_notify_retransmits;
    uint64_t map_notify_acks;              /* verified Map-Notify-Acks of an outstanding nonce */
    uint64_t map_notify_give_ups;          /* Map-Notifies never acknowledged */
    uint64_t notify_waiting;               /* now: xTRs whose Map-Notify is unacknowledged */
    uint64_t notify_given_up;              /* now: xTRs in state gave-up */
    uint64_t requests_no_reply;            /* Map-Requests with the D bit: not answered */
    uint64_t ecm_bad_inner_checksum;       /* ECMs taken despite a wrong inner IPv4 checksum */
    lisp_common_stats common; /* drops by reason (records for refusals), internal errors */
} lisp_ms_stats;

/* One registration as lisp_ms_get_registration reports it. */
typedef struct lisp_ms_registration {
    lisp_eid prefix;
    size_t site;              /* index into the configuration's sites */
    unsigned xtr_count;       /* contributions merged */
    bool proxy_reply;         /* the Map-Server answers for it */
    uint32_t ttl;             /* record TTL of proxy replies, minutes */
    uint16_t map_version;     /* of the latest Map-Register */
    lisp_time_t expires;      /* when the next contribution expires */
    lisp_time_t expires_last; /* when the last one does (the prefix goes away) */
    uint8_t loc_count;
    const lisp_mapcache_loc *locators; /* the merged set; valid until the engine changes */
    unsigned notify_waiting;  /* its xTRs with an unacknowledged Map-Notify */
    unsigned notify_given_up; /* its xTRs whose Map-Notify was given up */
} lisp_ms_registration;

typedef struct lisp_ms lisp_ms;

/* Defaults as documented on each field; everything else zero. */
void lisp_ms_config_default(lisp_ms_config *cfg);

/* NULL on a bad config (no send or random callback, a prefix not canonical or in two
 * places, an unsupported key-id, a key too long, a site without prefixes), logged through
 * the host's log, or on allocation failure. The config and the host are copied. */
lisp_ms *lisp_ms_new(const lisp_ms_config *cfg, const lisp_host *host, lisp_time_t now);
void lisp_ms_free(lisp_ms *ms);

/* The engine as the generic interface sees it (lisp_engine_free frees it). */
lisp_engine *lisp_ms_engine(lisp_ms *ms);
/* The role "ms" of the role table. */
extern const lisp_role_desc lisp_ms_role;

/* A UDP payload that arrived on port 4342. Returns LISP_OK when it was handled or dropped
 * deliberately (see stats and traces), the LISP_ERR_* packet error when it did not decode,
 * or LISP_ERR_NOMEM. Expired registrations (now >= their expiry) are removed first. */
int lisp_ms_handle_udp(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst, const uint8_t *payload, size_t len);

/* When lisp_ms_handle_expiry must next run (LISP_TIME_NEVER: no registration). */
lisp_time_t lisp_ms_next_expiry(const lisp_ms *ms);
void lisp_ms_handle_expiry(lisp_ms *ms, lisp_time_t now);

const lisp_ms_stats *lisp_ms_get_stats(const lisp_ms *ms);
/* The counters of s by name ("map_registers", "drop.auth-failed"): writes up to cap, returns
 * how many there are. */
size_t lisp_ms_stats_list(const lisp_ms_stats *s, lisp_stat *out, size_t cap);

/* Registered prefixes. */
size_t lisp_ms_registration_count(const lisp_ms *ms);
/* The registration of exactly `prefix`; false when it is not registered. */
bool lisp_ms_get_registration(const lisp_ms *ms, const lisp_eid *prefix, lisp_ms_registration *out);

/* The configured EID-prefixes of all sites, in configuration order (sites, then their
 * prefixes); the Map-Resolver uses them for co-location (lisp_mr.h). */
size_t lisp_ms_prefix_count(const lisp_ms *ms);
const lisp_eid *lisp_ms_prefix_at(const lisp_ms *ms, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* LISP_MS_H */
