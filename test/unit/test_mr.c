/*
 * test_mr.c - unit tests for the Map-Resolver engine (lisp_mr.h): forwarding ECM
 * Map-Requests to Map-Servers, negative Map-Replies for uncovered EIDs (IPv4, IPv6,
 * instance-IDs), unexpected and malformed input, and co-location with a Map-Server on one
 * node and one socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_fake_io.h"
#include "lisp_mr.h"
#include "lisp_ms.h"
#include "lisp_test_util.h"

#define SEC(x) ((lisp_time_t)(x)*LISP_NS_PER_SEC)
#define NODE_V4 "192.0.2.200" /* the Map-Resolver's (and co-located Map-Server's) address */

static fake_io g_io, g_ms_io;
static lisp_mr *g_mr;
static lisp_ms *g_ms;
static lisp_msg g_m, g_out;
static uint8_t g_wire[LISP_MSG_MAX];

static lisp_mr_entry g_entries[8];
static lisp_mr_config g_cfg;

static const uint8_t key_a[] = {'k', 'e', 'y', '-', 'a'};

/* Table: 10.1.0.0/16 -> 203.0.113.1 (port 0: 4342), 10.2.0.0/16 -> 203.0.113.2:5000,
 * 2001:db8:1::/48 and 2001:db8:2::/48 -> [2001:db8:ff::1], [5]10.0.0.0/8 -> 203.0.113.5. */
static int setup(void **state)
{
    (void)state;
    memset(g_entries, 0, sizeof g_entries);
    g_entries[0].prefix = lt_eid("10.1.0.0", 16, 0);
    g_entries[0].map_server = lt_endpoint("203.0.113.1", 0);
    g_entries[1].prefix = lt_eid("10.2.0.0", 16, 0);
    g_entries[1].map_server = lt_endpoint("203.0.113.2", 5000);
    g_entries[2].prefix = lt_eid("2001:db8:1::", 48, 0);
    g_entries[2].map_server = lt_endpoint("2001:db8:ff::1", 4342);
    g_entries[3].prefix = lt_eid("2001:db8:2::", 48, 0);
    g_entries[3].map_server = lt_endpoint("2001:db8:ff::1", 4342);
    g_entries[4].prefix = lt_eid("10.0.0.0", 8, 5);
    g_entries[4].map_server = lt_endpoint("203.0.113.5", 4342);
    lisp_mr_config_default(&g_cfg);
    g_cfg.entries = g_entries;
    g_cfg.n_entries = 5;
    fake_io_init(&g_io, 1);
    fake_io_init(&g_ms_io, 2);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lisp_mr_free(g_mr);
    lisp_ms_free(g_ms);
    g_mr = NULL;
    g_ms = NULL;
    return 0;
}

static void start(void)
{
    g_mr = lisp_mr_new(&g_cfg, &g_io.host, 0);
    assert_non_null(g_mr);
}

static const lisp_mr_stats *stats(void)
{
    return lisp_mr_get_stats(g_mr);
}

/* The datagram as an exactly sized heap copy, to the Map-Resolver (or the shared socket). */
static int deliver_to(bool shared, lisp_time_t now, const char *from, uint16_t port,
                      const uint8_t *p, size_t len)
{
    lisp_endpoint src = lt_endpoint(from, port);
    lisp_endpoint dst =
        lt_endpoint(src.afi == LISP_AFI_IPV4 ? NODE_V4 : "2001:db8:ffff::200", LISP_CONTROL_PORT);
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    assert_non_null(copy);
    if (len)
        memcpy(copy, p, len);
    rc = shared ? lisp_mr_handle_shared_udp(g_mr, now, &src, &dst, copy, len)
                : lisp_mr_handle_udp(g_mr, now, &src, &dst, copy, len);
    free(copy);
    return rc;
}

static int deliver(lisp_time_t now, const char *from, uint16_t port, const uint8_t *p, size_t len)
{
    return deliver_to(false, now, from, port, p, len);
}

static void req_begin(uint64_t nonce, const char *eid, uint32_t iid)
{
    lisp_map_request *q = &g_m.u.mreq;
    lisp_afi_addr a = lt_ip(eid);

    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REQUEST;
    q->nonce = nonce;
    q->record_count = 1;
    q->records[0].mask_len = (uint8_t)lisp_afi_bits(a.afi);
    q->records[0].addr = iid ? lisp_addr_iid(iid, a) : lisp_addr_plain(a);
    q->itr_rlocs[q->itr_rloc_count++] = lt_addr("2001:db8:aaaa::1");
    q->itr_rlocs[q->itr_rloc_count++] = lt_addr("198.51.100.1");
}

