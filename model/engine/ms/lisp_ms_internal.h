/* lisp_ms_internal.h - the Map-Server engine's state, shared by its registration, registry
 * and request files, and the Map-Request helpers the Map-Resolver shares (internal). */
#ifndef LISP_MS_INTERNAL_H
#define LISP_MS_INTERNAL_H

#include "lisp_auth.h"
#include "lisp_ctx_internal.h"
#include "lisp_mem_internal.h"
#include "lisp_ms.h"
#include "lisp_msg.h"
#include "lisp_workspace.h"

#define MS_RECORD_TTL_DEFAULT 1440u /* minutes, when a record registers TTL 0 */

typedef struct ms_site {
    char *name;
    size_t name_len;
    uint16_t key_id;
    lisp_auth_key *key; /* prepared once: no allocation when verifying or signing */
    bool proxy_reply;
} ms_site;

typedef struct ms_prefix {
    lisp_eid prefix;
    uint32_t site;
    bool accept_more_specifics;
} ms_prefix;

/* ---- the Map-Notify state machine of one xTR of one registration (lisp_ms_notify.c) ---- */

typedef enum ms_notify_state {
    MS_NOTIFY_IDLE = 0, /* nothing unacknowledged */
    MS_NOTIFY_WAIT_ACK, /* a Map-Notify is out; retransmitted until acknowledged */
    MS_NOTIFY_GAVE_UP,  /* retransmissions exhausted; until the next change */
    MS_NOTIFY_STATE_COUNT
} ms_notify_state;

typedef enum ms_notify_event {
    MS_NEV_CHANGED = 0, /* the registration's merged locator set changed */
    MS_NEV_TIMEOUT,     /* the retransmission timer fired */
    MS_NEV_ACK,         /* a verified Map-Notify-Ack with the outstanding nonce */
    MS_NEV_REMOVED,     /* the xTR's contribution (or the registration) went away */
    MS_NEV_COUNT
} ms_notify_event;

#define MS_NONCE_HISTORY 8 /* Map-Register nonces remembered per xTR and prefix */

typedef struct ms_reg ms_reg;

/* What one xTR currently contributes to a registration. Allocated on its own, so that the
 * notify timer list can point to it while the registration's array of xTRs changes. */
typedef struct ms_xtr {
    ms_reg *reg; /* the registration it belongs to */
    bool by_xtr_id;
    uint8_t xtr_id[LISP_XTR_ID_LEN];
    uint8_t site_id[LISP_SITE_ID_LEN];
    lisp_endpoint rloc;  /* source of its latest Map-Register (the key without xTR-ID) */
    lisp_endpoint local; /* where that Map-Register arrived (afi 0: unknown) */
    lisp_time_t expires;
    bool proxy;   /* P bit */
    uint32_t ttl; /* record TTL, minutes (never 0: MS_RECORD_TTL_DEFAULT instead) */
    uint16_t map_version;
    uint8_t loc_count;
    uint8_t loc_cap;
    lisp_mapcache_loc *locs;

    /* Replay protection: the latest nonces of its Map-Registers for this prefix. */
    uint64_t nonces[MS_NONCE_HISTORY];
    lisp_time_t nonce_until[MS_NONCE_HISTORY]; /* remembered until then; 0: empty slot */
    uint8_t nonce_next;

    /* Map-Notify state machine. */
    uint8_t notify_state; /* ms_notify_state */
    uint8_t notify_sent;  /* transmissions of the current nonce */
    uint64_t notify_nonce;
    lisp_time_t notify_due;             /* next retransmission or give-up (WAIT_ACK) */
    lisp_time_t notify_timeout;         /* the current retransmission interval */
    struct ms_xtr *due_prev, *due_next; /* in ms->notify_due, by notify_due (WAIT_ACK) */
} ms_xtr;

/* One registered prefix; reg_db maps the prefix to it (entry.user). */
struct ms_reg {
    lisp_eid prefix;
    uint32_t site;
    uint16_t map_version; /* of the latest Map-Register */
    uint16_t n_xtrs;
    uint16_t cap_xtrs;
    bool has_inside; /* registered more-specifics may exist (query.c; may be stale true) */
    bool counted;    /* in lisp_ms.reg_lengths */
    ms_xtr **xtrs;
    struct ms_reg *next_due; /* chained while expiring */
};

/* The engine's named timers (bgpd timer_set): lisp_ms_next_expiry is their minimum. */
typedef enum ms_timer {
    MS_TIMER_REGISTRATION = 0, /* the earliest xTR contribution expiry (reg_db) */
    MS_TIMER_NOTIFY,           /* the earliest Map-Notify retransmission / give-up */
    MS_TIMER_COUNT
} ms_timer;

struct lisp_ms {
    lisp_engine engine; /* first: the generic interface */
    lisp_ctx ctx;
    lisp_mem mem;
    lisp_workspace *ws; /* during a call: the host's workspace (lisp_ctx_workspace) */
    lisp_time_t registration_ttl;
    lisp_time_t notify_timeout; /* first Map-Notify retransmission interval */
    unsigned notify_retries;    /* retransmissions before giving up */
    bool reject_zero_nonce;
    uint32_t unregistered_ttl_min;
    uint32_t negative_ttl_min;

