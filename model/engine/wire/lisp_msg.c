/* lisp_msg.c - table-driven dispatch of LISP control messages: parse first, handle second. */
#include <string.h>

#include "lisp_msg_internal.h"

#define TYPE_SHIFT 28

typedef struct msg_codec {
    uint8_t type;
    const char *name;
    size_t min_len; /* shortest valid message of this type */
    int (*rd)(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools);
    int (*wr)(lisp_wr *w, const lisp_msg *m);
} msg_codec;

/* Minimum lengths: first word + nonce (+ key-id/auth-len) + the smallest body. */
static const msg_codec codecs[] = {
    {LISP_MAP_REQUEST, "Map-Request", 4 + 8 + 2 + 2, lisp_map_request_rd, lisp_map_request_wr},
    {LISP_MAP_REPLY, "Map-Reply", 4 + 8, lisp_map_reply_rd, lisp_map_reply_wr},
    {LISP_MAP_REGISTER, "Map-Register", 4 + 8 + 4, lisp_map_register_rd, lisp_map_register_wr},
    {LISP_MAP_NOTIFY, "Map-Notify", 4 + 8 + 4, lisp_map_register_rd, lisp_map_register_wr},
    {LISP_MAP_NOTIFY_ACK, "Map-Notify-Ack", 4 + 8 + 4, lisp_map_register_rd,
     lisp_map_register_wr},
    {LISP_INFO, "Info", 4 + 8 + 4 + 4 + 2 + 2 + 2, lisp_info_rd, lisp_info_wr},
    {LISP_ECM, "Encapsulated Control Message", 4 + 20 + 8, lisp_ecm_rd, lisp_ecm_wr},
};

static const msg_codec *codec_for(int type)
{
    size_t i;
    for (i = 0; i < sizeof codecs / sizeof codecs[0]; i++)
        if (codecs[i].type == type)
            return &codecs[i];
    return NULL;
}

const char *lisp_msg_type_name(int type)
{
    const msg_codec *c = codec_for(type);
    return c ? c->name : "unknown";
}

int lisp_msg_peek_type(const uint8_t *buf, size_t len)
{
    if (len < 1)
        return LISP_ERR_TRUNCATED;
    return buf[0] >> 4;
}

int lisp_msg_decode(lisp_msg *m, const uint8_t *buf, size_t len)
{
    return lisp_msg_decode_opts(m, buf, len, 0);
}

int lisp_msg_decode_opts(lisp_msg *m, const uint8_t *buf, size_t len, unsigned opts)
{
    lisp_rd r = lisp_rd_init(buf, len);
    lisp_pools pools = {m->record_pool, 0, m->locator_pool, 0, opts};
    const msg_codec *c;
    uint32_t word;

    LISP_TRY(lisp_rd_u32(&r, &word));
    c = codec_for((int)(word >> TYPE_SHIFT));
    if (!c)
        return LISP_ERR_UNKNOWN_TYPE;
    if (len < c->min_len)
        return LISP_ERR_TRUNCATED;
    lisp_msg_reset(m, c->type);
    LISP_TRY(c->rd(&r, word, m, &pools));
    return lisp_rd_done(&r);
}

uint32_t lisp_record_ttl(lisp_time_t ttl)
{
    uint64_t minutes;

    if (ttl == LISP_TIME_NEVER)
        return LISP_TTL_NEVER;
    minutes = ttl / LISP_NS_PER_MINUTE;
    return minutes >= LISP_TTL_NEVER ? LISP_TTL_NEVER - 1 : (uint32_t)minutes;
}

void lisp_msg_reset(lisp_msg *m, int type)
{
    m->type = (uint8_t)type;
    switch (type) {
    case LISP_MAP_REQUEST:
        memset(&m->u.mreq, 0, sizeof m->u.mreq);
        break;
    case LISP_MAP_REPLY:
        memset(&m->u.mrep, 0, sizeof m->u.mrep);
        break;
    case LISP_MAP_REGISTER:
    case LISP_MAP_NOTIFY:
    case LISP_MAP_NOTIFY_ACK:
        memset(&m->u.mreg, 0, sizeof m->u.mreg);
        break;
    case LISP_INFO:
        memset(&m->u.info, 0, sizeof m->u.info);
        break;
    case LISP_ECM:
        memset(&m->u.ecm, 0, sizeof m->u.ecm);
        break;
    default:
        memset(&m->u, 0, sizeof m->u);
        break;
    }
}

int lisp_msg_encode(const lisp_msg *m, uint8_t *buf, size_t cap, size_t *out_len)
{
    lisp_wr w = lisp_wr_init(buf, cap);
    const msg_codec *c = codec_for(m->type);

    if (!c)
        return LISP_ERR_INVALID_ARG;
    LISP_TRY(c->wr(&w, m));
    *out_len = lisp_wr_len(&w);
    return LISP_OK;
}
