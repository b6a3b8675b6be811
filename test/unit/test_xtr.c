/*
 * test_xtr.c - unit tests for the xTR engine (lisp_xtr*.c) driven with literal timestamps
 * through the recording fake of the callback table: every message it sends is decoded
 * and checked field by field.
 *
 * Site A (this xTR): EID 10.1.0.0/16, RLOC 192.0.2.1. Site B: EID 10.2.0.0/16,
 * RLOCs 198.51.100.1 and .2. Map-Resolver and Map-Server: 203.0.113.10. PETR 203.0.113.20.
 */
#include <string.h>

#include "lisp_auth.h"
#include "lisp_data.h"
#include "lisp_xtr_harness.h"

/* A Map-Reply from the resolver's address for `eid` with the given locators. */
static void reply(lisp_time_t now, uint64_t nonce, lisp_eid eid, uint32_t ttl, uint8_t action,
                  unsigned n_locs, const lisp_mapcache_loc *locs)
{
    xh_record r = {eid, ttl, action, n_locs, locs};
    xh_reply(now, nonce, 1, &r);
}

static const lisp_mapcache_loc site_b[] = {
    {{198, 51, 100, 1}, LISP_AFI_IPV4, 0, 1, 100, 255, 0, LISP_LOC_F_R},
};

/* ---------------------------------------------------------------------------------------- */

static void test_bad_configs(void **state)
{
    lisp_xtr_config c;
    fake_io_init(&g_io, 1);
    (void)state;

    xh_base_config(&c);
    c.eids[0] = lt_eid("10.1.0.1", 16, 0); /* host bits set */
    assert_null(lisp_xtr_new(&c, &g_io.host, T0));
    xh_base_config(&c);
    c.map_servers[0].key_id = 9;
    assert_null(lisp_xtr_new(&c, &g_io.host, T0));
    xh_base_config(&c);
    c.n_rlocs = 0; /* resolvers and servers need an RLOC */
    assert_null(lisp_xtr_new(&c, &g_io.host, T0));
    xh_base_config(&c);
    g_io.host.env.random = NULL;
    assert_null(lisp_xtr_new(&c, &g_io.host, T0));
    xh_base_config(&c);
    assert_null(lisp_xtr_new(&c, NULL, T0));
}

static void test_register_cadence_and_contents(void **state)
{
    lisp_xtr_config c;
    const lisp_map_register *g;
    (void)state;

    xh_base_config(&c);
    c.use_xtr_id = true;
    memset(c.xtr_id, 0xA5, sizeof c.xtr_id);
    xh_start(&c);
    assert_int_equal(lisp_xtr_next_expiry(g_x), LISP_TIME_NEVER); /* not started */
    lisp_xtr_start(g_x, T0);
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "203.0.113.10", LISP_CONTROL_PORT);
    lt_assert_endpoint(&g_io.sent[0].src, "192.0.2.1", LISP_CONTROL_PORT);
    lt_assert_ok(lisp_auth_verify(g_io.sent[0].data, g_io.sent[0].len, (const uint8_t *)XH_KEY,
                                  strlen(XH_KEY), false));
    lt_assert_ok(lisp_msg_decode(&g_m, g_io.sent[0].data, g_io.sent[0].len));
    assert_int_equal(g_m.type, LISP_MAP_REGISTER);
    g = &g_m.u.mreg;
    assert_int_equal(g->flags, LISP_MREG_F_M | LISP_MREG_F_I);
    assert_int_equal(g->key_id, LISP_KEY_ID_HMAC_SHA1_96);
    assert_int_equal(g->auth_len, 20);
    assert_int_equal(g->xtr_id[15], 0xA5);
    assert_int_equal(g->record_count, 1);
    assert_int_equal(g->records[0].ttl, 1440);
    assert_true(g->records[0].authoritative);
    assert_int_equal(g->records[0].eid.mask_len, 16);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("10.1.0.0")}, &g->records[0].eid.addr);
    assert_int_equal(g->records[0].loc_count, 1);
    assert_int_equal(g->records[0].locators[0].priority, 1);
    assert_int_equal(g->records[0].locators[0].weight, 100);
    assert_int_equal(g->records[0].locators[0].flags, LISP_LOC_F_R);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REGISTER_SENT, 0), 1);

    /* Acknowledged (a Map-Notify with its nonce): every 60 s exactly from the round's
     * start, nothing at 59.999 s, the next one at 60 s. */
    xh_notify(T0 + MS(10), g->nonce, XH_KEY, "203.0.113.10", false);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(60));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(60) - MS(1));
    assert_int_equal(g_io.n_sent, 1);
    lisp_xtr_handle_expiry(g_x, T0 + SEC(60));
    assert_int_equal(g_io.n_sent, 2);
    lt_assert_ok(lisp_msg_decode(&g_m, g_io.sent[1].data, g_io.sent[1].len));
    xh_notify(T0 + SEC(60) + MS(10), g_m.u.mreg.nonce, XH_KEY, "203.0.113.10", false);
    lisp_xtr_handle_expiry(g_x, T0 + SEC(120));
    assert_int_equal(g_io.n_sent, 3);
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_registers_sent, 3);
}

