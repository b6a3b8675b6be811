/*
 * test_nat_icmp.c - unit tests of the NAT engine's packet handling (lisp_nat.h): ICMP echo
 * by identifier, ICMP errors about translated flows in both directions (the quoted packet
 * must come back byte for byte as it was on the other side), hairpinning, fragments,
 * IPv4 options, the UDP zero checksum, protocols and addresses that pass, and malformed
 * or truncated packets. Every rewritten packet's checksums are recomputed from scratch.
 */
#include <stdlib.h>
#include <string.h>

#include "lisp_nat_test_util.h"

static nt_host g_h;
static uint8_t g_pkt[NT_PKT_MAX];

static void test_icmp_echo(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint64_t r = nt_random_for_port(2222, 1024, 65535);
    uint16_t id;

    (void)state;
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_icmp_query(g_pkt, "10.0.0.1", "198.51.100.1", 8, 4321)),
        LISP_NAT_FORWARD);
    nt_assert_src(g_pkt, "203.0.113.1", 4321);
    /* Another host with the same identifier gets another one. */
    nt_host_script(&g_h, &r, 1);
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_icmp_query(g_pkt, "10.0.0.2", "198.51.100.1", 8, 4321)),
        LISP_NAT_FORWARD);
    nt_assert_src(g_pkt, "203.0.113.1", 2222);
    /* The replies find their way back by identifier. */
    nt_assert_verdict(nt_send(n, SEC(2), false, g_pkt,
                              nt_icmp_query(g_pkt, "198.51.100.1", "203.0.113.1", 0, 2222)),
                      LISP_NAT_FORWARD);
    nt_assert_dst(g_pkt, "10.0.0.2", 4321);
    nt_assert_verdict(nt_send(n, SEC(2), false, g_pkt,
                              nt_icmp_query(g_pkt, "198.51.100.1", "203.0.113.1", 0, 4321)),
                      LISP_NAT_FORWARD);
    nt_assert_dst(g_pkt, "10.0.0.1", 4321);
    /* From a host it did not ping: filtered. */
    nt_assert_verdict(nt_send(n, SEC(2), false, g_pkt,
                              nt_icmp_query(g_pkt, "198.51.100.9", "203.0.113.1", 0, 4321)),
                      LISP_NAT_DROP);
    assert_int_equal(lisp_nat_get_stats(n)->filtered, 1);
    /* A ping to the router's public address is the router's to answer. */
    nt_assert_verdict(nt_send(n, SEC(2), false, g_pkt,
                              nt_icmp_query(g_pkt, "198.51.100.1", "203.0.113.1", 8, 4321)),
                      LISP_NAT_PASS);
    /* An echo reply from inside has no mapping: it does not leak. */
    nt_assert_verdict(
        nt_send(n, SEC(2), true, g_pkt, nt_icmp_query(g_pkt, "10.0.0.1", "198.51.100.1", 0, 99)),
        LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_NO_MAPPING);
    /* Timestamp requests are queries too. */
    nt_assert_verdict(
        nt_send(n, SEC(3), true, g_pkt, nt_icmp_query(g_pkt, "10.0.0.3", "198.51.100.1", 13, 777)),
        LISP_NAT_FORWARD);
    id = nt_sport(g_pkt); /* 777 is below the range: another identifier */
    assert_true(id >= 1024);
    nt_assert_verdict(nt_send(n, SEC(3), false, g_pkt,
                              nt_icmp_query(g_pkt, "198.51.100.1", "203.0.113.1", 14, id)),
                      LISP_NAT_FORWARD);
    nt_assert_dst(g_pkt, "10.0.0.3", 777);
    /* A reply to an identifier below the range is the router's own. */
    nt_assert_verdict(nt_send(n, SEC(3), false, g_pkt,
                              nt_icmp_query(g_pkt, "198.51.100.1", "203.0.113.1", 0, 777)),
                      LISP_NAT_PASS);
    lisp_nat_free(n);
}

