/* test_ipudp.c - unit tests for lisp_ipudp.c: IPv4 / IPv6 + UDP framing and checksums. */
#include <stdlib.h>
#include <string.h>

#include "lisp_test_util.h"

static int decode_ipudp(const uint8_t *buf, size_t len)
{
    lisp_ipudp h;
    const uint8_t *payload = NULL;
    size_t payload_len = 0;
    return lisp_ipudp_decode(&h, buf, len, &payload, &payload_len);
}

static void expect_decode(const uint8_t *buf, size_t len, int want)
{
    uint8_t *exact = malloc(len ? len : 1);
    assert_non_null(exact);
    memcpy(exact, buf, len);
    lt_assert_rc(decode_ipudp(exact, len), want);
    free(exact);
}

/* An independent RFC 1071 sum (byte at a time, folded at the end), not complemented:
 * a header or datagram whose checksum is right sums to 0xFFFF. */
static uint16_t ref_sum(const uint8_t *p, size_t len, uint32_t sum)
{
    size_t i;
    for (i = 0; i < len; i++)
        sum += i % 2 ? (uint32_t)p[i] : (uint32_t)p[i] << 8;
    while (sum > 0xFFFF)
        sum = (sum >> 16) + (sum & 0xFFFF);
    return (uint16_t)sum;
}

/* Rewrite the IPv4 header checksum after the test edits the header. */
static void fix_ipv4_checksum(uint8_t *ip)
{
    size_t ihl = (size_t)(ip[0] & 0x0F) * 4;
    uint16_t ck;
    ip[10] = ip[11] = 0;
    ck = (uint16_t)~ref_sum(ip, ihl, 0);
    ip[10] = (uint8_t)(ck >> 8);
    ip[11] = (uint8_t)ck;
}

/* Verify both checksums of an encoded datagram with ref_sum. */
static void check_checksums(const uint8_t *buf, size_t len)
{
    uint8_t pseudo[40];
    size_t ip_len, udp_len;
    uint32_t sum;

    if (buf[0] >> 4 == 4) {
        ip_len = 20;
        assert_int_equal(ref_sum(buf, 20, 0), 0xFFFF);
        udp_len = len - ip_len;
        memcpy(pseudo, buf + 12, 8);
        pseudo[8] = 0;
        pseudo[9] = 17;
        pseudo[10] = (uint8_t)(udp_len >> 8);
        pseudo[11] = (uint8_t)udp_len;
        sum = ref_sum(pseudo, 12, 0);
    } else {
        ip_len = 40;
        udp_len = len - ip_len;
        memcpy(pseudo, buf + 8, 32);
        pseudo[32] = pseudo[33] = 0;
        pseudo[34] = (uint8_t)(udp_len >> 8);
        pseudo[35] = (uint8_t)udp_len;
        pseudo[36] = pseudo[37] = pseudo[38] = 0;
        pseudo[39] = 17;
        sum = ref_sum(pseudo, 40, 0);
    }
    assert_int_not_equal(buf[ip_len + 6] | buf[ip_len + 7], 0);
    assert_int_equal(ref_sum(buf + ip_len, udp_len, sum), 0xFFFF);
}

static lisp_ipudp make_hdr(uint16_t afi, uint8_t tos, uint8_t ttl, uint16_t sport, uint16_t dport)
{
    lisp_ipudp h;
    lisp_afi_addr s = lt_ip(afi == LISP_AFI_IPV4 ? "192.0.2.1" : "2001:db8::1");
    lisp_afi_addr d = lt_ip(afi == LISP_AFI_IPV4 ? "198.51.100.2" : "2001:db8::2");

    memset(&h, 0, sizeof h);
    h.afi = afi;
    memcpy(h.src, s.ip, 16);
    memcpy(h.dst, d.ip, 16);
    h.tos = tos;
    h.ttl = ttl;
    h.sport = sport;
    h.dport = dport;
    return h;
}

