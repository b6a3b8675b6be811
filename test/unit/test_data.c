/* test_data.c - unit tests for lisp_data.c: the 8-byte LISP data-plane header
 * (RFC 9300 section 5.3). */
#include <stdlib.h>
#include <string.h>

#include "lisp_test_util.h"

static int decode_data(const uint8_t *buf, size_t len)
{
    lisp_data_hdr h;
    return lisp_data_decode(&h, buf, len);
}

static lisp_data_hdr hdr(uint8_t flags, uint32_t nonce, uint16_t src_v, uint16_t dst_v,
                         uint32_t iid, uint32_t lsb)
{
    lisp_data_hdr h;
    memset(&h, 0, sizeof h);
    h.flags = flags;
    h.nonce = nonce;
    h.src_map_version = src_v;
    h.dst_map_version = dst_v;
    h.iid = iid;
    h.lsb = lsb;
    return h;
}

static void assert_hdr_equal(const lisp_data_hdr *x, const lisp_data_hdr *y)
{
    assert_int_equal(x->flags, y->flags);
    assert_int_equal(x->nonce, y->nonce);
    assert_int_equal(x->src_map_version, y->src_map_version);
    assert_int_equal(x->dst_map_version, y->dst_map_version);
    assert_int_equal(x->iid, y->iid);
    assert_int_equal(x->lsb, y->lsb);
}

/* Encode h and require want; decode want (exactly 8 bytes on the heap) and require h. */
static void check_known_answer(const lisp_data_hdr *h, const uint8_t want[LISP_DATA_HDR_LEN])
{
    uint8_t out[LISP_DATA_HDR_LEN];
    uint8_t *exact = malloc(LISP_DATA_HDR_LEN);
    lisp_data_hdr got;

    lt_assert_ok(lisp_data_encode(h, out));
    if (memcmp(out, want, LISP_DATA_HDR_LEN) != 0) {
        lt_hexdump("encoded", out, LISP_DATA_HDR_LEN);
        lt_hexdump("expected", want, LISP_DATA_HDR_LEN);
        fail_msg("encoding differs from the known answer");
    }
    assert_non_null(exact);
    memcpy(exact, want, LISP_DATA_HDR_LEN);
    lt_assert_ok(lisp_data_decode(&got, exact, LISP_DATA_HDR_LEN));
    assert_hdr_equal(h, &got);
    free(exact);
    lt_assert_prefixes_truncated(decode_data, want, LISP_DATA_HDR_LEN);
}

