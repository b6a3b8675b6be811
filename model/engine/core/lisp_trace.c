/* lisp_trace.c - names of trace kinds, drop reasons, roles and locator events, and the
 * endpoint helpers (lisp_trace.h). */
#include "lisp_trace.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define KIND_ROW(id, name, source, help) {name, source, help},
static const lisp_trace_kind_desc kinds[] = {{"none", "", ""}, LISP_TRACE_KINDS(KIND_ROW)};
#undef KIND_ROW

#define DROP_ROW(id, name) name,
static const char *const drop_names[] = {LISP_DROP_REASONS(DROP_ROW)};
#undef DROP_ROW

const lisp_trace_kind_desc *lisp_trace_kind_info(int kind)
{
    return kind > 0 && kind < LISP_TRACE_KIND_COUNT ? &kinds[kind] : NULL;
}

const char *lisp_trace_kind_name(int kind)
{
    const lisp_trace_kind_desc *d = lisp_trace_kind_info(kind);
    return d ? d->name : "unknown";
}

const char *lisp_drop_reason_name(int reason)
{
    return reason >= 0 && reason < LISP_DROP_REASON_COUNT ? drop_names[reason] : "unknown";
}

const char *lisp_role_name(int role)
{
    switch ((lisp_role)role) {
    case LISP_ROLE_NONE: return "none";
    case LISP_ROLE_XTR: return "xtr";
    case LISP_ROLE_MS: return "map-server";
    case LISP_ROLE_MR: return "map-resolver";
    case LISP_ROLE_NAT: return "nat";
    }
    return "unknown";
}

const char *lisp_locator_event_name(int event)
{
    switch ((lisp_locator_event_kind)event) {
    case LISP_LOCATOR_ADDED: return "added";
    case LISP_LOCATOR_REMOVED: return "removed";
    case LISP_LOCATOR_UP: return "up";
    case LISP_LOCATOR_DOWN: return "down";
    case LISP_LOCATOR_CHANGED: return "changed";
    }
    return "unknown";
}

bool lisp_endpoint_same_addr(const lisp_endpoint *x, const lisp_endpoint *y)
{
    size_t n = x->afi == LISP_AFI_IPV4 ? 4 : x->afi == LISP_AFI_IPV6 ? 16 : 0;
    return x->afi == y->afi && memcmp(x->addr, y->addr, n) == 0;
}

bool lisp_endpoint_equal(const lisp_endpoint *x, const lisp_endpoint *y)
{
    return x->port == y->port && lisp_endpoint_same_addr(x, y);
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
