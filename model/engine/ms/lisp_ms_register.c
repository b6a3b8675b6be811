/*
 * lisp_ms_register.c - Map-Register in (RFC 9301 section 8.2): find the site, verify the
 * HMAC with its key, accept the records that lie in the site's prefixes, and answer with a
 * signed Map-Notify when the M bit asks for one.
 */
#include <string.h>

#include "lisp_auth.h"
#include "lisp_ms_internal.h"

const ms_prefix *ms_config_covering(const lisp_ms *ms, const lisp_eid *eid)
{
    const lisp_mapcache_entry *ce =
        lisp_mapcache_lookup(ms->config_db, eid->iid, eid->afi, eid->addr);
    lisp_eid p = *eid;
    int len;

    if (!ce) /* nothing covers its first address, so nothing covers it */
        return NULL;
    if (ce->prefix.mask_len <= eid->mask_len)
        return &ms->prefixes[ce->user];
    for (len = eid->mask_len; len >= 0; len--) { /* a configured prefix lies inside eid */
        ms_eid_truncate(&p, (unsigned)len);
        ce = lisp_mapcache_get(ms->config_db, &p);
        if (ce)
            return &ms->prefixes[ce->user];
    }
    return NULL;
}

/* Whether site may register eid: the longest configured prefix covering it is the site's,
 * and is eid itself or accepts more-specifics. */
static bool prefix_allowed(const lisp_ms *ms, uint32_t site, const lisp_eid *eid)
{
    const ms_prefix *p = ms_config_covering(ms, eid);

    return p && p->site == site &&
           (eid->mask_len == p->prefix.mask_len || p->accept_more_specifics);
}

/* The locators of rec as the registry keeps them, into ms->locs. LISP_ERR_BAD_AFI when one
 * has no IPv4/IPv6 address. */
static int convert_locators(lisp_ms *ms, const lisp_record *rec)
{
    unsigned i;

    if (rec->loc_count > LISP_MAX_LOCATORS)
        return LISP_ERR_TOO_MANY;
    for (i = 0; i < rec->loc_count; i++) {
        const lisp_locator *l = &rec->locators[i];
        const lisp_afi_addr *ip = lisp_ms_ip_of(&l->addr);
        lisp_mapcache_loc *o = &ms->locs[i];

        if (!ip)
            return LISP_ERR_BAD_AFI;
        memset(o, 0, sizeof *o);
        memcpy(o->addr, ip->ip, ip->afi == LISP_AFI_IPV4 ? 4 : 16);
        o->afi = ip->afi;
        o->priority = l->priority;
        o->weight = l->weight;
        o->mpriority = l->mpriority;
        o->mweight = l->mweight;
        o->flags = l->flags;
    }
    return LISP_OK;
}

static void send_solicited_notify(lisp_ms *ms, lisp_time_t now, const ms_site *site,
                        const lisp_map_register *reg, unsigned n_records, const lisp_endpoint *src,
                        const lisp_endpoint *dst)
{
    lisp_map_register *n = &ms->ws->tx.u.mreg;
    lisp_endpoint local, from;
    lisp_dgram d;
    lisp_trace ev;
    size_t len = 0;
    int rc;

    /* ms->ws->tx.record_pool already holds the accepted records. */
    lisp_msg_reset(&ms->ws->tx, LISP_MAP_NOTIFY);
    n->flags = (reg->flags & LISP_MREG_F_I) ? LISP_MNOT_F_I : 0;
    n->nonce = reg->nonce;
    n->key_id = site->key_id;
    n->auth_len = lisp_auth_default_len(site->key_id);
    n->auth = NULL;
    n->record_count = (uint8_t)n_records;
    n->records = ms->ws->tx.record_pool;
    memcpy(n->xtr_id, reg->xtr_id, LISP_XTR_ID_LEN);
    memcpy(n->site_id, reg->site_id, LISP_SITE_ID_LEN);

    rc = lisp_msg_encode(&ms->ws->tx, ms->ws->buf, sizeof ms->ws->buf, &len);
    if (rc == LISP_OK)
        rc = lisp_auth_sign_key(ms->ws->buf, len, site->key);
    if (rc < 0) {
        if (rc == LISP_ERR_NOBUF)
            lisp_ctx_drop(&ms->ctx, now, LISP_DROP_TOO_BIG, 0, NULL, src);
        else
            lisp_ctx_internal_error(&ms->ctx, now, rc, NULL, src);
        return;
    }
    memset(&local, 0, sizeof local);
    if (dst)
        local = *dst;
    from = lisp_ms_src_for(&local, src);
    d = lisp_dgram_make(&from, from.port, src);
    if (lisp_ctx_send(&ms->ctx, now, &d, ms->ws->buf, len) < 0)
        return;
    ms->stats.map_notifies_sent++;

    ev = lisp_trace_make(LISP_TRACE_MAP_NOTIFY_SENT, now);
    ev.nonce = reg->nonce;
    ev.peer = *src;
    ev.count = n_records;
    lisp_ctx_emit(&ms->ctx, &ev);
}

