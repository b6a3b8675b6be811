/* lisp_mr.c - the Map-Resolver engine (lisp_mr.h): configuration, ECM Map-Requests,
 * forwarding to Map-Servers (remote, or the co-located one) and negative Map-Replies. */
#include <string.h>

#include "lisp_mr_internal.h"

#define DEFAULT_NEGATIVE_TTL (15 * LISP_NS_PER_MINUTE)

void lisp_mr_config_default(lisp_mr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->negative_ttl = DEFAULT_NEGATIVE_TTL;
}

/* ---------------------------------------------------------------------------------------- */
/* Creation                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static int bad_config(const lisp_ctx *ctx, const char *what, size_t i)
{
    lisp_ctx_logf(ctx, LISP_LOG_ERROR, "map-resolver config: entry %zu: %s", i, what);
    return LISP_ERR_INVALID_ARG;
}

static int add_entry(lisp_mr *mr, const lisp_mr_entry *in, bool imported)
{
    lisp_mapcache_mapping m;
    lisp_mr_entry *e = &mr->entries[mr->n_entries];
    int rc;

    if (lisp_mapcache_get(mr->table, &in->prefix)) {
        if (imported)
            return LISP_OK; /* an explicit entry for the prefix wins */
        return bad_config(&mr->ctx, "EID-prefix listed twice", mr->n_entries);
    }
    if (in->local && !mr->local_ms)
        return bad_config(&mr->ctx, "local entry without local_ms", mr->n_entries);
    if (!in->local && in->map_server.afi != LISP_AFI_IPV4 && in->map_server.afi != LISP_AFI_IPV6)
        return bad_config(&mr->ctx, "Map-Server address is not IPv4/IPv6", mr->n_entries);
    memset(&m, 0, sizeof m);
    m.user = mr->n_entries;
    rc = lisp_mapcache_put(mr->table, &in->prefix, &m, LISP_TIME_NEVER);
    if (rc == LISP_ERR_INVALID_ARG)
        return bad_config(&mr->ctx, "EID-prefix not IPv4/IPv6 or not canonical", mr->n_entries);
    if (rc < 0)
        return rc;
    *e = *in;
    if (!e->local && e->map_server.port == 0)
        e->map_server.port = LISP_CONTROL_PORT;
    mr->n_entries++;
    return LISP_OK;
}

static int configure(lisp_mr *mr, const lisp_mr_config *cfg)
{
    size_t n_local = cfg->local_ms ? lisp_ms_prefix_count(cfg->local_ms) : 0, i;
    lisp_mapcache_config mc;
    int rc;

    memset(&mc, 0, sizeof mc);
    mc.alloc = mr->ctx.alloc;
    mr->table = lisp_mapcache_new(&mc);
    mr->entries = lisp_mem_alloc(&mr->mem, (cfg->n_entries + n_local) * sizeof *mr->entries);
    if (cfg->local_ms) /* a request split for the co-located Map-Server (lisp_mr_handle_udp) */
        mr->local_buf = lisp_mem_alloc(&mr->mem, LISP_MSG_MAX);
    if (!mr->table || !mr->entries || (cfg->local_ms && !mr->local_buf))
        return LISP_ERR_NOMEM;
    mr->entry_cap = cfg->n_entries + n_local;
    for (i = 0; i < cfg->n_entries; i++)
        if ((rc = add_entry(mr, &cfg->entries[i], false)) < 0)
            return rc;
    for (i = 0; i < n_local; i++) {
        lisp_mr_entry e;
        memset(&e, 0, sizeof e);
        e.prefix = *lisp_ms_prefix_at(cfg->local_ms, i);
        e.local = true;
        if ((rc = add_entry(mr, &e, true)) < 0)
            return rc;
    }
    return LISP_OK;
}

lisp_mr *lisp_mr_new(const lisp_mr_config *cfg, const lisp_host *host, lisp_time_t now)
{
    lisp_mem mem;
    lisp_mr *mr;

    (void)now;
    if (!cfg || !host || !host->out.send || (cfg->n_entries && !cfg->entries))
        return NULL;
    mr = lisp_mem_new_object(&mem, host->env.alloc, sizeof *mr);
    if (!mr)
        return NULL;
    mr->engine.ops = &lisp_mr_ops;
    mr->mem = mem;
    lisp_ctx_init(&mr->ctx, host, LISP_ROLE_MR, &mr->stats.common);
    mr->local_ms = cfg->local_ms;
    mr->negative_ttl_min =
        lisp_record_ttl(cfg->negative_ttl ? cfg->negative_ttl : DEFAULT_NEGATIVE_TTL);
    if (configure(mr, cfg) < 0) {
        lisp_mr_free(mr);
        return NULL;
    }
    return mr;
}

