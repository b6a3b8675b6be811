/* lisp_locators.c - the local RLOCs of a tunnel router and their run-time state, and its
 * EID-prefixes (lisp_locators_internal.h). */
#include <string.h>

#include "lisp_locators_internal.h"

static size_t afi_bytes(uint16_t afi)
{
    return afi == LISP_AFI_IPV4 ? 4 : 16;
}

void lisp_locators_init(lisp_locators *t)
{
    memset(t, 0, sizeof *t);
}

int lisp_locators_find(const lisp_locators *t, uint16_t afi, const uint8_t *addr)
{
    unsigned i;

    for (i = 0; i < t->n; i++)
        if (t->rloc[i].afi == afi && memcmp(t->rloc[i].addr, addr, afi_bytes(afi)) == 0)
            return (int)i;
    return -1;
}

int lisp_locators_add(lisp_locators *t, uint16_t afi, const uint8_t *addr, uint32_t ifindex,
                      uint8_t priority, uint8_t weight)
{
    lisp_local_rloc *r;

    if ((afi != LISP_AFI_IPV4 && afi != LISP_AFI_IPV6) || lisp_locators_find(t, afi, addr) >= 0)
        return LISP_ERR_INVALID_ARG;
    if (t->n >= LISP_XTR_MAX_RLOCS)
        return LISP_ERR_TOO_MANY;
    r = &t->rloc[t->n++];
    memset(r, 0, sizeof *r);
    memcpy(r->addr, addr, afi_bytes(afi));
    r->afi = afi;
    r->ifindex = ifindex;
    r->priority = priority;
    r->weight = weight;
    r->up = true;
    return LISP_OK;
}

static void trace_event(const lisp_locators *t, lisp_ctx *ctx, lisp_time_t now,
                        const lisp_locator_event *ev)
{
    lisp_trace tr = lisp_trace_make(LISP_TRACE_LOCATOR_CHANGE, now);

    tr.u.locator.event = ev->kind;
    tr.u.locator.ifindex = ev->ifindex;
    tr.u.locator.addr = ev->addr;
    tr.u.locator.addr.port = 0;
    tr.u.locator.old_addr = ev->old_addr;
    tr.u.locator.old_addr.port = 0;
    tr.u.locator.lsb = lisp_locators_lsb(t);
    lisp_ctx_emit(ctx, &tr);
}

/* UP or DOWN by address, or for every RLOC of an interface. */
static int set_up(lisp_locators *t, const lisp_locator_event *ev, bool up)
{
    unsigned i, hit = 0;
    int at;

    if (ev->addr.afi != LISP_AFI_NONE) {
        at = lisp_locators_find(t, ev->addr.afi, ev->addr.addr);
        if (at < 0)
            return LISP_ERR_INVALID_ARG;
        t->rloc[at].up = up;
        return LISP_OK;
    }
    for (i = 0; i < t->n; i++)
        if (ev->ifindex && t->rloc[i].ifindex == ev->ifindex) {
            t->rloc[i].up = up;
            hit++;
        }
    return hit ? LISP_OK : LISP_ERR_INVALID_ARG;
}

static int apply(lisp_locators *t, const lisp_locator_event *ev)
{
    int at = lisp_locators_find(t, ev->addr.afi, ev->addr.addr);

    switch ((lisp_locator_event_kind)ev->kind) {
    case LISP_LOCATOR_ADDED:
        if (at < 0)
            return lisp_locators_add(t, ev->addr.afi, ev->addr.addr, ev->ifindex, ev->priority,
                                     ev->weight);
        t->rloc[at].ifindex = ev->ifindex;
        t->rloc[at].priority = ev->priority;
        t->rloc[at].weight = ev->weight;
        t->rloc[at].up = true;
        return LISP_OK;
    case LISP_LOCATOR_REMOVED:
        if (at < 0)
            return LISP_ERR_INVALID_ARG;
        /* Keep the order of the others: it is the order of the locator-status-bits. */
        memmove(&t->rloc[at], &t->rloc[at + 1], (size_t)(t->n - at - 1) * sizeof t->rloc[0]);
        t->n--;
        return LISP_OK;
    case LISP_LOCATOR_UP:
        return set_up(t, ev, true);
    case LISP_LOCATOR_DOWN:
        return set_up(t, ev, false);
    case LISP_LOCATOR_CHANGED: {
        int old = lisp_locators_find(t, ev->old_addr.afi, ev->old_addr.addr);
        lisp_local_rloc *r;
        if (old < 0 || at >= 0 || (ev->addr.afi != LISP_AFI_IPV4 && ev->addr.afi != LISP_AFI_IPV6))
            return LISP_ERR_INVALID_ARG;
        r = &t->rloc[old];
        memset(r->addr, 0, sizeof r->addr);
        memcpy(r->addr, ev->addr.addr, afi_bytes(ev->addr.afi));
        r->afi = ev->addr.afi;
        if (ev->ifindex)
            r->ifindex = ev->ifindex;
        return LISP_OK;
    }
    }
    return LISP_ERR_INVALID_ARG;
}

