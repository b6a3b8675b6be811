/*
 * test_xtr_locators.c - the locator table inside an xTR: every locator event and its effect
 * on the locator-status-bits we send, on the outer source of each packet, on the locators
 * we register and answer with, and on re-registration (lisp_locators_internal.h).
 */
#include <stdio.h>
#include <string.h>

#include "lisp_data.h"
#include "lisp_xtr_harness.h"

/* Site A with two IPv4 RLOCs (.1 on interface 1, .2 on interface 2, equal priority and
 * weight) and an IPv6 one (interface 3). */
static void two_rloc_config(lisp_xtr_config *c)
{
    xh_base_config(c);
    c->n_rlocs = 3;
    c->rlocs[0] = xh_rloc("192.0.2.1", 1, 50);
    c->rlocs[1] = xh_rloc("192.0.2.2", 1, 50);
    c->rlocs[2] = xh_rloc("2001:db8::1", 1, 100);
    c->rloc_ifindex[0] = 1;
    c->rloc_ifindex[1] = 2;
    c->rloc_ifindex[2] = 3;
}

/* Resolve 10.2.0.0/16 (site B) so that packets to it are encapsulated. */
static void learn_site_b(lisp_time_t now)
{
    xh_eid(now, "10.1.0.5", "10.2.0.7", 1);
    xh_reply_site_b(now + MS(1), xh_sent_request_nonce(g_io.n_sent - 1));
    fake_io_clear(&g_io);
}

static const lisp_trace *last_locator_trace(void)
{
    size_t n = fake_io_count_traces(&g_io, LISP_TRACE_LOCATOR_CHANGE, 0);
    return n ? fake_io_find_trace(&g_io, LISP_TRACE_LOCATOR_CHANGE, n - 1) : NULL;
}

static void test_events_and_lsb(void **state)
{
    lisp_xtr_config c;
    const lisp_trace *t;
    (void)state;

    two_rloc_config(&c);
    xh_start(&c);
    assert_int_equal(lisp_xtr_lsb(g_x), 0x7);

    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_DOWN, "192.0.2.2", NULL, 0));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x5);
    t = last_locator_trace();
    assert_non_null(t);
    assert_int_equal(t->u.locator.event, LISP_LOCATOR_DOWN);
    assert_int_equal(t->u.locator.lsb, 0x5);
    lt_assert_endpoint(&t->u.locator.addr, "192.0.2.2", 0);

    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_UP, "192.0.2.2", NULL, 0));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x7);

    /* By interface: every RLOC on it. */
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_DOWN, NULL, NULL, 1));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x6);
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_UP, NULL, NULL, 1));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x7);

    /* Added at the end: bit 3. Removed: the later ones move up one bit. */
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_ADDED, "192.0.2.9", NULL, 4));
    assert_int_equal(lisp_xtr_lsb(g_x), 0xF);
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_DOWN, "192.0.2.9", NULL, 0));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x7);
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_REMOVED, "192.0.2.1", NULL, 0));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x3); /* .2, ::1 up; .9 (now bit 2) down */
    /* Added again while present: updated and up. */
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_ADDED, "192.0.2.9", NULL, 4));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x7);

    /* Renumbered: same place, same state. */
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_CHANGED, "192.0.2.20", "192.0.2.2", 0));
    t = last_locator_trace();
    lt_assert_endpoint(&t->u.locator.old_addr, "192.0.2.2", 0);
    lt_assert_endpoint(&t->u.locator.addr, "192.0.2.20", 0);
    assert_int_equal(lisp_xtr_lsb(g_x), 0x7);

    /* Events naming nothing of ours change nothing and trace nothing. */
    fake_io_clear(&g_io);
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_DOWN, "192.0.2.77", NULL, 0),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_DOWN, NULL, NULL, 99), LISP_ERR_INVALID_ARG);
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_REMOVED, "192.0.2.2", NULL, 0),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_CHANGED, "192.0.2.9", "192.0.2.20", 0),
                     LISP_ERR_INVALID_ARG); /* the new address is taken */
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_CHANGED, "192.0.2.30", "192.0.2.31", 0),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(xh_locator(T0, 99, "192.0.2.9", NULL, 0), LISP_ERR_INVALID_ARG);
    assert_int_equal(g_io.n_traces, 0);
    assert_int_equal(lisp_xtr_lsb(g_x), 0x7);
    assert_int_equal(lisp_xtr_get_stats(g_x)->locator_events, 9);

    /* A full table refuses one more. */
    for (unsigned i = 3; i < LISP_XTR_MAX_RLOCS; i++) {
        char a[32];
        snprintf(a, sizeof a, "192.0.2.%u", 100 + i);
        lt_assert_ok(xh_locator(T0, LISP_LOCATOR_ADDED, a, NULL, 0));
    }
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_ADDED, "192.0.2.250", NULL, 0), LISP_ERR_TOO_MANY);
    assert_int_equal(lisp_xtr_lsb(g_x), 0xFF);
}

