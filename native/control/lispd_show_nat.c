/* lispd_show_nat.c - "show nat [all]" of the NAT role: its behaviours and public addresses
 * (the engine's configuration), its counters (lisp_nat_stats) and its mappings, read
 * through the NAT engine's accessors (lisp_nat.h). The first SHOW_NAT_MAPPINGS mappings
 * are listed unless "all" is asked for: a carrier-grade table is no screenful. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_nat.h"
#include "lispd_control_internal.h"

#define SHOW_NAT_MAPPINGS 100

static const char *behaviour_name(unsigned b)
{
    static const char *const names[] = {"endpoint-independent", "address-dependent",
                                        "address-and-port-dependent"};
    return b < sizeof names / sizeof names[0] ? names[b] : "?";
}

static const char *port_policy_name(unsigned p)
{
    static const char *const names[] = {"preserve", "sequential", "random"};
    return p < sizeof names / sizeof names[0] ? names[p] : "?";
}

static const char *proto_name(uint8_t proto)
{
    return proto == 17 ? "udp" : proto == 6 ? "tcp" : proto == 1 ? "icmp" : "?";
}

static void settings(ctl_req *r, const lisp_nat_config *c)
{
    static const char *const timeout_names[] = {"udp", "tcp-established", "tcp-transitory", "icmp"};
    const lisp_time_t timeouts[] = {c->udp_timeout, c->tcp_established_timeout,
                                    c->tcp_transitory_timeout, c->icmp_timeout};
    char addr[CTL_ADDR_STR], span[32];
    size_t i;

    if (r->json) {
        json_array(&r->out, "public_addresses");
        for (i = 0; i < c->n_public; i++)
            json_str(&r->out, NULL,
                     ctl_addr_str(LISP_AFI_IPV4, c->public_addrs[i], addr, sizeof addr));
        json_end_array(&r->out);
        json_str(&r->out, "mapping", behaviour_name(c->mapping));
        json_str(&r->out, "filtering", behaviour_name(c->filtering));
        json_str(&r->out, "port_policy", port_policy_name(c->port_policy));
        json_str(&r->out, "pooling", c->pooling == LISP_NAT_POOL_PAIRED ? "paired" : "arbitrary");
        json_u64(&r->out, "port_min", c->port_min);
        json_u64(&r->out, "port_max", c->port_max);
        json_bool(&r->out, "hairpinning", c->hairpinning);
        json_bool(&r->out, "inbound_refresh", c->inbound_refresh);
        json_u64(&r->out, "max_mappings", c->max_mappings);
        json_object(&r->out, "timeouts_s");
        for (i = 0; i < 4; i++)
            json_u64(&r->out, timeout_names[i], timeouts[i] / LISP_NS_PER_SEC);
        json_end_object(&r->out);
        return;
    }
    ctl_puts(&r->out, "NAT44\n  public addresses ");
    for (i = 0; i < c->n_public; i++)
        ctl_printf(&r->out, "%s%s", i ? ", " : "",
                   ctl_addr_str(LISP_AFI_IPV4, c->public_addrs[i], addr, sizeof addr));
    ctl_printf(&r->out,
               "\n  mapping          %s\n  filtering        %s\n"
               "  ports            %s, %u-%u\n  pooling          %s\n"
               "  hairpinning      %s\n  inbound refresh  %s\n  timeouts        ",
               behaviour_name(c->mapping), behaviour_name(c->filtering),
               port_policy_name(c->port_policy), c->port_min, c->port_max,
               c->pooling == LISP_NAT_POOL_PAIRED ? "paired" : "arbitrary",
               c->hairpinning ? "on" : "off", c->inbound_refresh ? "on" : "off");
    for (i = 0; i < 4; i++) /* a duration from "now" 0 to the timeout */
        ctl_printf(&r->out, " %s %s", timeout_names[i],
                   ctl_duration_str(0, timeouts[i], span, sizeof span));
    ctl_puts(&r->out, "\n");
}

static void counters(ctl_req *r, const lisp_nat *nat)
{
    lisp_stat stats[64];
    size_t n = lisp_nat_stats_list(lisp_nat_get_stats(nat), stats, 64), i;

    if (n > 64)
        n = 64;
    if (r->json)
        json_object(&r->out, "counters");
    else
        ctl_puts(&r->out, "counters\n");
    for (i = 0; i < n; i++)
        if (r->json)
            json_u64(&r->out, stats[i].name, stats[i].value);
        else
            ctl_printf(&r->out, "  %-28s %llu\n", stats[i].name,
                       (unsigned long long)stats[i].value);
    if (r->json)
        json_end_object(&r->out);
}

static void mapping_row(ctl_req *r, const lisp_nat_mapping_info *m)
{
    char in[64], ex[64], rem[64] = "", span[32];

    lisp_endpoint_to_str(&m->internal, in, sizeof in);
    lisp_endpoint_to_str(&m->external, ex, sizeof ex);
    /* the remote a mapping depends on: an address (port 0) or an address and port */
    if (m->remote.afi && m->remote.port)
        lisp_endpoint_to_str(&m->remote, rem, sizeof rem);
    else if (m->remote.afi)
        ctl_addr_str(m->remote.afi, m->remote.addr, rem, sizeof rem);
    if (r->json) {
        json_object(&r->out, NULL);
        json_str(&r->out, "proto", proto_name(m->proto));
        json_str(&r->out, "internal", in);
        json_str(&r->out, "external", ex);
        json_str(&r->out, "remote", m->remote.afi ? rem : NULL);
        json_seconds_until(&r->out, "expires_in_s", r->now, m->expires);
        json_end_object(&r->out);
    } else {
        ctl_printf(&r->out, "  %-4s %-21s -> %-21s remote %-21s expires in %s\n",
                   proto_name(m->proto), in, ex, m->remote.afi ? rem : "any",
                   ctl_duration_str(r->now, m->expires, span, sizeof span));
    }
}

int ctl_cmd_show_nat(ctl_req *r)
{
    const lisp_nat *nat = lisp_nat_from_engine(r->engine);
    size_t total, shown, i;
    lisp_nat_mapping_info m;

    if (!nat)
        return ctl_fail(r, "show nat: role %s has no NAT", r->role);
    if (r->argc == 1 && strcmp(r->argv[0], "all") != 0)
        return ctl_fail(r, "show nat: '%s' is not \"all\"", r->argv[0]);
    total = lisp_nat_mapping_count(nat);
    shown = r->argc == 1 || total < SHOW_NAT_MAPPINGS ? total : SHOW_NAT_MAPPINGS;
    if (r->json)
        json_object(&r->out, NULL);
    settings(r, lisp_nat_get_config(nat));
    counters(r, nat);
    if (r->json) {
        json_u64(&r->out, "mapping_count", total);
        json_array(&r->out, "mappings");
    } else {
        ctl_printf(&r->out, "mappings (%zu)\n", total);
    }
    for (i = 0; i < shown && lisp_nat_mapping_at(nat, i, &m); i++)
        mapping_row(r, &m);
    if (r->json) {
        json_end_array(&r->out);
        json_end_object(&r->out);
    } else if (shown < total) {
        ctl_printf(&r->out, "  ... %zu more (show nat all)\n", total - shown);
    }
    return 0;
}