static void test_map_notify(void **state)
{
    lisp_xtr_config c;
    uint64_t nonce;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    lt_assert_ok(lisp_msg_decode(&g_m, g_io.sent[0].data, g_io.sent[0].len));
    nonce = g_m.u.mreg.nonce;
    assert_false(lisp_xtr_registered(g_x));

    xh_notify(T0 + MS(10), nonce, "wrong-key", "203.0.113.10", false);
    assert_false(lisp_xtr_registered(g_x));
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_AUTH_FAILED), 1);
    xh_notify(T0 + MS(10), nonce + 1, XH_KEY, "203.0.113.10", false);
    assert_false(lisp_xtr_registered(g_x));
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_UNSOLICITED), 1);
    xh_notify(T0 + MS(10), nonce, XH_KEY, "203.0.113.99", false); /* not our Map-Server */
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_UNSOLICITED), 2);
    assert_false(lisp_xtr_registered(g_x));

    xh_notify(T0 + MS(20), nonce, XH_KEY, "203.0.113.10", false);
    assert_true(lisp_xtr_registered(g_x));
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_notifies_received, 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_AUTH_FAILED], 1);
    /* A new registration round waits for a new Map-Notify. */
    lisp_xtr_handle_expiry(g_x, T0 + SEC(60));
    assert_false(lisp_xtr_registered(g_x));
}

static void test_miss_drop_sends_map_request(void **state)
{
    lisp_xtr_config c;
    const lisp_map_request *q;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 5000);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_MAP_CACHE_MISS), 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "203.0.113.10", LISP_CONTROL_PORT);
    lt_assert_endpoint(&g_io.sent[0].src, "192.0.2.1", LISP_CONTROL_PORT);

    xh_sent_request_nonce(0);
    assert_int_equal(g_m.u.ecm.flags, 0);
    assert_int_equal(g_m.u.ecm.inner.afi, LISP_AFI_IPV4);
    assert_memory_equal(g_m.u.ecm.inner.src, lt_endpoint("192.0.2.1", 0).addr, 4);
    assert_memory_equal(g_m.u.ecm.inner.dst, lt_endpoint("10.2.0.7", 0).addr, 4);
    assert_int_equal(g_m.u.ecm.inner.sport, LISP_CONTROL_PORT);
    assert_int_equal(g_m.u.ecm.inner.dport, LISP_CONTROL_PORT);
    q = &g_inner.u.mreq;
    assert_int_equal(q->flags, 0);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("10.1.0.5")}, &q->source_eid);
    assert_int_equal(q->itr_rloc_count, 1);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("192.0.2.1")}, &q->itr_rlocs[0]);
    assert_int_equal(q->record_count, 1);
    assert_int_equal(q->records[0].mask_len, 32);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("10.2.0.7")}, &q->records[0].addr);

    /* One resolution per destination: a second packet sends no second request. */
    xh_eid(T0 + MS(1), "10.1.0.5", "10.2.0.7", 5000);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_MAP_CACHE_MISS], 2);
}

