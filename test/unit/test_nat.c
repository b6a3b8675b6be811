/*
 * test_nat.c - unit tests of the NAT engine (lisp_nat.h): configuration and presets, the
 * three mapping behaviours (reuse per destination), the three filtering behaviours (per
 * source), port allocation (preserve, collisions, sequential, random, range, exhaustion),
 * address pooling (paired, arbitrary), the generic engine interface, traces and the
 * mapping listing. Timers: test_nat_timers.c; ICMP, hairpinning, fragments and malformed
 * packets: test_nat_icmp.c.
 */
#include <stdio.h>
#include <string.h>

#include "lisp_nat_test_util.h"

static nt_host g_h;
static uint8_t g_pkt[NT_PKT_MAX];

/* UDP src:sp -> dst:dp through the NAT; on FORWARD the rewritten packet is in g_pkt. */
static int udp(lisp_nat *n, lisp_time_t now, bool out, const char *src, uint16_t sp,
               const char *dst, uint16_t dp)
{
    return nt_send(n, now, out, g_pkt, nt_udp(g_pkt, src, sp, dst, dp, 20));
}

/* The external port the NAT gives 10.0.0.1:sp -> dst:dp (asserting FORWARD). */
static uint16_t ext_port(lisp_nat *n, lisp_time_t now, const char *src, uint16_t sp,
                         const char *dst, uint16_t dp)
{
    nt_assert_verdict(udp(n, now, true, src, sp, dst, dp), LISP_NAT_FORWARD);
    return nt_sport(g_pkt);
}

