/* lisp.h - the public C interface of the LISP engines, for C and C++ callers alike. */
#ifndef LISP_H
#define LISP_H

#include "lisp_addr.h"
#include "lisp_auth.h"
#include "lisp_data.h"
#include "lisp_engine.h"
#include "lisp_workspace.h"
#include "lisp_ipudp.h"
#include "lisp_mapcache.h"
#include "lisp_mr.h"
#include "lisp_ms.h"
#include "lisp_nat.h"
#include "lisp_msg.h"
#include "lisp_types.h"
#include "lisp_xtr.h"

#endif /* LISP_H */