/* An error from router 192.0.2.254 quoting the first quote bytes of the packet that left
 * (outbound, translated) comes in: its quote must read exactly as the packet did inside. */
static void check_error_in(lisp_nat *n, const uint8_t *inside, size_t len, size_t quote,
                           uint8_t type, uint8_t code)
{
    uint8_t out[NT_PKT_MAX], err[NT_PKT_MAX];
    size_t elen;

    memcpy(out, inside, len);
    nt_assert_verdict(nt_send(n, SEC(1), true, out, len), LISP_NAT_FORWARD);
    if (quote > len)
        quote = len;
    elen = nt_icmp_error(err, "192.0.2.254", "203.0.113.1", type, code, out, quote);
    nt_assert_verdict(nt_send(n, SEC(2), false, err, elen), LISP_NAT_FORWARD);
    nt_assert_src(err, "192.0.2.254", nt_sport(err));
    assert_memory_equal(err + 16, inside + 12, 4); /* outer destination: the inside host */
    assert_memory_equal(err + 28, inside, quote);
}

static void test_icmp_error_inbound(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n;
    uint8_t pkt[NT_PKT_MAX];
    size_t len;
    uint64_t r = nt_random_for_port(30000, 1024, 65535);

    (void)state;
    n = nt_new(&g_h, &cfg);
    /* UDP, whole packet quoted (the quoted UDP checksum is checked from scratch too). */
    len = nt_udp(pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 30);
    check_error_in(n, pkt, len, len, 3, 3);
    /* UDP translated to another port: IPv4 header and 8 bytes quoted (RFC 792). */
    nt_host_script(&g_h, &r, 1);
    len = nt_udp(pkt, "10.0.0.2", 5000, "198.51.100.1", 53, 30);
    check_error_in(n, pkt, len, 28, 11, 0);
    len = nt_udp(pkt, "10.0.0.2", 5000, "198.51.100.1", 53, 30);
    check_error_in(n, pkt, len, len, 3, 1);
    /* TCP: with 8 bytes the checksum is not quoted; with all of it, it is. */
    len = nt_tcp(pkt, "10.0.0.1", 6000, "198.51.100.1", 80, 0x02);
    check_error_in(n, pkt, len, 28, 3, 13);
    check_error_in(n, pkt, len, len, 12, 0);
    /* An echo request that ran out of hops. */
    len = nt_icmp_query(pkt, "10.0.0.1", "198.51.100.1", 8, 4242);
    check_error_in(n, pkt, len, len, 11, 0);
    assert_int_equal(lisp_nat_get_stats(n)->icmp_errors_translated, 6);
    lisp_nat_free(n);
}

/* Errors that cannot be translated inbound: DROP or PASS, never forwarded half-done. */
static void test_icmp_error_inbound_refused(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint8_t q[NT_PKT_MAX];
    size_t qlen;

    (void)state;
    /* About a flow that has no mapping (port in the range): dropped. */
    qlen = nt_udp(q, "203.0.113.1", 5000, "198.51.100.1", 53, 0);
    nt_assert_verdict(nt_send(n, SEC(1), false, g_pkt,
                              nt_icmp_error(g_pkt, "192.0.2.254", "203.0.113.1", 3, 3, q, qlen)),
                      LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_NO_MAPPING);
    /* About the router's own traffic (port below the range): passed. */
    qlen = nt_udp(q, "203.0.113.1", 500, "198.51.100.1", 53, 0);
    nt_assert_verdict(nt_send(n, SEC(1), false, g_pkt,
                              nt_icmp_error(g_pkt, "192.0.2.254", "203.0.113.1", 3, 3, q, qlen)),
                      LISP_NAT_PASS);
    /* About a packet to a destination the mapping never sent to: filtered. */
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 0)),
        LISP_NAT_FORWARD);
    qlen = nt_udp(q, "203.0.113.1", 5000, "198.51.100.66", 53, 0);
    nt_assert_verdict(nt_send(n, SEC(1), false, g_pkt,
                              nt_icmp_error(g_pkt, "192.0.2.254", "203.0.113.1", 3, 3, q, qlen)),
                      LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_FILTERED);
    /* Quoting less than a header and 8 bytes: malformed. */
    qlen = nt_udp(q, "203.0.113.1", 5000, "198.51.100.1", 53, 0);
    nt_assert_verdict(nt_send(n, SEC(1), false, g_pkt,
                              nt_icmp_error(g_pkt, "192.0.2.254", "203.0.113.1", 3, 3, q, 27)),
                      LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_MALFORMED);
    /* To an address that is not ours: not our business. */
    nt_assert_verdict(nt_send(n, SEC(1), false, g_pkt,
                              nt_icmp_error(g_pkt, "192.0.2.254", "198.51.100.5", 3, 3, q, qlen)),
                      LISP_NAT_PASS);
    lisp_nat_free(n);
}