    ms_site *sites;
    size_t n_sites;
    ms_prefix *prefixes;
    size_t n_prefixes;
    size_t prefix_cap;
    lisp_mapcache *config_db; /* configured prefixes -> index into prefixes */
    bool config_nested;       /* a configured prefix lies inside another one */
    lisp_mapcache *reg_db;    /* registered prefixes -> ms_reg * */
    /* Registered prefixes by family (0 IPv4, 1 IPv6) and mask length: a new registration
     * can have registered more-specifics only if some prefix is longer (the usual case,
     * every site registering one length, needs no gap query of reg_db then). */
    uint32_t reg_lengths[2][129];

    ms_xtr *notify_head, *notify_tail; /* WAIT_ACK xTRs, soonest notify_due first */

    lisp_ms_stats stats;
    lisp_mapcache_loc merged[LISP_MAX_LOCATORS]; /* union scratch */
    lisp_mapcache_loc prev[LISP_MAX_LOCATORS];   /* the union before a change */
    lisp_mapcache_loc saved[LISP_MAX_LOCATORS];  /* an xTR's locators, to undo an update */
    lisp_mapcache_loc locs[LISP_MAX_LOCATORS];   /* one record's locators, converted */
};

/* lisp_ms.c */
/* The deadline of one named timer (LISP_TIME_NEVER: not armed). */
lisp_time_t ms_timer_due(const lisp_ms *ms, ms_timer t);

/* lisp_ms_engine.c */
extern const lisp_engine_ops lisp_ms_ops;

/* The configured prefix (sites' EID-prefixes) that is the longest to cover all of eid, or
 * NULL (lisp_ms_register.c). */
const ms_prefix *ms_config_covering(const lisp_ms *ms, const lisp_eid *eid);

/* lisp_ms_register.c: Map-Register in, Map-Notify out. rx holds the decoded message. */
int ms_handle_register(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst, const uint8_t *payload, size_t len);

/* lisp_ms_registry.c: registrations and their xTR contributions. */
typedef struct ms_contribution {
    uint32_t site;
    const lisp_eid *prefix;
    bool by_xtr_id;
    const uint8_t *xtr_id;  /* with by_xtr_id */
    const uint8_t *site_id; /* with by_xtr_id */
    const lisp_endpoint *rloc;
    const lisp_endpoint *local; /* the address it arrived on (afi 0: unknown) */
    uint64_t nonce;             /* of the Map-Register (0: none, not replay-checked) */
    bool proxy;
    uint32_t ttl;
    uint16_t map_version;
    const lisp_mapcache_loc *locs;
    uint8_t loc_count;
} ms_contribution;

/* Returned by ms_registry_update for a replayed or out-of-date Map-Register record. */
#define MS_REPLAYED 1
/*
 * Add or refresh one xTR's contribution. LISP_OK; MS_REPLAYED (the xTR sent this nonce for
 * the prefix within the registration TTL, or an older map-version than its current one);
 * LISP_ERR_TOO_MANY (too many xTRs) or LISP_ERR_NOMEM. Except for LISP_OK nothing changed.
 * When the merged locator set changed, every other xTR of the prefix is sent a Map-Notify
 * (MS_NEV_CHANGED).
 */
int ms_registry_update(lisp_ms *ms, lisp_time_t now, const ms_contribution *c);
void ms_registry_expire(lisp_ms *ms, lisp_time_t now);
void ms_registry_free(lisp_ms *ms);
/* The registration covering addr (longest match), or NULL. */
const ms_reg *ms_registry_lookup(const lisp_ms *ms, uint32_t iid, uint16_t afi, const uint8_t *addr,
                                 const lisp_mapcache_entry **entry);
bool ms_reg_proxy(const lisp_ms *ms, const ms_reg *r);
uint32_t ms_reg_ttl(const ms_reg *r);
/* Clear the bits of e beyond len and make len its mask length. */
void ms_eid_truncate(lisp_eid *e, unsigned len);
/* The merged locator set of r as stored (reg_db), or NULL with *n = 0. */
const lisp_mapcache_loc *ms_reg_locators(const lisp_ms *ms, const ms_reg *r, unsigned *n);

/* lisp_ms_notify.c: the Map-Notify state machine (lisp_ms.h, "Map-Notify"). */
void ms_notify_fsm(lisp_ms *ms, lisp_time_t now, ms_xtr *x, ms_notify_event ev);
/* Retransmit or give up the earliest Map-Notify, if it is due by now. */
void ms_notify_expire_one(lisp_ms *ms, lisp_time_t now);
lisp_time_t ms_notify_next_due(const lisp_ms *ms);
/* A Map-Notify-Ack in payload (decoded into ms->ws->rx here). */
int ms_handle_notify_ack(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                         const uint8_t *payload, size_t len);
const char *ms_notify_state_name(int state);

