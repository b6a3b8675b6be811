/* lisp_nat.c - the NAT engine's life cycle (lisp_nat.h): configuration and presets,
 * creation and release, expiry, traces and drops, and the listing of mappings. */
#include "lisp_nat_internal.h"

#define DEFAULT_UDP_TIMEOUT (5 * LISP_NS_PER_MINUTE)               /* RFC 4787 REQ-5 */
#define DEFAULT_TCP_ESTABLISHED_TIMEOUT (124 * LISP_NS_PER_MINUTE) /* RFC 5382 REQ-5 */
#define DEFAULT_TCP_TRANSITORY_TIMEOUT (4 * LISP_NS_PER_MINUTE)    /* RFC 5382 REQ-5 */
#define DEFAULT_ICMP_TIMEOUT (60 * LISP_NS_PER_SEC)                /* RFC 5508 REQ-1 */
#define DEFAULT_MAX_MAPPINGS 65536

void lisp_nat_config_default(lisp_nat_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->mapping = LISP_NAT_ENDPOINT_INDEPENDENT;
    cfg->filtering = LISP_NAT_ADDRESS_PORT_DEPENDENT;
    cfg->port_policy = LISP_NAT_PORT_PRESERVE;
    cfg->pooling = LISP_NAT_POOL_PAIRED;
    cfg->port_min = 1024;
    cfg->port_max = 65535;
    cfg->udp_timeout = DEFAULT_UDP_TIMEOUT;
    cfg->tcp_established_timeout = DEFAULT_TCP_ESTABLISHED_TIMEOUT;
    cfg->tcp_transitory_timeout = DEFAULT_TCP_TRANSITORY_TIMEOUT;
    cfg->icmp_timeout = DEFAULT_ICMP_TIMEOUT;
    cfg->inbound_refresh = false;
    cfg->hairpinning = true;
    cfg->max_mappings = DEFAULT_MAX_MAPPINGS;
}

/* One row per preset: the four behaviour fields of lisp_nat_config. */
static const struct nat_preset {
    const char *name;
    uint8_t mapping, filtering, port_policy, pooling;
} presets[] = {
    {"full-cone", LISP_NAT_ENDPOINT_INDEPENDENT, LISP_NAT_ENDPOINT_INDEPENDENT,
     LISP_NAT_PORT_PRESERVE, LISP_NAT_POOL_PAIRED},
    {"restricted-cone", LISP_NAT_ENDPOINT_INDEPENDENT, LISP_NAT_ADDRESS_DEPENDENT,
     LISP_NAT_PORT_PRESERVE, LISP_NAT_POOL_PAIRED},
    {"port-restricted-cone", LISP_NAT_ENDPOINT_INDEPENDENT, LISP_NAT_ADDRESS_PORT_DEPENDENT,
     LISP_NAT_PORT_PRESERVE, LISP_NAT_POOL_PAIRED},
    {"symmetric", LISP_NAT_ADDRESS_PORT_DEPENDENT, LISP_NAT_ADDRESS_PORT_DEPENDENT,
     LISP_NAT_PORT_RANDOM, LISP_NAT_POOL_PAIRED},
    {"linux-masquerade", LISP_NAT_ENDPOINT_INDEPENDENT, LISP_NAT_ADDRESS_PORT_DEPENDENT,
     LISP_NAT_PORT_PRESERVE, LISP_NAT_POOL_PAIRED},
    {"carrier-grade", LISP_NAT_ENDPOINT_INDEPENDENT, LISP_NAT_ENDPOINT_INDEPENDENT,
     LISP_NAT_PORT_RANDOM, LISP_NAT_POOL_PAIRED},
};

int lisp_nat_preset(lisp_nat_config *cfg, const char *name)
{
    size_t i;

    for (i = 0; name && i < sizeof presets / sizeof presets[0]; i++)
        if (strcmp(presets[i].name, name) == 0) {
            cfg->mapping = presets[i].mapping;
            cfg->filtering = presets[i].filtering;
            cfg->port_policy = presets[i].port_policy;
            cfg->pooling = presets[i].pooling;
            return LISP_OK;
        }
    return LISP_ERR_INVALID_ARG;
}

