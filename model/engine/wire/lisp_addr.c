/* lisp_addr.c - AFI-encoded addresses and the AFI-List / Instance-ID LCAFs (RFC 8060). */
#include "lisp_addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lisp_msg_internal.h"

#define LCAF_HEADER_LEN 6 /* Rsvd1, Flags, Type, Rsvd2, Length(16) after the AFI */

lisp_afi_addr lisp_afi_ipv4(uint32_t ipv4)
{
    lisp_afi_addr a;
    memset(&a, 0, sizeof a);
    a.afi = LISP_AFI_IPV4;
    a.ip[0] = (uint8_t)(ipv4 >> 24);
    a.ip[1] = (uint8_t)(ipv4 >> 16);
    a.ip[2] = (uint8_t)(ipv4 >> 8);
    a.ip[3] = (uint8_t)ipv4;
    return a;
}

lisp_afi_addr lisp_afi_ipv6(const uint8_t ip[16])
{
    lisp_afi_addr a;
    memset(&a, 0, sizeof a);
    a.afi = LISP_AFI_IPV6;
    memcpy(a.ip, ip, 16);
    return a;
}

lisp_afi_addr lisp_afi_name(const char *name)
{
    lisp_afi_addr a;
    size_t len = strlen(name);
    memset(&a, 0, sizeof a);
    a.afi = LISP_AFI_NAME;
    a.name.ptr = (const uint8_t *)name;
    a.name.len = (uint16_t)(len > 0xFFFF ? 0xFFFF : len); /* over-long names fail at encode */
    return a;
}

lisp_afi_addr lisp_afi_ip(uint16_t afi, const uint8_t *ip)
{
    lisp_afi_addr a;
    memset(&a, 0, sizeof a);
    a.afi = afi;
    memcpy(a.ip, ip, afi == LISP_AFI_IPV4 ? 4 : 16);
    return a;
}

lisp_addr lisp_addr_plain(lisp_afi_addr a)
{
    lisp_addr out;
    memset(&out, 0, sizeof out);
    out.a = a;
    return out;
}

lisp_addr lisp_addr_iid(uint32_t iid, lisp_afi_addr a)
{
    lisp_addr out = lisp_addr_plain(a);
    out.lcaf = LISP_LCAF_IID;
    out.iid = iid;
    return out;
}

int lisp_afi_from_str(lisp_afi_addr *out, const char *text)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->ip) == 1) {
        out->afi = LISP_AFI_IPV4;
        return LISP_OK;
    }
    if (inet_pton(AF_INET6, text, out->ip) == 1) {
        out->afi = LISP_AFI_IPV6;
        return LISP_OK;
    }
    return LISP_ERR_INVALID_ARG;
}

unsigned lisp_afi_bits(uint16_t afi)
{
    return afi == LISP_AFI_IPV4 ? 32 : afi == LISP_AFI_IPV6 ? 128 : 0;
}