/* The LSBs of the next packet to site B, and its outer source address's last byte. */
static uint32_t packet_lsb(lisp_time_t now, uint16_t sport, uint8_t *src_last)
{
    lisp_data_hdr h;
    size_t before = g_io.n_sent;

    xh_eid(now, "10.1.0.5", "10.2.0.7", sport);
    assert_int_equal(g_io.n_sent, before + 1);
    lt_assert_ok(lisp_data_decode(&h, g_io.sent[before].data, g_io.sent[before].len));
    assert_true(h.flags & LISP_DATA_F_L);
    if (src_last)
        *src_last = g_io.sent[before].src.addr[3];
    return h.lsb;
}

static void test_lsb_on_the_wire_and_source_choice(void **state)
{
    lisp_xtr_config c;
    unsigned i, from_1 = 0, from_2 = 0;
    uint8_t last;
    (void)state;

    two_rloc_config(&c);
    xh_start(&c);
    learn_site_b(T0);
    assert_int_equal(packet_lsb(T0 + SEC(1), 1, NULL), 0x7);

    /* Both usable RLOCs of the family carry flows, a flow keeps its source. */
    for (i = 0; i < 100; i++) {
        packet_lsb(T0 + SEC(1), (uint16_t)(2000 + i), &last);
        from_1 += last == 1;
        from_2 += last == 2;
    }
    assert_int_equal(from_1 + from_2, 100);
    assert_true(from_1 > 25 && from_2 > 25);
    packet_lsb(T0 + SEC(1), 2000, &last);
    {
        uint8_t again;
        packet_lsb(T0 + SEC(1), 2000, &again);
        assert_int_equal(again, last);
    }

    /* One down: its bit clears, every flow leaves from the other. */
    lt_assert_ok(xh_locator(T0 + SEC(2), LISP_LOCATOR_DOWN, "192.0.2.1", NULL, 0));
    for (i = 0; i < 20; i++) {
        assert_int_equal(packet_lsb(T0 + SEC(2), (uint16_t)(2000 + i), &last), 0x6);
        assert_int_equal(last, 2);
    }
    /* Renumbered: the new address is the source. */
    lt_assert_ok(xh_locator(T0 + SEC(3), LISP_LOCATOR_CHANGED, "192.0.2.22", "192.0.2.2", 0));
    packet_lsb(T0 + SEC(3), 2000, &last);
    assert_int_equal(last, 22);

    /* Every IPv4 RLOC down: no source for site B's IPv4 locators. */
    lt_assert_ok(xh_locator(T0 + SEC(4), LISP_LOCATOR_DOWN, "192.0.2.22", NULL, 0));
    fake_io_clear(&g_io);
    xh_eid(T0 + SEC(4), "10.1.0.5", "10.2.0.7", 1);
    assert_int_equal(g_io.n_sent, 0);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_DROP, LISP_DROP_NO_LOCATOR), 1);
    /* Up again: used again. */
    lt_assert_ok(xh_locator(T0 + SEC(5), LISP_LOCATOR_UP, "192.0.2.1", NULL, 0));
    assert_int_equal(packet_lsb(T0 + SEC(5), 1, &last), 0x5);
    assert_int_equal(last, 1);
}

static void test_priority_decides_source(void **state)
{
    lisp_xtr_config c;
    unsigned i;
    uint8_t last;
    (void)state;

    two_rloc_config(&c);
    c.rlocs[0].priority = 2; /* .2 (priority 1) is preferred */
    xh_start(&c);
    learn_site_b(T0);
    for (i = 0; i < 20; i++) {
        packet_lsb(T0 + SEC(1), (uint16_t)(3000 + i), &last);
        assert_int_equal(last, 2);
    }
    xh_teardown(NULL);
    c.rlocs[1].priority = 255; /* never for unicast: .1 is the only source */
    c.rlocs[0].priority = 1;
    xh_start(&c);
    learn_site_b(T0);
    for (i = 0; i < 20; i++) {
        packet_lsb(T0 + SEC(1), (uint16_t)(3000 + i), &last);
        assert_int_equal(last, 1);
    }
}

