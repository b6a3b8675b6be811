/* test_addr.c - unit tests for lisp_addr.c: AFI addresses and the AFI-List / Instance-ID
 * LCAFs (RFC 9301, RFC 8060), constructors, text forms, equality and lengths. */
#include <stdlib.h>
#include <string.h>

#include "lisp_test_util.h"

static int decode_addr(const uint8_t *buf, size_t len)
{
    lisp_addr a;
    size_t used = 0;
    return lisp_addr_decode(&a, buf, len, &used);
}

/* Encode a and require exactly want (and lisp_addr_wire_len to agree); decode want back
 * from an exactly-sized copy and require a; check prefixes and every short buffer. */
static void check_known_answer(const lisp_addr *a, const uint8_t *want, size_t want_len)
{
    uint8_t buf[512], again[512];
    uint8_t *exact;
    lisp_addr got;
    size_t used = 0, cap;

    lt_assert_ok(lisp_addr_encode(a, buf, sizeof buf, &used));
    if (used != want_len || memcmp(buf, want, want_len) != 0) {
        lt_hexdump("encoded", buf, used);
        lt_hexdump("expected", want, want_len);
        fail_msg("encoding differs from the known answer");
    }
    assert_int_equal(lisp_addr_wire_len(a), want_len);
    for (cap = 0; cap < want_len; cap++) {
        uint8_t *small = malloc(cap ? cap : 1);
        assert_non_null(small);
        lt_assert_rc(lisp_addr_encode(a, small, cap, &used), LISP_ERR_NOBUF);
        free(small);
    }

    exact = malloc(want_len);
    assert_non_null(exact);
    memcpy(exact, want, want_len);
    used = 0;
    lt_assert_ok(lisp_addr_decode(&got, exact, want_len, &used));
    assert_int_equal(used, want_len);
    lt_assert_addr_equal(a, &got);
    lt_assert_ok(lisp_addr_encode(&got, again, sizeof again, &used));
    assert_int_equal(used, want_len);
    assert_memory_equal(again, want, want_len);
    free(exact);

    lt_assert_prefixes_truncated(decode_addr, want, want_len);
}

/* Round trip without a literal; trailing bytes are left for the caller. */
static void check_roundtrip(const lisp_addr *a)
{
    uint8_t buf[600];
    lisp_addr got;
    size_t len = 0, used = 0;

    lt_assert_ok(lisp_addr_encode(a, buf, sizeof buf, &len));
    assert_int_equal(lisp_addr_wire_len(a), len);
    memset(buf + len, 0xEE, 8);
    lt_assert_ok(lisp_addr_decode(&got, buf, len + 8, &used));
    assert_int_equal(used, len);
    lt_assert_addr_equal(a, &got);
    lt_assert_prefixes_truncated(decode_addr, buf, len);
}

static void expect_decode(const uint8_t *buf, size_t len, int want)
{
    uint8_t *exact = malloc(len ? len : 1);
    assert_non_null(exact);
    memcpy(exact, buf, len);
    lt_assert_rc(decode_addr(exact, len), want);
    free(exact);
}

static void expect_encode(const lisp_addr *a, int want)
{
    uint8_t buf[600];
    size_t used;
    lt_assert_rc(lisp_addr_encode(a, buf, sizeof buf, &used), want);
}

/* ---------------------------------------------------------------------------------------- */

