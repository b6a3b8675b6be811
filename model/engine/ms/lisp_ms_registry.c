/*
 * lisp_ms_registry.c - the Map-Server's registrations: one ms_reg per registered prefix,
 * holding one ms_xtr per registering xTR. reg_db (a lisp_mapcache) maps the prefix to its
 * ms_reg and stores the merged locator set, with the earliest contribution expiry as the
 * entry's expiry, so that lisp_mapcache_next_expiry is the registration timer and the
 * proxy-reply path reads the merged set straight from the LPM.
 *
 * An update is a transaction: capacity is reserved first, the contribution is written, the
 * merged set stored; when storing fails the contribution is restored as it was, so that a
 * refused Map-Register leaves nothing behind (lisp_ms.h, "Memory").
 */
#include <string.h>

#include "lisp_ms_internal.h"

#define MAP_VERSION_MASK 0xFFFu
#define MAP_VERSION_HALF 2048u

static bool same_addr(uint16_t afi, const uint8_t *x, const uint8_t *y)
{
    return memcmp(x, y, afi == LISP_AFI_IPV4 ? 4 : 16) == 0;
}

static int find_xtr(const ms_reg *r, const ms_contribution *c)
{
    int i;

    for (i = 0; i < r->n_xtrs; i++) {
        const ms_xtr *x = r->xtrs[i];
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

/* The union of the contributions' locators into out; returns how many. */
static unsigned merge(const ms_reg *r, lisp_mapcache_loc *out)
{
    unsigned n = 0, i, k, j;

    for (i = 0; i < r->n_xtrs; i++) {
        const ms_xtr *x = r->xtrs[i];
        for (k = 0; k < x->loc_count; k++) {
            const lisp_mapcache_loc *l = &x->locs[k];
            for (j = 0; j < n; j++)
                if (out[j].afi == l->afi && same_addr(l->afi, out[j].addr, l->addr))
                    break;
            if (j < n)
                continue;
            if (n == LISP_MAX_LOCATORS)
                return n;
            out[n++] = *l;
        }
    }
    return n;
}

/* Whether two locator sets say the same (order, addresses, priorities, weights, flags). */
static bool same_set(const lisp_mapcache_loc *a, unsigned na, const lisp_mapcache_loc *b,
                     unsigned nb)
{
    unsigned i;

    if (na != nb)
        return false;
    for (i = 0; i < na; i++)
        if (a[i].afi != b[i].afi || !same_addr(a[i].afi, a[i].addr, b[i].addr) ||
            a[i].port != b[i].port || a[i].priority != b[i].priority ||
            a[i].weight != b[i].weight || a[i].mpriority != b[i].mpriority ||
            a[i].mweight != b[i].mweight || a[i].flags != b[i].flags)
            return false;
    return true;
}

static lisp_time_t earliest(const ms_reg *r)
{
    lisp_time_t t = LISP_TIME_NEVER;
    unsigned i;

    for (i = 0; i < r->n_xtrs; i++)
        if (r->xtrs[i]->expires < t)
            t = r->xtrs[i]->expires;
    return t;
}

/* (Re)store r in reg_db with its merged set (ms->merged[0..n)) and earliest expiry. */
static int store(lisp_ms *ms, ms_reg *r, unsigned n)
{
    lisp_mapcache_mapping m;

    memset(&m, 0, sizeof m);
    m.action = LISP_ACT_NO_ACTION;
    m.authoritative = true;
    m.map_version = r->map_version;
    m.loc_count = (uint16_t)n;
    m.locators = ms->merged;
    m.user = (uint64_t)(uintptr_t)r;
    return lisp_mapcache_put(ms->reg_db, &r->prefix, &m, earliest(r));
}

static void free_xtr(lisp_ms *ms, ms_xtr *x)
{
    lisp_mem_free(&ms->mem, x->locs, (size_t)x->loc_cap * sizeof *x->locs);
    lisp_mem_free(&ms->mem, x, sizeof *x);
}

/* Free r and its xTRs; their Map-Notify machines stop (traced unless silent). */
static uint32_t *length_count(lisp_ms *ms, const lisp_eid *p)
{
    return &ms->reg_lengths[p->afi == LISP_AFI_IPV6][p->mask_len];
}

static void free_reg(lisp_ms *ms, lisp_time_t now, ms_reg *r, bool silent)
{
    unsigned i;

    if (r->counted)
        (*length_count(ms, &r->prefix))--;
    for (i = 0; i < r->n_xtrs; i++) {
        if (!silent)
            ms_notify_fsm(ms, now, r->xtrs[i], MS_NEV_REMOVED);
        free_xtr(ms, r->xtrs[i]);
    }
    lisp_mem_free(&ms->mem, r->xtrs, (size_t)r->cap_xtrs * sizeof *r->xtrs);
    lisp_mem_free(&ms->mem, r, sizeof *r);
}

static int grow_xtrs(lisp_ms *ms, ms_reg *r)
{
    uint16_t cap = r->cap_xtrs ? (uint16_t)(r->cap_xtrs * 2) : 1;
    ms_xtr **p;

    if (cap > LISP_MS_MAX_XTRS)
        cap = LISP_MS_MAX_XTRS;
    p = lisp_mem_realloc(&ms->mem, r->xtrs, (size_t)r->cap_xtrs * sizeof *p,
                         (size_t)cap * sizeof *p);
    if (!p)
        return LISP_ERR_NOMEM;
    r->xtrs = p;
    r->cap_xtrs = cap;
    return LISP_OK;
}

/* Whether map-version v is not older than cur (RFC 9302 section 7.1 serial arithmetic on 12
 * bits; 0 means "no version"). An xTR that versions its mapping cannot go back to 0. */
static bool version_acceptable(uint16_t v, uint16_t cur)
{
    unsigned d;

    if (cur == 0 || v == cur)
        return true;
    if (v == 0)
        return false;
    d = ((unsigned)v - cur) & MAP_VERSION_MASK;
    return d < MAP_VERSION_HALF;
}

static bool replayed(const lisp_ms *ms, lisp_time_t now, const ms_xtr *x, const ms_contribution *c)
{
    unsigned k;

    if (c->nonce != 0)
        for (k = 0; k < MS_NONCE_HISTORY; k++)
            if (x->nonce_until[k] > now && x->nonces[k] == c->nonce)
                return true;
    (void)ms;
    return !version_acceptable(c->map_version, x->map_version);
}

static lisp_time_t later(lisp_time_t now, lisp_time_t d)
{
    return now > LISP_TIME_NEVER - 1 - d ? LISP_TIME_NEVER - 1 : now + d;
}

static void remember_nonce(const lisp_ms *ms, lisp_time_t now, ms_xtr *x, uint64_t nonce)
{
    if (nonce == 0)
        return;
    x->nonces[x->nonce_next] = nonce;
    x->nonce_until[x->nonce_next] = later(now, ms->registration_ttl);
    x->nonce_next = (uint8_t)((x->nonce_next + 1) % MS_NONCE_HISTORY);
}

void ms_eid_truncate(lisp_eid *e, unsigned len)
{
    unsigned nbytes = e->afi == LISP_AFI_IPV4 ? 4 : 16, i;

    for (i = 0; i < nbytes; i++) {
        unsigned first = i * 8;
        if (first >= len)
            e->addr[i] = 0;
        else if (first + 8 > len)
            e->addr[i] &= (uint8_t)(0xFFu << (first + 8 - len));
    }
    if (nbytes == 4)
        memset(e->addr + 4, 0, 12);
    e->mask_len = (uint8_t)len;
}

/* A new registration r, not yet in reg_db: whether registrations lie inside it. Exact when
 * no registration covers r; otherwise inherited from the one that does (conservative). */
static bool inside_before_store(const lisp_ms *ms, const ms_reg *r)
{
    const lisp_eid *p = &r->prefix;
    const uint32_t *count = ms->reg_lengths[p->afi == LISP_AFI_IPV6];
    unsigned len, bits = lisp_afi_bits(p->afi);
    lisp_eid gap;
    int rc;

    for (len = p->mask_len + 1u; len <= bits && count[len] == 0; len++)
        ;
    if (len > bits)
        return false; /* no registered prefix is longer: none lies inside */
    rc = lisp_mapcache_negative_prefix(ms->reg_db, p->iid, p->afi, p->addr, &gap);

    if (rc == LISP_MAPCACHE_COVERED) {
        const lisp_mapcache_entry *e;
        if (gap.mask_len > p->mask_len)
            return true;
        e = lisp_mapcache_get(ms->reg_db, &gap);
        return e && ((const ms_reg *)(uintptr_t)e->user)->has_inside;
    }
    return rc == LISP_OK && gap.mask_len > p->mask_len;
}

/* A new registration r went in: every registered prefix covering it has one inside. */
static void mark_ancestors(lisp_ms *ms, const ms_reg *r)
{
    lisp_eid a = r->prefix;
    int len;

    for (len = (int)r->prefix.mask_len - 1; len >= 0; len--) {
        const lisp_mapcache_entry *e;
        ms_eid_truncate(&a, (unsigned)len);
        e = lisp_mapcache_get(ms->reg_db, &a);
        if (e)
            ((ms_reg *)(uintptr_t)e->user)->has_inside = true;
    }
}

/* The set changed: every xTR of r but `except` learns it through a Map-Notify. */
static void notify_others(lisp_ms *ms, lisp_time_t now, ms_reg *r, const ms_xtr *except)
{
    unsigned i;

    for (i = 0; i < r->n_xtrs; i++)
        if (r->xtrs[i] != except)
            ms_notify_fsm(ms, now, r->xtrs[i], MS_NEV_CHANGED);
}

int ms_registry_update(lisp_ms *ms, lisp_time_t now, const ms_contribution *c)
{
    const lisp_mapcache_entry *e = lisp_mapcache_get(ms->reg_db, c->prefix);
    bool created = false, added = false;
    unsigned n_prev = 0, n;
    uint16_t old_version = 0;
    ms_xtr saved, *x;
    ms_reg *r;
    int i, rc;

    if (e) {
        r = (ms_reg *)(uintptr_t)e->user;
        n_prev = e->loc_count;
        if (n_prev)
            memcpy(ms->prev, e->locators, n_prev * sizeof *ms->prev);
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
    if (i >= 0) {
        x = r->xtrs[i];
        if (replayed(ms, now, x, c))
            return MS_REPLAYED; /* r existed: nothing to undo */
    } else {
        if (r->n_xtrs >= LISP_MS_MAX_XTRS) {
            rc = LISP_ERR_TOO_MANY;
            goto fail;
        }
        if (r->n_xtrs == r->cap_xtrs && (rc = grow_xtrs(ms, r)) < 0)
            goto fail;
        x = lisp_mem_alloc(&ms->mem, sizeof *x);
        if (!x) {
            rc = LISP_ERR_NOMEM;
            goto fail;
        }
        memset(x, 0, sizeof *x);
        x->reg = r;
        added = true;
    }
    if (c->loc_count > x->loc_cap) { /* capacity only: kept even if the update fails */
        lisp_mapcache_loc *p = lisp_mem_realloc(&ms->mem, x->locs, (size_t)x->loc_cap * sizeof *p,
                                                (size_t)c->loc_count * sizeof *p);
        if (!p) {
            rc = LISP_ERR_NOMEM;
            goto fail_xtr;
        }
        x->locs = p;
        x->loc_cap = c->loc_count;
    }

    saved = *x;
    if (x->loc_count)
        memcpy(ms->saved, x->locs, (size_t)x->loc_count * sizeof *x->locs);
    x->by_xtr_id = c->by_xtr_id;
    if (c->by_xtr_id) {
        memcpy(x->xtr_id, c->xtr_id, LISP_XTR_ID_LEN);
        memcpy(x->site_id, c->site_id, LISP_SITE_ID_LEN);
    }
    x->rloc = *c->rloc;
    memset(&x->local, 0, sizeof x->local);
    if (c->local)
        x->local = *c->local;
    x->expires = later(now, ms->registration_ttl);
    x->proxy = c->proxy;
    x->ttl = c->ttl ? c->ttl : MS_RECORD_TTL_DEFAULT;
    x->map_version = c->map_version;
    if (c->loc_count)
        memcpy(x->locs, c->locs, (size_t)c->loc_count * sizeof *x->locs);
    x->loc_count = c->loc_count;
    remember_nonce(ms, now, x, c->nonce);
    if (added)
        r->xtrs[r->n_xtrs++] = x;
    old_version = r->map_version;
    r->map_version = c->map_version;

    if (created)
        r->has_inside = inside_before_store(ms, r);
    n = merge(r, ms->merged);
    rc = store(ms, r, n);
    if (rc < 0) { /* undo: the registration is as it was */
        r->map_version = old_version;
        if (added) {
            r->n_xtrs--;
            goto fail_xtr;
        }
        *x = saved;
        if (x->loc_count)
            memcpy(x->locs, ms->saved, (size_t)x->loc_count * sizeof *x->locs);
        return rc;
    }
    if (created) {
        (*length_count(ms, &r->prefix))++;
        r->counted = true;
        mark_ancestors(ms, r);
    }
    else if (!same_set(ms->prev, n_prev, ms->merged, n))
        notify_others(ms, now, r, x);
    return LISP_OK;

fail_xtr:
    if (added)
        free_xtr(ms, x);
fail:
    if (created)
        free_reg(ms, now, r, true);
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
        ms_xtr *x = r->xtrs[i];
        if (x->expires <= now) {
            ms_notify_fsm(ms, now, x, MS_NEV_REMOVED);
            free_xtr(ms, x);
            ms->stats.xtrs_expired++;
            continue;
        }
        r->xtrs[j++] = x;
    }
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
        {
            unsigned n_prev = merge(r, ms->prev), n;
            if (prune(ms, r, now) > 0) {
                int rc;
                n = merge(r, ms->merged);
                rc = store(ms, r, n);
                if (rc == LISP_OK) {
                    if (!same_set(ms->prev, n_prev, ms->merged, n))
                        notify_others(ms, now, r, NULL);
                    continue;
                }
                lisp_ctx_internal_error(&ms->ctx, now, rc, &r->prefix, NULL);
            }
        }
        {
            lisp_trace ev = lisp_trace_make(LISP_TRACE_REGISTRATION_EXPIRED, now);
            ev.eid = r->prefix;
            lisp_ctx_emit(&ms->ctx, &ev);
        }
        ms->stats.registrations_expired++;
        free_reg(ms, now, r, false);
    }
}

static int free_visit(void *user, const lisp_mapcache_entry *e)
{
    free_reg(user, 0, (ms_reg *)(uintptr_t)e->user, true);
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
        if (r->xtrs[i]->proxy)
            return true;
    return false;
}

uint32_t ms_reg_ttl(const ms_reg *r)
{
    uint32_t ttl = LISP_TTL_NEVER;
    unsigned i;

    for (i = 0; i < r->n_xtrs; i++)
        if (r->xtrs[i]->ttl < ttl)
            ttl = r->xtrs[i]->ttl;
    return r->n_xtrs ? ttl : MS_RECORD_TTL_DEFAULT;
}

const lisp_mapcache_loc *ms_reg_locators(const lisp_ms *ms, const ms_reg *r, unsigned *n)
{
    const lisp_mapcache_entry *e = lisp_mapcache_get(ms->reg_db, &r->prefix);

    *n = e ? e->loc_count : 0;
    return e ? e->locators : NULL;
}
