/* lisp_etr.c - the ETR core: decapsulation and answers to Map-Requests
 * (lisp_etr_internal.h). */
#include <string.h>

#include "lisp_data.h"
#include "lisp_etr_internal.h"
#include "lisp_workspace.h"

#define ECN_MASK 0x03u
#define ECN_CE 0x03u

void lisp_etr_init(lisp_etr *etr, const lisp_etr_config *cfg, lisp_ctx *ctx,
                   const lisp_locators *locs, const lisp_eid_set *eids, lisp_xtr_stats *stats)
{
    memset(etr, 0, sizeof *etr);
    etr->cfg = *cfg;
    etr->ctx = ctx;
    etr->locs = locs;
    etr->eids = eids;
    etr->stats = stats;
}

/* RFC 1624 incremental update of an IPv4 header checksum for one 16-bit word. */
static void ipv4_fix_checksum(uint8_t *ip, uint16_t old_word, uint16_t new_word)
{
    uint32_t sum = (uint16_t) ~(((unsigned)ip[10] << 8) | ip[11]);
    sum += (uint16_t)~old_word;
    sum += new_word;
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (uint16_t)~sum;
    ip[10] = (uint8_t)(sum >> 8);
    ip[11] = (uint8_t)sum;
}

/* The inner packet as it leaves: TTL min(inner, outer), CE propagated. Returns the bytes to
 * deliver: the input itself, or a copy in the workspace when something had to change. */
static const uint8_t *inner_out(lisp_etr *etr, const lisp_dgram *d, const uint8_t *inner,
                                size_t len)
{
    bool v4 = (inner[0] >> 4) == 4;
    uint8_t ttl = v4 ? inner[8] : inner[7];
    uint8_t tos = v4 ? inner[1] : (uint8_t)(((inner[0] & 0x0F) << 4) | (inner[1] >> 4));
    uint8_t new_ttl = d->ttl && d->ttl < ttl ? d->ttl : ttl;
    uint8_t new_tos = tos;
    uint8_t *out;

    if ((d->tos & ECN_MASK) == ECN_CE && (tos & ECN_MASK) != 0)
        new_tos = (uint8_t)(tos | ECN_CE);
    if (new_ttl == ttl && new_tos == tos)
        return inner;
    out = lisp_ctx_workspace(etr->ctx)->buf; /* len fits: it came in one datagram */
    memcpy(out, inner, len);
    if (v4) {
        uint16_t w_ttl = (uint16_t)((ttl << 8) | out[9]), w_tos = (uint16_t)((out[0] << 8) | tos);
        out[8] = new_ttl;
        out[1] = new_tos;
        ipv4_fix_checksum(out, w_ttl, (uint16_t)((new_ttl << 8) | out[9]));
        ipv4_fix_checksum(out, w_tos, (uint16_t)((out[0] << 8) | new_tos));
    } else {
        out[7] = new_ttl;
        out[0] = (uint8_t)((out[0] & 0xF0) | (new_tos >> 4));
        out[1] = (uint8_t)((out[1] & 0x0F) | (uint8_t)(new_tos << 4));
    }
    return out;
}

