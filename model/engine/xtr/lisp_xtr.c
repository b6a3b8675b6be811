/* lisp_xtr.c - the xTR engine's life cycle, UDP dispatch and timers (lisp_xtr.h). */
#include <string.h>

#include "lisp_auth.h"
#include "lisp_xtr_internal.h"

#define CONTROL_BUF_MIN 4096 /* room for any Map-Register or ECM'd Map-Request we build */
#define DATA_HEADROOM 64     /* LISP data header, with room to spare */

void lisp_xtr_config_default(lisp_xtr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->register_interval = 60 * LISP_NS_PER_SEC;
    cfg->want_map_notify = true;
    cfg->record_ttl = 1440;
    cfg->miss_policy = LISP_MISS_DROP;
    cfg->queue_packets = 64;
    cfg->max_pending = 64;
    cfg->request_timeout = 1 * LISP_NS_PER_SEC;
    cfg->request_retries = 3;
    cfg->mapcache_max_entries = 100000;
    cfg->max_packet = 2048;
}

static bool prefix_ok(const lisp_eid *p)
{
    unsigned bits = lisp_afi_bits(p->afi), i;

    if (!bits || p->mask_len > bits)
        return false;
    for (i = p->mask_len; i < bits; i++) /* host bits must be zero */
        if (p->addr[i / 8] & (0x80 >> (i % 8)))
            return false;
    return true;
}

static bool config_ok(const lisp_xtr_config *c, const lisp_host *host)
{
    unsigned i;

    if (!host || !host->out.send || !host->env.random || c->n_eids > LISP_XTR_MAX_EIDS ||
        c->n_rlocs > LISP_XTR_MAX_RLOCS || c->n_map_resolvers > LISP_XTR_MAX_SERVERS ||
        c->n_map_servers > LISP_XTR_MAX_SERVERS || c->n_petrs > LISP_XTR_MAX_SERVERS ||
        c->max_packet < 64 || c->max_pending == 0)
        return false;
    if (c->n_eids && !host->out.deliver)
        return false;
    if ((c->n_map_resolvers || c->n_map_servers) && c->n_rlocs == 0)
        return false; /* Map-Requests need an ITR-RLOC, Map-Registers a locator */
    for (i = 0; i < c->n_eids; i++)
        if (!prefix_ok(&c->eids[i]))
            return false;
    for (i = 0; i < c->n_rlocs; i++)
        if (!lisp_afi_bits(c->rlocs[i].afi))
            return false;
    for (i = 0; i < c->n_map_servers; i++)
        if (lisp_auth_default_len(c->map_servers[i].key_id) == 0 ||
            c->map_servers[i].key_len > LISP_XTR_KEY_MAX)
            return false;
    return true;
}

static void default_ports(lisp_xtr_config *c)
{
    unsigned i;
    for (i = 0; i < c->n_map_resolvers; i++)
        if (!c->map_resolvers[i].port)
            c->map_resolvers[i].port = LISP_CONTROL_PORT;
    for (i = 0; i < c->n_map_servers; i++)
        if (!c->map_servers[i].addr.port)
            c->map_servers[i].addr.port = LISP_CONTROL_PORT;
    for (i = 0; i < c->n_petrs; i++)
        if (!c->petrs[i].port)
            c->petrs[i].port = LISP_DATA_PORT;
}

static size_t slab_bytes(const lisp_xtr_config *c)
{
    return (size_t)c->queue_packets * c->max_packet;
}

