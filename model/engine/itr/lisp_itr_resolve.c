/* lisp_itr_resolve.c - the ITR core's resolution of map-cache misses: one FSM per
 * destination, Map-Requests with back-off across Map-Resolvers, the hold queue, and the
 * validation of Map-Replies (lisp_itr_internal.h, RFC 9301 section 5). */
#include <string.h>

#include "lisp_itr_internal.h"

#define ECM_HEADER_LEN 4
#define MACHINE "resolution"

const char *lisp_res_state_name(int state)
{
    return state == LISP_RES_REQUESTING ? "requesting" : "idle";
}

/* ---- hold queue: one slab, slots chained into a FIFO per resolution ---- */

static bool queue_ready(lisp_itr *itr)
{
    size_t n = itr->cfg.queue_packets;
    unsigned i;

    if (itr->slots || n == 0)
        return itr->slots != NULL;
    itr->slots = lisp_mem_alloc(itr->mem, n * sizeof *itr->slots);
    itr->slab = lisp_mem_alloc(itr->mem, n * itr->cfg.max_packet);
    if (!itr->slots || !itr->slab) {
        lisp_mem_free(itr->mem, itr->slots, n * sizeof *itr->slots);
        lisp_mem_free(itr->mem, itr->slab, n * itr->cfg.max_packet);
        itr->slots = NULL;
        itr->slab = NULL;
        return false;
    }
    for (i = 0; i < n; i++) /* all slots start on the free list */
        itr->slots[i].next = (uint16_t)(i + 1 < n ? i + 1 : LISP_ITR_NO_SLOT);
    itr->free_slot = 0;
    return true;
}

static uint8_t *slot_data(const lisp_itr *itr, uint16_t s)
{
    return itr->slab + (size_t)s * itr->cfg.max_packet;
}

static void hold(lisp_itr *itr, lisp_time_t now, lisp_itr_res *p, const lisp_eid *dst,
                 const uint8_t *pkt, size_t len)
{
    uint16_t s;

    if (len > itr->cfg.max_packet) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_TOO_BIG, 0, dst, NULL);
        return;
    }
    if (!queue_ready(itr) && itr->cfg.queue_packets) {
        lisp_ctx_internal_error(itr->ctx, now, LISP_ERR_NOMEM, dst, NULL);
        return;
    }
    s = itr->free_slot;
    if (s == LISP_ITR_NO_SLOT) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_QUEUE_FULL, 0, dst, NULL);
        return;
    }
    itr->free_slot = itr->slots[s].next;
    memcpy(slot_data(itr, s), pkt, len);
    itr->slots[s].len = (uint16_t)len;
    itr->slots[s].next = LISP_ITR_NO_SLOT;
    if (p->tail == LISP_ITR_NO_SLOT)
        p->head = s;
    else
        itr->slots[p->tail].next = s;
    p->tail = s;
}

/* Send (or, without a mapping, drop as `unmapped`) p's held packets, freeing their slots. */
static void release_held(lisp_itr *itr, lisp_time_t now, lisp_itr_res *p, lisp_drop_reason unmapped)
{
    lisp_eid dst = lisp_eid_host(p->iid, p->afi, p->dst);
    uint16_t s = p->head;

    p->head = p->tail = LISP_ITR_NO_SLOT;
    while (s != LISP_ITR_NO_SLOT) {
        uint16_t next = itr->slots[s].next;
        lisp_ip_flow f;
        const uint8_t *pkt = slot_data(itr, s);
        size_t len = itr->slots[s].len;
        if (lisp_ip_flow_parse(&f, pkt, len) < 0 ||
            !lisp_itr_forward(itr, now, &f, p->iid, pkt, len))
            lisp_ctx_drop(itr->ctx, now, unmapped, 0, &dst, NULL);
        itr->slots[s].next = itr->free_slot;
        itr->free_slot = s;
        s = next;
    }
}

/* ---- Map-Request ---- */

/* An EID address field: plain, or in an Instance-ID LCAF when iid is not 0. */
static lisp_addr eid_addr(uint32_t iid, uint16_t afi, const uint8_t *addr)
{
    lisp_eid host = lisp_eid_host(iid, afi, addr);
    return lisp_mapcache_prefix_to_wire(&host, false).addr;
}

