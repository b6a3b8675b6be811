/* fuzz_addr_decode.c - libFuzzer target for lisp_addr_decode, with the round trip: a
 * decoded address re-encodes to as many bytes as it consumed, that encoding decodes to an
 * equal address, and encoding that gives the same bytes again. */
#include <stdlib.h>
#include <string.h>

#include "lisp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lisp_addr a, b;
    uint8_t e1[1024], e2[1024];
    size_t used, n1, n2;

    if (lisp_addr_decode(&a, data, size, &used) < 0)
        return 0;
    if (used > size || lisp_addr_encode(&a, e1, sizeof e1, &n1) < 0 || n1 != used ||
        n1 != lisp_addr_wire_len(&a))
        abort();
    if (lisp_addr_decode(&b, e1, n1, &n2) < 0 || n2 != n1 || !lisp_addr_equal(&a, &b))
        abort();
    if (lisp_addr_encode(&b, e2, sizeof e2, &n2) < 0 || n2 != n1 || memcmp(e1, e2, n1) != 0)
        abort();
    return 0;
}
