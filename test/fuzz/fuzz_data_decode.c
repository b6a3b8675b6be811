/* fuzz_data_decode.c - libFuzzer target for lisp_data_decode, with the round trip: a
 * decoded header re-encodes, and that encoding decodes to the same header. */
#include <stdlib.h>
#include <string.h>

#include "lisp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lisp_data_hdr h, g;
    uint8_t out[LISP_DATA_HDR_LEN], again[LISP_DATA_HDR_LEN];

    if (lisp_data_decode(&h, data, size) < 0)
        return 0;
    if (lisp_data_encode(&h, out) < 0 || lisp_data_decode(&g, out, sizeof out) < 0)
        abort();
    if (memcmp(&g, &h, sizeof h) != 0 || lisp_data_encode(&g, again) < 0 ||
        memcmp(out, again, sizeof out) != 0)
        abort();
    return 0;
}