/* The Map-Request of p in ws->tx; false when no local RLOC is usable as ITR-RLOC. */
static bool build_request(lisp_itr *itr, lisp_workspace *ws, const lisp_itr_res *p)
{
    lisp_map_request *q = &ws->tx.u.mreq;
    unsigned i;

    lisp_msg_reset(&ws->tx, LISP_MAP_REQUEST);
    q->flags = itr->cfg.pitr ? LISP_MREQ_F_PITR : 0;
    q->nonce = p->nonce;
    if (!itr->cfg.pitr) /* a PITR's sources are not EIDs */
        q->source_eid = eid_addr(p->iid, p->afi, p->src);
    /* Every usable RLOC may receive the reply. */
    for (i = 0; i < itr->locs->n; i++)
        if (lisp_locators_usable(&itr->locs->rloc[i]))
            q->itr_rlocs[q->itr_rloc_count++] =
                lisp_addr_plain(lisp_afi_ip(itr->locs->rloc[i].afi, itr->locs->rloc[i].addr));
    q->record_count = 1;
    q->records[0].mask_len = (uint8_t)lisp_afi_bits(p->afi);
    q->records[0].addr = eid_addr(p->iid, p->afi, p->dst);
    return q->itr_rloc_count > 0;
}

/* Send attempt p->attempts + 1 to the resolver whose turn it is, and arm the retry. */
static void send_request(lisp_itr *itr, lisp_time_t now, lisp_itr_res *p)
{
    lisp_workspace *ws = lisp_ctx_workspace(itr->ctx);
    const lisp_endpoint *mr = &itr->cfg.map_resolvers[p->attempts % itr->cfg.n_map_resolvers];
    const lisp_local_rloc *inner_src = lisp_locators_source(itr->locs, p->afi, 0);
    size_t inner_at = ECM_HEADER_LEN + lisp_ipudp_header_len(p->afi), req_len, len;
    lisp_eid eid = lisp_eid_host(p->iid, p->afi, p->dst);
    lisp_endpoint src;
    lisp_dgram d;
    lisp_ecm *ecm;
    lisp_trace ev;
    int rc;

    /* Whatever happens to this attempt, the next one comes after the back-off:
     * request_timeout, 2 x, 4 x ... */
    p->attempts++;
    p->retry_at = now + (itr->cfg.request_timeout << (p->attempts - 1));
    if (!build_request(itr, ws, p)) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_NO_LOCATOR, 0, &eid, mr);
        return;
    }
    rc = lisp_msg_encode(&ws->tx, ws->buf + inner_at, sizeof ws->buf - inner_at, &req_len);
    if (rc == LISP_OK) {
        /* The inner header goes from our RLOC (or, without one of the EID's family, the
         * source EID) to the EID; the Map-Reply comes back to the inner source port. */
        lisp_msg_reset(&ws->tx, LISP_ECM);
        ecm = &ws->tx.u.ecm;
        ecm->inner.afi = p->afi;
        memcpy(ecm->inner.src, inner_src ? inner_src->addr : p->src, 16);
        memcpy(ecm->inner.dst, p->dst, 16);
        ecm->inner.sport = LISP_CONTROL_PORT;
        ecm->inner.dport = LISP_CONTROL_PORT;
        ecm->inner.ttl = 64;
        ecm->payload = ws->buf + inner_at;
        ecm->payload_len = req_len;
        rc = lisp_msg_encode(&ws->tx, ws->buf, sizeof ws->buf, &len);
    }
    if (rc < 0) { /* our own message does not encode: a bug, not the packet's fault */
        lisp_ctx_internal_error(itr->ctx, now, rc, &eid, mr);
        return;
    }
    src = lisp_locators_source_endpoint(itr->locs, mr->afi, 0, LISP_CONTROL_PORT);
    d = lisp_dgram_make(&src, LISP_CONTROL_PORT, mr);
    /* A send the host refused counts as an attempt: the retry timer tries again. */
    lisp_ctx_send(itr->ctx, now, &d, ws->buf, len);
    itr->stats->map_requests_sent++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_SENT, now);
    ev.eid = eid;
    ev.nonce = p->nonce;
    ev.peer = *mr;
    ev.count = p->attempts;
    lisp_ctx_emit(itr->ctx, &ev);
}

/* ---- the FSM ---- */

static const char *const event_names[] = {"miss", "timeout", "reply", "covered"};

static void enter(lisp_itr *itr, lisp_time_t now, lisp_itr_res *p, lisp_res_state to,
                  const char *event)
{
    lisp_eid eid = lisp_eid_host(p->iid, p->afi, p->dst);

    if (to != p->state) {
        if (to == LISP_RES_REQUESTING)
            itr->n_requesting++;
        else
            itr->n_requesting--;
        lisp_ctx_state_change(itr->ctx, now, MACHINE, lisp_res_state_name(p->state),
                              lisp_res_state_name(to), event, &eid, NULL);
    }
    p->state = (uint8_t)to;
}