lisp_xtr *lisp_xtr_new(const lisp_xtr_config *cfg, const lisp_host *host, lisp_time_t now)
{
    lisp_mem mem;
    lisp_mapcache_config mcc;
    lisp_xtr *x;
    unsigned i;

    (void)now;
    if (!cfg || !config_ok(cfg, host))
        return NULL;
    x = lisp_mem_new_object(&mem, host->env.alloc, sizeof *x);
    if (!x)
        return NULL;
    x->engine.ops = &lisp_xtr_ops;
    x->mem = mem;
    x->cfg = *cfg;
    lisp_ctx_init(&x->ctx, host, LISP_ROLE_XTR, &x->stats.common);
    default_ports(&x->cfg);
    x->register_at = LISP_TIME_NEVER;

    memset(&mcc, 0, sizeof mcc);
    mcc.max_entries = cfg->mapcache_max_entries;
    mcc.alloc = host->env.alloc;
    x->mc = lisp_mapcache_new(&mcc);
    x->data_cap = cfg->max_packet + DATA_HEADROOM;
    if (x->data_cap < CONTROL_BUF_MIN)
        x->data_cap = CONTROL_BUF_MIN;
    x->slots = lisp_mem_alloc(&x->mem, (size_t)cfg->queue_packets * sizeof *x->slots);
    x->slab = lisp_mem_alloc(&x->mem, slab_bytes(cfg));
    x->pending = lisp_mem_alloc(&x->mem, (size_t)cfg->max_pending * sizeof *x->pending);
    for (i = 0; i < x->cfg.n_map_servers; i++) {
        const lisp_xtr_map_server *ms = &x->cfg.map_servers[i];
        x->ms_state[i].key = lisp_auth_key_new(ms->key, ms->key_len);
        if (!x->ms_state[i].key) {
            lisp_xtr_free(x);
            return NULL;
        }
    }
    if (!x->mc || !x->slots || !x->slab || !x->pending) {
        lisp_xtr_free(x);
        return NULL;
    }
    /* All slots start on the free list. */
    for (i = 0; i < cfg->queue_packets; i++) {
        x->slots[i].data = x->slab + (size_t)i * cfg->max_packet;
        x->slots[i].next = (uint16_t)(i + 1 < cfg->queue_packets ? i + 1 : XTR_NO_SLOT);
        x->slots[i].len = 0;
    }
    x->free_slot = cfg->queue_packets ? 0 : XTR_NO_SLOT;
    memset(x->pending, 0, (size_t)cfg->max_pending * sizeof *x->pending);
    return x;
}

void lisp_xtr_free(lisp_xtr *x)
{
    lisp_mem mem;
    unsigned i;

    if (!x)
        return;
    mem = x->mem;
    for (i = 0; i < LISP_XTR_MAX_SERVERS; i++)
        lisp_auth_key_free(x->ms_state[i].key);
    lisp_mapcache_free(x->mc);
    lisp_ctx_release(&x->ctx);
    lisp_mem_free(&mem, x->slab, slab_bytes(&x->cfg));
    lisp_mem_free(&mem, x->slots, (size_t)x->cfg.queue_packets * sizeof *x->slots);
    lisp_mem_free(&mem, x->pending, (size_t)x->cfg.max_pending * sizeof *x->pending);
    lisp_mem_free(&mem, x, sizeof *x);
}

void lisp_xtr_start(lisp_xtr *x, lisp_time_t now)
{
    x->started = true;
    if (x->cfg.n_map_servers && x->cfg.n_eids && xtr_enter(x, now))
        xtr_register_send(x, now);
}

const lisp_mapcache_loc *xtr_local_rloc(const lisp_xtr *x, uint16_t afi)
{
    unsigned i;
    for (i = 0; i < x->cfg.n_rlocs; i++)
        if (x->cfg.rlocs[i].afi == afi)
            return &x->cfg.rlocs[i];
    return NULL;
}

const lisp_eid *xtr_our_prefix(const lisp_xtr *x, uint32_t iid, uint16_t afi,
                               const uint8_t *addr)
{
    unsigned i;
    for (i = 0; i < x->cfg.n_eids; i++)
        if (lisp_eid_covers(&x->cfg.eids[i], iid, afi, addr))
            return &x->cfg.eids[i];
    return NULL;
}

int xtr_send(lisp_xtr *x, lisp_time_t now, uint16_t afi_src, uint16_t sport,
             const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    const lisp_mapcache_loc *rloc = xtr_local_rloc(x, afi_src);
    lisp_endpoint src;
    lisp_dgram d;

    memset(&src, 0, sizeof src);
    if (rloc) {
        src.afi = rloc->afi;
        memcpy(src.addr, rloc->addr, 16);
    }
    d = lisp_dgram_make(&src, sport, dst);
    return lisp_ctx_send(&x->ctx, now, &d, payload, len);
}

