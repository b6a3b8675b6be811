/*
 * lispd_addr.h - text forms of the engines' address types for lispd's configuration
 * and log lines: "10.1.0.0/24", "[1000]2001:db8::/32" (an instance-ID in brackets),
 * "192.0.2.1".
 */
#ifndef LISPD_ADDR_H
#define LISPD_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "lisp_mapcache.h"
#include "lisp_trace.h"

/* A prefix "[iid]address/length" (the instance-ID part optional). 0, or -1 with the
 * problem in err ("host bits set: did you mean 10.1.0.0/24?"). */
int lispd_prefix_parse(const char *text, lisp_eid *out, char *err, size_t errlen);
/* An IPv4 or IPv6 address (port 0). 0, or -1 when text is neither. */
int lispd_addr_parse(const char *text, lisp_endpoint *out);
/* "[iid]10.1.0.0/24" (no brackets for instance-ID 0). Always NUL-terminates. */
const char *lispd_eid_to_str(const lisp_eid *e, char *buf, size_t cap);
/* The address of e alone ("192.0.2.1", "2001:db8::1"; "none"). Always NUL-terminates. */
const char *lispd_addr_to_str(const lisp_endpoint *e, char *buf, size_t cap);
/* Whether prefix covers the address (bytes of family afi; instance-IDs ignored). */
bool lispd_prefix_covers(const lisp_eid *prefix, unsigned afi, const unsigned char *addr);

#endif /* LISPD_ADDR_H */