/* Encode h with payload into buf; returns the datagram length. */
static size_t encode(const lisp_ipudp *h, const void *payload, size_t payload_len, uint8_t *buf,
                     size_t cap)
{
    size_t hdr = lisp_ipudp_header_len(h->afi), len = 0;
    memcpy(buf + hdr, payload, payload_len);
    lt_assert_ok(lisp_ipudp_encode(h, buf, cap, payload_len, &len));
    assert_int_equal(len, hdr + payload_len);
    return len;
}

static void assert_hdr_equal(const lisp_ipudp *x, const lisp_ipudp *y)
{
    size_t alen = x->afi == LISP_AFI_IPV4 ? 4 : 16;
    assert_int_equal(x->afi, y->afi);
    assert_memory_equal(x->src, y->src, alen);
    assert_memory_equal(x->dst, y->dst, alen);
    assert_int_equal(x->sport, y->sport);
    assert_int_equal(x->dport, y->dport);
    assert_int_equal(x->tos, y->tos);
    assert_int_equal(x->ttl, y->ttl);
}

/* ---------------------------------------------------------------------------------------- */

/* 192.0.2.1:61000 -> 198.51.100.2:4342, TTL 64, payload "LISP!" (odd length).
 * IPv4 header checksum by hand: 4500+0021+0000+0000+4011+0000+c000+0201+c633+6402
 * = 0x27168 -> 0x716a -> ~ = 0x8e95. UDP checksum 0x53c4 (independent script). */
/* clang-format off */
static const uint8_t kat_v4[] = {
    0x45, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x8e, 0x95,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    0xee, 0x48, 0x10, 0xf6, 0x00, 0x0d, 0x53, 0xc4,
    'L', 'I', 'S', 'P', '!',
};
/* clang-format on */

/* 2001:db8::1:61000 -> 2001:db8::2:4342, traffic class 0xb8 (EF), hop limit 255, "LISP". */
/* clang-format off */
static const uint8_t kat_v6[] = {
    0x6b, 0x80, 0x00, 0x00, 0x00, 0x0c, 0x11, 0xff,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0xee, 0x48, 0x10, 0xf6, 0x00, 0x0c, 0x05, 0x89,
    'L', 'I', 'S', 'P',
};
/* clang-format on */

static void check_kat(const lisp_ipudp *h, const char *payload, const uint8_t *want,
                      size_t want_len)
{
    uint8_t buf[128];
    lisp_ipudp got;
    const uint8_t *p = NULL;
    size_t n = 0, len, cap;
    uint8_t *exact;

    len = encode(h, payload, strlen(payload), buf, sizeof buf);
    if (len != want_len || memcmp(buf, want, want_len) != 0) {
        lt_hexdump("encoded", buf, len);
        lt_hexdump("expected", want, want_len);
        fail_msg("encoding differs from the known answer");
    }
    check_checksums(want, want_len);
    for (cap = 0; cap < want_len; cap++)
        lt_assert_rc(lisp_ipudp_encode(h, buf, cap, strlen(payload), &n), LISP_ERR_NOBUF);

    exact = malloc(want_len);
    assert_non_null(exact);
    memcpy(exact, want, want_len);
    lt_assert_ok(lisp_ipudp_decode(&got, exact, want_len, &p, &n));
    assert_hdr_equal(h, &got);
    assert_ptr_equal(p, exact + lisp_ipudp_header_len(h->afi));
    assert_int_equal(n, strlen(payload));
    assert_memory_equal(p, payload, n);
    free(exact);

    lt_assert_prefixes_truncated(decode_ipudp, want, want_len);
    lt_assert_trailing_byte(decode_ipudp, want, want_len, LISP_ERR_BAD_LENGTH);
}

static void test_known_answers(void **state)
{
    lisp_ipudp h;

    (void)state;
    assert_int_equal(lisp_ipudp_header_len(LISP_AFI_IPV4), 28);
    assert_int_equal(lisp_ipudp_header_len(LISP_AFI_IPV6), 48);
    assert_int_equal(lisp_ipudp_header_len(LISP_AFI_NONE), 0);
    assert_int_equal(lisp_ipudp_header_len(LISP_AFI_NAME), 0);
    h = make_hdr(LISP_AFI_IPV4, 0, 64, 61000, LISP_CONTROL_PORT);
    check_kat(&h, "LISP!", kat_v4, sizeof kat_v4);
    h = make_hdr(LISP_AFI_IPV6, 0xb8, 255, 61000, LISP_CONTROL_PORT);
    check_kat(&h, "LISP", kat_v6, sizeof kat_v6);
}