/* The one transition function of a resolution. */
static void res_fsm(lisp_itr *itr, lisp_time_t now, lisp_itr_res *p, lisp_res_event ev)
{
    switch ((lisp_res_state)p->state) {
    case LISP_RES_IDLE:
        if (ev != LISP_RES_EV_MISS)
            return;
        /* A fresh schedule: attempt 0, the first resolver, a new nonce. */
        p->attempts = 0;
        p->nonce = lisp_ctx_random(itr->ctx);
        p->head = p->tail = LISP_ITR_NO_SLOT;
        enter(itr, now, p, LISP_RES_REQUESTING, event_names[ev]);
        send_request(itr, now, p);
        return;
    case LISP_RES_REQUESTING:
        switch (ev) {
        case LISP_RES_EV_MISS:
            return;
        case LISP_RES_EV_TIMEOUT:
            if (p->attempts <= itr->cfg.request_retries) {
                send_request(itr, now, p);
                return;
            }
            enter(itr, now, p, LISP_RES_IDLE, "give-up");
            release_held(itr, now, p, LISP_DROP_RESOLUTION_FAILED);
            return;
        case LISP_RES_EV_REPLY:
        case LISP_RES_EV_COVERED:
            enter(itr, now, p, LISP_RES_IDLE, event_names[ev]);
            release_held(itr, now, p, LISP_DROP_RESOLUTION_FAILED);
            return;
        }
    }
}

static lisp_itr_res *find_res(lisp_itr *itr, uint32_t iid, uint16_t afi, const uint8_t *dst)
{
    size_t n = afi == LISP_AFI_IPV4 ? 4 : 16;
    unsigned i;

    for (i = 0; itr->n_requesting && i < itr->cfg.max_pending; i++) {
        lisp_itr_res *p = &itr->res[i];
        if (p->state != LISP_RES_IDLE && p->iid == iid && p->afi == afi &&
            memcmp(p->dst, dst, n) == 0)
            return p;
    }
    return NULL;
}

/* A free slot for a new destination; the table is allocated on the first need. */
static lisp_itr_res *new_res(lisp_itr *itr, lisp_time_t now, uint32_t iid, const lisp_ip_flow *f)
{
    size_t bytes = (size_t)itr->cfg.max_pending * sizeof *itr->res;
    unsigned i;

    if (!itr->res) {
        itr->res = lisp_mem_alloc(itr->mem, bytes);
        if (!itr->res) {
            lisp_ctx_internal_error(itr->ctx, now, LISP_ERR_NOMEM, NULL, NULL);
            return NULL;
        }
        memset(itr->res, 0, bytes);
    }
    for (i = 0; i < itr->cfg.max_pending; i++) {
        lisp_itr_res *p = &itr->res[i];
        if (p->state != LISP_RES_IDLE)
            continue;
        p->iid = iid;
        p->afi = f->afi;
        memcpy(p->dst, f->dst, 16);
        memcpy(p->src, f->src, 16);
        return p;
    }
    return NULL;
}

void lisp_itr_miss(lisp_itr *itr, lisp_time_t now, const lisp_ip_flow *f, uint32_t iid,
                   const uint8_t *pkt, size_t len)
{
    lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);
    lisp_itr_res *p = find_res(itr, iid, f->afi, f->dst);

    if (!p && itr->cfg.n_map_resolvers) {
        p = new_res(itr, now, iid, f);
        if (p)
            res_fsm(itr, now, p, LISP_RES_EV_MISS);
    }
    if (!p || itr->cfg.miss_policy == LISP_MISS_DROP) {
        /* No resolver, every resolution slot busy, or the policy says so. */
        lisp_ctx_drop(itr->ctx, now, p ? LISP_DROP_MAP_CACHE_MISS : LISP_DROP_QUEUE_FULL, 0, &dst,
                      NULL);
        return;
    }
    hold(itr, now, p, &dst, pkt, len);
}

/* ---- Map-Reply ---- */

