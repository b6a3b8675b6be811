/*
 * lisp_msg.h - LISP control messages (RFC 9301, draft-ermagan-lisp-nat-traversal,
 * draft-farinacci-lisp-lispers-net-nat): one structure per message, one encoder,
 * one decoder.
 *
 *   lisp_msg m;
 *   int rc = lisp_msg_decode(&m, buf, len);   // rc < 0: a LISP_ERR_* packet error
 *   switch (m.type) { case LISP_MAP_REPLY: ... m.u.mrep.records[i] ... }
 *
 * Memory: the decoder never allocates. Records and locators land in pools inside
 * the lisp_msg; names, authentication data and an ECM's inner packet borrow bytes
 * from `buf`, which must outlive the decoded message. To encode, fill the structure
 * (record and locator arrays may live anywhere) and call lisp_msg_encode.
 *
 * Flags are kept exactly where they sit in the first 32-bit word of the message,
 * so LISP_MREG_F_M is the Map-Register "want Map-Notify" bit as sent. The record,
 * ITR-RLOC and locator counts are not flags: they come from the count fields.
 * Bits the spec reserves are written as zero and ignored on receipt.
 */
#ifndef LISP_MSG_H
#define LISP_MSG_H

#include "lisp_addr.h"
#include "lisp_ipudp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lisp_msg_type {
    LISP_MAP_REQUEST = 1,
    LISP_MAP_REPLY = 2,
    LISP_MAP_REGISTER = 3,
    LISP_MAP_NOTIFY = 4,
    LISP_MAP_NOTIFY_ACK = 5,
    LISP_INFO = 7, /* Info-Request, or Info-Reply when LISP_INFO_F_R is set */
    LISP_ECM = 8,
} lisp_msg_type;

/* Decoder bounds. A message exceeding them fails with LISP_ERR_TOO_MANY. */
#define LISP_MAX_RECORDS 32   /* EID records of one message */
#define LISP_MAX_LOCATORS 64  /* locators of one message, all records together */
#define LISP_MAX_ITR_RLOCS 32 /* the 5-bit IRC field allows 32 */
#define LISP_MAX_RTRS 8       /* RTR RLOCs in one NAT-Traversal LCAF */
#define LISP_AUTH_MAX 64      /* authentication data bytes */
#define LISP_XTR_ID_LEN 16
#define LISP_SITE_ID_LEN 8
#define LISP_MSG_MAX 65535    /* no encoding is longer (the UDP length field); smaller
                                 * buffers work and give LISP_ERR_NOBUF when too small */

/* Map-Request flags (first word). */
#define LISP_MREQ_F_A 0x08000000u /* authoritative */
#define LISP_MREQ_F_M 0x04000000u /* map-reply record present (set by the encoder from has_map_reply) */
#define LISP_MREQ_F_P 0x02000000u /* probe */
#define LISP_MREQ_F_S 0x01000000u /* solicit-map-request (SMR) */
#define LISP_MREQ_F_PITR 0x00800000u   /* p: sent by a PITR */
#define LISP_MREQ_F_SMR_INV 0x00400000u /* s: SMR-invoked */
#define LISP_MREQ_F_L 0x00004000u /* RFC 9301 L: local xTR query */
#define LISP_MREQ_F_D 0x00002000u /* RFC 9301 D: don't send a Map-Reply */
#define LISP_MREQ_FLAGS (LISP_MREQ_F_A | LISP_MREQ_F_M | LISP_MREQ_F_P | LISP_MREQ_F_S | \
                         LISP_MREQ_F_PITR | LISP_MREQ_F_SMR_INV | LISP_MREQ_F_L | LISP_MREQ_F_D)

/* Map-Reply flags. */
#define LISP_MREP_F_P 0x08000000u /* probe reply */
#define LISP_MREP_F_E 0x04000000u /* echo-nonce capable */
#define LISP_MREP_F_S 0x02000000u /* security */
#define LISP_MREP_FLAGS (LISP_MREP_F_P | LISP_MREP_F_E | LISP_MREP_F_S)

/* Map-Register flags. */
#define LISP_MREG_F_P 0x08000000u /* proxy Map-Reply wanted */
#define LISP_MREG_F_S 0x04000000u /* security */
#define LISP_MREG_F_I 0x02000000u /* xTR-ID and site-ID present */
#define LISP_MREG_F_R 0x01000000u /* sent by/through an RTR (draft-ermagan) */
#define LISP_MREG_F_M 0x00000100u /* want Map-Notify */
#define LISP_MREG_FLAGS (LISP_MREG_F_P | LISP_MREG_F_S | LISP_MREG_F_I | LISP_MREG_F_R | LISP_MREG_F_M)

