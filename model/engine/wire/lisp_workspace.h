/*
 * lisp_workspace.h - scratch buffers an engine needs only while a call runs: a decoded
 * message, a message being built, and an output buffer. A host lends one workspace to
 * all its engines (lisp_env.workspace; ~130 KB), so an idle engine holds none of it; an
 * engine without one allocates its own on first need.
 */
#ifndef LISP_WORKSPACE_H
#define LISP_WORKSPACE_H

#include "lisp_host.h"
#include "lisp_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

struct lisp_workspace {
    lisp_msg rx;                 /* decoding */
    lisp_msg tx;                 /* encoding */
    uint8_t buf[LISP_MSG_MAX];   /* encoded output: any control message or data packet */
    lisp_allocator alloc;        /* what it came from (all NULL: the C library) */
};

/* NULL on allocation failure; a NULL allocator is the C library's. */
lisp_workspace *lisp_workspace_new(const lisp_allocator *alloc);
/* NULL is ignored. */
void lisp_workspace_free(lisp_workspace *ws);

#ifdef __cplusplus
}
#endif

#endif /* LISP_WORKSPACE_H */