void lisp_mr_free(lisp_mr *mr)
{
    lisp_mem mem;

    if (!mr)
        return;
    lisp_ctx_release(&mr->ctx);
    lisp_mapcache_free(mr->table);
    lisp_mem_free(&mr->mem, mr->entries, mr->entry_cap * sizeof *mr->entries);
    lisp_mem_free(&mr->mem, mr->local_buf, LISP_MSG_MAX);
    mem = mr->mem;
    lisp_mem_free(&mem, mr, sizeof *mr);
}

/* ---------------------------------------------------------------------------------------- */
/* Map-Requests                                                                             */
/* ---------------------------------------------------------------------------------------- */

static bool known_type(int type)
{
    return type == LISP_MAP_REQUEST || type == LISP_MAP_REPLY || type == LISP_MAP_REGISTER ||
           type == LISP_MAP_NOTIFY || type == LISP_MAP_NOTIFY_ACK || type == LISP_INFO ||
           type == LISP_ECM;
}

#define TARGET_NEGATIVE 0xFF /* answered here */
#define TARGET_LOCAL 0xFE    /* the co-located Map-Server */

/* Forward the records of q whose target is t: the datagram itself when they are all of
 * them, else an ECM carrying only those records (same flags and inner header). */
static int forward_group(lisp_mr *mr, lisp_time_t now, const lisp_ms_query *q,
                         const uint8_t *target, uint8_t t, const lisp_endpoint *src,
                         const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    uint32_t mask = 0, all = 0;
    const uint8_t *out = payload;
    size_t out_len = len;
    lisp_endpoint to;
    unsigned i;
    int rc;

    for (i = 0; i < q->mreq->record_count; i++) {
        all |= 1u << i;
        if (target[i] == t)
            mask |= 1u << i;
    }
    if (mask != all) {
        rc = lisp_ms_encode_subset(q, q->ecm_flags, mask, &mr->ws->tx, mr->ws->buf,
                                   sizeof mr->ws->buf, &out_len);
        if (rc < 0) {
            lisp_ctx_drop(&mr->ctx, now, LISP_DROP_TOO_BIG, 0, &q->eid, src);
            return LISP_OK;
        }
        out = mr->ws->buf;
    }
    to = t == TARGET_LOCAL ? q->local : mr->entries[t].map_server;
    if (t == TARGET_LOCAL) {
        mr->stats.local++;
    } else {
        lisp_endpoint from = lisp_ms_src_for(&q->local, &to);
        lisp_dgram d = lisp_dgram_make(&from, from.port, &to);
        if (lisp_ctx_send(&mr->ctx, now, &d, out, out_len) < 0)
            return LISP_OK;
        mr->stats.forwarded++;
    }
    for (i = 0; i < q->mreq->record_count; i++) {
        lisp_trace ev;
        if (target[i] != t)
            continue;
        ev = lisp_trace_make(LISP_TRACE_MAP_REQUEST_FORWARDED, now);
        ev.eid = q->eids[i];
        ev.nonce = q->mreq->nonce;
        ev.peer = to;
        lisp_ctx_emit(&mr->ctx, &ev);
    }
    if (t != TARGET_LOCAL)
        return LISP_OK;
    if (out != payload) { /* the Map-Server borrows the shared workspace: hand it a copy */
        memcpy(mr->local_buf, out, out_len);
        out = mr->local_buf;
    }
    return lisp_ms_handle_udp(mr->local_ms, now, src, dst, out, out_len);
}

