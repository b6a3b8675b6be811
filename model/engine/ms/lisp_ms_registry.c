/*
 * lisp_ms_registry.c - the Map-Server's registrations: one ms_reg per registered prefix,
 * holding one ms_xtr per registering xTR. reg_db (a lisp_mapcache) maps the prefix to its
 * ms_reg and stores the merged locator set, with the earliest contribution expiry as the
 * entry's expiry, so that lisp_mapcache_next_expiry is the engine's next expiry and the
 * proxy-reply path reads the merged set straight from the LPM.
 */
#include <string.h>

#include "lisp_ms_internal.h"

static bool same_addr(uint16_t afi, const uint8_t *x, const uint8_t *y)
{
    return memcmp(x, y, afi == LISP_AFI_IPV4 ? 4 : 16) == 0;
}

static int find_xtr(const ms_reg *r, const ms_contribution *c)
{
    int i;

    for (i = 0; i < r->n_xtrs; i++) {
        const ms_xtr *x = &r->xtrs[i];
        if (c->by_xtr_id) {
            if (x->by_xtr_id && memcmp(x->xtr_id, c->xtr_id, LISP_XTR_ID_LEN) == 0)
                return i;
        } else if (!x->by_xtr_id && x->rloc.afi == c->rloc->afi &&
                   same_addr(x->rloc.afi, x->rloc.addr, c->rloc->addr)) {
            return i;
        }
    }
    return -1;
}

/* The union of the contributions' locators into ms->merged; returns how many. */
static unsigned merge(lisp_ms *ms, const ms_reg *r)
{
    unsigned n = 0, i, k, j;

    for (i = 0; i < r->n_xtrs; i++) {
        const ms_xtr *x = &r->xtrs[i];
        for (k = 0; k < x->loc_count; k++) {
            const lisp_mapcache_loc *l = &x->locs[k];
            for (j = 0; j < n; j++)
                if (ms->merged[j].afi == l->afi && same_addr(l->afi, ms->merged[j].addr, l->addr))
                    break;
            if (j < n)
                continue;
            if (n == LISP_MAX_LOCATORS)
                return n;
            ms->merged[n++] = *l;
        }
    }
    return n;
}

static lisp_time_t earliest(const ms_reg *r)
{
    lisp_time_t t = LISP_TIME_NEVER;
    unsigned i;

    for (i = 0; i < r->n_xtrs; i++)
        if (r->xtrs[i].expires < t)
            t = r->xtrs[i].expires;
    return t;
}

/* (Re)store r in reg_db with its merged set and earliest expiry. */
static int store(lisp_ms *ms, ms_reg *r)
{
    lisp_mapcache_mapping m;

    memset(&m, 0, sizeof m);
    m.action = LISP_ACT_NO_ACTION;
    m.authoritative = true;
    m.map_version = r->map_version;
    m.loc_count = (uint16_t)merge(ms, r);
    m.locators = ms->merged;
    m.user = (uint64_t)(uintptr_t)r;
    return lisp_mapcache_put(ms->reg_db, &r->prefix, &m, earliest(r));
}

static void free_reg(lisp_ms *ms, ms_reg *r)
{
    unsigned i;

    for (i = 0; i < r->n_xtrs; i++)
        lisp_mem_free(&ms->mem, r->xtrs[i].locs,
                      (size_t)r->xtrs[i].loc_cap * sizeof(lisp_mapcache_loc));
    lisp_mem_free(&ms->mem, r->xtrs, (size_t)r->cap_xtrs * sizeof *r->xtrs);
    lisp_mem_free(&ms->mem, r, sizeof *r);
}

static int grow_xtrs(lisp_ms *ms, ms_reg *r)
{
    uint16_t cap = r->cap_xtrs ? (uint16_t)(r->cap_xtrs * 2) : 1;
    ms_xtr *p;

    if (cap > LISP_MS_MAX_XTRS)
        cap = LISP_MS_MAX_XTRS;
    p = lisp_mem_realloc(&ms->mem, r->xtrs, (size_t)r->cap_xtrs * sizeof *p,
                         (size_t)cap * sizeof *p);
    if (!p)
        return LISP_ERR_NOMEM;
    memset(p + r->cap_xtrs, 0, (size_t)(cap - r->cap_xtrs) * sizeof *p);
    r->xtrs = p;
    r->cap_xtrs = cap;
    return LISP_OK;
}

