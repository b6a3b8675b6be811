/*
 * lisp_ms_request.c - Map-Request in (RFC 9301 section 8.4): every EID-record is decided on
 * its own. The Map-Server's own answers (proxy and negative) go out in one Map-Reply with a
 * record per EID; records for non-proxy registrations are forwarded, in an ECM, to a usable
 * locator of the registering ETRs (one ECM per ETR). The D bit asks for no Map-Reply at all.
 */
#include <string.h>

#include "lisp_ms_internal.h"

/* Where record i goes: answered here, or forwarded to etrs[k]. */
#define ANSWERED 0xFF

typedef struct ms_plan {
    lisp_endpoint etrs[LISP_MAX_RECORDS];
    uint8_t n_etrs;
    uint8_t target[LISP_MAX_RECORDS]; /* ANSWERED or an index into etrs */
} ms_plan;

/* The locator to forward to: reachable (R), usable for unicast (priority < 255), the best
 * priority, then the highest weight, then the first. NULL when none is usable. */
static const lisp_mapcache_loc *usable_locator(const lisp_mapcache_entry *e)
{
    const lisp_mapcache_loc *best = NULL;
    unsigned i;

    for (i = 0; i < e->loc_count; i++) {
        const lisp_mapcache_loc *l = &e->locators[i];
        if (!(l->flags & LISP_LOC_F_R) || l->priority == 255)
            continue;
        if (!best || l->priority < best->priority ||
            (l->priority == best->priority && l->weight > best->weight))
            best = l;
    }
    return best;
}

/* Index of the first bit where a and b differ (nbits: none). */
static unsigned first_diff(const uint8_t *a, const uint8_t *b, unsigned nbits)
{
    unsigned i;

    for (i = 0; i < nbits; i++) {
        unsigned byte = i / 8, bit = 7 - i % 8;
        if (((a[byte] >> bit) & 1) != ((b[byte] >> bit) & 1))
            return i;
    }
    return nbits;
}

typedef struct gap_scan {
    const lisp_eid *root; /* the prefix the answer lies in */
    const lisp_eid *eid;  /* the requested EID (a host prefix) */
    unsigned len;         /* the answer's length so far */
    bool found;
} gap_scan;

/* Leave q out of the answer for g->eid, if q lies inside g->root and misses the EID. */
static void gap_exclude(gap_scan *g, const lisp_eid *q)
{
    unsigned d;

    if (q->iid != g->root->iid || q->afi != g->root->afi || q->mask_len <= g->root->mask_len ||
        !lisp_eid_covers_prefix(g->root, q))
        return;
    g->found = true;
    d = first_diff(q->addr, g->eid->addr, q->mask_len);
    if (d < q->mask_len && d + 1 > g->len)
        g->len = d + 1;
}

static int gap_visit(void *user, const lisp_mapcache_entry *e)
{
    gap_exclude(user, &e->prefix);
    return 0;
}

/*
 * The prefix to answer for eid inside root (the registered or configured prefix of `site`
 * that is the most specific one covering eid): the shortest prefix inside root that
 * contains eid, no registered prefix longer than root and no prefix configured for another
 * site. r (root's registration, or NULL) says whether registrations can lie inside;
 * otherwise they are scanned (lisp_ms.h, "Map-Request").
 */
static lisp_eid answer_prefix(lisp_ms *ms, const lisp_eid *root, const lisp_eid *eid, ms_reg *r,
                              uint32_t site, bool scan_regs)
{
    gap_scan g = {root, eid, root->mask_len, false};
    lisp_eid out = *eid;
    size_t i;

    if (scan_regs && (!r || r->has_inside)) {
        lisp_mapcache_foreach(ms->reg_db, gap_visit, &g);
        if (r && !g.found)
            r->has_inside = false; /* the more-specifics went away */
    }
    if (ms->config_nested)
        for (i = 0; i < ms->n_prefixes; i++)
            if (ms->prefixes[i].site != site)
                gap_exclude(&g, &ms->prefixes[i].prefix);
    ms_eid_truncate(&out, g.len);
    return out;
}