/* An inside host answers an inbound-translated packet with an error: the quote must read
 * exactly as the packet did outside, and the error leave from the external address. */
static void test_icmp_error_outbound(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint8_t outside[NT_PKT_MAX], in[NT_PKT_MAX];
    size_t len, elen;
    uint64_t r = nt_random_for_port(33333, 1024, 65535);

    (void)state;
    /* 10.0.0.9 takes port 5000 first, so 10.0.0.1:5000 is 33333 outside. */
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.9", 5000, "198.51.100.1", 53, 0)),
        LISP_NAT_FORWARD);
    nt_host_script(&g_h, &r, 1);
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 0)),
        LISP_NAT_FORWARD);
    assert_int_equal(nt_sport(g_pkt), 33333);
    len = nt_udp(outside, "198.51.100.1", 53, "203.0.113.1", 33333, 12);
    memcpy(in, outside, len);
    nt_assert_verdict(nt_send(n, SEC(2), false, in, len), LISP_NAT_FORWARD);
    nt_assert_dst(in, "10.0.0.1", 5000);
    elen = nt_icmp_error(g_pkt, "10.0.0.1", "198.51.100.1", 3, 3, in, len);
    nt_assert_verdict(nt_send(n, SEC(2), true, g_pkt, elen), LISP_NAT_FORWARD);
    nt_assert_src(g_pkt, "203.0.113.1", nt_sport(g_pkt));
    assert_memory_equal(g_pkt + 28, outside, len);
    /* Quoting 8 bytes only, from a router inside. */
    elen = nt_icmp_error(g_pkt, "10.0.0.254", "198.51.100.1", 11, 0, in, 28);
    nt_assert_verdict(nt_send(n, SEC(2), true, g_pkt, elen), LISP_NAT_FORWARD);
    nt_assert_src(g_pkt, "203.0.113.1", nt_sport(g_pkt));
    assert_memory_equal(g_pkt + 28, outside, 28);
    /* About something that never came in: dropped, the private address does not leak. */
    len = nt_udp(in, "198.51.100.1", 53, "10.0.0.1", 5999, 0);
    nt_assert_verdict(nt_send(n, SEC(2), true, g_pkt,
                              nt_icmp_error(g_pkt, "10.0.0.1", "198.51.100.1", 3, 3, in, len)),
                      LISP_NAT_DROP);
    assert_int_equal(lisp_nat_get_stats(n)->icmp_errors_translated, 2);
    lisp_nat_free(n);
}

/* RFC 4787 REQ-9: a packet from inside to a mapping's external endpoint comes back in with
 * the sender's external endpoint as its source. */