/* The locators of the Map-Register at index i: count, and flags of each into flags[]. */
static unsigned registered_locators(size_t i, uint16_t *flags, uint8_t *last_byte)
{
    const lisp_record *rec;
    unsigned j;

    assert_int_equal(xh_sent(i), LISP_MAP_REGISTER);
    rec = &g_m.u.mreg.records[0];
    for (j = 0; j < rec->loc_count; j++) {
        flags[j] = rec->locators[j].flags;
        last_byte[j] =
            rec->locators[j].addr.a.ip[rec->locators[j].addr.a.afi == LISP_AFI_IPV4 ? 3 : 15];
    }
    return rec->loc_count;
}

static void test_events_reregister_at_once(void **state)
{
    lisp_xtr_config c;
    uint16_t flags[8];
    uint8_t last[8];
    (void)state;

    two_rloc_config(&c);
    xh_start(&c);
    /* Before start: the table changes, nothing is sent. */
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_DOWN, "192.0.2.2", NULL, 0));
    assert_int_equal(g_io.n_sent, 0);
    lisp_xtr_start(g_x, T0);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(registered_locators(0, flags, last), 3);
    assert_int_equal(flags[0], LISP_LOC_F_R);
    assert_int_equal(flags[1], 0); /* down: registered, not reachable */
    assert_int_equal(flags[2], LISP_LOC_F_R);
    xh_notify(T0 + MS(5), g_m.u.mreg.nonce, XH_KEY, "203.0.113.10", true);
    assert_true(lisp_xtr_registered(g_x));

    /* Each event: a new Map-Register now, with a new nonce, and a new round. */
    lt_assert_ok(xh_locator(T0 + SEC(10), LISP_LOCATOR_UP, "192.0.2.2", NULL, 0));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(registered_locators(1, flags, last), 3);
    assert_int_equal(flags[1], LISP_LOC_F_R);
    assert_false(lisp_xtr_registered(g_x));
    assert_string_equal(lisp_xtr_registration_state(g_x, 0), "registering");
    assert_int_equal(xh_count_state("registration", "registered", "registering", "locators"), 1);

    lt_assert_ok(xh_locator(T0 + SEC(11), LISP_LOCATOR_REMOVED, "192.0.2.1", NULL, 0));
    assert_int_equal(registered_locators(2, flags, last), 2);
    assert_int_equal(last[0], 2);
    lt_assert_ok(xh_locator(T0 + SEC(12), LISP_LOCATOR_ADDED, "192.0.2.5", NULL, 7));
    assert_int_equal(registered_locators(3, flags, last), 3);
    assert_int_equal(last[2], 5);
    lt_assert_ok(xh_locator(T0 + SEC(13), LISP_LOCATOR_CHANGED, "192.0.2.6", "192.0.2.5", 0));
    assert_int_equal(registered_locators(4, flags, last), 3);
    assert_int_equal(last[2], 6);
    lt_assert_ok(xh_locator(T0 + SEC(14), LISP_LOCATOR_DOWN, "192.0.2.6", NULL, 0));
    assert_int_equal(registered_locators(5, flags, last), 3);
    assert_int_equal(flags[2], 0);
    /* A refused event sends nothing. */
    assert_int_equal(xh_locator(T0 + SEC(15), LISP_LOCATOR_UP, "192.0.2.99", NULL, 0),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(g_io.n_sent, 6);
    /* The retry timer belongs to the newest round. */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(15));
}

static void test_engine_interface_takes_events(void **state)
{
    lisp_xtr_config c;
    lisp_locator_event ev;
    lisp_engine *e;
    (void)state;

    two_rloc_config(&c);
    xh_start(&c);
    e = lisp_xtr_engine(g_x);
    memset(&ev, 0, sizeof ev);
    ev.kind = LISP_LOCATOR_DOWN;
    ev.addr = lt_endpoint("192.0.2.1", 0);
    lt_assert_ok(lisp_engine_locator_event(e, T0, &ev));
    assert_int_equal(lisp_xtr_lsb(g_x), 0x6);
}