/* Decide record i: add the Map-Server's answer to rb, or plan its forwarding. */
static int decide(lisp_ms *ms, lisp_time_t now, const lisp_ms_query *q, unsigned i,
                  lisp_ms_reply *rb, ms_plan *plan)
{
    const lisp_eid *eid = &q->eids[i];
    bool lcaf = lisp_ms_query_iid_lcaf(q, i);
    const lisp_mapcache_entry *e, *ce;
    const lisp_mapcache_loc *best;
    const ms_prefix *cp = NULL;
    lisp_eid neg;
    ms_reg *r;
    unsigned k;

    plan->target[i] = ANSWERED;
    r = (ms_reg *)ms_registry_lookup(ms, eid->iid, eid->afi, eid->addr, &e);
    ce = lisp_mapcache_lookup(ms->config_db, eid->iid, eid->afi, eid->addr);
    if (ce)
        cp = &ms->prefixes[ce->user];
    /* A registration of one site never answers for a more specific prefix configured for
     * another: that EID belongs to the other site, registered or not. */
    if (r && cp && cp->prefix.mask_len > r->prefix.mask_len && cp->site != r->site)
        r = NULL;

    if (r && ms_reg_proxy(ms, r)) {
        neg = answer_prefix(ms, &r->prefix, eid, r, r->site, true);
        ms->stats.proxy_replies++;
        return lisp_ms_reply_add(rb, now, &neg, lcaf, LISP_ACT_NO_ACTION, false, ms_reg_ttl(r),
                                 r->map_version, e->locators, e->loc_count);
    }
    if (r) {
        lisp_endpoint to;
        best = usable_locator(e);
        if (!best) {
            lisp_ctx_drop(&ms->ctx, now, LISP_DROP_NO_LOCATOR, 0, eid, &q->src);
            return LISP_OK;
        }
        memset(&to, 0, sizeof to);
        to.afi = best->afi;
        memcpy(to.addr, best->addr, 16);
        to.port = LISP_CONTROL_PORT;
        for (k = 0; k < plan->n_etrs; k++)
            if (lisp_endpoint_equal(&plan->etrs[k], &to))
                break;
        if (k == plan->n_etrs)
            plan->etrs[plan->n_etrs++] = to;
        plan->target[i] = (uint8_t)k;
        return LISP_OK;
    }

    if (cp) {
        /* Configured, not registered: the shortest prefix inside the site prefix that covers
         * no registration. */
        if (lisp_mapcache_negative_prefix(ms->reg_db, eid->iid, eid->afi, eid->addr, &neg) ==
            LISP_OK) {
            if (neg.mask_len < cp->prefix.mask_len) {
                neg = *eid;
                ms_eid_truncate(&neg, cp->prefix.mask_len);
            }
            if (ms->config_nested) /* nor another site's configured prefix */
                neg = answer_prefix(ms, &neg, eid, NULL, cp->site, false);
        } else { /* another site's registration covers it (see above) */
            neg = answer_prefix(ms, &cp->prefix, eid, NULL, cp->site, true);
        }
        ms->stats.unregistered_replies++;
        return lisp_ms_reply_add(rb, now, &neg, lcaf, LISP_ACT_NATIVELY_FORWARD, true,
                                 ms->unregistered_ttl_min, 0, NULL, 0);
    }

    if (lisp_mapcache_negative_prefix(ms->config_db, eid->iid, eid->afi, eid->addr, &neg) !=
        LISP_OK)
        neg = *eid; /* cannot happen: nothing configured covers the EID */
    ms->stats.negative_replies++;
    return lisp_ms_reply_add(rb, now, &neg, lcaf, LISP_ACT_NATIVELY_FORWARD, true,
                             ms->negative_ttl_min, 0, NULL, 0);
}

/* Send the records of q planned for etrs[k], in an ECM whose outer word says "to an ETR"
 * (E set, M cleared, RFC 9301 section 5.8): the datagram as received when it is an ECM whose
 * records all go there, else a new ECM with those records (a plain request's names the
 * requester, so that the ETR answers it, not us). */