static void test_hairpinning(void **state)
{
    lisp_nat_config cfg = nt_config("port-restricted-cone");
    lisp_nat *n = nt_new(&g_h, &cfg);

    (void)state;
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 4)),
        LISP_NAT_FORWARD);
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.2", 6000, "198.51.100.1", 53, 4)),
        LISP_NAT_FORWARD);
    /* B to A's external endpoint: A never sent to B's, so A's filter refuses it. */
    nt_assert_verdict(
        nt_send(n, SEC(2), true, g_pkt, nt_udp(g_pkt, "10.0.0.2", 6000, "203.0.113.1", 5000, 4)),
        LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_FILTERED);
    /* A to B's external endpoint: B sent there, so it passes, hairpinned. */
    nt_assert_verdict(
        nt_send(n, SEC(3), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "203.0.113.1", 6000, 4)),
        LISP_NAT_HAIRPIN);
    nt_assert_src(g_pkt, "203.0.113.1", 5000);
    nt_assert_dst(g_pkt, "10.0.0.2", 6000);
    nt_assert_verdict(
        nt_send(n, SEC(4), true, g_pkt, nt_udp(g_pkt, "10.0.0.2", 6000, "203.0.113.1", 5000, 4)),
        LISP_NAT_HAIRPIN);
    nt_assert_src(g_pkt, "203.0.113.1", 6000);
    nt_assert_dst(g_pkt, "10.0.0.1", 5000);
    assert_int_equal(lisp_nat_get_stats(n)->hairpinned, 2);
    /* TCP too. */
    nt_assert_verdict(
        nt_send(n, SEC(5), true, g_pkt, nt_tcp(g_pkt, "10.0.0.1", 7000, "198.51.100.1", 80, 0x02)),
        LISP_NAT_FORWARD);
    nt_assert_verdict(
        nt_send(n, SEC(5), true, g_pkt, nt_tcp(g_pkt, "10.0.0.1", 7001, "203.0.113.1", 7000, 0x02)),
        LISP_NAT_DROP); /* filtered: 7000 only sent to 198.51.100.1:80 */
    /* To an unmapped port in the range, and to the router's own port. */
    nt_assert_verdict(
        nt_send(n, SEC(5), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "203.0.113.1", 9999, 4)),
        LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_NO_MAPPING);
    nt_assert_verdict(
        nt_send(n, SEC(5), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "203.0.113.1", 53, 4)),
        LISP_NAT_PASS);
    nt_assert_src(g_pkt, "10.0.0.1", 5000); /* untouched */
    lisp_nat_free(n);

    cfg.hairpinning = false;
    n = nt_new(&g_h, &cfg);
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 4)),
        LISP_NAT_FORWARD);
    nt_assert_verdict(
        nt_send(n, SEC(2), true, g_pkt, nt_udp(g_pkt, "10.0.0.2", 6000, "203.0.113.1", 5000, 4)),
        LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_HAIRPIN_OFF);
    assert_int_equal(nt_counter(n, "drop.nat-hairpin-off"), 1);
    lisp_nat_free(n);
}

/* Split the UDP packet in whole into two fragments at L4 byte 40 (IP ID id). */
static void fragment(const uint8_t *whole, size_t len, uint16_t id, uint8_t *f1, size_t *l1,
                     uint8_t *f2, size_t *l2)
{
    memcpy(f1, whole, 20 + 40);
    f1[2] = 0;
    f1[3] = 60;
    f1[4] = (uint8_t)(id >> 8);
    f1[5] = (uint8_t)id;
    f1[6] = 0x20; /* MF, offset 0 */
    f1[7] = 0;
    nt_fix_ip_checksum(f1);
    *l1 = 60;
    memcpy(f2, whole, 20);
    memcpy(f2 + 20, whole + 60, len - 60);
    f2[2] = (uint8_t)((len - 40) >> 8);
    f2[3] = (uint8_t)(len - 40);
    f2[4] = (uint8_t)(id >> 8);
    f2[5] = (uint8_t)id;
    f2[6] = 0;
    f2[7] = 5; /* offset 40 bytes */
    nt_fix_ip_checksum(f2);
    *l2 = len - 40;
}

/* Both fragments carry good IPv4 checksums and reassemble to a packet whose UDP checksum
 * verifies. */
