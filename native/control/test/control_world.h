/*
 * control_world.h - real engines in a known state for the control-socket tests: an xTR
 * (role "xtr", the test harness's site A behind the recording fake) registered with a
 * Map-Server (role "ms" or "ms+mr", its own fake), a populated map-cache, and one local
 * RLOC down. Everything reaches the engines as datagrams, as in a daemon.
 *
 *   xTR: EID 10.1.0.0/16; RLOCs 192.0.2.1 (priority 1, weight 100, up) and 198.18.0.1
 *        (priority 2, weight 50, interface 1, down); Map-Server/Resolver 203.0.113.10.
 *        Map-cache at CW_NOW: 10.2.0.0/16 -> 198.51.100.1, .2 (TTL 10 min) and the
 *        negative 10.3.0.0/16, natively-forward (TTL 15 min).
 *   MS:  site "site-a" (key-id 1): 10.1.0.0/16, registered by the xTR; site "site-b"
 *        (key-id 2, proxy-reply): 10.2.0.0/16 and 10.20.0.0/16 (accepts more-specifics),
 *        not registered.
 */
#ifndef CONTROL_WORLD_H
#define CONTROL_WORLD_H

#include "lisp_mr.h"
#include "lisp_ms.h"
#include "lisp_xtr_harness.h"

#define CW_NOW (T0 + SEC(2)) /* when the map-cache was filled */

typedef struct cw_world {
    lisp_engine *xtr; /* = lisp_xtr_engine(g_x); its fake is g_io */
    lisp_engine *ms;
    fake_io ms_io;
} cw_world;

/* Build both engines; ms_role is "ms" or "ms+mr". Fails the test (cmocka) on any step. */
void cw_build(cw_world *w, const char *ms_role);
void cw_free(cw_world *w);

#endif /* CONTROL_WORLD_H */
