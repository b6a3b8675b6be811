/*
 * lisp_types.h - the vocabulary every LISP engine shares: time, ports, error codes.
 *
 * Engines are sans-I/O: the host passes `now` (lisp_time_t) into every call and
 * converts to and from its own clock in exactly one place (ns-3: lisp-time.h).
 */
#ifndef LISP_TYPES_H
#define LISP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Nanoseconds on the host's monotonic clock. LISP_TIME_NEVER means "no deadline". */
typedef uint64_t lisp_time_t;
#define LISP_TIME_NEVER UINT64_MAX
#define LISP_NS_PER_MS 1000000ull
#define LISP_NS_PER_SEC 1000000000ull
#define LISP_NS_PER_MINUTE (60ull * LISP_NS_PER_SEC) /* the unit of record TTLs on the wire */

/* RFC 9300 / RFC 9301 well-known UDP ports. */
#define LISP_DATA_PORT 4341
#define LISP_CONTROL_PORT 4342

/*
 * One error vocabulary for every engine. Zero is success, errors are negative.
 * Packet errors (-1 .. -19) mean "this input was bad": count it, drop it, carry on.
 * Caller errors (<= -20) mean the engine or its caller is misused or out of resources.
 */
typedef enum lisp_err {
    LISP_OK = 0,
    LISP_ERR_TRUNCATED = -1,    /* input ends inside a field it announces */
    LISP_ERR_BAD_LENGTH = -2,   /* a length field disagrees with the data, or bytes are left over */
    LISP_ERR_BAD_AFI = -3,      /* AFI or LCAF type not allowed at this place */
    LISP_ERR_UNKNOWN_TYPE = -4, /* LISP message type this codec does not know */
    LISP_ERR_TOO_MANY = -5,     /* more records/locators/RLOCs than the decoder's bounds */
    LISP_ERR_BAD_VALUE = -6,    /* a field holds a forbidden value (mask-len too long, bad IP version) */
    LISP_ERR_CHECKSUM = -7,     /* IPv4 header or UDP checksum does not verify */
    LISP_ERR_AUTH = -8,         /* authentication data does not verify */
    LISP_ERR_BAD_KEY_ID = -9,   /* unknown key-id, or auth length not valid for the key-id */
    LISP_ERR_NOBUF = -20,       /* output buffer too small */
    LISP_ERR_INVALID_ARG = -21, /* the caller passed an inconsistent structure */
    LISP_ERR_CRYPTO = -22,      /* libcrypto failed */
    LISP_ERR_NOMEM = -23,       /* allocation failed */
} lisp_err;

/* A host-supplied allocator: engines that own memory take it from their config (NULL
 * there means the C library), so ns-3 can account per node and tests can inject failures. */
typedef struct lisp_allocator {
    void *(*malloc)(size_t size, void *user_data);
    void *(*realloc)(void *ptr, size_t size, void *user_data); /* C realloc semantics */
    void (*free)(void *ptr, void *user_data);
    void *user_data;
} lisp_allocator;

/* A static, human-readable description of an error code (never NULL). */
const char *lisp_strerror(int err);

/* True when err says the input packet was bad (as opposed to a caller error). */
bool lisp_err_is_packet_error(int err);

#ifdef __cplusplus
}
#endif

#endif /* LISP_TYPES_H */
