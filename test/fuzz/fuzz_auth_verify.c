/* fuzz_auth_verify.c - libFuzzer target for lisp_auth_verify with a fixed key over any
 * input; and whatever lisp_auth_sign accepts must then verify. */
#include <stdlib.h>
#include <string.h>

#include "lisp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t key[] = "fuzz-key";
    uint8_t *copy;

    lisp_auth_verify(data, size, key, sizeof key - 1, false);
    lisp_auth_verify(data, size, key, sizeof key - 1, true);
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (lisp_auth_sign(copy, size, key, sizeof key - 1) == LISP_OK &&
        lisp_auth_verify(copy, size, key, sizeof key - 1, true) != LISP_OK)
        abort();
    free(copy);
    return 0;
}