static void forward(lisp_ms *ms, lisp_time_t now, const lisp_ms_query *q, const ms_plan *plan,
                    unsigned k, const uint8_t *payload, size_t len)
{
    const lisp_endpoint *to = &plan->etrs[k];
    uint32_t mask = 0, all = 0;
    lisp_endpoint from;
    lisp_dgram d;
    size_t out_len = 0;
    unsigned i;
    int rc;

    for (i = 0; i < q->mreq->record_count; i++) {
        all |= 1u << i;
        if (plan->target[i] == k)
            mask |= 1u << i;
    }
    if (q->in_ecm && mask == all) {
        if (len > sizeof ms->ws->buf) {
            lisp_ctx_drop(&ms->ctx, now, LISP_DROP_TOO_BIG, 0, &q->eid, &q->src);
            return;
        }
        memcpy(ms->ws->buf, payload, len);
        ms->ws->buf[0] = (uint8_t)((ms->ws->buf[0] | (LISP_ECM_F_E >> 24)) & ~(LISP_ECM_F_M >> 24));
        out_len = len;
    } else {
        uint32_t flags = ((q->in_ecm ? q->ecm_flags : 0) | LISP_ECM_F_E) & ~LISP_ECM_F_M;
        rc = lisp_ms_encode_subset(q, flags, mask, &ms->ws->tx, ms->ws->buf, sizeof ms->ws->buf,
                                   &out_len);
        if (rc < 0) {
            lisp_ctx_drop(&ms->ctx, now,
                          rc == LISP_ERR_NOBUF ? LISP_DROP_TOO_BIG : LISP_DROP_MALFORMED,
                          rc == LISP_ERR_NOBUF ? 0 : rc, &q->eid, &q->src);
            return;
        }
    }
    from = lisp_ms_src_for(&q->local, to);
    d = lisp_dgram_make(&from, from.port, to);
    if (lisp_ctx_send(&ms->ctx, now, &d, ms->ws->buf, out_len) < 0)
        return;
    for (i = 0; i < q->mreq->record_count; i++) {
        lisp_trace ev;
        if (plan->target[i] != k)
            continue;
        ms->stats.forwarded++;
        ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_FORWARDED, now);
        ev.eid = q->eids[i];
        ev.nonce = q->mreq->nonce;
        ev.peer = *to;
        lisp_ctx_emit(&ms->ctx, &ev);
    }
}

int ms_handle_request(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                      const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    lisp_ms_query q;
    lisp_ms_reply rb;
    ms_plan plan;
    unsigned i, k;
    int rc;

    rc = lisp_ms_query_parse(&q, &ms->ws->rx, payload, len, src, dst, true);
    if (rc == LISP_MS_QUERY_NOT_REQUEST) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, src);
        return LISP_OK;
    }
    if (rc < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_MALFORMED, rc, q.eid.afi ? &q.eid : NULL, src);
        return rc;
    }
    if (q.inner_ip_checksum_bad)
        ms->stats.ecm_bad_inner_checksum++;
    ms->stats.map_requests++;
    lisp_ms_trace_request(&ms->ctx, now, &q);
    if (q.no_reply) {
        ms->stats.requests_no_reply++;
        return LISP_OK;
    }

    /* The answers first (they use the workspace's tx and buf), then the forwarding. */
    memset(&plan, 0, sizeof plan);
    lisp_ms_reply_begin(&rb, &ms->ctx, &q, &ms->ws->tx, ms->ws->buf, sizeof ms->ws->buf);
    for (i = 0; i < q.mreq->record_count; i++)
        if (decide(ms, now, &q, i, &rb, &plan) < 0)
            lisp_ctx_drop(&ms->ctx, now, LISP_DROP_TOO_BIG, 0, &q.eid, &q.itr);
    if (lisp_ms_reply_flush(&rb, now) < 0)
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_TOO_BIG, 0, &q.eid, &q.itr);
    for (k = 0; k < plan.n_etrs; k++)
        forward(ms, now, &q, &plan, k, payload, len);
    return LISP_OK;
}
