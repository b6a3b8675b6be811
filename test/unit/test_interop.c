/*
 * test_interop.c - the engines against bytes that real implementations send, written here
 * by hand (hex) and never produced by the project's encoder: whatever the codec believes,
 * these tests hold the engines to the wire habits of lig, OOR and lispers.net
 * (docs/design.md, "Interoperability").
 *
 * HMACs are computed with OpenSSL's HMAC() over the message with the authentication field
 * zeroed (RFC 9301 section 5.6), IP and UDP checksums by the test's own RFC 1071 sum.
 *
 *   Map-Server (the ms+mr bundle, as a daemon runs it):
 *     - Map-Register with key-id 1 and a 20-byte field, key-id 2 and a 32-byte field: accepted,
 *       the Map-Notify carries the same key-id and length and its HMAC verifies the same way;
 *     - Map-Register with nonce 0 (lig): accepted and counted, refused with reject_zero_nonce;
 *     - ECM'd Map-Request: answered at the ITR-RLOC and the inner UDP source port, whatever
 *       the outer source (proxy reply and negative reply);
 *     - ECM whose inner IPv4 header checksum is 0 (lig): answered and counted.
 *   codec: a Map-Notify with xTR-ID and site-ID but the I bit clear (lispers.net) decodes and
 *     re-encodes byte for byte.
 *   xTR:
 *     - its Map-Registers carry the interoperable auth lengths (key-id 1: 20, key-id 2: 32);
 *     - a lispers.net Map-Notify (xTR-ID and site-ID appended, I bit clear) completes the
 *       registration.
 */
#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_xtr_harness.h"

#define MS_KEY1 "interop-sha1"
#define MS_KEY2 "interop-sha256"

/* ---- bytes by hand ---- */

/* Hex text (spaces and newlines ignored) into out; returns the byte count. */
static size_t hex(uint8_t *out, size_t cap, const char *text)
{
    size_t n = 0;
    int hi = -1;

    for (; *text; text++) {
        int v;
        if (*text >= '0' && *text <= '9')
            v = *text - '0';
        else if (*text >= 'a' && *text <= 'f')
            v = *text - 'a' + 10;
        else if (*text >= 'A' && *text <= 'F')
            v = *text - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
            continue;
        }
        assert_true(n < cap);
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    assert_int_equal(hi, -1);
    return n;
}

/* OpenSSL's HMAC (SHA-1 for key-id 1, SHA-256 for 2) over msg with the auth field, at byte
 * 16 after the 16-bit key-id and length (bytes 12..15), zeroed. */
static void openssl_hmac(uint16_t key_id, const char *key, const uint8_t *msg, size_t len,
                         uint8_t *out, unsigned *out_len)
{
    uint8_t copy[2048];
    uint16_t auth_len = (uint16_t)(msg[14] << 8 | msg[15]);

    assert_true(len <= sizeof copy && 16u + auth_len <= len);
    memcpy(copy, msg, len);
    memset(copy + 16, 0, auth_len);
    assert_non_null(HMAC(key_id == 1 ? EVP_sha1() : EVP_sha256(), key, (int)strlen(key), copy, len,
                         out, out_len));
}

/* Write the HMAC into the auth field of msg, truncated to the field's length. */
static void sign(uint16_t key_id, const char *key, uint8_t *msg, size_t len)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned mac_len;
    uint16_t auth_len = (uint16_t)(msg[14] << 8 | msg[15]);

    openssl_hmac(key_id, key, msg, len, mac, &mac_len);
    assert_true(auth_len <= mac_len);
    memcpy(msg + 16, mac, auth_len);
}

/* The auth field of msg is the HMAC of key_id with key, in full (20 or 32 bytes). */
static void assert_signed(uint16_t key_id, const char *key, const uint8_t *msg, size_t len)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned mac_len;

    assert_int_equal(msg[12] << 8 | msg[13], key_id);
    assert_int_equal(msg[14] << 8 | msg[15], key_id == 1 ? 20 : 32);
    openssl_hmac(key_id, key, msg, len, mac, &mac_len);
    assert_int_equal(mac_len, key_id == 1 ? 20 : 32);
    assert_memory_equal(msg + 16, mac, mac_len);
}

