/*
 * lisp_ms_notify.c - the unsolicited Map-Notify of a Map-Server (RFC 9301 sections 5.7 and
 * 8.2): when a registration's merged locator set changes, each other registered xTR of the
 * prefix is sent a signed Map-Notify with the registration's record, retransmitted with a
 * doubling interval until a verified Map-Notify-Ack with its nonce comes back, or given up.
 *
 *                 changed                      ack (verified, same nonce)
 *   +------+  --------------->  +----------+  ------------------------->  +------+
 *   | idle |                    | wait-ack |  <-+ timeout: retransmit     | idle |
 *   +------+  <---------------  +----------+  --+ (sent <= retries)       +------+
 *      ^        removed            |     ^
 *      |                  timeout  |     | changed (new nonce, counter reset)
 *      |          (sent > retries) v     |
 *      |  removed              +---------+
 *      +---------------------- | gave-up |
 *                              +---------+
 * One transition function (ms_notify_fsm) changes states and traces every change
 * (LISP_TRACE_STATE_CHANGE, machine "map-notify", eid: the prefix, peer: the xTR). xTRs in
 * wait-ack are kept in one list sorted by deadline: the engine's MS_TIMER_NOTIFY.
 */
#include <string.h>

#include "lisp_auth.h"
#include "lisp_ms_internal.h"

static const char *const state_names[MS_NOTIFY_STATE_COUNT] = {"idle", "wait-ack", "gave-up"};
static const char *const event_names[MS_NEV_COUNT] = {"changed", "timeout", "ack", "removed"};

const char *ms_notify_state_name(int state)
{
    return state >= 0 && state < MS_NOTIFY_STATE_COUNT ? state_names[state] : "unknown";
}

/* ---- the deadline list (MS_TIMER_NOTIFY) ---- */

static void due_unlink(lisp_ms *ms, ms_xtr *x)
{
    if (x->due_prev)
        x->due_prev->due_next = x->due_next;
    else if (ms->notify_head == x)
        ms->notify_head = x->due_next;
    if (x->due_next)
        x->due_next->due_prev = x->due_prev;
    else if (ms->notify_tail == x)
        ms->notify_tail = x->due_prev;
    x->due_prev = x->due_next = NULL;
}

/* Insert by notify_due, after those due at the same time; scanned from the tail, where new
 * deadlines usually go. */
static void due_insert(lisp_ms *ms, ms_xtr *x)
{
    ms_xtr *p = ms->notify_tail;

    while (p && p->notify_due > x->notify_due)
        p = p->due_prev;
    x->due_prev = p;
    x->due_next = p ? p->due_next : ms->notify_head;
    if (x->due_next)
        x->due_next->due_prev = x;
    else
        ms->notify_tail = x;
    if (p)
        p->due_next = x;
    else
        ms->notify_head = x;
}

lisp_time_t ms_notify_next_due(const lisp_ms *ms)
{
    return ms->notify_head ? ms->notify_head->notify_due : LISP_TIME_NEVER;
}

/* ---- sending ---- */

/* Encode, sign and send the Map-Notify of x's registration to x (its latest Map-Register's
 * source), with x's current nonce. */
