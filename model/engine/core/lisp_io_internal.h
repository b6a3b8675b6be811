/*
 * lisp_io_internal.h - helpers engines use to talk through their lisp_io table
 * (internal): typed traces, drops, and formatted log lines.
 */
#ifndef LISP_IO_INTERNAL_H
#define LISP_IO_INTERNAL_H

#include "lisp_io.h"

/* A trace event with everything else zero; fill in more fields before lisp_io_emit. */
lisp_trace lisp_trace_make(lisp_trace_kind kind, lisp_time_t now);

/* Hand ev to the trace callback, if any. */
void lisp_io_emit(const lisp_io *io, const lisp_trace *ev);

/* Trace a drop (eid and peer may be NULL). */
void lisp_io_drop(const lisp_io *io, lisp_time_t now, lisp_drop_reason reason, int err,
                  const lisp_eid *eid, const lisp_endpoint *peer);

/* printf-style log line, formatted only when a log callback exists. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void lisp_io_logf(const lisp_io *io, int level, const char *fmt, ...);

/* The endpoint of an IP address (lisp_afi_addr of AFI 1 or 2) and a port. */
lisp_endpoint lisp_endpoint_from_afi(const lisp_afi_addr *a, uint16_t port);

/* Whether prefix (same instance-ID and AFI) covers the address addr. */
bool lisp_eid_covers(const lisp_eid *prefix, uint32_t iid, uint16_t afi, const uint8_t *addr);

/* A /32 or /128 EID of an address in instance iid. */
lisp_eid lisp_eid_host(uint32_t iid, uint16_t afi, const uint8_t *addr);

#endif /* LISP_IO_INTERNAL_H */