uint64_t xtr_nonce(lisp_xtr *x)
{
    return lisp_ctx_random(&x->ctx);
}

bool xtr_enter(lisp_xtr *x, lisp_time_t now)
{
    x->ws = lisp_ctx_workspace(&x->ctx);
    if (!x->ws)
        lisp_ctx_internal_error(&x->ctx, now, LISP_ERR_NOMEM, NULL, NULL);
    return x->ws != NULL;
}

int lisp_xtr_eid_packet(lisp_xtr *x, lisp_time_t now, const uint8_t *pkt, size_t len)
{
    if (!xtr_enter(x, now))
        return LISP_ERR_NOMEM;
    return xtr_itr_packet(x, now, pkt, len);
}

/* A Map-Request inside an ECM: answered like a plain one, at the inner source port. */
static void handle_ecm(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst)
{
    lisp_ecm ecm = x->ws->rx.u.ecm;
    lisp_endpoint reply_to = *src;
    int rc;

    reply_to.port = ecm.inner.sport;
    rc = lisp_msg_decode(&x->ws->rx, ecm.payload, ecm.payload_len);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return;
    }
    if (x->ws->rx.type != LISP_MAP_REQUEST) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, src);
        return;
    }
    xtr_etr_map_request(x, now, &reply_to, dst, &x->ws->rx.u.mreq);
}

int lisp_xtr_handle_udp(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src,
                        const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    int rc;

    if (!xtr_enter(x, now))
        return LISP_ERR_NOMEM;
    if (dst->port == LISP_DATA_PORT) {
        xtr_etr_data(x, now, src, payload, len);
        return LISP_OK;
    }
    if (lisp_msg_peek_type(payload, len) == LISP_MAP_NOTIFY) {
        xtr_register_notify(x, now, src, payload, len); /* verifies before decoding */
        return LISP_OK;
    }
    rc = lisp_msg_decode(&x->ws->rx, payload, len);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return rc;
    }
    switch (x->ws->rx.type) {
    case LISP_MAP_REPLY:
        xtr_itr_map_reply(x, now, src);
        break;
    case LISP_MAP_REQUEST:
        xtr_etr_map_request(x, now, src, dst, &x->ws->rx.u.mreq);
        break;
    case LISP_ECM:
        handle_ecm(x, now, src, dst);
        break;
    default:
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, src);
        break;
    }
    return LISP_OK;
}

lisp_time_t lisp_xtr_next_expiry(const lisp_xtr *x)
{
    lisp_time_t t = xtr_itr_next_expiry(x);
    lisp_time_t mc = lisp_mapcache_next_expiry(x->mc);

    if (mc < t)
        t = mc;
    if (x->register_at < t)
        t = x->register_at;
    return t;
}

typedef struct expire_ctx {
    lisp_xtr *x;
    lisp_time_t now;
} expire_ctx;

static void on_mapcache_expire(void *user, const lisp_mapcache_entry *e)
{
    expire_ctx *c = user;
    lisp_trace ev = lisp_trace_make(LISP_TRACE_MAPCACHE_EXPIRE, c->now);
    ev.eid = e->prefix;
    lisp_ctx_emit(&c->x->ctx, &ev);
}

void lisp_xtr_handle_expiry(lisp_xtr *x, lisp_time_t now)
{
    expire_ctx c = {x, now};

    if (!xtr_enter(x, now))
        return;
    lisp_mapcache_expire(x->mc, now, on_mapcache_expire, &c);
    xtr_itr_expiry(x, now);
    if (x->register_at <= now)
        xtr_register_send(x, now);
}

const lisp_xtr_stats *lisp_xtr_get_stats(const lisp_xtr *x)
{
    return &x->stats;
}

const lisp_mapcache *lisp_xtr_mapcache(const lisp_xtr *x)
{
    return x->mc;
}

bool lisp_xtr_registered(const lisp_xtr *x)
{
    unsigned i;

    if (!x->started || x->cfg.n_map_servers == 0)
        return false;
    for (i = 0; i < x->cfg.n_map_servers; i++)
        if (!x->ms_state[i].acked)
            return false;
    return true;
}
