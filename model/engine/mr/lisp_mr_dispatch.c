/* lisp_mr_dispatch.c - one UDP port 4342 for a co-located Map-Server and Map-Resolver
 * (lisp_mr.h, "Co-location"). */
#include "lisp_mr_internal.h"

lisp_mr_target lisp_mr_dispatch(const uint8_t *payload, size_t len)
{
    /* ECM flags sit in the first word: the M (to-MS) bit is bit 0 of the first byte. */
    if (payload && lisp_msg_peek_type(payload, len) == LISP_ECM &&
        !(payload[0] & (uint8_t)(LISP_ECM_F_M >> 24)))
        return LISP_MR_TO_MR;
    return LISP_MR_TO_MS;
}

int lisp_mr_handle_shared_udp(lisp_mr *mr, lisp_time_t now, const lisp_endpoint *src,
                              const lisp_endpoint *dst, const uint8_t *payload, size_t len)
{
    if (mr->local_ms && lisp_mr_dispatch(payload, len) == LISP_MR_TO_MS)
        return lisp_ms_handle_udp(mr->local_ms, now, src, dst, payload, len);
    return lisp_mr_handle_udp(mr, now, src, dst, payload, len);
}
