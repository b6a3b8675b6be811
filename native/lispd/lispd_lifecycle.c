/*
 * lispd_lifecycle.c - start, reload and stop (lispd.h).
 *
 * Reload (SIGHUP) diffs the new file against the running one:
 *   - log level / log-to, control socket path, pidfile: applied;
 *   - tun: routes added and deleted one by one, the MTU set; a new device name (or a tun
 *     section that came or went) replaces the device and its routes;
 *   - RLOCs (rloc, rloc-interface): locator events to the running engine;
 *   - the NAT's interfaces and queue: its queues and rules are replaced, the engine (and
 *     its mappings) stays;
 *   - anything else the engine was created with (role, EID-prefixes, mapping system,
 *     keys, timers, sites, delegations): a new engine replaces the old one, which loses
 *     its map-cache and registrations (docs/native.md, "What survives a reload").
 * A file that does not load leaves everything as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lispd.h"
#include "lispd_addr.h"
#include "lispd_log.h"
#include "lispd_loop.h"
#include "lispd_role.h"

/* ---- the engine ---- */

/* The RLOCs for a new engine: fixed ones first, then those of the rloc-interfaces now. */
static size_t collect_rlocs(const lispd *d, const lispd_config *c, lisp_mapcache_loc *out,
                            uint32_t *ifindex)
{
    size_t n = 0, i;

    for (i = 0; i < c->n_rlocs && n < LISP_XTR_MAX_RLOCS; i++, n++) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].afi = c->rlocs[i].addr.afi;
        memcpy(out[n].addr, c->rlocs[i].addr.addr, sizeof out[n].addr);
        out[n].priority = c->rlocs[i].priority;
        out[n].weight = c->rlocs[i].weight;
        ifindex[n] = 0;
    }
    for (i = 0; i < d->nl.now.n_addrs && n < LISP_XTR_MAX_RLOCS; i++, n++) {
        const lispd_nl_addr *a = &d->nl.now.addrs[i];
        memset(&out[n], 0, sizeof out[n]);
        out[n].afi = a->addr.afi;
        memcpy(out[n].addr, a->addr.addr, sizeof out[n].addr);
        out[n].priority = a->priority;
        out[n].weight = a->weight;
        ifindex[n] = a->ifindex;
    }
    return n;
}

lisp_engine *lispd_engine_create(lispd *d, const lispd_config *c, const lisp_host *host)
{
    const lisp_role_desc *desc = lisp_role_find(c->role->engine);
    lisp_mapcache_loc rlocs[LISP_XTR_MAX_RLOCS];
    uint32_t ifindex[LISP_XTR_MAX_RLOCS];
    lisp_engine *e;
    void *config;
    size_t n = 0;

    if (!desc) {
        lispd_error("the engine library has no role '%s'", c->role->engine);
        return NULL;
    }
    config = calloc(1, desc->config_size);
    if (!config)
        return NULL;
    desc->config_default(config);
    if (d) {
        n = collect_rlocs(d, c, rlocs, ifindex);
    } else { /* a check: the fixed RLOCs, or one documentation address for the interfaces */
        for (; n < c->n_rlocs; n++) {
            memset(&rlocs[n], 0, sizeof rlocs[n]);
            rlocs[n].afi = c->rlocs[n].addr.afi;
            memcpy(rlocs[n].addr, c->rlocs[n].addr.addr, sizeof rlocs[n].addr);
            rlocs[n].priority = c->rlocs[n].priority;
            rlocs[n].weight = c->rlocs[n].weight;
            ifindex[n] = 0;
        }
        if (n == 0 && c->n_rloc_ifs) {
            static const uint8_t test_net_1[4] = {192, 0, 2, 1};
            memset(&rlocs[0], 0, sizeof rlocs[0]);
            rlocs[0].afi = LISP_AFI_IPV4;
            memcpy(rlocs[0].addr, test_net_1, sizeof test_net_1);
            rlocs[0].priority = c->rloc_ifs[0].priority;
            rlocs[0].weight = c->rloc_ifs[0].weight;
            ifindex[0] = 0;
            n = 1;
        }
    }
    c->role->build(c->role, c, rlocs, ifindex, n, config);
    if (d)
        d->busy++;
    e = desc->create(config, host, lispd_now());
    if (d)
        d->busy--;
    free(config);
    if (e && d && e->ops->locator_event) {
        /* engines start with every RLOC up: tell it which links are down */
        size_t i;
        for (i = 0; i < d->nl.now.n_addrs; i++) {
            const lispd_nl_addr *a = &d->nl.now.addrs[i];
            size_t k;
            for (k = 0; k < d->nl.now.n_ifs; k++)
                if (d->nl.now.ifs[k].ifindex == a->ifindex && !d->nl.now.ifs[k].up) {
                    lisp_locator_event ev;
                    memset(&ev, 0, sizeof ev);
                    ev.kind = LISP_LOCATOR_DOWN;
                    ev.ifindex = a->ifindex;
                    ev.addr = a->addr;
                    d->busy++;
                    lisp_engine_locator_event(e, lispd_now(), &ev);
                    d->busy--;
                }
        }
    }
    return e;
}

