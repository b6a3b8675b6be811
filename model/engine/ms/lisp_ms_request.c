/*
 * lisp_ms_request.c - Map-Request in (RFC 9301 section 8.4): proxy Map-Reply, forwarding of
 * the ECM to a registered ETR, or a negative Map-Reply.
 */
#include <string.h>

#include "lisp_ms_internal.h"

#define INNER_TTL 64

/* Clear the bits of e beyond len and make len its mask length. */
static void truncate_prefix(lisp_eid *e, unsigned len)
{
    unsigned nbytes = e->afi == LISP_AFI_IPV4 ? 4 : 16, i;

    for (i = 0; i < nbytes; i++) {
        unsigned first = i * 8;
        if (first >= len)
            e->addr[i] = 0;
        else if (first + 8 > len)
            e->addr[i] &= (uint8_t)(0xFFu << (first + 8 - len));
    }
    if (nbytes == 4)
        memset(e->addr + 4, 0, 12);
    e->mask_len = (uint8_t)len;
}

/* A plain Map-Request wrapped into an ECM whose inner header names the requester, so that
 * the ETR answers it directly. */
static int wrap_plain(lisp_ms *ms, const lisp_ms_query *q, const lisp_endpoint *src,
                      const lisp_endpoint *dst, const uint8_t *payload, size_t len, size_t *out_len)
{
    lisp_ecm *e = &ms->ws->tx.u.ecm;
    size_t n = src->afi == LISP_AFI_IPV4 ? 4 : 16;

    if (src->afi != LISP_AFI_IPV4 && src->afi != LISP_AFI_IPV6)
        return LISP_ERR_BAD_AFI;
    memset(&ms->ws->tx.u, 0, sizeof ms->ws->tx.u);
    ms->ws->tx.type = LISP_ECM;
    e->flags = LISP_ECM_F_E;
    e->inner.afi = src->afi;
    memcpy(e->inner.src, src->addr, n);
    if (q->eid.afi == src->afi)
        memcpy(e->inner.dst, q->eid.addr, n);
    else if (dst && dst->afi == src->afi)
        memcpy(e->inner.dst, dst->addr, n);
    e->inner.sport = src->port;
    e->inner.dport = LISP_CONTROL_PORT;
    e->inner.ttl = INNER_TTL;
    e->payload = payload;
    e->payload_len = len;
    return lisp_msg_encode(&ms->ws->tx, ms->ws->buf, sizeof ms->ws->buf, out_len);
}

static void forward(lisp_ms *ms, lisp_time_t now, const lisp_ms_query *q,
                    const lisp_mapcache_entry *e, const lisp_endpoint *src,
                    const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    const lisp_mapcache_loc *best = NULL;
    lisp_endpoint to, from;
    lisp_dgram d;
    lisp_trace ev;
    size_t out_len = 0;
    unsigned i;
    int rc;

    for (i = 0; i < e->loc_count; i++)
        if (!best || e->locators[i].priority < best->priority)
            best = &e->locators[i];
    if (!best) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_NO_LOCATOR, 0, &q->eid, src);
        return;
    }
    memset(&to, 0, sizeof to);
    to.afi = best->afi;
    memcpy(to.addr, best->addr, 16);
    to.port = LISP_CONTROL_PORT;

    if (q->in_ecm) {
        /* The same ECM; its outer word now says "to an ETR" (RFC 9301 section 5.8). */
        if (len > sizeof ms->ws->buf) {
            lisp_ctx_drop(&ms->ctx, now, LISP_DROP_TOO_BIG, 0, &q->eid, src);
            return;
        }
        memcpy(ms->ws->buf, payload, len);
        ms->ws->buf[0] = (uint8_t)((ms->ws->buf[0] | (LISP_ECM_F_E >> 24)) & ~(LISP_ECM_F_M >> 24));
        out_len = len;
    } else {
        rc = wrap_plain(ms, q, src, dst, payload, len, &out_len);
        if (rc < 0) {
            lisp_ctx_drop(&ms->ctx, now, rc == LISP_ERR_NOBUF ? LISP_DROP_TOO_BIG : LISP_DROP_MALFORMED,
                          rc == LISP_ERR_NOBUF ? 0 : rc, &q->eid, src);
            return;
        }
    }
    from = lisp_ms_src_for(&q->local, &to);
    d = lisp_dgram_make(&from, from.port, &to);
    if (lisp_ctx_send(&ms->ctx, now, &d, ms->ws->buf, out_len) < 0)
        return;
    ms->stats.forwarded++;

    ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_FORWARDED, now);
    ev.eid = q->eid;
    ev.nonce = q->mreq->nonce;
    ev.peer = to;
    lisp_ctx_emit(&ms->ctx, &ev);
}

static void reply(lisp_ms *ms, lisp_time_t now, const lisp_ms_query *q, const lisp_eid *prefix,
                  uint8_t action, bool authoritative, uint32_t ttl, uint16_t version,
                  const lisp_mapcache_loc *locs, unsigned n)
{
    int rc = lisp_ms_send_reply(&ms->ctx, now, q, &ms->ws->tx, ms->ws->buf, sizeof ms->ws->buf, prefix, action,
                                authoritative, ttl, version, locs, n);
    if (rc == LISP_ERR_NOBUF)
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_TOO_BIG, 0, &q->eid, &q->itr);
}

int ms_handle_request(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                      const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    const lisp_mapcache_entry *e, *ce;
    const ms_reg *r;
    lisp_ms_query q;
    lisp_eid neg;
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
    ms->stats.map_requests++;
    lisp_ms_trace_request(&ms->ctx, now, &q);

    r = ms_registry_lookup(ms, q.eid.iid, q.eid.afi, q.eid.addr, &e);
    if (r) {
        if (ms_reg_proxy(ms, r)) {
            ms->stats.proxy_replies++;
            reply(ms, now, &q, &e->prefix, LISP_ACT_NO_ACTION, false, ms_reg_ttl(r), r->map_version,
                  e->locators, e->loc_count);
        } else {
            forward(ms, now, &q, e, src, dst, payload, len);
        }
        return LISP_OK;
    }

    ce = lisp_mapcache_lookup(ms->config_db, q.eid.iid, q.eid.afi, q.eid.addr);
    if (ce) {
        /* Configured, not registered: the shortest prefix inside the site prefix that covers
         * no registration. */
        const lisp_eid *site_prefix = &ms->prefixes[ce->user].prefix;
        if (lisp_mapcache_negative_prefix(ms->reg_db, q.eid.iid, q.eid.afi, q.eid.addr, &neg) !=
            LISP_OK) /* cannot happen: no registration covers the EID */
            neg = q.eid;
        if (neg.mask_len < site_prefix->mask_len) {
            neg = q.eid;
            truncate_prefix(&neg, site_prefix->mask_len);
        }
        ms->stats.unregistered_replies++;
        reply(ms, now, &q, &neg, LISP_ACT_NATIVELY_FORWARD, true, ms->unregistered_ttl_min, 0, NULL,
              0);
        return LISP_OK;
    }

    if (lisp_mapcache_negative_prefix(ms->config_db, q.eid.iid, q.eid.afi, q.eid.addr, &neg) !=
        LISP_OK)
        neg = q.eid;
    ms->stats.negative_replies++;
    reply(ms, now, &q, &neg, LISP_ACT_NATIVELY_FORWARD, true, ms->negative_ttl_min, 0, NULL, 0);
    return LISP_OK;
}