static void send_notify(lisp_ms *ms, lisp_time_t now, ms_xtr *x)
{
    const ms_reg *r = x->reg;
    const ms_site *site = &ms->sites[r->site];
    const lisp_mapcache_loc *locs;
    lisp_map_register *n;
    lisp_record *rec;
    lisp_endpoint from;
    lisp_dgram d;
    lisp_trace ev;
    unsigned n_locs, i;
    size_t len = 0;
    int rc;

    if (!ms->ws) {
        lisp_ctx_internal_error(&ms->ctx, now, LISP_ERR_NOMEM, &r->prefix, &x->rloc);
        return;
    }
    locs = ms_reg_locators(ms, r, &n_locs);
    lisp_msg_reset(&ms->ws->tx, LISP_MAP_NOTIFY);
    n = &ms->ws->tx.u.mreg;
    n->flags = x->by_xtr_id ? LISP_MNOT_F_I : 0;
    n->nonce = x->notify_nonce;
    n->key_id = site->key_id;
    n->auth_len = lisp_auth_default_len(site->key_id);
    n->record_count = 1;
    n->records = rec = &ms->ws->tx.record_pool[0];
    if (x->by_xtr_id) {
        memcpy(n->xtr_id, x->xtr_id, LISP_XTR_ID_LEN);
        memcpy(n->site_id, x->site_id, LISP_SITE_ID_LEN);
    }
    memset(rec, 0, sizeof *rec);
    rec->ttl = ms_reg_ttl(r);
    rec->action = LISP_ACT_NO_ACTION;
    rec->authoritative = true;
    rec->map_version = r->map_version;
    rec->eid = lisp_mapcache_prefix_to_wire(&r->prefix, false);
    rec->loc_count = (uint8_t)n_locs;
    rec->locators = ms->ws->tx.locator_pool;
    for (i = 0; i < n_locs; i++)
        ms->ws->tx.locator_pool[i] = lisp_mapcache_loc_to_wire(&locs[i], locs[i].flags);

    rc = lisp_msg_encode(&ms->ws->tx, ms->ws->buf, sizeof ms->ws->buf, &len);
    if (rc == LISP_OK)
        rc = lisp_auth_sign_key(ms->ws->buf, len, site->key);
    if (rc < 0) {
        lisp_ctx_internal_error(&ms->ctx, now, rc, &r->prefix, &x->rloc);
        return;
    }
    from = lisp_ms_src_for(&x->local, &x->rloc);
    d = lisp_dgram_make(&from, from.port, &x->rloc);
    if (lisp_ctx_send(&ms->ctx, now, &d, ms->ws->buf, len) < 0)
        return;
    ms->stats.map_notifies_sent++; /* solicited, unsolicited and retransmitted */
    ev = lisp_trace_make(LISP_TRACE_MAP_NOTIFY_SENT, now);
    ev.eid = r->prefix;
    ev.nonce = x->notify_nonce;
    ev.peer = x->rloc;
    ev.count = 1;
    lisp_ctx_emit(&ms->ctx, &ev);
}

/* Send the current nonce (again) and arm the next deadline. */
static void transmit(lisp_ms *ms, lisp_time_t now, ms_xtr *x)
{
    send_notify(ms, now, x);
    if (x->notify_sent < 0xFF)
        x->notify_sent++;
    x->notify_due = now > LISP_TIME_NEVER - 1 - x->notify_timeout ? LISP_TIME_NEVER - 1
                                                                  : now + x->notify_timeout;
    due_unlink(ms, x);
    due_insert(ms, x);
}

/* ---- the transition function ---- */

