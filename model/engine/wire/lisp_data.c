/* lisp_data.c - the LISP data-plane header (RFC 9300 section 5.3). */
#include "lisp_data.h"

#include <string.h>

#define U24_MAX 0xFFFFFFu
#define U12_MAX 0x0FFFu

int lisp_data_encode(const lisp_data_hdr *h, uint8_t out[LISP_DATA_HDR_LEN])
{
    uint8_t f = h->flags & LISP_DATA_FLAGS;
    uint32_t low;

    if (h->flags & ~LISP_DATA_FLAGS)
        return LISP_ERR_INVALID_ARG;
    if ((f & LISP_DATA_F_N) && (f & LISP_DATA_F_V))
        return LISP_ERR_INVALID_ARG; /* nonce and map-version share the field */
    if ((f & LISP_DATA_F_E) && !(f & LISP_DATA_F_N))
        return LISP_ERR_INVALID_ARG; /* an echo request needs a nonce to echo */
    if (h->nonce > U24_MAX || h->iid > U24_MAX || h->src_map_version > U12_MAX ||
        h->dst_map_version > U12_MAX || ((f & LISP_DATA_F_I) && h->lsb > 0xFF))
        return LISP_ERR_INVALID_ARG;

    memset(out, 0, LISP_DATA_HDR_LEN);
    out[0] = f;
    if (f & LISP_DATA_F_N) {
        out[1] = (uint8_t)(h->nonce >> 16);
        out[2] = (uint8_t)(h->nonce >> 8);
        out[3] = (uint8_t)h->nonce;
    } else if (f & LISP_DATA_F_V) {
        out[1] = (uint8_t)(h->src_map_version >> 4);
        out[2] = (uint8_t)((h->src_map_version << 4) | (h->dst_map_version >> 8));
        out[3] = (uint8_t)h->dst_map_version;
    }
    if (f & LISP_DATA_F_I)
        low = (h->iid << 8) | ((f & LISP_DATA_F_L) ? h->lsb : 0);
    else
        low = (f & LISP_DATA_F_L) ? h->lsb : 0;
    out[4] = (uint8_t)(low >> 24);
    out[5] = (uint8_t)(low >> 16);
    out[6] = (uint8_t)(low >> 8);
    out[7] = (uint8_t)low;
    return LISP_OK;
}

int lisp_data_decode(lisp_data_hdr *h, const uint8_t *buf, size_t len)
{
    uint32_t low;

    memset(h, 0, sizeof *h);
    if (len < LISP_DATA_HDR_LEN)
        return LISP_ERR_TRUNCATED;
    h->flags = buf[0] & LISP_DATA_FLAGS;
    if ((h->flags & LISP_DATA_F_N) && (h->flags & LISP_DATA_F_V))
        return LISP_ERR_BAD_VALUE;
    if (!(h->flags & LISP_DATA_F_N))
        h->flags &= (uint8_t)~LISP_DATA_F_E; /* RFC 9300: E means nothing without N */
    if (h->flags & LISP_DATA_F_N)
        h->nonce = ((uint32_t)buf[1] << 16) | ((uint32_t)buf[2] << 8) | buf[3];
    else if (h->flags & LISP_DATA_F_V) {
        h->src_map_version = (uint16_t)((buf[1] << 4) | (buf[2] >> 4));
        h->dst_map_version = (uint16_t)(((buf[2] & 0x0F) << 8) | buf[3]);
    }
    low = ((uint32_t)buf[4] << 24) | ((uint32_t)buf[5] << 16) | ((uint32_t)buf[6] << 8) | buf[7];
    if (h->flags & LISP_DATA_F_I) {
        h->iid = low >> 8;
        if (h->flags & LISP_DATA_F_L)
            h->lsb = low & 0xFF;
    } else if (h->flags & LISP_DATA_F_L) {
        h->lsb = low;
    }
    return LISP_OK;
}
