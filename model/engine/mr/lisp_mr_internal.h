/* lisp_mr_internal.h - the Map-Resolver engine's state (internal). */
#ifndef LISP_MR_INTERNAL_H
#define LISP_MR_INTERNAL_H

#include "lisp_mr.h"
#include "lisp_ms_internal.h"

#define MR_BUF 512 /* a negative Map-Reply is the only message the Map-Resolver encodes */

struct lisp_mr {
    lisp_io io;
    lisp_mem mem;
    lisp_mapcache *table; /* EID-prefix -> index into entries */
    lisp_mr_entry *entries;
    size_t n_entries;
    size_t entry_cap;
    lisp_ms *local_ms;
    uint32_t negative_ttl_min;
    lisp_mr_stats stats;
    lisp_msg rx; /* decode scratch */
    lisp_msg tx; /* encode scratch */
    uint8_t buf[MR_BUF];
};

void mr_count_drop(lisp_mr *mr, lisp_time_t now, lisp_drop_reason reason, int err,
                   const lisp_eid *eid, const lisp_endpoint *peer);

#endif /* LISP_MR_INTERNAL_H */
