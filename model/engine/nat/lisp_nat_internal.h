/*
 * lisp_nat_internal.h - the NAT engine's state (internal): the mapping slab, the two
 * mapping hash tables (inside key, outside key), the permission table of the filtering
 * behaviours, the expiry heap and the fragment table; and the calls between its files.
 *
 *   lisp_nat.c        config, presets, new/free, expiry, mapping listing
 *   lisp_nat_table.c  slab, hash tables, permissions, heap, port allocation
 *   lisp_nat_xlate.c  outbound / inbound translation of UDP, TCP, ICMP queries, fragments
 *   lisp_nat_icmp.c   ICMP errors about translated flows, both directions
 *   lisp_nat_engine.c the generic engine interface (ops, counters, role row)
 *
 * Addresses are kept as uint32_t holding the four network-order bytes as they lie in
 * the packet (memcpy), ports and identifiers in host byte order.
 */
#ifndef LISP_NAT_INTERNAL_H
#define LISP_NAT_INTERNAL_H

#include <string.h>

#include "lisp_ctx_internal.h"
#include "lisp_nat.h"

#define NAT_NONE UINT32_MAX
#define NAT_CHUNK_BITS 12 /* mappings are allocated 4096 at a time */
#define NAT_CHUNK (1u << NAT_CHUNK_BITS)
#define NAT_FRAG_SLOTS 256                          /* fragment table entries */
#define NAT_FRAG_LIFETIME (30ull * LISP_NS_PER_SEC) /* as Linux's ipfrag_time */

#define NAT_PROTO_ICMP 1
#define NAT_PROTO_TCP 6
#define NAT_PROTO_UDP 17

/* Timeout classes: each has one fixed lifetime (lisp_nat_config). */
enum nat_class {
    NAT_CLASS_UDP = 0,
    NAT_CLASS_TCP_TRANSITORY = 1,
    NAT_CLASS_TCP_ESTABLISHED = 2,
    NAT_CLASS_ICMP = 3,
    NAT_CLASSES = 4,
};

/* The minimal TCP tracker of a mapping (RFC 5382 section 5): bits of what was seen. */
enum {
    NAT_TCP_SYN = 0x01,     /* an outbound SYN (a connection is being opened) */
    NAT_TCP_OUT = 0x02,     /* traffic inside -> outside since the SYN */
    NAT_TCP_IN = 0x04,      /* traffic outside -> inside since the SYN */
    NAT_TCP_FIN_OUT = 0x08, /* FIN from the inside */
    NAT_TCP_FIN_IN = 0x10,  /* FIN from the outside */
    NAT_TCP_RST = 0x20,     /* RST either way */
};

/* One mapping: 40 bytes. */
typedef struct nat_map {
    uint32_t int_addr, ext_addr;
    uint32_t rem_addr; /* the first remote it sent to (the key's remote under ADM/APDM) */
    uint16_t int_port; /* ICMP: identifier */
    uint16_t ext_port; /* ICMP: identifier */
    uint16_t rem_port; /* 0 for ICMP */
    uint8_t proto;     /* 17, 6 or 1 */
    uint8_t pub;       /* index of ext_addr in the public addresses */
    uint8_t tcp;       /* NAT_TCP_* */
    uint8_t klass;     /* nat_class */
    lisp_time_t last;  /* last refresh */
    uint32_t heap_pos; /* position in the expiry heap; free: next free mapping */
    uint32_t perms;    /* first extra permission (NAT_NONE: none) */
} nat_map;
_Static_assert(sizeof(nat_map) == 40, "a mapping is 40 bytes (docs/design.md, NAT engine)");

/* An open-addressing table (linear probing, backward-shift deletion) of mapping or
 * permission indices. A slot holds the full 32-bit hash (its home is hash & mask) and
 * the index + 1 (0: empty). */
typedef struct nat_slot {
    uint32_t hash;
    uint32_t idx1;
} nat_slot;

typedef struct nat_hash {
    nat_slot *slots;
    uint32_t mask; /* capacity - 1 (a power of two) */
    uint32_t count;
} nat_hash;

/* A remote that a mapping may receive from besides its first one (filtering, RFC 4787
 * section 5): address-dependent filtering stores port 0. */
typedef struct nat_perm {
    uint32_t map;  /* owning mapping */
    uint32_t addr; /* remote address */
    uint16_t port; /* remote port, 0 under address-dependent filtering */
    uint32_t next; /* next permission of the same mapping; free: next free */
} nat_perm;

/* A fragmented datagram whose first fragment was translated: its later fragments get
 * the same address rewrite. Keyed by the addresses, protocol and IP ID as they arrive. */
