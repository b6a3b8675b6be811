/* lisp_xtr.c - the xTR engine: its configuration, the composition of its components, UDP
 * dispatch, locator events and timers (lisp_xtr.h). */
#include <string.h>

#include "lisp_xtr_internal.h"

void lisp_xtr_config_default(lisp_xtr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->register_interval = 60 * LISP_NS_PER_SEC;
    cfg->register_retry_timeout = 1 * LISP_NS_PER_SEC;
    cfg->register_retries = 3;
    cfg->want_map_notify = true;
    cfg->mapping_ttl = 1440 * LISP_NS_PER_MINUTE;
    cfg->miss_policy = LISP_MISS_DROP;
    cfg->queue_packets = 64;
    cfg->max_pending = 64;
    cfg->request_timeout = 1 * LISP_NS_PER_SEC;
    cfg->request_retries = 3;
    cfg->mapcache_max_entries = 100000;
    cfg->mapcache_max_ttl = 1440 * LISP_NS_PER_MINUTE;
    cfg->max_packet = 2048;
}

static int hex_parse(const char *text, uint8_t *out, size_t n)
{
    uint8_t tmp[16];
    size_t i;

    if (!text || strlen(text) != 2 * n)
        return LISP_ERR_INVALID_ARG;
    for (i = 0; i < 2 * n; i++) {
        char c = text[i];
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0)
            return LISP_ERR_INVALID_ARG;
        tmp[i / 2] = (uint8_t)(i % 2 ? (tmp[i / 2] << 4) | v : v);
    }
    memcpy(out, tmp, n);
    return LISP_OK;
}

int lisp_xtr_id_parse(const char *text, uint8_t out[16])
{
    return hex_parse(text, out, 16);
}

int lisp_xtr_site_id_parse(const char *text, uint8_t out[8])
{
    return hex_parse(text, out, 8);
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
        c->max_packet < 64 || c->max_pending == 0 || c->mapcache_max_ttl < LISP_NS_PER_MINUTE ||
        c->register_interval == 0)
        return false;
    if (c->n_eids && !host->out.deliver)
        return false;
    if ((c->n_map_resolvers || c->n_map_servers) && c->n_rlocs == 0)
        return false; /* Map-Requests need an ITR-RLOC, Map-Registers a locator */
    for (i = 0; i < c->n_eids; i++)
        if (!prefix_ok(&c->eids[i]))
            return false;
    return true;
}

/* The components' own configurations, from the role's. */
static void itr_config(const lisp_xtr_config *c, lisp_itr_config *ic)
{
    unsigned i;

    memset(ic, 0, sizeof *ic);
    ic->n_map_resolvers = c->n_map_resolvers;
    ic->n_petrs = c->n_petrs;
    ic->miss_policy = (uint8_t)c->miss_policy;
    ic->request_retries = c->request_retries;
    ic->queue_packets = c->queue_packets;
    ic->max_pending = c->max_pending;
    ic->max_packet = c->max_packet;
    ic->pitr = c->pitr;
    ic->send_lsb = c->n_eids > 0; /* the bits describe a site behind us */
    ic->fixed_data_port = c->fixed_data_port;
    ic->iid = c->iid;
    ic->mapcache_max_entries = c->mapcache_max_entries;
    ic->request_timeout = c->request_timeout;
    ic->mapcache_max_ttl = c->mapcache_max_ttl;
    for (i = 0; i < c->n_map_resolvers; i++) {
        ic->map_resolvers[i] = c->map_resolvers[i];
        if (!ic->map_resolvers[i].port)
            ic->map_resolvers[i].port = LISP_CONTROL_PORT;
    }
    for (i = 0; i < c->n_petrs; i++) {
        ic->petrs[i] = c->petrs[i];
        if (!ic->petrs[i].port)
            ic->petrs[i].port = LISP_DATA_PORT;
    }
}

static void reg_config(const lisp_xtr_config *c, lisp_reg_config *rc)
{
    memset(rc, 0, sizeof *rc);
    rc->interval = c->register_interval;
    rc->retry_timeout = c->register_retry_timeout;
    rc->record_ttl = c->mapping_ttl;
    rc->retries = c->register_retries;
    rc->want_map_notify = c->want_map_notify;
    rc->proxy_reply = c->proxy_reply;
    rc->use_xtr_id = c->use_xtr_id;
    memcpy(rc->xtr_id, c->xtr_id, sizeof rc->xtr_id);
    memcpy(rc->site_id, c->site_id, sizeof rc->site_id);
}

