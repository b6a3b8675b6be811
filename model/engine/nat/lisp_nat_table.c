/* lisp_nat_table.c - the NAT's tables (lisp_nat_internal.h): the mapping slab, the two
 * open-addressing mapping tables, the permission table, the expiry heap and the choice
 * of a new mapping's public address and port. Everything that allocates runs when a
 * mapping or a permission is created, never for a packet of an existing flow. */
#include "lisp_nat_internal.h"

#define HASH_MIN_CAP 64u

/* 32 well-mixed bits of two 64-bit words and the instance seed (splitmix64 finaliser):
 * the seed comes from the host's random, so remote peers cannot aim at one chain. */
static inline uint32_t mix(uint64_t a, uint64_t b, uint64_t seed)
{
    uint64_t h = (a ^ seed) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    h += b * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return (uint32_t)h;
}

static inline uint32_t int_hash(const lisp_nat *n, uint8_t proto, uint32_t addr, uint16_t port,
                                uint32_t raddr, uint16_t rport)
{
    return mix((uint64_t)proto << 48 | (uint64_t)port << 32 | addr, (uint64_t)rport << 32 | raddr,
               n->seed);
}

static inline uint32_t ext_hash(const lisp_nat *n, uint8_t proto, uint32_t addr, uint16_t port)
{
    return mix((uint64_t)proto << 48 | (uint64_t)port << 32 | addr, 0x5bd1e995, n->seed);
}

static inline uint32_t perm_hash(const lisp_nat *n, uint32_t map, uint32_t raddr, uint16_t rport)
{
    return mix(map, (uint64_t)rport << 32 | raddr, ~n->seed);
}

/* The remote as the mapping behaviour keys mappings: none (EIM), the address (ADM), or
 * address and port (APDM). */
static inline void key_remote(const lisp_nat *n, uint32_t *raddr, uint16_t *rport)
{
    if (n->cfg.mapping == LISP_NAT_ENDPOINT_INDEPENDENT)
        *raddr = 0;
    if (n->cfg.mapping != LISP_NAT_ADDRESS_PORT_DEPENDENT)
        *rport = 0;
}

/* ---- open addressing ---- */

static int hash_alloc(lisp_mem *mem, nat_hash *h, uint32_t cap)
{
    h->slots = lisp_mem_alloc(mem, (size_t)cap * sizeof *h->slots);
    if (!h->slots)
        return LISP_ERR_NOMEM;
    memset(h->slots, 0, (size_t)cap * sizeof *h->slots);
    h->mask = cap - 1;
    h->count = 0;
    return LISP_OK;
}

static void hash_put(nat_hash *h, uint32_t hash, uint32_t idx)
{
    uint32_t i = hash & h->mask;
    while (h->slots[i].idx1)
        i = (i + 1) & h->mask;
    h->slots[i].hash = hash;
    h->slots[i].idx1 = idx + 1;
    h->count++;
}

/* Room for one more entry at a load of at most 1/2. */
static int hash_reserve(lisp_mem *mem, nat_hash *h)
{
    nat_hash bigger;
    uint32_t i, cap = h->mask + 1;

    if (h->slots && (h->count + 1) * 2 <= cap)
        return LISP_OK;
    if (!h->slots)
        return hash_alloc(mem, h, HASH_MIN_CAP);
    if (cap > UINT32_MAX / 2 || hash_alloc(mem, &bigger, cap * 2) < 0)
        return LISP_ERR_NOMEM;
    for (i = 0; i < cap; i++)
        if (h->slots[i].idx1)
            hash_put(&bigger, h->slots[i].hash, h->slots[i].idx1 - 1);
    lisp_mem_free(mem, h->slots, (size_t)cap * sizeof *h->slots);
    *h = bigger;
    return LISP_OK;
}

/* Remove the entry of idx filed under hash, shifting its successors back. */
static void hash_del(nat_hash *h, uint32_t hash, uint32_t idx)
{
    uint32_t i = hash & h->mask, j, k;

    while (h->slots[i].idx1 != idx + 1) {
        if (!h->slots[i].idx1)
            return; /* not filed: nothing to do */
        i = (i + 1) & h->mask;
    }
    for (j = i;;) {
        j = (j + 1) & h->mask;
        if (!h->slots[j].idx1)
            break;
        k = h->slots[j].hash & h->mask;
        /* The entry at j stays when its home lies cyclically in (i, j]. */
        if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
            continue;
        h->slots[i] = h->slots[j];
        i = j;
    }
    h->slots[i].hash = 0;
    h->slots[i].idx1 = 0;
    h->count--;
}

