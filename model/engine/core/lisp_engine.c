/* lisp_engine.c - the role table and the generic calls (lisp_engine.h). */
#include "lisp_engine.h"

#include <string.h>

#include "lisp_mr.h"
#include "lisp_ms.h"
#include "lisp_nat.h"
#include "lisp_xtr.h"

/* One row per role a host can run; a new role is one more row. */
static const lisp_role_desc *const roles[] = {
    &lisp_xtr_role,
    &lisp_ms_role,
    &lisp_mr_role,
    &lisp_ms_mr_role,
    &lisp_nat_role,
};

const lisp_role_desc *lisp_role_at(size_t i)
{
    return i < sizeof roles / sizeof roles[0] ? roles[i] : NULL;
}

const lisp_role_desc *lisp_role_find(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i]->name, name) == 0)
            return roles[i];
    return NULL;
}

int lisp_engine_eid_input(lisp_engine *e, lisp_time_t now, const lisp_packet_info *info,
                          const uint8_t *packet, size_t len)
{
    if (!e->ops->eid_input)
        return LISP_ERR_INVALID_ARG;
    return e->ops->eid_input(e, now, info, packet, len);
}

int lisp_engine_locator_event(lisp_engine *e, lisp_time_t now, const lisp_locator_event *ev)
{
    if (!e->ops->locator_event)
        return LISP_ERR_INVALID_ARG;
    return e->ops->locator_event(e, now, ev);
}

void lisp_engine_free(lisp_engine *e)
{
    if (e)
        e->ops->free(e);
}