/* ---- TUN and routes ---- */

static bool has_route(const lisp_eid *routes, size_t n, const lisp_eid *r)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (routes[i].afi == r->afi && routes[i].mask_len == r->mask_len &&
            memcmp(routes[i].addr, r->addr, sizeof r->addr) == 0)
            return true;
    return false;
}

static void route_del(lispd *d, size_t i)
{
    char text[64], err[128];
    if (lispd_nl_route(&d->nl, false, &d->routes[i], d->tun.ifindex, err, sizeof err) != 0)
        lispd_warn("cannot delete the route %s: %s",
                   lispd_eid_to_str(&d->routes[i], text, sizeof text), err);
    else
        lispd_info("route %s removed", lispd_eid_to_str(&d->routes[i], text, sizeof text));
    d->routes[i] = d->routes[--d->n_routes];
}

static void routes_clear(lispd *d)
{
    while (d->n_routes)
        route_del(d, d->n_routes - 1);
}

/* Make the routes through the TUN those of c. */
static void routes_apply(lispd *d, const lispd_config *c)
{
    char text[64], err[128];
    size_t i = 0;

    while (i < d->n_routes)
        if (!has_route(c->eid_routes, c->n_eid_routes, &d->routes[i]))
            route_del(d, i);
        else
            i++;
    for (i = 0; i < c->n_eid_routes; i++) {
        const lisp_eid *r = &c->eid_routes[i];
        if (has_route(d->routes, d->n_routes, r))
            continue;
        if (lispd_nl_route(&d->nl, true, r, d->tun.ifindex, err, sizeof err) != 0) {
            lispd_warn("cannot add the route %s via %s: %s (not managed by lispd)",
                       lispd_eid_to_str(r, text, sizeof text), d->tun.name, err);
            continue;
        }
        d->routes[d->n_routes++] = *r;
        lispd_info("route %s via %s", lispd_eid_to_str(r, text, sizeof text), d->tun.name);
    }
}

static void tun_close(lispd *d)
{
    if (d->tun.fd < 0)
        return;
    routes_clear(d);
    lispd_loop_del(d, d->tun.fd);
    lispd_info("removing %s", d->tun.name);
    lispd_tun_close(&d->tun);
}

static int tun_open(lispd *d, const lispd_config *c)
{
    char err[256];
    if (lispd_tun_open(&d->tun, c->tun_name, err, sizeof err) != 0) {
        lispd_error("%s", err);
        return -1;
    }
    if (lispd_nl_link_setup(&d->nl, d->tun.ifindex, c->tun_mtu, err, sizeof err) != 0 ||
        lispd_loop_add(d, d->tun.fd, LISPD_EV_TUN) != 0) {
        lispd_error("%s: %s", d->tun.name, err);
        lispd_tun_close(&d->tun);
        return -1;
    }
    lispd_info("TUN device %s up, MTU %u", d->tun.name, c->tun_mtu);
    return 0;
}