/* RFC 1071 one's-complement sum, folded. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)(p[len - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return sum;
}

/*
 * An ECM (4 bytes) with an inner IPv4 (20) + UDP (8) header around the Map-Request in
 * lisp[0..lisp_len): inner src -> dst, UDP sport -> 4342. The UDP checksum is always right;
 * the IPv4 header checksum is right unless zero_ip_checksum (what lig sends).
 */
static size_t ecm(uint8_t *out, const char *src, const char *dst, uint16_t sport,
                  const uint8_t *lisp, size_t lisp_len, bool zero_ip_checksum)
{
    uint8_t *ip = out + 4, *udp = ip + 20;
    uint16_t udp_len = (uint16_t)(8 + lisp_len), total = (uint16_t)(20 + udp_len), c;
    uint8_t pseudo[12];

    memset(out, 0, 32);
    out[0] = 0x80; /* type 8, no flags */
    ip[0] = 0x45;
    ip[2] = (uint8_t)(total >> 8);
    ip[3] = (uint8_t)total;
    ip[8] = 64;
    ip[9] = 17;
    assert_int_equal(inet_pton(AF_INET, src, ip + 12), 1);
    assert_int_equal(inet_pton(AF_INET, dst, ip + 16), 1);
    if (!zero_ip_checksum) {
        c = (uint16_t)~sum16(0, ip, 20);
        ip[10] = (uint8_t)(c >> 8);
        ip[11] = (uint8_t)c;
    }
    udp[0] = (uint8_t)(sport >> 8);
    udp[1] = (uint8_t)sport;
    udp[2] = 0x10; /* 4342 */
    udp[3] = 0xF6;
    udp[4] = (uint8_t)(udp_len >> 8);
    udp[5] = (uint8_t)udp_len;
    memcpy(udp + 8, lisp, lisp_len);
    memcpy(pseudo, ip + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 17;
    pseudo[10] = (uint8_t)(udp_len >> 8);
    pseudo[11] = (uint8_t)udp_len;
    c = (uint16_t)~sum16(sum16(0, pseudo, 12), udp, udp_len);
    if (c == 0)
        c = 0xFFFF;
    udp[6] = (uint8_t)(c >> 8);
    udp[7] = (uint8_t)c;
    return 4 + total;
}

/* ---- the Map-Server and Map-Resolver (ms+mr bundle) ---- */

static lisp_engine *g_e;
static lisp_ms_site_config g_sites[2];
static lisp_ms_prefix_config g_prefixes[2];

static void msmr_start(bool reject_zero_nonce)
{
    const lisp_role_desc *r = lisp_role_find("ms+mr");
    lisp_ms_mr_config cfg;

    memset(g_sites, 0, sizeof g_sites);
    memset(g_prefixes, 0, sizeof g_prefixes);
    g_prefixes[0].prefix = lt_eid("10.1.0.0", 16, 0);
    g_prefixes[1].prefix = lt_eid("10.2.0.0", 16, 0);
    g_sites[0] = (lisp_ms_site_config){"sha1",
                                       LISP_KEY_ID_HMAC_SHA1_96,
                                       (const uint8_t *)MS_KEY1,
                                       strlen(MS_KEY1),
                                       &g_prefixes[0],
                                       1,
                                       false};
    g_sites[1] = (lisp_ms_site_config){"sha256",
                                       LISP_KEY_ID_HMAC_SHA256_128,
                                       (const uint8_t *)MS_KEY2,
                                       strlen(MS_KEY2),
                                       &g_prefixes[1],
                                       1,
                                       false};
    assert_non_null(r);
    r->config_default(&cfg);
    cfg.ms.sites = g_sites;
    cfg.ms.n_sites = 2;
    cfg.ms.reject_zero_nonce = reject_zero_nonce;
    fake_io_init(&g_io, 7);
    g_e = r->create(&cfg, &g_io.host, T0);
    assert_non_null(g_e);
}

static int msmr_teardown(void **state)
{
    (void)state;
    lisp_engine_free(g_e);
    g_e = NULL;
    return 0;
}

static const lisp_ms_stats *ms_stats(void)
{
    return lisp_ms_get_stats(lisp_ms_mr_ms(g_e));
}

/* A datagram from `from` to the Map-Server's 203.0.113.10:4342, as an exact heap copy. */
static int to_msmr(const char *from, uint16_t port, const uint8_t *p, size_t len)
{
    lisp_dgram d;
    uint8_t *copy = malloc(len);
    int rc;

    assert_non_null(copy);
    memcpy(copy, p, len);
    memset(&d, 0, sizeof d);
    d.src = lt_endpoint(from, port);
    d.dst = lt_endpoint("203.0.113.10", LISP_CONTROL_PORT);
    rc = lisp_engine_input(g_e, T0 + SEC(1), &d, copy, len);
    free(copy);
    return rc;
}

/*
 * A Map-Register as lig and OOR write it: M bit, one record (TTL 1440, A bit) for eid/16 with
 * one locator 192.0.2.1 (priority 1, weight 100, m-priority 255, R bit), key-id and an auth
 * field of auth_len zero bytes.
 */
static size_t map_register(uint8_t *out, uint64_t nonce, uint16_t key_id, uint16_t auth_len,
                           uint8_t eid_second_octet)
{
    uint8_t *p = out;
    size_t n;
    int i;

    p += hex(p, 16, "30000101"); /* type 3, M (want Map-Notify), 1 record */
    for (i = 7; i >= 0; i--)
        *p++ = (uint8_t)(nonce >> (8 * i));
    *p++ = (uint8_t)(key_id >> 8);
    *p++ = (uint8_t)key_id;
    *p++ = (uint8_t)(auth_len >> 8);
    *p++ = (uint8_t)auth_len;
    memset(p, 0, auth_len);
    p += auth_len;
    n = hex(p, 64,
            "000005a0 01 10 1000 0000 0001 0a000000" /* TTL, 1 loc, /16, A, v0, 10.x */
            "01 64 ff 00 0001 0001 c0000201");       /* 1/100 255/0 R 192.0.2.1 */
    p[13] = eid_second_octet;
    return (size_t)(p + n - out);
}

static void check_register_and_notify(uint16_t key_id, const char *key, uint16_t auth_len,
                                      uint8_t site_octet)
{
    uint8_t msg[256];
    const fake_packet *n;
    size_t len = map_register(msg, 0x0102030405060708ull, key_id, auth_len, site_octet);

    assert_int_equal(len, 16 + auth_len + 28);
    sign(key_id, key, msg, len);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    assert_int_equal(ms_stats()->map_registers, 1);
    assert_int_equal(ms_stats()->records_accepted, 1);
    /* The Map-Notify: to the Map-Register's source address and port, from 4342, our nonce,
     * the same record, the interoperable length of the key-id, and an HMAC that verifies as
     * OOR and lispers.net verify it. */
    assert_int_equal(g_io.n_sent, 1);
    n = &g_io.sent[0];
    lt_assert_endpoint(&n->dst, "192.0.2.1", 53000);
    assert_int_equal(n->src.port, LISP_CONTROL_PORT);
    assert_int_equal(n->len, 16 + (key_id == 1 ? 20 : 32) + 28);
    assert_int_equal(n->data[0], 0x40);
    assert_memory_equal(n->data + 4, msg + 4, 8);
    assert_signed(key_id, key, n->data, n->len);
    assert_memory_equal(n->data + n->len - 28, msg + len - 28, 28);
}

static void test_ms_key_id_1_twenty_bytes(void **state)
{
    (void)state;
    msmr_start(false);
    check_register_and_notify(1, MS_KEY1, 20, 1);
}

static void test_ms_key_id_2_thirty_two_bytes(void **state)
{
    (void)state;
    msmr_start(false);
    check_register_and_notify(2, MS_KEY2, 32, 2);
}

static void test_ms_rfc_lengths_and_wrong_key(void **state)
{
    uint8_t msg[256];
    size_t len;
    (void)state;

    msmr_start(false);
    /* The RFC's truncated fields (12 and 16 bytes) are accepted too ... */
    len = map_register(msg, 1, 1, 12, 1);
    sign(1, MS_KEY1, msg, len);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    len = map_register(msg, 2, 2, 16, 2);
    sign(2, MS_KEY2, msg, len);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    assert_int_equal(ms_stats()->map_registers, 2);
    /* ... while our answers keep the interoperable lengths. */
    assert_int_equal(g_io.n_sent, 2);
    assert_signed(1, MS_KEY1, g_io.sent[0].data, g_io.sent[0].len);
    assert_signed(2, MS_KEY2, g_io.sent[1].data, g_io.sent[1].len);
    /* A wrong key, or the other site's key-id, gets nothing. */
    len = map_register(msg, 3, 1, 20, 1);
    sign(1, "not-the-key", msg, len);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    len = map_register(msg, 4, 2, 32, 1);
    sign(2, MS_KEY1, msg, len);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    assert_int_equal(g_io.n_sent, 2);
    assert_int_equal(ms_stats()->map_registers, 2);
    assert_int_equal(ms_stats()->common.drops[LISP_DROP_AUTH_FAILED], 2);
}

static void test_ms_zero_nonce(void **state)
{
    uint8_t msg[256];
    size_t len = map_register(msg, 0, 1, 20, 1);
    (void)state;

    sign(1, MS_KEY1, msg, len);
    msmr_start(false);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len)); /* lig repeats it: still accepted */
    assert_int_equal(ms_stats()->map_registers, 2);
    assert_int_equal(ms_stats()->records_accepted, 2);
    assert_int_equal(ms_stats()->map_registers_zero_nonce, 2);
    assert_int_equal(g_io.n_sent, 2);
    assert_memory_equal(g_io.sent[0].data + 4, "\0\0\0\0\0\0\0\0", 8);
    assert_signed(1, MS_KEY1, g_io.sent[0].data, g_io.sent[0].len);
    msmr_teardown(NULL);

    msmr_start(true);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    assert_int_equal(ms_stats()->records_accepted, 0);
    assert_int_equal(g_io.n_sent, 0);
}

