/*
 * lispd_control_internal.h - what the control socket's files share (internal): the answer
 * being written (text or one JSON document) and the request a command renders.
 *
 * A command handler writes its answer body into req->out and returns 0, or returns -1
 * after ctl_fail() (the answer is then the one line "error: <why>"). Handlers read the
 * engine only through the engines' public accessors; the one that changes state (clear
 * map-cache) calls the engine's own function for it.
 */
#ifndef LISPD_CONTROL_INTERNAL_H
#define LISPD_CONTROL_INTERNAL_H

#include <stdarg.h>

#include "lisp_mapcache.h"
#include "lisp_xtr.h"
#include "lispd_control.h"

#define CTL_JSON_DEPTH 16 /* nesting of one JSON answer */
#define CTL_MAX_WORDS 8   /* words of one command line */

/* A growing answer buffer with a tiny JSON writer on top. An allocation failure sticks
 * (failed): the answer then becomes "error: out of memory". */
typedef struct ctl_out {
    char *buf;
    size_t len, cap;
    bool failed;
    unsigned depth;
    bool has_items[CTL_JSON_DEPTH]; /* per open object/array: a member was written */
} ctl_out;

void ctl_out_free(ctl_out *o);
void ctl_write(ctl_out *o, const char *s, size_t n);
void ctl_puts(ctl_out *o, const char *s);
__attribute__((format(printf, 2, 3))) void ctl_printf(ctl_out *o, const char *fmt, ...);

/* JSON: key is the member name inside an object, NULL inside an array (or at the top). */
void json_object(ctl_out *o, const char *key);
void json_end_object(ctl_out *o);
void json_array(ctl_out *o, const char *key);
void json_end_array(ctl_out *o);
void json_str(ctl_out *o, const char *key, const char *value); /* NULL: null */
void json_u64(ctl_out *o, const char *key, uint64_t value);
void json_bool(ctl_out *o, const char *key, bool value);
void json_null(ctl_out *o, const char *key);
/* Seconds from now until t, as an integer (rounded up); null for LISP_TIME_NEVER. */
void json_seconds_until(ctl_out *o, const char *key, lisp_time_t now, lisp_time_t t);
/* Seconds since t (rounded down; 0 when t is later than now); null for LISP_TIME_NEVER. */
void json_seconds_since(ctl_out *o, const char *key, lisp_time_t now, lisp_time_t t);

typedef struct ctl_req {
    const lispd_control_ops *ops;
    void *user;
    lisp_engine *engine; /* never NULL in a handler */
    const char *role;
    lisp_time_t now;
    int argc; /* the words after the command's own */
    char **argv;
    bool json;
    ctl_out out;
    char error[160];
} ctl_req;

/* Set the error line (without "error: "); returns -1 for `return ctl_fail(...)`. */
__attribute__((format(printf, 2, 3))) int ctl_fail(ctl_req *r, const char *fmt, ...);

/* ---- formatting helpers (lispd_show_common.c) ---- */

#define CTL_ADDR_STR 56 /* an IPv6 address (46 with its NUL), a '/' and a mask length */

/* "10.1.0.0/16", "2001:db8::/32" (no instance-ID). */
const char *ctl_prefix_str(const lisp_eid *e, char *buf, size_t cap);
/* An address of afi (LISP_AFI_IPV4/IPV6) in network byte order; "?" otherwise. */
const char *ctl_addr_str(uint16_t afi, const uint8_t *addr, char *buf, size_t cap);
/* The time from now until t, rounded up: "4m59s", "1h2m", "3d4h"; "never" for
 * LISP_TIME_NEVER, "0s" when t has passed. */
const char *ctl_duration_str(lisp_time_t now, lisp_time_t t, char *buf, size_t cap);
/* The time since t, rounded down: "12s ago"; "never" for LISP_TIME_NEVER. */
const char *ctl_ago_str(lisp_time_t now, lisp_time_t t, char *buf, size_t cap);
/* The name of a record action ("natively-forward"). */
const char *ctl_action_name(unsigned action);
/* Whether outer contains inner (same instance-ID and family, shorter or equal mask). */
bool ctl_prefix_contains(const lisp_eid *outer, const lisp_eid *inner);
/* A locator set: text rows "    <addr>  priority P  weight W  up|down" or a JSON array
 * named "locators". */
void ctl_locators(ctl_req *r, const lisp_mapcache_loc *locs, unsigned n);
/* "[iid] prefix" as text, or "iid", "afi" and "prefix" members in JSON. */
void ctl_eid(ctl_req *r, const lisp_eid *e);

/* ---- commands (one file per area) ---- */

/* lispd_show_common.c */
int ctl_cmd_help(ctl_req *r);
int ctl_cmd_show_stats(ctl_req *r);
int ctl_cmd_log_level(ctl_req *r);
/* lispd_show_xtr.c */
int ctl_cmd_show_map_cache(ctl_req *r);
int ctl_cmd_clear_map_cache(ctl_req *r);
int ctl_cmd_show_locators(ctl_req *r);
/* "show registrations" of a tunnel router (x is r->engine's) */
int ctl_show_registrations_xtr(ctl_req *r, const lisp_xtr *x);
/* lispd_show_ms.c */
int ctl_cmd_show_registrations(ctl_req *r); /* either side */
int ctl_cmd_show_sites(ctl_req *r);
/* lispd_show_nat.c */
int ctl_cmd_show_nat(ctl_req *r); /* [all] */

#endif /* LISPD_CONTROL_INTERNAL_H */
