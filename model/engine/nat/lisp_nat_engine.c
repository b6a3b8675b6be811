/* lisp_nat_engine.c - the NAT behind the generic engine interface (lisp_engine.h): its
 * ops, its named counters and its row of the role table. Packets do not come through the
 * generic input: the host hands them to lisp_nat_outbound / lisp_nat_inbound. */
#include "lisp_nat_internal.h"

static int nat_input(lisp_engine *e, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                     size_t len)
{
    (void)e, (void)now, (void)d, (void)payload, (void)len;
    return LISP_ERR_INVALID_ARG;
}

static lisp_time_t nat_next_expiry(const lisp_engine *e)
{
    return lisp_nat_next_expiry((const lisp_nat *)e);
}

static void nat_handle_expiry(lisp_engine *e, lisp_time_t now)
{
    lisp_nat_handle_expiry((lisp_nat *)e, now);
}

size_t lisp_nat_stats_list(const lisp_nat_stats *s, lisp_stat *out, size_t cap)
{
    size_t n = 0;
#define ADD(field) lisp_stats_add(out, cap, &n, #field, s->field)
    ADD(outbound);
    ADD(inbound);
    ADD(hairpinned);
    ADD(passed);
    ADD(mappings);
    ADD(mappings_created);
    ADD(mappings_expired);
    ADD(filtered);
    ADD(table_full);
    ADD(ports_exhausted);
    ADD(permissions_full);
    ADD(icmp_errors_translated);
    ADD(fragments);
#undef ADD
    lisp_stats_common(&s->common, out, cap, &n);
    lisp_stats_group(out, cap, 0, n, LISP_ROLE_NAT);
    return n;
}

static size_t nat_stats(const lisp_engine *e, lisp_stat *out, size_t cap)
{
    return lisp_nat_stats_list(lisp_nat_get_stats((const lisp_nat *)e), out, cap);
}

static void nat_free(lisp_engine *e)
{
    lisp_nat_free((lisp_nat *)e);
}

const lisp_engine_ops lisp_nat_ops = {
    .role = LISP_ROLE_NAT,
    .ports = 0,
    .eid_side = false,
    .input = nat_input,
    .eid_input = NULL,
    .locator_event = NULL,
    .next_expiry = nat_next_expiry,
    .handle_expiry = nat_handle_expiry,
    .stats = nat_stats,
    .free = nat_free,
};

lisp_engine *lisp_nat_engine(lisp_nat *n)
{
    return n ? &n->engine : NULL;
}

lisp_nat *lisp_nat_from_engine(lisp_engine *e)
{
    return e && e->ops == &lisp_nat_ops ? (lisp_nat *)e : NULL;
}

static void nat_config_default(void *config)
{
    lisp_nat_config_default(config);
}

static lisp_engine *nat_create_engine(const void *config, const lisp_host *host, lisp_time_t now)
{
    return lisp_nat_engine(lisp_nat_new(config, host, now));
}

const lisp_role_desc lisp_nat_role = {
    .name = "nat",
    .role = LISP_ROLE_NAT,
    .config_size = sizeof(lisp_nat_config),
    .config_default = nat_config_default,
    .create = nat_create_engine,
};
