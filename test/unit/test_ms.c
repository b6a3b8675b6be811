/*
 * test_ms.c - unit tests for the Map-Server engine (lisp_ms.h): registration with HMAC
 * verification and Map-Notify, merging of xTRs, expiry at exact times, proxy replies,
 * forwarding to ETRs, negative replies, malformed input. Outputs are checked by decoding
 * what the recording fake captured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_fake_io.h"
#include "lisp_ms.h"
#include "lisp_test_util.h"

#define SEC(x) ((lisp_time_t)(x)*LISP_NS_PER_SEC)
#define MSEC(x) ((lisp_time_t)(x)*LISP_NS_PER_MS)
#define MS_V4 "192.0.2.100"
#define MS_V6 "2001:db8:ffff::100"

static fake_io g_io;
static lisp_ms *g_ms;
static lisp_msg g_m, g_out, g_inner;
static uint8_t g_wire[LISP_MSG_MAX];

static const uint8_t key_a[] = {'k', 'e', 'y', '-', 'a'};
static const uint8_t key_b[] = {'s', 'i', 't', 'e', '-', 'b', '-', 's', 'h', 'a', '2', '5', '6'};
static const uint8_t key_wrong[] = {'k', 'e', 'y', '-', 'b'};

static lisp_ms_prefix_config g_pa[4], g_pb[4];
static lisp_ms_site_config g_sites[2];
static lisp_ms_config g_cfg;
static const lisp_allocator *g_alloc; /* the host's allocator for start(); NULL: libc */
static uint64_t g_nonce; /* helpers' Map-Registers get fresh nonces, as a real xTR's do */

/* ---------------------------------------------------------------------------------------- */
/* Fixture                                                                                  */
/* ---------------------------------------------------------------------------------------- */

/* Site A (key-id 1): 10.1.0.0/16 exact only, 10.2.0.0/16 with more-specifics.
 * Site B (key-id 2, proxy_reply): 2001:db8:1::/48, 2001:db8:2::/48 (more-specifics),
 * [7]192.168.0.0/16. */
static int setup(void **state)
{
    (void)state;
    g_alloc = NULL;
    g_nonce = 0;
    memset(g_pa, 0, sizeof g_pa);
    memset(g_pb, 0, sizeof g_pb);
    g_pa[0].prefix = lt_eid("10.1.0.0", 16, 0);
    g_pa[1].prefix = lt_eid("10.2.0.0", 16, 0);
    g_pa[1].accept_more_specifics = true;
    g_pb[0].prefix = lt_eid("2001:db8:1::", 48, 0);
    g_pb[1].prefix = lt_eid("2001:db8:2::", 48, 0);
    g_pb[1].accept_more_specifics = true;
    g_pb[2].prefix = lt_eid("192.168.0.0", 16, 7);

    memset(g_sites, 0, sizeof g_sites);
    g_sites[0].name = "site-a";
    g_sites[0].key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g_sites[0].key = key_a;
    g_sites[0].key_len = sizeof key_a;
    g_sites[0].prefixes = g_pa;
    g_sites[0].n_prefixes = 2;
    g_sites[1].name = "site-b";
    g_sites[1].key_id = LISP_KEY_ID_HMAC_SHA256_128;
    g_sites[1].key = key_b;
    g_sites[1].key_len = sizeof key_b;
    g_sites[1].prefixes = g_pb;
    g_sites[1].n_prefixes = 3;
    g_sites[1].proxy_reply = true;

    lisp_ms_config_default(&g_cfg);
    g_cfg.sites = g_sites;
    g_cfg.n_sites = 2;
    fake_io_init(&g_io, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lisp_ms_free(g_ms);
    g_ms = NULL;
    return 0;
}

static void start(void)
{
    fake_io_init(&g_io, 1);
    g_io.host.env.alloc = g_alloc;
    g_ms = lisp_ms_new(&g_cfg, &g_io.host, 0);
    assert_non_null(g_ms);
}

static const lisp_ms_stats *stats(void)
{
    return lisp_ms_get_stats(g_ms);
}

/* Hand a datagram to the Map-Server from `from`:port, as an exactly sized heap copy. */
static int deliver(lisp_time_t now, const char *from, uint16_t port, const uint8_t *p, size_t len)
{
    lisp_endpoint src = lt_endpoint(from, port);
    lisp_endpoint dst = lt_endpoint(src.afi == LISP_AFI_IPV4 ? MS_V4 : MS_V6, LISP_CONTROL_PORT);
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    assert_non_null(copy);
    if (len)
        memcpy(copy, p, len);
    rc = lisp_ms_handle_udp(g_ms, now, &src, &dst, copy, len);
    free(copy);
    return rc;
}

/* ---- Map-Register builder (into g_m) ---- */

static void reg_begin(uint32_t flags, uint16_t key_id, uint64_t nonce)
{
    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REGISTER;
    g_m.u.mreg.flags = flags;
    g_m.u.mreg.nonce = nonce;
    g_m.u.mreg.key_id = key_id;
    g_m.u.mreg.auth_len = lisp_auth_default_len(key_id);
    g_m.u.mreg.records = g_m.record_pool;
}

static void reg_xtr_id(uint8_t v)
{
    unsigned i;
    g_m.u.mreg.flags |= LISP_MREG_F_I;
    for (i = 0; i < LISP_XTR_ID_LEN; i++)
        g_m.u.mreg.xtr_id[i] = (uint8_t)(v + i);
    for (i = 0; i < LISP_SITE_ID_LEN; i++)
        g_m.u.mreg.site_id[i] = (uint8_t)(0xA0 + i);
}

static unsigned total_locators(void)
{
    unsigned i, n = 0;
    for (i = 0; i < g_m.u.mreg.record_count; i++)
        n += g_m.record_pool[i].loc_count;
    return n;
}

static void add_record(const char *eid, uint8_t len, uint32_t iid, uint32_t ttl)
{
    unsigned first = total_locators();
    lisp_record *r = &g_m.record_pool[g_m.u.mreg.record_count++];

    memset(r, 0, sizeof *r);
    r->ttl = ttl;
    r->authoritative = true;
    r->map_version = 0;
    r->eid.mask_len = len;
    r->eid.addr = iid ? lisp_addr_iid(iid, lt_ip(eid)) : lt_addr(eid);
    r->locators = &g_m.locator_pool[first];
}

static void add_loc(const char *rloc, uint8_t prio, uint8_t weight, uint16_t flags)
{
    lisp_record *r = &g_m.record_pool[g_m.u.mreg.record_count - 1];
    lisp_locator *l = &r->locators[r->loc_count++];

    memset(l, 0, sizeof *l);
    l->priority = prio;
    l->weight = weight;
    l->mpriority = 255;
    l->flags = flags;
    l->addr = lt_addr(rloc);
}

static int send_register(lisp_time_t now, const uint8_t *key, size_t key_len, const char *from,
                         uint16_t port)
{
    size_t len = lt_encode_signed(&g_m, key, key_len, g_wire, sizeof g_wire);
    return deliver(now, from, port, g_wire, len);
}

/* Register one prefix of site A (key-id 1) with one locator, no Map-Notify. */
static void register_a(lisp_time_t now, const char *eid, uint8_t len, const char *rloc,
                       uint32_t flags)
{
    reg_begin(flags, LISP_KEY_ID_HMAC_SHA1_96, 0x5151 + g_nonce++);
    add_record(eid, len, 0, 1440);
    add_loc(rloc, 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(now, key_a, sizeof key_a, rloc, LISP_CONTROL_PORT));
}

/* ---- Map-Request builder (into g_m) ---- */

static void req_begin(uint64_t nonce, const char *eid, uint8_t len, uint32_t iid)
{
    lisp_map_request *q = &g_m.u.mreq;

    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REQUEST;
    q->nonce = nonce;
    q->record_count = 1;
    q->records[0].mask_len = len;
    q->records[0].addr = iid ? lisp_addr_iid(iid, lt_ip(eid)) : lt_addr(eid);
}

static void req_itr(const char *rloc)
{
    g_m.u.mreq.itr_rlocs[g_m.u.mreq.itr_rloc_count++] = lt_addr(rloc);
}

static size_t encode_ecm(uint32_t flags, const char *inner_src, uint16_t sport)
{
    const char *inner_dst = lt_ip(inner_src).afi == LISP_AFI_IPV4 ? "10.99.0.1" : "2001:db8:99::1";
    return lt_encode_ecm(&g_m, flags, inner_src, inner_dst, sport, g_wire, sizeof g_wire);
}

static int send_ecm(lisp_time_t now, uint32_t flags, const char *inner_src, uint16_t sport,
                    const char *outer_src)
{
    size_t len = encode_ecm(flags, inner_src, sport);
    return deliver(now, outer_src, LISP_CONTROL_PORT, g_wire, len);
}

static int send_plain(lisp_time_t now, const char *from, uint16_t port)
{
    size_t len = 0;
    lt_assert_ok(lisp_msg_encode(&g_m, g_wire, sizeof g_wire, &len));
    return deliver(now, from, port, g_wire, len);
}

/* A negative-answer probe: ECM Map-Request for eid from ITR 198.51.100.1:55555. */
static void ask(lisp_time_t now, uint64_t nonce, const char *eid, uint32_t iid)
{
    req_begin(nonce, eid, lt_ip(eid).afi == LISP_AFI_IPV4 ? 32 : 128, iid);
    req_itr("198.51.100.1");
    lt_assert_ok(send_ecm(now, 0, "198.51.100.1", 55555, "203.0.113.1"));
}

/* ---- checks on what was sent ---- */

static const lisp_msg *sent(size_t i)
{
    assert_true(i < g_io.n_sent);
    lt_assert_ok(lisp_msg_decode(&g_out, g_io.sent[i].data, g_io.sent[i].len));
    return &g_out;
}

/* The only record of the Map-Reply sent[i], after checking nonce, destination and source. */
static const lisp_record *reply_record(size_t i, uint64_t nonce, const char *to, uint16_t port)
{
    const lisp_msg *m = sent(i);

    assert_int_equal(m->type, LISP_MAP_REPLY);
    assert_int_equal(m->u.mrep.nonce, nonce);
    assert_int_equal(m->u.mrep.flags, 0);
    assert_int_equal(m->u.mrep.record_count, 1);
    lt_assert_endpoint(&g_io.sent[i].dst, to, port);
    assert_int_equal(g_io.sent[i].src.port, LISP_CONTROL_PORT);
    return &m->u.mrep.records[0];
}

static void assert_record_eid(const lisp_record *r, const char *eid, uint8_t len, uint32_t iid)
{
    lisp_eid e;
    lt_assert_ok(lisp_mapcache_eid_from_prefix(&e, &r->eid));
    lt_assert_eid(&e, eid, len, iid);
}

static void assert_negative(const lisp_record *r, const char *eid, uint8_t len, uint32_t iid,
                            uint32_t ttl)
{
    assert_record_eid(r, eid, len, iid);
    assert_int_equal(r->ttl, ttl);
    assert_int_equal(r->action, LISP_ACT_NATIVELY_FORWARD);
    assert_true(r->authoritative);
    assert_int_equal(r->loc_count, 0);
}

static void assert_locator(const lisp_locator *l, const char *ip, uint8_t prio, uint8_t weight,
                           uint16_t flags)
{
    lisp_addr want = lt_addr(ip);
    lt_assert_addr_equal(&want, &l->addr);
    assert_int_equal(l->priority, prio);
    assert_int_equal(l->weight, weight);
    assert_int_equal(l->flags, flags);
}

static void assert_mc_loc(const lisp_mapcache_loc *l, const char *ip, uint8_t prio)
{
    lisp_endpoint e = lt_endpoint(ip, 0);
    assert_int_equal(l->afi, e.afi);
    assert_memory_equal(l->addr, e.addr, e.afi == LISP_AFI_IPV4 ? 4 : 16);
    assert_int_equal(l->priority, prio);
}

static bool registered(const char *eid, uint8_t len, uint32_t iid, lisp_ms_registration *out)
{
    lisp_ms_registration tmp;
    lisp_eid p = lt_eid(eid, len, iid);
    return lisp_ms_get_registration(g_ms, &p, out ? out : &tmp);
}

/* Check Map-Notify sent[i]: destination, source, HMAC with key (and not with another key),
 * header fields; returns the decoded message. */
static const lisp_msg *assert_notify(size_t i, uint64_t nonce, uint16_t key_id, const uint8_t *key,
                                     size_t key_len, const char *to, uint16_t port,
                                     unsigned records)
{
    const fake_packet *p = &g_io.sent[i];
    const lisp_msg *m;

    assert_true(i < g_io.n_sent);
    lt_assert_endpoint(&p->dst, to, port);
    lt_assert_endpoint(&p->src, MS_V4, LISP_CONTROL_PORT);
    lt_assert_ok(lisp_auth_verify(p->data, p->len, key, key_len, false));
    lt_assert_rc(lisp_auth_verify(p->data, p->len, key_wrong, sizeof key_wrong, false),
                 LISP_ERR_AUTH);
    m = sent(i);
    assert_int_equal(m->type, LISP_MAP_NOTIFY);
    assert_int_equal(m->u.mreg.nonce, nonce);
    assert_int_equal(m->u.mreg.key_id, key_id);
    assert_int_equal(m->u.mreg.auth_len, lisp_auth_default_len(key_id));
    assert_int_equal(m->u.mreg.record_count, records);
    return m;
}

/* The Map-Notify-Ack an xTR answers Map-Notify sent[i] with: the same message, type 5,
 * signed again with key; delivered from `from`:port. Returns what the Map-Server returned. */
static int ack_notify(lisp_time_t now, size_t i, const char *from, uint16_t port,
                      const uint8_t *key, size_t key_len)
{
    uint8_t ack[FAKE_PACKET_MAX];
    size_t len = g_io.sent[i].len;

    assert_true(i < g_io.n_sent);
    memcpy(ack, g_io.sent[i].data, len);
    assert_int_equal(ack[0] >> 4, LISP_MAP_NOTIFY);
    ack[0] = (uint8_t)((LISP_MAP_NOTIFY_ACK << 4) | (ack[0] & 0x0F));
    lt_assert_ok(lisp_auth_sign(ack, len, key, key_len));
    return deliver(now, from, port, ack, len);
}

/* ---------------------------------------------------------------------------------------- */
/* Configuration                                                                            */
/* ---------------------------------------------------------------------------------------- */

static void test_bad_configs(void **state)
{
    lisp_host no_send;
    lisp_ms *ms;

    (void)state;
    fake_io_init(&g_io, 1);
    no_send = g_io.host;
    no_send.out.send = NULL;
    assert_null(lisp_ms_new(NULL, &g_io.host, 0));
    assert_null(lisp_ms_new(&g_cfg, NULL, 0));
    assert_null(lisp_ms_new(&g_cfg, &no_send, 0));

    g_sites[0].key_id = 0;
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_sites[0].key_id = 3;
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_sites[0].key_id = LISP_KEY_ID_HMAC_SHA1_96;

    g_sites[0].key_len = LISP_MS_KEY_MAX + 1;
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_sites[0].key_len = sizeof key_a;

    g_pa[0].prefix = lt_eid("10.1.0.1", 16, 0); /* host bits set */
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_pa[0].prefix = lt_eid("10.1.0.0", 33, 0);
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_pa[0].prefix.afi = LISP_AFI_NONE;
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_pa[0].prefix = lt_eid("2001:db8:1::", 48, 0); /* also site B's */
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_pa[0].prefix = lt_eid("10.1.0.0", 16, 0);

    g_sites[1].n_prefixes = 0;
    assert_null(lisp_ms_new(&g_cfg, &g_io.host, 0));
    g_sites[1].n_prefixes = 3;

    ms = lisp_ms_new(&g_cfg, &g_io.host, 0);
    assert_non_null(ms);
    assert_int_equal(lisp_ms_prefix_count(ms), 5);
    lt_assert_eid(lisp_ms_prefix_at(ms, 0), "10.1.0.0", 16, 0);
    lt_assert_eid(lisp_ms_prefix_at(ms, 4), "192.168.0.0", 16, 7);
    assert_null(lisp_ms_prefix_at(ms, 5));
    assert_int_equal(lisp_ms_next_expiry(ms), LISP_TIME_NEVER);
    assert_int_equal(lisp_ms_registration_count(ms), 0);
    lisp_ms_free(ms);
    lisp_ms_free(NULL);
    assert_int_equal(g_io.n_sent, 0);
}

/* The configuration is copied: changing the caller's arrays afterwards changes nothing. */
static void test_config_is_copied(void **state)
{
    (void)state;
    start();
    g_pa[0].prefix = lt_eid("172.16.0.0", 12, 0);
    g_sites[0].key = key_wrong;
    g_sites[0].key_id = LISP_KEY_ID_HMAC_SHA256_128;
    register_a(SEC(1), "10.1.0.0", 16, "192.0.2.1", 0);
    assert_true(registered("10.1.0.0", 16, 0, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* Map-Register and Map-Notify                                                              */
/* ---------------------------------------------------------------------------------------- */

static void test_register_key_id_1_notify(void **state)
{
    lisp_ms_registration r;
    const lisp_msg *n;
    const lisp_trace *t;

    (void)state;
    start();
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 0x0102030405060708ull);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 50, LISP_LOC_F_L | LISP_LOC_F_R);
    add_loc("192.0.2.2", 2, 50, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(10), key_a, sizeof key_a, "192.0.2.1", 61001));

    assert_int_equal(stats()->map_registers, 1);
    assert_int_equal(stats()->records_accepted, 1);
    assert_int_equal(stats()->map_notifies_sent, 1);
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.site, 0);
    assert_int_equal(r.xtr_count, 1);
    assert_false(r.proxy_reply);
    assert_int_equal(r.ttl, 1440);
    assert_int_equal(r.expires, SEC(10) + SEC(180));
    assert_int_equal(r.loc_count, 2);
    assert_mc_loc(&r.locators[0], "192.0.2.1", 1);
    assert_mc_loc(&r.locators[1], "192.0.2.2", 2);
    assert_int_equal(lisp_ms_registration_count(g_ms), 1);

    /* The Map-Notify: to the source address and port, 20-byte HMAC-SHA-1 with the key. */
    assert_int_equal(g_io.n_sent, 1);
    n = assert_notify(0, 0x0102030405060708ull, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a,
                      "192.0.2.1", 61001, 1);
    assert_int_equal(n->u.mreg.auth_len, 20);
    assert_int_equal(n->u.mreg.flags, 0);
    lt_assert_record_equal(&g_m.record_pool[0], &n->u.mreg.records[0]);

    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REGISTER_ACCEPTED, 0), 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REGISTER_ACCEPTED, 0);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 0);
    lt_assert_endpoint(&t->peer, "192.0.2.1", 61001);
    assert_int_equal(t->nonce, 0x0102030405060708ull);
    assert_int_equal(t->count, 2);
    assert_int_equal(t->now, SEC(10));
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_NOTIFY_SENT, 0);
    assert_non_null(t);
    assert_int_equal(t->count, 1);
    lt_assert_endpoint(&t->peer, "192.0.2.1", 61001);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, 0), 0);
}

