/*
 * lisp_test_util.h - helpers shared by the codec unit tests: error assertions,
 * the "every truncated prefix must fail" check, the message round trip with
 * field-by-field comparison, and sample messages used by more than one test file.
 */
#ifndef LISP_TEST_UTIL_H
#define LISP_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lisp.h"

/* Assert that expr returns exactly want, naming both errors on failure. */
#define lt_assert_rc(expr, want)                                                                   \
    do {                                                                                           \
        int lt_rc_ = (expr);                                                                       \
        int lt_want_ = (want);                                                                     \
        if (lt_rc_ != lt_want_)                                                                    \
            fail_msg("%s = %d (%s), want %d (%s)", #expr, lt_rc_, lisp_strerror(lt_rc_), lt_want_, \
                     lisp_strerror(lt_want_));                                                     \
    } while (0)

#define lt_assert_ok(expr) lt_assert_rc(expr, LISP_OK)

/* A decoder under test, reduced to "bytes in, status out". */
typedef int (*lt_decode_fn)(const uint8_t *buf, size_t len);

/* lisp_msg_decode as an lt_decode_fn. */
int lt_decode_msg(const uint8_t *buf, size_t len);

/*
 * Every prefix buf[0..n) with n < len must fail with LISP_ERR_TRUNCATED. Each prefix is
 * copied into a heap block of exactly n bytes, so AddressSanitizer catches any read
 * past the end of the input.
 */
void lt_assert_prefixes_truncated(lt_decode_fn decode, const uint8_t *buf, size_t len);

/* buf followed by one extra byte must fail with want. */
void lt_assert_trailing_byte(lt_decode_fn decode, const uint8_t *buf, size_t len, int want);

/* The same bytes in an exactly-sized heap block must decode with LISP_OK. */
void lt_assert_decodes(lt_decode_fn decode, const uint8_t *buf, size_t len);

/*
 * The full message round trip:
 *   encode m into wire (LISP_MSG_MAX bytes), every smaller buffer fails with NOBUF,
 *   decode into out and compare field by field with m, re-encode out and compare bytes,
 *   every truncated prefix fails with TRUNCATED, one trailing byte with BAD_LENGTH.
 * Returns the encoded length. out borrows from wire.
 */
size_t lt_msg_roundtrip(const lisp_msg *m, lisp_msg *out, uint8_t *wire);

/* Field-by-field equality of everything a message encodes; fails the test otherwise. */
void lt_assert_msg_equal(const lisp_msg *want, const lisp_msg *got);
void lt_assert_record_equal(const lisp_record *want, const lisp_record *got);
void lt_assert_addr_equal(const lisp_addr *want, const lisp_addr *got);

/* Address shorthands; the text must parse. */
lisp_afi_addr lt_ip(const char *text);
lisp_addr lt_addr(const char *text);

/*
 * Sample messages. Records and locators live in m's own pools, so m is self-contained
 * (do not decode into the same lisp_msg). The builders zero m first.
 */
/* Map-Register (type 3) or Map-Notify / Map-Notify-Ack (4, 5): nonce 0x0123456789abcdef,
 * two records (10.1.0.0/16 with two IPv4 locators, [7]2001:db8::/32 with one IPv6
 * locator), zeroed auth data of auth_len bytes; I flag adds a fixed xTR-ID and site-ID. */
void lt_sample_map_register(lisp_msg *m, uint8_t type, uint32_t flags, uint16_t key_id,
                            uint16_t auth_len);
/* Info-Request with EID 10.1.0.0/16, TTL 1440, and hostname (NULL for the AFI 0 form). */
void lt_sample_info_request(lisp_msg *m, uint16_t key_id, uint16_t auth_len, const char *hostname);
/* Map-Request: nonce 0x1122334455667788, source EID 10.1.1.1, ITR-RLOC 192.0.2.1,
 * one record 10.2.0.0/16. */
void lt_sample_map_request(lisp_msg *m);

/* A fixed-seed pseudo-random sequence (xorshift64) for generated and mutated inputs. */
uint64_t lt_xorshift(uint64_t *state);

/* Hex dump to stderr, for diagnosing a failed byte comparison. */
void lt_hexdump(const char *label, const uint8_t *buf, size_t len);

/* ---- engine tests (Map-Server, Map-Resolver, ...): endpoints, prefixes, whole datagrams ---- */

#include "lisp_host.h"

/* An endpoint / an EID-prefix from text; the text must parse. */
lisp_endpoint lt_endpoint(const char *ip, uint16_t port);
lisp_eid lt_eid(const char *ip, uint8_t mask_len, uint32_t iid);

/* Fail unless got is exactly that endpoint / prefix. */
void lt_assert_endpoint(const lisp_endpoint *got, const char *ip, uint16_t port);
void lt_assert_eid(const lisp_eid *got, const char *ip, uint8_t mask_len, uint32_t iid);

/* Encode m (a Map-Register, Map-Notify, Map-Notify-Ack or Info message whose auth field
 * is zero) into buf[0..cap) and sign it with key; returns the length. */
size_t lt_encode_signed(const lisp_msg *m, const uint8_t *key, size_t key_len, uint8_t *buf,
                        size_t cap);

/* Encode inner into an ECM with the given flags and inner IP/UDP header (inner_src and
 * inner_dst of one AFI, destination port 4342, TTL 64) into buf[0..cap); returns the length. */
size_t lt_encode_ecm(const lisp_msg *inner, uint32_t flags, const char *inner_src,
                     const char *inner_dst, uint16_t inner_sport, uint8_t *buf, size_t cap);

#endif /* LISP_TEST_UTIL_H */