/* A Map-Request as lig writes it: no flags, 1 ITR-RLOC (itr_rloc), no source EID, one record
 * eid/32. */
static size_t map_request(uint8_t *out, const char *itr_rloc, const char *eid)
{
    size_t n = hex(out, 64, "10000001 a1a2a3a4a5a6a7a8 0000 0001 00000000 00 20 0001 00000000");

    assert_int_equal(n, 28);
    assert_int_equal(inet_pton(AF_INET, itr_rloc, out + 16), 1);
    assert_int_equal(inet_pton(AF_INET, eid, out + 24), 1);
    return n;
}

/* Register 10.1.0.0/16 -> 192.0.2.1 with the P bit (proxy reply), then forget the notify. */
static void register_proxy(void)
{
    uint8_t msg[256];
    size_t len = map_register(msg, 0x77, 1, 20, 1);

    msg[0] = 0x38; /* P bit */
    sign(1, MS_KEY1, msg, len);
    lt_assert_ok(to_msmr("192.0.2.1", 53000, msg, len));
    assert_int_equal(ms_stats()->records_accepted, 1);
    fake_io_clear(&g_io);
}

/* The one reply sent: a Map-Reply with lig's nonce to 192.0.2.99:61234 from port 4342. */
static const fake_packet *reply_at_inner_port(void)
{
    const fake_packet *p;

    assert_int_equal(g_io.n_sent, 1);
    p = &g_io.sent[0];
    lt_assert_endpoint(&p->dst, "192.0.2.99", 61234);
    assert_int_equal(p->src.port, LISP_CONTROL_PORT);
    assert_int_equal(p->data[0] >> 4, LISP_MAP_REPLY);
    assert_memory_equal(p->data + 4, "\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8", 8);
    return p;
}