int ms_registry_update(lisp_ms *ms, lisp_time_t now, const ms_contribution *c)
{
    const lisp_mapcache_entry *e = lisp_mapcache_get(ms->reg_db, c->prefix);
    bool created = false, added = false;
    ms_reg *r;
    ms_xtr *x;
    int i, rc;

    if (e) {
        r = (ms_reg *)(uintptr_t)e->user;
    } else {
        r = lisp_mem_alloc(&ms->mem, sizeof *r);
        if (!r)
            return LISP_ERR_NOMEM;
        memset(r, 0, sizeof *r);
        r->prefix = *c->prefix;
        r->site = c->site;
        created = true;
    }

    i = find_xtr(r, c);
    if (i < 0) {
        if (r->n_xtrs >= LISP_MS_MAX_XTRS) {
            rc = LISP_ERR_TOO_MANY;
            goto fail;
        }
        if (r->n_xtrs == r->cap_xtrs && (rc = grow_xtrs(ms, r)) < 0)
            goto fail;
        i = r->n_xtrs;
        added = true;
    }
    x = &r->xtrs[i];
    if (c->loc_count > x->loc_cap) {
        lisp_mapcache_loc *p = lisp_mem_realloc(&ms->mem, x->locs, (size_t)x->loc_cap * sizeof *p,
                                                (size_t)c->loc_count * sizeof *p);
        if (!p) {
            rc = LISP_ERR_NOMEM;
            goto fail;
        }
        x->locs = p;
        x->loc_cap = c->loc_count;
    }

    x->by_xtr_id = c->by_xtr_id;
    if (c->by_xtr_id) {
        memcpy(x->xtr_id, c->xtr_id, LISP_XTR_ID_LEN);
        memcpy(x->site_id, c->site_id, LISP_SITE_ID_LEN);
    }
    x->rloc = *c->rloc;
    x->expires = now > LISP_TIME_NEVER - ms->registration_ttl ? LISP_TIME_NEVER - 1
                                                              : now + ms->registration_ttl;
    x->proxy = c->proxy;
    x->ttl = c->ttl;
    x->map_version = c->map_version;
    if (c->loc_count)
        memcpy(x->locs, c->locs, (size_t)c->loc_count * sizeof *x->locs);
    x->loc_count = c->loc_count;
    if (added)
        r->n_xtrs++;
    r->map_version = c->map_version;

    rc = store(ms, r);
    if (rc < 0 && created) {
        free_reg(ms, r);
        return rc;
    }
    /* A failed re-store of an existing prefix keeps the old merged set in reg_db until the
     * next change; the contribution itself is recorded. */
    return rc;

fail:
    if (created)
        free_reg(ms, r);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Expiry                                                                                   */
/* ---------------------------------------------------------------------------------------- */

typedef struct due_list {
    ms_reg *head;
} due_list;

static void on_due(void *user, const lisp_mapcache_entry *e)
{
    due_list *d = user;
    ms_reg *r = (ms_reg *)(uintptr_t)e->user;
    r->next_due = d->head;
    d->head = r;
}

/* Drop the contributions that expired by now; returns how many are left. */
static unsigned prune(lisp_ms *ms, ms_reg *r, lisp_time_t now)
{
    unsigned i, j = 0;

    for (i = 0; i < r->n_xtrs; i++) {
        ms_xtr *x = &r->xtrs[i];
        if (x->expires <= now) {
            lisp_mem_free(&ms->mem, x->locs, (size_t)x->loc_cap * sizeof *x->locs);
            ms->stats.xtrs_expired++;
            continue;
        }
        if (j != i)
            r->xtrs[j] = *x;
        j++;
    }
    if (j < r->n_xtrs)
        memset(&r->xtrs[j], 0, (size_t)(r->n_xtrs - j) * sizeof *r->xtrs);
    r->n_xtrs = (uint16_t)j;
    return j;
}

void ms_registry_expire(lisp_ms *ms, lisp_time_t now)
{
    due_list due = {NULL};
    ms_reg *r, *rev = NULL;

    if (lisp_mapcache_next_expiry(ms->reg_db) > now)
        return;
    /* reg_db removes the due entries; survivors with other xTRs are stored again. */
    lisp_mapcache_expire(ms->reg_db, now, on_due, &due);
    while (due.head) { /* back into the order reg_db reported them: soonest first */
        r = due.head;
        due.head = r->next_due;
        r->next_due = rev;
        rev = r;
    }
    while (rev) {
        r = rev;
        rev = r->next_due;
        r->next_due = NULL;
        if (prune(ms, r, now) > 0) {
            int rc = store(ms, r);
            if (rc == LISP_OK)
                continue;
            lisp_ctx_internal_error(&ms->ctx, now, rc, &r->prefix, NULL);
        }
        {
            lisp_trace ev = lisp_trace_make(LISP_TRACE_REGISTRATION_EXPIRED, now);
            ev.eid = r->prefix;
            lisp_ctx_emit(&ms->ctx, &ev);
        }
        ms->stats.registrations_expired++;
        free_reg(ms, r);
    }
}

static int free_visit(void *user, const lisp_mapcache_entry *e)
{
    free_reg(user, (ms_reg *)(uintptr_t)e->user);
    return 0;
}

void ms_registry_free(lisp_ms *ms)
{
    if (ms->reg_db)
        lisp_mapcache_foreach(ms->reg_db, free_visit, ms);
}

/* ---------------------------------------------------------------------------------------- */
/* Queries                                                                                  */
/* ---------------------------------------------------------------------------------------- */

const ms_reg *ms_registry_lookup(const lisp_ms *ms, uint32_t iid, uint16_t afi, const uint8_t *addr,
                                 const lisp_mapcache_entry **entry)
{
    const lisp_mapcache_entry *e = lisp_mapcache_lookup(ms->reg_db, iid, afi, addr);

    if (entry)
        *entry = e;
    return e ? (const ms_reg *)(uintptr_t)e->user : NULL;
}

bool ms_reg_proxy(const lisp_ms *ms, const ms_reg *r)
{
    unsigned i;

    if (ms->sites[r->site].proxy_reply)
        return true;
    for (i = 0; i < r->n_xtrs; i++)
        if (r->xtrs[i].proxy)
            return true;
    return false;
}

uint32_t ms_reg_ttl(const ms_reg *r)
{
    uint32_t ttl = 0xFFFFFFFFu;
    unsigned i;

    for (i = 0; i < r->n_xtrs; i++)
        if (r->xtrs[i].ttl < ttl)
            ttl = r->xtrs[i].ttl;
    return r->n_xtrs ? ttl : MS_RECORD_TTL_DEFAULT;
}