void ms_notify_fsm(lisp_ms *ms, lisp_time_t now, ms_xtr *x, ms_notify_event ev)
{
    ms_notify_state from = (ms_notify_state)x->notify_state, to = from;

    switch (ev) {
    case MS_NEV_CHANGED: /* from any state: a new Map-Notify, a new nonce, a fresh count */
        do
            x->notify_nonce = lisp_ctx_random(&ms->ctx);
        while (x->notify_nonce == 0);
        x->notify_sent = 0;
        x->notify_timeout = ms->notify_timeout;
        ms->stats.map_notifies_unsolicited++;
        transmit(ms, now, x);
        to = MS_NOTIFY_WAIT_ACK;
        break;
    case MS_NEV_TIMEOUT:
        if (from != MS_NOTIFY_WAIT_ACK)
            return;
        if (x->notify_sent > ms->notify_retries) {
            due_unlink(ms, x);
            ms->stats.map_notify_give_ups++;
            to = MS_NOTIFY_GAVE_UP;
            break;
        }
        if (x->notify_timeout <= LISP_TIME_NEVER / 4)
            x->notify_timeout *= 2;
        ms->stats.map_notify_retransmits++;
        transmit(ms, now, x);
        break;
    case MS_NEV_ACK:
        if (from != MS_NOTIFY_WAIT_ACK)
            return;
        due_unlink(ms, x);
        ms->stats.map_notify_acks++;
        to = MS_NOTIFY_IDLE;
        break;
    case MS_NEV_REMOVED:
        due_unlink(ms, x);
        to = MS_NOTIFY_IDLE;
        break;
    default:
        return;
    }
    if (to == from)
        return;
    if (from == MS_NOTIFY_WAIT_ACK)
        ms->stats.notify_waiting--;
    else if (from == MS_NOTIFY_GAVE_UP)
        ms->stats.notify_given_up--;
    if (to == MS_NOTIFY_WAIT_ACK)
        ms->stats.notify_waiting++;
    else if (to == MS_NOTIFY_GAVE_UP)
        ms->stats.notify_given_up++;
    x->notify_state = (uint8_t)to;
    lisp_ctx_state_change(&ms->ctx, now, "map-notify", state_names[from], state_names[to],
                          event_names[ev], &x->reg->prefix, &x->rloc);
}

void ms_notify_expire_one(lisp_ms *ms, lisp_time_t now)
{
    if (ms->notify_head && ms->notify_head->notify_due <= now)
        ms_notify_fsm(ms, now, ms->notify_head, MS_NEV_TIMEOUT);
}

/* ---- Map-Notify-Ack in ---- */

static ms_xtr *find_waiting(const lisp_ms *ms, uint64_t nonce)
{
    ms_xtr *x;

    for (x = ms->notify_head; x; x = x->due_next)
        if (x->notify_nonce == nonce)
            return x;
    return NULL;
}

/* Whether the Ack comes from x: its xTR-ID when both carry one, else its address. */
static bool from_xtr(const ms_xtr *x, const lisp_map_register *ack, const lisp_endpoint *src)
{
    if (x->by_xtr_id && (ack->flags & LISP_MNOT_F_I))
        return memcmp(x->xtr_id, ack->xtr_id, LISP_XTR_ID_LEN) == 0;
    return lisp_endpoint_same_addr(&x->rloc, src);
}

int ms_handle_notify_ack(lisp_ms *ms, lisp_time_t now, const lisp_endpoint *src,
                         const uint8_t *payload, size_t len)
{
    const lisp_map_register *ack = &ms->ws->rx.u.mreg;
    const ms_site *site;
    lisp_trace ev;
    ms_xtr *x;
    int rc;

    rc = lisp_msg_decode(&ms->ws->rx, payload, len);
    if (rc < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return rc;
    }
    x = find_waiting(ms, ack->nonce);
    if (!x) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_UNSOLICITED, 0, NULL, src);
        return LISP_OK;
    }
    site = &ms->sites[x->reg->site];
    rc = ack->key_id == site->key_id ? lisp_auth_verify_key(payload, len, site->key, false)
                                     : LISP_ERR_BAD_KEY_ID;
    if (rc == LISP_ERR_CRYPTO) {
        lisp_ctx_internal_error(&ms->ctx, now, rc, &x->reg->prefix, src);
        return rc;
    }
    if (rc < 0) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_AUTH_FAILED, 0, &x->reg->prefix, src);
        return LISP_OK;
    }
    if (!from_xtr(x, ack, src)) {
        lisp_ctx_drop(&ms->ctx, now, LISP_DROP_UNSOLICITED, 0, &x->reg->prefix, src);
        return LISP_OK;
    }
    ev = lisp_trace_make(LISP_TRACE_MAP_NOTIFY_ACK_RECEIVED, now);
    ev.eid = x->reg->prefix;
    ev.nonce = ack->nonce;
    ev.peer = *src;
    lisp_ctx_emit(&ms->ctx, &ev);
    ms_notify_fsm(ms, now, x, MS_NEV_ACK);
    return LISP_OK;
}
