/*
 * lisp_mapcache.h - EID-prefix -> mapping store with longest-prefix match per instance-ID,
 * TTL expiry and a size bound. The xTR, PxTR and RTR use it as their map-cache; the
 * Map-Server uses the same structure as its registration database (exact get/put/del,
 * iteration, "which registered prefix covers this EID") and the Map-Resolver asks it for
 * negative-reply prefixes.
 *
 *   lisp_mapcache_config cfg = {.max_entries = 100000};
 *   lisp_mapcache *mc = lisp_mapcache_new(&cfg);
 *   lisp_mapcache_put_record(mc, &reply.records[i], now, 0);     // on a Map-Reply
 *   const lisp_mapcache_entry *e = lisp_mapcache_lookup(mc, iid, LISP_AFI_IPV4, dst);
 *   if (!e) ... send a Map-Request ...
 *   lisp_mapcache_expire(mc, now, on_gone, ctx);    // when lisp_mapcache_next_expiry is due
 *   lisp_mapcache_free(mc);
 *
 * Lookups are const and write nothing (no LRU touch, no counters), so they are safe to run
 * concurrently with each other and never dirty a cache line on the per-packet path.
 *
 * Views: lookup, get and foreach return `const lisp_mapcache_entry *` pointing into the
 * cache. A view stays valid until the next call that modifies the cache (put, put_record,
 * del, expire, free); copy what you need to keep.
 *
 * Locator sets are stored once per distinct content and shared by every entry that uses
 * them (real tables have far fewer distinct locator sets than prefixes).
 *
 * Size bound: inserting a new prefix into a cache holding max_entries entries first evicts
 * the existing entry that expires soonest (ties: the lower internal slot) and reports it to
 * cfg.on_evict. Replacing an existing prefix never evicts.
 *
 * Memory: every byte comes from cfg.alloc (default: the C library) and is reported by
 * lisp_mapcache_memory_bytes; lisp_mapcache_free returns all of it. There is no global
 * state. An empty cache holds 144 bytes; ten IPv4 entries about 2.6 KiB.
 *
 * Errors: LISP_ERR_INVALID_ARG for malformed arguments (unknown AFI, mask_len beyond the
 * AFI, host bits set in a prefix, action > 7, map_version > 0xFFF, a locator that is not
 * IPv4/IPv6), LISP_ERR_NOMEM when the allocator fails; the cache is then unchanged and
 * still usable. Nothing aborts on bad input.
 */
#ifndef LISP_MAPCACHE_H
#define LISP_MAPCACHE_H

#include "lisp_msg.h"
#include "lisp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An EID, or an EID prefix with mask_len. addr is in network byte order; IPv4 uses
 * addr[0..3] and the remaining bytes are ignored. A stored prefix is canonical: its host
 * bits (beyond mask_len) are zero. */
typedef struct lisp_eid {
    uint32_t iid;     /* instance-ID (0 when none) */
    uint16_t afi;     /* LISP_AFI_IPV4 or LISP_AFI_IPV6 */
    uint8_t mask_len; /* 0..32 or 0..128 */
    uint8_t addr[16];
} lisp_eid;

/* One locator as the cache keeps it (26 bytes). */
typedef struct lisp_mapcache_loc {
    uint8_t addr[16]; /* network byte order; IPv4 in addr[0..3] */
    uint16_t afi;     /* LISP_AFI_IPV4 or LISP_AFI_IPV6 */
    uint16_t port;    /* NAT-traversal translated port; 0 = the default data port */
    uint8_t priority;
    uint8_t weight;
    uint8_t mpriority;
    uint8_t mweight;
    uint16_t flags; /* LISP_LOC_F_* */
} lisp_mapcache_loc;

/* The most locators one entry can have (the wire's 8-bit count). */
#define LISP_MAPCACHE_MAX_LOCATORS 255

/* What lisp_mapcache_put stores for a prefix. */
typedef struct lisp_mapcache_mapping {
    uint8_t action;                    /* LISP_ACT_*: what to do with no (usable) locator */
    bool authoritative;                /* A bit of the record */
    uint16_t map_version;              /* 12 bits */
    uint16_t loc_count;                /* 0..LISP_MAPCACHE_MAX_LOCATORS; 0 makes a negative entry */
    const lisp_mapcache_loc *locators; /* copied (deduplicated) by put */
    uint64_t user;                     /* opaque to the cache (a Map-Server keeps its site here) */
} lisp_mapcache_mapping;