static void test_map_reply_then_encapsulation(void **state)
{
    lisp_xtr_config c;
    uint8_t pkt[1500];
    size_t len;
    lisp_data_hdr h;
    uint16_t sport;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 5000);
    reply(T0 + MS(30), xh_sent_request_nonce(0), lt_eid("10.2.0.0", 16, 0), 1440, 0, 1, site_b);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REPLY_RECEIVED, 0), 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAPCACHE_INSERT, 0), 1);
    assert_non_null(lisp_mapcache_lookup(lisp_xtr_mapcache(g_x), 0, LISP_AFI_IPV4,
                                         (uint8_t[]){10, 2, 200, 1}));
    /* The map-cache entry expires after its TTL (1440 minutes). */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(30) + SEC(1440 * 60));

    fake_io_clear(&g_io);
    len = xh_udp_packet(pkt, "10.1.0.5", "10.2.0.7", 5000, 7, 64, 0, "payload");
    lt_assert_ok(lisp_xtr_eid_packet(g_x, T0 + SEC(1), pkt, len));
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "198.51.100.1", LISP_DATA_PORT);
    sport = g_io.sent[0].src.port;
    assert_true(sport >= 49152);
    lt_assert_ok(lisp_data_decode(&h, g_io.sent[0].data, g_io.sent[0].len));
    assert_int_equal(h.flags, LISP_DATA_F_N | LISP_DATA_F_L);
    assert_int_equal(h.lsb, 1);
    assert_int_equal(g_io.sent[0].len, len + LISP_DATA_HDR_LEN);
    assert_memory_equal(g_io.sent[0].data + LISP_DATA_HDR_LEN, pkt, len);

    /* Same flow, same source port; another flow may differ but stays in range. */
    lt_assert_ok(lisp_xtr_eid_packet(g_x, T0 + SEC(2), pkt, len));
    assert_int_equal(g_io.sent[1].src.port, sport);
    assert_int_equal(lisp_xtr_get_stats(g_x)->encapsulated, 2);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_ENCAP, 0), 2);
}

static void test_queue_policy(void **state)
{
    lisp_xtr_config c;
    unsigned i;
    (void)state;

    xh_base_config(&c);
    c.miss_policy = LISP_MISS_QUEUE;
    c.queue_packets = 3;
    xh_start(&c);
    for (i = 0; i < 4; i++)
        xh_eid(T0 + MS(i), "10.1.0.5", "10.2.0.7", (uint16_t)(6000 + i));
    assert_int_equal(g_io.n_sent, 1); /* only the Map-Request */
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_QUEUE_FULL], 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_MAP_CACHE_MISS], 0);

    reply(T0 + MS(40), xh_sent_request_nonce(0), lt_eid("10.2.0.0", 16, 0), 10, 0, 1, site_b);
    /* The three held packets leave in order, right away. */
    assert_int_equal(g_io.n_sent, 4);
    for (i = 0; i < 3; i++) {
        lisp_ip_flow f;
        const fake_packet *p = &g_io.sent[1 + i];
        lt_assert_endpoint(&p->dst, "198.51.100.1", LISP_DATA_PORT);
        lt_assert_ok(lisp_ip_flow_parse(&f, p->data + 8, p->len - 8));
        assert_int_equal(f.sport, 6000 + i);
    }
    /* The slots are free again. */
    xh_eid(T0 + MS(50), "10.1.0.5", "10.3.0.1", 1);
    xh_eid(T0 + MS(50), "10.1.0.5", "10.3.0.1", 2);
    xh_eid(T0 + MS(50), "10.1.0.5", "10.3.0.1", 3);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_QUEUE_FULL], 1);
}

static void test_retries_backoff_and_failure(void **state)
{
    lisp_xtr_config c;
    static const unsigned at_ms[] = {0, 1000, 3000, 7000};
    uint64_t nonce;
    unsigned i;
    (void)state;

    xh_base_config(&c);
    c.miss_policy = LISP_MISS_QUEUE;
    c.n_map_resolvers = 2;
    c.map_resolvers[1] = lt_endpoint("203.0.113.11", 0);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 5000);
    nonce = xh_sent_request_nonce(0);
    for (i = 1; i < 4; i++) {
        assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(at_ms[i]));
        lisp_xtr_handle_expiry(g_x, T0 + MS(at_ms[i]) - 1);
        assert_int_equal(g_io.n_sent, i);
        lisp_xtr_handle_expiry(g_x, T0 + MS(at_ms[i]));
        assert_int_equal(g_io.n_sent, i + 1);
        assert_int_equal(xh_sent_request_nonce(i), nonce);
        /* Resolvers take turns. */
        lt_assert_endpoint(&g_io.sent[i].dst, i % 2 ? "203.0.113.11" : "203.0.113.10", 4342);
    }
    /* After three retransmissions, give up at 15 s and drop the held packet. */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(15));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(15));
    assert_int_equal(g_io.n_sent, 4);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_RESOLUTION_FAILED], 1);
    assert_int_equal(lisp_xtr_next_expiry(g_x), LISP_TIME_NEVER);
    /* A late reply is unsolicited. */
    reply(T0 + SEC(16), nonce, lt_eid("10.2.0.0", 16, 0), 10, 0, 1, site_b);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_UNSOLICITED], 1);
}