static void test_register_key_id_2_with_xtr_id(void **state)
{
    const lisp_msg *n;
    unsigned i;

    (void)state;
    start();
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA256_128, 77);
    reg_xtr_id(0x10);
    add_record("2001:db8:1::", 48, 0, 60);
    add_loc("2001:db8:ff::1", 1, 100, LISP_LOC_F_R);
    add_record("192.168.0.0", 16, 7, 60);
    add_loc("192.0.2.9", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_b, sizeof key_b, "192.0.2.9", LISP_CONTROL_PORT));

    assert_true(registered("2001:db8:1::", 48, 0, NULL));
    assert_true(registered("192.168.0.0", 16, 7, NULL));
    assert_false(registered("192.168.0.0", 16, 0, NULL));
    n = assert_notify(0, 77, LISP_KEY_ID_HMAC_SHA256_128, key_b, sizeof key_b, "192.0.2.9",
                      LISP_CONTROL_PORT, 2);
    assert_int_equal(n->u.mreg.auth_len, 32);
    assert_int_equal(n->u.mreg.flags, LISP_MNOT_F_I);
    for (i = 0; i < LISP_XTR_ID_LEN; i++)
        assert_int_equal(n->u.mreg.xtr_id[i], 0x10 + i);
    for (i = 0; i < LISP_SITE_ID_LEN; i++)
        assert_int_equal(n->u.mreg.site_id[i], 0xA0 + i);
    lt_assert_record_equal(&g_m.record_pool[0], &n->u.mreg.records[0]);
    lt_assert_record_equal(&g_m.record_pool[1], &n->u.mreg.records[1]);
}

/* No M bit: registered, nothing sent. The RFC's truncated 12-byte HMAC-SHA-1-96 is accepted. */
static void test_register_without_notify_and_short_hmac(void **state)
{
    (void)state;
    start();
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", LISP_CONTROL_PORT));
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    assert_int_equal(g_io.n_sent, 0);

    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 2);
    g_m.u.mreg.auth_len = 12;
    add_record("10.2.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(2), key_a, sizeof key_a, "192.0.2.1", LISP_CONTROL_PORT));
    assert_true(registered("10.2.0.0", 16, 0, NULL));
    /* The Map-Notify still carries the interoperable 20 bytes. */
    assert_notify(0, 2, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a, "192.0.2.1",
                  LISP_CONTROL_PORT, 1);
}

static void test_wrong_key_and_key_id_rejected(void **state)
{
    const lisp_trace *t;

    (void)state;
    start();
    /* Wrong key. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(1), key_wrong, sizeof key_wrong, "192.0.2.1", 4342));
    /* Right key, key-id of the other algorithm. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA256_128, 2);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(2), key_a, sizeof key_a, "192.0.2.1", 4342));
    /* No authentication at all. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_NONE, 3);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(3), key_a, sizeof key_a, "192.0.2.1", 4342));
    /* Site B's key for a site A prefix. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 4);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(4), key_b, sizeof key_b, "192.0.2.1", 4342));
    /* A signed message whose auth field was altered after signing. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 5);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    {
        size_t len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
        g_wire[16] ^= 1;
        lt_assert_ok(deliver(SEC(5), "192.0.2.1", 4342, g_wire, len));
    }

    assert_int_equal(stats()->common.drops[LISP_DROP_AUTH_FAILED], 5);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_AUTH_FAILED), 5);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 0);
    assert_int_equal(t->reason, LISP_DROP_AUTH_FAILED);
    assert_int_equal(t->err, 0);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 0);
    lt_assert_endpoint(&t->peer, "192.0.2.1", 4342);
    assert_int_equal(stats()->map_registers, 0);
    assert_int_equal(lisp_ms_registration_count(g_ms), 0);
    assert_int_equal(g_io.n_sent, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REGISTER_ACCEPTED, 0), 0);
}

static void test_unknown_site(void **state)
{
    const lisp_trace *t;

    (void)state;
    start();
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("172.16.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    add_record("10.1.0.0", 16, 0, 1440); /* the site is found by the first record only */
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    /* Configured prefix, other instance-ID. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 2);
    add_record("10.1.0.0", 16, 9, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(2), key_a, sizeof key_a, "192.0.2.1", 4342));

    assert_int_equal(stats()->common.drops[LISP_DROP_UNKNOWN_SITE], 2);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 0);
    assert_int_equal(t->reason, LISP_DROP_UNKNOWN_SITE);
    lt_assert_eid(&t->eid, "172.16.0.0", 16, 0);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 1);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 9);
    assert_int_equal(lisp_ms_registration_count(g_ms), 0);
    assert_int_equal(g_io.n_sent, 0);
}

/* Records outside the site are refused one by one; the others are registered and notified. */
static void test_prefix_not_allowed_and_more_specifics(void **state)
{
    const lisp_msg *n;
    const lisp_trace *t;

    (void)state;
    start();
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 9);
    add_record("10.1.0.0", 16, 0, 1440); /* exact: accepted */
    add_loc("192.0.2.1", 1, 100, 0);
    add_record("10.1.1.0", 24, 0, 1440); /* more-specific of an exact-only prefix */
    add_loc("192.0.2.1", 1, 100, 0);
    add_record("10.2.5.0", 24, 0, 1440); /* more-specific, allowed */
    add_loc("192.0.2.1", 1, 100, 0);
    add_record("10.3.0.0", 16, 0, 1440); /* no prefix of the site */
    add_loc("192.0.2.1", 1, 100, 0);
    add_record("2001:db8:1::", 48, 0, 1440); /* site B's */
    add_loc("192.0.2.1", 1, 100, 0);
    add_record("10.0.0.0", 8, 0, 1440); /* less specific than the site's */
    add_loc("192.0.2.1", 1, 100, 0);
    add_record("10.2.0.0", 16, 0, 1440); /* exact, more-specifics allowed too */
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));

    assert_int_equal(stats()->map_registers, 1);
    assert_int_equal(stats()->records_accepted, 3);
    assert_int_equal(stats()->common.drops[LISP_DROP_PREFIX_NOT_ALLOWED], 4);
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    assert_false(registered("10.1.1.0", 24, 0, NULL));
    assert_true(registered("10.2.5.0", 24, 0, NULL));
    assert_true(registered("10.2.0.0", 16, 0, NULL));
    assert_int_equal(lisp_ms_registration_count(g_ms), 3);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 0);
    assert_int_equal(t->reason, LISP_DROP_PREFIX_NOT_ALLOWED);
    lt_assert_eid(&t->eid, "10.1.1.0", 24, 0);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 2);
    lt_assert_eid(&t->eid, "2001:db8:1::", 48, 0);

    n = assert_notify(0, 9, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a, "192.0.2.1", 4342, 3);
    lt_assert_record_equal(&g_m.record_pool[0], &n->u.mreg.records[0]);
    lt_assert_record_equal(&g_m.record_pool[2], &n->u.mreg.records[1]);
    lt_assert_record_equal(&g_m.record_pool[6], &n->u.mreg.records[2]);

    /* Nothing accepted: no Map-Notify. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 10);
    add_record("10.1.2.0", 24, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    lt_assert_ok(send_register(SEC(2), key_a, sizeof key_a, "192.0.2.1", 4342));
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(stats()->common.drops[LISP_DROP_PREFIX_NOT_ALLOWED], 5);
}

/* ---------------------------------------------------------------------------------------- */
/* Merging, expiry, refresh                                                                 */
/* ---------------------------------------------------------------------------------------- */

static void register_xtr(lisp_time_t now, uint8_t xtr, const char *rloc1, uint8_t p1,
                         const char *rloc2, uint8_t p2)
{
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, xtr ? (uint64_t)xtr << 32 | ++g_nonce : 0);
    if (xtr)
        reg_xtr_id(xtr);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc(rloc1, p1, 100, LISP_LOC_F_R);
    if (rloc2)
        add_loc(rloc2, p2, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(now, key_a, sizeof key_a, rloc1, 4342));
}

