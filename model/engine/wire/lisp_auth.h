/*
 * lisp_auth.h - authentication data of Map-Register, Map-Notify, Map-Notify-Ack and
 * Info messages (RFC 9301 section 5.6), HMAC via OpenSSL's libcrypto.
 *
 * The HMAC covers the whole encoded message with the authentication data field set
 * to zero. Interoperable lengths (../docs/design.md): key-id 1 (HMAC-SHA-1-96)
 * carries 20 bytes, key-id 2 (HMAC-SHA-256-128) carries 32 bytes, as OOR,
 * lispers.net, OpenLISP and lig do; the RFC lengths 12 and 16 are accepted too.
 * A shorter field carries the leading bytes of the HMAC.
 */
#ifndef LISP_AUTH_H
#define LISP_AUTH_H

#include "lisp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    LISP_KEY_ID_NONE = 0,
    LISP_KEY_ID_HMAC_SHA1_96 = 1,
    LISP_KEY_ID_HMAC_SHA256_128 = 2,
};

#define LISP_HMAC_MAX 32 /* SHA-256 output */

/* The longest shared key (bytes) an engine accepts: one limit for the Map-Server's site keys
 * and the xTR's Map-Server keys, so that every key one side takes the other takes too. */
#define LISP_AUTH_KEY_MAX 255

/* Length we emit for a key-id (0, 20 or 32); 0 for unknown key-ids too. */
uint16_t lisp_auth_default_len(uint16_t key_id);

/* Whether auth_len is acceptable for key_id (0:0; 1: 12 or 20; 2: 16 or 32). */
bool lisp_auth_len_valid(uint16_t key_id, uint16_t auth_len);

/* Raw HMAC for key_id 1 (SHA-1) or 2 (SHA-256) over data; writes the full digest
 * (20 or 32 bytes) to out and its length to *out_len. */
int lisp_hmac(uint16_t key_id, const uint8_t *key, size_t key_len, const uint8_t *data,
              size_t data_len, uint8_t out[LISP_HMAC_MAX], size_t *out_len);

/*
 * Sign an encoded Map-Register / Map-Notify / Map-Notify-Ack / Info message in
 * place: its key-id and auth length are read from the message, the HMAC computed
 * with the field zeroed, and written into the field. Key-id 0 leaves it untouched.
 */
int lisp_auth_sign(uint8_t *msg, size_t len, const uint8_t *key, size_t key_len);

/* Check the authentication data of such a message without modifying it.
 * LISP_OK, LISP_ERR_AUTH on mismatch, LISP_ERR_BAD_KEY_ID, or a decode error.
 * Key-id 0 (no authentication) verifies only when allow_none is true. */
int lisp_auth_verify(const uint8_t *msg, size_t len, const uint8_t *key, size_t key_len,
                     bool allow_none);

/*
 * A key prepared once for both HMAC algorithms. Engines create one per configured key
 * at start-up, so that signing and verifying on the packet path allocate nothing (the
 * raw-key functions above prepare a temporary one on every call). NULL on failure.
 * A key object is used by one engine at a time (it holds OpenSSL contexts).
 */
typedef struct lisp_auth_key lisp_auth_key;
lisp_auth_key *lisp_auth_key_new(const uint8_t *key, size_t key_len);
/* The same, prepared for one key-id only (1 or 2; 0: both, as lisp_auth_key_new). An
 * OpenSSL HMAC context costs about 1 KB (test_xtr_memory measures it), so an engine that
 * knows its key-id (an xTR's Map-Server key) prepares only that one. Signing or verifying
 * a message of the other key-id then fails with LISP_ERR_BAD_KEY_ID. NULL on failure or an
 * unknown key-id. */
lisp_auth_key *lisp_auth_key_new_id(uint16_t key_id, const uint8_t *key, size_t key_len);
void lisp_auth_key_free(lisp_auth_key *k);
int lisp_auth_sign_key(uint8_t *msg, size_t len, lisp_auth_key *k);
int lisp_auth_verify_key(const uint8_t *msg, size_t len, lisp_auth_key *k, bool allow_none);

#ifdef __cplusplus
}
#endif

#endif /* LISP_AUTH_H */
