/* lisp_msg_ecm.c - Encapsulated Control Message (RFC 9301 section 5.8): a LISP
 * header word, then a whole inner IPv4/IPv6 + UDP datagram carrying a control message. */
#include <string.h>

#include "lisp_msg_internal.h"

#define TYPE_SHIFT 28

int lisp_ecm_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools)
{
    lisp_ecm *e = &m->u.ecm;
    size_t len = lisp_rd_left(r);

    e->flags = word & LISP_ECM_FLAGS;
    LISP_TRY(lisp_ipudp_decode_opts(&e->inner, r->p, len, pools->opts, &e->inner_ip_checksum_bad,
                                    &e->payload, &e->payload_len));
    r->p += len;
    return LISP_OK;
}

int lisp_ecm_wr(lisp_wr *w, const lisp_msg *m)
{
    const lisp_ecm *e = &m->u.ecm;
    size_t hdr = lisp_ipudp_header_len(e->inner.afi);
    size_t used;

    if (hdr == 0 || (e->payload_len && !e->payload))
        return LISP_ERR_INVALID_ARG;
    LISP_TRY(lisp_wr_u32(w, ((uint32_t)LISP_ECM << TYPE_SHIFT) | (e->flags & LISP_ECM_FLAGS)));
    if ((size_t)(w->end - w->p) < hdr + e->payload_len)
        return LISP_ERR_NOBUF;
    /* The payload goes after the inner headers; memmove allows encoding in place. */
    if (e->payload_len)
        memmove(w->p + hdr, e->payload, e->payload_len);
    LISP_TRY(lisp_ipudp_encode(&e->inner, w->p, (size_t)(w->end - w->p), e->payload_len, &used));
    w->p += used;
    return LISP_OK;
}
