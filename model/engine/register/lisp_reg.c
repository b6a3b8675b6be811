/* lisp_reg.c - the registration client's FSM and Map-Registers (lisp_reg_internal.h). */
#include <string.h>

#include "lisp_reg_internal.h"
#include "lisp_workspace.h"

#define MACHINE "registration"

static const char *const state_names[] = {"idle", "registering", "registered", "failed"};
static const char *const event_names[] = {"start", "timer", "notify", "locators"};

const char *lisp_reg_state_name(int state)
{
    return state >= 0 && state <= LISP_REG_FAILED ? state_names[state] : "unknown";
}

void lisp_reg_init(lisp_reg *reg, const lisp_reg_config *cfg, lisp_ctx *ctx,
                   const lisp_locators *locs, const lisp_eid_set *eids, lisp_xtr_stats *stats)
{
    memset(reg, 0, sizeof *reg);
    reg->cfg = *cfg;
    reg->ctx = ctx;
    reg->locs = locs;
    reg->eids = eids;
    reg->stats = stats;
}

int lisp_reg_add_server(lisp_reg *reg, const lisp_endpoint *addr, uint16_t key_id,
                        const uint8_t *key, size_t key_len)
{
    lisp_reg_server *s;

    if (lisp_auth_default_len(key_id) == 0)
        return LISP_ERR_BAD_KEY_ID;
    if (key_len > LISP_AUTH_KEY_MAX)
        return LISP_ERR_INVALID_ARG;
    if (reg->n >= LISP_XTR_MAX_SERVERS)
        return LISP_ERR_TOO_MANY;
    s = &reg->ms[reg->n];
    memset(s, 0, sizeof *s);
    s->addr = *addr;
    if (!s->addr.port)
        s->addr.port = LISP_CONTROL_PORT;
    s->key_id = key_id;
    s->timer = LISP_TIME_NEVER;
    s->notified_at = LISP_TIME_NEVER;
    s->key = lisp_auth_key_new_id(key_id, key, key_len);
    if (!s->key)
        return LISP_ERR_CRYPTO;
    reg->n++;
    return LISP_OK;
}

void lisp_reg_release(lisp_reg *reg)
{
    unsigned i;

    for (i = 0; i < reg->n; i++)
        lisp_auth_key_free(reg->ms[i].key);
    reg->n = 0;
}

/* ws->tx: a Map-Register to s for every EID-prefix with every local RLOC. */
static void build_register(const lisp_reg *reg, lisp_msg *m, const lisp_reg_server *s)
{
    lisp_map_register *g = &m->u.mreg;
    unsigned i, j, used = 0;

    lisp_msg_reset(m, LISP_MAP_REGISTER);
    g->flags = (reg->cfg.want_map_notify ? LISP_MREG_F_M : 0) |
               (reg->cfg.proxy_reply ? LISP_MREG_F_P : 0) |
               (reg->cfg.use_xtr_id ? LISP_MREG_F_I : 0);
    g->nonce = s->nonce;
    g->key_id = s->key_id;
    g->auth_len = lisp_auth_default_len(s->key_id);
    g->record_count = reg->eids->n;
    g->records = m->record_pool;
    memcpy(g->xtr_id, reg->cfg.xtr_id, sizeof g->xtr_id);
    memcpy(g->site_id, reg->cfg.site_id, sizeof g->site_id);
    for (i = 0; i < reg->eids->n; i++) {
        lisp_record *rec = &g->records[i];

        memset(rec, 0, sizeof *rec);
        rec->ttl = lisp_record_ttl(reg->cfg.record_ttl);
        rec->authoritative = true;
        rec->eid = lisp_mapcache_prefix_to_wire(&reg->eids->eid[i], false);
        rec->loc_count = reg->locs->n;
        rec->locators = &m->locator_pool[used];
        /* RFC 9301 meaning of R: the locator is reachable (ITRs use only those). */
        for (j = 0; j < reg->locs->n; j++)
            rec->locators[j] = lisp_local_rloc_to_wire(&reg->locs->rloc[j], 0);
        used += reg->locs->n;
    }
}