/* Map-Notify and Map-Notify-Ack flags. */
#define LISP_MNOT_F_I 0x08000000u /* xTR-ID and site-ID present */
#define LISP_MNOT_F_R 0x04000000u /* MS-RTR authentication data present (draft-ermagan) */
#define LISP_MNOT_FLAGS (LISP_MNOT_F_I | LISP_MNOT_F_R)

/* Info-Request / Info-Reply flags. */
#define LISP_INFO_F_R 0x08000000u /* this is an Info-Reply */

/* Encapsulated Control Message flags; R and N placed as OOR and Wireshark place them. */
#define LISP_ECM_F_S 0x08000000u /* security */
#define LISP_ECM_F_D 0x04000000u /* DDT-originated */
#define LISP_ECM_F_E 0x02000000u /* to be forwarded to an ETR */
#define LISP_ECM_F_M 0x01000000u /* to be processed by a Map-Server */
#define LISP_ECM_F_R 0x00400000u /* to be processed by an RTR (NAT traversal) */
#define LISP_ECM_F_N 0x00200000u /* relayed by an RTR (NAT traversal) */
#define LISP_ECM_FLAGS (LISP_ECM_F_S | LISP_ECM_F_D | LISP_ECM_F_E | LISP_ECM_F_M | \
                        LISP_ECM_F_R | LISP_ECM_F_N)

#define LISP_TTL_NEVER 0xFFFFFFFFu /* a record TTL that never expires */

/* EID-record actions (RFC 9301 section 5.4, 3 bits). */
enum {
    LISP_ACT_NO_ACTION = 0,
    LISP_ACT_NATIVELY_FORWARD = 1,
    LISP_ACT_SEND_MAP_REQUEST = 2,
    LISP_ACT_DROP_NO_REASON = 3,
    LISP_ACT_DROP_POLICY_DENIED = 4,
    LISP_ACT_DROP_AUTH_FAILURE = 5,
};

/* Locator flags as on the wire (low bits of the 16-bit flags word). */
#define LISP_LOC_F_L 0x0004u /* local locator */
#define LISP_LOC_F_P 0x0002u /* probed locator (RLOC-probe reply) */
#define LISP_LOC_F_R 0x0001u /* reachable (in a Map-Register: an RTR locator, draft-ermagan) */
#define LISP_LOC_FLAGS (LISP_LOC_F_L | LISP_LOC_F_P | LISP_LOC_F_R)

typedef struct lisp_locator {
    uint8_t priority; /* 255: do not use for unicast; lispers.net marks RTRs with 254 */
    uint8_t weight;
    uint8_t mpriority;
    uint8_t mweight;
    uint16_t flags; /* LISP_LOC_F_* */
    lisp_addr addr;
} lisp_locator;

/* An EID prefix: an address (possibly with an instance-ID) and its mask length. */
typedef struct lisp_prefix {
    uint8_t mask_len;
    lisp_addr addr;
} lisp_prefix;

typedef struct lisp_record {
    uint32_t ttl;         /* minutes; LISP_TTL_NEVER = never expires */
    uint8_t action;       /* LISP_ACT_* */
    bool authoritative;   /* A bit */
    uint16_t map_version; /* 12 bits */
    lisp_prefix eid;
    uint8_t loc_count;
    lisp_locator *locators; /* loc_count entries */
} lisp_record;

typedef struct lisp_map_request {
    uint32_t flags; /* LISP_MREQ_F_* (M is derived from has_map_reply) */
    uint64_t nonce;
    lisp_addr source_eid; /* AFI 0 when the ITR has none */
    uint8_t itr_rloc_count; /* 1..LISP_MAX_ITR_RLOCS */
    lisp_addr itr_rlocs[LISP_MAX_ITR_RLOCS];
    uint8_t record_count;
    lisp_prefix records[LISP_MAX_RECORDS];
    bool has_map_reply; /* M bit: one Map-Reply record follows */
    lisp_record map_reply;
} lisp_map_request;

typedef struct lisp_map_reply {
    uint32_t flags; /* LISP_MREP_F_* */
    uint64_t nonce;
    uint8_t record_count;
    lisp_record *records;
} lisp_map_reply;

/*
 * Map-Register (type 3), Map-Notify (4) and Map-Notify-Ack (5) share one layout.
 * The authentication field is covered by lisp_auth.h: encode with zeroed auth
 * data of the right length, then sign the encoded bytes.
 */