const char *lisp_nat_preset_at(size_t i)
{
    return i < sizeof presets / sizeof presets[0] ? presets[i].name : NULL;
}

static bool config_ok(const lisp_nat_config *cfg)
{
    return cfg->n_public >= 1 && cfg->n_public <= LISP_NAT_MAX_PUBLIC &&
           cfg->port_min <= cfg->port_max && cfg->port_max >= 1 &&
           cfg->mapping <= LISP_NAT_ADDRESS_PORT_DEPENDENT &&
           cfg->filtering <= LISP_NAT_ADDRESS_PORT_DEPENDENT &&
           cfg->port_policy <= LISP_NAT_PORT_RANDOM && cfg->pooling <= LISP_NAT_POOL_ARBITRARY &&
           cfg->max_mappings >= 1 && cfg->max_mappings <= (UINT32_MAX >> 2);
}

lisp_nat *lisp_nat_new(const lisp_nat_config *cfg, const lisp_host *host, lisp_time_t now)
{
    lisp_mem mem;
    lisp_nat *n;
    int i;

    (void)now;
    if (!cfg || !host || !host->env.random || !config_ok(cfg))
        return NULL;
    n = lisp_mem_new_object(&mem, host->env.alloc, sizeof *n);
    if (!n)
        return NULL;
    n->engine.ops = &lisp_nat_ops;
    n->mem = mem;
    lisp_ctx_init(&n->ctx, host, LISP_ROLE_NAT, &n->stats.common);
    n->cfg = *cfg;
    n->timeout[NAT_CLASS_UDP] = cfg->udp_timeout;
    n->timeout[NAT_CLASS_TCP_TRANSITORY] = cfg->tcp_transitory_timeout;
    n->timeout[NAT_CLASS_TCP_ESTABLISHED] = cfg->tcp_established_timeout;
    n->timeout[NAT_CLASS_ICMP] = cfg->icmp_timeout;
    n->seed = lisp_ctx_random(&n->ctx);
    for (i = 0; i < cfg->n_public; i++)
        n->pub_addr[i] = nat_rd32(cfg->public_addrs[i]);
    n->port_lo = cfg->port_min ? cfg->port_min : 1;
    n->port_hi = cfg->port_max;
    n->free_map = NAT_NONE;
    n->perm_free = NAT_NONE;
    if (nat_table_init(n) < 0) {
        lisp_nat_free(n);
        return NULL;
    }
    return n;
}

void lisp_nat_free(lisp_nat *n)
{
    lisp_mem mem;

    if (!n)
        return;
    nat_table_free(n);
    lisp_ctx_release(&n->ctx);
    mem = n->mem;
    lisp_mem_free(&mem, n, sizeof *n);
}

int nat_public_index(const lisp_nat *n, uint32_t addr)
{
    int i;
    for (i = 0; i < n->cfg.n_public; i++)
        if (n->pub_addr[i] == addr)
            return i;
    return -1;
}

static lisp_endpoint endpoint(uint32_t addr, uint16_t port)
{
    lisp_endpoint e;
    memset(&e, 0, sizeof e);
    e.afi = LISP_AFI_IPV4;
    e.port = port;
    memcpy(e.addr, &addr, 4);
    return e;
}

/* The remote a mapping depends on, as lisp_nat_mapping_info and traces report it. */
static lisp_endpoint key_remote_endpoint(const lisp_nat *n, const nat_map *m)
{
    lisp_endpoint e;
    if (n->cfg.mapping == LISP_NAT_ENDPOINT_INDEPENDENT) {
        memset(&e, 0, sizeof e);
        return e;
    }
    return endpoint(m->rem_addr,
                    n->cfg.mapping == LISP_NAT_ADDRESS_PORT_DEPENDENT ? m->rem_port : 0);
}

