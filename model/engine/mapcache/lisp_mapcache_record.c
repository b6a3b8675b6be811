/*
 * lisp_mapcache_record.c - from a decoded EID-record (lisp_msg.h) to a map-cache entry:
 * the codec boundary where the wire's TTL in minutes becomes an absolute lisp_time_t.
 */
#include <string.h>

#include "lisp_mapcache_internal.h"


static bool is_ip(const lisp_afi_addr *a)
{
    return a->afi == LISP_AFI_IPV4 || a->afi == LISP_AFI_IPV6;
}

/* The IP address an address field carries: plain, inside an Instance-ID LCAF, or the first
 * IP element of an AFI-List (lispers.net pairs an RLOC with a name that way). */
static const lisp_afi_addr *ip_of(const lisp_addr *a)
{
    unsigned i;

    if (is_ip(&a->a) && a->lcaf != LISP_LCAF_NATT)
        return &a->a;
    if (a->lcaf == LISP_LCAF_AFI_LIST)
        for (i = 0; i < a->n_more && i < LISP_AFI_LIST_MAX - 1; i++)
            if (is_ip(&a->more[i]))
                return &a->more[i];
    return NULL;
}

int lisp_mapcache_eid_from_prefix(lisp_eid *out, const lisp_prefix *p)
{
    unsigned nbytes;

    if (!out || !p)
        return LISP_ERR_INVALID_ARG;
    if ((p->addr.lcaf != LISP_LCAF_NONE && p->addr.lcaf != LISP_LCAF_IID) || !is_ip(&p->addr.a))
        return LISP_ERR_BAD_AFI;
    nbytes = lisp_mapcache_afi_bytes(p->addr.a.afi);
    if (p->mask_len > 8 * nbytes)
        return LISP_ERR_BAD_VALUE;
    memset(out, 0, sizeof *out);
    out->iid = p->addr.lcaf == LISP_LCAF_IID ? p->addr.iid : 0;
    out->afi = p->addr.a.afi;
    out->mask_len = p->mask_len;
    memcpy(out->addr, p->addr.a.ip, nbytes);
    lisp_mapcache_clear_host_bits(out->addr, nbytes, p->mask_len);
    return LISP_OK;
}

lisp_prefix lisp_mapcache_prefix_to_wire(const lisp_eid *eid, bool iid_lcaf)
{
    lisp_afi_addr a = lisp_afi_ip(eid->afi, eid->addr);
    lisp_prefix p;

    memset(&p, 0, sizeof p);
    p.mask_len = eid->mask_len;
    p.addr = iid_lcaf || eid->iid ? lisp_addr_iid(eid->iid, a) : lisp_addr_plain(a);
    return p;
}

lisp_locator lisp_mapcache_loc_to_wire(const lisp_mapcache_loc *loc, uint16_t flags)
{
    lisp_locator l;

    memset(&l, 0, sizeof l);
    l.priority = loc->priority;
    l.weight = loc->weight;
    l.mpriority = loc->mpriority;
    l.mweight = loc->mweight;
    l.flags = flags;
    l.addr = lisp_addr_plain(lisp_afi_ip(loc->afi, loc->addr));
    return l;
}

int lisp_mapcache_put_record(lisp_mapcache *mc, const lisp_record *rec, lisp_time_t now,
                             uint64_t user)
{
    lisp_mapcache_loc locs[LISP_MAPCACHE_MAX_LOCATORS];
    lisp_mapcache_mapping m;
    lisp_eid eid;
    lisp_time_t expires;
    unsigned i;
    int rc;

    if (!mc || !rec || (rec->loc_count && !rec->locators))
        return LISP_ERR_INVALID_ARG;
    rc = lisp_mapcache_eid_from_prefix(&eid, &rec->eid);
    if (rc < 0)
        return rc;
    for (i = 0; i < rec->loc_count; i++) {
        const lisp_locator *l = &rec->locators[i];
        const lisp_afi_addr *ip = ip_of(&l->addr);
        if (!ip)
            return LISP_ERR_BAD_AFI;
        memset(&locs[i], 0, sizeof locs[i]);
        memcpy(locs[i].addr, ip->ip, lisp_mapcache_afi_bytes(ip->afi));
        locs[i].afi = ip->afi;
        locs[i].priority = l->priority;
        locs[i].weight = l->weight;
        locs[i].mpriority = l->mpriority;
        locs[i].mweight = l->mweight;
        locs[i].flags = l->flags;
    }
    if (rec->ttl == LISP_TTL_NEVER || rec->ttl > (LISP_TIME_NEVER - now) / LISP_NS_PER_MINUTE)
        expires = LISP_TIME_NEVER; /* saturate rather than wrap into the past */
    else
        expires = now + rec->ttl * LISP_NS_PER_MINUTE;

    memset(&m, 0, sizeof m);
    m.action = rec->action;
    m.authoritative = rec->authoritative;
    m.map_version = rec->map_version;
    m.loc_count = rec->loc_count;
    m.locators = locs;
    m.user = user;
    return lisp_mapcache_put(mc, &eid, &m, expires);
}