static void test_ttl_expiry_triggers_new_request(void **state)
{
    lisp_xtr_config c;
    const lisp_trace *ev;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 5000);
    reply(T0 + MS(20), xh_sent_request_nonce(0), lt_eid("10.2.0.0", 16, 0), 1, 0, 1, site_b);
    xh_eid(T0 + SEC(30), "10.1.0.5", "10.2.0.7", 5000);
    assert_int_equal(lisp_xtr_get_stats(g_x)->encapsulated, 1);

    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(20) + SEC(60));
    lisp_xtr_handle_expiry(g_x, T0 + MS(20) + SEC(60));
    ev = fake_io_find_trace(&g_io, LISP_TRACE_MAPCACHE_EXPIRE, 0);
    assert_non_null(ev);
    assert_int_equal(ev->now, T0 + MS(20) + SEC(60));
    assert_int_equal(ev->eid.mask_len, 16);

    xh_eid(T0 + SEC(90), "10.1.0.5", "10.2.0.7", 5000);
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_requests_sent, 2);
    assert_int_equal(lisp_xtr_get_stats(g_x)->encapsulated, 1);
}

static void test_negative_mappings(void **state)
{
    lisp_xtr_config c;
    (void)state;

    /* Natively-forward with a PETR: encapsulate to it. */
    xh_base_config(&c);
    c.n_petrs = 1;
    c.petrs[0] = lt_endpoint("203.0.113.20", 0);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "8.8.8.8", 5000);
    reply(T0 + MS(5), xh_sent_request_nonce(0), lt_eid("8.0.0.0", 5, 0), 15,
          LISP_ACT_NATIVELY_FORWARD, 0, NULL);
    xh_eid(T0 + SEC(1), "10.1.0.5", "8.8.8.8", 5000);
    assert_int_equal(g_io.n_sent, 2);
    lt_assert_endpoint(&g_io.sent[1].dst, "203.0.113.20", LISP_DATA_PORT);
    xh_teardown(NULL);

    /* Without a PETR: natively. */
    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "8.8.8.8", 5000);
    reply(T0 + MS(5), xh_sent_request_nonce(0), lt_eid("8.0.0.0", 5, 0), 15,
          LISP_ACT_NATIVELY_FORWARD, 0, NULL);
    xh_eid(T0 + SEC(1), "10.1.0.5", "8.8.8.8", 5000);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(g_io.n_native, 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->forwarded_native, 1);
    /* The host has no route: a drop, not a forward. */
    g_io.native_fails = true;
    xh_eid(T0 + SEC(2), "10.1.0.5", "8.8.8.8", 5000);
    assert_int_equal(lisp_xtr_get_stats(g_x)->forwarded_native, 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NO_ROUTE], 1);
    xh_teardown(NULL);

    /* A drop action drops. */
    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.9.0.1", 5000);
    reply(T0 + MS(5), xh_sent_request_nonce(0), lt_eid("10.9.0.0", 16, 0), 1,
          LISP_ACT_DROP_POLICY_DENIED, 0, NULL);
    xh_eid(T0 + SEC(1), "10.1.0.5", "10.9.0.1", 5000);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NEGATIVE_MAPPING], 1);
    assert_int_equal(g_io.n_native, 0);
}

