/*
 * test_xtr_register.c - the registration client inside an xTR: every FSM transition,
 * Map-Register retries until Map-Notify, give-up and recovery, refresh, the Map-Notify-Ack
 * to an unsolicited Map-Notify, SHA-256 keys, and xTR-ID / site-ID parsing
 * (lisp_reg_internal.h).
 */
#include <string.h>

#include "lisp_auth.h"
#include "lisp_xtr_harness.h"

static uint64_t register_nonce(size_t i)
{
    assert_int_equal(xh_sent(i), LISP_MAP_REGISTER);
    return g_m.u.mreg.nonce;
}

static void test_retry_until_notify(void **state)
{
    lisp_xtr_config c;
    uint64_t nonce;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    assert_int_equal(xh_count_state("registration", "idle", "registering", "start"), 1);
    nonce = register_nonce(0);
    /* Back-off 1 s, 2 s: the same round, the same nonce. */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(1));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(1));
    assert_int_equal(register_nonce(1), nonce);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(3));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(3));
    assert_int_equal(register_nonce(2), nonce);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(7));
    /* The Map-Notify ends it; the refresh is an interval after the round began. */
    xh_notify(T0 + SEC(4), nonce, XH_KEY, "203.0.113.10", false);
    assert_true(lisp_xtr_registered(g_x));
    assert_int_equal(xh_count_state("registration", "registering", "registered", "notify"), 1);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(60));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(60));
    assert_int_equal(xh_count_state("registration", "registered", "registering", "timer"), 1);
    assert_true(register_nonce(3) != nonce);
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_registers_sent, 4);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_NOTIFY_ACK_SENT, 0), 0);
}

static void test_give_up_and_recover(void **state)
{
    lisp_xtr_config c;
    uint64_t nonce;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    nonce = register_nonce(0);
    lisp_xtr_handle_expiry(g_x, T0 + SEC(1));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(3));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(7));
    assert_int_equal(g_io.n_sent, 4); /* 1 + 3 retries */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(15));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(15));
    assert_int_equal(g_io.n_sent, 4);
    assert_string_equal(lisp_xtr_registration_state(g_x, 0), "failed");
    assert_null(lisp_xtr_registration_state(g_x, 1));
    assert_int_equal(xh_count_state("registration", "registering", "failed", "give-up"), 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->registrations_failed, 1);
    /* An interval later: a new round. */
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(75));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(75));
    assert_int_equal(xh_count_state("registration", "failed", "registering", "timer"), 1);
    assert_true(register_nonce(4) != nonce);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(76));
    /* A locator event while failed: a new round at once. */
    lisp_xtr_handle_expiry(g_x, T0 + SEC(76));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(78));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(82));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(90));
    assert_string_equal(lisp_xtr_registration_state(g_x, 0), "failed");
    lt_assert_ok(xh_locator(T0 + SEC(91), LISP_LOCATOR_DOWN, "192.0.2.1", NULL, 0));
    assert_string_equal(lisp_xtr_registration_state(g_x, 0), "registering");
    assert_int_equal(xh_count_state("registration", "failed", "registering", "locators"), 1);
}

static void test_backoff_capped_by_interval(void **state)
{
    lisp_xtr_config c;
    (void)state;

    xh_base_config(&c);
    c.register_interval = SEC(3);
    c.register_retry_timeout = SEC(2);
    c.register_retries = 5;
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(2));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(2));
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(5)); /* 4 s, capped at 3 s */
    lisp_xtr_handle_expiry(g_x, T0 + SEC(5));
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(8));
}

static void test_without_map_notify(void **state)
{
    lisp_xtr_config c;
    (void)state;

    xh_base_config(&c);
    c.want_map_notify = false;
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    assert_int_equal(xh_sent(0), LISP_MAP_REGISTER);
    assert_int_equal(g_m.u.mreg.flags, 0);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(60));
    lisp_xtr_handle_expiry(g_x, T0 + SEC(60));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(lisp_xtr_next_expiry(g_x), T0 + SEC(120));
    assert_string_equal(lisp_xtr_registration_state(g_x, 0), "registering");
    assert_int_equal(lisp_xtr_get_stats(g_x)->registrations_failed, 0);
}