void lisp_etr_data(lisp_etr *etr, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                   size_t len)
{
    const lisp_endpoint *src = &d->src;
    const uint8_t *inner = payload + LISP_DATA_HDR_LEN, *out;
    size_t inner_len = len - LISP_DATA_HDR_LEN;
    lisp_data_hdr h;
    lisp_ip_flow f;
    lisp_eid dst;
    lisp_trace ev;
    int rc = lisp_data_decode(&h, payload, len);

    if (rc == LISP_OK)
        rc = lisp_ip_flow_parse(&f, inner, inner_len);
    if (rc < 0) {
        lisp_ctx_drop(etr->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return;
    }
    dst = lisp_eid_host((h.flags & LISP_DATA_F_I) ? h.iid : 0, f.afi, f.dst);
    if ((h.flags & LISP_DATA_F_L) && etr->cfg.on_lsb) {
        lisp_eid src_eid = lisp_eid_host(dst.iid, f.afi, f.src);
        etr->cfg.on_lsb(etr->cfg.lsb_user, now, &src_eid, src, h.lsb,
                        (h.flags & LISP_DATA_F_I) ? 8 : 32);
    }
    if (lisp_eid_set_match(etr->eids, dst.iid, f.afi, f.dst)) {
        lisp_packet_info info = {0};
        out = inner_out(etr, d, inner, inner_len);
        etr->ctx->host.out.deliver(etr->ctx->host.env.user_data, &info, out, inner_len);
        etr->stats->decapsulated++;
    } else if (etr->cfg.petr && etr->ctx->host.out.forward_native) {
        out = inner_out(etr, d, inner, inner_len);
        if (etr->ctx->host.out.forward_native(etr->ctx->host.env.user_data, out, inner_len) < 0) {
            lisp_ctx_drop(etr->ctx, now, LISP_DROP_NO_ROUTE, 0, &dst, src);
            return;
        }
        etr->stats->decapsulated++;
        etr->stats->forwarded_native++;
        ev = lisp_trace_make(LISP_TRACE_FORWARD_NATIVE, now);
        ev.eid = dst;
        ev.count = (uint32_t)inner_len;
        lisp_ctx_emit(etr->ctx, &ev);
    } else {
        lisp_ctx_drop(etr->ctx, now, LISP_DROP_NOT_OUR_EID, 0, &dst, src);
        return;
    }
    ev = lisp_trace_make(LISP_TRACE_DECAP, now);
    ev.eid = dst;
    ev.peer = *src;
    ev.count = (uint32_t)inner_len;
    lisp_ctx_emit(etr->ctx, &ev);
}

/* The ITR-RLOC to answer: the first one of a family we have a usable RLOC in. */
static bool pick_itr_rloc(const lisp_etr *etr, const lisp_map_request *req, uint16_t port,
                          lisp_endpoint *out)
{
    unsigned i;

    for (i = 0; i < req->itr_rloc_count; i++) {
        const lisp_addr *a = &req->itr_rlocs[i];
        if (a->lcaf == LISP_LCAF_NONE && lisp_locators_have(etr->locs, a->a.afi)) {
            *out = lisp_endpoint_from_afi(&a->a, port);
            return true;
        }
    }
    return false;
}

/* Our prefixes that the request's records ask for, each once, in request order. */
static unsigned requested_prefixes(const lisp_etr *etr, const lisp_map_request *req,
                                   const lisp_eid **out)
{
    unsigned i, j, n = 0;

    for (i = 0; i < req->record_count; i++) {
        lisp_eid eid;
        const lisp_eid *ours;
        bool dup = false;
        if (lisp_mapcache_eid_from_prefix(&eid, &req->records[i]) < 0)
            continue;
        ours = lisp_eid_set_match(etr->eids, eid.iid, eid.afi, eid.addr);
        for (j = 0; ours && j < n; j++)
            dup |= out[j] == ours;
        if (ours && !dup)
            out[n++] = ours;
    }
    return n;
}

/* Fill tx with our Map-Reply: one record per prefix, every local RLOC in table order;
 * for an RLOC-probe the probed locator (the one the request reached) gets the P bit. */
static void build_reply(lisp_etr *etr, lisp_msg *m, const lisp_eid *const *prefixes, unsigned n,
                        uint64_t nonce, bool probe, const lisp_endpoint *local)
{
    int probed = probe ? lisp_locators_find(etr->locs, local->afi, local->addr) : -1;
    unsigned i, j, used = 0;

    lisp_msg_reset(m, LISP_MAP_REPLY);
    m->u.mrep.flags = probe ? LISP_MREP_F_P : 0;
    m->u.mrep.nonce = nonce;
    m->u.mrep.record_count = (uint8_t)n;
    m->u.mrep.records = m->record_pool;
    for (i = 0; i < n; i++) {
        lisp_record *rec = &m->record_pool[i];
        memset(rec, 0, sizeof *rec);
        rec->ttl = lisp_record_ttl(etr->cfg.record_ttl);
        rec->authoritative = true;
        rec->eid = lisp_mapcache_prefix_to_wire(prefixes[i], false);
        rec->loc_count = etr->locs->n;
        rec->locators = &m->locator_pool[used];
        for (j = 0; j < etr->locs->n; j++)
            rec->locators[j] = lisp_local_rloc_to_wire(
                &etr->locs->rloc[j],
                (uint16_t)(LISP_LOC_F_L | ((int)j == probed ? LISP_LOC_F_P : 0)));
        used += etr->locs->n;
    }
}

void lisp_etr_map_request(lisp_etr *etr, lisp_time_t now, const lisp_endpoint *reply_to,
                          const lisp_endpoint *local, const lisp_map_request *req)
{
    lisp_workspace *ws = lisp_ctx_workspace(etr->ctx);
    const lisp_eid *prefixes[LISP_MAX_RECORDS];
    unsigned n = requested_prefixes(etr, req, prefixes), locs;
    bool probe = (req->flags & LISP_MREQ_F_P) != 0;
    lisp_endpoint itr, src;
    lisp_dgram d;
    lisp_trace ev;
    size_t len;
    int rc;

    if (n == 0) {
        lisp_ctx_drop(etr->ctx, now, LISP_DROP_NOT_OUR_EID, 0, NULL, reply_to);
        return;
    }
    if (!pick_itr_rloc(etr, req, reply_to->port, &itr)) {
        lisp_ctx_drop(etr->ctx, now, LISP_DROP_NO_LOCATOR, 0, prefixes[0], reply_to);
        return;
    }
    ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_RECEIVED, now);
    ev.eid = *prefixes[0];
    ev.nonce = req->nonce;
    ev.peer = itr;
    ev.count = n;
    lisp_ctx_emit(etr->ctx, &ev);
    if (req->flags & LISP_MREQ_F_D)
        return; /* the requester asked for no Map-Reply */
    /* The locator pool bounds how many records fit (every record lists every RLOC). */
    locs = etr->locs->n ? LISP_MAX_LOCATORS / etr->locs->n : LISP_MAX_RECORDS;
    if (n > locs)
        n = locs;
    build_reply(etr, &ws->tx, prefixes, n, req->nonce, probe, local);
    rc = lisp_msg_encode(&ws->tx, ws->buf, sizeof ws->buf, &len);
    if (rc < 0) {
        lisp_ctx_internal_error(etr->ctx, now, rc, prefixes[0], &itr);
        return;
    }
    src = lisp_locators_source_endpoint(etr->locs, itr.afi, 0, LISP_CONTROL_PORT);
    d = lisp_dgram_make(&src, LISP_CONTROL_PORT, &itr);
    if (lisp_ctx_send(etr->ctx, now, &d, ws->buf, len) < 0)
        return;
    etr->stats->map_replies_sent++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REPLY_SENT, now);
    ev.eid = *prefixes[0];
    ev.nonce = req->nonce;
    ev.peer = itr;
    ev.count = etr->locs->n;
    lisp_ctx_emit(etr->ctx, &ev);
}
