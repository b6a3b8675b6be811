/* lisp_xtr_etr.c - the ETR side of the xTR (and the PETR): decapsulation and answers to
 * Map-Requests for the site's EID-prefixes (RFC 9300 section 5, RFC 9301 section 5.4). */
#include <string.h>

#include "lisp_data.h"
#include "lisp_xtr_internal.h"

void xtr_etr_data(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src,
                  const uint8_t *payload, size_t len)
{
    const uint8_t *inner = payload + LISP_DATA_HDR_LEN;
    lisp_data_hdr h;
    lisp_ip_flow f;
    lisp_eid dst;
    lisp_trace ev;
    int rc = lisp_data_decode(&h, payload, len);

    if (rc == LISP_OK)
        rc = lisp_ip_flow_parse(&f, inner, len - LISP_DATA_HDR_LEN);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return;
    }
    dst = lisp_eid_host((h.flags & LISP_DATA_F_I) ? h.iid : 0, f.afi, f.dst);
    if (xtr_our_prefix(x, dst.iid, f.afi, f.dst)) {
        lisp_packet_info info = {0};
        x->ctx.host.out.deliver(x->ctx.host.env.user_data, &info, inner, len - LISP_DATA_HDR_LEN);
        x->stats.decapsulated++;
    } else if (x->cfg.petr && x->ctx.host.out.forward_native) {
        if (x->ctx.host.out.forward_native(x->ctx.host.env.user_data, inner,
                                           len - LISP_DATA_HDR_LEN) < 0) {
            lisp_ctx_drop(&x->ctx, now, LISP_DROP_NO_ROUTE, 0, &dst, src);
            return;
        }
        x->stats.decapsulated++;
        x->stats.forwarded_native++;
        ev = lisp_trace_make(LISP_TRACE_FORWARD_NATIVE, now);
        ev.eid = dst;
        ev.count = (uint32_t)(len - LISP_DATA_HDR_LEN);
        lisp_ctx_emit(&x->ctx, &ev);
    } else {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_NOT_OUR_EID, 0, &dst, src);
        return;
    }
    ev = lisp_trace_make(LISP_TRACE_DECAP, now);
    ev.eid = dst;
    ev.peer = *src;
    ev.count = (uint32_t)(len - LISP_DATA_HDR_LEN);
    lisp_ctx_emit(&x->ctx, &ev);
}

/* The ITR-RLOC to answer: the first one of a family we have an RLOC in. */
static bool pick_itr_rloc(const lisp_xtr *x, const lisp_map_request *req, uint16_t port,
                          lisp_endpoint *out)
{
    unsigned i;

    for (i = 0; i < req->itr_rloc_count; i++) {
        const lisp_addr *a = &req->itr_rlocs[i];
        if (a->lcaf == LISP_LCAF_NONE && xtr_local_rloc(x, a->a.afi)) {
            *out = lisp_endpoint_from_afi(&a->a, port);
            return true;
        }
    }
    return false;
}

/* Our EID-prefix that the request's records ask for, or NULL. */
static const lisp_eid *requested_prefix(const lisp_xtr *x, const lisp_map_request *req)
{
    unsigned i;

    for (i = 0; i < req->record_count; i++) {
        lisp_eid eid;
        const lisp_eid *ours;
        if (lisp_mapcache_eid_from_prefix(&eid, &req->records[i]) < 0)
            continue;
        ours = xtr_our_prefix(x, eid.iid, eid.afi, eid.addr);
        if (ours)
            return ours;
    }
    return NULL;
}

/* Fill the workspace's tx with our Map-Reply for prefix: every site RLOC, reachable and local;
 * for an RLOC-probe, the probed locator (the one the request reached) gets the p bit. */
static void build_reply(lisp_xtr *x, const lisp_eid *prefix, uint64_t nonce, bool probe,
                        const lisp_endpoint *local)
{
    lisp_msg *m = &x->ws->tx;
    lisp_record *rec = &m->record_pool[0];
    unsigned i;

    memset(&m->u, 0, sizeof m->u);
    m->type = LISP_MAP_REPLY;
    m->u.mrep.flags = probe ? LISP_MREP_F_P : 0;
    m->u.mrep.nonce = nonce;
    m->u.mrep.record_count = 1;
    m->u.mrep.records = rec;
    memset(rec, 0, sizeof *rec);
    rec->ttl = x->cfg.record_ttl;
    rec->authoritative = true;
    rec->eid = lisp_mapcache_prefix_to_wire(prefix, false);
    rec->loc_count = x->cfg.n_rlocs;
    rec->locators = m->locator_pool;
    for (i = 0; i < x->cfg.n_rlocs; i++) {
        const lisp_mapcache_loc *r = &x->cfg.rlocs[i];
        bool probed = probe && local->afi == r->afi &&
                      memcmp(local->addr, r->addr, r->afi == LISP_AFI_IPV4 ? 4 : 16) == 0;
        rec->locators[i] = lisp_mapcache_loc_to_wire(
            r, (uint16_t)(LISP_LOC_F_R | LISP_LOC_F_L | (probed ? LISP_LOC_F_P : 0)));
    }
}

void xtr_etr_map_request(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *reply_to,
                         const lisp_endpoint *local, const lisp_map_request *req)
{
    const lisp_eid *prefix = requested_prefix(x, req);
    uint64_t nonce = req->nonce;
    bool probe = (req->flags & LISP_MREQ_F_P) != 0;
    lisp_endpoint itr;
    lisp_trace ev;
    size_t len;
    int rc;

    if (!prefix) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_NOT_OUR_EID, 0, NULL, reply_to);
        return;
    }
    if (!pick_itr_rloc(x, req, reply_to->port, &itr)) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_NO_LOCATOR, 0, prefix, reply_to);
        return;
    }
    ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_RECEIVED, now);
    ev.eid = *prefix;
    ev.nonce = nonce;
    ev.peer = itr;
    lisp_ctx_emit(&x->ctx, &ev);

    build_reply(x, prefix, nonce, probe, local);
    rc = lisp_msg_encode(&x->ws->tx, x->ws->buf, sizeof x->ws->buf, &len);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_TOO_BIG, rc, prefix, &itr);
        return;
    }
    if (xtr_send(x, now, itr.afi, LISP_CONTROL_PORT, &itr, x->ws->buf, len) < 0)
        return;
    x->stats.map_replies_sent++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REPLY_SENT, now);
    ev.eid = *prefix;
    ev.nonce = nonce;
    ev.peer = itr;
    ev.count = x->cfg.n_rlocs;
    lisp_ctx_emit(&x->ctx, &ev);
}
