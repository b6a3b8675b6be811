/*
 * test_xtr_itr.c - the ITR core inside an xTR: the resolution FSM (every transition),
 * Map-Reply validation, TTL cap, negative entries that ask for a Map-Request, the outer
 * header (TTL, TOS, source port) and remote locator reachability from received LSBs
 * (lisp_itr_internal.h).
 */
#include <string.h>

#include "lisp_data.h"
#include "lisp_xtr_harness.h"

#define MINUTE SEC(60)

static const lisp_mapcache_entry *cached(const char *ip)
{
    lisp_endpoint e = lt_endpoint(ip, 0);
    return lisp_mapcache_lookup(lisp_xtr_mapcache(g_x), 0, e.afi, e.addr);
}

static void test_fsm_miss_timeout_giveup(void **state)
{
    lisp_xtr_config c;
    (void)state;

    xh_base_config(&c);
    c.request_retries = 1;
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    assert_int_equal(xh_count_state("resolution", "idle", "requesting", "miss"), 1);
    /* Timeout with retries left: a retransmission, no state change. */
    lisp_xtr_handle_expiry(g_x, T0 + SEC(1));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_SENT, 1)->count, 2);
    assert_int_equal(xh_count_state("resolution", NULL, NULL, NULL), 1);
    /* Timeout with none left: back to idle. */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(3));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(3));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(xh_count_state("resolution", "requesting", "idle", "give-up"), 1);
    assert_int_equal(lisp_xtr_next_expiry(g_x), LISP_TIME_NEVER);
}

static void test_fsm_reply_and_covered(void **state)
{
    lisp_xtr_config c;
    uint64_t n7;
    (void)state;

    xh_base_config(&c);
    c.miss_policy = LISP_MISS_QUEUE;
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_eid(T0, "10.1.0.5", "10.2.0.8", 1); /* a second destination, its own resolution */
    xh_eid(T0, "10.1.0.5", "10.3.0.1", 1); /* a third, not covered by site B */
    assert_int_equal(g_io.n_sent, 3);
    n7 = xh_sent_request_nonce(0);
    assert_true(n7 != xh_sent_request_nonce(1));
    xh_reply_site_b(T0 + MS(10), n7);
    assert_int_equal(xh_count_state("resolution", "requesting", "idle", "reply"), 1);
    assert_int_equal(xh_count_state("resolution", "requesting", "idle", "covered"), 1);
    assert_int_equal(g_io.n_sent, 5); /* both held packets left */
    assert_int_equal(lisp_xtr_get_stats(g_x)->encapsulated, 2);
    /* 10.3.0.1 is still being resolved; a reply for 10.2.0.8's old nonce is unsolicited. */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(1));
    xh_reply_site_b(T0 + MS(20), xh_sent_request_nonce(1));
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_UNSOLICITED], 1);
}

static void test_slot_reuse_starts_fresh(void **state)
{
    lisp_xtr_config c;
    uint64_t first;
    (void)state;

    xh_base_config(&c);
    c.max_pending = 1;
    c.n_map_resolvers = 2;
    c.map_resolvers[1] = lt_endpoint("203.0.113.11", 0);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    lisp_xtr_handle_expiry(g_x, T0 + SEC(1)); /* attempt 2: the second resolver */
    lt_assert_endpoint(&g_io.sent[1].dst, "203.0.113.11", 4342);
    first = xh_sent_request_nonce(1);
    /* The only slot is busy: another destination is dropped. */
    xh_eid(T0 + SEC(2), "10.1.0.5", "10.3.0.1", 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_QUEUE_FULL], 1);
    xh_reply_site_b(T0 + SEC(2), first);

    /* The slot, reused: attempt 1, the first resolver, a new nonce, retry after 1 s. */
    xh_eid(T0 + SEC(5), "10.1.0.5", "10.3.0.1", 1);
    assert_int_equal(g_io.n_sent, 3);
    lt_assert_endpoint(&g_io.sent[2].dst, "203.0.113.10", 4342);
    assert_true(xh_sent_request_nonce(2) != first);
    assert_int_equal(fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_SENT, 2)->count, 1);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(6));
}