static void assert_reassembles(const uint8_t *f1, const uint8_t *f2, size_t l2, uint8_t *whole)
{
    size_t len = 60 + l2 - 20;
    assert_int_equal(nt_sum(0, f1, 20), 0xffff);
    assert_int_equal(nt_sum(0, f2, 20), 0xffff);
    assert_memory_equal(f1 + 12, f2 + 12, 8);
    memcpy(whole, f1, 60);
    memcpy(whole + 60, f2 + 20, l2 - 20);
    whole[2] = (uint8_t)(len >> 8);
    whole[3] = (uint8_t)len;
    whole[6] = 0;
    nt_fix_ip_checksum(whole);
    nt_assert_checksums(whole, len);
}

static void test_fragments(void **state)
{
    lisp_nat_config cfg = nt_config("full-cone");
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint8_t whole[NT_PKT_MAX], f1[NT_PKT_MAX], f2[NT_PKT_MAX];
    size_t len, l1, l2;

    (void)state;
    /* Outbound: the first fragment creates the mapping, the second follows it. */
    len = nt_udp(whole, "10.0.0.1", 5000, "198.51.100.1", 53, 64);
    fragment(whole, len, 0x4001, f1, &l1, f2, &l2);
    nt_assert_verdict(lisp_nat_outbound(n, SEC(1), f1, l1), LISP_NAT_FORWARD);
    nt_assert_verdict(lisp_nat_outbound(n, SEC(1), f2, l2), LISP_NAT_FORWARD);
    assert_reassembles(f1, f2, l2, whole);
    nt_assert_src(whole, "203.0.113.1", 5000);
    /* Inbound, the reply in two fragments. */
    len = nt_udp(whole, "198.51.100.1", 53, "203.0.113.1", 5000, 64);
    fragment(whole, len, 0x4002, f1, &l1, f2, &l2);
    nt_assert_verdict(lisp_nat_inbound(n, SEC(2), f1, l1), LISP_NAT_FORWARD);
    nt_assert_verdict(lisp_nat_inbound(n, SEC(2), f2, l2), LISP_NAT_FORWARD);
    assert_reassembles(f1, f2, l2, whole);
    nt_assert_dst(whole, "10.0.0.1", 5000);
    assert_int_equal(lisp_nat_get_stats(n)->fragments, 4);
    /* A later fragment without its first one (another IP ID): dropped. */
    len = nt_udp(whole, "10.0.0.1", 5000, "198.51.100.1", 53, 64);
    fragment(whole, len, 0x4003, f1, &l1, f2, &l2);
    nt_assert_verdict(lisp_nat_outbound(n, SEC(3), f2, l2), LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_NAT_NO_MAPPING);
    /* The entry lives 30 s. */
    nt_assert_verdict(lisp_nat_outbound(n, SEC(3), f1, l1), LISP_NAT_FORWARD);
    nt_assert_verdict(lisp_nat_outbound(n, SEC(33), f2, l2), LISP_NAT_DROP);
    /* Inbound later fragments to an address that is not ours are not ours to judge. */
    memcpy(f2 + 16, "\xc6\x33\x64\x05", 4);
    nt_fix_ip_checksum(f2);
    nt_assert_verdict(lisp_nat_inbound(n, SEC(34), f2, l2), LISP_NAT_PASS);
    lisp_nat_free(n);
}

/* IPv4 options: the L4 header starts after IHL words and the options stay. */
static void test_ip_options(void **state)
{
    lisp_nat_config cfg = nt_config("full-cone");
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint8_t l4[16] = {0x13, 0x88, 0x00, 0x35, 0x00, 0x10, 0,   0,
                      'o',  'p',  't',  'i',  'o',  'n',  's', '!'};
    size_t len = nt_ipv4(g_pkt, "10.0.0.1", "198.51.100.1", 17, l4, sizeof l4, 3);
    uint64_t r = nt_random_for_port(40000, 1024, 65535);

    (void)state;
    nt_host_script(&g_h, &r, 1);
    nt_assert_verdict(nt_send(n, SEC(1), true, g_pkt, len), LISP_NAT_FORWARD);
    assert_int_equal(g_pkt[0], 0x48);
    assert_int_equal(g_pkt[20], 1); /* options untouched */
    nt_assert_src(g_pkt, "203.0.113.1", 5000);
    nt_assert_verdict(nt_send(n, SEC(1), true, g_pkt,
                              nt_ipv4(g_pkt, "10.0.0.2", "198.51.100.1", 17, l4, sizeof l4, 1)),
                      LISP_NAT_FORWARD);
    nt_assert_src(g_pkt, "203.0.113.1", 40000);
    lisp_nat_free(n);
}