uint32_t nat_find_int(const lisp_nat *n, uint8_t proto, uint32_t addr, uint16_t port,
                      uint32_t raddr, uint16_t rport)
{
    const nat_hash *h = &n->by_int;
    uint32_t hash, i;

    key_remote(n, &raddr, &rport);
    hash = int_hash(n, proto, addr, port, raddr, rport);
    for (i = hash & h->mask; h->slots[i].idx1; i = (i + 1) & h->mask) {
        const nat_map *m;
        if (h->slots[i].hash != hash)
            continue;
        m = nat_map_at(n, h->slots[i].idx1 - 1);
        if (m->int_addr == addr && m->int_port == port && m->proto == proto &&
            (n->cfg.mapping == LISP_NAT_ENDPOINT_INDEPENDENT || m->rem_addr == raddr) &&
            (n->cfg.mapping != LISP_NAT_ADDRESS_PORT_DEPENDENT || m->rem_port == rport))
            return h->slots[i].idx1 - 1;
    }
    return NAT_NONE;
}

uint32_t nat_find_ext(const lisp_nat *n, uint8_t proto, uint32_t addr, uint16_t port)
{
    const nat_hash *h = &n->by_ext;
    uint32_t hash = ext_hash(n, proto, addr, port), i;

    for (i = hash & h->mask; h->slots[i].idx1; i = (i + 1) & h->mask) {
        const nat_map *m;
        if (h->slots[i].hash != hash)
            continue;
        m = nat_map_at(n, h->slots[i].idx1 - 1);
        if (m->ext_addr == addr && m->ext_port == port && m->proto == proto)
            return h->slots[i].idx1 - 1;
    }
    return NAT_NONE;
}

/* ---- prefetching (lisp_nat_*_batch) ---- */

#if defined(__GNUC__) || defined(__clang__)
#define NAT_PREFETCH(p) __builtin_prefetch(p)
#else
#define NAT_PREFETCH(p) ((void)(p))
#endif

uint32_t nat_hash_key(const lisp_nat *n, bool outside, uint8_t proto, uint32_t addr, uint16_t port,
                      uint32_t raddr, uint16_t rport)
{
    if (outside)
        return ext_hash(n, proto, addr, port);
    key_remote(n, &raddr, &rport);
    return int_hash(n, proto, addr, port, raddr, rport);
}

void nat_prefetch_slot(const lisp_nat *n, bool outside, uint32_t hash)
{
    const nat_hash *h = outside ? &n->by_ext : &n->by_int;
    NAT_PREFETCH(&h->slots[hash & h->mask]);
}

void nat_prefetch_map(const lisp_nat *n, bool outside, uint32_t hash)
{
    const nat_hash *h = outside ? &n->by_ext : &n->by_int;
    uint32_t i;

    for (i = hash & h->mask; h->slots[i].idx1; i = (i + 1) & h->mask)
        if (h->slots[i].hash == hash) {
            NAT_PREFETCH(nat_map_at(n, h->slots[i].idx1 - 1));
            return;
        }
}

/* ---- permissions ---- */

static uint32_t perm_find(const lisp_nat *n, uint32_t map, uint32_t raddr, uint16_t rport)
{
    const nat_hash *h = &n->by_perm;
    uint32_t hash, i;

    if (n->perm_count == 0)
        return NAT_NONE;
    hash = perm_hash(n, map, raddr, rport);
    for (i = hash & h->mask; h->slots[i].idx1; i = (i + 1) & h->mask) {
        const nat_perm *q = &n->perms[h->slots[i].idx1 - 1];
        if (h->slots[i].hash == hash && q->map == map && q->addr == raddr && q->port == rport)
            return h->slots[i].idx1 - 1;
    }
    return NAT_NONE;
}