static size_t encode_ecm(uint32_t flags, const char *inner_src, uint16_t sport)
{
    const char *inner_dst = lt_ip(inner_src).afi == LISP_AFI_IPV4 ? "10.99.0.1" : "2001:db8:99::1";
    return lt_encode_ecm(&g_m, flags, inner_src, inner_dst, sport, g_wire, sizeof g_wire);
}

/* ECM Map-Request for eid from the IPv4 ITR 198.51.100.1, inner source port 55555. */
static size_t ask(lisp_time_t now, uint64_t nonce, const char *eid, uint32_t iid)
{
    size_t len;
    req_begin(nonce, eid, iid);
    len = encode_ecm(0, "198.51.100.1", 55555);
    lt_assert_ok(deliver(now, "198.51.100.1", 4342, g_wire, len));
    return len;
}

static const lisp_msg *decode(const fake_packet *p)
{
    lt_assert_ok(lisp_msg_decode(&g_out, p->data, p->len));
    return &g_out;
}

static void assert_negative(const fake_io *io, size_t i, uint64_t nonce, const char *eid,
                            uint8_t len, uint32_t iid, uint32_t ttl)
{
    const fake_packet *p = &io->sent[i];
    const lisp_msg *m;
    const lisp_record *r;
    lisp_eid e;

    assert_true(i < io->n_sent);
    lt_assert_endpoint(&p->dst, "198.51.100.1", 55555);
    assert_int_equal(p->src.port, LISP_CONTROL_PORT);
    m = decode(p);
    assert_int_equal(m->type, LISP_MAP_REPLY);
    assert_int_equal(m->u.mrep.nonce, nonce);
    assert_int_equal(m->u.mrep.record_count, 1);
    r = &m->u.mrep.records[0];
    lt_assert_ok(lisp_mapcache_eid_from_prefix(&e, &r->eid));
    lt_assert_eid(&e, eid, len, iid);
    assert_int_equal(r->eid.addr.lcaf, iid ? LISP_LCAF_IID : LISP_LCAF_NONE);
    assert_int_equal(r->ttl, ttl);
    assert_int_equal(r->action, LISP_ACT_NATIVELY_FORWARD);
    assert_true(r->authoritative);
    assert_int_equal(r->loc_count, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Configuration                                                                            */
/* ---------------------------------------------------------------------------------------- */

static void test_bad_configs(void **state)
{
    lisp_host no_send = g_io.host;
    lisp_mr *mr;

    (void)state;
    no_send.out.send = NULL;
    assert_null(lisp_mr_new(NULL, &g_io.host, 0));
    assert_null(lisp_mr_new(&g_cfg, NULL, 0));
    assert_null(lisp_mr_new(&g_cfg, &no_send, 0));
    g_entries[1].prefix = lt_eid("10.1.0.0", 16, 0); /* twice */
    assert_null(lisp_mr_new(&g_cfg, &g_io.host, 0));
    g_entries[1].prefix = lt_eid("10.2.0.1", 16, 0); /* host bits */
    assert_null(lisp_mr_new(&g_cfg, &g_io.host, 0));
    g_entries[1].prefix = lt_eid("10.2.0.0", 16, 0);
    g_entries[1].local = true; /* no local_ms */
    assert_null(lisp_mr_new(&g_cfg, &g_io.host, 0));
    g_entries[1].local = false;
    g_entries[1].map_server.afi = LISP_AFI_NONE;
    assert_null(lisp_mr_new(&g_cfg, &g_io.host, 0));
    g_entries[1].map_server = lt_endpoint("203.0.113.2", 5000);

    mr = lisp_mr_new(&g_cfg, &g_io.host, 0);
    assert_non_null(mr);
    assert_int_equal(lisp_mr_entry_count(mr), 5);
    assert_int_equal(lisp_mr_entry_at(mr, 0)->map_server.port, LISP_CONTROL_PORT);
    assert_null(lisp_mr_entry_at(mr, 5));
    assert_int_equal(lisp_mr_next_expiry(mr), LISP_TIME_NEVER);
    lisp_mr_handle_expiry(mr, SEC(1));
    assert_int_equal(lisp_mr_next_expiry(mr), LISP_TIME_NEVER);
    lisp_mr_free(mr);
    lisp_mr_free(NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Forwarding and negative replies                                                          */
/* ---------------------------------------------------------------------------------------- */

static void test_forward_to_map_server(void **state)
{
    const lisp_trace *t;
    size_t len;

    (void)state;
    start();
    len = ask(SEC(1), 0x11, "10.1.5.5", 0);
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "203.0.113.1", LISP_CONTROL_PORT);
    lt_assert_endpoint(&g_io.sent[0].src, NODE_V4, LISP_CONTROL_PORT);
    assert_int_equal(g_io.sent[0].len, len);
    assert_memory_equal(g_io.sent[0].data, g_wire, len); /* the same ECM, byte for byte */

    len = ask(SEC(2), 0x12, "10.2.200.1", 0);
    lt_assert_endpoint(&g_io.sent[1].dst, "203.0.113.2", 5000);
    assert_memory_equal(g_io.sent[1].data, g_wire, len);

    len = ask(SEC(3), 0x13, "2001:db8:2::77", 0);
    lt_assert_endpoint(&g_io.sent[2].dst, "2001:db8:ff::1", LISP_CONTROL_PORT);
    assert_int_equal(g_io.sent[2].src.afi, LISP_AFI_NONE); /* arrived over IPv4 */
    assert_int_equal(g_io.sent[2].src.port, LISP_CONTROL_PORT);

    len = ask(SEC(4), 0x14, "10.77.0.1", 5);
    lt_assert_endpoint(&g_io.sent[3].dst, "203.0.113.5", LISP_CONTROL_PORT);

    assert_int_equal(stats()->map_requests, 4);
    assert_int_equal(stats()->forwarded, 4);
    assert_int_equal(stats()->negative_replies, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 0), 4);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 0);
    lt_assert_eid(&t->eid, "10.1.5.5", 32, 0);
    lt_assert_endpoint(&t->peer, "203.0.113.1", LISP_CONTROL_PORT);
    assert_int_equal(t->nonce, 0x11);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_RECEIVED, 0);
    lt_assert_endpoint(&t->peer, "198.51.100.1", 55555);
}