static void test_two_xtr_ids_merged_one_expires(void **state)
{
    lisp_ms_registration r;
    const lisp_trace *t;

    (void)state;
    start();
    register_xtr(SEC(0), 1, "192.0.2.1", 1, NULL, 0);
    register_xtr(SEC(60), 2, "192.0.2.2", 2, "192.0.2.1", 3); /* shares 192.0.2.1 */

    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 2);
    assert_int_equal(r.loc_count, 2); /* 192.0.2.1 once, with xTR 1's priority */
    assert_mc_loc(&r.locators[0], "192.0.2.1", 1);
    assert_mc_loc(&r.locators[1], "192.0.2.2", 2);
    assert_int_equal(r.expires, SEC(180));
    assert_int_equal(r.expires_last, SEC(240));
    /* xTR 1's merged set changed: it is sent a Map-Notify, due again in 1 s until acked. */
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(61));
    lt_assert_ok(ack_notify(SEC(60), g_io.n_sent - 1, "192.0.2.1", 4342, key_a, sizeof key_a));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(180));

    lisp_ms_handle_expiry(g_ms, SEC(180) - 1);
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 2);
    assert_int_equal(stats()->xtrs_expired, 0);

    /* xTR 1 expires: the set shrinks to xTR 2's, in its order and priorities. */
    lisp_ms_handle_expiry(g_ms, SEC(180));
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 1);
    assert_int_equal(r.loc_count, 2);
    assert_mc_loc(&r.locators[0], "192.0.2.2", 2);
    assert_mc_loc(&r.locators[1], "192.0.2.1", 3);
    assert_int_equal(stats()->xtrs_expired, 1);
    assert_int_equal(stats()->registrations_expired, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_REGISTRATION_EXPIRED, 0), 0);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(181)); /* xTR 2 is notified in turn */
    lt_assert_ok(ack_notify(SEC(180), g_io.n_sent - 1, "192.0.2.2", 4342, key_a, sizeof key_a));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(240));

    lisp_ms_handle_expiry(g_ms, MSEC(239999));
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    lisp_ms_handle_expiry(g_ms, SEC(240));
    assert_false(registered("10.1.0.0", 16, 0, NULL));
    assert_int_equal(stats()->xtrs_expired, 2);
    assert_int_equal(stats()->registrations_expired, 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_REGISTRATION_EXPIRED, 0), 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_REGISTRATION_EXPIRED, 0);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 0);
    assert_int_equal(t->now, SEC(240));
    assert_int_equal(lisp_ms_next_expiry(g_ms), LISP_TIME_NEVER);
    assert_int_equal(lisp_ms_registration_count(g_ms), 0);
}

/* The same xTR-ID replaces its contribution; without xTR-ID the source RLOC is the key. */
static void test_same_xtr_replaces_and_source_rloc_key(void **state)
{
    lisp_ms_registration r;

    (void)state;
    start();
    register_xtr(SEC(0), 1, "192.0.2.1", 1, "192.0.2.5", 1);
    register_xtr(SEC(10), 1, "192.0.2.9", 1, NULL, 0);
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 1);
    assert_int_equal(r.loc_count, 1);
    assert_mc_loc(&r.locators[0], "192.0.2.9", 1);
    assert_int_equal(r.expires, SEC(190));

    /* Two xTRs without xTR-ID, told apart by source address (not port). */
    register_xtr(SEC(20), 0, "192.0.2.21", 1, NULL, 0);
    register_xtr(SEC(30), 0, "192.0.2.22", 2, NULL, 0);
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 3);
    assert_int_equal(r.loc_count, 3);
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 99);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.23", 1, 100, 0);
    lt_assert_ok(send_register(SEC(40), key_a, sizeof key_a, "192.0.2.21", 5555));
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 3);
    assert_mc_loc(&r.locators[0], "192.0.2.9", 1);
    assert_mc_loc(&r.locators[1], "192.0.2.23", 1);
    assert_mc_loc(&r.locators[2], "192.0.2.22", 2);

    /* The xTR-ID one expires first (registered at 10 s). */
    lisp_ms_handle_expiry(g_ms, SEC(190));
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 2);
    assert_mc_loc(&r.locators[0], "192.0.2.23", 1);
}

/* Expiry at exactly registration time + TTL, not a nanosecond before. */
static void test_expiry_exact_time(void **state)
{
    (void)state;
    g_cfg.registration_ttl = SEC(30);
    start();
    register_a(MSEC(1500), "10.1.0.0", 16, "192.0.2.1", LISP_MREG_F_P);
    assert_int_equal(lisp_ms_next_expiry(g_ms), MSEC(31500));

    lisp_ms_handle_expiry(g_ms, MSEC(31500) - 1);
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_REGISTRATION_EXPIRED, 0), 0);

    /* A Map-Request just before the expiry still gets the proxy reply... */
    ask(MSEC(31500) - 1, 1, "10.1.2.3", 0);
    assert_int_equal(reply_record(0, 1, "198.51.100.1", 55555)->loc_count, 1);
    /* ...and one arriving at the expiry time, before the host's timer fired, does not. */
    ask(MSEC(31500), 2, "10.1.2.3", 0);
    assert_negative(reply_record(1, 2, "198.51.100.1", 55555), "10.1.0.0", 16, 0, 1);
    assert_false(registered("10.1.0.0", 16, 0, NULL));
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_REGISTRATION_EXPIRED, 0), 1);
    assert_int_equal(fake_io_find_trace(&g_io, LISP_TRACE_REGISTRATION_EXPIRED, 0)->now,
                     MSEC(31500));
    assert_int_equal(lisp_ms_next_expiry(g_ms), LISP_TIME_NEVER);
    lisp_ms_handle_expiry(g_ms, SEC(1000)); /* nothing left: harmless */
}

static void test_refresh_extends(void **state)
{
    (void)state;
    start();
    register_a(SEC(0), "10.1.0.0", 16, "192.0.2.1", 0);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(180));
    register_a(SEC(100), "10.1.0.0", 16, "192.0.2.1", 0);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(280));
    lisp_ms_handle_expiry(g_ms, SEC(180));
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    lisp_ms_handle_expiry(g_ms, MSEC(279999));
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    lisp_ms_handle_expiry(g_ms, SEC(280));
    assert_false(registered("10.1.0.0", 16, 0, NULL));
    assert_int_equal(stats()->records_accepted, 2);
    assert_int_equal(stats()->registrations_expired, 1);
}

static void test_next_expiry(void **state)
{
    (void)state;
    start();
    assert_int_equal(lisp_ms_next_expiry(g_ms), LISP_TIME_NEVER);
    register_a(SEC(5), "10.1.0.0", 16, "192.0.2.1", 0);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(185));
    register_a(SEC(10), "10.2.0.0", 16, "192.0.2.1", 0);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(185));
    lisp_ms_handle_expiry(g_ms, SEC(185));
    assert_false(registered("10.1.0.0", 16, 0, NULL));
    assert_true(registered("10.2.0.0", 16, 0, NULL));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(190));
    /* Refreshing the later one does not move the earlier deadline backwards. */
    register_a(SEC(20), "10.1.0.0", 16, "192.0.2.1", 0);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(190));
    lisp_ms_handle_expiry(g_ms, SEC(190));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(200));
    lisp_ms_handle_expiry(g_ms, SEC(200));
    assert_int_equal(lisp_ms_next_expiry(g_ms), LISP_TIME_NEVER);
    assert_int_equal(stats()->registrations_expired, 3);
}

static void test_too_many_xtrs(void **state)
{
    lisp_ms_registration r;
    unsigned i;

    (void)state;
    start();
    for (i = 0; i < LISP_MS_MAX_XTRS + 1; i++) {
        char rloc[32];
        snprintf(rloc, sizeof rloc, "192.0.%u.%u", 2 + i / 200, 1 + i % 200);
        fake_io_clear(&g_io); /* each new xTR's locator is notified to all earlier ones */
        reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, i);
        add_record("10.1.0.0", 16, 0, 1440);
        add_loc(rloc, 1, 1, 0);
        lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, rloc, 4342));
    }
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, LISP_MS_MAX_XTRS);
    assert_int_equal(r.loc_count, LISP_MS_MAX_XTRS);
    assert_int_equal(stats()->common.drops[LISP_DROP_TOO_BIG], 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Unsolicited Map-Notify: state machine, retransmission, Map-Notify-Ack                     */
/* ---------------------------------------------------------------------------------------- */

/* The k-th STATE_CHANGE trace, checked. */
static void assert_state_change(size_t k, const char *from, const char *to, const char *event,
                                const char *peer, lisp_time_t now)
{
    const lisp_trace *t = fake_io_find_trace(&g_io, LISP_TRACE_STATE_CHANGE, k);

    assert_non_null(t);
    assert_string_equal(t->u.state.machine, "map-notify");
    assert_string_equal(t->u.state.from, from);
    assert_string_equal(t->u.state.to, to);
    assert_string_equal(t->u.state.event, event);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 0);
    assert_int_equal(t->peer.afi, LISP_AFI_IPV4);
    assert_memory_equal(t->peer.addr, lt_endpoint(peer, 0).addr, 4);
    assert_int_equal(t->now, now);
}

/* xTR 1 (xTR-ID 1, from 192.0.2.1:61001) at 0 s, then xTR 2 (xTR-ID 2) at 10 s: xTR 1 is sent
 * a Map-Notify with the merged set. Returns its nonce. */
static uint64_t two_xtrs_notify(void)
{
    const lisp_msg *n;
    unsigned i;

    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0x1001);
    reg_xtr_id(1);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(0), key_a, sizeof key_a, "192.0.2.1", 61001));
    assert_int_equal(g_io.n_sent, 0); /* a new prefix: nobody else to tell */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0x2001);
    reg_xtr_id(2);
    add_record("10.1.0.0", 16, 0, 60);
    add_loc("192.0.2.2", 2, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(10), key_a, sizeof key_a, "192.0.2.2", 4342));

    assert_int_equal(g_io.n_sent, 1);
    n = assert_notify(0, sent(0)->u.mreg.nonce, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a,
                      "192.0.2.1", 61001, 1);
    assert_true(n->u.mreg.nonce != 0);
    assert_true(n->u.mreg.nonce != 0x1001 && n->u.mreg.nonce != 0x2001);
    assert_int_equal(n->u.mreg.flags, LISP_MNOT_F_I); /* xTR 1 registered with its xTR-ID */
    for (i = 0; i < LISP_XTR_ID_LEN; i++)
        assert_int_equal(n->u.mreg.xtr_id[i], 1 + i);
    for (i = 0; i < LISP_SITE_ID_LEN; i++)
        assert_int_equal(n->u.mreg.site_id[i], 0xA0 + i);
    assert_record_eid(&n->u.mreg.records[0], "10.1.0.0", 16, 0);
    assert_int_equal(n->u.mreg.records[0].ttl, 60); /* the registration's: smallest TTL */
    assert_true(n->u.mreg.records[0].authoritative);
    assert_int_equal(n->u.mreg.records[0].loc_count, 2); /* the merged set */
    assert_locator(&n->u.mreg.records[0].locators[0], "192.0.2.1", 1, 100, LISP_LOC_F_R);
    assert_locator(&n->u.mreg.records[0].locators[1], "192.0.2.2", 2, 100, LISP_LOC_F_R);
    return n->u.mreg.nonce;
}

static void test_notify_retransmit_and_give_up(void **state)
{
    lisp_ms_registration r;
    uint64_t nonce, nonce2;
    const lisp_trace *t;
    size_t k;

    (void)state;
    start();
    nonce = two_xtrs_notify();
    assert_int_equal(stats()->map_notifies_unsolicited, 1);
    assert_int_equal(stats()->map_notifies_sent, 1);
    assert_int_equal(stats()->notify_waiting, 1);
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.notify_waiting, 1);
    assert_int_equal(r.notify_given_up, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_STATE_CHANGE, 0), 1);
    assert_state_change(0, "idle", "wait-ack", "changed", "192.0.2.1", SEC(10));
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_NOTIFY_SENT, 0);
    assert_int_equal(t->nonce, nonce);
    lt_assert_endpoint(&t->peer, "192.0.2.1", 61001);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 0);

    /* 1 s, then doubling: retransmitted at 11, 13 and 17 s, with the same nonce. */
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(11));
    lisp_ms_handle_expiry(g_ms, SEC(11) - 1);
    assert_int_equal(g_io.n_sent, 1);
    lisp_ms_handle_expiry(g_ms, SEC(11));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(13));
    lisp_ms_handle_expiry(g_ms, SEC(13));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(17));
    lisp_ms_handle_expiry(g_ms, SEC(17));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(25));
    assert_int_equal(g_io.n_sent, 4);
    for (k = 1; k < 4; k++)
        assert_notify(k, nonce, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a, "192.0.2.1", 61001,
                      1);
    assert_int_equal(stats()->map_notify_retransmits, 3);
    assert_int_equal(stats()->map_notifies_sent, 4);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_STATE_CHANGE, 0), 1);

    /* After the third retransmission's 8 s: given up, visible in stats and the view. */
    lisp_ms_handle_expiry(g_ms, SEC(25) - 1);
    assert_int_equal(stats()->map_notify_give_ups, 0);
    lisp_ms_handle_expiry(g_ms, SEC(25));
    assert_int_equal(g_io.n_sent, 4);
    assert_int_equal(stats()->map_notify_give_ups, 1);
    assert_int_equal(stats()->notify_waiting, 0);
    assert_int_equal(stats()->notify_given_up, 1);
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.notify_waiting, 0);
    assert_int_equal(r.notify_given_up, 1);
    assert_state_change(1, "wait-ack", "gave-up", "timeout", "192.0.2.1", SEC(25));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(180)); /* xTR 1's registration */

    /* A late Ack finds nothing outstanding. */
    lt_assert_ok(ack_notify(SEC(26), 3, "192.0.2.1", 61001, key_a, sizeof key_a));
    assert_int_equal(stats()->common.drops[LISP_DROP_UNSOLICITED], 1);
    assert_int_equal(stats()->map_notify_acks, 0);

    /* xTR 2 changes its locators: xTR 1 is notified again, with a new nonce. */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0x2002);
    reg_xtr_id(2);
    add_record("10.1.0.0", 16, 0, 60);
    add_loc("192.0.2.3", 2, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(30), key_a, sizeof key_a, "192.0.2.2", 4342));
    assert_int_equal(g_io.n_sent, 5);
    nonce2 = sent(4)->u.mreg.nonce;
    assert_true(nonce2 != nonce && nonce2 != 0);
    assert_locator(&sent(4)->u.mreg.records[0].locators[1], "192.0.2.3", 2, 100, LISP_LOC_F_R);
    assert_state_change(2, "gave-up", "wait-ack", "changed", "192.0.2.1", SEC(30));
    assert_int_equal(stats()->notify_given_up, 0);
    assert_int_equal(stats()->notify_waiting, 1);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(31));
    assert_int_equal(stats()->map_notifies_unsolicited, 2);
}