static void test_constructors(void **state)
{
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    static const uint8_t zeros[16];
    lisp_afi_addr a;
    lisp_addr x;

    (void)state;
    a = lisp_afi_ipv4(0xC0000201u);
    assert_int_equal(a.afi, LISP_AFI_IPV4);
    assert_int_equal(a.ip[0], 0xc0);
    assert_int_equal(a.ip[1], 0x00);
    assert_int_equal(a.ip[2], 0x02);
    assert_int_equal(a.ip[3], 0x01);
    assert_memory_equal(a.ip + 4, zeros, 12);
    assert_null(a.name.ptr);

    a = lisp_afi_ipv6(v6);
    assert_int_equal(a.afi, LISP_AFI_IPV6);
    assert_memory_equal(a.ip, v6, 16);

    a = lisp_afi_name("RTR");
    assert_int_equal(a.afi, LISP_AFI_NAME);
    assert_int_equal(a.name.len, 3);
    assert_memory_equal(a.name.ptr, "RTR", 3);
    assert_memory_equal(a.ip, zeros, 16);

    x = lisp_addr_plain(lisp_afi_ipv4(0x0a000001));
    assert_int_equal(x.lcaf, LISP_LCAF_NONE);
    assert_int_equal(x.iid, 0);
    assert_int_equal(x.n_more, 0);
    assert_int_equal(x.a.ip[3], 1);

    x = lisp_addr_iid(0xABCDEF01u, lisp_afi_ipv6(v6));
    assert_int_equal(x.lcaf, LISP_LCAF_IID);
    assert_int_equal(x.iid, 0xABCDEF01u);
    assert_int_equal(x.iid_mask_len, 0);
    assert_memory_equal(x.a.ip, v6, 16);

    assert_int_equal(lisp_afi_bits(LISP_AFI_IPV4), 32);
    assert_int_equal(lisp_afi_bits(LISP_AFI_IPV6), 128);
    assert_int_equal(lisp_afi_bits(LISP_AFI_NONE), 0);
    assert_int_equal(lisp_afi_bits(LISP_AFI_NAME), 0);
    assert_int_equal(lisp_afi_bits(LISP_AFI_LCAF), 0);
}

static void test_from_str(void **state)
{
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4};
    static const char *const bad[] = {"",          "10.0.0.256", "1.2.3", "foo", "2001:db8::1::2",
                                      "10.0.0.1 ", "[::1]"};
    lisp_afi_addr a;
    size_t i;

    (void)state;
    lt_assert_ok(lisp_afi_from_str(&a, "10.0.0.1"));
    assert_int_equal(a.afi, LISP_AFI_IPV4);
    assert_memory_equal(a.ip, "\x0a\x00\x00\x01", 4);
    lt_assert_ok(lisp_afi_from_str(&a, "2001:db8::1"));
    assert_int_equal(a.afi, LISP_AFI_IPV6);
    assert_memory_equal(a.ip, v6, 16);
    lt_assert_ok(lisp_afi_from_str(&a, "::ffff:1.2.3.4"));
    assert_int_equal(a.afi, LISP_AFI_IPV6);
    assert_memory_equal(a.ip, mapped, 16);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lt_assert_rc(lisp_afi_from_str(&a, bad[i]), LISP_ERR_INVALID_ARG);
        assert_int_equal(a.afi, LISP_AFI_NONE);
    }
}

static void test_to_str(void **state)
{
    static const uint8_t odd_name[] = {'a', 0x01, 'b', 0x7f, 0xff};
    char buf[LISP_ADDR_STR_MAX];
    lisp_addr x;
    lisp_afi_addr n;

    (void)state;
    x = lt_addr("10.0.0.1");
    assert_string_equal(lisp_addr_to_str(&x, buf, sizeof buf), "10.0.0.1");
    x = lt_addr("2001:db8::1");
    assert_string_equal(lisp_addr_to_str(&x, buf, sizeof buf), "2001:db8::1");
    x = lisp_addr_iid(7, lt_ip("10.0.0.1"));
    assert_string_equal(lisp_addr_to_str(&x, buf, sizeof buf), "[7]10.0.0.1");
    x = lt_addr("10.0.0.1");
    x.lcaf = LISP_LCAF_AFI_LIST;
    x.n_more = 1;
    x.more[0] = lisp_afi_name("RTR");
    assert_string_equal(lisp_addr_to_str(&x, buf, sizeof buf), "(10.0.0.1,'RTR')");
    memset(&x, 0, sizeof x);
    assert_string_equal(lisp_addr_to_str(&x, buf, sizeof buf), "none");
    x.a.afi = 99;
    assert_string_equal(lisp_addr_to_str(&x, buf, sizeof buf), "afi-99");

    memset(&n, 0, sizeof n);
    n.afi = LISP_AFI_NAME;
    n.name.ptr = odd_name;
    n.name.len = sizeof odd_name;
    assert_string_equal(lisp_afi_to_str(&n, buf, sizeof buf), "'a?b?\?'"); /* \?: no trigraph */
    n.name.len = 0;
    n.name.ptr = NULL;
    assert_string_equal(lisp_afi_to_str(&n, buf, sizeof buf), "''");
}

