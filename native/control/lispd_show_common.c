/* lispd_show_common.c - commands every role answers (help, show stats, log level) and the
 * formatting helpers the role-specific renderers share (lispd_control_internal.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lispd_control_internal.h"

/* ---------------------------------------------------------------------------------------- */
/* Formatting                                                                               */
/* ---------------------------------------------------------------------------------------- */

const char *ctl_addr_str(uint16_t afi, const uint8_t *addr, char *buf, size_t cap)
{
    int family = afi == LISP_AFI_IPV4 ? AF_INET : afi == LISP_AFI_IPV6 ? AF_INET6 : -1;

    if (family < 0 || !inet_ntop(family, addr, buf, (socklen_t)cap))
        snprintf(buf, cap, "?");
    return buf;
}

const char *ctl_prefix_str(const lisp_eid *e, char *buf, size_t cap)
{
    char a[INET6_ADDRSTRLEN];

    snprintf(buf, cap, "%s/%u", ctl_addr_str(e->afi, e->addr, a, sizeof a), e->mask_len);
    return buf;
}

/* A span of s seconds: "4m59s", "1h2m", "3d4h". */
static const char *span_str(uint64_t s, char *buf, size_t cap)
{
    unsigned long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60;

    if (d)
        snprintf(buf, cap, "%llud%lluh", d, h);
    else if (h)
        snprintf(buf, cap, "%lluh%llum", h, m);
    else if (m)
        snprintf(buf, cap, "%llum%llus", m, sec);
    else
        snprintf(buf, cap, "%llus", sec);
    return buf;
}

const char *ctl_duration_str(lisp_time_t now, lisp_time_t t, char *buf, size_t cap)
{
    if (t == LISP_TIME_NEVER)
        snprintf(buf, cap, "never");
    else if (t <= now)
        snprintf(buf, cap, "0s");
    else
        span_str((t - now + LISP_NS_PER_SEC - 1) / LISP_NS_PER_SEC, buf, cap);
    return buf;
}

const char *ctl_ago_str(lisp_time_t now, lisp_time_t t, char *buf, size_t cap)
{
    char span[32];

    if (t == LISP_TIME_NEVER)
        snprintf(buf, cap, "never");
    else
        snprintf(buf, cap, "%s ago",
                 span_str(now > t ? (now - t) / LISP_NS_PER_SEC : 0, span, sizeof span));
    return buf;
}

const char *ctl_action_name(unsigned action)
{
    static const char *const names[] = {
        "no-action", "natively-forward",   "send-map-request",
        "drop",      "drop-policy-denied", "drop-auth-failure",
    };
    return action < sizeof names / sizeof names[0] ? names[action] : "unknown";
}

bool ctl_prefix_contains(const lisp_eid *outer, const lisp_eid *inner)
{
    unsigned bits = outer->mask_len, i;

    if (outer->iid != inner->iid || outer->afi != inner->afi || inner->mask_len < bits)
        return false;
    for (i = 0; i < bits / 8; i++)
        if (outer->addr[i] != inner->addr[i])
            return false;
    if (bits % 8) {
        uint8_t mask = (uint8_t)(0xFF << (8 - bits % 8));
        if ((outer->addr[i] & mask) != (inner->addr[i] & mask))
            return false;
    }
    return true;
}

void ctl_eid(ctl_req *r, const lisp_eid *e)
{
    char p[CTL_ADDR_STR];

    ctl_prefix_str(e, p, sizeof p);
    if (r->json) {
        json_u64(&r->out, "iid", e->iid);
        json_str(&r->out, "afi", e->afi == LISP_AFI_IPV4 ? "ipv4" : "ipv6");
        json_str(&r->out, "prefix", p);
    } else {
        ctl_printf(&r->out, "[%lu] %s", (unsigned long)e->iid, p);
    }
}

void ctl_locators(ctl_req *r, const lisp_mapcache_loc *locs, unsigned n)
{
    char a[INET6_ADDRSTRLEN];
    unsigned i;

    if (r->json)
        json_array(&r->out, "locators");
    for (i = 0; i < n; i++) {
        const lisp_mapcache_loc *l = &locs[i];
        const char *state = l->flags & LISP_LOC_F_R ? "up" : "down";
        ctl_addr_str(l->afi, l->addr, a, sizeof a);
        if (r->json) {
            json_object(&r->out, NULL);
            json_str(&r->out, "address", a);
            if (l->port)
                json_u64(&r->out, "port", l->port);
            json_u64(&r->out, "priority", l->priority);
            json_u64(&r->out, "weight", l->weight);
            json_u64(&r->out, "mpriority", l->mpriority);
            json_u64(&r->out, "mweight", l->mweight);
            json_str(&r->out, "state", state);
            json_end_object(&r->out);
        } else {
            ctl_printf(&r->out, "    %-39s priority %-3u weight %-3u %s", a, l->priority, l->weight,
                       state);
            if (l->port)
                ctl_printf(&r->out, "  port %u", l->port);
            ctl_puts(&r->out, "\n");
        }
    }
    if (r->json)
        json_end_array(&r->out);
}