static void test_notify_ack(void **state)
{
    uint8_t ack[FAKE_PACKET_MAX];
    uint64_t nonce;
    size_t len;
    const lisp_trace *t;

    (void)state;
    start();
    nonce = two_xtrs_notify();

    /* Signed with another key, or with the other key-id: refused, still waiting. */
    lt_assert_ok(ack_notify(SEC(10), 0, "192.0.2.1", 61001, key_wrong, sizeof key_wrong));
    assert_int_equal(stats()->common.drops[LISP_DROP_AUTH_FAILED], 1);
    /* Another nonce: nothing outstanding has it. */
    len = g_io.sent[0].len;
    memcpy(ack, g_io.sent[0].data, len);
    ack[0] = (uint8_t)((LISP_MAP_NOTIFY_ACK << 4) | (ack[0] & 0x0F));
    ack[11] ^= 1; /* the nonce's last byte */
    lt_assert_ok(lisp_auth_sign(ack, len, key_a, sizeof key_a));
    lt_assert_ok(deliver(SEC(10), "192.0.2.1", 61001, ack, len));
    assert_int_equal(stats()->common.drops[LISP_DROP_UNSOLICITED], 1);
    /* The right nonce and key, but another xTR-ID. */
    memcpy(ack, g_io.sent[0].data, len);
    ack[0] = (uint8_t)((LISP_MAP_NOTIFY_ACK << 4) | (ack[0] & 0x0F));
    ack[len - LISP_XTR_ID_LEN - LISP_SITE_ID_LEN] ^= 0xFF;
    lt_assert_ok(lisp_auth_sign(ack, len, key_a, sizeof key_a));
    lt_assert_ok(deliver(SEC(10), "192.0.2.1", 61001, ack, len));
    assert_int_equal(stats()->common.drops[LISP_DROP_UNSOLICITED], 2);
    /* Not a whole message. */
    assert_true(deliver(SEC(10), "192.0.2.1", 61001, ack, 10) < 0);
    assert_int_equal(stats()->common.drops[LISP_DROP_MALFORMED], 1);
    assert_int_equal(stats()->map_notify_acks, 0);
    assert_int_equal(stats()->notify_waiting, 1);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(11));

    /* The xTR's Ack (from any address: the xTR-ID names it). */
    lt_assert_ok(ack_notify(MSEC(10500), 0, "192.0.2.99", 5000, key_a, sizeof key_a));
    assert_int_equal(stats()->map_notify_acks, 1);
    assert_int_equal(stats()->notify_waiting, 0);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_NOTIFY_ACK_RECEIVED, 0);
    assert_non_null(t);
    assert_int_equal(t->nonce, nonce);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 0);
    lt_assert_endpoint(&t->peer, "192.0.2.99", 5000);
    assert_state_change(1, "wait-ack", "idle", "ack", "192.0.2.1", MSEC(10500));
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(180));
    lisp_ms_handle_expiry(g_ms, SEC(100));
    assert_int_equal(g_io.n_sent, 1); /* no retransmission */
    /* The same Ack again: nothing outstanding. */
    lt_assert_ok(ack_notify(SEC(101), 0, "192.0.2.1", 61001, key_a, sizeof key_a));
    assert_int_equal(stats()->common.drops[LISP_DROP_UNSOLICITED], 3);
    assert_int_equal(stats()->map_notify_acks, 1);
}

/* xTRs without xTR-ID: the Map-Notify has no I bit and its Ack must come from the address
 * the xTR registered from; a refresh with the same set sends nothing; an xTR that expires
 * while waiting stops its machine, and the others are told. */
static void test_notify_by_address_refresh_and_expiry(void **state)
{
    lisp_ms_registration r;

    (void)state;
    start();
    register_xtr(SEC(0), 0, "192.0.2.21", 1, NULL, 0);
    register_xtr(SEC(20), 0, "192.0.2.22", 2, NULL, 0);
    assert_int_equal(g_io.n_sent, 1);
    assert_notify(0, sent(0)->u.mreg.nonce, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a,
                  "192.0.2.21", 4342, 1);
    assert_int_equal(sent(0)->u.mreg.flags, 0);
    /* From another address: not the xTR's Ack. */
    lt_assert_ok(ack_notify(SEC(20), 0, "192.0.2.22", 4342, key_a, sizeof key_a));
    assert_int_equal(stats()->common.drops[LISP_DROP_UNSOLICITED], 1);
    /* From its address, another port: its Ack. */
    lt_assert_ok(ack_notify(SEC(20), 0, "192.0.2.21", 9999, key_a, sizeof key_a));
    assert_int_equal(stats()->map_notify_acks, 1);

    /* Refreshes that leave the merged set as it is send nothing. */
    register_xtr(SEC(30), 0, "192.0.2.22", 2, NULL, 0);
    register_xtr(SEC(40), 0, "192.0.2.21", 1, NULL, 0);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(stats()->map_notifies_unsolicited, 1);

    /* A weight change is a change. */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.22", 2, 99, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(50), key_a, sizeof key_a, "192.0.2.22", 4342));
    assert_int_equal(stats()->map_notifies_unsolicited, 2);
    lt_assert_ok(ack_notify(SEC(50), g_io.n_sent - 1, "192.0.2.21", 4342, key_a, sizeof key_a));
    fake_io_clear(&g_io);
    register_xtr(SEC(60), 0, "192.0.2.22", 2, NULL, 0); /* and back */
    assert_int_equal(stats()->map_notifies_unsolicited, 3);
    lt_assert_ok(ack_notify(SEC(60), 0, "192.0.2.21", 4342, key_a, sizeof key_a));
    fake_io_clear(&g_io);

    /* A priority change is a change: 192.0.2.21 is told; then .21 expires while waiting. */
    register_xtr(SEC(100), 0, "192.0.2.22", 3, NULL, 0);
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "192.0.2.21", 4342);
    assert_int_equal(sent(0)->u.mreg.records[0].locators[1].priority, 3);
    lisp_ms_handle_expiry(g_ms, SEC(101));
    lisp_ms_handle_expiry(g_ms, SEC(103));
    lisp_ms_handle_expiry(g_ms, SEC(107));
    assert_int_equal(g_io.n_sent, 4);
    lisp_ms_handle_expiry(g_ms, SEC(220)); /* .21 (registered at 40 s) expires */
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 1);
    /* .21's machine stopped; .22 learns the shrunken set. */
    assert_int_equal(stats()->notify_waiting, 1);
    assert_int_equal(r.notify_waiting, 1);
    assert_int_equal(g_io.n_sent, 5);
    lt_assert_endpoint(&g_io.sent[4].dst, "192.0.2.22", 4342);
    assert_int_equal(sent(4)->u.mreg.records[0].loc_count, 1);
    assert_true(fake_io_count_traces(&g_io, LISP_TRACE_STATE_CHANGE, 0) >= 4);
    {
        const lisp_trace *t = NULL;
        size_t k, n = fake_io_count_traces(&g_io, LISP_TRACE_STATE_CHANGE, 0);
        for (k = 0; k < n; k++) {
            t = fake_io_find_trace(&g_io, LISP_TRACE_STATE_CHANGE, k);
            if (strcmp(t->u.state.event, "removed") == 0)
                break;
        }
        assert_true(k < n);
        assert_string_equal(t->u.state.from, "gave-up");
        assert_string_equal(t->u.state.to, "idle");
        lt_assert_endpoint(&t->peer, "192.0.2.21", 4342);
    }
    /* The last one expires: no Map-Notify machine is left, no timer but none. */
    lisp_ms_handle_expiry(g_ms, SEC(280));
    assert_false(registered("10.1.0.0", 16, 0, NULL));
    assert_int_equal(stats()->notify_waiting, 0);
    assert_int_equal(stats()->notify_given_up, 0);
    assert_int_equal(lisp_ms_next_expiry(g_ms), LISP_TIME_NEVER);
}

/* The retransmission interval and count come from the configuration. */
static void test_notify_configurable(void **state)
{
    (void)state;
    g_cfg.notify_timeout = MSEC(250);
    g_cfg.notify_retries = 1;
    start();
    two_xtrs_notify();
    assert_int_equal(lisp_ms_next_expiry(g_ms), MSEC(10250));
    lisp_ms_handle_expiry(g_ms, MSEC(10250));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(lisp_ms_next_expiry(g_ms), MSEC(10750));
    lisp_ms_handle_expiry(g_ms, MSEC(10750));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(stats()->map_notify_give_ups, 1);

    /* Zero retransmissions: sent once, given up after one interval. */
    lisp_ms_free(g_ms);
    g_cfg.notify_timeout = 0; /* the default, 1 s */
    g_cfg.notify_retries = 0;
    start();
    two_xtrs_notify();
    lisp_ms_handle_expiry(g_ms, SEC(11));
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(stats()->map_notify_give_ups, 1);
}

/* The host could not send: counted, and the machine carries on. */
static void test_notify_send_failure(void **state)
{
    (void)state;
    start();
    two_xtrs_notify();
    g_io.send_result = LISP_ERR_INVALID_ARG;
    lisp_ms_handle_expiry(g_ms, SEC(11));
    assert_int_equal(stats()->common.send_failed, 1);
    assert_int_equal(stats()->map_notifies_sent, 1);
    assert_int_equal(lisp_ms_next_expiry(g_ms), SEC(13));
    g_io.send_result = LISP_OK;
    lisp_ms_handle_expiry(g_ms, SEC(13));
    assert_int_equal(g_io.n_sent, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* Replay protection                                                                        */
/* ---------------------------------------------------------------------------------------- */

static void test_replayed_register_refused(void **state)
{
    uint8_t old[512], first[512];
    size_t old_len, first_len;
    lisp_ms_registration r;
    int i;

    (void)state;
    start();
    /* xTR (no xTR-ID) registers locator .1 (nonce A), then .9 (nonce B). */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 0xA);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    first_len = old_len = lt_encode_signed(&g_m, key_a, sizeof key_a, old, sizeof old);
    memcpy(first, old, first_len);
    lt_assert_ok(deliver(SEC(0), "192.0.2.1", 4342, old, old_len));
    /* The same bytes again, a moment later: refused, no Map-Notify. */
    lt_assert_ok(deliver(SEC(1), "192.0.2.1", 4342, old, old_len));
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 1);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(stats()->records_accepted, 1);

    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 0xB);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.9", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(60), key_a, sizeof key_a, "192.0.2.1", 4342));
    /* The older one replayed: the registration does not roll back. */
    lt_assert_ok(deliver(SEC(61), "192.0.2.1", 4342, old, old_len));
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 2);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_REPLAYED), 2);
    lt_assert_eid(&fake_io_find_trace(&g_io, LISP_TRACE_DROP, 1)->eid, "10.1.0.0", 16, 0);
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_mc_loc(&r.locators[0], "192.0.2.9", 1);
    assert_int_equal(r.expires, SEC(240));
    assert_int_equal(g_io.n_sent, 2);

    /* The same nonce from another xTR is that xTR's own business. */
    lt_assert_ok(deliver(SEC(62), "192.0.2.2", 4342, old, old_len));
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.xtr_count, 2);

    /* Memory is bounded: the xTR's last MS_NONCE_HISTORY (8) nonces are remembered; an
     * older one is forgotten, and within its TTL only a map-version would stop it
     * (docs/design.md). A, B and six more: A is the 8th back. */
    for (i = 0; i < 6; i++) {
        reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0x100 + (uint64_t)i);
        add_record("10.1.0.0", 16, 0, 1440);
        add_loc("192.0.2.9", 1, 100, LISP_LOC_F_R);
        lt_assert_ok(send_register(SEC(63), key_a, sizeof key_a, "192.0.2.1", 4342));
    }
    lt_assert_ok(deliver(SEC(64), "192.0.2.1", 4342, first, first_len));
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 3); /* 8th back: remembered */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0x200);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.9", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(65), key_a, sizeof key_a, "192.0.2.1", 4342));
    lt_assert_ok(deliver(SEC(66), "192.0.2.1", 4342, first, first_len));
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 3); /* 9th back: forgotten */
}

/* Nonces are remembered for the registration TTL only: the xTR registered at 0 s with TTL
 * 180 s; a replay at 150 s (after a refresh) is refused. */
static void test_nonce_remembered_for_registration_ttl(void **state)
{
    uint8_t old[512];
    size_t len;

    (void)state;
    g_cfg.registration_ttl = SEC(100);
    start();
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0xA);
    reg_xtr_id(4);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, old, sizeof old);
    lt_assert_ok(deliver(SEC(0), "192.0.2.1", 4342, old, len));
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0xB);
    reg_xtr_id(4);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(90), key_a, sizeof key_a, "192.0.2.1", 4342));
    lt_assert_ok(deliver(SEC(100) - 1, "192.0.2.1", 4342, old, len));
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 1);
    /* At 100 s the first Map-Register's lifetime is over: its nonce is accepted again. */
    lt_assert_ok(deliver(SEC(100), "192.0.2.1", 4342, old, len));
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 1);
    assert_int_equal(stats()->records_accepted, 3);
}

/* Map-versions order one xTR's Map-Registers (RFC 9302 serial arithmetic on 12 bits). */
static void register_version(lisp_time_t now, uint16_t version, const char *rloc)
{
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0x7000 + ++g_nonce);
    reg_xtr_id(7);
    add_record("10.1.0.0", 16, 0, 1440);
    g_m.record_pool[0].map_version = version;
    add_loc(rloc, 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(now, key_a, sizeof key_a, "192.0.2.1", 4342));
}

static void expect_version(uint16_t version, const char *rloc)
{
    lisp_ms_registration r;
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.map_version, version);
    assert_mc_loc(&r.locators[0], rloc, 1);
}