/* One Map-Register of s's current round. */
static void send_register(lisp_reg *reg, lisp_time_t now, lisp_reg_server *s)
{
    lisp_workspace *ws = lisp_ctx_workspace(reg->ctx);
    lisp_endpoint src;
    lisp_dgram d;
    lisp_trace ev;
    size_t len;
    int rc;

    s->tries++;
    build_register(reg, &ws->tx, s);
    rc = lisp_msg_encode(&ws->tx, ws->buf, sizeof ws->buf, &len);
    if (rc == LISP_OK)
        rc = lisp_auth_sign_key(ws->buf, len, s->key);
    if (rc < 0) { /* our own message: a bug or libcrypto failing, never the peer's fault */
        lisp_ctx_internal_error(reg->ctx, now, rc, NULL, &s->addr);
        return;
    }
    src = lisp_locators_source_endpoint(reg->locs, s->addr.afi, 0, LISP_CONTROL_PORT);
    d = lisp_dgram_make(&src, LISP_CONTROL_PORT, &s->addr);
    /* A send the host refused is handled like a lost one: the timer retries. */
    lisp_ctx_send(reg->ctx, now, &d, ws->buf, len);
    reg->stats->map_registers_sent++;
    ev = lisp_trace_make(LISP_TRACE_MAP_REGISTER_SENT, now);
    ev.nonce = s->nonce;
    ev.peer = s->addr;
    ev.count = reg->eids->n;
    lisp_ctx_emit(reg->ctx, &ev);
}

static void enter(lisp_reg *reg, lisp_time_t now, lisp_reg_server *s, lisp_reg_state to,
                  const char *event)
{
    if (to != s->state)
        lisp_ctx_state_change(reg->ctx, now, MACHINE, lisp_reg_state_name(s->state),
                              lisp_reg_state_name(to), event, NULL, &s->addr);
    s->state = (uint8_t)to;
}

/* A new round: fresh nonce, first Map-Register now. */
static void new_round(lisp_reg *reg, lisp_time_t now, lisp_reg_server *s, const char *event)
{
    enter(reg, now, s, LISP_REG_REGISTERING, event);
    s->nonce = lisp_ctx_random(reg->ctx);
    s->tries = 0;
    s->round_at = now;
    send_register(reg, now, s);
    s->timer = reg->cfg.want_map_notify
                   ? now + (reg->cfg.retry_timeout < reg->cfg.interval ? reg->cfg.retry_timeout
                                                                       : reg->cfg.interval)
                   : now + reg->cfg.interval;
}

/* The one transition function of a Map-Server's registration. */
static void reg_fsm(lisp_reg *reg, lisp_time_t now, lisp_reg_server *s, lisp_reg_event ev)
{
    lisp_time_t backoff;

    switch ((lisp_reg_state)s->state) {
    case LISP_REG_IDLE:
        if (ev == LISP_REG_EV_START)
            new_round(reg, now, s, event_names[ev]);
        return;
    case LISP_REG_REGISTERING:
        if (ev == LISP_REG_EV_NOTIFY) {
            enter(reg, now, s, LISP_REG_REGISTERED, event_names[ev]);
            s->notified_at = now;
            s->timer = s->round_at + reg->cfg.interval;
        } else if (ev == LISP_REG_EV_LOCATORS ||
                   (ev == LISP_REG_EV_TIMER && !reg->cfg.want_map_notify)) {
            new_round(reg, now, s, event_names[ev]);
        } else if (ev == LISP_REG_EV_TIMER && s->tries > reg->cfg.retries) {
            enter(reg, now, s, LISP_REG_FAILED, "give-up");
            reg->stats->registrations_failed++;
            s->timer = now + reg->cfg.interval;
        } else if (ev == LISP_REG_EV_TIMER) {
            send_register(reg, now, s);
            backoff = reg->cfg.retry_timeout << (s->tries - 1);
            s->timer = now + (backoff < reg->cfg.interval ? backoff : reg->cfg.interval);
        }
        return;
    case LISP_REG_REGISTERED:
    case LISP_REG_FAILED:
        if (ev == LISP_REG_EV_TIMER || ev == LISP_REG_EV_LOCATORS)
            new_round(reg, now, s, event_names[ev]);
        return;
    }
}

void lisp_reg_start(lisp_reg *reg, lisp_time_t now)
{
    unsigned i;

    if (reg->eids->n == 0) /* a PITR or PETR has nothing to register */
        return;
    for (i = 0; i < reg->n; i++)
        reg_fsm(reg, now, &reg->ms[i], LISP_REG_EV_START);
}

void lisp_reg_locators_changed(lisp_reg *reg, lisp_time_t now)
{
    unsigned i;

    for (i = 0; i < reg->n; i++)
        reg_fsm(reg, now, &reg->ms[i], LISP_REG_EV_LOCATORS);
}

lisp_time_t lisp_reg_next_expiry(const lisp_reg *reg)
{
    lisp_time_t t = LISP_TIME_NEVER;
    unsigned i;

    for (i = 0; i < reg->n; i++)
        if (reg->ms[i].timer < t)
            t = reg->ms[i].timer;
    return t;
}

void lisp_reg_expiry(lisp_reg *reg, lisp_time_t now)
{
    unsigned i;

    for (i = 0; i < reg->n; i++)
        if (reg->ms[i].timer <= now)
            reg_fsm(reg, now, &reg->ms[i], LISP_REG_EV_TIMER);
}

