/* lisp_itr.c - the ITR core's data path: map-cache hits, encapsulation, locator choice,
 * negative entries, and remote locator reachability (lisp_itr_internal.h). */
#include <string.h>

#include "lisp_data.h"
#include "lisp_itr_internal.h"

#define EPHEMERAL_BASE 0xC000u /* outer source ports 49152..65535 (RFC 9300 5.3) */
#define EPHEMERAL_MASK 0x3FFFu
#define NONCE24_MASK 0xFFFFFFu

/* With an instance-ID the data header has 8 locator-status-bits: one per local RLOC. */
_Static_assert(LISP_XTR_MAX_RLOCS <= 8, "locator-status-bits beside an instance-ID are 8");

/* An empty map-cache of the configured size, on the engine's allocator. */
static lisp_mapcache *new_mapcache(const lisp_itr *itr)
{
    lisp_mapcache_config mcc;
    lisp_allocator a = {itr->mem->malloc, itr->mem->realloc, itr->mem->free, itr->mem->user_data};

    memset(&mcc, 0, sizeof mcc);
    mcc.max_entries = itr->cfg.mapcache_max_entries;
    mcc.alloc = &a; /* copied by lisp_mapcache_new */
    return lisp_mapcache_new(&mcc);
}

int lisp_itr_init(lisp_itr *itr, const lisp_itr_config *cfg, lisp_ctx *ctx, lisp_mem *mem,
                  const lisp_locators *locs, const lisp_eid_set *eids, lisp_xtr_stats *stats)
{
    memset(itr, 0, sizeof *itr);
    itr->cfg = *cfg;
    itr->ctx = ctx;
    itr->mem = mem;
    itr->locs = locs;
    itr->eids = eids;
    itr->stats = stats;
    itr->free_slot = LISP_ITR_NO_SLOT;
    itr->mc = new_mapcache(itr);
    return itr->mc ? LISP_OK : LISP_ERR_NOMEM;
}

int lisp_itr_clear_mapcache(lisp_itr *itr)
{
    /* A fresh cache rather than deleting entry by entry: one allocation that can fail
     * before anything changes, and the old cache's memory goes back at once. */
    lisp_mapcache *mc = new_mapcache(itr);
    size_t n;

    if (!mc)
        return LISP_ERR_NOMEM;
    n = lisp_mapcache_count(itr->mc);
    lisp_mapcache_free(itr->mc);
    itr->mc = mc;
    lisp_ctx_logf(itr->ctx, LISP_LOG_INFO, "map-cache cleared: %zu entries dropped", n);
    return n > INT32_MAX ? INT32_MAX : (int)n;
}

void lisp_itr_release(lisp_itr *itr)
{
    lisp_mapcache_free(itr->mc);
    itr->mc = NULL;
    lisp_mem_free(itr->mem, itr->res, (size_t)itr->cfg.max_pending * sizeof *itr->res);
    lisp_mem_free(itr->mem, itr->slots, (size_t)itr->cfg.queue_packets * sizeof *itr->slots);
    lisp_mem_free(itr->mem, itr->slab, (size_t)itr->cfg.queue_packets * itr->cfg.max_packet);
    itr->res = NULL;
    itr->slots = NULL;
    itr->slab = NULL;
}

static bool remote_usable(const lisp_itr *itr, const lisp_mapcache_loc *l, unsigned best)
{
    return l->priority == best && (l->flags & LISP_LOC_F_R) &&
           lisp_locators_have(itr->locs, l->afi);
}

/* Among reachable remote locators that a usable local RLOC can reach, the best priority,
 * one of them by weight with the flow hash, so a flow always takes one path. */
static const lisp_mapcache_loc *choose_locator(const lisp_itr *itr, const lisp_mapcache_entry *e,
                                               uint32_t hash)
{
    unsigned i, best = LISP_LOCATOR_UNUSABLE, n = 0;
    uint32_t total = 0, pick;

    for (i = 0; i < e->loc_count; i++) {
        const lisp_mapcache_loc *l = &e->locators[i];
        if (l->priority < best && remote_usable(itr, l, l->priority))
            best = l->priority;
    }
    if (best == LISP_LOCATOR_UNUSABLE)
        return NULL;
    for (i = 0; i < e->loc_count; i++)
        if (remote_usable(itr, &e->locators[i], best)) {
            total += e->locators[i].weight;
            n++;
        }
    pick = total ? hash % total : hash % n; /* all weights zero: spread evenly */
    for (i = 0; i < e->loc_count; i++) {
        const lisp_mapcache_loc *l = &e->locators[i];
        uint32_t share;
        if (!remote_usable(itr, l, best))
            continue;
        share = total ? l->weight : 1;
        if (pick < share)
            return l;
        pick -= share;
    }
    return NULL; /* not reached */
}

