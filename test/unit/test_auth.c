/*
 * test_auth.c - unit tests for lisp_auth.c: HMAC known answers (RFC 2202, RFC 4231) and
 * the authentication data of Map-Register, Map-Notify, Map-Notify-Ack and Info messages
 * (RFC 9301 section 5.6), checked against OpenSSL's one-shot HMAC() as an independent path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lisp_test_util.h"

#define AUTH_OFF 16 /* word, nonce, key-id, auth length */

static lisp_msg g_msg, g_out;
static uint8_t g_wire[LISP_MSG_MAX];

static const uint8_t test_key[] = {'l', 'i', 's', 'p', '-', 'k', 'e', 'y'};

/* ---------------------------------------------------------------------------------------- */
/* lisp_hmac known answers                                                                  */
/* ---------------------------------------------------------------------------------------- */

typedef struct hmac_vector {
    const char *name;
    uint8_t key_byte; /* key_len bytes of key_byte, unless key is set */
    size_t key_len;
    const char *key;
    uint8_t data_byte; /* data_len bytes of data_byte, unless data is set */
    size_t data_len;
    const char *data;
    const char *digest_hex;
} hmac_vector;

static size_t from_hex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    unsigned v;
    for (; hex[0] && hex[1]; hex += 2) {
        assert_int_equal(sscanf(hex, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static void check_vector(uint16_t key_id, const hmac_vector *t)
{
    uint8_t key[160], data[200], want[LISP_HMAC_MAX], got[LISP_HMAC_MAX];
    size_t key_len, data_len, want_len, got_len = 0;

    if (t->key) {
        key_len = strlen(t->key);
        memcpy(key, t->key, key_len);
    } else {
        key_len = t->key_len;
        memset(key, t->key_byte, key_len);
        if (t->key_byte == 0) /* 0x01, 0x02, ... 0x19 */
            for (size_t i = 0; i < key_len; i++)
                key[i] = (uint8_t)(i + 1);
    }
    if (t->data) {
        data_len = strlen(t->data);
        memcpy(data, t->data, data_len);
    } else {
        data_len = t->data_len;
        memset(data, t->data_byte, data_len);
    }
    want_len = from_hex(t->digest_hex, want);
    lt_assert_ok(lisp_hmac(key_id, key, key_len, data, data_len, got, &got_len));
    assert_int_equal(got_len, key_id == LISP_KEY_ID_HMAC_SHA1_96 ? 20 : 32);
    if (memcmp(got, want, want_len) != 0) {
        lt_hexdump("computed", got, got_len);
        lt_hexdump("expected", want, want_len);
        fail_msg("%s", t->name);
    }
}

static void test_hmac_sha1_rfc2202(void **state)
{
    static const hmac_vector v[] = {
        {"RFC 2202 test case 1", 0x0b, 20, NULL, 0, 0, "Hi There",
         "b617318655057264e28bc0b6fb378c8ef146be00"},
        {"RFC 2202 test case 2", 0, 0, "Jefe", 0, 0, "what do ya want for nothing?",
         "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
        {"RFC 2202 test case 3", 0xaa, 20, NULL, 0xdd, 50, NULL,
         "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
        {"RFC 2202 test case 4", 0x00, 25, NULL, 0xcd, 50, NULL,
         "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
        {"RFC 2202 test case 5 (96-bit truncation)", 0x0c, 20, NULL, 0, 0, "Test With Truncation",
         "4c1a03424b55e07fe7f27be1"},
        {"RFC 2202 test case 6", 0xaa, 80, NULL, 0, 0,
         "Test Using Larger Than Block-Size Key - Hash Key First",
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
        {"RFC 2202 test case 7", 0xaa, 80, NULL, 0, 0,
         "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
         "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof v / sizeof v[0]; i++)
        check_vector(LISP_KEY_ID_HMAC_SHA1_96, &v[i]);
}

static void test_hmac_sha256_rfc4231(void **state)
{
    static const hmac_vector v[] = {
        {"RFC 4231 test case 1", 0x0b, 20, NULL, 0, 0, "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"RFC 4231 test case 2", 0, 0, "Jefe", 0, 0, "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {"RFC 4231 test case 3", 0xaa, 20, NULL, 0xdd, 50, NULL,
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {"RFC 4231 test case 4", 0x00, 25, NULL, 0xcd, 50, NULL,
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {"RFC 4231 test case 5 (128-bit truncation)", 0x0c, 20, NULL, 0, 0, "Test With Truncation",
         "a3b6167473100ee06e0c796c2955552b"},
        {"RFC 4231 test case 6", 0xaa, 131, NULL, 0, 0,
         "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {"RFC 4231 test case 7", 0xaa, 131, NULL, 0, 0,
         "This is a test using a larger than block-size key and a larger than block-size "
         "data. The key needs to be hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof v / sizeof v[0]; i++)
        check_vector(LISP_KEY_ID_HMAC_SHA256_128, &v[i]);
}

static void test_hmac_edge_cases(void **state)
{
    static const hmac_vector empty1 = {"empty key and data, SHA-1",
                                       0,
                                       0,
                                       "",
                                       0,
                                       0,
                                       "",
                                       "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d"};
    static const hmac_vector empty2 = {
        "empty key and data, SHA-256",
        0,
        0,
        "",
        0,
        0,
        "",
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"};
    uint8_t out[LISP_HMAC_MAX];
    size_t out_len;

    (void)state;
    check_vector(LISP_KEY_ID_HMAC_SHA1_96, &empty1);
    check_vector(LISP_KEY_ID_HMAC_SHA256_128, &empty2);
    lt_assert_rc(lisp_hmac(LISP_KEY_ID_NONE, test_key, sizeof test_key, test_key, 1, out, &out_len),
                 LISP_ERR_BAD_KEY_ID);
    lt_assert_rc(lisp_hmac(3, test_key, sizeof test_key, test_key, 1, out, &out_len),
                 LISP_ERR_BAD_KEY_ID);
}

static void test_lengths_per_key_id(void **state)
{
    unsigned len;

    (void)state;
    assert_int_equal(lisp_auth_default_len(LISP_KEY_ID_NONE), 0);
    assert_int_equal(lisp_auth_default_len(LISP_KEY_ID_HMAC_SHA1_96), 20);
    assert_int_equal(lisp_auth_default_len(LISP_KEY_ID_HMAC_SHA256_128), 32);
    assert_int_equal(lisp_auth_default_len(3), 0);
    assert_int_equal(lisp_auth_default_len(0xFFFF), 0);
    for (len = 0; len <= 70; len++) {
        assert_int_equal(lisp_auth_len_valid(LISP_KEY_ID_NONE, (uint16_t)len), len == 0);
        assert_int_equal(lisp_auth_len_valid(LISP_KEY_ID_HMAC_SHA1_96, (uint16_t)len),
                         len == 12 || len == 20);
        assert_int_equal(lisp_auth_len_valid(LISP_KEY_ID_HMAC_SHA256_128, (uint16_t)len),
                         len == 16 || len == 32);
        assert_false(lisp_auth_len_valid(3, (uint16_t)len));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Signing and verifying messages                                                           */
/* ---------------------------------------------------------------------------------------- */

/* The Map-Register of test_msg.c's known answer (P, I, R, M; one record; xTR-ID, site-ID)
 * with key-id 1 / 20 bytes and key-id 2 / 32 bytes, and its HMAC under "lisp-key"
 * computed by an independent script. */
/* clang-format off */
#define KAT_RECORD                                                                               \
    0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x01, 0x00,    \
        0x00, 0x01, 0x32, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01, 0x00,     \
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,     \
        0x0f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7
/* clang-format on */
#define KAT_HEAD 0x3b, 0x00, 0x01, 0x01, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
#define ZEROS_16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
/* clang-format off */
static const uint8_t kat_reg_sha1[] = {
    KAT_HEAD, 0x00, 0x01, 0x00, 0x14, ZEROS_16, 0, 0, 0, 0, KAT_RECORD,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_reg_sha256[] = {
    KAT_HEAD, 0x00, 0x02, 0x00, 0x20, ZEROS_16, ZEROS_16, KAT_RECORD,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_mac_sha1[20] = {
    0x85, 0x99, 0xd3, 0x63, 0x56, 0x6b, 0x9f, 0x4c, 0x52, 0xe9,
    0xaa, 0x51, 0x92, 0xad, 0x2f, 0xf7, 0x22, 0x1d, 0xf8, 0x7e,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_mac_sha256[32] = {
    0xda, 0x6a, 0x92, 0xde, 0x49, 0xc1, 0xf0, 0xa9, 0xa6, 0x99, 0x9a, 0xca, 0x94, 0x94, 0x20, 0xcf,
    0x27, 0x6c, 0xb5, 0x6a, 0x3b, 0x07, 0x81, 0x98, 0x5f, 0x61, 0x3d, 0x14, 0x5b, 0xc7, 0x27, 0x7d,
};
/* clang-format on */

/* HMAC of msg[0..len) with the field already zero, via OpenSSL's one-shot HMAC(). */
static void independent_hmac(uint16_t key_id, const uint8_t *key, size_t key_len,
                             const uint8_t *msg, size_t len, uint8_t out[LISP_HMAC_MAX])
{
    unsigned int out_len = 0;
    const EVP_MD *md = key_id == LISP_KEY_ID_HMAC_SHA1_96 ? EVP_sha1() : EVP_sha256();
    assert_non_null(HMAC(md, key, (int)key_len, msg, len, out, &out_len));
    assert_int_equal(out_len, key_id == LISP_KEY_ID_HMAC_SHA1_96 ? 20 : 32);
}

static void check_kat(const uint8_t *kat, size_t len, uint16_t key_id, const uint8_t *mac,
                      size_t mac_len)
{
    uint8_t *buf = malloc(len);
    uint8_t ref[LISP_HMAC_MAX];

    assert_non_null(buf);
    memcpy(buf, kat, len);
    independent_hmac(key_id, test_key, sizeof test_key, kat, len, ref);
    assert_memory_equal(ref, mac, mac_len);

    lt_assert_rc(lisp_auth_verify(buf, len, test_key, sizeof test_key, false), LISP_ERR_AUTH);
    lt_assert_ok(lisp_auth_sign(buf, len, test_key, sizeof test_key));
    assert_memory_equal(buf + AUTH_OFF, mac, mac_len);
    assert_memory_equal(buf, kat, AUTH_OFF);
    assert_memory_equal(buf + AUTH_OFF + mac_len, kat + AUTH_OFF + mac_len,
                        len - AUTH_OFF - mac_len);
    lt_assert_ok(lisp_auth_verify(buf, len, test_key, sizeof test_key, false));
    lt_assert_ok(lisp_auth_verify(buf, len, test_key, sizeof test_key, true));
    /* The signed message still decodes, with the MAC as its authentication data. */
    lt_assert_ok(lisp_msg_decode(&g_out, buf, len));
    assert_int_equal(g_out.u.mreg.key_id, key_id);
    assert_int_equal(g_out.u.mreg.auth_len, mac_len);
    assert_memory_equal(g_out.u.mreg.auth, mac, mac_len);
    free(buf);
}

static void test_map_register_known_answer(void **state)
{
    (void)state;
    check_kat(kat_reg_sha1, sizeof kat_reg_sha1, LISP_KEY_ID_HMAC_SHA1_96, kat_mac_sha1, 20);
    check_kat(kat_reg_sha256, sizeof kat_reg_sha256, LISP_KEY_ID_HMAC_SHA256_128, kat_mac_sha256,
              32);
}

/* Encode m (auth data zero), sign it, and compare with the independent HMAC. */
static size_t sign_and_check(const lisp_msg *m, uint16_t key_id, uint16_t auth_len,
                             const uint8_t *key, size_t key_len)
{
    uint8_t ref[LISP_HMAC_MAX];
    static uint8_t unsigned_copy[LISP_MSG_MAX];
    size_t len = 0, i;

    lt_assert_ok(lisp_msg_encode(m, g_wire, sizeof g_wire, &len));
    assert_int_equal(g_wire[13], key_id);
    assert_int_equal(g_wire[15], auth_len);
    for (i = 0; i < auth_len; i++)
        assert_int_equal(g_wire[AUTH_OFF + i], 0);
    memcpy(unsigned_copy, g_wire, len);
    independent_hmac(key_id, key, key_len, g_wire, len, ref);

    lt_assert_ok(lisp_auth_sign(g_wire, len, key, key_len));
    assert_memory_equal(g_wire + AUTH_OFF, ref, auth_len); /* leading bytes of the HMAC */
    assert_memory_equal(g_wire, unsigned_copy, AUTH_OFF);
    assert_memory_equal(g_wire + AUTH_OFF + auth_len, unsigned_copy + AUTH_OFF + auth_len,
                        len - AUTH_OFF - auth_len);
    lt_assert_ok(lisp_auth_verify(g_wire, len, key, key_len, false));
    /* Signing is idempotent: the field is zeroed for the computation. */
    lt_assert_ok(lisp_auth_sign(g_wire, len, key, key_len));
    assert_memory_equal(g_wire + AUTH_OFF, ref, auth_len);
    lt_assert_ok(lisp_msg_decode(&g_out, g_wire, len));
    return len;
}

static void sample(lisp_msg *m, unsigned kind, uint16_t key_id, uint16_t auth_len)
{
    switch (kind) {
    case 0:
        lt_sample_map_register(m, LISP_MAP_REGISTER, LISP_MREG_F_I | LISP_MREG_F_M, key_id,
                               auth_len);
        break;
    case 1:
        lt_sample_map_register(m, LISP_MAP_NOTIFY, LISP_MNOT_F_I | LISP_MNOT_F_R, key_id, auth_len);
        m->u.mreg.msrtr_key_id = LISP_KEY_ID_HMAC_SHA1_96;
        m->u.mreg.msrtr_auth_len = 20;
        break;
    case 2:
        lt_sample_map_register(m, LISP_MAP_NOTIFY_ACK, 0, key_id, auth_len);
        break;
    case 3:
        lt_sample_info_request(m, key_id, auth_len, NULL);
        break;
    case 4:
        lt_sample_info_request(m, key_id, auth_len, "xtr.example");
        break;
    default:
        lt_sample_info_request(m, key_id, auth_len, NULL);
        m->u.info.flags = LISP_INFO_F_R;
        m->u.info.natt.ms_port = 4342;
        m->u.info.natt.etr_port = 61000;
        m->u.info.natt.global_etr = lt_ip("203.0.113.5");
        m->u.info.natt.ms = lt_ip("198.51.100.1");
        m->u.info.natt.private_etr = lt_ip("10.0.0.2");
        m->u.info.natt.rtr_count = 1;
        m->u.info.natt.rtrs[0] = lt_ip("2001:db8::99");
        break;
    }
}

static const struct {
    uint16_t key_id, len;
} key_lens[] = {{1, 20}, {2, 32}, {1, 12}, {2, 16}};

static void test_sign_matches_independent_hmac(void **state)
{
    static const uint8_t long_key[100] = {0x5a, 0x5b};
    unsigned kind, k;

    (void)state;
    for (kind = 0; kind < 6; kind++)
        for (k = 0; k < sizeof key_lens / sizeof key_lens[0]; k++) {
            sample(&g_msg, kind, key_lens[k].key_id, key_lens[k].len);
            sign_and_check(&g_msg, key_lens[k].key_id, key_lens[k].len, test_key, sizeof test_key);
            sign_and_check(&g_msg, key_lens[k].key_id, key_lens[k].len, long_key, sizeof long_key);
            sign_and_check(&g_msg, key_lens[k].key_id, key_lens[k].len, test_key, 1);
        }
}

static void test_verify_rejects_any_bit_flip(void **state)
{
    uint8_t key[sizeof test_key];
    size_t len, i, bit, k;
    int rc;

    (void)state;
    for (k = 0; k < sizeof key_lens / sizeof key_lens[0]; k++) {
        sample(&g_msg, (unsigned)k, key_lens[k].key_id, key_lens[k].len);
        len =
            sign_and_check(&g_msg, key_lens[k].key_id, key_lens[k].len, test_key, sizeof test_key);
        /* Every bit of the message, including the MAC itself and the key-id. */
        for (i = 0; i < len; i++)
            for (bit = 0; bit < 8; bit++) {
                g_wire[i] ^= (uint8_t)(1u << bit);
                rc = lisp_auth_verify(g_wire, len, test_key, sizeof test_key, true);
                g_wire[i] ^= (uint8_t)(1u << bit);
                if (rc == LISP_OK)
                    fail_msg("bit %zu of byte %zu flipped, still verifies", bit, i);
            }
        /* Every bit of the key. */
        for (i = 0; i < sizeof key; i++)
            for (bit = 0; bit < 8; bit++) {
                memcpy(key, test_key, sizeof key);
                key[i] ^= (uint8_t)(1u << bit);
                lt_assert_rc(lisp_auth_verify(g_wire, len, key, sizeof key, false), LISP_ERR_AUTH);
            }
        /* A prefix or an extension of the key. */
        lt_assert_rc(lisp_auth_verify(g_wire, len, test_key, sizeof test_key - 1, false),
                     LISP_ERR_AUTH);
        lt_assert_rc(lisp_auth_verify(g_wire, len, test_key, 0, false), LISP_ERR_AUTH);
        /* The untouched message still verifies. */
        lt_assert_ok(lisp_auth_verify(g_wire, len, test_key, sizeof test_key, false));
        /* No prefix verifies, nor an extension. */
        for (i = 0; i < len; i++) {
            uint8_t *p = malloc(i ? i : 1);
            assert_non_null(p);
            memcpy(p, g_wire, i);
            rc = lisp_auth_verify(p, i, test_key, sizeof test_key, true);
            free(p);
            if (rc == LISP_OK)
                fail_msg("prefix of %zu bytes verifies", i);
            if (i < (size_t)AUTH_OFF + key_lens[k].len)
                lt_assert_rc(rc, LISP_ERR_TRUNCATED);
        }
        g_wire[len] = 0;
        lt_assert_rc(lisp_auth_verify(g_wire, len + 1, test_key, sizeof test_key, true),
                     LISP_ERR_AUTH);
    }
}

static void test_bad_key_id_and_length(void **state)
{
    static const struct {
        uint16_t key_id, len;
    } bad[] = {{1, 32}, {1, 16}, {1, 0},  {1, 21}, {2, 20},    {2, 12},
               {2, 33}, {0, 20}, {3, 20}, {3, 32}, {0xFFFF, 0}};
    size_t len, i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lt_sample_map_register(&g_msg, LISP_MAP_REGISTER, 0, bad[i].key_id, bad[i].len);
        lt_assert_ok(lisp_msg_encode(&g_msg, g_wire, sizeof g_wire, &len));
        lt_assert_rc(lisp_auth_sign(g_wire, len, test_key, sizeof test_key), LISP_ERR_BAD_KEY_ID);
        lt_assert_rc(lisp_auth_verify(g_wire, len, test_key, sizeof test_key, true),
                     LISP_ERR_BAD_KEY_ID);
    }
}

static void test_key_id_none(void **state)
{
    static uint8_t before[LISP_MSG_MAX];
    unsigned kind;
    size_t len;

    (void)state;
    for (kind = 0; kind < 6; kind++) {
        sample(&g_msg, kind, LISP_KEY_ID_NONE, 0);
        lt_assert_ok(lisp_msg_encode(&g_msg, g_wire, sizeof g_wire, &len));
        memcpy(before, g_wire, len);
        lt_assert_ok(lisp_auth_sign(g_wire, len, test_key, sizeof test_key));
        assert_memory_equal(g_wire, before, len); /* untouched */
        lt_assert_rc(lisp_auth_verify(g_wire, len, test_key, sizeof test_key, false),
                     LISP_ERR_AUTH);
        lt_assert_ok(lisp_auth_verify(g_wire, len, test_key, sizeof test_key, true));
        lt_assert_ok(lisp_auth_verify(g_wire, len, NULL, 0, true));
    }
}

static void test_unauthenticated_types(void **state)
{
    uint8_t buf[64];
    size_t len;
    unsigned t;

    (void)state;
    lt_sample_map_request(&g_msg);
    lt_assert_ok(lisp_msg_encode(&g_msg, g_wire, sizeof g_wire, &len));
    lt_assert_rc(lisp_auth_sign(g_wire, len, test_key, sizeof test_key), LISP_ERR_UNKNOWN_TYPE);
    lt_assert_rc(lisp_auth_verify(g_wire, len, test_key, sizeof test_key, true),
                 LISP_ERR_UNKNOWN_TYPE);
    for (t = 0; t < 16; t++) {
        memset(buf, 0, sizeof buf);
        buf[0] = (uint8_t)(t << 4);
        lt_assert_rc(lisp_auth_verify(buf, sizeof buf, test_key, sizeof test_key, true),
                     t == 3 || t == 4 || t == 5 || t == 7 ? LISP_OK : LISP_ERR_UNKNOWN_TYPE);
    }
    lt_assert_rc(lisp_auth_verify(buf, 0, test_key, sizeof test_key, true), LISP_ERR_TRUNCATED);
    lt_assert_rc(lisp_auth_sign(buf, 0, test_key, sizeof test_key), LISP_ERR_TRUNCATED);
}

/* (NULL, 0) input is truncated, not a crash. */
/* A prepared key signs exactly like the raw-key path, however often it is reused and
 * whichever algorithm each message asks for. */
static void test_prepared_key(void **state)
{
    static uint8_t raw[LISP_MSG_MAX];
    lisp_auth_key *k = lisp_auth_key_new(test_key, sizeof test_key);
    lisp_auth_key *other = lisp_auth_key_new((const uint8_t *)"other", 5);
    size_t len, round;
    uint16_t key_id;

    (void)state;
    assert_non_null(k);
    assert_non_null(other);
    for (round = 0; round < 3; round++)
        for (key_id = 1; key_id <= 2; key_id++) {
            lt_sample_map_register(&g_msg, LISP_MAP_REGISTER, 0, key_id,
                                   lisp_auth_default_len(key_id));
            g_msg.u.mreg.nonce += round;
            lt_assert_ok(lisp_msg_encode(&g_msg, g_wire, sizeof g_wire, &len));
            memcpy(raw, g_wire, len);
            lt_assert_ok(lisp_auth_sign_key(g_wire, len, k));
            lt_assert_ok(lisp_auth_sign(raw, len, test_key, sizeof test_key));
            assert_memory_equal(g_wire, raw, len);
            lt_assert_ok(lisp_auth_verify_key(g_wire, len, k, false));
            lt_assert_rc(lisp_auth_verify_key(g_wire, len, other, false), LISP_ERR_AUTH);
        }
    lisp_auth_key_free(k);
    lisp_auth_key_free(other);
    lisp_auth_key_free(NULL);
}

static void test_null_empty_buffer(void **state)
{
    (void)state;
    lt_assert_rc(lisp_auth_verify(NULL, 0, test_key, sizeof test_key, true), LISP_ERR_TRUNCATED);
    lt_assert_rc(lisp_auth_sign(NULL, 0, test_key, sizeof test_key), LISP_ERR_TRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_sha1_rfc2202),
        cmocka_unit_test(test_hmac_sha256_rfc4231),
        cmocka_unit_test(test_hmac_edge_cases),
        cmocka_unit_test(test_lengths_per_key_id),
        cmocka_unit_test(test_map_register_known_answer),
        cmocka_unit_test(test_sign_matches_independent_hmac),
        cmocka_unit_test(test_verify_rejects_any_bit_flip),
        cmocka_unit_test(test_bad_key_id_and_length),
        cmocka_unit_test(test_key_id_none),
        cmocka_unit_test(test_unauthenticated_types),
        cmocka_unit_test(test_prepared_key),
        cmocka_unit_test(test_null_empty_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
