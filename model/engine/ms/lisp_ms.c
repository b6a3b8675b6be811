/* lisp_ms.c - the Map-Server engine: configuration, lifetime, datagram dispatch, timers and
 * queries (lisp_ms.h). Registration is in lisp_ms_register.c and lisp_ms_registry.c,
 * Map-Requests in lisp_ms_request.c. */
#include <string.h>

#include "lisp_ms_internal.h"

#define DEFAULT_REGISTRATION_TTL (3 * LISP_NS_PER_MINUTE)
#define DEFAULT_UNREGISTERED_TTL (1 * LISP_NS_PER_MINUTE)
#define DEFAULT_NEGATIVE_TTL (15 * LISP_NS_PER_MINUTE)
#define DEFAULT_NOTIFY_TIMEOUT LISP_NS_PER_SEC
#define DEFAULT_NOTIFY_RETRIES 3

void lisp_ms_config_default(lisp_ms_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->registration_ttl = DEFAULT_REGISTRATION_TTL;
    cfg->unregistered_ttl = DEFAULT_UNREGISTERED_TTL;
    cfg->negative_ttl = DEFAULT_NEGATIVE_TTL;
    cfg->notify_timeout = DEFAULT_NOTIFY_TIMEOUT;
    cfg->notify_retries = DEFAULT_NOTIFY_RETRIES;
}