static void test_to_str_small_buffers(void **state)
{
    static const char *const texts[] = {"10.0.0.1", "2001:db8::1"};
    char buf[LISP_ADDR_STR_MAX];
    lisp_addr x;
    size_t cap, t;

    (void)state;
    /* cap 0 writes nothing. */
    buf[0] = 'X';
    x = lt_addr("10.0.0.1");
    lisp_addr_to_str(&x, buf, 0);
    assert_int_equal(buf[0], 'X');
    /* Any other capacity gives a NUL-terminated prefix of the full text. */
    for (t = 0; t < 2; t++) {
        for (cap = 1; cap < 24; cap++) {
            memset(buf, 'X', sizeof buf);
            x = lt_addr(texts[t]);
            lisp_addr_to_str(&x, buf, cap);
            assert_true(strlen(buf) < cap);
            assert_memory_equal(buf, texts[t], strlen(buf));
            memset(buf, 'X', sizeof buf);
            lisp_afi_to_str(&x.a, buf, cap);
            assert_true(strlen(buf) < cap);
            assert_memory_equal(buf, texts[t], strlen(buf));
        }
    }
    for (cap = 1; cap < 24; cap++) {
        memset(buf, 'X', sizeof buf);
        x = lt_addr("10.0.0.1");
        x.lcaf = LISP_LCAF_AFI_LIST;
        x.n_more = 2;
        x.more[0] = lisp_afi_name("RTR");
        x.more[1] = lt_ip("2001:db8::1");
        lisp_addr_to_str(&x, buf, cap);
        assert_true(strlen(buf) < cap);
        assert_memory_equal(buf, "(10.0.0.1,'RTR',2001:db8::1)", strlen(buf));
    }
}

static void test_equal(void **state)
{
    lisp_addr x, y;
    lisp_afi_addr a, b;
    char name1[] = "RTR", name2[] = "RTR";

    (void)state;
    x = lt_addr("10.0.0.1");
    y = x;
    assert_true(lisp_addr_equal(&x, &y));
    y.a.ip[3] = 2;
    assert_false(lisp_addr_equal(&x, &y));
    /* Bytes past an IPv4 address and the IID of a plain address are not encoded. */
    y = x;
    y.a.ip[10] = 1;
    y.iid = 5;
    y.iid_mask_len = 3;
    assert_true(lisp_addr_equal(&x, &y));
    y = x;
    y.a.afi = LISP_AFI_IPV6;
    assert_false(lisp_addr_equal(&x, &y));

    x = lisp_addr_iid(7, lt_ip("2001:db8::1"));
    y = x;
    assert_true(lisp_addr_equal(&x, &y));
    y.iid = 8;
    assert_false(lisp_addr_equal(&x, &y));
    y = x;
    y.iid_mask_len = 8;
    assert_false(lisp_addr_equal(&x, &y));
    y = x;
    y.a.ip[15] ^= 1;
    assert_false(lisp_addr_equal(&x, &y));
    y = x;
    y.lcaf = LISP_LCAF_NONE;
    assert_false(lisp_addr_equal(&x, &y));

    /* Names compare by content, not pointer. */
    a = lisp_afi_name(name1);
    b = lisp_afi_name(name2);
    assert_true(lisp_afi_equal(&a, &b));
    name2[2] = 'X';
    assert_false(lisp_afi_equal(&a, &b));
    b = lisp_afi_name("RT");
    assert_false(lisp_afi_equal(&a, &b));

    x = lt_addr("10.0.0.1");
    x.lcaf = LISP_LCAF_AFI_LIST;
    x.n_more = 1;
    x.more[0] = lisp_afi_name(name1);
    y = x;
    y.more[0] = lisp_afi_name("RTR");
    assert_true(lisp_addr_equal(&x, &y));
    y.more[0] = lisp_afi_name("MS");
    assert_false(lisp_addr_equal(&x, &y));
    y = x;
    y.n_more = 2;
    y.more[1] = lt_ip("10.0.0.2");
    assert_false(lisp_addr_equal(&x, &y));
    /* Out-of-range n_more is never equal (and never read past the array). */
    y = x;
    x.n_more = y.n_more = LISP_AFI_LIST_MAX;
    assert_false(lisp_addr_equal(&x, &y));

    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    assert_true(lisp_addr_equal(&x, &y));
}

/* ---------------------------------------------------------------------------------------- */

