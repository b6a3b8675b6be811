/*
 * lisp-cxx-include-test.cc - the public C headers must compile as C++ (extern "C", no
 * C-only syntax) and link from C++ code: ns-3 adapters include them exactly like this.
 */
#include "ns3/lisp.h"

#include <cstdio>
#include <cstring>

static_assert(sizeof(lisp_msg) > 0, "lisp_msg is a complete type in C++");
static_assert(LISP_TIME_NEVER == UINT64_MAX, "lisp_time_t sentinel");

int main()
{
    const char *text = lisp_strerror(LISP_ERR_TRUNCATED);
    if (text == nullptr || std::strlen(text) == 0) {
        std::fprintf(stderr, "lisp_strerror returned no text\n");
        return 1;
    }
    if (!lisp_err_is_packet_error(LISP_ERR_TRUNCATED) || lisp_err_is_packet_error(LISP_ERR_NOBUF)) {
        std::fprintf(stderr, "lisp_err_is_packet_error disagrees with lisp_types.h\n");
        return 1;
    }
    return 0;
}