static void test_roundtrip_and_checksums(void **state)
{
    static const uint16_t afis[] = {LISP_AFI_IPV4, LISP_AFI_IPV6};
    uint8_t payload[80], buf[160];
    lisp_ipudp h, got;
    const uint8_t *p;
    size_t a, n, len, i, plen;

    (void)state;
    for (i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(0xA5 ^ (i * 37));
    for (a = 0; a < 2; a++)
        for (n = 0; n < sizeof payload; n++) {
            h = make_hdr(afis[a], (uint8_t)(n * 13), (uint8_t)(n + 1), (uint16_t)(n * 1031),
                         (uint16_t)(65535 - n));
            h.src[n % 4] ^= (uint8_t)n;
            len = encode(&h, payload, n, buf, sizeof buf);
            check_checksums(buf, len);
            lt_assert_ok(lisp_ipudp_decode(&got, buf, len, &p, &plen));
            assert_hdr_equal(&h, &got);
            assert_int_equal(plen, n);
            assert_memory_equal(p, payload, n);
        }
}

static void test_checksum_zero_sent_as_ffff(void **state)
{
    static const uint16_t afis[] = {LISP_AFI_IPV4, LISP_AFI_IPV6};
    uint8_t buf[64];
    uint8_t payload[2] = {0, 0};
    lisp_ipudp h;
    size_t a, len, hdr;

    (void)state;
    for (a = 0; a < 2; a++) {
        h = make_hdr(afis[a], 0, 64, 1, 2);
        hdr = lisp_ipudp_header_len(afis[a]);
        /* With payload 0000 the checksum is c = ~S; payload c makes the sum 0xFFFF and the
         * computed checksum 0, which must go on the wire as 0xFFFF. */
        len = encode(&h, payload, 2, buf, sizeof buf);
        payload[0] = buf[hdr - 2];
        payload[1] = buf[hdr - 1];
        len = encode(&h, payload, 2, buf, sizeof buf);
        assert_int_equal(buf[hdr - 2], 0xff);
        assert_int_equal(buf[hdr - 1], 0xff);
        check_checksums(buf, len);
        expect_decode(buf, len, LISP_OK);
        payload[0] = payload[1] = 0;
    }
}

static void test_corrupted_checksums(void **state)
{
    uint8_t buf[sizeof kat_v6];
    size_t i, bit;

    (void)state;
    /* IPv4: any single-bit change anywhere is caught (by a checksum or a length check). */
    for (i = 0; i < sizeof kat_v4; i++)
        for (bit = 0; bit < 8; bit++) {
            memcpy(buf, kat_v4, sizeof kat_v4);
            buf[i] ^= (uint8_t)(1u << bit);
            if (decode_ipudp(buf, sizeof kat_v4) >= 0)
                fail_msg("bit %zu of byte %zu flipped, still accepted", bit, i);
        }
    /* Header checksum, addresses, TTL: LISP_ERR_CHECKSUM exactly. */
    for (i = 8; i < 20; i++) {
        memcpy(buf, kat_v4, sizeof kat_v4);
        buf[i] ^= 0x10;
        expect_decode(buf, sizeof kat_v4, LISP_ERR_CHECKSUM);
    }
    /* UDP ports, checksum and payload. */
    for (i = 20; i < sizeof kat_v4; i++) {
        if (i == 24 || i == 25)
            continue; /* the UDP length */
        memcpy(buf, kat_v4, sizeof kat_v4);
        buf[i] ^= 0x01;
        expect_decode(buf, sizeof kat_v4, LISP_ERR_CHECKSUM);
    }
    /* IPv6 has no header checksum: the UDP checksum covers the addresses and payload. */
    for (i = 8; i < sizeof kat_v6; i++) {
        if (i == 44 || i == 45)
            continue;
        memcpy(buf, kat_v6, sizeof kat_v6);
        buf[i] ^= 0x80;
        expect_decode(buf, sizeof kat_v6, LISP_ERR_CHECKSUM);
    }
    /* Traffic class and hop limit are not covered; they decode to the new values. */
    memcpy(buf, kat_v6, sizeof kat_v6);
    buf[1] ^= 0x10;
    buf[7] = 1;
    expect_decode(buf, sizeof kat_v6, LISP_OK);
}

static void test_zero_udp_checksum(void **state)
{
    uint8_t buf[sizeof kat_v6];
    lisp_ipudp h;
    const uint8_t *p;
    size_t n;

    (void)state;
    /* IPv4: zero means "no checksum", so even a changed payload is accepted. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[26] = buf[27] = 0;
    buf[sizeof kat_v4 - 1] = '?';
    lt_assert_ok(lisp_ipudp_decode(&h, buf, sizeof kat_v4, &p, &n));
    assert_int_equal(n, 5);
    assert_int_equal(p[4], '?');
    /* IPv6: the checksum is mandatory. */
    memcpy(buf, kat_v6, sizeof kat_v6);
    buf[46] = buf[47] = 0;
    expect_decode(buf, sizeof kat_v6, LISP_ERR_CHECKSUM);
}

static void test_ipv4_header_checks(void **state)
{
    uint8_t buf[64];
    lisp_ipudp h;
    const uint8_t *p;
    size_t n;

    (void)state;
    /* Fragments: MF, or a non-zero offset. DF alone is fine. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[6] = 0x20; /* MF */
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_VALUE);
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[7] = 0x01; /* offset 8 bytes */
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_VALUE);
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[6] = 0x1f; /* high offset bits */
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_VALUE);
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[6] = 0x40; /* DF */
    buf[4] = 0x12; /* identification */
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4, LISP_OK);

    /* Not UDP. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[9] = 6;
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_VALUE);

    /* IP versions other than 4 and 6. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[0] = 0x55;
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_VALUE);
    buf[0] = 0x05;
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_VALUE);

    /* IHL below 5. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[0] = 0x44;
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_LENGTH);

    /* IHL 6: a 4-byte option (here NOPs) before the UDP header. */
    memcpy(buf, kat_v4, 20);
    buf[0] = 0x46;
    memset(buf + 20, 0x01, 4);
    memcpy(buf + 24, kat_v4 + 20, sizeof kat_v4 - 20);
    buf[3] = (uint8_t)(sizeof kat_v4 + 4);
    fix_ipv4_checksum(buf);
    lt_assert_ok(lisp_ipudp_decode(&h, buf, sizeof kat_v4 + 4, &p, &n));
    assert_ptr_equal(p, buf + 24 + 8);
    assert_int_equal(n, 5);
    assert_memory_equal(p, "LISP!", 5);

    /* Total length shorter than header + UDP header, or than the UDP length. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[3] = 27;
    fix_ipv4_checksum(buf);
    expect_decode(buf, 27, LISP_ERR_BAD_LENGTH);
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[3] = (uint8_t)(sizeof kat_v4 - 1);
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4 - 1, LISP_ERR_BAD_LENGTH); /* UDP says 13 */
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_LENGTH);     /* a byte beyond */
    /* Total length longer than the input. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[3] = (uint8_t)(sizeof kat_v4 + 1);
    fix_ipv4_checksum(buf);
    expect_decode(buf, sizeof kat_v4, LISP_ERR_TRUNCATED);
    /* UDP length disagreeing with the IP length, either way. */
    memcpy(buf, kat_v4, sizeof kat_v4);
    buf[25] = 12;
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_LENGTH);
    buf[25] = 14;
    expect_decode(buf, sizeof kat_v4, LISP_ERR_BAD_LENGTH);
}