int lisp_locators_apply(lisp_locators *t, lisp_ctx *ctx, lisp_time_t now,
                        const lisp_locator_event *ev)
{
    int rc = apply(t, ev);

    if (rc == LISP_OK)
        trace_event(t, ctx, now, ev);
    return rc;
}

bool lisp_locators_usable(const lisp_local_rloc *r)
{
    return r->up && r->priority < LISP_LOCATOR_UNUSABLE;
}

bool lisp_locators_have(const lisp_locators *t, uint16_t afi)
{
    return lisp_locators_source(t, afi, 0) != NULL;
}

uint32_t lisp_locators_lsb(const lisp_locators *t)
{
    uint32_t bits = 0;
    unsigned i;

    for (i = 0; i < t->n; i++)
        if (t->rloc[i].up)
            bits |= 1u << i;
    return bits;
}

static bool candidate(const lisp_local_rloc *r, uint16_t afi, unsigned best)
{
    return r->afi == afi && lisp_locators_usable(r) && r->priority == best;
}

const lisp_local_rloc *lisp_locators_source(const lisp_locators *t, uint16_t afi, uint32_t hash)
{
    unsigned i, best = LISP_LOCATOR_UNUSABLE, n = 0;
    uint32_t total = 0, pick;

    for (i = 0; i < t->n; i++)
        if (t->rloc[i].afi == afi && lisp_locators_usable(&t->rloc[i]) &&
            t->rloc[i].priority < best)
            best = t->rloc[i].priority;
    if (best == LISP_LOCATOR_UNUSABLE)
        return NULL;
    for (i = 0; i < t->n; i++)
        if (candidate(&t->rloc[i], afi, best)) {
            total += t->rloc[i].weight;
            n++;
        }
    /* All weights zero: spread evenly. */
    pick = total ? hash % total : hash % n;
    for (i = 0; i < t->n; i++) {
        uint32_t share;
        if (!candidate(&t->rloc[i], afi, best))
            continue;
        share = total ? t->rloc[i].weight : 1;
        if (pick < share)
            return &t->rloc[i];
        pick -= share;
    }
    return NULL; /* not reached: the shares add up to total (or n) */
}

lisp_endpoint lisp_locators_source_endpoint(const lisp_locators *t, uint16_t afi, uint32_t hash,
                                            uint16_t port)
{
    const lisp_local_rloc *r = lisp_locators_source(t, afi, hash);
    lisp_endpoint e;

    memset(&e, 0, sizeof e);
    if (r) {
        e.afi = r->afi;
        memcpy(e.addr, r->addr, 16);
    }
    e.port = port;
    return e;
}

lisp_locator lisp_local_rloc_to_wire(const lisp_local_rloc *r, uint16_t extra_flags)
{
    lisp_locator l;

    memset(&l, 0, sizeof l);
    l.priority = r->priority;
    l.weight = r->weight;
    l.flags = (uint16_t)((r->up ? LISP_LOC_F_R : 0) | extra_flags);
    l.addr = lisp_addr_plain(lisp_afi_ip(r->afi, r->addr));
    return l;
}

const lisp_eid *lisp_eid_set_match(const lisp_eid_set *s, uint32_t iid, uint16_t afi,
                                   const uint8_t *addr)
{
    unsigned i;

    for (i = 0; i < s->n; i++)
        if (lisp_eid_covers(&s->eid[i], iid, afi, addr))
            return &s->eid[i];
    return NULL;
}

const lisp_eid *lisp_eid_set_find(const lisp_eid_set *s, const lisp_eid *p)
{
    unsigned i;

    for (i = 0; i < s->n; i++)
        if (s->eid[i].mask_len == p->mask_len && lisp_eid_covers_prefix(&s->eid[i], p))
            return &s->eid[i];
    return NULL;
}
