/*
 * lisp_data.h - the 8-byte LISP data-plane header (RFC 9300 section 5.3).
 *
 *   |N|L|E|V|I|R|K|K|            Nonce/Map-Version                  |
 *   |                 Instance ID/Locator-Status-Bits               |
 */
#ifndef LISP_DATA_H
#define LISP_DATA_H

#include "lisp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LISP_DATA_HDR_LEN 8

#define LISP_DATA_F_N 0x80u /* nonce present */
#define LISP_DATA_F_L 0x40u /* locator-status-bits present */
#define LISP_DATA_F_E 0x20u /* echo-nonce request (only with N) */
#define LISP_DATA_F_V 0x10u /* map-version present (never with N) */
#define LISP_DATA_F_I 0x08u /* instance-ID present */
#define LISP_DATA_FLAGS (LISP_DATA_F_N | LISP_DATA_F_L | LISP_DATA_F_E | LISP_DATA_F_V | LISP_DATA_F_I)

typedef struct lisp_data_hdr {
    uint8_t flags;            /* LISP_DATA_F_* */
    uint32_t nonce;           /* 24 bits, with N */
    uint16_t src_map_version; /* 12 bits, with V */
    uint16_t dst_map_version; /* 12 bits, with V */
    uint32_t iid;             /* 24 bits, with I */
    uint32_t lsb;             /* with L: 32 bits, or 8 bits when I is also set */
} lisp_data_hdr;

/* Write the header into out[0..8). LISP_ERR_INVALID_ARG for N with V, E without N,
 * or values wider than their fields. */
int lisp_data_encode(const lisp_data_hdr *h, uint8_t out[LISP_DATA_HDR_LEN]);

/* Read the header from buf[0..len). The E bit is cleared when N is not set
 * (RFC 9300: it has no meaning then); N with V is LISP_ERR_BAD_VALUE. */
int lisp_data_decode(lisp_data_hdr *h, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LISP_DATA_H */