/* lisp_ms_request.c: a Map-Request (plain or ECM) in rx. */
int ms_handle_request(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                      const lisp_endpoint *dst, const uint8_t *payload, size_t len);

/* ---- lisp_ms_query.c: Map-Request parsing and answering, shared with the Map-Resolver ---- */

/* Returned by lisp_ms_query_parse for a message that is not a Map-Request. */
#define LISP_MS_QUERY_NOT_REQUEST 1

typedef struct lisp_ms_query {
    const lisp_map_request *mreq; /* points into the decoded message */
    bool in_ecm;
    uint32_t ecm_flags;              /* ECM: its flags (LISP_ECM_F_*) */
    lisp_ipudp inner;                /* ECM: its inner IP/UDP header */
    bool inner_ip_checksum_bad;      /* ECM: taken despite a wrong inner IPv4 header checksum */
    lisp_eid eid;                    /* first EID-record, host bits cleared (traces) */
    bool eid_iid_lcaf;               /* that record used an Instance-ID LCAF */
    lisp_eid eids[LISP_MAX_RECORDS]; /* every EID-record, host bits cleared */
    bool no_reply;                   /* D bit: the requester wants no Map-Reply */
    lisp_endpoint itr;               /* where to answer: ITR-RLOC and port */
    lisp_endpoint local;             /* address it arrived on (afi 0 if unknown), port 4342 */
    lisp_endpoint src;               /* the datagram's source */
} lisp_ms_query;

/*
 * Decode payload into m (an ECM: then its inner message into m as well). LISP_OK with q
 * filled for a Map-Request (plain ones only when allow_plain); LISP_MS_QUERY_NOT_REQUEST for
 * any other message; a negative LISP_ERR_* when something does not decode, there is no
 * EID-record, an EID or every ITR-RLOC is not IPv4/IPv6. q->eid is set (for traces) as soon
 * as it is known, else zero. An ECM's inner IPv4 header checksum is not required to verify
 * (LISP_DECODE_LAX_INNER_IP_CHECKSUM, as LISPmob lig leaves it zero): q->inner_ip_checksum_bad
 * says so; every other check stays.
 */
int lisp_ms_query_parse(lisp_ms_query *q, lisp_msg *m, const uint8_t *payload, size_t len,
                        const lisp_endpoint *src, const lisp_endpoint *dst, bool allow_plain);

/* The IPv4/IPv6 address of an address field (plain, Instance-ID LCAF, or the first IP of an
 * AFI-List), or NULL. */
const lisp_afi_addr *lisp_ms_ip_of(const lisp_addr *a);

/* Source endpoint for sending to `to` from local: local's address when of the same AFI. */
lisp_endpoint lisp_ms_src_for(const lisp_endpoint *local, const lisp_endpoint *to);

/*
 * A Map-Reply answering q with one record per lisp_ms_reply_add (in that order), sent when
 * full (LISP_MAX_RECORDS records or LISP_MAX_LOCATORS locators: then a second Map-Reply
 * with the same nonce follows) and by lisp_ms_reply_flush. One MAP_REPLY_SENT trace per
 * record. tx and buf[0..cap) are scratch until the flush.
 */
typedef struct lisp_ms_reply {
    lisp_ctx *ctx;
    const lisp_ms_query *q;
    lisp_msg *tx;
    uint8_t *buf;
    size_t cap;
    unsigned n_records, n_locs;
    unsigned sent_records; /* records that left in Map-Replies */
} lisp_ms_reply;

void lisp_ms_reply_begin(lisp_ms_reply *rb, lisp_ctx *ctx, const lisp_ms_query *q, lisp_msg *tx,
                         uint8_t *buf, size_t cap);
/* LISP_OK, or LISP_ERR_NOBUF when a Map-Reply did not fit buf (its records are lost). */
int lisp_ms_reply_add(lisp_ms_reply *rb, lisp_time_t now, const lisp_eid *prefix, bool iid_lcaf,
                      uint8_t action, bool authoritative, uint32_t ttl_min, uint16_t map_version,
                      const lisp_mapcache_loc *locs, unsigned n_locs);
int lisp_ms_reply_flush(lisp_ms_reply *rb, lisp_time_t now);

/* Whether record i of q used an Instance-ID LCAF. */
bool lisp_ms_query_iid_lcaf(const lisp_ms_query *q, unsigned i);

/*
 * Encode into buf[0..cap) an ECM with flags ecm_flags carrying q's Map-Request reduced to the
 * records whose bit is set in mask: the inner IP/UDP header is q's (a plain request: one
 * naming the requester, q->src, so that whoever answers answers it). tx is scratch.
 */
int lisp_ms_encode_subset(const lisp_ms_query *q, uint32_t ecm_flags, uint32_t mask, lisp_msg *tx,
                          uint8_t *buf, size_t cap, size_t *out_len);

/* Trace LISP_TRACE_MAP_REQUEST_RECEIVED for q. */
void lisp_ms_trace_request(const lisp_ctx *ctx, lisp_time_t now, const lisp_ms_query *q);

#endif /* LISP_MS_INTERNAL_H */
