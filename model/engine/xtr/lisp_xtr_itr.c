/* lisp_xtr_itr.c - the ITR side of the xTR (and the PITR): map-cache lookup,
 * encapsulation, and resolution of misses with Map-Requests (RFC 9300, RFC 9301). */
#include <string.h>

#include "lisp_data.h"
#include "lisp_xtr_internal.h"

#define EPHEMERAL_BASE 0xC000u /* outer source ports 49152..65535 (RFC 9300 5.3) */
#define EPHEMERAL_MASK 0x3FFFu
#define NONCE24_MASK 0xFFFFFFu
#define PRIORITY_UNUSABLE 255 /* RFC 9301: do not use for unicast */
#define ECM_HEADER_LEN 4

static lisp_endpoint endpoint_of_loc(const lisp_mapcache_loc *loc)
{
    lisp_endpoint e;
    memset(&e, 0, sizeof e);
    e.afi = loc->afi;
    memcpy(e.addr, loc->addr, 16);
    e.port = loc->port ? loc->port : LISP_DATA_PORT;
    return e;
}

/* Among reachable locators we can reach (a local RLOC of the same family) with the best
 * priority, pick one by weight with the flow hash, so a flow always takes one path. */
static const lisp_mapcache_loc *choose_locator(const lisp_xtr *x, const lisp_mapcache_entry *e,
                                               uint32_t hash)
{
    unsigned i, best = PRIORITY_UNUSABLE, n = 0;
    uint32_t total = 0, pick;

    for (i = 0; i < e->loc_count; i++) {
        const lisp_mapcache_loc *l = &e->locators[i];
        if (l->priority < best && (l->flags & LISP_LOC_F_R) && xtr_local_rloc(x, l->afi))
            best = l->priority;
    }
    if (best == PRIORITY_UNUSABLE)
        return NULL;
    for (i = 0; i < e->loc_count; i++) {
        const lisp_mapcache_loc *l = &e->locators[i];
        if (l->priority == best && (l->flags & LISP_LOC_F_R) && xtr_local_rloc(x, l->afi)) {
            total += l->weight;
            n++;
        }
    }
    /* All weights zero: spread evenly. */
    pick = total ? hash % total : hash % n;
    for (i = 0; i < e->loc_count; i++) {
        const lisp_mapcache_loc *l = &e->locators[i];
        uint32_t share;
        if (l->priority != best || !(l->flags & LISP_LOC_F_R) || !xtr_local_rloc(x, l->afi))
            continue;
        share = total ? l->weight : 1;
        if (pick < share)
            return l;
        pick -= share;
    }
    return NULL;
}

/* Our locator-status-bits: every RLOC of the site is up. */
static uint32_t site_lsb(const lisp_xtr *x)
{
    return x->cfg.n_rlocs >= 32 ? 0xFFFFFFFFu : (1u << x->cfg.n_rlocs) - 1;
}

static void encapsulate(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *rloc,
                        const lisp_ip_flow *f, uint32_t iid, const uint8_t *pkt, size_t len)
{
    lisp_data_hdr h;
    lisp_trace ev;
    uint32_t hash = lisp_ip_flow_hash(f);
    lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);

    if (len + LISP_DATA_HDR_LEN > x->data_cap) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_TOO_BIG, 0, &dst, rloc);
        return;
    }
    memset(&h, 0, sizeof h);
    h.flags = LISP_DATA_F_N;
    h.nonce = (uint32_t)(xtr_nonce(x) & NONCE24_MASK);
    if (x->cfg.n_eids) { /* locator-status-bits describe our site; a PITR has none */
        h.flags |= LISP_DATA_F_L;
        h.lsb = site_lsb(x);
    }
    if (iid) {
        h.flags |= LISP_DATA_F_I;
        h.iid = iid;
        h.lsb &= 0xFF;
    }
    lisp_data_encode(&h, x->ws->buf);
    memcpy(x->ws->buf + LISP_DATA_HDR_LEN, pkt, len);
    if (xtr_send(x, now, rloc->afi, (uint16_t)(EPHEMERAL_BASE | (hash & EPHEMERAL_MASK)), rloc,
                 x->ws->buf, len + LISP_DATA_HDR_LEN) < 0)
        return;
    x->stats.encapsulated++;
    ev = lisp_trace_make(LISP_TRACE_ENCAP, now);
    ev.eid = dst;
    ev.peer = *rloc;
    ev.count = (uint32_t)len;
    lisp_ctx_emit(&x->ctx, &ev);
}

