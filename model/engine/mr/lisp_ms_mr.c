/* lisp_ms_mr.c - a Map-Server and its co-located Map-Resolver as one engine (lisp_mr.h,
 * "Co-location"): one port 4342, demultiplexed by lisp_mr_handle_shared_udp. */
#include <string.h>

#include "lisp_mr_internal.h"

typedef struct ms_mr {
    lisp_engine engine; /* first: the generic interface */
    lisp_mem mem;
    lisp_ms *ms;
    lisp_mr *mr;
} ms_mr;

static const lisp_engine_ops ms_mr_ops;

static int ms_mr_input(lisp_engine *e, lisp_time_t now, const lisp_dgram *d,
                       const uint8_t *payload, size_t len)
{
    return lisp_mr_handle_shared_udp(((ms_mr *)e)->mr, now, &d->src, &d->dst, payload, len);
}

static lisp_time_t ms_mr_next_expiry(const lisp_engine *e)
{
    const ms_mr *b = (const ms_mr *)e;
    lisp_time_t ms = lisp_ms_next_expiry(b->ms), mr = lisp_mr_next_expiry(b->mr);
    return ms < mr ? ms : mr;
}

static void ms_mr_handle_expiry(lisp_engine *e, lisp_time_t now)
{
    ms_mr *b = (ms_mr *)e;
    if (lisp_ms_next_expiry(b->ms) <= now)
        lisp_ms_handle_expiry(b->ms, now);
    if (lisp_mr_next_expiry(b->mr) <= now)
        lisp_mr_handle_expiry(b->mr, now);
}

static size_t ms_mr_stats(const lisp_engine *e, lisp_stat *out, size_t cap)
{
    const ms_mr *b = (const ms_mr *)e;
    size_t n = lisp_ms_stats_list(lisp_ms_get_stats(b->ms), out, cap);
    return n + lisp_mr_stats_list(lisp_mr_get_stats(b->mr), n < cap ? out + n : NULL,
                                  n < cap ? cap - n : 0);
}

static void ms_mr_free(lisp_engine *e)
{
    ms_mr *b = (ms_mr *)e;
    lisp_mem mem = b->mem;

    lisp_mr_free(b->mr); /* before the Map-Server it refers to */
    lisp_ms_free(b->ms);
    lisp_mem_free(&mem, b, sizeof *b);
}

static const lisp_engine_ops ms_mr_ops = {
    .role = LISP_ROLE_MS,
    .ports = LISP_ENGINE_PORT_CONTROL,
    .eid_side = false,
    .input = ms_mr_input,
    .eid_input = NULL,
    .locator_event = NULL,
    .next_expiry = ms_mr_next_expiry,
    .handle_expiry = ms_mr_handle_expiry,
    .stats = ms_mr_stats,
    .free = ms_mr_free,
};

void lisp_ms_mr_config_default(lisp_ms_mr_config *cfg)
{
    lisp_ms_config_default(&cfg->ms);
    lisp_mr_config_default(&cfg->mr);
}

lisp_engine *lisp_ms_mr_new(const lisp_ms_mr_config *cfg, const lisp_host *host, lisp_time_t now)
{
    lisp_mr_config mrc;
    lisp_mem mem;
    ms_mr *b;

    if (!cfg || !host)
        return NULL;
    b = lisp_mem_new_object(&mem, host->env.alloc, sizeof *b);
    if (!b)
        return NULL;
    b->engine.ops = &ms_mr_ops;
    b->mem = mem;
    b->ms = lisp_ms_new(&cfg->ms, host, now);
    mrc = cfg->mr;
    mrc.local_ms = b->ms;
    b->mr = b->ms ? lisp_mr_new(&mrc, host, now) : NULL;
    if (!b->mr) {
        ms_mr_free(&b->engine);
        return NULL;
    }
    return &b->engine;
}

lisp_ms *lisp_ms_mr_ms(lisp_engine *e)
{
    return e && e->ops == &ms_mr_ops ? ((ms_mr *)e)->ms : NULL;
}

lisp_mr *lisp_ms_mr_mr(lisp_engine *e)
{
    return e && e->ops == &ms_mr_ops ? ((ms_mr *)e)->mr : NULL;
}

static void ms_mr_config_default(void *config)
{
    lisp_ms_mr_config_default(config);
}

static lisp_engine *ms_mr_create(const void *config, const lisp_host *host, lisp_time_t now)
{
    return lisp_ms_mr_new(config, host, now);
}

const lisp_role_desc lisp_ms_mr_role = {
    .name = "ms+mr",
    .role = LISP_ROLE_MS,
    .config_size = sizeof(lisp_ms_mr_config),
    .config_default = ms_mr_config_default,
    .create = ms_mr_create,
};