static void test_config_and_presets(void **state)
{
    lisp_nat_config cfg, before;
    size_t i;

    (void)state;
    lisp_nat_config_default(&cfg);
    assert_int_equal(cfg.mapping, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(cfg.filtering, LISP_NAT_ADDRESS_PORT_DEPENDENT);
    assert_int_equal(cfg.port_policy, LISP_NAT_PORT_PRESERVE);
    assert_int_equal(cfg.pooling, LISP_NAT_POOL_PAIRED);
    assert_int_equal(cfg.port_min, 1024);
    assert_int_equal(cfg.port_max, 65535);
    assert_int_equal(cfg.n_public, 0);
    assert_true(cfg.udp_timeout == SEC(300));
    assert_true(cfg.tcp_established_timeout == SEC(7440));
    assert_true(cfg.tcp_transitory_timeout == SEC(240));
    assert_true(cfg.icmp_timeout == SEC(60));
    assert_false(cfg.inbound_refresh);
    assert_true(cfg.hairpinning);
    assert_int_equal(cfg.max_mappings, 65536);

    for (i = 0; lisp_nat_preset_at(i); i++)
        lt_assert_ok(lisp_nat_preset(&cfg, lisp_nat_preset_at(i)));
    assert_int_equal(i, 6);
    before = cfg;
    lt_assert_rc(lisp_nat_preset(&cfg, "cone"), LISP_ERR_INVALID_ARG);
    assert_memory_equal(&cfg, &before, sizeof cfg);

    /* Each preset against RFC 4787's terms; addresses, ranges and timeouts stay. */
    cfg.port_min = 2000;
    cfg.udp_timeout = SEC(30);
    lt_assert_ok(lisp_nat_preset(&cfg, "full-cone"));
    assert_int_equal(cfg.mapping, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(cfg.filtering, LISP_NAT_ENDPOINT_INDEPENDENT);
    lt_assert_ok(lisp_nat_preset(&cfg, "restricted-cone"));
    assert_int_equal(cfg.mapping, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(cfg.filtering, LISP_NAT_ADDRESS_DEPENDENT);
    lt_assert_ok(lisp_nat_preset(&cfg, "port-restricted-cone"));
    assert_int_equal(cfg.mapping, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(cfg.filtering, LISP_NAT_ADDRESS_PORT_DEPENDENT);
    lt_assert_ok(lisp_nat_preset(&cfg, "symmetric"));
    assert_int_equal(cfg.mapping, LISP_NAT_ADDRESS_PORT_DEPENDENT);
    assert_int_equal(cfg.filtering, LISP_NAT_ADDRESS_PORT_DEPENDENT);
    assert_int_equal(cfg.port_policy, LISP_NAT_PORT_RANDOM);
    lt_assert_ok(lisp_nat_preset(&cfg, "linux-masquerade"));
    assert_int_equal(cfg.mapping, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(cfg.filtering, LISP_NAT_ADDRESS_PORT_DEPENDENT);
    assert_int_equal(cfg.port_policy, LISP_NAT_PORT_PRESERVE);
    lt_assert_ok(lisp_nat_preset(&cfg, "carrier-grade"));
    assert_int_equal(cfg.mapping, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(cfg.filtering, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(cfg.port_policy, LISP_NAT_PORT_RANDOM);
    assert_int_equal(cfg.pooling, LISP_NAT_POOL_PAIRED);
    assert_int_equal(cfg.port_min, 2000);
    assert_true(cfg.udp_timeout == SEC(30));
}

static void test_bad_configs(void **state)
{
    lisp_nat_config cfg;
    lisp_host no_random;

    (void)state;
    nt_host_init(&g_h);
    lisp_nat_config_default(&cfg);
    assert_null(lisp_nat_new(&cfg, &g_h.host, 0)); /* no public address */
    cfg = nt_config(NULL);
    cfg.port_min = 3000;
    cfg.port_max = 2999;
    assert_null(lisp_nat_new(&cfg, &g_h.host, 0));
    cfg = nt_config(NULL);
    cfg.mapping = 3;
    assert_null(lisp_nat_new(&cfg, &g_h.host, 0));
    cfg = nt_config(NULL);
    cfg.filtering = 3;
    assert_null(lisp_nat_new(&cfg, &g_h.host, 0));
    cfg = nt_config(NULL);
    cfg.port_policy = 3;
    assert_null(lisp_nat_new(&cfg, &g_h.host, 0));
    cfg = nt_config(NULL);
    cfg.pooling = 2;
    assert_null(lisp_nat_new(&cfg, &g_h.host, 0));
    cfg = nt_config(NULL);
    cfg.max_mappings = 0;
    assert_null(lisp_nat_new(&cfg, &g_h.host, 0));
    cfg = nt_config(NULL);
    no_random = g_h.host;
    no_random.env.random = NULL;
    assert_null(lisp_nat_new(&cfg, &no_random, 0));
    assert_null(lisp_nat_new(NULL, &g_h.host, 0));
    lisp_nat_free(NULL);
}

/* Endpoint-independent mapping: one external endpoint for every destination. */
static void test_mapping_endpoint_independent(void **state)
{
    lisp_nat_config cfg = nt_config("full-cone");
    lisp_nat *n = nt_new(&g_h, &cfg);

    (void)state;
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53), 5000);
    nt_assert_src(g_pkt, "203.0.113.1", 5000);
    nt_assert_dst(g_pkt, "198.51.100.1", 53);
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 54), 5000);
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.2", 53), 5000);
    assert_int_equal(lisp_nat_mapping_count(n), 1);
    assert_int_equal(lisp_nat_get_stats(n)->mappings_created, 1);
    assert_int_equal(lisp_nat_get_stats(n)->outbound, 3);
    lisp_nat_free(n);
}

/* Address-dependent mapping: a new mapping per destination address, not per port. */
static void test_mapping_address_dependent(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;
    uint16_t a, b, c;

    (void)state;
    cfg.mapping = LISP_NAT_ADDRESS_DEPENDENT;
    n = nt_new(&g_h, &cfg);
    a = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    b = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 54);
    c = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.2", 53);
    assert_int_equal(a, 5000);
    assert_int_equal(b, a);
    assert_int_not_equal(c, a);
    assert_int_equal(lisp_nat_mapping_count(n), 2);
    lisp_nat_free(n);
}

/* Address-and-port-dependent mapping: a new mapping per destination address and port. */
static void test_mapping_address_port_dependent(void **state)
{
    lisp_nat_config cfg = nt_config("symmetric");
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint16_t a, b, c;

    (void)state;
    a = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    b = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 54);
    c = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.2", 53);
    assert_int_not_equal(a, b);
    assert_int_not_equal(a, c);
    assert_int_not_equal(b, c);
    assert_int_equal(ext_port(n, SEC(2), "10.0.0.1", 5000, "198.51.100.1", 54), b);
    assert_int_equal(lisp_nat_mapping_count(n), 3);
    lisp_nat_free(n);
}

/* Inbound from R1:53 (the destination), R1:99 and R2:53 under one filtering behaviour;
 * want[i]: whether each is let in. */
static void check_filtering(uint8_t filtering, const bool want[3])
{
    static const char *src[3] = {"198.51.100.1", "198.51.100.1", "198.51.100.2"};
    static const uint16_t sport[3] = {53, 99, 53};
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;
    uint64_t refused = 0;
    int i;

    cfg.filtering = filtering;
    n = nt_new(&g_h, &cfg);
    /* Nothing is let in before the inside has sent anything. */
    nt_assert_verdict(udp(n, SEC(1), false, src[0], 53, "203.0.113.1", 5000), LISP_NAT_DROP);
    assert_int_equal(nt_count(&g_h, LISP_TRACE_DROP, LISP_DROP_NAT_NO_MAPPING), 1);
    ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    for (i = 0; i < 3; i++) {
        int v = udp(n, SEC(2), false, src[i], sport[i], "203.0.113.1", 5000);
        if (want[i]) {
            nt_assert_verdict(v, LISP_NAT_FORWARD);
            nt_assert_dst(g_pkt, "10.0.0.1", 5000);
            nt_assert_src(g_pkt, src[i], sport[i]);
        } else {
            nt_assert_verdict(v, LISP_NAT_DROP);
            refused++;
            assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_FILTERED);
            assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->count, filtering);
            lt_assert_endpoint(&nt_last(&g_h, LISP_TRACE_DROP)->u.nat.internal, "10.0.0.1", 5000);
            lt_assert_endpoint(&nt_last(&g_h, LISP_TRACE_DROP)->peer, src[i], sport[i]);
        }
    }
    assert_int_equal(lisp_nat_get_stats(n)->filtered, refused);
    assert_int_equal(nt_counter(n, "drop.nat-filtered"), refused);
    lisp_nat_free(n);
}