static void test_map_version_ordering(void **state)
{
    (void)state;
    start();
    register_version(SEC(1), 5, "192.0.2.5");
    register_version(SEC(2), 4, "192.0.2.4"); /* older */
    expect_version(5, "192.0.2.5");
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 1);
    register_version(SEC(3), 0, "192.0.2.40"); /* unversioned after versioned */
    expect_version(5, "192.0.2.5");
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 2);
    register_version(SEC(4), 5, "192.0.2.5"); /* the same version: a refresh */
    register_version(SEC(5), 6, "192.0.2.6");
    expect_version(6, "192.0.2.6");
    register_version(SEC(6), 6 + 2048, "192.0.2.7"); /* half the space away: not newer */
    expect_version(6, "192.0.2.6");
    register_version(SEC(7), 6 + 2047, "192.0.2.8"); /* newest of the half */
    expect_version(2053, "192.0.2.8");
    register_version(SEC(8), 4095, "192.0.2.9");
    register_version(SEC(9), 1, "192.0.2.10"); /* wrapped: 1 follows 4095 */
    expect_version(1, "192.0.2.10");
    register_version(SEC(10), 4095, "192.0.2.9");
    expect_version(1, "192.0.2.10");
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 4);
    assert_int_equal(stats()->records_accepted, 6);
}

/* lig and RFC 9301 xTRs without the M bit send nonce 0: accepted (counted) unless the
 * configuration refuses them; the nonce check does not apply to them. */
static void test_zero_nonce(void **state)
{
    (void)state;
    start();
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 0);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    lt_assert_ok(send_register(SEC(2), key_a, sizeof key_a, "192.0.2.1", 4342));
    assert_int_equal(stats()->records_accepted, 2);
    assert_int_equal(stats()->map_registers_zero_nonce, 2);
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 0);

    lisp_ms_free(g_ms);
    g_cfg.reject_zero_nonce = true;
    start();
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    assert_false(registered("10.1.0.0", 16, 0, NULL));
    assert_int_equal(stats()->map_registers_zero_nonce, 1);
    assert_int_equal(stats()->common.drops[LISP_DROP_REPLAYED], 1);
    g_m.u.mreg.nonce = 1;
    lt_assert_ok(send_register(SEC(2), key_a, sizeof key_a, "192.0.2.1", 4342));
    assert_true(registered("10.1.0.0", 16, 0, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* Site authorization                                                                       */
/* ---------------------------------------------------------------------------------------- */

/* Site A: 10.0.0.0/8 with more-specifics (key-id 1). Site B: 10.64.0.0/10 (key-id 2). */
static void start_nested_sites(void)
{
    memset(g_pa, 0, sizeof g_pa);
    memset(g_pb, 0, sizeof g_pb);
    g_pa[0].prefix = lt_eid("10.0.0.0", 8, 0);
    g_pa[0].accept_more_specifics = true;
    g_pb[0].prefix = lt_eid("10.64.0.0", 10, 0);
    g_sites[0].n_prefixes = 1;
    g_sites[1].n_prefixes = 1;
    g_sites[1].proxy_reply = false;
    start();
}

static void test_site_registers_only_its_prefixes(void **state)
{
    lisp_ms_registration r;
    const lisp_trace *t;

    (void)state;
    start_nested_sites();
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 1440); /* site A's */
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    add_record("10.64.0.0", 10, 0, 1440); /* site B's own prefix */
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    add_record("10.64.1.0", 24, 0, 1440); /* inside site B's */
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    add_record("10.0.0.0", 9, 0, 1440); /* site A's, covers site B's: allowed */
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    assert_false(registered("10.64.0.0", 10, 0, NULL));
    assert_false(registered("10.64.1.0", 24, 0, NULL));
    assert_true(registered("10.0.0.0", 9, 0, NULL));
    assert_int_equal(stats()->common.drops[LISP_DROP_PREFIX_NOT_ALLOWED], 2);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 0);
    lt_assert_eid(&t->eid, "10.64.0.0", 10, 0);
    assert_notify(0, 1, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a, "192.0.2.1", 4342, 2);

    /* Site B registers its prefix: only its own locator, nothing of site A merged in. */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA256_128, 2);
    add_record("10.64.0.0", 10, 0, 1440);
    add_loc("192.0.2.77", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(2), key_b, sizeof key_b, "192.0.2.77", 4342));
    assert_true(registered("10.64.0.0", 10, 0, &r));
    assert_int_equal(r.site, 1);
    assert_int_equal(r.xtr_count, 1);
    assert_int_equal(r.loc_count, 1);
    assert_mc_loc(&r.locators[0], "192.0.2.77", 1);

    /* Site B does not accept more-specifics of its prefix. */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA256_128, 3);
    add_record("10.64.2.0", 24, 0, 1440);
    add_loc("192.0.2.77", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(3), key_b, sizeof key_b, "192.0.2.77", 4342));
    assert_false(registered("10.64.2.0", 24, 0, NULL));
    assert_int_equal(stats()->common.drops[LISP_DROP_PREFIX_NOT_ALLOWED], 3);
    /* Site B's key for a first record that is site A's (10.0.0.0/9 covers B's /10). */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA256_128, 4);
    add_record("10.0.0.0", 9, 0, 1440);
    add_loc("192.0.2.77", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(4), key_b, sizeof key_b, "192.0.2.77", 4342));
    assert_int_equal(stats()->common.drops[LISP_DROP_AUTH_FAILED], 1);
}

/* A record registered with TTL 0 is answered with the documented default, not TTL 0. */
static void test_record_ttl_zero_default(void **state)
{
    lisp_ms_registration r;

    (void)state;
    start();
    reg_begin(LISP_MREG_F_P, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 0);
    add_loc("192.0.2.1", 1, 50, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    assert_true(registered("10.1.0.0", 16, 0, &r));
    assert_int_equal(r.ttl, 1440);
    ask(SEC(2), 1, "10.1.2.3", 0);
    assert_int_equal(reply_record(0, 1, "198.51.100.1", 55555)->ttl, 1440);
}

/* ---------------------------------------------------------------------------------------- */
/* Map-Requests: proxy reply, forwarding                                                    */
/* ---------------------------------------------------------------------------------------- */

static void register_proxy_a(void)
{
    reg_begin(LISP_MREG_F_P, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 10);
    add_loc("192.0.2.1", 1, 50, LISP_LOC_F_L | LISP_LOC_F_R);
    add_loc("192.0.2.2", 2, 50, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
}

static void test_proxy_reply(void **state)
{
    const lisp_record *rec;
    const lisp_trace *t;

    (void)state;
    start();
    register_proxy_a();

    /* ECM from an IPv4 ITR: the first IPv4 ITR-RLOC, at the inner source port. */
    req_begin(0xABCDEF, "10.1.7.7", 32, 0);
    req_itr("2001:db8:aaaa::1");
    req_itr("198.51.100.1");
    req_itr("198.51.100.2");
    lt_assert_ok(send_ecm(SEC(2), LISP_ECM_F_M, "198.51.100.1", 55555, "203.0.113.1"));
    assert_int_equal(g_io.n_sent, 1);
    rec = reply_record(0, 0xABCDEF, "198.51.100.1", 55555);
    lt_assert_endpoint(&g_io.sent[0].src, MS_V4, LISP_CONTROL_PORT);
    assert_record_eid(rec, "10.1.0.0", 16, 0);
    assert_int_equal(rec->ttl, 10);
    assert_false(rec->authoritative); /* a proxy reply is not authoritative */
    assert_int_equal(rec->action, LISP_ACT_NO_ACTION);
    assert_int_equal(rec->loc_count, 2);
    assert_locator(&rec->locators[0], "192.0.2.1", 1, 50, LISP_LOC_F_R);
    assert_locator(&rec->locators[1], "192.0.2.2", 2, 50, LISP_LOC_F_R);
    assert_int_equal(stats()->proxy_replies, 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_RECEIVED, 0);
    lt_assert_eid(&t->eid, "10.1.7.7", 32, 0);
    lt_assert_endpoint(&t->peer, "198.51.100.1", 55555);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0);
    lt_assert_eid(&t->eid, "10.1.0.0", 16, 0);
    assert_int_equal(t->nonce, 0xABCDEF);
    assert_int_equal(t->count, 2);

    /* IPv6 inner source: the IPv6 ITR-RLOC; our IPv4 address cannot be the source. */
    req_begin(2, "10.1.7.7", 32, 0);
    req_itr("198.51.100.1");
    req_itr("2001:db8:aaaa::1");
    lt_assert_ok(send_ecm(SEC(3), 0, "2001:db8:aaaa::1", 4342, "203.0.113.1"));
    reply_record(1, 2, "2001:db8:aaaa::1", 4342);
    assert_int_equal(g_io.sent[1].src.afi, LISP_AFI_NONE);

    /* No ITR-RLOC of the inner AFI: the first one. */
    req_begin(3, "10.1.7.7", 32, 0);
    req_itr("2001:db8:aaaa::7");
    req_itr("2001:db8:aaaa::8");
    lt_assert_ok(send_ecm(SEC(4), 0, "198.51.100.1", 60000, "203.0.113.1"));
    reply_record(2, 3, "2001:db8:aaaa::7", 60000);

    /* A plain Map-Request: answered at the datagram's source port. */
    req_begin(4, "10.1.200.1", 32, 0);
    req_itr("198.51.100.7");
    lt_assert_ok(send_plain(SEC(5), "198.51.100.7", 61000));
    rec = reply_record(3, 4, "198.51.100.7", 61000);
    assert_int_equal(rec->loc_count, 2);
    assert_int_equal(stats()->proxy_replies, 4);
    assert_int_equal(stats()->map_requests, 4);
}

/* Site B has proxy_reply configured: answered without the P bit; instance-IDs are echoed. */
static void test_site_proxy_reply_instance_id(void **state)
{
    const lisp_record *rec;

    (void)state;
    start();
    reg_begin(0, LISP_KEY_ID_HMAC_SHA256_128, 1);
    add_record("192.168.0.0", 16, 7, 1440);
    add_loc("192.0.2.7", 3, 10, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_b, sizeof key_b, "192.0.2.7", 4342));

    ask(SEC(2), 5, "192.168.44.1", 7);
    rec = reply_record(0, 5, "198.51.100.1", 55555);
    assert_int_equal(rec->eid.addr.lcaf, LISP_LCAF_IID);
    assert_int_equal(rec->eid.addr.iid, 7);
    assert_record_eid(rec, "192.168.0.0", 16, 7);
    assert_int_equal(rec->ttl, 1440);
    assert_false(rec->authoritative);
    assert_int_equal(rec->loc_count, 1);
    assert_locator(&rec->locators[0], "192.0.2.7", 3, 10, LISP_LOC_F_R);

    /* The same address in instance 0 is not registered (and not configured). */
    ask(SEC(3), 6, "192.168.44.1", 0);
    assert_negative(reply_record(1, 6, "198.51.100.1", 55555), "128.0.0.0", 1, 0, 15);
}

static void register_forward_a(void)
{
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.2", 2, 50, LISP_LOC_F_R);
    add_loc("192.0.2.3", 1, 50, LISP_LOC_F_R);
    add_loc("192.0.2.4", 1, 50, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.2", 4342));
}

static void test_forward_to_etr(void **state)
{
    const lisp_trace *t;
    const lisp_msg *m;
    lisp_ecm ecm;
    uint8_t orig[512];
    size_t len;

    (void)state;
    start();
    register_forward_a();

    req_begin(0x77, "10.1.7.7", 32, 0);
    req_itr("198.51.100.1");
    len = encode_ecm(LISP_ECM_F_M, "198.51.100.1", 55555);
    memcpy(orig, g_wire, len);
    lt_assert_ok(deliver(SEC(2), "203.0.113.1", 4342, orig, len));

    /* To the best-priority locator (the first of two with priority 1), port 4342. */
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "192.0.2.3", LISP_CONTROL_PORT);
    lt_assert_endpoint(&g_io.sent[0].src, MS_V4, LISP_CONTROL_PORT);
    /* The same bytes, except E (to-ETR) set and M (to-MS) cleared in the first word. */
    assert_int_equal(g_io.sent[0].len, len);
    assert_int_equal(g_io.sent[0].data[0], (orig[0] | 0x02) & ~0x01);
    assert_memory_equal(g_io.sent[0].data + 1, orig + 1, len - 1);
    m = sent(0);
    assert_int_equal(m->type, LISP_ECM);
    assert_int_equal(m->u.ecm.flags, LISP_ECM_F_E);
    ecm = m->u.ecm;
    assert_int_equal(ecm.inner.sport, 55555);
    lt_assert_ok(lisp_msg_decode(&g_inner, ecm.payload, ecm.payload_len));
    assert_int_equal(g_inner.type, LISP_MAP_REQUEST);
    assert_int_equal(g_inner.u.mreq.nonce, 0x77);

    assert_int_equal(stats()->forwarded, 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 0);
    lt_assert_eid(&t->eid, "10.1.7.7", 32, 0);
    lt_assert_endpoint(&t->peer, "192.0.2.3", LISP_CONTROL_PORT);
    assert_int_equal(t->nonce, 0x77);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0), 0);
}

/* A plain Map-Request for a non-proxy registration goes to the ETR wrapped in an ECM whose
 * inner header carries the requester's address and port. */
