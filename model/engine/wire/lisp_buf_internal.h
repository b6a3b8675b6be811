/*
 * lisp_buf_internal.h - bounds-checked cursors for every wire format (internal).
 *
 * A reader never touches a byte outside [p, end); every read returns
 * LISP_ERR_TRUNCATED instead. Nested blocks (an LCAF body, an ECM's inner
 * packet) get a sub-reader of exactly their announced length, and the caller
 * checks that the sub-reader was consumed exactly (lisp_rd_done).
 * A writer likewise returns LISP_ERR_NOBUF instead of overrunning.
 */
#ifndef LISP_BUF_H
#define LISP_BUF_H

#include <string.h>

#include "lisp_types.h"

/* Propagate a negative result to the caller. */
#define LISP_TRY(expr)                                                                             \
    do {                                                                                           \
        int lisp_try_rc_ = (expr);                                                                 \
        if (lisp_try_rc_ < 0)                                                                      \
            return lisp_try_rc_;                                                                   \
    } while (0)

typedef struct lisp_rd {
    const uint8_t *p;
    const uint8_t *end;
} lisp_rd;

typedef struct lisp_wr {
    uint8_t *start;
    uint8_t *p;
    uint8_t *end;
} lisp_wr;

static inline lisp_rd lisp_rd_init(const uint8_t *buf, size_t len)
{
    lisp_rd r = {buf, len ? buf + len : buf}; /* NULL + 0 is undefined behaviour in C */
    return r;
}

static inline size_t lisp_rd_left(const lisp_rd *r)
{
    return (size_t)(r->end - r->p);
}

static inline int lisp_rd_u8(lisp_rd *r, uint8_t *v)
{
    if (lisp_rd_left(r) < 1)
        return LISP_ERR_TRUNCATED;
    *v = r->p[0];
    r->p += 1;
    return LISP_OK;
}

static inline int lisp_rd_u16(lisp_rd *r, uint16_t *v)
{
    if (lisp_rd_left(r) < 2)
        return LISP_ERR_TRUNCATED;
    *v = (uint16_t)((r->p[0] << 8) | r->p[1]);
    r->p += 2;
    return LISP_OK;
}

static inline int lisp_rd_u32(lisp_rd *r, uint32_t *v)
{
    if (lisp_rd_left(r) < 4)
        return LISP_ERR_TRUNCATED;
    *v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) |
         (uint32_t)r->p[3];
    r->p += 4;
    return LISP_OK;
}

static inline int lisp_rd_u64(lisp_rd *r, uint64_t *v)
{
    uint32_t hi, lo;
    LISP_TRY(lisp_rd_u32(r, &hi));
    LISP_TRY(lisp_rd_u32(r, &lo));
    *v = ((uint64_t)hi << 32) | lo;
    return LISP_OK;
}

static inline int lisp_rd_bytes(lisp_rd *r, void *out, size_t n)
{
    if (lisp_rd_left(r) < n)
        return LISP_ERR_TRUNCATED;
    memcpy(out, r->p, n);
    r->p += n;
    return LISP_OK;
}

/* Borrow n bytes in place: *out points into the input buffer. */
static inline int lisp_rd_ptr(lisp_rd *r, const uint8_t **out, size_t n)
{
    if (lisp_rd_left(r) < n)
        return LISP_ERR_TRUNCATED;
    *out = r->p;
    r->p += n;
    return LISP_OK;
}

/* Split off the next n bytes as their own reader and advance past them. */
static inline int lisp_rd_sub(lisp_rd *r, lisp_rd *sub, size_t n)
{
    if (lisp_rd_left(r) < n)
        return LISP_ERR_TRUNCATED;
    sub->p = r->p;
    sub->end = r->p + n;
    r->p += n;
    return LISP_OK;
}

/* A nested block must be consumed exactly: leftovers mean its length field lied. */
static inline int lisp_rd_done(const lisp_rd *r)
{
    return lisp_rd_left(r) == 0 ? LISP_OK : LISP_ERR_BAD_LENGTH;
}

/* Running out of a nested block means its length field was too short: the outer
 * reader has already checked that every byte the block announces is present. */
static inline int lisp_rd_nested(int rc)
{
    return rc == LISP_ERR_TRUNCATED ? LISP_ERR_BAD_LENGTH : rc;
}

static inline lisp_wr lisp_wr_init(uint8_t *buf, size_t cap)
{
    lisp_wr w = {buf, buf, cap ? buf + cap : buf}; /* NULL + 0 is undefined behaviour in C */
    return w;
}

static inline size_t lisp_wr_len(const lisp_wr *w)
{
    return (size_t)(w->p - w->start);
}

static inline int lisp_wr_u8(lisp_wr *w, uint8_t v)
{
    if (w->end - w->p < 1)
        return LISP_ERR_NOBUF;
    *w->p++ = v;
    return LISP_OK;
}

static inline int lisp_wr_u16(lisp_wr *w, uint16_t v)
{
    if (w->end - w->p < 2)
        return LISP_ERR_NOBUF;
    w->p[0] = (uint8_t)(v >> 8);
    w->p[1] = (uint8_t)v;
    w->p += 2;
    return LISP_OK;
}

static inline int lisp_wr_u32(lisp_wr *w, uint32_t v)
{
    if (w->end - w->p < 4)
        return LISP_ERR_NOBUF;
    w->p[0] = (uint8_t)(v >> 24);
    w->p[1] = (uint8_t)(v >> 16);
    w->p[2] = (uint8_t)(v >> 8);
    w->p[3] = (uint8_t)v;
    w->p += 4;
    return LISP_OK;
}

static inline int lisp_wr_u64(lisp_wr *w, uint64_t v)
{
    LISP_TRY(lisp_wr_u32(w, (uint32_t)(v >> 32)));
    return lisp_wr_u32(w, (uint32_t)v);
}

static inline int lisp_wr_bytes(lisp_wr *w, const void *src, size_t n)
{
    if ((size_t)(w->end - w->p) < n)
        return LISP_ERR_NOBUF;
    if (n)
        memcpy(w->p, src, n);
    w->p += n;
    return LISP_OK;
}

/* Reserve n bytes to fill in later (length fields); *at points at them. */
static inline int lisp_wr_reserve(lisp_wr *w, uint8_t **at, size_t n)
{
    if ((size_t)(w->end - w->p) < n)
        return LISP_ERR_NOBUF;
    *at = w->p;
    memset(w->p, 0, n);
    w->p += n;
    return LISP_OK;
}

static inline void lisp_put_u16(uint8_t *at, uint16_t v)
{
    at[0] = (uint8_t)(v >> 8);
    at[1] = (uint8_t)v;
}

static inline uint16_t lisp_get_u16(const uint8_t *at)
{
    return (uint16_t)((at[0] << 8) | at[1]);
}

#endif /* LISP_BUF_H */