static void test_filtering(void **state)
{
    static const bool eif[3] = {true, true, true}, adf[3] = {true, true, false},
                      apdf[3] = {true, false, false};
    (void)state;
    check_filtering(LISP_NAT_ENDPOINT_INDEPENDENT, eif);
    check_filtering(LISP_NAT_ADDRESS_DEPENDENT, adf);
    check_filtering(LISP_NAT_ADDRESS_PORT_DEPENDENT, apdf);
}

/* Under endpoint-independent mapping one mapping remembers every remote it sent to. */
static void test_filtering_many_remotes(void **state)
{
    lisp_nat_config cfg = nt_config("port-restricted-cone");
    lisp_nat *n = nt_new(&g_h, &cfg);
    char ip[32];
    int i;

    (void)state;
    for (i = 1; i <= 40; i++) {
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 5000, ip, 4342), 5000);
    }
    for (i = 1; i <= 40; i++) {
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        nt_assert_verdict(udp(n, SEC(2), false, ip, 4342, "203.0.113.1", 5000), LISP_NAT_FORWARD);
        nt_assert_verdict(udp(n, SEC(2), false, ip, 4341, "203.0.113.1", 5000), LISP_NAT_DROP);
    }
    nt_assert_verdict(udp(n, SEC(2), false, "198.51.100.41", 4342, "203.0.113.1", 5000),
                      LISP_NAT_DROP);
    /* After the mapping expired, a new one remembers nothing of the old remotes. */
    lisp_nat_handle_expiry(n, SEC(400));
    assert_int_equal(lisp_nat_mapping_count(n), 0);
    ext_port(n, SEC(400), "10.0.0.1", 5000, "198.51.100.1", 4342);
    nt_assert_verdict(udp(n, SEC(401), false, "198.51.100.2", 4342, "203.0.113.1", 5000),
                      LISP_NAT_DROP);
    nt_assert_verdict(udp(n, SEC(401), false, "198.51.100.1", 4342, "203.0.113.1", 5000),
                      LISP_NAT_FORWARD);
    lisp_nat_free(n);
}