/* ---------------------------------------------------------------------------------------- */
/* Creation                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static void *mem_dup(lisp_mem *mem, const void *src, size_t len)
{
    void *p = lisp_mem_alloc(mem, len);
    if (p && len)
        memcpy(p, src, len);
    return p;
}

static int bad_config(const lisp_ctx *ctx, const char *what, size_t site)
{
    lisp_ctx_logf(ctx, LISP_LOG_ERROR, "map-server config: site %zu: %s", site, what);
    return LISP_ERR_INVALID_ARG;
}

static int add_site(lisp_ms *ms, size_t i, const lisp_ms_site_config *sc)
{
    ms_site *s = &ms->sites[i];
    const char *name = sc->name ? sc->name : "";
    size_t k;

    if (sc->key_id != LISP_KEY_ID_HMAC_SHA1_96 && sc->key_id != LISP_KEY_ID_HMAC_SHA256_128)
        return bad_config(&ms->ctx, "key-id must be 1 or 2", i);
    if (sc->key_len > LISP_MS_KEY_MAX || (sc->key_len && !sc->key))
        return bad_config(&ms->ctx, "bad key", i);
    if (sc->n_prefixes == 0 || !sc->prefixes)
        return bad_config(&ms->ctx, "no EID-prefix", i);

    s->name_len = strlen(name);
    s->name = mem_dup(&ms->mem, name, s->name_len + 1);
    s->key = lisp_auth_key_new(sc->key, sc->key_len);
    if (!s->name || !s->key)
        return LISP_ERR_NOMEM;
    s->key_id = sc->key_id;
    s->proxy_reply = sc->proxy_reply;

    for (k = 0; k < sc->n_prefixes; k++) {
        const lisp_eid *p = &sc->prefixes[k].prefix;
        lisp_mapcache_mapping m;
        int rc;

        if (lisp_mapcache_get(ms->config_db, p))
            return bad_config(&ms->ctx, "EID-prefix configured twice", i);
        memset(&m, 0, sizeof m);
        m.user = ms->n_prefixes;
        rc = lisp_mapcache_put(ms->config_db, p, &m, LISP_TIME_NEVER);
        if (rc == LISP_ERR_INVALID_ARG)
            return bad_config(&ms->ctx, "EID-prefix not IPv4/IPv6 or not canonical", i);
        if (rc < 0)
            return rc;
        ms->prefixes[ms->n_prefixes].prefix = *p;
        ms->prefixes[ms->n_prefixes].site = (uint32_t)i;
        ms->prefixes[ms->n_prefixes].accept_more_specifics = sc->prefixes[k].accept_more_specifics;
        ms->n_prefixes++;
    }
    return LISP_OK;
}

static int configure(lisp_ms *ms, const lisp_ms_config *cfg)
{
    lisp_mapcache_config mc;
    size_t i, n_prefixes = 0;
    int rc;

    for (i = 0; i < cfg->n_sites; i++)
        n_prefixes += cfg->sites[i].n_prefixes;
    memset(&mc, 0, sizeof mc);
    mc.alloc = ms->ctx.alloc;
    ms->config_db = lisp_mapcache_new(&mc);
    ms->reg_db = lisp_mapcache_new(&mc);
    ms->sites = lisp_mem_alloc(&ms->mem, cfg->n_sites * sizeof *ms->sites);
    if (ms->sites) {
        memset(ms->sites, 0, cfg->n_sites * sizeof *ms->sites);
        ms->n_sites = cfg->n_sites;
    }
    ms->prefixes = lisp_mem_alloc(&ms->mem, n_prefixes * sizeof *ms->prefixes);
    ms->prefix_cap = ms->prefixes ? n_prefixes : 0;
    if (!ms->config_db || !ms->reg_db || !ms->sites || !ms->prefixes)
        return LISP_ERR_NOMEM;
    for (i = 0; i < cfg->n_sites; i++) {
        rc = add_site(ms, i, &cfg->sites[i]);
        if (rc < 0)
            return rc;
    }
    for (i = 0; i < ms->n_prefixes && !ms->config_nested; i++) {
        lisp_eid a = ms->prefixes[i].prefix;
        int len;
        for (len = (int)a.mask_len - 1; len >= 0 && !ms->config_nested; len--) {
            ms_eid_truncate(&a, (unsigned)len);
            ms->config_nested = lisp_mapcache_get(ms->config_db, &a) != NULL;
        }
    }
    return LISP_OK;
}

lisp_ms *lisp_ms_new(const lisp_ms_config *cfg, const lisp_host *host, lisp_time_t now)
{
    lisp_mem mem;
    lisp_ms *ms;

    (void)now;
    if (!cfg || !host || !host->out.send || !host->env.random || (cfg->n_sites && !cfg->sites))
        return NULL;
    ms = lisp_mem_new_object(&mem, host->env.alloc, sizeof *ms);
    if (!ms)
        return NULL;
    ms->engine.ops = &lisp_ms_ops;
    ms->mem = mem;
    lisp_ctx_init(&ms->ctx, host, LISP_ROLE_MS, &ms->stats.common);
    ms->registration_ttl = cfg->registration_ttl ? cfg->registration_ttl : DEFAULT_REGISTRATION_TTL;
    ms->unregistered_ttl_min =
        lisp_record_ttl(cfg->unregistered_ttl ? cfg->unregistered_ttl : DEFAULT_UNREGISTERED_TTL);
    ms->negative_ttl_min =
        lisp_record_ttl(cfg->negative_ttl ? cfg->negative_ttl : DEFAULT_NEGATIVE_TTL);
    ms->notify_timeout = cfg->notify_timeout ? cfg->notify_timeout : DEFAULT_NOTIFY_TIMEOUT;
    ms->notify_retries = cfg->notify_retries > 0xFE ? 0xFE : cfg->notify_retries;
    ms->reject_zero_nonce = cfg->reject_zero_nonce;
    if (configure(ms, cfg) < 0) {
        lisp_ms_free(ms);
        return NULL;
    }
    return ms;
}

void lisp_ms_free(lisp_ms *ms)
{
    lisp_mem mem;
    size_t i;

    if (!ms)
        return;
    ms_registry_free(ms);
    lisp_ctx_release(&ms->ctx);
    lisp_mapcache_free(ms->reg_db);
    lisp_mapcache_free(ms->config_db);
    if (ms->sites)
        for (i = 0; i < ms->n_sites; i++) {
            if (ms->sites[i].name)
                lisp_mem_free(&ms->mem, ms->sites[i].name, ms->sites[i].name_len + 1);
            lisp_auth_key_free(ms->sites[i].key);
        }
    lisp_mem_free(&ms->mem, ms->sites, ms->n_sites * sizeof *ms->sites);
    lisp_mem_free(&ms->mem, ms->prefixes, ms->prefix_cap * sizeof *ms->prefixes);
    mem = ms->mem;
    lisp_mem_free(&mem, ms, sizeof *ms);
}

/* ---------------------------------------------------------------------------------------- */
/* Datagrams and timers                                                                     */
/* ---------------------------------------------------------------------------------------- */

