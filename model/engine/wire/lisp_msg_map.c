/* lisp_msg_map.c - Map-Request, Map-Reply, and the Map-Register / Map-Notify /
 * Map-Notify-Ack family (RFC 9301 sections 5.2-5.7, draft-ermagan R and I bits). */
#include <string.h>

#include "lisp_msg_internal.h"

#define TYPE_SHIFT 28
#define COUNT_MASK 0xFFu
#define IRC_SHIFT 8
#define IRC_MASK 0x1Fu

static uint32_t first_word(uint8_t type, uint32_t flags, uint8_t count)
{
    return ((uint32_t)type << TYPE_SHIFT) | flags | count;
}

int lisp_auth_block_rd(lisp_rd *r, uint16_t *key_id, uint16_t *auth_len, const uint8_t **auth)
{
    LISP_TRY(lisp_rd_u16(r, key_id));
    LISP_TRY(lisp_rd_u16(r, auth_len));
    if (*auth_len > LISP_AUTH_MAX)
        return LISP_ERR_BAD_LENGTH;
    return lisp_rd_ptr(r, auth, *auth_len);
}

int lisp_auth_block_wr(lisp_wr *w, uint16_t key_id, uint16_t auth_len, const uint8_t *auth)
{
    uint8_t *at;

    if (auth_len > LISP_AUTH_MAX)
        return LISP_ERR_INVALID_ARG;
    LISP_TRY(lisp_wr_u16(w, key_id));
    LISP_TRY(lisp_wr_u16(w, auth_len));
    if (auth)
        return lisp_wr_bytes(w, auth, auth_len);
    return lisp_wr_reserve(w, &at, auth_len); /* zeroed, to be signed later */
}

/* Map-Request EID records: Reserved, EID mask-len, EID-prefix. */
static int request_prefix_rd(lisp_rd *r, lisp_prefix *p)
{
    uint8_t reserved;

    LISP_TRY(lisp_rd_u8(r, &reserved));
    LISP_TRY(lisp_rd_u8(r, &p->mask_len));
    LISP_TRY(lisp_addr_rd(r, &p->addr));
    return lisp_prefix_check(p);
}

int lisp_map_request_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools)
{
    lisp_map_request *q = &m->u.mreq;
    unsigned i;

    q->flags = word & LISP_MREQ_FLAGS;
    q->has_map_reply = (word & LISP_MREQ_F_M) != 0;
    q->itr_rloc_count = (uint8_t)(((word >> IRC_SHIFT) & IRC_MASK) + 1);
    q->record_count = (uint8_t)(word & COUNT_MASK);
    if (q->record_count > LISP_MAX_RECORDS)
        return LISP_ERR_TOO_MANY;
    LISP_TRY(lisp_rd_u64(r, &q->nonce));
    LISP_TRY(lisp_addr_rd(r, &q->source_eid));
    for (i = 0; i < q->itr_rloc_count; i++)
        LISP_TRY(lisp_addr_rd(r, &q->itr_rlocs[i]));
    for (i = 0; i < q->record_count; i++)
        LISP_TRY(request_prefix_rd(r, &q->records[i]));
    if (q->has_map_reply)
        LISP_TRY(lisp_record_rd(r, &q->map_reply, pools));
    return LISP_OK;
}

int lisp_map_request_wr(lisp_wr *w, const lisp_msg *m)
{
    const lisp_map_request *q = &m->u.mreq;
    uint32_t flags = q->flags & LISP_MREQ_FLAGS & ~LISP_MREQ_F_M;
    unsigned i;

    if (q->itr_rloc_count < 1 || q->itr_rloc_count > LISP_MAX_ITR_RLOCS ||
        q->record_count > LISP_MAX_RECORDS)
        return LISP_ERR_INVALID_ARG;
    if (q->has_map_reply)
        flags |= LISP_MREQ_F_M;
    flags |= (uint32_t)(q->itr_rloc_count - 1) << IRC_SHIFT;
    LISP_TRY(lisp_wr_u32(w, first_word(LISP_MAP_REQUEST, flags, q->record_count)));
    LISP_TRY(lisp_wr_u64(w, q->nonce));
    LISP_TRY(lisp_addr_wr(w, &q->source_eid));
    for (i = 0; i < q->itr_rloc_count; i++)
        LISP_TRY(lisp_addr_wr(w, &q->itr_rlocs[i]));
    for (i = 0; i < q->record_count; i++) {
        if (lisp_prefix_check(&q->records[i]) < 0)
            return LISP_ERR_INVALID_ARG;
        LISP_TRY(lisp_wr_u8(w, 0));
        LISP_TRY(lisp_wr_u8(w, q->records[i].mask_len));
        LISP_TRY(lisp_addr_wr(w, &q->records[i].addr));
    }
    if (q->has_map_reply)
        return lisp_records_wr(w, 1, &q->map_reply);
    return LISP_OK;
}