/* Preserve: the internal port when free and in range, else a random one in range. */
static void test_port_preserve_and_collision(void **state)
{
    lisp_nat_config cfg = nt_config("linux-masquerade");
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint64_t r[2];

    (void)state;
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53), 5000);
    r[0] = nt_random_for_port(40000, 1024, 65535);
    nt_host_script(&g_h, r, 1);
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.2", 5000, "198.51.100.1", 53), 40000);
    /* A random draw that collides is drawn again. */
    r[0] = nt_random_for_port(5000, 1024, 65535);
    r[1] = nt_random_for_port(1024, 1024, 65535);
    nt_host_script(&g_h, r, 2);
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.3", 5000, "198.51.100.1", 53), 1024);
    /* Out of the range (below port_min): random within it. */
    r[0] = nt_random_for_port(65535, 1024, 65535);
    nt_host_script(&g_h, r, 1);
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 80, "198.51.100.1", 53), 65535);
    lisp_nat_free(n);
}

static void test_port_sequential(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;
    int i;

    (void)state;
    cfg.port_policy = LISP_NAT_PORT_SEQUENTIAL;
    cfg.port_min = 2000;
    cfg.port_max = 2003;
    n = nt_new(&g_h, &cfg);
    for (i = 0; i < 4; i++)
        assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", (uint16_t)(6000 + i), "198.51.100.1", 53),
                         2000 + i);
    /* The range is used up: the fifth flow is refused. */
    nt_assert_verdict(udp(n, SEC(1), true, "10.0.0.1", 6004, "198.51.100.1", 53), LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_PORTS_EXHAUSTED);
    assert_int_equal(lisp_nat_get_stats(n)->ports_exhausted, 1);
    /* One port comes free (its flow refreshed no longer): sequential wraps round to it. */
    for (i = 0; i < 4; i++)
        if (i != 1)
            ext_port(n, SEC(200), "10.0.0.1", (uint16_t)(6000 + i), "198.51.100.1", 53);
    assert_int_equal(ext_port(n, SEC(301), "10.0.0.1", 6009, "198.51.100.1", 53), 2001);
    /* Ports are per protocol: TCP has its own range. */
    nt_assert_verdict(nt_send(n, SEC(301), true, g_pkt,
                              nt_tcp(g_pkt, "10.0.0.1", 7000, "198.51.100.1", 80, 0x02)),
                      LISP_NAT_FORWARD);
    assert_int_equal(nt_sport(g_pkt), 2000);
    lisp_nat_free(n);
}

static void test_port_random(void **state)
{
    lisp_nat_config cfg = nt_config("symmetric");
    lisp_nat *n;
    uint64_t r[3];

    (void)state;
    cfg.port_min = 10000;
    cfg.port_max = 10099;
    n = nt_new(&g_h, &cfg);
    r[0] = nt_random_for_port(10042, 10000, 10099);
    r[1] = nt_random_for_port(10042, 10000, 10099);
    r[2] = nt_random_for_port(10099, 10000, 10099);
    nt_host_script(&g_h, r, 3);
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 10042, "198.51.100.1", 53), 10042);
    /* The same internal port is not preserved by chance: 10042 is taken, so redrawn. */
    assert_int_equal(ext_port(n, SEC(1), "10.0.0.1", 10042, "198.51.100.2", 53), 10099);
    assert_int_equal(g_h.next_script, 3);
    lisp_nat_free(n);
}