static void test_negative_replies(void **state)
{
    const lisp_trace *t;

    (void)state;
    start();
    ask(SEC(1), 1, "10.3.0.5", 0);
    assert_negative(&g_io, 0, 1, "10.3.0.0", 16, 0, 15);
    lt_assert_endpoint(&g_io.sent[0].src, NODE_V4, LISP_CONTROL_PORT);
    ask(SEC(1), 2, "11.0.0.1", 0);
    assert_negative(&g_io, 1, 2, "11.0.0.0", 8, 0, 15);
    ask(SEC(1), 3, "2001:db8:3::1", 0);
    assert_negative(&g_io, 2, 3, "2001:db8:3::", 48, 0, 15);
    ask(SEC(1), 4, "2001:db8:0:8000::1", 0);
    assert_negative(&g_io, 3, 4, "2001:db8::", 48, 0, 15);
    /* Instance-IDs: [5]10.0.0.0/8 is configured; other instances have nothing. */
    ask(SEC(1), 5, "11.1.1.1", 5);
    assert_negative(&g_io, 4, 5, "11.0.0.0", 8, 5, 15);
    ask(SEC(1), 6, "10.1.1.1", 6);
    assert_negative(&g_io, 5, 6, "0.0.0.0", 0, 6, 15);
    ask(SEC(1), 7, "2001:db8:1::1", 5);
    assert_negative(&g_io, 6, 7, "::", 0, 5, 15);
    assert_int_equal(stats()->negative_replies, 7);
    assert_int_equal(stats()->forwarded, 0);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0);
    lt_assert_eid(&t->eid, "10.3.0.0", 16, 0);
    lt_assert_endpoint(&t->peer, "198.51.100.1", 55555);
    assert_int_equal(t->nonce, 1);
    assert_int_equal(t->count, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, 0), 0);
}