static void test_forward_plain_request_wrapped(void **state)
{
    const lisp_msg *m;
    lisp_ecm ecm;
    lisp_endpoint requester = lt_endpoint("198.51.100.7", 61000);
    lisp_endpoint eid = lt_endpoint("10.1.7.7", 0);
    uint8_t orig[512];
    size_t len = 0;

    (void)state;
    start();
    register_forward_a();
    req_begin(0x78, "10.1.7.7", 32, 0);
    req_itr("198.51.100.7");
    lt_assert_ok(lisp_msg_encode(&g_m, orig, sizeof orig, &len));
    lt_assert_ok(deliver(SEC(2), "198.51.100.7", 61000, orig, len));

    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "192.0.2.3", LISP_CONTROL_PORT);
    m = sent(0);
    assert_int_equal(m->type, LISP_ECM);
    assert_int_equal(m->u.ecm.flags, LISP_ECM_F_E);
    ecm = m->u.ecm;
    assert_int_equal(ecm.inner.afi, LISP_AFI_IPV4);
    assert_memory_equal(ecm.inner.src, requester.addr, 4);
    assert_memory_equal(ecm.inner.dst, eid.addr, 4);
    assert_int_equal(ecm.inner.sport, 61000);
    assert_int_equal(ecm.inner.dport, LISP_CONTROL_PORT);
    assert_int_equal(ecm.payload_len, len);
    assert_memory_equal(ecm.payload, orig, len);
    assert_int_equal(stats()->forwarded, 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Negative Map-Replies                                                                     */
/* ---------------------------------------------------------------------------------------- */

static void test_negative_outside_configured(void **state)
{
    (void)state;
    start();
    ask(SEC(1), 1, "10.3.0.5", 0);
    assert_negative(reply_record(0, 1, "198.51.100.1", 55555), "10.3.0.0", 16, 0, 15);
    ask(SEC(1), 2, "11.0.0.1", 0);
    assert_negative(reply_record(1, 2, "198.51.100.1", 55555), "11.0.0.0", 8, 0, 15);
    ask(SEC(1), 3, "2001:db8:3::1", 0);
    assert_negative(reply_record(2, 3, "198.51.100.1", 55555), "2001:db8:3::", 48, 0, 15);
    ask(SEC(1), 4, "192.169.0.1", 7);
    assert_negative(reply_record(3, 4, "198.51.100.1", 55555), "192.169.0.0", 16, 7, 15);
    assert_int_equal(sent(3)->u.mrep.records[0].eid.addr.lcaf, LISP_LCAF_IID);
    ask(SEC(1), 5, "192.168.0.1", 8); /* nothing configured in instance 8 */
    assert_negative(reply_record(4, 5, "198.51.100.1", 55555), "0.0.0.0", 0, 8, 15);
    ask(SEC(1), 6, "192.168.0.1", 0);
    assert_negative(reply_record(5, 6, "198.51.100.1", 55555), "128.0.0.0", 1, 0, 15);
    ask(SEC(1), 7, "3000::1", 0);
    assert_negative(reply_record(6, 7, "198.51.100.1", 55555), "3000::", 4, 0, 15);
    assert_int_equal(stats()->negative_replies, 7);
    assert_int_equal(stats()->unregistered_replies, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0), 7);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, 0), 0);
}

/* Configured, not registered: the short negative reply, inside the site prefix, covering no
 * registration. */
static void test_negative_configured_unregistered(void **state)
{
    (void)state;
    start();
    ask(SEC(1), 1, "10.1.2.3", 0);
    assert_negative(reply_record(0, 1, "198.51.100.1", 55555), "10.1.0.0", 16, 0, 1);
    ask(SEC(1), 2, "2001:db8:1::5", 0);
    assert_negative(reply_record(1, 2, "198.51.100.1", 55555), "2001:db8:1::", 48, 0, 1);
    ask(SEC(1), 3, "192.168.9.9", 7);
    assert_negative(reply_record(2, 3, "198.51.100.1", 55555), "192.168.0.0", 16, 7, 1);

    register_a(SEC(2), "10.2.1.0", 24, "192.0.2.1", 0);
    ask(SEC(3), 4, "10.2.2.1", 0);
    assert_negative(reply_record(3, 4, "198.51.100.1", 55555), "10.2.2.0", 23, 0, 1);
    ask(SEC(3), 5, "10.2.200.1", 0);
    assert_negative(reply_record(4, 5, "198.51.100.1", 55555), "10.2.128.0", 17, 0, 1);
    ask(SEC(3), 6, "10.2.0.1", 0);
    assert_negative(reply_record(5, 6, "198.51.100.1", 55555), "10.2.0.0", 24, 0, 1);
    ask(SEC(3), 7, "10.2.1.5", 0); /* registered, not proxy: forwarded */
    lt_assert_endpoint(&g_io.sent[6].dst, "192.0.2.1", LISP_CONTROL_PORT);
    assert_int_equal(stats()->unregistered_replies, 6);
    assert_int_equal(stats()->forwarded, 1);
    assert_int_equal(stats()->negative_replies, 0);
}

static void test_negative_ttls_configurable(void **state)
{
    (void)state;
    g_cfg.unregistered_ttl = SEC(90); /* whole minutes, rounded down: 1 */
    g_cfg.negative_ttl = SEC(30 * 60);
    start();
    ask(SEC(1), 1, "10.1.2.3", 0);
    assert_negative(reply_record(0, 1, "198.51.100.1", 55555), "10.1.0.0", 16, 0, 1);
    ask(SEC(1), 2, "10.3.0.5", 0);
    assert_negative(reply_record(1, 2, "198.51.100.1", 55555), "10.3.0.0", 16, 0, 30);
}

/* A Map-Server without sites answers everything with the /0 of the EID's family. */
static void test_no_sites(void **state)
{
    (void)state;
    g_cfg.n_sites = 0;
    start();
    ask(SEC(1), 1, "10.1.2.3", 0);
    assert_negative(reply_record(0, 1, "198.51.100.1", 55555), "0.0.0.0", 0, 0, 15);
    ask(SEC(1), 2, "2001:db8::1", 0);
    assert_negative(reply_record(1, 2, "198.51.100.1", 55555), "::", 0, 0, 15);
}

/* ---------------------------------------------------------------------------------------- */
/* Map-Requests with several records, the D bit, locator choice, overlaps, lig's ECM         */
/* ---------------------------------------------------------------------------------------- */

static void expect_malformed(const uint8_t *p, size_t len, int err);

static void req_add(const char *eid, uint8_t len, uint32_t iid)
{
    lisp_map_request *q = &g_m.u.mreq;
    q->records[q->record_count].mask_len = len;
    q->records[q->record_count].addr = iid ? lisp_addr_iid(iid, lt_ip(eid)) : lt_addr(eid);
    q->record_count++;
}

/* Site B proxies 2001:db8:1::/48; site A's 10.1.0.0/16 is forwarded to 192.0.2.3 and
 * 10.2.5.0/24 to 192.0.2.50; 10.3.0.0/16 and 10.2.9.9 are not registered. */
static void test_request_every_record(void **state)
{
    const lisp_msg *m;
    lisp_msg inner;
    lisp_ecm ecm;
    size_t i;

    (void)state;
    start();
    register_forward_a();
    register_a(SEC(1), "10.2.5.0", 24, "192.0.2.50", 0);
    reg_begin(0, LISP_KEY_ID_HMAC_SHA256_128, 9);
    add_record("2001:db8:1::", 48, 0, 30);
    add_loc("2001:db8:ff::1", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_b, sizeof key_b, "192.0.2.9", 4342));

    req_begin(0x55, "10.1.7.7", 32, 0); /* forwarded to 192.0.2.3 */
    req_add("2001:db8:1::5", 128, 0);   /* proxy */
    req_add("10.3.0.5", 32, 0);         /* negative, outside */
    req_add("10.2.5.5", 32, 0);         /* forwarded to 192.0.2.50 */
    req_add("10.2.9.9", 32, 0);         /* negative, configured */
    req_add("10.1.8.8", 32, 0);         /* forwarded to 192.0.2.3 */
    req_itr("198.51.100.1");
    lt_assert_ok(send_ecm(SEC(2), LISP_ECM_F_M, "198.51.100.1", 55555, "203.0.113.1"));

    /* One Map-Reply with the Map-Server's three answers, in request order. */
    assert_int_equal(g_io.n_sent, 3);
    m = sent(0);
    assert_int_equal(m->type, LISP_MAP_REPLY);
    assert_int_equal(m->u.mrep.nonce, 0x55);
    assert_int_equal(m->u.mrep.record_count, 3);
    lt_assert_endpoint(&g_io.sent[0].dst, "198.51.100.1", 55555);
    assert_record_eid(&m->u.mrep.records[0], "2001:db8:1::", 48, 0);
    assert_int_equal(m->u.mrep.records[0].ttl, 30);
    assert_int_equal(m->u.mrep.records[0].loc_count, 1);
    assert_negative(&m->u.mrep.records[1], "10.3.0.0", 16, 0, 15);
    assert_negative(&m->u.mrep.records[2], "10.2.8.0", 21, 0, 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0), 3);
    lt_assert_eid(&fake_io_find_trace(&g_io, LISP_TRACE_MAP_REPLY_SENT, 2)->eid, "10.2.8.0", 21, 0);

    /* One ECM per ETR with its records only; E set, M cleared, the inner header kept. */
    for (i = 1; i < 3; i++) {
        m = sent(i);
        assert_int_equal(m->type, LISP_ECM);
        assert_int_equal(m->u.ecm.flags, LISP_ECM_F_E);
        ecm = m->u.ecm;
        assert_int_equal(ecm.inner.sport, 55555);
        assert_memory_equal(ecm.inner.src, lt_endpoint("198.51.100.1", 0).addr, 4);
        lt_assert_ok(lisp_msg_decode(&inner, ecm.payload, ecm.payload_len));
        assert_int_equal(inner.type, LISP_MAP_REQUEST);
        assert_int_equal(inner.u.mreq.nonce, 0x55);
        assert_int_equal(inner.u.mreq.itr_rloc_count, 1);
    }
    lt_assert_endpoint(&g_io.sent[1].dst, "192.0.2.3", LISP_CONTROL_PORT);
    m = sent(1);
    lt_assert_ok(lisp_msg_decode(&inner, m->u.ecm.payload, m->u.ecm.payload_len));
    assert_int_equal(inner.u.mreq.record_count, 2);
    assert_int_equal(inner.u.mreq.records[0].mask_len, 32);
    {
        lisp_addr a = lt_addr("10.1.7.7"), b = lt_addr("10.1.8.8");
        lt_assert_addr_equal(&a, &inner.u.mreq.records[0].addr);
        lt_assert_addr_equal(&b, &inner.u.mreq.records[1].addr);
    }
    lt_assert_endpoint(&g_io.sent[2].dst, "192.0.2.50", LISP_CONTROL_PORT);
    m = sent(2);
    lt_assert_ok(lisp_msg_decode(&inner, m->u.ecm.payload, m->u.ecm.payload_len));
    assert_int_equal(inner.u.mreq.record_count, 1);
    {
        lisp_addr a = lt_addr("10.2.5.5");
        lt_assert_addr_equal(&a, &inner.u.mreq.records[0].addr);
    }
    assert_int_equal(stats()->forwarded, 3);
    assert_int_equal(stats()->proxy_replies, 1);
    assert_int_equal(stats()->negative_replies, 1);
    assert_int_equal(stats()->unregistered_replies, 1);
    assert_int_equal(stats()->map_requests, 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 0), 3);
    lt_assert_eid(&fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 1)->eid, "10.1.8.8",
                  32, 0);
}

/* 33 records' worth of answers: a second Map-Reply with the same nonce carries the rest;
 * locators are bounded the same way. */
static void test_request_reply_split(void **state)
{
    const lisp_msg *m;
    unsigned i;

    (void)state;
    start();
    reg_begin(LISP_MREG_F_P, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 10);
    for (i = 0; i < 40; i++) {
        char rloc[32];
        snprintf(rloc, sizeof rloc, "192.0.2.%u", i + 1);
        add_loc(rloc, 1, 1, LISP_LOC_F_R);
    }
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    req_begin(0x66, "10.1.0.1", 32, 0);
    req_add("10.1.0.2", 32, 0); /* 80 locators: two Map-Replies */
    req_add("10.9.0.1", 32, 0);
    req_itr("198.51.100.1");
    lt_assert_ok(send_ecm(SEC(2), 0, "198.51.100.1", 55555, "203.0.113.1"));
    assert_int_equal(g_io.n_sent, 2);
    m = sent(0);
    assert_int_equal(m->u.mrep.record_count, 1);
    assert_int_equal(m->u.mrep.records[0].loc_count, 40);
    m = sent(1);
    assert_int_equal(m->u.mrep.nonce, 0x66);
    assert_int_equal(m->u.mrep.record_count, 2);
    assert_int_equal(m->u.mrep.records[0].loc_count, 40);
    assert_negative(&m->u.mrep.records[1], "10.8.0.0", 13, 0, 15);
}

/* D bit: no Map-Reply, nothing forwarded; counted. */
static void test_request_d_bit(void **state)
{
    (void)state;
    start();
    register_forward_a();
    req_begin(0x77, "10.1.7.7", 32, 0);
    req_add("10.3.0.1", 32, 0);
    req_itr("198.51.100.1");
    g_m.u.mreq.flags = LISP_MREQ_F_D;
    lt_assert_ok(send_ecm(SEC(2), 0, "198.51.100.1", 55555, "203.0.113.1"));
    g_m.u.mreq.flags = LISP_MREQ_F_D;
    lt_assert_ok(send_plain(SEC(2), "198.51.100.1", 4342));
    assert_int_equal(g_io.n_sent, 0);
    assert_int_equal(stats()->map_requests, 2);
    assert_int_equal(stats()->requests_no_reply, 2);
    assert_int_equal(stats()->forwarded, 0);
    assert_int_equal(stats()->negative_replies, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REQUEST_RECEIVED, 0), 2);
    /* Without it, both answered. */
    g_m.u.mreq.flags = 0;
    lt_assert_ok(send_ecm(SEC(3), 0, "198.51.100.1", 55555, "203.0.113.1"));
    assert_int_equal(g_io.n_sent, 2);
}

/* Forwarding goes to a usable locator: R set, priority below 255, the best priority, then
 * the highest weight. */
static void test_forward_usable_locator(void **state)
{
    (void)state;
    start();
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 0, 100, 0);              /* best priority, not reachable */
    add_loc("192.0.2.2", 255, 100, LISP_LOC_F_R); /* reachable, not for unicast */
    add_loc("192.0.2.3", 2, 10, LISP_LOC_F_R);
    add_loc("192.0.2.4", 2, 90, LISP_LOC_F_R); /* same priority, more weight */
    add_loc("192.0.2.5", 3, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    ask(SEC(2), 1, "10.1.2.3", 0);
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "192.0.2.4", LISP_CONTROL_PORT);

    /* Nothing usable: dropped, counted. */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 2);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 100, 0);
    add_loc("192.0.2.2", 255, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(3), key_a, sizeof key_a, "192.0.2.1", 4342));
    fake_io_clear(&g_io);
    ask(SEC(4), 2, "10.1.2.3", 0);
    assert_int_equal(g_io.n_sent, 0);
    assert_int_equal(stats()->common.drops[LISP_DROP_NO_LOCATOR], 1);
}

