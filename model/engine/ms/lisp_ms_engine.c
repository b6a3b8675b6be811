/* lisp_ms_engine.c - the Map-Server behind the generic engine interface (lisp_engine.h):
 * its ops, its named counters and its row of the role table. */
#include <stddef.h>

#include "lisp_ms_internal.h"

static int ms_input(lisp_engine *e, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                    size_t len)
{
    return lisp_ms_handle_udp((lisp_ms *)e, now, &d->src, &d->dst, payload, len);
}

static lisp_time_t ms_next_expiry(const lisp_engine *e)
{
    return lisp_ms_next_expiry((const lisp_ms *)e);
}

static void ms_handle_expiry(lisp_engine *e, lisp_time_t now)
{
    lisp_ms_handle_expiry((lisp_ms *)e, now);
}

size_t lisp_ms_stats_list(const lisp_ms_stats *s, lisp_stat *out, size_t cap)
{
    size_t n = 0;
#define ADD(field) lisp_stats_add(out, cap, &n, #field, s->field)
    ADD(received);
    ADD(map_registers);
    ADD(records_accepted);
    ADD(map_notifies_sent);
    ADD(map_requests);
    ADD(proxy_replies);
    ADD(forwarded);
    ADD(unregistered_replies);
    ADD(negative_replies);
    ADD(registrations_expired);
    ADD(xtrs_expired);
    ADD(map_registers_zero_nonce);
    ADD(map_notifies_unsolicited);
    ADD(map_notify_retransmits);
    ADD(map_notify_acks);
    ADD(map_notify_give_ups);
    ADD(notify_waiting);
    ADD(notify_given_up);
    ADD(requests_no_reply);
    ADD(ecm_bad_inner_checksum);
#undef ADD
    lisp_stats_common(&s->common, out, cap, &n);
    lisp_stats_group(out, cap, 0, n, LISP_ROLE_MS);
    return n;
}

static size_t ms_stats(const lisp_engine *e, lisp_stat *out, size_t cap)
{
    return lisp_ms_stats_list(lisp_ms_get_stats((const lisp_ms *)e), out, cap);
}

static void ms_free(lisp_engine *e)
{
    lisp_ms_free((lisp_ms *)e);
}

const lisp_engine_ops lisp_ms_ops = {
    .role = LISP_ROLE_MS,
    .ports = LISP_ENGINE_PORT_CONTROL,
    .eid_side = false,
    .input = ms_input,
    .eid_input = NULL,
    .locator_event = NULL,
    .next_expiry = ms_next_expiry,
    .handle_expiry = ms_handle_expiry,
    .stats = ms_stats,
    .free = ms_free,
};

lisp_engine *lisp_ms_engine(lisp_ms *ms)
{
    return ms ? &ms->engine : NULL;
}

lisp_ms *lisp_ms_from_engine(lisp_engine *e)
{
    return e && e->ops == &lisp_ms_ops ? (lisp_ms *)e : NULL;
}

static void ms_config_default(void *config)
{
    lisp_ms_config_default(config);
}

static lisp_engine *ms_create(const void *config, const lisp_host *host, lisp_time_t now)
{
    return lisp_ms_engine(lisp_ms_new(config, host, now));
}

const lisp_role_desc lisp_ms_role = {
    .name = "ms",
    .role = LISP_ROLE_MS,
    .config_size = sizeof(lisp_ms_config),
    .config_default = ms_config_default,
    .create = ms_create,
};