bool nat_permitted(const lisp_nat *n, uint32_t idx, uint32_t raddr, uint16_t rport)
{
    const nat_map *m = nat_map_at(n, idx);

    switch (n->cfg.filtering) {
    case LISP_NAT_ENDPOINT_INDEPENDENT:
        return true;
    case LISP_NAT_ADDRESS_DEPENDENT:
        return m->rem_addr == raddr || perm_find(n, idx, raddr, 0) != NAT_NONE;
    default:
        return (m->rem_addr == raddr && m->rem_port == rport) ||
               perm_find(n, idx, raddr, rport) != NAT_NONE;
    }
}

int nat_permit(lisp_nat *n, uint32_t idx, uint32_t raddr, uint16_t rport)
{
    nat_map *m;
    nat_perm *q;
    uint32_t pi;

    if (n->cfg.filtering == LISP_NAT_ENDPOINT_INDEPENDENT || nat_permitted(n, idx, raddr, rport))
        return LISP_OK;
    if (n->cfg.filtering == LISP_NAT_ADDRESS_DEPENDENT)
        rport = 0;
    if (n->perm_count >= n->cfg.max_mappings) {
        n->stats.permissions_full++;
        return 1;
    }
    if (n->perm_free == NAT_NONE && n->perm_hwm == n->perm_cap) {
        uint32_t cap = n->perm_cap ? n->perm_cap * 2 : 64;
        nat_perm *p = lisp_mem_realloc(&n->mem, n->perms, (size_t)n->perm_cap * sizeof *p,
                                       (size_t)cap * sizeof *p);
        if (!p)
            return LISP_ERR_NOMEM;
        n->perms = p;
        n->perm_cap = cap;
    }
    if (hash_reserve(&n->mem, &n->by_perm) < 0)
        return LISP_ERR_NOMEM;
    if (n->perm_free != NAT_NONE) {
        pi = n->perm_free;
        n->perm_free = n->perms[pi].next;
    } else {
        pi = n->perm_hwm++;
    }
    m = nat_map_at(n, idx);
    q = &n->perms[pi];
    q->map = idx;
    q->addr = raddr;
    q->port = rport;
    q->next = m->perms;
    m->perms = pi;
    hash_put(&n->by_perm, perm_hash(n, idx, raddr, rport), pi);
    n->perm_count++;
    return LISP_OK;
}

static void perms_release(lisp_nat *n, nat_map *m, uint32_t idx)
{
    uint32_t pi = m->perms, next;

    for (; pi != NAT_NONE; pi = next) {
        nat_perm *q = &n->perms[pi];
        next = q->next;
        hash_del(&n->by_perm, perm_hash(n, idx, q->addr, q->port), pi);
        q->next = n->perm_free;
        n->perm_free = pi;
        n->perm_count--;
    }
    m->perms = NAT_NONE;
}

/* ---- expiry heap ---- */

static void heap_set(lisp_nat *n, uint32_t pos, nat_timer t)
{
    n->heap[pos] = t;
    nat_map_at(n, t.idx)->heap_pos = pos;
}

static void heap_up(lisp_nat *n, uint32_t pos, nat_timer t)
{
    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;
        if (n->heap[parent].key <= t.key)
            break;
        heap_set(n, pos, n->heap[parent]);
        pos = parent;
    }
    heap_set(n, pos, t);
}

static void heap_down(lisp_nat *n, uint32_t pos, nat_timer t)
{
    for (;;) {
        uint32_t c = 2 * pos + 1;
        if (c >= n->heap_n)
            break;
        if (c + 1 < n->heap_n && n->heap[c + 1].key < n->heap[c].key)
            c++;
        if (t.key <= n->heap[c].key)
            break;
        heap_set(n, pos, n->heap[c]);
        pos = c;
    }
    heap_set(n, pos, t);
}

void nat_heap_update(lisp_nat *n, uint32_t pos, lisp_time_t key)
{
    nat_timer t = {key, n->heap[pos].idx};
    if (pos > 0 && key < n->heap[(pos - 1) / 2].key)
        heap_up(n, pos, t);
    else
        heap_down(n, pos, t);
}

static void heap_remove(lisp_nat *n, uint32_t pos)
{
    uint32_t last = --n->heap_n;
    if (pos != last) {
        n->heap[pos] = n->heap[last];
        nat_heap_update(n, pos, n->heap[pos].key);
    }
}

void nat_class_changed(lisp_nat *n, const nat_map *m)
{
    lisp_time_t d = nat_deadline(n, m);
    if (d < n->heap[m->heap_pos].key)
        nat_heap_update(n, m->heap_pos, d);
}