typedef struct nat_frag {
    uint32_t src, dst; /* before translation */
    uint32_t to;       /* the new source (outbound) or destination (inbound) */
    uint16_t id;
    uint8_t proto;
    uint8_t dir; /* 0 empty, 1 outbound, 2 inbound */
    lisp_time_t at;
} nat_frag;

/* An entry of the expiry heap: key <= the deadline of mapping idx. */
typedef struct nat_timer {
    lisp_time_t key;
    uint32_t idx;
} nat_timer;

/* Per public address and protocol: how many ports are taken, where sequential goes on. */
typedef struct nat_ports {
    uint32_t used;
    uint16_t cursor;
} nat_ports;

struct lisp_nat {
    lisp_engine engine; /* first: the generic interface */
    lisp_ctx ctx;
    lisp_mem mem;
    lisp_nat_config cfg;
    lisp_nat_stats stats;
    lisp_time_t timeout[NAT_CLASSES];
    uint64_t seed;                          /* hash seed, from the host's random */
    uint32_t pub_addr[LISP_NAT_MAX_PUBLIC]; /* cfg.public_addrs as uint32_t */
    uint32_t port_lo, port_hi;              /* the external range (port_min at least 1) */

    /* Mapping slab: chunks of NAT_CHUNK, a free list, and the high-water mark. */
    nat_map **chunks;
    uint32_t n_chunks, chunks_cap, hwm, free_map;

    nat_hash by_int;  /* (proto, internal address and port[, remote]) -> mapping */
    nat_hash by_ext;  /* (proto, external address and port) -> mapping */
    nat_hash by_perm; /* (mapping, remote address[, port]) -> permission */

    nat_perm *perms;
    uint32_t perm_cap, perm_hwm, perm_free, perm_count;

    /* Expiry: a binary min-heap of (key, mapping) where key <= the mapping's deadline;
     * refreshes do not touch it, expiry re-files a mapping that was refreshed. */
    nat_timer *heap;
    uint32_t heap_n, heap_cap;

    nat_ports ports[LISP_NAT_MAX_PUBLIC][3]; /* [public][udp, tcp, icmp] */
    nat_frag *frags;                         /* NAT_FRAG_SLOTS, allocated on first need */
};

/* A parsed IPv4 packet (lisp_nat_xlate.c). */
typedef struct nat_pkt {
    uint8_t *ip;
    size_t ihl; /* header bytes */
    uint8_t *l4;
    size_t l4len;
    uint8_t proto;
    bool fragment;   /* MF set or a fragment offset */
    bool later_frag; /* a fragment offset: no L4 header */
    uint32_t src, dst;
    uint16_t sport, dport; /* UDP/TCP ports; ICMP queries: the identifier in both */
} nat_pkt;

static inline nat_map *nat_map_at(const lisp_nat *n, uint32_t idx)
{
    return &n->chunks[idx >> NAT_CHUNK_BITS][idx & (NAT_CHUNK - 1)];
}

static inline uint16_t nat_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void nat_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline uint32_t nat_rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Incremental checksum update, RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). A delta is the
 * sum of ~m + m' over the changed 16-bit words. */
static inline uint32_t nat_delta16(uint16_t old, uint16_t now)
{
    return (uint32_t)(uint16_t)~old + now;
}

static inline uint32_t nat_delta_addr(uint32_t old, uint32_t now)
{
    const uint8_t *o = (const uint8_t *)&old, *w = (const uint8_t *)&now;
    return nat_delta16(nat_rd16(o), nat_rd16(w)) + nat_delta16(nat_rd16(o + 2), nat_rd16(w + 2));
}