/* A negative entry: natively-forward goes to a PETR, or natively; other actions drop. */
static void negative(lisp_xtr *x, lisp_time_t now, const lisp_mapcache_entry *e,
                     const lisp_ip_flow *f, uint32_t iid, const uint8_t *pkt, size_t len)
{
    lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);
    lisp_trace ev;

    if (e->action != LISP_ACT_NATIVELY_FORWARD) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_NEGATIVE_MAPPING, 0, &dst, NULL);
        return;
    }
    if (x->cfg.n_petrs) {
        const lisp_endpoint *petr = &x->cfg.petrs[lisp_ip_flow_hash(f) % x->cfg.n_petrs];
        encapsulate(x, now, petr, f, iid, pkt, len);
        return;
    }
    if (!x->ctx.host.out.forward_native) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_NEGATIVE_MAPPING, 0, &dst, NULL);
        return;
    }
    if (x->ctx.host.out.forward_native(x->ctx.host.env.user_data, pkt, len) < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_NO_ROUTE, 0, &dst, NULL);
        return;
    }
    x->stats.forwarded_native++;
    ev = lisp_trace_make(LISP_TRACE_FORWARD_NATIVE, now);
    ev.eid = dst;
    ev.count = (uint32_t)len;
    lisp_ctx_emit(&x->ctx, &ev);
}

static xtr_pending *find_pending(lisp_xtr *x, uint32_t iid, uint16_t afi, const uint8_t *dst)
{
    size_t n = afi == LISP_AFI_IPV4 ? 4 : 16;
    unsigned i;

    for (i = 0; i < x->cfg.max_pending; i++) {
        xtr_pending *p = &x->pending[i];
        if (p->used && p->iid == iid && p->afi == afi && memcmp(p->dst, dst, n) == 0)
            return p;
    }
    return NULL;
}

static xtr_pending *new_pending(lisp_xtr *x, uint32_t iid, const lisp_ip_flow *f)
{
    unsigned i;

    for (i = 0; i < x->cfg.max_pending; i++) {
        xtr_pending *p = &x->pending[i];
        if (p->used)
            continue;
        memset(p, 0, sizeof *p);
        p->used = true;
        x->n_pending++;
        p->iid = iid;
        p->afi = f->afi;
        memcpy(p->dst, f->dst, 16);
        memcpy(p->src, f->src, 16);
        p->nonce = xtr_nonce(x);
        p->head = p->tail = XTR_NO_SLOT;
        return p;
    }
    return NULL;
}

/* An EID address field: plain, or in an Instance-ID LCAF when iid is not 0. */
static lisp_addr eid_addr(uint32_t iid, uint16_t afi, const uint8_t *addr)
{
    lisp_eid host = lisp_eid_host(iid, afi, addr);
    return lisp_mapcache_prefix_to_wire(&host, false).addr;
}