const char *lisp_afi_to_str(const lisp_afi_addr *a, char *buf, size_t cap)
{
    char tmp[LISP_ADDR_STR_MAX];
    size_t i, n;

    if (cap == 0)
        return buf;
    switch (a->afi) {
    case LISP_AFI_NONE:
        snprintf(buf, cap, "none");
        break;
    case LISP_AFI_IPV4:
        /* Via tmp: inet_ntop leaves a too-small buffer unterminated. */
        snprintf(buf, cap, "%s", inet_ntop(AF_INET, a->ip, tmp, sizeof tmp));
        break;
    case LISP_AFI_IPV6:
        snprintf(buf, cap, "%s", inet_ntop(AF_INET6, a->ip, tmp, sizeof tmp));
        break;
    case LISP_AFI_NAME:
        /* Names come from the wire: show non-printable bytes as '?'. At most
         * LISP_NAME_MAX of them, so the quoted text fits LISP_ADDR_STR_MAX. */
        n = a->name.len < LISP_NAME_MAX ? a->name.len : LISP_NAME_MAX;
        for (i = 0; i < n; i++) {
            uint8_t c = a->name.ptr[i];
            tmp[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        }
        snprintf(buf, cap, "'%.*s'", (int)n, tmp);
        break;
    default:
        snprintf(buf, cap, "afi-%u", a->afi);
        break;
    }
    return buf;
}

const char *lisp_addr_to_str(const lisp_addr *a, char *buf, size_t cap)
{
    char one[LISP_ADDR_STR_MAX];
    size_t used = 0;
    unsigned i;

    if (cap == 0)
        return buf;
    buf[0] = '\0';
    if (a->lcaf == LISP_LCAF_IID) {
        snprintf(buf, cap, "[%u]%s", (unsigned)a->iid, lisp_afi_to_str(&a->a, one, sizeof one));
        return buf;
    }
    if (a->lcaf != LISP_LCAF_AFI_LIST)
        return lisp_afi_to_str(&a->a, buf, cap);
    used += (size_t)snprintf(buf, cap, "(%s", lisp_afi_to_str(&a->a, one, sizeof one));
    for (i = 0; i < a->n_more && i < LISP_AFI_LIST_MAX - 1 && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, ",%s",
                                 lisp_afi_to_str(&a->more[i], one, sizeof one));
    if (used < cap)
        snprintf(buf + used, cap - used, ")");
    return buf;
}

bool lisp_afi_equal(const lisp_afi_addr *x, const lisp_afi_addr *y)
{
    if (x->afi != y->afi)
        return false;
    switch (x->afi) {
    case LISP_AFI_IPV4:
        return memcmp(x->ip, y->ip, 4) == 0;
    case LISP_AFI_IPV6:
        return memcmp(x->ip, y->ip, 16) == 0;
    case LISP_AFI_NAME:
        return x->name.len == y->name.len &&
               (x->name.len == 0 || memcmp(x->name.ptr, y->name.ptr, x->name.len) == 0);
    default:
        return true;
    }
}

bool lisp_addr_equal(const lisp_addr *x, const lisp_addr *y)
{
    unsigned i;

    if (x->lcaf != y->lcaf || !lisp_afi_equal(&x->a, &y->a))
        return false;
    if (x->lcaf == LISP_LCAF_IID)
        return x->iid == y->iid && x->iid_mask_len == y->iid_mask_len;
    if (x->lcaf == LISP_LCAF_AFI_LIST) {
        if (x->n_more != y->n_more || x->n_more > LISP_AFI_LIST_MAX - 1)
            return false;
        for (i = 0; i < x->n_more; i++)
            if (!lisp_afi_equal(&x->more[i], &y->more[i]))
                return false;
    }
    return true;
}

size_t lisp_afi_wire_len(const lisp_afi_addr *a)
{
    switch (a->afi) {
    case LISP_AFI_IPV4:
        return 2 + 4;
    case LISP_AFI_IPV6:
        return 2 + 16;
    case LISP_AFI_NAME:
        return 2 + (size_t)a->name.len + 1;
    default:
        return 2;
    }
}

size_t lisp_addr_wire_len(const lisp_addr *a)
{
    size_t len;
    unsigned i;

    switch (a->lcaf) {
    case LISP_LCAF_IID:
        return 2 + LCAF_HEADER_LEN + 4 + lisp_afi_wire_len(&a->a);
    case LISP_LCAF_AFI_LIST:
        len = 2 + LCAF_HEADER_LEN + lisp_afi_wire_len(&a->a);
        for (i = 0; i < a->n_more && i < LISP_AFI_LIST_MAX - 1; i++)
            len += lisp_afi_wire_len(&a->more[i]);
        return len;
    default:
        return lisp_afi_wire_len(&a->a);
    }
}

int lisp_afi_rd(lisp_rd *r, lisp_afi_addr *a)
{
    const uint8_t *nul;
    size_t scan;

    memset(a, 0, sizeof *a);
    LISP_TRY(lisp_rd_u16(r, &a->afi));
    switch (a->afi) {
    case LISP_AFI_NONE:
        return LISP_OK;
    case LISP_AFI_IPV4:
        return lisp_rd_bytes(r, a->ip, 4);
    case LISP_AFI_IPV6:
        return lisp_rd_bytes(r, a->ip, 16);
    case LISP_AFI_NAME:
        /* A NUL-terminated name of at most LISP_NAME_MAX bytes. */
        scan = lisp_rd_left(r) < LISP_NAME_MAX + 1 ? lisp_rd_left(r) : LISP_NAME_MAX + 1;
        nul = memchr(r->p, 0, scan);
        if (!nul)
            return scan == LISP_NAME_MAX + 1 ? LISP_ERR_BAD_LENGTH : LISP_ERR_TRUNCATED;
        a->name.len = (uint16_t)(nul - r->p);
        a->name.ptr = a->name.len ? r->p : NULL;
        r->p = nul + 1;
        return LISP_OK;
    default:
        return LISP_ERR_BAD_AFI;
    }
}

int lisp_afi_wr(lisp_wr *w, const lisp_afi_addr *a)
{
    switch (a->afi) {
    case LISP_AFI_NONE:
        return lisp_wr_u16(w, LISP_AFI_NONE);
    case LISP_AFI_IPV4:
        LISP_TRY(lisp_wr_u16(w, a->afi));
        return lisp_wr_bytes(w, a->ip, 4);
    case LISP_AFI_IPV6:
        LISP_TRY(lisp_wr_u16(w, a->afi));
        return lisp_wr_bytes(w, a->ip, 16);
    case LISP_AFI_NAME:
        if (a->name.len > LISP_NAME_MAX || (a->name.len && !a->name.ptr) ||
            (a->name.len && memchr(a->name.ptr, 0, a->name.len)))
            return LISP_ERR_INVALID_ARG;
        LISP_TRY(lisp_wr_u16(w, a->afi));
        LISP_TRY(lisp_wr_bytes(w, a->name.ptr, a->name.len));
        return lisp_wr_u8(w, 0);
    default:
        return LISP_ERR_INVALID_ARG;
    }
}

int lisp_lcaf_rd(lisp_rd *r, uint8_t *type, uint8_t *rsvd2, lisp_rd *body)
{
    uint8_t rsvd1, flags;
    uint16_t len;

    LISP_TRY(lisp_rd_u8(r, &rsvd1));
    LISP_TRY(lisp_rd_u8(r, &flags));
    LISP_TRY(lisp_rd_u8(r, type));
    LISP_TRY(lisp_rd_u8(r, rsvd2));
    LISP_TRY(lisp_rd_u16(r, &len));
    return lisp_rd_sub(r, body, len);
}

int lisp_lcaf_wr_begin(lisp_wr *w, uint8_t type, uint8_t rsvd2, uint8_t **len_at)
{
    LISP_TRY(lisp_wr_u16(w, LISP_AFI_LCAF));
    LISP_TRY(lisp_wr_u8(w, 0)); /* Rsvd1 */
    LISP_TRY(lisp_wr_u8(w, 0)); /* Flags */
    LISP_TRY(lisp_wr_u8(w, type));
    LISP_TRY(lisp_wr_u8(w, rsvd2));
    return lisp_wr_reserve(w, len_at, 2);
}

int lisp_lcaf_wr_end(lisp_wr *w, uint8_t *len_at)
{
    size_t body = (size_t)(w->p - (len_at + 2));
    if (body > 0xFFFF)
        return LISP_ERR_INVALID_ARG;
    lisp_put_u16(len_at, (uint16_t)body);
    return LISP_OK;
}

static int lcaf_body_rd(lisp_rd *body, uint8_t type, uint8_t rsvd2, lisp_addr *a)
{
    switch (type) {
    case LISP_LCAF_IID:
        a->lcaf = LISP_LCAF_IID;
        a->iid_mask_len = rsvd2;
        if (rsvd2 > 32)
            return LISP_ERR_BAD_VALUE;
        LISP_TRY(lisp_rd_u32(body, &a->iid));
        LISP_TRY(lisp_afi_rd(body, &a->a));
        return lisp_rd_done(body);
    case LISP_LCAF_AFI_LIST:
        /* Elements are simple addresses, never nested LCAFs. */
        a->lcaf = LISP_LCAF_AFI_LIST;
        LISP_TRY(lisp_afi_rd(body, &a->a));
        while (lisp_rd_left(body) > 0) {
            if (a->n_more == LISP_AFI_LIST_MAX - 1)
                return LISP_ERR_TOO_MANY;
            LISP_TRY(lisp_afi_rd(body, &a->more[a->n_more]));
            a->n_more++;
        }
        return LISP_OK;
    default:
        return LISP_ERR_BAD_AFI;
    }
}

int lisp_addr_rd(lisp_rd *r, lisp_addr *a)
{
    uint16_t afi;
    uint8_t type, rsvd2;
    lisp_rd body;

    memset(a, 0, sizeof *a);
    if (lisp_rd_left(r) < 2)
        return LISP_ERR_TRUNCATED;
    afi = lisp_get_u16(r->p);
    if (afi != LISP_AFI_LCAF)
        return lisp_afi_rd(r, &a->a);
    r->p += 2;
    LISP_TRY(lisp_lcaf_rd(r, &type, &rsvd2, &body));
    return lisp_rd_nested(lcaf_body_rd(&body, type, rsvd2, a));
}

int lisp_addr_wr(lisp_wr *w, const lisp_addr *a)
{
    uint8_t *len_at;
    unsigned i;

    switch (a->lcaf) {
    case LISP_LCAF_NONE:
        return lisp_afi_wr(w, &a->a);
    case LISP_LCAF_IID:
        if (a->iid_mask_len > 32)
            return LISP_ERR_INVALID_ARG;
        LISP_TRY(lisp_lcaf_wr_begin(w, LISP_LCAF_IID, a->iid_mask_len, &len_at));
        LISP_TRY(lisp_wr_u32(w, a->iid));
        LISP_TRY(lisp_afi_wr(w, &a->a));
        return lisp_lcaf_wr_end(w, len_at);
    case LISP_LCAF_AFI_LIST:
        if (a->n_more > LISP_AFI_LIST_MAX - 1)
            return LISP_ERR_INVALID_ARG;
        LISP_TRY(lisp_lcaf_wr_begin(w, LISP_LCAF_AFI_LIST, 0, &len_at));
        LISP_TRY(lisp_afi_wr(w, &a->a));
        for (i = 0; i < a->n_more; i++)
            LISP_TRY(lisp_afi_wr(w, &a->more[i]));
        return lisp_lcaf_wr_end(w, len_at);
    default:
        return LISP_ERR_INVALID_ARG;
    }
}

int lisp_addr_encode(const lisp_addr *a, uint8_t *buf, size_t cap, size_t *used)
{
    lisp_wr w = lisp_wr_init(buf, cap);
    LISP_TRY(lisp_addr_wr(&w, a));
    *used = lisp_wr_len(&w);
    return LISP_OK;
}

int lisp_addr_decode(lisp_addr *a, const uint8_t *buf, size_t len, size_t *used)
{
    lisp_rd r = lisp_rd_init(buf, len);
    LISP_TRY(lisp_addr_rd(&r, a));
    *used = (size_t)(r.p - buf);
    return LISP_OK;
}
