/*
 * test_xtr_etr.c - the ETR core inside an xTR: the inner header on decapsulation (TTL,
 * ECN), Map-Requests with several records, the D bit, record TTLs in minutes
 * (lisp_etr_internal.h).
 */
#include <string.h>

#include "lisp_xtr_harness.h"

/* The delivered packet i, decoded (checksums verified). */
static lisp_ipudp delivered(size_t i)
{
    lisp_ipudp h;
    const uint8_t *payload;
    size_t n;

    assert_true(i < g_io.n_delivered);
    lt_assert_ok(
        lisp_ipudp_decode(&h, g_io.delivered[i].data, g_io.delivered[i].len, &payload, &n));
    return h;
}

static void test_inner_ttl_and_ecn(void **state)
{
    lisp_xtr_config c;
    lisp_ipudp h;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    /* Outer TTL below the inner one: the inner takes it (and its checksum still holds). */
    xh_data(T0, "198.51.100.1", 5, 0, "10.2.0.7", "10.1.0.9", 64, 0, false, 0);
    h = delivered(0);
    assert_int_equal(h.ttl, 5);
    /* Above, or unknown (0): unchanged. */
    xh_data(T0, "198.51.100.1", 200, 0, "10.2.0.7", "10.1.0.9", 64, 0, false, 0);
    assert_int_equal(delivered(1).ttl, 64);
    xh_data(T0, "198.51.100.1", 0, 0, "10.2.0.7", "10.1.0.9", 64, 0, false, 0);
    assert_int_equal(delivered(2).ttl, 64);
    /* Congestion experienced outside, ECN-capable inside: CE inside, DSCP kept. */
    xh_data(T0, "198.51.100.1", 60, 0x03, "10.2.0.7", "10.1.0.9", 64, 0xB8 | 0x02, false, 0);
    h = delivered(3);
    assert_int_equal(h.tos, 0xBB);
    assert_int_equal(h.ttl, 60);
    /* Not ECN-capable inside: left alone; outer DSCP is not copied. */
    xh_data(T0, "198.51.100.1", 70, 0xFF, "10.2.0.7", "10.1.0.9", 64, 0x20, false, 0);
    assert_int_equal(delivered(4).tos, 0x20);
    /* IPv6 inside: hop limit and ECN too. */
    c.eids[1] = lt_eid("2001:db8:1::", 48, 0);
    c.n_eids = 2;
    xh_teardown(NULL);
    xh_start(&c);
    xh_data(T0, "198.51.100.1", 9, 0x03, "2001:db8:2::7", "2001:db8:1::9", 64, 0x01, false, 0);
    h = delivered(0);
    assert_int_equal(h.ttl, 9);
    assert_int_equal(h.tos, 0x03);
}

static void test_petr_inner_ttl(void **state)
{
    lisp_xtr_config c;
    lisp_ipudp h;
    const uint8_t *p;
    size_t n;
    (void)state;

    lisp_xtr_config_default(&c);
    c.petr = true;
    xh_start(&c);
    xh_data(T0, "198.51.100.1", 3, 0, "10.2.0.7", "8.8.8.8", 64, 0, false, 0);
    assert_int_equal(g_io.n_native, 1);
    lt_assert_ok(lisp_ipudp_decode(&h, g_io.native[0].data, g_io.native[0].len, &p, &n));
    assert_int_equal(h.ttl, 3);
}

/* A Map-Request from site B's ITR for the given EIDs (one record each), with flags. */
static void request(uint32_t flags, unsigned n, const char *const *eids)
{
    static lisp_msg q;
    static uint8_t wire[2048];
    lisp_endpoint src = lt_endpoint("198.51.100.1", 4342);
    lisp_endpoint dst = lt_endpoint("192.0.2.1", 4342);
    unsigned i;
    size_t len;

    lt_sample_map_request(&q);
    q.u.mreq.flags = flags;
    q.u.mreq.itr_rlocs[0] = lt_addr("198.51.100.1");
    q.u.mreq.record_count = (uint8_t)n;
    for (i = 0; i < n; i++) {
        q.u.mreq.records[i].mask_len = 32;
        q.u.mreq.records[i].addr = lt_addr(eids[i]);
    }
    lt_assert_ok(lisp_msg_encode(&q, wire, sizeof wire, &len));
    lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, wire, len));
}

static void test_every_record_answered(void **state)
{
    static const char *const eids[] = {"10.1.2.3", "10.5.0.1", "10.8.0.1", "10.1.9.9"};
    lisp_xtr_config c;
    (void)state;

    xh_base_config(&c);
    c.n_eids = 2;
    c.eids[1] = lt_eid("10.8.0.0", 16, 0);
    xh_start(&c);
    request(0, 4, eids);
    assert_int_equal(xh_sent(0), LISP_MAP_REPLY);
    assert_int_equal(g_m.u.mrep.record_count, 2); /* 10.1/16 once, 10.8/16; 10.5 is not ours */
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("10.1.0.0")}, &g_m.u.mrep.records[0].eid.addr);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("10.8.0.0")}, &g_m.u.mrep.records[1].eid.addr);
    assert_int_equal(g_m.u.mrep.records[1].loc_count, 1);
    assert_int_equal(fake_io_find_trace(&g_io, LISP_TRACE_MAP_REQUEST_RECEIVED, 0)->count, 2);
}

static void test_d_bit_no_reply(void **state)
{
    static const char *const eids[] = {"10.1.2.3"};
    lisp_xtr_config c;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    request(LISP_MREQ_F_D, 1, eids);
    assert_int_equal(g_io.n_sent, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REQUEST_RECEIVED, 0), 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_replies_sent, 0);
    request(0, 1, eids);
    assert_int_equal(g_io.n_sent, 1);
}

static void test_record_ttl_minutes(void **state)
{
    static const char *const eids[] = {"10.1.2.3"};
    static const struct {
        lisp_time_t ttl;
        uint32_t minutes;
    } cases[] = {{SEC(90), 1}, {SEC(59), 0}, {SEC(3600), 60}, {LISP_TIME_NEVER, 0xFFFFFFFFu}};
    lisp_xtr_config c;
    unsigned i;
    (void)state;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xh_base_config(&c);
        c.mapping_ttl = cases[i].ttl;
        xh_start(&c);
        request(0, 1, eids);
        assert_int_equal(xh_sent(0), LISP_MAP_REPLY);
        assert_int_equal(g_m.u.mrep.records[0].ttl, cases[i].minutes);
        lisp_xtr_start(g_x, T0);
        assert_int_equal(xh_sent(1), LISP_MAP_REGISTER);
        assert_int_equal(g_m.u.mreg.records[0].ttl, cases[i].minutes);
        xh_teardown(NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_inner_ttl_and_ecn, xh_teardown),
        cmocka_unit_test_teardown(test_petr_inner_ttl, xh_teardown),
        cmocka_unit_test_teardown(test_every_record_answered, xh_teardown),
        cmocka_unit_test_teardown(test_d_bit_no_reply, xh_teardown),
        cmocka_unit_test_teardown(test_record_ttl_minutes, xh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