/* ---------------------------------------------------------------------------------------- */
/* help, show stats, log level                                                              */
/* ---------------------------------------------------------------------------------------- */

static const char help_text[] =
    "Commands (add --json for one JSON document):\n"
    "  show map-cache          xTR/PITR: mappings with locators, expiry, negative entries\n"
    "  show registrations      xTR: Map-Servers and registration state; MS: registered\n"
    "                          prefixes with site, xTRs, locators and expiry\n"
    "  show sites              MS: configured sites, their prefixes, registered or not\n"
    "  show locators           xTR: local RLOCs (interface, up/down, priority, weight, LSB)\n"
    "  show stats              every counter of the engine, by group\n"
    "  show nat [all]          NAT: behaviours, public addresses, counters, mappings (the\n"
    "                          first 100 unless all)\n"
    "  clear map-cache         xTR/PITR: drop every map-cache entry\n"
    "  log level LEVEL         debug | info | warn | error\n"
    "  help                    this list\n";

int ctl_cmd_help(ctl_req *r)
{
    if (!r->json) {
        ctl_puts(&r->out, help_text);
        return 0;
    }
    json_object(&r->out, NULL);
    json_array(&r->out, "commands");
    json_str(&r->out, NULL, "show map-cache");
    json_str(&r->out, NULL, "show registrations");
    json_str(&r->out, NULL, "show sites");
    json_str(&r->out, NULL, "show locators");
    json_str(&r->out, NULL, "show stats");
    json_str(&r->out, NULL, "show nat");
    json_str(&r->out, NULL, "clear map-cache");
    json_str(&r->out, NULL, "log level");
    json_str(&r->out, NULL, "help");
    json_end_array(&r->out);
    json_end_object(&r->out);
    return 0;
}

int ctl_cmd_show_stats(ctl_req *r)
{
    const char *group = NULL;
    lisp_stat *stats;
    size_t n, i;

    n = lisp_engine_stats(r->engine, NULL, 0);
    stats = calloc(n ? n : 1, sizeof *stats);
    if (!stats)
        return ctl_fail(r, "out of memory");
    n = lisp_engine_stats(r->engine, stats, n);
    if (r->json) {
        json_object(&r->out, NULL);
        json_str(&r->out, "role", r->role);
    } else {
        ctl_printf(&r->out, "role %s\n", r->role);
    }
    for (i = 0; i < n; i++) {
        if (!group || strcmp(group, stats[i].group) != 0) {
            if (r->json && group)
                json_end_object(&r->out);
            group = stats[i].group;
            if (r->json)
                json_object(&r->out, group);
            else
                ctl_printf(&r->out, "%s:\n", group);
        }
        if (r->json)
            json_u64(&r->out, stats[i].name, stats[i].value);
        else
            ctl_printf(&r->out, "  %-36s %llu\n", stats[i].name,
                       (unsigned long long)stats[i].value);
    }
    if (r->json) {
        if (group)
            json_end_object(&r->out);
        json_end_object(&r->out);
    }
    free(stats);
    return 0;
}

int ctl_cmd_log_level(ctl_req *r)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    static const int levels[] = {LISP_LOG_DEBUG, LISP_LOG_INFO, LISP_LOG_WARN, LISP_LOG_ERROR};
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(r->argv[0], names[i]) == 0)
            break;
    if (i == sizeof names / sizeof names[0])
        return ctl_fail(r, "log level: '%s' is not one of debug, info, warn, error", r->argv[0]);
    if (!r->ops->set_log_level || r->ops->set_log_level(r->user, levels[i]) < 0)
        return ctl_fail(r, "log level: the daemon refused %s", names[i]);
    if (r->json) {
        json_object(&r->out, NULL);
        json_str(&r->out, "log_level", names[i]);
        json_end_object(&r->out);
    } else {
        ctl_printf(&r->out, "log level %s\n", names[i]);
    }
    return 0;
}