/* A stored entry (read-only view, 56 bytes). */
typedef struct lisp_mapcache_entry {
    lisp_eid prefix;
    uint16_t map_version;
    uint8_t action;
    uint8_t loc_count;
    bool authoritative;
    lisp_time_t expires; /* LISP_TIME_NEVER: does not expire */
    uint64_t user;
    const lisp_mapcache_loc *locators; /* loc_count entries (shared; NULL when none) */
} lisp_mapcache_entry;

/* Reports one entry that is about to leave the cache. It must not modify the cache. */
typedef void lisp_mapcache_entry_cb(void *user, const lisp_mapcache_entry *e);

typedef struct lisp_mapcache_config {
    uint32_t max_entries;             /* 0: unbounded */
    lisp_mapcache_entry_cb *on_evict; /* evictions at max_entries; NULL: silent */
    void *evict_user;
    /* NULL: the C library. All three functions or none. Copied by lisp_mapcache_new. */
    const lisp_allocator *alloc;
    /* Bits of the LPM direct table; 0 (recommended) adapts it to the table size.
     * 1..24 fixes it for every table, for measurements. */
    uint8_t lpm_direct_bits;
} lisp_mapcache_config;

typedef struct lisp_mapcache lisp_mapcache;

/* NULL on allocation failure or a bad config. cfg may be NULL (unbounded, libc). */
lisp_mapcache *lisp_mapcache_new(const lisp_mapcache_config *cfg);
void lisp_mapcache_free(lisp_mapcache *mc);

/*
 * Store the mapping for `prefix`, replacing any previous one for exactly that prefix.
 * `expires` is absolute (LISP_TIME_NEVER: never). May evict one entry (see above).
 * Returns LISP_OK, LISP_ERR_INVALID_ARG or LISP_ERR_NOMEM (the cache is then unchanged).
 */
int lisp_mapcache_put(lisp_mapcache *mc, const lisp_eid *prefix, const lisp_mapcache_mapping *m,
                      lisp_time_t expires);

/*
 * Store a decoded EID-record (lisp_msg.h): its prefix (plain or Instance-ID LCAF; host bits
 * are cleared), action, A bit, map-version and locators (plain, Instance-ID or the first IP
 * of an AFI-List; port 0). The TTL in minutes becomes expires = now + ttl * 60 s, and
 * 0xFFFFFFFF never expires. Returns LISP_ERR_BAD_AFI for an EID or locator without an IPv4
 * or IPv6 address, LISP_ERR_BAD_VALUE for a mask-len beyond its AFI, otherwise as put.
 */
int lisp_mapcache_put_record(lisp_mapcache *mc, const lisp_record *rec, lisp_time_t now,
                             uint64_t user);

/* The canonical lisp_eid of a decoded prefix (host bits cleared); errors as put_record. */
int lisp_mapcache_eid_from_prefix(lisp_eid *out, const lisp_prefix *p);

/* The wire form of a stored prefix: in an Instance-ID LCAF when its iid is not 0 or
 * iid_lcaf asks for one (to answer in the form a request used), else plain. */
lisp_prefix lisp_mapcache_prefix_to_wire(const lisp_eid *eid, bool iid_lcaf);

/* The wire form of a stored locator (plain address), carrying `flags` (LISP_LOC_F_*). */
lisp_locator lisp_mapcache_loc_to_wire(const lisp_mapcache_loc *loc, uint16_t flags);

/* Longest-prefix match of addr (4 bytes for IPv4, 16 for IPv6) in instance iid.
 * NULL on a miss or an unknown AFI. Writes nothing. */
const lisp_mapcache_entry *lisp_mapcache_lookup(const lisp_mapcache *mc, uint32_t iid, uint16_t afi,
                                                const uint8_t *addr);