/* Make the TUN device what c says, from what old said (NULL at start). */
static int tun_apply(lispd *d, const lispd_config *old, const lispd_config *c)
{
    char err[256];
    if (old && old->has_tun && (!c->has_tun || strcmp(old->tun_name, c->tun_name) != 0))
        tun_close(d);
    if (c->has_tun && d->tun.fd < 0 && tun_open(d, c) != 0)
        return -1;
    if (old && c->has_tun && old->has_tun && old->tun_mtu != c->tun_mtu &&
        lispd_nl_link_setup(&d->nl, d->tun.ifindex, c->tun_mtu, err, sizeof err) != 0)
        lispd_warn("%s: %s", d->tun.name, err);
    if (c->has_tun)
        routes_apply(d, c);
    return 0;
}

/* ---- sockets ---- */

static void socks_close(lispd *d)
{
    size_t i;
    for (i = 0; i < d->socks.n_udp; i++)
        lispd_loop_del(d, d->socks.udp[i].fd);
    lispd_socks_close(&d->socks);
}

static int socks_open(lispd *d, unsigned ports)
{
    char err[256];
    size_t i;
    if (lispd_socks_open(&d->socks, ports, (ports & LISP_ENGINE_PORT_DATA) != 0, err, sizeof err) !=
        0) {
        lispd_error("%s", err);
        return -1;
    }
    d->socks.too_big = lispd_host_deliver_tun;
    d->socks.too_big_user = d;
    for (i = 0; i < d->socks.n_udp; i++)
        if (lispd_loop_add(d, d->socks.udp[i].fd, LISPD_EV_UDP | i) != 0) {
            socks_close(d);
            return -1;
        }
    return 0;
}

/* ---- the NAT's queues (role nat) ---- */

