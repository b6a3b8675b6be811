/* lisp_ctx.c - engines talking through their host (lisp_ctx_internal.h). */
#include "lisp_ctx_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lisp_workspace.h"

#define LOG_LINE_MAX 256

void lisp_ctx_init(lisp_ctx *c, const lisp_host *host, lisp_role role, lisp_common_stats *stats)
{
    memset(c, 0, sizeof *c);
    c->host = *host;
    c->role = (uint8_t)role;
    c->stats = stats;
    c->alloc = host->env.alloc;
}

void lisp_ctx_release(lisp_ctx *c)
{
    lisp_workspace_free(c->own_ws);
    c->own_ws = NULL;
}

lisp_trace lisp_trace_make(lisp_trace_kind kind, lisp_time_t now)
{
    lisp_trace ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = (uint8_t)kind;
    ev.now = now;
    return ev;
}

void lisp_ctx_emit(const lisp_ctx *c, lisp_trace *ev)
{
    ev->role = c->role;
    if (c->host.env.trace)
        c->host.env.trace(c->host.env.user_data, ev);
}

static void trace_with(const lisp_ctx *c, lisp_trace *ev, const lisp_eid *eid,
                       const lisp_endpoint *peer)
{
    if (eid)
        ev->eid = *eid;
    if (peer)
        ev->peer = *peer;
    lisp_ctx_emit(c, ev);
}

void lisp_ctx_drop(lisp_ctx *c, lisp_time_t now, lisp_drop_reason reason, int err,
                   const lisp_eid *eid, const lisp_endpoint *peer)
{
    lisp_trace ev = lisp_trace_make(LISP_TRACE_DROP, now);

    if ((unsigned)reason < LISP_DROP_REASON_COUNT)
        c->stats->drops[reason]++;
    ev.reason = (uint8_t)reason;
    ev.err = (int16_t)err;
    trace_with(c, &ev, eid, peer);
}

void lisp_ctx_internal_error(lisp_ctx *c, lisp_time_t now, int err, const lisp_eid *eid,
                             const lisp_endpoint *peer)
{
    lisp_trace ev = lisp_trace_make(LISP_TRACE_INTERNAL_ERROR, now);

    c->stats->internal_errors++;
    lisp_ctx_logf(c, LISP_LOG_ERROR, "%s: %s", lisp_role_name(c->role), lisp_strerror(err));
    ev.err = (int16_t)err;
    trace_with(c, &ev, eid, peer);
}

void lisp_ctx_state_change(const lisp_ctx *c, lisp_time_t now, const char *machine,
                           const char *from, const char *to, const char *event,
                           const lisp_eid *eid, const lisp_endpoint *peer)
{
    lisp_trace ev = lisp_trace_make(LISP_TRACE_STATE_CHANGE, now);

    lisp_ctx_logf(c, LISP_LOG_DEBUG, "%s: %s -> %s (%s)", machine, from, to, event);
    ev.u.state.machine = machine;
    ev.u.state.from = from;
    ev.u.state.to = to;
    ev.u.state.event = event;
    trace_with(c, &ev, eid, peer);
}

int lisp_ctx_send(lisp_ctx *c, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                  size_t len)
{
    int rc = c->host.out.send(c->host.env.user_data, d, payload, len);

    if (rc < 0) {
        c->stats->send_failed++;
        lisp_ctx_drop(c, now, LISP_DROP_SEND_FAILED, rc, NULL, &d->dst);
    }
    return rc;
}

lisp_dgram lisp_dgram_make(const lisp_endpoint *src, uint16_t sport, const lisp_endpoint *dst)
{
    lisp_dgram d;
    memset(&d, 0, sizeof d);
    if (src)
        d.src = *src;
    d.src.port = sport;
    d.dst = *dst;
    return d;
}

uint64_t lisp_ctx_random(const lisp_ctx *c)
{
    return c->host.env.random(c->host.env.user_data);
}

lisp_workspace *lisp_ctx_workspace(lisp_ctx *c)
{
    if (c->host.env.workspace)
        return c->host.env.workspace;
    if (!c->own_ws)
        c->own_ws = lisp_workspace_new(c->alloc);
    return c->own_ws;
}

void lisp_ctx_logf(const lisp_ctx *c, int level, const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;

    if (!c->host.env.log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    c->host.env.log(c->host.env.user_data, level, line);
}

void lisp_stats_group(lisp_stat *out, size_t cap, size_t from, size_t n, lisp_role role)
{
    size_t i;
    for (i = from; i < n && i < cap; i++)
        out[i].group = lisp_role_name(role);
}

void lisp_stats_add(lisp_stat *out, size_t cap, size_t *n, const char *name, uint64_t value)
{
    if (*n < cap) {
        out[*n].group = NULL;
        out[*n].name = name;
        out[*n].value = value;
    }
    (*n)++;
}

#define DROP_STAT_ROW(id, name) "drop." name,
static const char *const drop_stat_names[] = {LISP_DROP_REASONS(DROP_STAT_ROW)};
#undef DROP_STAT_ROW

void lisp_stats_common(const lisp_common_stats *s, lisp_stat *out, size_t cap, size_t *n)
{
    unsigned i;

    lisp_stats_add(out, cap, n, "send_failed", s->send_failed);
    lisp_stats_add(out, cap, n, "internal_errors", s->internal_errors);
    for (i = 1; i < LISP_DROP_REASON_COUNT; i++)
        lisp_stats_add(out, cap, n, drop_stat_names[i], s->drops[i]);
}

lisp_endpoint lisp_endpoint_from_afi(const lisp_afi_addr *a, uint16_t port)
{
    lisp_endpoint e;
    memset(&e, 0, sizeof e);
    if (a->afi == LISP_AFI_IPV4 || a->afi == LISP_AFI_IPV6) {
        e.afi = a->afi;
        memcpy(e.addr, a->ip, 16);
    }
    e.port = port;
    return e;
}

bool lisp_eid_covers(const lisp_eid *prefix, uint32_t iid, uint16_t afi, const uint8_t *addr)
{
    unsigned whole = prefix->mask_len / 8, rest = prefix->mask_len % 8;

    if (prefix->iid != iid || prefix->afi != afi || prefix->mask_len > lisp_afi_bits(afi))
        return false;
    if (memcmp(prefix->addr, addr, whole) != 0)
        return false;
    return rest == 0 || ((prefix->addr[whole] ^ addr[whole]) & (0xFF00 >> rest) & 0xFF) == 0;
}

bool lisp_eid_covers_prefix(const lisp_eid *prefix, const lisp_eid *inner)
{
    return inner->mask_len >= prefix->mask_len &&
           lisp_eid_covers(prefix, inner->iid, inner->afi, inner->addr);
}

lisp_eid lisp_eid_host(uint32_t iid, uint16_t afi, const uint8_t *addr)
{
    lisp_eid eid;
    memset(&eid, 0, sizeof eid);
    eid.iid = iid;
    eid.afi = afi;
    eid.mask_len = (uint8_t)lisp_afi_bits(afi);
    memcpy(eid.addr, addr, afi == LISP_AFI_IPV4 ? 4 : 16);
    return eid;
}