/* ---- creation and removal ---- */

static int proto_slot(uint8_t proto)
{
    return proto == NAT_PROTO_UDP ? 0 : proto == NAT_PROTO_TCP ? 1 : 2;
}

/* Room for one more mapping in the slab, both tables and the heap. */
static int reserve(lisp_nat *n)
{
    if (n->free_map == NAT_NONE && n->hwm == n->n_chunks * NAT_CHUNK) {
        if (n->n_chunks == n->chunks_cap) {
            uint32_t cap = n->chunks_cap ? n->chunks_cap * 2 : 4;
            nat_map **c =
                lisp_mem_realloc(&n->mem, n->chunks, n->chunks_cap * sizeof *c, cap * sizeof *c);
            if (!c)
                return LISP_ERR_NOMEM;
            n->chunks = c;
            n->chunks_cap = cap;
        }
        n->chunks[n->n_chunks] = lisp_mem_alloc(&n->mem, NAT_CHUNK * sizeof(nat_map));
        if (!n->chunks[n->n_chunks])
            return LISP_ERR_NOMEM;
        n->n_chunks++;
    }
    if (n->heap_n == n->heap_cap) {
        uint32_t cap = n->heap_cap ? n->heap_cap * 2 : 64;
        nat_timer *h = lisp_mem_realloc(&n->mem, n->heap, n->heap_cap * sizeof *h, cap * sizeof *h);
        if (!h)
            return LISP_ERR_NOMEM;
        n->heap = h;
        n->heap_cap = cap;
    }
    if (hash_reserve(&n->mem, &n->by_int) < 0 || hash_reserve(&n->mem, &n->by_ext) < 0)
        return LISP_ERR_NOMEM;
    return LISP_OK;
}

static bool port_free(const lisp_nat *n, uint8_t proto, uint32_t addr, uint32_t port)
{
    return nat_find_ext(n, proto, addr, (uint16_t)port) == NAT_NONE;
}

/* A free external port on public address p (lisp_nat_port_policy), or 0 when none. */
static uint32_t pick_port(lisp_nat *n, uint8_t proto, int p, uint16_t want)
{
    nat_ports *pp = &n->ports[p][proto_slot(proto)];
    uint32_t lo = n->port_lo, range = n->port_hi - n->port_lo + 1, addr = n->pub_addr[p];
    uint32_t start, i, port;
    int tries;

    if (pp->used >= range)
        return 0;
    if (n->cfg.port_policy == LISP_NAT_PORT_PRESERVE && want >= lo && want <= n->port_hi &&
        port_free(n, proto, addr, want))
        return want;
    if (n->cfg.port_policy == LISP_NAT_PORT_SEQUENTIAL) {
        start = pp->cursor >= n->port_hi || pp->cursor < lo ? lo : pp->cursor + 1u;
    } else { /* random, and preserve when the port is taken or out of the range */
        start = lo;
        for (tries = 0; tries < 16; tries++) {
            start = lo + (uint32_t)(((lisp_ctx_random(&n->ctx) >> 32) * range) >> 32);
            if (port_free(n, proto, addr, start))
                return start;
        }
        /* a crowded range: scan on from the last draw */
    }
    for (i = 0; i < range; i++) {
        port = lo + (start - lo + i) % range;
        if (port_free(n, proto, addr, port)) {
            pp->cursor = (uint16_t)port;
            return port;
        }
    }
    return 0;
}