/* Reply addressing: the ITR-RLOC of the inner source's AFI, else the first one. */
static void test_reply_addressing(void **state)
{
    size_t len;

    (void)state;
    start();
    req_begin(1, "10.3.0.5", 0);
    len = encode_ecm(0, "2001:db8:aaaa::1", 61000);
    lt_assert_ok(deliver(SEC(1), "2001:db8:aaaa::1", 4342, g_wire, len));
    lt_assert_endpoint(&g_io.sent[0].dst, "2001:db8:aaaa::1", 61000);
    lt_assert_endpoint(&g_io.sent[0].src, "2001:db8:ffff::200", LISP_CONTROL_PORT);

    req_begin(2, "10.3.0.5", 0);
    g_m.u.mreq.itr_rloc_count = 1; /* only the IPv6 one */
    len = encode_ecm(0, "198.51.100.1", 4342);
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    lt_assert_endpoint(&g_io.sent[1].dst, "2001:db8:aaaa::1", 4342);
    assert_int_equal(g_io.sent[1].src.afi, LISP_AFI_NONE);
}

static void test_empty_table_and_ttl(void **state)
{
    (void)state;
    g_cfg.n_entries = 0;
    g_cfg.negative_ttl = SEC(60);
    start();
    ask(SEC(1), 1, "10.3.0.5", 0);
    assert_negative(&g_io, 0, 1, "0.0.0.0", 0, 0, 1);
    ask(SEC(1), 2, "2001:db8::1", 0);
    assert_negative(&g_io, 1, 2, "::", 0, 0, 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Unexpected and malformed input                                                           */
/* ---------------------------------------------------------------------------------------- */

static void test_unexpected_types(void **state)
{
    size_t len = 0;

    (void)state;
    start();
    req_begin(1, "10.1.5.5", 0); /* plain Map-Request */
    lt_assert_ok(lisp_msg_encode(&g_m, g_wire, sizeof g_wire, &len));
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    lt_sample_map_register(&g_m, LISP_MAP_REGISTER, LISP_MREG_F_M, LISP_KEY_ID_HMAC_SHA1_96, 20);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REPLY; /* an ECM carrying a Map-Reply */
    len = encode_ecm(0, "198.51.100.1", 4342);
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    lt_sample_info_request(&g_m, LISP_KEY_ID_HMAC_SHA1_96, 20, "xtr");
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    /* Types the Map-Resolver does not accept are not even parsed: a truncated one is still
     * "unexpected", not "malformed". */
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, 3));

    assert_int_equal(stats()->common.drops[LISP_DROP_UNEXPECTED_TYPE], 5);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_UNEXPECTED_TYPE), 5);
    assert_int_equal(stats()->common.drops[LISP_DROP_MALFORMED], 0);
    assert_int_equal(stats()->map_requests, 0);
    assert_int_equal(g_io.n_sent, 0);
}

static void expect_malformed(const uint8_t *p, size_t len, int err)
{
    size_t before = fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_MALFORMED);
    size_t n_drops;
    const lisp_trace *t;
    int rc = deliver(SEC(1), "198.51.100.1", 4342, p, len);

    n_drops = fake_io_count_traces(&g_io, LISP_TRACE_DROP, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_MALFORMED), before + 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, n_drops - 1);
    assert_int_equal(t->reason, LISP_DROP_MALFORMED);
    if (err)
        lt_assert_rc(t->err, err);
    else
        assert_true(lisp_err_is_packet_error(t->err));
    assert_int_equal(rc, t->err);
    assert_int_equal(g_io.n_sent, 0);
}

static void test_malformed_input(void **state)
{
    static const uint8_t unknown[] = {0x90, 0, 0, 0};
    uint8_t buf[512];
    size_t len, n;

    (void)state;
    start();
    lt_assert_rc(lisp_mr_handle_udp(g_mr, SEC(1), NULL, NULL, NULL, 0), LISP_ERR_TRUNCATED);
    expect_malformed(unknown, 0, LISP_ERR_TRUNCATED);
    expect_malformed(unknown, sizeof unknown, LISP_ERR_UNKNOWN_TYPE);

    req_begin(1, "10.1.5.5", 0);
    len = encode_ecm(0, "198.51.100.1", 55555);
    memcpy(buf, g_wire, len);
    for (n = 1; n < len; n++)
        expect_malformed(buf, n, 0);
    buf[len] = 0;
    expect_malformed(buf, len + 1, 0);
    buf[len - 1] ^= 0x01; /* inner UDP checksum */
    expect_malformed(buf, len, LISP_ERR_CHECKSUM);

    req_begin(1, "10.1.5.5", 0);
    g_m.u.mreq.record_count = 0;
    len = encode_ecm(0, "198.51.100.1", 55555);
    expect_malformed(g_wire, len, LISP_ERR_BAD_VALUE);
    req_begin(1, "10.1.5.5", 0);
    g_m.u.mreq.itr_rloc_count = 1;
    g_m.u.mreq.itr_rlocs[0] = lisp_addr_plain(lisp_afi_name("itr"));
    len = encode_ecm(0, "198.51.100.1", 55555);
    expect_malformed(g_wire, len, LISP_ERR_BAD_AFI);
    assert_int_equal(stats()->common.drops[LISP_DROP_MALFORMED],
                     fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_MALFORMED));
}