/* ETR -> ITR: a remote site's locator-status-bits. */
static void on_lsb(void *user, lisp_time_t now, const lisp_eid *src_eid, const lisp_endpoint *rloc,
                   uint32_t lsb, unsigned nbits)
{
    lisp_itr_remote_lsb(user, now, src_eid, rloc, lsb, nbits);
}

static bool compose(lisp_xtr *x, const lisp_xtr_config *cfg)
{
    lisp_itr_config ic;
    lisp_reg_config rc;
    lisp_etr_config ec = {cfg->petr, cfg->mapping_ttl, on_lsb, &x->itr};
    unsigned i;

    x->eids.n = cfg->n_eids;
    memcpy(x->eids.eid, cfg->eids, cfg->n_eids * sizeof cfg->eids[0]);
    lisp_locators_init(&x->locs);
    for (i = 0; i < cfg->n_rlocs; i++) {
        const lisp_mapcache_loc *r = &cfg->rlocs[i];
        if (lisp_locators_add(&x->locs, r->afi, r->addr, cfg->rloc_ifindex[i], r->priority,
                              r->weight) < 0)
            return false;
    }
    itr_config(cfg, &ic);
    if (lisp_itr_init(&x->itr, &ic, &x->ctx, &x->mem, &x->locs, &x->eids, &x->stats) < 0)
        return false;
    lisp_etr_init(&x->etr, &ec, &x->ctx, &x->locs, &x->eids, &x->stats);
    reg_config(cfg, &rc);
    lisp_reg_init(&x->reg, &rc, &x->ctx, &x->locs, &x->eids, &x->stats);
    for (i = 0; i < cfg->n_map_servers; i++) {
        const lisp_xtr_map_server *ms = &cfg->map_servers[i];
        if (ms->key_len > LISP_AUTH_KEY_MAX ||
            lisp_reg_add_server(&x->reg, &ms->addr, ms->key_id, ms->key, ms->key_len) < 0)
            return false;
    }
    return true;
}

lisp_xtr *lisp_xtr_new(const lisp_xtr_config *cfg, const lisp_host *host, lisp_time_t now)
{
    lisp_mem mem;
    lisp_xtr *x;

    (void)now;
    if (!cfg || !config_ok(cfg, host))
        return NULL;
    x = lisp_mem_new_object(&mem, host->env.alloc, sizeof *x);
    if (!x)
        return NULL;
    x->engine.ops = &lisp_xtr_ops;
    x->mem = mem;
    lisp_ctx_init(&x->ctx, host, LISP_ROLE_XTR, &x->stats.common);
    if (!compose(x, cfg)) {
        lisp_xtr_free(x);
        return NULL;
    }
    return x;
}

void lisp_xtr_free(lisp_xtr *x)
{
    lisp_mem mem;

    if (!x)
        return;
    lisp_reg_release(&x->reg);
    lisp_itr_release(&x->itr);
    lisp_ctx_release(&x->ctx);
    mem = x->mem;
    lisp_mem_free(&mem, x, sizeof *x);
}

/* Every entry point that may build a message first makes sure there is a workspace. */
static bool enter(lisp_xtr *x, lisp_time_t now)
{
    if (lisp_ctx_workspace(&x->ctx))
        return true;
    lisp_ctx_internal_error(&x->ctx, now, LISP_ERR_NOMEM, NULL, NULL);
    return false;
}

void lisp_xtr_start(lisp_xtr *x, lisp_time_t now)
{
    x->started = true;
    if (x->reg.n && x->eids.n && enter(x, now))
        lisp_reg_start(&x->reg, now);
}

int lisp_xtr_eid_packet(lisp_xtr *x, lisp_time_t now, const uint8_t *pkt, size_t len)
{
    if (!enter(x, now))
        return LISP_ERR_NOMEM;
    return lisp_itr_packet(&x->itr, now, pkt, len);
}

/* A Map-Request inside an ECM: answered like a plain one, at the inner source port. */
static void handle_ecm(lisp_xtr *x, lisp_time_t now, lisp_msg *rx, const lisp_endpoint *src,
                       const lisp_endpoint *dst)
{
    lisp_ecm ecm = rx->u.ecm;
    lisp_endpoint reply_to = *src;
    int rc;

    reply_to.port = ecm.inner.sport;
    rc = lisp_msg_decode(rx, ecm.payload, ecm.payload_len);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return;
    }
    if (rx->type != LISP_MAP_REQUEST) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, src);
        return;
    }
    lisp_etr_map_request(&x->etr, now, &reply_to, dst, &rx->u.mreq);
}

