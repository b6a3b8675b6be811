/* lisp_xtr_internal.h - the xTR engine: a composition of the locator table, the ITR core,
 * the ETR core and the registration client (internal). */
#ifndef LISP_XTR_INTERNAL_H
#define LISP_XTR_INTERNAL_H

#include "lisp_etr_internal.h"
#include "lisp_itr_internal.h"
#include "lisp_reg_internal.h"
#include "lisp_xtr.h"

struct lisp_xtr {
    lisp_engine engine; /* first: the generic interface */
    lisp_ctx ctx;
    lisp_mem mem;
    lisp_xtr_stats stats;
    lisp_eid_set eids;
    lisp_locators locs;
    lisp_itr itr;
    lisp_etr etr;
    lisp_reg reg;
    bool started;
};

extern const lisp_engine_ops lisp_xtr_ops;

#endif /* LISP_XTR_INTERNAL_H */