static void test_known_answers(void **state)
{
    static const uint8_t none[] = {0x00, 0x00};
    static const uint8_t v4[] = {0x00, 0x01, 0xc0, 0x00, 0x02, 0x01};
    static const uint8_t v6[] = {0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
    static const uint8_t name[] = {0x00, 0x11, 'R', 'T', 'R', 0x00};
    static const uint8_t empty_name[] = {0x00, 0x11, 0x00};
    /* RFC 8060 4.1: AFI 16387, Rsvd1, Flags, Type 2, IID mask-len 24, Length 10,
     * Instance ID 0x00abcdef, AFI 1, 10.0.0.1 */
    static const uint8_t iid[] = {0x40, 0x03, 0x00, 0x00, 0x02, 0x18, 0x00, 0x0a, 0x00,
                                  0xab, 0xcd, 0xef, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01};
    static const uint8_t iid_v6[] = {0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x16, 0xff, 0xff,
                                     0xff, 0xff, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
    /* RFC 8060 4.16.1: AFI-List of an IPv4 address and the distinguished name "RTR". */
    static const uint8_t list[] = {0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x0c, 0x00, 0x01,
                                   0xc0, 0x00, 0x02, 0x01, 0x00, 0x11, 'R',  'T',  'R',  0x00};
    static const uint8_t v6_1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    lisp_addr a;

    (void)state;
    memset(&a, 0, sizeof a);
    check_known_answer(&a, none, sizeof none);
    a = lisp_addr_plain(lisp_afi_ipv4(0xC0000201u));
    check_known_answer(&a, v4, sizeof v4);
    a = lisp_addr_plain(lisp_afi_ipv6(v6_1));
    check_known_answer(&a, v6, sizeof v6);
    a = lisp_addr_plain(lisp_afi_name("RTR"));
    check_known_answer(&a, name, sizeof name);
    a = lisp_addr_plain(lisp_afi_name(""));
    check_known_answer(&a, empty_name, sizeof empty_name);
    a = lisp_addr_iid(0x00abcdef, lisp_afi_ipv4(0x0a000001));
    a.iid_mask_len = 24;
    check_known_answer(&a, iid, sizeof iid);
    a = lisp_addr_iid(0xffffffffu, lisp_afi_ipv6(v6_1));
    check_known_answer(&a, iid_v6, sizeof iid_v6);
    a = lisp_addr_plain(lisp_afi_ipv4(0xC0000201u));
    a.lcaf = LISP_LCAF_AFI_LIST;
    a.n_more = 1;
    a.more[0] = lisp_afi_name("RTR");
    check_known_answer(&a, list, sizeof list);
}

static void test_roundtrip_kinds(void **state)
{
    static char long_name[LISP_NAME_MAX + 1];
    lisp_afi_addr elems[5];
    lisp_addr a;
    unsigned i, j, n;

    (void)state;
    memset(long_name, 'n', LISP_NAME_MAX);
    elems[0] = lt_ip("192.0.2.1");
    elems[1] = lt_ip("2001:db8::77");
    elems[2] = lisp_afi_name("RTR");
    memset(&elems[3], 0, sizeof elems[3]); /* AFI 0 */
    elems[4] = lisp_afi_name(long_name);

    /* Plain addresses and Instance-IDs of every element kind, every IID mask-len. */
    for (i = 0; i < 5; i++) {
        a = lisp_addr_plain(elems[i]);
        check_roundtrip(&a);
        for (n = 0; n <= 32; n += 8) {
            a = lisp_addr_iid(0x01000000u * n + i, elems[i]);
            a.iid_mask_len = (uint8_t)n;
            check_roundtrip(&a);
        }
    }
    /* AFI-Lists of 1..4 elements in every rotation. */
    for (n = 1; n <= LISP_AFI_LIST_MAX; n++)
        for (i = 0; i < 5; i++) {
            memset(&a, 0, sizeof a);
            a.lcaf = LISP_LCAF_AFI_LIST;
            a.a = elems[i];
            a.n_more = (uint8_t)(n - 1);
            for (j = 0; j + 1 < n; j++)
                a.more[j] = elems[(i + j + 1) % 5];
            check_roundtrip(&a);
        }
}

/* ---------------------------------------------------------------------------------------- */

static void test_decode_errors(void **state)
{
    static const uint8_t afi99[] = {0x00, 0x63, 0x0a, 0x00, 0x00, 0x01};
    static const uint8_t afi_ffff[] = {0xff, 0xff};
    static const uint8_t natt[] = {0x40, 0x03, 0x00, 0x00, 0x07, 0x00, 0x00, 0x0a, 0x10,
                                   0xf6, 0x10, 0xf6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const uint8_t lcaf3[] = {0x40, 0x03, 0x00, 0x00, 0x03, 0x00,
                                    0x00, 0x04, 0x00, 0x00, 0xfd, 0xe8};
    static const uint8_t iid_in_list[] = {0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x12,
                                          0x00, 0x01, 0x0a, 0x00, 0x00, 0x01, 0x40, 0x03,
                                          0x00, 0x00, 0x02, 0x00, 0x00, 0x0a, 0x00, 0x00,
                                          0x00, 0x01, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01};
    static const uint8_t list_in_iid[] = {0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x12, 0x00,
                                          0x00, 0x00, 0x01, 0x40, 0x03, 0x00, 0x00, 0x01, 0x00,
                                          0x00, 0x06, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01};
    static const uint8_t list5[] = {0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x00,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const uint8_t list_empty[] = {0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    uint8_t iid[] = {0x40, 0x03, 0x00, 0x00, 0x02, 0x18, 0x00, 0x0a, 0x00, 0xab, 0xcd,
                     0xef, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01, 0xee, 0xee, 0xee, 0xee};
    uint8_t list[] = {0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x0c, 0x00, 0x01,
                      0xc0, 0x00, 0x02, 0x01, 0x00, 0x11, 'R',  'T',  'R',  0x00};
    uint8_t name[2 + LISP_NAME_MAX + 2];
    size_t i;

    (void)state;
    expect_decode(afi99, sizeof afi99, LISP_ERR_BAD_AFI);
    expect_decode(afi_ffff, sizeof afi_ffff, LISP_ERR_BAD_AFI);
    expect_decode(natt, sizeof natt, LISP_ERR_BAD_AFI);
    expect_decode(lcaf3, sizeof lcaf3, LISP_ERR_BAD_AFI);
    expect_decode(iid_in_list, sizeof iid_in_list, LISP_ERR_BAD_AFI);
    expect_decode(list_in_iid, sizeof list_in_iid, LISP_ERR_BAD_AFI);
    expect_decode(list5, sizeof list5, LISP_ERR_TOO_MANY);
    expect_decode(list5, sizeof list5 - 2, LISP_ERR_TRUNCATED);
    expect_decode(list_empty, sizeof list_empty, LISP_ERR_BAD_LENGTH);

    /* Instance-ID LCAF: the length must cover IID + address exactly. */
    expect_decode(iid, sizeof iid, LISP_OK);
    for (i = 0; i <= 0x0d; i++) {
        iid[7] = (uint8_t)i;
        expect_decode(iid, sizeof iid, i == 0x0a ? LISP_OK : LISP_ERR_BAD_LENGTH);
    }
    iid[7] = 0x0f; /* past the end of the input */
    expect_decode(iid, sizeof iid, LISP_ERR_TRUNCATED);
    iid[7] = 0x0a;
    iid[5] = 32;
    expect_decode(iid, sizeof iid, LISP_OK);
    iid[5] = 33;
    expect_decode(iid, sizeof iid, LISP_ERR_BAD_VALUE);
    iid[5] = 0xff;
    expect_decode(iid, sizeof iid, LISP_ERR_BAD_VALUE);

    /* AFI-List: a length ending inside an element. */
    for (i = 1; i < 0x0c; i++) {
        list[7] = (uint8_t)i;
        expect_decode(list, sizeof list, i == 6 ? LISP_OK : LISP_ERR_BAD_LENGTH);
    }

    /* Distinguished names: up to 255 bytes plus the NUL. */
    memset(name, 'a', sizeof name);
    name[0] = 0x00;
    name[1] = 0x11;
    name[2 + LISP_NAME_MAX] = 0;
    expect_decode(name, 2 + LISP_NAME_MAX + 1, LISP_OK);
    name[2 + LISP_NAME_MAX] = 'a';
    expect_decode(name, sizeof name, LISP_ERR_BAD_LENGTH);
    expect_decode(name, 2 + LISP_NAME_MAX + 1, LISP_ERR_BAD_LENGTH);
    expect_decode(name, 2 + LISP_NAME_MAX, LISP_ERR_TRUNCATED);
    expect_decode(name, 2 + 10, LISP_ERR_TRUNCATED);
}

static void test_decode_used_and_name_borrowing(void **state)
{
    static const uint8_t buf[] = {0x00, 0x11, 'R', 'T', 'R', 0x00, 0x00, 0x01, 1, 2, 3, 4};
    static const uint8_t empty[] = {0x00, 0x11, 0x00, 0x99};
    lisp_addr a;
    size_t used = 0;

    (void)state;
    lt_assert_ok(lisp_addr_decode(&a, buf, sizeof buf, &used));
    assert_int_equal(used, 6);
    assert_int_equal(a.a.afi, LISP_AFI_NAME);
    assert_ptr_equal(a.a.name.ptr, buf + 2); /* borrowed, not copied */
    assert_int_equal(a.a.name.len, 3);
    lt_assert_ok(lisp_addr_decode(&a, buf + used, sizeof buf - used, &used));
    assert_int_equal(used, 6);
    assert_int_equal(a.a.ip[3], 4);
    lt_assert_ok(lisp_addr_decode(&a, empty, sizeof empty, &used));
    assert_int_equal(used, 3);
    assert_int_equal(a.a.name.len, 0);
}

static void test_encode_errors(void **state)
{
    static const char with_nul[] = {'a', 0, 'b'};
    static char too_long[LISP_NAME_MAX + 2];
    lisp_addr a;

    (void)state;
    memset(too_long, 'x', LISP_NAME_MAX + 1);
    a = lisp_addr_plain(lisp_afi_name(too_long));
    expect_encode(&a, LISP_ERR_INVALID_ARG);
    too_long[LISP_NAME_MAX] = 0;
    a = lisp_addr_plain(lisp_afi_name(too_long));
    expect_encode(&a, LISP_OK);

    a = lisp_addr_plain(lisp_afi_name("x"));
    a.a.name.ptr = (const uint8_t *)with_nul;
    a.a.name.len = sizeof with_nul;
    expect_encode(&a, LISP_ERR_INVALID_ARG);
    a.a.name.ptr = NULL;
    expect_encode(&a, LISP_ERR_INVALID_ARG);

    a = lt_addr("10.0.0.1");
    a.a.afi = 99;
    expect_encode(&a, LISP_ERR_INVALID_ARG);
    a.a.afi = LISP_AFI_LCAF;
    expect_encode(&a, LISP_ERR_INVALID_ARG);

    a = lisp_addr_iid(1, lt_ip("10.0.0.1"));
    a.iid_mask_len = 33;
    expect_encode(&a, LISP_ERR_INVALID_ARG);
    a.iid_mask_len = 32;
    expect_encode(&a, LISP_OK);
    a.a.afi = 99;
    expect_encode(&a, LISP_ERR_INVALID_ARG);

    a = lt_addr("10.0.0.1");
    a.lcaf = LISP_LCAF_AFI_LIST;
    a.n_more = LISP_AFI_LIST_MAX;
    expect_encode(&a, LISP_ERR_INVALID_ARG);
    a.n_more = 1;
    a.more[0].afi = 99;
    expect_encode(&a, LISP_ERR_INVALID_ARG);

    a = lt_addr("10.0.0.1");
    a.lcaf = LISP_LCAF_NATT; /* only an Info-Reply carries it, with its own structure */
    expect_encode(&a, LISP_ERR_INVALID_ARG);
    a.lcaf = 3;
    expect_encode(&a, LISP_ERR_INVALID_ARG);
}

/* (NULL, 0) buffers: no pointer arithmetic on NULL (clang's UBSan reports it). */
static void test_null_empty_buffers(void **state)
{
    lisp_addr a = lt_addr("10.0.0.1");
    size_t used = 0;

    (void)state;
    lt_assert_rc(lisp_addr_decode(&a, NULL, 0, &used), LISP_ERR_TRUNCATED);
    a = lt_addr("10.0.0.1");
    lt_assert_rc(lisp_addr_encode(&a, NULL, 0, &used), LISP_ERR_NOBUF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constructors),
        cmocka_unit_test(test_from_str),
        cmocka_unit_test(test_to_str),
        cmocka_unit_test(test_to_str_small_buffers),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_roundtrip_kinds),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_decode_used_and_name_borrowing),
        cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_null_empty_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
