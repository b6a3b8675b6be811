/*
 * test_nat_timers.c - unit tests of the NAT engine's mapping lifetimes (lisp_nat.h) with
 * literal timestamps: the UDP and ICMP timeouts, refresh by outbound packets and (when
 * configured) inbound ones, next_expiry and the re-filing of refreshed mappings, expiry
 * on lookup before the timer ran, the TCP tracker's transitory and established timeouts,
 * the bounded table, and allocation failures.
 */
#include <stdio.h>
#include <string.h>

#include "lisp_counting_alloc.h"
#include "lisp_nat_test_util.h"

static nt_host g_h;
static uint8_t g_pkt[NT_PKT_MAX];

static int out_udp(lisp_nat *n, lisp_time_t now, uint16_t sport)
{
    return nt_send(n, now, true, g_pkt, nt_udp(g_pkt, "10.0.0.1", sport, "198.51.100.1", 53, 8));
}

static int in_udp(lisp_nat *n, lisp_time_t now, uint16_t dport)
{
    return nt_send(n, now, false, g_pkt,
                   nt_udp(g_pkt, "198.51.100.1", 53, "203.0.113.1", dport, 8));
}

static int tcp(lisp_nat *n, lisp_time_t now, bool out, uint8_t flags)
{
    if (out)
        return nt_send(n, now, true, g_pkt,
                       nt_tcp(g_pkt, "10.0.0.1", 40000, "198.51.100.1", 80, flags));
    return nt_send(n, now, false, g_pkt,
                   nt_tcp(g_pkt, "198.51.100.1", 80, "203.0.113.1", 40000, flags));
}

static lisp_time_t expires(lisp_nat *n)
{
    lisp_nat_mapping_info info;
    assert_int_equal(lisp_nat_mapping_count(n), 1);
    assert_true(lisp_nat_mapping_at(n, 0, &info));
    return info.expires;
}

/* UDP: 5 minutes after the last outbound packet, to the nanosecond. */
static void test_udp_timeout_and_outbound_refresh(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);

    (void)state;
    assert_true(lisp_nat_next_expiry(n) == LISP_TIME_NEVER);
    nt_assert_verdict(out_udp(n, SEC(10), 5000), LISP_NAT_FORWARD);
    assert_true(lisp_nat_next_expiry(n) == SEC(310));
    lisp_nat_handle_expiry(n, SEC(310) - 1);
    assert_int_equal(lisp_nat_mapping_count(n), 1);
    nt_assert_verdict(in_udp(n, SEC(310) - 1, 5000), LISP_NAT_FORWARD);

    /* An outbound packet at 200 s moves the deadline to 500 s. The timer may wake at
     * 310 s for nothing; it then knows the new deadline. */
    nt_assert_verdict(out_udp(n, SEC(200), 5000), LISP_NAT_FORWARD);
    assert_true(expires(n) == SEC(500));
    assert_true(lisp_nat_next_expiry(n) <= SEC(500));
    lisp_nat_handle_expiry(n, lisp_nat_next_expiry(n));
    assert_int_equal(lisp_nat_mapping_count(n), 1);
    assert_true(lisp_nat_next_expiry(n) == SEC(500));
    assert_int_equal(nt_count(&g_h, LISP_TRACE_NAT_MAPPING_EXPIRED, 0), 0);
    lisp_nat_handle_expiry(n, SEC(500));
    assert_int_equal(lisp_nat_mapping_count(n), 0);
    assert_int_equal(nt_count(&g_h, LISP_TRACE_NAT_MAPPING_EXPIRED, 0), 1);
    assert_true(nt_last(&g_h, LISP_TRACE_NAT_MAPPING_EXPIRED)->now == SEC(500));
    assert_true(lisp_nat_next_expiry(n) == LISP_TIME_NEVER);
    nt_assert_verdict(in_udp(n, SEC(500), 5000), LISP_NAT_DROP);
    assert_int_equal(lisp_nat_get_stats(n)->mappings_expired, 1);
    lisp_nat_free(n);
}

/* A packet after the deadline finds the mapping gone even when the timer has not run. */
static void test_expiry_on_lookup(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;
    uint64_t r = nt_random_for_port(60000, 1024, 65535);

    (void)state;
    cfg.udp_timeout = SEC(30); /* a rebinding experiment */
    n = nt_new(&g_h, &cfg);
    nt_assert_verdict(out_udp(n, SEC(1), 5000), LISP_NAT_FORWARD);
    nt_assert_verdict(in_udp(n, SEC(31), 5000), LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_NO_MAPPING);
    assert_int_equal(nt_count(&g_h, LISP_TRACE_NAT_MAPPING_EXPIRED, 0), 1);
    /* The same flow outbound gets a new mapping (same port again under preserve). */
    nt_assert_verdict(out_udp(n, SEC(40), 5000), LISP_NAT_FORWARD);
    assert_int_equal(nt_sport(g_pkt), 5000);
    assert_int_equal(lisp_nat_get_stats(n)->mappings_created, 2);
    /* Another internal host took 5000 meanwhile: the rebound mapping gets another port. */
    nt_assert_verdict(
        nt_send(n, SEC(71), true, g_pkt, nt_udp(g_pkt, "10.0.0.2", 5000, "198.51.100.1", 53, 8)),
        LISP_NAT_FORWARD);
    assert_int_equal(nt_sport(g_pkt), 5000);
    nt_host_script(&g_h, &r, 1);
    nt_assert_verdict(out_udp(n, SEC(72), 5000), LISP_NAT_FORWARD);
    assert_int_equal(nt_sport(g_pkt), 60000);
    lisp_nat_free(n);
}

