/*
 * lisp_addr.h - LISP addresses as they appear on the wire (RFC 9301 AFIs, RFC 8060 LCAF).
 *
 * Supported encodings: AFI 0 (empty), 1 (IPv4), 2 (IPv6), 17 (distinguished name),
 * and AFI 16387 (LCAF) of type 1 (AFI-List), 2 (Instance-ID) and 7 (NAT-Traversal).
 * An AFI-List or Instance-ID LCAF wraps simple addresses only; anything deeper is
 * rejected with LISP_ERR_BAD_AFI. The NAT-Traversal LCAF appears only in an
 * Info-Reply and has its own structure (lisp_natt, lisp_msg.h).
 *
 * Ownership: a decoded name borrows bytes from the decoded buffer; it is valid as
 * long as that buffer is. Names are not NUL-terminated in memory (they are on the wire).
 */
#ifndef LISP_ADDR_H
#define LISP_ADDR_H

#include "lisp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    LISP_AFI_NONE = 0,
    LISP_AFI_IPV4 = 1,
    LISP_AFI_IPV6 = 2,
    LISP_AFI_NAME = 17,
    LISP_AFI_LCAF = 16387,
};

enum {
    LISP_LCAF_NONE = 0, /* in lisp_addr.lcaf: a plain AFI-encoded address */
    LISP_LCAF_AFI_LIST = 1,
    LISP_LCAF_IID = 2,
    LISP_LCAF_NATT = 7,
};

#define LISP_NAME_MAX 255      /* longest distinguished name we accept, without its NUL */
#define LISP_AFI_LIST_MAX 4    /* elements of one AFI-List LCAF */
#define LISP_ADDR_STR_MAX 300  /* enough for lisp_addr_to_str of any lisp_addr */

/* Bytes that belong to somebody else (the packet, or the caller's config). */
typedef struct lisp_bytes {
    const uint8_t *ptr;
    uint16_t len;
} lisp_bytes;

/* One address with a plain AFI: none, IPv4, IPv6 or a distinguished name. */
typedef struct lisp_afi_addr {
    uint16_t afi;     /* LISP_AFI_NONE, LISP_AFI_IPV4, LISP_AFI_IPV6 or LISP_AFI_NAME */
    uint8_t ip[16];   /* network byte order; IPv4 uses ip[0..3]; zero otherwise */
    lisp_bytes name;  /* LISP_AFI_NAME: the name without its terminating NUL */
} lisp_afi_addr;

/* An address field: a plain address, one wrapped in an Instance-ID LCAF, or an AFI-List. */
typedef struct lisp_addr {
    uint8_t lcaf;          /* LISP_LCAF_NONE, LISP_LCAF_IID or LISP_LCAF_AFI_LIST */
    uint8_t iid_mask_len;  /* Instance-ID LCAF: significant IID bits (0 = whole IID) */
    uint32_t iid;          /* Instance-ID LCAF: the instance-ID */
    lisp_afi_addr a;       /* the address (first element of an AFI-List) */
    uint8_t n_more;        /* AFI-List: elements after `a` */
    lisp_afi_addr more[LISP_AFI_LIST_MAX - 1];
} lisp_addr;

/* Constructors for configuration and tests. ipv4 is in host byte order. */
lisp_afi_addr lisp_afi_ipv4(uint32_t ipv4);
lisp_afi_addr lisp_afi_ipv6(const uint8_t ip[16]);
/* An IPv4 or IPv6 address from its bytes in network order (4 or 16 of ip are read). */
lisp_afi_addr lisp_afi_ip(uint16_t afi, const uint8_t *ip);
lisp_afi_addr lisp_afi_name(const char *name); /* borrows name; must outlive the address */
lisp_addr lisp_addr_plain(lisp_afi_addr a);
lisp_addr lisp_addr_iid(uint32_t iid, lisp_afi_addr a);

/* Parse "10.0.0.1", "2001:db8::1" into a plain address. Returns LISP_ERR_INVALID_ARG. */
int lisp_afi_from_str(lisp_afi_addr *out, const char *text);

/* Text for logs and tests: "10.0.0.1", "[7]10.0.0.1", "(10.0.0.1,'RTR')". Always NUL-terminates. */
const char *lisp_addr_to_str(const lisp_addr *a, char *buf, size_t cap);
const char *lisp_afi_to_str(const lisp_afi_addr *a, char *buf, size_t cap);

/* Exact equality of everything that is encoded (names compared by content). */
bool lisp_afi_equal(const lisp_afi_addr *x, const lisp_afi_addr *y);
bool lisp_addr_equal(const lisp_addr *x, const lisp_addr *y);

/* Address bits of an IP AFI (32 or 128), 0 for anything else. */
unsigned lisp_afi_bits(uint16_t afi);

/* Bytes lisp_addr_encode / lisp_afi_encode will write. */
size_t lisp_afi_wire_len(const lisp_afi_addr *a);
size_t lisp_addr_wire_len(const lisp_addr *a);

/* Buffer-level codecs: encode into buf[0..cap), decode from buf[0..len).
 * *used receives the number of bytes written or consumed. */
int lisp_addr_encode(const lisp_addr *a, uint8_t *buf, size_t cap, size_t *used);
int lisp_addr_decode(lisp_addr *a, const uint8_t *buf, size_t len, size_t *used);

#ifdef __cplusplus
}
#endif

#endif /* LISP_ADDR_H */