/* Every port handed out lies in [port_min, port_max], each once, whatever the policy. */
static void test_port_range(void **state)
{
    uint8_t policy;

    (void)state;
    for (policy = 0; policy <= LISP_NAT_PORT_RANDOM; policy++) {
        lisp_nat_config cfg = nt_config(NULL);
        bool seen[10] = {false};
        lisp_nat *n;
        int i;

        cfg.port_policy = policy;
        cfg.port_min = 3000;
        cfg.port_max = 3009;
        n = nt_new(&g_h, &cfg);
        for (i = 0; i < 10; i++) {
            uint16_t p = ext_port(n, SEC(1), "10.0.0.1", (uint16_t)(5000 + i), "198.51.100.1", 53);
            assert_true(p >= 3000 && p <= 3009);
            assert_false(seen[p - 3000]);
            seen[p - 3000] = true;
        }
        nt_assert_verdict(udp(n, SEC(1), true, "10.0.0.2", 5000, "198.51.100.1", 53),
                          LISP_NAT_DROP);
        assert_int_equal(lisp_nat_get_stats(n)->ports_exhausted, 1);
        /* Inbound to a port outside the range is for the router itself. */
        nt_assert_verdict(udp(n, SEC(1), false, "198.51.100.1", 53, "203.0.113.1", 22),
                          LISP_NAT_PASS);
        lisp_nat_free(n);
    }
}

/* Paired pooling keeps an internal host on one public address (and runs out of ports
 * there); arbitrary pooling spreads its flows over every public address. */
static void test_pooling(void **state)
{
    uint8_t pooling;

    (void)state;
    for (pooling = 0; pooling <= LISP_NAT_POOL_ARBITRARY; pooling++) {
        lisp_nat_config cfg = nt_config(NULL);
        uint8_t first[4] = {0}, used[2] = {0};
        lisp_nat *n;
        int i, ok = 0;

        nt_add_public(&cfg, "203.0.113.2");
        cfg.pooling = pooling;
        cfg.port_min = 3000;
        cfg.port_max = 3001;
        n = nt_new(&g_h, &cfg);
        for (i = 0; i < 5; i++) {
            int v = udp(n, SEC(1), true, "10.0.0.1", (uint16_t)(5000 + i), "198.51.100.1", 53);
            if (v != LISP_NAT_FORWARD)
                continue;
            ok++;
            if (ok == 1)
                memcpy(first, g_pkt + 12, 4);
            used[g_pkt[15] - 1]++;
            if (pooling == LISP_NAT_POOL_PAIRED)
                assert_memory_equal(g_pkt + 12, first, 4);
        }
        assert_int_equal(ok, pooling == LISP_NAT_POOL_PAIRED ? 2 : 4);
        assert_int_equal(lisp_nat_get_stats(n)->ports_exhausted, pooling ? 1 : 3);
        if (pooling == LISP_NAT_POOL_ARBITRARY)
            assert_true(used[0] == 2 && used[1] == 2);
        lisp_nat_free(n);
    }
}

