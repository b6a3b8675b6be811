/* lisp_mr_internal.h - the Map-Resolver engine's state (internal). */
#ifndef LISP_MR_INTERNAL_H
#define LISP_MR_INTERNAL_H

#include "lisp_mr.h"
#include "lisp_ms_internal.h"

struct lisp_mr {
    lisp_engine engine; /* first: the generic interface */
    lisp_ctx ctx;
    lisp_workspace *ws; /* during a call: the host's workspace (lisp_ctx_workspace) */
    lisp_mem mem;
    lisp_mapcache *table; /* EID-prefix -> index into entries */
    lisp_mr_entry *entries;
    size_t n_entries;
    size_t entry_cap;
    lisp_ms *local_ms;
    uint8_t *local_buf; /* LISP_MSG_MAX bytes when local_ms: a split request for it */
    uint32_t negative_ttl_min;
    lisp_mr_stats stats;
};

/* lisp_mr_engine.c */
extern const lisp_engine_ops lisp_mr_ops;

#endif /* LISP_MR_INTERNAL_H */
