/* lispd_show_ms.c - what a Map-Server answers (role "ms" or the "ms+mr" bundle): its
 * registrations and its configured sites; and "show registrations", which both a Map-Server
 * and a tunnel router answer, each from its own side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_mr.h"
#include "lisp_ms.h"
#include "lispd_control_internal.h"

static const lisp_ms *ms_of(lisp_engine *e)
{
    const lisp_ms *ms = lisp_ms_from_engine(e);
    return ms ? ms : lisp_ms_mr_ms(e);
}

static const char *site_name(const lisp_ms *ms, size_t i)
{
    lisp_ms_site_info s;
    return lisp_ms_site_at(ms, i, &s) ? s.name : "?";
}

static void hex(char *out, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

/* ---- show registrations (the Map-Server's side) ---- */

typedef struct reg_ctx {
    ctl_req *r;
    const lisp_ms *ms;
} reg_ctx;

static void show_xtr(ctl_req *r, const lisp_ms_xtr_info *x)
{
    char rloc[64], id[2 * LISP_XTR_ID_LEN + 1], site[2 * LISP_SITE_ID_LEN + 1], t[32];

    lisp_endpoint_to_str(&x->rloc, rloc, sizeof rloc);
    hex(id, x->xtr_id, sizeof x->xtr_id);
    hex(site, x->site_id, sizeof x->site_id);
    if (r->json) {
        json_object(&r->out, NULL);
        json_str(&r->out, "rloc", rloc);
        json_str(&r->out, "xtr_id", x->by_xtr_id ? id : NULL);
        json_str(&r->out, "site_id", x->by_xtr_id ? site : NULL);
        json_seconds_until(&r->out, "expires_in_s", r->now, x->expires);
        json_u64(&r->out, "ttl_min", x->ttl);
        json_u64(&r->out, "map_version", x->map_version);
        json_bool(&r->out, "proxy_reply", x->proxy_reply);
        json_u64(&r->out, "locator_count", x->loc_count);
        json_str(&r->out, "map_notify", x->notify_state);
        json_end_object(&r->out);
        return;
    }
    ctl_printf(&r->out, "  xTR %s", rloc);
    if (x->by_xtr_id)
        ctl_printf(&r->out, " xtr-id %s site-id %s", id, site);
    ctl_printf(&r->out, "  expires in %s  %u locators  map-notify %s%s\n",
               ctl_duration_str(r->now, x->expires, t, sizeof t), x->loc_count, x->notify_state,
               x->proxy_reply ? "  proxy-reply" : "");
}

static int show_registration(void *user, const lisp_ms_registration *g)
{
    const reg_ctx *c = user;
    ctl_req *r = c->r;
    lisp_ms_xtr_info x;
    char t1[32], t2[32];
    unsigned i;

    if (r->json) {
        json_object(&r->out, NULL);
        ctl_eid(r, &g->prefix);
        json_str(&r->out, "site", site_name(c->ms, g->site));
        json_seconds_until(&r->out, "expires_in_s", r->now, g->expires);
        json_seconds_until(&r->out, "last_expires_in_s", r->now, g->expires_last);
        json_u64(&r->out, "ttl_min", g->ttl);
        json_u64(&r->out, "map_version", g->map_version);
        json_bool(&r->out, "proxy_reply", g->proxy_reply);
        json_u64(&r->out, "notify_waiting", g->notify_waiting);
        json_u64(&r->out, "notify_given_up", g->notify_given_up);
        json_array(&r->out, "xtrs");
    } else {
        ctl_eid(r, &g->prefix);
        ctl_printf(&r->out, "  site %s  %u xTR%s  expires in %s", site_name(c->ms, g->site),
                   g->xtr_count, g->xtr_count == 1 ? "" : "s",
                   ctl_duration_str(r->now, g->expires, t1, sizeof t1));
        if (g->expires_last != g->expires) /* several xTRs: the first one leaves then */
            ctl_printf(&r->out, " (the last xTR in %s)",
                       ctl_duration_str(r->now, g->expires_last, t2, sizeof t2));
        ctl_printf(&r->out, "  TTL %u min%s\n", g->ttl, g->proxy_reply ? "  proxy-reply" : "");
    }
    for (i = 0; i < g->xtr_count && lisp_ms_registration_xtr(c->ms, &g->prefix, i, &x); i++)
        show_xtr(r, &x);
    if (r->json)
        json_end_array(&r->out);
    else
        ctl_puts(&r->out, "  locators (merged):\n");
    ctl_locators(r, g->locators, g->loc_count);
    if (r->json)
        json_end_object(&r->out);
    return 0;
}

