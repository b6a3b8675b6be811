/* lisp_auth.c - HMAC authentication data (RFC 9301 section 5.6) with OpenSSL 3 EVP_MAC. */
#include "lisp_auth.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <string.h>

#include "lisp_buf_internal.h"
#include "lisp_msg.h"

/* Map-Register, Map-Notify, Map-Notify-Ack and Info share this prefix:
 * word(4) nonce(8) key-id(2) auth-len(2) auth-data(auth-len). */
#define KEY_ID_OFF 12
#define AUTH_LEN_OFF 14
#define AUTH_OFF 16

uint16_t lisp_auth_default_len(uint16_t key_id)
{
    switch (key_id) {
    case LISP_KEY_ID_HMAC_SHA1_96: return 20;
    case LISP_KEY_ID_HMAC_SHA256_128: return 32;
    default: return 0;
    }
}

bool lisp_auth_len_valid(uint16_t key_id, uint16_t auth_len)
{
    switch (key_id) {
    case LISP_KEY_ID_NONE: return auth_len == 0;
    case LISP_KEY_ID_HMAC_SHA1_96: return auth_len == 12 || auth_len == 20;
    case LISP_KEY_ID_HMAC_SHA256_128: return auth_len == 16 || auth_len == 32;
    default: return false;
    }
}

/* A key set once into one HMAC context per algorithm: re-initialising a keyed context
 * (EVP_MAC_init with a NULL key) costs no allocation, so signing and verifying don't. */
struct lisp_auth_key {
    EVP_MAC_CTX *sha1;
    EVP_MAC_CTX *sha256;
};

static EVP_MAC_CTX *keyed_ctx(EVP_MAC *mac, const char *digest, const uint8_t *key,
                              size_t key_len)
{
    static const uint8_t no_key = 0; /* EVP_MAC_init treats a NULL key as "keep the old one" */
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[2];

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (ctx && EVP_MAC_init(ctx, key_len ? key : &no_key, key_len, params))
        return ctx;
    EVP_MAC_CTX_free(ctx);
    return NULL;
}

lisp_auth_key *lisp_auth_key_new_id(uint16_t key_id, const uint8_t *key, size_t key_len)
{
    bool sha1 = key_id == LISP_KEY_ID_NONE || key_id == LISP_KEY_ID_HMAC_SHA1_96;
    bool sha256 = key_id == LISP_KEY_ID_NONE || key_id == LISP_KEY_ID_HMAC_SHA256_128;
    EVP_MAC *mac;
    lisp_auth_key *k;

    if (!sha1 && !sha256)
        return NULL;
    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    k = OPENSSL_zalloc(sizeof *k);
    if (mac && k) {
        k->sha1 = sha1 ? keyed_ctx(mac, "SHA1", key, key_len) : NULL;
        k->sha256 = sha256 ? keyed_ctx(mac, "SHA256", key, key_len) : NULL;
    }
    EVP_MAC_free(mac); /* the contexts keep their own reference */
    if (k && ((sha1 && !k->sha1) || (sha256 && !k->sha256))) {
        lisp_auth_key_free(k);
        k = NULL;
    }
    return k;
}

lisp_auth_key *lisp_auth_key_new(const uint8_t *key, size_t key_len)
{
    return lisp_auth_key_new_id(LISP_KEY_ID_NONE, key, key_len);
}

void lisp_auth_key_free(lisp_auth_key *k)
{
    if (!k)
        return;
    EVP_MAC_CTX_free(k->sha1);
    EVP_MAC_CTX_free(k->sha256);
    OPENSSL_free(k);
}

/* HMAC over up to three consecutive parts, so the auth field can be
 * replaced by zeros without copying the message. */
typedef struct hmac_part {
    const uint8_t *p;
    size_t len;
} hmac_part;

static int hmac_parts(lisp_auth_key *k, uint16_t key_id, const hmac_part *parts, size_t n_parts,
                      uint8_t out[LISP_HMAC_MAX], size_t *out_len)
{
    EVP_MAC_CTX *ctx = key_id == LISP_KEY_ID_HMAC_SHA1_96     ? k->sha1
                       : key_id == LISP_KEY_ID_HMAC_SHA256_128 ? k->sha256
                                                               : NULL;
    size_t i;

    if (!ctx)
        return LISP_ERR_BAD_KEY_ID;
    if (!EVP_MAC_init(ctx, NULL, 0, NULL))
        return LISP_ERR_CRYPTO;
    for (i = 0; i < n_parts; i++)
        if (parts[i].len && !EVP_MAC_update(ctx, parts[i].p, parts[i].len))
            return LISP_ERR_CRYPTO;
    return EVP_MAC_final(ctx, out, out_len, LISP_HMAC_MAX) ? LISP_OK : LISP_ERR_CRYPTO;
}

