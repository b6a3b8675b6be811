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
 * Map-Register: the site is the one whose configured EID-prefix is the longest to cover the
 * whole first record (ms_config_covering). The message is verified with that site's key
 * (lisp_auth_verify) before anything else in it is used; its key-id must be the site's. Each
 * record must then belong to that site: the longest configured prefix covering it is the
 * site's, and is the record's prefix itself or accepts more-specifics
 * (accept_more_specifics); other records are refused one by one
 * (LISP_DROP_PREFIX_NOT_ALLOWED) and the rest accepted. So a site configured for 10.0.0.0/8
 * with more-specifics cannot register 10.64.0.0/10 or anything inside it when another site
 * is configured for 10.64.0.0/10. A record whose EID or a locator is not IPv4/IPv6 is
 * refused as LISP_DROP_MALFORMED. A record TTL of 0 is kept as MS_RECORD_TTL_DEFAULT (1440
 * minutes), so that proxy Map-Replies never carry TTL 0.
 *
 * Replay (see docs/design.md, "Map-Server security"): a record is refused as
 * LISP_DROP_REPLAYED when the xTR (below) already registered the prefix with the same
 * non-zero nonce within the registration TTL (the last 8 nonces are remembered per xTR and
 * prefix), or with a map-version older than its current one (RFC 9302 serial arithmetic on
 * 12 bits: newer when 1..2047 ahead; an xTR that versions cannot go back to version 0; the
 * same version is a refresh). Nonce 0 (lig; RFC 9301 xTRs without the M bit) is not checked
 * and is counted (map_registers_zero_nonce); reject_zero_nonce refuses such Map-Registers.
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
 * from one more is refused as LISP_DROP_TOO_BIG. An update is all or nothing: when the
 * engine cannot store it (allocation failure), the registration stays as it was, the record
 * is counted as an internal error (LISP_TRACE_INTERNAL_ERROR) and is not in the Map-Notify.
 *
 * Solicited Map-Notify (M bit): to the Map-Register's source address and port, from port
 * 4342, with the same nonce, the records that were accepted (as received; none accepted: no
 * Map-Notify), the I bit with xTR-ID and site-ID echoed, the site's key-id with the
 * interoperable auth length (lisp_auth_default_len) and signed with the site's key. It is
 * sent once: an xTR that misses it sends its Map-Register again.
 *
 * Unsolicited Map-Notify (RFC 9301 sections 5.7, 8.2): when the merged locator set of a
 * registration changes (an xTR's contribution added, changed, removed or expired; a refresh
 * that leaves the set as it was is no change), every other xTR of the prefix (not the one
 * whose Map-Register caused it: it has its solicited Map-Notify) is sent a Map-Notify: a new
 * random nonce, one record (the prefix, the merged set, the registration's TTL and
 * map-version, A bit), the I bit with that xTR's xTR-ID and site-ID when it registered with
 * them, signed with the site's key, to the source address and port of its latest
 * Map-Register, from the address that Map-Register arrived on. One state machine per xTR and
 * prefix ("map-notify": idle -> wait-ack -> idle | gave-up; docs/design.md) retransmits it
 * with the same nonce after notify_timeout, doubling the interval, notify_retries times, and
 * gives up one interval after the last (counted: map_notify_give_ups, notify_given_up, and
 * per registration in lisp_ms_registration); a further change starts again with a new nonce.
 * A Map-Notify-Ack ends it when its nonce is the outstanding one, its HMAC verifies with the
 * site's key (key-id the site's), and it comes from that xTR (its xTR-ID when both carry
 * one, else the address it registered from); an Ack with an unknown nonce or from another
 * xTR is LISP_DROP_UNSOLICITED, one that does not verify LISP_DROP_AUTH_FAILED. Every state
 * change is a LISP_TRACE_STATE_CHANGE (eid: the prefix, peer: the xTR).
 *
 * Map-Request (in an ECM, normally from a Map-Resolver, or plain): the D bit (no Map-Reply
 * wanted) is counted (requests_no_reply) and nothing is sent. Otherwise every EID-record is
 * decided on its own (RFC 9301 5.3: receivers process every record):
 *   - registered, and proxy (the site's proxy_reply, or the P bit of any current
 *     contribution): a record with the merged locator set, TTL as registered (the smallest
 *     of the contributions), A bit clear (a proxy reply is not authoritative), locator L and
 *     P bits cleared, for the registered prefix, or, when registrations more specific than
 *     it (or prefixes configured for another site) lie inside it, for the shortest prefix
 *     inside it that contains the EID and none of them (10.1.0.0/16 with 10.1.5.0/24
 *     registered too: 10.1.4.1 -> 10.1.4.0/24);
 *   - registered, not proxy: forwarded to the ETR locator that is usable (R bit set,
 *     priority below 255) with the best priority, then the highest weight, then the first,
 *     at port 4342 (none usable: LISP_DROP_NO_LOCATOR); in an ECM with E (to-ETR, RFC 9301
 *     5.8) set and M cleared: the datagram as received when it is an ECM whose records all
 *     go to that ETR, otherwise a new ECM with that ETR's records only, keeping the inner
 *     IP/UDP header (a plain Map-Request: an inner header carrying the requester's address
 *     and port, so that the ETR answers it, not us); one ECM per ETR;
 *   - inside a configured site prefix, not registered (or inside another site's configured
 *     prefix that is more specific than the registration covering it): a negative record,
 *     action natively-forward, TTL unregistered_ttl, for the shortest prefix that covers the
 *     EID, lies inside the site prefix and covers no registered prefix and no prefix
 *     configured for another site;
 *   - outside every configured prefix: a negative record, action natively-forward, TTL
 *     negative_ttl, for the shortest prefix that covers the EID and no configured prefix.
 *   The records the Map-Server answers itself go out in one Map-Reply, in request order (a
 *   second one with the same nonce when LISP_MAX_RECORDS or LISP_MAX_LOCATORS would be
 *   exceeded). Negative records carry the A bit: the mapping system is authoritative about
 *   what is not registered. Replies echo the nonce and go to the first ITR-RLOC of the AFI of
 *   the ECM's inner source (plain: of the datagram's source), else the first ITR-RLOC, at
 *   the ECM's inner UDP source port (plain: the datagram's source port). An EID-record
 *   encoded with an Instance-ID LCAF is answered with one.
 *   An ECM whose inner IPv4 header checksum is wrong or zero (LISPmob lig never fills it in)
 *   is taken and counted (ecm_bad_inner_checksum); its inner UDP checksum, which covers the
 *   addresses, must verify.
 *
 * Timers: the engine has named timers (registration expiry, Map-Notify retransmission);
 * lisp_ms_next_expiry is their earliest deadline and lisp_ms_handle_expiry (or any input
 * that arrives after a deadline) runs them, earliest first.
 *
 * Other messages (Map-Reply, Map-Notify, Info-Request for now, ECMs not carrying a
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
 * an xTR of a prefix) is added or its locator set changes, and frees on expiry. The
 * Map-Notify state and the replay history live in the xTR's contribution (no allocation of
 * their own). Registrations
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