static void test_generic_interface(void **state)
{
    const lisp_role_desc *r = lisp_role_find("nat");
    lisp_nat_config cfg;
    lisp_engine *e;
    lisp_nat *n;
    lisp_dgram d;
    lisp_stat stats[64];
    size_t k;

    (void)state;
    assert_non_null(r);
    assert_int_equal(r->role, LISP_ROLE_NAT);
    assert_int_equal(r->config_size, sizeof cfg);
    r->config_default(&cfg);
    nt_host_init(&g_h);
    assert_null(r->create(&cfg, &g_h.host, 0)); /* no public address */
    nt_add_public(&cfg, "203.0.113.1");
    e = r->create(&cfg, &g_h.host, 0);
    assert_non_null(e);
    assert_int_equal(e->ops->role, LISP_ROLE_NAT);
    assert_int_equal(e->ops->ports, 0);
    assert_false(e->ops->eid_side);
    memset(&d, 0, sizeof d);
    lt_assert_rc(lisp_engine_input(e, 0, &d, g_pkt, 0), LISP_ERR_INVALID_ARG);
    lt_assert_rc(lisp_engine_eid_input(e, 0, NULL, g_pkt, 0), LISP_ERR_INVALID_ARG);
    n = lisp_nat_from_engine(e);
    assert_non_null(n);
    assert_ptr_equal(lisp_nat_engine(n), e);
    assert_true(lisp_engine_next_expiry(e) == LISP_TIME_NEVER);
    ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    assert_true(lisp_engine_next_expiry(e) == SEC(301));
    k = lisp_engine_stats(e, stats, 64);
    assert_true(k > 13 && k <= 64);
    assert_string_equal(stats[0].group, "nat");
    assert_int_equal(nt_counter(n, "outbound"), 1);
    assert_int_equal(nt_counter(n, "mappings"), 1);
    assert_int_equal(nt_counter(n, "mappings_created"), 1);
    lisp_engine_handle_expiry(e, SEC(301));
    assert_int_equal(nt_counter(n, "mappings"), 0);
    assert_int_equal(nt_counter(n, "mappings_expired"), 1);
    assert_null(lisp_nat_from_engine(NULL));
    lisp_engine_free(e);
}

/* Mapping events carry the endpoints; the remote is the one the mapping depends on. */
static void test_traces(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);
    const lisp_trace *t;

    (void)state;
    ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    t = nt_last(&g_h, LISP_TRACE_NAT_MAPPING_CREATED);
    assert_non_null(t);
    assert_int_equal(t->role, LISP_ROLE_NAT);
    assert_true(t->now == SEC(1));
    assert_int_equal(t->u.nat.proto, 17);
    lt_assert_endpoint(&t->u.nat.internal, "10.0.0.1", 5000);
    lt_assert_endpoint(&t->u.nat.external, "203.0.113.1", 5000);
    assert_int_equal(t->u.nat.remote.afi, LISP_AFI_NONE);
    lt_assert_endpoint(&t->peer, "198.51.100.1", 53);
    ext_port(n, SEC(2), "10.0.0.1", 5000, "198.51.100.7", 99);
    t = nt_last(&g_h, LISP_TRACE_NAT_MAPPING_REFRESHED);
    assert_non_null(t);
    assert_int_equal(t->count, 1);
    lt_assert_endpoint(&t->peer, "198.51.100.7", 99);
    lisp_nat_handle_expiry(n, SEC(302));
    t = nt_last(&g_h, LISP_TRACE_NAT_MAPPING_EXPIRED);
    assert_non_null(t);
    assert_true(t->now == SEC(302));
    lt_assert_endpoint(&t->u.nat.external, "203.0.113.1", 5000);
    lisp_nat_free(n);

    cfg.mapping = LISP_NAT_ADDRESS_PORT_DEPENDENT;
    n = nt_new(&g_h, &cfg);
    ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    t = nt_last(&g_h, LISP_TRACE_NAT_MAPPING_CREATED);
    lt_assert_endpoint(&t->u.nat.remote, "198.51.100.1", 53);
    lisp_nat_free(n);

    /* Without a trace callback nothing is emitted and nothing breaks. */
    cfg.mapping = LISP_NAT_ENDPOINT_INDEPENDENT;
    nt_host_init(&g_h);
    g_h.host.env.trace = NULL;
    n = lisp_nat_new(&cfg, &g_h.host, 0);
    ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    ext_port(n, SEC(2), "10.0.0.1", 5000, "198.51.100.1", 53);
    nt_assert_verdict(udp(n, SEC(2), false, "198.51.100.2", 53, "203.0.113.1", 5000),
                      LISP_NAT_DROP);
    assert_int_equal(g_h.n_traces, 0);
    lisp_nat_free(n);
}