uint32_t nat_create(lisp_nat *n, lisp_time_t now, uint8_t proto, uint32_t int_addr,
                    uint16_t int_port, uint32_t rem_addr, uint16_t rem_port, int *reason, int *err)
{
    uint32_t idx, port = 0, kaddr = rem_addr;
    uint16_t kport = rem_port;
    int p = 0, i, tries;
    nat_map *m;

    *reason = LISP_DROP_NONE;
    *err = LISP_OK;
    nat_expire_due(n, now); /* so that the table and the port counts are exact */
    if (n->stats.mappings >= n->cfg.max_mappings) {
        *reason = LISP_DROP_NAT_TABLE_FULL;
        return NAT_NONE;
    }
    if (reserve(n) < 0) {
        *err = LISP_ERR_NOMEM;
        return NAT_NONE;
    }
    if (n->cfg.pooling == LISP_NAT_POOL_PAIRED) {
        p = (int)(((uint64_t)mix(int_addr, 0, n->seed) * n->cfg.n_public) >> 32);
        tries = 1;
    } else {
        p = (int)(((lisp_ctx_random(&n->ctx) >> 32) * n->cfg.n_public) >> 32);
        tries = n->cfg.n_public;
    }
    for (i = 0; i < tries; i++) {
        port = pick_port(n, proto, p, int_port);
        if (port)
            break;
        p = (p + 1) % n->cfg.n_public;
    }
    if (!port) {
        *reason = LISP_DROP_NAT_PORTS_EXHAUSTED;
        return NAT_NONE;
    }

    if (n->free_map != NAT_NONE) {
        idx = n->free_map;
        n->free_map = nat_map_at(n, idx)->heap_pos;
    } else {
        idx = n->hwm++;
    }
    m = nat_map_at(n, idx);
    memset(m, 0, sizeof *m);
    m->int_addr = int_addr;
    m->int_port = int_port;
    m->ext_addr = n->pub_addr[p];
    m->ext_port = (uint16_t)port;
    m->rem_addr = rem_addr;
    m->rem_port = rem_port;
    m->proto = proto;
    m->pub = (uint8_t)p;
    m->klass = proto == NAT_PROTO_UDP   ? NAT_CLASS_UDP
               : proto == NAT_PROTO_TCP ? NAT_CLASS_TCP_TRANSITORY
                                        : NAT_CLASS_ICMP;
    m->last = now;
    m->perms = NAT_NONE;
    key_remote(n, &kaddr, &kport);
    hash_put(&n->by_int, int_hash(n, proto, int_addr, int_port, kaddr, kport), idx);
    hash_put(&n->by_ext, ext_hash(n, proto, m->ext_addr, m->ext_port), idx);
    heap_up(n, n->heap_n++, (nat_timer){nat_deadline(n, m), idx});
    n->ports[p][proto_slot(proto)].used++;
    n->stats.mappings++;
    n->stats.mappings_created++;
    return idx;
}

void nat_remove(lisp_nat *n, uint32_t idx)
{
    nat_map *m = nat_map_at(n, idx);
    uint32_t kaddr = m->rem_addr;
    uint16_t kport = m->rem_port;

    key_remote(n, &kaddr, &kport);
    perms_release(n, m, idx);
    hash_del(&n->by_int, int_hash(n, m->proto, m->int_addr, m->int_port, kaddr, kport), idx);
    hash_del(&n->by_ext, ext_hash(n, m->proto, m->ext_addr, m->ext_port), idx);
    heap_remove(n, m->heap_pos);
    n->ports[m->pub][proto_slot(m->proto)].used--;
    n->stats.mappings--;
    m->heap_pos = n->free_map;
    n->free_map = idx;
}

int nat_table_init(lisp_nat *n)
{
    if (hash_alloc(&n->mem, &n->by_int, HASH_MIN_CAP) < 0 ||
        hash_alloc(&n->mem, &n->by_ext, HASH_MIN_CAP) < 0)
        return LISP_ERR_NOMEM;
    return LISP_OK;
}

void nat_table_free(lisp_nat *n)
{
    uint32_t i;

    for (i = 0; i < n->n_chunks; i++)
        lisp_mem_free(&n->mem, n->chunks[i], NAT_CHUNK * sizeof(nat_map));
    lisp_mem_free(&n->mem, n->chunks, n->chunks_cap * sizeof *n->chunks);
    if (n->by_int.slots)
        lisp_mem_free(&n->mem, n->by_int.slots, (size_t)(n->by_int.mask + 1) * sizeof(nat_slot));
    if (n->by_ext.slots)
        lisp_mem_free(&n->mem, n->by_ext.slots, (size_t)(n->by_ext.mask + 1) * sizeof(nat_slot));
    if (n->by_perm.slots)
        lisp_mem_free(&n->mem, n->by_perm.slots, (size_t)(n->by_perm.mask + 1) * sizeof(nat_slot));
    lisp_mem_free(&n->mem, n->perms, (size_t)n->perm_cap * sizeof *n->perms);
    lisp_mem_free(&n->mem, n->heap, n->heap_cap * sizeof *n->heap);
    lisp_mem_free(&n->mem, n->frags, NAT_FRAG_SLOTS * sizeof *n->frags);
}