static void check_inbound_refresh(bool on)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;

    cfg.inbound_refresh = on;
    n = nt_new(&g_h, &cfg);
    nt_assert_verdict(out_udp(n, SEC(0), 5000), LISP_NAT_FORWARD);
    nt_assert_verdict(in_udp(n, SEC(250), 5000), LISP_NAT_FORWARD);
    assert_true(expires(n) == (on ? SEC(550) : SEC(300)));
    assert_int_equal(nt_count(&g_h, LISP_TRACE_NAT_MAPPING_REFRESHED, 0), on ? 1 : 0);
    if (on)
        assert_int_equal(nt_last(&g_h, LISP_TRACE_NAT_MAPPING_REFRESHED)->count, 2);
    lisp_nat_handle_expiry(n, SEC(300));
    assert_int_equal(lisp_nat_mapping_count(n), on ? 1 : 0);
    nt_assert_verdict(in_udp(n, SEC(549), 5000), on ? LISP_NAT_FORWARD : LISP_NAT_DROP);
    lisp_nat_free(n);
}

static void test_inbound_refresh(void **state)
{
    (void)state;
    check_inbound_refresh(false);
    check_inbound_refresh(true);
}

/* A filtered packet never refreshes, even with inbound refresh. */
static void test_filtered_does_not_refresh(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;

    (void)state;
    cfg.inbound_refresh = true;
    n = nt_new(&g_h, &cfg);
    nt_assert_verdict(out_udp(n, SEC(0), 5000), LISP_NAT_FORWARD);
    nt_assert_verdict(nt_send(n, SEC(100), false, g_pkt,
                              nt_udp(g_pkt, "198.51.100.9", 53, "203.0.113.1", 5000, 8)),
                      LISP_NAT_DROP);
    assert_true(expires(n) == SEC(300));
    lisp_nat_free(n);
}

/* ICMP query mappings: 60 s. */
static void test_icmp_timeout(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);

    (void)state;
    nt_assert_verdict(
        nt_send(n, SEC(5), true, g_pkt, nt_icmp_query(g_pkt, "10.0.0.1", "198.51.100.1", 8, 4321)),
        LISP_NAT_FORWARD);
    assert_true(expires(n) == SEC(65));
    assert_true(lisp_nat_next_expiry(n) == SEC(65));
    lisp_nat_handle_expiry(n, SEC(65));
    assert_int_equal(lisp_nat_mapping_count(n), 0);
    lisp_nat_free(n);
}

/* TCP: SYN -> transitory (4 min); traffic both ways -> established (2 h 4 min); FIN both
 * ways or RST -> transitory again; a new SYN opens again. */
static void test_tcp_states(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);

    (void)state;
    nt_assert_verdict(tcp(n, SEC(0), true, 0x02), LISP_NAT_FORWARD); /* SYN */
    assert_true(expires(n) == SEC(240));
    nt_assert_verdict(tcp(n, SEC(1), false, 0x12), LISP_NAT_FORWARD); /* SYN-ACK */
    nt_assert_verdict(tcp(n, SEC(1), true, 0x10), LISP_NAT_FORWARD);  /* ACK */
    assert_true(expires(n) == SEC(1 + 7440));
    /* Idle for an hour: still there. */
    lisp_nat_handle_expiry(n, SEC(3600));
    assert_int_equal(lisp_nat_mapping_count(n), 1);
    nt_assert_verdict(tcp(n, SEC(3600), false, 0x18), LISP_NAT_FORWARD);
    /* FIN one way: still established. */
    nt_assert_verdict(tcp(n, SEC(3601), true, 0x11), LISP_NAT_FORWARD);
    assert_true(expires(n) == SEC(3601 + 7440));
    /* FIN the other way: transitory. */
    nt_assert_verdict(tcp(n, SEC(3602), false, 0x11), LISP_NAT_FORWARD);
    assert_true(expires(n) == SEC(3601 + 240));
    assert_true(lisp_nat_next_expiry(n) <= SEC(3601 + 240));
    nt_assert_verdict(tcp(n, SEC(3603), true, 0x10), LISP_NAT_FORWARD);
    assert_true(expires(n) == SEC(3603 + 240));
    /* A new SYN on the same mapping opens a new connection. */
    nt_assert_verdict(tcp(n, SEC(3700), true, 0x02), LISP_NAT_FORWARD);
    nt_assert_verdict(tcp(n, SEC(3701), false, 0x12), LISP_NAT_FORWARD);
    assert_true(expires(n) == SEC(3700 + 7440));
    /* RST: transitory at once. */
    nt_assert_verdict(tcp(n, SEC(3800), false, 0x04), LISP_NAT_FORWARD);
    assert_true(expires(n) == SEC(3700 + 240));
    lisp_nat_handle_expiry(n, SEC(3700 + 240));
    assert_int_equal(lisp_nat_mapping_count(n), 0);
    /* An unsolicited inbound SYN creates nothing. */
    nt_assert_verdict(tcp(n, SEC(4000), false, 0x02), LISP_NAT_DROP);
    assert_int_equal(lisp_nat_mapping_count(n), 0);
    lisp_nat_free(n);
}