void nat_trace_map(const lisp_nat *n, lisp_time_t now, int kind, const nat_map *m,
                   uint32_t peer_addr, uint16_t peer_port, bool has_peer, uint32_t count)
{
    lisp_trace ev;

    if (!n->ctx.host.env.trace)
        return;
    ev = lisp_trace_make((lisp_trace_kind)kind, now);
    ev.u.nat.proto = m->proto;
    ev.u.nat.internal = endpoint(m->int_addr, m->int_port);
    ev.u.nat.external = endpoint(m->ext_addr, m->ext_port);
    ev.u.nat.remote = key_remote_endpoint(n, m);
    if (has_peer)
        ev.peer = endpoint(peer_addr, peer_port);
    ev.count = count;
    lisp_ctx_emit(&n->ctx, &ev);
}

int nat_drop(lisp_nat *n, lisp_time_t now, int reason, int err, uint8_t proto, uint32_t int_addr,
             uint16_t int_port, uint32_t rem_addr, uint16_t rem_port, uint32_t count)
{
    lisp_trace ev;

    if ((unsigned)reason < LISP_DROP_REASON_COUNT)
        n->stats.common.drops[reason]++;
    if (!n->ctx.host.env.trace)
        return LISP_NAT_DROP;
    ev = lisp_trace_make(LISP_TRACE_DROP, now);
    ev.reason = (uint8_t)reason;
    ev.err = (int16_t)err;
    ev.count = count;
    if (proto) {
        ev.u.nat.proto = proto;
        if (int_addr) /* unknown for packets that found no mapping */
            ev.u.nat.internal = endpoint(int_addr, int_port);
        ev.u.nat.remote = endpoint(rem_addr, rem_port);
        ev.peer = ev.u.nat.remote;
    }
    lisp_ctx_emit(&n->ctx, &ev);
    return LISP_NAT_DROP;
}

void nat_expire(lisp_nat *n, lisp_time_t now, uint32_t idx)
{
    nat_trace_map(n, now, LISP_TRACE_NAT_MAPPING_EXPIRED, nat_map_at(n, idx), 0, 0, false, 0);
    n->stats.mappings_expired++;
    nat_remove(n, idx);
}

uint32_t nat_check_live(lisp_nat *n, lisp_time_t now, uint32_t idx)
{
    if (idx != NAT_NONE && nat_deadline(n, nat_map_at(n, idx)) <= now) {
        nat_expire(n, now, idx);
        return NAT_NONE;
    }
    return idx;
}

void nat_expire_due(lisp_nat *n, lisp_time_t now)
{
    while (n->heap_n && n->heap[0].key <= now) {
        uint32_t idx = n->heap[0].idx;
        lisp_time_t d = nat_deadline(n, nat_map_at(n, idx));
        if (d <= now)
            nat_expire(n, now, idx);
        else /* refreshed since it was filed: file it again at its deadline */
            nat_heap_update(n, 0, d);
    }
}

lisp_time_t lisp_nat_next_expiry(const lisp_nat *n)
{
    return n->heap_n ? n->heap[0].key : LISP_TIME_NEVER;
}

void lisp_nat_handle_expiry(lisp_nat *n, lisp_time_t now)
{
    nat_expire_due(n, now);
}

const lisp_nat_stats *lisp_nat_get_stats(const lisp_nat *n)
{
    return &n->stats;
}

const lisp_nat_config *lisp_nat_get_config(const lisp_nat *n)
{
    return &n->cfg;
}

size_t lisp_nat_mapping_count(const lisp_nat *n)
{
    return n->heap_n;
}

bool lisp_nat_mapping_at(const lisp_nat *n, size_t i, lisp_nat_mapping_info *out)
{
    const nat_map *m;

    if (i >= n->heap_n)
        return false;
    m = nat_map_at(n, n->heap[i].idx);
    memset(out, 0, sizeof *out);
    out->proto = m->proto;
    out->internal = endpoint(m->int_addr, m->int_port);
    out->external = endpoint(m->ext_addr, m->ext_port);
    out->remote = key_remote_endpoint(n, m);
    out->expires = nat_deadline(n, m);
    return true;
}