static void test_reply_installs_only_the_requested_record(void **state)
{
    static lisp_mapcache_loc loc[1];
    lisp_xtr_config c;
    xh_record recs[4];
    const lisp_trace *t;
    (void)state;

    loc[0] = xh_rloc("198.51.100.1", 1, 100);
    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    recs[0] = (xh_record){lt_eid("0.0.0.0", 0, 0), 10, LISP_ACT_NATIVELY_FORWARD, 0, NULL};
    recs[1] = (xh_record){lt_eid("10.2.0.0", 16, 0), 10, 0, 1, loc};
    recs[2] = (xh_record){lt_eid("10.9.0.0", 16, 0), 10, 0, 1, loc};
    recs[3] = (xh_record){lt_eid("10.2.0.0", 16, 5), 10, 0, 1, loc}; /* other instance */
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 4, recs);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 1);
    assert_non_null(cached("10.2.200.1"));
    assert_null(cached("10.9.0.1"));
    assert_null(cached("8.8.8.8"));
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_RECORD_NOT_REQUESTED], 3);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 1); /* 0: the miss */
    assert_int_equal(t->reason, LISP_DROP_RECORD_NOT_REQUESTED);
    lt_assert_eid(&t->eid, "0.0.0.0", 0, 0);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAPCACHE_INSERT, 0);
    lt_assert_eid(&t->eid, "10.2.0.0", 16, 0);
    xh_teardown(NULL);

    /* Nothing covering the EID: nothing installed, the resolution goes on. */
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 1, &recs[2]);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 0);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(1));
    /* A negative 0.0.0.0/0 alone (nothing registered anywhere) covers it: installed. */
    xh_reply(T0 + MS(6), xh_sent_request_nonce(0), 1, &recs[0]);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 1);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(6) + 10 * MINUTE);
    xh_teardown(NULL);

    /* Two covering records: the more specific one, wherever it stands. */
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    recs[2] = (xh_record){lt_eid("10.2.0.0", 24, 0), 10, 0, 1, loc};
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 3, recs);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 1);
    assert_null(cached("10.2.1.1"));
    assert_non_null(cached("10.2.0.200"));
}

static void test_ttl_cap(void **state)
{
    lisp_xtr_config c;
    xh_record r = {lt_eid("10.2.0.0", 16, 0), 0xFFFFFFFFu, LISP_ACT_NATIVELY_FORWARD, 0, NULL};
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 1, &r); /* "never": one day */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(5) + 1440 * MINUTE);
    xh_teardown(NULL);

    c.mapcache_max_ttl = 10 * MINUTE + SEC(59); /* whole minutes: 10 */
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    r.ttl = 60;
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 1, &r);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(5) + 10 * MINUTE);
    xh_teardown(NULL);

    xh_start(&c); /* below the cap: as sent */
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    r.ttl = 3;
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 1, &r);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(5) + 3 * MINUTE);
    xh_teardown(NULL);

    c.mapcache_max_ttl = LISP_TIME_NEVER; /* no cap */
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    r.ttl = 0xFFFFFFFFu;
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 1, &r);
    assert_int_equal(lisp_xtr_next_expiry(g_x), LISP_TIME_NEVER);
    xh_teardown(NULL);

    c.mapcache_max_ttl = SEC(59); /* under a minute: refused */
    fake_io_init(&g_io, 1);
    assert_null(lisp_xtr_new(&c, &g_io.host, T0));
}