int lisp_hmac(uint16_t key_id, const uint8_t *key, size_t key_len, const uint8_t *data,
              size_t data_len, uint8_t out[LISP_HMAC_MAX], size_t *out_len)
{
    hmac_part part = {data, data_len};
    lisp_auth_key *k;
    int rc;

    if (lisp_auth_default_len(key_id) == 0)
        return LISP_ERR_BAD_KEY_ID;
    k = lisp_auth_key_new(key, key_len);
    if (!k)
        return LISP_ERR_CRYPTO;
    rc = hmac_parts(k, key_id, &part, 1, out, out_len);
    lisp_auth_key_free(k);
    return rc;
}

/* Locate the auth field of an authenticated message type and compute its HMAC. */
static int auth_field(const uint8_t *msg, size_t len, uint16_t *key_id, uint16_t *auth_len)
{
    int type = lisp_msg_peek_type(msg, len);

    if (type < 0)
        return type;
    if (type != LISP_MAP_REGISTER && type != LISP_MAP_NOTIFY && type != LISP_MAP_NOTIFY_ACK &&
        type != LISP_INFO)
        return LISP_ERR_UNKNOWN_TYPE;
    if (len < AUTH_OFF)
        return LISP_ERR_TRUNCATED;
    *key_id = lisp_get_u16(msg + KEY_ID_OFF);
    *auth_len = lisp_get_u16(msg + AUTH_LEN_OFF);
    if (len < AUTH_OFF + (size_t)*auth_len)
        return LISP_ERR_TRUNCATED;
    if (!lisp_auth_len_valid(*key_id, *auth_len))
        return LISP_ERR_BAD_KEY_ID;
    return LISP_OK;
}

static int compute(const uint8_t *msg, size_t len, uint16_t key_id, uint16_t auth_len,
                   lisp_auth_key *k, uint8_t out[LISP_HMAC_MAX])
{
    static const uint8_t zeros[LISP_AUTH_MAX];
    hmac_part parts[3] = {
        {msg, AUTH_OFF},
        {zeros, auth_len},
        {msg + AUTH_OFF + auth_len, len - AUTH_OFF - auth_len},
    };
    size_t out_len;

    return hmac_parts(k, key_id, parts, 3, out, &out_len);
}

int lisp_auth_sign_key(uint8_t *msg, size_t len, lisp_auth_key *k)
{
    uint8_t mac[LISP_HMAC_MAX];
    uint16_t key_id, auth_len;

    LISP_TRY(auth_field(msg, len, &key_id, &auth_len));
    if (key_id == LISP_KEY_ID_NONE)
        return LISP_OK;
    LISP_TRY(compute(msg, len, key_id, auth_len, k, mac));
    memcpy(msg + AUTH_OFF, mac, auth_len);
    return LISP_OK;
}

int lisp_auth_verify_key(const uint8_t *msg, size_t len, lisp_auth_key *k, bool allow_none)
{
    uint8_t mac[LISP_HMAC_MAX];
    uint16_t key_id, auth_len;

    LISP_TRY(auth_field(msg, len, &key_id, &auth_len));
    if (key_id == LISP_KEY_ID_NONE)
        return allow_none ? LISP_OK : LISP_ERR_AUTH;
    LISP_TRY(compute(msg, len, key_id, auth_len, k, mac));
    return CRYPTO_memcmp(mac, msg + AUTH_OFF, auth_len) == 0 ? LISP_OK : LISP_ERR_AUTH;
}

int lisp_auth_sign(uint8_t *msg, size_t len, const uint8_t *key, size_t key_len)
{
    lisp_auth_key *k = lisp_auth_key_new(key, key_len);
    int rc = k ? lisp_auth_sign_key(msg, len, k) : LISP_ERR_CRYPTO;
    lisp_auth_key_free(k);
    return rc;
}

int lisp_auth_verify(const uint8_t *msg, size_t len, const uint8_t *key, size_t key_len,
                     bool allow_none)
{
    lisp_auth_key *k = lisp_auth_key_new(key, key_len);
    int rc = k ? lisp_auth_verify_key(msg, len, k, allow_none) : LISP_ERR_CRYPTO;
    lisp_auth_key_free(k);
    return rc;
}