/* A UDP checksum of zero (none) stays zero; a wrong IPv4 checksum stays wrong by as much
 * (RFC 1624: the header's one's complement sum is invariant under the update). */
static void test_checksum_corner_cases(void **state)
{
    lisp_nat_config cfg = nt_config("full-cone");
    lisp_nat *n = nt_new(&g_h, &cfg);
    size_t len = nt_udp(g_pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 10);
    uint16_t bad;

    (void)state;
    g_pkt[26] = g_pkt[27] = 0;
    nt_assert_verdict(nt_send(n, SEC(1), true, g_pkt, len), LISP_NAT_FORWARD);
    assert_int_equal(g_pkt[26] | g_pkt[27], 0);
    len = nt_udp(g_pkt, "10.0.0.2", 5001, "198.51.100.1", 53, 10);
    g_pkt[10] ^= 0x5a;
    bad = nt_sum(0, g_pkt, 20);
    assert_int_not_equal(bad, 0xffff);
    nt_assert_verdict(lisp_nat_outbound(n, SEC(1), g_pkt, len), LISP_NAT_FORWARD);
    nt_assert_src(g_pkt, "203.0.113.1", 5001);
    assert_int_equal(nt_sum(0, g_pkt, 20), bad);
    lisp_nat_free(n);
}

static void test_passed_untouched(void **state)
{
    lisp_nat_config cfg = nt_config(NULL);
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint8_t gre[8] = {0, 0, 0x08, 0, 1, 2, 3, 4}, copy[NT_PKT_MAX];
    size_t len = nt_ipv4(g_pkt, "10.0.0.1", "198.51.100.1", 47, gre, sizeof gre, 0);

    (void)state;
    memcpy(copy, g_pkt, len);
    nt_assert_verdict(lisp_nat_outbound(n, SEC(1), g_pkt, len), LISP_NAT_PASS);
    nt_assert_verdict(lisp_nat_inbound(n, SEC(1), g_pkt, len), LISP_NAT_PASS);
    assert_memory_equal(g_pkt, copy, len);
    g_pkt[0] = 0x60; /* IPv6 */
    nt_assert_verdict(lisp_nat_outbound(n, SEC(1), g_pkt, len), LISP_NAT_PASS);
    /* Inbound to an address that is not ours: routed as without a NAT. */
    len = nt_udp(g_pkt, "198.51.100.1", 53, "192.0.2.77", 5000, 0);
    memcpy(copy, g_pkt, len);
    nt_assert_verdict(lisp_nat_inbound(n, SEC(1), g_pkt, len), LISP_NAT_PASS);
    assert_memory_equal(g_pkt, copy, len);
    /* even with a UDP header the IPv4 total length cuts short: not ours to judge */
    g_pkt[3] = 24;
    nt_fix_ip_checksum(g_pkt);
    nt_assert_verdict(lisp_nat_inbound(n, SEC(1), g_pkt, len), LISP_NAT_PASS);
    assert_int_equal(lisp_nat_get_stats(n)->passed, 5);
    lisp_nat_free(n);
}

/* Every truncated prefix, each way: DROP or PASS, and never a read past the prefix (the
 * copy is allocated to its exact length for ASan). */