static void test_unsolicited_notify_acked(void **state)
{
    lisp_xtr_config c;
    const lisp_trace *t;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    fake_io_clear(&g_io);
    /* The Map-Server reports a change with a fresh nonce and our prefix. */
    xh_notify(T0 + SEC(5), 0x5555, XH_KEY, "203.0.113.10", true);
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "203.0.113.10", LISP_CONTROL_PORT);
    lt_assert_endpoint(&g_io.sent[0].src, "192.0.2.1", LISP_CONTROL_PORT);
    lt_assert_ok(lisp_auth_verify(g_io.sent[0].data, g_io.sent[0].len, (const uint8_t *)XH_KEY,
                                  strlen(XH_KEY), false));
    assert_int_equal(xh_sent(0), LISP_MAP_NOTIFY_ACK);
    assert_int_equal(g_m.u.mreg.nonce, 0x5555);
    assert_int_equal(g_m.u.mreg.key_id, LISP_KEY_ID_HMAC_SHA1_96);
    assert_int_equal(g_m.u.mreg.record_count, 1);
    lt_assert_addr_equal(&(lisp_addr){.a = lt_ip("10.1.0.0")}, &g_m.u.mreg.records[0].eid.addr);
    t = fake_io_find_trace(&g_io, LISP_TRACE_MAP_NOTIFY_ACK_SENT, 0);
    assert_non_null(t);
    assert_int_equal(t->nonce, 0x5555);
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_notify_acks_sent, 1);
    /* It did not acknowledge our registration. */
    assert_false(lisp_xtr_registered(g_x));

    /* Wrong key, a stranger, or records not ours: no Ack. */
    xh_notify(T0 + SEC(6), 0x6666, "wrong", "203.0.113.10", true);
    xh_notify(T0 + SEC(6), 0x6666, XH_KEY, "203.0.113.77", true);
    xh_notify(T0 + SEC(6), 0x6666, XH_KEY, "203.0.113.10", false);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_AUTH_FAILED], 1);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_UNSOLICITED], 2);
}

/* A Map-Notify with flags (and, with R, an MS-RTR block) and n of the sample records. */
static void notify_with(lisp_time_t now, uint64_t nonce, uint32_t flags, uint8_t n)
{
    static lisp_msg m;
    static uint8_t wire[2048];
    lisp_endpoint src = lt_endpoint("203.0.113.10", LISP_CONTROL_PORT);
    lisp_endpoint dst = lt_endpoint("192.0.2.1", LISP_CONTROL_PORT);
    size_t len;

    lt_sample_map_register(&m, LISP_MAP_NOTIFY, flags, LISP_KEY_ID_HMAC_SHA1_96, 20);
    m.u.mreg.nonce = nonce;
    m.u.mreg.record_count = n;
    if (flags & LISP_MNOT_F_R) {
        m.u.mreg.msrtr_key_id = LISP_KEY_ID_HMAC_SHA1_96;
        m.u.mreg.msrtr_auth_len = 20;
    }
    len = lt_encode_signed(&m, (const uint8_t *)XH_KEY, strlen(XH_KEY), wire, sizeof wire);
    lt_assert_ok(xh_udp(now, &src, &dst, 0, 0, wire, len));
}

static void test_unsolicited_notify_edge_cases(void **state)
{
    lisp_xtr_config c;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    /* Before start (no round, nonce 0): a nonce-0 Map-Notify is not an acknowledgement. */
    notify_with(T0, 0, 0, 1);
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(xh_sent(0), LISP_MAP_NOTIFY_ACK);
    /* The Ack keeps xTR-ID and site-ID (I) but drops the MS-RTR block (R). */
    notify_with(T0, 0x77, LISP_MNOT_F_I | LISP_MNOT_F_R, 1);
    assert_int_equal(xh_sent(1), LISP_MAP_NOTIFY_ACK);
    assert_int_equal(g_m.u.mreg.flags, LISP_MNOT_F_I);
    assert_int_equal(g_m.u.mreg.msrtr_auth_len, 0);
    /* No records at all: nothing of ours to acknowledge. */
    notify_with(T0, 0x78, 0, 0);
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_UNSOLICITED], 1);
}

static void test_sha256_key(void **state)
{
    lisp_xtr_config c;
    (void)state;

    xh_base_config(&c);
    c.map_servers[0].key_id = LISP_KEY_ID_HMAC_SHA256_128;
    c.map_servers[0].key_len = LISP_AUTH_KEY_MAX; /* the longest key there is */
    memset(c.map_servers[0].key, 'k', LISP_AUTH_KEY_MAX);
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    assert_int_equal(xh_sent(0), LISP_MAP_REGISTER);
    assert_int_equal(g_m.u.mreg.key_id, LISP_KEY_ID_HMAC_SHA256_128);
    assert_int_equal(g_m.u.mreg.auth_len, 32);
    lt_assert_ok(lisp_auth_verify(g_io.sent[0].data, g_io.sent[0].len, c.map_servers[0].key,
                                  LISP_AUTH_KEY_MAX, false));
    /* A Map-Notify signed with key-id 1 does not verify against a key-id 2 key. */
    xh_notify(T0 + MS(5), g_m.u.mreg.nonce, "kkk", "203.0.113.10", true);
    assert_int_equal(lisp_xtr_get_stats(g_x)->common.drops[LISP_DROP_AUTH_FAILED], 1);
}