static void test_ecm_answered_at_inner_port(void **state)
{
    uint8_t req[64], msg[256];
    const fake_packet *p;
    size_t len;
    (void)state;

    msmr_start(false);
    register_proxy();
    /* Outer source 198.51.100.7:50000 (say, a NAT); inner source and ITR-RLOC 192.0.2.99,
     * inner UDP source port 61234. */
    len = ecm(msg, "192.0.2.99", "10.1.1.1", 61234, req, map_request(req, "192.0.2.99", "10.1.1.1"),
              false);
    lt_assert_ok(to_msmr("198.51.100.7", 50000, msg, len));
    p = reply_at_inner_port();
    /* One record 10.1.0.0/16, not authoritative (a proxy reply), one locator 192.0.2.1 1/100. */
    assert_int_equal(p->data[3], 1);
    assert_int_equal(p->len, 12 + 16 + 12);
    assert_memory_equal(p->data + 16, "\x01\x10", 2);
    assert_int_equal(p->data[18] & 0x10, 0);
    assert_memory_equal(p->data + 22, "\x00\x01\x0a\x01\x00\x00", 6);
    assert_memory_equal(p->data + 28, "\x01\x64\xff\x00", 4);
    assert_memory_equal(p->data + 34, "\x00\x01\xc0\x00\x02\x01", 6);

    /* The ITR-RLOC, not the inner source address, is where the answer goes. */
    fake_io_clear(&g_io);
    len = ecm(msg, "192.0.2.50", "10.1.1.1", 61234, req, map_request(req, "192.0.2.99", "10.1.1.1"),
              false);
    lt_assert_ok(to_msmr("198.51.100.7", 50000, msg, len));
    reply_at_inner_port();

    /* Outside every configured prefix: the Map-Resolver's negative reply, same place. */
    fake_io_clear(&g_io);
    len = ecm(msg, "192.0.2.99", "11.0.0.1", 61234, req, map_request(req, "192.0.2.99", "11.0.0.1"),
              false);
    lt_assert_ok(to_msmr("198.51.100.7", 50000, msg, len));
    p = reply_at_inner_port();
    assert_int_equal(p->data[16], 0); /* no locators */
    assert_int_equal(p->data[18] >> 5, LISP_ACT_NATIVELY_FORWARD);
    assert_int_equal(p->data[18] & 0x10, 0x10); /* authoritative */
}