static void test_ipv6_header_checks(void **state)
{
    uint8_t buf[sizeof kat_v6];

    (void)state;
    /* Extension headers (next header not UDP). */
    memcpy(buf, kat_v6, sizeof kat_v6);
    buf[6] = 0; /* hop-by-hop */
    expect_decode(buf, sizeof kat_v6, LISP_ERR_BAD_VALUE);
    buf[6] = 44; /* fragment */
    expect_decode(buf, sizeof kat_v6, LISP_ERR_BAD_VALUE);
    /* Payload length shorter than a UDP header, with the input agreeing. */
    memcpy(buf, kat_v6, sizeof kat_v6);
    buf[5] = 4;
    expect_decode(buf, 44, LISP_ERR_BAD_LENGTH);
    buf[5] = 0;
    expect_decode(buf, 40, LISP_ERR_BAD_LENGTH);
    /* Payload length against the input and the UDP length. */
    memcpy(buf, kat_v6, sizeof kat_v6);
    buf[5] = 13;
    expect_decode(buf, sizeof kat_v6, LISP_ERR_TRUNCATED);
    buf[5] = 11;
    expect_decode(buf, sizeof kat_v6, LISP_ERR_BAD_LENGTH);
    expect_decode(buf, sizeof kat_v6 - 1, LISP_ERR_BAD_LENGTH); /* UDP says 12 */
    memcpy(buf, kat_v6, sizeof kat_v6);
    buf[45] = 13;
    expect_decode(buf, sizeof kat_v6, LISP_ERR_BAD_LENGTH);
}