static void test_down_locators_in_requests_and_replies(void **state)
{
    lisp_xtr_config c;
    const lisp_record *rec;
    (void)state;

    two_rloc_config(&c);
    xh_start(&c);
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_DOWN, "192.0.2.1", NULL, 0));
    xh_eid(T0, "10.1.0.5", "10.2.0.7", 1);
    xh_sent_request_nonce(0);
    /* ITR-RLOCs: the usable ones only; the inner source is a usable one. */
    assert_int_equal(g_inner.u.mreq.itr_rloc_count, 2);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("192.0.2.2")}, &g_inner.u.mreq.itr_rlocs[0]);
    assert_memory_equal(g_m.u.ecm.inner.src, lt_endpoint("192.0.2.2", 0).addr, 4);
    lt_assert_endpoint(&g_io.sent[0].src, "192.0.2.2", LISP_CONTROL_PORT);

    /* A Map-Reply from us lists every RLOC, R only on the up ones. */
    {
        static lisp_msg q;
        static uint8_t wire[1024];
        lisp_endpoint src = lt_endpoint("198.51.100.1", 4342);
        lisp_endpoint dst = lt_endpoint("192.0.2.2", 4342);
        size_t len;
        lt_sample_map_request(&q);
        q.u.mreq.itr_rlocs[0] = lt_addr("198.51.100.1");
        q.u.mreq.records[0].mask_len = 32;
        q.u.mreq.records[0].addr = lt_addr("10.1.2.3");
        lt_assert_ok(lisp_msg_encode(&q, wire, sizeof wire, &len));
        lt_assert_ok(xh_udp(T0, &src, &dst, 0, 0, wire, len));
    }
    assert_int_equal(xh_sent(1), LISP_MAP_REPLY);
    rec = &g_m.u.mrep.records[0];
    assert_int_equal(rec->loc_count, 3);
    assert_int_equal(rec->locators[0].flags, LISP_LOC_F_L);
    assert_int_equal(rec->locators[1].flags, LISP_LOC_F_L | LISP_LOC_F_R);
    lt_assert_endpoint(&g_io.sent[1].src, "192.0.2.2", LISP_CONTROL_PORT);

    /* No usable RLOC at all: the Map-Request cannot name an ITR-RLOC. */
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_DOWN, "192.0.2.2", NULL, 0));
    lt_assert_ok(xh_locator(T0, LISP_LOCATOR_DOWN, "2001:db8::1", NULL, 0));
    xh_eid(T0, "10.1.0.5", "10.3.0.7", 1);
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_NO_LOCATOR], 1);
}

/* The operators' view of the table (lisp_xtr_locator_at) follows every event. */
static void test_locator_view(void **state)
{
    lisp_xtr_config c;
    lisp_xtr_locator l;
    lisp_endpoint want;
    (void)state;

    two_rloc_config(&c);
    c.rlocs[1].priority = 2;
    c.rlocs[1].weight = 30;
    xh_start(&c);
    assert_int_equal(lisp_xtr_locator_count(g_x), 3);
    assert_true(lisp_xtr_locator_at(g_x, 1, &l));
    want = lt_endpoint("192.0.2.2", 0);
    assert_true(lisp_endpoint_equal(&l.addr, &want));
    assert_int_equal(l.ifindex, 2);
    assert_int_equal(l.priority, 2);
    assert_int_equal(l.weight, 30);
    assert_true(l.up);
    assert_false(lisp_xtr_locator_at(g_x, 3, &l));

    assert_int_equal(xh_locator(T0, LISP_LOCATOR_DOWN, "192.0.2.2", NULL, 0), LISP_OK);
    assert_true(lisp_xtr_locator_at(g_x, 1, &l));
    assert_false(l.up);
    assert_int_equal(lisp_xtr_lsb(g_x), 0x5);
    /* Removing the first moves the others up one place, as their LSBs do. */
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_REMOVED, "192.0.2.1", NULL, 0), LISP_OK);
    assert_int_equal(lisp_xtr_locator_count(g_x), 2);
    assert_true(lisp_xtr_locator_at(g_x, 1, &l));
    want = lt_endpoint("2001:db8::1", 0);
    assert_true(lisp_endpoint_equal(&l.addr, &want));
    assert_int_equal(l.ifindex, 3);
    assert_true(l.up);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_events_and_lsb, xh_teardown),
        cmocka_unit_test_teardown(test_lsb_on_the_wire_and_source_choice, xh_teardown),
        cmocka_unit_test_teardown(test_priority_decides_source, xh_teardown),
        cmocka_unit_test_teardown(test_events_reregister_at_once, xh_teardown),
        cmocka_unit_test_teardown(test_engine_interface_takes_events, xh_teardown),
        cmocka_unit_test_teardown(test_down_locators_in_requests_and_replies, xh_teardown),
        cmocka_unit_test_teardown(test_locator_view, xh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