static void test_ecm_zero_inner_ip_checksum(void **state)
{
    uint8_t req[64], msg[256];
    size_t len;
    (void)state;

    msmr_start(false);
    register_proxy();
    len = ecm(msg, "192.0.2.99", "10.1.1.1", 61234, req, map_request(req, "192.0.2.99", "10.1.1.1"),
              true);
    assert_int_equal(msg[4 + 10] | msg[4 + 11], 0);
    lt_assert_ok(to_msmr("198.51.100.7", 50000, msg, len));
    reply_at_inner_port();
    /* Each engine that took it counts it: the Map-Resolver, then the co-located Map-Server
     * it handed the datagram to. */
    assert_int_equal(lisp_mr_get_stats(lisp_ms_mr_mr(g_e))->ecm_bad_inner_checksum, 1);
    assert_int_equal(ms_stats()->ecm_bad_inner_checksum, 1);
    /* A wrong inner UDP checksum (it covers the addresses) is still refused. */
    fake_io_clear(&g_io);
    msg[4 + 20 + 6] ^= 0x55;
    to_msmr("198.51.100.7", 50000, msg, len);
    assert_int_equal(g_io.n_sent, 0);
}

/* ---- the xTR ---- */

static void xtr_register_with(uint16_t key_id)
{
    lisp_xtr_config c;
    const fake_packet *p;

    xh_base_config(&c);
    c.map_servers[0].key_id = key_id;
    xh_start(&c);
    lisp_xtr_start(g_x, T0);
    assert_int_equal(g_io.n_sent, 1);
    p = &g_io.sent[0];
    assert_int_equal(p->data[0] >> 4, LISP_MAP_REGISTER);
    assert_signed(key_id, XH_KEY, p->data, p->len);
}

static void test_xtr_register_key_id_1(void **state)
{
    (void)state;
    xtr_register_with(LISP_KEY_ID_HMAC_SHA1_96);
}

static void test_xtr_register_key_id_2(void **state)
{
    (void)state;
    xtr_register_with(LISP_KEY_ID_HMAC_SHA256_128);
}

/* A Map-Notify as lispers.net sends it: type 4 with the I bit clear, a nonce (zero here),
 * key-id 1 (20 bytes, zero here), one record 10.1.0.0/16 -> 192.0.2.1, then xTR-ID
 * 00..0f and site-ID 10..17 anyway. */
#define LISPERS_NOTIFY                                                                             \
    "40000001 0000000000000000 0001 0014 0000000000000000000000000000000000000000"                 \
    "000005a0 01 10 1000 0000 0001 0a010000 01 64 ff 00 0001 0001 c0000201"                        \
    "000102030405060708090a0b0c0d0e0f 1011121314151617"
#define LISPERS_NOTIFY_LEN (4 + 8 + 4 + 20 + 28 + 16 + 8)

