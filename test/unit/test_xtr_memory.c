/*
 * test_xtr_memory.c - what an idle xTR costs (goal: engine + ns-3 application <= 16 KB,
 * 100,000 xTRs in one process). The engine's own memory is counted through a counting
 * allocator (lisp_counting_alloc.h); OpenSSL's (the prepared HMAC contexts) through
 * CRYPTO_set_mem_functions, installed before anything touches OpenSSL. The numbers are
 * printed, and bounds keep them from growing unnoticed.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "lisp_auth.h"
#include "lisp_counting_alloc.h"
#include "lisp_workspace.h"
#include "lisp_xtr_harness.h"

/* OpenSSL's heap bytes, with the same 16-byte size header as the counting allocator. */
static size_t g_ossl_bytes;

static void *ossl_malloc(size_t n, const char *file, int line)
{
    size_t *p = malloc(n + 16);
    (void)file;
    (void)line;
    if (!p)
        return NULL;
    p[0] = n;
    g_ossl_bytes += n;
    return (uint8_t *)p + 16;
}

static void ossl_free(void *ptr, const char *file, int line)
{
    size_t *p;
    (void)file;
    (void)line;
    if (!ptr)
        return;
    p = (size_t *)((uint8_t *)ptr - 16);
    g_ossl_bytes -= p[0];
    free(p);
}

static void *ossl_realloc(void *ptr, size_t n, const char *file, int line)
{
    size_t *p, old;
    if (!ptr)
        return ossl_malloc(n, file, line);
    p = (size_t *)((uint8_t *)ptr - 16);
    old = p[0];
    p = realloc(p, n + 16);
    if (!p)
        return NULL;
    p[0] = n;
    g_ossl_bytes = g_ossl_bytes - old + n;
    return (uint8_t *)p + 16;
}

static void test_hmac_context_cost(void **state)
{
    static const uint8_t key[] = "k";
    lisp_auth_key *warm, *one, *both;
    size_t base, one_bytes, both_bytes;
    (void)state;

    warm = lisp_auth_key_new(key, 1); /* OpenSSL's one-time provider set-up */
    base = g_ossl_bytes;
    one = lisp_auth_key_new_id(LISP_KEY_ID_HMAC_SHA1_96, key, 1);
    one_bytes = g_ossl_bytes - base;
    both = lisp_auth_key_new(key, 1);
    both_bytes = g_ossl_bytes - base - one_bytes;
    printf("# HMAC key for one key-id: %zu bytes (OpenSSL heap); for both: %zu\n", one_bytes,
           both_bytes);
    assert_true(one_bytes < both_bytes);
    assert_null(lisp_auth_key_new_id(7, key, 1));
    lisp_auth_key_free(one);
    lisp_auth_key_free(both);
    lisp_auth_key_free(warm);
}

static void test_idle_xtr_bytes(void **state)
{
    static fake_io io;
    lisp_counting_alloc ca;
    lisp_allocator a = lisp_counting_alloc_init(&ca);
    lisp_workspace *ws = lisp_workspace_new(NULL); /* the host's, shared by all its engines */
    lisp_xtr_config c;
    lisp_xtr *x, *warm;
    size_t ossl_before, idle, ossl_idle;
    uint8_t pkt[64];
    size_t len;
    (void)state;

    xh_base_config(&c);
    fake_io_init(&io, 7);
    io.host.env.workspace = ws;
    warm = lisp_xtr_new(&c, &io.host, T0); /* OpenSSL's one-time set-up is not the xTR's */
    ossl_before = g_ossl_bytes;
    io.host.env.alloc = &a;
    x = lisp_xtr_new(&c, &io.host, T0);
    assert_non_null(x);
    lisp_xtr_start(x, T0);
    idle = ca.bytes;
    ossl_idle = g_ossl_bytes - ossl_before;
    printf("# idle xTR: %zu bytes in %zu blocks through the host allocator "
           "(lisp_xtr_memory_bytes %zu), %zu bytes of OpenSSL heap; config struct %zu\n",
           idle, ca.blocks, lisp_xtr_memory_bytes(x), ossl_idle, sizeof(lisp_xtr_config));
    assert_int_equal(lisp_xtr_memory_bytes(x), idle);
    assert_true(idle <= 4096);
    assert_true(idle + ossl_idle <= 8192);

    /* The first miss allocates the resolution table; with miss_policy "drop" no queue. */
    len = 0;
    {
        lisp_ipudp h;
        memset(&h, 0, sizeof h);
        h.afi = LISP_AFI_IPV4;
        memcpy(h.src, lt_endpoint("10.1.0.5", 0).addr, 4);
        memcpy(h.dst, lt_endpoint("10.2.0.7", 0).addr, 4);
        h.ttl = 64;
        lt_assert_ok(lisp_ipudp_encode(&h, pkt, sizeof pkt, 0, &len));
    }
    lt_assert_ok(lisp_xtr_eid_packet(x, T0, pkt, len));
    printf("# after the first miss: %zu bytes\n", ca.bytes);
    assert_true(ca.bytes > idle && ca.bytes < idle + 8192);
    lisp_xtr_free(x);
    assert_int_equal(ca.bytes, 0);
    assert_int_equal(g_ossl_bytes, ossl_before);
    lisp_xtr_free(warm);
    lisp_workspace_free(ws);
}

static void test_queue_allocated_on_first_hold(void **state)
{
    static fake_io io;
    lisp_counting_alloc ca;
    lisp_allocator a = lisp_counting_alloc_init(&ca);
    lisp_xtr_config c;
    lisp_xtr *x;
    uint8_t pkt[64];
    size_t len, idle;
    lisp_ipudp h;
    (void)state;

    xh_base_config(&c);
    c.miss_policy = LISP_MISS_QUEUE;
    fake_io_init(&io, 7);
    io.host.env.workspace = lisp_workspace_new(NULL);
    io.host.env.alloc = &a;
    x = lisp_xtr_new(&c, &io.host, T0);
    idle = ca.bytes;
    memset(&h, 0, sizeof h);
    h.afi = LISP_AFI_IPV4;
    memcpy(h.src, lt_endpoint("10.1.0.5", 0).addr, 4);
    memcpy(h.dst, lt_endpoint("10.2.0.7", 0).addr, 4);
    h.ttl = 64;
    lt_assert_ok(lisp_ipudp_encode(&h, pkt, sizeof pkt, 0, &len));
    lt_assert_ok(lisp_xtr_eid_packet(x, T0, pkt, len));
    /* 64 slots of 2048 bytes, their links, the resolution table. */
    assert_true(ca.bytes >= idle + 64 * 2048);
    /* Allocation failure on the first miss: counted as an internal error, not a crash. */
    lisp_xtr_free(x);
    ca.fail_all = false;
    x = lisp_xtr_new(&c, &io.host, T0);
    ca.fail_all = true;
    lt_assert_ok(lisp_xtr_eid_packet(x, T0, pkt, len));
    assert_int_equal(lisp_xtr_get_stats(x)->common.internal_errors, 1);
    ca.fail_all = false;
    lisp_xtr_free(x);
    assert_int_equal(ca.bytes, 0);
    lisp_workspace_free(io.host.env.workspace);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_context_cost),
        cmocka_unit_test(test_idle_xtr_bytes),
        cmocka_unit_test(test_queue_allocated_on_first_hold),
    };
    /* Before OpenSSL allocates anything. */
    if (!CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free))
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