typedef struct lisp_map_register {
    uint32_t flags; /* LISP_MREG_F_* for type 3, LISP_MNOT_F_* for types 4 and 5 */
    uint64_t nonce;
    uint16_t key_id; /* LISP_KEY_ID_* (lisp_auth.h) */
    uint16_t auth_len;
    const uint8_t *auth; /* auth_len bytes; NULL encodes zeros */
    uint8_t record_count;
    lisp_record *records;
    uint8_t xtr_id[LISP_XTR_ID_LEN];   /* with the I bit, or unflagged_ids */
    uint8_t site_id[LISP_SITE_ID_LEN]; /* with the I bit, or unflagged_ids */
    /* Map-Notify only: xTR-ID and site-ID follow the records although the I bit is clear, as
     * lispers.net sends them. The decoder takes exactly those 24 bytes when they are all that
     * is left of a Map-Notify without the I and R bits (anything else left over is still
     * LISP_ERR_BAD_LENGTH) and sets this; the encoder then writes them, I bit still clear. */
    bool unflagged_ids;
    uint16_t msrtr_key_id;             /* Map-Notify with the R bit: MS-RTR authentication */
    uint16_t msrtr_auth_len;
    const uint8_t *msrtr_auth; /* NULL encodes zeros */
} lisp_map_register;

/* NAT-Traversal LCAF (type 7) as carried by an Info-Reply. */
typedef struct lisp_natt {
    uint16_t ms_port;  /* source port the Map-Server saw (translated) */
    uint16_t etr_port; /* translated port of the xTR */
    lisp_afi_addr global_etr;  /* translated (public) RLOC of the xTR */
    lisp_afi_addr ms;          /* the Map-Server's RLOC */
    lisp_afi_addr private_etr; /* the xTR's own (private) RLOC */
    uint8_t rtr_count;
    lisp_afi_addr rtrs[LISP_MAX_RTRS];
} lisp_natt;

typedef struct lisp_info {
    uint32_t flags; /* LISP_INFO_F_R for an Info-Reply */
    uint64_t nonce;
    uint16_t key_id;
    uint16_t auth_len;
    const uint8_t *auth; /* NULL encodes zeros */
    uint32_t ttl;        /* minutes */
    lisp_prefix eid;
    /* Info-Request: AFI 0, or the xTR's hostname (AFI 17) as lispers.net sends it. */
    lisp_bytes hostname;
    lisp_natt natt; /* Info-Reply only */
} lisp_info;

typedef struct lisp_ecm {
    uint32_t flags; /* LISP_ECM_F_* */
    lisp_ipudp inner;
    /* Decoded with LISP_DECODE_LAX_INNER_IP_CHECKSUM: the inner IPv4 header checksum did not
     * verify (and was accepted). Ignored by the encoder, which always computes it. */
    bool inner_ip_checksum_bad;
    const uint8_t *payload; /* the inner LISP control message */
    size_t payload_len;
} lisp_ecm;

typedef struct lisp_msg {
    uint8_t type; /* lisp_msg_type */
    union {
        lisp_map_request mreq;
        lisp_map_reply mrep;
        lisp_map_register mreg; /* LISP_MAP_REGISTER, LISP_MAP_NOTIFY, LISP_MAP_NOTIFY_ACK */
        lisp_info info;
        lisp_ecm ecm;
    } u;
    /* Decoder pools that records/locators above point into. */
    lisp_record record_pool[LISP_MAX_RECORDS];
    lisp_locator locator_pool[LISP_MAX_LOCATORS];
} lisp_msg;

/* Make m an all-zero message of the given type: only that type's member of m->u is
 * cleared, not the whole union (a Map-Request's is ~12 KB; a Map-Register's ~100 B), so
 * building or decoding a small message does not write a large one. */
void lisp_msg_reset(lisp_msg *m, int type);

/* A record TTL for the wire: whole minutes, rounded down; LISP_TIME_NEVER becomes
 * LISP_TTL_NEVER, and anything longer than the field holds the longest finite TTL. */
uint32_t lisp_record_ttl(lisp_time_t ttl);

/* Type of the control message in buf (the high nibble), or LISP_ERR_TRUNCATED. */
int lisp_msg_peek_type(const uint8_t *buf, size_t len);

/* Decode one whole UDP payload. Trailing bytes are LISP_ERR_BAD_LENGTH. */
int lisp_msg_decode(lisp_msg *m, const uint8_t *buf, size_t len);

/* lisp_msg_decode with LISP_DECODE_* options (lisp_ipudp.h): LISP_DECODE_LAX_INNER_IP_CHECKSUM
 * takes an ECM whose inner IPv4 header checksum is wrong and sets its
 * inner_ip_checksum_bad. Options 0 is lisp_msg_decode. */
int lisp_msg_decode_opts(lisp_msg *m, const uint8_t *buf, size_t len, unsigned opts);

/* Encode m into buf[0..cap); *out_len receives the length. */
int lisp_msg_encode(const lisp_msg *m, uint8_t *buf, size_t cap, size_t *out_len);

/* Name of a message type for logs ("Map-Request"); "unknown" otherwise. */
const char *lisp_msg_type_name(int type);

#ifdef __cplusplus
}
#endif

#endif /* LISP_MSG_H */