/* Build the Map-Request for p, wrap it in an ECM and send it to a Map-Resolver. */
static void send_map_request(lisp_xtr *x, lisp_time_t now, xtr_pending *p)
{
    const lisp_endpoint *mr = &x->cfg.map_resolvers[p->attempts % x->cfg.n_map_resolvers];
    const lisp_mapcache_loc *rloc = xtr_local_rloc(x, p->afi);
    size_t inner_at = ECM_HEADER_LEN + lisp_ipudp_header_len(p->afi), req_len, len;
    lisp_msg *m = &x->ws->tx;
    lisp_map_request *q = &m->u.mreq;
    lisp_eid eid = lisp_eid_host(p->iid, p->afi, p->dst);
    lisp_ecm *ecm;
    lisp_trace ev;
    unsigned i;
    int rc;

    memset(&m->u, 0, sizeof m->u);
    m->type = LISP_MAP_REQUEST;
    q->flags = x->cfg.pitr ? LISP_MREQ_F_PITR : 0;
    q->nonce = p->nonce;
    if (!x->cfg.pitr) /* a PITR's sources are not EIDs */
        q->source_eid = eid_addr(p->iid, p->afi, p->src);
    for (i = 0; i < x->cfg.n_rlocs; i++)
        q->itr_rlocs[q->itr_rloc_count++] =
            lisp_addr_plain(lisp_afi_ip(x->cfg.rlocs[i].afi, x->cfg.rlocs[i].addr));
    q->record_count = 1;
    q->records[0].mask_len = (uint8_t)lisp_afi_bits(p->afi);
    q->records[0].addr = eid_addr(p->iid, p->afi, p->dst);
    rc = lisp_msg_encode(m, x->ws->buf + inner_at, sizeof x->ws->buf - inner_at, &req_len);
    if (rc < 0) { /* no ITR-RLOC configured, or an internal inconsistency */
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_TOO_BIG, rc, &eid, mr);
        return;
    }

    /* The inner header goes from our RLOC (or, without one of the EID's family, the
     * source EID) to the EID; the Map-Reply comes back to the inner source port. */
    memset(&m->u, 0, sizeof m->u);
    m->type = LISP_ECM;
    ecm = &m->u.ecm;
    ecm->inner.afi = p->afi;
    memcpy(ecm->inner.src, rloc ? rloc->addr : p->src, 16);
    memcpy(ecm->inner.dst, p->dst, 16);
    ecm->inner.sport = LISP_CONTROL_PORT;
    ecm->inner.dport = LISP_CONTROL_PORT;
    ecm->inner.ttl = 64;
    ecm->payload = x->ws->buf + inner_at;
    ecm->payload_len = req_len;
    rc = lisp_msg_encode(m, x->ws->buf, sizeof x->ws->buf, &len);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_TOO_BIG, rc, &eid, mr);
        return;
    }
    /* A send the host refused counts as an attempt: the retry timer tries again. */
    xtr_send(x, now, mr->afi, LISP_CONTROL_PORT, mr, x->ws->buf, len);
    p->attempts++;
    /* Back-off: timeout, 2 x timeout, 4 x timeout ... */
    p->retry_at = now + (x->cfg.request_timeout << (p->attempts - 1));
    x->stats.map_requests_sent++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_SENT, now);
    ev.eid = eid;
    ev.nonce = p->nonce;
    ev.peer = *mr;
    ev.count = p->attempts;
    lisp_ctx_emit(&x->ctx, &ev);
}

static void hold(lisp_xtr *x, lisp_time_t now, xtr_pending *p, const lisp_eid *dst,
                 const uint8_t *pkt, size_t len)
{
    uint16_t s = x->free_slot;

    if (len > x->cfg.max_packet) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_TOO_BIG, 0, dst, NULL);
        return;
    }
    if (s == XTR_NO_SLOT) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_QUEUE_FULL, 0, dst, NULL);
        return;
    }
    x->free_slot = x->slots[s].next;
    memcpy(x->slots[s].data, pkt, len);
    x->slots[s].len = (uint16_t)len;
    x->slots[s].next = XTR_NO_SLOT;
    if (p->tail == XTR_NO_SLOT)
        p->head = s;
    else
        x->slots[p->tail].next = s;
    p->tail = s;
}

static void miss(lisp_xtr *x, lisp_time_t now, const lisp_ip_flow *f, uint32_t iid,
                 const uint8_t *pkt, size_t len)
{
    lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);
    xtr_pending *p = find_pending(x, iid, f->afi, f->dst);

    if (!p && x->cfg.n_map_resolvers) {
        p = new_pending(x, iid, f);
        if (p)
            send_map_request(x, now, p);
    }
    if (!p || x->cfg.miss_policy == LISP_MISS_DROP) {
        /* No resolver, every resolution slot busy, or the policy says so. */
        lisp_ctx_drop(&x->ctx, now, p ? LISP_DROP_MAP_CACHE_MISS : LISP_DROP_QUEUE_FULL, 0, &dst,
                       NULL);
        return;
    }
    hold(x, now, p, &dst, pkt, len);
}

/* Send one parsed packet according to the map-cache; false when it misses. */
static bool forward_cached(lisp_xtr *x, lisp_time_t now, const lisp_ip_flow *f, uint32_t iid,
                           const uint8_t *pkt, size_t len)
{
    const lisp_mapcache_entry *e = lisp_mapcache_lookup(x->mc, iid, f->afi, f->dst);
    const lisp_mapcache_loc *loc;
    lisp_endpoint rloc;

    if (!e)
        return false;
    if (e->loc_count == 0) {
        negative(x, now, e, f, iid, pkt, len);
        return true;
    }
    loc = choose_locator(x, e, lisp_ip_flow_hash(f));
    if (!loc) {
        lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_NO_LOCATOR, 0, &dst, NULL);
        return true;
    }
    rloc = endpoint_of_loc(loc);
    encapsulate(x, now, &rloc, f, iid, pkt, len);
    return true;
}

