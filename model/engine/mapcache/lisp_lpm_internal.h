/*
 * lisp_lpm_internal.h - longest-prefix match over one address family (internal to the map-cache).
 *
 * Maps prefixes (address, length) to 32-bit values and answers, for an address, the value
 * of the longest stored prefix that covers it. Addresses are 128-bit keys, most significant
 * bit first; IPv4 uses the top 32 bits (lisp_lpm_key_from_bytes does this), so one code
 * path serves both families.
 *
 * Structure: DXR (Zec & Rizzo 2012) made recursive. A root directory indexed by the top k
 * address bits (k adapts to the table size: 0 for a handful of prefixes, 16 from 131072 on)
 * holds, per slot, either the answer for the whole slot or a pointer to a node:
 *   RANGE  the slot's address ranges, sorted, each with the value of its longest covering
 *          prefix, packed into 64-byte lines searched without data-dependent branches;
 *          plus the node's members, the authoritative prefixes the ranges are rebuilt from;
 *   DIR    a directory over the next few bits, for slots too crowded for one RANGE node
 *          (this bounds the cost of an update, and handles IPv6's clustered prefixes).
 * Prefixes that end within a directory's stride ("shorts") are kept in that directory and
 * only relabel whole slots. lisp_lpm_layout_internal.h has the exact layout.
 *
 * Costs: a lookup reads one root entry and, on a large IPv4 table, usually one 64-byte line
 * (two for crowded slots), and writes nothing. Inserting or removing a prefix rebuilds one
 * RANGE node (at most 320 ranges); a short prefix relabels the slots it covers in place.
 * Changing k (when the size crosses a threshold) rebuilds everything: amortised O(1) per
 * update, since thresholds are geometric and have hysteresis.
 *
 * Failure: insert returns LISP_ERR_NOMEM and leaves the table unchanged. Removal never
 * fails: it edits nodes in place (a node keeps its size until it is next rebuilt), and the
 * rebuild to a smaller k is skipped when memory is short.
 */
#ifndef LISP_LPM_H
#define LISP_LPM_H

#include "lisp_mem_internal.h"
#include "lisp_types.h"

/* "No value": a lookup miss. Not a storable value. */
#define LISP_LPM_NONE UINT32_MAX
/* Largest root directory: 2^24 entries of 16 bytes. */
#define LISP_LPM_MAX_DIRECT_BITS 24

/* A 128-bit address, most significant half first. */
typedef struct lisp_lpm_key {
    uint64_t hi, lo;
} lisp_lpm_key;

typedef struct lisp_lpm lisp_lpm;

/* Network-order bytes (4 for IPv4, 16 for IPv6) to a key and back. */
lisp_lpm_key lisp_lpm_key_from_bytes(const uint8_t *addr, unsigned nbytes);
void lisp_lpm_key_to_bytes(lisp_lpm_key k, uint8_t *addr, unsigned nbytes);

/* A table for addresses of `width` bits (32 or 128). direct_bits 0 lets K follow the table
 * size; 1..LISP_LPM_MAX_DIRECT_BITS (and <= width) fixes it, for measurements.
 * NULL when out of memory or on bad arguments. */
lisp_lpm *lisp_lpm_new(lisp_mem *mem, unsigned width, unsigned direct_bits);
void lisp_lpm_free(lisp_lpm *t);

/* Prefixes stored. */
uint32_t lisp_lpm_count(const lisp_lpm *t);
/* The current K. */
unsigned lisp_lpm_direct_bits(const lisp_lpm *t);

/* Store a new prefix. `addr` must have its host bits zero, len <= width, val != NONE, and
 * the prefix must not be stored yet (LISP_ERR_INVALID_ARG otherwise). LISP_ERR_NOMEM
 * leaves the table unchanged. */
int lisp_lpm_insert(lisp_lpm *t, lisp_lpm_key addr, unsigned len, uint32_t val);

/* Remove a prefix; returns its value, or LISP_LPM_NONE if it was not stored. */
uint32_t lisp_lpm_remove(lisp_lpm *t, lisp_lpm_key addr, unsigned len);

/* Exact match: the value stored for (addr, len), or LISP_LPM_NONE. */
uint32_t lisp_lpm_get(const lisp_lpm *t, lisp_lpm_key addr, unsigned len);

/* Longest-prefix match: the value of the longest prefix covering addr, or LISP_LPM_NONE. */
uint32_t lisp_lpm_lookup(const lisp_lpm *t, lisp_lpm_key addr);
/* The same for an IPv4 address in host byte order (the per-packet fast path). */
uint32_t lisp_lpm_lookup32(const lisp_lpm *t, uint32_t addr);
/* out[i] = lisp_lpm_lookup(t, the address at addr[i]) for a 128-bit table: n addresses
 * of 16 bytes each, network order, overlapping their cache misses. */
void lisp_lpm_lookup_batch(const lisp_lpm *t, const uint8_t *const *addr, size_t n, uint32_t *out);
/* out[i] = the lisp_lpm_lookup32 answer for the IPv4 address at addr[i] (4 bytes, network
 * order, as packets carry it), for n addresses, overlapping their cache misses. */
void lisp_lpm_lookup32_batch(const lisp_lpm *t, const uint8_t *const *addr, size_t n,
                             uint32_t *out);

/*
 * The Map-Resolver's negative prefix. If a stored prefix covers addr, returns its value
 * (as lisp_lpm_lookup). Otherwise returns LISP_LPM_NONE and sets *len to the length of the
 * shortest prefix that contains addr and contains no stored prefix: one more than the
 * longest common prefix of addr with the nearest covered address on either side (0 when
 * the table is empty).
 */
uint32_t lisp_lpm_gap(const lisp_lpm *t, lisp_lpm_key addr, unsigned *len);

/* Size and shape, for statistics. */
typedef struct lisp_lpm_stats {
    size_t bytes;       /* everything the table allocated */
    size_t range_nodes; /* RANGE nodes */
    size_t dir_nodes;   /* DIR nodes below the root */
    size_t ranges;      /* ranges in all RANGE nodes */
    size_t lines;       /* 64-byte lines of ranges (the lookup-hot memory) */
} lisp_lpm_stats;
void lisp_lpm_get_stats(const lisp_lpm *t, lisp_lpm_stats *out);

/* Visit every prefix in (address, length) order. A non-zero return from cb stops the walk
 * and is returned. cb must not modify the table. */
typedef int lisp_lpm_visit(void *user, lisp_lpm_key addr, unsigned len, uint32_t val);
int lisp_lpm_foreach(const lisp_lpm *t, lisp_lpm_visit *cb, void *user);

#endif /* LISP_LPM_H */
