/*
 * lisp_reg_internal.h - the registration client (internal): an ETR's registration of its
 * EID-prefixes with its Map-Servers (RFC 9301 sections 5.6, 5.7 and 8.2). Used by the xTR
 * and the mobile node; an RTR relays registrations instead.
 *
 *   lisp_reg_init(&reg, &cfg, ctx, &locators, &eids, &stats);
 *   lisp_reg_add_server(&reg, &addr, key_id, key, key_len);   // per Map-Server
 *   lisp_reg_start(&reg, now);                  // the first Map-Registers
 *   lisp_reg_locators_changed(&reg, now);       // after a locator event: at once
 *   lisp_reg_notify(&reg, now, &src, msg, len); // a Map-Notify on the control port
 *   lisp_reg_next_expiry / lisp_reg_expiry;  lisp_reg_release(&reg);
 *
 * One FSM per Map-Server. A "round" is one Map-Register nonce: its retransmissions carry
 * the same nonce, so a Map-Notify for any of them ends the round.
 *
 *     IDLE --start / new round, send--> REGISTERING
 *     REGISTERING --notify (our nonce)--> REGISTERED   refresh at round start + interval
 *     REGISTERING --timer, tries <= retries / resend; next timer retry * 2^(tries-1),
 *                   at most interval--> REGISTERING
 *     REGISTERING --timer, tries > retries ("give-up") / registrations_failed++,
 *                   next try after interval--> FAILED
 *     REGISTERED --timer (refresh) / new round, send--> REGISTERING
 *     FAILED --timer / new round, send--> REGISTERING
 *     REGISTERING, REGISTERED, FAILED --locators / new round, send now--> REGISTERING
 *
 * Without want_map_notify (no M bit) nothing acknowledges a round: REGISTERING sends a new
 * round every interval and never retries, fails or becomes REGISTERED.
 *
 * Map-Register: every EID-prefix with every local RLOC in locator-table order (the order
 * of our locator-status-bits), R set when the RLOC is up; key-id and authentication data
 * of that Map-Server (HMAC prepared once, for its key-id only), xTR-ID and site-ID with the
 * I bit, record TTL in whole minutes (rounded down).
 *
 * Map-Notify: verified with the Map-Server's key (else LISP_DROP_AUTH_FAILED) and decoded.
 * Our round's nonce acknowledges the registration. Any other nonce is an unsolicited
 * Map-Notify (RFC 9301 5.7: the Map-Server tells us about a change): when every one of its
 * records is one of our EID-prefixes it is answered with a Map-Notify-Ack, the same
 * message as type 5 signed with the Map-Server's key (MAP_NOTIFY_ACK_SENT); otherwise it is
 * LISP_DROP_UNSOLICITED. A Map-Notify from an address that is not a Map-Server of ours is
 * unsolicited too.
 */
#ifndef LISP_REG_INTERNAL_H
#define LISP_REG_INTERNAL_H

#include "lisp_auth.h"
#include "lisp_locators_internal.h"

typedef enum lisp_reg_state {
    LISP_REG_IDLE = 0,
    LISP_REG_REGISTERING = 1,
    LISP_REG_REGISTERED = 2,
    LISP_REG_FAILED = 3,
} lisp_reg_state;

typedef enum lisp_reg_event {
    LISP_REG_EV_START,
    LISP_REG_EV_TIMER,
    LISP_REG_EV_NOTIFY,
    LISP_REG_EV_LOCATORS,
} lisp_reg_event;

typedef struct lisp_reg_config {
    lisp_time_t interval;      /* refresh period */
    lisp_time_t retry_timeout; /* first retransmission without Map-Notify; doubles */
    lisp_time_t record_ttl;    /* sent in whole minutes */
    uint8_t retries;           /* retransmissions of a round before FAILED */
    bool want_map_notify;      /* M bit */
    bool proxy_reply;          /* P bit */
    bool use_xtr_id;           /* I bit, xtr_id and site_id */
    uint8_t xtr_id[16];
    uint8_t site_id[8];
} lisp_reg_config;

typedef struct lisp_reg_server {
    lisp_endpoint addr; /* port set */
    uint16_t key_id;
    uint8_t state;           /* lisp_reg_state */
    uint8_t tries;           /* Map-Registers sent in this round */
    lisp_auth_key *key;      /* prepared for key_id */
    uint64_t nonce;          /* of this round */
    lisp_time_t round_at;    /* when this round began */
    lisp_time_t notified_at; /* the Map-Notify that last ended a round; NEVER: none yet */
    lisp_time_t timer;       /* next TIMER event; LISP_TIME_NEVER in IDLE */
} lisp_reg_server;

typedef struct lisp_reg {
    lisp_reg_config cfg;
    lisp_ctx *ctx;
    lisp_xtr_stats *stats;
    const lisp_locators *locs;
    const lisp_eid_set *eids;
    uint8_t n;
    lisp_reg_server ms[LISP_XTR_MAX_SERVERS];
} lisp_reg;

void lisp_reg_init(lisp_reg *reg, const lisp_reg_config *cfg, lisp_ctx *ctx,
                   const lisp_locators *locs, const lisp_eid_set *eids, lisp_xtr_stats *stats);
/* LISP_ERR_BAD_KEY_ID for a key-id other than 1 and 2, LISP_ERR_TOO_MANY past
 * LISP_XTR_MAX_SERVERS, LISP_ERR_INVALID_ARG for a key longer than LISP_AUTH_KEY_MAX,
 * LISP_ERR_CRYPTO when the key cannot be prepared. addr port 0 means 4342. */
int lisp_reg_add_server(lisp_reg *reg, const lisp_endpoint *addr, uint16_t key_id,
                        const uint8_t *key, size_t key_len);
void lisp_reg_release(lisp_reg *reg);

void lisp_reg_start(lisp_reg *reg, lisp_time_t now);
void lisp_reg_locators_changed(lisp_reg *reg, lisp_time_t now);
void lisp_reg_notify(lisp_reg *reg, lisp_time_t now, const lisp_endpoint *src,
                     const uint8_t *payload, size_t len);
lisp_time_t lisp_reg_next_expiry(const lisp_reg *reg);
void lisp_reg_expiry(lisp_reg *reg, lisp_time_t now);

/* Every Map-Server's FSM is REGISTERED (false without Map-Servers). */
bool lisp_reg_registered(const lisp_reg *reg);
const char *lisp_reg_state_name(int state);

#endif /* LISP_REG_INTERNAL_H */