/* ---------------------------------------------------------------------------------------- */
/* Co-location with a Map-Server                                                            */
/* ---------------------------------------------------------------------------------------- */

static lisp_ms_prefix_config g_ms_prefixes[2];
static lisp_ms_site_config g_ms_site;

/* A Map-Server for site A (10.1.0.0/16, 10.5.0.0/16; key-id 1), and a Map-Resolver that
 * knows it as local_ms plus one remote entry 10.9.0.0/16 -> 203.0.113.9. */
static void start_colocated(void)
{
    lisp_ms_config mc;

    memset(g_ms_prefixes, 0, sizeof g_ms_prefixes);
    g_ms_prefixes[0].prefix = lt_eid("10.1.0.0", 16, 0);
    g_ms_prefixes[1].prefix = lt_eid("10.5.0.0", 16, 0);
    memset(&g_ms_site, 0, sizeof g_ms_site);
    g_ms_site.name = "site-a";
    g_ms_site.key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g_ms_site.key = key_a;
    g_ms_site.key_len = sizeof key_a;
    g_ms_site.prefixes = g_ms_prefixes;
    g_ms_site.n_prefixes = 2;
    g_ms_site.proxy_reply = true;
    lisp_ms_config_default(&mc);
    mc.sites = &g_ms_site;
    mc.n_sites = 1;
    g_ms = lisp_ms_new(&mc, &g_ms_io.host, 0);
    assert_non_null(g_ms);

    memset(g_entries, 0, sizeof g_entries);
    g_entries[0].prefix = lt_eid("10.9.0.0", 16, 0);
    g_entries[0].map_server = lt_endpoint("203.0.113.9", 0);
    g_cfg.n_entries = 1;
    g_cfg.local_ms = g_ms;
    start();
}

static size_t shared_ask(lisp_time_t now, uint64_t nonce, const char *eid, uint32_t flags)
{
    size_t len;
    req_begin(nonce, eid, 0);
    len = encode_ecm(flags, "198.51.100.1", 55555);
    lt_assert_ok(deliver_to(true, now, "198.51.100.1", 4342, g_wire, len));
    return len;
}

