/*
 * lisp_nat_test_util.h - helpers of the NAT engine tests: a recording host (traces by
 * kind, scripted random numbers), packet builders with checksums computed from scratch,
 * and checks that recompute every checksum of a rewritten packet independently of the
 * engine's incremental updates.
 */
#ifndef LISP_NAT_TEST_UTIL_H
#define LISP_NAT_TEST_UTIL_H

#include "lisp_test_util.h"

/* spelled as in lisp_xtr_harness.h, so that a test may include both */
#define SEC(s) ((lisp_time_t)(s)*LISP_NS_PER_SEC)
#define NT_MAX_TRACES 4096
#define NT_PKT_MAX 1600

typedef struct nt_host {
    lisp_host host;
    lisp_trace traces[NT_MAX_TRACES];
    size_t n_traces;
    uint64_t script[64]; /* random values handed out first, in order */
    size_t n_script, next_script;
    uint64_t rng;
} nt_host;

/* A recording host (trace on) and its random callback. */
void nt_host_init(nt_host *h);
/* A NAT for cfg on h, which is (re)initialised first; fails the test on refusal. */
lisp_nat *nt_new(nt_host *h, const lisp_nat_config *cfg);
/* The next random values the engine draws, in order. */
void nt_host_script(nt_host *h, const uint64_t *values, size_t n);
/* How many traces of kind (and, for DROP, reason; 0 = any). */
size_t nt_count(const nt_host *h, int kind, int reason);
/* The last trace of kind, or NULL. */
const lisp_trace *nt_last(const nt_host *h, int kind);

/* A config with the defaults, the preset (NULL: none) and public address 203.0.113.1. */
lisp_nat_config nt_config(const char *preset);
/* Add a public address. */
void nt_add_public(lisp_nat_config *cfg, const char *ip);
/* A random value that makes the engine's port choice land on port in [lo, hi]. */
uint64_t nt_random_for_port(uint16_t port, uint16_t lo, uint16_t hi);

/* IPv4 packets with correct checksums (IP ID 0x1234, TTL 64, DF clear). opt_words: 32-bit
 * words of IPv4 options (NOPs). Each returns the length. */
size_t nt_ipv4(uint8_t *buf, const char *src, const char *dst, uint8_t proto, const uint8_t *l4,
               size_t l4len, unsigned opt_words);
size_t nt_udp(uint8_t *buf, const char *src, uint16_t sport, const char *dst, uint16_t dport,
              size_t payload);
size_t nt_tcp(uint8_t *buf, const char *src, uint16_t sport, const char *dst, uint16_t dport,
              uint8_t flags);
size_t nt_icmp_query(uint8_t *buf, const char *src, const char *dst, uint8_t type, uint16_t id);
/* An ICMP error from src to dst quoting the first quote_len bytes of the packet q. */
size_t nt_icmp_error(uint8_t *buf, const char *src, const char *dst, uint8_t type, uint8_t code,
                     const uint8_t *q, size_t quote_len);

/* Recompute and check every checksum: IPv4 header; UDP (unless 0), TCP or ICMP over the
 * whole L4 part; for an ICMP error also the quoted IPv4 header and, when the quote is
 * complete (its total length fits), the quoted L4 checksum. Not for fragments. */
void nt_assert_checksums(const uint8_t *ip, size_t len);
/* The one's complement sum folded to 16 bits (0xffff over data with a correct checksum). */
uint16_t nt_sum(uint32_t acc, const uint8_t *p, size_t len);
/* The IPv4 header checksum field made correct again (after a test edits the header). */
void nt_fix_ip_checksum(uint8_t *ip);

/* Source / destination of a packet against text ("10.0.0.1", port; ICMP: identifier). */
void nt_assert_src(const uint8_t *ip, const char *addr, uint16_t port);
void nt_assert_dst(const uint8_t *ip, const char *addr, uint16_t port);
uint16_t nt_sport(const uint8_t *ip);
uint16_t nt_dport(const uint8_t *ip);

/* Hand the packet to the NAT (outbound or inbound); a FORWARD or HAIRPIN packet must
 * carry correct checksums afterwards. Returns the verdict. */
int nt_send(lisp_nat *n, lisp_time_t now, bool outbound, uint8_t *ip, size_t len);
/* A counter of the engine by name ("filtered", "drop.nat-filtered"); fails when unlisted. */
uint64_t nt_counter(lisp_nat *n, const char *name);

/* Assert a verdict, naming both on failure. */
#define nt_assert_verdict(expr, want)                                                              \
    do {                                                                                           \
        int nt_v_ = (expr);                                                                        \
        if (nt_v_ != (want))                                                                       \
            fail_msg("%s = %d, want %d", #expr, nt_v_, (int)(want));                               \
    } while (0)

#endif /* LISP_NAT_TEST_UTIL_H */