static void test_encode_errors(void **state)
{
    static uint8_t big[65536 + 64];
    lisp_ipudp h;
    size_t len;

    (void)state;
    h = make_hdr(LISP_AFI_NONE, 0, 64, 1, 2);
    lt_assert_rc(lisp_ipudp_encode(&h, big, sizeof big, 0, &len), LISP_ERR_INVALID_ARG);
    h.afi = LISP_AFI_NAME;
    lt_assert_rc(lisp_ipudp_encode(&h, big, sizeof big, 0, &len), LISP_ERR_INVALID_ARG);

    /* IPv4 total length is 16 bits: header + UDP + payload <= 65535. */
    h = make_hdr(LISP_AFI_IPV4, 0, 64, 1, 2);
    lt_assert_ok(lisp_ipudp_encode(&h, big, sizeof big, 65535 - 28, &len));
    assert_int_equal(len, 65535);
    check_checksums(big, len);
    lt_assert_ok(decode_ipudp(big, len));
    lt_assert_rc(lisp_ipudp_encode(&h, big, sizeof big, 65535 - 28 + 1, &len),
                 LISP_ERR_INVALID_ARG);
    /* IPv6: the UDP length (= payload length) is 16 bits. */
    h = make_hdr(LISP_AFI_IPV6, 0, 64, 1, 2);
    lt_assert_ok(lisp_ipudp_encode(&h, big, sizeof big, 65535 - 8, &len));
    assert_int_equal(len, 40 + 65535);
    check_checksums(big, len);
    lt_assert_ok(decode_ipudp(big, len));
    lt_assert_rc(lisp_ipudp_encode(&h, big, sizeof big, 65535 - 8 + 1, &len), LISP_ERR_INVALID_ARG);
    /* Buffer shorter than headers + payload. */
    lt_assert_rc(lisp_ipudp_encode(&h, big, 48 + 9, 10, &len), LISP_ERR_NOBUF);
}

/* (NULL, 0) buffers: no pointer arithmetic on NULL (clang's UBSan reports it). */
static void test_null_empty_buffers(void **state)
{
    lisp_ipudp h = make_hdr(LISP_AFI_IPV4, 0, 64, 1, 2);
    size_t len;

    (void)state;
    lt_assert_rc(decode_ipudp(NULL, 0), LISP_ERR_TRUNCATED);
    lt_assert_rc(lisp_ipudp_encode(&h, NULL, 0, 0, &len), LISP_ERR_NOBUF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_roundtrip_and_checksums),
        cmocka_unit_test(test_checksum_zero_sent_as_ffff),
        cmocka_unit_test(test_corrupted_checksums),
        cmocka_unit_test(test_zero_udp_checksum),
        cmocka_unit_test(test_ipv4_header_checks),
        cmocka_unit_test(test_ipv6_header_checks),
        cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_null_empty_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