/* The codec takes the unflagged IDs of exactly that form, and writes them back the same. */
static void test_codec_lispers_notify_ids(void **state)
{
    static lisp_msg m;
    uint8_t msg[256], out[256];
    size_t len = hex(msg, sizeof msg, LISPERS_NOTIFY), out_len, i;
    (void)state;

    assert_int_equal(len, LISPERS_NOTIFY_LEN);
    lt_assert_ok(lisp_msg_decode(&m, msg, len));
    assert_int_equal(m.type, LISP_MAP_NOTIFY);
    assert_int_equal(m.u.mreg.flags, 0);
    assert_true(m.u.mreg.unflagged_ids);
    for (i = 0; i < LISP_XTR_ID_LEN; i++)
        assert_int_equal(m.u.mreg.xtr_id[i], i);
    for (i = 0; i < LISP_SITE_ID_LEN; i++)
        assert_int_equal(m.u.mreg.site_id[i], 0x10 + i);
    lt_assert_ok(lisp_msg_encode(&m, out, sizeof out, &out_len));
    assert_int_equal(out_len, len);
    assert_memory_equal(out, msg, len);
    /* Only exactly 24 bytes: one more or one less is still left over. */
    lt_assert_rc(lisp_msg_decode(&m, msg, len - 1), LISP_ERR_BAD_LENGTH);
    msg[len] = 0;
    lt_assert_rc(lisp_msg_decode(&m, msg, len + 1), LISP_ERR_BAD_LENGTH);
    /* A Map-Notify-Ack, or a Map-Notify with the R bit, has no such form. */
    msg[0] = 0x50;
    lt_assert_rc(lisp_msg_decode(&m, msg, len), LISP_ERR_BAD_LENGTH);
    msg[0] = 0x44;
    assert_true(lisp_msg_decode(&m, msg, len) < 0);
    /* With the I bit the same bytes are the ordinary form. */
    msg[0] = 0x48;
    lt_assert_ok(lisp_msg_decode(&m, msg, len));
    assert_false(m.u.mreg.unflagged_ids);
    assert_int_equal(m.u.mreg.flags, LISP_MNOT_F_I);
}

/* The Map-Notify lispers.net sends for our Map-Register (LISPERS_NOTIFY with our nonce and
 * the HMAC over everything, the trailing IDs included). */
static void test_xtr_lispers_notify_trailing_ids(void **state)
{
    uint8_t msg[256];
    lisp_endpoint src = lt_endpoint("203.0.113.10", LISP_CONTROL_PORT);
    lisp_endpoint dst = lt_endpoint("192.0.2.1", LISP_CONTROL_PORT);
    size_t len;
    (void)state;

    xtr_register_with(LISP_KEY_ID_HMAC_SHA1_96);
    len = hex(msg, sizeof msg, LISPERS_NOTIFY);
    memcpy(msg + 4, g_io.sent[0].data + 4, 8); /* the nonce of our Map-Register */
    sign(1, XH_KEY, msg, len);
    fake_io_clear(&g_io);
    lt_assert_ok(xh_udp(T0 + MS(20), &src, &dst, 64, 0, msg, len));
    assert_true(lisp_xtr_registered(g_x));
    assert_int_equal(lisp_xtr_get_stats(g_x)->map_notifies_received, 1);
    assert_int_equal(xh_count_state("registration", "registering", "registered", "notify"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_ms_key_id_1_twenty_bytes, msmr_teardown),
        cmocka_unit_test_teardown(test_ms_key_id_2_thirty_two_bytes, msmr_teardown),
        cmocka_unit_test_teardown(test_ms_rfc_lengths_and_wrong_key, msmr_teardown),
        cmocka_unit_test_teardown(test_ms_zero_nonce, msmr_teardown),
        cmocka_unit_test_teardown(test_ecm_answered_at_inner_port, msmr_teardown),
        cmocka_unit_test_teardown(test_ecm_zero_inner_ip_checksum, msmr_teardown),
        cmocka_unit_test(test_codec_lispers_notify_ids),
        cmocka_unit_test_teardown(test_xtr_register_key_id_1, xh_teardown),
        cmocka_unit_test_teardown(test_xtr_register_key_id_2, xh_teardown),
        cmocka_unit_test_teardown(test_xtr_lispers_notify_trailing_ids, xh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