/* The instance-ID of a packet: that of our EID-prefix holding its source, else cfg.iid. */
static uint32_t packet_iid(const lisp_xtr *x, const lisp_ip_flow *f)
{
    unsigned i;

    for (i = 0; i < x->cfg.n_eids; i++)
        if (lisp_eid_covers(&x->cfg.eids[i], x->cfg.eids[i].iid, f->afi, f->src))
            return x->cfg.eids[i].iid;
    return x->cfg.iid;
}

int xtr_itr_packet(lisp_xtr *x, lisp_time_t now, const uint8_t *pkt, size_t len)
{
    lisp_ip_flow f;
    uint32_t iid;
    int rc = lisp_ip_flow_parse(&f, pkt, len);

    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, NULL);
        return rc;
    }
    iid = packet_iid(x, &f);
    if (!forward_cached(x, now, &f, iid, pkt, len))
        miss(x, now, &f, iid, pkt, len);
    return LISP_OK;
}

/* Send or drop p's held packets, and free p. */
static void release(lisp_xtr *x, lisp_time_t now, xtr_pending *p, lisp_drop_reason if_unmapped)
{
    uint16_t s = p->head;
    lisp_eid dst = lisp_eid_host(p->iid, p->afi, p->dst);

    p->used = false;
    x->n_pending--;
    while (s != XTR_NO_SLOT) {
        uint16_t next = x->slots[s].next;
        lisp_ip_flow f;
        if (lisp_ip_flow_parse(&f, x->slots[s].data, x->slots[s].len) < 0 ||
            !forward_cached(x, now, &f, p->iid, x->slots[s].data, x->slots[s].len))
            lisp_ctx_drop(&x->ctx, now, if_unmapped, 0, &dst, NULL);
        x->slots[s].next = x->free_slot;
        x->free_slot = s;
        s = next;
    }
}

static void trace_insert(lisp_xtr *x, lisp_time_t now, const lisp_record *rec)
{
    lisp_trace ev = lisp_trace_make(LISP_TRACE_MAPCACHE_INSERT, now);
    lisp_mapcache_eid_from_prefix(&ev.eid, &rec->eid);
    ev.count = rec->loc_count;
    lisp_ctx_emit(&x->ctx, &ev);
}

void xtr_itr_map_reply(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src)
{
    const lisp_map_reply *r = &x->ws->rx.u.mrep;
    xtr_pending *p = NULL;
    lisp_trace ev;
    unsigned i;

    for (i = 0; i < x->cfg.max_pending && !p; i++)
        if (x->pending[i].used && x->pending[i].nonce == r->nonce)
            p = &x->pending[i];
    if (!p) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_UNSOLICITED, 0, NULL, src);
        return;
    }
    x->stats.map_replies_received++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REPLY_RECEIVED, now);
    ev.eid = lisp_eid_host(p->iid, p->afi, p->dst);
    ev.nonce = r->nonce;
    ev.peer = *src;
    ev.count = r->record_count ? r->records[0].loc_count : 0;
    lisp_ctx_emit(&x->ctx, &ev);
    for (i = 0; i < r->record_count; i++) {
        int rc = lisp_mapcache_put_record(x->mc, &r->records[i], now, 0);
        if (rc < 0)
            lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        else
            trace_insert(x, now, &r->records[i]);
    }
    /* The answer may cover other destinations being resolved too. */
    for (i = 0; i < x->cfg.max_pending; i++) {
        xtr_pending *q = &x->pending[i];
        if (q->used && (q == p || lisp_mapcache_lookup(x->mc, q->iid, q->afi, q->dst)))
            release(x, now, q, LISP_DROP_RESOLUTION_FAILED);
    }
}

void xtr_itr_expiry(lisp_xtr *x, lisp_time_t now)
{
    unsigned i;

    for (i = 0; i < x->cfg.max_pending && x->n_pending; i++) {
        xtr_pending *p = &x->pending[i];
        if (!p->used || p->retry_at > now)
            continue;
        if (p->attempts > x->cfg.request_retries)
            release(x, now, p, LISP_DROP_RESOLUTION_FAILED);
        else
            send_map_request(x, now, p);
    }
}

lisp_time_t xtr_itr_next_expiry(const lisp_xtr *x)
{
    lisp_time_t t = LISP_TIME_NEVER;
    unsigned i;

    for (i = 0; i < x->cfg.max_pending && x->n_pending; i++)
        if (x->pending[i].used && x->pending[i].retry_at < t)
            t = x->pending[i].retry_at;
    return t;
}
