/* lisp_record.c - EID-records and locators (RFC 9301 section 5.4), shared by
 * Map-Reply, Map-Register, Map-Notify and the Map-Reply record of a Map-Request. */
#include <string.h>

#include "lisp_msg_internal.h"

#define REC_ACT_SHIFT 13
#define REC_A_BIT 0x1000u
#define REC_VERSION_MASK 0x0FFFu

/* An EID prefix is a plain or instance-ID address whose mask fits its AFI. */
int lisp_prefix_check(const lisp_prefix *p)
{
    unsigned bits;

    if (p->addr.lcaf != LISP_LCAF_NONE && p->addr.lcaf != LISP_LCAF_IID)
        return LISP_ERR_BAD_AFI;
    bits = lisp_afi_bits(p->addr.a.afi);
    if (bits && p->mask_len > bits)
        return LISP_ERR_BAD_VALUE;
    return LISP_OK;
}

static int locator_rd(lisp_rd *r, lisp_locator *loc)
{
    LISP_TRY(lisp_rd_u8(r, &loc->priority));
    LISP_TRY(lisp_rd_u8(r, &loc->weight));
    LISP_TRY(lisp_rd_u8(r, &loc->mpriority));
    LISP_TRY(lisp_rd_u8(r, &loc->mweight));
    LISP_TRY(lisp_rd_u16(r, &loc->flags));
    loc->flags &= LISP_LOC_FLAGS; /* unused flags are ignored on receipt */
    return lisp_addr_rd(r, &loc->addr);
}

static int locator_wr(lisp_wr *w, const lisp_locator *loc)
{
    LISP_TRY(lisp_wr_u8(w, loc->priority));
    LISP_TRY(lisp_wr_u8(w, loc->weight));
    LISP_TRY(lisp_wr_u8(w, loc->mpriority));
    LISP_TRY(lisp_wr_u8(w, loc->mweight));
    LISP_TRY(lisp_wr_u16(w, (uint16_t)(loc->flags & LISP_LOC_FLAGS)));
    return lisp_addr_wr(w, &loc->addr);
}

int lisp_record_rd(lisp_rd *r, lisp_record *rec, lisp_pools *pools)
{
    uint16_t word, version;
    uint8_t i;

    memset(rec, 0, sizeof *rec);
    LISP_TRY(lisp_rd_u32(r, &rec->ttl));
    LISP_TRY(lisp_rd_u8(r, &rec->loc_count));
    LISP_TRY(lisp_rd_u8(r, &rec->eid.mask_len));
    LISP_TRY(lisp_rd_u16(r, &word));
    rec->action = (uint8_t)(word >> REC_ACT_SHIFT);
    rec->authoritative = (word & REC_A_BIT) != 0;
    LISP_TRY(lisp_rd_u16(r, &version));
    rec->map_version = version & REC_VERSION_MASK;
    LISP_TRY(lisp_addr_rd(r, &rec->eid.addr));
    LISP_TRY(lisp_prefix_check(&rec->eid));
    if (rec->loc_count > LISP_MAX_LOCATORS - pools->locators_used)
        return LISP_ERR_TOO_MANY;
    rec->locators = pools->locators + pools->locators_used;
    pools->locators_used += rec->loc_count;
    for (i = 0; i < rec->loc_count; i++)
        LISP_TRY(locator_rd(r, &rec->locators[i]));
    return LISP_OK;
}

int lisp_record_wr(lisp_wr *w, const lisp_record *rec)
{
    uint8_t i;

    if (rec->action > 7 || rec->map_version > REC_VERSION_MASK ||
        (rec->loc_count && !rec->locators))
        return LISP_ERR_INVALID_ARG;
    if (lisp_prefix_check(&rec->eid) < 0)
        return LISP_ERR_INVALID_ARG;
    LISP_TRY(lisp_wr_u32(w, rec->ttl));
    LISP_TRY(lisp_wr_u8(w, rec->loc_count));
    LISP_TRY(lisp_wr_u8(w, rec->eid.mask_len));
    LISP_TRY(lisp_wr_u16(w, (uint16_t)((rec->action << REC_ACT_SHIFT) |
                                       (rec->authoritative ? REC_A_BIT : 0))));
    LISP_TRY(lisp_wr_u16(w, rec->map_version));
    LISP_TRY(lisp_addr_wr(w, &rec->eid.addr));
    for (i = 0; i < rec->loc_count; i++)
        LISP_TRY(locator_wr(w, &rec->locators[i]));
    return LISP_OK;
}

int lisp_records_rd(lisp_rd *r, unsigned count, lisp_record **out, lisp_pools *pools)
{
    unsigned i;

    if (count > LISP_MAX_RECORDS - pools->records_used)
        return LISP_ERR_TOO_MANY;
    *out = pools->records + pools->records_used;
    pools->records_used += count;
    for (i = 0; i < count; i++)
        LISP_TRY(lisp_record_rd(r, &(*out)[i], pools));
    return LISP_OK;
}

/* The encoder keeps to the decoder's bounds, so everything we send we can also receive. */
int lisp_records_wr(lisp_wr *w, unsigned count, const lisp_record *recs)
{
    unsigned i, locators = 0;

    if (count > LISP_MAX_RECORDS || (count && !recs))
        return LISP_ERR_INVALID_ARG;
    for (i = 0; i < count; i++)
        locators += recs[i].loc_count;
    if (locators > LISP_MAX_LOCATORS)
        return LISP_ERR_INVALID_ARG;
    for (i = 0; i < count; i++)
        LISP_TRY(lisp_record_wr(w, &recs[i]));
    return LISP_OK;
}