static void test_known_answers(void **state)
{
    static const uint8_t none[] = {0x00, 0, 0, 0, 0, 0, 0, 0};
    /* N, E, L: nonce 0xabcdef, 32 locator-status-bits. */
    static const uint8_t nel[] = {0xe0, 0xab, 0xcd, 0xef, 0x00, 0x00, 0x00, 0x03};
    /* N, L, I: nonce, then IID 0xabcdef in the top 24 bits and 8 LSBs below it. */
    static const uint8_t nli[] = {0xc8, 0x12, 0x34, 0x56, 0xab, 0xcd, 0xef, 0x07};
    /* L alone: all 32 bits are locator-status-bits. */
    static const uint8_t l32[] = {0x40, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x01};
    /* I alone: IID, low byte zero. */
    static const uint8_t i24[] = {0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00};
    /* V, I: source map-version 0xabc, destination 0x123 in 12 bits each. */
    static const uint8_t vi[] = {0x18, 0xab, 0xc1, 0x23, 0x00, 0x00, 0x01, 0x00};
    /* N alone, the largest nonce. */
    static const uint8_t n[] = {0x80, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
    /* V alone, the largest versions. */
    static const uint8_t v[] = {0x10, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
    lisp_data_hdr h;

    (void)state;
    h = hdr(0, 0, 0, 0, 0, 0);
    check_known_answer(&h, none);
    h = hdr(LISP_DATA_F_N | LISP_DATA_F_E | LISP_DATA_F_L, 0xabcdef, 0, 0, 0, 3);
    check_known_answer(&h, nel);
    h = hdr(LISP_DATA_F_N | LISP_DATA_F_L | LISP_DATA_F_I, 0x123456, 0, 0, 0xabcdef, 0x07);
    check_known_answer(&h, nli);
    h = hdr(LISP_DATA_F_L, 0, 0, 0, 0, 0x80000001u);
    check_known_answer(&h, l32);
    h = hdr(LISP_DATA_F_I, 0, 0, 0, 0xffffff, 0);
    check_known_answer(&h, i24);
    h = hdr(LISP_DATA_F_V | LISP_DATA_F_I, 0, 0xabc, 0x123, 1, 0);
    check_known_answer(&h, vi);
    h = hdr(LISP_DATA_F_N, 0xffffff, 0, 0, 0, 0);
    check_known_answer(&h, n);
    h = hdr(LISP_DATA_F_V, 0, 0xfff, 0xfff, 0, 0);
    check_known_answer(&h, v);
}

static bool legal(uint8_t f)
{
    if ((f & LISP_DATA_F_N) && (f & LISP_DATA_F_V))
        return false;
    if ((f & LISP_DATA_F_E) && !(f & LISP_DATA_F_N))
        return false;
    return true;
}

/* The fields each flag carries, at their largest and at a mixed value. */
static lisp_data_hdr fill(uint8_t f, bool max)
{
    return hdr(f, f & LISP_DATA_F_N ? (max ? 0xFFFFFFu : 0x5A0F3Cu) : 0,
               f & LISP_DATA_F_V ? (max ? 0xFFF : 0x9A5) : 0,
               f & LISP_DATA_F_V ? (max ? 0xFFF : 0x03C) : 0,
               f & LISP_DATA_F_I ? (max ? 0xFFFFFFu : 0x00C35Au) : 0,
               f & LISP_DATA_F_L
                   ? (f & LISP_DATA_F_I ? (max ? 0xFFu : 0x81u) : (max ? 0xFFFFFFFFu : 0x80000101u))
                   : 0);
}

static void test_every_legal_flag_combination(void **state)
{
    static const uint8_t bits[] = {LISP_DATA_F_N, LISP_DATA_F_L, LISP_DATA_F_E, LISP_DATA_F_V,
                                   LISP_DATA_F_I};
    uint8_t out[LISP_DATA_HDR_LEN], again[LISP_DATA_HDR_LEN];
    lisp_data_hdr h, got;
    unsigned combo, i, max, n_legal = 0;

    (void)state;
    for (combo = 0; combo < 32; combo++) {
        uint8_t f = 0;
        for (i = 0; i < 5; i++)
            if (combo & (1u << i))
                f |= bits[i];
        for (max = 0; max < 2; max++) {
            h = fill(f, max);
            if (!legal(f)) {
                lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
                continue;
            }
            lt_assert_ok(lisp_data_encode(&h, out));
            assert_int_equal(out[0], f); /* flags sit in the first byte, R and K zero */
            lt_assert_ok(lisp_data_decode(&got, out, sizeof out));
            assert_hdr_equal(&h, &got);
            lt_assert_ok(lisp_data_encode(&got, again));
            assert_memory_equal(out, again, sizeof out);
        }
        n_legal += legal(f);
    }
    assert_int_equal(n_legal, 16); /* 32 - 8 (N+V) - 8 (E without N) */
}

static void test_n_with_v_rejected(void **state)
{
    static const uint8_t nv[] = {0x90, 0x12, 0x34, 0x56, 0, 0, 0, 0};
    static const uint8_t nve[] = {0xb8, 0x12, 0x34, 0x56, 0, 0, 0, 0};
    lisp_data_hdr h;
    uint8_t out[LISP_DATA_HDR_LEN];

    (void)state;
    lt_assert_rc(decode_data(nv, sizeof nv), LISP_ERR_BAD_VALUE);
    lt_assert_rc(decode_data(nve, sizeof nve), LISP_ERR_BAD_VALUE);
    h = hdr(LISP_DATA_F_N | LISP_DATA_F_V, 1, 0, 0, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
}

static void test_e_without_n(void **state)
{
    /* E alone: cleared, and the nonce field is not read. */
    static const uint8_t e[] = {0x20, 0xab, 0xcd, 0xef, 0, 0, 0, 0};
    /* E with V: E cleared, the versions read. */
    static const uint8_t ev[] = {0x30, 0xab, 0xc1, 0x23, 0, 0, 0, 0};
    lisp_data_hdr h;
    uint8_t out[LISP_DATA_HDR_LEN];

    (void)state;
    lt_assert_ok(lisp_data_decode(&h, e, sizeof e));
    assert_int_equal(h.flags, 0);
    assert_int_equal(h.nonce, 0);
    lt_assert_ok(lisp_data_decode(&h, ev, sizeof ev));
    assert_int_equal(h.flags, LISP_DATA_F_V);
    assert_int_equal(h.src_map_version, 0xabc);
    assert_int_equal(h.dst_map_version, 0x123);
    /* The encoder refuses what the decoder would have to clear. */
    h = hdr(LISP_DATA_F_E, 0, 0, 0, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
    h = hdr(LISP_DATA_F_E | LISP_DATA_F_V, 0, 1, 1, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
}

static void test_ignored_bits_and_fields(void **state)
{
    /* R and K K set: ignored. */
    static const uint8_t rk[] = {0x87, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff};
    /* Neither N nor V: bytes 1..3 mean nothing. I without L: the low byte means nothing. */
    static const uint8_t i_only[] = {0x08, 0x11, 0x22, 0x33, 0x00, 0x00, 0x07, 0x99};
    /* Neither I nor L: bytes 4..7 mean nothing. */
    static const uint8_t bare[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    lisp_data_hdr h;
    uint8_t out[LISP_DATA_HDR_LEN];

    (void)state;
    lt_assert_ok(lisp_data_decode(&h, rk, sizeof rk));
    assert_int_equal(h.flags, LISP_DATA_F_N);
    assert_int_equal(h.nonce, 1);
    assert_int_equal(h.iid, 0);
    assert_int_equal(h.lsb, 0);
    lt_assert_ok(lisp_data_decode(&h, i_only, sizeof i_only));
    assert_int_equal(h.flags, LISP_DATA_F_I);
    assert_int_equal(h.iid, 7);
    assert_int_equal(h.lsb, 0);
    assert_int_equal(h.nonce, 0);
    lt_assert_ok(lisp_data_decode(&h, bare, sizeof bare));
    assert_hdr_equal(&h, &(lisp_data_hdr){0});
    /* Unknown flag bits are refused on encode. */
    h = hdr(0x04, 0, 0, 0, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
    h = hdr(LISP_DATA_F_N | 0x01, 0, 0, 0, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
}

static void test_values_wider_than_fields(void **state)
{
    uint8_t out[LISP_DATA_HDR_LEN];
    lisp_data_hdr h;

    (void)state;
    h = hdr(LISP_DATA_F_N, 0x1000000u, 0, 0, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
    h = hdr(LISP_DATA_F_V, 0, 0x1000, 0, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
    h = hdr(LISP_DATA_F_V, 0, 0, 0x1000, 0, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
    h = hdr(LISP_DATA_F_I, 0, 0, 0, 0x1000000u, 0);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
    h = hdr(LISP_DATA_F_I | LISP_DATA_F_L, 0, 0, 0, 1, 0x100);
    lt_assert_rc(lisp_data_encode(&h, out), LISP_ERR_INVALID_ARG);
    /* Without I, L carries all 32 bits. */
    h = hdr(LISP_DATA_F_L, 0, 0, 0, 0, 0xFFFFFFFFu);
    lt_assert_ok(lisp_data_encode(&h, out));
}

static void test_lengths(void **state)
{
    uint8_t buf[64];
    lisp_data_hdr h;

    (void)state;
    memset(buf, 0, sizeof buf);
    buf[0] = LISP_DATA_F_N;
    buf[3] = 9;
    /* The header precedes the inner packet: longer input is normal. */
    lt_assert_ok(lisp_data_decode(&h, buf, sizeof buf));
    assert_int_equal(h.nonce, 9);
    lt_assert_prefixes_truncated(decode_data, buf, LISP_DATA_HDR_LEN);
}

/* (NULL, 0) input is a truncated header, not a crash. */
static void test_null_empty_buffer(void **state)
{
    (void)state;
    lt_assert_rc(decode_data(NULL, 0), LISP_ERR_TRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_every_legal_flag_combination),
        cmocka_unit_test(test_n_with_v_rejected),
        cmocka_unit_test(test_e_without_n),
        cmocka_unit_test(test_ignored_bits_and_fields),
        cmocka_unit_test(test_values_wider_than_fields),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_null_empty_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