static void test_locator_choice(void **state)
{
    lisp_xtr_config c;
    lisp_mapcache_loc locs[4];
    unsigned i, to_1 = 0, to_2 = 0;
    (void)state;

    locs[0] = xh_rloc("198.51.100.1", 1, 50);
    locs[1] = xh_rloc("198.51.100.2", 1, 50);
    locs[2] = xh_rloc("198.51.100.3", 2, 100); /* worse priority: never used */
    locs[3] = xh_rloc("198.51.100.4", 0, 100); /* best priority but unreachable */
    locs[3].flags = 0;
    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    reply(T0 + MS(5), xh_sent_request_nonce(0), lt_eid("10.2.0.0", 16, 0), 10, 0, 4, locs);
    fake_io_clear(&g_io);
    for (i = 0; i < 200; i++)
        xh_eid(T0 + SEC(1), "10.1.0.5", "10.2.0.7", (uint16_t)(10000 + i));
    for (i = 0; i < g_io.n_sent; i++) {
        if (g_io.sent[i].dst.addr[3] == 1)
            to_1++;
        else if (g_io.sent[i].dst.addr[3] == 2)
            to_2++;
    }
    assert_int_equal(to_1 + to_2, 200);
    assert_true(to_1 > 60 && to_2 > 60); /* both equal-weight locators carry flows */

    /* All candidates unreachable: no locator. */
    xh_teardown(NULL);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    reply(T0 + MS(5), xh_sent_request_nonce(0), lt_eid("10.2.0.0", 16, 0), 10, 0, 1, &locs[3]);
    xh_eid(T0 + SEC(1), "10.1.0.5", "10.2.0.7", 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NO_LOCATOR], 1);
}

/* A data packet as site B's ITR would send it to us. */
static size_t data_packet(uint8_t *buf, const char *inner_dst, uint32_t iid, uint8_t *inner,
                          size_t *inner_len)
{
    lisp_data_hdr h;
    memset(&h, 0, sizeof h);
    h.flags = LISP_DATA_F_N | (iid ? LISP_DATA_F_I : 0);
    h.nonce = 0xABCDEF;
    h.iid = iid;
    lt_assert_ok(lisp_data_encode(&h, buf));
    *inner_len = xh_udp_packet(inner, "10.2.0.7", inner_dst, 7, 5000, 64, 0, "reply");
    memcpy(buf + 8, inner, *inner_len);
    return *inner_len + 8;
}

static void test_decapsulation(void **state)
{
    lisp_xtr_config c;
    uint8_t buf[1500], inner[1500];
    size_t len, inner_len;
    lisp_endpoint src = lt_endpoint("198.51.100.1", 52000),
                  dst = lt_endpoint("192.0.2.1", LISP_DATA_PORT);
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    len = data_packet(buf, "10.1.3.4", 0, inner, &inner_len);
    lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, buf, len));
    assert_int_equal(g_io.n_delivered, 1);
    assert_int_equal(g_io.delivered[0].len, inner_len);
    assert_memory_equal(g_io.delivered[0].data, inner, inner_len);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DECAP, 0), 1);

    len = data_packet(buf, "10.7.3.4", 0, inner, &inner_len); /* not our EID */
    lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, buf, len));
    len = data_packet(buf, "10.1.3.4", 5, inner, &inner_len); /* wrong instance */
    lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, buf, len));
    assert_int_equal(g_io.n_delivered, 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NOT_OUR_EID], 2);
    lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, buf, 5)); /* truncated */
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_MALFORMED], 1);
    xh_teardown(NULL);

    /* A PETR forwards decapsulated packets for anyone, natively. */
    lisp_xtr_config_default(&c);
    c.petr = true;
    xh_start(&c);
    len = data_packet(buf, "8.8.8.8", 0, inner, &inner_len);
    lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, buf, len));
    assert_int_equal(g_io.n_native, 1);
    assert_memory_equal(g_io.native[0].data, inner, inner_len);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DECAP, 0), 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_FORWARD_NATIVE, 0), 1);
}

/* A Map-Request for `eid` from site B's ITR 198.51.100.1, optionally an RLOC-probe,
 * optionally wrapped in an ECM (as a Map-Server forwards it) with inner source port 4342. */