static void test_mapping_listing(void **state)
{
    lisp_nat_config cfg = nt_config("restricted-cone");
    lisp_nat *n;
    lisp_nat_mapping_info info;
    bool seen[3] = {false};
    size_t i;

    (void)state;
    cfg.mapping = LISP_NAT_ADDRESS_DEPENDENT;
    n = nt_new(&g_h, &cfg);
    ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 53);
    ext_port(n, SEC(2), "10.0.0.2", 5001, "198.51.100.2", 53);
    nt_assert_verdict(
        nt_send(n, SEC(3), true, g_pkt, nt_tcp(g_pkt, "10.0.0.3", 7000, "198.51.100.3", 80, 0x02)),
        LISP_NAT_FORWARD);
    assert_int_equal(lisp_nat_mapping_count(n), 3);
    for (i = 0; lisp_nat_mapping_at(n, i, &info); i++) {
        int k = info.internal.addr[3] - 1;
        assert_true(k >= 0 && k < 3 && !seen[k]);
        seen[k] = true;
        assert_int_equal(info.proto, k == 2 ? 6 : 17);
        assert_int_equal(info.remote.afi, LISP_AFI_IPV4);
        assert_int_equal(info.remote.port, 0); /* address-dependent: the address only */
        assert_int_equal(info.remote.addr[3], k + 1);
        assert_true(info.expires == (k == 2 ? SEC(3 + 240) : SEC(k + 1 + 300)));
        lt_assert_endpoint(&info.external, "203.0.113.1", info.internal.port);
    }
    assert_int_equal(i, 3);
    assert_false(lisp_nat_mapping_at(n, 3, &info));
    /* the configuration as the engine took it (lispctl show nat renders it) */
    assert_int_equal(lisp_nat_get_config(n)->mapping, LISP_NAT_ADDRESS_DEPENDENT);
    assert_int_equal(lisp_nat_get_config(n)->filtering, LISP_NAT_ADDRESS_DEPENDENT);
    assert_int_equal(lisp_nat_get_config(n)->n_public, cfg.n_public);
    assert_memory_equal(lisp_nat_get_config(n)->public_addrs, cfg.public_addrs,
                        sizeof cfg.public_addrs);
    lisp_nat_free(n);
}

/* Each preset classified as a STUN-style test would (RFC 5780 section 4.3 and 4.4): does a
 * second destination get the same external endpoint, and which sources may answer. */
static void test_presets_classified(void **state)
{
    static const struct {
        const char *name;
        bool same_mapping;     /* endpoint-independent mapping */
        bool other_port_in;    /* R1 from another port */
        bool other_address_in; /* a host it never sent to */
    } want[] = {
        {"full-cone", true, true, true},
        {"restricted-cone", true, true, false},
        {"port-restricted-cone", true, false, false},
        {"symmetric", false, false, false},
        {"linux-masquerade", true, false, false},
        {"carrier-grade", true, true, true},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        lisp_nat_config cfg = nt_config(want[i].name);
        lisp_nat *n = nt_new(&g_h, &cfg);
        uint16_t p1, p2;

        assert_string_equal(lisp_nat_preset_at(i), want[i].name);
        p1 = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.1", 3478);
        p2 = ext_port(n, SEC(1), "10.0.0.1", 5000, "198.51.100.2", 3478);
        assert_int_equal(p1 == p2, want[i].same_mapping);
        nt_assert_verdict(udp(n, SEC(2), false, "198.51.100.1", 3479, "203.0.113.1", p1),
                          want[i].other_port_in ? LISP_NAT_FORWARD : LISP_NAT_DROP);
        nt_assert_verdict(udp(n, SEC(2), false, "198.51.100.3", 3478, "203.0.113.1", p1),
                          want[i].other_address_in ? LISP_NAT_FORWARD : LISP_NAT_DROP);
        nt_assert_verdict(udp(n, SEC(2), false, "198.51.100.1", 3478, "203.0.113.1", p1),
                          LISP_NAT_FORWARD);
        lisp_nat_free(n);
    }
}