int ctl_cmd_show_registrations(ctl_req *r)
{
    const lisp_xtr *x = lisp_xtr_from_engine(r->engine);
    reg_ctx c = {r, ms_of(r->engine)};

    if (x)
        return ctl_show_registrations_xtr(r, x);
    if (!c.ms)
        return ctl_fail(r,
                        "show registrations: the role %s neither registers nor keeps "
                        "registrations",
                        r->role);
    if (r->json) {
        json_object(&r->out, NULL);
        json_u64(&r->out, "count", lisp_ms_registration_count(c.ms));
        json_array(&r->out, "registrations");
    } else {
        ctl_printf(&r->out, "registrations: %zu\n", lisp_ms_registration_count(c.ms));
    }
    lisp_ms_foreach_registration(c.ms, show_registration, &c);
    if (r->json) {
        json_end_array(&r->out);
        json_end_object(&r->out);
    }
    return 0;
}

/* ---- show sites ---- */

typedef struct site_counts {
    size_t n_sites;
    size_t *registrations; /* per site */
} site_counts;

static int count_site(void *user, const lisp_ms_registration *g)
{
    site_counts *c = user;
    if (g->site < c->n_sites)
        c->registrations[g->site]++;
    return 0;
}

static void open_site(ctl_req *r, const lisp_ms *ms, size_t site, size_t registrations)
{
    lisp_ms_site_info s;

    if (!lisp_ms_site_at(ms, site, &s))
        memset(&s, 0, sizeof s);
    if (r->json) {
        json_object(&r->out, NULL);
        json_str(&r->out, "name", s.name ? s.name : "");
        json_u64(&r->out, "key_id", s.key_id);
        json_bool(&r->out, "proxy_reply", s.proxy_reply);
        json_u64(&r->out, "registrations", registrations);
        json_array(&r->out, "prefixes");
    } else {
        ctl_printf(&r->out, "site %s  key-id %u%s  %zu registration%s\n", s.name ? s.name : "",
                   s.key_id, s.proxy_reply ? "  proxy-reply" : "", registrations,
                   registrations == 1 ? "" : "s");
    }
}

static void close_site(ctl_req *r)
{
    if (r->json) {
        json_end_array(&r->out);
        json_end_object(&r->out);
    }
}

static void show_site_prefix(ctl_req *r, const lisp_ms *ms, const lisp_ms_prefix_info *p)
{
    lisp_ms_registration g;
    bool registered = lisp_ms_get_registration(ms, &p->prefix, &g);
    char t[32];

    if (r->json) {
        json_object(&r->out, NULL);
        ctl_eid(r, &p->prefix);
        json_bool(&r->out, "accept_more_specifics", p->accept_more_specifics);
        json_bool(&r->out, "registered", registered);
        json_u64(&r->out, "xtr_count", registered ? g.xtr_count : 0);
        if (registered)
            json_seconds_until(&r->out, "expires_in_s", r->now, g.expires);
        else
            json_null(&r->out, "expires_in_s");
        json_end_object(&r->out);
        return;
    }
    ctl_puts(&r->out, "    ");
    ctl_eid(r, &p->prefix);
    ctl_printf(&r->out, "%s  ", p->accept_more_specifics ? "  accept-more-specifics" : "");
    if (registered)
        ctl_printf(&r->out, "registered (%u xTR%s, expires in %s)\n", g.xtr_count,
                   g.xtr_count == 1 ? "" : "s", ctl_duration_str(r->now, g.expires, t, sizeof t));
    else
        ctl_puts(&r->out, "not registered\n");
}

int ctl_cmd_show_sites(ctl_req *r)
{
    const lisp_ms *ms = ms_of(r->engine);
    size_t i, site = SIZE_MAX;
    lisp_ms_prefix_info p;
    site_counts c;

    if (!ms)
        return ctl_fail(r, "show sites: the role %s has no Map-Server", r->role);
    c.n_sites = lisp_ms_site_count(ms);
    c.registrations = calloc(c.n_sites ? c.n_sites : 1, sizeof *c.registrations);
    if (!c.registrations)
        return ctl_fail(r, "out of memory");
    lisp_ms_foreach_registration(ms, count_site, &c);
    if (r->json) {
        json_object(&r->out, NULL);
        json_array(&r->out, "sites");
    }
    /* Configured prefixes come site by site (lisp_ms_prefix_count): one pass. */
    for (i = 0; lisp_ms_prefix_info_at(ms, i, &p); i++) {
        if (p.site != site) {
            if (site != SIZE_MAX)
                close_site(r);
            site = p.site;
            open_site(r, ms, site, site < c.n_sites ? c.registrations[site] : 0);
        }
        show_site_prefix(r, ms, &p);
    }
    if (site != SIZE_MAX)
        close_site(r);
    if (r->json) {
        json_end_array(&r->out);
        json_end_object(&r->out);
    }
    free(c.registrations);
    return 0;
}
