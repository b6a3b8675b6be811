/* lispd_role.c - the role table (lispd_role.h) and how each row builds its engine config. */
#include "lispd_role.h"

#include <string.h>

/* xtr, pitr, petr, pxtr: the xTR engine; the proxy flags come from the row. */
static void build_xtr(const lispd_role *r, const lispd_config *c, const lisp_mapcache_loc *rlocs,
                      const uint32_t *rloc_ifindex, size_t n_rlocs, void *out)
{
    lisp_xtr_config *x = out;
    size_t i;

    *x = c->xtr;
    x->pitr = r->pitr;
    x->petr = r->petr;
    x->n_rlocs = (uint8_t)(n_rlocs < LISP_XTR_MAX_RLOCS ? n_rlocs : LISP_XTR_MAX_RLOCS);
    for (i = 0; i < x->n_rlocs; i++) {
        x->rlocs[i] = rlocs[i];
        x->rloc_ifindex[i] = rloc_ifindex[i];
    }
}

static void build_ms(const lispd_role *r, const lispd_config *c, const lisp_mapcache_loc *rlocs,
                     const uint32_t *rloc_ifindex, size_t n_rlocs, void *out)
{
    lisp_ms_config *ms = out;
    (void)r, (void)rlocs, (void)rloc_ifindex, (void)n_rlocs;
    *ms = c->ms;
    ms->sites = c->sites;
    ms->n_sites = c->n_sites;
}

static void build_mr(const lispd_role *r, const lispd_config *c, const lisp_mapcache_loc *rlocs,
                     const uint32_t *rloc_ifindex, size_t n_rlocs, void *out)
{
    lisp_mr_config *mr = out;
    (void)r, (void)rlocs, (void)rloc_ifindex, (void)n_rlocs;
    *mr = c->mr;
    mr->entries = c->delegations;
    mr->n_entries = c->n_delegations;
    mr->local_ms = NULL;
}

static void build_ms_mr(const lispd_role *r, const lispd_config *c, const lisp_mapcache_loc *rlocs,
                        const uint32_t *rloc_ifindex, size_t n_rlocs, void *out)
{
    lisp_ms_mr_config *b = out;
    build_ms(r, c, rlocs, rloc_ifindex, n_rlocs, &b->ms);
    build_mr(r, c, rlocs, rloc_ifindex, n_rlocs, &b->mr); /* the bundle sets local_ms */
}

/* nat: the engine config is the file's (lispd_config.c); interfaces and queues are the
 * host's (lispd_nfq.c). */
static void build_nat(const lispd_role *r, const lispd_config *c, const lisp_mapcache_loc *rlocs,
                      const uint32_t *rloc_ifindex, size_t n_rlocs, void *out)
{
    lisp_nat_config *nat = out;
    (void)r, (void)rlocs, (void)rloc_ifindex, (void)n_rlocs;
    *nat = c->nat;
}

static const lispd_role roles[] = {
    {"xtr", "xtr", LISPD_KEYS_XTR, LISPD_TUN_REQUIRED, false, false, build_xtr},
    {"pitr", "xtr", LISPD_KEYS_XTR, LISPD_TUN_REQUIRED, true, false, build_xtr},
    {"petr", "xtr", LISPD_KEYS_XTR, LISPD_TUN_OPTIONAL, false, true, build_xtr},
    {"pxtr", "xtr", LISPD_KEYS_XTR, LISPD_TUN_REQUIRED, true, true, build_xtr},
    {"ms", "ms", LISPD_KEYS_MS | LISPD_KEYS_NEGATIVE_TTL, LISPD_TUN_NONE, false, false, build_ms},
    {"mr", "mr", LISPD_KEYS_MR | LISPD_KEYS_NEGATIVE_TTL, LISPD_TUN_NONE, false, false, build_mr},
    {"ms+mr", "ms+mr", LISPD_KEYS_MS | LISPD_KEYS_MR | LISPD_KEYS_NEGATIVE_TTL, LISPD_TUN_NONE,
     false, false, build_ms_mr},
    {"nat", "nat", LISPD_KEYS_NAT, LISPD_TUN_NONE, false, false, build_nat},
};

const lispd_role *lispd_role_find(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, name) == 0)
            return &roles[i];
    return NULL;
}

const char *lispd_role_names(void)
{
    static char names[256];
    size_t i;
    if (!names[0])
        for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
            if (i)
                strcat(names, " | ");
            strcat(names, roles[i].name);
        }
    return names;
}
