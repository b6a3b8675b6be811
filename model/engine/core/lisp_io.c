/* lisp_io.c - names of trace events, endpoint helpers, and the trace/log plumbing. */
#include "lisp_io_internal.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LOG_LINE_MAX 256

const char *lisp_trace_kind_name(int kind)
{
    switch ((lisp_trace_kind)kind) {
    case LISP_TRACE_MAPCACHE_INSERT: return "map-cache-insert";
    case LISP_TRACE_MAPCACHE_EXPIRE: return "map-cache-expire";
    case LISP_TRACE_MAP_REQUEST_SENT: return "map-request-sent";
    case LISP_TRACE_MAP_REQUEST_RECEIVED: return "map-request-received";
    case LISP_TRACE_MAP_REQUEST_FORWARDED: return "map-request-forwarded";
    case LISP_TRACE_MAP_REPLY_SENT: return "map-reply-sent";
    case LISP_TRACE_MAP_REPLY_RECEIVED: return "map-reply-received";
    case LISP_TRACE_MAP_REGISTER_SENT: return "map-register-sent";
    case LISP_TRACE_MAP_REGISTER_ACCEPTED: return "map-register-accepted";
    case LISP_TRACE_MAP_NOTIFY_SENT: return "map-notify-sent";
    case LISP_TRACE_MAP_NOTIFY_RECEIVED: return "map-notify-received";
    case LISP_TRACE_REGISTRATION_EXPIRED: return "registration-expired";
    case LISP_TRACE_ENCAP: return "encap";
    case LISP_TRACE_DECAP: return "decap";
    case LISP_TRACE_FORWARD_NATIVE: return "forward-native";
    case LISP_TRACE_DROP: return "drop";
    }
    return "unknown";
}

const char *lisp_drop_reason_name(int reason)
{
    switch ((lisp_drop_reason)reason) {
    case LISP_DROP_NONE: return "none";
    case LISP_DROP_MALFORMED: return "malformed";
    case LISP_DROP_MAP_CACHE_MISS: return "map-cache-miss";
    case LISP_DROP_QUEUE_FULL: return "queue-full";
    case LISP_DROP_RESOLUTION_FAILED: return "resolution-failed";
    case LISP_DROP_NEGATIVE_MAPPING: return "negative-mapping";
    case LISP_DROP_NO_LOCATOR: return "no-locator";
    case LISP_DROP_NOT_OUR_EID: return "not-our-eid";
    case LISP_DROP_AUTH_FAILED: return "auth-failed";
    case LISP_DROP_UNKNOWN_SITE: return "unknown-site";
    case LISP_DROP_PREFIX_NOT_ALLOWED: return "prefix-not-allowed";
    case LISP_DROP_UNSOLICITED: return "unsolicited";
    case LISP_DROP_UNEXPECTED_TYPE: return "unexpected-type";
    case LISP_DROP_NO_ROUTE: return "no-route";
    case LISP_DROP_TOO_BIG: return "too-big";
    }
    return "unknown";
}

bool lisp_endpoint_equal(const lisp_endpoint *x, const lisp_endpoint *y)
{
    size_t n = x->afi == LISP_AFI_IPV4 ? 4 : x->afi == LISP_AFI_IPV6 ? 16 : 0;
    return x->afi == y->afi && x->port == y->port && memcmp(x->addr, y->addr, n) == 0;
}

const char *lisp_endpoint_to_str(const lisp_endpoint *e, char *buf, size_t cap)
{
    char ip[INET6_ADDRSTRLEN] = "none";

    if (cap == 0)
        return buf;
    if (e->afi == LISP_AFI_IPV4)
        inet_ntop(AF_INET, e->addr, ip, sizeof ip);
    else if (e->afi == LISP_AFI_IPV6)
        inet_ntop(AF_INET6, e->addr, ip, sizeof ip);
    snprintf(buf, cap, e->afi == LISP_AFI_IPV6 ? "[%s]:%u" : "%s:%u", ip, (unsigned)e->port);
    return buf;
}

lisp_trace lisp_trace_make(lisp_trace_kind kind, lisp_time_t now)
{
    lisp_trace ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = (uint8_t)kind;
    ev.now = now;
    return ev;
}

void lisp_io_emit(const lisp_io *io, const lisp_trace *ev)
{
    if (io->trace)
        io->trace(io->user_data, ev);
}

void lisp_io_drop(const lisp_io *io, lisp_time_t now, lisp_drop_reason reason, int err,
                  const lisp_eid *eid, const lisp_endpoint *peer)
{
    lisp_trace ev = lisp_trace_make(LISP_TRACE_DROP, now);
    ev.reason = (uint8_t)reason;
    ev.err = (int16_t)err;
    if (eid)
        ev.eid = *eid;
    if (peer)
        ev.peer = *peer;
    lisp_io_emit(io, &ev);
}

void lisp_io_logf(const lisp_io *io, int level, const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;

    if (!io->log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    io->log(io->user_data, level, line);
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