/* A sysctl of the namespace lispd runs in, as an integer; -1 when unreadable. */
static long sysctl_value(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

/* What the kernel must do around the NAT (docs/native.md, "NAT daemon"): say what is
 * missing rather than change the host's settings behind the operator's back. */
static void nat_check_sysctls(const lispd_config *c)
{
    char path[128];
    if (sysctl_value("/proc/sys/net/ipv4/ip_forward") == 0)
        lispd_warn("NAT: net.ipv4.ip_forward is 0: translated packets will not be forwarded");
    snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/accept_local", c->nat_inside);
    if (c->nat.hairpinning && sysctl_value(path) == 0)
        lispd_warn("NAT: net.ipv4.conf.%s.accept_local is 0: hairpinned packets (their source "
                   "is a public address of this host) will be dropped as martians",
                   c->nat_inside);
}

static void nat_close(lispd *d)
{
    int dir;
    for (dir = 0; dir < 2; dir++)
        lispd_loop_del(d, lispd_nfq_fd(&d->nfq, dir));
    lispd_nfq_close(&d->nfq);
}

static int nat_open(lispd *d, const lispd_config *c)
{
    char err[512];
    int dir;
    if (lispd_nfq_open(&d->nfq, c->nat_inside, c->nat_outside, c->nat_queue, err, sizeof err) !=
        0) {
        lispd_error("NAT: %s", err);
        return -1;
    }
    for (dir = 0; dir < 2; dir++)
        if (lispd_loop_add(d, lispd_nfq_fd(&d->nfq, dir), LISPD_EV_NFQ | (unsigned)dir) != 0) {
            lispd_error("NAT: cannot watch the queues: %s", strerror(errno));
            nat_close(d);
            return -1;
        }
    nat_check_sysctls(c);
    return 0;
}

/* Queues and rules for c's NAT settings, from old's (NULL at start). */
static int nat_apply(lispd *d, const lispd_config *old, const lispd_config *c)
{
    const bool was = old && (old->role->keys & LISPD_KEYS_NAT);
    const bool is = (c->role->keys & LISPD_KEYS_NAT) != 0;
    if (was && is && strcmp(old->nat_inside, c->nat_inside) == 0 &&
        strcmp(old->nat_outside, c->nat_outside) == 0 && old->nat_queue == c->nat_queue)
        return 0;
    if (was)
        nat_close(d);
    return is ? nat_open(d, c) : 0;
}

/* ---- the control socket ---- */

static lisp_engine *control_engine(void *user)
{
    return ((lispd *)user)->engine;
}

static const char *control_role(void *user)
{
    return ((lispd *)user)->cfg.role->name;
}

static lisp_time_t control_now(void *user)
{
    (void)user;
    return lispd_now();
}

static int control_set_log_level(void *user, int level)
{
    (void)user;
    if (level < LISP_LOG_DEBUG || level > LISP_LOG_ERROR)
        return -1;
    lispd_log_set_level(level);
    lispd_info("log level %s (control socket)", lispd_log_level_name(level));
    return 0;
}

static const lispd_control_ops control_ops = {control_engine, control_role, control_now,
                                              control_set_log_level};

static void control_close(lispd *d)
{
    if (!d->control)
        return;
    lispd_loop_del(d, lispd_control_fd(d->control));
    lispd_control_close(d->control);
    d->control = NULL;
    d->control_path[0] = '\0';
}

static int control_open(lispd *d, const char *path, unsigned mode)
{
    char err[256], dir[sizeof d->control_path];
    char *slash;

    /* the default lives in /run/lispd, which may not exist yet after boot */
    snprintf(dir, sizeof dir, "%s", path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            lispd_warn("cannot create %s: %s", dir, strerror(errno));
    }
    d->control = lispd_control_open(path, (mode_t)mode, &control_ops, d, err, sizeof err);
    if (!d->control) {
        lispd_error("control socket %s: %s", path, err);
        return -1;
    }
    if (lispd_loop_add(d, lispd_control_fd(d->control), LISPD_EV_CONTROL) != 0) {
        control_close(d);
        return -1;
    }
    snprintf(d->control_path, sizeof d->control_path, "%s", path);
    d->control_mode = mode;
    return 0;
}

/* ---- start, reload, stop ---- */

int lispd_apply_overrides(const lispd_overrides *o, lispd_config *c)
{
    if (o->log_level >= 0)
        c->log_level = o->log_level;
    if (o->log_to >= 0)
        c->log_to = o->log_to;
    if (o->control_socket) {
        if (strlen(o->control_socket) >= sizeof c->control_socket)
            return -1;
        strcpy(c->control_socket, o->control_socket);
    }
    if (o->pidfile) {
        if (strlen(o->pidfile) >= sizeof c->pidfile)
            return -1;
        strcpy(c->pidfile, o->pidfile);
    }
    return 0;
}

/* An xTR role whose only RLOCs come from interfaces that have no address yet: the
 * engine cannot exist without a locator (Map-Requests need an ITR-RLOC), so lispd
 * creates it when netlink reports the first address. */
static bool waiting_for_rlocs(const lispd *d, const lispd_config *c)
{
    return (c->role->keys & LISPD_KEYS_XTR) && c->n_rlocs == 0 && d->nl.now.n_addrs == 0;
}

/* The ports an engine for c listens on, from a throwaway engine with the check host
 * (which sends nothing): the sockets must be open before the real engine starts sending. */
static int engine_ports(const lispd_config *c, unsigned *ports)
{
    lisp_host host = lispd_host_check();
    lisp_engine *e = lispd_engine_create(NULL, c, &host);
    if (!e)
        return -1;
    *ports = e->ops->ports;
    lisp_engine_free(e);
    return 0;
}

int lispd_start(lispd *d)
{
    lisp_host host;
    unsigned ports;
    char err[256];

    d->ws = lisp_workspace_new(NULL);
    if (!d->ws || lispd_loop_init(d) != 0) {
        lispd_error("cannot set up the event loop: %s", strerror(errno));
        return -1;
    }
    if (engine_ports(&d->cfg, &ports) != 0) {
        lispd_error("the %s engine refused the configuration", d->cfg.role->name);
        return -1;
    }
    /* The ports first: a second lispd stops here, before touching the TUN or routes. */
    if (socks_open(d, ports) != 0)
        return -1;
    if (lispd_nl_open(&d->nl, err, sizeof err) != 0) {
        lispd_error("%s", err);
        return -1;
    }
    if (lispd_loop_add(d, lispd_nl_event_fd(&d->nl), LISPD_EV_NETLINK) != 0 ||
        lispd_nl_watch(&d->nl, d->cfg.rloc_ifs, d->cfg.n_rloc_ifs, NULL, NULL) != 0 ||
        tun_apply(d, NULL, &d->cfg) != 0 ||
        control_open(d, d->cfg.control_socket, d->cfg.control_mode) != 0)
        return -1;
    lispd_info("%s (%s), control socket %s", d->cfg.role->name, d->cfg.path, d->control_path);
    if (waiting_for_rlocs(d, &d->cfg)) {
        lispd_warn("no address on the rloc-interfaces yet: the %s engine starts with the "
                   "first one",
                   d->cfg.role->name);
        return 0;
    }
    host = lispd_host_make(d);
    d->engine = lispd_engine_create(d, &d->cfg, &host);
    if (!d->engine) {
        lispd_error("the %s engine refused the configuration", d->cfg.role->name);
        return -1;
    }
    if (nat_apply(d, NULL, &d->cfg) != 0)
        return -1;
    lispd_info("running");
    return 0;
}

void lispd_engine_pending(lispd *d)
{
    lisp_host host;
    if (d->engine || waiting_for_rlocs(d, &d->cfg))
        return;
    host = lispd_host_make(d);
    d->engine = lispd_engine_create(d, &d->cfg, &host);
    if (d->engine)
        lispd_info("an RLOC is there: the %s engine runs", d->cfg.role->name);
    else
        lispd_error("the %s engine refused the configuration", d->cfg.role->name);
}

/* In-place changes of the RLOCs: fixed ones by diff, interfaces by a new netlink watch. */
static void rlocs_apply(lispd *d, const lispd_config *old, const lispd_config *c)
{
    size_t i, j;
    for (i = 0; i < old->n_rlocs; i++) {
        for (j = 0; j < c->n_rlocs; j++)
            if (lisp_endpoint_same_addr(&old->rlocs[i].addr, &c->rlocs[j].addr))
                break;
        if (j == c->n_rlocs) {
            lisp_locator_event ev;
            memset(&ev, 0, sizeof ev);
            ev.kind = LISP_LOCATOR_REMOVED;
            ev.addr = old->rlocs[i].addr;
            lispd_locator_event(d, &ev);
        }
    }
    for (j = 0; j < c->n_rlocs; j++) {
        for (i = 0; i < old->n_rlocs; i++)
            if (lisp_endpoint_same_addr(&old->rlocs[i].addr, &c->rlocs[j].addr) &&
                old->rlocs[i].priority == c->rlocs[j].priority &&
                old->rlocs[i].weight == c->rlocs[j].weight)
                break;
        if (i == old->n_rlocs) {
            lisp_locator_event ev;
            memset(&ev, 0, sizeof ev);
            ev.kind = LISP_LOCATOR_ADDED;
            ev.addr = c->rlocs[j].addr;
            ev.priority = c->rlocs[j].priority;
            ev.weight = c->rlocs[j].weight;
            lispd_locator_event(d, &ev);
        }
    }
    lispd_nl_watch(&d->nl, c->rloc_ifs, c->n_rloc_ifs, lispd_locator_event, d);
}

void lispd_reload(lispd *d)
{
    lispd_config next;
    char err[512];

    if (lispd_config_load(d->cfg.path, &next, err, sizeof err) != 0) {
        lispd_error("reload failed, the running configuration stays: %s", err);
        lispd_config_free(&next);
        return;
    }
    lispd_apply_overrides(&d->overrides, &next);
    lispd_log_set_level(next.log_level);
    if (d->engine && lispd_config_same_engine(&d->cfg, &next)) {
        rlocs_apply(d, &d->cfg, &next);
        lispd_info("reload: the engine keeps running (its map-cache and registrations stay)");
    } else {
        lisp_host host = lispd_host_make(d);
        unsigned ports;
        if (engine_ports(&next, &ports) != 0) {
            lispd_error("reload failed, the engine refuses the new configuration; "
                        "the running configuration stays");
            lispd_config_free(&next);
            return;
        }
        lisp_engine_free(d->engine);
        d->engine = NULL;
        if (ports != d->socks.ports) {
            socks_close(d);
            if (socks_open(d, ports) != 0) {
                lispd_error("reload: cannot open the new role's ports; stopping");
                d->stop = true;
                d->exit_status = 1;
            }
        }
        lispd_nl_watch(&d->nl, next.rloc_ifs, next.n_rloc_ifs, NULL, NULL);
        if (waiting_for_rlocs(d, &next))
            lispd_warn("reload: no address on the rloc-interfaces yet: the engine starts "
                       "with the first one");
        else
            d->engine = lispd_engine_create(d, &next, &host);
        if (!d->engine && !waiting_for_rlocs(d, &next)) {
            lispd_error("reload: the new engine could not be created; stopping");
            d->stop = true;
            d->exit_status = 1;
        } else if (d->engine) {
            lispd_info("reload: new %s engine (map-cache and registrations start afresh)",
                       next.role->name);
        }
    }
    if (tun_apply(d, &d->cfg, &next) != 0) {
        lispd_error("reload: the TUN device could not be set up; stopping");
        d->stop = true;
        d->exit_status = 1;
    }
    if (nat_apply(d, &d->cfg, &next) != 0) {
        lispd_error("reload: the NAT's queues could not be set up; stopping");
        d->stop = true;
        d->exit_status = 1;
    }
    if (strcmp(next.control_socket, d->control_path) != 0 || next.control_mode != d->control_mode) {
        control_close(d);
        if (control_open(d, next.control_socket, next.control_mode) != 0)
            lispd_warn("reload: no control socket now");
    }
    lispd_config_free(&d->cfg);
    d->cfg = next;
    lispd_info("reloaded %s", d->cfg.path);
}

static void log_counters(const lispd *d)
{
    lisp_stat stats[256];
    size_t n, i;
    char line[900];
    size_t used = 0;

    if (!d->engine)
        return;
    n = lisp_engine_stats(d->engine, stats, sizeof stats / sizeof stats[0]);
    if (n > sizeof stats / sizeof stats[0])
        n = sizeof stats / sizeof stats[0];
    line[0] = '\0';
    for (i = 0; i < n; i++) {
        int w;
        if (!stats[i].value)
            continue;
        w = snprintf(line + used, sizeof line - used, " %s.%s=%llu", stats[i].group, stats[i].name,
                     (unsigned long long)stats[i].value);
        if (w < 0 || (size_t)w >= sizeof line - used) {
            lispd_info("counters:%s", line);
            used = 0;
            line[0] = '\0';
            i--;
            continue;
        }
        used += (size_t)w;
    }
    lispd_info("counters:%s", used ? line : " all zero");
    if (d->socks.truncated)
        lispd_info("counters: lispd.truncated=%llu", (unsigned long long)d->socks.truncated);
    if (d->nfq.stats.packets)
        lispd_info(
            "counters: nfq.packets=%llu nfq.batches=%llu nfq.truncated=%llu "
            "nfq.overruns=%llu nfq.nl_errors=%llu",
            (unsigned long long)d->nfq.stats.packets, (unsigned long long)d->nfq.stats.batches,
            (unsigned long long)d->nfq.stats.truncated, (unsigned long long)d->nfq.stats.overruns,
            (unsigned long long)d->nfq.stats.nl_errors);
    if (d->socks.send_failed)
        lispd_info("counters: lispd.send_failed=%llu", (unsigned long long)d->socks.send_failed);
}

void lispd_stop(lispd *d)
{
    nat_close(d); /* the rules first: packets must not wait for a NAT that is gone */
    log_counters(d);
    lisp_engine_free(d->engine);
    d->engine = NULL;
    control_close(d);
    if (d->tun.fd >= 0)
        tun_close(d);
    socks_close(d);
    if (d->nl.req) {
        lispd_loop_del(d, lispd_nl_event_fd(&d->nl));
        lispd_nl_close(&d->nl);
    }
    lispd_loop_fini(d);
    lisp_workspace_free(d->ws);
    d->ws = NULL;
}