/* TTL and TOS of a parsed IP packet (RFC 9300 5.3 copies both to the outer header). */
static void inner_ttl_tos(const uint8_t *pkt, uint8_t *ttl, uint8_t *tos)
{
    if ((pkt[0] >> 4) == 4) {
        *tos = pkt[1];
        *ttl = pkt[8];
    } else {
        *tos = (uint8_t)(((pkt[0] & 0x0F) << 4) | (pkt[1] >> 4));
        *ttl = pkt[7];
    }
}

static void encapsulate(lisp_itr *itr, lisp_time_t now, const lisp_endpoint *rloc,
                        const lisp_ip_flow *f, uint32_t iid, const uint8_t *pkt, size_t len)
{
    lisp_workspace *ws = lisp_ctx_workspace(itr->ctx);
    uint32_t hash = lisp_ip_flow_hash(f);
    lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);
    const lisp_local_rloc *src = lisp_locators_source(itr->locs, rloc->afi, hash);
    lisp_data_hdr h;
    lisp_dgram d;
    lisp_trace ev;
    uint16_t sport;

    if (len + LISP_DATA_HDR_LEN > sizeof ws->buf) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_TOO_BIG, 0, &dst, rloc);
        return;
    }
    if (!src && itr->locs->n) { /* RLOCs of that family exist but none is usable */
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_NO_LOCATOR, 0, &dst, rloc);
        return;
    }
    memset(&h, 0, sizeof h);
    h.flags = LISP_DATA_F_N;
    h.nonce = (uint32_t)(lisp_ctx_random(itr->ctx) & NONCE24_MASK);
    if (itr->cfg.send_lsb) { /* LSBs describe our site; a PITR has none */
        h.flags |= LISP_DATA_F_L;
        h.lsb = lisp_locators_lsb(itr->locs);
    }
    if (iid) {
        h.flags |= LISP_DATA_F_I;
        h.iid = iid; /* the LSBs keep 8 bits: all of ours (see below) */
    }
    lisp_data_encode(&h, ws->buf);
    memcpy(ws->buf + LISP_DATA_HDR_LEN, pkt, len);
    sport = itr->cfg.fixed_data_port ? LISP_DATA_PORT
                                     : (uint16_t)(EPHEMERAL_BASE | (hash & EPHEMERAL_MASK));
    d = lisp_dgram_make(NULL, sport, rloc);
    if (src) {
        d.src.afi = src->afi;
        memcpy(d.src.addr, src->addr, 16);
    }
    inner_ttl_tos(pkt, &d.ttl, &d.tos);
    if (lisp_ctx_send(itr->ctx, now, &d, ws->buf, len + LISP_DATA_HDR_LEN) < 0)
        return;
    itr->stats->encapsulated++;
    ev = lisp_trace_make(LISP_TRACE_ENCAP, now);
    ev.eid = dst;
    ev.peer = *rloc;
    ev.count = (uint32_t)len;
    lisp_ctx_emit(itr->ctx, &ev);
}

/* A negative entry: natively-forward goes to a PETR, or natively; other actions drop. */
static void negative(lisp_itr *itr, lisp_time_t now, const lisp_mapcache_entry *e,
                     const lisp_ip_flow *f, uint32_t iid, const uint8_t *pkt, size_t len)
{
    const lisp_outputs *out = &itr->ctx->host.out;
    lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);
    lisp_trace ev;

    if (e->action != LISP_ACT_NATIVELY_FORWARD) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_NEGATIVE_MAPPING, 0, &dst, NULL);
        return;
    }
    if (itr->cfg.n_petrs) {
        encapsulate(itr, now, &itr->cfg.petrs[lisp_ip_flow_hash(f) % itr->cfg.n_petrs], f, iid, pkt,
                    len);
        return;
    }
    if (!out->forward_native) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_NEGATIVE_MAPPING, 0, &dst, NULL);
        return;
    }
    if (out->forward_native(itr->ctx->host.env.user_data, pkt, len) < 0) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_NO_ROUTE, 0, &dst, NULL);
        return;
    }
    itr->stats->forwarded_native++;
    ev = lisp_trace_make(LISP_TRACE_FORWARD_NATIVE, now);
    ev.eid = dst;
    ev.count = (uint32_t)len;
    lisp_ctx_emit(itr->ctx, &ev);
}

bool lisp_itr_forward(lisp_itr *itr, lisp_time_t now, const lisp_ip_flow *f, uint32_t iid,
                      const uint8_t *pkt, size_t len)
{
    const lisp_mapcache_entry *e = lisp_mapcache_lookup(itr->mc, iid, f->afi, f->dst);
    const lisp_mapcache_loc *loc;
    lisp_endpoint rloc;

    if (!e)
        return false;
    if (e->loc_count == 0) {
        if (e->action == LISP_ACT_SEND_MAP_REQUEST)
            return false; /* RFC 9301: ask the mapping system again */
        negative(itr, now, e, f, iid, pkt, len);
        return true;
    }
    loc = choose_locator(itr, e, lisp_ip_flow_hash(f));
    if (!loc) {
        lisp_eid dst = lisp_eid_host(iid, f->afi, f->dst);
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_NO_LOCATOR, 0, &dst, NULL);
        return true;
    }
    memset(&rloc, 0, sizeof rloc);
    rloc.afi = loc->afi;
    memcpy(rloc.addr, loc->addr, 16);
    rloc.port = loc->port ? loc->port : LISP_DATA_PORT;
    encapsulate(itr, now, &rloc, f, iid, pkt, len);
    return true;
}