static void test_negative_send_map_request(void **state)
{
    lisp_xtr_config c;
    xh_record r = {lt_eid("10.2.0.0", 16, 0), 10, LISP_ACT_SEND_MAP_REQUEST, 0, NULL};
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_reply(T0 + MS(5), xh_sent_request_nonce(0), 1, &r);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 1);
    xh_eid(T0 + SEC(1), "10.1.0.5", "10.2.0.7", 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_requests_sent, 2);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NEGATIVE_MAPPING], 0);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_MAP_CACHE_MISS], 2);
    /* The answer replaces the entry; packets flow. */
    xh_reply_site_b(T0 + SEC(1) + MS(5), xh_sent_request_nonce(1));
    xh_eid(T0 + SEC(2), "10.1.0.5", "10.2.0.7", 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->encapsulated, 1);
}

static void test_outer_header(void **state)
{
    static const lisp_mapcache_loc v4[] = {
        {{198, 51, 100, 1}, LISP_AFI_IPV4, 0, 1, 100, 255, 0, LISP_LOC_F_R}};
    lisp_xtr_config c;
    uint8_t pkt[1500];
    size_t len;
    xh_record r6 = {lt_eid("2001:db8:2::", 48, 0), 10, 0, 1, v4};
    (void)state;

    xh_base_config(&c);
    c.fixed_data_port = true;
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_reply_site_b(T0 + MS(5), xh_sent_request_nonce(0));
    len = xh_ip_packet(pkt, "10.1.0.5", "10.2.0.7", 9, 37, 0xB9);
    lt_assert_ok(lisp_xtr_eid_packet(g_x, T0 + SEC(1), pkt, len));
    assert_int_equal(g_io.sent[1].ttl, 37);
    assert_int_equal(g_io.sent[1].tos, 0xB9); /* DSCP and ECN */
    assert_int_equal(g_io.sent[1].src.port, LISP_DATA_PORT);

    /* IPv6 inside: hop limit and traffic class. */
    len = xh_ip_packet(pkt, "2001:db8:1::5", "2001:db8:2::7", 9, 12, 0x2E);
    lt_assert_ok(lisp_xtr_eid_packet(g_x, T0 + SEC(2), pkt, len));
    xh_reply(T0 + SEC(2), xh_sent_request_nonce(2), 1, &r6);
    lt_assert_ok(lisp_xtr_eid_packet(g_x, T0 + SEC(3), pkt, len));
    assert_int_equal(g_io.n_sent, 4);
    assert_int_equal(g_io.sent[3].ttl, 12);
    assert_int_equal(g_io.sent[3].tos, 0x2E);
    lt_assert_endpoint(&g_io.sent[3].src, "192.0.2.1", LISP_DATA_PORT);
}

/* Destinations (last byte of the outer address) of 40 flows to site B. */
static void flows_to(unsigned *to_1, unsigned *to_2, lisp_time_t now)
{
    unsigned i;
    *to_1 = *to_2 = 0;
    fake_io_clear(&g_io);
    for (i = 0; i < 40; i++)
        xh_eid(now, "10.1.0.5", "10.2.0.7", (uint16_t)(7000 + i));
    for (i = 0; i < g_io.n_sent; i++) {
        *to_1 += g_io.sent[i].dst.addr[3] == 1;
        *to_2 += g_io.sent[i].dst.addr[3] == 2;
    }
}

