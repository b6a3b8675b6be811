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
    q->src = *src;

    rc = lisp_msg_decode_opts(m, payload, len, LISP_DECODE_LAX_INNER_IP_CHECKSUM);
    if (rc < 0)
        return rc;
    if (m->type == LISP_ECM) {
        lisp_ecm ecm = m->u.ecm; /* the inner message is decoded into m next */
        q->in_ecm = true;
        q->ecm_flags = ecm.flags;
        q->inner = ecm.inner;
        q->inner_ip_checksum_bad = ecm.inner_ip_checksum_bad;
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
    q->no_reply = (req->flags & LISP_MREQ_F_D) != 0;
    if (req->record_count == 0)
        return LISP_ERR_BAD_VALUE;
    for (i = 0; i < req->record_count; i++) {
        rc = lisp_mapcache_eid_from_prefix(&q->eids[i], &req->records[i]);
        if (rc < 0)
            return rc;
        if (i == 0) {
            q->eid = q->eids[0];
            q->eid_iid_lcaf = req->records[0].addr.lcaf == LISP_LCAF_IID;
        }
    }

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

bool lisp_ms_query_iid_lcaf(const lisp_ms_query *q, unsigned i)
{
    return i < q->mreq->record_count && q->mreq->records[i].addr.lcaf == LISP_LCAF_IID;
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

void lisp_ms_reply_begin(lisp_ms_reply *rb, lisp_ctx *ctx, const lisp_ms_query *q, lisp_msg *tx,
                         uint8_t *buf, size_t cap)
{
    memset(rb, 0, sizeof *rb);
    rb->ctx = ctx;
    rb->q = q;
    rb->tx = tx;
    rb->buf = buf;
    rb->cap = cap;
    lisp_msg_reset(tx, LISP_MAP_REPLY);
}

int lisp_ms_reply_flush(lisp_ms_reply *rb, lisp_time_t now)
{
    lisp_msg *tx = rb->tx;
    lisp_endpoint src;
    lisp_dgram d;
    size_t out_len = 0;
    unsigned i;
    int rc;

    if (rb->n_records == 0)
        return LISP_OK;
    tx->type = LISP_MAP_REPLY;
    tx->u.mrep.flags = 0;
    tx->u.mrep.nonce = rb->q->mreq->nonce;
    tx->u.mrep.record_count = (uint8_t)rb->n_records;
    tx->u.mrep.records = tx->record_pool;
    rc = lisp_msg_encode(tx, rb->buf, rb->cap, &out_len);
    rb->n_records = rb->n_locs = 0;
    if (rc < 0)
        return rc;
    src = lisp_ms_src_for(&rb->q->local, &rb->q->itr);
    d = lisp_dgram_make(&src, src.port, &rb->q->itr);
    if (lisp_ctx_send(rb->ctx, now, &d, rb->buf, out_len) < 0)
        return LISP_OK; /* counted as send-failed */
    for (i = 0; i < tx->u.mrep.record_count; i++) {
        const lisp_record *rec = &tx->record_pool[i];
        lisp_trace ev = lisp_trace_make(LISP_TRACE_MAP_REPLY_SENT, now);
        (void)lisp_mapcache_eid_from_prefix(&ev.eid, &rec->eid);
        ev.nonce = rb->q->mreq->nonce;
        ev.peer = rb->q->itr;
        ev.count = rec->loc_count;
        lisp_ctx_emit(rb->ctx, &ev);
    }
    rb->sent_records += tx->u.mrep.record_count;
    return LISP_OK;
}

int lisp_ms_reply_add(lisp_ms_reply *rb, lisp_time_t now, const lisp_eid *prefix, bool iid_lcaf,
                      uint8_t action, bool authoritative, uint32_t ttl_min, uint16_t map_version,
                      const lisp_mapcache_loc *locs, unsigned n_locs)
{
    lisp_record *rec;
    unsigned i;
    int rc = LISP_OK;

    if (n_locs > LISP_MAX_LOCATORS)
        n_locs = LISP_MAX_LOCATORS;
    if (rb->n_records == LISP_MAX_RECORDS || rb->n_locs + n_locs > LISP_MAX_LOCATORS)
        rc = lisp_ms_reply_flush(rb, now);
    rec = &rb->tx->record_pool[rb->n_records++];
    memset(rec, 0, sizeof *rec);
    rec->ttl = ttl_min;
    rec->action = action;
    rec->authoritative = authoritative;
    rec->map_version = map_version;
    rec->eid = lisp_mapcache_prefix_to_wire(prefix, iid_lcaf);
    rec->loc_count = (uint8_t)n_locs;
    rec->locators = &rb->tx->locator_pool[rb->n_locs];
    /* Not our locators, and not probed by us: only the R (reachable) bit carries over. */
    for (i = 0; i < n_locs; i++)
        rec->locators[i] = lisp_mapcache_loc_to_wire(&locs[i], locs[i].flags & LISP_LOC_F_R);
    rb->n_locs += n_locs;
    return rc;
}

int lisp_ms_encode_subset(const lisp_ms_query *q, uint32_t ecm_flags, uint32_t mask, lisp_msg *tx,
                          uint8_t *buf, size_t cap, size_t *out_len)
{
    lisp_ipudp inner;
    size_t hdr, mlen = 0, n;
    unsigned i, k = 0;
    int rc;

    if (q->in_ecm) {
        inner = q->inner;
    } else {
        memset(&inner, 0, sizeof inner);
        if (q->src.afi != LISP_AFI_IPV4 && q->src.afi != LISP_AFI_IPV6)
            return LISP_ERR_BAD_AFI;
        n = q->src.afi == LISP_AFI_IPV4 ? 4 : 16;
        inner.afi = q->src.afi;
        memcpy(inner.src, q->src.addr, n);
        if (q->eid.afi == q->src.afi) /* to the EID, as an ITR addresses it */
            memcpy(inner.dst, q->eid.addr, n);
        else if (q->local.afi == q->src.afi)
            memcpy(inner.dst, q->local.addr, n);
        inner.sport = q->src.port;
        inner.dport = LISP_CONTROL_PORT;
        inner.ttl = 64;
    }
    hdr = 4 + lisp_ipudp_header_len(inner.afi);
    if (cap < hdr)
        return LISP_ERR_NOBUF;
    tx->type = LISP_MAP_REQUEST;
    tx->u.mreq = *q->mreq; /* the whole member: nothing to clear first */
    for (i = 0; i < q->mreq->record_count; i++)
        if (mask & (1u << i))
            tx->u.mreq.records[k++] = q->mreq->records[i];
    tx->u.mreq.record_count = (uint8_t)k;
    rc = lisp_msg_encode(tx, buf + hdr, cap - hdr, &mlen);
    if (rc < 0)
        return rc;
    lisp_msg_reset(tx, LISP_ECM);
    tx->u.ecm.flags = ecm_flags;
    tx->u.ecm.inner = inner;
    tx->u.ecm.payload = buf + hdr; /* already in place */
    tx->u.ecm.payload_len = mlen;
    return lisp_msg_encode(tx, buf, cap, out_len);
}

void lisp_ms_trace_request(const lisp_ctx *ctx, lisp_time_t now, const lisp_ms_query *q)
{
    lisp_trace ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_RECEIVED, now);
    ev.eid = q->eid;
    ev.nonce = q->mreq->nonce;
    ev.peer = q->itr;
    lisp_ctx_emit(ctx, &ev);
}