/* The checksum value HC' for a field that held hc, after the words changed by delta. */
static inline uint16_t nat_csum_adjusted(uint16_t hc, uint32_t delta)
{
    uint32_t s = (uint32_t)(uint16_t)~hc + delta;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static inline lisp_time_t nat_deadline(const lisp_nat *n, const nat_map *m)
{
    lisp_time_t t = n->timeout[m->klass];
    return m->last > LISP_TIME_NEVER - t ? LISP_TIME_NEVER : m->last + t;
}

extern const lisp_engine_ops lisp_nat_ops;

/* ---- lisp_nat_table.c ---- */
/* The two mapping tables at their smallest (lookups need no NULL check); LISP_ERR_NOMEM. */
int nat_table_init(lisp_nat *n);
void nat_table_free(lisp_nat *n);
/* The live mapping with that inside key (remote as the mapping behaviour keys it). */
uint32_t nat_find_int(const lisp_nat *n, uint8_t proto, uint32_t addr, uint16_t port,
                      uint32_t raddr, uint16_t rport);
/* The live mapping with that outside endpoint. */
uint32_t nat_find_ext(const lisp_nat *n, uint8_t proto, uint32_t addr, uint16_t port);
/* A new mapping for an outbound packet (int -> rem) at now. Returns its index, or
 * NAT_NONE with *reason set (LISP_DROP_NAT_TABLE_FULL, LISP_DROP_NAT_PORTS_EXHAUSTED) or
 * *err LISP_ERR_NOMEM. */
uint32_t nat_create(lisp_nat *n, lisp_time_t now, uint8_t proto, uint32_t int_addr,
                    uint16_t int_port, uint32_t rem_addr, uint16_t rem_port, int *reason, int *err);
/* Give heap entry pos the key (not above its mapping's deadline) and restore the order. */
void nat_heap_update(lisp_nat *n, uint32_t pos, lisp_time_t key);
/* The hash a lookup of that key uses (outside: the external table, raddr/rport unused),
 * and hints to load its slot, then its mapping, ahead of the lookup (batches). */
uint32_t nat_hash_key(const lisp_nat *n, bool outside, uint8_t proto, uint32_t addr, uint16_t port,
                      uint32_t raddr, uint16_t rport);
void nat_prefetch_slot(const lisp_nat *n, bool outside, uint32_t hash);
void nat_prefetch_map(const lisp_nat *n, bool outside, uint32_t hash);
/* Remove mapping idx from every structure (no trace). */
void nat_remove(lisp_nat *n, uint32_t idx);
/* The timeout class of m changed: keep the heap key at or below the new deadline. */
void nat_class_changed(lisp_nat *n, const nat_map *m);
/* Whether m accepts a packet from the remote under the filtering behaviour. */
bool nat_permitted(const lisp_nat *n, uint32_t idx, uint32_t raddr, uint16_t rport);
/* Remember that m sent to the remote (for filtering). LISP_OK, 1 when the permission
 * table is full (counted: the remote stays filtered), or LISP_ERR_NOMEM. */
int nat_permit(lisp_nat *n, uint32_t idx, uint32_t raddr, uint16_t rport);

/* ---- lisp_nat.c ---- */
/* Expire every mapping whose deadline is at or before now. */
void nat_expire_due(lisp_nat *n, lisp_time_t now);
/* Expire mapping idx now (trace, count, remove). */
void nat_expire(lisp_nat *n, lisp_time_t now, uint32_t idx);
/* idx, or NAT_NONE after expiring it when its deadline has passed. */
uint32_t nat_check_live(lisp_nat *n, lisp_time_t now, uint32_t idx);
/* Emit a mapping trace event of kind with peer (may be NULL) and count. */
void nat_trace_map(const lisp_nat *n, lisp_time_t now, int kind, const nat_map *m,
                   uint32_t peer_addr, uint16_t peer_port, bool has_peer, uint32_t count);
/* Count and trace a drop; the payload names what is known. Returns LISP_NAT_DROP. */
int nat_drop(lisp_nat *n, lisp_time_t now, int reason, int err, uint8_t proto, uint32_t int_addr,
             uint16_t int_port, uint32_t rem_addr, uint16_t rem_port, uint32_t count);
/* Index of addr among the public addresses, or -1. */
int nat_public_index(const lisp_nat *n, uint32_t addr);

/* ---- lisp_nat_xlate.c ---- */
/* Parse the IPv4 header and the L4 header when present. LISP_OK, 1 for "not IPv4 or not
 * UDP/TCP/ICMP" (pass), or a negative packet error; p->ip, p->src and p->dst are set
 * when the IPv4 header was good, even if the L4 header is not. */
int nat_parse(nat_pkt *p, uint8_t *ip, size_t len);
void nat_set_src(nat_pkt *p, uint32_t addr);
void nat_set_dst(nat_pkt *p, uint32_t addr);
/* Set the source / destination port (ICMP query: the identifier). */
void nat_set_sport(nat_pkt *p, uint16_t port);
void nat_set_dport(nat_pkt *p, uint16_t port);

/* ---- lisp_nat_icmp.c ---- */
bool nat_icmp_is_error(uint8_t type);
int nat_icmp_error_out(lisp_nat *n, lisp_time_t now, nat_pkt *p);
int nat_icmp_error_in(lisp_nat *n, lisp_time_t now, nat_pkt *p);

#endif /* LISP_NAT_INTERNAL_H */