static void request(const char *eid, bool probe, bool ecm)
{
    static lisp_msg q;
    static uint8_t wire[2048];
    lisp_endpoint src = lt_endpoint(ecm ? "203.0.113.10" : "198.51.100.1", 4342);
    lisp_endpoint dst = lt_endpoint("192.0.2.1", LISP_CONTROL_PORT);
    size_t len;

    lt_sample_map_request(&q);
    q.u.mreq.nonce = 0x1234;
    q.u.mreq.flags = probe ? LISP_MREQ_F_P : 0;
    q.u.mreq.itr_rlocs[0] = lt_addr("198.51.100.1");
    q.u.mreq.records[0].mask_len = 32;
    q.u.mreq.records[0].addr = lt_addr(eid);
    if (ecm)
        len = lt_encode_ecm(&q, 0, "198.51.100.1", eid, 4342, wire, sizeof wire);
    else
        lt_assert_ok(lisp_msg_encode(&q, wire, sizeof wire, &len));
    lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, wire, len));
}

static void test_etr_answers_map_requests(void **state)
{
    lisp_xtr_config c;
    const lisp_record *rec;
    (void)state;

    xh_base_config(&c);
    c.n_rlocs = 2;
    c.rlocs[1] = xh_rloc("192.0.2.2", 2, 50);
    xh_start(&c);

    request("10.1.2.3", false, true); /* forwarded by the Map-Server */
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "198.51.100.1", 4342);
    lt_assert_endpoint(&g_io.sent[0].src, "192.0.2.1", 4342);
    lt_assert_ok(lisp_msg_decode(&g_m, g_io.sent[0].data, g_io.sent[0].len));
    assert_int_equal(g_m.type, LISP_MAP_REPLY);
    assert_int_equal(g_m.u.mrep.flags, 0);
    assert_int_equal(g_m.u.mrep.nonce, 0x1234);
    assert_int_equal(g_m.u.mrep.record_count, 1);
    rec = &g_m.u.mrep.records[0];
    assert_int_equal(rec->ttl, 1440);
    assert_true(rec->authoritative);
    assert_int_equal(rec->eid.mask_len, 16);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("10.1.0.0")}, &rec->eid.addr);
    assert_int_equal(rec->loc_count, 2);
    assert_int_equal(rec->locators[1].priority, 2);
    assert_int_equal(rec->locators[1].weight, 50);
    assert_int_equal(rec->locators[0].flags, LISP_LOC_F_R | LISP_LOC_F_L);

    /* An RLOC-probe: P bit, and the probed locator (192.0.2.1) marked. */
    request("10.1.2.3", true, false);
    lt_assert_ok(lisp_msg_decode(&g_m, g_io.sent[1].data, g_io.sent[1].len));
    assert_int_equal(g_m.u.mrep.flags, LISP_MREP_F_P);
    assert_int_equal(g_m.u.mrep.records[0].locators[0].flags,
                     LISP_LOC_F_R | LISP_LOC_F_L | LISP_LOC_F_P);
    assert_int_equal(g_m.u.mrep.records[0].locators[1].flags, LISP_LOC_F_R | LISP_LOC_F_L);

    /* Not our EID: no answer. */
    request("10.5.0.1", false, false);
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NOT_OUR_EID], 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_replies_sent, 2);
}

static void test_instance_id(void **state)
{
    lisp_xtr_config c;
    lisp_data_hdr h;
    (void)state;

    xh_base_config(&c);
    c.eids[0] = lt_eid("10.1.0.0", 16, 7);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 5000);
    xh_sent_request_nonce(0);
    assert_int_equal(g_inner.u.mreq.records[0].addr.lcaf, LISP_LCAF_IID);
    assert_int_equal(g_inner.u.mreq.records[0].addr.iid, 7);
    assert_int_equal(g_inner.u.mreq.source_eid.iid, 7);
    reply(T0 + MS(5), g_inner.u.mreq.nonce, lt_eid("10.2.0.0", 16, 7), 10, 0, 1, site_b);
    xh_eid(T0 + SEC(1), "10.1.0.5", "10.2.0.7", 5000);
    lt_assert_ok(lisp_data_decode(&h, g_io.sent[1].data, g_io.sent[1].len));
    assert_int_equal(h.flags, LISP_DATA_F_N | LISP_DATA_F_L | LISP_DATA_F_I);
    assert_int_equal(h.iid, 7);
    assert_int_equal(h.lsb, 1);
}