int lisp_xtr_input(lisp_xtr *x, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                   size_t len)
{
    lisp_msg *rx;
    int rc;

    if (!enter(x, now))
        return LISP_ERR_NOMEM;
    if (d->dst.port == LISP_DATA_PORT) {
        lisp_etr_data(&x->etr, now, d, payload, len);
        return LISP_OK;
    }
    if (lisp_msg_peek_type(payload, len) == LISP_MAP_NOTIFY) {
        lisp_reg_notify(&x->reg, now, &d->src, payload, len); /* verifies before decoding */
        return LISP_OK;
    }
    rx = &lisp_ctx_workspace(&x->ctx)->rx;
    rc = lisp_msg_decode(rx, payload, len);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, &d->src);
        return rc;
    }
    switch (rx->type) {
    case LISP_MAP_REPLY:
        lisp_itr_map_reply(&x->itr, now, &d->src, &rx->u.mrep);
        break;
    case LISP_MAP_REQUEST:
        lisp_etr_map_request(&x->etr, now, &d->src, &d->dst, &rx->u.mreq);
        break;
    case LISP_ECM:
        handle_ecm(x, now, rx, &d->src, &d->dst);
        break;
    default:
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, &d->src);
        break;
    }
    return LISP_OK;
}

int lisp_xtr_locator_event(lisp_xtr *x, lisp_time_t now, const lisp_locator_event *ev)
{
    int rc;

    if (!enter(x, now))
        return LISP_ERR_NOMEM;
    rc = lisp_locators_apply(&x->locs, &x->ctx, now, ev);
    if (rc < 0)
        return rc;
    x->stats.locator_events++;
    /* The Map-Server must learn the new locator set (and its order) at once: ITRs that
     * ask it would otherwise use a gone RLOC, or read our new LSBs against the old order.
     * Before lisp_xtr_start the registration FSMs are idle and ignore it. */
    lisp_reg_locators_changed(&x->reg, now);
    return LISP_OK;
}

lisp_time_t lisp_xtr_next_expiry(const lisp_xtr *x)
{
    lisp_time_t t = lisp_itr_next_expiry(&x->itr);
    lisp_time_t r = lisp_reg_next_expiry(&x->reg);
    return r < t ? r : t;
}

void lisp_xtr_handle_expiry(lisp_xtr *x, lisp_time_t now)
{
    if (!enter(x, now))
        return;
    lisp_itr_expiry(&x->itr, now);
    lisp_reg_expiry(&x->reg, now);
}

const lisp_xtr_stats *lisp_xtr_get_stats(const lisp_xtr *x)
{
    return &x->stats;
}

const lisp_mapcache *lisp_xtr_mapcache(const lisp_xtr *x)
{
    return x->itr.mc;
}

bool lisp_xtr_registered(const lisp_xtr *x)
{
    return x->started && lisp_reg_registered(&x->reg);
}

const char *lisp_xtr_registration_state(const lisp_xtr *x, unsigned i)
{
    return i < x->reg.n ? lisp_reg_state_name(x->reg.ms[i].state) : NULL;
}

uint32_t lisp_xtr_lsb(const lisp_xtr *x)
{
    return lisp_locators_lsb(&x->locs);
}

unsigned lisp_xtr_locator_count(const lisp_xtr *x)
{
    return x->locs.n;
}

bool lisp_xtr_locator_at(const lisp_xtr *x, unsigned i, lisp_xtr_locator *out)
{
    const lisp_local_rloc *r;

    if (i >= x->locs.n)
        return false;
    r = &x->locs.rloc[i];
    memset(out, 0, sizeof *out);
    out->addr.afi = r->afi;
    memcpy(out->addr.addr, r->addr, sizeof r->addr);
    out->ifindex = r->ifindex;
    out->priority = r->priority;
    out->weight = r->weight;
    out->up = r->up;
    return true;
}

unsigned lisp_xtr_map_server_count(const lisp_xtr *x)
{
    return x->reg.n;
}

bool lisp_xtr_map_server_at(const lisp_xtr *x, unsigned i, lisp_xtr_registration *out)
{
    const lisp_reg_server *s;

    if (i >= x->reg.n)
        return false;
    s = &x->reg.ms[i];
    memset(out, 0, sizeof *out);
    out->map_server = s->addr;
    out->key_id = s->key_id;
    out->state = lisp_reg_state_name(s->state);
    out->tries = s->tries;
    out->round_at = s->state == LISP_REG_IDLE ? LISP_TIME_NEVER : s->round_at;
    out->notified_at = s->notified_at;
    out->next_at = s->timer;
    return true;
}

int lisp_xtr_clear_mapcache(lisp_xtr *x)
{
    return lisp_itr_clear_mapcache(&x->itr);
}

size_t lisp_xtr_memory_bytes(const lisp_xtr *x)
{
    return x->mem.bytes + lisp_mapcache_memory_bytes(x->itr.mc);
}