/* A full table refuses new flows and keeps serving the existing ones. */
static void test_table_full(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;

    (void)state;
    cfg.max_mappings = 2;
    n = nt_new(&g_h, &cfg);
    nt_assert_verdict(out_udp(n, SEC(0), 5000), LISP_NAT_FORWARD);
    nt_assert_verdict(out_udp(n, SEC(100), 5001), LISP_NAT_FORWARD);
    nt_assert_verdict(out_udp(n, SEC(100), 5002), LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_TABLE_FULL);
    lt_assert_endpoint(&nt_last(&g_h, LISP_TRACE_DROP)->u.nat.internal, "10.0.0.1", 5002);
    assert_int_equal(lisp_nat_get_stats(n)->table_full, 1);
    assert_int_equal(nt_counter(n, "drop.nat-table-full"), 1);
    nt_assert_verdict(out_udp(n, SEC(101), 5000), LISP_NAT_FORWARD);
    nt_assert_verdict(in_udp(n, SEC(101), 5001), LISP_NAT_FORWARD);
    /* Once one expires (5001, last sent at 100 s), a new flow gets its place. */
    nt_assert_verdict(out_udp(n, SEC(400), 5002), LISP_NAT_FORWARD);
    assert_int_equal(lisp_nat_mapping_count(n), 2);
    lisp_nat_free(n);
}

/* Many mappings with staggered lifetimes expire in deadline order, each exactly once. */
static void test_many_expiries_in_order(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);
    lisp_time_t t, last = 0;
    size_t expired = 0;
    int i;

    (void)state;
    for (i = 0; i < 2000; i++)
        nt_assert_verdict(out_udp(n, SEC(i % 97) + (lisp_time_t)i, (uint16_t)(2000 + i)),
                          LISP_NAT_FORWARD);
    for (i = 0; i < 2000; i += 3) /* refresh a third of them */
        nt_assert_verdict(out_udp(n, SEC(150) + (lisp_time_t)i, (uint16_t)(2000 + i)),
                          LISP_NAT_FORWARD);
    while ((t = lisp_nat_next_expiry(n)) != LISP_TIME_NEVER) {
        size_t k;
        assert_true(t >= last);
        g_h.n_traces = 0;
        lisp_nat_handle_expiry(n, t);
        for (k = 0; k < g_h.n_traces; k++)
            if (g_h.traces[k].kind == LISP_TRACE_NAT_MAPPING_EXPIRED)
                assert_true(g_h.traces[k].now == t);
        expired += nt_count(&g_h, LISP_TRACE_NAT_MAPPING_EXPIRED, 0);
        last = t;
    }
    assert_int_equal(expired, 2000);
    assert_int_equal(lisp_nat_get_stats(n)->mappings_expired, 2000);
    lisp_nat_free(n);
}

/* Every allocation that can fail, failing: no crash, no leak, counted. */
static void test_allocation_failures(void **state)
{
    long k;

    (void)state;
    for (k = 1; k < 40; k++) {
        lisp_counting_alloc c;
        lisp_allocator a = lisp_counting_alloc_init(&c);
        lisp_nat_config cfg = nt_config("restricted-cone");
        lisp_nat *n;
        int i;

        nt_host_init(&g_h);
        g_h.host.env.alloc = &a;
        c.fail_at = k;
        n = lisp_nat_new(&cfg, &g_h.host, 0);
        if (!n) {
            assert_int_equal(c.bytes, 0);
            continue;
        }
        for (i = 0; i < 300; i++) {
            char ip[32];
            snprintf(ip, sizeof ip, "198.51.100.%d", i % 200 + 1);
            nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, ip, 53, 8));
            nt_send(n, SEC(1), true, g_pkt,
                    nt_udp(g_pkt, "10.0.0.2", (uint16_t)(3000 + i), "198.51.100.1", 53, 8));
        }
        assert_true(lisp_nat_get_stats(n)->common.internal_errors > 0 || c.calls < k);
        lisp_nat_free(n);
        assert_int_equal(c.bytes, 0);
        assert_int_equal(c.blocks, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_timeout_and_outbound_refresh),
        cmocka_unit_test(test_expiry_on_lookup),
        cmocka_unit_test(test_inbound_refresh),
        cmocka_unit_test(test_filtered_does_not_refresh),
        cmocka_unit_test(test_icmp_timeout),
        cmocka_unit_test(test_tcp_states),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_many_expiries_in_order),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