/* The instance-ID of a packet: that of our EID-prefix holding its source, else cfg.iid. */
static uint32_t packet_iid(const lisp_itr *itr, const lisp_ip_flow *f)
{
    unsigned i;

    for (i = 0; i < itr->eids->n; i++)
        if (lisp_eid_covers(&itr->eids->eid[i], itr->eids->eid[i].iid, f->afi, f->src))
            return itr->eids->eid[i].iid;
    return itr->cfg.iid;
}

int lisp_itr_packet(lisp_itr *itr, lisp_time_t now, const uint8_t *pkt, size_t len)
{
    lisp_ip_flow f;
    uint32_t iid;
    int rc = lisp_ip_flow_parse(&f, pkt, len);

    if (rc < 0) {
        lisp_ctx_drop(itr->ctx, now, LISP_DROP_MALFORMED, rc, NULL, NULL);
        return rc;
    }
    iid = packet_iid(itr, &f);
    if (!lisp_itr_forward(itr, now, &f, iid, pkt, len))
        lisp_itr_miss(itr, now, &f, iid, pkt, len);
    return LISP_OK;
}

void lisp_itr_remote_lsb(lisp_itr *itr, lisp_time_t now, const lisp_eid *src_eid,
                         const lisp_endpoint *rloc, uint32_t lsb, unsigned nbits)
{
    const lisp_mapcache_entry *e =
        lisp_mapcache_lookup(itr->mc, src_eid->iid, src_eid->afi, src_eid->addr);
    lisp_mapcache_loc locs[LISP_MAX_LOCATORS]; /* a Map-Reply's most */
    lisp_mapcache_mapping m;
    lisp_eid prefix;
    lisp_time_t expires;
    bool from_site = false, changed = false;
    unsigned i, n;
    lisp_trace ev;

    if (!e || e->loc_count == 0 || e->loc_count > sizeof locs / sizeof locs[0])
        return;
    n = e->loc_count;
    memcpy(locs, e->locators, n * sizeof locs[0]);
    /* Only the site's own locators speak for it: anyone else could switch them off. */
    for (i = 0; i < n; i++)
        if (locs[i].afi == rloc->afi &&
            memcmp(locs[i].addr, rloc->addr, rloc->afi == LISP_AFI_IPV4 ? 4 : 16) == 0)
            from_site = true;
    if (!from_site)
        return;
    for (i = 0; i < n && i < nbits; i++) {
        uint16_t want = (lsb >> i) & 1u ? LISP_LOC_F_R : 0;
        if ((locs[i].flags & LISP_LOC_F_R) != want) {
            locs[i].flags = (uint16_t)((locs[i].flags & ~LISP_LOC_F_R) | want);
            changed = true;
        }
    }
    if (!changed)
        return;
    prefix = e->prefix;
    expires = e->expires;
    memset(&m, 0, sizeof m);
    m.action = e->action;
    m.authoritative = e->authoritative;
    m.map_version = e->map_version;
    m.user = e->user;
    m.loc_count = (uint16_t)n;
    m.locators = locs;
    /* The same prefix: replaced in place, same expiry (lisp_mapcache_put). */
    if (lisp_mapcache_put(itr->mc, &prefix, &m, expires) < 0) {
        lisp_ctx_internal_error(itr->ctx, now, LISP_ERR_NOMEM, &prefix, rloc);
        return;
    }
    itr->stats->remote_locator_changes++;
    ev = lisp_trace_make(LISP_TRACE_REMOTE_LOCATOR_STATUS, now);
    ev.eid = prefix;
    ev.peer = *rloc;
    ev.count = nbits >= 32 ? lsb : lsb & ((1u << nbits) - 1);
    lisp_ctx_emit(itr->ctx, &ev);
}

typedef struct expire_ctx {
    lisp_itr *itr;
    lisp_time_t now;
} expire_ctx;

static void on_mapcache_expire(void *user, const lisp_mapcache_entry *e)
{
    expire_ctx *c = user;
    lisp_trace ev = lisp_trace_make(LISP_TRACE_MAPCACHE_EXPIRE, c->now);
    ev.eid = e->prefix;
    lisp_ctx_emit(c->itr->ctx, &ev);
}

void lisp_itr_expiry(lisp_itr *itr, lisp_time_t now)
{
    expire_ctx c = {itr, now};

    lisp_mapcache_expire(itr->mc, now, on_mapcache_expire, &c);
    lisp_itr_res_expiry(itr, now);
}

lisp_time_t lisp_itr_next_expiry(const lisp_itr *itr)
{
    lisp_time_t t = lisp_itr_res_next_expiry(itr);
    lisp_time_t mc = lisp_mapcache_next_expiry(itr->mc);
    return mc < t ? mc : t;
}