/* Run every named timer that is due by now, the earliest deadline first (the one place
 * timers fire): a Map-Notify given up before its xTR's registration expired is traced so. */
static void run_timers(lisp_ms *ms, lisp_time_t now)
{
    for (;;) {
        lisp_time_t reg = ms_timer_due(ms, MS_TIMER_REGISTRATION);
        lisp_time_t notify = ms_timer_due(ms, MS_TIMER_NOTIFY);
        if (reg > now && notify > now)
            return;
        if (notify < reg)
            ms_notify_expire_one(ms, now);
        else
            ms_registry_expire(ms, now); /* all due; may start Map-Notifies */
    }
}

int lisp_ms_handle_udp(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    static const lisp_endpoint none;
    int type;

    if (!src)
        src = &none;
    ms->stats.received++;
    ms->ws = lisp_ctx_workspace(&ms->ctx); /* NULL: counted where it is needed */
    if (lisp_ms_next_expiry(ms) <= now)
        run_timers(ms, now);

    type = payload ? lisp_msg_peek_type(payload, len) : LISP_ERR_TRUNCATED;
    if (type < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_MALFORMED, type, NULL, src);
        return type;
    }
    if (!ms->ws) {
        lisp_ctx_internal_error(&ms->ctx, now, LISP_ERR_NOMEM, NULL, src);
        return LISP_ERR_NOMEM;
    }
    switch (type) {
    case LISP_MAP_REGISTER:
        return ms_handle_register(ms, now, src, dst, payload, len);
    case LISP_MAP_REQUEST:
    case LISP_ECM:
        return ms_handle_request(ms, now, src, dst, payload, len);
    case LISP_MAP_NOTIFY_ACK:
        return ms_handle_notify_ack(ms, now, src, payload, len);
    case LISP_MAP_REPLY:
    case LISP_MAP_NOTIFY:
    case LISP_INFO: /* NAT traversal (Info-Request) is not handled yet */
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_UNEXPECTED_TYPE, 0, NULL, src);
        return LISP_OK;
    default:
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_MALFORMED, LISP_ERR_UNKNOWN_TYPE, NULL, src);
        return LISP_ERR_UNKNOWN_TYPE;
    }
}

lisp_time_t ms_timer_due(const lisp_ms *ms, ms_timer t)
{
    switch (t) {
    case MS_TIMER_REGISTRATION:
        return lisp_mapcache_next_expiry(ms->reg_db);
    case MS_TIMER_NOTIFY:
        return ms_notify_next_due(ms);
    default:
        return LISP_TIME_NEVER;
    }
}

lisp_time_t lisp_ms_next_expiry(const lisp_ms *ms)
{
    lisp_time_t next = LISP_TIME_NEVER, t;
    int i;

    for (i = 0; i < MS_TIMER_COUNT; i++)
        if ((t = ms_timer_due(ms, (ms_timer)i)) < next)
            next = t;
    return next;
}

void lisp_ms_handle_expiry(lisp_ms *ms, lisp_time_t now)
{
    ms->ws = lisp_ctx_workspace(&ms->ctx);
    run_timers(ms, now);
}

/* ---------------------------------------------------------------------------------------- */
/* Queries                                                                                  */
/* ---------------------------------------------------------------------------------------- */

const lisp_ms_stats *lisp_ms_get_stats(const lisp_ms *ms)
{
    return &ms->stats;
}

size_t lisp_ms_registration_count(const lisp_ms *ms)
{
    return lisp_mapcache_count(ms->reg_db);
}