static void test_colocated_ms_mr(void **state)
{
    const lisp_msg *m;
    const lisp_trace *t;
    size_t len;

    (void)state;
    start_colocated();
    assert_int_equal(lisp_mr_entry_count(g_mr), 3);
    assert_true(lisp_mr_entry_at(g_mr, 1)->local);
    lt_assert_eid(&lisp_mr_entry_at(g_mr, 2)->prefix, "10.5.0.0", 16, 0);

    /* A Map-Register on the shared socket goes to the Map-Server. */
    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REGISTER;
    g_m.u.mreg.flags = LISP_MREG_F_M;
    g_m.u.mreg.nonce = 42;
    g_m.u.mreg.key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g_m.u.mreg.auth_len = 20;
    g_m.u.mreg.record_count = 1;
    g_m.u.mreg.records = g_m.record_pool;
    g_m.record_pool[0].ttl = 1440;
    g_m.record_pool[0].eid.mask_len = 16;
    g_m.record_pool[0].eid.addr = lt_addr("10.1.0.0");
    g_m.record_pool[0].loc_count = 1;
    g_m.record_pool[0].locators = g_m.locator_pool;
    g_m.locator_pool[0].priority = 1;
    g_m.locator_pool[0].weight = 100;
    g_m.locator_pool[0].addr = lt_addr("192.0.2.1");
    assert_int_equal(lisp_mr_dispatch(g_wire, 0), LISP_MR_TO_MS);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
    assert_int_equal(lisp_mr_dispatch(g_wire, len), LISP_MR_TO_MS);
    lt_assert_ok(deliver_to(true, SEC(1), "192.0.2.1", 4342, g_wire, len));
    assert_int_equal(g_ms_io.n_sent, 1); /* the Map-Notify, by the Map-Server */
    assert_int_equal(decode(&g_ms_io.sent[0])->type, LISP_MAP_NOTIFY);
    assert_int_equal(stats()->received, 0);

    /* ECM Map-Request for a registered EID: MR -> local MS, proxy reply by the MS. */
    len = shared_ask(SEC(2), 0x51, "10.1.9.9", 0);
    assert_int_equal(lisp_mr_dispatch(g_wire, len), LISP_MR_TO_MR);
    assert_int_equal(g_io.n_sent, 0); /* nothing sent to ourselves */
    assert_int_equal(g_ms_io.n_sent, 2);
    lt_assert_endpoint(&g_ms_io.sent[1].dst, "198.51.100.1", 55555);
    m = decode(&g_ms_io.sent[1]);
    assert_int_equal(m->type, LISP_MAP_REPLY);
    assert_int_equal(m->u.mrep.nonce, 0x51);
    assert_int_equal(m->u.mrep.records[0].loc_count, 1);
    assert_false(m->u.mrep.records[0].authoritative);
    assert_int_equal(stats()->local, 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 0);
    lt_assert_endpoint(&t->peer, NODE_V4, LISP_CONTROL_PORT);
    assert_int_equal(lisp_ms_get_stats(g_ms)->proxy_replies, 1);

    /* Configured at the local MS, not registered: its short negative reply. */
    shared_ask(SEC(3), 0x52, "10.5.1.1", 0);
    assert_int_equal(g_io.n_sent, 0);
    assert_negative(&g_ms_io, 2, 0x52, "10.5.0.0", 16, 0, 1);
    assert_int_equal(stats()->local, 2);

    /* Remote entry: forwarded by the MR. */
    shared_ask(SEC(4), 0x53, "10.9.1.1", 0);
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "203.0.113.9", LISP_CONTROL_PORT);

    /* Covered by nothing: the MR's negative reply, around all known prefixes. */
    shared_ask(SEC(5), 0x54, "10.6.1.1", 0);
    assert_negative(&g_io, 1, 0x54, "10.6.0.0", 15, 0, 15);
    shared_ask(SEC(5), 0x55, "10.12.1.1", 0);
    assert_negative(&g_io, 2, 0x55, "10.12.0.0", 14, 0, 15);

    /* An ECM with the to-MS bit goes to the Map-Server directly. */
    len = shared_ask(SEC(6), 0x56, "10.1.9.9", LISP_ECM_F_M);
    assert_int_equal(lisp_mr_dispatch(g_wire, len), LISP_MR_TO_MS);
    assert_int_equal(stats()->local, 2);
    assert_int_equal(g_ms_io.n_sent, 4);
    assert_int_equal(decode(&g_ms_io.sent[3])->u.mrep.nonce, 0x56);

    /* Garbage on the shared socket: the Map-Server counts it. */
    g_wire[0] = 0x60;
    assert_int_equal(lisp_mr_dispatch(g_wire, 1), LISP_MR_TO_MS);
    lt_assert_rc(deliver_to(true, SEC(7), "198.51.100.1", 4342, g_wire, 1), LISP_ERR_UNKNOWN_TYPE);
    assert_int_equal(lisp_ms_get_stats(g_ms)->common.drops[LISP_DROP_MALFORMED], 1);
    assert_int_equal(stats()->map_requests, 5);
}

/* An explicit entry for a prefix of the local Map-Server takes precedence over the import. */
static void test_explicit_entry_overrides_local(void **state)
{
    (void)state;
    memset(g_entries, 0, sizeof g_entries);
    start_colocated();
    lisp_mr_free(g_mr);
    g_entries[1].prefix = lt_eid("10.1.0.0", 16, 0);
    g_entries[1].map_server = lt_endpoint("203.0.113.1", 0);
    g_cfg.n_entries = 2;
    start();
    assert_int_equal(lisp_mr_entry_count(g_mr), 3);
    ask(SEC(1), 1, "10.1.2.3", 0);
    lt_assert_endpoint(&g_io.sent[0].dst, "203.0.113.1", LISP_CONTROL_PORT);
    assert_int_equal(g_ms_io.n_sent, 0);

    /* Explicitly local entries without the import go to the MS as well. */
    lisp_mr_free(g_mr);
    g_entries[1].local = true;
    start();
    ask(SEC(2), 2, "10.1.2.3", 0);
    assert_int_equal(g_ms_io.n_sent, 1);
    assert_int_equal(stats()->local, 1);
}