#define LISP_MS_KEY_MAX LISP_AUTH_KEY_MAX /* bytes of a site key: one limit for every engine */
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
/* The Map-Server behind a generic engine of role "ms"; NULL for anything else (the
 * "ms+mr" bundle's Map-Server: lisp_ms_mr_ms, lisp_mr.h). */
lisp_ms *lisp_ms_from_engine(lisp_engine *e);
/* The role "ms" of the role table. */
extern const lisp_role_desc lisp_ms_role;

/* A UDP payload that arrived on port 4342. Returns LISP_OK when it was handled or dropped
 * deliberately (see stats and traces), the LISP_ERR_* packet error when it did not decode,
 * or LISP_ERR_NOMEM. Expired registrations (now >= their expiry) are removed first. */
int lisp_ms_handle_udp(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst, const uint8_t *payload, size_t len);

/* When lisp_ms_handle_expiry must next run: the earliest registration expiry or Map-Notify
 * retransmission (LISP_TIME_NEVER: neither). */
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

/* ---- read-only views for operators (lispctl "show registrations", "show sites") ---- */

/* Visit every registration, ordered by (iid, afi, address, mask_len); cb may use the
 * read-only calls (lisp_ms_registration_xtr, ...) but must not give the engine input or
 * time. A non-zero return from cb stops the walk and is returned. */
typedef int lisp_ms_registration_visit(void *user, const lisp_ms_registration *reg);
int lisp_ms_foreach_registration(const lisp_ms *ms, lisp_ms_registration_visit *cb, void *user);

/* One xTR's contribution to a registration. */
typedef struct lisp_ms_xtr_info {
    bool by_xtr_id; /* identified by its xTR-ID (I bit), else by rloc */
    uint8_t xtr_id[LISP_XTR_ID_LEN];
    uint8_t site_id[LISP_SITE_ID_LEN];
    lisp_endpoint rloc;  /* source of its latest Map-Register */
    lisp_time_t expires; /* its contribution's end */
    bool proxy_reply;    /* P bit */
    uint32_t ttl;        /* record TTL, minutes */
    uint16_t map_version;
    uint8_t loc_count;        /* locators it registered */
    const char *notify_state; /* "idle", "wait-ack", "gave-up"; static */
} lisp_ms_xtr_info;

/* xTR i (0 .. xtr_count - 1) of the registration of exactly prefix; false when there is
 * no such registration or xTR. */
bool lisp_ms_registration_xtr(const lisp_ms *ms, const lisp_eid *prefix, unsigned i,
                              lisp_ms_xtr_info *out);

typedef struct lisp_ms_site_info {
    const char *name; /* as configured ("" without one); valid as long as the engine */
    uint16_t key_id;
    bool proxy_reply;
} lisp_ms_site_info;

/* Configured sites, in configuration order (lisp_ms_registration.site indexes them). */
size_t lisp_ms_site_count(const lisp_ms *ms);
bool lisp_ms_site_at(const lisp_ms *ms, size_t i, lisp_ms_site_info *out);

/* Configured EID-prefix i (as lisp_ms_prefix_at) with its site. */
typedef struct lisp_ms_prefix_info {
    lisp_eid prefix;
    size_t site; /* index of lisp_ms_site_at */
    bool accept_more_specifics;
} lisp_ms_prefix_info;
bool lisp_ms_prefix_info_at(const lisp_ms *ms, size_t i, lisp_ms_prefix_info *out);

#ifdef __cplusplus
}
#endif

#endif /* LISP_MS_H */