/* A batch gives the verdicts and bytes of single calls in order: two NATs from the same
 * seed, one fed packet by packet, one in batches (new flows, repeats inside one batch,
 * filtered, malformed, ICMP, inbound replies). */
static void test_batches_match_single_calls(void **state)
{
    enum {
        N = 90
    };
    static uint8_t a[N][NT_PKT_MAX], b[N][NT_PKT_MAX];
    uint8_t *ptrs[N];
    size_t lens[N], i, pass;
    int va[N], vb[N];
    nt_host ha, hb;
    lisp_nat_config cfg = nt_config("symmetric");
    lisp_nat *na, *nb;

    (void)state;
    nt_host_init(&ha);
    nt_host_init(&hb);
    na = lisp_nat_new(&cfg, &ha.host, 0);
    nb = lisp_nat_new(&cfg, &hb.host, 0);
    for (pass = 0; pass < 2; pass++) {
        bool outbound = pass == 0;
        for (i = 0; i < N; i++) {
            char ip[32];
            snprintf(ip, sizeof ip, "198.51.100.%u", (unsigned)(i % 7 + 1));
            if (outbound && i % 11 == 5)
                lens[i] = nt_icmp_query(a[i], "10.0.0.1", ip, 8, (uint16_t)(100 + i % 3));
            else if (outbound)
                lens[i] = nt_udp(a[i], "10.0.0.1", (uint16_t)(5000 + i % 13), ip, 53, 4);
            else /* replies to the external ports the single-call NAT handed out */
                lens[i] = nt_udp(a[i], ip, i % 5 ? 53 : 54, "203.0.113.1", nt_sport(b[i]), 4);
            if (i % 17 == 3)
                lens[i] = 15; /* truncated */
        }
        for (i = 0; i < N; i++) {
            memcpy(b[i], a[i], lens[i]);
            ptrs[i] = b[i];
        }
        for (i = 0; i < N; i++) {
            va[i] = outbound ? lisp_nat_outbound(na, SEC(1), a[i], lens[i])
                             : lisp_nat_inbound(na, SEC(1), a[i], lens[i]);
        }
        if (outbound)
            lisp_nat_outbound_batch(nb, SEC(1), ptrs, lens, N, vb);
        else
            lisp_nat_inbound_batch(nb, SEC(1), ptrs, lens, N, vb);
        for (i = 0; i < N; i++) {
            assert_int_equal(va[i], vb[i]);
            assert_memory_equal(a[i], b[i], lens[i]);
        }
        if (outbound) /* keep the translated packets for the replies */
            for (i = 0; i < N; i++)
                memcpy(b[i], a[i], lens[i]);
    }
    assert_memory_equal(lisp_nat_get_stats(na), lisp_nat_get_stats(nb), sizeof(lisp_nat_stats));
    assert_true(lisp_nat_get_stats(na)->inbound > 0 && lisp_nat_get_stats(na)->filtered > 0);
    lisp_nat_free(na);
    lisp_nat_free(nb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_and_presets),
        cmocka_unit_test(test_bad_configs),
        cmocka_unit_test(test_mapping_endpoint_independent),
        cmocka_unit_test(test_mapping_address_dependent),
        cmocka_unit_test(test_mapping_address_port_dependent),
        cmocka_unit_test(test_filtering),
        cmocka_unit_test(test_filtering_many_remotes),
        cmocka_unit_test(test_port_preserve_and_collision),
        cmocka_unit_test(test_port_sequential),
        cmocka_unit_test(test_port_random),
        cmocka_unit_test(test_port_range),
        cmocka_unit_test(test_pooling),
        cmocka_unit_test(test_generic_interface),
        cmocka_unit_test(test_traces),
        cmocka_unit_test(test_mapping_listing),
        cmocka_unit_test(test_presets_classified),
        cmocka_unit_test(test_batches_match_single_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
