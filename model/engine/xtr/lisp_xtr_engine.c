/* lisp_xtr_engine.c - the xTR behind the generic engine interface (lisp_engine.h): its ops,
 * its named counters and its row of the role table. */
#include "lisp_xtr_internal.h"

static int xtr_input(lisp_engine *e, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                     size_t len)
{
    return lisp_xtr_input((lisp_xtr *)e, now, d, payload, len);
}

static int xtr_locator_event(lisp_engine *e, lisp_time_t now, const lisp_locator_event *ev)
{
    return lisp_xtr_locator_event((lisp_xtr *)e, now, ev);
}

static int xtr_eid_input(lisp_engine *e, lisp_time_t now, const lisp_packet_info *info,
                         const uint8_t *packet, size_t len)
{
    (void)info;
    return lisp_xtr_eid_packet((lisp_xtr *)e, now, packet, len);
}

static lisp_time_t xtr_next_expiry(const lisp_engine *e)
{
    return lisp_xtr_next_expiry((const lisp_xtr *)e);
}

static void xtr_handle_expiry(lisp_engine *e, lisp_time_t now)
{
    lisp_xtr_handle_expiry((lisp_xtr *)e, now);
}

size_t lisp_xtr_stats_list(const lisp_xtr_stats *s, lisp_stat *out, size_t cap)
{
    size_t n = 0;
#define ADD(field) lisp_stats_add(out, cap, &n, #field, s->field)
    ADD(encapsulated);
    ADD(decapsulated);
    ADD(forwarded_native);
    ADD(map_requests_sent);
    ADD(map_replies_received);
    ADD(map_replies_sent);
    ADD(map_registers_sent);
    ADD(map_notifies_received);
    ADD(map_notify_acks_sent);
    ADD(registrations_failed);
    ADD(locator_events);
    ADD(remote_locator_changes);
#undef ADD
    lisp_stats_common(&s->common, out, cap, &n);
    lisp_stats_group(out, cap, 0, n, LISP_ROLE_XTR);
    return n;
}

static size_t xtr_stats(const lisp_engine *e, lisp_stat *out, size_t cap)
{
    return lisp_xtr_stats_list(lisp_xtr_get_stats((const lisp_xtr *)e), out, cap);
}

static void xtr_free(lisp_engine *e)
{
    lisp_xtr_free((lisp_xtr *)e);
}

const lisp_engine_ops lisp_xtr_ops = {
    .role = LISP_ROLE_XTR,
    .ports = LISP_ENGINE_PORT_CONTROL | LISP_ENGINE_PORT_DATA,
    .eid_side = true,
    .input = xtr_input,
    .eid_input = xtr_eid_input,
    .locator_event = xtr_locator_event,
    .next_expiry = xtr_next_expiry,
    .handle_expiry = xtr_handle_expiry,
    .stats = xtr_stats,
    .free = xtr_free,
};

lisp_engine *lisp_xtr_engine(lisp_xtr *x)
{
    return x ? &x->engine : NULL;
}

lisp_xtr *lisp_xtr_from_engine(lisp_engine *e)
{
    return e && e->ops == &lisp_xtr_ops ? (lisp_xtr *)e : NULL;
}

static void xtr_config_default(void *config)
{
    lisp_xtr_config_default(config);
}

/* The engine starts (registers) at once: a host creates it when it starts. */
static lisp_engine *xtr_create(const void *config, const lisp_host *host, lisp_time_t now)
{
    lisp_xtr *x = lisp_xtr_new(config, host, now);
    if (x)
        lisp_xtr_start(x, now);
    return lisp_xtr_engine(x);
}

const lisp_role_desc lisp_xtr_role = {
    .name = "xtr",
    .role = LISP_ROLE_XTR,
    .config_size = sizeof(lisp_xtr_config),
    .config_default = xtr_config_default,
    .create = xtr_create,
};