/* The Map-Resolver without local_ms takes everything on the shared entry point. */
static void test_shared_without_local_ms(void **state)
{
    size_t len = 0;

    (void)state;
    start();
    lt_sample_map_register(&g_m, LISP_MAP_REGISTER, 0, LISP_KEY_ID_HMAC_SHA1_96, 20);
    len = lt_encode_signed(&g_m, key_a, sizeof key_a, g_wire, sizeof g_wire);
    lt_assert_ok(deliver_to(true, SEC(1), "192.0.2.1", 4342, g_wire, len));
    assert_int_equal(stats()->common.drops[LISP_DROP_UNEXPECTED_TYPE], 1);
}

static void test_random_input_never_crashes(void **state)
{
    uint8_t valid[512], buf[600];
    size_t valid_len, i, k;
    uint64_t seed = 12345;

    (void)state;
    start();
    req_begin(1, "10.1.5.5", 0);
    valid_len = encode_ecm(0, "198.51.100.1", 55555);
    memcpy(valid, g_wire, valid_len);
    for (i = 0; i < 3000; i++) {
        size_t traces, len;
        uint64_t r = lt_xorshift(&seed);
        if (g_io.n_sent > FAKE_MAX_PACKETS - 4 || g_io.n_traces > FAKE_MAX_TRACES - 8)
            fake_io_clear(&g_io);
        traces = g_io.n_traces;
        if (i % 2) {
            len = (size_t)(r % 120);
            for (k = 0; k < len; k++)
                buf[k] = (uint8_t)lt_xorshift(&seed);
            if (len)
                buf[0] = (uint8_t)(0x80 | (buf[0] & 0x0F));
        } else {
            len = valid_len;
            memcpy(buf, valid, len);
            for (k = 0; k < 1 + (r >> 8) % 3; k++)
                buf[lt_xorshift(&seed) % len] ^= (uint8_t)(1u << (lt_xorshift(&seed) % 8));
        }
        deliver(SEC(1) + i, "198.51.100.1", 4342, buf, len);
        assert_true(g_io.n_traces > traces);
    }
    assert_int_equal(stats()->received, 3000);
}

/* ---------------------------------------------------------------------------------------- */
/* Several records, the D bit, lig's ECM                                                    */
/* ---------------------------------------------------------------------------------------- */

static void req_add(const char *eid)
{
    lisp_map_request *q = &g_m.u.mreq;
    lisp_afi_addr a = lt_ip(eid);
    q->records[q->record_count].mask_len = (uint8_t)lisp_afi_bits(a.afi);
    q->records[q->record_count].addr = lisp_addr_plain(a);
    q->record_count++;
}

/* The records of the Map-Request inside ECM sent[i] (decoded into out). */
static const lisp_map_request *inner_request(const fake_io *io, size_t i, lisp_msg *out)
{
    const lisp_msg *m = decode(&io->sent[i]);
    assert_int_equal(m->type, LISP_ECM);
    lt_assert_ok(lisp_msg_decode(out, m->u.ecm.payload, m->u.ecm.payload_len));
    assert_int_equal(out->type, LISP_MAP_REQUEST);
    return &out->u.mreq;
}

static void test_every_record(void **state)
{
    static lisp_msg inner;
    const lisp_map_request *q;
    const lisp_msg *m;
    size_t len;

    (void)state;
    start();
    req_begin(0x31, "10.1.5.5", 0);
    req_add("10.2.1.1");
    req_add("10.1.6.6");
    req_add("11.0.0.1");
    len = encode_ecm(0, "198.51.100.1", 55555);
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));

    assert_int_equal(g_io.n_sent, 3);
    m = decode(&g_io.sent[0]); /* the negative answer first */
    assert_int_equal(m->type, LISP_MAP_REPLY);
    assert_int_equal(m->u.mrep.nonce, 0x31);
    assert_int_equal(m->u.mrep.record_count, 1);
    assert_negative(&g_io, 0, 0x31, "11.0.0.0", 8, 0, 15);
    lt_assert_endpoint(&g_io.sent[1].dst, "203.0.113.1", LISP_CONTROL_PORT);
    q = inner_request(&g_io, 1, &inner);
    assert_int_equal(q->record_count, 2);
    assert_int_equal(q->nonce, 0x31);
    {
        lisp_addr a = lt_addr("10.1.5.5"), b = lt_addr("10.1.6.6");
        lt_assert_addr_equal(&a, &q->records[0].addr);
        lt_assert_addr_equal(&b, &q->records[1].addr);
    }
    assert_int_equal(decode(&g_io.sent[1])->u.ecm.inner.sport, 55555);
    lt_assert_endpoint(&g_io.sent[2].dst, "203.0.113.2", 5000);
    q = inner_request(&g_io, 2, &inner);
    assert_int_equal(q->record_count, 1);
    assert_int_equal(stats()->forwarded, 2);
    assert_int_equal(stats()->negative_replies, 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 0), 3);
    lt_assert_eid(&fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_FORWARDED, 1)->eid, "10.1.6.6",
                  32, 0);
}