/* Register one record of an authenticated Map-Register; true when accepted. */
static bool accept_record(lisp_ms *ms, lisp_time_t now, uint32_t site, const lisp_map_register *reg,
                          const lisp_record *rec, const lisp_endpoint *src,
                          const lisp_endpoint *dst)
{
    ms_contribution c;
    lisp_eid eid;
    lisp_trace ev;
    int rc;

    rc = lisp_mapcache_eid_from_prefix(&eid, &rec->eid);
    if (rc < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return false;
    }
    if (!prefix_allowed(ms, site, &eid)) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_PREFIX_NOT_ALLOWED, 0, &eid, src);
        return false;
    }
    rc = convert_locators(ms, rec);
    if (rc < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_MALFORMED, rc, &eid, src);
        return false;
    }

    memset(&c, 0, sizeof c);
    c.site = site;
    c.prefix = &eid;
    c.by_xtr_id = (reg->flags & LISP_MREG_F_I) != 0;
    c.xtr_id = reg->xtr_id;
    c.site_id = reg->site_id;
    c.rloc = src;
    c.local = dst;
    c.nonce = reg->nonce;
    c.proxy = (reg->flags & LISP_MREG_F_P) != 0;
    c.ttl = rec->ttl;
    c.map_version = rec->map_version;
    c.locs = ms->locs;
    c.loc_count = rec->loc_count;
    rc = ms_registry_update(ms, now, &c);
    if (rc == MS_REPLAYED) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_REPLAYED, 0, &eid, src);
        return false;
    }
    if (rc == LISP_ERR_TOO_MANY) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_TOO_BIG, 0, &eid, src);
        return false;
    }
    if (rc < 0) {
        lisp_ctx_internal_error(&ms->ctx, now, rc, &eid, src);
        return false;
    }

    ms->stats.records_accepted++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REGISTER_ACCEPTED, now);
    ev.eid = eid;
    ev.nonce = reg->nonce;
    ev.peer = *src;
    ev.count = rec->loc_count;
    lisp_ctx_emit(&ms->ctx, &ev);
    return true;
}

int ms_handle_register(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                       const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    const lisp_map_register *reg = &ms->ws->rx.u.mreg;
    const ms_prefix *cp;
    const ms_site *site;
    uint32_t site_idx;
    lisp_eid first;
    unsigned i, n_ok = 0;
    int rc;

    rc = lisp_msg_decode(&ms->ws->rx, payload, len);
    if (rc == LISP_OK && reg->record_count == 0)
        rc = LISP_ERR_BAD_VALUE; /* nothing to register, and no EID to find the site by */
    if (rc == LISP_OK)
        rc = lisp_mapcache_eid_from_prefix(&first, &reg->records[0].eid);
    if (rc < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return rc;
    }

    /* Only the first EID is used before the HMAC is verified: it names the site (key), as
     * the longest configured prefix that covers it. */
    cp = ms_config_covering(ms, &first);
    if (!cp) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_UNKNOWN_SITE, 0, &first, src);
        return LISP_OK;
    }
    site_idx = cp->site;
    site = &ms->sites[site_idx];
    rc = reg->key_id == site->key_id
             ? lisp_auth_verify_key(payload, len, site->key, false)
             : LISP_ERR_BAD_KEY_ID;
    if (rc == LISP_ERR_CRYPTO) {
        lisp_ctx_internal_error(&ms->ctx, now, rc, &first, src);
        return rc;
    }
    if (rc < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_AUTH_FAILED, 0, &first, src);
        return LISP_OK;
    }
    ms->stats.map_registers++;
    if (reg->nonce == 0) {
        ms->stats.map_registers_zero_nonce++;
        if (ms->reject_zero_nonce) {
            lisp_ctx_drop(&ms->ctx, now, LISP_DROP_REPLAYED, 0, &first, src);
            return LISP_OK;
        }
    }

    for (i = 0; i < reg->record_count; i++)
        if (accept_record(ms, now, site_idx, reg, &reg->records[i], src, dst))
            ms->ws->tx.record_pool[n_ok++] = reg->records[i]; /* locators stay in rx */

    if ((reg->flags & LISP_MREG_F_M) && n_ok > 0)
        send_solicited_notify(ms, now, site, reg, n_ok, src, dst);
    return LISP_OK;
}