int lisp_map_reply_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools)
{
    lisp_map_reply *p = &m->u.mrep;

    p->flags = word & LISP_MREP_FLAGS;
    p->record_count = (uint8_t)(word & COUNT_MASK);
    LISP_TRY(lisp_rd_u64(r, &p->nonce));
    return lisp_records_rd(r, p->record_count, &p->records, pools);
}

int lisp_map_reply_wr(lisp_wr *w, const lisp_msg *m)
{
    const lisp_map_reply *p = &m->u.mrep;

    LISP_TRY(lisp_wr_u32(w, first_word(LISP_MAP_REPLY, p->flags & LISP_MREP_FLAGS,
                                       p->record_count)));
    LISP_TRY(lisp_wr_u64(w, p->nonce));
    return lisp_records_wr(w, p->record_count, p->records);
}

/* The flags each type defines; the MS-RTR block (R) exists only in a Map-Notify. */
static uint32_t register_flag_mask(uint8_t type)
{
    if (type == LISP_MAP_REGISTER)
        return LISP_MREG_FLAGS;
    return type == LISP_MAP_NOTIFY ? LISP_MNOT_FLAGS : LISP_MNOT_F_I;
}

static uint32_t xtr_id_bit(uint8_t type)
{
    return type == LISP_MAP_REGISTER ? LISP_MREG_F_I : LISP_MNOT_F_I;
}

static bool has_msrtr_auth(uint8_t type, uint32_t flags)
{
    return type == LISP_MAP_NOTIFY && (flags & LISP_MNOT_F_R);
}

int lisp_map_register_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools)
{
    lisp_map_register *g = &m->u.mreg;

    g->flags = word & register_flag_mask(m->type);
    g->record_count = (uint8_t)(word & COUNT_MASK);
    LISP_TRY(lisp_rd_u64(r, &g->nonce));
    LISP_TRY(lisp_auth_block_rd(r, &g->key_id, &g->auth_len, &g->auth));
    LISP_TRY(lisp_records_rd(r, g->record_count, &g->records, pools));
    if (m->type == LISP_MAP_NOTIFY && !(g->flags & LISP_MNOT_FLAGS) &&
        lisp_rd_left(r) == LISP_XTR_ID_LEN + LISP_SITE_ID_LEN)
        g->unflagged_ids = true; /* lispers.net: the IDs without the I bit */
    if ((g->flags & xtr_id_bit(m->type)) || g->unflagged_ids) {
        LISP_TRY(lisp_rd_bytes(r, g->xtr_id, LISP_XTR_ID_LEN));
        LISP_TRY(lisp_rd_bytes(r, g->site_id, LISP_SITE_ID_LEN));
    }
    if (has_msrtr_auth(m->type, g->flags))
        LISP_TRY(lisp_auth_block_rd(r, &g->msrtr_key_id, &g->msrtr_auth_len, &g->msrtr_auth));
    return LISP_OK;
}

int lisp_map_register_wr(lisp_wr *w, const lisp_msg *m)
{
    const lisp_map_register *g = &m->u.mreg;
    uint32_t flags = g->flags & register_flag_mask(m->type);

    LISP_TRY(lisp_wr_u32(w, first_word(m->type, flags, g->record_count)));
    LISP_TRY(lisp_wr_u64(w, g->nonce));
    LISP_TRY(lisp_auth_block_wr(w, g->key_id, g->auth_len, g->auth));
    LISP_TRY(lisp_records_wr(w, g->record_count, g->records));
    if ((flags & xtr_id_bit(m->type)) ||
        (m->type == LISP_MAP_NOTIFY && !(flags & LISP_MNOT_FLAGS) && g->unflagged_ids)) {
        LISP_TRY(lisp_wr_bytes(w, g->xtr_id, LISP_XTR_ID_LEN));
        LISP_TRY(lisp_wr_bytes(w, g->site_id, LISP_SITE_ID_LEN));
    }
    if (has_msrtr_auth(m->type, flags))
        LISP_TRY(lisp_auth_block_wr(w, g->msrtr_key_id, g->msrtr_auth_len, g->msrtr_auth));
    return LISP_OK;
}
