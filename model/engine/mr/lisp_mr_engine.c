/* lisp_mr_engine.c - the Map-Resolver, and the Map-Server + Map-Resolver bundle, behind the
 * generic engine interface (lisp_engine.h): ops, named counters, rows of the role table. */
#include <string.h>

#include "lisp_mr_internal.h"

static int mr_input(lisp_engine *e, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                    size_t len)
{
    return lisp_mr_handle_udp((lisp_mr *)e, now, &d->src, &d->dst, payload, len);
}

static lisp_time_t mr_next_expiry(const lisp_engine *e)
{
    return lisp_mr_next_expiry((const lisp_mr *)e);
}

static void mr_handle_expiry(lisp_engine *e, lisp_time_t now)
{
    lisp_mr_handle_expiry((lisp_mr *)e, now);
}

size_t lisp_mr_stats_list(const lisp_mr_stats *s, lisp_stat *out, size_t cap)
{
    size_t n = 0;
#define ADD(field) lisp_stats_add(out, cap, &n, #field, s->field)
    ADD(received);
    ADD(map_requests);
    ADD(forwarded);
    ADD(local);
    ADD(negative_replies);
    ADD(requests_no_reply);
    ADD(ecm_bad_inner_checksum);
#undef ADD
    lisp_stats_common(&s->common, out, cap, &n);
    lisp_stats_group(out, cap, 0, n, LISP_ROLE_MR);
    return n;
}

static size_t mr_stats(const lisp_engine *e, lisp_stat *out, size_t cap)
{
    return lisp_mr_stats_list(lisp_mr_get_stats((const lisp_mr *)e), out, cap);
}

static void mr_free(lisp_engine *e)
{
    lisp_mr_free((lisp_mr *)e);
}

const lisp_engine_ops lisp_mr_ops = {
    .role = LISP_ROLE_MR,
    .ports = LISP_ENGINE_PORT_CONTROL,
    .eid_side = false,
    .input = mr_input,
    .eid_input = NULL,
    .locator_event = NULL,
    .next_expiry = mr_next_expiry,
    .handle_expiry = mr_handle_expiry,
    .stats = mr_stats,
    .free = mr_free,
};

lisp_engine *lisp_mr_engine(lisp_mr *mr)
{
    return mr ? &mr->engine : NULL;
}

static void mr_config_default(void *config)
{
    lisp_mr_config_default(config);
}

static lisp_engine *mr_create(const void *config, const lisp_host *host, lisp_time_t now)
{
    return lisp_mr_engine(lisp_mr_new(config, host, now));
}

const lisp_role_desc lisp_mr_role = {
    .name = "mr",
    .role = LISP_ROLE_MR,
    .config_size = sizeof(lisp_mr_config),
    .config_default = mr_config_default,
    .create = mr_create,
};