static void test_remote_lsb(void **state)
{
    lisp_xtr_config c;
    const lisp_trace *t;
    unsigned to_1, to_2;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_reply_site_b(T0 + MS(5), xh_sent_request_nonce(0));
    flows_to(&to_1, &to_2, T0 + SEC(1));
    assert_true(to_1 > 5 && to_2 > 5);

    /* Site B's ITR says: locator 0 (198.51.100.1) down, locator 1 up. */
    xh_data(T0 + SEC(2), "198.51.100.2", 60, 0, "10.2.0.7", "10.1.0.5", 64, 0, true, 0x2);
    assert_int_equal(g_io.n_delivered, 1);
    t = fake_io_find_trace(&g_io, LISP_TRACE_REMOTE_LOCATOR_STATUS, 0);
    assert_non_null(t);
    lt_assert_eid(&t->eid, "10.2.0.0", 16, 0);
    assert_int_equal(t->count, 0x2);
    flows_to(&to_1, &to_2, T0 + SEC(3));
    assert_int_equal(to_1, 0);
    assert_int_equal(to_2, 40);
    /* The same bits again change nothing; the entry keeps its expiry. */
    xh_data(T0 + SEC(4), "198.51.100.2", 60, 0, "10.2.0.7", "10.1.0.5", 64, 0, true, 0x2);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_REMOTE_LOCATOR_STATUS, 0), 0);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + MS(5) + 10 * MINUTE);
    /* Not from one of the site's locators, or without LSBs: ignored. */
    xh_data(T0 + SEC(4), "198.51.100.9", 60, 0, "10.2.0.7", "10.1.0.5", 64, 0, true, 0x3);
    xh_data(T0 + SEC(4), "198.51.100.2", 60, 0, "10.2.0.7", "10.1.0.5", 64, 0, false, 0x3);
    flows_to(&to_1, &to_2, T0 + SEC(5));
    assert_int_equal(to_1, 0);
    /* Up again: used again. */
    xh_data(T0 + SEC(6), "198.51.100.1", 60, 0, "10.2.0.7", "10.1.0.5", 64, 0, true, 0x3);
    flows_to(&to_1, &to_2, T0 + SEC(7));
    assert_true(to_1 > 5 && to_2 > 5);
    assert_int_equal(lisp_xtr_get_stats(g_x)->remote_locator_changes, 2);
    /* Both down: no locator. */
    xh_data(T0 + SEC(8), "198.51.100.1", 60, 0, "10.2.0.7", "10.1.0.5", 64, 0, true, 0x0);
    flows_to(&to_1, &to_2, T0 + SEC(9));
    assert_int_equal(g_io.n_sent, 0);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NO_LOCATOR], 40);
}

/* "clear map-cache": every entry goes, the next packet misses and is resolved again, and a
 * resolution in progress still installs its reply. */
static void test_clear_mapcache(void **state)
{
    xh_record negative = {lt_eid("10.3.0.0", 16, 0), 1, LISP_ACT_NATIVELY_FORWARD, 0, NULL};
    lisp_xtr_config c;
    uint64_t pending;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    assert_int_equal(lisp_xtr_clear_mapcache(g_x), 0); /* empty: nothing to drop */
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_reply_site_b(T0 + MS(10), xh_sent_request_nonce(0));
    xh_eid(T0 + MS(20), "10.1.0.5", "10.2.0.7", 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->encapsulated, 1);
    xh_eid(T0 + MS(30), "10.1.0.5", "10.3.0.1", 1); /* another destination, being resolved */
    pending = xh_sent_request_nonce(g_io.n_sent - 1);

    assert_int_equal(lisp_xtr_clear_mapcache(g_x), 1);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 0);
    fake_io_clear(&g_io);
    xh_eid(T0 + MS(40), "10.1.0.5", "10.2.0.7", 1); /* misses now */
    assert_int_equal(g_io.n_sent, 1);
    xh_reply_site_b(T0 + MS(50), xh_sent_request_nonce(0));
    xh_eid(T0 + MS(60), "10.1.0.5", "10.2.0.7", 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->encapsulated, 2);
    xh_reply(T0 + MS(70), pending, 1, &negative);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_fsm_miss_timeout_giveup, xh_teardown),
        cmocka_unit_test_teardown(test_fsm_reply_and_covered, xh_teardown),
        cmocka_unit_test_teardown(test_slot_reuse_starts_fresh, xh_teardown),
        cmocka_unit_test_teardown(test_reply_installs_only_the_requested_record, xh_teardown),
        cmocka_unit_test_teardown(test_ttl_cap, xh_teardown),
        cmocka_unit_test_teardown(test_negative_send_map_request, xh_teardown),
        cmocka_unit_test_teardown(test_outer_header, xh_teardown),
        cmocka_unit_test_teardown(test_remote_lsb, xh_teardown),
        cmocka_unit_test_teardown(test_clear_mapcache, xh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