/* The registration of a reg_db entry, as lisp_ms_get_registration reports it. */
static void fill_registration(const lisp_ms *ms, const lisp_mapcache_entry *e,
                              lisp_ms_registration *out)
{
    const ms_reg *r = (const ms_reg *)(uintptr_t)e->user;
    unsigned i;

    memset(out, 0, sizeof *out);
    out->prefix = r->prefix;
    out->site = r->site;
    out->xtr_count = r->n_xtrs;
    out->proxy_reply = ms_reg_proxy(ms, r);
    out->ttl = ms_reg_ttl(r);
    out->map_version = r->map_version;
    out->expires = e->expires;
    out->expires_last = 0;
    for (i = 0; i < r->n_xtrs; i++)
        if (r->xtrs[i]->expires > out->expires_last)
            out->expires_last = r->xtrs[i]->expires;
    out->loc_count = e->loc_count;
    out->locators = e->locators;
    for (i = 0; i < r->n_xtrs; i++) {
        out->notify_waiting += r->xtrs[i]->notify_state == MS_NOTIFY_WAIT_ACK;
        out->notify_given_up += r->xtrs[i]->notify_state == MS_NOTIFY_GAVE_UP;
    }
}

bool lisp_ms_get_registration(const lisp_ms *ms, const lisp_eid *prefix, lisp_ms_registration *out)
{
    const lisp_mapcache_entry *e = lisp_mapcache_get(ms->reg_db, prefix);

    if (!e || !out)
        return false;
    fill_registration(ms, e, out);
    return true;
}

typedef struct visit_ctx {
    const lisp_ms *ms;
    lisp_ms_registration_visit *cb;
    void *user;
} visit_ctx;

static int visit_registration(void *user, const lisp_mapcache_entry *e)
{
    const visit_ctx *v = user;
    lisp_ms_registration reg;

    fill_registration(v->ms, e, &reg);
    return v->cb(v->user, &reg);
}

int lisp_ms_foreach_registration(const lisp_ms *ms, lisp_ms_registration_visit *cb, void *user)
{
    visit_ctx v = {ms, cb, user};
    return lisp_mapcache_foreach(ms->reg_db, visit_registration, &v);
}

bool lisp_ms_registration_xtr(const lisp_ms *ms, const lisp_eid *prefix, unsigned i,
                              lisp_ms_xtr_info *out)
{
    const lisp_mapcache_entry *e = lisp_mapcache_get(ms->reg_db, prefix);
    const ms_reg *r;
    const ms_xtr *x;

    if (!e)
        return false;
    r = (const ms_reg *)(uintptr_t)e->user;
    if (i >= r->n_xtrs)
        return false;
    x = r->xtrs[i];
    memset(out, 0, sizeof *out);
    out->by_xtr_id = x->by_xtr_id;
    memcpy(out->xtr_id, x->xtr_id, sizeof out->xtr_id);
    memcpy(out->site_id, x->site_id, sizeof out->site_id);
    out->rloc = x->rloc;
    out->expires = x->expires;
    out->proxy_reply = x->proxy;
    out->ttl = x->ttl;
    out->map_version = x->map_version;
    out->loc_count = x->loc_count;
    out->notify_state = ms_notify_state_name(x->notify_state);
    return true;
}

size_t lisp_ms_site_count(const lisp_ms *ms)
{
    return ms->n_sites;
}

bool lisp_ms_site_at(const lisp_ms *ms, size_t i, lisp_ms_site_info *out)
{
    if (i >= ms->n_sites)
        return false;
    out->name = ms->sites[i].name ? ms->sites[i].name : "";
    out->key_id = ms->sites[i].key_id;
    out->proxy_reply = ms->sites[i].proxy_reply;
    return true;
}

bool lisp_ms_prefix_info_at(const lisp_ms *ms, size_t i, lisp_ms_prefix_info *out)
{
    if (i >= ms->n_prefixes)
        return false;
    out->prefix = ms->prefixes[i].prefix;
    out->site = ms->prefixes[i].site;
    out->accept_more_specifics = ms->prefixes[i].accept_more_specifics;
    return true;
}

size_t lisp_ms_prefix_count(const lisp_ms *ms)
{
    return ms->n_prefixes;
}

const lisp_eid *lisp_ms_prefix_at(const lisp_ms *ms, size_t i)
{
    return i < ms->n_prefixes ? &ms->prefixes[i].prefix : NULL;
}
