/* fuzz_msg_decode.c - libFuzzer target for lisp_msg_decode. A message that decodes must
 * re-encode, and its re-encoding must decode and re-encode to the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "lisp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lisp_msg m1, m2;
    static uint8_t e1[4 + 65535 + 64], e2[sizeof e1]; /* an ECM can carry 64 KiB */
    size_t n1, n2;

    if (lisp_msg_decode(&m1, data, size) < 0)
        return 0;
    if (lisp_msg_encode(&m1, e1, sizeof e1, &n1) < 0)
        abort();
    if (lisp_msg_decode(&m2, e1, n1) < 0)
        abort();
    if (lisp_msg_encode(&m2, e2, sizeof e2, &n2) < 0 || n2 != n1 || memcmp(e1, e2, n1) != 0)
        abort();
    return 0;
}