/* Install rec with its TTL capped at cfg.mapcache_max_ttl; trace it. */
static void install(lisp_itr *itr, lisp_time_t now, const lisp_endpoint *src,
                    const lisp_record *rec, const lisp_eid *eid)
{
    lisp_record capped = *rec;
    lisp_trace ev;
    int rc;

    /* The cap in wire minutes; "never" (LISP_TTL_NEVER) caps nothing, and a finite cap
     * also caps a record that never expires. */
    if (capped.ttl > lisp_record_ttl(itr->cfg.mapcache_max_ttl))
        capped.ttl = lisp_record_ttl(itr->cfg.mapcache_max_ttl);
    rc = lisp_mapcache_put_record(itr->mc, &capped, now, 0);
    if (rc == LISP_ERR_NOMEM) {
        lisp_ctx_internal_error(itr->ctx, now, rc, eid, src);
        return;
    }
    if (rc < 0) { /* a locator without an IP address */
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_MALFORMED, rc, eid, src);
        return;
    }
    ev = lisp_trace_make(LISP_TRACE_MAPCACHE_INSERT, now);
    ev.eid = *eid;
    ev.count = rec->loc_count;
    lisp_ctx_emit(itr->ctx, &ev);
}

static lisp_itr_res *res_by_nonce(lisp_itr *itr, uint64_t nonce)
{
    unsigned i;

    for (i = 0; itr->n_requesting && i < itr->cfg.max_pending; i++)
        if (itr->res[i].state == LISP_RES_REQUESTING && itr->res[i].nonce == nonce)
            return &itr->res[i];
    return NULL;
}

void lisp_itr_map_reply(lisp_itr *itr, lisp_time_t now, const lisp_endpoint *src,
                        const lisp_map_reply *r)
{
    lisp_itr_res *p = res_by_nonce(itr, r->nonce);
    lisp_eid eids[LISP_MAX_RECORDS];
    int best = -1;
    lisp_trace ev;
    unsigned i;

    if (!p) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_UNSOLICITED, 0, NULL, src);
        return;
    }
    /* The most specific record covering the EID we asked for; nothing else. */
    for (i = 0; i < r->record_count && i < LISP_MAX_RECORDS; i++) {
        int rc = lisp_mapcache_eid_from_prefix(&eids[i], &r->records[i].eid);
        if (rc < 0) {
            lisp_ctx_drop(itr->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
            eids[i].mask_len = 0xFF; /* unusable */
            continue;
        }
        if (lisp_eid_covers(&eids[i], p->iid, p->afi, p->dst) &&
            (best < 0 || eids[i].mask_len > eids[best].mask_len))
            best = (int)i;
    }
    for (i = 0; i < r->record_count && i < LISP_MAX_RECORDS; i++)
        if ((int)i != best && eids[i].mask_len != 0xFF)
            lisp_ctx_drop(itr->ctx, now, LISP_DROP_RECORD_NOT_REQUESTED, 0, &eids[i], src);
    itr->stats->map_replies_received++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REPLY_RECEIVED, now);
    ev.eid = lisp_eid_host(p->iid, p->afi, p->dst);
    ev.nonce = r->nonce;
    ev.peer = *src;
    ev.count = best >= 0 ? r->records[best].loc_count : 0;
    lisp_ctx_emit(itr->ctx, &ev);
    if (best < 0)
        return; /* nothing for our EID: the retry timer keeps asking */
    install(itr, now, src, &r->records[best], &eids[best]);
    res_fsm(itr, now, p, LISP_RES_EV_REPLY);
    /* The mapping may cover other destinations being resolved too. */
    for (i = 0; itr->n_requesting && i < itr->cfg.max_pending; i++) {
        lisp_itr_res *q = &itr->res[i];
        if (q->state == LISP_RES_REQUESTING && lisp_eid_covers(&eids[best], q->iid, q->afi, q->dst))
            res_fsm(itr, now, q, LISP_RES_EV_COVERED);
    }
}

/* ---- timers ---- */

void lisp_itr_res_expiry(lisp_itr *itr, lisp_time_t now)
{
    unsigned i;

    for (i = 0; itr->n_requesting && i < itr->cfg.max_pending; i++)
        if (itr->res[i].state == LISP_RES_REQUESTING && itr->res[i].retry_at <= now)
            res_fsm(itr, now, &itr->res[i], LISP_RES_EV_TIMEOUT);
}

lisp_time_t lisp_itr_res_next_expiry(const lisp_itr *itr)
{
    lisp_time_t t = LISP_TIME_NEVER;
    unsigned i;

    for (i = 0; itr->n_requesting && i < itr->cfg.max_pending; i++)
        if (itr->res[i].state == LISP_RES_REQUESTING && itr->res[i].retry_at < t)
            t = itr->res[i].retry_at;
    return t;
}