bool lisp_reg_registered(const lisp_reg *reg)
{
    unsigned i;

    for (i = 0; i < reg->n; i++)
        if (reg->ms[i].state != LISP_REG_REGISTERED)
            return false;
    return reg->n > 0;
}

/* The Map-Server at src's address (any port), or NULL. */
static lisp_reg_server *server_at(lisp_reg *reg, const lisp_endpoint *src)
{
    unsigned i;

    for (i = 0; i < reg->n; i++)
        if (lisp_endpoint_same_addr(&reg->ms[i].addr, src))
            return &reg->ms[i];
    return NULL;
}

/* Whether every record of a Map-Notify is one of our EID-prefixes. */
static bool all_ours(const lisp_reg *reg, const lisp_map_register *n)
{
    unsigned i;

    for (i = 0; i < n->record_count; i++) {
        lisp_eid eid;
        if (lisp_mapcache_eid_from_prefix(&eid, &n->records[i].eid) < 0 ||
            !lisp_eid_set_find(reg->eids, &eid))
            return false;
    }
    return n->record_count > 0;
}

/* Answer the unsolicited Map-Notify in ws->rx with a Map-Notify-Ack: the same message as
 * type 5, without an MS-RTR block, signed with s's key. */
static void send_ack(lisp_reg *reg, lisp_time_t now, lisp_reg_server *s, const lisp_endpoint *src)
{
    lisp_workspace *ws = lisp_ctx_workspace(reg->ctx);
    lisp_map_register *n = &ws->rx.u.mreg;
    lisp_endpoint from;
    lisp_dgram d;
    lisp_trace ev;
    size_t len;
    int rc;

    ws->rx.type = LISP_MAP_NOTIFY_ACK;
    n->flags &= LISP_MNOT_F_I;
    n->auth = NULL;
    n->msrtr_key_id = 0;
    n->msrtr_auth_len = 0;
    n->msrtr_auth = NULL;
    rc = lisp_msg_encode(&ws->rx, ws->buf, sizeof ws->buf, &len);
    if (rc == LISP_OK)
        rc = lisp_auth_sign_key(ws->buf, len, s->key);
    if (rc < 0) {
        lisp_ctx_internal_error(reg->ctx, now, rc, NULL, src);
        return;
    }
    from = lisp_locators_source_endpoint(reg->locs, src->afi, 0, LISP_CONTROL_PORT);
    d = lisp_dgram_make(&from, LISP_CONTROL_PORT, src);
    if (lisp_ctx_send(reg->ctx, now, &d, ws->buf, len) < 0)
        return;
    reg->stats->map_notify_acks_sent++;
    ev = lisp_trace_make(LISP_TRACE_MAP_NOTIFY_ACK_SENT, now);
    ev.nonce = n->nonce;
    ev.peer = *src;
    ev.count = n->record_count;
    lisp_ctx_emit(reg->ctx, &ev);
}

void lisp_reg_notify(lisp_reg *reg, lisp_time_t now, const lisp_endpoint *src,
                     const uint8_t *payload, size_t len)
{
    lisp_workspace *ws = lisp_ctx_workspace(reg->ctx);
    lisp_reg_server *s = server_at(reg, src);
    const lisp_map_register *n = &ws->rx.u.mreg;
    bool ours;
    lisp_trace ev;
    int rc;

    if (!s) {
        lisp_ctx_drop(reg->ctx, now, LISP_DROP_UNSOLICITED, 0, NULL, src);
        return;
    }
    rc = lisp_auth_verify_key(payload, len, s->key, false);
    if (rc < 0) {
        /* A wrong HMAC or key-id is an authentication failure; anything else is malformed. */
        bool auth = rc == LISP_ERR_AUTH || rc == LISP_ERR_BAD_KEY_ID;
        lisp_ctx_drop(reg->ctx, now, auth ? LISP_DROP_AUTH_FAILED : LISP_DROP_MALFORMED, rc, NULL,
                      src);
        return;
    }
    rc = lisp_msg_decode(&ws->rx, payload, len);
    if (rc < 0) {
        lisp_ctx_drop(reg->ctx, now, LISP_DROP_MALFORMED, rc, NULL, src);
        return;
    }
    ours = n->nonce == s->nonce && s->state != LISP_REG_IDLE;
    if (!ours && !all_ours(reg, n)) {
        lisp_ctx_drop(reg->ctx, now, LISP_DROP_UNSOLICITED, 0, NULL, src);
        return;
    }
    reg->stats->map_notifies_received++;
    ev = lisp_trace_make(LISP_TRACE_MAP_NOTIFY_RECEIVED, now);
    ev.nonce = n->nonce;
    ev.peer = *src;
    ev.count = n->record_count;
    lisp_ctx_emit(reg->ctx, &ev);
    if (ours)
        reg_fsm(reg, now, s, LISP_REG_EV_NOTIFY);
    else
        send_ack(reg, now, s, src);
}
