/* lispd_show_xtr.c - what a tunnel router (xTR, PITR, PETR) answers: its map-cache, its
 * registrations with the Map-Servers, its local locators, and clearing the map-cache. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "lisp_xtr.h"
#include "lispd_control_internal.h"

static lisp_xtr *need_xtr(ctl_req *r, const char *command)
{
    lisp_xtr *x = lisp_xtr_from_engine(r->engine);
    if (!x)
        ctl_fail(r, "%s: the role %s has no tunnel router (xTR, PITR or PETR)", command, r->role);
    return x;
}

/* ---- show map-cache ---- */

static int show_entry(void *user, const lisp_mapcache_entry *e)
{
    ctl_req *r = user;
    char t[32];
    bool negative = e->loc_count == 0;

    if (r->json) {
        json_object(&r->out, NULL);
        ctl_eid(r, &e->prefix);
        json_seconds_until(&r->out, "expires_in_s", r->now, e->expires);
        json_u64(&r->out, "map_version", e->map_version);
        json_bool(&r->out, "authoritative", e->authoritative);
        json_bool(&r->out, "negative", negative);
        json_str(&r->out, "action", ctl_action_name(e->action));
        ctl_locators(r, e->locators, e->loc_count);
        json_end_object(&r->out);
        return 0;
    }
    ctl_eid(r, &e->prefix);
    ctl_printf(&r->out, "  expires in %s", ctl_duration_str(r->now, e->expires, t, sizeof t));
    if (e->map_version)
        ctl_printf(&r->out, "  map-version %u", e->map_version);
    if (negative)
        ctl_printf(&r->out, "  negative, action %s", ctl_action_name(e->action));
    ctl_puts(&r->out, "\n");
    ctl_locators(r, e->locators, e->loc_count);
    return 0;
}

int ctl_cmd_show_map_cache(ctl_req *r)
{
    const lisp_xtr *x = need_xtr(r, "show map-cache");
    const lisp_mapcache *mc;

    if (!x)
        return -1;
    mc = lisp_xtr_mapcache(x);
    if (r->json) {
        json_object(&r->out, NULL);
        json_u64(&r->out, "count", lisp_mapcache_count(mc));
        json_array(&r->out, "entries");
    } else {
        ctl_printf(&r->out, "map-cache: %zu entries\n", lisp_mapcache_count(mc));
    }
    lisp_mapcache_foreach(mc, show_entry, r);
    if (r->json) {
        json_end_array(&r->out);
        json_end_object(&r->out);
    }
    return 0;
}

int ctl_cmd_clear_map_cache(ctl_req *r)
{
    lisp_xtr *x = need_xtr(r, "clear map-cache");
    int n;

    if (!x)
        return -1;
    n = lisp_xtr_clear_mapcache(x);
    if (n < 0)
        return ctl_fail(r, "clear map-cache: %s", lisp_strerror(n));
    if (r->json) {
        json_object(&r->out, NULL);
        json_u64(&r->out, "cleared", (uint64_t)n);
        json_end_object(&r->out);
    } else {
        ctl_printf(&r->out, "map-cache cleared: %d entries dropped\n", n);
    }
    return 0;
}

/* ---- show registrations (the xTR's side) ---- */

static void show_ms(ctl_req *r, const lisp_xtr_registration *g)
{
    char a[64], t1[40], t2[32];

    lisp_endpoint_to_str(&g->map_server, a, sizeof a);
    if (r->json) {
        json_object(&r->out, NULL);
        json_str(&r->out, "map_server", a);
        json_u64(&r->out, "key_id", g->key_id);
        json_str(&r->out, "state", g->state);
        json_u64(&r->out, "tries", g->tries);
        json_seconds_since(&r->out, "round_started_s_ago", r->now, g->round_at);
        json_seconds_since(&r->out, "last_map_notify_s_ago", r->now, g->notified_at);
        json_seconds_until(&r->out, "next_map_register_in_s", r->now, g->next_at);
        json_end_object(&r->out);
        return;
    }
    ctl_printf(&r->out, "Map-Server %s (key-id %u): %s\n", a, g->key_id, g->state);
    ctl_printf(&r->out, "    last Map-Notify %s, ",
               ctl_ago_str(r->now, g->notified_at, t1, sizeof t1));
    if (g->next_at == LISP_TIME_NEVER)
        ctl_puts(&r->out, "no Map-Register scheduled");
    else
        ctl_printf(&r->out, "next Map-Register in %s",
                   ctl_duration_str(r->now, g->next_at, t2, sizeof t2));
    if (g->tries > 1)
        ctl_printf(&r->out, ", %u Map-Registers in this round", g->tries);
    ctl_puts(&r->out, "\n");
}

int ctl_show_registrations_xtr(ctl_req *r, const lisp_xtr *x)
{
    lisp_xtr_registration g;
    unsigned i, n = lisp_xtr_map_server_count(x);

    if (r->json) {
        json_object(&r->out, NULL);
        json_bool(&r->out, "registered", lisp_xtr_registered(x));
        json_array(&r->out, "map_servers");
    } else if (n == 0) {
        ctl_puts(&r->out, "no Map-Servers configured\n");
    }
    for (i = 0; i < n && lisp_xtr_map_server_at(x, i, &g); i++)
        show_ms(r, &g);
    if (r->json) {
        json_end_array(&r->out);
        json_end_object(&r->out);
    }
    return 0;
}

/* ---- show locators ---- */

int ctl_cmd_show_locators(ctl_req *r)
{
    const lisp_xtr *x = need_xtr(r, "show locators");
    char a[64], ifname[IF_NAMESIZE + 1];
    lisp_xtr_locator l;
    unsigned i, n;

    if (!x)
        return -1;
    n = lisp_xtr_locator_count(x);
    if (r->json) {
        json_object(&r->out, NULL);
        json_u64(&r->out, "lsb", lisp_xtr_lsb(x));
        json_array(&r->out, "locators");
    } else {
        ctl_printf(&r->out, "%-39s %-12s %-5s %-8s %-6s %s\n", "RLOC", "interface", "state",
                   "priority", "weight", "LSB");
    }
    for (i = 0; i < n && lisp_xtr_locator_at(x, i, &l); i++) {
        ctl_addr_str(l.addr.afi, l.addr.addr, a, sizeof a);
        if (!l.ifindex || !if_indextoname(l.ifindex, ifname))
            ifname[0] = '\0';
        if (r->json) {
            json_object(&r->out, NULL);
            json_str(&r->out, "address", a);
            if (ifname[0])
                json_str(&r->out, "interface", ifname);
            else
                json_null(&r->out, "interface");
            json_u64(&r->out, "ifindex", l.ifindex);
            json_str(&r->out, "state", l.up ? "up" : "down");
            json_u64(&r->out, "priority", l.priority);
            json_u64(&r->out, "weight", l.weight);
            json_u64(&r->out, "lsb_bit", i);
            json_end_object(&r->out);
        } else {
            if (!ifname[0])
                snprintf(ifname, sizeof ifname, l.ifindex ? "#%u" : "-", l.ifindex);
            ctl_printf(&r->out, "%-39s %-12s %-5s %-8u %-6u %u\n", a, ifname, l.up ? "up" : "down",
                       l.priority, l.weight, i);
        }
    }
    if (r->json) {
        json_end_array(&r->out);
        json_end_object(&r->out);
    } else {
        ctl_printf(&r->out, "locator-status-bits 0x%02x\n", lisp_xtr_lsb(x));
    }
    return 0;
}