/* D bit: the Map-Resolver sends no negative Map-Reply; the Map-Servers decide theirs. */
static void test_d_bit(void **state)
{
    size_t len;

    (void)state;
    start();
    req_begin(0x32, "11.0.0.1", 0);
    req_add("10.1.5.5");
    g_m.u.mreq.flags = LISP_MREQ_F_D;
    len = encode_ecm(0, "198.51.100.1", 55555);
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "203.0.113.1", LISP_CONTROL_PORT);
    assert_int_equal(stats()->negative_replies, 0);
    assert_int_equal(stats()->requests_no_reply, 1);
}

/* LISPmob lig's ECM has a zero inner IPv4 header checksum: forwarded anyway, counted. */
static void test_lig_ecm_checksum(void **state)
{
    size_t len;

    (void)state;
    start();
    req_begin(0x33, "10.1.5.5", 0);
    len = encode_ecm(0, "198.51.100.1", 55555);
    g_wire[4 + 10] = g_wire[4 + 11] = 0;
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    assert_int_equal(g_io.n_sent, 1);
    assert_memory_equal(g_io.sent[0].data, g_wire, len);
    assert_int_equal(stats()->ecm_bad_inner_checksum, 1);
    req_begin(0x34, "11.0.0.1", 0);
    len = encode_ecm(0, "198.51.100.1", 55555);
    g_wire[4 + 10] ^= 0x55;
    lt_assert_ok(deliver(SEC(1), "198.51.100.1", 4342, g_wire, len));
    assert_negative(&g_io, 1, 0x34, "11.0.0.0", 8, 0, 15);
    assert_int_equal(stats()->ecm_bad_inner_checksum, 2);
}

/* Co-located: the local records go to the Map-Server in a request of their own, the remote
 * ones to their Map-Server, and the rest is answered here. */
static void test_colocated_split(void **state)
{
    static lisp_msg inner;
    const lisp_msg *m;
    size_t len;

    (void)state;
    start_colocated();
    req_begin(0x35, "10.9.1.1", 0); /* remote */
    req_add("10.1.1.1");            /* local, configured, not registered */
    req_add("12.0.0.1");            /* nobody's */
    req_add("10.5.1.1");            /* local */
    len = encode_ecm(0, "198.51.100.1", 55555);
    lt_assert_ok(deliver_to(true, SEC(1), "198.51.100.1", 4342, g_wire, len));
    assert_int_equal(g_io.n_sent, 2);
    assert_negative(&g_io, 0, 0x35, "12.0.0.0", 6, 0, 15);
    lt_assert_endpoint(&g_io.sent[1].dst, "203.0.113.9", LISP_CONTROL_PORT);
    assert_int_equal(inner_request(&g_io, 1, &inner)->record_count, 1);
    assert_int_equal(stats()->local, 1);
    /* The Map-Server answered both of its records in one Map-Reply. */
    assert_int_equal(g_ms_io.n_sent, 1);
    m = decode(&g_ms_io.sent[0]);
    assert_int_equal(m->type, LISP_MAP_REPLY);
    assert_int_equal(m->u.mrep.nonce, 0x35);
    assert_int_equal(m->u.mrep.record_count, 2);
    lt_assert_endpoint(&g_ms_io.sent[0].dst, "198.51.100.1", 55555);
    assert_int_equal(lisp_ms_get_stats(g_ms)->map_requests, 1);
    assert_int_equal(lisp_ms_get_stats(g_ms)->unregistered_replies, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_configs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forward_to_map_server, setup, teardown),
        cmocka_unit_test_setup_teardown(test_negative_replies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_addressing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_table_and_ttl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unexpected_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_colocated_ms_mr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explicit_entry_overrides_local, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_without_local_ms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_input_never_crashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_d_bit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lig_ecm_checksum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_colocated_split, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
