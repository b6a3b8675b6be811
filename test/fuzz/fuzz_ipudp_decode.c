/* fuzz_ipudp_decode.c - libFuzzer target for lisp_ipudp_decode. A datagram that decodes is
 * rebuilt around its payload with lisp_ipudp_encode and must decode to the same header
 * fields and payload. */
#include <stdlib.h>
#include <string.h>

#include "lisp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[48 + 65535];
    lisp_ipudp h, g;
    const uint8_t *payload, *p2;
    size_t len, n, n2, hdr;

    if (lisp_ipudp_decode(&h, data, size, &payload, &len) < 0)
        return 0;
    hdr = lisp_ipudp_header_len(h.afi);
    if (hdr == 0 || hdr + len > sizeof buf)
        abort();
    memcpy(buf + hdr, payload, len);
    if (lisp_ipudp_encode(&h, buf, sizeof buf, len, &n) < 0 || n != hdr + len)
        abort();
    if (lisp_ipudp_decode(&g, buf, n, &p2, &n2) < 0 || n2 != len || memcmp(&g, &h, sizeof h) ||
        memcmp(p2, payload, len) != 0)
        abort();
    return 0;
}
