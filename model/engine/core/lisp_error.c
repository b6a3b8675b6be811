/* lisp_error.c - texts for the shared error vocabulary (lisp_types.h). */
#include "lisp_types.h"

const char *lisp_strerror(int err)
{
    switch ((lisp_err)err) {
    case LISP_OK: return "success";
    case LISP_ERR_TRUNCATED: return "truncated input";
    case LISP_ERR_BAD_LENGTH: return "length field disagrees with data";
    case LISP_ERR_BAD_AFI: return "AFI or LCAF type not allowed here";
    case LISP_ERR_UNKNOWN_TYPE: return "unknown LISP message type";
    case LISP_ERR_TOO_MANY: return "too many records, locators or RLOCs";
    case LISP_ERR_BAD_VALUE: return "field holds a forbidden value";
    case LISP_ERR_CHECKSUM: return "bad checksum";
    case LISP_ERR_AUTH: return "authentication failed";
    case LISP_ERR_BAD_KEY_ID: return "unsupported key-id or authentication length";
    case LISP_ERR_NOBUF: return "output buffer too small";
    case LISP_ERR_INVALID_ARG: return "invalid argument";
    case LISP_ERR_CRYPTO: return "cryptographic library failure";
    case LISP_ERR_NOMEM: return "out of memory";
    }
    return "unknown error";
}

bool lisp_err_is_packet_error(int err)
{
    return err < 0 && err > LISP_ERR_NOBUF;
}
