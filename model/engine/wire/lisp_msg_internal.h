/*
 * lisp_msg_internal.h - cursor-level codecs shared by the message codecs (internal).
 * Each *_rd consumes exactly one wire element from a reader, each *_wr appends one.
 */
#ifndef LISP_MSG_INTERNAL_H
#define LISP_MSG_INTERNAL_H

#include "lisp_buf_internal.h"
#include "lisp_msg.h"

/* Where the decoder puts records and locators: the pools of one lisp_msg. */
typedef struct lisp_pools {
    lisp_record *records;
    size_t records_used;
    lisp_locator *locators;
    size_t locators_used;
    unsigned opts; /* LISP_DECODE_* */
} lisp_pools;

/* Addresses (lisp_addr.c). */
int lisp_afi_rd(lisp_rd *r, lisp_afi_addr *a);
int lisp_afi_wr(lisp_wr *w, const lisp_afi_addr *a);
int lisp_addr_rd(lisp_rd *r, lisp_addr *a);
int lisp_addr_wr(lisp_wr *w, const lisp_addr *a);
/* LCAF framing after the AFI 16387: header fields and a sub-reader over the body. */
int lisp_lcaf_rd(lisp_rd *r, uint8_t *type, uint8_t *rsvd2, lisp_rd *body);
int lisp_lcaf_wr_begin(lisp_wr *w, uint8_t type, uint8_t rsvd2, uint8_t **len_at);
int lisp_lcaf_wr_end(lisp_wr *w, uint8_t *len_at);

/* EID prefixes and records (lisp_record.c). */
int lisp_prefix_check(const lisp_prefix *p);
int lisp_record_rd(lisp_rd *r, lisp_record *rec, lisp_pools *pools);
int lisp_record_wr(lisp_wr *w, const lisp_record *rec);
int lisp_records_rd(lisp_rd *r, unsigned count, lisp_record **out, lisp_pools *pools);
int lisp_records_wr(lisp_wr *w, unsigned count, const lisp_record *recs);

/* Per-type codecs (lisp_msg_map.c, lisp_msg_info.c, lisp_msg_ecm.c). The first
 * 32-bit word has already been read (decode) and is written by them (encode). */
int lisp_map_request_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools);
int lisp_map_request_wr(lisp_wr *w, const lisp_msg *m);
int lisp_map_reply_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools);
int lisp_map_reply_wr(lisp_wr *w, const lisp_msg *m);
int lisp_map_register_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools);
int lisp_map_register_wr(lisp_wr *w, const lisp_msg *m);
int lisp_info_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools);
int lisp_info_wr(lisp_wr *w, const lisp_msg *m);
int lisp_ecm_rd(lisp_rd *r, uint32_t word, lisp_msg *m, lisp_pools *pools);
int lisp_ecm_wr(lisp_wr *w, const lisp_msg *m);

/* The shared authentication block: key-id, length, data (lisp_msg_map.c). */
int lisp_auth_block_rd(lisp_rd *r, uint16_t *key_id, uint16_t *auth_len, const uint8_t **auth);
int lisp_auth_block_wr(lisp_wr *w, uint16_t key_id, uint16_t auth_len, const uint8_t *auth);

#endif /* LISP_MSG_INTERNAL_H */
