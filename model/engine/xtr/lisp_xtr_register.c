/* lisp_xtr_register.c - the ETR's registration with its Map-Servers: periodic,
 * authenticated Map-Registers and the Map-Notifies that acknowledge them (RFC 9301 5.6-5.7). */
#include <string.h>

#include "lisp_auth.h"
#include "lisp_xtr_internal.h"

/* Fill the workspace's tx with a Map-Register for every EID-prefix of the site. */
static void build_register(lisp_xtr *x, const lisp_xtr_map_server *ms, uint64_t nonce)
{
    lisp_msg *m = &x->ws->tx;
    lisp_map_register *g = &m->u.mreg;
    unsigned i, j, used = 0;

    memset(&m->u, 0, sizeof m->u);
    m->type = LISP_MAP_REGISTER;
    g->flags = (x->cfg.want_map_notify ? LISP_MREG_F_M : 0) |
               (x->cfg.proxy_reply ? LISP_MREG_F_P : 0) | (x->cfg.use_xtr_id ? LISP_MREG_F_I : 0);
    g->nonce = nonce;
    g->key_id = ms->key_id;
    g->auth_len = lisp_auth_default_len(ms->key_id);
    g->record_count = x->cfg.n_eids;
    g->records = m->record_pool;
    memcpy(g->xtr_id, x->cfg.xtr_id, sizeof g->xtr_id);
    memcpy(g->site_id, x->cfg.site_id, sizeof g->site_id);
    for (i = 0; i < x->cfg.n_eids; i++) {
        lisp_record *rec = &g->records[i];

        memset(rec, 0, sizeof *rec);
        rec->ttl = x->cfg.record_ttl;
        rec->authoritative = true;
        rec->eid = lisp_mapcache_prefix_to_wire(&x->cfg.eids[i], false);
        rec->loc_count = x->cfg.n_rlocs;
        rec->locators = &m->locator_pool[used];
        /* RFC 9301 meaning of R: the locator is reachable (ITRs use only those). */
        for (j = 0; j < x->cfg.n_rlocs; j++)
            rec->locators[j] = lisp_mapcache_loc_to_wire(&x->cfg.rlocs[j], LISP_LOC_F_R);
        used += x->cfg.n_rlocs;
    }
}

void xtr_register_send(lisp_xtr *x, lisp_time_t now)
{
    unsigned i;

    for (i = 0; i < x->cfg.n_map_servers; i++) {
        const lisp_xtr_map_server *ms = &x->cfg.map_servers[i];
        uint64_t nonce = xtr_nonce(x);
        lisp_trace ev;
        size_t len;
        int rc;

        build_register(x, ms, nonce);
        rc = lisp_msg_encode(&x->ws->tx, x->ws->buf, sizeof x->ws->buf, &len);
        if (rc == LISP_OK)
            rc = lisp_auth_sign_key(x->ws->buf, len, x->ms_state[i].key);
        if (rc < 0) {
            lisp_ctx_drop(&x->ctx, now, LISP_DROP_TOO_BIG, rc, NULL, &ms->addr);
            continue;
        }
        /* A send the host refused still waits for the next period, as a lost one would. */
        xtr_send(x, now, ms->addr.afi, LISP_CONTROL_PORT, &ms->addr, x->ws->buf, len);
        x->ms_state[i].nonce = nonce;
        x->ms_state[i].acked = false;
        x->stats.map_registers_sent++;
        ev = lisp_trace_make(LISP_TRACE_MAP_REGISTER_SENT, now);
        ev.nonce = nonce;
        ev.peer = ms->addr;
        ev.count = x->cfg.n_eids;
        lisp_ctx_emit(&x->ctx, &ev);
    }
    x->register_at = now + x->cfg.register_interval;
}

/* The configured Map-Server at src's address (any port), or -1. */
static int map_server_index(const lisp_xtr *x, const lisp_endpoint *src)
{
    unsigned i;

    for (i = 0; i < x->cfg.n_map_servers; i++) {
        lisp_endpoint ms = x->cfg.map_servers[i].addr;
        ms.port = src->port;
        if (lisp_endpoint_equal(&ms, src))
            return (int)i;
    }
    return -1;
}

void xtr_register_notify(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src,
                         const uint8_t *payload, size_t len)
{
    int i = map_server_index(x, src);
    lisp_trace ev;
    int rc;

    if (i < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_UNSOLICITED, 0, NULL, src);
        return;
    }
    rc = lisp_auth_verify_key(payload, len, x->ms_state[i].key, false);
    if (rc < 0) {
        /* A wrong HMAC or key-id is an authentication failure; anything else is malformed. */
        bool auth = rc == LISP_ERR_AUTH || rc == LISP_ERR_BAD_KEY_ID;
        lisp_ctx_drop(&x->ctx, now, auth ? LISP_DROP_AUTH_FAILED : LISP_DROP_MALFORMED, rc, NULL, src);
        return;
    }
    rc = lisp_msg_decode(&x->ws->rx, payload, len);
    if (rc < 0) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return;
    }
    if (x->ws->rx.u.mreg.nonce != x->ms_state[i].nonce) {
        lisp_ctx_drop(&x->ctx, now, LISP_DROP_UNSOLICITED, 0, NULL, src);
        return;
    }
    x->ms_state[i].acked = true;
    x->stats.map_notifies_received++;
    ev = lisp_trace_make(LISP_TRACE_MAP_NOTIFY_RECEIVED, now);
    ev.nonce = x->ws->rx.u.mreg.nonce;
    ev.peer = *src;
    ev.count = x->ws->rx.u.mreg.record_count;
    lisp_ctx_emit(&x->ctx, &ev);
}