static void test_pitr_requests(void **state)
{
    lisp_xtr_config c;
    (void)state;

    lisp_xtr_config_default(&c);
    c.pitr = true;
    c.n_rlocs = 1;
    c.rlocs[0] = xh_rloc("192.0.2.9", 1, 100);
    c.n_map_resolvers = 1;
    c.map_resolvers[0] = lt_endpoint("203.0.113.10", 0);
    xh_start(&c);
    xh_eid(T0, "8.8.8.8", "10.2.0.7", 53);
    xh_sent_request_nonce(0);
    assert_int_equal(g_inner.u.mreq.flags, LISP_MREQ_F_PITR);
    assert_int_equal(g_inner.u.mreq.source_eid.a.afi, LISP_AFI_NONE);
    reply(T0 + MS(5), g_inner.u.mreq.nonce, lt_eid("10.2.0.0", 16, 0), 10, 0, 1, site_b);
    xh_eid(T0 + SEC(1), "8.8.8.8", "10.2.0.7", 53);
    lt_assert_endpoint(&g_io.sent[1].dst, "198.51.100.1", LISP_DATA_PORT);
    {
        lisp_data_hdr h; /* no site behind a PITR: no locator-status-bits */
        lt_assert_ok(lisp_data_decode(&h, g_io.sent[1].data, g_io.sent[1].len));
        assert_int_equal(h.flags, LISP_DATA_F_N);
    }
}

static void test_malformed_input_never_crashes(void **state)
{
    static const uint8_t junk[][8] = {{0}, {0x10, 0, 0, 1}, {0x20}, {0x80, 1, 2}, {0xF0}};
    lisp_xtr_config c;
    lisp_endpoint src = lt_endpoint("198.51.100.1", 4342), ctl = lt_endpoint("192.0.2.1", 4342);
    uint8_t buf[600];
    size_t i, n;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    for (i = 0; i < sizeof junk / sizeof junk[0]; i++)
        for (n = 0; n <= sizeof junk[i]; n++)
            xh_udp(T0, &src, &ctl, 0, 0, junk[i], n);
    memset(buf, 0xFF, sizeof buf);
    assert_true(lisp_xtr_eid_packet(g_x, T0, buf, sizeof buf) < 0);
    assert_int_equal(g_io.n_sent, 0);
    assert_true(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_MALFORMED] > 0);
}

static void test_same_seed_same_output(void **state)
{
    lisp_xtr_config c;
    static fake_packet first[4];
    size_t i;
    (void)state;

    xh_base_config(&c);
    for (i = 0; i < 2; i++) {
        xh_start(&c);
        lisp_xtr_start(g_x, T0);
        xh_eid(T0, "10.1.0.5", "10.2.0.7", 5000);
        assert_int_equal(g_io.n_sent, 2);
        if (i == 0) {
            memcpy(first, g_io.sent, 2 * sizeof first[0]);
        } else {
            assert_int_equal(first[1].len, g_io.sent[1].len);
            assert_memory_equal(first[0].data, g_io.sent[0].data, first[0].len);
            assert_memory_equal(first[1].data, g_io.sent[1].data, first[1].len);
        }
        xh_teardown(NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_bad_configs, xh_teardown),
        cmocka_unit_test_teardown(test_register_cadence_and_contents, xh_teardown),
        cmocka_unit_test_teardown(test_map_notify, xh_teardown),
        cmocka_unit_test_teardown(test_miss_drop_sends_map_request, xh_teardown),
        cmocka_unit_test_teardown(test_map_reply_then_encapsulation, xh_teardown),
        cmocka_unit_test_teardown(test_queue_policy, xh_teardown),
        cmocka_unit_test_teardown(test_retries_backoff_and_failure, xh_teardown),
        cmocka_unit_test_teardown(test_ttl_expiry_triggers_new_request, xh_teardown),
        cmocka_unit_test_teardown(test_negative_mappings, xh_teardown),
        cmocka_unit_test_teardown(test_locator_choice, xh_teardown),
        cmocka_unit_test_teardown(test_decapsulation, xh_teardown),
        cmocka_unit_test_teardown(test_etr_answers_map_requests, xh_teardown),
        cmocka_unit_test_teardown(test_instance_id, xh_teardown),
        cmocka_unit_test_teardown(test_pitr_requests, xh_teardown),
        cmocka_unit_test_teardown(test_malformed_input_never_crashes, xh_teardown),
        cmocka_unit_test_teardown(test_same_seed_same_output, xh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