int lisp_mr_handle_udp(lisp_mr *mr, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    static const lisp_endpoint none;
    uint8_t target[LISP_MAX_RECORDS];
    bool local = false;
    lisp_ms_query q;
    lisp_ms_reply rb;
    unsigned i, k;
    int type, rc;

    if (!src)
        src = &none;
    mr->stats.received++;
    type = payload ? lisp_msg_peek_type(payload, len) : LISP_ERR_TRUNCATED;
    if (type < 0 || !known_type(type)) {
        rc = type < 0 ? type : LISP_ERR_UNKNOWN_TYPE;
        lisp_ctx_drop(&mr->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return rc;
    }
    if (type != LISP_ECM) {
        lisp_ctx_drop(&mr->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, src);
        return LISP_OK;
    }
    mr->ws = lisp_ctx_workspace(&mr->ctx);
    if (!mr->ws) {
        lisp_ctx_internal_error(&mr->ctx, now, LISP_ERR_NOMEM, NULL, src);
        return LISP_ERR_NOMEM;
    }
    rc = lisp_ms_query_parse(&q, &mr->ws->rx, payload, len, src, dst, false);
    if (rc == LISP_MS_QUERY_NOT_REQUEST) {
        lisp_ctx_drop(&mr->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, src);
        return LISP_OK;
    }
    if (rc < 0) {
        lisp_ctx_drop(&mr->ctx, now, LISP_DROP_MALFORMED, rc, q.eid.afi ? &q.eid : NULL, src);
        return rc;
    }
    if (q.inner_ip_checksum_bad)
        mr->stats.ecm_bad_inner_checksum++;
    mr->stats.map_requests++;
    lisp_ms_trace_request(&mr->ctx, now, &q);

    /* Every record on its own: to its Map-Server, or a negative answer from here. */
    lisp_ms_reply_begin(&rb, &mr->ctx, &q, &mr->ws->tx, mr->ws->buf, sizeof mr->ws->buf);
    for (i = 0; i < q.mreq->record_count; i++) {
        const lisp_eid *eid = &q.eids[i];
        const lisp_mapcache_entry *e =
            lisp_mapcache_lookup(mr->table, eid->iid, eid->afi, eid->addr);
        lisp_eid neg;

        if (e) {
            target[i] = mr->entries[e->user].local ? TARGET_LOCAL : (uint8_t)e->user;
            local |= target[i] == TARGET_LOCAL;
            continue;
        }
        target[i] = TARGET_NEGATIVE;
        if (q.no_reply)
            continue;
        if (lisp_mapcache_negative_prefix(mr->table, eid->iid, eid->afi, eid->addr, &neg) !=
            LISP_OK)
            neg = *eid; /* cannot happen: nothing covers the EID */
        if (lisp_ms_reply_add(&rb, now, &neg, lisp_ms_query_iid_lcaf(&q, i),
                              LISP_ACT_NATIVELY_FORWARD, true, mr->negative_ttl_min, 0, NULL,
                              0) < 0)
            lisp_ctx_drop(&mr->ctx, now, LISP_DROP_TOO_BIG, 0, eid, &q.itr);
        else
            mr->stats.negative_replies++;
    }
    if (lisp_ms_reply_flush(&rb, now) < 0)
        lisp_ctx_drop(&mr->ctx, now, LISP_DROP_TOO_BIG, 0, &q.eid, &q.itr);
    if (q.no_reply && !local)
        for (i = 0; i < q.mreq->record_count; i++)
            if (target[i] == TARGET_NEGATIVE) {
                mr->stats.requests_no_reply++;
                break;
            }

    /* Remote Map-Servers, then the co-located one (it borrows the workspace). */
    for (i = 0; i < q.mreq->record_count; i++) {
        if (target[i] == TARGET_NEGATIVE || target[i] == TARGET_LOCAL)
            continue;
        for (k = 0; k < i && target[k] != target[i]; k++)
            ;
        if (k == i)
            forward_group(mr, now, &q, target, target[i], src, dst, payload, len);
    }
    if (local)
        return forward_group(mr, now, &q, target, TARGET_LOCAL, src, dst, payload, len);
    return LISP_OK;
}

lisp_time_t lisp_mr_next_expiry(const lisp_mr *mr)
{
    (void)mr;
    return LISP_TIME_NEVER;
}

void lisp_mr_handle_expiry(lisp_mr *mr, lisp_time_t now)
{
    (void)mr;
    (void)now;
}

const lisp_mr_stats *lisp_mr_get_stats(const lisp_mr *mr)
{
    return &mr->stats;
}

size_t lisp_mr_entry_count(const lisp_mr *mr)
{
    return mr->n_entries;
}

const lisp_mr_entry *lisp_mr_entry_at(const lisp_mr *mr, size_t i)
{
    return i < mr->n_entries ? &mr->entries[i] : NULL;
}
