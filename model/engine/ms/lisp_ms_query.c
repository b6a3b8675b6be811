/*
 * lisp_ms_query.c - a Map-Request as a Map-Server or Map-Resolver sees it: unwrap the ECM,
 * find the requested EID and the ITR-RLOC and port to answer, and send the one-record
 * Map-Reply (positive or negative). Shared by lisp_ms_* and lisp_mr_*.
 */
#include <string.h>

#include "lisp_ms_internal.h"

static bool is_ip(const lisp_afi_addr *a)
{
    return a->afi == LISP_AFI_IPV4 || a->afi == LISP_AFI_IPV6;
}

const lisp_afi_addr *lisp_ms_ip_of(const lisp_addr *a)
{
    unsigned i;

    if (a->lcaf == LISP_LCAF_NATT)
        return NULL;
    if (is_ip(&a->a))
        return &a->a;
    if (a->lcaf == LISP_LCAF_AFI_LIST)
        for (i = 0; i < a->n_more && i < LISP_AFI_LIST_MAX - 1; i++)
            if (is_ip(&a->more[i]))
                return &a->more[i];
    return NULL;
}

int lisp_ms_query_parse(lisp_ms_query *q, lisp_msg *m, const uint8_t *payload, size_t len,
                        const lisp_endpoint *src, const lisp_endpoint *dst, bool allow_plain)
{
    const lisp_afi_addr *first = NULL, *match = NULL;
    const lisp_map_request *req;
    uint16_t want_afi;
    uint16_t port;
    unsigned i;
    int rc;

    memset(q, 0, sizeof *q);
    if (dst)
        q->local = *dst;
    q->local.port = LISP_CONTROL_PORT;

    rc = lisp_msg_decode(m, payload, len);
    if (rc < 0)
        return rc;
    if (m->type == LISP_ECM) {
        lisp_ecm ecm = m->u.ecm; /* the inner message is decoded into m next */
        q->in_ecm = true;
        q->inner = ecm.inner;
        rc = lisp_msg_decode(m, ecm.payload, ecm.payload_len);
        if (rc < 0)
            return rc;
        if (m->type != LISP_MAP_REQUEST)
            return LISP_MS_QUERY_NOT_REQUEST;
        want_afi = ecm.inner.afi;
        port = ecm.inner.sport;
    } else if (m->type == LISP_MAP_REQUEST && allow_plain) {
        want_afi = src->afi;
        port = src->port;
    } else {
        return LISP_MS_QUERY_NOT_REQUEST;
    }

    req = &m->u.mreq;
    q->mreq = req;
    if (req->record_count == 0)
        return LISP_ERR_BAD_VALUE;
    rc = lisp_mapcache_eid_from_prefix(&q->eid, &req->records[0]);
    if (rc < 0) {
        memset(&q->eid, 0, sizeof q->eid);
        return rc;
    }
    q->eid_iid_lcaf = req->records[0].addr.lcaf == LISP_LCAF_IID;

    for (i = 0; i < req->itr_rloc_count && !match; i++) {
        const lisp_afi_addr *ip = lisp_ms_ip_of(&req->itr_rlocs[i]);
        if (!ip)
            continue;
        if (!first)
            first = ip;
        if (ip->afi == want_afi)
            match = ip;
    }
    if (!first)
        return LISP_ERR_BAD_AFI;
    q->itr = lisp_endpoint_from_afi(match ? match : first, port ? port : LISP_CONTROL_PORT);
    return LISP_OK;
}

lisp_endpoint lisp_ms_src_for(const lisp_endpoint *local, const lisp_endpoint *to)
{
    lisp_endpoint src = *local;

    if (src.afi != to->afi) {
        memset(&src, 0, sizeof src);
        src.afi = LISP_AFI_NONE;
    }
    src.port = LISP_CONTROL_PORT;
    return src;
}

int lisp_ms_send_reply(lisp_ctx *ctx, lisp_time_t now, const lisp_ms_query *q, lisp_msg *tx,
                       uint8_t *buf, size_t cap, const lisp_eid *prefix, uint8_t action,
                       bool authoritative, uint32_t ttl_min, uint16_t map_version,
                       const lisp_mapcache_loc *locs, unsigned n_locs)
{
    lisp_record *rec = &tx->record_pool[0];
    lisp_endpoint src;
    lisp_dgram d;
    lisp_trace ev;
    size_t out_len = 0;
    unsigned i;
    int rc;

    if (n_locs > LISP_MAX_LOCATORS)
        n_locs = LISP_MAX_LOCATORS;
    memset(&tx->u, 0, sizeof tx->u);
    tx->type = LISP_MAP_REPLY;
    tx->u.mrep.nonce = q->mreq->nonce;
    tx->u.mrep.record_count = 1;
    tx->u.mrep.records = rec;

    memset(rec, 0, sizeof *rec);
    rec->ttl = ttl_min;
    rec->action = action;
    rec->authoritative = authoritative;
    rec->map_version = map_version;
    rec->eid = lisp_mapcache_prefix_to_wire(prefix, q->eid_iid_lcaf);
    rec->loc_count = (uint8_t)n_locs;
    rec->locators = tx->locator_pool;
    /* Not our locators, and not probed by us: only the R (reachable) bit carries over. */
    for (i = 0; i < n_locs; i++)
        tx->locator_pool[i] = lisp_mapcache_loc_to_wire(&locs[i], locs[i].flags & LISP_LOC_F_R);
    rc = lisp_msg_encode(tx, buf, cap, &out_len);
    if (rc < 0)
        return rc;
    src = lisp_ms_src_for(&q->local, &q->itr);
    d = lisp_dgram_make(&src, src.port, &q->itr);
    rc = lisp_ctx_send(ctx, now, &d, buf, out_len);
    if (rc < 0)
        return rc; /* counted as send-failed */

    ev = lisp_trace_make(LISP_TRACE_MAP_REPLY_SENT, now);
    ev.eid = *prefix;
    ev.nonce = q->mreq->nonce;
    ev.peer = q->itr;
    ev.count = n_locs;
    lisp_ctx_emit(ctx, &ev);
    return LISP_OK;
}

void lisp_ms_trace_request(const lisp_ctx *ctx, lisp_time_t now, const lisp_ms_query *q)
{
    lisp_trace ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_RECEIVED, now);
    ev.eid = q->eid;
    ev.nonce = q->mreq->nonce;
    ev.peer = q->itr;
    lisp_ctx_emit(ctx, &ev);
}