/* 10.2.0.0/16 (xTR .1, proxy) holds the registered more-specific 10.2.5.0/24 (xTR .50):
 * an EID of the /16 outside the /24 is answered with a prefix that leaves the /24 out. */
static void test_overlapping_registrations(void **state)
{
    (void)state;
    start();
    register_a(SEC(1), "10.2.5.0", 24, "192.0.2.50", LISP_MREG_F_P);
    register_a(SEC(1), "10.2.0.0", 16, "192.0.2.1", LISP_MREG_F_P); /* the /24 came first */
    ask(SEC(2), 1, "10.2.4.1", 0);
    assert_record_eid(reply_record(0, 1, "198.51.100.1", 55555), "10.2.4.0", 24, 0);
    ask(SEC(2), 2, "10.2.200.1", 0);
    assert_record_eid(reply_record(1, 2, "198.51.100.1", 55555), "10.2.128.0", 17, 0);
    ask(SEC(2), 3, "10.2.5.9", 0);
    assert_record_eid(reply_record(2, 3, "198.51.100.1", 55555), "10.2.5.0", 24, 0);
    assert_int_equal(reply_record(2, 3, "198.51.100.1", 55555)->locators[0].addr.a.ip[3], 50);

    /* The other order: the /16 first, then a more-specific in its upper half. */
    register_a(SEC(3), "10.1.0.0", 16, "192.0.2.1", LISP_MREG_F_P);
    ask(SEC(4), 4, "10.1.200.1", 0);
    assert_record_eid(reply_record(3, 4, "198.51.100.1", 55555), "10.1.0.0", 16, 0);
    lisp_ms_free(g_ms);
    g_pa[0].accept_more_specifics = true;
    start();
    register_a(SEC(3), "10.1.0.0", 16, "192.0.2.1", LISP_MREG_F_P);
    register_a(SEC(3), "10.1.0.0", 24, "192.0.2.2", LISP_MREG_F_P);
    register_a(SEC(3), "10.1.255.252", 30, "192.0.2.3", LISP_MREG_F_P);
    ask(SEC(4), 5, "10.1.200.1", 0);
    assert_record_eid(reply_record(0, 5, "198.51.100.1", 55555), "10.1.192.0", 19, 0);
    ask(SEC(4), 6, "10.1.1.1", 0);
    assert_record_eid(reply_record(1, 6, "198.51.100.1", 55555), "10.1.1.0", 24, 0);
    ask(SEC(4), 7, "10.1.255.1", 0);
    assert_record_eid(reply_record(2, 7, "198.51.100.1", 55555), "10.1.255.0", 25, 0);
    /* [7] instance 7 is another table: nothing there overlaps. */
}

/* An EID of site B's configured prefix is never answered with site A's less specific
 * registration: it is site B's, registered or not. */
static void test_other_site_more_specific_configured(void **state)
{
    (void)state;
    start_nested_sites();
    ask(SEC(1), 0, "10.1.1.1", 0); /* nothing registered: site A's, leaving B's /10 out */
    assert_negative(reply_record(0, 0, "198.51.100.1", 55555), "10.0.0.0", 10, 0, 1);
    fake_io_clear(&g_io);
    reg_begin(LISP_MREG_F_P, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.0.0.0", 8, 0, 1440);
    add_loc("192.0.2.1", 1, 100, LISP_LOC_F_R);
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    ask(SEC(2), 1, "10.64.1.1", 0); /* site B's, not registered */
    assert_negative(reply_record(0, 1, "198.51.100.1", 55555), "10.64.0.0", 10, 0, 1);
    ask(SEC(2), 2, "10.1.1.1", 0); /* site A's: its registration, leaving B's /10 out */
    assert_record_eid(reply_record(1, 2, "198.51.100.1", 55555), "10.0.0.0", 10, 0);
    assert_int_equal(reply_record(1, 2, "198.51.100.1", 55555)->loc_count, 1);
    assert_int_equal(stats()->unregistered_replies, 2);
    assert_int_equal(stats()->proxy_replies, 1);
}

/* LISPmob lig leaves the inner IPv4 header checksum of its ECM at zero: answered, counted.
 * A wrong one too; the inner UDP checksum still has to be right. */
static void test_ecm_inner_ip_checksum_liberal(void **state)
{
    size_t len;

    (void)state;
    start();
    req_begin(1, "10.3.0.5", 32, 0);
    req_itr("198.51.100.1");
    len = encode_ecm(0, "198.51.100.1", 55555);
    g_wire[4 + 10] = g_wire[4 + 11] = 0;                                   /* as lig sends it */
    lt_assert_rc(lisp_msg_decode(&g_out, g_wire, len), LISP_ERR_CHECKSUM); /* strict default */
    lt_assert_ok(deliver(SEC(1), "203.0.113.1", 4342, g_wire, len));
    assert_negative(reply_record(0, 1, "198.51.100.1", 55555), "10.3.0.0", 16, 0, 15);
    assert_int_equal(stats()->ecm_bad_inner_checksum, 1);
    g_wire[4 + 11] = 0x42;
    lt_assert_ok(deliver(SEC(1), "203.0.113.1", 4342, g_wire, len));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(stats()->ecm_bad_inner_checksum, 2);
    /* A good one is not counted. */
    len = encode_ecm(0, "198.51.100.1", 55555);
    lt_assert_ok(deliver(SEC(1), "203.0.113.1", 4342, g_wire, len));
    assert_int_equal(stats()->ecm_bad_inner_checksum, 2);
    /* The inner UDP checksum covers the addresses: still checked. */
    g_wire[4 + 10] = g_wire[4 + 11] = 0;
    g_wire[len - 1] ^= 1;
    expect_malformed(g_wire, len, LISP_ERR_CHECKSUM);
    assert_int_equal(g_io.n_sent, 3);
}
/* ---------------------------------------------------------------------------------------- */
/* Unexpected and malformed input                                                           */
/* ---------------------------------------------------------------------------------------- */

static void test_unexpected_types(void **state)
{
    size_t len = 0;

    (void)state;
    start();
    lt_sample_map_register(&g_m, LISP_MAP_NOTIFY_ACK, 0, LISP_KEY_ID_HMAC_SHA1_96, 20);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
    lt_assert_ok(deliver(SEC(1), "192.0.2.1", 4342, g_wire, len));
    lt_sample_map_register(&g_m, LISP_MAP_NOTIFY, 0, LISP_KEY_ID_HMAC_SHA1_96, 20);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
    lt_assert_ok(deliver(SEC(1), "192.0.2.1", 4342, g_wire, len));
    lt_sample_info_request(&g_m, LISP_KEY_ID_HMAC_SHA1_96, 20, NULL);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
    lt_assert_ok(deliver(SEC(1), "192.0.2.1", 4342, g_wire, len));
    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REPLY;
    lt_assert_ok(lisp_msg_encode(&g_m, g_wire, sizeof g_wire, &len));
    lt_assert_ok(deliver(SEC(1), "192.0.2.1", 4342, g_wire, len));
    /* An ECM carrying a Map-Register (NAT traversal through an RTR: not handled yet). */
    reg_begin(0, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.2.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 1, 0);
    len = encode_ecm(0, "192.0.2.1", 4342);
    lt_assert_ok(deliver(SEC(1), "192.0.2.1", 4342, g_wire, len));

    /* The Map-Notify-Ack is now taken; no Map-Notify is outstanding with its nonce. */
    assert_int_equal(stats()->common.drops[LISP_DROP_UNSOLICITED], 1);
    assert_int_equal(stats()->common.drops[LISP_DROP_UNEXPECTED_TYPE], 4);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_UNEXPECTED_TYPE), 4);
    assert_false(registered("10.2.0.0", 16, 0, NULL));
    assert_int_equal(g_io.n_sent, 0);
}

/* Deliver and expect exactly one more MALFORMED drop with err (0: any packet error). */
static void expect_malformed(const uint8_t *p, size_t len, int err)
{
    size_t before = fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_MALFORMED);
    size_t sent_before = g_io.n_sent;
    const lisp_trace *t;
    int rc = deliver(SEC(1), "192.0.2.1", 4342, p, len);

    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_MALFORMED), before + 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP,
                           fake_io_count_traces(&g_io, LISP_TRACE_DROP, 0) - 1);
    assert_int_equal(t->reason, LISP_DROP_MALFORMED);
    if (err)
        lt_assert_rc(t->err, err);
    else
        assert_true(lisp_err_is_packet_error(t->err));
    assert_int_equal(g_io.n_sent, sent_before);
    (void)rc;
}

static void test_malformed_input(void **state)
{
    static const uint8_t unknown[] = {0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    uint8_t buf[1024];
    size_t len, n;
    uint64_t before;

    (void)state;
    start();
    before = stats()->common.drops[LISP_DROP_MALFORMED];

    lt_assert_rc(lisp_ms_handle_udp(g_ms, SEC(1), NULL, NULL, NULL, 0), LISP_ERR_TRUNCATED);
    expect_malformed(unknown, 0, LISP_ERR_TRUNCATED);
    expect_malformed(unknown, sizeof unknown, LISP_ERR_UNKNOWN_TYPE);
    buf[0] = 0xF0;
    expect_malformed(buf, 1, LISP_ERR_UNKNOWN_TYPE);

    /* Every truncation of a signed Map-Register, and a trailing byte. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 50, 0);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, buf, sizeof buf);
    for (n = 1; n < len; n++)
        expect_malformed(buf, n, LISP_ERR_TRUNCATED);
    buf[len] = 0;
    expect_malformed(buf, len + 1, LISP_ERR_BAD_LENGTH);

    /* Every truncation of an ECM Map-Request. */
    req_begin(1, "10.1.7.7", 32, 0);
    req_itr("198.51.100.1");
    len = encode_ecm(0, "198.51.100.1", 55555);
    memcpy(buf, g_wire, len);
    for (n = 1; n < len; n++)
        expect_malformed(buf, n, 0);
    /* The inner UDP checksum no longer matches. */
    buf[len - 1] ^= 0x40;
    expect_malformed(buf, len, LISP_ERR_CHECKSUM);
    /* Every truncation of a plain Map-Request. */
    lt_assert_ok(lisp_msg_encode(&g_m, buf, sizeof buf, &len));
    for (n = 1; n < len; n++)
        expect_malformed(buf, n, LISP_ERR_TRUNCATED);

    /* Map-Register without records. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 1);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, buf, sizeof buf);
    expect_malformed(buf, len, LISP_ERR_BAD_VALUE);
    /* Map-Register whose first EID is a name. */
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 1);
    add_record("10.1.0.0", 16, 0, 1440);
    g_m.record_pool[0].eid.addr = lisp_addr_plain(lisp_afi_name("site"));
    g_m.record_pool[0].eid.mask_len = 0;
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, buf, sizeof buf);
    expect_malformed(buf, len, LISP_ERR_BAD_AFI);

    /* Map-Request without records, with a name as EID, with only a name as ITR-RLOC. */
    req_begin(1, "10.1.7.7", 32, 0);
    req_itr("198.51.100.1");
    g_m.u.mreq.record_count = 0;
    lt_assert_ok(lisp_msg_encode(&g_m, buf, sizeof buf, &len));
    expect_malformed(buf, len, LISP_ERR_BAD_VALUE);
    req_begin(1, "10.1.7.7", 32, 0);
    req_itr("198.51.100.1");
    g_m.u.mreq.records[0].addr = lisp_addr_plain(lisp_afi_name("host"));
    g_m.u.mreq.records[0].mask_len = 0;
    len = encode_ecm(0, "198.51.100.1", 55555);
    expect_malformed(g_wire, len, LISP_ERR_BAD_AFI);
    req_begin(1, "10.1.7.7", 32, 0);
    g_m.u.mreq.itr_rlocs[g_m.u.mreq.itr_rloc_count++] = lisp_addr_plain(lisp_afi_name("itr"));
    len = encode_ecm(0, "198.51.100.1", 55555);
    expect_malformed(g_wire, len, LISP_ERR_BAD_AFI);
    assert_int_equal(fake_io_find_trace(&g_io, LISP_TRACE_DROP,
                                        fake_io_count_traces(&g_io, LISP_TRACE_DROP, 0) - 1)
                         ->eid.mask_len,
                     32);

    assert_int_equal(stats()->common.drops[LISP_DROP_MALFORMED] - before,
                     fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_MALFORMED));
    assert_int_equal(lisp_ms_registration_count(g_ms), 0);
    assert_int_equal(g_io.n_sent, 0);
}

/* A record with a locator that is no IP address is refused; the others are registered. */
static void test_bad_record_refused_others_kept(void **state)
{
    const lisp_trace *t;

    (void)state;
    start();
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 3);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 50, 0);
    add_record("10.2.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 50, 0);
    g_m.record_pool[1].locators[0].addr = lisp_addr_plain(lisp_afi_name("rloc"));
    lt_assert_ok(send_register(SEC(1), key_a, sizeof key_a, "192.0.2.1", 4342));
    assert_true(registered("10.1.0.0", 16, 0, NULL));
    assert_false(registered("10.2.0.0", 16, 0, NULL));
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 0);
    assert_int_equal(t->reason, LISP_DROP_MALFORMED);
    assert_int_equal(t->err, LISP_ERR_BAD_AFI);
    lt_assert_eid(&t->eid, "10.2.0.0", 16, 0);
    assert_notify(0, 3, LISP_KEY_ID_HMAC_SHA1_96, key_a, sizeof key_a, "192.0.2.1", 4342, 1);
}