static void test_id_parsing(void **state)
{
    uint8_t id[16], site[8];
    (void)state;

    lt_assert_ok(lisp_xtr_id_parse("00112233445566778899aabbccddEEFF", id));
    assert_int_equal(id[0], 0x00);
    assert_int_equal(id[9], 0x99);
    assert_int_equal(id[15], 0xFF);
    memset(id, 0x77, sizeof id);
    assert_int_equal(lisp_xtr_id_parse("00112233445566778899aabbccddeef", id),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(lisp_xtr_id_parse("00112233445566778899aabbccddeeff0", id),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(lisp_xtr_id_parse("0x112233445566778899aabbccddeeff", id),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(lisp_xtr_id_parse("00112233445566778899aabbccddeefg", id),
                     LISP_ERR_INVALID_ARG);
    assert_int_equal(lisp_xtr_id_parse(NULL, id), LISP_ERR_INVALID_ARG);
    assert_int_equal(id[0], 0x77); /* untouched on error */
    lt_assert_ok(lisp_xtr_site_id_parse("0123456789abcdef", site));
    assert_int_equal(site[0], 0x01);
    assert_int_equal(site[7], 0xEF);
    assert_int_equal(lisp_xtr_site_id_parse("0123456789abcde", site), LISP_ERR_INVALID_ARG);
}

/* The operators' view of each Map-Server's registration (lisp_xtr_map_server_at). */
static void test_registration_view(void **state)
{
    lisp_xtr_config c;
    lisp_xtr_registration r;
    lisp_endpoint ms = lt_endpoint("203.0.113.10", LISP_CONTROL_PORT);
    uint64_t nonce;
    (void)state;

    xh_base_config(&c);
    xh_start(&c);
    assert_int_equal(lisp_xtr_map_server_count(g_x), 1);
    assert_true(lisp_xtr_map_server_at(g_x, 0, &r)); /* not started */
    assert_true(lisp_endpoint_equal(&r.map_server, &ms));
    assert_int_equal(r.key_id, LISP_KEY_ID_HMAC_SHA1_96);
    assert_string_equal(r.state, "idle");
    assert_int_equal(r.round_at, LISP_TIME_NEVER);
    assert_int_equal(r.notified_at, LISP_TIME_NEVER);
    assert_int_equal(r.next_at, LISP_TIME_NEVER);
    assert_false(lisp_xtr_map_server_at(g_x, 1, &r));

    lisp_xtr_start(g_x, T0);
    nonce = register_nonce(0);
    lisp_xtr_handle_expiry(g_x, T0 + SEC(1));
    assert_true(lisp_xtr_map_server_at(g_x, 0, &r));
    assert_string_equal(r.state, "registering");
    assert_int_equal(r.tries, 2);
    assert_int_equal(r.round_at, T0);
    assert_int_equal(r.notified_at, LISP_TIME_NEVER);
    assert_int_equal(r.next_at, T0 + SEC(3));

    xh_notify(T0 + SEC(2), nonce, XH_KEY, "203.0.113.10", false);
    assert_true(lisp_xtr_map_server_at(g_x, 0, &r));
    assert_string_equal(r.state, "registered");
    assert_int_equal(r.notified_at, T0 + SEC(2));
    assert_int_equal(r.next_at, T0 + SEC(60));
    /* The refresh round keeps the last Map-Notify's time until the next one. */
    lisp_xtr_handle_expiry(g_x, T0 + SEC(60));
    assert_true(lisp_xtr_map_server_at(g_x, 0, &r));
    assert_string_equal(r.state, "registering");
    assert_int_equal(r.round_at, T0 + SEC(60));
    assert_int_equal(r.notified_at, T0 + SEC(2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_registration_view, xh_teardown),
        cmocka_unit_test_teardown(test_retry_until_notify, xh_teardown),
        cmocka_unit_test_teardown(test_give_up_and_recover, xh_teardown),
        cmocka_unit_test_teardown(test_backoff_capped_by_interval, xh_teardown),
        cmocka_unit_test_teardown(test_without_map_notify, xh_teardown),
        cmocka_unit_test_teardown(test_unsolicited_notify_acked, xh_teardown),
        cmocka_unit_test_teardown(test_unsolicited_notify_edge_cases, xh_teardown),
        cmocka_unit_test_teardown(test_sha256_key, xh_teardown),
        cmocka_unit_test_teardown(test_id_parsing, xh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
