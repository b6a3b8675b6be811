/* lisp_workspace.c - the scratch an engine borrows for one call (lisp_workspace.h). */
#include "lisp_workspace.h"

#include <string.h>

#include "lisp_mem_internal.h"

lisp_workspace *lisp_workspace_new(const lisp_allocator *alloc)
{
    lisp_mem mem;
    lisp_workspace *ws = lisp_mem_new_object(&mem, alloc, sizeof *ws);

    if (ws && alloc)
        ws->alloc = *alloc;
    return ws;
}

void lisp_workspace_free(lisp_workspace *ws)
{
    lisp_mem mem;

    if (!ws)
        return;
    lisp_mem_init(&mem, ws->alloc.malloc ? &ws->alloc : NULL);
    lisp_mem_free(&mem, ws, sizeof *ws);
}
