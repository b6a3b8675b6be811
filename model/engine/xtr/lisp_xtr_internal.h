/* lisp_xtr_internal.h - the xTR engine's state, shared by its ITR, ETR and registration
 * files (internal). */
#ifndef LISP_XTR_INTERNAL_H
#define LISP_XTR_INTERNAL_H

#include "lisp_auth.h"
#include "lisp_ctx_internal.h"
#include "lisp_ipudp.h"
#include "lisp_mem_internal.h"
#include "lisp_msg.h"
#include "lisp_workspace.h"
#include "lisp_xtr.h"

#define XTR_NO_SLOT UINT16_MAX

/* One held packet; slots form singly linked FIFOs per pending resolution. */
typedef struct xtr_slot {
    uint16_t next;
    uint16_t len;
    uint8_t *data; /* max_packet bytes inside the engine's slab */
} xtr_slot;

/* A destination being resolved. */
typedef struct xtr_pending {
    bool used;
    uint8_t attempts;   /* Map-Requests sent so far */
    uint32_t iid;
    uint16_t afi;
    uint8_t dst[16];    /* the destination EID we asked for */
    uint8_t src[16];    /* the source EID of the first packet (the Map-Request's source EID) */
    uint64_t nonce;
    lisp_time_t retry_at;
    uint16_t head, tail; /* held packets, XTR_NO_SLOT when none */
} xtr_pending;

typedef struct xtr_ms_state {
    lisp_auth_key *key; /* the Map-Server's key, prepared once */
    uint64_t nonce;     /* of the latest Map-Register */
    bool acked;         /* a Map-Notify with that nonce arrived */
} xtr_ms_state;

struct lisp_xtr {
    lisp_engine engine; /* first: the generic interface */
    lisp_xtr_config cfg;
    lisp_ctx ctx;
    lisp_workspace *ws; /* during a call: the host's workspace (xtr_enter) */
    lisp_mem mem;
    lisp_mapcache *mc;
    lisp_xtr_stats stats;

    size_t data_cap;   /* largest encapsulated packet: max_packet + headers, >= 4096 */

    xtr_slot *slots;   /* queue_packets slots */
    uint8_t *slab;     /* their packet bytes, queue_packets * max_packet */
    uint16_t free_slot;
    xtr_pending *pending; /* max_pending entries */
    uint16_t n_pending;   /* of them in use: no scan when none is */

    bool started;
    lisp_time_t register_at; /* LISP_TIME_NEVER before start or without Map-Servers */
    xtr_ms_state ms_state[LISP_XTR_MAX_SERVERS];
    uint8_t next_resolver;
};

/* lisp_xtr.c */
/* Borrow the workspace for this call; false (counted) when there is none. */
bool xtr_enter(lisp_xtr *x, lisp_time_t now);
const lisp_mapcache_loc *xtr_local_rloc(const lisp_xtr *x, uint16_t afi);
/* Our EID-prefix covering addr in instance iid, or NULL. */
const lisp_eid *xtr_our_prefix(const lisp_xtr *x, uint32_t iid, uint16_t afi,
                               const uint8_t *addr);
/* From our RLOC of family afi_src (else the host's choice); returns the host's status. */
int xtr_send(lisp_xtr *x, lisp_time_t now, uint16_t afi_src, uint16_t sport,
             const lisp_endpoint *dst, const uint8_t *payload, size_t len);

/* lisp_xtr_engine.c */
extern const lisp_engine_ops lisp_xtr_ops;
uint64_t xtr_nonce(lisp_xtr *x);

/* lisp_xtr_itr.c: the ITR (and PITR) side. */
int xtr_itr_packet(lisp_xtr *x, lisp_time_t now, const uint8_t *pkt, size_t len);
void xtr_itr_map_reply(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src);
void xtr_itr_expiry(lisp_xtr *x, lisp_time_t now);
lisp_time_t xtr_itr_next_expiry(const lisp_xtr *x);

/* lisp_xtr_etr.c: the ETR (and PETR) side. */
void xtr_etr_data(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src,
                  const uint8_t *payload, size_t len);
void xtr_etr_map_request(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *reply_to,
                         const lisp_endpoint *local, const lisp_map_request *req);

/* lisp_xtr_register.c: Map-Register / Map-Notify. */
void xtr_register_send(lisp_xtr *x, lisp_time_t now);
void xtr_register_notify(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src,
                         const uint8_t *payload, size_t len);

#endif /* LISP_XTR_INTERNAL_H */