static void check_prefixes(lisp_nat *n, const uint8_t *pkt, size_t len)
{
    size_t k;

    for (k = 0; k < len; k++) {
        uint8_t *p = malloc(k ? k : 1);
        int v;
        assert_non_null(p);
        memcpy(p, pkt, k);
        v = lisp_nat_outbound(n, SEC(10), p, k);
        assert_true(v == LISP_NAT_DROP || v == LISP_NAT_PASS);
        memcpy(p, pkt, k);
        v = lisp_nat_inbound(n, SEC(10), p, k);
        assert_true(v == LISP_NAT_DROP || v == LISP_NAT_PASS);
        free(p);
    }
}

static void test_truncated_and_malformed(void **state)
{
    lisp_nat_config cfg = nt_config("full-cone");
    lisp_nat *n = nt_new(&g_h, &cfg);
    uint8_t pkt[NT_PKT_MAX], q[NT_PKT_MAX];
    size_t len, qlen;

    (void)state;
    nt_assert_verdict(
        nt_send(n, SEC(1), true, g_pkt, nt_udp(g_pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 4)),
        LISP_NAT_FORWARD);
    check_prefixes(n, pkt, nt_udp(pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 4));
    check_prefixes(n, pkt, nt_udp(pkt, "198.51.100.1", 53, "203.0.113.1", 5000, 4));
    check_prefixes(n, pkt, nt_tcp(pkt, "10.0.0.1", 5000, "198.51.100.1", 80, 0x02));
    check_prefixes(n, pkt, nt_icmp_query(pkt, "10.0.0.1", "198.51.100.1", 8, 1));
    qlen = nt_udp(q, "203.0.113.1", 5000, "198.51.100.1", 53, 4);
    len = nt_icmp_error(pkt, "192.0.2.254", "203.0.113.1", 3, 3, q, qlen);
    check_prefixes(n, pkt, len);
    /* Inconsistent headers. */
    len = nt_udp(pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 4);
    pkt[0] = 0x44; /* IHL 4 */
    nt_assert_verdict(lisp_nat_outbound(n, SEC(10), pkt, len), LISP_NAT_DROP);
    pkt[0] = 0x4f; /* IHL past the end */
    nt_assert_verdict(lisp_nat_outbound(n, SEC(10), pkt, len), LISP_NAT_DROP);
    pkt[0] = 0x45;
    pkt[2] = 0;
    pkt[3] = 19; /* total length shorter than the header */
    nt_assert_verdict(lisp_nat_outbound(n, SEC(10), pkt, len), LISP_NAT_DROP);
    pkt[3] = 24; /* total length cuts the UDP header */
    nt_assert_verdict(lisp_nat_outbound(n, SEC(10), pkt, len), LISP_NAT_DROP);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->reason, LISP_DROP_MALFORMED);
    assert_int_equal(nt_last(&g_h, LISP_TRACE_DROP)->err, LISP_ERR_TRUNCATED);
    /* A quoted header that is not IPv4. */
    q[0] = 0x65;
    nt_assert_verdict(
        lisp_nat_inbound(n, SEC(10), pkt,
                         nt_icmp_error(pkt, "192.0.2.254", "203.0.113.1", 3, 3, q, qlen)),
        LISP_NAT_DROP);
    /* Trailing bytes after the total length are left alone. */
    len = nt_udp(pkt, "10.0.0.1", 5000, "198.51.100.1", 53, 4);
    memset(pkt + len, 0xee, 6);
    nt_assert_verdict(lisp_nat_outbound(n, SEC(10), pkt, len + 6), LISP_NAT_FORWARD);
    nt_assert_checksums(pkt, len);
    assert_int_equal(pkt[len + 5], 0xee);
    assert_true(lisp_nat_get_stats(n)->common.drops[LISP_DROP_MALFORMED] > 0);
    lisp_nat_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icmp_echo),
        cmocka_unit_test(test_icmp_error_inbound),
        cmocka_unit_test(test_icmp_error_inbound_refused),
        cmocka_unit_test(test_icmp_error_outbound),
        cmocka_unit_test(test_hairpinning),
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_ip_options),
        cmocka_unit_test(test_checksum_corner_cases),
        cmocka_unit_test(test_passed_untouched),
        cmocka_unit_test(test_truncated_and_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