/* Random and mutated datagrams: never a crash, always a trace, drops always counted. */
static void test_random_input_never_crashes(void **state)
{
    uint8_t valid[3][512], buf[600];
    size_t valid_len[3], i, k;
    uint64_t seed = 0x9E3779B97F4A7C15ull;

    (void)state;
    start();
    register_forward_a();
    reg_begin(LISP_MREG_F_M | LISP_MREG_F_I | LISP_MREG_F_P, LISP_KEY_ID_HMAC_SHA1_96, 7);
    reg_xtr_id(3);
    add_record("10.2.3.0", 24, 0, 1440);
    add_loc("192.0.2.1", 1, 50, 0);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc("192.0.2.1", 1, 50, 0);
    valid_len[0] = lt_encode_signed(&g_m, key_a, sizeof key_a, valid[0], sizeof valid[0]);
    req_begin(1, "10.1.7.7", 32, 0);
    req_itr("198.51.100.1");
    req_itr("2001:db8::1");
    valid_len[1] = encode_ecm(0, "198.51.100.1", 55555);
    memcpy(valid[1], g_wire, valid_len[1]);
    lt_assert_ok(lisp_msg_encode(&g_m, valid[2], sizeof valid[2], &valid_len[2]));

    for (i = 0; i < 3000; i++) {
        size_t traces = g_io.n_traces, len;
        uint64_t r = lt_xorshift(&seed);
        if (i % 3 == 0) { /* random bytes behind a plausible type nibble */
            static const uint8_t types[] = {0x10, 0x30, 0x80, 0x40, 0x50, 0x70};
            len = (size_t)(r % 200);
            for (k = 0; k < len; k++)
                buf[k] = (uint8_t)lt_xorshift(&seed);
            if (len)
                buf[0] = (uint8_t)(types[r % sizeof types] | (buf[0] & 0x0F));
        } else { /* a valid message with a few bytes flipped, maybe cut short */
            const uint8_t *v = valid[r % 3];
            len = valid_len[r % 3];
            memcpy(buf, v, len);
            for (k = 0; k < 1 + (r >> 8) % 3; k++)
                buf[lt_xorshift(&seed) % len] ^= (uint8_t)(1u << (lt_xorshift(&seed) % 8));
            if ((r >> 16) % 4 == 0)
                len = (size_t)(lt_xorshift(&seed) % (len + 1));
        }
        if (g_io.n_sent > FAKE_MAX_PACKETS - 4 || g_io.n_traces > FAKE_MAX_TRACES - 80)
            fake_io_clear(&g_io), traces = 0;
        deliver(SEC(2) + i, "192.0.2.1", 4342, buf, len);
        assert_true(g_io.n_traces > traces);
    }
    assert_int_equal(stats()->received, 3000 + 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Memory: allocation only when registrations are added; free returns everything            */
/* ---------------------------------------------------------------------------------------- */

typedef struct counting_alloc {
    size_t calls;
    long live;
} counting_alloc;

static void *c_malloc(size_t n, void *u)
{
    counting_alloc *c = u;
    c->calls++;
    c->live++;
    return malloc(n);
}

static void *c_realloc(void *p, size_t n, void *u)
{
    counting_alloc *c = u;
    c->calls++;
    if (!p)
        c->live++;
    return realloc(p, n);
}

static void c_free(void *p, void *u)
{
    counting_alloc *c = u;
    if (p)
        c->live--;
    free(p);
}

static void test_allocation_discipline(void **state)
{
    counting_alloc c = {0, 0};
    lisp_allocator a = {c_malloc, c_realloc, c_free, &c};
    size_t calls;
    int i;

    (void)state;
    g_alloc = &a;
    start();
    assert_true(c.calls > 0);
    calls = c.calls;
    register_a(SEC(1), "10.1.0.0", 16, "192.0.2.1", 0);
    assert_true(c.calls > calls); /* a new registration allocates */
    calls = c.calls;
    for (i = 0; i < 10; i++) {
        register_a(SEC(2), "10.1.0.0", 16, "192.0.2.1", 0); /* the same refresh */
        ask(SEC(3), (uint64_t)i, "10.1.2.3", 0);            /* forwarded */
        ask(SEC(3), (uint64_t)i, "10.1.0.0", 0);
        ask(SEC(3), (uint64_t)i, "10.2.2.3", 0); /* negative, configured */
        ask(SEC(3), (uint64_t)i, "10.9.2.3", 0); /* negative */
    }
    assert_int_equal(c.calls, calls);
    register_a(SEC(4), "10.2.0.0", 16, "192.0.2.1", 0);
    lisp_ms_free(g_ms);
    g_ms = NULL;
    assert_int_equal(c.live, 0);
}

/* An allocator that fails its Nth allocation (malloc or realloc; 0: none), counting. */
typedef struct failing_alloc {
    size_t calls, fail_at;
    long live;
} failing_alloc;

static void *f_malloc(size_t n, void *u)
{
    failing_alloc *f = u;
    if (++f->calls == f->fail_at)
        return NULL;
    f->live++;
    return malloc(n);
}

static void *f_realloc(void *p, size_t n, void *u)
{
    failing_alloc *f = u;
    if (++f->calls == f->fail_at)
        return NULL;
    if (!p)
        f->live++;
    return realloc(p, n);
}

static void f_free(void *p, void *u)
{
    failing_alloc *f = u;
    if (p)
        f->live--;
    free(p);
}

/* xTRs whose registration the Map-Server has taken (the sweep's expectation). */
static bool g_have[4];

/* One Map-Register with the M bit (fresh nonce): either it took effect and was answered,
 * or nothing changed, nothing answered it, and an internal error was counted. */
static bool register_checked(lisp_time_t now, uint8_t xtr, const char *rloc)
{
    uint64_t errors = stats()->common.internal_errors, nonce = 0x900 + ++g_nonce;
    size_t sent_before = g_io.n_sent, k;
    unsigned before = 0, want;
    lisp_time_t last = 0;
    lisp_ms_registration r;
    bool notified = false, ok;
    int rc;

    if (registered("10.1.0.0", 16, 0, &r)) {
        before = r.xtr_count;
        last = r.expires_last;
    }
    want = before + (g_have[xtr] ? 0 : 1);
    reg_begin(LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, nonce);
    reg_xtr_id(xtr);
    add_record("10.1.0.0", 16, 0, 1440);
    add_loc(rloc, 1, 100, LISP_LOC_F_R);
    rc = send_register(now, key_a, sizeof key_a, rloc, 4342);
    for (k = sent_before; k < g_io.n_sent; k++)
        if (sent(k)->type == LISP_MAP_NOTIFY && sent(k)->u.mreg.nonce == nonce)
            notified = true;
    ok = registered("10.1.0.0", 16, 0, &r) && r.xtr_count == want && r.locators &&
         stats()->common.internal_errors == errors;
    if (ok) {
        assert_int_equal(rc, LISP_OK);
        assert_true(notified);
        g_have[xtr] = true;
        return true;
    } else {
        assert_false(notified); /* never answered as a success */
        assert_true(stats()->common.internal_errors > errors);
        assert_true(fake_io_count_traces(&g_io, LISP_TRACE_INTERNAL_ERROR, 0) > 0);
        if (registered("10.1.0.0", 16, 0, &r)) { /* and nothing changed */
            assert_int_equal(r.xtr_count, before);
            assert_int_equal(r.expires_last, last);
        }
        return false;
    }
}

/* Whether the merged set of 10.1.0.0/16 holds rloc. */
static bool has_locator(const char *rloc)
{
    lisp_endpoint e = lt_endpoint(rloc, 0);
    lisp_ms_registration r;
    unsigned i;

    if (!registered("10.1.0.0", 16, 0, &r))
        return false;
    for (i = 0; i < r.loc_count; i++)
        if (memcmp(r.locators[i].addr, e.addr, 4) == 0)
            return true;
    return false;
}

static void test_allocation_failure_sweep(void **state)
{
    static failing_alloc f; /* outlives the test: teardown frees what a failure left */
    static lisp_allocator a = {f_malloc, f_realloc, f_free, &f};
    size_t n, total = 0, created = 0;

    (void)state;
    g_alloc = &a;
    for (n = 1;; n++) {
        memset(&f, 0, sizeof f);
        f.fail_at = n;
        fake_io_init(&g_io, 1);
        g_io.host.env.alloc = &a;
        g_ms = lisp_ms_new(&g_cfg, &g_io.host, 0);
        if (g_ms) {
            created++;
            bool had2, changed2;
            memset(g_have, 0, sizeof g_have);
            register_checked(SEC(1), 1, "192.0.2.1");
            register_checked(SEC(2), 2, "192.0.2.2"); /* merge; xTR 1 is notified */
            had2 = g_have[2];
            changed2 = register_checked(SEC(3), 2, "192.0.2.3"); /* a change of locators */
            /* A refused change left xTR 2's old locator, also for the next merge. */
            if (register_checked(SEC(4), 3, "192.0.2.4") && had2) {
                assert_true(has_locator(changed2 ? "192.0.2.3" : "192.0.2.2"));
                assert_false(has_locator(changed2 ? "192.0.2.2" : "192.0.2.3"));
            }
            ask(SEC(4), 1, "10.1.2.3", 0);
            lisp_ms_handle_expiry(g_ms, SEC(5));
            lisp_ms_handle_expiry(g_ms, SEC(181)); /* xTR 1 expires */
            lisp_ms_free(g_ms);
            g_ms = NULL;
        }
        assert_int_equal(f.live, 0);
        if (f.calls < n) { /* the scenario no longer reaches the Nth allocation */
            total = f.calls;
            break;
        }
    }
    assert_true(total > 10);
    assert_true(created > 0);
}

/* The operators' views: sites, configured prefixes with their site, every registration in
 * order, and each xTR of a registration. */
typedef struct visited {
    unsigned n, stop_after;
    lisp_eid prefixes[4];
} visited;

static int visit(void *user, const lisp_ms_registration *r)
{
    visited *v = user;
    if (v->n < 4)
        v->prefixes[v->n] = r->prefix;
    return ++v->n == v->stop_after ? 7 : 0;
}

static void test_operator_views(void **state)
{
    lisp_ms_site_info site;
    lisp_ms_prefix_info p;
    lisp_ms_xtr_info x;
    lisp_eid prefix = lt_eid("10.1.0.0", 16, 0);
    lisp_endpoint rloc = lt_endpoint("192.0.2.2", 4342);
    visited v;

    (void)state;
    start();
    assert_ptr_equal(lisp_ms_from_engine(lisp_ms_engine(g_ms)), g_ms);
    assert_null(lisp_ms_from_engine(NULL));
    assert_int_equal(lisp_ms_site_count(g_ms), 2);
    assert_true(lisp_ms_site_at(g_ms, 1, &site));
    assert_string_equal(site.name, "site-b");
    assert_int_equal(site.key_id, LISP_KEY_ID_HMAC_SHA256_128);
    assert_true(site.proxy_reply);
    assert_false(lisp_ms_site_at(g_ms, 2, &site));
    assert_true(lisp_ms_prefix_info_at(g_ms, 1, &p));
    lt_assert_eid(&p.prefix, "10.2.0.0", 16, 0);
    assert_int_equal(p.site, 0);
    assert_true(p.accept_more_specifics);
    assert_true(lisp_ms_prefix_info_at(g_ms, 4, &p));
    lt_assert_eid(&p.prefix, "192.168.0.0", 16, 7);
    assert_int_equal(p.site, 1);
    assert_false(lisp_ms_prefix_info_at(g_ms, 5, &p));

    memset(&v, 0, sizeof v);
    assert_int_equal(lisp_ms_foreach_registration(g_ms, visit, &v), 0);
    assert_int_equal(v.n, 0);
    register_a(SEC(1), "10.2.3.0", 24, "192.0.2.1", 0);
    register_xtr(SEC(2), 1, "192.0.2.1", 1, NULL, 0);
    register_xtr(SEC(3), 2, "192.0.2.2", 2, NULL, 0);
    memset(&v, 0, sizeof v);
    assert_int_equal(lisp_ms_foreach_registration(g_ms, visit, &v), 0);
    assert_int_equal(v.n, 2);
    lt_assert_eid(&v.prefixes[0], "10.1.0.0", 16, 0); /* ordered by address */
    lt_assert_eid(&v.prefixes[1], "10.2.3.0", 24, 0);
    memset(&v, 0, sizeof v);
    v.stop_after = 1;
    assert_int_equal(lisp_ms_foreach_registration(g_ms, visit, &v), 7);
    assert_int_equal(v.n, 1);

    assert_true(lisp_ms_registration_xtr(g_ms, &prefix, 1, &x));
    assert_true(x.by_xtr_id);
    assert_int_equal(x.xtr_id[0], 2);
    assert_int_equal(x.site_id[0], 0xA0);
    assert_true(lisp_endpoint_equal(&x.rloc, &rloc));
    assert_int_equal(x.expires, SEC(3) + SEC(180));
    assert_int_equal(x.ttl, 1440);
    assert_int_equal(x.loc_count, 1);
    assert_false(x.proxy_reply);
    assert_string_equal(x.notify_state, "idle");
    assert_false(lisp_ms_registration_xtr(g_ms, &prefix, 2, &x));
    prefix = lt_eid("10.2.0.0", 16, 0); /* configured, not registered */
    assert_false(lisp_ms_registration_xtr(g_ms, &prefix, 0, &x));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_operator_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_configs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_is_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_key_id_1_notify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_key_id_2_with_xtr_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_without_notify_and_short_hmac, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key_and_key_id_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_site, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefix_not_allowed_and_more_specifics, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_two_xtr_ids_merged_one_expires, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_xtr_replaces_and_source_rloc_key, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_expiry_exact_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_extends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_xtrs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_retransmit_and_give_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_ack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_by_address_refresh_and_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_configurable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_send_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replayed_register_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nonce_remembered_for_registration_ttl, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_map_version_ordering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_nonce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_site_registers_only_its_prefixes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_ttl_zero_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proxy_reply, setup, teardown),
        cmocka_unit_test_setup_teardown(test_site_proxy_reply_instance_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forward_to_etr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forward_plain_request_wrapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_negative_outside_configured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_negative_configured_unregistered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_negative_ttls_configurable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_sites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_every_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_reply_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_d_bit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forward_usable_locator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlapping_registrations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_site_more_specific_configured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ecm_inner_ip_checksum_liberal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unexpected_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_record_refused_others_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_input_never_crashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_discipline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_failure_sweep, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