/*
 * n lookups at once: out[i] = lisp_mapcache_lookup(mc, iid, afi, addrs[i]). The lookups of
 * a batch overlap their cache misses, which on a large table makes them several times
 * faster per address than one at a time (a forwarding loop over a burst of packets).
 * IPv4 lookups go in chunks of 64 and IPv6 ones in groups of 32, so a batch of 64 or more
 * gets the whole benefit.
 */
void lisp_mapcache_lookup_batch(const lisp_mapcache *mc, uint32_t iid, uint16_t afi, size_t n,
                                const uint8_t *const *addrs, const lisp_mapcache_entry **out);

/* Exact match of a canonical prefix; NULL when absent or malformed. */
const lisp_mapcache_entry *lisp_mapcache_get(const lisp_mapcache *mc, const lisp_eid *prefix);

/* Remove exactly `prefix`. Returns 1 if it was stored, 0 if not, or LISP_ERR_INVALID_ARG. */
int lisp_mapcache_del(lisp_mapcache *mc, const lisp_eid *prefix);

/* The soonest `expires` of all entries, or LISP_TIME_NEVER. O(1). */
lisp_time_t lisp_mapcache_next_expiry(const lisp_mapcache *mc);

/* Remove every entry with expires <= now (LISP_TIME_NEVER entries never), soonest first,
 * reporting each to cb (may be NULL) just before it goes. Returns the number removed. */
size_t lisp_mapcache_expire(lisp_mapcache *mc, lisp_time_t now, lisp_mapcache_entry_cb *cb,
                            void *user);

/* Visit all entries ordered by (iid, afi, address, mask_len). A non-zero return from cb
 * stops the walk and is returned. cb must not modify the cache. */
typedef int lisp_mapcache_visit(void *user, const lisp_mapcache_entry *e);
int lisp_mapcache_foreach(const lisp_mapcache *mc, lisp_mapcache_visit *cb, void *user);

/* Entries stored. */
size_t lisp_mapcache_count(const lisp_mapcache *mc);

/* Bytes currently allocated by the cache, itself included (allocator overhead excluded). */
size_t lisp_mapcache_memory_bytes(const lisp_mapcache *mc);

/* Where the memory goes, for benchmarks and capacity planning. O(tables + chunks + sets). */
typedef struct lisp_mapcache_stats {
    size_t entries;
    size_t tables;                /* (instance-ID, AFI) pairs in use */
    size_t locator_sets;          /* distinct locator sets stored */
    size_t locators;              /* locators in those sets */
    size_t lpm_range_nodes;       /* LPM nodes holding sorted address ranges */
    size_t lpm_dir_nodes;         /* LPM directories below the roots */
    size_t lpm_ranges;            /* address ranges in the range nodes */
    size_t lpm_lines;             /* 64-byte lines of ranges: the memory lookups read */
    unsigned lpm_direct_bits_max; /* the largest root directory (bits) of any table */
    size_t bytes_total;           /* = lisp_mapcache_memory_bytes */
    size_t bytes_entries;         /* entry slots, with their heap positions */
    size_t bytes_heap;            /* the expiry heap */
    size_t bytes_locsets;         /* locator sets and their index */
    size_t bytes_lpm;             /* LPM structures (direct tables, blocks, short prefixes) */
} lisp_mapcache_stats;
void lisp_mapcache_get_stats(const lisp_mapcache *mc, lisp_mapcache_stats *out);

/*
 * The Map-Resolver's negative prefix for an EID that no stored prefix covers: the shortest
 * prefix containing the EID that contains no stored prefix of the same instance-ID and AFI
 * (stored 10.1/16 and 10.2/16: 10.3.0.5 -> 10.3.0.0/16, 11.0.0.1 -> 11.0.0.0/8; nothing
 * stored -> /0). Returns LISP_OK with *out set to it, or LISP_MAPCACHE_COVERED when a stored
 * prefix covers the EID, with *out set to the longest such prefix. LISP_ERR_INVALID_ARG for
 * an unknown AFI.
 */
#define LISP_MAPCACHE_COVERED 1
int lisp_mapcache_negative_prefix(const lisp_mapcache *mc, uint32_t iid, uint16_t afi,
                                  const uint8_t *addr, lisp_eid *out);

#ifdef __cplusplus
}
#endif

#endif /* LISP_MAPCACHE_H */
