/*
 * lisp_xtr_harness.h - one xTR under test behind the recording fake (lisp_fake_io.h), and
 * the messages its peers send it, for the component tests (test_xtr_*.c).
 *
 * Site A (the xTR): EID 10.1.0.0/16, RLOC 192.0.2.1 (priority 1, weight 100). Site B:
 * EID 10.2.0.0/16. Map-Resolver and Map-Server: 203.0.113.10, key "site-a-key", key-id 1.
 */
#ifndef LISP_XTR_HARNESS_H
#define LISP_XTR_HARNESS_H

#include "lisp_fake_io.h"
#include "lisp_test_util.h"
#include "lisp_xtr.h"

#define SEC(s) ((lisp_time_t)(s)*LISP_NS_PER_SEC)
#define MS(ms) ((lisp_time_t)(ms)*LISP_NS_PER_MS)
#define T0 SEC(100)
#define XH_KEY "site-a-key"

extern fake_io g_io;
extern lisp_xtr *g_x;
extern lisp_msg g_m, g_inner; /* decoded outputs (xh_sent_*) */

void xh_base_config(lisp_xtr_config *c);
/* Create g_x from c behind a fresh fake (seed 42); xh_teardown frees it (cmocka teardown). */
void xh_start(const lisp_xtr_config *c);
int xh_teardown(void **state);

lisp_mapcache_loc xh_rloc(const char *ip, uint8_t prio, uint8_t weight);

/* A datagram from src to the local dst, with outer TTL and TOS. */
int xh_udp(lisp_time_t now, const lisp_endpoint *src, const lisp_endpoint *dst, uint8_t ttl,
           uint8_t tos, const uint8_t *payload, size_t len);
/* An IPv4 (or IPv6, by the addresses) UDP packet src:sport -> dst:dport with TTL ttl and
 * TOS tos carrying `text` into buf (1500 bytes). */
size_t xh_udp_packet(uint8_t *buf, const char *src, const char *dst, uint16_t sport, uint16_t dport,
                     uint8_t ttl, uint8_t tos, const char *text);
/* The same to port 7, carrying "hello". */
size_t xh_ip_packet(uint8_t *buf, const char *src, const char *dst, uint16_t sport, uint8_t ttl,
                    uint8_t tos);
/* An EID packet from the site through the ITR (TTL 64, TOS 0). */
void xh_eid(lisp_time_t now, const char *src, const char *dst, uint16_t sport);

/* The i-th sent datagram decoded into g_m (ECM: its Map-Request into g_inner); returns the
 * type, failing the test if it does not decode. */
int xh_sent(size_t i);
/* The nonce of the i-th sent datagram, an ECM'd Map-Request. */
uint64_t xh_sent_request_nonce(size_t i);

/* A Map-Reply from the resolver with the given records (each: prefix, TTL in minutes,
 * action, locators). */
typedef struct xh_record {
    lisp_eid eid;
    uint32_t ttl;
    uint8_t action;
    unsigned n_locs;
    const lisp_mapcache_loc *locs;
} xh_record;
void xh_reply(lisp_time_t now, uint64_t nonce, unsigned n, const xh_record *recs);
/* One record 10.2.0.0/16 (TTL 10 min) with RLOCs 198.51.100.1 and .2 (priority 1, weight 50). */
void xh_reply_site_b(lisp_time_t now, uint64_t nonce);

/* A Map-Notify signed with key from `from`, nonce, records: our 10.1.0.0/16 only
 * (ours_only) or the sample pair 10.1.0.0/16 + [7]2001:db8::/32. */
void xh_notify(lisp_time_t now, uint64_t nonce, const char *key, const char *from, bool ours_only);

/* A data packet from an ITR at outer_src (outer TTL/TOS) carrying an IPv4 packet
 * inner_src -> inner_dst (TTL inner_ttl, TOS inner_tos), with LSBs when with_lsb. */
void xh_data(lisp_time_t now, const char *outer_src, uint8_t outer_ttl, uint8_t outer_tos,
             const char *inner_src, const char *inner_dst, uint8_t inner_ttl, uint8_t inner_tos,
             bool with_lsb, uint32_t lsb);

/* A locator event. */
int xh_locator(lisp_time_t now, uint8_t kind, const char *addr, const char *old_addr,
               uint32_t ifindex);

/* How many traces of STATE_CHANGE for machine from -> to on event (NULL: any). */
size_t xh_count_state(const char *machine, const char *from, const char *to, const char *event);

#endif /* LISP_XTR_HARNESS_H */
