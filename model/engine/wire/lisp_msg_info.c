/* lisp_msg_info.c - Info-Request / Info-Reply with the NAT-Traversal LCAF
 * (draft-ermagan-lisp-nat-traversal; RFC 8060 LCAF type 7), and the hostname
 * form of the Info-Request that lispers.net sends (AFI 17 in place of AFI 0). */
#include <string.h>

#include "lisp_msg_internal.h"

#define TYPE_SHIFT 28

/* NAT-Traversal RLOCs are plain IPv4/IPv6 addresses, or AFI 0 when unknown. */
static int natt_rloc_rd(lisp_rd *body, lisp_afi_addr *a)
{
    LISP_TRY(lisp_afi_rd(body, a));
    return a->afi == LISP_AFI_NAME ? LISP_ERR_BAD_AFI : LISP_OK;
}

static int natt_rloc_wr(lisp_wr *w, const lisp_afi_addr *a)
{
    if (a->afi == LISP_AFI_NAME)
        return LISP_ERR_INVALID_ARG;
    return lisp_afi_wr(w, a);
}

static int natt_body_rd(lisp_rd *body, lisp_natt *n)
{
    LISP_TRY(lisp_rd_u16(body, &n->ms_port));
    LISP_TRY(lisp_rd_u16(body, &n->etr_port));
    LISP_TRY(natt_rloc_rd(body, &n->global_etr));
    LISP_TRY(natt_rloc_rd(body, &n->ms));
    LISP_TRY(natt_rloc_rd(body, &n->private_etr));
    while (lisp_rd_left(body) > 0) {
        if (n->rtr_count == LISP_MAX_RTRS)
            return LISP_ERR_TOO_MANY;
        LISP_TRY(natt_rloc_rd(body, &n->rtrs[n->rtr_count]));
        n->rtr_count++;
    }
    return LISP_OK;
}

static int natt_rd(lisp_rd *r, lisp_natt *n)
{
    uint16_t afi;
    uint8_t type, rsvd2;
    lisp_rd body;

    LISP_TRY(lisp_rd_u16(r, &afi));
    if (afi != LISP_AFI_LCAF)
        return LISP_ERR_BAD_AFI;
    LISP_TRY(lisp_lcaf_rd(r, &type, &rsvd2, &body));
    if (type != LISP_LCAF_NATT)
        return LISP_ERR_BAD_AFI;
    return lisp_rd_nested(natt_body_rd(&body, n));
}

static int natt_wr(lisp_wr *w, const lisp_natt *n)
{
    uint8_t *len_at;
    unsigned i;

    if (n->rtr_count > LISP_MAX_RTRS)
        return LISP_ERR_INVALID_ARG;
    LISP_TRY(lisp_lcaf_wr_begin(w, LISP_LCAF_NATT, 0, &len_at));
    LISP_TRY(lisp_wr_u16(w, n->ms_port));
    LISP_TRY(lisp_wr_u16(w, n->etr_port));
    LISP_TRY(natt_rloc_wr(w, &n->global_etr));
    LISP_TRY(natt_rloc_wr(w, &n->ms));
    LISP_TRY(natt_rloc_wr(w, &n->private_etr));
    for (i = 0; i < n->rtr_count; i++)
        LISP_TRY(natt_rloc_wr(w, &n->rtrs[i]));
    return lisp_lcaf_wr_end(w, len_at);
}

/* What follows the EID-prefix of an Info-Request: AFI 0, or AFI 17 and a hostname. */
static int request_tail_rd(lisp_rd *r, lisp_bytes *hostname)
{
    lisp_afi_addr a;

    LISP_TRY(lisp_afi_rd(r, &a));
    if (a.afi != LISP_AFI_NONE && a.afi != LISP_AFI_NAME)
        return LISP_ERR_BAD_AFI;
    if (a.afi == LISP_AFI_NAME && a.name.len == 0)
        return LISP_ERR_BAD_VALUE; /* an empty hostname names nobody (and would re-encode as AFI 0) */
    *hostname = a.name;
    return LISP_OK;
}

int lisp_info_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools)
{
    lisp_info *in = &m->u.info;
    uint8_t reserved;

    (void)pools;
    in->flags = word & LISP_INFO_F_R;
    LISP_TRY(lisp_rd_u64(r, &in->nonce));
    LISP_TRY(lisp_auth_block_rd(r, &in->key_id, &in->auth_len, &in->auth));
    LISP_TRY(lisp_rd_u32(r, &in->ttl));
    LISP_TRY(lisp_rd_u8(r, &reserved));
    LISP_TRY(lisp_rd_u8(r, &in->eid.mask_len));
    LISP_TRY(lisp_addr_rd(r, &in->eid.addr));
    LISP_TRY(lisp_prefix_check(&in->eid));
    if (in->flags & LISP_INFO_F_R)
        return natt_rd(r, &in->natt);
    return request_tail_rd(r, &in->hostname);
}

int lisp_info_wr(lisp_wr *w, const lisp_msg *m)
{
    const lisp_info *in = &m->u.info;
    lisp_afi_addr tail;

    if (lisp_prefix_check(&in->eid) < 0)
        return LISP_ERR_INVALID_ARG;
    LISP_TRY(lisp_wr_u32(w, ((uint32_t)LISP_INFO << TYPE_SHIFT) | (in->flags & LISP_INFO_F_R)));
    LISP_TRY(lisp_wr_u64(w, in->nonce));
    LISP_TRY(lisp_auth_block_wr(w, in->key_id, in->auth_len, in->auth));
    LISP_TRY(lisp_wr_u32(w, in->ttl));
    LISP_TRY(lisp_wr_u8(w, 0));
    LISP_TRY(lisp_wr_u8(w, in->eid.mask_len));
    LISP_TRY(lisp_addr_wr(w, &in->eid.addr));
    if (in->flags & LISP_INFO_F_R)
        return natt_wr(w, &in->natt);
    memset(&tail, 0, sizeof tail);
    if (in->hostname.len) {
        tail.afi = LISP_AFI_NAME;
        tail.name = in->hostname;
    }
    return lisp_afi_wr(w, &tail);
}
